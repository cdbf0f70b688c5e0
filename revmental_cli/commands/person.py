"""person: a participant's own data, across cohorts (the right to erasure under UU PDP)."""

from __future__ import annotations

import typer

from revmental_cli.commands import noun_app
from revmental_cli.errors import InputError, NotFound
from revmental_cli.i18n import _

app = noun_app("person")


@app.command("forget")
def forget(
    nip: str = typer.Argument(..., metavar="NIP", help="The person's NIP."),
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation."),
) -> None:
    """Erase a person's personal data everywhere, keeping anonymous counts and certificates.

    Name, birth data, contacts, position and agency are erased, and the NIP (which encodes
    the birth date and sex) is replaced by a random pseudonym everywhere, history included:
    attendance counts, scores and certificate numbers stay valid, but nothing names the
    person any more. The erasure itself is recorded in the history.

    Example:

        revmental person forget 198309222012091919 --yes
    """
    from revmental_cli import render
    from revmental_cli.context import open_store
    from revmental_cli.domain.person import FieldError, normalize_nip
    from revmental_cli.store import forget_person, person_name

    try:
        key = normalize_nip(nip, pppk=True)
    except FieldError as exc:
        raise InputError(
            _("{value} is not a NIP: {problem}").format(value=repr(nip), problem=exc.message),
            hint=exc.hint,
        ) from None
    with open_store("person forget") as store:
        name = person_name(store, key)
        if name is None:
            raise NotFound(_("no person with NIP {nip} in the store").format(nip=key))
        question = _("Erase the personal data of {name} ({nip})?").format(name=name, nip=key)
        try:
            confirmed = yes or typer.confirm(question, err=True)
        except typer.Abort:  # Ctrl-D, or no terminal to answer on: the answer is no
            confirmed = False
        if not confirmed:
            raise InputError(
                _("nothing was erased"), hint=_("add --yes to erase without being asked")
            )
        with store.write():
            pseudonym = forget_person(store, key)
            store.record(f"personal data erased; the person is now {pseudonym}")
    render.success(
        _("the personal data of {nip} was erased (now {pseudonym} in reports)").format(
            nip=key, pseudonym=pseudonym
        )
    )
    copies = sorted(store.path.parent.glob(f"{store.path.name}.pre-migration-*.bak"))
    render.warning(
        _(
            "backups made before this still hold the erased data: delete or re-make them ({files})"
        ).format(
            files=", ".join(str(c) for c in copies) or _("including `revmental db backup` copies")
        )
    )
