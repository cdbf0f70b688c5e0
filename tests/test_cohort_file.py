"""The cohort definition loader: every rule, every problem at once, with file, line and field."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from revmental_cli.cohort_file import parse_definition, read_definition
from revmental_cli.errors import InputError, ValidationFailed
from tests.conftest import EXAMPLES, FIXTURES

BROKEN = FIXTURES / "cohorts"

VALID = """\
id: TEST-2021-I
programme: {code: PRM, name: Pelatihan Revolusi Mental}
angkatan: 1
year: 2021
organiser: Puslatbang PKASN LAN
mode: daring
start: 2021-09-29
end: 2021-10-29
facilitators:
  - {id: F01, name: "Dra. Ani Rahayu, M.Si."}
sessions:
  - {date: 2021-09-29, start: "09:00", end: "12:00", title: Pembukaan, jp: 4, facilitator: F01}
  - {date: 2021-09-30, start: "09:00", end: "11:15", title: Materi, jp: 3}
"""


def problems_of(text: str) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(ValidationFailed) as info:
        parse_definition(text, Path("c.yaml"))
    return [(p.line, p.field, p.message) for p in info.value.problems]


def replace(old: str, new: str) -> str:
    assert old in VALID, old
    return VALID.replace(old, new)


def test_examples_are_valid() -> None:
    for path in sorted(EXAMPLES.glob("*.yaml")):
        loaded = read_definition(path)
        assert loaded.cohort.sessions, path


def test_reference_cohort_facts() -> None:
    c = read_definition(EXAMPLES / "prm-2021-ii.yaml").cohort
    assert (c.id, c.angkatan_label, c.year, c.mode, c.capacity) == (
        "PRM-2021-II",
        "Angkatan II",
        2021,
        "daring",
        25,
    )
    assert c.opening_date == dt.date(2021, 9, 29)
    assert c.opening_date.strftime("%A") == "Wednesday"
    assert c.opening_by == "Deputi Bidang Kajian dan Inovasi Manajemen ASN"
    assert [s.number for s in c.sessions] == list(range(1, len(c.sessions) + 1))


def test_valid_minimal_definition_gets_defaults() -> None:
    c = parse_definition(VALID, Path("c.yaml")).cohort
    assert c.jp_minutes == 45
    assert c.attendance.present_min_pct == 75
    assert c.completion.pass_score == 70.01
    assert sum(k.weight for k in c.completion.components) == 100
    assert c.completion.predicates[-1].min == 0
    assert c.sessions[1].facilitator is None


def test_five_mistakes_are_all_reported_with_their_lines() -> None:
    with pytest.raises(ValidationFailed) as info:
        read_definition(BROKEN / "five-mistakes.yaml")
    found = {(p.line, p.field) for p in info.value.problems}
    assert found == {
        (2, "id"),
        (20, "sessions[0].facilitator"),
        (21, "sessions[1].date"),
        (27, "sessions[2].start"),
        (32, "completion.components"),
    }
    assert all(p.file and p.file.endswith("five-mistakes.yaml") for p in info.value.problems)


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        ("id: TEST-2021-I", "id: test 1", "id", "not a valid cohort id"),
        ("mode: daring", "mode: online", "mode", "not one of"),
        ("year: 2021", "year: duaribu", "year", "whole number"),
        (
            "start: 2021-09-29\nend: 2021-10-29",
            "start: 2021-10-29\nend: 2021-09-29",
            "end",
            "before it starts",
        ),
        ("end: 2021-10-29", "end: 2021-02-30", "end", "real date"),
        (
            'start: "09:00", end: "12:00"',
            'start: "12:00", end: "09:00"',
            "sessions[0].end",
            "before or when it starts",
        ),
        (
            'start: "09:00", end: "11:15"',
            'start: "9 pagi", end: "11:15"',
            "sessions[1].start",
            "HH:MM",
        ),
        ("jp: 3}", "jp: 0}", "sessions[1].jp", "out of range"),
        (
            "facilitator: F01}",
            "facilitator: F02}",
            "sessions[0].facilitator",
            "unknown facilitator",
        ),
        ("date: 2021-09-30", "date: 2021-10-30", "sessions[1].date", "outside the cohort"),
        ("date: 2021-09-30", "date: 2021-09-28", "sessions[1].date", "outside the cohort"),
        ("organiser: Puslatbang PKASN LAN\n", "", "organiser", "required"),
        ("mode: daring", "mode: daring\ncapasity: 25", "capasity", "unknown key"),
    ],
)
def test_each_rule_names_its_field(old: str, new: str, field: str, words: str) -> None:
    found = problems_of(replace(old, new))
    assert any(f == field and words in m for _, f, m in found), found
    assert all(line is not None for line, _, _ in found)


def test_sessions_out_of_order_and_overlapping() -> None:
    text = VALID + '  - {date: 2021-09-30, start: "10:00", end: "11:00", title: Tumpang, jp: 1}\n'
    found = problems_of(text)
    assert any(f == "sessions[2].start" and "overlaps" in m for _, f, m in found), found
    text = VALID + '  - {date: 2021-09-29, start: "13:00", end: "14:00", title: Mundur, jp: 1}\n'
    found = problems_of(text)
    assert any(f == "sessions[2].date" and "comes before" in m for _, f, m in found), found


def test_jp_mismatch_is_a_warning_not_an_error() -> None:
    loaded = parse_definition(replace("jp: 3}", "jp: 2}"), Path("c.yaml"))
    assert [w.field for w in loaded.warnings] == ["sessions[1].jp"]
    assert "90 min" in loaded.warnings[0].message and "135 min" in loaded.warnings[0].message


COMPLETION = """\
completion:
  min_attendance_pct: 90
  pass_score: {pass_score}
  defer_min_score: {defer}
  components:
    - {{key: sikap, name: Sikap, weight: 30}}
    - {{key: {key2}, name: Rancangan, weight: {w2}, required: true}}
  predicates:
    - {{min: {p1}, label: Memuaskan}}
    - {{min: 70.01, label: Cukup Memuaskan}}
    - {{min: {plast}, label: Tidak Memuaskan}}
"""


def completion(**kw: object) -> str:
    values = {
        "pass_score": 70.01,
        "defer": 60.01,
        "key2": "rancangan",
        "w2": 70,
        "p1": 80.01,
        "plast": 0,
    }
    values.update(kw)
    return VALID + COMPLETION.format(**values)


def test_valid_completion_section() -> None:
    c = parse_definition(completion(), Path("c.yaml")).cohort
    assert [k.key for k in c.completion.components] == ["sikap", "rancangan"]
    assert c.completion.components[1].required is True


@pytest.mark.parametrize(
    ("kw", "field", "words"),
    [
        ({"key2": "sikap"}, "completion.components[1].key", "used twice"),
        ({"w2": 60}, "completion.components", "add up to 90"),
        ({"p1": 60}, "completion.predicates[1].min", "highest down"),
        ({"plast": 10}, "completion.predicates[2].min", "have no predicate"),
        ({"pass_score": 101}, "completion.pass_score", "out of range"),
        ({"defer": 75}, "completion.defer_min_score", "above pass_score"),
    ],
)
def test_completion_rules(kw: dict[str, object], field: str, words: str) -> None:
    found = problems_of(completion(**kw))
    assert any(f == field and words in m for _, f, m in found), found


def test_certificate_template_must_render_and_number() -> None:
    found = problems_of(VALID + 'certificate: {number_format: "{nomor}/STTP/{year}"}\n')
    assert any("unknown placeholder {nomor}" in m for _, _, m in found), found
    found = problems_of(VALID + 'certificate: {number_format: "STTP/{year}"}\n')
    assert any("same number" in m for _, _, m in found), found
    ok = parse_definition(
        VALID + 'certificate: {number_format: "{seq:03d}/{angkatan}/{year}"}\n', Path("c.yaml")
    )
    assert ok.cohort.certificate.number_format == "{seq:03d}/{angkatan}/{year}"


def test_yaml_traps_keep_what_was_written() -> None:
    c = read_definition(BROKEN / "yaml-traps.yaml").cohort
    assert [f.id for f in c.facilitators] == ["012345", "NO"]
    assert [(s.start, s.end) for s in c.sessions] == [
        (dt.time(9, 0), dt.time(10, 30)),
        (dt.time(9, 0), dt.time(10, 30)),
    ]
    assert c.sessions[1].facilitator == "NO"


def test_duplicate_keys_are_refused_with_both_lines() -> None:
    with pytest.raises(ValidationFailed) as info:
        read_definition(BROKEN / "duplicate-keys.yaml")
    found = [(p.line, p.field, p.message) for p in info.value.problems]
    assert (17, "sessions[0].jp", "duplicate key 'jp' (first at line 16)") in found
    assert (18, "start", "duplicate key 'start' (first at line 9)") in found


def test_alias_bomb_is_refused_quickly() -> None:
    with pytest.raises(ValidationFailed) as info:
        read_definition(BROKEN / "alias-bomb.yaml")
    assert "too many values" in info.value.problems[0].message


def test_unquoted_title_in_flow_mapping_gets_a_hint() -> None:
    with pytest.raises(ValidationFailed) as info:
        read_definition(BROKEN / "unquoted-title.yaml")
    (problem,) = info.value.problems
    assert problem.line == 10 and "M.Si." in problem.message
    assert problem.hint and "quotes" in problem.hint


def test_not_yaml_names_the_line() -> None:
    with pytest.raises(ValidationFailed) as info:
        read_definition(BROKEN / "not-yaml.yaml")
    assert info.value.problems[0].line is not None
    assert info.value.problems[0].message.startswith("not valid YAML")


def test_binary_missing_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_definition(tmp_path / "nope.yaml")
    binary = tmp_path / "b.yaml"
    binary.write_bytes(b"\x00\x01\x02PK")
    with pytest.raises(InputError, match="binary"):
        read_definition(binary)
    latin = tmp_path / "l.yaml"
    latin.write_bytes(VALID.replace("Pembukaan", "Pemb\xfckaan").encode("cp1252"))
    with pytest.raises(ValidationFailed) as info:
        read_definition(latin)
    assert info.value.problems[0].line == 12
    assert "UTF-8" in info.value.problems[0].message


def test_roman_angkatan_is_accepted() -> None:
    c = parse_definition(replace("angkatan: 1", "angkatan: XIV"), Path("c.yaml")).cohort
    assert c.angkatan == 14 and c.angkatan_label == "Angkatan XIV"


def test_problem_lines_point_into_the_file() -> None:
    text = replace("mode: daring", "mode: online")
    ((line, _, _),) = problems_of(text)
    assert re.match(r"mode:", text.splitlines()[line - 1])


def test_a_hash_glued_to_text_after_a_value_is_said_to_be_a_comment(tmp_path: Path) -> None:
    """'title: Sesi #3 Nilai Dasar' is the title 'Sesi' and a comment to YAML; say so. A
    comment written on purpose ('# empat JP', with a space) says nothing."""
    source = (EXAMPLES / "prm-2021-ii.yaml").read_text(encoding="utf-8")
    assert "title: Pembukaan" in source or "Pembukaan" in source
    text = source.replace("jp: 2", "jp: 2  # dua JP", 1)
    text = re.sub(r"title: ([^,}\n]+)", r"title: Sesi #3 \1", text, count=1)
    path = tmp_path / "hash.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = read_definition(path)
    messages = [str(w) for w in loaded.warnings]
    assert len([m for m in messages if "as a comment" in m]) == 1, messages
    assert any("'#3 " in m and "title" in m for m in messages), messages


def test_every_problem_is_reported_at_once() -> None:
    """A session's bad jp does not hide that the next one overlaps it; a wrong key does not
    hide the weights' sum nor the template; a duplicate key does not hide field errors."""
    text = (
        VALID.replace("end: 2021-10-29", "end: 2021-10-29\nend: 2021-10-30")
        .replace("title: Pembukaan, jp: 4", "title: Pembukaan, jp: 1.5")
        .replace(
            '{date: 2021-09-30, start: "09:00", end: "11:15"',
            '{date: 2021-09-29, start: "11:00", end: "11:15"',
        )
        + "completion:\n  components:\n"
        + "    - {key: Sikap, name: Sikap, weight: 30}\n"
        + "    - {key: akademik, name: Akademik, weight: 60}\n"
        + 'certificate:\n  number_format: "{nomor}/STTP/{year}"\n'
    )
    found = {(field, message) for _line, field, message in problems_of(text)}
    fields = {field for field, _message in found}
    assert "end" in fields  # the duplicate key
    assert "sessions[0].jp" in fields
    assert ("sessions[1].start", "session 2 overlaps session 1") in found
    assert "completion.components[0].key" in fields
    assert ("completion.components", "the weights add up to 90, not 100") in found
    assert "certificate.number_format" in fields


@pytest.mark.parametrize(
    ("old", "new", "hint"),
    [
        ("sessions:\n  - ", "sessions:\n\t- ", "indent with spaces, not tabs"),
        ("organiser: Puslatbang PKASN LAN", "organiser: Agenda 1: LAN", "needs quotes"),
    ],
    ids=["tab", "colon"],
)
def test_a_yaml_slip_gets_the_hint_that_fixes_it(old: str, new: str, hint: str) -> None:
    assert old in VALID
    with pytest.raises(ValidationFailed) as info:
        parse_definition(VALID.replace(old, new, 1), Path("c.yaml"))
    assert any(p.hint and hint in p.hint for p in info.value.problems), info.value.problems


def test_angkatan_written_as_a_phrase_names_both_accepted_forms() -> None:
    with pytest.raises(ValidationFailed) as info:
        parse_definition(VALID.replace("angkatan: 1", "angkatan: Angkatan II"), Path("c.yaml"))
    (problem,) = [p for p in info.value.problems if p.field == "angkatan"]
    assert problem.hint and "Roman numeral (II)" in problem.hint


def test_a_predicate_shared_by_failing_and_passing_scores_is_warned(tmp_path: Path) -> None:
    text = VALID + (
        "completion:\n  pass_score: 70.01\n  predicates:\n"
        "    - {min: 75, label: Cukup Memuaskan}\n    - {min: 60.01, label: Kurang Memuaskan}\n"
        "    - {min: 0, label: Tidak Memuaskan}\n"
    )
    loaded = parse_definition(text, Path("c.yaml"))
    assert any("'Kurang Memuaskan' (from 60.01)" in str(w) for w in loaded.warnings)
    assert not any("predicate" in str(w) for w in parse_definition(VALID, Path("c.yaml")).warnings)
