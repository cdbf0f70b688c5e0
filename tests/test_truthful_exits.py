"""What a command says when it is stopped matches what the store and the disk hold.

Real processes and real signals: Ctrl-C after the COMMIT, during it, and in the middle of an
export whose rows are already on stdout; a `db backup` killed halfway. Where the moment
matters, the command is started with one function wrapped (``start_patched``) to make the
moment wide enough to hit or to send the signal from inside it; the signal is still a real
SIGINT to the real process, handled by the real code.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from revmental_cli import outcome
from revmental_cli.errors import StoreBusy
from tests.conftest import ROOT, RunCli
from tests.test_faults import bench_store, integrity, make_roster, posix_only, run, start

__all__ = ["bench_store"]  # a fixture, used by name

PRM_ROSTER = ROOT / "examples" / "peserta-prm-2021-ii.csv"


def start_patched(patch: str, args: list[str], db: Path, cwd: Path) -> subprocess.Popen[str]:
    """The command, in a process of its own, after ``patch`` (Python) has run in it."""
    argv = ["revmental", *args]
    code = f"import sys\n{patch}\nfrom revmental_cli.cli import main\nsys.argv = {argv!r}\nmain()\n"
    return subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=cwd,
        env={**os.environ, "REVMENTAL_DB": str(db)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def history(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [s for (s,) in conn.execute("SELECT summary FROM history ORDER BY id")]
    finally:
        conn.close()


def wait_for(path: Path, proc: subprocess.Popen[str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)


# Two moments after the import's COMMIT. A slow terminal: Ctrl-C lands while the summary is
# shown (the patched render marks the moment in the working folder, the signal comes from
# outside). Inside the step that holds the COMMIT: the process signals itself, the moment that
# used to end with the data saved and "nothing was written" said.
SLOW_SUMMARY = (
    "import time, pathlib, revmental_cli.render as r\n"
    "def slow(*a, **k):\n"
    "    pathlib.Path('committed').touch()\n"
    "    time.sleep(60)\n"
    "r.roster_import = slow\n"
)
SIGINT_IN_THE_COMMIT = (
    "import contextlib, os, signal, revmental_cli.outcome as o\n"
    "real = o.held\n"
    "@contextlib.contextmanager\n"
    "def interrupted():\n"
    "    with real():\n"
    "        os.kill(os.getpid(), signal.SIGINT)\n"
    "        yield\n"
    "o.held = interrupted\n"
)


@posix_only
@pytest.mark.parametrize(
    ("patch", "from_outside"),
    [
        pytest.param(SLOW_SUMMARY, True, id="after-the-commit"),
        pytest.param(SIGINT_IN_THE_COMMIT, False, id="during-the-commit"),
    ],
)
def test_ctrl_c_once_the_import_committed_says_the_changes_were_saved(
    bench_store: tuple[Path, Path], patch: str, from_outside: bool
) -> None:
    db, cwd = bench_store
    before = history(db)
    proc = start_patched(
        patch, ["roster", "import", str(PRM_ROSTER), "--cohort", "PRM-2021-II"], db, cwd
    )
    if from_outside:
        wait_for(cwd / "committed", proc)
        assert proc.poll() is None, proc.communicate()[1]
        proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted after the changes were saved" in err and "revmental history" in err, err
    assert "nothing was written" not in err and "Traceback" not in err
    after = history(db)
    assert len(after) == len(before) + 1 and "PRM-2021-II" in after[-1]
    assert integrity(db) == "ok"


@pytest.fixture
def crowded(bench_store: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """bench_store with 3,000 participants in its current cohort: their roster as CSV is far
    more than a pipe holds, so an export's writer blocks on a pipe nobody reads."""
    db, cwd = bench_store
    roster = tmp_path / "peserta-3000.csv"
    make_roster(roster, 3000)
    imported = run(["roster", "import", str(roster)], db, cwd)
    assert imported.returncode == 0, imported.stderr
    return db, cwd


@posix_only
def test_an_export_interrupted_after_rows_left_is_recorded_and_said(
    crowded: tuple[Path, Path],
) -> None:
    db, cwd = crowded
    before = history(db)
    proc = start(["roster", "show", "--format", "csv"], db, cwd)
    assert proc.stdout is not None
    assert proc.stdout.read(1)  # the first rows have left the program
    time.sleep(0.3)  # the rest waits on the full pipe
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted after the export was made; it is recorded" in err, err
    assert "nothing was written" not in err
    after = history(db)
    assert len(after) == len(before) + 1 and after[-1].startswith("export: roster of BENCH")


@posix_only
def test_an_export_cut_by_a_closed_pipe_is_recorded(crowded: tuple[Path, Path]) -> None:
    db, cwd = crowded
    before = history(db)
    proc = start(["roster", "show", "--format", "csv"], db, cwd)
    assert proc.stdout is not None
    assert proc.stdout.read(10)
    proc.stdout.close()  # `| head`: the reader stopped listening
    proc.wait(timeout=60)
    assert proc.returncode == 0
    assert len(history(db)) == len(before) + 1


@posix_only
def test_a_backup_interrupted_once_the_copy_is_in_place_says_it_was_made(
    bench_store: tuple[Path, Path],
) -> None:
    db, cwd = bench_store
    patch = (
        "import os, signal, revmental_cli.render as r\n"
        "r.success = lambda *a, **k: os.kill(os.getpid(), signal.SIGINT)\n"
    )
    proc = start_patched(patch, ["db", "backup", "copy.db"], db, cwd)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted after the export was made; it is recorded" in err, err
    assert (cwd / "copy.db").exists()
    assert history(db)[-1] == "export: a backup copy of the whole store"


@pytest.mark.slow
@posix_only
def test_a_killed_backup_leaves_nothing_that_blocks_the_next_one(
    bench_store: tuple[Path, Path],
) -> None:
    db, cwd = bench_store
    # About 120 MB of history: a copy long enough to stop in the middle.
    conn = sqlite3.connect(db)
    with conn:
        conn.executemany(
            "INSERT INTO history (at, user, command, summary) VALUES (?, 'test', 'test', ?)",
            [("2021-10-29T10:00:00+07:00", os.urandom(60_000).hex()) for _ in range(1000)],
        )
    conn.close()
    dest = cwd / "cadangan.db"
    proc = start(["db", "backup", str(dest)], db, cwd)
    deadline = time.monotonic() + 60
    temporary: list[Path] = []
    while not temporary and proc.poll() is None and time.monotonic() < deadline:
        temporary = list(cwd.glob(".cadangan.db.*.tmp"))
    assert proc.poll() is None, ("the backup finished before it could be stopped", proc.stderr)
    proc.send_signal(signal.SIGSTOP)  # mid-copy, whatever the machine's speed
    assert not dest.exists()
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert not dest.exists() and temporary[0].exists()  # only the killed run's own leftover

    again = run(["db", "backup", str(dest)], db, cwd)
    assert again.returncode == 0, again.stderr
    checked = run(["db", "check"], dest, cwd)
    assert checked.returncode == 0, checked.stderr
    assert integrity(db) == "ok"


def test_a_busy_store_after_a_commit_does_not_claim_nothing_was_written(
    cli: RunCli, capsys: pytest.CaptureFixture[str]
) -> None:
    from revmental_cli.exits import exit_code as _exit_code

    busy = StoreBusy("the store x.db is busy: another revmental process is writing to it")
    outcome.done.reset()
    assert _exit_code(busy) == 3
    assert "nothing was written" in capsys.readouterr().err
    outcome.note_commit()  # a migration, say, committed before the command's own write
    try:
        assert _exit_code(busy) == 3
        err = capsys.readouterr().err
        assert "nothing was written" not in err
        assert "the changes saved before it are kept (see `revmental history`)" in err
        assert _exit_code(KeyboardInterrupt()) == 130
        assert "interrupted after the changes were saved" in capsys.readouterr().err
    finally:
        outcome.done.reset()
