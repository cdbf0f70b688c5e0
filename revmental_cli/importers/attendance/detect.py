"""Which kind of attendance report a file is, and ``read_report``, the entry point.

Owns: the formats (zoom, meet, csv), the search for a header row among the first lines (a
plain sheet first, then Zoom, then Meet), the file-level refusals, and the hand-over to the
format's reader. Never touches the store, the console or the clock (``today`` and ``day``
come from the caller).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from revmental_cli.errors import InputError, Problem
from revmental_cli.i18n import N_, _
from revmental_cli.importers.attendance.forms import read_form
from revmental_cli.importers.attendance.meet import meet_columns, read_meet
from revmental_cli.importers.attendance.report import Report
from revmental_cli.importers.attendance.rows import Record, read_records
from revmental_cli.importers.attendance.sheet import read_sheet, sheet_columns
from revmental_cli.importers.attendance.zoom import read_zoom, zoom_columns
from revmental_cli.importers.headers import spaced_key

__all__ = ["FORMATS", "read_report"]

FORMATS = ("zoom", "meet", "csv")
# English msgids (here and below): translate them where they are shown, with ``_``.
_FORMAT_HINT = N_("give the format with --format zoom, --format meet or --format csv")


_DETECTORS: dict[str, Callable[[list[str]], dict[str, int] | None]] = {
    "zoom": zoom_columns,
    "meet": meet_columns,
    "csv": sheet_columns,
}
_HEADER_LOOKAHEAD = 12
_WHAT = {
    "zoom": N_("{file}: does not look like a Zoom participant report: no header row with the "
               "expected columns in the first lines"),
    "meet": N_("{file}: does not look like a Google Meet attendance report: no header row with "
               "the expected columns in the first lines"),
    "csv": N_("{file}: does not look like an attendance sheet with a NIP and a status column: "
              "no header row with the expected columns in the first lines"),
}  # fmt: skip


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
) -> tuple[Report, list[Problem]]:
    """Read an attendance report; return it and its row problems (InputError for the file).

    ``day``: the date of the session the user named, for times written alone
    in a report that does not say its date. ``day_first``: read a Zoom report's
    NN/NN/YYYY dates day-first (True) or month-first (False); None: as the dates show.
    ``today``: the date no birth date in a sheet's NIPs may pass (None: the clock's, read by
    ``domain.person.normalize_nip``).
    """
    path = Path(path)
    if format is not None and format not in FORMATS:
        raise InputError(
            _("unknown attendance format {format}").format(format=repr(format)),
            hint=_("use zoom, meet or csv"),
        )
    # .xlsx too: a presence sheet typed in Excel, or a Zoom report someone saved as a workbook
    # (date cells come back as ISO times, which parse_time reads).
    source, records, numbers = read_records(path, delimiter, encoding)
    # A plain sheet first: only it has a NIP column, while its "Nama" and
    # "Durasi" columns could otherwise pass for a Meet report.
    found = _find_header(records, (format,) if format else ("csv", "zoom", "meet"))
    if found is None:
        if format:
            raise InputError(
                _(_WHAT[format]).format(file=source),
                hint=_("check --format, or export the report again without editing it"),
            )
        raise InputError(
            _(
                "{file}: not a Zoom or Google Meet report, nor a sheet with NIP and status columns"
            ).format(file=source),
            hint=_(_FORMAT_HINT),
        )
    kind, index, columns = found
    report = Report(kind, source, header_line=records[index][0])
    if kind == "zoom":
        problems = read_zoom(report, records, index, columns, day, day_first)
    elif kind == "meet":
        problems = read_meet(report, records, index, columns, day)
    elif "status" in columns:
        problems = read_sheet(report, records, index, columns, numbers, today)
    else:  # a NIP and a timestamp: a presence form
        problems = read_form(report, records, index, columns, numbers, today)
    return report, problems
