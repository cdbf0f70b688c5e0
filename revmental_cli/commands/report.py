"""report: the completion report (who passed, who is deferred, and why)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from revmental_cli.commands import noun_app, options
from revmental_cli.context import cohort_for, db_path, exporting, open_store
from revmental_cli.errors import UsageError
from revmental_cli.i18n import _

app = noun_app("report")

FORMAT = typer.Option(None, "--format", metavar="csv|xlsx", help="A spreadsheet instead.")
OUTPUT = typer.Option(
    None, "--output", "-o", metavar="PATH", help="Write the spreadsheet here (csv: default stdout)."
)


@app.command("completion")
def completion(
    cohort_id: str | None = options.COHORT,
    json_: bool = options.JSON,
    format_: str | None = FORMAT,
    output: Path | None = OUTPUT,
) -> None:
    """Report who passed, who is deferred and who did not pass, with the reasons.

    Example:

        revmental report completion --json
    """
    from revmental_cli import render
    from revmental_cli.domain.completion import sessions_ahead
    from revmental_cli.services.outcomes import assessed_for, completion_data

    fmt = _format(format_, json_, output)
    with open_store("report completion") as store:
        cohort = cohort_for(store, cohort_id).cohort
        assessed = assessed_for(store, cohort)
    data = completion_data(cohort, assessed)
    if fmt == "json":
        render.emit_json(data)
        return
    components = [c.key for c in cohort.completion.components]
    if fmt in ("csv", "xlsx"):
        columns = [
            "ndh",
            "nip",
            "name",
            "attendance_pct",
            "jp_attended",
            "jp_total",
            *components,
            "final_score",
            "predicate",
            "status",
            "reasons",
        ]
        rows = [
            [
                p["ndh"],
                p["nip"],
                p["name"],
                p["attendance_pct"],
                p["jp_attended"],
                p["jp_total"],
                *(p["scores"][k] for k in components),
                p["final_score"],
                p["predicate"],
                p["status"],
                "; ".join(p["reasons"]),
            ]
            for p in data["participants"]
        ]
        with exporting(
            "report completion",
            f"export: completion report of {cohort.id} ({len(rows)} rows) as {fmt}",
            cohort_id=cohort.id,
            file=str(output) if output else "stdout",
        ):
            render.spreadsheet(
                fmt,
                output,
                f"Kelulusan {cohort.id}",
                columns,
                rows,
                text_columns={"nip", "name", "predicate", "status", "reasons"},
                store=db_path(),
            )
        return
    ahead = sessions_ahead(cohort, dt.date.today())
    render.completion(cohort, assessed, data["summary"], sessions_ahead=ahead)


def _format(format_: str | None, json_: bool, output: Path | None) -> str:
    if json_ and format_:
        raise UsageError(_("--json and --format do not go together"), hint=_("choose one"))
    if json_:
        if output is not None:  # else the file the user named would silently not be written
            raise UsageError(
                _("--output needs --format csv or --format xlsx"),
                hint=_("--json prints to the screen: redirect it, e.g. > kelulusan.json"),
            )
        return "json"
    if format_ is None:
        if output is not None:
            raise UsageError(_("--output needs --format csv or --format xlsx"))
        return "table"
    fmt = format_.lower()
    if fmt not in ("csv", "xlsx"):
        raise UsageError(
            _("unknown format '{format}'").format(format=format_),
            hint=_("use --format csv or --format xlsx"),
        )
    if fmt == "xlsx" and output is None:
        raise UsageError(
            _("--format xlsx needs --output PATH"), hint=_("e.g. --output kelulusan.xlsx")
        )
    return fmt


@app.command("attendance")
def attendance(
    cohort_id: str | None = options.COHORT,
    json_: bool = options.JSON,
    format_: str | None = FORMAT,
    output: Path | None = OUTPUT,
) -> None:
    """Report attendance: every participant by every session, with JP-weighted attendance.

    Example:

        revmental report attendance --format xlsx --output kehadiran.xlsx
    """
    from revmental_cli import render
    from revmental_cli.services.outcomes import attendance_report

    fmt = _format(format_, json_, output)
    with open_store("report attendance") as store:
        cohort = cohort_for(store, cohort_id).cohort
        records, people, rows = attendance_report(store, cohort)
    if fmt == "json":
        render.emit_json(
            {
                "cohort": cohort.id,
                "sessions": [
                    {"session": s.number, "date": s.date.isoformat(), "jp": s.jp, "title": s.title}
                    for s in cohort.sessions
                ],
                "participants": [
                    {
                        "ndh": p.ndh,
                        "nip": p.nip,
                        "name": p.name,
                        "statuses": {str(s.number): own.get(s.number) for s in cohort.sessions},
                        "jp_attended": summary.jp_attended,
                        "jp_total": summary.jp_total,
                        "attendance_pct": float(summary.pct),
                    }
                    for p, own, summary in rows
                ],
            }
        )
        return
    if fmt in ("csv", "xlsx"):
        columns = [
            "ndh",
            "nip",
            "name",
            *(f"session {s.number}" for s in cohort.sessions),
            "jp_attended",
            "jp_total",
            "attendance_pct",
        ]
        table = [
            [
                p.ndh,
                p.nip,
                p.name,
                *(own.get(s.number) for s in cohort.sessions),
                summary.jp_attended,
                summary.jp_total,
                float(summary.pct),
            ]
            for p, own, summary in rows
        ]
        with exporting(
            "report attendance",
            f"export: attendance report of {cohort.id} ({len(rows)} rows) as {fmt}",
            cohort_id=cohort.id,
            file=str(output) if output else "stdout",
        ):
            render.spreadsheet(
                fmt,
                output,
                f"Kehadiran {cohort.id}",
                columns,
                table,
                text_columns={"nip", "name", *(f"session {s.number}" for s in cohort.sessions)},
                store=db_path(),
            )
        return
    render.attendance_matrix(cohort, people, records)
