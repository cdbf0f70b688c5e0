"""What is the PostgreSQL register's own: a database that is not ours, the password, db check,
db backup through pg_dump, erasing a person, and the web view over a register.

The commands that behave the same on both backends are tested on both by the modules marked
``both_backends``; these are the cases only a server has.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from revmental_cli.store.connection import TABLES
from tests.conftest import GRADED, ROOT, RunCli, execute, query, register_tables

pytestmark = pytest.mark.postgres

AHMAD = ("198309222012091919", "Ahmad Fauzi")


@pytest.fixture
def register(pg_database: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("REVMENTAL_DB", pg_database)
    return pg_database


@pytest.fixture
def journey(cli: RunCli, register: str, prm: Path) -> str:
    """The example cohort in the register: roster, Zoom reports, scores, certificates."""
    for args in (*GRADED[1:], ("certificate", "issue")):  # the cohort is open already (prm)
        run = cli(*args)
        assert run.exit_code == 0, (args, run.stderr)
    return register


def test_a_database_of_another_program_is_refused_untouched(cli: RunCli, register: str) -> None:
    execute(register, "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total INTEGER)")
    for args in (
        ("cohort", "list"),
        ("cohort", "open", str(ROOT / "cohorts" / "prm-2021-ii.yaml")),
    ):
        run = cli(*args)
        assert run.exit_code == 4, run.stderr
        assert "another program" in run.stderr
    assert register_tables(register) == {"invoices"}


def test_a_password_in_the_address_is_refused_and_never_shown(cli: RunCli, pg_server: str) -> None:
    url = pg_server.replace("postgres@", "postgres:s3cr3t-pw@")
    run = cli("--db", url, "cohort", "list")
    assert run.exit_code == 1
    assert "PGPASSWORD" in run.stderr
    assert "s3cr3t" not in run.stderr + run.stdout


def test_a_server_that_does_not_answer_exits_4(
    cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVMENTAL_BUSY_TIMEOUT", "2")
    run = cli("--db", "postgresql://postgres@127.0.0.1:1/revmental", "cohort", "list")
    assert run.exit_code == 4
    assert "cannot reach the register" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_register_of_a_newer_revmental_is_refused(cli: RunCli, journey: str) -> None:
    execute(
        journey,
        "INSERT INTO revmental_migrations (name, applied_at) VALUES ('m999_future', 'x')",
    )
    run = cli("roster", "show", "--json")
    assert run.exit_code == 4
    assert "newer version" in run.stderr


def test_migrations_run_once_and_the_schema_is_complete(cli: RunCli, journey: str) -> None:
    assert query(journey, "SELECT name FROM revmental_migrations") == [("m006_schema_6",)]
    assert TABLES.issubset(register_tables(journey))
    # NIPs and phones stay text, with their leading zeros, as in the SQLite file.
    types = dict(
        query(
            journey,
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = 'people' AND column_name IN ('nip', 'phone')",
        )
    )
    assert types == {"nip": "text", "phone": "text"}


def test_history_ids_are_gap_free_after_a_refused_write(cli: RunCli, journey: str) -> None:
    refused = cli("roster", "import", str(ROOT / "README.md"))
    assert refused.exit_code != 0
    ok = cli("attendance", "mark", AHMAD[0], "--session", "4", "--status", "izin")
    assert ok.exit_code == 0, ok.stderr
    ids = [r[0] for r in query(journey, "SELECT id FROM history ORDER BY id")]
    assert ids == list(range(1, len(ids) + 1))


def test_db_check_checks_the_rules_and_names_a_missing_guard(cli: RunCli, journey: str) -> None:
    run = cli("db", "check")
    assert run.exit_code == 0, run.stderr
    assert "PostgreSQL register" in run.stdout
    execute(journey, "DROP INDEX certificates_one_standing")
    run = cli("db", "check")
    assert run.exit_code == 4
    assert "certificates_one_standing" in run.stdout + run.stderr


def test_the_certificate_guards_hold_on_the_server(journey: str) -> None:
    import psycopg

    number = query(journey, "SELECT number FROM certificates ORDER BY seq LIMIT 1")[0][0]
    with pytest.raises(psycopg.Error, match="never deleted"):
        execute(journey, "DELETE FROM certificates WHERE number = ?", (number,))
    execute(journey, "UPDATE certificates SET revoked_at = 'x' WHERE number = ?", (number,))
    with pytest.raises(psycopg.Error, match="stays revoked"):
        execute(journey, "UPDATE certificates SET revoked_at = NULL WHERE number = ?", (number,))


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed")
def test_db_backup_is_a_private_pg_dump(cli: RunCli, journey: str, tmp_path: Path) -> None:
    dest = tmp_path / "register.dump"
    run = cli("db", "backup", str(dest))
    assert run.exit_code == 0, run.stderr
    if os.name == "posix":
        assert stat.S_IMODE(dest.stat().st_mode) == 0o600
    listing = subprocess.run(
        ["pg_restore", "--list", str(dest)], capture_output=True, text=True, check=True
    ).stdout
    assert "TABLE DATA public certificates" in listing
    assert "TABLE DATA public people" in listing
    again = cli("db", "backup", str(dest))
    assert again.exit_code == 1
    assert "already exists" in again.stderr
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    history = cli("history", "--json").json()
    assert any("backup" in h["summary"] for h in history)


def test_forget_leaves_nothing_readable_through_sql(cli: RunCli, journey: str) -> None:
    nip, name = AHMAD
    run = cli("person", "forget", nip, "--yes")
    assert run.exit_code == 0, run.stderr
    for table in sorted(register_tables(journey)):
        for row in query(journey, f'SELECT * FROM "{table}"'):
            text = " ".join(str(v) for v in row)
            assert nip not in text, table
            assert name.casefold() not in text.casefold(), table


@pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")
def test_the_web_view_reads_the_register(journey: str) -> None:
    pytest.importorskip("starlette")
    from starlette.testclient import TestClient

    from revmental_cli.web.app import create_app

    before = query(journey, "SELECT count(*) FROM history")
    client = TestClient(create_app(), base_url="http://127.0.0.1")
    pages = [
        "/",
        "/cohort/PRM-2021-II",
        "/cohort/PRM-2021-II/roster",
        "/cohort/PRM-2021-II/attendance",
        "/cohort/PRM-2021-II/completion",
        "/cohort/PRM-2021-II/certificates",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, (page, response.text[:500])
        assert AHMAD[0] not in response.text  # masked
    roster = client.get("/cohort/PRM-2021-II/roster").text
    assert AHMAD[1] in roster
    assert "<svg" in client.get("/cohort/PRM-2021-II/attendance").text
    assert query(journey, "SELECT count(*) FROM history") == before  # read-only
