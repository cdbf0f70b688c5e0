"""Read an online-attendance report (Zoom, Google Meet) or a plain attendance sheet.

``read_report(path)`` returns a :class:`Report` and the row-level problems::

    report, problems = read_report(Path("zoom-sesi-1.csv"))
    report.format          # "zoom" | "meet" | "csv"
    report.visits          # zoom/meet: one Visit per row (a person may have several)
    report.marks           # csv: one Mark per valid row

Decoding and delimiter sniffing are those of :func:`read_table`; this module
then finds the header itself, because a Zoom report holds two tables (the
meeting block and the participants) and a Meet sheet may carry a preamble
with the meeting's date above its header.

Formats, detected from the content unless ``format=`` is given:

- Zoom: a participant header naming a name column and either join/leave
  times or a (total) duration, optionally after a meeting block
  ("Meeting ID,Topic,Start Time,...") or with the meeting columns repeated on
  every row. Times follow the Zoom account's US-style settings, so
  ``DD/MM/YYYY`` is never read (it would silently swap day and month).
- Meet: first/last name (or a full name), email, duration (or Workspace's
  "Time in Call"), time joined (or "First Seen"), time exited, in English or
  Indonesian. A time alone ("09:03", "09.03") is put on the date found in a
  "Date"/"Tanggal" column or a preamble line ("Tanggal rapat: 30 September
  2021"), else on ``day=`` (the session's date when the user named it); with
  none of them the file is refused, never read with the time dropped. A row
  whose duration is shorter than its joined-to-exited span ("First seen",
  "Last seen", "Duration") is a total, like Zoom's unique users.
- csv: a NIP column and a status column (hadir, terlambat, izin, sakit, alpa
  or their English words, or the letters H/T/I/S/A), optionally minutes and
  a note. Or a Google Forms presence list: a timestamp and a NIP, every
  answer a Mark stamped with when it was sent (see ``form_answers_for``).
  When no date tells day from month ("01/10/2021"), ``Report.form_readings``
  holds both readings for the caller to choose by the schedule.

Row problems (a garbled time, an unknown status) come back as
:class:`~revmental_cli.errors.Problem` with the file, the physical line and
the column as written; the row's Visit is still returned with that value
None so a caller can show it. Whole-file problems raise InputError.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

from revmental_cli.domain.person import (
    EXCEL_NIP_HINT,
    EXCEL_NIP_MESSAGE,
    MONTH_NUMBERS,
    FieldError,
    normalize_nip,
    parse_date_cell,
)
from revmental_cli.errors import InputError, Problem
from revmental_cli.i18n import N_, _
from revmental_cli.importers.tabular import read_table

__all__ = [
    "FORMATS",
    "STATUS_WORDS",
    "FormReadings",
    "Mark",
    "Report",
    "Visit",
    "parse_duration",
    "parse_form_timestamp",
    "parse_status",
    "parse_time",
    "parse_time_of_day",
    "read_report",
]

FORMATS = ("zoom", "meet", "csv")
STATUSES = ("present", "late", "excused", "sick", "absent")
# English msgids (here and below): translate them where they are shown, with ``_``.
_FORMAT_HINT = N_("give the format with --format zoom, --format meet or --format csv")


@dataclass(frozen=True)
class Visit:
    """One participant row of a Zoom or Meet report: one connection of one device."""

    line: int
    name: str
    original_name: str
    email: str
    join: datetime | None
    leave: datetime | None
    minutes: float | None
    guest: bool | None
    # Zoom's unique-users export, or a Meet row whose duration is shorter than its span:
    # ``minutes`` is the time connected in all, and join and leave are the first join and the
    # last leave, not one connection.
    total: bool = False


@dataclass(frozen=True)
class Mark:
    """One row of a plain attendance sheet: a NIP and the status recorded for it."""

    line: int
    nip: str
    status: str
    minutes: float | None
    note: str
    answered: datetime | None = None  # a presence form: when the answer was sent
    name: str = ""  # as written, to show a row that is not credited


@dataclass
class Report:
    """What a report says: the meeting (when it tells) and its rows."""

    format: str
    source: str
    header_line: int = 0
    meeting_id: str = ""
    meeting_start: datetime | None = None
    meeting_end: datetime | None = None
    topic: str = ""
    host_email: str = ""  # the meeting's "User Email": the account that ran it
    presence_form: bool = False  # a Google Forms presence list: listed means present
    # Zoom's "unique users" export: one row per person, join = first join, leave = last leave,
    # and the minutes actually connected in "Total Duration" (not leave - join).
    unique_users: bool = False
    visits: list[Visit] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    # A presence form whose dates read day-first and month-first alike: ``marks`` has the
    # reading the header suggests; the caller chooses by the schedule (see FormReadings).
    form_readings: FormReadings | None = None
    # A Zoom report's NN/NN/YYYY dates: "mdy" as Zoom writes them, "dmy" as an Indonesian
    # Excel re-saves them, None when no day over 12 shows which (read month-first then).
    date_order: str | None = None
    read_day_first: bool = False
    # Times with AM/PM are as Zoom wrote them (month-first): Excel re-saving in the Indonesian
    # locale writes 24-hour times.
    twelve_hour: bool = False


@dataclass(frozen=True)
class FormReadings:
    """The two readings of a presence form whose dates do not tell their order ("01/10/2021"
    is 1 October day-first, 10 January month-first), and the first answer they differ on."""

    line: int
    column: str
    value: str
    marks: dict[str, list[Mark]]  # "dmy" | "mdy" -> the answers read that way, the header's first


# -------------------------------------------------------------------- headers


def _key(header: str) -> str:
    """Fold a header for lookup: case, BOM, quotes and runs of spaces do not matter."""
    text = header.replace("\ufeff", "").strip().strip('"').casefold()
    return " ".join(text.replace("_", " ").split())


_ZOOM_MEETING = {
    "meeting id": "meeting_id",
    "id rapat": "meeting_id",
    "topic": "topic",
    "topik": "topic",
    "start time": "start",
    "waktu mulai": "start",
    "end time": "end",
    "waktu selesai": "end",
    "participants": "participants",
    "peserta": "participants",
    "user email": "host_email",
    "email pengguna": "host_email",
}
_ZOOM_PARTICIPANT = {
    "name (original name)": "name",
    "user name (original name)": "name",
    "name": "name",
    "nama (nama asli)": "name",
    "user email": "email",
    "email pengguna": "email",
    "email": "email",
    "join time": "join",
    "waktu bergabung": "join",
    "leave time": "leave",
    "waktu keluar": "leave",
    "duration (minutes)": "minutes",
    "duration (mins)": "minutes",
    "durasi (menit)": "minutes",
    "total duration (minutes)": "minutes",
    "total duration (mins)": "minutes",
    "total durasi (menit)": "minutes",
    "guest": "guest",
    "tamu": "guest",
    "in waiting room": "waiting",
    "di ruang tunggu": "waiting",
}
# Read by Zoom reports but carrying nothing attendance needs.
_ZOOM_KNOWN_UNUSED = {"recording consent", "recording disclaimer response"}

_MEET = {
    "first name": "first",
    "nama depan": "first",
    "last name": "last",
    "nama belakang": "last",
    "full name": "full",
    "name": "full",
    "nama": "full",
    "nama lengkap": "full",
    "participant": "full",
    "email": "email",
    "e-mail": "email",
    "email address": "email",
    "alamat email": "email",
    "duration": "minutes",
    "durasi": "minutes",
    # Google Workspace's attendance export: "Full Name, Email, First Seen, Time in Call".
    "time in call": "minutes",
    "waktu dalam panggilan": "minutes",
    "time joined": "join",
    "joined at": "join",
    "join time": "join",
    "first seen": "join",
    "waktu bergabung": "join",
    "bergabung pada": "join",
    "time exited": "leave",
    "left at": "leave",
    "leave time": "leave",
    "last seen": "leave",
    "waktu keluar": "leave",
    "keluar pada": "leave",
    "date": "date",
    "tanggal": "date",
    "meeting date": "date",
}

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
_CSV_KNOWN_UNUSED = {"no", "no.", "ndh", "nomor", "nama", "nama lengkap", "name", "nama peserta"}
# Where a presence form's answer says who sent it, to show an answer that is not credited.
_NAME_HEADERS = {"nama", "nama lengkap", "name", "nama peserta", "full name"}


def _zoom_columns(keys: list[str]) -> dict[str, int] | None:
    """Map Zoom fields to column indexes, or None when this is not a participant header."""
    columns: dict[str, int] = {}
    for index, key in enumerate(keys):
        name = _ZOOM_PARTICIPANT.get(key)
        if name is None:
            continue
        # With the meeting columns on every row, "User Email" and "Duration"
        # may appear twice: once for the host's meeting, then for the
        # participant. The participant's come after the name column.
        if name not in columns or "name" in columns:
            columns[name] = index
    if "name" not in columns:
        return None
    has_times = "join" in columns and "leave" in columns
    if not (has_times or "minutes" in columns):
        return None
    return columns


def _meet_columns(keys: list[str]) -> dict[str, int] | None:
    columns: dict[str, int] = {}
    for index, key in enumerate(keys):
        name = _MEET.get(key)
        if name is not None and name not in columns:
            columns[name] = index
    named = "first" in columns or "full" in columns
    timed = "minutes" in columns or ("join" in columns and "leave" in columns)
    # Meet sheets always carry an email column; requiring it keeps a roster
    # or a score sheet with a "Nama" column from passing as a Meet report.
    if not (named and timed and "email" in columns):
        return None
    return columns


def _csv_columns(keys: list[str]) -> dict[str, int] | None:
    columns: dict[str, int] = {}
    for index, key in enumerate(keys):
        name = _CSV.get(key)
        if name is not None and name not in columns:
            columns[name] = index
    if "status" not in columns and "keterangan" in columns:
        columns["status"] = columns.pop("keterangan")
    elif "keterangan" in columns:
        # Next to a Status column, Keterangan is the note.
        columns.setdefault("note", columns["keterangan"])
        del columns["keterangan"]
    if "nip" not in columns or ("status" not in columns and "timestamp" not in columns):
        return None
    return columns


def _is_zoom_meeting_header(keys: list[str]) -> bool:
    fields = {_ZOOM_MEETING.get(k) for k in keys}
    return {"meeting_id", "topic", "start"} <= fields


_DETECTORS: dict[str, Callable[[list[str]], dict[str, int] | None]] = {
    "zoom": _zoom_columns,
    "meet": _meet_columns,
    "csv": _csv_columns,
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


# ---------------------------------------------------------------------- times

_US_DATETIME = re.compile(
    r"^(\d{1,2})/(\d{1,2})/(\d{4})[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])\.?[Mm]\.?)?$"
)
_US_DATETIME_12H = re.compile(
    r"^\d{1,2}/\d{1,2}/\d{4}[ T]+\d{1,2}:\d{2}(?::\d{2})?\s*[AaPp]\.?[Mm]"
)
_ISO_DATETIME = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?"
    r"\s*(?:Z|[+-]\d{2}:?\d{2})?$"
)
_TIME_ONLY = re.compile(r"^(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?\s*(?:([AaPp])\.?[Mm]\.?)?$")
# Google Meet (Workspace) writes "Sep 30, 2021, 9:01 AM" or "Sep 30, 2021, 9:01:12 AM"; some
# locales put the day first ("30 Sep 2021, 09.01"). A month name is never ambiguous.
_CLOCK = r"(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?:[:.](?P<s>\d{2}))?\s*(?:(?P<ampm>[AaPp])\.?[Mm]\.?)?"
_NAMED_DATETIME = (
    re.compile(
        r"^(?P<mon>[^\W\d_]{3,9})\.?\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})\s*,?\s+(?:at\s+)?"
        + _CLOCK
        + "$"
    ),
    re.compile(
        r"^(?P<d>\d{1,2})\s+(?P<mon>[^\W\d_]{3,9})\.?\s+(?P<y>\d{4})\s*,?\s+(?:pukul\s+)?"
        + _CLOCK
        + "$"
    ),
)


def _hour(hour: int, meridiem: str | None) -> int:
    if meridiem is None:
        return hour
    if not 1 <= hour <= 12:
        raise ValueError(f"hour {hour} with AM/PM")
    return hour % 12 + (12 if meridiem.lower() == "p" else 0)


def parse_time(text: str, day_first: bool = False) -> datetime:
    """Return the date and time in a Zoom or Meet cell; ValueError if it is not one.

    Accepted: ``MM/DD/YYYY hh:mm[:ss] AM/PM``, ``MM/DD/YYYY HH:MM[:SS]``,
    ``YYYY-MM-DD HH:MM[:SS]``, ISO with ``T``, and a month by name as Google
    Meet writes it (``Sep 30, 2021, 9:01 AM``, ``30 Sep 2021 09.01``). A UTC
    offset is dropped: the schedule is in local wall-clock time and reports
    are exported in it. ``day_first``: the report was saved by an Indonesian-locale
    Excel, which rewrites Zoom's dates as ``DD/MM/YYYY``.
    """
    value = text.strip()
    if match := _US_DATETIME.fullmatch(value):
        month, day, year, hour, minute, second, meridiem = match.groups()
        if day_first:
            month, day = day, month
        return datetime(
            int(year),
            int(month),
            int(day),
            _hour(int(hour), meridiem),
            int(minute),
            int(second) if second else 0,
        )
    if match := _ISO_DATETIME.fullmatch(value):
        year, month, day, hour, minute, second = match.groups()
        return datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second) if second else 0
        )
    for pattern in _NAMED_DATETIME:
        if match := pattern.fullmatch(value):
            month_number = MONTH_NUMBERS.get(match["mon"].casefold())
            if month_number is None:
                break
            return datetime(
                int(match["y"]),
                month_number,
                int(match["d"]),
                _hour(int(match["h"]), match["ampm"]),
                int(match["mi"]),
                int(match["s"] or 0),
            )
    raise ValueError(f"not a date and time: {text!r}")


# A Google Forms timestamp as the responses sheet shows it: the sheet's locale decides
# between "29/09/2021 8:55:12" (Indonesia) and "9/29/2021 8:55:12" (United States). The
# form's own CSV download writes "2021/09/29 8:55:12 AM GMT+7".
_FORM_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:[ T,]+(?P<clock>.+))?$")
_FORM_YEAR_FIRST = re.compile(r"^(\d{4})[/\-](\d{1,2})[/\-](\d{1,2})(?:[ T,]+(?P<clock>.+))?$")
_FORM_CLOCK = re.compile(
    _CLOCK + r"(?:[.,]\d+)?\s*(?:(?:GMT|UTC|WIB|WITA|WIT)\s*)?(?:[+-]\d{1,2}(?::?\d{2})?|Z)?$",
    re.IGNORECASE,
)


def form_date_order(texts: list[str]) -> str | None:
    """Return "dmy" or "mdy" when some timestamp shows which comes first, else None.

    "29/09/2021" can only be day-first and "9/29/2021" only month-first; when
    both kinds appear, the more frequent wins and the others fail to parse.
    """
    day_first = month_first = 0
    for text in texts:
        match = _FORM_NUMERIC.match(text.strip())
        if match:
            day_first += int(match[1]) > 12
            month_first += int(match[2]) > 12
    if not (day_first or month_first):
        return None
    return "dmy" if day_first >= month_first else "mdy"


def parse_form_timestamp(text: str, order: str = "dmy") -> datetime:
    """Return the moment of a presence-form answer; ``order`` reads ``NN/NN/YYYY`` dates.

    ValueError when it is not a date (with or without a time).
    """
    value = text.strip()
    if match := _FORM_YEAR_FIRST.match(value):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    elif match := _FORM_NUMERIC.match(value):
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        day, month = (first, second) if order == "dmy" else (second, first)
    else:
        return parse_time(value)
    clock = match["clock"]
    hour = minute = second_ = 0
    if clock:
        found = _FORM_CLOCK.match(clock.strip())
        if not found:
            raise ValueError(f"not a time: {clock!r}")
        hour, minute = _hour(int(found["h"]), found["ampm"]), int(found["mi"])
        second_ = int(found["s"] or 0)
    return datetime(year, month, day, hour, minute, second_)


def parse_time_of_day(text: str) -> time:
    """Return a time written alone (``09:03``, ``9:03:10 AM``); ValueError otherwise."""
    match = _TIME_ONLY.fullmatch(text.strip())
    if not match:
        raise ValueError(f"not a time: {text!r}")
    hour = _hour(int(match[1]), match[4])
    return time(hour, int(match[2]), int(match[3] or 0))


_DURATION_PART = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(hours?|hrs?|h|jam|minutes?|mins?|m|menit|mnt|seconds?|secs?|s|detik|dtk)\b"
)
# Compiled once: a report calls parse_duration on every row.
_PLAIN_MINUTES = re.compile(r"\d+(?:[.,]\d+)?")
_CLOCK_DURATION = re.compile(r"(\d+):(\d{2})(?::(\d{2}))?")
_UNIT_MINUTES = {"h": 60.0, "j": 60.0, "m": 1.0, "s": 1 / 60, "d": 1 / 60}


def parse_duration(text: str) -> float:
    """Return minutes from ``175``, ``175,5``, ``2:55:00``, ``2 hr 55 min``, ``2 jam 5 menit``."""
    value = text.strip().casefold()
    if _PLAIN_MINUTES.fullmatch(value):
        return float(value.replace(",", "."))
    if match := _CLOCK_DURATION.fullmatch(value):
        hours, minutes, seconds = int(match[1]), int(match[2]), int(match[3] or 0)
        return hours * 60 + minutes + seconds / 60
    parts = _DURATION_PART.findall(value)
    leftover = _DURATION_PART.sub("", value).strip(" ,")
    if not parts or leftover:
        raise ValueError(f"not a duration: {text!r}")
    return sum(float(n.replace(",", ".")) * _UNIT_MINUTES[unit[0]] for n, unit in parts)


# ------------------------------------------------------------------- statuses

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


# -------------------------------------------------------------------- reading

_Record = tuple[int, list[str]]
_YES = {"yes", "ya", "y", "true", "1"}
_NO = {"no", "tidak", "n", "false", "0"}


def _trimmed(cells: list[str]) -> list[str]:
    cells = [cell.strip() for cell in cells]
    # Some exports end every line with a comma: an empty last cell, not a column.
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _records(
    path: Path, delimiter: str | None, encoding: str | None
) -> tuple[str, list[_Record], set[tuple[int, int]]]:
    """Return the file's name, its non-blank rows, and the (line, column) of number cells.

    Number cells only come from .xlsx: a NIP in one has been through Excel's
    15-digit float, whatever it shows now.
    """
    # Nothing looks like a header to read_table, so it returns the first
    # non-blank row as the header and every later row as data: this module
    # needs all of them to find the meeting block and the real header.
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


def _find_header(
    records: list[_Record], formats: tuple[str, ...]
) -> tuple[str, int, dict[str, int]] | None:
    """Return (format, index of the header record, columns) for the first header found."""
    for index, (_line, cells) in enumerate(records[:_HEADER_LOOKAHEAD]):
        keys = [_key(cell) for cell in cells]
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
) -> tuple[Report, list[Problem]]:
    """Read an attendance report; return it and its row problems (InputError for the file).

    ``day``: the date of the session the user named, for times written alone
    in a report that does not say its date. ``day_first``: read a Zoom report's
    NN/NN/YYYY dates day-first (True) or month-first (False); None: as the dates show.
    """
    path = Path(path)
    if format is not None and format not in FORMATS:
        raise InputError(
            _("unknown attendance format {format}").format(format=repr(format)),
            hint=_("use zoom, meet or csv"),
        )
    # .xlsx too: a presence sheet typed in Excel, or a Zoom report someone saved as a workbook
    # (date cells come back as ISO times, which parse_time reads).
    source, records, numbers = _records(path, delimiter, encoding)
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
        problems = _read_zoom(report, records, index, columns, day, day_first)
    elif kind == "meet":
        problems = _read_meet(report, records, index, columns, day)
    else:
        problems = _read_csv(report, records, index, columns, numbers)
    return report, problems


@dataclass
class _RowProblems:
    """Collect one row's problems, naming the column as the file writes it."""

    source: str
    line: int
    names: dict[str, str]
    found: list[Problem] = field(default_factory=list)

    def __call__(self, name: str, message: str, hint: str | None = None) -> None:
        self.found.append(Problem(message, self.source, self.line, self.names[name], hint))


def _cell(cells: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    if index is None or index >= len(cells):
        return ""
    return cells[index]


def _ignored(headers: list[str], columns: dict[str, int], known: set[str]) -> list[str]:
    used = set(columns.values())
    return [
        header
        for index, header in enumerate(headers)
        if header and index not in used and _key(header) not in known
    ]


def _guest(text: str) -> bool | None:
    key = text.strip().casefold()
    if key in _YES:
        return True
    if key in _NO:
        return False
    return None


_ORIGINAL = re.compile(r"^(?P<name>.*\S)\s*\((?P<original>[^()]*)\)$")


def _split_original(name: str) -> str:
    match = _ORIGINAL.match(name)
    return match["original"].strip() if match else ""


def _read_zoom(
    report: Report,
    records: list[_Record],
    index: int,
    columns: dict[str, int],
    day: date | None = None,
    day_first: bool | None = None,
) -> list[Problem]:
    problems: list[Problem] = []
    headers = records[index][1]
    # The meeting block sits above the participant header; with no block, the
    # meeting columns (those before the name column) are repeated on every row.
    block = next(
        (i for i in range(index) if _is_zoom_meeting_header([_key(c) for c in records[i][1]])),
        None,
    )
    # A report re-saved by an Indonesian-locale Excel has day-first dates: a day over 12
    # anywhere in its times tells (29/09/2021), and then every date of the file is read so.
    texts = [cell for _line, cells in records[(block or index) + 1 :] for cell in cells]
    report.date_order = form_date_order(texts)
    report.twelve_hour = any(_US_DATETIME_12H.search(text) for text in texts)
    if day_first is None:
        day_first = report.date_order == "dmy"
    report.read_day_first = day_first
    if block is not None:
        block_headers = records[block][1]
        meeting = _meeting_columns(block_headers, len(block_headers))
        if block + 1 < index:
            line, values = records[block + 1]
            _read_meeting(report, values, meeting, block_headers, line, day_first)
        inline: dict[str, int] = {}
    else:
        inline = _meeting_columns(headers, columns["name"])
        if inline and index + 1 < len(records):
            line, values = records[index + 1]
            _read_meeting(report, values, inline, headers, line, day_first)
    used = set(columns.values()) | set(inline.values())
    report.unique_users = "minutes" in columns and _key(headers[columns["minutes"]]).startswith(
        ("total duration", "total durasi")
    )
    report.ignored_columns = [
        header
        for i, header in enumerate(headers)
        if header
        and i not in used
        and _key(header) not in _ZOOM_KNOWN_UNUSED
        # The host's "User Email"/"Duration" repeated before the name column.
        and not (inline and i < columns["name"])
    ]
    names = {name: headers[i] for name, i in columns.items()}
    day_range = _day_range(report)
    if report.meeting_start is not None:
        day = report.meeting_start.date()
    # A report's times repeat (everyone joins at the start); each is parsed once.
    times: dict[str, datetime] = {}
    for line, cells in records[index + 1 :]:
        # Time spent in the waiting room is not time in the session.
        if "waiting" in columns and _guest(_cell(cells, columns, "waiting")) is True:
            continue
        problem = _RowProblems(report.source, line, names)

        name = _cell(cells, columns, "name")
        email = _cell(cells, columns, "email").casefold()
        if not name and not email:
            problem("name", _("no name and no email: cannot tell who this row is"))
        join = _time_cell(cells, columns, "join", problem, day, cache=times, day_first=day_first)
        leave = _time_cell(cells, columns, "leave", problem, day, cache=times, day_first=day_first)
        if join is not None and leave is not None and leave < join:
            problem(
                "leave",
                _("leaves ({leave}) before joining ({join})").format(
                    leave=f"{leave:%H:%M:%S}", join=f"{join:%H:%M:%S}"
                ),
            )
        if day_range is not None:
            _check_day(report, day_range, join, "join", problem)
            _check_day(report, day_range, leave, "leave", problem)
        minutes = _minutes_cell(cells, columns, "minutes", problem)
        problems.extend(problem.found)
        report.visits.append(
            Visit(
                line=line,
                name=name,
                original_name=_split_original(name),
                email=email,
                join=join,
                leave=leave,
                minutes=minutes,
                guest=_guest(_cell(cells, columns, "guest")),
                total=report.unique_users,
            )
        )
    return problems


def _day_range(report: Report) -> tuple[datetime, datetime] | None:
    """The times a row may have: the meeting's days, give or take one (None: unknown)."""
    start = report.meeting_start
    if start is None:
        return None
    return start - timedelta(days=1), (report.meeting_end or start) + timedelta(days=1)


def _check_day(
    report: Report,
    day_range: tuple[datetime, datetime],
    moment: datetime | None,
    name: str,
    problem: Callable[..., None],
) -> None:
    # A day-first date with a day up to 12 ("05/10/2021") parses as another
    # month; the meeting block's date is the only way to notice.
    start = report.meeting_start
    if moment is None or start is None:
        return
    if not day_range[0] <= moment <= day_range[1]:
        problem(
            name,
            _("{day} is not the meeting's date ({date})").format(
                day=f"{moment:%Y-%m-%d}", date=f"{start:%Y-%m-%d}"
            ),
            _("the time may be day-first; Zoom writes MM/DD/YYYY"),
        )


def _meeting_columns(headers: list[str], before: int) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, header in enumerate(headers[:before]):
        name = _ZOOM_MEETING.get(_key(header))
        if name is not None and name not in columns:
            columns[name] = index
    return columns


def _read_meeting(
    report: Report,
    values: list[str],
    columns: dict[str, int],
    headers: list[str],
    line: int,
    day_first: bool = False,
) -> None:
    report.meeting_id = _cell(values, columns, "meeting_id")
    report.topic = _cell(values, columns, "topic")
    report.host_email = _cell(values, columns, "host_email").strip().lower()
    for name in ("start", "end"):
        text = _cell(values, columns, name)
        if not text:
            continue
        try:
            moment = parse_time(text, day_first)
        except ValueError:
            header = headers[columns[name]]
            raise InputError(
                _(
                    "{file}: line {line}: {column}: the meeting's time {value} is not "
                    "a date and time"
                ).format(file=report.source, line=line, column=header, value=repr(text)),
                hint=_(
                    "Zoom writes MM/DD/YYYY hh:mm:ss AM/PM or YYYY-MM-DD HH:MM:SS; "
                    "export the report again without editing it"
                ),
            ) from None
        if name == "start":
            report.meeting_start = moment
        else:
            report.meeting_end = moment


_TIME_HINT = N_("write it as MM/DD/YYYY hh:mm:ss AM/PM or YYYY-MM-DD HH:MM:SS, as Zoom exports it")
_MEET_TIME_HINT = N_(
    "write it as YYYY-MM-DD HH:MM:SS or as Google Meet exports it (Sep 30, 2021, 9:01 AM), "
    "or export the report again without editing it"
)


def _time_cell(
    cells: list[str],
    columns: dict[str, int],
    name: str,
    problem: _RowProblems,
    day: date | None = None,
    cache: dict[str, datetime] | None = None,
    hint: str = _TIME_HINT,
    day_first: bool = False,
) -> datetime | None:
    text = _cell(cells, columns, name)
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
    if day is not None or _TIME_ONLY.fullmatch(text.strip()):
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


def _minutes_cell(
    cells: list[str], columns: dict[str, int], name: str, problem: _RowProblems
) -> float | None:
    text = _cell(cells, columns, name)
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


# "Meeting date: 2021-09-30", "Tanggal rapat: 30 September 2021", "Tanggal pertemuan: ...",
# "Created on 2021-09-30 11:20".
_DATE_LINE = re.compile(
    r"\b(?:date|tanggal|created on|dibuat pada|dibuat)"
    r"(?:\s+(?:rapat|pertemuan|kegiatan|acara|sesi|meeting|of (?:the )?meeting))?"
    r"\b\s*[:=,]?\s*(?P<date>.+)$",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(
    r"^(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun)\.?,?\s+",
    re.IGNORECASE,
)


def _preamble_date(records: list[_Record]) -> date | None:
    for _line, cells in records:
        text = " ".join(cell for cell in cells if cell)
        match = _DATE_LINE.search(text)
        if not match:
            continue
        candidate = _WEEKDAY.sub("", match["date"].strip())
        # "Created on 2021-09-30 11:20": the date is the first word; "30 September 2021
        # 09:00": the first three.
        words = candidate.split(" ")
        for attempt in (candidate, words[0], " ".join(words[:3])):
            try:
                return parse_date_cell(attempt)
            except FieldError:
                continue
        try:
            return parse_time(candidate).date()  # "Sep 30, 2021, 9:00 AM"
        except ValueError:
            continue
    return None


def _read_meet(
    report: Report,
    records: list[_Record],
    index: int,
    columns: dict[str, int],
    session_day: date | None = None,
) -> list[Problem]:
    problems: list[Problem] = []
    headers = records[index][1]
    report.ignored_columns = _ignored(headers, columns, set())
    names = {name: headers[i] for name, i in columns.items()}
    # The report's own date first: a different --session is then caught as another day.
    day = _preamble_date(records[:index]) or session_day
    for line, cells in records[index + 1 :]:
        problem = _RowProblems(report.source, line, names)

        if "full" in columns:
            name = _cell(cells, columns, "full")
        else:
            name = " ".join(
                part
                for part in (_cell(cells, columns, "first"), _cell(cells, columns, "last"))
                if part
            )
        email = _cell(cells, columns, "email").casefold()
        if not name and not email:
            problem("first" if "first" in columns else "full", _("no name and no email"))
        row_day = day
        if text := _cell(cells, columns, "date"):
            try:
                row_day = parse_date_cell(text)
            except FieldError as exc:
                problem("date", exc.message, exc.hint)
        join = _time_cell(cells, columns, "join", problem, row_day, hint=_MEET_TIME_HINT)
        leave = _time_cell(cells, columns, "leave", problem, row_day, hint=_MEET_TIME_HINT)
        if join is not None and leave is not None and leave < join:
            problem(
                "leave",
                _("exits ({leave}) before joining ({join})").format(
                    leave=f"{leave:%H:%M:%S}", join=f"{join:%H:%M:%S}"
                ),
            )
        minutes = _minutes_cell(cells, columns, "minutes", problem)
        problems.extend(problem.found)
        report.visits.append(
            Visit(
                line, name, "", email, join, leave, minutes, None, _is_total(join, leave, minutes)
            )
        )
    return problems


def _is_total(join: datetime | None, leave: datetime | None, minutes: float | None) -> bool:
    """Whether a Meet row is a person's first join, last leave and time in the call (Workspace's
    "First seen"/"Last seen"/"Duration") rather than one connection: its duration is shorter than
    its span, so the person was not there all along. A minute of slack: both are rounded."""
    if join is None or leave is None or minutes is None:
        return False
    return minutes + 1 < (leave - join).total_seconds() / 60


def _read_csv(
    report: Report,
    records: list[_Record],
    index: int,
    columns: dict[str, int],
    numbers: set[tuple[int, int]],
) -> list[Problem]:
    problems: list[Problem] = []
    headers = records[index][1]
    report.ignored_columns = _ignored(headers, columns, _CSV_KNOWN_UNUSED)
    names = {name: headers[i] for name, i in columns.items()}
    report.presence_form = "status" not in columns
    rows = records[index + 1 :]
    named = [i for i, header in enumerate(headers) if _key(header) in _NAME_HEADERS]
    name_column = {"name": named[0]} if named else {}
    order = "dmy"
    told = True
    if report.presence_form:
        # One reading for the whole column: a sheet is in one locale.
        stamps = [_cell(cells, columns, "timestamp") for _line, cells in rows]
        told_order = form_date_order(stamps)
        told = told_order is not None
        # The header's language is only a guess at the sheet's locale (an Indonesian sheet
        # keeps Google's English "Timestamp"): the caller may choose by the schedule.
        order = told_order or (
            "mdy" if _key(headers[columns["timestamp"]]) == "timestamp" else "dmy"
        )
    for line, cells in rows:
        problem = _RowProblems(report.source, line, names, problems)
        raw_nip = _cell(cells, columns, "nip")
        if (line, columns["nip"]) in numbers:
            # Shown with 18 digits or not, a number cell kept only 15 of them.
            nip = raw_nip.strip()
            problem("nip", _(EXCEL_NIP_MESSAGE), _(EXCEL_NIP_HINT))
        else:
            try:
                nip = normalize_nip(raw_nip, pppk=True)
            except FieldError as exc:
                nip = raw_nip.strip()
                problem("nip", exc.message, exc.hint)
        if report.presence_form:
            # Every answer is kept with its time: which ones count depends on the session's
            # date (form_answers_for), and a second answer may be the one on the right day.
            answered = _form_time(_cell(cells, columns, "timestamp"), order, problem)
            name = _cell(cells, name_column, "name")
            report.marks.append(Mark(line, nip, "present", None, "", answered, name))
            continue
        status_text = _cell(cells, columns, "status")
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
        minutes = _minutes_cell(cells, columns, "minutes", problem)
        report.marks.append(Mark(line, nip, status, minutes, _cell(cells, columns, "note")))
    if report.presence_form and not told:
        texts = {line: _cell(cells, columns, "timestamp") for line, cells in rows}
        report.form_readings = _both_readings(
            report.marks, texts, headers[columns["timestamp"]], order
        )
    return problems


def _both_readings(
    marks: list[Mark], texts: dict[int, str], column: str, order: str
) -> FormReadings | None:
    """Both readings of a form whose dates read either way, or None when they agree."""
    other = "mdy" if order == "dmy" else "dmy"
    others: list[Mark] = []
    first: Mark | None = None
    for mark in marks:
        answered: datetime | None
        try:
            answered = parse_form_timestamp(texts[mark.line], other)
        except ValueError:  # unreadable either way: already a problem of the row
            answered = mark.answered
        if first is None and answered != mark.answered:
            first = mark
        others.append(replace(mark, answered=answered))
    if first is None:  # "10/10/2021", or no date at all: nothing to choose
        return None
    return FormReadings(first.line, column, texts[first.line], {order: marks, other: others})


_FORM_TIME_HINT = N_(
    "write it as the form's sheet does, such as 29/09/2021 8:55:12, or export the responses again"
)


def _form_time(text: str, order: str, problem: _RowProblems) -> datetime | None:
    if not text.strip():
        problem("timestamp", _("timestamp is empty"), _(_FORM_TIME_HINT))
        return None
    try:
        return parse_form_timestamp(text, order)
    except ValueError:
        problem(
            "timestamp",
            _("not a date and time: {value}").format(value=repr(text)),
            _(_FORM_TIME_HINT),
        )
        return None
