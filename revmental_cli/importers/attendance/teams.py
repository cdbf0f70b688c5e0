"""Read a Microsoft Teams attendance list into the attendance :class:`Report` Zoom's gives.

Owns the Teams vocabulary, the result types and the old list's reading; the headers that
detect both layouts are sniff.py's (loaded for every file, this module only for Teams); the
2021+ report is read by teams_v2.py, the decoding and records by text.py (shared with Moodle)
and the timestamps with their date order by stamps.py. Never touches the store,
the console or the clock.

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

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from revmental_cli.domain.visits import Visit
from revmental_cli.errors import InputError, Problem
from revmental_cli.i18n import _
from revmental_cli.importers.attendance.report import Report
from revmental_cli.importers.attendance.sniff import _v1_header, is_teams_v1, is_teams_v2
from revmental_cli.importers.attendance.stamps import StampText, Times, date_order
from revmental_cli.importers.attendance.text import (
    TEAMS_HINT,
    Record,
    cell_of,
    decode_text,
    key,
    read_text,
    split_records,
)

__all__ = [
    "FORMAT",
    "Record",
    "TeamsReport",
    "TeamsVisit",
    "decode_text",
    "is_organizer",
    "is_teams_v1",
    "is_teams_v2",
    "key",
    "looks_like_teams",
    "looks_like_teams_v1",
    "looks_like_teams_v2",
    "parse_teams",
    "parse_teams_v1",
    "parse_teams_v2",
    "read_teams",
    "split_records",
    "teams_from_records",
    "teams_v1_from_records",
]

FORMAT = "teams"
_SNIFF_LINES = 60
_LOOKAHEAD = 12


@dataclass(frozen=True)
class TeamsVisit(Visit):
    """A Visit with the participant's Teams role: organizer, presenter, attendee ("": unknown,
    as in the old list)."""

    role: str = ""


@dataclass
class TeamsReport(Report):
    """A Report with the Teams layout and the organizers (``notes`` are Report's)."""

    layout: str = ""  # "v1" (the old Joined/Left list) | "v2" (the 2021+ report)
    organizers: list[str] = field(default_factory=list)  # names, as written


def is_organizer(visit: Visit) -> bool:
    """The account that ran the meeting: no participant (like Zoom's host)."""
    return getattr(visit, "role", "") == "organizer"


# ------------------------------------------ vocabulary (the headers: sniff.py)

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
    return is_teams_v1(_head(text_or_first_lines, 2 * _LOOKAHEAD))


def looks_like_teams_v2(text_or_first_lines: str | Iterable[str]) -> bool:
    """Whether the first lines hold a 2021+ report: its numbered summary, or a participants
    or activities table with Teams's columns."""
    return is_teams_v2(_head(text_or_first_lines, _SNIFF_LINES))


def looks_like_teams(text_or_first_lines: str | Iterable[str]) -> bool:
    return looks_like_teams_v2(text_or_first_lines) or looks_like_teams_v1(text_or_first_lines)


# -------------------------------------------------------------- reading


def read_teams(path: Path, *, day: date | None = None) -> tuple[TeamsReport, list[Problem]]:
    """Read a Teams file from disk (see :func:`parse_teams`)."""
    path = Path(path)
    return parse_teams(read_text(path), path.name, day=day)


def parse_teams(
    text: str, source: str, *, day: date | None = None
) -> tuple[TeamsReport, list[Problem]]:
    """Read either Teams layout from decoded text; ``day``: the session's date, if named."""
    return teams_from_records(split_records(text, source), source, day=day)


def teams_from_records(
    records: list[Record], source: str, *, day: date | None = None
) -> tuple[TeamsReport, list[Problem]]:
    """Read either Teams layout from its records (see ``split_records``)."""
    # Imported here: teams_v2 builds on this module's types and vocabulary.
    from revmental_cli.importers.attendance.teams_v2 import teams_v2_from_records

    if is_teams_v2(records):
        return teams_v2_from_records(records, source, day=day)
    return teams_v1_from_records(records, source, day=day)


def parse_teams_v2(
    text: str, source: str, *, day: date | None = None
) -> tuple[TeamsReport, list[Problem]]:
    """The 2021+ report from decoded text (see teams_v2.py)."""
    from revmental_cli.importers.attendance.teams_v2 import teams_v2_from_records

    return teams_v2_from_records(split_records(text, source), source, day=day)


def _empty(source: str, line: int) -> InputError:
    return InputError(
        _("{file}: no participant rows under the header (line {line})").format(
            file=source, line=line
        ),
        hint=_(TEAMS_HINT),
    )


def parse_teams_v1(
    text: str, source: str, *, day: date | None = None
) -> tuple[TeamsReport, list[Problem]]:
    """The old Joined/Left list: one Visit per join up to its leave."""
    return teams_v1_from_records(split_records(text, source), source, day=day)


def teams_v1_from_records(
    records: list[Record], source: str, *, day: date | None = None
) -> tuple[TeamsReport, list[Problem]]:
    """The old list from its records (see parse_teams_v1)."""
    if not records:
        raise InputError(_("{file}: the file is empty").format(file=source), hint=_(TEAMS_HINT))
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
            hint=_(TEAMS_HINT),
        )
    index, columns = found
    header_line, headers = records[index]
    for name, written in (("name", "Full Name"), ("action", "User Action"), ("stamp", "Timestamp")):
        if name not in columns:
            raise InputError(
                _("{file}: line {line}: no {column} column").format(
                    file=source, line=header_line, column=written
                ),
                hint=_(TEAMS_HINT),
            )
    rows = records[index + 1 :]
    if not rows:
        raise _empty(source, header_line)
    report = TeamsReport(FORMAT, source, header_line=header_line, layout="v1")
    names = {name: headers[i] for name, i in columns.items()}
    texts = [
        StampText(line, names["stamp"], cell_of(cells, columns, "stamp")) for line, cells in rows
    ]
    order, told = date_order([t for t in texts if t.value], source, day, report.notes)
    report.date_order, report.read_day_first = told, order == "dmy"
    problems: list[Problem] = []
    times = Times(source, order, problems)
    events: list[tuple[datetime, int, str, str]] = []
    for (line, cells), stamp_text in zip(rows, texts, strict=True):
        name = " ".join(cell_of(cells, columns, "name").split())
        action = _ACTIONS.get(key(cell_of(cells, columns, "action")))
        moment = times(stamp_text)
        if not name:
            problems.append(Problem(_("no name"), source, line, names["name"], _(TEAMS_HINT)))
        if action is None:
            problems.append(
                Problem(
                    _("unknown action {value}").format(
                        value=repr(cell_of(cells, columns, "action"))
                    ),
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
