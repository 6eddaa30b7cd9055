"""Pooling paired results from sufficient statistics equals pooling the raw answers.

The reference is evalkit's own paired_by_group on the pooled raw rows, itself tested against
R's t.test (test_paired.py); here the sums path must reproduce it to 1e-10.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evalkit import EvalkitError
from evalkit.stats import d_z_ci, paired_by_group, paired_from_sums, paired_sums

COMPARED = ["n", "mean_pre", "sd_pre", "mean_post", "sd_post", "mean_diff", "sd_diff",
            "ci_low", "ci_high", "t", "df", "p", "d_z", "g_av"]


@pytest.fixture(scope="module")
def answers() -> pd.DataFrame:
    """Simulated answers of 6 trainings in 3 provinces, 2-4 groups each, percent scores."""
    rng = np.random.default_rng(17)
    parts = []
    for t in range(6):
        for g in range(2 + t % 3):
            n = int(rng.integers(5, 40))
            pre = np.round(rng.normal(50 + 3 * t, 12, n) / 100 * 12) / 12 * 100  # k/12 scores
            post = np.clip(pre + rng.normal(8 - t, 9, n), 0, 100)
            parts.append(pd.DataFrame({"province": f"P{t % 3}", "training": f"T{t}", "group": f"G{g}",
                                       "pre": pre, "post": post}))
    data = pd.concat(parts, ignore_index=True)
    data.loc[[3, 50], "post"] = np.nan  # incomplete pairs are left out on both paths
    return data


def test_sums_are_the_groups_moments(answers):
    sums = paired_sums(answers, pre="pre", post="post", group=["training", "group"])
    one = answers[(answers["training"] == "T2") & (answers["group"] == "G1")].dropna()
    row = sums.loc[("T2", "G1")]
    assert row["n"] == len(one)
    np.testing.assert_allclose(row["sum_pre"], one["pre"].sum(), rtol=1e-13)
    np.testing.assert_allclose(row["ss_post"], ((one["post"] - one["post"].mean()) ** 2).sum(), rtol=1e-12)
    np.testing.assert_allclose(row["sp_pre_post"], np.cov(one["pre"], one["post"])[0, 1] * (len(one) - 1), rtol=1e-12)


@pytest.mark.parametrize("level", [None, "province", ["province", "training"]])
def test_pooled_sums_equal_pooled_raw_answers(answers, level):
    sums = paired_sums(answers, pre="pre", post="post", group=["province", "training", "group"]).reset_index()
    pooled = paired_from_sums(sums, group=level)
    raw = paired_by_group(answers, pre="pre", post="post", group=level)
    pd.testing.assert_frame_equal(pooled[COMPARED], raw[COMPARED], rtol=1e-10, check_dtype=False)
    low, high = d_z_ci(raw["d_z"].to_numpy(), raw["n"].to_numpy())
    np.testing.assert_allclose(pooled["d_z_ci_low"], low, rtol=1e-10)
    np.testing.assert_allclose(pooled["d_z_ci_high"], high, rtol=1e-10)
    assert (pooled["ci_level"] == 0.95).all()


def test_empty_and_single_groups_are_nan_not_inf():
    sums = pd.DataFrame({"g": ["a", "b"], "n": [0, 1], "sum_pre": [0.0, 5.0], "sum_post": [0.0, 7.0],
                         "ss_pre": [0.0, 0.0], "ss_post": [0.0, 0.0], "sp_pre_post": [0.0, 0.0]})
    res = paired_from_sums(sums, group="g")
    assert res.loc["b", "mean_diff"] == 2 and res.loc["a", "n"] == 0
    values = res[["mean_diff", "sd_diff", "t", "p", "d_z", "ci_low"]].to_numpy(dtype=float)
    assert not np.isinf(values).any() and np.isnan(values[:, 1:]).all()


def test_bad_sums_raise():
    sums = pd.DataFrame({"n": [3, -1], "sum_pre": [1.0, 2.0], "sum_post": [1.0, 2.0], "ss_pre": [1.0, 1.0],
                         "ss_post": [1.0, 1.0], "sp_pre_post": [0.5, 0.5]})
    with pytest.raises(EvalkitError, match=r"EK-ST-015\] .*'n' .* 2: .* -1\.0 "):
        paired_from_sums(sums)
    with pytest.raises(EvalkitError, match="EK-ST-009"):
        paired_from_sums(sums.iloc[:1].drop(columns="ss_pre"))


def test_inputs_not_modified(answers):
    before = answers.copy()
    sums = paired_sums(answers, pre="pre", post="post", group="training")
    sums_before = sums.copy()
    paired_from_sums(sums)
    pd.testing.assert_frame_equal(answers, before)
    pd.testing.assert_frame_equal(sums, sums_before)
