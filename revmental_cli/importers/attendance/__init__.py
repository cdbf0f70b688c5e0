"""Read an online-attendance report (Zoom, Google Meet, Microsoft Teams), a Moodle Attendance
export, or a plain attendance sheet.

``read_report(path)`` returns a :class:`Report` and the row-level problems::

    report, problems = read_report(Path("zoom-sesi-1.csv"))
    report.format          # "zoom" | "meet" | "teams" | "moodle" | "csv"
    report.visits          # zoom/meet/teams: one Visit per row (a person may have several)
    report.marks           # csv: one Mark per valid row
    report.moodle          # moodle: the export, one column per session
    report.notes           # how the file was read, for the user

Decoding and delimiter sniffing are those of :func:`read_table`; the package
then finds the header itself, because a Zoom report holds two tables (the
meeting block and the participants) and a Meet sheet may carry a preamble
with the meeting's date above its header.

Formats, detected from the content unless ``format=`` is given:

- Zoom: a participant header naming a name column and either join/leave
  times or a (total) duration, optionally after a meeting block
  ("Meeting ID,Topic,Start Time,...") or with the meeting columns repeated on
  every row. Times follow the Zoom account's US-style settings, so
  ``DD/MM/YYYY`` is never read (it would silently swap day and month).
- Meet: first/last name (or a full name), email, duration (or Workspace's
  "Time in Call"), time joined (or "First Seen"), time exited, in English or
  Indonesian. A time alone ("09:03", "09.03") is put on the date found in a
  "Date"/"Tanggal" column or a preamble line ("Tanggal rapat: 30 September
  2021"), else on ``day=`` (the session's date when the user named it); with
  none of them the file is refused, never read with the time dropped. A row
  whose duration is shorter than its joined-to-exited span ("First seen",
  "Last seen", "Duration") is a total, like Zoom's unique users.
- csv: a NIP column and a status column (hadir, terlambat, izin, sakit, alpa
  or their English words, or the letters H/T/I/S/A), optionally minutes and
  a note. Or a Google Forms presence list: a timestamp and a NIP, every
  answer a Mark stamped with when it was sent (see ``form_answers_for``).
  When no date tells day from month ("01/10/2021"), ``Report.form_readings``
  holds both readings for the caller to choose by the schedule.

- Teams (teams.py, teams_v2.py): the old Joined/Left list or the 2021+ three-section
  report; detected first, with Moodle, as its activities table would pass for Zoom's.
- Moodle (moodle.py): one column per session, titled with its date, and status letters.

A file no reader fits is refused naming its columns, the formats read and a working
``--format`` if one reads it (refusal.py).

Row problems (a garbled time, an unknown status) come back as
:class:`~revmental_cli.errors.Problem` with the file, the physical line and
the column as written; the row's Visit is still returned with that value
None so a caller can show it. Whole-file problems raise InputError.

The package: detect.py (``read_report``, which format a file is), sniff.py (the headers
detection reads, so that a reader loads only once its format is chosen), zoom.py, meet.py,
teams.py and teams_v2.py, moodle.py and moodle_titles.py, text.py and stamps.py (the text
and timestamps of Teams and Moodle files), refusal.py, statuses.py (``parse_status``),
sheet.py (status sheets), forms.py (presence forms), times.py (dates, times and durations),
rows.py (records and cells every reader shares), report.py (Report, FormReadings; Visit and
Mark are the domain's, domain/visits.py). None of them touches the store, the console or the
clock.
"""

from __future__ import annotations

from revmental_cli.domain.visits import Mark, Visit
from revmental_cli.importers.attendance.detect import FORMATS, read_report
from revmental_cli.importers.attendance.report import FormReadings, Report
from revmental_cli.importers.attendance.statuses import STATUS_WORDS, STATUSES, parse_status
from revmental_cli.importers.attendance.times import (
    form_date_order,
    parse_duration,
    parse_form_timestamp,
    parse_time,
    parse_time_of_day,
)

__all__ = [
    "FORMATS",
    "STATUSES",
    "STATUS_WORDS",
    "FormReadings",
    "Mark",
    "Report",
    "Visit",
    "form_date_order",
    "parse_duration",
    "parse_form_timestamp",
    "parse_status",
    "parse_time",
    "parse_time_of_day",
    "read_report",
]
