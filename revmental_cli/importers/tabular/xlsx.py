"""Read an .xlsx/.xlsm worksheet into a :class:`~.table.Table`, cells as Excel shows them.

Owns: the sheet choice (named, else the active visible one), cell values as text (numbers as
Excel displays them, with ``Row.numeric`` telling which cells were numbers), and the refusal
of a workbook whose formulas have no saved values. Never touches the store, the console or
the clock.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from revmental_cli.errors import InputError
from revmental_cli.i18n import N_, _
from revmental_cli.importers.tabular.source import (
    MAX_COLUMNS,
    MAX_SHEET_CELLS,
    MAX_SHEET_ROWS,
    MAX_UNPACKED_BYTES,
    cannot_read,
    megabytes,
)
from revmental_cli.importers.tabular.table import SAVE_HINT, Record, Table, build_table

# The hint under the limits: no real sheet reaches them.
_LIMIT_HINT = N_("no real sheet is that large; check that you named the right file")


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


def read_xlsx(
    path: Path,
    source: str,
    sheet: str | None,
    looks_like_header: Callable[[list[str]], bool],
) -> Table:
    from openpyxl import load_workbook  # heavy; only .xlsx imports need it

    _check_archive(path, source)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        raise cannot_read(path, exc) from None
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
            else _(SAVE_HINT),
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
    except InputError:
        workbook.close()
        raise
    except Exception as exc:  # a damaged part: a missing sheet file, broken XML
        workbook.close()
        raise _unreadable(source, exc) from None
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
            hint=_(SAVE_HINT),
        ) from None

    def records() -> Generator[Record, None, None]:
        unsaved: str | None = None  # the first formula cell read as empty
        saved = False
        budget = MAX_SHEET_CELLS
        number = 0
        try:
            # Read-only sheets yield an empty tuple for each missing row, so
            # counting from 1 gives the sheet's row numbers.
            rows = zip(worksheet.iter_rows(), formula_sheet.iter_rows(), strict=False)
            for number, (cells, written) in enumerate(rows, start=1):
                # A row numbered far down, or a cell far right, makes the reader hand out every
                # empty row and cell before it: the limits keep that bounded.
                budget -= max(len(cells), 1)
                if number > MAX_SHEET_ROWS or len(cells) > MAX_COLUMNS or budget < 0:
                    raise _too_large(source, name, number, len(cells))
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
        except InputError:
            raise
        except Exception as exc:  # the sheet's XML is damaged, or its zip entry (a bad CRC)
            raise _unreadable(source, exc, sheet=name, row=number + 1) from None
        finally:
            workbook.close()
            formulas.close()

    table = build_table(source, records(), looks_like_header, sheet=name)
    table.sheets = list(names)
    others = [n for n in _visible_sheets(workbook) if n != name]
    if sheet is None and others:
        table.notes.append(
            _("{file}: read sheet {sheet}; the workbook also has {others} (--sheet NAME)").format(
                file=source, sheet=repr(name), others=", ".join(repr(n) for n in others)
            )
        )
    return table


def _check_archive(path: Path, source: str) -> None:
    """Refuse a zip bomb before it is unpacked: the sizes its directory declares are the most
    the unpacking yields (past them it stops, with a CRC error)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(entry.file_size for entry in archive.infolist())
    except OSError as exc:
        raise cannot_read(path, exc) from None
    except Exception:  # not a zip at all: load_workbook says so in its own words
        return
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputError(
            _(
                "{file}: the workbook unpacks to more than {limit}, the most this command reads"
            ).format(file=source, limit=megabytes(MAX_UNPACKED_BYTES)),
            hint=_(_LIMIT_HINT),
        )


def _too_large(source: str, sheet: str, row: int, width: int) -> InputError:
    if row > MAX_SHEET_ROWS:
        message = _("{file}: sheet {sheet} has rows past row {limit}, Excel's last").format(
            file=source, sheet=sheet, limit=f"{MAX_SHEET_ROWS:,}"
        )
    elif width > MAX_COLUMNS:
        message = _("{file}: sheet {sheet}, row {row}: more than {limit} columns").format(
            file=source, sheet=sheet, row=row, limit=f"{MAX_COLUMNS:,}"
        )
    else:
        message = _(
            "{file}: sheet {sheet} holds more than {limit} cells (counting the empty ones up to "
            "row {row}), the most this command reads"
        ).format(file=source, sheet=sheet, limit=f"{MAX_SHEET_CELLS:,}", row=row)
    return InputError(message, hint=_(_LIMIT_HINT))


def _unreadable(
    source: str, exc: Exception, *, sheet: str | None = None, row: int | None = None
) -> InputError:
    """A damaged workbook, in words; never the parser's text (it may quote the file's data)."""
    kind = type(exc).__name__
    if sheet is not None and row is not None:
        message = _("{file}: sheet {sheet}, near row {row}: not a readable .xlsx workbook ({kind})")
        text = message.format(file=source, sheet=sheet, row=row, kind=kind)
    else:
        text = _("{file}: not a readable .xlsx workbook ({kind})").format(file=source, kind=kind)
    return InputError(text, hint=_(SAVE_HINT))


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
