"""A participant sheet's header: which column gives which roster field.

Owns matching a header row to the roster's fields (names in Indonesian or English, through
importers/headers.py), the refusal of a header that gives one field twice or lacks a NIP or a
name column, and what a field is called in messages. Never reads a data row, and never
touches the store or the console.
"""

from __future__ import annotations

from revmental_cli.errors import InputError
from revmental_cli.i18n import N_, _
from revmental_cli.importers.headers import BIRTH_PLACE_DATE, OTHER_ID, PANGKAT, header_field
from revmental_cli.importers.tabular import Table

ACCEPTED_HEADERS_HINT = N_(
    "the sheet needs a NIP column and a name column; accepted names include "
    "NIP, N.I.P, NIP Baru, Employee ID and Nama, Nama Lengkap, Nama Peserta, Name, Full Name"
)


# What a field is called in messages ("columns 'TTL' and 'Tanggal Lahir' both give the ...").
FIELD_LABELS = {
    "ndh": N_("NDH"),
    "nip": N_("NIP"),
    OTHER_ID: N_("NIK or NRP"),
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


def field_label(name: str) -> str:
    return _(FIELD_LABELS[name]) if name in FIELD_LABELS else name.replace("_", " ")


def map_columns(table: Table) -> tuple[list[str], dict[str, int], list[str]]:
    """The table's headers as written, which column gives each roster field (field -> index),
    and the non-empty headers that give none. InputError: two columns give one field, or there
    is no NIP or no name column (the hint lists the accepted names, or the other sheets)."""
    headers = list(table.headers)
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for index, header in enumerate(headers):
        name = header_field(header) if header else None
        if name is None:
            if header:
                ignored.append(header)
            continue
        if name in columns:
            raise _both(table, headers[columns[name]], header, name)
        columns[name] = index
    if BIRTH_PLACE_DATE in columns:
        for separate in ("birth_place", "birth_date"):
            if separate in columns:
                combined = headers[columns[BIRTH_PLACE_DATE]]
                raise _both(table, combined, headers[columns[separate]], separate)
    if OTHER_ID in columns:
        # "NIK" alone is the participants' number; next to a NIP column it is a second
        # number the roster does not keep.
        other = columns.pop(OTHER_ID)
        if "nip" in columns:
            ignored.append(headers[other])
        else:
            columns["nip"] = other
    if PANGKAT in columns and "golongan" not in columns:
        columns["golongan"] = columns.pop(PANGKAT)
    missing = [key for key in ("nip", "name") if key not in columns]
    if missing:
        found = ", ".join(repr(h) for h in headers if h) or _("none")
        message = (
            _("{file}: no NIP or name column in the header (line {line}; found: {found})")
            if len(missing) == 2
            else _("{file}: no {field} column in the header (line {line}; found: {found})")
        )
        raise InputError(
            message.format(
                file=table.source,
                field=field_label(missing[0]),
                line=table.header_line,
                found=found,
            ),
            hint=_(ACCEPTED_HEADERS_HINT)
            if len(table.sheets) < 2
            else _(
                "this is sheet {sheet}; choose the participants' sheet with --sheet NAME "
                "(sheets: {sheets})"
            ).format(sheet=repr(table.sheet), sheets=", ".join(table.sheets)),
        )
    return headers, columns, ignored


def _both(table: Table, first: str, second: str, field: str) -> InputError:
    return InputError(
        _("{file}: columns {first} and {second} both give the {field}").format(
            file=table.source, first=repr(first), second=repr(second), field=field_label(field)
        ),
        hint=_("remove or rename one of them"),
    )


def unique_headers(headers: list[str]) -> list[str]:
    """Make header names usable as dict keys: name blanks, number repeats."""
    seen: dict[str, int] = {}
    unique = []
    for index, header in enumerate(headers):
        key = header or f"column {index + 1}"
        seen[key] = seen.get(key, 0) + 1
        unique.append(key if seen[key] == 1 else f"{key} ({seen[key]})")
    return unique
