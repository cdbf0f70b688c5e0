"""The console script's entry point: start the command line with as little delay as possible.

Importing Typer, Rich and the command's modules creates tens of thousands of objects, none of
them garbage; the cyclic garbage collector walks them all several times while they load,
about a tenth of the start-up time of a simple command. So the collector waits until the
imports are done, and then leaves those long-lived objects out of its later passes (freeze).
"""

from __future__ import annotations

import gc


def main() -> None:
    gc.disable()
    try:
        from revmental_cli.cli import main as run
    finally:
        gc.freeze()
        gc.enable()
    run()
