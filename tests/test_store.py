"""The store file: privacy, migrations, refusing files that are not ours, locking, backups,
checks and the history."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import revmental_cli.store as store_mod
from revmental_cli.errors import StoreBusy
from revmental_cli.migrations import migrations
from revmental_cli.store import open_store
from revmental_cli.store.cohorts import cohort_ids
from tests.conftest import EXAMPLES, RunCli, query

PRM_ID = "PRM-2021-II"
LATSAR_ID = "LATSAR-2022-XIV"
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def dump(db: Path) -> list[str]:
    con = sqlite3.connect(db)
    try:
        return list(con.iterdump())
    finally:
        con.close()


# --- creation -------------------------------------------------------------------------------


@posix_only
def test_store_is_private_and_its_folders_are_created(
    cli: RunCli, examples: Path, store_path: Path
) -> None:
    assert not store_path.parent.exists()
    old = os.umask(0o022)  # the usual umask: a plain sqlite3 file would be 0644
    try:
        run = cli("cohort", "open", str(examples / "prm-2021-ii.yaml"))
    finally:
        os.umask(old)
    assert run.exit_code == 0, run.stderr
    assert store_path.is_file()
    assert mode(store_path) == 0o600
    for suffix in ("-wal", "-shm", "-journal"):
        side = Path(str(store_path) + suffix)
        if side.exists():
            assert mode(side) == 0o600, suffix


@posix_only
def test_store_in_a_deep_new_folder_with_db_option(
    cli: RunCli, examples: Path, tmp_path: Path
) -> None:
    deep = tmp_path / "a" / "b" / "c" / "store.db"
    run = cli("--db", str(deep), "cohort", "open", str(examples / "prm-2021-ii.yaml"))
    assert run.exit_code == 0, run.stderr
    assert deep.is_file()
    assert mode(deep) == 0o600


def test_migrations_are_applied_once(cli: RunCli, examples: Path, store_path: Path) -> None:
    assert cli("cohort", "open", str(examples / "prm-2021-ii.yaml")).exit_code == 0
    first = query(store_path, "SELECT migration_set, name FROM _sqlite_migrations ORDER BY id")
    assert first
    assert len(first) == len(set(first))
    assert cli("cohort", "open", str(examples / "latsar-2022-xiv.yaml")).exit_code == 0
    assert cli("cohort", "list").exit_code == 0
    with open_store(store_path, create=True):
        pass
    again = query(store_path, "SELECT migration_set, name FROM _sqlite_migrations ORDER BY id")
    assert again == first
    assert {name for _, name in again} == {m.name for m in migrations._migrations}


# --- files that are not ours ----------------------------------------------------------------


def _garbage(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 8 + os.urandom(512))


def _text(path: Path) -> None:
    path.write_text("just some notes\n\n", encoding="utf-8")


def _other_program(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE foo (a INTEGER, b TEXT)")
    con.execute("INSERT INTO foo VALUES (1, 'x')")
    con.commit()
    con.close()


def _newer_version(path: Path) -> None:
    with open_store(path, create=True):
        pass
    con = sqlite3.connect(path)
    con.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('revmental', 'm999_future', 'x')"
    )
    con.execute("PRAGMA user_version = 999")  # what a newer revmental leaves behind
    con.commit()
    con.close()


NOT_OURS: dict[str, tuple[Callable[[Path], None], str]] = {
    "garbage": (_garbage, "not a revmental store"),
    "text": (_text, "not a revmental store"),
    "other-program": (_other_program, "another program"),
    "newer-version": (_newer_version, "newer version"),
}


@pytest.mark.parametrize("command", ["open", "list", "show", "check"])
@pytest.mark.parametrize("kind", list(NOT_OURS))
def test_a_file_that_is_not_our_store_exits_4_untouched(
    cli: RunCli, examples: Path, store_path: Path, kind: str, command: str
) -> None:
    make, message = NOT_OURS[kind]
    store_path.parent.mkdir(parents=True)
    make(store_path)
    before = store_path.read_bytes()
    siblings = sorted(p.name for p in store_path.parent.iterdir())
    args = {
        "open": ("cohort", "open", str(examples / "prm-2021-ii.yaml")),
        "list": ("cohort", "list", "--json"),
        "show": ("cohort", "show", PRM_ID),
        "check": ("db", "check"),
    }[command]
    run = cli(*args)
    assert run.exit_code == 4, run.stderr
    assert message in run.stderr
    assert "Traceback" not in run.stderr
    assert run.stdout == ""
    assert store_path.read_bytes() == before
    assert sorted(p.name for p in store_path.parent.iterdir()) == siblings


# --- the schema -----------------------------------------------------------------------------


def test_schema_is_strict_and_keeps_nip_and_phone_as_text(prm: Path, store_path: Path) -> None:
    columns = {row[1]: row[2] for row in query(store_path, "PRAGMA table_info(people)")}
    assert columns["nip"] == "TEXT"
    assert columns["phone"] == "TEXT"
    for table in ("enrollments", "attendance", "scores", "certificates"):
        types = {row[1]: row[2] for row in query(store_path, f"PRAGMA table_info({table})")}
        assert types["nip"] == "TEXT", table
    tables = query(
        store_path,
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite_%' AND name != '_sqlite_migrations'",
    )
    assert {"people", "enrollments", "attendance", "scores", "cohorts", "history"} <= {
        name for name, _ in tables
    }
    for name, sql in tables:
        assert sql.rstrip().endswith("STRICT"), name


def test_a_nip_stays_text_with_its_leading_zero(prm: Path, store_path: Path) -> None:
    with open_store(store_path, create=False) as store, store.write():
        store.conn.execute(
            "INSERT INTO people (nip, name, phone, created_at, updated_at) "
            "VALUES (?, 'A', ?, 'x', 'x')",
            ("012345678901234567", "0812345678"),
        )
    assert query(store_path, "SELECT nip, typeof(nip), phone, typeof(phone) FROM people") == [
        ("012345678901234567", "text", "0812345678", "text")
    ]
    # STRICT TEXT: even a number given by mistake is stored as text, never as an integer.
    con = sqlite3.connect(store_path)
    con.execute(
        "INSERT INTO people (nip, name, created_at, updated_at) "
        "VALUES (123456789012345678, 'B', 'x', 'x')"
    )
    con.commit()
    con.close()
    assert query(store_path, "SELECT typeof(nip) FROM people WHERE name = 'B'") == [("text",)]


ORPHAN = (
    "INSERT INTO enrollments (cohort_id, nip, ndh, enrolled_at, updated_at) "
    "VALUES ('NOPE-1', '199001012015031001', 1, 'x', 'x')"
)


def test_foreign_keys_are_on_for_a_store_connection(prm: Path, store_path: Path) -> None:
    with open_store(store_path, create=False) as store:
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        with pytest.raises(sqlite3.IntegrityError), store.write():
            store.conn.execute(ORPHAN)
    assert query(store_path, "SELECT count(*) FROM enrollments") == [(0,)]


@pytest.mark.parametrize("ending", ["commit", "error"])
def test_a_write_that_sets_foreign_keys_aside_enforces_them_again_after(
    prm: Path, store_path: Path, ending: str
) -> None:
    # The roster import's write skips the foreign-key lookups (its references hold by
    # construction); the connection must enforce them again once that write is over,
    # whether it committed or failed.
    with open_store(store_path, create=False) as store:
        if ending == "commit":
            with store.write(references_hold=True):
                assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 0
        else:
            with pytest.raises(RuntimeError), store.write(references_hold=True):
                raise RuntimeError("the write failed")
        assert not store.conn.in_transaction
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        with pytest.raises(sqlite3.IntegrityError), store.write():
            store.conn.execute(ORPHAN)
    assert query(store_path, "SELECT count(*) FROM enrollments") == [(0,)]


def test_a_roster_import_leaves_no_broken_reference(
    cli: RunCli, prm: Path, store_path: Path, tmp_path: Path
) -> None:
    # Written without the per-row foreign-key lookups: a first import, then one that
    # updates, adds and renumbers, must leave every enrollment's person and cohort there.
    first = tmp_path / "first.csv"
    first.write_text(
        "NDH,NIP,Nama\n1,199001012015031001,Ani\n2,198507142010122002,Budi Santoso\n",
        encoding="utf-8",
    )
    second = tmp_path / "second.csv"
    second.write_text(
        "NIP,Nama\n198507142010122002,Budi Santoso Baru\n199203032019031003,Citra\n",
        encoding="utf-8",
    )
    for file in (first, second):
        result = cli("roster", "import", str(file))
        assert result.exit_code == 0, result.output
    assert query(store_path, "SELECT nip, ndh FROM enrollments ORDER BY ndh") == [
        ("199001012015031001", 1),
        ("198507142010122002", 2),
        ("199203032019031003", 3),
    ]
    assert query(store_path, "PRAGMA foreign_key_check") == []
    assert cli("db", "check").exit_code == 0


def test_read_only_open_before_the_store_exists_creates_nothing(store_path: Path) -> None:
    from revmental_cli.errors import InputError

    with pytest.raises(InputError, match="no store"):
        open_store(store_path, create=False)
    assert not store_path.exists()
    assert not store_path.parent.exists()


# --- a second writer ------------------------------------------------------------------------


@pytest.fixture
def locked(prm: Path, store_path: Path) -> Iterator[sqlite3.Connection]:
    """Another process's write transaction, holding the write lock."""
    con = sqlite3.connect(store_path, isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    con.execute("INSERT INTO settings (key, value) VALUES ('other', 'writer')")
    yield con
    con.execute("ROLLBACK")
    con.close()


def test_a_second_writer_gets_store_busy(locked: sqlite3.Connection, store_path: Path) -> None:
    store = open_store(store_path, create=True, busy_timeout=0.2)
    try:
        with pytest.raises(StoreBusy) as info, store.write():
            store.set_current_cohort("X")
        assert info.value.exit_code == 3
        assert "busy" in info.value.message
    finally:
        store.close()


def test_a_busy_store_exits_3_through_the_cli(
    cli: RunCli,
    examples: Path,
    locked: sqlite3.Connection,
    store_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = store_mod.open_store

    def quick(path: Path, *, create: bool, busy_timeout: float = 0.2) -> store_mod.Store:
        return real(path, create=create, busy_timeout=0.2)

    monkeypatch.setattr(store_mod, "open_store", quick)
    run = cli("cohort", "open", str(examples / "latsar-2022-xiv.yaml"))
    assert run.exit_code == 3, run.stderr
    assert "busy" in run.stderr
    assert "Traceback" not in run.stderr
    locked.execute("ROLLBACK")
    locked.execute("BEGIN")  # the fixture rolls back again
    assert query(store_path, "SELECT id FROM cohorts") == [(PRM_ID,)]


# --- backup and check -----------------------------------------------------------------------


def test_backup_is_a_private_valid_copy(
    cli: RunCli, examples: Path, store_path: Path, isolated: Path
) -> None:
    assert cli("cohort", "open", str(examples / "prm-2021-ii.yaml")).exit_code == 0
    assert cli("cohort", "open", str(examples / "latsar-2022-xiv.yaml")).exit_code == 0
    dest = isolated / "backups" / "copy.db"
    run = cli("db", "backup", str(dest))
    assert run.exit_code == 0, run.stderr
    assert dest.is_file()
    if sys.platform != "win32":
        assert mode(dest) == 0o600
    copied, now = dump(dest), dump(store_path)
    # The store has one more history line since: the record of this export.
    extra = [line for line in now if line not in copied]
    assert len(extra) == 1 and "revmental db backup" in extra[0]
    assert [line for line in now if line not in extra] == copied
    with open_store(dest, create=False) as copy:
        assert sorted(cohort_ids(copy)) == [LATSAR_ID, PRM_ID]
    listed = cli("--db", str(dest), "cohort", "list", "--json")
    assert listed.exit_code == 0, listed.stderr
    assert sorted(c["id"] for c in listed.json()) == [LATSAR_ID, PRM_ID]
    assert cli("--db", str(dest), "db", "check").exit_code == 0


def test_backup_refuses_an_existing_destination(
    cli: RunCli, prm: Path, isolated: Path, store_path: Path
) -> None:
    dest = isolated / "copy.db"
    dest.write_bytes(b"precious")
    before = dump(store_path)
    run = cli("db", "backup", str(dest))
    assert run.exit_code == 1
    assert "already exists" in run.stderr
    assert dest.read_bytes() == b"precious"
    assert dump(store_path) == before


def test_db_check_on_a_fresh_store(cli: RunCli, prm: Path, store_path: Path) -> None:
    run = cli("db", "check")
    assert run.exit_code == 0, run.stderr
    assert "no problems" in run.stderr


def test_db_check_reports_a_dangling_reference(cli: RunCli, prm: Path, store_path: Path) -> None:
    con = sqlite3.connect(store_path)  # foreign keys off: the damage goes in
    con.execute(
        "INSERT INTO enrollments (cohort_id, nip, ndh, enrolled_at, updated_at) "
        "VALUES ('PRM-2021-II', '199001012015031001', 1, 'x', 'x')"
    )
    con.commit()
    con.close()
    run = cli("db", "check")
    assert run.exit_code == 4
    assert "enrollments" in run.stdout + run.stderr


# --- history --------------------------------------------------------------------------------


def test_history_json_oldest_first_with_the_file_hash(
    cli: RunCli, examples: Path, store_path: Path
) -> None:
    prm, latsar = examples / "prm-2021-ii.yaml", examples / "latsar-2022-xiv.yaml"
    assert cli("cohort", "open", str(prm)).exit_code == 0
    assert cli("cohort", "open", str(latsar)).exit_code == 0
    assert cli("cohort", "use", PRM_ID).exit_code == 0
    assert cli("cohort", "open", str(FIVE)).exit_code == 1  # a failure is not history
    run = cli("history", "--json")
    assert run.exit_code == 0, run.stderr
    rows = run.json()
    assert len(rows) == 3
    for row in rows:
        assert set(row) == {"at", "user", "command", "summary", "file", "sha256"}
        assert row["user"]
    assert [r["at"] for r in rows] == sorted(r["at"] for r in rows)
    first, second, third = rows
    assert first["command"] == "revmental cohort open"
    assert PRM_ID in first["summary"]
    assert first["file"] == str(prm)
    assert first["sha256"] == hashlib.sha256(prm.read_bytes()).hexdigest()
    assert LATSAR_ID in second["summary"]
    assert second["sha256"] == hashlib.sha256(latsar.read_bytes()).hexdigest()
    assert third["command"] == "revmental cohort use"
    assert third["file"] is None
    assert third["sha256"] is None
    human = cli("history")
    assert human.exit_code == 0
    assert "cohort open" in human.stdout


FIVE = Path(__file__).parent / "fixtures" / "cohorts" / "five-mistakes.yaml"


def test_history_hash_is_the_hash_of_the_file_bytes_even_with_a_bom(
    cli: RunCli, isolated: Path
) -> None:
    path = isolated / "prm-bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + (EXAMPLES / "prm-2021-ii.yaml").read_bytes())
    assert cli("cohort", "open", str(path)).exit_code == 0
    rows = cli("history", "--json").json()
    assert rows[-1]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


# --- the package: its names, and what opening a store loads -------------------------------------


def test_the_store_package_keeps_every_name_of_the_old_module() -> None:
    # Loading the submodules that share a name with a function must not rebind the name.
    import importlib
    import types

    for module in ("attendance", "certificates", "roster", "scores", "checks", "privacy"):
        importlib.import_module(f"revmental_cli.store.{module}")
    for name in store_mod.__all__:
        assert getattr(store_mod, name) is not None, name
    for name in ("attendance", "certificates"):
        assert not isinstance(getattr(store_mod, name), types.ModuleType), name
        assert callable(getattr(store_mod, name)), name
    from revmental_cli.store import attendance, certificates

    assert attendance.__module__ == "revmental_cli.store.attendance"
    assert certificates.__module__ == "revmental_cli.store.certificates"
    with pytest.raises(AttributeError):
        _ = store_mod.no_such_name


OPEN_PROBE = """
import sys
from pathlib import Path
loaded_before = set(sys.modules)
from revmental_cli.store import open_store
from revmental_cli.store.cohorts import cohort_summaries
store = open_store(Path(sys.argv[1]), create=False)
store.current_cohort_id()
cohort_summaries(store)
store.close()
watched = ["sqlite_utils", "json", "revmental_cli.domain.cohort", "revmental_cli.store.roster",
           "revmental_cli.store.roster_import", "revmental_cli.store.migrations",
           "revmental_cli.store.checks"]
sys.stdout.write(repr([m for m in watched if m in sys.modules and m not in loaded_before]))
"""


def test_opening_a_current_store_loads_no_heavy_module(
    cli: RunCli, examples: Path, store_path: Path
) -> None:
    """`cohort list` on a current store: no sqlite_utils (migrations), no json, no cohort
    model, and only the store modules it uses."""
    assert cli("cohort", "open", str(examples / "prm-2021-ii.yaml")).exit_code == 0
    proc = subprocess.run(
        [sys.executable, "-c", OPEN_PROBE, str(store_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "[]", proc.stdout


def test_help_does_not_import_the_store() -> None:
    code = (
        "import sys\n"
        "from revmental_cli.cli import main\n"
        "sys.argv = ['revmental', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(repr(sorted(m for m in sys.modules if m.startswith("
        "('revmental_cli.store', 'revmental_cli.records', 'revmental_cli.migrations')))))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "REVMENTAL_LANG": "en"},
    )
    assert proc.stderr.strip().endswith("[]"), proc.stderr


def test_none_is_still_bound_as_null_with_the_roster_import_s_adapter() -> None:
    # store/roster_import.py registers an adapter for None (it skips a failing attribute lookup per
    # bound None); every other type must bind as before, and None as NULL.
    from revmental_cli.store.roster_import import _bind_none_directly

    _bind_none_directly()
    assert (type(None), sqlite3.PrepareProtocol) in sqlite3.adapters
    con = sqlite3.connect(":memory:")
    try:
        con.execute("CREATE TABLE t (a, b, c, d)")
        con.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", [(None, 1, "x", 1.5), (None,) * 4])
        rows = con.execute("SELECT typeof(a), typeof(b), typeof(c), typeof(d) FROM t").fetchall()
        assert rows == [("null", "integer", "text", "real"), ("null", "null", "null", "null")]
        assert con.execute("SELECT count(*) FROM t WHERE a IS NULL").fetchone() == (2,)
    finally:
        con.close()
