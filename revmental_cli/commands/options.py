"""Options shared by many commands, so their names and help read the same everywhere."""

from __future__ import annotations

import typer

COHORT = typer.Option(
    None, "--cohort", "-c", metavar="ID", help="The cohort (default: the current cohort)."
)
JSON = typer.Option(False, "--json", help="Print one JSON document on stdout instead of a table.")
DRY_RUN = typer.Option(False, "--dry-run", help="Say what would change, and write nothing.")
