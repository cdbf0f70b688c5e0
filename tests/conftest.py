"""Every test runs the real commands on a private temporary store, from a temporary folder."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from revmental_cli.cli import app

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLES = ROOT / "cohorts"


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


RunCli = Callable[..., Run]


def query(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows of the store as SQLite itself holds them (tests check the store, not only output)."""
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store of its own and an empty working folder for every test."""
    monkeypatch.setenv("REVMENTAL_DB", str(tmp_path / "store" / "revmental.db"))
    monkeypatch.setenv("REVMENTAL_LANG", "en")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("REVMENTAL_DEBUG", raising=False)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "revmental.db"


@pytest.fixture
def cli() -> RunCli:
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Run:
        # Each command is a new process for a user: its consoles read COLUMNS afresh.
        from revmental_cli import render

        render.out.cache_clear()
        render.err.cache_clear()
        result = runner.invoke(app, list(args), input=input, catch_exceptions=False)
        return Run(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def examples(isolated: Path) -> Path:
    """The repository's example cohorts copied to ./cohorts/ of the working folder."""
    shutil.copytree(EXAMPLES, isolated / "cohorts")
    return isolated / "cohorts"


@pytest.fixture
def prm(cli: RunCli, examples: Path) -> Path:
    """The reference cohort, opened and current."""
    result = cli("cohort", "open", str(examples / "prm-2021-ii.yaml"))
    assert result.exit_code == 0, result.stderr
    return examples / "prm-2021-ii.yaml"


@pytest.fixture
def bench() -> Any:
    """bench/run.py as a module: its realistic roster and cohort generators serve the tests
    that need a large cohort."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def execute(db: Path, sql: str) -> None:
    """Change the store behind revmental's back (a damaged or an old store), committed."""
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


# --- shared by the tests of several nouns -----------------------------------------------------

CANONICAL = FIXTURES / "roster" / "peserta-prm-2021-ii.csv"


@pytest.fixture
def enrolled(cli: RunCli, prm: Path, store_path: Path) -> Path:
    """PRM-2021-II open and current, with the 25 participants of the canonical roster."""
    run = cli("roster", "import", str(CANONICAL))
    assert run.exit_code == 0, run.stderr
    return store_path
