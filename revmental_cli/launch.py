"""The console script's entry point: start the command line with as little delay as possible.

Importing Typer, Rich and the command's modules creates tens of thousands of objects, none of
them garbage; the cyclic garbage collector walks them all several times while they load,
about a tenth of the start-up time of a simple command. So the collector waits until the
imports are done, and then leaves those long-lived objects out of its later passes (freeze).
The command itself then imports what it uses (its noun, the store, render and Rich): as many
objects again, none garbage either, that a pass every 700 allocations walked a dozen times
(about 5 ms of `cohort list`, 9 ms of a 5,000-row Zoom import). So the first generation
collects every 50,000 allocations: a short command finishes without a pass, a long one
collects as it did, in fewer passes (each walks the young objects once either way).

When the command is done, the collector is switched off before the interpreter exits: its
exit-time passes walk every object the command made once more, to free cycles the process is
about to drop anyway (about 9 ms of `cohort list`'s 160, forty paired runs). Nothing is lost:
Python promises no finalizer for objects alive at exit, and revmental closes its files and
store itself (every file is written to a temporary, closed, then moved into place).
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 50_000  # allocations between passes of the first generation (Python: 700)


def main() -> None:
    gc.disable()
    try:
        from revmental_cli.cli import main as run
    finally:
        gc.freeze()
        gc.set_threshold(YOUNG_THRESHOLD, *gc.get_threshold()[1:])
        gc.enable()
    try:
        run()
    finally:
        gc.disable()
