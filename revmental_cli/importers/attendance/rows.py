"""What every attendance reader shares: the file's records and the cells of one row.

Owns: reading the file into records (through tabular's ``read_table``, every row kept, the
(line, column) of number cells noted), the collector of a row's problems, and the time and
minutes cells that Zoom, Meet and sheets read alike. Never touches the store, the console or
the clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from revmental_cli.errors import InputError, Problem
from revmental_cli.i18n import N_, _
from revmental_cli.importers.attendance.times import (
    TIME_ONLY,
    parse_duration,
    parse_time,
    parse_time_of_day,
)
from revmental_cli.importers.headers import spaced_key
from revmental_cli.importers.tabular import read_table

Record = tuple[int, list[str]]


def _trimmed(cells: list[str]) -> list[str]:
    cells = list(map(str.strip, cells))
    # Some exports end every line with a comma: an empty last cell, not a column.
    while cells and not cells[-1]:
        cells.pop()
    return cells


def read_records(
    path: Path, delimiter: str | None, encoding: str | None
) -> tuple[str, list[Record], set[tuple[int, int]]]:
    """Return the file's name, its non-blank rows, and the (line, column) of number cells.

    Number cells only come from .xlsx: a NIP in one has been through Excel's
    15-digit float, whatever it shows now.
    """
    # Nothing looks like a header to read_table, so it returns the first
    # non-blank row as the header and every later row as data: the readers
    # need all of them to find the meeting block and the real header.
    table = read_table(path, delimiter=delimiter, encoding=encoding, looks_like_header=_never)
    numbers: set[tuple[int, int]] = set()
    with table:
        records = [(table.header_line, _trimmed(table.headers))]
        for row in table.rows:
            records.append((row.line, _trimmed(row.cells)))
            if any(row.numeric):
                numbers.update((row.line, i) for i, number in enumerate(row.numeric) if number)
    return table.source, records, numbers


def _never(cells: list[str]) -> bool:
    return False


@dataclass
class RowProblems:
    """Collect one row's problems, naming the column as the file writes it."""

    source: str
    line: int
    names: dict[str, str]
    found: list[Problem] = field(default_factory=list)

    def __call__(self, name: str, message: str, hint: str | None = None) -> None:
        self.found.append(Problem(message, self.source, self.line, self.names[name], hint))


def cell_at(cells: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    if index is None or index >= len(cells):
        return ""
    return cells[index]


def ignored(headers: list[str], columns: dict[str, int], known: set[str]) -> list[str]:
    used = set(columns.values())
    return [
        header
        for index, header in enumerate(headers)
        if header and index not in used and spaced_key(header) not in known
    ]


# English msgids: translate them where they are shown, with ``_``.
_TIME_HINT = N_("write it as MM/DD/YYYY hh:mm:ss AM/PM or YYYY-MM-DD HH:MM:SS, as Zoom exports it")


def time_cell(
    cells: list[str],
    columns: dict[str, int],
    name: str,
    problem: RowProblems,
    day: date | None = None,
    cache: dict[str, datetime] | None = None,
    hint: str = _TIME_HINT,
    day_first: bool = False,
) -> datetime | None:
    text = cell_at(cells, columns, name)
    if name not in columns:
        return None
    if not text:
        problem(name, _("time is empty"))
        return None
    if cache is not None and (known := cache.get(text)) is not None:
        return known
    try:
        moment = parse_time(text, day_first)
    except ValueError:
        pass
    else:
        if cache is not None:
            cache[text] = moment
        return moment
    if day is not None or TIME_ONLY.fullmatch(text.strip()):
        try:
            alone = parse_time_of_day(text)
        except ValueError:
            pass
        else:
            if day is not None:
                return datetime.combine(day, alone)
            # Every row of such a report is like this one: say it once, for the whole file,
            # rather than read it without its times (the lateness and clipping they give).
            raise InputError(
                _(
                    "{file}: line {line}: {column}: the time {value} has no date, and the "
                    "report does not say which day it is"
                ).format(
                    file=problem.source,
                    line=problem.line,
                    column=problem.names[name],
                    value=repr(text),
                ),
                hint=_(
                    "name the session with --session N: the times are then put on its date "
                    "(or keep the report's date line, such as 'Meeting date: 2021-09-30')"
                ),
            )
    problem(name, _("not a date and time: {value}").format(value=repr(text)), _(hint))
    return None


def minutes_cell(
    cells: list[str], columns: dict[str, int], name: str, problem: RowProblems
) -> float | None:
    text = cell_at(cells, columns, name)
    if not text:
        return None
    try:
        return parse_duration(text)
    except ValueError:
        problem(
            name,
            _("not a number of minutes: {value}").format(value=repr(text)),
            _("write minutes as 95 or 1:35:00"),
        )
        return None
