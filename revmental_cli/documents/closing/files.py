"""Writing a hand-over document whole or not at all. Owns only the file step, never content.

A temporary file in the target folder replaces the target once complete, so a full disk or an
error halfway leaves neither an empty file nor a half one, and an existing file keeps its
content until then.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from revmental_cli.errors import InputError
from revmental_cli.messages import Msg

_BINARY = getattr(os, "O_BINARY", 0)  # Windows would otherwise translate \n in a zip


def write_whole(directory: Path, name: str, data: bytes) -> Path:
    """Write ``data`` to ``directory/name`` atomically (same-folder rename); return the path."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / name
    if target.is_dir():
        raise InputError(
            Msg("{path} is a folder", path=target),
            hint=Msg("remove it or choose another folder"),
        )
    temporary = directory / f".{name}.{os.getpid()}.tmp"
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _BINARY, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise InputError(
            Msg("cannot write {path} ({reason})", path=target, reason=f"{exc.strerror or exc}")
        ) from None
    return target
