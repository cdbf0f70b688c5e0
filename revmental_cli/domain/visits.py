"""What one row of an attendance report says: a :class:`Visit` (Zoom, Meet) or a :class:`Mark`.

The readers in importers/attendance build them; the rules in domain/attendance.py weigh them.
They live here so that the rules never import a reader. Plain data: no I/O, no clock, no
store, no console.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["Mark", "Visit"]


@dataclass(frozen=True)
class Visit:
    """One participant row of a Zoom or Meet report: one connection of one device."""

    line: int
    name: str
    original_name: str
    email: str
    join: datetime | None
    leave: datetime | None
    minutes: float | None
    guest: bool | None
    # Zoom's unique-users export, or a Meet row whose duration is shorter than its span:
    # ``minutes`` is the time connected in all, and join and leave are the first join and the
    # last leave, not one connection.
    total: bool = False


@dataclass(frozen=True)
class Mark:
    """One row of a plain attendance sheet: a NIP and the status recorded for it."""

    line: int
    nip: str
    status: str
    minutes: float | None
    note: str
    answered: datetime | None = None  # a presence form: when the answer was sent
    name: str = ""  # as written, to show a row that is not credited
