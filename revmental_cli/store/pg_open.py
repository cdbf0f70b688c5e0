"""Opening a PostgreSQL register, and backing it up with pg_dump.

The register is one database (its current schema, as ``search_path`` gives it). A database
with no tables is a new register: commands that write create the schema in it (the first
one to take the write lock; the others find it done); commands that only read say there is
no store yet, as they do for a missing file. A database holding other tables and not ours
is refused, never written to.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from revmental_cli.errors import InputError, StoreUnusable
from revmental_cli.messages import Msg
from revmental_cli.store import pg
from revmental_cli.store.connection import Store, newer, now, require_tables
from revmental_cli.store.files import backup_temporary, make_private, place_backup
from revmental_cli.store.pg_errors import translate_pg


def open_register(url: str, *, create: bool, busy_timeout: float) -> Store:
    import psycopg

    pg.check_url(url)
    where = pg.describe(url)
    try:
        conn = pg.connect(url, busy_timeout=busy_timeout)
    except psycopg.Error as exc:
        raise translate_pg(exc, where) from None
    store = Store(where, conn, busy_timeout=busy_timeout)
    store.url = url
    try:
        _check_and_migrate(store, create)
    except psycopg.Error as exc:
        conn.close()
        raise translate_pg(exc, where) from None
    except BaseException:
        conn.close()
        raise
    return store


def _check_and_migrate(store: Store, create: bool) -> None:
    conn = store.conn
    present = pg.tables(conn)
    if not present:
        if not create:
            raise InputError(
                Msg("there is no store yet at {path}", path=store.path),
                hint=Msg("open a cohort first: `revmental cohort open cohorts/FILE.yaml`"),
            )
    elif pg.MIGRATIONS_TABLE not in present:
        raise StoreUnusable(
            Msg(
                "{path} is a database of another program, not a revmental register",
                path=store.path,
            ),
            hint=Msg(
                "use an empty database for the register (createdb revmental); this one was "
                "left untouched"
            ),
        )
    else:
        done = pg.applied(conn)
        if set(done) - {name for name, _ddl in pg.pending(())}:
            raise newer(store)
        if not pg.pending(done):
            require_tables(store, present)
            return
    with store.write():
        pg.migrate(conn, now())


def dump_to(store: Store, dest: Path, unlink: Callable[[Path], None]) -> None:
    """A backup of the register with pg_dump (custom format, for pg_restore), private like a
    store file, written whole or not at all."""
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise InputError(
            Msg("backing up a PostgreSQL register needs pg_dump, which is not on the PATH"),
            hint=Msg(
                "install PostgreSQL's client tools (they include pg_dump), or ask the server's "
                "administrator: their backups of the server hold the register too"
            ),
        )
    temporary = backup_temporary(dest)
    url = store.url or str(store.path)
    try:
        done = subprocess.run(
            [pg_dump, "--format=custom", "--no-owner", f"--file={temporary}", f"--dbname={url}"],
            capture_output=True,
            text=True,
            errors="replace",
        )
        if done.returncode != 0:
            lines = done.stderr.strip().splitlines()
            raise InputError(
                Msg(
                    "pg_dump could not back up the register {path} ({reason})",
                    path=store.path,
                    reason=lines[-1] if lines else f"exit {done.returncode}",
                ),
                hint=Msg(
                    "pg_dump must be of the server's major version or newer; check that it can "
                    "connect with the same address"
                ),
            )
        place_backup(temporary, dest)
    except BaseException:
        unlink(temporary)
        raise
    make_private(dest)


def register_exists(url: str) -> bool:
    """Whether the database holds a register already (`cohort open` offers the cohort files
    not open yet only then). Any trouble connecting is for opening the store to report."""
    import psycopg

    pg.check_url(url)
    try:
        conn = pg.connect(url, busy_timeout=5)
    except psycopg.Error:
        return True
    try:
        return pg.MIGRATIONS_TABLE in pg.tables(conn)
    finally:
        conn.close()
