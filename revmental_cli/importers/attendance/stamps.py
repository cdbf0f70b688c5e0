"""Timestamps of Teams lists, and the date order (day-first or month-first) they are read in.

Owns ``stamp`` (one timestamp, ``11/12/2020, 08:01:35`` or ``12/11/2020 8:01 AM``),
``date_order`` (the order in which every date of a list fits one meeting, the session's
date deciding when both do) and ``Times`` (parse in that order, collecting row problems).
Text in, datetimes and Problems out: never touches a file, the store, the console or the
clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from revmental_cli.errors import InputError, Problem
from revmental_cli.i18n import _
from revmental_cli.importers.attendance.text import TEAMS_HINT
from revmental_cli.importers.attendance.times import parse_time

__all__ = [
    "NUMERIC_DATE",
    "AmbiguousDates",
    "StampText",
    "Times",
    "date_order",
    "numeric_date",
    "stamp",
]

_CLOCK = (
    r"(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?:[:.](?P<s>\d{2}))?\s*(?:(?P<ampm>[AaPp])\.?\s?[Mm]\.?)?"
)
NUMERIC_DATE = re.compile(
    r"^(?P<a>\d{1,2})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2}),?\s+" + _CLOCK + "$"
)


def numeric_date(match: re.Match[str], order: str) -> date:
    a, b, year = int(match["a"]), int(match["b"]), int(match["y"])
    year += 2000 if year < 100 else 0
    return date(year, b, a) if order == "dmy" else date(year, a, b)


def stamp(text: str, order: str) -> datetime:
    """One timestamp; ``order`` ("dmy"/"mdy") reads a numeric date. ValueError if none."""
    value = " ".join(text.split())
    if match := NUMERIC_DATE.fullmatch(value):
        day = numeric_date(match, order)
        hour = int(match["h"])
        if match["ampm"]:
            if not 1 <= hour <= 12:
                raise ValueError(f"hour {hour} with AM/PM")
            hour = hour % 12 + (12 if match["ampm"].lower() == "p" else 0)
        return datetime(day.year, day.month, day.day, hour, int(match["mi"]), int(match["s"] or 0))
    return parse_time(value.replace(", ", " ", 1) if value[:4].isdigit() else value)


class AmbiguousDates(InputError):
    """A list whose dates read day-first and month-first alike, and no session's date was
    given to choose: the caller may try the schedule's dates."""


@dataclass(frozen=True)
class StampText:
    """A timestamp cell as written, and where."""

    line: int
    column: str
    value: str


def date_order(
    texts: list[StampText], source: str, day: date | None, notes: list[str]
) -> tuple[str, str | None]:
    """("dmy" | "mdy", the order the dates showed or None when they read alike)."""
    matches = [(t, m) for t in texts if (m := NUMERIC_DATE.fullmatch(" ".join(t.value.split())))]
    if not matches:
        return "dmy", None
    if any(m["sep"] == "." for _t, m in matches):  # 11.12.2020: always day-first
        return "dmy", "dmy"
    readings: dict[str, list[date]] = {}
    for order in ("dmy", "mdy"):
        try:
            days = [numeric_date(m, order) for _t, m in matches]
        except ValueError:
            continue
        if max(days) - min(days) <= timedelta(days=2):  # a meeting's list spans a day or so
            readings[order] = days
    if not readings:  # garbled dates: each is a row problem in the likelier order
        mdy_ok = sum(int(m["a"]) <= 12 for _t, m in matches)
        return ("mdy" if mdy_ok > len(matches) - mdy_ok else "dmy"), None
    if len(readings) == 1:
        return next(iter(readings)), next(iter(readings))
    if readings["dmy"] == readings["mdy"]:
        return "dmy", None
    first = next(
        t for (t, _m), a, b in zip(matches, readings["dmy"], readings["mdy"], strict=True) if a != b
    )
    both = {o: readings[o][[t for t, _m in matches].index(first)] for o in readings}
    if day is not None:
        fitting = [o for o in ("dmy", "mdy") if day in readings[o]]
        if fitting:
            notes.append(
                _(
                    "{file}: its dates read either way ({value}); read {order} as that falls "
                    "on the session's date, {date}"
                ).format(
                    file=source,
                    value=first.value,
                    order=_("day-first") if fitting[0] == "dmy" else _("month-first"),
                    date=day.isoformat(),
                )
            )
            return fitting[0], fitting[0]
    raise AmbiguousDates(
        _(
            "{file}: line {line}: {column}: the date {value} reads as {dmy} day-first or "
            "{mdy} month-first, and no date in the list tells which"
        ).format(
            file=source,
            line=first.line,
            column=first.column,
            value=repr(first.value),
            dmy=both["dmy"].isoformat(),
            mdy=both["mdy"].isoformat(),
        ),
        hint=_(
            "name the session with --session N: the list is read the way that falls on its date"
        ),
    )


class Times:
    """Parse a report's timestamps in one date order, collecting row problems."""

    def __init__(self, source: str, order: str, problems: list[Problem]) -> None:
        self.source, self.order, self.problems = source, order, problems

    def __call__(self, text: StampText, empty_ok: bool = False) -> datetime | None:
        if not text.value:
            if not empty_ok:
                self.problems.append(
                    Problem(_("time is empty"), self.source, text.line, text.column, _(TEAMS_HINT))
                )
            return None
        try:
            return stamp(text.value, self.order)
        except ValueError:
            self.problems.append(
                Problem(
                    _("not a date and time: {value}").format(value=repr(text.value)),
                    self.source,
                    text.line,
                    text.column,
                    _(
                        "write it as Teams exports it, e.g. 12/11/2020, 08:01:35 or "
                        "2020-12-11 08:01:35"
                    ),
                )
            )
            return None
