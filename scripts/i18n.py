"""The translation catalog's tooling: extract, check, compile (needs Babel: pip install babel).

    python scripts/i18n.py extract   # msgids from the code and the --help texts -> the .po
    python scripts/i18n.py compile   # the .po -> the .mo the program reads
    python scripts/i18n.py check     # nothing missing, obsolete or fuzzy; placeholders match;
                                     # the .mo says what the .po says (exit 1 otherwise)

What is extracted: the first argument of every ``_()``, ``N_()`` and ``Msg()`` call, and both
arguments of ``ngettext()``, when they are string literals (``ast``, so nothing is imported for
that);
and the help of every command, group, option and argument of the command tree (Typer builds
it; the text is cleaned with ``inspect.cleandoc``, as ``cli.translate_help`` looks it up).
See revmental_cli/i18n.py for the rules on what is translated.
"""

from __future__ import annotations

import ast
import inspect
import io
import os
import re
import string
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "revmental_cli"
PO = PACKAGE / "locale" / "id" / "LC_MESSAGES" / "revmental.po"
MO = PO.with_suffix(".mo")
MARKERS = {"_": 1, "N_": 1, "Msg": 1, "ngettext": 2}


@dataclass
class Entry:
    msgid: str
    plural: str | None = None
    where: list[str] = field(default_factory=list)


def source_messages() -> Iterator[tuple[str, str | None, str]]:
    """(msgid, plural, 'file:line') for every marked string literal in the package."""
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            wanted = MARKERS.get(node.func.id)
            if wanted is None or len(node.args) < wanted:
                continue
            texts = node.args[:wanted]
            if not all(isinstance(t, ast.Constant) and isinstance(t.value, str) for t in texts):
                continue
            values = [t.value for t in texts]  # type: ignore[attr-defined]
            where = f"{path.relative_to(ROOT).as_posix()}:{node.lineno}"
            yield values[0], (values[1] if wanted == 2 else None), where


def help_messages() -> Iterator[tuple[str, str]]:
    """(cleaned help text, 'help: revmental ...') for the whole command tree, in English."""
    os.environ["REVMENTAL_LANG"] = "en"
    sys.path.insert(0, str(ROOT))

    from revmental_cli.cli import command_tree

    def walk(command: object, path: str) -> Iterator[tuple[str, str]]:
        for text in (getattr(command, "help", None), getattr(command, "short_help", None)):
            if text:
                yield inspect.cleandoc(text), f"help: {path}"
        for param in getattr(command, "params", ()):
            if getattr(param, "help", None):
                yield inspect.cleandoc(param.help), f"help: {path} {param.name}"
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            yield from walk(sub, f"{path} {name}")

    yield from walk(command_tree(), "revmental")


def extract() -> dict[str, Entry]:
    """Every msgid the program may look up, in order of first appearance."""
    entries: dict[str, Entry] = {}
    for msgid, plural, where in source_messages():
        entry = entries.setdefault(msgid, Entry(msgid, plural))
        entry.where.append(where)
    for msgid, where in help_messages():
        entries.setdefault(msgid, Entry(msgid)).where.append(where)
    return entries


def read_catalog(path: Path = PO) -> Any:
    from babel.messages.pofile import read_po

    with path.open("rb") as fh:
        return read_po(fh, locale="id", domain="revmental")


def placeholders(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return {"<unbalanced braces>"}


def write_catalog(entries: dict[str, Entry]) -> list[str]:
    """Rewrite the .po: the extracted msgids with their existing translations. Returns the
    msgids that were dropped (obsolete)."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    old = read_catalog() if PO.exists() else None
    catalog = Catalog(
        locale="id",
        domain="revmental",
        header_comment=(
            "# Indonesian for revmental, as a training centre's administrator writes it:\n"
            "# formal but plain. Source of revmental.mo: see revmental_cli/i18n.py.\n"
        ),
        project="revmental",
        version=_version(),
        msgid_bugs_address="https://github.com/revmental/revmental/issues",
        last_translator="revmental maintainers",
        language_team="Indonesian",
        fuzzy=False,
        charset="utf-8",
    )
    if old is not None:
        catalog.revision_date = old.revision_date
        catalog.creation_date = old.creation_date
    for entry in entries.values():
        key: str | tuple[str, str] = (entry.msgid, entry.plural) if entry.plural else entry.msgid
        previous = old.get(entry.msgid) if old is not None else None
        translation: str | tuple[str, ...] = ("", "") if entry.plural else ""
        flags: set[str] = set()
        if previous is not None:
            translation = previous.string
            flags = set(previous.flags) - {"python-format", "python-brace-format"}
        catalog.add(
            key,
            translation,
            locations=[(w, 0) for w in entry.where],  # the line is in the name already
            flags=flags,
        )
    dropped = [m.id for m in old if m.id and _msgid(m.id) not in entries] if old is not None else []
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, omit_header=False, include_lineno=False)
    PO.parent.mkdir(parents=True, exist_ok=True)
    PO.write_bytes(buffer.getvalue())
    return [_msgid(d) for d in dropped]


def _version() -> str:
    text = (ROOT / "revmental_cli" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r"__version__\s*=\s*[\"']([^\"']+)", text)
    return found.group(1) if found else "0"


def _msgid(value: object) -> str:
    return value[0] if isinstance(value, tuple) else str(value)


def mo_bytes() -> bytes:
    from babel.messages.mofile import write_mo

    buffer = io.BytesIO()
    write_mo(buffer, read_catalog(), use_fuzzy=False)
    return buffer.getvalue()


def translations_in_mo(data: bytes) -> dict[object, str]:
    import gettext

    mo = gettext.GNUTranslations(io.BytesIO(data))
    return {k: v for k, v in mo._catalog.items() if k != ""}  # type: ignore[attr-defined]


def problems() -> list[str]:
    """Everything wrong with the catalog, as lines a person can act on."""
    found: list[str] = []
    entries = extract()
    if not PO.exists():
        return [f"{PO.relative_to(ROOT)} does not exist: run `python scripts/i18n.py extract`"]
    catalog = read_catalog()
    in_po = {_msgid(m.id): m for m in catalog if m.id}
    for msgid, entry in entries.items():
        message = in_po.get(msgid)
        strings = (
            []
            if message is None
            else list(message.string)
            if isinstance(message.string, tuple)
            else [message.string]
        )
        if message is None or not all(s.strip() for s in strings):
            found.append(f"missing Indonesian for {msgid!r} ({entry.where[0]})")
            continue
        if message.fuzzy:
            found.append(f"fuzzy (needs review): {msgid!r}")
        wanted = placeholders(msgid)
        for text in strings:
            if placeholders(text) != wanted:
                found.append(
                    f"placeholders differ in {msgid!r}: {sorted(wanted)} vs "
                    f"{sorted(placeholders(text))}"
                )
    found += [f"obsolete in the .po: {m!r}" for m in in_po if m not in entries]
    if not MO.exists():
        found.append(f"{MO.relative_to(ROOT)} does not exist: run `python scripts/i18n.py compile`")
    elif translations_in_mo(MO.read_bytes()) != translations_in_mo(mo_bytes()):
        found.append(f"{MO.relative_to(ROOT)} is out of date: run `python scripts/i18n.py compile`")
    return found


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "extract":
        entries = extract()
        dropped = write_catalog(entries)
        for msgid in dropped:
            print(f"dropped (obsolete): {msgid!r}")
        catalog = read_catalog()
        missing = sum(1 for m in catalog if m.id and not m.string)
        print(f"{PO.relative_to(ROOT)}: {len(entries)} messages, {missing} to translate")
        return 0
    if command == "compile":
        MO.write_bytes(mo_bytes())
        print(f"wrote {MO.relative_to(ROOT)}")
        return 0
    if command == "check":
        found = problems()
        for line in found:
            print(line)
        print("catalog OK" if not found else f"{len(found)} problem(s)")
        return 1 if found else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
