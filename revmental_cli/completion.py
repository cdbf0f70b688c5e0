"""Shell completion of values that live in the store: cohort ids, session numbers, NIPs.

Completion runs on every Tab press, so it opens the store read-only with the sqlite3 module
alone (no sqlite_utils, no migrations), never creates it, and answers nothing rather than
an error when there is no store or it cannot be read.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import typer

from revmental_cli.context import db_path

if TYPE_CHECKING:
    import sqlite3


@contextmanager
def _read_only() -> Iterator[sqlite3.Connection | None]:
    import sqlite3  # here, not at the top: `--help` imports this module

    path = db_path()
    if not path.is_file():
        yield None
        return
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.5)
    except sqlite3.Error:
        yield None
        return
    try:
        yield conn
    finally:
        conn.close()


def _rows(sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    import sqlite3

    with _read_only() as conn:
        if conn is None:
            return []
        try:
            return conn.execute(sql, params).fetchall()
        except sqlite3.Error:  # not a revmental store, or a locked one: no suggestions
            return []


def _cohort_of(ctx: typer.Context | None) -> str | None:
    chosen = (ctx.params or {}).get("cohort_id") if ctx is not None else None
    if chosen:
        return str(chosen).upper()
    rows = _rows("SELECT value FROM settings WHERE key = 'current_cohort'")
    return rows[0][0] if rows else None


def complete_cohort(incomplete: str) -> list[tuple[str, str]]:
    """Cohort ids with their programme and angkatan as the description."""
    rows = _rows(
        "SELECT id, programme_code || ' ' || angkatan || ' ' || year FROM cohorts "
        "WHERE id LIKE ? ORDER BY start_date DESC",
        (incomplete.upper() + "%",),
    )
    return [(cid, about) for cid, about in rows]


def complete_session(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    cohort = _cohort_of(ctx)
    if cohort is None:
        return []
    rows = _rows(
        "SELECT number, date || ' ' || start_time || ' ' || title FROM sessions "
        "WHERE cohort_id = ? ORDER BY number",
        (cohort,),
    )
    return [(str(n), about) for n, about in rows if str(n).startswith(incomplete)]


def complete_nip(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """NIPs of the cohort's participants, the name as the description."""
    cohort = _cohort_of(ctx)
    if cohort is None:
        return []
    digits = "".join(c for c in incomplete if c.isdigit())
    rows = _rows(
        "SELECT e.nip, p.name FROM enrollments e JOIN people p ON p.nip = e.nip "
        "WHERE e.cohort_id = ? AND e.nip LIKE ? ORDER BY e.ndh",
        (cohort, digits + "%"),
    )
    return [(nip, name) for nip, name in rows]
