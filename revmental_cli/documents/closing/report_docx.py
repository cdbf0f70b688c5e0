"""laporan-penyelenggaraan.docx: the cohort report for the head of the centre.

Owns the report's sections and their Indonesian wording; every number comes from
:class:`ClosingData` (what `report completion` and `report attendance` computed). Must never
recompute a score, a percentage or a count.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from revmental_cli.documents.closing import word
from revmental_cli.documents.closing.data import ClosingData
from revmental_cli.documents.closing.files import write_whole
from revmental_cli.domain.completion import dec
from revmental_cli.domain.handover import (
    decimal_id,
    rupiah,
    status_word,
    tanggal,
    thousands,
)

FILE_NAME = "laporan-penyelenggaraan.docx"

KIND_WORDS = {"sinkron": "Sinkron", "asinkron": "Asinkron (mandiri)", "klasikal": "Klasikal"}
MODE_WORDS = {"daring": "daring (dalam jaringan)", "klasikal": "klasikal", "blended": "blended"}
STATUS_CODES = {
    "present": "H",
    "late": "T",
    "excused": "I",
    "sick": "S",
    "absent": "A",
}


def course(data: ClosingData) -> str:
    c = data.cohort
    return f"{c.programme_name} {c.angkatan_label} Tahun {c.year}"


def period(data: ClosingData) -> str:
    c = data.cohort
    return f"{tanggal(c.start)} s.d. {tanggal(c.end)}"


def report_bytes(data: ClosingData) -> bytes:
    c = data.cohort
    doc = word.new_document()
    word.letterhead(doc, c.organiser)
    word.paragraph(doc, "LAPORAN PENYELENGGARAAN", bold=True, align="center", size=13, after=0)
    word.paragraph(doc, course(data).upper(), bold=True, align="center", after=12)

    doc.add_heading("A. Dasar", level=1)
    basis = data.texts.basis or (
        f"Program pelatihan {c.programme_name} ({c.programme_code}) {c.organiser}.",
    )
    for i, item in enumerate(basis, start=1):
        word.paragraph(doc, f"{i}. {item}", align="justify", indent_cm=0.5)

    doc.add_heading("B. Tujuan", level=1)
    aims = data.texts.aims or (
        f"Melaksanakan {c.programme_name} {c.angkatan_label} Tahun {c.year} bagi peserta "
        "dari instansi pengirim.",
    )
    for i, item in enumerate(aims, start=1):
        word.paragraph(doc, f"{i}. {item}", align="justify", indent_cm=0.5)

    doc.add_heading("C. Waktu dan Tempat", level=1)
    venue = data.texts.venue or MODE_WORDS.get(c.mode, c.mode)
    word.paragraph(
        doc,
        f"Pelatihan dilaksanakan pada tanggal {period(data)} sebanyak "
        f"{thousands(c.jp_total)} JP ({c.jp_minutes} menit per JP), secara {venue}.",
        align="justify",
    )
    if c.opening_date or c.opening_by:
        opened = "Pelatihan dibuka"
        if c.opening_date:
            opened += f" pada tanggal {tanggal(c.opening_date)}"
        if c.opening_by:
            opened += f" oleh {c.opening_by}"
        word.paragraph(doc, opened + ".", align="justify")

    doc.add_heading("D. Peserta", level=1)
    word.paragraph(
        doc,
        f"Jumlah peserta {thousands(data.counts.total)} orang dari "
        f"{thousands(len(data.agencies))} instansi, dengan rincian sebagai berikut.",
    )
    word.table(
        doc,
        ("No", "Instansi", "Jumlah Peserta"),
        [
            (str(i), a.name, thousands(len(a.participants)))
            for i, a in enumerate(data.agencies, start=1)
        ],
        widths_cm=(1.2, 11, 3.8),
        center=(0, 2),
    )
    if data.withdrawn:
        word.paragraph(
            doc,
            "Peserta yang mengundurkan diri: "
            + "; ".join(f"{name} (NIP {nip})" for _, nip, name in data.withdrawn)
            + ".",
        )

    doc.add_heading("E. Kurikulum", level=1)
    sessions = sorted(c.sessions, key=lambda s: s.number)
    word.table(
        doc,
        ("No", "Tanggal", "Mata Pelatihan", "Metode", "JP"),
        [
            (str(s.number), tanggal(s.date), s.title, KIND_WORDS.get(s.kind, s.kind), str(s.jp))
            for s in sessions
        ]
        + [("", "", "Jumlah", "", thousands(c.jp_total))],
        widths_cm=(1.0, 3.4, 8.0, 2.6, 1.2),
        center=(0, 4),
    )

    doc.add_heading("F. Fasilitator", level=1)
    h = data.honorarium
    word.table(
        doc,
        ("No", "Nama", "Peran", "Sesi", "JP Tatap Muka", "JP Mandiri"),
        [
            (
                str(i),
                f.name,
                f.role.capitalize() + (" (internal)" if f.internal else ""),
                ", ".join(str(s.number) for s in f.sessions) or "-",
                str(f.jp_live),
                str(f.jp_self_study),
            )
            for i, f in enumerate(h.facilitators, start=1)
        ]
        + [("", "Jumlah", "", "", thousands(h.jp_live), thousands(h.jp_self_study))],
        widths_cm=(1.0, 6.0, 3.0, 2.4, 2.0, 1.8),
        center=(0, 3, 4, 5),
    )
    word.paragraph(
        doc,
        f"Honorarium fasilitator seluruhnya {rupiah(h.amount)} untuk "
        f"{thousands(h.jp_honorarium)} JP (rincian pada daftar honorarium).",
    )

    doc.add_heading("G. Rekap Kehadiran", level=1)
    word.paragraph(
        doc,
        "Persentase kehadiran dihitung menurut JP sesi yang dihadiri "
        f"(batas kelulusan {decimal_id(dec(c.completion.min_attendance_pct), 0)}%).",
    )
    word.table(
        doc,
        ("No", "Nama", "NIP", "JP Hadir", "JP Total", "Kehadiran (%)"),
        [
            (
                str(a.ndh),
                a.name,
                a.nip,
                str(a.jp_attended),
                str(a.jp_total),
                decimal_id(a.attendance_pct, 1),
            )
            for a in data.attendance
        ],
        widths_cm=(1.0, 5.4, 4.2, 1.8, 1.8, 2.0),
        center=(0, 2, 3, 4, 5),
        size=9,
    )

    doc.add_heading("H. Hasil Evaluasi", level=1)
    counts = data.counts
    word.table(
        doc,
        ("Status", "Jumlah"),
        [(status_word(s), thousands(n)) for s, n in counts.by_status.items()]
        + [("Jumlah", thousands(counts.total))],
        widths_cm=(8, 3),
        center=(1,),
    )
    if counts.remedial:
        word.paragraph(
            doc,
            f"Dari peserta yang lulus, {thousands(counts.remedial)} orang lulus setelah "
            "perbaikan (nilai akhir dicatat sebesar batas kelulusan).",
        )
    word.paragraph(doc, "Peserta yang lulus menurut predikat:")
    word.table(
        doc,
        ("Predikat", "Jumlah"),
        [(label, thousands(n)) for label, n in counts.by_predicate.items()],
        widths_cm=(8, 3),
        center=(1,),
    )

    doc.add_heading("I. Peringkat", level=1)
    if data.ranking:
        word.table(
            doc,
            ("Peringkat", "Nama", "NIP", "Instansi", "Nilai Akhir", "Hadir (%)"),
            [
                (
                    str(r.rank) + (" (bersama)" if r.shared else ""),
                    r.result.name,
                    r.result.nip,
                    data.agency_name(r.result),
                    decimal_id(r.result.final_score),
                    decimal_id(r.result.attendance_pct, 1),
                )
                for r in data.ranking
            ],
            widths_cm=(2.3, 4.3, 3.7, 3.5, 1.6, 1.6),
            center=(0, 2, 4, 5),
            size=9,
        )
    else:
        word.paragraph(doc, "Tidak ada peserta yang lulus; peringkat tidak disusun.")

    doc.add_heading("J. Nomor STTP", level=1)
    numbered = [r for r in data.results if r.status == "passed"]
    if numbered:
        word.table(
            doc,
            ("No", "Nama", "NIP", "Nomor STTP"),
            [(str(r.ndh), r.name, r.nip, r.certificate_number or "-") for r in numbered],
            widths_cm=(1.0, 5.6, 4.2, 5.2),
            center=(0, 2),
            size=9,
        )
    else:
        word.paragraph(doc, "Tidak ada STTP yang diterbitkan.")

    doc.add_heading("K. Penutup", level=1)
    word.paragraph(
        doc,
        "Demikian laporan penyelenggaraan ini disampaikan sebagai bahan pertanggungjawaban.",
        align="justify",
    )
    _sign(doc, data)
    return word.to_bytes(doc)


def _sign(doc: Any, data: ClosingData) -> None:
    signer = data.committee or data.letter
    word.signature(
        doc,
        signer.signatory_title,
        signer.signatory_name,
        signer.signatory_nip,
        place_date=f"{data.letter.place}, {tanggal(data.letter.date)}",
    )


def write_report(data: ClosingData, directory: Path) -> Path:
    """Write laporan-penyelenggaraan.docx into ``directory``, whole or not at all."""
    return write_whole(directory, FILE_NAME, report_bytes(data))
