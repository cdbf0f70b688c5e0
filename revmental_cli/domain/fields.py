"""What every rule about a field shares: :class:`FieldError` and the marks typed around a value.

Plain: no I/O, no clock, no store, no console.
"""

from __future__ import annotations

__all__ = ["TEXT_MARKS", "FieldError"]


class FieldError(ValueError):
    """One field's value is wrong; ``message`` says what, ``hint`` how to fix it."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        # ``message`` and ``hint`` are Msg (English with their ids). Whoever makes the error
        # into text (the roster parser's row errors, "column: message — hint") reads it in the
        # user's language, as when the rules translated at raise time; the import is here, not
        # at the top, so that the rules themselves never read the language.
        from revmental_cli.i18n import localize

        message = localize(self.message)
        return f"{message} — {localize(self.hint)}" if self.hint else message


# Excel's text marker, and the curly quotes Word or WhatsApp turn it into.
TEXT_MARKS = "'\u2018\u2019`"
