"""Cohort definitions: YAML file -> validated ``Cohort``, every problem reported at once.

The YAML reader (reader.py: bytes -> plain data with the line of every field path) is kept
apart from the cohort rules (fields.py, sections.py, rules.py: plain data -> ``Cohort``);
hints.py names the hand-editing traps between the two, definition.py joins them.

Messages and hints are in the user's language (i18n.py); field paths (``sessions[2].start``) and
the YAML key names inside messages stay as the file writes them. What the commands and tests
import from ``revmental_cli.cohort_file`` is re-exported here.
"""

from __future__ import annotations

from revmental_cli.cohort_file.definition import (
    Loaded,
    find_definitions,
    parse_definition,
    peek_id,
    read_definition,
)
from revmental_cli.cohort_file.hints import misnamed_definitions
from revmental_cli.cohort_file.reader import MAX_FILE_BYTES, MAX_NODES

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "Loaded",
    "find_definitions",
    "misnamed_definitions",
    "parse_definition",
    "peek_id",
    "read_definition",
]
