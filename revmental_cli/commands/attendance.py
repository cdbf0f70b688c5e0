"""attendance: Zoom/Meet reports and manual marks to present/late/excused/sick/absent."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from revmental_cli.commands import noun_app, options
from revmental_cli.context import cohort_for, open_store, require_open
from revmental_cli.errors import InputError, NotFound, Problem, UsageError, ValidationFailed
from revmental_cli.i18n import N_, _

if TYPE_CHECKING:
    from revmental_cli.domain.cohort import Cohort, Session
    from revmental_cli.importers.attendance import Report, Visit

app = noun_app("attendance")

SESSION_WINDOW = dt.timedelta(hours=1)  # a meeting may start this far from its session


def _named_session(cohort: Cohort, number: int) -> Session:
    session = cohort.session(number)
    if session is None:
        raise NotFound(
            _("{cohort} has no session {number}").format(cohort=cohort.id, number=number),
            hint=_("sessions are numbered 1 to {last} (`revmental schedule show`)").format(
                last=len(cohort.sessions)
            ),
        )
    return session


def _where(sessions: list[Session]) -> str:
    return "; ".join(
        _("session {number}: {date} {start}-{end} {title}").format(
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
        return _named_session(cohort, number)
    if report.presence_form:
        return _form_session(cohort, report)
    started = report.meeting_start or min(
        (v.join for v in report.visits if v.join is not None), default=None
    )
    if report.format == "csv" or started is None:
        raise InputError(
            _("{file}: the report does not say when the meeting started").format(
                file=report.source
            ),
            hint=_("name the session with --session N (`revmental schedule show` lists them)"),
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
    where = _where(listed) or _("no session of {cohort} on {date}").format(
        cohort=cohort.id, date=started.date()
    )
    message = (
        _("{file}: the meeting started {start}; it could be several sessions ({where})")
        if len(near) > 1
        else _(
            "{file}: the meeting started {start}; no session starts within an hour of it ({where})"
        )
    )
    raise InputError(
        message.format(file=report.source, start=f"{started:%Y-%m-%d %H:%M}", where=where),
        hint=_("name the session with --session N"),
    )


def _form_session(cohort: Cohort, report: Report) -> Session:
    """A presence form's session: the one on the day all its answers were sent."""
    answered = sorted(m.answered for m in report.marks if m.answered is not None)
    days = sorted({moment.date() for moment in answered})
    hint = _(
        "name the session with --session N; answers sent on another day are then listed, "
        "not counted"
    )
    if not days:
        raise InputError(
            _("{file}: the report does not say when the meeting started").format(
                file=report.source
            ),
            hint=_("name the session with --session N (`revmental schedule show` lists them)"),
        )
    if len(days) > 1:
        raise InputError(
            _("{file}: the form's answers were sent on several days ({days})").format(
                file=report.source, days=", ".join(map(str, days))
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
    where = _where(on_the_day) or _("no session of {cohort} on {date}").format(
        cohort=cohort.id, date=days[0]
    )
    raise InputError(
        _("{file}: the form's answers were sent on {date}; which session? ({where})").format(
            file=report.source, date=days[0], where=where
        ),
        hint=hint,
    )


@app.command("import")
def import_(
    files: list[Path] = typer.Argument(
        ..., metavar="FILE...", help="Zoom or Meet reports, or sheets (one session each)."
    ),
    cohort_id: str | None = options.COHORT,
    session_no: int | None = typer.Option(
        None,
        "--session",
        "-s",
        metavar="N",
        help="The session (default: from the report).",
        autocompletion=options.COMPLETE_SESSION,
    ),
    format_: str | None = typer.Option(
        None, "--format", metavar="zoom|meet|csv", help="Force the format (default: detected)."
    ),
    overwrite: bool = typer.Option(
        False, "--overwrite", help="Replace manual marks too (they are kept by default)."
    ),
    dry_run: bool = options.DRY_RUN,
    json_: bool = options.JSON,
) -> None:
    """Import a session's attendance from a Zoom or Google Meet report, or a plain sheet.

    Participants are matched by email, then a NIP or the NDH in the display name, then the
    name without titles; rows that match nobody are listed, never guessed. Enrolled
    participants missing from the report are absent. Manual marks are kept unless
    --overwrite. Several files are imported together, all or nothing; reports of one session
    (a meeting restarted) are merged into it.

    Example:

        revmental attendance import examples/attendance/zoom-sesi-01.csv --dry-run
    """
    from revmental_cli import render
    from revmental_cli.store import last_import, save_attendance

    if format_ is not None and format_.lower() not in ("zoom", "meet", "csv"):
        raise UsageError(
            _("unknown format '{format}'").format(format=format_), hint=_("use zoom, meet or csv")
        )
    if session_no is not None and len(files) > 1:
        raise UsageError(
            _("--session names one session: import one file with it"),
            hint=_("leave --session out to find each report's session by its time"),
        )
    files = options.expand_patterns(files)
    with open_store("attendance import") as store:
        row = cohort_for(store, cohort_id)
        require_open(row)
        cohort = row.cohort
        fmt = format_.lower() if format_ else None
        parts = [_read(cohort, file, session_no, fmt) for file in files]
        groups = _by_session(parts)
        for group in groups:
            _check_not_empty(group)
            if len(group) == 1 and group[0].empty is None:  # parts given together cover more
                _warn_partial(group[0].report, group[0].session)
        planned = [_plan(store, cohort, group) for group in groups]
        # A dry run only reads: it must not take (or wait for) the write lock.
        with contextlib.nullcontext() if dry_run else store.write():
            if not dry_run:
                store.assert_open(cohort.id)
            for plan in planned:
                paths: list[Path] = plan.pop("_paths")
                source_file = "; ".join(map(str, paths))
                # The parts of a restarted meeting imported one after the other: the second
                # replaces the first. Allowed (a corrected export replaces a wrong one), never
                # silent.
                # Files are told apart by their content (the same report under another path,
                # or imported again, replaces nothing new).
                earlier = last_import(store, cohort.id, plan["session"])
                now = {options.file_sha256(path) for path in paths}
                gone = sorted(file for sha, file in earlier.items() if sha not in now)
                if gone:
                    render.warning(
                        _(
                            "session {number} had attendance imported from {files}; this "
                            "import replaces it (two parts of one meeting: give both files "
                            "in one import, and they are merged)"
                        ).format(number=plan["session"], files=", ".join(gone))
                    )
                outcome = save_attendance(
                    store,
                    cohort.id,
                    plan["session"],
                    plan.pop("_rows"),
                    source="import",
                    source_file=source_file,
                    overwrite=overwrite,
                    write=not dry_run,
                )
                _show_kept(plan, outcome.kept)
                plan.update(
                    created=outcome.created,
                    updated=outcome.updated,
                    unchanged=outcome.unchanged,
                    kept_manual=outcome.kept_manual,
                    written=not dry_run,
                )
                if not dry_run:
                    merged = f" (merged from {len(paths)} reports)" if len(paths) > 1 else ""
                    for path in paths:  # one line per file: each has its own SHA-256
                        store.record(
                            f"attendance of {cohort.id} session {plan['session']}{merged}: "
                            + ", ".join(f"{v} {k}" for k, v in plan["summary"].items())
                            + f"; {len(plan['unmatched'])} unmatched",
                            cohort_id=cohort.id,
                            file=str(path),
                            sha256=options.file_sha256(path),
                        )
        if not dry_run:
            from revmental_cli.commands.certificate import warn_stale_certificates

            warn_stale_certificates(store, cohort)
    if json_:
        render.emit_json(planned[0] if len(planned) == 1 else planned)
        return
    for plan in planned:
        render.attendance_import(cohort, cohort.session(plan["session"]), plan, dry_run=dry_run)


@dataclass
class _Part:
    """One file read, checked and placed in its session."""

    file: Path
    report: Report
    session: Session
    # Why the report has nobody to credit (header only, host only), or None: refused only
    # when the other reports of its session have nobody either (_check_not_empty).
    empty: InputError | None = None


def _read(cohort: Cohort, file: Path, session_no: int | None, fmt: str | None) -> _Part:
    """Read one file and find its session; refuse a file that would record nonsense."""
    from revmental_cli.importers.attendance import read_report

    # The named session is checked first: its date places times written alone.
    day = _named_session(cohort, session_no).date if session_no is not None else None
    report, problems = read_report(file, format=fmt, day=day)
    if problems:
        raise ValidationFailed(
            problems,
            _("{file}: {count} problem(s); nothing was written").format(
                file=report.source, count=len(problems)
            ),
            hint=_("fix the rows named above, or export the report again"),
        )
    if report.form_readings is not None:
        _settle_form_reading(cohort, report, session_no)
    empty = _emptiness(report)

    def place(report: Report) -> Session:
        session = choose_session(cohort, report, session_no)
        if empty is None:
            _check_overlap(report, session)
            _check_form_dates(report, session)
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
        from revmental_cli import render

        render.info(
            _(
                "{file}: its dates are read day-first (DD/MM/YYYY, as an Indonesian Excel "
                "saves them): that way they fall on session {number}"
            ).format(file=report.source, number=session.number)
        )
    if report.ignored_columns:
        from revmental_cli import render

        render.info(
            _("{file}: ignored columns: {columns}").format(
                file=report.source, columns=", ".join(report.ignored_columns)
            )
        )
    return _Part(file, report, session, empty)


def _by_session(parts: list[_Part]) -> list[list[_Part]]:
    """Group the files by session, in the order given; refuse what cannot be merged.

    Two reports of one session are one meeting restarted (or a second room): their rows are
    merged, as reconnects are. A sheet states everyone's status, so two of them (or a sheet
    and a report) would contradict each other; the same export twice would count twice.
    """
    groups: dict[int, list[_Part]] = {}
    for part in parts:
        groups.setdefault(part.session.number, []).append(part)
    for number, group in groups.items():
        if len(group) < 2:
            continue
        names = ", ".join(part.report.source for part in group)
        if any(part.report.format == "csv" for part in group):
            raise InputError(
                _(
                    "{files} are all for session {number}, and a sheet cannot be merged with "
                    "another file"
                ).format(files=names, number=number),
                hint=_(
                    "put the rows in one sheet: importing the files one after the other would "
                    "keep only the last one's statuses"
                ),
            )
        seen: dict[tuple[str, ...], str] = {}
        for part in group:
            report = part.report
            keys: list[tuple[str, ...]] = [("sha256", options.file_sha256(part.file))]
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
                        _(
                            "{first} and {second} are the same meeting of session {number}, "
                            "exported twice; merging them would count it twice"
                        ).format(first=seen[key], second=report.source, number=number),
                        hint=_("import one of them"),
                    )
                seen[key] = report.source
    return list(groups.values())


def _plan(store: Any, cohort: Cohort, parts: list[_Part]) -> dict[str, Any]:
    """Decide every enrolled participant's status for the session of the files in ``parts``."""
    from revmental_cli.domain.attendance import (
        Person,
        attendance_in_reports,
        first_join,
        form_answers_for,
        match_visits,
    )
    from revmental_cli.store import enrolled_people

    session = parts[0].session
    people = [
        Person(nip, ndh, name, email) for nip, ndh, name, email in enrolled_people(store, cohort.id)
    ]
    results: dict[str, tuple[str, float | None, str | None, str]] = {}
    unmatched: list[dict[str, Any]] = []
    hosts: list[str] = []
    names = {p.nip: p.name for p in people}
    report = parts[0].report
    if report.format == "csv":  # alone in its session: _by_session saw to it
        marks = report.marks
        if report.presence_form:
            marks, elsewhere = form_answers_for(report.marks, session.date)
            for m in elsewhere:
                sent = m.answered.date() if m.answered else None  # never None: another day
                unmatched.append(
                    {
                        "line": m.line,
                        "file": report.source,
                        "name": m.name or m.nip,
                        "email": None,
                        "reason": f"answered on {sent}, not the session's date",
                        "candidates": [{"nip": m.nip, "name": names[m.nip]}]
                        if m.nip in names
                        else [],
                    }
                )
        enrolled = {p.nip for p in people}
        if report.presence_form:
            # Anyone can fill a presence form (a facilitator, a guest): like a report's row
            # that matches nobody, such an answer is listed, not a reason to refuse the list.
            # An administrator's own status sheet is refused instead: there it is a typo.
            strangers = [m for m in marks if m.nip not in enrolled]
            marks = [m for m in marks if m.nip in enrolled]
            unmatched.extend(
                {
                    "line": m.line,
                    "file": report.source,
                    "name": m.name or m.nip,
                    "email": None,
                    "reason": "not enrolled",
                    "candidates": [],
                }
                for m in strangers
            )
        bad = [
            Problem(
                _("{nip} is not enrolled in {cohort}").format(nip=m.nip, cohort=cohort.id),
                report.source,
                m.line,
                "NIP",
                _("check the NIP, or import the participant into the roster first"),
            )
            for m in marks
            if m.nip not in enrolled
        ]
        if bad:
            raise ValidationFailed(
                bad,
                _("{file}: {count} problem(s); nothing was written").format(
                    file=report.source, count=len(bad)
                ),
            )
        first_line: dict[str, int] = {}
        duplicates = []
        for m in marks:
            if m.nip in first_line:
                duplicates.append(
                    Problem(
                        _("{nip} is also on line {line}").format(nip=m.nip, line=first_line[m.nip]),
                        report.source,
                        m.line,
                        "NIP",
                        _("keep one row per participant"),
                    )
                )
            first_line.setdefault(m.nip, m.line)
            results[m.nip] = (m.status, m.minutes, None, "sheet")
        if duplicates:
            raise ValidationFailed(
                duplicates,
                _("{file}: {count} problem(s); nothing was written").format(
                    file=report.source, count=len(duplicates)
                ),
            )
    else:
        visits = [v for part in parts for v in part.report.visits]
        # Which report a row came from: its host, and the file to name for an unmatched row.
        owner = {id(v): part.report for part in parts for v in part.report.visits}
        match = match_visits(visits, people, [f.name for f in cohort.facilitators])
        for nip, found in match.matched.items():
            # Per report: two exports of one meeting must not add up (attendance_in_reports).
            per_report: dict[int, list[Visit]] = {}
            for v in found:
                per_report.setdefault(id(owner[id(v)]), []).append(v)
            status, minutes = attendance_in_reports(
                list(per_report.values()), session.starts_at, session.ends_at, cohort.attendance
            )
            joined = first_join(found, session.starts_at, session.ends_at)
            first = joined.isoformat(timespec="minutes") if joined else None
            results[nip] = (status, round(minutes, 2), first, match.how.get(nip, ""))
        for u in match.unmatched:
            source = owner[id(u.visit)]
            if _is_host(source, u.visit):
                hosts.append(u.visit.name)
                continue
            unmatched.append(
                {
                    "line": u.visit.line,
                    "file": source.source,
                    "name": u.visit.name,
                    "email": u.visit.email or None,
                    "reason": u.reason,
                    "candidates": [{"nip": n, "name": names.get(n, "")} for n in u.candidates],
                }
            )
    for p in people:  # missing from the report: absent
        results.setdefault(
            p.nip, ("absent", 0.0 if report.format != "csv" else None, None, "missing")
        )
    formats = list(dict.fromkeys(part.report.format for part in parts))
    return {
        "cohort": cohort.id,
        "session": session.number,
        "file": str(parts[0].file),
        "files": [str(part.file) for part in parts],
        "format": "+".join(formats),
        "written": False,
        "participants": [
            {
                "ndh": p.ndh,
                "nip": p.nip,
                "name": p.name,
                "status": results[p.nip][0],
                "minutes": results[p.nip][1],
                "first_join": results[p.nip][2],
                "matched_by": results[p.nip][3],
            }
            for p in sorted(people, key=lambda p: p.ndh)
        ],
        "unmatched": unmatched,
        "host": list(dict.fromkeys(hosts)),
        "summary": _counts(results),
        "_rows": [(nip, s, m, first, None) for nip, (s, m, first, _how) in results.items()],
        "_paths": [part.file for part in parts],
    }


def _show_kept(plan: dict[str, Any], kept: dict[str, str]) -> None:
    """Report what is recorded: a manual mark the import kept wins over the report's view."""
    if not kept:
        return
    for p in plan["participants"]:
        if p["nip"] in kept:
            p["report_status"] = p["status"]
            p["status"] = kept[p["nip"]]
            p["matched_by"] = "manual (kept)"
    counts = {s: 0 for s in plan["summary"]}
    for p in plan["participants"]:
        counts[p["status"]] += 1
    plan["summary"] = counts


_EMPTY_HINT = N_(
    "importing it would mark everyone absent; check that this is the right file, "
    "or export it again once the participants have joined"
)


def _emptiness(report: Report) -> InputError | None:
    """Why a report has nobody in it (exported too early, or the wrong one), or None."""
    if report.format == "csv":
        if report.marks:
            return None
        return InputError(
            _("{file}: no rows under the header (line {line})").format(
                file=report.source, line=report.header_line
            ),
            hint=_(_EMPTY_HINT),
        )
    hosts = [v.name for v in report.visits if _is_host(report, v)]
    if len(hosts) < len(report.visits):
        return None
    if hosts:
        message = _(
            "{file}: no participant rows under the header (line {line}): only the host ({host})"
        ).format(file=report.source, line=report.header_line, host=", ".join(dict.fromkeys(hosts)))
    else:
        message = _("{file}: no participant rows under the header (line {line})").format(
            file=report.source, line=report.header_line
        )
    return InputError(message, hint=_(_EMPTY_HINT))


def _check_not_empty(group: list[_Part]) -> None:
    """Refuse a session whose reports have nobody in them: importing it would mark everyone
    absent, over whatever a good report recorded before. One empty report among others of its
    session (a restart where only the host came back) adds nothing and takes nothing away."""
    errors = [part.empty for part in group if part.empty is not None]
    if len(errors) == len(group):
        raise errors[0]


def _warn_partial(report: Report, session: Session) -> None:
    """A report whose rows cover little of the session is often one part of a meeting that
    was restarted: the other part's people would be marked absent."""
    from revmental_cli import render
    from revmental_cli.domain.attendance import visit_span

    if report.format == "csv":
        return
    spans = [span for v in report.visits if (span := visit_span(v)) is not None]
    if not spans:
        return
    start = max(min(a for a, _b in spans), session.starts_at)
    end = min(max(b for _a, b in spans), session.ends_at)
    covered = max((end - start).total_seconds() / 60, 0)
    if covered < 0.6 * session.minutes:
        render.warning(
            _(
                "{file}: its times cover {start}-{end} of session {number} ({begins}-{ends}); "
                "if the meeting was restarted, import its parts together"
            ).format(
                file=report.source,
                start=f"{start:%H:%M}",
                end=f"{end:%H:%M}",
                number=session.number,
                begins=f"{session.start:%H:%M}",
                ends=f"{session.end:%H:%M}",
            )
        )


def _check_overlap(report: Report, session: Session) -> None:
    """A report none of whose rows touch the session is for another day (a wrong --session,
    or day-first dates read month-first): importing it would mark everyone absent.

    A row with a join time alone (Meet's "First Seen" and "Time in Call") touches the session
    when it is on the session's day before its end (see visit_span)."""
    from revmental_cli.domain.attendance import visit_span

    if report.format == "csv":
        return
    spans = [span for v in report.visits if (span := visit_span(v)) is not None]
    if not spans:
        return
    if any(a < session.ends_at and b > session.starts_at for a, b in spans):
        return
    first = min(t for v in report.visits for t in (v.join, v.leave) if t is not None)
    hint = (
        _("check --session, and that the report's dates are month-first as Zoom writes them")
        if report.format == "zoom"
        else _("check --session, or leave it out to find the session from the report's times")
    )
    raise InputError(
        _(
            "{file}: no row of the report falls within session {number} ({date} {start}-{end}); "
            "the report starts {first}"
        ).format(
            file=report.source,
            number=session.number,
            date=session.date,
            start=f"{session.start:%H:%M}",
            end=f"{session.end:%H:%M}",
            first=f"{first:%Y-%m-%d %H:%M}",
        ),
        hint=hint,
    )


def _settle_form_reading(cohort: Cohort, report: Report, session_no: int | None) -> None:
    """Read a presence form's dates the way the schedule fits, when they do not tell day from
    month themselves ("01/10/2021"); refuse, naming both readings, when the schedule does not
    tell either. The header's language is no proof: Indonesian sheets keep "Timestamp"."""
    from revmental_cli.domain.attendance import form_reading_for

    readings = report.form_readings
    if readings is None:
        return
    session = _named_session(cohort, session_no) if session_no is not None else None
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
            _(
                "{file}: line {line}: {column}: {value} can be read day-first or month-first, "
                "and the schedule does not tell which"
            ).format(**where),
            hint=_(
                "read day-first, the answers were sent on {day_first}; month-first, on "
                "{month_first}; name the session with --session N"
            ).format(**both),
        )
    raise InputError(
        _(
            "{file}: line {line}: {column}: read day-first or month-first, no answer of the "
            "form was sent on the date of session {number} ({date})"
        ).format(**where, number=session.number, date=session.date),
        hint=_(
            "read day-first, the answers were sent on {day_first}; month-first, on "
            "{month_first}; check --session"
        ).format(**both),
    )


def _check_form_dates(report: Report, session: Session) -> None:
    """A presence form none of whose answers is from the session's day is for another session:
    importing it would mark everyone absent."""
    if not report.presence_form:
        return
    days = sorted({m.answered.date() for m in report.marks if m.answered is not None})
    if not days or session.date in days:
        return
    raise InputError(
        _(
            "{file}: no answer of the form was sent on the date of session {number} ({date}); "
            "they were sent on {days}"
        ).format(
            file=report.source,
            number=session.number,
            date=session.date,
            days=", ".join(map(str, days)),
        ),
        hint=_("check --session, or leave it out to find the session from the answers' dates"),
    )


def _is_host(report: Report, visit: Any) -> bool:
    """The account that ran the meeting is no participant: its e-mail is the meeting's User
    Email, or (in exports without the meeting block) it joined at the meeting's very start."""
    if report.host_email and visit.email == report.host_email:
        return True
    return report.meeting_start is not None and visit.join == report.meeting_start


def _counts(results: dict[str, tuple[str, Any, Any, Any]]) -> dict[str, int]:
    counts = {s: 0 for s in ("present", "late", "excused", "sick", "absent")}
    for status, *_rest in results.values():
        counts[status] += 1
    return counts


@app.command("mark")
def mark(
    nips: list[str] = typer.Argument(
        ..., metavar="NIP...", help="One or more NIPs.", autocompletion=options.COMPLETE_NIP
    ),
    session_no: int = typer.Option(
        ...,
        "--session",
        "-s",
        metavar="N",
        help="The session.",
        autocompletion=options.COMPLETE_SESSION,
    ),
    status: str = typer.Option(
        ...,
        "--status",
        metavar="STATUS",
        help="present, late, excused, sick or absent (or hadir, terlambat, izin, sakit, alpa).",
    ),
    cohort_id: str | None = options.COHORT,
    note: str | None = typer.Option(None, "--note", metavar="TEXT", help="Why, for the record."),
) -> None:
    """Mark participants' attendance by hand; a later report import keeps these marks.

    Example:

        revmental attendance mark 198309222012091919 -s 3 --status sakit --note "surat dokter"
    """
    from revmental_cli import render
    from revmental_cli.domain.person import FieldError, normalize_nip
    from revmental_cli.importers.attendance import parse_status
    from revmental_cli.store import enrolled_people, save_attendance

    try:
        code = parse_status(status)
    except ValueError:
        raise InputError(
            _("unknown status '{status}'").format(status=status),
            hint=_(
                "use present, late, excused, sick or absent (hadir, terlambat, izin, sakit, alpa)"
            ),
        ) from None
    keys = []
    for raw in nips:
        try:
            keys.append(normalize_nip(raw, pppk=True))
        except FieldError as exc:
            raise InputError(
                _("{value} is not a NIP: {problem}").format(value=repr(raw), problem=exc.message),
                hint=exc.hint,
            ) from None
    with open_store("attendance mark") as store:
        row = cohort_for(store, cohort_id)
        require_open(row)
        cohort = row.cohort
        if cohort.session(session_no) is None:
            raise NotFound(
                _("{cohort} has no session {number}").format(cohort=cohort.id, number=session_no),
                hint=_("sessions are numbered 1 to {last}").format(last=len(cohort.sessions)),
            )
        enrolled = {nip: name for nip, _ndh, name, _email in enrolled_people(store, cohort.id)}
        unknown = [k for k in keys if k not in enrolled]
        if unknown:
            raise NotFound(
                _("not enrolled in {cohort}: {nips}").format(
                    cohort=cohort.id, nips=", ".join(unknown)
                ),
                hint=_("`revmental roster show` lists the participants"),
            )
        # A mark over what a report recorded (izin for someone Zoom saw for 168 minutes) is
        # allowed, a letter may explain it, but never without saying what it replaces.
        from revmental_cli.store import attendance as recorded_attendance

        for record in recorded_attendance(store, cohort.id, session_no):
            # Marking izin for someone the report has as absent is what marks are for: only a
            # recorded presence (or time in the meeting) is worth a word.
            attended = record.status in ("present", "late") or (record.minutes or 0) > 0
            if (
                record.nip in keys
                and record.source == "import"
                and record.status != code
                and attended
            ):
                render.warning(
                    _(
                        "{name}: the report of session {number} recorded {status}"
                        "{minutes}; the mark replaces it"
                    ).format(
                        name=record.name,
                        number=session_no,
                        status=render.word(render.ATT_LABEL, record.status),
                        minutes=f" ({record.minutes:g} min)" if record.minutes is not None else "",
                    )
                )
        keys = list(dict.fromkeys(keys))  # the same NIP twice is one mark
        with store.write():
            store.assert_open(cohort.id)
            save_attendance(
                store,
                cohort.id,
                session_no,
                [(k, code, None, None, note) for k in keys],
                source="manual",
                source_file=None,
                overwrite=True,
            )
            store.record(
                f"session {session_no}: {len(keys)} marked {code}" + (f" ({note})" if note else ""),
                cohort_id=cohort.id,
            )
        from revmental_cli.commands.certificate import warn_stale_certificates

        warn_stale_certificates(store, cohort)
    for k in keys:
        render.success(
            _("{cohort} session {number}: {name} marked {status}").format(
                cohort=cohort.id,
                number=session_no,
                name=enrolled[k],
                status=render.word(render.ATT_LABEL, code),
            )
        )


@app.command("show")
def show(
    cohort_id: str | None = options.COHORT,
    session_no: int | None = typer.Option(
        None,
        "--session",
        "-s",
        metavar="N",
        help="One session (default: all, as a matrix).",
        autocompletion=options.COMPLETE_SESSION,
    ),
    json_: bool = options.JSON,
) -> None:
    """Show attendance: one session in detail, or every participant by every session.

    Example:

        revmental attendance show --session 1
    """
    from revmental_cli import render
    from revmental_cli.store import attendance, participants

    with open_store("attendance show") as store:
        cohort = cohort_for(store, cohort_id).cohort
        if session_no is not None and cohort.session(session_no) is None:
            raise NotFound(
                _("{cohort} has no session {number}").format(cohort=cohort.id, number=session_no),
                hint=_("sessions are numbered 1 to {last}").format(last=len(cohort.sessions)),
            )
        records = attendance(store, cohort.id, session_no)
        people = participants(store, cohort.id)
    if json_:
        render.emit_json(
            [
                {
                    "session": r.session,
                    "nip": r.nip,
                    "name": r.name,
                    "status": r.status,
                    "minutes": r.minutes,
                    "source": r.source,
                    "note": r.note,
                }
                for r in records
            ]
        )
        return
    if session_no is not None:
        render.attendance_session(cohort, cohort.session(session_no), records)
    else:
        render.attendance_matrix(cohort, people, records)
