"""Faults done for real: a killed import, Ctrl-C, a second writer, hostile input.

These start the installed command in a subprocess where a signal or a lock is involved, and
check the store's content and `PRAGMA integrity_check` afterwards.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import EXAMPLES, FIXTURES, ROOT, RunCli

sys.path.insert(0, str(ROOT / "bench"))
from run import COHORT_YAML, make_roster  # the bench's realistic generator

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def dump(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(db)
    try:
        return {
            t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
            for t in ("people", "enrollments", "attendance", "scores", "certificates", "history")
        }
    finally:
        conn.close()


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def start(args: list[str], db: Path, cwd: Path, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "revmental_cli", *args],
        cwd=cwd,
        env={**os.environ, "REVMENTAL_DB": str(db), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run(args: list[str], db: Path, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    proc = start(args, db, cwd, **env)
    out, err = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.fixture(scope="module")
def big_roster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "peserta-besar.csv"
    make_roster(path, 120_000)
    return path


@pytest.fixture
def bench_store(tmp_path: Path) -> tuple[Path, Path]:
    """PRM-2021-II with its 25 participants, and a capacity-free cohort as the current one."""
    db = tmp_path / "faults.db"
    opened = run(["cohort", "open", str(EXAMPLES / "prm-2021-ii.yaml")], db, tmp_path)
    assert opened.returncode == 0, opened.stderr
    first = run(
        ["roster", "import", str(ROOT / "examples" / "peserta-prm-2021-ii.csv")], db, tmp_path
    )
    assert first.returncode == 0, first.stderr
    (tmp_path / "bench.yaml").write_text(COHORT_YAML, encoding="utf-8")
    assert run(["cohort", "open", "bench.yaml"], db, tmp_path).returncode == 0
    return db, tmp_path


@pytest.mark.slow
@posix_only
def test_sigkill_in_the_middle_of_an_import_leaves_the_store_as_it_was(
    bench_store: tuple[Path, Path], big_roster: Path
) -> None:
    db, cwd = bench_store
    before = dump(db)
    proc = start(["roster", "import", str(big_roster)], db, cwd)
    journal = Path(f"{db}-journal")
    # Kill once the import is writing pages (its rollback journal exists): the worst moment.
    deadline = time.monotonic() + 60
    while not journal.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    assert proc.poll() is None, (
        "the import finished before it could be killed",
        proc.communicate()[1][-3000:],
    )
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    # The next command rolls the hot journal back; the store is exactly as before.
    assert run(["cohort", "list"], db, cwd).returncode == 0
    assert integrity(db) == "ok"
    assert dump(db) == before


@posix_only
def test_ctrl_c_rolls_back_says_so_and_exits_130(
    bench_store: tuple[Path, Path], big_roster: Path
) -> None:
    db, cwd = bench_store
    before = dump(db)
    proc = start(["roster", "import", str(big_roster)], db, cwd)
    time.sleep(1.5)  # well into reading and staging the file
    assert proc.poll() is None, "the import finished before Ctrl-C"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "nothing was written" in err
    assert "Traceback" not in err
    assert integrity(db) == "ok"
    assert dump(db) == before


@pytest.mark.slow
def test_a_second_writer_waits_then_exits_3_and_readers_go_on(
    bench_store: tuple[Path, Path],
) -> None:
    db, cwd = bench_store
    before = dump(db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process is writing
    try:
        started = time.monotonic()
        result = run(
            ["roster", "import", str(ROOT / "examples" / "peserta-prm-2021-ii.csv")],
            db,
            cwd,
            REVMENTAL_BUSY_TIMEOUT="0.5",
        )
        waited = time.monotonic() - started
        assert result.returncode == 3, result.stderr
        assert "another revmental process is writing" in result.stderr
        assert waited >= 0.5
        # Reading is not blocked by a writer that has not committed yet.
        listed = run(["roster", "show", "--json", "--cohort", "PRM-2021-II"], db, cwd)
        assert listed.returncode == 0 and len(__import__("json").loads(listed.stdout)) == 25
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert dump(db) == before
    # Once the other writer is done, the same command goes through.
    again = run(["roster", "import", str(ROOT / "examples" / "peserta-prm-2021-ii.csv")], db, cwd)
    assert again.returncode == 0, again.stderr


def test_a_bad_busy_timeout_setting_is_a_clear_error(
    cli: RunCli, prm: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVMENTAL_BUSY_TIMEOUT", "lama")
    result = cli("cohort", "list")
    assert result.exit_code == 1
    assert "REVMENTAL_BUSY_TIMEOUT" in result.stderr


def test_a_bug_prints_no_traceback_and_no_local_data(
    cli: RunCli, prm: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import revmental_cli.store as store

    secret = "Siti Rahmawati 198807142014032004"

    def broken(*args: object, **kwargs: object) -> None:
        person = secret  # a local a traceback with locals would print
        raise RuntimeError("boom " + person[:0])

    monkeypatch.setattr(store, "participants", broken)
    result = cli("roster", "show")
    assert result.exit_code == 1
    assert "internal error (RuntimeError)" in result.stderr
    assert "Traceback" not in result.stderr and secret not in result.stderr + result.stdout


# --- hostile input, fuzzed ----------------------------------------------------------------------

FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

seeds = {
    "roster": (FIXTURES / "roster" / "peserta-prm-2021-ii.csv").read_bytes(),
    "zoom": (FIXTURES / "attendance" / "zoom-sesi-1.csv").read_bytes(),
    "yaml": (EXAMPLES / "prm-2021-ii.yaml").read_bytes(),
}


@st.composite
def damaged(draw: st.DrawFn, seed: bytes) -> bytes:
    """Real files with bytes flipped, cut, or replaced by noise: closer to life than pure noise."""
    kind = draw(st.sampled_from(["noise", "cut", "flip", "splice"]))
    if kind == "noise":
        return draw(st.binary(max_size=2000))
    if kind == "cut":
        return seed[: draw(st.integers(0, len(seed)))]
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 20))):
        i = draw(st.integers(0, len(data) - 1))
        data[i] = draw(st.integers(0, 255))
    if kind == "splice":
        at = draw(st.integers(0, len(data)))
        data[at:at] = draw(st.binary(max_size=200))
    return bytes(data)


def check_failure_is_clean(result: Any, before: dict[str, Any], db: Path) -> None:
    assert result.exit_code in (0, 1), (result.exit_code, result.stderr)
    assert "internal error" not in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    if result.exit_code != 0:
        assert dump(db) == before


@FUZZ
@given(data=damaged(seeds["roster"]), suffix=st.sampled_from([".csv", ".txt", ".xlsx"]))
def test_fuzzed_roster_files(
    cli: RunCli, prm: Path, store_path: Path, data: bytes, suffix: str
) -> None:
    before = dump(store_path)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"peserta{suffix}"
        path.write_bytes(data)
        result = cli("roster", "import", str(path))
    check_failure_is_clean(result, before, store_path)


@pytest.mark.slow
@FUZZ
@given(data=damaged(seeds["zoom"]))
def test_fuzzed_attendance_reports(cli: RunCli, prm: Path, store_path: Path, data: bytes) -> None:
    roster = cli("roster", "import", str(FIXTURES / "roster" / "peserta-prm-2021-ii.csv"))
    assert roster.exit_code == 0
    before = dump(store_path)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "zoom.csv"
        path.write_bytes(data)
        result = cli("attendance", "import", str(path))
    check_failure_is_clean(result, before, store_path)


@FUZZ
@given(data=damaged(seeds["roster"]))
def test_fuzzed_score_sheets(cli: RunCli, prm: Path, store_path: Path, data: bytes) -> None:
    before = dump(store_path)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "nilai.csv"
        path.write_bytes(data)
        result = cli("score", "import", str(path))
    check_failure_is_clean(result, before, store_path)


@FUZZ
@given(data=damaged(seeds["yaml"]))
def test_fuzzed_cohort_definitions(cli: RunCli, prm: Path, store_path: Path, data: bytes) -> None:
    before = dump(store_path)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cohort.yaml"
        path.write_bytes(data)
        checked = cli("cohort", "validate", str(path))
        assert checked.exit_code in (0, 1) and "internal error" not in checked.stderr
        result = cli("cohort", "open", str(path))
    assert result.exit_code in (0, 1), result.stderr
    assert "internal error" not in result.stderr, result.stderr
    if result.exit_code != 0:
        assert dump(store_path) == before


def test_a_huge_line_is_refused_in_bounded_memory(
    cli: RunCli, prm: Path, store_path: Path, tmp_path: Path
) -> None:
    before = dump(store_path)
    path = tmp_path / "besar.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("No;Nama;NIP\n1;")
        chunk = "x" * (1 << 20)
        for _ in range(100):  # a 100 MB field
            fh.write(chunk)
        fh.write(";198807142014032004\n")
    result = cli("roster", "import", str(path))
    assert result.exit_code == 1
    assert "internal error" not in result.stderr
    assert dump(store_path) == before
