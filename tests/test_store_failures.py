"""The store failing under a command: a full disk, a read-only file or folder, a damaged file,
an unknown schema version, missing tables. Each is said in words with its exit code, never as
"internal error", and a store that could not be created is not left behind.

Full disks are made with ``PRAGMA max_page_count`` on the store's own connection, and for real
with a small tmpfs where the test may mount one; read-only with a read-only bind mount (root
ignores file modes) or file modes when not root, else skipped with the reason.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, RunCli, execute
from tests.test_faults import dump

PRM_ROSTER = ROOT / "examples" / "peserta-prm-2021-ii.csv"
PAGE = 4096


def no_internal_error(result: Any) -> None:
    assert "internal error" not in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture
def store_connections(monkeypatch: pytest.MonkeyPatch, store_path: Path) -> Iterator[list[str]]:
    """PRAGMAs (or a URI mode) to run on every connection the tool opens to the store."""
    pragmas: list[str] = []
    real = sqlite3.connect

    def connect(database: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        if Path(os.fsdecode(database)) != store_path:
            return real(database, *args, **kwargs)
        if "mode=ro" in pragmas:
            conn = real(f"{store_path.as_uri()}?mode=ro", *args, uri=True, **kwargs)
        else:
            conn = real(database, *args, **kwargs)
        for pragma in pragmas:
            if pragma.startswith("PRAGMA max_page_count"):
                pages = conn.execute("PRAGMA page_count").fetchone()[0]
                conn.execute(f"PRAGMA max_page_count = {max(pages, 1)}")
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)
    yield pragmas


# --- a full disk ------------------------------------------------------------------------------


def test_a_full_disk_during_an_import_is_said_and_nothing_is_written(
    cli: RunCli, prm: Path, store_path: Path, store_connections: list[str]
) -> None:
    before = dump(store_path)
    store_connections.append("PRAGMA max_page_count")  # not one page more than it has
    result = cli("roster", "import", str(PRM_ROSTER))
    no_internal_error(result)
    assert result.exit_code == 1, result.stderr
    assert "disk full" in result.stderr and str(store_path) in result.stderr
    assert "nothing was written" in result.stderr
    store_connections.clear()
    assert dump(store_path) == before


def test_a_new_store_that_cannot_be_made_is_not_left_behind(
    cli: RunCli, examples: Path, store_path: Path, store_connections: list[str]
) -> None:
    store_connections.append("PRAGMA max_page_count")  # a new store may not grow at all
    result = cli("cohort", "open", str(examples / "prm-2021-ii.yaml"))
    no_internal_error(result)
    assert result.exit_code == 1 and "disk full" in result.stderr, result.stderr
    assert not store_path.exists()
    assert not store_path.with_name(store_path.name + "-journal").exists()
    store_connections.clear()
    again = cli("cohort", "open", str(examples / "prm-2021-ii.yaml"))
    assert again.exit_code == 0, again.stderr


@contextlib.contextmanager
def mounted(*how: str) -> Iterator[None]:
    """``mount *how`` for the test, or a skip saying why it cannot be done here."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small or read-only file system needs root")
    done = subprocess.run(["mount", *how], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here: {done.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["umount", how[-1]], capture_output=True)


def test_a_real_full_disk_is_said_and_the_store_stays_sound(
    cli: RunCli, examples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bench: Any
) -> None:
    small = tmp_path / "small"
    small.mkdir()
    with mounted("-t", "tmpfs", "-o", "size=400k", "tmpfs", str(small)):
        db = small / "revmental.db"
        monkeypatch.setenv("REVMENTAL_DB", str(db))
        (tmp_path / "bench.yaml").write_text(bench.COHORT_YAML, encoding="utf-8")
        assert cli("cohort", "open", str(tmp_path / "bench.yaml")).exit_code == 0
        before = dump(db)
        roster = tmp_path / "peserta.csv"
        bench.make_roster(roster, 5000)
        result = cli("roster", "import", str(roster))
        no_internal_error(result)
        assert result.exit_code == 1, result.stderr
        assert "disk full" in result.stderr and "nothing was written" in result.stderr
        assert dump(db) == before
        assert cli("db", "check").exit_code == 0


# --- read-only ---------------------------------------------------------------------------------


def test_a_store_opened_read_only_refuses_writes_in_words_and_still_reads(
    cli: RunCli, prm: Path, store_path: Path, store_connections: list[str]
) -> None:
    assert cli("roster", "import", str(PRM_ROSTER)).exit_code == 0
    store_connections.append("mode=ro")
    result = cli("roster", "withdraw", "198309222012091919", "--reason", "mutasi")
    no_internal_error(result)
    assert result.exit_code == 1, result.stderr
    assert str(store_path) in result.stderr and "cannot be written" in result.stderr
    shown = cli("roster", "show", "--json")
    assert shown.exit_code == 0 and len(shown.json()) == 25


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """``folder`` made read-only for real: a read-only bind mount as root, modes otherwise."""
    if os.geteuid() != 0:
        files = [folder, *folder.iterdir()]
        for path in files:
            path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            for path in files:
                path.chmod(0o755 if path.is_dir() else 0o600)
        return
    with mounted("--bind", str(folder), str(folder)):
        remount = subprocess.run(
            ["mount", "-o", "remount,bind,ro", str(folder)], capture_output=True, text=True
        )
        if remount.returncode != 0:
            pytest.skip(f"cannot remount read-only here: {remount.stderr.strip()}")
        yield


def test_a_store_in_a_read_only_folder_reads_and_refuses_writes(
    cli: RunCli, prm: Path, store_path: Path
) -> None:
    assert cli("roster", "import", str(PRM_ROSTER)).exit_code == 0
    before = dump(store_path)
    with read_only(store_path.parent):
        shown = cli("roster", "show", "--json")
        assert shown.exit_code == 0 and len(shown.json()) == 25, shown.stderr
        result = cli("roster", "withdraw", "198309222012091919")
        no_internal_error(result)
        assert result.exit_code == 1, result.stderr
        assert str(store_path) in result.stderr
        backup = cli("db", "backup", str(store_path.parent / "copy.db"))
        no_internal_error(backup)
        assert backup.exit_code == 1
    assert dump(store_path) == before


def test_no_store_is_created_in_a_read_only_folder(
    cli: RunCli, examples: Path, store_path: Path
) -> None:
    store_path.parent.mkdir()
    (store_path.parent / "keep").write_text("")
    with read_only(store_path.parent):
        result = cli("cohort", "open", str(examples / "prm-2021-ii.yaml"))
        no_internal_error(result)
        assert result.exit_code == 1, result.stderr
        assert str(store_path) in result.stderr
    assert not store_path.exists()


# --- damaged stores ---------------------------------------------------------------------------


def overwrite(db: Path, offset: int, data: bytes) -> None:
    with db.open("r+b") as fh:
        fh.seek(offset)
        fh.write(data)


def test_a_store_whose_header_is_garbage_is_unusable_for_db_check(
    cli: RunCli, prm: Path, store_path: Path
) -> None:
    overwrite(store_path, 16, b"\xff" * 84)  # the magic stays, the rest of the header goes
    for args in (("db", "check"), ("roster", "show"), ("cohort", "list")):
        result = cli(*args)
        no_internal_error(result)
        assert result.exit_code == 4, (args, result.stderr)
        assert str(store_path) in result.stderr


def test_every_damaged_page_is_exit_4_or_unnoticed_never_internal_error(
    cli: RunCli, prm: Path, store_path: Path
) -> None:
    assert cli("roster", "import", str(PRM_ROSTER)).exit_code == 0
    pristine = store_path.read_bytes()
    pages = len(pristine) // PAGE
    found = 0
    for page in range(1, pages):  # page 0 (the header) has its own test
        for fill in (bytes(range(256)) * (PAGE // 256), bytes(PAGE)):
            store_path.write_bytes(pristine)
            overwrite(store_path, page * PAGE, fill)
            for args in (("db", "check"), ("roster", "show", "--json"), ("cohort", "show")):
                result = cli(*args)
                no_internal_error(result)
                assert result.exit_code in (0, 4), (page, args, result.stderr)
                if result.exit_code == 4:
                    found += args[0] == "db"
    assert found >= pages // 2  # most pages hold data: damage there is found


def test_a_negative_schema_version_is_refused_not_upgraded(
    cli: RunCli, prm: Path, store_path: Path
) -> None:
    execute(store_path, "PRAGMA user_version = -1")
    before = store_path.read_bytes()
    for args in (("db", "check"), ("cohort", "list"), ("roster", "import", str(PRM_ROSTER))):
        result = cli(*args)
        no_internal_error(result)
        assert result.exit_code == 4, (args, result.stderr)
        assert "unknown schema version (-1)" in result.stderr
    assert store_path.read_bytes() == before  # no migration, no pre-migration copy
    assert not list(store_path.parent.glob("*.pre-migration-*"))


def test_a_store_of_ours_with_tables_missing_is_unusable(
    cli: RunCli, prm: Path, store_path: Path
) -> None:
    execute(store_path, "DROP TABLE remedials")
    for args in (("db", "check"), ("cohort", "list")):
        result = cli(*args)
        no_internal_error(result)
        assert result.exit_code == 4, (args, result.stderr)
        assert "tables missing (remedials)" in result.stderr
