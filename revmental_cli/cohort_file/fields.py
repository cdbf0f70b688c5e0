"""Field by field: one YAML value (text as written) -> a Python value, or a recorded problem.

Owns the field shapes (a section, text, a whole number, a number with a decimal comma, yes/no,
a date, a time, a choice, a list), the ``file: line N: field`` of each problem, and the
MISSING marker for a field that could not be read. Must never know which fields a cohort has
(rules.py and sections.py do) nor touch YAML (reader.py does).
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from typing import Any

from revmental_cli.cohort_file.hints import flow_comma_hint
from revmental_cli.errors import Problem
from revmental_cli.i18n import _

TIME_RE = re.compile(r"^(\d{1,2})[:.](\d{2})$")
TRUE = {"true", "yes", "on", "y", "ya"}
FALSE = {"false", "no", "off", "n", "tidak"}


class _Missing:
    pass


MISSING: Any = _Missing()


class FieldChecker:
    """Field-by-field conversion that records problems instead of stopping at the first."""

    def __init__(self, name: str, lines: dict[str, int], flow: set[str]) -> None:
        self.name = name
        self.lines = lines
        self.flow = flow
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    # --- recording -------------------------------------------------------------------------

    def _line(self, path: str) -> int | None:
        # The nearest enclosing field that was written (a missing key has no line of its own).
        while path and path not in self.lines:
            parent = re.sub(r"(\.[^.\[]+|\[\d+\])$", "", path)
            path = "" if parent == path else parent
        return self.lines.get(path)

    def error(self, path: str, message: str, hint: str | None = None) -> None:
        self.problems.append(
            Problem(message, file=self.name, line=self._line(path), field=path or None, hint=hint)
        )

    def warn(self, path: str, message: str, hint: str | None = None) -> None:
        self.warnings.append(
            Problem(message, file=self.name, line=self._line(path), field=path or None, hint=hint)
        )

    # --- shapes ----------------------------------------------------------------------------

    def mapping(self, value: Any, path: str, known: tuple[str, ...]) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.error(path, _("expected a section of 'key: value' lines"))
            return None
        for key in value:
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1)
                hint = (
                    _("did you mean '{key}'?").format(key=close[0])
                    if close
                    else _("known keys: {keys}").format(keys=", ".join(known))
                )
                if path in self.flow:
                    hint = flow_comma_hint()
                sub = f"{path}.{key}" if path else key
                self.error(sub, _("unknown key '{key}'").format(key=key), hint)
        return value

    def get(self, d: dict[str, Any], key: str, path: str, required: bool) -> Any:
        value = d.get(key, MISSING)
        if value is MISSING or value is None:
            if required:
                self.error(
                    self._sub(path, key),
                    _("is required"),
                    _("add '{key}:' to the file").format(key=key),
                )
            return MISSING
        return value

    @staticmethod
    def _sub(path: str, key: str) -> str:
        return f"{path}.{key}" if path else key

    def text(self, d: dict[str, Any], key: str, path: str = "", *, required: bool = True) -> Any:
        value = self.get(d, key, path, required)
        if value is MISSING:
            return MISSING
        if not isinstance(value, str):
            self.error(self._sub(path, key), _("expected text"))
            return MISSING
        value = " ".join(value.split())
        if not value and required:
            self.error(self._sub(path, key), _("must not be empty"))
            return MISSING
        return value

    def integer(
        self,
        d: dict[str, Any],
        key: str,
        path: str = "",
        *,
        required: bool = True,
        low: int | None = None,
        high: int | None = None,
    ) -> Any:
        value = self.get(d, key, path, required)
        if value is MISSING:
            return MISSING
        sub = self._sub(path, key)
        if not isinstance(value, str) or not re.fullmatch(r"[+-]?\d+", value.strip()):
            self.error(sub, _("expected a whole number, found {value}").format(value=show(value)))
            return MISSING
        number = int(value)
        return number if self._within(sub, number, number, low, high) else MISSING

    def number(
        self,
        d: dict[str, Any],
        key: str,
        path: str = "",
        *,
        required: bool = True,
        low: float | None = None,
        high: float | None = None,
    ) -> Any:
        value = self.get(d, key, path, required)
        if value is MISSING:
            return MISSING
        sub = self._sub(path, key)
        try:
            if not isinstance(value, str):
                raise ValueError
            # Indonesian habits write 70,01 for 70.01.
            number = float(value.strip().replace(",", "."))
            if not math.isfinite(number):
                raise ValueError
        except ValueError:
            self.error(sub, _("expected a number, found {value}").format(value=show(value)))
            return MISSING
        return number if self._within(sub, number, value, low, high) else MISSING

    def _within(
        self, path: str, number: float, shown: object, low: float | None, high: float | None
    ) -> bool:
        """Whether ``number`` is within the bounds; else says so, ``shown`` as written."""
        if (low is not None and number < low) or (high is not None and number > high):
            self.error(
                path,
                _("{value} is out of range ({range})").format(
                    value=shown, range=value_range(low, high)
                ),
            )
            return False
        return True

    def boolean(self, d: dict[str, Any], key: str, path: str, default: bool) -> bool:
        value = self.get(d, key, path, False)
        if value is MISSING:
            return default
        if isinstance(value, str) and value.strip().lower() in TRUE:
            return True
        if isinstance(value, str) and value.strip().lower() in FALSE:
            return False
        self.error(
            self._sub(path, key),
            _("expected true or false, found {value}").format(value=show(value)),
        )
        return default

    def date(self, d: dict[str, Any], key: str, path: str = "", *, required: bool = True) -> Any:
        value = self.get(d, key, path, required)
        if value is MISSING:
            return MISSING
        sub = self._sub(path, key)
        try:
            if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
                raise ValueError
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            self.error(
                sub,
                _("expected a real date as YYYY-MM-DD, found {value}").format(value=show(value)),
                _("write dates like 2021-09-29"),
            )
            return MISSING

    def time(self, d: dict[str, Any], key: str, path: str) -> Any:
        value = self.get(d, key, path, True)
        if value is MISSING:
            return MISSING
        sub = self._sub(path, key)
        match = TIME_RE.fullmatch(value.strip()) if isinstance(value, str) else None
        if match and int(match[1]) < 24 and int(match[2]) < 60:
            return dt.time(int(match[1]), int(match[2]))
        self.error(
            sub,
            _("expected a time as HH:MM (24-hour), found {value}").format(value=show(value)),
            _('write times like "09:00" or "13:30"'),
        )
        return MISSING

    def choice(
        self, d: dict[str, Any], key: str, path: str, options: tuple[str, ...], default: str | None
    ) -> Any:
        value = self.get(d, key, path, default is None)
        if value is MISSING:
            return default if default is not None else MISSING
        if not isinstance(value, str) or value.strip().lower() not in options:
            self.error(
                self._sub(path, key),
                _("{value} is not one of: {options}").format(
                    value=show(value), options=", ".join(options)
                ),
            )
            return MISSING
        return value.strip().lower()

    def items(self, d: dict[str, Any], key: str, path: str = "", *, required: bool) -> list[Any]:
        value = self.get(d, key, path, required)
        if value is MISSING:
            return []
        if not isinstance(value, list):
            self.error(self._sub(path, key), _("expected a list (lines starting with '- ')"))
            return []
        return value


def show(value: Any) -> str:
    """A wrong value as a message names it: text quoted, anything else by its shape."""
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a section")
    return _("nothing")


def value_range(low: float | None, high: float | None) -> str:
    """The allowed range of a number, as an out-of-range message words it."""
    if low is not None and high is not None:
        return _("{low} to {high}").format(low=f"{low:g}", high=f"{high:g}")
    if low is not None:
        return _("at least {low}").format(low=f"{low:g}")
    return _("at most {high}").format(high=f"{high:g}")
