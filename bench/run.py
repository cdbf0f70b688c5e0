"""Benchmarks that compare revmental with a baseline measured in the same run (ratios).

    python bench/run.py               # full sizes (a few minutes on 2 cores)
    python bench/run.py --quick       # tiny sizes: a smoke run (the test suite runs this)

1. roster import: `revmental roster import` of an N-row CSV (default 200,000) against a bare
   csv.reader + executemany load of the same file into a one-table database (target <= 2.0).

Each figure is the median of --runs runs; the peak memory of the import is reported too.
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
from pathlib import Path

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


def revmental(args: list[str], db: Path, cwd: Path) -> tuple[float, int]:
    """Run the installed command; return wall time and peak memory (KiB, where measurable)."""
    env = {**os.environ, "REVMENTAL_DB": str(db)}
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "revmental_cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"revmental {' '.join(args)} failed:\n{proc.stderr[-2000:]}")
    peak = 0
    try:
        import resource

        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    except ImportError:  # Windows: no resource module
        pass
    return elapsed, peak


def bench_roster(rows: int, runs: int, work: Path) -> dict[str, float]:
    data = work / f"roster-{rows}.csv"
    make_roster(data, rows)
    (work / "bench.yaml").write_text(COHORT_YAML, encoding="utf-8")
    base, ours, peaks = [], [], []
    for i in range(runs):
        base.append(baseline_load(data, work / f"base-{i}.db"))
        db = work / f"store-{i}.db"
        revmental(["cohort", "open", str(work / "bench.yaml")], db, work)
        elapsed, peak = revmental(["roster", "import", str(data)], db, work)
        ours.append(elapsed)
        peaks.append(peak)
    b, o = statistics.median(base), statistics.median(ours)
    return {
        "rows": rows,
        "baseline_s": b,
        "revmental_s": o,
        "ratio": o / b,
        "peak_mib": max(peaks) / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run: a smoke test")
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows, runs = (2_000, 1) if args.quick else (args.rows, args.runs)
    with tempfile.TemporaryDirectory(prefix="revmental-bench-") as tmp:
        r = bench_roster(rows, runs, Path(tmp))
    print(f"{'benchmark':<34}{'baseline':>10}{'revmental':>11}{'ratio':>8}{'target':>8}")
    print(
        f"{'roster import, ' + format(r['rows'], ',') + ' rows':<34}"
        f"{r['baseline_s']:>9.2f}s{r['revmental_s']:>10.2f}s{r['ratio']:>8.2f}{'<= 2.0':>8}"
    )
    print(f"peak memory of the import: {r['peak_mib']:.0f} MiB")


if __name__ == "__main__":
    main()
