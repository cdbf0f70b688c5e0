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
"""

from __future__ import annotations

import codecs
import csv
import itertools
import re
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple

from revmental_cli.errors import InputError, UsageError
from revmental_cli.i18n import N_, _

__all__ = ["Row", "Table", "cell_text", "looks_like_roster_header", "read_table"]

MAX_FIELD_BYTES = 1 << 20
_SNIFF_LINES = 50
_TITLE_LOOKAHEAD = 9
_CHUNK = 1 << 20
# English msgids: translate them where they are shown (``_(_SAVE_HINT)``).
_SAVE_HINT = N_("save the sheet as CSV UTF-8 or .xlsx")
_XLS_HINT = N_("open it in Excel and save as .xlsx or CSV")
_DELIMITERS = {
    ",": ",",
    "comma": ",",
    ";": ";",
    "semicolon": ";",
    "\t": "\t",
    "\\t": "\t",
    "tab": "\t",
}


class Row(NamedTuple):
    """One non-blank data row: its line (or sheet row) number and its cells as text.

    A NamedTuple: a large file makes hundreds of thousands, and a frozen dataclass costs
    three times as much to build."""

    line: int
    cells: list[str]
    numeric: Sequence[bool]


@lru_cache(maxsize=64)
def _no_numbers(width: int) -> tuple[bool, ...]:
    """A CSV cell is never a number cell: rows of one width share one tuple of False."""
    return (False,) * width


@dataclass
class Table:
    """A header and a stream of rows; close it (or use ``with``) if not read to the end."""

    source: str
    headers: list[str]
    header_line: int
    rows: Iterator[Row]
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)  # every sheet of an .xlsx workbook
    # What the reader guessed and the user should know (shown by the command).
    notes: list[str] = field(default_factory=list)
    _closers: list[Callable[[], None]] = field(default_factory=list, repr=False)

    def close(self) -> None:
        for closer in self._closers:
            closer()

    def __enter__(self) -> Table:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


# A record before the header is chosen: (line, cells, numeric flags).
_Record = tuple[int, list[str], Sequence[bool]]


def looks_like_roster_header(cells: list[str]) -> bool:
    """Tell whether a row names a NIP or name column (used to skip title rows)."""
    # Imported here: roster builds on this module, and its header names are
    # the single list of what a NIP or name column may be called.
    from revmental_cli.importers.roster import header_field

    return any(header_field(cell) in ("nip", "name") for cell in cells if cell.strip())


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
    if not path.exists():
        raise InputError(_("{path}: no such file").format(path=path))
    if path.is_dir():
        raise InputError(_("{path}: is a directory, not a file").format(path=path))
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise InputError(
            _("{file}: old Excel .xls workbooks are not supported").format(file=source),
            hint=_(_XLS_HINT),
        )
    if suffix in (".ods", ".numbers"):
        raise InputError(
            _("{file}: {suffix} files are not supported").format(file=source, suffix=suffix),
            hint=_(_SAVE_HINT),
        )
    if suffix in (".xlsx", ".xlsm"):
        if delimiter is not None or encoding is not None:
            raise InputError(
                _("{file}: --delimiter and --encoding apply to CSV files only").format(file=source)
            )
        return _read_xlsx(path, source, sheet, looks_like_header)
    if sheet is not None:
        raise InputError(_("{file}: --sheet applies to .xlsx files only").format(file=source))
    return _read_csv(path, source, delimiter, encoding, looks_like_header)


# ------------------------------------------------------------------ header


def _is_blank(cells: list[str]) -> bool:
    # One strip of the joined row instead of one per cell (a large file has millions).
    return not "".join(cells).strip()


def _numbers_the_columns(cells: list[str]) -> bool:
    """A row that reads 1, 2, 3... across (at least three columns, gaps allowed)."""
    filled = [(index, cell.strip()) for index, cell in enumerate(cells) if cell.strip()]
    return len(filled) >= 3 and all(text == str(index + 1) for index, text in filled)


def _find_header(
    source: str, non_blank: Iterator[_Record], looks_like_header: Callable[[list[str]], bool]
) -> tuple[_Record, list[_Record]]:
    """Return the header record and the records read past it that are data."""
    first = next(non_blank, None)
    if first is None:
        raise InputError(
            _("{file}: the file is empty (no header row)").format(file=source), hint=_(_SAVE_HINT)
        )
    # Title rows ("DAFTAR PESERTA ...", sometimes spread over two cells) sit above the header:
    # unless the first row already names the columns, look a few rows further for one that does.
    first_filled = sum(1 for cell in first[1] if cell.strip())
    if looks_like_header(first[1]) or first_filled > 3:
        return first, []
    lookahead = list(itertools.islice(non_blank, _TITLE_LOOKAHEAD))
    for index, record in enumerate(lookahead):
        filled = sum(1 for cell in record[1] if cell.strip())
        # A header names more columns than a title row fills.
        if filled > max(first_filled, 1) and looks_like_header(record[1]):
            return record, lookahead[index + 1 :]
    return first, lookahead


def _build_table(
    source: str,
    records: Generator[_Record, None, None],
    looks_like_header: Callable[[list[str]], bool],
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> Table:
    non_blank = (r for r in records if not _is_blank(r[1]))
    try:
        header, pending = _find_header(source, non_blank, looks_like_header)
        headers = [cell.strip() for cell in header[1]]
        while headers and not headers[-1]:
            headers.pop()
        if not headers:
            raise InputError(
                _("{file}: the header row is empty").format(file=source), hint=_(_SAVE_HINT)
            )
    except BaseException:
        records.close()
        raise
    width = len(headers)

    def rows() -> Generator[Row, None, None]:
        first = True
        for line, cells, numeric in itertools.chain(pending, non_blank):
            if first:
                first = False
                # Government forms number their columns under the header: "1 2 3 ... 9".
                if _numbers_the_columns(cells):
                    continue
            missing = width - len(cells)
            if missing > 0:
                cells = cells + [""] * missing
            if len(numeric) < width:
                numeric = [*numeric, *([False] * (width - len(numeric)))]
            yield Row(line, cells, numeric)

    stream = rows()
    return Table(
        source,
        headers,
        header[0],
        stream,
        encoding=encoding,
        delimiter=delimiter,
        sheet=sheet,
        _closers=[stream.close, records.close],
    )


# --------------------------------------------------------------------- CSV


class _DecodeFailure(Exception):
    def __init__(self, line: int, detail: str) -> None:
        super().__init__(detail)
        self.line = line
        self.detail = detail


def _count_breaks(text: str, after_cr: bool) -> int:
    count = text.count("\n") + text.count("\r") - text.count("\r\n")
    if after_cr and text.startswith("\n"):
        count -= 1
    return count


def _scan(path: Path, encoding: str) -> None:
    """Decode the whole file once, raising _DecodeFailure at the first bad byte or NUL."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    line, after_cr = 1, False
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(_CHUNK)
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                seen = codecs.decode(exc.object[: exc.start], encoding, errors="replace")
                bad = exc.object[exc.start : exc.start + 1].hex()
                line += _count_breaks(seen, after_cr)
                raise _DecodeFailure(line, _("byte 0x{hex}").format(hex=bad)) from None
            except UnicodeError:  # a codec's own complaint, e.g. a missing byte-order mark
                raise _DecodeFailure(line, _("the start of the file")) from None
            nul = text.find("\x00")
            if nul >= 0:
                raise InputError(
                    _(
                        "{file}: line {line}: contains NUL bytes; this is not a text CSV file"
                    ).format(file=path.name, line=line + _count_breaks(text[:nul], after_cr)),
                    hint=_(_SAVE_HINT),
                )
            if not chunk:
                return
            line += _count_breaks(text, after_cr)
            if text:
                after_cr = text.endswith("\r")


def utf16_without_bom(head: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" for UTF-16 text without a byte-order mark, else None."""
    sample = head[:4096]
    half = len(sample) // 2
    if half < 2:
        return None
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    # ASCII-heavy UTF-16 text has a NUL in the high byte of nearly every unit.
    if odd_nul > 0.3 * half and even_nul < 0.05 * half:
        return "utf-16-le"
    if even_nul > 0.3 * half and odd_nul < 0.05 * half:
        return "utf-16-be"
    return None


def _reject_binary(source: str, head: bytes) -> None:
    if head.startswith(b"PK\x03\x04"):
        raise InputError(
            _("{file}: this is a zip file (perhaps an .xlsx workbook with a .csv name)").format(
                file=source
            ),
            hint=_(
                "rename it to .xlsx if it is a workbook, or save the sheet as CSV UTF-8 or .xlsx"
            ),
        )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            _("{file}: this is an old Excel .xls workbook").format(file=source),
            hint=_(_XLS_HINT),
        )
    if head.startswith(b"%PDF"):
        raise InputError(
            _("{file}: this is a PDF, not a table").format(file=source), hint=_(_SAVE_HINT)
        )


def _choose_encoding(path: Path, source: str, head: bytes, encoding: str | None) -> str:
    if encoding is not None:
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            raise UsageError(
                _("unknown encoding {encoding}").format(encoding=repr(encoding)),
                hint=_("try utf-8, cp1252 or utf-16"),
            ) from None
        # A BOM is never part of the data; these variants drop it when present.
        name = {"utf-8": "utf-8-sig"}.get(name, name)
        if name == "utf-16" and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            # Python's "utf-16" needs a byte-order mark; without one, the byte pattern tells
            # little- from big-endian (Windows writes little-endian).
            name = utf16_without_bom(head) or ""
            if not name:
                raise InputError(
                    _(
                        "{file}: is not UTF-16 (no byte-order mark, and not its byte pattern)"
                    ).format(file=source),
                    hint=_("leave out --encoding to detect it"),
                )
        try:
            _scan(path, name)
        except _DecodeFailure as failure:
            raise InputError(
                _("{file}: line {line}: cannot decode {detail} as {encoding}").format(
                    file=source, line=failure.line, detail=failure.detail, encoding=encoding
                ),
                hint=_(
                    "leave out --encoding to detect it, or save the sheet as CSV UTF-8 or .xlsx"
                ),
            ) from None
        return name
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    elif head.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif utf16 := utf16_without_bom(head):
        candidates = [utf16]
    elif b"\x00" in head:
        raise InputError(
            _("{file}: contains NUL bytes; this is not a text CSV file").format(file=source),
            hint=_(_SAVE_HINT),
        )
    else:
        candidates = ["utf-8", "cp1252"]
    last: _DecodeFailure | None = None
    for name in candidates:
        try:
            _scan(path, name)
        except _DecodeFailure as exc:
            last = exc
            continue
        return name
    assert last is not None
    names = [{"utf-8": "UTF-8", "cp1252": "Windows-1252"}.get(c, c) for c in candidates]
    tried = (
        names[0]
        if len(names) == 1
        else _("{first} or {second}").format(first=", ".join(names[:-1]), second=names[-1])
    )
    raise InputError(
        _("{file}: line {line}: cannot decode {detail} as {encoding}").format(
            file=source, line=last.line, detail=last.detail, encoding=tried
        ),
        hint=_("save the sheet as CSV UTF-8 or .xlsx, or give --encoding"),
    )


def _sniff(lines: list[str], truncated: bool) -> str:
    """Pick the candidate delimiter that splits the sample into the most consistent columns."""
    best, best_score = ",", (False, False, 0, 0.0)
    for candidate in (",", ";", "\t"):
        try:
            # Empty lines say nothing; rows of empty cells (";;;") do.
            records = [r for r in csv.reader(lines, delimiter=candidate) if r]
        except csv.Error:
            continue
        if truncated and len(records) > 1:
            records.pop()  # may have been cut inside a quoted multi-line cell
        if not records:
            continue
        width, count = Counter(len(r) for r in records).most_common(1)[0]
        share = count / len(records)
        score = (width > 1, share >= 0.8, width, share)
        if score > best_score:
            best, best_score = candidate, score
    return best


_SEP_LINE = re.compile(r"^sep=(.)\r?\n?$", re.DOTALL)


def _read_csv(
    path: Path,
    source: str,
    delimiter: str | None,
    encoding: str | None,
    looks_like_header: Callable[[list[str]], bool],
) -> Table:
    chosen_delimiter: str | None = None
    if delimiter is not None:
        chosen_delimiter = _DELIMITERS.get(delimiter.lower() if len(delimiter) > 1 else delimiter)
        if chosen_delimiter is None:
            raise UsageError(
                _("unknown delimiter {value}").format(value=repr(delimiter)),
                hint=_("use one of: , ; tab (or the words comma, semicolon, tab)"),
            )
    try:
        with path.open("rb") as raw:
            head = raw.read(64 * 1024)
    except OSError as exc:
        raise InputError(
            _("{path}: cannot read the file ({reason})").format(path=path, reason=exc.strerror)
        ) from None
    if not head:
        raise InputError(_("{file}: the file is empty").format(file=source), hint=_(_SAVE_HINT))
    _reject_binary(source, head)
    chosen_encoding = _choose_encoding(path, source, head, encoding)

    handle = path.open(encoding=chosen_encoding, newline="")
    try:
        sample = list(itertools.islice(handle, _SNIFF_LINES))
        offset = 0
        sep = _SEP_LINE.match(sample[0]) if sample else None
        if sep:
            sample.pop(0)
            offset = 1
            chosen_delimiter = chosen_delimiter or sep.group(1)
        if chosen_delimiter is None:
            chosen_delimiter = _sniff(sample, truncated=len(sample) + offset >= _SNIFF_LINES)
    except BaseException:
        handle.close()
        raise
    records = _csv_records(source, handle, sample, offset, chosen_delimiter)
    table = _build_table(
        source,
        records,
        looks_like_header,
        encoding=chosen_encoding,
        delimiter=chosen_delimiter,
    )
    if encoding is None and chosen_encoding == "cp1252":
        # Not UTF-8: the usual other one is Windows-1252, but Excel's "CSV (MS-DOS)" is cp850
        # and reads as other accented letters under cp1252, with no error to notice it by.
        table.notes.append(
            _(
                "{file}: not UTF-8; read as Windows-1252 (cp1252). If accented letters look "
                "wrong, name the encoding, e.g. --encoding cp850 for Excel's CSV (MS-DOS)"
            ).format(file=source)
        )
    return table


def _unwrap_formula_text(cell: str) -> str:
    """="198807142014032004" is how some systems make Excel keep a long number as text."""
    if len(cell) >= 3 and cell.startswith('="') and cell.endswith('"'):
        return cell[2:-1].replace('""', '"')
    return cell


def _csv_records(
    source: str, handle: Iterable[str], sample: list[str], offset: int, delimiter: str
) -> Generator[_Record, None, None]:
    # A stray quote would otherwise swallow the rest of the file into one cell.
    csv.field_size_limit(MAX_FIELD_BYTES)
    reader = csv.reader(itertools.chain(sample, handle), delimiter=delimiter)
    consumed = 0
    try:
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                line = reader.line_num + offset
                detail = str(exc)
                if "field larger than field limit" in detail:
                    detail = _("a cell is longer than 1 MB (is a quote left open?)")
                raise InputError(
                    _("{file}: line {line}: {detail}").format(
                        file=source, line=line, detail=detail
                    ),
                    hint=_(_SAVE_HINT),
                ) from None
            # A scan of the joined row first: nearly no row has such a cell.
            if '="' in "".join(cells) and any(c[:2] == '="' for c in cells):
                cells = [_unwrap_formula_text(c) for c in cells]
            yield consumed + 1 + offset, cells, _no_numbers(len(cells))
            consumed = reader.line_num
    finally:
        close = getattr(handle, "close", None)
        if close is not None:
            close()


# -------------------------------------------------------------------- xlsx


def _excel_exponent(text: str) -> str:
    """Turn Python's ``1.98807e+17`` into Excel's ``1.98807E+17``."""
    mantissa, _, exponent = text.partition("e")
    sign = "-" if exponent.startswith("-") else "+"
    return f"{mantissa}E{sign}{int(exponent.lstrip('+-')):02d}"


def cell_text(value: object) -> tuple[str, bool]:
    """Return an xlsx cell value as the text Excel would show, and whether it was a number."""
    if value is None:
        return "", False
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), False
    if isinstance(value, int):
        return str(value), True
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e21:
            return str(int(value)), True
        text = f"{value:.15g}"
        return (_excel_exponent(text) if "e" in text else text), True
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat(), False
        return value.isoformat(sep=" ", timespec="seconds"), False
    if isinstance(value, date):
        return value.isoformat(), False
    if isinstance(value, time):
        return value.isoformat(timespec="seconds"), False
    if isinstance(value, timedelta):
        return str(value), False
    return str(value), False


def _read_xlsx(
    path: Path,
    source: str,
    sheet: str | None,
    looks_like_header: Callable[[list[str]], bool],
) -> Table:
    from openpyxl import load_workbook  # heavy; only .xlsx imports need it

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except PermissionError:
        raise InputError(
            _("{path}: cannot read the file (permission denied)").format(path=path)
        ) from None
    except Exception as exc:  # openpyxl raises many unrelated types for a damaged file
        with path.open("rb") as handle:
            start = handle.read(4)
        renamed = not start.startswith(b"PK")  # every .xlsx is a zip archive
        raise InputError(
            _("{file}: not a readable .xlsx workbook ({kind})").format(
                file=source, kind=type(exc).__name__
            ),
            hint=_("it is not a workbook inside: if it is a CSV file, name it .csv")
            if renamed
            else _(_SAVE_HINT),
        ) from None
    try:
        names = workbook.sheetnames
        if sheet is None:
            name = _default_sheet(workbook)
        else:
            matches = [n for n in names if n.casefold() == sheet.strip().casefold()]
            if not matches:
                raise InputError(
                    _("{file}: no sheet named {sheet}").format(file=source, sheet=repr(sheet)),
                    hint=_("sheets in this workbook: {sheets}").format(sheets=", ".join(names)),
                )
            name = matches[0]
        worksheet = workbook[name]
        # Some writers record wrong dimensions; read what is really there.
        worksheet.reset_dimensions()
    except BaseException:
        workbook.close()
        raise

    # The same sheet with its formulas: a workbook written by a program (not saved by Excel)
    # keeps formulas without their values, which read as empty cells and would be imported as
    # "no name" or "no score" without a word. Excel itself saves a formula that gives "" as
    # an empty value too (a "No" column of =IF(B5="","",ROW()-4) dragged down the sheet), so
    # the file is refused only when none of its formulas has a saved value. The two are
    # streamed side by side; the verdict comes after the last row, before anything is written.
    try:
        formulas = load_workbook(path, read_only=True, data_only=False)
        formula_sheet = formulas[name]
        formula_sheet.reset_dimensions()
    except Exception:
        workbook.close()
        raise InputError(
            _("{file}: not a readable .xlsx workbook ({kind})").format(
                file=source, kind="formulas"
            ),
            hint=_(_SAVE_HINT),
        ) from None

    def records() -> Generator[_Record, None, None]:
        unsaved: str | None = None  # the first formula cell read as empty
        saved = False
        try:
            # Read-only sheets yield an empty tuple for each missing row, so
            # counting from 1 gives the sheet's row numbers.
            rows = zip(worksheet.iter_rows(), formula_sheet.iter_rows(), strict=False)
            for number, (cells, written) in enumerate(rows, start=1):
                for cell, source_cell in zip(cells, written, strict=False):
                    if not _is_formula(source_cell):
                        continue
                    # t="str" with an empty value: Excel saved the formula's "" result.
                    if getattr(cell, "value", None) is None and cell.data_type != "str":
                        if unsaved is None:
                            unsaved = f"{_column_letter(source_cell)}{number}: {source_cell.value}"
                    else:
                        saved = True
                converted = [_xlsx_cell(c) for c in cells]
                while converted and converted[-1] == ("", False):
                    converted.pop()
                yield number, [t for t, _ in converted], [n for _, n in converted]
            if unsaved is not None and not saved:
                cell, formula = unsaved.split(": ", 1)
                raise InputError(
                    _(
                        "{file}: sheet {sheet}, cell {cell}: a formula without a saved "
                        "value ({formula})"
                    ).format(file=source, sheet=name, cell=cell, formula=formula),
                    hint=_(
                        "open the workbook in Excel or LibreOffice and save it (that "
                        "stores the values), or paste the values only"
                    ),
                )
        finally:
            workbook.close()
            formulas.close()

    table = _build_table(source, records(), looks_like_header, sheet=name)
    table.sheets = list(names)
    others = [n for n in _visible_sheets(workbook) if n != name]
    if sheet is None and others:
        table.notes.append(
            _("{file}: read sheet {sheet}; the workbook also has {others} (--sheet NAME)").format(
                file=source, sheet=repr(name), others=", ".join(repr(n) for n in others)
            )
        )
    return table


def _visible_sheets(workbook: Any) -> list[str]:
    return [
        ws.title for ws in workbook.worksheets if getattr(ws, "sheet_state", "visible") == "visible"
    ]


def _is_formula(cell: Any) -> bool:
    value = getattr(cell, "value", None)
    return isinstance(value, str) and value.startswith("=") and len(value) > 1


def _column_letter(cell: Any) -> str:
    from openpyxl.utils import get_column_letter

    column = getattr(cell, "column", None)
    return get_column_letter(column) if isinstance(column, int) else "?"


def _default_sheet(workbook: Any) -> str:
    """The sheet Excel shows when the file is opened (the active one), unless it is hidden;
    else the first visible sheet. A hidden "Petunjuk" sheet in front is common."""
    visible = [
        ws.title for ws in workbook.worksheets if getattr(ws, "sheet_state", "visible") == "visible"
    ]
    try:
        active = workbook.active
    except (IndexError, AttributeError):
        active = None
    if active is not None and active.title in visible:
        return str(active.title)
    return visible[0] if visible else str(workbook.sheetnames[0])


def _xlsx_cell(cell: Any) -> tuple[str, bool]:
    value = getattr(cell, "value", None)
    text, numeric = cell_text(value)
    # A cell formatted as a percentage holds 0.855 for what Excel shows as 85.5%.
    if (
        numeric
        and isinstance(value, (int, float))
        and "%" in (getattr(cell, "number_format", "") or "")
    ):
        return f"{value * 100:.10g}%", True
    return text, numeric
