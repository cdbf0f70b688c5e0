"""The SQL of `db copy`: reading a store's cohorts whole, and writing them into another store.

Owns the list of tables a cohort spans and the order they are written in (parents first), the
reads that take a set of cohorts out of a source store (their programmes, people, sessions,
enrollments, attendance, scores, remedials, certificates, certificate files and history
lines) and the writes that put them into a target store, plus the target's look-ups that
decide what collides. One SQL for both backends, in SQLite's spelling (``?`` placeholders,
the history's "user" quoted): the source and the target may each be a file or a register.

Never decides anything (what collides, whose person row wins: services/copying.py), never
opens a store or a transaction (the caller holds both stores' write locks), and never
touches settings other than the current cohort.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from revmental_cli.store.connection import Store, marks

# The tables of a cohort, parents before children (the foreign keys hold at every insert),
# with the key that orders their rows (the source's order, so that ties read the same).
_COHORT_TABLES: tuple[tuple[str, str], ...] = (
    ("cohorts", "id"),
    ("facilitators", "cohort_id, id"),
    ("sessions", "cohort_id, number"),
    ("enrollments", "cohort_id, ndh"),
    ("attendance", "cohort_id, session, nip"),
    ("scores", "cohort_id, nip, component"),
    ("remedials", "cohort_id, nip, component"),
    ("certificates", "cohort_id, seq"),
)
# Every table a copy writes, in the order it writes them.
TABLES: tuple[str, ...] = (
    "programmes",
    "people",
    *(t for t, _order in _COHORT_TABLES),
    "certificate_files",
    "history",
)
# IN lists are sent in slices: SQLite's limit on parameters is 32766 (999 before 3.32).
_SLICE = 500


@dataclass
class Table:
    """Rows of one table, with their column names (as the source's schema has them)."""

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)

    def column(self, name: str) -> list[Any]:
        i = self.columns.index(name)
        return [r[i] for r in self.rows]

    def dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, r, strict=True)) for r in self.rows]


def cohort_ids(store: Store) -> list[str]:
    return [r[0] for r in store.conn.execute("SELECT id FROM cohorts ORDER BY id")]


def _read(store: Store, sql: str, params: Sequence[Any] = ()) -> Table:
    cur = store.conn.execute(sql, params)
    columns = tuple(d[0] for d in cur.description)
    return Table(columns, [tuple(r) for r in cur.fetchall()])


def read_cohorts(store: Store, ids: Sequence[str]) -> dict[str, Table]:
    """Every row the cohorts ``ids`` hold, table by table (TABLES' names), inside the caller's
    transaction so that the tables agree with one another."""
    which = marks(ids)
    params = tuple(ids)
    out: dict[str, Table] = {
        "programmes": _read(
            store,
            f"SELECT * FROM programmes WHERE code IN "
            f"(SELECT programme_code FROM cohorts WHERE id IN ({which})) ORDER BY code",
            params,
        ),
        # Those enrolled or certified in the cohorts: never a person of a cohort left behind.
        "people": _read(
            store,
            f"SELECT * FROM people WHERE nip IN "
            f"(SELECT nip FROM enrollments WHERE cohort_id IN ({which}) "
            f"UNION SELECT nip FROM certificates WHERE cohort_id IN ({which})) ORDER BY nip",
            params + params,
        ),
    }
    for table, order in _COHORT_TABLES:
        key = "id" if table == "cohorts" else "cohort_id"
        out[table] = _read(
            store, f"SELECT * FROM {table} WHERE {key} IN ({which}) ORDER BY {order}", params
        )
    out["certificate_files"] = _read(
        store,
        f"SELECT * FROM certificate_files WHERE number IN "
        f"(SELECT number FROM certificates WHERE cohort_id IN ({which})) "
        f"ORDER BY number, rendered_at, sha256",
        params,
    )
    out["history"] = _read(
        store, f"SELECT * FROM history WHERE cohort_id IN ({which}) ORDER BY id", params
    )
    return out


def _present(store: Store, sql: str, values: Iterable[Any]) -> list[Any]:
    """The values among ``values`` that ``sql`` (``... IN ({})``) finds in the store."""
    wanted = sorted({v for v in values if v is not None})
    found: list[Any] = []
    for start in range(0, len(wanted), _SLICE):
        part = wanted[start : start + _SLICE]
        found += [r[0] for r in store.conn.execute(sql.format(marks(part)), part)]
    return sorted(set(found))


def existing_cohorts(store: Store, ids: Iterable[str]) -> list[str]:
    return _present(store, "SELECT id FROM cohorts WHERE id IN ({})", ids)


def existing_numbers(store: Store, numbers: Iterable[str]) -> list[str]:
    return _present(store, "SELECT number FROM certificates WHERE number IN ({})", numbers)


def existing_codes(store: Store, codes: Iterable[str | None]) -> list[str]:
    return _present(store, "SELECT code FROM certificates WHERE code IN ({})", codes)


def programme_names(store: Store, codes: Iterable[str]) -> dict[str, str]:
    """Code -> name of the programmes among ``codes`` the store holds already."""
    wanted = sorted(set(codes))
    names: dict[str, str] = {}
    for start in range(0, len(wanted), _SLICE):
        part = wanted[start : start + _SLICE]
        sql = f"SELECT code, name FROM programmes WHERE code IN ({marks(part)})"
        names.update(dict(store.conn.execute(sql, part).fetchall()))
    return names


def existing_people(store: Store, nips: Iterable[str]) -> dict[str, dict[str, Any]]:
    """NIP -> the store's row of each person among ``nips`` it holds already."""
    wanted = sorted(set(nips))
    rows: dict[str, dict[str, Any]] = {}
    for start in range(0, len(wanted), _SLICE):
        part = wanted[start : start + _SLICE]
        table = _read(store, f"SELECT * FROM people WHERE nip IN ({marks(part)})", part)
        rows.update({r["nip"]: r for r in table.dicts()})
    return rows


def insert(store: Store, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    if not rows:
        return
    names = ", ".join(f'"{c}"' for c in columns)
    store.conn.executemany(
        f"INSERT INTO {table} ({names}) VALUES ({marks(columns)})", [tuple(r) for r in rows]
    )


def fill_people(store: Store, filled: dict[str, dict[str, Any]], stamp: str) -> None:
    """Set the given fields of people already in the store (NIP -> field -> value)."""
    for nip, fields in filled.items():
        if not fields:
            continue
        sets = ", ".join(f'"{f}" = ?' for f in fields)
        store.conn.execute(
            f"UPDATE people SET {sets}, updated_at = ? WHERE nip = ?",
            (*fields.values(), stamp, nip),
        )


def append_history(store: Store, lines: Table) -> None:
    """The lines after the store's own, numbered on from its last id (in the source's order;
    under the write lock, as ``Store.record`` numbers its line)."""
    if not lines.rows:
        return
    last = store.conn.execute("SELECT coalesce(max(id), 0) FROM history").fetchone()[0]
    i = lines.columns.index("id")
    rows = [(*r[:i], last + n, *r[i + 1 :]) for n, r in enumerate(lines.rows, 1)]
    insert(store, "history", lines.columns, rows)


def begin_read(store: Store) -> None:
    """A read transaction that sees one moment of the store and takes no write lock."""
    if store.dialect == "postgres":
        store.conn.raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
    else:
        store.conn.execute("BEGIN")  # deferred: the first read takes the shared lock
