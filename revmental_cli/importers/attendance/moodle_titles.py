"""The date and time a Moodle Attendance session column's title names.

Owns ``session_title_time`` (``1 Oct 2021 9AM All students``, ``01.10.21 09:00``,
``Oct 1, 2021 09:00``, ``2021-10-01 09:00``, a weekday first or not) and ``is_session``.
Text in, dates out: never touches a file, the store, the console or the clock.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from revmental_cli.domain.person import MONTH_NUMBERS

__all__ = ["is_session", "session_title_time"]

_TIME = r"(?:\s*,?\s*(?P<h>\d{1,2})(?:[:.](?P<mi>\d{2}))?\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?(?=\s|$))?"
_TITLE_PATTERNS = (
    re.compile(r"^(?P<d>\d{1,2})[./-](?P<m>\d{1,2})[./-](?P<y>\d{4}|\d{2})" + _TIME),
    re.compile(r"^(?P<d>\d{1,2})\s+(?P<mon>[^\W\d_]{3,9})\.?\s+(?P<y>\d{4})" + _TIME),
    re.compile(r"^(?P<mon>[^\W\d_]{3,9})\.?\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})" + _TIME),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})" + _TIME),
)
_WEEKDAY = re.compile(
    r"^(?:mon|tue|wed|thu|fri|sat|sun|senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu)"
    r"[a-z]*\.?,?\s+",
    re.IGNORECASE,
)


def session_title_time(title: str, month_first: bool = False) -> tuple[date, datetime | None, str]:
    """(date, date and time or None, the rest) of a session column's title; ValueError if it
    does not start with a date. ``month_first``: read ``10/01/21`` as 1 October."""
    text = _WEEKDAY.sub("", " ".join(title.split()))
    for number, pattern in enumerate(_TITLE_PATTERNS):
        match = pattern.match(text)
        if not match:
            continue
        groups = match.groupdict()
        if groups.get("mon") is not None:
            month = MONTH_NUMBERS.get(groups["mon"].casefold())
            if month is None:
                continue
        else:
            month = int(groups["m"])
        day_number = int(groups["d"])
        if month_first and number == 0:
            month, day_number = day_number, month
        year = int(groups["y"]) + (2000 if len(groups["y"]) == 2 else 0)
        day = date(year, month, day_number)
        starts = None
        if groups["h"] is not None:
            hour = int(groups["h"])
            if groups["ampm"]:
                if not 1 <= hour <= 12:
                    raise ValueError(f"hour {hour} with AM/PM")
                hour = hour % 12 + (12 if groups["ampm"][0] in "Pp" else 0)
            starts = datetime(year, month, day_number, hour, int(groups["mi"] or 0))
        return day, starts, text[match.end() :].strip(" ,-")
    raise ValueError(f"not a session title: {title!r}")


def is_session(title: str) -> bool:
    for month_first in (False, True):
        try:
            session_title_time(title, month_first)
        except ValueError:
            continue
        return True
    return False
