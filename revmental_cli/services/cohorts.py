"""Opening and closing cohorts: what a changed definition does to recorded data.

Owns the decision to (re)load a definition: what changed, which recorded attendance and
scores it would delete (refused without --force), which statuses were decided under other
rules, and closing. The decision is taken again inside the write transaction, so data
recorded while the command ran is never deleted without --force. Never prints; never reads
cohort files (the command hands over what ``cohort_file`` read).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import revmental_cli.store.cohorts as cohort_store
from revmental_cli.errors import InputError, NotFound
from revmental_cli.messages import Joined, Msg

if TYPE_CHECKING:
    from revmental_cli.domain.cohort import Cohort
    from revmental_cli.store import CohortRow, Store


def definition_for(target: str | None, store: Store | None, folder: Path) -> list[Path]:
    """The definition `cohort open` loads: the file named, the file of the id named (its
    recorded source, else the one in ``folder`` with that id), else the definitions in
    ``folder`` not open yet (several: the caller asks which)."""
    from revmental_cli.cohort_file import find_definitions, misnamed_definitions, peek_id

    if target is not None:
        path = Path(target)
        if (
            path.exists()
            or path.suffix.lower() in (".yaml", ".yml")
            or "/" in target
            or "\\" in target
        ):
            return [path]
        cohort_id = target.strip().upper()
        if store is not None and cohort_store.cohort_exists(store, cohort_id):
            source = cohort_store.cohort(store, cohort_id).source_file
            if source and Path(source).exists():
                return [Path(source)]
        for candidate in find_definitions(folder):
            if peek_id(candidate) == cohort_id:
                return [candidate]
        raise NotFound(
            Msg("no cohort file for '{target}'", target=target),
            hint=Msg(
                "pass the path of its YAML file, e.g. revmental cohort open cohorts/FILE.yaml"
            ),
        )
    files = find_definitions(folder)
    if not files:
        misnamed = misnamed_definitions(folder)
        raise InputError(
            Msg("no cohort definitions in {folder}", folder=folder.resolve()),
            hint=Msg(
                "rename {files} to end in .yaml (Notepad added .txt)",
                files=", ".join(p.name for p in misnamed),
            )
            if misnamed
            else Msg(
                "pass a file (revmental cohort open FILE.yaml), or run this in the folder that "
                "holds cohorts/"
            ),
        )
    opened = set(cohort_store.cohort_ids(store)) if store is not None else set()
    new = [p for p in files if peek_id(p) not in opened]
    if not new:
        raise InputError(
            Msg("every definition in {folder}/ is already open", folder=folder),
            hint=Msg("to reload a changed file, name it: revmental cohort open FILE (or its ID)"),
        )
    return new


@dataclass
class Opening:
    """What opening a definition does (or, in a dry run, would do)."""

    cohort: Cohort
    existing: CohortRow | None  # the cohort as the store held it, None for a new one
    changes: list[str] = field(default_factory=list)  # described by describe_changes
    reset: set[int] = field(default_factory=set)  # sessions whose attendance --force deletes
    dropped: list[str] = field(default_factory=list)  # what --force deletes
    stale: str = ""  # statuses decided under the previous rules, or ""
    replaces: str | None = None  # the other file the cohort was opened from, if any
    over_capacity: int = 0  # participants enrolled beyond a lowered capacity (0: none)
    written: bool = False

    @property
    def label(self) -> str:
        c = self.cohort
        return f"{c.id} ({c.programme_code} {c.angkatan_label} {c.year})"


def decide(store: Store | None, cohort: Cohort, path: Path, *, force: bool) -> Opening:
    """What opening ``cohort`` (read from ``path``) changes; refuses a closed cohort and,
    unless ``force``, a change that deletes recorded data. Only reads the store."""
    from revmental_cli.domain.cohort import describe_changes

    existing = (
        cohort_store.cohort(store, cohort.id)
        if store and cohort_store.cohort_exists(store, cohort.id)
        else None
    )
    opening = Opening(cohort, existing)
    if existing is None or store is None:
        return opening
    if existing.status == "closed":
        raise InputError(
            Msg("cohort {cohort} is closed; its results are frozen", cohort=cohort.id),
            hint=Msg("a closed cohort cannot be changed"),
        )
    opening.changes = describe_changes(existing.cohort, cohort)
    opening.reset, opening.dropped = refuse_dropping_data(store, existing.cohort, cohort, force)
    opening.stale = stale_statuses(store, existing.cohort, cohort, opening.reset)
    previous = existing.source_file
    if opening.changes and previous and Path(previous) != path.resolve():
        opening.replaces = previous
    enrolled = existing.participants
    if enrolled and cohort.capacity and enrolled > cohort.capacity:
        opening.over_capacity = enrolled
    return opening


def open_cohort(store: Store, cohort: Cohort, path: Path, sha256: str, *, force: bool) -> Opening:
    """Load the definition and make it the current cohort, in one transaction.

    Everything is decided under the write lock: checked before it, a mark recorded by another
    process in between was deleted with its session, without --force."""
    source = str(path.resolve())  # the store is shared by every folder: keep a full path
    with store.write():
        opening = decide(store, cohort, path, force=force)
        existing, changes, dropped = opening.existing, opening.changes, opening.dropped
        if existing is None or changes or existing.source_sha256 != sha256:
            cohort_store.save_cohort(
                store, cohort, source_file=source, sha256=sha256, reset=opening.reset
            )
        store.set_current_cohort(cohort.id)
        if existing is None:
            summary = "opened"
        elif changes:
            summary = f"updated: {'; '.join(changes)}"
            if dropped:
                summary += f"; deleted with --force: {'; '.join(dropped)}"
        else:
            summary = "re-opened, unchanged"
        store.record(f"{cohort.id} {summary}", cohort_id=cohort.id, file=source, sha256=sha256)
        opening.written = True
    return opening


def refuse_dropping_data(
    store: Store, old: Cohort, new: Cohort, force: bool
) -> tuple[set[int], list[str]]:
    """Refuse (unless --force) a change that would lose recorded attendance or scores.

    Sessions are numbered by position, so a session removed or inserted in the middle would
    silently carry one session's attendance over to another: a recorded session keeps its
    attendance only if the session with its number still has the same date and start time.
    Returns the session numbers whose attendance --force deletes, and what is deleted.
    """
    recorded = cohort_store.recorded(store, new.id)
    reset: set[int] = set()
    # Msg, not _(): with --force, these lines go into the history, which stays English.
    lost: list[str] = []
    for n, count in sorted(recorded.attendance_by_session.items()):
        before, after = old.session(n), new.session(n)
        if after is None:
            lost.append(
                Msg(
                    "attendance of session {n} ({count} records): the session is removed",
                    n=n,
                    count=count,
                )
            )
        elif before is None or (before.date, before.start) != (after.date, after.start):
            lost.append(
                Msg(
                    "attendance of session {n} ({count} records): session {n} would now be "
                    "{date} {start} {title}",
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
        Msg("scores for component '{key}' ({count} records)", key=k, count=count)
        for k, count in sorted(recorded.scores_by_component.items())
        if k not in keys
    ]
    if lost and not force:
        raise InputError(
            Msg(
                "this change to {cohort} would delete recorded data: {lost}",
                cohort=new.id,
                lost=Joined(lost),
            ),
            hint=Msg(
                "keep recorded sessions where they are (add new sessions at the end), or run "
                "again with --force to delete that data"
            )
            if reset
            else Msg(
                "keep the component's key (its name may change), or run again with --force to "
                "delete those scores"
            ),
        )
    return reset, lost


def stale_statuses(store: Store, old: Cohort, new: Cohort, reset: set[int]) -> str:
    """Say when recorded attendance statuses were decided under rules or times that change.

    A status is decided when a report is imported (minutes against the session's length and
    the rules' thresholds); the store keeps the status, not the report's rows, so a new rule
    only applies to a session once its report is imported again."""
    recorded = sorted(
        n for n in cohort_store.recorded(store, new.id).attendance_by_session if n not in reset
    )
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
    return Msg(
        "the attendance recorded for session(s) {sessions} was decided under the previous "
        "attendance rules or session times; import those reports again with --overwrite to "
        "apply the new ones (manual marks stay as they are)",
        sessions=", ".join(map(str, affected)),
    )


@dataclass
class Closing:
    cohort: Cohort
    already: bool  # it was closed before: nothing was written


def require_participants(store: Store, cohort_id: str) -> None:
    """Closing freezes results for good: a cohort nobody is enrolled in has none to freeze,
    and closing it is almost always the wrong cohort or a roster not yet imported."""
    from revmental_cli.store import enrolled_people

    if not enrolled_people(store, cohort_id):
        raise InputError(
            Msg("{cohort} has no participants; there are no results to freeze", cohort=cohort_id),
            hint=Msg("check the cohort id (`revmental cohort list`), or import the roster first"),
        )


def close(store: Store, cohort_id: str) -> Closing:
    """Close the cohort, freezing its results; closing a closed cohort writes nothing."""
    with store.write():
        row = cohort_store.cohort(store, cohort_id)
        if row.status == "closed":  # closed meanwhile, by another process
            return Closing(row.cohort, already=True)
        require_participants(store, row.cohort.id)
        cohort_store.close_cohort(store, row.cohort.id)
        store.record(f"{row.cohort.id} closed", cohort_id=row.cohort.id)
    return Closing(row.cohort, already=False)
