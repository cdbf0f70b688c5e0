"""The history table: what changed in the store, when, by whom, by which command.

Takes the history rows as its argument; must never import the store or open it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich import box
from rich.table import Table

from revmental_cli.i18n import _
from revmental_cli.render.console import out
from revmental_cli.render.safe import Text


def history(rows: Sequence[dict[str, Any]]) -> None:
    # The file is why the history exists (which list, which report): it wraps, never cut. The
    # time to the minute and the command without "revmental " leave it the room.
    # Below 80 columns the user goes (--json has it).
    with_user = out().width >= 80
    table = Table(title=_("History"), title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column(_("When"), min_width=10)
    if with_user:
        table.add_column(_("User"), overflow="fold")
    table.add_column(_("Command"), min_width=8)
    table.add_column(_("What"), ratio=3, min_width=12, overflow="fold")
    table.add_column(_("File"), ratio=2, min_width=12, overflow="fold")
    for r in rows:
        table.add_row(
            r["at"][:16].replace("T", " "),
            *([Text(r["user"])] if with_user else []),
            Text(r["command"].removeprefix("revmental ")),
            Text(r["summary"]),
            Text(r["file"] or ""),
        )
    out().print(table)
