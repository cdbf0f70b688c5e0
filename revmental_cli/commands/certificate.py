"""certificate: number the STTP of every passed participant, list, verify and revoke them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from revmental_cli.commands import noun_app, options
from revmental_cli.context import cohort_for, open_store, require_open
from revmental_cli.errors import InputError, NotFound
from revmental_cli.i18n import _, localize

if TYPE_CHECKING:
    from revmental_cli.domain.cohort import Cohort

app = noun_app("certificate")


def _record(c: object) -> dict[str, object]:
    from revmental_cli.store import Certificate

    assert isinstance(c, Certificate)
    return {
        "number": c.number,
        "nip": c.nip,
        "name": c.name,
        "predicate": c.predicate,
        "issued": c.issued_at,
        "revoked": c.revoked_at is not None,
    }


@app.command("issue")
def issue(cohort_id: str | None = options.COHORT) -> None:
    """Number a certificate for every passed participant, in NDH order (safe to run again).

    Numbers come from the cohort's number_format and are never reused, even after a revoke.

    Example:

        revmental certificate issue --cohort PRM-2021-II
    """
    from revmental_cli import render
    from revmental_cli.commands.report import assessed_for
    from revmental_cli.domain.cohort import certificate_number
    from revmental_cli.store import (
        add_certificate,
        certificates,
        next_certificate_seq,
        number_taken,
    )

    with open_store("certificate issue") as store:
        row = cohort_for(store, cohort_id)
        require_open(row)
        cohort = row.cohort
        assessed = assessed_for(store, cohort)
        active = {c.nip for c in certificates(store, cohort.id) if c.revoked_at is None}
        passed = [a for a in assessed if not a.withdrawn and a.outcome.status == "passed"]
        todo = [a for a in passed if a.nip not in active]
        # A certificate stays valid until revoked, even if later marks or scores change the
        # outcome: say so, so that the administrator decides.
        no_longer = _stale_holders(assessed, active)
        issued = []
        with store.write():
            store.assert_open(cohort.id)
            seq = next_certificate_seq(store, cohort.id)
            for a in todo:
                number = certificate_number(cohort.certificate, cohort, seq)
                while number_taken(store, number):  # e.g. after the template changed
                    seq += 1
                    number = certificate_number(cohort.certificate, cohort, seq)
                add_certificate(
                    store,
                    number,
                    cohort.id,
                    seq,
                    a.nip,
                    a.outcome.predicate,
                    float(a.outcome.final),
                )
                issued.append((number, a))
                seq += 1
            if issued:
                store.record(
                    f"{len(issued)} certificates issued for {cohort.id}", cohort_id=cohort.id
                )
    for number, a in issued:
        render.info(
            _("{number}  NDH {ndh}  {name}  ({predicate})").format(
                number=number, ndh=a.ndh, name=a.name, predicate=a.outcome.predicate
            )
        )
    _warn_stale(no_longer)
    counted = [a for a in assessed if not a.withdrawn]
    deferred = sum(1 for a in counted if a.outcome.status == "deferred")
    failed = sum(1 for a in counted if a.outcome.status == "not_passed")
    render.success(
        _(
            "{cohort}: {issued} certificate(s) issued, {already} already had one; no certificate "
            "for {deferred} deferred and {failed} not passed (see `revmental report completion`)"
        ).format(
            cohort=cohort.id,
            issued=len(issued),
            already=len(passed) - len(issued),
            deferred=deferred,
            failed=failed,
        )
    )


def warn_stale_certificates(store: Any, cohort: Cohort) -> None:
    """After a write that can change outcomes (a score, a mark, a withdrawal, new rules):
    name the holders of a valid certificate who no longer pass. A certificate stays valid
    until it is revoked; the administrator decides, but must not find out by accident."""
    from revmental_cli.commands.report import assessed_for
    from revmental_cli.store import certificates

    active = {c.nip for c in certificates(store, cohort.id) if c.revoked_at is None}
    if active:
        _warn_stale(_stale_holders(assessed_for(store, cohort), active))


def _stale_holders(assessed: list[Any], active: set[str]) -> list[Any]:
    return [
        a for a in assessed if a.nip in active and (a.withdrawn or a.outcome.status != "passed")
    ]


def _warn_stale(holders: list[Any]) -> None:
    from revmental_cli import render

    for a in holders:
        reasons = (
            _("withdrawn") if a.withdrawn else "; ".join(localize(r) for r in a.outcome.reasons)
        )
        render.warning(
            _(
                "{name} (NDH {ndh}) holds a certificate but no longer passes ({reasons}); "
                "`revmental certificate revoke NUMBER --reason ...` if it must go"
            ).format(name=a.name, ndh=a.ndh, reasons=reasons)
        )


@app.command("list")
def list_(cohort_id: str | None = options.COHORT, json_: bool = options.JSON) -> None:
    """List the cohort's certificates, revoked ones included.

    Example:

        revmental certificate list --json
    """
    from revmental_cli import render
    from revmental_cli.store import certificates

    with open_store("certificate list") as store:
        cohort = cohort_for(store, cohort_id).cohort
        items = certificates(store, cohort.id)
    if json_:
        render.emit_json([_record(c) for c in items])
        return
    render.certificates(cohort, items)


@app.command("verify")
def verify(
    number: str = typer.Argument(..., metavar="NUMBER", help="The certificate number."),
    json_: bool = options.JSON,
) -> None:
    """Check a certificate number: who holds it, from which cohort, and whether it stands.

    Example:

        revmental certificate verify 001/STTP/PRM-II/PKASN/2021
    """
    from revmental_cli import render
    from revmental_cli.store import certificate

    with open_store("certificate verify") as store:
        found = certificate(store, number.strip())
        cohort = store.cohort(found.cohort_id).cohort if found else None
    if found is None or cohort is None:
        raise NotFound(
            _("no certificate numbered {number}").format(number=repr(number)),
            hint=_("check the number as printed on the certificate"),
        )
    data = {
        **_record(found),
        "cohort": cohort.id,
        "programme": cohort.programme_name,
        "angkatan": cohort.angkatan,
        "year": cohort.year,
        "final_score": found.final_score,
        "golongan": found.golongan,
        "pangkat": found.pangkat,
        "position": found.position,
        "agency": found.agency,
        "revoked_at": found.revoked_at,
        "revoked_reason": found.revoked_reason,
        "valid": found.revoked_at is None,
    }
    if json_:
        render.emit_json(data)
        return
    render.certificate_detail(cohort, found)


@app.command("revoke")
def revoke(
    number: str = typer.Argument(..., metavar="NUMBER", help="The certificate number."),
    reason: str = typer.Option(..., "--reason", metavar="TEXT", help="Why, for the record."),
) -> None:
    """Revoke a certificate; its number is never given to anyone else.

    Example:

        revmental certificate revoke 001/STTP/PRM-II/PKASN/2021 --reason "salah nama"
    """
    from revmental_cli import render
    from revmental_cli.store import certificate, revoke_certificate

    if not reason.strip():
        raise InputError(_("a revoke needs a reason"), hint='--reason "salah penulisan nama"')
    with open_store("certificate revoke") as store:
        found = certificate(store, number.strip())
        if found is None:
            raise NotFound(_("no certificate numbered {number}").format(number=repr(number)))
        if found.revoked_at is not None:
            render.info(
                _("{cohort}: {number} was already revoked on {date}").format(
                    cohort=found.cohort_id, number=found.number, date=found.revoked_at
                )
            )
            return
        require_open(store.cohort(found.cohort_id))
        with store.write():
            store.assert_open(found.cohort_id)
            revoke_certificate(store, found.number, reason.strip())
            store.record(
                f"certificate {found.number} revoked: {reason.strip()}", cohort_id=found.cohort_id
            )
    render.success(
        _("{cohort}: {number} ({name}) revoked").format(
            cohort=found.cohort_id, number=found.number, name=found.name
        )
    )
