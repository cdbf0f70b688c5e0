"""Several real processes writing one PostgreSQL register at the same moment (issue 17).

SQLite's single-writer file hides races that a server exposes: here every command is a
process of its own, as on the administrators' several machines, and they are released
together. Each process imports revmental first, then waits for a shared start file, so they
reach the register within milliseconds of each other rather than one start-up apart.
Afterwards the register itself is read: no NDH, certificate number or history id may be lost,
duplicated or skipped, whatever order the processes took the write lock in.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, GRADED, PASSED, ROSTER, query

pytestmark = pytest.mark.postgres

COHORT = "PRM-2021-II"
LOCK_KEY = 0x7265766D  # store/pg.py's WRITE_LOCK_KEY, spelled out: the test checks the contract

# Says it is ready, waits for the start file, then runs the command line as `python -m
# revmental_cli` does. revmental (and the modules a write needs) are imported before the wait,
# so start-up time, which a loaded machine stretches, does not spread the processes out.
_LAUNCHER = """\
import os, sys, time
import psycopg
from revmental_cli.launch import main
import revmental_cli.cli, revmental_cli.store, revmental_cli.services
ready, go = sys.argv[1:3]
open(ready, "w").close()
deadline = time.monotonic() + 120
while not os.path.exists(go) and time.monotonic() < deadline:
    time.sleep(0.002)
sys.argv = ["revmental", *sys.argv[3:]]
main()
"""


def env(busy_timeout: int = 30) -> dict[str, str]:
    return {
        **os.environ,
        "REVMENTAL_LANG": "en",
        "REVMENTAL_BUSY_TIMEOUT": str(busy_timeout),
        "COLUMNS": "120",
    }


def run(args: list[str], url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "revmental_cli", "--db", url, *args],
        cwd=cwd,
        env=env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, (args, proc.stderr)
    return proc


def together(
    commands: list[list[str]], url: str, cwd: Path, busy_timeout: int = 30
) -> list[subprocess.CompletedProcess[str]]:
    """Start every command, let them all go at once, and wait for each."""
    barrier = cwd / f"barrier-{time.monotonic_ns()}"
    barrier.mkdir()
    go = barrier / "go"
    launcher = [sys.executable, "-c", _LAUNCHER]
    procs = [
        subprocess.Popen(
            [*launcher, str(barrier / f"ready-{i}"), str(go), "--db", url, *args],
            cwd=cwd,
            env=env(busy_timeout),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i, args in enumerate(commands)
    ]
    deadline = time.monotonic() + 120
    while len(list(barrier.glob("ready-*"))) < len(procs) and time.monotonic() < deadline:
        assert all(p.poll() is None for p in procs), [p.communicate() for p in procs]
        time.sleep(0.01)
    time.sleep(0.05)  # the last one to say so has reached its wait
    go.touch()
    done = []
    for proc, args in zip(procs, commands, strict=True):
        out, err = proc.communicate(timeout=300)
        done.append(subprocess.CompletedProcess(args, proc.returncode, out, err))
    for result in done:
        assert "Traceback" not in result.stderr, result.stderr
    return done


def history_ids_gap_free(url: str) -> list[tuple[int, str]]:
    rows = query(url, "SELECT id, summary FROM history ORDER BY id")
    assert [i for i, _s in rows] == list(range(1, len(rows) + 1)), rows
    return rows


def cohort_file(where: Path, capacity: int) -> Path:
    """The example cohort, with room for the participants the test imports."""
    text = (EXAMPLES / "prm-2021-ii.yaml").read_text(encoding="utf-8")
    assert "capacity: 25\n" in text
    path = where / f"prm-2021-ii-{capacity}.yaml"
    path.write_text(text.replace("capacity: 25\n", f"capacity: {capacity}\n"), encoding="utf-8")
    return path


def nips(count: int) -> list[str]:
    """Distinct valid NIPs: a real birth date, appointed at 25 (long before the cohort), a sex
    digit, a sequence number that is never 000."""
    out = []
    for i in range(count):
        born = dt.date(1965, 1, 1) + dt.timedelta(days=31 * i)
        month = i % 12 + 1
        out.append(f"{born:%Y%m%d}{born.year + 25}{month:02d}{i % 2 + 1}{i % 997 + 1:03d}")
    assert len(set(out)) == count
    return out


def rosters(where: Path, files: int, per_file: int) -> list[tuple[Path, list[str]]]:
    """``files`` roster files of distinct participants, without an NDH column: revmental
    numbers them, continuing from whatever the register holds when the import runs."""
    everyone = nips(files * per_file)
    out = []
    for f in range(files):
        mine = everyone[f * per_file : (f + 1) * per_file]
        path = where / f"peserta-{f + 1}.csv"
        lines = ["Nama Lengkap;NIP;Instansi"]
        lines += [f"Peserta {f + 1}-{i + 1};{nip};Instansi {f + 1}" for i, nip in enumerate(mine)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        out.append((path, mine))
    return out


def test_four_roster_imports_at_once_number_everyone_once(pg_database: str, tmp_path: Path) -> None:
    url = pg_database
    run(["cohort", "open", str(cohort_file(tmp_path, 400))], url, tmp_path)
    files = rosters(tmp_path, 4, 60)
    results = together([["roster", "import", str(p)] for p, _n in files], url, tmp_path)
    assert all(r.returncode in (0, 3) for r in results), [r.stderr for r in results]
    written = [
        nip
        for r, (_p, mine) in zip(results, files, strict=True)
        if r.returncode == 0
        for nip in mine
    ]
    for r, (_p, mine) in zip(results, files, strict=True):
        if r.returncode == 3:  # a lock that timed out: that import wrote nothing
            assert "busy" in r.stderr, r.stderr
            placeholders = ", ".join("?" for _ in mine)
            assert not query(
                url, f"SELECT nip FROM people WHERE nip IN ({placeholders})", tuple(mine)
            )
    # A 30-second busy timeout is ample for four imports of 60 rows.
    assert [r.returncode for r in results] == [0, 0, 0, 0], [r.stderr for r in results]
    enrolled = query(url, "SELECT nip, ndh FROM enrollments WHERE cohort_id = ?", (COHORT,))
    assert sorted(n for n, _ndh in enrolled) == sorted(written)
    assert sorted(ndh for _n, ndh in enrolled) == list(range(1, len(written) + 1))
    # Each file's participants were numbered by one import: a block of consecutive NDHs.
    by_nip = dict(enrolled)
    for _p, mine in files:
        ndhs = [by_nip[n] for n in mine]
        assert ndhs == list(range(ndhs[0], ndhs[0] + len(mine))), ndhs
    history = history_ids_gap_free(url)
    imports = [s for _i, s in history if s.startswith(f"roster of {COHORT}:")]
    assert len(imports) == 4, history
    assert all("60 created" in s for s in imports), imports


def test_four_roster_imports_past_the_capacity_fill_it_exactly(
    pg_database: str, tmp_path: Path
) -> None:
    """The capacity is checked under the lock: three files fit, the fourth is refused
    whole, whichever comes last."""
    url = pg_database
    run(["cohort", "open", str(cohort_file(tmp_path, 150))], url, tmp_path)
    files = rosters(tmp_path, 4, 50)
    results = together([["roster", "import", str(p)] for p, _n in files], url, tmp_path)
    codes = sorted(r.returncode for r in results)
    assert codes == [0, 0, 0, 1], [r.stderr for r in results]
    refused = next(i for i, r in enumerate(results) if r.returncode == 1)
    assert "full" in results[refused].stderr, results[refused].stderr
    enrolled = query(url, "SELECT nip, ndh FROM enrollments WHERE cohort_id = ?", (COHORT,))
    assert sorted(ndh for _n, ndh in enrolled) == list(range(1, 151))
    assert not set(files[refused][1]) & {n for n, _ndh in enrolled}
    history = history_ids_gap_free(url)
    assert len([s for _i, s in history if s.startswith(f"roster of {COHORT}:")]) == 3


@pytest.fixture
def graded(pg_database: str, tmp_path: Path) -> str:
    """The example cohort with its attendance and scores in a fresh register: 21 pass."""
    url = pg_database
    for args in GRADED:
        run(list(args), url, tmp_path)
    return url


def test_four_certificate_issues_at_once_number_each_passed_participant_once(
    graded: str, tmp_path: Path
) -> None:
    url = graded
    before = history_ids_gap_free(url)
    results = together([["certificate", "issue"]] * 4, url, tmp_path)
    assert [r.returncode for r in results] == [0, 0, 0, 0], [r.stderr for r in results]
    standing = query(
        url, "SELECT nip, count(*) FROM certificates WHERE revoked_at IS NULL GROUP BY nip"
    )
    assert len(standing) == PASSED, standing
    assert all(count == 1 for _nip, count in standing), standing
    numbers = query(url, "SELECT number, seq FROM certificates WHERE cohort_id = ?", (COHORT,))
    assert sorted(s for _n, s in numbers) == list(range(1, PASSED + 1))
    assert len({n for n, _s in numbers}) == PASSED
    # One process numbered them all; the others found every passed participant holding one
    # and wrote nothing, not even a history line.
    history = history_ids_gap_free(url)
    issued = history[len(before) :]
    assert [s for _i, s in issued] == [f"{PASSED} certificates issued for {COHORT}"], issued


def test_ten_attendance_marks_at_once_lose_none(pg_database: str, tmp_path: Path) -> None:
    url = pg_database
    run(["cohort", "open", str(EXAMPLES / "prm-2021-ii.yaml")], url, tmp_path)
    run(["roster", "import", str(ROSTER)], url, tmp_path)
    people = [n for (n,) in query(url, "SELECT nip FROM enrollments ORDER BY ndh")]
    # Seven different (participant, session) pairs, and three more marks of the first pair
    # with other statuses: the last one to take the lock stands.
    distinct = [(people[i], i + 1, "hadir") for i in range(7)]
    same = [(people[0], 1, status) for status in ("izin", "sakit", "terlambat")]
    marks = distinct + same
    before = history_ids_gap_free(url)
    results = together(
        [["attendance", "mark", nip, "-s", str(s), "--status", st] for nip, s, st in marks],
        url,
        tmp_path,
    )
    assert [r.returncode for r in results] == [0] * 10, [r.stderr for r in results]
    rows = query(url, "SELECT nip, session, status, source FROM attendance")
    recorded = {(nip, s): (status, source) for nip, s, status, source in rows}
    assert len(rows) == 7, rows
    for nip, s, _st in distinct[1:]:
        assert recorded[(nip, s)] == ("present", "manual"), rows
    assert recorded[(people[0], 1)][1] == "manual"
    assert recorded[(people[0], 1)][0] in ("present", "excused", "sick", "late"), rows
    history = history_ids_gap_free(url)
    marked = [s for _i, s in history[len(before) :]]
    assert len(marked) == 10, marked
    assert all(s.startswith("session ") and " 1 marked " in s for s in marked), marked
    # The mark that stands is the one whose history line came last for that pair.
    last_of_pair = [s for s in marked if s.startswith("session 1:")][-1]
    assert last_of_pair.endswith(recorded[(people[0], 1)][0]), (last_of_pair, rows)


def test_a_write_lock_held_past_the_busy_timeout_exits_3_writing_nothing(
    pg_database: str, tmp_path: Path
) -> None:
    import psycopg

    url = pg_database
    run(["cohort", "open", str(EXAMPLES / "prm-2021-ii.yaml")], url, tmp_path)
    before = history_ids_gap_free(url)
    with psycopg.connect(url, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
        started = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-m", "revmental_cli", "--db", url, "roster", "import", str(ROSTER)],
            cwd=tmp_path,
            env=env(busy_timeout=1),
            capture_output=True,
            text=True,
            timeout=60,
        )
        waited = time.monotonic() - started
        holder.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
    assert proc.returncode == 3, proc.stderr
    assert "busy" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert waited < 30, waited  # it gave up after about the busy timeout
    assert query(url, "SELECT count(*) FROM enrollments") == [(0,)]
    assert query(url, "SELECT count(*) FROM people") == [(0,)]
    assert history_ids_gap_free(url) == before
    # The lock released, the same import goes through.
    run(["roster", "import", str(ROSTER)], url, tmp_path)
    assert query(url, "SELECT count(*) FROM enrollments") == [(25,)]


def test_four_first_writes_at_once_create_the_register_once(
    pg_database: str, tmp_path: Path
) -> None:
    """An empty database: whichever write takes the lock first creates the schema, and the
    others find it made (none fails on a table that already exists)."""
    url = pg_database
    files = [EXAMPLES / "prm-2021-ii.yaml", EXAMPLES / "latsar-2022-xiv.yaml"] * 2
    results = together([["cohort", "open", str(f)] for f in files], url, tmp_path)
    assert [r.returncode for r in results] == [0, 0, 0, 0], [r.stderr for r in results]
    assert query(url, "SELECT id FROM cohorts ORDER BY id") == [
        ("LATSAR-2022-XIV",),
        ("PRM-2021-II",),
    ]
    assert len(query(url, "SELECT name FROM revmental_migrations")) == 1
    history_ids_gap_free(url)
