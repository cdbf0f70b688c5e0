"""Certificates: the list of a cohort's numbers and one certificate's detail.

Takes the certificate rows as arguments; must never import the store or open it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.panel import Panel
from rich.table import Table

from revmental_cli.i18n import _, local_date, local_time
from revmental_cli.render.cohort_view import cohort_table
from revmental_cli.render.console import out
from revmental_cli.render.safe import Text

if TYPE_CHECKING:
    from revmental_cli.domain.cohort import Cohort


def certificates(cohort: Cohort, items: Sequence[Any]) -> None:
    table = cohort_table(_("Certificates"), cohort)
    # Four columns, the NIP under the name and the date under the state: at 80 characters a
    # 25-character number and an 18-digit NIP side by side left the name two letters wide.
    # Below 80 columns the predicate goes (certificate verify shows it): the state, valid or
    # revoked, must never be the column that is cut.
    with_predicate = out().width >= 80
    # The NIP under the number (both fixed widths), the issue date under the state.
    table.add_column(_("Number"), no_wrap=True)
    table.add_column(_("Name"), ratio=2, min_width=10, overflow="fold")
    if with_predicate:
        table.add_column(_("Predicate"), ratio=1, min_width=9)
    table.add_column(_("State"), no_wrap=True, min_width=10)  # the date under it: 10
    for c in items:
        state = Text(_("revoked"), style="red") if c.revoked_at else Text(_("valid"), style="green")
        table.add_row(
            Text.assemble(c.number, "\n", (c.nip, "dim")),
            Text(c.name),
            *([Text(c.predicate or "")] if with_predicate else []),
            Text.assemble(state, "\n", (local_date(c.issued_at), "dim")),
        )
    out().print(table)
    if not items:
        out().print(
            Text(_("no certificates yet: `revmental certificate issue` numbers them"), style="dim")
        )


def certificate_detail(cohort: Cohort, c: Any) -> None:
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim")
    facts.add_column()
    facts.add_row(_("Number"), Text(c.number))
    facts.add_row(_("Name"), Text(c.name))
    facts.add_row(_("NIP"), c.nip)
    facts.add_row(_("Programme"), Text(cohort.programme_name))
    facts.add_row(_("Cohort"), Text(f"{cohort.id}, {cohort.angkatan_label} {cohort.year}"))
    facts.add_row(_("Predicate"), Text(c.predicate or ""))
    facts.add_row(_("Issued"), Text(local_time(c.issued_at)))
    if c.revoked_at:
        facts.add_row(
            _("State"),
            Text(
                _("REVOKED on {date}: {reason}").format(
                    date=local_time(c.revoked_at), reason=c.revoked_reason
                ),
                style="bold red",
            ),
        )
    else:
        facts.add_row(_("State"), Text(_("valid"), style="bold green"))
    out().print(Panel(facts, title=_("Certificate"), title_align="left", expand=False))
