"""Which modules a command line loads: start-up time is felt on every command.

One fresh interpreter runs revmental's ``main`` with the given arguments and reports, on
stderr after ``PROBE``, the exit code and every module it imported; each test decides what
must not be among them. Only runs the command: never asserts anything itself.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.conftest import ROOT

_PROBE = """
import gc, json, sys
from revmental_cli.{entry} import main
sys.argv = ["revmental", *sys.argv[1:]]
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
collector = {{
    "enabled": gc.isenabled(),
    "young": gc.get_threshold()[0],
    "frozen": gc.get_freeze_count(),
}}
found = {{"code": code, "modules": sorted(sys.modules), "gc": collector}}
sys.stderr.write("\\nPROBE " + json.dumps(found) + "\\n")
"""


@dataclass
class Probe:
    code: Any  # main's exit code (0 or None: it succeeded)
    modules: list[str]
    gc: dict[str, Any]  # the collector after main: enabled, young (threshold), frozen (count)
    stdout: str
    stderr: str

    def under(self, package: str) -> list[str]:
        """The loaded modules below ``package``, by their names within it."""
        prefix = package + "."
        return sorted(m[len(prefix) :] for m in self.modules if m.startswith(prefix))


def probe(*args: str, entry: str = "cli", cwd: Path | None = ROOT, **env: str) -> Probe:
    """Run ``revmental ARGS`` through ``revmental_cli.<entry>.main`` from ``cwd`` (None: the
    test's own folder), with ``env`` added to the environment."""
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE.format(entry=entry), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        cwd=cwd,
        timeout=60,
    )
    found = json.loads(proc.stderr.rsplit("PROBE ", 1)[1])
    return Probe(found["code"], found["modules"], found["gc"], proc.stdout, proc.stderr)
