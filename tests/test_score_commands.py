"""score import and score set through the real commands, on real sheets and real stores.

Every test runs `revmental score ...` through the `cli` fixture against PRM-2021-II with the
canonical roster imported, and checks what a user sees (exit code, stdout, stderr) and what the
store holds afterwards, read with sqlite3 directly. The sheets are in tests/fixtures/scores/
(see its README); an .xlsx sheet is written with openpyxl in the test's temporary folder.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CANONICAL, FIXTURES, RunCli, query

pytestmark = pytest.mark.both_backends

SCORES = FIXTURES / "scores"
BY_KEY = SCORES / "nilai-kunci.csv"
BY_NAME = SCORES / "nilai-nama.csv"
BAD = SCORES / "nilai-salah.csv"
PRM_ID = "PRM-2021-II"
IMPORT_KEYS = {"cohort", "written", "created", "updated", "unchanged", "rejected"}

AHMAD = "198309222012091919"  # NDH 1
WULAN = "198010062002042080"  # NDH 2
SITI = "199312232016072178"  # NDH 3
BUDI = "199008122011031301"  # NDH 4
ANI = "199408022017112466"  # NDH 5
UNKNOWN_NIP = "199001012015031001"  # valid, but on no roster

BY_KEY_VALUES = {
    (AHMAD, "sikap"): 85.5,
    (AHMAD, "akademik"): 80.0,
    (AHMAD, "rancangan"): 90.0,
    (WULAN, "sikap"): 90.0,
    (WULAN, "rancangan"): 75.25,
    (SITI, "sikap"): 70.0,
    (SITI, "akademik"): 70.0,
}
BY_NAME_VALUES = {
    (BUDI, "sikap"): 77.5,
    (BUDI, "akademik"): 88.0,
    (BUDI, "rancangan"): 92.0,
    (ANI, "sikap"): 60.0,
    (ANI, "akademik"): 65.5,
    (ANI, "rancangan"): 100.0,
}


# --- helpers ----------------------------------------------------------------------------------


def dump(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    return {
        "scores": query(db, "SELECT * FROM scores ORDER BY cohort_id, nip, component"),
        "history": query(db, "SELECT * FROM history ORDER BY rowid"),
    }


def scores(db: Path) -> dict[tuple[str, str], float]:
    rows = query(db, "SELECT nip, component, value FROM scores WHERE cohort_id = ?", (PRM_ID,))
    return {(nip, key): value for nip, key, value in rows}


def problem_lines(stderr: str) -> list[str]:
    """The `line N: column: message` lines of stderr, without their indentation."""
    return [s.strip() for s in stderr.splitlines() if re.match(r"\s*line \d+: ", s)]


def no_traceback(run: Any) -> None:
    assert "Traceback" not in run.stderr + run.stdout


@pytest.fixture
def enrolled(cli: RunCli, prm: Path, store_path: Path) -> Path:
    """PRM-2021-II open and current, with the 25 participants of the canonical roster."""
    run = cli("roster", "import", str(CANONICAL))
    assert run.exit_code == 0, run.stderr
    assert scores(store_path) == {}
    return store_path


# --- import --------------------------------------------------------------------------------------


@pytest.mark.sqlite_file
def test_import_by_component_key(cli: RunCli, enrolled: Path) -> None:
    run = cli("score", "import", str(BY_KEY), "--json")
    assert run.exit_code == 0, run.stderr
    data = run.json()
    assert set(data) == IMPORT_KEYS
    assert data == {
        "cohort": PRM_ID,
        "written": True,
        "created": 7,
        "updated": 0,
        "unchanged": 0,
        "rejected": [],
    }
    assert scores(enrolled) == BY_KEY_VALUES  # empty cells are not stored
    assert query(enrolled, "SELECT DISTINCT typeof(value) FROM scores") == [("real",)]
    sql = "SELECT value FROM scores WHERE nip = ? AND component = 'sikap'"
    assert query(enrolled, sql, (AHMAD,)) == [(85.5,)]  # "85,5" in the sheet


def test_import_by_component_name(cli: RunCli, enrolled: Path) -> None:
    run = cli("score", "import", str(BY_NAME), "--json")
    assert run.exit_code == 0, run.stderr
    data = run.json()
    assert (data["written"], data["created"], data["rejected"]) == (True, 6, [])
    assert scores(enrolled) == BY_NAME_VALUES


def test_import_human_output_names_the_cohort(cli: RunCli, enrolled: Path) -> None:
    run = cli("score", "import", str(BY_KEY))
    assert run.exit_code == 0, run.stderr
    assert PRM_ID in run.stderr
    assert "7" in run.stderr
    assert run.stdout == ""


def test_reimport_changes_nothing_but_the_history(cli: RunCli, enrolled: Path) -> None:
    assert cli("score", "import", str(BY_KEY)).exit_code == 0
    before = dump(enrolled)
    run = cli("score", "import", str(BY_KEY), "--json")
    assert run.exit_code == 0, run.stderr
    data = run.json()
    assert (data["created"], data["updated"], data["unchanged"]) == (0, 0, 7)
    after = dump(enrolled)
    assert after["scores"] == before["scores"]  # updated_at included
    assert len(after["history"]) == len(before["history"]) + 1


def test_import_counts_updates(cli: RunCli, enrolled: Path, tmp_path: Path) -> None:
    assert cli("score", "import", str(BY_KEY)).exit_code == 0
    sheet = tmp_path / "nilai-ubah.csv"
    sheet.write_text(f"NIP;sikap;akademik\n{AHMAD};86;80\n{BUDI};70;\n", encoding="utf-8")
    run = cli("score", "import", str(sheet), "--json")
    assert run.exit_code == 0, run.stderr
    data = run.json()
    assert (data["created"], data["updated"], data["unchanged"]) == (1, 1, 1)
    got = scores(enrolled)
    assert got[(AHMAD, "sikap")] == 86.0
    assert got[(AHMAD, "rancangan")] == 90.0  # a column the sheet lacks is left alone
    assert got[(BUDI, "sikap")] == 70.0


def test_import_dry_run_writes_nothing(cli: RunCli, enrolled: Path) -> None:
    before = dump(enrolled)
    run = cli("score", "import", str(BY_KEY), "--dry-run", "--json")
    assert run.exit_code == 0, run.stderr
    data = run.json()
    assert (data["written"], data["created"]) == (False, 7)
    assert dump(enrolled) == before
    human = cli("score", "import", str(BY_KEY), "--dry-run")
    assert human.exit_code == 0, human.stderr
    assert "dry run" in human.stderr
    assert dump(enrolled) == before


def test_bad_cells_are_all_listed_and_nothing_is_written(cli: RunCli, enrolled: Path) -> None:
    assert cli("score", "import", str(BY_NAME)).exit_code == 0
    before = dump(enrolled)
    run = cli("score", "import", str(BAD))
    assert run.exit_code == 1
    no_traceback(run)
    lines = problem_lines(run.stderr)
    expected = [
        (2, "sikap", "101"),
        (3, "akademik", "-1"),
        (4, "rancangan", "abc"),
        (5, "NIP", "18 digits"),
        (6, "NIP", "not on the roster"),
        (8, "NIP", "line 7"),
        (9, "NIP", "Excel"),
    ]
    for number, column, words in expected:
        found = [s for s in lines if s.startswith(f"line {number}: {column}: ")]
        assert found, (number, column, run.stderr)
        assert words in found[0], (found, words)
    assert not [s for s in lines if s.startswith("line 7:")]
    assert len(lines) == len(expected)
    assert "nothing was written" in run.stderr
    assert dump(enrolled) == before


def test_bad_cells_with_json_report_the_lines_and_write_nothing(
    cli: RunCli, enrolled: Path
) -> None:
    before = dump(enrolled)
    run = cli("score", "import", str(BAD), "--json")
    assert run.exit_code == 1
    data = run.json()
    assert set(data) == IMPORT_KEYS
    assert data["written"] is False
    assert (data["created"], data["updated"], data["unchanged"]) == (0, 0, 0)
    assert {r["line"] for r in data["rejected"]} == {2, 3, 4, 5, 6, 8, 9}
    errors = [e for r in data["rejected"] for e in r["errors"]]
    assert any(e.startswith("sikap: ") and "101" in e for e in errors)
    assert dump(enrolled) == before


def test_json_rejected_has_one_entry_per_line(cli: RunCli, enrolled: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "nilai-tiga.csv"
    sheet.write_text(f"NIP;sikap;akademik;rancangan\n{AHMAD};101;abc;-5\n", encoding="utf-8")
    run = cli("score", "import", str(sheet), "--json")
    assert run.exit_code == 1
    rejected = run.json()["rejected"]
    assert [r["line"] for r in rejected] == [2]
    assert len(rejected[0]["errors"]) == 3


def test_a_sheet_without_score_columns_names_the_components(
    cli: RunCli, enrolled: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "nilai-kosong.csv"
    sheet.write_text(f"NIP;Nama;Nilai Akhir\n{AHMAD};Ahmad;80\n", encoding="utf-8")
    before = dump(enrolled)
    run = cli("score", "import", str(sheet))
    assert run.exit_code == 1
    no_traceback(run)
    for key in ("sikap", "akademik", "rancangan"):
        assert key in run.stderr
    assert dump(enrolled) == before


def test_an_xlsx_score_sheet_imports(cli: RunCli, enrolled: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["NIP", "Nama", "sikap", "akademik", "Rancangan Transformasi Budaya Birokrasi"])
    sheet.append([AHMAD, "Ahmad Fauzi", 88, 77.5, 70.02])
    sheet.append(["19801006 200204 2 080", "Wulan Sari", 90.25, None, 100])
    for row in sheet.iter_rows(min_row=2, max_col=1):
        row[0].number_format = "@"
        row[0].data_type = "s"
    path = tmp_path / "nilai.xlsx"
    book.save(path)
    run = cli("score", "import", str(path), "--json")
    assert run.exit_code == 0, run.stderr
    assert run.json()["created"] == 5
    assert scores(enrolled) == {
        (AHMAD, "sikap"): 88.0,
        (AHMAD, "akademik"): 77.5,
        (AHMAD, "rancangan"): 70.02,
        (WULAN, "sikap"): 90.25,
        (WULAN, "rancangan"): 100.0,
    }


def test_an_xlsx_sheet_with_a_numeric_nip_is_refused(
    cli: RunCli, enrolled: Path, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["NIP", "sikap"])
    sheet.append([int(AHMAD), 88])
    path = tmp_path / "nilai-angka.xlsx"
    book.save(path)
    before = dump(enrolled)
    run = cli("score", "import", str(path))
    assert run.exit_code == 1
    assert any(s.startswith("line 2: NIP: ") and "Excel" in s for s in problem_lines(run.stderr))
    assert dump(enrolled) == before


# --- set -----------------------------------------------------------------------------------------


@pytest.mark.sqlite_file
def test_set_by_key_with_a_decimal_comma(cli: RunCli, enrolled: Path) -> None:
    run = cli("score", "set", AHMAD, "rancangan", "85,5")
    assert run.exit_code == 0, run.stderr
    assert PRM_ID in run.stderr
    assert scores(enrolled) == {(AHMAD, "rancangan"): 85.5}
    assert query(enrolled, "SELECT typeof(value) FROM scores") == [("real",)]
    run = cli("score", "set", AHMAD, "rancangan", "85.75")
    assert run.exit_code == 0, run.stderr
    assert scores(enrolled) == {(AHMAD, "rancangan"): 85.75}


def test_set_by_component_name_and_grouped_nip(cli: RunCli, enrolled: Path) -> None:
    run = cli("score", "set", "19801006 200204 2 080", "Sikap dan Perilaku", "81")
    assert run.exit_code == 0, run.stderr
    run = cli("score", "set", WULAN, "pemahaman materi", "70,01")
    assert run.exit_code == 0, run.stderr
    assert scores(enrolled) == {(WULAN, "sikap"): 81.0, (WULAN, "akademik"): 70.01}


def test_set_bounds_are_inclusive(cli: RunCli, enrolled: Path) -> None:
    assert cli("score", "set", AHMAD, "sikap", "0").exit_code == 0
    assert cli("score", "set", AHMAD, "akademik", "100").exit_code == 0
    assert scores(enrolled) == {(AHMAD, "sikap"): 0.0, (AHMAD, "akademik"): 100.0}


def test_set_an_unknown_component_lists_the_keys(cli: RunCli, enrolled: Path) -> None:
    before = dump(enrolled)
    run = cli("score", "set", AHMAD, "nilai", "80")
    assert run.exit_code == 1
    no_traceback(run)
    assert "nilai" in run.stderr
    for key in ("sikap", "akademik", "rancangan"):
        assert key in run.stderr
    assert dump(enrolled) == before


@pytest.mark.parametrize("value", ["100.5", "101", "-1", "abc", "85,5,5", ""])
def test_set_a_value_out_of_range_is_refused(cli: RunCli, enrolled: Path, value: str) -> None:
    before = dump(enrolled)
    run = cli("score", "set", AHMAD, "sikap", "--", value)
    assert run.exit_code == 1
    no_traceback(run)
    assert dump(enrolled) == before


@pytest.mark.parametrize("nip", [UNKNOWN_NIP, "12345"])
def test_set_for_someone_not_enrolled_is_refused(cli: RunCli, enrolled: Path, nip: str) -> None:
    before = dump(enrolled)
    run = cli("score", "set", nip, "sikap", "80")
    assert run.exit_code == 1
    no_traceback(run)
    assert nip in run.stderr
    assert dump(enrolled) == before


def test_a_misspelt_component_column_is_refused_not_ignored(
    cli: RunCli, enrolled: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "nilai-typo.csv"
    sheet.write_text("NIP;Rancangn;sikap;Jumlah\n198010062002042080;80;70;150\n", encoding="utf-8")
    result = cli("score", "import", str(sheet))
    assert result.exit_code == 1
    assert "line 1: Rancangn: unknown component column; did you mean 'rancangan'?" in result.stderr
    assert "Jumlah" in result.stderr  # an unrelated column is only reported as ignored


def test_an_unquoted_decimal_comma_in_a_comma_file_is_refused_not_shifted(
    cli: RunCli, enrolled: Path, tmp_path: Path
) -> None:
    """`NIP,85,5,80,90`: the comma splits 85,5 and every later value moves one column to the
    right; storing akademik 5 and rancangan 80 would be silently wrong."""
    sheet = tmp_path / "nilai-koma.csv"
    sheet.write_text(
        f"NIP,sikap,akademik,rancangan\n{AHMAD},85,5,80,90\n{WULAN},85,80,90\n", encoding="utf-8"
    )
    before = dump(enrolled)
    run = cli("score", "import", str(sheet))
    assert run.exit_code == 1
    assert "line 2: rancangan: row has 5 cells but the header has 4" in run.stderr
    assert '"85,5"' in run.stderr  # the hint says how to write it
    assert "line 3" not in run.stderr
    assert dump(enrolled) == before


def test_a_sheet_with_no_rows_is_refused(cli: RunCli, enrolled: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "nilai-kosong.csv"
    sheet.write_text("NIP;sikap;akademik\n", encoding="utf-8")
    before = dump(enrolled)
    run = cli("score", "import", str(sheet))
    assert run.exit_code == 1
    assert "no participant rows below the header (line 1)" in run.stderr
    assert dump(enrolled) == before


def test_an_average_row_and_a_signature_under_the_scores_are_ignored(
    cli: RunCli, enrolled: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "nilai.csv"
    sheet.write_text(
        f"No;NIP;Nama;sikap\n1;{AHMAD};Ahmad;80\n2;;Budi;70\n3;{WULAN};Wulan;90\n"
        ";;Rata-rata;85\n;;;\n;;Fasilitator,;\n",
        encoding="utf-8",
    )
    run = cli("score", "import", str(sheet))
    assert run.exit_code == 1  # line 3 has no NIP but a participant follows it
    assert "line 3: NIP: NIP is empty" in run.stderr
    text = sheet.read_text(encoding="utf-8").replace("2;;Budi;70\n", "")
    sheet.write_text(text, encoding="utf-8")
    run = cli("score", "import", str(sheet))
    assert run.exit_code == 0, run.stderr
    assert "ignored 2 row(s) below the list with no NIP (lines 4-6" in run.stderr
    assert scores(enrolled) == {(AHMAD, "sikap"): 80.0, (WULAN, "sikap"): 90.0}


def test_a_last_participant_without_a_nip_is_an_error_not_a_footer(
    cli: RunCli, enrolled: Path, tmp_path: Path
) -> None:
    """Below the list, a "Rata-rata" row is set aside; a row with a name and scores but no
    NIP is a participant whose NIP is missing."""
    sheet = tmp_path / "nilai.csv"
    sheet.write_text(
        f"NIP;Nama;sikap\n{AHMAD};Ahmad;80\n;Budi Santoso;70\n;Rata-rata;75\n", encoding="utf-8"
    )
    run = cli("score", "import", str(sheet))
    assert run.exit_code == 1
    assert "line 3: NIP: NIP is empty" in run.stderr
    assert "line 4" not in run.stderr
