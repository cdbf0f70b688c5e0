"""The hand-over documents read back: Word (python-docx, LibreOffice), PDF (pypdf), XLSX."""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from handover_sample import data as sample
from handover_sample import nip
from openpyxl import load_workbook
from pypdf import PdfReader

from revmental_cli.documents import closing
from revmental_cli.documents.closing import files
from revmental_cli.documents.closing.letters_docx import letter_file_name
from revmental_cli.domain.handover import decimal_id, keterangan, tanggal
from revmental_cli.domain.siasn import COLUMNS
from revmental_cli.errors import InputError

REPORT_HEADINGS = [
    "A. Dasar",
    "B. Tujuan",
    "C. Waktu dan Tempat",
    "D. Peserta",
    "E. Kurikulum",
    "F. Fasilitator",
    "G. Rekap Kehadiran",
    "H. Hasil Evaluasi",
    "I. Peringkat",
    "J. Nomor STTP",
    "K. Penutup",
]


def cells(table) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[c.text for c in row.cells] for row in table.rows]


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def flat(text: str) -> str:
    return " ".join(text.split())


# --- the report ------------------------------------------------------------------------------


def test_report_has_real_headings_and_tables_from_the_inputs(tmp_path: Path) -> None:
    d = sample()
    path = closing.write_report(d, tmp_path)
    assert path.name == "laporan-penyelenggaraan.docx"
    doc = Document(str(path))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == REPORT_HEADINGS
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.left_margin.cm), round(section.right_margin.cm)) == (3, 2)
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "fldChar" in footer_xml
    tables = doc.tables
    for t in tables:  # every header row repeats on the next page
        tr_pr = t.rows[0]._tr.trPr
        assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None
    agencies, curriculum, facilitators, attendance, status, bands, ranking, sttp = tables
    assert cells(agencies)[1:] == [
        [str(i), a.name, str(len(a.participants))] for i, a in enumerate(d.agencies, start=1)
    ]
    sessions = sorted(d.cohort.sessions, key=lambda s: s.number)
    assert [row[0] for row in cells(curriculum)[1:-1]] == [str(s.number) for s in sessions]
    assert [row[4] for row in cells(curriculum)[1:-1]] == [str(s.jp) for s in sessions]
    assert cells(curriculum)[-1][-1] == str(d.cohort.jp_total)
    assert [row[1] for row in cells(facilitators)[1:-1]] == [
        f.name for f in d.honorarium.facilitators
    ]
    assert cells(attendance)[1:] == [
        [
            str(a.ndh),
            a.name,
            a.nip,
            str(a.jp_attended),
            str(a.jp_total),
            decimal_id(a.attendance_pct, 1),
        ]
        for a in d.attendance
    ]
    assert cells(status)[1:] == [
        ["Lulus", "5"],
        ["Ditunda", "1"],
        ["Tidak Lulus", "1"],
        ["Jumlah", "7"],
    ]
    assert cells(bands)[1:] == [[k, str(v)] for k, v in d.counts.by_predicate.items()]
    assert [row[:3] for row in cells(ranking)[1:]] == [
        [str(r.rank) + (" (bersama)" if r.shared else ""), r.result.name, r.result.nip]
        for r in d.ranking
    ]
    assert cells(ranking)[2][0] == "2 (bersama)" and cells(ranking)[3][0] == "2 (bersama)"
    assert cells(sttp)[1:] == [
        [str(r.ndh), r.name, r.nip, r.certificate_number] for r in d.results if r.status == "passed"
    ]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Rp 26.600.000" in text  # (12 + 9) x 900.000 + 3 x 700.000 + 4 x 1.400.000
    assert "Andi Saputra" in text  # withdrawn, listed apart


def test_report_without_any_passed_participant(tmp_path: Path) -> None:
    d = sample()
    nobody = [dataclasses.replace(r, status="not_passed") for r in d.results]
    doc = Document(io.BytesIO(closing.report_bytes(sample(nobody))))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "peringkat tidak disusun" in text
    assert "Tidak ada STTP yang diterbitkan" in text
    assert closing.write_siasn(d.cohort, sample(nobody).agencies, tmp_path) == []


# --- the letters -----------------------------------------------------------------------------


def test_one_letter_per_agency_with_its_participants(tmp_path: Path) -> None:
    d = sample()
    paths = closing.write_letters(d, tmp_path)
    assert sorted(p.name for p in paths) == sorted(
        [
            "surat-pengembalian-Badan Kepegawaian Negara.docx",
            "surat-pengembalian-Kementerian Dalam Negeri.docx",
            "surat-pengembalian-Pemerintah Kota Bandung.docx",
            "surat-pengembalian-_CON.docx",  # CON is a device name on Windows
        ]
    )
    for agency in d.agencies:
        doc = Document(str(tmp_path / letter_file_name(agency)))
        text = "\n".join(p.text for p in doc.paragraphs)
        assert f"Pimpinan {agency.name}" in text
        assert "B.589/PKASN/X/2021" in text
        assert f"Jatinangor, {tanggal(d.letter.date)}" in text
        assert "NIP 197001011995031001" in text
        headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
        assert headings == [f"Daftar Peserta dari {agency.name}"]
        (table,) = doc.tables
        assert cells(table)[0] == ["No", "Nama", "NIP", "Unit Kerja", "Keterangan"]
        assert cells(table)[1:] == [
            [str(i), r.name, r.nip, r.work_unit or "-", keterangan(r)]
            for i, r in enumerate(agency.participants, start=1)
        ]
    bandung = Document(str(tmp_path / "surat-pengembalian-Pemerintah Kota Bandung.docx"))
    remarks = [row[4] for row in cells(bandung.tables[0])[1:]]
    assert remarks == ["Tidak lulus", "Lulus setelah perbaikan (Cukup Memuaskan)"]
    # BKN's two spellings are one agency, shown as first written.
    bkn = Document(str(tmp_path / "surat-pengembalian-Badan Kepegawaian Negara.docx"))
    assert [row[2] for row in cells(bkn.tables[0])[1:]] == [nip(1), nip(2)]


# --- the PDFs --------------------------------------------------------------------------------


def test_attendance_recap_pdf(tmp_path: Path) -> None:
    d = sample()
    path = closing.write_attendance_pdf(d, tmp_path)
    reader = PdfReader(str(path))
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # 11 sessions: landscape
    text = pdf_text(path.read_bytes())
    assert "REKAPITULASI KEHADIRAN PESERTA" in text
    for a in d.attendance:
        assert a.nip in text
        assert decimal_id(a.attendance_pct, 1) in text
    assert "Sri Wahyuni, S.AP., M.Si." in text and "NIP 198203152006042001" in text
    assert "Jatinangor, 29 Oktober 2021" in text
    # Data is never markup: a name that looks like Typst code prints as written.
    assert "Agus #exit *bold*" in flat(text)


def test_results_list_pdf_and_deterministic_bytes(tmp_path: Path) -> None:
    d = sample()
    first = closing.results_pdf(d)
    assert first == closing.results_pdf(sample())
    box = PdfReader(io.BytesIO(first)).pages[0].mediabox
    assert float(box.width) < float(box.height)
    text = flat(pdf_text(first))
    assert "DAFTAR KELULUSAN PESERTA" in text
    for r in d.results:
        assert r.nip in text
        assert decimal_id(r.final_score) in text
    assert "Lulus (setelah perbaikan)" in text
    assert "Ditunda" in text and "Tidak Lulus" in text
    assert "Badan Kepegawaian Negara" in text and "badan kepegawaian" not in text
    path = closing.write_results_pdf(d, tmp_path)
    assert path.read_bytes() == first


# --- the spreadsheets ------------------------------------------------------------------------


def test_lampiran_workbook(tmp_path: Path) -> None:
    d = sample()
    book = load_workbook(closing.write_workbook(d, tmp_path))
    assert book.sheetnames == [
        "peserta",
        "kehadiran",
        "kelulusan",
        "peringkat",
        "fasilitator",
        "sertifikat",
    ]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
    peserta = book["peserta"]
    assert [c.value for c in peserta["B"][1:]] == [r.nip for r in d.results]
    assert all(c.number_format == "@" for c in peserta["B"][1:])
    # The formula guard: a name starting with = is stored as text, not run.
    assert peserta["C4"].value == '\'=HYPERLINK("x") Dewi'
    kelulusan = [list(r) for r in book["kelulusan"].iter_rows(min_row=2, values_only=True)]
    assert [(r[0], r[4], r[6]) for r in kelulusan] == [
        (
            r.ndh,
            float(r.final_score),
            {"passed": "Lulus", "deferred": "Ditunda"}.get(r.status, "Tidak Lulus"),
        )
        for r in d.results
    ]
    fasilitator = list(book["fasilitator"].iter_rows(min_row=2, values_only=True))
    assert [(f[0], f[7], f[9]) for f in fasilitator] == [
        (f.id, f.jp_honorarium, f.amount) for f in d.honorarium.facilitators
    ]
    peringkat = list(book["peringkat"].iter_rows(min_row=2, values_only=True))
    assert [(p[0], p[1], p[2]) for p in peringkat] == [
        (r.rank, "ya" if r.shared else None, r.result.nip) for r in d.ranking
    ]
    sertifikat = list(book["sertifikat"].iter_rows(min_row=2, values_only=True))
    assert [s[3] for s in sertifikat] == [
        r.certificate_number for r in d.results if r.status == "passed"
    ]


def test_siasn_files_per_agency(tmp_path: Path) -> None:
    d = sample()
    paths = closing.write_siasn(d.cohort, d.agencies, tmp_path)
    # The Ministry's deferred participant is left out; every agency has someone passed.
    assert len(paths) == 2 * len(d.agencies)
    raw = (tmp_path / "siasn-Kementerian Dalam Negeri.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
    assert rows[0] == list(COLUMNS)
    assert rows[1:] == [
        [
            nip(3),
            "Pelatihan Revolusi Mental untuk Penguatan Budaya Birokrasi Bersih, Melayani dan "
            "Responsif Angkatan II Tahun 2021",
            "Puslatbang PKASN LAN",
            "6",
            "Pelatihan Revolusi Mental",
            "36",
            "003/STTP/PRM-II/PKASN/2021",
            "2021",
            "29-09-2021",
            "29-10-2021",
            f"03_{nip(3)}.pdf",
        ]
    ]
    sheet = load_workbook(tmp_path / "siasn-Badan Kepegawaian Negara.xlsx").active
    assert sheet is not None
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    assert [c.value for c in sheet["A"][1:]] == [nip(1), nip(2)]
    assert all(isinstance(c.value, str) and c.number_format == "@" for c in sheet["A"][1:])
    assert sheet["D2"].value == 6 and sheet["F2"].value == 36


def test_siasn_refusal_writes_nothing(tmp_path: Path) -> None:
    d = sample()
    people = [
        dataclasses.replace(r, certificate_number=None) if r.ndh == 7 else r for r in d.results
    ]
    out = tmp_path / "out"
    with pytest.raises(InputError, match="Agus"):
        closing.write_siasn(d.cohort, sample(people).agencies, out)
    assert not out.exists() or list(out.iterdir()) == []


# --- whole or not at all ---------------------------------------------------------------------


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "lampiran.xlsx").write_bytes(b"old")

    def full_disk(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", full_disk)
    with pytest.raises(InputError, match="No space left"):
        closing.write_workbook(sample(), out)
    assert [p.name for p in out.iterdir()] == ["lampiran.xlsx"]
    assert (out / "lampiran.xlsx").read_bytes() == b"old"


# --- LibreOffice -----------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not on PATH")
def test_word_documents_open_in_libreoffice(tmp_path: Path) -> None:
    d = sample()
    report = closing.write_report(d, tmp_path / "docx")
    letters = closing.write_letters(d, tmp_path / "docx")
    out = tmp_path / "pdf"
    # A profile of its own: a second soffice on the machine would otherwise lock the default.
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(report),
            *map(str, letters),
        ],
        check=True,
        capture_output=True,
        timeout=300,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    text = flat(pdf_text((out / "laporan-penyelenggaraan.pdf").read_bytes()))
    for heading in REPORT_HEADINGS:
        assert heading in text
    assert "Halaman 1" in text and "Halaman 2" in text  # the PAGE field, filled in
    for r in d.results:
        assert r.nip in text
    letter = flat(pdf_text((out / "surat-pengembalian-Pemerintah Kota Bandung.pdf").read_bytes()))
    assert "Pimpinan Pemerintah Kota Bandung" in letter
    assert "Lulus setelah perbaikan (Cukup Memuaskan)" in letter
    assert "Dr. Nama Pejabat, M.Si." in letter


def test_letters_from_the_cohort_file() -> None:
    from handover_sample import cohort, committee, letter

    c = cohort()
    assert closing.letters_from(c) == (letter(), committee())
    bare = dataclasses.replace(
        c,
        closing=dataclasses.replace(c.closing, signatory=None, committee=None, place=None),
        certificate=dataclasses.replace(c.certificate, signatory=None),
    )
    with pytest.raises(InputError, match="sign") as info:
        closing.letters_from(bare)
    assert info.value.hint and "closing.signatory" in info.value.hint
    # The STTP's signatory and place stand in for the closing's own.
    fallback = dataclasses.replace(
        c, closing=dataclasses.replace(c.closing, signatory=None, place=None, date=None)
    )
    main, _ = closing.letters_from(fallback)
    assert (main.place, main.date, main.signatory_name) == (
        "Jatinangor",
        c.end,
        "Dr. Nama Pejabat, M.Si.",
    )
