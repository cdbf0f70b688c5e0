"""Package attributes that import their submodule on first use (PEP 562).

A package that re-exports its submodules' names eagerly makes every command pay for every
submodule; with ``lazy_attributes`` a command loads only the ones whose names it uses.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_attributes(
    package: str, names: dict[str, str], space: dict[str, Any]
) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: ``names`` maps an attribute to the submodule
    that defines it; ``space`` is the package's ``globals()``."""

    def __getattr__(name: str) -> Any:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        space[name] = value  # once: later lookups (and monkeypatching) see a plain attribute
        return value

    return __getattr__
