"""Turn a participant sheet (a :class:`~revmental_cli.importers.tabular.Table`) into roster rows.

Use::

    table = read_table(path)
    parser = RosterParser(table)          # InputError: no NIP/name column, ambiguous columns
    parser.ignored_columns                # headers that map to no field, as written
    for result in parser:                 # a RosterRow or a RosterReject per data row
        ...

``parse_roster(table)`` is the same as ``iter(RosterParser(table))`` and checks
the header at once. Rows stream; the only state kept across rows is the set
of NIPs seen, to reject duplicates ("NIP: duplicate of line N").

Header names are matched in Indonesian or English ignoring case, spaces,
punctuation and a parenthesised note ("Jenis Kelamin (L/P)"). A reject lists
every problem of its row as ``column: message`` with the column named as the
file writes it, then `` — hint`` where a hint helps; messages and hints are in the user's
language (i18n.py), the column names never are.

Filled in from the NIP when the sheet leaves them empty: ``sex`` and
``birth_date`` (the NIP encodes both). ``employment`` becomes ``PPPK`` when
the column is empty but the golongan is a PPPK one (IX, XI...), since that
also relaxes the NIP month check. Capacity is not checked here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from revmental_cli.domain.person import (
    EXCEL_NIP_HINT,
    EXCEL_NIP_MESSAGE,
    FieldError,
    _today,
    nip_birth_date,
    nip_sex,
    normalize_golongan,
    normalize_nip,
    normalize_phone,
    normalize_sex,
    parse_date_cell,
    plain_nip,
    plain_phone,
    validate_email,
)
from revmental_cli.errors import InputError
from revmental_cli.i18n import N_, _
from revmental_cli.importers.headers import BIRTH_PLACE_DATE, PANGKAT, header_field, header_key
from revmental_cli.importers.tabular import Row, Table

__all__ = [
    "FIELDS",
    "RosterParser",
    "RosterReject",
    "RosterResult",
    "RosterRow",
    "header_field",
    "parse_roster",
]

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


class _LazyRaw(Mapping[str, str]):
    """A valid row's original cells, built only if someone reads them: copying every row of a
    200,000-row file into a dict is a measurable share of an import that never needs them."""

    def __init__(self, parser: RosterParser, row: Row) -> None:
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

_EMPLOYMENT = {
    "pns": "PNS", "cpns": "PNS", "pegawainegerisipil": "PNS",
    "pppk": "PPPK", "p3k": "PPPK", "pegawaipemerintahdenganperjanjiankerja": "PPPK",
}  # fmt: skip
_FOOTER = re.compile(r"^\s*(jumlah|total|mengetahui|ttd\b)", re.IGNORECASE)
_AMBIGUOUS_GOLONGAN = frozenset({"I", "II", "III", "IV"})  # PNS without ruang, or PPPK
_NDH = re.compile(r"^0*([1-9]\d*)\.?$")
_TRAILING_DATE = re.compile(
    r"^(.*?)\s*(\d{1,2}\s+[A-Za-z]+\.?\s+\d{4}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}|\d{4}-\d{2}-\d{2})$"
)
_ACCEPTED_HEADERS_HINT = N_(
    "the sheet needs a NIP column and a name column; accepted names include "
    "NIP, N.I.P, NIP Baru, Employee ID and Nama, Nama Lengkap, Nama Peserta, Name, Full Name"
)


# What a field is called in messages ("columns 'TTL' and 'Tanggal Lahir' both give the ...").
_FIELD_LABELS = {
    "ndh": N_("NDH"),
    "nip": N_("NIP"),
    "name": N_("name"),
    "birth_place": N_("birth place"),
    "birth_date": N_("birth date"),
    "sex": N_("sex"),
    "golongan": N_("golongan"),
    PANGKAT: N_("pangkat"),
    "position": N_("position"),
    "agency": N_("agency"),
    "work_unit": N_("work unit"),
    "email": N_("email"),
    "phone": N_("phone"),
    "employment": N_("employment"),
    BIRTH_PLACE_DATE: N_("place and date of birth"),
    "title_front": N_("titles before the name"),
    "title_back": N_("titles after the name"),
}


def _label(name: str) -> str:
    return _(_FIELD_LABELS[name]) if name in _FIELD_LABELS else name.replace("_", " ")


# The fast path of RosterParser.staged: fields it never reads (a row that fills one goes
# through parse_row), fields it only tidies, and the order of the staging tuple (store.py).
_SLOW_FIELDS = (
    "title_front", "title_back", "employment", "birth_place", "birth_date", BIRTH_PLACE_DATE,
    PANGKAT,
)  # fmt: skip
_TIDY_FIELDS = ("position", "agency", "work_unit")
_PERSON_FIELDS = (
    "birth_place", "birth_date", "sex", "golongan", "pangkat", "position", "agency",
    "work_unit", "email", "phone", "employment",
)  # fmt: skip
# What a sheet writes for "none" in an optional cell.
_PLACEHOLDERS = frozenset({"-", "--", "\u2013", "\u2014", "n/a", "N/A", "NA"})
# What Excel shows in a cell whose formula failed (openpyxl reads the text).
_EXCEL_ERRORS = frozenset(
    {"#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
     "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"}
)  # fmt: skip
_LETTER = re.compile(r"[^\W\d_]")
_UNTIDY = re.compile(r"\s\s|[^\S ]")  # two spaces in a row, or a tab, newline, NBSP...


def _tidy(text: str) -> str:
    # Most cells are already tidy: a search is cheaper than always splitting and joining.
    return " ".join(text.split()) if _UNTIDY.search(text) else text


def _error(column: str, problem: FieldError | str) -> str:
    return f"{column}: {problem}"


class RosterParser:
    """Map a table's header to roster fields, then validate its rows one by one.

    Attributes: ``headers`` (as written), ``columns`` (field -> column index),
    ``ignored_columns`` (non-empty headers that map to no field) and
    ``raw_headers`` (the keys of ``raw`` in every result, headers made unique).
    """

    def __init__(self, table: Table) -> None:
        self.table = table
        self.headers = list(table.headers)
        self.columns: dict[str, int] = {}
        self.ignored_columns: list[str] = []
        for index, header in enumerate(self.headers):
            name = header_field(header) if header else None
            if name is None:
                if header:
                    self.ignored_columns.append(header)
                continue
            if name in self.columns:
                raise InputError(
                    _("{file}: columns {first} and {second} both give the {field}").format(
                        file=table.source,
                        first=repr(self.headers[self.columns[name]]),
                        second=repr(header),
                        field=_label(name),
                    ),
                    hint=_("remove or rename one of them"),
                )
            self.columns[name] = index
        if BIRTH_PLACE_DATE in self.columns:
            for separate in ("birth_place", "birth_date"):
                if separate in self.columns:
                    raise InputError(
                        _("{file}: columns {first} and {second} both give the {field}").format(
                            file=table.source,
                            first=repr(self.headers[self.columns[BIRTH_PLACE_DATE]]),
                            second=repr(self.headers[self.columns[separate]]),
                            field=_label(separate),
                        ),
                        hint=_("remove or rename one of them"),
                    )
        if PANGKAT in self.columns and "golongan" not in self.columns:
            self.columns["golongan"] = self.columns.pop(PANGKAT)
        missing = [key for key in ("nip", "name") if key not in self.columns]
        if missing:
            found = ", ".join(repr(h) for h in self.headers if h) or _("none")
            message = (
                _("{file}: no NIP or name column in the header (line {line}; found: {found})")
                if len(missing) == 2
                else _("{file}: no {field} column in the header (line {line}; found: {found})")
            )
            raise InputError(
                message.format(
                    file=table.source,
                    field=_label(missing[0]),
                    line=table.header_line,
                    found=found,
                ),
                hint=_(_ACCEPTED_HEADERS_HINT)
                if len(table.sheets) < 2
                else _(
                    "this is sheet {sheet}; choose the participants' sheet with --sheet NAME "
                    "(sheets: {sheets})"
                ).format(sheet=repr(table.sheet), sheets=", ".join(table.sheets)),
            )
        self.raw_headers = _unique(self.headers)
        self._seen: dict[str, int] = {}
        # The fast path (see ``staged``): the columns it reads, and the ones that send a row
        # to parse_row whenever they hold anything (they combine with other fields).
        cols = self.columns
        self._slow_columns = [cols[name] for name in _SLOW_FIELDS if name in cols]
        self._tidy_columns = [(name, cols[name]) for name in _TIDY_FIELDS if name in cols]
        self._tidied: dict[str, str] = {}
        self._golongan: dict[str, tuple[str, str] | None] = {}
        self._sex: dict[str, str | None] = {}
        self.trailing_lines: list[int] = []
        self._fast_row: Callable[[Row], tuple[object, ...] | None] | None = None

    def __iter__(self) -> Iterator[RosterResult]:
        for row in self._rows():
            if self._is_footer(row):
                continue
            yield self.parse_row(row)

    def _rows(self) -> Iterator[Row]:
        """The table's rows, less the block under the list: rows with neither a NIP nor a
        name after the last participant ("Jakarta, 20 September 2021", "Kepala Bagian",
        a signature) are no participants; they are counted in ``trailing_lines`` for the
        command to mention. The same rows above a participant are kept (and rejected)."""
        nip, name = self.columns["nip"], self.columns["name"]
        held: list[Row] = []
        self.trailing_lines = []
        for row in self.table.rows:
            cells = row.cells
            if not cells[nip].strip() and not cells[name].strip():
                held.append(row)
                continue
            if held:
                yield from held
                held.clear()
            yield row
        self.trailing_lines = [row.line for row in held if not self._is_footer(row)]

    def staged(self) -> Iterator[tuple[object, ...] | RosterReject]:
        """Like iterating the parser, but a valid row comes as its staging tuple: (line, ndh,
        nip, name, *PERSON_FIELDS), an empty field as None.

        Most rows of a large file are plain: a grouped NIP, a name, a golongan the sheet
        spells one of a few ways. Those take a fast path that checks exactly what parse_row
        checks, caching what repeats (golongan, sex, agency and position spellings, birth
        dates); any row it is not sure of goes through parse_row, which decides and explains.
        tests/test_roster_parse.py checks both paths agree on generated rows.
        """
        fast = self._fast
        for row in self._rows():
            result = fast(row)
            if result is not None:
                yield result
                continue
            if self._is_footer(row):
                continue
            parsed = self.parse_row(row)
            if isinstance(parsed, RosterReject):
                yield parsed
            else:
                yield (
                    parsed.line,
                    parsed.ndh,
                    parsed.nip,
                    parsed.name,
                    *(getattr(parsed, f) or None for f in _PERSON_FIELDS),
                )

    def _fast(self, row: Row) -> tuple[object, ...] | None:
        """The staging tuple of a plain valid row; None: let parse_row decide."""
        if self._fast_row is None:
            self._fast_row = self._make_fast()
        return self._fast_row(row)

    def _make_fast(self) -> Callable[[Row], tuple[object, ...] | None]:
        # A closure over the column indexes and caches: local names are what makes a Python
        # loop over 200,000 rows affordable (no attribute or dict lookup per field).
        cols = self.columns
        width = len(self.headers)
        slow_columns = tuple(self._slow_columns)
        i_nip, i_name = cols["nip"], cols["name"]
        i_ndh = cols.get("ndh")
        i_golongan = cols.get("golongan")
        i_sex = cols.get("sex")
        i_email = cols.get("email")
        i_phone = cols.get("phone")
        i_position, i_agency, i_unit = (cols.get(f) for f in _TIDY_FIELDS)
        golongans, sexes, tidied, seen = self._golongan, self._sex, self._tidied, self._seen
        letter, untidy, placeholders = _LETTER.search, _UNTIDY.search, _PLACEHOLDERS
        today = _today()

        def tidy(index: int | None, cells: list[str]) -> str | None:
            if index is None:
                return None
            text = cells[index]
            value = tidied.get(text)
            if value is None:
                value = text.strip()
                value = tidied[text] = "" if value in placeholders else _tidy(value)
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
                if text in golongans:
                    known = golongans[text]
                else:
                    try:
                        known = normalize_golongan(text)
                    except FieldError:
                        known = None
                    golongans[text] = known
                # Unknown, or a golongan without pangkat (PPPK, or "III" alone): parse_row.
                if known is None or not known[1]:
                    return None
                golongan, pangkat = known
            sex = "L" if nip[14] == "1" else "P"
            if i_sex is not None and (text := cells[i_sex].strip()):
                if text in sexes:
                    said = sexes[text]
                else:
                    try:
                        said = normalize_sex(text)
                    except FieldError:
                        said = None
                    sexes[text] = said
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

    def _is_footer(self, row: Row) -> bool:
        """'Jumlah Peserta: 25' or 'Total' under the list: no NIP, only a summary word."""
        nip = self.columns["nip"]
        if nip < len(row.cells) and row.cells[nip].strip():
            return False
        return any(_FOOTER.match(cell) for cell in row.cells if cell.strip())

    def _cell(self, row: Row, name: str) -> str:
        index = self.columns.get(name)
        return row.cells[index].strip() if index is not None else ""

    def raw(self, row: Row) -> dict[str, str]:
        """The row's cells by (unique) header, extra non-empty cells as "column N"."""
        raw = dict(zip(self.raw_headers, row.cells, strict=False))
        for index, cell in enumerate(row.cells[len(self.headers) :], start=len(self.headers)):
            if cell.strip():
                raw[f"column {index + 1}"] = cell
        return raw

    def _values(self, row: Row) -> dict[str, str]:
        """Every mapped field's cell of one row, stripped; "-" in an optional field is how
        many sheets say "none", so it reads as empty."""
        cells = row.cells
        values = {name: cells[index].strip() for name, index in self.columns.items()}
        for name, value in values.items():
            if value in _PLACEHOLDERS and name not in ("nip", "name"):
                values[name] = ""
        return values

    def label(self, name: str) -> str:
        """The column of a field as the file names it, on one line ("NIP\n(18 digit)" was
        typed with a line break in the cell; messages are one line each)."""
        return " ".join(self.headers[self.columns[name]].split())

    _header = label

    def parse_row(self, row: Row) -> RosterResult:
        """Validate one row; record its NIP for the duplicate check."""
        errors: list[str] = []
        values = self._values(row)
        width = len(self.headers)
        extra = [i for i, cell in enumerate(row.cells[width:], start=width) if cell.strip()]
        if extra:
            errors.append(
                _(
                    "row has {cells} cells but the header has {width}; "
                    "check the delimiter or stray commas"
                ).format(cells=extra[-1] + 1, width=width)
            )

        ndh: int | None = None
        if text := values.get("ndh", ""):
            match = _NDH.match(text)
            # Bounded so that no NDH reaches the 1,000,000,000 offset the store uses while it
            # swaps numbers, nor SQLite's 64-bit integers.
            if match and len(match.group(1)) <= 9:
                ndh = int(match.group(1))
            else:
                errors.append(
                    _error(
                        self._header("ndh"),
                        _("must be a positive whole number, found {value}").format(
                            value=repr(text)
                        ),
                    )
                )

        name = _tidy(values.get("name", ""))
        if name and (front := _tidy(values.get("title_front", ""))):
            name = f"{front} {name}"
        if name and (back := _tidy(values.get("title_back", ""))):
            name = f"{name}, {back.lstrip(', ')}"
        if not name:
            errors.append(_error(self._header("name"), _("name is empty")))
        elif not _LETTER.search(name):
            # "-", "0", "123": a placeholder or a shifted column, never a person's name.
            errors.append(
                _error(self._header("name"), _("name has no letters ({value})").format(value=name))
            )
        for field_name, value in values.items():
            if value.upper() in _EXCEL_ERRORS:
                failed = FieldError(
                    _("{value} is an Excel error: the cell's formula failed").format(value=value),
                    _("fix the formula in the sheet, or paste the values only"),
                )
                errors.append(_error(self._header(field_name), failed))

        employment = ""
        if text := values.get("employment", ""):
            employment = _EMPLOYMENT.get(header_key(text), "")
            if not employment:
                errors.append(
                    _error(
                        self._header("employment"),
                        _("must be PNS or PPPK, found {value}").format(value=repr(text)),
                    )
                )

        golongan = pangkat = ""
        code, named = values.get("golongan", ""), values.get(PANGKAT, "")
        try:
            golongan, pangkat = normalize_golongan(
                f"{named} ({code})" if named and code else code or named
            )
        except FieldError as exc:
            errors.append(_error(self._header("golongan" if code else PANGKAT), exc))
        if golongan in _AMBIGUOUS_GOLONGAN and not pangkat and employment != "PPPK":
            # "III" alone is the usual shorthand for a PNS golongan without its ruang, and
            # also a valid PPPK golongan: never guess (PPPK would relax the NIP check).
            errors.append(
                _error(
                    self._header("golongan"),
                    _(
                        "golongan {golongan} needs its ruang, e.g. {golongan}/a; if the "
                        "participant is PPPK, add a Status Kepegawaian column saying PPPK"
                    ).format(golongan=golongan),
                )
            )
        elif golongan and not pangkat:  # a PPPK golongan
            if employment == "PNS":
                errors.append(
                    _error(
                        self._header("golongan"),
                        _("{golongan} is a PPPK golongan but the participant is marked PNS").format(
                            golongan=golongan
                        ),
                    )
                )
            elif not employment:
                employment = "PPPK"

        nip = self._nip(row, employment == "PPPK", errors)

        birth_place = birth_date = ""
        if BIRTH_PLACE_DATE in self.columns:
            birth_place, birth_date = self._birth_place_date(row, errors)
        else:
            birth_place = _tidy(values.get("birth_place", ""))
            if text := values.get("birth_date", ""):
                try:
                    birth_date = parse_date_cell(text).isoformat()
                except FieldError as exc:
                    errors.append(_error(self._header("birth_date"), exc))
        if nip and birth_date and birth_date != nip_birth_date(nip).isoformat():
            column = self._header(
                "birth_date" if "birth_date" in self.columns else BIRTH_PLACE_DATE
            )
            errors.append(
                _error(
                    column,
                    _("{date} does not match the birth date in the NIP ({nip_date})").format(
                        date=birth_date, nip_date=nip_birth_date(nip).isoformat()
                    ),
                )
            )
        elif nip and not birth_date:
            birth_date = nip_birth_date(nip).isoformat()

        sex = ""
        try:
            sex = normalize_sex(values.get("sex", ""))
        except FieldError as exc:
            errors.append(_error(self._header("sex"), exc))
        if nip and sex and sex != nip_sex(nip):
            words = {"L": _("male"), "P": _("female")}
            errors.append(
                _error(
                    self._header("sex"),
                    _(
                        "{sex} does not match the sex in the NIP (digit 15 is {digit}, {word})"
                    ).format(sex=sex, digit=nip[14], word=words[nip_sex(nip)]),
                )
            )
        elif nip and not sex:
            sex = nip_sex(nip)

        email = phone = ""
        try:
            email = validate_email(values.get("email", ""))
        except FieldError as exc:
            errors.append(_error(self._header("email"), exc))
        try:
            phone = normalize_phone(values.get("phone", ""))
        except FieldError as exc:
            errors.append(_error(self._header("phone"), exc))

        if errors:
            return RosterReject(row.line, self.raw(row), errors)
        return RosterRow(
            line=row.line,
            ndh=ndh,
            nip=nip,
            name=name,
            birth_place=birth_place,
            birth_date=birth_date,
            sex=sex,
            golongan=golongan,
            pangkat=pangkat,
            position=_tidy(values.get("position", "")),
            agency=_tidy(values.get("agency", "")),
            work_unit=_tidy(values.get("work_unit", "")),
            email=email,
            phone=phone,
            employment=employment,
            raw=_LazyRaw(self, row),
        )

    def _nip(self, row: Row, pppk: bool, errors: list[str]) -> str:
        """Return the valid NIP of ``row`` or "" after adding the reason to ``errors``."""
        column = self._header("nip")
        index = self.columns["nip"]
        # A number cell has been through Excel's 15-digit float even when it
        # still shows 18 digits, so it can never be trusted.
        if row.numeric[index]:
            errors.append(_error(column, FieldError(_(EXCEL_NIP_MESSAGE), _(EXCEL_NIP_HINT))))
            return ""
        try:
            nip = normalize_nip(row.cells[index], pppk=pppk)
        except FieldError as exc:
            errors.append(_error(column, exc))
            return ""
        first = self._seen.setdefault(nip, row.line)
        if first != row.line:
            errors.append(_error(column, _("duplicate of line {line}").format(line=first)))
        return nip

    def _birth_place_date(self, row: Row, errors: list[str]) -> tuple[str, str]:
        """Split "Bandung, 14 Juli 1988" (comma optional) into place and ISO date."""
        text = _tidy(self._cell(row, BIRTH_PLACE_DATE))
        if not text:
            return "", ""
        place, comma, when = text.rpartition(",")
        if not comma:
            match = _TRAILING_DATE.match(text)
            place, when = match.groups() if match else ("", text)
        try:
            return place.strip(), parse_date_cell(when).isoformat()
        except FieldError:
            problem = FieldError(
                _("cannot read a place and date of birth from {value}").format(value=repr(text)),
                _("write it as Bandung, 14 Juli 1988 (or Bandung, 14/07/1988)"),
            )
            errors.append(_error(self._header(BIRTH_PLACE_DATE), problem))
            return place.strip(), ""


def _unique(headers: list[str]) -> list[str]:
    """Make header names usable as dict keys: name blanks, number repeats."""
    seen: dict[str, int] = {}
    unique = []
    for index, header in enumerate(headers):
        key = header or f"column {index + 1}"
        seen[key] = seen.get(key, 0) + 1
        unique.append(key if seen[key] == 1 else f"{key} ({seen[key]})")
    return unique


def parse_roster(table: Table) -> Iterator[RosterResult]:
    """Check the header now (InputError) and return the stream of validated rows."""
    return iter(RosterParser(table))
