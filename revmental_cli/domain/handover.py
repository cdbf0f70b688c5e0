"""What the hand-over documents are made of: plain typed inputs, Indonesian number and date forms.

Owns the dataclasses the lead fills from what `report completion` and `report attendance`
compute, and the way rupiah and dates are written in documents. Pure: no I/O, no clock, no
store; must never compute an outcome (domain/completion.py does) or lay out a document.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from revmental_cli.domain.words import long_date

STATUSES = ("passed", "deferred", "not_passed")


@dataclass(frozen=True)
class Remedial:
    """A re-evaluation of one failed component: when, which, and the score it earned."""

    date: dt.date
    component: str
    score: Decimal


@dataclass(frozen=True)
class ParticipantResult:
    """One (not withdrawn) participant's outcome as `report completion` computed it.

    ``final_score`` is the score that counts (the pass line after a remedial);
    ``original_final`` keeps the first result when a remedial changed it.
    """

    ndh: int
    nip: str
    name: str
    status: str  # passed | deferred | not_passed
    final_score: Decimal
    predicate: str | None
    attendance_pct: Decimal
    jp_attended: int
    jp_total: int
    agency: str | None = None
    work_unit: str | None = None
    certificate_number: str | None = None
    remedial: Remedial | None = None
    original_final: Decimal | None = None


@dataclass(frozen=True)
class AttendanceRow:
    """One participant's line of `report attendance`: a status (or None) per session number."""

    ndh: int
    nip: str
    name: str
    statuses: dict[int, str | None]
    jp_attended: int
    jp_total: int
    attendance_pct: Decimal


@dataclass(frozen=True)
class Letter:
    """Number, date and place of a hand-over letter or recap, and who signs it."""

    number: str | None
    date: dt.date
    place: str
    signatory_title: str
    signatory_name: str
    signatory_nip: str | None = None


@dataclass(frozen=True)
class ClosingTexts:
    """The report's prose that only the centre can write; defaults name the cohort plainly."""

    basis: tuple[str, ...] = ()  # Dasar: the regulations and decrees, one per item
    aims: tuple[str, ...] = ()  # Tujuan
    venue: str | None = None  # Waktu dan Tempat: where (a building, or "daring")
    extra: dict[str, str] = field(default_factory=dict)


def rupiah(amount: int) -> str:
    """``Rp 900.000``: Indonesian thousands dots, no decimals (rupiah have no cents in use)."""
    sign = "-" if amount < 0 else ""
    return f"Rp {sign}{abs(amount):,}".replace(",", ".")


def thousands(n: int) -> str:
    """An integer with Indonesian thousands dots: 1.250."""
    return f"{n:,}".replace(",", ".")


def decimal_id(value: Decimal, places: int = 2) -> str:
    """A score or percentage with a decimal comma, as Indonesian documents write it: 85,50."""
    return f"{value:.{places}f}".replace(".", ",")


def tanggal(day: dt.date) -> str:
    """``29 Oktober 2021``."""
    return long_date(day)


def siasn_date(day: dt.date) -> str:
    """``29-10-2021``: the day-month-year form SIASN's import reads."""
    return day.strftime("%d-%m-%Y")


def keterangan(result: ParticipantResult) -> str:
    """The remark in a return letter's attachment: the status in words, with the predicate."""
    if result.status == "passed":
        word = "Lulus setelah perbaikan" if result.remedial is not None else "Lulus"
        return f"{word} ({result.predicate})" if result.predicate else word
    if result.status == "deferred":
        return "Ditunda"
    return "Tidak lulus"


def status_word(status: str) -> str:
    return {"passed": "Lulus", "deferred": "Ditunda", "not_passed": "Tidak Lulus"}.get(
        status, status
    )
