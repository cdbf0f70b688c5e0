"""The shape every reader of a sheet hands out: a :class:`Table` (header and row stream).

Owns: Row, Table, the choice of the header row (title rows above it are skipped) and the row
stream built from a reader's records (padding, the "1 2 3 ..." numbering row under a header).
Knows no file format: delimited.py and xlsx.py turn bytes into records, this module turns
records into a Table. Never touches the store, the console or the clock.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from types import TracebackType
from typing import NamedTuple

from revmental_cli.errors import InputError
from revmental_cli.i18n import N_, _
from revmental_cli.importers.tabular.source import MAX_TABLE_ROWS

_TITLE_LOOKAHEAD = 9
# English msgids: translate them where they are shown (``_(SAVE_HINT)``).
SAVE_HINT = N_("save the sheet as CSV UTF-8 or .xlsx")
XLS_HINT = N_("open it in Excel and save as .xlsx or CSV")


class Row(NamedTuple):
    """One non-blank data row: its line (or sheet row) number and its cells as text.

    A NamedTuple: a large file makes hundreds of thousands, and a frozen dataclass costs
    three times as much to build."""

    line: int
    cells: list[str]
    numeric: Sequence[bool]


@lru_cache(maxsize=64)
def no_numbers(width: int) -> tuple[bool, ...]:
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
Record = tuple[int, list[str], Sequence[bool]]


def _is_blank(cells: list[str]) -> bool:
    # One strip of the joined row instead of one per cell (a large file has millions).
    return not "".join(cells).strip()


def _numbers_the_columns(cells: list[str]) -> bool:
    """A row that reads 1, 2, 3... across (at least three columns, gaps allowed)."""
    filled = [(index, cell.strip()) for index, cell in enumerate(cells) if cell.strip()]
    return len(filled) >= 3 and all(text == str(index + 1) for index, text in filled)


def _find_header(
    source: str, non_blank: Iterator[Record], looks_like_header: Callable[[list[str]], bool]
) -> tuple[Record, list[Record]]:
    """Return the header record and the records read past it that are data."""
    first = next(non_blank, None)
    if first is None:
        raise InputError(
            _("{file}: the file is empty (no header row)").format(file=source), hint=_(SAVE_HINT)
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


def build_table(
    source: str,
    records: Generator[Record, None, None],
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
                _("{file}: the header row is empty").format(file=source), hint=_(SAVE_HINT)
            )
    except BaseException:
        records.close()
        raise
    width = len(headers)

    def rows() -> Generator[Row, None, None]:
        first = True
        count = 0
        make = tuple.__new__  # what Row(...) runs, without its Python-level __new__
        # ``records`` itself past the header, and the blank test inline: the data rows of a
        # large file are its hundreds of thousands, each worth one generator less.
        for line, cells, numeric in itertools.chain(pending, records):
            if not "".join(cells).strip():
                continue
            if first:
                first = False
                # Government forms number their columns under the header: "1 2 3 ... 9".
                if _numbers_the_columns(cells):
                    continue
            count += 1
            if count > MAX_TABLE_ROWS:
                raise InputError(
                    _(
                        "{file}: line {line}: more than {limit} rows, the most this command reads"
                    ).format(file=source, line=line, limit=f"{MAX_TABLE_ROWS:,}"),
                    hint=_("check that you named the right file, or split it into smaller files"),
                )
            missing = width - len(cells)
            if missing > 0:
                cells = cells + [""] * missing
            if len(numeric) < width:
                numeric = [*numeric, *([False] * (width - len(numeric)))]
            yield make(Row, (line, cells, numeric))

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
