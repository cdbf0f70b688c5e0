"""The PostgreSQL register: a connection that speaks the store modules' SQL, and its schema.

The aggregate modules (cohorts, roster, attendance, ...) write one SQL for both backends, in
SQLite's spelling; ``PgConnection.execute`` turns it into PostgreSQL's (placeholders, ``IS``
comparisons, ``LIKE`` that ignores case as SQLite's does, temporary tables, ``rowid``). The
few statements that have no common spelling branch on ``store.dialect`` in their own module.

Concurrency: one advisory lock for the whole register, taken by every write transaction
(``lock_write``), with PostgreSQL's ``lock_timeout`` as the busy timeout. Chosen over
SERIALIZABLE with retries because a command's writes are short and few (a handful of
administrators), because people, history and certificate numbers span cohorts (a per-cohort
lock would still have to serialise those), and because a retry would re-run a command that
may already have printed or written files. It gives the SQLite file's guarantees on a
server: NDHs, certificate sequence numbers and history ids are read and assigned under the
lock (``max() + 1``, never a sequence, which would leave gaps after a rollback), so they stay
unique and gap-free with writers on several machines; readers never wait (MVCC).

Never imported for a SQLite store: psycopg loads only when a ``postgresql://`` register is
opened.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import psycopg
from psycopg import pq

from revmental_cli.messages import Msg

# pg_advisory_xact_lock's key: "revm" in ASCII, the same in every revmental register (the
# lock is per database).
WRITE_LOCK_KEY = 0x7265766D
MIGRATIONS_TABLE = "revmental_migrations"

# The store's SQL writes its keywords in capitals: a lower-case "is" in a literal stays.
_IS_NOT = re.compile(r"\bIS NOT (?!NULL\b|TRUE\b|FALSE\b|DISTINCT\b)")
_IS = re.compile(r"\bIS (?!NOT\b|NULL\b|TRUE\b|FALSE\b|DISTINCT\b)")
_TEMP_INDEX = re.compile(r"\bCREATE INDEX temp\.", re.IGNORECASE)
_TEMP = re.compile(r"\btemp\.", re.IGNORECASE)
_LIMIT_ALL = re.compile(r"\bLIMIT -1 OFFSET\b", re.IGNORECASE)
_LIKE = re.compile(r"\bLIKE\b")
_ROWID = re.compile(r"\browid\b", re.IGNORECASE)
_INSTR = re.compile(r"\binstr\(", re.IGNORECASE)


@lru_cache(maxsize=512)
def to_postgres(sql: str, has_params: bool = True) -> str:
    """The store's SQL (SQLite's spelling) as PostgreSQL's. Literals in the store's SQL never
    contain a ``?`` or a ``%``; values always come as parameters."""
    if sql.startswith("PRAGMA defer_foreign_keys"):
        return "SET CONSTRAINTS ALL DEFERRED"
    if has_params:
        sql = sql.replace("%", "%%").replace("?", "%s")
    sql = _IS_NOT.sub("IS DISTINCT FROM ", sql)
    sql = _IS.sub("IS NOT DISTINCT FROM ", sql)
    sql = _TEMP_INDEX.sub("CREATE INDEX ", sql)
    sql = _TEMP.sub("pg_temp.", sql)
    sql = _LIMIT_ALL.sub("OFFSET", sql)
    sql = _LIKE.sub("ILIKE", sql)  # SQLite's LIKE ignores ASCII case
    sql = _ROWID.sub("ctid", sql)
    return _INSTR.sub("strpos(", sql)


class _Numeric(psycopg.adapt.Loader):
    """numeric (what sum() and avg() of integers give) as SQLite would: an int when whole."""

    def load(self, data: Any) -> int | float:
        text = bytes(data).decode()
        if "." in text or "e" in text.lower() or "N" in text:
            return float(text)
        return int(text)


class PgConnection:
    """What the store modules use of an sqlite3 connection, over a psycopg one in autocommit
    mode (transactions are begun and ended explicitly, as with ``isolation_level=None``)."""

    dialect = "postgres"

    def __init__(self, raw: psycopg.Connection[Any]) -> None:
        self.raw = raw
        raw.adapters.register_loader("numeric", _Numeric)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> psycopg.Cursor[Any]:
        cursor = self.raw.cursor()
        if params:
            cursor.execute(to_postgres(sql), tuple(params))
        else:
            cursor.execute(to_postgres(sql, False))
        return cursor

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> psycopg.Cursor[Any]:
        cursor = self.raw.cursor()
        batch = [tuple(r) for r in rows]
        if batch:
            cursor.executemany(to_postgres(sql), batch)
        return cursor

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != pq.TransactionStatus.IDLE

    def close(self) -> None:
        self.raw.close()


def connect(url: str, *, busy_timeout: float) -> PgConnection:
    """Connect (libpq finds the password: PGPASSWORD, ~/.pgpass, a service file)."""
    raw = psycopg.connect(
        url,
        autocommit=True,
        connect_timeout=max(int(busy_timeout), 2),
        application_name="revmental",
    )
    return PgConnection(raw)


def lock_write(conn: PgConnection, busy_timeout: float) -> None:
    """Begin a write: the register's one write lock, waiting at most the busy timeout."""
    raw = conn.raw
    raw.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
    raw.execute(f"SET LOCAL lock_timeout = {max(int(busy_timeout * 1000), 1)}")
    raw.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))


def tables(conn: PgConnection) -> set[str]:
    return {
        r[0]
        for r in conn.raw.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
    }


def applied(conn: PgConnection) -> list[str]:
    return [r[0] for r in conn.raw.execute(f"SELECT name FROM {MIGRATIONS_TABLE} ORDER BY name")]


def pending(done: Iterable[str]) -> list[tuple[str, str]]:
    have = set(done)
    return [(name, ddl) for name, ddl in MIGRATIONS if name not in have]


def migrate(conn: PgConnection, now: str) -> None:
    """Apply what is pending, inside the caller's write transaction (checked again under the
    lock: another process may have migrated meanwhile)."""
    raw = conn.raw
    raw.execute(
        f"CREATE TABLE IF NOT EXISTS {MIGRATIONS_TABLE} "
        "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    for name, ddl in pending(applied(conn)):
        raw.execute(ddl)
        raw.execute(
            f"INSERT INTO {MIGRATIONS_TABLE} (name, applied_at) VALUES (%s, %s)", (name, now)
        )


def describe(url: str) -> str:
    """The register as messages name it: the URL without its password (there should be none:
    ``check_url`` refuses it, but a message must never be where one leaks)."""
    url = re.sub(r"(://[^/@:]*):[^/@]*@", r"\1@", url)
    return re.sub(r"([?&]password=)[^&]*", r"\1***", url)


def check_url(url: str) -> None:
    from revmental_cli.errors import InputError

    if re.search(r"://[^/@]*:[^/@]*@", url) or re.search(r"[?&]password=", url):
        raise InputError(
            Msg("the register's address {url} contains a password", url=describe(url)),
            hint=Msg(
                "remove it from the address: put it in PGPASSWORD or in ~/.pgpass "
                "(%APPDATA%\\postgresql\\pgpass.conf on Windows), where libpq looks for it"
            ),
        )


# The schema, as the SQLite store's after its migrations up to schema 6, in PostgreSQL's
# types: REAL is DOUBLE PRECISION, dates and times stay TEXT (ISO 8601, as in the file, so
# that both backends give the same outputs). Foreign keys are DEFERRABLE so that erasing a
# person can move their rows to a pseudonym in one transaction (checked at COMMIT, as SQLite's
# defer_foreign_keys does). Append-only, like the SQLite migrations: a later schema change is
# a new entry here and a new SQLite migration. tests/test_pg_schema.py compares a new register
# with a new SQLite store, catalog to catalog, so that one side changed alone fails there.
_SCHEMA_6 = """
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE programmes (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE cohorts (
    id TEXT PRIMARY KEY,
    programme_code TEXT NOT NULL REFERENCES programmes(code) DEFERRABLE,
    angkatan INTEGER NOT NULL,
    year INTEGER NOT NULL,
    organiser TEXT NOT NULL,
    mode TEXT NOT NULL,
    capacity INTEGER,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    jp_minutes INTEGER NOT NULL,
    definition TEXT NOT NULL,
    source_file TEXT,
    source_sha256 TEXT,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    opened_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    closed_at TEXT
);
CREATE TABLE facilitators (
    cohort_id TEXT NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE DEFERRABLE,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    PRIMARY KEY (cohort_id, id)
);
CREATE TABLE sessions (
    cohort_id TEXT NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE DEFERRABLE,
    number INTEGER NOT NULL,
    date TEXT NOT NULL,
    start_time TEXT NOT NULL,
    end_time TEXT NOT NULL,
    title TEXT NOT NULL,
    jp INTEGER NOT NULL CHECK (jp > 0),
    facilitator_id TEXT,
    kind TEXT NOT NULL,
    PRIMARY KEY (cohort_id, number)
);
CREATE INDEX sessions_by_date ON sessions (date, start_time);
CREATE TABLE people (
    nip TEXT PRIMARY KEY CHECK (length(nip) BETWEEN 5 AND 20),
    name TEXT NOT NULL,
    birth_place TEXT,
    birth_date TEXT,
    sex TEXT,
    golongan TEXT,
    pangkat TEXT,
    position TEXT,
    agency TEXT,
    work_unit TEXT,
    email TEXT,
    phone TEXT,
    employment TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    forgotten_at TEXT
);
CREATE TABLE enrollments (
    cohort_id TEXT NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE DEFERRABLE,
    nip TEXT NOT NULL REFERENCES people(nip) DEFERRABLE,
    ndh INTEGER NOT NULL CHECK (ndh > 0),
    status TEXT NOT NULL DEFAULT 'enrolled' CHECK (status IN ('enrolled', 'withdrawn')),
    withdrawn_reason TEXT,
    enrolled_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (cohort_id, nip),
    CONSTRAINT enrollments_cohort_id_ndh_key UNIQUE (cohort_id, ndh) DEFERRABLE
);
CREATE INDEX enrollments_by_nip ON enrollments (nip);
CREATE TABLE attendance (
    cohort_id TEXT NOT NULL,
    session INTEGER NOT NULL,
    nip TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('present', 'late', 'excused', 'sick', 'absent')),
    minutes DOUBLE PRECISION,
    first_join TEXT,
    source TEXT NOT NULL CHECK (source IN ('import', 'manual')),
    source_file TEXT,
    note TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (cohort_id, session, nip),
    FOREIGN KEY (cohort_id, session) REFERENCES sessions(cohort_id, number)
        ON DELETE CASCADE DEFERRABLE,
    FOREIGN KEY (cohort_id, nip) REFERENCES enrollments(cohort_id, nip)
        ON DELETE CASCADE DEFERRABLE
);
CREATE INDEX attendance_by_person ON attendance (cohort_id, nip);
CREATE TABLE scores (
    cohort_id TEXT NOT NULL,
    nip TEXT NOT NULL,
    component TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL CHECK (value >= 0 AND value <= 100),
    source_file TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (cohort_id, nip, component),
    FOREIGN KEY (cohort_id, nip) REFERENCES enrollments(cohort_id, nip)
        ON DELETE CASCADE DEFERRABLE
);
CREATE TABLE certificates (
    number TEXT PRIMARY KEY,
    cohort_id TEXT NOT NULL REFERENCES cohorts(id) DEFERRABLE,
    seq INTEGER NOT NULL,
    nip TEXT NOT NULL REFERENCES people(nip) DEFERRABLE,
    predicate TEXT,
    final_score DOUBLE PRECISION,
    issued_at TEXT NOT NULL,
    revoked_at TEXT,
    revoked_reason TEXT,
    name TEXT,
    golongan TEXT,
    pangkat TEXT,
    position TEXT,
    agency TEXT,
    code TEXT,
    UNIQUE (cohort_id, seq)
);
CREATE INDEX certificates_by_person ON certificates (cohort_id, nip);
CREATE UNIQUE INDEX certificates_one_standing ON certificates (cohort_id, nip)
    WHERE revoked_at IS NULL;
CREATE UNIQUE INDEX certificates_by_code ON certificates (code);
CREATE FUNCTION revmental_certificate_never_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a certificate is never deleted: revoke it instead';
END $$;
CREATE TRIGGER certificates_never_deleted BEFORE DELETE ON certificates
    FOR EACH ROW EXECUTE FUNCTION revmental_certificate_never_deleted();
CREATE FUNCTION revmental_certificate_stays_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a revoked certificate stays revoked: issue a new one';
END $$;
CREATE TRIGGER certificates_stay_revoked BEFORE UPDATE OF revoked_at ON certificates
    FOR EACH ROW WHEN (OLD.revoked_at IS NOT NULL AND NEW.revoked_at IS NULL)
    EXECUTE FUNCTION revmental_certificate_stays_revoked();
CREATE TABLE history (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    "user" TEXT NOT NULL,
    command TEXT NOT NULL,
    cohort_id TEXT,
    summary TEXT NOT NULL,
    file TEXT,
    sha256 TEXT
);
CREATE TABLE certificate_files (
    number TEXT NOT NULL REFERENCES certificates(number) DEFERRABLE,
    format TEXT NOT NULL CHECK (format IN ('pdf', 'docx')),
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    rendered_at TEXT NOT NULL,
    PRIMARY KEY (number, sha256)
);
CREATE INDEX certificate_files_by_sha256 ON certificate_files (sha256);
CREATE TABLE remedials (
    cohort_id TEXT NOT NULL,
    nip TEXT NOT NULL,
    component TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL CHECK (value >= 0 AND value <= 100),
    date TEXT NOT NULL,
    source_file TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (cohort_id, nip, component),
    FOREIGN KEY (cohort_id, nip) REFERENCES enrollments(cohort_id, nip)
        ON DELETE CASCADE DEFERRABLE
)
"""

# (name, DDL) in order; a register records each one it applied in MIGRATIONS_TABLE.
MIGRATIONS: list[tuple[str, str]] = [("m006_schema_6", _SCHEMA_6)]
