"""An older store is upgraded after a private backup copy; db check knows the tool's rules."""

from __future__ import annotations

import json
import shutil
import sqlite3
import stat
import sys
from pathlib import Path

import pytest
from sqlite_utils import Database

from revmental_cli.migrations import migrations
from revmental_cli.store import open_store
from tests.conftest import FIXTURES, RunCli, execute


def dump(db: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(db)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}
    finally:
        conn.close()


def catalog(db: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name"
        ).fetchall()
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
    execute(store_path, "UPDATE sessions SET jp = 9 WHERE cohort_id = 'PRM-2021-II' AND number = 2")
    result = cli("db", "check")
    assert result.exit_code == 4
    assert "PRM-2021-II: the sessions table differs from the definition" in result.stdout


def test_the_schema_version_counts_the_migrations() -> None:
    from revmental_cli.schema import SCHEMA_VERSION

    assert len(migrations._migrations) == SCHEMA_VERSION


def test_a_store_from_before_user_version_is_stamped_without_migrating(
    cli: RunCli, prm: Path, store_path: Path
) -> None:
    execute(store_path, "PRAGMA user_version = 0")
    assert cli("cohort", "list").exit_code == 0
    conn = sqlite3.connect(store_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(migrations._migrations)
    conn.close()
    assert not list(store_path.parent.glob("*.bak"))


# --- stores saved by earlier versions (tests/fixtures/stores/README.md) -----------------------

STORES = sorted((FIXTURES / "stores").glob("schema-v*.db"), key=lambda p: int(p.stem[8:]))


def test_there_is_a_saved_store_of_the_previous_schema_version() -> None:
    """Every migration must come with a store saved by the version before it."""
    from revmental_cli.schema import SCHEMA_VERSION

    assert FIXTURES / "stores" / f"schema-v{SCHEMA_VERSION - 1}.db" in STORES


@pytest.mark.parametrize("saved", STORES, ids=lambda p: p.stem)
def test_a_saved_store_upgrades_and_reports_the_same(
    cli: RunCli, saved: Path, store_path: Path, tmp_path: Path
) -> None:
    store_path.parent.mkdir(parents=True)
    shutil.copyfile(saved, store_path)
    before = dump(store_path)
    result = cli("report", "completion", "--json")  # the first command upgrades the store
    assert result.exit_code == 0, result.stderr
    expected = json.loads(saved.with_suffix(".completion.json").read_text(encoding="utf-8"))
    got = result.json()
    # Saved before remedials existed: each participant gained "remedial", null for all.
    for p in got["participants"]:
        assert p.pop("remedial") is None
    assert got == expected
    backups = list(store_path.parent.glob("revmental.db.pre-migration-*.bak"))
    if int(saved.stem[8:]) < len(migrations._migrations):
        assert len(backups) == 1 and dump(backups[0]) == before
    else:  # saved just before the next migration is written: nothing to upgrade yet
        assert backups == []
    check = cli("db", "check")
    assert check.exit_code == 0, check.stdout + check.stderr
    conn = sqlite3.connect(store_path)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.close()
    assert version == len(migrations._migrations)
    # Every row is still there (a migration adds, it never loses).
    after = dump(store_path)
    for table, rows in before.items():
        if table not in ("history", "_sqlite_migrations"):
            assert len(after[table]) == len(rows), table
    # And the upgraded file is made as a new store is, to the letter of each CREATE.
    new = tmp_path / "new.db"
    open_store(new, create=True).close()
    assert catalog(store_path) == catalog(new)


def test_a_people_table_changed_by_hand_stops_the_upgrade_untouched(
    cli: RunCli, store_path: Path
) -> None:
    # Schema 6 rebuilds people from its own CREATE with the NIP's CHECK changed: a table whose
    # CHECK is no longer revmental's is refused, not rebuilt half right.
    store_path.parent.mkdir(parents=True)
    shutil.copyfile(FIXTURES / "stores" / "schema-v5.db", store_path)
    conn = sqlite3.connect(store_path)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(
        "UPDATE sqlite_master SET sql = replace(sql, 'length(nip) = 18', 'length(nip) >= 18') "
        "WHERE name = 'people'"
    )
    conn.commit()
    conn.close()
    before = dump(store_path)
    result = cli("report", "completion", "--json")
    assert result.exit_code != 0
    assert "is not a usable revmental store" in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr
    assert dump(store_path) == before
    # Nothing written: not even the copy kept before an upgrade, which did not happen.
    assert list(store_path.parent.iterdir()) == [store_path]
    conn = sqlite3.connect(store_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 5
    conn.close()


def _standing(db: Path) -> list[tuple[str, str, str | None]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT number, nip, revoked_reason FROM certificates ORDER BY seq"
        ).fetchall()
    finally:
        conn.close()


def _add_duplicate(db: Path) -> tuple[str, str]:
    """What two concurrent `certificate issue` left: a second valid certificate, with the next
    number, for the holder of the first one. Returns (first number, duplicate number)."""
    conn = sqlite3.connect(db)
    try:
        number, seq = conn.execute(
            "SELECT number, (SELECT max(seq) FROM certificates) "
            "FROM certificates ORDER BY seq LIMIT 1"
        ).fetchone()
        duplicate = number.replace(number.split("/")[0], f"{seq + 1:03d}", 1)
        conn.execute(
            "INSERT INTO certificates (number, cohort_id, seq, nip, predicate, final_score, "
            "issued_at, name) SELECT ?, cohort_id, ?, nip, predicate, final_score, issued_at, "
            "name FROM certificates WHERE number = ?",
            (duplicate, seq + 1, number),
        )
        conn.commit()
    finally:
        conn.close()
    return number, duplicate


def test_the_upgrade_to_schema_5_revokes_a_duplicate_certificate(
    cli: RunCli, store_path: Path
) -> None:
    from revmental_cli.store.migrations import DUPLICATE_REVOKED

    store_path.parent.mkdir(parents=True)
    shutil.copyfile(FIXTURES / "stores" / "schema-v4.db", store_path)
    first, duplicate = _add_duplicate(store_path)
    count = len(_standing(store_path))
    assert cli("certificate", "list").exit_code == 0  # upgrades
    rows = {number: reason for number, _nip, reason in _standing(store_path)}
    assert len(rows) == count  # no number is deleted
    assert rows[first] is None
    assert rows[duplicate] == DUPLICATE_REVOKED
    lines = [h["summary"] for h in cli("history", "--json").json()]
    assert any(duplicate in line and first in line and "schema 5" in line for line in lines)
    assert cli("db", "check").exit_code == 0
    # The holder keeps one valid certificate: issuing again gives them nothing new.
    assert cli("certificate", "issue").exit_code == 0
    assert len(_standing(store_path)) == count


def test_a_current_store_refuses_a_second_valid_certificate(cli: RunCli, store_path: Path) -> None:
    store_path.parent.mkdir(parents=True)
    shutil.copyfile(FIXTURES / "stores" / "schema-v4.db", store_path)
    assert cli("cohort", "list").exit_code == 0  # upgrades
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE") as refused:
        _add_duplicate(store_path)
    # A race between two `certificate issue` now fails the second one, with a clear message.
    from revmental_cli.errors import StoreBusy
    from revmental_cli.store import translate

    mapped = translate(refused.value, store_path)
    assert isinstance(mapped, StoreBusy)
    assert "issued certificates" in mapped.message and "run the command again" in str(mapped.hint)


def test_certificates_are_never_deleted_nor_unrevoked(cli: RunCli, store_path: Path) -> None:
    store_path.parent.mkdir(parents=True)
    shutil.copyfile(FIXTURES / "stores" / "schema-v4.db", store_path)
    assert cli("certificate", "list").exit_code == 0  # upgrades
    number = _standing(store_path)[0][0]
    assert cli("certificate", "revoke", number, "--reason", "salah cetak").exit_code == 0
    conn = sqlite3.connect(store_path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
            conn.execute("DELETE FROM certificates WHERE number = ?", (number,))
        with pytest.raises(sqlite3.IntegrityError, match="stays revoked"):
            conn.execute("UPDATE certificates SET revoked_at = NULL WHERE number = ?", (number,))
    finally:
        conn.close()


# --- db check finds a broken rule even where the schema no longer enforces it ----------------


@pytest.fixture
def loaded(cli: RunCli, store_path: Path) -> Path:
    """The walkthrough's store, upgraded to the current schema; db check passes."""
    store_path.parent.mkdir(parents=True)
    shutil.copyfile(FIXTURES / "stores" / "schema-v4.db", store_path)
    assert cli("db", "check").exit_code == 0
    return store_path


def tamper(db: Path, *statements: str) -> None:
    conn = sqlite3.connect(db)
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def test_db_check_finds_two_valid_certificates_for_one_person(cli: RunCli, loaded: Path) -> None:
    tamper(loaded, "DROP INDEX certificates_one_standing")
    first, duplicate = _add_duplicate(loaded)
    result = cli("db", "check")
    assert result.exit_code == 4
    assert (
        f"PRM-2021-II: one participant holds 2 valid certificates ({first}, {duplicate})"
        in result.stdout
    )
    assert "lacks certificates_one_standing" in result.stdout


def test_db_check_finds_a_shared_ndh(cli: RunCli, loaded: Path) -> None:
    # Only a rebuilt table can lose UNIQUE (cohort_id, ndh): rebuild it without.
    conn = sqlite3.connect(loaded)
    (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'enrollments'").fetchone()
    conn.close()
    assert "UNIQUE (cohort_id, ndh)" in sql
    loose = sql.replace(",\n    UNIQUE (cohort_id, ndh)", "").replace(
        "CREATE TABLE enrollments", "CREATE TABLE loose"
    )
    tamper(
        loaded,
        loose,
        "INSERT INTO loose SELECT * FROM enrollments",
        "DROP TABLE enrollments",
        "ALTER TABLE loose RENAME TO enrollments",
        "CREATE INDEX enrollments_by_nip ON enrollments (nip)",
        "UPDATE enrollments SET ndh = 3 WHERE ndh = 4",
    )
    result = cli("db", "check")
    assert result.exit_code == 4, result.stdout
    assert "PRM-2021-II: NDH 3 belongs to 2 participants" in result.stdout


def test_db_check_finds_a_dropped_trigger(cli: RunCli, loaded: Path) -> None:
    tamper(loaded, "DROP TRIGGER certificates_never_deleted")
    result = cli("db", "check")
    assert result.exit_code == 4
    assert "lacks certificates_never_deleted" in result.stdout
