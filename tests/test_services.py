"""The services called directly, on a real store: what they decide inside the write, what they
return instead of printing, and the layering of commands and services.

The stores are prepared with the real commands (as every other test does); the services are
then called with a store of their own, the way a command calls them.
"""

from __future__ import annotations

import ast
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from revmental_cli.errors import InputError, NotFound, ValidationFailed
from revmental_cli.store import Store, open_store
from revmental_cli.store.cohorts import cohort as cohort_row
from tests.conftest import ROOT, RunCli, query

if TYPE_CHECKING:
    from revmental_cli.domain.cohort import Cohort
    from revmental_cli.services.attendance_plan import SessionPlan

pytestmark = pytest.mark.both_backends

PACKAGE = ROOT / "revmental_cli"
PRM_ID = "PRM-2021-II"
NDH1 = "198309222012091919"
NDH2 = "198010062002042080"


@pytest.fixture
def store(enrolled: Path) -> Iterator[Store]:
    with open_store(enrolled, create=False) as opened:
        opened.command = "revmental test"
        yield opened


def count(db: Path, sql: str, params: tuple[object, ...] = ()) -> int:
    return int(query(db, sql, params)[0][0])


def another_process_marks(db: Path, session: int, nip: str) -> None:
    """What a concurrent `attendance mark` leaves behind: a committed row, another connection."""
    with open_store(db, create=False) as other:
        from revmental_cli.services import attendance

        attendance.mark(other, PRM_ID, session, [nip], "present", None)


# --- cohorts ------------------------------------------------------------------------------------


def test_open_refuses_data_recorded_after_the_decision_was_shown(
    store: Store, enrolled: Path, examples: Path, tmp_path: Path
) -> None:
    """The dry-run decision (nothing recorded for session 11) is not the one that writes:
    a mark recorded since makes the open refuse, and the mark stands."""
    from revmental_cli.cohort_file import read_definition
    from revmental_cli.services import cohorts

    text = (examples / "prm-2021-ii.yaml").read_text(encoding="utf-8")
    last = text.index("  - date: 2021-10-29")
    changed = tmp_path / "changed.yaml"
    changed.write_text(text[:last] + text[text.index("attendance:", last) :], encoding="utf-8")
    loaded = read_definition(changed)
    shown = cohorts.decide(store, loaded.cohort, changed, force=False)
    assert shown.changes and not shown.dropped
    another_process_marks(enrolled, 11, NDH1)
    with pytest.raises(InputError, match="would delete recorded data"):
        cohorts.open_cohort(store, loaded.cohort, changed, loaded.sha256, force=False)
    assert count(enrolled, "SELECT count(*) FROM attendance WHERE session = 11") == 1
    # With --force the decision names what it deletes.
    forced = cohorts.open_cohort(store, loaded.cohort, changed, loaded.sha256, force=True)
    assert forced.written and forced.reset == {11} and len(forced.dropped) == 1
    assert count(enrolled, "SELECT count(*) FROM attendance WHERE session = 11") == 0


def test_close_twice_writes_once(store: Store, enrolled: Path) -> None:
    from revmental_cli.services import cohorts

    assert cohorts.close(store, PRM_ID).already is False
    assert cohorts.close(store, PRM_ID).already is True
    assert count(enrolled, "SELECT count(*) FROM history WHERE summary LIKE '% closed'") == 1


# --- attendance ---------------------------------------------------------------------------------


def test_mark_checks_the_session_in_the_cohort_as_it_is_now(
    store: Store, enrolled: Path, examples: Path, tmp_path: Path
) -> None:
    from revmental_cli.cohort_file import read_definition
    from revmental_cli.services import attendance, cohorts

    text = (examples / "prm-2021-ii.yaml").read_text(encoding="utf-8")
    last = text.index("  - date: 2021-10-29")
    changed = tmp_path / "changed.yaml"
    changed.write_text(text[:last] + text[text.index("attendance:", last) :], encoding="utf-8")
    loaded = read_definition(changed)
    with open_store(enrolled, create=False) as other:
        cohorts.open_cohort(other, loaded.cohort, changed, loaded.sha256, force=False)
    with pytest.raises(NotFound, match="has no session 11"):
        attendance.mark(store, PRM_ID, 11, [NDH1], "present", None)


def test_mark_returns_what_it_replaces_instead_of_printing(
    store: Store, enrolled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from revmental_cli.services import attendance

    marked = attendance.mark(store, PRM_ID, 1, [NDH1, NDH2, NDH1], "sick", "surat dokter")
    assert list(marked.names) == [NDH1, NDH2]  # each NIP once, in the order given
    assert marked.replaced == []  # nothing imported before
    assert capsys.readouterr() == ("", "")
    assert count(enrolled, "SELECT count(*) FROM attendance WHERE source = 'manual'") == 2


def import_zoom(
    store: Store, cohort: Cohort, *, dry_run: bool, notes: list[str]
) -> list[SessionPlan]:
    """The example Zoom report of session 1 through the service, what it says into ``notes``."""
    from revmental_cli.services import attendance

    report = ROOT / "examples" / "attendance" / "zoom-sesi-01.csv"
    return attendance.import_reports(
        store,
        cohort,
        [report],
        session_no=None,
        fmt=None,
        overwrite=False,
        dry_run=dry_run,
        info=notes.append,
        warn=notes.append,
    )


def test_an_import_plan_is_typed_and_its_document_is_the_contract(
    store: Store, enrolled: Path
) -> None:
    notes: list[str] = []
    cohort = cohort_row(store, PRM_ID).cohort
    (plan,) = import_zoom(store, cohort, dry_run=True, notes=notes)
    assert plan.session == 1 and plan.written is False
    assert sum(plan.summary.values()) == len(plan.participants)
    document = plan.document()
    assert list(document) == [
        "cohort", "session", "file", "files", "format", "written", "participants",
        "unmatched", "host", "summary", "created", "updated", "unchanged", "kept_manual",
    ]  # fmt: skip
    assert list(document["participants"][0]) == [
        "ndh", "nip", "name", "status", "minutes", "first_join", "matched_by",
    ]  # fmt: skip
    assert count(enrolled, "SELECT count(*) FROM attendance") == 0  # a dry run


def test_an_import_refuses_a_cohort_reloaded_after_its_files_were_placed(
    store: Store, enrolled: Path, examples: Path
) -> None:
    """The files were placed in the old schedule: written against the new one they would
    credit the wrong session."""
    from revmental_cli.cohort_file import read_definition
    from revmental_cli.services import cohorts

    cohort = cohort_row(store, PRM_ID).cohort
    path = examples / "prm-2021-ii.yaml"
    text = path.read_text(encoding="utf-8").replace('end: "10:30"', 'end: "10:45"')
    changed = path.with_name("later.yaml")
    changed.write_text(text, encoding="utf-8")
    loaded = read_definition(changed)
    with open_store(enrolled, create=False) as other:
        cohorts.open_cohort(other, loaded.cohort, changed, loaded.sha256, force=False)
    with pytest.raises(InputError, match="changed by `revmental cohort open`"):
        import_zoom(store, cohort, dry_run=False, notes=[])
    assert count(enrolled, "SELECT count(*) FROM attendance") == 0


# --- scores, certificates, privacy ---------------------------------------------------------------


def test_set_score_checks_the_roster_under_the_lock(store: Store) -> None:
    from revmental_cli.services import scores

    assert scores.set_score(store, PRM_ID, NDH1, "Sikap dan Perilaku", 85.5) == "sikap"
    with pytest.raises(NotFound, match="unknown component"):
        scores.set_score(store, PRM_ID, NDH1, "nope", 80)
    with pytest.raises(NotFound, match="not on the roster"):
        scores.set_score(store, PRM_ID, "199001012020121001", "sikap", 80)


def test_score_import_refuses_a_participant_erased_meanwhile(
    store: Store, enrolled: Path, tmp_path: Path
) -> None:
    from revmental_cli.importers.scores import parse_scores
    from revmental_cli.importers.tabular import read_table
    from revmental_cli.services import privacy, scores

    sheet = tmp_path / "nilai.csv"
    sheet.write_text(f"NIP;sikap\n{NDH1};80\n{NDH2};90\n", encoding="utf-8")
    cohort = cohort_row(store, PRM_ID).cohort
    with read_table(sheet) as table:
        parsed = parse_scores(table, cohort.completion.components)
    assert scores.sheet_problems(store, cohort, parsed, sheet.name, "NIP") == []
    with open_store(enrolled, create=False) as other:
        privacy.forget(other, NDH2)
    with pytest.raises(ValidationFailed) as refused:
        scores.import_scores(
            store, cohort, parsed, sheet, "0" * 64, nip_header="NIP", dry_run=False
        )
    assert [p.line for p in refused.value.problems] == [3]
    assert count(enrolled, "SELECT count(*) FROM scores") == 0


def test_issue_twice_numbers_nobody_twice(cli: RunCli, store: Store, enrolled: Path) -> None:
    from revmental_cli.services import certificates

    for session in range(1, 12):
        run = cli("attendance", "mark", NDH1, "--session", str(session), "--status", "hadir")
        assert run.exit_code == 0, run.stderr
    for key in ("sikap", "akademik", "rancangan"):
        assert cli("score", "set", NDH1, key, "90").exit_code == 0
    first = certificates.issue(store, PRM_ID)
    assert [a.nip for _number, a in first.numbered] == [NDH1] and first.already == 0
    again = certificates.issue(store, PRM_ID)
    assert again.numbered == [] and again.already == 1
    number = first.numbered[0][0]
    assert certificates.revoke(store, number, "salah nama").already is False
    assert certificates.revoke(store, number, "salah nama").already is True
    found, cohort = certificates.find(store, f"  {number} ")
    assert found.revoked_at is not None and cohort.id == PRM_ID
    assert count(enrolled, "SELECT count(*) FROM certificates") == 1


def test_forget_twice_erases_once(store: Store, enrolled: Path) -> None:
    from revmental_cli.services import privacy

    assert privacy.name_of(store, NDH1)
    pseudonym = privacy.forget(store, NDH1)
    assert pseudonym.startswith("X")
    with pytest.raises(NotFound):
        privacy.forget(store, NDH1)
    assert count(enrolled, "SELECT count(*) FROM history WHERE summary LIKE 'personal%'") == 1


def test_the_completion_report_data_counts_active_participants(store: Store) -> None:
    from revmental_cli.domain.completion import sessions_ahead
    from revmental_cli.services.outcomes import assessed_for, completion_data

    cohort = cohort_row(store, PRM_ID).cohort
    data = completion_data(cohort, assessed_for(store, cohort))
    assert sum(data["summary"].values()) == len(data["participants"]) == 25
    assert sessions_ahead(cohort, dt.date(2021, 9, 1))  # the caller passes today


# --- layering -------------------------------------------------------------------------------------


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_no_command_module_imports_another() -> None:
    shared = {"revmental_cli.commands", "revmental_cli.commands.options"}
    for path in (PACKAGE / "commands").glob("*.py"):
        own = f"revmental_cli.commands.{path.stem}"
        others = {
            m
            for m in _imports(path)
            if m.startswith("revmental_cli.commands.")
            and m not in shared
            and m != own
            # `from revmental_cli.commands import noun_app, options` names the shared ones
            and m not in {"revmental_cli.commands.noun_app", "revmental_cli.commands.NOUNS"}
        }
        assert not others, (path.name, others)


def test_services_never_import_commands_nor_print() -> None:
    for path in (PACKAGE / "services").glob("*.py"):
        imported = _imports(path)
        assert not any(m.startswith("revmental_cli.commands") for m in imported), path.name
        assert "revmental_cli.render" not in imported and "rich" not in imported, path.name
        assert "print(" not in path.read_text(encoding="utf-8"), path.name
