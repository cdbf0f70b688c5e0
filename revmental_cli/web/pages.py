"""What each page of the web view shows: the store read through the functions and services
the commands use, turned into plain values (display words already in the request's
language, personal data already masked) for the templates.

Owns the choice of what is shown and masked. Never writes the store, never opens or creates
one (the caller hands an open ``Store``), never imports Starlette or Jinja2, and holds no
SQL: every read goes through ``revmental_cli.store`` and ``revmental_cli.services``, so the
pages work on whichever backend the store package speaks.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from revmental_cli.i18n import N_, _, localize, long_date, number, percent
from revmental_cli.render.labels import (
    ATT_LABEL,
    COHORT_STATUS,
    ENROLMENT_STATUS,
    OUTCOME_STATUS,
    word,
)
from revmental_cli.web.chart import STATUSES, UNRECORDED, SessionBar, attendance_chart
from revmental_cli.web.masking import mask_email, mask_nip, mask_phone
from revmental_cli.web.texts import WORDS

if TYPE_CHECKING:
    from revmental_cli.domain.cohort import Cohort
    from revmental_cli.store import Store

# The certificate's standing as the register and the published site name it.
STANDING = {"SAH": N_("valid (SAH)"), "DICABUT": N_("revoked (DICABUT)")}


@dataclass(frozen=True)
class Privacy:
    """Whether this server shows personal data whole (--show-personal) or masked."""

    show_personal: bool = False

    def nip(self, value: str | None) -> str:
        return (value or "") if self.show_personal else mask_nip(value)

    def email(self, value: str | None) -> str:
        return (value or "") if self.show_personal else mask_email(value)

    def phone(self, value: str | None) -> str:
        return (value or "") if self.show_personal else mask_phone(value)


def _cohort(store: Store, cohort_id: str) -> Any:
    """The cohort's row (NotFound, with the known ids, for an unknown one)."""
    from revmental_cli.store.cohorts import cohort

    return cohort(store, cohort_id.strip().upper())


def _period(start: dt.date, end: dt.date) -> str:
    return f"{long_date(start)} – {long_date(end)}"


def heading(cohort: Cohort) -> dict[str, Any]:
    """What every page of one cohort shows above its content."""
    return {
        "id": cohort.id,
        "name": f"{cohort.programme_name} · {cohort.angkatan_label} {cohort.year}",
        "period": _period(cohort.start, cohort.end),
        "organiser": cohort.organiser,
    }


def cohort_list(store: Store) -> dict[str, Any]:
    from revmental_cli.store.cohorts import cohort_rows

    rows = []
    for row in cohort_rows(store):
        c = row.cohort
        rows.append(
            {
                "id": c.id,
                "programme": f"{c.programme_name} ({c.programme_code})",
                "angkatan": f"{c.angkatan_label}, {c.year}",
                "dates": _period(c.start, c.end),
                "mode": c.mode,
                "people": (
                    f"{row.participants} / {c.capacity}" if c.capacity else str(row.participants)
                ),
                "status": word(COHORT_STATUS, row.status),
                "closed": row.status == "closed",
            }
        )
    return {"cohorts": rows}


def overview(store: Store, cohort_id: str) -> dict[str, Any]:
    row = _cohort(store, cohort_id)
    c: Cohort = row.cohort
    facts = [
        (WORDS.programme, f"{c.programme_name} ({c.programme_code})"),
        (WORDS.angkatan, f"{c.angkatan_label}, {c.year}"),
        (WORDS.organiser, c.organiser),
        (WORDS.mode, c.mode),
        (WORDS.dates, _period(c.start, c.end)),
        (WORDS.capacity, str(c.capacity) if c.capacity else _("no limit")),
        (WORDS.participants, str(row.participants)),
        (
            WORDS.sessions,
            _("{sessions} sessions, {jp} JP (1 JP = {minutes} min)").format(
                sessions=len(c.sessions), jp=c.jp_total, minutes=c.jp_minutes
            ),
        ),
        (WORDS.status, word(COHORT_STATUS, row.status)),
        (
            WORDS.min_attendance,
            _("{pct}% of JP").format(pct=number(c.completion.min_attendance_pct, None)),
        ),
        (WORDS.pass_score, number(c.completion.pass_score, None)),
    ]
    facilitators = {f.id: f.name for f in c.facilitators}
    days: dict[dt.date, list[dict[str, Any]]] = {}
    for s in c.sessions:
        days.setdefault(s.date, []).append(
            {
                "number": s.number,
                "time": f"{s.start:%H:%M}–{s.end:%H:%M}",
                "title": s.title,
                "jp": s.jp,
                "facilitator": facilitators.get(s.facilitator or "", s.facilitator or ""),
                "kind": s.kind,
            }
        )
    schedule = [
        {"day": long_date(day), "jp": sum(s["jp"] for s in sessions), "sessions": sessions}
        for day, sessions in days.items()
    ]
    return {
        "cohort": heading(c),
        "facts": facts,
        "schedule": schedule,
        "jp_total": c.jp_total,
        "facilitators": [(f.name, f.role) for f in c.facilitators],
        "components": [(k.name, number(k.weight, None) + "%") for k in c.completion.components],
    }


def roster(store: Store, cohort_id: str, privacy: Privacy) -> dict[str, Any]:
    from revmental_cli.store import participants

    c = _cohort(store, cohort_id).cohort
    people = participants(store, c.id)
    rows = [
        {
            "ndh": p.ndh,
            "nip": privacy.nip(p.nip),
            "name": p.name,
            "gol": p.golongan or "",
            "position": p.position or "",
            "agency": p.agency or "",
            "email": privacy.email(p.email),
            "phone": privacy.phone(p.phone),
            "status": word(ENROLMENT_STATUS, p.status),
            "withdrawn": p.status != "enrolled",
        }
        for p in people
    ]
    enrolled = sum(1 for p in people if p.status == "enrolled")
    return {"cohort": heading(c), "rows": rows, "enrolled": enrolled, "total": len(people)}


def attendance(store: Store, cohort_id: str) -> dict[str, Any]:
    from revmental_cli.services.outcomes import attendance_report

    c = _cohort(store, cohort_id).cohort
    records, people, _rows = attendance_report(store, c)
    enrolled = {p.nip for p in people}
    by_session: dict[int, Counter[str]] = {}
    for r in records:
        if r.nip in enrolled:
            by_session.setdefault(r.session, Counter())[r.status] += 1
    bars = []
    table = []
    attended = set(c.attendance.counts_as_attended)
    for s in c.sessions:
        counts = by_session.get(s.number, Counter())
        unrecorded = max(len(enrolled) - sum(counts.values()), 0)
        bars.append(SessionBar(s.number, dict(counts), unrecorded))
        present = sum(n for status, n in counts.items() if status in attended)
        table.append(
            {
                "number": s.number,
                "date": long_date(s.date),
                "title": s.title,
                "jp": s.jp,
                "counts": [counts.get(status, 0) for status in STATUSES],
                "unrecorded": unrecorded,
                "attended": percent(present * 100 / len(enrolled)) if enrolled else "",
            }
        )
    words = {status: word(ATT_LABEL, status) for status in STATUSES}
    words[UNRECORDED] = WORDS.unrecorded
    chart = attendance_chart(bars, words, title=WORDS.chart_title, session_word=WORDS.session)
    return {
        "cohort": heading(c),
        "chart": chart,
        "statuses": [words[s] for s in STATUSES],
        "table": table,
        "participants": len(enrolled),
    }


def session_attendance(
    store: Store, cohort_id: str, session: int, privacy: Privacy
) -> dict[str, Any] | None:
    """One session's participants and their status; None when the cohort has no such
    session."""
    from revmental_cli.services.outcomes import attendance_report

    c = _cohort(store, cohort_id).cohort
    found = c.session(session)
    if found is None:
        return None
    records, people, _rows = attendance_report(store, c)
    own = {r.nip: r for r in records if r.session == session}
    rows = []
    for p in people:
        r = own.get(p.nip)
        rows.append(
            {
                "ndh": p.ndh,
                "nip": privacy.nip(p.nip),
                "name": p.name,
                "status": word(ATT_LABEL, r.status) if r else WORDS.unrecorded,
                "code": r.status if r else UNRECORDED,
                "minutes": number(r.minutes) if r and r.minutes is not None else "",
                "note": (r.note or "") if r else "",
            }
        )
    return {
        "cohort": heading(c),
        "session": {
            "number": found.number,
            "title": found.title,
            "date": long_date(found.date),
            "time": f"{found.start:%H:%M}–{found.end:%H:%M}",
            "jp": found.jp,
        },
        "rows": rows,
    }


def completion(store: Store, cohort_id: str, privacy: Privacy) -> dict[str, Any]:
    """The assessment of `report completion` (services/outcomes.py), as a page."""
    from revmental_cli.services.outcomes import assessed_for

    c = _cohort(store, cohort_id).cohort
    assessed = assessed_for(store, c)
    components = list(c.completion.components)
    summary: Counter[str] = Counter()
    rows = []
    for a in assessed:
        if a.withdrawn:
            continue
        summary[a.outcome.status] += 1
        rows.append(
            {
                "ndh": a.ndh,
                "nip": privacy.nip(a.nip),
                "name": a.name,
                "attendance": percent(a.attendance.pct),
                "jp": f"{a.attendance.jp_attended}/{a.attendance.jp_total}",
                "scores": [_score(a.scores.get(k.key)) for k in components],
                "final": number(a.outcome.final, 2),
                "predicate": a.outcome.predicate or "",
                "status": word(OUTCOME_STATUS, a.outcome.status),
                "code": a.outcome.status,
                "reasons": [localize(r) for r in a.outcome.reasons],
                "remedial": a.remedial is not None,
            }
        )
    line = _("{passed} passed, {deferred} deferred, {not_passed} not passed of {total}").format(
        passed=summary["passed"],
        deferred=summary["deferred"],
        not_passed=summary["not_passed"],
        total=len(rows),
    )
    return {
        "cohort": heading(c),
        "components": [(k.key, k.name) for k in components],
        "rows": rows,
        "summary": line,
        "withdrawn": [(a.ndh, a.name) for a in assessed if a.withdrawn],
    }


def _score(value: float | None) -> str:
    return "" if value is None else number(value, None)


def certificates(store: Store, cohort_id: str) -> dict[str, Any]:
    from revmental_cli.i18n import local_date
    from revmental_cli.store import certificates as register

    c = _cohort(store, cohort_id).cohort
    rows = [
        {
            "number": cert.number,
            "name": cert.name,
            "predicate": cert.predicate or "",
            "issued": local_date(cert.issued_at),
            "standing": word(STANDING, "DICABUT" if cert.revoked_at else "SAH"),
            "revoked": cert.revoked_at is not None,
            "revoked_on": local_date(cert.revoked_at) if cert.revoked_at else "",
            "reason": cert.revoked_reason or "",
        }
        for cert in register(store, c.id)
    ]
    return {"cohort": heading(c), "rows": rows}
