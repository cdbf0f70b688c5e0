"""Score sheets from facilitators: a NIP column and one column per component (key or name).

Pure: a Table in, validated (nip, component, value) triples and problems out. Whether a NIP
is enrolled is the command's question (the store knows); everything about the file is here.
Never touches the store or the console; ``today`` comes from the caller (without one, the
clock's date, read once).
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from revmental_cli.domain.cohort import Component
from revmental_cli.domain.person import EXCEL_NIP_HINT, EXCEL_NIP_MESSAGE, FieldError, normalize_id
from revmental_cli.errors import InputError, Problem
from revmental_cli.i18n import _
from revmental_cli.importers.headers import header_field, header_key
from revmental_cli.importers.tabular import Table

_NOT_SCORED = frozenset({"", "-", "\u2013", "\u2014"})  # an empty cell, or a dash for "none yet"
_NUMBER = re.compile(r"^\d{1,3}(?:[.,]\d+)?$")


def column_key(text: str) -> str:
    """How a header names a component: case, spaces and punctuation do not count."""
    return header_key(text)


def parse_value(text: str) -> float:
    """``85,5`` and ``85.5`` are the same score; 0 to 100 only; ``85%`` is 85."""
    value = text.strip().removesuffix("%").strip()
    if not _NUMBER.match(value):
        raise FieldError(
            _("{value} is not a score").format(value=repr(value)),
            _("write a number from 0 to 100, e.g. 85,5"),
        )
    number = float(value.replace(",", "."))
    if not math.isfinite(number) or not 0 <= number <= 100:
        raise FieldError(_("{value} is outside 0-100").format(value=value))
    return number


def looks_like_score_header(cells: list[str]) -> bool:
    return any(header_field(c) == "nip" for c in cells if c.strip())


# The summary rows a score sheet ends with: no participant.
_SUMMARY = re.compile(
    r"^\s*(rata-?\s*rata|rerata|jumlah|total|average|mean|nilai rata|min(imum)?|max(imum)?)\b",
    re.IGNORECASE,
)


@dataclass
class ScoreSheet:
    values: list[tuple[int, str, str, float]] = field(default_factory=list)  # line, nip, key, value
    nips: list[tuple[int, str]] = field(default_factory=list)  # every valid NIP, with its line
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    components: list[str] = field(default_factory=list)
    rows: int = 0
    trailing_lines: list[int] = field(default_factory=list)  # rows under the list, no NIP


def parse_scores(
    table: Table, components: Iterable[Component], today: date | None = None
) -> ScoreSheet:
    """Read a score sheet; ``today``: the date no birth date in a NIP or NIK may pass (the
    command's; None, for tests and scripts: the clock's, read once here)."""
    if today is None:
        today = date.today()
    by_name: dict[str, str] = {}
    for c in components:
        by_name[column_key(c.key)] = c.key
        by_name[column_key(c.name)] = c.key
    sheet = ScoreSheet()
    nip_col: int | None = None
    columns: dict[int, str] = {}
    for i, header in enumerate(table.headers):
        if not header:
            continue
        if header_field(header) == "nip":
            nip_col = i
        elif column_key(header) in by_name:
            key = by_name[column_key(header)]
            if key in columns.values():
                raise InputError(
                    _("{file}: two columns give the scores of '{key}'").format(
                        file=table.source, key=key
                    ),
                    hint=_("remove or rename one of them"),
                )
            columns[i] = key
        elif header_field(header) in ("ndh", "name"):
            continue  # "No" and "Nama" help people read the sheet; the NIP decides
        else:
            # A near miss ("Rancangn") is a typo that would silently leave a component
            # unscored; other columns ("Jumlah", "Keterangan") are only reported as ignored.
            close = difflib.get_close_matches(column_key(header), list(by_name), n=1, cutoff=0.75)
            if close:
                sheet.problems.append(
                    Problem(
                        _("unknown component column; did you mean '{key}'?").format(
                            key=by_name[close[0]]
                        ),
                        table.source,
                        table.header_line,
                        header,
                        _("rename the column to the component's key or name"),
                    )
                )
            else:
                sheet.ignored_columns.append(header)
    known = ", ".join(sorted({c.key for c in components}))
    if nip_col is None:
        raise InputError(
            _("{file}: no NIP column in the header (line {line})").format(
                file=table.source, line=table.header_line
            ),
            hint=_("the sheet needs a NIP column and one column per component: {keys}").format(
                keys=known
            ),
        )
    if not columns:
        raise InputError(
            _("{file}: no score column in the header (line {line}; found: {found})").format(
                file=table.source,
                line=table.header_line,
                found=", ".join(repr(h) for h in table.headers if h),
            ),
            hint=_("name the columns by component key or name: {keys}").format(keys=known),
        )
    sheet.components = list(columns.values())
    nip_header = table.headers[nip_col]
    seen: dict[str, int] = {}
    # Rows without a NIP are held back: below the last participant they are the sheet's
    # "Rata-rata" line or its signature, not participants (listed in trailing_lines); above
    # one they are a participant whose NIP is missing.
    held: list[int] = []
    for row in table.rows:
        raw = row.cells[nip_col].strip() if nip_col < len(row.cells) else ""
        if not raw:
            scored = any(i < len(row.cells) and row.cells[i].strip() for i in columns)
            if scored and not any(_SUMMARY.match(cell) for cell in row.cells):
                # Scores but no NIP, and no "Rata-rata": a participant whose NIP is missing.
                sheet.rows += len(held) + 1
                for line in [*held, row.line]:
                    sheet.problems.append(
                        Problem(_("NIP is empty"), table.source, line, nip_header)
                    )
                held.clear()
                continue
            held.append(row.line)
            continue
        for line in held:
            sheet.problems.append(Problem(_("NIP is empty"), table.source, line, nip_header))
        sheet.rows += len(held) + 1
        held.clear()

        def problem(
            column: str, message: str, hint: str | None = None, line: int = row.line
        ) -> None:
            sheet.problems.append(Problem(message, table.source, line, column, hint))

        width = len(table.headers)
        extra = [i for i, cell in enumerate(row.cells[width:], start=width) if cell.strip()]
        if extra:
            # "NIP,85,5,80": an unquoted decimal comma in a comma-separated file moves every
            # later value one column to the right; reading it would store wrong scores.
            problem(
                table.headers[-1],
                _(
                    "row has {cells} cells but the header has {width}; "
                    "check the delimiter or stray commas"
                ).format(cells=extra[-1] + 1, width=width),
                _(
                    "a decimal comma in a comma-separated file splits the value: write 85.5, "
                    'quote it ("85,5"), or save the sheet with ; as the separator'
                ),
            )
            continue
        if row.numeric[nip_col]:
            problem(nip_header, _(EXCEL_NIP_MESSAGE), _(EXCEL_NIP_HINT))
            continue
        try:
            nip = normalize_id(raw, today=today)  # a NIK or NRP too: non-ASN participants
        except FieldError as exc:
            problem(nip_header, exc.message, exc.hint)
            continue
        if nip in seen:
            problem(nip_header, _("{nip} is also on line {line}").format(nip=nip, line=seen[nip]))
            continue
        seen[nip] = row.line
        sheet.nips.append((row.line, nip))
        for i, key in columns.items():
            text = row.cells[i] if i < len(row.cells) else ""
            if text.strip() in _NOT_SCORED:
                continue  # an empty cell is "not scored (yet)"
            try:
                sheet.values.append((row.line, nip, key, parse_value(text)))
            except FieldError as exc:
                problem(table.headers[i], exc.message, exc.hint)
    sheet.trailing_lines = held
    return sheet
