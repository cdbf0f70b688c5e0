"""A person's right to erasure (UU PDP): who is to be forgotten, and forgetting them.

Owns the decision that the person exists, taken again inside the write transaction (two
erasures at once must not record a second, empty one). Never prints and never deletes files:
the backups that still hold the data are listed for the command to name.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from revmental_cli.errors import NotFound
from revmental_cli.messages import Msg

if TYPE_CHECKING:
    from revmental_cli.store import Store


def name_of(store: Store, nip: str) -> str:
    """The person's name, to confirm with; NotFound when the store knows no such NIP."""
    from revmental_cli.store import person_name

    name = person_name(store, nip)
    if name is None:
        raise NotFound(Msg("no person with NIP {nip} in the store", nip=nip))
    return name


def forget(store: Store, nip: str) -> str:
    """Erase the person's personal data everywhere; returns the pseudonym that replaces the
    NIP."""
    from revmental_cli.store import forget_person

    with store.write():
        name_of(store, nip)  # erased meanwhile by another process: nothing left to erase
        pseudonym = forget_person(store, nip)
        store.record(f"personal data erased; the person is now {pseudonym}")
    from revmental_cli.store.privacy import purge_old_versions

    purge_old_versions(store)
    return pseudonym


def backups_before(store: Store) -> list[Path]:
    """The copies the store made of itself before a migration: they still hold the data.
    (A PostgreSQL register makes none: the server's own backups are its administrator's.)"""
    if isinstance(store.path, str):
        return []
    return sorted(store.path.parent.glob(f"{store.path.name}.pre-migration-*.bak"))
