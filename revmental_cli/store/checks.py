"""What `db check` asks the store: SQLite's own checks, and the tool's rules on the data.

On a PostgreSQL register the server keeps its pages sound and enforces every foreign key at
COMMIT, so only the tool's own rules are checked there (and said so by `db check`).

Reads only. The rules are checked on the rows themselves, not trusted to the constraints
that enforce them: a store made before a constraint existed, or edited by hand, may break
them (and the missing constraint is reported too).
"""

from __future__ import annotations

from revmental_cli.messages import Msg
from revmental_cli.store.certificates import standing_duplicates
from revmental_cli.store.cohorts import cohort_exists, cohort_rows, stored_sessions
from revmental_cli.store.connection import Store
from revmental_cli.store.roster import duplicate_ndhs
from revmental_cli.store.scores import components

# The schema objects that enforce a rule (migrations.py creates them), by what they keep.
GUARDS = {
    "certificates_one_standing": Msg("one valid certificate per participant and cohort"),
    "certificates_never_deleted": Msg("certificate numbers are never deleted"),
    "certificates_stay_revoked": Msg("a revoked certificate stays revoked"),
}


def integrity_problems(store: Store) -> list[str]:
    """SQLite's integrity check: empty for a sound file."""
    if store.dialect == "postgres":
        return []
    return [r[0] for r in store.conn.execute("PRAGMA integrity_check") if r[0] != "ok"]


def foreign_key_problems(store: Store) -> list[tuple[str, int, str]]:
    """(table, rowid, parent table) of every row whose parent row is missing."""
    if store.dialect == "postgres":
        return []
    return [
        (table, rowid, parent)
        for table, rowid, parent, _fkid in store.conn.execute("PRAGMA foreign_key_check")
    ]


def invariant_problems(store: Store) -> list[str]:
    """The tool's own rules, beyond what SQLite's constraints and foreign keys enforce."""
    c = store.conn
    problems: list[str] = []
    current = store.current_cohort_id()
    if current is not None and not cohort_exists(store, current):
        problems.append(Msg("the current cohort {cohort} does not exist", cohort=current))
    for row in cohort_rows(store):
        cohort = row.cohort
        defined = [
            (s.number, s.date.isoformat(), f"{s.start:%H:%M}", f"{s.end:%H:%M}", s.jp)
            for s in cohort.sessions
        ]
        if stored_sessions(store, cohort.id) != defined:
            problems.append(
                Msg("{cohort}: the sessions table differs from the definition", cohort=cohort.id)
            )
        keys = {k.key for k in cohort.completion.components}
        for key in components(store, cohort.id):
            if key not in keys:
                problems.append(
                    Msg("{cohort}: scores for unknown component '{key}'", cohort=cohort.id, key=key)
                )
    for number, cohort_id in c.execute(
        "SELECT c.number, c.cohort_id FROM certificates c LEFT JOIN enrollments e "
        "ON e.cohort_id = c.cohort_id AND e.nip = c.nip WHERE e.nip IS NULL"
    ):
        problems.append(
            Msg(
                "{cohort}: certificate {number} belongs to nobody on the roster",
                cohort=cohort_id,
                number=number,
            )
        )
    for cohort_id, numbers in standing_duplicates(store):
        problems.append(
            Msg(
                "{cohort}: one participant holds {count} valid certificates ({numbers}); revoke "
                "all but the first with `revmental certificate revoke`",
                cohort=cohort_id,
                count=len(numbers),
                numbers=", ".join(numbers),
            )
        )
    for cohort_id, ndh, count in duplicate_ndhs(store):
        problems.append(
            Msg(
                "{cohort}: NDH {ndh} belongs to {count} participants",
                cohort=cohort_id,
                ndh=ndh,
                count=count,
            )
        )
    present = {
        name
        for (name,) in c.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
            "UNION ALL SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
            if store.dialect == "postgres"
            else "SELECT name FROM sqlite_master"
        )
    }
    for name, keeps in GUARDS.items():
        if name not in present:
            problems.append(
                Msg("the store lacks {name}, which keeps {keeps}", name=name, keeps=keeps)
            )
    return problems
