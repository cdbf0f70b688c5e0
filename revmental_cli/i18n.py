"""Indonesian and English for everything a person reads; JSON and exports stay English.

The language: ``REVMENTAL_LANG`` (``id`` or ``en``; any other value means English), else the
locale (the first of ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` that is set: Indonesian when it
starts with ``id``), else English. It is read on every call, so a process (or a test) that
changes the environment gets the new language at once; each language's catalog is loaded
once.

What is translated: help texts, table titles and headers, status words in tables, summary
lines, messages, warnings, errors and hints. What is not: JSON (keys and values: statuses such
as ``passed`` or ``present``, reasons, row errors), the column names of CSV and XLSX exports
(both are read by programs), the user's own data (names, titles, the predicate labels of a
cohort file), column names as a file wrote them, and usage errors from the command-line
parser ("Error: No such option"), which come from Typer.

The catalog is GNU gettext: ``locale/id/LC_MESSAGES/revmental.po`` is the source (msgid =
the English text exactly as written in the code; for help, the docstring or ``help=`` text
cleaned with ``inspect.cleandoc``), ``revmental.mo`` next to it is what runs. Both are
committed and installed as package data. Workflow for a new or changed message::

    _("unknown cohort '{cohort}'").format(cohort=x)    # in the code: named placeholders,
                                                          # never an f-string inside _()
    python scripts/i18n.py extract    # adds new msgids to the .po, drops obsolete ones
    (write the Indonesian msgstr in the .po; remove the "fuzzy" flag if any)
    python scripts/i18n.py compile    # writes the .mo
    python scripts/i18n.py check      # what tests/test_i18n.py checks: nothing missing,
                                      # nothing obsolete, placeholders match, .mo up to date

``N_("...")`` marks a text for extraction without translating it where it is written (it is
translated later, where it is shown). The modules that keep English on purpose (the store,
the completion reasons, attendance match reasons, the changes of a re-opened cohort) make
``Msg("English {x}", x=...)`` (revmental_cli.messages): a str with its msgid and parameters,
which ``localize`` translates once, where it is shown. Nothing translates English text back
by pattern.

Dates are spelled here, not by the OS locale (which Windows and containers rarely have):
``long_date`` gives "Rabu, 29 September 2021" or "Wednesday, 29 September 2021".
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gettext
import os
import re
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeGuard

if TYPE_CHECKING:
    from decimal import Decimal

DOMAIN = "revmental"
LOCALEDIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("en", "id")

_forced: list[str] = []


def language() -> str:
    """'id' or 'en': REVMENTAL_LANG, else the locale, else English."""
    if _forced:
        return _forced[-1]
    explicit = os.environ.get("REVMENTAL_LANG", "").strip().lower()
    if explicit:
        return "id" if re.match(r"id(?:$|[_\-.@])", explicit) else "en"
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "").strip().lower()
        if value:
            return "id" if re.match(r"id(?:$|[_\-.@])", value) else "en"
    return "en"


@contextlib.contextmanager
def english() -> Iterator[None]:
    """Messages made inside come out in English (e.g. row errors bound for JSON)."""
    _forced.append("en")
    try:
        yield
    finally:
        _forced.pop()


@contextlib.contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Messages made inside come out in ``lang`` (a web page asked for ``?lang=id``, whatever
    the server's own language); any other value than 'id' means English."""
    _forced.append("id" if lang == "id" else "en")
    try:
        yield
    finally:
        _forced.pop()


@cache
def catalog(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=str(LOCALEDIR), languages=[lang], fallback=True)


def _(msgid: str) -> str:
    """The text in the user's language (the msgid itself in English, or when untranslated)."""
    if not msgid:
        return msgid
    return catalog(language()).gettext(msgid)


def ngettext(singular: str, plural: str, n: int) -> str:
    return catalog(language()).ngettext(singular, plural, n)


def N_(msgid: str) -> str:
    """Mark a text for extraction; translate it where it is shown, with ``_``."""
    return msgid


# --- dates -------------------------------------------------------------------------------------

DAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
}
MONTHS = {
    "en": (
        "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December",
    ),
    "id": (
        "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
        "September", "Oktober", "November", "Desember",
    ),
}  # fmt: skip
SHORT_MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "id": ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"),
}


def long_date(day: dt.date) -> str:
    """'Rabu, 29 September 2021' / 'Wednesday, 29 September 2021'."""
    lang = language()
    return f"{DAYS[lang][day.weekday()]}, {day.day} {MONTHS[lang][day.month - 1]} {day.year}"


def short_date(day: dt.date) -> str:
    """'Rab 29 Sep 2021' / 'Wed 29 Sep 2021'."""
    lang = language()
    weekday = DAYS[lang][day.weekday()][:3]
    return f"{weekday} {day.day} {SHORT_MONTHS[lang][day.month - 1]} {day.year}"


# --- numbers and times --------------------------------------------------------------------------


def number(value: float | Decimal | int, decimals: int | None = 1) -> str:
    """A decimal as a person reads it: ``87.5`` in English, ``87,5`` in Indonesian.

    ``decimals=None`` gives the shortest form (``90``, ``82.5``), as ``:g`` would. Tables and
    messages only: JSON, CSV and XLSX keep numbers as numbers."""
    if decimals is None:
        text = f"{value.normalize():f}" if _is_decimal(value) else f"{value:g}"
    else:
        text = f"{value:.{decimals}f}"
    return text.replace(".", ",") if language() == "id" else text


def _is_decimal(value: object) -> TypeGuard[Decimal]:
    """Whether ``value`` is a Decimal, without importing decimal: only the commands that
    compute with it load it (a millisecond of every start-up), and no Decimal exists
    before they do."""
    decimal = sys.modules.get("decimal")
    return decimal is not None and isinstance(value, decimal.Decimal)


def percent(value: float | Decimal | int, decimals: int | None = 1) -> str:
    """``82.5%`` / ``82,5%``."""
    return number(value, decimals) + "%"


def local_time(stamp: str | None) -> str:
    """A stored timestamp in the local time zone, the zone named: ``2021-10-29 14:05 WIB``.

    The store writes ISO 8601 with an offset. ``astimezone()`` with no argument uses the
    system's local offset, which Windows knows without a zone database; the zone is named by
    its abbreviation when the system gives a short one (WIB, UTC, CET), else by the offset
    (Windows names zones "SE Asia Standard Time"). A value that is not a timestamp is shown
    as it is; one without an offset is taken as local time and shown as written."""
    if not stamp:
        return ""
    try:
        moment = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        return f"{moment:%Y-%m-%d %H:%M}"
    moment = moment.astimezone()
    name = moment.tzname() or ""
    if not (name.isalpha() and len(name) <= 5):
        name = moment.strftime("%z")
        name = f"{name[:3]}:{name[3:]}"
    return f"{moment:%Y-%m-%d %H:%M} {name}"


def local_date(stamp: str | None) -> str:
    """The local date of a stored timestamp (``2021-10-29``): the day it was where the user is."""
    return local_time(stamp)[:10]


# --- messages made where they must stay English, translated for display ------------------------


def localize(text: str) -> str:
    """Translate, for display, a message made where it must stay English.

    A ``Msg`` (revmental_cli.messages) is translated from its msgid, its parameters first (a
    reason inside a message is a ``Msg`` too); a ``Joined`` part by part. Any other text is
    returned as it is: English is never read back into a message (the producers say what
    they mean with a ``Msg``)."""
    if language() == "en" or not text:
        return text
    from revmental_cli.messages import Joined, Msg

    if isinstance(text, Joined):
        return text.sep.join(localize(part) for part in text.parts)
    if isinstance(text, Msg):
        params = {
            k: localize(v) if isinstance(v, (Msg, Joined)) else _decimal_comma(v)
            for k, v in text.params.items()
        }
        return _(text.msgid).format(**params) if params else _(text.msgid)
    return text


_DECIMAL = re.compile(r"-?\d+\.\d+")


def _decimal_comma(value: object) -> object:
    """A decimal inside a translated message (``83.3`` in a reason) with the comma."""
    if isinstance(value, float) or _is_decimal(value):
        return number(value, None)
    if isinstance(value, str) and _DECIMAL.fullmatch(value):
        return value.replace(".", ",")
    return value
