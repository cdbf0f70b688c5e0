"""Tab completion of cohort ids, session numbers and NIPs from the store (bash protocol)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, RunCli


def complete(words: str, store: Path) -> list[str]:
    """What bash would offer after `words` (the last word being completed)."""
    parts = words.split(" ")
    env = {
        **os.environ,
        "REVMENTAL_DB": str(store),
        "_REVMENTAL_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(parts) - 1),
    }
    result = subprocess.run(
        [sys.executable, "-m", "revmental_cli"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


@pytest.fixture
def store(cli: RunCli, prm: Path, store_path: Path) -> Path:
    assert (
        cli("roster", "import", str(FIXTURES / "roster" / "peserta-prm-2021-ii.csv")).exit_code == 0
    )
    return store_path


def test_cohort_ids_complete(store: Path) -> None:
    assert complete("revmental cohort use ", store) == ["PRM-2021-II"]
    assert complete("revmental cohort use PRM-20", store) == ["PRM-2021-II"]
    assert complete("revmental schedule show --cohort X", store) == []


def test_sessions_and_nips_complete_for_the_current_cohort(store: Path) -> None:
    assert complete("revmental attendance show --session 1", store) == ["1", "10", "11"]
    nips = complete("revmental attendance mark 1980", store)
    assert nips == ["198010062002042080"]
    assert len(complete("revmental roster withdraw ", store)) == 25


def test_completion_without_a_store_offers_nothing_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "none" / "revmental.db"
    assert complete("revmental cohort use ", missing) == []
    assert not missing.exists() and not missing.parent.exists()


def test_the_shell_script_is_available(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "revmental_cli", "--show-completion", "bash"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert "_REVMENTAL_COMPLETE" in result.stdout
