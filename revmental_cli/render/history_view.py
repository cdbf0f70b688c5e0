"""The history table: what changed in the store, when, by whom, by which command.

Takes the history rows as its argument; must never import the store or open it. Times are
stored with their offset and shown in the local time zone, the zone named (i18n.local_time);
``--json`` keeps them as stored.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from rich import box
from rich.table import Table

from revmental_cli.i18n import _, local_time
from revmental_cli.render.console import info, out
from revmental_cli.render.safe import Text, visible

_GAP = 3  # a column's right padding, the box's divider, the next column's left padding


def history(rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        info(_("no history yet: every command that changes the store is recorded here"))
        return
    # The file is why the history exists (which list, which report): it is folded at its
    # slashes, never inside a name. The time on two lines and the command without
    # "revmental " leave it the room. Below 100 columns the user goes (--json has it).
    width = out().width
    with_user = width >= 100
    commands = [r["command"].removeprefix("revmental ") for r in rows]
    when = [local_time(r["at"]).replace(" ", "\n", 1) for r in rows]
    when_width = max(len(line) for w in when for line in w.splitlines())
    # The command on one line from 80 columns; below, it wraps between its words
    # (attendance / import), never inside one.
    parts = commands if width >= 80 else [w for c in commands for w in c.split()]
    command_width = min(max((len(p) for p in parts), default=7), 24)
    user_width = min(max(len(r["user"] or "") for r in rows), 16) if with_user else 0
    files = [visible(r["file"] or "") for r in rows]
    longest_name = max((len(n) for f in files for n in re.split(r"[/\\]", f)), default=0)
    # The room of what changed and the file together: the terminal less the other columns,
    # the gaps between columns and the table's two edges.
    room = width - when_width - command_width - user_width - _GAP * (2 + with_user) - 2
    # The file in a column of its own when its longest name fits two fifths of the room;
    # else on its own lines under what changed, where it has the whole room.
    file_width = max(16, (room - _GAP) * 2 // 5)
    own_column = file_width >= longest_name
    table = Table(title=_("History"), title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column(_("When"), no_wrap=True)
    if with_user:
        table.add_column(_("User"), overflow="fold", max_width=16)
    table.add_column(_("Command"), width=command_width)
    table.add_column(
        _("What") if own_column else _("What, file"), ratio=1, min_width=12, overflow="fold"
    )
    if own_column:
        # fold is only the last resort of a folder name longer than the whole column.
        table.add_column(_("File"), width=file_width, overflow="fold")
    for r, command, at, file in zip(rows, commands, when, files, strict=True):
        what = Text(r["summary"])
        if own_column:
            cells = [what, Text(fold_path(file, file_width))]
        else:
            if file:
                what.append("\n" + fold_path(file, max(room, 12)), style="dim")
            cells = [what]
        table.add_row(
            at,
            *([Text(r["user"] or "")] if with_user else []),
            Text(command),
            *cells,
        )
    out().print(table)


def fold_path(path: str, width: int) -> str:
    """``path`` on lines of at most ``width``, broken after a ``/`` (or ``\\``), not in a name.

    A single name longer than ``width`` is cut, the only place a cut is unavoidable."""
    lines: list[str] = []
    line = ""
    for part in re.findall(r"[^/\\]*[/\\]|[^/\\]+$", path):
        if line and len(line) + len(part) > width:
            lines.append(line)
            line = ""
        while len(part) > width:
            lines.append(part[:width])
            part = part[width:]
        line += part
    if line or not lines:
        lines.append(line)
    return "\n".join(lines)
