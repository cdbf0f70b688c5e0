"""Files as files: an input's SHA-256 (the identity the history records), and which files
are the store's own (an export or a handover must never write over them).

Never opens the store and never parses a file's content. Render imports it too (for the
store's files), so it stays free of anything that prints or loads a heavy library.
"""

from __future__ import annotations

from pathlib import Path

from revmental_cli.errors import InputError
from revmental_cli.messages import Msg


def file_sha256(path: Path) -> str:
    import hashlib

    from revmental_cli.importers.tabular.source import refuse_special_file

    refuse_special_file(path)  # /dev/zero would be hashed forever, a pipe waited on
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except FileNotFoundError:
        raise InputError(
            Msg("{path}: no such file", path=path), hint=Msg("check the path and the file name")
        ) from None
    except IsADirectoryError:
        raise InputError(Msg("{path}: is a folder, not a file", path=path)) from None
    except OSError as exc:
        raise InputError(
            Msg("{path}: cannot be read ({reason})", path=path, reason=exc.strerror)
        ) from None
    return digest.hexdigest()


def store_files(store: Path | str) -> set[Path]:
    """The files of the store ``store`` names, resolved: itself and SQLite's companions."""
    if isinstance(store, str):  # a register on a server: no file here to protect
        return set()
    store = store.resolve()
    return {store, *(store.with_name(store.name + tail) for tail in ("-wal", "-shm", "-journal"))}
