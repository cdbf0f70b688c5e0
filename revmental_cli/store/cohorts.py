"""The cohorts aggregate: programmes, cohorts, their facilitators and sessions.

The only SQL that reads or writes those tables. A cohort's attendance and scores belong to
their own modules, which this one calls when a changed definition drops some of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from revmental_cli.errors import InputError, NotFound
from revmental_cli.messages import Msg
from revmental_cli.records import CohortRow, CohortSummary, Recorded
from revmental_cli.store.connection import Store, marks, now

if TYPE_CHECKING:
    from revmental_cli.domain.cohort import Cohort


def assert_open(store: Store, cohort_id: str) -> None:
    """Inside a write transaction: a cohort closed since the command began stays closed
    (a long import must not write into it after `cohort close`)."""
    row = store.conn.execute("SELECT status FROM cohorts WHERE id = ?", (cohort_id,)).fetchone()
    if row is not None and row[0] == "closed":
        raise InputError(
            Msg("cohort {cohort} is closed; its results are frozen", cohort=cohort_id),
            hint=Msg("closed cohorts are read-only"),
        )


def cohort_exists(store: Store, cohort_id: str) -> bool:
    return (
        store.conn.execute("SELECT 1 FROM cohorts WHERE id = ?", (cohort_id,)).fetchone()
        is not None
    )


def cohort_ids(store: Store) -> list[str]:
    return [r[0] for r in store.conn.execute("SELECT id FROM cohorts ORDER BY start_date, id")]


def cohort_sources(store: Store) -> dict[str, str | None]:
    return dict(store.conn.execute("SELECT id, source_file FROM cohorts").fetchall())


def cohort_rows(store: Store, *, include_closed: bool = True) -> list[CohortRow]:
    sql = _COHORT_SELECT + (" " if include_closed else " WHERE c.status = 'open' ")
    sql += "ORDER BY c.start_date DESC, c.id"
    return [_cohort_row(r) for r in store.conn.execute(sql)]


def cohort_summaries(store: Store, *, include_closed: bool = True) -> list[CohortSummary]:
    """What `cohort list` shows, from the cohorts' columns: no definition is decoded."""
    # The programme's name as this cohort's own definition gives it.
    programme = (
        "c.definition::json #>> '{programme,name}'"
        if store.dialect == "postgres"
        else "json_extract(c.definition, '$.programme.name')"
    )
    sql = (
        f"SELECT c.id, c.programme_code, {programme}, "
        "c.angkatan, c.year, c.organiser, c.mode, "
        "c.start_date, c.end_date, c.capacity, (SELECT count(*) FROM enrollments e "
        "WHERE e.cohort_id = c.id AND e.status = 'enrolled'), c.status "
        "FROM cohorts c"
        + ("" if include_closed else " WHERE c.status = 'open'")
        + " ORDER BY c.start_date DESC, c.id"
    )
    return [
        CohortSummary(
            id=r[0],
            programme_code=r[1],
            programme_name=r[2],
            angkatan=r[3],
            year=r[4],
            organiser=r[5],
            mode=r[6],
            start=dt.date.fromisoformat(r[7]),
            end=dt.date.fromisoformat(r[8]),
            capacity=r[9],
            participants=r[10],
            status=r[11],
        )
        for r in store.conn.execute(sql)
    ]


def cohort(store: Store, cohort_id: str) -> CohortRow:
    row = store.conn.execute(_COHORT_SELECT + " WHERE c.id = ?", (cohort_id,)).fetchone()
    if row is None:
        known = ", ".join(cohort_ids(store))
        raise NotFound(
            Msg("unknown cohort '{cohort}'", cohort=cohort_id),
            hint=Msg(
                "cohorts in this store: {known}; open one with `revmental cohort open FILE`",
                known=known,
            )
            if known
            else Msg("cohorts in this store: none yet; open one with `revmental cohort open FILE`"),
        )
    return _cohort_row(row)


def recorded(store: Store, cohort_id: str) -> Recorded:
    # Here, not at the top: listing cohorts needs neither module.
    from revmental_cli.store.attendance import count_by_session
    from revmental_cli.store.scores import count_by_component

    return Recorded(count_by_session(store, cohort_id), count_by_component(store, cohort_id))


def save_cohort(
    store: Store,
    cohort: Cohort,
    *,
    source_file: str | None,
    sha256: str | None,
    reset: Iterable[int] = (),
) -> None:
    """Insert or replace a cohort's definition, its facilitators and sessions.

    Sessions are matched by number: attendance of sessions that remain is kept; the caller
    has already refused (or been told to --force) dropping recorded data.
    """
    from revmental_cli.store.attendance import drop_sessions
    from revmental_cli.store.scores import drop_components_except

    stamp = now()
    c = store.conn
    drop_sessions(store, cohort.id, reset)
    c.execute(
        "INSERT INTO programmes (code, name) VALUES (?, ?) "
        "ON CONFLICT (code) DO UPDATE SET name = excluded.name",
        (cohort.programme_code, cohort.programme_name),
    )
    import json

    from revmental_cli.domain.cohort import cohort_to_dict

    definition = json.dumps(cohort_to_dict(cohort), ensure_ascii=False)
    c.execute(
        """
        INSERT INTO cohorts (id, programme_code, angkatan, year, organiser, mode, capacity,
            start_date, end_date, jp_minutes, definition, source_file, source_sha256,
            opened_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET
            programme_code = excluded.programme_code, angkatan = excluded.angkatan,
            year = excluded.year, organiser = excluded.organiser, mode = excluded.mode,
            capacity = excluded.capacity, start_date = excluded.start_date,
            end_date = excluded.end_date, jp_minutes = excluded.jp_minutes,
            definition = excluded.definition, source_file = excluded.source_file,
            source_sha256 = excluded.source_sha256, updated_at = excluded.updated_at
        """,
        (
            cohort.id,
            cohort.programme_code,
            cohort.angkatan,
            cohort.year,
            cohort.organiser,
            cohort.mode,
            cohort.capacity,
            cohort.start.isoformat(),
            cohort.end.isoformat(),
            cohort.jp_minutes,
            definition,
            source_file,
            sha256,
            stamp,
            stamp,
        ),
    )
    c.execute("DELETE FROM facilitators WHERE cohort_id = ?", (cohort.id,))
    c.executemany(
        "INSERT INTO facilitators (cohort_id, id, name, role) VALUES (?, ?, ?, ?)",
        [(cohort.id, f.id, f.name, f.role) for f in cohort.facilitators],
    )
    numbers = [s.number for s in cohort.sessions]
    c.execute(
        f"DELETE FROM sessions WHERE cohort_id = ? AND number NOT IN ({marks(numbers)})",
        (cohort.id, *numbers),
    )
    c.executemany(
        """
        INSERT INTO sessions (cohort_id, number, date, start_time, end_time, title, jp,
            facilitator_id, kind)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (cohort_id, number) DO UPDATE SET
            date = excluded.date, start_time = excluded.start_time,
            end_time = excluded.end_time, title = excluded.title, jp = excluded.jp,
            facilitator_id = excluded.facilitator_id, kind = excluded.kind
        """,
        [
            (
                cohort.id,
                s.number,
                s.date.isoformat(),
                f"{s.start:%H:%M}",
                f"{s.end:%H:%M}",
                s.title,
                s.jp,
                s.facilitator,
                s.kind,
            )
            for s in cohort.sessions
        ],
    )
    drop_components_except(store, cohort.id, [k.key for k in cohort.completion.components])


def close_cohort(store: Store, cohort_id: str) -> None:
    store.conn.execute(
        "UPDATE cohorts SET status = 'closed', closed_at = ?, updated_at = ? WHERE id = ?",
        (now(), now(), cohort_id),
    )


def stored_sessions(store: Store, cohort_id: str) -> list[tuple[int, str, str, str, int]]:
    """(number, date, start, end, jp) of the sessions table, for `db check`."""
    return store.conn.execute(
        "SELECT number, date, start_time, end_time, jp FROM sessions WHERE cohort_id = ? "
        "ORDER BY number",
        (cohort_id,),
    ).fetchall()


# --- shell completion: read-only, errors mean no suggestions (the caller catches them) ----------


def cohort_choices(store: Store, prefix: str) -> list[tuple[str, str]]:
    """(id, "programme angkatan year") of the cohorts whose id starts with ``prefix``."""
    return store.conn.execute(
        "SELECT id, programme_code || ' ' || angkatan || ' ' || year FROM cohorts "
        "WHERE id LIKE ? ORDER BY start_date DESC",
        (prefix + "%",),
    ).fetchall()


def session_choices(store: Store, cohort_id: str) -> list[tuple[int, str]]:
    """(number, "date start title") of the cohort's sessions."""
    return store.conn.execute(
        "SELECT number, date || ' ' || start_time || ' ' || title FROM sessions "
        "WHERE cohort_id = ? ORDER BY number",
        (cohort_id,),
    ).fetchall()


_COHORT_SELECT = """
SELECT c.definition, c.status, c.source_file, c.source_sha256, c.opened_at, c.updated_at,
       c.closed_at,
       (SELECT count(*) FROM enrollments e WHERE e.cohort_id = c.id AND e.status = 'enrolled')
FROM cohorts c
"""


def _cohort_row(row: tuple[Any, ...]) -> CohortRow:
    # Imported here: listing cohorts (cohort_summaries) needs no cohort model, nor json.
    import json

    from revmental_cli.domain.cohort import cohort_from_dict

    return CohortRow(
        cohort=cohort_from_dict(json.loads(row[0])),
        status=row[1],
        source_file=row[2],
        source_sha256=row[3],
        opened_at=row[4],
        updated_at=row[5],
        closed_at=row[6],
        participants=row[7],
    )
