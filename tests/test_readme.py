"""The README's walkthrough and its first command run as written, so they never rot."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def walkthrough() -> list[list[str]]:
    block = README.split("<!-- walkthrough:start -->")[1].split("<!-- walkthrough:end -->")[0]
    return [shlex.split(line[2:]) for line in block.splitlines() if line.startswith("$ ")]


def run(args: list[str], cwd: Path, db: Path) -> subprocess.CompletedProcess[str]:
    assert args[0] == "revmental"
    env = {**os.environ, "REVMENTAL_DB": str(db), "COLUMNS": "100", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "revmental_cli", *args[1:]],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def project_copy(tmp_path: Path) -> Path:
    work = tmp_path / "project"
    for folder in ("cohorts", "examples", "tests/fixtures/cohorts"):  # what the README names
        shutil.copytree(ROOT / folder, work / folder)
    return work


@pytest.mark.slow
def test_walkthrough_runs(tmp_path: Path) -> None:
    commands = walkthrough()
    assert len(commands) >= 8
    work = project_copy(tmp_path)
    db = tmp_path / "store.db"
    outputs = {}
    for args in commands:
        result = run(args, work, db)
        assert result.returncode == 0, (args, result.stderr)
        outputs[" ".join(args[1:])] = result
    imported = outputs["roster import examples/peserta-prm-2021-ii.csv --json"]
    assert '"unchanged": 25' in imported.stdout  # the second import changed nothing
    assert "PRM-2021-II" in outputs["schedule show"].stdout
    roster = outputs["roster show"].stdout
    assert "Ahmad Fauzi" in roster and "25 enrolled of 25" in roster
    # The whole journey tells the story the README promises.
    assert "21 passed, 2 deferred, 2 not passed of 25" in outputs["report completion"].stdout
    assert "83.3%" in outputs["report completion"].stdout  # the one who missed too much
    assert "21 certificate(s) issued" in outputs["certificate issue"].stderr
    assert (work / "kelulusan.xlsx").exists() and (work / "kehadiran.csv").exists()
    assert oct(db.stat().st_mode & 0o777) == "0o600" or sys.platform == "win32"


@pytest.mark.slow
def test_first_command_runs_the_example(tmp_path: Path) -> None:
    first = re.search(r"```sh\n(python3 -m venv.*?)\n```", README, re.S)
    assert first, "the README's install command"
    steps = [shlex.split(part) for part in first.group(1).split(" && ")]
    revmental_steps = [s for s in steps if s[0] == "revmental"]
    assert [s[:3] for s in revmental_steps][:2] == [
        ["revmental", "cohort", "open"],
        ["revmental", "roster", "import"],
    ]
    work = project_copy(tmp_path)
    for _ in range(2):  # a newcomer may well run it twice
        for args in revmental_steps:
            result = run(args, work, tmp_path / "store.db")
            assert result.returncode == 0, (args, result.stderr)


def test_documented_error_output_is_current(tmp_path: Path) -> None:
    block = README.split("$ revmental cohort validate tests/fixtures/cohorts/five-mistakes.yaml")[1]
    expected = [line for line in block.split("```")[0].strip().splitlines()]
    work = project_copy(tmp_path)
    result = run(
        ["revmental", "cohort", "validate", "tests/fixtures/cohorts/five-mistakes.yaml"],
        work,
        tmp_path / "s.db",
    )
    assert result.returncode == 1
    shown = [line for line in result.stderr.splitlines() if "hint:" not in line]
    assert shown == expected
