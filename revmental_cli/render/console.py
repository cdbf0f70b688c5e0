"""The consoles and the messages: the only Console objects of the program.

Owns ``out`` (data, stdout) and ``err`` (messages, stderr), both cached so each command reads
the terminal width once (tests clear the caches to read COLUMNS afresh); the error, warning,
hint, info and success lines; the row counter of long imports. Text from files is always
passed as ``Text`` so Rich never reads ``[...]`` in it as markup. Must never touch the store,
the context or the file system: whatever it prints comes in as arguments.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache
from typing import TYPE_CHECKING

from rich.console import Console
from rich.segment import Segment
from rich.text import Text

from revmental_cli.i18n import _, language, localize
from revmental_cli.render.safe import visible, visible_segment

if TYPE_CHECKING:
    from revmental_cli.errors import Problem


class _Console(Console):
    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        # The last line of defence (safe.py): whatever text reaches the terminal, a message
        # made elsewhere with a name inside or a cell a view forgot, has its control and
        # invisible characters spelled out. Rich's own control segments (cursor moves of the
        # progress bar) and the styles it renders around text are not text: they stay.
        return super()._render_buffer(
            segment if segment.control else Segment(visible_segment(segment.text), segment.style)
            for segment in buffer
        )

    def on_broken_pipe(self) -> None:
        # Rich exits 1 here, the contract's "wrong input". A closed stderr (`... 2>&1 | head`)
        # must not stop the work at all: messages go quiet and the command goes on. A closed
        # stdout (`revmental roster show | head`) means the reader has what it wanted; tables
        # are printed after the commit, so end quietly with 0.
        self.quiet = True
        stream = sys.stderr if self.stderr else sys.stdout
        with contextlib.suppress(OSError, ValueError, AttributeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, stream.fileno())
        if not self.stderr:
            raise SystemExit(0)


# From this many rows a view streams its table (long_table.py, imported only then); below,
# Rich lays it out as it always has.
LONG_TABLE = 1000


@cache
def out() -> Console:
    # emoji=False: a ':' pair in a name or title is text, not an emoji code (and Rich then
    # never loads its emoji table, a millisecond and a half of every run).
    return _Console(highlight=False, emoji=False)


@cache
def err() -> Console:
    return _Console(stderr=True, highlight=False, emoji=False)


# --- messages -------------------------------------------------------------------------------


def error(message: str, hint: str | None = None, problems: Sequence[Problem] = ()) -> None:
    console = err()
    # soft_wrap: a message is one line however narrow the terminal, so it can be grepped.
    console.print(
        Text.assemble((_("error: "), "bold red"), visible(localize(message))), soft_wrap=True
    )
    for problem in problems:
        console.print(Text("  " + visible(problem_text(problem))), soft_wrap=True)
        if problem.hint:
            console.print(
                Text("      " + _("hint: ") + visible(localize(problem.hint)), style="dim"),
                soft_wrap=True,
            )
    if hint:
        console.print(
            Text.assemble((_("hint: "), "yellow"), visible(localize(hint))), soft_wrap=True
        )


def problem_text(problem: Problem) -> str:
    """``file: line N: field: message`` in the user's language (the field as written)."""
    parts = []
    if problem.file:
        parts.append(problem.file)
    if problem.line is not None:
        parts.append(_("line {line}").format(line=problem.line))
    if problem.field:
        parts.append(problem.field)
    parts.append(localize(problem.message))
    return ": ".join(parts)


def warnings(items: Iterable[Problem]) -> None:
    for problem in items:
        line = Text.assemble((_("warning: "), "yellow"), visible(problem_text(problem)))
        err().print(line, soft_wrap=True)
        if problem.hint:
            err().print(
                Text("    " + _("hint: ") + visible(localize(problem.hint)), style="dim"),
                soft_wrap=True,
            )


def info(message: str) -> None:
    err().print(Text(visible(localize(message))), soft_wrap=True)


def success(message: str) -> None:
    err().print(
        Text.assemble(("✓ " if unicode_output() else "OK ", "green"), visible(localize(message))),
        soft_wrap=True,
    )


def unicode_output() -> bool:
    return (err().encoding or "").lower().startswith("utf")


def plain_lines(lines: Iterable[str]) -> None:
    for line in lines:
        out().print(Text(visible(localize(line))))


def warning(message: str) -> None:
    err().print(
        Text.assemble((_("warning: "), "yellow"), visible(localize(message))), soft_wrap=True
    )


def warning_lines(messages: Iterable[str]) -> None:
    """Each message as ``warning`` prints it; written as one block when the console prints
    no styles (piped, or NO_COLOR), where Rich would only add the time it takes to lay out
    each line: a large roster's TMT warnings (tens of thousands) took as long as its import."""
    console = err()
    if console.quiet:
        return
    if console.is_terminal or console.color_system is not None:
        for message in messages:
            warning(message)
        return
    # What Rich writes for a soft-wrapped Text without styles: the text as it is, one line
    # (``visible`` leaves no line break, tab or control character in it), then a newline.
    prefix = visible(_("warning: "))
    # localize gives an English message back as it is: asked once, not once per message.
    show = (lambda message: message) if language() == "en" else localize
    file = console.file
    file.write("".join(f"{prefix}{visible(show(message))}\n" for message in messages))
    file.flush()


def hint(message: str) -> None:
    err().print(Text.assemble((_("hint: "), "yellow"), visible(localize(message))), soft_wrap=True)


def plain_errors(lines: Iterable[str]) -> None:
    for line in lines:
        err().print(Text("  " + visible(localize(line))), soft_wrap=True)


@contextlib.contextmanager
def progress(label: str, after: int) -> Iterator[Callable[..., None]]:
    """A row counter on a terminal once ``after`` rows have gone by; silent when piped.

    It yields ``tick``: ``tick()`` counts one row, ``tick(n)`` a chunk of n."""
    console = err()
    if not console.is_terminal:
        yield lambda n=1: None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    bar = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}", markup=False),
        TextColumn(_("{task.completed:,} rows")),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    task = bar.add_task(visible(label), total=None)
    count = shown = 0
    started = False

    def tick(n: int = 1) -> None:
        nonlocal count, shown, started
        count += n
        if count - shown >= 1000:
            shown = count
            if not started and count >= after:
                bar.start()
                started = True
            if started:
                bar.update(task, completed=count)

    try:
        yield tick
    finally:
        if started:
            bar.stop()
