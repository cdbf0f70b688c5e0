"""The history: every write's line (who, when, which command, which file and its SHA-256).

Lines are appended by ``Store.record`` inside each write's own transaction; this module
reads them. Erasing a person rewrites lines that name them (privacy.py).
"""

from __future__ import annotations

from typing import Any

from revmental_cli.store.connection import Store


def history_entries(store: Store) -> list[dict[str, Any]]:
    cur = store.conn.execute(
        'SELECT at, "user" AS user, command, cohort_id, summary, file, sha256 FROM history '
        "ORDER BY id"
    )
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row, strict=True)) for row in cur]


def last_import(store: Store, cohort_id: str, session: int) -> dict[str, str]:
    """sha256 -> file of the reports the session's last import read (the history keeps one
    line per file, all at the same moment); empty when none was imported."""
    prefix = f"attendance of {cohort_id} session {session}"
    rows = store.conn.execute(
        "SELECT at, file, sha256 FROM history WHERE cohort_id = ? AND sha256 IS NOT NULL "
        "AND (summary LIKE ? OR summary LIKE ?) ORDER BY id DESC",
        (cohort_id, prefix + ":%", prefix + " (merged%"),
    ).fetchall()
    if not rows:
        return {}
    last = rows[0][0]
    return {sha: file for at, file, sha in rows if at == last}
