"""The hand-over's pure rules: ranking, honorarium, remedial, SIASN rows, agencies, rupiah."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from revmental_cli.domain.agencies import NO_AGENCY, fold, group_agencies, safe_stem, unique_stem
from revmental_cli.domain.cohort import (
    Cohort,
    CompletionRules,
    Facilitator,
    Session,
    SiasnRules,
)
from revmental_cli.domain.completion import AttendanceSummary, decide
from revmental_cli.domain.handover import (
    ParticipantResult,
    Remedial,
    keterangan,
    rupiah,
    siasn_date,
    tanggal,
)
from revmental_cli.domain.honorarium import honorarium
from revmental_cli.domain.ranking import rank, top
from revmental_cli.domain.remedial import apply_remedial
from revmental_cli.domain.siasn import COLUMNS, siasn_rows, sttp_file_name
from revmental_cli.errors import InputError


def person(
    ndh: int,
    final: str = "80.00",
    pct: str = "100.0",
    status: str = "passed",
    agency: str | None = "BKN",
    number: str | None = "x",
) -> ParticipantResult:
    return ParticipantResult(
        ndh=ndh,
        nip=f"1990010120150310{ndh:02d}",
        name=f"Peserta {ndh}",
        status=status,
        final_score=Decimal(final),
        predicate="Memuaskan",
        attendance_pct=Decimal(pct),
        jp_attended=27,
        jp_total=27,
        agency=agency,
        certificate_number=number,
    )


def cohort(**changes: object) -> Cohort:
    base = Cohort(
        id="PRM-2021-II",
        programme_code="PRM",
        programme_name="Pelatihan Revolusi Mental",
        angkatan=2,
        year=2021,
        organiser="Puslatbang PKASN LAN",
        mode="daring",
        start=dt.date(2021, 9, 29),
        end=dt.date(2021, 10, 29),
        sessions=(
            Session(1, dt.date(2021, 9, 29), dt.time(9), dt.time(12), "A", 4, "F1", "sinkron"),
            Session(2, dt.date(2021, 9, 30), dt.time(9), dt.time(12), "B", 3, "F1", "klasikal"),
            Session(3, dt.date(2021, 10, 1), dt.time(9), dt.time(12), "C", 4, "F2", "asinkron"),
            Session(4, dt.date(2021, 10, 2), dt.time(9), dt.time(12), "D", 5, "F3", "sinkron"),
        ),
        facilitators=(
            Facilitator("F1", "Ani", rate_per_jp=900_000),
            Facilitator("F2", "Budi", rate_per_jp=900_000),
            Facilitator("F3", "Citra", "widyaiswara", rate_per_jp=1_000_000, internal=True),
        ),
        siasn=SiasnRules(6, "Pelatihan Revolusi Mental"),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


# --- ranking ---------------------------------------------------------------------------------


def test_ties_share_a_rank_and_the_next_rank_skips() -> None:
    ranked = rank([person(1, "90.00"), person(2, "85.00"), person(3, "85.00"), person(4, "80.00")])
    assert [(r.rank, r.shared, r.result.ndh) for r in ranked] == [
        (1, False, 1),
        (2, True, 2),
        (2, True, 3),
        (4, False, 4),
    ]


def test_attendance_breaks_a_score_tie() -> None:
    ranked = rank([person(1, "85.00", "92.6"), person(2, "85.00", "100.0")])
    assert [(r.rank, r.shared, r.result.ndh) for r in ranked] == [(1, False, 2), (2, False, 1)]


def test_only_passed_participants_are_ranked() -> None:
    ranked = rank([person(1, "95.00", status="deferred"), person(2, "71.00")])
    assert [r.result.ndh for r in ranked] == [2]


def test_no_passed_participant_no_ranking() -> None:
    assert rank([person(1, status="not_passed"), person(2, status="deferred")]) == []
    assert top([]) == []


def test_top_takes_everyone_tied_at_the_cut() -> None:
    ranked = rank(
        [
            person(1, "95.00"),
            person(2, "90.00"),
            person(3, "85.00"),
            person(4, "85.00"),
            person(5, "80.00"),
        ]
    )
    assert [r.result.ndh for r in top(ranked)] == [1, 2, 3, 4]
    assert [r.result.ndh for r in top(ranked, 2)] == [1, 2]
    assert [r.result.ndh for r in top(ranked, 10)] == [1, 2, 3, 4, 5]
    assert top(ranked, 0) == []


# --- honorarium ------------------------------------------------------------------------------


def test_live_jp_earn_honorarium_and_self_study_does_not() -> None:
    h = honorarium(cohort())
    f1, f2, f3 = h.facilitators
    assert (f1.jp_live, f1.jp_self_study, f1.jp_honorarium, f1.amount) == (7, 0, 7, 6_300_000)
    assert [s.number for s in f1.sessions] == [1, 2]
    # Only self-study sessions: supervised JP, no honorarium JP, amount 0.
    assert (f2.jp_live, f2.jp_self_study, f2.jp_honorarium, f2.amount) == (0, 4, 0, 0)
    assert (f3.jp_honorarium, f3.amount) == (5, 5_000_000)
    assert (h.jp_live, h.jp_self_study, h.jp_honorarium, h.amount) == (12, 4, 12, 11_300_000)


def test_internal_widyaiswara_paid_above_the_minimum_load_only() -> None:
    h = honorarium(cohort(), internal_min_jp=3)
    assert h.facilitators[2].jp_honorarium == 2
    assert h.facilitators[0].jp_honorarium == 7  # external: the minimum does not apply
    assert honorarium(cohort(), internal_min_jp=9).facilitators[2].jp_honorarium == 0
    with pytest.raises(ValueError):
        honorarium(cohort(), internal_min_jp=-1)


def test_amounts_over_a_billion_are_exact() -> None:
    rich = cohort(facilitators=(Facilitator("F1", "Ani", rate_per_jp=150_000_001),))
    h = honorarium(rich)
    assert h.facilitators[0].amount == 7 * 150_000_001 == 1_050_000_007
    assert rupiah(h.amount) == "Rp 1.050.000.007"


def test_a_facilitator_without_rate_is_left_out_of_the_total_and_named() -> None:
    h = honorarium(cohort(facilitators=(Facilitator("F1", "Ani"), Facilitator("F2", "Budi"))))
    assert h.facilitators[0].amount is None
    assert h.amount == 0
    assert h.unpriced == ("F1",)  # F2 has no honorarium JP: nothing is missing


# --- remedial --------------------------------------------------------------------------------

RULES = CompletionRules()  # sikap 30, akademik 20, rancangan 50 (required); pass 70.01
FULL = AttendanceSummary(27, 27, 27)


def deferred(scores: dict[str, float | None]):  # type: ignore[no-untyped-def]
    outcome = decide(RULES, FULL, scores)
    assert outcome.status == "deferred"
    return outcome


@pytest.mark.parametrize(
    ("new", "status", "final"),
    [
        # 40 + 0.5x: 60.01 gives 70.005, rounded to 70.01 as a first result would be.
        ("60.01", "passed", Decimal("70.01")),
        ("60.00", "not_passed", Decimal("70.00")),
        ("100", "passed", Decimal("70.01")),  # the line, not the re-evaluation's 90.00
    ],
)
def test_remedial_passes_at_the_line(new: str, status: str, final: Decimal) -> None:
    scores: dict[str, float | None] = {"sikap": 80, "akademik": 80, "rancangan": 50}
    original = deferred(scores)
    result = apply_remedial(
        RULES, original, scores, date=dt.date(2021, 11, 5), component="rancangan", score=new
    )
    assert result.status == status
    assert result.final == final
    assert result.original is original  # the first result is kept
    assert result.original.final == Decimal("65.00")
    assert (result.date, result.component, result.score) == (
        dt.date(2021, 11, 5),
        "rancangan",
        Decimal(new),
    )
    assert result.record == Remedial(dt.date(2021, 11, 5), "rancangan", Decimal(new))
    if status == "passed":
        assert result.predicate == "Cukup Memuaskan"
        assert result.recomputed >= Decimal("70.01")


def test_remedial_hands_in_a_missing_required_score() -> None:
    scores: dict[str, float | None] = {"sikap": 90, "akademik": 90, "rancangan": None}
    result = apply_remedial(
        RULES,
        deferred(scores),
        scores,
        date=dt.date(2021, 11, 5),
        component="rancangan",
        score=Decimal("80"),
    )
    assert (result.status, result.final, result.recomputed) == (
        "passed",
        Decimal("70.01"),
        Decimal("85.00"),
    )


def test_remedial_refuses_what_is_not_deferred_or_unknown() -> None:
    passed = decide(RULES, FULL, {"sikap": 90, "akademik": 90, "rancangan": 90})
    with pytest.raises(InputError, match="only a deferred"):
        apply_remedial(RULES, passed, {}, date=dt.date(2021, 11, 5), component="sikap", score=90)
    scores: dict[str, float | None] = {"sikap": 80, "akademik": 80, "rancangan": 50}
    with pytest.raises(InputError) as info:
        apply_remedial(
            RULES, deferred(scores), scores, date=dt.date(2021, 11, 5), component="x", score=90
        )
    assert info.value.hint and "rancangan" in info.value.hint
    with pytest.raises(InputError, match="outside"):
        apply_remedial(
            RULES,
            deferred(scores),
            scores,
            date=dt.date(2021, 11, 5),
            component="sikap",
            score=100.5,
        )


# --- SIASN -----------------------------------------------------------------------------------


def test_siasn_rows_of_passed_participants() -> None:
    rows = siasn_rows(
        cohort(),
        [person(3, number="003/STTP"), person(1, number="001/STTP"), person(2, status="deferred")],
    )
    assert [r.nip for r in rows] == ["199001012015031001", "199001012015031003"]
    first = rows[0]
    assert tuple(dataclasses.asdict(first)) == COLUMNS
    assert first.values() == (
        "199001012015031001",
        "Pelatihan Revolusi Mental Angkatan II Tahun 2021",
        "Puslatbang PKASN LAN",
        6,
        "Pelatihan Revolusi Mental",
        16,
        "001/STTP",
        2021,
        "29-09-2021",
        "29-10-2021",
        "01_199001012015031001.pdf",
    )


def test_siasn_refuses_a_passed_participant_without_a_certificate_number() -> None:
    with pytest.raises(InputError) as info:
        siasn_rows(cohort(), [person(1), person(2, number=None), person(3, number="")])
    assert "Peserta 2" in info.value.message and "Peserta 3" in info.value.message
    assert "Peserta 1 " not in info.value.message
    assert info.value.hint and "certificate issue" in info.value.hint


def test_siasn_refuses_without_bkn_references() -> None:
    with pytest.raises(InputError, match="SIASN references") as info:
        siasn_rows(cohort(siasn=SiasnRules()), [person(1)])
    assert info.value.hint and "siasn:" in info.value.hint


def test_siasn_nothing_when_nobody_passed() -> None:
    assert siasn_rows(cohort(), [person(1, status="not_passed", number=None)]) == []


def test_formats() -> None:
    assert sttp_file_name(5, "199001012015031001") == "05_199001012015031001.pdf"
    assert siasn_date(dt.date(2021, 1, 2)) == "02-01-2021"
    assert tanggal(dt.date(2021, 10, 29)) == "29 Oktober 2021"
    assert rupiah(900_000) == "Rp 900.000"
    assert rupiah(0) == "Rp 0"
    assert rupiah(1_400_000_000) == "Rp 1.400.000.000"


def test_keterangan_words() -> None:
    remedied = dataclasses.replace(
        person(1),
        predicate="Cukup Memuaskan",
        remedial=Remedial(dt.date(2021, 11, 5), "rancangan", Decimal(80)),
    )
    assert keterangan(person(1)) == "Lulus (Memuaskan)"
    assert keterangan(remedied) == "Lulus setelah perbaikan (Cukup Memuaskan)"
    assert keterangan(person(1, status="deferred")) == "Ditunda"
    assert keterangan(person(1, status="not_passed")) == "Tidak lulus"


# --- agencies --------------------------------------------------------------------------------


def test_agencies_group_by_case_and_spacing_only() -> None:
    people = [
        person(1, agency="BKN"),
        person(2, agency="bkn "),
        person(3, agency=" Bkn"),
        person(4, agency="Badan  Kepegawaian Negara"),
        person(5, agency="BKN"),
        person(6, agency=None),
        person(7, agency="Pemkot Bandung"),  # an agency of one
    ]
    agencies = group_agencies(people)
    assert [(a.name, [p.ndh for p in a.participants]) for a in agencies] == [
        ("Badan Kepegawaian Negara", [4]),
        ("BKN", [1, 2, 3, 5]),  # the most common spelling
        ("Pemkot Bandung", [7]),
        (NO_AGENCY, [6]),  # last
    ]
    assert fold("  Badan   KEPEGAWAIAN Negara ") == "badan kepegawaian negara"


def test_most_common_spelling_ties_go_to_the_first_seen() -> None:
    agencies = group_agencies([person(1, agency="Kemendagri"), person(2, agency="KEMENDAGRI")])
    assert agencies[0].name == "Kemendagri"


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ('Dinas <Kesehatan>: "Kota"/Kab\\Prov|?*', "Dinas -Kesehatan- -Kota-Kab-Prov-"),
        ("CON", "_CON"),
        ("con", "_con"),
        ("Nul.txt", "_Nul.txt"),
        ("COM1", "_COM1"),
        ("LPT9", "_LPT9"),
        ("Badan Pusat Statistik.", "Badan Pusat Statistik"),
        ("Pemda \x07Garut\t ", "Pemda Garut"),
        ("Pemda\nGarut", "Pemda Garut"),
        ("...", "instansi"),
        ("", "instansi"),
    ],
)
def test_safe_stem_is_windows_safe(name: str, stem: str) -> None:
    got = safe_stem(name)
    assert not set(got) & set('<>:"/\\|?*')
    assert all(ord(c) >= 32 for c in got)
    assert not got.endswith((".", " "))
    assert got == stem


def test_safe_stem_is_limited_and_unique() -> None:
    long = "Pemerintah Provinsi " + "Sangat Panjang " * 20
    assert len(safe_stem(long)) <= 60
    taken: set[str] = set()
    assert unique_stem("BKN", taken) == "BKN"
    assert unique_stem("bkn", taken) == "bkn-2"  # Windows folds case: BKN and bkn collide
    assert unique_stem("BKN", taken) == "BKN-3"
    stems = [
        a.file_stem for a in group_agencies([person(1, agency="A/B"), person(2, agency="A:B")])
    ]
    assert len(set(s.casefold() for s in stems)) == 2
