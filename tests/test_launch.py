"""The console script's entry point (launch.py): the garbage collector's settings around a
command. Start-up and exit are felt on every command; these tests keep the settings that
make them short, and check that a command run this way still says and exits what it should."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

_RUN = """
import gc, sys
from revmental_cli.launch import YOUNG_THRESHOLD, main
sys.argv = ["revmental", *sys.argv[1:]]
try:
    main()
except SystemExit as exc:
    code = exc.code
print("EXIT", code, gc.isenabled(), gc.get_threshold()[0] == YOUNG_THRESHOLD,
      gc.get_freeze_count() > 0, file=sys.stderr)
"""


def _launch(*args: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """Run main as the console script does; the process, and what _RUN reported after it."""
    proc = subprocess.run(
        [sys.executable, "-c", _RUN, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return proc, proc.stderr.rsplit("EXIT", 1)[1].split()


def test_the_collector_is_off_once_a_command_is_done() -> None:
    # Its exit-time passes would walk every object the command made, to free what the
    # process drops anyway; the imports' objects were frozen out of its passes.
    proc, reported = _launch("--version")
    assert "revmental" in proc.stdout
    assert reported == ["0", "False", "True", "True"]


def test_a_failing_command_keeps_its_exit_code_and_message() -> None:
    proc, reported = _launch("cohort", "validate", str(ROOT / "README.md"))
    assert reported[:2] == ["1", "False"]
    assert "README.md" in proc.stderr
