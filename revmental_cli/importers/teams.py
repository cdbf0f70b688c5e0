"""The old import path of the Teams reader, kept for callers that use it.

The reader is ``importers/attendance/teams.py`` (with teams_v2.py, stamps.py and text.py);
this module only re-exports its public names (its ``__all__``, which includes the text
helpers it re-exports) and must never hold code of its own.
"""

from __future__ import annotations

from revmental_cli.importers.attendance import teams as _reader
from revmental_cli.importers.attendance.teams import *  # noqa: F403  (the reader's __all__)

__all__ = list(_reader.__all__)
