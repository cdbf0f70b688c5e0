"""Rules about the number that identifies a participant: a NIP, a NIK or an NRP.

Owns ``normalize_id`` (any of the three as typed, checked; otherwise a FieldError whose
English ``Msg`` is translated where it is shown), ``id_kind`` (which one a normalised
identifier is: told by its length, never stored) and what a NIK encodes (birth date, sex). A
NIP (18 digits, PNS or PPPK) is checked by domain/nip.py; a NIK (Nomor Induk Kependudukan,
16 digits) is a non-ASN participant's identity card number; an NRP (Nomor Registrasi Pokok)
is the service number of a member of the TNI or Polri. ``today`` is always a parameter:
nothing here reads the clock. No I/O, no store, no console.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from revmental_cli.domain.fields import FieldError
from revmental_cli.domain.nip import (
    check_nip,
    excel_damage,
    excel_zeros,
    nip_birth_date,
    nip_digits,
    nip_sex,
)
from revmental_cli.messages import Msg

__all__ = [
    "ALL_KINDS",
    "IdKind",
    "id_birth_date",
    "id_kind",
    "id_sex",
    "nik_birth_date",
    "nik_sex",
    "normalize_id",
    "normalize_nik",
]

IdKind = Literal["nip", "nik", "nrp"]
ALL_KINDS: frozenset[IdKind] = frozenset({"nip", "nik", "nrp"})

NIK_LENGTH = 16
NRP_LENGTHS = range(6, 11)  # Polri's are 8 digits; TNI's vary
_WOMAN_DAY = 40  # a woman's NIK adds 40 to the day of birth
_MIN_AGE = 15  # nobody younger takes part in a training cohort


def normalize_id(raw: str, *, today: date, kinds: frozenset[IdKind] = ALL_KINDS) -> str:
    """Return the NIP, NIK or NRP in ``raw``, digits only, or raise FieldError.

    ``kinds``: the identifiers the column may hold besides a NIP (a roster's column headed
    "NIP" holds NIPs only; "NIP/NIK" or "NIK" also NIKs; "NIP/NRP" also NRPs): a 16-digit
    or 8-digit value is far more often a NIP that lost digits than a NIK or an NRP.
    ``today``: the date no birth date may pass.
    """
    digits, text = nip_digits(raw)
    excel_zeros(digits, text)
    count = len(digits)
    if count == 18:
        return check_nip(digits, today)
    if count == 15 and digits == text:
        # Excel keeps 15 significant digits of a number: what is left of an 18-digit NIP
        # (or a 16-digit NIK) once a sheet turned it into a number and back.
        raise excel_damage()
    if count == NIK_LENGTH and "nik" in kinds:
        return normalize_nik(digits, today=today)
    if count in NRP_LENGTHS and "nrp" in kinds:
        if digits.strip("0") == "":
            raise FieldError(Msg("NRP cannot be all zeros"))
        return digits
    raise FieldError(
        Msg("NIP must have 18 digits, found {count}", count=count), _length_hint(kinds)
    )


def _length_hint(kinds: frozenset[IdKind]) -> str | None:
    if kinds == ALL_KINDS:
        return Msg("a NIP has 18 digits, a NIK 16 and an NRP 6 to 10")
    if kinds == frozenset({"nip"}):
        return Msg(
            "a NIK (16 digits) or an NRP (6 to 10) is accepted in a column headed "
            "NIP/NIK, NIK, NIP/NRP or NRP"
        )
    if "nik" in kinds:
        return Msg("a NIP has 18 digits, a NIK 16")
    return Msg("a NIP has 18 digits, an NRP 6 to 10")


def normalize_nik(raw: str, *, today: date) -> str:
    """Return the 16-digit NIK in ``raw`` or raise FieldError: digits 1-6 the region
    (province, regency, district; none of them 00), 7-12 the birth date as DDMMYY with 40
    added to a woman's day, 13-16 a sequence other than 0000."""
    digits, _text = nip_digits(raw)
    if len(digits) != NIK_LENGTH:
        raise FieldError(Msg("NIK must have 16 digits, found {count}", count=len(digits)))
    region = digits[:6]
    if region[:2] < "11" or region[2:4] == "00" or region[4:6] == "00":
        raise FieldError(Msg("NIK digits 1-6 are not a region code ({digits})", digits=region))
    born = nik_birth_date(digits, today)
    if born is None:
        raise FieldError(
            Msg(
                "NIK digits 7-12 are not a birth date ({digits}; DDMMYY, with 40 added to "
                "the day for a woman)",
                digits=digits[6:12],
            )
        )
    if born > today:
        raise FieldError(
            Msg("NIK digits 7-12 are a birth date in the future ({digits})", digits=digits[6:12])
        )
    if digits[12:] == "0000":
        raise FieldError(Msg("NIK sequence (digits 13-16) cannot be 0000"))
    return digits


def nik_birth_date(nik: str, today: date) -> date | None:
    """The birth date digits 7-12 of a NIK stand for (None: not a date).

    The year has two digits: the later century unless that would make the person younger
    than anyone who takes part in a training cohort on ``today``.
    """
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > _WOMAN_DAY:
        day -= _WOMAN_DAY
    century = 2000 if 2000 + year <= today.year - _MIN_AGE else 1900
    try:
        return date(century + year, month, day)
    except ValueError:
        return None


def nik_sex(nik: str) -> str:
    """'P' (female: the day of birth plus 40) or 'L' (male) from a normalised NIK."""
    return "P" if int(nik[6:8]) > _WOMAN_DAY else "L"


def id_kind(ident: str) -> IdKind:
    """Which identifier a normalised one is: told by its length alone."""
    if len(ident) == 18:
        return "nip"
    if len(ident) == NIK_LENGTH:
        return "nik"
    return "nrp"


def id_birth_date(ident: str, today: date) -> date | None:
    """The birth date a normalised NIP or NIK encodes; None for an NRP."""
    kind = id_kind(ident)
    if kind == "nip":
        return nip_birth_date(ident)
    return nik_birth_date(ident, today) if kind == "nik" else None


def id_sex(ident: str) -> str | None:
    """'L' or 'P' from a normalised NIP or NIK; None for an NRP."""
    kind = id_kind(ident)
    if kind == "nip":
        return nip_sex(ident)
    return nik_sex(ident) if kind == "nik" else None
