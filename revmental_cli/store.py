"""The store: the only module that knows SQL and table names.

One SQLite file, private to the user (0600), migrated whenever it is opened. Every write runs
in one ``BEGIN IMMEDIATE`` transaction together with its history record, so a failed or
interrupted command leaves the store exactly as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from revmental_cli.domain.cohort import Cohort

from revmental_cli.errors import InputError, NotFound, StoreBusy, StoreUnusable
from revmental_cli.schema import APPLICATION_ID, SCHEMA_VERSION

SQLITE_HEADER = b"SQLite format 3\x00"
DEFAULT_BUSY_TIMEOUT = 10.0


def now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def os_user() -> str:
    try:
        import getpass

        return getpass.getuser()
    except Exception:  # no login name on some service accounts and containers
        return "unknown"


def create_private(path: Path) -> None:
    """Create an empty file readable only by its owner, before SQLite opens it (pitfalls.md)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    os.close(fd)
    make_private(path)


def make_private(path: Path) -> None:
    # On Windows chmod only toggles read-only; privacy there comes from the per-user profile
    # folder the store lives in (README, "Windows").
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)


# Rows read from the store are NamedTuples: immutable, and cheap to define and to build (a
# report builds thousands; a dataclass costs a fifth of a millisecond to define at start-up).
class CohortRow(NamedTuple):
    cohort: Cohort
    status: str
    source_file: str | None
    source_sha256: str | None
    opened_at: str
    updated_at: str
    closed_at: str | None
    participants: int


class CohortSummary(NamedTuple):
    id: str
    programme_code: str
    programme_name: str
    angkatan: int
    year: int
    organiser: str
    mode: str
    start: dt.date
    end: dt.date
    capacity: int | None
    participants: int
    status: str


class Recorded(NamedTuple):
    """What a cohort already holds that a changed definition could drop."""

    attendance_by_session: dict[int, int]
    scores_by_component: dict[str, int]


class Store:
    """An open store. Use ``open_store``; close with ``close()`` or as a context manager."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn
        self.command = "revmental"

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
    def write(self) -> Iterator[Store]:
        """One transaction for the whole command; the write lock is taken up front so a second
        writer waits (busy timeout) instead of failing halfway (pitfalls.md)."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise translate(exc, self.path) from None
        try:
            yield self
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                self.conn.execute("ROLLBACK")
                raise translate(exc, self.path) from None

    def assert_open(self, cohort_id: str) -> None:
        """Inside a write transaction: a cohort closed since the command began stays closed
        (a long import must not write into it after `cohort close`)."""
        row = self.conn.execute("SELECT status FROM cohorts WHERE id = ?", (cohort_id,)).fetchone()
        if row is not None and row[0] == "closed":
            raise InputError(
                f"cohort {cohort_id} is closed; its results are frozen",
                hint="closed cohorts are read-only",
            )

    def record(
        self,
        summary: str,
        *,
        cohort_id: str | None = None,
        file: str | None = None,
        sha256: str | None = None,
    ) -> None:
        """Append to the history, inside the caller's transaction."""
        self.conn.execute(
            "INSERT INTO history (at, user, command, cohort_id, summary, file, sha256) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
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

    # --- cohorts -----------------------------------------------------------------------------

    def cohort_exists(self, cohort_id: str) -> bool:
        return (
            self.conn.execute("SELECT 1 FROM cohorts WHERE id = ?", (cohort_id,)).fetchone()
            is not None
        )

    def cohort_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM cohorts ORDER BY start_date, id")]

    def cohort_sources(self) -> dict[str, str | None]:
        return dict(self.conn.execute("SELECT id, source_file FROM cohorts").fetchall())

    def cohorts(self, *, include_closed: bool = True) -> list[CohortRow]:
        sql = _COHORT_SELECT + (" " if include_closed else " WHERE c.status = 'open' ")
        sql += "ORDER BY c.start_date DESC, c.id"
        return [_cohort_row(r) for r in self.conn.execute(sql)]

    def cohort_summaries(self, *, include_closed: bool = True) -> list[CohortSummary]:
        """What `cohort list` shows, from the cohorts' columns: no definition is decoded."""
        sql = (
            # The programme's name as this cohort's own definition gives it.
            "SELECT c.id, c.programme_code, json_extract(c.definition, '$.programme.name'), "
            "c.angkatan, c.year, c.organiser, c.mode, "
            "c.start_date, c.end_date, c.capacity, (SELECT count(*) FROM enrollments e "
            "WHERE e.cohort_id = c.id AND e.status = 'enrolled'), c.status "
            "FROM cohorts c"
            + ("" if include_closed else " WHERE c.status = 'open'")
            + " ORDER BY c.start_date DESC, c.id"
        )
        return [
            CohortSummary(
                id=r[0],
                programme_code=r[1],
                programme_name=r[2],
                angkatan=r[3],
                year=r[4],
                organiser=r[5],
                mode=r[6],
                start=dt.date.fromisoformat(r[7]),
                end=dt.date.fromisoformat(r[8]),
                capacity=r[9],
                participants=r[10],
                status=r[11],
            )
            for r in self.conn.execute(sql)
        ]

    def cohort(self, cohort_id: str) -> CohortRow:
        row = self.conn.execute(_COHORT_SELECT + " WHERE c.id = ?", (cohort_id,)).fetchone()
        if row is None:
            known = ", ".join(self.cohort_ids()) or "none yet"
            raise NotFound(
                f"unknown cohort '{cohort_id}'",
                hint=f"cohorts in this store: {known}; open one with `revmental cohort open FILE`",
            )
        return _cohort_row(row)

    def recorded(self, cohort_id: str) -> Recorded:
        att = dict(
            self.conn.execute(
                "SELECT session, count(*) FROM attendance WHERE cohort_id = ? GROUP BY session",
                (cohort_id,),
            ).fetchall()
        )
        scores = dict(
            self.conn.execute(
                "SELECT component, count(*) FROM scores WHERE cohort_id = ? GROUP BY component",
                (cohort_id,),
            ).fetchall()
        )
        return Recorded(att, scores)

    def save_cohort(
        self,
        cohort: Cohort,
        *,
        source_file: str | None,
        sha256: str | None,
        reset: Iterable[int] = (),
    ) -> None:
        """Insert or replace a cohort's definition, its facilitators and sessions.

        Sessions are matched by number: attendance of sessions that remain is kept; the caller
        has already refused (or been told to --force) dropping recorded data.
        """
        stamp = now()
        c = self.conn
        reset = list(reset)
        c.execute(
            f"DELETE FROM attendance WHERE cohort_id = ? AND session IN ({_marks(reset)})",
            (cohort.id, *reset),
        )
        c.execute(
            "INSERT INTO programmes (code, name) VALUES (?, ?) "
            "ON CONFLICT (code) DO UPDATE SET name = excluded.name",
            (cohort.programme_code, cohort.programme_name),
        )
        import json

        from revmental_cli.domain.cohort import cohort_to_dict

        definition = json.dumps(cohort_to_dict(cohort), ensure_ascii=False)
        c.execute(
            """
            INSERT INTO cohorts (id, programme_code, angkatan, year, organiser, mode, capacity,
                start_date, end_date, jp_minutes, definition, source_file, source_sha256,
                opened_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET
                programme_code = excluded.programme_code, angkatan = excluded.angkatan,
                year = excluded.year, organiser = excluded.organiser, mode = excluded.mode,
                capacity = excluded.capacity, start_date = excluded.start_date,
                end_date = excluded.end_date, jp_minutes = excluded.jp_minutes,
                definition = excluded.definition, source_file = excluded.source_file,
                source_sha256 = excluded.source_sha256, updated_at = excluded.updated_at
            """,
            (
                cohort.id,
                cohort.programme_code,
                cohort.angkatan,
                cohort.year,
                cohort.organiser,
                cohort.mode,
                cohort.capacity,
                cohort.start.isoformat(),
                cohort.end.isoformat(),
                cohort.jp_minutes,
                definition,
                source_file,
                sha256,
                stamp,
                stamp,
            ),
        )
        c.execute("DELETE FROM facilitators WHERE cohort_id = ?", (cohort.id,))
        c.executemany(
            "INSERT INTO facilitators (cohort_id, id, name, role) VALUES (?, ?, ?, ?)",
            [(cohort.id, f.id, f.name, f.role) for f in cohort.facilitators],
        )
        numbers = [s.number for s in cohort.sessions]
        c.execute(
            f"DELETE FROM sessions WHERE cohort_id = ? AND number NOT IN ({_marks(numbers)})",
            (cohort.id, *numbers),
        )
        c.executemany(
            """
            INSERT INTO sessions (cohort_id, number, date, start_time, end_time, title, jp,
                facilitator_id, kind)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (cohort_id, number) DO UPDATE SET
                date = excluded.date, start_time = excluded.start_time,
                end_time = excluded.end_time, title = excluded.title, jp = excluded.jp,
                facilitator_id = excluded.facilitator_id, kind = excluded.kind
            """,
            [
                (
                    cohort.id,
                    s.number,
                    s.date.isoformat(),
                    f"{s.start:%H:%M}",
                    f"{s.end:%H:%M}",
                    s.title,
                    s.jp,
                    s.facilitator,
                    s.kind,
                )
                for s in cohort.sessions
            ],
        )
        keys = [comp.key for comp in cohort.completion.components]
        c.execute(
            f"DELETE FROM scores WHERE cohort_id = ? AND component NOT IN ({_marks(keys)})",
            (cohort.id, *keys),
        )

    def close_cohort(self, cohort_id: str) -> None:
        self.conn.execute(
            "UPDATE cohorts SET status = 'closed', closed_at = ?, updated_at = ? WHERE id = ?",
            (now(), now(), cohort_id),
        )

    # --- history -----------------------------------------------------------------------------

    def history(self) -> list[dict[str, Any]]:
        cur = self.conn.execute(
            "SELECT at, user, command, cohort_id, summary, file, sha256 FROM history ORDER BY id"
        )
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur]


_COHORT_SELECT = """
SELECT c.definition, c.status, c.source_file, c.source_sha256, c.opened_at, c.updated_at,
       c.closed_at,
       (SELECT count(*) FROM enrollments e WHERE e.cohort_id = c.id AND e.status = 'enrolled')
FROM cohorts c
"""


def _cohort_row(row: tuple[Any, ...]) -> CohortRow:
    # Imported here: listing cohorts (cohort_summaries) needs no cohort model, nor json.
    import json

    from revmental_cli.domain.cohort import cohort_from_dict

    return CohortRow(
        cohort=cohort_from_dict(json.loads(row[0])),
        status=row[1],
        source_file=row[2],
        source_sha256=row[3],
        opened_at=row[4],
        updated_at=row[5],
        closed_at=row[6],
        participants=row[7],
    )


def _marks(values: Iterable[object]) -> str:
    return ", ".join("?" for _ in values) or "NULL"


def translate(exc: sqlite3.Error, path: Path) -> Exception:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return StoreBusy(
            f"the store {path} is busy: another revmental process is writing to it",
            hint="wait for it to finish and run the command again (nothing was written)",
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StoreUnusable(
            f"{path} is not a usable revmental store ({exc})",
            hint="restore it from a backup (`revmental db backup` makes one), or use --db to "
            "choose another file",
        )
    return exc


def open_store(path: Path, *, create: bool, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> Store:
    """Open (and, for write commands, create) the store, refusing files that are not ours.

    ``create=False`` is for commands that only read: before the store exists they say so and
    create nothing (contract, Global).
    """
    if path.is_dir():
        raise InputError(
            f"{path} is a folder; the store must be a file",
            hint="pass a file name with --db, e.g. --db revmental.db",
        )
    # An empty file (`touch revmental.db`) is no store yet: a read must not turn it into one.
    fresh = not path.exists() or (path.is_file() and path.stat().st_size == 0)
    if fresh and not create:
        raise InputError(
            f"there is no store yet at {path}",
            hint="open a cohort first: `revmental cohort open cohorts/FILE.yaml`",
        )
    if fresh:
        try:
            if path.exists():
                make_private(path)  # an empty file someone made: private before it holds data
            else:
                create_private(path)
        except OSError as exc:
            raise InputError(f"cannot create the store {path} ({exc.strerror})") from None
    else:
        _check_header(path)
    try:
        conn = sqlite3.connect(
            path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as exc:
        raise translate(exc, path) from None
    store = Store(path, conn)
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
        raise translate(exc, path) from None
    except BaseException:
        conn.close()
        raise
    return store


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreUnusable(f"{path} cannot be read ({exc.strerror})") from None
    if head and head != SQLITE_HEADER:
        raise StoreUnusable(
            f"{path} is not a revmental store (it is not an SQLite database)",
            hint="use --db to choose another file; this one was left untouched",
        )


def _check_and_migrate(store: Store, fresh: bool) -> None:
    conn = store.conn
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if app_id not in (0, APPLICATION_ID) or (app_id == 0 and tables):
        raise StoreUnusable(
            f"{store.path} is an SQLite database of another program, not a revmental store",
            hint="use --db to choose another file; this one was left untouched",
        )
    # The usual case costs one PRAGMA: the schema is current, and sqlite_utils (a tenth of
    # the start-up of every command) is not even imported.
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:
        return
    if version > SCHEMA_VERSION:
        raise _newer(store)
    from revmental_cli.migrations import migrations

    known = {m.name for m in migrations._migrations}
    applied = {m.name for m in migrations.applied(store.db)}
    if applied - known:
        raise _newer(store)
    if migrations.pending(store.db):
        if applied and not fresh:
            # An older store: keep a copy before changing its schema.
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            backup_to(store, store.path.with_name(f"{store.path.name}.pre-migration-{stamp}.bak"))
        with store.write():
            # Checked again under the lock: another process may have migrated meanwhile.
            migrations.apply(store.db)
    with store.write():
        conn.execute(f"PRAGMA user_version = {len(known)}")


def _newer(store: Store) -> StoreUnusable:
    return StoreUnusable(
        f"{store.path} was made by a newer version of revmental",
        hint="upgrade revmental (pip install --upgrade revmental) to use this store",
    )


def backup_to(store: Store, dest: Path) -> None:
    """A consistent copy through SQLite's online backup API, private like the store.

    Written whole or not at all: a copy that fails halfway (a full disk) is removed."""
    if dest.is_dir():
        raise InputError(f"{dest} is a folder", hint="name a backup file inside it")
    if dest.exists():
        raise InputError(f"{dest} already exists", hint="choose a new file name for the backup")
    try:
        create_private(dest)
    except OSError as exc:
        raise InputError(f"cannot write {dest} ({exc.strerror or exc})") from None
    target = sqlite3.connect(dest)
    try:
        store.conn.backup(target)
    except sqlite3.Error as exc:
        target.close()
        with contextlib.suppress(OSError):
            dest.unlink()
        raise InputError(
            f"cannot write {dest} ({exc})", hint="check the free space where the backup goes"
        ) from None
    finally:
        target.close()
    make_private(dest)


# --- roster ---------------------------------------------------------------------------------------

PERSON_FIELDS = (
    "birth_place",
    "birth_date",
    "sex",
    "golongan",
    "pangkat",
    "position",
    "agency",
    "work_unit",
    "email",
    "phone",
    "employment",
)
_STAGING_COLUMNS = ("line", "ndh", "nip", "name", *PERSON_FIELDS)
_BATCH = 5000


@dataclass
class RosterOutcome:
    """What a roster import did (or, in a dry run or a refused import, would do)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, dict[str, str], list[str]]] = field(default_factory=list)
    overlaps: list[tuple[str, str, str]] = field(default_factory=list)  # nip, name, other cohort
    written: bool = False
    renumbered: str = ""  # the file's "No" column (as named there), read as row numbers


class Participant(NamedTuple):
    ndh: int
    nip: str
    name: str
    golongan: str | None
    pangkat: str | None
    position: str | None
    agency: str | None
    work_unit: str | None
    email: str | None
    phone: str | None
    status: str
    withdrawn_reason: str | None


class RosterImport:
    """Stage parsed rows in a temporary table, then check and merge them with set-based SQL.

    Staging streams (a million-row file is never held in Python memory) and lets the checks
    that need the whole file and the store (NDH numbering, capacity) run as single queries.
    """

    def __init__(
        self,
        store: Store,
        cohort: Cohort,
        *,
        nip_column: str = "NIP",
        ndh_column: str = "NDH",
        ndh_may_count_rows: bool = False,
    ) -> None:
        self.store = store
        self.cohort = cohort
        self.nip_column = nip_column
        self.ndh_column = ndh_column
        # A column headed "No" may be the sheet's own row counter rather than the NDH.
        self.ndh_may_count_rows = ndh_may_count_rows
        self.renumbered = False
        c = store.conn
        c.execute("DROP TABLE IF EXISTS temp.staging")
        c.execute(
            "CREATE TEMP TABLE staging (line INTEGER PRIMARY KEY, ndh INTEGER, nip TEXT NOT NULL, "
            "name TEXT NOT NULL, "
            + ", ".join(f"{f} TEXT" for f in PERSON_FIELDS)
            + ", problem TEXT, new INTEGER DEFAULT 1, changed INTEGER DEFAULT 1)"
        )
        self.rejected: list[tuple[int, dict[str, str], list[str]]] = []
        self.fresh = False  # set by check(): the cohort has no enrollments yet
        self._batch: list[tuple[Any, ...]] = []
        self._insert = (
            f"INSERT INTO staging ({', '.join(_STAGING_COLUMNS)}) "
            f"VALUES ({', '.join('?' for _ in _STAGING_COLUMNS)})"
        )

    def add(self, values: tuple[Any, ...]) -> None:
        """One valid row, in ``_STAGING_COLUMNS`` order (empty optional fields as None)."""
        self._batch.append(values)
        if len(self._batch) >= _BATCH:
            self._flush()

    def reject(self, line: int, raw: dict[str, str], errors: list[str]) -> None:
        self.rejected.append((line, raw, errors))

    def _flush(self) -> None:
        if self._batch:
            self.store.conn.executemany(self._insert, self._batch)
            self._batch.clear()

    def check(self) -> None:
        """Whole-file rules that need the store: capacity, then NDH numbering."""
        self._flush()
        c = self.store.conn
        cid = self.cohort.id
        # A cohort's first import (the usual case, and every large one) skips every step that
        # compares with enrollments it does not have yet: all its rows are new.
        self.fresh = not c.execute(
            "SELECT EXISTS (SELECT 1 FROM enrollments WHERE cohort_id = ?)", (cid,)
        ).fetchone()[0]
        c.execute("CREATE INDEX temp.staging_ndh ON staging (ndh)")
        if not self.fresh:
            c.execute("CREATE INDEX temp.staging_nip ON staging (nip)")
            c.execute(
                "UPDATE staging SET new = NOT EXISTS (SELECT 1 FROM enrollments e "
                "WHERE e.cohort_id = ? AND e.nip = staging.nip)",
                (cid,),
            )
        capacity = self.cohort.capacity
        if capacity is not None:
            enrolled = c.execute(
                "SELECT count(*) FROM enrollments WHERE cohort_id = ? AND status = 'enrolled'",
                (cid,),
            ).fetchone()[0]
            room = max(capacity - enrolled, 0)
            c.execute(
                "UPDATE staging SET problem = ? WHERE line IN (SELECT line FROM staging "
                "WHERE new AND problem IS NULL ORDER BY line LIMIT -1 OFFSET ?)",
                (
                    f"{self.nip_column}: the cohort is full (capacity {capacity}, "
                    f"{enrolled} already enrolled) — raise capacity in the cohort file, "
                    "or import fewer participants",
                    room,
                ),
            )
        # A second agency's list numbered 1, 2, 3... like the first one: those are its row
        # numbers, not NDHs (they belong to the first agency's participants). Read them as
        # such, so the cohort's numbering continues, instead of refusing every row.
        if not self.fresh and self.ndh_may_count_rows:
            # Row numbers follow the file's lines (No = line - header line, whatever rows were
            # rejected); and they are the file's own when they belong to participants who are
            # not in this file (a full list renumbered on purpose only swaps its own people's
            # numbers, and is taken at its word).
            counts_rows, clashes = c.execute(
                "SELECT count(DISTINCT line - ndh) = 1 AND min(line - ndh) >= 1 "
                "AND count(ndh) = count(*), EXISTS (SELECT 1 FROM staging s "
                "JOIN enrollments e ON e.cohort_id = ? AND e.ndh = s.ndh AND e.nip != s.nip "
                "WHERE s.problem IS NULL AND e.nip NOT IN (SELECT nip FROM staging)) "
                "FROM staging WHERE problem IS NULL",
                (cid,),
            ).fetchone()
            if counts_rows and clashes:
                c.execute("UPDATE staging SET ndh = NULL")
                self.renumbered = True
        # Participants already enrolled keep their NDH unless the file gives one.
        if not self.fresh:
            c.execute(
                "UPDATE staging SET ndh = (SELECT e.ndh FROM enrollments e WHERE e.cohort_id = ? "
                "AND e.nip = staging.nip) WHERE ndh IS NULL AND NOT new",
                (cid,),
            )
        base = c.execute(
            "SELECT max(coalesce((SELECT max(ndh) FROM enrollments WHERE cohort_id = ?), 0), "
            "coalesce((SELECT max(ndh) FROM staging WHERE problem IS NULL), 0))",
            (cid,),
        ).fetchone()[0]
        c.execute(
            # UPDATE ... FROM numbers the rows once; a CTE in the SET clause would be
            # evaluated again for every row, after earlier rows had already been numbered.
            "UPDATE staging SET ndh = ? + numbered.n FROM (SELECT line, row_number() OVER "
            "(ORDER BY line) AS n FROM staging WHERE ndh IS NULL AND problem IS NULL) AS numbered "
            "WHERE numbered.line = staging.line",
            (base,),
        )
        # An NDH may belong to one participant only: in the file, and against the cohort.
        c.execute(
            "UPDATE staging SET problem = ? || ': number ' || ndh || ' is also on line ' || "
            "(SELECT min(t.line) FROM staging t WHERE t.ndh = staging.ndh "
            "AND t.line < staging.line) "
            "|| ' — renumber the column, or delete it to let revmental number participants' "
            "WHERE problem IS NULL AND EXISTS (SELECT 1 FROM staging t WHERE t.ndh = staging.ndh "
            "AND t.line < staging.line)",
            (self.ndh_column,),
        )
        # Repeated until nothing changes: rejecting one row keeps its participant on their old
        # NDH, which may in turn be the number another row wanted.
        while (
            not self.fresh
            and c.execute(
                "UPDATE staging SET problem = ? || ': number ' || ndh || ' already belongs to "
                "another participant of this cohort — delete the column to continue the "
                "numbering' WHERE problem IS NULL AND EXISTS (SELECT 1 FROM enrollments e "
                "WHERE e.cohort_id = ? AND e.ndh = staging.ndh AND e.nip != staging.nip AND "
                "e.nip NOT IN (SELECT nip FROM staging WHERE problem IS NULL))",
                (self.ndh_column, cid),
            ).rowcount
            > 0
        ):
            pass
        # Their original cells are not staged (it would double the work of every import);
        # the command reads them back from the file when it needs them for --rejects.
        for line, problem in c.execute(
            "SELECT line, problem FROM staging WHERE problem IS NOT NULL"
        ).fetchall():
            self.rejected.append((line, {}, [problem]))
        self.rejected.sort(key=lambda r: r[0])

    def classify(self) -> RosterOutcome:
        c = self.store.conn
        compare = " OR ".join(f"coalesce(s.{f}, p.{f}) IS NOT p.{f}" for f in PERSON_FIELDS)
        # Only a participant already enrolled can be updated or unchanged (new ones count as
        # created), so only their rows are compared.
        if not self.fresh:
            c.execute(
                "UPDATE staging SET changed = (SELECT CASE WHEN p.nip IS NULL THEN 1 "
                f"WHEN s.name IS NOT p.name OR {compare} THEN 1 ELSE 0 END "
                "FROM staging s LEFT JOIN people p ON p.nip = s.nip WHERE s.line = staging.line) "
                "OR EXISTS (SELECT 1 FROM enrollments e WHERE e.cohort_id = ? "
                "AND e.nip = staging.nip AND e.ndh IS NOT staging.ndh) WHERE NOT new",
                (self.cohort.id,),
            )
        created, updated, unchanged = c.execute(
            "SELECT coalesce(sum(new), 0), coalesce(sum(NOT new AND changed), 0), "
            "coalesce(sum(NOT new AND NOT changed), 0) FROM staging WHERE problem IS NULL"
        ).fetchone()
        outcome = RosterOutcome(created, updated, unchanged, list(self.rejected))
        outcome.renumbered = self.ndh_column if self.renumbered else ""
        outcome.overlaps = [
            tuple(r)
            for r in c.execute(
                "SELECT DISTINCT s.nip, s.name, o.id FROM staging s "
                "JOIN enrollments e ON e.nip = s.nip AND e.cohort_id != ? "
                "AND e.status = 'enrolled' JOIN cohorts o ON o.id = e.cohort_id "
                "WHERE s.problem IS NULL AND o.start_date <= ? AND o.end_date >= ? "
                "ORDER BY s.line",
                (self.cohort.id, self.cohort.end.isoformat(), self.cohort.start.isoformat()),
            )
        ]
        return outcome

    def merge(self) -> None:
        """Write the staged rows; call inside ``Store.write()``."""
        c = self.store.conn
        stamp = now()
        keep = ", ".join(f"{f} = coalesce(excluded.{f}, people.{f})" for f in PERSON_FIELDS)
        differs = " OR ".join(
            f"coalesce(excluded.{f}, people.{f}) IS NOT people.{f}" for f in PERSON_FIELDS
        )
        # An empty cell never erases what the store knows: another agency's sheet may simply
        # lack that column.
        c.execute(
            f"INSERT INTO people (nip, name, {', '.join(PERSON_FIELDS)}, created_at, "
            f"updated_at) SELECT nip, name, {', '.join(PERSON_FIELDS)}, ?, ? "
            "FROM staging WHERE problem IS NULL ORDER BY nip "
            "ON CONFLICT (nip) DO UPDATE SET name = excluded.name, "
            f"{keep}, updated_at = excluded.updated_at "
            f"WHERE excluded.name IS NOT people.name OR {differs}",
            (stamp, stamp),
        )
        # NDHs may swap between participants: move changed ones out of the way first, so the
        # UNIQUE (cohort_id, ndh) constraint holds at every step.
        if not self.fresh:
            c.execute(
                "UPDATE enrollments SET ndh = ndh + 1000000000 WHERE cohort_id = ? AND EXISTS "
                "(SELECT 1 FROM staging s WHERE s.nip = enrollments.nip AND s.problem IS NULL "
                "AND s.ndh != enrollments.ndh)",
                (self.cohort.id,),
            )
        c.execute(
            "INSERT INTO enrollments (cohort_id, nip, ndh, enrolled_at, updated_at) "
            "SELECT ?, nip, ndh, ?, ? FROM staging WHERE problem IS NULL ORDER BY nip "
            "ON CONFLICT (cohort_id, nip) DO UPDATE SET ndh = excluded.ndh, "
            "updated_at = excluded.updated_at WHERE enrollments.ndh IS NOT excluded.ndh",
            (self.cohort.id, stamp, stamp),
        )

    def close(self) -> None:
        # Nothing to do: the staging table is TEMP and goes with the connection (dropping a
        # 200,000-row one explicitly costs a fifth of a second).
        return None


def _participant_select() -> str:
    return (
        "SELECT e.ndh, p.nip, p.name, p.golongan, p.pangkat, p.position, p.agency, p.work_unit, "
        "p.email, p.phone, e.status, e.withdrawn_reason FROM enrollments e "
        "JOIN people p ON p.nip = e.nip WHERE e.cohort_id = ?"
    )


def participants(store: Store, cohort_id: str) -> list[Participant]:
    rows = store.conn.execute(_participant_select() + " ORDER BY e.ndh", (cohort_id,))
    return [Participant(*r) for r in rows]


def participant(store: Store, cohort_id: str, nip: str) -> Participant | None:
    row = store.conn.execute(_participant_select() + " AND e.nip = ?", (cohort_id, nip)).fetchone()
    return Participant(*row) if row else None


def withdraw(store: Store, cohort_id: str, nip: str, reason: str | None) -> None:
    store.conn.execute(
        "UPDATE enrollments SET status = 'withdrawn', withdrawn_reason = ?, updated_at = ? "
        "WHERE cohort_id = ? AND nip = ?",
        (reason, now(), cohort_id, nip),
    )


# --- attendance ---------------------------------------------------------------------------------


class AttendanceRecord(NamedTuple):
    session: int
    nip: str
    name: str
    ndh: int
    status: str
    minutes: float | None
    first_join: str | None
    source: str
    note: str | None


def enrolled_people(store: Store, cohort_id: str) -> list[tuple[str, int, str, str]]:
    """(nip, ndh, name, email) of every enrolled participant, for matching reports."""
    return store.conn.execute(
        "SELECT p.nip, e.ndh, p.name, coalesce(p.email, '') FROM enrollments e "
        "JOIN people p ON p.nip = e.nip WHERE e.cohort_id = ? AND e.status = 'enrolled' "
        "ORDER BY e.ndh",
        (cohort_id,),
    ).fetchall()


def attendance(store: Store, cohort_id: str, session: int | None = None) -> list[AttendanceRecord]:
    sql = (
        "SELECT a.session, a.nip, p.name, e.ndh, a.status, a.minutes, a.first_join, a.source, "
        "a.note FROM attendance a JOIN enrollments e ON e.cohort_id = a.cohort_id "
        "AND e.nip = a.nip JOIN people p ON p.nip = a.nip WHERE a.cohort_id = ?"
    )
    args: list[Any] = [cohort_id]
    if session is not None:
        sql += " AND a.session = ?"
        args.append(session)
    sql += " ORDER BY a.session, e.ndh"
    return [AttendanceRecord(*r) for r in store.conn.execute(sql, args)]


@dataclass
class AttendanceOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_manual: int = 0
    kept: dict[str, str] = field(default_factory=dict)  # nip -> the manual status kept


def last_import(store: Store, cohort_id: str, session: int) -> dict[str, str]:
    """sha256 -> file of the reports the session's last import read (the history keeps one
    line per file, all at the same moment); empty when none was imported."""
    prefix = f"attendance of {cohort_id} session {session}"
    rows = store.conn.execute(
        "SELECT at, file, sha256 FROM history WHERE cohort_id = ? AND sha256 IS NOT NULL "
        "AND (summary LIKE ? OR summary LIKE ?) ORDER BY id DESC",
        (cohort_id, prefix + ":%", prefix + " (merged%"),
    ).fetchall()
    if not rows:
        return {}
    last = rows[0][0]
    return {sha: file for at, file, sha in rows if at == last}


def save_attendance(
    store: Store,
    cohort_id: str,
    session: int,
    rows: Iterable[tuple[str, str, float | None, str | None, str | None]],
    *,
    source: str,
    source_file: str | None,
    overwrite: bool,
    write: bool = True,
) -> AttendanceOutcome:
    """Upsert (nip, status, minutes, first_join, note) rows for one session.

    A manual mark is kept over an imported report unless ``overwrite``: the administrator's
    own decision (a note from a sick participant) outranks a machine's count.
    """
    c = store.conn
    existing = {
        r[0]: r[1:]
        for r in c.execute(
            "SELECT nip, status, minutes, first_join, source, note FROM attendance "
            "WHERE cohort_id = ? AND session = ?",
            (cohort_id, session),
        )
    }
    outcome = AttendanceOutcome()
    stamp = now()
    writes = []
    for nip, status, minutes, first_join, note in rows:
        old = existing.get(nip)
        if old is not None and source == "import" and old[3] == "manual" and not overwrite:
            outcome.kept_manual += 1
            outcome.kept[nip] = old[0]
            continue
        new = (status, None if minutes is None else round(minutes, 2), first_join, source, note)
        if old is not None and tuple(old) == new:
            outcome.unchanged += 1
            continue
        if old is None:
            outcome.created += 1
        else:
            outcome.updated += 1
        writes.append((cohort_id, session, nip, *new, source_file, stamp))
    if not write:
        return outcome
    c.executemany(
        "INSERT INTO attendance (cohort_id, session, nip, status, minutes, first_join, source, "
        "note, source_file, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (cohort_id, session, nip) DO UPDATE SET status = excluded.status, "
        "minutes = excluded.minutes, first_join = excluded.first_join, "
        "source = excluded.source, note = excluded.note, source_file = excluded.source_file, "
        "updated_at = excluded.updated_at",
        writes,
    )
    return outcome


# --- scores -------------------------------------------------------------------------------------


@dataclass
class ScoreOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def enrolled_nips(store: Store, cohort_id: str) -> dict[str, str]:
    """nip -> status for everyone on the roster (enrolled or withdrawn)."""
    return dict(
        store.conn.execute(
            "SELECT nip, status FROM enrollments WHERE cohort_id = ?", (cohort_id,)
        ).fetchall()
    )


def save_scores(
    store: Store,
    cohort_id: str,
    values: Iterable[tuple[str, str, float]],
    source_file: str | None,
    *,
    write: bool = True,
) -> ScoreOutcome:
    """Upsert scores and count what changes; ``write=False`` only counts (a dry run)."""
    c = store.conn
    existing = {
        (nip, key): value
        for nip, key, value in c.execute(
            "SELECT nip, component, value FROM scores WHERE cohort_id = ?", (cohort_id,)
        )
    }
    outcome = ScoreOutcome()
    stamp = now()
    writes = []
    for nip, key, value in values:
        old = existing.get((nip, key))
        if old is not None and abs(old - value) < 1e-9:
            outcome.unchanged += 1
            continue
        if old is None:
            outcome.created += 1
        else:
            outcome.updated += 1
        writes.append((cohort_id, nip, key, value, source_file, stamp))
    if not write:
        return outcome
    c.executemany(
        "INSERT INTO scores (cohort_id, nip, component, value, source_file, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (cohort_id, nip, component) DO UPDATE SET "
        "value = excluded.value, source_file = excluded.source_file, "
        "updated_at = excluded.updated_at",
        writes,
    )
    return outcome


# --- completion ---------------------------------------------------------------------------------


class CompletionInputs(NamedTuple):
    """Everything the completion rules need, read with one query per table (no N+1)."""

    participants: list[Participant]
    statuses: dict[str, dict[int, str]]  # nip -> session -> status
    scores: dict[str, dict[str, float]]  # nip -> component -> value


def completion_inputs(store: Store, cohort_id: str) -> CompletionInputs:
    # One JSON object per participant, built by SQLite: a third faster than a Python loop
    # over 200,000 rows (5,000 participants x 40 sessions).
    import json

    statuses: dict[str, dict[int, str]] = {
        nip: {int(session): status for session, status in json.loads(by_session).items()}
        for nip, by_session in store.conn.execute(
            "SELECT nip, json_group_object(session, status) FROM attendance "
            "WHERE cohort_id = ? GROUP BY nip",
            (cohort_id,),
        )
    }
    scores: dict[str, dict[str, float]] = {}
    for nip, key, value in store.conn.execute(
        "SELECT nip, component, value FROM scores WHERE cohort_id = ?", (cohort_id,)
    ):
        scores.setdefault(nip, {})[key] = value
    return CompletionInputs(participants(store, cohort_id), statuses, scores)


# --- certificates -------------------------------------------------------------------------------


class Certificate(NamedTuple):
    number: str
    cohort_id: str
    seq: int
    nip: str
    name: str
    predicate: str | None
    final_score: float | None
    issued_at: str
    revoked_at: str | None
    revoked_reason: str | None
    golongan: str | None = None
    pangkat: str | None = None
    position: str | None = None
    agency: str | None = None


# The holder as the certificate was issued (a later roster may change the person's record).
_CERT_SELECT = (
    "SELECT c.number, c.cohort_id, c.seq, c.nip, coalesce(c.name, p.name), c.predicate, "
    "c.final_score, c.issued_at, c.revoked_at, c.revoked_reason, c.golongan, c.pangkat, "
    "c.position, c.agency FROM certificates c JOIN people p ON p.nip = c.nip"
)


def certificates(store: Store, cohort_id: str) -> list[Certificate]:
    rows = store.conn.execute(_CERT_SELECT + " WHERE c.cohort_id = ? ORDER BY c.seq", (cohort_id,))
    return [Certificate(*r) for r in rows]


def certificate(store: Store, number: str) -> Certificate | None:
    row = store.conn.execute(_CERT_SELECT + " WHERE c.number = ?", (number,)).fetchone()
    return Certificate(*row) if row else None


def next_certificate_seq(store: Store, cohort_id: str) -> int:
    """Numbers are never reused: the sequence continues past revoked certificates."""
    row = store.conn.execute(
        "SELECT coalesce(max(seq), 0) FROM certificates WHERE cohort_id = ?", (cohort_id,)
    ).fetchone()
    return int(row[0]) + 1


def number_taken(store: Store, number: str) -> bool:
    return (
        store.conn.execute("SELECT 1 FROM certificates WHERE number = ?", (number,)).fetchone()
        is not None
    )


def add_certificate(
    store: Store,
    number: str,
    cohort_id: str,
    seq: int,
    nip: str,
    predicate: str | None,
    final_score: float | None,
) -> None:
    store.conn.execute(
        "INSERT INTO certificates (number, cohort_id, seq, nip, predicate, final_score, "
        "issued_at, name, golongan, pangkat, position, agency) "
        "SELECT ?, ?, ?, ?, ?, ?, ?, name, golongan, pangkat, position, agency "
        "FROM people WHERE nip = ?",
        (number, cohort_id, seq, nip, predicate, final_score, now(), nip),
    )


def revoke_certificate(store: Store, number: str, reason: str) -> None:
    store.conn.execute(
        "UPDATE certificates SET revoked_at = ?, revoked_reason = ? WHERE number = ?",
        (now(), reason, number),
    )


# --- personal data ------------------------------------------------------------------------------

FORGOTTEN = "(data dihapus)"


def person_name(store: Store, nip: str) -> str | None:
    row = store.conn.execute("SELECT name FROM people WHERE nip = ?", (nip,)).fetchone()
    return row[0] if row else None


def forget_person(store: Store, nip: str) -> str:
    """Erase a person: personal fields, and the NIP itself (it encodes birth date and sex).

    The person's rows move to a random pseudonym, so attendance counts, scores, reports and
    certificate numbers stay consistent, while nothing left can name them. Returns the
    pseudonym. Runs inside the caller's transaction.
    """
    import secrets

    c = store.conn
    # What the person's free texts and the history may repeat: their name, contacts, and the
    # notes and reasons written about them (copied into history lines and revocations).
    person = c.execute("SELECT name, email, phone FROM people WHERE nip = ?", (nip,)).fetchone()
    said = [
        text
        for (text,) in c.execute(
            "SELECT note FROM attendance WHERE nip = ? UNION ALL "
            "SELECT withdrawn_reason FROM enrollments WHERE nip = ? UNION ALL "
            "SELECT revoked_reason FROM certificates WHERE nip = ?",
            (nip, nip, nip),
        )
        if text
    ]
    # Enrollments and the rows that point at them change key together: check at COMMIT.
    c.execute("PRAGMA defer_foreign_keys = ON")
    pseudonym = "X" + secrets.token_hex(9)[:17].upper()
    stamp = now()
    c.execute(
        "INSERT INTO people (nip, name, created_at, updated_at, forgotten_at) "
        "SELECT ?, ?, created_at, ?, ? FROM people WHERE nip = ?",
        (pseudonym, FORGOTTEN, stamp, stamp, nip),
    )
    for table in ("enrollments", "attendance", "scores", "certificates"):
        c.execute(f"UPDATE {table} SET nip = ? WHERE nip = ?", (pseudonym, nip))
    c.execute("UPDATE attendance SET note = NULL, source_file = NULL WHERE nip = ?", (pseudonym,))
    c.execute(
        "UPDATE certificates SET name = ?, golongan = NULL, pangkat = NULL, position = NULL, "
        "agency = NULL WHERE nip = ?",
        (FORGOTTEN, pseudonym),
    )
    c.execute("UPDATE enrollments SET withdrawn_reason = NULL WHERE nip = ?", (pseudonym,))
    # A revocation stays (the certificate is void), its reason may name the person.
    c.execute(
        "UPDATE certificates SET revoked_reason = ? WHERE nip = ? AND revoked_reason IS NOT NULL",
        (FORGOTTEN, pseudonym),
    )
    # What names the person: their name (also without titles, as people write it in a
    # note), contacts, and the notes and reasons that mention their name or NIP. A note that
    # names nobody ("dinas luar kota") may be another participant's record too: it stays.
    from revmental_cli.domain.person import strip_titles

    name, email, phone = person or (None, None, None)
    plain = strip_titles(name) if name else ""  # case-folded, titles gone: for finding only
    naming = [t for t in said if nip in t or (plain and plain in t.casefold())]
    # Longest first, so that a note containing the name goes whole (and before the NIP is
    # replaced, which such a note may contain). Short strings (a name of two letters) are
    # left: they would cut into other people's lines.
    texts = {*naming, name, email, phone} - {None, ""}
    for text in sorted(texts, key=len, reverse=True):
        if len(text) >= 4:
            c.execute(
                "UPDATE history SET summary = replace(summary, ?, ?) WHERE instr(summary, ?) > 0",
                (text, FORGOTTEN, text),
            )
    c.execute("UPDATE history SET summary = replace(summary, ?, ?)", (nip, pseudonym))
    c.execute("DELETE FROM people WHERE nip = ?", (nip,))
    return pseudonym


# --- checks ---------------------------------------------------------------------------------------


def invariant_problems(store: Store) -> list[str]:
    """The tool's own rules, beyond what SQLite's constraints and foreign keys enforce."""
    c = store.conn
    problems: list[str] = []
    current = store.current_cohort_id()
    if current is not None and not store.cohort_exists(current):
        problems.append(f"the current cohort {current} does not exist")
    for row in store.cohorts():
        cohort = row.cohort
        stored = c.execute(
            "SELECT number, date, start_time, end_time, jp FROM sessions WHERE cohort_id = ? "
            "ORDER BY number",
            (cohort.id,),
        ).fetchall()
        defined = [
            (s.number, s.date.isoformat(), f"{s.start:%H:%M}", f"{s.end:%H:%M}", s.jp)
            for s in cohort.sessions
        ]
        if stored != defined:
            problems.append(f"{cohort.id}: the sessions table differs from the definition")
        keys = {k.key for k in cohort.completion.components}
        for (key,) in c.execute(
            "SELECT DISTINCT component FROM scores WHERE cohort_id = ?", (cohort.id,)
        ):
            if key not in keys:
                problems.append(f"{cohort.id}: scores for unknown component '{key}'")
    for number, cohort_id in c.execute(
        "SELECT c.number, c.cohort_id FROM certificates c LEFT JOIN enrollments e "
        "ON e.cohort_id = c.cohort_id AND e.nip = c.nip WHERE e.nip IS NULL"
    ):
        problems.append(f"{cohort_id}: certificate {number} belongs to nobody on the roster")
    return problems
