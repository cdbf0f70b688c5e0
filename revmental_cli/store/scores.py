"""The scores aggregate: one value per participant and completion component.

The only SQL on the scores table; also gathers the completion rules' inputs (roster,
attendance and scores of a cohort, one query each). Which score passes is the domain's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from revmental_cli.records import CompletionInputs, ScoreOutcome
from revmental_cli.store.attendance import statuses_by_person
from revmental_cli.store.connection import Store, marks, now
from revmental_cli.store.roster import participants
from revmental_cli.store.upsert import changed


def _same_value(old: float, new: float) -> bool:
    return abs(old - new) < 1e-9  # a float read back from the store, not a change


def _same_remedial(old: tuple[float, str], new: tuple[float, str]) -> bool:
    return _same_value(old[0], new[0]) and old[1] == new[1]


def save_scores(
    store: Store,
    cohort_id: str,
    values: Iterable[tuple[str, str, float]],
    source_file: str | None,
    *,
    write: bool = True,
) -> ScoreOutcome:
    """Upsert scores and count what changes; ``write=False`` only counts (a dry run)."""
    c = store.conn
    existing = {
        (nip, key): value
        for nip, key, value in c.execute(
            "SELECT nip, component, value FROM scores WHERE cohort_id = ?", (cohort_id,)
        )
    }
    outcome = ScoreOutcome()
    stamp = now()
    writes = []
    for nip, key, value in values:
        if changed(outcome, existing.get((nip, key)), value, _same_value):
            writes.append((cohort_id, nip, key, value, source_file, stamp))
    if not write:
        return outcome
    c.executemany(
        "INSERT INTO scores (cohort_id, nip, component, value, source_file, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (cohort_id, nip, component) DO UPDATE SET "
        "value = excluded.value, source_file = excluded.source_file, "
        "updated_at = excluded.updated_at",
        writes,
    )
    return outcome


def save_remedials(
    store: Store,
    cohort_id: str,
    values: Iterable[tuple[str, str, float]],
    day: dt.date,
    source_file: str | None,
) -> ScoreOutcome:
    """Upsert re-evaluations (one per participant and component; a new one replaces it)."""
    c = store.conn
    existing = {
        (nip, key): (value, date)
        for nip, key, value, date in c.execute(
            "SELECT nip, component, value, date FROM remedials WHERE cohort_id = ?", (cohort_id,)
        )
    }
    outcome = ScoreOutcome()
    stamp = now()
    writes = []
    for nip, key, value in values:
        new = (value, day.isoformat())
        if changed(outcome, existing.get((nip, key)), new, _same_remedial):
            writes.append((cohort_id, nip, key, *new, source_file, stamp))
    c.executemany(
        "INSERT INTO remedials (cohort_id, nip, component, value, date, source_file, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (cohort_id, nip, component) DO UPDATE SET "
        "value = excluded.value, date = excluded.date, source_file = excluded.source_file, "
        "updated_at = excluded.updated_at",
        writes,
    )
    return outcome


def remedials_by_person(
    store: Store, cohort_id: str
) -> dict[str, list[tuple[str, float, dt.date]]]:
    """nip -> [(component, value, date)] of the re-evaluations recorded."""
    found: dict[str, list[tuple[str, float, dt.date]]] = {}
    for nip, key, value, date in store.conn.execute(
        "SELECT nip, component, value, date FROM remedials WHERE cohort_id = ? "
        "ORDER BY nip, date, component",
        (cohort_id,),
    ):
        found.setdefault(nip, []).append((key, value, dt.date.fromisoformat(date)))
    return found


def scores_by_person(store: Store, cohort_id: str) -> dict[str, dict[str, float]]:
    """nip -> component -> value."""
    scores: dict[str, dict[str, float]] = {}
    for nip, key, value in store.conn.execute(
        "SELECT nip, component, value FROM scores WHERE cohort_id = ?", (cohort_id,)
    ):
        scores.setdefault(nip, {})[key] = value
    return scores


def completion_inputs(store: Store, cohort_id: str) -> CompletionInputs:
    return CompletionInputs(
        participants(store, cohort_id),
        statuses_by_person(store, cohort_id),
        scores_by_person(store, cohort_id),
    )


def count_by_component(store: Store, cohort_id: str) -> dict[str, int]:
    return dict(
        store.conn.execute(
            "SELECT component, count(*) FROM scores WHERE cohort_id = ? GROUP BY component",
            (cohort_id,),
        ).fetchall()
    )


def components(store: Store, cohort_id: str) -> list[str]:
    """The components that have scores, for `db check`."""
    return [
        key
        for (key,) in store.conn.execute(
            "SELECT DISTINCT component FROM scores WHERE cohort_id = ?", (cohort_id,)
        )
    ]


def drop_components_except(store: Store, cohort_id: str, keys: list[str]) -> None:
    """Forget the scores (and re-evaluations) of components a changed definition no longer
    has."""
    for table in ("scores", "remedials"):
        store.conn.execute(
            f"DELETE FROM {table} WHERE cohort_id = ? AND component NOT IN ({marks(keys)})",
            (cohort_id, *keys),
        )
