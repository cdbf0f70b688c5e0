"""Help, version, the getting-started guide, usage errors, and a fast start for --help."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from revmental_cli import __version__
from revmental_cli.cli import command_tree
from tests.conftest import RunCli
from tests.startup_probe import probe


def _walk(command: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], bool]]:
    """Every command path under the root, with whether it is a group (typer 0.29 vendors its
    own click, so groups are recognised by their ``commands``)."""
    is_group = isinstance(getattr(command, "commands", None), dict)
    found = [(path, is_group)]
    if is_group:
        for name, sub in sorted(command.commands.items()):
            found += _walk(sub, (*path, name))
    return found


COMMANDS = _walk(command_tree())


def _param(path: tuple[str, ...], is_group: bool) -> object:
    name = " ".join(("revmental", *path))
    return pytest.param(path, id=name)


def test_the_tree_holds_the_core_commands() -> None:
    paths = {" ".join(p) for p, _ in COMMANDS}
    assert {
        "cohort validate",
        "cohort open",
        "cohort list",
        "cohort show",
        "cohort use",
        "cohort close",
        "schedule show",
        "db path",
        "db backup",
        "db check",
        "history",
    } <= paths


@pytest.mark.parametrize("path", [_param(p, g) for p, g in COMMANDS])
def test_every_help_shows_an_example(cli: RunCli, path: tuple[str, ...]) -> None:
    run = cli(*path, "--help")
    assert run.exit_code == 0, run.stderr
    text = run.stdout
    assert text.startswith("Usage: "), text[:80]
    match = re.search(r"Example:\s*\n(?:\s*\n)*\s*(\S.*)", text)
    assert match, text
    assert match.group(1).startswith("revmental"), match.group(1)
    if path:  # the example runs this very command
        assert match.group(1).startswith(" ".join(("revmental", *path))), match.group(1)


@pytest.mark.parametrize(
    ("args", "nouns"),
    [
        (("--help",), []),
        (("cohort", "--help"), ["cohort"]),
        (("roster", "import", "--help"), ["roster"]),
        (("history", "--help"), ["db"]),
        (("--version",), []),
        ((), []),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else "",
)
def test_help_and_version_import_no_heavy_module(args: tuple[str, ...], nouns: list[str]) -> None:
    """Start-up time is felt on every command: help loads neither the libraries a command
    needs to work (nor pydantic, which newer Typers load to convert options) nor the modules
    of other nouns."""
    run = probe(*args, REVMENTAL_LANG="en")
    assert run.code in (0, None), run.stderr
    heavy = ["sqlite_utils", "yaml", "openpyxl", "pydantic", "rich"]
    assert [m for m in heavy if m in run.modules] == [], run.modules
    assert [m for m in run.under("revmental_cli.commands") if m != "options"] == nouns, run.modules
    assert "revmental" in run.stdout


@pytest.mark.parametrize(
    ("wanted", "built"),
    [
        ("list", ["list"]),
        ("--help", ["validate", "open", "list", "show", "use", "close"]),
        ("lst", ["validate", "open", "list", "show", "use", "close"]),
        (None, ["validate", "open", "list", "show", "use", "close"]),
    ],
)
def test_a_noun_builds_only_the_command_the_line_names(
    wanted: str | None, built: list[str]
) -> None:
    # Typer reads the signature of every command it builds: a command line that names one
    # builds that one; help, a typo (which gets its suggestion) or nothing builds them all.
    from revmental_cli.cli import _load_noun

    everything = ["validate", "open", "list", "show", "use", "close"]
    assert list(_load_noun("cohort", wanted).commands) == built
    # The noun's own list of commands is left whole for the next build.
    assert list(_load_noun("cohort").commands) == everything


def test_no_arguments_prints_a_getting_started_guide(cli: RunCli, store_path: Path) -> None:
    run = cli()
    assert run.exit_code == 0
    assert "cohort open" in run.stdout
    assert "schedule show" in run.stdout
    assert "--help" in run.stdout
    assert not store_path.exists()


def test_version(cli: RunCli) -> None:
    run = cli("--version")
    assert run.exit_code == 0
    assert run.stdout.strip() == f"revmental {__version__}"
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", __version__)


@pytest.mark.parametrize(
    "args",
    [
        ("cohort", "open", "--nope"),
        ("nope",),
        ("cohort", "use"),
        ("schedule", "show", "--cohort"),
    ],
    ids=" ".join,
)
def test_usage_errors_exit_2(cli: RunCli, args: tuple[str, ...], store_path: Path) -> None:
    run = cli(*args)
    assert run.exit_code == 2
    assert "Error:" in run.stderr
    assert run.stdout == ""
    assert "Traceback" not in run.stderr
    assert not store_path.exists()
