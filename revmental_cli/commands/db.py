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
