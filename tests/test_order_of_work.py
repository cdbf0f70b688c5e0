"""Steps taken in the wrong order are refused with what comes first; closing says it is final,
can be tried dry, asks at a terminal and refuses an empty cohort."""

from __future__ import annotations

from pathlib import Path

import pytest

import revmental_cli.commands.cohort as cohort_cmd
from tests.conftest import ROOT, RunCli
from tests.conftest import query as rows

pytestmark = pytest.mark.both_backends

ROSTER = ROOT / "examples" / "peserta-prm-2021-ii.csv"
ZOOM = ROOT / "examples" / "attendance" / "zoom-sesi-01.csv"


def test_attendance_before_any_roster_is_refused_with_a_hint(
    cli: RunCli, prm: Path, store_path: Path
) -> None:
    before = rows(store_path, "SELECT count(*) FROM history")
    run = cli("attendance", "import", str(ZOOM))
    assert run.exit_code == 1
    assert "PRM-2021-II has no participants yet" in run.stderr
    assert "revmental roster import FILE" in run.stderr
    assert rows(store_path, "SELECT count(*) FROM attendance") == [(0,)]
    assert rows(store_path, "SELECT count(*) FROM history") == before


def test_attendance_before_any_roster_in_indonesian(
    cli: RunCli, prm: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVMENTAL_LANG", "id")
    run = cli("attendance", "import", str(ZOOM))
    assert run.exit_code == 1
    assert "belum memiliki peserta" in run.stderr


def test_an_empty_cohort_is_not_closed(cli: RunCli, prm: Path, store_path: Path) -> None:
    run = cli("cohort", "close")
    assert run.exit_code == 1
    assert "has no participants" in run.stderr
    assert rows(store_path, "SELECT status FROM cohorts") == [("open",)]


def test_close_dry_run_says_what_it_would_freeze_and_writes_nothing(
    cli: RunCli, prm: Path, store_path: Path
) -> None:
    assert cli("roster", "import", str(ROSTER)).exit_code == 0
    before = rows(store_path, "SELECT * FROM history")
    run = cli("cohort", "close", "--dry-run")
    assert run.exit_code == 0, run.stderr
    assert "25 participant(s)" in run.stderr
    assert "cannot be undone" in run.stderr
    assert "was not closed" in run.stderr
    assert rows(store_path, "SELECT status FROM cohorts") == [("open",)]
    assert rows(store_path, "SELECT * FROM history") == before


def test_close_says_it_is_final(cli: RunCli, prm: Path, store_path: Path) -> None:
    assert cli("roster", "import", str(ROSTER)).exit_code == 0
    run = cli("cohort", "close")
    assert run.exit_code == 0, run.stderr
    assert "for good" in run.stderr
    assert rows(store_path, "SELECT status FROM cohorts") == [("closed",)]


class _Terminal:
    """stdin as a terminal, so that close asks."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("answer", "code", "status"), [("n\n", 1, "open"), ("y\n", 0, "closed")])
def test_close_asks_at_a_terminal(
    cli: RunCli,
    prm: Path,
    store_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    code: int,
    status: str,
) -> None:
    assert cli("roster", "import", str(ROSTER)).exit_code == 0

    class FakeSys:
        stdin = _Terminal()

    monkeypatch.setattr(cohort_cmd, "sys", FakeSys)
    run = cli("cohort", "close", input=answer)
    assert run.exit_code == code, run.stderr
    assert "for good?" in run.stderr
    assert rows(store_path, "SELECT status FROM cohorts") == [(status,)]


def test_close_yes_does_not_ask(
    cli: RunCli, prm: Path, store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("roster", "import", str(ROSTER)).exit_code == 0

    class FakeSys:
        stdin = _Terminal()

    monkeypatch.setattr(cohort_cmd, "sys", FakeSys)
    run = cli("cohort", "close", "--yes")
    assert run.exit_code == 0, run.stderr
    assert "for good?" not in run.stderr
    assert rows(store_path, "SELECT status FROM cohorts") == [("closed",)]
