"""The completion rules at every boundary, without a database or the CLI."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from revmental_cli.domain.cohort import DEFAULT_PREDICATES, CompletionRules, Component, Session
from revmental_cli.domain.completion import (
    AttendanceSummary,
    attendance_summary,
    decide,
    final_score,
    predicate,
)

RULES = (
    CompletionRules()
)  # 90% attendance, pass 70.01, defer 60.01, sikap 30/akademik 20/rancangan 50*
FULL = AttendanceSummary(36, 36, 36)


def scores(sikap: float | None, akademik: float | None, rancangan: float | None) -> dict:
    return {"sikap": sikap, "akademik": akademik, "rancangan": rancangan}


def session(n: int, jp: int) -> Session:
    return Session(n, dt.date(2021, 10, n), dt.time(9), dt.time(12), f"S{n}", jp)


def test_attendance_is_weighted_by_jp() -> None:
    sessions = [session(1, 4), session(2, 1), session(3, 1)]
    summary = attendance_summary(
        sessions, {1: "present", 2: "absent", 3: "late"}, ("present", "late")
    )
    assert (summary.jp_attended, summary.jp_total, summary.jp_recorded) == (5, 6, 6)
    assert summary.pct == Decimal("83.3")
    # excused is not attended unless the cohort says so
    summary = attendance_summary(sessions, {1: "excused"}, ("present", "late"))
    assert (summary.jp_attended, summary.jp_recorded) == (0, 4)
    summary = attendance_summary(sessions, {1: "excused"}, ("present", "late", "excused"))
    assert summary.jp_attended == 4


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ((70.01, 70.01, 70.01), Decimal("70.01")),
        ((70, 70, 70.02), Decimal("70.01")),
        ((100, 100, 100), Decimal("100.00")),
        ((None, None, 80), Decimal("40.00")),
        ((85.5, 90, 77.25), Decimal("82.28")),  # 25.65 + 18 + 38.625 = 82.275 -> 82.28
    ],
)
def test_final_score_is_decimal_exact(values: tuple, expected: Decimal) -> None:
    assert final_score(RULES, scores(*values)) == expected


def test_pass_boundary_70_01_passes_and_70_00_is_deferred() -> None:
    ok = decide(RULES, FULL, scores(70.01, 70.01, 70.01))
    assert (ok.status, ok.predicate, ok.reasons) == ("passed", "Cukup Memuaskan", ())
    short = decide(RULES, FULL, scores(70, 70, 70))
    assert short.status == "deferred"
    assert short.reasons == ("final score 70.00 < 70.01",)
    assert short.predicate == "Kurang Memuaskan"


def test_defer_boundary() -> None:
    assert decide(RULES, FULL, scores(60.01, 60.01, 60.01)).status == "deferred"
    low = decide(RULES, FULL, scores(60, 60, 60))
    assert low.status == "not_passed"
    assert low.reasons == ("final score 60.00 < 70.01",)
    assert low.predicate == "Tidak Memuaskan"


def test_exactly_the_minimum_attendance_passes() -> None:
    assert decide(RULES, AttendanceSummary(9, 10, 10), scores(80, 80, 80)).status == "passed"
    # 32 of 36 JP is 88.9%: under 90% whatever the scores
    out = decide(RULES, AttendanceSummary(32, 36, 36), scores(100, 100, 100))
    assert out.status == "not_passed"
    assert out.reasons == ("attendance 88.9% < 90%",)


def test_attendance_is_compared_exactly_not_rounded() -> None:
    # 89.96% shows as 90.0% but is under 90%: the reason says 89.96%, not "90.0% < 90%"
    out = decide(RULES, AttendanceSummary(8996, 10000, 10000), scores(90, 90, 90))
    assert out.status == "not_passed"
    assert out.reasons == ("attendance 89.96% < 90%",)


def test_missing_required_component_defers_even_with_a_high_score() -> None:
    out = decide(RULES, FULL, scores(100, 100, None))
    assert out.status == "deferred"
    assert out.reasons == ("missing score: rancangan",)
    assert out.predicate is None


def test_missing_optional_component_counts_zero() -> None:
    out = decide(RULES, FULL, scores(None, 100, 100))  # 0 + 20 + 50 = 70.00
    assert out.status == "deferred"
    assert out.reasons == ("final score 70.00 < 70.01", "missing score: sikap (counted as 0)")
    assert decide(RULES, FULL, scores(None, 100, 100.02)).status == "passed"


def test_low_attendance_wins_over_everything_and_lists_all_reasons() -> None:
    out = decide(RULES, AttendanceSummary(20, 36, 36), scores(90, 90, None))
    assert out.status == "not_passed"
    assert out.reasons == ("attendance 55.6% < 90%", "missing score: rancangan")


@pytest.mark.parametrize(
    ("score", "label"),
    [
        ("100", "Sangat Memuaskan"),
        ("90.01", "Sangat Memuaskan"),
        ("90.00", "Memuaskan"),
        ("80.01", "Memuaskan"),
        ("80", "Cukup Memuaskan"),
        ("70.01", "Cukup Memuaskan"),
        ("70", "Kurang Memuaskan"),
        ("60.01", "Kurang Memuaskan"),
        ("60", "Tidak Memuaskan"),
        ("0", "Tidak Memuaskan"),
    ],
)
def test_predicate_bands(score: str, label: str) -> None:
    assert predicate(DEFAULT_PREDICATES, Decimal(score)) == label


def test_custom_rules() -> None:
    rules = CompletionRules(
        min_attendance_pct=95,
        pass_score=75,
        defer_min_score=75,
        components=(Component("aktualisasi", "Aktualisasi", 100, required=True),),
    )
    assert decide(rules, FULL, {"aktualisasi": 75}).status == "passed"
    assert decide(rules, FULL, {"aktualisasi": 74.99}).status == "not_passed"


@given(
    st.tuples(*[st.one_of(st.none(), st.decimals(0, 100, places=2)) for _ in range(3)]),
    st.integers(0, 36),
)
def test_every_participant_gets_a_status_and_only_passed_has_no_reason(values, jp) -> None:
    out = decide(
        RULES,
        AttendanceSummary(jp, 36, 36),
        scores(*[None if v is None else float(v) for v in values]),
    )
    assert out.status in ("passed", "deferred", "not_passed")
    assert (out.status == "passed") == (out.reasons == ())
    assert Decimal(0) <= out.final <= Decimal(100)


def test_a_shortfall_never_reads_as_the_minimum_itself() -> None:
    """188 of 209 JP is 89.95%: shown to one decimal that is 90.0%, and "90.0% < 90%" would
    contradict itself; the reason shows 89.95%."""
    rules = CompletionRules(min_attendance_pct=90.0)
    scores = {"sikap": 90, "akademik": 90, "rancangan": 90}
    outcome = decide(rules, AttendanceSummary(188, 209, 209), scores)
    assert outcome.status == "not_passed"
    assert outcome.reasons == ("attendance 89.95% < 90%",)
