"""The dates, times and durations of attendance reports, read from their text.

Owns: ``parse_time`` (Zoom's US dates, ISO, Meet's month names), ``parse_form_timestamp`` and
``form_date_order`` (a presence form's locale-dependent dates), ``parse_time_of_day`` and
``parse_duration``. Text in, datetime or ValueError out: never touches a file, the store, the
console or the clock (a time alone is put on a day the caller chooses).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, time

__all__ = [
    "form_date_order",
    "parse_duration",
    "parse_form_timestamp",
    "parse_time",
    "parse_time_of_day",
]

_US_DATETIME = re.compile(
    r"^(\d{1,2})/(\d{1,2})/(\d{4})[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])\.?[Mm]\.?)?$"
)
US_DATETIME_12H = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}[ T]+\d{1,2}:\d{2}(?::\d{2})?\s*[AaPp]\.?[Mm]")
_ISO_DATETIME = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?"
    r"\s*(?:Z|[+-]\d{2}:?\d{2})?$"
)
TIME_ONLY = re.compile(r"^(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?\s*(?:([AaPp])\.?[Mm]\.?)?$")
# Google Meet (Workspace) writes "Sep 30, 2021, 9:01 AM" or "Sep 30, 2021, 9:01:12 AM"; some
# locales put the day first ("30 Sep 2021, 09.01"). A month name is never ambiguous.
_CLOCK = r"(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?:[:.](?P<s>\d{2}))?\s*(?:(?P<ampm>[AaPp])\.?[Mm]\.?)?"
_NAMED_DATETIME = (
    re.compile(
        r"^(?P<mon>[^\W\d_]{3,9})\.?\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})\s*,?\s+(?:at\s+)?"
        + _CLOCK
        + "$"
    ),
    re.compile(
        r"^(?P<d>\d{1,2})\s+(?P<mon>[^\W\d_]{3,9})\.?\s+(?P<y>\d{4})\s*,?\s+(?:pukul\s+)?"
        + _CLOCK
        + "$"
    ),
)


def _hour(hour: int, meridiem: str | None) -> int:
    if meridiem is None:
        return hour
    if not 1 <= hour <= 12:
        raise ValueError(f"hour {hour} with AM/PM")
    return hour % 12 + (12 if meridiem.lower() == "p" else 0)


def parse_time(text: str, day_first: bool = False) -> datetime:
    """Return the date and time in a Zoom or Meet cell; ValueError if it is not one.

    Accepted: ``MM/DD/YYYY hh:mm[:ss] AM/PM``, ``MM/DD/YYYY HH:MM[:SS]``,
    ``YYYY-MM-DD HH:MM[:SS]``, ISO with ``T``, and a month by name as Google
    Meet writes it (``Sep 30, 2021, 9:01 AM``, ``30 Sep 2021 09.01``). A UTC
    offset is dropped: the schedule is in local wall-clock time and reports
    are exported in it. ``day_first``: the report was saved by an Indonesian-locale
    Excel, which rewrites Zoom's dates as ``DD/MM/YYYY``.
    """
    value = text.strip()
    if match := _US_DATETIME.fullmatch(value):
        month, day, year, hour, minute, second, meridiem = match.groups()
        if day_first:
            month, day = day, month
        return datetime(
            int(year),
            int(month),
            int(day),
            _hour(int(hour), meridiem),
            int(minute),
            int(second) if second else 0,
        )
    if match := _ISO_DATETIME.fullmatch(value):
        year, month, day, hour, minute, second = match.groups()
        return datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second) if second else 0
        )
    for pattern in _NAMED_DATETIME:
        if match := pattern.fullmatch(value):
            # Here, not at the top: Zoom's times never name a month, and the person rules
            # (their regular expressions) would cost every Zoom import their loading.
            from revmental_cli.domain.person import MONTH_NUMBERS

            month_number = MONTH_NUMBERS.get(match["mon"].casefold())
            if month_number is None:
                break
            return datetime(
                int(match["y"]),
                month_number,
                int(match["d"]),
                _hour(int(match["h"]), match["ampm"]),
                int(match["mi"]),
                int(match["s"] or 0),
            )
    raise ValueError(f"not a date and time: {text!r}")


# A Google Forms timestamp as the responses sheet shows it: the sheet's locale decides
# between "29/09/2021 8:55:12" (Indonesia) and "9/29/2021 8:55:12" (United States). The
# form's own CSV download writes "2021/09/29 8:55:12 AM GMT+7".
_FORM_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:[ T,]+(?P<clock>.+))?$")
_FORM_YEAR_FIRST = re.compile(r"^(\d{4})[/\-](\d{1,2})[/\-](\d{1,2})(?:[ T,]+(?P<clock>.+))?$")
_FORM_CLOCK = re.compile(
    _CLOCK + r"(?:[.,]\d+)?\s*(?:(?:GMT|UTC|WIB|WITA|WIT)\s*)?(?:[+-]\d{1,2}(?::?\d{2})?|Z)?$",
    re.IGNORECASE,
)


def form_date_order(texts: list[str]) -> str | None:
    """Return "dmy" or "mdy" when some timestamp shows which comes first, else None.

    "29/09/2021" can only be day-first and "9/29/2021" only month-first; when
    both kinds appear, the more frequent wins and the others fail to parse.
    """
    day_first = month_first = 0
    # A report's times repeat (everyone joins at the start), and most of its cells (names,
    # e-mails) cannot be a date at all: the texts are counted first (in C: a Python loop over
    # a 5,000-row report's 35,000 cells was a tenth of reading it), each distinct one is
    # looked at once and votes as often as it occurs, and one that starts with neither a
    # digit nor a space is not matched (the pattern starts with \d).
    for text, count in Counter(texts).items():
        first = text[:1]
        if not (first.isdigit() or first.isspace()):
            continue
        match = _FORM_NUMERIC.match(text.strip())
        if match:
            day_first += count * (int(match[1]) > 12)
            month_first += count * (int(match[2]) > 12)
    if not (day_first or month_first):
        return None
    return "dmy" if day_first >= month_first else "mdy"


def parse_form_timestamp(text: str, order: str = "dmy") -> datetime:
    """Return the moment of a presence-form answer; ``order`` reads ``NN/NN/YYYY`` dates.

    ValueError when it is not a date (with or without a time).
    """
    value = text.strip()
    if match := _FORM_YEAR_FIRST.match(value):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    elif match := _FORM_NUMERIC.match(value):
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        day, month = (first, second) if order == "dmy" else (second, first)
    else:
        return parse_time(value)
    clock = match["clock"]
    hour = minute = second_ = 0
    if clock:
        found = _FORM_CLOCK.match(clock.strip())
        if not found:
            raise ValueError(f"not a time: {clock!r}")
        hour, minute = _hour(int(found["h"]), found["ampm"]), int(found["mi"])
        second_ = int(found["s"] or 0)
    return datetime(year, month, day, hour, minute, second_)


def parse_time_of_day(text: str) -> time:
    """Return a time written alone (``09:03``, ``9:03:10 AM``); ValueError otherwise."""
    match = TIME_ONLY.fullmatch(text.strip())
    if not match:
        raise ValueError(f"not a time: {text!r}")
    hour = _hour(int(match[1]), match[4])
    return time(hour, int(match[2]), int(match[3] or 0))


_DURATION_PART = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(hours?|hrs?|h|jam|minutes?|mins?|m|menit|mnt|seconds?|secs?|s|detik|dtk)\b"
)
# Compiled once: a report calls parse_duration on every row.
_PLAIN_MINUTES = re.compile(r"\d+(?:[.,]\d+)?")
_CLOCK_DURATION = re.compile(r"(\d+):(\d{2})(?::(\d{2}))?")
_UNIT_MINUTES = {"h": 60.0, "j": 60.0, "m": 1.0, "s": 1 / 60, "d": 1 / 60}


def parse_duration(text: str) -> float:
    """Return minutes from ``175``, ``175,5``, ``2:55:00``, ``2 hr 55 min``, ``2 jam 5 menit``."""
    value = text.strip().casefold()
    if _PLAIN_MINUTES.fullmatch(value):
        return float(value.replace(",", "."))
    if match := _CLOCK_DURATION.fullmatch(value):
        hours, minutes, seconds = int(match[1]), int(match[2]), int(match[3] or 0)
        return hours * 60 + minutes + seconds / 60
    parts = _DURATION_PART.findall(value)
    leftover = _DURATION_PART.sub("", value).strip(" ,")
    if not parts or leftover:
        raise ValueError(f"not a duration: {text!r}")
    return sum(float(n.replace(",", ".")) * _UNIT_MINUTES[unit[0]] for n, unit in parts)
