"""rekap-kehadiran.pdf and daftar-kelulusan.pdf, typeset with Typst.

Owns the two recaps' layout. The data travels as JSON in ``sys.inputs`` and is only ever
read by the templates, never formatted into their markup: a name like ``#exit *x*`` prints as
written. Typst's own embedded fonts only (system fonts ignored), no date in the PDF: the same
inputs give the same bytes on every machine. Must never compute a number.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from revmental_cli.documents.closing.data import ClosingData
from revmental_cli.documents.closing.files import write_whole
from revmental_cli.documents.closing.report_docx import STATUS_CODES, course, period
from revmental_cli.domain.handover import decimal_id, status_word, tanggal

ATTENDANCE_FILE = "rekap-kehadiran.pdf"
RESULTS_FILE = "daftar-kelulusan.pdf"
# More session columns than this do not fit a portrait A4 page at a readable size.
PORTRAIT_MAX_SESSIONS = 8

_COMMON = r"""
#let data = json(bytes(sys.inputs.data))
#set document(title: data.title, author: "revmental", date: none)
#set page(
  paper: "a4",
  flipped: data.landscape,
  margin: (left: 2.5cm, right: 2cm, top: 2cm, bottom: 2cm),
  footer: context align(center, text(size: 8pt)[
    Halaman #counter(page).display() dari #counter(page).final().first()
  ]),
)
#set text(font: "Libertinus Serif", size: 10pt, lang: "id", hyphenate: false)
#set par(justify: false)
#align(center)[
  #text(weight: "bold", size: 13pt, upper(data.organiser))
  #v(-6pt)
  #line(length: 100%, stroke: 1.6pt)
  #v(-10pt)
  #line(length: 100%, stroke: 0.5pt)
  #v(4pt)
  #text(weight: "bold", size: 12pt, upper(data.title)) \
  #text(weight: "bold", data.course) \
  #data.period
]
#v(6pt)
"""

_SIGNATURE = r"""
#v(14pt)
#block(breakable: false, width: 100%, grid(columns: (1fr, 8cm), [], [
  #data.place_date \
  #data.signer.title
  #v(48pt)
  #underline(strong(data.signer.name)) \
  #if data.signer.nip != none [NIP #data.signer.nip]
]))
"""

_ATTENDANCE = (
    _COMMON
    + r"""
#let n = data.sessions.len()
#set text(size: if n > 14 { 7pt } else if n > 8 { 8pt } else { 9pt })
#table(
  columns: (auto, 1fr, auto, ..range(n).map(_ => auto), auto, auto, auto),
  align: (col, row) => if col == 1 { left + horizon } else { center + horizon },
  inset: 4pt,
  stroke: 0.5pt,
  fill: (col, row) => if row < 2 { luma(225) },
  table.header(
    table.cell(rowspan: 2)[*No*],
    table.cell(rowspan: 2)[*Nama*],
    table.cell(rowspan: 2)[*NIP*],
    table.cell(colspan: calc.max(n, 1))[*Sesi (JP)*],
    table.cell(rowspan: 2)[*JP Hadir*],
    table.cell(rowspan: 2)[*JP Total*],
    table.cell(rowspan: 2)[*%*],
    ..data.sessions.map(s => [*#s.number* \ #text(size: 0.85em)[#s.date] \ (#s.jp)]),
  ),
  ..data.rows.map(r => (
    [#r.ndh], [#r.name], [#r.nip], ..r.cells.map(c => [#c]), [#r.jp_attended], [#r.jp_total],
    [#r.pct],
  )).flatten(),
)
#text(size: 8pt)[Keterangan: #data.legend]
"""
    + _SIGNATURE
)

_RESULTS = (
    _COMMON
    + r"""
#table(
  columns: (auto, 3fr, auto, 3fr, auto, 2fr, 2fr),
  align: (col, row) => if col in (1, 3) { left + horizon } else { center + horizon },
  inset: 5pt,
  stroke: 0.5pt,
  fill: (col, row) => if row == 0 { luma(225) },
  table.header([*No*], [*Nama*], [*NIP*], [*Instansi*], [*Nilai Akhir*], [*Predikat*], [*Status*]),
  ..data.rows.map(r => (
    [#r.ndh], [#r.name], [#r.nip], [#r.agency], [#r.final], [#r.predicate], [#r.status],
  )).flatten(),
)
#text(size: 8pt)[#data.note]
"""
    + _SIGNATURE
)


def _head(data: ClosingData, title: str, *, landscape: bool) -> dict[str, Any]:
    signer = data.committee or data.letter
    return {
        "title": title,
        "organiser": data.cohort.organiser,
        "course": course(data),
        "period": period(data),
        "landscape": landscape,
        "place_date": f"{data.letter.place}, {tanggal(data.letter.date)}",
        "signer": {
            "title": signer.signatory_title,
            "name": signer.signatory_name,
            "nip": signer.signatory_nip,
        },
    }


def _compile(template: str, payload: dict[str, Any]) -> bytes:
    import typst

    result = typst.compile(
        template.encode("utf-8"),
        sys_inputs={"data": json.dumps(payload, ensure_ascii=False)},
        ignore_system_fonts=True,
        format="pdf",
    )
    assert isinstance(result, bytes)
    return result


def attendance_pdf(data: ClosingData) -> bytes:
    """Every participant by every session (H/T/I/S/A), with the JP-weighted percentage."""
    sessions = sorted(data.cohort.sessions, key=lambda s: s.number)
    payload = _head(
        data, "Rekapitulasi Kehadiran Peserta", landscape=len(sessions) > PORTRAIT_MAX_SESSIONS
    )
    payload["sessions"] = [
        {"number": str(s.number), "date": s.date.strftime("%d/%m"), "jp": str(s.jp)}
        for s in sessions
    ]
    payload["rows"] = [
        {
            "ndh": str(a.ndh),
            "name": a.name,
            "nip": a.nip,
            "cells": [STATUS_CODES.get(a.statuses.get(s.number) or "", "-") for s in sessions],
            "jp_attended": str(a.jp_attended),
            "jp_total": str(a.jp_total),
            "pct": decimal_id(a.attendance_pct, 1),
        }
        for a in data.attendance
    ]
    payload["legend"] = (
        "H = hadir, T = terlambat, I = izin, S = sakit, A = tidak hadir, - = tidak tercatat; "
        "persentase kehadiran dihitung menurut JP."
    )
    return _compile(_ATTENDANCE, payload)


def results_pdf(data: ClosingData) -> bytes:
    """The results list: No, Nama, NIP, Instansi, Nilai Akhir, Predikat, Status."""
    payload = _head(data, "Daftar Kelulusan Peserta", landscape=False)
    payload["rows"] = [
        {
            "ndh": str(r.ndh),
            "name": r.name,
            "nip": r.nip,
            "agency": data.agency_name(r),
            "final": decimal_id(r.final_score),
            "predicate": r.predicate or "-",
            "status": status_word(r.status)
            + (" (setelah perbaikan)" if r.remedial is not None else ""),
        }
        for r in data.results
    ]
    payload["note"] = (
        "Peserta yang lulus setelah perbaikan dicatat dengan nilai akhir sebesar batas kelulusan."
        if any(r.remedial is not None for r in data.results)
        else ""
    )
    return _compile(_RESULTS, payload)


def write_attendance_pdf(data: ClosingData, directory: Path) -> Path:
    return write_whole(directory, ATTENDANCE_FILE, attendance_pdf(data))


def write_results_pdf(data: ClosingData, directory: Path) -> Path:
    return write_whole(directory, RESULTS_FILE, results_pdf(data))
