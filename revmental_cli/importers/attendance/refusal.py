"""The refusal of a file no attendance reader fits: what it holds, and what would read it.

Owns the list of formats and the message of a refused file: the columns found (the widest of
its first rows, as the header most likely is), the formats the tool reads, and a hint that
works: the one ``--format`` that reads this file (found by the caller trying them), else the
columns each format needs. Never reads a file, the store, the console or the clock.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from revmental_cli.errors import InputError
from revmental_cli.i18n import N_, _
from revmental_cli.importers.attendance.rows import Record

__all__ = ["FORMATS", "refusal"]

FORMATS = ("zoom", "meet", "teams", "moodle", "csv")
_LOOKAHEAD = 12
_SHOWN = 12  # columns named in the message; a wide sheet's others are counted
# English msgids: translated where they are shown, with ``_``.
_NAMES = {
    "zoom": N_("a Zoom participant report"),
    "meet": N_("a Google Meet attendance report"),
    "teams": N_("a Microsoft Teams attendance list"),
    "moodle": N_("a Moodle Attendance export"),
    "csv": N_("an attendance sheet"),
}
_NEEDS = {
    "zoom": N_("a Zoom report needs a name column and join and leave times or a duration"),
    "meet": N_("a Google Meet report needs a name, an email and a duration or the time joined"),
    "teams": N_(
        "a Teams list needs Full Name, User Action and Timestamp (or the 2021+ report's "
        "Participants or In-Meeting Activities table)"
    ),
    "moodle": N_(
        "a Moodle export needs the participants' ID numbers, e-mails or names and one column "
        "per session titled with its date"
    ),
    "csv": N_("a plain sheet needs a NIP column and a status column (hadir, izin, sakit...)"),
}


def _columns(records: list[Record]) -> list[str]:
    """The cells of the widest of the first rows: the header, if the file has one."""
    rows = [cells for _line, cells in records[:_LOOKAHEAD] if any(cells)]
    return max(rows, key=len, default=[])


def refusal(
    path: Path,
    source: str,
    records: list[Record],
    tried: str | None,
    fits: str | None,
    again: str = "",
) -> InputError:
    """The error for a file no reader fits. ``tried``: the --format given (None: detected);
    ``fits``: a format that reads the file (the hint's command); ``again``: the options to
    repeat in that command."""
    columns = _columns(records)
    shown = ", ".join(repr(c) for c in columns[:_SHOWN] if c)
    if len(columns) > _SHOWN:
        shown += _(" and {count} more").format(count=len(columns) - _SHOWN)
    found = _("its columns: {columns}").format(columns=shown) if shown else _("it has no columns")
    readable = _("the tool reads {formats}").format(
        formats="; ".join(_(_NAMES[f]) for f in FORMATS)
    )
    if tried is not None:
        message = _("{file}: does not look like {what} (--format {format}): {found}; {readable}")
        message = message.format(
            file=source, what=_(_NAMES[tried]), format=tried, found=found, readable=readable
        )
    else:
        message = _("{file}: not an attendance report the tool reads: {found}; {readable}")
        message = message.format(file=source, found=found, readable=readable)
    if fits is not None:
        command = " ".join(
            ["revmental attendance import", shlex.quote(str(path)), "--format", fits]
            + ([again] if again else [])
        )
        hint = _("it reads as {what}: `{command}`").format(what=_(_NAMES[fits]), command=command)
    else:
        hint = "; ".join(_(_NEEDS[f]) for f in ([tried] if tried else FORMATS))
        if tried is not None:
            hint += "; " + _("no other format reads this file either")
        else:
            hint += "; " + _("a file with those columns is detected without --format")
    return InputError(message, hint=hint)
