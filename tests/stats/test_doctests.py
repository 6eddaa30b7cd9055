"""Run the examples in the docstrings of evalkit.stats."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import evalkit.stats

MODULES = sorted(
    f"evalkit.stats.{info.name}" for info in pkgutil.iter_modules(evalkit.stats.__path__)
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_all_is_sorted_and_exported() -> None:
    assert evalkit.stats.__all__ == sorted(evalkit.stats.__all__)
    for name in evalkit.stats.__all__:
        assert callable(getattr(evalkit.stats, name))
