"""Participants beyond the PNS NIP: PPPK numbers, NIKs and NRPs, from the rules to the roster.

The rules (domain/nip.py, domain/ids.py, the PPPK golongan) are checked on their own, then a
real `roster import` of sheets built here, read back with `roster show --json`.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from revmental_cli.domain.ids import (
    ALL_KINDS,
    id_birth_date,
    id_kind,
    id_sex,
    nik_birth_date,
    normalize_id,
    normalize_nik,
)
from revmental_cli.domain.nip import (
    EXCEL_NIP_MESSAGE,
    appointed_after,
    is_pppk,
    nip_appointment,
    normalize_nip,
    plain_nip,
)
from revmental_cli.domain.person import FieldError, normalize_golongan
from revmental_cli.importers.roster import RosterParser, RosterReject, RosterRow
from revmental_cli.importers.tabular import Row, Table
from tests.conftest import ImportRoster, RunCli
from tests.conftest import query as rows

pytestmark = pytest.mark.both_backends

TODAY = date(2026, 12, 3)
PPPK = "198104062023211009"  # born 1981-04-06, appointed 2023, PPPK (21), male, 009
NIK_WOMAN = "3273015407880001"  # Bandung, born 14-07-1988 (day + 40), sequence 0001
NIK_MAN = "3174010604810002"  # Jakarta Selatan, born 06-04-1981
NRP = "85010123"


def field_error(raw: str, **kwargs: Any) -> FieldError:
    with pytest.raises(FieldError) as info:
        normalize_id(raw, today=TODAY, **kwargs)
    return info.value


# ------------------------------------------------------------------------ PPPK


def test_a_pppk_number_is_a_nip_with_21_for_the_month() -> None:
    assert normalize_nip(PPPK, today=TODAY) == PPPK
    assert normalize_nip("19810406 202321 1 009", today=TODAY) == PPPK
    assert is_pppk(PPPK) and not is_pppk("198807142014032004")
    assert nip_appointment(PPPK) == (2023, None)
    assert nip_appointment("198807142014032004") == (2014, 3)
    assert id_kind(PPPK) == "nip"
    assert (id_birth_date(PPPK, TODAY), id_sex(PPPK)) == (date(1981, 4, 6), "L")


@pytest.mark.parametrize("digits", ["00", "13", "20", "22", "99"])
def test_digits_13_14_are_a_month_or_21(digits: str) -> None:
    with pytest.raises(FieldError, match=rf"not a month \({digits}\); a PPPK number has 21"):
        normalize_nip(f"1981040620{23}{digits}1009", today=TODAY)


def test_the_fast_path_leaves_pppk_nik_and_nrp_to_the_full_checks() -> None:
    assert plain_nip("198807142014032004", TODAY) == "198807142014032004"
    for other in (PPPK, NIK_WOMAN, NRP, "198807142014032", "19880714201403200"):
        assert plain_nip(other, TODAY) is None


@pytest.mark.parametrize(
    "raw", ["V", "(V)", "Golongan V", "gol. V", "Gol.V", "golongan (v)", "V (PPPK)", " ( V ) "]
)
def test_a_pppk_golongan_in_any_usual_spelling(raw: str) -> None:
    assert normalize_golongan(raw) == ("V", "")


@pytest.mark.parametrize("raw", ["XVII", "(XVII)", "Gol. IX", "Golongan XIII"])
def test_pppk_golongan_up_to_xvii(raw: str) -> None:
    assert normalize_golongan(raw)[1] == ""


def test_appointment_after_the_end() -> None:
    end = date(2021, 10, 29)
    assert appointed_after("198807142021112004", end)
    assert not appointed_after("198807142021102004", end)
    assert appointed_after(PPPK, end)
    assert not appointed_after("198104062021211009", end)  # PPPK: the year alone


@given(
    year=st.integers(2015, 2028),
    month=st.sampled_from([f"{m:02d}" for m in range(1, 13)] + ["21"]),  # 21: PPPK
    end=st.dates(date(2018, 1, 1), date(2026, 12, 31)),
)
def test_the_import_s_late_test_is_the_domain_rule(year: int, month: str, end: date) -> None:
    # services.roster.appointed_late settles most NIPs by the year's digits alone; it must
    # answer as appointed_after does, the end year (where the month decides) included.
    from types import SimpleNamespace

    from revmental_cli.services.roster import appointed_late

    nip = f"19880714{year}{month}1004"
    late = appointed_late(SimpleNamespace(end=end))  # type: ignore[arg-type]
    assert late(nip) == appointed_after(nip, end)
    assert not late(NIK_WOMAN)  # 16 digits: no appointment date


# ------------------------------------------------------------------ NIK, NRP


def test_a_nik_gives_the_birth_date_and_sex() -> None:
    assert normalize_id(NIK_WOMAN, today=TODAY) == NIK_WOMAN
    assert normalize_id("3273 0154 0788 0001", today=TODAY) == NIK_WOMAN
    assert id_kind(NIK_WOMAN) == "nik"
    assert (id_birth_date(NIK_WOMAN, TODAY), id_sex(NIK_WOMAN)) == (date(1988, 7, 14), "P")
    assert (id_birth_date(NIK_MAN, TODAY), id_sex(NIK_MAN)) == (date(1981, 4, 6), "L")


def test_a_nik_year_takes_the_century_of_an_adult() -> None:
    assert nik_birth_date("3273010101050001", TODAY) == date(2005, 1, 1)
    assert nik_birth_date("3273010101150001", TODAY) == date(1915, 1, 1)  # not a 11-year-old


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("3273015913880001", "NIK digits 7-12 are not a birth date (591388"),
        ("3273013102880001", "NIK digits 7-12 are not a birth date (310288"),
        ("3273017202880001", "NIK digits 7-12 are not a birth date (720288"),
        ("0973015407880001", "NIK digits 1-6 are not a region code (097301)"),
        ("3200015407880001", "NIK digits 1-6 are not a region code (320001)"),
        ("3273015407880000", "NIK sequence (digits 13-16) cannot be 0000"),
    ],
)
def test_nik_structure_messages(raw: str, message: str) -> None:
    assert field_error(raw).message.startswith(message)


def test_an_nrp_is_6_to_10_digits() -> None:
    assert normalize_id(NRP, today=TODAY) == NRP
    assert normalize_id("8501 0123", today=TODAY) == NRP
    assert id_kind(NRP) == "nrp"
    assert id_birth_date(NRP, TODAY) is None and id_sex(NRP) is None
    assert field_error("00000000").message == "NRP cannot be all zeros"
    assert field_error("12345").message == "NIP must have 18 digits, found 5"


@pytest.mark.parametrize(
    "raw",
    ["198807142014032", "198807142014032000", "1.98807E+17", "3,27302E+15", "'19880714201403200.0"],
)
def test_excel_damage_is_never_taken_for_a_nik_or_nrp(raw: str) -> None:
    assert field_error(raw).message == EXCEL_NIP_MESSAGE


def test_a_nip_column_takes_a_nik_or_nrp_only_when_its_header_says_so() -> None:
    error = field_error(NIK_WOMAN, kinds=frozenset({"nip"}))
    assert error.message == "NIP must have 18 digits, found 16"
    assert error.hint and "NIP/NIK" in error.hint
    assert field_error(NRP, kinds=frozenset({"nip", "nik"})).message.startswith("NIP must have")
    assert normalize_id(NRP, today=TODAY, kinds=frozenset({"nip", "nrp"})) == NRP


@st.composite
def valid_niks(draw: st.DrawFn) -> tuple[str, date, str]:
    born = draw(st.dates(min_value=date(1930, 1, 1), max_value=date(TODAY.year - 16, 12, 31)))
    sex = draw(st.sampled_from("LP"))
    region = (
        f"{draw(st.integers(11, 99))}{draw(st.integers(1, 99)):02d}{draw(st.integers(1, 99)):02d}"
    )
    day = born.day + (40 if sex == "P" else 0)
    seq = draw(st.integers(1, 9999))
    return f"{region}{day:02d}{born:%m%y}{seq:04d}", born, sex


@given(valid_niks(), st.sampled_from(["", " ", ".", "-"]))
def test_any_valid_nik_round_trips(case: tuple[str, date, str], sep: str) -> None:
    nik, born, sex = case
    grouped = sep.join([nik[:6], nik[6:12], nik[12:]])
    assert normalize_id(grouped, today=TODAY) == nik
    assert normalize_nik(nik, today=TODAY) == nik
    assert normalize_id(normalize_id(nik, today=TODAY), today=TODAY) == nik
    assert (id_kind(nik), id_birth_date(nik, TODAY), id_sex(nik)) == ("nik", born, sex)


@given(st.text(), st.sampled_from(sorted(ALL_KINDS)))
def test_the_normaliser_raises_only_field_error(text: str, extra: str) -> None:
    kinds = frozenset({"nip", extra})
    try:
        ident = normalize_id(text, today=TODAY, kinds=kinds)  # type: ignore[arg-type]
    except FieldError as exc:
        assert exc.message
    else:
        assert ident.isascii() and ident.isdigit()
        assert id_kind(ident) in kinds


@given(st.text(alphabet="0123456789 .-'", max_size=24))
def test_the_normaliser_on_digits_raises_only_field_error(text: str) -> None:
    try:
        normalize_id(text, today=TODAY)
    except FieldError as exc:
        assert exc.message


# ------------------------------------------------------------------ the parser


def parse(header: str, *cells: list[str]) -> list[RosterRow | RosterReject]:
    headers = ["Nama", header, "Golongan"]
    rows = [Row(i + 2, c, [False] * len(c)) for i, c in enumerate(cells)]
    return list(RosterParser(Table("t.csv", headers, 1, iter(rows)), TODAY))


def test_the_parser_derives_the_kind_s_birth_date_and_sex() -> None:
    woman, nrp, pppk = parse(
        "NIP/NIK/NRP", ["Siti", NIK_WOMAN, ""], ["Budi", NRP, ""], ["Ani", PPPK, "(IX)"]
    )
    assert isinstance(woman, RosterRow) and isinstance(nrp, RosterRow)
    assert (woman.birth_date, woman.sex, woman.employment) == ("1988-07-14", "P", "")
    assert (nrp.birth_date, nrp.sex) == ("", "")
    assert isinstance(pppk, RosterRow)
    assert (pppk.golongan, pppk.pangkat, pppk.employment) == ("IX", "", "PPPK")


def test_a_nik_under_a_nip_header_is_refused_with_a_hint() -> None:
    (reject,) = parse("NIP", ["Siti", NIK_WOMAN, ""])
    assert isinstance(reject, RosterReject)
    assert reject.errors[0].startswith("NIP: NIP must have 18 digits, found 16 — ")


def test_a_nik_column_is_the_nip_column_when_there_is_none() -> None:
    (row,) = parse("NIK", ["Siti", NIK_WOMAN, ""])
    assert isinstance(row, RosterRow) and row.nip == NIK_WOMAN


# ------------------------------------------------------- roster import, end to end


def test_roster_import_of_mixed_kinds(cli: RunCli, prm: Path, import_roster: ImportRoster) -> None:
    result = import_roster(
        "mixed.csv",
        "No;Nama;NIP/NRP/NIK;Golongan\n"
        "1;Ani;19810406 202121 1 009;Golongan V\n"
        "2;Cici;199001012021212003;(V)\n"
        "3;Siti Aminah;3273015407880001;\n"
        "4;Bambang;3174010604810002;\n"
        "5;Brigadir Joko;85010123;\n"
        "6;Dedi;19880714 201403 1 004;III/c\n",
    )
    assert result.exit_code == 0, result.stderr
    assert "warning" not in result.stderr
    shown = cli("roster", "show", "--json").json()
    got = {
        p["nip"]: (p["id_kind"], p["golongan"], p["pangkat"], p["birth_date"], p["sex"])
        for p in shown
    }
    assert got == {
        "198104062021211009": ("nip", "V", None, "1981-04-06", "L"),
        "199001012021212003": ("nip", "V", None, "1990-01-01", "P"),
        NIK_WOMAN: ("nik", None, None, "1988-07-14", "P"),
        NIK_MAN: ("nik", None, None, "1981-04-06", "L"),
        NRP: ("nrp", None, None, None, None),
        "198807142014031004": ("nip", "III/c", "Penata", "1988-07-14", "L"),
    }
    kinds = {p["nip"]: p["employment"] for p in shown}
    assert kinds["198104062021211009"] == "PPPK" and kinds[NIK_WOMAN] is None
    table = cli("roster", "show").stdout
    assert "NIP/NIK/NRP" in table and "NIK" in table.split(NIK_WOMAN)[1].splitlines()[0]


def test_excel_damage_and_mismatched_golongan_are_refused(
    prm: Path, store_path: Path, import_roster: ImportRoster
) -> None:
    result = import_roster(
        "bad.csv",
        "No;Nama;NIP/NIK;Golongan\n"
        "1;Ani;1,98807E+17;\n"
        "2;Budi;198807142014032000;\n"
        "3;Cici;198807142014032;\n"
        "4;Dedi;198104062021211009;III/c\n"
        "5;Eka;198807142014032004;V\n"
        "6;Fani;3273015913880001;\n",
    )
    assert result.exit_code == 1
    err = " ".join(result.stderr.split())
    excel = "Excel corrupted this NIP (it was stored as a number and lost digits)"
    for line in (2, 3, 4):
        assert f"line {line}: NIP/NIK: {excel}" in err, err
    assert (
        "line 5: Golongan: III/c is a PNS golongan but the NIP is a PPPK number "
        "(digits 13-14 are 21) — a PPPK golongan is a Roman numeral"
    ) in err
    assert (
        "line 6: Golongan: V is a PPPK golongan but the NIP is a PNS one "
        "(digits 13-14 are the month 03, not 21)"
    ) in err
    assert "line 7: NIP/NIK: NIK digits 7-12 are not a birth date (591388" in err
    assert rows(store_path, "SELECT count(*) FROM people") == [(0,)]


def test_an_appointment_after_the_cohort_s_end_is_a_warning(
    prm: Path, store_path: Path, import_roster: ImportRoster
) -> None:
    result = import_roster(
        "late.csv",
        "No;Nama;NIP;Golongan\n"
        f"1;Ani;{PPPK};V\n"
        "2;Budi;198807142021112004;III/a\n"
        "3;Cici;198807142021102005;III/a\n",
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    err = " ".join(result.stderr.split())
    assert (
        f"line 2: NIP {PPPK}: the appointment date (TMT, digits 9-14: 2023) is after the end "
        "of PRM-2021-II (2021-10-29); check the NIP"
    ) in err
    assert "line 3: NIP 198807142021112004: the appointment date (TMT, digits 9-14: 2021-11)" in err
    assert "line 4" not in err
    report = json.loads(result.stdout)
    assert report["written"] is True and "warnings" not in report
    assert rows(store_path, "SELECT count(*) FROM people") == [(3,)]


def test_many_late_appointments_print_twenty_and_count_the_rest(
    prm: Path, store_path: Path, import_roster: ImportRoster
) -> None:
    # 23 NIPs appointed after the cohort's end (January 2022) between two appointed in time:
    # thousands of such warnings would bury the import's summary.
    lines = ["No;Nama;NIP;Golongan", "1;Peserta Awal;198807142014031001;III/a"]
    for i in range(1, 24):
        lines.append(f"{i + 1};Peserta Akhir {i};198807142022011{i:03d};III/a")
    lines.append("25;Peserta Tepat;198807142014031002;III/a")
    result = import_roster("late.csv", "\n".join(lines) + "\n")
    assert result.exit_code == 0, result.stderr
    warnings = [w for w in result.stderr.splitlines() if w.startswith("warning: ")]
    assert [w.split(": the appointment")[0] for w in warnings[:20]] == [
        f"warning: line {i + 2}: NIP 198807142022011{i:03d}" for i in range(1, 21)
    ]
    assert " ".join(" ".join(warnings[20:]).split()) == (
        "warning: 3 more rows have a NIP whose appointment date (TMT) is after the end of "
        "PRM-2021-II (2021-10-29), lines 23 to 25; check those NIPs, and that the list "
        "belongs to this cohort"
    )
    assert rows(store_path, "SELECT count(*) FROM people") == [(25,)]
