"""Who a report row is: matching a visit (one row of a Zoom or Meet report) to a participant.

Pure and deterministic: the same visits and people always give the same
result, whatever order dictionaries or sets would otherwise impose. No I/O,
no clock, no store.

Matching tries, in order, and stops at the first step that finds anyone:

1. ``email``: the row's email equals the participant's (any case);
2. ``nip``: an 18-digit NIP written in the display or original name, digits
   possibly grouped with spaces, dots or dashes;
3. ``ndh``: the participant's NDH at the start of the display name
   (``05_Siti``, ``5. Siti``, ``[05] Siti``); when the rest of the name shares
   no word with that participant's name, the row is left unmatched with the
   participant as a candidate, because a typo in the number would otherwise
   credit the wrong person. A real name in brackets after a nickname
   (``07_Ucok (Rahmat Hidayat)``) that shares a word with that participant's name
   fits too; one that is another participant's makes the row ``ambiguous``;
4. ``name``: the display or original name without titles, forms of address
   ("Bu", "Pak"), bracketed text and digits, or the name in brackets alone
   (``Ucok (Rahmat Hidayat)``), has exactly the words of a participant's name, in any
   order. Part of a name is not enough either way
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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from revmental_cli.domain.person import strip_titles
from revmental_cli.domain.visits import Visit
from revmental_cli.messages import Msg

__all__ = ["MatchResult", "Person", "Unmatched", "match_visits", "name_words"]

# The reasons of an unmatched row: English in JSON, translated where they are shown.
NO_MATCH = Msg("no match")
AMBIGUOUS = Msg("ambiguous")


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
_IN_BRACKETS = re.compile(r"\(([^()]*)\)")
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
        # Indexes, in people order: a 5,000-row report must not scan every person per row
        # (nor a row without email run difflib over every name: 13 s for 2,500 people).
        self.by_email: dict[str, list[str]] = {}
        self.by_ndh: dict[int, list[str]] = {}
        for p in self.people:
            if p.email:
                self.by_email.setdefault(p.email.casefold(), []).append(p.nip)
            self.by_ndh.setdefault(p.ndh, []).append(p.nip)
        self.nips = {p.nip for p in self.people}
        self._order = {p.nip: i for i, p in enumerate(self.people)}
        # The names' words and their indexes are made when a row is not found by email
        # (_index): a report whose rows all carry an enrolled email needs none of them, and
        # taking every name apart was a third of planning a large session.
        self.words: dict[str, list[str]] = {}
        self.word_sets: dict[str, frozenset[str]] = {}
        self.keys: dict[str, str] = {}
        self.by_key: dict[str, list[str]] = {}
        self.by_word: dict[str, list[str]] = {}
        # Names by their key's first letter: difflib compares a row's name with these only.
        self.keys_by_initial: dict[str, list[str]] = {}
        self._indexed = False

    def _index(self) -> None:
        if self._indexed:
            return
        self._indexed = True
        self.words = {p.nip: name_words(p.name) for p in self.people}
        self.word_sets = {nip: frozenset(words) for nip, words in self.words.items()}
        self.keys = {p.nip: _name_key(self.words[p.nip]) for p in self.people}
        for p in self.people:
            key = self.keys[p.nip]
            if key not in self.by_key and key:
                self.keys_by_initial.setdefault(key[0], []).append(key)
            self.by_key.setdefault(key, []).append(p.nip)
            for word in self.word_sets[p.nip]:
                self.by_word.setdefault(word, []).append(p.nip)

    def find(self, visit: Visit) -> tuple[str, list[str], str | None]:
        """Return (how, NIPs, reason): one NIP is a match; else reason says why not."""
        # The real name in brackets after a nickname ("07_Ucok (Rahmat Hidayat)"): Zoom splits
        # it off as the original name; Meet and Teams keep it in the display name.
        email = visit.email.strip().casefold()
        if email:
            found = self.by_email.get(email, [])
            if found:
                return "email", found, None
        self._index()
        inner = [m.strip() for m in _IN_BRACKETS.findall(visit.name) if m.strip()]
        names = list(
            dict.fromkeys(n for n in (visit.name, visit.original_name, *inner) if n.strip())
        )
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
                bracketed = [w for n in inner for w in name_words(n)]
                fitting = [
                    nip
                    for nip in found
                    if not rest
                    or _shares_word(rest, self.words[nip])
                    or _shares_word(bracketed, self.words[nip])
                ]
                if fitting:
                    return "ndh", fitting, None
                # The bracketed name is someone else's: the number and the name disagree.
                named = self._by_name(inner)
                if named:
                    return "ndh", self._in_order([*found, *named]), AMBIGUOUS
                return "ndh", found, NO_MATCH
        exact = self._by_name(names)
        if exact:
            return "name", exact, None
        # Part of a name is no match, but its owner is the first person to look at.
        return "name", self._by_part_of_name(names), NO_MATCH

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
        self._index()
        return any(
            _name_key(name_words(n)) in keys for n in (visit.name, visit.original_name) if n.strip()
        )

    def candidates(self, visit: Visit, first: Iterable[str] = ()) -> list[str]:
        """Return up to 3 NIPs a person should look at for an unmatched row."""
        self._index()
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
        reason = AMBIGUOUS
    if reason is None and len(found) == 1:
        return how, found, None
    if reason is None:
        reason = AMBIGUOUS if found else NO_MATCH
    first = found if reason == "ambiguous" or how in ("ndh", "name") else []
    candidates = found if reason == "ambiguous" else matcher.candidates(visit, first)
    return how, candidates, reason
