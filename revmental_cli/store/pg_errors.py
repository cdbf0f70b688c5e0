"""PostgreSQL's errors as the tool's errors: the same messages and exit codes as the SQLite
file's (failures.translate), by SQLSTATE rather than by the text of the message."""

from __future__ import annotations

from pathlib import Path

from revmental_cli.errors import DiskFull, StoreBusy, StoreReadOnly, StoreUnusable
from revmental_cli.messages import Msg

# Waiting for the write lock past the busy timeout, a serialization failure or a deadlock:
# another administrator is writing (exit 3, as the SQLite file's "database is locked").
_BUSY = {"55P03", "40001", "40P01", "57014"}
_READ_ONLY = {"25006", "42501"}
_MISSING = {"42P01", "42703"}


def translate_pg(exc: BaseException, path: Path | str) -> BaseException:
    import sys

    psycopg = sys.modules.get("psycopg")
    if psycopg is None:  # never loaded: not an error of a register
        return exc
    from revmental_cli.store.failures import RESTORE, certificate_clash

    if not isinstance(exc, psycopg.Error):
        return exc
    state = getattr(exc, "sqlstate", None) or ""
    diag = getattr(exc, "diag", None)
    constraint = getattr(diag, "constraint_name", None) or ""
    if state in _BUSY:
        return StoreBusy(
            Msg(
                "the register {path} is busy: another revmental process is writing to it",
                path=path,
            ),
            hint=Msg("wait for it to finish and run the command again"),
        )
    if state == "23505" and constraint == "certificates_one_standing":
        return certificate_clash(path)
    if state.startswith("53"):  # insufficient resources: disk full, out of memory
        return DiskFull(
            Msg("the server of the register {path} is out of space", path=path),
            hint=Msg("ask the server's administrator to free space, then run the command again"),
        )
    if state in _READ_ONLY:
        return StoreReadOnly(
            Msg("the register {path} cannot be written with this account", path=path),
            hint=Msg(
                "ask the server's administrator for write access; commands that only read "
                "still work"
            ),
        )
    if state in _MISSING:
        return StoreUnusable(
            Msg(
                "{path} is a damaged revmental register: part of its tables is missing",
                path=path,
            ),
            hint=RESTORE,
        )
    if isinstance(exc, psycopg.OperationalError) and not state:
        # Connecting failed: the server is down, the name is wrong, or the password is missing.
        # libpq's own words say which; they name hosts and users, never participants.
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        return StoreUnusable(
            Msg("cannot reach the register {path} ({reason})", path=path, reason=reason),
            hint=Msg(
                "check the address, that the server runs, and that the password is in "
                "PGPASSWORD or ~/.pgpass"
            ),
        )
    if state.startswith("08"):  # the connection broke halfway
        return StoreUnusable(
            Msg("the connection to the register {path} was lost", path=path),
            hint=Msg("`revmental history` shows what was saved; then run the command again"),
        )
    return exc
