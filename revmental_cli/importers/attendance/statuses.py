"""The attendance statuses and the words a sheet or a person writes for them.

Owns ``STATUSES``, ``STATUS_WORDS`` and ``parse_status`` (``Hadir`` -> present), apart from
sheet.py so that the package and ``attendance mark`` read a status without loading the
sheet reader. Text in, a status out: never touches a file, the store, the console or the
clock.
"""

from __future__ import annotations

__all__ = ["STATUSES", "STATUS_WORDS", "parse_status"]

STATUSES = ("present", "late", "excused", "sick", "absent")
STATUS_WORDS: dict[str, str] = {
    "hadir": "present", "present": "present", "h": "present",
    "terlambat": "late", "telat": "late", "late": "late", "t": "late",
    "izin": "excused", "ijin": "excused", "excused": "excused", "i": "excused",
    "sakit": "sick", "sick": "sick", "s": "sick",
    "alpa": "absent", "alpha": "absent", "alfa": "absent", "absent": "absent",
    "tanpa keterangan": "absent", "tk": "absent", "a": "absent",
    "tidak hadir": "absent", "mangkir": "absent",
}  # fmt: skip


def parse_status(text: str) -> str:
    """Return the status a word stands for (``Hadir`` -> present); ValueError if unknown."""
    key = " ".join(text.strip().strip(".").casefold().replace(".", "").split())
    if key in STATUS_WORDS:
        return STATUS_WORDS[key]
    if key in STATUSES:
        return key
    raise ValueError(f"unknown status {text.strip()!r}")
