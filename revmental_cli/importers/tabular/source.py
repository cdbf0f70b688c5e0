"""Which input files may be read at all, and how much of them: the limits on hostile input.

Owns the up-front refusals every reader shares (no such file, a folder, a device, a pipe or a
socket, a name the system cannot take, a file past the size limit) and the limits themselves.
An agency's sheet never comes near them; a wrong or hostile file (``/dev/zero``, a 100 MB line,
a workbook declaring a million rows) is refused with the limit named, in bounded time and
memory. Never parses a file's content and never touches the store, the console or the clock.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from revmental_cli.errors import InputError
from revmental_cli.i18n import _

# A 200,000-row roster is about 30 MB as CSV (60 MB as UTF-16) and 15 MB as .xlsx: eight times
# that still reads in well under a minute, and more is never a sheet somebody typed.
MAX_INPUT_BYTES = 256 * 1024 * 1024
# One physical line of a CSV: a row of a real sheet is a few hundred characters. A cell may be
# up to 1 MB (MAX_FIELD_BYTES, "is a quote left open?"): a line of a few such cells is still
# read whole, so that the cell's own message names the likelier mistake.
MAX_LINE_CHARS = 4 * 1024 * 1024
# Data rows of any table, CSV or sheet: Excel's own last row. Five times the largest roster a
# training centre imports (200,000), and what bounds the memory a command's staging needs.
MAX_TABLE_ROWS = 1_048_576
# Cells in one row: Excel's own last column is XFD, the 16,384th.
MAX_COLUMNS = 16_384
# Rows of a worksheet: Excel's own last row. A row numbered past it only comes from a writer
# that lies, and would have the reader count empty rows for minutes.
MAX_SHEET_ROWS = 1_048_576
# Cells of a worksheet read in all (empty ones between filled ones included): 200,000 rows of
# 50 columns. A workbook can declare billions; the budget keeps the time bounded.
MAX_SHEET_CELLS = 10_000_000
# What an .xlsx unpacks to, by its own directory (the unpacking stops at the sizes declared):
# a 200,000-row sheet is about 150 MB of XML, read in some 10 s. A zip bomb declares gigabytes
# in a few kilobytes.
MAX_UNPACKED_BYTES = 512 * 1024 * 1024


def megabytes(limit: int) -> str:
    """A limit as the message shows it: "256 MB"."""
    return f"{limit // (1024 * 1024):,} MB"


def cannot_read(path: Path, exc: OSError) -> InputError:
    """An OSError met opening or reading ``path``, as the user's words."""
    if exc.errno == errno.ENAMETOOLONG:
        return InputError(
            _("{path}: the file name is too long for the system").format(path=_short(path)),
            hint=_("rename the file to a shorter name"),
        )
    if exc.errno in (errno.EACCES, errno.EPERM):
        return InputError(_("{path}: cannot read the file (permission denied)").format(path=path))
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return InputError(
            _("{path}: no such file").format(path=path), hint=_("check the path and the file name")
        )
    if exc.errno == errno.EISDIR:
        return InputError(_("{path}: is a directory, not a file").format(path=path))
    return InputError(
        _("{path}: cannot read the file ({reason})").format(
            path=path, reason=exc.strerror or type(exc).__name__
        )
    )


def _short(path: Path) -> str:
    text = str(path)
    return text if len(text) <= 80 else f"{text[:40]}...{text[-30:]}"


def stat_regular_file(
    path: Path, *, folder: str, hint: str, missing_hint: str | None = None
) -> os.stat_result:
    """The file's status, or an error when ``path`` is missing, a folder (``folder``, a
    message with ``{path}``), or a device, a pipe or a socket (``hint`` says what to name
    instead): what every reader checks before it opens a file, since opening a pipe waits
    for a writer and /dev/zero never ends."""
    try:
        info = os.stat(path)
    except FileNotFoundError as exc:
        if missing_hint is None:
            raise cannot_read(path, exc) from None
        raise InputError(_("{path}: no such file").format(path=path), hint=missing_hint) from None
    except OSError as exc:
        raise cannot_read(path, exc) from None
    except ValueError:  # a NUL byte in the name
        raise InputError(_("{path}: no such file").format(path=repr(str(path)))) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(folder.format(path=path))
    if not stat.S_ISREG(info.st_mode):
        raise InputError(
            _("{path}: is not a regular file (a device, a pipe or a socket)").format(path=path),
            hint=hint,
        )
    return info


def check_input_file(path: Path, limit: int | None = None) -> int:
    """Refuse what is not a regular file of at most ``limit`` bytes (MAX_INPUT_BYTES); return
    its size.

    Checked before anything opens the file: opening a pipe waits for a writer, and a device
    such as /dev/zero never ends."""
    limit = MAX_INPUT_BYTES if limit is None else limit
    info = stat_regular_file(
        path,
        folder=_("{path}: is a directory, not a file"),
        hint=_("save the data to a file and name that file"),
    )
    if info.st_size > limit:
        raise InputError(
            _("{path}: the file is larger than {limit}, the most this command reads").format(
                path=path, limit=megabytes(limit)
            ),
            hint=_("check that you named the right file, or split it into smaller files"),
        )
    return info.st_size


def refuse_special_file(path: Path) -> None:
    """Refuse a device, a pipe or a socket before it is opened; anything else (a missing file,
    a folder) is left to the caller's own open and its own words."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        raise InputError(
            _("{path}: is not a regular file (a device, a pipe or a socket)").format(path=path),
            hint=_("save the data to a file and name that file"),
        )
