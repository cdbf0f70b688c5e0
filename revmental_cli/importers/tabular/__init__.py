"""Read a table (CSV, TSV, "Unicode Text" or .xlsx) as it arrives from an agency.

``read_table(path)`` returns a :class:`Table`: the header row and a *generator*
of :class:`Row` so a million-row file streams. Everything is text; for .xlsx,
``Row.numeric`` tells which cells were numbers (a NIP in a number cell is
always damaged) and numbers are shown the way Excel displays them.

Rules, in the order they apply:

- Encoding: ``encoding=`` if given; else a UTF-16 or UTF-8 BOM; else UTF-16
  without BOM when NUL bytes sit at every other position; else strict UTF-8;
  else Windows-1252. The whole file is decoded once up front (in chunks, in
  constant memory) so a bad byte is reported with its line number before any
  row is handed out, and so the UTF-8 -> cp1252 choice is never made halfway.
- Delimiter: ``delimiter=`` if given; else Excel's ``sep=X`` first line (which
  is then skipped); else whichever of ``,`` ``;`` tab splits the first 50
  lines into the same number of columns (ties: more columns wins).
- Header: the first non-blank row, except that one or more title rows above
  the header are skipped: when the first non-blank row has a single non-empty
  cell and one of the next 9 non-blank rows has several cells, one of which
  names a NIP or name column, that row is the header.
- Line numbers are physical: the header of a plain CSV is line 1, a record
  with a quoted multi-line cell is numbered by the line it starts on, and for
  .xlsx it is the sheet's row number. Blank rows are skipped, not renumbered.
- Short rows are padded with ""; extra cells are kept so callers can report
  them. Trailing empty header cells (a trailing delimiter) are dropped.

The package: table.py (Row, Table, the header choice), encoding.py (bytes to text),
delimited.py (CSV/TSV), xlsx.py (workbooks), source.py (what may be read, and the limits on
file size, line length and cells that keep a hostile file's cost bounded); this module
picks the reader by the file's suffix. None of them touches the store, the console or the clock.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from revmental_cli.errors import InputError
from revmental_cli.i18n import _
from revmental_cli.importers.headers import looks_like_roster_header
from revmental_cli.importers.tabular.delimited import MAX_FIELD_BYTES, read_delimited
from revmental_cli.importers.tabular.encoding import reject_zip, utf16_without_bom
from revmental_cli.importers.tabular.source import MAX_INPUT_BYTES, check_input_file
from revmental_cli.importers.tabular.table import SAVE_HINT, XLS_HINT, Row, Table
from revmental_cli.importers.tabular.xlsx import cell_text, read_xlsx

__all__ = [
    "MAX_FIELD_BYTES",
    "MAX_INPUT_BYTES",
    "Row",
    "Table",
    "cell_text",
    "check_input_file",
    "looks_like_roster_header",
    "read_table",
    "reject_zip",
    "utf16_without_bom",
]


def read_table(
    path: Path,
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    looks_like_header: Callable[[list[str]], bool] = looks_like_roster_header,
) -> Table:
    """Open ``path`` and return its header and a row stream; InputError if it cannot be read."""
    path = Path(path)
    source = path.name
    # Before the suffix: a device or a pipe is refused whatever its name says.
    check_input_file(path)
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise InputError(
            _("{file}: old Excel .xls workbooks are not supported").format(file=source),
            hint=_(XLS_HINT),
        )
    if suffix in (".ods", ".numbers"):
        raise InputError(
            _("{file}: {suffix} files are not supported").format(file=source, suffix=suffix),
            hint=_(SAVE_HINT),
        )
    if suffix in (".xlsx", ".xlsm"):
        if delimiter is not None or encoding is not None:
            raise InputError(
                _("{file}: --delimiter and --encoding apply to CSV files only").format(file=source)
            )
        return read_xlsx(path, source, sheet, looks_like_header)
    if sheet is not None:
        raise InputError(_("{file}: --sheet applies to .xlsx files only").format(file=source))
    return read_delimited(path, source, delimiter, encoding, looks_like_header)
