"""The 2021+ Teams attendance report: its summary, participants and in-meeting activities.

Owns the reading of the three sections into Visits (the activities' intervals, else each
participant's first join to last leave with their in-meeting duration) and the organizer set
apart by role. Never touches the store, the console or the clock; the layout's vocabulary and
result types are teams.py's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from revmental_cli.errors import InputError, Problem
from revmental_cli.i18n import _
from revmental_cli.importers.attendance.report import Report
from revmental_cli.importers.attendance.sniff import _v2_table
from revmental_cli.importers.attendance.stamps import StampText, Times, date_order
from revmental_cli.importers.attendance.teams import (
    _ROLES,
    _SECTION,
    _SUMMARY,
    FORMAT,
    TeamsReport,
    _empty,
    _interval,
    is_organizer,
)
from revmental_cli.importers.attendance.text import (
    TEAMS_HINT,
    Record,
    cell_of,
    key,
)
from revmental_cli.importers.attendance.times import parse_duration

__all__ = ["teams_v2_from_records"]


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


def teams_v2_from_records(
    records: list[Record], source: str, *, day: date | None = None
) -> tuple[TeamsReport, list[Problem]]:
    """The 2021+ report: the activities' intervals, else each participant's total."""
    if not records:
        raise InputError(_("{file}: the file is empty").format(file=source), hint=_(TEAMS_HINT))
    summary, tables = _v2_layout(records)
    if not tables:
        raise InputError(
            _(
                "{file}: a Teams attendance report without its Participants or In-Meeting "
                "Activities table (Name, Join Time, Leave Time, Email, Role)"
            ).format(file=source),
            hint=_(TEAMS_HINT),
        )
    # An activities header with no rows under it says nothing: the participants then do.
    activities = [t for t in tables if t.kind == "activities" and t.rows]
    chosen = activities or tables
    report = TeamsReport(FORMAT, source, header_line=chosen[0].line, layout="v2")
    if all(not t.rows for t in chosen):
        raise _empty(source, chosen[0].line)
    texts = [StampText(line, label, value) for line, label, value in summary.values()]
    for table in chosen:
        for name in ("join", "leave", "first", "last"):
            if name in table.columns:
                column = table.headers[table.columns[name]]
                texts += [
                    StampText(line, column, v)
                    for line, cells in table.rows
                    if (v := cell_of(cells, table.columns, name))
                ]
    order, told = date_order(texts, source, day, report.notes)
    report.date_order, report.read_day_first = told, order == "dmy"
    problems: list[Problem] = []
    times = Times(source, order, problems)
    report.topic = summary["title"][2] if "title" in summary else ""
    for name in ("start", "end"):
        if name in summary:
            line, label, value = summary[name]
            moment = times(StampText(line, label, value), empty_ok=True)
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
    times: Times,
    problems: list[Problem],
    still: list[str],
) -> None:
    columns = table.columns
    start, end = ("join", "leave") if table.kind == "activities" else ("first", "last")
    heads = {name: table.headers[i] for name, i in columns.items()}
    pending: list[tuple[int, str, datetime, str, float | None, str]] = []
    for line, cells in table.rows:
        name = " ".join(cell_of(cells, columns, "name").split())
        email = cell_of(cells, columns, "email").casefold()
        upn = cell_of(cells, columns, "upn").casefold()
        email = email or (upn if "@" in upn else "")
        if not name and not email:
            problems.append(
                Problem(
                    _("no name and no email"), report.source, line, heads["name"], _(TEAMS_HINT)
                )
            )
            continue
        join = times(StampText(line, heads[start], cell_of(cells, columns, start)))
        leave_text = cell_of(cells, columns, end)
        leave = times(StampText(line, heads[end], leave_text), empty_ok=True)
        minutes: float | None = None
        if text := cell_of(cells, columns, "minutes"):
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
        role = _ROLES.get(
            key(cell_of(cells, columns, "role")), key(cell_of(cells, columns, "role"))
        )
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
                    _(TEAMS_HINT),
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
