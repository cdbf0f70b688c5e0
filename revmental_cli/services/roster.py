"""The roster: staging a participant list for import, deciding and merging it; withdrawing.

Owns the whole-file checks (capacity, NDH numbering, duplicates against the store) and runs
them inside the write transaction, against the cohort as it is when the lock is held. Never
reads files itself (the command streams the parsed rows in) and never prints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from revmental_cli.errors import NotFound
from revmental_cli.messages import Msg
from revmental_cli.services.guards import writable

if TYPE_CHECKING:
    from revmental_cli.domain.cohort import Cohort
    from revmental_cli.importers.roster import RosterParser, RosterReject
    from revmental_cli.store import Participant, RosterImport, RosterOutcome, Store


def stage(store: Store, cohort: Cohort, parser: RosterParser) -> RosterImport:
    """A staging table for the parser's rows, told how the file names its NIP and NDH."""
    from revmental_cli.store import RosterImport

    ndh_column = parser.label("ndh") if "ndh" in parser.columns else "NDH"
    return RosterImport(
        store,
        cohort,
        nip_column=parser.label("nip"),
        # A column headed "No" may be the sheet's own row counter rather than the NDH.
        ndh_may_count_rows="ndh" in parser.columns
        and parser.label("ndh").casefold().rstrip(".") in ("no", "nomor", "no urut"),
        ndh_column=ndh_column,
    )


#: The late-appointment warnings printed one by one; the rest are counted in one line. A
#: few such NIPs are typing mistakes worth a line each; thousands mean the wrong cohort or a
#: systematically damaged column, and a screenful of them would bury the import's summary.
LATE_SHOWN = 20


def feed(
    staged: RosterImport,
    chunks: Iterable[tuple[list[tuple[object, ...] | RosterReject], bool]],
    tick: Callable[[int], None],
) -> tuple[int, list[tuple[int, str]]]:
    """Stage the parser's results, a chunk at a time (``RosterParser.staged_chunks``: a valid
    row's staging tuple, or a rejected row). Return how many rows there were, and the (line,
    NIP) of the staged rows that ``late_rows`` must look at: an 18-character NIP whose
    appointment year (digits 9-12) is the cohort's end year or later, in line order. Each
    chunk's valid rows go to the staging together (a chunk with no rejected row, the usual
    one, as it is), and one comprehension picks those rows from them: a query over the
    staged rows afterwards cost three times as much."""
    from revmental_cli.importers.roster import RosterReject

    year = f"{staged.cohort.end.year:04d}"
    rows = 0
    appointed: list[tuple[int, str]] = []
    for chunk, plain in chunks:
        rows += len(chunk)
        tick(len(chunk))
        valid: list[tuple[Any, ...]]
        if plain:
            valid = chunk  # type: ignore[assignment]  # no RosterReject in it
        else:
            valid = []
            for result in chunk:
                if isinstance(result, RosterReject):
                    staged.reject(result.line, result.raw, result.errors)
                else:
                    valid.append(result)
        staged.add_many(valid)
        appointed += [(t[0], t[2]) for t in valid if t[2][8:12] >= year and len(t[2]) == 18]
    return rows, appointed


def appointed_late(cohort: Cohort) -> Callable[[str], bool]:
    """The test ``late_appointments`` makes of a NIP: a TMT year (digits 9-12) before the
    cohort's end year, or after it, settles it without taking the NIP apart (four ASCII
    digits compare as their values do; month or not, a later year is a later date). Only
    the end year itself needs the month, and the PPPK rule."""
    from revmental_cli.domain.person import appointed_after

    end = cohort.end
    end_year = f"{end.year:04d}"

    def late(nip: str) -> bool:
        if len(nip) != 18:
            return False
        year = nip[8:12]
        if year != end_year and year.isascii() and year.isdigit():
            return year > end_year
        return appointed_after(nip, end)

    return late


def late_rows(cohort: Cohort, appointed: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """(line, NIP) of the rows whose appointment date (TMT) is after the cohort's end, in
    line order: of ``feed``'s rows appointed in the end year or later, those the domain rule
    says are late."""
    late = appointed_late(cohort)
    return [row for row in appointed if late(row[1])]


def late_appointments(cohort: Cohort, rows: Iterable[tuple[int, str]]) -> Iterator[Msg]:
    """A warning for each of ``late_rows``' (line, NIP) rows, whose appointment date (TMT,
    digits 9-14) is after the cohort's end: a civil servant appointed after the training
    cannot have taken it, so one of the NIP's digits is likely mistyped. Not an error: the
    NIP is otherwise valid and may be right."""
    from revmental_cli.domain.person import is_pppk

    end = cohort.end.isoformat()
    for line, nip in rows:
        yield Msg(
            "line {line}: NIP {nip}: the appointment date (TMT, digits 9-14: {tmt}) is after "
            "the end of {cohort} ({end}); check the NIP",
            line=line,
            nip=nip,
            # A PPPK number gives the year alone (digits 13-14 are 21, not a month).
            tmt=nip[8:12] if is_pppk(nip) else f"{nip[8:12]}-{nip[12:14]}",
            cohort=cohort.id,
            end=end,
        )


def more_late_appointments(cohort: Cohort, rows: list[tuple[int, str]]) -> Msg:
    """The one line that stands for the late-appointment warnings past ``LATE_SHOWN``."""
    return Msg(
        "{count} more rows have a NIP whose appointment date (TMT) is after the end of "
        "{cohort} ({end}), lines {first} to {last}; check those NIPs, and that the list "
        "belongs to this cohort",
        count=f"{len(rows):,}",
        cohort=cohort.id,
        end=cohort.end.isoformat(),
        first=rows[0][0],
        last=rows[-1][0],
    )


def valid_rows(outcome: RosterOutcome) -> int:
    return outcome.created + outcome.updated + outcome.unchanged


def refused(outcome: RosterOutcome, *, skip_invalid: bool) -> bool:
    """All or nothing (and --skip-invalid with no valid row left is a failed import)."""
    return bool(outcome.rejected) and not (skip_invalid and valid_rows(outcome))


def finish(
    store: Store,
    staged: RosterImport,
    *,
    dry_run: bool,
    skip_invalid: bool,
    file: Path,
    sha256: str,
    before_commit: Callable[[RosterOutcome], None],
) -> RosterOutcome:
    """Check the staged rows against the store, then merge them unless refused.

    ``before_commit`` sees the outcome before anything is committed: if it fails (a rejects
    file that cannot be written), the import is not written either."""
    if dry_run:
        staged.check()
        outcome = staged.classify()
        before_commit(outcome)
        return outcome
    # Every enrollment the merge writes is of a person it has just written, in the cohort
    # read under the lock: the store need not look each one up again.
    with store.write(references_hold=True):
        # Capacity, NDHs and who is new are decided against the cohort and its enrollments
        # as they are under the lock: another import or a `cohort open` may have come first.
        staged.cohort = writable(store, staged.cohort.id).cohort
        cohort = staged.cohort
        staged.check()
        outcome = staged.classify()
        before_commit(outcome)
        if refused(outcome, skip_invalid=skip_invalid):
            # The transaction ends with nothing written.
            return outcome
        staged.merge()
        summary = (
            f"roster of {cohort.id}: {outcome.created} created, {outcome.updated} updated, "
            f"{outcome.unchanged} unchanged, {len(outcome.rejected)} rejected"
        )
        store.record(summary, cohort_id=cohort.id, file=str(file), sha256=sha256)
        outcome.written = True
    return outcome


@dataclass
class Withdrawal:
    person: Participant
    already: bool  # withdrawn before: nothing was written


def withdraw(store: Store, cohort_id: str, nip: str, reason: str | None) -> Withdrawal:
    """Withdraw a participant: kept on the roster as withdrawn, left out of reports."""
    from revmental_cli.store import participant
    from revmental_cli.store import withdraw as withdraw_in_store

    with store.write():
        writable(store, cohort_id)
        person = participant(store, cohort_id, nip)
        if person is None:
            raise NotFound(
                Msg("{nip} is not on the roster of {cohort}", nip=nip, cohort=cohort_id),
                hint=Msg("`revmental roster show` lists the participants"),
            )
        if person.status == "withdrawn":
            return Withdrawal(person, already=True)
        withdraw_in_store(store, cohort_id, nip, reason)
        store.record(
            f"{nip} withdrawn from {cohort_id}" + (f": {reason}" if reason else ""),
            cohort_id=cohort_id,
        )
    return Withdrawal(person, already=False)
