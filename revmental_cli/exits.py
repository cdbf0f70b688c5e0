"""What went wrong, in the user's words, and the exit code the contract gives it.

Owns the last word on every error a command raises: the tool's own errors (with whether the
store kept anything, from ``outcome``), a database error the store module did not translate,
Ctrl-C, a closed pipe, what the machine ran out of (memory, disk, permissions), and a bug,
said with where to report it and never with data (no locals, no error arguments). Loaded
only when a command fails: a command that succeeds never imports it.
"""

from __future__ import annotations

import os
import sys

from revmental_cli import outcome
from revmental_cli.context import db_path
from revmental_cli.errors import RevmentalError, ValidationFailed
from revmental_cli.i18n import N_, _

ISSUES_URL = "https://github.com/revmental/revmental/issues"


def exit_code(exc: BaseException) -> int:
    """Say what went wrong, in the user's words, and give the contract's exit code."""
    # Imported here: rich is a fifth of the start-up time, and `cohort --help` needs none.
    from revmental_cli import render

    if isinstance(exc, ValidationFailed):
        render.error(exc.message, exc.hint, exc.problems)
        return exc.exit_code
    if isinstance(exc, RevmentalError):
        _store_error(exc)
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        render.error(_interrupted())
        return 130
    if isinstance(exc, BrokenPipeError):
        # `revmental roster show | head`: the reader stopped listening. Whatever the
        # command wrote is committed already; stay quiet, and keep Python from failing
        # again when it flushes stdout at exit.
        silence_stdout()
        return 0
    # sqlite3 (or psycopg) is loaded only by commands that open the store; `--help` never
    # pays for it.
    if "sqlite3" in sys.modules or "psycopg" in sys.modules:
        from revmental_cli.store import translate

        mapped = translate(exc, db_path())
        if isinstance(mapped, RevmentalError):
            _store_error(mapped)
            return mapped.exit_code
    if _damaged_store_data(exc):
        from revmental_cli.errors import StoreUnusable
        from revmental_cli.messages import Msg

        damaged = StoreUnusable(
            Msg("{path} is not a usable revmental store (data in it is damaged)", path=db_path()),
            hint=Msg(
                "restore it from a backup (`revmental db backup` makes one), or use --db to "
                "choose another file"
            ),
        )
        render.error(damaged.message, damaged.hint)
        return damaged.exit_code
    # The safety net: what the machine, not the program, ran out of. Readers refuse a hostile
    # file by their limits first; these cover what gets past them (a huge value in a field,
    # a full disk, a read-only folder) with words instead of "internal error".
    if isinstance(exc, MemoryError):
        render.error(
            _("not enough memory to finish; {consistent}").format(consistent=_(CONSISTENT)),
            _("the input is far larger than expected: check that you named the right file"),
        )
        return 1
    if isinstance(exc, RecursionError):
        render.error(
            _("the input is nested too deeply to read; {consistent}").format(
                consistent=_(CONSISTENT)
            ),
            _("check that you named the right file"),
        )
        return 1
    if isinstance(exc, OSError):
        message, hint = os_error(exc)
        render.error(message, hint)
        return 1
    _internal(exc)  # a bug: say where to report it, print no data
    return 1


def _interrupted() -> str:
    """What Ctrl-C left behind, as the store and the exports hold it (``outcome``)."""
    if outcome.done.left and outcome.done.committed:
        return _("interrupted after the export was made; it is recorded (see `revmental history`)")
    if outcome.done.left:
        return _("interrupted after the export was made")
    if outcome.done.committed:
        return _("interrupted after the changes were saved (see `revmental history`)")
    return _("interrupted; nothing was written")


def _store_error(exc: RevmentalError) -> None:
    """A tool's error; for a write that was undone, also whether the command saved anything
    before it (a command may commit more than once: a migration, then its own change)."""
    from revmental_cli import render

    message = exc.message
    if exc.undone:
        from revmental_cli.i18n import localize

        kept = (
            _("the changes saved before it are kept (see `revmental history`)")
            if outcome.done.committed
            else _("nothing was written")
        )
        message = _("{error}; {kept}").format(error=localize(message), kept=kept)
    render.error(message, exc.hint)


def _damaged_store_data(exc: BaseException) -> bool:
    """JSON the store itself wrote that no longer reads (a damaged page of the file): the
    store is unusable, not the program broken. Only errors raised while the store module
    decoded it count, never a user's file."""
    json = sys.modules.get("json")
    if json is None or not isinstance(exc, json.JSONDecodeError):
        return False
    import traceback

    store = os.sep + os.path.join("revmental_cli", "store") + os.sep
    return any(store in frame.filename for frame in traceback.extract_tb(exc.__traceback__))


CONSISTENT = N_("the store is consistent: a write either completed or left nothing behind")


def os_error(exc: OSError) -> tuple[str, str | None]:
    """An OSError as the user's words, naming the file when the system said which; never the
    error's arguments (they may quote data)."""
    import errno

    name = exc.filename
    path = os.fsdecode(name) if isinstance(name, (str, bytes, os.PathLike)) else None
    if path is not None and len(path) > 80:  # a name too long is also too long to show whole
        path = f"{path[:40]}...{path[-30:]}"
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        if path is None:
            message = _("cannot write the output: the disk is full")
            silence_stdout()  # Python would fail again flushing it at exit
        else:
            message = _("cannot write {path}: the disk is full").format(path=path)
        return message, _("free some space and run the command again")
    if exc.errno == errno.EROFS:
        where = path or _("the output")
        return _("cannot write {path}: the file system is read-only").format(path=where), None
    if exc.errno in (errno.EACCES, errno.EPERM):
        return _("{path}: permission denied").format(path=path or _("a file")), _(
            "check the file's and its folder's permissions"
        )
    if exc.errno == errno.ENAMETOOLONG:
        return _("{path}: the file name is too long for the system").format(
            path=path or _("a file")
        ), _("rename the file to a shorter name")
    if path is None and exc.errno == errno.EIO:
        silence_stdout()
        return _("cannot write the output (input/output error)"), None
    reason = exc.strerror or type(exc).__name__
    if path is None:
        return _("a system error: {reason}; {consistent}").format(
            reason=reason, consistent=_(CONSISTENT)
        ), None
    return _("{path}: {reason}").format(path=path, reason=reason), None


def _internal(exc: BaseException) -> None:
    from revmental_cli import render

    render.error(
        _(
            "internal error ({kind}); the store is consistent: a write either completed or "
            "left nothing behind"
        ).format(kind=type(exc).__name__),
        (
            _("please report it at {url} with the command you ran")
            if os.environ.get("REVMENTAL_DEBUG")
            else _(
                "please report it at {url} with the command you ran; "
                "set REVMENTAL_DEBUG=1 for details"
            )
        ).format(url=ISSUES_URL),
    )
    if os.environ.get("REVMENTAL_DEBUG"):
        # Frames and lines only, never local variables: they may hold personal data.
        import traceback

        traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)


def silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (tests)
        pass
