"""cohort: validate, open, list, show, use and close cohort definitions."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from revmental_cli.commands import noun_app, options
from revmental_cli.context import cohort_for, open_store
from revmental_cli.errors import InputError, NotFound, ValidationFailed
from revmental_cli.i18n import _

if TYPE_CHECKING:
    from revmental_cli.domain.cohort import Cohort
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
    from revmental_cli.domain.cohort import describe_changes

    # The store is created only after the definition proved valid: a failed open leaves no file.
    store = _existing_store("cohort open")
    try:
        path = _choose_file(target, store)
        loaded = read_definition(path)
        render.warnings(loaded.warnings)
        cohort = loaded.cohort
        existing = store.cohort(cohort.id) if store and store.cohort_exists(cohort.id) else None
        changes: list[str] = []
        reset: set[int] = set()
        dropped: list[str] = []
        if existing is not None and store is not None:
            if existing.status == "closed":
                raise InputError(
                    _("cohort {cohort} is closed; its results are frozen").format(cohort=cohort.id),
                    hint=_("a closed cohort cannot be changed"),
                )
            changes = describe_changes(existing.cohort, cohort)
            reset, dropped = _refuse_dropping_data(store, existing.cohort, cohort, force)
            if dropped:
                render.warning(
                    (
                        _("dry run: --force would delete {lost}")
                        if dry_run
                        else _("--force: deleting {lost}")
                    ).format(lost="; ".join(dropped))
                )
            stale = _stale_statuses(store, existing.cohort, cohort, reset)
            if stale:
                render.warning(stale)
            previous = existing.source_file
            if changes and previous and Path(previous) != path.resolve():
                render.warning(
                    _(
                        "{cohort} was opened from {previous}; {path} now replaces its "
                        "definition (is its id a copy of another cohort's?)"
                    ).format(cohort=cohort.id, previous=previous, path=path)
                )
            enrolled = existing.participants
            if enrolled and cohort.capacity and enrolled > cohort.capacity:
                render.warning(
                    _(
                        "{path}: {enrolled} participants are enrolled, more than the new "
                        "capacity ({capacity})"
                    ).format(path=path, enrolled=enrolled, capacity=cohort.capacity)
                )
        label = f"{cohort.id} ({cohort.programme_code} {cohort.angkatan_label} {cohort.year})"
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
        if store is None:
            store = open_store("cohort open", create=True)
        source = str(path.resolve())  # the store is shared by every folder: keep a full path
        with store.write():
            if existing is None or changes or existing.source_sha256 != loaded.sha256:
                store.save_cohort(cohort, source_file=source, sha256=loaded.sha256, reset=reset)
            store.set_current_cohort(cohort.id)
            if existing is None:
                summary = "opened"
            elif changes:
                summary = f"updated: {'; '.join(changes)}"
                if dropped:
                    summary += f"; deleted with --force: {'; '.join(dropped)}"
            else:
                summary = "re-opened, unchanged"
            store.record(
                f"{cohort.id} {summary}", cohort_id=cohort.id, file=source, sha256=loaded.sha256
            )
        if existing is not None and changes:
            # New rules (a higher pass score) may leave certificate holders below them.
            from revmental_cli.commands.certificate import warn_stale_certificates

            warn_stale_certificates(store, cohort)
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
    # An empty file is no store yet (it becomes one, privately, when something is written).
    return open_store(command) if path.is_file() and path.stat().st_size > 0 else None


def _refuse_dropping_data(
    store: Store, old: Cohort, new: Cohort, force: bool
) -> tuple[set[int], list[str]]:
    """Refuse (unless --force) a change that would lose recorded attendance or scores.

    Sessions are numbered by position, so a session removed or inserted in the middle would
    silently carry one session's attendance over to another: a recorded session keeps its
    attendance only if the session with its number still has the same date and start time.
    Returns the session numbers whose attendance --force deletes, and what is deleted.
    """
    recorded = store.recorded(new.id)
    reset: set[int] = set()
    lost = []
    for n, count in sorted(recorded.attendance_by_session.items()):
        before, after = old.session(n), new.session(n)
        if after is None:
            lost.append(
                _("attendance of session {n} ({count} records): the session is removed").format(
                    n=n, count=count
                )
            )
        elif before is None or (before.date, before.start) != (after.date, after.start):
            lost.append(
                _(
                    "attendance of session {n} ({count} records): session {n} would now be "
                    "{date} {start} {title}"
                ).format(
                    n=n,
                    count=count,
                    date=after.date,
                    start=f"{after.start:%H:%M}",
                    title=repr(after.title),
                )
            )
        else:
            continue
        reset.add(n)
    keys = {k.key for k in new.completion.components}
    lost += [
        _("scores for component '{key}' ({count} records)").format(key=k, count=count)
        for k, count in sorted(recorded.scores_by_component.items())
        if k not in keys
    ]
    if lost and not force:
        raise InputError(
            _("this change to {cohort} would delete recorded data: {lost}").format(
                cohort=new.id, lost="; ".join(lost)
            ),
            hint=_(
                "keep recorded sessions where they are (add new sessions at the end), or run "
                "again with --force to delete that data"
            )
            if reset
            else _(
                "keep the component's key (its name may change), or run again with --force to "
                "delete those scores"
            ),
        )
    return reset, lost


def _stale_statuses(store: Store, old: Cohort, new: Cohort, reset: set[int]) -> str:
    """Say when recorded attendance statuses were decided under rules or times that change.

    A status is decided when a report is imported (minutes against the session's length and
    the rules' thresholds); the store keeps the status, not the report's rows, so a new rule
    only applies to a session once its report is imported again."""
    recorded = sorted(n for n in store.recorded(new.id).attendance_by_session if n not in reset)
    if not recorded:
        return ""
    if old.attendance != new.attendance:
        affected = recorded
    else:
        affected = [
            n
            for n in recorded
            if (before := old.session(n)) is not None
            and (after := new.session(n)) is not None
            and before.end != after.end
        ]
    if not affected:
        return ""
    return _(
        "the attendance recorded for session(s) {sessions} was decided under the previous "
        "attendance rules or session times; import those reports again with --overwrite to "
        "apply the new ones (manual marks stay as they are)"
    ).format(sessions=", ".join(map(str, affected)))


def _choose_file(target: str | None, store: Store | None) -> Path:
    from revmental_cli.cohort_file import find_definitions, misnamed_definitions, peek_id

    if target is not None:
        path = Path(target)
        if (
            path.exists()
            or path.suffix.lower() in (".yaml", ".yml")
            or "/" in target
            or "\\" in target
        ):
            return path
        cohort_id = target.strip().upper()
        if store is not None and store.cohort_exists(cohort_id):
            source = store.cohort(cohort_id).source_file
            if source and Path(source).exists():
                return Path(source)
        for candidate in find_definitions(COHORTS_DIR):
            if peek_id(candidate) == cohort_id:
                return candidate
        raise NotFound(
            _("no cohort file for '{target}'").format(target=target),
            hint=_("pass the path of its YAML file, e.g. revmental cohort open cohorts/FILE.yaml"),
        )
    files = find_definitions(COHORTS_DIR)
    if not files:
        misnamed = misnamed_definitions(COHORTS_DIR)
        raise InputError(
            _("no cohort definitions in {folder}").format(folder=COHORTS_DIR.resolve()),
            hint=_("rename {files} to end in .yaml (Notepad added .txt)").format(
                files=", ".join(p.name for p in misnamed)
            )
            if misnamed
            else _(
                "pass a file (revmental cohort open FILE.yaml), or run this in the folder that "
                "holds cohorts/"
            ),
        )
    opened = set(store.cohort_ids()) if store is not None else set()
    new = [p for p in files if peek_id(p) not in opened]
    if not new:
        raise InputError(
            _("every definition in {folder}/ is already open").format(folder=COHORTS_DIR),
            hint=_("to reload a changed file, name it: revmental cohort open FILE (or its ID)"),
        )
    if len(new) == 1:
        return new[0]
    return _ask(new)


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

    with open_store("cohort list") as store:
        rows = store.cohort_summaries(include_closed=all_)
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
    if not rows:
        render.info(
            _("no open cohorts") if all_ else _("no open cohorts (--all includes closed ones)")
        )
        return
    render.cohort_list(rows, current)


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

    with open_store("cohort use") as store:
        row = store.cohort(cohort_id.strip().upper())
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
) -> None:
    """Close a cohort: freeze its results, so later writes to it are refused.

    Example:

        revmental cohort close PRM-2021-II
    """
    from revmental_cli import render

    with open_store("cohort close") as store:
        row = cohort_for(store, cohort_id)
        if row.status == "closed":
            render.info(_("{cohort} is already closed").format(cohort=row.cohort.id))
            return
        # Closing cannot be undone, and a closed cohort issues no certificate: say who passed
        # without one before it is too late to notice.
        from revmental_cli.commands.report import assessed_for
        from revmental_cli.store import certificates

        holders = {c.nip for c in certificates(store, row.cohort.id) if c.revoked_at is None}
        waiting = [
            a
            for a in assessed_for(store, row.cohort)
            if not a.withdrawn and a.outcome.status == "passed" and a.nip not in holders
        ]
        if waiting:
            render.warning(
                _(
                    "{count} participant(s) of {cohort} passed but have no certificate; a closed "
                    "cohort issues none (`revmental certificate issue` first)"
                ).format(count=len(waiting), cohort=row.cohort.id)
            )
            # At a terminal, a person can still change their mind; a script goes on.
            if sys.stdin is not None and sys.stdin.isatty():
                try:
                    go_on = typer.confirm(_("Close it anyway?"), default=False, err=True)
                except typer.Abort:
                    raise KeyboardInterrupt from None
                if not go_on:
                    raise InputError(_("{cohort} was not closed").format(cohort=row.cohort.id))
        with store.write():
            store.close_cohort(row.cohort.id)
            store.record(f"{row.cohort.id} closed", cohort_id=row.cohort.id)
    render.success(_("closed {cohort}; its results are now frozen").format(cohort=row.cohort.id))
