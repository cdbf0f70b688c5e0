"""STTP certificates as PDF, typeset in-process by Typst.

Owns the hand-over to Typst: the data goes in as one JSON string (sys.inputs.revmental), never
formatted into Typst markup, so a name with #, [, *, $ or a backslash prints as it is. Owns the
PDF's metadata (number and code, which ``read_pdf_stamp`` reads back) and its determinism:
the document date is the certificate's date and only Typst's own fonts are used.
Reads a template and a logo once per renderer; writes files only in ``SttpRenderer.write``,
after every certificate of the batch has rendered. Never touches the store.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import typst

from revmental_cli.documents.context import VARIABLES, DocumentError, SttpContext, variables
from revmental_cli.documents.images import Logo, load_logo, qr_svg

BUILTIN_NAME = "sttp.typ"
FONTS_DIR = "fonts"  # beside a user's template: its own fonts (an agency's house font)
# The name typst gives a main file handed over as bytes; errors in it are the template's.
_BYTES_MAIN = "__typst_py_bytes__.typ"
# PDF/A-2b: what archives (ANRI, e-arsip) accept for long-term keeping. Typst embeds every
# font and writes the XMP metadata this needs.
PDF_STANDARD = "a-2b"

KEYWORD = "STTP"
CODE_KEY = "revmental-code="
NUMBER_KEY = "revmental-number="
BUNDLE_KEY = "revmental-bundle="


@lru_cache(maxsize=1)
def builtin_typst_source() -> bytes:
    """The built-in Indonesian STTP template (revmental_cli/documents/templates/sttp.typ)."""
    return (resources.files("revmental_cli.documents") / "templates" / BUILTIN_NAME).read_bytes()


@dataclass(frozen=True)
class TypstTemplate:
    """A Typst template read once: its text, the name errors cite, and its folder.

    Files the template itself reads (a background picture, an included file) are found
    relative to ``root``, the template's folder.
    """

    name: str
    source: bytes
    root: Path

    @classmethod
    def builtin(cls) -> TypstTemplate:
        root = Path(str(resources.files("revmental_cli.documents") / "templates"))
        return cls(f"{BUILTIN_NAME} (built-in)", builtin_typst_source(), root)

    @classmethod
    def from_file(cls, path: Path) -> TypstTemplate:
        try:
            source = path.read_bytes()
        except OSError as exc:
            raise DocumentError(
                f"cannot read the template: {exc.strerror or exc}", file=str(path)
            ) from exc
        return cls(str(path), source, path.resolve().parent)


_LOCATION = re.compile(r"┌─ (?P<file>.+?):(?P<line>\d+):(?P<col>\d+)")
_UNKNOWN = (
    re.compile(r"unknown variable: (?P<var>\S+)"),
    re.compile(r'dictionary does not contain key "(?P<var>[^"]+)"'),
)


def template_error(exc: typst.TypstError, template: TypstTemplate) -> DocumentError:
    """A Typst diagnostic as a DocumentError naming the template file and the line."""
    message = str(getattr(exc, "message", "") or exc).strip()
    diagnostic = str(getattr(exc, "diagnostic", "") or "")
    file, line = template.name, None
    found = _LOCATION.search(diagnostic)
    if found:
        line = int(found["line"])
        cited = found["file"]
        if Path(cited).name != _BYTES_MAIN:
            # Another file the template read: typst names it relative to the root.
            file = os.path.normpath(template.root / cited.lstrip("/"))
    hints = [str(h) for h in getattr(exc, "hints", None) or []]
    for pattern in _UNKNOWN:
        unknown = pattern.search(message)
        if unknown:
            known = ", ".join(VARIABLES)
            return DocumentError(
                f'unknown template variable "{unknown["var"]}"',
                file=file,
                line=line,
                variable=unknown["var"],
                hint=f"the variables are: {known}",
            )
    return DocumentError(message, file=file, line=line, hint="; ".join(hints) or None)


def font_error(warning: typst.TypstWarning, template: TypstTemplate) -> DocumentError:
    """A font the template names but nobody provides: refused, not silently replaced."""
    found = _LOCATION.search(str(getattr(warning, "diagnostic", "") or ""))
    return DocumentError(
        str(warning.message),
        file=template.name,
        line=int(found["line"]) if found else None,
        hint=f"put the font's .ttf/.otf files in a {FONTS_DIR}/ folder beside the template; "
        "system fonts are not used, so that every machine prints the same",
    )


def _metadata(ctx: SttpContext) -> dict[str, Any]:
    """What the PDF says about itself: title, author, keywords and date (see read_pdf_stamp)."""
    return {
        "title": f"Surat Tanda Tamat Pelatihan Nomor {ctx.number}",
        "author": [ctx.organiser] if ctx.organiser else [],
        "description": f"STTP {ctx.programme_name} atas nama {ctx.name}",
        # The number goes last: read back as "everything after its key", it may hold commas.
        "keywords": [KEYWORD, f"{CODE_KEY}{ctx.code}", f"{NUMBER_KEY}{ctx.number}"],
        "date": {"year": ctx.date.year, "month": ctx.date.month, "day": ctx.date.day},
    }


def _bundle_metadata(ctxs: Sequence[SttpContext]) -> dict[str, Any]:
    first = ctxs[0]
    last = max(c.date for c in ctxs)
    return {
        "title": f"Surat Tanda Tamat Pelatihan: {first.programme_name} ({len(ctxs)} sertifikat)",
        "author": [first.organiser] if first.organiser else [],
        "description": f"{len(ctxs)} STTP, {first.number} s.d. {ctxs[-1].number}",
        "keywords": [KEYWORD, f"{BUNDLE_KEY}{len(ctxs)}"],
        "date": {"year": last.year, "month": last.month, "day": last.day},
    }


def _timestamp(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)


class SttpRenderer:
    """Renders STTPs with one template, keeping one Typst compiler warm between them.

    Make one per batch: the template and the logo are read once, the fonts loaded once, and
    each certificate then costs one compile and one QR code.
    """

    def __init__(
        self,
        template: TypstTemplate | Path | None = None,
        *,
        logo: Logo | Path | None = None,
        back_page: bool = True,
        pdf_standard: str | None = PDF_STANDARD,
        font_dirs: Sequence[Path] | None = None,
    ) -> None:
        if template is None:
            template = TypstTemplate.builtin()
        elif isinstance(template, Path):
            template = TypstTemplate.from_file(template)
        self.template = template
        if isinstance(logo, Path):
            logo = load_logo(logo)
        self.logo = logo
        self.back_page = back_page
        self.pdf_standard = pdf_standard
        # Typst's own fonts, plus those the template brings in a fonts/ folder beside it; never
        # the system's: the same bytes on every machine, whatever fonts it has installed.
        if font_dirs is None:
            font_dirs = [d for d in (template.root / FONTS_DIR,) if d.is_dir()]
        self._compiler = typst.Compiler(
            root=str(template.root),
            font_paths=[str(d) for d in font_dirs],
            ignore_system_fonts=True,
        )
        self._shared: dict[str, Any] = {
            "logo": logo.svg_text() if logo else None,
            "back_page": back_page,
        }
        if logo is not None:
            self._check_logo(logo)

    def _check_logo(self, logo: Logo) -> None:
        """A logo Typst cannot draw is the logo's fault: say so now, naming the logo file."""
        probe = b"#image(bytes(sys.inputs.logo), width: 1cm)"
        try:
            self._compiler.compile(
                input=probe, format="pdf", sys_inputs={"logo": self._shared["logo"]}
            )
        except typst.TypstError as exc:
            message = str(getattr(exc, "message", "") or exc)
            raise DocumentError(f"Typst cannot draw the logo: {message}", file=logo.path) from None

    def _certificate(self, ctx: SttpContext) -> dict[str, Any]:
        values = variables(ctx)
        payload = ctx.qr_payload()
        values["qr"] = qr_svg(payload) if payload else None
        return values

    def _inputs(self, meta: dict[str, Any], ctxs: Sequence[SttpContext]) -> str:
        """The JSON the template reads: the Python half of a render (QR codes included)."""
        data = {
            "meta": meta,
            "shared": self._shared,
            "certificates": [self._certificate(c) for c in ctxs],
        }
        return json.dumps(data, ensure_ascii=False)

    def _run(self, inputs: str, day: date) -> bytes:
        """The Typst half of a render. The binding lets go of the GIL while it compiles."""
        try:
            pdf, warnings = self._compiler.compile_with_warnings(
                input=self.template.source,
                format="pdf",
                sys_inputs={"revmental": inputs},
                pdf_standards=[self.pdf_standard] if self.pdf_standard else [],  # type: ignore[list-item]
                timestamp=_timestamp(day),
            )
        except typst.TypstError as exc:
            raise template_error(exc, self.template) from None
        for warning in warnings:
            if str(getattr(warning, "message", "")).startswith("unknown font family"):
                raise font_error(warning, self.template)
        assert isinstance(pdf, bytes)
        return pdf

    def pdf(self, ctx: SttpContext) -> bytes:
        """One certificate (front page, and the session list behind it) as PDF bytes."""
        return self._run(self._inputs(_metadata(ctx), [ctx]), ctx.date)

    def pdfs(self, ctxs: Iterable[SttpContext]) -> Iterator[bytes]:
        """One PDF per certificate, in order: the quick way to render a batch.

        The next certificate's data and QR code (pure Python) are made on a helper thread
        while Typst compiles the current one, so a batch costs about one compile each.
        """
        items = list(ctxs)
        if not items:
            return
        with ThreadPoolExecutor(max_workers=1) as pool:
            ahead = pool.submit(self._inputs, _metadata(items[0]), [items[0]])
            for i, ctx in enumerate(items):
                inputs = ahead.result()
                if i + 1 < len(items):
                    nxt = items[i + 1]
                    ahead = pool.submit(self._inputs, _metadata(nxt), [nxt])
                yield self._run(inputs, ctx.date)

    def pdf_many(self, ctxs: Sequence[SttpContext]) -> bytes:
        """All certificates in one PDF, in the order given (NDH order for ``--one-file``)."""
        if not ctxs:
            raise DocumentError("no certificate to render")
        day = max(c.date for c in ctxs)
        return self._run(self._inputs(_bundle_metadata(ctxs), ctxs), day)

    def write(self, jobs: Sequence[tuple[Path, SttpContext]]) -> list[Path]:
        """Render every certificate, then write them all; on any failure nothing is left.

        Each file appears complete or not at all (written beside its target, then renamed).
        """
        paths, ctxs = [p for p, _ in jobs], [c for _, c in jobs]
        return write_files(list(zip(paths, self.pdfs(ctxs), strict=True)))


def write_files(items: Sequence[tuple[Path, bytes]]) -> list[Path]:
    """Write each (path, bytes): every file to a temporary name first, then the renames.

    A full disk or a forbidden folder fails before any target exists; only a failure in the
    rename loop itself (very rare) can leave part of a batch.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in items:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            staged.append((tmp, path))
            with os.fdopen(fd, "wb") as out:
                out.write(data)
        for tmp, path in staged:
            os.replace(tmp, path)
    except OSError as exc:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
        raise DocumentError(f"cannot write {exc.filename or ''}: {exc.strerror or exc}") from exc
    return [path for _, path in staged]
