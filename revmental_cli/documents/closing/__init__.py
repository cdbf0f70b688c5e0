"""The hand-over documents written after a cohort's last session (`revmental report ...`).

Owns the documents only: the Word report and return letters, the Typst recaps, the XLSX
attachment and the SIASN import files, each written whole or not at all into a folder.
Their inputs come from :class:`ClosingData`; this package must never open the store, read
the clock, or compute an outcome, a score or a count.
"""

from __future__ import annotations

from revmental_cli.documents.closing.data import ClosingData, Counts, counts, letters_from
from revmental_cli.documents.closing.letters_docx import letter_bytes, write_letters
from revmental_cli.documents.closing.recap_pdf import (
    attendance_pdf,
    results_pdf,
    write_attendance_pdf,
    write_results_pdf,
)
from revmental_cli.documents.closing.report_docx import report_bytes, write_report
from revmental_cli.documents.closing.siasn_files import write_siasn
from revmental_cli.documents.closing.workbook import workbook_bytes, write_workbook

__all__ = [
    "ClosingData",
    "Counts",
    "attendance_pdf",
    "counts",
    "letter_bytes",
    "letters_from",
    "report_bytes",
    "results_pdf",
    "workbook_bytes",
    "write_attendance_pdf",
    "write_letters",
    "write_report",
    "write_results_pdf",
    "write_siasn",
    "write_workbook",
]
