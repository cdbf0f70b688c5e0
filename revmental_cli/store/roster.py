"""The roster aggregate: people and their enrollments in cohorts (NDH, withdrawal).

The only SQL on the people and enrollments tables, but for erasing a person (privacy.py) and
the import of a roster file (roster_import.py, which stages, checks and merges a whole file).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from revmental_cli.records import Participant
from revmental_cli.store.connection import Store, now

if TYPE_CHECKING:
    pass


def _participant_select() -> str:
    return (
        "SELECT e.ndh, p.nip, p.name, p.golongan, p.pangkat, p.position, p.agency, p.work_unit, "
        "p.email, p.phone, e.status, e.withdrawn_reason FROM enrollments e "
        "JOIN people p ON p.nip = e.nip WHERE e.cohort_id = ?"
    )


def participants(store: Store, cohort_id: str) -> list[Participant]:
    rows = store.conn.execute(_participant_select() + " ORDER BY e.ndh", (cohort_id,))
    return [Participant(*r) for r in rows]


def person_details(store: Store, cohort_id: str) -> dict[str, dict[str, str | None]]:
    """Birth date, sex and employment of every participant of a cohort, by NIP: what
    ``roster show --json`` adds to the rows ``participants`` gives."""
    rows = store.conn.execute(
        "SELECT p.nip, p.birth_date, p.sex, p.employment FROM enrollments e "
        "JOIN people p ON p.nip = e.nip WHERE e.cohort_id = ?",
        (cohort_id,),
    )
    return {nip: {"birth_date": b, "sex": s, "employment": k} for nip, b, s, k in rows}


def participant(store: Store, cohort_id: str, nip: str) -> Participant | None:
    row = store.conn.execute(_participant_select() + " AND e.nip = ?", (cohort_id, nip)).fetchone()
    return Participant(*row) if row else None


def withdraw(store: Store, cohort_id: str, nip: str, reason: str | None) -> None:
    store.conn.execute(
        "UPDATE enrollments SET status = 'withdrawn', withdrawn_reason = ?, updated_at = ? "
        "WHERE cohort_id = ? AND nip = ?",
        (reason, now(), cohort_id, nip),
    )


def enrolled_people(store: Store, cohort_id: str) -> list[tuple[str, int, str, str]]:
    """(nip, ndh, name, email) of every enrolled participant, for matching reports."""
    return store.conn.execute(
        "SELECT p.nip, e.ndh, p.name, coalesce(p.email, '') FROM enrollments e "
        "JOIN people p ON p.nip = e.nip WHERE e.cohort_id = ? AND e.status = 'enrolled' "
        "ORDER BY e.ndh",
        (cohort_id,),
    ).fetchall()


def has_enrolled(store: Store, cohort_id: str) -> bool:
    """Whether anyone is enrolled: the check before an import, without reading the roster."""
    row = store.conn.execute(
        "SELECT EXISTS (SELECT 1 FROM enrollments WHERE cohort_id = ? AND status = 'enrolled')",
        (cohort_id,),
    ).fetchone()
    return bool(row[0])


def enrolled_nips(store: Store, cohort_id: str) -> dict[str, str]:
    """nip -> status for everyone on the roster (enrolled or withdrawn)."""
    return dict(
        store.conn.execute(
            "SELECT nip, status FROM enrollments WHERE cohort_id = ?", (cohort_id,)
        ).fetchall()
    )


def nip_choices(store: Store, cohort_id: str, prefix: str) -> list[tuple[str, str]]:
    """(nip, name) of the cohort's participants whose NIP starts with ``prefix`` (shell
    completion)."""
    return store.conn.execute(
        "SELECT e.nip, p.name FROM enrollments e JOIN people p ON p.nip = e.nip "
        "WHERE e.cohort_id = ? AND e.nip LIKE ? ORDER BY e.ndh",
        (cohort_id, prefix + "%"),
    ).fetchall()


def duplicate_ndhs(store: Store) -> list[tuple[str, int, int]]:
    """(cohort, ndh, how many) where one NDH is shared: the UNIQUE constraint forbids it, so
    only a store whose table was rebuilt without it can hold one (`db check`)."""
    return store.conn.execute(
        "SELECT cohort_id, ndh, count(*) FROM enrollments GROUP BY cohort_id, ndh "
        "HAVING count(*) > 1 ORDER BY cohort_id, ndh"
    ).fetchall()
