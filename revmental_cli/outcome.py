"""What this process has done that its last message must tell truthfully.

Two facts outlive the error or the Ctrl-C that ends a command: whether a transaction was
committed to the store (``committed``) and whether personal data left the program (``left``:
a finished export file, or rows started on stdout). ``cli`` reads them to say "interrupted;
nothing was written" only when that is true. ``held`` keeps Ctrl-C off a step that must
finish once begun (a COMMIT and the fact noted with it), so the flags always match the disk.

Owns only these flags; it must never touch the store, files or the terminal, and imports
nothing of revmental (render, the store and cli all use it).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from typing import Any


class Outcome:
    def __init__(self) -> None:
        self.committed = False
        self.left = False

    def reset(self) -> None:
        """A new command starts (tests run many in one process)."""
        self.committed = False
        self.left = False


done = Outcome()


def note_commit() -> None:
    done.committed = True


def note_left() -> None:
    done.left = True


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Run a step Ctrl-C must not cut in two: a SIGINT arriving meanwhile is raised as
    KeyboardInterrupt right after it. Only the main thread can set a signal handler; other
    threads (and a handler someone else installed) run the step as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)
    if previous is not signal.default_int_handler:
        yield
        return
    pending: list[int] = []

    def later(signum: int, frame: Any) -> None:
        pending.append(signum)

    signal.signal(signal.SIGINT, later)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if pending:
        raise KeyboardInterrupt


@contextlib.contextmanager
def kept_once_left(store: Any) -> Iterator[None]:
    """``store.write()`` for an export: rolled back if the command stops before anything
    left, committed all the same once some of it has (``note_left``), so that the history
    line of an export cut short by Ctrl-C, a closed pipe or a full disk is kept; the
    interruption is raised again after COMMIT."""
    stopped: BaseException | None = None
    with store.write():
        try:
            yield
        except BaseException as exc:
            if not done.left:
                raise
            stopped = exc
    if stopped is not None:
        raise stopped
