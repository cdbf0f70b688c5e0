"""The PostgreSQL register: a connection that speaks the store modules' SQL, its write lock
and its migrations (the schema itself is pg_schema's).

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
from collections.abc import Callable, Iterable, Sequence
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


def pending(done: Iterable[str]) -> list[tuple[str, Callable[[], str]]]:
    """The register's migrations not in ``done``: (name, the function that writes its DDL)."""
    from revmental_cli.store.pg_schema import MIGRATIONS

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
        raw.execute(ddl())
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
