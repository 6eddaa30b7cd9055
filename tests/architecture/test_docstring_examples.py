"""Every docstring example outside evalkit.stats runs (tests/stats/test_doctests.py runs
those of the statistics)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import warnings

import pytest

import evalkit

MODULES = ["evalkit"] + sorted(info.name for info in pkgutil.walk_packages(evalkit.__path__, "evalkit.")
                               if not info.name.startswith("evalkit.stats"))


def test_the_examples_are_many():
    finder = doctest.DocTestFinder()
    examples = sum(len(t.examples) for name in MODULES for t in finder.find(importlib.import_module(name)))
    assert examples >= 140


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # examples that write a file write it here
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the sample data warns on purpose (ceiling, fuzzy pairs)
        result = doctest.testmod(importlib.import_module(name), report=False,
                                 optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert result.failed == 0
