"""score: import the facilitators' score sheets, or set one score by hand."""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from pathlib import Path

import typer

from revmental_cli.commands import noun_app, options
from revmental_cli.context import cohort_for, open_store, require_open
from revmental_cli.errors import InputError, Problem, UsageError, ValidationFailed
from revmental_cli.i18n import _, english
from revmental_cli.i18n import number as i18n_number

app = noun_app("score")

REMEDIAL = typer.Option(
    False,
    "--remedial",
    help="A re-evaluation (perbaikan) of a DEFERRED participant, kept beside the first score.",
)
DATE = typer.Option(
    None, "--date", metavar="YYYY-MM-DD", help="The re-evaluation's date (default: today)."
)


def _day(date: str | None, remedial: bool) -> dt.date:
    if date is None:
        return dt.date.today()
    if not remedial:
        raise UsageError(_("--date goes with --remedial"), hint=_("add --remedial, or drop --date"))
    try:
        return dt.date.fromisoformat(date)
    except ValueError:
        raise UsageError(
            _("--date: expected a date as YYYY-MM-DD, found '{value}'").format(value=date)
        ) from None


@app.command("import")
def import_(
    file: Path = typer.Argument(..., metavar="FILE", help="A .csv or .xlsx score sheet."),
    cohort_id: str | None = options.COHORT,
    dry_run: bool = options.DRY_RUN,
    delimiter: str | None = typer.Option(None, "--delimiter", metavar="X", help=", ; or tab."),
    encoding: str | None = typer.Option(None, "--encoding", metavar="X", help="e.g. cp1252."),
    sheet: str | None = typer.Option(None, "--sheet", metavar="NAME", help="The .xlsx sheet."),
    remedial: bool = REMEDIAL,
    date: str | None = DATE,
    json_: bool = options.JSON,
) -> None:
    """Import scores: a NIP column and one column per component (its key or its name).

    `85,5` and `85.5` are the same; values are 0-100; an empty cell means "not scored".
    All or nothing: one bad cell and nothing is written. With --remedial the sheet holds
    re-evaluations of deferred participants (everyone in it must be deferred).

    Example:

        revmental score import nilai.csv --dry-run
    """
    from revmental_cli import render
    from revmental_cli.importers.scores import looks_like_score_header, parse_scores
    from revmental_cli.importers.tabular import read_table
    from revmental_cli.services import scores
    from revmental_cli.services.outcomes import stale_certificates

    day = _day(date, remedial)
    # With --json the row errors go into the JSON document, which stays English.
    with english() if json_ else nullcontext(), open_store("score import") as store:
        row = cohort_for(store, cohort_id)
        cohort = row.cohort
        require_open(row)
        file = options.one_file(file)
        sha256 = options.file_sha256(file)
        with read_table(
            file,
            delimiter=options.parse_delimiter(delimiter),
            encoding=encoding,
            sheet=sheet,
            looks_like_header=looks_like_score_header,
        ) as table:
            parsed = parse_scores(table, cohort.completion.components, dt.date.today())
        for note in table.notes:
            render.info(note)
        if parsed.trailing_lines:
            render.info(
                _(
                    "{file}: ignored {count} row(s) below the list with no NIP "
                    "(lines {first}-{last}: an average, a signature or a note?)"
                ).format(
                    file=file.name,
                    count=len(parsed.trailing_lines),
                    first=parsed.trailing_lines[0],
                    last=parsed.trailing_lines[-1],
                )
            )
        if parsed.rows == 0:
            # As roster import does: an empty sheet is a wrong file, not "0 scores imported".
            raise InputError(
                _("{file}: no participant rows below the header (line {line})").format(
                    file=file.name, line=table.header_line
                ),
                hint=_("check that you chose the right file and sheet (--sheet NAME)"),
            )
        if parsed.ignored_columns:
            render.info(
                _("{file}: ignored columns: {columns}").format(
                    file=file.name, columns=", ".join(parsed.ignored_columns)
                )
            )
        nip_header = next((h for h in table.headers if h.strip().upper().startswith("NIP")), "NIP")
        try:
            if remedial:
                outcome = scores.import_remedials(
                    store, cohort, parsed, file, sha256, day, nip_header=nip_header, dry_run=dry_run
                )
            else:
                outcome = scores.import_scores(
                    store, cohort, parsed, file, sha256, nip_header=nip_header, dry_run=dry_run
                )
        except ValidationFailed as refused:
            if json_:
                render.emit_json(
                    {
                        "cohort": cohort.id,
                        "written": False,
                        "created": 0,
                        "updated": 0,
                        "unchanged": 0,
                        "rejected": _by_line(refused.problems),
                    }
                )
            raise
        if not dry_run:
            # After the commit: a message never undoes it.
            for message in stale_certificates(store, cohort):
                render.warning(message)
    if json_:
        render.emit_json(
            {
                "cohort": cohort.id,
                "written": not dry_run,
                "created": outcome.created,
                "updated": outcome.updated,
                "unchanged": outcome.unchanged,
                "rejected": [],
            }
        )
        return
    if remedial:
        render.success(
            (
                _("{cohort}: {count} re-evaluation(s) checked; dry run, nothing was written")
                if dry_run
                else _(
                    "{cohort}: {count} re-evaluation(s) recorded ({created} new, {updated} "
                    "changed) on {date}; `revmental report completion` shows the outcome"
                )
            ).format(
                cohort=cohort.id,
                count=outcome.created + outcome.updated + outcome.unchanged,
                created=outcome.created,
                updated=outcome.updated,
                date=day.isoformat(),
            )
        )
        return
    done = (
        _(
            "{cohort}: {created} scores would be added, {updated} changed, {unchanged} unchanged "
            "({rows} rows, components: {components}); dry run, nothing was written"
        )
        if dry_run
        else _(
            "{cohort}: {created} scores were added, {updated} changed, {unchanged} unchanged "
            "({rows} rows, components: {components})"
        )
    )
    render.success(
        done.format(
            cohort=cohort.id,
            created=outcome.created,
            updated=outcome.updated,
            unchanged=outcome.unchanged,
            rows=parsed.rows,
            components=", ".join(parsed.components),
        )
    )


def _by_line(problems: list[Problem]) -> list[dict[str, object]]:
    """One entry per line with all its errors, as roster import reports them."""
    lines: dict[int, list[str]] = {}
    for p in problems:
        lines.setdefault(p.line or 0, []).append(f"{p.field}: {p.message}")
    return [{"line": line, "errors": errors} for line, errors in lines.items()]


@app.command("set")
def set_(
    nip: str = typer.Argument(
        ..., metavar="NIP", help="The participant's NIP.", autocompletion=options.COMPLETE_NIP
    ),
    component: str = typer.Argument(..., metavar="COMPONENT", help="Component key or name."),
    value: str = typer.Argument(..., metavar="VALUE", help="0-100; 85,5 or 85.5."),
    cohort_id: str | None = options.COHORT,
    remedial: bool = REMEDIAL,
    date: str | None = DATE,
) -> None:
    """Set one participant's score for one component.

    With --remedial it records a re-evaluation (perbaikan) of a DEFERRED participant instead:
    the first score stays; if the re-evaluation passes, the participant passes with the pass
    score as the final score.

    Example:

        revmental score set 198309222012091919 rancangan 85,5

        revmental score set 197810062002082389 rancangan 80 --remedial --date 2021-11-05
    """
    from revmental_cli import render
    from revmental_cli.domain.person import FieldError
    from revmental_cli.importers.scores import parse_value
    from revmental_cli.services import scores
    from revmental_cli.services.guards import parse_nip
    from revmental_cli.services.outcomes import stale_certificates

    key_nip = parse_nip(nip)
    day = _day(date, remedial)
    try:
        number = parse_value(value)
    except FieldError as exc:
        raise InputError(
            exc.message, hint=exc.hint or _("a score is a number from 0 to 100")
        ) from None
    with open_store("score set") as store:
        row = cohort_for(store, cohort_id)
        require_open(row)
        if remedial:
            key = scores.set_remedial(store, row.cohort.id, key_nip, component, number, day)
        else:
            key = scores.set_score(store, row.cohort.id, key_nip, component, number)
        for message in stale_certificates(store, row.cohort):
            render.warning(message)
    if remedial:
        render.success(
            _("{cohort}: remedial {key} = {value} for {nip} on {date}").format(
                cohort=row.cohort.id,
                key=key,
                value=i18n_number(number, None),
                nip=key_nip,
                date=day.isoformat(),
            )
        )
        return
    render.success(f"{row.cohort.id}: {key} = {i18n_number(number, None)} for {key_nip}")
