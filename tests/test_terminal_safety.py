"""User data never reaches a terminal with live control characters, and is stored as given.

Names in rosters and Zoom reports, file names and arguments may carry escape sequences (a
screen clear, colours, an OSC-8 hyperlink), other C0/C1 controls, bidi overrides and
zero-width characters. Every table and message shows them spelled out (``\\x1b``,
``\\u202e``); the store and JSON keep them; an XLSX export never fails on them.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from revmental_cli.render.safe import json_safe, visible, xlsx_safe
from tests.conftest import ROOT, RunCli

# A screen clear, a colour, a hidden hyperlink, a right-to-left override, an isolate, a
# zero-width space, a C1 CSI, a bell and a DEL: all in one participant's name.
HOSTILE = (
    "Ayu\x1b[2J\x1b[31m Lestari\x1b]8;;http://evil.example\x1b\\klik\x1b]8;;\x1b\\"
    "\u202eisim\u2066x\u2069\u200b\x9b31m\x7f"
)
NIP = "198807142014032004"
# What must never be written raw: C0 but the line break, DEL, C1, zero-width and bidi.
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def assert_clean(*texts: str) -> None:
    for text in texts:
        found = RAW.search(text)
        assert found is None, (repr(found.group()) if found else "", text)


def hostile_roster(path: Path) -> Path:
    # Quoted: the OSC-8 sequence holds semicolons, the roster's delimiter.
    name = HOSTILE.replace('"', '""')
    path.write_text(f'NIP;Nama\n{NIP};"{name}"\n', encoding="utf-8")
    return path


@pytest.fixture
def hostile(cli: RunCli, prm: Path) -> Path:
    roster = hostile_roster(Path("peserta.csv"))
    result = cli("roster", "import", str(roster))
    assert result.exit_code == 0, result.stderr
    assert_clean(result.stdout, result.stderr)
    return roster


def test_the_store_keeps_the_name_as_given(cli: RunCli, hostile: Path, store_path: Path) -> None:
    with sqlite3.connect(store_path) as db:
        stored = [r[0] for r in db.execute("SELECT name FROM people")]
    assert stored == [HOSTILE]
    shown = cli("roster", "show", "--json")
    assert shown.json()[0]["name"] == HOSTILE  # JSON carries the real characters...
    assert_clean(shown.stdout)  # ...written as \uXXXX escapes, never raw


@pytest.mark.parametrize("columns", ["60", "80", "120"])
@pytest.mark.parametrize("language", ["en", "id"])
def test_no_table_writes_a_control_character(
    cli: RunCli, hostile: Path, monkeypatch: pytest.MonkeyPatch, columns: str, language: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.setenv("REVMENTAL_LANG", language)
    assert cli("attendance", "mark", NIP, "--session", "1", "--status", "izin",
               "--note", "sakit\x1b[2J\u202e").exit_code == 0  # fmt: skip
    assert cli("certificate", "issue").exit_code in (0, 1)
    for args in (
        ("roster", "show"),
        ("attendance", "show"),
        ("attendance", "show", "--session", "1"),
        ("report", "completion"),
        ("certificate", "list"),
        ("history",),
    ):
        result = cli(*args)
        assert_clean(result.stdout, result.stderr)
    assert "Ayu\\x1b[2J" in cli("roster", "show").stdout  # shown, spelled out


def test_messages_made_elsewhere_are_escaped(cli: RunCli, prm: Path) -> None:
    """An argument echoed in an error ("unknown cohort '…'") is user data too."""
    result = cli("cohort", "use", "X\x1b[2J\u202eY")
    assert result.exit_code != 0
    assert_clean(result.stdout, result.stderr)
    assert "X\\x1b[2J\\u202eY" in result.stderr


def test_a_file_name_with_an_escape_is_shown_escaped(cli: RunCli, prm: Path) -> None:
    roster = hostile_roster(Path("peserta\x1b[31m\u202e.csv"))
    result = cli("roster", "import", str(roster))
    assert result.exit_code == 0, result.stderr
    assert_clean(result.stdout, result.stderr)
    history = cli("history")
    assert_clean(history.stdout, history.stderr)
    assert "\\x1b[31m" in history.stdout
    assert "\x1b" in cli("history", "--json").json()[-1]["file"]  # stored as given


def test_a_zoom_report_with_hostile_display_names(
    cli: RunCli, prm: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(ROOT / "examples" / "peserta-prm-2021-ii.csv", "peserta.csv")
    assert cli("roster", "import", "peserta.csv").exit_code == 0
    report = (ROOT / "examples" / "attendance" / "zoom-sesi-01.csv").read_text(encoding="utf-8-sig")
    # The host's name, and a stranger the import reports as matching nobody.
    report = report.replace("Puslatbang PKASN", "Host\x1b[2J\u202eX")
    lines = report.splitlines()
    lines.append(
        "Tamu\x1b]8;;http://evil\x07klik\x1b]8;;\x07\u2066,tamu@evil.example,"
        "09/29/2021 09:00:00 AM,09/29/2021 11:00:00 AM,120,Yes,"
    )
    Path("zoom.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for language in ("en", "id"):
        monkeypatch.setenv("REVMENTAL_LANG", language)
        result = cli("attendance", "import", "zoom.csv", "--dry-run", "--session", "1")
        assert result.exit_code == 0, result.stderr
        assert_clean(result.stdout, result.stderr)
        assert "Host\\x1b[2J\\u202eX" in result.stdout
        assert "Tamu\\x1b]8;;http://evil\\x07" in result.stdout


def test_an_xlsx_export_of_hostile_names_opens(cli: RunCli, hostile: Path) -> None:
    from openpyxl import load_workbook

    result = cli("report", "completion", "--format", "xlsx", "--output", "kelulusan.xlsx")
    assert result.exit_code == 0, result.stderr
    assert_clean(result.stdout, result.stderr)
    sheet = load_workbook("kelulusan.xlsx").active
    assert sheet is not None
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    name = next(c for c in cells if c.startswith("Ayu"))
    # The C0 controls XML forbids are spelled out; the rest of the name is kept as data.
    assert "\x1b" not in name and name.startswith("Ayu\\x1b[2J")
    assert "\u202e" in name


def test_csv_keeps_the_data(cli: RunCli, hostile: Path) -> None:
    result = cli("report", "completion", "--format", "csv")
    assert result.exit_code == 0
    assert HOSTILE in result.stdout  # CSV is data for a program: the characters are kept


# --- the helpers -----------------------------------------------------------------------------


def test_visible_spells_out_every_unsafe_character() -> None:
    assert visible("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert visible("\u202eabc\u2066") == "\\u202eabc\\u2066"
    assert visible("x\x9by\x7f") == "x\\x9by\\x7f"
    assert visible("tag\U000e0041") == "tag\\U000e0041"
    assert visible("Dr. Ayu, S.Kom. — é ñ 日本") == "Dr. Ayu, S.Kom. — é ñ 日本"
    assert visible(None) == ""
    assert_clean(visible(HOSTILE))


def test_json_safe_changes_no_data() -> None:
    data = {"name": HOSTILE + "\U000e0041", "plain": "Ayu"}
    for indent in (None, 2):
        document = json_safe(json.dumps(data, ensure_ascii=False, indent=indent))
        assert_clean(document.replace("\n", ""))
        assert json.loads(document) == data


def test_xlsx_safe_keeps_what_xml_allows() -> None:
    assert xlsx_safe("a\x1bb\tc\nd\re") == "a\\x1bb\tc\nd\re"
    assert xlsx_safe(12.5) == 12.5
    assert xlsx_safe(None) is None
