"""The JP each facilitator taught and the honorarium it earns (for the finance officer). Pure.

Owns which sessions count (live: ``sinkron`` and ``klasikal``; ``asinkron`` self-study is
supervised, not taught, and earns no honorarium JP) and the exact integer rupiah amounts.
Must never format money for a document (domain/handover.rupiah does) nor read a file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from revmental_cli.domain.cohort import Cohort

LIVE_KINDS = ("sinkron", "klasikal")


@dataclass(frozen=True)
class TaughtSession:
    number: int
    date: dt.date
    title: str
    kind: str
    jp: int


@dataclass(frozen=True)
class FacilitatorPay:
    id: str
    name: str
    role: str
    internal: bool
    sessions: tuple[TaughtSession, ...]
    jp_live: int
    jp_self_study: int
    jp_honorarium: int
    rate_per_jp: int | None
    amount: int | None  # None when the cohort file gives no rate


@dataclass(frozen=True)
class Honorarium:
    facilitators: tuple[FacilitatorPay, ...]
    jp_live: int
    jp_self_study: int
    jp_honorarium: int
    amount: int  # the sum of the amounts that have a rate
    unpriced: tuple[str, ...]  # facilitators with honorarium JP but no rate: the total omits them


def honorarium(cohort: Cohort, *, internal_min_jp: int = 0) -> Honorarium:
    """Per facilitator, in the cohort file's order: sessions, JP and the amount owed.

    ``internal_min_jp`` is the centre's policy, not a national rule: an internal widyaiswara
    (``internal: true``) is paid only for live JP above this minimum teaching load, which
    their salary already covers. The default 0 pays them like anyone else.
    """
    if internal_min_jp < 0:
        raise ValueError("internal_min_jp must not be negative")
    rows: list[FacilitatorPay] = []
    for f in cohort.facilitators:
        own = tuple(
            TaughtSession(s.number, s.date, s.title, s.kind, s.jp)
            for s in sorted(cohort.sessions, key=lambda s: s.number)
            if s.facilitator == f.id
        )
        live = sum(s.jp for s in own if s.kind in LIVE_KINDS)
        self_study = sum(s.jp for s in own if s.kind not in LIVE_KINDS)
        paid = max(0, live - internal_min_jp) if f.internal else live
        amount = None if f.rate_per_jp is None else paid * f.rate_per_jp
        rows.append(
            FacilitatorPay(
                f.id, f.name, f.role, f.internal, own, live, self_study, paid, f.rate_per_jp, amount
            )
        )
    return Honorarium(
        facilitators=tuple(rows),
        jp_live=sum(r.jp_live for r in rows),
        jp_self_study=sum(r.jp_self_study for r in rows),
        jp_honorarium=sum(r.jp_honorarium for r in rows),
        amount=sum(r.amount for r in rows if r.amount is not None),
        unpriced=tuple(r.id for r in rows if r.amount is None and r.jp_honorarium > 0),
    )
