"""Printable STTP certificates (revmental_cli.documents): PDF via Typst, Word via docxtpl."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pytest
import segno
import yaml
from pypdf import PdfReader

from revmental_cli.documents import (
    VARIABLES,
    DocumentError,
    SessionLine,
    Signatory,
    SttpContext,
    pdf_renderer,
    read_pdf_stamp,
    render_docx,
    render_many,
    render_pdf,
    template_bytes,
    word_renderer,
)
from revmental_cli.documents.images import qr_svg
from revmental_cli.documents.pdf import SttpRenderer

ROOT = Path(__file__).resolve().parent.parent
LOGO_SVG = ROOT / "examples" / "templates" / "logo-contoh.svg"


def _sessions() -> tuple[SessionLine, ...]:
    cohort = yaml.safe_load((ROOT / "cohorts" / "prm-2021-ii.yaml").read_text(encoding="utf-8"))
    return tuple(
        SessionLine(i, s["title"], s["jp"]) for i, s in enumerate(cohort["sessions"], start=1)
    )


SESSIONS = _sessions()
PROGRAMME = (
    "Pelatihan Revolusi Mental untuk Penguatan Budaya Birokrasi Bersih, Melayani dan Responsif"
)
CTX = SttpContext(
    number="001/STTP/PRM-II/PKASN/2021",
    code="K7Q2MX9P4T",
    name="Dr. Siti Rahmawati, S.Sos., M.Si.",
    nip="198807142014032004",
    birth_place="Bandung",
    birth_date=date(1988, 7, 14),
    pangkat="Penata Tingkat I",
    golongan="III/d",
    position="Analis Kebijakan Ahli Muda",
    work_unit="Biro Organisasi dan Reformasi Birokrasi",
    agency="Pemerintah Provinsi Jawa Barat",
    programme_name=PROGRAMME,
    angkatan=2,
    year=2021,
    organiser="Puslatbang PKASN LAN",
    start=date(2021, 9, 29),
    end=date(2021, 10, 29),
    mode="daring",
    predicate="Memuaskan",
    place="Bandung",
    date=date(2021, 10, 29),
    signatory=Signatory(
        "Kepala Pusat Pelatihan dan Pengembangan dan Kajian Aparatur Sipil Negara",
        "Dr. Agus Sudrajat, S.Sos., M.A.",
        "197303011998031002",
    ),
    verify_url="https://sttp.puslatbang.example.go.id/v/",
    sessions=SESSIONS,
    tte_anchor="#",
)

# What the front page must say, whitespace aside.
FRONT = [
    "SURAT TANDA TAMAT PELATIHAN",
    "Nomor: 001/STTP/PRM-II/PKASN/2021",
    "Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara",
    "Dr. Siti Rahmawati, S.Sos., M.Si.",
    "19880714 201403 2 004",
    "Bandung, 14 Juli 1988",
    "Penata Tingkat I, III/d",
    "Analis Kebijakan Ahli Muda",
    "Biro Organisasi dan Reformasi Birokrasi",
    "Pemerintah Provinsi Jawa Barat",
    "telah mengikuti",
    PROGRAMME,
    "Angkatan II Tahun 2021",
    "Puslatbang PKASN LAN",
    "secara daring",
    "29 September s.d. 29 Oktober 2021",
    "36 (tiga puluh enam) jam pelajaran",
    "LULUS",
    "Kualifikasi: Memuaskan",
    "Bandung, 29 Oktober 2021",
    "Kepala Pusat Pelatihan dan Pengembangan dan Kajian Aparatur Sipil Negara",
    "Dr. Agus Sudrajat, S.Sos., M.A.",
    "NIP 19730301 199803 1 002",
    "K7Q2MX9P4T",
]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pages(pdf: bytes) -> list[str]:
    return [_flat(p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]


def _docx_text(data: bytes) -> str:
    doc = docx.Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return _flat("\n".join(parts))


@pytest.fixture(scope="module")
def renderer() -> SttpRenderer:
    return pdf_renderer()


@pytest.fixture(scope="module")
def pdf(renderer: SttpRenderer) -> bytes:
    return renderer.pdf(CTX)


# --- PDF ---------------------------------------------------------------------------------


def test_pdf_front_page_prints_every_field(pdf: bytes) -> None:
    front = _pages(pdf)[0]
    for expected in FRONT:
        assert expected in front, expected
    assert "None" not in front


def test_pdf_back_page_lists_sessions_and_total(pdf: bytes) -> None:
    pages = _pages(pdf)
    assert len(pages) == 2
    back = pages[1]
    assert "DAFTAR MATA PELATIHAN" in back
    for s in SESSIONS:
        assert f"{s.no} {s.title} {s.jp}" in back
    assert "Jumlah 36" in back


def test_pdf_back_page_can_be_left_out() -> None:
    assert len(_pages(pdf_renderer(back_page=False).pdf(CTX))) == 1
    # No sessions, no back page, whatever the option says.
    assert len(_pages(render_pdf(replace(CTX, sessions=(), jp=36)))) == 1


def test_pdf_metadata_carries_number_and_code(pdf: bytes) -> None:
    stamp = read_pdf_stamp(pdf)
    assert stamp is not None
    assert (stamp.number, stamp.code) == (CTX.number, CTX.code)
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta is not None
    assert meta.title == "Surat Tanda Tamat Pelatihan Nomor 001/STTP/PRM-II/PKASN/2021"
    assert meta.author == "Puslatbang PKASN LAN"
    # The certificate's date, not the time it was rendered.
    assert meta.creation_date is not None
    assert meta.creation_date.date() == date(2021, 10, 29)


def test_read_pdf_stamp_from_a_file_and_a_number_with_commas(tmp_path: Path) -> None:
    ctx = replace(CTX, number="12, STTP/2021")
    path = tmp_path / "sttp.pdf"
    path.write_bytes(render_pdf(ctx))
    stamp = read_pdf_stamp(path)
    assert stamp is not None
    assert (stamp.number, stamp.code) == ("12, STTP/2021", CTX.code)


def test_read_pdf_stamp_of_other_files(tmp_path: Path) -> None:
    import typst

    other = typst.compile(b"Hello", format="pdf")
    assert read_pdf_stamp(other) is None
    assert read_pdf_stamp(render_many([CTX, CTX])) is None  # a bundle is not one certificate
    bogus = tmp_path / "not.pdf"
    bogus.write_text("hello", encoding="utf-8")
    with pytest.raises(DocumentError, match="not a PDF"):
        read_pdf_stamp(bogus)
    with pytest.raises(DocumentError, match=r"missing\.pdf"):
        read_pdf_stamp(tmp_path / "missing.pdf")


def test_same_certificate_same_bytes(pdf: bytes) -> None:
    # A fresh renderer (a fresh Typst compiler) gives the same bytes: nothing of the run leaks.
    assert pdf_renderer().pdf(CTX) == pdf
    assert render_pdf(replace(CTX, date=date(2021, 10, 30))) != pdf


def test_pdf_is_pdfa_2b(pdf: bytes) -> None:
    assert pdf.startswith(b"%PDF-1.7")
    xmp = PdfReader(io.BytesIO(pdf)).xmp_metadata
    assert xmp is not None
    xml = xmp.rdf_root.toxml()
    assert re.search(r"pdfaid:part[^0-9]*2", xml)
    assert re.search(r"pdfaid:conformance[^A-Z]*B", xml)


def test_pdf_embeds_only_typst_fonts(pdf: bytes) -> None:
    # Only Typst's own fonts: the same output whatever fonts the machine has installed.
    fonts = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert fonts
    assert all(f.startswith("LibertinusSerif") for f in fonts), fonts


def test_pdf_is_the_same_with_system_fonts_allowed(renderer: SttpRenderer, pdf: bytes) -> None:
    import typst

    from revmental_cli.documents.pdf import _metadata, _timestamp

    inputs = renderer._inputs(_metadata(CTX), [CTX])
    with_system_fonts = typst.Compiler(root=str(renderer.template.root)).compile(
        input=renderer.template.source,
        format="pdf",
        sys_inputs={"revmental": inputs},
        pdf_standards=["a-2b"],
        timestamp=_timestamp(CTX.date),
    )
    assert with_system_fonts == pdf


def test_hostile_name_prints_literally(renderer: SttpRenderer) -> None:
    hostile = 'Budi #[*$\\"x_y`] <b>&amp; ) #panic("no") }'
    front = _pages(renderer.pdf(replace(CTX, name=hostile, place="#set page(width: 1cm)")))[0]
    assert _flat(hostile) in front
    assert "#set page(width: 1cm), 29 Oktober 2021" in front


def bare(name: str, **fields: Any) -> SttpContext:
    """A certificate with only the fields a certificate needs, and ``fields``."""
    return SttpContext(
        number="002/STTP/2021",
        code="ABC",
        name=name,
        programme_name="Pelatihan Dasar",
        year=2021,
        date=date(2021, 10, 29),
        **fields,
    )


def test_missing_fields_leave_their_lines_out(renderer: SttpRenderer) -> None:
    pages = _pages(renderer.pdf(bare("Wulan Sari", legal_basis=None, nip="  ", pangkat="")))
    assert len(pages) == 1
    front = pages[0]
    assert "None" not in front
    for label in ("NIP", "Jabatan", "Instansi", "Pangkat", "Tempat", "Kualifikasi", "Angkatan"):
        assert label not in front, label
    assert "Wulan Sari" in front
    assert "Tahun 2021" in front
    assert "LULUS" in front
    assert "29 Oktober 2021" in front


def test_tte_anchor_is_printed_and_checked(renderer: SttpRenderer) -> None:
    front = _pages(renderer.pdf(replace(CTX, tte_anchor="^")))[0]
    assert "^" in front
    assert "^" not in _pages(renderer.pdf(replace(CTX, tte_anchor=None)))[0]
    with pytest.raises(DocumentError, match="one visible character"):
        replace(CTX, tte_anchor="##")


def test_render_many_is_one_pdf_in_the_given_order(renderer: SttpRenderer) -> None:
    names = ["Ahmad Fauzi", "Wulan Sari", "Budi Santoso"]
    ctxs = [replace(CTX, name=n, number=f"00{i}/STTP", code=f"C{i}") for i, n in enumerate(names)]
    pages = _pages(renderer.pdf_many(ctxs))
    assert len(pages) == 6  # front and back for each
    fronts = pages[0::2]
    for i, name in enumerate(names):
        assert name in fronts[i]
        assert f"Nomor: 00{i}/STTP" in fronts[i]
        assert "DAFTAR MATA PELATIHAN" in pages[2 * i + 1]


def test_batch_render_matches_single_renders(renderer: SttpRenderer) -> None:
    ctxs = [replace(CTX, name=f"Peserta {i}", code=f"C{i}") for i in range(4)]
    batch = list(renderer.pdfs(ctxs))
    assert batch == [renderer.pdf(c) for c in ctxs]
    assert list(renderer.pdfs([])) == []


def test_logo_png_and_svg(tmp_path: Path) -> None:
    png = tmp_path / "logo.png"
    segno.make("logo").save(str(png), scale=4)
    for logo in (png, LOGO_SVG):
        out = render_pdf(CTX, logo=logo)
        assert "SURAT TANDA TAMAT PELATIHAN" in _pages(out)[0]
    bad = tmp_path / "logo.gif"
    bad.write_bytes(b"GIF89a....")
    with pytest.raises(DocumentError, match=r"logo\.gif.*neither a PNG nor an SVG"):
        pdf_renderer(logo=bad)
    broken = tmp_path / "broken.svg"
    broken.write_text("<svg><g></svg>", encoding="utf-8")
    with pytest.raises(DocumentError, match=r"broken\.svg"):
        pdf_renderer(logo=broken)


def test_qr_svg_carries_the_payload_matrix() -> None:
    payload = CTX.qr_payload()
    assert payload == "https://sttp.puslatbang.example.go.id/v/K7Q2MX9P4T"
    svg = qr_svg(payload)
    matrix = segno.make(payload, error="m", micro=False).matrix
    size = len(matrix)
    drawn = [[0] * size for _ in range(size)]
    for x, y, w in re.findall(r"M(\d+) (\d+)h(\d+)", svg):
        for dx in range(int(w)):
            drawn[int(y)][int(x) + dx] = 1
    assert drawn == [[int(bool(v)) for v in row] for row in matrix]


# --- Typst templates: export, user templates, errors ---------------------------------------


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_exported_typst_template_renders_the_same(tmp_path: Path, pdf: bytes) -> None:
    source = template_bytes("typ")
    assert b"sys.inputs.revmental" in source
    path = tmp_path / "my-sttp.typ"
    path.write_bytes(source)
    assert pdf_renderer(path).pdf(CTX) == pdf


def test_typst_template_documents_every_variable() -> None:
    source = template_bytes("typ").decode("utf-8")
    for name in VARIABLES:
        assert name in source, name


MINIMAL = """#let data = json(bytes(sys.inputs.revmental))
#set document(keywords: data.meta.keywords)
#for c in data.certificates {{
  let (name, number, ..) = c
  [{body}]
}}
"""


def test_user_template_with_own_asset(tmp_path: Path) -> None:
    _write(tmp_path, "kop.txt", "KOP SURAT")
    path = _write(tmp_path, "t.typ", MINIMAL.format(body='#read("kop.txt") #name #number'))
    out = pdf_renderer(path).pdf(CTX)
    assert f"KOP SURAT {CTX.name} {CTX.number}" in _pages(out)[0]
    stamp = read_pdf_stamp(out)
    assert stamp is not None and stamp.code == CTX.code


def test_unknown_variable_in_typst_template_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out" / "a.pdf"
    path = _write(tmp_path, "t.typ", MINIMAL.format(body="#name #nama_lengkap"))
    with pytest.raises(DocumentError) as caught:
        pdf_renderer(path).write([(out, CTX)])
    err = caught.value
    assert err.variable == "nama_lengkap"
    assert err.file == str(path) and err.line == 5
    assert str(path) in str(err) and "nama_lengkap" in str(err)
    assert not out.exists() and not out.parent.exists()


def test_unknown_key_destructured_in_typst_template_is_refused(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "t.typ", MINIMAL.replace("let (name, number, ..)", "let (name, nip_lama, ..)")
    )
    with pytest.raises(DocumentError) as caught:
        pdf_renderer(path).pdf(CTX)
    assert caught.value.variable == "nip_lama"
    assert caught.value.line == 4


def test_typst_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "t.typ", "#let data = json(bytes(sys.inputs.revmental))\n\n#let x = (\n"
    )
    with pytest.raises(DocumentError) as caught:
        pdf_renderer(path).pdf(CTX)
    assert caught.value.line == 3
    assert str(caught.value).startswith(f"{path}:3:")
    assert "unclosed delimiter" in str(caught.value)


def test_unknown_font_is_refused_and_a_fonts_folder_is_used(tmp_path: Path) -> None:
    body = MINIMAL.format(body="#name").replace(
        "#set document", '#set text(font: "DejaVu Sans", fallback: false)\n#set document'
    )
    path = _write(tmp_path, "t.typ", body)
    with pytest.raises(DocumentError, match="unknown font family") as caught:
        pdf_renderer(path).pdf(CTX)
    assert caught.value.line == 2 and caught.value.hint and "fonts/" in caught.value.hint
    font = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not font.exists():
        pytest.skip("no DejaVu Sans on this machine to put in fonts/")
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / font.name).write_bytes(font.read_bytes())
    out = pdf_renderer(path).pdf(CTX)
    assert CTX.name in _pages(out)[0]


def test_missing_template_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match=r"nope\.typ"):
        pdf_renderer(tmp_path / "nope.typ")


def test_write_renders_everything_before_writing(tmp_path: Path) -> None:
    # The second certificate breaks the template: the first must not be written either.
    path = _write(
        tmp_path,
        "t.typ",
        MINIMAL.format(body='#if name == "Rusak" {{ panic("rusak") }} #name'),
    )
    out = tmp_path / "out"
    jobs = [(out / "a.pdf", CTX), (out / "b.pdf", replace(CTX, name="Rusak"))]
    with pytest.raises(DocumentError, match="rusak"):
        pdf_renderer(path).write(jobs)
    assert not out.exists()
    written = pdf_renderer().write([(out / "a.pdf", CTX)])
    assert written == [out / "a.pdf"]
    assert read_pdf_stamp(written[0]) is not None
    assert [p.name for p in out.iterdir()] == ["a.pdf"]  # no temporary left


def test_first_page_rasterizes_to_a4_and_its_qr_scans(tmp_path: Path, pdf: bytes) -> None:
    """Page one as an image: A4 portrait, and a scanner reads the verification address.

    (The layout itself was checked by eye: docs/img/sttp-contoh.png.)
    """
    import shutil
    import subprocess

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    src = tmp_path / "sttp.pdf"
    src.write_bytes(pdf)
    png = tmp_path / "p.png"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile", str(src),
         str(png.with_suffix(""))],
        check=True,
    )  # fmt: skip
    data = png.read_bytes()
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert abs(height / width - 297 / 210) < 0.02
    if shutil.which("zbarimg") is None:
        pytest.skip("zbarimg (zbar-tools) is not installed")
    scanned = subprocess.run(
        ["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True, check=True
    )
    assert scanned.stdout.strip() == CTX.qr_payload()


# --- Word ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def word() -> bytes:
    return render_docx(CTX)


def test_docx_prints_every_field(word: bytes) -> None:
    text = _docx_text(word)
    for expected in FRONT:
        assert expected in text, expected
    for s in SESSIONS:
        assert s.title in text
    assert "Jumlah 36" in text
    assert "None" not in text


def test_docx_has_the_qr_and_logo_images(tmp_path: Path) -> None:
    png = tmp_path / "logo.png"
    segno.make("logo").save(str(png), scale=4)
    data = render_docx(CTX, logo=png)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    assert len(media) == 2
    with pytest.raises(DocumentError, match="PNG logo"):
        word_renderer(logo=LOGO_SVG)


def test_docx_is_deterministic(word: bytes) -> None:
    assert render_docx(CTX) == word


def test_docx_missing_fields_and_hostile_text() -> None:
    data = word_renderer(back_page=False).docx(bare('Budi <b>&amp; {{ x }} "B"'))
    text = _docx_text(data)
    assert 'Budi <b>&amp; {{ x }} "B"' in text
    assert "None" not in text
    for label in ("NIP", "Jabatan", "Instansi", "Kualifikasi", "DAFTAR MATA PELATIHAN"):
        assert label not in text, label


def _docx_with(tmp_path: Path, *lines: str) -> Path:
    doc = docx.Document()
    for line in lines:
        doc.add_paragraph(line)
    path = tmp_path / "t.docx"
    doc.save(str(path))
    return path


def test_unknown_variable_in_docx_template_is_refused(tmp_path: Path) -> None:
    path = _docx_with(tmp_path, "Nama: {{ name }}", "Nama lengkap: {{ nama_lengkap }}")
    with pytest.raises(DocumentError) as caught:
        word_renderer(path)
    assert caught.value.variable == "nama_lengkap"
    assert str(path) in str(caught.value) and "nama_lengkap" in str(caught.value)


def test_broken_docx_template_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "rusak.docx"
    path.write_bytes(b"this is not a zip")
    with pytest.raises(DocumentError, match=r"rusak\.docx"):
        word_renderer(path)
    tag = _docx_with(tmp_path, "{{ name ")
    with pytest.raises(DocumentError, match=r"t\.docx.*broken"):
        word_renderer(tag)


def test_user_docx_template_renders(tmp_path: Path) -> None:
    path = _docx_with(tmp_path, "{{ name }} / {{ nip_grouped }} / {{ signatory.name }}")
    text = _docx_text(word_renderer(path).docx(CTX))
    assert "Dr. Siti Rahmawati, S.Sos., M.Si. / 19880714 201403 2 004 / Dr. Agus" in text


def test_sample_docx_is_exported_and_committed_up_to_date() -> None:
    data = template_bytes("docx")
    assert zipfile.is_zipfile(io.BytesIO(data))
    committed = ROOT / "examples" / "templates" / "sttp-contoh.docx"
    assert committed.read_bytes() == data, "run python scripts/make_sample_docx.py"


def test_unknown_template_format() -> None:
    with pytest.raises(DocumentError):
        template_bytes("odt")  # type: ignore[arg-type]
