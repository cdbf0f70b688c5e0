"""The YAML reader: a cohort file's bytes -> plain data, with the line of every field path.

PyYAML's own constructors are not used: they turn ``012345`` into an octal number, ``NO`` into
False, ``10:30`` into 630 and keep the last of two duplicate keys, silently. Instead the file
is *composed* into nodes, which keep their line numbers, and every scalar is kept as the text
the user wrote (rules.py converts each field by the rule for that field).

Owns reading the file (size, encoding, binary files), the composition (duplicate keys, merge
keys, alias bombs) and the YAML parser's errors. Must never know what a cohort is: no field
name or domain rule belongs here.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from revmental_cli.cohort_file.hints import glued_comments, yaml_hint
from revmental_cli.errors import InputError, Problem, ValidationFailed
from revmental_cli.i18n import _

MAX_FILE_BYTES = 1_000_000  # a real definition is a few KB; this bounds memory on a wrong file
MAX_NODES = 50_000  # bounds alias "billion laughs" expansion
# A cohort file nests four or five levels; the YAML composer recurses once per level, so a
# file nested hundreds deep would exhaust Python's stack before any field is checked.
MAX_DEPTH = 64

NULLS = {"", "~", "null", "Null", "NULL"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass
class Tree:
    """Plain data (dict/list/str/None) plus the line of every field path."""

    data: Any
    lines: dict[str, int]
    flow: set[str] = field(default_factory=set)  # paths written inline as {...}
    # Plain values followed on their line by " #text": YAML read the rest as a comment.
    cut: list[tuple[str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # duplicate keys, merge keys...


def read_bytes(path: Path) -> bytes:
    from revmental_cli.importers.tabular.source import cannot_read, stat_regular_file

    info = stat_regular_file(
        path,
        folder=_("{path} is a folder, not a cohort file"),
        hint=_("a cohort file is a short YAML text; check that you named the right file"),
        missing_hint=_("check the path, or run `revmental cohort list`"),
    )
    try:
        with path.open("rb") as handle:
            # One byte past the limit tells a file that grew since the check.
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise cannot_read(path, exc) from None
    if len(raw) > MAX_FILE_BYTES:
        raise InputError(
            _("{path}: {size} bytes is far too large for a cohort definition").format(
                path=path, size=f"{max(info.st_size, len(raw)):,}"
            ),
            hint=_("a cohort file is a short YAML text; check that you named the right file"),
        )
    return raw


def _utf16(raw: bytes) -> str | None:
    """The codec of a UTF-16 file (Notepad's "Unicode"): by its byte-order mark, or without
    one by the byte pattern the roster reader also uses; None when it is not UTF-16."""
    from revmental_cli.importers.tabular import utf16_without_bom

    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return utf16_without_bom(raw)


def decode(raw: bytes, path: Path) -> str:
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


def compose(text: str, name: str) -> Tree:
    import yaml  # heavy: imported only when a definition is read

    loader = None
    try:
        # The reader checks characters as soon as the loader is made: both inside the try.
        loader = _loader(text)
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
                    hint=yaml_hint(str(problem)),
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
    cut = glued_comments(text, ends)
    # A duplicate or merge key is reported with the field errors, all at once.
    return Tree(data, lines, flow, cut, problems)


def _loader(text: str) -> Any:
    """PyYAML's SafeLoader, refusing nesting deeper than MAX_DEPTH with the line it starts."""
    import yaml

    class DepthLimitedLoader(yaml.SafeLoader):
        depth = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            self.depth += 1
            try:
                if self.depth > MAX_DEPTH:
                    raise yaml.composer.ComposerError(
                        None,
                        None,
                        _("nested more than {limit} levels deep").format(limit=MAX_DEPTH),
                        self.peek_event().start_mark,
                    )
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    return DepthLimitedLoader(text)


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
