"""Column-at-a-time checks of a chunk of roster rows: the first fast path of a large import.

Owns: ``column_path``, which takes a chunk of rows (a few thousand) and answers, for each
row, its staging tuple when every cell passes a column check, else None. A column check
accepts only cells that the per-row code (fast.py's closure, parser.py's ``parse_row``)
would accept with the same result, and is made of one regex or one ``str`` method over the
column's cells joined with NUL, or of dictionaries of the distinct values; a column that
fails as a whole is then checked cell by cell, so only the rows that really differ leave.
Every row it answers None for goes through fast.py and parse_row, which decide and
explain: a new kind of identifier, spelling or mistake only ever takes that slower path.
It never records NIPs (the caller keeps the duplicate check in line order), and never
touches the store, the console or the clock (today comes from the parser).
tests/test_roster_parse.py checks that both paths give the same results.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from itertools import repeat
from operator import itemgetter
from typing import Any

from revmental_cli.domain.person import FieldError, normalize_golongan, normalize_sex, plain_nip
from revmental_cli.importers.roster.fast import TIDY_FIELDS, indexes
from revmental_cli.importers.roster.rows import LETTER, PLACEHOLDERS, tidy_text
from revmental_cli.importers.tabular import Row

# Rows per chunk: large enough that the per-column work is a few C calls per row, small
# enough that a chunk's columns stay a few hundred kilobytes.
CHUNK = 2048

# A NIP as most sheets write it: 18 ASCII digits, maybe grouped by single spaces or dashes,
# nothing around them. plain_nip still decides (dates, the appointment year...).
_NIP = r"[0-9]{8}[ -]?[0-9]{4}(?:0[1-9]|1[0-2])[ -]?[12][ -]?(?!000)[0-9]{3}"  # plain_nip's rules
_NIP_GROUPING = {ord(" "): None, ord("-"): None}
_NIP_CELL = re.compile(_NIP)
_NIP_COLUMN = re.compile(f"(?:{_NIP}\0)*{_NIP}")
# An NDH written plainly (no zero in front, no dot, at most 9 digits), or nothing.
_NDH = r"(?:[1-9][0-9]{0,8})?"
_NDH_CELL = re.compile(_NDH)
_NDH_COLUMN = re.compile(f"(?:{_NDH}\0)*{_NDH}")
# An e-mail address of the plain shape validate_email accepts as it is (its domain already in
# lower case, so the address stays unchanged), or nothing.
_LABEL = r"[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?"
_EMAIL = rf"(?:[A-Za-z0-9_%+\-]+(?:\.[A-Za-z0-9_%+\-]+)*@{_LABEL}(?:\.{_LABEL})*\.[a-z]{{2,}})?"
_EMAIL_CELL = re.compile(_EMAIL)
_EMAIL_COLUMN = re.compile(f"(?:{_EMAIL}\0)*{_EMAIL}")
# A mobile number once its spaces and dashes are gone (plain_phone's "08..." form), or nothing.
_PHONE = r"(?:08[0-9]{8,12})?"
_PHONE_CELL = re.compile(_PHONE)
_PHONE_COLUMN = re.compile(f"(?:{_PHONE}\0)*{_PHONE}")
_PHONE_GROUPING = {ord(" "): None, ord("-"): None}
# A cell (after the first) that does not start with an ASCII letter.
_NOT_ASCII_LETTER_FIRST = re.compile("\0[^A-Za-z]")

_SEXES = {"1": "L", "2": "P"}
_SEX_DIGIT = itemgetter(14)
_BIRTH_DIGITS = itemgetter(slice(0, 8))
_LINE = itemgetter(0)
_CELLS = itemgetter(1)
_NUMERIC = itemgetter(2)
_BIRTH_YEAR = itemgetter(slice(0, 4))
_APPOINTED = itemgetter(slice(8, 12))
# Stands in for the NIP of a row already refused, so the columns stay aligned.
_NO_NIP = "197001011990011001"


class _Cache(dict[str, Any]):
    """A dictionary that computes a missing value once: ``map(cache.__getitem__, column)``
    then reads a column of repeated spellings at C speed."""

    def __init__(self, compute: Callable[[str], Any]) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, key: str) -> Any:
        value = self[key] = self._compute(key)
        return value


def _plain(nip: str, today: date) -> bool:
    return plain_nip(nip, today) is not None


def _golongan(cell: str) -> tuple[str | None, str | None] | None:
    """(golongan, pangkat) of a cell the fast paths accept; None: the per-row code decides."""
    text = cell.strip()
    if not text:
        return (None, None)
    try:
        golongan, pangkat = normalize_golongan(text)
    except FieldError:
        return None
    # A golongan without pangkat (PPPK, or "III" alone) needs the per-row rules.
    return (golongan, pangkat) if pangkat else None


def _sex(cell: str) -> str | bool | None:
    """'L'/'P', None for an empty cell, False for anything the per-row code must read."""
    text = cell.strip()
    if not text:
        return None
    try:
        return normalize_sex(text) or False
    except FieldError:
        return False


def _tidy(cell: str) -> str | None:
    value = cell.strip()
    return None if value in PLACEHOLDERS else tidy_text(value) or None


def _birth(digits: str) -> str:
    return f"{digits[:4]}-{digits[4:6]}-{digits[6:8]}"


def column_path(
    columns: Mapping[str, int], width: int, today: date
) -> Callable[[Sequence[Row]], tuple[list[tuple[object, ...] | None], list[str]]]:
    """The column checks for a sheet with these ``columns`` (field -> index) and header
    ``width``: a function from a chunk of rows to their staging tuples (None: not sure) and
    their NIPs (meaningful only where the tuple is not None)."""
    slow_columns, i_nip, i_name, i_ndh, i_golongan, i_sex, i_email, i_phone = indexes(columns)
    tidy_columns = [columns.get(name) for name in TIDY_FIELDS]
    pangkats: dict[str, str | None] = {}

    def golongan_of(cell: str) -> str | bool | None:
        """The golongan of a cell (False: the per-row code decides); its pangkat noted."""
        pair = _golongan(cell)
        pangkats[cell] = pair[1] if pair else None
        return pair[0] if pair else False

    golongans = _Cache(golongan_of)
    sexes = _Cache(_sex)
    tidied = _Cache(_tidy)
    # What plain_nip says of digits 1-12 of a NIP the regex shaped, asked once per distinct
    # birth date and per distinct (birth year, appointment year), of NIPs that differ from
    # the row's only where the row already passed the regex: for plain_nip, a birth date is
    # real and past, and an appointment year plausible for the birth year, or they are not.
    births = _Cache(
        lambda digits: (
            _birth(digits)
            if _plain(f"{digits}{max(1940, int(digits[:4]) + 15):04d}011001", today)
            else None
        )
    )
    appointed: set[str] = set()

    def check(chunk: Sequence[Row]) -> tuple[list[tuple[object, ...] | None], list[str]]:
        n = len(chunk)
        rows_cells = list(map(_CELLS, chunk))
        cols = list(zip(*rows_cells, strict=False))
        if len(cols) < width:  # rows are padded to the header: only a malformed chunk
            return [None] * n, [""] * n
        bad: set[int] = set()
        if max(map(len, rows_cells)) > width:
            bad.update(
                i
                for i, cells in enumerate(rows_cells)
                if len(cells) > width and any(cell.strip() for cell in cells[width:])
            )
        joined: list[str] = []
        for col in cols[:width]:
            text = "\0".join(col)
            if text.count("\0") != n - 1:  # a NUL inside a cell: leave the chunk to the rows
                return [None] * n, [""] * n
            if "#" in text:  # maybe an Excel error value ("#N/A"): parse_row says
                bad.update(i for i, cell in enumerate(col) if "#" in cell)
            joined.append(text)
        for index in slow_columns:
            if "".join(cols[index]).strip():
                bad.update(i for i, cell in enumerate(cols[index]) if cell.strip())
        if any(map(itemgetter(i_nip), map(_NUMERIC, chunk))):
            bad.update(i for i, row in enumerate(chunk) if row.numeric[i_nip])

        # NIP: the shape (digits, month, sex digit, sequence) by one regex over the column;
        # the birth date and appointment year by plain_nip itself, once per distinct pair.
        col = cols[i_nip]
        text = joined[i_nip]
        if not _NIP_COLUMN.fullmatch(text):
            fits = list(map(_NIP_CELL.fullmatch, col))
            bad.update(i for i, fit in enumerate(fits) if not fit)
            text = "\0".join(c if fit else _NO_NIP for c, fit in zip(col, fits, strict=True))
        text = text.translate(_NIP_GROUPING)
        nips = text.split("\0")
        birth_dates = list(map(births.__getitem__, map(_BIRTH_DIGITS, nips)))
        if None in birth_dates:
            bad.update(i for i, birth in enumerate(birth_dates) if birth is None)
        # Birth year and appointment year, side by side: "19882014".
        years = list(map(str.__add__, map(_BIRTH_YEAR, nips), map(_APPOINTED, nips)))
        if not appointed.issuperset(years):
            for year in set(years).difference(appointed):
                if _plain(f"{year[:4]}0101{year[4:]}011001", today):
                    appointed.add(year)
            if not appointed.issuperset(years):
                bad.update(i for i, year in enumerate(years) if year not in appointed)

        # Name: already tidy (no space around or doubled, no tab or NBSP) and with a letter;
        # a name that starts with an ASCII letter has one, the others are looked at alone.
        names = cols[i_name]
        text = joined[i_name]
        if (
            not text
            # An empty name last in the chunk leaves a trailing separator (first: a leading one,
            # which the first-letter test below catches).
            or text.endswith("\0")
            or "\0\0" in text
            or "\0 " in text
            or " \0" in text
            or " ".join(text.split()) != text
            or not ("A" <= text[0] <= "Z" or "a" <= text[0] <= "z")
            or _NOT_ASCII_LETTER_FIRST.search(text)
        ):
            bad.update(
                i
                for i, name in enumerate(names)
                if not name or name != " ".join(name.split()) or not LETTER.search(name)
            )

        ndhs: Sequence[int | None] = repeat(None, n)  # type: ignore[assignment]
        if i_ndh is not None:
            col = cols[i_ndh]
            if not _NDH_COLUMN.fullmatch(joined[i_ndh]):
                fits = list(map(_NDH_CELL.fullmatch, col))
                bad.update(i for i, fit in enumerate(fits) if not fit)
                col = tuple(c if fit else "" for c, fit in zip(col, fits, strict=True))
            ndhs = list(map(int, col)) if "" not in col else [int(c) if c else None for c in col]

        golongan: Sequence[str | None] = repeat(None, n)  # type: ignore[assignment]
        pangkat: Sequence[str | None] = repeat(None, n)  # type: ignore[assignment]
        if i_golongan is not None:
            col = cols[i_golongan]
            golongan = list(map(golongans.__getitem__, col))
            if False in golongan:
                bad.update(i for i, code in enumerate(golongan) if code is False)
            pangkat = list(map(pangkats.__getitem__, col))

        sex = list(map(_SEXES.__getitem__, map(_SEX_DIGIT, nips)))
        if i_sex is not None:
            said = list(map(sexes.__getitem__, cols[i_sex]))
            bad.update(
                i
                for i, (s, d) in enumerate(zip(said, sex, strict=True))
                if s is not None and s != d
            )

        emails: Sequence[str | None] = repeat(None, n)  # type: ignore[assignment]
        if i_email is not None:
            col = cols[i_email]
            if not _EMAIL_COLUMN.fullmatch(joined[i_email]):
                bad.update(i for i, cell in enumerate(col) if not _EMAIL_CELL.fullmatch(cell))
            emails = col if "" not in col else [cell or None for cell in col]

        phones: Sequence[str | None] = repeat(None, n)  # type: ignore[assignment]
        if i_phone is not None:
            text = joined[i_phone].translate(_PHONE_GROUPING)
            digits = text.split("\0")
            if not _PHONE_COLUMN.fullmatch(text):
                digits = [cell.translate(_PHONE_GROUPING) for cell in cols[i_phone]]
                fits = list(map(_PHONE_CELL.fullmatch, digits))
                bad.update(i for i, fit in enumerate(fits) if not fit)
                digits = [d if fit else "" for d, fit in zip(digits, fits, strict=True)]
                text = "\0".join(digits)
            # Every number is "08..." or empty here: "+62" takes the place of the 0.
            phones = ("\0" + text).replace("\x000", "\x00+62")[1:].split("\0")
            if "" in phones:
                phones = [phone or None for phone in phones]

        tidy = [
            repeat(None, n) if index is None else list(map(tidied.__getitem__, cols[index]))
            for index in tidy_columns
        ]
        staged = zip(
            map(_LINE, chunk),
            ndhs,
            nips,
            names,
            repeat(None),  # birth_place
            birth_dates,
            sex,
            golongan,
            pangkat,
            *tidy,  # position, agency, work_unit
            emails,
            phones,
            repeat(None),  # employment
        )
        if not bad:
            return list(staged), nips
        return [None if i in bad else values for i, values in enumerate(staged)], nips

    return check
