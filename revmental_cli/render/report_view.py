"""The completion report: who passed, was deferred or did not pass, and why.

Takes the assessed participants and their summary as arguments (the rules are the domain's);
must never import the store or open it. CSV and XLSX copies are output.py's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Group
from rich.panel import Panel
from rich.table import Table

from revmental_cli.i18n import _, localize, number, percent
from revmental_cli.render.cohort_view import cohort_heading
from revmental_cli.render.console import LONG_TABLE, out
from revmental_cli.render.labels import OUTCOME_STATUS
from revmental_cli.render.safe import Text

if TYPE_CHECKING:
    from revmental_cli.domain.cohort import Cohort


STATUS_STYLE = {"passed": "green", "deferred": "yellow", "not_passed": "red"}
STATUS_LABEL = OUTCOME_STATUS  # the name render exports


def completion(
    cohort: Cohort, assessed: Sequence[Any], summary: dict[str, int], *, sessions_ahead: int
) -> None:
    if sum(1 for a in assessed if not a.withdrawn) >= LONG_TABLE:
        from revmental_cli.render.long_table import paged

        with paged():
            _completion(cohort, assessed, summary, sessions_ahead=sessions_ahead)
    else:
        _completion(cohort, assessed, summary, sessions_ahead=sessions_ahead)


def _completion(
    cohort: Cohort, assessed: Sequence[Any], summary: dict[str, int], *, sessions_ahead: int
) -> None:
    console = out()
    if sessions_ahead:
        console.print(
            Text(
                _(
                    "Note: {count} session(s) of {cohort} are still in the future; "
                    "this report is provisional."
                ).format(count=sessions_ahead, cohort=cohort.id),
                style="yellow",
            )
        )
    keys = [c.key for c in cohort.completion.components]
    # Narrower terminals drop columns, the least needed first, and never the status or the
    # reasons: NIP and component scores below 110 columns, the predicate below 90, the
    # attendance below 70 (--json and --format xlsx always have everything).
    width = console.width
    wide = width >= 110 + 8 * len(keys)
    with_predicate, with_attendance = width >= 90, width >= 70
    labels = [_(label) for label in STATUS_LABEL.values()]
    title = Text.assemble(_("Completion"), " · ", cohort_heading(cohort))
    shown = [a for a in assessed if not a.withdrawn]
    if len(shown) >= LONG_TABLE:
        from revmental_cli.render.long_table import Column, stream

        columns = [
            Column(_("NDH"), right=True),
            Column(_("Name"), wrap=True, min_width=12, ratio=3),
            *([Column(_("NIP"))] if wide else []),
            *([Column(_("Att."), right=True)] if with_attendance else []),
            *([Column(key, right=True) for key in keys] if wide else []),
            Column(_("Final"), right=True),
            *([Column(_("Predicate"), wrap=True, min_width=9, ratio=1)] if with_predicate else []),
            Column(_("Status"), min_width=max(len(w) for w in labels)),
            Column(_("Reasons"), wrap=True, min_width=12, ratio=2),
        ]
        status_words = {status: _(label) for status, label in STATUS_LABEL.items()}
        rows = []
        for a in shown:
            o = a.outcome
            rows.append(
                [
                    str(a.ndh),
                    a.name,
                    *([a.nip] if wide else []),
                    *([percent(a.attendance.pct)] if with_attendance else []),
                    *(
                        [("-" if a.scores[k] is None else number(a.scores[k], None)) for k in keys]
                        if wide
                        else []
                    ),
                    number(o.final, 2),
                    *([o.predicate or "-"] if with_predicate else []),
                    status_words[o.status],
                    "; ".join(localize(reason) for reason in o.reasons),
                ]
            )
        stream(title.plain, columns, rows)
    else:
        _table(title, keys, shown, wide, with_predicate, with_attendance, labels)
    _summary(assessed, summary, wide)


def _table(
    title: Text,
    keys: list[str],
    shown: Sequence[Any],
    wide: bool,
    with_predicate: bool,
    with_attendance: bool,
    labels: list[str],
) -> None:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column(_("NDH"), justify="right", no_wrap=True)
    table.add_column(_("Name"), ratio=3, min_width=12, overflow="fold")
    if wide:
        table.add_column(_("NIP"), no_wrap=True)
    if with_attendance:
        table.add_column(_("Att."), justify="right", no_wrap=True)
    if wide:
        for key in keys:
            table.add_column(key, justify="right", no_wrap=True)
    table.add_column(_("Final"), justify="right", no_wrap=True)
    if with_predicate:
        table.add_column(_("Predicate"), ratio=1, min_width=9)
    table.add_column(_("Status"), no_wrap=True, min_width=max(len(w) for w in labels))
    table.add_column(_("Reasons"), ratio=2, min_width=12, overflow="fold")
    for a in shown:
        o = a.outcome
        scores = [("-" if a.scores[k] is None else number(a.scores[k], None)) for k in keys]
        # The status is a word, not only a colour, so it survives NO_COLOR and printing.
        table.add_row(
            str(a.ndh),
            Text(a.name),
            *([a.nip] if wide else []),
            *([percent(a.attendance.pct)] if with_attendance else []),
            *(scores if wide else []),
            number(o.final, 2),
            *([Text(o.predicate or "-")] if with_predicate else []),
            Text(_(STATUS_LABEL[o.status]), style=STATUS_STYLE[o.status]),
            Text("; ".join(localize(reason) for reason in o.reasons)),
        )
    out().print(table)


def _summary(assessed: Sequence[Any], summary: dict[str, int], wide: bool) -> None:
    console = out()
    withdrawn = [a for a in assessed if a.withdrawn]
    line = Text.assemble(
        (_("{count} passed").format(count=summary["passed"]), "green"),
        ", ",
        (_("{count} deferred").format(count=summary["deferred"]), "yellow"),
        ", ",
        (_("{count} not passed").format(count=summary["not_passed"]), "red"),
        _(" of {total}").format(total=sum(summary.values())),
    )
    if withdrawn:
        line.append(_(" ({count} withdrawn, not counted)").format(count=len(withdrawn)))
    bands: dict[str, int] = {}
    for a in assessed:
        if not a.withdrawn and a.outcome.status == "passed" and a.outcome.predicate:
            bands[a.outcome.predicate] = bands.get(a.outcome.predicate, 0) + 1
    parts: list[Any] = [line]
    if bands:
        parts.append(
            Text(
                _("Predicates of those who passed: ")
                + ", ".join(f"{k} {v}" for k, v in bands.items())
            )
        )
    if not wide:
        parts.append(
            Text(
                _("NIPs and component scores: a wider terminal, --json or --format xlsx"),
                style="dim",
            )
        )
    console.print(Panel(Group(*parts), title=_("Summary"), title_align="left", expand=False))
