"""Global options and the way commands reach the store and the cohort they act on."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from revmental_cli.errors import InputError
from revmental_cli.i18n import _

if TYPE_CHECKING:  # the store pulls in sqlite_utils: keep it out of --help
    from revmental_cli.store import CohortRow, Store


class AppState:
    """What the root command's options set for the command that runs (--db)."""

    def __init__(self) -> None:
        self.db: str | None = None


state = AppState()

# A register on a PostgreSQL server rather than a file (the libpq URL schemes).
SERVER_SCHEMES = ("postgresql://", "postgres://")


def location(raw: str | Path) -> Path | str:
    """A file path, or a server URL kept as the text it is (a Path would fold its ``//``)."""
    text = str(raw)
    if text.strip().lower().startswith(SERVER_SCHEMES):
        return text.strip()
    return Path(text).expanduser()


def db_path() -> Path | str:
    """--db, else $REVMENTAL_DB, else revmental.db in the user's data directory: a file's
    path, or the URL of a PostgreSQL register."""
    if state.db is not None:
        return location(state.db)
    env = os.environ.get("REVMENTAL_DB")
    if env:
        return location(env)
    from platformdirs import user_data_path

    return user_data_path("revmental", appauthor=False) / "revmental.db"


def open_store(command: str, *, create: bool = False) -> Store:
    """Open the store for a command. Only ``cohort open`` creates it, and only once its input
    has been validated: a command that fails leaves no new file behind."""
    from revmental_cli.store import open_store as _open

    store = _open(db_path(), create=create, busy_timeout=busy_timeout())
    store.command = f"revmental {command}"
    return store


def busy_timeout() -> float:
    """Seconds a writer waits for another one: $REVMENTAL_BUSY_TIMEOUT, else 10."""
    raw = os.environ.get("REVMENTAL_BUSY_TIMEOUT", "").strip()
    if not raw:
        return 10.0
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        value = -1
    if not 0 <= value <= 3600:
        raise InputError(
            _("REVMENTAL_BUSY_TIMEOUT={value} is not a number of seconds from 0 to 3600").format(
                value=repr(raw)
            ),
            hint=_("unset it to wait the default 10 seconds"),
        )
    return value


def store_exists() -> bool:
    where = db_path()
    return True if isinstance(where, str) else where.exists()


def cohort_for(store: Store, cohort_id: str | None) -> CohortRow:
    """The cohort named by --cohort, else the current one."""
    if cohort_id is None:
        cohort_id = store.current_cohort_id()
        if cohort_id is None:
            raise InputError(
                _("no current cohort"),
                hint=_(
                    "pass --cohort ID, or choose one with `revmental cohort use ID` "
                    "(`revmental cohort list` shows them)"
                ),
            )
    from revmental_cli.store.cohorts import cohort

    return cohort(store, cohort_id.strip().upper())


@contextlib.contextmanager
def exporting(
    command: str, summary: str, *, cohort_id: str | None, file: str | None
) -> Iterator[None]:
    """Personal data leaves the store: write the export under the store's write lock and record
    it in the history in the same transaction (UU PDP: who exported what matters when a breach
    must be reported within 3 x 24 hours). A busy store means no export, not an unrecorded one.

    The line is written first and committed as soon as any of the data has left (the writers
    note it in ``outcome``): an export cut short by Ctrl-C, a closed pipe or a full disk after
    rows reached stdout, or after the file was in place, is recorded all the same; one stopped
    before anything left is not."""
    from revmental_cli import outcome

    with open_store(command) as store, outcome.kept_once_left(store):
        store.record(summary, cohort_id=cohort_id, file=file)
        yield


def require_open(row: Any) -> None:
    """Writes to a closed cohort are refused (contract: cohort close)."""
    from revmental_cli.services.guards import require_open as refuse_closed

    refuse_closed(row)
