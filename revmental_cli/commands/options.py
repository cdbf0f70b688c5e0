"""Options shared by many commands, so their names and help read the same everywhere."""

from __future__ import annotations

import hashlib
from pathlib import Path

import typer

from revmental_cli.errors import InputError

COHORT = typer.Option(
    None, "--cohort", "-c", metavar="ID", help="The cohort (default: the current cohort)."
)
JSON = typer.Option(False, "--json", help="Print one JSON document on stdout instead of a table.")
DRY_RUN = typer.Option(False, "--dry-run", help="Say what would change, and write nothing.")


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
        raise InputError(f"unknown delimiter {value!r}", hint="use , ; or tab")
    return named[value.lower()]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file", hint="check the path and the file name") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    return digest.hexdigest()
