"""schedule: the cohort's sessions, day by day."""

from __future__ import annotations

from revmental_cli.commands import noun_app, options
from revmental_cli.context import cohort_for, open_store

app = noun_app("schedule")


@app.command("show")
def show(cohort_id: str | None = options.COHORT, json_: bool = options.JSON) -> None:
    """Show the sessions grouped by day, with JP per day and in total.

    Example:

        revmental schedule show --cohort PRM-2021-II
    """
    from revmental_cli import render

    with open_store("schedule show") as store:
        cohort = cohort_for(store, cohort_id).cohort
    if json_:
        render.emit_json(
            [
                {
                    "session": s.number,
                    "date": s.date.isoformat(),
                    "start": f"{s.start:%H:%M}",
                    "end": f"{s.end:%H:%M}",
                    "jp": s.jp,
                    "title": s.title,
                    "facilitator": (f.name if (f := cohort.facilitator(s.facilitator)) else None),
                    "kind": s.kind,
                }
                for s in cohort.sessions
            ]
        )
        return
    render.schedule(cohort)
