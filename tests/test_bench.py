"""The bench scripts keep working as the code changes (a tiny run; no timing is asserted)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
def test_bench_quick_run_prints_the_ratio() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for line in (
        "start-up: revmental --help",
        "start-up: revmental cohort list",
        "roster import 2,000 vs own-schema load",
        "roster import 2,000 vs one-table load",
        "report completion, 500 vs 50 people",
        "Zoom report import, 500 rows",
        "report completion table vs --json, 500",
        "roster show table vs --json, 500",
        "report completion --json 500 vs 10 x 50",
        "certificate render",
        "peak memory",
    ):
        assert line in result.stdout, result.stdout
    # The PostgreSQL figures, or the reason they were skipped (no PostgreSQL here).
    if "PostgreSQL benchmarks skipped" not in result.stdout:
        assert "roster import 2,000, PostgreSQL vs SQLite" in result.stdout, result.stdout
        assert "report completion 500, PostgreSQL vs SQLite" in result.stdout, result.stdout
