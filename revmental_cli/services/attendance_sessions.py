"""Which session of the schedule an attendance report or sheet is for.

Owns the placing of a report in a session (its meeting's start, its form's answers' day, or
--session), the reading of a form's ambiguous dates that the schedule decides, and the
refusal of a report that falls outside its session. Pure: never opens the store, never
prints, never reads a file.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from revmental_cli.errors import InputError, NotFound
from revmental_cli.messages import Joined, Msg

if TYPE_CHECKING:
    from revmental_cli.domain.cohort import Cohort, Session
    from revmental_cli.importers.attendance import Report


SESSION_WINDOW = dt.timedelta(hours=1)  # a meeting may start this far from its session


def named_session(cohort: Cohort, number: int) -> Session:
    session = cohort.session(number)
    if session is None:
        raise NotFound(
            Msg("{cohort} has no session {number}", cohort=cohort.id, number=number),
            hint=Msg(
                "sessions are numbered 1 to {last} (`revmental schedule show`)",
                last=len(cohort.sessions),
            ),
        )
    return session


def _where(sessions: list[Session]) -> str:
    return Joined(
        Msg(
            "session {number}: {date} {start}-{end} {title}",
            number=s.number,
            date=s.date,
            start=f"{s.start:%H:%M}",
            end=f"{s.end:%H:%M}",
            title=s.title,
        )
        for s in sessions
    )


def choose_session(cohort: Cohort, report: Report, number: int | None) -> Session:
    """--session N, else the session whose date and start match the meeting's start."""
    if number is not None:
        return named_session(cohort, number)
    if report.presence_form:
        return _form_session(cohort, report)
    started = report.meeting_start or min(
        (v.join for v in report.visits if v.join is not None), default=None
    )
    if report.format == "csv" or started is None:
        raise InputError(
            Msg("{file}: the report does not say when the meeting started", file=report.source),
            hint=Msg("name the session with --session N (`revmental schedule show` lists them)"),
        )
    near = [s for s in cohort.sessions if abs(s.starts_at - started) <= SESSION_WINDOW]
    if len(near) == 1:
        return near[0]
    if not near:
        # A room opened long before (or overnight): the one session the meeting covers.
        leaves = [v.leave for v in report.visits if v.leave is not None]
        ended = report.meeting_end or max(leaves, default=started)
        covered = [s for s in cohort.sessions if s.starts_at < ended and s.ends_at > started]
        if len(covered) == 1:
            return covered[0]
    same_day = [s for s in cohort.sessions if s.date == started.date()]
    listed = near or same_day
    where = _where(listed) or Msg(
        "no session of {cohort} on {date}", cohort=cohort.id, date=started.date()
    )
    said = {"file": report.source, "start": f"{started:%Y-%m-%d %H:%M}", "where": where}
    raise InputError(
        Msg("{file}: the meeting started {start}; it could be several sessions ({where})", **said)
        if len(near) > 1
        else Msg(
            "{file}: the meeting started {start}; no session starts within an hour of it ({where})",
            **said,
        ),
        hint=Msg("name the session with --session N"),
    )


def _form_session(cohort: Cohort, report: Report) -> Session:
    """A presence form's session: the one on the day all its answers were sent."""
    answered = sorted(m.answered for m in report.marks if m.answered is not None)
    days = sorted({moment.date() for moment in answered})
    hint = Msg(
        "name the session with --session N; answers sent on another day are then listed, "
        "not counted"
    )
    if not days:
        raise InputError(
            Msg("{file}: the report does not say when the meeting started", file=report.source),
            hint=Msg("name the session with --session N (`revmental schedule show` lists them)"),
        )
    if len(days) > 1:
        raise InputError(
            Msg(
                "{file}: the form's answers were sent on several days ({days})",
                file=report.source,
                days=", ".join(map(str, days)),
            ),
            hint=hint,
        )
    on_the_day = [s for s in cohort.sessions if s.date == days[0]]
    if len(on_the_day) == 1:
        return on_the_day[0]
    # Two sessions that day: the one that starts near the first answer, as for a meeting.
    near = [s for s in on_the_day if abs(s.starts_at - answered[0]) <= SESSION_WINDOW]
    if len(near) == 1:
        return near[0]
    where = _where(on_the_day) or Msg(
        "no session of {cohort} on {date}", cohort=cohort.id, date=days[0]
    )
    raise InputError(
        Msg(
            "{file}: the form's answers were sent on {date}; which session? ({where})",
            file=report.source,
            date=days[0],
            where=where,
        ),
        hint=hint,
    )


def check_overlap(report: Report, session: Session) -> None:
    """A report none of whose rows touch the session is for another day (a wrong --session,
    or day-first dates read month-first): importing it would mark everyone absent.

    A row with a join time alone (Meet's "First Seen" and "Time in Call") touches the session
    when it is on the session's day before its end (see visit_span)."""
    from revmental_cli.domain.attendance import visit_span

    if report.format == "csv":
        return
    # Lazily: the first row that touches the session settles it, usually the first row.
    spans = (span for v in report.visits if (span := visit_span(v)) is not None)
    start, end = session.starts_at, session.ends_at
    timed = False
    for a, b in spans:
        if a < end and b > start:
            return
        timed = True
    if not timed:
        return
    first = min(t for v in report.visits for t in (v.join, v.leave) if t is not None)
    hint = (
        Msg("check --session, and that the report's dates are month-first as Zoom writes them")
        if report.format == "zoom"
        else Msg("check --session, or leave it out to find the session from the report's times")
    )
    raise InputError(
        Msg(
            "{file}: no row of the report falls within session {number} ({date} {start}-{end}); "
            "the report starts {first}",
            file=report.source,
            number=session.number,
            date=session.date,
            start=f"{session.start:%H:%M}",
            end=f"{session.end:%H:%M}",
            first=f"{first:%Y-%m-%d %H:%M}",
        ),
        hint=hint,
    )


def settle_form_reading(cohort: Cohort, report: Report, session_no: int | None) -> None:
    """Read a presence form's dates the way the schedule fits, when they do not tell day from
    month themselves ("01/10/2021"); refuse, naming both readings, when the schedule does not
    tell either. The header's language is no proof: Indonesian sheets keep "Timestamp"."""
    from revmental_cli.domain.attendance import form_reading_for

    readings = report.form_readings
    if readings is None:
        return
    session = named_session(cohort, session_no) if session_no is not None else None
    chosen = form_reading_for(
        readings.marks,
        {s.date for s in cohort.sessions},
        session.date if session is not None else None,
    )
    if chosen is not None:
        report.marks = readings.marks[chosen]
        return

    def days(order: str) -> str:
        found = sorted({m.answered.date() for m in readings.marks[order] if m.answered})
        return ", ".join(map(str, found))

    where = {
        "file": report.source,
        "line": readings.line,
        "column": readings.column,
        "value": repr(readings.value),
    }
    both = {"day_first": days("dmy"), "month_first": days("mdy")}
    if session is None:
        raise InputError(
            Msg(
                "{file}: line {line}: {column}: {value} can be read day-first or month-first, "
                "and the schedule does not tell which",
                **where,
            ),
            hint=Msg(
                "read day-first, the answers were sent on {day_first}; month-first, on "
                "{month_first}; name the session with --session N",
                **both,
            ),
        )
    raise InputError(
        Msg(
            "{file}: line {line}: {column}: read day-first or month-first, no answer of the "
            "form was sent on the date of session {number} ({date})",
            **where,
            number=session.number,
            date=session.date,
        ),
        hint=Msg(
            "read day-first, the answers were sent on {day_first}; month-first, on "
            "{month_first}; check --session",
            **both,
        ),
    )


def check_form_dates(report: Report, session: Session) -> None:
    """A presence form none of whose answers is from the session's day is for another session:
    importing it would mark everyone absent."""
    if not report.presence_form:
        return
    days = sorted({m.answered.date() for m in report.marks if m.answered is not None})
    if not days or session.date in days:
        return
    raise InputError(
        Msg(
            "{file}: no answer of the form was sent on the date of session {number} ({date}); "
            "they were sent on {days}",
            file=report.source,
            number=session.number,
            date=session.date,
            days=", ".join(map(str, days)),
        ),
        hint=Msg("check --session, or leave it out to find the session from the answers' dates"),
    )
