"""A cohort file, end to end: read it, check it, hand back a ``Cohort`` or every problem.

Owns the entry points the commands call (read, parse, peek at the id, list a folder) and the
``Loaded`` result with its warnings. Must never write anything: opening a cohort in the store
is the commands' and the store's business.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from revmental_cli.cohort_file.hints import glued_comment_warning
from revmental_cli.cohort_file.reader import compose, decode, read_bytes
from revmental_cli.cohort_file.rules import CohortChecker
from revmental_cli.domain.cohort import Cohort
from revmental_cli.errors import InputError, Problem, ValidationFailed
from revmental_cli.i18n import _


@dataclass
class Loaded:
    """A validated definition with the warnings that did not stop it."""

    cohort: Cohort
    path: Path
    sha256: str  # of the file's bytes, as `sha256sum` prints it, for the history
    warnings: list[Problem] = field(default_factory=list)


def read_definition(path: Path) -> Loaded:
    """Read and validate one cohort file; raise ValidationFailed listing every problem."""
    raw = read_bytes(path)
    return parse_definition(decode(raw, path), path, hashlib.sha256(raw).hexdigest())


def parse_definition(text: str, path: Path, sha256: str = "") -> Loaded:
    """Validate a definition's text; ``path`` names the file in every message."""
    name = str(path)
    tree = compose(text, name)
    checker = CohortChecker(name, tree.lines, tree.flow)
    checker.problems.extend(tree.problems)
    for field_path, rest in tree.cut:
        checker.warn(field_path, *glued_comment_warning(rest))
    cohort = checker.cohort(tree.data)
    _check_referenced_files(checker, tree.data, path.parent)
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


# The first bytes of the images a logo may be: PNG's signature, or SVG's XML text.
_PNG = b"\x89PNG\r\n\x1a\n"


def _check_referenced_files(checker: CohortChecker, data: object, folder: Path) -> None:
    """The template and logo a definition names exist next to it, and the logo is an image
    (a renamed .jpg or a Word file named logo.png would fail only when certificates are
    rendered, at the worst moment). Read from the plain data, so that these problems are
    listed with all the others."""
    section = data.get("certificate") if isinstance(data, dict) else None
    if not isinstance(section, dict):
        return
    template_name, logo_name = section.get("template"), section.get("logo")
    if isinstance(template_name, str) and template_name.strip():
        template = folder / template_name.strip()
        if not template.is_file():
            checker.error(
                "certificate.template",
                _("the template {file} does not exist").format(file=template),
                _("the path is relative to the cohort file; leave it out for the built-in STTP"),
            )
    if isinstance(logo_name, str) and logo_name.strip().lower().endswith((".png", ".svg")):
        logo = folder / logo_name.strip()
        try:
            head = logo.read_bytes()[:512] if logo.is_file() else None
        except OSError:
            head = None
        if head is None:
            checker.error(
                "certificate.logo",
                _("the logo {file} does not exist").format(file=logo),
                _("the path is relative to the cohort file"),
            )
        elif not (head.startswith(_PNG) or b"<svg" in head.lower()):
            checker.error(
                "certificate.logo",
                _("{file} is not a PNG or SVG image").format(file=logo),
                _("save the logo as .png or .svg next to the cohort file"),
            )


def find_definitions(folder: Path) -> list[Path]:
    """Cohort files in a folder, in name order."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".yaml", ".yml"))


def peek_id(path: Path) -> str | None:
    """The id a definition declares, without validating the rest (to match files to cohorts)."""
    try:
        tree = compose(decode(read_bytes(path), path), str(path))
    except (InputError, ValidationFailed):
        return None
    data = tree.data
    value = data.get("id") if isinstance(data, dict) else None
    return value.strip() if isinstance(value, str) else None
