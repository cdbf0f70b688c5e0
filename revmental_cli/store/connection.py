"""An open store: the file or register, its connection, transactions, settings and history.

Owns opening (the header and application id check, pragmas, the busy timeout, migration on
open with a backup copy first), ``BEGIN IMMEDIATE`` transactions, the history line every write
records and the settings table. Database errors become the tool's in failures.py; the store's
file and its backups are kept private by files.py. It holds no aggregate's SQL: cohorts,
the roster, attendance, scores, certificates and privacy each have their module beside it.

Two backends: the SQLite file (the default, one administrator) and a PostgreSQL register
(``postgresql://`` in --db or REVMENTAL_DB, several administrators). ``pg.py`` holds what is
PostgreSQL's own (the connection that speaks the modules' SQL, the write lock and why it is
one lock), ``pg_schema.py`` the register's schema; this module dispatches on ``Store.dialect``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from revmental_cli import outcome
from revmental_cli.errors import InputError, StoreUnusable
from revmental_cli.messages import Msg
from revmental_cli.schema import APPLICATION_ID, SCHEMA_VERSION
from revmental_cli.store.failures import RESTORE, database_error, translate
from revmental_cli.store.files import create_private, make_private

SQLITE_HEADER = b"SQLite format 3\x00"
# The tables of a current store (schema 6): one missing means a damaged file, not a new one.
TABLES = frozenset(
    {
        "settings",
        "programmes",
        "cohorts",
        "facilitators",
        "sessions",
        "people",
        "enrollments",
        "attendance",
        "scores",
        "certificates",
        "history",
        "certificate_files",
        "remedials",
    }
)
DEFAULT_BUSY_TIMEOUT = 10.0


def now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def os_user() -> str:
    try:
        import getpass

        return getpass.getuser()
    except Exception:  # no login name on some service accounts and containers
        return "unknown"


def marks(values: Iterable[object]) -> str:
    """``?, ?, ?`` for an IN list (NULL for none: ``x IN (NULL)`` matches nothing)."""
    return ", ".join("?" for _ in values) or "NULL"


class Store:
    """An open store. Use ``open_store``; close with ``close()`` or as a context manager.

    ``path`` is the SQLite file, or the register's URL (without a password) on PostgreSQL;
    ``dialect`` says which ("sqlite" or "postgres")."""

    def __init__(
        self, path: Path | str, conn: Any, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT
    ) -> None:
        self.path = path
        self.conn = conn
        self.command = "revmental"
        self.dialect: str = getattr(conn, "dialect", "sqlite")
        self.busy_timeout = busy_timeout
        # A register's address as given (``path`` is the one messages show); None for a file.
        self.url: str | None = None

    @property
    def db(self) -> Any:
        """The sqlite_utils view of the connection, for migrations only (imported lazily)."""
        from sqlite_utils import Database

        return Database(self.conn)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions ------------------------------------------------------------------------

    @contextlib.contextmanager
    def write(self, *, references_hold: bool = False) -> Iterator[Store]:
        """One transaction for the whole command; the write lock is taken up front so a second
        writer waits (busy timeout) instead of failing halfway (a deferred transaction that
        upgrades to a write lock fails at once with 'database is locked').

        ``references_hold``: the caller writes no row whose parent it has not written or
        checked itself in this transaction (a roster import enrolls exactly the people it
        has just written, in a cohort read under the lock). SQLite then skips the
        foreign-key lookups, one per row: about 0.2 s of a 200,000-row import, for answers
        known in advance. The switch is per connection and only takes effect outside a
        transaction, so it is set before BEGIN and set back after COMMIT or ROLLBACK. A
        PostgreSQL register checks its keys as always."""
        skip_checks = references_hold and self.dialect == "sqlite"
        try:
            with self._undone_on_error():
                if self.dialect == "postgres":
                    from revmental_cli.store.pg import lock_write

                    lock_write(self.conn, self.busy_timeout)
                else:
                    if skip_checks:
                        self.conn.execute("PRAGMA foreign_keys = OFF")
                    self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self
            except BaseException:
                self.rollback()
                raise
            self.commit()
        finally:
            if skip_checks:
                # Enforced again; the transaction is over (committed or rolled back) here.
                with contextlib.suppress(Exception):
                    self.conn.execute("PRAGMA foreign_keys = ON")

    def commit(self) -> None:
        """COMMIT, noting that this process wrote (cli says so if the command fails later).
        Ctrl-C waits until both are done: the message must match what the file holds."""
        with outcome.held():
            with self._undone_on_error():
                self.conn.execute("COMMIT")
            outcome.note_commit()

    @contextlib.contextmanager
    def _undone_on_error(self) -> Iterator[None]:
        """A database error while the transaction begins or ends: roll back what may be left
        of it and raise the tool's error naming the store. Any other error is a bug, raised
        as it is."""
        try:
            yield
        except Exception as exc:
            if not database_error(exc):
                raise
            self.rollback()
            raise translate(exc, self.path) from None

    def rollback(self) -> None:
        # SQLite may have rolled back already (a full disk, an I/O error): nothing left to undo.
        with contextlib.suppress(Exception):
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")

    def record(
        self,
        summary: str,
        *,
        cohort_id: str | None = None,
        file: str | None = None,
        sha256: str | None = None,
    ) -> None:
        """Append to the history, inside the caller's transaction. The id is the next one
        under the write lock (not a sequence, which a rollback would leave a gap in)."""
        self.conn.execute(
            'INSERT INTO history (id, at, "user", command, cohort_id, summary, file, sha256) '
            "SELECT coalesce(max(id), 0) + 1, ?, ?, ?, ?, ?, ?, ? FROM history",
            (now(), os_user(), self.command, cohort_id, summary, file, sha256),
        )

    # --- settings ----------------------------------------------------------------------------

    def current_cohort_id(self) -> str | None:
        row = self.conn.execute(
            "SELECT value FROM settings WHERE key = 'current_cohort'"
        ).fetchone()
        return row[0] if row else None

    def set_current_cohort(self, cohort_id: str) -> None:
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES ('current_cohort', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (cohort_id,),
        )


def open_store(
    path: Path | str, *, create: bool, busy_timeout: float = DEFAULT_BUSY_TIMEOUT
) -> Store:
    """Open (and, for write commands, create) the store, refusing files that are not ours.

    ``create=False`` is for commands that only read: before the store exists they say so and
    create nothing (contract, Global). A ``postgresql://`` URL opens the shared register.
    """
    if isinstance(path, str):
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise InputError(
                Msg("a PostgreSQL register needs the driver psycopg, which is not installed"),
                hint=Msg('install it with: pip install "revmental[postgres]"'),
            ) from None
        from revmental_cli.store.pg_open import open_register

        return open_register(path, create=create, busy_timeout=busy_timeout)
    if path.is_dir():
        raise InputError(
            Msg("{path} is a folder; the store must be a file", path=path),
            hint=Msg("pass a file name with --db, e.g. --db revmental.db"),
        )
    # An empty file (`touch revmental.db`) is no store yet: a read must not turn it into one.
    fresh = not path.exists() or (path.is_file() and path.stat().st_size == 0)
    if fresh and not create:
        raise InputError(
            Msg("there is no store yet at {path}", path=path),
            hint=Msg("open a cohort first: `revmental cohort open cohorts/FILE.yaml`"),
        )
    created = False
    if fresh:
        try:
            if path.exists():
                make_private(path)  # an empty file someone made: private before it holds data
            else:
                create_private(path)
                created = True
        except OSError as exc:
            raise InputError(
                Msg("cannot create the store {path} ({reason})", path=path, reason=exc.strerror)
            ) from None
    else:
        _check_header(path)
    try:
        conn = sqlite3.connect(
            path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as exc:
        _remove_new(path, created)
        raise translate(exc, path) from None
    store = Store(path, conn, busy_timeout=busy_timeout)
    try:
        conn.execute("PRAGMA foreign_keys = ON")  # per connection, outside any transaction
        # Bulk imports insert in NIP order, which is random in the B-trees: a 64 MiB page cache
        # (instead of 2 MiB) keeps the indexes in memory; staging stays in memory too.
        conn.execute("PRAGMA cache_size = -65536")
        conn.execute("PRAGMA temp_store = MEMORY")
        # Deleted personal data is overwritten, not left in free pages (person forget).
        conn.execute("PRAGMA secure_delete = ON")
        _check_and_migrate(store, fresh)
    except sqlite3.Error as exc:
        conn.close()
        _remove_new(path, created)
        raise translate(exc, path) from None
    except BaseException:
        conn.close()
        _remove_new(path, created)
        raise
    return store


def _remove_new(path: Path, created: bool) -> None:
    """A store this command created and could not finish (a full disk, Ctrl-C) is removed:
    an empty or half-made file would be taken for a store by the next command."""
    if created:
        for leftover in (path, path.with_name(path.name + "-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink()


def open_read_only(path: Path) -> Store | None:
    """The store for shell completion: read-only, a short busy timeout, no checks and no
    migration (a Tab press must stay instant); None when there is none or it cannot open."""
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.5)
    except sqlite3.Error:
        return None
    return Store(path, conn)


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreUnusable(
            Msg("{path} cannot be read ({reason})", path=path, reason=exc.strerror)
        ) from None
    if head and head != SQLITE_HEADER:
        raise StoreUnusable(
            Msg("{path} is not a revmental store (it is not an SQLite database)", path=path),
            hint=Msg("use --db to choose another file; this one was left untouched"),
        )


def _check_and_migrate(store: Store, fresh: bool) -> None:
    conn = store.conn
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if app_id not in (0, APPLICATION_ID) or (app_id == 0 and tables):
        raise StoreUnusable(
            Msg(
                "{path} is an SQLite database of another program, not a revmental store",
                path=store.path,
            ),
            hint=Msg("use --db to choose another file; this one was left untouched"),
        )
    # The usual case costs one PRAGMA: the schema is current, and sqlite_utils (a tenth of
    # the start-up of every command) is not even imported.
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:
        require_tables(store, tables)
        return
    if version < 0:
        # No version of revmental writes these: an edited or damaged file, not an old store
        # (upgrading it would rebuild tables over data it does not understand).
        raise StoreUnusable(
            Msg(
                "{path} has an unknown schema version ({version}); it is not a store revmental "
                "can use",
                path=store.path,
                version=version,
            ),
            hint=RESTORE,
        )
    if version > SCHEMA_VERSION:
        raise newer(store)
    from revmental_cli.store.migrations import migrations

    known = {m.name for m in migrations._migrations}
    applied = {m.name for m in migrations.applied(store.db)}
    if applied - known:
        raise newer(store)
    if migrations.pending(store.db):
        if applied and not fresh:
            # An older store: keep a copy before changing its schema.
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            assert isinstance(store.path, Path)  # only a file has SQLite's migrations
            from revmental_cli.store.files import backup_to

            backup = store.path.with_name(f"{store.path.name}.pre-migration-{stamp}.bak")
            backup_to(store, backup)
        else:
            backup = None
        try:
            with store.write():
                # Checked again under the lock: another process may have migrated meanwhile.
                migrations.apply(store.db)
        except BaseException:
            # The upgrade is one transaction, rolled back: the store is as the copy has it,
            # and a command that fails writes nothing, so the copy goes too.
            if backup is not None:
                with contextlib.suppress(OSError):
                    backup.unlink()
            raise
    with store.write():
        conn.execute(f"PRAGMA user_version = {len(known)}")


def require_tables(store: Store, present: set[str]) -> None:
    """A current store lacking one of its tables is damaged, not new: refused."""
    missing = TABLES - present
    if missing:
        raise StoreUnusable(
            Msg(
                "{path} is a damaged revmental store: tables missing ({tables})",
                path=store.path,
                tables=", ".join(sorted(missing)),
            ),
            hint=RESTORE,
        )


def newer(store: Store) -> StoreUnusable:
    return StoreUnusable(
        Msg("{path} was made by a newer version of revmental", path=store.path),
        hint=Msg("upgrade revmental (pip install --upgrade revmental) to use this store"),
    )
