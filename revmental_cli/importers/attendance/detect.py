"""Which kind of attendance report a file is, and ``read_report``, the entry point.

Owns: the formats (zoom, meet, csv, teams, moodle), the detection (a Teams report of 2021+,
an old Teams list, a Moodle export, then the search for a header row among the first lines: a
plain sheet first, then Zoom, then Meet), the hand-over to the format's reader, and the
refusal of a file no reader fits (see refusal.py). Never touches the store, the console or
the clock (``today`` and ``day`` come from the caller).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from revmental_cli.errors import InputError, Problem, RevmentalError
from revmental_cli.i18n import _
from revmental_cli.importers.attendance.refusal import FORMATS, refusal
from revmental_cli.importers.attendance.report import Report
from revmental_cli.importers.attendance.rows import Record, read_records
from revmental_cli.importers.attendance.sniff import (
    is_moodle,
    is_teams_v1,
    is_teams_v2,
    meet_columns,
    sheet_columns,
)
from revmental_cli.importers.attendance.text import decode_text, split_records
from revmental_cli.importers.attendance.zoom import read_zoom, zoom_columns
from revmental_cli.importers.headers import spaced_key

# The readers of Meet, sheets, Teams and Moodle are imported where their format is chosen:
# a Zoom report, the common case, then loads none of them (start-up of every import).

__all__ = ["FORMATS", "read_report"]


_DETECTORS: dict[str, Callable[[list[str]], dict[str, int] | None]] = {
    "zoom": zoom_columns,
    "meet": meet_columns,
    "csv": sheet_columns,
}
_HEADER_LOOKAHEAD = 12
_SNIFF_LINES = 60


def _find_header(
    records: list[Record], formats: tuple[str, ...]
) -> tuple[str, int, dict[str, int]] | None:
    """Return (format, index of the header record, columns) for the first header found."""
    for index, (_line, cells) in enumerate(records[:_HEADER_LOOKAHEAD]):
        keys = [spaced_key(cell) for cell in cells]
        for name in formats:
            columns = _DETECTORS[name](keys)
            if columns is not None:
                return name, index, columns
    return None


def read_report(
    path: Path,
    *,
    format: str | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
    day: date | None = None,
    day_first: bool | None = None,
    today: date | None = None,
    again: str = "",
    suggest: bool = True,
) -> tuple[Report, list[Problem]]:
    """Read an attendance report; return it and its row problems (InputError for the file).

    ``day``: the date of the session the user named, for times written alone
    in a report that does not say its date (and for a Teams list whose dates read either
    way). ``day_first``: read a Zoom report's NN/NN/YYYY dates day-first (True) or
    month-first (False); None: as the dates show. ``today``: the date no birth date in a
    sheet's NIPs may pass (None: the clock's, read by ``domain.person.normalize_nip``).
    ``again``: the options to repeat in a refusal's suggested command (``--session 2``);
    ``suggest``: whether a refusal tries the other formats to suggest one.

    A Moodle export holds several sessions: its Report has ``format`` "moodle" and the
    export in ``moodle``, for the caller to place each column in its session.
    """
    path = Path(path)
    if format is not None and format not in FORMATS:
        raise InputError(
            _("unknown attendance format {format}").format(format=repr(format)),
            hint=_("use {formats}").format(formats=", ".join(FORMATS)),
        )
    # .xlsx too: a presence sheet typed in Excel, or a Zoom report someone saved as a workbook
    # (date cells come back as ISO times, which parse_time reads).
    source, records, numbers = read_records(path, delimiter, encoding)
    # Teams and Moodle first: a Teams activities table (Name, Join Time, Leave Time) would
    # otherwise pass for a Zoom report, and a Moodle export's ID number for a sheet's NIP.
    if format in (None, "teams", "moodle"):
        read = _read_teams_or_moodle(path, source, records, numbers, format, delimiter, day)
        if read is not None:
            return read
    found = None
    if format not in ("teams", "moodle"):
        # A plain sheet first: only it has a NIP column, while its "Nama" and
        # "Durasi" columns could otherwise pass for a Meet report.
        found = _find_header(records, (format,) if format else ("csv", "zoom", "meet"))
    if found is None:
        fits = _fits(path, format, day, again) if suggest else None
        raise refusal(path, source, records, format, fits, again)
    kind, index, columns = found
    report = Report(kind, source, header_line=records[index][0])
    if kind == "zoom":
        problems = read_zoom(report, records, index, columns, day, day_first)
    elif kind == "meet":
        from revmental_cli.importers.attendance.meet import read_meet

        problems = read_meet(report, records, index, columns, day)
    else:  # a status sheet, or a presence form (a NIP and a timestamp)
        from revmental_cli.importers.attendance.sheet import read_sheet

        problems = read_sheet(report, records, index, columns, numbers, today)
    return report, problems


def _text_records(
    path: Path, records: list[Record], delimiter: str | None
) -> tuple[list[Record], bool]:
    """The file's records as the Teams and Moodle readers split them, and whether they are
    complete (a text file is split again by text.py: its sections differ in width)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return records, True
    try:
        text = decode_text(path.read_bytes(), path.name)
        head = "\n".join(text.splitlines()[:_SNIFF_LINES])
        return split_records(head, path.name, delimiter), False
    except (OSError, InputError):
        return [], True


def _read_teams_or_moodle(
    path: Path,
    source: str,
    records: list[Record],
    numbers: set[tuple[int, int]],
    format: str | None,
    delimiter: str | None,
    day: date | None,
) -> tuple[Report, list[Problem]] | None:
    head, complete = _text_records(path, records, delimiter)
    kind = None
    if format in (None, "teams") and (is_teams_v2(head) or is_teams_v1(head)):
        kind = "teams"
    elif format in (None, "moodle") and is_moodle(head):
        kind = "moodle"
    if kind is None:
        return None
    if not complete:
        head = split_records(decode_text(path.read_bytes(), path.name), path.name, delimiter)
    if kind == "teams":
        from revmental_cli.importers.attendance.teams import teams_from_records

        teams, problems = teams_from_records(head, source, day=day)
        return teams, problems
    from revmental_cli.importers.attendance.moodle import parse_moodle_records

    export, problems = parse_moodle_records(head, source, numbers=numbers)
    report = Report("moodle", source, header_line=export.header_line, moodle=export)
    report.ignored_columns = list(export.ignored_columns)
    report.notes = list(export.notes)
    return report, problems


def _fits(path: Path, tried: str | None, day: date | None, again: str) -> str | None:
    """The format that reads this file without a problem, other than ``tried``; None if none.
    A refusal suggests only a command that works."""
    if tried is None:
        return None  # detection tried every format already
    for other in FORMATS:
        if other == tried:
            continue
        try:
            _report, problems = read_report(path, format=other, day=day, suggest=False)
        except (RevmentalError, ValueError):
            continue
        if not problems:
            return other
    return None
