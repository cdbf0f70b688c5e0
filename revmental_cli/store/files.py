"""Private files: the store's own and its backups', readable by their owner alone.

Owns creating a file private before SQLite or pg_dump writes to it, and the backup: a
consistent copy written whole or not at all, never over another file. Participants' data is
personal data; a copy of it is as private as the store. Never reads or writes a table.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from revmental_cli import outcome
from revmental_cli.errors import InputError
from revmental_cli.messages import Msg

if TYPE_CHECKING:
    from revmental_cli.store.connection import Store


def create_private(path: Path) -> None:
    """Create an empty file readable only by its owner, before SQLite opens it: a file SQLite
    creates takes the umask's mode, readable by others for a moment or for good."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    os.close(fd)
    make_private(path)


def make_private(path: Path) -> None:
    # On Windows chmod only toggles read-only; privacy there comes from the per-user profile
    # folder the store lives in (README, "Windows").
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)


def backup_to(store: Store, dest: Path) -> None:
    """A consistent copy through SQLite's online backup API, private like the store.

    Written whole or not at all: the copy goes to a temporary file beside ``dest`` (named
    after this process, so one left by a killed copy is no obstacle) that becomes ``dest``
    only once complete; a copy that fails or is interrupted halfway is removed."""
    if dest.is_dir():
        raise InputError(
            Msg("{path} is a folder", path=dest), hint=Msg("name a backup file inside it")
        )
    if dest.exists():
        raise InputError(
            Msg("{path} already exists", path=dest),
            hint=Msg("choose a new file name for the backup"),
        )
    if store.dialect == "postgres":
        from revmental_cli.store.pg_open import dump_to

        dump_to(store, dest, _unlink)
        return
    temporary = backup_temporary(dest)
    try:
        target = sqlite3.connect(temporary)
        try:
            store.conn.backup(target)
        finally:
            target.close()
        place_backup(temporary, dest)
    except sqlite3.Error as exc:
        _unlink(temporary)
        raise InputError(
            Msg("cannot write {path} ({reason})", path=dest, reason=f"{exc}"),
            hint=Msg("check the free space where the backup goes"),
        ) from None
    except OSError as exc:
        _unlink(temporary)
        raise InputError(
            Msg("cannot write {path} ({reason})", path=dest, reason=f"{exc.strerror or exc}")
        ) from None
    except BaseException:
        _unlink(temporary)
        raise
    make_private(dest)


def backup_temporary(dest: Path) -> Path:
    """The empty private file beside ``dest`` that a backup (SQLite copy or pg_dump) is
    written to before it becomes ``dest`` (place_backup)."""
    temporary = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    _unlink(temporary)  # this process id's own leftover, from a killed run long ago
    try:
        create_private(temporary)
    except OSError as exc:
        raise InputError(
            Msg("cannot write {path} ({reason})", path=dest, reason=f"{exc.strerror or exc}")
        ) from None
    return temporary


def place_backup(temporary: Path, dest: Path) -> None:
    """The finished copy becomes the backup, never over a file made meanwhile by someone
    else; it is noted as having left in the same step (Ctrl-C between the two would leave a
    backup the history does not record)."""
    if dest.exists():
        raise InputError(
            Msg("{path} already exists", path=dest),
            hint=Msg("choose a new file name for the backup"),
        )
    with outcome.held():
        os.replace(temporary, dest)
        outcome.note_left()


def _unlink(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
