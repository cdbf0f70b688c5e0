"""Package attributes that import their submodule on first use (PEP 562).

A package that re-exports its submodules' names eagerly makes every command pay for every
submodule; with ``lazy_attributes`` a command loads only the ones whose names it uses.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_attributes(
    package: str, modules: Mapping[str, tuple[str, ...]], space: dict[str, Any]
) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: ``modules`` maps a submodule to the names it
    defines; ``space`` is the package's ``globals()``."""
    names: dict[str, str] = {}
    for module, defined in modules.items():
        if isinstance(defined, str):  # ("name") for ("name",): each letter would be a name
            raise TypeError(f"{package}: the names of {module!r} must be a tuple")
        names.update(dict.fromkeys(defined, module))

    def __getattr__(name: str) -> Any:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        space[name] = value  # once: later lookups (and monkeypatching) see a plain attribute
        return value

    return __getattr__
