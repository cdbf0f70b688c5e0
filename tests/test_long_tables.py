"""Long tables (render/long_table.py): a MOOC-sized roster or report is streamed as text with
the same columns and words as the Rich table of a short one, and a terminal pages it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from revmental_cli.render import long_table
from tests.conftest import RunCli


@pytest.fixture
def big(cli: RunCli, examples: Path, bench: object, isolated: Path) -> int:
    """The reference cohort with 1,200 participants (over LONG_TABLE), current."""
    people = long_table.LONG_TABLE + 200
    roster = isolated / "peserta.csv"
    bench.make_roster(roster, people)  # type: ignore[attr-defined]
    text = (examples / "prm-2021-ii.yaml").read_text(encoding="utf-8")
    (examples / "prm-2021-ii.yaml").write_text(
        "\n".join(line for line in text.splitlines() if not line.startswith("capacity")),
        encoding="utf-8",
    )
    assert cli("cohort", "open", str(examples / "prm-2021-ii.yaml")).exit_code == 0
    result = cli("roster", "import", str(roster))
    assert result.exit_code == 0, result.stderr
    return people


def test_a_long_roster_is_streamed_with_the_table_s_columns_and_every_participant(
    cli: RunCli, big: int
) -> None:
    shown = cli("roster", "show")
    assert shown.exit_code == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0].startswith("Roster · PRM-2021-II")
    assert lines[2].split() == ["NDH", "Name", "NIP", "Gol.", "Agency", "Status"]
    people = cli("roster", "show", "--json").json()
    assert len(people) == big
    body = "\n".join(lines[4:])
    for person in people:
        assert person["nip"] in body
    first = next(line for line in lines[4:] if people[0]["nip"] in line)
    assert first.split()[0] == "1" and first.rstrip().endswith("enrolled")
    assert lines[-1] == f"{big} enrolled"


def test_a_long_completion_report_keeps_its_columns_and_words(cli: RunCli, big: int) -> None:
    shown = cli("report", "completion")
    assert shown.exit_code == 0, shown.stderr
    lines = shown.stdout.splitlines()
    header = next(line for line in lines if line.lstrip().startswith("NDH"))
    assert header.split()[:2] == ["NDH", "Name"] and header.split()[-2:] == ["Status", "Reasons"]
    report = cli("report", "completion", "--json").json()
    statuses = [p["status"] for p in report["participants"]]
    words = {"passed": "passed", "deferred": "deferred", "not_passed": "not passed"}
    assert sum(shown.stdout.count(f"   {words[s]}   ") >= 1 for s in set(statuses)) == len(
        set(statuses)
    )
    assert "Summary" in shown.stdout


def test_cells_wrap_within_their_column_when_the_table_is_too_wide(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, width=40, color_system=None)
    monkeypatch.setattr(long_table, "out", lambda: console)
    columns = [
        long_table.Column("NDH", right=True),
        long_table.Column("Name", wrap=True, min_width=10),
        long_table.Column("Status"),
    ]
    long_table.stream(
        "Title\x1b[2J", columns, [["1", "Dr. Budi Santoso Wicaksono Panjang, S.Sos.", "enrolled"]]
    )
    lines = buffer.getvalue().splitlines()
    assert lines[0] == "Title\\x1b[2J"  # control characters are spelled out
    assert all(len(line) <= 40 for line in lines)
    words = ["1", "Dr.", "Budi", "Santoso", "Wicaksono", "Panjang,", "S.Sos.", "enrolled"]
    assert sorted(" ".join(lines[4:]).split()) == sorted(words)  # every word, none cut
    assert lines[4].split()[0] == "1" and lines[4].endswith("enrolled")


@pytest.mark.parametrize(
    ("pager", "expected"),
    [("most -s", ["most", "-s"]), ("", None), ("cat", None)],
)
def test_the_pager_is_the_user_s_choice(
    monkeypatch: pytest.MonkeyPatch, pager: str, expected: list[str] | None
) -> None:
    monkeypatch.setenv("PAGER", pager)
    assert long_table._pager() == expected


def test_without_pager_less_is_used_where_there_is_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PAGER", raising=False)
    import shutil

    monkeypatch.setattr(shutil, "which", lambda name: f"/usr/bin/{name}")
    expected = None if long_table.os.name == "nt" else ["/usr/bin/less", "-FRX"]
    assert long_table._pager() == expected


def test_output_that_is_not_a_terminal_is_never_paged(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAGER", "false-pager-that-must-not-run")
    with long_table.paged():
        pass  # stdout is captured here: no pager starts (it would fail to)
