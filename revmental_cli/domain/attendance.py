"""Attendance rules: minutes in a session, the status they earn, and presence-form answers.

Pure and deterministic: the same visits and people always give the same
result, whatever order dictionaries or sets would otherwise impose. Who a
report row is (matching a visit to a participant) is domain/matching.py,
re-exported here. No I/O, no clock: days and times come from the caller.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from revmental_cli.domain.cohort import AttendanceRules
from revmental_cli.domain.matching import MatchResult, Person, Unmatched, match_visits, name_words
from revmental_cli.domain.visits import Mark, Visit

if TYPE_CHECKING:
    from datetime import date

__all__ = [
    "MatchResult",
    "Person",
    "Unmatched",
    "attendance_and_first_join",
    "attendance_for",
    "attendance_in_reports",
    "first_join",
    "form_answers_for",
    "form_reading_for",
    "match_visits",
    "merge_minutes",
    "name_words",
    "status_for",
    "visit_span",
]

# Float noise from seconds-based arithmetic must not turn 75% into 74.999...%.
_EPSILON = 1e-9


# -------------------------------------------------------------------- minutes


def merge_minutes(
    intervals: Iterable[tuple[datetime, datetime]], start: datetime, end: datetime
) -> float:
    """Return the minutes of [start, end] covered by the union of the intervals.

    Reconnects add up; two devices at the same time count once.
    """
    clipped = sorted(
        (max(a, start), min(b, end)) for a, b in intervals if min(b, end) > max(a, start)
    )
    total = timedelta()
    current_start: datetime | None = None
    current_end: datetime | None = None
    for a, b in clipped:
        if current_end is None or a > current_end:
            if current_start is not None and current_end is not None:
                total += current_end - current_start
            current_start, current_end = a, b
        elif b > current_end:
            current_end = b
    if current_start is not None and current_end is not None:
        total += current_end - current_start
    return total.total_seconds() / 60


def status_for(
    minutes: float,
    first_join: datetime | None,
    session_start: datetime,
    session_minutes: float,
    rules: AttendanceRules,
) -> str:
    """Return present, late or absent for the minutes attended and the first join.

    Without a join time (a "unique users" report) lateness cannot be known,
    so enough minutes mean present.
    """
    if minutes * 100 + _EPSILON < rules.present_min_pct * session_minutes:
        return "absent"
    if first_join is not None and first_join > session_start + timedelta(
        minutes=rules.late_after_min
    ):
        return "late"
    return "present"


def visit_span(visit: Visit) -> tuple[datetime, datetime] | None:
    """Return the stretch of time a report row can speak for; None when it gives no time.

    A row with both times is that connection (or, for a total, the first join to the last
    leave). A row with one time (Meet's "First Seen" with "Time in Call") does not say when
    the person left, but a meeting's report is of one day: the row can speak for the rest of
    that day only, never for a session on another day.
    """
    join, leave = visit.join, visit.leave
    if join is not None and leave is not None:
        return join, leave
    if join is not None:
        return join, datetime.combine(join.date() + timedelta(days=1), time())
    if leave is not None:
        return datetime.combine(leave.date(), time()), leave
    return None


def _stretch(visit: Visit) -> tuple[datetime, datetime] | None:
    """The stretch a row covers, to tell two reports of one meeting from the parts of a
    restarted one: a join time with a duration ("First Seen" + "Time in Call") covers
    from the join for that long, not the rest of the day (which would make every two
    such parts look like the same stretch, and count the larger instead of the sum)."""
    if visit.join is not None and visit.leave is None and visit.minutes is not None:
        return visit.join, visit.join + timedelta(minutes=visit.minutes)
    return visit_span(visit)


def attendance_for(
    visits: Sequence[Visit], start: datetime, end: datetime, rules: AttendanceRules
) -> tuple[str, float]:
    """Return (status, minutes) for one person's rows of one report of the session [start, end].

    Rows with join and leave times are merged as intervals. Rows whose minutes
    are a duration instead (Zoom's unique-users totals, Meet's "Time in Call" or
    "First seen"/"Last seen" totals, rows without both times) add those minutes,
    but never more than the part of the session the row can speak for (see
    :func:`visit_span`; the whole session when the row gives no time): 150 minutes
    connected from 07:00 to 09:30 are at most 30 minutes of a session that starts
    at 09:00, and a row of another day counts nothing. The sum is capped at the
    session's length because such totals over-count a second device.
    """
    return attendance_in_reports([visits], start, end, rules)


def attendance_in_reports(
    reports: Sequence[Sequence[Visit]], start: datetime, end: datetime, rules: AttendanceRules
) -> tuple[str, float]:
    """Return (status, minutes) for one person's rows in several reports of one session
    (see :func:`attendance_and_first_join`)."""
    status, minutes, _first = attendance_and_first_join(reports, start, end, rules)
    return status, minutes


def attendance_and_first_join(
    reports: Sequence[Sequence[Visit]], start: datetime, end: datetime, rules: AttendanceRules
) -> tuple[str, float, datetime | None]:
    """Return (status, minutes, first join) for one person's rows in several reports of one
    session; the first join is :func:`first_join` of all the rows, worked out once.

    Each report is counted as :func:`attendance_for` counts it. Reports that cover
    separate stretches of the session (a meeting restarted) add up. Reports that
    cover the same stretch (two exports of one meeting: per join and unique users, or
    one saved again) are views of the same time: their intervals are merged, and
    their durations, which cannot be merged, count as the largest report's, not
    as the sum, which would count the meeting twice.
    """
    session_minutes = (end - start).total_seconds() / 60
    if len(reports) == 1:
        # One report of connections only (a Zoom report per join, the usual case): its
        # merged intervals are all it says, as the general way below counts them too (one
        # view, whose minutes are those intervals merged), at a fraction of the work.
        intervals: list[tuple[datetime, datetime]] = []
        for v in reports[0]:
            if v.total or v.join is None or v.leave is None:
                break
            intervals.append((v.join, v.leave))
        else:
            minutes = min(merge_minutes(intervals, start, end), session_minutes)
            first = first_join(reports[0], start, end)
            return status_for(minutes, first, start, session_minutes, rules), minutes, first
    views = [
        view
        for visits in reports
        if visits and (view := _ReportView.of(visits, start, end)) is not None
    ]
    views.sort(key=lambda view: view.span)
    minutes = 0.0
    cluster: list[_ReportView] = []
    for view in views:
        if cluster and view.span[0] >= max(v.span[1] for v in cluster):
            minutes += _same_stretch_minutes(cluster, start, end)
            cluster = []
        cluster.append(view)
    if cluster:
        minutes += _same_stretch_minutes(cluster, start, end)
    minutes = min(minutes, session_minutes)
    first = first_join([v for visits in reports for v in visits], start, end)
    return status_for(minutes, first, start, session_minutes, rules), minutes, first


def first_join(visits: Iterable[Visit], start: datetime, end: datetime) -> datetime | None:
    """Return when the person first joined the session [start, end], None when no row says.

    A "First Seen" time with a duration still tells when the person arrived. A row that
    cannot speak for any of the session (another day's) says nothing about it.
    """
    joins = [
        v.join
        for v in visits
        if v.join is not None
        and (span := visit_span(v)) is not None
        and span[0] < end
        and span[1] > start
    ]
    return min(joins, default=None)


def _same_stretch_minutes(views: list[_ReportView], start: datetime, end: datetime) -> float:
    """Minutes of reports that cover the same stretch: their merged intervals, or the report
    that says the most, whichever is more."""
    merged = merge_minutes([interval for v in views for interval in v.intervals], start, end)
    return max(merged, *(v.minutes for v in views))


@dataclass(frozen=True)
class _ReportView:
    """What one report says of one person within a session."""

    intervals: list[tuple[datetime, datetime]]
    minutes: float  # its intervals merged, plus its durations
    span: tuple[datetime, datetime]  # the part of the session its rows can speak for

    @classmethod
    def of(cls, visits: Sequence[Visit], start: datetime, end: datetime) -> _ReportView | None:
        """None when none of the rows can speak for any of the session."""
        intervals = [
            (v.join, v.leave)
            for v in visits
            if not v.total and v.join is not None and v.leave is not None
        ]
        minutes = merge_minutes(intervals, start, end)
        spans: list[tuple[datetime, datetime]] = []
        for v in visits:
            # Where the row's time lies (to group reports), and the most it can count for.
            stretch = _stretch(v) or (start, end)
            if min(stretch[1], end) > max(stretch[0], start):
                spans.append((max(stretch[0], start), min(stretch[1], end)))
            if v.minutes is None or not (v.total or v.join is None or v.leave is None):
                continue
            bound = visit_span(v) or (start, end)
            minutes += min(v.minutes, merge_minutes([bound], start, end))
        if not spans:
            return None
        return cls(intervals, minutes, (min(a for a, _ in spans), max(b for _, b in spans)))


def form_answers_for(marks: Sequence[Mark], day: date) -> tuple[list[Mark], list[Mark]]:
    """Split a presence form's answers into (counted, other days) for a session on ``day``.

    An answer stamped on another day is not presence at this session. Of one
    person's answers on the day, the first counts (people send a form twice).
    """
    counted: list[Mark] = []
    elsewhere: list[Mark] = []
    seen: set[str] = set()
    for mark in marks:
        if mark.answered is not None and mark.answered.date() != day:
            elsewhere.append(mark)
        elif mark.nip not in seen:
            seen.add(mark.nip)
            counted.append(mark)
    return counted, elsewhere


def form_reading_for(
    readings: Mapping[str, Sequence[Mark]], session_days: Collection[date], day: date | None
) -> str | None:
    """Choose how to read a presence form's dates that do not tell day from month.

    ``readings``: each reading's answers, the likelier one first. With ``day`` (the date of
    the session the user named): the reading that puts the most answers on it, the first of
    equals; None when none puts any. Without: the only reading that puts every answer on a
    session's date (``session_days``); None when both or neither do.
    """
    if day is not None:
        on_the_day = {
            key: sum(1 for m in marks if m.answered is not None and m.answered.date() == day)
            for key, marks in readings.items()
        }
        most = max(on_the_day.values(), default=0)
        return next((key for key, n in on_the_day.items() if n == most), None) if most else None
    fitting = [
        key
        for key, marks in readings.items()
        if all(m.answered is None or m.answered.date() in session_days for m in marks)
    ]
    return fitting[0] if len(fitting) == 1 else None
