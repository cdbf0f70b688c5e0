"""domain/completion.assess with remedials: which one counts, and when one is ignored."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from revmental_cli.cohort_file import read_definition
from revmental_cli.domain.completion import PASSED_AFTER_REMEDIAL, assess
from tests.conftest import ROOT

pytestmark = pytest.mark.both_backends

COHORT = read_definition(ROOT / "cohorts" / "prm-2021-ii.yaml").cohort
ALL = {s.number: "present" for s in COHORT.sessions}
DAY = dt.date(2021, 11, 5)


def one(scores: dict[str, float], remedials: list[tuple[str, float, dt.date]]):  # type: ignore[no-untyped-def]
    (a,) = assess(COHORT, [(1, "x", "A", "enrolled")], {"x": ALL}, {"x": scores}, {"x": remedials})
    return a


def test_a_passing_remedial_passes_at_the_line_and_keeps_the_first_result() -> None:
    a = one({"sikap": 70, "akademik": 65, "rancangan": 64}, [("rancangan", 95, DAY)])
    assert (a.outcome.status, a.outcome.final) == ("passed", Decimal("70.01"))
    assert a.outcome.reasons == (PASSED_AFTER_REMEDIAL,)
    assert a.remedial is not None and a.remedial.original.status == "deferred"
    assert a.remedial.recomputed > Decimal("70.01")


def test_the_latest_remedial_counts_with_earlier_ones_in_place() -> None:
    scores = {"sikap": 60, "akademik": 60, "rancangan": 65}  # 18 + 12 + 32.5 = 62.5: deferred
    later = DAY + dt.timedelta(days=7)
    a = one(scores, [("sikap", 90, DAY), ("rancangan", 75, later)])  # 27 + 12 + 37.5
    assert a.outcome.status == "passed" and a.remedial is not None
    assert (a.remedial.component, a.remedial.date) == ("rancangan", later)


def test_a_failing_remedial_does_not_pass() -> None:
    a = one({"sikap": 70, "akademik": 65, "rancangan": 64}, [("rancangan", 65, DAY)])
    assert a.outcome.status == "not_passed"
    assert a.outcome.reasons == ("remedial final score 66.50 < 70.01",)


def test_a_remedial_is_ignored_once_the_first_result_is_no_longer_deferred() -> None:
    # The first score was corrected since: the participant passes on it, not by the remedial.
    a = one({"sikap": 80, "akademik": 80, "rancangan": 80}, [("rancangan", 95, DAY)])
    assert a.remedial is None and a.outcome.final == Decimal("80.00")
