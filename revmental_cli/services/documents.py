"""Printed certificates: what each STTP of a cohort says, which template prints it, and the
record of the files made.

Owns turning the store's certificates and the cohort's ``certificate:`` section into the
documents library's SttpContext, finding the template and logo (relative to the cohort file),
refusing a render that would print no signatory, and keeping the SHA-256 of every file made.
Never prints and never chooses where files go (the command does); never changes a
certificate (issue and revoke are services.certificates).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from revmental_cli.errors import InputError
from revmental_cli.messages import Msg

if TYPE_CHECKING:
    from revmental_cli.documents import SttpContext
    from revmental_cli.documents.site import SiteEntry
    from revmental_cli.domain.cohort import Cohort
    from revmental_cli.records import Certificate, CohortRow
    from revmental_cli.store import Store

Format = Literal["pdf", "docx"]
SUFFIX = {"pdf": ".typ", "docx": ".docx"}


@dataclass(frozen=True)
class Printed:
    """One certificate to print: the row, the holder's NDH and e-mail, and what it says."""

    certificate: Certificate
    ndh: int
    email: str | None
    context: SttpContext

    def file_name(self, fmt: Format) -> str:
        nip = "".join(ch for ch in self.certificate.nip if ch.isalnum())
        return f"{self.ndh:02d}_{nip}.{fmt}"


@dataclass(frozen=True)
class RenderPlan:
    """Everything a render needs, read from the store and the cohort file before any file."""

    cohort: Cohort
    items: list[Printed]
    template: Path | None  # None: the built-in template of the format
    logo: Path | None
    back_page: bool


def cohort_folder(row: CohortRow) -> Path | None:
    """The folder of the cohort file the store read, which relative paths start from."""
    return Path(row.source_file).parent if row.source_file else None


def _relative(row: CohortRow, value: str) -> Path:
    path = Path(value).expanduser()
    folder = cohort_folder(row)
    return path if path.is_absolute() or folder is None else folder / path


def field_line(row: CohortRow, field: str) -> int | None:
    """The line of ``field`` (or its nearest written parent) in the cohort file, if still there."""
    if not row.source_file:
        return None
    try:
        from revmental_cli.cohort_file.reader import compose

        text = Path(row.source_file).read_text(encoding="utf-8-sig")
        lines = compose(text, row.source_file).lines
    except (OSError, UnicodeError, InputError, ValueError):
        return None
    parts = field.split(".")
    while parts:
        line = lines.get(".".join(parts))
        if line:
            return line
        parts.pop()
    return None


def require_signatory(row: CohortRow) -> None:
    """An STTP without a signatory is no certificate: refused, naming the file and line."""
    if row.cohort.certificate.signatory is not None:
        return
    file = row.source_file or row.cohort.id
    line = field_line(row, "certificate.signatory")
    where = f"{file}: line {line}: " if line else f"{file}: "
    raise InputError(
        Msg("{where}certificate.signatory: no signatory; nothing was written", where=where),
        hint=Msg(
            "add to the cohort file a certificate section with signatory: {{title: ..., "
            "name: ..., nip: ...}}, then `revmental cohort open {file}`",
            file=file,
        ),
    )


def template_for(row: CohortRow, fmt: Format, given: Path | None) -> Path | None:
    """--template, else the cohort's certificate.template when it is of this format, else None
    (the built-in): a cohort keeps one template, a .typ for PDF or a .docx for Word."""
    if given is not None:
        return given
    written = row.cohort.certificate.template
    if written and Path(written).suffix.lower() == SUFFIX[fmt]:
        return _relative(row, written)
    return None


def _birth_date(stored: str | None, nip: str) -> dt.date | None:
    if stored:
        try:
            return dt.date.fromisoformat(stored)
        except ValueError:
            pass
    if len(nip) == 18 and nip.isdigit():
        from revmental_cli.domain.nip import nip_birth_date

        try:
            return nip_birth_date(nip)
        except ValueError:
            return None
    return None


def context_for(cohort: Cohort, c: Certificate, facts: tuple[object, ...]) -> SttpContext:
    """What one STTP prints: the holder as issued, the rest from the cohort and the person."""
    from revmental_cli.documents import SessionLine, Signatory, SttpContext

    _ndh, birth_place, birth_date, work_unit, _email = facts
    rules = cohort.certificate
    signatory = (
        Signatory(rules.signatory.title, rules.signatory.name, rules.signatory.nip)
        if rules.signatory
        else None
    )
    return SttpContext(
        number=c.number,
        code=c.code or "",
        name=c.name,
        programme_name=cohort.programme_name,
        year=cohort.year,
        date=cohort.certificate_date,
        nip=c.nip,
        birth_place=birth_place if isinstance(birth_place, str) else None,
        birth_date=_birth_date(birth_date if isinstance(birth_date, str) else None, c.nip),
        pangkat=c.pangkat,
        golongan=c.golongan,
        position=c.position,
        work_unit=work_unit if isinstance(work_unit, str) else None,
        agency=c.agency,
        angkatan=cohort.angkatan,
        organiser=cohort.organiser,
        start=cohort.start,
        end=cohort.end,
        mode=cohort.mode,
        predicate=c.predicate,
        place=rules.place,
        signatory=signatory,
        verify_url=rules.verify_url,
        sessions=tuple(SessionLine(s.number, s.title, s.jp) for s in cohort.sessions),
        legal_basis=rules.legal_basis,
        tte_anchor=rules.tte_anchor,
    )


def plan_render(store: Store, row: CohortRow, fmt: Format, template: Path | None) -> RenderPlan:
    """The standing certificates of a cohort in NDH order, with their template and logo.

    Revoked certificates are not printed. A missing signatory is refused here, before any
    template is read or file written.
    """
    from revmental_cli.store.certificates import certificates, holder_facts

    require_signatory(row)
    cohort = row.cohort
    facts = holder_facts(store, cohort.id)
    items = []
    for c in certificates(store, cohort.id):
        if c.revoked_at is not None:
            continue
        mine = facts.get(c.number, (None, None, None, None, None))
        ndh = mine[0] if isinstance(mine[0], int) else c.seq
        email = mine[4] if isinstance(mine[4], str) else None
        items.append(Printed(c, ndh, email, context_for(cohort, c, mine)))
    items.sort(key=lambda p: (p.ndh, p.certificate.seq))
    if not items:
        raise InputError(
            Msg("{cohort}: no certificate to render", cohort=cohort.id),
            hint=Msg("run `revmental certificate issue` first"),
        )
    logo = _relative(row, cohort.certificate.logo) if cohort.certificate.logo else None
    return RenderPlan(
        cohort, items, template_for(row, fmt, template), logo, cohort.certificate.back_page
    )


def render_files(
    plan: RenderPlan, fmt: Format, tick: Callable[[], None] | None = None
) -> list[tuple[Printed, str, bytes]]:
    """Every certificate of the plan as (item, file name, bytes), in memory: a template error
    on the last one must leave nothing written. PDFs go through the library's batch path."""
    from revmental_cli import documents

    ctxs = [p.context for p in plan.items]
    datas: Iterable[bytes]
    if fmt == "pdf":
        pdf = documents.pdf_renderer(plan.template, logo=plan.logo, back_page=plan.back_page)
        datas = pdf.pdfs(ctxs)
    else:
        word = documents.word_renderer(plan.template, logo=plan.logo, back_page=plan.back_page)
        datas = (word.docx(c) for c in ctxs)
    out = []
    for item, data in zip(plan.items, datas, strict=True):
        out.append((item, item.file_name(fmt), data))
        if tick is not None:
            tick()
    return out


def render_bundle(plan: RenderPlan) -> bytes:
    """All the plan's certificates in one PDF, in NDH order (``--one-file``)."""
    from revmental_cli import documents

    pdf = documents.pdf_renderer(plan.template, logo=plan.logo, back_page=plan.back_page)
    return pdf.pdf_many([p.context for p in plan.items])


def revoked_in(store: Store, plan: RenderPlan, fmt: Format, folder: Path) -> list[Path]:
    """Files of revoked certificates that an earlier render left in ``folder``.

    Only a file with a name and the very bytes this store rendered for a certificate since
    revoked is listed: a revoked STTP must not be mailed out by mistake, and nothing else
    in the folder is touched.
    """
    from revmental_cli.store.certificates import revoked_files

    keep = {p.file_name(fmt) for p in plan.items}
    found = []
    for name, digest in revoked_files(store, plan.cohort.id, fmt):
        path = folder / name
        if name in keep or not path.is_file():
            continue
        try:
            if sha256(path.read_bytes()) == digest:
                found.append(path)
        except OSError:
            continue
    return sorted(set(found))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def record_files(store: Store, fmt: Format, files: list[tuple[Printed, str, bytes]]) -> None:
    """Keep each rendered file's SHA-256 (inside the caller's write transaction)."""
    from revmental_cli.store.certificates import save_certificate_files

    save_certificate_files(
        store, [(p.certificate.number, fmt, name, sha256(data)) for p, name, data in files]
    )


@dataclass(frozen=True)
class Checked:
    """What `certificate check` found for one file."""

    number: str | None
    code: str | None
    status: Literal["valid", "revoked", "unknown"]
    certificate: Certificate | None = None
    file_matches: bool | None = None
    rendered: tuple[str, str] | None = None  # (file name, rendered at) of the same bytes


def check_file(store: Store, data: bytes) -> Checked:
    """Is this PDF one the register issued, does it stand, is it the file as rendered?"""
    from revmental_cli.documents import read_pdf_stamp
    from revmental_cli.store.certificates import certificate_by_code, rendered_file

    stamp = read_pdf_stamp(data)
    if stamp is None:
        return Checked(None, None, "unknown")
    found = certificate_by_code(store, stamp.code)
    if found is None or found.number != stamp.number:
        # A code the register never gave, or one copied onto another number: not ours.
        return Checked(stamp.number, stamp.code, "unknown")
    rendered = rendered_file(store, found.number, sha256(data))
    status: Literal["valid", "revoked"] = "revoked" if found.revoked_at else "valid"
    return Checked(found.number, found.code, status, found, rendered is not None, rendered)


def _day(stamp: str | None) -> dt.date | None:
    if not stamp:
        return None
    try:
        return dt.date.fromisoformat(stamp[:10])
    except ValueError:
        return None


def site_entries(store: Store, rows: list[CohortRow]) -> list[SiteEntry]:
    """Every certificate of these cohorts as the public verification site shows it."""
    from revmental_cli.documents.site import SiteEntry, mask_name
    from revmental_cli.domain.numerals import roman
    from revmental_cli.domain.words import long_date, period_text
    from revmental_cli.store.certificates import certificates

    entries = []
    for row in rows:
        cohort = row.cohort
        jp = sum(s.jp for s in cohort.sessions) or None
        for c in certificates(store, cohort.id):
            if not c.code:
                continue
            revoked = _day(c.revoked_at)
            entries.append(
                SiteEntry(
                    number=c.number,
                    code=c.code,
                    name=mask_name(c.name),
                    programme=cohort.programme_name,
                    cohort=cohort.id,
                    angkatan=f"Angkatan {roman(cohort.angkatan)} Tahun {cohort.year}",
                    period=period_text(cohort.start, cohort.end),
                    date=long_date(cohort.certificate_date),
                    jp=jp,
                    predicate=c.predicate,
                    organiser=cohort.organiser,
                    status="DICABUT" if c.revoked_at else "SAH",
                    revoked_on=long_date(revoked) if revoked else None,
                )
            )
    return entries


MAIL_MERGE = "kirim.csv"
MAIL_COLUMNS = ("email", "name", "nip", "number", "file")


def _cell(value: str) -> str:
    # A spreadsheet opening kirim.csv must not run a cell as a formula (CSV injection).
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def mail_merge_zip(files: list[tuple[Printed, str, bytes]], day: dt.date) -> bytes:
    """A ZIP of the files plus kirim.csv (email,name,nip,number,file) for a mail merge.

    Every entry carries the certificate's date, so the same files make the same ZIP.
    """
    import csv
    import io
    import zipfile

    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(MAIL_COLUMNS)
    for p, name, _data in files:
        c = p.certificate
        writer.writerow([_cell(v) for v in (p.email or "", c.name, c.nip, c.number, name)])
    out = io.BytesIO()
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        entries = [(name, data) for _p, name, data in files]
        entries.append((MAIL_MERGE, text.getvalue().encode("utf-8-sig")))
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, data)
    return out.getvalue()
