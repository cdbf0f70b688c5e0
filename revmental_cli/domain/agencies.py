"""Sending agencies (instansi) as the roster writes them, and a safe file name for each. Pure.

Owns the grouping (case and spacing do not make a new agency; other spellings do: "BKN" and
"Badan Kepegawaian Negara" stay two, a person decides whether they are one) and file names
that Windows, macOS and Linux all accept. Must never read or write a file.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from revmental_cli.domain.handover import ParticipantResult

NO_AGENCY = "Instansi tidak diisi"
MAX_STEM = 60  # leaves room for a prefix, a suffix and the folder within Windows' 260 characters

_UNSAFE = re.compile(r'[<>:"/\\|?*]')
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(10)),
    *(f"LPT{i}" for i in range(10)),
    "COM¹",
    "COM²",
    "COM³",
    "LPT¹",
    "LPT²",
    "LPT³",
}


def fold(name: str | None) -> str:
    """The grouping key: spacing collapsed, case folded."""
    return " ".join((name or "").split()).casefold()


@dataclass(frozen=True)
class Agency:
    key: str  # fold(name); "" for participants without an agency
    name: str  # the most common spelling, spacing tidied
    file_stem: str  # safe and unique among the agencies
    participants: tuple[ParticipantResult, ...]  # in NDH order


def group_agencies(results: Iterable[ParticipantResult]) -> list[Agency]:
    """Agencies in order of their display name, each with its participants."""
    members: dict[str, list[ParticipantResult]] = {}
    spellings: dict[str, Counter[str]] = {}
    first_seen: dict[str, dict[str, int]] = {}
    for i, r in enumerate(sorted(results, key=lambda r: r.ndh)):
        key = fold(r.agency)
        members.setdefault(key, []).append(r)
        spelled = " ".join((r.agency or "").split()) or NO_AGENCY
        spellings.setdefault(key, Counter())[spelled] += 1
        first_seen.setdefault(key, {}).setdefault(spelled, i)
    names: dict[str, str] = {}
    for key, counts in spellings.items():
        seen = first_seen[key]
        # The most common spelling; between equals, the one written first (NDH order).
        names[key] = min(counts, key=lambda spelled: (-counts[spelled], seen[spelled]))
    ordered = sorted(members, key=lambda k: (k == "", names[k].casefold(), names[k]))
    taken: set[str] = set()
    out = []
    for key in ordered:
        stem = unique_stem(safe_stem(names[key]), taken)
        out.append(Agency(key, names[key], stem, tuple(members[key])))
    return out


def safe_stem(name: str, limit: int = MAX_STEM) -> str:
    """A file name (without extension) from an agency name, valid on every desktop OS."""
    text = " ".join(unicodedata.normalize("NFC", name).split())  # tabs and newlines too
    text = _CONTROL.sub("", text)
    text = _UNSAFE.sub("-", text)
    text = re.sub(r"-{2,}", "-", " ".join(text.split()))
    text = text[:limit].rstrip(" .")
    text = text.lstrip(" .-")
    if not text:
        text = "instansi"
    # CON, con.txt and "NUL " are all the device on Windows.
    if text.split(".")[0].strip().upper() in _RESERVED:
        text = f"_{text}"
    return text


def unique_stem(stem: str, taken: set[str]) -> str:
    """``stem``, or ``stem-2``, ``stem-3``..., unused so far in ``taken`` (compared as Windows
    does, ignoring case); the chosen one is added to ``taken``."""
    folded = {t.casefold() for t in taken}
    candidate, n = stem, 1
    while candidate.casefold() in folded:
        n += 1
        suffix = f"-{n}"
        candidate = stem[: MAX_STEM - len(suffix)].rstrip(" .") + suffix
    taken.add(candidate)
    return candidate
