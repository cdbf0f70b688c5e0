"""What `attendance import` loads: a Zoom report loads no other format's reader.

Detection reads every format's header names from sniff.py; the Meet, sheet, Teams and Moodle
readers (and the person rules and regular expressions they carry) are imported only once the
file is one of theirs. The import runs in a fresh process, as a user runs it, and the probe
lists which of the watched modules it loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import FIXTURES, ROOT

ATT = FIXTURES / "attendance"

PROBE = """
import json, sys
from revmental_cli.launch import main
sys.argv = ["revmental", *sys.argv[1:]]
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
prefix = "revmental_cli.importers.attendance."
readers = sorted(m[len(prefix):] for m in sys.modules if m.startswith(prefix))
sys.stderr.write("\\nPROBE " + json.dumps({"code": code, "readers": readers}) + "\\n")
"""

OTHER_READERS = {
    "meet", "sheet", "forms", "teams", "teams_v2", "moodle", "moodle_titles", "stamps",
}  # fmt: skip


def _probe(*args: str) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    probe = json.loads(proc.stderr.rsplit("PROBE ", 1)[1])
    assert probe["code"] in (0, None), proc.stderr
    readers: list[str] = probe["readers"]
    return readers


@pytest.mark.usefixtures("enrolled")
def test_a_zoom_import_loads_no_other_format_s_reader() -> None:
    readers = _probe("attendance", "import", str(ATT / "zoom-sesi-1.csv"), "--dry-run")
    assert "zoom" in readers
    assert not OTHER_READERS & set(readers), readers


@pytest.mark.usefixtures("enrolled")
def test_a_meet_report_still_loads_its_reader() -> None:
    """The other side of the same import: detection hands a Meet report to meet.py."""
    readers = _probe("attendance", "import", str(ATT / "meet-sesi-2.csv"), "--dry-run")
    assert "meet" in readers
    assert not {"teams", "moodle"} & set(readers), readers
