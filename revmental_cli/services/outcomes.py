"""The assessment every report and certificate uses: who passes, and whose certificate no
longer stands for what the store now says.

Reads the store, never writes it, and never prints: the warnings about certificate holders
who no longer pass come back as messages for the command to show.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from revmental_cli.messages import Joined, Msg

if TYPE_CHECKING:
    from revmental_cli.domain.cohort import Cohort
    from revmental_cli.domain.completion import Assessed, AttendanceSummary
    from revmental_cli.store import AttendanceRecord, Participant, Store

# An enrolled participant, their status per session, and their JP-weighted attendance.
AttendanceRow = tuple["Participant", dict[int, str], "AttendanceSummary"]


def assessed_for(store: Store, cohort: Cohort, *, with_remedials: bool = True) -> list[Assessed]:
    """Every participant of the cohort (withdrawn ones too) under the cohort's rules, with
    their remedials: the one assessment of every report, certificate and hand-over file."""
    from revmental_cli.domain.completion import assess
    from revmental_cli.store import completion_inputs
    from revmental_cli.store.scores import remedials_by_person

    inputs = completion_inputs(store, cohort.id)
    people = [(p.ndh, p.nip, p.name, p.status) for p in inputs.participants]
    remedials = remedials_by_person(store, cohort.id) if with_remedials else {}
    return assess(cohort, people, inputs.statuses, inputs.scores, remedials)


def _number(value: Decimal) -> float:
    return float(value)


def completion_data(cohort: Cohort, assessed: list[Assessed]) -> dict[str, Any]:
    """The contract's JSON document; withdrawn participants listed apart and not counted."""
    active = [a for a in assessed if not a.withdrawn]
    summary = {"passed": 0, "deferred": 0, "not_passed": 0}
    for a in active:
        summary[a.outcome.status] += 1
    return {
        "cohort": cohort.id,
        "participants": [
            {
                "ndh": a.ndh,
                "nip": a.nip,
                "name": a.name,
                "attendance_pct": _number(a.attendance.pct),
                "jp_attended": a.attendance.jp_attended,
                "jp_total": a.attendance.jp_total,
                "scores": a.scores,
                "final_score": _number(a.outcome.final),
                "predicate": a.outcome.predicate,
                "status": a.outcome.status,
                "reasons": list(a.outcome.reasons),
                "remedial": _remedial(a),
            }
            for a in active
        ],
        "summary": summary,
        "withdrawn": [
            {"ndh": a.ndh, "nip": a.nip, "name": a.name} for a in assessed if a.withdrawn
        ],
    }


def _remedial(a: Assessed) -> dict[str, Any] | None:
    """The re-evaluation and the first result it replaced (kept visible, never overwritten)."""
    r = a.remedial
    if r is None:
        return None
    return {
        "date": r.date.isoformat(),
        "component": r.component,
        "score": _number(r.score),
        "original_status": r.original.status,
        "original_final_score": _number(r.original.final),
        "original_reasons": list(r.original.reasons),
    }


def certificate_holders(store: Store, cohort_id: str) -> set[str]:
    """The NIPs holding a certificate of the cohort that is not revoked."""
    from revmental_cli.store import certificates

    return {c.nip for c in certificates(store, cohort_id) if c.revoked_at is None}


def stale_holders(assessed: list[Assessed], holders: set[str]) -> list[Assessed]:
    """Holders of a valid certificate who are withdrawn or no longer pass."""
    return [
        a for a in assessed if a.nip in holders and (a.withdrawn or a.outcome.status != "passed")
    ]


def stale_messages(holders: list[Assessed]) -> list[str]:
    """One warning per holder who no longer passes: a certificate stays valid until it is
    revoked; the administrator decides, but must not find out by accident."""
    messages: list[str] = []
    for a in holders:
        reasons = Msg("withdrawn") if a.withdrawn else Joined(a.outcome.reasons)
        messages.append(
            Msg(
                "{name} (NDH {ndh}) holds a certificate but no longer passes ({reasons}); "
                "`revmental certificate revoke NUMBER --reason ...` if it must go",
                name=a.name,
                ndh=a.ndh,
                reasons=reasons,
            )
        )
    return messages


def stale_certificates(store: Store, cohort: Cohort) -> list[str]:
    """After a write that can change outcomes (a score, a mark, a withdrawal, new rules): the
    warnings naming the holders of a valid certificate who no longer pass. Read after the
    commit, so that a message never undoes the write."""
    holders = certificate_holders(store, cohort.id)
    if not holders:
        return []
    return stale_messages(stale_holders(assessed_for(store, cohort), holders))


def passed_without_certificate(store: Store, cohort: Cohort) -> int:
    """How many active participants passed but hold no valid certificate."""
    holders = certificate_holders(store, cohort.id)
    return sum(
        1
        for a in assessed_for(store, cohort)
        if not a.withdrawn and a.outcome.status == "passed" and a.nip not in holders
    )


def attendance_report(
    store: Store, cohort: Cohort
) -> tuple[list[AttendanceRecord], list[Participant], list[AttendanceRow]]:
    """Every recorded status, the enrolled participants, and each one's row of the report."""
    from revmental_cli.domain.completion import attendance_summary
    from revmental_cli.store import attendance, participants

    records = attendance(store, cohort.id)
    people = [p for p in participants(store, cohort.id) if p.status == "enrolled"]
    by_person: dict[str, dict[int, str]] = {}
    for r in records:
        by_person.setdefault(r.nip, {})[r.session] = r.status
    rows = []
    for p in people:
        own = by_person.get(p.nip, {})
        summary = attendance_summary(cohort.sessions, own, cohort.attendance.counts_as_attended)
        rows.append((p, own, summary))
    return records, people, rows
