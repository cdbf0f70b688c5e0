"""Usage errors (a typo in a command, a missing argument) speak the user's language, and a
typo at the top level gets a suggestion, as one inside a noun does."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def run(*args: str, lang: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REVMENTAL_LANG": lang}
    return subprocess.run(
        [sys.executable, "-m", "revmental_cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_a_typo_at_the_top_level_is_answered_with_the_closest_command() -> None:
    result = run("cohrt", lang="en")
    assert result.returncode == 2
    assert "No such command 'cohrt'. Did you mean 'cohort'" in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("cohrt",), "Perintah 'cohrt' tidak ada. Maksud Anda 'cohort'"),
        (("cohort", "lst"), "Perintah 'lst' tidak ada. Maksud Anda 'list'?"),
        (("roster", "import"), "Argumen 'FILE' belum diberikan."),
        (("roster", "show", "--bogus"), "Opsi --bogus tidak ada"),
        (("attendance", "mark", "1", "--session"), "Opsi '--session' memerlukan nilai."),
        (
            ("attendance", "mark", "1", "--session", "x", "--status", "hadir"),
            "Nilai tidak sah untuk '--session' / '-s': 'x' bukan int yang sah.",
        ),
    ],
)
def test_usage_errors_are_in_indonesian(args: tuple[str, ...], expected: str) -> None:
    result = run(*args, lang="id")
    assert result.returncode == 2
    assert "Kesalahan: " + expected in result.stderr
    assert "Error:" not in result.stderr
    if args != ("attendance", "mark", "1", "--session"):
        assert "Penggunaan: revmental" in result.stderr
        assert "untuk bantuan." in result.stderr


def test_english_usage_errors_are_click_s_own() -> None:
    result = run("roster", "import", lang="en")
    assert result.returncode == 2
    assert "Error: Missing argument 'FILE'." in result.stderr
    assert "Try 'revmental roster import -h' for help." in result.stderr
