"""Read an export of Moodle's Attendance activity: per session column, each person's status.

Owns the export's layout (a few lines naming the course and the group, then a table: who,
one column per session titled with its date and time, then the totals) and the status
letters. Never touches the store, the CLI or the other readers; it builds ``Mark`` and
``Report`` of ``importers.attendance`` for the caller that has chosen a session.

- Who: ``ID number`` (the NIP when it is one), ``Email``, ``Username``, ``First name`` and
  ``Last name`` (or a full name), in English or Indonesian.
- Sessions: a column whose title starts with a date and an optional time
  (``1 Oct 2021 9AM All students``, ``01.10.21 09:00``, ``Oct 1, 2021 09:00``,
  ``2021-10-01 09:00``); the rest of the title (the group) is kept. A "Remarks" column
  right after a session holds that session's remarks.
- Statuses: Moodle's default letters P, L, E, A, the Indonesian set H, T, I, S, A, or a
  word (Hadir, Late...); ``acronyms=`` adds a site's own letters. An empty cell, "?" or "-"
  is no mark for that session (not taken, or the person was not in the group).
- ``Taken sessions``, ``Points``, ``Percentage`` and columns that name nothing known are
  not read (``ignored_columns`` lists the latter).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from revmental_cli.domain.person import (
    EXCEL_NIP_HINT,
    EXCEL_NIP_MESSAGE,
    FieldError,
    normalize_id,
)
from revmental_cli.domain.visits import Mark
from revmental_cli.errors import InputError, Problem
from revmental_cli.i18n import N_, _
from revmental_cli.importers.attendance.moodle_titles import is_session, session_title_time
from revmental_cli.importers.attendance.report import Report
from revmental_cli.importers.attendance.sheet import parse_status
from revmental_cli.importers.attendance.sniff import _WHO, is_moodle
from revmental_cli.importers.attendance.sniff import moodle_header as _header
from revmental_cli.importers.attendance.text import (
    Record,
    key,
    read_text,
    split_records,
)
from revmental_cli.importers.tabular import read_table

__all__ = [
    "DEFAULT_ACRONYMS",
    "FORMAT",
    "MoodleExport",
    "MoodleMark",
    "MoodleSession",
    "is_moodle",
    "looks_like_moodle",
    "parse_moodle",
    "parse_moodle_records",
    "read_moodle",
    "session_title_time",
]

FORMAT = "moodle"
_LOOKAHEAD = 15  # as sniff.py's
_HINT = N_("export the attendance report from Moodle again (Attendance > Export), without editing")
# Moodle's default status set (English) and the Indonesian language pack's.
DEFAULT_ACRONYMS: dict[str, str] = {
    "p": "present", "l": "late", "e": "excused", "a": "absent",
    "h": "present", "t": "late", "i": "excused", "s": "sick",
}  # fmt: skip
_UNMARKED = {"", "?", "-", "\u2013"}
_KNOWN = {
    "groups", "group", "grup", "kelompok", "department", "departemen", "institution",
    "institusi", "phone", "telepon", "city", "kota", "no", "no.",
}  # fmt: skip
_TOTALS = {
    "taken sessions", "sesi yang diambil", "sesi diambil", "points", "poin", "nilai",
    "percentage", "persentase", "persen", "total",
}  # fmt: skip
_REMARKS = {"remarks", "remark", "catatan", "keterangan"}
_PREAMBLE = {
    "course": "course", "kursus": "course", "mata kuliah": "course", "pelatihan": "course",
    "group": "group", "grup": "group", "kelompok": "group",
}  # fmt: skip


@dataclass(frozen=True)
class MoodleMark:
    """One person's status in one session, with every way the export names the person."""

    line: int
    status: str | None  # present | late | excused | sick | absent; None: no mark
    acronym: str  # as written
    id_number: str
    nip: str  # the ID number when it is a NIP, else ""
    email: str
    username: str
    name: str
    remark: str = ""


@dataclass
class MoodleSession:
    """One session column: its title, the date and time it names, and the marks under it."""

    column: int
    title: str
    day: date
    starts: datetime | None  # None: the title gives no time
    description: str  # the rest of the title: the group ("All students")
    marks: list[MoodleMark] = field(default_factory=list)


@dataclass
class MoodleExport:
    """What the export says: the course and group, and each session's marks."""

    source: str
    header_line: int
    course: str = ""
    group: str = ""
    sessions: list[MoodleSession] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    format: str = FORMAT
    totals: list[str] = field(default_factory=list)  # Taken sessions, Points...: not read

    def session_for(self, when: date | datetime) -> MoodleSession | None:
        """The session on that date (the nearest start when a day has several)."""
        day = when.date() if isinstance(when, datetime) else when
        same = [s for s in self.sessions if s.day == day]
        if not same or not isinstance(when, datetime):
            return same[0] if same else None
        return min(same, key=lambda s: abs(((s.starts or when) - when).total_seconds()))

    def report(self, session: MoodleSession) -> tuple[Report, list[MoodleMark]]:
        """That session as a plain attendance sheet (``format`` "csv": a Mark per NIP with a
        status), and the marked rows without a NIP, for the caller to match otherwise."""
        report = Report("csv", self.source, header_line=self.header_line)
        report.ignored_columns = list(self.ignored_columns)
        others: list[MoodleMark] = []
        for mark in session.marks:
            if mark.status is None:
                continue
            if not mark.nip:
                others.append(mark)
                continue
            report.marks.append(
                Mark(
                    line=mark.line,
                    nip=mark.nip,
                    status=mark.status,
                    minutes=None,
                    note=mark.remark,
                    name=mark.name,
                )
            )
        return report, others


# ------------------------------------ detection (is_moodle and the header: sniff.py)


def looks_like_moodle(text_or_first_lines: str | Iterable[str]) -> bool:
    """Whether the first lines hold an Attendance export's header: who, and dated sessions."""
    if isinstance(text_or_first_lines, str):
        head = text_or_first_lines.splitlines()[: 2 * _LOOKAHEAD]
    else:
        head = [line for _n, line in zip(range(2 * _LOOKAHEAD), text_or_first_lines, strict=False)]
    try:
        records = split_records("\n".join(line.rstrip("\r\n") for line in head), "")
    except InputError:
        return False
    return any(_header(cells) for _line, cells in records[:_LOOKAHEAD])


# ----------------------------------------------------------------- reading


def read_moodle(
    path: Path, *, acronyms: Mapping[str, str] | None = None
) -> tuple[MoodleExport, list[Problem]]:
    """Read an export from disk: CSV (any encoding Moodle or Excel writes) or .xlsx."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        table = read_table(path, looks_like_header=lambda _cells: False)
        with table:
            records: list[Record] = []
            numbers: set[tuple[int, int]] = set()
            for line, cells, numeric in [(table.header_line, table.headers, ()), *table.rows]:
                stripped = [cell.strip() for cell in cells]
                while stripped and not stripped[-1]:
                    stripped.pop()
                if stripped:
                    records.append((line, stripped))
                numbers.update((line, i) for i, number in enumerate(numeric) if number)
        return parse_moodle_records(records, table.source, acronyms=acronyms, numbers=numbers)
    return parse_moodle(read_text(path), path.name, acronyms=acronyms)


def parse_moodle(
    text: str, source: str, *, acronyms: Mapping[str, str] | None = None
) -> tuple[MoodleExport, list[Problem]]:
    """Read an export's decoded text; ``acronyms``: a site's own letters -> status."""
    return parse_moodle_records(split_records(text, source), source, acronyms=acronyms)


def _status_map(acronyms: Mapping[str, str] | None, source: str) -> dict[str, str]:
    known = dict(DEFAULT_ACRONYMS)
    for letter, meaning in (acronyms or {}).items():
        try:
            known[key(letter)] = parse_status(meaning)
        except ValueError:
            raise InputError(
                _("{file}: the status {letter} is given an unknown meaning {value}").format(
                    file=source, letter=repr(letter), value=repr(meaning)
                ),
                hint=_("use present, late, excused, sick or absent"),
            ) from None
    return known


def _header_index(records: list[Record], source: str) -> int:
    for index, (_line, cells) in enumerate(records[:_LOOKAHEAD]):
        if _header(cells):
            return index
    if not records:
        raise InputError(_("{file}: the file is empty").format(file=source), hint=_(_HINT))
    raise InputError(
        _(
            "{file}: does not look like a Moodle attendance export: no header row with the "
            "participants' names or ID numbers and dated session columns in the first lines"
        ).format(file=source),
        hint=_(_HINT),
    )


def parse_moodle_records(
    records: list[Record],
    source: str,
    *,
    acronyms: Mapping[str, str] | None = None,
    numbers: set[tuple[int, int]] | None = None,
) -> tuple[MoodleExport, list[Problem]]:
    """Read an export's rows (see :func:`~revmental_cli.importers.attendance.text.split_records`);
    ``numbers``: the (line, column) of .xlsx number cells (a NIP there is damaged)."""
    known = _status_map(acronyms, source)
    index = _header_index(records, source)
    header_line, headers = records[index]
    export = MoodleExport(source, header_line)
    for _line, cells in records[:index]:
        label, _sep, rest = cells[0].partition(":")
        value = cells[1] if len(cells) > 1 else rest.strip()
        if (name := _PREAMBLE.get(key(label))) is not None and value:
            setattr(export, name, value)
    who: dict[str, int] = {}
    sessions: list[MoodleSession] = []
    remarks: dict[int, int] = {}  # session column -> its remarks column
    ended = False  # past the totals: nothing more is a session
    dated = [t for t in headers if is_session(t)]
    # 10/01/21 is 10 January day-first, as Moodle writes; a month over 12 shows month-first.
    month_first = any(_month_first_only(t) for t in dated)
    for column, title in enumerate(headers):
        folded = key(title)
        if folded in _WHO and _WHO[folded] not in who:
            who[_WHO[folded]] = column
        elif folded in _TOTALS:
            ended = True
            export.totals.append(title)
        elif folded in _REMARKS and sessions and sessions[-1].column == column - 1:
            remarks[sessions[-1].column] = column
        elif not ended and title in dated:
            day, starts, rest = session_title_time(title, month_first)
            sessions.append(MoodleSession(column, title, day, starts, rest))
        elif title and folded not in _KNOWN and folded not in _TOTALS:
            export.ignored_columns.append(title)
    if not sessions:
        raise InputError(
            _("{file}: line {line}: no session column (a title starting with a date)").format(
                file=source, line=header_line
            ),
            hint=_(_HINT),
        )
    export.sessions = sessions
    rows = records[index + 1 :]
    if not rows:
        raise InputError(
            _("{file}: no participant rows under the header (line {line})").format(
                file=source, line=header_line
            ),
            hint=_(_HINT),
        )
    problems: list[Problem] = []
    unknown: dict[str, int] = {}
    for line, cells in rows:
        person = _person(line, cells, who, headers, source, problems, numbers or set())
        if person is None:
            continue
        for session in sessions:
            written = _at(cells, session.column)
            remark = _at(cells, remarks.get(session.column, -1))
            try:
                status = _status(written, known)
            except ValueError:
                unknown[written] = unknown.get(written, 0) + 1
                problems.append(
                    Problem(
                        _("unknown status {value}").format(value=repr(written)),
                        source,
                        line,
                        session.title,
                        _(
                            "Moodle's letters are P, L, E, A (Indonesian: H, T, I, S, A); "
                            "give the meaning of a site's own letters, or mark it by hand"
                        ),
                    )
                )
                continue
            session.marks.append(MoodleMark(line, status, written, *person, remark))
    if unknown:
        export.notes.append(
            _("{file}: unknown status letters: {letters}").format(
                file=source, letters=", ".join(f"{k} ({n}x)" for k, n in unknown.items())
            )
        )
    return export, problems


def _month_first_only(title: str) -> bool:
    try:
        session_title_time(title)
    except ValueError:
        try:
            session_title_time(title, month_first=True)
        except ValueError:
            return False
        return True
    return False


def _at(cells: list[str], index: int) -> str:
    return cells[index] if 0 <= index < len(cells) else ""


def _status(written: str, known: dict[str, str]) -> str | None:
    """The status, None for no mark; ValueError for an unknown letter."""
    folded = key(written)
    if folded in _UNMARKED:
        return None
    if folded in known:
        return known[folded]
    # "P (2/2)" or "Present": a letter with its points, or the status's description.
    first = folded.split(" ", 1)[0].split("(", 1)[0]
    if first in known:
        return known[first]
    return parse_status(written)


def _person(
    line: int,
    cells: list[str],
    who: dict[str, int],
    headers: list[str],
    source: str,
    problems: list[Problem],
    numbers: set[tuple[int, int]],
) -> tuple[str, str, str, str, str] | None:
    """(ID number, NIP, e-mail, username, name) of a row; None when it names nobody."""
    id_number = _at(cells, who.get("id", -1))
    email = _at(cells, who.get("email", -1)).casefold()
    username = _at(cells, who.get("username", -1))
    name = _at(cells, who.get("full", -1)) or " ".join(
        part for part in (_at(cells, who.get("first", -1)), _at(cells, who.get("last", -1))) if part
    )
    if not (id_number or email or username or name):
        problems.append(
            Problem(
                _("no ID number, e-mail or name: cannot tell who this row is"),
                source,
                line,
                headers[min(who.values())] if who else None,
                _(_HINT),
            )
        )
        return None
    nip = ""
    digits = re.sub(r"[\s.\-']", "", id_number)
    if (line, who.get("id", -1)) in numbers and len(digits) >= 15:
        problems.append(
            Problem(_(EXCEL_NIP_MESSAGE), source, line, headers[who["id"]], _(EXCEL_NIP_HINT))
        )
    elif id_number and ((digits.isdigit() and len(digits) >= 15) or "e+" in digits.casefold()):
        # Digits as long as a NIP: a NIP, so a wrong one is worth saying.
        try:
            # No command passes a date this far: the clock's, as the NIP check always read.
            nip = normalize_id(id_number, today=date.today())
        except FieldError as exc:
            problems.append(Problem(exc.message, source, line, headers[who["id"]], exc.hint))
    return id_number, nip, email, username, name
