"""lampiran.xlsx: the report's tables as sheets a person can filter and sort (openpyxl).

Owns the sheets (peserta, kehadiran, kelulusan, peringkat, fasilitator, sertifikat) and how
their cells are typed: NIPs and codes as text, numbers as numbers, every text cell through
the spreadsheet formula guard. Must never compute a number.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from revmental_cli.documents.closing.data import ClosingData
from revmental_cli.documents.closing.files import write_whole
from revmental_cli.domain.handover import keterangan, status_word
from revmental_cli.render.output import guard

FILE_NAME = "lampiran.xlsx"


def add_sheet(
    book: Any, title: str, header: Sequence[str], rows: Sequence[Sequence[Any]], text: set[int]
) -> Any:
    """A sheet with a bold, frozen header; columns in ``text`` stored as text ("@")."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title[:31])
    sheet.append([guard(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(h) for h in header]
    for row in rows:
        sheet.append([guard(v) for v in row])
        for i, v in enumerate(row):
            widths[i] = max(widths[i], len(str(v)) if v is not None else 0)
    for i in range(len(header)):
        letter = get_column_letter(i + 1)
        sheet.column_dimensions[letter].width = min(max(widths[i] + 2, 6), 60)
        if i in text:
            # Text, so Excel never shows an 18-digit NIP as 1.98807E+17.
            for cell in sheet[letter][1:]:
                cell.number_format = "@"
    sheet.freeze_panes = "A2"
    return sheet


def workbook_bytes(data: ClosingData) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    default = book.active
    if default is not None:
        book.remove(default)
    add_sheet(
        book,
        "peserta",
        ("No", "NIP", "Nama", "Instansi", "Unit Kerja"),
        [(r.ndh, r.nip, r.name, data.agency_name(r), r.work_unit) for r in data.results],
        {1, 2, 3, 4},
    )
    sessions = sorted(data.cohort.sessions, key=lambda s: s.number)
    add_sheet(
        book,
        "kehadiran",
        (
            "No",
            "NIP",
            "Nama",
            *(f"Sesi {s.number}" for s in sessions),
            "JP Hadir",
            "JP Total",
            "Kehadiran (%)",
        ),
        [
            (
                a.ndh,
                a.nip,
                a.name,
                *(a.statuses.get(s.number) for s in sessions),
                a.jp_attended,
                a.jp_total,
                float(a.attendance_pct),
            )
            for a in data.attendance
        ],
        {1, 2, *range(3, 3 + len(sessions))},
    )
    add_sheet(
        book,
        "kelulusan",
        ("No", "NIP", "Nama", "Instansi", "Nilai Akhir", "Predikat", "Status", "Keterangan"),
        [
            (
                r.ndh,
                r.nip,
                r.name,
                data.agency_name(r),
                float(r.final_score),
                r.predicate,
                status_word(r.status),
                keterangan(r),
            )
            for r in data.results
        ],
        {1, 2, 3, 5, 6, 7},
    )
    add_sheet(
        book,
        "peringkat",
        ("Peringkat", "Bersama", "NIP", "Nama", "Instansi", "Nilai Akhir", "Kehadiran (%)"),
        [
            (
                r.rank,
                "ya" if r.shared else "",
                r.result.nip,
                r.result.name,
                data.agency_name(r.result),
                float(r.result.final_score),
                float(r.result.attendance_pct),
            )
            for r in data.ranking
        ],
        {1, 2, 3, 4},
    )
    add_sheet(
        book,
        "fasilitator",
        (
            "ID",
            "Nama",
            "Peran",
            "Internal",
            "Sesi",
            "JP Tatap Muka",
            "JP Mandiri",
            "JP Honorarium",
            "Tarif per JP",
            "Jumlah (Rp)",
        ),
        [
            (
                f.id,
                f.name,
                f.role,
                "ya" if f.internal else "",
                ", ".join(str(s.number) for s in f.sessions),
                f.jp_live,
                f.jp_self_study,
                f.jp_honorarium,
                f.rate_per_jp,
                f.amount,
            )
            for f in data.honorarium.facilitators
        ],
        {0, 1, 2, 3, 4},
    )
    add_sheet(
        book,
        "sertifikat",
        ("No", "NIP", "Nama", "Nomor STTP"),
        [
            (r.ndh, r.nip, r.name, r.certificate_number)
            for r in data.results
            if r.status == "passed"
        ],
        {1, 2, 3},
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_workbook(data: ClosingData, directory: Path) -> Path:
    return write_whole(directory, FILE_NAME, workbook_bytes(data))
