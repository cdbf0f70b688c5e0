"""Attendance rules: minutes in a session, the status they earn, and who a report row is.

Pure and deterministic: the same visits and people always give the same
result, whatever order dictionaries or sets would otherwise impose.

Matching a visit (one row of a Zoom or Meet report) to a participant tries,
in order, and stops at the first step that finds anyone:

1. ``email``: the row's email equals the participant's (any case);
2. ``nip``: an 18-digit NIP written in the display or original name, digits
   possibly grouped with spaces, dots or dashes;
3. ``ndh``: the participant's NDH at the start of the display name
   (``05_Siti``, ``5. Siti``, ``[05] Siti``); when the rest of the name shares
   no word with that participant's name, the row is left unmatched with the
   participant as a candidate, because a typo in the number would otherwise
   credit the wrong person;
4. ``name``: the display or original name without titles, forms of address
   ("Bu", "Pak"), bracketed text and digits has exactly the words of a
   participant's name, in any order. Part of a name is not enough either way
   ("Yuliani Dewi Kartika" is not "Yuliani", "Rizki Pratama" is not "Muhammad
   Rizki Pratama"): such a row is left unmatched with the participant as a
   candidate, because a namesake (a speaker, a facilitator) would otherwise be
   credited to them.

Two or more participants at the same step make the row ``ambiguous``; it is
never guessed. A row found by name alone whose name is also a facilitator's
(``facilitators=`` of :func:`match_visits`) is ``ambiguous`` too: the
facilitator may be in the meeting under their own name.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from revmental_cli.domain.cohort import AttendanceRules
from revmental_cli.domain.person import strip_titles
from revmental_cli.domain.visits import Mark, Visit

if TYPE_CHECKING:
    from datetime import date

__all__ = [
    "MatchResult",
    "Person",
    "Unmatched",
    "attendance_for",
    "attendance_in_reports",
    "first_join",
    "form_answers_for",
    "form_reading_for",
    "match_visits",
    "merge_minutes",
    "name_words",
    "status_for",
    "visit_span",
]

# Float noise from seconds-based arithmetic must not turn 75% into 74.999...%.
_EPSILON = 1e-9


# -------------------------------------------------------------------- minutes


def merge_minutes(
    intervals: Iterable[tuple[datetime, datetime]], start: datetime, end: datetime
) -> float:
    """Return the minutes of [start, end] covered by the union of the intervals.

    Reconnects add up; two devices at the same time count once.
    """
    clipped = sorted(
        (max(a, start), min(b, end)) for a, b in intervals if min(b, end) > max(a, start)
    )
    total = timedelta()
    current_start: datetime | None = None
    current_end: datetime | None = None
    for a, b in clipped:
        if current_end is None or a > current_end:
            if current_start is not None and current_end is not None:
                total += current_end - current_start
            current_start, current_end = a, b
        elif b > current_end:
            current_end = b
    if current_start is not None and current_end is not None:
        total += current_end - current_start
    return total.total_seconds() / 60


def status_for(
    minutes: float,
    first_join: datetime | None,
    session_start: datetime,
    session_minutes: float,
    rules: AttendanceRules,
) -> str:
    """Return present, late or absent for the minutes attended and the first join.

    Without a join time (a "unique users" report) lateness cannot be known,
    so enough minutes mean present.
    """
    if minutes * 100 + _EPSILON < rules.present_min_pct * session_minutes:
        return "absent"
    if first_join is not None and first_join > session_start + timedelta(
        minutes=rules.late_after_min
    ):
        return "late"
    return "present"


def visit_span(visit: Visit) -> tuple[datetime, datetime] | None:
    """Return the stretch of time a report row can speak for; None when it gives no time.

    A row with both times is that connection (or, for a total, the first join to the last
    leave). A row with one time (Meet's "First Seen" with "Time in Call") does not say when
    the person left, but a meeting's report is of one day: the row can speak for the rest of
    that day only, never for a session on another day.
    """
    join, leave = visit.join, visit.leave
    if join is not None and leave is not None:
        return join, leave
    if join is not None:
        return join, datetime.combine(join.date() + timedelta(days=1), time())
    if leave is not None:
        return datetime.combine(leave.date(), time()), leave
    return None


def _stretch(visit: Visit) -> tuple[datetime, datetime] | None:
    """The stretch a row covers, to tell two reports of one meeting from the parts of a
    restarted one: a join time with a duration ("First Seen" + "Time in Call") covers
    from the join for that long, not the rest of the day (which would make every two
    such parts look like the same stretch, and count the larger instead of the sum)."""
    if visit.join is not None and visit.leave is None and visit.minutes is not None:
        return visit.join, visit.join + timedelta(minutes=visit.minutes)
    return visit_span(visit)


def attendance_for(
    visits: Sequence[Visit], start: datetime, end: datetime, rules: AttendanceRules
) -> tuple[str, float]:
    """Return (status, minutes) for one person's rows of one report of the session [start, end].

    Rows with join and leave times are merged as intervals. Rows whose minutes
    are a duration instead (Zoom's unique-users totals, Meet's "Time in Call" or
    "First seen"/"Last seen" totals, rows without both times) add those minutes,
    but never more than the part of the session the row can speak for (see
    :func:`visit_span`; the whole session when the row gives no time): 150 minutes
    connected from 07:00 to 09:30 are at most 30 minutes of a session that starts
    at 09:00, and a row of another day counts nothing. The sum is capped at the
    session's length because such totals over-count a second device.
    """
    return attendance_in_reports([visits], start, end, rules)


def attendance_in_reports(
    reports: Sequence[Sequence[Visit]], start: datetime, end: datetime, rules: AttendanceRules
) -> tuple[str, float]:
    """Return (status, minutes) for one person's rows in several reports of one session.

    Each report is counted as :func:`attendance_for` counts it. Reports that cover
    separate stretches of the session (a meeting restarted) add up. Reports that
    cover the same stretch (two exports of one meeting: per join and unique users, or
    one saved again) are views of the same time: their intervals are merged, and
    their durations, which cannot be merged, count as the largest report's, not
    as the sum, which would count the meeting twice.
    """
    session_minutes = (end - start).total_seconds() / 60
    views = [
        view
        for visits in reports
        if visits and (view := _ReportView.of(visits, start, end)) is not None
    ]
    views.sort(key=lambda view: view.span)
    minutes = 0.0
    cluster: list[_ReportView] = []
    for view in views:
        if cluster and view.span[0] >= max(v.span[1] for v in cluster):
            minutes += _same_stretch_minutes(cluster, start, end)
            cluster = []
        cluster.append(view)
    if cluster:
        minutes += _same_stretch_minutes(cluster, start, end)
    minutes = min(minutes, session_minutes)
    first = first_join([v for visits in reports for v in visits], start, end)
    return status_for(minutes, first, start, session_minutes, rules), minutes


def first_join(visits: Iterable[Visit], start: datetime, end: datetime) -> datetime | None:
    """Return when the person first joined the session [start, end], None when no row says.

    A "First Seen" time with a duration still tells when the person arrived. A row that
    cannot speak for any of the session (another day's) says nothing about it.
    """
    joins = [
        v.join
        for v in visits
        if v.join is not None
        and (span := visit_span(v)) is not None
        and span[0] < end
        and span[1] > start
    ]
    return min(joins, default=None)


def _same_stretch_minutes(views: list[_ReportView], start: datetime, end: datetime) -> float:
    """Minutes of reports that cover the same stretch: their merged intervals, or the report
    that says the most, whichever is more."""
    merged = merge_minutes([interval for v in views for interval in v.intervals], start, end)
    return max(merged, *(v.minutes for v in views))


@dataclass(frozen=True)
class _ReportView:
    """What one report says of one person within a session."""

    intervals: list[tuple[datetime, datetime]]
    minutes: float  # its intervals merged, plus its durations
    span: tuple[datetime, datetime]  # the part of the session its rows can speak for

    @classmethod
    def of(cls, visits: Sequence[Visit], start: datetime, end: datetime) -> _ReportView | None:
        """None when none of the rows can speak for any of the session."""
        intervals = [
            (v.join, v.leave)
            for v in visits
            if not v.total and v.join is not None and v.leave is not None
        ]
        minutes = merge_minutes(intervals, start, end)
        spans: list[tuple[datetime, datetime]] = []
        for v in visits:
            # Where the row's time lies (to group reports), and the most it can count for.
            stretch = _stretch(v) or (start, end)
            if min(stretch[1], end) > max(stretch[0], start):
                spans.append((max(stretch[0], start), min(stretch[1], end)))
            if v.minutes is None or not (v.total or v.join is None or v.leave is None):
                continue
            bound = visit_span(v) or (start, end)
            minutes += min(v.minutes, merge_minutes([bound], start, end))
        if not spans:
            return None
        return cls(intervals, minutes, (min(a for a, _ in spans), max(b for _, b in spans)))


def form_answers_for(marks: Sequence[Mark], day: date) -> tuple[list[Mark], list[Mark]]:
    """Split a presence form's answers into (counted, other days) for a session on ``day``.

    An answer stamped on another day is not presence at this session. Of one
    person's answers on the day, the first counts (people send a form twice).
    """
    counted: list[Mark] = []
    elsewhere: list[Mark] = []
    seen: set[str] = set()
    for mark in marks:
        if mark.answered is not None and mark.answered.date() != day:
            elsewhere.append(mark)
        elif mark.nip not in seen:
            seen.add(mark.nip)
            counted.append(mark)
    return counted, elsewhere


def form_reading_for(
    readings: Mapping[str, Sequence[Mark]], session_days: Collection[date], day: date | None
) -> str | None:
    """Choose how to read a presence form's dates that do not tell day from month.

    ``readings``: each reading's answers, the likelier one first. With ``day`` (the date of
    the session the user named): the reading that puts the most answers on it, the first of
    equals; None when none puts any. Without: the only reading that puts every answer on a
    session's date (``session_days``); None when both or neither do.
    """
    if day is not None:
        on_the_day = {
            key: sum(1 for m in marks if m.answered is not None and m.answered.date() == day)
            for key, marks in readings.items()
        }
        most = max(on_the_day.values(), default=0)
        return next((key for key, n in on_the_day.items() if n == most), None) if most else None
    fitting = [
        key
        for key, marks in readings.items()
        if all(m.answered is None or m.answered.date() in session_days for m in marks)
    ]
    return fitting[0] if len(fitting) == 1 else None


# ------------------------------------------------------------------- matching


@dataclass(frozen=True)
class Person:
    """An enrolled participant as matching needs them."""

    nip: str
    ndh: int
    name: str
    email: str = ""


@dataclass(frozen=True)
class Unmatched:
    """A report row nobody could be credited with, and who it might be."""

    visit: Visit
    reason: str  # "no match" | "ambiguous"
    candidates: list[str]


@dataclass
class MatchResult:
    matched: dict[str, list[Visit]] = field(default_factory=dict)
    unmatched: list[Unmatched] = field(default_factory=list)
    how: dict[str, str] = field(default_factory=dict)


_RANK = {"email": 0, "nip": 1, "ndh": 2, "name": 3}
_NIP_IN_TEXT = re.compile(r"(?<!\d)\d(?:[\s.\-]*\d){17}(?![\s.\-]*\d)")
_DIGITS_UNDERSCORES = re.compile(r"[\d_]+")
_NON_DIGITS = re.compile(r"\D")
# "05 Siti", "05_Siti", "05-Siti", "5. Siti", "[05] Siti", "(5) Siti", "05.Siti"
_NDH_PREFIX = re.compile(r"^\s*[\[(]?\s*(\d{1,3})(?!\d)\s*[\])]?\s*[._\-:)]*\s*(?P<rest>.*)$")
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NOT_LETTERS = re.compile(r"[^\w\s']|[\d_]")
# How people are addressed in a display name ("Bu Yuliani", "Pak Hendra"): not part of a name.
_ADDRESS = re.compile(
    r"^(?:(?:bu|ibu|pak|bapak|bpk|bp|sdr|sdri|saudara|saudari)\.?\s+)+(?=\S)", re.IGNORECASE
)
# A device named after its owner, as iOS and Android name them ("Andi Firmansyah's iPad").
_OWNERS_DEVICE = re.compile(
    r"['\u2019`]s\s+(?:iphone|ipad|ipod|android|galaxy|samsung|xiaomi|redmi|oppo|vivo|realme|"
    r"laptop|macbook|mac|pc|computer|komputer|tablet|tab|phone|hp|device)\b.*$",
    re.IGNORECASE,
)


def name_words(name: str) -> list[str]:
    """Return a name's words for matching: no titles, forms of address, device, bracketed
    text, digits or case."""
    text = _OWNERS_DEVICE.sub("", name)
    text = _BRACKETED.sub(" ", text)
    text = _DIGITS_UNDERSCORES.sub(" ", text)
    text = _ADDRESS.sub("", " ".join(text.split()))
    # strip_titles needs the commas and dots to recognise degrees ("S.Kom.").
    text = strip_titles(text)
    return _NOT_LETTERS.sub(" ", text).split()


def _name_key(words: Iterable[str]) -> str:
    # Word order does not matter: "Santoso Budi" is Budi Santoso.
    return " ".join(sorted(words))


def _shares_word(a: list[str], b: list[str]) -> bool:
    return bool({w for w in a if len(w) >= 3} & {w for w in b if len(w) >= 3})


class _Matcher:
    def __init__(self, people: Sequence[Person]) -> None:
        # Sorted so that candidates and ties always come out in the same order.
        self.people = sorted(people, key=lambda p: (p.ndh, p.nip))
        self.words = {p.nip: name_words(p.name) for p in self.people}
        self.word_sets = {nip: frozenset(words) for nip, words in self.words.items()}
        self.keys = {p.nip: _name_key(self.words[p.nip]) for p in self.people}
        # Indexes, in people order: a 5,000-row report must not scan every person per row
        # (nor a row without email run difflib over every name: 13 s for 2,500 people).
        self.by_email: dict[str, list[str]] = {}
        self.by_ndh: dict[int, list[str]] = {}
        self.by_key: dict[str, list[str]] = {}
        self.by_word: dict[str, list[str]] = {}
        # Names by their key's first letter: difflib compares a row's name with these only.
        self.keys_by_initial: dict[str, list[str]] = {}
        for p in self.people:
            if p.email:
                self.by_email.setdefault(p.email.casefold(), []).append(p.nip)
            self.by_ndh.setdefault(p.ndh, []).append(p.nip)
            key = self.keys[p.nip]
            if key not in self.by_key and key:
                self.keys_by_initial.setdefault(key[0], []).append(key)
            self.by_key.setdefault(key, []).append(p.nip)
            for word in self.word_sets[p.nip]:
                self.by_word.setdefault(word, []).append(p.nip)
        self.nips = {p.nip for p in self.people}
        self._order = {p.nip: i for i, p in enumerate(self.people)}

    def find(self, visit: Visit) -> tuple[str, list[str], str | None]:
        """Return (how, NIPs, reason): one NIP is a match; else reason says why not."""
        names = [n for n in (visit.name, visit.original_name) if n.strip()]
        email = visit.email.strip().casefold()
        if email:
            found = self.by_email.get(email, [])
            if found:
                return "email", found, None
        nips: set[str] = set()
        for name in names:
            nips.update(_NON_DIGITS.sub("", m) for m in _NIP_IN_TEXT.findall(name))
        found = self._in_order(nips & self.nips)
        if found:
            return "nip", found, None
        prefix = _NDH_PREFIX.match(visit.name)
        if prefix:
            number = int(prefix[1])
            found = self.by_ndh.get(number, [])
            if found:
                rest = name_words(prefix["rest"])
                fitting = [nip for nip in found if not rest or _shares_word(rest, self.words[nip])]
                if fitting:
                    return "ndh", fitting, None
                return "ndh", found, "no match"
        exact = self._by_name(names)
        if exact:
            return "name", exact, None
        # Part of a name is no match, but its owner is the first person to look at.
        return "name", self._by_part_of_name(names), "no match"

    def _in_order(self, nips: Iterable[str]) -> list[str]:
        return sorted(set(nips), key=self._order.__getitem__)

    def _sharing(self, words: Iterable[str]) -> list[str]:
        """Participants whose name has one of ``words``, in people order."""
        return self._in_order(nip for word in words for nip in self.by_word.get(word, ()))

    def _by_name(self, names: list[str]) -> list[str]:
        keys = [_name_key(name_words(n)) for n in names]
        return self._in_order(
            nip for k in dict.fromkeys(keys) if k for nip in self.by_key.get(k, [])
        )

    def _by_part_of_name(self, names: list[str]) -> list[str]:
        """Participants whose name holds all words of the row's, or the other way round."""
        ours = [set(name_words(n)) for n in names]
        found: list[str] = []
        # Either way round the two names share a word: nobody else can qualify.
        for nip in self._sharing(word for words in ours for word in words):
            theirs = self.word_sets[nip]
            for words in ours:
                shorter, longer = sorted((words, theirs), key=len)
                # A single first name ("Budi") is too common to point at anyone, unless it
                # is the participant's whole name ("Yuliani").
                if (len(shorter) >= 2 or shorter is theirs) and shorter and shorter <= longer:
                    found.append(nip)
                    break
        return found

    def is_named_like(self, visit: Visit, keys: set[str]) -> bool:
        """Whether the row's display or original name is one of ``keys`` (see _name_key)."""
        return any(
            _name_key(name_words(n)) in keys for n in (visit.name, visit.original_name) if n.strip()
        )

    def candidates(self, visit: Visit, first: Iterable[str] = ()) -> list[str]:
        """Return up to 3 NIPs a person should look at for an unmatched row."""
        chosen = list(dict.fromkeys(first))
        words = [w for n in (visit.name, visit.original_name) for w in name_words(n)]
        # A shared word ("Hendra" in "iPhone Pak Hendra") is the strongest hint (_shares_word).
        chosen.extend(self._sharing(w for w in words if len(w) >= 3))
        chosen = list(dict.fromkeys(chosen))
        if len(chosen) >= 3:
            return chosen[:3]
        # Then a name spelled a little differently ("Bambang Sutrisna"). Among names with the
        # same first letter only: comparing with every name is what made a large roster slow,
        # and a typo seldom hits the first letter.
        key = _name_key(name_words(visit.name))
        if key:
            near = self.keys_by_initial.get(key[0], [])
            for close in difflib.get_close_matches(key, near, n=3, cutoff=0.6):
                chosen.extend(self.by_key[close])
        return list(dict.fromkeys(chosen))[:3]


def match_visits(
    visits: Sequence[Visit], people: Sequence[Person], facilitators: Iterable[str] = ()
) -> MatchResult:
    """Credit each report row to one participant, or list it as unmatched with candidates.

    ``facilitators``: the names of the cohort's facilitators. A row found by
    name alone that carries one of them is not credited (see the module's notes),
    whatever other rows of the participant were found by email, NIP or NDH.
    """
    matcher = _Matcher(people)
    taken = {_name_key(name_words(name)) for name in facilitators} - {""}
    result = MatchResult()
    # Who a row is depends on its email and names only, and reports repeat them (a reconnect,
    # "iPhone Budi" on a hundred rows): each is worked out once.
    known: dict[tuple[str, str, str], tuple[str, list[str], str | None]] = {}
    for visit in visits:
        seen = (visit.email.strip().casefold(), visit.name, visit.original_name)
        if seen not in known:
            known[seen] = _identify(matcher, visit, taken)
        how, found, reason = known[seen]
        if reason is None:
            nip = found[0]
            result.matched.setdefault(nip, []).append(visit)
            # One person may be found by email on one row and by name on another.
            if nip not in result.how or _RANK[how] < _RANK[result.how[nip]]:
                result.how[nip] = how
            continue
        result.unmatched.append(Unmatched(visit, reason, list(found)))
    return result


def _identify(
    matcher: _Matcher, visit: Visit, taken: set[str]
) -> tuple[str, list[str], str | None]:
    """Return (how, [NIP], None) for a match, else (how, candidates, reason)."""
    how, found, reason = matcher.find(visit)
    if reason is None and how == "name" and taken and matcher.is_named_like(visit, taken):
        reason = "ambiguous"
    if reason is None and len(found) == 1:
        return how, found, None
    if reason is None:
        reason = "ambiguous" if found else "no match"
    first = found if reason == "ambiguous" or how in ("ndh", "name") else []
    candidates = found if reason == "ambiguous" else matcher.candidates(visit, first)
    return how, candidates, reason
