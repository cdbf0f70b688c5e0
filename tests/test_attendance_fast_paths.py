"""The attendance rules' fast path against the general one: identical results, to the bit.

``attendance_in_reports`` counts one report of connections only (every row with a join and a
leave time, none a total) by merging its intervals; any other input goes the general way
(views, stretches, durations). A second, empty report sends the same rows the general way
without changing what they say (an empty report speaks for nothing), so the two are
compared on random rows: clipped, overlapping, outside the session, of another day, with
and without durations and totals.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from revmental_cli.domain.attendance import attendance_in_reports
from revmental_cli.domain.cohort import AttendanceRules
from revmental_cli.domain.visits import Visit

START = datetime(2021, 9, 29, 9, 0)
END = datetime(2021, 9, 29, 12, 0)
BASE = START - timedelta(hours=3)


@st.composite
def visits(draw: st.DrawFn, connections_only: bool) -> Visit:
    join_at = draw(st.integers(min_value=0, max_value=8 * 3600))
    length = draw(st.integers(min_value=0, max_value=5 * 3600))
    join: datetime | None = BASE + timedelta(seconds=join_at)
    leave: datetime | None = BASE + timedelta(seconds=join_at + length)
    minutes = draw(st.none() | st.floats(min_value=0, max_value=400, allow_nan=False))
    total = False
    if not connections_only:
        join = draw(st.sampled_from([join, None]))
        leave = draw(st.sampled_from([leave, None]))
        total = draw(st.booleans())
    return Visit(
        line=2,
        name="Budi",
        original_name="",
        email="",
        join=join,
        leave=leave,
        minutes=minutes,
        guest=None,
        total=total,
    )


RULES = st.builds(
    AttendanceRules,
    present_min_pct=st.sampled_from([0.0, 50.0, 75.0, 80.0, 100.0]),
    late_after_min=st.integers(min_value=0, max_value=30),
)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.booleans().flatmap(visits), max_size=8),
    rules=RULES,
)
def test_one_report_counts_as_the_general_way_counts_it(
    rows: list[Visit], rules: AttendanceRules
) -> None:
    fast = attendance_in_reports([rows], START, END, rules)
    general = attendance_in_reports([rows, []], START, END, rules)
    assert fast[0] == general[0]
    assert repr(fast[1]) == repr(general[1])  # the same float, not a close one


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(visits(connections_only=True), max_size=8), rules=RULES)
def test_connections_only_take_the_fast_path_and_agree(
    rows: list[Visit], rules: AttendanceRules
) -> None:
    fast = attendance_in_reports([rows], START, END, rules)
    general = attendance_in_reports([rows, []], START, END, rules)
    assert (fast[0], repr(fast[1])) == (general[0], repr(general[1]))
