"""Machine output: JSON on stdout, CSV and XLSX exports, the spreadsheet formula guard.

Owns how data leaves the program for another program: JSON (bypassing Rich, which would wrap
it at 80 columns when piped), CSV for Excel, XLSX (openpyxl, imported only when one is
written), and the private, all-or-nothing export file. The data itself stays English (codes,
column names). Must never touch the store's content: an export over the store is refused.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from revmental_cli import outcome
from revmental_cli.i18n import _
from revmental_cli.render.console import success
from revmental_cli.render.safe import json_safe, xlsx_safe
from revmental_cli.services.files import store_files

# --- machine output -------------------------------------------------------------------------


def emit_json(data: Any) -> None:
    import json

    # Indented for a person at a terminal; compact for a program or a file, because only the
    # compact form uses json's C encoder (a 5,000-participant report: 0.25 s -> 0.03 s).
    indent = 2 if _is_terminal(sys.stdout) else None
    # json_safe: the same data, with the bidi, zero-width and C1 characters json leaves raw
    # written as \uXXXX, so `--json` on a terminal is as safe as a table (safe.py).
    text = json_safe(json.dumps(data, ensure_ascii=False, indent=indent)) + "\n"
    _write_stdout(text)


def _write_stdout(text: str) -> None:
    # UTF-8 bytes whatever the console's code page, so `> file.json` is valid JSON (and a CSV
    # keeps its accents) on Windows too.
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None:
        sys.stdout.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    else:
        sys.stdout.write(text)


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False


# --- spreadsheets ----------------------------------------------------------------------------

# Windows opens descriptors in text mode unless told otherwise, which would turn every \n of
# an .xlsx (a zip) into \r\n; POSIX has no such flag.
_BINARY = getattr(os, "O_BINARY", 0)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def guard(value: Any) -> Any:
    """Neutralise text a spreadsheet would run as a formula (CWE-1236); numbers untouched."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


@contextlib.contextmanager
def private_output(path: Path, mode: str = "wb", *, store: Path | str, **how: Any) -> Iterator[Any]:
    """An export file written whole or not at all, readable only by its owner (0600).

    The data goes to a temporary file beside ``path`` that replaces it only once complete:
    a full disk or an error halfway leaves no empty or half file, and an existing file
    keeps its content. The store itself (``store``, the command's store file) is never a
    destination (an export over it would destroy every cohort)."""
    from revmental_cli.errors import InputError, UsageError

    if path.exists() and path.resolve() in store_files(store):
        raise UsageError(
            _("{path} is the store itself; an export there would destroy it").format(path=path),
            hint=_("name another file, e.g. --output kelulusan.xlsx"),
        )
    if path.is_dir():
        raise InputError(_("{path} is a folder").format(path=path), hint=_("name a file inside it"))
    if path.exists() and not path.is_file():
        # The finished export replaces the file it names: never a device (/dev/null) or a pipe.
        raise InputError(
            _("{path} is not a regular file (a device, a pipe or a socket)").format(path=path),
            hint=_("name a file, e.g. --output kelulusan.xlsx"),
        )
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o600)
        with os.fdopen(fd, mode, **how) as handle:
            yield handle
        with outcome.held():  # in place and noted as exported together (context.exporting)
            os.replace(temporary, path)
            outcome.note_left()
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise InputError(
            _("cannot write {path} ({reason})").format(path=path, reason=exc.strerror or exc)
        ) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _make_private(path)


def _make_private(path: Path) -> None:
    # As the store's own files: on Windows chmod only toggles read-only; privacy there comes
    # from the per-user profile folder (README, "Windows").
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)


def write_csv(
    path: Path,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    store: Path | str,
) -> None:
    """A CSV file for Excel: UTF-8 with BOM (so Excel reads accents right), private (0600)."""
    import csv

    with private_output(path, "w", store=store, encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([guard(c) for c in columns])
        for row in rows:
            writer.writerow([guard(v) for v in row])


def csv_stdout(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([guard(c) for c in columns])
    for row in rows:
        writer.writerow(["" if v is None else guard(v) for v in row])
    data = buffer.getvalue()
    outcome.note_left()  # before the first byte: a Ctrl-C midway has let rows out already
    _write_stdout(data)


@dataclass(frozen=True)
class Sheet:
    """A report as a spreadsheet: the title names the XLSX sheet; the columns named in
    ``text_columns`` are text there (so Excel never turns an 18-digit NIP into 1.98807E+17)."""

    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]
    text_columns: Collection[str]


def spreadsheet(fmt: str, output: Path | None, sheet: Sheet, *, store: Path | str) -> None:
    """A report as CSV (stdout or a file) or XLSX (a file), formula-guarded, private (0600)."""
    columns, rows = sheet.columns, sheet.rows
    if fmt == "csv":
        if output is None:
            csv_stdout(columns, rows)
        else:
            write_csv(
                output, columns, [["" if v is None else v for v in r] for r in rows], store=store
            )
            success(_("written to {path}").format(path=output))
        return
    assert output is not None
    write_xlsx(output, sheet, store=store)
    success(_("written to {path}").format(path=output))


def write_xlsx(path: Path, report: Sheet, *, store: Path | str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    title, columns, rows = report.title, report.columns, report.rows
    sheet.title = title[:31]  # Excel's limit on sheet names
    # xlsx_safe after guard: openpyxl raises IllegalCharacterError on the C0 controls XML
    # forbids (an ESC in a Zoom name would end the export); they are spelled out (\x1b).
    sheet.append([xlsx_safe(guard(c)) for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(str(c)) for c in columns]
    for row in rows:
        sheet.append([xlsx_safe(guard(v)) for v in row])
        for i, v in enumerate(row):
            widths[i] = max(widths[i], len(str(v)) if v is not None else 0)
    for i, name in enumerate(columns, start=1):
        letter = get_column_letter(i)
        sheet.column_dimensions[letter].width = min(max(widths[i - 1] + 2, 6), 60)
        if name in report.text_columns:
            # Text, so Excel never turns an 18-digit NIP into 1.98807E+17.
            for cell in sheet[letter][1:]:
                cell.number_format = "@"
    sheet.freeze_panes = "A2"
    with private_output(path, store=store) as fh:
        book.save(fh)
