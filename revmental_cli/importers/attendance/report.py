"""What an attendance report says as a whole: :class:`Report` and :class:`FormReadings`.

Owns the result types of ``read_report``; its rows are the domain's Visit and Mark
(domain/visits.py), re-exported here. Plain data: never touches a file, the store, the
console or the clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from revmental_cli.domain.visits import Mark, Visit

if TYPE_CHECKING:
    from revmental_cli.importers.attendance.moodle import MoodleExport, MoodleMark

__all__ = ["FormReadings", "Mark", "Report", "Visit"]


@dataclass
class Report:
    """What a report says: the meeting (when it tells) and its rows."""

    format: str
    source: str
    header_line: int = 0
    meeting_id: str = ""
    meeting_start: datetime | None = None
    meeting_end: datetime | None = None
    topic: str = ""
    host_email: str = ""  # the meeting's "User Email": the account that ran it
    presence_form: bool = False  # a Google Forms presence list: listed means present
    # Zoom's "unique users" export: one row per person, join = first join, leave = last leave,
    # and the minutes actually connected in "Total Duration" (not leave - join).
    unique_users: bool = False
    visits: list[Visit] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    # A presence form whose dates read day-first and month-first alike: ``marks`` has the
    # reading the header suggests; the caller chooses by the schedule (see FormReadings).
    form_readings: FormReadings | None = None
    # A Zoom report's NN/NN/YYYY dates: "mdy" as Zoom writes them, "dmy" as an Indonesian
    # Excel re-saves them, None when no day over 12 shows which (read month-first then).
    date_order: str | None = None
    read_day_first: bool = False
    # Times with AM/PM are as Zoom wrote them (month-first): Excel re-saving in the Indonesian
    # locale writes 24-hour times.
    twelve_hour: bool = False
    # How the file was read, for the caller to tell the user (a Teams list downloaded during
    # the meeting: who was counted until its last time; dates read by the session's date).
    notes: list[str] = field(default_factory=list)
    # A Moodle Attendance export: the whole export (several sessions) as read_report returns
    # it, or, in the report of one of its sessions, that column's marks (``format`` "moodle").
    moodle: MoodleExport | None = None
    moodle_marks: list[MoodleMark] = field(default_factory=list)


@dataclass(frozen=True)
class FormReadings:
    """The two readings of a presence form whose dates do not tell their order ("01/10/2021"
    is 1 October day-first, 10 January month-first), and the first answer they differ on."""

    line: int
    column: str
    value: str
    marks: dict[str, list[Mark]]  # "dmy" | "mdy" -> the answers read that way, the header's first
