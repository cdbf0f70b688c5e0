"""STTP certificates as Word (.docx) files, filled in by docxtpl from a .docx template.

Owns checking a Word template (readable, no unknown variable, no broken Jinja tag) before
anything is written, and filling it with the same variables as the Typst template. Reads the
template and the logo once per renderer; writes files only in ``DocxRenderer.write``.
Never touches the store.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import jinja2
from docx.opc.exceptions import PackageNotFoundError
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from revmental_cli.documents.context import VARIABLES, DocumentError, SttpContext, variables
from revmental_cli.documents.images import Logo, load_logo, qr_png
from revmental_cli.documents.pdf import write_files
from revmental_cli.documents.sample_docx import SAMPLE_NAME, normalized_zip, sample_docx

_BROKEN = (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, OSError)


def _environment() -> jinja2.Environment:
    # A missing value prints as nothing, never "None"; undefined names are refused up front
    # (check_template), so StrictUndefined here only guards what the check cannot see.
    return jinja2.Environment(
        finalize=lambda value: "" if value is None else value,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
    )


class DocxRenderer:
    """Fills one Word template for many certificates; the template is checked once, up front."""

    def __init__(
        self,
        template: Path | None = None,
        *,
        logo: Logo | Path | None = None,
        back_page: bool = True,
        qr_width_mm: float = 26,
        logo_height_mm: float = 22,
    ) -> None:
        if template is None:
            self.name, self.data = f"{SAMPLE_NAME} (built-in)", sample_docx()
        else:
            self.name = str(template)
            try:
                self.data = template.read_bytes()
            except OSError as exc:
                raise DocumentError(
                    f"cannot read the Word template: {exc.strerror or exc}", file=self.name
                ) from exc
        if isinstance(logo, Path):
            logo = load_logo(logo)
        if logo is not None and logo.kind != "png":
            raise DocumentError(
                "a Word certificate takes a PNG logo (Word cannot embed this SVG)",
                file=logo.path,
                hint="export the logo as PNG",
            )
        self.logo = logo
        self.back_page = back_page
        self.qr_width = Mm(qr_width_mm)
        self.logo_height = Mm(logo_height_mm)
        self.check_template()

    def _template(self) -> DocxTemplate:
        try:
            tpl = DocxTemplate(io.BytesIO(self.data))
            tpl.init_docx()
        except _BROKEN as exc:
            raise DocumentError(
                f"not a readable Word (.docx) file: {exc}",
                file=self.name,
                hint="save the template from Word as .docx (not .doc or .odt)",
            ) from exc
        return tpl

    def check_template(self) -> None:
        """Refuse a broken .docx, a broken Jinja tag or an unknown variable, naming it."""
        tpl = self._template()
        known = dict.fromkeys(VARIABLES)
        try:
            unknown = tpl.get_undeclared_template_variables(_environment(), known)
        except jinja2.TemplateSyntaxError as exc:
            raise DocumentError(
                f"a template tag is broken: {exc.message}",
                file=self.name,
                hint="each {{ ... }} and {% ... %} must be whole, typed in one go in Word",
            ) from exc
        except _BROKEN as exc:
            raise DocumentError(f"not a readable Word (.docx) file: {exc}", file=self.name) from exc
        if unknown:
            first = sorted(unknown)[0]
            raise DocumentError(
                "unknown template variable"
                + ("s " if len(unknown) > 1 else " ")
                + ", ".join(f'"{v}"' for v in sorted(unknown)),
                file=self.name,
                variable=first,
                hint="the variables are: " + ", ".join(VARIABLES),
            )

    def _context(self, tpl: DocxTemplate, ctx: SttpContext) -> dict[str, Any]:
        values = variables(ctx)
        payload = ctx.qr_payload()
        values["qr"] = (
            InlineImage(tpl, io.BytesIO(qr_png(payload)), width=self.qr_width) if payload else None
        )
        values["logo"] = (
            InlineImage(tpl, io.BytesIO(self.logo.data), height=self.logo_height)
            if self.logo
            else None
        )
        values["back_page"] = self.back_page
        return values

    def docx(self, ctx: SttpContext) -> bytes:
        """One certificate as .docx bytes (the same bytes for the same certificate)."""
        tpl = self._template()
        try:
            tpl.render(self._context(tpl, ctx), _environment(), autoescape=True)
        except jinja2.TemplateError as exc:
            raise DocumentError(f"the Word template failed: {exc}", file=self.name) from exc
        out = io.BytesIO()
        tpl.save(out)
        return normalized_zip(out.getvalue())

    def write(self, jobs: Iterable[tuple[Path, SttpContext]]) -> list[Path]:
        """Fill every certificate, then write them all (see pdf.write_files)."""
        rendered: Sequence[tuple[Path, bytes]] = [(path, self.docx(ctx)) for path, ctx in jobs]
        return write_files(rendered)


def render_docx(
    ctx: SttpContext,
    *,
    template: Path | None = None,
    logo: Logo | Path | None = None,
    back_page: bool = True,
) -> bytes:
    """One certificate as .docx bytes (for a batch, make one DocxRenderer and reuse it)."""
    return DocxRenderer(template, logo=logo, back_page=back_page).docx(ctx)
