"""report: the completion report (who passed, who is deferred, and why)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from revmental_cli.commands import noun_app, options
from revmental_cli.context import cohort_for, db_path, exporting, open_store
from revmental_cli.errors import UsageError
from revmental_cli.i18n import _

if TYPE_CHECKING:
    from revmental_cli.render.output import Sheet

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
        _export(
            "report completion",
            f"export: completion report of {cohort.id} ({len(rows)} rows) as {fmt}",
            cohort.id,
            fmt,
            output,
            render.Sheet(
                f"Kelulusan {cohort.id}",
                columns,
                rows,
                text_columns={"nip", "name", "predicate", "status", "reasons"},
            ),
        )
        return
    ahead = sessions_ahead(cohort, dt.date.today())
    render.completion(cohort, assessed, data["summary"], sessions_ahead=ahead)


def _export(
    command: str,
    summary: str,
    cohort_id: str,
    fmt: str,
    output: Path | None,
    sheet: Sheet,
) -> None:
    """A report as CSV or XLSX, to a file or stdout: personal data leaving the store, so it is
    recorded in the history in the same transaction (context.exporting)."""
    from revmental_cli import render

    with exporting(command, summary, cohort_id=cohort_id, file=str(output) if output else "stdout"):
        render.spreadsheet(fmt, output, sheet, store=db_path())


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
        _export(
            "report attendance",
            f"export: attendance report of {cohort.id} ({len(rows)} rows) as {fmt}",
            cohort.id,
            fmt,
            output,
            render.Sheet(
                f"Kehadiran {cohort.id}",
                columns,
                table,
                text_columns={"nip", "name", *(f"session {s.number}" for s in cohort.sessions)},
            ),
        )
        return
    render.attendance_matrix(cohort, people, records)


DIR = typer.Option(None, "--output", "-o", metavar="DIR", help="The folder to write into.")


@app.command("siasn")
def siasn(
    cohort_id: str | None = options.COHORT,
    output: Path | None = DIR,
    json_: bool = options.JSON,
) -> None:
    """Write, per agency, the SIASN course-history import of its passed participants.

    One .csv and one .xlsx per agency (instansi) into DIR (default ./siasn-COHORT/), with
    SIASN's columns; refused while a passed participant has no STTP number (run
    `revmental certificate issue` first). --json lists the files written:
    [{"file", "format", "agency", "rows"}].

    Example:

        revmental report siasn --output siasn
    """
    from revmental_cli import render
    from revmental_cli.services import handover

    with open_store("report siasn") as store:
        cohort = cohort_for(store, cohort_id).cohort
        files = handover.siasn_files(cohort, handover.results(store, cohort))
    directory = output or Path(f"siasn-{cohort.id}")
    if not files:
        # Nobody passed: no file to send, and no empty folder left behind.
        if json_:
            render.emit_json([])
        render.info(
            _("{cohort}: nobody passed; no SIASN file was written").format(cohort=cohort.id)
        )
        return
    rows = sum(f.rows for f in files if f.name.endswith(".csv"))
    with exporting(
        "report siasn",
        f"export: SIASN files of {cohort.id} ({len(files)} files, {rows} rows)",
        cohort_id=cohort.id,
        file=str(directory),
    ):
        paths = handover.write_all(directory, [(f.name, f.content) for f in files], store=db_path())
    if json_:
        render.emit_json(
            [
                {
                    "file": str(path),
                    "format": path.suffix.lstrip("."),
                    "agency": f.agency,
                    "rows": f.rows,
                }
                for path, f in zip(paths, files, strict=True)
            ]
        )
        return
    from revmental_cli.render.handover_view import files_written

    files_written([(str(path), f.agency, f.rows) for path, f in zip(paths, files, strict=True)])
    render.success(
        _("{cohort}: SIASN files of {count} agency(ies), {rows} participant(s), in {dir}").format(
            cohort=cohort.id, count=len(files) // 2, rows=rows, dir=directory
        )
    )


@app.command("closing")
def closing(
    cohort_id: str | None = options.COHORT,
    output: Path | None = DIR,
) -> None:
    """Write the closing pack: the report, a return letter per agency, the recaps, the annex.

    Into DIR (default ./penutupan-COHORT/): laporan-penyelenggaraan.docx,
    surat-pengembalian-AGENCY.docx, rekap-kehadiran.pdf, daftar-kelulusan.pdf and
    lampiran.xlsx, all or none. The letters' number, date and signatory come from the cohort
    file's closing: section; every number from `report completion` and `report attendance`.

    Example:

        revmental report closing --output penutupan
    """
    from revmental_cli import render
    from revmental_cli.services import handover

    with open_store("report closing") as store:
        cohort = cohort_for(store, cohort_id).cohort
        data = handover.closing_data(cohort, handover.results(store, cohort))
    files = handover.closing_files(data)
    directory = output or Path(f"penutupan-{cohort.id}")
    with exporting(
        "report closing",
        f"export: closing pack of {cohort.id} ({len(files)} files, "
        f"{len(data.results)} participants)",
        cohort_id=cohort.id,
        file=str(directory),
    ):
        paths = handover.write_all(directory, files, store=db_path())
    for path in paths:
        render.info(str(path))
    render.success(
        _("{cohort}: the closing pack ({count} files) is in {dir}").format(
            cohort=cohort.id, count=len(paths), dir=directory
        )
    )


@app.command("ranking")
def ranking(
    cohort_id: str | None = options.COHORT,
    top: int = typer.Option(3, "--top", metavar="N", help="How many ranks (default 3)."),
    json_: bool = options.JSON,
) -> None:
    """Rank the passed participants by final score, then attendance; equals share a rank.

    Everyone tied at the last rank shown is in, so the list may be longer than N.
    --json: [{"rank", "shared", "ndh", "nip", "name", "final_score", "attendance_pct",
    "predicate"}].

    Example:

        revmental report ranking --top 10
    """
    from revmental_cli import render
    from revmental_cli.domain.ranking import rank
    from revmental_cli.domain.ranking import top as top_of
    from revmental_cli.services import handover

    if top < 1:
        raise UsageError(_("--top must be 1 or more"), hint=_("e.g. --top 3"))
    with open_store("report ranking") as store:
        cohort = cohort_for(store, cohort_id).cohort
        found = handover.results(store, cohort)
    ranked = top_of(rank(found.participants), top)
    if json_:
        render.emit_json(handover.ranking_json(ranked))
        return
    from revmental_cli.render.handover_view import ranking as show_ranking

    show_ranking(cohort, ranked)


@app.command("facilitators")
def facilitators(
    cohort_id: str | None = options.COHORT,
    json_: bool = options.JSON,
    format_: str | None = FORMAT,
    output: Path | None = OUTPUT,
) -> None:
    """The JP each facilitator taught and the honorarium it earns, with the totals.

    Live sessions (sinkron, klasikal) count for honorarium at the facilitator's rate_per_jp;
    self-study sessions they supervised are listed apart. Amounts are whole rupiah.

    Example:

        revmental report facilitators --format xlsx --output honorarium.xlsx
    """
    from revmental_cli import render
    from revmental_cli.domain.honorarium import honorarium
    from revmental_cli.services import handover

    fmt = _format(format_, json_, output)
    with open_store("report facilitators") as store:
        cohort = cohort_for(store, cohort_id).cohort
    pay = honorarium(cohort)
    if fmt == "json":
        render.emit_json(handover.honorarium_json(cohort, pay))
        return
    if fmt in ("csv", "xlsx"):
        columns, rows = handover.honorarium_table(pay)
        # Names only, yet a copy leaves the store: recorded like every export.
        _export(
            "report facilitators",
            f"export: facilitators of {cohort.id} ({len(pay.facilitators)} rows) as {fmt}",
            cohort.id,
            fmt,
            output,
            render.Sheet(
                f"Honorarium {cohort.id}",
                columns,
                rows,
                text_columns={"id", "name", "role", "internal", "sessions", "dates"},
            ),
        )
        return
    from revmental_cli.render.handover_view import facilitators as show

    show(cohort, pay)
