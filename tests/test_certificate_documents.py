"""Printed STTPs through the real commands: certificate render, template, check and publish.

The store is the README's journey on the example cohort (21 passed, 21 certificates issued),
built once and copied into each test's own store. Every file is read back: PDF text with
pypdf, Word text with python-docx, the verification site in a real headless browser.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from pypdf import PdfReader, PdfWriter

from revmental_cli.domain.words import group_nip
from tests.conftest import ROOT, RunCli, query
from tests.test_journey import CERTIFICATES, EXPECTED, NIP_OF, PASSED_NDH, journey, ok

PRM = "PRM-2021-II"
FOLDER = f"sttp-{PRM}"
_BUILT: dict[str, Path] = {}


@pytest.fixture
def issued(
    cli: RunCli, store_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, Any]]:
    """The journey's store with its 21 certificates; returns the certificates by number."""
    if "store" not in _BUILT:
        journey(cli)
        ok(cli("certificate", "issue"))
        keep = tmp_path_factory.mktemp("issued") / "revmental.db"
        con = sqlite3.connect(store_path)
        con.execute("VACUUM INTO ?", (str(keep),))
        con.close()
        _BUILT["store"] = keep
    else:
        store_path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(_BUILT["store"], store_path)
    return {c["number"]: c for c in ok(cli("certificate", "list", "--json")).json()}


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_text(path: Path) -> str:
    return flat(" ".join(p.extract_text() for p in PdfReader(path).pages))


def docx_text(path: Path) -> str:
    doc = docx.Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return flat("\n".join(parts))


def file_name(ndh: int, fmt: str = "pdf") -> str:
    return f"{ndh:02d}_{NIP_OF[ndh]}.{fmt}"


# --- render -----------------------------------------------------------------------------------


def test_render_makes_one_pdf_per_certificate_matching_the_store(
    cli: RunCli, issued: dict[str, dict[str, Any]], isolated: Path, store_path: Path
) -> None:
    ok(cli("certificate", "render"))
    folder = isolated / FOLDER
    assert sorted(p.name for p in folder.iterdir()) == [file_name(n) for n in PASSED_NDH]
    codes = dict(query(store_path, "SELECT number, code FROM certificates"))
    for ndh in PASSED_NDH:
        number, nip = CERTIFICATES[ndh], NIP_OF[ndh]
        text = pdf_text(folder / file_name(ndh))
        cert = issued[number]
        assert number in text and cert["name"] in text, ndh
        assert group_nip(nip) in text and EXPECTED[nip][2] in text, ndh
        assert "Jatinangor, 29 Oktober 2021" in text and "Dr. Nama Pejabat, M.Si." in text
        assert codes[number] in text  # printed under the QR code
    first = (folder / file_name(1)).read_bytes()
    assert len(PdfReader(folder / file_name(1)).pages) == 2  # the sessions on the back

    # The register keeps every file's SHA-256; re-rendering gives the same bytes.
    kept = query(store_path, "SELECT number, format, file_name, sha256 FROM certificate_files")
    assert len(kept) == 21 and {k[1] for k in kept} == {"pdf"}
    ok(cli("certificate", "render"))
    assert (folder / file_name(1)).read_bytes() == first
    assert len(query(store_path, "SELECT 1 FROM certificate_files")) == 21
    history = ok(cli("history", "--json")).json()
    exports = [h for h in history if "certificates of PRM-2021-II as pdf" in json.dumps(h)]
    assert len(exports) == 2


def test_render_docx_fills_the_word_template(
    cli: RunCli, issued: dict[str, dict[str, Any]], isolated: Path
) -> None:
    out = isolated / "word"
    data = ok(cli("certificate", "render", "--format", "docx", "--output", str(out), "--json"))
    assert data.json()["count"] == 21
    assert sorted(p.name for p in out.iterdir()) == [file_name(n, "docx") for n in PASSED_NDH]
    for ndh in PASSED_NDH:
        text = docx_text(out / file_name(ndh, "docx"))
        assert CERTIFICATES[ndh] in text and issued[CERTIFICATES[ndh]]["name"] in text
    first = (out / file_name(1, "docx")).read_bytes()
    ok(cli("certificate", "render", "--format", "docx", "--output", str(out)))
    assert (out / file_name(1, "docx")).read_bytes() == first

    broken = isolated / "rusak.docx"
    broken.write_bytes(b"PK\x03\x04 not really a Word file")
    run = cli("certificate", "render", "--format", "docx", "--template", str(broken), "-o", "x")
    assert run.exit_code == 1 and "rusak.docx" in run.stderr and not (isolated / "x").exists()
    usage = cli("certificate", "render", "--format", "docx", "--one-file", "semua.pdf")
    assert usage.exit_code == 2 and not (isolated / "semua.pdf").exists()


def test_revoked_certificate_is_not_rendered_and_its_page_says_dicabut(
    cli: RunCli, issued: dict[str, dict[str, Any]], isolated: Path, store_path: Path
) -> None:
    site = isolated / "situs"
    ok(cli("certificate", "publish", "--output", str(site)))
    code = dict(query(store_path, "SELECT number, code FROM certificates"))[CERTIFICATES[1]]
    page = site / "v" / f"{code}.html"
    assert "SAH" in page.read_text(encoding="utf-8")

    ok(cli("certificate", "render"))
    mine = isolated / FOLDER / "catatan.txt"  # the user's own file in the folder stays
    mine.write_text("jangan dihapus", encoding="utf-8")
    ok(cli("certificate", "revoke", CERTIFICATES[1], "--reason", "salah nama"))
    run = ok(cli("certificate", "render"))
    names = sorted(p.name for p in (isolated / FOLDER).iterdir())
    # The revoked STTP an earlier render left is removed, so it is not mailed by mistake.
    assert names == [file_name(n) for n in PASSED_NDH if n != 1] + ["catatan.txt"]
    assert file_name(1) in run.stderr

    ok(cli("certificate", "publish", "--output", str(site)))  # again: the page is updated
    text = page.read_text(encoding="utf-8")
    assert "DICABUT" in text and ">SAH<" not in text
    listed = json.loads((site / "certificates.json").read_text(encoding="utf-8"))
    assert len(listed) == 21
    assert next(e for e in listed if e["code"] == code)["status"] == "DICABUT"
    # Nothing that identifies the holder beyond a masked name.
    everything = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*") if p.is_file())
    for nip in NIP_OF.values():
        assert nip not in everything and group_nip(nip) not in everything
    assert "@" not in everything and "Ahmad Fauzi" not in everything
    assert "Dr. Ir. H. Ah*** Fa*** , M.Si." in everything
    assert "http://" not in everything and "https://" not in everything
    assert not list(isolated.glob(".situs*"))  # no staging folder left


def test_one_file_holds_every_page_in_ndh_order(
    cli: RunCli, issued: dict[str, dict[str, Any]], isolated: Path
) -> None:
    ok(cli("certificate", "render", "--one-file", "semua.pdf"))
    assert not (isolated / FOLDER).exists()  # only the file asked for
    reader = PdfReader(isolated / "semua.pdf")
    assert len(reader.pages) == 21 * 2
    fronts = [flat(reader.pages[i].extract_text()) for i in range(0, 42, 2)]
    for ndh, text in zip(PASSED_NDH, fronts, strict=True):
        assert CERTIFICATES[ndh] in text


def test_zip_holds_the_files_and_a_mail_merge_list(
    cli: RunCli, issued: dict[str, dict[str, Any]], isolated: Path
) -> None:
    ok(cli("certificate", "render", "--zip", "sttp.zip"))
    with zipfile.ZipFile(isolated / "sttp.zip") as archive:
        names = archive.namelist()
        assert sorted(names) == sorted([file_name(n) for n in PASSED_NDH] + ["kirim.csv"])
        rows = list(csv.DictReader(io.StringIO(archive.read("kirim.csv").decode("utf-8-sig"))))
    roster = ok(cli("roster", "show", "--json")).json()
    people = roster["participants"] if isinstance(roster, dict) else roster
    email = {p["nip"]: p["email"] for p in people}
    assert list(rows[0]) == ["email", "name", "nip", "number", "file"]
    assert [(r["nip"], r["number"], r["file"]) for r in rows] == [
        (NIP_OF[n], CERTIFICATES[n], file_name(n)) for n in PASSED_NDH
    ]
    for r in rows:
        assert r["email"] == email[r["nip"]] and r["name"] == issued[r["number"]]["name"]


# --- check ------------------------------------------------------------------------------------


def test_check_tells_issued_changed_revoked_and_strange_files_apart(
    cli: RunCli, issued: dict[str, dict[str, Any]], isolated: Path
) -> None:
    ok(cli("certificate", "render"))
    issued_file = isolated / FOLDER / file_name(2)
    got = ok(cli("certificate", "check", str(issued_file), "--json")).json()
    assert got["number"] == CERTIFICATES[2] and got["status"] == "valid"
    assert got["file_matches"] is True and got["revoked_at"] is None and got["reason"] is None
    assert set(got) == {"number", "code", "status", "revoked_at", "reason", "file_matches"}

    appended = isolated / "appended.pdf"
    appended.write_bytes(issued_file.read_bytes() + b"\n% signed\n")
    got = ok(cli("certificate", "check", str(appended), "--json")).json()
    assert got["status"] == "valid" and got["file_matches"] is False
    human = cli("certificate", "check", str(appended))
    assert human.exit_code == 0 and "changed after rendering" in human.stderr

    resaved = isolated / "resaved.pdf"
    writer = PdfWriter(clone_from=issued_file)
    with resaved.open("wb") as out:
        writer.write(out)
    got = ok(cli("certificate", "check", str(resaved), "--json")).json()
    assert (got["number"], got["file_matches"]) == (CERTIFICATES[2], False)

    stranger = isolated / "stranger.pdf"
    blank = PdfWriter()
    blank.add_blank_page(595, 842)
    with stranger.open("wb") as out:
        blank.write(out)
    run = cli("certificate", "check", str(stranger), "--json")
    assert run.exit_code == 1 and run.json()["status"] == "unknown"
    assert run.json()["file_matches"] is None
    assert cli("certificate", "check", str(stranger)).exit_code == 1

    ok(cli("certificate", "revoke", CERTIFICATES[2], "--reason", "data keliru"))
    run = cli("certificate", "check", str(issued_file), "--json")
    assert run.exit_code == 1
    got = run.json()
    assert got["status"] == "revoked" and got["reason"] == "data keliru" and got["revoked_at"]
    assert got["file_matches"] is True


# --- refusals and templates -------------------------------------------------------------------


def test_a_missing_signatory_is_refused_and_nothing_written(
    cli: RunCli, examples: Path, isolated: Path
) -> None:
    cohort = examples / "prm-2021-ii.yaml"
    text = cohort.read_text(encoding="utf-8")
    start = text.index("  signatory:                    # required")
    end = text.index("  verify_url:")
    cohort.write_text(text[:start] + text[end:], encoding="utf-8")
    ok(cli("cohort", "open", str(cohort)))
    run = cli("certificate", "render")
    assert run.exit_code == 1
    assert "prm-2021-ii.yaml: line 133" in run.stderr  # the certificate section's line
    assert "certificate.signatory" in run.stderr
    assert not (isolated / FOLDER).exists()


def test_template_export_and_a_broken_template_refused_before_writing(
    cli: RunCli, issued: dict[str, dict[str, Any]], isolated: Path
) -> None:
    ok(cli("certificate", "template", "--output", "sttp.typ"))
    ok(cli("certificate", "template", "--format", "docx", "--output", "sttp.docx"))
    from revmental_cli.documents import template_bytes

    assert (isolated / "sttp.typ").read_bytes() == template_bytes("typ")
    assert (isolated / "sttp.docx").read_bytes() == template_bytes("docx")
    assert cli("certificate", "template", "--output", "sttp.typ").exit_code == 1  # kept

    ok(cli("certificate", "render", "--template", "sttp.typ", "--output", "own"))
    assert len(list((isolated / "own").iterdir())) == 21

    source = (isolated / "sttp.typ").read_text(encoding="utf-8")
    broken = isolated / "rusak.typ"
    broken.write_text(source + "\n#c.nomor_induk\n", encoding="utf-8")
    run = cli("certificate", "render", "--template", str(broken), "--output", "rusak")
    assert run.exit_code == 1 and "rusak.typ" in run.stderr
    assert not (isolated / "rusak").exists()


def test_the_cohort_files_template_is_found_beside_it(
    cli: RunCli, issued: dict[str, dict[str, Any]], examples: Path, isolated: Path
) -> None:
    from revmental_cli.documents import template_bytes

    own = template_bytes("typ").decode("utf-8").replace("SURAT TANDA TAMAT", "SURAT KETERANGAN")
    (examples / "sttp-sendiri.typ").write_text(own, encoding="utf-8")
    cohort = examples / "prm-2021-ii.yaml"
    text = cohort.read_text(encoding="utf-8")
    cohort.write_text(
        text.replace("certificate:\n", "certificate:\n  template: sttp-sendiri.typ\n", 1),
        encoding="utf-8",
    )
    ok(cli("cohort", "open", str(cohort)))
    ok(cli("certificate", "render", "--output", "own"))
    assert "SURAT KETERANGAN PELATIHAN" in pdf_text(isolated / "own" / file_name(1))
    # --template wins over the cohort's.
    ok(cli("certificate", "template", "--output", "bawaan.typ"))
    ok(cli("certificate", "render", "--template", "bawaan.typ", "--output", "builtin"))
    assert "SURAT TANDA TAMAT PELATIHAN" in pdf_text(isolated / "builtin" / file_name(1))


def test_latsar_example_renders_an_issued_certificate(
    cli: RunCli, examples: Path, isolated: Path
) -> None:
    """The Latsar example ships no attendance or scores: one participant gets them by hand."""
    ok(cli("cohort", "open", str(examples / "latsar-2022-xiv.yaml")))
    ok(cli("roster", "import", str(ROOT / "examples" / "peserta-prm-2021-ii.csv")))
    nip = NIP_OF[1]
    for session in range(1, 8):
        ok(cli("attendance", "mark", nip, "--session", str(session), "--status", "hadir"))
    for component, value in (("sikap", "90"), ("agenda", "85"), ("aktualisasi", "88")):
        ok(cli("score", "set", nip, component, value))
    ok(cli("certificate", "issue"))
    ok(cli("certificate", "render"))
    files = list((isolated / "sttp-LATSAR-2022-XIV").iterdir())
    assert [f.name for f in files] == [f"01_{nip}.pdf"]
    text = pdf_text(files[0])
    assert "Pelatihan Dasar CPNS Golongan III" in text and "Angkatan XIV" in text
    assert "Bandung" in text and group_nip(nip) in text


# --- the published site in a real browser -----------------------------------------------------


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _dom(browser: str, url: str, profile: Path) -> str:
    result = subprocess.run(
        [
            browser, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", f"--user-data-dir={profile}", "--dump-dom", url,
        ],
        capture_output=True, text=True, timeout=90, env={**os.environ, "LANG": "C.UTF-8"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def _answer(dom: str) -> str:
    """What the search put on the page (the script's own text says every answer)."""
    found = re.search(r'<div id="result">(.*?)</div>', dom, re.S)
    assert found, dom[-2000:]
    return found.group(1)


@pytest.mark.slow
def test_the_published_site_answers_in_a_browser(
    cli: RunCli, issued: dict[str, dict[str, Any]], isolated: Path, store_path: Path
) -> None:
    browser = _chromium()
    if browser is None:
        pytest.skip("no chromium on this machine (apt-get install chromium)")
    ok(cli("certificate", "revoke", CERTIFICATES[3], "--reason", "salah nama"))
    site = isolated / "situs"
    ok(cli("certificate", "publish", "--output", str(site)))
    codes = dict(query(store_path, "SELECT number, code FROM certificates"))
    index = (site / "index.html").as_uri()
    profile = isolated / "profile"

    valid = _answer(_dom(browser, f"{index}#q={codes[CERTIFICATES[2]]}", profile))
    assert ">SAH<" in valid and CERTIFICATES[2] in valid and "Memuaskan" in valid
    by_number = _answer(_dom(browser, f"{index}?q={CERTIFICATES[2]}", profile))
    assert ">SAH<" in by_number and "DICABUT" not in by_number
    revoked = _answer(_dom(browser, f"{index}#q={codes[CERTIFICATES[3]].lower()}", profile))
    assert "DICABUT sejak" in revoked and CERTIFICATES[3] in revoked and ">SAH<" not in revoked
    unknown = _answer(_dom(browser, f"{index}#q=ZZZZZZZZZZZZ", profile))
    assert "TIDAK DITEMUKAN" in unknown and ">SAH<" not in unknown and "DICABUT" not in unknown
    assert _answer(_dom(browser, index, profile)) == ""  # nothing asked, nothing said
    page = _dom(browser, (site / "v" / f"{codes[CERTIFICATES[3]]}.html").as_uri(), profile)
    assert "DICABUT sejak" in page
