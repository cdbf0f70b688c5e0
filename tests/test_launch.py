"""The console script's entry point (launch.py): the garbage collector's settings around a
command. Start-up and exit are felt on every command; these tests keep the settings that
make them short, and check that a command run this way still says and exits what it should."""

from __future__ import annotations

from revmental_cli.launch import YOUNG_THRESHOLD
from tests.conftest import ROOT
from tests.startup_probe import probe


def test_the_collector_is_off_once_a_command_is_done() -> None:
    # Its exit-time passes would walk every object the command made, to free what the
    # process drops anyway; the imports' objects were frozen out of its passes.
    run = probe("--version", entry="launch")
    assert run.code in (0, None), run.stderr
    assert "revmental" in run.stdout
    assert run.gc["enabled"] is False
    assert run.gc["young"] == YOUNG_THRESHOLD
    assert run.gc["frozen"] > 0


def test_a_failing_command_keeps_its_exit_code_and_message() -> None:
    run = probe("cohort", "validate", str(ROOT / "README.md"), entry="launch")
    assert run.code == 1
    assert run.gc["enabled"] is False
    assert "README.md" in run.stderr
