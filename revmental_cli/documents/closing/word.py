"""Word (python-docx) building blocks for the closing documents: page, tables, signatures.

Owns the look shared by the report and the letters (A4, margins of the government's tata
naskah dinas, Arial, real heading styles, header rows repeated on every page, a PAGE field in
the footer). Must never compute a number: callers pass text.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

FONT = "Arial"


def new_document(*, landscape: bool = False) -> Any:
    doc = Document()
    # python-docx stamps the current time and "python-docx" as author: a document for the
    # archive says who made it, and the same inputs should give the same content.
    props = doc.core_properties
    props.author = "revmental"
    props.last_modified_by = "revmental"
    props.comments = ""
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    # Permen PANRB on tata naskah dinas: 3 cm left (binding), 2 cm elsewhere.
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(4)
    for level in (1, 2):
        style = doc.styles[f"Heading {level}"]
        style.font.name = FONT
        style.font.size = Pt(13 if level == 1 else 12)
        style.font.bold = True
        style.font.color.rgb = None
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            style.element.rPr.rFonts.attrib.pop(qn(attr), None)
        style.element.rPr.rFonts.set(qn("w:ascii"), FONT)
        style.element.rPr.rFonts.set(qn("w:hAnsi"), FONT)
        style.paragraph_format.space_before = Pt(12)
        style.paragraph_format.space_after = Pt(6)
    page_number_footer(section)
    return doc


def page_number_footer(section: Any) -> None:
    """ "Halaman N" centred in the footer, N a PAGE field Word and LibreOffice fill in."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("Halaman ")
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = " PAGE "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, code, separate, shown, end):
        run._r.append(element)


def paragraph(
    doc: Any,
    text: str = "",
    *,
    bold: bool = False,
    align: str = "left",
    size: float | None = None,
    after: float | None = None,
    indent_cm: float | None = None,
) -> Any:
    p = doc.add_paragraph()
    p.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]
    if text:
        run = p.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
    if after is not None:
        p.paragraph_format.space_after = Pt(after)
    if indent_cm is not None:
        p.paragraph_format.left_indent = Cm(indent_cm)
    return p


def table(
    doc: Any,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    widths_cm: Sequence[float] | None = None,
    right: Sequence[int] = (),
    center: Sequence[int] = (),
    size: float = 10,
) -> Any:
    """A bordered table; its header row repeats at the top of every page it runs onto."""
    t = doc.add_table(rows=1, cols=len(header))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    head = t.rows[0]
    tr_pr = head._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for cell, text in zip(head.cells, header, strict=True):
        _fill(cell, text, bold=True, align="center", size=size)
        _shade(cell, "D9D9D9")
    for row in rows:
        cells = t.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, row, strict=True)):
            align = "right" if i in right else "center" if i in center else "left"
            _fill(cell, text, align=align, size=size)
    if widths_cm:
        # LibreOffice lays a table out by its grid columns, Word by its cells: set both.
        t.autofit = False
        for column, width in zip(t.columns, widths_cm, strict=True):
            column.width = Cm(width)
        for row in t.rows:
            for cell, width in zip(row.cells, widths_cm, strict=True):
                cell.width = Cm(width)
    doc.add_paragraph().paragraph_format.space_after = Pt(2)
    return t


def _fill(cell: Any, text: str, *, bold: bool = False, align: str = "left", size: float) -> None:
    p = cell.paragraphs[0]
    p.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }[align]
    p.paragraph_format.space_after = Pt(0)
    run = p.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)


def _shade(cell: Any, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def letterhead(doc: Any, organiser: str, subtitle: str | None = None) -> None:
    """The kop: the organiser's name in capitals, centred, over a double rule."""
    paragraph(doc, organiser.upper(), bold=True, align="center", size=14, after=0)
    if subtitle:
        paragraph(doc, subtitle, align="center", size=10, after=0)
    rule = paragraph(doc, after=8)
    p_pr = rule._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "thickThinSmallGap")
    bottom.set(qn("w:sz"), "18")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    p_pr.append(borders)


def signature(
    doc: Any, title: str, name: str, nip: str | None, *, place_date: str | None = None
) -> None:
    """The signature block on the right half: place and date, office, room to sign, name, NIP."""
    indent = 9.0
    paragraph(doc, after=6)
    if place_date:
        paragraph(doc, place_date, indent_cm=indent, after=0)
    paragraph(doc, title, indent_cm=indent, after=48)
    p = paragraph(doc, indent_cm=indent, after=0)
    run = p.add_run(name)
    run.bold = True
    run.underline = True
    if nip:
        paragraph(doc, f"NIP {nip}", indent_cm=indent, after=0)


def fields(doc: Any, pairs: Sequence[tuple[str, str]], *, label_cm: float = 2.5) -> None:
    """Label : value lines (Nomor, Sifat, Lampiran, Hal) aligned on a tab stop."""
    for label, value in pairs:
        p = paragraph(doc, after=0)
        p.paragraph_format.tab_stops.add_tab_stop(Cm(label_cm))
        p.paragraph_format.tab_stops.add_tab_stop(Cm(label_cm + 0.4))
        p.paragraph_format.left_indent = Cm(label_cm + 0.4)
        p.paragraph_format.first_line_indent = Cm(-(label_cm + 0.4))
        p.add_run(f"{label}\t:\t{value}")


def to_bytes(doc: Any) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
