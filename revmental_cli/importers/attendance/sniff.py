"""Which format an attendance file's header says it is: the column names of every format and
the tests on them, apart from the readers.

Owns the header vocabularies detection needs (Zoom's stays in zoom.py, which reads nearly every
file), ``meet_columns``, ``sheet_columns``, ``is_teams_v1``, ``is_teams_v2`` and ``is_moodle``.
detect.py runs these on every file and imports a reader (meet.py, sheet.py, teams.py,
moodle.py) only once its format is chosen: a Zoom import never loads the others, their
regular expressions or the person rules they use. Never touches a file, the store, the
console or the clock, and imports no reader.
"""

from __future__ import annotations

from revmental_cli.importers.attendance.text import Record, first_columns, header_columns, key

__all__ = [
    "is_moodle",
    "is_teams_v1",
    "is_teams_v2",
    "meet_columns",
    "moodle_header",
    "sheet_columns",
]

_SNIFF_LINES = 60
_TEAMS_LOOKAHEAD = 12
_MOODLE_LOOKAHEAD = 15

# ---------------------------------------------------------------- Teams

_V1 = {
    "full name": "name",
    "name": "name",
    "nama lengkap": "name",
    "nama": "name",
    "user action": "action",
    "tindakan pengguna": "action",
    "action": "action",
    "timestamp": "stamp",
    "stempel waktu": "stamp",
    "tanda waktu": "stamp",
    "cap waktu": "stamp",
}
_V2 = {
    "name": "name",
    "full name": "name",
    "nama": "name",
    "nama lengkap": "name",
    "first join": "first",
    "first join time": "first",
    "bergabung pertama": "first",
    "last leave": "last",
    "last leave time": "last",
    "keluar terakhir": "last",
    "join time": "join",
    "waktu bergabung": "join",
    "leave time": "leave",
    "waktu keluar": "leave",
    "in-meeting duration": "minutes",
    "duration": "minutes",
    "durasi": "minutes",
    "durasi dalam rapat": "minutes",
    "email": "email",
    "e-mail": "email",
    "participant id (upn)": "upn",
    "upn": "upn",
    "role": "role",
    "peran": "role",
}


def _v1_header(cells: list[str]) -> dict[str, int]:
    columns = header_columns(cells, _V1)
    return columns if (len(columns) >= 2 and "action" in columns) or len(columns) == 3 else {}


def _v2_table(cells: list[str]) -> tuple[str, dict[str, int]] | None:
    columns = header_columns(cells, _V2)
    if "name" not in columns:
        return None
    if "first" in columns and "last" in columns:
        return "participants", columns
    # Zoom's detail table also has Join Time/Leave Time: a Teams table names roles or a UPN.
    if "join" in columns and "leave" in columns and ("role" in columns or "upn" in columns):
        return "activities", columns
    return None


def is_teams_v1(records: list[Record]) -> bool:
    """Whether the first records hold the old list's header."""
    return any(len(_v1_header(cells)) == 3 for _line, cells in records[: 2 * _TEAMS_LOOKAHEAD])


def is_teams_v2(records: list[Record]) -> bool:
    """Whether the first records are a 2021+ report's (see looks_like_teams_v2)."""
    for _line, cells in records[:3]:
        if key(cells[0]) in ("1. summary", "1. ringkasan", "meeting summary"):
            return True
    return any(_v2_table(cells) is not None for _line, cells in records[:_SNIFF_LINES])


# ---------------------------------------------------------------- Moodle

_WHO = {
    "id number": "id", "idnumber": "id", "nomor id": "id", "nomor induk": "id", "nip": "id",
    "last name": "last", "surname": "last", "nama belakang": "last",
    "first name": "first", "nama depan": "first",
    "full name": "full", "name": "full", "nama": "full", "nama lengkap": "full",
    "email": "email", "email address": "email", "alamat email": "email", "e-mail": "email",
    "username": "username", "nama pengguna": "username",
}  # fmt: skip


def moodle_header(cells: list[str]) -> bool:
    keys = [key(cell) for cell in cells]
    who = {_WHO[k] for k in keys if k in _WHO}
    named = bool(who & {"id", "email", "username", "full"}) or {"first", "last"} <= who
    if not named:
        return False  # the dated titles are parsed only then: moodle_titles loads for Moodle
    from revmental_cli.importers.attendance.moodle_titles import is_session

    dated = any(is_session(cell) for cell in cells)
    return dated or any(k in ("taken sessions", "sesi yang diambil") for k in keys)


def is_moodle(records: list[Record]) -> bool:
    """Whether the first records hold an Attendance export's header."""
    return any(moodle_header(cells) for _line, cells in records[:_MOODLE_LOOKAHEAD])


# ---------------------------------------------------------------- Meet

_MEET = {
    "first name": "first",
    "nama depan": "first",
    "last name": "last",
    "nama belakang": "last",
    "full name": "full",
    "name": "full",
    "nama": "full",
    "nama lengkap": "full",
    "participant": "full",
    "email": "email",
    "e-mail": "email",
    "email address": "email",
    "alamat email": "email",
    "duration": "minutes",
    "durasi": "minutes",
    # Google Workspace's attendance export: "Full Name, Email, First Seen, Time in Call".
    "time in call": "minutes",
    "waktu dalam panggilan": "minutes",
    "time joined": "join",
    "joined at": "join",
    "join time": "join",
    "first seen": "join",
    "waktu bergabung": "join",
    "bergabung pada": "join",
    "time exited": "leave",
    "left at": "leave",
    "leave time": "leave",
    "last seen": "leave",
    "waktu keluar": "leave",
    "keluar pada": "leave",
    "date": "date",
    "tanggal": "date",
    "meeting date": "date",
}


def meet_columns(keys: list[str]) -> dict[str, int] | None:
    columns = first_columns(keys, _MEET)
    named = "first" in columns or "full" in columns
    timed = "minutes" in columns or ("join" in columns and "leave" in columns)
    # Meet sheets always carry an email column; requiring it keeps a roster
    # or a score sheet with a "Nama" column from passing as a Meet report.
    if not (named and timed and "email" in columns):
        return None
    return columns


# ------------------------------------------------ plain sheets and forms

_CSV = {
    "nip": "nip",
    "n.i.p": "nip",
    "n.i.p.": "nip",
    "nip baru": "nip",
    "nomor induk pegawai": "nip",
    "status": "status",
    "status kehadiran": "status",
    "kehadiran": "status",
    "presensi": "status",
    "attendance": "status",
    "keterangan": "keterangan",
    "ket": "keterangan",
    "ket.": "keterangan",
    "menit": "minutes",
    "minutes": "minutes",
    "durasi": "minutes",
    "durasi (menit)": "minutes",
    "duration": "minutes",
    "duration (minutes)": "minutes",
    "lama (menit)": "minutes",
    "catatan": "note",
    "note": "note",
    "notes": "note",
    # A Google Forms daily-presence export: whoever filled the form was there.
    "timestamp": "timestamp",
    "stempel waktu": "timestamp",
    "cap waktu": "timestamp",
}


def sheet_columns(keys: list[str]) -> dict[str, int] | None:
    columns = first_columns(keys, _CSV)
    if "status" not in columns and "keterangan" in columns:
        columns["status"] = columns.pop("keterangan")
    elif "keterangan" in columns:
        # Next to a Status column, Keterangan is the note.
        columns.setdefault("note", columns["keterangan"])
        del columns["keterangan"]
    if "nip" not in columns or ("status" not in columns and "timestamp" not in columns):
        return None
    return columns
