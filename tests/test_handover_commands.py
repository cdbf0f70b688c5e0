"""The hand-over commands run for real on the example cohort, after the README's walkthrough:
`report siasn`, `report closing`, `report ranking`, `report facilitators`, and remedials
(`score set/import --remedial`). Every file is read back and compared with what
`report completion --json` and `report attendance --json` say.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from revmental_cli.domain.agencies import fold
from revmental_cli.domain.siasn import COLUMNS
from tests.conftest import RunCli
from tests.test_journey import ATTENDANCE, COHORT, ROSTER, SCORES, SRI_WAHYUNI, ZOOM, ok

pytestmark = pytest.mark.both_backends

NDH17 = "197810062002082389"  # deferred: final score 66.00
NDH20 = "199808062023061230"  # deferred: no rancangan
NDH1 = "198309222012091919"  # passed


def walkthrough(cli: RunCli, *, roster: Path = ROSTER, cohort: Path = COHORT) -> None:
    """The README's commands up to the scores."""
    ok(cli("cohort", "open", str(cohort)))
    ok(cli("roster", "import", str(roster)))
    ok(cli("attendance", "import", *map(str, ZOOM)))
    for n in (4, 9):
        ok(cli("attendance", "import", str(ATTENDANCE / f"mandiri-sesi-{n:02d}.csv"), "-s", str(n)))
    ok(cli("attendance", "mark", SRI_WAHYUNI, "--session", "11", "--status", "izin"))
    ok(cli("score", "import", str(SCORES)))


def edited_roster(folder: Path) -> Path:
    """The example roster with BKN written twice differently and an agency of one person."""
    text = ROSTER.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    out = [lines[0]]
    for line in lines[1:]:
        cells = line.split(";")
        if cells[0] == "2":
            cells[8] = "badan  kepegawaian NEGARA "
        if cells[0] == "7":
            cells[8] = "Badan Riset dan Inovasi Nasional"
        out.append(";".join(cells))
    path = folder / "peserta.csv"
    path.write_text("\n".join(out) + "\n", encoding="utf-8-sig")
    return path


def cells(table: Any) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(path)).pages)


def id_decimal(value: float, places: int) -> str:
    return f"{value:.{places}f}".replace(".", ",")


# --- SIASN ---------------------------------------------------------------------------------


def test_siasn_refused_without_certificates_then_one_pair_per_agency(
    cli: RunCli, isolated: Path
) -> None:
    walkthrough(cli, roster=edited_roster(isolated))
    refused = cli("report", "siasn")
    assert refused.exit_code == 1
    assert "no STTP number" in refused.stderr and "NDH 1, NIP 198309222012091919" in refused.stderr
    assert "certificate issue" in refused.stderr
    assert not (isolated / "siasn-PRM-2021-II").exists()

    ok(cli("certificate", "issue"))
    written = ok(cli("report", "siasn", "--json")).json()
    report = ok(cli("report", "completion", "--json")).json()
    roster = {p["nip"]: p for p in ok(cli("roster", "show", "--json")).json()}
    numbers = {c["nip"]: c["number"] for c in ok(cli("certificate", "list", "--json")).json()}
    passed = [p for p in report["participants"] if p["status"] == "passed"]
    by_agency: dict[str, list[dict[str, Any]]] = {}
    for p in passed:
        by_agency.setdefault(fold(roster[p["nip"]]["agency"]), []).append(p)

    folder = isolated / "siasn-PRM-2021-II"
    assert {Path(w["file"]).parent.resolve() for w in written} == {folder.resolve()}
    assert len(written) == 2 * len(by_agency)  # BKN's two spellings are one agency
    names = {w["agency"] for w in written}
    assert "Badan Kepegawaian Negara" in names and "Badan Riset dan Inovasi Nasional" in names
    for w in written:
        path = Path(w["file"])
        if not path.is_absolute():
            path = isolated / path
        expected = by_agency[fold(w["agency"])]
        assert w["rows"] == len(expected)
        if w["format"] == "csv":
            raw = path.read_bytes()
            assert not raw.startswith(b"\xef\xbb\xbf")
            rows = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
        else:
            sheet = load_workbook(path).worksheets[0]
            rows = [[c.value for c in row] for row in sheet.iter_rows()]
            assert all(sheet.cell(r, 1).number_format == "@" for r in range(2, len(rows) + 1))
        assert tuple(rows[0]) == COLUMNS
        body = [dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]]
        assert [r["nip"] for r in body] == [p["nip"] for p in expected]
        for r, p in zip(body, expected, strict=True):
            assert r["nomorSertipikat"] == numbers[p["nip"]]
            assert r["dokumen"] == f"{p['ndh']:02d}_{p['nip']}.pdf"
            assert (r["tanggalKursus"], r["tanggalSelesaiKursus"]) == ("29-09-2021", "29-10-2021")
            assert str(r["jumlahJam"]) == "36" and str(r["tahunKursus"]) == "2021"
            assert str(r["jenisDiklatId"]) == "6"
            assert r["namaKursus"].startswith("Pelatihan Revolusi Mental")
            assert r["namaKursus"].endswith(" Angkatan II Tahun 2021")
    one = [w for w in written if w["agency"] == "Badan Riset dan Inovasi Nasional"]
    assert [w["rows"] for w in one] == [1, 1]
    history = ok(cli("history", "--json")).json()
    assert any("export: SIASN files of PRM-2021-II" in str(h) for h in history)


def test_nobody_passed(cli: RunCli, isolated: Path) -> None:
    # No attendance and no scores: nobody passes, yet the closing pack is still written.
    ok(cli("cohort", "open", str(COHORT)))
    ok(cli("roster", "import", str(ROSTER)))
    assert ok(cli("report", "ranking", "--json")).json() == []
    assert "nobody" in ok(cli("report", "ranking")).stdout
    assert ok(cli("report", "siasn", "--json")).json() == []
    assert not (isolated / "siasn-PRM-2021-II").exists()
    ok(cli("report", "closing", "--output", "pack"))
    text = "\n".join(
        p.text for p in Document(str(isolated / "pack" / "laporan-penyelenggaraan.docx")).paragraphs
    )
    assert "peringkat tidak disusun" in text


# --- the closing pack ----------------------------------------------------------------------


def test_closing_pack_matches_the_reports(cli: RunCli, isolated: Path) -> None:
    walkthrough(cli, roster=edited_roster(isolated))
    ok(cli("certificate", "issue"))
    ok(cli("report", "closing"))
    folder = isolated / "penutupan-PRM-2021-II"
    report = ok(cli("report", "completion", "--json")).json()
    attendance = ok(cli("report", "attendance", "--json")).json()
    roster = {p["nip"]: p for p in ok(cli("roster", "show", "--json")).json()}
    numbers = {c["nip"]: c["number"] for c in ok(cli("certificate", "list", "--json")).json()}
    people = report["participants"]
    words = {"passed": "Lulus", "deferred": "Ditunda", "not_passed": "Tidak lulus"}

    doc = Document(str(folder / "laporan-penyelenggaraan.docx"))
    _agencies, _curriculum, _facilitators, att, status, _bands, ranking, sttp = doc.tables
    assert cells(att)[1:] == [
        [str(p["ndh"]), p["name"], p["nip"], str(p["jp_attended"]), str(p["jp_total"]),
         id_decimal(p["attendance_pct"], 1)]
        for p in attendance["participants"]
    ]  # fmt: skip
    summary = report["summary"]
    assert cells(status)[1:4] == [
        ["Lulus", str(summary["passed"])],
        ["Ditunda", str(summary["deferred"])],
        ["Tidak Lulus", str(summary["not_passed"])],
    ]
    assert cells(sttp)[1:] == [
        [str(p["ndh"]), p["name"], p["nip"], numbers[p["nip"]]]
        for p in people
        if p["status"] == "passed"
    ]
    assert cells(ranking)[1][1:3] == ["Dewi Lestari, S.Kom.", "199310152019112298"]

    letters = sorted(folder.glob("surat-pengembalian-*.docx"))
    agencies = {fold(roster[p["nip"]]["agency"]) for p in people}
    assert len(letters) == len(agencies)
    seen = []
    for path in letters:
        (table,) = Document(str(path)).tables
        for row in cells(table)[1:]:
            p = next(q for q in people if q["nip"] == row[2])
            assert row[1] == p["name"]
            assert row[4].startswith(words[p["status"]])
            seen.append(row[2])
    assert sorted(seen) == sorted(p["nip"] for p in people)
    assert (folder / "surat-pengembalian-Badan Riset dan Inovasi Nasional.docx").exists()

    results = pdf_text(folder / "daftar-kelulusan.pdf")
    recap = pdf_text(folder / "rekap-kehadiran.pdf")
    for p in people:
        assert p["nip"] in results and id_decimal(p["final_score"], 2) in results
    for p in attendance["participants"]:
        assert p["nip"] in recap and id_decimal(p["attendance_pct"], 1) in recap

    book = load_workbook(folder / "lampiran.xlsx")
    rows = list(book["kelulusan"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[4]) for r in rows] == [(p["ndh"], p["final_score"]) for p in people]

    history = ok(cli("history", "--json")).json()
    assert any("export: closing pack of PRM-2021-II" in str(h) for h in history)
    # Written over the store: refused, nothing written.
    if os.environ["REVMENTAL_DB"].startswith("postgresql://"):
        return  # a register: no store file here to write over
    store = Path(os.environ["REVMENTAL_DB"])
    assert cli("report", "closing", "--output", str(store)).exit_code != 0
    assert store.is_file()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not on PATH")
def test_closing_documents_open_in_libreoffice(cli: RunCli, isolated: Path) -> None:
    walkthrough(cli)
    ok(cli("certificate", "issue"))
    ok(cli("report", "closing", "--output", "pack"))
    documents = sorted((isolated / "pack").glob("*.docx"))
    out = isolated / "pdf"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(isolated / 'profile').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(out), *map(str, documents)],
        check=True, capture_output=True, timeout=300, env={**os.environ, "HOME": str(isolated)},
    )  # fmt: skip
    for document in documents:
        converted = out / f"{document.stem}.pdf"
        assert converted.is_file() and len(PdfReader(str(converted)).pages) >= 1, document.name


# --- ranking and honorarium ----------------------------------------------------------------


def test_ranking_shares_ties(cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    walkthrough(cli)
    ranked = ok(cli("report", "ranking", "--json")).json()
    assert [(r["rank"], r["shared"], r["ndh"]) for r in ranked] == [
        (1, False, 7),
        (2, True, 1),
        (2, True, 13),  # 92.10 and 100% both: the same rank, in NDH order
    ]
    assert set(ranked[0]) == {
        "rank", "shared", "ndh", "nip", "name", "final_score", "attendance_pct", "predicate"
    }  # fmt: skip
    assert ranked[1]["final_score"] == 92.1 and ranked[1]["attendance_pct"] == 100.0
    assert [r["ndh"] for r in ok(cli("report", "ranking", "--top", "1", "--json")).json()] == [7]
    # --top 2 cuts inside the tie: both holders of rank 2 are in.
    assert len(ok(cli("report", "ranking", "--top", "2", "--json")).json()) == 3
    assert "(shared)" in ok(cli("report", "ranking")).stdout
    monkeypatch.setenv("REVMENTAL_LANG", "id")
    assert "(bersama)" in ok(cli("report", "ranking")).stdout
    assert cli("report", "ranking", "--top", "0").exit_code == 2


def test_facilitators_honorarium(
    cli: RunCli, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A variant of the example: F05 only supervises the self-study sessions; F04 earns over
    # Rp 1 billion.
    text = COHORT.read_text(encoding="utf-8")
    text = text.replace(
        "    rate_per_jp: 1400000\n",
        "    rate_per_jp: 300000000\n"
        "  - id: F05\n    name: Drs. Joko Susilo\n    role: fasilitator\n    rate_per_jp: 500000\n",
    )
    text = text.replace(
        "(belajar mandiri)\n    jp: 4\n", "(belajar mandiri)\n    jp: 4\n    facilitator: F05\n"
    )
    assert text.count("facilitator: F05") == 2
    variant = isolated / "prm-variant.yaml"
    variant.write_text(text, encoding="utf-8")
    ok(cli("cohort", "open", str(variant)))
    data = ok(cli("report", "facilitators", "--json")).json()
    by_id = {f["id"]: f for f in data["facilitators"]}
    assert (by_id["F01"]["jp_live"], by_id["F01"]["amount"]) == (12, 10_800_000)
    assert by_id["F02"]["internal"] is True and by_id["F02"]["amount"] == 8_100_000
    assert by_id["F04"]["amount"] == 1_200_000_000
    f05 = by_id["F05"]
    assert (f05["jp_live"], f05["jp_self_study"], f05["jp_honorarium"], f05["amount"]) == (
        0, 8, 0, 0
    )  # fmt: skip
    assert [s["session"] for s in f05["sessions"]] == [4, 9]
    assert data["total"]["amount"] == 10_800_000 + 8_100_000 + 2_100_000 + 1_200_000_000
    assert data["total"]["jp_self_study"] == 8

    ok(cli("report", "facilitators", "--format", "csv", "--output", "honor.csv"))
    rows = list(csv.DictReader(io.StringIO((isolated / "honor.csv").read_text("utf-8-sig"))))
    assert rows[3]["amount"] == "1200000000" and rows[-1]["id"] == "total"
    ok(cli("report", "facilitators", "--format", "xlsx", "--output", "honor.xlsx"))
    sheet = load_workbook(isolated / "honor.xlsx").worksheets[0]
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    assert values[3][10] == 1_200_000_000 and values[3][9] == 300_000_000

    monkeypatch.setenv("REVMENTAL_LANG", "id")
    monkeypatch.setenv("COLUMNS", "120")
    table = ok(cli("report", "facilitators")).stdout
    assert "Rp 1.200.000.000" in table and "Rp 900.000" in table
    assert "Rp 1.221.000.000" in table


# --- remedial ------------------------------------------------------------------------------


def participant(report: dict[str, Any], nip: str) -> dict[str, Any]:
    return next(p for p in report["participants"] if p["nip"] == nip)


def test_remedial_passes_a_deferred_participant_at_the_pass_line(
    cli: RunCli, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    walkthrough(cli)
    before = ok(cli("report", "completion", "--json")).json()
    assert [p["ndh"] for p in before["participants"] if p["status"] == "deferred"] == [17, 20]
    assert all(p["remedial"] is None for p in before["participants"])

    # A passed participant takes no remedial.
    refused = cli("score", "set", NDH1, "rancangan", "90", "--remedial")
    assert refused.exit_code == 1 and "only a deferred participant" in refused.stderr
    assert cli("score", "set", NDH17, "rancangan", "80", "--date", "2021-11-05").exit_code == 2

    ok(cli("score", "set", NDH17, "rancangan", "80", "--remedial", "--date", "2021-11-05"))
    ok(cli("score", "set", NDH20, "rancangan", "50", "--remedial", "--date", "2021-11-05"))
    after = ok(cli("report", "completion", "--json")).json()
    p17 = participant(after, NDH17)
    assert (p17["status"], p17["final_score"], p17["predicate"]) == (
        "passed", 70.01, "Cukup Memuaskan"
    )  # fmt: skip
    assert p17["reasons"] == ["passed after remedial"]
    assert p17["remedial"]["date"] == "2021-11-05"
    assert (p17["remedial"]["component"], p17["remedial"]["score"]) == ("rancangan", 80.0)
    assert p17["remedial"]["original_status"] == "deferred"
    assert p17["remedial"]["original_final_score"] == 66.0
    assert p17["scores"] == participant(before, NDH17)["scores"]  # the first scores stay
    p20 = participant(after, NDH20)
    assert p20["status"] != "passed" and p20["remedial"]["score"] == 50.0
    assert p20["final_score"] == 64.6  # 39.60 + 0.5 x 50
    assert after["summary"] == {"passed": 22, "deferred": 0, "not_passed": 3}

    # The same assessment everywhere: the certificate, the ranking, SIASN.
    ok(cli("certificate", "issue"))
    holders = {c["nip"] for c in ok(cli("certificate", "list", "--json")).json()}
    assert NDH17 in holders and NDH20 not in holders
    ranked = ok(cli("report", "ranking", "--top", "30", "--json")).json()
    assert ranked[-1]["nip"] == NDH17 and ranked[-1]["final_score"] == 70.01
    ok(cli("report", "siasn"))

    # A sheet of re-evaluations: NDH 20 is judged on the first result (deferred) again.
    sheet = isolated / "perbaikan.csv"
    sheet.write_text(f"NIP,rancangan\n{NDH20},90\n", encoding="utf-8")
    ok(cli("score", "import", str(sheet), "--remedial", "--date", "2021-11-12"))
    p20 = participant(ok(cli("report", "completion", "--json")).json(), NDH20)
    assert (p20["status"], p20["final_score"]) == ("passed", 70.01)
    assert p20["remedial"]["date"] == "2021-11-12"
    passed = isolated / "lulus.csv"
    passed.write_text(f"NIP,rancangan\n{NDH1},90\n", encoding="utf-8")
    assert cli("score", "import", str(passed), "--remedial").exit_code == 1

    monkeypatch.setenv("REVMENTAL_LANG", "id")
    monkeypatch.setenv("COLUMNS", "160")
    assert "lulus setelah perbaikan" in ok(cli("report", "completion")).stdout
