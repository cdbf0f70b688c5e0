"""The cohort definition as the rest of the tool sees it, with its defaults. No I/O."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

# Re-exported: the cohort file reader takes them from here.
from revmental_cli.domain.numerals import from_roman as from_roman
from revmental_cli.domain.numerals import roman as roman
from revmental_cli.messages import Msg

MODES = ("daring", "klasikal", "blended")
ROLES = ("fasilitator", "widyaiswara", "coach", "mentor", "penguji")
SESSION_KINDS = ("sinkron", "asinkron", "klasikal")
ATTENDANCE_STATUSES = ("present", "late", "excused", "sick", "absent")


@dataclass
class Facilitator:
    id: str
    name: str
    role: str = "fasilitator"
    # Rupiah per JP taught live (report facilitators); None when the centre did not say.
    rate_per_jp: int | None = None
    # An internal widyaiswara is paid only above their minimum teaching load.
    internal: bool = False


@dataclass
class Session:
    number: int
    date: dt.date
    start: dt.time
    end: dt.time
    title: str
    jp: int
    facilitator: str | None = None
    kind: str = "sinkron"

    @property
    def minutes(self) -> int:
        start = dt.datetime.combine(self.date, self.start)
        end = dt.datetime.combine(self.date, self.end)
        return int((end - start).total_seconds() // 60)

    @property
    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.start)

    @property
    def ends_at(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.end)


@dataclass
class AttendanceRules:
    present_min_pct: float = 75.0
    late_after_min: int = 15
    counts_as_attended: tuple[str, ...] = ("present", "late")


@dataclass
class Component:
    key: str
    name: str
    weight: float
    required: bool = False


@dataclass
class Predicate:
    min: float
    label: str


DEFAULT_COMPONENTS = (
    Component("sikap", "Sikap dan Perilaku", 30.0),
    Component("akademik", "Pemahaman Materi", 20.0),
    Component("rancangan", "Rancangan Transformasi Budaya Birokrasi", 50.0, required=True),
)
# Only the pass floor (70.01) is confirmed by the regulation; the rest are the bands in use.
DEFAULT_PREDICATES = (
    Predicate(90.01, "Sangat Memuaskan"),
    Predicate(80.01, "Memuaskan"),
    Predicate(70.01, "Cukup Memuaskan"),
    Predicate(60.01, "Kurang Memuaskan"),
    Predicate(0.0, "Tidak Memuaskan"),
)


@dataclass
class CompletionRules:
    min_attendance_pct: float = 90.0
    pass_score: float = 70.01
    defer_min_score: float = 60.01
    components: tuple[Component, ...] = DEFAULT_COMPONENTS
    predicates: tuple[Predicate, ...] = DEFAULT_PREDICATES


DEFAULT_NUMBER_FORMAT = "{seq:03d}/STTP/{programme}-{angkatan}/{year}"
# The law an STTP cites since the ASN law of 2023; a centre may write another.
DEFAULT_LEGAL_BASIS = "Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara"


@dataclass
class Signatory:
    """Who signs a document: their title (the office), name with degrees, and NIP."""

    title: str
    name: str
    nip: str | None = None


@dataclass
class CertificateRules:
    number_format: str = DEFAULT_NUMBER_FORMAT
    template: str | None = None  # as written: relative to the cohort file; None: built-in
    place: str | None = None  # where the STTP is signed
    date: dt.date | None = None  # the date on the STTP; None: the cohort's end
    signatory: Signatory | None = None  # required to render, not to open a cohort
    legal_basis: str = DEFAULT_LEGAL_BASIS
    logo: str | None = None  # PNG or SVG, relative to the cohort file
    verify_url: str | None = None  # the QR code carries verify_url + the certificate's code
    tte_anchor: str | None = None  # one character where the e-signature service stamps
    back_page: bool = True  # the sessions with their JP on a second page


@dataclass
class SiasnRules:
    """BKN's references for the SIASN course history of this programme."""

    jenis_diklat_id: int | None = None
    jenis_kursus_sertipikat: str | None = None


@dataclass
class ClosingRules:
    """The hand-over letters' number, date, place and signatories."""

    number: str | None = None
    date: dt.date | None = None
    place: str | None = None
    signatory: Signatory | None = None
    committee: Signatory | None = None  # signs the recaps for the committee


@dataclass
class Cohort:
    id: str
    programme_code: str
    programme_name: str
    angkatan: int
    year: int
    organiser: str
    mode: str
    start: dt.date
    end: dt.date
    jp_minutes: int = 45
    capacity: int | None = None
    max_jp_per_day: int | None = None
    opening_date: dt.date | None = None
    opening_by: str | None = None
    facilitators: tuple[Facilitator, ...] = ()
    sessions: tuple[Session, ...] = ()
    attendance: AttendanceRules = field(default_factory=AttendanceRules)
    completion: CompletionRules = field(default_factory=CompletionRules)
    certificate: CertificateRules = field(default_factory=CertificateRules)
    siasn: SiasnRules = field(default_factory=SiasnRules)
    closing: ClosingRules = field(default_factory=ClosingRules)

    @property
    def certificate_date(self) -> dt.date:
        """The date an STTP carries: certificate.date, else the cohort's last day."""
        return self.certificate.date or self.end

    @property
    def angkatan_label(self) -> str:
        return f"Angkatan {roman(self.angkatan)}"

    @property
    def title(self) -> str:
        """How a person names the cohort: id, programme code and angkatan."""
        return f"{self.id} · {self.programme_code} {self.angkatan_label} {self.year}"

    @property
    def jp_total(self) -> int:
        return sum(s.jp for s in self.sessions)

    def facilitator(self, fid: str | None) -> Facilitator | None:
        return next((f for f in self.facilitators if f.id == fid), None)

    def session(self, number: int) -> Session | None:
        return next((s for s in self.sessions if s.number == number), None)


def certificate_number(rules: CertificateRules, cohort: Cohort, seq: int) -> str:
    """Render the centre's numbering template; raises KeyError/ValueError on a bad template."""
    return rules.number_format.format(
        seq=seq,
        year=cohort.year,
        angkatan=roman(cohort.angkatan),
        angkatan_roman=roman(cohort.angkatan),
        angkatan_no=cohort.angkatan,
        programme=cohort.programme_code,
        cohort=cohort.id,
        # Official letters number the month in Roman numerals (B.589/.../V/2026).
        month_roman=roman(cohort.certificate_date.month),
    )


# --- plain-data form: what the store keeps and `cohort show --json` prints -------------------


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.time)):
        return (
            value.isoformat(timespec="minutes") if isinstance(value, dt.time) else value.isoformat()
        )
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def cohort_to_dict(cohort: Cohort) -> dict[str, Any]:
    """The cohort in the shape of its YAML file (contract keys), with every default filled in."""
    d = asdict(cohort)
    sessions = []
    for s in d["sessions"]:
        s = dict(s)
        s["session"] = s.pop("number")
        sessions.append(s)
    return _plain(
        {
            "id": cohort.id,
            "programme": {"code": cohort.programme_code, "name": cohort.programme_name},
            "angkatan": cohort.angkatan,
            "year": cohort.year,
            "organiser": cohort.organiser,
            "mode": cohort.mode,
            "capacity": cohort.capacity,
            "start": cohort.start,
            "end": cohort.end,
            "jp_minutes": cohort.jp_minutes,
            "max_jp_per_day": cohort.max_jp_per_day,
            "opening": (
                {"date": cohort.opening_date, "by": cohort.opening_by}
                if cohort.opening_date or cohort.opening_by
                else None
            ),
            "facilitators": d["facilitators"],
            "sessions": sessions,
            "attendance": d["attendance"],
            "completion": d["completion"],
            "certificate": d["certificate"],
            "siasn": d["siasn"],
            "closing": d["closing"],
        }
    )


def _signatory(d: dict[str, Any] | None) -> Signatory | None:
    return Signatory(**d) if d else None


def cohort_from_dict(d: dict[str, Any]) -> Cohort:
    """Rebuild a Cohort from ``cohort_to_dict`` output (as stored); trusted input."""
    date = dt.date.fromisoformat
    time = dt.time.fromisoformat
    att = d["attendance"]
    comp = d["completion"]
    opening = d.get("opening") or {}
    return Cohort(
        id=d["id"],
        programme_code=d["programme"]["code"],
        programme_name=d["programme"]["name"],
        angkatan=d["angkatan"],
        year=d["year"],
        organiser=d["organiser"],
        mode=d["mode"],
        capacity=d.get("capacity"),
        max_jp_per_day=d.get("max_jp_per_day"),
        start=date(d["start"]),
        end=date(d["end"]),
        jp_minutes=d["jp_minutes"],
        opening_date=date(opening["date"]) if opening.get("date") else None,
        opening_by=opening.get("by"),
        facilitators=tuple(Facilitator(**f) for f in d["facilitators"]),
        sessions=tuple(
            Session(
                number=s["session"],
                date=date(s["date"]),
                start=time(s["start"]),
                end=time(s["end"]),
                title=s["title"],
                jp=s["jp"],
                facilitator=s.get("facilitator"),
                kind=s["kind"],
            )
            for s in d["sessions"]
        ),
        attendance=AttendanceRules(
            present_min_pct=att["present_min_pct"],
            late_after_min=att["late_after_min"],
            counts_as_attended=tuple(att["counts_as_attended"]),
        ),
        completion=CompletionRules(
            min_attendance_pct=comp["min_attendance_pct"],
            pass_score=comp["pass_score"],
            defer_min_score=comp["defer_min_score"],
            components=tuple(Component(**c) for c in comp["components"]),
            predicates=tuple(Predicate(**p) for p in comp["predicates"]),
        ),
        certificate=_certificate_rules(d["certificate"]),
        siasn=SiasnRules(**(d.get("siasn") or {})),
        closing=_closing_rules(d.get("closing") or {}),
    )


def _certificate_rules(d: dict[str, Any]) -> CertificateRules:
    # Stores opened by earlier versions hold only number_format: the rest takes its default.
    d = dict(d)
    if d.get("date"):
        d["date"] = dt.date.fromisoformat(d["date"])
    d["signatory"] = _signatory(d.get("signatory"))
    return CertificateRules(**d)


def _closing_rules(d: dict[str, Any]) -> ClosingRules:
    d = dict(d)
    if d.get("date"):
        d["date"] = dt.date.fromisoformat(d["date"])
    d["signatory"] = _signatory(d.get("signatory"))
    d["committee"] = _signatory(d.get("committee"))
    return ClosingRules(**d)


# The top-level keys of a cohort file, in the order the reader checks them.
FILE_KEYS = (
    "id", "programme", "angkatan", "year", "organiser", "mode", "capacity", "start", "end",
    "jp_minutes", "max_jp_per_day", "opening", "facilitators", "sessions", "attendance",
    "completion", "certificate", "siasn", "closing",
)  # fmt: skip
# Re-opening never changes the id, and says what changed in these one item at a time.
_COMPARED_BY_ITEM = {"id", "facilitators", "sessions", "completion"}


def describe_changes(old: Cohort, new: Cohort) -> list[str]:
    """What re-opening a changed definition will change, in words a person reads."""
    lines: list[str] = []
    old_d, new_d = cohort_to_dict(old), cohort_to_dict(new)
    for key in FILE_KEYS:
        if key not in _COMPARED_BY_ITEM and old_d[key] != new_d[key]:
            lines.append(f"{key}: {_brief(old_d[key])} -> {_brief(new_d[key])}")
    old_f = {f.id: f for f in old.facilitators}
    new_f = {f.id: f for f in new.facilitators}
    for fid in new_f.keys() - old_f.keys():
        lines.append(Msg("facilitator {id} added ({name})", id=fid, name=new_f[fid].name))
    for fid in old_f.keys() - new_f.keys():
        lines.append(Msg("facilitator {id} removed ({name})", id=fid, name=old_f[fid].name))
    for fid in old_f.keys() & new_f.keys():
        if old_f[fid] != new_f[fid]:
            lines.append(Msg("facilitator {id} changed", id=fid))
    old_s = {s.number: s for s in old.sessions}
    new_s = {s.number: s for s in new.sessions}
    for n in sorted(new_s.keys() - old_s.keys()):
        said = {"n": n, "date": f"{new_s[n].date}", "title": new_s[n].title}
        lines.append(Msg("session {n} added ({date}, {title})", **said))
    for n in sorted(old_s.keys() - new_s.keys()):
        said = {"n": n, "date": f"{old_s[n].date}", "title": old_s[n].title}
        lines.append(Msg("session {n} removed ({date}, {title})", **said))
    for n in sorted(old_s.keys() & new_s.keys()):
        a, b = old_s[n], new_s[n]
        fields = [
            f
            for f in ("date", "start", "end", "title", "jp", "facilitator", "kind")
            if getattr(a, f) != getattr(b, f)
        ]
        if fields:
            lines.append(Msg("session {n} changed: {fields}", n=n, fields=", ".join(fields)))
    oc, nc = old.completion, new.completion
    for f in ("min_attendance_pct", "pass_score", "defer_min_score"):
        if getattr(oc, f) != getattr(nc, f):
            lines.append(f"completion.{f}: {getattr(oc, f):g} -> {getattr(nc, f):g}")
    old_k = {k.key: k for k in oc.components}
    new_k = {k.key: k for k in nc.components}
    for k in new_k.keys() - old_k.keys():
        lines.append(Msg("score component {key} added", key=k))
    for k in old_k.keys() - new_k.keys():
        lines.append(Msg("score component {key} removed", key=k))
    for k in old_k.keys() & new_k.keys():
        if old_k[k] != new_k[k]:
            lines.append(Msg("score component {key} changed", key=k))
    if oc.predicates != nc.predicates:
        lines.append(Msg("predicate bands changed"))
    return lines


def _brief(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}={_brief(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "[" + ", ".join(_brief(v) for v in value) + "]"
    return "none" if value is None else str(value)
