"""`db copy`: a store's cohorts copied whole into another store (usually the shared register).

Owns the decisions of a copy: which cohorts go, what collides (cohort ids, certificate
numbers and codes the target holds already: all of them named, nothing written), whose row
wins for a person both stores know (the target's; the source only fills its empty fields),
which programmes are new, and the two history lines (the target's "copied from", the
source's "export"). Both stores are locked for the whole copy, and the target's rows are
written in one transaction: a copy lands whole or not at all, also on Ctrl-C.

Never prints and never opens the source (the command does); opens the target only through
the store. The SQL is in store/copying.py. The source is never changed but for its history
line: the laptop keeps every row it had.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from revmental_cli import outcome
from revmental_cli.errors import InputError, NotFound, Problem, ValidationFailed
from revmental_cli.messages import Joined, Msg

if TYPE_CHECKING:
    from revmental_cli.store import Store
    from revmental_cli.store.copying import Table


@dataclass
class Copied:
    """What `db copy` copied (or, with --dry-run, would copy)."""

    source: str
    target: str
    cohorts: list[str]
    participants: int  # enrollments of the cohorts
    people_new: int  # people the target did not know
    people_kept: int  # people the target knew: its row kept
    people_filled: int  # of those, rows whose empty fields the source filled
    programmes_new: list[str]
    certificates: int
    history: int  # the cohorts' history lines
    current_cohort: str | None  # made the target's current cohort (it had none)
    dry_run: bool = False
    # Programmes the target names otherwise (same code): code -> the target's name, kept.
    renamed_programmes: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "dry_run": self.dry_run,
            "cohorts": self.cohorts,
            "participants": self.participants,
            "people": {
                "new": self.people_new,
                "kept": self.people_kept,
                "filled": self.people_filled,
            },
            "programmes_new": self.programmes_new,
            "programmes_named_otherwise": self.renamed_programmes,
            "certificates": self.certificates,
            "history_lines": self.history,
            "current_cohort": self.current_cohort,
        }


def same_store(source: Store, where: Path | str) -> bool:
    """Whether ``where`` names the source store itself (copying it into itself)."""
    if isinstance(where, str) or isinstance(source.path, str):
        if not (isinstance(where, str) and isinstance(source.path, str)):
            return False
        from revmental_cli.store.pg import describe

        return describe(where).rstrip("/") == source.path.rstrip("/")
    try:
        return where.exists() and where.samefile(source.path)
    except OSError:
        return False


def copy_store(
    source: Store,
    where: Path | str,
    *,
    cohorts: Sequence[str] = (),
    dry_run: bool = False,
    busy_timeout: float,
) -> Copied:
    """Copy the source's cohorts (all, or ``cohorts``) into the store at ``where``."""
    if isinstance(where, Path):
        where = where.absolute()  # the history lines name it wherever they are read
    if same_store(source, where):
        raise InputError(
            Msg("{path} is the store being copied; it cannot be copied into itself", path=where),
            hint=Msg("name the shared register with --to, e.g. --to postgresql://host/revmental"),
        )
    if dry_run:
        return _dry_run(source, where, cohorts, busy_timeout)
    from revmental_cli.store import open_store

    created = isinstance(where, Path) and not where.exists()
    target = open_store(where, create=True, busy_timeout=busy_timeout)
    target.command = "revmental db copy"
    try:
        with _exporting(source):
            return _copy(source, target, cohorts)
    finally:
        target.close()
        # outcome.left, not a return: Ctrl-C right after the COMMIT stops a copy that landed.
        if created and not outcome.done.left and isinstance(where, Path):
            # A new file holding nothing but the schema would pass for a copy later.
            for leftover in (where, where.with_name(where.name + "-journal")):
                with contextlib.suppress(OSError):
                    leftover.unlink()


@contextlib.contextmanager
def _exporting(source: Store) -> Iterator[None]:
    """The source's write transaction, for a consistent read and for its history line; kept
    (committed) once the copy has landed in the target, whatever stops the command after
    (as context.exporting keeps the line of an export cut short)."""
    with outcome.kept_once_left(source):
        yield


def _selected(source: Store, wanted: Sequence[str]) -> list[str]:
    from revmental_cli.store.copying import cohort_ids

    present = cohort_ids(source)
    if not wanted:
        if not present:
            raise InputError(
                Msg("{path} holds no cohort: there is nothing to copy", path=source.path),
                hint=Msg("check --db (or REVMENTAL_DB): it names the store copied from"),
            )
        return present
    asked = list(dict.fromkeys(c.strip().upper() for c in wanted))
    missing = [c for c in asked if c not in present]
    if missing:
        raise NotFound(
            Msg(
                "no cohort {cohorts} in {path}",
                cohorts=", ".join(missing),
                path=source.path,
            ),
            hint=Msg("`revmental cohort list` shows the cohorts of the store"),
        )
    return sorted(asked)


def collisions(target: Store, rows: dict[str, Table]) -> list[Problem]:
    """Every cohort id, certificate number and certificate code of the copy that the target
    holds already: each one a problem (all of them, so that one look says what to fix)."""
    from revmental_cli.store import copying as sql

    problems = [
        Problem(Msg("cohort {cohort}", cohort=c))
        for c in sql.existing_cohorts(target, rows["cohorts"].column("id"))
    ]
    problems += [
        Problem(Msg("certificate number {number}", number=n))
        for n in sql.existing_numbers(target, rows["certificates"].column("number"))
    ]
    problems += [
        Problem(Msg("certificate code {code}", code=c))
        for c in sql.existing_codes(target, rows["certificates"].column("code"))
    ]
    return problems


def refusal(source: Store, target: Store, problems: list[Problem]) -> ValidationFailed:
    hints = []
    if any(p.message.startswith("cohort ") for p in problems):
        hints.append(
            Msg(
                "a cohort copied before is in the register already; copy the other cohorts "
                "with --cohort ID, or give a new cohort another id in its file and open it "
                "again"
            )
        )
    if any(p.message.startswith("certificate ") for p in problems):
        hints.append(
            Msg(
                "certificate numbers are unique in a register: two cohorts issued the same "
                "numbers (see number_format in their cohort files)"
            )
        )
    return ValidationFailed(
        problems,
        Msg(
            "{target} already holds {count} cohort id(s) or certificate number(s) of "
            "{source}; nothing was copied",
            target=target.path,
            count=len(problems),
            source=source.path,
        ),
        hint=Joined(hints),
    )


def fills(kept: dict[str, Any], incoming: dict[str, Any]) -> dict[str, Any]:
    """The fields of a person the target knows already that the source's row may fill: those
    empty in the target and not in the source. The target's row wins everywhere else (it may
    hold corrections made in the register)."""
    from revmental_cli.records import PERSON_FIELDS

    def empty(value: Any) -> bool:
        return value is None or (isinstance(value, str) and not value.strip())

    return {
        f: incoming[f]
        for f in PERSON_FIELDS
        if f in kept and f in incoming and empty(kept[f]) and not empty(incoming[f])
    }


@dataclass
class _People:
    new: list[tuple[Any, ...]]
    filled: dict[str, dict[str, Any]]
    kept: int


def _people(target: Store, people: Table) -> _People:
    from revmental_cli.store.copying import existing_people

    known = existing_people(target, people.column("nip"))
    new = [r for r in people.rows if r[people.columns.index("nip")] not in known]
    filled = {
        row["nip"]: fills(known[row["nip"]], row) for row in people.dicts() if row["nip"] in known
    }
    return _People(new, {n: f for n, f in filled.items() if f}, len(known))


def _summary(source: Store, target: Store, rows: dict[str, Table], people: _People) -> Copied:
    from revmental_cli.store.copying import programme_names

    codes = rows["programmes"].column("code")
    had = programme_names(target, codes)
    ours = dict(zip(codes, rows["programmes"].column("name"), strict=True))
    current = None
    if target.current_cohort_id() is None and source.current_cohort_id() in set(
        rows["cohorts"].column("id")
    ):
        current = source.current_cohort_id()
    return Copied(
        source=str(source.path),
        target=str(target.path),
        cohorts=rows["cohorts"].column("id"),
        participants=len(rows["enrollments"].rows),
        people_new=len(people.new),
        people_kept=people.kept,
        people_filled=len(people.filled),
        programmes_new=[c for c in codes if c not in had],
        renamed_programmes={c: n for c, n in sorted(had.items()) if n != ours[c]},
        certificates=len(rows["certificates"].rows),
        history=len(rows["history"].rows),
        current_cohort=current,
    )


def _copy(source: Store, target: Store, wanted: Sequence[str]) -> Copied:
    """Inside the source's transaction: read, check and write under the target's lock."""
    from revmental_cli.store import copying as sql
    from revmental_cli.store import now

    ids = _selected(source, wanted)
    rows = sql.read_cohorts(source, ids)
    counts = (
        f"{len(ids)} cohorts, {len(rows['enrollments'].rows)} participants, "
        f"{len(rows['certificates'].rows)} certificates"
    )
    # Recorded first, kept only if the copy lands (the source commits after the target).
    source.record(
        f"export: {', '.join(ids)} ({counts}) copied to {target.path} by db copy",
        file=str(target.path),
    )
    # The target's transaction by hand: its COMMIT must share one Ctrl-C-proof step with
    # the note that personal data left (below), which a `with` block cannot give.
    transaction = target.write()
    transaction.__enter__()
    try:
        # Decided under the target's lock: what another administrator wrote meanwhile counts.
        problems = collisions(target, rows)
        if problems:
            raise refusal(source, target, problems)
        people = _people(target, rows["people"])
        done = _summary(source, target, rows, people)
        programmes = rows["programmes"]
        code = programmes.columns.index("code")
        fresh = set(done.programmes_new)
        new_programmes = [r for r in programmes.rows if r[code] in fresh]
        sql.insert(target, "programmes", programmes.columns, new_programmes)
        sql.insert(target, "people", rows["people"].columns, people.new)
        sql.fill_people(target, people.filled, now())
        for table in sql.TABLES:
            if table not in ("programmes", "people", "history"):
                sql.insert(target, table, rows[table].columns, rows[table].rows)
        sql.append_history(target, rows["history"])
        if done.current_cohort is not None:
            target.set_current_cohort(done.current_cohort)
        target.record(f"copied from {source.path} by db copy: {counts}")
    except BaseException as exc:
        transaction.__exit__(type(exc), exc, exc.__traceback__)  # rolls back
        raise _named(exc, target) from None
    with outcome.held():
        try:
            transaction.__exit__(None, None, None)  # commits
        except BaseException as exc:
            raise _named(exc, target) from None
        outcome.note_left()
    return done


def _named(exc: BaseException, target: Store) -> BaseException:
    """A database error of the target as the tool's error naming the target (cli would name
    the source: it is the store of --db)."""
    from revmental_cli.store import translate

    return translate(exc, target.path)


@contextlib.contextmanager
def _reading(store: Store) -> Iterator[None]:
    """One read transaction: every table read from the same moment, and no lock held."""
    from revmental_cli.store.copying import begin_read

    begin_read(store)
    try:
        yield
    finally:
        store.rollback()


def _dry_run(
    source: Store, where: Path | str, wanted: Sequence[str], busy_timeout: float
) -> Copied:
    """What a copy would do, with the same refusals; nothing written to either store (a
    target that does not exist yet is not created)."""
    from revmental_cli.store import copying as sql

    with _reading(source):
        ids = _selected(source, wanted)
        rows = sql.read_cohorts(source, ids)
    target = _existing(where, busy_timeout)
    if target is None:
        people = rows["people"]
        return Copied(
            source=str(source.path),
            target=str(where),
            cohorts=ids,
            participants=len(rows["enrollments"].rows),
            people_new=len(people.rows),
            people_kept=0,
            people_filled=0,
            programmes_new=rows["programmes"].column("code"),
            certificates=len(rows["certificates"].rows),
            history=len(rows["history"].rows),
            current_cohort=source.current_cohort_id()
            if source.current_cohort_id() in ids
            else None,
            dry_run=True,
        )
    with target, _reading(target):
        problems = collisions(target, rows)
        if problems:
            raise refusal(source, target, problems)
        done = _summary(source, target, rows, _people(target, rows["people"]))
    done.dry_run = True
    return done


def _existing(where: Path | str, busy_timeout: float) -> Store | None:
    """The target store if there is one already (a dry run creates none)."""
    from revmental_cli.store import open_store

    if isinstance(where, Path):
        if not where.exists() or (where.is_file() and where.stat().st_size == 0):
            return None
        return open_store(where, create=False, busy_timeout=busy_timeout)
    from revmental_cli.store.pg_open import register_exists

    if not register_exists(where):
        return None
    return open_store(where, create=False, busy_timeout=busy_timeout)
