"""Attendance rules: status boundaries, matching report rows to people, whole reports."""

from __future__ import annotations

import csv
import difflib
import json
import random
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from revmental_cli.domain.attendance import (
    Person,
    attendance_for,
    attendance_in_reports,
    first_join,
    form_answers_for,
    form_reading_for,
    match_visits,
    merge_minutes,
    name_words,
    status_for,
    visit_span,
)
from revmental_cli.domain.cohort import AttendanceRules
from revmental_cli.importers.attendance import Mark, Visit, read_report

FIXTURES = Path(__file__).resolve().parent / "fixtures"
RULES = AttendanceRules(present_min_pct=75, late_after_min=15)
START = datetime(2021, 9, 29, 9, 0)
END = datetime(2021, 9, 29, 12, 0)


def roster() -> list[Person]:
    path = FIXTURES / "roster" / "peserta-prm-2021-ii.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [
            Person(r["NIP"].replace(" ", ""), int(r["No"]), r["Nama Lengkap"], r["Email"])
            for r in csv.DictReader(handle, delimiter=";")
        ]


PEOPLE = roster()
NIP = {p.ndh: p.nip for p in PEOPLE}


def visit(name: str = "", email: str = "", original: str = "", line: int = 2) -> Visit:
    return Visit(line, name, original, email, START, END, 180.0, True)


def match_one(v: Visit, people: list[Person] | None = None) -> tuple[str | None, str | None]:
    """Return (nip, how) for a matched visit, or (None, reason)."""
    result = match_visits([v], PEOPLE if people is None else people)
    if result.matched:
        ((nip, _),) = result.matched.items()
        return nip, result.how[nip]
    return None, result.unmatched[0].reason


# ------------------------------------------------------------------- status


def test_exactly_the_minimum_share_is_present() -> None:
    assert status_for(135, START, START, 180, RULES) == "present"
    assert status_for(134, START, START, 180, RULES) == "absent"
    assert status_for(134.99, START, START, 180, RULES) == "absent"


def test_exact_share_from_seconds_arithmetic_is_present() -> None:
    # 101.25 min of a 135-minute session, reached through interval arithmetic.
    start = datetime(2021, 9, 30, 9, 0)
    minutes = merge_minutes([(start, start + timedelta(minutes=101, seconds=15))], start, start)
    assert minutes == 0  # an empty session covers nothing
    end = start + timedelta(minutes=135)
    minutes = merge_minutes([(start, start + timedelta(minutes=101, seconds=15))], start, end)
    assert status_for(minutes, start, start, 135, RULES) == "present"


def test_late_boundary() -> None:
    assert status_for(165, START + timedelta(minutes=15), START, 180, RULES) == "present"
    assert status_for(164, START + timedelta(minutes=16), START, 180, RULES) == "late"
    assert status_for(170, START + timedelta(minutes=15, seconds=1), START, 180, RULES) == "late"


def test_late_needs_enough_minutes_first() -> None:
    assert status_for(100, START + timedelta(minutes=60), START, 180, RULES) == "absent"


def test_no_join_time_cannot_be_late() -> None:
    assert status_for(150, None, START, 180, RULES) == "present"


def test_other_rules() -> None:
    strict = AttendanceRules(present_min_pct=100, late_after_min=0)
    assert status_for(180, START, START, 180, strict) == "present"
    assert status_for(179.9, START, START, 180, strict) == "absent"
    assert status_for(180, START + timedelta(seconds=1), START, 180, strict) == "late"


def test_merge_minutes_examples() -> None:
    at = START.replace
    # Reconnects add up.
    spans = [(at(hour=9), at(hour=10)), (at(hour=10, minute=30), at(hour=11))]
    assert merge_minutes(spans, START, END) == 90
    # Two devices at once count once; the part before the start does not count.
    spans = [(at(hour=8, minute=50), at(hour=12, minute=5)), (at(hour=9, minute=5), at(hour=11))]
    assert merge_minutes(spans, START, END) == 180
    assert merge_minutes([], START, END) == 0
    # Touching intervals merge without double counting.
    spans = [(at(hour=9), at(hour=10)), (at(hour=10), at(hour=11))]
    assert merge_minutes(spans, START, END) == 120


def test_a_total_counts_only_within_the_session() -> None:
    at = START.replace
    # Zoom's unique users: first join 07:00, last leave 09:30, 150 minutes connected in all.
    early = Visit(
        2, "Ahmad", "", "a@x.example", at(hour=7), at(hour=9, minute=30), 150.0, True, True
    )
    assert attendance_for([early], START, END, RULES) == ("absent", 30.0)
    # Connected 140 of the 145 minutes from 09:40 to 12:05: 140, and late.
    late = Visit(
        3,
        "Siti",
        "",
        "s@x.example",
        at(hour=9, minute=40),
        at(hour=12, minute=5),
        140.0,
        True,
        True,
    )
    assert attendance_for([late], START, END, RULES) == ("late", 140.0)
    # Only 25 of the span's minutes connected: the total, not leave - join.
    gaps = Visit(
        4, "Wulan", "", "w@x.example", at(hour=8, minute=55), at(hour=12), 25.0, True, True
    )
    assert attendance_for([gaps], START, END, RULES) == ("absent", 25.0)


def test_a_duration_with_a_first_seen_time_is_clipped_and_can_be_late() -> None:
    at = START.replace
    # Meet's "First Seen" and "Time in Call", no leave time: first seen at 09:25, nobody can
    # have been in the session for more than the 155 minutes left of it.
    seen = Visit(2, "Rizki", "", "r@x.example", at(hour=9, minute=25), None, 170.0, True)
    assert attendance_for([seen], START, END, RULES) == ("late", 155.0)
    shorter = Visit(2, "Rizki", "", "r@x.example", at(hour=9, minute=25), None, 140.0, True)
    assert attendance_for([shorter], START, END, RULES) == ("late", 140.0)


def test_attendance_for_duration_only_rows_is_capped() -> None:
    rows = [
        Visit(2, "Made", "", "m@x.example", None, None, 187.0, True),
        Visit(3, "Made HP", "", "m@x.example", None, None, 173.0, True),
    ]
    assert attendance_for(rows, START, END, RULES) == ("present", 180.0)


def test_a_row_with_one_time_never_counts_for_another_day() -> None:
    at = START.replace
    # Meet's "First Seen" and "Time in Call" of the day before, and of the day after.
    before = Visit(2, "Sri", "", "s@x.example", at(day=28, minute=1), None, 134.0, None)
    after = Visit(3, "Sri", "", "s@x.example", at(day=30, minute=1), None, 134.0, None)
    assert attendance_for([before], START, END, RULES) == ("absent", 0.0)
    assert attendance_for([after], START, END, RULES) == ("absent", 0.0)
    assert first_join([before, after], START, END) is None
    # A leave time alone: the session's day up to it.
    left = Visit(4, "Sri", "", "s@x.example", None, at(day=28, hour=11), 120.0, None)
    assert attendance_for([left], START, END, RULES) == ("absent", 0.0)
    assert visit_span(left) == (datetime(2021, 9, 28), at(day=28, hour=11))
    assert visit_span(before) == (at(day=28, minute=1), datetime(2021, 9, 29))
    # No time at all: the report's session is all it can be about.
    assert visit_span(Visit(5, "Sri", "", "", None, None, 120.0, None)) is None
    on_the_day = Visit(6, "Sri", "", "s@x.example", at(minute=1), None, 134.0, None)
    assert attendance_for([on_the_day, before], START, END, RULES) == ("absent", 134.0)
    assert first_join([before, on_the_day], START, END) == at(minute=1)


def test_two_exports_of_the_same_stretch_count_once() -> None:
    at = START.replace
    # Per join (09:00-10:00, 10:05-10:50) and unique users (09:00-10:50, 105 in all).
    detail = [
        Visit(2, "Ahmad", "", "a@x.example", at(hour=9), at(hour=10), 60.0, True),
        Visit(
            3, "Ahmad", "", "a@x.example", at(hour=10, minute=5), at(hour=10, minute=50), 45.0, True
        ),
    ]
    unique = [
        Visit(2, "Ahmad", "", "a@x.example", at(hour=9), at(hour=10, minute=50), 105.0, True, True)
    ]
    assert attendance_in_reports([detail, unique], START, END, RULES) == ("absent", 105.0)
    # Meet's "Time in Call" exported at 10:30 and at the end: the fuller one.
    early = [Visit(2, "Sri", "", "s@x.example", at(minute=1), None, 89.0, None)]
    late = [Visit(2, "Sri", "", "s@x.example", at(minute=1), None, 174.0, None)]
    assert attendance_in_reports([early, late], START, END, RULES) == ("present", 174.0)
    assert attendance_in_reports([late, early], START, END, RULES) == ("present", 174.0)
    # Duration-only rows say no time: they may be the same stretch, so never more than one.
    bare = [Visit(2, "Made", "", "m@x.example", None, None, 100.0, None)]
    assert attendance_in_reports([bare, bare], START, END, RULES) == ("absent", 100.0)
    # One report alone is what attendance_for says.
    assert attendance_in_reports([detail], START, END, RULES) == attendance_for(
        detail, START, END, RULES
    )


def test_reports_of_a_restarted_meeting_add_up() -> None:
    at = START.replace
    # Intervals: 08:55-10:30 and 10:35-12:00 (the union, 90 + 85).
    first = [
        Visit(
            2, "Ahmad", "", "a@x.example", at(hour=8, minute=55), at(hour=10, minute=30), 95.0, True
        )
    ]
    second = [Visit(2, "Ahmad", "", "a@x.example", at(hour=10, minute=35), at(hour=12), 85.0, True)]
    assert attendance_in_reports([first, second], START, END, RULES) == ("present", 175.0)
    # Unique-users totals of the two parts: separate stretches, so they add up too.
    first_total = [replace(first[0], total=True)]
    second_total = [replace(second[0], total=True, minutes=80.0)]
    assert attendance_in_reports([first_total, second_total], START, END, RULES) == (
        "present",
        170.0,
    )
    # One part per join, the other unique users.
    assert attendance_in_reports([first, second_total], START, END, RULES) == ("present", 170.0)


def test_a_form_is_read_the_way_the_schedule_fits() -> None:
    def answers(*days: int) -> list[Mark]:
        return [
            Mark(i, NIP[i], "present", None, "", datetime(2021, 10, d, 9))
            for i, d in enumerate(days, 1)
        ]

    def swapped(*days: int) -> list[Mark]:
        return [
            Mark(i, NIP[i], "present", None, "", datetime(2021, d, 10, 9))
            for i, d in enumerate(days, 1)
        ]

    # "01/10/2021": 1 October day-first, 10 January month-first.
    readings = {"mdy": swapped(1, 1), "dmy": answers(1, 1)}
    sessions = {date(2021, 9, 29), date(2021, 10, 1)}
    assert form_reading_for(readings, sessions, date(2021, 10, 1)) == "dmy"
    assert form_reading_for(readings, sessions, None) == "dmy"
    # The named session's day on neither reading: nothing to choose.
    assert form_reading_for(readings, sessions, date(2021, 9, 29)) is None
    # Both readings on sessions' dates, or neither: the schedule does not tell.
    assert form_reading_for(readings, sessions | {date(2021, 1, 10)}, None) is None
    assert form_reading_for(readings, {date(2021, 9, 29)}, None) is None
    # Most answers on the named day wins; equals keep the first (the header's) reading.
    mixed = {"mdy": swapped(1, 1) + answers(1), "dmy": answers(1, 1) + swapped(1)}
    assert form_reading_for(mixed, sessions, date(2021, 10, 1)) == "dmy"
    even = {"mdy": swapped(1) + answers(1), "dmy": answers(1) + swapped(1)}
    assert form_reading_for(even, sessions, date(2021, 10, 1)) == "mdy"


def test_form_answers_count_on_the_sessions_day_and_once_each() -> None:
    day = START.date()

    def answer(line: int, nip: str, at: datetime) -> Mark:
        return Mark(line, nip, "present", None, "", at, "")

    tested = answer(2, NIP[1], START - timedelta(days=1))  # the day before, a test answer
    first = answer(3, NIP[1], START)
    again = answer(4, NIP[1], START + timedelta(minutes=30))
    other = answer(5, NIP[2], START + timedelta(days=1))
    counted, elsewhere = form_answers_for([tested, first, again, other], day)
    assert counted == [first]
    assert elsewhere == [tested, other]


# ----------------------------------------------------------------- matching


def test_email_any_case() -> None:
    assert match_one(visit("whoever", "AHMAD.Fauzi@LAN.example")) == (NIP[1], "email")


def test_email_comes_before_the_name() -> None:
    # Signed in as Wulan, named like Budi: the account decides.
    assert match_one(visit("Budi Santoso", "wulan.sari@bkn.example")) == (NIP[2], "email")


def test_unknown_email_falls_through_to_the_name() -> None:
    assert match_one(visit("Budi Santoso", "budi.pribadi@gmail.example")) == (NIP[4], "name")


@pytest.mark.parametrize(
    "name",
    [
        "198810232014112857 Rina",
        "Rina 19881023 201411 2 857",
        "RINA (19881023.201411.2.857)",
        "198810232014112857",
        "nip 19881023-201411-2-857",
    ],
)
def test_nip_in_the_name(name: str) -> None:
    assert match_one(visit(name)) == (NIP[9], "nip")


def test_nip_in_the_original_name() -> None:
    assert match_one(visit("Rina", original="198810232014112857")) == (NIP[9], "nip")


def test_a_longer_number_is_not_a_nip() -> None:
    assert match_one(visit("1988102320141128571 Xyz")) == (None, "no match")


@pytest.mark.parametrize(
    "name",
    [
        "03 Siti",
        "03_Siti Rahmawati",
        "03-Siti",
        "3. Siti",
        "[03] Siti Rahmawati",
        "03.Siti Rahmawati",
        "(3) SITI",
        "03 Hj. Siti R.",
        "03",
    ],
)
def test_ndh_prefix_forms(name: str) -> None:
    assert match_one(visit(name)) == (NIP[3], "ndh")


def test_ndh_with_someone_elses_name_is_not_guessed() -> None:
    # NDH 5 is Ani Rahayu; the name is Siti Rahmawati's (NDH 3).
    result = match_visits([visit("05_Siti Rahmawati")], PEOPLE)
    assert result.matched == {}
    (unmatched,) = result.unmatched
    assert unmatched.reason == "no match"
    assert unmatched.candidates[0] == NIP[5]
    assert NIP[3] in unmatched.candidates


def test_ndh_that_is_nobodys_falls_through_to_the_name() -> None:
    assert match_one(visit("99 Siti Rahmawati")) == (NIP[3], "name")


@pytest.mark.parametrize(
    ("name", "ndh"),
    [
        ("BUDI SANTOSO", 4),
        ("budi santoso", 4),
        ("Budi Santoso, S.Kom.", 4),
        ("Dra. ANI RAHAYU, M.Si.", 5),
        ("Budi Santoso (Budi S)", 4),
        ("Hj Siti Rahmawati SE MM", 3),
        ("Yuliani", 25),
        ("Bu Yuliani", 25),
        ("Pak Budi Santoso", 4),
        ("Santoso Budi", 4),
        ("Made Suardana I", 12),
        ("I Made Suardana (HP)", 12),
        ("Andi Firmansyah\u2019s iPad", 24),
        ("Andi Firmansyah's Galaxy A52", 24),
    ],
)
def test_name_without_titles_any_case(name: str, ndh: int) -> None:
    assert match_one(visit(name)) == (NIP[ndh], "name")


@pytest.mark.parametrize(
    ("name", "ndh"),
    [
        ("Yuliani Dewi Kartika (Narasumber)", 25),  # a speaker whose first name is Yuliani's
        ("Rizki Pratama", 14),  # Muhammad Rizki Pratama
        ("Made Suardana (HP)", 12),  # I Made Suardana
        ("Budi Santoso Wibowo", 4),
    ],
)
def test_part_of_a_name_is_no_match_but_names_the_candidate(name: str, ndh: int) -> None:
    result = match_visits([visit(name)], PEOPLE)
    assert result.matched == {}
    (unmatched,) = result.unmatched
    assert unmatched.reason == "no match"
    assert unmatched.candidates[0] == NIP[ndh]


def test_a_name_only_row_with_a_facilitators_name_is_credited_to_nobody() -> None:
    # Hendra Gunawan (NDH 8) signed in with his email and left at 09:40; "Prof. Dr. Hendra
    # Gunawan, M.Si." is the session's examiner, in the meeting under his own name.
    facilitators = ["Prof. Dr. Hendra Gunawan, M.Si.", "Dra. Ani Rahayu, M.Si."]
    own = visit("Hendra Gunawan", "hendra.gunawan@bkn.example", line=2)
    namesake = visit("Prof. Dr. Hendra Gunawan", line=3)
    result = match_visits([own, namesake], PEOPLE, facilitators)
    assert result.matched == {NIP[8]: [own]}
    assert result.how == {NIP[8]: "email"}
    (unmatched,) = result.unmatched
    assert (unmatched.visit, unmatched.reason, unmatched.candidates) == (
        namesake,
        "ambiguous",
        [NIP[8]],
    )
    # Without facilitators the same row is the participant's, as before.
    assert match_visits([namesake], PEOPLE).matched == {NIP[8]: [namesake]}
    # Found by NDH or NIP, a row is the participant's even with a facilitator's name.
    assert match_one(visit("08 Hendra Gunawan")) == (NIP[8], "ndh")
    numbered = match_visits([visit("08 Hendra Gunawan")], PEOPLE, facilitators)
    assert list(numbered.matched) == [NIP[8]]


def test_original_name_is_tried_too() -> None:
    assert match_one(visit("Tablet Kantor", original="Wulan Sari")) == (NIP[2], "name")
    assert match_one(visit("Wulan Sari (Wulan)", original="Wulan")) == (NIP[2], "name")


def test_a_first_name_alone_is_not_enough() -> None:
    assert match_one(visit("Budi")) == (None, "no match")


def test_two_people_with_the_same_name_are_ambiguous() -> None:
    people = [*PEOPLE, Person("199101012015031001", 26, "Budi Santoso, S.E.", "")]
    result = match_visits([visit("BUDI SANTOSO")], people)
    assert result.matched == {}
    (unmatched,) = result.unmatched
    assert unmatched.reason == "ambiguous"
    assert unmatched.candidates == [NIP[4], "199101012015031001"]


def test_shared_email_is_ambiguous() -> None:
    people = [
        Person("198309222012091919", 1, "Ahmad Fauzi", "admin@bkd.example"),
        Person("199408022017112466", 2, "Ani Rahayu", "ADMIN@bkd.example"),
    ]
    result = match_visits([visit("Ahmad Fauzi", "admin@bkd.example")], people)
    assert [u.reason for u in result.unmatched] == ["ambiguous"]
    assert result.unmatched[0].candidates == ["198309222012091919", "199408022017112466"]


@pytest.mark.parametrize(
    "name", ["iPhone Pak Hendra", "Galaxy A52", "Puslatbang PKASN", "Zoom user"]
)
def test_devices_and_the_host_are_unmatched(name: str) -> None:
    assert match_one(visit(name)) == (None, "no match")


def test_unmatched_rows_carry_likely_candidates() -> None:
    result = match_visits([visit("iPhone Pak Hendra"), visit("Bambang Sutrisna")], PEOPLE)
    hendra, bambang = result.unmatched
    assert hendra.candidates == [NIP[8]]
    assert bambang.candidates == [NIP[6]]


def test_a_misspelt_name_sharing_no_word_still_names_its_candidate() -> None:
    result = match_visits([visit("Yulani"), visit("Sri Wahyni"), visit("Galaxy A52")], PEOPLE)
    yuliani, sri, galaxy = result.unmatched
    assert yuliani.candidates == [NIP[25]]
    assert sri.candidates[0] == NIP[11]  # "Sri" is shared; the typo is found by spelling
    assert galaxy.candidates == []


def test_thousands_of_rows_without_email_compare_few_names(monkeypatch: pytest.MonkeyPatch) -> None:
    # 2,500 people, 5,000 rows typed by hand ("Budi Santoso" for "Budi Eko Santoso",
    # "iPhone Budi"): each row was compared with every name, 13 s for one report.
    rng = random.Random(3)
    words = sorted({w.title() for p in PEOPLE for w in name_words(p.name)})
    people = [
        Person(f"19{i:016d}", i + 1, " ".join(rng.sample(words, rng.choice((2, 3)))))
        for i in range(2500)
    ]
    rows = []
    for line in range(5000):
        words = rng.choice(people).name.split()
        typed = rng.choice([f"{words[0]} {words[-1]}", f"iPhone {words[0]}", f"{words[0]}x"])
        rows.append(visit(typed, line=line + 2))
    compared: list[int] = []
    close_matches = difflib.get_close_matches

    def counted(word: str, names: list[str], n: int, cutoff: float) -> list[str]:
        assert all(name[0] == word[0] for name in names)
        compared.append(len(names))
        return close_matches(word, names, n, cutoff)

    monkeypatch.setattr(difflib, "get_close_matches", counted)
    result = match_visits(rows, people)
    assert sum(len(v) for v in result.matched.values()) + len(result.unmatched) == 5000
    assert all(len(u.candidates) <= 3 for u in result.unmatched if u.reason == "no match")
    # A name typed on many rows is worked out once; a name is compared with its initial's only.
    assert len(compared) <= len({row.name for row in rows})
    # The work is bounded by counting comparisons, never by the clock (bench/ measures time).
    assert max(compared, default=0) < len({p.name for p in people}) / 2


def test_matching_is_deterministic_and_keeps_every_row() -> None:
    report, _ = read_report(FIXTURES / "attendance" / "zoom-sesi-1.csv")
    first = match_visits(report.visits, PEOPLE)
    second = match_visits(list(report.visits), list(reversed(PEOPLE)))
    assert first == second
    kept = sum(len(v) for v in first.matched.values()) + len(first.unmatched)
    assert kept == len(report.visits)


def test_how_keeps_the_strongest_way() -> None:
    rows = [visit("Budi Santoso"), visit("laptop", "budi.santoso@bandung.example")]
    result = match_visits(rows, PEOPLE)
    assert result.how == {NIP[4]: "email"}
    assert len(result.matched[NIP[4]]) == 2


# ------------------------------------------------------------ whole reports


def _assess(
    path: Path, start: datetime, end: datetime
) -> tuple[dict[str, tuple[str, float]], list]:
    report, problems = read_report(path)
    assert problems == []
    result = match_visits(report.visits, PEOPLE)
    outcome = {
        p.nip: attendance_for(result.matched.get(p.nip, []), start, end, RULES) for p in PEOPLE
    }
    return outcome, result.unmatched


def test_zoom_session_1_against_the_hand_computed_answer() -> None:
    expected = json.loads((FIXTURES / "attendance" / "zoom-sesi-1.expected.json").read_text())
    start = datetime.fromisoformat(expected["session"]["start"])
    end = datetime.fromisoformat(expected["session"]["end"])
    outcome, unmatched = _assess(FIXTURES / "attendance" / "zoom-sesi-1.csv", start, end)
    assert set(outcome) == set(expected["attendance"])
    for nip, want in expected["attendance"].items():
        status, minutes = outcome[nip]
        assert (nip, status) == (nip, want["status"])
        assert minutes == pytest.approx(want["minutes"], abs=0.01), nip
    assert [u.visit.name for u in unmatched] == expected["unmatched"]
    hendra = next(u for u in unmatched if u.visit.name == "iPhone Pak Hendra")
    assert hendra.candidates == [NIP[8]]


def test_zoom_session_1_how_each_was_found() -> None:
    report, _ = read_report(FIXTURES / "attendance" / "zoom-sesi-1.csv")
    how = match_visits(report.visits, PEOPLE).how
    assert how[NIP[2]] == "name"  # Wulan Sari (Wulan)
    assert how[NIP[3]] == "ndh"  # 03_Siti Rahmawati
    assert how[NIP[4]] == "name"  # BUDI SANTOSO
    assert how[NIP[9]] == "nip"  # 198810232014112857 Rina
    assert how[NIP[16]] == "email"  # upper-case email
    assert NIP[20] not in how and NIP[24] not in how


def test_zoom_unique_users_status_comes_from_total_minutes() -> None:
    outcome, unmatched = _assess(FIXTURES / "attendance" / "zoom-sesi-1-unique.csv", START, END)
    assert outcome[NIP[12]] == ("present", 180.0)  # 360 minutes on two devices, capped
    assert outcome[NIP[14]] == ("present", 144.0)  # late, but a unique export cannot tell
    assert outcome[NIP[17]] == ("absent", 63.0)
    assert outcome[NIP[19]] == ("present", 135.0)
    assert outcome[NIP[20]] == ("absent", 0.0)
    assert [u.visit.name for u in unmatched] == ["Puslatbang PKASN", "iPhone Pak Hendra"]


SESSION_2 = (datetime(2021, 9, 30, 9, 0), datetime(2021, 9, 30, 11, 15))


def test_zoom_session_2_24_hour_export() -> None:
    outcome, unmatched = _assess(
        FIXTURES / "attendance" / "zoom-24h-trailing-comma.csv", *SESSION_2
    )
    # Worked out by hand: 135-minute session, present from 101.25 minutes.
    assert {ndh: outcome[NIP[ndh]] for ndh in range(1, 11)} == {
        1: ("present", 135.0),
        2: ("present", pytest.approx(133 + 50 / 60)),
        3: ("late", 115.0),
        4: ("absent", 60.0),
        5: ("present", 133.0),  # the 5 minutes in the waiting room do not count
        6: ("present", 134.0),
        7: ("present", 130.0),  # 67 + 63 across a reconnect
        8: ("present", 130.0),
        9: ("present", 110.0),
        10: ("present", 101.25),  # exactly 75%
    }
    assert [u.visit.name for u in unmatched] == ["Puslatbang PKASN"]


def test_meet_session_2() -> None:
    outcome, unmatched = _assess(FIXTURES / "attendance" / "meet-sesi-2.csv", *SESSION_2)
    assert unmatched == []
    assert outcome[NIP[11]] == ("present", 134.0)
    assert outcome[NIP[12]] == ("present", 135.0)  # joined 08:58, clipped
    assert outcome[NIP[14]] == ("late", 110.0)
    assert outcome[NIP[16]] == ("absent", 58.0)
    assert outcome[NIP[18]] == ("present", 130.0)  # no email: matched by name
