"""The hand-editing traps of a cohort file, and the hint that names each one.

People write these files in Notepad: they indent with tabs, leave ": " or "#" in an unquoted
title, split ``{name: Dra. Ani, M.Si.}`` at its comma, write the angkatan as a Roman numeral
with words around it, and save NAME.yaml as NAME.yaml.txt. Owns spotting those traps and the
words of their hints. Must never decide whether a definition is valid (rules.py does) nor
read a file's content (reader.py does).
"""

from __future__ import annotations

import re
from pathlib import Path

from revmental_cli.i18n import _

# A '#' after a space, glued to the text after it: "Sesi #3" (see glued_comments).
_GLUED_COMMENT = re.compile(r"\s+#[^\s#!]")


def yaml_hint(problem: str) -> str | None:
    """What the usual hand-editing mistake behind a YAML parser's complaint is."""
    if "'\\t'" in problem:
        return _("indent with spaces, not tabs (set your editor to insert spaces)")
    if "mapping values are not allowed" in problem or "found '<scalar>'" in problem:
        return _(
            'a value that contains ": ", or starts with a bracket, # or a quote, needs quotes '
            'around it, e.g. title: "Agenda 1: Sikap"'
        )
    return None


def glued_comments(text: str, ends: list[tuple[str, int, int]]) -> list[tuple[str, str]]:
    """(field path, the text YAML dropped) for each plain value whose line goes on with a
    comment that was probably meant as part of the value. ``ends`` holds each plain value's
    path and where it ends (0-based line and column)."""
    text_lines = text.splitlines()
    cut = []
    for path, line, column in ends:
        rest = text_lines[line][column:] if line < len(text_lines) else ""
        # "title: Sesi #3 Nilai Dasar" is the title "Sesi" and a comment; "jp: 4  # empat"
        # is a comment on purpose. A '#' glued to the text after it is the likely mistake.
        if _GLUED_COMMENT.match(rest):
            cut.append((path, rest.strip()))
    return cut


def glued_comment_warning(rest: str) -> tuple[str, str]:
    """The warning (message, hint) for a value cut short by a glued comment."""
    return (
        _("YAML reads {rest} as a comment and leaves it out of the value").format(rest=repr(rest)),
        _("if it belongs to the value, put the whole value in quotes"),
    )


def flow_comma_hint() -> str:
    """For an unknown key inside ``{...}``: most likely a value split at its comma."""
    # {name: Dra. Ani, M.Si.} splits at the comma: the classic trap with titles.
    # Braces doubled: the text goes through format() for its placeholders' sake.
    return _(
        "inside {{ }}, a comma starts a new field: put a value that contains "
        'commas in quotes, e.g. name: "{example}"'
    ).format(example="Dra. Ani Rahayu, M.Si.")


def angkatan_hint() -> str:
    """For an angkatan that is neither a number nor a Roman numeral alone ("Angkatan II")."""
    return _("write the number (2) or the Roman numeral (II) alone")


def misnamed_definitions(folder: Path) -> list[Path]:
    """Files Notepad saved as NAME.yaml.txt: definitions, except for their name."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.name.lower().endswith((".yaml.txt", ".yml.txt")))
