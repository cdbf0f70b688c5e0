"""The hand-over reports on screen: the files written, the ranking, the facilitators' JP and
honorarium.

Takes the domain's rows as arguments; must never import the store or open it, nor compute a
rank, a JP or an amount (domain/ranking.py and domain/honorarium.py do).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.table import Table

from revmental_cli.i18n import _, language, number, percent
from revmental_cli.render.cohort_view import cohort_table
from revmental_cli.render.console import out
from revmental_cli.render.safe import Text

if TYPE_CHECKING:
    from revmental_cli.domain.cohort import Cohort
    from revmental_cli.domain.honorarium import Honorarium
    from revmental_cli.domain.ranking import Ranked


def money(amount: int | None) -> str:
    """``Rp 900.000`` in Indonesian, ``Rp 900,000`` in English; "-" without a rate."""
    if amount is None:
        return "-"
    text = f"Rp {amount:,}"
    return text.replace(",", ".") if language() == "id" else text


def files_written(rows: Sequence[tuple[str, str, int]]) -> None:
    """(file, agency, participants) per file written."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column(_("File"), overflow="fold", ratio=2)
    table.add_column(_("Agency"), overflow="fold", ratio=2)
    table.add_column(_("Participants"), justify="right", no_wrap=True)
    for path, agency, count in rows:
        table.add_row(Text(path), Text(agency), str(count))
    out().print(table)


def ranking(cohort: Cohort, ranked: Sequence[Ranked]) -> None:
    console = out()
    if not ranked:
        console.print(Text(_("{cohort}: nobody passed, so nobody is ranked").format(
            cohort=cohort.id)))  # fmt: skip
        return
    table = cohort_table(_("Ranking"), cohort)
    table.add_column(_("Rank"), no_wrap=True)
    table.add_column(_("NDH"), justify="right", no_wrap=True)
    table.add_column(_("Name"), ratio=3, min_width=12, overflow="fold")
    if console.width >= 90:
        table.add_column(_("NIP"), no_wrap=True)
    table.add_column(_("Final"), justify="right", no_wrap=True)
    table.add_column(_("Att."), justify="right", no_wrap=True)
    table.add_column(_("Predicate"), ratio=1, min_width=9)
    for r in ranked:
        rank = str(r.rank) + (" " + _("(shared)") if r.shared else "")
        table.add_row(
            rank,
            str(r.result.ndh),
            Text(r.result.name),
            *([r.result.nip] if console.width >= 90 else []),
            number(r.result.final_score, 2),
            percent(r.result.attendance_pct),
            Text(r.result.predicate or "-"),
        )
    console.print(table)
    if any(r.shared for r in ranked):
        console.print(Text(_("Equal final score and attendance share a rank."), style="dim"))


def facilitators(cohort: Cohort, pay: Honorarium) -> None:
    console = out()
    table = cohort_table(_("Facilitators"), cohort, show_footer=True)
    # From 100 columns, one column each; below, the sessions go under the name and the JP in
    # one column (live · self-study · paid), so that the amount is never the cut column.
    wide = console.width >= 100
    table.add_column(_("Facilitator"), ratio=1, min_width=12, overflow="fold", footer=_("Total"))
    if wide:
        table.add_column(_("Sessions"), no_wrap=True)
        for header, footer in (
            (_("Live"), pay.jp_live),
            (_("Self-study"), pay.jp_self_study),
            (_("Paid JP"), pay.jp_honorarium),
        ):
            table.add_column(header, justify="right", no_wrap=True, footer=str(footer))
        table.add_column(_("Rate/JP"), justify="right", no_wrap=True)
    else:
        # The header may wrap (it is longer in Indonesian); the numbers are never cut.
        table.add_column(
            _("JP live · self · paid"),
            justify="right",
            min_width=11,
            footer=f"{pay.jp_live} · {pay.jp_self_study} · {pay.jp_honorarium}",
        )
    table.add_column(
        _("Amount"), justify="right", no_wrap=True, min_width=15, footer=money(pay.amount)
    )
    for f in pay.facilitators:
        who = Text(f.name)
        who.append(f"\n{f.id} · {f.role}" + (" · " + _("internal") if f.internal else ""),
                   style="dim")  # fmt: skip
        sessions = "\n".join(f"{s.number:>2} · {s.date:%d-%m-%Y}" for s in f.sessions) or "-"
        if wide:
            table.add_row(
                who,
                sessions,
                str(f.jp_live),
                str(f.jp_self_study),
                str(f.jp_honorarium),
                money(f.rate_per_jp),
                money(f.amount),
            )
            continue
        who.append("\n" + sessions, style="dim")
        amount = Text(money(f.amount))
        amount.append(f"\n{money(f.rate_per_jp)}/JP", style="dim")
        table.add_row(who, f"{f.jp_live} · {f.jp_self_study} · {f.jp_honorarium}", amount)
    console.print(table)
    if pay.unpriced:
        console.print(
            Text(
                _("No rate_per_jp for {ids}: the total leaves them out").format(
                    ids=", ".join(pay.unpriced)
                ),
                style="yellow",
            )
        )
