"""Attendance files read for an import: each placed in its session, grouped, and refused
when importing it would record nonsense (nobody in it, the same export twice).

Never opens the store and never prints: notes on how a file was read go to the ``info``
callback the caller passes, and a warning comes back as text.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from revmental_cli.errors import InputError, ValidationFailed
from revmental_cli.messages import Joined, Msg
from revmental_cli.services.attendance_moodle import column_report, moodle_columns, unmarked_note
from revmental_cli.services.attendance_sessions import (
    check_form_dates,
    check_overlap,
    choose_session,
    named_session,
    settle_form_reading,
)
from revmental_cli.services.files import file_sha256

if TYPE_CHECKING:
    from revmental_cli.domain.cohort import Cohort, Session
    from revmental_cli.importers.attendance import Report


@dataclass
class Part:
    """One file read, checked and placed in its session."""

    file: Path
    report: Report
    session: Session
    # Why the report has nobody to credit (header only, host only), or None: refused only
    # when the other reports of its session have nobody either (check_not_empty).
    empty: InputError | None = None


def read_parts(
    cohort: Cohort,
    file: Path,
    session_no: int | None,
    fmt: str | None,
    info: Callable[[str], None],
) -> list[Part]:
    """Read one file and find its session (a Moodle export: each column's); refuse a file that
    would record nonsense. ``info`` hears how the file was read (dates read day-first, columns
    ignored, who was counted until a list's last time)."""
    from revmental_cli.importers.attendance import read_report

    # The named session is checked first: its date places times written alone.
    day = named_session(cohort, session_no).date if session_no is not None else None
    again = f"--session {session_no}" if session_no is not None else ""
    try:
        report, problems = read_report(file, format=fmt, day=day, again=again)
    except InputError as exc:
        # Only a Teams list raises AmbiguousDates: its module (stamps.py) loads with it, so a
        # Zoom import does not load it to name the exception it never meets.
        from revmental_cli.importers.attendance.stamps import AmbiguousDates

        if day is not None or not isinstance(exc, AmbiguousDates):
            raise
        report, problems = _by_the_schedule(cohort, file, fmt)
    _refuse_problems(report, problems)
    for note in report.notes:
        info(note)
    if report.moodle is not None:
        parts = []
        for session, column in moodle_columns(cohort, report.moodle, session_no):
            part_report = column_report(report, column)
            parts.append(Part(file, part_report, session, emptiness(part_report)))
            if blank := unmarked_note(part_report, session):
                info(blank)
        _say_ignored(report, info)
        if report.moodle.totals:
            info(
                Msg(
                    "{file}: Moodle's totals are not read (recomputed from the marks): {columns}",
                    file=report.source,
                    columns=", ".join(report.moodle.totals),
                )
            )
        return parts
    return [_place(cohort, file, report, session_no, fmt, day, info)]


def _by_the_schedule(cohort: Cohort, file: Path, fmt: str | None) -> tuple[Report, list[Any]]:
    """A Teams list whose dates read either way (01/10/2021): the reading that falls on one
    session's date, when only one does; else the reader's refusal, asking for --session."""
    from revmental_cli.importers.attendance import read_report
    from revmental_cli.importers.attendance.stamps import AmbiguousDates

    fitting = []
    for day in dict.fromkeys(s.date for s in cohort.sessions):
        try:
            fitting.append(read_report(file, format=fmt, day=day))
        except AmbiguousDates:
            continue
    if len(fitting) != 1:
        return read_report(file, format=fmt)  # raises, naming both readings
    return fitting[0]


def _refuse_problems(report: Report, problems: list[Any]) -> None:
    if problems:
        raise ValidationFailed(
            problems,
            Msg(
                "{file}: {count} problem(s); nothing was written",
                file=report.source,
                count=len(problems),
            ),
            hint=Msg("fix the rows named above, or export the report again"),
        )


def _say_ignored(report: Report, info: Callable[[str], None]) -> None:
    if report.ignored_columns:
        info(
            Msg(
                "{file}: ignored columns: {columns}",
                file=report.source,
                columns=", ".join(report.ignored_columns),
            )
        )


def _place(
    cohort: Cohort,
    file: Path,
    report: Report,
    session_no: int | None,
    fmt: str | None,
    day: Any,
    info: Callable[[str], None],
) -> Part:
    """Find the report's session, reading a re-saved Zoom report's dates day-first if that
    is what fits the schedule."""
    from revmental_cli.importers.attendance import read_report

    if report.form_readings is not None:
        settle_form_reading(cohort, report, session_no)
    empty = emptiness(report)

    def place(report: Report) -> Session:
        session = choose_session(cohort, report, session_no)
        if empty is None:
            check_overlap(report, session)
            check_form_dates(report, session)
        return session

    try:
        session = place(report)
    except InputError as wrong:
        # An empty report seldom tells its time; what is wrong is that it is empty.
        if empty is not None:
            raise empty from None
        # Only a report Excel re-saved (24-hour times) may be read the other way round; one
        # with AM/PM is as Zoom wrote it, and a session it does not fit is a wrong file.
        if report.format != "zoom" or report.date_order is not None or report.twelve_hour:
            raise
        # "10/06/2021" is 6 October day-first (an Indonesian Excel re-saved the report) or
        # 10 June month-first (as Zoom writes it): the schedule decides.
        swapped, problems = read_report(file, format=fmt, day=day, day_first=True)
        try:
            if problems:
                raise wrong
            session = place(swapped)
        except InputError:
            raise wrong from None
        report = swapped
        info(
            Msg(
                "{file}: its dates are read day-first (DD/MM/YYYY, as an Indonesian Excel "
                "saves them): that way they fall on session {number}",
                file=report.source,
                number=session.number,
            )
        )
    _say_ignored(report, info)
    return Part(file, report, session, empty)


def by_session(parts: list[Part]) -> list[list[Part]]:
    """Group the files by session, in the order given; refuse what cannot be merged.

    Two reports of one session are one meeting restarted (or a second room): their rows are
    merged, as reconnects are. A sheet states everyone's status, so two of them (or a sheet
    and a report) would contradict each other; the same export twice would count twice.
    """
    groups: dict[int, list[Part]] = {}
    for part in parts:
        groups.setdefault(part.session.number, []).append(part)
    for number, group in groups.items():
        if len(group) < 2:
            continue
        names = ", ".join(part.report.source for part in group)
        if any(part.report.format in ("csv", "moodle") for part in group):
            raise InputError(
                Msg(
                    "{files} are all for session {number}, and a sheet cannot be merged with "
                    "another file",
                    files=names,
                    number=number,
                ),
                hint=Msg(
                    "put the rows in one sheet: importing the files one after the other would "
                    "keep only the last one's statuses"
                ),
            )
        seen: dict[tuple[str, ...], str] = {}
        for part in group:
            report = part.report
            keys: list[tuple[str, ...]] = [("sha256", file_sha256(part.file))]
            if report.meeting_start is not None:
                keys.append(("meeting", report.meeting_id, report.meeting_start.isoformat()))
            if report.visits:
                # The same rows re-saved (Excel writes ";" and CRLF): other bytes, same report.
                keys.append(
                    (
                        "rows",
                        *sorted(
                            f"{v.name}\x1f{v.email}\x1f{v.join}\x1f{v.leave}\x1f{v.minutes}"
                            for v in report.visits
                        ),
                    )
                )
            for key in keys:
                if key in seen:
                    raise InputError(
                        Msg(
                            "{first} and {second} are the same meeting of session {number}, "
                            "exported twice; merging them would count it twice",
                            first=seen[key],
                            second=report.source,
                            number=number,
                        ),
                        hint=Msg("import one of them"),
                    )
                seen[key] = report.source
    return list(groups.values())


EMPTY_HINT = Msg(
    "importing it would mark everyone absent; check that this is the right file, "
    "or export it again once the participants have joined"
)


def emptiness(report: Report) -> InputError | None:
    """Why a report has nobody in it (exported too early, or the wrong one), or None."""
    if report.format == "moodle":
        if any(m.status is not None for m in report.moodle_marks):
            return None
        return InputError(
            Msg(
                "{file}: the column {title} has no marks",
                file=report.source,
                title=repr(report.topic),
            ),
            hint=EMPTY_HINT,
        )
    if report.format == "csv":
        if report.marks:
            return None
        return InputError(
            Msg(
                "{file}: no rows under the header (line {line})",
                file=report.source,
                line=report.header_line,
            ),
            hint=EMPTY_HINT,
        )
    hosts = [v.name for v in report.visits if is_host(report, v)]
    if len(hosts) < len(report.visits):
        return None
    if hosts:
        message = Msg(
            "{file}: no participant rows under the header (line {line}): only the host ({host})",
            file=report.source,
            line=report.header_line,
            host=", ".join(dict.fromkeys(hosts)),
        )
    else:
        message = Msg(
            "{file}: no participant rows under the header (line {line})",
            file=report.source,
            line=report.header_line,
        )
    return InputError(message, hint=EMPTY_HINT)


def check_not_empty(group: list[Part]) -> None:
    """Refuse a session whose reports have nobody in them: importing it would mark everyone
    absent, over whatever a good report recorded before. One empty report among others of its
    session (a restart where only the host came back) adds nothing and takes nothing away."""
    errors = [part.empty for part in group if part.empty is not None]
    if len(errors) == len(group):
        raise errors[0]


def partial_warning(report: Report, session: Session) -> str | None:
    """A report whose rows cover little of the session is often one part of a meeting that
    was restarted: the other part's people would be marked absent. The warning, or None."""
    from revmental_cli.domain.attendance import visit_span

    if report.format in ("csv", "moodle"):
        return None
    spans = [span for v in report.visits if (span := visit_span(v)) is not None]
    if not spans:
        return None
    start = max(min(a for a, _b in spans), session.starts_at)
    end = min(max(b for _a, b in spans), session.ends_at)
    covered = max((end - start).total_seconds() / 60, 0)
    if covered < 0.6 * session.minutes:
        return Msg(
            "{file}: its times cover {start}-{end} of session {number} ({begins}-{ends}); "
            "if the meeting was restarted, import its parts together",
            file=report.source,
            start=f"{start:%H:%M}",
            end=f"{end:%H:%M}",
            number=session.number,
            begins=f"{session.start:%H:%M}",
            ends=f"{session.end:%H:%M}",
        )
    return None


def is_host(report: Report, visit: Any) -> bool:
    """The account that ran the meeting is no participant: its e-mail is the meeting's User
    Email, or (in Zoom exports without the meeting block) it joined at the meeting's very
    start. A Teams report says who organized it by role; its start is merely the first join
    of anyone, so joining then proves nothing there."""
    if report.host_email and visit.email == report.host_email:
        return True
    if report.format == "teams":
        return getattr(visit, "role", "") == "organizer"
    return report.meeting_start is not None and visit.join == report.meeting_start


def clip_totals(part: Part) -> str | None:
    """Cut each total (Zoom's unique users, a Meet or Teams row whose duration is shorter than
    its span) to what it can speak for: its own first join to last leave, else the meeting's
    start to end, within the session. The warning naming who was cut and by how much, or None.
    """
    from revmental_cli.domain.attendance import merge_minutes

    report, session = part.report, part.session
    meeting = (
        (report.meeting_start, report.meeting_end)
        if report.meeting_start is not None and report.meeting_end is not None
        else None
    )
    cut: dict[str, float] = {}
    visits = []
    for visit in report.visits:
        if visit.total and visit.minutes is not None:
            if visit.join is not None and visit.leave is not None:
                bound: tuple[Any, Any] | None = (visit.join, visit.leave)
            else:
                bound = meeting if visit.join is None and visit.leave is None else None
            if bound is not None:
                most = merge_minutes([bound], session.starts_at, session.ends_at)
                if visit.minutes > most:
                    if not is_host(report, visit) and visit.minutes - most >= 1:
                        name = visit.name or visit.email
                        cut[name] = max(cut.get(name, 0.0), visit.minutes - most)
                    visit = dataclasses.replace(visit, minutes=most)
        visits.append(visit)
    report.visits = visits
    if not cut:
        return None
    start, end = meeting if meeting is not None else (session.starts_at, session.ends_at)
    return Msg(
        "{file}: {count} participant(s)' total duration is more than the time they can have "
        "spent in session {number} ({start}-{end}; the meeting ran {begins}-{ends}) and was cut "
        "to it: {who}",
        file=report.source,
        count=len(cut),
        number=session.number,
        start=f"{session.start:%H:%M}",
        end=f"{session.end:%H:%M}",
        begins=f"{start:%H:%M}",
        ends=f"{end:%H:%M}",
        who=Joined(
            (
                Msg("{name} by {minutes} min", name=name, minutes=f"{minutes:g}")
                for name, minutes in sorted(cut.items(), key=lambda item: -item[1])
            ),
            ", ",
        ),
    )
