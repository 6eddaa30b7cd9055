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
