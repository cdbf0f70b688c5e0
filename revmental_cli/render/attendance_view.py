"""Attendance: one session's import and records, and the cohort's attendance matrix.

Owns the status colours and letters. Takes the records as arguments (the JP percentage is the
domain's rule); must never import the store or open it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from revmental_cli.i18n import N_, _, localize, number, percent
from revmental_cli.render.cohort_view import cohort_heading
from revmental_cli.render.console import out
from revmental_cli.render.labels import ATT_LABEL, MATCHED_BY, SOURCE, word
from revmental_cli.render.safe import Text

if TYPE_CHECKING:
    from rich.table import Table

    from revmental_cli.domain.cohort import Cohort

ATT_STYLE = {
    "present": "green",
    "late": "yellow",
    "excused": "cyan",
    "sick": "cyan",
    "absent": "red",
}
# One letter per status for the matrix; a legend prints under it, so meaning survives NO_COLOR.
# Indonesian: H hadir, T terlambat, I izin, S sakit, A alpa.
ATT_LETTER = {
    "present": N_("P"),
    "late": N_("L"),
    "excused": N_("E"),
    "sick": N_("S"),
    "absent": N_("A"),
}


LONG_TABLE = 60  # participants; a cohort is about 25


def _session_title(cohort: Cohort, session: Any) -> Text:
    return Text.assemble(
        _("Attendance"),
        " · ",
        cohort_heading(cohort),
        " · ",
        _("session {number}, {date} {start}").format(
            number=session.number, date=session.date, start=f"{session.start:%H:%M}"
        ),
    )


def _session_table(cohort: Cohort, session: Any) -> Table:
    """The start every per-session attendance table shares: title, NDH, name, status, minutes."""
    # Imported here: a large session's import streams its rows and draws no Rich table.
    from rich import box
    from rich.table import Table

    table = Table(
        title=_session_title(cohort, session),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column(_("NDH"), justify="right", no_wrap=True)
    table.add_column(_("Name"), ratio=3, min_width=14)
    # The widest status word of the language: a status is never cut.
    table.add_column(
        _("Status"), no_wrap=True, min_width=max(len(word(ATT_LABEL, s)) for s in ATT_LABEL)
    )
    table.add_column(_("Min."), justify="right", no_wrap=True, min_width=5)
    return table


def _minutes(value: float | None) -> str:
    # One decimal always (168.4, 180.0): a column of minutes lines up on its decimal point.
    return "" if value is None else number(value, 1)


def attendance_import(cohort: Cohort, session: Any, data: dict[str, Any], *, dry_run: bool) -> None:
    console = out()
    # Below 80 columns how a row was matched goes, below 70 the first join too (--json has
    # both): the name must keep its room.
    width = console.width
    with_first, with_match = width >= 70, width >= 80
    shown = data["participants"]
    # A large session: list only who was not simply present, and at most LONG_TABLE of them;
    # a table of thousands of rows hides the exceptions and takes longer to draw than the
    # import takes to run (`attendance show` and --json give everyone).
    large = len(shown) > LONG_TABLE
    if large:
        shown = [p for p in shown if p["status"] != "present"]
    not_present = len(shown)
    shown = shown[:LONG_TABLE]
    rows = [
        [
            str(p["ndh"]),
            p["name"],
            p["status"],
            _minutes(p["minutes"]),
            *([(p["first_join"] or "")[11:16]] if with_first else []),
            *([word(MATCHED_BY, p["matched_by"])] if with_match else []),
        ]
        for p in shown
    ]
    if large:
        # Streamed as plain fixed-width text (long_table.py): the same columns and words, and
        # a fraction of the time Rich takes to lay out sixty rows, which was a tenth of
        # importing a webinar's 5,000-row report.
        _stream_import(cohort, session, rows, with_first=with_first, with_match=with_match)
    else:
        table = _session_table(cohort, session)
        if with_first:
            table.add_column(_("First join"), no_wrap=True)
        if with_match:
            table.add_column(_("Matched by"), no_wrap=True)
        for ndh, name, status, *rest in rows:
            table.add_row(
                ndh,
                Text(name),
                Text(word(ATT_LABEL, status), style=ATT_STYLE[status]),
                *rest,
            )
        console.print(table)
    merged = len(data.get("files", ())) > 1
    if merged:
        console.print(
            Text(
                _("{count} reports merged into session {session}: {files}").format(
                    count=len(data["files"]), session=session.number, files=", ".join(data["files"])
                ),
                style="dim",
            )
        )
    if not_present < len(data["participants"]):
        console.print(
            Text(
                _(
                    "{count} participants who were present are not listed; "
                    "`revmental attendance show --session {session}` lists everyone"
                ).format(count=len(data["participants"]) - not_present, session=session.number),
                style="dim",
            )
        )
    if len(shown) < not_present:
        console.print(
            Text(
                _("{count} more who were not present are not listed").format(
                    count=not_present - len(shown)
                ),
                style="dim",
            )
        )
    summary = data["summary"]
    console.print(Text(", ".join(f"{v} {word(ATT_LABEL, k)}" for k, v in summary.items() if v)))
    if data["unmatched"]:
        console.print(
            Text(
                _(
                    "{count} report row(s) matched nobody (not guessed; mark them with "
                    "`revmental attendance mark` if needed):"
                ).format(count=len(data["unmatched"])),
                style="yellow",
            )
        )
        for u in data["unmatched"]:
            who = ", ".join(f"{c['name']} ({c['nip']})" for c in u["candidates"])
            console.print(
                Text(
                    "  "
                    # Lines of merged reports repeat: say whose line it is.
                    + (f"{u['file']}: " if merged and u.get("file") else "")
                    + _("line {line}").format(line=u["line"])
                    + f": {u['name']}"
                    + (f" <{u['email']}>" if u["email"] else "")
                    # One line per name: how many rows of the report carried it.
                    + (_(" ({count} rows)").format(count=u["rows"]) if u.get("rows", 1) > 1 else "")
                    + f" [{localize(u['reason'])}]"
                    + (_(" - maybe: {who}").format(who=who) if who else "")
                )
            )
    if data["host"]:
        console.print(
            Text(
                _("host (not a participant): {names}").format(names=", ".join(data["host"])),
                style="dim",
            )
        )
    if data["kept_manual"]:
        console.print(
            Text(
                _("{count} manual mark(s) kept (--overwrite replaces them)").format(
                    count=data["kept_manual"]
                ),
                style="dim",
            )
        )
    if dry_run:
        console.print(Text(_("dry run: nothing was written"), style="dim"))


def _stream_import(
    cohort: Cohort,
    session: Any,
    rows: list[list[str]],
    *,
    with_first: bool,
    with_match: bool,
) -> None:
    """The columns of _session_table and attendance_import's, streamed (long_table.py)."""
    from revmental_cli.render.long_table import Column, stream

    columns = [
        Column(_("NDH"), right=True),
        Column(_("Name"), wrap=True, min_width=14, ratio=3),
        Column(_("Status"), min_width=max(len(word(ATT_LABEL, s)) for s in ATT_LABEL)),
        Column(_("Min."), right=True, min_width=5),
        *([Column(_("First join"))] if with_first else []),
        *([Column(_("Matched by"))] if with_match else []),
    ]
    for row in rows:
        row[2] = word(ATT_LABEL, row[2])
    stream(_session_title(cohort, session).plain, columns, rows)


def attendance_session(cohort: Cohort, session: Any, records: Sequence[Any]) -> None:
    table = _session_table(cohort, session)
    table.add_column(_("Source"), no_wrap=True)
    table.add_column(_("Note"), ratio=1)
    for r in records:
        table.add_row(
            str(r.ndh),
            Text(r.name),
            Text(word(ATT_LABEL, r.status), style=ATT_STYLE[r.status]),
            _minutes(r.minutes),
            word(SOURCE, r.source),
            Text(r.note or ""),
        )
    out().print(table)
    if not records:
        out().print(
            Text(
                _("nothing recorded for session {number} yet").format(number=session.number),
                style="dim",
            )
        )


def attendance_matrix(cohort: Cohort, people: Sequence[Any], records: Sequence[Any]) -> None:
    from rich import box
    from rich.table import Table

    from revmental_cli.domain.completion import attendance_summary

    by_person: dict[str, dict[int, str]] = {}
    for r in records:
        by_person.setdefault(r.nip, {})[r.session] = r.status
    # One letter per session: with many sessions, or at 60 columns, a cell of one character
    # and a padding of one keep the name and the JP % in view.
    # Tight: no padding, only the box's one-space divider between letters (not three), which
    # at 60 columns and 11 sessions gives the name twice the room and the JP % its own.
    tight = out().width < 40 + 4 * len(cohort.sessions)
    table = Table(
        title=Text.assemble(_("Attendance"), " · ", cohort_heading(cohort)),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        padding=0 if tight else (0, 1),
    )
    table.add_column(_("NDH"), justify="right", no_wrap=True)
    # As wide as the longest word of a name (up to 16), so names wrap between words; fold
    # only cuts a word longer than that.
    table.add_column(
        _("Name"), ratio=1, min_width=_longest_word(p.name for p in people), overflow="fold"
    )
    for s in cohort.sessions:
        table.add_column(str(s.number), justify="center", no_wrap=True)
    table.add_column(_("JP %"), justify="right", no_wrap=True, min_width=6)
    for p in people:
        if p.status != "enrolled":
            continue
        own = by_person.get(p.nip, {})
        cells = [
            Text(_(ATT_LETTER[own[s.number]]), style=ATT_STYLE[own[s.number]])
            if s.number in own
            else Text("·", style="dim")
            for s in cohort.sessions
        ]
        summary = attendance_summary(cohort.sessions, own, cohort.attendance.counts_as_attended)
        table.add_row(str(p.ndh), Text(p.name), *cells, percent(summary.pct))
    out().print(table)
    out().print(
        Text(
            _(
                "P present, L late, E excused, S sick, A absent, · not recorded; "
                "JP % = JP attended ({attended}) of all JP"
            ).format(
                attended=", ".join(word(ATT_LABEL, s) for s in cohort.attendance.counts_as_attended)
            ),
            style="dim",
        )
    )


def _longest_word(names: Iterable[str], floor: int = 10, ceiling: int = 16) -> int:
    longest = max((len(w) for name in names for w in str(name).split()), default=0)
    return min(max(longest, floor), ceiling)
