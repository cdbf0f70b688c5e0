"""Printable STTP certificates: PDF through Typst, Word through docxtpl, and reading them back.

Owns turning an SttpContext (plain typed facts) into document bytes, exporting the built-in
templates and reading a PDF's number and code back. Never touches the store, the cohort file
or the CLI: the command layer fills SttpContext and decides where files go.

The heavy libraries (typst, docxtpl, pypdf) load only when a function that needs them runs,
so importing this package costs the CLI's start-up nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from revmental_cli.documents.context import (
    DEFAULT_LEGAL_BASIS,
    VARIABLES,
    DocumentError,
    SessionLine,
    Signatory,
    SttpContext,
    variables,
)

if TYPE_CHECKING:
    from revmental_cli.documents.check import PdfStamp
    from revmental_cli.documents.images import Logo
    from revmental_cli.documents.pdf import SttpRenderer, TypstTemplate
    from revmental_cli.documents.word import DocxRenderer

__all__ = [
    "DEFAULT_LEGAL_BASIS",
    "VARIABLES",
    "DocumentError",
    "SessionLine",
    "Signatory",
    "SttpContext",
    "load_logo",
    "pdf_renderer",
    "read_pdf_stamp",
    "render_docx",
    "render_many",
    "render_pdf",
    "template_bytes",
    "typst_template",
    "variables",
    "word_renderer",
]

TemplateFormat = Literal["typ", "docx"]


def template_bytes(fmt: TemplateFormat) -> bytes:
    """The built-in template to start from: "typ" (sttp.typ) or "docx" (sttp-contoh.docx)."""
    if fmt == "typ":
        from revmental_cli.documents.pdf import builtin_typst_source

        return builtin_typst_source()
    if fmt == "docx":
        from revmental_cli.documents.sample_docx import sample_docx

        return sample_docx()
    raise DocumentError(f'unknown template format "{fmt}"', hint="use typ or docx")


def pdf_renderer(
    template: Path | None = None, *, logo: Path | None = None, back_page: bool = True
) -> SttpRenderer:
    """A PDF renderer for a batch: the template and logo are read and checked once."""
    from revmental_cli.documents.pdf import SttpRenderer

    return SttpRenderer(template, logo=logo, back_page=back_page)


def word_renderer(
    template: Path | None = None, *, logo: Path | None = None, back_page: bool = True
) -> DocxRenderer:
    """A Word renderer for a batch: the template is checked for unknown variables up front."""
    from revmental_cli.documents.word import DocxRenderer

    return DocxRenderer(template, logo=logo, back_page=back_page)


def render_pdf(
    ctx: SttpContext,
    *,
    template: Path | None = None,
    logo: Path | None = None,
    back_page: bool = True,
) -> bytes:
    """One certificate as PDF bytes (for a batch, make one ``pdf_renderer`` and reuse it)."""
    return pdf_renderer(template, logo=logo, back_page=back_page).pdf(ctx)


def render_many(
    ctxs: Sequence[SttpContext],
    *,
    template: Path | None = None,
    logo: Path | None = None,
    back_page: bool = True,
) -> bytes:
    """All certificates in one PDF, in the order given (NDH order for ``--one-file``)."""
    return pdf_renderer(template, logo=logo, back_page=back_page).pdf_many(ctxs)


def render_docx(
    ctx: SttpContext,
    *,
    template: Path | None = None,
    logo: Path | None = None,
    back_page: bool = True,
) -> bytes:
    """One certificate as .docx bytes (for a batch, make one ``word_renderer``)."""
    return word_renderer(template, logo=logo, back_page=back_page).docx(ctx)


def read_pdf_stamp(source: Path | bytes) -> PdfStamp | None:
    """The number and code a revmental STTP PDF carries; None for any other PDF."""
    from revmental_cli.documents.check import read_pdf_stamp as read

    return read(source)


def load_logo(path: Path) -> Logo:
    """Read a PNG or SVG logo once, to hand to several renderers."""
    from revmental_cli.documents.images import load_logo as load

    return load(path)


def typst_template(path: Path) -> TypstTemplate:
    """A user's Typst template, read once (errors will name this file)."""
    from revmental_cli.documents.pdf import TypstTemplate

    return TypstTemplate.from_file(path)
