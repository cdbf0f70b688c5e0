"""Hostile and absurd input, class by class: every one a clear message and exit 1 or 2, in
bounded time and memory, never "internal error", and the store untouched.

The big inputs are made here, small: a sparse file stands for a huge one, a limit is lowered
for a workbook that would pass it, and a zip bomb is a bomb in shape at a small scale.
"""

from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, ROOT, Run, RunCli, revmental_process
from tests.test_faults import dump

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX special files")
ROSTER = FIXTURES / "roster" / "peserta-prm-2021-ii.csv"
ZOOM = FIXTURES / "attendance" / "zoom-sesi-1.csv"
SCORES = FIXTURES / "scores" / "nilai-kunci.csv"
READERS = [
    ("roster", "import"),
    ("score", "import"),
    ("attendance", "import"),
    ("cohort", "validate"),
]


def refused(result: Run, *words: str, code: int = 1) -> None:
    assert result.exit_code == code, (result.exit_code, result.stderr)
    assert "internal error" not in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


@pytest.fixture
def with_roster(cli: RunCli, prm: Path) -> Path:
    assert cli("roster", "import", str(ROSTER)).exit_code == 0
    return prm


# --- 1. bounded work: special files, huge files, long lines, vast sheets -------------------------


@posix_only
@pytest.mark.parametrize("command", READERS, ids=" ".join)
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused_up_front(
    cli: RunCli, with_roster: Path, store_path: Path, command: tuple[str, str], device: str
) -> None:
    before = dump(store_path)
    started = time.monotonic()
    result = cli(*command, device)
    refused(result, device, "not a regular file")
    assert time.monotonic() - started < 10
    assert dump(store_path) == before


@posix_only
@pytest.mark.parametrize("command", READERS, ids=" ".join)
def test_a_pipe_is_refused_without_waiting_for_a_writer(
    cli: RunCli, with_roster: Path, tmp_path: Path, command: tuple[str, str]
) -> None:
    fifo = tmp_path / "peserta.csv"
    os.mkfifo(fifo)
    refused(cli(*command, str(fifo)), "not a regular file")


@pytest.mark.parametrize("command", READERS, ids=" ".join)
def test_a_file_past_the_size_limit_is_refused_before_it_is_read(
    cli: RunCli, with_roster: Path, tmp_path: Path, command: tuple[str, str]
) -> None:
    path = tmp_path / ("huge.yaml" if command[0] == "cohort" else "huge.csv")
    with path.open("wb") as fh:
        fh.truncate(300 * 1024 * 1024)  # sparse: 300 MB on paper, nothing on disk
    started = time.monotonic()
    result = cli(*command, str(path))
    refused(result, "huge")
    assert re.search(r"larger than|too large", result.stderr), result.stderr
    assert time.monotonic() - started < 10


def test_a_line_of_many_megabytes_is_refused_naming_the_limit(
    cli: RunCli, prm: Path, store_path: Path, tmp_path: Path
) -> None:
    before = dump(store_path)
    path = tmp_path / "panjang.csv"
    # Short cells, so the cell limit never speaks: only the line's length is wrong.
    path.write_text("No;Nama;NIP\n1;Budi;" + "x;" * (3 * 1024 * 1024) + "\n", encoding="utf-8")
    result = cli("roster", "import", str(path))
    refused(result, "panjang.csv: line 2 is longer than 4 MB")
    assert dump(store_path) == before


def test_a_file_without_line_breaks_is_refused_after_its_first_megabytes(
    cli: RunCli, prm: Path, tmp_path: Path
) -> None:
    path = tmp_path / "satu-baris.csv"
    path.write_bytes(b"a" * (9 * 1024 * 1024))
    refused(cli("roster", "import", str(path)), "line 1 is longer than 4 MB")


def test_a_row_with_more_cells_than_excel_has_columns_is_refused(
    cli: RunCli, prm: Path, tmp_path: Path
) -> None:
    path = tmp_path / "lebar.csv"
    path.write_text("No;Nama;NIP\n1;Budi;" + ";" * 20_000 + "\n", encoding="utf-8")
    refused(cli("roster", "import", str(path)), "line 2: more than 16,384 cells")


def _workbook(path: Path, rows: int = 3) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Peserta"
    sheet.append(["No", "Nama", "NIP", "Instansi"])
    for i in range(1, rows + 1):
        sheet.append([i, f"Peserta {i}", f"19880714201403{2000 + i}", "BKN"])
    book.save(path)
    return path


def _rewrite_sheet(path: Path, change: Any, *, declared: int | None = None) -> Path:
    """Rewrite the first worksheet's XML of ``path`` with ``change(xml) -> xml``."""
    with zipfile.ZipFile(path) as archive:
        parts = {entry.filename: archive.read(entry.filename) for entry in archive.infolist()}
    parts["xl/worksheets/sheet1.xml"] = change(parts["xl/worksheets/sheet1.xml"])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_a_workbook_declaring_the_whole_sheet_imports_what_is_really_there(
    cli: RunCli, prm: Path, tmp_path: Path
) -> None:
    path = _rewrite_sheet(
        _workbook(tmp_path / "peserta.xlsx"),
        lambda xml: re.sub(
            rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:XFD1048576"/>', xml
        ),
    )
    assert b"XFD1048576" in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    started = time.monotonic()
    result = cli("roster", "import", str(path), "--dry-run")
    assert result.exit_code in (0, 1), result.stderr
    assert "internal error" not in result.stderr
    assert time.monotonic() - started < 15


def test_a_row_numbered_past_excels_last_row_is_refused(
    cli: RunCli, prm: Path, store_path: Path, tmp_path: Path
) -> None:
    before = dump(store_path)
    far = b'<row r="99999999"><c r="A99999999" t="inlineStr"><is><t>x</t></is></c></row>'
    path = _rewrite_sheet(
        _workbook(tmp_path / "jauh.xlsx"),
        lambda xml: xml.replace(b"</sheetData>", far + b"</sheetData>"),
    )
    started = time.monotonic()
    result = cli("roster", "import", str(path))
    refused(result, "jauh.xlsx", "1,048,576")
    assert time.monotonic() - started < 30
    assert dump(store_path) == before


def test_a_sheet_past_the_cell_budget_is_refused(
    cli: RunCli, prm: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from revmental_cli.importers.tabular import xlsx

    # Every row reaching column XFD costs 16,384 cells: a few of them pass a lowered budget.
    monkeypatch.setattr(xlsx, "MAX_SHEET_CELLS", 100_000)
    wide = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c>'
        b'<c r="XFD%d" t="inlineStr"><is><t>y</t></is></c></row>' % (i, i, i)
        for i in range(10, 30)
    )
    path = _rewrite_sheet(
        _workbook(tmp_path / "lebar.xlsx"),
        lambda xml: xml.replace(b"</sheetData>", wide + b"</sheetData>"),
    )
    refused(cli("roster", "import", str(path)), "lebar.xlsx", "more than 100,000 cells")


def test_a_zip_bomb_is_refused_by_its_declared_size(
    cli: RunCli, prm: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from revmental_cli.importers.tabular import xlsx

    monkeypatch.setattr(xlsx, "MAX_UNPACKED_BYTES", 1024 * 1024)
    path = _rewrite_sheet(
        _workbook(tmp_path / "bom.xlsx"),
        lambda xml: xml.replace(b"</sheetData>", b"</sheetData>" + b" " * (4 * 1024 * 1024)),
    )
    assert path.stat().st_size < 100_000  # 4 MB of XML in a few kilobytes
    refused(cli("roster", "import", str(path)), "bom.xlsx", "unpacks to more than 1 MB")


# --- 2. damaged workbooks, deep YAML, codecs, names, full disks ---------------------------------


@pytest.mark.parametrize(
    "attack",
    [
        b'<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
        b'<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',
    ],
    ids=["xxe", "billion-laughs"],
)
def test_xml_entities_in_a_workbook_are_refused(
    cli: RunCli, prm: Path, store_path: Path, tmp_path: Path, attack: bytes
) -> None:
    before = dump(store_path)

    def change(xml: bytes) -> bytes:
        body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
        cell = b'<row r="9"><c r="B9" t="inlineStr"><is><t>&e;&d;</t></is></c></row>'
        return (
            b'<?xml version="1.0"?>'
            + attack
            + body.replace(b"</sheetData>", cell + b"</sheetData>")
        )

    path = _rewrite_sheet(_workbook(tmp_path / "xml.xlsx"), change)
    result = cli("roster", "import", str(path))
    refused(result, "xml.xlsx", "not a readable .xlsx workbook")
    assert "root:" not in result.stdout + result.stderr
    assert dump(store_path) == before


@pytest.mark.parametrize("damage", ["truncated", "zeroed", "broken-sheet-xml", "no-sheet-part"])
def test_a_damaged_workbook_is_an_input_error(
    cli: RunCli, prm: Path, store_path: Path, tmp_path: Path, damage: str
) -> None:
    before = dump(store_path)
    path = _workbook(tmp_path / "rusak.xlsx", rows=50)
    data = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "zeroed":
        path.write_bytes(data[:300] + bytes(200) + data[500:])
    elif damage == "broken-sheet-xml":
        _rewrite_sheet(path, lambda xml: xml[: len(xml) * 2 // 3])
    else:
        with zipfile.ZipFile(path) as archive:
            parts = {e.filename: archive.read(e.filename) for e in archive.infolist()}
        del parts["xl/worksheets/sheet1.xml"]
        with zipfile.ZipFile(path, "w") as archive:
            for name, part in parts.items():
                archive.writestr(name, part)
    refused(cli("roster", "import", str(path)), "rusak.xlsx", "not a readable .xlsx workbook")
    assert dump(store_path) == before


@pytest.mark.parametrize(
    "text",
    [
        "id: " + "[" * 500 + "]" * 500 + "\n",
        "".join("  " * i + f"k{i}:\n" for i in range(500)) + "  " * 500 + "x\n",
        "id: " + "{a: " * 400 + "b" + "}" * 400 + "\n",
    ],
    ids=["flow-lists", "block-maps", "flow-maps"],
)
def test_yaml_nested_hundreds_deep_is_refused_with_its_line(
    cli: RunCli, tmp_path: Path, text: str
) -> None:
    path = tmp_path / "dalam.yaml"
    path.write_text(text, encoding="utf-8")
    refused(cli("cohort", "validate", str(path)), "dalam.yaml", "nested more than 64 levels deep")


@pytest.mark.parametrize("codec", ["zlib", "base64", "rot13", "hex", "uu", "bz2", "quopri"])
@pytest.mark.parametrize("command", [("roster", "import"), ("score", "import")], ids=" ".join)
def test_a_codec_that_is_not_a_text_encoding_is_a_usage_error(
    cli: RunCli, with_roster: Path, command: tuple[str, str], codec: str
) -> None:
    source = ROSTER if command[0] == "roster" else SCORES
    result = cli(*command, str(source), "--encoding", codec)
    refused(result, codec, code=2)
    assert "not a text encoding" in result.stderr or "unknown encoding" in result.stderr


@pytest.mark.parametrize("codec", ["idna", "punycode", "undefined", "utf-32", "utf-7"])
def test_odd_text_encodings_fail_as_input_errors(cli: RunCli, prm: Path, codec: str) -> None:
    result = cli("roster", "import", str(ROSTER), "--encoding", codec, "--dry-run")
    assert result.exit_code in (0, 1), result.stderr
    assert "internal error" not in result.stderr


def test_an_encoding_that_does_not_exist_is_a_usage_error(cli: RunCli, prm: Path) -> None:
    refused(cli("roster", "import", str(ROSTER), "--encoding", "latin-99"), "latin-99", code=2)


@pytest.mark.parametrize("command", READERS, ids=" ".join)
def test_a_file_name_too_long_for_the_system(
    cli: RunCli, with_roster: Path, tmp_path: Path, command: tuple[str, str]
) -> None:
    name = tmp_path / ("a" * 300 + (".yaml" if command[0] == "cohort" else ".csv"))
    refused(cli(*command, str(name)), "too long")


@pytest.mark.parametrize("command", READERS, ids=" ".join)
def test_a_folder_is_not_a_file(
    cli: RunCli, with_roster: Path, tmp_path: Path, command: tuple[str, str]
) -> None:
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    result = cli(*command, str(folder))
    refused(result, "folder.csv")
    assert re.search("folder|directory", result.stderr), result.stderr


def test_an_absurd_certificate_number_width_is_refused_at_validation(
    cli: RunCli, examples: Path, tmp_path: Path
) -> None:
    text = (examples / "prm-2021-ii.yaml").read_text(encoding="utf-8")
    text, count = re.subn(r"number_format: .*", 'number_format: "{seq:999999999d}"', text)
    assert count == 1
    path = tmp_path / "lebar.yaml"
    path.write_text(text, encoding="utf-8")
    started = time.monotonic()
    result = cli("cohort", "validate", str(path))
    refused(result, "certificate.number_format", "a width over 40 characters")
    assert time.monotonic() - started < 10


@posix_only
def test_output_never_replaces_a_device(cli: RunCli, with_roster: Path) -> None:
    result = cli("report", "completion", "--format", "csv", "--output", "/dev/null")
    refused(result, "/dev/null", "not a regular file")
    assert Path("/dev/null").is_char_device()


@posix_only
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize("json_", [False, True])
def test_stdout_on_a_full_disk_says_so(tmp_path: Path, json_: bool) -> None:
    db = tmp_path / "full.db"
    for step in (
        ["cohort", "open", str(ROOT / "cohorts" / "prm-2021-ii.yaml")],
        ["roster", "import", str(ROSTER)],
    ):
        done = revmental_process(step, db, tmp_path)
        assert done.returncode == 0, (step, done.stderr)
    env = {**os.environ, "REVMENTAL_DB": str(db), "REVMENTAL_LANG": "en"}
    args = ["roster", "show", *(["--json"] if json_ else [])]
    with open("/dev/full", "w") as full:
        shown = subprocess.run(
            [sys.executable, "-m", "revmental_cli", *args],
            env=env,
            cwd=tmp_path,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert shown.returncode == 1, shown.stderr
    assert "disk is full" in shown.stderr
    assert "internal error" not in shown.stderr and "Traceback" not in shown.stderr
    assert "Exception ignored" not in shown.stderr


# --- the safety net in cli.py -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (MemoryError(), "not enough memory"),
        (RecursionError("maximum recursion depth exceeded"), "nested too deeply"),
        (OSError(errno.ENOSPC, "No space left on device", "/data/out.csv"), "disk is full"),
        (OSError(errno.EROFS, "Read-only file system", "/ro/out.csv"), "read-only"),
        (PermissionError(errno.EACCES, "Permission denied", "/root/x.csv"), "permission denied"),
        (OSError(errno.ENAMETOOLONG, "File name too long", "a" * 300), "too long"),
        (OSError(errno.EIO, "Input/output error", "/mnt/usb/x.csv"), "Input/output error"),
    ],
    ids=["memory", "recursion", "enospc", "erofs", "eacces", "enametoolong", "eio"],
)
def test_what_the_machine_runs_out_of_is_said_in_words(
    cli: RunCli, examples: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException, words: str
) -> None:
    from revmental_cli.cohort_file import definition

    secret = "Siti Rahmawati 198807142014032004"

    def failing(*args: object, **kwargs: object) -> None:
        person = secret  # a local a traceback with locals would print
        raise error from RuntimeError(person)

    monkeypatch.setattr(definition, "compose", failing)
    result = cli("cohort", "validate", str(examples / "prm-2021-ii.yaml"))
    refused(result, words)
    assert secret not in result.stdout + result.stderr
    filename = getattr(error, "filename", None)
    if filename is not None and len(filename) < 80:
        assert filename in result.stderr


def test_a_table_past_the_row_limit_is_refused_before_anything_is_written(
    cli: RunCli, prm: Path, store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from revmental_cli.importers.tabular import table

    before = dump(store_path)
    monkeypatch.setattr(table, "MAX_TABLE_ROWS", 10)  # the fixture has 25
    refused(cli("roster", "import", str(ROSTER)), "more than 10 rows")
    assert dump(store_path) == before


def test_the_limits_leave_room_for_a_200000_row_roster(bench: Any, tmp_path: Path) -> None:
    from revmental_cli.importers.tabular import read_table
    from revmental_cli.importers.tabular.source import MAX_INPUT_BYTES, MAX_TABLE_ROWS

    path = tmp_path / "besar.csv"
    bench.make_roster(path, 200_000)
    assert path.stat().st_size * 4 < MAX_INPUT_BYTES  # room for UTF-16 and wider sheets
    with read_table(path) as table:
        assert sum(1 for _ in table.rows) == 200_000 < MAX_TABLE_ROWS
