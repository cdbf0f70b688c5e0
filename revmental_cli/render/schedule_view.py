"""The schedule table: a cohort's sessions grouped by day, with each day's JP.

Takes the validated ``Cohort`` as its argument; must never import the store or open it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from rich import box
from rich.table import Table

from revmental_cli.i18n import _, language, long_date, short_date
from revmental_cli.render.cohort_view import cohort_heading
from revmental_cli.render.console import out
from revmental_cli.render.safe import Text

if TYPE_CHECKING:
    from revmental_cli.domain.cohort import Cohort


def schedule(cohort: Cohort) -> None:
    table = Table(
        title=Text.assemble(_("Schedule"), " · ", cohort_heading(cohort)),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column(_("Time"), no_wrap=True)
    table.add_column(_("JP"), justify="right", no_wrap=True)
    table.add_column(_("Session"), ratio=3, min_width=20)
    table.add_column(_("Facilitator"), ratio=2, min_width=12)
    table.add_column(_("Kind"), no_wrap=True)
    by_day: dict[dt.date, list[Any]] = {}
    for s in cohort.sessions:
        by_day.setdefault(s.date, []).append(s)
    for day, sessions in by_day.items():
        day_jp = sum(s.jp for s in sessions)
        # The day heads its group; its JP total sits in the JP column, in bold.
        table.add_row(
            "",
            "",
            Text(str(day_jp), style="bold"),
            # English keeps the compact "Wed 29 Sep 2021"; Indonesian schedules spell the day
            # out, as "Rabu, 29 September 2021".
            Text(short_date(day) if language() == "en" else long_date(day), style="bold"),
            "",
            "",
        )
        for i, s in enumerate(sessions):
            f = cohort.facilitator(s.facilitator)
            table.add_row(
                str(s.number),
                f"{s.start:%H:%M}-{s.end:%H:%M}",
                str(s.jp),
                Text(s.title),
                Text(f.name if f else ""),
                s.kind,
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
