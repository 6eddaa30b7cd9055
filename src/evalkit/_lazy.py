"""Deferred imports of heavy libraries, so that ``import evalkit`` stays fast.

SciPy's ``stats`` (about a second to import) is loaded on the
first attribute access, not when evalkit is imported.

Examples
--------
>>> from evalkit._lazy import scipy_stats
>>> float(scipy_stats.norm.cdf(0.0))
0.5
"""

from __future__ import annotations

import importlib
from types import ModuleType


class LazyModule:
    """A module imported on first attribute access."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def _load(self) -> ModuleType:
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return self._module

    def __getattr__(self, attr: str):
        return getattr(self._load(), attr)

    def __repr__(self) -> str:
        return f"<lazily imported module {self._name!r}>"


def optional_pyarrow() -> ModuleType | None:
    """pyarrow, or None: it is an optional extra, and every fast path has a fallback."""
    try:
        import pyarrow
    except ImportError:
        return None
    return pyarrow


scipy_stats = LazyModule("scipy.stats")
scipy_special = LazyModule("scipy.special")
scipy_optimize = LazyModule("scipy.optimize")
