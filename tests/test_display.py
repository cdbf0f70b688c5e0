"""How tables and messages show what they show: whole words at 60 and 80 columns, one decimal
for minutes, the decimal comma in Indonesian, local times with their zone, empty lists said.

JSON keeps the stored values (numbers, timestamps as written); only the display changes.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from revmental_cli.i18n import local_time, number, percent
from revmental_cli.render.history_view import fold_path
from tests.conftest import ROOT, RunCli

WIDTHS = ["60", "80"]
LANGUAGES = ["en", "id"]


@pytest.fixture
def zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Restores the process's time zone after a test that changes TZ."""
    yield
    monkeypatch.undo()
    time.tzset()


def set_zone(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setenv("TZ", name)
    time.tzset()


@pytest.fixture
def walked(cli: RunCli, prm: Path) -> Path:
    """The README's journey, enough of it for every table: roster, attendance, scores."""
    examples = ROOT / "examples"
    shutil.copy(examples / "peserta-prm-2021-ii.csv", "peserta-prm-2021-ii.csv")
    # A deep path: the history must fold it at its slashes, never inside a name.
    deep = Path("laporan/kehadiran-angkatan-ii/zoom-rekaman-asli")
    deep.mkdir(parents=True)
    shutil.copy(examples / "attendance" / "zoom-sesi-01.csv", deep / "zoom-sesi-01.csv")
    assert cli("roster", "import", "peserta-prm-2021-ii.csv").exit_code == 0
    assert cli("attendance", "import", str(deep / "zoom-sesi-01.csv")).exit_code == 0
    result = cli("score", "import", str(examples / "nilai-prm-2021-ii.csv"))
    assert result.exit_code == 0, result.stderr
    return deep / "zoom-sesi-01.csv"


@pytest.fixture
def journey(cli: RunCli, walked: Path) -> Path:
    """The whole README journey: every session recorded, so certificates can be issued."""
    reports = sorted((ROOT / "examples" / "attendance").glob("zoom-sesi-*.csv"))
    assert cli("attendance", "import", *map(str, reports[1:])).exit_code == 0
    for session in ("04", "09"):
        sheet = ROOT / "examples" / "attendance" / f"mandiri-sesi-{session}.csv"
        assert cli("attendance", "import", str(sheet), "--session", session).exit_code == 0
    assert cli("attendance", "mark", "199611202019062784", "--session", "11",
               "--status", "izin").exit_code == 0  # fmt: skip
    return walked


def assert_fits(shown: str, width: int) -> None:
    for line in shown.splitlines():
        assert len(line) <= width, (line, shown)
    assert "…" not in shown, shown


def words_whole(shown: str, *phrases: str) -> None:
    """Each word of each phrase stands whole on some line (wrapping between words is fine)."""
    lines = shown.splitlines()
    for phrase in phrases:
        for word in phrase.split():
            assert any(word in line for line in lines), (word, shown)


# --- widths ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Screen:
    columns: int
    language: str


@pytest.fixture(params=[(c, lang) for lang in LANGUAGES for c in WIDTHS], ids="-".join)
def screen(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Screen:
    """A terminal of each width, in each language (requested last: the fixtures before it
    prepare the store in the default language)."""
    columns, language = request.param
    monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.setenv("REVMENTAL_LANG", language)
    return Screen(int(columns), language)


def test_schedule_days_are_never_broken(cli: RunCli, prm: Path, screen: Screen) -> None:
    shown = cli("schedule", "show").stdout
    assert_fits(shown, screen.columns)
    day = re.compile(r"(?:\w{3} \d{1,2} \w{3} \d{4}|\w+, \d{1,2} \w+ \d{4})")
    days = [m.group() for m in day.finditer(shown)]
    assert len(days) == 11, shown  # every day heading whole on one line
    assert "asinkron" in shown  # the kind, under the time or in its column, never cut


def test_history_folds_paths_at_slashes(cli: RunCli, walked: Path, screen: Screen) -> None:
    shown = cli("history").stdout
    assert_fits(shown, screen.columns)
    # Every folder and file name stands whole on a line.
    words_whole(shown, *walked.parts, "peserta-prm-2021-ii.csv")


def test_tables_keep_words_and_statuses_whole(cli: RunCli, walked: Path, screen: Screen) -> None:
    names = ("Dr. Ir. H. Ahmad Fauzi, M.Si.", "dr. Maya Puspitasari", "Ratna Kusumawati, S.H.")
    statuses = ("hadir", "terlambat") if screen.language == "id" else ("present", "late")
    for args in (
        ("attendance", "show"),
        ("attendance", "show", "--session", "1"),
        ("roster", "show"),
        ("report", "completion"),
    ):
        shown = cli(*args).stdout
        assert_fits(shown, screen.columns)
        words_whole(shown, *names)
    session = cli("attendance", "show", "--session", "1").stdout
    words_whole(session, *statuses)
    imported = cli("attendance", "import", str(walked), "--dry-run").stdout
    assert_fits(imported, screen.columns)
    words_whole(imported, *names, *statuses)


def test_roster_import_title_and_file_are_whole(
    cli: RunCli, prm: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(ROOT / "examples" / "peserta-prm-2021-ii.csv", "peserta-prm-2021-ii.csv")
    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.setenv("REVMENTAL_LANG", "id")
    shown = cli("roster", "import", "peserta-prm-2021-ii.csv", "--dry-run").stdout
    assert "Impor daftar peserta · PRM-2021-II" in shown
    assert "peserta-prm-2021-ii.csv" in shown


def test_fold_path_breaks_after_slashes_only() -> None:
    assert fold_path("a/bb/ccc", 20) == "a/bb/ccc"
    assert fold_path("laporan/kehadiran/zoom-sesi-01.csv", 18) == (
        "laporan/kehadiran/\nzoom-sesi-01.csv"
    )
    assert fold_path("laporan/kehadiran/zoom-sesi-01.csv", 12) == (
        "laporan/\nkehadiran/\nzoom-sesi-01\n.csv"
    )
    assert fold_path("C:\\Data\\zoom.csv", 8) == "C:\\Data\\\nzoom.csv"
    # A single name longer than the width is the only thing cut.
    assert fold_path("abcdefghij", 4) == "abcd\nefgh\nij"
    assert fold_path("", 10) == ""


def test_root_help_lists_commands_uncut(cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    shown = cli("--help").stdout
    commands = shown[shown.index("Commands:") :]
    assert "..." not in commands and "…" not in commands, shown
    assert "Cohort definitions: validate, open, list, show, use and close." in commands


# --- numbers -----------------------------------------------------------------------------------


def test_number_and_percent(monkeypatch: pytest.MonkeyPatch) -> None:
    assert (number(87.5), number(180), percent(82.5), number(66, 2)) == (
        "87.5",
        "180.0",
        "82.5%",
        "66.00",
    )
    assert number(90, None) == "90" and number(82.5, None) == "82.5"
    monkeypatch.setenv("REVMENTAL_LANG", "id")
    assert (number(87.5), percent(82.5), number(70.01, 2)) == ("87,5", "82,5%", "70,01")


def test_minutes_have_one_decimal_and_indonesian_a_comma(
    cli: RunCli, walked: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    english = cli("attendance", "show", "--session", "1").stdout
    assert "180.0" in english and "168.1" in english
    minutes = cli("attendance", "show", "--session", "1", "--json").json()
    monkeypatch.setenv("REVMENTAL_LANG", "id")
    indonesian = cli("attendance", "show", "--session", "1").stdout
    assert "180,0" in indonesian and "168,1" in indonesian
    assert "168.1" not in indonesian
    imported = cli("attendance", "import", str(walked), "--dry-run").stdout
    assert "168,1" in imported
    # JSON keeps the number.
    assert cli("attendance", "show", "--session", "1", "--json").json() == minutes


def test_indonesian_percentages_and_scores_use_the_decimal_comma(
    cli: RunCli, journey: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVMENTAL_LANG", "id")
    report = cli("report", "completion").stdout
    assert "100,0%" in report and "100.0%" not in report
    assert re.search(r"\b92,10\b", report)
    assert "kehadiran 83,3% < 90%" in report  # a reason made elsewhere, localized
    matrix = cli("attendance", "show").stdout
    assert "100,0%" in matrix
    data = cli("report", "completion", "--json").json()
    assert isinstance(data["participants"][0]["final_score"], (int, float))


# --- times -------------------------------------------------------------------------------------


def test_local_time_names_the_zone(monkeypatch: pytest.MonkeyPatch, zone: None) -> None:
    set_zone(monkeypatch, "Asia/Jakarta")
    assert local_time("2021-10-29T07:05:00+00:00") == "2021-10-29 14:05 WIB"
    assert local_time("2021-10-29T14:05:00+07:00") == "2021-10-29 14:05 WIB"
    assert local_time("2021-10-29T14:05:00") == "2021-10-29 14:05"  # no offset: as written
    assert local_time("not a time") == "not a time"
    assert local_time(None) == ""
    set_zone(monkeypatch, "<+0530>-5:30")  # a zone with no abbreviation: the offset
    assert local_time("2021-10-29T07:05:00+00:00") == "2021-10-29 12:35 +05:30"


def test_history_and_certificates_show_local_time(
    cli: RunCli, journey: Path, monkeypatch: pytest.MonkeyPatch, zone: None
) -> None:
    set_zone(monkeypatch, "UTC")
    assert cli("certificate", "issue").exit_code == 0
    stored = cli("history", "--json").json()[-1]["at"]
    assert stored.endswith("+00:00")  # the store writes the offset of the moment
    set_zone(monkeypatch, "Asia/Jakarta")
    shown = cli("history").stdout
    assert "WIB" in shown
    assert local_time(stored).split()[1] in shown  # the hour moved seven hours on
    assert cli("history", "--json").json()[-1]["at"] == stored  # JSON: as stored
    certificates = cli("certificate", "list", "--json").json()
    verify = cli("certificate", "verify", certificates[0]["number"]).stdout
    assert "WIB" in verify
    assert local_time(certificates[0]["issued"]) in verify


# --- empty lists -------------------------------------------------------------------------------


def test_empty_lists_say_so(capsys: pytest.CaptureFixture[str]) -> None:
    from revmental_cli import render

    render.out.cache_clear()
    render.err.cache_clear()
    render.history([])
    render.cohort_list([], None)
    render.cohort_list([], None, include_closed=False)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "no history yet" in captured.err
    assert "no cohorts yet; open one with `revmental cohort open FILE`" in captured.err
    assert "no open cohorts (--all includes closed ones)" in captured.err


def test_cohort_list_with_every_cohort_closed_exits_0(cli: RunCli, prm: Path) -> None:
    roster = ROOT / "examples" / "peserta-prm-2021-ii.csv"
    assert cli("roster", "import", str(roster)).exit_code == 0
    assert cli("cohort", "close").exit_code == 0
    result = cli("cohort", "list")
    assert result.exit_code == 0
    assert "no open cohorts" in result.stderr
    assert "PRM-2021-II" in cli("cohort", "list", "--all").stdout


def test_the_readme_summary_box_is_what_report_completion_prints(
    cli: RunCli, journey: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README shows the summary of the example cohort as an 80-column terminal prints it."""
    monkeypatch.setenv("COLUMNS", "80")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("╭─ Summary")
    shown_in_readme = readme[start : readme.index("```", start)].rstrip("\n")
    printed = cli("report", "completion").stdout
    box = printed[printed.index("╭─ Summary") :].rstrip("\n")
    assert box == shown_in_readme


@pytest.mark.parametrize("lang", ["en", "id"])
@pytest.mark.parametrize("columns", ["60", "80", "120"])
def test_facilitator_amounts_are_never_cut(
    cli: RunCli, prm: Path, monkeypatch: pytest.MonkeyPatch, lang: str, columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.setenv("REVMENTAL_LANG", lang)
    shown = cli("report", "facilitators").stdout
    total = "Rp 26.600.000" if lang == "id" else "Rp 26,600,000"
    assert total in shown, shown
    assert ("Rp 10.800.000" if lang == "id" else "Rp 10,800,000") in shown, shown
    assert_fits(shown, int(columns))
