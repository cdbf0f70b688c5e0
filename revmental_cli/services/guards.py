"""Checks shared by the services: a cohort that may be written, a NIP typed by a user.

Owns no state and never writes; ``writable`` must be called inside ``Store.write()``, where
what it reads cannot change before the write it guards.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import revmental_cli.store.cohorts as cohort_store
from revmental_cli.errors import InputError
from revmental_cli.messages import Msg

if TYPE_CHECKING:
    from revmental_cli.domain.cohort import Cohort
    from revmental_cli.store import CohortRow, Store


def require_open(row: CohortRow) -> None:
    """Writes to a closed cohort are refused (contract: cohort close)."""
    if row.status == "closed":
        raise InputError(
            Msg("cohort {cohort} is closed; its results are frozen", cohort=row.cohort.id),
            hint=Msg("closed cohorts are read-only"),
        )


def writable(store: Store, cohort_id: str) -> CohortRow:
    """Inside a write transaction: the cohort as it is now, refused if it was closed (or its
    definition reloaded) since the command began."""
    row = cohort_store.cohort(store, cohort_id)
    require_open(row)
    return row


def parse_nip(raw: str, today: date | None = None) -> str:
    """A NIP (PNS or PPPK), NIK or NRP as a user typed it, normalized; a clear error
    otherwise. ``today``: the command's date (None: the clock's; services may read it)."""
    from revmental_cli.domain.person import FieldError, normalize_id

    try:
        return normalize_id(raw, today=today if today is not None else date.today())
    except FieldError as exc:
        raise InputError(
            Msg("{value} is not a NIP: {problem}", value=repr(raw), problem=exc.message),
            hint=exc.hint,
        ) from None


def unchanged(store: Store, cohort: Cohort) -> CohortRow:
    """Inside a write transaction: the cohort, refused if closed, or if its definition was
    reloaded since ``cohort`` was read (a file read against the old sessions or components
    must be read again, not written against the new ones)."""
    row = writable(store, cohort.id)
    if row.cohort != cohort:
        raise InputError(
            Msg(
                "{cohort} was changed by `revmental cohort open` while this command ran; "
                "nothing was written",
                cohort=cohort.id,
            ),
            hint=Msg("run the command again"),
        )
    return row
