"""cohort: validate, open, list, show, use and close cohort definitions."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from revmental_cli.commands import noun_app, options
from revmental_cli.context import cohort_for, open_store
from revmental_cli.errors import InputError, ValidationFailed
from revmental_cli.i18n import _
from revmental_cli.messages import Joined, Msg

if TYPE_CHECKING:
    from revmental_cli.store import Store

COHORTS_DIR = Path("cohorts")

app = noun_app("cohort")


@app.command("validate")
def validate(
    files: list[Path] = typer.Argument(..., metavar="FILE...", help="Cohort YAML files."),
) -> None:
    """Check cohort definitions and report every problem; write nothing.

    Example:

        revmental cohort validate cohorts/*.yaml
    """
    from revmental_cli import render
    from revmental_cli.cohort_file import read_definition

    failed = 0
    seen: dict[str, Path] = {}
    for path in options.expand_patterns(files):
        try:
            loaded = read_definition(path)
        except ValidationFailed as exc:
            failed += 1
            render.error(exc.message, exc.hint, exc.problems)
            continue
        except InputError as exc:
            failed += 1
            render.error(exc.message, exc.hint)
            continue
        render.warnings(loaded.warnings)
        c = loaded.cohort
        if c.id in seen:
            # Copying last year's file and forgetting to change its id is a classic.
            failed += 1
            render.error(
                _("{path}: id {cohort} is also used by {other}").format(
                    path=path, cohort=c.id, other=seen[c.id]
                ),
                _("every cohort needs its own id, e.g. PRM-2022-I"),
            )
            continue
        seen[c.id] = path
        render.success(
            _("{path}: {cohort} is valid ({label}, {sessions} sessions, {jp} JP)").format(
                path=path,
                cohort=c.id,
                label=f"{c.programme_code} {c.angkatan_label} {c.year}",
                sessions=len(c.sessions),
                jp=c.jp_total,
            )
        )
    if failed:
        raise typer.Exit(1)


@app.command("open")
def open_(
    target: str | None = typer.Argument(
        None,
        metavar="FILE|ID",
        help="A cohort file, or the id of a cohort to reload (default: a new file in ./cohorts/).",
    ),
    dry_run: bool = options.DRY_RUN,
    force: bool = typer.Option(
        False, "--force", help="Apply a change even if it drops recorded attendance or scores."
    ),
) -> None:
    """Load a cohort definition into the store and make it the current cohort.

    With no argument, opens the definition in ./cohorts/ that is not open yet (and asks which,
    when there are several). Re-opening a changed file updates the cohort and says what changed.

    Example:

        revmental cohort open cohorts/prm-2021-ii.yaml
    """
    from revmental_cli import render
    from revmental_cli.cohort_file import read_definition
    from revmental_cli.services import cohorts

    # The store is created only after the definition proved valid: a failed open leaves no file.
    store = _existing_store("cohort open")
    try:
        path = _choose_file(target, store)
        loaded = read_definition(path)
        render.warnings(loaded.warnings)
        cohort = loaded.cohort
        if dry_run:
            opening = cohorts.decide(store, cohort, path, force=force)
        else:
            if store is None:
                store = open_store("cohort open", create=True)
            opening = cohorts.open_cohort(store, cohort, path, loaded.sha256, force=force)
        if opening.dropped:
            lost = Joined(opening.dropped)  # translated part by part where it is shown
            render.warning(
                Msg("dry run: --force would delete {lost}", lost=lost)
                if dry_run
                else Msg("--force: deleting {lost}", lost=lost)
            )
        if opening.stale:
            render.warning(opening.stale)
        if opening.replaces:
            render.warning(
                _(
                    "{cohort} was opened from {previous}; {path} now replaces its "
                    "definition (is its id a copy of another cohort's?)"
                ).format(cohort=cohort.id, previous=opening.replaces, path=path)
            )
        if opening.over_capacity:
            render.warning(
                _(
                    "{path}: {enrolled} participants are enrolled, more than the new "
                    "capacity ({capacity})"
                ).format(path=path, enrolled=opening.over_capacity, capacity=cohort.capacity)
            )
        existing, changes, label = opening.existing, opening.changes, opening.label
        if dry_run:
            if existing is None:
                render.info(
                    _("dry run: would open {label} with {sessions} sessions").format(
                        label=label, sessions=len(cohort.sessions)
                    )
                )
            elif changes:
                render.changes(cohort.id, changes)
                render.info(_("dry run: nothing was written"))
            else:
                render.info(_("dry run: {label} is already open and unchanged").format(label=label))
            return
        assert store is not None  # opened (or created) for the write
        if existing is not None and changes:
            # New rules (a higher pass score) may leave certificate holders below them.
            from revmental_cli.services.outcomes import stale_certificates

            for message in stale_certificates(store, cohort):
                render.warning(message)
        if existing is None:
            render.success(
                _(
                    "opened {label}: {sessions} sessions, {jp} JP; it is now the current cohort"
                ).format(label=label, sessions=len(cohort.sessions), jp=cohort.jp_total)
            )
        elif changes:
            render.changes(cohort.id, changes)
            render.success(_("updated {label}; it is now the current cohort").format(label=label))
        else:
            render.success(
                _("{label} is already open and unchanged; it is now the current cohort").format(
                    label=label
                )
            )
    finally:
        if store is not None:
            store.close()


def _existing_store(command: str) -> Store | None:
    from revmental_cli.context import db_path

    path = db_path()
    if isinstance(path, str):  # a register: an empty database is no store yet either
        from revmental_cli.store.pg_open import register_exists

        return open_store(command) if register_exists(path) else None
    # An empty file is no store yet (it becomes one, privately, when something is written).
    return open_store(command) if path.is_file() and path.stat().st_size > 0 else None


def _choose_file(target: str | None, store: Store | None) -> Path:
    from revmental_cli.services import cohorts

    found = cohorts.definition_for(target, store, COHORTS_DIR)
    return found[0] if len(found) == 1 else _ask(found)


def _ask(paths: list[Path]) -> Path:
    from revmental_cli import render
    from revmental_cli.cohort_file import peek_id

    listing = [f"  {i}. {p}  ({peek_id(p) or _('id unreadable')})" for i, p in enumerate(paths, 1)]
    heading = _("{count} cohort definitions in {folder}/ are not open yet:").format(
        count=len(paths), folder=COHORTS_DIR
    )
    if not sys.stdin.isatty():
        render.info(heading)
        render.info("\n".join(listing))
        raise InputError(_("which one? name it"), hint=f"revmental cohort open {paths[0]}")
    render.info(heading)
    render.info("\n".join(listing))
    while True:
        try:
            choice = typer.prompt(
                _("Open which one (1-{count})").format(count=len(paths)), type=int, err=True
            )
        except typer.Abort:  # Ctrl-C or Ctrl-D at the prompt: the contract's "interrupted"
            raise KeyboardInterrupt from None
        if 1 <= choice <= len(paths):
            return paths[choice - 1]
        render.info(_("please answer a number from 1 to {count}").format(count=len(paths)))


@app.command("list")
def list_(
    all_: bool = typer.Option(False, "--all", help="Include closed cohorts."),
    json_: bool = options.JSON,
) -> None:
    """List the cohorts in the store; the current one is marked with *.

    Example:

        revmental cohort list --all
    """
    from revmental_cli import render
    from revmental_cli.store.cohorts import cohort_summaries

    with open_store("cohort list") as store:
        rows = cohort_summaries(store, include_closed=all_)
        current = store.current_cohort_id()
    if json_:
        render.emit_json(
            [
                {
                    "id": r.id,
                    "programme": r.programme_code,
                    "programme_name": r.programme_name,
                    "angkatan": r.angkatan,
                    "year": r.year,
                    "organiser": r.organiser,
                    "mode": r.mode,
                    "start": r.start.isoformat(),
                    "end": r.end.isoformat(),
                    "capacity": r.capacity,
                    "participants": r.participants,
                    "status": r.status,
                    "current": r.id == current,
                }
                for r in rows
            ]
        )
        return
    render.cohort_list(rows, current, include_closed=all_)


@app.command("show")
def show(
    cohort_id: str | None = typer.Argument(
        None,
        metavar="ID",
        help="The cohort (default: the current cohort).",
        autocompletion=options.COMPLETE_COHORT,
    ),
    json_: bool = options.JSON,
) -> None:
    """Show a cohort's facts and rules, with the defaults that apply.

    Example:

        revmental cohort show PRM-2021-II --json
    """
    from revmental_cli import render
    from revmental_cli.domain.cohort import cohort_to_dict

    with open_store("cohort show") as store:
        row = cohort_for(store, cohort_id)
        current = store.current_cohort_id()
    if json_:
        data = cohort_to_dict(row.cohort)
        data.update(
            {
                "status": row.status,
                "current": row.cohort.id == current,
                "participants": row.participants,
                "jp_total": row.cohort.jp_total,
                "source_file": row.source_file,
                "opened_at": row.opened_at,
                "closed_at": row.closed_at,
            }
        )
        render.emit_json(data)
        return
    render.cohort_detail(row, row.cohort.id == current)


@app.command("use")
def use(
    cohort_id: str = typer.Argument(
        ...,
        metavar="ID",
        help="The cohort to make current.",
        autocompletion=options.COMPLETE_COHORT,
    ),
) -> None:
    """Make a cohort the current one, for commands run without --cohort.

    Example:

        revmental cohort use PRM-2021-II
    """
    from revmental_cli import render
    from revmental_cli.store.cohorts import cohort as cohort_row

    with open_store("cohort use") as store:
        row = cohort_row(store, cohort_id.strip().upper())
        with store.write():
            store.set_current_cohort(row.cohort.id)
            store.record(f"current cohort set to {row.cohort.id}", cohort_id=row.cohort.id)
    render.success(_("{cohort} is now the current cohort").format(cohort=row.cohort.id))


@app.command("close")
def close(
    cohort_id: str | None = typer.Argument(
        None,
        metavar="ID",
        help="The cohort (default: the current cohort).",
        autocompletion=options.COMPLETE_COHORT,
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Say what closing would freeze, and write nothing."
    ),
    yes: bool = typer.Option(
        False, "--yes", "-y", help="Do not ask for confirmation at a terminal."
    ),
) -> None:
    """Close a cohort for good: freeze its results, so later writes to it are refused.

    Closing cannot be undone. At a terminal it asks first (--yes skips the question);
    --dry-run says what would be frozen.

    Example:

        revmental cohort close PRM-2021-II --dry-run
    """
    from revmental_cli import render
    from revmental_cli.services import cohorts
    from revmental_cli.services.outcomes import assessed_for, passed_without_certificate

    with open_store("cohort close") as store:
        row = cohort_for(store, cohort_id)
        if row.status == "closed":
            render.info(_("{cohort} is already closed").format(cohort=row.cohort.id))
            return
        cohorts.require_participants(store, row.cohort.id)
        counted = [a for a in assessed_for(store, row.cohort) if not a.withdrawn]
        statuses = [a.outcome.status for a in counted]
        render.info(
            _(
                "{cohort}: {people} participant(s): {passed} passed, {deferred} deferred, "
                "{failed} not passed; closing freezes these results and cannot be undone"
            ).format(
                cohort=row.cohort.id,
                people=len(counted),
                passed=statuses.count("passed"),
                deferred=statuses.count("deferred"),
                failed=statuses.count("not_passed"),
            )
        )
        # A closed cohort issues no certificate: say who passed without one before it is too
        # late to notice.
        waiting = passed_without_certificate(store, row.cohort)
        if waiting:
            render.warning(
                _(
                    "{count} participant(s) of {cohort} passed but have no certificate; a closed "
                    "cohort issues none (`revmental certificate issue` first)"
                ).format(count=waiting, cohort=row.cohort.id)
            )
        if dry_run:
            render.info(_("dry run: {cohort} was not closed").format(cohort=row.cohort.id))
            return
        # At a terminal a person can still change their mind; a script (or --yes) goes on.
        if not yes and sys.stdin is not None and sys.stdin.isatty():
            try:
                go_on = typer.confirm(
                    _("Close {cohort} for good?").format(cohort=row.cohort.id),
                    default=False,
                    err=True,
                )
            except typer.Abort:
                raise KeyboardInterrupt from None
            if not go_on:
                raise InputError(_("{cohort} was not closed").format(cohort=row.cohort.id))
        closing = cohorts.close(store, row.cohort.id)
    if closing.already:
        render.info(_("{cohort} is already closed").format(cohort=closing.cohort.id))
        return
    render.success(
        _("closed {cohort} for good; its results are now frozen").format(cohort=closing.cohort.id)
    )
