"""Plain attendance sheets (CSV or .xlsx): a NIP and a status per row, maybe minutes and a note.

Owns: the reading of a sheet once detected (its header names, including the timestamp of a
presence form read by forms.py, are sniff.py's; the statuses and their words, ``parse_status``,
statuses.py's), the NIP cell of a sheet (Excel's
damaged number cells; a NIK or NRP is read too), and one Mark per valid row. Never touches
the store or the console; ``today`` for the NIP check comes from the caller (without one,
the clock's date: the domain rules no longer read it).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from revmental_cli.domain.person import (
    EXCEL_NIP_HINT,
    EXCEL_NIP_MESSAGE,
    FieldError,
    normalize_id,
)
from revmental_cli.domain.visits import Mark
from revmental_cli.errors import Problem
from revmental_cli.i18n import N_, _
from revmental_cli.importers.attendance.report import Report
from revmental_cli.importers.attendance.rows import (
    Record,
    RowProblems,
    cell_at,
    ignored,
    minutes_cell,
)
from revmental_cli.importers.attendance.sniff import sheet_columns
from revmental_cli.importers.attendance.statuses import STATUS_WORDS, STATUSES, parse_status

__all__ = ["STATUSES", "STATUS_WORDS", "parse_status", "read_sheet", "sheet_columns"]

_STATUS_HINT = N_(
    "write hadir, terlambat, izin, sakit or alpa (or present, late, excused, sick, absent)"
)


# Columns a sheet carries for the people reading it; not worth a warning.
SHEET_KNOWN_UNUSED = {"no", "no.", "ndh", "nomor", "nama", "nama lengkap", "name", "nama peserta"}


def nip_cell(
    cells: list[str],
    columns: dict[str, int],
    line: int,
    numbers: set[tuple[int, int]],
    problem: RowProblems,
    today: date | None,
) -> str:
    """The row's NIP, normalised when valid, else as written after telling ``problem`` why."""
    raw_nip = cell_at(cells, columns, "nip")
    if (line, columns["nip"]) in numbers:
        # Shown with 18 digits or not, a number cell kept only 15 of them.
        problem("nip", _(EXCEL_NIP_MESSAGE), _(EXCEL_NIP_HINT))
        return raw_nip.strip()
    try:
        # A NIK or NRP too: a non-ASN participant's marks are kept like anyone's.
        return normalize_id(raw_nip, today=today if today is not None else date.today())
    except FieldError as exc:
        problem("nip", exc.message, exc.hint)
        return raw_nip.strip()


@dataclass
class SheetRows:
    """The rows under a sheet's header, each with its NIP read and what collects its problems
    into ``problems``: what a status sheet and a presence form (forms.py) read alike."""

    report: Report
    records: list[Record]
    index: int
    columns: dict[str, int]
    numbers: set[tuple[int, int]]
    today: date | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def headers(self) -> list[str]:
        return self.records[self.index][1]

    @property
    def rows(self) -> list[Record]:
        return self.records[self.index + 1 :]

    def __iter__(self) -> Iterator[tuple[int, list[str], RowProblems, str]]:
        headers, columns = self.headers, self.columns
        self.report.ignored_columns = ignored(headers, columns, SHEET_KNOWN_UNUSED)
        names = {name: headers[i] for name, i in columns.items()}
        for line, cells in self.rows:
            problem = RowProblems(self.report.source, line, names, self.problems)
            nip = nip_cell(cells, columns, line, self.numbers, problem, self.today)
            yield line, cells, problem, nip


def read_sheet(
    report: Report,
    records: list[Record],
    index: int,
    columns: dict[str, int],
    numbers: set[tuple[int, int]],
    today: date | None = None,
) -> list[Problem]:
    """Read a status sheet's rows, or a presence form's answers (a NIP and a timestamp, no
    status: forms.py), into ``report.marks``; return the row problems."""
    sheet = SheetRows(report, records, index, columns, numbers, today)
    if "status" not in columns:
        from revmental_cli.importers.attendance.forms import read_form

        return read_form(sheet)
    for line, cells, problem, nip in sheet:
        status_text = cell_at(cells, columns, "status")
        try:
            status = parse_status(status_text)
        except ValueError:
            if status_text:
                problem(
                    "status",
                    _("unknown status {value}").format(value=repr(status_text)),
                    _(_STATUS_HINT),
                )
            else:
                problem("status", _("status is empty"), _(_STATUS_HINT))
            continue
        minutes = minutes_cell(cells, columns, "minutes", problem)
        report.marks.append(Mark(line, nip, status, minutes, cell_at(cells, columns, "note")))
    return sheet.problems
