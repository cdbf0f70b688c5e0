"""What `attendance import` loads: a Zoom report loads no other format's reader.

Detection reads every format's header names from sniff.py; the Meet, sheet, Teams and Moodle
readers (and the person rules and regular expressions they carry) are imported only once the
file is one of theirs. The import runs in a fresh process, as a user runs it, and the probe
lists which of the watched modules it loaded.
"""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES
from tests.startup_probe import probe

ATT = FIXTURES / "attendance"

OTHER_READERS = {
    "meet", "sheet", "forms", "teams", "teams_v2", "moodle", "moodle_titles", "stamps",
}  # fmt: skip


def _probe(*args: str) -> list[str]:
    run = probe(*args, entry="launch", cwd=None)
    assert run.code in (0, None), run.stderr
    return run.under("revmental_cli.importers.attendance")


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
