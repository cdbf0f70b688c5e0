"""attendance: Zoom/Meet/Teams reports, Moodle exports and manual marks to
present/late/excused/sick/absent."""

from __future__ import annotations

from pathlib import Path

import typer

from revmental_cli.commands import noun_app, options
from revmental_cli.context import cohort_for, open_store, require_open
from revmental_cli.errors import InputError, NotFound, UsageError
from revmental_cli.i18n import _, number

app = noun_app("attendance")


@app.command("import")
def import_(
    files: list[Path] = typer.Argument(
        ...,
        metavar="FILE...",
        help="Zoom, Meet or Teams reports, Moodle Attendance exports, or sheets.",
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
        None,
        "--format",
        metavar="zoom|meet|teams|moodle|csv",
        help="Force the format (default: detected).",
    ),
    overwrite: bool = typer.Option(
        False, "--overwrite", help="Replace manual marks too (they are kept by default)."
    ),
    dry_run: bool = options.DRY_RUN,
    json_: bool = options.JSON,
) -> None:
    """Import a session's attendance from a Zoom, Google Meet or Microsoft Teams report, a
    Moodle Attendance export (every session it holds), or a plain sheet.

    Participants are matched by email, then a NIP or the NDH in the display name, then the
    name without titles; rows that match nobody are listed, never guessed. Enrolled
    participants missing from the report are absent. Manual marks are kept unless
    --overwrite. Several files are imported together, all or nothing; reports of one session
    (a meeting restarted) are merged into it.

    Example:

        revmental attendance import examples/attendance/zoom-sesi-01.csv --dry-run
    """
    from revmental_cli import render
    from revmental_cli.importers.attendance import FORMATS
    from revmental_cli.services import attendance
    from revmental_cli.services.outcomes import stale_certificates

    if format_ is not None and format_.lower() not in FORMATS:
        raise UsageError(
            _("unknown format '{format}'").format(format=format_),
            hint=_("use {formats}").format(formats=", ".join(FORMATS)),
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
        planned = attendance.import_reports(
            store,
            cohort,
            files,
            session_no=session_no,
            fmt=format_.lower() if format_ else None,
            overwrite=overwrite,
            dry_run=dry_run,
            info=render.info,
            warn=render.warning,
        )
        if not dry_run:
            for message in stale_certificates(store, cohort):
                render.warning(message)
    if json_:
        documents = [plan.document() for plan in planned]
        render.emit_json(documents[0] if len(documents) == 1 else documents)
        return
    for plan in planned:
        render.attendance_import(
            cohort, cohort.session(plan.session), plan.document(), dry_run=dry_run
        )


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
    from revmental_cli.importers.attendance import parse_status
    from revmental_cli.services import attendance
    from revmental_cli.services.guards import parse_nip
    from revmental_cli.services.outcomes import stale_certificates

    try:
        code = parse_status(status)
    except ValueError:
        raise InputError(
            _("unknown status '{status}'").format(status=status),
            hint=_(
                "use present, late, excused, sick or absent (hadir, terlambat, izin, sakit, alpa)"
            ),
        ) from None
    keys = [parse_nip(raw) for raw in nips]
    with open_store("attendance mark") as store:
        row = cohort_for(store, cohort_id)
        require_open(row)
        done = attendance.mark(store, row.cohort.id, session_no, keys, code, note)
        for record in done.replaced:
            render.warning(
                _(
                    "{name}: the report of session {number} recorded {status}"
                    "{minutes}; the mark replaces it"
                ).format(
                    name=record.name,
                    number=session_no,
                    status=render.word(render.ATT_LABEL, record.status),
                    minutes=(
                        f" ({number(record.minutes, 1)} min)" if record.minutes is not None else ""
                    ),
                )
            )
        for message in stale_certificates(store, done.cohort):
            render.warning(message)
    for name in done.names.values():
        render.success(
            _("{cohort} session {number}: {name} marked {status}").format(
                cohort=done.cohort.id,
                number=session_no,
                name=name,
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
