"""The rows an agency's HR operator imports into BKN's SIASN (riwayat kursus). Pure: no I/O.

Owns the column names SIASN expects, in order, and what goes in each; must never write a file
(documents/closing/siasn_files.py does) nor decide who passed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import astuple, dataclass

from revmental_cli.domain.cohort import Cohort
from revmental_cli.domain.handover import ParticipantResult, siasn_date
from revmental_cli.errors import InputError

COLUMNS = (
    "nip",
    "namaKursus",
    "institusiPenyelenggara",
    "jenisDiklatId",
    "jenisKursusSertipikat",
    "jumlahJam",
    "nomorSertipikat",
    "tahunKursus",
    "tanggalKursus",
    "tanggalSelesaiKursus",
    "dokumen",
)


@dataclass(frozen=True)
class SiasnRow:
    nip: str  # text: 18 digits, never a number
    namaKursus: str  # SIASN's own column names, as its import reads them
    institusiPenyelenggara: str
    jenisDiklatId: int
    jenisKursusSertipikat: str
    jumlahJam: int
    nomorSertipikat: str
    tahunKursus: int
    tanggalKursus: str
    tanggalSelesaiKursus: str
    dokumen: str

    def values(self) -> tuple[str | int, ...]:
        return astuple(self)


def sttp_file_name(ndh: int, nip: str) -> str:
    """The STTP's PDF as the certificate run names it: ``05_199001012015031001.pdf``."""
    return f"{ndh:02d}_{nip}.pdf"


def course_name(cohort: Cohort) -> str:
    return f"{cohort.programme_name} {cohort.angkatan_label} Tahun {cohort.year}"


def siasn_rows(cohort: Cohort, results: Iterable[ParticipantResult]) -> list[SiasnRow]:
    """One row per passed participant, in NDH order.

    Refuses (InputError) while BKN's references are missing from the cohort file or a passed
    participant has no STTP number: SIASN rejects a course without them.
    """
    passed = sorted((r for r in results if r.status == "passed"), key=lambda r: r.ndh)
    rules = cohort.siasn
    if rules.jenis_diklat_id is None or not rules.jenis_kursus_sertipikat:
        raise InputError(
            f"cohort {cohort.id} has no SIASN references (siasn.jenis_diklat_id, "
            "siasn.jenis_kursus_sertipikat)",
            hint="add a siasn: section to the cohort file and open it again",
        )
    unnumbered = [r for r in passed if not r.certificate_number]
    if unnumbered:
        names = ", ".join(f"{r.name} (NDH {r.ndh}, NIP {r.nip})" for r in unnumbered[:5])
        more = f" and {len(unnumbered) - 5} more" if len(unnumbered) > 5 else ""
        raise InputError(
            f"{len(unnumbered)} passed participant(s) have no STTP number: {names}{more}",
            hint="run `revmental certificate issue` first",
        )
    return [
        SiasnRow(
            nip=r.nip,
            namaKursus=course_name(cohort),
            institusiPenyelenggara=cohort.organiser,
            jenisDiklatId=rules.jenis_diklat_id,
            jenisKursusSertipikat=rules.jenis_kursus_sertipikat,
            jumlahJam=cohort.jp_total,
            nomorSertipikat=r.certificate_number or "",
            tahunKursus=cohort.year,
            tanggalKursus=siasn_date(cohort.start),
            tanggalSelesaiKursus=siasn_date(cohort.end),
            dokumen=sttp_file_name(r.ndh, r.nip),
        )
        for r in passed
    ]
