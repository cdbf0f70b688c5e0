"""A deferred participant's remedial (perbaikan): a passing re-evaluation passes them at the line.

Pure: no I/O. Owns the rule only; the lead decides where remedial records live and feeds
them here. Must never change how a first outcome is decided (domain/completion.py does).

The re-evaluation passes when the final score, recomputed with the component's new score,
reaches the pass score. The participant then passes with the PASS LINE as their final score
(70.01 by default, however high the re-evaluation), so a remedial never outranks a first-time
pass; the original outcome and the remedial are both kept. A failed re-evaluation does not pass.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from revmental_cli.domain.cohort import CompletionRules
from revmental_cli.domain.completion import CENT, Outcome, dec, final_score, predicate
from revmental_cli.domain.handover import Remedial
from revmental_cli.errors import InputError
from revmental_cli.messages import Msg


@dataclass(frozen=True)
class RemedialResult:
    status: str  # passed | not_passed
    final: Decimal  # the pass line when passed; the recomputed score when not
    predicate: str | None
    reasons: tuple[str, ...]
    original: Outcome
    date: dt.date
    component: str
    score: Decimal  # the re-evaluation's own score for the component
    recomputed: Decimal  # the final score with that score in place (kept, not shown as final)

    @property
    def record(self) -> Remedial:
        """The remedial as a hand-over row carries it (ParticipantResult.remedial)."""
        return Remedial(self.date, self.component, self.score)


def apply_remedial(
    rules: CompletionRules,
    original: Outcome,
    scores: Mapping[str, float | None],
    *,
    date: dt.date,
    component: str,
    score: float | Decimal,
) -> RemedialResult:
    """The outcome after a re-evaluation of ``component`` on ``date`` scoring ``score``."""
    keys = [c.key for c in rules.components]
    if component not in keys:
        raise InputError(
            f"unknown score component '{component}'",
            hint=f"use one of: {', '.join(keys)}",
        )
    if original.status != "deferred":
        raise InputError(
            f"only a deferred participant takes a remedial (this one: {original.status})",
            hint="a remedial follows a 'deferred' result of report completion",
        )
    new = dec(score) if not isinstance(score, Decimal) else score
    if not Decimal(0) <= new <= Decimal(100):
        raise InputError(f"score {new} is outside 0-100", hint="write the re-evaluation's score")
    redone: dict[str, float | None] = dict(scores)
    redone[component] = float(new)
    recomputed = final_score(rules, redone)
    line = dec(rules.pass_score).quantize(CENT)
    # A required component still missing after the remedial cannot pass.
    missing = [c.key for c in rules.components if c.required and redone.get(c.key) is None]
    if recomputed >= line and not missing:
        return RemedialResult(
            "passed",
            line,
            predicate(rules.predicates, line),
            (),
            original,
            date,
            component,
            new,
            recomputed,
        )
    reasons: list[str] = [
        Msg(
            "remedial final score {score} < {min}",
            score=f"{recomputed:.2f}",
            min=f"{dec(rules.pass_score).normalize():f}",
        )
    ]
    reasons += [Msg("missing score: {key}", key=key) for key in missing]
    return RemedialResult(
        "not_passed",
        recomputed,
        predicate(rules.predicates, recomputed),
        tuple(reasons),
        original,
        date,
        component,
        new,
        recomputed,
    )
