"""Reading a printed STTP back: the certificate number and code a revmental PDF carries.

Owns the parsing of the PDF metadata that ``documents.pdf`` writes (the /Keywords entry of the
Info dictionary, with the XMP packet as a fallback). Reads the given file only; never the store:
whether the number and code are valid is for the caller to look up.

pypdf does the reading: a certificate that went through an e-signature service comes back as
an incremental update, often with compressed object streams, which a hand-written scan of the
Info dictionary would misread.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from revmental_cli.documents.context import DocumentError
from revmental_cli.documents.pdf import BUNDLE_KEY, CODE_KEY, KEYWORD, NUMBER_KEY

_CODE = re.compile(rf"(?:^|,\s*){re.escape(CODE_KEY)}([^,]*)")
_NUMBER = re.compile(rf"(?:^|,\s*){re.escape(NUMBER_KEY)}(.*)$")


@dataclass(frozen=True)
class PdfStamp:
    """What a revmental STTP says about itself: its number, its verification code, its title."""

    number: str
    code: str
    title: str | None = None


def parse_keywords(keywords: str) -> tuple[str, str] | None:
    """(number, code) from a /Keywords string written by documents.pdf, else None."""
    parts = [p.strip() for p in keywords.split(",")]
    if KEYWORD not in parts or any(p.startswith(BUNDLE_KEY) for p in parts):
        return None
    code = _CODE.search(keywords)
    number = _NUMBER.search(keywords)
    if not code or not number:
        return None
    code_text, number_text = code.group(1).strip(), number.group(1).strip()
    if not code_text or not number_text:
        return None
    return number_text, code_text


def read_pdf_stamp(source: Path | bytes) -> PdfStamp | None:
    """The number and code of a revmental STTP PDF; None for any other PDF.

    A file that cannot be read, or is not a PDF at all, raises DocumentError naming it.
    A bundle (``--one-file``) holds many certificates and is not one: it gives None.
    """
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PyPdfError

    name = str(source) if isinstance(source, Path) else "the PDF"
    if isinstance(source, Path):
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise DocumentError(f"cannot read it: {exc.strerror or exc}", file=name) from exc
    else:
        data = source
    # The header may follow some junk (the PDF spec allows 1024 bytes of it).
    if b"%PDF-" not in data[:1024]:
        raise DocumentError("not a PDF file", file=name)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            reader.decrypt("")
        info = reader.metadata
        keywords = str(info.get("/Keywords") or "") if info else ""
        title = info.title if info else None
        if not keywords:
            xmp = reader.xmp_metadata
            keywords = (xmp.pdf_keywords or "") if xmp else ""
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise DocumentError(f"the PDF cannot be read: {exc}", file=name) from exc
    found = parse_keywords(keywords)
    if found is None:
        return None
    return PdfStamp(number=found[0], code=found[1], title=str(title) if title else None)
