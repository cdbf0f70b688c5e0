"""The hand-over after a cohort's last session: what the SIASN files, the closing pack, the
ranking and the honorarium recap are made of, read from the store.

Owns the translation of the one assessment (services/outcomes.assessed_for) and the attendance
report (services/outcomes.attendance_report) into the domain's hand-over rows, and writing a
set of files whole or not at all. Never computes an outcome, a score or a count itself (the
domain does), never prints, and never writes the store (the command records the export).
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from revmental_cli.messages import Msg
from revmental_cli.services.files import store_files

if TYPE_CHECKING:
    from revmental_cli.documents.closing import ClosingData
    from revmental_cli.domain.agencies import Agency
    from revmental_cli.domain.cohort import Cohort
    from revmental_cli.domain.handover import AttendanceRow, ParticipantResult
    from revmental_cli.domain.honorarium import Honorarium
    from revmental_cli.domain.ranking import Ranked
    from revmental_cli.store import Store


@dataclass(frozen=True)
class Results:
    participants: tuple[ParticipantResult, ...]  # not withdrawn, NDH order
    attendance: tuple[AttendanceRow, ...]
    withdrawn: tuple[tuple[int, str, str], ...]  # (ndh, nip, name)


def results(store: Store, cohort: Cohort) -> Results:
    """Every participant's outcome and attendance row, exactly as `report completion` and
    `report attendance` show them, with their agency and valid STTP number."""
    from revmental_cli.domain.handover import AttendanceRow, ParticipantResult, Remedial
    from revmental_cli.services.outcomes import assessed_for, attendance_report
    from revmental_cli.store import certificates, participants

    assessed = assessed_for(store, cohort)
    people = {p.nip: p for p in participants(store, cohort.id)}
    numbers = {c.nip: c.number for c in certificates(store, cohort.id) if c.revoked_at is None}
    rows = []
    for a in assessed:
        if a.withdrawn:
            continue
        p = people.get(a.nip)
        r = a.remedial
        rows.append(
            ParticipantResult(
                ndh=a.ndh,
                nip=a.nip,
                name=a.name,
                status=a.outcome.status,
                final_score=a.outcome.final,
                predicate=a.outcome.predicate,
                attendance_pct=a.attendance.pct,
                jp_attended=a.attendance.jp_attended,
                jp_total=a.attendance.jp_total,
                agency=p.agency if p else None,
                work_unit=p.work_unit if p else None,
                certificate_number=numbers.get(a.nip),
                remedial=None if r is None else Remedial(r.date, r.component, r.score),
                original_final=None if r is None else r.original.final,
            )
        )
    _records, _people, matrix = attendance_report(store, cohort)
    attendance = tuple(
        AttendanceRow(
            p.ndh,
            p.nip,
            p.name,
            {s.number: own.get(s.number) for s in cohort.sessions},
            summary.jp_attended,
            summary.jp_total,
            summary.pct,
        )
        for p, own, summary in matrix
    )
    withdrawn = tuple((a.ndh, a.nip, a.name) for a in assessed if a.withdrawn)
    return Results(tuple(rows), attendance, withdrawn)


def agencies(found: Results) -> list[Agency]:
    from revmental_cli.domain.agencies import group_agencies

    return group_agencies(found.participants)


@dataclass(frozen=True)
class SiasnFile:
    name: str
    agency: str
    rows: int
    content: bytes


def siasn_files(cohort: Cohort, found: Results) -> list[SiasnFile]:
    """Per agency with a passed participant, its .csv and .xlsx; refuses (InputError, before
    anything is written) while a passed participant has no STTP number."""
    from revmental_cli.documents.closing.siasn_files import csv_bytes, file_stem, xlsx_bytes
    from revmental_cli.domain.siasn import siasn_rows

    # Checked over everyone first, so the refusal names every unnumbered participant at once.
    siasn_rows(cohort, found.participants)
    out = []
    for agency in agencies(found):
        rows = siasn_rows(cohort, agency.participants)
        if not rows:
            continue
        stem = file_stem(agency)
        out.append(SiasnFile(f"{stem}.csv", agency.name, len(rows), csv_bytes(rows)))
        out.append(SiasnFile(f"{stem}.xlsx", agency.name, len(rows), xlsx_bytes(rows)))
    return out


def closing_data(cohort: Cohort, found: Results) -> ClosingData:
    from revmental_cli.documents.closing import ClosingData, letters_from

    letter, committee = letters_from(cohort)
    return ClosingData.build(
        cohort,
        found.participants,
        found.attendance,
        letter=letter,
        committee=committee,
        withdrawn=found.withdrawn,
    )


def closing_files(data: ClosingData) -> list[tuple[str, bytes]]:
    """The closing pack's documents, every one made before any is written."""
    from revmental_cli.documents.closing import (
        attendance_pdf,
        letter_bytes,
        report_bytes,
        results_pdf,
        workbook_bytes,
    )
    from revmental_cli.documents.closing.letters_docx import letter_file_name
    from revmental_cli.documents.closing.recap_pdf import (
        ATTENDANCE_FILE,
        RESULTS_FILE,
    )
    from revmental_cli.documents.closing.report_docx import FILE_NAME as REPORT_FILE
    from revmental_cli.documents.closing.workbook import FILE_NAME as WORKBOOK_FILE

    files = [(REPORT_FILE, report_bytes(data))]
    files += [(letter_file_name(a), letter_bytes(data, a)) for a in data.agencies]
    files += [
        (ATTENDANCE_FILE, attendance_pdf(data)),
        (RESULTS_FILE, results_pdf(data)),
        (WORKBOOK_FILE, workbook_bytes(data)),
    ]
    return files


def ranking_json(ranked: list[Ranked]) -> list[dict[str, Any]]:
    """`report ranking --json`."""
    return [
        {
            "rank": r.rank,
            "shared": r.shared,
            "ndh": r.result.ndh,
            "nip": r.result.nip,
            "name": r.result.name,
            "final_score": float(r.result.final_score),
            "attendance_pct": float(r.result.attendance_pct),
            "predicate": r.result.predicate,
        }
        for r in ranked
    ]


def honorarium_json(cohort: Cohort, pay: Honorarium) -> dict[str, Any]:
    """`report facilitators --json`: amounts in whole rupiah, null without a rate."""
    return {
        "cohort": cohort.id,
        "facilitators": [
            {
                "id": f.id,
                "name": f.name,
                "role": f.role,
                "internal": f.internal,
                "sessions": [
                    {
                        "session": s.number,
                        "date": s.date.isoformat(),
                        "title": s.title,
                        "kind": s.kind,
                        "jp": s.jp,
                    }
                    for s in f.sessions
                ],
                "jp_live": f.jp_live,
                "jp_self_study": f.jp_self_study,
                "jp_honorarium": f.jp_honorarium,
                "rate_per_jp": f.rate_per_jp,
                "amount": f.amount,
            }
            for f in pay.facilitators
        ],
        "total": {
            "jp_live": pay.jp_live,
            "jp_self_study": pay.jp_self_study,
            "jp_honorarium": pay.jp_honorarium,
            "amount": pay.amount,
            "unpriced": list(pay.unpriced),
        },
    }


def honorarium_table(pay: Honorarium) -> tuple[list[str], list[list[object]]]:
    """The CSV/XLSX columns and rows of `report facilitators`, the totals last."""
    columns = [
        "id",
        "name",
        "role",
        "internal",
        "sessions",
        "dates",
        "jp_live",
        "jp_self_study",
        "jp_honorarium",
        "rate_per_jp",
        "amount",
    ]
    rows: list[list[object]] = [
        [
            f.id,
            f.name,
            f.role,
            "yes" if f.internal else "no",
            ", ".join(str(s.number) for s in f.sessions),
            ", ".join(sorted({s.date.isoformat() for s in f.sessions})),
            f.jp_live,
            f.jp_self_study,
            f.jp_honorarium,
            f.rate_per_jp,
            f.amount,
        ]
        for f in pay.facilitators
    ]
    rows.append(
        ["total", "", "", "", "", "", pay.jp_live, pay.jp_self_study, pay.jp_honorarium,
         None, pay.amount]
    )  # fmt: skip
    return columns, rows


def write_all(directory: Path, files: list[tuple[str, bytes]], *, store: Path | str) -> list[Path]:
    """Write every file or none: each goes to a temporary file beside its target first, and
    only when all are complete do they replace their targets. The store is never a target."""
    from revmental_cli.errors import InputError, UsageError

    kept = store_files(store)
    for path in (directory, *(directory / name for name, _data in files)):
        if path.exists() and path.resolve() in kept:
            raise UsageError(
                Msg("{path} is the store itself; an export there would destroy it", path=path),
                hint=Msg("name another folder, e.g. --output penutupan"),
            )
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            Msg("cannot create {path} ({reason})", path=directory, reason=exc.strerror or exc)
        ) from None
    targets = [directory / name for name, _data in files]
    for target in targets:
        if target.exists() and not target.is_file():
            raise InputError(
                Msg("{path} is not a regular file", path=target),
                hint=Msg("remove it or choose another folder"),
            )
    temporaries: list[Path] = []
    try:
        for target, (_name, data) in zip(targets, files, strict=True):
            temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _BINARY, 0o600)
            temporaries.append(temporary)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        for temporary, target in zip(temporaries, targets, strict=True):
            os.replace(temporary, target)
    except OSError as exc:
        for temporary in temporaries:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        raise InputError(
            Msg("cannot write {path} ({reason})", path=directory, reason=exc.strerror or exc)
        ) from None
    return targets


_BINARY = getattr(os, "O_BINARY", 0)  # Windows would otherwise translate \n in a zip
