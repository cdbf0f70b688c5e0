"""A roster import: a whole file's rows staged, checked and merged with set-based SQL.

Owns the temporary staging table, the checks that need the whole file and the store at once
(NDH numbering, capacity, people enrolled elsewhere), the outcome a dry run reports, and the
merge into people and enrollments, all inside the caller's one write transaction. Parsing the
file is the importer's (importers/roster/), deciding what to import the service's
(services/roster.py); never this module's. The roster's other SQL is in roster.py.
"""

from __future__ import annotations

import sqlite3
from itertools import chain
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from revmental_cli.messages import Msg
from revmental_cli.records import PERSON_FIELDS, RosterOutcome
from revmental_cli.store.connection import Store, now

if TYPE_CHECKING:
    from revmental_cli.domain.cohort import Cohort

_STAGING_COLUMNS = ("line", "ndh", "nip", "name", *PERSON_FIELDS)
_BATCH = 5000
_ROWS_PER_INSERT = 50  # 750 values a statement, far below SQLite's limit (32,766)
_NDH = itemgetter(1)
# About the people rows the store's 64 MiB page cache holds (some 200 bytes each, indexes
# included).
_PEOPLE_IN_CACHE = 250_000


def _bind_none_directly() -> None:
    """Bind None without the adapter lookup that fails first.

    For a value with no adapter, sqlite3 (3.11 and later) looks up ``__conform__`` on it,
    which raises and clears an AttributeError: for None, a few hundred thousand times in a
    large import. An adapter that is a C-level callable returning None for None skips that
    lookup; None is still bound as NULL (tests/test_store.py checks)."""
    if (type(None), sqlite3.PrepareProtocol) not in sqlite3.adapters:
        sqlite3.register_adapter(type(None), {}.get)  # type: ignore[arg-type]


class RosterImport:
    """Stage parsed rows in a temporary table, then check and merge them with set-based SQL.

    Staging streams (a million-row file is never held in Python memory) and lets the checks
    that need the whole file and the store (NDH numbering, capacity) run as single queries.
    """

    def __init__(
        self,
        store: Store,
        cohort: Cohort,
        *,
        nip_column: str = "NIP",
        ndh_column: str = "NDH",
        ndh_may_count_rows: bool = False,
    ) -> None:
        self.store = store
        self.cohort = cohort
        self.nip_column = nip_column
        self.ndh_column = ndh_column
        # A column headed "No" may be the sheet's own row counter rather than the NDH.
        self.ndh_may_count_rows = ndh_may_count_rows
        self.renumbered = False
        _bind_none_directly()
        c = store.conn
        c.execute("DROP TABLE IF EXISTS temp.staging")
        c.execute(
            "CREATE TEMP TABLE staging (line INTEGER PRIMARY KEY, ndh INTEGER, nip TEXT NOT NULL, "
            "name TEXT NOT NULL, "
            + ", ".join(f"{f} TEXT" for f in PERSON_FIELDS)
            + ", problem TEXT, new INTEGER DEFAULT 1, changed INTEGER DEFAULT 1)"
        )
        self.rejected: list[tuple[int, dict[str, str], list[str]]] = []
        self.fresh = False  # set by check(): the cohort has no enrollments yet
        self.problems = 0  # rows check() rejected (capacity, NDH)
        self._batch: list[tuple[Any, ...]] = []
        # What Python learns while staging, so that check() and classify() can skip the
        # queries whose answer it already knows: how many rows, which NDHs the file gives.
        self._staged = 0
        self._ndhs: set[int | None] = set()
        self._ndh_count = 0
        self._unnumbered = 0
        one = f"({', '.join('?' for _ in _STAGING_COLUMNS)})"
        self._insert = f"INSERT INTO staging ({', '.join(_STAGING_COLUMNS)}) VALUES {one}"
        # Rows go in _ROWS_PER_INSERT at a time: a statement per row costs more than binding.
        self._insert_many = self._insert + f", {one}" * (_ROWS_PER_INSERT - 1)

    def add_many(self, rows: list[tuple[Any, ...]]) -> None:
        """Valid rows, each in ``_STAGING_COLUMNS`` order (empty optional fields as None)."""
        self._batch.extend(rows)
        if len(self._batch) >= _BATCH:
            self._flush()

    def reject(self, line: int, raw: dict[str, str], errors: list[str]) -> None:
        self.rejected.append((line, raw, errors))

    def _flush(self) -> None:
        batch = self._batch
        if batch:
            c = self.store.conn
            if self.store.dialect == "postgres":
                # COPY streams the batch in one round trip; executemany sends a statement per
                # row and made a 200,000-row import spend most of its time waiting on them.
                columns = ", ".join(_STAGING_COLUMNS)
                with c.raw.cursor().copy(f"COPY staging ({columns}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
            elif c.in_transaction:  # check() inside the command's write transaction
                self._insert_batch(batch)
            else:
                # Outside a transaction each row would be one of its own (a fifth of the
                # staging's time). BEGIN takes no lock on the store's file: only the
                # temporary table is written.
                c.execute("BEGIN")
                try:
                    self._insert_batch(batch)
                except BaseException:
                    c.execute("ROLLBACK")
                    raise
                c.execute("COMMIT")
            ndhs = list(map(_NDH, batch))
            given = len(ndhs) - ndhs.count(None)
            self._ndh_count += given
            self._unnumbered += len(ndhs) - given
            self._ndhs.update(ndhs)
            self._staged += len(batch)
            batch.clear()

    def _insert_batch(self, batch: list[tuple[Any, ...]]) -> None:
        c = self.store.conn
        whole = len(batch) - len(batch) % _ROWS_PER_INSERT
        if whole:
            c.executemany(
                self._insert_many,
                (
                    tuple(chain.from_iterable(batch[i : i + _ROWS_PER_INSERT]))
                    for i in range(0, whole, _ROWS_PER_INSERT)
                ),
            )
        if whole < len(batch):
            c.executemany(self._insert, batch[whole:])

    def check(self) -> None:
        """Whole-file rules that need the store: capacity, then NDH numbering."""
        self._flush()
        c = self.store.conn
        cid = self.cohort.id
        # A cohort's first import (the usual case, and every large one) skips every step that
        # compares with enrollments it does not have yet: all its rows are new.
        self.fresh = not c.execute(
            "SELECT EXISTS (SELECT 1 FROM enrollments WHERE cohort_id = ?)", (cid,)
        ).fetchone()[0]
        self._ndhs.discard(None)
        # The file's own NDHs clash only if two rows give one number (known from staging).
        clashing = len(self._ndhs) != self._ndh_count
        problems = 0
        if clashing or self._unnumbered or not self.fresh:
            c.execute("CREATE INDEX temp.staging_ndh ON staging (ndh)")
        if not self.fresh:
            c.execute("CREATE INDEX temp.staging_nip ON staging (nip)")
            c.execute(
                # Flags are 0/1 integers, spelled so that SQLite and PostgreSQL agree.
                "UPDATE staging SET new = CASE WHEN EXISTS (SELECT 1 FROM enrollments e "
                "WHERE e.cohort_id = ? AND e.nip = staging.nip) THEN 0 ELSE 1 END",
                (cid,),
            )
        capacity = self.cohort.capacity
        # The problems are staged as codes ('full', 'line:NDH:LINE', 'taken:NDH') and become
        # messages below: SQLite would hand back the text, not the message to translate.
        full: Msg | None = None
        if capacity is not None:
            enrolled = c.execute(
                "SELECT count(*) FROM enrollments WHERE cohort_id = ? AND status = 'enrolled'",
                (cid,),
            ).fetchone()[0]
            room = max(capacity - enrolled, 0)
            full = Msg(
                "{column}: the cohort is full (capacity {capacity}, {enrolled} already enrolled)"
                " — raise capacity in the cohort file, or import fewer participants",
                column=self.nip_column,
                capacity=capacity,
                enrolled=enrolled,
            )
            problems += c.execute(
                "UPDATE staging SET problem = 'full' WHERE line IN (SELECT line FROM staging "
                "WHERE new = 1 AND problem IS NULL ORDER BY line LIMIT -1 OFFSET ?)",
                (room,),
            ).rowcount
        # A second agency's list numbered 1, 2, 3... like the first one: those are its row
        # numbers, not NDHs (they belong to the first agency's participants). Read them as
        # such, so the cohort's numbering continues, instead of refusing every row.
        if not self.fresh and self.ndh_may_count_rows:
            # Row numbers follow the file's lines (No = line - header line, whatever rows were
            # rejected); and they are the file's own when they belong to participants who are
            # not in this file (a full list renumbered on purpose only swaps its own people's
            # numbers, and is taken at its word).
            counts_rows, clashes = c.execute(
                "SELECT count(DISTINCT line - ndh) = 1 AND min(line - ndh) >= 1 "
                "AND count(ndh) = count(*), EXISTS (SELECT 1 FROM staging s "
                "JOIN enrollments e ON e.cohort_id = ? AND e.ndh = s.ndh AND e.nip != s.nip "
                "WHERE s.problem IS NULL AND NOT EXISTS "
                "(SELECT 1 FROM staging t WHERE t.nip = e.nip)) "
                "FROM staging WHERE problem IS NULL",
                (cid,),
            ).fetchone()
            if counts_rows and clashes:
                c.execute("UPDATE staging SET ndh = NULL")
                self.renumbered = True
        # Participants already enrolled keep their NDH unless the file gives one.
        if not self.fresh:
            c.execute(
                "UPDATE staging SET ndh = (SELECT e.ndh FROM enrollments e WHERE e.cohort_id = ? "
                "AND e.nip = staging.nip) WHERE ndh IS NULL AND new = 0",
                (cid,),
            )
        # A first import whose rows all give their NDH has nothing to number.
        if self._unnumbered or not self.fresh:
            base = c.execute(
                "SELECT coalesce(max(n), 0) FROM (SELECT max(ndh) AS n FROM enrollments "
                "WHERE cohort_id = ? UNION ALL SELECT max(ndh) FROM staging "
                "WHERE problem IS NULL) AS highest",
                (cid,),
            ).fetchone()[0]
            c.execute(
                # UPDATE ... FROM numbers the rows once; a CTE in the SET clause would be
                # evaluated again for every row, after earlier rows had already been numbered.
                "UPDATE staging SET ndh = ? + numbered.n FROM (SELECT line, row_number() OVER "
                "(ORDER BY line) AS n FROM staging WHERE ndh IS NULL AND problem IS NULL) "
                "AS numbered WHERE numbered.line = staging.line",
                (base,),
            )
        # An NDH may belong to one participant only: in the file, and against the cohort. On
        # a first import, new numbers start above the file's own, so only two rows giving
        # the same number can clash, and staging counted them.
        if clashing or not self.fresh:
            problems += c.execute(
                "UPDATE staging SET problem = 'line:' || ndh || ':' || "
                "(SELECT min(t.line) FROM staging t WHERE t.ndh = staging.ndh "
                "AND t.line < staging.line) "
                "WHERE problem IS NULL AND EXISTS (SELECT 1 FROM staging t "
                "WHERE t.ndh = staging.ndh AND t.line < staging.line)",
            ).rowcount
        # Repeated until nothing changes: rejecting one row keeps its participant on their old
        # NDH, which may in turn be the number another row wanted.
        while not self.fresh:
            taken = c.execute(
                "UPDATE staging SET problem = 'taken:' || ndh WHERE problem IS NULL AND EXISTS "
                "(SELECT 1 FROM enrollments e "
                "WHERE e.cohort_id = ? AND e.ndh = staging.ndh AND e.nip != staging.nip AND "
                "NOT EXISTS (SELECT 1 FROM staging t WHERE t.nip = e.nip AND t.problem IS NULL))",
                (cid,),
            ).rowcount
            problems += taken
            if taken <= 0:
                break
        self.problems = problems
        # Their original cells are not staged (it would double the work of every import);
        # the command reads them back from the file when it needs them for --rejects.
        if problems:
            for line, problem in c.execute(
                "SELECT line, problem FROM staging WHERE problem IS NOT NULL"
            ).fetchall():
                self.rejected.append((line, {}, [self._message(problem, full)]))
        self.rejected.sort(key=lambda r: r[0])

    def _message(self, code: str, full: Msg | None) -> Msg:
        kind, _, rest = code.partition(":")
        if kind == "full" and full is not None:
            return full
        if kind == "line":
            ndh, _, first = rest.partition(":")
            return Msg(
                "{column}: number {ndh} is also on line {line} — renumber the column, or delete it"
                " to let revmental number participants",
                column=self.ndh_column,
                ndh=ndh,
                line=first,
            )
        return Msg(
            "{column}: number {ndh} already belongs to another participant of this cohort"
            " — delete the column to continue the numbering",
            column=self.ndh_column,
            ndh=rest,
        )

    def classify(self) -> RosterOutcome:
        c = self.store.conn
        compare = " OR ".join(f"coalesce(s.{f}, p.{f}) IS NOT p.{f}" for f in PERSON_FIELDS)
        # Only a participant already enrolled can be updated or unchanged (new ones count as
        # created), so only their rows are compared.
        if not self.fresh:
            c.execute(
                "UPDATE staging SET changed = CASE WHEN (SELECT CASE WHEN p.nip IS NULL THEN 1 "
                f"WHEN s.name IS NOT p.name OR {compare} THEN 1 ELSE 0 END "
                "FROM staging s LEFT JOIN people p ON p.nip = s.nip WHERE s.line = staging.line) "
                "= 1 OR EXISTS (SELECT 1 FROM enrollments e WHERE e.cohort_id = ? "
                "AND e.nip = staging.nip AND e.ndh IS NOT staging.ndh) THEN 1 ELSE 0 END "
                "WHERE new = 0",
                (self.cohort.id,),
            )
            created, updated, unchanged = c.execute(
                "SELECT coalesce(sum(new), 0), coalesce(sum(CASE WHEN new = 0 AND changed = 1 "
                "THEN 1 ELSE 0 END), 0), coalesce(sum(CASE WHEN new = 0 AND changed = 0 "
                "THEN 1 ELSE 0 END), 0) FROM staging WHERE problem IS NULL"
            ).fetchone()
        else:  # a first import: every staged row without a problem is a new participant
            created, updated, unchanged = self._staged - self.problems, 0, 0
        outcome = RosterOutcome(created, updated, unchanged, list(self.rejected))
        outcome.renumbered = self.ndh_column if self.renumbered else ""
        # Only people enrolled in another cohort whose dates overlap can be warned about: most
        # imports find no such cohort and skip the join over every staged row.
        start, end = self.cohort.start.isoformat(), self.cohort.end.isoformat()
        others = c.execute(
            "SELECT EXISTS (SELECT 1 FROM cohorts o WHERE o.id != ? AND o.start_date <= ? "
            "AND o.end_date >= ? AND EXISTS (SELECT 1 FROM enrollments e "
            "WHERE e.cohort_id = o.id AND e.status = 'enrolled'))",
            (self.cohort.id, end, start),
        ).fetchone()[0]
        outcome.overlaps = [
            tuple(r)
            for r in (
                ()
                if not others
                else c.execute(
                    "SELECT s.nip, s.name, o.id FROM staging s "
                    "JOIN enrollments e ON e.nip = s.nip AND e.cohort_id != ? "
                    "AND e.status = 'enrolled' JOIN cohorts o ON o.id = e.cohort_id "
                    "WHERE s.problem IS NULL AND o.start_date <= ? AND o.end_date >= ? "
                    "GROUP BY s.nip, s.name, o.id ORDER BY min(s.line), o.id",
                    (self.cohort.id, end, start),
                )
            )
        ]
        return outcome

    def merge(self) -> None:
        """Write the staged rows; call inside ``Store.write()``."""
        c = self.store.conn
        stamp = now()
        keep = ", ".join(f"{f} = coalesce(excluded.{f}, people.{f})" for f in PERSON_FIELDS)
        differs = " OR ".join(
            f"coalesce(excluded.{f}, people.{f}) IS NOT people.{f}" for f in PERSON_FIELDS
        )
        # An empty cell never erases what the store knows: another agency's sheet may simply
        # lack that column.
        # Sorting the staged rows by NIP costs more than it saves while the people table fits
        # in the page cache (a B-tree in memory takes keys in any order); past that, the
        # inserts in key order touch each page once.
        # (PostgreSQL's own planner and buffers decide this for a register.)
        people = (
            c.execute("SELECT coalesce(max(rowid), 0) FROM people").fetchone()[0]
            if self.store.dialect == "sqlite"
            else 0
        )
        order = "ORDER BY nip" if people > _PEOPLE_IN_CACHE else ""
        # A new store's first import meets nobody (the staged NIPs are distinct): a plain
        # INSERT, without the conflict search per row.
        empty = self.store.dialect == "sqlite" and people == 0
        upsert = (
            ""
            if empty
            else "ON CONFLICT (nip) DO UPDATE SET name = excluded.name, "
            f"{keep}, updated_at = excluded.updated_at "
            f"WHERE excluded.name IS NOT people.name OR {differs}"
        )
        c.execute(
            f"INSERT INTO people (nip, name, {', '.join(PERSON_FIELDS)}, created_at, "
            f"updated_at) SELECT nip, name, {', '.join(PERSON_FIELDS)}, ?, ? "
            f"FROM staging WHERE problem IS NULL {order} {upsert}",
            (stamp, stamp),
        )
        # NDHs may swap between participants: move changed ones out of the way first, so the
        # UNIQUE (cohort_id, ndh) constraint holds at every step.
        if not self.fresh:
            c.execute(
                "UPDATE enrollments SET ndh = ndh + 1000000000 WHERE cohort_id = ? AND EXISTS "
                "(SELECT 1 FROM staging s WHERE s.nip = enrollments.nip AND s.problem IS NULL "
                "AND s.ndh != enrollments.ndh)",
                (self.cohort.id,),
            )
        # A cohort's first import meets no enrollment of its own (check() saw none under the
        # lock, and the file's NIPs are distinct): a plain INSERT, without the conflict
        # search per row. Were one there after all, the INSERT fails and nothing is written.
        upsert = (
            ""
            if self.fresh
            else "ON CONFLICT (cohort_id, nip) DO UPDATE SET ndh = excluded.ndh, "
            "updated_at = excluded.updated_at WHERE enrollments.ndh IS NOT excluded.ndh"
        )
        c.execute(
            "INSERT INTO enrollments (cohort_id, nip, ndh, enrolled_at, updated_at) "
            f"SELECT ?, nip, ndh, ?, ? FROM staging WHERE problem IS NULL ORDER BY nip {upsert}",
            (self.cohort.id, stamp, stamp),
        )

    def close(self) -> None:
        # Nothing to do: the staging table is TEMP and goes with the connection (dropping a
        # 200,000-row one explicitly costs a fifth of a second).
        return None
