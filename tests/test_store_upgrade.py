"""An older store is upgraded after a private backup copy; db check knows the tool's rules."""

from __future__ import annotations

import sqlite3
import stat
import sys
from pathlib import Path

import pytest
from sqlite_utils import Database

from revmental_cli.migrations import migrations
from tests.conftest import RunCli


def dump(db: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(db)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}
    finally:
        conn.close()


def test_an_older_store_is_copied_before_it_is_migrated(
    cli: RunCli, prm: Path, store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A newer revmental: one more migration than the store has seen.
    def m999_add_a_column(db: Database) -> None:
        db.execute("ALTER TABLE people ADD COLUMN nickname TEXT")

    import revmental_cli.store.connection as store_module

    monkeypatch.setattr(store_module, "SCHEMA_VERSION", len(migrations._migrations) + 1)
    monkeypatch.setattr(
        migrations,
        "_migrations",
        [*migrations._migrations, migrations._Migration("m999_add_a_column", m999_add_a_column)],
    )
    before = dump(store_path)
    result = cli("cohort", "list", "--json")
    assert result.exit_code == 0, result.stderr
    backups = list(store_path.parent.glob("revmental.db.pre-migration-*.bak"))
    assert len(backups) == 1
    assert dump(backups[0]) == before  # the copy is the store as it was
    if sys.platform != "win32":
        assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600
    conn = sqlite3.connect(store_path)
    columns = {row[1] for row in conn.execute("PRAGMA table_info(people)")}
    applied = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")]
    conn.close()
    assert "nickname" in columns and applied.count("m999_add_a_column") == 1
    # Opening again migrates nothing and copies nothing.
    assert cli("cohort", "list").exit_code == 0
    assert len(list(store_path.parent.glob("*.bak"))) == 1


def test_db_check_finds_a_broken_rule_of_the_tool(cli: RunCli, prm: Path, store_path: Path) -> None:
    assert cli("db", "check").exit_code == 0
    conn = sqlite3.connect(store_path)
    conn.execute("UPDATE sessions SET jp = 9 WHERE cohort_id = 'PRM-2021-II' AND number = 2")
    conn.commit()
    conn.close()
    result = cli("db", "check")
    assert result.exit_code == 4
    assert "PRM-2021-II: the sessions table differs from the definition" in result.stdout


def test_the_schema_version_counts_the_migrations() -> None:
    from revmental_cli.schema import SCHEMA_VERSION

    assert len(migrations._migrations) == SCHEMA_VERSION


def test_a_store_from_before_user_version_is_stamped_without_migrating(
    cli: RunCli, prm: Path, store_path: Path
) -> None:
    conn = sqlite3.connect(store_path)
    conn.execute("PRAGMA user_version = 0")
    conn.commit()
    conn.close()
    assert cli("cohort", "list").exit_code == 0
    conn = sqlite3.connect(store_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(migrations._migrations)
    conn.close()
    assert not list(store_path.parent.glob("*.bak"))
