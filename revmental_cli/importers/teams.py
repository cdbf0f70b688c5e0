"""The old import path of the Teams reader, kept for callers that use it.

The reader is ``importers/attendance/teams.py`` (with teams_v2.py, stamps.py and text.py);
this module only re-exports its names and must never hold code of its own.
"""

from __future__ import annotations

from revmental_cli.importers.attendance.teams import (
    FORMAT,
    TeamsReport,
    TeamsVisit,
    is_organizer,
    looks_like_teams,
    looks_like_teams_v1,
    looks_like_teams_v2,
    parse_teams,
    parse_teams_v1,
    parse_teams_v2,
    read_teams,
)
from revmental_cli.importers.attendance.text import Record, decode_text, key, split_records

__all__ = [
    "FORMAT",
    "Record",
    "TeamsReport",
    "TeamsVisit",
    "decode_text",
    "is_organizer",
    "key",
    "looks_like_teams",
    "looks_like_teams_v1",
    "looks_like_teams_v2",
    "parse_teams",
    "parse_teams_v1",
    "parse_teams_v2",
    "read_teams",
    "split_records",
]
