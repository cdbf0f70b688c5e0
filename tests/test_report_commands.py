"""report completion and report attendance through the real commands, on real stores.

Scenarios are built the way an administrator would: the canonical roster imported into
PRM-2021-II (36 JP over 11 sessions), attendance marked per session with `attendance mark`
(every NIP at once), scores imported from a sheet or set with `score set`. The tests check the
reports a user gets: JSON, the human table, CSV and XLSX exports.
"""

from __future__ import annotations

import csv
import io
import stat
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CANONICAL, RunCli, register_tables

pytestmark = pytest.mark.both_backends

PRM_ID = "PRM-2021-II"
SESSIONS = range(1, 12)
JP = {1: 4, 2: 3, 3: 3, 4: 4, 5: 3, 6: 3, 7: 3, 8: 3, 9: 4, 10: 4, 11: 2}  # 36 JP
PARTICIPANT_KEYS = {
    "ndh", "nip", "name", "attendance_pct", "jp_attended", "jp_total", "scores",
    "final_score", "predicate", "status", "reasons", "remedial",  # remedial: null when none
}  # fmt: skip
COMPLETION_COLUMNS = [
    "ndh", "nip", "name", "attendance_pct", "jp_attended", "jp_total", "sikap", "akademik",
    "rancangan", "final_score", "predicate", "status", "reasons",
]  # fmt: skip

# The canonical roster, by NDH.
NIP = {
    1: "198309222012091919", 2: "198010062002042080", 3: "199312232016072178",
    4: "199008122011031301", 5: "199408022017112466", 6: "197501232019121005",
    7: "199310152019112298", 8: "198502032021061471", 9: "198810232014112857",
    10: "199011182016101195", 11: "199611202019062784", 12: "198502202007111365",
    13: "198902162011122266", 14: "199411052020121402", 15: "197309021996022415",
    16: "197911261999041821", 17: "197810062002082389", 18: "199412142016011922",
    19: "199407112019032372", 20: "199808062023061230", 21: "198304242012092369",
    22: "200012242020071651", 23: "197804152008032994", 24: "197606072018021298",
    25: "197208022002122886",
}  # fmt: skip

# The scenario: (sikap, akademik, rancangan) by NDH; "" is not scored.
SCORES = {
    1: ("80", "80", "80"),  # 80.00: Cukup Memuaskan (Memuaskan starts at 80.01)
    2: ("90", "90", "90"),  # but absent from a 4 JP session
    3: ("90", "90", "90"),  # but excused from a 4 JP session
    4: ("70", "70", "70,02"),  # 70.01: passes, just
    5: ("70", "70", "70"),  # 70.00: deferred
    6: ("90", "90", ""),  # no rancangan: deferred
    7: ("90,01", "90,01", "90,01"),  # Sangat Memuaskan
    8: ("90", "90", "90"),  # 90.00: Memuaskan
    9: ("60", "60", "60"),  # 60.00: not passed
    10: ("65", "65", "65"),  # 65.00: deferred, Kurang Memuaskan
    20: ("95", "95", "95"),  # withdrawn
}
# Everyone is present everywhere except: NDH 1 absent from session 2 (3 JP), NDH 2 absent
# from session 1 (4 JP), NDH 3 excused (izin) from session 1, NDH 4 late to session 1.
MARKS = [(2, "absent", [1]), (1, "absent", [2]), (1, "izin", [3]), (1, "terlambat", [4])]


# --- helpers ----------------------------------------------------------------------------------


def mark_everyone_present(cli: RunCli, ndhs: list[int], sessions: range = SESSIONS) -> None:
    for session in sessions:
        run = cli(
            "attendance", "mark", *(NIP[n] for n in ndhs), "--session", str(session),
            "--status", "hadir",
        )  # fmt: skip
        assert run.exit_code == 0, run.stderr


def score_sheet(path: Path, rows: dict[int, tuple[str, str, str]]) -> Path:
    lines = ["NIP;sikap;akademik;rancangan"]
    lines += [f"{NIP[n]};{';'.join(values)}" for n, values in rows.items()]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def by_ndh(data: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {p["ndh"]: p for p in data["participants"]}


def completion_json(cli: RunCli, *args: str) -> dict[str, Any]:
    run = cli("report", "completion", "--json", *args)
    assert run.exit_code == 0, run.stderr
    return run.json()


@pytest.fixture
def scenario(cli: RunCli, enrolled: Path, tmp_path: Path) -> Path:
    """Attendance for all 11 sessions, the SCORES sheet, MARKS, and NDH 20 withdrawn."""
    mark_everyone_present(cli, list(NIP))
    for session, status, ndhs in MARKS:
        run = cli(
            "attendance", "mark", *(NIP[n] for n in ndhs), "--session", str(session),
            "--status", status,
        )  # fmt: skip
        assert run.exit_code == 0, run.stderr
    run = cli("score", "import", str(score_sheet(tmp_path / "nilai.csv", SCORES)))
    assert run.exit_code == 0, run.stderr
    run = cli("roster", "withdraw", NIP[20], "--reason", "mutasi jabatan")
    assert run.exit_code == 0, run.stderr
    return enrolled


# --- completion: JSON --------------------------------------------------------------------------


def test_completion_json_has_the_contract_shape(cli: RunCli, scenario: Path) -> None:
    data = completion_json(cli)
    assert set(data) == {"cohort", "participants", "summary", "withdrawn"}
    assert data["cohort"] == PRM_ID
    assert set(data["summary"]) == {"passed", "deferred", "not_passed"}
    assert [p["ndh"] for p in data["participants"]] == [n for n in NIP if n != 20]
    for p in data["participants"]:
        assert set(p) == PARTICIPANT_KEYS
        assert set(p["scores"]) == {"sikap", "akademik", "rancangan"}
        assert p["status"] in ("passed", "deferred", "not_passed")
        assert isinstance(p["nip"], str) and len(p["nip"]) == 18
        assert p["jp_total"] == 36
        assert isinstance(p["reasons"], list)
        assert (p["reasons"] == []) == (p["status"] == "passed")


def test_withdrawn_participants_are_listed_apart_and_not_counted(
    cli: RunCli, scenario: Path
) -> None:
    data = completion_json(cli)
    assert NIP[20] not in {p["nip"] for p in data["participants"]}
    assert [w["nip"] for w in data["withdrawn"]] == [NIP[20]]
    assert data["withdrawn"][0]["ndh"] == 20
    # 4 passed (1, 4, 7, 8); 3 not passed (2, 3, 9); the other 17 deferred; 20 withdrawn.
    assert data["summary"] == {"passed": 4, "deferred": 17, "not_passed": 3}
    assert sum(data["summary"].values()) == len(data["participants"]) == 24


def test_attendance_is_weighted_by_jp(cli: RunCli, scenario: Path) -> None:
    got = by_ndh(completion_json(cli))
    # Absent from a 3 JP session: 33/36 = 91.7%, passes.
    assert (got[1]["jp_attended"], got[1]["attendance_pct"]) == (33, 91.7)
    assert got[1]["status"] == "passed"
    # Absent from a 4 JP session: 32/36 = 88.9%, not passed.
    assert (got[2]["jp_attended"], got[2]["attendance_pct"]) == (32, 88.9)
    assert got[2]["status"] == "not_passed"
    assert got[2]["reasons"] == ["attendance 88.9% < 90%"]
    assert got[2]["final_score"] == 90.0  # the score is still shown
    # Late counts as attended.
    assert (got[4]["jp_attended"], got[4]["attendance_pct"]) == (36, 100.0)


def test_excused_does_not_count_as_attended_by_default(cli: RunCli, scenario: Path) -> None:
    siti = by_ndh(completion_json(cli))[3]
    assert (siti["jp_attended"], siti["attendance_pct"]) == (32, 88.9)
    assert siti["status"] == "not_passed"
    assert siti["reasons"] == ["attendance 88.9% < 90%"]


def test_the_pass_score_boundary(cli: RunCli, scenario: Path) -> None:
    got = by_ndh(completion_json(cli))
    assert got[4]["final_score"] == 70.01
    assert (got[4]["status"], got[4]["predicate"], got[4]["reasons"]) == (
        "passed",
        "Cukup Memuaskan",
        [],
    )
    assert got[4]["scores"] == {"sikap": 70.0, "akademik": 70.0, "rancangan": 70.02}
    assert got[5]["final_score"] == 70.0
    assert got[5]["status"] == "deferred"
    assert got[5]["reasons"] == ["final score 70.00 < 70.01"]
    assert got[10]["status"] == "deferred"
    assert got[10]["reasons"] == ["final score 65.00 < 70.01"]
    assert got[9]["status"] == "not_passed"
    assert got[9]["reasons"] == ["final score 60.00 < 70.01"]


def test_a_missing_required_score_defers(cli: RunCli, scenario: Path) -> None:
    got = by_ndh(completion_json(cli))
    assert got[6]["scores"] == {"sikap": 90.0, "akademik": 90.0, "rancangan": None}
    assert got[6]["final_score"] == 45.0  # a missing component counts 0
    assert got[6]["status"] == "deferred"
    assert got[6]["reasons"] == ["missing score: rancangan"]
    assert got[25]["status"] == "deferred"
    assert got[25]["reasons"] == ["missing score: rancangan"]


def test_predicate_labels(cli: RunCli, scenario: Path) -> None:
    got = by_ndh(completion_json(cli))
    assert (got[7]["final_score"], got[7]["predicate"]) == (90.01, "Sangat Memuaskan")
    assert (got[8]["final_score"], got[8]["predicate"]) == (90.0, "Memuaskan")
    assert (got[1]["final_score"], got[1]["predicate"]) == (80.0, "Cukup Memuaskan")
    assert (got[4]["final_score"], got[4]["predicate"]) == (70.01, "Cukup Memuaskan")
    assert (got[10]["final_score"], got[10]["predicate"]) == (65.0, "Kurang Memuaskan")
    assert (got[9]["final_score"], got[9]["predicate"]) == (60.0, "Tidak Memuaskan")


def test_a_score_set_by_hand_changes_the_outcome(cli: RunCli, scenario: Path) -> None:
    assert by_ndh(completion_json(cli))[5]["status"] == "deferred"
    run = cli("score", "set", NIP[5], "rancangan", "70,02")
    assert run.exit_code == 0, run.stderr
    ani = by_ndh(completion_json(cli))[5]
    assert (ani["final_score"], ani["status"], ani["reasons"]) == (70.01, "passed", [])


def test_exactly_the_minimum_attendance_passes(cli: RunCli, examples: Path, tmp_path: Path) -> None:
    """min_attendance_pct 75 on 36 JP: 27 JP is exactly 75% and passes; 26 would not."""
    text = (examples / "prm-2021-ii.yaml").read_text(encoding="utf-8")
    assert "min_attendance_pct: 90" in text and "id: PRM-2021-II" in text
    text = text.replace("min_attendance_pct: 90", "min_attendance_pct: 75")
    text = text.replace("id: PRM-2021-II", "id: PRM-2021-TUJUHLIMA")
    definition = tmp_path / "prm-75.yaml"
    definition.write_text(text, encoding="utf-8")
    assert cli("cohort", "open", str(definition)).exit_code == 0
    assert cli("roster", "import", str(CANONICAL)).exit_code == 0
    # NDH 1 misses sessions 1, 2 and 11 (4 + 3 + 2 = 9 JP); NDH 2 misses session 3 too.
    mark_everyone_present(cli, [1, 2], range(4, 11))
    mark_everyone_present(cli, [1], range(3, 4))
    for n in (1, 2):
        for key in ("sikap", "akademik", "rancangan"):
            assert cli("score", "set", NIP[n], key, "80").exit_code == 0
    got = by_ndh(completion_json(cli))
    assert (got[1]["jp_attended"], got[1]["attendance_pct"], got[1]["status"]) == (
        27,
        75.0,
        "passed",
    )
    assert (got[2]["jp_attended"], got[2]["status"]) == (24, "not_passed")
    assert got[2]["reasons"] == ["attendance 66.7% < 75%"]


# --- completion: human table -----------------------------------------------------------------


def test_completion_table_names_the_cohort_and_prints_the_summary(
    cli: RunCli, scenario: Path
) -> None:
    run = cli("report", "completion")
    assert run.exit_code == 0, run.stderr
    assert PRM_ID in run.stdout
    assert "4 passed, 17 deferred, 3 not passed of 24" in run.stdout
    assert "1 withdrawn" in run.stdout
    assert "still in the future" not in run.stdout
    lines = run.stdout.splitlines()
    budi = next(s for s in lines if "Budi Santoso" in s)
    assert "70.01" in budi and "passed" in budi
    ani = next(s for s in lines if "Ani Rahayu" in s)
    assert "deferred" in ani and "final score 70.00 < 70.01" in ani
    assert "Dedi Kurniawan" not in run.stdout


def test_completion_table_of_a_future_cohort_says_it_is_provisional(
    cli: RunCli, examples: Path, tmp_path: Path
) -> None:
    text = (examples / "prm-2021-ii.yaml").read_text(encoding="utf-8")
    text = text.replace("2021-", "2099-").replace("year: 2021", "year: 2099")
    definition = tmp_path / "prm-2099.yaml"
    definition.write_text(text, encoding="utf-8")
    run = cli("cohort", "open", str(definition))
    assert run.exit_code == 0, run.stderr
    assert cli("roster", "import", str(CANONICAL)).exit_code == 0
    run = cli("report", "completion")
    assert run.exit_code == 0, run.stderr
    assert "PRM-2099-II" in run.stdout
    assert "11 session(s) of PRM-2099-II are still in the future" in run.stdout


# --- completion: spreadsheets ----------------------------------------------------------------


def test_completion_csv_to_stdout(cli: RunCli, scenario: Path) -> None:
    run = cli("report", "completion", "--format", "csv")
    assert run.exit_code == 0, run.stderr
    rows = list(csv.reader(io.StringIO(run.stdout)))
    assert rows[0] == COMPLETION_COLUMNS
    assert len(rows) == 25  # header and 24 active participants
    body = {r[0]: dict(zip(COMPLETION_COLUMNS, r, strict=True)) for r in rows[1:]}
    assert "20" not in body
    budi = body["4"]
    assert budi["nip"] == NIP[4]
    assert (budi["final_score"], budi["status"], budi["predicate"]) == (
        "70.01",
        "passed",
        "Cukup Memuaskan",
    )
    assert body["6"]["rancangan"] == ""
    assert body["2"]["reasons"] == "attendance 88.9% < 90%"


def test_completion_csv_to_a_file_is_private(cli: RunCli, scenario: Path, tmp_path: Path) -> None:
    out = tmp_path / "kelulusan.csv"
    run = cli("report", "completion", "--format", "csv", "--output", str(out))
    assert run.exit_code == 0, run.stderr
    assert run.stdout == ""
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == COMPLETION_COLUMNS and len(rows) == 25
    if sys.platform != "win32":
        assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_completion_xlsx(cli: RunCli, scenario: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "kelulusan.xlsx"
    run = cli("report", "completion", "--format", "xlsx", "--output", str(out))
    assert run.exit_code == 0, run.stderr
    assert run.stdout == ""
    sheet = load_workbook(out).active
    assert sheet.freeze_panes == "A2"
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == COMPLETION_COLUMNS
    assert len(rows) == 25
    nip_cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert all(isinstance(c.value, str) and len(c.value) == 18 for c in nip_cells)
    assert all(c.number_format == "@" for c in nip_cells)
    budi = next(r for r in rows[1:] if r[1] == NIP[4])
    assert budi[COMPLETION_COLUMNS.index("final_score")] == 70.01
    assert budi[COMPLETION_COLUMNS.index("status")] == "passed"
    if sys.platform != "win32":
        assert stat.S_IMODE(out.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("args", "words", "code"),
    [
        # Options that do not go together are usage errors (2); an unknown value is wrong input.
        (["--format", "xlsx"], "--output", 2),
        (["--json", "--format", "csv"], "--json", 2),
        (["--format", "pdf"], "pdf", 2),  # an option's value: a usage error
        (["--output", "x.csv"], "--format", 2),
    ],
    ids=["xlsx-without-output", "json-and-format", "pdf", "output-without-format"],
)
def test_completion_format_mistakes_are_refused(
    cli: RunCli, scenario: Path, args: list[str], words: str, code: int
) -> None:
    here = set(Path.cwd().iterdir())
    run = cli("report", "completion", *args)
    assert run.exit_code == code
    assert run.stdout == ""
    assert words in run.stderr
    assert set(Path.cwd().iterdir()) == here


def test_exports_neutralise_formula_like_names(cli: RunCli, prm: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    sheet = tmp_path / "peserta-rumus.csv"
    sheet.write_text(f"Nama;NIP\n=1+2 Budi;{NIP[1]}\n@Sri;{NIP[2]}\n", encoding="utf-8")
    assert cli("roster", "import", str(sheet)).exit_code == 0
    run = cli("report", "completion", "--format", "csv")
    assert run.exit_code == 0, run.stderr
    names = [r[2] for r in csv.reader(io.StringIO(run.stdout))][1:]
    assert names == ["'=1+2 Budi", "'@Sri"]
    out = tmp_path / "kehadiran.xlsx"
    assert cli("report", "attendance", "--format", "xlsx", "--output", str(out)).exit_code == 0
    cells = [r[2] for r in load_workbook(out).active.iter_rows(min_row=2, values_only=True)]
    assert cells == ["'=1+2 Budi", "'@Sri"]


# --- attendance report -------------------------------------------------------------------------


def test_attendance_report_json(cli: RunCli, scenario: Path) -> None:
    run = cli("report", "attendance", "--json")
    assert run.exit_code == 0, run.stderr
    data = run.json()
    assert data["cohort"] == PRM_ID
    assert [s["session"] for s in data["sessions"]] == list(SESSIONS)
    assert {s["session"]: s["jp"] for s in data["sessions"]} == JP
    got = by_ndh(data)
    assert 20 not in got and len(got) == 24
    assert got[2]["statuses"]["1"] == "absent"
    assert got[2]["statuses"]["2"] == "present"
    assert (got[2]["jp_attended"], got[2]["jp_total"], got[2]["attendance_pct"]) == (32, 36, 88.9)
    assert got[3]["statuses"]["1"] == "excused"
    assert got[4]["statuses"]["1"] == "late"
    assert got[4]["jp_attended"] == 36


def test_attendance_report_csv(cli: RunCli, scenario: Path) -> None:
    run = cli("report", "attendance", "--format", "csv")
    assert run.exit_code == 0, run.stderr
    rows = list(csv.reader(io.StringIO(run.stdout)))
    header = rows[0]
    assert header[:3] == ["ndh", "nip", "name"]
    assert header[3:14] == [f"session {n}" for n in SESSIONS]
    assert header[14:] == ["jp_attended", "jp_total", "attendance_pct"]
    assert len(rows) == 25
    wulan = next(r for r in rows[1:] if r[1] == NIP[2])
    assert wulan[3] == "absent" and wulan[4] == "present"
    assert wulan[14:] == ["32", "36", "88.9"]


def test_attendance_report_table_names_the_cohort(cli: RunCli, scenario: Path) -> None:
    run = cli("report", "attendance")
    assert run.exit_code == 0, run.stderr
    assert PRM_ID in run.stdout
    assert "88.9%" in run.stdout
    assert "Dedi Kurniawan" not in run.stdout


def test_report_before_the_store_exists_creates_nothing(cli: RunCli, store_path: Path) -> None:
    run = cli("report", "completion", "--json")
    assert run.exit_code == 1
    assert run.stdout == ""
    if isinstance(store_path, str):  # a register: its database still holds nothing
        assert register_tables(store_path) == set()
        return
    assert not store_path.exists()


# --- exports never destroy the store; erasure leaves nothing that names the person ----------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.sqlite_file
def test_an_export_onto_the_store_is_refused(cli: RunCli, scenario: Path, fmt: str) -> None:
    before = scenario.read_bytes()
    run = cli("report", "completion", "--format", fmt, "--output", str(scenario))
    assert run.exit_code == 2
    assert "is the store itself" in run.stderr
    assert scenario.read_bytes() == before
    assert cli("db", "check").exit_code == 0


def test_an_export_that_cannot_be_written_leaves_no_file(
    cli: RunCli, scenario: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    run = cli("report", "completion", "--format", "csv", "--output", str(folder))
    assert run.exit_code == 1
    assert "is a folder" in run.stderr
    missing = tmp_path / "no-such-folder" / "kelulusan.csv"
    run = cli("report", "completion", "--format", "csv", "--output", str(missing))
    assert run.exit_code == 1 and "cannot write" in run.stderr
    assert "internal error" not in run.stderr
    assert not missing.parent.exists()
    assert list(tmp_path.glob("**/*.tmp")) == []


@pytest.mark.sqlite_file
def test_forget_leaves_nothing_that_names_the_person(
    cli: RunCli, scenario: Path, tmp_path: Path
) -> None:
    """The NIP, the name and what was written about the person (a mark's note, a withdrawal
    or revocation reason, and their copies in the history) are gone from the whole file;
    counts, scores and certificate numbers stay."""
    assert cli("certificate", "issue").exit_code == 0
    holder = cli("certificate", "list", "--json").json()[0]
    number, wulan = holder["number"], holder["nip"]
    name = holder["name"].split(",")[0]  # as people write it in a reason: no titles
    reason = f"{name} minta cetak ulang, NIP {wulan}"
    assert cli("certificate", "revoke", number, "--reason", reason).exit_code == 0
    mark = cli(
        "attendance", "mark", wulan, "--session", "11", "--status", "izin",
        "--note", f"surat tugas {name}",
    )  # fmt: skip
    assert mark.exit_code == 0, mark.stderr
    # A note that names nobody is another participant's record as much as this one's.
    other = next(n for n in NIP.values() if n != wulan)
    for who in (wulan, other):
        shared = cli("attendance", "mark", who, "-s", "10", "--status", "izin", "--note", "dinas")
        assert shared.exit_code == 0, shared.stderr
    summary = completion_json(cli)["summary"]

    run = cli("person", "forget", wulan, "--yes")
    assert run.exit_code == 0, run.stderr

    import sqlite3

    con = sqlite3.connect(scenario)
    dump = "\n".join(con.iterdump())
    con.close()
    assert wulan not in dump and name not in dump and "minta cetak" not in dump
    raw = scenario.read_bytes()  # secure_delete: freed pages hold no copy either
    assert wulan.encode() not in raw
    assert completion_json(cli)["summary"] == summary
    verified = cli("certificate", "verify", number, "--json").json()
    assert verified["revoked"] is True and verified["nip"] != wulan
    assert "1 marked excused (dinas)" in dump
    assert cli("db", "check").exit_code == 0


def test_a_holder_who_no_longer_passes_is_named_after_a_mark_or_a_withdrawal(
    cli: RunCli, scenario: Path
) -> None:
    """A certificate stays valid until revoked, but a mark or a withdrawal that takes its
    holder below the rules must not go unnoticed."""
    assert cli("certificate", "issue").exit_code == 0
    holders = cli("certificate", "list", "--json").json()
    first, second = holders[0], holders[1]
    sessions = [str(n) for n in SESSIONS]
    for session in sessions[:4]:
        run = cli("attendance", "mark", first["nip"], "--session", session, "--status", "alpa")
        assert run.exit_code == 0, run.stderr
    assert f"{first['name']} (NDH" in run.stderr and "no longer passes" in run.stderr
    run = cli("roster", "withdraw", second["nip"], "--reason", "mutasi")
    assert run.exit_code == 0, run.stderr
    assert "no longer passes (withdrawn)" in run.stderr


def test_json_with_output_is_refused_rather_than_ignored(cli: RunCli, scenario: Path) -> None:
    run = cli("report", "completion", "--json", "--output", "kelulusan.json")
    assert run.exit_code == 2
    assert "> kelulusan.json" in run.stderr
    assert not Path("kelulusan.json").exists()
