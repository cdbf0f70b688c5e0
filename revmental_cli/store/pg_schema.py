"""The PostgreSQL register's schema, derived from the SQLite store's migrations.

Owns: the register's migrations (``MIGRATIONS``) and the translation of SQLite's DDL into
PostgreSQL's. The SQLite migrations (store/migrations.py) are the one statement of the
schema: a register's schema 6 is the catalog of a new SQLite store migrated up to schema 6,
read back from ``sqlite_master`` and translated here. Never touches a register itself
(store/pg.py applies what this returns).

What differs between the dialects, and nothing else:
- STRICT typing is SQLite's own; PostgreSQL's columns are strict already.
- REAL is DOUBLE PRECISION (SQLite's REAL is an 8-byte float).
- Foreign keys are DEFERRABLE, so that erasing a person can move their rows to a pseudonym in
  one transaction (checked at COMMIT, as SQLite's defer_foreign_keys does).
- A UNIQUE constraint whose numbers are shifted by one UPDATE (an enrollment's NDH) is
  DEFERRABLE too: PostgreSQL checks an immediate one row by row, SQLite by statement.
- ``user`` is a reserved word: quoted.
- A trigger that refuses a change (``SELECT RAISE(ABORT, ...)``) is a plpgsql function that
  raises, and a row trigger that calls it.
Dates and times stay TEXT (ISO 8601, as in the file), so that both backends give the same
outputs. tests/test_pg_schema.py compares a new register with a new SQLite store, catalog to
catalog.

Append-only, like the SQLite migrations: schema 6 is translated from the SQLite migrations up
to m006 only, so a later SQLite migration never changes it. A later schema change is a new
SQLite migration and a new entry in ``MIGRATIONS`` with its PostgreSQL statements.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable

# Tables whose UNIQUE constraint is shifted by one UPDATE (NDH renumbering).
_RENUMBERED = {"enrollments"}

# The functions of schema 6's triggers, by the names every register already has (a later
# migration that replaces one must find it by that name).
_FUNCTIONS = {
    "certificates_never_deleted": "revmental_certificate_never_deleted",
    "certificates_stay_revoked": "revmental_certificate_stays_revoked",
}

_COMMENT = re.compile(r"[ \t]*--[^\n]*")
_STRICT = re.compile(r"\)\s*STRICT\s*$")
_REAL = re.compile(r"\bREAL\b")
_REFERENCES = re.compile(r"(REFERENCES \w+\([^)]*\)(?: ON DELETE (?:CASCADE|SET NULL|RESTRICT))?)")
_USER = re.compile(r"^(\s*)user\b", re.MULTILINE)
_UNIQUE = re.compile(r"\bUNIQUE (\([^)]*\))")
_PARENTS = re.compile(r"\bREFERENCES (\w+)")
_TRIGGER = re.compile(
    r"CREATE TRIGGER (?P<name>\w+) (?P<event>BEFORE (?:DELETE|UPDATE OF \w+)) ON (?P<table>\w+)"
    r"(?: WHEN (?P<when>.+?))? BEGIN SELECT RAISE\(ABORT, (?P<message>'[^']*')\); END",
    re.DOTALL,
)


def sqlite_catalog(through: str) -> list[tuple[str, str, str]]:
    """(type, name, sql) of each table, index and trigger of a new SQLite store migrated up to
    and including the migration ``through``, in the order they were made."""
    from sqlite_utils import Database

    from revmental_cli.store.migrations import migrations

    db = Database(sqlite3.connect(":memory:"))
    try:
        names = [migration.name for migration in migrations.pending(db)]
        migrations.apply(db, stop_before=names[names.index(through) + 1 :])
        return db.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL "
            "AND name NOT LIKE '%sqlite%' ORDER BY rowid"
        ).fetchall()
    finally:
        db.conn.close()


def _table(name: str, sql: str) -> str:
    sql = _STRICT.sub(")", _COMMENT.sub("", sql))
    sql = _REFERENCES.sub(r"\1 DEFERRABLE", _REAL.sub("DOUBLE PRECISION", sql))
    sql = _USER.sub(r'\1"user"', sql)
    if name in _RENUMBERED:
        sql = _UNIQUE.sub(r"UNIQUE \1 DEFERRABLE", sql)
    return sql


def _trigger(sql: str) -> str:
    match = _TRIGGER.fullmatch(sql.strip())
    if match is None:  # a new kind of trigger: translate it here before it ships
        raise ValueError(f"no PostgreSQL translation for the trigger: {sql}")
    name, table, when = match["name"], match["table"], match["when"]
    function = _FUNCTIONS.get(name, f"revmental_{name}")
    condition = f" WHEN ({when})" if when else ""
    return (
        f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        f"BEGIN\n    RAISE EXCEPTION {match['message']};\nEND $$;\n"
        f"CREATE TRIGGER {name} {match['event']} ON {table}\n"
        f"    FOR EACH ROW{condition} EXECUTE FUNCTION {function}()"
    )


def translated(through: str) -> str:
    """The SQLite store's schema after the migration ``through``, as PostgreSQL DDL. Tables come
    before the tables that reference them (PostgreSQL checks a REFERENCES when it is made;
    SQLite's rebuilt ``people`` is made after its children), then indexes and triggers."""
    catalog = sqlite_catalog(through)
    tables = {name: sql for kind, name, sql in catalog if kind == "table"}
    ordered: list[str] = []

    def place(name: str) -> None:
        if name not in ordered:
            for parent in _PARENTS.findall(tables[name]):
                if parent != name:
                    place(parent)
            ordered.append(name)

    for name in tables:
        place(name)
    statements = [_table(name, tables[name]) for name in ordered]
    statements += [sql for kind, _name, sql in catalog if kind == "index"]
    statements += [_trigger(sql) for kind, _name, sql in catalog if kind == "trigger"]
    return ";\n".join(statements)


# (name, DDL builder) in order; a register records each one it applied in its migrations table.
MIGRATIONS: list[tuple[str, Callable[[], str]]] = [
    ("m006_schema_6", lambda: translated("m006_documents_and_more_people")),
]
