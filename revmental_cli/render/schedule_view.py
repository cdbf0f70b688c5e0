"""The schedule table: a cohort's sessions grouped by day, with each day's JP.

Takes the validated ``Cohort`` as its argument; must never import the store or open it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from revmental_cli.i18n import _, language, long_date, short_date
from revmental_cli.render.cohort_view import cohort_table
from revmental_cli.render.console import out
from revmental_cli.render.safe import Text

if TYPE_CHECKING:
    from revmental_cli.domain.cohort import Cohort


def schedule(cohort: Cohort) -> None:
    table = cohort_table(_("Schedule"), cohort)
    # Below 80 columns the kind goes under the time (its column would push the day out of
    # the session column); below 70 Indonesian days are written short too ("Rab 29 Sep
    # 2021"), so a day heading is never broken over two lines.
    width = out().width
    kind_column = width >= 80
    long_days = language() == "id" and width >= 70
    by_day: dict[dt.date, list[Any]] = {}
    for s in cohort.sessions:
        by_day.setdefault(s.date, []).append(s)
    days = {day: long_date(day) if long_days else short_date(day) for day in by_day}
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column(_("Time"), no_wrap=True)
    table.add_column(_("JP"), justify="right", no_wrap=True)
    session_min = max([16, *(len(d) for d in days.values())])
    kind_width = max(len(s.kind) for s in cohort.sessions) if kind_column else 0
    # Rich shrinks a table too wide for the terminal by cropping its last column: the
    # facilitator is given at most what the others leave (each column's padding of 2, the
    # box's dividers and edges), so the kind and the day stay whole.
    columns = 6 if kind_column else 5
    facilitator_max = width - (2 + 11 + 2 + session_min + kind_width) - 3 * columns - 1
    table.add_column(_("Session"), ratio=3, min_width=session_min)
    table.add_column(
        _("Facilitator"), ratio=2, min_width=12, max_width=max(12, facilitator_max)
    )  # 12: "Kartikasari,"
    if kind_column:
        table.add_column(_("Kind"), no_wrap=True, min_width=kind_width)
    for day, sessions in by_day.items():
        day_jp = sum(s.jp for s in sessions)
        # The day heads its group; its JP total sits in the JP column, in bold.
        table.add_row(
            "",
            "",
            Text(str(day_jp), style="bold"),
            Text(days[day], style="bold", no_wrap=True),
            "",
            *([""] if kind_column else []),
        )
        for i, s in enumerate(sessions):
            f = cohort.facilitator(s.facilitator)
            time = f"{s.start:%H:%M}-{s.end:%H:%M}"
            table.add_row(
                str(s.number),
                time if kind_column else Text.assemble(time, "\n", (s.kind, "dim")),
                str(s.jp),
                Text(s.title),
                Text(f.name if f else ""),
                *([Text(s.kind)] if kind_column else []),
                end_section=i == len(sessions) - 1,
            )
    out().print(table)
    out().print(
        Text(
            _(
                "{sessions} sessions over {days} days, {jp} JP in total (1 JP = {minutes} min)"
            ).format(
                sessions=len(cohort.sessions),
                days=len(by_day),
                jp=cohort.jp_total,
                minutes=cohort.jp_minutes,
            )
        )
    )
