"""attendance: Zoom/Meet reports and manual marks to present/late/excused/sick/absent."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from revmental_cli.commands import noun_app, options
from revmental_cli.context import cohort_for, open_store, require_open
from revmental_cli.errors import InputError, NotFound, Problem, UsageError, ValidationFailed
from revmental_cli.i18n import _

if TYPE_CHECKING:
    from revmental_cli.domain.cohort import Cohort, Session
    from revmental_cli.importers.attendance import Report

app = noun_app("attendance")

SESSION_WINDOW = dt.timedelta(hours=1)  # a meeting may start this far from its session


def choose_session(cohort: Cohort, report: Report, number: int | None) -> Session:
    """--session N, else the session whose date and start match the meeting's start."""
    if number is not None:
        session = cohort.session(number)
        if session is None:
            raise NotFound(
                _("{cohort} has no session {number}").format(cohort=cohort.id, number=number),
                hint=_("sessions are numbered 1 to {last} (`revmental schedule show`)").format(
                    last=len(cohort.sessions)
                ),
            )
        return session
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
    where = "; ".join(
        _("session {number}: {date} {start}-{end} {title}").format(
            number=s.number,
            date=s.date,
            start=f"{s.start:%H:%M}",
            end=f"{s.end:%H:%M}",
            title=s.title,
        )
        for s in listed
    ) or _("no session of {cohort} on {date}").format(cohort=cohort.id, date=started.date())
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
    --overwrite. Several files (one session each) are imported together, all or nothing.

    Example:

        revmental attendance import zoom-sesi-1.csv --dry-run
    """
    from revmental_cli import render
    from revmental_cli.store import save_attendance

    if format_ is not None and format_.lower() not in ("zoom", "meet", "csv"):
        raise InputError(
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
        planned = [
            _plan(store, cohort, file, session_no, format_.lower() if format_ else None)
            for file in files
        ]
        numbers = [p["session"] for p in planned]
        twice = sorted({n for n in numbers if numbers.count(n) > 1})
        if twice:
            raise InputError(
                _("several files are for the same session ({sessions})").format(
                    sessions=", ".join(map(str, twice))
                ),
                hint=_(
                    "import one report per session; for a session split in two meetings, "
                    "import each with --overwrite in turn"
                ),
            )
        # A dry run only reads: it must not take (or wait for) the write lock.
        with contextlib.nullcontext() if dry_run else store.write():
            if not dry_run:
                store.assert_open(cohort.id)
            for plan, file in zip(planned, files, strict=True):
                outcome = save_attendance(
                    store,
                    cohort.id,
                    plan["session"],
                    plan.pop("_rows"),
                    source="import",
                    source_file=str(file),
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
                    store.record(
                        f"attendance of {cohort.id} session {plan['session']}: "
                        + ", ".join(f"{v} {k}" for k, v in plan["summary"].items())
                        + f"; {len(plan['unmatched'])} unmatched",
                        cohort_id=cohort.id,
                        file=str(file),
                        sha256=options.file_sha256(file),
                    )
    if json_:
        render.emit_json(planned[0] if len(planned) == 1 else planned)
        return
    for plan in planned:
        render.attendance_import(cohort, cohort.session(plan["session"]), plan, dry_run=dry_run)


def _plan(
    store: Any, cohort: Cohort, file: Path, session_no: int | None, fmt: str | None
) -> dict[str, Any]:
    """Read one report and decide every enrolled participant's status for its session."""
    from revmental_cli.domain.attendance import Person, attendance_for, match_visits, status_for
    from revmental_cli.importers.attendance import read_report
    from revmental_cli.store import enrolled_people

    report, problems = read_report(file, format=fmt)
    if problems:
        raise ValidationFailed(
            problems,
            _("{file}: {count} problem(s); nothing was written").format(
                file=report.source, count=len(problems)
            ),
            hint=_("fix the rows named above, or export the report again"),
        )
    session = choose_session(cohort, report, session_no)
    _check_overlap(report, session)
    if report.ignored_columns:
        from revmental_cli import render

        render.info(
            _("{file}: ignored columns: {columns}").format(
                file=report.source, columns=", ".join(report.ignored_columns)
            )
        )
    people = [
        Person(nip, ndh, name, email) for nip, ndh, name, email in enrolled_people(store, cohort.id)
    ]
    results: dict[str, tuple[str, float | None, str | None, str]] = {}
    unmatched: list[dict[str, Any]] = []
    hosts: list[str] = []
    names = {p.nip: p.name for p in people}
    if report.format == "csv":
        enrolled = {p.nip for p in people}
        bad = [
            Problem(
                _("{nip} is not enrolled in {cohort}").format(nip=m.nip, cohort=cohort.id),
                report.source,
                m.line,
                "NIP",
                _("check the NIP, or import the participant into the roster first"),
            )
            for m in report.marks
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
        for m in report.marks:
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
        match = match_visits(report.visits, people)
        _facilitators_are_not_participants(cohort, match)
        for nip, visits in match.matched.items():
            joins = [v.join for v in visits if v.join is not None]
            if report.unique_users:
                # Join and leave are the first and the last: only Total Duration says how
                # long the person was really there.
                session_minutes = session.minutes
                minutes = min(sum(v.minutes or 0 for v in visits), session_minutes)
                status = status_for(
                    minutes,
                    min(joins) if joins else None,
                    session.starts_at,
                    session_minutes,
                    cohort.attendance,
                )
            else:
                status, minutes = attendance_for(
                    visits, session.starts_at, session.ends_at, cohort.attendance
                )
            first = min(joins).isoformat(timespec="minutes") if joins else None
            results[nip] = (status, round(minutes, 2), first, match.how.get(nip, ""))
        for u in match.unmatched:
            if _is_host(report, u.visit):
                hosts.append(u.visit.name)
                continue
            unmatched.append(
                {
                    "line": u.visit.line,
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
    return {
        "cohort": cohort.id,
        "session": session.number,
        "file": str(file),
        "format": report.format,
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
        "host": hosts,
        "summary": _counts(results),
        "_rows": [(nip, s, m, first, None) for nip, (s, m, first, _how) in results.items()],
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


def _check_overlap(report: Report, session: Session) -> None:
    """A report none of whose rows touch the session is for another day (a wrong --session,
    or day-first dates read month-first): importing it would mark everyone absent."""
    if report.format == "csv":
        return
    timed = [(v.join, v.leave) for v in report.visits if v.join and v.leave]
    if not timed:
        return
    if any(join < session.ends_at and leave > session.starts_at for join, leave in timed):
        return
    first = min(join for join, _leave in timed)
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
        hint=_("check --session, and that the report's dates are month-first as Zoom writes them"),
    )


def _facilitators_are_not_participants(cohort: Cohort, match: Any) -> None:
    """A row credited by name alone, whose name is also one of the cohort's facilitators,
    may well be the facilitator (a co-host): list it as ambiguous instead of guessing."""
    from revmental_cli.domain.attendance import Unmatched, name_words

    facilitators = {" ".join(name_words(f.name)) for f in cohort.facilitators}
    for nip in [n for n, how in match.how.items() if how == "name"]:
        visits = match.matched[nip]
        if all(" ".join(name_words(v.name)) in facilitators for v in visits):
            del match.matched[nip], match.how[nip]
            match.unmatched.extend(Unmatched(v, "ambiguous", [nip]) for v in visits)


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

        revmental attendance mark 198807142014032004 -s 3 --status sakit --note "surat dokter"
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
