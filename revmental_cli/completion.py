"""Shell completion of values that live in the store: cohort ids, session numbers, NIPs.

Completion runs on every Tab press, so it opens the store read-only with the sqlite3 module
alone (no sqlite_utils, no migrations), never creates it, and answers nothing rather than
an error when there is no store or it cannot be read. The queries are the store's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from revmental_cli.context import db_path

if TYPE_CHECKING:
    from revmental_cli.store import Store

T = TypeVar("T")


def _ask(question: Callable[[Store], list[T]]) -> list[T]:
    # Imported here, not at the top: `--help` imports this module, and never the store.
    import sqlite3

    from revmental_cli.store.connection import open_read_only

    where = db_path()
    # A server register answers no Tab press: connecting may take longer than a key press.
    store = None if isinstance(where, str) else open_read_only(where)
    if store is None:
        return []
    try:
        return question(store)
    except sqlite3.Error:  # not a revmental store, or a locked one: no suggestions
        return []
    finally:
        store.close()


def _cohort_of(ctx: typer.Context | None) -> str | None:
    chosen = (ctx.params or {}).get("cohort_id") if ctx is not None else None
    if chosen:
        return str(chosen).upper()
    current: list[Any] = _ask(lambda store: [store.current_cohort_id()])
    return current[0] if current else None


def complete_cohort(incomplete: str) -> list[tuple[str, str]]:
    """Cohort ids with their programme and angkatan as the description."""
    from revmental_cli.store.cohorts import cohort_choices

    return _ask(lambda store: cohort_choices(store, incomplete.upper()))


def complete_session(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    from revmental_cli.store.cohorts import session_choices

    cohort = _cohort_of(ctx)
    if cohort is None:
        return []
    rows = _ask(lambda store: session_choices(store, cohort))
    return [(str(n), about) for n, about in rows if str(n).startswith(incomplete)]


def complete_nip(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """NIPs of the cohort's participants, the name as the description."""
    from revmental_cli.store.roster import nip_choices

    cohort = _cohort_of(ctx)
    if cohort is None:
        return []
    digits = "".join(c for c in incomplete if c.isdigit())
    return _ask(lambda store: nip_choices(store, cohort, digits))
