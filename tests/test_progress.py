"""render.progress: the row counter a long import shows on a terminal, counted by rows or by
chunks of rows (a roster import ticks a chunk of 2,048 at a time)."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from revmental_cli import render
from revmental_cli.render import console as console_module


def _counted(monkeypatch: pytest.MonkeyPatch, ticks: list[int], after: int) -> str:
    buffer = io.StringIO()
    terminal = Console(file=buffer, force_terminal=True, width=80, highlight=False)
    render.err.cache_clear()
    monkeypatch.setattr(console_module, "err", lambda: terminal)
    with render.progress("reading peserta.csv", after) as tick:
        for n in ticks:
            tick(n)
    return buffer.getvalue()


def test_chunks_of_rows_start_the_counter_once_past_the_threshold(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shown = _counted(monkeypatch, [2048, 2048, 2048], after=5000)
    assert "reading peserta.csv" in shown
    assert "6,144 rows" in shown


def test_rows_one_by_one_count_as_they_did(monkeypatch: pytest.MonkeyPatch) -> None:
    shown = _counted(monkeypatch, [1] * 6000, after=5000)
    assert "6,000 rows" in shown


def test_a_short_file_shows_no_counter(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _counted(monkeypatch, [2048, 2048], after=5000) == ""


def test_piped_the_tick_takes_a_count_and_says_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    piped = io.StringIO()
    render.err.cache_clear()
    monkeypatch.setattr("sys.stderr", piped)
    with render.progress("reading", 0) as tick:
        tick()
        tick(2048)
    render.err.cache_clear()
    assert piped.getvalue() == ""
