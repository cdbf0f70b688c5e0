"""The two pictures on an STTP: the verification QR code and the organiser's logo.

Owns turning a QR payload into SVG/PNG and a logo file into what a template can embed. Reads
the logo file once (the caller keeps the Logo); writes nothing.
"""

from __future__ import annotations

import base64
import io
import struct
from dataclasses import dataclass
from pathlib import Path

import segno

from revmental_cli.documents.context import DocumentError

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _qr(payload: str) -> segno.QRCode:
    # Error level M survives a crease or a stamp over a corner of a printed certificate.
    return segno.make(payload, error="m", micro=False)


def qr_svg(payload: str) -> str:
    """An SVG of the QR code, one path of module runs, without a quiet zone (the template
    leaves white room around it).

    Built from the module matrix rather than segno's own SVG writer: it is about twice as
    quick, and a certificate batch makes one per participant.
    """
    matrix = _qr(payload).matrix
    size = len(matrix)
    runs: list[str] = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h{start - x}z")
            else:
                x += 1
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}" shape-rendering="crispEdges">'
        f'<path fill="#000" d="{"".join(runs)}"/></svg>'
    )


def qr_png(payload: str, *, scale: int = 10) -> bytes:
    """A PNG of the QR code (for Word, which embeds no SVG), with a 4-module quiet zone."""
    out = io.BytesIO()
    _qr(payload).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


@dataclass(frozen=True)
class Logo:
    """A logo read from disk: its bytes, its kind ("png" or "svg") and where it came from."""

    path: str
    kind: str
    data: bytes

    def svg_text(self) -> str:
        """The logo as SVG text, the one image form Typst can take from sys.inputs.

        A PNG is wrapped in an SVG that embeds it as a data URI, so that no file path has to
        reach the template (Typst reads files only below its project root).
        """
        if self.kind == "svg":
            return self.data.decode("utf-8")
        width, height = struct.unpack(">II", self.data[16:24])
        encoded = base64.b64encode(self.data).decode("ascii")
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" '
            f'xmlns:xlink="http://www.w3.org/1999/xlink" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}"><image width="{width}" height="{height}" '
            f'xlink:href="data:image/png;base64,{encoded}"/></svg>'
        )


def load_logo(path: Path) -> Logo:
    """Read a PNG or SVG logo; anything else is refused naming the file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot read the logo: {exc.strerror or exc}", file=str(path)) from exc
    if data.startswith(_PNG_SIGNATURE) and len(data) > 24 and data[12:16] == b"IHDR":
        return Logo(str(path), "png", data)
    head = data[:2048].lstrip(b"\xef\xbb\xbf").lstrip()
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!DOCTYPE svg")) and b"<svg" in data:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DocumentError("the SVG logo is not UTF-8 text", file=str(path)) from exc
        return Logo(str(path), "svg", data)
    raise DocumentError(
        "the logo is neither a PNG nor an SVG image",
        file=str(path),
        hint="save the logo as PNG (or SVG) and give that file",
    )
