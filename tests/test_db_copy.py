"""`revmental db copy --to`: a laptop's store moved into the shared register, all or nothing.

The source is made by the README's journey (cohort open, roster, Zoom reports, scores,
certificates) on the test's SQLite file; the target is a fresh PostgreSQL register or a new
SQLite file. What the target shows afterwards must be what the source showed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from revmental_cli.store.connection import TABLES
from tests.conftest import ROOT, RunCli, query
from tests.test_journey import COHORT, journey

NIP_AHMAD = "198309222012091919"  # NDH 1 of the example roster
NUMBERS = [f"{seq:03d}/STTP/PRM-II/PKASN/2021" for seq in range(1, 22)]


def ok(result: Any) -> Any:
    assert result.exit_code == 0, result.stderr
    return result


@pytest.fixture(params=["file", pytest.param("pg", marks=pytest.mark.postgres)])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """Where the copy goes: a new SQLite file, or a fresh PostgreSQL register."""
    if request.param == "pg":
        return str(request.getfixturevalue("pg_database"))
    return tmp_path / "register" / "revmental.db"


@pytest.fixture
def source(cli: RunCli, store_path: Path) -> Path:
    """The test's own SQLite store with PRM-2021-II's journey and its 21 certificates."""
    journey(cli)
    ok(cli("certificate", "issue"))
    return store_path


def views(cli: RunCli, *db: str) -> dict[str, Any]:
    """What the commands show of PRM-2021-II, from the store of ``db`` (--db) or the test's."""
    cohort = ("--cohort", "PRM-2021-II")
    return {
        "completion": ok(cli(*db, "report", "completion", "--json", *cohort)).json(),
        "roster": ok(cli(*db, "roster", "show", "--json", *cohort)).json(),
        "certificates": ok(cli(*db, "certificate", "list", "--json", *cohort)).json(),
        "history": ok(cli(*db, "history", "--json")).json(),
    }


def dump(db: Path | str) -> dict[str, list[str]]:
    """Every row of every table, in a stable order: the store's whole content."""
    if isinstance(db, Path) and not db.exists():
        return {}
    return {t: sorted(repr(r) for r in query(db, f"SELECT * FROM {t}")) for t in sorted(TABLES)}


def as_db(where: Path | str) -> str:
    return str(where)


def test_the_copy_shows_what_the_source_showed(
    cli: RunCli, source: Path, target: Path | str
) -> None:
    before = views(cli)
    source_rows = dump(source)

    copied = ok(cli("db", "copy", "--to", as_db(target), "--json")).json()
    assert copied["cohorts"] == ["PRM-2021-II"]
    assert (copied["participants"], copied["certificates"]) == (25, 21)
    assert copied["people"] == {"new": 25, "kept": 0, "filled": 0}

    after = views(cli, "--db", as_db(target))
    for view in ("completion", "roster", "certificates"):
        assert after[view] == before[view], view
    assert after["history"][:-1] == before["history"]
    last = after["history"][-1]
    assert last["command"] == "revmental db copy"
    assert last["summary"] == (
        f"copied from {source} by db copy: 1 cohorts, 25 participants, 21 certificates"
    )
    # The current cohort came along (the register had none): commands need no --cohort.
    assert ok(cli("--db", as_db(target), "cohort", "list", "--json")).json()

    # The source is unchanged but for the line that records the export.
    now = dump(source)
    assert {t: r for t, r in now.items() if t != "history"} == {
        t: r for t, r in source_rows.items() if t != "history"
    }
    source_history = ok(cli("history", "--json")).json()
    assert source_history[:-1] == before["history"]
    export = source_history[-1]
    assert export["summary"].startswith("export: PRM-2021-II (1 cohorts, 25 participants")
    assert export["file"] == str(target)


@pytest.mark.postgres
def test_a_second_copy_is_refused_naming_the_cohort(
    cli: RunCli, source: Path, pg_database: str
) -> None:
    ok(cli("db", "copy", "--to", pg_database))
    register = dump(pg_database)
    history = ok(cli("history", "--json")).json()

    again = cli("db", "copy", "--to", pg_database)
    assert again.exit_code == 1
    assert "  cohort PRM-2021-II\n" in again.stderr
    assert "nothing was copied" in again.stderr
    assert "--cohort ID" in again.stderr  # the hint
    for number in NUMBERS:  # its certificates are there too: all of them named
        assert number in again.stderr
    assert dump(pg_database) == register
    assert ok(cli("history", "--json")).json() == history  # no export recorded


@pytest.mark.postgres
def test_colliding_certificate_numbers_are_refused_and_named(
    cli: RunCli, source: Path, pg_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(cli("db", "copy", "--to", pg_database))
    register = dump(pg_database)

    # Another laptop: a cohort of another id whose number format gives the same numbers.
    other = tmp_path / "laptop2" / "revmental.db"
    monkeypatch.setenv("REVMENTAL_DB", str(other))
    renamed = tmp_path / "prm-b.yaml"
    text = COHORT.read_text(encoding="utf-8").replace("id: PRM-2021-II", "id: PRM-2021-IIB", 1)
    renamed.write_text(text, encoding="utf-8")
    ok(cli("cohort", "open", str(renamed)))
    ok(cli("roster", "import", str(ROOT / "examples" / "peserta-prm-2021-ii.csv")))
    ok(cli("score", "import", str(ROOT / "examples" / "nilai-prm-2021-ii.csv")))
    _attend_everything(cli)
    ok(cli("certificate", "issue"))
    issued = [c["number"] for c in ok(cli("certificate", "list", "--json")).json()]
    assert issued and set(issued) <= set(NUMBERS)

    refused = cli("db", "copy", "--to", pg_database)
    assert refused.exit_code == 1, refused.stderr
    assert "cohort PRM-2021-IIB" not in refused.stderr
    for number in issued:
        assert f"  certificate number {number}\n" in refused.stderr
    assert "number_format" in refused.stderr
    assert dump(pg_database) == register

    # A dry run foretells the same refusal.
    dry = cli("db", "copy", "--to", pg_database, "--dry-run")
    assert (dry.exit_code, dry.stderr) == (1, refused.stderr)
    assert dump(pg_database) == register


def _attend_everything(cli: RunCli) -> None:
    """Everyone present at every session, so that the scores alone decide who passes."""
    zoom = ROOT / "examples" / "attendance"
    ok(cli("attendance", "import", *sorted(map(str, zoom.glob("zoom-sesi-*.csv")))))
    for n in (4, 9):
        ok(cli("attendance", "import", str(zoom / f"mandiri-sesi-{n:02d}.csv"), "-s", str(n)))


def test_people_shared_with_the_register_keep_one_row(
    cli: RunCli, source: Path, target: Path | str, tmp_path: Path
) -> None:
    # The register knows Ahmad Fauzi from another cohort, without his e-mail or phone and
    # with his name as the register wrote it.
    # Its programme has PRM's code under a name of its own: the register's name stays.
    latsar = tmp_path / "latsar.yaml"
    text = (ROOT / "cohorts" / "latsar-2022-xiv.yaml").read_text(encoding="utf-8")
    latsar.write_text(text.replace("code: LATSAR", "code: PRM", 1), encoding="utf-8")
    ok(cli("--db", as_db(target), "cohort", "open", str(latsar)))
    roster = tmp_path / "latsar.csv"
    roster.write_text(
        "No;Nama Lengkap;NIP;Tempat Lahir;Tanggal Lahir;Jenis Kelamin;Pangkat/Gol;Jabatan;"
        "Instansi;Unit Kerja;Email;No. HP\n"
        "1;Ahmad Fauzi;19830922 201209 1 919;Surabaya;1983-09-22;L;IV/c;Kepala Seksi;"
        "Lembaga Administrasi Negara;Biro Umum;;\n",
        encoding="utf-8",
    )
    ok(cli("--db", as_db(target), "roster", "import", str(roster), "--cohort", "LATSAR-2022-XIV"))

    copied = ok(cli("db", "copy", "--to", as_db(target), "--json")).json()
    assert copied["people"] == {"new": 24, "kept": 1, "filled": 1}
    assert copied["programmes_new"] == []
    named = "Pelatihan Dasar CPNS Golongan III"
    assert copied["programmes_named_otherwise"] == {"PRM": named}
    assert query(target, "SELECT code, name FROM programmes") == [("PRM", named)]

    rows = query(
        target, "SELECT name, position, email, phone FROM people WHERE nip = ?", (NIP_AHMAD,)
    )
    # The register's own fields stay; the empty ones are filled from the laptop.
    assert rows == [("Ahmad Fauzi", "Kepala Seksi", "ahmad.fauzi@lan.example", "+6281256627199")]
    enrolled = query(
        target, "SELECT cohort_id FROM enrollments WHERE nip = ? ORDER BY cohort_id", (NIP_AHMAD,)
    )
    assert enrolled == [("LATSAR-2022-XIV",), ("PRM-2021-II",)]
    assert query(target, "SELECT count(*) FROM people")[0][0] == 25
    # The register had a current cohort: it keeps it.
    current = query(target, "SELECT value FROM settings WHERE key = 'current_cohort'")
    assert current == [("LATSAR-2022-XIV",)]


@pytest.mark.postgres
def test_a_busy_register_exits_3_and_nothing_is_written(
    cli: RunCli, source: Path, pg_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg

    ok(cli("--db", pg_database, "cohort", "open", str(ROOT / "cohorts" / "latsar-2022-xiv.yaml")))
    register = dump(pg_database)
    history = ok(cli("history", "--json")).json()
    monkeypatch.setenv("REVMENTAL_BUSY_TIMEOUT", "1")
    with psycopg.connect(pg_database, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (0x7265766D,))
        busy = cli("db", "copy", "--to", pg_database)
    assert busy.exit_code == 3, busy.stderr
    assert "is busy" in busy.stderr and "nothing was written" in busy.stderr
    assert dump(pg_database) == register
    assert ok(cli("history", "--json")).json() == history


def test_only_the_cohorts_asked_for_and_a_dry_run_writes_nothing(
    cli: RunCli, source: Path, tmp_path: Path
) -> None:
    ok(cli("cohort", "open", str(ROOT / "cohorts" / "latsar-2022-xiv.yaml")))
    register = tmp_path / "register.db"
    before = dump(source)

    dry = ok(cli("db", "copy", "--to", str(register), "--dry-run", "--json")).json()
    assert dry["dry_run"] is True
    assert dry["cohorts"] == ["LATSAR-2022-XIV", "PRM-2021-II"]
    assert not register.exists()  # a dry run creates no store
    assert dump(source) == before  # and records nothing

    missing = cli("db", "copy", "--to", str(register), "--cohort", "NOPE-1", "-c", "NOPE-2")
    assert missing.exit_code == 1
    assert "NOPE-1, NOPE-2" in missing.stderr
    assert not register.exists()

    copied = ok(cli("db", "copy", "--to", str(register), "-c", "latsar-2022-xiv", "--json"))
    assert copied.json()["cohorts"] == ["LATSAR-2022-XIV"]
    assert query(register, "SELECT id FROM cohorts") == [("LATSAR-2022-XIV",)]
    assert query(register, "SELECT count(*) FROM people") == [(0,)]
    # The other one follows later; the first is refused now, the second goes.
    ok(cli("db", "copy", "--to", str(register), "--cohort", "PRM-2021-II"))
    assert query(register, "SELECT count(*) FROM certificates") == [(21,)]
    # Now that both are there, a dry run foretells the refusal.
    again = cli("db", "copy", "--to", str(register), "--dry-run")
    assert again.exit_code == 1
    assert "  cohort LATSAR-2022-XIV\n  cohort PRM-2021-II\n" in again.stderr


def test_a_store_cannot_be_copied_into_itself_or_into_a_foreign_file(
    cli: RunCli, source: Path, tmp_path: Path
) -> None:
    itself = cli("db", "copy", "--to", str(source))
    assert itself.exit_code == 1 and "into itself" in itself.stderr
    foreign = tmp_path / "notes.db"
    foreign.write_bytes(b"these are not the droids\n")
    refused = cli("db", "copy", "--to", str(foreign))
    assert refused.exit_code == 4, refused.stderr
    assert foreign.read_bytes() == b"these are not the droids\n"
    assert os.path.getsize(foreign) > 0


def test_ctrl_c_halfway_leaves_both_stores_as_they_were(
    cli: RunCli, source: Path, target: Path | str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(cli("--db", as_db(target), "cohort", "open", str(ROOT / "cohorts" / "latsar-2022-xiv.yaml")))
    register, laptop = dump(target), dump(source)
    from revmental_cli.store import copying

    insert = copying.insert

    def interrupted(store: Any, table: str, *args: Any) -> None:
        if table == "certificates":  # cohorts, people and attendance are in by now
            raise KeyboardInterrupt
        insert(store, table, *args)

    monkeypatch.setattr(copying, "insert", interrupted)
    stopped = cli("db", "copy", "--to", as_db(target))
    assert stopped.exit_code == 130
    assert "nothing was written" in stopped.stderr
    assert dump(target) == register
    assert dump(source) == laptop  # no export recorded: nothing left


def test_a_new_file_is_not_left_behind_when_the_copy_fails(
    cli: RunCli, source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from revmental_cli.store import copying

    def broken(*_args: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(copying, "append_history", broken)
    new = tmp_path / "new" / "register.db"
    assert cli("db", "copy", "--to", str(new)).exit_code == 130
    assert not new.exists()  # an empty store would pass for a copy


@pytest.mark.postgres
def test_a_register_copies_into_a_file_too(
    cli: RunCli, pg_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVMENTAL_DB", pg_database)
    journey(cli)
    ok(cli("certificate", "issue"))
    before = views(cli)
    laptop = tmp_path / "laptop.db"
    ok(cli("db", "copy", "--to", str(laptop)))
    after = views(cli, "--db", str(laptop))
    for view in ("completion", "roster", "certificates"):
        assert after[view] == before[view], view
    assert after["history"][:-1] == before["history"]


def test_ctrl_c_after_the_commit_keeps_the_copy_and_its_record(
    cli: RunCli, source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from revmental_cli import outcome

    note_left = outcome.note_left

    def then_ctrl_c() -> None:  # as if Ctrl-C had been pressed during the COMMIT
        note_left()
        raise KeyboardInterrupt

    monkeypatch.setattr(outcome, "note_left", then_ctrl_c)
    new = tmp_path / "new" / "register.db"
    stopped = cli("db", "copy", "--to", str(new))
    assert stopped.exit_code == 130
    assert "it is recorded" in stopped.stderr
    assert query(new, "SELECT count(*) FROM certificates") == [(21,)]
    export = ok(cli("history", "--json")).json()[-1]
    assert export["summary"].startswith("export: PRM-2021-II") and export["file"] == str(new)
