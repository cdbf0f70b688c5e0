"""Per agency, the SIASN course-history import as CSV and XLSX (riwayat kursus).

Owns the files' shape: the exact header of domain/siasn.COLUMNS, comma-separated UTF-8
WITHOUT a byte-order mark (an importer that compares the header literally would read a BOM as
part of "nip"), NIP as text in the XLSX. Must never decide who goes in (domain/siasn.py does).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from revmental_cli.documents.closing.files import write_whole
from revmental_cli.documents.closing.workbook import add_sheet
from revmental_cli.domain.agencies import Agency
from revmental_cli.domain.cohort import Cohort
from revmental_cli.domain.siasn import COLUMNS, SiasnRow, siasn_rows
from revmental_cli.render.output import guard

TEXT_COLUMNS = {
    COLUMNS.index(c)
    for c in (
        "nip",
        "namaKursus",
        "institusiPenyelenggara",
        "jenisKursusSertipikat",
        "nomorSertipikat",
        "tanggalKursus",
        "tanggalSelesaiKursus",
        "dokumen",
    )
}


def csv_bytes(rows: list[SiasnRow]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([guard(v) for v in row.values()])
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(rows: list[SiasnRow]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    default = book.active
    if default is not None:
        book.remove(default)
    add_sheet(book, "riwayat kursus", COLUMNS, [r.values() for r in rows], TEXT_COLUMNS)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def file_stem(agency: Agency) -> str:
    return f"siasn-{agency.file_stem}"


def write_siasn(
    cohort: Cohort, agencies: list[Agency] | tuple[Agency, ...], directory: Path
) -> list[Path]:
    """For every agency with a passed participant, ``siasn-{agency}.csv`` and ``.xlsx``.

    Refuses (InputError, nothing written) while any passed participant lacks an STTP number.
    """
    built: list[tuple[str, bytes]] = []
    for agency in agencies:
        rows = siasn_rows(cohort, agency.participants)
        if not rows:
            continue
        built.append((f"{file_stem(agency)}.csv", csv_bytes(rows)))
        built.append((f"{file_stem(agency)}.xlsx", xlsx_bytes(rows)))
    return [write_whole(directory, name, content) for name, content in built]
