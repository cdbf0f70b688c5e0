"""How a delimited file's bytes become text: the encoding, checked over the whole file.

Owns: the refusal of binary files (zip/.xlsx, old .xls, PDF), the encoding choice (given; BOM;
UTF-16 without BOM; strict UTF-8; Windows-1252) and the full decode that finds a bad byte's
line before any row is handed out. Splitting lines into cells is delimited.py's job. Never
touches the store, the console or the clock.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from revmental_cli.errors import InputError, UsageError
from revmental_cli.i18n import _
from revmental_cli.importers.tabular.source import MAX_INPUT_BYTES, megabytes
from revmental_cli.importers.tabular.table import SAVE_HINT, XLS_HINT

_CHUNK = 1 << 20


class _DecodeFailure(Exception):
    def __init__(self, line: int, detail: str) -> None:
        super().__init__(detail)
        self.line = line
        self.detail = detail


def _count_breaks(text: str, after_cr: bool) -> int:
    count = text.count("\n") + text.count("\r") - text.count("\r\n")
    if after_cr and text.startswith("\n"):
        count -= 1
    return count


def _scan(path: Path, encoding: str) -> None:
    """Decode the whole file once, raising _DecodeFailure at the first bad byte or NUL."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    line, after_cr, total = 1, False, 0
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(_CHUNK)
            # The size was checked before; a file still growing is stopped here.
            total += len(chunk)
            if total > MAX_INPUT_BYTES:
                message = _("{file}: the file is larger than {limit}, the most this command reads")
                raise InputError(message.format(file=path.name, limit=megabytes(MAX_INPUT_BYTES)))
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                try:
                    seen = codecs.decode(exc.object[: exc.start], encoding, errors="replace")
                except (UnicodeError, LookupError):  # a codec without "replace" (idna)
                    seen = ""
                bad = exc.object[exc.start : exc.start + 1].hex()
                line += _count_breaks(seen, after_cr)
                raise _DecodeFailure(line, _("byte 0x{hex}").format(hex=bad)) from None
            except (UnicodeError, ValueError, TypeError):
                # A codec's own complaint (a missing byte-order mark; idna's labels).
                raise _DecodeFailure(line, _("the start of the file")) from None
            nul = text.find("\x00")
            if nul >= 0:
                raise InputError(
                    _(
                        "{file}: line {line}: contains NUL bytes; this is not a text CSV file"
                    ).format(file=path.name, line=line + _count_breaks(text[:nul], after_cr)),
                    hint=_(SAVE_HINT),
                )
            if not chunk:
                return
            line += _count_breaks(text, after_cr)
            if text:
                after_cr = text.endswith("\r")


def utf16_without_bom(head: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" for UTF-16 text without a byte-order mark, else None."""
    sample = head[:4096]
    half = len(sample) // 2
    if half < 2:
        return None
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    # ASCII-heavy UTF-16 text has a NUL in the high byte of nearly every unit.
    if odd_nul > 0.3 * half and even_nul < 0.05 * half:
        return "utf-16-le"
    if even_nul > 0.3 * half and odd_nul < 0.05 * half:
        return "utf-16-be"
    return None


def reject_zip(source: str, head: bytes) -> None:
    """Refuse a zip file (a workbook or an archive) whatever its name says."""
    if head.startswith(b"PK\x03\x04"):
        raise InputError(
            _("{file}: this is a zip file (perhaps an .xlsx workbook with a .csv name)").format(
                file=source
            ),
            hint=_(
                "rename it to .xlsx if it is a workbook, or save the sheet as CSV UTF-8 or .xlsx"
            ),
        )


def reject_binary(source: str, head: bytes) -> None:
    reject_zip(source, head)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            _("{file}: this is an old Excel .xls workbook").format(file=source),
            hint=_(XLS_HINT),
        )
    if head.startswith(b"%PDF"):
        raise InputError(
            _("{file}: this is a PDF, not a table").format(file=source), hint=_(SAVE_HINT)
        )


def choose_encoding(path: Path, source: str, head: bytes, encoding: str | None) -> str:
    if encoding is not None:
        try:
            info = codecs.lookup(encoding)
        except LookupError:
            raise UsageError(
                _("unknown encoding {encoding}").format(encoding=repr(encoding)),
                hint=_("try utf-8, cp1252 or utf-16"),
            ) from None
        # zlib, base64, hex, uu, bz2 turn bytes into bytes and rot13 text into text: codecs,
        # not encodings of text, and reading a file "as" one of them fails in odd ways.
        if not getattr(info, "_is_text_encoding", True):
            raise UsageError(
                _("{encoding} is not a text encoding").format(encoding=repr(encoding)),
                hint=_("try utf-8, cp1252 or utf-16"),
            )
        name = info.name
        # A BOM is never part of the data; these variants drop it when present.
        name = {"utf-8": "utf-8-sig"}.get(name, name)
        if name == "utf-16" and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            # Python's "utf-16" needs a byte-order mark; without one, the byte pattern tells
            # little- from big-endian (Windows writes little-endian).
            name = utf16_without_bom(head) or ""
            if not name:
                raise InputError(
                    _(
                        "{file}: is not UTF-16 (no byte-order mark, and not its byte pattern)"
                    ).format(file=source),
                    hint=_("leave out --encoding to detect it"),
                )
        try:
            _scan(path, name)
        except _DecodeFailure as failure:
            raise InputError(
                _("{file}: line {line}: cannot decode {detail} as {encoding}").format(
                    file=source, line=failure.line, detail=failure.detail, encoding=encoding
                ),
                hint=_(
                    "leave out --encoding to detect it, or save the sheet as CSV UTF-8 or .xlsx"
                ),
            ) from None
        return name
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    elif head.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif utf16 := utf16_without_bom(head):
        candidates = [utf16]
    elif b"\x00" in head:
        raise InputError(
            _("{file}: contains NUL bytes; this is not a text CSV file").format(file=source),
            hint=_(SAVE_HINT),
        )
    else:
        candidates = ["utf-8", "cp1252"]
    last: _DecodeFailure | None = None
    for name in candidates:
        try:
            _scan(path, name)
        except _DecodeFailure as exc:
            last = exc
            continue
        return name
    assert last is not None
    names = [{"utf-8": "UTF-8", "cp1252": "Windows-1252"}.get(c, c) for c in candidates]
    tried = (
        names[0]
        if len(names) == 1
        else _("{first} or {second}").format(first=", ".join(names[:-1]), second=names[-1])
    )
    raise InputError(
        _("{file}: line {line}: cannot decode {detail} as {encoding}").format(
            file=source, line=last.line, detail=last.detail, encoding=tried
        ),
        hint=_("save the sheet as CSV UTF-8 or .xlsx, or give --encoding"),
    )
