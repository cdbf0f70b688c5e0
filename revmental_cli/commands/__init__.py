"""One module per noun; the root loads a noun's module only when that noun is run.

Start-up time is felt on every command, so ``revmental cohort list`` imports the cohort
module and nothing of roster, attendance or reports. The help of each noun lives here, where
``revmental --help`` reads it without importing the module (the module's app uses the same
text through ``noun_app``).
"""

from __future__ import annotations

from typing import Any

# name -> help, in the order ``revmental --help`` lists them.
NOUNS: dict[str, str] = {
    "history": (
        "Show what changed in the store, when, by whom and by which command.\n\n"
        "Example:\n\n    revmental history --json"
    ),
    "cohort": (
        "Cohort definitions: validate, open, list, show, use and close.\n\n"
        "Example:\n\n    revmental cohort open cohorts/prm-2021-ii.yaml"
    ),
    "roster": (
        "Participants: import lists, show, withdraw."
        "\n\nExample:\n\n    revmental roster import examples/peserta-prm-2021-ii.csv"
    ),
    "schedule": ("The cohort's schedule of sessions.\n\nExample:\n\n    revmental schedule show"),
    "attendance": (
        "Attendance per session: import Zoom/Meet reports, mark by hand, show.\n\n"
        "Example:\n\n    revmental attendance import examples/attendance/zoom-sesi-01.csv"
    ),
    "score": (
        "Scores per component: import a sheet, or set one score.\n\n"
        "Example:\n\n    revmental score import nilai.csv"
    ),
    "report": (
        "Reports: completion (passed, deferred, not passed, and why) and attendance.\n\n"
        "Example:\n\n    revmental report completion --format xlsx --output kelulusan.xlsx"
    ),
    "certificate": (
        "Certificates (STTP): issue numbers, list, verify, revoke.\n\n"
        "Example:\n\n    revmental certificate issue"
    ),
    "person": (
        "A person's data across cohorts: erase it on request.\n\n"
        "Example:\n\n    revmental person forget 198309222012091919"
    ),
    "db": (
        "The store: its path, backups, checks, and a copy into a shared register."
        "\n\nExample:\n\n    revmental db backup revmental-backup.db"
    ),
    "serve": (
        "A read-only web view of the store, in a browser.\n\n"
        "Cohorts, schedule, roster, attendance per session, completion and certificates, in "
        "Indonesian or English (?lang=id or ?lang=en). NIP, e-mail and phone are masked unless "
        "--show-personal is given. It listens on 127.0.0.1; any other --host requires "
        "--password-env VAR (HTTP basic auth with any user name and the password in $VAR)."
        "\n\nExample:\n\n    revmental serve --port 8001"
    ),
}
# name -> (module under revmental_cli.commands, its Typer app or the one root-level command)
MODULES: dict[str, tuple[str, str]] = {name: (name, "app") for name in NOUNS}
MODULES["history"] = ("db", "history")
MODULES["serve"] = ("serve", "serve")


def noun_app(name: str) -> Any:
    """The Typer app of one noun, with the help written in NOUNS."""
    import typer

    # rich_markup_mode=None as at the root: plain help, and rich is not imported for it.
    return typer.Typer(no_args_is_help=True, help=NOUNS[name], rich_markup_mode=None)
