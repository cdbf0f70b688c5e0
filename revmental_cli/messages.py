"""Messages as data: an English text that also knows its message id and parameters.

The store, the services and the domain rules must not speak a person's language (they are
used for JSON, the history and exports, which stay English), yet what they say is shown to
people in Indonesian too. A ``Msg`` is a ``str`` holding the English text, so it goes into
JSON, the history and comparisons unchanged, and it carries its gettext ``msgid`` and
parameters, so that ``i18n.localize`` translates it once, where it is shown. Nothing here
imports gettext or reads the environment: the domain may use it and stay pure.

    Msg("attendance {pct}% < {min}%", pct="82.5", min="90")   # str: 'attendance 82.5% < 90%'

``Msg("...")`` marks its text for extraction like ``_()`` does (scripts/i18n.py). Several
messages made into one text (``"; ".join(reasons)``) are a ``Joined``, so that each part is
still translated. Nothing reads English text back into a message: a text that is neither is
shown as it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def N_(msgid: str) -> str:
    """Mark a text for extraction (scripts/i18n.py); it is translated where it is shown."""
    return msgid


class Msg(str):
    """English text plus the msgid and parameters it was made from."""

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, /, **params: Any) -> Msg:
        text = msgid.format(**params) if params else msgid
        self = super().__new__(cls, text)
        self.msgid = msgid
        self.params = params
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickle (multiprocessing) as the message it is, not as a bare str.
        return (_rebuild, (self.msgid, self.params))


def _rebuild(msgid: str, params: dict[str, Any]) -> Msg:
    return Msg(msgid, **params)


class Joined(str):
    """Messages joined by a separator (``"a; b"``), each part translated where it is shown."""

    parts: tuple[str, ...]
    sep: str

    def __new__(cls, parts: Iterable[str], sep: str = "; ") -> Joined:
        parts = tuple(parts)
        self = super().__new__(cls, sep.join(parts))
        self.parts = parts
        self.sep = sep
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (Joined, (self.parts, self.sep))
