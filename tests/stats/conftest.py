"""Shared fixtures of the statistics tests: paths of the reference data sets."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

REFERENCE_DATA = Path(__file__).resolve().parents[1] / "reference" / "data"


@pytest.fixture(scope="session")
def sleep_wide() -> pd.DataFrame:
    """R's ``sleep`` in wide form (id, pre = group 1, post = group 2), exported by R."""
    return pd.read_csv(REFERENCE_DATA / "sleep_wide.csv")


@pytest.fixture(scope="session")
def paired_groups() -> pd.DataFrame:
    """Hand-made data: groups A (12, ties and a zero), B (7, exact), C (9, one NaN)."""
    return pd.read_csv(REFERENCE_DATA / "paired_groups.csv")


@pytest.fixture(scope="session")
def reference_data() -> Path:
    """Folder of the CSV data sets shared by the R script and the tests."""
    return REFERENCE_DATA


@pytest.fixture(scope="session")
def bfi_items() -> pd.DataFrame:
    """psych::bfi A1-A5, complete cases (exported by R), with A1 reversed (7 - A1)."""
    items = pd.read_csv(REFERENCE_DATA / "bfi_agreeableness.csv")
    return items.assign(A1=7 - items["A1"])
