"""The text of a report that is not read through tabular: decoding, records, header cells.

Owns ``read_text`` and ``decode_text`` (BOM, UTF-16 without one, UTF-8, cp1252),
``split_records`` (the delimiter Teams and Moodle write, Excel's ``sep=`` line, physical line
numbers) and the folding of header labels. Shared by the Teams and Moodle readers; never
touches the store, the console or the clock.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from revmental_cli.errors import InputError
from revmental_cli.i18n import N_, _
from revmental_cli.importers.tabular import reject_zip, utf16_without_bom

__all__ = [
    "TEAMS_HINT",
    "Record",
    "cell_of",
    "decode_text",
    "first_columns",
    "header_columns",
    "key",
    "read_text",
    "split_records",
]

Record = tuple[int, list[str]]  # (physical line, cells stripped)
SNIFF_LINES = 60
TEAMS_HINT = N_("export the attendance list from Teams again, without editing it")


def decode_text(data: bytes, source: str) -> str:
    """Decode a report's bytes: a BOM, else UTF-16 by its NULs, else UTF-8, else cp1252."""
    reject_zip(source, data)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    elif data.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    elif (utf16 := utf16_without_bom(data)) is not None:
        encodings = [utf16]
    else:
        encodings = ["utf-8", "cp1252"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeError:
            continue
        if "\x00" in text:
            line = text.count("\n", 0, text.index("\x00")) + 1
            raise InputError(
                _("{file}: line {line}: contains NUL bytes; this is not a text CSV file").format(
                    file=source, line=line
                ),
                hint=_(TEAMS_HINT),
            )
        return text.lstrip("\ufeff")
    raise InputError(
        _("{file}: cannot be read as text ({encoding})").format(
            file=source, encoding=encodings[-1]
        ),
        hint=_(TEAMS_HINT),
    )


def read_text(path: Path) -> str:
    """A report file's decoded text (see ``decode_text``); InputError if it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(
            _("{path}: cannot read the file ({reason})").format(path=path, reason=exc.strerror)
        ) from None
    return decode_text(data, path.name)


def key(text: str) -> str:
    """Fold a header or label: case, BOM, quotes, a trailing colon and spaces do not matter."""
    text = text.replace("\ufeff", "").strip().strip('"').strip().rstrip(":").casefold()
    return " ".join(text.replace("_", " ").split())


def _agreement(lines: list[str], delimiter: str) -> tuple[int, int]:
    """How many lines split into the most common width (of two columns or more), and it."""
    counts: dict[int, int] = {}
    for cells in csv.reader(lines, delimiter=delimiter):
        if len(cells) >= 2:
            counts[len(cells)] = counts.get(len(cells), 0) + 1
    return max(((n, width) for width, n in counts.items()), default=(0, 0))


def split_records(text: str, source: str, delimiter: str | None = None) -> list[Record]:
    """The text's non-blank rows, cells stripped, numbered by the physical line they start on.

    The delimiter (tab, ``;`` or ``,``) is the one that splits the first lines into the most
    columns; a first line ``sep=X`` (Excel's) names it and is skipped."""
    lines = text.splitlines(keepends=True)
    offset = 0
    if lines and (sep := re.fullmatch(r'"?sep=(.)"?\s*', lines[0])):
        delimiter = delimiter or sep.group(1)
        lines, offset = lines[1:], 1
    if delimiter is None:
        sample = [line for line in lines[:SNIFF_LINES] if line.strip()]
        # Teams writes tabs; a name ("Wulan Sari, S.Sos.") or a time ("9/30/21, 8:52 AM")
        # holds commas, so tabs on most lines decide before any count.
        if sum("\t" in line for line in sample) * 2 >= len(sample) > 0:
            delimiter = "\t"
        else:
            try:
                delimiter = max((";", ","), key=lambda d: _agreement(sample, d))
            except csv.Error:
                delimiter = ","
    csv.field_size_limit(1 << 20)
    reader = csv.reader(lines, delimiter=delimiter)
    records: list[Record] = []
    consumed = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return records
        except csv.Error as exc:
            raise InputError(
                _("{file}: line {line}: {detail}").format(
                    file=source, line=reader.line_num + offset, detail=str(exc)
                ),
                hint=_(TEAMS_HINT),
            ) from None
        stripped = [cell.strip() for cell in cells]
        while stripped and not stripped[-1]:
            stripped.pop()
        if stripped:
            records.append((consumed + 1 + offset, stripped))
        consumed = reader.line_num


def cell_of(cells: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return cells[index] if index is not None and index < len(cells) else ""


def header_columns(cells: list[str], names: dict[str, str]) -> dict[str, int]:
    return first_columns([key(cell) for cell in cells], names)


def first_columns(keys: list[str], names: dict[str, str]) -> dict[str, int]:
    """Each known column's index among already folded header ``keys``: ``names`` maps a
    key to the column it names; the first of two columns with one name wins."""
    columns: dict[str, int] = {}
    for index, folded in enumerate(keys):
        name = names.get(folded)
        if name is not None and name not in columns:
            columns[name] = index
    return columns
