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

The NIP column may also hold a non-ASN participant's NIK or NRP when its header says so
("NIP/NIK", "NIP/NRP", "NIK"); which one a row holds is told by the number
(domain/ids.py). Filled in from the NIP or NIK when the sheet leaves them empty: ``sex`` and
``birth_date`` (both numbers encode them). ``employment`` becomes ``PPPK`` when the column
is empty but the NIP is a PPPK number (21 in digits 13-14) or the golongan a PPPK one (IX,
XI...). A PNS golongan on a PPPK number, or a PPPK golongan on a PNS NIP, is a row error.
Capacity is not checked here.

This module owns the checks of every row with their messages; the header mapping is
header.py, the fast paths of ``staged`` are columns.py (a chunk of rows a column at a time)
and fast.py (one row), the results and shared cell rules rows.py, the header names
importers/headers.py. Never
touches the store or the console; ``today`` comes from the caller (every command passes it;
without one, for tests and scripts, the clock's date is read once here).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from itertools import islice
from operator import itemgetter

from revmental_cli.domain.person import (
    EXCEL_NIP_HINT,
    EXCEL_NIP_MESSAGE,
    FieldError,
    id_birth_date,
    id_kind,
    id_sex,
    is_pppk,
    normalize_golongan,
    normalize_id,
    normalize_phone,
    normalize_sex,
    parse_date_cell,
    validate_email,
)
from revmental_cli.i18n import _
from revmental_cli.importers.headers import (
    BIRTH_PLACE_DATE,
    PANGKAT,
    header_key,
)
from revmental_cli.importers.roster.columns import CHUNK, column_path
from revmental_cli.importers.roster.fast import fast_path
from revmental_cli.importers.roster.header import map_columns, unique_headers
from revmental_cli.importers.roster.kinds import KIND_LABELS, golongan_for_number, id_kinds
from revmental_cli.importers.roster.rows import (
    EMPLOYMENT,
    EXCEL_ERRORS,
    LETTER,
    NDH,
    PLACEHOLDERS,
    TRAILING_DATE,
    LazyRaw,
    RosterReject,
    RosterResult,
    RosterRow,
    tidy_text,
)
from revmental_cli.importers.tabular import Row, Table
from revmental_cli.records import PERSON_FIELDS

_LINE = itemgetter(0)
_FOOTER = re.compile(r"^\s*(jumlah|total|mengetahui|ttd\b)", re.IGNORECASE)


def _error(column: str, problem: FieldError | str) -> str:
    return f"{column}: {problem}"


class RosterParser:
    """Map a table's header to roster fields, then validate its rows one by one.

    Attributes: ``headers`` (as written), ``columns`` (field -> column index),
    ``ignored_columns`` (non-empty headers that map to no field) and
    ``raw_headers`` (the keys of ``raw`` in every result, headers made unique).
    """

    def __init__(self, table: Table, today: date | None = None) -> None:
        self.table = table
        # The date no birth date in a NIP or NIK may pass: the caller's (a command reads the
        # clock once), else the clock's, once for the whole file.
        self.today = today if today is not None else date.today()
        self.headers, self.columns, self.ignored_columns = map_columns(table)
        self.id_kinds = id_kinds(self.headers[self.columns["nip"]])
        self.raw_headers = unique_headers(self.headers)
        self._seen: dict[str, int] = {}
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
        spells one of a few ways. Rows are read in chunks and checked a column at a time
        (columns.py); a row a column check is not sure of goes through fast.py's per-row
        closure, and any row that one is not sure of through parse_row, which decides and
        explains. tests/test_roster_parse.py checks the three paths agree on generated files.
        """
        for chunk, _plain in self.staged_chunks():
            yield from chunk

    def staged_chunks(
        self,
    ) -> Iterator[tuple[list[tuple[object, ...] | RosterReject], bool]]:
        """``staged()`` a chunk of rows at a time, each chunk with whether all of it is valid
        staging tuples (no rejected row): the caller then takes the chunk whole, where a row
        at a time costs a large import a generator step, a test and a call per row."""
        import gc

        # The rows of a large file are a few hundred thousand short-lived tuples: the cyclic
        # collector would walk them again and again and never find a cycle.
        collecting = gc.isenabled()
        gc.disable()
        try:
            yield from self._staged()
        finally:
            if collecting:
                gc.enable()

    def _staged(self) -> Iterator[tuple[list[tuple[object, ...] | RosterReject], bool]]:
        check = column_path(self.columns, len(self.headers), self.today)
        seen = self._seen
        rows = self._rows()
        while chunk := list(islice(rows, CHUNK)):
            results, nips = check(chunk)
            # The usual chunk: every row plain and no NIP met before, in it or earlier.
            if None not in results and len(set(nips)) == len(nips) and seen.keys().isdisjoint(nips):
                seen.update(zip(nips, map(_LINE, chunk), strict=True))
                yield results, True  # type: ignore[misc]  # no None in it
                continue
            out: list[tuple[object, ...] | RosterReject] = []
            for row, values, nip in zip(chunk, results, nips, strict=True):
                # In line order, so that the first of two equal NIPs is the one kept.
                if values is not None and seen.setdefault(nip, row.line) == row.line:
                    out.append(values)
                else:
                    out.extend(self._one_row(row))
            yield out, False

    def _one_row(self, row: Row) -> Iterator[tuple[object, ...] | RosterReject]:
        """A row the column checks were not sure of: fast.py's closure, else parse_row."""
        result = self._fast(row)
        if result is not None:
            yield result
            return
        if self._is_footer(row):
            return
        parsed = self.parse_row(row)
        if isinstance(parsed, RosterReject):
            yield parsed
        else:
            yield (
                parsed.line,
                parsed.ndh,
                parsed.nip,
                parsed.name,
                *(getattr(parsed, f) or None for f in PERSON_FIELDS),
            )

    def _fast(self, row: Row) -> tuple[object, ...] | None:
        """The staging tuple of a plain valid row; None: let parse_row decide."""
        if self._fast_row is None:
            self._fast_row = fast_path(self.columns, len(self.headers), self._seen, self.today)
        return self._fast_row(row)

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
            if value in PLACEHOLDERS and name not in ("nip", "name"):
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
            match = NDH.match(text)
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

        name = tidy_text(values.get("name", ""))
        if name and (front := tidy_text(values.get("title_front", ""))):
            name = f"{front} {name}"
        if name and (back := tidy_text(values.get("title_back", ""))):
            name = f"{name}, {back.lstrip(', ')}"
        if not name:
            errors.append(_error(self._header("name"), _("name is empty")))
        elif not LETTER.search(name):
            # "-", "0", "123": a placeholder or a shifted column, never a person's name.
            errors.append(
                _error(self._header("name"), _("name has no letters ({value})").format(value=name))
            )
        for field_name, value in values.items():
            if value.upper() in EXCEL_ERRORS:
                failed = FieldError(
                    _("{value} is an Excel error: the cell's formula failed").format(value=value),
                    _("fix the formula in the sheet, or paste the values only"),
                )
                errors.append(_error(self._header(field_name), failed))

        employment = ""
        if text := values.get("employment", ""):
            employment = EMPLOYMENT.get(header_key(text), "")
            if not employment:
                errors.append(
                    _error(
                        self._header("employment"),
                        _("must be PNS or PPPK, found {value}").format(value=repr(text)),
                    )
                )

        # The NIP first (what it is decides what the golongan may be), its errors listed
        # after the golongan's, where they have always been.
        nip_errors: list[str] = []
        nip = self._nip(row, nip_errors)
        kind = id_kind(nip) if nip else None
        if kind == "nip" and is_pppk(nip) and employment == "PNS":
            nip_errors.append(
                _error(
                    self._header("nip"),
                    FieldError(
                        _(
                            "NIP digits 13-14 are not a month (21): this is a PPPK number, but "
                            "the participant is marked PNS"
                        ),
                        _("check the NIP, or the employment status"),
                    ),
                )
            )
            nip, kind = "", None

        golongan = pangkat = ""
        code, named = values.get("golongan", ""), values.get(PANGKAT, "")
        try:
            golongan, pangkat = normalize_golongan(
                f"{named} ({code})" if named and code else code or named
            )
        except FieldError as exc:
            errors.append(_error(self._header("golongan" if code else PANGKAT), exc))
        # A golongan always comes from the golongan column (a pangkat column alone is
        # read as one, see __init__).
        employment, problems = golongan_for_number(nip, employment, golongan, pangkat)
        errors.extend(_error(self._header("golongan"), problem) for problem in problems)
        errors.extend(nip_errors)

        birth_place = birth_date = ""
        if BIRTH_PLACE_DATE in self.columns:
            birth_place, birth_date = self._birth_place_date(row, errors)
        else:
            birth_place = tidy_text(values.get("birth_place", ""))
            if text := values.get("birth_date", ""):
                try:
                    birth_date = parse_date_cell(text).isoformat()
                except FieldError as exc:
                    errors.append(_error(self._header("birth_date"), exc))
        encoded = id_birth_date(nip, self.today) if nip else None
        number = KIND_LABELS[kind] if kind else ""
        if encoded and birth_date and birth_date != encoded.isoformat():
            column = self._header(
                "birth_date" if "birth_date" in self.columns else BIRTH_PLACE_DATE
            )
            errors.append(
                _error(
                    column,
                    _("{date} does not match the birth date in the {number} ({nip_date})").format(
                        date=birth_date, number=number, nip_date=encoded.isoformat()
                    ),
                )
            )
        elif encoded and not birth_date:
            birth_date = encoded.isoformat()

        sex = ""
        try:
            sex = normalize_sex(values.get("sex", ""))
        except FieldError as exc:
            errors.append(_error(self._header("sex"), exc))
        encoded_sex = id_sex(nip) if nip else None
        if encoded_sex and sex and sex != encoded_sex:
            words = {"L": _("male"), "P": _("female")}
            said = (
                _("{sex} does not match the sex in the NIP (digit 15 is {digit}, {word})")
                if kind == "nip"
                else _(
                    "{sex} does not match the sex in the NIK (digits 7-8 are {digit}, {word}; "
                    "a woman's day of birth has 40 added)"
                )
            )
            errors.append(
                _error(
                    self._header("sex"),
                    said.format(
                        sex=sex,
                        digit=nip[14] if kind == "nip" else nip[6:8],
                        word=words[encoded_sex],
                    ),
                )
            )
        elif encoded_sex and not sex:
            sex = encoded_sex

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
            position=tidy_text(values.get("position", "")),
            agency=tidy_text(values.get("agency", "")),
            work_unit=tidy_text(values.get("work_unit", "")),
            email=email,
            phone=phone,
            employment=employment,
            raw=LazyRaw(self, row),
        )

    def _nip(self, row: Row, errors: list[str]) -> str:
        """Return the valid NIP (or NIK, NRP) of ``row`` or "" after adding the reason to
        ``errors``."""
        column = self._header("nip")
        index = self.columns["nip"]
        cell = row.cells[index].strip()
        # A number cell has been through Excel's 15-digit float even when it still shows 18
        # digits, so it can never be trusted; an NRP is short enough to come through whole.
        if row.numeric[index] and not (
            "nrp" in self.id_kinds and cell.isascii() and cell.isdigit() and 6 <= len(cell) <= 10
        ):
            errors.append(_error(column, FieldError(_(EXCEL_NIP_MESSAGE), _(EXCEL_NIP_HINT))))
            return ""
        try:
            nip = normalize_id(row.cells[index], today=self.today, kinds=self.id_kinds)
        except FieldError as exc:
            errors.append(_error(column, exc))
            return ""
        first = self._seen.setdefault(nip, row.line)
        if first != row.line:
            errors.append(_error(column, _("duplicate of line {line}").format(line=first)))
        return nip

    def _birth_place_date(self, row: Row, errors: list[str]) -> tuple[str, str]:
        """Split "Bandung, 14 Juli 1988" (comma optional) into place and ISO date."""
        text = tidy_text(self._cell(row, BIRTH_PLACE_DATE))
        if not text:
            return "", ""
        place, comma, when = text.rpartition(",")
        if not comma:
            match = TRAILING_DATE.match(text)
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


def parse_roster(table: Table, today: date | None = None) -> Iterator[RosterResult]:
    """Check the header now (InputError) and return the stream of validated rows."""
    return iter(RosterParser(table, today))
