"""How the importers read a header cell: the two folds and the roster's column names.

Owns: ``header_key`` (case, spaces and punctuation do not count: "N.I.P" is "nip"), used by
roster, scores and the roster-header test of tabular; ``spaced_key`` (case, quotes, BOM and
runs of spaces do not count, punctuation does: "Duration (Minutes)"), used by the attendance
readers; and the single list of what each roster column may be called (``header_field``).

Every importer may import this module; it imports none of them (that is what keeps the
importers free of import cycles). Never touches a file, the store, the console or the clock.
"""

from __future__ import annotations

import re

__all__ = [
    "BIRTH_PLACE_DATE",
    "OTHER_ID",
    "PANGKAT",
    "header_field",
    "header_key",
    "looks_like_roster_header",
    "spaced_key",
]

# The pseudo-field for a combined "Tempat, Tanggal Lahir" column.
BIRTH_PLACE_DATE = "birth_place_date"
PANGKAT = "pangkat"
OTHER_ID = "other_id"

_ALIASES: dict[str, tuple[str, ...]] = {
    # SIMPEG-style exports keep the titles apart; the name is kept as written, titles included.
    "title_front": ("Gelar Depan", "Gelar Dpn", "Gelar Akademik Depan"),
    "title_back": ("Gelar Belakang", "Gelar Blkg", "Gelar Akademik Belakang"),
    "ndh": ("No", "No.", "Nomor", "NDH", "No Urut", "Nomor Urut", "No Absen", "Nomor Daftar Hadir"),
    "name": (
        "Nama", "Nama Lengkap", "Nama Peserta", "Nama dan Gelar", "Nama Lengkap dan Gelar",
        "Nama Lengkap dengan Gelar", "Nama Lengkap Beserta Gelar", "Nama Pegawai", "Nama ASN",
        "Name", "Full Name", "Participant Name", "Participant",
    ),
    "nip": (
        "NIP", "N.I.P", "NIP Baru", "No. NIP", "Nomor NIP", "NIP/NRP", "NIP Peserta",
        "Nomor Induk Pegawai", "Employee ID", "Employee Number", "NIP/NIK", "NIP/NRP/NIK",
        "NIP/NIK/NRP", "NIP atau NIK", "NIP atau NRP",
    ),
    # A non-ASN participant's number: the NIP column when there is none, else ignored.
    OTHER_ID: (
        "NIK", "NRP", "No. NIK", "Nomor NIK", "No. NRP", "Nomor NRP", "NIK/NRP",
        "Nomor Induk Kependudukan",
    ),
    "birth_place": ("Tempat Lahir", "Birth Place", "Birthplace", "Place of Birth"),
    "birth_date": ("Tanggal Lahir", "Tgl Lahir", "Date of Birth", "Birth Date", "DOB"),
    BIRTH_PLACE_DATE: (
        "Tempat, Tanggal Lahir", "Tempat/Tanggal Lahir", "Tempat dan Tanggal Lahir",
        "Tempat, Tgl Lahir", "Tempat/Tgl Lahir", "TTL", "Place and Date of Birth",
    ),
    "sex": ("Jenis Kelamin", "JK", "L/P", "Kelamin", "Sex", "Gender"),
    "golongan": (
        "Pangkat/Gol", "Pangkat/Golongan", "Pangkat/Gol. Ruang", "Pangkat Golongan", "Golongan",
        "Gol", "Gol. Ruang", "Golongan Ruang", "Pangkat/Golongan Ruang", "Golongan/Ruang",
        "Gol/Ruang", "Pangkat/Gol/Ruang", "Rank/Grade", "Grade",
    ),
    # Alone it is the golongan column; next to a golongan column the two are
    # read together ("Penata" + "III/c"), which also checks they agree.
    PANGKAT: ("Pangkat", "Rank"),
    "position": (
        "Jabatan", "Nama Jabatan", "Jabatan Saat Ini", "Jabatan Terakhir", "Position",
        "Job Title",
    ),
    "agency": (
        "Instansi", "Asal Instansi", "Instansi Asal", "Nama Instansi", "Instansi/Unit Kerja",
        "Asal Instansi/Unit Kerja", "Instansi Pengirim", "Lembaga", "Asal Lembaga", "Agency",
        "Institution", "Organisation", "Organization",
    ),
    "work_unit": ("Unit Kerja", "Satuan Kerja", "Satker", "Work Unit", "Unit"),
    "email": (
        "Email", "E-mail", "Alamat Email", "Alamat E-mail", "Surel", "Alamat Surel", "Email Dinas",
        "Email Aktif", "E-mail Aktif", "Email Pribadi", "Email Address",
    ),
    "phone": (
        "No. HP", "No HP", "Nomor HP", "HP", "Handphone", "No. Handphone", "Telepon", "Telp",
        "No. Telp", "No. Telepon", "Nomor Telepon", "WA", "No. WA", "Nomor WA", "WhatsApp",
        "No. WhatsApp", "No. HP/WA", "HP/WA", "Nomor HP/WA", "No. WA/HP", "Nomor WA/HP",
        "Nomor WhatsApp", "No. Telp/HP", "No. Telp./HP", "Nomor Telepon/HP", "Telp/HP", "HP/Telp",
        "No. Kontak", "Nomor Kontak", "Kontak", "Phone", "Phone Number", "Mobile", "Telephone",
    ),
    "employment": (
        "Status Kepegawaian", "Jenis ASN", "ASN", "Status ASN", "Status Pegawai", "Employment",
        "Employment Status",
    ),
}  # fmt: skip

_NOT_A_WORD = re.compile(r"[\W_]+")


def header_key(header: str) -> str:
    """Fold a header for lookup: case, spaces and punctuation do not count."""
    return _NOT_A_WORD.sub("", header.casefold())


_BY_KEY = {header_key(alias): name for name, aliases in _ALIASES.items() for alias in aliases}


def header_field(header: str) -> str | None:
    """Return the roster field a header names (``"birth_place_date"`` for TTL), or None."""
    found = _BY_KEY.get(header_key(header))
    if found is None:
        # "Jenis Kelamin (L/P)", "NIP (18 digit)": the note in brackets is not the name.
        without_note = re.sub(r"\(.*?\)", " ", header)
        if without_note != header:
            found = _BY_KEY.get(header_key(without_note))
    return found


def looks_like_roster_header(cells: list[str]) -> bool:
    """Tell whether a row names a NIP or name column (used to skip title rows)."""
    return any(header_field(cell) in ("nip", "name") for cell in cells if cell.strip())


def spaced_key(header: str) -> str:
    """Fold a header for lookup: case, BOM, quotes and runs of spaces do not matter."""
    text = header.replace("\ufeff", "").strip().strip('"').casefold()
    return " ".join(text.replace("_", " ").split())
