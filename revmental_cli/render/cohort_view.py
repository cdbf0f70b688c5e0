"""Cohorts as a person reads them: the list, one cohort's facts and rules, its changes.

Owns the cohort heading every other table title repeats (``cohort_heading``, and
``cohort_table`` that puts it over a table). Takes the rows
the store returned as arguments; must never import the store or open it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from revmental_cli.domain.numerals import roman
from revmental_cli.i18n import _, localize, long_date, number
from revmental_cli.render.console import err, info, out, unicode_output
from revmental_cli.render.labels import ATT_LABEL, COHORT_STATUS, word
from revmental_cli.render.safe import Text

if TYPE_CHECKING:
    from rich.table import Table

    from revmental_cli.domain.cohort import Cohort
    from revmental_cli.store import CohortRow, CohortSummary


# Rich's tables are imported where a table is drawn: every other view imports this module for
# cohort_heading, and a view that streams its rows (long_table.py) needs no Rich table.


def cohort_heading(cohort: Cohort) -> Text:
    return Text.assemble(
        (cohort.id, "bold"), "  ", f"{cohort.programme_code} {cohort.angkatan_label} {cohort.year}"
    )


def cohort_table(noun: str, cohort: Cohort, **more: Any) -> Table:
    """The table of one cohort's list: titled "<noun> · <cohort heading>" on the left, ruled
    under its header only (``more``: Rich's other Table options)."""
    from rich import box
    from rich.table import Table

    return Table(
        title=Text.assemble(noun, " · ", cohort_heading(cohort)),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        **more,
    )


def cohort_list(
    rows: Sequence[CohortSummary], current: str | None, *, include_closed: bool = True
) -> None:
    if not rows:
        # On stderr, as every message: stdout stays empty for a script reading the table.
        info(
            _("no cohorts yet; open one with `revmental cohort open FILE`")
            if include_closed
            else _("no open cohorts (--all includes closed ones)")
        )
        return
    from rich import box
    from rich.table import Table

    # Padding of one: seven columns at 80 characters, and the status must never be cut.
    table = Table(
        title=_("Cohorts"),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        padding=(0, 1),
    )
    # The id and the status are what a narrow terminal must still show whole; the programme
    # (with the mode) and the dates wrap instead.
    statuses = [word(COHORT_STATUS, row.status) for row in rows]
    table.add_column("", width=1, no_wrap=True)
    table.add_column(_("ID"), no_wrap=True)
    table.add_column(_("Programme"), ratio=1, min_width=6)
    table.add_column(_("Dates"), min_width=10)
    table.add_column(_("People"), justify="right", no_wrap=True)
    table.add_column(
        _("Status"), no_wrap=True, min_width=max((len(w) for w in statuses), default=6)
    )
    for c, status in zip(rows, statuses, strict=True):
        cap = f"/{c.capacity}" if c.capacity else ""
        table.add_row(
            "*" if c.id == current else "",
            Text(c.id, style="bold" if c.id == current else ""),
            Text(f"{c.programme_code} Angkatan {roman(c.angkatan)} ({c.mode})"),
            f"{c.start:%Y-%m-%d} – {c.end:%Y-%m-%d}",
            f"{c.participants}{cap}",
            Text(status, style="green" if c.status == "open" else "dim"),
        )
    out().print(table)
    if current:
        out().print(Text(_("* current cohort: {cohort}").format(cohort=current), style="dim"))


def cohort_detail(row: CohortRow, current: bool) -> None:
    c = row.cohort
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table

    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim")
    facts.add_column()
    facts.add_row(_("Programme"), Text(f"{c.programme_name} ({c.programme_code})"))
    facts.add_row(_("Angkatan"), Text(f"{c.angkatan_label}, {c.year}"))
    facts.add_row(_("Organiser"), Text(c.organiser))
    facts.add_row(_("Mode"), Text(c.mode))
    facts.add_row(_("Dates"), f"{long_date(c.start)} – {long_date(c.end)}")
    if c.opening_date or c.opening_by:
        when = long_date(c.opening_date) if c.opening_date else ""
        if when and c.opening_by:
            opening = _("{date} by {who}").format(date=when, who=c.opening_by)
        else:
            opening = when or c.opening_by or ""
        facts.add_row(_("Opening"), Text(opening))
    facts.add_row(_("Capacity"), str(c.capacity) if c.capacity else _("no limit"))
    facts.add_row(_("Participants"), str(row.participants))
    facts.add_row(
        _("Sessions"),
        _("{sessions} sessions, {jp} JP (1 JP = {minutes} min)").format(
            sessions=len(c.sessions), jp=c.jp_total, minutes=c.jp_minutes
        ),
    )
    facts.add_row(
        _("Status"),
        word(COHORT_STATUS, row.status) + (_(" (current cohort)") if current else ""),
    )
    if row.source_file:
        facts.add_row(_("Definition"), Text(row.source_file))

    people = Table(title=_("Facilitators"), title_justify="left", show_edge=False)
    people.add_column(_("ID"))
    people.add_column(_("Name"))
    people.add_column(_("Role"))
    for f in c.facilitators:
        people.add_row(Text(f.id), Text(f.name), Text(f.role))

    a = c.attendance
    rules = Table.grid(padding=(0, 2))
    rules.add_column(style="dim")
    rules.add_column()
    rules.add_row(
        _("Present when"),
        _("≥ {pct}% of a session's minutes").format(pct=number(a.present_min_pct, None)),
    )
    rules.add_row(
        _("Late when"),
        _("first join > {minutes} min after the start").format(minutes=a.late_after_min),
    )
    rules.add_row(
        _("Counts as attended"), ", ".join(word(ATT_LABEL, s) for s in a.counts_as_attended)
    )
    comp = c.completion
    rules.add_row(
        _("Min. attendance"), _("{pct}% of JP").format(pct=number(comp.min_attendance_pct, None))
    )
    rules.add_row(_("Pass score"), number(comp.pass_score, None))
    rules.add_row(_("Deferred from"), number(comp.defer_min_score, None))
    rules.add_row(_("Certificate no."), Text(c.certificate.number_format))

    components = Table(title=_("Score components"), title_justify="left", show_edge=False)
    components.add_column(_("Key"))
    components.add_column(_("Name"))
    components.add_column(_("Weight"), justify="right")
    components.add_column(_("Required"))
    for k in comp.components:
        components.add_row(
            Text(k.key), Text(k.name), number(k.weight, None) + "%", _("yes") if k.required else ""
        )
    bands = Table(title=_("Predicates"), title_justify="left", show_edge=False)
    bands.add_column(_("From"), justify="right")
    bands.add_column(_("Predicate"))
    for p in comp.predicates:
        bands.add_row(number(p.min, None), Text(p.label))

    parts: list[Any] = [facts]
    if c.facilitators:
        parts += [Text(""), people]
    parts += [Text(""), Text(_("Rules"), style="bold"), rules, Text(""), components]
    parts += [Text(""), bands]
    out().print(Panel(Group(*parts), title=cohort_heading(c), title_align="left", expand=False))


def changes(cohort_id: str, lines: Sequence[str]) -> None:
    err().print(Text(_("Changes to {cohort}:").format(cohort=cohort_id), style="bold"))
    for line in lines:
        line = localize(line)  # made in English: the history records the same lines
        err().print(Text(f"  • {line}" if unicode_output() else f"  - {line}"))
