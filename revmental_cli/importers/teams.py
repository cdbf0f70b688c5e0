"""Read a Microsoft Teams attendance list into the attendance :class:`Report` Zoom's gives.

Owns the two Teams layouts and the text helpers the Moodle reader shares (decoding, records,
timestamps with a date order). Never touches the store, the CLI or the Zoom/Meet readers in
``importers.attendance``: it only builds that module's ``Report`` and ``Visit``.

- Old list (until 2021): ``Full Name``, ``User Action`` (Joined, Left, Joined before),
  ``Timestamp``; UTF-16 with tabs as Teams writes it, or re-saved as CSV. Each join up to
  the matching leave is one Visit. Whoever has no leave after their last join was still in
  the meeting when the list was downloaded: they count until the list's last time (a note
  says so).
- New report (2021+): sections ``1. Summary`` (label, value rows), ``2. Participants``
  (First Join, Last Leave, In-Meeting Duration, Email, Role) and ``3. In-Meeting
  Activities`` (one row per join: Join Time, Leave Time, Duration, Email, Role). The
  activities are read when present, else each participant's first join to last leave with
  the in-meeting duration (a total, like Zoom's unique users). Roles are kept on
  :class:`TeamsVisit`; the organizer's e-mail is the report's ``host_email``.

Dates such as ``11/12/2020`` are read day-first or month-first: the order in which every
timestamp is a date and the list spans at most two days; when both fit, the one that falls on
the session's date (``day=``); with none given, InputError asking for ``--session N``.
Row problems come back as :class:`~revmental_cli.errors.Problem` (file, line, column), as
``read_report`` returns them; whole-file problems raise InputError.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from revmental_cli.errors import InputError, Problem
from revmental_cli.i18n import N_, _
from revmental_cli.importers.attendance import Report, Visit, parse_duration, parse_time
from revmental_cli.importers.tabular import utf16_without_bom

__all__ = [
    "FORMAT",
    "Record",
    "TeamsReport",
    "TeamsVisit",
    "decode_text",
    "is_organizer",
    "key",
    "looks_like_teams",
    "looks_like_teams_v1",
    "looks_like_teams_v2",
    "parse_teams",
    "parse_teams_v1",
    "parse_teams_v2",
    "read_teams",
    "split_records",
]

FORMAT = "teams"
Record = tuple[int, list[str]]  # (physical line, cells stripped)
_SNIFF_LINES = 60
_LOOKAHEAD = 12
_HINT = N_("export the attendance list from Teams again, without editing it")


@dataclass(frozen=True)
class TeamsVisit(Visit):
    """A Visit with the participant's Teams role: organizer, presenter, attendee ("": unknown,
    as in the old list)."""

    role: str = ""


@dataclass
class TeamsReport(Report):
    """A Report with what the CLI should tell the user (``notes``) and the Teams layout."""

    layout: str = ""  # "v1" (the old Joined/Left list) | "v2" (the 2021+ report)
    notes: list[str] = field(default_factory=list)
    organizers: list[str] = field(default_factory=list)  # names, as written


def is_organizer(visit: Visit) -> bool:
    """The account that ran the meeting: no participant (like Zoom's host)."""
    return getattr(visit, "role", "") == "organizer"


# ----------------------------------------------------------------- text


def decode_text(data: bytes, source: str) -> str:
    """Decode a report's bytes: a BOM, else UTF-16 by its NULs, else UTF-8, else cp1252."""
    if data.startswith(b"PK\x03\x04"):
        raise InputError(
            _("{file}: this is a zip file (perhaps an .xlsx workbook with a .csv name)").format(
                file=source
            ),
            hint=_(
                "rename it to .xlsx if it is a workbook, or save the sheet as CSV UTF-8 or .xlsx"
            ),
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    elif data.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    elif (utf16 := utf16_without_bom(data)) is not None:
        encodings = [utf16]
    else:
        encodings = ["utf-8", "cp1252"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeError:
            continue
        if "\x00" in text:
            line = text.count("\n", 0, text.index("\x00")) + 1
            raise InputError(
                _("{file}: line {line}: contains NUL bytes; this is not a text CSV file").format(
                    file=source, line=line
                ),
                hint=_(_HINT),
            )
        return text.lstrip("\ufeff")
    raise InputError(
        _("{file}: cannot be read as text ({encoding})").format(
            file=source, encoding=encodings[-1]
        ),
        hint=_(_HINT),
    )


def key(text: str) -> str:
    """Fold a header or label: case, BOM, quotes, a trailing colon and spaces do not matter."""
    text = text.replace("\ufeff", "").strip().strip('"').strip().rstrip(":").casefold()
    return " ".join(text.replace("_", " ").split())


def _agreement(lines: list[str], delimiter: str) -> tuple[int, int]:
    """How many lines split into the most common width (of two columns or more), and it."""
    counts: dict[int, int] = {}
    for cells in csv.reader(lines, delimiter=delimiter):
        if len(cells) >= 2:
            counts[len(cells)] = counts.get(len(cells), 0) + 1
    return max(((n, width) for width, n in counts.items()), default=(0, 0))


def split_records(text: str, source: str, delimiter: str | None = None) -> list[Record]:
    """The text's non-blank rows, cells stripped, numbered by the physical line they start on.

    The delimiter (tab, ``;`` or ``,``) is the one that splits the first lines into the most
    columns; a first line ``sep=X`` (Excel's) names it and is skipped."""
    lines = text.splitlines(keepends=True)
    offset = 0
    if lines and (sep := re.fullmatch(r'"?sep=(.)"?\s*', lines[0])):
        delimiter = delimiter or sep.group(1)
        lines, offset = lines[1:], 1
    if delimiter is None:
        sample = [line for line in lines[:_SNIFF_LINES] if line.strip()]
        # Teams writes tabs; a name ("Wulan Sari, S.Sos.") or a time ("9/30/21, 8:52 AM")
        # holds commas, so tabs on most lines decide before any count.
        if sum("\t" in line for line in sample) * 2 >= len(sample) > 0:
            delimiter = "\t"
        else:
            try:
                delimiter = max((";", ","), key=lambda d: _agreement(sample, d))
            except csv.Error:
                delimiter = ","
    csv.field_size_limit(1 << 20)
    reader = csv.reader(lines, delimiter=delimiter)
    records: list[Record] = []
    consumed = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return records
        except csv.Error as exc:
            raise InputError(
                _("{file}: line {line}: {detail}").format(
                    file=source, line=reader.line_num + offset, detail=str(exc)
                ),
                hint=_(_HINT),
            ) from None
        stripped = [cell.strip() for cell in cells]
        while stripped and not stripped[-1]:
            stripped.pop()
        if stripped:
            records.append((consumed + 1 + offset, stripped))
        consumed = reader.line_num


def _cell(cells: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return cells[index] if index is not None and index < len(cells) else ""


def _columns(cells: list[str], names: dict[str, str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = names.get(key(cell))
        if name is not None and name not in columns:
            columns[name] = index
    return columns


# ----------------------------------------------------------- timestamps

_CLOCK = (
    r"(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?:[:.](?P<s>\d{2}))?\s*(?:(?P<ampm>[AaPp])\.?\s?[Mm]\.?)?"
)
_NUMERIC = re.compile(
    r"^(?P<a>\d{1,2})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2}),?\s+" + _CLOCK + "$"
)


def _numeric_date(match: re.Match[str], order: str) -> date:
    a, b, year = int(match["a"]), int(match["b"]), int(match["y"])
    year += 2000 if year < 100 else 0
    return date(year, b, a) if order == "dmy" else date(year, a, b)


def _stamp(text: str, order: str) -> datetime:
    """One timestamp; ``order`` ("dmy"/"mdy") reads a numeric date. ValueError if none."""
    value = " ".join(text.split())
    if match := _NUMERIC.fullmatch(value):
        day = _numeric_date(match, order)
        hour = int(match["h"])
        if match["ampm"]:
            if not 1 <= hour <= 12:
                raise ValueError(f"hour {hour} with AM/PM")
            hour = hour % 12 + (12 if match["ampm"].lower() == "p" else 0)
        return datetime(day.year, day.month, day.day, hour, int(match["mi"]), int(match["s"] or 0))
    return parse_time(value.replace(", ", " ", 1) if value[:4].isdigit() else value)


@dataclass(frozen=True)
class _Text:
    """A timestamp cell as written, and where."""

    line: int
    column: str
    value: str


def _date_order(
    texts: list[_Text], source: str, day: date | None, notes: list[str]
) -> tuple[str, str | None]:
    """("dmy" | "mdy", the order the dates showed or None when they read alike)."""
    matches = [(t, m) for t in texts if (m := _NUMERIC.fullmatch(" ".join(t.value.split())))]
    if not matches:
        return "dmy", None
    if any(m["sep"] == "." for _t, m in matches):  # 11.12.2020: always day-first
        return "dmy", "dmy"
    readings: dict[str, list[date]] = {}
    for order in ("dmy", "mdy"):
        try:
            days = [_numeric_date(m, order) for _t, m in matches]
        except ValueError:
            continue
        if max(days) - min(days) <= timedelta(days=2):  # a meeting's list spans a day or so
            readings[order] = days
    if not readings:  # garbled dates: each is a row problem in the likelier order
        mdy_ok = sum(int(m["a"]) <= 12 for _t, m in matches)
        return ("mdy" if mdy_ok > len(matches) - mdy_ok else "dmy"), None
    if len(readings) == 1:
        return next(iter(readings)), next(iter(readings))
    if readings["dmy"] == readings["mdy"]:
        return "dmy", None
    first = next(
        t for (t, _m), a, b in zip(matches, readings["dmy"], readings["mdy"], strict=True) if a != b
    )
    both = {o: readings[o][[t for t, _m in matches].index(first)] for o in readings}
    if day is not None:
        fitting = [o for o in ("dmy", "mdy") if day in readings[o]]
        if fitting:
            notes.append(
                _(
                    "{file}: its dates read either way ({value}); read {order} as that falls "
                    "on the session's date, {date}"
                ).format(
                    file=source,
                    value=first.value,
                    order=_("day-first") if fitting[0] == "dmy" else _("month-first"),
                    date=day.isoformat(),
                )
            )
            return fitting[0], fitting[0]
    raise InputError(
        _(
            "{file}: line {line}: {column}: the date {value} reads as {dmy} day-first or "
            "{mdy} month-first, and no date in the list tells which"
        ).format(
            file=source,
            line=first.line,
            column=first.column,
            value=repr(first.value),
            dmy=both["dmy"].isoformat(),
            mdy=both["mdy"].isoformat(),
        ),
        hint=_(
            "name the session with --session N: the list is read the way that falls on its date"
        ),
    )


class _Times:
    """Parse a report's timestamps in one date order, collecting row problems."""

    def __init__(self, source: str, order: str, problems: list[Problem]) -> None:
        self.source, self.order, self.problems = source, order, problems

    def __call__(self, text: _Text, empty_ok: bool = False) -> datetime | None:
        if not text.value:
            if not empty_ok:
                self.problems.append(
                    Problem(_("time is empty"), self.source, text.line, text.column, _(_HINT))
                )
            return None
        try:
            return _stamp(text.value, self.order)
        except ValueError:
            self.problems.append(
                Problem(
                    _("not a date and time: {value}").format(value=repr(text.value)),
                    self.source,
                    text.line,
                    text.column,
                    _(
                        "write it as Teams exports it, e.g. 12/11/2020, 08:01:35 or "
                        "2020-12-11 08:01:35"
                    ),
                )
            )
            return None


# ------------------------------------------------------------ detection

_V1 = {
    "full name": "name",
    "name": "name",
    "nama lengkap": "name",
    "nama": "name",
    "user action": "action",
    "tindakan pengguna": "action",
    "action": "action",
    "timestamp": "stamp",
    "stempel waktu": "stamp",
    "tanda waktu": "stamp",
    "cap waktu": "stamp",
}
_ACTIONS = {
    "joined": "join",
    "joined before": "join",
    "bergabung": "join",
    "bergabung sebelumnya": "join",
    "telah bergabung": "join",
    "left": "leave",
    "keluar": "leave",
    "meninggalkan": "leave",
}
_V2 = {
    "name": "name",
    "full name": "name",
    "nama": "name",
    "nama lengkap": "name",
    "first join": "first",
    "first join time": "first",
    "bergabung pertama": "first",
    "last leave": "last",
    "last leave time": "last",
    "keluar terakhir": "last",
    "join time": "join",
    "waktu bergabung": "join",
    "leave time": "leave",
    "waktu keluar": "leave",
    "in-meeting duration": "minutes",
    "duration": "minutes",
    "durasi": "minutes",
    "durasi dalam rapat": "minutes",
    "email": "email",
    "e-mail": "email",
    "participant id (upn)": "upn",
    "upn": "upn",
    "role": "role",
    "peran": "role",
}
_SUMMARY = {
    "meeting title": "title",
    "title": "title",
    "judul rapat": "title",
    "start time": "start",
    "meeting start time": "start",
    "waktu mulai": "start",
    "end time": "end",
    "meeting end time": "end",
    "waktu selesai": "end",
}
_SECTION = re.compile(
    r"^(?:\d+\.\s*)?(?P<name>summary|meeting summary|participants|in-meeting activities|"
    r"ringkasan|peserta|aktivitas dalam rapat)$"
)
_ROLES = {
    "organizer": "organizer",
    "organiser": "organizer",
    "penyelenggara": "organizer",
    "co-organizer": "organizer",
    "presenter": "presenter",
    "penyaji": "presenter",
    "attendee": "attendee",
    "peserta": "attendee",
}


def _v1_header(cells: list[str]) -> dict[str, int]:
    columns = _columns(cells, _V1)
    return columns if (len(columns) >= 2 and "action" in columns) or len(columns) == 3 else {}


def _v2_table(cells: list[str]) -> tuple[str, dict[str, int]] | None:
    columns = _columns(cells, _V2)
    if "name" not in columns:
        return None
    if "first" in columns and "last" in columns:
        return "participants", columns
    # Zoom's detail table also has Join Time/Leave Time: a Teams table names roles or a UPN.
    if "join" in columns and "leave" in columns and ("role" in columns or "upn" in columns):
        return "activities", columns
    return None


def _head(text_or_lines: str | Iterable[str], lines: int) -> list[Record]:
    if isinstance(text_or_lines, str):
        head = text_or_lines.splitlines()[:lines]
    else:
        head = [line.rstrip("\r\n") for _n, line in zip(range(lines), text_or_lines, strict=False)]
    try:
        return split_records("\n".join(head), "")
    except InputError:
        return []


def looks_like_teams_v1(text_or_first_lines: str | Iterable[str]) -> bool:
    """Whether the first lines hold the old list's header (Full Name, User Action, Timestamp)."""
    return any(
        len(_v1_header(cells)) == 3 for _line, cells in _head(text_or_first_lines, 2 * _LOOKAHEAD)
    )


def looks_like_teams_v2(text_or_first_lines: str | Iterable[str]) -> bool:
    """Whether the first lines hold a 2021+ report: its numbered summary, or a participants
    or activities table with Teams's columns."""
    records = _head(text_or_first_lines, _SNIFF_LINES)
    for _line, cells in records[:3]:
        if key(cells[0]) in ("1. summary", "1. ringkasan", "meeting summary"):
            return True
    return any(_v2_table(cells) is not None for _line, cells in records)


def looks_like_teams(text_or_first_lines: str | Iterable[str]) -> bool:
    return looks_like_teams_v2(text_or_first_lines) or looks_like_teams_v1(text_or_first_lines)


# -------------------------------------------------------------- reading


def read_teams(path: Path, *, day: date | None = None) -> tuple[TeamsReport, list[Problem]]:
    """Read a Teams file from disk (see :func:`parse_teams`)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(
            _("{path}: cannot read the file ({reason})").format(path=path, reason=exc.strerror)
        ) from None
    return parse_teams(decode_text(data, path.name), path.name, day=day)


def parse_teams(
    text: str, source: str, *, day: date | None = None
) -> tuple[TeamsReport, list[Problem]]:
    """Read either Teams layout from decoded text; ``day``: the session's date, if named."""
    if looks_like_teams_v2(text):
        return parse_teams_v2(text, source, day=day)
    return parse_teams_v1(text, source, day=day)


def _empty(source: str, line: int) -> InputError:
    return InputError(
        _("{file}: no participant rows under the header (line {line})").format(
            file=source, line=line
        ),
        hint=_(_HINT),
    )


def parse_teams_v1(
    text: str, source: str, *, day: date | None = None
) -> tuple[TeamsReport, list[Problem]]:
    """The old Joined/Left list: one Visit per join up to its leave."""
    records = split_records(text, source)
    if not records:
        raise InputError(_("{file}: the file is empty").format(file=source), hint=_(_HINT))
    found = next(
        (
            (i, cols)
            for i, (_l, cells) in enumerate(records[:_LOOKAHEAD])
            if (cols := _v1_header(cells))
        ),
        None,
    )
    if found is None:
        raise InputError(
            _(
                "{file}: does not look like a Teams attendance list: no header row with Full "
                "Name, User Action and Timestamp in the first lines"
            ).format(file=source),
            hint=_(_HINT),
        )
    index, columns = found
    header_line, headers = records[index]
    for name, written in (("name", "Full Name"), ("action", "User Action"), ("stamp", "Timestamp")):
        if name not in columns:
            raise InputError(
                _("{file}: line {line}: no {column} column").format(
                    file=source, line=header_line, column=written
                ),
                hint=_(_HINT),
            )
    rows = records[index + 1 :]
    if not rows:
        raise _empty(source, header_line)
    report = TeamsReport(FORMAT, source, header_line=header_line, layout="v1")
    names = {name: headers[i] for name, i in columns.items()}
    texts = [_Text(line, names["stamp"], _cell(cells, columns, "stamp")) for line, cells in rows]
    order, told = _date_order([t for t in texts if t.value], source, day, report.notes)
    report.date_order, report.read_day_first = told, order == "dmy"
    problems: list[Problem] = []
    times = _Times(source, order, problems)
    events: list[tuple[datetime, int, str, str]] = []
    for (line, cells), stamp_text in zip(rows, texts, strict=True):
        name = " ".join(_cell(cells, columns, "name").split())
        action = _ACTIONS.get(key(_cell(cells, columns, "action")))
        moment = times(stamp_text)
        if not name:
            problems.append(Problem(_("no name"), source, line, names["name"], _(_HINT)))
        if action is None:
            problems.append(
                Problem(
                    _("unknown action {value}").format(value=repr(_cell(cells, columns, "action"))),
                    source,
                    line,
                    names["action"],
                    _("Teams writes Joined, Left or Joined before"),
                )
            )
        if name and action and moment is not None:
            events.append((moment, line, name, action))
    events.sort(key=lambda e: (e[0], e[1]))  # a re-saved list may be sorted by name
    _v1_visits(report, events)
    return report, problems


def _v1_visits(report: TeamsReport, events: list[tuple[datetime, int, str, str]]) -> None:
    if not events:
        return
    first, last = events[0][0], events[-1][0]
    open_: dict[str, tuple[int, datetime, int, str]] = {}  # person -> (count, since, line, name)
    orphans: list[str] = []
    for moment, line, name, action in events:
        person = name.casefold()
        count, since, start_line, shown = open_.get(person, (0, moment, line, name))
        if action == "join":
            # A second device joins while the first is still in: one stretch until both leave.
            open_[person] = (count + 1, since, start_line, shown)
            continue
        if count == 0:
            orphans.append(name)
            report.visits.append(_interval(line, name, first, moment))
        elif count == 1:
            del open_[person]
            report.visits.append(_interval(start_line, shown, since, moment))
        else:
            open_[person] = (count - 1, since, start_line, shown)
    still = sorted(open_.values(), key=lambda o: o[2])
    for _count, since, line, name in still:
        report.visits.append(_interval(line, name, since, last))
    report.visits.sort(key=lambda v: (v.line, v.join or first))
    if still:
        report.notes.append(
            _(
                "{file}: {count} participant(s) have no Left after their last join ({names}): "
                "counted until the list's last time, {time} (it was downloaded during the "
                "meeting)"
            ).format(
                file=report.source,
                count=len(still),
                names=", ".join(o[3] for o in still),
                time=f"{last:%Y-%m-%d %H:%M:%S}",
            )
        )
    if orphans:
        report.notes.append(
            _(
                "{file}: {names}: Left without joining first; counted from the list's first "
                "time, {time}"
            ).format(
                file=report.source,
                names=", ".join(dict.fromkeys(orphans)),
                time=f"{first:%Y-%m-%d %H:%M:%S}",
            )
        )


def _interval(
    line: int,
    name: str,
    join: datetime,
    leave: datetime,
    *,
    email: str = "",
    minutes: float | None = None,
    total: bool = False,
    role: str = "",
) -> TeamsVisit:
    if minutes is None:
        minutes = (leave - join).total_seconds() / 60
    # Keywords: Visit may grow fields, and a position would then shift.
    return TeamsVisit(
        line=line,
        name=name,
        original_name="",
        email=email,
        join=join,
        leave=leave,
        minutes=minutes,
        guest=None,
        total=total,
        role=role,
    )


@dataclass
class _Table:
    kind: str  # "participants" | "activities"
    line: int
    headers: list[str]
    columns: dict[str, int]
    rows: list[Record] = field(default_factory=list)


def _v2_layout(records: list[Record]) -> tuple[dict[str, tuple[int, str, str]], list[_Table]]:
    """The summary's (line, label, value) by field, and the tables in order."""
    summary: dict[str, tuple[int, str, str]] = {}
    tables: list[_Table] = []
    current: _Table | None = None
    for line, cells in records:
        if len(cells) == 1 and _SECTION.fullmatch(key(cells[0])):
            current = None
            continue
        if (found := _v2_table(cells)) is not None:
            current = _Table(found[0], line, cells, found[1])
            tables.append(current)
        elif current is not None:
            current.rows.append((line, cells))
        elif len(cells) >= 2 and (name := _SUMMARY.get(key(cells[0]))) is not None:
            summary.setdefault(name, (line, cells[0], cells[1]))
    return summary, tables


def parse_teams_v2(
    text: str, source: str, *, day: date | None = None
) -> tuple[TeamsReport, list[Problem]]:
    """The 2021+ report: the activities' intervals, else each participant's total."""
    records = split_records(text, source)
    if not records:
        raise InputError(_("{file}: the file is empty").format(file=source), hint=_(_HINT))
    summary, tables = _v2_layout(records)
    if not tables:
        raise InputError(
            _(
                "{file}: a Teams attendance report without its Participants or In-Meeting "
                "Activities table (Name, Join Time, Leave Time, Email, Role)"
            ).format(file=source),
            hint=_(_HINT),
        )
    # An activities header with no rows under it says nothing: the participants then do.
    activities = [t for t in tables if t.kind == "activities" and t.rows]
    chosen = activities or tables
    report = TeamsReport(FORMAT, source, header_line=chosen[0].line, layout="v2")
    if all(not t.rows for t in chosen):
        raise _empty(source, chosen[0].line)
    texts = [_Text(line, label, value) for line, label, value in summary.values()]
    for table in chosen:
        for name in ("join", "leave", "first", "last"):
            if name in table.columns:
                column = table.headers[table.columns[name]]
                texts += [
                    _Text(line, column, v)
                    for line, cells in table.rows
                    if (v := _cell(cells, table.columns, name))
                ]
    order, told = _date_order(texts, source, day, report.notes)
    report.date_order, report.read_day_first = told, order == "dmy"
    problems: list[Problem] = []
    times = _Times(source, order, problems)
    report.topic = summary["title"][2] if "title" in summary else ""
    for name in ("start", "end"):
        if name in summary:
            line, label, value = summary[name]
            moment = times(_Text(line, label, value), empty_ok=True)
            setattr(report, f"meeting_{name}", moment)
    still: list[str] = []
    for table in chosen:
        _v2_rows(report, table, times, problems, still)
    if not activities:
        report.notes.append(
            _(
                "{file}: no In-Meeting Activities section: each participant's first join to "
                "last leave is read with their in-meeting duration"
            ).format(file=source)
        )
    if still:
        report.notes.append(
            _(
                "{file}: {count} participant(s) have no leave time ({names}): counted until "
                "the meeting's end, {time}"
            ).format(
                file=source,
                count=len(still),
                names=", ".join(still),
                time=f"{_end(report):%Y-%m-%d %H:%M:%S}",
            )
        )
    hosts = [v for v in report.visits if is_organizer(v)]
    report.organizers = list(dict.fromkeys(v.name for v in hosts))
    report.host_email = next((v.email for v in hosts if v.email), "")
    return report, problems


def _end(report: Report) -> datetime:
    if report.meeting_end is not None:
        return report.meeting_end
    moments = [t for v in report.visits for t in (v.join, v.leave) if t is not None]
    return max(moments, default=datetime.min)


def _v2_rows(
    report: TeamsReport,
    table: _Table,
    times: _Times,
    problems: list[Problem],
    still: list[str],
) -> None:
    columns = table.columns
    start, end = ("join", "leave") if table.kind == "activities" else ("first", "last")
    heads = {name: table.headers[i] for name, i in columns.items()}
    pending: list[tuple[int, str, datetime, str, float | None, str]] = []
    for line, cells in table.rows:
        name = " ".join(_cell(cells, columns, "name").split())
        email = _cell(cells, columns, "email").casefold()
        upn = _cell(cells, columns, "upn").casefold()
        email = email or (upn if "@" in upn else "")
        if not name and not email:
            problems.append(
                Problem(_("no name and no email"), report.source, line, heads["name"], _(_HINT))
            )
            continue
        join = times(_Text(line, heads[start], _cell(cells, columns, start)))
        leave_text = _cell(cells, columns, end)
        leave = times(_Text(line, heads[end], leave_text), empty_ok=True)
        minutes: float | None = None
        if text := _cell(cells, columns, "minutes"):
            try:
                minutes = parse_duration(text)
            except ValueError:
                problems.append(
                    Problem(
                        _("not a duration: {value}").format(value=repr(text)),
                        report.source,
                        line,
                        heads["minutes"],
                        _("Teams writes durations as 1h 2m 3s, 45m 10s or 30s"),
                    )
                )
        if join is None or (leave is None and leave_text):
            continue
        role = _ROLES.get(key(_cell(cells, columns, "role")), key(_cell(cells, columns, "role")))
        if leave is None:
            still.append(name or email)
            pending.append((line, name, join, email, minutes, role))
            continue
        if leave < join:
            problems.append(
                Problem(
                    _("leaves ({leave}) before joining ({join})").format(
                        leave=f"{leave:%H:%M:%S}", join=f"{join:%H:%M:%S}"
                    ),
                    report.source,
                    line,
                    heads[end],
                    _(_HINT),
                )
            )
            continue
        span = (leave - join).total_seconds() / 60
        # A duration shorter than the span: the person was away part of it (a participants
        # row, or the 2021 layout's one row per person), like Zoom's unique users.
        total = minutes is not None and minutes + 1 < span
        report.visits.append(
            _interval(line, name, join, leave, email=email, minutes=minutes, total=total, role=role)
        )
    for line, name, join, email, _minutes, role in pending:
        leave = max(_end(report), join)
        report.visits.append(_interval(line, name, join, leave, email=email, role=role))
