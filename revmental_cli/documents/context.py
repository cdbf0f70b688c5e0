"""What a printed STTP says: the typed input (SttpContext) and the template variables made from it.

Owns the variable names that Typst and Word templates may use, and turns a context into those
variables (texts already in Indonesian: "14 Juli 1988", "Angkatan II"). It must never read the
store, the cohort file or the clock: the lead's command layer fills an SttpContext from those.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

# The law a certificate cites by default is the cohort model's (one sentence, one place).
from revmental_cli.domain.cohort import DEFAULT_LEGAL_BASIS as DEFAULT_LEGAL_BASIS
from revmental_cli.domain.numerals import roman
from revmental_cli.domain.words import group_nip, long_date, number_words, period_text
from revmental_cli.errors import InputError

# Every name a template may use, Typst and Word alike. A template naming anything else is
# refused before a file is written. `logo` and `back_page` are render options, not facts of
# the certificate, but templates see them the same way.
VARIABLES: tuple[str, ...] = (
    "number",
    "name",
    "nip",
    "nip_grouped",
    "birth_place",
    "birth_date_text",
    "pangkat",
    "golongan",
    "position",
    "work_unit",
    "agency",
    "programme_name",
    "angkatan",
    "angkatan_roman",
    "year",
    "organiser",
    "period_text",
    "mode",
    "jp",
    "jp_words",
    "predicate",
    "place",
    "date_text",
    "signatory",
    "qr",
    "verify_url",
    "code",
    "sessions",
    "legal_basis",
    "tte_anchor",
    "logo",
    "back_page",
)


class DocumentError(InputError):
    """A template, logo or context that cannot make a certificate (exit 1, nothing written).

    ``file`` is the template (or logo) at fault, ``line`` the 1-based line in it when known,
    ``variable`` the unknown template variable when that is the fault.
    """

    code = "document"

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        variable: str | None = None,
        hint: str | None = None,
    ) -> None:
        where = ":".join(p for p in (file, str(line) if line else None) if p)
        super().__init__(f"{where}: {message}" if where else message, hint=hint)
        self.file = file
        self.line = line
        self.variable = variable


@dataclass(frozen=True)
class Signatory:
    """Who signs: "Kepala Pusat ..." (title), the name with degrees, and the NIP if any."""

    title: str
    name: str
    nip: str | None = None


@dataclass(frozen=True)
class SessionLine:
    """One row of the back page: its number, the subject (mata pelatihan) and its JP."""

    no: int
    title: str
    jp: int


@dataclass(frozen=True)
class SttpContext:
    """Everything one STTP prints. Text fields left None (or blank) leave their line out.

    ``date`` is the certificate's date: printed after the place, and the PDF's own date, so
    that the same certificate always renders to the same bytes. ``jp`` None means the sum of
    the sessions' JP. ``start``/``end`` make the period ("29 September s.d. 29 Oktober 2021").
    """

    number: str
    code: str
    name: str
    programme_name: str
    year: int
    date: dt.date
    nip: str | None = None
    birth_place: str | None = None
    birth_date: dt.date | None = None
    pangkat: str | None = None
    golongan: str | None = None
    position: str | None = None
    work_unit: str | None = None
    agency: str | None = None
    angkatan: int | None = None
    organiser: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    mode: str | None = None
    jp: int | None = None
    predicate: str | None = None
    place: str | None = None
    signatory: Signatory | None = None
    verify_url: str | None = None
    sessions: tuple[SessionLine, ...] = field(default_factory=tuple)
    legal_basis: str | None = DEFAULT_LEGAL_BASIS
    tte_anchor: str | None = None

    def __post_init__(self) -> None:
        anchor = self.tte_anchor
        # The e-signature service looks for one character to stamp over; a longer or blank
        # anchor would never be found, so it is refused here rather than printed.
        if anchor is not None and anchor != "" and (len(anchor) != 1 or anchor.isspace()):
            raise DocumentError(
                f"the TTE anchor must be one visible character, not {anchor!r}",
                hint='use the character your e-signature service looks for, e.g. "#"',
            )
        if self.start and self.end and self.end < self.start:
            raise DocumentError(f"the period ends ({self.end}) before it starts ({self.start})")

    def total_jp(self) -> int | None:
        if self.jp is not None:
            return self.jp
        if self.sessions:
            return sum(s.jp for s in self.sessions)
        return None

    def qr_payload(self) -> str | None:
        """What the QR code carries: the verification address followed by the code."""
        text = (_text(self.verify_url) or "") + (_text(self.code) or "")
        return text or None


def _text(value: str | None) -> str | None:
    """Blank means missing: a template tests one thing (none) and never prints "None"."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def _period(start: dt.date | None, end: dt.date | None) -> str | None:
    if start and end:
        return period_text(start, end)
    only = start or end
    return long_date(only) if only else None


def variables(ctx: SttpContext) -> dict[str, Any]:
    """The template variables of ``ctx`` as JSON-ready values, without ``qr`` and ``logo``.

    Those two are images, made by the renderer in the form its format needs (SVG text for
    Typst, an InlineImage for Word). ``back_page`` is added by the renderer too.
    """
    jp = ctx.total_jp()
    nip = _text(ctx.nip)
    signatory = None
    if ctx.signatory is not None:
        sig_nip = _text(ctx.signatory.nip)
        signatory = {
            "title": _text(ctx.signatory.title),
            "name": _text(ctx.signatory.name),
            "nip": group_nip(sig_nip) if sig_nip else None,
        }
    return {
        "number": _text(ctx.number),
        "name": _text(ctx.name),
        "nip": nip,
        "nip_grouped": group_nip(nip) if nip else None,
        "birth_place": _text(ctx.birth_place),
        "birth_date_text": long_date(ctx.birth_date) if ctx.birth_date else None,
        "pangkat": _text(ctx.pangkat),
        "golongan": _text(ctx.golongan),
        "position": _text(ctx.position),
        "work_unit": _text(ctx.work_unit),
        "agency": _text(ctx.agency),
        "programme_name": _text(ctx.programme_name),
        "angkatan": ctx.angkatan,
        "angkatan_roman": roman(ctx.angkatan) if ctx.angkatan else None,
        "year": ctx.year,
        "organiser": _text(ctx.organiser),
        "period_text": _period(ctx.start, ctx.end),
        "mode": _text(ctx.mode),
        "jp": jp,
        "jp_words": number_words(jp) if jp is not None else None,
        "predicate": _text(ctx.predicate),
        "place": _text(ctx.place),
        "date_text": long_date(ctx.date),
        "signatory": signatory,
        "verify_url": _text(ctx.verify_url),
        "code": _text(ctx.code),
        "sessions": [{"no": s.no, "title": s.title, "jp": s.jp} for s in ctx.sessions],
        "legal_basis": _text(ctx.legal_basis),
        "tte_anchor": _text(ctx.tte_anchor),
    }
