"""Files and situations found by exploratory testing with real-world exports and consoles."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from tests.conftest import (
    CANONICAL,
    EXAMPLES,
    FIXTURES,
    ROOT,
    ImportRoster,
    RunCli,
    sheet,
)
from tests.conftest import query as rows
from tests.conftest import revmental_process as run

# The sheets here are written as Excel's "CSV UTF-8" saves them, with a byte-order mark.


# --- consoles ---------------------------------------------------------------------------------


def test_a_console_that_cannot_show_a_name_prints_a_substitute_not_a_crash(
    prm: Path, store_path: Path, tmp_path: Path
) -> None:
    names = sheet(
        tmp_path / "cn.csv",
        "No;Nama;NIP\n1;陈志明 (Tan Tjie Beng);19801006 200204 1 080\n"
        "2;Nguyễn Thị Ánh;19880714 201403 2 004\n",
        bom=True,
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


def test_a_narrow_terminal_keeps_nip_and_status(
    cli: RunCli, enrolled: Path, monkeypatch: Any
) -> None:
    assert cli("roster", "withdraw", "198010062002042080").exit_code == 0
    monkeypatch.setenv("COLUMNS", "60")
    shown = cli("roster", "show").stdout
    assert "198010062002042080" in shown and "withdrawn" in shown


@pytest.mark.parametrize("columns", ["60", "80"])
def test_a_narrow_terminal_keeps_the_cohort_id_and_status(
    cli: RunCli, prm: Path, monkeypatch: Any, columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.setenv("REVMENTAL_LANG", "id")
    shown = cli("cohort", "list", "--all").stdout
    assert "PRM-2021-II" in shown and "dibuka" in shown, shown
    assert max(len(line) for line in shown.splitlines()) <= int(columns)


# --- roster sheets ----------------------------------------------------------------------------


def test_golongan_without_ruang_is_not_taken_for_pppk(
    prm: Path, store_path: Path, import_roster: ImportRoster
) -> None:
    result = import_roster(
        "g.csv",
        "No;Nama;NIP;Gol\n1;Ani;19880714 201403 2 004;III\n2;Budi;19900101 201513 1 002;IV\n",
        bom=True,
    )
    assert result.exit_code == 1
    assert "line 2: Gol: golongan III needs its ruang, e.g. III/a" in result.stderr
    assert "line 3: NIP: NIP digits 13-14 are not a month (13)" in result.stderr
    assert rows(store_path, "SELECT count(*) FROM people") == [(0,)]
    marked = import_roster(
        "p.csv",
        "No;Nama;NIP;Gol;Status Kepegawaian\n"
        "1;Ani;19880714 201403 2 004;III;PPPK\n2;Cici;19900101 201521 2 003;IX;\n",
        bom=True,
    )
    assert marked.exit_code == 0, marked.stderr
    assert rows(store_path, "SELECT golongan, employment FROM people ORDER BY nip") == [
        ("III", "PPPK"),
        ("IX", "PPPK"),
    ]


def test_excel_text_formula_nip_and_typed_punctuation_are_honest(
    prm: Path, store_path: Path, import_roster: ImportRoster
) -> None:
    result = import_roster(
        "f.csv",
        'No;Nama;NIP;No HP\n1;Ani;="198807142014032004";'
        '="081234567890"\n2;Budi;\u2019198010062002041080;0812\u20113456\u20117890\n',
        bom=True,
    )
    assert result.exit_code == 0, result.stderr
    assert rows(store_path, "SELECT nip, phone FROM people ORDER BY nip") == [
        ("198010062002041080", "+6281234567890"),
        ("198807142014032004", "+6281234567890"),
    ]


def test_title_cells_separate_titles_and_a_totals_row(
    prm: Path, store_path: Path, import_roster: ImportRoster
) -> None:
    result = import_roster(
        "s.csv",
        "DAFTAR PESERTA;;;Angkatan II\n\n"
        "No;Gelar Depan;Nama;Gelar Belakang;NIP\n"
        "1;Dr.;Ahmad Fauzi;M.Si.;19880714 201403 2 004\n"
        "2;;Wulan Sari;S.Sos.;19801006 200204 2 080\n"
        ";Jumlah Peserta: 2;;;\n",
        "--json",
        bom=True,
    )
    assert result.exit_code == 0, result.stderr
    assert result.json()["created"] == 2
    assert [r[0] for r in rows(store_path, "SELECT name FROM people ORDER BY nip")] == [
        "Wulan Sari, S.Sos.",
        "Dr. Ahmad Fauzi, M.Si.",
    ]


def test_skip_invalid_with_no_valid_row_left_fails_and_writes_nothing(
    prm: Path, store_path: Path, import_roster: ImportRoster
) -> None:
    result = import_roster(
        "bad.csv", "No;Nama;NIP\n1;Ani;1,98807E+17\n", "--skip-invalid", "--json", bom=True
    )
    assert result.exit_code == 1
    assert result.json()["written"] is False
    assert rows(store_path, "SELECT count(*) FROM history WHERE summary LIKE 'roster%'") == [(0,)]
    result = import_roster(
        "mixed.csv",
        "No;Nama;NIP\n1;Ani;1,98807E+17\n2;Budi;19801006 200204 1 080\n",
        "--skip-invalid",
        bom=True,
    )
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
    cli: RunCli, enrolled: Path, store_path: Path, tmp_path: Path
) -> None:
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
    csv = sheet(tmp_path / "n.csv", "NIP;rancangan\n198010062002042080;88%\n", bom=True)
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
    cli: RunCli, prm: Path, import_roster: ImportRoster
) -> None:
    nip = "198010062002042080"
    one = import_roster("one.csv", f"No;Nama;NIP;Gol\n1;Wulan Sari, S.Sos.;{nip};III/a\n", bom=True)
    assert one.exit_code == 0, one.stderr
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
    renamed = import_roster("later.csv", f"No;Nama;NIP;Gol\n1;WULAN;{nip};IV/a\n", bom=True)
    assert renamed.exit_code == 0, renamed.stderr
    verified = cli("certificate", "verify", "001/STTP/PRM-II/PKASN/2021", "--json").json()
    assert (verified["name"], verified["golongan"]) == ("Wulan Sari, S.Sos.", "III/a")
    listed = cli("certificate", "list", "--cohort", "PRM-2021-II", "--json").json()
    assert listed[0]["name"] == "Wulan Sari, S.Sos."
    assert json.loads(json.dumps(verified))["valid"] is True


# --- attendance reports -----------------------------------------------------------------------

ZOOM_HEAD = (
    "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants\n"
    "812 3456 7890,Sesi 1,09/29/2021 08:50:02 AM,09/29/2021 12:07:02 PM,host@lan.example,197,3\n"
    "\n"
)


def zoom(path: Path, header: str, *lines: str) -> Path:
    path.write_text(ZOOM_HEAD + header + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def statuses(cli: RunCli, session: int) -> dict[str, tuple[str, Any]]:
    shown = cli("attendance", "show", "--session", str(session), "--json").json()
    return {r["nip"]: (r["status"], r["minutes"]) for r in shown}


def test_a_report_of_another_day_is_refused_not_marked_absent(
    cli: RunCli, enrolled: Path, store_path: Path
) -> None:
    before = rows(store_path, "SELECT count(*) FROM attendance")
    session_1 = str(FIXTURES / "attendance" / "zoom-sesi-1.csv")
    result = cli("attendance", "import", session_1, "--session", "2")
    assert result.exit_code == 1
    assert "no row of the report falls within session 2" in result.stderr
    assert rows(store_path, "SELECT count(*) FROM attendance") == before


def test_unique_users_count_total_duration_not_first_join_to_last_leave(
    cli: RunCli, enrolled: Path, tmp_path: Path
) -> None:
    report = zoom(
        tmp_path / "unique.csv",
        "Name (Original Name),User Email,Join Time,Leave Time,Total Duration (Minutes),Guest",
        "Wulan Sari,wulan.sari@bkn.example,09/29/2021 08:55:00 AM,09/29/2021 12:00:00 PM,25,No",
        "Ani Rahayu,ani.rahayu@bkn.example,09/29/2021 09:40:00 AM,09/29/2021 12:00:00 PM,140,No",
    )
    assert cli("attendance", "import", str(report)).exit_code == 0
    got = statuses(cli, 1)
    assert got["198010062002042080"] == ("absent", 25.0)  # connected 25 of 180 minutes
    assert got["199408022017112466"] == ("late", 140.0)  # first join 09:40


def test_indonesian_zoom_headers_use_the_participants_email(
    cli: RunCli, enrolled: Path, tmp_path: Path
) -> None:
    report = zoom(
        tmp_path / "id.csv",
        "Nama (Nama Asli),Email Pengguna,Waktu Bergabung,Waktu Keluar,Durasi (Menit),Tamu",
        "Wulan S,wulan.sari@bkn.example,09/29/2021 08:55:00 AM,09/29/2021 12:00:00 PM,185,Tidak",
    )
    result = cli("attendance", "import", str(report), "--json")
    assert result.exit_code == 0, result.stderr
    wulan = next(p for p in result.json()["participants"] if p["nip"] == "198010062002042080")
    assert (wulan["status"], wulan["matched_by"]) == ("present", "email")


def test_a_facilitator_with_a_participants_name_is_not_credited_to_them(
    cli: RunCli, enrolled: Path, tmp_path: Path
) -> None:
    report = zoom(
        tmp_path / "cohost.csv",
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest",
        '"Dra. Ani Rahayu, M.Si.",ani.rahayu@lan.example,09/29/2021 08:55:00 AM,'
        "09/29/2021 12:00:00 PM,185,No",
    )
    result = cli("attendance", "import", str(report), "--json")
    data = result.json()
    ani = next(p for p in data["participants"] if p["nip"] == "199408022017112466")
    assert ani["status"] == "absent"
    assert [(u["reason"], u["candidates"][0]["nip"]) for u in data["unmatched"]] == [
        ("ambiguous", "199408022017112466")
    ]


def test_a_sheet_with_one_nip_twice_is_refused(
    cli: RunCli, enrolled: Path, store_path: Path, tmp_path: Path
) -> None:
    twice = sheet(
        tmp_path / "k.csv",
        "NIP;Nama;Keterangan\n19830922 201209 1 919;Ahmad;Hadir\n198309222012091919;Ahmad;Alpa\n",
        bom=True,
    )
    result = cli("attendance", "import", str(twice), "--session", "4")
    assert result.exit_code == 1
    assert "line 3: NIP: 198309222012091919 is also on line 2" in result.stderr
    assert rows(store_path, "SELECT count(*) FROM attendance") == [(0,)]


def test_a_dry_run_does_not_wait_for_the_write_lock(
    prm: Path, store_path: Path, tmp_path: Path
) -> None:
    assert run(["roster", "import", str(CANONICAL)], store_path, tmp_path).returncode == 0
    holder = sqlite3.connect(store_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = run(
            ["attendance", "import", str(FIXTURES / "attendance" / "zoom-sesi-1.csv"), "--dry-run"],
            store_path,
            tmp_path,
            REVMENTAL_BUSY_TIMEOUT="0.2",
        )
        assert result.returncode == 0, result.stderr
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_cohort_closed_meanwhile_refuses_the_write(prm: Path, store_path: Path) -> None:
    import pytest

    from revmental_cli.errors import InputError
    from revmental_cli.store import open_store
    from revmental_cli.store.cohorts import assert_open

    with open_store(store_path, create=False) as store:
        other = sqlite3.connect(store_path)
        other.execute("UPDATE cohorts SET status = 'closed'")  # `cohort close` elsewhere
        other.commit()
        other.close()
        with pytest.raises(InputError, match="closed"), store.write():
            assert_open(store, "PRM-2021-II")


def test_certificate_issue_names_holders_who_no_longer_pass(
    cli: RunCli, prm: Path, import_roster: ImportRoster
) -> None:
    nip = "198010062002042080"
    one = import_roster("one.csv", f"No;Nama;NIP\n1;Wulan Sari, S.Sos.;{nip}\n", bom=True)
    assert one.exit_code == 0, one.stderr
    for session in range(1, 12):
        assert (
            cli("attendance", "mark", nip, "-s", str(session), "--status", "hadir").exit_code == 0
        )
    for key in ("sikap", "akademik", "rancangan"):
        assert cli("score", "set", nip, key, "90").exit_code == 0
    assert cli("certificate", "issue").exit_code == 0
    assert cli("attendance", "mark", nip, "-s", "1", "--status", "alpa").exit_code == 0
    again = cli("certificate", "issue")
    assert "Wulan Sari, S.Sos. (NDH 1) holds a certificate but no longer passes" in again.stderr
    assert "attendance 88.9% < 90%" in again.stderr


def test_exports_of_personal_data_are_in_the_history(
    cli: RunCli, enrolled: Path, tmp_path: Path
) -> None:
    assert cli("roster", "show", "--format", "csv").exit_code == 0
    out = tmp_path / "kelulusan.xlsx"
    assert cli("report", "completion", "--format", "xlsx", "--output", str(out)).exit_code == 0
    assert cli("report", "completion", "--json").exit_code == 0  # printing is not exporting
    exports = [h for h in cli("history", "--json").json() if h["summary"].startswith("export:")]
    assert [(h["command"], h["file"]) for h in exports] == [
        ("revmental roster show", "stdout"),
        ("revmental report completion", str(out)),
    ]
    assert all(h["user"] for h in exports)


def test_a_google_forms_presence_list_marks_who_filled_it_present(
    cli: RunCli, enrolled: Path, tmp_path: Path
) -> None:
    form = tmp_path / "presensi.csv"
    form.write_text(
        "Stempel waktu,Nama,NIP\n"
        "29/09/2021 9:03:21,Wulan Sari,198010062002042080\n"
        "29/09/2021 9:05:00,Wulan Sari,19801006 200204 2 080\n",  # sent twice
        encoding="utf-8",
    )
    # Session 1 is on 29/09/2021, the day of the answers.
    result = cli("attendance", "import", str(form), "--session", "1", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["summary"]["present"] == 1
    assert statuses(cli, 1)["198010062002042080"] == ("present", None)


# --- found by the final review ------------------------------------------------------------------


def test_skip_invalid_resolves_ndh_chains_instead_of_crashing(
    enrolled: Path, store_path: Path, import_roster: ImportRoster
) -> None:
    # Ahmad (NDH 1) asks for Wulan's 2; Wulan asks for 4, which belongs to someone not in the
    # file: Wulan is rejected, so she keeps 2, so Ahmad must be rejected too.
    result = import_roster(
        "chain.csv",
        "No;Nama;NIP\n2;Ahmad;19830922 201209 1 919\n4;Wulan;19801006 200204 2 080\n",
        "--skip-invalid",
        "--json",
        bom=True,
    )
    assert result.exit_code == 1, result.stderr
    assert [r["line"] for r in result.json()["rejected"]] == [2, 3]
    assert "internal error" not in result.stderr
    assert rows(store_path, "SELECT ndh FROM enrollments WHERE nip = '198309222012091919'") == [
        (1,)
    ]


def test_an_absurd_ndh_is_a_row_error(prm: Path, import_roster: ImportRoster) -> None:
    result = import_roster(
        "big.csv", "No;Nama;NIP\n99999999999999999999;Ani;19880714 201403 2 004\n", bom=True
    )
    assert result.exit_code == 1
    assert "line 2: No: must be a positive whole number" in result.stderr
    # A centre's running number may well have six digits.
    running = import_roster("run.csv", "No;Nama;NIP\n123456;Ani;19880714 201403 2 004\n", bom=True)
    assert running.exit_code == 0, running.stderr


def test_an_empty_file_is_no_store_for_a_read(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    result = run(["cohort", "list"], empty, tmp_path)
    assert result.returncode == 1 and "no store yet" in result.stderr
    assert empty.stat().st_size == 0
    opened = run(["cohort", "open", str(EXAMPLES / "prm-2021-ii.yaml")], empty, tmp_path)
    assert opened.returncode == 0, opened.stderr
    if sys.platform != "win32":
        assert oct(empty.stat().st_mode & 0o777) == "0o600"


def test_an_export_on_a_busy_store_exports_nothing(
    prm: Path, store_path: Path, tmp_path: Path
) -> None:
    holder = sqlite3.connect(store_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        out = tmp_path / "rep.xlsx"
        result = run(
            ["report", "completion", "--format", "xlsx", "--output", str(out)],
            store_path,
            tmp_path,
            REVMENTAL_BUSY_TIMEOUT="0.2",
        )
        assert result.returncode == 3
        assert not out.exists()
        backup = run(
            ["db", "backup", str(tmp_path / "b.db")],
            store_path,
            tmp_path,
            REVMENTAL_BUSY_TIMEOUT="0.2",
        )
        assert backup.returncode == 3 and not (tmp_path / "b.db").exists()
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_patterns_are_expanded_by_the_tool(cli: RunCli, examples: Path, prm: Path) -> None:
    checked = cli("cohort", "validate", str(examples / "*.yaml"))
    assert checked.exit_code == 0, checked.stderr
    assert "LATSAR-2022-XIV is valid" in checked.stderr and "PRM-2021-II is valid" in checked.stderr
    one = cli("roster", "import", str(FIXTURES / "roster" / "peserta-prm-2021-ii.c*"))
    assert one.exit_code == 0, one.stderr
    many = cli("roster", "import", str(FIXTURES / "roster" / "peserta-*.csv"))
    assert many.exit_code == 2


def test_an_attendance_sheet_typed_in_excel_imports(
    cli: RunCli, enrolled: Path, tmp_path: Path
) -> None:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["NIP", "Nama", "Keterangan"])
    ws.append(["19801006 200204 2 080", "Wulan", "Sakit"])
    ws.append(["198309222012091919", "Ahmad", "hadir"])
    book.save(tmp_path / "ket.xlsx")
    assert cli("attendance", "import", str(tmp_path / "ket.xlsx"), "--session", "3").exit_code == 0
    got = statuses(cli, 3)
    assert got["198010062002042080"][0] == "sick" and got["198309222012091919"][0] == "present"


def test_a_meeting_opened_long_before_its_session_finds_it(
    cli: RunCli, enrolled: Path, tmp_path: Path
) -> None:
    report = tmp_path / "early.csv"
    report.write_text(
        "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants\n"
        "812,Sesi 1,09/29/2021 07:45:00 AM,09/29/2021 12:05:00 PM,host@lan.example,260,2\n\n"
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
        "Wulan Sari,wulan.sari@bkn.example,09/29/2021 08:58:00 AM,09/29/2021 12:00:00 PM,182,No\n",
        encoding="utf-8",
    )
    result = cli("attendance", "import", str(report), "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["session"] == 1


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="uses bash and head")
def test_a_table_piped_into_head_ends_with_exit_0(
    tmp_path: Path, store_path: Path, bench: Any
) -> None:
    """`revmental roster show | head -1`: Rich ends a broken pipe with exit 1, which the
    contract reserves for wrong input. 3,000 rows: more than a pipe holds."""
    (tmp_path / "besar.yaml").write_text(bench.COHORT_YAML, encoding="utf-8")
    bench.make_roster(tmp_path / "peserta.csv", 3000)
    env = {**os.environ, "REVMENTAL_DB": str(store_path), "COLUMNS": "100"}
    me = f'"{sys.executable}" -m revmental_cli'
    for step in (f"{me} cohort open besar.yaml", f"{me} roster import peserta.csv"):
        subprocess.run(["bash", "-c", step], env=env, cwd=tmp_path, check=True, capture_output=True)
    done = subprocess.run(
        ["bash", "-c", f"{me} roster show | head -1 >/dev/null; exit ${{PIPESTATUS[0]}}"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_end_of_cohort_tables_fit_60_columns_without_cutting_words(
    cli: RunCli, prm: Path, monkeypatch: Any, language: str
) -> None:
    """Statuses, reasons, certificate states and history files wrap or give way to less
    needed columns; nothing is cut mid-word and no line is wider than the terminal."""
    shutil.copy(CANONICAL, "peserta.csv")  # a short name: the history's file column holds it
    assert cli("roster", "import", "peserta.csv").exit_code == 0
    nip = "198010062002042080"
    assert cli("attendance", "mark", nip, "--session", "1", "--status", "alpa").exit_code == 0
    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.setenv("REVMENTAL_LANG", language)
    for args in (("report", "completion"), ("history",), ("attendance", "show")):
        shown = cli(*args).stdout
        assert max(len(line) for line in shown.splitlines()) <= 60, (args, shown)
        assert "…" not in shown, (args, shown)
    completion = cli("report", "completion").stdout
    assert ("not passed" if language == "en" else "tidak lulus") in completion
    history = cli("history").stdout
    assert "roster" in history and "peserta.csv" in history


def test_a_closed_stderr_does_not_stop_an_import(
    prm: Path, store_path: Path, tmp_path: Path
) -> None:
    """`revmental roster import f.csv 2>&1 | head -1`: once the reader is gone, every message
    meets a closed pipe; the import must still be written (it ended silently with 0 and
    nothing enrolled). Here stderr is closed before the first message."""
    sheet = tmp_path / "peserta.csv"
    sheet.write_bytes("NIP;Nama\n198807142014032004;Ayu Lestari é\n".encode("cp1252"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "revmental_cli", "roster", "import", str(sheet)],
        env={**os.environ, "REVMENTAL_DB": str(store_path)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert proc.stderr is not None
    proc.stderr.close()
    proc.wait(timeout=60)
    assert rows(store_path, "SELECT count(*) FROM enrollments") == [(1,)]
