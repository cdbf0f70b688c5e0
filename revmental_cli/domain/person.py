"""Rules about people: NIP, pangkat/golongan, phone, email, sex, birth date, names.

Every ``normalize_*`` function takes text as it arrives from a sheet and either
returns the one canonical form or raises :class:`FieldError` with a message a
training administrator can act on: an English ``Msg`` that is translated where it is shown
(messages.py), never here. Nothing here does I/O
or reads the clock (a date to check against is the caller's ``today``). The NIP rules are
domain/nip.py, the NIK and NRP rules domain/ids.py, golongan and pangkat domain/golongan.py
and FieldError is domain/fields.py; all are re-exported here, where callers have always found
them.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from revmental_cli.domain.fields import TEXT_MARKS, FieldError
from revmental_cli.domain.golongan import (
    GOLONGAN_PANGKAT,
    is_pppk_golongan,
    normalize_golongan,
)
from revmental_cli.domain.ids import (
    IdKind,
    id_birth_date,
    id_kind,
    id_sex,
    normalize_id,
)
from revmental_cli.domain.nip import (
    EXCEL_NIP_HINT,
    EXCEL_NIP_MESSAGE,
    appointed_after,
    is_pppk,
    nip_appointment,
    nip_birth_date,
    nip_sex,
    normalize_nip,
    plain_nip,
)
from revmental_cli.messages import Msg

__all__ = [
    "EXCEL_NIP_HINT",
    "EXCEL_NIP_MESSAGE",
    "GOLONGAN_PANGKAT",
    "FieldError",
    "IdKind",
    "appointed_after",
    "id_birth_date",
    "id_kind",
    "id_sex",
    "is_pppk",
    "is_pppk_golongan",
    "nip_appointment",
    "nip_birth_date",
    "nip_sex",
    "normalize_golongan",
    "normalize_id",
    "normalize_nip",
    "normalize_phone",
    "normalize_sex",
    "parse_date_cell",
    "plain_nip",
    "plain_phone",
    "strip_titles",
    "validate_email",
]


# Non-breaking and typographic dashes pasted from documents are still dashes.
_DASHES = {ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2212"}


# ---------------------------------------------------------------------- phone

_NON_DIGIT = re.compile(r"\D")
_PHONE_ALLOWED = re.compile(r"^\+?[\d\s().\-/]+$")


_PHONE_GROUPING = {ord(" "): None, ord("-"): None}


def plain_phone(raw: str) -> str | None:
    """``normalize_phone`` of the usual mobile number ("0812-3456-7890", "0812 3456 7890");
    None for any other form, which normalize_phone then reads or explains. The fast path
    of a large import."""
    digits = raw.strip().translate(_PHONE_GROUPING)
    if 10 <= len(digits) <= 14 and digits[:2] == "08" and digits.isascii() and digits.isdigit():
        return "+62" + digits[1:]
    return None


def normalize_phone(raw: str) -> str:
    """Return an Indonesian phone number as E.164 (``+62812...``); "" when empty."""
    text = raw.strip().lstrip(TEXT_MARKS).strip().translate(_DASHES)
    if not text:
        return ""
    if not _PHONE_ALLOWED.match(text):
        raise FieldError(
            Msg("not a phone number ({value})", value=repr(text)),
            Msg("write it as 0812-3456-7890 or +62 812 3456 7890"),
        )
    digits = _NON_DIGIT.sub("", text)
    if text.startswith("+"):
        if not digits.startswith("62"):
            raise FieldError(
                Msg(
                    "only Indonesian numbers (+62) are accepted, found +{start}...",
                    start=digits[:3],
                ),
            )
        national = digits[2:]
    elif digits.startswith("0062"):
        national = digits[4:]
    elif digits.startswith("62"):
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    elif digits.startswith("8"):
        national = digits
    else:
        raise FieldError(
            Msg("phone number must start with 0, 8, 62 or +62, found {start}...", start=digits[:4]),
            Msg("write it as 0812-3456-7890 or +62 812 3456 7890"),
        )
    # "+62 (0)812..." keeps the trunk 0 by mistake.
    if national.startswith("0"):
        national = national[1:]
    if not (9 <= len(national) <= 13) or national.startswith("0"):
        raise FieldError(
            Msg(
                "phone number has {count} digits after the leading 0; "
                "Indonesian numbers have 9 to 13",
                count=len(national),
            ),
        )
    return "+62" + national


# ---------------------------------------------------------------------- email

_WHITESPACE = re.compile(r"\s")
# The shape nearly every address has; anything else goes through the checks that explain.
_PLAIN_EMAIL = re.compile(
    r"^[A-Za-z0-9_%+\-]+(?:\.[A-Za-z0-9_%+\-]+)*@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$"
)
_LOCAL_PART = re.compile(r"^[^\s@\"(),:;<>\[\]\\]+$")
_DOMAIN_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?$")


def validate_email(raw: str) -> str:
    """Return the address with its domain lower-cased; "" when empty."""
    text = raw.strip()
    if not text:
        return ""
    if _PLAIN_EMAIL.match(text) and ".." not in text:
        local, domain = text.split("@")
        return f"{local}@{domain.lower()}"
    if _WHITESPACE.search(text):
        raise FieldError(Msg("email address contains a space ({value})", value=repr(text)))
    if text.count("@") != 1:
        raise FieldError(
            Msg("email address must contain exactly one @ ({value})", value=repr(text))
        )
    local, domain = text.split("@")
    domain = domain.lower()
    if not local or not _LOCAL_PART.match(local):
        raise FieldError(
            Msg("email address has no valid name before the @ ({value})", value=repr(text))
        )
    if ".." in local or local.startswith(".") or local.endswith("."):
        raise FieldError(Msg("email address has misplaced dots ({value})", value=repr(text)))
    labels = domain.split(".")
    if len(labels) < 2 or not all(_DOMAIN_LABEL.match(label) for label in labels):
        raise FieldError(
            Msg("email address has no valid domain after the @ ({value})", value=repr(text))
        )
    if not re.fullmatch(r"[a-z]{2,}", labels[-1]):
        raise FieldError(
            Msg("email address has no valid domain after the @ ({value})", value=repr(text))
        )
    return f"{local}@{domain}"


# ------------------------------------------------------------------------ sex

_SEX = {
    "l": "L", "lk": "L", "laki-laki": "L", "laki laki": "L", "lakilaki": "L", "laki": "L",
    "pria": "L", "m": "L", "male": "L",
    "p": "P", "pr": "P", "perempuan": "P", "wanita": "P", "f": "P", "female": "P",
}  # fmt: skip


def normalize_sex(raw: str) -> str:
    """Return 'L' or 'P' from the usual Indonesian and English spellings; "" when empty."""
    key = " ".join(raw.strip().strip(".").casefold().split())
    if not key:
        return ""
    if key in _SEX:
        return _SEX[key]
    raise FieldError(
        Msg("unknown sex {value}", value=repr(raw.strip())),
        Msg("write L (laki-laki) or P (perempuan)"),
    )


# ----------------------------------------------------------------------- dates

_MONTHS = {
    "januari": 1, "january": 1, "jan": 1,
    "februari": 2, "february": 2, "pebruari": 2, "feb": 2, "peb": 2,
    "maret": 3, "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "agustus": 8, "august": 8, "agu": 8, "agt": 8, "aug": 8, "ags": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "december": 12, "des": 12, "dec": 12,
}  # fmt: skip
_ISO_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]00:00(?::00)?)?$")
_DMY_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
# Public for the readers of other exports that name months ("Sep 30, 2021, 9:01 AM").
MONTH_NUMBERS = _MONTHS
_NAMED_DATE = re.compile(r"^(\d{1,2})[\s\-]+([A-Za-z]+)\.?[\s\-]+(\d{4})$")
_DATE_HINT = Msg("write it as 1988-07-14, 14/07/1988 or 14 Juli 1988")


def parse_date_cell(raw: str | date | datetime) -> date:
    """Return the date in a birth-date cell; day comes before month (never MM/DD)."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = " ".join(raw.split())
    if not text:
        raise FieldError(Msg("date is empty"), _DATE_HINT)
    if match := _ISO_DATE.match(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DMY_DATE.match(text):
        day, month, year = (int(g) for g in match.groups())
    elif match := _NAMED_DATE.match(text):
        month_number = _MONTHS.get(match[2].casefold())
        if month_number is None:
            raise FieldError(
                Msg(
                    "unknown month name {month} in {value}", month=repr(match[2]), value=repr(text)
                ),
                _DATE_HINT,
            )
        day, month, year = int(match[1]), month_number, int(match[3])
    else:
        raise FieldError(Msg("not a date ({value})", value=repr(text)), _DATE_HINT)
    try:
        return date(year, month, day)
    except ValueError:
        raise FieldError(
            Msg("not a real date ({value}; day/month/year)", value=repr(text)), _DATE_HINT
        ) from None


# ---------------------------------------------------------------------- names

# Front titles, with or without their dot, any number of them ("Prof. Dr. Ir. H.").
_FRONT_TITLE = re.compile(
    r"^(?:prof|drs|dra|drg|drh|dr|ir|hj|h|kh|ns|apt)(?:\.\s*|\s+)", re.IGNORECASE
)
_DEGREE_WORDS = {
    "ners", "ca", "ak", "mba", "mm", "mpa", "msc", "phd", "cpa", "cfa", "se", "sh", "mh",
    "sag", "ssos", "skom", "st", "mt", "spd", "mpd", "ma", "bsc", "ba", "llm", "mkes",
    "skm", "sip", "map", "sap", "amd", "skep", "sked", "ssi", "msi", "apt", "spsi", "mpsi",
}  # fmt: skip
# Dotted abbreviations such as "S.Sos.", "M.Si", "Ph.D.", "A.Md.Kep", "S.Kep.Ns".
_DOTTED_DEGREE = re.compile(r"^[A-Za-z]{1,4}\.(?:\s?[A-Za-z]{1,5}\.?)*$")


_DOTS_SPACES = re.compile(r"[.\s]")


def _looks_like_degree(token: str) -> bool:
    token = token.strip()
    if not token:
        return True
    folded = _DOTS_SPACES.sub("", token).casefold()
    return folded in _DEGREE_WORDS or bool(_DOTTED_DEGREE.match(token))


def strip_titles(name: str) -> str:
    """Return the name without academic and religious titles, case-folded, for matching only."""
    head, *tail = name.split(",")
    kept_tail = [part for part in tail if not _looks_like_degree(part)]
    tokens = head.split()
    # Degrees written without a comma ("Ahmad Fauzi M.Si") trail the name. Without their
    # dots ("Siti Rahmawati SE MM") only known degree words go, and two words always stay,
    # so that a short name ending like one ("Andi Ma") keeps it.
    while len(tokens) > 1 and _looks_like_degree(tokens[-1]):
        if "." not in tokens[-1] and (
            len(tokens) <= 2 or _DOTS_SPACES.sub("", tokens[-1]).casefold() not in _DEGREE_WORDS
        ):
            break
        tokens.pop()
    text = " ".join(tokens)
    while True:
        match = _FRONT_TITLE.match(text)
        # Never strip the whole name: "H." alone stays.
        if not match or not text[match.end() :].strip():
            break
        text = text[match.end() :]
    text = " ".join([text, *kept_tail])
    return " ".join(text.casefold().split())
