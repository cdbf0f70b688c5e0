"""The ranking of passed participants (peringkat). Pure: no I/O.

Owns the order (final score, then JP-weighted attendance) and shared ranks; must never
decide who passed (domain/completion.py does) nor format a rank for a document.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from revmental_cli.domain.handover import ParticipantResult


@dataclass(frozen=True)
class Ranked:
    rank: int
    shared: bool  # another participant holds the same rank
    result: ParticipantResult


def rank(results: Iterable[ParticipantResult]) -> list[Ranked]:
    """Passed participants best first; equal score and attendance share a rank (1, 2, 2, 4).

    Within a shared rank the NDH orders the rows, so the list is the same on every run.
    """
    passed = sorted(
        (r for r in results if r.status == "passed"),
        key=lambda r: (-r.final_score, -r.attendance_pct, r.ndh),
    )
    keys = [(r.final_score, r.attendance_pct) for r in passed]
    holders = Counter(keys)
    out: list[Ranked] = []
    position = 0
    for i, r in enumerate(passed):
        if i == 0 or keys[i] != keys[i - 1]:
            position = i + 1
        out.append(Ranked(position, holders[keys[i]] > 1, r))
    return out


def top(ranked: Sequence[Ranked], n: int = 3) -> list[Ranked]:
    """The first ``n`` ranks' holders: everyone tied at the cut is in (so maybe more than n)."""
    if n <= 0 or not ranked:
        return []
    if len(ranked) <= n:
        return list(ranked)
    cut = ranked[n - 1].rank
    return [r for r in ranked if r.rank <= cut]
