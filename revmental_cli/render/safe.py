"""Terminal safety: user data never reaches a terminal with its control characters live.

Names, Zoom display names, notes and file names are stored exactly as given, and may hold
escape sequences (``\\x1b[2J`` clears the screen, OSC-8 makes a hidden hyperlink), other C0/C1
controls, bidi overrides that reorder what a line appears to say (U+202E), or invisible
zero-width characters. Owns the one rule that makes such text visible instead: ``visible``
spells each of those characters as an escape (``\\x1b``, ``\\u202e``). The consoles apply it
to every segment they write (console.py) and the views to every cell (``Text``), so widths
are measured on what is shown; JSON keeps the characters but writes the invisible ones as
``\\uXXXX`` (``json_safe``), the same data; XLSX cells lose only what the format forbids
(``xlsx_safe``). Must never touch the store or print.
"""

from __future__ import annotations

import re
from typing import Any, cast

from rich.text import Text as RichText

# DEL and the C1 controls (C0 is added below, with or without the line break), and the
# Unicode format characters that hide or reorder text: soft hyphen, Arabic letter mark,
# Mongolian vowel separator, zero-width space/joiners and LRM/RLM, line/paragraph
# separators, bidi embeddings/overrides/isolates, word joiner and invisible operators, the
# BOM, interlinear annotations, and the tag characters. A zero-width joiner inside an emoji
# sequence is spelled out too: a name is not the place for one.
_FORMAT = (
    "\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f"
)
_UNSAFE_RE = re.compile("[\x00-\x1f" + _FORMAT + "]")
# What a terminal still needs from Rich's own output: its line breaks (a segment never holds
# a tab, Rich expands them).
_UNSAFE_SEGMENT_RE = re.compile("[\x00-\x09\x0b-\x1f" + _FORMAT + "]")
# json escapes C0 itself (and the indented form's line breaks are its own): the rest only.
_JSON_UNSAFE_RE = re.compile("[" + _FORMAT + "]")
# openpyxl refuses these in a cell (IllegalCharacterError): XML 1.0 forbids them.
_XLSX_ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _spell(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def visible(value: Any) -> str:
    """``value`` as text with every control or invisible format character spelled out."""
    value = "" if value is None else str(value)
    if not _UNSAFE_RE.search(value):  # the common case: one scan, no copy
        return value
    return _UNSAFE_RE.sub(_spell, value)


def visible_segment(value: str) -> str:
    """As ``visible``, keeping the line breaks Rich itself writes between lines."""
    if not _UNSAFE_SEGMENT_RE.search(value):
        return value
    return _UNSAFE_SEGMENT_RE.sub(_spell, value)


class Text(RichText):
    """Rich's ``Text`` that spells out control and invisible characters as it is built.

    The views import this one instead of Rich's: every cell, title and line they make of
    user data is safe however it is assembled, and the table measures what will be shown.
    Line breaks stay (a second line inside a cell is layout, not an escape)."""

    def __init__(self, text: str = "", *args: Any, **kwargs: Any) -> None:
        super().__init__(visible_segment(text), *args, **kwargs)

    @classmethod
    def assemble(cls, *parts: Any, **how: Any) -> Text:
        # Rich builds it with ``cls`` and ``append``: already ours; typed so for mypy.
        return cast(Text, super().assemble(*parts, **how))

    def append(self, text: str | RichText, style: Any = None) -> Text:
        if not isinstance(text, RichText):
            text = visible_segment(text)
        super().append(text, style)
        return self


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # a JSON \u escape holds 16 bits: a surrogate pair beyond them
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def json_safe(document: str) -> str:
    """A JSON document with the invisible characters json leaves raw written as ``\\uXXXX``.

    ``json.dumps(ensure_ascii=False)`` escapes only C0; DEL, C1 and the bidi and zero-width
    characters would reach a terminal raw. They can only stand inside strings, where the
    escape decodes to the very same character: the data is unchanged."""
    if not _JSON_UNSAFE_RE.search(document):
        return document
    return _JSON_UNSAFE_RE.sub(_json_escape, document)


def xlsx_safe(value: Any) -> Any:
    """A cell value openpyxl accepts: the C0 controls XML forbids spelled out as ``\\x1b``.

    Spelled out rather than dropped, so the cell still shows that the data held something
    (an ESC in a name is a fact about the source file); tab, newline and carriage return are
    legal and kept. Numbers and dates untouched."""
    if isinstance(value, str) and _XLSX_ILLEGAL_RE.search(value):
        return _XLSX_ILLEGAL_RE.sub(_spell, value)
    return value
