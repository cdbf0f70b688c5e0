"""A database's errors as the tool's errors: what a person can act on, naming the store.

Owns the translation of SQLite's errors (by their text: sqlite3 gives no codes for most) and
the messages both backends share; pg_errors.py translates PostgreSQL's (by SQLSTATE). An error
that is not a database's is a bug and is returned as it is. Never prints and never writes.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from revmental_cli.errors import DiskFull, StoreBusy, StoreReadOnly, StoreUnusable
from revmental_cli.messages import Msg

RESTORE = Msg(
    "restore it from a backup (`revmental db backup` makes one), or use --db to choose another file"
)


def database_error(exc: BaseException) -> bool:
    """An error of SQLite or of PostgreSQL (psycopg is looked up only if it was loaded)."""
    if isinstance(exc, sqlite3.Error):
        return True
    import sys

    psycopg = sys.modules.get("psycopg")
    return psycopg is not None and isinstance(exc, psycopg.Error)


def translate(exc: BaseException, path: Path | str) -> BaseException:
    """A database error as the tool's error, naming the store; the rest are bugs (returned as
    they are). Errors of a write say nothing of what was kept: cli adds that (``undone``),
    knowing whether this process committed before."""
    if not isinstance(exc, sqlite3.Error):
        from revmental_cli.store.pg_errors import translate_pg

        return translate_pg(exc, path)
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return StoreBusy(
            Msg("the store {path} is busy: another revmental process is writing to it", path=path),
            hint=Msg("wait for it to finish and run the command again"),
        )
    if "disk is full" in text or "disk full" in text:
        return DiskFull(
            Msg("disk full: cannot write the store {path}", path=path),
            hint=Msg("free some space where the store is and run the command again"),
        )
    if "readonly" in text or "read-only" in text or "unable to open database file" in text:
        return StoreReadOnly(
            Msg("the store {path} cannot be written (a read-only file or folder)", path=path),
            hint=Msg(
                "check the permissions of the store and its folder (SQLite writes a journal "
                "beside the store); commands that only read still work"
            ),
        )
    if "no such table" in text or "no such column" in text:
        return StoreUnusable(
            Msg("{path} is a damaged revmental store: part of its tables is missing", path=path),
            hint=RESTORE,
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StoreUnusable(
            Msg("{path} is not a usable revmental store ({detail})", path=path, detail=str(exc)),
            hint=RESTORE,
        )
    if "could not decode to utf-8" in text:
        # The error quotes the damaged text, which may be personal data: not shown.
        return StoreUnusable(
            Msg("{path} is not a usable revmental store (a text in it is damaged)", path=path),
            hint=RESTORE,
        )
    if "unique constraint failed: certificates.cohort_id, certificates.nip" in text:
        # Two `certificate issue` at the same time: the second one found the first one's
        # certificates only under the lock (the index allows one valid certificate a person).
        return certificate_clash(path)
    if isinstance(exc, sqlite3.OperationalError) and "disk i/o error" in text:
        return StoreUnusable(
            Msg("{path} cannot be read or written (disk I/O error)", path=path),
            hint=Msg("check the disk, then run `revmental db check`"),
        )
    return exc


def certificate_clash(path: Path | str) -> StoreBusy:
    clash = StoreBusy(
        Msg(
            "another revmental process issued certificates in {path} at the same time",
            path=path,
        ),
        hint=Msg(
            "run the command again: nothing was written, and it will issue only the "
            "certificates still missing"
        ),
    )
    clash.undone = False  # its hint says it already
    return clash
