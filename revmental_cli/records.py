"""The typed rows the store returns and the services and renderers read.

Plain records only: no SQL, no I/O, no rules (the store fills them, the domain decides what
they mean). Imported by the store on every command, so it stays small and imports nothing
heavy (the cohort model is named for the type checker only).
"""

# No ``from __future__ import annotations`` here: a NamedTuple turns each string annotation
# into a ForwardRef, compiling it, and the records' sixty-odd fields cost every command half
# a millisecond of start-up that way (a seventh of this module's import). Evaluated
# annotations are cheap objects; only the cohort model, imported for the type checker
# alone, stays a string.
import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from revmental_cli.domain.cohort import Cohort


#: A person's fields besides NIP and name, in the order a roster import stages them: the
#: importer builds its staging tuples (line, ndh, nip, name, *PERSON_FIELDS) in this order
#: and the store's staging table has these columns.
PERSON_FIELDS = (
    "birth_place", "birth_date", "sex", "golongan", "pangkat", "position", "agency",
    "work_unit", "email", "phone", "employment",
)  # fmt: skip


# Rows read from the store are NamedTuples: immutable, and cheap to define and to build (a
# report builds thousands; a dataclass costs a fifth of a millisecond to define at start-up).
class CohortRow(NamedTuple):
    cohort: "Cohort"
    status: str
    source_file: str | None
    source_sha256: str | None
    opened_at: str
    updated_at: str
    closed_at: str | None
    participants: int


class CohortSummary(NamedTuple):
    id: str
    programme_code: str
    programme_name: str
    angkatan: int
    year: int
    organiser: str
    mode: str
    start: dt.date
    end: dt.date
    capacity: int | None
    participants: int
    status: str


class Recorded(NamedTuple):
    """What a cohort already holds that a changed definition could drop."""

    attendance_by_session: dict[int, int]
    scores_by_component: dict[str, int]


class Participant(NamedTuple):
    ndh: int
    nip: str
    name: str
    golongan: str | None
    pangkat: str | None
    position: str | None
    agency: str | None
    work_unit: str | None
    email: str | None
    phone: str | None
    status: str
    withdrawn_reason: str | None


class AttendanceRecord(NamedTuple):
    session: int
    nip: str
    name: str
    ndh: int
    status: str
    minutes: float | None
    first_join: str | None
    source: str
    note: str | None


class CompletionInputs(NamedTuple):
    """Everything the completion rules need, read with one query per table (no N+1)."""

    participants: list[Participant]
    statuses: dict[str, dict[int, str]]  # nip -> session -> status
    scores: dict[str, dict[str, float]]  # nip -> component -> value


class Certificate(NamedTuple):
    number: str
    cohort_id: str
    seq: int
    nip: str
    name: str
    predicate: str | None
    final_score: float | None
    issued_at: str
    revoked_at: str | None
    revoked_reason: str | None
    golongan: str | None = None
    pangkat: str | None = None
    position: str | None = None
    agency: str | None = None
    code: str | None = None  # the random verification code the QR code carries


# What a write did (or, in a dry run, would do): counters the store fills in as it goes.


@dataclass
class RosterOutcome:
    """What a roster import did (or, in a dry run or a refused import, would do)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, dict[str, str], list[str]]] = field(default_factory=list)
    overlaps: list[tuple[str, str, str]] = field(default_factory=list)  # nip, name, other cohort
    written: bool = False
    renumbered: str = ""  # the file's "No" column (as named there), read as row numbers


@dataclass
class AttendanceOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_manual: int = 0
    kept: dict[str, str] = field(default_factory=dict)  # nip -> the manual status kept


@dataclass
class ScoreOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
