"""From a table to validated roster rows: header matching, row rules, fixtures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from revmental_cli.domain.person import normalize_nip
from revmental_cli.errors import InputError
from revmental_cli.importers.roster import (
    RosterParser,
    RosterReject,
    RosterResult,
    RosterRow,
    header_field,
    parse_roster,
)
from revmental_cli.importers.tabular import Row, Table, read_table

FIXTURES = Path(__file__).parent / "fixtures" / "roster"
NIP_F = "198807142014032004"  # born 1988-07-14, female
NIP_M = "199001152015031001"  # born 1990-01-15, male


def table(
    headers: list[str], *rows: list[str], numeric: dict[int, set[int]] | None = None
) -> Table:
    """A table as read_table gives it: the header on line 1, data from line 2."""
    numeric = numeric or {}
    built = [
        Row(line, cells, [i in numeric.get(line, set()) for i in range(len(cells))])
        for line, cells in enumerate(rows, start=2)
    ]
    return Table("peserta.csv", headers, 1, iter(built))


def parse(
    headers: list[str], *rows: list[str], numeric: dict[int, set[int]] | None = None
) -> list[RosterResult]:
    return list(parse_roster(table(headers, *rows, numeric=numeric)))


def one_row(headers: list[str], cells: list[str]) -> RosterRow:
    (result,) = parse(headers, cells)
    assert isinstance(result, RosterRow), result
    return result


def one_reject(headers: list[str], cells: list[str]) -> list[str]:
    (result,) = parse(headers, cells)
    assert isinstance(result, RosterReject), result
    return result.errors


def read_fixture(name: str) -> list[RosterResult]:
    with read_table(FIXTURES / name) as source:
        return list(parse_roster(source))


# --------------------------------------------------------------- headers


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("No", "ndh"),
        ("No.", "ndh"),
        ("NOMOR", "ndh"),
        ("NDH", "ndh"),
        ("No Urut", "ndh"),
        ("Nama", "name"),
        ("Nama Lengkap", "name"),
        ("NAMA PESERTA", "name"),
        ("Name", "name"),
        ("Full name", "name"),
        ("Nama Lengkap (dengan gelar)", "name"),
        ("NIP", "nip"),
        ("N.I.P", "nip"),
        ("N.I.P.", "nip"),
        ("NIP Baru", "nip"),
        ("Employee ID", "nip"),
        ("NIP (18 digit)", "nip"),
        ("Tempat Lahir", "birth_place"),
        ("Place of Birth", "birth_place"),
        ("Tanggal Lahir", "birth_date"),
        ("Tgl. Lahir", "birth_date"),
        ("Date of Birth", "birth_date"),
        ("Tempat, Tanggal Lahir", "birth_place_date"),
        ("TTL", "birth_place_date"),
        ("Jenis Kelamin", "sex"),
        ("Jenis Kelamin (L/P)", "sex"),
        ("JK", "sex"),
        ("L/P", "sex"),
        ("Gender", "sex"),
        ("Pangkat/Gol", "golongan"),
        ("Pangkat / Golongan", "golongan"),
        ("Golongan", "golongan"),
        ("Gol.", "golongan"),
        ("Gol. Ruang", "golongan"),
        ("Rank/Grade", "golongan"),
        ("Pangkat", "pangkat"),
        ("Jabatan", "position"),
        ("Job Title", "position"),
        ("Instansi", "agency"),
        ("Organisation", "agency"),
        ("Unit Kerja", "work_unit"),
        ("Satker", "work_unit"),
        ("Email", "email"),
        ("E-mail", "email"),
        ("Alamat Email", "email"),
        ("Surel", "email"),
        ("No. HP", "phone"),
        ("No HP", "phone"),
        ("HP", "phone"),
        ("Telepon", "phone"),
        ("No. Telp", "phone"),
        ("No. WA", "phone"),
        ("WhatsApp", "phone"),
        ("Mobile", "phone"),
        ("Status Kepegawaian", "employment"),
        ("Jenis ASN", "employment"),
        ("Keterangan", None),
        ("Tanda Tangan", None),
    ],
)
def test_header_names(header: str, field: str | None) -> None:
    assert header_field(header) == field


def test_missing_nip_column_lists_the_headers_found() -> None:
    with pytest.raises(InputError) as info:
        parse_roster(table(["No", "Nama Lengkap", "Nomor Pegawai"]))
    message = info.value.message
    assert message.startswith("peserta.csv: no NIP column")
    assert "'Nomor Pegawai'" in message and "'Nama Lengkap'" in message
    assert info.value.hint is not None and "NIP" in info.value.hint


def test_missing_both_columns() -> None:
    with pytest.raises(InputError, match="no NIP or name column"):
        parse_roster(table(["Email"]))


def test_the_header_is_checked_before_any_row_is_read() -> None:
    with pytest.raises(InputError):
        parse_roster(table(["Email"]))  # no iteration needed


@pytest.mark.parametrize(
    "headers",
    [
        ["NIP", "Nama", "Email", "E-mail"],
        ["NIP", "Nama", "Nama Lengkap"],
        ["NIP", "Nama", "TTL", "Tanggal Lahir"],
    ],
)
def test_two_columns_for_one_field_are_refused(headers: list[str]) -> None:
    with pytest.raises(InputError, match="both give"):
        parse_roster(table(headers))


def test_unknown_columns_are_ignored_and_listed() -> None:
    parser = RosterParser(table(["NIP", "Nama", "Keterangan", "", "Paraf"]))
    assert parser.ignored_columns == ["Keterangan", "Paraf"]
    assert parser.columns == {"nip": 0, "name": 1}


# ------------------------------------------------------------ valid rows

HEADERS = [
    "No", "Nama Lengkap", "NIP", "Tempat Lahir", "Tanggal Lahir", "Jenis Kelamin",
    "Pangkat/Gol", "Jabatan", "Instansi", "Unit Kerja", "Email", "No. HP",
]  # fmt: skip


def full_row(**changes: str) -> list[str]:
    cells = {
        "No": "01",
        "Nama Lengkap": "  Hj. Siti   Rahmawati, S.E., M.M. ",
        "NIP": "19880714 201403 2 004",
        "Tempat Lahir": " Bandung ",
        "Tanggal Lahir": "14 Juli 1988",
        "Jenis Kelamin": "Perempuan",
        "Pangkat/Gol": "Penata (III/c)",
        "Jabatan": "Analis  Kebijakan Ahli Muda",
        "Instansi": "Pemerintah Kota Bandung",
        "Unit Kerja": "Bagian Organisasi",
        "Email": "Siti.Rahmawati@Bandung.GO.ID",
        "No. HP": "0812-3456-7890",
    }
    cells.update(changes)
    return [cells[h] for h in HEADERS]


def test_a_full_row_is_normalised() -> None:
    row = one_row(HEADERS, full_row())
    assert row == RosterRow(
        line=2,
        ndh=1,
        nip=NIP_F,
        name="Hj. Siti Rahmawati, S.E., M.M.",
        birth_place="Bandung",
        birth_date="1988-07-14",
        sex="P",
        golongan="III/c",
        pangkat="Penata",
        position="Analis Kebijakan Ahli Muda",
        agency="Pemerintah Kota Bandung",
        work_unit="Bagian Organisasi",
        email="Siti.Rahmawati@bandung.go.id",
        phone="+6281234567890",
        employment="",
        raw={},
    )
    assert row.raw["Nama Lengkap"] == "  Hj. Siti   Rahmawati, S.E., M.M. "
    assert list(row.raw) == HEADERS


def test_only_nip_and_name_are_required_and_nip_fills_sex_and_birth_date() -> None:
    row = one_row(["NIP", "Nama"], [NIP_M, "Budi Santoso"])
    assert (row.sex, row.birth_date, row.ndh, row.golongan, row.email) == (
        "L",
        "1990-01-15",
        None,
        "",
        "",
    )


@pytest.mark.parametrize(("cell", "ndh"), [("1", 1), ("01", 1), ("1.", 1), ("25", 25), ("", None)])
def test_ndh_forms(cell: str, ndh: int | None) -> None:
    assert one_row(["NDH", "NIP", "Nama"], [cell, NIP_M, "Budi"]).ndh == ndh


@pytest.mark.parametrize("cell", ["0", "-1", "1a", "satu", "1.5"])
def test_bad_ndh(cell: str) -> None:
    (error,) = one_reject(["NDH", "NIP", "Nama"], [cell, NIP_M, "Budi"])
    assert error.startswith("NDH: must be a positive whole number")


@pytest.mark.parametrize(
    ("ttl", "place"),
    [
        ("Bandung, 14 Juli 1988", "Bandung"),
        ("Kab. Bandung, 14/07/1988", "Kab. Bandung"),
        ("Bandung 14 Juli 1988", "Bandung"),
        ("Bandung, 1988-07-14", "Bandung"),
    ],
)
def test_combined_place_and_date_of_birth(ttl: str, place: str) -> None:
    row = one_row(["NIP", "Nama", "Tempat, Tanggal Lahir"], [NIP_F, "Siti", ttl])
    assert (row.birth_place, row.birth_date) == (place, "1988-07-14")


def test_unreadable_combined_place_and_date() -> None:
    (error,) = one_reject(["NIP", "Nama", "TTL"], [NIP_F, "Siti", "Bandung, kemarin"])
    assert error.startswith("TTL: cannot read a place and date of birth from 'Bandung, kemarin'")


def test_combined_date_that_contradicts_the_nip() -> None:
    (error,) = one_reject(["NIP", "Nama", "TTL"], [NIP_F, "Siti", "Bandung, 15 Juli 1988"])
    assert error == ("TTL: 1988-07-15 does not match the birth date in the NIP (1988-07-14)")


# ------------------------------------------------------------ rejected rows


def test_birth_date_column_that_contradicts_the_nip() -> None:
    (error,) = one_reject(HEADERS, full_row(**{"Tanggal Lahir": "15/07/1988"}))
    assert (
        error == "Tanggal Lahir: 1988-07-15 does not match the birth date in the NIP (1988-07-14)"
    )


def test_sex_column_that_contradicts_the_nip() -> None:
    (error,) = one_reject(HEADERS, full_row(**{"Jenis Kelamin": "L"}))
    assert error == "Jenis Kelamin: L does not match the sex in the NIP (digit 15 is 2, female)"


def test_every_problem_of_a_row_is_reported_with_its_column_as_written() -> None:
    errors = one_reject(
        HEADERS,
        full_row(
            **{
                "No": "x",
                "Nama Lengkap": " ",
                "Pangkat/Gol": "V/a",
                "Email": "budi@@example",
                "No. HP": "12345",
                "Jenis Kelamin": "?",
                "Tanggal Lahir": "31/02/1988",
            }
        ),
    )
    assert [e.split(":")[0] for e in errors] == [
        "No",
        "Nama Lengkap",
        "Pangkat/Gol",
        "Tanggal Lahir",
        "Jenis Kelamin",
        "Email",
        "No. HP",
    ]
    assert "Pangkat/Gol: golongan V/a does not exist — write the golongan as III/c" in errors[2]


def test_excel_damage_message_carries_its_hint() -> None:
    (error,) = one_reject(HEADERS, full_row(NIP="1,98807E+17"))
    assert error == (
        "NIP: Excel corrupted this NIP (it was stored as a number and lost digits)"
        " — format the NIP column as Text in Excel, retype the NIPs, and export again"
    )


def test_a_numeric_xlsx_cell_is_excel_damage_even_with_18_digits() -> None:
    results = parse(["NIP", "Nama"], [NIP_F, "Siti"], numeric={2: {0}})
    assert isinstance(results[0], RosterReject)
    assert results[0].errors[0].startswith("NIP: Excel corrupted this NIP")
    # The same text in a text cell is fine.
    assert isinstance(parse(["NIP", "Nama"], [NIP_F, "Siti"])[0], RosterRow)


def test_duplicates_point_at_the_first_occurrence() -> None:
    results = parse(
        ["NIP", "Nama"],
        [NIP_F, "Siti"],
        [NIP_M, "Budi"],
        ["19880714 201403 2 004", "Siti R."],
        [NIP_F, "Siti lagi"],
    )
    assert [type(r).__name__ for r in results] == [
        "RosterRow",
        "RosterRow",
        "RosterReject",
        "RosterReject",
    ]
    assert results[2].errors == ["NIP: duplicate of line 2"]
    assert results[3].errors == ["NIP: duplicate of line 2"]


def test_a_rejected_row_still_claims_its_nip() -> None:
    results = parse(["NIP", "Nama", "Email"], [NIP_F, "Siti", "bad@"], [NIP_F, "Siti", ""])
    assert results[1].errors == ["NIP: duplicate of line 2"]


def test_extra_non_empty_cells_are_reported() -> None:
    errors = one_reject(["NIP", "Nama"], [NIP_F, "Siti", "", "Jl. Merdeka"])
    assert errors == ["row has 4 cells but the header has 2; check the delimiter or stray commas"]
    (reject,) = parse(["NIP", "Nama"], [NIP_F, "Siti", "", "Jl. Merdeka"])
    assert reject.raw == {"NIP": NIP_F, "Nama": "Siti", "column 4": "Jl. Merdeka"}


def test_extra_empty_cells_are_harmless() -> None:
    assert one_row(["NIP", "Nama"], [NIP_F, "Siti", "", " "]).nip == NIP_F


# --------------------------------------------------------------- PPPK


def test_pppk_status_relaxes_the_month_check() -> None:
    pppk_nip = "198807142022212004"
    headers = ["NIP", "Nama", "Status Kepegawaian"]
    row = one_row(headers, [pppk_nip, "Siti", "PPPK"])
    assert (row.nip, row.employment) == (pppk_nip, "PPPK")
    (error,) = one_reject(headers, [pppk_nip, "Siti", "PNS"])
    assert error.startswith("NIP: NIP digits 13-14 are not a month (21)")


def test_a_pppk_golongan_marks_the_participant_pppk() -> None:
    row = one_row(["NIP", "Nama", "Golongan"], ["198807142022212004", "Siti", "IX"])
    assert (row.golongan, row.pangkat, row.employment) == ("IX", "", "PPPK")


def test_pppk_golongan_for_a_pns_is_refused() -> None:
    (error,) = one_reject(["NIP", "Nama", "Golongan", "ASN"], [NIP_F, "Siti", "IX", "PNS"])
    assert error == "Golongan: IX is a PPPK golongan but the participant is marked PNS"


def test_unknown_employment_status() -> None:
    (error,) = one_reject(["NIP", "Nama", "ASN"], [NIP_F, "Siti", "Honorer"])
    assert error == "ASN: must be PNS or PPPK, found 'Honorer'"


# ------------------------------------------------------ pangkat + golongan


def test_separate_pangkat_and_golongan_columns_are_read_together() -> None:
    headers = ["NIP", "Nama", "Pangkat", "Gol."]
    row = one_row(headers, [NIP_F, "Siti", "Penata Tk. I", "III/d"])
    assert (row.golongan, row.pangkat) == ("III/d", "Penata Tingkat I")
    (error,) = one_reject(headers, [NIP_F, "Siti", "Penata", "III/d"])
    assert error.startswith("Gol.: pangkat Penata is golongan III/c, not III/d")


def test_a_pangkat_column_alone_is_the_golongan() -> None:
    row = one_row(["NIP", "Nama", "Pangkat"], [NIP_F, "Siti", "Pembina Tk. I"])
    assert (row.golongan, row.pangkat) == ("IV/b", "Pembina Tingkat I")


# ---------------------------------------------------------------- fixtures


def test_canonical_fixture_is_all_valid() -> None:
    results = read_fixture("peserta-prm-2021-ii.csv")
    assert all(isinstance(r, RosterRow) for r in results), [
        r for r in results if isinstance(r, RosterReject)
    ]
    rows = [r for r in results if isinstance(r, RosterRow)]
    assert [r.ndh for r in rows] == list(range(1, 26))
    assert [r.line for r in rows] == list(range(2, 27))
    assert len({r.nip for r in rows}) == 25
    first = rows[0]
    assert first.name == "Dr. Ir. H. Ahmad Fauzi, M.Si."
    assert first.raw["NIP"] == f"{first.nip[:8]} {first.nip[8:14]} {first.nip[14]} {first.nip[15:]}"
    for row in rows:
        assert row.phone.startswith("+628")
        assert row.golongan in {"III/a", "III/b", "III/c", "III/d", "IV/a", "IV/b", "IV/c"}
        assert row.pangkat and row.sex in "LP" and row.birth_date and row.email


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("peserta-cp1252.csv", 10),
        ("peserta-utf16.txt", 10),
        ("peserta-utf16.csv", 10),
        ("peserta.xlsx", 25),
    ],
)
def test_other_valid_fixtures(name: str, count: int) -> None:
    results = read_fixture(name)
    assert [r for r in results if isinstance(r, RosterReject)] == []
    assert len(results) == count


def test_cp1252_fixture_keeps_accented_names() -> None:
    names = {r.name for r in read_fixture("peserta-cp1252.csv") if isinstance(r, RosterRow)}
    assert "Andréas Wijaya, S.T." in names


def test_xlsx_fixture_lines_are_sheet_rows_and_dates_are_read() -> None:
    rows = [r for r in read_fixture("peserta.xlsx") if isinstance(r, RosterRow)]
    assert [r.line for r in rows] == list(range(4, 29))
    # The birth-date cells are real dates; they must agree with the NIPs.
    assert all(r.birth_date == f"{r.nip[:4]}-{r.nip[4:6]}-{r.nip[6:8]}" for r in rows)


def test_numeric_nip_fixture_rejects_exactly_the_number_cells() -> None:
    results = read_fixture("peserta-numeric-nip.xlsx")
    rejects = [r for r in results if isinstance(r, RosterReject)]
    assert [r.line for r in rejects] == [7, 20]
    for reject in rejects:
        assert reject.errors == [
            "NIP: Excel corrupted this NIP (it was stored as a number and lost digits)"
            " — format the NIP column as Text in Excel, retype the NIPs, and export again"
        ]
    assert len(results) == 25


def test_bad_fixture_matches_its_expected_errors() -> None:
    expected = (FIXTURES / "peserta-bad.expected.txt").read_text(encoding="utf-8").splitlines()
    results = read_fixture("peserta-bad.csv")
    actual = [
        f"line {r.line}: {error}"
        for r in results
        if isinstance(r, RosterReject)
        for error in r.errors
    ]
    assert len(actual) == len(expected)
    for got, want in zip(actual, expected, strict=True):
        assert got.startswith(want), (got, want)
    valid = [r.line for r in results if isinstance(r, RosterRow)]
    assert valid == [2, 10, 17]


def test_bad_fixture_raw_cells_are_kept_for_the_rejects_file() -> None:
    rejects = [r for r in read_fixture("peserta-bad.csv") if isinstance(r, RosterReject)]
    assert rejects[0].raw["NIP"] == "1,98807E+17"
    assert list(rejects[0].raw)[:3] == ["No", "Nama Lengkap", "NIP"]


def test_fixture_nips_are_valid_on_their_own() -> None:
    for name in ("peserta-prm-2021-ii.csv", "peserta-utf16.txt", "peserta-cp1252.csv"):
        with read_table(FIXTURES / name) as source:
            index = source.headers.index("NIP")
            for row in source.rows:
                assert normalize_nip(row.cells[index], today=date.today())


# --- the fast path of a large import agrees with parse_row ----------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from revmental_cli import store  # noqa: E402
from revmental_cli.importers import roster as roster_module  # noqa: E402

_CELLS = {
    "No": ["", "1", "7", "007", "0", "12.", "x", "1234567890", " 3 ", "-"],
    "Nama": [
        "Budi Santoso",
        " Dra. Siti  Aminah, M.Si. ",
        "",
        "Wulan\tSari",
        "A\u00a0B",
        "Ni Luh",
        "-",
        "#N/A",
        "123",
        "I Gede #1",
    ],
    "NIP": [
        NIP_F,
        NIP_M,
        "19880714 201403 2 004",
        "19880714-201403-2-004",
        "1.98807E+17",
        "198807142014032000",
        "'198807142014032004",
        "19880714.201403.2.004",
        "198813142014032004",
        "198807142014132004",
        "198807142014033004",
        "203007142014032004",
        "188807142014032004",
        "198807142014032",
        "١٩٨٨٠٧١٤٢٠١٤٠٣٢٠٠٤",
        "",
        "19880230 201403 2 004",
        "198807142099032004",
        "198104062021211009",  # PPPK: the full checks decide
        "19810406 202121 1 009",
        "3273015407880001",  # a NIK, refused under a plain NIP header
        "85010123",  # an NRP, likewise
    ],
    "Pangkat/Gol": [
        "",
        "III/c",
        "IIIc",
        "Penata (III/c)",
        "III",
        "IX",
        "V/z",
        "iv/a",
        "Pembina",
        "-",
        "Penata/III/c",
        "(V)",
        "Golongan V",
    ],
    "Jenis Kelamin": ["", "P", "L", "Perempuan", "laki-laki", "X"],
    "Jabatan": ["", "Analis", "  Analis   Kebijakan ", "-", "#REF!"],
    "Instansi": ["", "Pemkot Bandung", "Pemkot\u00a0Bandung"],
    "Email": ["", "budi@contoh.go.id", "Budi@CONTOH.go.id", "budi@", "a b@c.id", "x..y@c.id", "-"],
    "No. HP": [
        "",
        "0812-3456-7890",
        "+62 812 3456 7890",
        "62812345678",
        "0812 3456 7890",
        "081234567890123",
        "0812345678",
        "08123456",
        " 0812-3456-789 ",
        "0274 512345",
        "12",
        "abc",
    ],
    "Status Kepegawaian": ["", "PNS", "PPPK", "honorer"],
    "Gelar Depan": ["", "Dr."],
    "Tanggal Lahir": ["", "14-07-1988", "1988-07-15"],
}


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(sorted(_CELLS)), min_size=0, max_size=6, unique=True),
    st.data(),
)
def test_the_fast_path_gives_what_parse_row_gives(extra: list[str], data: st.DataObject) -> None:
    headers = ["No", "Nama", "NIP", *[h for h in extra if h not in ("No", "Nama", "NIP")]]
    rows = [
        [data.draw(st.sampled_from(_CELLS[h])) for h in headers]
        + data.draw(st.sampled_from([[], [""], ["stray"]]))
        for _ in range(data.draw(st.integers(1, 4)))
    ]
    slow = []
    for result in parse_roster(table(headers, *rows)):
        if isinstance(result, RosterReject):
            slow.append(("reject", result.line, result.errors))
        else:
            fields = (getattr(result, f) or None for f in store.PERSON_FIELDS)
            slow.append(("row", (result.line, result.ndh, result.nip, result.name, *fields)))
    fast = [
        ("reject", r.line, r.errors) if isinstance(r, RosterReject) else ("row", r)
        for r in RosterParser(table(headers, *rows)).staged()
    ]
    assert fast == slow


def test_the_fast_path_stages_the_store_s_fields_in_order() -> None:
    assert roster_module._PERSON_FIELDS == store.PERSON_FIELDS


# --- the column-at-a-time path (columns.py) agrees with the per-row paths -------------------

import csv as _csv  # noqa: E402
import io  # noqa: E402

from revmental_cli.importers.roster import parser as parser_module  # noqa: E402

# More spellings that a column check must leave to the per-row code, or accept alike.
_MORE = {
    "Nama": ["Budi\x00Santoso", "Ñoño Ávila", "\u00c9mile", "Dr.  Budi", "Budi ", "_"],
    "NIP": ["19880714 201403 2 004", "19880714 2014032004", "19880714  201403 2 004", "\x00"],
    "Email": ["budi@CONTOH.go.id", "a.b@c-d.go.id", "a.@b.id", ".a@b.id", "a@-b.id", "a@b.i"],
    "No. HP": ["0812-3456-7890 ", "08 12 34 56 78 90", "+6281234567890", "0812\t34567890"],
    "No": ["1", "2", "3", "4", "1", "0", "01"],
}


# Cells every path accepts: a "plain" row varies one cell among them.
_GOOD = {
    "No": ["", "1", "7", "12"],
    "Nama": ["Budi Santoso", "Ni Luh", "Dra. Siti Aminah, M.Si."],
    "NIP": [NIP_F, NIP_M, "19880714 201403 2 004", "19900115-201503-1-001"],
    "Pangkat/Gol": ["", "III/c", "IIIc", "Penata (III/c)", "iv/a"],
    "Jenis Kelamin": [""],
    "Jabatan": ["", "Analis"],
    "Instansi": ["", "Pemkot Bandung"],
    "Email": ["", "budi@contoh.go.id"],
    "No. HP": ["", "0812-3456-7890"],
    "Status Kepegawaian": [""],
    "Gelar Depan": [""],
    "Tanggal Lahir": [""],
}


def _outcomes(text: str, tmp_path: Path, name: str) -> tuple[list[object], list[object]]:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    with read_table(path) as source:
        slow: list[object] = []
        for result in parse_roster(source):
            if isinstance(result, RosterReject):
                slow.append(("reject", result.line, result.errors))
            else:
                fields = (getattr(result, f) or None for f in store.PERSON_FIELDS)
                slow.append(("row", (result.line, result.ndh, result.nip, result.name, *fields)))
    with read_table(path) as source:
        fast = [
            ("reject", r.line, r.errors) if isinstance(r, RosterReject) else ("row", r)
            for r in RosterParser(source).staged()
        ]
    return slow, fast


@pytest.mark.slow
@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(st.sampled_from(sorted(_CELLS)), min_size=1, max_size=8, unique=True),
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from([_csv.QUOTE_MINIMAL, _csv.QUOTE_ALL]),
    st.integers(1, 5),
    st.data(),
)
def test_the_column_path_gives_what_the_row_paths_give_on_files(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    extra: list[str],
    delimiter: str,
    quoting: int,
    chunk: int,
    data: st.DataObject,
) -> None:
    # Tiny chunks put chunk boundaries between any two rows: duplicates and fallbacks that
    # straddle them must come out as the per-row code says, line numbers included.
    monkeypatch.setattr(parser_module, "CHUNK", chunk)
    headers = ["No", "Nama", "NIP", *[h for h in extra if h not in ("No", "Nama", "NIP")]]

    def cell(header: str) -> str:
        choices = _CELLS[header] + _MORE.get(header, [])
        return data.draw(st.sampled_from([c for c in choices if "\x00" not in c or quoting]))

    out = io.StringIO()
    writer = _csv.writer(out, delimiter=delimiter, quoting=quoting, lineterminator="\r\n")
    writer.writerow(headers)
    for _ in range(data.draw(st.integers(1, 12))):
        kind = data.draw(st.sampled_from(["plain", "plain", "any", "blank", "stray"]))
        if kind == "blank":
            writer.writerow([""] * data.draw(st.integers(0, len(headers))))
        elif kind == "plain":  # the common row: valid but for at most one varied cell
            varied = data.draw(st.sampled_from(headers))
            row = [
                cell(h) if h == varied else data.draw(st.sampled_from(_GOOD[h])) for h in headers
            ]
            writer.writerow(row)
        else:
            row = [cell(h) for h in headers]
            writer.writerow(row + (["stray"] if kind == "stray" else []))
    for trailer in data.draw(st.lists(st.sampled_from(["Jakarta, 1 Mei 2021", "Jumlah: 3"]))):
        writer.writerow([""] * (len(headers) - 1) + [trailer])
    text = out.getvalue().replace("\x00", "")  # the csv module refuses NUL when writing
    try:
        slow, fast = _outcomes(text, tmp_path, "roster.csv")
    except InputError:
        return  # a file neither path reads (no data row): the header checks, not the paths
    assert fast == slow


def test_a_chunk_of_plain_rows_is_staged_by_the_column_path() -> None:
    headers = ["No", "Nama", "NIP", "Pangkat/Gol", "Email", "No. HP", "Instansi"]
    rows = [
        [str(i), f"Budi Santoso {chr(65 + i)}", nip, "III/c", f"b{i}@contoh.go.id",
         "0812-3456-7890", "Pemkot Bandung"]
        for i, nip in enumerate(["19880714 201403 2 004", "199001152015031001"], start=1)
    ]  # fmt: skip
    parser = RosterParser(table(headers, *rows))
    check = parser_module.column_path(parser.columns, len(headers), parser.today)
    staged, nips = check(list(parser.table.rows))
    assert None not in staged
    assert nips == [NIP_F, NIP_M]
    assert staged[0] == (
        2, 1, NIP_F, "Budi Santoso B", None, "1988-07-14", "P", "III/c", "Penata",
        None, "Pemkot Bandung", None, "b1@contoh.go.id", "+6281234567890", None,
    )  # fmt: skip
