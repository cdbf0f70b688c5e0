"""Certificates (STTP): issue numbers to who passed, revoke one, look one up.

Owns the decision of who gets a number and which number: both are taken inside the write
transaction, so two issues at once never number one person twice or reuse a number. Never
prints; never touches attendance, scores or the roster.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import revmental_cli.store.cohorts as cohort_store
from revmental_cli.errors import NotFound
from revmental_cli.messages import Msg
from revmental_cli.services.guards import require_open, writable

if TYPE_CHECKING:
    from revmental_cli.domain.cohort import Cohort
    from revmental_cli.domain.completion import Assessed
    from revmental_cli.store import Certificate, Store


@dataclass
class Issued:
    """What `certificate issue` did."""

    cohort: Cohort
    numbered: list[tuple[str, Assessed]] = field(default_factory=list)  # number, holder
    already: int = 0  # passed participants who already held a valid certificate
    deferred: int = 0
    not_passed: int = 0
    stale: list[str] = field(default_factory=list)  # holders who no longer pass


def issue(store: Store, cohort_id: str) -> Issued:
    """Number a certificate for every passed participant without one, in NDH order."""
    from revmental_cli.domain.cohort import certificate_number
    from revmental_cli.services.outcomes import (
        assessed_for,
        certificate_holders,
        stale_holders,
        stale_messages,
    )
    from revmental_cli.store import add_certificate, next_certificate_seq, number_taken

    # Who passes, who already holds one and the next number are all read under the lock:
    # read before it, two issues at once gave every passed participant two certificates.
    with store.write():
        cohort = writable(store, cohort_id).cohort
        assessed = assessed_for(store, cohort)
        holders = certificate_holders(store, cohort.id)
        passed = [a for a in assessed if not a.withdrawn and a.outcome.status == "passed"]
        counted = [a for a in assessed if not a.withdrawn]
        done = Issued(
            cohort,
            deferred=sum(1 for a in counted if a.outcome.status == "deferred"),
            not_passed=sum(1 for a in counted if a.outcome.status == "not_passed"),
            # A certificate stays valid until revoked, even if later marks or scores change
            # the outcome: say so, so that the administrator decides.
            stale=stale_messages(stale_holders(assessed, holders)),
        )
        seq = next_certificate_seq(store, cohort.id)
        for a in passed:
            if a.nip in holders:
                continue
            number = certificate_number(cohort.certificate, cohort, seq)
            while number_taken(store, number):  # e.g. after the template changed
                seq += 1
                number = certificate_number(cohort.certificate, cohort, seq)
            add_certificate(
                store, number, cohort.id, seq, a.nip, a.outcome.predicate, float(a.outcome.final)
            )
            done.numbered.append((number, a))
            seq += 1
        done.already = len(passed) - len(done.numbered)
        if done.numbered:
            store.record(
                f"{len(done.numbered)} certificates issued for {cohort.id}", cohort_id=cohort.id
            )
    return done


def find(store: Store, number: str) -> tuple[Certificate, Cohort]:
    """A certificate by its number, with the cohort that issued it."""
    from revmental_cli.store import certificate

    found = certificate(store, number.strip())
    cohort = cohort_store.cohort(store, found.cohort_id).cohort if found else None
    if found is None or cohort is None:
        raise NotFound(
            Msg("no certificate numbered {number}", number=repr(number)),
            hint=Msg("check the number as printed on the certificate"),
        )
    return found, cohort


@dataclass
class Revoked:
    certificate: Certificate
    already: bool  # it was revoked before: nothing was written


def revoke(store: Store, number: str, reason: str) -> Revoked:
    """Revoke a certificate; its number is never given to anyone else."""
    from revmental_cli.store import certificate, revoke_certificate

    found = certificate(store, number.strip())
    if found is None:
        raise NotFound(Msg("no certificate numbered {number}", number=repr(number)))
    if found.revoked_at is not None:
        return Revoked(found, already=True)
    # Refused before taking the lock, as before; checked again under it.
    require_open(cohort_store.cohort(store, found.cohort_id))
    with store.write():
        now = certificate(store, found.number)
        if now is not None and now.revoked_at is not None:  # revoked meanwhile: keep the first
            return Revoked(now, already=True)
        writable(store, found.cohort_id)
        revoke_certificate(store, found.number, reason)
        store.record(f"certificate {found.number} revoked: {reason}", cohort_id=found.cohort_id)
    return Revoked(found, already=False)
