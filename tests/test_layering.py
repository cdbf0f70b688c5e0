"""Which part of revmental_cli may import which, checked on the source text with `ast`.

Nothing here imports the code it checks: a forbidden import must fail the test even when it
would also break at import time, and importing would run the very imports under scrutiny.
The rules (from README.md's Development section):

- domain/ is rules without I/O: it imports none of importers, store, render, commands,
  services or context, not even for type hints (a type it needs belongs in domain/).
- a module of commands/ imports no other command module; commands/__init__.py and
  commands/options.py are shared by all and may be imported.
- render (a module or a package) does not import store or context at run time; imports under
  `if TYPE_CHECKING:` only name types and are allowed.
- importers/ are pure file parsers: they import none of store, render, commands or services.

Imports are found wherever they are written: at the top, inside functions (the lazy imports
that keep start-up fast), relative ones (`from ..store import x`), `from revmental_cli import
store`, and `importlib.import_module("revmental_cli.store")` with a literal name.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "revmental_cli"


@dataclass(frozen=True)
class Import:
    file: str  # relative to the repository, with forward slashes
    line: int
    modules: tuple[str, ...]  # what the statement may load: the module, and module.name
    text: str  # the statement as a reader would find it
    type_only: bool  # under `if TYPE_CHECKING:`

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.text}"


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _absolute(node: ast.ImportFrom, importer: str, is_package: bool) -> str:
    """`from ..store import x` in revmental_cli/render/table.py is revmental_cli.store."""
    if not node.level:
        return node.module or ""
    base = importer.split(".")
    # A package's __init__ is its own package; a module's package is its parent.
    drop = node.level - 1 if is_package else node.level
    base = base[: len(base) - drop] if drop else base
    return ".".join([*base, *([node.module] if node.module else [])])


def imports_of(path: Path, root: Path = ROOT) -> list[Import]:
    """Every import statement of one file, in line order."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    importer = module_name(path, root)
    is_package = path.name == "__init__.py"
    rel = path.relative_to(root).as_posix()
    found: list[Import] = []

    def visit(node: ast.AST, type_only: bool) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                visit(child, True)
            for child in node.orelse:
                visit(child, type_only)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                text = f"import {alias.name}"
                found.append(Import(rel, node.lineno, (alias.name,), text, type_only))
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(node, importer, is_package)
            names = [a.name for a in node.names]
            loaded = (module, *(f"{module}.{n}" for n in names if n != "*"))
            text = f"from {'.' * node.level}{node.module or ''} import {', '.join(names)}"
            found.append(Import(rel, node.lineno, loaded, text, type_only))
        elif isinstance(node, ast.Call) and _literal_import(node) is not None:
            target = _literal_import(node)
            assert target is not None
            text = f"import_module({target!r})"
            found.append(Import(rel, node.lineno, (target,), text, type_only))
        for child in ast.iter_child_nodes(node):
            visit(child, type_only)

    visit(tree, False)
    return sorted(found, key=lambda i: i.line)


def _literal_import(call: ast.Call) -> str | None:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name not in ("import_module", "__import__") or not call.args:
        return None
    first = call.args[0]
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None


def under(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def sources(part: str, root: Path = ROOT) -> list[Path]:
    """The .py files of revmental_cli/<part>, whether it is a module or a package."""
    package = root / "revmental_cli" / part
    module = package.with_suffix(".py")
    files = sorted(package.rglob("*.py")) if package.is_dir() else []
    return files + ([module] if module.is_file() else [])


# --- the rules --------------------------------------------------------------------------------

Rule = Callable[[Path, Import], str | None]  # why the import is forbidden, or None


def forbid(*parts: str, type_only_allowed: bool = False) -> Rule:
    prefixes = [f"revmental_cli.{p}" for p in parts]

    def rule(_path: Path, imp: Import) -> str | None:
        if imp.type_only and type_only_allowed:
            return None
        hits = sorted({p for p in prefixes for m in imp.modules if under(m, p)})
        return ", ".join(p.removeprefix("revmental_cli.") for p in hits) or None

    return rule


SHARED_COMMAND_MODULES = {"revmental_cli.commands", "revmental_cli.commands.options"}


def command_modules(root: Path = ROOT) -> set[str]:
    """Every module of commands/ (subpackages included) but the shared ones."""
    found = {module_name(p, root) for p in sources("commands", root)}
    return found - SHARED_COMMAND_MODULES


def another_command(root: Path = ROOT) -> Rule:
    commands = command_modules(root)

    def rule(path: Path, imp: Import) -> str | None:
        own = module_name(path, root)
        # The modules of its own package (commands/roster/ importing commands/roster/parse)
        # are one command split in files, not another command. The shared modules own none.
        mine = {c for c in commands if under(c, ".".join(own.split(".")[:3]))}
        if own in SHARED_COMMAND_MODULES:
            mine = set()
        hits = {c for c in commands - mine for m in imp.modules if under(m, c)}
        return ", ".join(sorted(h.removeprefix("revmental_cli.") for h in hits)) or None

    return rule


def violations(part: str, rule: Rule, root: Path = ROOT) -> list[str]:
    out = []
    for path in sources(part, root):
        for imp in imports_of(path, root):
            why = rule(path, imp)
            if why:
                hint = " (under TYPE_CHECKING)" if imp.type_only else ""
                out.append(f"{imp}{hint}  -> {why}")
    return out


RULES: dict[str, tuple[str, Callable[[Path], Rule]]] = {
    "domain": (
        "domain/ (rules without I/O) must not import importers, store, render, commands, "
        "services or context, not even under TYPE_CHECKING",
        lambda _root: forbid("importers", "store", "render", "commands", "services", "context"),
    ),
    "commands": (
        "a command module must not import another command module (only commands/__init__.py "
        "and commands/options.py are shared); move what both need to domain/ or services",
        another_command,
    ),
    "render": (
        "render must not import store or context at run time (under `if TYPE_CHECKING:` is "
        "fine); pass it the data instead",
        lambda _root: forbid("store", "context", type_only_allowed=True),
    ),
    "importers": (
        "importers/ (pure file parsers) must not import store, render, commands or services",
        lambda _root: forbid("store", "render", "commands", "services"),
    ),
}


@pytest.mark.parametrize("part", list(RULES))
def test_layering(part: str) -> None:
    assert sources(part), f"revmental_cli/{part} is gone: update tests/test_layering.py"
    rule_text, make_rule = RULES[part]
    found = violations(part, make_rule(ROOT))
    assert not found, f"{rule_text}:\n  " + "\n  ".join(found)


# --- the checker itself, on a made-up package --------------------------------------------------


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def fake(tmp_path: Path) -> Path:
    for package in ("", "domain/", "commands/", "importers/", "render/"):
        write(tmp_path, f"revmental_cli/{package}__init__.py", "")
    write(tmp_path, "revmental_cli/store.py", "")
    write(tmp_path, "revmental_cli/commands/options.py", "")
    return tmp_path


def check(root: Path, part: str) -> list[str]:
    return violations(part, RULES[part][1](root), root)


def test_the_checker_finds_every_form_of_import(fake: Path) -> None:
    write(
        fake,
        "revmental_cli/domain/rules.py",
        "import importlib\n"
        "from typing import TYPE_CHECKING\n"
        "from revmental_cli.domain import other\n"  # allowed
        "if TYPE_CHECKING:\n"
        "    from revmental_cli.importers.attendance import Mark\n"
        "def f():\n"
        "    from .. import store\n"
        "    import revmental_cli.render.table as t\n"
        "    return importlib.import_module('revmental_cli.context')\n"
        "from ..services.issue import x\n",
    )
    assert check(fake, "domain") == [
        "revmental_cli/domain/rules.py:5: from revmental_cli.importers.attendance import Mark"
        " (under TYPE_CHECKING)  -> importers",
        "revmental_cli/domain/rules.py:7: from .. import store  -> store",
        "revmental_cli/domain/rules.py:8: import revmental_cli.render.table  -> render",
        "revmental_cli/domain/rules.py:9: import_module('revmental_cli.context')  -> context",
        "revmental_cli/domain/rules.py:10: from ..services.issue import x  -> services",
    ]


def test_the_checker_allows_type_only_imports_in_render_alone(fake: Path) -> None:
    text = (
        "import typing\n"
        "if typing.TYPE_CHECKING:\n"
        "    from revmental_cli.store import Row\n"
        "else:\n"
        "    from revmental_cli.context import db_path\n"
        "def f():\n"
        "    from revmental_cli.store import make_private\n"
    )
    write(fake, "revmental_cli/render/table.py", text)
    assert check(fake, "render") == [
        "revmental_cli/render/table.py:5: from revmental_cli.context import db_path  -> context",
        "revmental_cli/render/table.py:7: from revmental_cli.store import make_private  -> store",
    ]
    write(fake, "revmental_cli/importers/roster.py", text)
    assert len(check(fake, "importers")) == 2  # store twice, context is allowed there
    (fake / "revmental_cli/render").rename(fake / "revmental_cli/old")
    write(fake, "revmental_cli/render.py", "from .store import make_private\n")
    assert check(fake, "render") == [
        "revmental_cli/render.py:1: from .store import make_private  -> store"
    ]


def test_the_checker_tells_a_shared_command_module_from_another_command(fake: Path) -> None:
    write(
        fake,
        "revmental_cli/commands/certificate.py",
        "from revmental_cli.commands import noun_app, options\n"
        "from . import options as o\n"
        "from revmental_cli.commands.certificate import helper\n"
        "def f():\n"
        "    from revmental_cli.commands.report import assessed_for\n"
        "    from revmental_cli.commands import roster\n",
    )
    write(fake, "revmental_cli/commands/report.py", "")
    write(fake, "revmental_cli/commands/options.py", "from .report import COHORT\n")
    write(fake, "revmental_cli/commands/roster/__init__.py", "from .parse import p\n")
    write(fake, "revmental_cli/commands/roster/parse.py", "from ..report import r\n")
    assert check(fake, "commands") == [
        "revmental_cli/commands/certificate.py:5: from revmental_cli.commands.report import "
        "assessed_for  -> commands.report",
        "revmental_cli/commands/certificate.py:6: from revmental_cli.commands import roster"
        "  -> commands.roster",
        "revmental_cli/commands/options.py:1: from .report import COHORT  -> commands.report",
        "revmental_cli/commands/roster/parse.py:1: from ..report import r  -> commands.report",
    ]


def loaded(path: Path, root: Path) -> set[str]:
    return {m for imp in imports_of(path, root) for m in imp.modules}


def test_relative_imports_resolve_from_modules_and_packages(fake: Path) -> None:
    write(fake, "revmental_cli/render/__init__.py", "from .table import t\nfrom .. import store\n")
    write(fake, "revmental_cli/render/table.py", "from . import x\nfrom ..domain.cohort import C\n")
    init = loaded(fake / "revmental_cli/render/__init__.py", fake)
    table = loaded(fake / "revmental_cli/render/table.py", fake)
    assert {"revmental_cli.render.table", "revmental_cli.store"} <= init
    assert {"revmental_cli.render.x", "revmental_cli.domain.cohort"} <= table


# --- domain/ reads no clock -------------------------------------------------------------------

# Calls that read the clock, as attribute chains ending in these names: ``date.today()``,
# ``dt.date.today()``, ``datetime.now()``, ``datetime.datetime.utcnow()``, ``time.time()``...
_CLOCK_READS = {
    ("date", "today"),
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("time", "time"),
    ("time", "time_ns"),
    ("time", "monotonic"),
    ("time", "localtime"),
    ("time", "gmtime"),
}


def clock_reads(path: Path, root: Path = ROOT) -> list[str]:
    """Every call in one file that reads the clock, as ``file:line: call``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    rel = path.relative_to(root).as_posix()
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute):
            owner = func.value
            owner_name = (
                owner.attr
                if isinstance(owner, ast.Attribute)
                else owner.id
                if isinstance(owner, ast.Name)
                else None
            )
            if (owner_name, func.attr) in _CLOCK_READS:
                found.append(f"{rel}:{node.lineno}: {ast.unparse(func)}()")
        elif isinstance(func, ast.Name) and func.id in ("today", "now", "time_ns"):
            # ``from datetime import date; today = date.today`` is caught above; a bare
            # ``now()`` imported from time or datetime is the same clock.
            found.append(f"{rel}:{node.lineno}: {func.id}()")
    return found


def test_domain_reads_no_clock() -> None:
    """Rules take ``today`` (or ``now``) as a parameter; services and commands read the clock."""
    reads = [read for path in sources("domain") for read in clock_reads(path)]
    assert not reads, "domain/ must not read the clock:\n" + "\n".join(reads)


def test_the_clock_checker_finds_every_form(tmp_path: Path) -> None:
    fake = tmp_path / "m.py"
    fake.write_text(
        "import datetime as dt\nimport time\nfrom datetime import date, datetime\n"
        "a = date.today()\nb = dt.date.today()\nc = datetime.now()\nd = time.time()\n"
        "e = dt.datetime.utcnow()\nf = date(2021, 1, 1)\n",
        encoding="utf-8",
    )
    lines = [read.split(":")[1] for read in clock_reads(fake, tmp_path)]
    assert lines == ["4", "5", "6", "7", "8"]
