"""Confidence intervals of effect sizes (noncentral t)."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats

from ._common import check_confidence


def _nct_ncp(t: np.ndarray, df: np.ndarray, target: float) -> np.ndarray:
    """Noncentrality ``ncp`` with ``nct.cdf(t, df, ncp) = target``, by vectorized bisection.

    ``nct.cdf(t, df, ncp)`` decreases in ``ncp``; the bracket ``t -/+ (10 + |t|)`` is
    widened until it holds the root, then halved 200 times (to machine precision).
    """
    lo = t - 10 - np.abs(t)
    hi = t + 10 + np.abs(t)
    for _ in range(60):  # widen the bracket where needed
        bad_lo = stats.nct.cdf(t, df, lo) < target
        bad_hi = stats.nct.cdf(t, df, hi) > target
        if not (bad_lo.any() or bad_hi.any()):
            break
        lo = np.where(bad_lo, lo - (hi - lo), lo)
        hi = np.where(bad_hi, hi + (hi - lo), hi)
    for _ in range(200):
        mid = (lo + hi) / 2
        above = stats.nct.cdf(t, df, mid) > target
        lo = np.where(above, mid, lo)
        hi = np.where(above, hi, mid)
        if np.all(hi - lo <= 4 * np.finfo(float).eps * np.maximum(1, np.abs(mid))):
            break
    return (lo + hi) / 2


def d_z_ci(d_z: Any, n: Any, *, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Confidence interval of Cohen's d_z by inverting the noncentral t distribution.

    Parameters
    ----------
    d_z : float or array-like
        Observed :math:`d_z = \\bar d / s_d`.
    n : int or array-like
        Number of pairs (broadcast against ``d_z``).
    confidence : float
        Confidence level.

    Returns
    -------
    (ci_low, ci_high) : tuple of numpy.ndarray
        NaN where ``d_z`` is NaN or ``n < 2``.

    Notes
    -----
    :math:`t = d_z\\sqrt n` follows a noncentral t with :math:`df = n - 1` and
    noncentrality :math:`\\delta = \\delta_z \\sqrt n`. The limits are
    :math:`\\delta_{low}/\\sqrt n`, :math:`\\delta_{high}/\\sqrt n` where
    :math:`F_{t;df,\\delta_{low}}(t) = 1 - \\gamma/2` and
    :math:`F_{t;df,\\delta_{high}}(t) = \\gamma/2` (:math:`\\gamma = 1 -` confidence).

    References
    ----------
    Steiger, J. H., & Fouladi, R. T. (1997). Noncentrality interval estimation and the
    evaluation of statistical models. In Harlow, Mulaik & Steiger (Eds.), What if there
    were no significance tests? Erlbaum. Cumming, G., & Finch, S. (2001). Educational and
    Psychological Measurement, 61, 532-574. R (by the formula): ``uniroot(function(ncp)
    pt(t, n - 1, ncp) - 0.975, ...)$root / sqrt(n)`` (as ``MBESS::ci.sm``).

    Examples
    --------
    >>> low, high = d_z_ci(0.5, 20)
    >>> bool(low < 0.5 < high)
    True
    """
    confidence = check_confidence(confidence)
    d, n = np.broadcast_arrays(np.asarray(d_z, dtype=float), np.asarray(n, dtype=float))
    ok = np.isfinite(d) & (n >= 2)
    low = np.full(d.shape, np.nan)
    high = np.full(d.shape, np.nan)
    if ok.any():
        root_n = np.sqrt(n[ok])
        t = d[ok] * root_n
        df = n[ok] - 1
        gamma = 1 - confidence
        low[ok] = _nct_ncp(t, df, 1 - gamma / 2) / root_n
        high[ok] = _nct_ncp(t, df, gamma / 2) / root_n
    if low.ndim == 0:
        return low[()], high[()]
    return low, high
