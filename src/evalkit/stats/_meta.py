"""Random-effects meta-analysis of per-training effects, as R's ``metafor::rma``.

One kernel (:mod:`._meta_kernel`) fits every group's model at once.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd
from evalkit._lazy import scipy_special as special
from evalkit._lazy import scipy_stats as stats

from evalkit._errors import EvalkitError, EvalkitWarning
from evalkit._i18n import tr

from ._common import (
    ALLOWED_FINITE,
    ALLOWED_NOT_NEGATIVE,
    ALLOWED_POSITIVE,
    check_cells,
    check_choice,
    check_confidence,
    check_frame,
    expand_index,
    group_codes,
    numeric_column,
    safe_divide,
    warn_groups,
)
from ._meta_kernel import Padded, rma

META_METHODS = ("REML", "DL")
META_TESTS = ("knha", "z")
EFFECT_MEASURES = ("MD", "d_z", "g_z")
META_COLUMNS = [
    "k", "estimate", "se", "stat", "df", "p", "ci_low", "ci_high", "ci_level", "pi_low", "pi_high",
    "tau2", "i2", "h2", "q", "q_df", "q_p", "method", "test",
]  # fmt: skip
SUBGROUP_COLUMNS = [
    "k", "n_subgroups", "qm", "qm_df1", "qm_df2", "qm_p", "tau2", "i2", "q", "q_df", "q_p",
    "method", "test",
]  # fmt: skip
REGRESSION_COLUMNS = [
    "estimate", "se", "stat", "df", "p", "ci_low", "ci_high", "ci_level", "k", "tau2", "i2",
    "q", "q_df", "q_p", "method", "test",
]  # fmt: skip

MSG_DROPPED = {"code": "EK-ST-035",
    "id": "{count} baris dengan yi atau vi kosong tidak dipakai dalam meta-analisis.",
    "en": "{count} row(s) with a missing yi or vi are left out of the meta-analysis.",
}
MSG_TOO_FEW = {"code": "EK-ST-036",
    "id": "Meta-analisis pada kelompok {groups} memerlukan lebih banyak pelatihan daripada "
    "parameter model ({needed} atau lebih); hasil diisi NaN.",
    "en": "The meta-analysis of group(s) {groups} needs more trainings than model parameters "
    "({needed} or more); the results are set to NaN.",
}
MSG_NOT_CONVERGED = {"code": "EK-ST-037",
    "id": "Estimasi REML tau² tidak konvergen pada kelompok {groups}; hasil diisi NaN. "
    "Coba method='DL'.",
    "en": "The REML estimate of tau² did not converge in group(s) {groups}; the results are "
    "set to NaN. Try method='DL'.",
}
MSG_CONSTANT_MODERATOR = {"code": "EK-ST-038",
    "id": "Moderator {moderator!r} hanya memiliki satu nilai pada kelompok {groups}; "
    "uji moderator diisi NaN.",
    "en": "The moderator {moderator!r} takes a single value in group(s) {groups}; "
    "the moderator test is set to NaN.",
}
MSG_NOT_NUMBER = {"code": "EK-ST-039",
    "id": "Parameter '{param}' harus berupa angka; diberikan {value!r}.",
    "en": "The '{param}' parameter must be a number; got {value!r} instead.",
}


def _inputs(data: Any, yi: Hashable, vi: Hashable, group, extra: Hashable | None = None):
    """Validated ``y, v, codes, index`` (and the ``extra`` column's values), rows with a
    missing ``yi``/``vi`` (or group key, or extra value) dropped with a warning."""
    check_frame(data)
    y = numeric_column(data, "yi", yi)
    v = numeric_column(data, "vi", vi)
    check_cells(yi, y, np.isinf(y), ALLOWED_FINITE)
    check_cells(vi, v, (v <= 0) | np.isinf(v), ALLOWED_POSITIVE)
    codes, index = group_codes(data, group)
    keep = ~np.isnan(y) & ~np.isnan(v) & (codes >= 0)
    other = None
    if extra is not None:
        other = data[extra].to_numpy()
        keep &= ~pd.isna(other)
    dropped = int((~keep).sum())
    if dropped:
        warnings.warn(tr(MSG_DROPPED, count=dropped), EvalkitWarning, stacklevel=3)
    return y[keep], v[keep], codes[keep], index, (None if other is None else other[keep])


def _report_failures(fit: dict, index: pd.Index) -> None:
    warn_groups(MSG_TOO_FEW, fit["k"] <= fit["p"], index, stacklevel=4, needed=int(fit["p"].max(initial=1)) + 1)
    warn_groups(MSG_NOT_CONVERGED, fit["failed"] & (fit["k"] > fit["p"]), index, stacklevel=4)


def _coefficient_columns(b, se, df, crit, test: str) -> dict[str, np.ndarray]:
    """``estimate, se, stat, p, ci_low, ci_high`` of coefficients (Wald z or KH t)."""
    stat = safe_divide(b, se)  # NaN, not inf, where Knapp-Hartung's s² is 0
    p = 2 * (stats.t.sf(np.abs(stat), df) if test == "knha" else stats.norm.sf(np.abs(stat)))
    return {"estimate": b, "se": se, "stat": stat, "df": df, "p": p,
            "ci_low": b - crit * se, "ci_high": b + crit * se}


def _options(method: str, test: str, confidence: float) -> tuple[str, str, float]:
    return (check_choice("method", method, META_METHODS), check_choice("test", test, META_TESTS),
            check_confidence(confidence))


def meta_analysis(
    data: pd.DataFrame,
    *,
    yi: Hashable,
    vi: Hashable,
    group: Hashable | list[Hashable] | None = None,
    method: str = "REML",
    test: str = "knha",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Random-effects meta-analysis of per-training effects, one model per group.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per training (study), e.g. from :func:`paired_effect_sizes`.
    yi, vi : column name
        The effect and its sampling variance (positive).
    group : column name, list of column names or None
        A separate meta-analysis per group (e.g. per scale, or scale and province);
        ``None``: one over all rows.
    method : {"REML", "DL"}
        Estimator of tau²: restricted maximum likelihood (Fisher scoring) or
        DerSimonian-Laird.
    test : {"knha", "z"}
        Knapp-Hartung adjustment with a t distribution on ``k - 1`` df, or the Wald z test.
    confidence : float
        Level of the confidence and prediction intervals.

    Returns
    -------
    pandas.DataFrame
        Indexed by group, columns ``k, estimate, se, stat, df, p, ci_low, ci_high, ci_level,
        pi_low, pi_high, tau2, i2, h2, q, q_df, q_p, method, test``: the pooled effect, its
        test (``stat`` is t for ``knha``, z otherwise; ``df`` NaN for z), the prediction
        interval of a new training's true effect, tau², I² (percent), H², and Cochran's Q.

    Notes
    -----
    With weights :math:`w_i = 1/(v_i + \\hat\\tau^2)`, :math:`\\hat\\mu = \\sum w_i y_i/\\sum w_i`
    and :math:`SE = \\sqrt{1/\\sum w_i}`. Knapp-Hartung multiplies the variance by
    :math:`s^2 = \\sum w_i (y_i - \\hat\\mu)^2/(k-1)` (not truncated at 1, as metafor) and
    uses :math:`t_{k-1}`. Prediction interval :math:`\\hat\\mu \\pm c\\sqrt{SE^2 + \\hat\\tau^2}`
    with the same critical value :math:`c`. :math:`Q = \\sum v_i^{-1}(y_i - \\hat\\mu_{FE})^2`
    on :math:`k-1` df; :math:`I^2 = 100\\,\\hat\\tau^2/(\\hat\\tau^2 + \\tilde v)`,
    :math:`H^2 = (\\hat\\tau^2 + \\tilde v)/\\tilde v` with the typical within-study variance
    :math:`\\tilde v = (k-1)/(\\sum v_i^{-1} - \\sum v_i^{-2}/\\sum v_i^{-1})`.
    DL: :math:`\\hat\\tau^2 = \\max(0, (Q - (k-1))/(\\sum v_i^{-1} - \\sum v_i^{-2}/\\sum v_i^{-1}))`.
    REML by Fisher scoring from the DL value, steps halved to stay non-negative, until tau²
    moves less than ``1e-11``. Groups with one training give NaN (with an
    ``EvalkitWarning``); rows with a missing ``yi`` or ``vi`` are dropped with a warning.

    References
    ----------
    Viechtbauer, W. (2005). Bias and efficiency of meta-analytic variance estimators in the
    random-effects model. JEBS, 30, 261-293. Knapp, G., & Hartung, J. (2003). Improved tests
    for a random effects meta-regression with a single covariate. Stat. Med., 22, 2693-2710.
    Higgins, J. P. T., & Thompson, S. G. (2002). Quantifying heterogeneity in a
    meta-analysis. Stat. Med., 21, 1539-1558.
    R: ``metafor::rma(yi, vi, method = "REML", test = "knha")``; ``predict()`` for the
    prediction interval (tested equal to 1e-9).

    Examples
    --------
    >>> import pandas as pd
    >>> effects = pd.DataFrame({"yi": [9.4, 6.1, 13.2, 4.4, 11.4],
    ...                         "vi": [3.5, 4.3, 5.2, 2.5, 6.7]})
    >>> res = meta_analysis(effects, yi="yi", vi="vi")
    >>> res[["k", "estimate", "ci_low", "ci_high"]].round(2)  # doctest: +NORMALIZE_WHITESPACE
       k  estimate  ci_low  ci_high
    0  5      8.64    4.09    13.19
    """
    method, test, confidence = _options(method, test, confidence)
    y, v, codes, index, _ = _inputs(data, yi, vi, group)
    pad = Padded(codes, len(index), y, v, [np.ones_like(y)])
    fit = rma(pad, np.zeros((len(index), 1), dtype=bool), method, test, confidence,
               tested=np.zeros(1, dtype=bool))
    _report_failures(fit, index)
    b, se = fit["b"][:, 0], np.sqrt(fit["vb"][:, 0, 0])
    half_pi = fit["crit"] * np.sqrt(se**2 + fit["tau2"])
    out = {"k": fit["k"].astype(np.int64),
           **_coefficient_columns(b, se, fit["df"], fit["crit"], test),
           "ci_level": confidence, "pi_low": b - half_pi, "pi_high": b + half_pi}
    out.update({name: fit[name] for name in ("tau2", "i2", "h2", "q", "q_df", "q_p")})
    return pd.DataFrame(out | {"method": method, "test": test}, index=index)[META_COLUMNS]


def meta_subgroups(
    data: pd.DataFrame,
    *,
    yi: Hashable,
    vi: Hashable,
    moderator: Hashable,
    group: Hashable | list[Hashable] | None = None,
    method: str = "REML",
    test: str = "knha",
) -> pd.DataFrame:
    """Test whether the effect differs between subgroups (e.g. provinces or years).

    The mixed-effects model with the subgroup as a factor and one tau² shared by all
    subgroups, and its omnibus test of the subgroup terms: metafor's
    ``rma(yi, vi, mods = ~ factor(moderator))`` and its ``QM`` test. The separate
    subgroup estimates are :func:`meta_analysis` with ``group=[..., moderator]``.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per training.
    yi, vi : column name
        The effect and its sampling variance.
    moderator : column name
        The subgroup of each training (any values; rows with a missing one are dropped).
    group : column name, list of column names or None
        A separate test per group (e.g. per scale); ``None``: one over all rows.
    method : {"REML", "DL"}
        Estimator of the residual tau².
    test : {"knha", "z"}
        Knapp-Hartung F test or Wald chi-square test of the subgroup terms.

    Returns
    -------
    pandas.DataFrame
        Indexed by group, columns ``k, n_subgroups, qm, qm_df1, qm_df2, qm_p, tau2, i2, q,
        q_df, q_p, method, test``. With ``test="knha"``, ``qm`` is an F statistic on
        ``(qm_df1, qm_df2)`` df (metafor's ``QM`` under ``test = "knha"``); with ``"z"`` a
        chi-square on ``qm_df1`` df (``qm_df2`` NaN). ``tau2, i2`` are the residual
        heterogeneity within subgroups, ``q`` the residual Q_E on ``k - n_subgroups`` df.

    Notes
    -----
    Chosen over the separate-subgroups Q-between test because the shared tau² stays
    estimable when a subgroup has one or two trainings, which is common per province.
    :math:`QM = \\hat b' V^{-1} \\hat b` over the :math:`m` = subgroups - 1 dummy coefficients
    (reference: the first subgroup in sort order; the test does not depend on it);
    Knapp-Hartung divides by :math:`m` and uses the KH-scaled :math:`V`. A group with a
    single subgroup gives NaN with a warning.

    References
    ----------
    Viechtbauer, W. (2010). Conducting meta-analyses in R with the metafor package. JSS, 36(3).
    R: ``metafor::rma(yi, vi, mods = ~ factor(province), test = "knha")$QM``.

    Examples
    --------
    >>> import pandas as pd
    >>> effects = pd.DataFrame({"yi": [9.4, 6.1, 13.2, 4.4, 11.4, 6.4],
    ...                         "vi": [3.5, 4.3, 5.2, 2.5, 6.7, 3.2],
    ...                         "province": ["Aceh"] * 3 + ["Lampung"] * 3})
    >>> res = meta_subgroups(effects, yi="yi", vi="vi", moderator="province")
    >>> res[["k", "n_subgroups", "qm_df1", "qm_df2"]]  # doctest: +NORMALIZE_WHITESPACE
       k  n_subgroups  qm_df1  qm_df2
    0  6            2     1.0     4.0
    """
    method, test, _ = _options(method, test, 0.95)
    y, v, codes, index, levels = _inputs(data, yi, vi, group, moderator)
    # Dummy j of a group: its j-th subgroup in sort order, j >= 1 (the first is the reference).
    cells = pd.DataFrame({"g": codes, "m": levels}).groupby(["g", "m"], sort=True).ngroup().to_numpy()
    first = pd.Series(cells).groupby(codes).transform("min").to_numpy()
    rank = cells - first
    n_sub = np.zeros(len(index), dtype=np.int64)
    np.maximum.at(n_sub, codes, rank + 1)
    width = int(n_sub.max(initial=1))
    columns = [np.ones_like(y)] + [(rank == j).astype(float) for j in range(1, width)]
    absent = np.arange(width)[None, :] >= np.maximum(n_sub, 1)[:, None]
    pad = Padded(codes, len(index), y, v, columns)
    fit = rma(pad, absent, method, test, 0.95, tested=np.arange(width) >= 1)
    _report_failures(fit, index)
    warn_groups(MSG_CONSTANT_MODERATOR, (n_sub == 1) & ~fit["failed"], index, moderator=moderator)
    out = {"k": fit["k"].astype(np.int64), "n_subgroups": n_sub}
    out.update({name: fit[name] for name in ("qm", "qm_df1", "qm_df2", "qm_p", "tau2", "i2",
                                              "q", "q_df", "q_p")})
    return pd.DataFrame(out | {"method": method, "test": test}, index=index)[SUBGROUP_COLUMNS]


def meta_regression(
    data: pd.DataFrame,
    *,
    yi: Hashable,
    vi: Hashable,
    moderator: Hashable,
    group: Hashable | list[Hashable] | None = None,
    center: float = 0.0,
    method: str = "REML",
    test: str = "knha",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Meta-regression of the effect on one numeric moderator, e.g. the trend over years.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per training.
    yi, vi : column name
        The effect and its sampling variance.
    moderator : column name
        Numeric moderator (e.g. ``year``); rows with a missing one are dropped.
    group : column name, list of column names or None
        A separate regression per group; ``None``: one over all rows.
    center : float
        The intercept is the effect at ``moderator == center`` (e.g. ``center=2025``);
        the default 0 gives metafor's intercept of ``mods = ~ year``.
    method : {"REML", "DL"}
        Estimator of the residual tau².
    test : {"knha", "z"}
        Knapp-Hartung t tests on ``k - 2`` df, or Wald z tests.
    confidence : float
        Level of the confidence intervals.

    Returns
    -------
    pandas.DataFrame
        Indexed by group and ``term`` (``"intercept"`` and the moderator's name), columns
        ``estimate, se, stat, df, p, ci_low, ci_high, ci_level, k, tau2, i2, q, q_df, q_p,
        method, test``; the model columns (``k`` to ``q_p``: residual heterogeneity) repeat
        on both terms of a group. The slope is the change in effect per unit (per year).

    Notes
    -----
    The model :math:`y_i = \\beta_0 + \\beta_1 x_i + u_i + e_i`,
    :math:`u_i \\sim N(0, \\tau^2)`, fitted as :func:`meta_analysis` with the design
    :math:`[1, x]`. The moderator is centred inside (at its mean per group) so that years
    near 2025 do not make :math:`X'WX` ill-conditioned; the intercept is moved to
    ``center`` afterwards with its variance :math:`V_{00} + 2cV_{01} + c^2V_{11}`. The test of
    the slope is metafor's ``QM`` test (``QM = stat^2``).

    References
    ----------
    Knapp, G., & Hartung, J. (2003). Stat. Med., 22, 2693-2710.
    R: ``metafor::rma(yi, vi, mods = ~ year, test = "knha")``;
    ``mods = ~ I(year - 2025)`` for ``center=2025``.

    Examples
    --------
    >>> import pandas as pd
    >>> effects = pd.DataFrame({"yi": [9.4, 6.1, 13.2, 4.4, 11.4, 6.4],
    ...                         "vi": [3.5, 4.3, 5.2, 2.5, 6.7, 3.2],
    ...                         "year": [2024, 2025, 2026, 2024, 2025, 2026]})
    >>> res = meta_regression(effects, yi="yi", vi="vi", moderator="year", center=2025)
    >>> list(res.index), int(res["df"].iloc[0])
    (['intercept', 'year'], 4)
    """
    method, test, confidence = _options(method, test, confidence)
    try:
        center = float(center)
    except (TypeError, ValueError):
        raise EvalkitError(tr(MSG_NOT_NUMBER, param="center", value=center)) from None
    check_frame(data)
    numeric_column(data, "moderator", moderator)  # raises if missing or not numeric
    y, v, codes, index, x = _inputs(data, yi, vi, group, moderator)
    x = x.astype(float)
    n_groups = len(index)
    k = np.bincount(codes, minlength=n_groups)
    mean_x = np.bincount(codes, weights=x, minlength=n_groups) / np.maximum(k, 1)
    pad = Padded(codes, n_groups, y, v, [np.ones_like(y), x - mean_x[codes]])
    spread = np.zeros(n_groups)
    np.maximum.at(spread, codes, np.abs(x - mean_x[codes]))
    constant = (spread == 0) & (k > 0)
    absent = np.column_stack([np.zeros(n_groups, dtype=bool), constant])
    fit = rma(pad, absent, method, test, confidence, tested=np.array([False, True]))
    _report_failures(fit, index)
    warn_groups(MSG_CONSTANT_MODERATOR, constant & ~fit["failed"], index, moderator=moderator)
    b, vb = fit["b"], fit["vb"]
    shift = center - mean_x
    b0 = b[:, 0] + shift * b[:, 1]
    var0 = vb[:, 0, 0] + 2 * shift * vb[:, 0, 1] + shift**2 * vb[:, 1, 1]
    slope = np.where(constant, np.nan, b[:, 1])
    slope_se = np.where(constant, np.nan, np.sqrt(vb[:, 1, 1]))
    # Rows group after group, the intercept then the slope of each.
    estimate = np.column_stack([b0, slope]).ravel()
    se = np.column_stack([np.sqrt(var0), slope_se]).ravel()
    out = _coefficient_columns(estimate, se, np.repeat(fit["df"], 2), np.repeat(fit["crit"], 2), test)
    out.update(ci_level=confidence, k=np.repeat(fit["k"].astype(np.int64), 2))
    out.update({name: np.repeat(fit[name], 2) for name in ("tau2", "i2", "q", "q_df", "q_p")})
    rows = expand_index(index, ["intercept", str(moderator)], "term")
    return pd.DataFrame(out | {"method": method, "test": test}, index=rows)[REGRESSION_COLUMNS]


def paired_effect_sizes(
    data: pd.DataFrame,
    *,
    n: Hashable,
    mean_diff: Hashable,
    sd_diff: Hashable,
    measure: str = "MD",
) -> pd.DataFrame:
    """Per-training effect ``yi`` and its sampling variance ``vi`` for :func:`meta_analysis`.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per training (e.g. the gains of each training, or
        :func:`paired_from_sums`).
    n, mean_diff, sd_diff : column name
        Number of pairs, mean and SD (ddof=1) of the differences post - pre.
    measure : {"MD", "d_z", "g_z"}
        Raw mean difference; Cohen's d_z; or d_z with Hedges' small-sample correction.

    Returns
    -------
    pandas.DataFrame
        Indexed as ``data``, columns ``measure, yi, vi``.

    Notes
    -----
    * ``"MD"``: :math:`y = \\bar d`, :math:`v = s_d^2/n` (metafor ``escalc("MC")``, whose
      :math:`s_d^2 = s_1^2 + s_2^2 - 2 r s_1 s_2` is the same quantity).
    * ``"d_z"``: :math:`y = \\bar d/s_d`, :math:`v = 1/n + d_z^2/(2n)`, the large-sample
      variance of the standardized mean change (Becker 1988; Borenstein et al. 2009,
      eq. 4.28 with :math:`r`-free form for change scores); ``escalc("SMCC")``'s formula
      without its bias correction.
    * ``"g_z"``: :math:`y = c(n-1)\\,d_z`, :math:`c(m) = \\Gamma(m/2)/(\\sqrt{m/2}\\,
      \\Gamma((m-1)/2))`, :math:`v = 1/n + y^2/(2n)`: exactly ``escalc("SMCC")``.

    Rows with ``n < 2`` or ``sd_diff <= 0`` give NaN (and :func:`meta_analysis` drops them).

    References
    ----------
    Becker, B. J. (1988). Synthesizing standardized mean-change measures. British Journal of
    Mathematical and Statistical Psychology, 41, 257-278.
    R: ``metafor::escalc("MC", m1i, m2i, sd1i, sd2i, ni, ri)`` and ``escalc("SMCC", ...)``.

    Examples
    --------
    >>> import pandas as pd
    >>> trainings = pd.DataFrame({"n": [25, 31], "mean_diff": [9.4, 6.1],
    ...                           "sd_diff": [9.34, 11.54]})
    >>> paired_effect_sizes(trainings, n="n", mean_diff="mean_diff", sd_diff="sd_diff",
    ...                     measure="d_z").round(4)  # doctest: +NORMALIZE_WHITESPACE
      measure      yi      vi
    0     d_z  1.0064  0.0603
    1     d_z  0.5286  0.0368
    """
    check_frame(data)
    measure = check_choice("measure", measure, EFFECT_MEASURES)
    size = numeric_column(data, "n", n)
    md = numeric_column(data, "mean_diff", mean_diff)
    sd = numeric_column(data, "sd_diff", sd_diff)
    for column, values in ((n, size), (sd_diff, sd)):
        check_cells(column, values, values < 0, ALLOWED_NOT_NEGATIVE)
    ok = (size >= 2) & (sd > 0)
    size = np.where(ok, size, np.nan)
    sd = np.where(ok, sd, np.nan)
    if measure == "MD":
        yi, vi = md, sd**2 / size
    else:
        yi = md / sd
        if measure == "g_z":
            m = size - 1
            yi = yi * np.exp(special.gammaln(m / 2) - 0.5 * np.log(m / 2) - special.gammaln((m - 1) / 2))
        vi = 1 / size + yi**2 / (2 * size)
    return pd.DataFrame({"measure": measure, "yi": np.where(ok, yi, np.nan), "vi": vi}, index=data.index)
