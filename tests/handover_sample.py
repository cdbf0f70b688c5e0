"""A closing bundle for the hand-over tests: the PRM 2021 II cohort with made-up results."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from revmental_cli.cohort_file import read_definition
from revmental_cli.documents.closing import ClosingData
from revmental_cli.domain.cohort import Cohort
from revmental_cli.domain.handover import (
    AttendanceRow,
    ClosingTexts,
    Letter,
    ParticipantResult,
    Remedial,
)

ROOT = Path(__file__).resolve().parent.parent


def cohort() -> Cohort:
    return read_definition(ROOT / "cohorts" / "prm-2021-ii.yaml").cohort


# (name, agency as written, work unit, status, final, predicate, attendance %)
PEOPLE = [
    (
        "Siti Aminah, S.E.",
        "Badan Kepegawaian Negara",
        "Direktorat Kinerja ASN",
        "passed",
        "88.50",
        "Memuaskan",
        "100.0",
    ),
    (
        "Budi Santoso, S.Kom.",
        "badan  kepegawaian negara ",
        "Biro SDM",
        "passed",
        "91.20",
        "Sangat Memuaskan",
        "96.3",
    ),
    (
        '=HYPERLINK("x") Dewi',
        "Kementerian Dalam Negeri",
        "Inspektorat",
        "passed",
        "88.50",
        "Memuaskan",
        "100.0",
    ),
    (
        "Rizki Pratama",
        "Kementerian Dalam Negeri",
        None,
        "deferred",
        "65.40",
        "Kurang Memuaskan",
        "92.6",
    ),
    (
        "Yuliani",
        "Pemerintah Kota Bandung",
        "Dinas Kesehatan",
        "not_passed",
        "71.00",
        "Cukup Memuaskan",
        "74.1",
    ),
    (
        "Hendra Wijaya, S.H.",
        "Pemerintah Kota Bandung",
        "Bagian Hukum",
        "passed",
        "70.01",
        "Cukup Memuaskan",
        "100.0",
    ),
    ("Agus #exit *bold*", "CON", "Sekretariat", "passed", "80.25", "Memuaskan", "92.6"),
]


def nip(i: int) -> str:
    return f"19{80 + i:02d}0101200501{1000 + i:04d}"


def results() -> list[ParticipantResult]:
    out = []
    for i, (name, agency, unit, status, final, band, pct) in enumerate(PEOPLE, start=1):
        remedial = Remedial(dt.date(2021, 11, 5), "rancangan", Decimal("78.00")) if i == 6 else None
        out.append(
            ParticipantResult(
                ndh=i,
                nip=nip(i),
                name=name,
                status=status,
                final_score=Decimal(final),
                predicate=band,
                attendance_pct=Decimal(pct),
                jp_attended=round(27 * float(pct) / 100),
                jp_total=27,
                agency=agency,
                work_unit=unit,
                certificate_number=f"{i:03d}/STTP/PRM-II/PKASN/2021"
                if status == "passed"
                else None,
                remedial=remedial,
                original_final=Decimal("66.00") if remedial else None,
            )
        )
    return out


def attendance(c: Cohort) -> list[AttendanceRow]:
    cycle = ["present", "present", "late", "present", "excused", None, "absent", "sick"]
    rows = []
    for i, r in enumerate(results(), start=1):
        statuses = {s.number: cycle[(s.number + i) % len(cycle)] for s in c.sessions}
        rows.append(
            AttendanceRow(
                r.ndh, r.nip, r.name, statuses, r.jp_attended, r.jp_total, r.attendance_pct
            )
        )
    return rows


def letter() -> Letter:
    return Letter(
        number="B.589/PKASN/X/2021",
        date=dt.date(2021, 10, 29),
        place="Jatinangor",
        signatory_title="Kepala Pusat Pembelajaran dan Strategi Kebijakan Manajemen PKASN",
        signatory_name="Dr. Nama Pejabat, M.Si.",
        signatory_nip="197001011995031001",
    )


def committee() -> Letter:
    return Letter(
        number=None,
        date=dt.date(2021, 10, 29),
        place="Jatinangor",
        signatory_title="Ketua Panitia",
        signatory_name="Sri Wahyuni, S.AP., M.Si.",
        signatory_nip="198203152006042001",
    )


def data(people: list[ParticipantResult] | None = None) -> ClosingData:
    c = cohort()
    return ClosingData.build(
        c,
        results() if people is None else people,
        attendance(c) if people is None else [],
        letter=letter(),
        committee=committee(),
        texts=ClosingTexts(
            basis=(
                "Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara.",
                "Peraturan Lembaga Administrasi Negara tentang pengembangan kompetensi.",
            ),
        ),
        withdrawn=[(8, nip(8), "Andi Saputra")],
    )
