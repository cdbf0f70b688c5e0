"""Files and situations found by exploratory testing with real-world exports and consoles."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from tests.conftest import EXAMPLES, FIXTURES, ROOT, RunCli

CANONICAL = FIXTURES / "roster" / "peserta-prm-2021-ii.csv"


def sheet(path: Path, text: str) -> Path:
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    return path


def rows(db: Path, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def run(args: list[str], db: Path, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "revmental_cli", *args],
        cwd=cwd,
        env={**os.environ, "REVMENTAL_DB": str(db), "REVMENTAL_LANG": "en", **env},
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=60,
    )


# --- consoles ---------------------------------------------------------------------------------


def test_a_console_that_cannot_show_a_name_prints_a_substitute_not_a_crash(
    prm: Path, store_path: Path, tmp_path: Path
) -> None:
    names = sheet(
        tmp_path / "cn.csv",
        "No;Nama;NIP\n1;陈志明 (Tan Tjie Beng);19801006 200204 1 080\n"
        "2;Nguyễn Thị Ánh;19880714 201403 2 004\n",
    )
    imported = run(
        ["roster", "import", str(names)], store_path, tmp_path, PYTHONIOENCODING="cp1252"
    )
    assert imported.returncode == 0, imported.stderr
    assert rows(store_path, "SELECT count(*) FROM enrollments") == [(2,)]
    shown = run(["roster", "show"], store_path, tmp_path, PYTHONIOENCODING="ascii")
    assert shown.returncode == 0, shown.stderr
    assert "(Tan Tjie Beng)" in shown.stdout and "internal error" not in shown.stderr


def test_a_closed_pipe_after_a_write_is_not_reported_as_a_failure(
    prm: Path, store_path: Path, tmp_path: Path
) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "revmental_cli", "roster", "import", str(CANONICAL), "--json"],
        env={**os.environ, "REVMENTAL_DB": str(store_path)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(1)
    proc.stdout.close()  # `| head -c 1`
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.wait(timeout=60)
    assert proc.returncode == 0, err
    assert "internal error" not in err
    assert rows(store_path, "SELECT count(*) FROM enrollments") == [(25,)]


def test_a_narrow_terminal_keeps_nip_and_status(cli: RunCli, prm: Path, monkeypatch: Any) -> None:
    assert cli("roster", "import", str(CANONICAL)).exit_code == 0
    assert cli("roster", "withdraw", "198010062002042080").exit_code == 0
    monkeypatch.setenv("COLUMNS", "60")
    shown = cli("roster", "show").stdout
    assert "198010062002042080" in shown and "withdrawn" in shown


# --- roster sheets ----------------------------------------------------------------------------


def test_golongan_without_ruang_is_not_taken_for_pppk(
    cli: RunCli, prm: Path, store_path: Path, tmp_path: Path
) -> None:
    ambiguous = sheet(
        tmp_path / "g.csv",
        "No;Nama;NIP;Gol\n1;Ani;19880714 201403 2 004;III\n2;Budi;19900101 201513 1 002;IV\n",
    )
    result = cli("roster", "import", str(ambiguous))
    assert result.exit_code == 1
    assert "line 2: Gol: golongan III needs its ruang, e.g. III/a" in result.stderr
    assert "line 3: NIP: NIP digits 13-14 are not a month (13)" in result.stderr
    assert rows(store_path, "SELECT count(*) FROM people") == [(0,)]
    marked = sheet(
        tmp_path / "p.csv",
        "No;Nama;NIP;Gol;Status Kepegawaian\n"
        "1;Ani;19880714 201403 2 004;III;PPPK\n2;Cici;19900101 201521 2 003;IX;\n",
    )
    assert cli("roster", "import", str(marked)).exit_code == 0
    assert rows(store_path, "SELECT golongan, employment FROM people ORDER BY nip") == [
        ("III", "PPPK"),
        ("IX", "PPPK"),
    ]


def test_excel_text_formula_nip_and_typed_punctuation_are_honest(
    cli: RunCli, prm: Path, store_path: Path, tmp_path: Path
) -> None:
    exported = sheet(
        tmp_path / "f.csv",
        'No;Nama;NIP;No HP\n1;Ani;="198807142014032004";'
        '="081234567890"\n2;Budi;\u2019198010062002041080;0812\u20113456\u20117890\n',
    )
    result = cli("roster", "import", str(exported))
    assert result.exit_code == 0, result.stderr
    assert rows(store_path, "SELECT nip, phone FROM people ORDER BY nip") == [
        ("198010062002041080", "+6281234567890"),
        ("198807142014032004", "+6281234567890"),
    ]


def test_title_cells_separate_titles_and_a_totals_row(
    cli: RunCli, prm: Path, store_path: Path, tmp_path: Path
) -> None:
    simpeg = sheet(
        tmp_path / "s.csv",
        "DAFTAR PESERTA;;;Angkatan II\n\n"
        "No;Gelar Depan;Nama;Gelar Belakang;NIP\n"
        "1;Dr.;Ahmad Fauzi;M.Si.;19880714 201403 2 004\n"
        "2;;Wulan Sari;S.Sos.;19801006 200204 2 080\n"
        ";Jumlah Peserta: 2;;;\n",
    )
    result = cli("roster", "import", str(simpeg), "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["created"] == 2
    assert [r[0] for r in rows(store_path, "SELECT name FROM people ORDER BY nip")] == [
        "Wulan Sari, S.Sos.",
        "Dr. Ahmad Fauzi, M.Si.",
    ]


def test_skip_invalid_with_no_valid_row_left_fails_and_writes_nothing(
    cli: RunCli, prm: Path, store_path: Path, tmp_path: Path
) -> None:
    bad = sheet(tmp_path / "bad.csv", "No;Nama;NIP\n1;Ani;1,98807E+17\n")
    result = cli("roster", "import", str(bad), "--skip-invalid", "--json")
    assert result.exit_code == 1
    assert result.json()["written"] is False
    assert rows(store_path, "SELECT count(*) FROM history WHERE summary LIKE 'roster%'") == [(0,)]
    mixed = sheet(
        tmp_path / "mixed.csv", "No;Nama;NIP\n1;Ani;1,98807E+17\n2;Budi;19801006 200204 1 080\n"
    )
    result = cli("roster", "import", str(mixed), "--skip-invalid")
    assert result.exit_code == 0
    assert "warning: mixed.csv: 1 row(s) rejected" in result.stderr


def test_xlsx_defaults_to_the_sheet_excel_shows(
    cli: RunCli, prm: Path, store_path: Path, tmp_path: Path
) -> None:
    book = Workbook()
    hidden = book.active
    assert hidden is not None
    hidden.title, hidden["A1"] = "Petunjuk", "Isi data pada sheet Peserta"
    hidden.sheet_state = "hidden"
    data = book.create_sheet("Peserta")
    data.append(["No", "Nama", "NIP"])
    data.append([1, "Ani", "19880714 201403 2 004"])
    book.active = 1
    book.save(tmp_path / "hidden.xlsx")
    assert cli("roster", "import", str(tmp_path / "hidden.xlsx")).exit_code == 0

    book = Workbook()
    info = book.active
    assert info is not None
    info.title, info["A1"] = "Info", "Isi data pada sheet Peserta"
    book.create_sheet("Peserta").append(["NIP", "Nama"])
    book.save(tmp_path / "info.xlsx")
    result = cli("roster", "import", str(tmp_path / "info.xlsx"))
    assert result.exit_code == 1
    assert "this is sheet 'Info'; choose the participants' sheet with --sheet NAME" in (
        result.stderr
    )
    assert "(sheets: Info, Peserta)" in result.stderr


# --- scores ---------------------------------------------------------------------------------------


def test_percent_cells_and_dashes_in_score_sheets(
    cli: RunCli, prm: Path, store_path: Path, tmp_path: Path
) -> None:
    assert cli("roster", "import", str(CANONICAL)).exit_code == 0
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["NIP", "sikap", "akademik", "rancangan"])
    ws.append(["198010062002042080", 0.855, 0.9, "-"])
    ws["B2"].number_format = ws["C2"].number_format = "0.0%"
    book.save(tmp_path / "nilai.xlsx")
    assert cli("score", "import", str(tmp_path / "nilai.xlsx")).exit_code == 0
    assert rows(store_path, "SELECT component, value FROM scores ORDER BY component") == [
        ("akademik", 90.0),
        ("sikap", 85.5),
    ]
    csv = sheet(tmp_path / "n.csv", "NIP;rancangan\n198010062002042080;88%\n")
    assert cli("score", "import", str(csv)).exit_code == 0
    assert rows(store_path, "SELECT value FROM scores WHERE component = 'rancangan'") == [(88.0,)]


# --- cohorts and certificates -----------------------------------------------------------------


def test_validate_refuses_two_files_with_one_id(cli: RunCli, tmp_path: Path) -> None:
    text = (EXAMPLES / "prm-2021-ii.yaml").read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(
        text.replace("Pembukaan dan Orientasi Program", "Pembukaan"), encoding="utf-8"
    )
    result = cli("cohort", "validate", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml"))
    assert result.exit_code == 1
    assert "b.yaml: id PRM-2021-II is also used by" in result.stderr


def test_a_certificate_keeps_the_holder_as_issued(
    cli: RunCli, prm: Path, store_path: Path, tmp_path: Path
) -> None:
    nip = "198010062002042080"
    one = sheet(tmp_path / "one.csv", f"No;Nama;NIP;Gol\n1;Wulan Sari, S.Sos.;{nip};III/a\n")
    assert cli("roster", "import", str(one)).exit_code == 0
    for session in range(1, 12):
        assert (
            cli("attendance", "mark", nip, "-s", str(session), "--status", "hadir").exit_code == 0
        )
    for key in ("sikap", "akademik", "rancangan"):
        assert cli("score", "set", nip, key, "90").exit_code == 0
    assert cli("certificate", "issue").exit_code == 0
    assert cli("cohort", "close").exit_code == 0
    later = ROOT / "cohorts" / "latsar-2022-xiv.yaml"
    assert cli("cohort", "open", str(later)).exit_code == 0
    renamed = sheet(tmp_path / "later.csv", f"No;Nama;NIP;Gol\n1;WULAN;{nip};IV/a\n")
    assert cli("roster", "import", str(renamed)).exit_code == 0
    verified = cli("certificate", "verify", "001/STTP/PRM-II/PKASN/2021", "--json").json()
    assert (verified["name"], verified["golongan"]) == ("Wulan Sari, S.Sos.", "III/a")
    listed = cli("certificate", "list", "--cohort", "PRM-2021-II", "--json").json()
    assert listed[0]["name"] == "Wulan Sari, S.Sos."
    assert json.loads(json.dumps(verified))["valid"] is True
