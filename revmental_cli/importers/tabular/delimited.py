"""Read a CSV, TSV or "Unicode Text" file into a :class:`~.table.Table`.

Owns: the delimiter (given; Excel's ``sep=X`` line; sniffed from the first 50 lines), the
csv-module reading with physical line numbers, the 1 MB cell limit and Excel's ``="..."``
text cells. The encoding comes from encoding.py. Never touches the store, the console or
the clock.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections import Counter
from collections.abc import Callable, Generator, Iterable
from pathlib import Path
from typing import TextIO

from revmental_cli.errors import InputError, UsageError
from revmental_cli.i18n import _
from revmental_cli.importers.tabular.encoding import choose_encoding, reject_binary
from revmental_cli.importers.tabular.source import (
    MAX_COLUMNS,
    MAX_LINE_CHARS,
    cannot_read,
    megabytes,
)
from revmental_cli.importers.tabular.table import (
    SAVE_HINT,
    Record,
    Table,
    build_table,
    no_numbers,
)

MAX_FIELD_BYTES = 1 << 20
_SNIFF_LINES = 50
_DELIMITERS = {
    ",": ",",
    "comma": ",",
    ";": ";",
    "semicolon": ";",
    "\t": "\t",
    "\\t": "\t",
    "tab": "\t",
}


def _sniff(lines: list[str], truncated: bool) -> str:
    """Pick the candidate delimiter that splits the sample into the most consistent columns."""
    best, best_score = ",", (False, False, 0, 0.0)
    for candidate in (",", ";", "\t"):
        try:
            # Empty lines say nothing; rows of empty cells (";;;") do.
            records = [r for r in csv.reader(lines, delimiter=candidate) if r]
        except csv.Error:
            continue
        if truncated and len(records) > 1:
            records.pop()  # may have been cut inside a quoted multi-line cell
        if not records:
            continue
        width, count = Counter(len(r) for r in records).most_common(1)[0]
        share = count / len(records)
        score = (width > 1, share >= 0.8, width, share)
        if score > best_score:
            best, best_score = candidate, score
    return best


_SEP_LINE = re.compile(r"^sep=(.)\r?\n?$", re.DOTALL)


def read_delimited(
    path: Path,
    source: str,
    delimiter: str | None,
    encoding: str | None,
    looks_like_header: Callable[[list[str]], bool],
) -> Table:
    chosen_delimiter: str | None = None
    if delimiter is not None:
        chosen_delimiter = _DELIMITERS.get(delimiter.lower() if len(delimiter) > 1 else delimiter)
        if chosen_delimiter is None:
            raise UsageError(
                _("unknown delimiter {value}").format(value=repr(delimiter)),
                hint=_("use one of: , ; tab (or the words comma, semicolon, tab)"),
            )
    try:
        with path.open("rb") as raw:
            head = raw.read(64 * 1024)
    except OSError as exc:
        raise cannot_read(path, exc) from None
    if not head:
        raise InputError(_("{file}: the file is empty").format(file=source), hint=_(SAVE_HINT))
    reject_binary(source, head)
    chosen_encoding = choose_encoding(path, source, head, encoding)

    handle = path.open(encoding=chosen_encoding, newline="")
    lines = _bounded_lines(source, handle)
    try:
        sample = list(itertools.islice(lines, _SNIFF_LINES))
        offset = 0
        sep = _SEP_LINE.match(sample[0]) if sample else None
        if sep:
            sample.pop(0)
            offset = 1
            chosen_delimiter = chosen_delimiter or sep.group(1)
        if chosen_delimiter is None:
            chosen_delimiter = _sniff(sample, truncated=len(sample) + offset >= _SNIFF_LINES)
    except BaseException:
        lines.close()
        handle.close()
        raise
    records = _csv_records(source, lines, sample, offset, chosen_delimiter)
    table = build_table(
        source,
        records,
        looks_like_header,
        encoding=chosen_encoding,
        delimiter=chosen_delimiter,
    )
    if encoding is None and chosen_encoding == "cp1252":
        # Not UTF-8: the usual other one is Windows-1252, but Excel's "CSV (MS-DOS)" is cp850
        # and reads as other accented letters under cp1252, with no error to notice it by.
        table.notes.append(
            _(
                "{file}: not UTF-8; read as Windows-1252 (cp1252). If accented letters look "
                "wrong, name the encoding, e.g. --encoding cp850 for Excel's CSV (MS-DOS)"
            ).format(file=source)
        )
    return table


def _bounded_lines(source: str, handle: TextIO) -> Generator[str, None, None]:
    """The file's physical lines, none longer than MAX_LINE_CHARS: a 100 MB line (or a file
    with no line break at all) is refused after reading its first 4 MB, not held whole."""
    number = 0
    try:
        while True:
            line = handle.readline(MAX_LINE_CHARS + 1)
            if not line:
                return
            number += 1
            if len(line) > MAX_LINE_CHARS:
                message = _("{file}: line {line} is longer than {limit}, the most a line may hold")
                raise InputError(
                    message.format(file=source, line=number, limit=megabytes(MAX_LINE_CHARS)),
                    hint=_("this is not a sheet's row; check that you named the right file"),
                )
            yield line
    finally:
        handle.close()


def _unwrap_formula_text(cell: str) -> str:
    """="198807142014032004" is how some systems make Excel keep a long number as text."""
    if len(cell) >= 3 and cell.startswith('="') and cell.endswith('"'):
        return cell[2:-1].replace('""', '"')
    return cell


def _csv_records(
    source: str, handle: Iterable[str], sample: list[str], offset: int, delimiter: str
) -> Generator[Record, None, None]:
    # A stray quote would otherwise swallow the rest of the file into one cell.
    csv.field_size_limit(MAX_FIELD_BYTES)
    reader = csv.reader(itertools.chain(sample, handle), delimiter=delimiter)
    consumed = 0
    width, numbers = 0, no_numbers(0)
    try:
        # One ``for`` over the reader, its errors caught around the loop: a try and a next()
        # per row cost a tenth of reading a large file.
        try:
            for cells in reader:
                if len(cells) != width:
                    width = len(cells)
                    if width > MAX_COLUMNS:
                        raise InputError(
                            _("{file}: line {line}: more than {limit} cells in one row").format(
                                file=source,
                                line=reader.line_num + offset,
                                limit=f"{MAX_COLUMNS:,}",
                            ),
                            hint=_(
                                "this is not a sheet's row; check that you named the right file"
                            ),
                        )
                    numbers = no_numbers(width)
                # A scan of the joined row first: nearly no row has such a cell.
                if '="' in "".join(cells) and any(c[:2] == '="' for c in cells):
                    cells = [_unwrap_formula_text(c) for c in cells]
                yield consumed + 1 + offset, cells, numbers
                consumed = reader.line_num
        except csv.Error as exc:
            line = reader.line_num + offset
            detail = str(exc)
            if "field larger than field limit" in detail:
                detail = _("a cell is longer than 1 MB (is a quote left open?)")
            raise InputError(
                _("{file}: line {line}: {detail}").format(file=source, line=line, detail=detail),
                hint=_(SAVE_HINT),
            ) from None
    finally:
        close = getattr(handle, "close", None)
        if close is not None:
            close()
