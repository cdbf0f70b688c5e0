"""The sample Word STTP template (sttp-contoh.docx), built with python-docx.

Owns the layout of the Word template a centre starts from: the same text and variables as
the built-in Typst template, as docxtpl (Jinja) tags. Built in memory, the same bytes every
time; ``scripts/make_sample_docx.py`` writes it to examples/templates/. Writes no file itself.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from functools import lru_cache

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

SAMPLE_NAME = "sttp-contoh.docx"
INK = RGBColor(0x1B, 0x2F, 0x4B)
FONT = "Times New Roman"
_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry: no build time leaks


def normalized_zip(data: bytes) -> bytes:
    """The same .docx with every zip entry dated 1980-01-01, so equal content is equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_EPOCH)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def _para(doc, text: str = "", *, align=WD_ALIGN_PARAGRAPH.LEFT, size: float = 12,
          bold: bool = False, color: RGBColor | None = None, after: float = 0,
          before: float = 0, spacing: float | None = None) -> Paragraph:  # fmt: skip
    p = doc.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_after = Pt(after)
    p.paragraph_format.space_before = Pt(before)
    if text:
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.font.bold = bold
        if color is not None:
            run.font.color.rgb = color
        if spacing is not None:
            # Letter spacing (w:spacing in twentieths of a point) for the titles.
            rpr = run._element.get_or_add_rPr()
            sp = OxmlElement("w:spacing")
            sp.set(qn("w:val"), str(int(spacing * 20)))
            rpr.append(sp)
    return p


def _tag(doc, tag: str) -> None:
    """A docxtpl paragraph tag ({%p ... %}): the whole paragraph goes when rendered."""
    _para(doc, tag, size=8)


def _page_border(section) -> None:
    """A double rule around the page, as on printed certificates (python-docx has no API)."""
    borders = OxmlElement("w:pgBorders")
    borders.set(qn("w:offsetFrom"), "page")
    for side in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "double")
        el.set(qn("w:sz"), "12")
        el.set(qn("w:space"), "24")
        el.set(qn("w:color"), "1B2F4B")
        borders.append(el)
    section._sectPr.append(borders)


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _identity(doc, label: str, condition: str, value: str, *, bold: bool = False) -> None:
    _tag(doc, f"{{%p if {condition} %}}")
    p = _para(doc, after=2)
    p.paragraph_format.left_indent = Mm(8)
    # Word measures tab stops from the margin, not the indent: room for the longest label.
    p.paragraph_format.tab_stops.add_tab_stop(Mm(66))
    p.paragraph_format.tab_stops.add_tab_stop(Mm(70))
    p.add_run(f"{label}\t:\t").font.size = Pt(12)
    run = p.add_run(value)
    run.font.size = Pt(12)
    run.font.bold = bold
    _tag(doc, "{%p endif %}")


def _widths(table, widths) -> None:
    """Fixed column widths; LibreOffice reads the grid, Word the cells: set both."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def _cell_para(cell, text: str, *, size: float = 12, bold: bool = False,
               underline: bool = False, first: bool = False,
               align=WD_ALIGN_PARAGRAPH.LEFT) -> Paragraph:  # fmt: skip
    p = cell.paragraphs[0] if first else cell.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    run = p.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.underline = underline
    return p


def _build() -> bytes:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.font.size = Pt(12)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin, section.bottom_margin = Mm(20), Mm(18)
    _page_border(section)
    core = doc.core_properties
    core.title = "Surat Tanda Tamat Pelatihan (contoh templat revmental)"
    core.author = "revmental"
    core.created = core.modified = datetime(2021, 10, 29)
    core.last_modified_by = "revmental"
    core.revision = 1

    center = WD_ALIGN_PARAGRAPH.CENTER
    _tag(doc, "{%p if logo %}")
    _para(doc, "{{ logo }}", align=center, after=4)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if organiser %}")
    _para(doc, "{{ organiser|upper }}", align=center, size=13, bold=True, color=INK, after=10)
    _tag(doc, "{%p endif %}")
    _para(doc, "SURAT TANDA TAMAT PELATIHAN", align=center, size=20, bold=True, color=INK,
          spacing=1.5)  # fmt: skip
    _para(doc, "Nomor: {{ number }}", align=center, after=16)
    _para(
        doc,
        "{% if legal_basis %}Berdasarkan {{ legal_basis }}, {% endif %}"
        '{{ organiser or "penyelenggara pelatihan" }} menyatakan bahwa:',
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        after=6,
    )
    _identity(doc, "Nama", "name", "{{ name }}", bold=True)
    _identity(doc, "NIP", "nip_grouped", "{{ nip_grouped }}")
    _identity(doc, "Tempat, Tanggal Lahir", "birth_place or birth_date_text",
              '{{ [birth_place, birth_date_text]|select|join(", ") }}')  # fmt: skip
    _identity(doc, "Pangkat/Golongan Ruang", "pangkat or golongan",
              '{{ [pangkat, golongan]|select|join(", ") }}')  # fmt: skip
    _identity(doc, "Jabatan", "position", "{{ position }}")
    _identity(doc, "Unit Kerja", "work_unit", "{{ work_unit }}")
    _identity(doc, "Instansi", "agency", "{{ agency }}")
    _para(doc, "telah mengikuti", align=center, before=10, after=4)
    _para(doc, "{{ programme_name }}", align=center, size=14, bold=True, color=INK)
    _para(doc, "{% if angkatan_roman %}Angkatan {{ angkatan_roman }} {% endif %}Tahun {{ year }}",
          align=center, bold=True, after=6)  # fmt: skip
    _para(
        doc,
        '{{ [organiser and "yang diselenggarakan oleh " ~ organiser,'
        ' mode and "secara " ~ mode,'
        ' period_text and "pada tanggal " ~ period_text,'
        ' jp and "selama " ~ jp ~ " (" ~ jp_words ~ ") jam pelajaran"]|select|join(" ") }},'
        " dan dinyatakan:",
        align=center,
        after=6,
    )
    _para(doc, "LULUS", align=center, size=26, bold=True, color=INK, spacing=2)
    _tag(doc, "{%p if predicate %}")
    _para(doc, "Kualifikasi: {{ predicate }}", align=center, after=18)
    _tag(doc, "{%p endif %}")

    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    _widths(table, (Mm(75), Mm(85)))
    left, right = table.rows[0].cells
    _cell_para(left, "{%p if qr %}", size=8, first=True)
    _cell_para(left, "{{ qr }}")
    _cell_para(left, "Pindai kode QR untuk memeriksa keaslian.", size=8)
    _cell_para(left, "{% if code %}Kode verifikasi: {{ code }}{% endif %}", size=8)
    _cell_para(left, "{%p endif %}", size=8)
    _cell_para(right, '{{ [place, date_text]|select|join(", ") }}', first=True)
    _cell_para(right, "{% if signatory and signatory.title %}{{ signatory.title }},{% endif %}")
    anchor = _cell_para(right, "{{ tte_anchor }}", size=14)
    # The e-signature service stamps the signature over the anchor character: room for it.
    anchor.paragraph_format.space_before = Pt(24)
    anchor.paragraph_format.space_after = Pt(24)
    _cell_para(right, "{% if signatory and signatory.name %}{{ signatory.name }}{% endif %}",
               bold=True, underline=True)  # fmt: skip
    _cell_para(right, "{% if signatory and signatory.nip %}NIP {{ signatory.nip }}{% endif %}")

    _tag(doc, "{%p if back_page and sessions %}")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _para(doc, "DAFTAR MATA PELATIHAN", align=center, size=15, bold=True, color=INK, spacing=1)
    _para(doc, "{{ programme_name }}", align=center)
    _para(doc, "{% if angkatan_roman %}Angkatan {{ angkatan_roman }} {% endif %}Tahun {{ year }}",
          align=center)  # fmt: skip
    _para(doc, "Lampiran STTP Nomor: {{ number }}", align=center, size=10, after=12)
    sessions = doc.add_table(rows=5, cols=3)
    sessions.style = "Table Grid"
    sessions.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = (Mm(15), Mm(125), Mm(20))
    rows = (
        ("No", "Mata Pelatihan", "JP"),
        ("{%tr for s in sessions %}", "", ""),
        ("{{ s.no }}", "{{ s.title }}", "{{ s.jp }}"),
        ("{%tr endfor %}", "", ""),
        ("", "Jumlah", '{{ sessions|sum(attribute="jp") }}'),
    )
    _widths(sessions, widths)
    for r, texts in enumerate(rows):
        for c, text in enumerate(texts):
            cell = sessions.rows[r].cells[c]
            bold = r in (0, 4)
            align = WD_ALIGN_PARAGRAPH.LEFT if c == 1 and r != 4 else WD_ALIGN_PARAGRAPH.CENTER
            if r == 4 and c == 1:
                align = WD_ALIGN_PARAGRAPH.RIGHT
            _cell_para(cell, text, bold=bold, first=True, align=align)
    _para(doc, "JP: jam pelajaran.", size=9, before=6)
    _tag(doc, "{%p endif %}")

    out = io.BytesIO()
    doc.save(out)
    return normalized_zip(out.getvalue())


@lru_cache(maxsize=1)
def sample_docx() -> bytes:
    """The sample Word STTP template, as .docx bytes (the same bytes on every run)."""
    return _build()
