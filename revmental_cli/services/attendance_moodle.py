"""A Moodle Attendance export's columns placed in the cohort's sessions.

Owns the matching of each session column (its date, and its time when the title gives one)
to one session of the schedule, the refusal of a column that fits none (or of two columns for
one session), and the per-session Report each column becomes. Pure: never opens the store,
never prints, never reads a file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from revmental_cli.errors import InputError
from revmental_cli.messages import Msg
from revmental_cli.services.attendance_sessions import SESSION_WINDOW, named_session

if TYPE_CHECKING:
    from revmental_cli.domain.cohort import Cohort, Session
    from revmental_cli.importers.attendance import Report
    from revmental_cli.importers.attendance.moodle import MoodleExport, MoodleSession


def _session_of(cohort: Cohort, column: MoodleSession) -> Session | None:
    same_day = [s for s in cohort.sessions if s.date == column.day]
    if len(same_day) <= 1 or column.starts is None:
        return same_day[0] if len(same_day) == 1 else None
    near = [s for s in same_day if abs(s.starts_at - column.starts) <= SESSION_WINDOW]
    return near[0] if len(near) == 1 else None


def _titles(columns: list[MoodleSession]) -> str:
    return ", ".join(repr(c.title) for c in columns)


def moodle_columns(
    cohort: Cohort, export: MoodleExport, session_no: int | None
) -> list[tuple[Session, MoodleSession]]:
    """Each column of the export with its session: with --session N, that session's column
    only; else every column, all or nothing."""
    if session_no is not None:
        session = named_session(cohort, session_no)
        fitting = [c for c in export.sessions if _session_of(cohort, c) == session]
        if len(fitting) != 1:
            raise InputError(
                Msg(
                    "{file}: no single column is dated {date} for session {number}; its "
                    "columns: {columns}",
                    file=export.source,
                    date=session.date,
                    number=session.number,
                    columns=_titles(export.sessions),
                ),
                hint=Msg("leave --session out: each column is placed in its session by its date"),
            )
        return [(session, fitting[0])]
    placed: list[tuple[Session, MoodleSession]] = []
    taken: dict[int, MoodleSession] = {}
    for column in export.sessions:
        found = _session_of(cohort, column)
        if found is None:
            on_the_day = [s.number for s in cohort.sessions if s.date == column.day]
            raise InputError(
                Msg(
                    "{file}: the column {title} is dated {date}, and no session of {cohort} "
                    "is ({found}); nothing was imported",
                    file=export.source,
                    title=repr(column.title),
                    date=column.day,
                    cohort=cohort.id,
                    found=(
                        Msg(
                            "sessions {numbers} are that day, at other times",
                            numbers=", ".join(map(str, on_the_day)),
                        )
                        if on_the_day
                        else Msg("none is that day")
                    ),
                ),
                hint=Msg(
                    "import the columns that are the cohort's one by one with --session N, "
                    "or check the schedule (`revmental schedule show`)"
                ),
            )
        session = found
        if session.number in taken:
            raise InputError(
                Msg(
                    "{file}: the columns {first} and {second} are both session {number}",
                    file=export.source,
                    first=repr(taken[session.number].title),
                    second=repr(column.title),
                    number=session.number,
                ),
                hint=Msg("export the sessions again, one column per session"),
            )
        taken[session.number] = column
        placed.append((session, column))
    return placed


def column_report(whole: Report, column: MoodleSession) -> Report:
    """One column of the export as the report of its session (``format`` "moodle")."""
    from revmental_cli.importers.attendance import Report

    report = Report("moodle", whole.source, header_line=whole.header_line)
    report.moodle_marks = list(column.marks)
    report.topic = column.title
    return report


def unmarked_note(report: Report, session: Session) -> str | None:
    """Who has no mark in the column ("?", "-", empty): not a reason to refuse (a session not
    yet taken for a group), but they are recorded absent, which must be said."""
    blank = [m for m in report.moodle_marks if m.status is None]
    if not blank:
        return None
    return Msg(
        "{file}: session {number} ({title}): {count} row(s) without a mark ({marks}) are not "
        "read; enrolled participants without a mark are recorded absent",
        file=report.source,
        number=session.number,
        title=report.topic,
        count=len(blank),
        marks=", ".join(dict.fromkeys(repr(m.acronym) for m in blank)),
    )
