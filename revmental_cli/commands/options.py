"""Options shared by many commands, so their names and help read the same everywhere."""

from __future__ import annotations

from pathlib import Path

import typer

from revmental_cli.completion import complete_cohort, complete_nip, complete_session
from revmental_cli.errors import InputError, UsageError
from revmental_cli.i18n import _
from revmental_cli.services.files import file_sha256

COHORT = typer.Option(
    None,
    "--cohort",
    "-c",
    metavar="ID",
    help="The cohort (default: the current cohort).",
    autocompletion=complete_cohort,
)
# Tab completes from the store: cohort ids, the cohort's session numbers and NIPs.
COMPLETE_COHORT = complete_cohort
COMPLETE_SESSION = complete_session
COMPLETE_NIP = complete_nip
JSON = typer.Option(False, "--json", help="Print one JSON document on stdout instead of a table.")
DRY_RUN = typer.Option(False, "--dry-run", help="Say what would change, and write nothing.")

__all__ = ["file_sha256"]  # the services own it; commands use it from here


def parse_delimiter(value: str | None) -> str | None:
    if value is None:
        return None
    named = {
        "comma": ",",
        "semicolon": ";",
        "tab": "\t",
        "\\t": "\t",
        ",": ",",
        ";": ";",
        "\t": "\t",
    }
    if value.lower() not in named:
        raise UsageError(  # an option's value, like click's "Invalid value": exit 2
            _("unknown delimiter {value}").format(value=repr(value)), hint=_("use , ; or tab")
        )
    return named[value.lower()]


def expand_patterns(files: list[Path]) -> list[Path]:
    """Expand zoom-sesi-*.csv ourselves: Windows shells pass the pattern through unexpanded."""
    out: list[Path] = []
    for f in files:
        text = str(f)
        if not f.exists() and any(c in text for c in "*?["):
            matches = sorted(f.parent.glob(f.name))
            if not matches:
                raise InputError(
                    _("no file matches {pattern}").format(pattern=text),
                    hint=_("check the folder and pattern"),
                )
            out.extend(matches)
        else:
            out.append(f)
    return out


def one_file(path: Path) -> Path:
    """A command that reads one file also expands a pattern, if it names exactly one file."""
    found = expand_patterns([path])
    if len(found) != 1:
        from revmental_cli.errors import UsageError

        raise UsageError(
            _("{pattern} matches {count} files; this command reads one").format(
                pattern=path, count=len(found)
            ),
            hint=_("name the file itself"),
        )
    return found[0]
