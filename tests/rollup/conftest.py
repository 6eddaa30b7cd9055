"""A small simulated national catalogue, made once: 5 trainings in 3 provinces over 2 years."""

from __future__ import annotations

import warnings

import pytest

from evalkit.rollup import example_catalogue, load_catalogue


@pytest.fixture(scope="session")
def catalogue_path(tmp_path_factory):
    return example_catalogue(tmp_path_factory.mktemp("nasional"), trainings=5, groups=3,
                             provinces=("Aceh", "Lampung", "Papua"), years=(2025, 2026), seed=3)


@pytest.fixture(scope="session")
def catalogue(catalogue_path):
    return load_catalogue(catalogue_path)


@pytest.fixture(scope="session")
def result(catalogue):
    from evalkit.rollup import rollup

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return rollup(catalogue)
