"""All output. The only module that owns a Console.

Data goes to stdout, messages to stderr. Data from files (names, titles) is always rendered as
``Text`` so that Rich never reads ``[...]`` in it as markup (pitfalls.md). JSON bypasses Rich
entirely: Rich would wrap it at 80 columns when piped.

Language (i18n.py): every word a person reads here goes through ``_()``; status words are
translated for tables only, the data itself (JSON, CSV/XLSX column names and values) stays
English. English messages made elsewhere on purpose (the store's errors, completion reasons,
attendance match reasons) are translated for display with ``localize``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from revmental_cli.domain.numerals import roman
from revmental_cli.i18n import N_, _, language, localize, long_date, short_date

if TYPE_CHECKING:
    from revmental_cli.domain.cohort import Cohort
    from revmental_cli.errors import Problem
    from revmental_cli.store import CohortRow, CohortSummary

# Status words as tables show them; the codes (JSON values) stay English.
ATT_LABEL = {
    "present": N_("present"),
    "late": N_("late"),
    "excused": N_("excused"),
    "sick": N_("sick"),
    "absent": N_("absent"),
}
COHORT_STATUS = {"open": N_("open"), "closed": N_("closed")}
ENROLMENT_STATUS = {"enrolled": N_("enrolled"), "withdrawn": N_("withdrawn")}
# How an import matched a participant to a report row (a JSON value, ``matched_by``).
MATCHED_BY = {
    "email": N_("email"),
    "nip": N_("nip"),
    "ndh": N_("ndh"),
    "name": N_("name"),
    "missing": N_("missing"),
    "sheet": N_("sheet"),
    "manual (kept)": N_("manual (kept)"),
}
SOURCE = {"import": N_("import"), "manual": N_("manual")}


def word(table: dict[str, str], code: str) -> str:
    """A code's display word in the user's language; an unknown code as it is."""
    return _(table[code]) if code in table else code


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # Rich exits 1 here, the contract's "wrong input". A closed stderr (`... 2>&1 | head`)
        # must not stop the work at all: messages go quiet and the command goes on. A closed
        # stdout (`revmental roster show | head`) means the reader has what it wanted; tables
        # are printed after the commit, so end quietly with 0.
        self.quiet = True
        stream = sys.stderr if self.stderr else sys.stdout
        with contextlib.suppress(OSError, ValueError, AttributeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, stream.fileno())
        if not self.stderr:
            raise SystemExit(0)


@cache
def out() -> Console:
    # emoji=False: a ':' pair in a name or title is text, not an emoji code (and Rich then
    # never loads its emoji table, a millisecond and a half of every run).
    return _Console(highlight=False, emoji=False)


@cache
def err() -> Console:
    return _Console(stderr=True, highlight=False, emoji=False)


# --- machine output -------------------------------------------------------------------------


def emit_json(data: Any) -> None:
    import json

    # Indented for a person at a terminal; compact for a program or a file, because only the
    # compact form uses json's C encoder (a 5,000-participant report: 0.25 s -> 0.03 s).
    indent = 2 if _is_terminal(sys.stdout) else None
    text = json.dumps(data, ensure_ascii=False, indent=indent) + "\n"
    # UTF-8 bytes whatever the console's code page, so `> file.json` is valid JSON on Windows too.
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None:
        sys.stdout.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    else:
        sys.stdout.write(text)


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False


# --- messages -------------------------------------------------------------------------------


def error(message: str, hint: str | None = None, problems: Sequence[Problem] = ()) -> None:
    console = err()
    # soft_wrap: a message is one line however narrow the terminal, so it can be grepped.
    console.print(Text.assemble((_("error: "), "bold red"), localize(message)), soft_wrap=True)
    for problem in problems:
        console.print(Text("  " + problem_text(problem)), soft_wrap=True)
        if problem.hint:
            console.print(
                Text("      " + _("hint: ") + localize(problem.hint), style="dim"), soft_wrap=True
            )
    if hint:
        console.print(Text.assemble((_("hint: "), "yellow"), localize(hint)), soft_wrap=True)


def problem_text(problem: Problem) -> str:
    """``file: line N: field: message`` in the user's language (the field as written)."""
    parts = []
    if problem.file:
        parts.append(problem.file)
    if problem.line is not None:
        parts.append(_("line {line}").format(line=problem.line))
    if problem.field:
        parts.append(problem.field)
    parts.append(localize(problem.message))
    return ": ".join(parts)


def warnings(items: Iterable[Problem]) -> None:
    for problem in items:
        line = Text.assemble((_("warning: "), "yellow"), problem_text(problem))
        err().print(line, soft_wrap=True)
        if problem.hint:
            err().print(Text("    " + _("hint: ") + problem.hint, style="dim"), soft_wrap=True)


def info(message: str) -> None:
    err().print(Text(message), soft_wrap=True)


def success(message: str) -> None:
    err().print(Text.assemble(("✓ " if _unicode() else "OK ", "green"), message), soft_wrap=True)


def _unicode() -> bool:
    return (err().encoding or "").lower().startswith("utf")


# --- cohorts ------------------------------------------------------------------------------------


def cohort_heading(cohort: Cohort) -> Text:
    return Text.assemble(
        (cohort.id, "bold"), "  ", f"{cohort.programme_code} {cohort.angkatan_label} {cohort.year}"
    )


def cohort_list(rows: Sequence[CohortSummary], current: str | None) -> None:
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
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim")
    facts.add_column()
    facts.add_row(_("Programme"), Text(f"{c.programme_name} ({c.programme_code})"))
    facts.add_row(_("Angkatan"), Text(f"{c.angkatan_label}, {c.year}"))
    facts.add_row(_("Organiser"), Text(c.organiser))
    facts.add_row(_("Mode"), c.mode)
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
        people.add_row(Text(f.id), Text(f.name), f.role)

    a = c.attendance
    rules = Table.grid(padding=(0, 2))
    rules.add_column(style="dim")
    rules.add_column()
    rules.add_row(
        _("Present when"),
        _("≥ {pct}% of a session's minutes").format(pct=f"{a.present_min_pct:g}"),
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
        _("Min. attendance"), _("{pct}% of JP").format(pct=f"{comp.min_attendance_pct:g}")
    )
    rules.add_row(_("Pass score"), f"{comp.pass_score:g}")
    rules.add_row(_("Deferred from"), f"{comp.defer_min_score:g}")
    rules.add_row(_("Certificate no."), Text(c.certificate.number_format))

    components = Table(title=_("Score components"), title_justify="left", show_edge=False)
    components.add_column(_("Key"))
    components.add_column(_("Name"))
    components.add_column(_("Weight"), justify="right")
    components.add_column(_("Required"))
    for k in comp.components:
        components.add_row(
            Text(k.key), Text(k.name), f"{k.weight:g}%", _("yes") if k.required else ""
        )
    bands = Table(title=_("Predicates"), title_justify="left", show_edge=False)
    bands.add_column(_("From"), justify="right")
    bands.add_column(_("Predicate"))
    for p in comp.predicates:
        bands.add_row(f"{p.min:g}", Text(p.label))

    parts: list[Any] = [facts]
    if c.facilitators:
        parts += [Text(""), people]
    parts += [Text(""), Text(_("Rules"), style="bold"), rules, Text(""), components]
    parts += [Text(""), bands]
    out().print(Panel(Group(*parts), title=cohort_heading(c), title_align="left", expand=False))


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


def changes(cohort_id: str, lines: Sequence[str]) -> None:
    err().print(Text(_("Changes to {cohort}:").format(cohort=cohort_id), style="bold"))
    for line in lines:
        line = localize(line)  # made in English: the history records the same lines
        err().print(Text(f"  • {line}" if _unicode() else f"  - {line}"))


def plain_lines(lines: Iterable[str]) -> None:
    for line in lines:
        out().print(Text(line))


def history(rows: Sequence[dict[str, Any]]) -> None:
    # The file is why the history exists (which list, which report): it wraps, never cut. The
    # time to the minute and the command without "revmental " leave it the room.
    # Below 80 columns the user goes (--json has it).
    with_user = out().width >= 80
    table = Table(title=_("History"), title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column(_("When"), min_width=10)
    if with_user:
        table.add_column(_("User"), overflow="fold")
    table.add_column(_("Command"), min_width=8)
    table.add_column(_("What"), ratio=3, min_width=12, overflow="fold")
    table.add_column(_("File"), ratio=2, min_width=12, overflow="fold")
    for r in rows:
        table.add_row(
            r["at"][:16].replace("T", " "),
            *([Text(r["user"])] if with_user else []),
            Text(r["command"].removeprefix("revmental ")),
            Text(r["summary"]),
            Text(r["file"] or ""),
        )
    out().print(table)


def warning(message: str) -> None:
    err().print(Text.assemble((_("warning: "), "yellow"), message), soft_wrap=True)


def hint(message: str) -> None:
    err().print(Text.assemble((_("hint: "), "yellow"), message), soft_wrap=True)


def plain_errors(lines: Iterable[str]) -> None:
    for line in lines:
        err().print(Text("  " + localize(line)), soft_wrap=True)


@contextlib.contextmanager
def progress(label: str, after: int) -> Iterator[Callable[[], None]]:
    """A row counter on a terminal once ``after`` rows have gone by; silent when piped."""
    console = err()
    if not console.is_terminal:
        yield lambda: None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    bar = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn(_("{task.completed:,} rows")),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    task = bar.add_task(label, total=None)
    count = 0
    started = False

    def tick() -> None:
        nonlocal count, started
        count += 1
        if count % 1000 == 0:
            if not started and count >= after:
                bar.start()
                started = True
            if started:
                bar.update(task, completed=count)

    try:
        yield tick
    finally:
        if started:
            bar.stop()


# --- spreadsheets ----------------------------------------------------------------------------

# Windows opens descriptors in text mode unless told otherwise, which would turn every \n of
# an .xlsx (a zip) into \r\n; POSIX has no such flag.
_BINARY = getattr(os, "O_BINARY", 0)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def guard(value: Any) -> Any:
    """Neutralise text a spreadsheet would run as a formula (CWE-1236); numbers untouched."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


@contextlib.contextmanager
def private_output(path: Path, mode: str = "wb", **how: Any) -> Iterator[Any]:
    """An export file written whole or not at all, readable only by its owner (0600).

    The data goes to a temporary file beside ``path`` that replaces it only once complete:
    a full disk or an error halfway leaves no empty or half file, and an existing file
    keeps its content. The store itself is never a destination (an export over it would
    destroy every cohort)."""
    from revmental_cli.context import db_path
    from revmental_cli.errors import InputError, UsageError
    from revmental_cli.store import make_private

    if path.exists() and path.resolve() in _store_files(db_path()):
        raise UsageError(
            _("{path} is the store itself; an export there would destroy it").format(path=path),
            hint=_("name another file, e.g. --output kelulusan.xlsx"),
        )
    if path.is_dir():
        raise InputError(_("{path} is a folder").format(path=path), hint=_("name a file inside it"))
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o600)
        with os.fdopen(fd, mode, **how) as handle:
            yield handle
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise InputError(
            _("cannot write {path} ({reason})").format(path=path, reason=exc.strerror or exc)
        ) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    make_private(path)


def _store_files(store: Path) -> set[Path]:
    store = store.resolve()
    return {store, *(store.with_name(store.name + tail) for tail in ("-wal", "-shm", "-journal"))}


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """A CSV file for Excel: UTF-8 with BOM (so Excel reads accents right), private (0600)."""
    import csv

    with private_output(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([guard(c) for c in columns])
        for row in rows:
            writer.writerow([guard(v) for v in row])


def csv_stdout(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([guard(c) for c in columns])
    for row in rows:
        writer.writerow(["" if v is None else guard(v) for v in row])
    data = buffer.getvalue()
    raw = getattr(sys.stdout, "buffer", None)
    if raw is not None:
        sys.stdout.flush()
        raw.write(data.encode("utf-8"))
        raw.flush()
    else:
        sys.stdout.write(data)


# --- roster --------------------------------------------------------------------------------------


def roster_import(cohort_id: str, source: str, outcome: Any, *, dry_run: bool) -> None:
    would = dry_run or not outcome.written
    table = Table(
        title=Text.assemble(_("Roster import"), " · ", (cohort_id, "bold")),
        caption=Text(source),
        caption_justify="left",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
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
    table = Table(
        title=Text.assemble(_("Roster"), " · ", cohort_heading(cohort)),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    # NIP and status must never be cut: on a narrow terminal the agency goes first, then
    # the golongan, and the name wraps.
    width = out().width
    show_agency, show_gol = width >= 90, width >= 70
    table.add_column(_("NDH"), justify="right", no_wrap=True)
    table.add_column(_("Name"), ratio=3, min_width=10)
    table.add_column(_("NIP"), no_wrap=True, min_width=18)
    if show_gol:
        table.add_column(_("Gol."), no_wrap=True)
    if show_agency:
        table.add_column(_("Agency"), ratio=2, min_width=10)
    table.add_column(_("Status"), no_wrap=True, min_width=9)
    enrolled = 0
    for p in people:
        active = p.status == "enrolled"
        enrolled += active
        table.add_row(
            str(p.ndh),
            Text(p.name),
            p.nip,
            *([p.golongan or ""] if show_gol else []),
            *([Text(p.agency or "")] if show_agency else []),
            Text(word(ENROLMENT_STATUS, p.status), style="" if active else "dim"),
            style="" if active else "dim",
        )
    out().print(table)
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


def spreadsheet(
    fmt: str,
    output: Path | None,
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    text_columns: set[str],
) -> None:
    """A report as CSV (stdout or a file) or XLSX (a file), formula-guarded, private (0600)."""
    if fmt == "csv":
        if output is None:
            csv_stdout(columns, rows)
        else:
            write_csv(output, columns, [["" if v is None else v for v in r] for r in rows])
            success(_("written to {path}").format(path=output))
        return
    assert output is not None
    write_xlsx(output, title, columns, rows, text_columns=text_columns)
    success(_("written to {path}").format(path=output))


def write_xlsx(
    path: Path,
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    text_columns: set[str],
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]  # Excel's limit on sheet names
    sheet.append([guard(c) for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(str(c)) for c in columns]
    for row in rows:
        sheet.append([guard(v) for v in row])
        for i, v in enumerate(row):
            widths[i] = max(widths[i], len(str(v)) if v is not None else 0)
    for i, name in enumerate(columns, start=1):
        letter = get_column_letter(i)
        sheet.column_dimensions[letter].width = min(max(widths[i - 1] + 2, 6), 60)
        if name in text_columns:
            # Text, so Excel never turns an 18-digit NIP into 1.98807E+17.
            for cell in sheet[letter][1:]:
                cell.number_format = "@"
    sheet.freeze_panes = "A2"
    with private_output(path) as fh:
        book.save(fh)


STATUS_STYLE = {"passed": "green", "deferred": "yellow", "not_passed": "red"}
STATUS_LABEL = {"passed": N_("passed"), "deferred": N_("deferred"), "not_passed": N_("not passed")}


def completion(
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
    table = Table(
        title=Text.assemble(_("Completion"), " · ", cohort_heading(cohort)),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    keys = [c.key for c in cohort.completion.components]
    # Narrower terminals drop columns, the least needed first, and never the status or the
    # reasons: NIP and component scores below 110 columns, the predicate below 90, the
    # attendance below 70 (--json and --format xlsx always have everything).
    width = console.width
    wide = width >= 110 + 8 * len(keys)
    with_predicate, with_attendance = width >= 90, width >= 70
    labels = [_(label) for label in STATUS_LABEL.values()]
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
    for a in assessed:
        if a.withdrawn:
            continue
        o = a.outcome
        scores = [("-" if a.scores[k] is None else f"{a.scores[k]:g}") for k in keys]
        # The status is a word, not only a colour, so it survives NO_COLOR and printing.
        table.add_row(
            str(a.ndh),
            Text(a.name),
            *([a.nip] if wide else []),
            *([f"{a.attendance.pct}%"] if with_attendance else []),
            *(scores if wide else []),
            f"{o.final:.2f}",
            *([Text(o.predicate or "-")] if with_predicate else []),
            Text(_(STATUS_LABEL[o.status]), style=STATUS_STYLE[o.status]),
            Text("; ".join(localize(reason) for reason in o.reasons)),
        )
    console.print(table)
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


def certificates(cohort: Cohort, items: Sequence[Any]) -> None:
    table = Table(
        title=Text.assemble(_("Certificates"), " · ", cohort_heading(cohort)),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
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
            Text.assemble(state, "\n", (c.issued_at[:10], "dim")),
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
    facts.add_row(_("Issued"), c.issued_at)
    if c.revoked_at:
        facts.add_row(
            _("State"),
            Text(
                _("REVOKED on {date}: {reason}").format(date=c.revoked_at, reason=c.revoked_reason),
                style="bold red",
            ),
        )
    else:
        facts.add_row(_("State"), Text(_("valid"), style="bold green"))
    out().print(Panel(facts, title=_("Certificate"), title_align="left", expand=False))


# --- attendance ----------------------------------------------------------------------------------

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


def _session_table(cohort: Cohort, session: Any) -> Table:
    """The start every per-session attendance table shares: title, NDH, name, status, minutes."""
    table = Table(
        title=Text.assemble(
            _("Attendance"),
            " · ",
            cohort_heading(cohort),
            " · ",
            _("session {number}, {date} {start}").format(
                number=session.number, date=session.date, start=f"{session.start:%H:%M}"
            ),
        ),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column(_("NDH"), justify="right", no_wrap=True)
    table.add_column(_("Name"), ratio=3, min_width=14)
    table.add_column(_("Status"), no_wrap=True)
    table.add_column(_("Min."), justify="right", no_wrap=True)
    return table


def attendance_import(cohort: Cohort, session: Any, data: dict[str, Any], *, dry_run: bool) -> None:
    console = out()
    table = _session_table(cohort, session)
    table.add_column(_("First join"), no_wrap=True)
    table.add_column(_("Matched by"), no_wrap=True)
    shown = data["participants"]
    # A large session: list only who was not simply present, and at most LONG_TABLE of them;
    # a table of thousands of rows hides the exceptions and takes longer to draw than the
    # import takes to run (`attendance show` and --json give everyone).
    if len(shown) > LONG_TABLE:
        shown = [p for p in shown if p["status"] != "present"]
    not_present = len(shown)
    shown = shown[:LONG_TABLE]
    for p in shown:
        minutes = "" if p["minutes"] is None else f"{p['minutes']:g}"
        first = (p["first_join"] or "")[11:16]
        table.add_row(
            str(p["ndh"]),
            Text(p["name"]),
            Text(word(ATT_LABEL, p["status"]), style=ATT_STYLE[p["status"]]),
            minutes,
            first,
            word(MATCHED_BY, p["matched_by"]),
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


def attendance_session(cohort: Cohort, session: Any, records: Sequence[Any]) -> None:
    table = _session_table(cohort, session)
    table.add_column(_("Source"), no_wrap=True)
    table.add_column(_("Note"), ratio=1)
    for r in records:
        table.add_row(
            str(r.ndh),
            Text(r.name),
            Text(word(ATT_LABEL, r.status), style=ATT_STYLE[r.status]),
            "" if r.minutes is None else f"{r.minutes:g}",
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
    from revmental_cli.domain.completion import attendance_summary

    by_person: dict[str, dict[int, str]] = {}
    for r in records:
        by_person.setdefault(r.nip, {})[r.session] = r.status
    # One letter per session: with many sessions, or at 60 columns, a cell of one character
    # and a padding of one keep the name and the JP % in view.
    tight = out().width < 40 + 4 * len(cohort.sessions)
    table = Table(
        title=Text.assemble(_("Attendance"), " · ", cohort_heading(cohort)),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        padding=(0, 1) if tight else (0, 1, 0, 1),
        collapse_padding=tight,
    )
    table.add_column(_("NDH"), justify="right", no_wrap=True)
    table.add_column(_("Name"), ratio=1, min_width=10, overflow="fold")
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
        table.add_row(str(p.ndh), Text(p.name), *cells, f"{summary.pct}%")
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
