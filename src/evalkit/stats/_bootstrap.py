"""BCa bootstrap confidence intervals of the mean pre/post difference, per group."""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd
from evalkit._lazy import scipy_special as special

from evalkit._errors import EvalkitError, EvalkitWarning
from evalkit._i18n import tr

from ._common import check_confidence, check_frame, group_codes, group_sum, numeric_column, safe_divide

BOOTSTRAP_COLUMNS = ["n", "mean_diff", "se_boot", "ci_low", "ci_high", "ci_level", "n_resamples"]

MSG_RESAMPLES = {"code": "EK-ST-001",
    "id": "Parameter 'n_resamples' harus bilangan bulat paling sedikit 2; diberikan {value!r}.",
    "en": "The 'n_resamples' parameter must be an integer of at least 2; got {value!r} instead.",
}
MSG_SEED = {"code": "EK-ST-002",
    "id": "Parameter 'seed' harus bilangan bulat tak negatif atau numpy.random.Generator; "
    "diberikan {value!r}.",
    "en": "The 'seed' parameter must be a non-negative integer or a numpy.random.Generator; "
    "got {value!r} instead.",
}
MSG_DEGENERATE = {"code": "EK-ST-003",
    "id": "Interval bootstrap BCa tidak dapat dihitung pada kelompok {groups} (kurang dari 2 "
    "pasangan atau semua selisih sama); ci_low dan ci_high diisi NaN.",
    "en": "The BCa bootstrap interval cannot be computed in group(s) {groups} (fewer than 2 "
    "pairs or all differences equal); ci_low and ci_high set to NaN.",
}


def rng_from_seed(seed: Any) -> np.random.Generator:
    """The generator ``seed`` names (a non-negative integer, or a Generator itself)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool) and seed >= 0:
        return np.random.default_rng(int(seed))
    raise EvalkitError(tr(MSG_SEED, value=seed))


def check_resamples(n_resamples: Any) -> int:
    """``n_resamples`` as an int if it is an integer of at least 2, else raise."""
    if not isinstance(n_resamples, numbers.Integral) or isinstance(n_resamples, bool) or n_resamples < 2:
        raise EvalkitError(tr(MSG_RESAMPLES, value=n_resamples))
    return int(n_resamples)


def _quantile_rows(sorted_b: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Linear-interpolation quantile (type 7) of each row at its own level ``q``."""
    n_b = sorted_b.shape[1]
    h = (n_b - 1) * np.clip(np.nan_to_num(q, nan=0.0), 0, 1)
    lo = np.floor(h).astype(np.intp)
    hi = np.minimum(lo + 1, n_b - 1)
    v_lo = np.take_along_axis(sorted_b, lo[:, None], axis=1)[:, 0]
    v_hi = np.take_along_axis(sorted_b, hi[:, None], axis=1)[:, 0]
    out = v_lo + (h - lo) * (v_hi - v_lo)
    return np.where(np.isnan(q), np.nan, out)


def resample_means(columns: list[np.ndarray], n: np.ndarray, n_b: int,
                   rng: np.random.Generator) -> list[np.ndarray]:
    """Bootstrap means of each of ``columns`` (rows sorted by group, ``n`` rows per group) as
    ``groups x n_b`` arrays, the same resampled rows for every column (paired resampling).

    One draw for every group: block g holds ``n_b * n_g`` indices in ``0..n_g-1``, rows of
    ``n_g`` per resample, the stream ``scipy.stats.bootstrap(..., paired=True)`` draws from
    the same generator group after group.
    """
    n_groups = len(n)
    start = np.cumsum(n) - n
    block = n_b * n
    highs = np.repeat(n, block)
    draws = rng.integers(0, highs) if highs.size else np.zeros(0, dtype=np.int64)
    block_group = np.repeat(np.arange(n_groups), block)
    within = np.arange(highs.size) - np.repeat(n_b * start, block)
    slot = block_group * n_b + within // np.maximum(highs, 1)
    rows = np.repeat(start, block) + draws
    scale = np.where(n > 0, n, np.nan)[:, None]
    return [np.bincount(slot, weights=column[rows], minlength=n_groups * n_b).reshape(n_groups, n_b) / scale
            for column in columns]


def bootstrap_mean_diff(
    data: pd.DataFrame,
    *,
    pre: Hashable,
    post: Hashable,
    group: Hashable | list[Hashable] | None = None,
    n_resamples: int = 2000,
    seed: int | np.random.Generator = 0,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """BCa bootstrap confidence interval of the mean difference post - pre, per group.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per participant; pairs with a missing value (or missing group) are dropped.
    pre, post : column name
        Pre-test and post-test scores.
    group : column name, list of column names or None
        Grouping column(s); ``None`` gives a single row.
    n_resamples : int
        Bootstrap resamples per group.
    seed : int or numpy.random.Generator
        Seed of ``numpy.random.default_rng``: the same seed gives the same intervals.
    confidence : float
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        Indexed by group, columns ``n, mean_diff, se_boot, ci_low, ci_high, ci_level,
        n_resamples`` (``se_boot``: SD, ddof=1, of the bootstrap means).

    Notes
    -----
    Resampling pairs with replacement within each group (groups are independent). The
    bias-corrected and accelerated (BCa) interval of Efron (1987), as
    ``scipy.stats.bootstrap(method="BCa")``: with :math:`\\hat\\theta` the mean
    difference, :math:`\\hat\\theta^*_b` the resample means,
    :math:`\\hat z_0 = \\Phi^{-1}\\big((\\#\\{\\hat\\theta^*_b < \\hat\\theta\\} +
    \\#\\{\\hat\\theta^*_b \\le \\hat\\theta\\}) / 2B\\big)`, jackknife means
    :math:`\\hat\\theta_{(i)}`, :math:`u_i = \\bar\\theta_{(\\cdot)} - \\hat\\theta_{(i)}`,
    :math:`\\hat a = \\sum u_i^3 / (6 (\\sum u_i^2)^{3/2})`; the limits are the
    :math:`\\alpha_{1,2} = \\Phi\\big(\\hat z_0 + (\\hat z_0 + z_{\\alpha})/(1 - \\hat a(\\hat z_0
    + z_{\\alpha}))\\big)` quantiles (linear interpolation) of the :math:`\\hat\\theta^*_b`,
    :math:`\\alpha = (1 - c)/2` and :math:`1 - (1 - c)/2`.

    Vectorized over resamples and groups: one call of ``Generator.integers`` draws every
    index, group after group in sorted group order (for each group a ``(n_resamples,
    n_g)`` block, row-major), which is exactly the stream that ``scipy.stats.bootstrap``
    would consume from the same generator group after group. Resample means within
    :math:`10^{-9}` (relative) of :math:`\\hat\\theta` count as ties in :math:`\\hat z_0`, so
    float noise in a sum does not move the interval. Fewer than 2 pairs or all
    differences equal: NaN limits with an ``EvalkitWarning``.

    References
    ----------
    Efron, B. (1987). Better bootstrap confidence intervals. JASA, 82, 171-185.
    Efron, B., & Tibshirani, R. J. (1993). An introduction to the bootstrap, ch. 14.
    Python: ``scipy.stats.bootstrap((d,), np.mean, method="BCa", rng=rng)`` (tested equal
    with the same resamples).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"pre": [50, 60, 55, 40, 45, 50, 62, 48],
    ...                    "post": [70, 65, 60, 42, 55, 58, 61, 60]})
    >>> res = bootstrap_mean_diff(df, pre="pre", post="post", n_resamples=999, seed=1)
    >>> bool(res["ci_low"].iloc[0] < res["mean_diff"].iloc[0] < res["ci_high"].iloc[0])
    True
    """
    check_frame(data)
    confidence = check_confidence(confidence)
    n_b = check_resamples(n_resamples)
    rng = rng_from_seed(seed)
    x = numeric_column(data, "pre", pre)
    y = numeric_column(data, "post", post)
    codes, index = group_codes(data, group)
    keep = (codes >= 0) & ~np.isnan(x) & ~np.isnan(y)
    diff, codes = (y - x)[keep], codes[keep]
    order = np.argsort(codes, kind="stable")
    diff, codes = diff[order], codes[order]
    n_groups = len(index)
    n = np.bincount(codes, minlength=n_groups)[:n_groups]
    theta = safe_divide(group_sum(codes, diff, n_groups), n)
    (theta_b,) = resample_means([diff], n, n_b, rng)

    tol = 1e-9 * np.maximum(1.0, np.abs(theta))[:, None]
    below = np.sum(theta_b < theta[:, None] - tol, axis=1)
    at_or_below = np.sum(theta_b <= theta[:, None] + tol, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        z0 = special.ndtri((below + at_or_below) / (2 * n_b))
        jack = (theta[codes] * n[codes] - diff) / (n[codes] - 1)  # leave-one-out means
        jack_mean = safe_divide(group_sum(codes, jack, n_groups), n)
        u = jack_mean[codes] - jack
        den = 6 * group_sum(codes, u**2, n_groups) ** 1.5
        a_hat = safe_divide(group_sum(codes, u**3, n_groups), den)
        z_alpha = special.ndtri((1 - confidence) / 2)
        levels = []
        for z in (z_alpha, -z_alpha):  # the two limits
            num = z0 + z
            levels.append(special.ndtr(z0 + num / (1 - a_hat * num)))
    ok = (n >= 2) & np.isfinite(a_hat) & np.isfinite(z0)
    sorted_b = np.sort(np.where(ok[:, None], theta_b, 0.0), axis=1)
    ci_low = np.where(ok, _quantile_rows(sorted_b, np.where(ok, levels[0], np.nan)), np.nan)
    ci_high = np.where(ok, _quantile_rows(sorted_b, np.where(ok, levels[1], np.nan)), np.nan)
    se = np.where(n >= 2, np.std(np.nan_to_num(theta_b), axis=1, ddof=1), np.nan)
    if (~ok).any():
        labels = ", ".join(str(k) for k in np.asarray(index, dtype=object)[~ok])
        warnings.warn(tr(MSG_DEGENERATE, groups=labels), EvalkitWarning, stacklevel=2)
    return pd.DataFrame(
        {
            "n": n.astype(np.int64),
            "mean_diff": theta,
            "se_boot": se,
            "ci_low": ci_low,
            "ci_high": ci_high,
            "ci_level": confidence,
            "n_resamples": n_b,
        },
        index=index,
    )[BOOTSTRAP_COLUMNS]
