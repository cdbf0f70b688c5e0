"""Scores: a parsed score sheet checked against the roster and saved; one score set by hand.

Owns which scores may be written: every NIP on the roster, every component one of the
cohort's, both checked again inside the write transaction. Never reads files (the command
hands over what ``importers.scores`` parsed) and never prints.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from revmental_cli.errors import InputError, NotFound, Problem, ValidationFailed
from revmental_cli.messages import Msg
from revmental_cli.records import ScoreOutcome as ScoreOutcomeType
from revmental_cli.services.guards import unchanged, writable

if TYPE_CHECKING:
    from pathlib import Path

    from revmental_cli.domain.cohort import Cohort
    from revmental_cli.importers.scores import ScoreSheet
    from revmental_cli.store import ScoreOutcome, Store


def sheet_problems(
    store: Store, cohort: Cohort, parsed: ScoreSheet, file_name: str, nip_header: str
) -> list[Problem]:
    """The sheet's own problems and every NIP not on the roster, in line order."""
    from revmental_cli.store import enrolled_nips

    roster = enrolled_nips(store, cohort.id)
    problems = list(parsed.problems)
    for line, nip in parsed.nips:
        if nip not in roster:
            problems.append(
                Problem(
                    Msg("{nip} is not on the roster of {cohort}", nip=nip, cohort=cohort.id),
                    file_name,
                    line,
                    nip_header,
                    Msg("import the participant first, or fix the NIP"),
                )
            )
    problems.sort(key=lambda p: (p.line or 0, p.field or ""))
    return problems


def refuse(problems: list[Problem], file_name: str) -> ValidationFailed:
    return ValidationFailed(
        [Problem(p.message, None, p.line, p.field, p.hint) for p in problems],
        Msg("{file}: {count} problem(s); nothing was written", file=file_name, count=len(problems)),
        hint=Msg("fix the cells named above and import again"),
    )


def import_scores(
    store: Store,
    cohort: Cohort,
    parsed: ScoreSheet,
    file: Path,
    sha256: str,
    *,
    nip_header: str,
    dry_run: bool,
) -> ScoreOutcome:
    """Save the sheet's scores, all or none. Raises ValidationFailed (its problems in line
    order) when a row is wrong; checked again under the lock when writing."""
    from revmental_cli.store import save_scores

    values = [(nip, key, value) for _line, nip, key, value in parsed.values]
    if dry_run:
        problems = sheet_problems(store, cohort, parsed, file.name, nip_header)
        if problems:
            raise refuse(problems, file.name)
        return save_scores(store, cohort.id, values, str(file), write=False)
    with store.write():
        # The sheet's columns were matched to these components: a definition reloaded since
        # must be read again; a participant erased since is no longer on the roster.
        unchanged(store, cohort)
        problems = sheet_problems(store, cohort, parsed, file.name, nip_header)
        if problems:
            raise refuse(problems, file.name)
        outcome = save_scores(store, cohort.id, values, str(file))
        _record(store, f"scores of {cohort.id}", cohort.id, outcome, file, sha256)
    return outcome


def _record(
    store: Store, what: str, cohort_id: str, outcome: ScoreOutcomeType, file: Path, sha256: str
) -> None:
    """The history line of an import of scores or remedials (English, as all the history)."""
    store.record(
        f"{what}: {outcome.created} created, {outcome.updated} updated, "
        f"{outcome.unchanged} unchanged",
        cohort_id=cohort_id,
        file=str(file),
        sha256=sha256,
    )


def set_score(store: Store, cohort_id: str, nip: str, component: str, value: float) -> str:
    """Set one score; returns the component's key. The component and the participant are
    looked up under the lock, in the cohort as it is then."""
    from revmental_cli.store import save_scores

    with store.write():
        cohort = writable(store, cohort_id).cohort
        key = _component_key(cohort, component)
        _on_roster(store, cohort, nip)
        save_scores(store, cohort.id, [(nip, key, value)], None)
        store.record(f"score {key} = {value:g} for {nip}", cohort_id=cohort.id)
    return key


def _component_key(cohort: Cohort, component: str) -> str:
    """The component's key from its key or its name, however written."""
    from revmental_cli.importers.scores import column_key

    keys = {column_key(c.key): c.key for c in cohort.completion.components}
    keys.update({column_key(c.name): c.key for c in cohort.completion.components})
    key = keys.get(column_key(component))
    if key is None:
        raise NotFound(
            Msg(
                "unknown component '{component}' in {cohort}", component=component, cohort=cohort.id
            ),
            hint=Msg(
                "components: {keys}", keys=", ".join(c.key for c in cohort.completion.components)
            ),
        )
    return key


def _on_roster(store: Store, cohort: Cohort, nip: str) -> None:
    from revmental_cli.store import enrolled_nips

    if nip not in enrolled_nips(store, cohort.id):
        raise NotFound(
            Msg("{nip} is not on the roster of {cohort}", nip=nip, cohort=cohort.id),
            hint=Msg("`revmental roster show` lists the participants"),
        )


def not_deferred(store: Store, cohort: Cohort, nips: set[str]) -> list[tuple[str, str, str]]:
    """(nip, name, status) of those in ``nips`` whose first result is not DEFERRED: only a
    deferred participant takes a remedial (a re-recorded one is judged on the first result)."""
    from revmental_cli.services.outcomes import assessed_for

    first = {a.nip: a for a in assessed_for(store, cohort, with_remedials=False)}
    out = []
    for nip in sorted(nips):
        a = first.get(nip)
        if a is None:
            continue  # not on the roster: the roster check names it
        status = "withdrawn" if a.withdrawn else a.outcome.status
        if status != "deferred":
            out.append((nip, a.name, status))
    return out


def _refuse_not_deferred(found: list[tuple[str, str, str]]) -> InputError:
    names = ", ".join(f"{name} ({nip}: {status})" for nip, name, status in found[:5])
    more = f" (+{len(found) - 5})" if len(found) > 5 else ""
    return InputError(
        Msg("only a deferred participant takes a remedial: {names}", names=names + more),
        hint=Msg(
            "`revmental report completion` shows who is deferred; use `score set` without "
            "--remedial to correct a score"
        ),
    )


def set_remedial(
    store: Store, cohort_id: str, nip: str, component: str, value: float, day: dt.date
) -> str:
    """Record one re-evaluation of a DEFERRED participant; returns the component's key."""
    from revmental_cli.store.scores import save_remedials

    with store.write():
        cohort = writable(store, cohort_id).cohort
        key = _component_key(cohort, component)
        _on_roster(store, cohort, nip)
        refused = not_deferred(store, cohort, {nip})
        if refused:
            raise _refuse_not_deferred(refused)
        save_remedials(store, cohort.id, [(nip, key, value)], day, None)
        store.record(
            f"remedial {key} = {value:g} on {day.isoformat()} for {nip}", cohort_id=cohort.id
        )
    return key


def import_remedials(
    store: Store,
    cohort: Cohort,
    parsed: ScoreSheet,
    file: Path,
    sha256: str,
    day: dt.date,
    *,
    nip_header: str,
    dry_run: bool,
) -> ScoreOutcome:
    """Save a sheet of re-evaluations, all or none; every row's participant must be DEFERRED."""
    from revmental_cli.store.scores import save_remedials

    values = [(nip, key, value) for _line, nip, key, value in parsed.values]

    def check() -> None:
        problems = sheet_problems(store, cohort, parsed, file.name, nip_header)
        if problems:
            raise refuse(problems, file.name)
        refused = not_deferred(store, cohort, {nip for nip, _key, _value in values})
        if refused:
            raise _refuse_not_deferred(refused)

    if dry_run:
        check()
        return ScoreOutcomeType(created=len(values))
    with store.write():
        unchanged(store, cohort)
        check()
        outcome = save_remedials(store, cohort.id, values, day, str(file))
        _record(
            store,
            f"remedials of {cohort.id} on {day.isoformat()}",
            cohort.id,
            outcome,
            file,
            sha256,
        )
    return outcome
