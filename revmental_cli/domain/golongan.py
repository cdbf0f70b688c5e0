"""Golongan and pangkat: the ranks of a civil servant, as sheets spell them.

Owns the table of PNS golongan (I/a to IV/e) and their pangkat names, the reading of every
spelling sheets use ("III/c", "Penata (III/c)", "Penata Tk. I", "Gol. III c") into one
canonical (golongan, pangkat) pair, and the PPPK golongan (I to XVII, which have no pangkat).
Pure: no I/O, no clock; a refusal is a FieldError with an English Msg translated where it is
shown. Re-exported by domain/person.py, where callers have always found it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from revmental_cli.domain.fields import FieldError
from revmental_cli.messages import Msg

GOLONGAN_PANGKAT: dict[str, str] = {
    "I/a": "Juru Muda",
    "I/b": "Juru Muda Tingkat I",
    "I/c": "Juru",
    "I/d": "Juru Tingkat I",
    "II/a": "Pengatur Muda",
    "II/b": "Pengatur Muda Tingkat I",
    "II/c": "Pengatur",
    "II/d": "Pengatur Tingkat I",
    "III/a": "Penata Muda",
    "III/b": "Penata Muda Tingkat I",
    "III/c": "Penata",
    "III/d": "Penata Tingkat I",
    "IV/a": "Pembina",
    "IV/b": "Pembina Tingkat I",
    "IV/c": "Pembina Utama Muda",
    "IV/d": "Pembina Utama Madya",
    "IV/e": "Pembina Utama",
}


def _pangkat_key(name: str) -> str:
    """Fold the spellings of a pangkat name ("Tk. I", "Tk.I", "Tingkat 1") together."""
    key = name.casefold()
    key = re.sub(r"\btk\b\.?|\btingkat\b", " tingkat ", key)
    key = re.sub(r"[.,]", " ", key)
    key = re.sub(r"\btingkat\s+1\b", "tingkat i", key)
    return " ".join(key.split())


_PANGKAT_GOLONGAN = {_pangkat_key(p): g for g, p in GOLONGAN_PANGKAT.items()}

_ROMAN_PPPK = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX",
    "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII",
]  # fmt: skip
# The lookbehind keeps the "i" ending a word ("Asia") from reading as golongan I/a.
_GOLONGAN_CODE = r"(?<![a-z])(?P<roman>IV|III|II|I)\s*[/.\-]?\s*(?P<letter>[a-e])(?![a-z])"
_CODE_ONLY = re.compile(rf"^{_GOLONGAN_CODE}$", re.IGNORECASE)
# "Penata (III/c)", "Penata, III/c", "Penata - III/c", "Penata III/c", "Penata/III/c"
_NAME_THEN_CODE = re.compile(
    rf"^(?P<name>.*?)[\s,\-/]*\(?\s*{_GOLONGAN_CODE}\s*\)?$", re.IGNORECASE
)
# "III/c Penata", "III/c - Penata", "III/c (Penata)", "III/c/Penata"
_CODE_THEN_NAME = re.compile(rf"^{_GOLONGAN_CODE}[\s,\-/]*\(?(?P<name>[^()]*?)\)?$", re.IGNORECASE)
_ANY_CODE = re.compile(r"^(?P<roman>[IVXLivxl]+)\s*[/.\-\s]\s*(?P<letter>[A-Za-z])$")
_GOLONGAN_PREFIX = re.compile(r"^(?:golongan|gol)\b\.?\s*(?:ruang\b\.?\s*)?", re.IGNORECASE)
# A PPPK golongan as sheets write it: "V", "(V)", "Golongan V", "gol. V", "Gol V (PPPK)".
_PPPK_SPELLING = re.compile(
    r"^\(?\s*(?:(?:golongan|gol)\b\.?\s*)?\(?\s*(?P<roman>[IVXivx]+)\s*\)?"
    r"(?:\s*[(\-]?\s*(?:pppk|p3k)\s*\)?)?$",
    re.IGNORECASE,
)

_GOLONGAN_HINT = Msg(
    "write the golongan as III/c (I/a to IV/e), a pangkat name such as Penata, "
    "or a PPPK golongan I to XVII"
)


def _code(roman: str, letter: str) -> str:
    code = f"{roman.upper()}/{letter.lower()}"
    if code not in GOLONGAN_PANGKAT:
        raise FieldError(
            Msg(
                "golongan {code} does not exist "
                "(I/a to I/d, II/a to II/d, III/a to III/d, IV/a to IV/e)",
                code=code,
            ),
            _GOLONGAN_HINT,
        )
    return code


def _with_name(code: str, name: str) -> tuple[str, str]:
    name = name.strip(" ,-()")
    if not name:
        return code, GOLONGAN_PANGKAT[code]
    named = _PANGKAT_GOLONGAN.get(_pangkat_key(name))
    if named is None:
        raise FieldError(
            Msg("unknown pangkat {name} with golongan {code}", name=repr(name), code=code),
            _GOLONGAN_HINT,
        )
    if named != code:
        raise FieldError(
            Msg(
                "pangkat {pangkat} is golongan {named}, not {code}; check which one is right",
                pangkat=GOLONGAN_PANGKAT[named],
                named=named,
                code=code,
            ),
        )
    return code, GOLONGAN_PANGKAT[code]


# A sheet repeats a handful of spellings thousands of times: remember the answers.
@lru_cache(maxsize=512)
def normalize_golongan(raw: str) -> tuple[str, str]:
    """Return (golongan, pangkat) such as ("III/c", "Penata"); ("", "") when empty.

    PPPK golongan (Roman numerals I to XVII alone) come back with an empty pangkat.
    """
    text = " ".join(raw.split())
    if not text:
        return "", ""
    pppk = _PPPK_SPELLING.match(text)
    if pppk and pppk["roman"].upper() in _ROMAN_PPPK:
        return pppk["roman"].upper(), ""
    text = _GOLONGAN_PREFIX.sub("", text).strip()
    match = _CODE_ONLY.match(text)
    if match:
        code = _code(match["roman"], match["letter"])
        return code, GOLONGAN_PANGKAT[code]
    for pattern in (_NAME_THEN_CODE, _CODE_THEN_NAME):
        match = pattern.match(text)
        if match:
            return _with_name(_code(match["roman"], match["letter"]), match["name"])
    named = _PANGKAT_GOLONGAN.get(_pangkat_key(text))
    if named is not None:
        return named, GOLONGAN_PANGKAT[named]
    odd = _ANY_CODE.match(text)
    if odd:
        raise FieldError(
            Msg(
                "golongan {code} does not exist",
                code=f"{odd['roman'].upper()}/{odd['letter'].lower()}",
            ),
            _GOLONGAN_HINT,
        )
    raise FieldError(Msg("unknown golongan {value}", value=repr(raw.strip())), _GOLONGAN_HINT)


def is_pppk_golongan(golongan: str) -> bool:
    """Whether a normalised golongan is a PPPK one (a Roman numeral alone, no ruang).

    I to IV alone are also how a PNS golongan is written without its ruang; the caller
    decides with the NIP which one it is.
    """
    return golongan in _ROMAN_PPPK
