"""certificate: number the STTP of every passed participant, list, verify and revoke them."""

from __future__ import annotations

import typer

from revmental_cli.commands import noun_app, options
from revmental_cli.context import cohort_for, open_store, require_open
from revmental_cli.errors import InputError
from revmental_cli.i18n import _

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
    from revmental_cli.services import certificates

    with open_store("certificate issue") as store:
        row = cohort_for(store, cohort_id)
        require_open(row)
        done = certificates.issue(store, row.cohort.id)
    for number, a in done.numbered:
        render.info(
            _("{number}  NDH {ndh}  {name}  ({predicate})").format(
                number=number, ndh=a.ndh, name=a.name, predicate=a.outcome.predicate
            )
        )
    for message in done.stale:
        render.warning(message)
    render.success(
        _(
            "{cohort}: {issued} certificate(s) issued, {already} already had one; no certificate "
            "for {deferred} deferred and {failed} not passed (see `revmental report completion`)"
        ).format(
            cohort=done.cohort.id,
            issued=len(done.numbered),
            already=done.already,
            deferred=done.deferred,
            failed=done.not_passed,
        )
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
    from revmental_cli.services import certificates

    with open_store("certificate verify") as store:
        found, cohort = certificates.find(store, number)
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
    from revmental_cli.services import certificates

    if not reason.strip():
        raise InputError(_("a revoke needs a reason"), hint='--reason "salah penulisan nama"')
    with open_store("certificate revoke") as store:
        done = certificates.revoke(store, number, reason.strip())
    found = done.certificate
    if done.already:
        render.info(
            _("{cohort}: {number} was already revoked on {date}").format(
                cohort=found.cohort_id, number=found.number, date=found.revoked_at
            )
        )
        return
    render.success(
        _("{cohort}: {number} ({name}) revoked").format(
            cohort=found.cohort_id, number=found.number, name=found.name
        )
    )
