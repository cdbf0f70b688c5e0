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
4. ``name``: the display or original name without titles, bracketed text and
   digits equals a participant's name, or all words of the shorter of the
   two appear in the longer (when that points at one participant only).

Two or more participants at the same step make the row ``ambiguous``; it is
never guessed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from revmental_cli.domain.cohort import AttendanceRules
from revmental_cli.domain.person import strip_titles

if TYPE_CHECKING:
    from revmental_cli.importers.attendance import Visit

__all__ = [
    "MatchResult",
    "Person",
    "Unmatched",
    "attendance_for",
    "match_visits",
    "merge_minutes",
    "name_words",
    "status_for",
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


def attendance_for(
    visits: Sequence[Visit], start: datetime, end: datetime, rules: AttendanceRules
) -> tuple[str, float]:
    """Return (status, minutes) for one person's visits to the session [start, end].

    Rows with join and leave times are merged as intervals; rows with only a
    duration (unique-users exports, Meet rows without a date) add their
    minutes, capped at the session's length because such totals are plain
    sums that over-count a second device.
    """
    session_minutes = (end - start).total_seconds() / 60
    timed = [(v.join, v.leave) for v in visits if v.join is not None and v.leave is not None]
    minutes = merge_minutes(timed, start, end)
    minutes += sum(
        v.minutes for v in visits if (v.join is None or v.leave is None) and v.minutes is not None
    )
    minutes = min(minutes, session_minutes)
    joins = [join for join, _ in timed]
    first_join = min(joins) if joins else None
    return status_for(minutes, first_join, start, session_minutes, rules), minutes


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


def name_words(name: str) -> list[str]:
    """Return a name's words for matching: no titles, bracketed text, digits or case."""
    text = _BRACKETED.sub(" ", name)
    text = _DIGITS_UNDERSCORES.sub(" ", text)
    # strip_titles needs the commas and dots to recognise degrees ("S.Kom.").
    text = strip_titles(" ".join(text.split()))
    return _NOT_LETTERS.sub(" ", text).split()


def _shares_word(a: list[str], b: list[str]) -> bool:
    return bool({w for w in a if len(w) >= 3} & {w for w in b if len(w) >= 3})


class _Matcher:
    def __init__(self, people: Sequence[Person]) -> None:
        # Sorted so that candidates and ties always come out in the same order.
        self.people = sorted(people, key=lambda p: (p.ndh, p.nip))
        self.words = {p.nip: name_words(p.name) for p in self.people}
        self.keys = {p.nip: " ".join(self.words[p.nip]) for p in self.people}
        # Indexes, in people order: a 5,000-row report must not scan every person per row.
        self.by_email: dict[str, list[str]] = {}
        self.by_ndh: dict[int, list[str]] = {}
        self.by_key: dict[str, list[str]] = {}
        for p in self.people:
            if p.email:
                self.by_email.setdefault(p.email.casefold(), []).append(p.nip)
            self.by_ndh.setdefault(p.ndh, []).append(p.nip)
            self.by_key.setdefault(self.keys[p.nip], []).append(p.nip)
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
        found = [p.nip for p in self.people if p.nip in nips] if nips & self.nips else []
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
        return "name", self._by_name(names), None

    def _by_name(self, names: list[str]) -> list[str]:
        keys = [" ".join(name_words(n)) for n in names]
        keys = [k for k in keys if k]
        exact = [nip for k in dict.fromkeys(keys) for nip in self.by_key.get(k, [])]
        if exact:
            return sorted(set(exact), key=self._order.__getitem__)
        contained: list[str] = []
        for person in self.people:
            theirs = self.words[person.nip]
            for key in keys:
                ours = key.split()
                shorter, longer = sorted((ours, theirs), key=len)
                # A single first name ("Budi") says too little on its own,
                # unless it is the participant's whole name ("Yuliani").
                if len(shorter) < 2 and shorter is not theirs:
                    continue
                if shorter and set(shorter) <= set(longer):
                    contained.append(person.nip)
                    break
        return contained

    def candidates(self, visit: Visit, first: Iterable[str] = ()) -> list[str]:
        """Return up to 3 NIPs a person should look at for an unmatched row."""
        chosen = list(dict.fromkeys(first))
        words = [w for n in (visit.name, visit.original_name) for w in name_words(n)]
        key = " ".join(name_words(visit.name))
        # A shared word ("Hendra" in "iPhone Pak Hendra") is the strongest hint.
        for person in self.people:
            if _shares_word(words, self.words[person.nip]):
                chosen.append(person.nip)
        by_key: dict[str, list[str]] = {}
        for person in self.people:
            by_key.setdefault(self.keys[person.nip], []).append(person.nip)
        for close in difflib.get_close_matches(key, list(by_key), n=3, cutoff=0.6):
            chosen.extend(by_key[close])
        return list(dict.fromkeys(chosen))[:3]


def match_visits(visits: Sequence[Visit], people: Sequence[Person]) -> MatchResult:
    """Credit each report row to one participant, or list it as unmatched with candidates."""
    matcher = _Matcher(people)
    result = MatchResult()
    for visit in visits:
        how, found, reason = matcher.find(visit)
        if reason is None and len(found) == 1:
            nip = found[0]
            result.matched.setdefault(nip, []).append(visit)
            # One person may be found by email on one row and by name on another.
            if nip not in result.how or _RANK[how] < _RANK[result.how[nip]]:
                result.how[nip] = how
            continue
        if reason is None:
            reason = "ambiguous" if found else "no match"
        first = found if reason == "ambiguous" or how == "ndh" else []
        candidates = found if reason == "ambiguous" else matcher.candidates(visit, first)
        result.unmatched.append(Unmatched(visit, reason, candidates))
    return result
