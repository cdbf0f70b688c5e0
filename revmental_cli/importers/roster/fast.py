"""The fast path of ``RosterParser.staged``: the staging tuple of a plain valid row.

Owns: the closure that checks exactly what ``RosterParser.parse_row`` checks, for the rows
most large files are made of (a grouped NIP, a name, a golongan spelled one of a few ways),
caching what repeats; it answers None for any row it is not sure of, and parse_row decides
and explains. tests/test_roster_parse.py checks both paths agree on generated rows. Never
touches the store, the console or the clock (today comes from the parser).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, NamedTuple, TypeVar

from revmental_cli.domain.person import (
    FieldError,
    normalize_golongan,
    normalize_phone,
    normalize_sex,
    plain_nip,
    plain_phone,
    validate_email,
)
from revmental_cli.importers.headers import BIRTH_PLACE_DATE, PANGKAT
from revmental_cli.importers.roster.rows import LETTER, PLACEHOLDERS, UNTIDY, tidy_text
from revmental_cli.importers.tabular import Row

# The fast path of RosterParser.staged: fields it never reads (a row that fills one goes
# through parse_row), fields it only tidies, and the order of the staging tuple (store.py).
SLOW_FIELDS = (
    "title_front", "title_back", "employment", "birth_place", "birth_date", BIRTH_PLACE_DATE,
    PANGKAT,
)  # fmt: skip
TIDY_FIELDS = ("position", "agency", "work_unit")


class Indexes(NamedTuple):
    """Where a sheet's fields are (None: no such column), for the fast paths' closures."""

    slow: tuple[int, ...]  # the columns that send a row to parse_row whenever they hold anything
    nip: int
    name: int
    ndh: int | None
    golongan: int | None
    sex: int | None
    email: int | None
    phone: int | None


def indexes(columns: Mapping[str, int]) -> Indexes:
    return Indexes(
        tuple(columns[name] for name in SLOW_FIELDS if name in columns),
        columns["nip"],
        columns["name"],
        *(columns.get(name) for name in ("ndh", "golongan", "sex", "email", "phone")),
    )


T = TypeVar("T")
UNSEEN: Any = object()  # a spelling not met yet (None is a spelling met and refused)


def _refused_as_none(normalize: Callable[[str], T], text: str) -> T | None:
    """What ``normalize`` makes of a spelling, or None where it refuses it (parse_row then
    explains why)."""
    try:
        return normalize(text)
    except FieldError:
        return None


def fast_path(
    columns: Mapping[str, int], width: int, seen: dict[str, int], today: date
) -> Callable[[Row], tuple[object, ...] | None]:
    """The fast path for a sheet with these ``columns`` (field -> index) and header ``width``.

    ``seen`` (NIP -> first line) is the parser's own, shared with parse_row for the duplicate
    check; ``today`` is the date no birth date in a NIP may pass.
    """
    # A closure over the column indexes and caches: local names are what makes a Python
    # loop over 200,000 rows affordable (no attribute or dict lookup per field).
    cols = columns
    # The columns that send a row to parse_row whenever they hold anything (they combine
    # with other fields).
    slow_columns, i_nip, i_name, i_ndh, i_golongan, i_sex, i_email, i_phone = indexes(cols)
    i_position, i_agency, i_unit = (cols.get(f) for f in TIDY_FIELDS)
    # What repeats down a sheet (golongan, sex, agency and position spellings), read once.
    golongans: dict[str, tuple[str, str] | None] = {}
    sexes: dict[str, str | None] = {}
    tidied: dict[str, str] = {}
    letter, untidy, placeholders = LETTER.search, UNTIDY.search, PLACEHOLDERS

    def tidy(index: int | None, cells: list[str]) -> str | None:
        if index is None:
            return None
        text = cells[index]
        value = tidied.get(text)
        if value is None:
            value = text.strip()
            value = tidied[text] = "" if value in placeholders else tidy_text(value)
        return value or None

    def fast(row: Row) -> tuple[object, ...] | None:
        cells = row.cells
        if len(cells) > width and any(cell.strip() for cell in cells[width:]):
            return None
        if "#" in "".join(cells):  # maybe an Excel error value ("#N/A"): parse_row says
            return None
        for index in slow_columns:
            if cells[index].strip():
                return None
        if row.numeric[i_nip]:
            return None
        nip = plain_nip(cells[i_nip].strip(), today)
        if nip is None:
            return None
        name = cells[i_name].strip()
        if not name or not letter(name):
            return None
        if untidy(name):
            name = " ".join(name.split())
        ndh: int | None = None
        if i_ndh is not None and (text := cells[i_ndh].strip()):
            if not (text.isascii() and text.isdigit() and text[0] != "0" and len(text) <= 9):
                return None
            ndh = int(text)
        golongan = pangkat = None
        if i_golongan is not None and (text := cells[i_golongan].strip()):
            known = golongans.get(text, UNSEEN)
            if known is UNSEEN:
                known = golongans[text] = _refused_as_none(normalize_golongan, text)
            # Unknown, or a golongan without pangkat (PPPK, or "III" alone): parse_row.
            if known is None or not known[1]:
                return None
            golongan, pangkat = known
        sex = "L" if nip[14] == "1" else "P"
        if i_sex is not None and (text := cells[i_sex].strip()):
            said = sexes.get(text, UNSEEN)
            if said is UNSEEN:
                said = sexes[text] = _refused_as_none(normalize_sex, text)
            if said != sex:
                return None
        email = phone = None
        try:
            if i_email is not None:
                email = validate_email(cells[i_email]) or None
            if i_phone is not None:
                text = cells[i_phone]
                phone = plain_phone(text) or normalize_phone(text) or None
        except FieldError:
            return None
        line = row.line
        if seen.setdefault(nip, line) != line:
            return None  # a duplicate: parse_row says of which line
        return (
            line,
            ndh,
            nip,
            name,
            None,  # birth_place
            f"{nip[:4]}-{nip[4:6]}-{nip[6:8]}",
            sex,
            golongan,
            pangkat,
            tidy(i_position, cells),
            tidy(i_agency, cells),
            tidy(i_unit, cells),
            email,
            phone,
            None,  # employment
        )

    return fast
