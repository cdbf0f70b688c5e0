"""The plan of one session's attendance import: every enrolled participant's status, and the
report rows that matched nobody, decided from the session's files and the roster.

Owns the typed plan (what is saved, what is shown, the contract's JSON document) and the
deciding of it; never writes the store (``services.attendance`` saves the plan) and never
prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from revmental_cli.errors import Problem, ValidationFailed
from revmental_cli.messages import Msg
from revmental_cli.services.attendance_files import Part, is_host

if TYPE_CHECKING:
    from revmental_cli.domain.attendance import Person
    from revmental_cli.domain.cohort import Cohort
    from revmental_cli.domain.matching import Unmatched
    from revmental_cli.importers.attendance import Report, Visit
    from revmental_cli.store import Store

STATUSES = ("present", "late", "excused", "sick", "absent")


@dataclass
class PlannedStatus:
    """One enrolled participant's status as the import decides (or keeps) it."""

    ndh: int
    nip: str
    name: str
    status: str
    minutes: float | None
    first_join: str | None  # ISO date and time, to the minute
    matched_by: str  # email, nip, ndh, name, sheet, missing, or "manual (kept)"
    report_status: str | None = None  # what the report said, when a manual mark was kept

    def document(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "ndh": self.ndh,
            "nip": self.nip,
            "name": self.name,
            "status": self.status,
            "minutes": self.minutes,
            "first_join": self.first_join,
            "matched_by": self.matched_by,
        }
        if self.report_status is not None:
            data["report_status"] = self.report_status
        return data


@dataclass
class Candidate:
    nip: str
    name: str


@dataclass
class UnmatchedRow:
    """A report row that matched nobody: listed, never guessed."""

    line: int
    file: str
    name: str
    email: str | None
    reason: str
    candidates: list[Candidate] = field(default_factory=list)
    # The rows of the same file with the same name, e-mail and reason ("iPhone Pak Hendra"
    # reconnecting): one entry, its first line, and how many rows it stands for.
    rows: int = 1

    @classmethod
    def of(cls, row: Unmatched, file: str, names: dict[str, str]) -> UnmatchedRow:
        """The row a match left over, with the names of the participants it might be."""
        candidates = [Candidate(n, names.get(n, "")) for n in row.candidates]
        visit = row.visit
        return cls(visit.line, file, visit.name, visit.email or None, row.reason, candidates)

    def document(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "file": self.file,
            "name": self.name,
            "email": self.email,
            "reason": self.reason,
            "candidates": [{"nip": c.nip, "name": c.name} for c in self.candidates],
            "rows": self.rows,
        }


def grouped(rows: list[UnmatchedRow]) -> list[UnmatchedRow]:
    """Each distinct unmatched name once (per file, e-mail and reason), with its row count,
    in the order first seen."""
    found: dict[tuple[str, str, str | None, str], UnmatchedRow] = {}
    for row in rows:
        key = (row.file, row.name, row.email, row.reason)
        if key in found:
            found[key].rows += 1
        else:
            found[key] = row
    return list(found.values())


# (nip, status, minutes, first_join, note): what save_attendance takes.
Row = tuple[str, str, float | None, str | None, str | None]


@dataclass
class SessionPlan:
    """The import of one session: what the files say, what is saved, what happened."""

    cohort: str
    session: int
    paths: list[Path]
    format: str  # the files' formats, joined with "+"
    participants: list[PlannedStatus]
    unmatched: list[UnmatchedRow]
    host: list[str]
    summary: dict[str, int]
    rows: list[Row]  # what is saved
    written: bool = False
    # Filled in once saved (or counted, in a dry run).
    created: int | None = None
    updated: int | None = None
    unchanged: int | None = None
    kept_manual: int | None = None

    def keep_manual(self, kept: dict[str, str]) -> None:
        """Show what is recorded: a manual mark the import kept wins over the report's view."""
        if not kept:
            return
        for p in self.participants:
            if p.nip in kept:
                p.report_status = p.status
                p.status = kept[p.nip]
                p.matched_by = "manual (kept)"
        counts = {s: 0 for s in self.summary}
        for p in self.participants:
            counts[p.status] += 1
        self.summary = counts

    def document(self) -> dict[str, Any]:
        """The contract's JSON document (and what the import's table is drawn from)."""
        data: dict[str, Any] = {
            "cohort": self.cohort,
            "session": self.session,
            "file": str(self.paths[0]),
            "files": [str(p) for p in self.paths],
            "format": self.format,
            "written": self.written,
            "participants": [p.document() for p in self.participants],
            "unmatched": [u.document() for u in self.unmatched],
            "host": self.host,
            "summary": self.summary,
        }
        if self.created is not None:
            data.update(
                created=self.created,
                updated=self.updated,
                unchanged=self.unchanged,
                kept_manual=self.kept_manual,
            )
        return data


def plan_session(store: Store, cohort: Cohort, parts: list[Part]) -> SessionPlan:
    """Decide every enrolled participant's status for the session of the files in ``parts``."""
    from revmental_cli.domain.attendance import (
        Person,
        attendance_and_first_join,
        form_answers_for,
        match_visits,
    )
    from revmental_cli.store import enrolled_people

    session = parts[0].session
    people = [
        Person(nip, ndh, name, email) for nip, ndh, name, email in enrolled_people(store, cohort.id)
    ]
    results: dict[str, tuple[str, float | None, str | None, str]] = {}
    unmatched: list[UnmatchedRow] = []
    hosts: list[str] = []
    names = {p.nip: p.name for p in people}
    report = parts[0].report
    if report.format == "moodle":  # alone in its session: by_session saw to it
        _plan_moodle(report, people, [f.name for f in cohort.facilitators], results, unmatched)
    elif report.format == "csv":  # alone in its session: by_session saw to it
        marks = report.marks
        if report.presence_form:
            marks, elsewhere = form_answers_for(report.marks, session.date)
            for m in elsewhere:
                sent = m.answered.date() if m.answered else None  # never None: another day
                unmatched.append(
                    UnmatchedRow(
                        m.line,
                        report.source,
                        m.name or m.nip,
                        None,
                        Msg("answered on {day}, not the session's date", day=f"{sent}"),
                        [Candidate(m.nip, names[m.nip])] if m.nip in names else [],
                    )
                )
        enrolled = {p.nip for p in people}
        if report.presence_form:
            # Anyone can fill a presence form (a facilitator, a guest): like a report's row
            # that matches nobody, such an answer is listed, not a reason to refuse the list.
            # An administrator's own status sheet is refused instead: there it is a typo.
            strangers = [m for m in marks if m.nip not in enrolled]
            marks = [m for m in marks if m.nip in enrolled]
            unmatched.extend(
                UnmatchedRow(m.line, report.source, m.name or m.nip, None, Msg("not enrolled"))
                for m in strangers
            )
        bad = [
            Problem(
                Msg("{nip} is not enrolled in {cohort}", nip=m.nip, cohort=cohort.id),
                report.source,
                m.line,
                "NIP",
                Msg("check the NIP, or import the participant into the roster first"),
            )
            for m in marks
            if m.nip not in enrolled
        ]
        if bad:
            raise ValidationFailed(
                bad,
                Msg(
                    "{file}: {count} problem(s); nothing was written",
                    file=report.source,
                    count=len(bad),
                ),
            )
        first_line: dict[str, int] = {}
        duplicates = []
        for m in marks:
            if m.nip in first_line:
                duplicates.append(
                    Problem(
                        Msg("{nip} is also on line {line}", nip=m.nip, line=first_line[m.nip]),
                        report.source,
                        m.line,
                        "NIP",
                        Msg("keep one row per participant"),
                    )
                )
            first_line.setdefault(m.nip, m.line)
            results[m.nip] = (m.status, m.minutes, None, "sheet")
        if duplicates:
            raise ValidationFailed(
                duplicates,
                Msg(
                    "{file}: {count} problem(s); nothing was written",
                    file=report.source,
                    count=len(duplicates),
                ),
            )
    else:
        visits = [v for part in parts for v in part.report.visits]
        # Which report a row came from: its host, and the file to name for an unmatched row.
        # (One file: every row is its report's, and nothing needs looking up.)
        owner = (
            {id(v): part.report for part in parts for v in part.report.visits}
            if len(parts) > 1
            else {}
        )
        match = match_visits(visits, people, [f.name for f in cohort.facilitators])
        start, end, rules = session.starts_at, session.ends_at, cohort.attendance
        for nip, found in match.matched.items():
            # Per report: two exports of one meeting must not add up (attendance_in_reports).
            if len(parts) == 1:
                reports = [found]
            else:
                per_report: dict[int, list[Visit]] = {}
                for v in found:
                    per_report.setdefault(id(owner[id(v)]), []).append(v)
                reports = list(per_report.values())
            # The first join of all the person's rows (``found``: the reports' rows together).
            status, minutes, joined = attendance_and_first_join(reports, start, end, rules)
            first = joined.isoformat(timespec="minutes") if joined else None
            results[nip] = (status, round(minutes, 2), first, match.how.get(nip, ""))
        for u in match.unmatched:
            source = owner[id(u.visit)] if owner else report
            if is_host(source, u.visit):
                hosts.append(u.visit.name)
                continue
            unmatched.append(UnmatchedRow.of(u, source.source, names))
    sheet = report.format in ("csv", "moodle")  # statuses, no minutes
    for p in people:  # missing from the report: absent
        results.setdefault(p.nip, ("absent", None if sheet else 0.0, None, "missing"))
    unmatched = grouped(unmatched)
    counts = {s: 0 for s in STATUSES}
    for status, *_rest in results.values():
        counts[status] += 1
    return SessionPlan(
        cohort=cohort.id,
        session=session.number,
        paths=[part.file for part in parts],
        format="+".join(dict.fromkeys(part.report.format for part in parts)),
        participants=[
            PlannedStatus(p.ndh, p.nip, p.name, *results[p.nip])
            for p in sorted(people, key=lambda p: p.ndh)
        ],
        unmatched=unmatched,
        host=list(dict.fromkeys(hosts)),
        summary=counts,
        rows=[(nip, s, m, first, None) for nip, (s, m, first, _how) in results.items()],
    )


def _plan_moodle(
    report: Report,
    people: list[Person],
    facilitators: list[str],
    results: dict[str, tuple[str, float | None, str | None, str]],
    unmatched: list[UnmatchedRow],
) -> None:
    """A Moodle column's statuses: a row whose ID number is an enrolled NIP is that person;
    any other is matched as a report's row is (e-mail, a NIP or NDH in the name, the name
    without titles), and listed when it matches nobody (a course holds more than a cohort)."""
    from revmental_cli.domain.attendance import match_visits
    from revmental_cli.importers.attendance import Visit

    enrolled = {p.nip for p in people}
    names = {p.nip: p.name for p in people}
    status_of: dict[int, str] = {}
    visits: list[Visit] = []
    for mark in report.moodle_marks:
        if mark.status is None:
            continue
        if mark.nip in enrolled and mark.nip not in results:
            results[mark.nip] = (mark.status, None, None, "nip")
            continue
        visit = Visit(
            line=mark.line,
            name=mark.name or mark.username or mark.id_number,
            original_name="",
            email=mark.email,
            join=None,
            leave=None,
            minutes=None,
            guest=None,
        )
        status_of[id(visit)] = mark.status
        visits.append(visit)
    match = match_visits(visits, people, facilitators)
    for nip, found in match.matched.items():
        if nip not in results:
            results[nip] = (status_of[id(found[0])], None, None, match.how.get(nip, ""))
    for u in match.unmatched:
        unmatched.append(UnmatchedRow.of(u, report.source, names))
