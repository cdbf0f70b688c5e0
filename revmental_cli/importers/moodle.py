"""The old import path of the Moodle Attendance reader, kept for callers that use it.

The reader is ``importers/attendance/moodle.py`` (with moodle_titles.py); this module only
re-exports its names and must never hold code of its own.
"""

from __future__ import annotations

from revmental_cli.importers.attendance.moodle import (
    DEFAULT_ACRONYMS,
    FORMAT,
    MoodleExport,
    MoodleMark,
    MoodleSession,
    looks_like_moodle,
    parse_moodle,
    parse_moodle_records,
    read_moodle,
)
from revmental_cli.importers.attendance.moodle_titles import session_title_time

__all__ = [
    "DEFAULT_ACRONYMS",
    "FORMAT",
    "MoodleExport",
    "MoodleMark",
    "MoodleSession",
    "looks_like_moodle",
    "parse_moodle",
    "parse_moodle_records",
    "read_moodle",
    "session_title_time",
]
