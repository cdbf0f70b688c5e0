"""Benchmarks that compare revmental with a baseline measured in the same run (ratios).

    python bench/run.py               # full sizes (a few minutes on 2 cores)
    python bench/run.py --quick       # tiny sizes: a smoke run (the test suite runs this)

1. start-up: `revmental --help` and `revmental cohort list` against `sqlite-utils --help`
   (target <= 0.7);
2. roster import: `revmental roster import` of an N-row CSV (default 200,000) against a bare
   csv.reader + executemany load of the same file into revmental's own people and
   enrollments tables, constraints and indexes included (the floor of the data model; target
   <= 1.2), and against the same load into a one-table database (target <= 3.5); peak memory
   (target <= 250 MiB);
3. growth: `revmental report completion --json` for 5,000 participants x 40 sessions against
   500 x 40 (10x the work; target <= 4, start-up included);
4. a 5,000-row Zoom report: `revmental attendance import` against a standard-library script
   doing the same job in one process (parse, add up minutes, replace the session's rows in
   the store in one transaction; target <= 1.5);
5. MOOC-sized cohorts: `report completion` and `roster show` as a table (written to a file)
   against their --json at 20,000 and 50,000 participants (target <= 2), and `report
   completion --json` at 50,000 against 10 x its 5,000 figure (linear: < 2);
6. a PostgreSQL register (`--only pg`): the 200,000-row roster import and `report completion
   --json` for 5,000 participants against the same work on an SQLite file in the same run
   (no target: the figure says what the shared register costs). It starts a throwaway
   cluster with tests/pgserver.py (or uses REVMENTAL_TEST_PG) and is skipped, saying why,
   where PostgreSQL is not installed.

Each time is the median of --runs runs (5; the roster import runs 2 x runs - 1 times, the quick
ones, start-up and the Zoom import, five times as often); the peak memory of the roster import is
reported too. Where a command is
compared with a baseline of the same job (start-up, the roster import, the Zoom import), each
run times both sides back to back, first one then the other in turns, and the ratio printed is
the median of the runs' own ratios: this machine's speed drifts by a tenth or more within a
minute, and a pair of runs taken seconds apart sees the same speed where two medians taken over
minutes need not. Elsewhere the ratio is that of the two medians.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

COHORT_YAML = """\
id: BENCH-2021-I
programme: {code: BENCH, name: Pelatihan untuk pengukuran}
angkatan: 1
year: 2021
organiser: Puslatbang PKASN LAN
mode: daring
start: 2021-09-01
end: 2021-12-31
sessions:
  - {date: 2021-09-01, start: "09:00", end: "12:00", title: Pembukaan, jp: 4}
"""

FIRST = [
    "Ahmad",
    "Budi",
    "Siti",
    "Wulan",
    "Hendra",
    "Rina",
    "Agus",
    "Dewi",
    "Yudi",
    "Lina",
    "Bambang",
    "Sri",
    "Eko",
    "Nur",
    "Andi",
    "Fitri",
    "Joko",
    "Maya",
    "Rudi",
    "Tuti",
]
LAST = [
    "Santoso",
    "Rahayu",
    "Fauzi",
    "Sari",
    "Wicaksono",
    "Kartika",
    "Prasetyo",
    "Marlina",
    "Saepudin",
    "Gunawan",
    "Hidayat",
    "Lestari",
    "Nugroho",
    "Pratama",
    "Wibowo",
]
TITLES = ["", "", "Dr. ", "Drs. ", "H. ", "Hj. "]
DEGREES = ["", ", S.Sos.", ", M.Si.", ", S.E., M.M.", ", S.Kom.", ", S.T., M.T."]
GOLONGAN = ["III/a", "III/b", "III/c", "III/d", "IV/a", "IV/b", "Penata (III/c)", "IIIb"]
AGENCIES = [
    "Pemerintah Kota Bandung",
    "Kementerian Dalam Negeri",
    "Badan Kepegawaian Negara",
    "Lembaga Administrasi Negara",
    "Pemerintah Provinsi Jawa Barat",
]


def make_roster(path: Path, rows: int, seed: int = 7) -> None:
    """An Indonesian-locale export: ';', BOM, CRLF, grouped NIPs, titles, mixed spellings."""
    rng = random.Random(seed)
    seen: set[str] = set()
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh, delimiter=";", lineterminator="\r\n")
        out.writerow(
            ["No", "Nama Lengkap", "NIP", "Pangkat/Gol", "Jabatan", "Instansi", "Email", "No. HP"]
        )
        n = 0
        while n < rows:
            born = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(35 * 365))
            tmt = min(born.year + rng.randint(22, 35), 2023)
            sex = rng.choice("12")
            nip = f"{born:%Y%m%d}{tmt}{rng.randint(1, 12):02d}{sex}{rng.randint(1, 999):03d}"
            if nip in seen:
                continue
            seen.add(nip)
            n += 1
            first, last = rng.choice(FIRST), rng.choice(LAST)
            name = f"{rng.choice(TITLES)}{first} {last}{rng.choice(DEGREES)}"
            grouped = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
            out.writerow(
                [
                    n,
                    name,
                    grouped,
                    rng.choice(GOLONGAN),
                    "Analis Kebijakan",
                    rng.choice(AGENCIES),
                    f"{first}.{last}{n}@contoh.go.id".lower(),
                    f"0812-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
                ]
            )


def baseline_load(csv_path: Path, db_path: Path) -> float:
    """The floor: csv.reader + executemany into one table, one transaction."""
    start = time.perf_counter()
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute(
        "CREATE TABLE roster (no TEXT, name TEXT, nip TEXT PRIMARY KEY, golongan TEXT, "
        "position TEXT, agency TEXT, email TEXT, phone TEXT)"
    )
    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter=";")
        next(reader)
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO roster VALUES (?, ?, ?, ?, ?, ?, ?, ?)", reader)
        conn.execute("COMMIT")
    conn.close()
    return time.perf_counter() - start


def schema_floor_load(csv_path: Path, db_path: Path, cohort_id: str) -> float:
    """The floor of this data model: the same file loaded with csv.reader + executemany into
    revmental's own ``people`` and ``enrollments`` tables (same constraints, indexes and
    pragmas as the store's connection), one transaction, no validation. ``db_path`` is a copy
    of a store where the cohort was opened, so the schema is exactly what revmental made."""
    start = time.perf_counter()
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA cache_size = -65536")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA secure_delete = ON")
    stamp = "2021-09-01T00:00:00Z"
    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter=";")
        next(reader)
        rows = [(r[2].replace(" ", ""), r) for r in reader]
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT INTO people (nip, name, golongan, position, agency, email, phone, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ((nip, r[1], r[3], r[4], r[5], r[6], r[7], stamp, stamp) for nip, r in rows),
    )
    conn.executemany(
        "INSERT INTO enrollments (cohort_id, nip, ndh, enrolled_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?)",
        ((cohort_id, nip, i, stamp, stamp) for i, (nip, _r) in enumerate(rows, 1)),
    )
    conn.execute("COMMIT")
    conn.close()
    return time.perf_counter() - start


def installed(name: str, module: str) -> list[str]:
    """The console script pip installed next to this Python, as a user runs it."""
    script = Path(sys.executable).with_name(name + (".exe" if os.name == "nt" else ""))
    return [str(script)] if script.exists() else [sys.executable, "-m", module]


REVMENTAL = installed("revmental", "revmental_cli")


def compile_bytecode() -> None:
    """Compile revmental's modules as `pip install` does for a regular install. An editable
    install under PYTHONDONTWRITEBYTECODE=1 (set on some machines and CI) would otherwise
    recompile every module on every run, which no installed copy does."""
    import compileall

    compileall.compile_dir(ROOT / "revmental_cli", quiet=1)


# A child's peak memory counts whatever its parent held when it forked (Linux keeps the high
# mark across exec), and this script holds a 200,000-row file by then: the command's own peak
# is read by a small launcher that starts it, and reports it on its last line of stderr.
_PEAK = (
    "import resource, subprocess, sys; code = subprocess.call(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
    "sys.exit(code)"
)


def revmental(args: list[str], db: Path | str, cwd: Path) -> tuple[float, int]:
    """Run the installed command on a store (a file, or a register's URL); return wall time
    and peak memory (KiB, where measurable)."""
    env = {**os.environ, "REVMENTAL_DB": str(db)}
    try:
        import resource  # noqa: F401  # Windows: none, and no peak
    except ImportError:
        launcher: list[str] = []
    else:
        launcher = [sys.executable, "-c", _PEAK]
    start = time.perf_counter()
    proc = subprocess.run(
        [*launcher, *REVMENTAL, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"revmental {' '.join(args)} failed:\n{proc.stderr[-2000:]}")
    peak = int(proc.stderr.rsplit(None, 1)[-1]) if launcher else 0
    return elapsed, peak


def bench_roster(rows: int, runs: int, work: Path) -> dict[str, float]:
    import shutil

    data = work / f"roster-{rows}.csv"
    make_roster(data, rows)
    (work / "bench.yaml").write_text(COHORT_YAML, encoding="utf-8")
    empty = work / "empty-store.db"
    revmental(["cohort", "open", str(work / "bench.yaml")], empty, work)
    base: list[float] = []
    floor: list[float] = []
    ours: list[float] = []
    peaks: list[int] = []

    def one_table() -> None:
        base.append(baseline_load(data, work / f"base-{i}.db"))

    def own_schema() -> None:
        shutil.copy(empty, work / f"floor-{i}.db")
        floor.append(schema_floor_load(data, work / f"floor-{i}.db", "BENCH-2021-I"))

    def revmental_import() -> None:
        db = work / f"store-{i}.db"
        shutil.copy(empty, db)
        elapsed, peak = revmental(["roster", "import", str(data)], db, work)
        ours.append(elapsed)
        peaks.append(peak)

    # Twice the runs, less one (an odd count has a middle): each side's time moves by a
    # sixth from one run to the next on this machine, and the median of five pairs was seen
    # to move by a tenth between full runs.
    for i in range(2 * runs - 1):
        # In turns: the side that runs last in one run runs first in the next.
        steps = (one_table, own_schema, revmental_import)
        for step in steps if i % 2 == 0 else reversed(steps):
            step()
    return {
        "rows": rows,
        "baseline_s": statistics.median(base),
        "floor_s": statistics.median(floor),
        "revmental_s": statistics.median(ours),
        "ratio_floor": statistics.median(o / f for o, f in zip(ours, floor, strict=True)),
        "ratio_baseline": statistics.median(o / b for o, b in zip(ours, base, strict=True)),
        "peak_mib": max(peaks) / 1024,
    }


def timed(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> float:
    start = time.perf_counter()
    proc = subprocess.run(
        cmd, env={**os.environ, **(env or {})}, cwd=cwd, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr[-2000:]}")
    return elapsed


def median_of(runs: int, fn: object) -> float:
    assert callable(fn)
    return statistics.median(fn() for _ in range(runs))


def paired(
    runs: int, base: Callable[[], float], ours: Callable[[], float]
) -> tuple[float, float, float]:
    """The medians of ``runs`` runs of each side, and the median of the runs' own ratios.
    Each run times both sides back to back, first one then the other in turns: a slow minute
    of a shared machine then weighs on both sides alike, where all of one side and then all
    of the other would put it on one side only."""
    times: tuple[list[float], list[float]] = ([], [])
    for i in range(runs):
        if i % 2 == 0:
            times[0].append(base())
            times[1].append(ours())
        else:
            times[1].append(ours())
            times[0].append(base())
    ratios = (o / b for b, o in zip(*times, strict=True))
    return statistics.median(times[0]), statistics.median(times[1]), statistics.median(ratios)


def bench_startup(runs: int, work: Path) -> list[tuple[str, float, float, float]]:
    sqlite_utils_cmd = [*installed("sqlite-utils", "sqlite_utils"), "--help"]
    db = work / "startup.db"
    (work / "bench.yaml").write_text(COHORT_YAML, encoding="utf-8")
    revmental(["cohort", "open", str(work / "bench.yaml")], db, work)
    env = {"REVMENTAL_DB": str(db)}
    return [
        (
            "start-up: revmental --help",
            *paired(
                runs * 5,
                lambda: timed(sqlite_utils_cmd),
                lambda: timed([*REVMENTAL, "--help"], env),
            ),
        ),
        (
            "start-up: revmental cohort list",
            *paired(
                runs * 5,
                lambda: timed(sqlite_utils_cmd),
                lambda: timed([*REVMENTAL, "cohort", "list"], env),
            ),
        ),
    ]


GROWTH_YAML_HEAD = """\
id: GROWTH-{n}
programme: {{code: GROWTH, name: Pelatihan untuk pengukuran}}
angkatan: 1
year: 2021
organiser: Puslatbang PKASN LAN
mode: daring
start: 2021-01-01
end: 2021-12-31
sessions:
"""


def growth_store(work: Path, people: int, sessions: int = 40) -> Path:
    """A cohort with `people` participants, full attendance and scores, built through the CLI
    (cohort, roster) and then filled in bulk with SQL (only the report is measured)."""
    db = work / f"growth-{people}.db"
    if db.exists():  # built already by another benchmark of this run
        return db
    yaml_path = work / f"growth-{people}.yaml"
    lines = [GROWTH_YAML_HEAD.format(n=people)]
    day = dt.date(2021, 1, 4)
    for i in range(sessions):
        lines.append(
            f'  - {{date: {day + dt.timedelta(days=i)}, start: "09:00", end: "11:15", '
            f"title: Sesi {i + 1}, jp: 3}}\n"
        )
    yaml_path.write_text("".join(lines), encoding="utf-8")
    roster = work / f"growth-{people}.csv"
    make_roster(roster, people, seed=people)
    revmental(["cohort", "open", str(yaml_path)], db, work)
    revmental(["roster", "import", str(roster)], db, work)
    conn = sqlite3.connect(db, isolation_level=None)
    nips = [r[0] for r in conn.execute("SELECT nip FROM enrollments")]
    rng = random.Random(people)
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO attendance (cohort_id, session, nip, status, minutes, source, updated_at) "
        "VALUES (?, ?, ?, ?, ?, 'import', 'x')",
        (
            (f"GROWTH-{people}", s + 1, nip, rng.choice(["present"] * 9 + ["absent"]), 135.0)
            for nip in nips
            for s in range(sessions)
        ),
    )
    conn.executemany(
        "INSERT INTO scores (cohort_id, nip, component, value, updated_at) "
        "VALUES (?, ?, ?, ?, 'x')",
        (
            (f"GROWTH-{people}", nip, key, float(rng.randint(55, 100)))
            for nip in nips
            for key in ("sikap", "akademik", "rancangan")
        ),
    )
    conn.execute("COMMIT")
    conn.close()
    return db


REPORT = [*REVMENTAL, "report", "completion", "--json"]


def bench_growth(runs: int, work: Path) -> tuple[str, float, float]:
    small, large = (50, 500) if QUICK else (500, 5000)
    times = {}
    for people in (small, large):
        db = growth_store(work, people)
        times[people] = median_of(runs, lambda db=db: timed(REPORT, {"REVMENTAL_DB": str(db)}))
    return (f"report completion, {large:,} vs {small:,} people", times[small], times[large])


def make_zoom(path: Path, roster: Path, rows: int) -> None:
    """A Zoom participant report with `rows` rows: everyone signed in, some rejoining."""
    with roster.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter=";")
        next(reader)
        people = [(r[1], r[6]) for r in reader]
    rng = random.Random(rows)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh, lineterminator="\r\n")
        out.writerow(
            [
                "Meeting ID",
                "Topic",
                "Start Time",
                "End Time",
                "User Email",
                "Duration (Minutes)",
                "Participants",
            ]
        )
        out.writerow(
            [
                "812 3456 7890",
                "Pelatihan - Sesi 1",
                "01/04/2021 08:52:00 AM",
                "01/04/2021 11:20:00 AM",
                "host@lan.example",
                "148",
                str(rows),
            ]
        )
        out.writerow([])
        out.writerow(
            [
                "Name (Original Name)",
                "User Email",
                "Join Time",
                "Leave Time",
                "Duration (Minutes)",
                "Guest",
                "Recording Consent",
            ]
        )
        for i in range(rows):
            name, email = people[i % len(people)]
            start = 0 if i < len(people) else rng.randint(30, 60)
            join = dt.datetime(2021, 1, 4, 8, 55) + dt.timedelta(minutes=start)
            leave = join + dt.timedelta(minutes=rng.randint(20, 140))
            out.writerow(
                [
                    name,
                    email,
                    f"{join:%m/%d/%Y %I:%M:%S %p}",
                    f"{leave:%m/%d/%Y %I:%M:%S %p}",
                    str(int((leave - join).total_seconds() // 60)),
                    "No",
                    "Yes",
                ]
            )


# The same job as `attendance import` of a Zoom report, with the standard library alone, in
# one process: read the report, parse its times, add up each e-mail's minutes inside the
# session, and replace the session's rows in the store in one transaction. No matching by
# name, no intervals merged, no checks: the floor of the job, start-up of Python included.
ZOOM_FLOOR = """\
import csv, datetime as dt, sqlite3, sys
report, db, cohort = sys.argv[1:4]
start, end = dt.datetime(2021, 1, 4, 9, 0), dt.datetime(2021, 1, 4, 11, 15)
with open(report, encoding="utf-8-sig", newline="") as fh:
    rows = list(csv.reader(fh))
header = next(i for i, r in enumerate(rows) if r and r[0].startswith("Name"))
minutes = {}
fmt = "%m/%d/%Y %I:%M:%S %p"
for r in rows[header + 1:]:
    if len(r) < 4 or not r[1]:
        continue
    a = max(dt.datetime.strptime(r[2], fmt), start)
    b = min(dt.datetime.strptime(r[3], fmt), end)
    if b > a:
        minutes[r[1].lower()] = minutes.get(r[1].lower(), 0.0) + (b - a).total_seconds() / 60
conn = sqlite3.connect(db, isolation_level=None)
conn.execute("PRAGMA foreign_keys = ON")
people = dict(conn.execute(
    "SELECT lower(p.email), p.nip FROM people p JOIN enrollments e ON e.nip = p.nip "
    "WHERE e.cohort_id = ?", (cohort,)))
conn.execute("BEGIN IMMEDIATE")
conn.execute("DELETE FROM attendance WHERE cohort_id = ? AND session = 1", (cohort,))
conn.executemany(
    "INSERT INTO attendance (cohort_id, session, nip, status, minutes, source, updated_at) "
    "VALUES (?, 1, ?, ?, ?, 'import', 'x')",
    [(cohort, nip, "present" if minutes.get(mail, 0) >= 101.25 else "absent",
      minutes.get(mail)) for mail, nip in people.items()])
conn.execute("COMMIT")
"""


def bench_zoom(runs: int, work: Path) -> tuple[str, float, float, float]:
    import shutil

    rows = 500 if QUICK else 5000
    db = growth_store(work, rows // 2)
    floor_db = work / "zoom-floor.db"
    shutil.copy(db, floor_db)
    report = work / "zoom-5000.csv"
    make_zoom(report, work / f"growth-{rows // 2}.csv", rows)
    script = work / "zoom_floor.py"
    script.write_text(ZOOM_FLOOR, encoding="utf-8")
    floor = [sys.executable, str(script), str(report), str(floor_db), f"GROWTH-{rows // 2}"]
    me = [
        *REVMENTAL,
        "attendance",
        "import",
        str(report),
        "--session",
        "1",
        "--overwrite",
    ]
    # A run takes a third of a second: five times the runs, for a steady median.
    base, ours, ratio = paired(
        runs * 5, lambda: timed(floor), lambda: timed(me, {"REVMENTAL_DB": str(db)})
    )
    return (f"Zoom report import, {rows:,} rows", base, ours, ratio)


def bench_mooc(runs: int, work: Path) -> list[tuple[str, float, float, str]]:
    """MOOC-sized cohorts: a table for people against the same data as --json (<= 2x), and
    report completion --json at 50,000 against 10 x its 5,000 figure (linear: < 2x)."""
    sizes = (200, 500) if QUICK else (20_000, 50_000)
    small = 50 if QUICK else 5_000
    out: list[tuple[str, float, float, str]] = []
    json_times: dict[int, float] = {}
    for people in (small, *sizes):
        db = growth_store(work, people)
        env = {"REVMENTAL_DB": str(db), "COLUMNS": "120"}
        json_times[people] = median_of(runs, lambda env=env: timed(REPORT, env))
        if people == small:
            continue
        for noun in (["report", "completion"], ["roster", "show"]):
            as_json = median_of(runs, lambda n=noun, e=env: timed([*REVMENTAL, *n, "--json"], e))
            as_table = median_of(runs, lambda n=noun, e=env: timed([*REVMENTAL, *n], e))
            label = f"{' '.join(noun)} table vs --json, {people:,}"
            out.append((label, as_json, as_table, "<= 2.0"))
    large = sizes[-1]
    out.append(
        (
            f"report completion --json {large:,} vs 10 x {small:,}",
            json_times[small] * large / small,
            json_times[large],
            "< 2.0",
        )
    )
    return out


CERT_YAML_TAIL = """\
certificate:
  place: Jatinangor
  signatory: {title: Kepala Pusat, name: "Dr. Nama Pejabat, M.Si.", nip: "197001011995031001"}
  verify_url: https://sttp.example.go.id/v/
"""


def bench_certificates(runs: int, work: Path) -> tuple[str, float, float]:
    """`certificate render` of a cohort whose participants all passed, against compiling the
    built-in template as often with bare typst.compile in one process (the same data)."""
    people = 20 if QUICK else 1000
    db = work / f"certs-{people}.db"
    yaml_path = work / f"certs-{people}.yaml"
    yaml_path.write_text(
        COHORT_YAML.replace("BENCH-2021-I", "CERTS-2021-I") + CERT_YAML_TAIL, encoding="utf-8"
    )
    roster = work / f"certs-{people}.csv"
    make_roster(roster, people, seed=people + 1)
    revmental(["cohort", "open", str(yaml_path)], db, work)
    revmental(["roster", "import", str(roster)], db, work)
    conn = sqlite3.connect(db, isolation_level=None)
    nips = [r[0] for r in conn.execute("SELECT nip FROM enrollments")]
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO attendance (cohort_id, session, nip, status, minutes, source, updated_at) "
        "VALUES ('CERTS-2021-I', 1, ?, 'present', 180.0, 'import', 'x')",
        ((nip,) for nip in nips),
    )
    conn.executemany(
        "INSERT INTO scores (cohort_id, nip, component, value, updated_at) "
        "VALUES ('CERTS-2021-I', ?, ?, 90.0, 'x')",
        ((nip, key) for nip in nips for key in ("sikap", "akademik", "rancangan")),
    )
    conn.execute("COMMIT")
    conn.close()
    revmental(["certificate", "issue"], db, work)
    floor = work / "certs_floor.py"
    floor.write_text(CERTS_FLOOR, encoding="utf-8")
    env = {**os.environ, "REVMENTAL_DB": str(db)}

    def compile_loop() -> float:  # the loop's own time: the data is made before the clock
        proc = subprocess.run([sys.executable, str(floor)], env=env, capture_output=True)
        if proc.returncode != 0:
            raise SystemExit(f"the typst floor failed:\n{proc.stderr.decode()[-2000:]}")
        return float(proc.stdout)

    base = median_of(runs, compile_loop)
    out = work / "sttp-out"
    me = [*REVMENTAL, "certificate", "render", "--output", str(out)]
    ours = median_of(runs, lambda: timed(me, {"REVMENTAL_DB": str(db)}))
    return (f"certificate render, {people:,} vs bare typst.compile", base, ours)


# The floor: the same template and data (made before the clock starts), compiled in a loop.
CERTS_FLOOR = """\
import os, sqlite3, time, typst
from revmental_cli.documents.pdf import SttpRenderer, _metadata, builtin_typst_source
from revmental_cli.services.documents import plan_render
from revmental_cli.store import open_store
from revmental_cli.store.cohorts import cohort
store = open_store(__import__("pathlib").Path(os.environ["REVMENTAL_DB"]), create=False)
row = cohort(store, "CERTS-2021-I")
plan = plan_render(store, row, "pdf", None)
renderer = SttpRenderer()
inputs = [renderer._inputs(_metadata(p.context), [p.context]) for p in plan.items]
source = builtin_typst_source()
root = str(renderer.template.root)
start = time.perf_counter()
for data in inputs:
    typst.compile(source, root=root, format="pdf", sys_inputs={"revmental": data},
                  pdf_standards=["a-2b"], ignore_system_fonts=True)
print(time.perf_counter() - start)
"""


def load_pgserver() -> Any:
    """tests/pgserver.py, the tests' throwaway cluster, as a module (bench/ is no package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("pgserver", ROOT / "tests" / "pgserver.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fill_register(url: str, cohort_id: str, sessions: int = 40) -> None:
    """The attendance and scores growth_store gives an SQLite store, in a register whose
    roster was imported through the CLI (same seed: the same statuses and values)."""
    import psycopg

    with psycopg.connect(url) as conn:
        # growth_store reads them in rowid order, which is NIP order (the import inserts
        # enrollments sorted by NIP): the same order draws the same statuses from the seed.
        nips = [r[0] for r in conn.execute("SELECT nip FROM enrollments ORDER BY nip")]
        people = int(cohort_id.rsplit("-", 1)[1])
        rng = random.Random(people)
        with conn.cursor().copy(
            "COPY attendance (cohort_id, session, nip, status, minutes, source, updated_at) "
            "FROM STDIN"
        ) as copy:
            for nip in nips:
                for s in range(sessions):
                    status = rng.choice(["present"] * 9 + ["absent"])
                    copy.write_row((cohort_id, s + 1, nip, status, 135.0, "import", "x"))
        with conn.cursor().copy(
            "COPY scores (cohort_id, nip, component, value, updated_at) FROM STDIN"
        ) as copy:
            for nip in nips:
                for key in ("sikap", "akademik", "rancangan"):
                    copy.write_row((cohort_id, nip, key, float(rng.randint(55, 100)), "x"))
        conn.execute("ANALYZE")


def bench_pg(rows: int, runs: int, work: Path) -> list[tuple[str, float, float, str]]:
    """The 200,000-row roster import and `report completion --json` for 5,000 people on a
    PostgreSQL register (a throwaway local cluster) against the same work on an SQLite file
    in the same run. Skipped, saying why, where PostgreSQL is not installed."""
    import importlib.util
    import shutil

    if importlib.util.find_spec("psycopg") is None:
        print("PostgreSQL benchmarks skipped: psycopg is not installed (the extra [postgres])")
        return []
    pgserver = load_pgserver()
    try:
        manager = pgserver.cluster()
        server = manager.__enter__()
    except (OSError, RuntimeError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        reason = (detail.decode(errors="replace").strip().splitlines() or [str(exc)])[-1]
        print(f"PostgreSQL benchmarks skipped: {reason}")
        return []
    out: list[tuple[str, float, float, str]] = []
    try:
        data = work / f"roster-{rows}.csv"
        if not data.exists():
            make_roster(data, rows)
        (work / "bench.yaml").write_text(COHORT_YAML, encoding="utf-8")
        empty = work / "pg-empty-store.db"
        revmental(["cohort", "open", str(work / "bench.yaml")], empty, work)
        on_file, on_server = [], []
        for i in range(runs):
            db = work / f"pg-sqlite-{i}.db"
            shutil.copy(empty, db)
            on_file.append(revmental(["roster", "import", str(data)], db, work)[0])
            url = pgserver.fresh_database(server)
            revmental(["cohort", "open", str(work / "bench.yaml")], url, work)
            on_server.append(revmental(["roster", "import", str(data)], url, work)[0])
            pgserver.drop_database(server, url)
        label = f"roster import {rows:,}, PostgreSQL vs SQLite"
        out.append((label, statistics.median(on_file), statistics.median(on_server), "-"))

        people = 500 if QUICK else 5000
        db = growth_store(work, people)
        url = pgserver.fresh_database(server)
        revmental(["cohort", "open", str(work / f"growth-{people}.yaml")], url, work)
        revmental(["roster", "import", str(work / f"growth-{people}.csv")], url, work)
        fill_register(url, f"GROWTH-{people}")
        # Interleaved, so a busy moment of the machine weighs on both sides alike.
        times: dict[str, list[float]] = {"file": [], "server": []}
        for _ in range(runs):
            times["file"].append(timed(REPORT, {"REVMENTAL_DB": str(db)}))
            times["server"].append(timed(REPORT, {"REVMENTAL_DB": url}))
        pgserver.drop_database(server, url)
        label = f"report completion {people:,}, PostgreSQL vs SQLite"
        out.append(
            (label, statistics.median(times["file"]), statistics.median(times["server"]), "-")
        )
    finally:
        manager.__exit__(None, None, None)
    return out


QUICK = False


def main() -> None:
    global QUICK
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run: a smoke test")
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--only", choices=["startup", "roster", "growth", "zoom", "mooc", "certs", "pg"]
    )
    args = parser.parse_args()
    QUICK = args.quick
    compile_bytecode()
    rows, runs = (2_000, 1) if args.quick else (args.rows, args.runs)
    # (label, baseline, revmental, ratio, target)
    results: list[tuple[str, float, float, float, str]] = []
    peak = 0.0

    def of_medians(rows: list[tuple[str, float, float, str]]) -> None:
        results.extend((label, b, o, o / b, target) for label, b, o, target in rows)

    with tempfile.TemporaryDirectory(prefix="revmental-bench-") as tmp:
        work = Path(tmp)
        if args.only in (None, "startup"):
            results += [(*r, "<= 0.7") for r in bench_startup(runs, work)]
        if args.only in (None, "roster"):
            r = bench_roster(rows, runs, work)
            n = format(r["rows"], ",")
            ours = r["revmental_s"]
            results.append(
                (
                    f"roster import {n} vs own-schema load",
                    r["floor_s"],
                    ours,
                    r["ratio_floor"],
                    "<= 1.2",
                )
            )
            results.append(
                (
                    f"roster import {n} vs one-table load",
                    r["baseline_s"],
                    ours,
                    r["ratio_baseline"],
                    "<= 3.5",
                )
            )
            peak = r["peak_mib"]
        if args.only in (None, "growth"):
            of_medians([(*bench_growth(runs, work), "<= 4.0")])
        if args.only in (None, "zoom"):
            results.append((*bench_zoom(runs, work), "<= 1.5"))
        if args.only in (None, "mooc"):
            of_medians(bench_mooc(runs, work))
        if args.only in (None, "certs"):
            of_medians([(*bench_certificates(runs, work), "<= 1.5")])
        if args.only in (None, "pg"):
            of_medians(bench_pg(rows, runs, work))
    print(f"{'benchmark':<50}{'baseline':>10}{'revmental':>11}{'ratio':>8}{'target':>9}")
    for label, base, ours, ratio, target in results:
        print(f"{label:<50}{base:>9.2f}s{ours:>10.2f}s{ratio:>8.2f}{target:>9}")
    if peak:
        print(f"peak memory of the roster import: {peak:.0f} MiB (target <= 250 MiB)")


if __name__ == "__main__":
    main()
