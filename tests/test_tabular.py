"""Reading tables as they arrive: encodings, delimiters, title rows, xlsx, damage."""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import tempfile
from datetime import date, datetime, time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from revmental_cli.errors import InputError, UsageError
from revmental_cli.importers.tabular import Row, Table, cell_text, read_table

FIXTURES = Path(__file__).parent / "fixtures" / "roster"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def rows_of(table: Table) -> list[tuple[int, list[str]]]:
    return [(row.line, row.cells) for row in table.rows]


def input_error(path: Path, **options: str) -> InputError:
    with pytest.raises(InputError) as info:
        table = read_table(path, **options)
        list(table.rows)
    return info.value


# ------------------------------------------------------------ round trip


def _text(exclude: str = "") -> st.SearchStrategy[str]:
    return st.text(
        st.characters(exclude_categories=("Cs",), exclude_characters="\x00" + exclude),
        max_size=12,
    )


CP1252 = "".join(
    ch for ch in (bytes([b]).decode("cp1252", errors="ignore") for b in range(1, 256)) if ch
)


@st.composite
def tables(draw: st.DrawFn, exclude: str = "") -> tuple[str, str, str, list[list[str]]]:
    """A delimiter, line ending, encoding and header + rows csv.writer can round-trip."""
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    ending = draw(st.sampled_from(["\r\n", "\n"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    # csv.writer quotes a cell holding "\r" only when "\r" is in the line ending.
    excluded = exclude + ("\r" if ending == "\n" else "")
    cell = (
        st.text(st.sampled_from([c for c in CP1252 if c not in excluded]), max_size=12)
        if encoding == "cp1252"
        else _text(excluded)
    )
    width = draw(st.integers(1, 5))
    header_cell = cell.map(str.strip).filter(lambda h: bool(h) and not h.startswith("\ufeff"))
    headers = draw(st.lists(header_cell, min_size=width, max_size=width, unique=True))
    # Excel's "sep=X" first line is a feature, not data.
    assume(not (width == 1 and headers[0].startswith("sep=")))
    body = draw(st.lists(st.lists(cell, min_size=width, max_size=width), max_size=8))
    return delimiter, ending, encoding, [headers, *body]


def _write_table(folder: Path, delimiter: str, ending: str, encoding: str, rows: list) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=ending).writerows(rows)
    data = buffer.getvalue().encode(encoding)
    if encoding in ("utf-8", "cp1252"):
        # Without a BOM, these first bytes would rightly be read as one.
        assume(not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)))
    if encoding == "cp1252":
        # Detection tries UTF-8 first: cp1252 bytes that are also valid UTF-8
        # are indistinguishable from it, so they are not part of the promise.
        with contextlib.suppress(UnicodeDecodeError):
            assume(data.decode("utf-8") == buffer.getvalue())
    path = folder / "table.csv"
    path.write_bytes(data)
    return path


def _expected(rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    return rows[0], [r for r in rows[1:] if any(cell.strip() for cell in r)]


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(tables())
def test_any_table_round_trips_with_the_delimiter_given(
    case: tuple[str, str, str, list[list[str]]],
) -> None:
    delimiter, ending, encoding, rows = case
    with tempfile.TemporaryDirectory() as folder:
        path = _write_table(Path(folder), delimiter, ending, encoding, rows)
        with read_table(path, delimiter=delimiter) as table:
            headers, body = _expected(rows)
            assert table.headers == headers
            assert [row.cells for row in table.rows] == body


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.data())
def test_any_table_round_trips_with_the_delimiter_sniffed(data: st.DataObject) -> None:
    delimiter, ending, encoding, rows = data.draw(tables())
    # Cells may hold the delimiter (csv.writer quotes it) but not the other
    # candidates, which would make the table genuinely ambiguous.
    others = "".join(c for c in ",;\t" if c != delimiter)
    assume(not any(c in cell for row in rows for cell in row for c in others))
    with tempfile.TemporaryDirectory() as folder:
        path = _write_table(Path(folder), delimiter, ending, encoding, rows)
        with read_table(path) as table:
            headers, body = _expected(rows)
            assert table.headers == headers
            assert [row.cells for row in table.rows] == body
            if len(headers) > 1:
                assert table.delimiter == delimiter


# ---------------------------------------------------------------- fixtures


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter", "rows"),
    [
        ("peserta-prm-2021-ii.csv", "utf-8-sig", ";", 25),
        ("peserta-cp1252.csv", "cp1252", ",", 10),
        ("peserta-utf16.txt", "utf-16", "\t", 10),
        ("peserta-utf16.csv", "utf-16", "\t", 10),
        ("peserta-bad.csv", "utf-8-sig", ";", 18),
    ],
)
def test_fixture_encodings_and_delimiters_are_detected(
    name: str, encoding: str, delimiter: str, rows: int
) -> None:
    with read_table(FIXTURES / name) as table:
        assert (table.encoding, table.delimiter, table.header_line) == (encoding, delimiter, 1)
        assert table.headers[:3] == ["No", table.headers[1], "NIP"]
        body = list(table.rows)
    assert len(body) == rows
    assert [row.line for row in body][:3] == [2, 3, 4]


def test_cp1252_names_are_decoded() -> None:
    with read_table(FIXTURES / "peserta-cp1252.csv") as table:
        names = [row.cells[1] for row in table.rows]
    assert "Andréas Wijaya, S.T." in names
    assert "Jürgen Simanjuntak, M.Si." in names


def test_xlsx_title_row_is_skipped_and_rows_keep_sheet_numbers() -> None:
    with read_table(FIXTURES / "peserta.xlsx") as table:
        assert table.sheet == "Peserta"
        assert table.header_line == 3
        assert table.headers[:3] == ["No", "Nama Lengkap", "NIP"]
        body = list(table.rows)
    assert [row.line for row in body] == list(range(4, 29))
    first = body[0]
    assert first.cells[0] == "1" and first.numeric[0]
    assert len(first.cells[2]) == 18 and not first.numeric[2]
    assert date.fromisoformat(first.cells[4])  # a date cell comes back as ISO text


def test_xlsx_numeric_nip_cells_are_flagged() -> None:
    with read_table(FIXTURES / "peserta-numeric-nip.xlsx") as table:
        flagged = [row.line for row in table.rows if row.numeric[2]]
    assert flagged == [7, 20]


def test_xlsx_sheet_is_chosen_case_insensitively() -> None:
    with read_table(FIXTURES / "peserta.xlsx", sheet="rekap") as table:
        assert table.sheet == "Rekap"
        assert table.headers == ["Keterangan", "Jumlah"]
        assert [row.cells for row in table.rows][-1] == ["Jumlah peserta", "25"]


def test_unknown_sheet_lists_the_sheets() -> None:
    error = input_error(FIXTURES / "peserta.xlsx", sheet="Daftar")
    assert "Daftar" in error.message
    assert error.hint is not None and "Peserta, Rekap" in error.hint


# ------------------------------------------------------------ CSV details


def test_excel_sep_line_sets_the_delimiter_and_is_skipped(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", "sep=;\r\nNIP;Nama\r\n1,5;Budi\r\n")
    with read_table(path) as table:
        assert table.delimiter == ";"
        assert table.headers == ["NIP", "Nama"]
        assert table.header_line == 2
        assert rows_of(table) == [(3, ["1,5", "Budi"])]


@pytest.mark.parametrize("ending", ["\r\n", "\n", "\r"])
def test_line_endings_and_missing_final_newline(tmp_path: Path, ending: str) -> None:
    path = write(tmp_path / "a.csv", ending.join(["NIP,Nama", "1,Budi", "", "2,Wulan"]))
    with read_table(path) as table:
        assert rows_of(table) == [(2, ["1", "Budi"]), (4, ["2", "Wulan"])]


def test_multi_line_cells_are_numbered_by_their_first_line(tmp_path: Path) -> None:
    text = 'NIP,Nama\n1,"Budi\nSantoso"\n\n2,Wulan\n'
    with read_table(write(tmp_path / "a.csv", text)) as table:
        assert rows_of(table) == [(2, ["1", "Budi\nSantoso"]), (5, ["2", "Wulan"])]


def test_blank_rows_are_skipped_but_counted(tmp_path: Path) -> None:
    text = "\n\nNIP;Nama\n;\n  ;  \n1;Budi\n"
    with read_table(write(tmp_path / "a.csv", text)) as table:
        assert table.header_line == 3
        assert rows_of(table) == [(6, ["1", "Budi"])]


def test_short_rows_are_padded_and_extra_cells_kept(tmp_path: Path) -> None:
    text = "NIP;Nama;Email\n1;Budi\n2;Wulan;w@x.id;extra\n"
    with read_table(write(tmp_path / "a.csv", text)) as table:
        body = list(table.rows)
    assert body[0].cells == ["1", "Budi", ""]
    assert list(body[0].numeric) == [False, False, False]
    assert body[1].cells == ["2", "Wulan", "w@x.id", "extra"]


def test_trailing_delimiter_in_header_adds_no_column(tmp_path: Path) -> None:
    text = "NIP,Nama,\n1,Budi,\n"
    with read_table(write(tmp_path / "a.csv", text)) as table:
        assert table.headers == ["NIP", "Nama"]
        assert rows_of(table) == [(2, ["1", "Budi", ""])]


def test_title_rows_above_the_header_are_skipped(tmp_path: Path) -> None:
    text = (
        "DAFTAR PESERTA PELATIHAN REVOLUSI MENTAL;;\n"
        "ANGKATAN II TAHUN 2021;;\n"
        "\n"
        "No;Nama Lengkap;NIP\n"
        "1;Budi;198807142014031004\n"
    )
    with read_table(write(tmp_path / "a.csv", text)) as table:
        assert table.header_line == 4
        assert table.headers == ["No", "Nama Lengkap", "NIP"]
        assert rows_of(table) == [(5, ["1", "Budi", "198807142014031004"])]


def test_a_single_column_file_keeps_its_first_row_as_header(tmp_path: Path) -> None:
    text = "NIP\n198807142014031004\n198807142014032004\n"
    with read_table(write(tmp_path / "a.csv", text)) as table:
        assert table.headers == ["NIP"]
        assert [line for line, _ in rows_of(table)] == [2, 3]


def test_title_row_without_a_recognisable_header_later_stays_the_header(tmp_path: Path) -> None:
    text = "Judul\na;b\nc;d\n"
    with read_table(write(tmp_path / "a.csv", text)) as table:
        assert table.headers == ["Judul"]
        assert rows_of(table) == [(2, ["a", "b"]), (3, ["c", "d"])]


@pytest.mark.parametrize(
    ("given", "expected"),
    [(",", ","), ("comma", ","), (";", ";"), ("semicolon", ";"), ("\t", "\t"), ("TAB", "\t")],
)
def test_delimiter_names(tmp_path: Path, given: str, expected: str) -> None:
    path = write(tmp_path / "a.csv", "NIP,Nama;x\tz\n1,2;3\t4\n")
    with read_table(path, delimiter=given) as table:
        assert table.delimiter == expected


def test_unknown_delimiter_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        read_table(write(tmp_path / "a.csv", "a|b\n"), delimiter="|")
    assert "delimiter" in caught.value.message
    assert caught.value.exit_code == 2


def test_semicolon_file_with_commas_in_names_is_sniffed_as_semicolon(tmp_path: Path) -> None:
    text = "No;Nama;NIP\n1;Wulan Sari, S.Sos.;1\n2;Budi;2\n3;Hj. Siti, S.E., M.M.;3\n"
    with read_table(write(tmp_path / "a.csv", text)) as table:
        assert table.delimiter == ";"
        assert next(table.rows).cells[1] == "Wulan Sari, S.Sos."


def test_utf16_without_bom_is_detected(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "NIP\tNama\r\n1\tRenée\r\n", "utf-16-le")
    with read_table(path) as table:
        assert table.encoding == "utf-16-le"
        assert rows_of(table) == [(2, ["1", "Renée"])]


def test_utf16_big_endian_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(codecs.BOM_UTF16_BE + "NIP\tNama\n1\tBudi\n".encode("utf-16-be"))
    with read_table(path) as table:
        assert table.headers == ["NIP", "Nama"]


def test_explicit_encoding_is_used(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", "NIP,Nama\n1,Andréas\n", "latin-1")
    with read_table(path, encoding="latin-1") as table:
        assert rows_of(table) == [(2, ["1", "Andréas"])]


def test_explicit_utf8_drops_a_bom(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", "NIP,Nama\n", "utf-8-sig")
    with read_table(path, encoding="utf-8") as table:
        assert table.headers == ["NIP", "Nama"]


def test_wrong_explicit_encoding_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", "NIP,Nama\n1,Budi\n2,Andréas\n", "cp1252")
    error = input_error(path, encoding="utf-8")
    assert "line 3" in error.message


def test_unknown_encoding_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        read_table(write(tmp_path / "a.csv", "a\n"), encoding="klingon")
    assert "klingon" in caught.value.message


def test_undecodable_bytes_are_reported_with_their_line(tmp_path: Path) -> None:
    # 0x81 is undefined in cp1252 and invalid as UTF-8.
    path = tmp_path / "a.csv"
    path.write_bytes(b"NIP,Nama\r\n1,Budi\r\n2,Bu\x81di\r\n")
    error = input_error(path)
    assert "line 3" in error.message and "0x81" in error.message


def test_rows_stream_before_a_later_problem(tmp_path: Path) -> None:
    huge = "x" * (2 * 1024 * 1024)
    path = write(tmp_path / "a.csv", f"NIP,Nama\n1,Budi\n2,{huge}\n")
    table = read_table(path)
    rows = iter(table.rows)
    assert next(rows).cells == ["1", "Budi"]  # handed out before line 3 is read
    with pytest.raises(InputError, match="line 3: a cell is longer than 1 MB"):
        next(rows)


def test_rows_is_a_lazy_iterator(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", "NIP\n" + "1\n" * 1000)
    with read_table(path) as table:
        assert iter(table.rows) is table.rows
        assert isinstance(next(table.rows), Row)


# ---------------------------------------------------------- whole-file errors


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("empty.csv", b"", "empty"),
        ("blank.csv", b"\r\n , \r\n\r\n", "empty"),
        ("nul.csv", b"NIP,Nama\n1,Bu\x00di\n", "NUL"),
        ("zip.csv", b"PK\x03\x04" + b"\x00" * 40, "zip"),
        ("old.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, ".xls"),
        ("doc.csv", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        ("peserta.xls", b"\xd0\xcf\x11\xe0", ".xls"),
        ("broken.xlsx", b"not a zip at all", ".xlsx"),
        ("sheet.ods", b"PK\x03\x04", ".ods"),
    ],
)
def test_files_that_are_not_tables(tmp_path: Path, name: str, content: bytes, words: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    error = input_error(path)
    assert name in error.message
    assert words in error.message
    assert error.hint


def test_xls_hint_says_how_to_convert(tmp_path: Path) -> None:
    error = input_error(write(tmp_path / "peserta.xls", "x"))
    assert error.hint == "open it in Excel and save as .xlsx or CSV"


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert "no such file" in input_error(tmp_path / "nope.csv").message
    assert "directory" in input_error(tmp_path).message


def test_sheet_option_on_a_csv_is_refused(tmp_path: Path) -> None:
    assert "--sheet" in input_error(write(tmp_path / "a.csv", "a\n"), sheet="x").message


# ------------------------------------------------------------- xlsx cells


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ("", False)),
        ("198807142014032004", ("198807142014032004", False)),
        (1, ("1", True)),
        (1.0, ("1", True)),
        (198807142014032004, ("198807142014032004", True)),
        (1.98807142014032e17, ("198807142014032000", True)),
        (85.5, ("85.5", True)),
        (0.1 + 0.2, ("0.3", True)),
        (1.5e25, ("1.5E+25", True)),
        (True, ("TRUE", False)),
        (datetime(1988, 7, 14), ("1988-07-14", False)),
        (datetime(2021, 9, 29, 8, 50, 2), ("2021-09-29 08:50:02", False)),
        (date(1988, 7, 14), ("1988-07-14", False)),
        (time(9, 30), ("09:30:00", False)),
    ],
)
def test_xlsx_values_become_the_text_excel_shows(value: object, expected: tuple[str, bool]) -> None:
    assert cell_text(value) == expected


def test_xlsx_blank_rows_and_trailing_cells(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["NIP", "Nama", None])
    sheet.append([None, None])
    sheet.append(["198807142014031004", "Budi", None, None])
    sheet["F7"] = "catatan"
    workbook.save(tmp_path / "a.xlsx")
    with read_table(tmp_path / "a.xlsx") as table:
        assert table.headers == ["NIP", "Nama"]
        assert rows_of(table) == [
            (3, ["198807142014031004", "Budi"]),
            (7, ["", "", "", "", "", "catatan"]),
        ]


def test_a_row_numbering_the_columns_under_the_header_is_skipped(tmp_path: Path) -> None:
    text = "No;NIP;Nama;Jabatan\n1;2;3;4\n1;198807142014032004;Ayu;Analis\n"
    with read_table(write(tmp_path / "a.csv", text)) as table:
        assert rows_of(table) == [(3, ["1", "198807142014032004", "Ayu", "Analis"])]


def test_a_first_data_row_is_not_taken_for_column_numbers(tmp_path: Path) -> None:
    text = "No;Nama;Nilai\n1;Ayu;90\n"  # 1, Ayu: not 1, 2, 3
    with read_table(write(tmp_path / "a.csv", text)) as table:
        assert rows_of(table) == [(2, ["1", "Ayu", "90"])]


def test_a_csv_named_xlsx_gets_a_rename_hint(tmp_path: Path) -> None:
    error = input_error(write(tmp_path / "peserta.xlsx", "NIP;Nama\n1;Ayu\n"))
    assert "not a readable .xlsx workbook" in error.message
    assert error.hint is not None and "name it .csv" in error.hint


def test_the_sheet_read_is_named_when_the_workbook_has_others(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Angkatan I"
    book.active.append(["NIP", "Nama"])
    book.create_sheet("Angkatan II").append(["NIP", "Nama"])
    book.save(tmp_path / "dua.xlsx")
    with read_table(tmp_path / "dua.xlsx") as table:
        assert table.sheet == "Angkatan I"
        assert any("also has 'Angkatan II' (--sheet NAME)" in note for note in table.notes)
    with read_table(tmp_path / "dua.xlsx", sheet="Angkatan II") as table:
        assert table.notes == []
