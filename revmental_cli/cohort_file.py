"""Cohort definitions: YAML file -> validated ``Cohort``, every problem reported at once.

PyYAML's own constructors are not used: they turn ``012345`` into an octal number, ``NO`` into
False, ``10:30`` into 630 and keep the last of two duplicate keys (pitfalls.md). Instead the file
is *composed* into nodes, which keep their line numbers, every scalar is read as the text the
user wrote, and each field is converted by the rule for that field.

Messages and hints are in the user's language (i18n.py); field paths (``sessions[2].start``) and
the YAML key names inside messages stay as the file writes them.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import difflib
import hashlib
import math
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from revmental_cli.domain.cohort import (
    ATTENDANCE_STATUSES,
    DEFAULT_COMPONENTS,
    DEFAULT_PREDICATES,
    MODES,
    ROLES,
    SESSION_KINDS,
    AttendanceRules,
    CertificateRules,
    Cohort,
    CompletionRules,
    Component,
    Facilitator,
    Predicate,
    Session,
    certificate_number,
    from_roman,
)
from revmental_cli.errors import InputError, Problem, ValidationFailed
from revmental_cli.i18n import _

MAX_FILE_BYTES = 1_000_000  # a real definition is a few KB; this bounds memory on a wrong file
MAX_NODES = 50_000  # bounds alias "billion laughs" expansion

ID_RE = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
TIME_RE = re.compile(r"^(\d{1,2})[:.](\d{2})$")
NULLS = {"", "~", "null", "Null", "NULL"}
TRUE = {"true", "yes", "on", "y", "ya"}
FALSE = {"false", "no", "off", "n", "tidak"}


@dataclass
class Loaded:
    """A validated definition with the warnings that did not stop it."""

    cohort: Cohort
    path: Path
    sha256: str  # of the file's bytes, as `sha256sum` prints it, for the history
    warnings: list[Problem] = field(default_factory=list)


class _Missing:
    pass


MISSING: Any = _Missing()


@dataclass
class _Tree:
    """Plain data (dict/list/str/None) plus the line of every field path."""

    data: Any
    lines: dict[str, int]
    flow: set[str] = field(default_factory=set)  # paths written inline as {...}
    # Plain values followed on their line by " #text": YAML read the rest as a comment.
    cut: list[tuple[str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # duplicate keys, merge keys...


def read_definition(path: Path) -> Loaded:
    """Read and validate one cohort file; raise ValidationFailed listing every problem."""
    raw = _read_bytes(path)
    return parse_definition(_decode(raw, path), path, hashlib.sha256(raw).hexdigest())


def parse_definition(text: str, path: Path, sha256: str = "") -> Loaded:
    name = str(path)
    tree = _compose(text, name)
    checker = _Checker(name, tree.lines, tree.flow)
    checker.problems.extend(tree.problems)
    for field_path, rest in tree.cut:
        checker.warn(
            field_path,
            _("YAML reads {rest} as a comment and leaves it out of the value").format(
                rest=repr(rest)
            ),
            _("if it belongs to the value, put the whole value in quotes"),
        )
    cohort = checker.cohort(tree.data)
    if checker.problems or cohort is None:
        problems = sorted(checker.problems, key=lambda p: (p.line or 0, p.field or ""))
        summary = (
            _("{file}: 1 problem in the cohort definition; nothing was written")
            if len(problems) == 1
            else _("{file}: {count} problems in the cohort definition; nothing was written")
        )
        raise ValidationFailed(
            problems,
            summary.format(file=name, count=len(problems)),
            hint=_("fix the fields named above and run `revmental cohort validate FILE` again"),
        )
    return Loaded(cohort=cohort, path=path, sha256=sha256, warnings=checker.warnings)


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise InputError(_("{path} is a folder, not a cohort file").format(path=path))
        if size > MAX_FILE_BYTES:
            raise InputError(
                _("{path}: {size} bytes is far too large for a cohort definition").format(
                    path=path, size=f"{size:,}"
                ),
                hint=_("a cohort file is a short YAML text; check that you named the right file"),
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(
            _("{path}: no such file").format(path=path),
            hint=_("check the path, or run `revmental cohort list`"),
        ) from None
    except OSError as exc:
        raise InputError(
            _("{path}: cannot be read ({reason})").format(path=path, reason=exc.strerror)
        ) from None


# The placeholders domain.cohort.certificate_number fills.
_PLACEHOLDERS = frozenset({"seq", "year", "angkatan", "angkatan_no", "programme", "cohort"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _utf16(raw: bytes) -> str | None:
    """The codec of a UTF-16 file (Notepad's "Unicode"): by its byte-order mark, or without
    one by the byte pattern the roster reader also uses; None when it is not UTF-16."""
    from revmental_cli.importers.tabular import utf16_without_bom

    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return utf16_without_bom(raw)


def _decode(raw: bytes, path: Path) -> str:
    codec = _utf16(raw)
    if codec is not None:
        # Text decoded from UTF-16 has no control characters but line breaks and tabs; a
        # binary file that merely looks like it is told as binary below.
        with contextlib.suppress(UnicodeDecodeError):
            text = raw.decode(codec)
            if not _CONTROL.search(text):
                return text
    if b"\x00" in raw:
        raise InputError(
            _("{path}: this is a binary file, not a YAML cohort definition").format(path=path),
            hint=_("cohort definitions are text files ending in .yaml; see cohorts/ for examples"),
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ValidationFailed(
            [Problem(_("the file is not UTF-8 text"), file=str(path), line=line)],
            _("{path}: cannot be read").format(path=path),
            hint=_("save the file as UTF-8 in your editor"),
        ) from None


def _compose(text: str, name: str) -> _Tree:
    import yaml  # heavy: imported only when a definition is read

    loader = None
    try:
        # The reader checks characters as soon as the loader is made: both inside the try.
        loader = yaml.SafeLoader(text)
        node = loader.get_single_node()
    except yaml.reader.ReaderError as exc:
        at = text[: exc.position].count("\n") + 1
        raise ValidationFailed(
            [
                Problem(
                    _("character {char} is not allowed in YAML").format(char=repr(exc.character)),
                    file=name,
                    line=at,
                )
            ],
            _("{file}: cannot be read as YAML; nothing was written").format(file=name),
            hint=_("delete the stray character (often pasted from a PDF or a spreadsheet)"),
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        # PyYAML's own words ("found undefined alias") stay English.
        problem = exc.problem or exc.context or _("not valid YAML")
        raise ValidationFailed(
            [
                Problem(
                    _("not valid YAML: {problem}").format(problem=problem),
                    file=name,
                    line=line,
                    hint=_yaml_hint(str(problem)),
                )
            ],
            _("{file}: cannot be read as YAML; nothing was written").format(file=name),
            hint=_("check the indentation and the quotes around the line named"),
        ) from None
    except yaml.YAMLError as exc:
        raise ValidationFailed(
            [Problem(_("not valid YAML: {problem}").format(problem=exc), file=name)],
            _("{file}: cannot be read as YAML").format(file=name),
        ) from None
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        raise ValidationFailed(
            [Problem(_("the file is empty"), file=name, line=1)],
            _("{file}: empty cohort definition").format(file=name),
            hint=_("copy one of the examples in cohorts/ and edit it"),
        )
    lines: dict[str, int] = {}
    problems: list[Problem] = []
    budget = [MAX_NODES]
    flow: set[str] = set()
    ends: list[tuple[str, int, int]] = []
    data = _build(node, "", lines, problems, name, budget, flow, ends)
    if budget[0] < 0:  # an alias bomb: the data is cut short, its field errors would mislead
        raise ValidationFailed(
            problems, _("{file}: cannot be read; nothing was written").format(file=name)
        )
    text_lines = text.splitlines()
    cut = []
    for path, line, column in ends:
        rest = text_lines[line][column:] if line < len(text_lines) else ""
        # "title: Sesi #3 Nilai Dasar" is the title "Sesi" and a comment; "jp: 4  # empat"
        # is a comment on purpose. A '#' glued to the text after it is the likely mistake.
        if _GLUED_COMMENT.match(rest):
            cut.append((path, rest.strip()))
    # A duplicate or merge key is reported with the field errors, all at once.
    return _Tree(data, lines, flow, cut, problems)


_GLUED_COMMENT = re.compile(r"\s+#[^\s#!]")


def _yaml_hint(problem: str) -> str | None:
    """What the usual hand-editing mistake behind a YAML parser's complaint is."""
    if "'\\t'" in problem:
        return _("indent with spaces, not tabs (set your editor to insert spaces)")
    if "mapping values are not allowed" in problem or "found '<scalar>'" in problem:
        return _(
            'a value that contains ": ", or starts with a bracket, # or a quote, needs quotes '
            'around it, e.g. title: "Agenda 1: Sikap"'
        )
    return None


def _build(
    node: Any,
    path: str,
    lines: dict[str, int],
    problems: list[Problem],
    name: str,
    budget: list[int],
    flow: set[str],
    ends: list[tuple[str, int, int]],
) -> Any:
    import yaml

    budget[0] -= 1
    if budget[0] < 0:
        if budget[0] == -1:
            problems.append(
                Problem(
                    _("the document expands to too many values (aliases?)"),
                    file=name,
                    line=node.start_mark.line + 1,
                )
            )
        return None
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        if node.flow_style:
            flow.add(path)
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(Problem(_("a key must be a plain word"), file=name, line=line))
                continue
            key = key_node.value
            sub = f"{path}.{key}" if path else key
            if key == "<<":
                problems.append(
                    Problem(
                        _("merge keys (<<) are not supported; write the fields out"),
                        file=name,
                        line=line,
                        field=path or None,
                    )
                )
                continue
            if key in out:
                problems.append(
                    Problem(
                        _("duplicate key '{key}' (first at line {line})").format(
                            key=key, line=lines.get(sub)
                        ),
                        file=name,
                        line=line,
                        field=sub,
                        hint=_("YAML keeps only one of them; delete the other"),
                    )
                )
                continue
            lines[sub] = line
            out[key] = _build(value_node, sub, lines, problems, name, budget, flow, ends)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(item, f"{path}[{i}]", lines, problems, name, budget, flow, ends)
            for i, item in enumerate(node.value)
        ]
    # A scalar: keep the text exactly as written. Unquoted null-words mean "absent".
    if node.style is None:
        ends.append((path, node.end_mark.line, node.end_mark.column))
    if node.style is None and node.value in NULLS:
        return None
    return node.value


class _Checker:
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
                    # {name: Dra. Ani, M.Si.} splits at the comma: the classic trap with titles.
                    # Braces doubled: the text goes through format() for its placeholders' sake.
                    hint = _(
                        "inside {{ }}, a comma starts a new field: put a value that contains "
                        'commas in quotes, e.g. name: "{example}"'
                    ).format(example="Dra. Ani Rahayu, M.Si.")
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
            self.error(sub, _("expected a whole number, found {value}").format(value=_show(value)))
            return MISSING
        number = int(value)
        if (low is not None and number < low) or (high is not None and number > high):
            self.error(
                sub,
                _("{value} is out of range ({range})").format(
                    value=number, range=_range(low, high)
                ),
            )
            return MISSING
        return number

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
            self.error(sub, _("expected a number, found {value}").format(value=_show(value)))
            return MISSING
        if (low is not None and number < low) or (high is not None and number > high):
            self.error(
                sub,
                _("{value} is out of range ({range})").format(value=value, range=_range(low, high)),
            )
            return MISSING
        return number

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
            _("expected true or false, found {value}").format(value=_show(value)),
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
                _("expected a real date as YYYY-MM-DD, found {value}").format(value=_show(value)),
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
            _("expected a time as HH:MM (24-hour), found {value}").format(value=_show(value)),
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
                    value=_show(value), options=", ".join(options)
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

    # --- the definition ----------------------------------------------------------------------

    def cohort(self, data: Any) -> Cohort | None:
        top = self.mapping(
            data,
            "",
            (
                "id",
                "programme",
                "angkatan",
                "year",
                "organiser",
                "mode",
                "capacity",
                "start",
                "end",
                "jp_minutes",
                "max_jp_per_day",
                "opening",
                "facilitators",
                "sessions",
                "attendance",
                "completion",
                "certificate",
            ),
        )
        if top is None:
            return None
        cid = self.text(top, "id")
        if cid is not MISSING and not ID_RE.fullmatch(cid):
            self.error(
                "id",
                _("'{id}' is not a valid cohort id").format(id=cid),
                _("use upper-case letters, digits and dashes, e.g. PRM-2021-II"),
            )
            cid = MISSING
        prog_code = prog_name = MISSING
        programme = self.get(top, "programme", "", True)
        if programme is not MISSING:
            prog = self.mapping(programme, "programme", ("code", "name"))
            if prog is not None:
                prog_code = self.text(prog, "code", "programme")
                if prog_code is not MISSING and not ID_RE.fullmatch(prog_code):
                    self.error(
                        "programme.code",
                        _("'{code}' is not a valid programme code").format(code=prog_code),
                        _("use upper-case letters, digits and dashes, e.g. PRM"),
                    )
                    prog_code = MISSING
                prog_name = self.text(prog, "name", "programme")
        angkatan = self._angkatan(top)
        year = self.integer(top, "year", low=2000, high=2100)
        organiser = self.text(top, "organiser")
        mode = self.choice(top, "mode", "", MODES, None)
        capacity = self.integer(top, "capacity", required=False, low=1, high=10_000)
        start = self.date(top, "start")
        end = self.date(top, "end")
        if start is not MISSING and end is not MISSING and start > end:
            self.error(
                "end",
                _("the cohort ends ({end}) before it starts ({start})").format(
                    end=end, start=start
                ),
            )
        if year is not MISSING and start is not MISSING and abs(start.year - year) > 1:
            self.warn(
                "year",
                _("year {year} differs from the start date {start}").format(year=year, start=start),
            )
        jp_minutes = self.integer(top, "jp_minutes", required=False, low=1, high=240)
        jp_minutes = 45 if jp_minutes is MISSING else jp_minutes
        max_jp_day = self.integer(top, "max_jp_per_day", required=False, low=1, high=24)
        opening_date = opening_by = None
        if "opening" in top and top["opening"] is not None:
            opening = self.mapping(top["opening"], "opening", ("date", "by"))
            if opening is not None:
                od = self.date(opening, "date", "opening", required=False)
                opening_date = None if od is MISSING else od
                ob = self.text(opening, "by", "opening", required=False)
                opening_by = None if ob is MISSING else ob
                if (
                    opening_date
                    and start is not MISSING
                    and end is not MISSING
                    and not (start <= opening_date <= end)
                ):
                    self.warn(
                        "opening.date",
                        _(
                            "the opening ({date}) is outside the cohort's dates ({start} to {end})"
                        ).format(date=opening_date, start=start, end=end),
                    )
        facilitators = self._facilitators(top)
        sessions = self._sessions(top, facilitators, start, end, jp_minutes, mode, max_jp_day)
        attendance = self._attendance(top)
        completion = self._completion(top)
        certificate = self._certificate(top)
        if self.problems:
            return None
        cohort = Cohort(
            id=cid,
            programme_code=prog_code,
            programme_name=prog_name,
            angkatan=angkatan,
            year=year,
            organiser=organiser,
            mode=mode,
            capacity=None if capacity is MISSING else capacity,
            max_jp_per_day=None if max_jp_day is MISSING else max_jp_day,
            start=start,
            end=end,
            jp_minutes=jp_minutes,
            opening_date=opening_date,
            opening_by=opening_by,
            facilitators=tuple(facilitators.values()),
            sessions=tuple(sessions),
            attendance=attendance,
            completion=completion,
            certificate=certificate,
        )
        self._check_template(cohort)
        return None if self.problems else cohort

    def _angkatan(self, top: dict[str, Any]) -> Any:
        value = top.get("angkatan")
        # "angkatan: II" is how people write it; accept the Roman numeral too.
        if isinstance(value, str) and from_roman(value) is not None:
            return from_roman(value)
        number = self.integer(top, "angkatan", low=1, high=999)
        if number is MISSING and self.problems and self.problems[-1].field == "angkatan":
            self.problems[-1].hint = _("write the number (2) or the Roman numeral (II) alone")
        return number

    def _facilitators(self, top: dict[str, Any]) -> dict[str, Facilitator]:
        out: dict[str, Facilitator] = {}
        for i, item in enumerate(self.items(top, "facilitators", required=False)):
            path = f"facilitators[{i}]"
            f = self.mapping(item, path, ("id", "name", "role"))
            if f is None:
                continue
            fid = self.text(f, "id", path)
            name = self.text(f, "name", path)
            role = self.choice(f, "role", path, ROLES, "fasilitator")
            if fid is MISSING or name is MISSING or role is MISSING:
                continue
            if fid in out:
                self.error(f"{path}.id", _("facilitator id '{id}' is used twice").format(id=fid))
                continue
            out[fid] = Facilitator(fid, name, role)
        return out

    def _sessions(
        self,
        top: dict[str, Any],
        facilitators: dict[str, Facilitator],
        start: Any,
        end: Any,
        jp_minutes: int,
        mode: Any,
        max_jp_day: Any,
    ) -> list[Session]:
        items = self.items(top, "sessions", required=True)
        if "sessions" in top and top["sessions"] is not None and not items:
            self.error("sessions", _("the cohort has no sessions"), _("list at least one session"))
        default_kind = "klasikal" if mode == "klasikal" else "sinkron"
        out: list[Session] = []
        previous: tuple[int, dt.datetime, dt.datetime] | None = None  # number, start, end
        per_day: dict[dt.date, int] = {}
        for i, item in enumerate(items):
            path = f"sessions[{i}]"
            label = _("(session {number})").format(number=i + 1)
            s = self.mapping(
                item, path, ("date", "start", "end", "title", "jp", "facilitator", "kind")
            )
            if s is None:
                continue
            day = self.date(s, "date", path)
            t0 = self.time(s, "start", path)
            t1 = self.time(s, "end", path)
            title = self.text(s, "title", path)
            jp = self.integer(s, "jp", path, low=1, high=24)
            kind = self.choice(s, "kind", path, SESSION_KINDS, default_kind)
            fid = self.text(s, "facilitator", path, required=False)
            if fid is not MISSING and fid not in facilitators:
                known = ", ".join(facilitators) or _("none defined")
                self.error(
                    f"{path}.facilitator",
                    _("unknown facilitator '{id}' {session}").format(id=fid, session=label),
                    _("facilitator ids: {ids}").format(ids=known),
                )
                fid = MISSING
            if (
                day is not MISSING
                and start is not MISSING
                and end is not MISSING
                and not (start <= day <= end)
            ):
                self.error(
                    f"{path}.date",
                    _("{day} is outside the cohort's dates ({start} to {end}) {session}").format(
                        day=day, start=start, end=end, session=label
                    ),
                )
            if t0 is not MISSING and t1 is not MISSING and t0 >= t1:
                self.error(
                    f"{path}.end",
                    _(
                        "the session ends ({end}) before or when it starts ({start}) {session}"
                    ).format(end=f"{t1:%H:%M}", start=f"{t0:%H:%M}", session=label),
                )
                t1 = MISSING
            if MISSING in (day, t0, t1):
                previous = None
                continue
            # The order is checked whenever the times are known, whatever else is wrong with
            # the session: every problem is reported at once.
            starts_at, ends_at = dt.datetime.combine(day, t0), dt.datetime.combine(day, t1)
            if previous is not None and starts_at < previous[2]:
                order = (
                    _("session {number} overlaps session {other}")
                    if starts_at > previous[1]
                    else _("session {number} comes before session {other}")
                )
                self.error(
                    f"{path}.start" if day == previous[1].date() else f"{path}.date",
                    order.format(number=i + 1, other=previous[0]),
                    _("list sessions in time order, without overlaps"),
                )
            previous = (i + 1, starts_at, ends_at)
            if MISSING in (title, jp, kind):
                continue
            session = Session(
                number=i + 1,
                date=day,
                start=t0,
                end=t1,
                title=title,
                jp=jp,
                facilitator=None if fid is MISSING else fid,
                kind=kind,
            )
            if kind != "asinkron" and session.minutes != jp * jp_minutes:
                self.warn(
                    f"{path}.jp",
                    _(
                        "{jp} JP x {jp_minutes} min = {total} min, "
                        "but the session lasts {minutes} min {session}"
                    ).format(
                        jp=jp,
                        jp_minutes=jp_minutes,
                        total=jp * jp_minutes,
                        minutes=session.minutes,
                        session=label,
                    ),
                )
            per_day[day] = per_day.get(day, 0) + jp
            out.append(session)
        if max_jp_day is not MISSING:
            for day, total in per_day.items():
                if total > max_jp_day:
                    self.warn(
                        "sessions",
                        _("{day} has {total} JP, more than max_jp_per_day ({max})").format(
                            day=day, total=total, max=max_jp_day
                        ),
                    )
        return out

    def _attendance(self, top: dict[str, Any]) -> AttendanceRules:
        if top.get("attendance") is None:
            return AttendanceRules()
        a = self.mapping(
            top["attendance"],
            "attendance",
            ("present_min_pct", "late_after_min", "counts_as_attended"),
        )
        if a is None:
            return AttendanceRules()
        default = AttendanceRules()
        pct = self.number(a, "present_min_pct", "attendance", required=False, low=0, high=100)
        late = self.integer(a, "late_after_min", "attendance", required=False, low=0, high=600)
        counts = default.counts_as_attended
        if a.get("counts_as_attended") is not None:
            raw = self.items(a, "counts_as_attended", "attendance", required=False)
            chosen = []
            for j, status in enumerate(raw):
                if not isinstance(status, str) or status.strip().lower() not in ATTENDANCE_STATUSES:
                    self.error(
                        f"attendance.counts_as_attended[{j}]",
                        _("{value} is not a status; use: {statuses}").format(
                            value=_show(status), statuses=", ".join(ATTENDANCE_STATUSES)
                        ),
                    )
                else:
                    chosen.append(status.strip().lower())
            if not raw:
                self.error("attendance.counts_as_attended", _("name at least one status"))
            counts = tuple(dict.fromkeys(chosen))
        return AttendanceRules(
            present_min_pct=default.present_min_pct if pct is MISSING else pct,
            late_after_min=default.late_after_min if late is MISSING else late,
            counts_as_attended=counts,
        )

    def _completion(self, top: dict[str, Any]) -> CompletionRules:
        default = CompletionRules()
        if top.get("completion") is None:
            return default
        c = self.mapping(
            top["completion"],
            "completion",
            ("min_attendance_pct", "pass_score", "defer_min_score", "components", "predicates"),
        )
        if c is None:
            return default
        path = "completion"
        min_att = self.number(c, "min_attendance_pct", path, required=False, low=0, high=100)
        pass_score = self.number(c, "pass_score", path, required=False, low=0, high=100)
        defer = self.number(c, "defer_min_score", path, required=False, low=0, high=100)
        pass_score = default.pass_score if pass_score is MISSING else pass_score
        defer = default.defer_min_score if defer is MISSING else defer
        if defer > pass_score:
            self.error(
                "completion.defer_min_score",
                _("defer_min_score ({defer}) is above pass_score ({passing})").format(
                    defer=f"{defer:g}", passing=f"{pass_score:g}"
                ),
                _("a deferred score lies between defer_min_score and pass_score"),
            )
        components: tuple[Component, ...] = DEFAULT_COMPONENTS
        if c.get("components") is not None:
            components = self._components(c)
        predicates: tuple[Predicate, ...] = DEFAULT_PREDICATES
        if c.get("predicates") is not None:
            predicates = self._predicates(c)
        # The band that holds the pass score should start there: otherwise one predicate is
        # printed for failing and passing scores alike (domain.md: the lowest passing band).
        holding = [band for band in predicates if band.min <= pass_score]
        if holding and max(holding, key=lambda band: band.min).min < pass_score:
            band = max(holding, key=lambda band: band.min)
            self.warn(
                "completion.predicates",
                _(
                    "predicate {label} (from {low}) is given to failing and passing scores "
                    "alike (pass_score {passing})"
                ).format(label=repr(band.label), low=f"{band.min:g}", passing=f"{pass_score:g}"),
                _("start a predicate at the pass score"),
            )
        return CompletionRules(
            min_attendance_pct=default.min_attendance_pct if min_att is MISSING else min_att,
            pass_score=pass_score,
            defer_min_score=defer,
            components=components,
            predicates=predicates,
        )

    def _components(self, c: dict[str, Any]) -> tuple[Component, ...]:
        out: list[Component] = []
        weights: list[float] = []
        seen: set[str] = set()
        items = self.items(c, "components", "completion", required=False)
        for i, item in enumerate(items):
            path = f"completion.components[{i}]"
            m = self.mapping(item, path, ("key", "name", "weight", "required"))
            if m is None:
                continue
            key = self.text(m, "key", path)
            if key is not MISSING and not KEY_RE.fullmatch(key):
                self.error(
                    f"{path}.key",
                    _("'{key}' is not a valid key").format(key=key),
                    _("use lower-case letters, digits and _, e.g. rancangan"),
                )
                key = MISSING
            if key is not MISSING and key in seen:
                self.error(f"{path}.key", _("component key '{key}' is used twice").format(key=key))
                key = MISSING
            name = self.text(m, "name", path)
            weight = self.number(m, "weight", path, low=0, high=100)
            required = self.boolean(m, "required", path, False)
            if weight is not MISSING and weight <= 0:
                self.error(f"{path}.weight", _("a weight must be more than 0"))
                weight = MISSING
            if weight is not MISSING:
                weights.append(weight)
            if MISSING in (key, name, weight):
                continue
            seen.add(key)
            out.append(Component(key, name, weight, required))
        if not items:
            self.error("completion.components", _("name at least one score component"))
        # Checked when every weight could be read, even if a key or a name is wrong.
        total = sum(weights)
        if weights and len(weights) == len(items) and abs(total - 100) > 1e-6:
            self.error(
                "completion.components",
                _("the weights add up to {total}, not 100").format(total=f"{total:g}"),
            )
        return tuple(out)

    def _predicates(self, c: dict[str, Any]) -> tuple[Predicate, ...]:
        out: list[Predicate] = []
        items = self.items(c, "predicates", "completion", required=False)
        for i, item in enumerate(items):
            path = f"completion.predicates[{i}]"
            m = self.mapping(item, path, ("min", "label"))
            if m is None:
                continue
            low = self.number(m, "min", path, low=0, high=100)
            label = self.text(m, "label", path)
            if low is MISSING or label is MISSING:
                continue
            if out and low >= out[-1].min:
                self.error(
                    f"{path}.min",
                    _("bands must go from the highest down: {low} is not below {previous}").format(
                        low=f"{low:g}", previous=f"{out[-1].min:g}"
                    ),
                )
                continue
            out.append(Predicate(low, label))
        if not items:
            self.error("completion.predicates", _("name at least one predicate band"))
        elif out and len(out) == len(items) and out[-1].min != 0:
            self.error(
                f"completion.predicates[{len(items) - 1}].min",
                _("the lowest band starts at {low}, so scores below it have no predicate").format(
                    low=f"{out[-1].min:g}"
                ),
                _("end the list with a band whose min is 0"),
            )
        return tuple(out)

    def _certificate(self, top: dict[str, Any]) -> CertificateRules:
        if top.get("certificate") is None:
            return CertificateRules()
        m = self.mapping(top["certificate"], "certificate", ("number_format",))
        if m is None:
            return CertificateRules()
        fmt = self.text(m, "number_format", "certificate", required=False)
        if fmt is MISSING:
            return CertificateRules()
        # Unknown placeholders are found now, with the other problems; whether the template
        # renders is tried once the whole cohort is valid (_check_template).
        try:
            names = [f for _text, f, _spec, _conv in string.Formatter().parse(fmt) if f]
        except ValueError:
            names = []
        for name in names:
            if name.split(".")[0].split("[")[0] not in _PLACEHOLDERS:
                self.error(
                    "certificate.number_format",
                    _("unknown placeholder {{{name}}} in {template}").format(
                        name=name, template=repr(fmt)
                    ),
                    _("use {seq:03d}, {year}, {angkatan}, {programme}, {cohort}"),
                )
        return CertificateRules(fmt)

    def _check_template(self, cohort: Cohort) -> None:
        fmt = cohort.certificate.number_format
        path = "certificate.number_format"
        # The hints name placeholders of the certificate template: they are not formatted.
        hint = _("use {seq:03d}, {year}, {angkatan}, {programme}, {cohort}")
        try:
            first = certificate_number(cohort.certificate, cohort, 1)
            second = certificate_number(cohort.certificate, cohort, 2)
        except KeyError as exc:
            self.error(
                path,
                _("unknown placeholder {{{name}}} in {template}").format(
                    name=exc.args[0], template=repr(fmt)
                ),
                hint,
            )
            return
        except (ValueError, IndexError, AttributeError, TypeError) as exc:
            self.error(
                path,
                _("the template {template} does not render ({reason})").format(
                    template=repr(fmt), reason=exc
                ),
                hint,
            )
            return
        if first == second:
            self.error(
                path,
                _("the template {template} gives every certificate the same number").format(
                    template=repr(fmt)
                ),
                _("include {seq} in it"),
            )


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a section")
    return _("nothing")


def _range(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return _("{low} to {high}").format(low=f"{low:g}", high=f"{high:g}")
    if low is not None:
        return _("at least {low}").format(low=f"{low:g}")
    return _("at most {high}").format(high=f"{high:g}")


def find_definitions(folder: Path) -> list[Path]:
    """Cohort files in a folder, in name order."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".yaml", ".yml"))


def misnamed_definitions(folder: Path) -> list[Path]:
    """Files Notepad saved as NAME.yaml.txt: definitions, except for their name."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.name.lower().endswith((".yaml.txt", ".yml.txt")))


def peek_id(path: Path) -> str | None:
    """The id a definition declares, without validating the rest (to match files to cohorts)."""
    try:
        tree = _compose(_decode(_read_bytes(path), path), str(path))
    except (InputError, ValidationFailed):
        return None
    data = tree.data
    value = data.get("id") if isinstance(data, dict) else None
    return value.strip() if isinstance(value, str) else None
