"""roster import, show and withdraw through the real commands, on real files and real stores.

Every test runs `revmental roster ...` through the `cli` fixture and checks what a user sees
(exit code, stdout, stderr) and what the store holds afterwards, read with sqlite3 directly.
Sheets other than the committed fixtures are derived from the canonical file in the test's
temporary folder, so each test shows the exact change it makes.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES, RunCli, execute, query, register_tables

pytestmark = pytest.mark.both_backends

ROSTER = FIXTURES / "roster"
CANONICAL = ROSTER / "peserta-prm-2021-ii.csv"
BAD = ROSTER / "peserta-bad.csv"
PRM_ID = "PRM-2021-II"
LATSAR_ID = "LATSAR-2022-XIV"
IMPORT_KEYS = {"cohort", "written", "created", "updated", "unchanged", "rejected"}
SHOW_KEYS = [
    "ndh", "nip", "name", "golongan", "pangkat", "position", "agency", "work_unit", "email",
    "phone", "status",
]  # fmt: skip
# What `roster show --json` adds to the CSV's columns: which number identifies the participant
# (derived from it), and the birth date, sex and employment the roster holds.
SHOW_JSON_EXTRA = ["id_kind", "birth_date", "sex", "employment"]
# Columns of the canonical sheet.
NO, NAME, NIP, PLACE, BORN, SEX, GOL, POSITION, AGENCY, UNIT, EMAIL, PHONE = range(12)
WULAN_GROUPED = "19801006 200204 2 080"  # line 3 of the canonical file
WULAN = "198010062002042080"
UNKNOWN_NIP = "199001012015031001"  # valid, but in no fixture


# --- helpers ----------------------------------------------------------------------------------


def count(db: Path, table: str) -> int:
    return query(db, f"SELECT count(*) FROM {table}")[0][0]


def dump(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables a roster command may touch, in a stable order."""
    return {
        "people": query(db, "SELECT * FROM people ORDER BY nip"),
        "enrollments": query(db, "SELECT * FROM enrollments ORDER BY cohort_id, nip"),
        "history": query(db, "SELECT * FROM history ORDER BY id"),
    }


def roster_history(db: Path) -> list[tuple[Any, ...]]:
    return query(db, "SELECT command, summary FROM history WHERE command LIKE '%roster%'")


def digits(nip: str) -> str:
    return re.sub(r"\D", "", nip)


def read_canonical() -> tuple[list[str], list[list[str]]]:
    text = CANONICAL.read_bytes().decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    return header, rows


def write_sheet(
    path: Path, header: list[str], rows: list[list[str]], *, delimiter: str = ";"
) -> Path:
    """A CSV as Indonesian Excel saves it: UTF-8 with BOM, `;`, CRLF."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
    return path


def without_column(header: list[str], rows: list[list[str]], index: int) -> tuple[list, list]:
    return (
        [h for i, h in enumerate(header) if i != index],
        [[c for i, c in enumerate(r) if i != index] for r in rows],
    )


def make_nip(n: int) -> str:
    """A valid NIP of a fictional man born on day n of January 1990, none in the fixtures."""
    return f"199001{n:02d}2015031{n:03d}"


def extra_rows(first_no: int, how_many: int) -> list[list[str]]:
    """Valid participants not in any fixture, numbered from ``first_no``."""
    return [
        [
            str(first_no + i),
            f"Peserta Tambahan {i + 1}, S.E.",
            make_nip(i + 1),
            "Bandung",
            "",
            "L",
            "III/a",
            "Analis",
            "Instansi Contoh",
            "Unit Contoh",
            f"tambahan{i + 1}@x.example",
            f"0812000000{i + 1:02d}",
        ]
        for i in range(how_many)
    ]


def error_lines(stderr: str) -> list[str]:
    """The `line N: ...` lines of stderr, without their indentation."""
    return [s.strip() for s in stderr.splitlines() if s.strip().startswith("line ")]


def lines_named(stderr: str) -> set[int]:
    return {int(m.group(1)) for s in error_lines(stderr) if (m := re.match(r"line (\d+):", s))}


def expected_bad() -> list[tuple[int, str]]:
    out = []
    for text in (ROSTER / "peserta-bad.expected.txt").read_text(encoding="utf-8").splitlines():
        if text.strip():
            number, message = re.match(r"line (\d+): (.*)$", text).groups()
            out.append((int(number), message))
    return out


def import_json(cli: RunCli, *args: str) -> tuple[int, dict[str, Any], str]:
    run = cli("roster", "import", *args, "--json")
    return run.exit_code, run.json(), run.stderr


def no_traceback(run: Any) -> None:
    assert "Traceback" not in run.stderr + run.stdout
    assert "Error:" not in run.stdout


@pytest.fixture
def latsar(cli: RunCli, examples: Path) -> Path:
    """The LATSAR example (no capacity) open as well; it becomes current."""
    run = cli("cohort", "open", str(examples / "latsar-2022-xiv.yaml"))
    assert run.exit_code == 0, run.stderr
    return examples / "latsar-2022-xiv.yaml"


@pytest.fixture
def imported(cli: RunCli, prm: Path, store_path: Path) -> Path:
    """PRM-2021-II with the canonical roster in it."""
    run = cli("roster", "import", str(CANONICAL))
    assert run.exit_code == 0, run.stderr
    return store_path


# --- 1. the canonical file ----------------------------------------------------------------------


def test_canonical_import_json_has_exactly_the_contract_keys(
    cli: RunCli, prm: Path, store_path: Path
) -> None:
    run = cli("roster", "import", str(CANONICAL), "--json")
    assert run.exit_code == 0, run.stderr
    data = run.json()
    assert set(data) == IMPORT_KEYS
    assert data == {
        "cohort": PRM_ID,
        "written": True,
        "created": 25,
        "updated": 0,
        "unchanged": 0,
        "rejected": [],
    }


@pytest.mark.sqlite_file
def test_canonical_import_stores_ndh_from_the_no_column_and_nips_as_text(
    cli: RunCli, imported: Path
) -> None:
    _, rows = read_canonical()
    stored = dict(
        query(imported, "SELECT nip, ndh FROM enrollments WHERE cohort_id = ?", (PRM_ID,))
    )
    assert len(stored) == 25
    assert stored == {digits(r[NIP]): int(r[NO]) for r in rows}
    assert sorted(stored.values()) == list(range(1, 26))
    for table in ("people", "enrollments"):
        kinds = query(imported, f"SELECT DISTINCT typeof(nip), length(nip) FROM {table}")
        assert kinds == [("text", 18)], table
    # A NIP starting with 2000 must not lose anything either.
    assert query(imported, "SELECT nip FROM people WHERE nip LIKE '2000%'") == [
        ("200012242020071651",)
    ]


def test_canonical_import_keeps_names_as_written_and_normalises_the_rest(
    cli: RunCli, imported: Path
) -> None:
    _, rows = read_canonical()
    people = {
        r[0]: r[1:]
        for r in query(
            imported,
            "SELECT nip, name, golongan, pangkat, phone, email, position, agency, sex, "
            "birth_date FROM people",
        )
    }
    assert len(people) == 25
    for row in rows:
        name, golongan, _, phone, email, position, agency, sex, born = people[digits(row[NIP])]
        assert name == row[NAME]  # titles and all
        assert re.fullmatch(r"(I|II|III|IV)/[a-e]", golongan), golongan
        assert re.fullmatch(r"\+62\d{8,12}", phone), phone
        assert phone[3:] == digits(row[PHONE]).removeprefix("62").removeprefix("0")
        assert (email, position, agency) == (row[EMAIL], row[POSITION], row[AGENCY])
        assert sex == ("L" if digits(row[NIP])[14] == "1" else "P")
        nip = digits(row[NIP])
        assert born == f"{nip[:4]}-{nip[4:6]}-{nip[6:8]}"
    fauzi = people["198309222012091919"]
    assert fauzi[:4] == (
        "Dr. Ir. H. Ahmad Fauzi, M.Si.",
        "IV/c",
        "Pembina Utama Muda",
        "+6281256627199",
    )
    # Other spellings of the same thing.
    assert people["199408022017112466"][1:3] == (
        "III/d",
        "Penata Tingkat I",
    )  # Penata Tk. I (III/d)
    assert people["199312232016072178"][1:4] == ("III/a", "Penata Muda", "+6281211886072")  # IIIa
    assert people["197804152008032994"][1] == "IV/a"  # IV-a
    assert people["197208022002122886"][1] == "III/d"  # III.d
    assert people["199008122011031301"][3] == "+6285290319811"  # (0852) 9031 9811


def test_importing_the_same_file_again_changes_nothing_but_history(
    cli: RunCli, imported: Path
) -> None:
    before = dump(imported)
    code, data, stderr = import_json(cli, str(CANONICAL))
    assert code == 0, stderr
    assert (data["created"], data["updated"], data["unchanged"]) == (0, 0, 25)
    assert data["rejected"] == []
    after = dump(imported)
    assert after["people"] == before["people"]
    assert after["enrollments"] == before["enrollments"]
    assert after["history"][: len(before["history"])] == before["history"]
    assert len(after["history"]) == len(before["history"]) + 1


# --- 2. encodings and workbooks -----------------------------------------------------------------


def _names_in(path: Path) -> list[str]:
    """The names a fixture holds, read independently of the product."""
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True)["Peserta"]
        return [r[1] for r in sheet.iter_rows(min_row=4, values_only=True) if r[1]]
    raw = path.read_bytes()
    if raw.startswith(b"\xff\xfe"):
        text, delimiter = raw[2:].decode("utf-16-le"), "\t"
    else:
        text, delimiter = raw.decode("cp1252"), ","
    _, *rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return [r[1] for r in rows if r]


@pytest.mark.parametrize(
    "name",
    ["peserta-cp1252.csv", "peserta-utf16.txt", "peserta-utf16.csv", "peserta.xlsx"],
)
def test_other_encodings_and_workbooks_import_names_exactly(
    cli: RunCli, latsar: Path, store_path: Path, name: str
) -> None:
    path = ROSTER / name
    names = _names_in(path)
    assert len(names) >= 10
    code, data, stderr = import_json(cli, str(path), "--cohort", LATSAR_ID)
    assert code == 0, stderr
    assert data["created"] == len(names) and data["rejected"] == []
    stored = query(
        store_path,
        "SELECT p.name FROM enrollments e JOIN people p USING (nip) WHERE e.cohort_id = ? "
        "ORDER BY e.ndh",
        (LATSAR_ID,),
    )
    assert [n for (n,) in stored] == names
    ndh = query(store_path, "SELECT ndh FROM enrollments ORDER BY ndh")
    assert [n for (n,) in ndh] == list(range(1, len(names) + 1))
    if name == "peserta-cp1252.csv":
        assert "Andréas Wijaya, S.T." in names
        assert query(store_path, "SELECT count(*) FROM people WHERE name LIKE 'Andréas%'") == [(1,)]


@pytest.mark.sqlite_file
def test_xlsx_holds_the_same_people_as_the_canonical_csv(
    cli: RunCli, latsar: Path, store_path: Path
) -> None:
    assert cli("roster", "import", str(ROSTER / "peserta.xlsx")).exit_code == 0
    _, rows = read_canonical()
    stored = query(store_path, "SELECT nip, name FROM people ORDER BY nip")
    assert stored == sorted((digits(r[NIP]), r[NAME]) for r in rows)
    assert [t for (t,) in query(store_path, "SELECT DISTINCT typeof(nip) FROM people")] == ["text"]


def test_xlsx_with_numeric_nips_is_refused_with_the_excel_fix(
    cli: RunCli, latsar: Path, store_path: Path
) -> None:
    before = dump(store_path)
    run = cli("roster", "import", str(ROSTER / "peserta-numeric-nip.xlsx"))
    assert run.exit_code == 1
    no_traceback(run)
    assert lines_named(run.stderr) == {7, 20}
    for line in error_lines(run.stderr):
        assert line.startswith(("line 7: NIP:", "line 20: NIP:")), line
        assert "Excel" in line and "Text" in line, line
    assert count(store_path, "enrollments") == 0
    assert dump(store_path) == before


def test_sheet_option_picks_the_sheet_and_an_unknown_one_lists_them(
    cli: RunCli, latsar: Path, store_path: Path
) -> None:
    workbook = str(ROSTER / "peserta.xlsx")
    run = cli("roster", "import", workbook, "--sheet", "Nope")
    assert run.exit_code == 1
    no_traceback(run)
    assert "Nope" in run.stderr and "Peserta" in run.stderr and "Rekap" in run.stderr
    run = cli("roster", "import", workbook, "--sheet", "Rekap")
    assert run.exit_code == 1  # a summary sheet has no NIP column
    no_traceback(run)
    assert "peserta.xlsx" in run.stderr and "Keterangan" in run.stderr
    assert count(store_path, "enrollments") == 0
    code, data, stderr = import_json(cli, workbook, "--sheet", "Peserta")
    assert code == 0, stderr
    assert data["created"] == 25


# --- 3. invalid rows: all or nothing --------------------------------------------------------------


def test_bad_file_lists_every_problem_and_writes_nothing(
    cli: RunCli, prm: Path, store_path: Path
) -> None:
    before = dump(store_path)
    run = cli("roster", "import", str(BAD))
    assert run.exit_code == 1
    no_traceback(run)
    got = error_lines(run.stderr)
    for number, message in expected_bad():
        prefix = f"line {number}: {message}"
        assert any(line.startswith(prefix) for line in got), (prefix, got)
    assert lines_named(run.stderr) == {n for n, _ in expected_bad()}
    assert count(store_path, "people") == 0
    assert count(store_path, "enrollments") == 0
    assert roster_history(store_path) == []
    assert dump(store_path) == before


def test_bad_file_json_reports_written_false_and_the_rejected_lines(
    cli: RunCli, prm: Path, store_path: Path
) -> None:
    code, data, _ = import_json(cli, str(BAD))
    assert code == 1
    assert set(data) == IMPORT_KEYS
    assert data["written"] is False
    expected = expected_bad()
    assert [r["line"] for r in data["rejected"]] == [n for n, _ in expected]
    for item, (_, message) in zip(data["rejected"], expected, strict=True):
        assert set(item) == {"line", "errors"}
        assert item["errors"] and item["errors"][0].startswith(message), (item, message)
    assert count(store_path, "enrollments") == 0


def _valid_bad_file_nips() -> set[str]:
    text = BAD.read_bytes().decode("utf-8-sig")
    _, *rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    rejected = {n for n, _ in expected_bad()}
    return {digits(r[NIP]) for line, r in enumerate(rows, start=2) if line not in rejected}


def test_skip_invalid_writes_the_three_valid_rows(cli: RunCli, prm: Path, store_path: Path) -> None:
    code, data, stderr = import_json(cli, str(BAD), "--skip-invalid")
    assert code == 0, stderr
    assert data["written"] is True
    assert data["created"] == 3
    assert [r["line"] for r in data["rejected"]] == [n for n, _ in expected_bad()]
    nips = {n for (n,) in query(store_path, "SELECT nip FROM enrollments")}
    assert nips == _valid_bad_file_nips()
    assert len(nips) == 3
    assert count(store_path, "people") == 3
    assert len(roster_history(store_path)) == 1


def test_rejects_file_has_the_original_columns_line_and_errors(
    cli: RunCli, prm: Path, store_path: Path, isolated: Path
) -> None:
    out = isolated / "out.csv"
    run = cli("roster", "import", str(BAD), "--skip-invalid", "--rejects", str(out))
    assert run.exit_code == 0, run.stderr
    header = BAD.read_bytes().decode("utf-8-sig").splitlines()[0].split(";")
    with out.open(encoding="utf-8-sig", newline="") as fh:
        columns, *rows = list(csv.reader(fh))
    assert columns[: len(header)] == header
    assert columns[-2:] == ["line", "errors"]
    expected = expected_bad()
    assert [int(r[-2]) for r in rows] == [n for n, _ in expected]
    for row, (_, message) in zip(rows, expected, strict=True):
        assert len(row) == len(columns)
        assert row[-1].startswith(message), (row[-1], message)
    # The original cells come back as written (the Excel-damaged NIP of line 3).
    assert rows[0][columns.index("NIP")] == "1,98807E+17"
    if sys.platform != "win32":
        assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_rejects_file_neutralises_formulas_and_is_written_even_when_nothing_is_imported(
    cli: RunCli, prm: Path, store_path: Path, isolated: Path
) -> None:
    header, rows = read_canonical()
    rows = rows[:3]
    rows[1][NIP] = "12345"
    rows[1][POSITION] = '=HYPERLINK("http://x.example","klik")'
    rows[1][UNIT] = "@SUM(A1)"
    sheet = write_sheet(isolated / "formula.csv", header, rows)
    out = isolated / "rejects.csv"
    before = dump(store_path)
    run = cli("roster", "import", str(sheet), "--rejects", str(out))
    assert run.exit_code == 1
    assert dump(store_path) == before
    with out.open(encoding="utf-8-sig", newline="") as fh:
        columns, *got = list(csv.reader(fh))
    assert len(got) == 1
    record = dict(zip(columns, got[0], strict=True))
    assert record["line"] == "3"
    assert record["Jabatan"] == "'" + rows[1][POSITION]
    assert record["Unit Kerja"] == "'@SUM(A1)"
    assert record["NIP"] == "12345"  # text that is no formula is left alone
    if sys.platform != "win32":
        assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_rejects_file_replaces_an_existing_file_and_makes_it_private(
    cli: RunCli, prm: Path, isolated: Path
) -> None:
    out = isolated / "out.csv"
    out.write_text("old content\n", encoding="utf-8")
    out.chmod(0o644)
    run = cli("roster", "import", str(BAD), "--dry-run", "--rejects", str(out))
    assert run.exit_code == 1
    text = out.read_text(encoding="utf-8-sig")
    assert "old content" not in text
    assert len(list(csv.reader(io.StringIO(text)))) == 1 + len(expected_bad())
    if sys.platform != "win32":
        assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_an_unwritable_rejects_path_writes_nothing(
    cli: RunCli, prm: Path, store_path: Path, isolated: Path
) -> None:
    out = isolated / "no-such-folder" / "out.csv"
    before = dump(store_path)
    run = cli("roster", "import", str(BAD), "--skip-invalid", "--rejects", str(out))
    assert run.exit_code == 1
    assert "out.csv" in run.stderr
    no_traceback(run)
    assert dump(store_path) == before


def test_dry_run_reports_what_would_happen_and_writes_nothing(
    cli: RunCli, prm: Path, store_path: Path
) -> None:
    before = dump(store_path)
    code, data, stderr = import_json(cli, str(CANONICAL), "--dry-run")
    assert code == 0, stderr
    assert data == {
        "cohort": PRM_ID,
        "written": False,
        "created": 25,
        "updated": 0,
        "unchanged": 0,
        "rejected": [],
    }
    assert dump(store_path) == before
    run = cli("roster", "import", str(CANONICAL), "--dry-run")
    assert run.exit_code == 0
    assert PRM_ID in run.stdout and "25" in run.stdout
    assert dump(store_path) == before


def test_dry_run_of_the_bad_file_exits_1_and_writes_nothing(
    cli: RunCli, prm: Path, store_path: Path
) -> None:
    before = dump(store_path)
    code, data, _ = import_json(cli, str(BAD), "--dry-run")
    assert code == 1
    assert data["written"] is False
    assert len(data["rejected"]) == len(expected_bad())
    assert dump(store_path) == before


def test_dry_run_after_an_import_counts_updates_without_writing(
    cli: RunCli, imported: Path, isolated: Path
) -> None:
    header, rows = read_canonical()
    rows[0][EMAIL] = "fauzi.baru@lan.example"
    sheet = write_sheet(isolated / "changed.csv", header, rows)
    before = dump(imported)
    code, data, stderr = import_json(cli, str(sheet), "--dry-run")
    assert code == 0, stderr
    assert (data["created"], data["updated"], data["unchanged"]) == (0, 1, 24)
    assert data["written"] is False
    assert dump(imported) == before


# --- 4. capacity ----------------------------------------------------------------------------------


def test_capacity_is_checked_for_the_whole_file(
    cli: RunCli, prm: Path, store_path: Path, isolated: Path
) -> None:
    header, rows = read_canonical()
    sheet = write_sheet(isolated / "thirty.csv", header, rows + extra_rows(26, 5))
    before = dump(store_path)
    run = cli("roster", "import", str(sheet))
    assert run.exit_code == 1
    no_traceback(run)
    assert lines_named(run.stderr) == {27, 28, 29, 30, 31}
    for line in error_lines(run.stderr):
        assert "full" in line and "25" in line, line
    assert dump(store_path) == before

    code, data, stderr = import_json(cli, str(sheet), "--skip-invalid")
    assert code == 0, stderr
    assert data["created"] == 25
    assert [r["line"] for r in data["rejected"]] == [27, 28, 29, 30, 31]
    nips = {n for (n,) in query(store_path, "SELECT nip FROM enrollments")}
    assert nips == {digits(r[NIP]) for r in rows}


def test_a_full_cohort_still_accepts_updates_of_its_participants(
    cli: RunCli, imported: Path, isolated: Path
) -> None:
    header, rows = read_canonical()
    rows[4][EMAIL] = "ani.baru@bkn.example"
    sheet = write_sheet(isolated / "update.csv", header, rows)
    code, data, stderr = import_json(cli, str(sheet))
    assert code == 0, stderr
    assert (data["created"], data["updated"], data["unchanged"]) == (0, 1, 24)


# --- 5. NDH ---------------------------------------------------------------------------------------


def test_a_file_without_a_no_column_is_numbered_in_file_order(
    cli: RunCli, prm: Path, store_path: Path, isolated: Path
) -> None:
    header, rows = without_column(*read_canonical(), NO)
    first = write_sheet(isolated / "first.csv", header, rows[:10])
    second = write_sheet(isolated / "second.csv", header, rows[10:])
    code, data, stderr = import_json(cli, str(first))
    assert code == 0, stderr
    assert data["created"] == 10

    def ndh() -> dict[str, int]:
        return dict(query(store_path, "SELECT nip, ndh FROM enrollments"))

    assert ndh() == {digits(r[NIP - 1]): i for i, r in enumerate(rows[:10], start=1)}
    code, data, stderr = import_json(cli, str(second))
    assert code == 0, stderr
    assert data["created"] == 15
    assert ndh() == {digits(r[NIP - 1]): i for i, r in enumerate(rows, start=1)}
    before = dump(store_path)
    code, data, stderr = import_json(cli, str(first))
    assert code == 0, stderr
    assert (data["created"], data["updated"], data["unchanged"]) == (0, 0, 10)
    assert dump(store_path)["enrollments"] == before["enrollments"]


def test_files_without_no_continue_the_numbering(
    cli: RunCli, imported: Path, latsar: Path, isolated: Path
) -> None:
    """One new participant per file, so the numbering bug above does not hide this."""
    header, rows = without_column(*read_canonical(), NO)
    # PRM holds NDH 1..25 from the canonical No column; make room for one more.
    assert cli("roster", "withdraw", WULAN, "--cohort", PRM_ID).exit_code == 0
    sheet = write_sheet(isolated / "one-more.csv", header, [extra_rows(1, 1)[0][1:]])
    code, data, stderr = import_json(cli, str(sheet), "--cohort", PRM_ID)
    assert code == 0, stderr
    assert data["created"] == 1
    assert query(imported, "SELECT ndh FROM enrollments WHERE nip = ?", (make_nip(1),)) == [(26,)]
    # An empty cohort numbers one-row files 1, 2, 3.
    for number, row in enumerate(extra_rows(1, 3), start=1):
        sheet = write_sheet(isolated / f"latsar-{number}.csv", header, [row[1:]])
        code, data, stderr = import_json(cli, str(sheet), "--cohort", LATSAR_ID)
        assert code == 0, stderr
        assert data["created"] == 1
        got = query(
            imported,
            "SELECT ndh FROM enrollments WHERE cohort_id = ? AND nip = ?",
            (LATSAR_ID, make_nip(number)),
        )
        assert got == [(number,)]
    # Re-importing the canonical file without its No column keeps everybody's NDH.
    before = dump(imported)["enrollments"]
    sheet = write_sheet(isolated / "canonical-no-no.csv", header, rows)
    code, data, stderr = import_json(cli, str(sheet), "--cohort", PRM_ID)
    assert code == 0, stderr
    assert (data["created"], data["updated"], data["unchanged"]) == (0, 0, 25)
    assert dump(imported)["enrollments"] == before


def test_a_file_may_swap_two_ndh(cli: RunCli, imported: Path, isolated: Path) -> None:
    header, rows = read_canonical()
    rows[0][NO], rows[1][NO] = "2", "1"
    sheet = write_sheet(isolated / "swapped.csv", header, rows)
    code, data, stderr = import_json(cli, str(sheet))
    assert code == 0, stderr
    assert (data["created"], data["updated"], data["unchanged"]) == (0, 2, 23)
    got = dict(query(imported, "SELECT nip, ndh FROM enrollments"))
    assert (got["198309222012091919"], got[WULAN]) == (2, 1)
    assert sorted(got.values()) == list(range(1, 26))


def test_a_duplicate_no_rejects_the_line_and_names_the_other(
    cli: RunCli, prm: Path, store_path: Path, isolated: Path
) -> None:
    header, rows = read_canonical()
    rows[4][NO] = "3"  # line 6 says 3, like line 4
    sheet = write_sheet(isolated / "dup-no.csv", header, rows)
    run = cli("roster", "import", str(sheet))
    assert run.exit_code == 1
    got = error_lines(run.stderr)
    assert len(got) == 1, got
    assert got[0].startswith("line 6: No:")
    assert "line 4" in got[0]
    assert count(store_path, "enrollments") == 0


def test_an_ndh_taken_by_another_participant_is_rejected(
    cli: RunCli, imported: Path, isolated: Path
) -> None:
    header, _ = read_canonical()
    extra = extra_rows(7, 1)  # a new participant claiming NDH 7, which line 8 holds
    sheet = write_sheet(isolated / "taken.csv", header, extra)
    run = cli("roster", "withdraw", WULAN)  # room for one more
    assert run.exit_code == 0, run.stderr
    before = dump(imported)
    run = cli("roster", "import", str(sheet))
    assert run.exit_code == 1
    got = error_lines(run.stderr)
    assert len(got) == 1 and got[0].startswith("line 2: No: number 7"), got
    assert dump(imported) == before


# --- 6. updates -----------------------------------------------------------------------------------


def test_changed_cells_update_the_person(cli: RunCli, imported: Path, isolated: Path) -> None:
    header, rows = read_canonical()
    rows[2][EMAIL] = "siti.baru@jabarprov.example"
    rows[2][POSITION] = "Analis SDM Aparatur Ahli Madya"
    sheet = write_sheet(isolated / "changed.csv", header, rows)
    before = dump(imported)
    code, data, stderr = import_json(cli, str(sheet))
    assert code == 0, stderr
    assert (data["created"], data["updated"], data["unchanged"]) == (0, 1, 24)
    nip = digits(rows[2][NIP])
    assert query(imported, "SELECT email, position FROM people WHERE nip = ?", (nip,)) == [
        ("siti.baru@jabarprov.example", "Analis SDM Aparatur Ahli Madya")
    ]
    others = [p for p in dump(imported)["people"] if p[0] != nip]
    assert others == [p for p in before["people"] if p[0] != nip]
    assert dump(imported)["enrollments"] == before["enrollments"]


def test_a_missing_or_empty_column_never_erases(
    cli: RunCli, imported: Path, isolated: Path
) -> None:
    header, rows = read_canonical()
    before = dump(imported)
    no_email = write_sheet(isolated / "no-email.csv", *without_column(header, rows, EMAIL))
    code, data, stderr = import_json(cli, str(no_email))
    assert code == 0, stderr
    assert (data["created"], data["updated"], data["unchanged"]) == (0, 0, 25)
    rows[0][EMAIL] = ""
    rows[1][PHONE] = ""
    rows[2][POSITION] = ""
    empty = write_sheet(isolated / "empty-cells.csv", header, rows)
    code, data, stderr = import_json(cli, str(empty))
    assert code == 0, stderr
    assert (data["created"], data["updated"], data["unchanged"]) == (0, 0, 25)
    assert dump(imported)["people"] == before["people"]
    assert query(imported, "SELECT count(*) FROM people WHERE email IS NULL OR phone IS NULL") == [
        (0,)
    ]
    # A row that does change keeps what its empty cells and the missing column do not say.
    rows[0][POSITION] = "Kepala Bidang Baru"
    header, rows = without_column(header, rows, PHONE)
    changed = write_sheet(isolated / "changed-and-empty.csv", header, rows)
    code, data, stderr = import_json(cli, str(changed))
    assert code == 0, stderr
    assert (data["created"], data["updated"], data["unchanged"]) == (0, 1, 24)
    assert query(
        imported, "SELECT position, email, phone FROM people WHERE nip = '198309222012091919'"
    ) == [("Kepala Bidang Baru", "ahmad.fauzi@lan.example", "+6281256627199")]


# --- 7. people are global -------------------------------------------------------------------------


def test_one_person_two_cohorts_without_an_overlap_warning(
    cli: RunCli, prm: Path, latsar: Path, store_path: Path
) -> None:
    run = cli("roster", "import", str(CANONICAL), "--cohort", PRM_ID)
    assert run.exit_code == 0, run.stderr
    run = cli("roster", "import", str(CANONICAL), "--cohort", LATSAR_ID, "--json")
    assert run.exit_code == 0, run.stderr
    assert run.json()["created"] == 25
    assert "also enrolled" not in run.stderr
    assert count(store_path, "people") == 25
    assert count(store_path, "enrollments") == 50
    per_nip = query(store_path, "SELECT nip, count(*) FROM enrollments GROUP BY nip")
    assert {c for _, c in per_nip} == {2}


def test_overlapping_cohorts_warn(
    cli: RunCli, imported: Path, tmp_path: Path, examples: Path
) -> None:
    text = (examples / "prm-2021-ii.yaml").read_text(encoding="utf-8")
    assert text.count("id: PRM-2021-II\n") == 1 and text.count("angkatan: 2 ") == 1
    third = tmp_path / "other" / "prm-2021-iii.yaml"
    third.parent.mkdir()
    third.write_text(
        text.replace("id: PRM-2021-II\n", "id: PRM-2021-III\n").replace(
            "angkatan: 2 ", "angkatan: 3 "
        ),
        encoding="utf-8",
    )
    run = cli("cohort", "open", str(third))
    assert run.exit_code == 0, run.stderr
    run = cli("roster", "import", str(CANONICAL), "--cohort", "PRM-2021-III", "--json")
    assert run.exit_code == 0, run.stderr
    assert run.json()["created"] == 25
    warnings = [s for s in run.stderr.splitlines() if "also enrolled in PRM-2021-II" in s]
    assert len(warnings) == 25
    assert any(WULAN in s for s in warnings)
    assert count(imported, "people") == 25


# --- 8. roster show -------------------------------------------------------------------------------


def markup_sheet(folder: Path) -> Path:
    header, rows = read_canonical()
    rows = rows[:3]
    rows[0][NAME] = "Budi [bold]Santoso[/]"
    rows[1][NAME] = "[red]Ani[/red] [/]"
    rows[0][POSITION] = '=HYPERLINK("x")'
    rows[1][AGENCY] = "-Instansi"
    rows[2][UNIT] = "@Unit"
    return write_sheet(folder / "markup.csv", header, rows)


def test_show_table_names_the_cohort(cli: RunCli, imported: Path) -> None:
    run = cli("roster", "show")
    assert run.exit_code == 0, run.stderr
    assert PRM_ID in run.stdout
    assert "198309222012091919" in run.stdout and "Wulan Sari" in run.stdout


def test_show_json_has_exactly_the_contract_keys(cli: RunCli, imported: Path) -> None:
    run = cli("roster", "show", "--json")
    assert run.exit_code == 0, run.stderr
    data = run.json()
    assert isinstance(data, list) and len(data) == 25
    for item in data:
        assert list(item) == [*SHOW_KEYS, *SHOW_JSON_EXTRA]
        assert item["status"] == "enrolled" and item["id_kind"] == "nip"
        assert isinstance(item["nip"], str) and len(item["nip"]) == 18
    assert [item["ndh"] for item in data] == list(range(1, 26))
    assert data[0]["golongan"] == "IV/c" and data[0]["pangkat"] == "Pembina Utama Muda"
    assert data[0]["phone"] == "+6281256627199"


def test_show_csv_is_a_spreadsheet_with_formulas_neutralised(cli: RunCli, imported: Path) -> None:
    run = cli("roster", "show", "--format", "csv")
    assert run.exit_code == 0, run.stderr
    header, *rows = list(csv.reader(io.StringIO(run.stdout, newline="")))
    assert header == SHOW_KEYS
    assert len(rows) == 25
    phones = [r[SHOW_KEYS.index("phone")] for r in rows]
    assert all(p.startswith("'+62") for p in phones), phones
    assert rows[0][SHOW_KEYS.index("nip")] == "198309222012091919"
    assert rows[0][SHOW_KEYS.index("name")] == "Dr. Ir. H. Ahmad Fauzi, M.Si."


def test_show_prints_markup_literally_and_guards_formulas(
    cli: RunCli, prm: Path, isolated: Path
) -> None:
    run = cli("roster", "import", str(markup_sheet(isolated)))
    assert run.exit_code == 0, run.stderr
    run = cli("roster", "show")
    assert run.exit_code == 0, run.stderr
    assert "Budi [bold]Santoso[/]" in run.stdout
    assert "[red]Ani[/red] [/]" in run.stdout
    run = cli("roster", "show", "--json")
    assert [r["name"] for r in run.json()[:2]] == ["Budi [bold]Santoso[/]", "[red]Ani[/red] [/]"]
    assert run.json()[0]["position"] == '=HYPERLINK("x")'  # JSON keeps data as it is
    run = cli("roster", "show", "--format", "csv")
    _, *rows = list(csv.reader(io.StringIO(run.stdout, newline="")))
    assert rows[0][SHOW_KEYS.index("name")] == "Budi [bold]Santoso[/]"
    assert rows[0][SHOW_KEYS.index("position")] == '\'=HYPERLINK("x")'
    assert rows[1][SHOW_KEYS.index("agency")] == "'-Instansi"
    assert rows[2][SHOW_KEYS.index("work_unit")] == "'@Unit"
    assert rows[0][SHOW_KEYS.index("ndh")] == "1"


def test_show_with_an_unknown_format_is_a_usage_error(cli: RunCli, imported: Path) -> None:
    run = cli("roster", "show", "--format", "xml")
    assert run.exit_code == 2
    assert "xml" in run.stderr
    assert run.stdout == ""


def test_show_of_an_empty_roster(cli: RunCli, prm: Path) -> None:
    run = cli("roster", "show", "--json")
    assert run.exit_code == 0
    assert run.json() == []
    run = cli("roster", "show", "--format", "csv")
    assert run.exit_code == 0
    assert list(csv.reader(io.StringIO(run.stdout))) == [SHOW_KEYS]


# --- 9. withdraw ----------------------------------------------------------------------------------


def test_withdraw_by_grouped_nip_records_status_reason_and_history(
    cli: RunCli, imported: Path
) -> None:
    history = count(imported, "history")
    run = cli("roster", "withdraw", WULAN_GROUPED, "--reason", "mutasi jabatan")
    assert run.exit_code == 0, run.stderr
    assert PRM_ID in run.stderr + run.stdout
    status = {r["nip"]: r["status"] for r in cli("roster", "show", "--json").json()}
    assert status[WULAN] == "withdrawn"
    assert sum(s == "enrolled" for s in status.values()) == 24
    assert query(
        imported, "SELECT status, withdrawn_reason FROM enrollments WHERE nip = ?", (WULAN,)
    ) == [("withdrawn", "mutasi jabatan")]
    assert count(imported, "history") == history + 1
    (summary,) = query(imported, "SELECT summary FROM history ORDER BY rowid DESC LIMIT 1")[0]
    assert WULAN in summary and "mutasi jabatan" in summary
    # A second withdrawal changes nothing.
    before = dump(imported)
    assert cli("roster", "withdraw", WULAN).exit_code == 0
    assert dump(imported) == before


def test_withdraw_an_unknown_or_invalid_nip_exits_1(cli: RunCli, imported: Path) -> None:
    before = dump(imported)
    run = cli("roster", "withdraw", UNKNOWN_NIP)
    assert run.exit_code == 1
    assert UNKNOWN_NIP in run.stderr and PRM_ID in run.stderr
    run = cli("roster", "withdraw", "12345")
    assert run.exit_code == 1
    assert "12345" in run.stderr
    no_traceback(run)
    assert dump(imported) == before


def test_a_closed_cohort_refuses_import_and_withdraw(
    cli: RunCli, imported: Path, isolated: Path
) -> None:
    assert cli("cohort", "close").exit_code == 0
    header, rows = read_canonical()
    rows[0][EMAIL] = "baru@lan.example"
    sheet = write_sheet(isolated / "changed.csv", header, rows)
    before = dump(imported)
    for args in (
        ("roster", "import", str(sheet)),
        ("roster", "import", str(sheet), "--skip-invalid"),
        ("roster", "withdraw", WULAN),
    ):
        run = cli(*args)
        assert run.exit_code == 1, args
        assert "closed" in run.stderr
        no_traceback(run)
    assert dump(imported) == before
    assert cli("roster", "show", "--json").exit_code == 0  # reading is still fine


# --- 10. whole-file errors ------------------------------------------------------------------------


def _png(folder: Path) -> Path:
    path = folder / "foto.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)))
    return path


def _zip(folder: Path) -> Path:
    path = folder / "arsip.csv"
    shutil.copy(ROSTER / "peserta.xlsx", path)
    return path


def _empty(folder: Path) -> Path:
    path = folder / "kosong.csv"
    path.write_bytes(b"")
    return path


def _xls(folder: Path) -> Path:
    path = folder / "lama.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))
    return path


def _folder(folder: Path) -> Path:
    path = folder / "peserta-folder.csv"
    path.mkdir()
    return path


def _missing(folder: Path) -> Path:
    return folder / "tidak-ada.csv"


@pytest.mark.parametrize("make", [_missing, _folder, _empty, _png, _zip, _xls])
def test_unreadable_files_exit_1_naming_the_file(
    cli: RunCli, prm: Path, store_path: Path, isolated: Path, make: Any
) -> None:
    path = make(isolated)
    before = dump(store_path)
    for extra in ((), ("--dry-run",), ("--skip-invalid",), ("--json",)):
        run = cli("roster", "import", str(path), *extra)
        assert run.exit_code == 1, (extra, run.stderr)
        assert path.name in run.stderr
        assert run.stdout == ""
        no_traceback(run)
    assert dump(store_path) == before


def test_a_sheet_without_a_nip_column_lists_the_headers_found(
    cli: RunCli, prm: Path, store_path: Path, isolated: Path
) -> None:
    header, rows = without_column(*read_canonical(), NIP)
    sheet = write_sheet(isolated / "tanpa-nip.csv", header, rows)
    before = dump(store_path)
    run = cli("roster", "import", str(sheet))
    assert run.exit_code == 1
    no_traceback(run)
    assert "tanpa-nip.csv" in run.stderr and "NIP" in run.stderr
    for found in ("Nama Lengkap", "Tempat Lahir", "Unit Kerja", "No. HP"):
        assert found in run.stderr
    assert dump(store_path) == before


@pytest.mark.parametrize(("option", "value"), [("--delimiter", "x"), ("--encoding", "nope")])
def test_bad_delimiter_or_encoding_is_a_usage_error(
    cli: RunCli, prm: Path, store_path: Path, option: str, value: str
) -> None:
    """An option's value the tool does not know, like Typer's "Invalid value": exit 2."""
    before = dump(store_path)
    run = cli("roster", "import", str(CANONICAL), option, value)
    assert run.exit_code == 2
    assert option.removeprefix("--") in run.stderr and value in run.stderr
    no_traceback(run)
    assert dump(store_path) == before


def test_forced_delimiter_and_encoding_are_used(
    cli: RunCli, latsar: Path, store_path: Path
) -> None:
    code, data, stderr = import_json(
        cli, str(ROSTER / "peserta-cp1252.csv"), "--encoding", "cp1252", "--delimiter", ","
    )
    assert code == 0, stderr
    assert data["created"] == 10
    assert query(store_path, "SELECT count(*) FROM people WHERE name = 'Andréas Wijaya, S.T.'") == [
        (1,)
    ]
    # A forced encoding that does not fit says where.
    run = cli("roster", "import", str(ROSTER / "peserta-cp1252.csv"), "--encoding", "utf-8")
    assert run.exit_code == 1
    assert "peserta-cp1252.csv" in run.stderr and "line 2" in run.stderr
    no_traceback(run)
    # The wrong delimiter makes one column: no NIP column is found, nothing is written.
    run = cli("roster", "import", str(CANONICAL), "--delimiter", ",")
    assert run.exit_code == 1
    assert "NIP" in run.stderr and CANONICAL.name in run.stderr
    assert count(store_path, "enrollments") == 10


def test_no_current_cohort_exits_1_with_a_hint(cli: RunCli, prm: Path, store_path: Path) -> None:
    execute(store_path, "DELETE FROM settings WHERE key = 'current_cohort'")
    before = dump(store_path)
    for args in (
        ("roster", "import", str(CANONICAL)),
        ("roster", "import", str(CANONICAL), "--dry-run"),
        ("roster", "show"),
        ("roster", "withdraw", WULAN),
    ):
        run = cli(*args)
        assert run.exit_code == 1, args
        assert "no current cohort" in run.stderr and "--cohort" in run.stderr, args
        assert run.stdout == ""
    assert dump(store_path) == before
    assert cli("roster", "import", str(CANONICAL), "--cohort", PRM_ID).exit_code == 0


def test_an_unknown_cohort_exits_1(cli: RunCli, prm: Path, store_path: Path) -> None:
    before = dump(store_path)
    run = cli("roster", "import", str(CANONICAL), "--cohort", "PRM-1999-I")
    assert run.exit_code == 1
    assert "PRM-1999-I" in run.stderr
    assert dump(store_path) == before


@pytest.mark.parametrize(
    "args",
    [
        ("roster", "show"),
        ("roster", "show", "--json"),
        ("roster", "show", "--format", "csv"),
        ("roster", "import", "FILE", "--dry-run"),
        ("roster", "import", "FILE"),
        ("roster", "import", "FILE", "--json"),
        ("roster", "withdraw", WULAN),
    ],
)
def test_roster_commands_before_the_store_exists_create_nothing(
    cli: RunCli, store_path: Path, args: tuple[str, ...]
) -> None:
    run = cli(*(str(CANONICAL) if a == "FILE" else a for a in args))
    assert run.exit_code == 1
    assert "no store" in run.stderr
    assert run.stdout == ""
    no_traceback(run)
    if isinstance(store_path, str):  # a register: its database still holds nothing
        assert register_tables(store_path) == set()
        return
    assert not store_path.exists()
    assert not store_path.parent.exists() or not any(store_path.parent.iterdir())


# --- 11. property: a file with any invalid row writes nothing -------------------------------------

BAD_NIPS = st.one_of(
    st.text(alphabet="0123456789", max_size=17),  # too short (or empty)
    st.text(alphabet="0123456789", min_size=19, max_size=22),  # too long
    st.sampled_from(
        [
            "1.98807E+17",
            "1,98807E+17",
            "198807142014032000",
            "198813402014032004",
            "198807142014132004",
            "198807142014033004",
            "19880714 201403 2 000",
            "NIP",
            "-",
        ]
    ),
)
CORRUPTIONS = st.one_of(
    st.tuples(st.just(NIP), BAD_NIPS),
    st.tuples(st.just(NAME), st.sampled_from(["", "   "])),
    st.tuples(st.just(EMAIL), st.sampled_from(["budi@@x.example", "tanpa-at", "a@"])),
    st.tuples(st.just(GOL), st.sampled_from(["V/a", "III/f", "Penata Super"])),
    st.tuples(st.just(PHONE), st.sampled_from(["12345", "abc"])),
    st.tuples(st.just(SEX), st.sampled_from(["X", "Waria?"])),
)


@pytest.mark.slow
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    broken=st.dictionaries(st.integers(0, 24), CORRUPTIONS, min_size=1, max_size=25),
    also_change=st.integers(0, 24),
)
def test_any_invalid_row_leaves_the_store_exactly_as_it_was(
    cli: RunCli, examples: Path, broken: dict[int, tuple[int, str]], also_change: int
) -> None:
    header, rows = read_canonical()
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "revmental.db")
        assert cli("--db", db, "cohort", "open", str(examples / "prm-2021-ii.yaml")).exit_code == 0
        assert cli("--db", db, "roster", "import", str(CANONICAL)).exit_code == 0
        before = dump(Path(db))
        for index, (column, value) in broken.items():
            rows[index][column] = value
        if also_change not in broken:  # a valid update that must not be written either
            rows[also_change][EMAIL] = "berubah@x.example"
        sheet = write_sheet(Path(folder) / "rusak.csv", header, rows)
        run = cli("--db", db, "roster", "import", str(sheet), "--json")
        assert run.exit_code == 1, (broken, run.stderr)
        assert run.json()["written"] is False
        assert {r["line"] for r in run.json()["rejected"]} >= {i + 2 for i in broken}
        assert dump(Path(db)) == before


def test_a_sheet_with_only_a_header_is_refused(cli: RunCli, prm: Path, store_path: Path) -> None:
    header, _ = read_canonical()
    sheet = write_sheet(Path("kosong.csv"), header, [])
    before = dump(store_path)
    run = cli("roster", "import", str(sheet))
    assert run.exit_code == 1
    assert "no participant rows" in run.stderr
    assert dump(store_path) == before


# --- files from the field (QA pass of 2026-11-29) -------------------------------------------

AYU = "198807142014032004"
DEDI = "199001152015031001"


def _sheet(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_excel_error_values_and_letterless_names_are_rejected(
    cli: RunCli, prm: Path, store_path: Path, tmp_path: Path
) -> None:
    """#N/A would be printed on a certificate; '-' is not a person."""
    sheet = _sheet(
        tmp_path,
        "peserta.csv",
        "NIP;Nama;Instansi\n"
        f"{AYU};#N/A;Pemkot Bandung\n"
        f"{DEDI};Dedi Kurnia;#REF!\n"
        "199312232016072178;-;Pemkot Bandung\n",
    )
    run = cli("roster", "import", str(sheet), "--json")
    assert run.exit_code == 1
    errors = {r["line"]: r["errors"] for r in run.json()["rejected"]}
    assert any("#N/A is an Excel error" in e for e in errors[2])
    assert any(e.startswith("Instansi: #REF! is an Excel error") for e in errors[3])
    assert errors[4] == ["Nama: name has no letters (-)"]
    assert count(store_path, "people") == 0


def test_a_dash_in_an_optional_cell_means_none(
    cli: RunCli, prm: Path, store_path: Path, tmp_path: Path
) -> None:
    sheet = _sheet(
        tmp_path, "peserta.csv", f"NIP;Nama;Email;No. HP;Jabatan\n{AYU};Ayu Lestari;-;-;-\n"
    )
    run = cli("roster", "import", str(sheet))
    assert run.exit_code == 0, run.stderr
    assert query(store_path, "SELECT email, phone, position FROM people") == [(None, None, None)]


def test_government_header_spellings_are_recognised(
    cli: RunCli, prm: Path, store_path: Path, tmp_path: Path
) -> None:
    sheet = _sheet(
        tmp_path,
        "bkn.csv",
        "No. NIP;Nama Lengkap dengan Gelar;Pangkat/Golongan Ruang;Nama Jabatan;Nama Instansi;"
        "Email Dinas;No. Telp/HP\n"
        f"{AYU};Dr. Ayu Lestari, M.Si.;Penata/III/c;Analis;Pemkot Bandung;ayu@contoh.go.id;"
        "0812-3456-7890\n",
    )
    run = cli("roster", "import", str(sheet))
    assert run.exit_code == 0, run.stderr
    assert "ignored" not in run.stderr
    assert query(
        store_path, "SELECT name, golongan, pangkat, position, agency, email, phone FROM people"
    ) == [
        (
            "Dr. Ayu Lestari, M.Si.",
            "III/c",
            "Penata",
            "Analis",
            "Pemkot Bandung",
            "ayu@contoh.go.id",
            "+6281234567890",
        )
    ]


@pytest.mark.sqlite_file
def test_rejects_may_not_overwrite_the_file_being_imported(
    cli: RunCli, prm: Path, store_path: Path, tmp_path: Path
) -> None:
    sheet = _sheet(tmp_path, "peserta.csv", f"NIP;Nama\n{AYU};Ayu\n123;Budi\n")
    before = sheet.read_bytes()
    run = cli("roster", "import", str(sheet), "--skip-invalid", "--rejects", str(sheet))
    assert run.exit_code == 2
    assert "is the file being imported" in run.stderr
    assert sheet.read_bytes() == before
    assert not store_path.exists() or count(store_path, "people") == 0


def test_rejects_file_is_rewritten_when_nothing_is_rejected(
    cli: RunCli, prm: Path, tmp_path: Path
) -> None:
    """A rejects file from an earlier run must never pass for this run's."""
    stale = tmp_path / "ditolak.csv"
    stale.write_text("NIP,Nama,line,errors\n123,Budi,3,NIP: old\n", encoding="utf-8")
    sheet = _sheet(tmp_path, "peserta.csv", f"NIP;Nama\n{AYU};Ayu Lestari\n")
    run = cli("roster", "import", str(sheet), "--rejects", str(stale))
    assert run.exit_code == 0, run.stderr
    rows = list(csv.reader(io.StringIO(stale.read_text(encoding="utf-8-sig"))))
    assert rows == [["NIP", "Nama", "line", "errors"]]


def test_a_header_typed_with_a_line_break_is_named_on_one_line(
    cli: RunCli, prm: Path, tmp_path: Path
) -> None:
    sheet = _sheet(tmp_path, "peserta.csv", '"NIP\n(18 digit)";Nama\n1.98807E+17;Ayu Lestari\n')
    run = cli("roster", "import", str(sheet))
    assert run.exit_code == 1
    assert "line 3: NIP (18 digit): " in run.stderr


def test_forced_utf16_without_a_byte_order_mark(cli: RunCli, prm: Path, tmp_path: Path) -> None:
    text = f"NIP\tNama\n{AYU}\tAyu Lestari\n"
    sheet = _sheet(tmp_path, "peserta.csv", text, encoding="utf-16-le")
    run = cli("roster", "import", str(sheet), "--encoding", "utf-16")
    assert run.exit_code == 0, run.stderr
    utf8 = _sheet(tmp_path, "utf8.csv", text)
    run = cli("roster", "import", str(utf8), "--encoding", "utf-16")
    assert run.exit_code == 1
    assert "is not UTF-16" in run.stderr
    assert "internal error" not in run.stderr


def test_a_guessed_windows_encoding_is_said(cli: RunCli, prm: Path, tmp_path: Path) -> None:
    sheet = _sheet(tmp_path, "peserta.csv", f"NIP;Nama\n{AYU};Ayu Lestari è\n", encoding="cp1252")
    run = cli("roster", "import", str(sheet))
    assert run.exit_code == 0, run.stderr
    assert "read as Windows-1252 (cp1252)" in run.stderr
    assert "--encoding cp850" in run.stderr


@pytest.mark.sqlite_file
def test_an_xlsx_formula_without_a_saved_value_is_refused(
    cli: RunCli, prm: Path, store_path: Path, tmp_path: Path
) -> None:
    """A workbook written by a program keeps formulas without their values: read as empty
    cells, every email would be lost without a word."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["NIP", "Nama", "Email"])
    sheet.append([AYU, "Ayu Lestari", '=LOWER("AYU@CONTOH.GO.ID")'])
    path = tmp_path / "peserta.xlsx"
    book.save(path)
    run = cli("roster", "import", str(path))
    assert run.exit_code == 1
    assert "cell C2: a formula without a saved value" in run.stderr
    assert not store_path.exists() or count(store_path, "people") == 0


def test_a_second_agency_s_row_numbers_continue_the_cohort_s_numbering(
    cli: RunCli, prm: Path, store_path: Path, tmp_path: Path
) -> None:
    """Lists merged from several agencies each count their rows from 1 in a "No" column:
    the second list's numbers belong to the first list's participants, so they are read as
    row numbers and the NDH continues; a re-import changes nothing; a column headed NDH is
    still taken at its word."""
    first = _sheet(tmp_path, "a.csv", f"No;NIP;Nama\n1;{AYU};Ayu Lestari\n2;{DEDI};Dedi\n")
    second = _sheet(
        tmp_path,
        "b.csv",
        "No;NIP;Nama\n1;199312232016072178;Siti Rahma\n2;198010062002042080;Wulan Sari\n",
    )
    assert cli("roster", "import", str(first)).exit_code == 0
    run = cli("roster", "import", str(second))
    assert run.exit_code == 0, run.stderr
    assert "read as row numbers" in run.stderr
    ndh = dict(query(store_path, "SELECT nip, ndh FROM enrollments"))
    assert ndh == {AYU: 1, DEDI: 2, "199312232016072178": 3, "198010062002042080": 4}
    again = cli("roster", "import", str(second), "--json")
    assert again.exit_code == 0
    assert again.json()["unchanged"] == 2
    assert dict(query(store_path, "SELECT nip, ndh FROM enrollments")) == ndh
    third = _sheet(tmp_path, "c.csv", "NDH;NIP;Nama\n1;199408022017112466;Ani\n")
    refused = cli("roster", "import", str(third))
    assert refused.exit_code == 1
    assert "already belongs to another participant" in refused.stderr


def test_a_signature_block_under_the_list_is_not_a_participant(
    cli: RunCli, prm: Path, store_path: Path, tmp_path: Path
) -> None:
    sheet = _sheet(
        tmp_path,
        "peserta.csv",
        "No;NIP;Nama;Jabatan\n"
        f"1;{AYU};Ayu Lestari;Analis\n"
        ";;;Kepala Bagian\n"  # above a participant: a row missing its NIP and name
        f"2;{DEDI};Dedi Kurnia;Analis\n"
        ";;;\n"
        ";;;Jakarta, 20 September 2021\n"
        ";;;Drs. Sutrisno, M.M.\n"
        ";;;NIP. 19670817 199203 1 004\n",
    )
    run = cli("roster", "import", str(sheet), "--json")
    assert run.exit_code == 1  # line 3 is inside the list: rejected, as before
    assert [r["line"] for r in run.json()["rejected"]] == [3]
    fixed = sheet.read_text(encoding="utf-8").replace(";;;Kepala Bagian\n", "")
    sheet.write_text(fixed, encoding="utf-8")
    run = cli("roster", "import", str(sheet))
    assert run.exit_code == 0, run.stderr
    assert "ignored 3 row(s) below the list with no NIP and no name (lines 5-7" in run.stderr
    assert count(store_path, "enrollments") == 2


@pytest.mark.parametrize("name", ["no-formula-dragged-down.xlsx", "formula-empty-string.xlsx"])
def test_an_excel_formula_that_gives_an_empty_text_is_no_missing_value(
    cli: RunCli, prm: Path, name: str
) -> None:
    """=IF(B5="","",ROW()-4) dragged down the "No" column: Excel saves "" past the list,
    which openpyxl reads as empty like a formula never calculated; the cell type tells."""
    run = cli("roster", "import", str(ROSTER / name), "--dry-run")
    assert run.exit_code == 0, run.stderr
    assert "formula without a saved value" not in run.stderr


def test_a_full_list_renumbered_under_no_is_taken_at_its_word(
    cli: RunCli, prm: Path, store_path: Path, tmp_path: Path
) -> None:
    """Swapping the numbers of the list's own participants is a deliberate renumbering,
    not row numbers that belong to others."""
    first = _sheet(tmp_path, "a.csv", f"No;NIP;Nama\n1;{AYU};Ayu\n2;{DEDI};Dedi\n")
    swapped = _sheet(tmp_path, "b.csv", f"No;NIP;Nama\n1;{DEDI};Dedi\n2;{AYU};Ayu\n")
    assert cli("roster", "import", str(first)).exit_code == 0
    run = cli("roster", "import", str(swapped), "--json")
    assert run.exit_code == 0, run.stderr
    assert run.json()["updated"] == 2
    assert dict(query(store_path, "SELECT nip, ndh FROM enrollments")) == {DEDI: 1, AYU: 2}


def test_a_rejected_row_does_not_hide_that_no_counts_rows(
    cli: RunCli, prm: Path, store_path: Path, tmp_path: Path
) -> None:
    first = _sheet(tmp_path, "a.csv", f"No;NIP;Nama\n1;{AYU};Ayu\n2;{DEDI};Dedi\n")
    second = _sheet(
        tmp_path,
        "b.csv",
        "No;NIP;Nama\n1;199312232016072178;Siti\n2;1234;Rusak\n3;198010062002042080;Wulan\n",
    )
    assert cli("roster", "import", str(first)).exit_code == 0
    run = cli("roster", "import", str(second), "--skip-invalid")
    assert run.exit_code == 0, run.stderr
    assert "read as row numbers" in run.stderr
    ndh = dict(query(store_path, "SELECT nip, ndh FROM enrollments"))
    assert (ndh["199312232016072178"], ndh["198010062002042080"]) == (3, 4)
