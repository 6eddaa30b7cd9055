"""Effect-size intervals and reliable change against R 4.2.2 by the formula
(tests/reference/stats_reference.R, section 5; no MBESS in Debian's R)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evalkit._errors import EvalkitError, UndefinedStatisticWarning
from evalkit.stats import classify_change, d_z_ci, reliable_change

# R's pt(t, df, ncp) (AS 243) is close to 1e-12 in probability for the noncentralities
# here, far below the 37.62 up to which ?pt documents it (it warns "full precision may
# not have been achieved" far in the tails while uniroot brackets); uniroot(tol = 1e-13);
# scipy's nct uses Boost. The limits agree to ~1e-10; 1e-8 is safe. Above 37.62 R's pt is
# off by ~1e-3: test_edge_cases.py checks those limits against R's integrate() instead.
RTOL_NCT = 1e-8


def test_d_z_ci_matches_r_noncentral_t(sleep_wide: pd.DataFrame) -> None:
    # R: uniroot(function(ncp) pt(t, n - 1, ncp) - target, ...)$root / sqrt(n)
    d = sleep_wide["post"] - sleep_wide["pre"]
    low, high = d_z_ci(d.mean() / d.std(), 10)
    assert low == pytest.approx(0.414627756380144, rel=RTOL_NCT)
    assert high == pytest.approx(2.11801651397707, rel=RTOL_NCT)
    lows, highs = d_z_ci([0.3, -0.8, np.nan], [40, 12, 10], confidence=0.95)
    assert lows[0] == pytest.approx(-0.0187587576870743, rel=RTOL_NCT)
    assert highs[0] == pytest.approx(0.615087097315035, rel=RTOL_NCT)
    assert np.isnan(lows[2]) and np.isnan(highs[2])
    low90, high90 = d_z_ci(-0.8, 12, confidence=0.90)
    assert low90 == pytest.approx(-1.33461997101765, rel=RTOL_NCT)
    assert high90 == pytest.approx(-0.234993893975338, rel=RTOL_NCT)


def test_reliable_change_matches_r(sleep_wide: pd.DataFrame) -> None:
    # R: (post - pre) / (sqrt(2) * sd(pre) * sqrt(1 - 0.8)) on sleep
    expected = [1.06056811257106, 2.12113622514211, 1.14894878861865, 1.14894878861865, 0,
                0.883806760475881, 1.59085216885659, 0.707045408380705, 4.06551109818905,
                1.23732946466623]  # fmt: skip
    rci = reliable_change(sleep_wide["pre"], sleep_wide["post"], reliability=0.8)
    np.testing.assert_allclose(rci, expected, rtol=1e-10, atol=1e-14)
    labels = classify_change(rci)
    assert labels.tolist().count("improved") == 2 and "worse" not in labels.tolist()


def test_change_guards() -> None:
    with pytest.raises(EvalkitError, match="reliability"):
        reliable_change([1, 2], [2, 3], reliability=1.0)
    with pytest.raises(EvalkitError, match="sd_pre"):
        reliable_change([1, 2], [2, 3], reliability=0.5, sd_pre=0)
    assert classify_change([-3.0, np.nan]).tolist() == ["worse", None]


def test_noncentral_t_terms_give_nan_where_boost_overflows() -> None:
    """Far in a tail Boost's density raises OverflowError; that element becomes NaN, the
    others keep their values."""
    from evalkit.stats._effects import _nct_cdf_terms

    t, df, ncp = np.array([45.0464, 2.0]), np.array([2399.0, 30.0]), np.array([-59.9952, 1.0])
    f, d1 = _nct_cdf_terms(t, df, ncp, 0.975)
    assert np.isnan([f[0], d1[0]]).all()
    alone = _nct_cdf_terms(t[1:], df[1:], ncp[1:], 0.975)
    assert (f[1], d1[1]) == (alone[0][0], alone[1][0])


def test_noncentral_t_roots_same_on_one_or_two_threads() -> None:
    """Large batches run the exact steps in two threads; elementwise, so bit-identical,
    and each root still solves R's equation (checked against scipy's own cdf)."""
    from scipy import stats

    import evalkit

    rng = np.random.default_rng(7)
    d, n = rng.normal(0.8, 0.5, 5000), rng.integers(10, 300, 5000).astype(float)
    with evalkit.config_context(cores=2):
        threaded = d_z_ci(d, n)
    with evalkit.config_context(root_thread_min=10**9):
        single = d_z_ci(d, n)
    for a, b in zip(threaded, single):
        np.testing.assert_array_equal(a, b)
    t, df = d * np.sqrt(n), n - 1
    np.testing.assert_allclose(stats.nct.cdf(t, df, threaded[0] * np.sqrt(n)), 0.975, atol=1e-12)
    np.testing.assert_allclose(stats.nct.cdf(t, df, threaded[1] * np.sqrt(n)), 0.025, atol=1e-12)


def test_quadrature_start_is_close_to_the_exact_root() -> None:
    """The 12-node start value is near the exact root for typical training data (n 20-300,
    d_z up to 2), so one exact step usually finishes (it is coarser where t is large for
    its df: the integrand is steep there); far-out elements still converge."""
    from evalkit.stats._effects import _nct_ncp, _nct_start

    rng = np.random.default_rng(11)
    n = rng.integers(20, 300, 2000).astype(float)
    t, df = rng.uniform(-0.5, 2, 2000) * np.sqrt(n), n - 1
    target = np.full(t.size, 0.975)
    exact, unsolved = _nct_ncp(t, df, target)
    assert not unsolved.any()
    start = _nct_start(t, df, target)
    error = np.abs(start - exact) / np.maximum(1, np.abs(exact))
    assert np.median(error) < 1e-10 and np.quantile(error, 0.95) < 1e-5 and error.max() < 1e-4
    far, unsolved = _nct_ncp(np.array([300.0, -250.0]), np.array([90000.0, 3.0]), 0.025)
    assert np.isfinite(far).all() and not unsolved.any()


def test_noncentral_t_root_not_found_is_nan_with_a_warning() -> None:
    """|t| = 999 on one degree of freedom (n = 2) is inside t_max, but SciPy's noncentral t
    gives no usable root there: the limits are NaN and the caller warns, naming the count."""
    with pytest.warns(UndefinedStatisticWarning, match=r"EK-ST-018\] .* 1 "):
        low, high = d_z_ci(np.array([999 / np.sqrt(2), 0.5]), np.array([2, 20]))
    assert np.isnan([low[0], high[0]]).all() and np.isfinite([low[1], high[1]]).all()
