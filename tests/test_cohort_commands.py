"""cohort, schedule and the global rules, through the real commands on real files and stores.

Each test runs `revmental ...` through the `cli` fixture and checks what a user sees (exit code,
stdout, stderr) and what the store holds afterwards (read with sqlite3 directly).
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

import revmental_cli.commands.cohort as cohort_cmd
from revmental_cli.domain.cohort import DEFAULT_NUMBER_FORMAT
from tests.conftest import (
    EXAMPLES,
    FIXTURES,
    ROOT,
    RunCli,
    dump,
    execute,
    no_store,
    query,
    register_tables,
)

pytestmark = pytest.mark.both_backends

PRM_ID = "PRM-2021-II"
LATSAR_ID = "LATSAR-2022-XIV"
NIP = "199001012015031001"

LAST_SESSION = """\
  - date: 2021-10-29
    start: "09:00"
    end: "10:30"
    title: Evaluasi dan Penutupan
    jp: 2
    facilitator: F01
    kind: sinkron
"""
THIRD_SESSION = """\
  - date: 2021-10-01
    start: "09:00"
    end: "11:15"
    title: Konsep Revolusi Mental dalam Birokrasi
    jp: 3
    facilitator: F02
    kind: sinkron
"""
EXTRA_SESSION = """\
  - date: 2021-10-29
    start: "13:00"
    end: "14:30"
    title: Refleksi Akhir
    jp: 2
    facilitator: F03
    kind: sinkron
"""
TWO_COMPONENTS = """\
    - {key: sikap, name: Sikap dan Perilaku, weight: 30}
    - {key: akademik, name: Pemahaman Materi, weight: 20}
"""


# --- helpers ----------------------------------------------------------------------------------


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact passage of a file (it must occur once)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def copy_example(name: str, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(EXAMPLES / name, folder / name))


def enrol(db: Path, cohort_id: str, nip: str = NIP) -> None:
    execute(
        db,
        "INSERT INTO people (nip, name, created_at, updated_at) "
        "VALUES (?, 'Siti Aminah, S.E.', 'x', 'x') ON CONFLICT DO NOTHING",
        (nip,),
    )
    execute(
        db,
        "INSERT INTO enrollments (cohort_id, nip, ndh, status, withdrawn_reason, "
        "enrolled_at, updated_at) VALUES (?, ?, 1, 'enrolled', NULL, 'x', 'x')",
        (cohort_id, nip),
    )


def add_attendance(db: Path, cohort_id: str, session: int, nip: str = NIP) -> None:
    execute(
        db,
        "INSERT INTO attendance (cohort_id, session, nip, status, minutes, first_join, "
        "source, source_file, note, updated_at) "
        "VALUES (?, ?, ?, 'present', 180.0, '09:01', 'manual', NULL, NULL, 'x')",
        (cohort_id, session, nip),
    )


def add_score(db: Path, cohort_id: str, component: str, nip: str = NIP) -> None:
    execute(
        db,
        "INSERT INTO scores (cohort_id, nip, component, value, source_file, updated_at) "
        "VALUES (?, ?, ?, 85.5, NULL, 'x')",
        (cohort_id, nip, component),
    )


def current_id(cli: RunCli) -> str:
    run = cli("cohort", "show", "--json")
    assert run.exit_code == 0, run.stderr
    return run.json()["id"]


class _TerminalStdin:
    """Stands in for `sys` in the cohort module: stdin claims to be a terminal."""

    class stdin:
        @staticmethod
        def isatty() -> bool:
            return True

    def __getattr__(self, name: str) -> Any:
        return getattr(sys, name)


# --- 1. cohort open ---------------------------------------------------------------------------


def test_open_a_file_makes_it_current(cli: RunCli, examples: Path, store_path: Path) -> None:
    run = cli("cohort", "open", str(examples / "prm-2021-ii.yaml"))
    assert run.exit_code == 0, run.stderr
    assert PRM_ID in run.stderr
    assert run.stdout == ""
    assert query(store_path, "SELECT id FROM cohorts") == [(PRM_ID,)]
    assert query(store_path, "SELECT count(*) FROM sessions") == [(11,)]
    assert current_id(cli) == PRM_ID


def test_open_without_argument_opens_the_only_new_definition(
    cli: RunCli, isolated: Path, store_path: Path
) -> None:
    copy_example("prm-2021-ii.yaml", isolated / "cohorts")
    run = cli("cohort", "open")
    assert run.exit_code == 0, run.stderr
    assert query(store_path, "SELECT id FROM cohorts") == [(PRM_ID,)]
    assert current_id(cli) == PRM_ID


def test_open_without_argument_and_two_new_lists_them_without_a_terminal(
    cli: RunCli, examples: Path, tmp_path: Path, store_path: Path
) -> None:
    # A store that exists already, holding a third cohort opened from elsewhere.
    other = copy_example("prm-2021-ii.yaml", tmp_path / "elsewhere")
    edit(other, "id: PRM-2021-II", "id: PRM-2021-III")
    assert cli("cohort", "open", str(other)).exit_code == 0
    before = dump(store_path)

    run = cli("cohort", "open")
    assert run.exit_code == 1
    assert "latsar-2022-xiv.yaml" in run.stderr
    assert "prm-2021-ii.yaml" in run.stderr
    assert run.stdout == ""
    assert dump(store_path) == before


def test_open_without_argument_and_two_new_creates_no_store(
    cli: RunCli, examples: Path, store_path: Path
) -> None:
    run = cli("cohort", "open")
    assert run.exit_code == 1
    assert "prm-2021-ii.yaml" in run.stderr
    assert no_store(store_path)


def test_open_without_argument_after_one_of_two_opens_the_other(
    cli: RunCli, examples: Path, store_path: Path
) -> None:
    assert cli("cohort", "open", str(examples / "latsar-2022-xiv.yaml")).exit_code == 0
    run = cli("cohort", "open")
    assert run.exit_code == 0, run.stderr
    assert PRM_ID in run.stderr
    assert sorted(r[0] for r in query(store_path, "SELECT id FROM cohorts")) == [
        LATSAR_ID,
        PRM_ID,
    ]
    assert current_id(cli) == PRM_ID


def test_open_without_argument_when_all_are_open_exits_1_with_a_hint(
    cli: RunCli, examples: Path, store_path: Path
) -> None:
    assert cli("cohort", "open", str(examples / "latsar-2022-xiv.yaml")).exit_code == 0
    assert cli("cohort", "open", str(examples / "prm-2021-ii.yaml")).exit_code == 0
    before = dump(store_path)
    run = cli("cohort", "open")
    assert run.exit_code == 1
    assert "already open" in run.stderr
    assert "hint:" in run.stderr
    assert dump(store_path) == before


def test_open_without_argument_on_a_terminal_asks_which(
    cli: RunCli, examples: Path, store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cohort_cmd, "sys", _TerminalStdin())
    run = cli("cohort", "open", input="2\n")
    assert run.exit_code == 0, run.stderr
    # A numbered list in name order: 1. latsar..., 2. prm...
    assert re.search(r"1\.\s+\S*latsar-2022-xiv\.yaml", run.stderr)
    assert re.search(r"2\.\s+\S*prm-2021-ii\.yaml", run.stderr)
    assert query(store_path, "SELECT id FROM cohorts") == [(PRM_ID,)]
    assert current_id(cli) == PRM_ID


def test_open_by_id_rereads_its_source_file(cli: RunCli, examples: Path, store_path: Path) -> None:
    path = examples / "prm-2021-ii.yaml"
    assert cli("cohort", "open", str(path)).exit_code == 0
    edit(path, "title: Birokrasi Bersih\n", "title: Birokrasi Bersih dan Akuntabel\n")
    run = cli("cohort", "open", PRM_ID)
    assert run.exit_code == 0, run.stderr
    assert "session 5 changed: title" in run.stderr
    titles = [s["title"] for s in cli("cohort", "show", "--json").json()["sessions"]]
    assert titles[4] == "Birokrasi Bersih dan Akuntabel"
    assert query(store_path, "SELECT title FROM sessions WHERE number = 5") == [
        ("Birokrasi Bersih dan Akuntabel",)
    ]


def test_open_by_id_from_another_folder_finds_the_source_file(
    cli: RunCli, examples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("cohort", "open", "cohorts/prm-2021-ii.yaml").exit_code == 0
    edit(examples / "prm-2021-ii.yaml", "capacity: 25", "capacity: 30")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    run = cli("cohort", "open", PRM_ID)
    assert run.exit_code == 0, run.stderr
    assert cli("cohort", "show", "--json").json()["capacity"] == 30


def test_reopening_an_unchanged_file_says_so_and_adds_nothing(
    cli: RunCli, prm: Path, store_path: Path
) -> None:
    sessions = query(store_path, "SELECT * FROM sessions ORDER BY number")
    run = cli("cohort", "open", str(prm))
    assert run.exit_code == 0, run.stderr
    assert "unchanged" in run.stderr
    assert "Changes to" not in run.stderr
    assert query(store_path, "SELECT * FROM sessions ORDER BY number") == sessions
    assert query(store_path, "SELECT count(*) FROM sessions") == [(11,)]
    assert query(store_path, "SELECT count(*) FROM cohorts") == [(1,)]


def test_reopening_a_changed_file_prints_the_changes_and_updates(
    cli: RunCli, prm: Path, store_path: Path
) -> None:
    edit(prm, "title: Birokrasi Melayani\n", "title: Birokrasi yang Melayani\n")
    edit(prm, LAST_SESSION, LAST_SESSION + EXTRA_SESSION)
    run = cli("cohort", "open", str(prm))
    assert run.exit_code == 0, run.stderr
    assert f"Changes to {PRM_ID}" in run.stderr
    assert "session 6 changed: title" in run.stderr
    assert "session 12 added" in run.stderr
    assert "Refleksi Akhir" in run.stderr
    sessions = cli("cohort", "show", "--json").json()["sessions"]
    assert len(sessions) == 12
    assert sessions[5]["title"] == "Birokrasi yang Melayani"
    assert sessions[11]["session"] == 12
    assert sessions[11]["title"] == "Refleksi Akhir"
    assert query(store_path, "SELECT count(*) FROM sessions") == [(12,)]
    assert query(store_path, "SELECT count(*) FROM cohorts") == [(1,)]


def test_removing_a_session_with_attendance_is_refused_unless_forced(
    cli: RunCli, prm: Path, store_path: Path
) -> None:
    enrol(store_path, PRM_ID)
    add_attendance(store_path, PRM_ID, 11)
    edit(prm, LAST_SESSION, "")
    before = dump(store_path)

    run = cli("cohort", "open", str(prm))
    assert run.exit_code == 1
    assert "attendance of session 11" in run.stderr
    assert "--force" in run.stderr
    assert dump(store_path) == before
    assert len(cli("cohort", "show", "--json").json()["sessions"]) == 11

    run = cli("cohort", "open", "--force", str(prm))
    assert run.exit_code == 0, run.stderr
    assert "session 11 removed" in run.stderr
    assert query(store_path, "SELECT count(*) FROM attendance") == [(0,)]
    assert query(store_path, "SELECT count(*) FROM sessions") == [(10,)]
    assert len(cli("cohort", "show", "--json").json()["sessions"]) == 10


def test_removing_a_middle_session_with_attendance_is_refused(
    cli: RunCli, prm: Path, store_path: Path
) -> None:
    enrol(store_path, PRM_ID)
    add_attendance(store_path, PRM_ID, 3)
    edit(prm, THIRD_SESSION, "")
    before = dump(store_path)
    run = cli("cohort", "open", str(prm))
    assert run.exit_code == 1
    assert dump(store_path) == before


def test_removing_a_component_with_scores_is_refused_unless_forced(
    cli: RunCli, prm: Path, store_path: Path
) -> None:
    enrol(store_path, PRM_ID)
    add_score(store_path, PRM_ID, "akademik")
    add_score(store_path, PRM_ID, "sikap")
    edit(prm, TWO_COMPONENTS, "    - {key: sikap, name: Sikap dan Perilaku, weight: 50}\n")
    before = dump(store_path)

    run = cli("cohort", "open", str(prm))
    assert run.exit_code == 1
    assert "scores for component 'akademik'" in run.stderr
    assert "--force" in run.stderr
    assert dump(store_path) == before

    assert "keep the component's key" in run.stderr  # the hint is about scores, not sessions

    run = cli("cohort", "open", "--force", "--dry-run", str(prm))
    assert run.exit_code == 0, run.stderr
    assert "--force would delete scores for component 'akademik' (1 records)" in run.stderr
    assert dump(store_path) == before

    run = cli("cohort", "open", "--force", str(prm))
    assert run.exit_code == 0, run.stderr
    assert "score component akademik removed" in run.stderr
    assert "--force: deleting scores for component 'akademik' (1 records)" in run.stderr
    assert query(store_path, "SELECT component FROM scores") == [("sikap",)]
    (summary,) = query(store_path, "SELECT summary FROM history ORDER BY id DESC LIMIT 1")[0]
    assert "deleted with --force: scores for component 'akademik' (1 records)" in summary
    keys = [c["key"] for c in cli("cohort", "show", "--json").json()["completion"]["components"]]
    assert keys == ["sikap", "rancangan"]


def test_dry_run_on_a_new_store_creates_nothing(
    cli: RunCli, examples: Path, store_path: Path
) -> None:
    run = cli("cohort", "open", "--dry-run", str(examples / "prm-2021-ii.yaml"))
    assert run.exit_code == 0, run.stderr
    assert "dry run" in run.stderr
    assert PRM_ID in run.stderr
    assert no_store(store_path)


def test_dry_run_on_an_existing_store_writes_nothing(
    cli: RunCli, prm: Path, examples: Path, store_path: Path
) -> None:
    edit(prm, "capacity: 25", "capacity: 30")
    edit(prm, LAST_SESSION, LAST_SESSION + EXTRA_SESSION)
    shown = cli("cohort", "show", "--json").json()
    history = query(store_path, "SELECT count(*) FROM history")
    before = dump(store_path)

    run = cli("cohort", "open", "--dry-run", str(prm))
    assert run.exit_code == 0, run.stderr
    assert "capacity: 25 -> 30" in run.stderr
    assert "session 12 added" in run.stderr
    assert "nothing was written" in run.stderr
    # A new definition in dry-run mode is not written either.
    run = cli("cohort", "open", "--dry-run", str(examples / "latsar-2022-xiv.yaml"))
    assert run.exit_code == 0, run.stderr
    assert "would open" in run.stderr

    assert query(store_path, "SELECT count(*) FROM history") == history
    assert cli("cohort", "show", "--json").json() == shown
    assert dump(store_path) == before


# --- 2. invalid definitions ---------------------------------------------------------------

FIVE = FIXTURES / "cohorts" / "five-mistakes.yaml"
FIVE_PROBLEMS = [
    (2, "id"),
    (20, "sessions[0].facilitator"),
    (21, "sessions[1].date"),
    (27, "sessions[2].start"),
    (32, "completion.components"),
]


def test_open_an_invalid_definition_names_all_five_problems(cli: RunCli) -> None:
    run = cli("cohort", "open", str(FIVE))
    assert run.exit_code == 1
    assert run.stdout == ""
    for line, field in FIVE_PROBLEMS:
        assert f"line {line}: {field}:" in run.stderr, (line, field)
    assert "five-mistakes.yaml" in run.stderr
    assert "Traceback" not in run.stderr


def test_open_an_invalid_definition_creates_no_store(cli: RunCli, store_path: Path) -> None:
    run = cli("cohort", "open", str(FIVE))
    assert run.exit_code == 1
    assert no_store(store_path)


def test_open_a_missing_file_creates_no_store(cli: RunCli, store_path: Path) -> None:
    run = cli("cohort", "open", "cohorts/nope.yaml")
    assert run.exit_code == 1
    assert "no such file" in run.stderr
    assert no_store(store_path)


def test_use_before_the_store_exists_creates_no_store(cli: RunCli, store_path: Path) -> None:
    run = cli("cohort", "use", PRM_ID)
    assert run.exit_code == 1
    assert no_store(store_path)


def test_open_an_invalid_definition_leaves_an_existing_store_unchanged(
    cli: RunCli, prm: Path, store_path: Path
) -> None:
    before = dump(store_path)
    run = cli("cohort", "open", str(FIVE))
    assert run.exit_code == 1
    assert "line 27: sessions[2].start" in run.stderr
    assert dump(store_path) == before
    assert current_id(cli) == PRM_ID


def test_validate_several_files(cli: RunCli, examples: Path, store_path: Path) -> None:
    prm, latsar = examples / "prm-2021-ii.yaml", examples / "latsar-2022-xiv.yaml"
    run = cli("cohort", "validate", str(prm), str(FIVE), str(latsar))
    assert run.exit_code == 1
    assert f"{PRM_ID} is valid" in run.stderr
    assert f"{LATSAR_ID} is valid" in run.stderr
    for line, field in FIVE_PROBLEMS:
        assert f"line {line}: {field}:" in run.stderr

    run = cli("cohort", "validate", str(prm), str(latsar))
    assert run.exit_code == 0, run.stderr
    assert f"{PRM_ID} is valid" in run.stderr
    assert f"{LATSAR_ID} is valid" in run.stderr
    assert "error" not in run.stderr.lower()
    assert no_store(store_path)


# --- 3. cohort list / show / use / close ------------------------------------------------------

LIST_KEYS = {
    "id",
    "programme",
    "angkatan",
    "year",
    "start",
    "end",
    "mode",
    "capacity",
    "participants",
    "status",
    "current",
}
SHOW_KEYS = {
    "id",
    "programme",
    "angkatan",
    "year",
    "organiser",
    "mode",
    "capacity",
    "start",
    "end",
    "jp_minutes",
    "opening",
    "facilitators",
    "sessions",
    "attendance",
    "completion",
    "certificate",
    "status",
    "current",
    "participants",
    "jp_total",
}
SESSION_KEYS = {"session", "date", "start", "end", "title", "jp", "facilitator", "kind"}


@pytest.fixture
def both(cli: RunCli, examples: Path) -> None:
    """Both examples open; LATSAR-2022-XIV, opened last, is current."""
    assert cli("cohort", "open", str(examples / "prm-2021-ii.yaml")).exit_code == 0
    assert cli("cohort", "open", str(examples / "latsar-2022-xiv.yaml")).exit_code == 0


def test_cohort_list_json(cli: RunCli, both: None) -> None:
    run = cli("cohort", "list", "--json")
    assert run.exit_code == 0, run.stderr
    items = {item["id"]: item for item in run.json()}
    assert set(items) == {PRM_ID, LATSAR_ID}
    for item in items.values():
        assert set(item) >= LIST_KEYS, LIST_KEYS - set(item)
    prm = items[PRM_ID]
    assert (prm["programme"], prm["angkatan"], prm["year"]) == ("PRM", 2, 2021)
    assert (prm["start"], prm["end"], prm["mode"]) == ("2021-09-29", "2021-10-29", "daring")
    assert (prm["capacity"], prm["participants"], prm["status"]) == (25, 0, "open")
    assert prm["current"] is False
    assert items[LATSAR_ID]["current"] is True
    assert items[LATSAR_ID]["capacity"] is None
    assert items[LATSAR_ID]["angkatan"] == 14


def test_cohort_show_json_has_the_yaml_keys(cli: RunCli, prm: Path) -> None:
    run = cli("cohort", "show", "--json")
    assert run.exit_code == 0, run.stderr
    data = run.json()
    assert set(data) >= SHOW_KEYS, SHOW_KEYS - set(data)
    source = yaml.safe_load(prm.read_text(encoding="utf-8"))
    assert data["id"] == PRM_ID
    assert data["programme"] == source["programme"]
    assert data["organiser"] == source["organiser"]
    assert data["opening"] == {
        "date": "2021-09-29",
        "by": "Deputi Bidang Kajian dan Inovasi Manajemen ASN",
    }
    assert (data["status"], data["current"], data["participants"]) == ("open", True, 0)
    assert data["jp_total"] == sum(s["jp"] for s in source["sessions"]) == 36
    assert [f["id"] for f in data["facilitators"]] == ["F01", "F02", "F03", "F04"]
    for s in data["sessions"]:
        assert set(s) == SESSION_KEYS
    assert data["sessions"][0] == {
        "session": 1,
        "date": "2021-09-29",
        "start": "09:00",
        "end": "12:00",
        "title": "Pembukaan dan Orientasi Program",
        "jp": 4,
        "facilitator": "F01",
        "kind": "sinkron",
    }
    assert data["certificate"]["number_format"] == "{seq:03d}/STTP/PRM-II/PKASN/{year}"
    assert data["completion"]["min_attendance_pct"] == 90


def test_cohort_show_json_fills_in_omitted_sections(cli: RunCli, examples: Path) -> None:
    assert cli("cohort", "open", str(examples / "latsar-2022-xiv.yaml")).exit_code == 0
    data = cli("cohort", "show", LATSAR_ID, "--json").json()
    assert data["attendance"] == {
        "present_min_pct": 75,
        "late_after_min": 15,
        "counts_as_attended": ["present", "late"],
    }
    number_format = data["certificate"]["number_format"]
    assert isinstance(number_format, str)
    assert "{seq" in number_format
    assert number_format == DEFAULT_NUMBER_FORMAT
    assert data["completion"]["min_attendance_pct"] == 95  # given in the file


def test_human_output_names_the_cohort(cli: RunCli, both: None) -> None:
    for args in (("cohort", "show"), ("schedule", "show"), ("cohort", "list")):
        run = cli(*args)
        assert run.exit_code == 0, run.stderr
        assert LATSAR_ID in run.stdout, args
    run = cli("cohort", "show", PRM_ID)
    assert run.exit_code == 0, run.stderr
    assert PRM_ID in run.stdout
    run = cli("schedule", "show", "--cohort", PRM_ID)
    assert PRM_ID in run.stdout
    assert LATSAR_ID not in run.stdout


def test_use_an_unknown_cohort_lists_the_known_ones(
    cli: RunCli, both: None, store_path: Path
) -> None:
    before = dump(store_path)
    run = cli("cohort", "use", "NOPE-1")
    assert run.exit_code == 1
    assert "NOPE-1" in run.stderr
    assert "hint:" in run.stderr
    assert PRM_ID in run.stderr
    assert LATSAR_ID in run.stderr
    assert dump(store_path) == before


def test_use_switches_the_current_cohort(cli: RunCli, both: None) -> None:
    assert cli("schedule", "show", "--json").json()[0]["title"] == "Pembukaan dan Dinamika Kelompok"
    run = cli("cohort", "use", "prm-2021-ii")  # ids are case-insensitive on the command line
    assert run.exit_code == 0, run.stderr
    assert PRM_ID in run.stderr
    sessions = cli("schedule", "show", "--json").json()
    assert len(sessions) == 11
    assert sessions[0]["title"] == "Pembukaan dan Orientasi Program"
    assert current_id(cli) == PRM_ID


ROSTER = ROOT / "examples" / "peserta-prm-2021-ii.csv"


def test_close_then_open_is_refused(cli: RunCli, prm: Path, store_path: Path) -> None:
    assert cli("roster", "import", str(ROSTER)).exit_code == 0
    run = cli("cohort", "close")
    assert run.exit_code == 0, run.stderr
    assert query(store_path, "SELECT status FROM cohorts") == [("closed",)]
    before = dump(store_path)
    for target in (str(prm), PRM_ID):
        run = cli("cohort", "open", target)
        assert run.exit_code == 1, target
        assert "closed" in run.stderr
        assert dump(store_path) == before


def test_list_hides_closed_cohorts_unless_all(cli: RunCli, both: None) -> None:
    assert cli("roster", "import", str(ROSTER), "--cohort", PRM_ID).exit_code == 0
    assert cli("cohort", "close", PRM_ID).exit_code == 0
    ids = [c["id"] for c in cli("cohort", "list", "--json").json()]
    assert ids == [LATSAR_ID]
    run = cli("cohort", "list")
    assert LATSAR_ID in run.stdout
    assert PRM_ID not in run.stdout
    everything = {c["id"]: c["status"] for c in cli("cohort", "list", "--all", "--json").json()}
    assert everything == {PRM_ID: "closed", LATSAR_ID: "open"}
    assert PRM_ID in cli("cohort", "list", "--all").stdout


# --- 4. the current cohort and --cohort -----------------------------------------------------


def test_no_current_cohort_exits_1_with_a_hint(cli: RunCli, both: None, store_path: Path) -> None:
    execute(store_path, "DELETE FROM settings")
    for args in (("schedule", "show"), ("schedule", "show", "--json"), ("cohort", "show")):
        run = cli(*args)
        assert run.exit_code == 1, args
        assert "no current cohort" in run.stderr
        assert "--cohort" in run.stderr
        assert run.stdout == ""
    assert cli("schedule", "show", "--cohort", PRM_ID, "--json").exit_code == 0


def test_cohort_option_overrides_the_current_cohort(cli: RunCli, examples: Path) -> None:
    assert cli("cohort", "open", str(examples / "latsar-2022-xiv.yaml")).exit_code == 0
    assert cli("cohort", "open", str(examples / "prm-2021-ii.yaml")).exit_code == 0
    run = cli("schedule", "show", "--cohort", LATSAR_ID, "--json")
    assert run.exit_code == 0, run.stderr
    assert len(run.json()) == 7
    assert run.json()[0]["title"] == "Pembukaan dan Dinamika Kelompok"
    assert current_id(cli) == PRM_ID  # --cohort does not change the current cohort


def test_unknown_cohort_option_exits_1(cli: RunCli, prm: Path) -> None:
    run = cli("schedule", "show", "--cohort", "NOPE-1", "--json")
    assert run.exit_code == 1
    assert "unknown cohort" in run.stderr
    assert PRM_ID in run.stderr
    assert run.stdout == ""
    run = cli("cohort", "show", "NOPE-1")
    assert run.exit_code == 1


# --- 5. before the store exists; --db ---------------------------------------------------------

READ_ONLY = [
    ("cohort", "list"),
    ("cohort", "list", "--json"),
    ("cohort", "show"),
    ("cohort", "show", "--json"),
    ("schedule", "show"),
    ("schedule", "show", "--json"),
    ("history",),
    ("history", "--json"),
    ("db", "check"),
    ("db", "backup", "x.db"),
]


@pytest.mark.parametrize("args", READ_ONLY, ids=" ".join)
def test_read_only_commands_before_the_store_exists(
    cli: RunCli, args: tuple[str, ...], store_path: Path, isolated: Path
) -> None:
    run = cli(*args)
    assert run.exit_code == 1
    assert "no store" in run.stderr
    assert run.stdout == ""
    if isinstance(store_path, str):  # a register: its database still holds nothing
        assert register_tables(store_path) == set()
        return
    assert no_store(store_path)
    for suffix in ("-wal", "-journal", "-shm"):
        assert not Path(str(store_path) + suffix).exists()
    assert not (isolated / "x.db").exists()
    assert list(isolated.iterdir()) == []


def test_db_path_prints_the_store_path(cli: RunCli, store_path: Path, tmp_path: Path) -> None:
    run = cli("db", "path")
    assert run.exit_code == 0
    assert run.stdout.strip() == str(store_path)
    other = tmp_path / "other" / "x.db"
    run = cli("--db", str(other), "db", "path")
    assert run.stdout.strip() == str(other)
    assert no_store(store_path)
    assert not other.exists()


def test_db_option_overrides_the_environment(
    cli: RunCli, examples: Path, store_path: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other" / "x.db"
    run = cli("--db", str(other), "cohort", "open", str(examples / "prm-2021-ii.yaml"))
    assert run.exit_code == 0, run.stderr
    assert other.exists()
    assert no_store(store_path)
    assert query(other, "SELECT id FROM cohorts") == [(PRM_ID,)]
    assert cli("--db", str(other), "cohort", "show", "--json").json()["id"] == PRM_ID
    # Without --db, the command uses $REVMENTAL_DB again, which still does not exist.
    run = cli("cohort", "list")
    assert run.exit_code == 1
    assert no_store(store_path)


# --- 6. schedule show -------------------------------------------------------------------------


def test_schedule_json(cli: RunCli, prm: Path) -> None:
    run = cli("schedule", "show", "--json")
    assert run.exit_code == 0, run.stderr
    sessions = run.json()
    source = yaml.safe_load(prm.read_text(encoding="utf-8"))
    names = {f["id"]: f["name"] for f in source["facilitators"]}
    assert len(sessions) == len(source["sessions"]) == 11
    for i, (got, want) in enumerate(zip(sessions, source["sessions"], strict=True), 1):
        assert set(got) == SESSION_KEYS
        assert got["session"] == i
        assert got["date"] == want["date"].isoformat()
        assert (got["start"], got["end"]) == (want["start"], want["end"])
        assert (got["title"], got["jp"], got["kind"]) == (want["title"], want["jp"], want["kind"])
        assert got["facilitator"] == (names[want["facilitator"]] if "facilitator" in want else None)
    assert sessions[0]["facilitator"] == "Dra. Ani Rahayu, M.Si."
    assert sessions[3]["facilitator"] is None
    assert sum(s["jp"] for s in sessions) == sum(s["jp"] for s in source["sessions"]) == 36


def test_schedule_table_groups_by_day(cli: RunCli, examples: Path) -> None:
    assert cli("cohort", "open", str(examples / "latsar-2022-xiv.yaml")).exit_code == 0
    run = cli("schedule", "show")
    assert run.exit_code == 0, run.stderr
    out = run.stdout
    # Each day heads its group with the day's JP.
    for jp, day in [
        (6, "Mon 1 Aug 2022"),
        (7, "Tue 2 Aug 2022"),
        (4, "Wed 3 Aug 2022"),
        (4, "Thu 4 Aug 2022"),
        (4, "Fri 5 Aug 2022"),
    ]:
        assert re.search(rf"(?m)^\s*{jp}\s+{day}\s*$", out), day
    assert "7 sessions over 5 days, 25 JP in total" in out
    # Sessions appear under their day, in order.
    assert out.index("Mon 1 Aug 2022") < out.index("Wawasan Kebangsaan")
    assert out.index("Wawasan Kebangsaan") < out.index("Tue 2 Aug 2022")
    assert out.index("Tue 2 Aug 2022") < out.index("Analisis Isu Kontemporer")
    assert "Yudi Prasetyo, S.T." in out


def test_schedule_table_totals_for_the_reference_cohort(cli: RunCli, prm: Path) -> None:
    run = cli("schedule", "show")
    assert run.exit_code == 0, run.stderr
    assert "11 sessions over 11 days, 36 JP in total" in run.stdout


# --- 9. Rich markup in data -----------------------------------------------------------------

MARKUP_COHORT = """\
id: MARKUP-2023-I
programme: {code: PRM, name: "Pelatihan [italic]Uji[/italic]"}
angkatan: 1
year: 2023
organiser: "Puslatbang [red]PKASN[/red]"
mode: daring
start: 2023-03-01
end: 2023-03-02
facilitators:
  - {id: F01, name: "Budi [/] Santoso", role: fasilitator}
sessions:
  - {date: 2023-03-01, start: "09:00", end: "12:00", title: "Diskusi [bold]Kelompok[/]", jp: 4,
     facilitator: F01}
  - {date: 2023-03-02, start: "09:00", end: "10:30", title: "Penutupan [/]", jp: 2}
"""


def test_markup_in_titles_and_names_prints_literally(
    cli: RunCli, isolated: Path, store_path: Path
) -> None:
    path = isolated / "markup.yaml"
    path.write_text(MARKUP_COHORT, encoding="utf-8")
    run = cli("cohort", "open", str(path))
    assert run.exit_code == 0, run.stderr
    assert "MARKUP-2023-I" in run.stderr

    run = cli("schedule", "show")
    assert run.exit_code == 0, run.stderr
    assert "Diskusi [bold]Kelompok[/]" in run.stdout
    assert "Budi [/] Santoso" in run.stdout
    assert "Penutupan [/]" in run.stdout
    assert "Traceback" not in run.stderr

    run = cli("cohort", "show")
    assert run.exit_code == 0, run.stderr
    assert "Budi [/] Santoso" in run.stdout
    assert "Puslatbang [red]PKASN[/red]" in run.stdout

    sessions = cli("schedule", "show", "--json").json()
    assert sessions[0]["title"] == "Diskusi [bold]Kelompok[/]"
    assert sessions[0]["facilitator"] == "Budi [/] Santoso"


def test_json_is_compact_for_a_program_and_indented_at_a_terminal(
    cli: RunCli, prm: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Piped (as scripts read it): one line, from json's fast C encoder. At a terminal, a
    person reads it: indented."""
    run = cli("cohort", "list", "--json")
    assert run.exit_code == 0, run.stderr
    assert run.stdout.count("\n") == 1 and run.json()[0]["id"] == PRM_ID

    from revmental_cli import render
    from revmental_cli.render import output

    monkeypatch.setattr(output, "_is_terminal", lambda stream: True)
    render.emit_json([{"id": PRM_ID}])
    assert capsys.readouterr().out == '[\n  {\n    "id": "PRM-2021-II"\n  }\n]\n'


def test_changed_attendance_rules_say_the_recorded_statuses_are_stale(
    cli: RunCli, prm: Path, store_path: Path
) -> None:
    """A status is decided when its report is imported; the store keeps the status, so a new
    threshold must not pass silently for already-recorded sessions."""
    enrol(store_path, PRM_ID)
    add_attendance(store_path, PRM_ID, 2)
    text = prm.read_text(encoding="utf-8")
    assert "present_min_pct: 75" in text
    prm.write_text(text.replace("present_min_pct: 75", "present_min_pct: 95"), encoding="utf-8")
    run = cli("cohort", "open", str(prm))
    assert run.exit_code == 0, run.stderr
    assert "session(s) 2 was decided under the previous attendance rules" in run.stderr
    assert "--overwrite" in run.stderr


def test_a_utf16_definition_from_notepad_is_read(cli: RunCli, examples: Path) -> None:
    source = examples / "prm-2021-ii.yaml"
    for codec, name in (("utf-16", "bom.yaml"), ("utf-16-le", "le.yaml")):
        target = examples / name
        target.write_bytes(source.read_text(encoding="utf-8").encode(codec))
        run = cli("cohort", "validate", str(target))
        assert run.exit_code == 0, run.stderr
        assert "is valid" in run.stdout + run.stderr


def test_a_definition_notepad_saved_as_txt_is_named(
    cli: RunCli, isolated: Path, examples: Path
) -> None:
    for path in (isolated / "cohorts").iterdir():
        path.rename(path.with_name(path.name + ".txt"))
    run = cli("cohort", "open")
    assert run.exit_code == 1
    assert "prm-2021-ii.yaml.txt" in run.stderr and "end in .yaml" in run.stderr
