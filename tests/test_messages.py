"""Messages as data: every ``Msg`` of the code is in the catalog with the same placeholders, is
made with the parameters its text names, and is translated from its msgid only; English text
is never read back into a message (no pattern table, no regex back-translation)."""

from __future__ import annotations

import ast
import datetime as dt
import pickle
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from revmental_cli import i18n
from revmental_cli.messages import Joined, Msg
from tests.conftest import ROOT, RunCli

babel = pytest.importorskip("babel", reason="the catalog checks need Babel (pip install babel)")

PACKAGE = ROOT / "revmental_cli"


@dataclass
class Call:
    where: str
    msgid: str
    keywords: set[str] | None  # None: **params, not known from the source


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _msg_calls() -> list[Call]:
    calls = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "messages.py" and path.parent == PACKAGE:
            continue  # Msg itself, rebuilt from its parts when unpickled
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "Msg"
            ):
                continue
            where = f"{path.relative_to(ROOT).as_posix()}:{node.lineno}"
            first = node.args[0] if node.args else None
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                calls.append(Call(where, "", set()))  # reported: not extractable
                continue
            keywords: set[str] | None = {k.arg for k in node.keywords if k.arg is not None}
            if any(k.arg is None for k in node.keywords):
                keywords = None
            calls.append(Call(where, first.value, keywords))
    return calls


CALLS = _msg_calls()


@pytest.fixture(scope="module")
def catalog() -> dict[str, Any]:
    from babel.messages.pofile import read_po

    po = PACKAGE / "locale" / "id" / "LC_MESSAGES" / "revmental.po"
    with po.open("rb") as fh:
        return {
            (m.id[0] if isinstance(m.id, tuple) else m.id): m
            for m in read_po(fh, locale="id", domain="revmental")
            if m.id
        }


def test_the_code_makes_messages() -> None:
    """The producers that keep English on purpose make Msg: the store, the domain's reasons."""
    places = {c.where.split(":")[0] for c in CALLS}
    for module in (
        "revmental_cli/store/connection.py",
        "revmental_cli/store/cohorts.py",
        "revmental_cli/store/roster_import.py",
        "revmental_cli/store/failures.py",
        "revmental_cli/domain/completion.py",
        "revmental_cli/domain/matching.py",
        "revmental_cli/domain/cohort.py",
    ):
        assert module in places, module


def test_every_msgid_is_a_literal() -> None:
    """scripts/i18n.py extracts string literals only: a computed msgid is never translated."""
    assert not [c.where for c in CALLS if not c.msgid]


def test_every_msg_is_in_the_catalog_with_its_placeholders(catalog: dict[str, Any]) -> None:
    wrong = []
    for call in CALLS:
        entry = catalog.get(call.msgid)
        if entry is None or not str(entry.string).strip() or entry.fuzzy:
            wrong.append(f"{call.where}: not translated: {call.msgid!r}")
        elif _fields(str(entry.string)) != _fields(call.msgid):
            wrong.append(f"{call.where}: placeholders differ: {entry.string!r}")
    assert not wrong, "python scripts/i18n.py extract, translate, compile:\n" + "\n".join(wrong)


def test_every_msg_is_given_the_parameters_its_text_names() -> None:
    wrong = [
        f"{c.where}: {c.msgid!r} given {sorted(c.keywords)}"
        for c in CALLS
        if c.msgid and c.keywords is not None and c.keywords != _fields(c.msgid)
    ]
    assert not wrong, "\n".join(wrong)


# --- no back-translation -----------------------------------------------------------------------


def test_the_pattern_table_is_gone() -> None:
    assert not hasattr(i18n, "_PATTERNS")
    assert not hasattr(i18n, "_compiled")


@pytest.fixture
def indonesian(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REVMENTAL_LANG", "id")


def test_english_text_is_never_read_back_into_a_message(indonesian: None) -> None:
    """The English of every Msg, as a plain str, comes out of localize as it went in: only a
    Msg is translated (by its msgid), never a text that happens to read like one."""
    read_back = []
    for call in CALLS:
        if not call.msgid:
            continue
        params = {name: "1" for name in _fields(call.msgid)}  # fits any old pattern
        english = call.msgid.format(**params)
        if i18n.localize(english) != english:
            read_back.append(f"{call.where}: {english!r}")
        assert i18n.localize(Msg(call.msgid, **params)) == i18n._(call.msgid).format(**params)
    assert not read_back, "English text translated by pattern:\n" + "\n".join(read_back)


def test_i18n_reads_no_english_back() -> None:
    """No table of regular expressions beside the msgids (the old back-translation)."""
    tree = ast.parse((PACKAGE / "i18n.py").read_text(encoding="utf-8"))
    pairs = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Tuple)
        and len(node.elts) == 2
        and isinstance(node.elts[0], ast.Constant)
        and isinstance(node.elts[1], ast.Call)
        and getattr(node.elts[1].func, "id", "") == "N_"
    ]
    assert not pairs, f"(pattern, msgid) pairs in i18n.py at lines {pairs}"


def test_store_services_and_domain_translate_nothing() -> None:
    """They say what they mean with a Msg; render translates it once, where it is shown. The
    one exception: FieldError's str(), which reads a rule's message in the user's language
    for whoever still builds text from it (the roster parser's row errors)."""
    found = []
    for folder in ("store", "services", "domain"):
        for path in sorted((PACKAGE / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            where = path.relative_to(ROOT).as_posix()
            found += [
                f"{where}:{node.lineno}"
                for node in ast.walk(tree)
                if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("_", "ngettext")
            ]
            found += [
                f"{where}:{node.lineno}: imports i18n"
                for node in tree.body
                if isinstance(node, ast.ImportFrom) and node.module == "revmental_cli.i18n"
            ]
    assert not found, "\n".join(found)


def test_a_field_error_reads_in_the_users_language(indonesian: None) -> None:
    from revmental_cli.domain.person import FieldError, normalize_nip

    with pytest.raises(FieldError) as caught:
        normalize_nip("1983", today=dt.date(2026, 1, 1))
    assert isinstance(caught.value.message, Msg)
    assert caught.value.message == "NIP must have 18 digits, found 4"  # English, as data
    assert (
        str(caught.value)
        == i18n.localize(caught.value.message)
        == ("NIP harus 18 digit, ditemukan 4")
    )


# --- what a Msg carries ------------------------------------------------------------------------


def test_a_msg_is_its_english_text() -> None:
    reason = Msg("attendance {pct}% < {min}%", pct="83.3", min="90")
    assert reason == "attendance 83.3% < 90%"
    assert isinstance(reason, str)
    assert f"{reason}" == "attendance 83.3% < 90%"
    again = pickle.loads(pickle.dumps(reason))
    assert isinstance(again, Msg) and again.params == reason.params


def test_a_msg_is_translated_with_its_parameters(indonesian: None) -> None:
    reason = Msg("attendance {pct}% < {min}%", pct="83.3", min="90")
    assert i18n.localize(reason) == "kehadiran 83,3% < 90%"
    wrapped = Msg(
        "this change to {cohort} would delete recorded data: {lost}", cohort="A", lost=reason
    )
    assert "kehadiran 83,3% < 90%" in i18n.localize(wrapped)
    assert i18n.localize("attendance 83.3% < 90%") == "attendance 83.3% < 90%"


def test_joined_messages_are_translated_part_by_part(
    indonesian: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    both = Joined([Msg("no match"), Msg("missing score: {key}", key="esai"), "as written"])
    assert both == "no match; missing score: esai; as written"
    assert i18n.localize(both) == "tidak ada yang cocok; nilai belum ada: esai; as written"
    again = pickle.loads(pickle.dumps(both))
    assert isinstance(again, Joined) and i18n.localize(again) == i18n.localize(both)
    monkeypatch.setenv("REVMENTAL_LANG", "en")
    assert i18n.localize(both) == "no match; missing score: esai; as written"


def test_completion_reasons_are_messages(indonesian: None) -> None:
    from revmental_cli.domain.completion import AttendanceSummary, decide
    from tests.test_completion_rules import RULES

    outcome = decide(RULES, AttendanceSummary(10, 12, 12), {"sikap": 50, "akademik": 50})
    assert outcome.reasons == ("attendance 83.3% < 90%", "missing score: rancangan")
    assert all(isinstance(r, Msg) for r in outcome.reasons)
    outcome = decide(RULES, AttendanceSummary(12, 12, 12), {"sikap": 50, "rancangan": 50})
    assert outcome.reasons == (
        "final score 40.00 < 70.01",
        "missing score: akademik (counted as 0)",
    )
    assert all(i18n.localize(r) != r for r in outcome.reasons)


def test_describe_changes_lines_are_messages(indonesian: None) -> None:
    from dataclasses import replace

    from revmental_cli.cohort_file import read_definition
    from revmental_cli.domain.cohort import describe_changes

    old = read_definition(ROOT / "cohorts" / "prm-2021-ii.yaml").cohort
    sessions = list(old.sessions)
    sessions[0] = replace(sessions[0], title="Judul baru", date=dt.date(2021, 9, 30))
    new = replace(old, sessions=tuple(sessions))
    lines = describe_changes(old, new)
    assert lines == ["session 1 changed: date, title"]
    assert i18n.localize(lines[0]) == i18n._("session {n} changed: {fields}").format(
        n=1, fields="date, title"
    )
    assert i18n.localize(lines[0]) != lines[0]


# --- the history and JSON stay English ----------------------------------------------------------


def test_what_force_deletes_is_recorded_in_english_and_shown_in_indonesian(
    cli: RunCli, prm: Path, store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_cohort_commands import PRM_ID, TWO_COMPONENTS, add_score, edit, enrol, query

    enrol(store_path, PRM_ID)
    add_score(store_path, PRM_ID, "akademik")
    edit(prm, TWO_COMPONENTS, "    - {key: sikap, name: Sikap dan Perilaku, weight: 50}\n")
    monkeypatch.setenv("REVMENTAL_LANG", "id")
    refused = cli("cohort", "open", str(prm))
    assert refused.exit_code == 1
    assert "akan menghapus data yang sudah tercatat: nilai komponen 'akademik'" in refused.stderr
    run = cli("cohort", "open", "--force", str(prm))
    assert run.exit_code == 0, run.stderr
    assert "--force: menghapus nilai komponen 'akademik' (1 catatan)" in run.stderr
    assert "komponen nilai akademik dihapus" in run.stderr
    (summary,) = query(store_path, "SELECT summary FROM history ORDER BY id DESC LIMIT 1")[0]
    assert summary == (
        f"{PRM_ID} updated: score component akademik removed; score component sikap changed; "
        "deleted with --force: scores for component 'akademik' (1 records)"
    )


def test_store_errors_are_indonesian(
    cli: RunCli, prm: Path, tmp_path: Path, indonesian: None
) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    run = cli("db", "backup", str(folder))
    assert "kesalahan: " in run.stderr and "adalah folder" in run.stderr
    assert "sebutkan nama berkas cadangan di dalamnya" in run.stderr
    other = tmp_path / "other.db"
    other.write_bytes(b"not a database at all, not even close" * 4)
    run = cli("--db", str(other), "cohort", "list")
    assert run.exit_code == 4
    assert "bukan basis data revmental" in run.stderr
    assert "not a revmental store" not in run.stderr
