"""Rules about a NIP (Nomor Induk Pegawai): its 18 digits, what they encode, Excel's damage.

``normalize_nip`` checks a NIP as a person typed it and says what is wrong (FieldError, a
``Msg`` translated where it is shown); ``plain_nip`` is the fast path of a large import;
``nip_birth_date``, ``nip_sex``, ``is_pppk`` and ``nip_appointment`` read what a valid NIP
encodes. A PNS NIP has the appointment month in digits 13-14, a PPPK number has 21 there:
both are NIPs, told apart by the number itself. The date a birth date may not pass is a
required parameter (``today``): nothing here reads the clock. No I/O, no store, no console.
Re-exported by domain/person.py; the other identifiers (NIK, NRP) are domain/ids.py.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from revmental_cli.domain.fields import TEXT_MARKS, FieldError
from revmental_cli.messages import Msg

__all__ = [
    "EXCEL_NIP_HINT",
    "EXCEL_NIP_MESSAGE",
    "PPPK_CODE",
    "appointed_after",
    "check_nip",
    "excel_damage",
    "excel_zeros",
    "is_pppk",
    "nip_appointment",
    "nip_birth_date",
    "nip_digits",
    "nip_sex",
    "normalize_nip",
    "plain_nip",
]

# Messages, translated where they are shown.
EXCEL_NIP_MESSAGE = Msg("Excel corrupted this NIP (it was stored as a number and lost digits)")
EXCEL_NIP_HINT = Msg("format the NIP column as Text in Excel, retype the NIPs, and export again")

_NIP_SEPARATORS = re.compile(r"[\s.\-]+")
# Excel shows a number of 12+ digits in scientific form; the mantissa may use
# the Indonesian decimal comma and keep any number of digits.
_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:[.,]\d*)?[eE][+-]?\d+$")
# A NIP read back from a number cell sometimes keeps a decimal part ("…004.0").
_DECIMAL_TAIL = re.compile(r"^\d{15,}[.,]\d+$")


# Grouping characters people type in a NIP; str.translate removes them faster than a regex.
_GROUPING = {ord(c): None for c in " .-\t\u00a0"}


def excel_damage() -> FieldError:
    return FieldError(EXCEL_NIP_MESSAGE, EXCEL_NIP_HINT)


def nip_digits(raw: str) -> tuple[str, str]:
    """The digits of an identifier as typed, and the text they came from (marks stripped).

    Raises FieldError for an empty cell, Excel's damage (scientific form, a decimal tail)
    and any character that is not a digit or a grouping mark. Shared with domain/ids.py,
    which reads NIKs and NRPs from the same column.
    """
    text = raw.strip().lstrip(TEXT_MARKS).strip()
    if not text:
        raise FieldError(Msg("NIP is empty"))
    digits = text.translate(_GROUPING)
    # The common case, plain digits, needs none of the Excel-damage patterns below.
    plain = digits.isascii() and digits.isdigit()
    if not plain or ("." in text and _DECIMAL_TAIL.match(text.replace(" ", ""))):
        compact = re.sub(r"\s+", "", text)
        if _SCIENTIFIC.match(compact) or _DECIMAL_TAIL.match(compact):
            raise excel_damage()
        digits = _NIP_SEPARATORS.sub("", text)
        bad = [ch for ch in digits if not ("0" <= ch <= "9")]
        if bad:
            raise FieldError(Msg("NIP may only contain digits, found {char}", char=repr(bad[0])))
    return digits, text


def normalize_nip(raw: str, *, today: date) -> str:
    """Return the 18-digit NIP in ``raw`` or raise FieldError saying what is wrong.

    Spaces, dots and dashes used for grouping are removed, as is the leading
    apostrophe Excel uses to mark text. Excel damage is checked first because
    a damaged number would otherwise get a misleading structural message.
    Digits 13-14 are the appointment month of a PNS, or 21 for a PPPK number.
    ``today``: the date a birth date may not pass.
    """
    digits, text = nip_digits(raw)
    excel_zeros(digits, text)
    if len(digits) != 18:
        raise FieldError(Msg("NIP must have 18 digits, found {count}", count=len(digits)))
    return check_nip(digits, today)


def excel_zeros(digits: str, text: str) -> None:
    """Refuse the 18 digits of a number cell: Excel keeps 15 significant digits, so digits
    16-18 come back as 000; a sequence of 000 is never issued, so a solid 18-digit value
    ending in 000 is Excel damage. Written grouped, it was typed by a person."""
    if len(digits) == 18 and digits.endswith("000"):
        if digits == text:
            raise excel_damage()
        raise FieldError(Msg("NIP sequence (digits 16-18) cannot be 000"))


def check_nip(digits: str, today: date) -> str:
    """Check what 18 plain digits encode (birth date, appointment, sex); return them."""
    birth = digits[:8]
    born = _birth(birth)
    if born is None:
        raise FieldError(Msg("NIP digits 1-8 are not a real birth date ({digits})", digits=birth))
    if born > today:
        raise FieldError(
            Msg("NIP digits 1-8 are a birth date in the future ({digits})", digits=birth)
        )

    tmt_year, tmt_month = int(digits[8:12]), digits[12:14]
    # Nobody is appointed before the age of about 18: a year before birth + 15 is a typo.
    if not (max(1940, born.year + _MIN_APPOINTMENT_AGE) <= tmt_year <= today.year + 1):
        raise FieldError(
            Msg(
                "NIP digits 9-12 are not a plausible appointment year ({digits})",
                digits=digits[8:12],
            )
        )
    if not ("01" <= tmt_month <= "12" or tmt_month == PPPK_CODE):
        raise FieldError(
            Msg(
                "NIP digits 13-14 are not a month ({digits}); a PPPK number has 21 there",
                digits=tmt_month,
            )
        )
    if digits[14] not in "12":
        raise FieldError(
            Msg("NIP digit 15 must be 1 (male) or 2 (female), found {digit}", digit=digits[14])
        )
    return digits


#: Digits 13-14 of a PPPK number (Pegawai Pemerintah dengan Perjanjian Kerja), where a PNS
#: NIP has the month of appointment.
PPPK_CODE = "21"


def is_pppk(nip: str) -> bool:
    """Whether a normalised NIP is a PPPK number (digits 13-14 are 21)."""
    return nip[12:14] == PPPK_CODE


def nip_appointment(nip: str) -> tuple[int, int | None]:
    """The appointment (TMT) year and month of a normalised NIP; a PPPK number gives no month."""
    return int(nip[8:12]), None if is_pppk(nip) else int(nip[12:14])


_MIN_APPOINTMENT_AGE = 15  # years between birth and appointment (TMT), at the least


@lru_cache(maxsize=65536)
def _birth(digits: str) -> date | None:
    """The birth date digits 1-8 of a NIP stand for, when they are a real date in 1900-2099."""
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None
    return born if 1900 <= born.year <= 2099 else None


def plain_nip(text: str, today: date) -> str | None:
    """The NIP of a stripped cell that holds a valid PNS one in the usual way (18 digits,
    maybe grouped by spaces or dashes), checked as ``normalize_nip(text)`` checks it; None
    for anything else (a PPPK number, a NIK, an NRP, anything odd), which the full checks
    then accept or explain. The fast path of a large import: a birth date is checked once
    per day, not once per row."""
    if not text or "." in text or text[0] in TEXT_MARKS:
        return None
    digits = text.translate(_GROUPING)
    if len(digits) != 18 or not digits.isascii() or not digits.isdigit():
        return None
    if digits.endswith("000") or digits[14] not in "12" or not "01" <= digits[12:14] <= "12":
        return None
    born = _birth(digits[:8])
    if born is None or born > today:
        return None
    if not max(1940, born.year + _MIN_APPOINTMENT_AGE) <= int(digits[8:12]) <= today.year + 1:
        return None
    return digits


def appointed_after(nip: str, end: date) -> bool:
    """Whether the appointment (TMT) a normalised NIP encodes comes after ``end``: a month
    after it for a PNS NIP, a year after it for a PPPK number (which gives no month)."""
    year, month = nip_appointment(nip)
    if month is None:
        return year > end.year
    return (year, month) > (end.year, end.month)


def nip_birth_date(nip: str) -> date:
    """Return the birth date encoded in digits 1-8 of a normalised NIP."""
    return date(int(nip[:4]), int(nip[4:6]), int(nip[6:8]))


def nip_sex(nip: str) -> str:
    """Return 'L' (male) or 'P' (female) from digit 15 of a normalised NIP."""
    return "L" if nip[14] == "1" else "P"
