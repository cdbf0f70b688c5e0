"""Turn a participant sheet (a :class:`~revmental_cli.importers.tabular.Table`) into roster rows.

See parser.py for the rules. The package: parser.py (RosterParser, the checks of each row),
fast.py (the fast path of a large import), rows.py (RosterRow, RosterReject, the cell rules
both share), kinds.py (NIP, NIK or NRP, and the golongan each allows). None of them touches
the store or the console; the clock only when the caller gives no ``today`` (parser.py).
"""

from __future__ import annotations

from revmental_cli.importers.headers import header_field
from revmental_cli.importers.roster.parser import RosterParser, parse_roster
from revmental_cli.importers.roster.rows import FIELDS, RosterReject, RosterResult, RosterRow
from revmental_cli.records import PERSON_FIELDS

__all__ = [
    "FIELDS",
    "PERSON_FIELDS",
    "RosterParser",
    "RosterReject",
    "RosterResult",
    "RosterRow",
    "header_field",
    "parse_roster",
]

# The order of a staging tuple's person fields, under the name tests/test_roster_parse.py reads.
_PERSON_FIELDS = PERSON_FIELDS
