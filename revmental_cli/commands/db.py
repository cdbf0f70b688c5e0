"""db: where the store is, backups, checks; and the history of every write."""

from __future__ import annotations

from pathlib import Path

import typer

from revmental_cli.commands import noun_app, options
from revmental_cli.context import db_path, exporting, open_store
from revmental_cli.i18n import _

app = noun_app("db")


@app.command("path")
def path() -> None:
    """Print the path of the store file (it may not exist yet).

    Example:

        revmental db path
    """
    # One line, never wrapped (scripts read it), with control characters made visible.
    from revmental_cli.render.safe import visible

    typer.echo(visible(str(db_path())))


@app.command("backup")
def backup(dest: Path = typer.Argument(..., metavar="DEST", help="The new backup file.")) -> None:
    """Copy the store to a new file, consistently even while others write; private (0600).

    A PostgreSQL register is backed up with pg_dump (its custom format, for pg_restore),
    which must then be on the PATH.

    Example:

        revmental db backup revmental-2021-10-29.db
    """
    from revmental_cli import render
    from revmental_cli.store import backup_to

    with (
        open_store("db backup") as store,
        exporting(
            "db backup", "export: a backup copy of the whole store", cohort_id=None, file=str(dest)
        ),
    ):
        backup_to(store, dest.expanduser())
    render.success(_("backed up {store} to {dest}").format(store=store.path, dest=dest))


@app.command("copy")
def copy(
    to: str = typer.Option(
        ...,
        "--to",
        metavar="URL",
        help="The store to copy into: the shared register (postgresql://user@host/db) or a file.",
    ),
    cohorts: list[str] = typer.Option(
        [],
        "--cohort",
        "-c",
        metavar="ID",
        help="Copy only this cohort (repeat for several; default: every cohort).",
        autocompletion=options.COMPLETE_COHORT,
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Say what would be copied, and write nothing."
    ),
    json_: bool = options.JSON,
) -> None:
    """Copy this store's cohorts into the shared register, all or nothing.

    Copies each cohort whole: programme, facilitators, sessions, participants, attendance,
    scores, remedials, certificates and their files, and the cohort's history. A cohort id,
    certificate number or certificate code the register holds already stops the copy (all
    of them are named; nothing is written). A person the register knows keeps the
    register's data; this store only fills the fields that are empty there. The current
    cohort is copied only if the register has none.

    This store is not changed (its history records the copy, an export of personal data):
    it still holds the participants' data. Once the register shows everything, delete it
    or keep it as safely as the register.

    Example:

        revmental db copy --to postgresql://admin@server/revmental
    """
    from revmental_cli import render
    from revmental_cli.context import busy_timeout, location
    from revmental_cli.services.copying import copy_store

    with open_store("db copy") as source:
        done = copy_store(
            source, location(to), cohorts=cohorts, dry_run=dry_run, busy_timeout=busy_timeout()
        )
    if json_:
        render.emit_json(done.as_json())
        return
    what = _(
        "{cohorts} cohort(s) ({ids}), {participants} participant(s), {certificates} certificate(s)"
    ).format(
        cohorts=len(done.cohorts),
        ids=", ".join(done.cohorts),
        participants=done.participants,
        certificates=done.certificates,
    )
    people = (
        _(
            "people: {new} new, {kept} already in {target} (their data kept, {filled} "
            "completed from this store)"
        ).format(
            new=done.people_new,
            kept=done.people_kept,
            target=done.target,
            filled=done.people_filled,
        )
        if done.people_kept
        else _("people: {new} new").format(new=done.people_new)
    )
    for code, name in done.renamed_programmes.items():
        render.info(
            _("programme {code} keeps the name it has in {target}: {name}").format(
                code=code, target=done.target, name=name
            )
        )
    if dry_run:
        render.info(
            _("would copy {what} from {source} to {target}").format(
                what=what, source=done.source, target=done.target
            )
        )
        render.info(people)
        render.info(_("nothing was written (--dry-run)"))
        return
    render.success(
        _("copied {what} from {source} to {target}").format(
            what=what, source=done.source, target=done.target
        )
    )
    render.info(people)
    render.warning(
        _(
            "{source} still holds the participants' personal data: once the register shows "
            "everything, delete it or keep it as safely as the register"
        ).format(source=done.source)
    )


@app.command("check")
def check() -> None:
    """Check the store: SQLite's integrity, foreign keys, and revmental's own rules.

    On a PostgreSQL register the server keeps its pages and foreign keys sound itself:
    only revmental's own rules are checked there, and the output says so.

    Example:

        revmental db check
    """
    from revmental_cli import render
    from revmental_cli.store.checks import (
        foreign_key_problems,
        integrity_problems,
        invariant_problems,
    )

    with open_store("db check") as store:
        problems = integrity_problems(store)
        problems += [
            _("{table} row {rowid} points to a missing {parent}").format(
                table=table, rowid=rowid, parent=parent
            )
            for table, rowid, parent in foreign_key_problems(store)
        ]
        if not problems:  # the tool's own rules only mean something on a sound file
            problems += invariant_problems(store)
    if problems:
        render.error(
            _("{store}: {count} problem(s) found").format(store=store.path, count=len(problems)),
            None,
        )
        render.plain_lines(problems)
        raise typer.Exit(4)
    if store.dialect == "postgres":
        render.plain_lines(
            [
                _(
                    "a PostgreSQL register: the server keeps its pages and foreign keys sound "
                    "itself; revmental's own rules were checked"
                )
            ]
        )
    render.success(_("{store}: no problems found").format(store=store.path))


def history(json_: bool = options.JSON) -> None:
    """``revmental history``: a root-level command (its help is in commands.NOUNS)."""
    from revmental_cli import render
    from revmental_cli.store.history import history_entries

    with open_store("history") as store:
        rows = history_entries(store)
    if json_:
        render.emit_json(
            [
                {k: r[k] for k in ("at", "user", "command", "summary", "file", "sha256")}
                for r in rows
            ]
        )
        return
    render.history(rows)
