"""Every test runs the real commands on a private temporary store, from a temporary folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
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
# The example cohort's files (examples/), for the tests that run its whole journey.
EXAMPLE_DATA = ROOT / "examples"
ATTENDANCE = EXAMPLE_DATA / "attendance"
ROSTER = EXAMPLE_DATA / "peserta-prm-2021-ii.csv"
SCORES = EXAMPLE_DATA / "nilai-prm-2021-ii.csv"
ZOOM = [ATTENDANCE / f"zoom-sesi-{n:02d}.csv" for n in (1, 2, 3, 5, 6, 7, 8, 10, 11)]
PASSED = 21  # of the example cohort's 25 participants (tests/test_journey.py)
# The command lines that take a new store to the example cohort graded (PASSED pass), in order.
GRADED: tuple[tuple[str, ...], ...] = (
    ("cohort", "open", str(EXAMPLES / "prm-2021-ii.yaml")),
    ("roster", "import", str(ROSTER)),
    ("attendance", "import", *map(str, ZOOM)),
    *(("attendance", "import", str(ATTENDANCE / f"mandiri-sesi-{n:02d}.csv"), "-s", str(n))
      for n in (4, 9)),
    ("score", "import", str(SCORES)),
)  # fmt: skip


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


RunCli = Callable[..., Run]


def query(db: Path | str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows of the store as the database itself holds them (tests check the store, not only
    output): the SQLite file, or the PostgreSQL register when ``db`` is its URL (the SQL is
    written in SQLite's spelling, as the store's own)."""
    if isinstance(db, str):
        import psycopg

        from revmental_cli.store.pg import PgConnection

        with psycopg.connect(db, autocommit=True) as raw:
            return [tuple(r) for r in PgConnection(raw).execute(sql, params).fetchall()]
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def dump(db: Path | str) -> list[str]:
    """The whole store as text lines, to prove that a command wrote nothing."""
    if isinstance(db, str):
        lines = []
        for table in sorted(register_tables(db)):
            rows = query(db, f'SELECT * FROM "{table}"')
            lines += sorted(f"{table}: {row!r}" for row in rows)
        return lines
    import sqlite3

    con = sqlite3.connect(db)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def no_store(where: Path | str) -> bool:
    """Nothing was created: no file (nor its folder's leftovers), or an empty database."""
    if isinstance(where, str):
        return register_tables(where) == set()
    return not where.exists() and (not where.parent.exists() or not any(where.parent.iterdir()))


def register_tables(url: str) -> set[str]:
    """The tables of a PostgreSQL register's database (empty: no store was created)."""
    rows = query(
        url,
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()",
    )
    return {r[0] for r in rows}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--backend",
        choices=("both", "sqlite", "postgres"),
        default="both",
        help="the stores the tests marked both_backends run on (default: both; the "
        "PostgreSQL half skips, saying why, when PostgreSQL is not installed)",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked ``both_backends`` run once on an SQLite file and once on a PostgreSQL
    register (marked ``postgres``: ``-m "not postgres"`` leaves that half out)."""
    if metafunc.definition.get_closest_marker("both_backends") is None:
        return
    if metafunc.definition.get_closest_marker("sqlite_file") is not None:
        return  # it looks at the SQLite file itself
    chosen = metafunc.config.getoption("--backend")
    params = []
    if chosen in ("both", "sqlite"):
        params.append(pytest.param("sqlite", id="sqlite"))
    if chosen in ("both", "postgres"):
        params.append(pytest.param("postgres", id="pg", marks=pytest.mark.postgres))
    metafunc.parametrize("backend", params, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(scope="session")
def pg_server() -> Any:
    """A PostgreSQL server for the whole run (tests/pgserver.py): its URL."""
    import pgserver

    try:
        manager = pgserver.cluster()
        url = manager.__enter__()
    except (FileNotFoundError, RuntimeError, OSError) as exc:
        pytest.skip(f"PostgreSQL cannot be started here: {exc}")
    except Exception as exc:  # initdb or pg_ctl failed: say why, once
        pytest.skip(f"PostgreSQL did not start: {exc}")
    yield url
    manager.__exit__(None, None, None)


@pytest.fixture
def pg_database(pg_server: str) -> Any:
    """An empty database of its own on the test server: its URL."""
    import pgserver

    url = pgserver.fresh_database(pg_server)
    yield url
    pgserver.drop_database(pg_server, url)


@pytest.fixture(autouse=True)
def isolated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest, backend: str
) -> Path:
    """A store of its own and an empty working folder for every test: a file, or for a test
    running on PostgreSQL an empty database of its own."""
    if backend == "postgres":
        monkeypatch.setenv("REVMENTAL_DB", request.getfixturevalue("pg_database"))
    else:
        monkeypatch.setenv("REVMENTAL_DB", str(tmp_path / "store" / "revmental.db"))
    monkeypatch.setenv("REVMENTAL_LANG", "en")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("REVMENTAL_DEBUG", raising=False)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


@pytest.fixture
def store_path(tmp_path: Path, isolated: Path) -> Any:
    """The store of the test: the SQLite file's path, or the register's URL on PostgreSQL."""
    import os

    where = os.environ["REVMENTAL_DB"]
    return where if where.startswith("postgresql://") else tmp_path / "store" / "revmental.db"


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


def execute(db: Path | str, sql: str, params: tuple[Any, ...] = ()) -> None:
    """Change the store behind revmental's back (a damaged or an old store), committed."""
    if isinstance(db, str):
        import psycopg

        from revmental_cli.store.pg import PgConnection

        with psycopg.connect(db, autocommit=True) as raw:
            PgConnection(raw).execute(sql, params)
        return
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(sql, params)
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


# --- files and processes as a user makes and starts them ---------------------------------------


def sheet(path: Path, text: str, *, bom: bool = False) -> Path:
    """``text`` saved as a spreadsheet program saves a CSV: CRLF line ends, UTF-8, and with
    ``bom`` the byte-order mark Excel's "CSV UTF-8" writes first."""
    encoded = text.replace("\n", "\r\n").encode("utf-8")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + encoded)
    return path


ImportRoster = Callable[..., Run]


@pytest.fixture
def import_roster(cli: RunCli, tmp_path: Path) -> ImportRoster:
    """``import_roster(name, text, *options, bom=False)``: ``text`` saved as a sheet (see
    ``sheet``) named ``name`` in the test's folder, then `roster import`ed with ``options``."""

    def run(name: str, text: str, *options: str, bom: bool = False) -> Run:
        return cli("roster", "import", str(sheet(tmp_path / name, text, bom=bom)), *options)

    return run


def revmental_process(
    args: list[str], db: Path | str, cwd: Path | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """``revmental ARGS`` in a process of its own on ``db``, in English, its output captured as
    text: for what only a real process shows (the console's encoding, locks, exit codes)."""
    return subprocess.run(
        [sys.executable, "-m", "revmental_cli", *args],
        cwd=cwd,
        env={**os.environ, "REVMENTAL_DB": str(db), "REVMENTAL_LANG": "en", **env},
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=120,
    )
