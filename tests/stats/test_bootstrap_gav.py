"""CI of g_av (against R by the formula) and the BCa bootstrap (against SciPy, same resamples)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from evalkit import EvalkitError, EvalkitWarning
from evalkit.stats import bootstrap_mean_diff, g_av_ci, omega_total

ROUT = Path(__file__).resolve().parents[1] / "reference" / "stats_reference.Rout"


def r_value(name: str) -> np.ndarray:
    """Values printed by ``out(name, ...)`` in stats_reference.R (section 6)."""
    for line in ROUT.read_text(encoding="utf-8").splitlines():
        match = re.match(rf"^{re.escape(name)}\s+(.*)$", line)
        if match:
            return np.array(match.group(1).split(), dtype=float)
    raise KeyError(name)


def _summary(pre, post):
    pre, post = np.asarray(pre, float), np.asarray(post, float)
    d = post - pre
    return dict(mean_diff=d.mean(), sd_diff=d.std(ddof=1), sd_pre=pre.std(ddof=1),
                sd_post=post.std(ddof=1), n=len(d))


def test_g_av_ci_matches_r_uniroot(sleep_wide, paired_groups):
    # R: uniroot on pt(t, n - 1, ncp), scaled by sd_d / (sqrt(n) s_av) and Hedges' J;
    # R's pt with ncp is accurate to about 1e-12, the root to 1e-13.
    low, high = g_av_ci(**_summary(sleep_wide["pre"], sleep_wide["post"]))
    np.testing.assert_allclose([low, high], r_value("gav_ci.sleep"), rtol=1e-8)
    exact_pre = [12.1, 14.3, 9.8, 11.0, 13.5, 10.2, 15.1, 8.7]
    exact_post = [13.0, 16.1, 9.5, 13.4, 15.8, 10.9, 17.9, 11.2]
    low, high = g_av_ci(**_summary(exact_pre, exact_post), confidence=0.90)
    np.testing.assert_allclose([low, high], r_value("gav_ci.exact_90"), rtol=1e-8)
    complete = paired_groups.dropna()
    sums = [_summary(s["pre"], s["post"]) for _, s in complete.groupby("group")]
    vector = {k: [s[k] for s in sums] for k in sums[0]}
    low, high = g_av_ci(**vector)  # vectorized over the three groups
    expected = np.array([r_value(f"gav_ci.group{g}") for g in "ABC"])
    np.testing.assert_allclose(np.column_stack([low, high]), expected, rtol=1e-8)


def test_g_av_ci_degenerate_cases_are_nan():
    low, high = g_av_ci(mean_diff=[1.0, 1.0, 1.0], sd_diff=[1.0, 0.0, 1.0], sd_pre=[1.0, 1.0, 0.0],
                        sd_post=[1.0, 1.0, 0.0], n=[2, 10, 10])
    assert np.isnan(low).all() and np.isnan(high).all()
    with pytest.raises(EvalkitError, match="EK-ST-008"):
        g_av_ci(mean_diff=1, sd_diff=1, sd_pre=1, sd_post=1, n=10, confidence=95)


@pytest.fixture
def grouped() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    df = pd.DataFrame({"g": np.repeat(["b", "a", "c"], [15, 9, 22])})  # unsorted on purpose
    df["pre"] = rng.normal(50, 10, len(df))
    df["post"] = df["pre"] + rng.normal(5, 8, len(df))
    df.loc[3, "post"] = np.nan  # a missing post-test drops that pair
    return df


def test_bootstrap_equals_scipy_bca_with_the_same_resamples(grouped):
    res = bootstrap_mean_diff(grouped, pre="pre", post="post", group="g", n_resamples=999, seed=7)
    assert res.index.tolist() == ["a", "b", "c"]
    # SciPy consumes the same generator group after group (sorted), so the resamples are the
    # same; equality up to float summation order.
    rng = np.random.default_rng(7)
    complete = grouped.dropna()
    for g, s in complete.groupby("g"):
        d = (s["post"] - s["pre"]).to_numpy()
        ref = sps.bootstrap((d,), np.mean, n_resamples=999, method="BCa", rng=rng)
        row = res.loc[g]
        assert row["n"] == len(d)
        np.testing.assert_allclose([row["ci_low"], row["ci_high"], row["se_boot"]],
                                   [ref.confidence_interval.low, ref.confidence_interval.high,
                                    ref.standard_error], rtol=1e-12)
        np.testing.assert_allclose(row["mean_diff"], d.mean(), rtol=1e-12)


def test_bootstrap_single_group_seeded_and_not_mutating(grouped):
    before = grouped.copy()
    one = bootstrap_mean_diff(grouped, pre="pre", post="post", n_resamples=500, seed=3, confidence=0.9)
    again = bootstrap_mean_diff(grouped, pre="pre", post="post", n_resamples=500, seed=3, confidence=0.9)
    pd.testing.assert_frame_equal(one, again)
    pd.testing.assert_frame_equal(grouped, before)
    d = (grouped["post"] - grouped["pre"]).dropna().to_numpy()
    ref = sps.bootstrap((d,), np.mean, n_resamples=500, method="BCa", confidence_level=0.9,
                        rng=np.random.default_rng(3))
    np.testing.assert_allclose(one[["ci_low", "ci_high"]].iloc[0],
                               [ref.confidence_interval.low, ref.confidence_interval.high], rtol=1e-12)
    assert one["ci_level"].iloc[0] == 0.9


def test_bootstrap_degenerate_groups_warn():
    df = pd.DataFrame({"g": ["a", "a", "a", "b"], "pre": [1.0, 2, 3, 4], "post": [2.0, 3, 4, 6]})
    with pytest.warns(EvalkitWarning, match="EK-ST-003"):
        res = bootstrap_mean_diff(df, pre="pre", post="post", group="g", n_resamples=100)
    assert res[["ci_low", "ci_high"]].isna().all(axis=None)  # a: all differences 1; b: one pair
    assert res["mean_diff"].tolist() == [1.0, 2.0]


def test_bootstrap_bad_arguments():
    df = pd.DataFrame({"pre": [1.0, 2], "post": [2.0, 3]})
    with pytest.raises(EvalkitError, match="EK-ST-001"):
        bootstrap_mean_diff(df, pre="pre", post="post", n_resamples=1.5)
    with pytest.raises(EvalkitError, match="EK-ST-002"):
        bootstrap_mean_diff(df, pre="pre", post="post", seed=-1)
    with pytest.raises(EvalkitError, match="EK-ST-009"):
        bootstrap_mean_diff(df, pre="x", post="post")


def test_omega_without_a_common_factor_is_nan():
    x = pd.DataFrame({"a": [1, 2, 3, 4, 5, 6], "b": [6, 5, 4, 3, 2, 1], "c": [1, 3, 2, 5, 4, 6]})
    with pytest.warns(EvalkitWarning, match="EK-ST-051"):
        assert np.isnan(omega_total(x))
