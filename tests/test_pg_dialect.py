"""The store's SQL as PostgreSQL reads it (store/pg.py): no server needed."""

from __future__ import annotations

import pytest

pytest.importorskip("psycopg")

from revmental_cli.store.pg import check_url, describe, to_postgres
from tests.conftest import RunCli


@pytest.mark.parametrize(
    ("sqlite", "postgres"),
    [
        ("SELECT name FROM people WHERE nip = ?", "SELECT name FROM people WHERE nip = %s"),
        ("WHERE a IS NOT b AND c IS NOT NULL", "WHERE a IS DISTINCT FROM b AND c IS NOT NULL"),
        (
            "WHERE e.ndh IS s.ndh OR x IS NULL",
            "WHERE e.ndh IS NOT DISTINCT FROM s.ndh OR x IS NULL",
        ),
        ("WHERE id LIKE ?", "WHERE id ILIKE %s"),
        ("ORDER BY line LIMIT -1 OFFSET ?", "ORDER BY line OFFSET %s"),
        ("DROP TABLE IF EXISTS temp.staging", "DROP TABLE IF EXISTS pg_temp.staging"),
        (
            "CREATE INDEX temp.staging_ndh ON staging (ndh)",
            "CREATE INDEX staging_ndh ON staging (ndh)",
        ),
        ("UPDATE t SET c = ? WHERE rowid = ?", "UPDATE t SET c = %s WHERE ctid = %s"),
        ("WHERE instr(summary, ?) > 0", "WHERE strpos(summary, %s) > 0"),
        ("WHERE file LIKE ? || '%'", "WHERE file ILIKE %s || '%%'"),
        ("PRAGMA defer_foreign_keys = ON", "SET CONSTRAINTS ALL DEFERRED"),
        # Prose in a literal keeps its words.
        ("SELECT 'it is what it is' WHERE x = ?", "SELECT 'it is what it is' WHERE x = %s"),
    ],
)
def test_translation(sqlite: str, postgres: str) -> None:
    assert to_postgres(sqlite) == postgres


def test_without_parameters_a_percent_stays_single() -> None:
    assert to_postgres("SELECT '100%'", False) == "SELECT '100%'"


def test_a_password_in_the_address_is_refused_and_never_repeated() -> None:
    from revmental_cli.errors import InputError

    for url in (
        "postgresql://admin:hunter2@db.example/revmental",
        "postgresql://admin@db.example/revmental?password=hunter2",
    ):
        with pytest.raises(InputError) as refused:
            check_url(url)
        assert "hunter2" not in str(refused.value.message)
    check_url("postgresql://admin@db.example:5433/revmental")
    assert describe("postgresql://a:b@h/d") == "postgresql://a@h/d"


def test_a_register_without_the_driver_says_what_to_install(
    cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if it were not installed
    run = cli("--db", "postgresql://admin@db.example/revmental", "cohort", "list")
    assert run.exit_code == 1
    assert 'pip install "revmental[postgres]"' in run.stderr
    assert "Traceback" not in run.stderr
