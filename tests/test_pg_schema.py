"""One schema, two dialects: a new register against a new SQLite store, catalog to catalog.

The register's schema 6 is the SQLite store's, translated into PostgreSQL's dialect
(store/pg_schema.py); later ones are entries in its MIGRATIONS beside store/migrations.py.
These tests read what each database says it holds
(SQLite's pragmas, PostgreSQL's pg_catalog) and compare the two, so that a change to one side
only (a new SQLite migration without its PostgreSQL entry, a column typed differently) fails
here. No DDL is written a third time here.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from revmental_cli.store import open_store, pg_schema
from revmental_cli.store.pg_schema import translated

# What each SQLite column type is in the register.
TYPES = {"TEXT": "text", "INTEGER": "integer", "REAL": "double precision"}
# PostgreSQL's confdeltype codes, as SQLite's foreign_key_list spells them.
ON_DELETE = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}
BOOKKEEPING = {"_sqlite_migrations", "revmental_migrations"}
TRIGGER_EVENT = re.compile(r"\b(BEFORE|AFTER|INSTEAD OF) (DELETE|INSERT|UPDATE(?: OF [\w, ]+)?) ON")

Catalog = dict[str, Any]


def _expression(text: str | None) -> str | None:
    """A predicate as both databases agree on it: PostgreSQL adds parentheses and casts."""
    if text is None:
        return None
    return " ".join(re.sub(r"::\w+|[()]", " ", text).lower().split())


def _checks(sql: str, columns: list[str]) -> list[tuple[str, ...]]:
    """The columns each CHECK of a CREATE TABLE mentions (the expressions themselves are
    spelt differently: PostgreSQL gives ``= ANY (ARRAY[...])`` for ``IN (...)``)."""
    code = re.sub(r"'(?:[^']|'')*'", "''", sql)
    found = []
    for match in re.finditer(r"\bCHECK\s*\(", code, re.IGNORECASE):
        depth, end = 1, match.end()
        while depth:
            depth += {"(": 1, ")": -1}.get(code[end], 0)
            end += 1
        words = set(re.findall(r"\w+", code[match.end() : end]))
        found.append(tuple(sorted(c for c in columns if c in words)))
    return sorted(found)


def sqlite_catalog(path: Path) -> Catalog:
    conn = sqlite3.connect(path)
    try:
        q = conn.execute
        tables: Catalog = {}
        for name, strict, sql in q(
            "SELECT l.name, l.strict, m.sql FROM pragma_table_list l "
            "JOIN sqlite_master m ON m.name = l.name AND m.type = 'table' "
            "WHERE l.schema = 'main' AND l.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY l.name"
        ).fetchall():
            if name in BOOKKEEPING:
                continue
            assert strict, f"{name} is not STRICT"
            info = q(f'PRAGMA table_info("{name}")').fetchall()
            uniques, fks = set(), set()
            for _seq, index, _unique, origin, _partial in q(f'PRAGMA index_list("{name}")'):
                if origin == "u":
                    cols = [r[2] for r in q(f'PRAGMA index_info("{index}")')]
                    uniques.add(tuple(cols))
            by_id: dict[int, list[Any]] = {}
            for fk_id, _seq, parent, col, parent_col, _upd, on_delete, _match in q(
                f'PRAGMA foreign_key_list("{name}")'
            ):
                entry = by_id.setdefault(fk_id, [[], parent, [], on_delete])
                entry[0].append(col)
                entry[2].append(parent_col)
            for cols, parent, parent_cols, on_delete in by_id.values():
                fks.add((tuple(cols), parent, tuple(parent_cols), on_delete))
            tables[name] = {
                # A STRICT table's primary key columns are NOT NULL (SQLite's pragma says 0).
                "columns": [
                    (col, TYPES[kind], bool(notnull or pk), default)
                    for _cid, col, kind, notnull, default, pk in info
                ],
                "primary_key": tuple(
                    r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5])
                ),
                "unique": uniques,
                "foreign_keys": fks,
                "checks": _checks(sql, [r[1] for r in info]),
            }
        indexes = {}
        for name, table, sql in q(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        ).fetchall():
            if table in BOOKKEEPING:
                continue
            where = re.search(r"\bWHERE\b(.*)$", sql, re.IGNORECASE | re.DOTALL)
            indexes[name] = (
                table,
                sql.upper().startswith("CREATE UNIQUE"),
                tuple(r[2] for r in q(f'PRAGMA index_info("{name}")')),
                _expression(where.group(1)) if where else None,
            )
        triggers = {}
        for name, table, sql in q(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"
        ).fetchall():
            event = TRIGGER_EVENT.search(sql)
            when = re.search(r"\bWHEN\b(.*?)\bBEGIN\b", sql, re.DOTALL)
            message = re.search(r"RAISE\s*\(\s*ABORT\s*,\s*'((?:[^']|'')*)'", sql)
            assert event and message, sql
            triggers[name] = (
                table,
                " ".join(event.groups()),
                _expression(when.group(1)) if when else None,
                message.group(1),
            )
    finally:
        conn.close()
    return {"tables": tables, "indexes": indexes, "triggers": triggers}


_PG_COLUMNS = """
SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
    pg_get_expr(d.adbin, d.adrelid)
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
    AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY c.relname, a.attnum
"""
_PG_CONSTRAINTS = """
SELECT c.relname, k.contype, k.condeferrable,
    ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(n, i)
          JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.i),
    f.relname::text,
    ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY u(n, i)
          JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.i),
    k.confdeltype
FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
LEFT JOIN pg_class f ON f.oid = k.confrelid
WHERE c.relnamespace = current_schema()::regnamespace
ORDER BY c.relname, k.conname
"""
_PG_INDEXES = """
SELECT i.relname, t.relname, x.indisunique,
    ARRAY(SELECT pg_get_indexdef(x.indexrelid, k, true) FROM generate_series(1, x.indnkeyatts) k),
    pg_get_expr(x.indpred, x.indrelid)
FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
WHERE t.relnamespace = current_schema()::regnamespace
    AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
"""
_PG_TRIGGERS = """
SELECT t.tgname, c.relname, pg_get_triggerdef(t.oid), p.prosrc
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal
"""


def pg_catalog(url: str) -> Catalog:
    import psycopg

    with psycopg.connect(url) as conn:
        q = conn.execute
        tables: Catalog = {}
        for table, col, kind, notnull, default in q(_PG_COLUMNS).fetchall():
            if table in BOOKKEEPING:
                continue
            entry = tables.setdefault(
                table,
                {"columns": [], "primary_key": (), "unique": set(), "foreign_keys": set()},
            )
            entry["checks"] = []
            default = re.sub(r"::\w+( \w+)?$", "", default) if default else None
            entry["columns"].append((col, kind, notnull, default))
        not_deferrable, deferrable_unique = [], set()
        for table, kind, deferrable, cols, parent, parent_cols, on_delete in q(
            _PG_CONSTRAINTS
        ).fetchall():
            if table in BOOKKEEPING:
                continue
            entry = tables[table]
            if kind == "p":
                entry["primary_key"] = tuple(cols)
            elif kind == "u":
                entry["unique"].add(tuple(cols))
                if deferrable:
                    deferrable_unique.add((table, tuple(cols)))
            elif kind == "c":
                entry["checks"].append(tuple(sorted(cols)))
            elif kind == "f":
                entry["foreign_keys"].add(
                    (tuple(cols), parent, tuple(parent_cols), ON_DELETE[on_delete])
                )
                if not deferrable:
                    not_deferrable.append((table, cols))
            else:
                raise AssertionError(f"a constraint of kind {kind} on {table}")
        for entry in tables.values():
            entry["checks"].sort()
        indexes = {
            name: (table, unique, tuple(cols), _expression(where))
            for name, table, unique, cols, where in q(_PG_INDEXES).fetchall()
            if table not in BOOKKEEPING
        }
        triggers = {}
        for name, table, definition, source in q(_PG_TRIGGERS).fetchall():
            event = TRIGGER_EVENT.search(definition)
            when = re.search(r"\bWHEN\b(.*)\bEXECUTE FUNCTION\b", definition)
            message = re.search(r"RAISE EXCEPTION '((?:[^']|'')*)'", source)
            assert event and message, (definition, source)
            triggers[name] = (
                table,
                " ".join(event.groups()),
                _expression(when.group(1)) if when else None,
                message.group(1).replace("%%", "%"),
            )
    return {
        "tables": tables,
        "indexes": indexes,
        "triggers": triggers,
        "not_deferrable": not_deferrable,
        "deferrable_unique": deferrable_unique,
    }


def differences(sqlite: Catalog, pg: Catalog) -> list[str]:
    """What a reader would need to know, one line per difference; empty when they agree."""
    found = []
    if pg["not_deferrable"]:
        found.append(f"foreign keys not DEFERRABLE in the register: {pg['not_deferrable']}")
    for kind in ("tables", "indexes", "triggers"):
        left, right = sqlite[kind], pg[kind]
        for name in sorted(left.keys() | right.keys()):
            if name not in right:
                found.append(f"{kind[:-1]} {name}: only in the SQLite store")
            elif name not in left:
                found.append(f"{kind[:-1]} {name}: only in the register")
            elif kind != "tables":
                if left[name] != right[name]:
                    found.append(f"{kind[:-1]} {name}: {left[name]} != {right[name]}")
            else:
                for part, value in left[name].items():
                    if value != right[name][part]:
                        found.append(f"table {name} {part}: {value} != {right[name][part]}")
    return found


@pytest.fixture
def new_store(tmp_path: Path) -> Path:
    path = tmp_path / "revmental.db"
    open_store(path, create=True).close()
    return path


@pytest.fixture
def new_register(pg_database: str) -> str:
    open_store(pg_database, create=True).close()
    return pg_database


def _execute(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


@pytest.mark.postgres
def test_a_new_register_has_the_new_sqlite_stores_schema(
    new_store: Path, new_register: str
) -> None:
    sqlite, pg = sqlite_catalog(new_store), pg_catalog(new_register)
    assert differences(sqlite, pg) == []
    # The comparison compared something: every table, its guards and both triggers.
    assert len(sqlite["tables"]) >= 13
    assert {"certificates_never_deleted", "certificates_stay_revoked"} <= set(pg["triggers"])
    assert pg["indexes"]["certificates_one_standing"][3] == "revoked_at is null"
    # A roster import may swap two NDHs in one statement: checked at its end, not row by row.
    assert pg["deferrable_unique"] == {("enrollments", ("cohort_id", "ndh"))}


# One side changed and not the other: each must show. The register's side...
CHANGED_IN_THE_REGISTER = {
    "a column added": "ALTER TABLE history ADD COLUMN host TEXT",
    "NOT NULL dropped": "ALTER TABLE people ALTER COLUMN name DROP NOT NULL",
    "a default changed": "ALTER TABLE cohorts ALTER COLUMN status SET DEFAULT 'closed'",
    "REAL kept 4 bytes": "ALTER TABLE scores ALTER COLUMN value TYPE real",
    "a foreign key made immediate": "ALTER TABLE enrollments ALTER CONSTRAINT "
    "enrollments_nip_fkey NOT DEFERRABLE",
    "an index dropped": "DROP INDEX certificates_by_code",
    "a partial index made whole": "DROP INDEX certificates_one_standing; CREATE UNIQUE INDEX "
    "certificates_one_standing ON certificates (cohort_id, nip)",
    "a trigger dropped": "DROP TRIGGER certificates_stay_revoked ON certificates",
    "a check dropped": "ALTER TABLE sessions DROP CONSTRAINT sessions_jp_check",
    "a unique constraint dropped": "ALTER TABLE certificates DROP CONSTRAINT "
    "certificates_cohort_id_seq_key",
}
# ... and the SQLite store's (a migration with no PostgreSQL entry).
CHANGED_IN_THE_STORE = {
    "a table added": "CREATE TABLE rooms (id TEXT PRIMARY KEY) STRICT",
    "an index added": "CREATE INDEX people_by_agency ON people (agency)",
}


@pytest.mark.postgres
@pytest.mark.parametrize("change", CHANGED_IN_THE_REGISTER)
def test_a_change_to_the_register_only_is_found(
    new_store: Path, new_register: str, change: str
) -> None:
    _execute(new_register, CHANGED_IN_THE_REGISTER[change])
    assert differences(sqlite_catalog(new_store), pg_catalog(new_register)) != []


@pytest.mark.postgres
@pytest.mark.parametrize("change", CHANGED_IN_THE_STORE)
def test_a_change_to_the_sqlite_store_only_is_found(
    new_store: Path, new_register: str, change: str
) -> None:
    conn = sqlite3.connect(new_store)
    conn.execute(CHANGED_IN_THE_STORE[change])
    conn.close()
    assert differences(sqlite_catalog(new_store), pg_catalog(new_register)) != []


# A register records schema 6 as applied and never runs it again: what a new register gets
# under that name must stay what every register already has. The digest is of the DDL that
# the pg_dump of registers made before the translation matched, statement for statement,
# with its white space folded: another SQLite version may lay out an altered table's CREATE
# differently, which PostgreSQL reads the same.
SCHEMA_6_SHA256 = "5053d4d189885758c560ed373329fb38e4c7740a3f8335b5128f87a4faee02ad"


def test_schema_6_of_the_register_is_frozen() -> None:
    import hashlib

    ddl = " ".join(translated("m006_documents_and_more_people").split())
    assert hashlib.sha256(ddl.encode()).hexdigest() == SCHEMA_6_SHA256, (
        "migrations 1-6 or their translation changed what a new register gets as schema 6; "
        "registers made before keep the old one: add a new migration instead"
    )


def test_schema_6_is_translated_from_the_migrations_up_to_6_only() -> None:
    names = {
        name for _kind, name, _sql in pg_schema.sqlite_catalog("m005_one_standing_certificate")
    }
    assert "certificates_one_standing" in names
    assert not {"certificate_files", "remedials", "certificates_by_code"} & names
    ddl = translated("m006_documents_and_more_people")
    assert "STRICT" not in ddl and " REAL" not in ddl and "--" not in ddl
    # PostgreSQL checks a REFERENCES when the table is made: parents come first.
    assert ddl.index('CREATE TABLE "people"') < ddl.index("CREATE TABLE enrollments")
    assert ddl.index("CREATE TABLE enrollments") < ddl.index("CREATE TABLE attendance")


def test_a_trigger_without_a_translation_is_refused() -> None:
    with pytest.raises(ValueError, match="no PostgreSQL translation"):
        pg_schema._trigger(
            "CREATE TRIGGER t AFTER INSERT ON people BEGIN UPDATE people SET name = ''; END"
        )
