"""Counting an upsert: which rows a save creates, changes or leaves as they are.

Shared by the aggregates that save one value per key and report what changed (attendance,
scores, remedials). It decides and counts only: each aggregate keeps its own SQL and its own
idea of "the same value"; this module never touches the database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

T = TypeVar("T")


class Counts(Protocol):
    created: int
    updated: int
    unchanged: int


def changed(
    counts: Counts, old: T | None, new: T, same: Callable[[T, T], bool] = lambda a, b: a == b
) -> bool:
    """Count one row in ``counts``; True when it must be written (new, or not ``same``)."""
    if old is not None and same(old, new):
        counts.unchanged += 1
        return False
    if old is None:
        counts.created += 1
    else:
        counts.updated += 1
    return True
