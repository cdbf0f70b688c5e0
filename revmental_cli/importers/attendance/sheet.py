"""Plain attendance sheets (CSV or .xlsx): a NIP and a status per row, maybe minutes and a note.

Owns: the sheet's header names (including the timestamp of a presence form, which is read by
forms.py), the statuses and their words (``parse_status``), the NIP cell of a sheet (Excel's
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
from revmental_cli.importers.attendance.text import first_columns

__all__ = ["STATUSES", "STATUS_WORDS", "parse_status", "read_sheet", "sheet_columns"]

STATUSES = ("present", "late", "excused", "sick", "absent")
STATUS_WORDS: dict[str, str] = {
    "hadir": "present", "present": "present", "h": "present",
    "terlambat": "late", "telat": "late", "late": "late", "t": "late",
    "izin": "excused", "ijin": "excused", "excused": "excused", "i": "excused",
    "sakit": "sick", "sick": "sick", "s": "sick",
    "alpa": "absent", "alpha": "absent", "alfa": "absent", "absent": "absent",
    "tanpa keterangan": "absent", "tk": "absent", "a": "absent",
    "tidak hadir": "absent", "mangkir": "absent",
}  # fmt: skip
_STATUS_HINT = N_(
    "write hadir, terlambat, izin, sakit or alpa (or present, late, excused, sick, absent)"
)


def parse_status(text: str) -> str:
    """Return the status a word stands for (``Hadir`` -> present); ValueError if unknown."""
    key = " ".join(text.strip().strip(".").casefold().replace(".", "").split())
    if key in STATUS_WORDS:
        return STATUS_WORDS[key]
    if key in STATUSES:
        return key
    raise ValueError(f"unknown status {text.strip()!r}")


_CSV = {
    "nip": "nip",
    "n.i.p": "nip",
    "n.i.p.": "nip",
    "nip baru": "nip",
    "nomor induk pegawai": "nip",
    "status": "status",
    "status kehadiran": "status",
    "kehadiran": "status",
    "presensi": "status",
    "attendance": "status",
    "keterangan": "keterangan",
    "ket": "keterangan",
    "ket.": "keterangan",
    "menit": "minutes",
    "minutes": "minutes",
    "durasi": "minutes",
    "durasi (menit)": "minutes",
    "duration": "minutes",
    "duration (minutes)": "minutes",
    "lama (menit)": "minutes",
    "catatan": "note",
    "note": "note",
    "notes": "note",
    # A Google Forms daily-presence export: whoever filled the form was there.
    "timestamp": "timestamp",
    "stempel waktu": "timestamp",
    "cap waktu": "timestamp",
}
# Columns a sheet carries for the people reading it; not worth a warning.
SHEET_KNOWN_UNUSED = {"no", "no.", "ndh", "nomor", "nama", "nama lengkap", "name", "nama peserta"}


def sheet_columns(keys: list[str]) -> dict[str, int] | None:
    columns = first_columns(keys, _CSV)
    if "status" not in columns and "keterangan" in columns:
        columns["status"] = columns.pop("keterangan")
    elif "keterangan" in columns:
        # Next to a Status column, Keterangan is the note.
        columns.setdefault("note", columns["keterangan"])
        del columns["keterangan"]
    if "nip" not in columns or ("status" not in columns and "timestamp" not in columns):
        return None
    return columns


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
