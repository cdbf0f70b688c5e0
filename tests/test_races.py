"""Two real processes writing one store at the same moment: the decision a write depends on
must be taken inside its transaction, never from what was read before the lock was held.

Each round starts both commands as subprocesses on a fresh copy of a prepared store, the
second after a small random delay, so that their reading and writing interleave differently
from round to round. Both wait for the lock as long as it takes (no run may exit 3).
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, GRADED, PASSED, ROSTER, query

pytestmark = pytest.mark.both_backends

ROUNDS = 20
MARKED = "198309222012091919"  # NDH 1
LAST_SESSION = 11


def env(db: Path) -> dict[str, str]:
    return {
        **os.environ,
        "REVMENTAL_DB": str(db),
        "REVMENTAL_LANG": "en",
        # Whoever comes second waits for the lock: a race must never end in "store busy".
        "REVMENTAL_BUSY_TIMEOUT": "300",
    }


def start(args: list[str], db: Path, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "revmental_cli", *args],
        cwd=cwd,
        env=env(db),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run(args: list[str], db: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    proc = start(args, db, cwd)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, (args, err)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def race(
    first: list[str], second: list[str], db: Path, cwd: Path, rng: random.Random
) -> list[subprocess.CompletedProcess[str]]:
    """Start both commands, the second a few milliseconds later (or the other way round)."""
    pair = [first, second] if rng.random() < 0.5 else [second, first]
    procs = [start(pair[0], db, cwd)]
    time.sleep(rng.uniform(0, 0.08))
    procs.append(start(pair[1], db, cwd))
    done = []
    for proc, args in zip(procs, pair, strict=True):
        out, err = proc.communicate(timeout=300)
        done.append(subprocess.CompletedProcess(args, proc.returncode, out, err))
    for result in done:
        assert result.returncode != 3, result.stderr  # the busy timeout is long enough
        assert "Traceback" not in result.stderr, result.stderr
    return done if pair[0] is first else done[::-1]


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example cohort with its attendance and scores: 21 participants pass."""
    where = tmp_path_factory.mktemp("graded")
    db = where / "graded.db"
    for args in GRADED:
        run(list(args), db, where)
    return db


@pytest.fixture(scope="module")
def enrolled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The example cohort with its roster and no attendance, and a changed definition of it
    that removes the last session."""
    where = tmp_path_factory.mktemp("enrolled")
    db = where / "enrolled.db"
    run(["cohort", "open", str(EXAMPLES / "prm-2021-ii.yaml")], db, where)
    run(["roster", "import", str(ROSTER)], db, where)
    text = (EXAMPLES / "prm-2021-ii.yaml").read_text(encoding="utf-8")
    last = text.index("  - date: 2021-10-29")
    changed = where / "prm-2021-ii-changed.yaml"
    changed.write_text(text[:last] + text[text.index("attendance:", last) :], encoding="utf-8")
    return db, changed


def test_two_certificate_issues_at_once_give_each_passed_participant_one(
    graded: Path, tmp_path: Path
) -> None:
    rng = random.Random(20211029)
    issue = ["certificate", "issue"]
    for round_ in range(ROUNDS):
        db = tmp_path / f"round-{round_}.db"
        shutil.copyfile(graded, db)
        results = race(issue, issue, db, tmp_path, rng)
        assert all(r.returncode == 0 for r in results), [r.stderr for r in results]
        standing = query(
            db,
            "SELECT nip, count(*) FROM certificates WHERE revoked_at IS NULL GROUP BY nip",
        )
        assert len(standing) == PASSED, (round_, standing)
        assert all(count == 1 for _nip, count in standing), (round_, standing)
        numbers = query(db, "SELECT number, seq FROM certificates")
        assert len(numbers) == PASSED, (round_, numbers)
        assert len({n for n, _s in numbers}) == len({s for _n, s in numbers}) == PASSED
        db.unlink()


def test_cohort_open_never_drops_a_mark_recorded_while_it_ran(
    enrolled: tuple[Path, Path], tmp_path: Path
) -> None:
    template, changed = enrolled
    rng = random.Random(20210929)
    mark = ["attendance", "mark", MARKED, "-s", str(LAST_SESSION), "--status", "hadir"]
    reopen = ["cohort", "open", str(changed)]
    for round_ in range(ROUNDS):
        db = tmp_path / f"round-{round_}.db"
        shutil.copyfile(template, db)
        marked, opened = race(mark, reopen, db, tmp_path, rng)
        sessions = {n for (n,) in query(db, "SELECT number FROM sessions")}
        recorded = query(db, "SELECT nip FROM attendance WHERE session = ?", (LAST_SESSION,))
        if marked.returncode == 0:
            # The mark came first: it stands, and the open (without --force) refused.
            assert recorded == [(MARKED,)], (round_, opened.stderr)
            assert opened.returncode == 1, (round_, opened.stderr)
            assert "would delete recorded data" in opened.stderr
            assert LAST_SESSION in sessions
        else:
            # The open came first: the session is gone, and the mark says so.
            assert opened.returncode == 0, (round_, opened.stderr, marked.stderr)
            assert LAST_SESSION not in sessions and recorded == []
            assert f"has no session {LAST_SESSION}" in marked.stderr, marked.stderr
        db.unlink()
