"""person: a participant's own data, across cohorts (the right to erasure under UU PDP)."""

from __future__ import annotations

import typer

from revmental_cli.commands import noun_app
from revmental_cli.errors import InputError
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
    from revmental_cli.services import privacy
    from revmental_cli.services.guards import parse_nip

    key = parse_nip(nip)
    with open_store("person forget") as store:
        name = privacy.name_of(store, key)
        question = _("Erase the personal data of {name} ({nip})?").format(name=name, nip=key)
        try:
            confirmed = yes or typer.confirm(question, err=True)
        except typer.Abort:  # Ctrl-D, or no terminal to answer on: the answer is no
            confirmed = False
        if not confirmed:
            raise InputError(
                _("nothing was erased"), hint=_("add --yes to erase without being asked")
            )
        pseudonym = privacy.forget(store, key)
        copies = privacy.backups_before(store)
    render.success(
        _("the personal data of {nip} was erased (now {pseudonym} in reports)").format(
            nip=key, pseudonym=pseudonym
        )
    )
    render.warning(
        _(
            "backups made before this still hold the erased data: delete or re-make them ({files})"
        ).format(
            files=", ".join(str(c) for c in copies) or _("including `revmental db backup` copies")
        )
    )
