"""Everything the closing documents show, gathered once from the pure rules.

Owns the bundle the lead builds (:meth:`ClosingData.build`) from what `report completion` and
`report attendance` computed; the document modules only lay it out. Must never open the store,
read the clock, or decide an outcome.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from revmental_cli.domain.agencies import NO_AGENCY, Agency, fold, group_agencies
from revmental_cli.domain.cohort import Cohort, Signatory
from revmental_cli.domain.handover import (
    STATUSES,
    AttendanceRow,
    ClosingTexts,
    Letter,
    ParticipantResult,
)
from revmental_cli.domain.honorarium import Honorarium, honorarium
from revmental_cli.domain.ranking import Ranked, rank
from revmental_cli.errors import InputError


@dataclass(frozen=True)
class Counts:
    """How many participants ended in each status, and in each predicate among the passed."""

    by_status: dict[str, int]
    by_predicate: dict[str, int]  # in the cohort's band order, bands nobody got included
    remedial: int  # passed after a remedial (inside by_status["passed"])
    total: int


def counts(cohort: Cohort, results: Iterable[ParticipantResult]) -> Counts:
    rows = list(results)
    status = Counter(r.status for r in rows)
    passed = [r for r in rows if r.status == "passed"]
    band = Counter(r.predicate for r in passed)
    return Counts(
        by_status={s: status.get(s, 0) for s in STATUSES},
        by_predicate={p.label: band.get(p.label, 0) for p in cohort.completion.predicates},
        remedial=sum(1 for r in passed if r.remedial is not None),
        total=len(rows),
    )


@dataclass(frozen=True)
class ClosingData:
    cohort: Cohort
    results: tuple[ParticipantResult, ...]  # not withdrawn, NDH order
    attendance: tuple[AttendanceRow, ...]
    letter: Letter  # closing: number, date, place, head of the centre
    committee: Letter | None  # signs the recaps (rekap kehadiran, daftar kelulusan)
    texts: ClosingTexts
    ranking: tuple[Ranked, ...]
    honorarium: Honorarium
    agencies: tuple[Agency, ...]
    counts: Counts
    agency_counts: dict[str, Counts] = field(default_factory=dict)  # by Agency.key
    withdrawn: tuple[tuple[int, str, str], ...] = ()  # (ndh, nip, name)

    def agency_name(self, result: ParticipantResult) -> str:
        """The agency's display name (its most common spelling) for a participant's row."""
        key = fold(result.agency)
        return next((a.name for a in self.agencies if a.key == key), NO_AGENCY)

    @classmethod
    def build(
        cls,
        cohort: Cohort,
        results: Iterable[ParticipantResult],
        attendance: Iterable[AttendanceRow],
        *,
        letter: Letter,
        committee: Letter | None = None,
        texts: ClosingTexts | None = None,
        internal_min_jp: int = 0,
        withdrawn: Iterable[tuple[int, str, str]] = (),
    ) -> ClosingData:
        rows = tuple(sorted(results, key=lambda r: r.ndh))
        agencies = tuple(group_agencies(rows))
        return cls(
            cohort=cohort,
            results=rows,
            attendance=tuple(sorted(attendance, key=lambda a: a.ndh)),
            letter=letter,
            committee=committee,
            texts=texts or ClosingTexts(),
            ranking=tuple(rank(rows)),
            honorarium=honorarium(cohort, internal_min_jp=internal_min_jp),
            agencies=agencies,
            counts=counts(cohort, rows),
            agency_counts={a.key: counts(cohort, a.participants) for a in agencies},
            withdrawn=tuple(sorted(withdrawn)),
        )


def letters_from(cohort: Cohort) -> tuple[Letter, Letter | None]:
    """The closing letter (head of the centre) and the committee's, from the cohort file.

    The date defaults to the cohort's last day and the place to where STTPs are signed;
    refuses (InputError) when the cohort file names no one to sign or no place.
    """
    rules = cohort.closing
    signer = rules.signatory or cohort.certificate.signatory
    place = rules.place or cohort.certificate.place
    if signer is None:
        raise InputError(
            f"cohort {cohort.id} names no one to sign the hand-over letters",
            hint="add closing.signatory (title, name, nip) to the cohort file and open it again",
        )
    if not place:
        raise InputError(
            f"cohort {cohort.id} gives no place for the hand-over letters",
            hint="add closing.place (e.g. Jatinangor) to the cohort file and open it again",
        )
    day = rules.date or cohort.end

    def letter(who: Signatory, number: str | None) -> Letter:
        return Letter(number, day, place, who.title, who.name, who.nip)

    committee = letter(rules.committee, None) if rules.committee else None
    return letter(signer, rules.number), committee
