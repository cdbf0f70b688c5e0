"""Attendance reports -> rows: Zoom (both layouts), Google Meet and plain sheets."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from revmental_cli.domain.attendance import merge_minutes
from revmental_cli.errors import InputError
from revmental_cli.importers.attendance import (
    form_date_order,
    parse_duration,
    parse_form_timestamp,
    parse_status,
    parse_time,
    parse_time_of_day,
    read_report,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "attendance"


def write(tmp_path: Path, text: str, name: str = "report.csv", *, bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


# ------------------------------------------------------------------ fixtures


def test_zoom_report_with_meeting_block() -> None:
    report, problems = read_report(FIXTURES / "zoom-sesi-1.csv")
    assert problems == []
    assert report.format == "zoom"
    assert report.source == "zoom-sesi-1.csv"
    assert report.topic == "Pelatihan Revolusi Mental Angkatan II - Sesi 1"
    assert report.meeting_start == datetime(2021, 9, 29, 8, 50, 2)
    assert report.meeting_end == datetime(2021, 9, 29, 12, 6, 40)
    assert report.ignored_columns == []
    assert report.marks == []
    assert len(report.visits) == 28
    host = report.visits[0]
    # Line 1 is the meeting block, 2 its values, 3 blank, 4 the participant header.
    assert host.line == 5
    assert (host.name, host.email, host.guest) == ("Puslatbang PKASN", "host@lan.example", False)
    assert host.join == datetime(2021, 9, 29, 8, 50, 2)
    assert host.leave == datetime(2021, 9, 29, 12, 6, 40)
    assert host.minutes == 197
    by_name = {v.name: v for v in report.visits}
    wulan = by_name["Wulan Sari (Wulan)"]
    assert (wulan.original_name, wulan.email, wulan.guest) == ("Wulan", "", True)
    assert by_name["Agus Salim"].email == "agus.salim@bkn.example"
    assert by_name["Muhammad Rizki Pratama"].join == datetime(2021, 9, 29, 9, 40)
    assert by_name["Muhammad Rizki Pratama"].leave == datetime(2021, 9, 29, 12, 3, 10)
    assert sum(v.name == "Rudi Hartono" for v in report.visits) == 3
    assert by_name["BUDI SANTOSO"].original_name == ""


def test_zoom_unique_users_has_totals_and_no_times() -> None:
    report, problems = read_report(FIXTURES / "zoom-sesi-1-unique.csv")
    assert problems == []
    assert report.format == "zoom"
    assert report.meeting_start == datetime(2021, 9, 29, 8, 50, 2)
    assert len(report.visits) == 25  # one row per person, host and the iPhone included
    assert all(v.join is None and v.leave is None for v in report.visits)
    minutes = {v.email or v.name: v.minutes for v in report.visits}
    assert minutes["made.suardana@sumedangkab.example"] == 360
    assert minutes["rudi.hartono@bkn.example"] == 180
    assert minutes["ratna.kusumawati@bkn.example"] == 63
    assert minutes["iPhone Pak Hendra"] == 140


def test_zoom_without_block_24_hour_and_trailing_comma() -> None:
    report, problems = read_report(FIXTURES / "zoom-24h-trailing-comma.csv")
    assert problems == []
    assert report.format == "zoom"
    assert report.topic == "Pelatihan Revolusi Mental, Angkatan II - Sesi 2"
    assert report.meeting_start == datetime(2021, 9, 30, 8, 55, 10)
    assert report.meeting_end is None
    # The trailing comma is not a column; In Waiting Room is read, not ignored.
    assert report.ignored_columns == []
    # 13 rows, one of them time in the waiting room, which is not attendance.
    assert len(report.visits) == 12
    ani = [v for v in report.visits if v.name == "Ani Rahayu"]
    assert [(v.join, v.leave) for v in ani] == [
        (datetime(2021, 9, 30, 9, 2), datetime(2021, 9, 30, 11, 15))
    ]
    assert ani[0].line == 6
    assert report.visits[1].email == "ahmad.fauzi@lan.example"
    assert report.visits[1].minutes == 137


def test_meet_report_puts_times_on_the_preamble_date() -> None:
    report, problems = read_report(FIXTURES / "meet-sesi-2.csv")
    assert problems == []
    assert report.format == "meet"
    assert len(report.visits) == 10
    first = report.visits[0]
    assert first.line == 5
    assert (first.name, first.email) == ("Sri Wahyuni", "sri.wahyuni@lan.example")
    assert first.join == datetime(2021, 9, 30, 9, 1)
    assert first.leave == datetime(2021, 9, 30, 11, 15)
    assert first.minutes == 134
    assert report.visits[1].name == "I Made Suardana"
    yohanes = report.visits[7]
    assert (yohanes.name, yohanes.email, yohanes.minutes) == ("YOHANES KRISTIANTO", "", 130)
    assert report.visits[5].minutes == 58


def test_manual_sheet_marks_and_row_problems() -> None:
    report, problems = read_report(FIXTURES / "manual-sesi-3.csv")
    assert report.format == "csv"
    assert report.visits == []
    got = [(m.line, m.nip, m.status, m.minutes) for m in report.marks]
    assert got == [
        (2, "198309222012091919", "present", 180.0),
        (3, "198010062002042080", "late", 150.0),
        (4, "199312232016072178", "excused", None),
        (5, "199008122011031301", "sick", None),
        (6, "199408022017112466", "absent", 0.0),
        (8, "19900812 201103 1 30", "present", 175.5),  # kept as written, with a problem
        (9, "199310152019112298", "present", 172.5),
    ]
    assert [(p.file, p.line, p.field) for p in problems] == [
        ("manual-sesi-3.csv", 7, "Keterangan"),
        ("manual-sesi-3.csv", 8, "NIP"),
    ]
    assert "cuti" in problems[0].message
    assert problems[0].hint and "hadir" in problems[0].hint
    assert "18 digits" in problems[1].message


# ------------------------------------------------------------ header variants


def test_zoom_header_variants_and_24_hour_without_seconds(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "NAME (ORIGINAL NAME),user email,JOIN TIME,Leave Time,total duration (minutes),GUEST,\n"
        "Budi Santoso (Budi S),,09/29/2021 09:01,09/29/2021 11:59,178,yes,\n"
        "Sri Wahyuni,Sri.Wahyuni@LAN.example,09/29/2021 13:05,09/29/2021 14:00,55,No,\n",
        bom=True,
    )
    report, problems = read_report(path)
    assert problems == []
    assert report.format == "zoom"
    budi, sri = report.visits
    assert (budi.name, budi.original_name) == ("Budi Santoso (Budi S)", "Budi S")
    assert budi.join == datetime(2021, 9, 29, 9, 1)
    assert budi.guest is True
    assert sri.join == datetime(2021, 9, 29, 13, 5)
    assert sri.email == "sri.wahyuni@lan.example"
    assert sri.guest is False


def test_zoom_columns_repeated_with_host_email_and_duration(tmp_path: Path) -> None:
    # The host's User Email/Duration precede the participant's: the later ones count.
    path = write(
        tmp_path,
        "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants,"
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
        "812 3456 7890,Sesi 1,2021-09-29 08:50:02,2021-09-29 12:06:40,host@lan.example,197,2,"
        "Nur Aini,nur.aini@bkn.example,2021-09-29 09:00:00,2021-09-29 12:00:00,180,Yes\n",
    )
    report, problems = read_report(path)
    assert problems == []
    assert report.meeting_end == datetime(2021, 9, 29, 12, 6, 40)
    (visit,) = report.visits
    assert (visit.email, visit.minutes) == ("nur.aini@bkn.example", 180)
    assert report.ignored_columns == []


def test_meet_indonesian_headers_iso_times_and_unknown_column(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Nama depan;Nama belakang;Email;Durasi;Waktu bergabung;Waktu keluar;Perangkat\n"
        "Nur;Aini;nur.aini@bkn.example;2 jam 5 menit;2021-09-30T09:08:00;"
        "2021-09-30T11:13:00+07:00;Android\n",
    )
    report, problems = read_report(path)
    assert problems == []
    assert report.format == "meet"
    assert report.ignored_columns == ["Perangkat"]
    (visit,) = report.visits
    assert visit.name == "Nur Aini"
    assert visit.minutes == 125
    assert visit.join == datetime(2021, 9, 30, 9, 8)
    assert visit.leave == datetime(2021, 9, 30, 11, 13)


def test_meet_time_alone_without_a_date_is_refused_not_dropped(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "First Name,Last Name,Email,Duration,Joined at,Left at\n"
        "Nur,Aini,nur.aini@bkn.example,1:45:00,9:08 AM,10:53 AM\n",
    )
    # Read without its times, the row would lose its lateness and its clipping.
    with pytest.raises(InputError) as caught:
        read_report(path)
    assert caught.value.message.startswith("report.csv: line 2: Joined at: the time '9:08 AM'")
    assert caught.value.hint and "--session" in caught.value.hint
    # With the session's date (--session), the times are placed on it.
    report, problems = read_report(path, day=date(2021, 9, 30))
    assert problems == []
    (visit,) = report.visits
    assert (visit.join, visit.leave, visit.minutes) == (
        datetime(2021, 9, 30, 9, 8),
        datetime(2021, 9, 30, 10, 53),
        105,
    )


@pytest.mark.parametrize(
    "line",
    [
        "Tanggal rapat: 30 September 2021",
        "Tanggal pertemuan: Kamis, 30 September 2021",
        "Tanggal: 30/09/2021",
        "Meeting date: 2021-09-30",
        'Meeting date,"Sep 30, 2021, 9:00 AM"',
    ],
)
def test_meet_date_lines_in_indonesian_and_english(tmp_path: Path, line: str) -> None:
    path = write(
        tmp_path,
        f"Kode rapat: xkq-ruwd-pnz\n{line}\n\n"
        "Nama depan,Nama belakang,Email,Durasi,Waktu bergabung,Waktu keluar\n"
        "Nur,Aini,nur.aini@bkn.example,1 jam 50 menit,09.25,11.15\n"
        "Sri,Wahyuni,sri.wahyuni@lan.example,2 jam 14 menit,09.01,11.15\n"
        "Rudi,Hartono,rudi.hartono@bkn.example,40 menit,10.35,11.15\n",
    )
    # The report's own date wins over the one given: another --session is caught as another day.
    report, problems = read_report(path, day=date(2021, 10, 6))
    assert problems == []
    visit = report.visits[0]
    assert (visit.join, visit.leave) == (
        datetime(2021, 9, 30, 9, 25),
        datetime(2021, 9, 30, 11, 15),
    )


def test_meet_indonesian_date_line_fixture() -> None:
    report, problems = read_report(FIXTURES / "meet-sesi-2-tanggal-rapat.csv")
    assert problems == []
    assert [(v.name, v.join) for v in report.visits] == [
        ("Sri Wahyuni", datetime(2021, 9, 30, 9, 1)),
        ("Nur Aini", datetime(2021, 9, 30, 9, 25)),
        ("Rudi Hartono", datetime(2021, 9, 30, 10, 35)),
    ]


def test_google_workspace_meet_export_with_time_in_call() -> None:
    report, problems = read_report(FIXTURES / "meet-sesi-2-time-in-call.csv")
    assert problems == []
    assert report.format == "meet"
    assert report.ignored_columns == []
    rizki = report.visits[3]
    assert (rizki.name, rizki.join, rizki.leave, rizki.minutes) == (
        "Muhammad Rizki Pratama",
        datetime(2021, 9, 30, 9, 25),
        None,
        110,
    )
    assert report.visits[0].join == datetime(2021, 9, 30, 9, 1, 12)
    first_seen, problems = read_report(FIXTURES / "meet-sesi-2-first-seen.csv")
    assert problems == []
    assert (first_seen.visits[1].join, first_seen.visits[1].leave) == (
        datetime(2021, 9, 30, 8, 58),
        datetime(2021, 9, 30, 11, 15),
    )


def test_a_meet_row_shorter_than_its_span_is_a_total() -> None:
    # "First seen"/"Last seen"/"Duration": 40 minutes between 09:01 and 11:15 is a total, not
    # one connection; 2 hr 16 min from 08:58 to 11:15 (137) may be one, rounded.
    report, problems = read_report(FIXTURES / "meet-sesi-2-first-last-seen-short.csv")
    assert problems == []
    got = [(v.name, v.join, v.leave, v.minutes, v.total) for v in report.visits]
    assert got == [
        ("Sri Wahyuni", datetime(2021, 9, 30, 9, 1), datetime(2021, 9, 30, 11, 15), 40, True),
        (
            "I Made Suardana",
            datetime(2021, 9, 30, 8, 58),
            datetime(2021, 9, 30, 11, 15),
            136,
            False,
        ),
    ]
    # One row per connection (time joined, time exited, its duration): intervals, merged.
    classic, _ = read_report(FIXTURES / "meet-sesi-2.csv")
    assert [v.total for v in classic.visits if v.name != "I Made Suardana"] == [False] * 9
    # "Time in Call" with no leave time: a duration, whatever the flag says.
    in_call, _ = read_report(FIXTURES / "meet-sesi-2-time-in-call.csv")
    assert {v.leave for v in in_call.visits} == {None}


def test_a_garbled_meet_time_gets_a_meet_hint(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Full Name,Email,First Seen,Time in Call\n"
        "Nur Aini,nur.aini@bkn.example,kemarin pagi,2 hr 5 min\n",
    )
    _, problems = read_report(path)
    assert [(p.line, p.field) for p in problems] == [(2, "First Seen")]
    assert problems[0].hint and "Zoom" not in problems[0].hint
    assert "Sep 30, 2021, 9:01 AM" in problems[0].hint


def test_a_forms_list_keeps_every_answer_with_its_time() -> None:
    report, problems = read_report(FIXTURES / "forms-daftar-hadir-2-days.csv")
    assert problems == []
    assert report.presence_form
    got = [(m.line, m.nip, m.name, m.answered) for m in report.marks]
    assert got == [
        (2, "198309222012091919", "Ahmad Fauzi", datetime(2021, 9, 29, 8, 55, 12)),
        (3, "198010062002042080", "Wulan Sari", datetime(2021, 9, 29, 9, 2, 40)),
        (4, "199312232016072178", "Siti Rahmawati", datetime(2021, 9, 30, 8, 57, 1)),
        (5, "199008122011031301", "Budi Santoso", datetime(2021, 9, 30, 9, 10, 33)),
        (6, "198010062002042080", "Wulan Sari", datetime(2021, 9, 29, 9, 30)),
    ]


def test_a_forms_list_reads_dates_in_the_sheets_locale(tmp_path: Path) -> None:
    # All days up to 12: an Indonesian header means an Indonesian sheet, day first.
    path = write(tmp_path, "Stempel waktu,NIP\n05/10/2021 9:01:00,198309222012091919\n")
    report, _ = read_report(path)
    assert report.marks[0].answered == datetime(2021, 10, 5, 9, 1)
    # An English one, month first (Google's default); a day over 12 settles it either way.
    path = write(tmp_path, "Timestamp,NIP\n10/5/2021 9:01:00,198309222012091919\n")
    assert read_report(path)[0].marks[0].answered == datetime(2021, 10, 5, 9, 1)
    path = write(
        tmp_path,
        "Timestamp,NIP\n05/10/2021 9:01:00,198309222012091919\n"
        "29/09/2021 9:01:00,198010062002042080\n",
    )
    assert read_report(path)[0].marks[0].answered == datetime(2021, 10, 5, 9, 1)
    path = write(tmp_path, "Stempel waktu,NIP\nbesok,198309222012091919\n,198010062002042080\n")
    _, problems = read_report(path)
    assert [(p.line, p.field) for p in problems] == [(2, "Stempel waktu"), (3, "Stempel waktu")]


def test_a_forms_list_whose_dates_read_either_way_keeps_both_readings(tmp_path: Path) -> None:
    # An English header, so month-first first; day-first is the other reading.
    report, problems = read_report(FIXTURES / "forms-timestamp-id-locale-sesi-3.csv")
    assert problems == []
    assert [m.answered for m in report.marks][:1] == [datetime(2021, 1, 10, 8, 55, 12)]
    readings = report.form_readings
    assert readings is not None
    assert (readings.line, readings.column, readings.value) == (
        2,
        "Timestamp",
        "01/10/2021 8:55:12",
    )
    assert list(readings.marks) == ["mdy", "dmy"]
    assert readings.marks["mdy"] == report.marks
    assert [m.answered for m in readings.marks["dmy"]] == [
        datetime(2021, 10, 1, 8, 55, 12),
        datetime(2021, 10, 1, 9, 2, 40),
        datetime(2021, 10, 1, 8, 57, 1),
    ]
    assert [m.nip for m in readings.marks["dmy"]] == [m.nip for m in report.marks]
    # A day over 12 tells the order, and 10/10 reads the same either way: nothing to choose.
    told = write(tmp_path, "Timestamp,NIP\n29/09/2021 9:01:00,198309222012091919\n")
    assert read_report(told)[0].form_readings is None
    same = write(tmp_path, "Stempel waktu,NIP\n10/10/2021 9:01:00,198309222012091919\n")
    assert read_report(same)[0].form_readings is None


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("29/09/2021 8:55:12", "dmy", datetime(2021, 9, 29, 8, 55, 12)),
        ("9/29/2021 8:55:12", "mdy", datetime(2021, 9, 29, 8, 55, 12)),
        ("29/09/2021 8.55.12", "dmy", datetime(2021, 9, 29, 8, 55, 12)),
        ("2021/09/29 8:55:12 AM GMT+7", "mdy", datetime(2021, 9, 29, 8, 55, 12)),
        ("2021/09/29 1:05:00 PM GMT+7", "dmy", datetime(2021, 9, 29, 13, 5)),
        ("2021-09-29 08:55:12", "dmy", datetime(2021, 9, 29, 8, 55, 12)),
        ("29/09/2021", "dmy", datetime(2021, 9, 29)),
    ],
)
def test_form_timestamps(text: str, order: str, expected: datetime) -> None:
    assert parse_form_timestamp(text, order) == expected


def test_form_date_order() -> None:
    assert form_date_order(["29/09/2021 8:55", "01/10/2021 9:00"]) == "dmy"
    assert form_date_order(["9/29/2021 8:55"]) == "mdy"
    assert form_date_order(["01/10/2021 9:00", "2021-09-29 08:00"]) is None


def test_plain_sheet_english_headers_and_letters(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "No,NIP,Name,Status,Minutes,Note\n"
        "1,198309222012091919,Ahmad,P,,\n"  # P is not a status letter (present is H)
        "2,198010062002042080,Wulan,t,120,came at 09:40\n"
        "3,199312232016072178,Siti,Tanpa Keterangan,,\n"
        "4,199008122011031301,Budi,,,\n",
    )
    report, problems = read_report(path)
    assert report.ignored_columns == []
    assert [(m.nip[-3:], m.status, m.minutes, m.note) for m in report.marks] == [
        ("080", "late", 120.0, "came at 09:40"),
        ("178", "absent", None, ""),
    ]
    assert [(p.line, p.field) for p in problems] == [(2, "Status"), (5, "Status")]


# ----------------------------------------------------------- row problems


def test_garbled_join_time_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
        "Nur Aini,nur.aini@bkn.example,09/29/2021 09:00:00 AM,09/29/2021 12:00:00 PM,180,Yes\n"
        "Sri Wahyuni,,jam sembilan,09/29/2021 12:00:00 PM,180,Yes\n"
        # Day-first is not a Zoom format: 29 is not a month.
        "Budi,,29/09/2021 09:00:00,09/29/2021 12:00:00 PM,180,Yes\n"
        "Dewi,,09/29/2021 10:00:00 AM,09/29/2021 09:00:00 AM,60,Yes\n",
    )
    report, problems = read_report(path)
    assert [(p.file, p.line, p.field) for p in problems] == [
        ("report.csv", 3, "Join Time"),
        ("report.csv", 4, "Join Time"),
        ("report.csv", 5, "Leave Time"),
    ]
    assert "jam sembilan" in problems[0].message
    assert len(report.visits) == 4
    assert report.visits[1].join is None
    assert report.visits[1].leave == datetime(2021, 9, 29, 12)


def test_day_first_dates_that_parse_are_caught_by_the_meeting_date(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants\n"
        "812 3456 7890,Sesi,09/05/2021 08:50:02 AM,09/05/2021 12:06:40 PM,host@lan.example,197,2\n"
        "\n"
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
        "Nur Aini,,05/09/2021 09:00:00 AM,09/05/2021 12:00:00 PM,180,Yes\n",
    )
    _, problems = read_report(path)
    assert [(p.line, p.field) for p in problems] == [(5, "Join Time")]
    assert problems[0].hint and "MM/DD/YYYY" in problems[0].hint


def test_garbled_duration_is_a_problem(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "First name,Last name,Email,Duration,Time joined,Time exited\n"
        "Nur,Aini,nur.aini@bkn.example,lama,2021-09-30 09:00,2021-09-30 10:00\n",
    )
    _, problems = read_report(path)
    assert [(p.line, p.field) for p in problems] == [(2, "Duration")]


# ----------------------------------------------------------- whole-file errors


def test_a_file_that_is_no_report_raises_with_a_hint(tmp_path: Path) -> None:
    path = write(tmp_path, "Kode,Judul,Tanggal\nA1,Pembukaan,2021-09-29\n", "agenda.csv")
    with pytest.raises(InputError) as caught:
        read_report(path)
    assert "agenda.csv" in caught.value.message
    assert caught.value.hint and "--format" in caught.value.hint


def test_a_roster_is_not_an_attendance_report() -> None:
    roster = FIXTURES.parent / "roster" / "peserta-prm-2021-ii.csv"
    with pytest.raises(InputError):
        read_report(roster)


def test_forced_format_that_does_not_fit(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_report(FIXTURES / "meet-sesi-2.csv", format="zoom")
    assert "Zoom" in caught.value.message
    with pytest.raises(InputError):
        read_report(FIXTURES / "meet-sesi-2.csv", format="teams")


def test_forced_format_reads_the_file() -> None:
    report, _ = read_report(FIXTURES / "meet-sesi-2.csv", format="meet")
    assert report.format == "meet"


def test_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        read_report(tmp_path / "nope.csv")
    with pytest.raises(InputError):
        read_report(write(tmp_path, ""))


# ------------------------------------------------------------- cell parsers


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("hadir", "present"), ("HADIR", "present"), ("Present", "present"), ("H", "present"),
        ("terlambat", "late"), ("Late", "late"), ("T", "late"),
        ("izin", "excused"), ("Ijin", "excused"), ("excused", "excused"), ("I", "excused"),
        ("sakit", "sick"), ("Sick", "sick"), ("s", "sick"),
        ("alpa", "absent"), ("Absent", "absent"), ("tanpa  keterangan", "absent"),
        ("TK", "absent"), ("T.K.", "absent"), ("A", "absent"),
    ],
)  # fmt: skip
def test_status_words(word: str, status: str) -> None:
    assert parse_status(word) == status


@pytest.mark.parametrize("word", ["cuti", "", "dinas luar", "X"])
def test_unknown_status_words(word: str) -> None:
    with pytest.raises(ValueError):
        parse_status(word)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("175", 175.0), ("175,5", 175.5), ("2:55:30", 175.5), ("2 hr 55 min", 175.0),
        ("2 jam 5 menit", 125.0), ("58 min", 58.0), ("1 hr", 60.0), ("10 min 30 sec", 10.5),
    ],
)  # fmt: skip
def test_durations(text: str, minutes: float) -> None:
    assert parse_duration(text) == pytest.approx(minutes)


@pytest.mark.parametrize("text", ["", "lama", "2 hours and then some", "12 apples"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


@pytest.mark.parametrize(
    "text", ["29/09/2021 09:00:00", "09/29/2021 13:00 PM", "2021-09-29", "09:00", "yesterday"]
)
def test_not_zoom_times(text: str) -> None:
    with pytest.raises(ValueError):
        parse_time(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sep 30, 2021, 9:01 AM", datetime(2021, 9, 30, 9, 1)),
        ("Sep 30, 2021, 9:01:12 AM", datetime(2021, 9, 30, 9, 1, 12)),
        ("September 30, 2021 at 1:15 PM", datetime(2021, 9, 30, 13, 15)),
        ("30 Sep 2021, 09.01", datetime(2021, 9, 30, 9, 1)),
        ("30 Okt 2021 13:05", datetime(2021, 10, 30, 13, 5)),
    ],
)
def test_times_with_a_month_name(text: str, expected: datetime) -> None:
    assert parse_time(text) == expected


def test_time_of_day() -> None:
    assert parse_time_of_day("09:03").hour == 9
    assert parse_time_of_day("9:03 PM").hour == 21
    assert parse_time_of_day("12:10 AM").hour == 0
    with pytest.raises(ValueError):
        parse_time_of_day("25:00")


# ---------------------------------------------------------------- properties

SESSION_START = datetime(2021, 9, 29, 9, 0)
SESSION_END = datetime(2021, 9, 29, 12, 0)
SESSION_MINUTES = 180.0


@st.composite
def intervals(draw: st.DrawFn) -> tuple[datetime, datetime]:
    # Seconds from 08:00 to 13:00 so that clipping on both sides is exercised.
    a = draw(st.integers(min_value=0, max_value=5 * 3600))
    length = draw(st.integers(min_value=0, max_value=4 * 3600))
    base = datetime(2021, 9, 29, 8, 0)
    return base + timedelta(seconds=a), base + timedelta(seconds=a + length)


def _clipped(interval: tuple[datetime, datetime]) -> float:
    a, b = max(interval[0], SESSION_START), min(interval[1], SESSION_END)
    return max((b - a).total_seconds() / 60, 0.0)


@given(st.lists(intervals(), max_size=8))
def test_merge_minutes_bounds(spans: list[tuple[datetime, datetime]]) -> None:
    total = merge_minutes(spans, SESSION_START, SESSION_END)
    assert 0 <= total <= SESSION_MINUTES
    assert total >= max((_clipped(s) for s in spans), default=0.0) - 1e-9
    assert total <= sum(_clipped(s) for s in spans) + 1e-9


@given(st.lists(intervals(), max_size=8), st.randoms(use_true_random=False))
def test_merge_minutes_ignores_order_and_duplicates(
    spans: list[tuple[datetime, datetime]], rng: object
) -> None:
    shuffled = spans * 2
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    assert merge_minutes(shuffled, SESSION_START, SESSION_END) == merge_minutes(
        spans, SESSION_START, SESSION_END
    )


@given(st.lists(st.integers(min_value=1, max_value=20), min_size=1, max_size=8))
def test_merge_minutes_of_disjoint_inside_intervals_is_the_sum(lengths: list[int]) -> None:
    # Place intervals of the given lengths one after another with a gap of one minute.
    spans, cursor = [], SESSION_START
    for length in lengths:
        spans.append((cursor, cursor + timedelta(minutes=length)))
        cursor += timedelta(minutes=length + 1)
    assert merge_minutes(spans, SESSION_START, SESSION_END) == pytest.approx(sum(lengths))


def _ampm(moment: datetime) -> str:
    hour = moment.hour % 12 or 12
    meridiem = "AM" if moment.hour < 12 else "PM"
    return f"{moment:%m/%d/%Y} {hour:02d}:{moment:%M:%S} {meridiem}"


_FORMATTERS: list[tuple[str, Callable[[datetime], str], bool]] = [
    # (name, formatter, keeps seconds)
    ("MM/DD/YYYY hh:mm:ss AM/PM", _ampm, True),
    ("MM/DD/YYYY HH:MM:SS", lambda m: m.strftime("%m/%d/%Y %H:%M:%S"), True),
    ("MM/DD/YYYY HH:MM", lambda m: m.strftime("%m/%d/%Y %H:%M"), False),
    ("YYYY-MM-DD HH:MM:SS", lambda m: m.strftime("%Y-%m-%d %H:%M:%S"), True),
    ("YYYY-MM-DD HH:MM", lambda m: m.strftime("%Y-%m-%d %H:%M"), False),
    ("ISO with T", lambda m: m.isoformat(timespec="seconds"), True),
]


@pytest.mark.parametrize(
    ("name", "formatter", "seconds"), _FORMATTERS, ids=[f[0] for f in _FORMATTERS]
)
@given(
    moment=st.datetimes(
        min_value=datetime(1990, 1, 1), max_value=datetime(2099, 12, 31, 23, 59, 59)
    ).map(lambda m: m.replace(microsecond=0))
)
def test_time_formats_round_trip(
    name: str, formatter: Callable[[datetime], str], seconds: bool, moment: datetime
) -> None:
    expected = moment if seconds else moment.replace(second=0)
    assert parse_time(formatter(moment)) == expected
