"""Google Forms presence lists: whoever answered was there, when the answer was sent.

Owns: reading a sheet with a NIP and a timestamp (no status) into one Mark per answer, the
order of its NN/NN/YYYY dates (told by a day over 12, else guessed from the header's
language), and both readings when no date tells (``Report.form_readings``, for the caller to
choose by the schedule). Which answers count for a session is domain/attendance.py's
``form_answers_for``. Never touches the store, the console or the clock.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from revmental_cli.domain.visits import Mark
from revmental_cli.errors import Problem
from revmental_cli.i18n import N_, _
from revmental_cli.importers.attendance.report import FormReadings
from revmental_cli.importers.attendance.rows import RowProblems, cell_at
from revmental_cli.importers.attendance.sheet import SheetRows
from revmental_cli.importers.attendance.times import form_date_order, parse_form_timestamp
from revmental_cli.importers.headers import spaced_key

# Where a presence form's answer says who sent it, to show an answer that is not credited.
_NAME_HEADERS = {"nama", "nama lengkap", "name", "nama peserta", "full name"}


def read_form(sheet: SheetRows) -> list[Problem]:
    """Read a presence form's answers into ``report.marks``; return the row problems."""
    report, headers, columns, rows = sheet.report, sheet.headers, sheet.columns, sheet.rows
    report.presence_form = True
    named = [i for i, header in enumerate(headers) if spaced_key(header) in _NAME_HEADERS]
    name_column = {"name": named[0]} if named else {}
    # One reading for the whole column: a sheet is in one locale.
    stamps = [cell_at(cells, columns, "timestamp") for _line, cells in rows]
    told_order = form_date_order(stamps)
    # The header's language is only a guess at the sheet's locale (an Indonesian sheet
    # keeps Google's English "Timestamp"): the caller may choose by the schedule.
    order = told_order or (
        "mdy" if spaced_key(headers[columns["timestamp"]]) == "timestamp" else "dmy"
    )
    for line, cells, problem, nip in sheet:
        # Every answer is kept with its time: which ones count depends on the session's
        # date (form_answers_for), and a second answer may be the one on the right day.
        answered = _form_time(cell_at(cells, columns, "timestamp"), order, problem)
        name = cell_at(cells, name_column, "name")
        report.marks.append(Mark(line, nip, "present", None, "", answered, name))
    if told_order is None:
        texts = {line: cell_at(cells, columns, "timestamp") for line, cells in rows}
        report.form_readings = _both_readings(
            report.marks, texts, headers[columns["timestamp"]], order
        )
    return sheet.problems


def _both_readings(
    marks: list[Mark], texts: dict[int, str], column: str, order: str
) -> FormReadings | None:
    """Both readings of a form whose dates read either way, or None when they agree."""
    other = "mdy" if order == "dmy" else "dmy"
    others: list[Mark] = []
    first: Mark | None = None
    for mark in marks:
        answered: datetime | None
        try:
            answered = parse_form_timestamp(texts[mark.line], other)
        except ValueError:  # unreadable either way: already a problem of the row
            answered = mark.answered
        if first is None and answered != mark.answered:
            first = mark
        others.append(replace(mark, answered=answered))
    if first is None:  # "10/10/2021", or no date at all: nothing to choose
        return None
    return FormReadings(first.line, column, texts[first.line], {order: marks, other: others})


_FORM_TIME_HINT = N_(
    "write it as the form's sheet does, such as 29/09/2021 8:55:12, or export the responses again"
)


def _form_time(text: str, order: str, problem: RowProblems) -> datetime | None:
    if not text.strip():
        problem("timestamp", _("timestamp is empty"), _(_FORM_TIME_HINT))
        return None
    try:
        return parse_form_timestamp(text, order)
    except ValueError:
        problem(
            "timestamp",
            _("not a date and time: {value}").format(value=repr(text)),
            _(_FORM_TIME_HINT),
        )
        return None
