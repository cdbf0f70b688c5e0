"""Teams attendance lists (old and new) and Moodle Attendance exports -> visits and marks.

The expected intervals and statuses are read off the timelines written by hand in
fixtures/attendance/make_teams_moodle.py, not computed by the code under test.
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from revmental_cli.errors import InputError, RevmentalError
from revmental_cli.importers.moodle import (
    looks_like_moodle,
    parse_moodle,
    read_moodle,
    session_title_time,
)
from revmental_cli.importers.teams import (
    TeamsReport,
    decode_text,
    is_organizer,
    looks_like_teams,
    looks_like_teams_v1,
    looks_like_teams_v2,
    parse_teams,
    parse_teams_v1,
    parse_teams_v2,
    read_teams,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "attendance"
DAY1 = "2021-09-29"


def at(day: str, hms: str) -> datetime:
    return datetime.fromisoformat(f"{day} {hms}")


def spans(report: TeamsReport) -> dict[str, list[tuple[datetime | None, datetime | None]]]:
    found: dict[str, list[tuple[datetime | None, datetime | None]]] = {}
    for visit in report.visits:
        found.setdefault(visit.name, []).append((visit.join, visit.leave))
    return {name: sorted(found[name], key=lambda s: s[0] or datetime.min) for name in found}


def text_of(name: str) -> str:
    return decode_text((FIXTURES / name).read_bytes(), name)


# ------------------------------------------------------------- old Teams list

# Session 1: the list was downloaded at 12:02:00 (its last time) with three people still in.
V1_EXPECTED = {
    "Dr. Bambang Wicaksono, S.Sos., M.AP.": [("08:50:02", "12:02:00")],  # still in
    "Dr. Ir. H. Ahmad Fauzi, M.Si.": [("08:50:02", "12:01:15")],  # Joined before
    "Wulan Sari, S.Sos.": [("08:55:40", "10:02:11"), ("10:05:30", "12:00:45")],
    "Hj. Siti Rahmawati, S.E., M.M.": [("08:57:03", "12:02:00")],
    "I Made Suardana, S.Sos.": [("08:58:20", "12:02:00")],  # still in
    "Muhammad Rizki Pratama, S.IP.": [("08:59:30", "12:02:00")],  # still in
    "Nur Aini, S.Pd., M.Pd.": [("09:00:05", "12:00:00")],  # two devices: one stretch
    "Sri Wahyuni, A.Md.": [("09:01:10", "09:45:00"), ("09:46:12", "12:01:00")],
    "Budi Santoso, S.Kom., M.Kom.": [("09:20:15", "12:00:30")],
}


def expected(day: str, table: dict[str, list[tuple[str, str]]]) -> dict[str, list[tuple]]:
    return {name: [(at(day, a), at(day, b)) for a, b in pairs] for name, pairs in table.items()}


@pytest.mark.parametrize(
    ("name", "order"),
    [("teams-v1-sesi-1.csv", "mdy"), ("teams-v1-sesi-1-resaved.csv", "dmy")],
)
def test_old_list_intervals(name: str, order: str) -> None:
    report, problems = read_teams(FIXTURES / name)
    assert problems == []
    assert (report.format, report.layout, report.source) == ("teams", "v1", name)
    assert report.header_line == 1
    assert report.date_order == order
    assert spans(report) == expected(DAY1, V1_EXPECTED)
    # Names only in the old list: no e-mail, no role, no meeting block.
    assert all(v.email == "" and v.role == "" and not v.total for v in report.visits)
    assert report.meeting_start is None and report.host_email == ""
    sri = [v for v in report.visits if v.name.startswith("Sri")]
    assert [v.line for v in sri] == [9, 13]  # the line of each join
    assert sri[0].minutes == pytest.approx(43 + 50 / 60)
    [note] = report.notes
    assert "3 participant(s) have no Left" in note
    assert "I Made Suardana, S.Sos." in note and "2021-09-29 12:02:00" in note


def test_old_list_dates_read_by_the_session_date() -> None:
    # Every date is 01/10/2021: 1 October day-first, 10 January month-first.
    with pytest.raises(InputError) as caught:
        read_teams(FIXTURES / "teams-v1-sesi-3-ambiguous.csv")
    assert "line 2: Timestamp:" in caught.value.message
    assert "2021-10-01 day-first or 2021-01-10 month-first" in caught.value.message
    assert caught.value.hint and "--session N" in caught.value.hint

    report, problems = read_teams(FIXTURES / "teams-v1-sesi-3-ambiguous.csv", day=date(2021, 10, 1))
    assert problems == []
    assert report.date_order == "dmy"
    assert spans(report)["Dewi Lestari, S.Kom."] == [
        (at("2021-10-01", "09:03:30"), at("2021-10-01", "11:15:40"))
    ]
    assert any("day-first" in note and "2021-10-01" in note for note in report.notes)

    january, _ = read_teams(FIXTURES / "teams-v1-sesi-3-ambiguous.csv", day=date(2021, 1, 10))
    assert january.date_order == "mdy"
    assert january.visits[0].join == at("2021-01-10", "08:54:11")

    with pytest.raises(InputError, match="reads as"):  # a session on neither date
        read_teams(FIXTURES / "teams-v1-sesi-3-ambiguous.csv", day=date(2021, 10, 6))


def test_old_list_consistency_tells_the_order() -> None:
    # 11/12 and 12/12 are a day apart read day-first, a month apart month-first.
    text = (
        "Full Name\tUser Action\tTimestamp\n"
        "Wulan Sari\tJoined\t11/12/2020 23:50:00\n"
        "Wulan Sari\tLeft\t12/12/2020 00:20:00\n"
    )
    report, problems = parse_teams_v1(text, "malam.csv")
    assert problems == []
    assert report.date_order == "dmy"
    assert spans(report)["Wulan Sari"] == [
        (at("2020-12-11", "23:50:00"), at("2020-12-12", "00:20:00"))
    ]


def test_old_list_dotted_dates_and_semicolons_and_orphan_leave() -> None:
    text = (
        "Full Name;User Action;Timestamp\n"
        "Nur Aini;Left;11.12.2020 08:30:00\n"  # was in before the list began
        "Budi Santoso;Joined;11.12.2020 08:01:35\n"
        "Budi Santoso;Left;11.12.2020 09:00:00\n"
    )
    report, problems = parse_teams(text, "titik.csv")
    assert problems == []
    assert report.date_order == "dmy"
    assert spans(report) == {
        "Nur Aini": [(at("2020-12-11", "08:01:35"), at("2020-12-11", "08:30:00"))],
        "Budi Santoso": [(at("2020-12-11", "08:01:35"), at("2020-12-11", "09:00:00"))],
    }
    assert any("Left without joining first" in note for note in report.notes)


def test_old_list_us_twelve_hour_without_comma() -> None:
    text = "Full Name,User Action,Timestamp\nAgus Salim,Joined,12/11/2020 8:01:35 AM\n"
    text += "Agus Salim,Left,12/11/2020 1:05:00 PM\n"
    report, _ = parse_teams_v1(text, "us.csv", day=date(2020, 12, 11))
    assert spans(report)["Agus Salim"] == [
        (at("2020-12-11", "08:01:35"), at("2020-12-11", "13:05:00"))
    ]


# ------------------------------------------------------------- new Teams report

DAY2 = "2021-09-30"
V2_EXPECTED = {
    "Dr. Bambang Wicaksono, S.Sos., M.AP.": [("08:52:40", "11:20:05")],
    "Rina Kartikasari, S.Psi., M.Psi.": [("08:55:00", "10:00:00")],
    "Dr. Ir. H. Ahmad Fauzi, M.Si.": [("08:58:10", "11:15:30")],
    "Wulan Sari, S.Sos.": [("09:01:00", "09:40:12"), ("09:42:30", "11:15:10")],
    "Dewi Lestari, S.Kom.": [("09:25:00", "11:15:00")],
    "Putu Ayu Wulandari, S.E.": [("09:10:00", "09:10:30"), ("09:11:00", "11:15:00")],
    "Budi Santoso, S.Kom., M.Kom.": [("09:00:30", "09:45:40")],
    "Hendra Gunawan": [("09:00:00", "10:00:00")],
}


def test_new_report_reads_the_activities() -> None:
    report, problems = read_teams(FIXTURES / "teams-v2-sesi-2.csv")
    assert problems == []
    assert (report.format, report.layout) == ("teams", "v2")
    assert report.topic == "Pelatihan Revolusi Mental Angkatan II - Sesi 2"
    assert report.meeting_start == at(DAY2, "08:52:40")
    assert report.meeting_end == at(DAY2, "11:20:05")
    assert report.date_order == "mdy"  # 9/30/21
    assert report.header_line == 21  # the activities' header
    assert spans(report) == expected(DAY2, V2_EXPECTED)
    assert report.notes == []
    by_name = {v.name: v for v in report.visits}
    assert by_name["Dr. Bambang Wicaksono, S.Sos., M.AP."].role == "organizer"
    assert is_organizer(by_name["Dr. Bambang Wicaksono, S.Sos., M.AP."])
    assert by_name["Rina Kartikasari, S.Psi., M.Psi."].role == "presenter"
    assert not is_organizer(by_name["Rina Kartikasari, S.Psi., M.Psi."])
    assert by_name["Dewi Lestari, S.Kom."].role == "attendee"
    assert by_name["Dewi Lestari, S.Kom."].email == "dewi.lestari@kemendagri.example"
    assert by_name["Hendra Gunawan"].email == ""
    assert report.host_email == "bambang.wicaksono@lan.example"
    assert report.organizers == ["Dr. Bambang Wicaksono, S.Sos., M.AP."]
    ayu = [v for v in report.visits if v.name.startswith("Putu")]
    assert [v.minutes for v in ayu] == [0.5, 124]  # "30s", "2h 4m 0s"
    assert not any(v.total for v in report.visits)


def test_new_report_without_activities_reads_the_participants() -> None:
    report, problems = read_teams(FIXTURES / "teams-v2-sesi-8-no-activities.csv")
    day = "2021-10-13"
    assert problems == []
    assert report.date_order == "dmy"  # 13/10/2021
    assert report.meeting_start == at(day, "12:50:20")
    assert report.header_line == 10
    by_name = {v.name: v for v in report.visits}
    sri = by_name["Sri Wahyuni, A.Md."]
    # 12:55-13:30 and 13:40-15:15:30: first join, last leave, and the 2h 10m 30s in the call.
    assert (sri.join, sri.leave) == (at(day, "12:55:00"), at(day, "15:15:30"))
    assert sri.minutes == pytest.approx(130.5)
    assert sri.total
    made = by_name["I Made Suardana, S.Sos."]
    assert (made.minutes, made.total) == (pytest.approx(137.25), False)
    assert by_name["Nur Aini, S.Pd., M.Pd."].minutes == pytest.approx(45 + 10 / 60)
    assert report.host_email == "bambang.wicaksono@lan.example"
    [note] = report.notes
    assert "no In-Meeting Activities section" in note


def test_new_report_day_first_ambiguous_resolved_by_session() -> None:
    text = (
        "1. Summary\nMeeting title\tSesi 3\nStart time\t01/10/2021 08:54:11\n"
        "End time\t01/10/2021 11:16:00\n\n3. In-Meeting Activities\n"
        "Name\tJoin Time\tLeave Time\tDuration\tEmail\tRole\n"
        "Ahmad Fauzi\t01/10/2021 08:58:00\t01/10/2021 11:15:20\t2h 17m 20s\ta@x.example\tAttendee\n"
    )
    with pytest.raises(InputError) as caught:
        parse_teams_v2(text, "s3.csv")
    assert "line 3: Start time:" in caught.value.message
    report, problems = parse_teams_v2(text, "s3.csv", day=date(2021, 10, 1))
    assert problems == []
    assert report.meeting_start == at("2021-10-01", "08:54:11")


@pytest.mark.parametrize(
    ("text", "leave", "note"),
    [
        pytest.param(
            "1. Summary\nEnd time\t2021-09-30 11:20:05\n\n3. In-Meeting Activities\n"
            "Name\tJoin Time\tLeave Time\tDuration\tEmail\tRole\n"
            "Sri\t2021-09-30 09:00:00\t\t\tsri@x.example\tAttendee\n",
            "11:20:05",
            "no leave time (Sri)",
            id="still-in-the-meeting",
        ),
        pytest.param(
            "2. Participants\nName\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tRole\n"
            "Sri\t2021-09-30 09:00\t2021-09-30 10:00\t1h\ts@x.example\tAttendee\n"
            "3. In-Meeting Activities\nName\tJoin Time\tLeave Time\tDuration\tEmail\tRole\n",
            "10:00:00",
            "no In-Meeting Activities",
            id="empty-activities-fall-back-to-the-participants",
        ),
    ],
)
def test_new_report_gaps_filled_and_noted(text: str, leave: str, note: str) -> None:
    """A leave time the report leaves out (still in the meeting: the meeting's end; no
    activities: the participants table) is filled in and said in a note."""
    report, problems = parse_teams_v2(text, "s.csv")
    assert problems == []
    assert spans(report) == {"Sri": [(at(DAY2, "09:00:00"), at(DAY2, leave))]}
    assert any(note in said for said in report.notes)


def test_the_2021_layout_one_row_per_person() -> None:
    # Between the old list and the numbered sections: a summary, then one row per person
    # with the first join, the last leave and the time in the meeting.
    text = (
        "Meeting Summary\n"
        "Total Number of Participants\t2\n"
        "Meeting Title\tSesi 5\n"
        "Meeting Start Time\t10/6/2021, 8:49:30 AM\n"
        "Meeting End Time\t10/6/2021, 11:16:00 AM\n\n"
        "Full Name\tJoin Time\tLeave Time\tDuration\tEmail\tRole\tParticipant ID (UPN)\n"
        "Dr. Bambang Wicaksono\t10/6/2021, 8:49:30 AM\t10/6/2021, 11:16:00 AM\t2h 26m 30s"
        "\t\tOrganizer\tbambang.wicaksono@lan.example\n"
        "Agus Salim\t10/6/2021, 9:00:00 AM\t10/6/2021, 11:15:00 AM\t1h 15m\tagus@x.example"
        "\tAttendee\tagus@x.example\n"
    )
    assert looks_like_teams_v2(text) and not looks_like_teams_v1(text)
    report, problems = parse_teams(text, "2021.csv", day=date(2021, 10, 6))
    assert problems == []
    assert report.topic == "Sesi 5"
    assert report.meeting_start == at("2021-10-06", "08:49:30")
    agus = report.visits[1]
    assert (agus.minutes, agus.total) == (75, True)  # 75 minutes of a 135-minute span
    # The UPN stands in for an empty e-mail.
    assert report.host_email == "bambang.wicaksono@lan.example"


# ------------------------------------------------------------- malformed Teams


def test_missing_column_names_the_header_line() -> None:
    text = "Daftar hadir\nFull Name\tUser Action\nBudi\tJoined\n"
    with pytest.raises(InputError) as caught:
        parse_teams_v1(text, "x.csv")
    assert caught.value.message == "x.csv: line 2: no Timestamp column"


def test_bad_timestamp_and_action_are_row_problems() -> None:
    text = (
        "Full Name\tUser Action\tTimestamp\n"
        "Budi\tJoined\t9/29/2021, 8:50:02 AM\n"
        "Budi\tLeft\t9/29/2021, 25:61 PM\n"
        "Sri\tWaved\t9/29/2021, 9:00:00 AM\n"
    )
    report, problems = parse_teams_v1(text, "x.csv")
    assert [(p.file, p.line, p.field) for p in problems] == [
        ("x.csv", 3, "Timestamp"),
        ("x.csv", 4, "User Action"),
    ]
    assert "25:61" in problems[0].message and problems[0].hint
    # The row with the bad time is not read: Budi is taken as still in.
    assert report.visits[0].name == "Budi"


def test_empty_lists_are_refused_with_the_line() -> None:
    with pytest.raises(InputError, match=r"no participant rows under the header \(line 2\)"):
        parse_teams_v1("\nFull Name\tUser Action\tTimestamp\n", "empty.csv")
    with pytest.raises(InputError, match="empty"):
        parse_teams_v1("", "empty.csv")
    header_only = "1. Summary\nMeeting title\tX\n2. Participants\n"
    header_only += "Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tRole\n"
    with pytest.raises(InputError, match=r"\(line 4\)"):
        parse_teams_v2(header_only, "empty.csv")
    with pytest.raises(InputError, match="without its Participants"):
        parse_teams_v2("1. Summary\nMeeting title\tX\n", "summary.csv")


def test_new_report_row_problems() -> None:
    text = (
        "2. Participants\nName\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tRole\n"
        "Budi\t2021-09-30 09:00\t2021-09-30 08:00\t1h\tb@x.example\tAttendee\n"
        "Sri\t2021-09-30 09:00\t2021-09-30 10:00\tlama\ts@x.example\tAttendee\n"
        "\t2021-09-30 09:00\t2021-09-30 10:00\t1h\t\tAttendee\n"
    )
    report, problems = parse_teams_v2(text, "p.csv")
    assert [(p.line, p.field) for p in problems] == [
        (3, "Last Leave"),
        (4, "In-Meeting Duration"),
        (5, "Name"),
    ]
    assert [v.name for v in report.visits] == ["Sri"]


def test_decode_refuses_what_is_not_text() -> None:
    with pytest.raises(InputError, match="zip file"):
        decode_text(b"PK\x03\x04rest", "a.csv")
    with pytest.raises(InputError, match="NUL"):
        decode_text(b"Full Name\x00\x01\x02,x\n", "a.csv")
    assert decode_text("Nama\n".encode("utf-16"), "a.csv") == "Nama\n"
    assert decode_text("Tanggal\u00e9\n".encode("cp1252"), "a.csv") == "Tanggal\u00e9\n"


# ---------------------------------------------------------------- Moodle


def test_moodle_csv_export() -> None:
    export, problems = read_moodle(FIXTURES / "moodle-prm-2021-ii-sesi-1-3.csv")
    assert problems == []
    assert export.format == "moodle"
    assert export.course == "Pelatihan Revolusi Mental Angkatan II 2021 (PRM-2021-II)"
    assert export.group == "All participants"
    assert export.header_line == 4
    assert export.ignored_columns == []
    assert [(s.day, s.starts, s.description) for s in export.sessions] == [
        (date(2021, 9, 29), at("2021-09-29", "09:00"), "All students"),
        (date(2021, 9, 30), at("2021-09-30", "09:00"), "All students"),
        (date(2021, 10, 1), at("2021-10-01", "09:00"), "All students"),
    ]
    statuses = [{m.email: m.status for m in s.marks} for s in export.sessions]
    assert statuses[1] == {
        "ahmad.fauzi@lan.example": "present",
        "wulan.sari@bkn.example": "late",
        "siti.rahmawati@jabarprov.example": "present",
        "budi.santoso@bandung.example": "present",
        "dewi.lestari@kemendagri.example": "late",
        "sri.wahyuni@lan.example": "absent",
    }
    assert statuses[0]["siti.rahmawati@jabarprov.example"] == "excused"
    # Session 3: "?" and an empty cell are no mark.
    assert statuses[2]["dewi.lestari@kemendagri.example"] is None
    assert statuses[2]["sri.wahyuni@lan.example"] is None
    fauzi = export.sessions[0].marks[0]
    assert (fauzi.line, fauzi.nip, fauzi.name) == (5, "198309222012091919", "Ahmad Fauzi")
    sri = export.sessions[0].marks[-1]
    assert (sri.id_number, sri.nip, sri.email) == ("", "", "sri.wahyuni@lan.example")

    session = export.session_for(at("2021-09-30", "09:00"))
    assert session is export.sessions[1]
    assert export.session_for(date(2021, 10, 6)) is None
    report, others = export.report(export.sessions[2])
    assert report.format == "csv"
    assert [(m.nip, m.status) for m in report.marks] == [
        ("198309222012091919", "present"),
        ("198010062002042080", "present"),
        ("199312232016072178", "absent"),
        ("199008122011031301", "present"),
    ]
    _, others = export.report(export.sessions[0])
    assert [(m.email, m.status) for m in others] == [("sri.wahyuni@lan.example", "absent")]


def test_moodle_xlsx_indonesian_letters_and_remarks() -> None:
    export, problems = read_moodle(FIXTURES / "moodle-prm-2021-ii-id.xlsx")
    assert problems == []
    assert (export.course, export.group) == (
        "Pelatihan Revolusi Mental Angkatan II 2021 (PRM-2021-II)",
        "Angkatan II",
    )
    first, second = export.sessions
    assert (first.day, first.starts, first.description) == (
        date(2021, 10, 6),
        at("2021-10-06", "09:00"),
        "Angkatan II",
    )
    assert [(m.name, m.status, m.remark) for m in first.marks] == [
        ("Ahmad Fauzi", "present", ""),
        ("Nur Aini", "sick", "surat dokter"),
        ("I Made Suardana", "excused", "tugas kantor"),
        ("Muhammad Rizki Pratama", "late", ""),
    ]
    assert [m.status for m in second.marks] == ["present", "late", "absent", "present"]
    assert second.marks[1].remark == "terlambat 20 menit"
    assert first.marks[2].nip == "198502202007111365"


MOODLE_TEXT = (
    "Course;Latsar\n"
    "ID number;Last name;First name;{s1};{s2};Taken sessions;Points;Percentage\n"
    "198309222012091919;Fauzi;Ahmad;{a};P;2;4 / 4;100%\n"
)


def test_moodle_titles_and_site_letters() -> None:
    text = MOODLE_TEXT.format(s1="01.10.21 09:00", s2="Fri 8 Oct 2021 1:30PM Kelas A", a="X")
    export, problems = parse_moodle(text, "m.csv", acronyms={"X": "hadir"})
    assert problems == []
    assert [(s.starts, s.description) for s in export.sessions] == [
        (at("2021-10-01", "09:00"), ""),
        (at("2021-10-08", "13:30"), "Kelas A"),
    ]
    assert export.sessions[0].marks[0].status == "present"

    unknown, problems = parse_moodle(text, "m.csv")
    assert [(p.line, p.field) for p in problems] == [(3, "01.10.21 09:00")]
    assert "unknown status 'X'" in problems[0].message
    assert unknown.sessions[0].marks == []
    assert any("X (1x)" in note for note in unknown.notes)
    with pytest.raises(InputError, match="unknown meaning"):
        parse_moodle(text, "m.csv", acronyms={"X": "kadang"})


def test_moodle_month_first_titles() -> None:
    # 10/13/21 can only be month-first: the export's other titles are read so too.
    text = MOODLE_TEXT.format(s1="10/01/21 09:00", s2="10/13/21 09:00", a="P")
    export, _ = parse_moodle(text, "m.csv")
    assert [s.day for s in export.sessions] == [date(2021, 10, 1), date(2021, 10, 13)]
    assert session_title_time("1 Okt 2021 09.00 Semua siswa")[1] == at("2021-10-01", "09:00")
    assert session_title_time("2021-10-01 09:00")[0] == date(2021, 10, 1)
    assert session_title_time("Oct 1, 2021 9AM") == (
        date(2021, 10, 1),
        at("2021-10-01", "09:00"),
        "",
    )
    with pytest.raises(ValueError):
        session_title_time("Taken sessions")


def test_moodle_malformed() -> None:
    with pytest.raises(InputError, match="does not look like a Moodle"):
        parse_moodle("ID number;Last name;First name;Points\n1;a;b;2\n", "m.csv")
    with pytest.raises(InputError, match=r"no participant rows under the header \(line 2\)"):
        parse_moodle(
            MOODLE_TEXT.format(s1="01.10.21 09:00", s2="x", a="P").rsplit("\n", 2)[0], "m.csv"
        )
    with pytest.raises(InputError, match="empty"):
        parse_moodle("\n\n", "m.csv")
    bad_nip = MOODLE_TEXT.format(s1="01.10.21 09:00", s2="x", a="P").replace(
        "198309222012091919", "1.98309E+17"
    )
    export, problems = parse_moodle(bad_nip, "m.csv")
    assert [(p.line, p.field) for p in problems] == [(3, "ID number")]
    assert export.ignored_columns == ["x"]
    nobody = MOODLE_TEXT.format(s1="01.10.21 09:00", s2="x", a="P") + ";;;P;;;;\n"
    _, problems = parse_moodle(nobody, "m.csv")
    assert [(p.line, p.field) for p in problems] == [(4, "ID number")]


# ---------------------------------------------------------------- detection

OURS = {
    "teams-v1-sesi-1.csv": "v1",
    "teams-v1-sesi-1-resaved.csv": "v1",
    "teams-v1-sesi-3-ambiguous.csv": "v1",
    "teams-v2-sesi-2.csv": "v2",
    "teams-v2-sesi-8-no-activities.csv": "v2",
    "moodle-prm-2021-ii-sesi-1-3.csv": "moodle",
}
DETECTORS = {"v1": looks_like_teams_v1, "v2": looks_like_teams_v2, "moodle": looks_like_moodle}


@pytest.mark.parametrize("name", sorted(OURS))
def test_each_detector_knows_its_own_format_only(name: str) -> None:
    text = text_of(name)
    assert {kind for kind, detect in DETECTORS.items() if detect(text)} == {OURS[name]}
    # The first lines are enough (a caller may pass only those).
    assert DETECTORS[OURS[name]](text.splitlines(keepends=True)[:40])
    assert looks_like_teams(text) == (OURS[name] != "moodle")


OTHERS = sorted(
    p.name for p in FIXTURES.glob("*.csv") if not p.name.startswith(("teams-", "moodle-"))
)


@pytest.mark.parametrize("name", OTHERS)
def test_detectors_say_no_to_zoom_meet_and_sheets(name: str) -> None:
    assert OTHERS  # the Zoom, Meet, Forms and manual fixtures
    text = text_of(name)
    assert not any(detect(text) for detect in DETECTORS.values()), name


# ---------------------------------------------------------------- fuzz

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def pipeline(data: bytes) -> None:
    try:
        text = decode_text(data, "f.csv")
        for detect in (*DETECTORS.values(), looks_like_teams):
            detect(text)
        parse_teams(text, "f.csv", day=date(2021, 9, 29))
    except RevmentalError:
        pass
    with contextlib.suppress(RevmentalError):
        parse_moodle(decode_text(data, "f.csv"), "f.csv")


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes_raise_only_our_errors(data: bytes) -> None:
    pipeline(data)


SEEDS = [text_of(name) for name in sorted(OURS)]


@FUZZ
@given(
    st.sampled_from(range(len(SEEDS))),
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=10_000),
            st.integers(min_value=0, max_value=6),
            st.sampled_from(
                ["", "\t", ",", ";", "\n", '"', "/", ":", "1", "13", "AM", "Left", "\x00", "é"]
            ),
        ),
        max_size=6,
    ),
)
def test_mutated_fixtures_raise_only_our_errors(
    seed: int, edits: list[tuple[int, int, str]]
) -> None:
    text = SEEDS[seed]
    for where, cut, insert in edits:
        where %= len(text) + 1
        text = text[:where] + insert + text[where + cut :]
    for encoded in (text.encode("utf-8"), b"\xff\xfe" + text.encode("utf-16-le")):
        pipeline(encoded)
