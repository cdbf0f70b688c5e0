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


# The sample's participants by NDH, as every document prints them (tests/handover_sample.py).
# The expected tables below are written out from the sample's inputs, not rebuilt with the
# documents' own formulas: a test that mirrors the code cannot catch a wrong formula.
SITI, BUDI, DEWI, RIZKI = (
    "Siti Aminah, S.E.",
    "Budi Santoso, S.Kom.",
    '=HYPERLINK("x") Dewi',
    "Rizki Pratama",
)
YULIANI, HENDRA, AGUS = "Yuliani", "Hendra Wijaya, S.H.", "Agus #exit *bold*"
BKN, CON, KEMENDAGRI, BANDUNG = (
    "Badan Kepegawaian Negara",
    "CON",
    "Kementerian Dalam Negeri",
    "Pemerintah Kota Bandung",
)


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
    # BKN's two spellings count as one agency; agencies in alphabetical order.
    assert cells(agencies)[1:] == [
        ["1", BKN, "2"],
        ["2", CON, "1"],
        ["3", KEMENDAGRI, "2"],
        ["4", BANDUNG, "2"],
    ]
    # The sessions of cohorts/prm-2021-ii.yaml; 4 + 3 + 3 + 4 + 3 + 3 + 3 + 3 + 4 + 4 + 2 = 36 JP.
    live, self_study = "Sinkron", "Asinkron (mandiri)"
    values = "Nilai Integritas, Etos Kerja dan Gotong Royong (belajar mandiri)"
    draft = "Penyusunan Rancangan Transformasi (belajar mandiri)"
    assert cells(curriculum)[1:] == [
        ["1", "29 September 2021", "Pembukaan dan Orientasi Program", live, "4"],
        ["2", "30 September 2021", "Wawasan Kebangsaan dan Nilai-Nilai Bela Negara", live, "3"],
        ["3", "1 Oktober 2021", "Konsep Revolusi Mental dalam Birokrasi", live, "3"],
        ["4", "4 Oktober 2021", values, self_study, "4"],
        ["5", "6 Oktober 2021", "Birokrasi Bersih", live, "3"],
        ["6", "8 Oktober 2021", "Birokrasi Melayani", live, "3"],
        ["7", "11 Oktober 2021", "Birokrasi Responsif", live, "3"],
        ["8", "13 Oktober 2021", "Coaching Rancangan Transformasi Budaya Birokrasi", live, "3"],
        ["9", "18 Oktober 2021", draft, self_study, "4"],
        ["10", "27 Oktober 2021", "Seminar Rancangan Transformasi Budaya Birokrasi", live, "4"],
        ["11", "29 Oktober 2021", "Evaluasi dan Penutupan", live, "2"],
        ["", "", "Jumlah", "", "36"],
    ]
    # Each facilitator's live JP is the sum of the sessions they teach: 4 + 3 + 3 + 2 = 12, ...
    bambang = "Dr. Bambang Wicaksono, S.Sos., M.AP."
    assert cells(facilitators)[1:] == [
        ["1", "Dra. Ani Rahayu, M.Si.", "Fasilitator", "1, 5, 7, 11", "12", "0"],
        ["2", bambang, "Widyaiswara (internal)", "2, 3, 6", "9", "0"],
        ["3", "Rina Kartikasari, S.Psi., M.Psi.", "Coach", "8", "3", "0"],
        ["4", "Prof. Dr. Hendra Gunawan, M.Si.", "Penguji", "10", "4", "0"],
        ["", "Jumlah", "", "", "28", "0"],
    ]
    # JP attended: the sample's percentage of 27 JP, rounded (96.3% -> 26, 74.1% -> 20).
    assert cells(attendance)[1:] == [
        ["1", SITI, nip(1), "27", "27", "100,0"],
        ["2", BUDI, nip(2), "26", "27", "96,3"],
        ["3", DEWI, nip(3), "27", "27", "100,0"],
        ["4", RIZKI, nip(4), "25", "27", "92,6"],
        ["5", YULIANI, nip(5), "20", "27", "74,1"],
        ["6", HENDRA, nip(6), "27", "27", "100,0"],
        ["7", AGUS, nip(7), "25", "27", "92,6"],
    ]
    assert cells(status)[1:] == [
        ["Lulus", "5"],
        ["Ditunda", "1"],
        ["Tidak Lulus", "1"],
        ["Jumlah", "7"],
    ]
    # Only those who passed count: Rizki's "Kurang Memuaskan" is deferred, not counted.
    assert cells(bands)[1:] == [
        ["Sangat Memuaskan", "1"],
        ["Memuaskan", "3"],
        ["Cukup Memuaskan", "1"],
        ["Kurang Memuaskan", "0"],
        ["Tidak Memuaskan", "0"],
    ]
    # Those who passed, best final score first; Siti and Dewi share 88.50, so the next is 4th.
    assert cells(ranking)[1:] == [
        ["1", BUDI, nip(2), BKN, "91,20", "96,3"],
        ["2 (bersama)", SITI, nip(1), BKN, "88,50", "100,0"],
        ["2 (bersama)", DEWI, nip(3), KEMENDAGRI, "88,50", "100,0"],
        ["4", AGUS, nip(7), CON, "80,25", "92,6"],
        ["5", HENDRA, nip(6), BANDUNG, "70,01", "100,0"],
    ]
    assert cells(sttp)[1:] == [
        ["1", SITI, nip(1), "001/STTP/PRM-II/PKASN/2021"],
        ["2", BUDI, nip(2), "002/STTP/PRM-II/PKASN/2021"],
        ["3", DEWI, nip(3), "003/STTP/PRM-II/PKASN/2021"],
        ["6", HENDRA, nip(6), "006/STTP/PRM-II/PKASN/2021"],
        ["7", AGUS, nip(7), "007/STTP/PRM-II/PKASN/2021"],
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


# Each agency's attachment: its participants in NDH order, with the remark a person reads.
LETTER_ROWS = {
    # BKN's two spellings are one agency, shown as first written.
    BKN: [
        ["1", SITI, nip(1), "Direktorat Kinerja ASN", "Lulus (Memuaskan)"],
        ["2", BUDI, nip(2), "Biro SDM", "Lulus (Sangat Memuaskan)"],
    ],
    CON: [["1", AGUS, nip(7), "Sekretariat", "Lulus (Memuaskan)"]],
    KEMENDAGRI: [
        ["1", DEWI, nip(3), "Inspektorat", "Lulus (Memuaskan)"],
        ["2", RIZKI, nip(4), "-", "Ditunda"],  # no work unit
    ],
    BANDUNG: [
        ["1", YULIANI, nip(5), "Dinas Kesehatan", "Tidak lulus"],
        ["2", HENDRA, nip(6), "Bagian Hukum", "Lulus setelah perbaikan (Cukup Memuaskan)"],
    ],
}


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
    assert sorted(a.name for a in d.agencies) == sorted(LETTER_ROWS)
    for agency in d.agencies:
        doc = Document(str(tmp_path / letter_file_name(agency)))
        text = "\n".join(p.text for p in doc.paragraphs)
        assert f"Pimpinan {agency.name}" in text
        assert "B.589/PKASN/X/2021" in text
        assert "Jatinangor, 29 Oktober 2021" in text
        assert "NIP 197001011995031001" in text
        headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
        assert headings == [f"Daftar Peserta dari {agency.name}"]
        (table,) = doc.tables
        assert cells(table)[0] == ["No", "Nama", "NIP", "Unit Kerja", "Keterangan"]
        assert cells(table)[1:] == LETTER_ROWS[agency.name]


# --- the PDFs --------------------------------------------------------------------------------


def test_attendance_recap_pdf(tmp_path: Path) -> None:
    d = sample()
    path = closing.write_attendance_pdf(d, tmp_path)
    reader = PdfReader(str(path))
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # 11 sessions: landscape
    text = pdf_text(path.read_bytes())
    assert "REKAPITULASI KEHADIRAN PESERTA" in text
    for n in range(1, 8):
        assert nip(n) in text
    for pct in ("100,0", "96,3", "92,6", "74,1"):
        assert pct in text
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
    for n in range(1, 8):
        assert nip(n) in text
    for score in ("88,50", "91,20", "65,40", "71,00", "70,01", "80,25"):
        assert score in text
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
    assert [c.value for c in peserta["B"][1:]] == [nip(n) for n in range(1, 8)]
    assert all(c.number_format == "@" for c in peserta["B"][1:])
    # The formula guard: a name starting with = is stored as text, not run.
    assert peserta["C4"].value == '\'=HYPERLINK("x") Dewi'
    kelulusan = [list(r) for r in book["kelulusan"].iter_rows(min_row=2, values_only=True)]
    assert [(r[0], r[4], r[6]) for r in kelulusan] == [
        (1, 88.5, "Lulus"),
        (2, 91.2, "Lulus"),
        (3, 88.5, "Lulus"),
        (4, 65.4, "Ditunda"),
        (5, 71.0, "Tidak Lulus"),
        (6, 70.01, "Lulus"),
        (7, 80.25, "Lulus"),
    ]
    # Honorarium: the JP taught live times the rate (12 x 900.000, ..., 4 x 1.400.000).
    fasilitator = list(book["fasilitator"].iter_rows(min_row=2, values_only=True))
    assert [(f[0], f[7], f[9]) for f in fasilitator] == [
        ("F01", 12, 10_800_000),
        ("F02", 9, 8_100_000),
        ("F03", 3, 2_100_000),
        ("F04", 4, 5_600_000),
    ]
    peringkat = list(book["peringkat"].iter_rows(min_row=2, values_only=True))
    assert [(p[0], p[1], p[2]) for p in peringkat] == [
        (1, None, nip(2)),
        (2, "ya", nip(1)),
        (2, "ya", nip(3)),
        (4, None, nip(7)),
        (5, None, nip(6)),
    ]
    sertifikat = list(book["sertifikat"].iter_rows(min_row=2, values_only=True))
    assert [s[3] for s in sertifikat] == [
        f"{n:03d}/STTP/PRM-II/PKASN/2021" for n in (1, 2, 3, 6, 7)
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
    for n in range(1, 8):
        assert nip(n) in text
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
