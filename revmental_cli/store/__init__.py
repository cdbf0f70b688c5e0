"""The store: the only package that knows SQL and table names.

One SQLite file, private to the user (0600), migrated whenever it is opened. Every write runs
in one ``BEGIN IMMEDIATE`` transaction together with its history record, so a failed or
interrupted command leaves the store exactly as it was.

``connection`` opens the file and owns transactions, settings and the history line;
``failures`` turns a database's errors into the tool's, ``files`` keeps the store and its
backups private; each other module holds the only SQL of one aggregate (cohorts, roster,
attendance, scores, certificates), plus ``privacy`` (erasing a person), ``history`` and
``checks`` (`db check`). The rows they return are in ``revmental_cli.records``.

This module re-exports the names callers imported from the single ``store.py`` it replaces.
Opening a current store loads only ``connection`` (and the small modules below): the other
modules load when one of their names is first asked for (``__getattr__``), so a command pays
only for the aggregates it uses. Nothing here imports sqlite_utils, json or the cohort model.

Two names are also submodule names: ``attendance`` and ``certificates`` here are the
functions. Their submodules are imported first thing below, which binds the functions over
the submodules for good; inside the package, import from the submodule itself
(``from revmental_cli.store.attendance import ...``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from revmental_cli.lazy import lazy_attributes
from revmental_cli.records import (
    PERSON_FIELDS,
    AttendanceOutcome,
    AttendanceRecord,
    Certificate,
    CohortRow,
    CohortSummary,
    CompletionInputs,
    Participant,
    Recorded,
    RosterOutcome,
    ScoreOutcome,
)
from revmental_cli.store.attendance import attendance, save_attendance
from revmental_cli.store.certificates import (
    add_certificate,
    certificate,
    certificates,
    next_certificate_seq,
    number_taken,
    revoke_certificate,
)
from revmental_cli.store.connection import (
    DEFAULT_BUSY_TIMEOUT,
    SQLITE_HEADER,
    Store,
    now,
    open_store,
    os_user,
)
from revmental_cli.store.failures import translate
from revmental_cli.store.files import create_private, make_private

if TYPE_CHECKING:
    from revmental_cli.store.checks import invariant_problems
    from revmental_cli.store.files import backup_to
    from revmental_cli.store.history import last_import
    from revmental_cli.store.privacy import FORGOTTEN, forget_person, person_name
    from revmental_cli.store.roster import (
        enrolled_nips,
        enrolled_people,
        participant,
        participants,
        withdraw,
    )
    from revmental_cli.store.roster_import import RosterImport
    from revmental_cli.store.scores import completion_inputs, save_scores

# The names that load their module on first use: submodule -> names.
_LAZY = {
    "checks": ("invariant_problems",),
    "files": ("backup_to",),
    "history": ("last_import",),
    "privacy": ("FORGOTTEN", "forget_person", "person_name"),
    "roster": ("enrolled_nips", "enrolled_people", "participant", "participants", "withdraw"),
    "roster_import": ("RosterImport",),
    "scores": ("completion_inputs", "save_scores"),
}  # fmt: skip


__getattr__ = lazy_attributes(__name__, _LAZY, globals())


__all__ = [
    "DEFAULT_BUSY_TIMEOUT",
    "FORGOTTEN",
    "PERSON_FIELDS",
    "SQLITE_HEADER",
    "AttendanceOutcome",
    "AttendanceRecord",
    "Certificate",
    "CohortRow",
    "CohortSummary",
    "CompletionInputs",
    "Participant",
    "Recorded",
    "RosterImport",
    "RosterOutcome",
    "ScoreOutcome",
    "Store",
    "add_certificate",
    "attendance",
    "backup_to",
    "certificate",
    "certificates",
    "completion_inputs",
    "create_private",
    "enrolled_nips",
    "enrolled_people",
    "forget_person",
    "invariant_problems",
    "last_import",
    "make_private",
    "next_certificate_seq",
    "now",
    "number_taken",
    "open_store",
    "os_user",
    "participant",
    "participants",
    "person_name",
    "revoke_certificate",
    "save_attendance",
    "save_scores",
    "translate",
    "withdraw",
]
