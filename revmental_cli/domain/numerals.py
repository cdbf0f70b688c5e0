"""Roman numerals, as angkatan are written ("Angkatan II"). No I/O.

A module of its own so that listing cohorts needs no cohort model (start-up time).
"""

from __future__ import annotations

_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def roman(n: int) -> str:
    """Angkatan are written in Roman numerals ("Angkatan II")."""
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def from_roman(text: str) -> int | None:
    """The inverse of ``roman`` for canonical numerals; None when ``text`` is not one."""
    text = text.strip().upper()
    if not text or any(c not in "MDCLXVI" for c in text):
        return None
    values = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}
    total = 0
    for i, c in enumerate(text):
        v = values[c]
        total += -v if i + 1 < len(text) and values[text[i + 1]] > v else v
    return total if roman(total) == text else None
