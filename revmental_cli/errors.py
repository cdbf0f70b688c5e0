"""Errors a user can cause, each with the exit code the contract gives it.

Commands raise these; ``cli.main`` turns them into a message on stderr and the
exit code, never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Problem:
    """One thing wrong with an input: where it is and what to do about it."""

    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None
    hint: str | None = None

    def location(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.field:
            parts.append(self.field)
        return ": ".join(parts)

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message


class RevmentalError(Exception):
    """Base class: a message, an optional hint, and an exit code."""

    exit_code = 1
    code = "error"
    # A write that failed and was rolled back: cli adds whether this command saved anything
    # before it ("nothing was written", or what `revmental history` shows was kept).
    undone = False

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class InputError(RevmentalError):
    """The input or the request is wrong (exit 1)."""

    code = "invalid_input"


class ValidationFailed(RevmentalError):
    """Several problems found at once; all of them are reported (exit 1)."""

    code = "validation_failed"

    def __init__(
        self,
        problems: list[Problem],
        summary: str = "validation failed",
        *,
        hint: str | None = None,
    ) -> None:
        super().__init__(summary, hint=hint)
        self.problems = problems


class NotFound(InputError):
    """An unknown cohort, participant, session or certificate (exit 1)."""

    code = "not_found"


class StoreBusy(RevmentalError):
    """Another process holds the write lock past the timeout (exit 3)."""

    exit_code = 3
    code = "store_busy"
    undone = True


class StoreUnusable(RevmentalError):
    """Not a revmental store, corrupt, or made by a newer version (exit 4)."""

    exit_code = 4
    code = "store_unusable"


class UsageError(RevmentalError):
    """Options that do not go together, or one that needs another (exit 2, like Typer's)."""

    exit_code = 2
    code = "usage"


class DiskFull(RevmentalError):
    """The disk (or the store's size limit) filled up during a write; rolled back (exit 1)."""

    code = "disk_full"
    undone = True


class StoreReadOnly(RevmentalError):
    """The store, or the folder it is in, cannot be written; reads still work (exit 1)."""

    code = "store_read_only"
    undone = True
