"""The roster: an import's outcome and the participant table.

Takes the outcome and the participants as arguments; must never import the store or open it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich import box
from rich.table import Table

from revmental_cli.domain.ids import id_kind
from revmental_cli.i18n import _
from revmental_cli.render.cohort_view import cohort_heading, cohort_table
from revmental_cli.render.console import LONG_TABLE, out
from revmental_cli.render.history_view import fold_path
from revmental_cli.render.labels import ENROLMENT_STATUS, word
from revmental_cli.render.safe import Text, visible

if TYPE_CHECKING:
    from revmental_cli.domain.cohort import Cohort


def roster_import(cohort_id: str, source: str, outcome: Any, *, dry_run: bool) -> None:
    would = dry_run or not outcome.written
    title = Text.assemble(_("Roster import"), " · ", (cohort_id, "bold"))
    # The table as wide as its title and the file (a small table would break both over
    # lines); a path wider than the terminal is folded at its slashes.
    width = out().width
    table = Table(
        title=title,
        caption=Text(fold_path(visible(source), width)),
        caption_justify="left",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        min_width=min(max(title.cell_len, len(visible(source))), width),
    )
    table.add_column(_("Participants"))
    table.add_column("", justify="right")
    table.add_row(
        _("created (would be enrolled)") if would else _("created (were enrolled)"),
        str(outcome.created),
    )
    table.add_row(_("updated"), str(outcome.updated))
    table.add_row(_("unchanged"), str(outcome.unchanged))
    table.add_row(
        Text(_("rejected"), style="red" if outcome.rejected else ""), str(len(outcome.rejected))
    )
    out().print(table)
    if dry_run:
        out().print(Text(_("dry run: nothing was written"), style="dim"))
    elif outcome.written:
        out().print(
            Text(_("written to the roster of {cohort}").format(cohort=cohort_id), style="green")
        )
    else:
        out().print(Text(_("nothing was written"), style="red"))


def roster(cohort: Cohort, people: Sequence[Any]) -> None:
    if len(people) >= LONG_TABLE:
        from revmental_cli.render.long_table import paged

        with paged():
            _long_roster(cohort, people)
            _enrolled_line(cohort, people)
        return
    table = cohort_table(_("Roster"), cohort)
    # NIP and status must never be cut: on a narrow terminal the agency goes first, then
    # the golongan, and the name wraps.
    width = out().width
    show_agency, show_gol = width >= 90, width >= 70
    table.add_column(_("NDH"), justify="right", no_wrap=True)
    table.add_column(_("Name"), ratio=3, min_width=10)
    # A participant without a NIP has a NIK or an NRP: the column says which kinds it holds
    # and each such number carries its kind, so that no one takes a NIK for a short NIP.
    kinds = {id_kind(p.nip) for p in people}
    table.add_column(
        "/".join(k.upper() for k in ("nip", "nik", "nrp") if k in kinds | {"nip"}),
        no_wrap=True,
        min_width=18,
    )
    if show_gol:
        table.add_column(_("Gol."), no_wrap=True)
    if show_agency:
        table.add_column(_("Agency"), ratio=2, min_width=10)
    table.add_column(_("Status"), no_wrap=True, min_width=9)
    for p in people:
        active = p.status == "enrolled"
        table.add_row(
            str(p.ndh),
            Text(p.name),
            p.nip
            if id_kind(p.nip) == "nip"
            else Text.assemble(p.nip, " ", (id_kind(p.nip).upper(), "dim")),
            *([p.golongan or ""] if show_gol else []),
            *([Text(p.agency or "")] if show_agency else []),
            Text(word(ENROLMENT_STATUS, p.status), style="" if active else "dim"),
            style="" if active else "dim",
        )
    out().print(table)
    _enrolled_line(cohort, people)


def _long_roster(cohort: Cohort, people: Sequence[Any]) -> None:
    """The same columns as the table above, streamed (long_table.py)."""
    from revmental_cli.render.long_table import Column, stream

    width = out().width
    show_agency, show_gol = width >= 90, width >= 70
    columns = [
        Column(_("NDH"), right=True),
        Column(_("Name"), wrap=True, min_width=10, ratio=3),
        Column(_("NIP"), min_width=18),
        *([Column(_("Gol."))] if show_gol else []),
        *([Column(_("Agency"), wrap=True, min_width=10, ratio=2)] if show_agency else []),
        Column(_("Status"), min_width=9),
    ]
    words = {status: word(ENROLMENT_STATUS, status) for status in ("enrolled", "withdrawn")}
    rows = [
        [
            str(p.ndh),
            p.name,
            p.nip,
            *([p.golongan or ""] if show_gol else []),
            *([p.agency or ""] if show_agency else []),
            words.get(p.status) or word(ENROLMENT_STATUS, p.status),
        ]
        for p in people
    ]
    title = Text.assemble(_("Roster"), " · ", cohort_heading(cohort)).plain
    stream(title, columns, rows)


def _enrolled_line(cohort: Cohort, people: Sequence[Any]) -> None:
    enrolled = sum(1 for p in people if p.status == "enrolled")
    withdrawn = len(people) - enrolled
    if cohort.capacity:
        line = _("{enrolled} enrolled of {capacity}").format(
            enrolled=enrolled, capacity=cohort.capacity
        )
    else:
        line = _("{enrolled} enrolled").format(enrolled=enrolled)
    if withdrawn:
        line += _(", {withdrawn} withdrawn").format(withdrawn=withdrawn)
    out().print(Text(line))
