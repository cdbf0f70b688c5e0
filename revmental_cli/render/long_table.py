"""Long tables (a MOOC cohort's roster or report): streamed as plain fixed-width text.

Owns ``Column``, ``stream``
(the rows written a few hundred at a time, with column widths fixed up front from the
longest cells, the same columns and words as the Rich table of a short list) and ``paged``
(on a terminal, the output goes through ``$PAGER``, like git: ``less -FRX`` where there is
one, none on Windows unless ``$PAGER`` names one). A Rich table measures and lays out every
cell of every row as objects before it prints its first line: for 50,000 rows that is a
minute; this form is a string per row. Every cell goes through ``visible`` (safe.py). Must
never touch the store: whatever it prints comes in as arguments.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from revmental_cli.render.console import LONG_TABLE, out
from revmental_cli.render.safe import visible

__all__ = ["LONG_TABLE", "Column", "paged", "stream"]

_CHUNK = 500  # rows written at a time
_GAP = "   "  # between two columns: a cell's right padding, the rule, the next left padding


@dataclass(frozen=True)
class Column:
    header: str
    right: bool = False  # right-justified (numbers)
    wrap: bool = False  # may wrap over lines when the table is too wide for the console
    min_width: int = 0
    ratio: int = 1  # a wrapping column's share of the room left by the others


def _widths(columns: Sequence[Column], rows: Sequence[Sequence[str]], room: int) -> list[int]:
    """Each column as wide as its longest cell; the wrapping ones narrower if the table would
    not fit in ``room`` (the console's width), in proportion to their ratios."""
    natural = [
        max([len(c.header), c.min_width, *(len(r[i]) for r in rows)]) for i, c in enumerate(columns)
    ]
    total = sum(natural) + len(_GAP) * (len(columns) - 1) + 2
    if total <= room:
        return natural
    widths = list(natural)
    wrapping = [i for i, c in enumerate(columns) if c.wrap]
    fixed = total - sum(natural[i] for i in wrapping)
    left = max(room - fixed, 0)
    # Shares by ratio, capped at each column's natural width; what a capped column leaves
    # goes to the others.
    pending = list(wrapping)
    while pending:
        ratios = sum(columns[i].ratio for i in pending)
        capped = [i for i in pending if natural[i] <= left * columns[i].ratio // ratios]
        if not capped:
            for i in pending:
                floor = max(columns[i].min_width, len(columns[i].header), 1)
                widths[i] = max(left * columns[i].ratio // ratios, floor)
            break
        for i in capped:
            widths[i] = natural[i]
            left -= natural[i]
            pending.remove(i)
    return widths


def _cell_lines(text: str, width: int) -> list[str]:
    if len(text) <= width:
        return [text]
    import textwrap  # only a long table that does not fit needs it

    return textwrap.wrap(text, width, break_on_hyphens=False) or [""]


def stream(title: str, columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> None:
    """Write the title, the header and ``rows`` (plain strings, one per column) to stdout."""
    console = out()
    file = console.file
    rows = [[visible(cell) for cell in row] for row in rows]
    widths = _widths(columns, rows, console.width)
    rule = "─" if (console.encoding or "").lower().startswith("utf") else "-"

    def line(cells: Sequence[str]) -> str:
        parts = [
            cell.rjust(width) if column.right else cell.ljust(width)
            for cell, width, column in zip(cells, widths, columns, strict=True)
        ]
        return (" " + _GAP.join(parts)).rstrip()

    header = line([c.header for c in columns])
    file.write(f"{visible(title)}\n\n{header}\n {rule * (sum(widths) + 3 * len(widths) - 3)}\n")
    wrapping = [i for i, c in enumerate(columns) if c.wrap]
    for start in range(0, len(rows), _CHUNK):
        lines = []
        for row in rows[start : start + _CHUNK]:
            if not any(len(row[i]) > widths[i] for i in wrapping):
                lines.append(line(row))
                continue
            split = [
                _cell_lines(cell, widths[i]) if i in wrapping else [cell]
                for i, cell in enumerate(row)
            ]
            for k in range(max(map(len, split))):
                lines.append(line([cell[k] if k < len(cell) else "" for cell in split]))
        file.write("\n".join(lines) + "\n")
    file.write("\n")
    file.flush()


def _pager() -> list[str] | None:
    """The pager a terminal's long output goes through, as git chooses it; None: none."""
    named = os.environ.get("PAGER")
    if named is not None:
        import shlex

        command = shlex.split(named, posix=os.name != "nt")
        return command if command and command[0] != "cat" else None
    if os.name == "nt":
        return None
    import shutil

    less = shutil.which("less")
    return [less, "-FRX"] if less else None


@contextlib.contextmanager
def paged() -> Iterator[None]:
    """On a terminal, whatever the console prints inside goes through the pager (it exits at
    once if everything fits on one screen: ``less -F``); elsewhere, nothing changes."""
    console = out()
    command = _pager() if console.is_terminal and sys.stdout.isatty() else None
    if command is None:
        yield
        return
    import subprocess

    env = {**os.environ}
    env.setdefault("LESS", "FRX")
    try:
        pager = subprocess.Popen(
            command, stdin=subprocess.PIPE, env=env, text=True, encoding="utf-8"
        )
    except OSError:  # a $PAGER that does not run: print as if there were none
        yield
        return
    saved = console.file
    console.file = pager.stdin  # type: ignore[assignment]
    try:
        yield
    except BrokenPipeError:  # the reader quit the pager early: nothing more to show
        pass
    finally:
        console.file = saved
        with contextlib.suppress(OSError):
            pager.stdin.close()  # type: ignore[union-attr]
        pager.wait()
