"""roster: import the agencies' participant lists, show the roster, withdraw a participant."""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from revmental_cli.commands import noun_app, options
from revmental_cli.context import cohort_for, exporting, open_store, require_open
from revmental_cli.errors import InputError, UsageError
from revmental_cli.i18n import _, english
from revmental_cli.messages import Msg
from revmental_cli.records import Participant

if TYPE_CHECKING:
    from revmental_cli.store import RosterOutcome

app = noun_app("roster")

PROGRESS_AFTER = 5000  # rows; smaller files finish before a bar would be worth drawing


@app.command("import")
def import_(
    file: Path = typer.Argument(..., metavar="FILE", help="A .csv or .xlsx participant list."),
    cohort_id: str | None = options.COHORT,
    dry_run: bool = options.DRY_RUN,
    skip_invalid: bool = typer.Option(
        False, "--skip-invalid", help="Write the valid rows and reject the rest."
    ),
    rejects: Path | None = typer.Option(
        None,
        "--rejects",
        metavar="PATH",
        help="Write the rejected rows, with their line and errors, to this CSV file.",
    ),
    delimiter: str | None = typer.Option(
        None, "--delimiter", metavar="X", help="Force the CSV delimiter: , ; or tab."
    ),
    encoding: str | None = typer.Option(
        None, "--encoding", metavar="X", help="Force the CSV encoding, e.g. cp1252 or utf-16."
    ),
    sheet: str | None = typer.Option(
        None, "--sheet", metavar="NAME", help="The .xlsx sheet (default: the first)."
    ),
    json_: bool = options.JSON,
) -> None:
    """Import participants from an agency's CSV or Excel list: all rows, or none.

    Every problem of every row is listed as `line N: column: message`; nothing is written
    unless every row is valid (or --skip-invalid is given). Importing the same file twice
    changes nothing the second time.

    Example:

        revmental roster import examples/peserta-prm-2021-ii.csv --dry-run
    """
    from revmental_cli import render
    from revmental_cli.importers.roster import RosterParser
    from revmental_cli.importers.tabular import read_table
    from revmental_cli.services import roster

    today = dt.date.today()  # once for the whole file: no NIP's birth date may pass it
    delimiter = options.parse_delimiter(delimiter)
    if encoding is not None:
        import codecs

        try:
            codecs.lookup(encoding)
        except LookupError:
            raise UsageError(
                _("unknown encoding '{encoding}'").format(encoding=encoding),
                hint=_("try utf-8, utf-8-sig, utf-16 or cp1252"),
            ) from None
    with open_store("roster import") as store:
        row = cohort_for(store, cohort_id)
        cohort = row.cohort
        require_open(row)
        file = options.one_file(file)
        if rejects is not None and rejects.resolve() == file.resolve():
            raise UsageError(
                _("--rejects {path} is the file being imported; it would be overwritten").format(
                    path=rejects
                ),
                hint=_("name another file, e.g. --rejects ditolak.csv"),
            )
        sha256 = options.file_sha256(file)
        with read_table(file, delimiter=delimiter, encoding=encoding, sheet=sheet) as table:
            parser = RosterParser(table, today)
            for note in table.notes:
                render.info(note)
            if parser.ignored_columns:
                render.info(
                    _("{file}: ignored columns: {columns}").format(
                        file=file.name, columns=", ".join(parser.ignored_columns)
                    )
                )
            staged = roster.stage(store, cohort, parser)

            def save_rejects(outcome: RosterOutcome) -> None:
                # Before the commit: if the file cannot be written, the import is not either.
                # Written even when nothing was rejected (a header only), so a rejects file
                # from an earlier run is never mistaken for this one's.
                if rejects is not None:
                    _fill_raw(file, outcome, delimiter=delimiter, encoding=encoding, sheet=sheet)
                    _write_rejects(rejects, parser.raw_headers, outcome)

            try:
                reading = _("reading {file}").format(file=file.name)
                # Row errors go into the JSON document, which stays English.
                with (
                    english() if json_ else nullcontext(),
                    render.progress(reading, PROGRESS_AFTER) as tick,
                ):
                    rows, appointed = roster.feed(staged, parser.staged_chunks(), tick)
                if parser.trailing_lines:
                    render.info(
                        _(
                            "{file}: ignored {count} row(s) below the list with no NIP and no "
                            "name (lines {first}-{last}: a signature or a note?)"
                        ).format(
                            file=file.name,
                            count=len(parser.trailing_lines),
                            first=parser.trailing_lines[0],
                            last=parser.trailing_lines[-1],
                        )
                    )
                if rows == 0:
                    raise InputError(
                        _("{file}: no participant rows below the header (line {line})").format(
                            file=file.name, line=table.header_line
                        ),
                        hint=_("check that you chose the right file and sheet (--sheet NAME)"),
                    )
                late = roster.late_rows(cohort, appointed)
                outcome = roster.finish(
                    store,
                    staged,
                    dry_run=dry_run,
                    skip_invalid=skip_invalid,
                    file=file,
                    sha256=sha256,
                    before_commit=save_rejects,
                )
            finally:
                staged.close()
    # On stderr, with --json too: the import's JSON document keeps its contract's keys.
    render.warning_lines(roster.late_appointments(cohort, late[: roster.LATE_SHOWN]))
    if len(late) > roster.LATE_SHOWN:
        render.warning(roster.more_late_appointments(cohort, late[roster.LATE_SHOWN :]))
    _report(
        cohort.id,
        file,
        outcome,
        json_=json_,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        rejects=rejects,
    )
    if roster.refused(outcome, skip_invalid=skip_invalid):
        raise typer.Exit(1)


def _report(
    cohort_id: str,
    file: Path,
    outcome: RosterOutcome,
    *,
    json_: bool,
    dry_run: bool,
    skip_invalid: bool,
    rejects: Path | None,
) -> None:
    from revmental_cli import render

    if outcome.renumbered:
        render.info(
            _(
                "{file}: the {column} column numbers the rows 1, 2, 3... and those numbers "
                "belong to other participants of {cohort}: read as row numbers; the NDH "
                "continues the cohort's numbering"
            ).format(file=file.name, column=outcome.renumbered, cohort=cohort_id)
        )
    if outcome.overlaps:
        for nip, name, other in outcome.overlaps:
            render.warning(
                _("{name} ({nip}) is also enrolled in {other}, whose dates overlap").format(
                    name=name, nip=nip, other=other
                )
            )
    if outcome.rejected:
        rejected = (
            _("{file}: {count} row(s) rejected")
            if skip_invalid or dry_run
            else _("{file}: {count} row(s) rejected; nothing was written")
        )
        say = render.warning if skip_invalid and outcome.written else render.error
        say(rejected.format(file=file.name, count=len(outcome.rejected)))
        render.plain_errors(
            Msg("line {line}: {error}", line=line, error=error)
            for line, _raw, errors in outcome.rejected
            for error in errors
        )
        if not skip_invalid and not dry_run:
            render.hint(
                _(
                    "fix the rows above and import again, or use --skip-invalid to import "
                    "the valid rows"
                )
                if rejects
                else _(
                    "fix the rows above and import again, or use --skip-invalid to import "
                    "the valid rows (--rejects PATH saves the rejected rows to fix them)"
                )
            )
    if json_:
        render.emit_json(
            {
                "cohort": cohort_id,
                "written": outcome.written,
                "created": outcome.created,
                "updated": outcome.updated,
                "unchanged": outcome.unchanged,
                "rejected": [
                    {"line": line, "errors": errors} for line, _raw, errors in outcome.rejected
                ],
            }
        )
        return
    render.roster_import(cohort_id, file.name, outcome, dry_run=dry_run)


def _write_rejects(path: Path, headers: list[str], outcome: RosterOutcome) -> None:
    from revmental_cli import render

    extra = sorted({k for _line, raw, _errors in outcome.rejected for k in raw if k not in headers})
    columns = [*headers, *extra, "line", "errors"]
    rows = [
        [*(raw.get(h, "") for h in [*headers, *extra]), line, "; ".join(errors)]
        for line, raw, errors in outcome.rejected
    ]
    from revmental_cli.context import db_path

    render.write_csv(path, columns, rows, store=db_path())
    if rows:
        render.info(_("rejected rows written to {path}").format(path=path))


def _fill_raw(file: Path, outcome: RosterOutcome, **how: Any) -> None:
    """Rows rejected by the whole-file checks (capacity, NDH) get their cells from a second
    read of the file: rare, and cheaper than carrying every row's cells through staging."""
    from revmental_cli.importers.roster import RosterParser
    from revmental_cli.importers.tabular import read_table

    wanted = {line for line, raw, _errors in outcome.rejected if not raw}
    if not wanted:
        return
    found: dict[int, dict[str, str]] = {}
    with read_table(file, **how) as table:
        parser = RosterParser(table)
        for row in table.rows:
            if row.line in wanted:
                found[row.line] = dict(zip(parser.raw_headers, row.cells, strict=False))
    outcome.rejected = [
        (line, raw or found.get(line, {}), errors) for line, raw, errors in outcome.rejected
    ]


@app.command("show")
def show(
    cohort_id: str | None = options.COHORT,
    json_: bool = options.JSON,
    format_: str | None = typer.Option(
        None, "--format", metavar="csv", help="csv: the roster as a spreadsheet on stdout."
    ),
) -> None:
    """Show the cohort's participants in NDH order.

    Example:

        revmental roster show --format csv > roster.csv
    """
    from revmental_cli import render
    from revmental_cli.domain.person import id_kind
    from revmental_cli.store import participants
    from revmental_cli.store.roster import person_details

    if format_ is not None and format_.lower() != "csv":
        raise UsageError(
            _("unknown format '{format}'").format(format=format_),
            hint=_("use --format csv, or --json"),
        )
    with open_store("roster show") as store:
        cohort = cohort_for(store, cohort_id).cohort
        people = participants(store, cohort.id)
        born = person_details(store, cohort.id) if json_ else {}
    records = [
        {
            "ndh": p.ndh,
            "nip": p.nip,
            "name": p.name,
            "golongan": p.golongan,
            "pangkat": p.pangkat,
            "position": p.position,
            "agency": p.agency,
            "work_unit": p.work_unit,
            "email": p.email,
            "phone": p.phone,
            "status": p.status,
        }
        for p in people
    ]
    if json_:
        # The JSON also says which number identifies each participant (derived from it,
        # never stored) and the birth date and sex the roster holds.
        render.emit_json(
            [
                {**r, "id_kind": id_kind(p.nip), **born.get(p.nip, {})}
                for r, p in zip(records, people, strict=True)
            ]
        )
    elif format_:
        with exporting(
            "roster show",
            f"export: roster of {cohort.id} ({len(records)} participants) as csv",
            cohort_id=cohort.id,
            file="stdout",
        ):
            render.csv_stdout(
                list(records[0]) if records else list(_ROSTER_KEYS),
                [list(r.values()) for r in records],
            )
    else:
        render.roster(cohort, people)


# The CSV's columns when there is no row to take them from: a participant's fields, as the
# rows have them (the withdrawal reason is not shown).
_ROSTER_KEYS = tuple(f for f in Participant._fields if f != "withdrawn_reason")


@app.command("withdraw")
def withdraw(
    nip: str = typer.Argument(
        ..., metavar="NIP", help="The participant's NIP.", autocompletion=options.COMPLETE_NIP
    ),
    cohort_id: str | None = options.COHORT,
    reason: str | None = typer.Option(
        None, "--reason", metavar="TEXT", help="Why, for the record."
    ),
) -> None:
    """Withdraw a participant: kept on the roster as withdrawn, left out of reports.

    Example:

        revmental roster withdraw 198309222012091919 --reason "mutasi jabatan"
    """
    from revmental_cli import render
    from revmental_cli.services import roster
    from revmental_cli.services.guards import parse_nip
    from revmental_cli.services.outcomes import stale_certificates

    key = parse_nip(nip)
    with open_store("roster withdraw") as store:
        row = cohort_for(store, cohort_id)
        require_open(row)
        done = roster.withdraw(store, row.cohort.id, key, reason)
        if not done.already:
            for message in stale_certificates(store, row.cohort):
                render.warning(message)
    person = done.person
    if done.already:
        render.info(
            _("{name} is already withdrawn from {cohort}").format(
                name=person.name, cohort=row.cohort.id
            )
        )
        return
    render.success(
        _("{name} (NDH {ndh}) withdrawn from {cohort}").format(
            name=person.name, ndh=person.ndh, cohort=row.cohort.id
        )
    )
