"""What a roster row becomes, and what its cells mean to both paths of the parser.

Owns: RosterRow, RosterReject (the results), FIELDS, and the cell rules that parser.py
(every row, with messages) and fast.py (plain rows, no messages) must apply alike:
placeholders for "none", Excel error values, what a name needs, how text is tidied.
Never touches the store, the console or the clock.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from revmental_cli.importers.tabular import Row

#: The fields a roster row carries, in the order of RosterRow.
FIELDS = (
    "ndh", "nip", "name", "birth_place", "birth_date", "sex", "golongan", "position",
    "agency", "work_unit", "email", "phone", "employment",
)  # fmt: skip


@dataclass(slots=True)  # not frozen: a frozen __init__ costs ~3 µs a row on large files
class RosterRow:
    """A valid participant row, every field normalised (empty string when not given)."""

    line: int
    ndh: int | None
    nip: str
    name: str
    birth_place: str
    birth_date: str
    sex: str
    golongan: str
    pangkat: str
    position: str
    agency: str
    work_unit: str
    email: str
    phone: str
    employment: str
    raw: Mapping[str, str] = field(repr=False, compare=False)


class _CellsByHeader(Protocol):
    def raw(self, row: Row) -> dict[str, str]: ...


class LazyRaw(Mapping[str, str]):
    """A valid row's original cells, built only if someone reads them: copying every row of a
    200,000-row file into a dict is a measurable share of an import that never needs them."""

    def __init__(self, parser: _CellsByHeader, row: Row) -> None:
        self._parser, self._row = parser, row
        self._built: dict[str, str] | None = None

    def _dict(self) -> dict[str, str]:
        if self._built is None:
            self._built = self._parser.raw(self._row)
        return self._built

    def __getitem__(self, key: str) -> str:
        return self._dict()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._dict())

    def __len__(self) -> int:
        return len(self._dict())


@dataclass(frozen=True)
class RosterReject:
    """A row with at least one problem: its line, original cells and every error."""

    line: int
    raw: dict[str, str]
    errors: list[str]


RosterResult = RosterRow | RosterReject

EMPLOYMENT = {
    "pns": "PNS", "cpns": "PNS", "pegawainegerisipil": "PNS",
    "pppk": "PPPK", "p3k": "PPPK", "pegawaipemerintahdenganperjanjiankerja": "PPPK",
}  # fmt: skip
NDH = re.compile(r"^0*([1-9]\d*)\.?$")
TRAILING_DATE = re.compile(
    r"^(.*?)\s*(\d{1,2}\s+[A-Za-z]+\.?\s+\d{4}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}|\d{4}-\d{2}-\d{2})$"
)
# What a sheet writes for "none" in an optional cell.
PLACEHOLDERS = frozenset({"-", "--", "\u2013", "\u2014", "n/a", "N/A", "NA"})
# What Excel shows in a cell whose formula failed (openpyxl reads the text).
EXCEL_ERRORS = frozenset(
    {"#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
     "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"}
)  # fmt: skip
LETTER = re.compile(r"[^\W\d_]")
UNTIDY = re.compile(r"\s\s|[^\S ]")  # two spaces in a row, or a tab, newline, NBSP...


def tidy_text(text: str) -> str:
    # Most cells are already tidy: a search is cheaper than always splitting and joining.
    return " ".join(text.split()) if UNTIDY.search(text) else text
