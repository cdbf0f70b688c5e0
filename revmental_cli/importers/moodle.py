"""The old import path of the Moodle Attendance reader, kept for callers that use it.

The reader is ``importers/attendance/moodle.py`` (with moodle_titles.py); this module only
re-exports its public names (its ``__all__``) and must never hold code of its own.
"""

from __future__ import annotations

from revmental_cli.importers.attendance import moodle as _reader
from revmental_cli.importers.attendance.moodle import *  # noqa: F403  (the reader's __all__)

__all__ = list(_reader.__all__)
