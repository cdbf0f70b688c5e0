"""Who passed, who is deferred, who did not pass, and why. Pure rules; no I/O.

Arithmetic is decimal: with binary floats, 0.3 x 70 + 0.2 x 70 + 0.5 x 70.02 is not exactly
70.01, and a participant exactly on the pass score would fail by a rounding error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from revmental_cli.domain.cohort import Cohort, CompletionRules, Predicate, Session
from revmental_cli.messages import Msg

if TYPE_CHECKING:
    from revmental_cli.domain.remedial import RemedialResult

CENT = Decimal("0.01")


@lru_cache(maxsize=4096, typed=True)  # a report converts the same weights and scores again
def dec(value: float | int | str) -> Decimal:
    """A decimal of the number as a person wrote it (70.01, not 70.0099999)."""
    return Decimal(str(value))


@dataclass(frozen=True)
class AttendanceSummary:
    jp_attended: int
    jp_total: int
    jp_recorded: int  # JP of sessions that have any attendance record for this participant

    @property
    def pct(self) -> Decimal:
        if self.jp_total == 0:
            return Decimal(0)
        return (Decimal(self.jp_attended) * 100 / self.jp_total).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


def attendance_summary(
    sessions: Iterable[Session],
    statuses: Mapping[int, str],
    counts_as_attended: Iterable[str],
) -> AttendanceSummary:
    """JP-weighted attendance: a 4 JP session counts four times a 1 JP one."""
    counted = set(counts_as_attended)
    attended = total = recorded = 0
    for s in sessions:
        total += s.jp
        status = statuses.get(s.number)
        if status is not None:
            recorded += s.jp
            if status in counted:
                attended += s.jp
    return AttendanceSummary(attended, total, recorded)


def final_score(rules: CompletionRules, scores: Mapping[str, float | None]) -> Decimal:
    """Weighted sum of the components, a missing one counting 0, rounded to 0.01."""
    total = Decimal(0)
    for c in rules.components:
        value = scores.get(c.key)
        if value is not None:
            total += dec(c.weight) * dec(value) / 100
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


def predicate(predicates: Iterable[Predicate], score: Decimal) -> str:
    for band in predicates:  # highest first, the last starts at 0
        if score >= dec(band.min):
            return band.label
    return ""


@dataclass(frozen=True)
class Outcome:
    status: str  # passed | deferred | not_passed
    final: Decimal
    predicate: str | None
    reasons: tuple[str, ...]


def decide(
    rules: CompletionRules, attendance: AttendanceSummary, scores: Mapping[str, float | None]
) -> Outcome:
    """The contract's rule, in its order: attendance, then required scores, then the score."""
    final = final_score(rules, scores)
    missing_required = [c.key for c in rules.components if c.required and scores.get(c.key) is None]
    missing_optional = [
        c.key for c in rules.components if not c.required and scores.get(c.key) is None
    ]
    band = None if missing_required else predicate(rules.predicates, final)
    reasons: list[str] = []
    min_att = dec(rules.min_attendance_pct)
    # Compare exactly (attended/total >= min%), not the rounded percentage shown.
    short = Decimal(attendance.jp_attended) * 100 < min_att * attendance.jp_total
    pass_score, defer_score = dec(rules.pass_score), dec(rules.defer_min_score)
    if short:
        shown = attendance.pct
        if shown >= min_att:
            # 89.95% shows as 90.0% to one decimal: never print "90.0% < 90%"; two decimals,
            # cut rather than rounded, stay below the minimum as the exact value is.
            exact = Decimal(attendance.jp_attended) * 100 / attendance.jp_total
            shown = exact.quantize(CENT, rounding=ROUND_DOWN)
        reasons.append(
            Msg("attendance {pct}% < {min}%", pct=f"{shown}", min=f"{min_att.normalize():f}")
        )
    reasons += [Msg("missing score: {key}", key=key) for key in missing_required]
    if short:
        return Outcome("not_passed", final, band, tuple(reasons))
    if missing_required:
        return Outcome("deferred", final, band, tuple(reasons))
    if final >= pass_score:
        return Outcome("passed", final, band, ())
    reasons.append(
        Msg("final score {score} < {min}", score=f"{final:.2f}", min=f"{pass_score.normalize():f}")
    )
    reasons += [Msg("missing score: {key} (counted as 0)", key=key) for key in missing_optional]
    if final >= defer_score:
        return Outcome("deferred", final, band, tuple(reasons))
    return Outcome("not_passed", final, band, tuple(reasons))


def sessions_ahead(cohort: Cohort, today: dt.date) -> int:
    """How many sessions have not happened yet (the report says so above the table)."""
    return sum(1 for s in cohort.sessions if s.date > today)


@dataclass(frozen=True)
class Assessed:
    ndh: int
    nip: str
    name: str
    withdrawn: bool
    attendance: AttendanceSummary
    scores: dict[str, float | None]
    outcome: Outcome  # the one that counts: after a remedial when there is one
    remedial: RemedialResult | None = None  # the re-evaluation; its .original is the first result


# A remedial as the store keeps it: (component, score, date).
RemedialEntry = tuple[str, float, dt.date]


def assess(
    cohort: Cohort,
    people: Iterable[tuple[int, str, str, str]],
    statuses: Mapping[str, Mapping[int, str]],
    scores: Mapping[str, Mapping[str, float]],
    remedials: Mapping[str, Sequence[RemedialEntry]] | None = None,
) -> list[Assessed]:
    """Every participant (ndh, nip, name, enrollment status) through the rules, in NDH order.

    A participant first DEFERRED who has remedials is re-assessed with them (domain/remedial);
    remedials of anyone else are ignored, so a score changed since cannot make one count.
    """
    rules = cohort.completion
    remedials = remedials or {}
    out = []
    for ndh, nip, name, status in sorted(people):
        summary = attendance_summary(
            cohort.sessions, statuses.get(nip, {}), cohort.attendance.counts_as_attended
        )
        own = {c.key: scores.get(nip, {}).get(c.key) for c in rules.components}
        first = decide(rules, summary, own)
        redone = _remedial(rules, first, own, remedials.get(nip, ()))
        outcome = first if redone is None else remedial_outcome(redone)
        out.append(Assessed(ndh, nip, name, status == "withdrawn", summary, own, outcome, redone))
    return out


PASSED_AFTER_REMEDIAL = Msg("passed after remedial")


def _remedial(
    rules: CompletionRules,
    first: Outcome,
    scores: Mapping[str, float | None],
    entries: Sequence[RemedialEntry],
) -> RemedialResult | None:
    """The latest re-evaluation, with any earlier ones of other components in place."""
    from revmental_cli.domain.remedial import apply_remedial

    known = [e for e in entries if e[0] in scores]
    if first.status != "deferred" or not known:
        return None
    ordered = sorted(known, key=lambda e: (e[2], e[0]))
    component, value, day = ordered[-1]
    redone = dict(scores)
    for key, earlier, _day in ordered[:-1]:
        redone[key] = earlier
    return apply_remedial(rules, first, redone, date=day, component=component, score=dec(value))


def remedial_outcome(result: RemedialResult) -> Outcome:
    """What a report shows after a remedial: passed (with a note saying how) or not passed."""
    if result.status == "passed":
        return Outcome("passed", result.final, result.predicate, (PASSED_AFTER_REMEDIAL,))
    return Outcome(result.status, result.final, result.predicate, result.reasons)
