"""Zoom participant reports: the meeting block, the participants, Excel's re-saved dates.

Owns: Zoom's header names (English and Indonesian), the test that a header is Zoom's
(``zoom_columns``), the meeting block or the meeting columns repeated on every row, the
day-first check of an Excel-resaved report, and one Visit per participant row. Never touches
the store, the console or the clock.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta

from revmental_cli.domain.visits import Visit
from revmental_cli.errors import InputError, Problem
from revmental_cli.i18n import _
from revmental_cli.importers.attendance.report import Report
from revmental_cli.importers.attendance.rows import (
    Record,
    RowProblems,
    cell_at,
    minutes_cell,
    time_cell,
)
from revmental_cli.importers.attendance.text import first_columns
from revmental_cli.importers.attendance.times import US_DATETIME_12H, form_date_order, parse_time
from revmental_cli.importers.headers import spaced_key

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
_YES = {"yes", "ya", "y", "true", "1"}
_NO = {"no", "tidak", "n", "false", "0"}


def zoom_columns(keys: list[str]) -> dict[str, int] | None:
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


def _is_zoom_meeting_header(keys: list[str]) -> bool:
    fields = {_ZOOM_MEETING.get(k) for k in keys}
    return {"meeting_id", "topic", "start"} <= fields


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


def read_zoom(
    report: Report,
    records: list[Record],
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
        (
            i
            for i in range(index)
            if _is_zoom_meeting_header([spaced_key(c) for c in records[i][1]])
        ),
        None,
    )
    # A report re-saved by an Indonesian-locale Excel has day-first dates: a day over 12
    # anywhere in its times tells (29/09/2021), and then every date of the file is read so.
    texts = [cell for _line, cells in records[(block or index) + 1 :] for cell in cells]
    report.date_order = form_date_order(texts)
    report.twelve_hour = any(US_DATETIME_12H.search(text) for text in texts)
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
    report.unique_users = "minutes" in columns and spaced_key(
        headers[columns["minutes"]]
    ).startswith(("total duration", "total durasi"))
    report.ignored_columns = [
        header
        for i, header in enumerate(headers)
        if header
        and i not in used
        and spaced_key(header) not in _ZOOM_KNOWN_UNUSED
        # The host's "User Email"/"Duration" repeated before the name column.
        and not (inline and i < columns["name"])
    ]
    names = {name: headers[i] for name, i in columns.items()}
    day_range = _day_range(report)
    if report.meeting_start is not None:
        day = report.meeting_start.date()
    # A report's times repeat (everyone joins at the start); each is parsed once, as are
    # its durations and its guest cells (a few distinct values down 5,000 rows).
    times: dict[str, datetime] = {}
    durations: dict[str, float] = {}
    guests: dict[str, bool | None] = {}
    waiting = "waiting" in columns
    problem = RowProblems(report.source, 0, names)
    found = problem.found
    for line, cells in records[index + 1 :]:
        # Time spent in the waiting room is not time in the session.
        if waiting and _guest(cell_at(cells, columns, "waiting")) is True:
            continue
        # One collector for every row (what a row found is moved out below): a dataclass
        # made per row was a tenth of reading a 5,000-row report.
        problem.line = line

        name = cell_at(cells, columns, "name")
        email = cell_at(cells, columns, "email").casefold()
        if not name and not email:
            problem("name", _("no name and no email: cannot tell who this row is"))
        join = time_cell(cells, columns, "join", problem, day, cache=times, day_first=day_first)
        leave = time_cell(cells, columns, "leave", problem, day, cache=times, day_first=day_first)
        if join is not None and leave is not None and leave < join:
            problem(
                "leave",
                _("leaves ({leave}) before joining ({join})").format(
                    leave=f"{leave:%H:%M:%S}", join=f"{join:%H:%M:%S}"
                ),
            )
        if day_range is not None:
            # Only a time outside the meeting's days has anything to say (_check_day).
            if join is not None and not day_range[0] <= join <= day_range[1]:
                _check_day(report, day_range, join, "join", problem)
            if leave is not None and not day_range[0] <= leave <= day_range[1]:
                _check_day(report, day_range, leave, "leave", problem)
        text = cell_at(cells, columns, "minutes")
        minutes = durations.get(text)
        if minutes is None:
            minutes = minutes_cell(cells, columns, "minutes", problem)
            if minutes is not None:
                durations[text] = minutes
        guest_cell = cell_at(cells, columns, "guest")
        if guest_cell in guests:
            guest = guests[guest_cell]
        else:
            guest = guests[guest_cell] = _guest(guest_cell)
        if found:
            problems.extend(found)
            found.clear()
        # Positional, in Visit's field order: keywords make building one twice as slow, and
        # a report has thousands.
        report.visits.append(
            Visit(
                line,
                name,
                _split_original(name),  # original_name
                email,
                join,
                leave,
                minutes,
                guest,
                report.unique_users,  # total
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
    return first_columns([spaced_key(header) for header in headers[:before]], _ZOOM_MEETING)


def _read_meeting(
    report: Report,
    values: list[str],
    columns: dict[str, int],
    headers: list[str],
    line: int,
    day_first: bool = False,
) -> None:
    report.meeting_id = cell_at(values, columns, "meeting_id")
    report.topic = cell_at(values, columns, "topic")
    report.host_email = cell_at(values, columns, "host_email").strip().lower()
    for name in ("start", "end"):
        text = cell_at(values, columns, name)
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
