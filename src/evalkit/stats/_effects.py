"""Confidence intervals of effect sizes (noncentral t): d_z and g_av."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from evalkit._lazy import scipy_special as special
from evalkit._lazy import scipy_stats as stats

from evalkit._errors import UndefinedStatisticWarning
from evalkit._i18n import tr

from ..config import get_config
from ._common import check_confidence, side_by_side

MSG_T_TOO_LARGE = {"code": "EK-ST-017",
    "id": "Interval kepercayaan d_z (dan g_av) tidak dihitung untuk |t| = |d_z|·√n di atas "
    "{limit:g} (terbesar {value:.3g}): distribusi t nonsentral di sana di luar jangkauan "
    "algoritme SciPy. d_z sebesar itu biasanya berarti selisih yang sama kecuali pembulatan. "
    "Diisi NaN.",
    "en": "The confidence interval of d_z (and g_av) is not computed where |t| = |d_z|·√n "
    "exceeds {limit:g} (largest {value:.3g}): the noncentral t there is out of reach of "
    "SciPy's algorithms. A d_z that large usually means differences equal but for rounding. "
    "Set to NaN.",
}
MSG_NOT_SOLVED = {"code": "EK-ST-018",
    "id": "Interval kepercayaan d_z (dan g_av) tidak dihitung untuk {n} sel: pencarian akar "
    "distribusi t nonsentral tidak konvergen di sana. Diisi NaN.",
    "en": "The confidence interval of d_z (and g_av) is not computed for {n} cell(s): the "
    "noncentral-t root search did not converge there. Set to NaN.",
}
# The largest |t| whose noncentral-t interval is computed is the ``t_max`` option
# (evalkit.config, 1000): beyond it SciPy's (Boost's) series take seconds to hours per
# element and its density underflows (measured: 0.1 s at |t| = 1000, 2 s at 5000, over a
# minute at 3e5, reached by differences such as 16.666666 and 16.666667 that are equal but
# for the scores' rounding).


def _nct_cdf_dncp(t: np.ndarray, df: np.ndarray, ncp: np.ndarray) -> np.ndarray:
    """Derivative of ``nct.cdf(t, df, ncp)`` with respect to ``ncp`` (it is negative).

    With :math:`T = (Z + \\delta)/S`, :math:`S = \\sqrt{V/\\nu}`, the derivative is
    :math:`-E_\\nu[\\varphi(tS - \\delta)]`. Rescaling :math:`S` turns this into a
    noncentral t density with one degree of freedom less,
    :math:`-K f_{\\nu-1}(t\\sqrt{(\\nu-1)/\\nu}; \\delta)` with
    :math:`K = \\sqrt{(\\nu-1)/2}\\,\\Gamma((\\nu-1)/2)/\\Gamma(\\nu/2)` (``df > 1``); at
    ``df = 1`` it is :math:`-2\\varphi(\\delta/r)\\Phi(t\\delta/r)/r`, :math:`r = \\sqrt{1+t^2}`.
    NaN for other ``df``.
    """
    out = np.full(t.shape, np.nan)
    many = df > 1
    if many.any():
        nu = df[many]
        log_k = 0.5 * np.log((nu - 1) / 2) + special.gammaln((nu - 1) / 2) - special.gammaln(nu / 2)
        k = np.exp(log_k)
        out[many] = -k * stats.nct.pdf(t[many] * np.sqrt((nu - 1) / nu), nu - 1, ncp[many])
    one = df == 1
    if one.any():
        r = np.sqrt(1 + t[one] ** 2)
        out[one] = -2 * stats.norm.pdf(ncp[one] / r) * stats.norm.cdf(t[one] * ncp[one] / r) / r
    return out


def _guarded(func, n_out: int, *arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """``func(*arrays)`` (elementwise SciPy work returning ``n_out`` arrays), NaN for the
    elements where SciPy warns (a series did not converge, a value overflowed) or where
    Boost raises ``OverflowError`` (far in a tail).

    Those elements are found by halving the batch, so that every element's values do not
    depend on the other elements. It runs in the calling thread: Boost's warnings go
    through Python's global warning filters, which a worker thread could not record
    apart from the caller's.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            out = func(*arrays)
            failed = False
        except OverflowError:
            failed = True
    if not caught and not failed:
        return out
    if arrays[0].size == 1:
        return tuple(np.full(1, np.nan) for _ in range(n_out))
    h = arrays[0].size // 2
    first = _guarded(func, n_out, *(a[:h] for a in arrays))
    second = _guarded(func, n_out, *(a[h:] for a in arrays))
    return tuple(np.concatenate(pair) for pair in zip(first, second))


def _nct_cdf_terms(t: np.ndarray, df: np.ndarray, ncp: np.ndarray, target: Any) -> tuple[np.ndarray, np.ndarray]:
    """``nct.cdf(t, df, ncp) - target`` and its derivative in ``ncp`` (see :func:`_guarded`
    for the NaN elements). ``target`` is a number or one per element."""
    target = np.broadcast_to(np.asarray(target, dtype=float), t.shape)
    return _guarded(_nct_terms, 2, t, df, ncp, target)


def _nct_terms(t: np.ndarray, df: np.ndarray, ncp: np.ndarray, target: np.ndarray):
    return special.nctdtr(df, ncp, t) - target, _nct_cdf_dncp(t, df, ncp)


def _nct_density(t: np.ndarray, df: np.ndarray, ncp: np.ndarray) -> tuple[np.ndarray]:
    return (stats.nct.pdf(t, df, ncp),)


def _on_two_cores(func, *arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """``func(*arrays)`` (elementwise numpy work that never warns, returning a tuple of
    arrays: the quadrature start), its first half of the elements in a second thread when
    the batch is large (``root_thread_min``, :mod:`evalkit.config`: below it a second
    thread costs more than it saves) and two cores are free.
    """
    h = arrays[0].size // 2
    second, first = side_by_side(lambda: func(*(a[h:] for a in arrays)), lambda: func(*(a[:h] for a in arrays)),
                                 threaded=arrays[0].size >= get_config()["root_thread_min"])
    return tuple(np.concatenate(pair) for pair in zip(first, second))


def _nct_ncp(t: Any, df: Any, target: Any) -> tuple[np.ndarray, np.ndarray]:
    """Noncentrality ``ncp`` with ``nct.cdf(t, df, ncp) = target``, vectorized.

    Newton's or Halley's method on all elements at once, from :func:`_nct_start`, with the
    exact first derivative in ``ncp`` (:func:`_nct_cdf_dncp`). Where the Newton step is
    below ``1e-8 * max(1, |ncp|)`` it is taken and the element is done (quadratic
    convergence: the error left is of the order of the step squared); elsewhere the second
    derivative, ``-t * nct.pdf(t, df, ncp) - ncp * F'``, gives a Halley step, and the
    element is done once that step is below ``1e-6 * max(1, |ncp|)`` (cubic convergence).
    From the quadrature start nearly every element takes one Newton step. Every element is
    solved on its own: the result does not depend on the other elements of the batch.

    Returns the roots and a mask of the elements left unsolved (NaN): they did not
    converge within a few steps, their iteration left the finite numbers, or SciPy warned
    at their iterate (a series of the noncentral t did not converge). The caller warns
    about them in its own thread. No benchmark or realistic input reaches this; |t| near
    ``t_max`` with 1 to 5 degrees of freedom does, where SciPy's noncentral t itself is
    unreliable (a bracketed search that used to take these over returned roots SciPy's cdf
    did not confirm).
    """
    t, df, target = (a.ravel() for a in np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (t, df, target))))
    x = _nct_start(t, df, target)
    active = np.flatnonzero(np.isfinite(x))
    fallback = [np.flatnonzero(~np.isfinite(x))]
    for _ in range(_NEWTON_STEPS):
        if not len(active):
            break
        ta, da, xa = t[active], df[active], x[active]
        fx, d1 = _nct_cdf_terms(ta, da, xa, target[active])
        with np.errstate(all="ignore"):
            step = np.where(fx == 0, 0.0, fx / d1)
        newton = np.abs(step) <= _NEWTON_ONLY * np.maximum(1, np.abs(xa))
        far = np.flatnonzero(~newton)  # NaN steps too: their Halley step is NaN as well
        if len(far):
            (density,) = _guarded(_nct_density, 1, ta[far], da[far], xa[far])
            f, g = fx[far], d1[far]
            d2 = -ta[far] * density - xa[far] * g
            with np.errstate(all="ignore"):
                step[far] = np.where(f == 0, 0.0, 2 * f * g / (2 * g * g - f * d2))
        x_new = xa - step
        finite = np.isfinite(x_new)
        x[active] = np.where(finite, x_new, x[active])
        fallback.append(active[~finite])
        done = newton | (np.abs(step) <= 1e-6 * np.maximum(1, np.abs(x_new)))
        active = active[finite & ~done]
    unsolved = np.zeros(x.size, dtype=bool)
    unsolved[np.concatenate(fallback + [active])] = True
    x[unsolved] = np.nan
    return x, unsolved


#: A Newton step below this (relative to ``max(1, |ncp|)``) finishes an element (see _nct_ncp).
_NEWTON_ONLY = 1e-8


def _normal_start(t: np.ndarray, df: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The normal approximation ``t - z * sqrt(1 + t**2 / (2 df))`` to the root."""
    return t - special.ndtri(target) * np.sqrt(1 + t * t / (2 * df))


def _nct_start(t: np.ndarray, df: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Start value of :func:`_nct_ncp`: the root of a quadrature of the noncentral t cdf.

    ``nct.cdf(t, df, ncp) = E[Phi(t S - ncp)]`` with :math:`S = \\sqrt{\\chi^2_{df}/df}`.
    Writing :math:`S` as a function of a standard normal (its quantile at the normal's
    quantile) and integrating by a 12-node Gauss-Hermite rule gives a smooth cdf that is
    cheap in numpy for every element at once; two Halley steps from
    :func:`_normal_start` find its root, for moderate ``t`` typically within 1e-10 of
    the exact one, so that a single Newton step on Boost's exact cdf (about 2 µs an
    element) finishes where the normal start needs two or three. It is only a start: the
    exact iteration decides, and elements where the quadrature is not finite keep the
    normal start. Elementwise (the node sums are per element, not a matrix product whose
    rounding could depend on the batch), so large batches are split between two threads.
    """
    return _on_two_cores(_quadrature_root, t, df, target)[0]


def _quadrature_root(t: np.ndarray, df: np.ndarray, target: np.ndarray) -> tuple[np.ndarray]:
    x = _normal_start(t, df, target)
    z, w = special.roots_hermitenorm(_START_NODES)
    w = w / w.sum()
    values, which = np.unique(df, return_inverse=True)
    # S at the normal nodes: the chi-square quantile at Phi(z) (chdtri takes the upper tail).
    s_nodes = np.sqrt(special.chdtri(values[:, None], special.ndtr(-z)) / values[:, None])
    out = x.copy()
    size = get_config()["root_block"]
    for block in range(0, t.size, size):  # bounds the elements x nodes temporaries
        part = slice(block, block + size)
        ts, xq = t[part, None] * s_nodes[which[part]], x[part]
        with np.errstate(all="ignore"):
            for _ in range(2):
                a = ts - xq[:, None]
                density = np.exp(-0.5 * a * a) * w
                f = (special.ndtr(a) * w).sum(axis=1) - target[part]
                d1 = density.sum(axis=1) * -_INV_SQRT_2PI
                d2 = (a * density).sum(axis=1) * -_INV_SQRT_2PI
                xq = xq - 2 * f * d1 / (2 * d1 * d1 - f * d2)
        out[part] = np.where(np.isfinite(xq), xq, x[part])
    return (out,)


_START_NODES = 12
_INV_SQRT_2PI = 1 / np.sqrt(2 * np.pi)


_NEWTON_STEPS = 12


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
        NaN where ``d_z`` is NaN or ``n < 2``, and, with an
        :class:`~evalkit.UndefinedStatisticWarning`, where :math:`|d_z|\\sqrt n > 1000`
        (the ``t_max`` option of :mod:`evalkit.config`: beyond it the noncentral t is out
        of reach of SciPy).

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
    with np.errstate(invalid="ignore"):
        t_all = np.abs(d) * np.sqrt(np.where(ok, n, 0))
    t_max = get_config()["t_max"]
    too_large = ok & (t_all > t_max)
    if too_large.any():
        warnings.warn(tr(MSG_T_TOO_LARGE, limit=t_max, value=float(t_all[too_large].max())),
                      UndefinedStatisticWarning, stacklevel=2)
        ok &= ~too_large
    low = np.full(d.shape, np.nan)
    high = np.full(d.shape, np.nan)
    if ok.any():
        root_n = np.sqrt(n[ok])
        t = d[ok] * root_n
        df = n[ok] - 1
        gamma = 1 - confidence
        # Both limits in one batch: one pass of the (threaded) exact steps.
        m = t.size
        both, unsolved = _nct_ncp(np.tile(t, 2), np.tile(df, 2), np.repeat([1 - gamma / 2, gamma / 2], m))
        low[ok], high[ok] = both[:m] / root_n, both[m:] / root_n
        if unsolved.any():
            warnings.warn(tr(MSG_NOT_SOLVED, n=int((unsolved[:m] | unsolved[m:]).sum())),
                          UndefinedStatisticWarning, stacklevel=2)
    if low.ndim == 0:
        return low[()], high[()]
    return low, high


def g_av_ci(
    *,
    mean_diff: Any,
    sd_diff: Any,
    sd_pre: Any,
    sd_post: Any,
    n: Any,
    confidence: float = 0.95,
) -> tuple[np.ndarray, np.ndarray]:
    """Approximate confidence interval of Hedges' g_av (Algina & Keselman 2003).

    Parameters
    ----------
    mean_diff, sd_diff : float or array-like
        Mean and sample SD of the differences post - pre.
    sd_pre, sd_post : float or array-like
        Sample SDs of the pre-test and the post-test.
    n : int or array-like
        Number of pairs. All arguments broadcast against each other.
    confidence : float
        Confidence level.

    Returns
    -------
    (ci_low, ci_high) : tuple of numpy.ndarray
        NaN where an input is NaN, ``n < 3`` (Hedges' J is 0 at n = 2), or
        ``sd_diff`` or ``sd_pre + sd_post`` is 0.

    Notes
    -----
    The approximate noncentral-t method of Algina & Keselman (2003) for dependent
    samples: the paired :math:`t = \\bar d / (s_d/\\sqrt n)` is noncentral t with
    :math:`df = n - 1`; the noncentrality limits :math:`\\lambda_{low}, \\lambda_{high}`
    (as in :func:`d_z_ci`) are converted to the scale of the effect size by treating the
    ratio of :math:`s_d` to the standardizer as known:
    :math:`\\delta = \\lambda\\, s_d / (\\sqrt n\\, s_{av})`. Here the standardizer is
    d_av's :math:`s_{av} = (s_{pre} + s_{post})/2` (Lakens 2013) instead of Algina &
    Keselman's root mean square of the two SDs, so that the interval belongs to the
    reported ``g_av``. Both limits are multiplied by Hedges'
    :math:`J = 1 - 3/(4(n-1) - 1)`, like the point estimate (as ``effectsize::hedges_g``
    does), so the interval always contains ``g_av``. The method is approximate: it ignores
    the sampling error of :math:`s_d / s_{av}`; Algina & Keselman report close to
    nominal coverage for n >= 20 and moderate effects.

    References
    ----------
    Algina, J., & Keselman, H. J. (2003). Approximate confidence intervals for effect
    sizes. Educational and Psychological Measurement, 63(4), 537-553.
    Lakens, D. (2013). Frontiers in Psychology, 4, 863. R (by the formula):
    ``uniroot(function(ncp) pt(t, n - 1, ncp) - 0.975, ...)$root * sd_diff /
    (sqrt(n) * (sd_pre + sd_post) / 2) * J``.

    Examples
    --------
    >>> low, high = g_av_ci(mean_diff=5, sd_diff=8, sd_pre=10, sd_post=12, n=30)
    >>> bool(low < 5 / 11 * (1 - 3 / 115) < high)
    True
    """
    confidence = check_confidence(confidence)
    md, sdd, s1, s2, nn = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (mean_diff, sd_diff, sd_pre, sd_post, n))
    )
    s_av = (s1 + s2) / 2
    ok = np.isfinite(md) & np.isfinite(sdd) & np.isfinite(s_av) & (nn >= 3) & (sdd > 0) & (s_av > 0)
    low = np.full(md.shape, np.nan)
    high = np.full(md.shape, np.nan)
    if ok.any():
        d_low, d_high = d_z_ci(md[ok] / sdd[ok], nn[ok], confidence=confidence)
        scale = sdd[ok] / s_av[ok] * (1 - 3 / (4 * (nn[ok] - 1) - 1))
        # d_z_ci returns lambda / sqrt(n); delta = lambda * s_d / (sqrt(n) * s_av)
        low[ok] = np.asarray(d_low) * scale
        high[ok] = np.asarray(d_high) * scale
    if low.ndim == 0:
        return low[()], high[()]
    return low, high
