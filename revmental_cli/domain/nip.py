"""Rules about a NIP (Nomor Induk Pegawai): its 18 digits, what they encode, Excel's damage.

``normalize_nip`` checks a NIP as a person typed it and says what is wrong (FieldError, in
the user's language); ``plain_nip`` is the fast path of a large import; ``nip_birth_date``
and ``nip_sex`` read what a valid NIP encodes. The date a birth date may not pass is a
parameter (``today``); ``system_today`` is the clock's, for callers that give none. No I/O,
no store, no console. Re-exported by domain/person.py.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from revmental_cli.domain.fields import TEXT_MARKS, FieldError
from revmental_cli.i18n import N_, _

__all__ = [
    "EXCEL_NIP_HINT",
    "EXCEL_NIP_MESSAGE",
    "nip_birth_date",
    "nip_sex",
    "normalize_nip",
    "plain_nip",
    "system_today",
]

# English msgids: translate them where they are shown (``_(EXCEL_NIP_MESSAGE)``).
EXCEL_NIP_MESSAGE = N_("Excel corrupted this NIP (it was stored as a number and lost digits)")
EXCEL_NIP_HINT = N_("format the NIP column as Text in Excel, retype the NIPs, and export again")

_NIP_SEPARATORS = re.compile(r"[\s.\-]+")
# Excel shows a number of 12+ digits in scientific form; the mantissa may use
# the Indonesian decimal comma and keep any number of digits.
_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:[.,]\d*)?[eE][+-]?\d+$")
# A NIP read back from a number cell sometimes keeps a decimal part ("…004.0").
_DECIMAL_TAIL = re.compile(r"^\d{15,}[.,]\d+$")


# Grouping characters people type in a NIP; str.translate removes them faster than a regex.
_GROUPING = {ord(c): None for c in " .-\t\u00a0"}


@lru_cache(maxsize=1)
def _today_cached(_key: int) -> date:
    return date.today()


def system_today() -> date:
    """The clock's date, for a NIP check whose caller passes no ``today``.

    The rules here take today as a parameter; this is the only clock read in domain/, kept
    so that callers that do not pass a date yet (commands/ calling ``normalize_nip``) keep
    working. Cached per hour of the clock: a large import calls it often.
    """
    import time

    return _today_cached(int(time.time() // 3600))


def _excel_damage() -> FieldError:
    return FieldError(_(EXCEL_NIP_MESSAGE), _(EXCEL_NIP_HINT))


def normalize_nip(raw: str, *, pppk: bool = False, today: date | None = None) -> str:
    """Return the 18-digit NIP in ``raw`` or raise FieldError saying what is wrong.

    Spaces, dots and dashes used for grouping are removed, as is the leading
    apostrophe Excel uses to mark text. Excel damage is checked first because
    a damaged number would otherwise get a misleading structural message.
    ``pppk`` skips the month check on digits 13-14 (PPPK numbers break it). ``today``: the
    date a birth date may not pass (None: :func:`system_today`).
    """
    text = raw.strip().lstrip(TEXT_MARKS).strip()
    if not text:
        raise FieldError(_("NIP is empty"))
    digits = text.translate(_GROUPING)
    # The common case, 18 plain digits, needs none of the Excel-damage patterns below.
    plain = len(digits) == 18 and digits.isascii() and digits.isdigit()
    if not plain or ("." in text and _DECIMAL_TAIL.match(text.replace(" ", ""))):
        compact = re.sub(r"\s+", "", text)
        if _SCIENTIFIC.match(compact) or _DECIMAL_TAIL.match(compact):
            raise _excel_damage()
        digits = _NIP_SEPARATORS.sub("", text)
    # Excel keeps 15 significant digits, so digits 16-18 of a number cell come
    # back as 000; a sequence of 000 is never issued, so a solid 18-digit value
    # ending in 000 is Excel damage. Written grouped, it was typed by a person.
    if len(digits) == 18 and digits.isascii() and digits.isdigit() and digits.endswith("000"):
        if digits == text:
            raise _excel_damage()
        raise FieldError(_("NIP sequence (digits 16-18) cannot be 000"))
    bad = [] if plain else [ch for ch in digits if not ("0" <= ch <= "9")]
    if bad:
        raise FieldError(_("NIP may only contain digits, found {char}").format(char=repr(bad[0])))
    if len(digits) != 18:
        raise FieldError(_("NIP must have 18 digits, found {count}").format(count=len(digits)))

    if today is None:
        today = system_today()
    birth = digits[:8]
    try:
        born = date(int(birth[:4]), int(birth[4:6]), int(birth[6:8]))
    except ValueError:
        born = None
    if born is None or not (1900 <= born.year <= 2099):
        raise FieldError(
            _("NIP digits 1-8 are not a real birth date ({digits})").format(digits=birth)
        )
    if born > today:
        raise FieldError(
            _("NIP digits 1-8 are a birth date in the future ({digits})").format(digits=birth)
        )

    tmt_year, tmt_month = int(digits[8:12]), int(digits[12:14])
    # Nobody is appointed before the age of about 18: a year before birth + 15 is a typo.
    if not (max(1940, born.year + _MIN_APPOINTMENT_AGE) <= tmt_year <= today.year + 1):
        raise FieldError(
            _("NIP digits 9-12 are not a plausible appointment year ({digits})").format(
                digits=digits[8:12]
            )
        )
    if not pppk and not (1 <= tmt_month <= 12):
        raise FieldError(
            _(
                "NIP digits 13-14 are not a month ({digits}); "
                "if this participant is PPPK, mark them as PPPK"
            ).format(digits=digits[12:14])
        )
    if digits[14] not in "12":
        raise FieldError(
            _("NIP digit 15 must be 1 (male) or 2 (female), found {digit}").format(digit=digits[14])
        )
    return digits


_MIN_APPOINTMENT_AGE = 15  # years between birth and appointment (TMT), at the least


@lru_cache(maxsize=65536)
def _birth(digits: str) -> date | None:
    """The birth date digits 1-8 of a NIP stand for, when they are a real date in 1900-2099."""
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None
    return born if 1900 <= born.year <= 2099 else None


def plain_nip(text: str, today: date | None = None) -> str | None:
    """The NIP of a stripped cell that holds a valid one in the usual way (18 digits, maybe
    grouped by spaces or dashes), checked as ``normalize_nip(text)`` checks it; None for
    anything else, which ``normalize_nip`` then accepts or explains. The fast path of a
    large import: a birth date is checked once per day, not once per row."""
    if not text or "." in text or text[0] in TEXT_MARKS:
        return None
    digits = text.translate(_GROUPING)
    if len(digits) != 18 or not digits.isascii() or not digits.isdigit():
        return None
    if digits.endswith("000") or digits[14] not in "12" or not "01" <= digits[12:14] <= "12":
        return None
    if today is None:
        today = system_today()
    born = _birth(digits[:8])
    if born is None or born > today:
        return None
    if not max(1940, born.year + _MIN_APPOINTMENT_AGE) <= int(digits[8:12]) <= today.year + 1:
        return None
    return digits


def nip_birth_date(nip: str) -> date:
    """Return the birth date encoded in digits 1-8 of a normalised NIP."""
    return date(int(nip[:4]), int(nip[4:6]), int(nip[6:8]))


def nip_sex(nip: str) -> str:
    """Return 'L' (male) or 'P' (female) from digit 15 of a normalised NIP."""
    return "L" if nip[14] == "1" else "P"
