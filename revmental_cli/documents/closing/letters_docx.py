"""surat-pengembalian-{agency}.docx: the letter returning an agency's participants.

Owns the letter's layout and Indonesian wording (kop, Nomor/Sifat/Lampiran/Hal, addressee,
body, signature, attachment table). Every number comes from :class:`ClosingData`; must never
recompute a score or a count.
"""

from __future__ import annotations

from pathlib import Path

from revmental_cli.documents.closing import word
from revmental_cli.documents.closing.data import ClosingData
from revmental_cli.documents.closing.files import write_whole
from revmental_cli.documents.closing.report_docx import course, period
from revmental_cli.domain.agencies import NO_AGENCY, Agency
from revmental_cli.domain.handover import keterangan, tanggal, thousands


def letter_file_name(agency: Agency) -> str:
    return f"surat-pengembalian-{agency.file_stem}.docx"


def letter_bytes(data: ClosingData, agency: Agency) -> bytes:
    c, letter = data.cohort, data.letter
    counts = data.agency_counts[agency.key]
    doc = word.new_document()
    word.letterhead(doc, c.organiser)
    word.paragraph(doc, f"{letter.place}, {tanggal(letter.date)}", align="right", after=6)
    word.fields(
        doc,
        [
            ("Nomor", letter.number or "-"),
            ("Sifat", "Biasa"),
            ("Lampiran", "1 (satu) berkas"),
            ("Hal", f"Pengembalian Peserta {course(data)}"),
        ],
    )
    word.paragraph(doc, after=6)
    word.paragraph(doc, "Yth.", after=0)
    # "Pimpinan" fits a ministry (Menteri), an agency (Kepala) and a region (Bupati) alike.
    head = "Pimpinan Instansi Pengirim" if agency.name == NO_AGENCY else f"Pimpinan {agency.name}"
    word.paragraph(doc, head, after=0)
    word.paragraph(doc, "di", after=0)
    word.paragraph(doc, "Tempat", indent_cm=1, after=10)

    n = thousands(len(agency.participants))
    word.paragraph(
        doc,
        f"Sehubungan dengan telah berakhirnya {course(data)} yang diselenggarakan oleh "
        f"{c.organiser} pada tanggal {period(data)}, dengan hormat kami kembalikan "
        f"{n} orang peserta dari instansi Saudara sebagaimana tercantum dalam lampiran "
        "surat ini.",
        align="justify",
    )
    by = counts.by_status
    result = (
        f"Hasil evaluasi: lulus {thousands(by['passed'])} orang"
        + (
            f" (termasuk {thousands(counts.remedial)} orang setelah perbaikan)"
            if counts.remedial
            else ""
        )
        + f", ditunda {thousands(by['deferred'])} orang, dan tidak lulus "
        f"{thousands(by['not_passed'])} orang."
    )
    word.paragraph(doc, result, align="justify")
    if by["passed"]:
        word.paragraph(
            doc,
            "Surat Tanda Tamat Pelatihan (STTP) peserta yang lulus disampaikan secara "
            "elektronik dan dapat dimasukkan ke dalam riwayat pelatihan pada SIASN.",
            align="justify",
        )
    word.paragraph(
        doc,
        "Atas perhatian dan kerja sama Saudara, kami ucapkan terima kasih.",
        align="justify",
    )
    word.signature(doc, letter.signatory_title, letter.signatory_name, letter.signatory_nip)

    doc.add_page_break()
    word.paragraph(doc, "Lampiran", after=0)
    word.fields(
        doc,
        [
            ("Surat", letter.signatory_title),
            ("Nomor", letter.number or "-"),
            ("Tanggal", tanggal(letter.date)),
        ],
    )
    word.paragraph(doc, after=6)
    doc.add_heading(f"Daftar Peserta dari {agency.name}", level=2)
    word.table(
        doc,
        ("No", "Nama", "NIP", "Unit Kerja", "Keterangan"),
        [
            (str(i), r.name, r.nip, r.work_unit or "-", keterangan(r))
            for i, r in enumerate(agency.participants, start=1)
        ],
        widths_cm=(1.0, 4.6, 3.9, 3.6, 2.9),
        center=(0, 2),
        size=9,
    )
    word.signature(doc, letter.signatory_title, letter.signatory_name, letter.signatory_nip)
    return word.to_bytes(doc)


def write_letters(data: ClosingData, directory: Path) -> list[Path]:
    """One letter per agency into ``directory``; all are built before the first is written."""
    built = [(letter_file_name(a), letter_bytes(data, a)) for a in data.agencies]
    return [write_whole(directory, name, content) for name, content in built]
