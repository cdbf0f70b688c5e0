"""`attendance import` of Teams lists, Moodle exports, refused files, unique-users totals and
nicknames, through the real commands on PRM-2021-II with the canonical roster imported.

The expected statuses and minutes are read off the timelines written by hand in
fixtures/attendance/make_teams_moodle.py and the fixtures themselves, not computed by the code
under test. Reports derived from a fixture are written in the test's temporary folder.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, RunCli

# Every test starts from PRM-2021-II with the canonical roster imported (conftest's enrolled).
pytestmark = [pytest.mark.both_backends, pytest.mark.usefixtures("enrolled")]

ATT = FIXTURES / "attendance"
TEAMS_V1_1 = ATT / "teams-v1-sesi-1.csv"
TEAMS_V1_3_AMBIGUOUS = ATT / "teams-v1-sesi-3-ambiguous.csv"
TEAMS_V2_2 = ATT / "teams-v2-sesi-2.csv"
MOODLE_1_3 = ATT / "moodle-prm-2021-ii-sesi-1-3.csv"
MEET_2 = ATT / "meet-sesi-2.csv"
ZOOM_1_UNIQUE = ATT / "zoom-sesi-1-unique.csv"
NICKNAMES_1 = ATT / "zoom-sesi-1-nicknames.csv"
ORGANIZER = "Dr. Bambang Wicaksono, S.Sos., M.AP."

# NIPs of the canonical roster, by NDH.
NIP = {
    1: "198309222012091919",
    2: "198010062002042080",
    3: "199312232016072178",
    4: "199008122011031301",
    5: "199408022017112466",
    7: "199310152019112298",
    10: "199011182016101195",
    11: "199611202019062784",
    12: "198502202007111365",
    19: "199407112019032372",
}


def by_ndh(data: dict[str, Any]) -> dict[int, tuple[str, float | None]]:
    return {p["ndh"]: (p["status"], p["minutes"]) for p in data["participants"]}


def shown(cli: RunCli, session: int) -> dict[str, tuple[str, float | None, str]]:
    """What `attendance show` has recorded for the session, by NIP."""
    run = cli("attendance", "show", "--session", str(session), "--json")
    assert run.exit_code == 0, run.stderr
    return {r["nip"]: (r["status"], r["minutes"], r["source"]) for r in run.json()}


def suggested(stderr: str) -> list[str]:
    """The command a refusal's hint suggests, as arguments to `revmental`."""
    found = re.search(r"`revmental (attendance import [^`]+)`", stderr)
    assert found, stderr
    return shlex.split(found[1])


# --- Teams --------------------------------------------------------------------------------------


def test_old_teams_list_downloaded_during_the_meeting(cli: RunCli) -> None:
    run = cli("attendance", "import", str(TEAMS_V1_1), "--json")
    assert run.exit_code == 0, run.stderr
    data = run.json()
    assert (data["session"], data["format"]) == (1, "teams")
    # Still in the meeting when the list was downloaded at 12:02: counted to the session's end.
    assert "3 participant(s) have no Left after their last join" in run.stderr
    assert "I Made Suardana, S.Sos." in run.stderr and "12:02:00" in run.stderr
    got = by_ndh(data)
    assert got[12] == ("present", 180)  # joined 08:58:20, no Left
    assert got[4] == ("late", 159.75)  # 09:20:15 to 12:00:30
    assert got[2] == ("present", 176.68)  # left 10:02:11, back 10:05:30 to 12:00:45
    assert got[5] == ("absent", 0)
    recorded = shown(cli, 1)
    assert recorded[NIP[12]] == ("present", 180, "import")
    assert recorded[NIP[4]] == ("late", 159.75, "import")


def test_new_teams_report_sets_the_organizer_apart(cli: RunCli) -> None:
    run = cli("attendance", "import", str(TEAMS_V2_2), "--json")
    assert run.exit_code == 0, run.stderr
    data = run.json()
    assert data["session"] == 2  # from the summary's start time, 9/30/21 8:52:40 AM
    assert data["host"] == [ORGANIZER]
    assert ORGANIZER not in [u["name"] for u in data["unmatched"]]
    got = by_ndh(data)
    assert got[1] == ("present", 135)  # 08:58:10 to 11:15:30, within 09:00-11:15
    assert got[7] == ("late", 110)  # joined 09:25
    assert got[4] == ("absent", 45.17)  # 09:00:30 to 09:45:40
    recorded = shown(cli, 2)
    assert recorded[NIP[7]] == ("late", 110, "import")
    assert recorded[NIP[1]][:2] == ("present", 135)


def test_teams_joining_at_the_start_is_no_proof_of_hosting(cli: RunCli, tmp_path: Path) -> None:
    # The organizer demoted to an attendee: Teams's start time is their first join, and yet
    # they are an unmatched row, not the host (Zoom's rule does not apply to Teams).
    text = TEAMS_V2_2.read_bytes().decode("utf-16").replace("Organizer", "Attendee")
    report = tmp_path / "teams-v2-sesi-2-no-organizer.csv"
    report.write_bytes(text.encode("utf-16"))
    run = cli("attendance", "import", str(report), "--json", "--dry-run")
    assert run.exit_code == 0, run.stderr
    data = run.json()
    assert data["host"] == []
    assert ORGANIZER in [u["name"] for u in data["unmatched"]]


def test_teams_dates_that_read_either_way(cli: RunCli) -> None:
    # 01/10/2021 is 1 October (session 3) day-first, 10 January month-first (no session).
    named = cli("attendance", "import", str(TEAMS_V1_3_AMBIGUOUS), "--session", "3", "--json")
    assert named.exit_code == 0, named.stderr
    assert named.json()["session"] == 3
    assert "read day-first as that falls on the session's date, 2021-10-01" in named.stderr
    # Without --session, the schedule decides: only session 3's date fits a reading.
    found = cli("attendance", "import", str(TEAMS_V1_3_AMBIGUOUS), "--json", "--dry-run")
    assert found.exit_code == 0, found.stderr
    assert found.json()["session"] == 3
    assert by_ndh(found.json())[7] == by_ndh(named.json())[7] == ("present", 131.5)
    # A session whose date neither reading gives: refused, naming both readings.
    wrong = cli("attendance", "import", str(TEAMS_V1_3_AMBIGUOUS), "--session", "1")
    assert wrong.exit_code == 1
    assert "2021-10-01 day-first or 2021-01-10 month-first" in wrong.stderr
    assert set(shown(cli, 1)) == set()


# --- Moodle -------------------------------------------------------------------------------------


def test_moodle_export_imports_its_three_sessions_in_one_command(cli: RunCli) -> None:
    run = cli("attendance", "import", str(MOODLE_1_3), "--json")
    assert run.exit_code == 0, run.stderr
    documents = run.json()
    assert [d["session"] for d in documents] == [1, 2, 3]
    assert {d["format"] for d in documents} == {"moodle"}
    assert "Taken sessions, Points, Percentage" in run.stderr  # said as not read
    assert "without a mark ('?', '')" in run.stderr  # Dewi's "?" and Sri's empty cell
    # Siti Rahmawati: E, P, A. Sri Wahyuni has no ID number: found by her e-mail.
    s1, s2, s3 = (shown(cli, n) for n in (1, 2, 3))
    assert (s1[NIP[3]][0], s2[NIP[3]][0], s3[NIP[3]][0]) == ("excused", "present", "absent")
    assert (s1[NIP[2]][0], s2[NIP[2]][0], s3[NIP[2]][0]) == ("present", "late", "present")
    assert (s1[NIP[4]][0], s2[NIP[4]][0]) == ("late", "present")
    assert s1[NIP[11]] == ("absent", None, "import")
    assert documents[0]["participants"][10]["matched_by"] == "email"


def test_moodle_column_outside_the_schedule_refuses_all(cli: RunCli, tmp_path: Path) -> None:
    text = MOODLE_1_3.read_text(encoding="utf-8").replace(
        "1 Oct 2021 9AM All students", "2 Oct 2021 9AM All students"
    )
    export = tmp_path / "moodle-sesi-1-2-and-a-saturday.csv"
    export.write_text(text, encoding="utf-8")
    run = cli("attendance", "import", str(export))
    assert run.exit_code == 1
    assert "'2 Oct 2021 9AM All students' is dated 2021-10-02" in run.stderr
    assert all(not shown(cli, n) for n in (1, 2, 3))  # all or nothing
    # The hint works: one column at a time with --session N.
    one = cli("attendance", "import", str(export), "--session", "2", "--json")
    assert one.exit_code == 0, one.stderr
    assert shown(cli, 2)[NIP[2]][0] == "late"


# --- refused files ------------------------------------------------------------------------------


def test_a_refused_file_names_its_columns_and_what_is_needed(cli: RunCli, tmp_path: Path) -> None:
    sheet = tmp_path / "daftar.csv"
    sheet.write_text("Nama,Jam Masuk\nBudi Santoso,09:00\n", encoding="utf-8")
    run = cli("attendance", "import", str(sheet), "--session", "1")
    assert run.exit_code == 1
    assert "its columns: 'Nama', 'Jam Masuk'" in run.stderr
    assert "Moodle Attendance export" in run.stderr and "Microsoft Teams" in run.stderr
    assert "a NIP column and a status column" in run.stderr
    assert "--format zoom" not in run.stderr  # it would fail too


@pytest.mark.parametrize(
    ("report", "forced", "fits"),
    [(MEET_2, "zoom", "meet"), (TEAMS_V2_2, "moodle", "teams"), (MOODLE_1_3, "csv", "moodle")],
)
def test_a_wrong_format_suggests_one_that_works(
    cli: RunCli, report: Path, forced: str, fits: str
) -> None:
    run = cli("attendance", "import", str(report), "--format", forced)
    assert run.exit_code == 1
    assert f"(--format {forced}): its columns:" in run.stderr
    args = suggested(run.stderr)
    assert args[-2:] == ["--format", fits]
    again = cli(*args, "--json")
    assert again.exit_code == 0, again.stderr


# --- Zoom unique users, nicknames, unmatched rows -------------------------------------------------


def test_unique_users_totals_are_cut_to_the_meeting(cli: RunCli, tmp_path: Path) -> None:
    # The meeting itself ran 10:00-12:06:40: no total can count more than the 120 minutes of
    # session 1 (09:00-12:00) it covered, whatever Total Duration says.
    text = ZOOM_1_UNIQUE.read_text(encoding="utf-8-sig").replace(
        "09/29/2021 08:50:02 AM", "09/29/2021 10:00:00 AM", 1
    )
    report = tmp_path / "zoom-sesi-1-unique-late-start.csv"
    report.write_text(text, encoding="utf-8")
    run = cli("attendance", "import", str(report), "--json")
    assert run.exit_code == 0, run.stderr
    data = run.json()
    assert all(p["minutes"] <= 120 for p in data["participants"])
    assert by_ndh(data)[12] == ("absent", 120)  # 360 on two devices, before: 180
    said = re.search(r"warning: .*?(\d+) participant\(s\)' total duration", run.stderr)
    assert said and int(said[1]) >= 2, run.stderr
    assert "the meeting ran 10:00-12:06" in run.stderr
    assert "I Made Suardana by 240 min" in run.stderr


def test_nicknames_with_the_real_name_in_brackets(cli: RunCli) -> None:
    run = cli("attendance", "import", str(NICKNAMES_1), "--json")
    assert run.exit_code == 0, run.stderr
    data = run.json()
    how = {p["ndh"]: (p["status"], p["matched_by"]) for p in data["participants"]}
    assert how[7] == ("present", "ndh")  # 07_Wiwik (Dewi Lestari): the NDH and name agree
    assert how[10] == ("late", "name")  # Ucok (Rudi Hartono): the bracketed name alone
    assert how[4] == ("present", "name")  # Budi Santoso (Budi S), as before
    # 05_Kiki (Fitri Handayani): NDH 5 is Ani Rahayu; the number and the name disagree.
    unmatched = {u["name"]: u for u in data["unmatched"]}
    kiki = unmatched["05_Kiki (Fitri Handayani)"]
    assert kiki["reason"] == "ambiguous"
    assert [c["nip"] for c in kiki["candidates"]] == [NIP[5], NIP[19]]
    assert how[5][0] == how[19][0] == "absent"


def test_unmatched_rows_are_grouped_by_name_with_their_count(cli: RunCli) -> None:
    run = cli("attendance", "import", str(NICKNAMES_1), "--json", "--dry-run")
    assert run.exit_code == 0, run.stderr
    unmatched = run.json()["unmatched"]
    assert [(u["name"], u["line"], u["rows"]) for u in unmatched] == [
        ("05_Kiki (Fitri Handayani)", 9, 1),
        ("iPhone Pak Hendra", 10, 3),
    ]
    assert {"line", "file", "name", "email", "reason", "candidates"} <= set(unmatched[1])
    table = cli("attendance", "import", str(NICKNAMES_1), "--dry-run")
    assert table.exit_code == 0, table.stderr
    assert table.stdout.count("iPhone Pak Hendra") == 1
