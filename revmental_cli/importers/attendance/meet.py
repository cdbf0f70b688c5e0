"""Google Meet attendance reports (and Workspace's "First seen"/"Time in call" export).

Owns: the date of a report whose times stand alone (a "Date" column, a preamble line, else
the session's day), and one Visit per row. Meet's header names (English and Indonesian) and
``meet_columns``, the test that a header is Meet's, are sniff.py's: detection runs them on
every file and loads this module only for a Meet report. Never touches the store, the console
or the clock.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from revmental_cli.domain.person import FieldError, parse_date_cell
from revmental_cli.domain.visits import Visit
from revmental_cli.errors import Problem
from revmental_cli.i18n import N_, _
from revmental_cli.importers.attendance.report import Report
from revmental_cli.importers.attendance.rows import (
    Record,
    RowProblems,
    cell_at,
    ignored,
    minutes_cell,
    time_cell,
)
from revmental_cli.importers.attendance.times import parse_time

# English msgid: translate it where it is shown, with ``_``.
_MEET_TIME_HINT = N_(
    "write it as YYYY-MM-DD HH:MM:SS or as Google Meet exports it (Sep 30, 2021, 9:01 AM), "
    "or export the report again without editing it"
)


# "Meeting date: 2021-09-30", "Tanggal rapat: 30 September 2021", "Tanggal pertemuan: ...",
# "Created on 2021-09-30 11:20".
_DATE_LINE = re.compile(
    r"\b(?:date|tanggal|created on|dibuat pada|dibuat)"
    r"(?:\s+(?:rapat|pertemuan|kegiatan|acara|sesi|meeting|of (?:the )?meeting))?"
    r"\b\s*[:=,]?\s*(?P<date>.+)$",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(
    r"^(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun)\.?,?\s+",
    re.IGNORECASE,
)


def _preamble_date(records: list[Record]) -> date | None:
    for _line, cells in records:
        text = " ".join(cell for cell in cells if cell)
        match = _DATE_LINE.search(text)
        if not match:
            continue
        candidate = _WEEKDAY.sub("", match["date"].strip())
        # "Created on 2021-09-30 11:20": the date is the first word; "30 September 2021
        # 09:00": the first three.
        words = candidate.split(" ")
        for attempt in (candidate, words[0], " ".join(words[:3])):
            try:
                return parse_date_cell(attempt)
            except FieldError:
                continue
        try:
            return parse_time(candidate).date()  # "Sep 30, 2021, 9:00 AM"
        except ValueError:
            continue
    return None


def read_meet(
    report: Report,
    records: list[Record],
    index: int,
    columns: dict[str, int],
    session_day: date | None = None,
) -> list[Problem]:
    problems: list[Problem] = []
    headers = records[index][1]
    report.ignored_columns = ignored(headers, columns, set())
    names = {name: headers[i] for name, i in columns.items()}
    # The report's own date first: a different --session is then caught as another day.
    day = _preamble_date(records[:index]) or session_day
    for line, cells in records[index + 1 :]:
        problem = RowProblems(report.source, line, names)

        if "full" in columns:
            name = cell_at(cells, columns, "full")
        else:
            name = " ".join(
                part
                for part in (cell_at(cells, columns, "first"), cell_at(cells, columns, "last"))
                if part
            )
        email = cell_at(cells, columns, "email").casefold()
        if not name and not email:
            problem("first" if "first" in columns else "full", _("no name and no email"))
        row_day = day
        if text := cell_at(cells, columns, "date"):
            try:
                row_day = parse_date_cell(text)
            except FieldError as exc:
                problem("date", exc.message, exc.hint)
        join = time_cell(cells, columns, "join", problem, row_day, hint=_MEET_TIME_HINT)
        leave = time_cell(cells, columns, "leave", problem, row_day, hint=_MEET_TIME_HINT)
        if join is not None and leave is not None and leave < join:
            problem(
                "leave",
                _("exits ({leave}) before joining ({join})").format(
                    leave=f"{leave:%H:%M:%S}", join=f"{join:%H:%M:%S}"
                ),
            )
        minutes = minutes_cell(cells, columns, "minutes", problem)
        problems.extend(problem.found)
        report.visits.append(
            Visit(
                line, name, "", email, join, leave, minutes, None, _is_total(join, leave, minutes)
            )
        )
    return problems


def _is_total(join: datetime | None, leave: datetime | None, minutes: float | None) -> bool:
    """Whether a Meet row is a person's first join, last leave and time in the call (Workspace's
    "First seen"/"Last seen"/"Duration") rather than one connection: its duration is shorter than
    its span, so the person was not there all along. A minute of slack: both are rounded."""
    if join is None or leave is None or minutes is None:
        return False
    return minutes + 1 < (leave - join).total_seconds() / 60
