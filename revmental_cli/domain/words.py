"""Indonesian words for numbers, dates, periods and NIPs, as a printed STTP writes them. No I/O.

Owns the text rules only ("36 (tiga puluh enam)", "14 Juli 1988", "19880714 201403 2 004");
it must never read files, the store or the clock, so that a certificate renders the same on
every machine and every day.
"""

from __future__ import annotations

from datetime import date

_ONES = (
    "nol",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
)

# Short scale, as Indonesian uses it; "seribu" (not "satu ribu") is the one irregular prefix,
# and it applies to a thousand alone: 1,000,000 is "satu juta".
_SCALES = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (1000, "ribu"))

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)

# "s.d." (sampai dengan) is how government letters write a range of dates.
PERIOD_JOINER = "s.d."


def _below_thousand(n: int) -> list[str]:
    """Words for 1..999 (empty for 0, which only stands alone as "nol")."""
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds == 1:
        words.append("seratus")
    elif hundreds:
        words += [_ONES[hundreds], "ratus"]
    if rest == 0:
        return words
    if rest < 10:
        words.append(_ONES[rest])
    elif rest == 10:
        words.append("sepuluh")
    elif rest == 11:
        words.append("sebelas")
    elif rest < 20:
        words += [_ONES[rest - 10], "belas"]
    else:
        tens, ones = divmod(rest, 10)
        words += [_ONES[tens], "puluh"]
        if ones:
            words.append(_ONES[ones])
    return words


def number_words(n: int) -> str:
    """``n`` in Indonesian words: 36 -> "tiga puluh enam", 1000 -> "seribu".

    Defined for 0 up to 999 999 999 999 999; raises ValueError outside that range.
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"number_words takes an int, not {type(n).__name__}")
    if n < 0 or n >= 10**15:
        raise ValueError(f"number_words is defined for 0..999999999999999, not {n}")
    if n == 0:
        return "nol"
    words: list[str] = []
    for value, name in _SCALES:
        count, n = divmod(n, value)
        if not count:
            continue
        if count == 1 and value == 1000:
            words.append("seribu")
        else:
            words += [*_below_thousand(count), name]
    words += _below_thousand(n)
    return " ".join(words)


def jp_text(jp: int) -> str:
    """The hours of a programme as certificates write them: 36 -> "36 (tiga puluh enam)"."""
    return f"{jp} ({number_words(jp)})"


def long_date(d: date) -> str:
    """An Indonesian long date: 14 Juli 1988 (no leading zero, month by name)."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def period_text(start: date, end: date) -> str:
    """A training period, naming month and year only as often as needed to read well.

    - one day: "29 September 2021"
    - same month: "1 s.d. 5 Juli 2021"
    - same year: "29 September s.d. 29 Oktober 2021"
    - otherwise: "28 Desember 2021 s.d. 5 Januari 2022"

    An end before the start is a caller's error (ValueError), not something to print.
    """
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    if start == end:
        return long_date(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day} {PERIOD_JOINER} {long_date(end)}"
    if start.year == end.year:
        return f"{start.day} {MONTHS[start.month - 1]} {PERIOD_JOINER} {long_date(end)}"
    return f"{long_date(start)} {PERIOD_JOINER} {long_date(end)}"


def group_nip(nip: str) -> str:
    """An 18-digit NIP as printed: birth date, appointment month, sex, serial.

    "198807142014032004" -> "19880714 201403 2 004". Spaces already in it are ignored; any other
    id (a 16-digit NIK, an NRP, a PPPK number written differently) comes back as given, stripped.
    """
    text = nip.strip()
    digits = "".join(text.split())
    if len(digits) != 18 or not digits.isascii() or not digits.isdigit():
        return text
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"
