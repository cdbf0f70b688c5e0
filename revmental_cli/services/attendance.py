"""Attendance use cases: importing the reports of one or more sessions, marking by hand.

Owns the order of an import (read and place every file, group them by session, refuse what
cannot be merged, plan each session, save) and the checks of a manual mark; the plan is
decided and saved inside one write transaction, against the roster and the cohort as they
are under the lock. Never prints: notes and warnings go to the callbacks the caller passes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from revmental_cli.errors import InputError, NotFound
from revmental_cli.messages import Msg
from revmental_cli.services.attendance_files import (
    by_session,
    check_not_empty,
    clip_totals,
    partial_warning,
    read_parts,
)
from revmental_cli.services.attendance_plan import SessionPlan, plan_session
from revmental_cli.services.files import file_sha256
from revmental_cli.services.guards import unchanged, writable

if TYPE_CHECKING:
    from revmental_cli.domain.cohort import Cohort
    from revmental_cli.store import AttendanceRecord, Store


def import_reports(
    store: Store,
    cohort: Cohort,
    files: list[Path],
    *,
    session_no: int | None,
    fmt: str | None,
    overwrite: bool,
    dry_run: bool,
    info: Callable[[str], None],
    warn: Callable[[str], None],
) -> list[SessionPlan]:
    """Import the files, all or nothing; reports of one session are merged into it.

    ``info`` hears how files were read, ``warn`` what may be wrong (a report covering part of
    its session, an earlier import replaced), each when it is found."""
    parts = [part for file in files for part in read_parts(cohort, file, session_no, fmt, info)]
    for part in parts:
        if clipped := clip_totals(part):
            warn(clipped)
    groups = by_session(parts)
    # After the files are read (their own problems come first), before anything is planned.
    _require_roster(store, cohort)
    for group in groups:
        check_not_empty(group)
        if len(group) == 1 and group[0].empty is None:  # parts given together cover more
            partial = partial_warning(group[0].report, group[0].session)
            if partial:
                warn(partial)
    # A dry run only reads: it must not take (or wait for) the write lock.
    with contextlib.nullcontext() if dry_run else store.write():
        if not dry_run:
            # The files were placed in this schedule: a definition reloaded since must be read
            # again. The roster and the recorded marks are read under the lock, below.
            unchanged(store, cohort)
            _require_roster(store, cohort)  # withdrawn meanwhile: nobody to mark
        planned = [plan_session(store, cohort, group) for group in groups]
        for plan in planned:
            _save(store, cohort, plan, overwrite=overwrite, dry_run=dry_run, warn=warn)
    return planned


def _require_roster(store: Store, cohort: Cohort) -> None:
    """A report matched against nobody would mark nobody and list everyone as unmatched:
    refuse it, and say what comes first."""
    from revmental_cli.store.roster import has_enrolled

    if not has_enrolled(store, cohort.id):
        raise InputError(
            Msg(
                "{cohort} has no participants yet; attendance is matched against the roster",
                cohort=cohort.id,
            ),
            hint=Msg("import the participant list first: `revmental roster import FILE`"),
        )


def _save(
    store: Store,
    cohort: Cohort,
    plan: SessionPlan,
    *,
    overwrite: bool,
    dry_run: bool,
    warn: Callable[[str], None],
) -> None:
    from revmental_cli.store import last_import, save_attendance

    paths = plan.paths
    # The parts of a restarted meeting imported one after the other: the second replaces the
    # first. Allowed (a corrected export replaces a wrong one), never silent. Files are told
    # apart by their content (the same report under another path, or imported again,
    # replaces nothing new).
    earlier = last_import(store, cohort.id, plan.session)
    # Hashed once: the history records the same digests below.
    digests = {path: file_sha256(path) for path in paths}
    now = set(digests.values())
    gone = sorted(file for sha, file in earlier.items() if sha not in now)
    if gone:
        warn(
            Msg(
                "session {number} had attendance imported from {files}; this import replaces "
                "it (two parts of one meeting: give both files in one import, and they are "
                "merged)",
                number=plan.session,
                files=", ".join(gone),
            )
        )
    outcome = save_attendance(
        store,
        cohort.id,
        plan.session,
        plan.rows,
        source="import",
        source_file="; ".join(map(str, paths)),
        overwrite=overwrite,
        write=not dry_run,
    )
    plan.keep_manual(outcome.kept)
    plan.created, plan.updated = outcome.created, outcome.updated
    plan.unchanged, plan.kept_manual = outcome.unchanged, outcome.kept_manual
    plan.written = not dry_run
    if dry_run:
        return
    merged = f" (merged from {len(paths)} reports)" if len(paths) > 1 else ""
    for path in paths:  # one line per file: each has its own SHA-256
        store.record(
            f"attendance of {cohort.id} session {plan.session}{merged}: "
            + ", ".join(f"{v} {k}" for k, v in plan.summary.items())
            + f"; {len(plan.unmatched)} unmatched",
            cohort_id=cohort.id,
            file=str(path),
            sha256=digests[path],
        )


@dataclass
class Marked:
    """What `attendance mark` recorded."""

    cohort: Cohort
    names: dict[str, str]  # nip -> name, each NIP once, in the order given
    # Imported records of attendance the marks replace (izin for someone Zoom saw for 168
    # minutes): allowed, a letter may explain it, but never without saying what it replaces.
    replaced: list[AttendanceRecord]


def mark(
    store: Store,
    cohort_id: str,
    session_no: int,
    nips: list[str],
    status: str,
    note: str | None,
) -> Marked:
    """Mark participants' attendance by hand, in one transaction; the session and the roster
    are checked under the lock (a `cohort open` may have removed the session meanwhile)."""
    from revmental_cli.store import attendance, enrolled_people, save_attendance

    with store.write():
        cohort = writable(store, cohort_id).cohort
        if cohort.session(session_no) is None:
            raise NotFound(
                Msg("{cohort} has no session {number}", cohort=cohort.id, number=session_no),
                hint=Msg("sessions are numbered 1 to {last}", last=len(cohort.sessions)),
            )
        enrolled = {nip: name for nip, _ndh, name, _email in enrolled_people(store, cohort.id)}
        unknown = [k for k in nips if k not in enrolled]
        if unknown:
            raise NotFound(
                Msg("not enrolled in {cohort}: {nips}", cohort=cohort.id, nips=", ".join(unknown)),
                hint=Msg("`revmental roster show` lists the participants"),
            )
        # Marking izin for someone the report has as absent is what marks are for: only a
        # recorded presence (or time in the meeting) is worth a word.
        replaced = [
            record
            for record in attendance(store, cohort.id, session_no)
            if record.nip in nips
            and record.source == "import"
            and record.status != status
            and (record.status in ("present", "late") or (record.minutes or 0) > 0)
        ]
        keys = list(dict.fromkeys(nips))  # the same NIP twice is one mark
        save_attendance(
            store,
            cohort.id,
            session_no,
            [(k, status, None, None, note) for k in keys],
            source="manual",
            source_file=None,
            overwrite=True,
        )
        store.record(
            f"session {session_no}: {len(keys)} marked {status}" + (f" ({note})" if note else ""),
            cohort_id=cohort.id,
        )
    return Marked(cohort, {k: enrolled[k] for k in keys}, replaced)
