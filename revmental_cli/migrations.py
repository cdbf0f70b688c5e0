"""Kept so that ``from revmental_cli.migrations import migrations`` still works: the
migrations live in ``revmental_cli.store.migrations``. Imports sqlite_utils: never import
this on the way to opening a current store."""

from revmental_cli.store.migrations import migrations

__all__ = ["migrations"]
