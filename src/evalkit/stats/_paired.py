"""Paired pre/post comparison per group: t-test, Wilcoxon signed-rank, effect sizes."""

from __future__ import annotations

import warnings
from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd
from evalkit._lazy import scipy_stats as stats

from evalkit._errors import EvalkitError, UndefinedStatisticWarning
from evalkit._i18n import tr

from ._common import (
    MSG_LENGTHS,
    as_float_array,
    check_confidence,
    group_codes,
    group_sum,
    numeric_column,
    pool,
    safe_divide,
    side_by_side,
)
from ._effects import d_z_ci
from ._ranks import grouped_signed_rank

PAIRED_COLUMNS = [
    "n", "mean_pre", "sd_pre", "mean_post", "sd_post", "mean_diff", "sd_diff",
    "ci_low", "ci_high", "t", "df", "p", "w", "p_wilcoxon", "wilcoxon_method",
    "d_z", "g_av", "share_improved",
]  # fmt: skip
PAIRED_SERIES_INDEX = [
    "n", "mean_pre", "mean_post", "mean_diff", "ci_low", "ci_high",
    "t", "df", "p", "w", "p_wilcoxon", "d_z", "g_av",
]  # fmt: skip

MSG_CONSTANT_DIFF = {
    "id": "Selisih post − pre konstan (simpangan baku 0) pada kelompok {groups}: "
    "uji t, d_z dan interval kepercayaan tidak dapat dihitung (diisi NaN).",
    "en": "The post − pre differences are constant (standard deviation 0) in group(s) "
    "{groups}: the t-test, d_z and the confidence interval cannot be computed (set to NaN).",
}
MSG_ONE_PAIR = {
    "id": "Hanya satu pasangan lengkap pada kelompok {groups}: simpangan baku, uji t, "
    "interval kepercayaan, d_z dan g_av tidak dapat dihitung (diisi NaN).",
    "en": "Only one complete pair in group(s) {groups}: the standard deviations, t-test, "
    "confidence interval, d_z and g_av cannot be computed (set to NaN).",
}
MSG_ALL_ZERO = {
    "id": "Semua selisih post − pre bernilai nol pada kelompok {groups}: "
    "uji Wilcoxon tidak dapat dihitung (p_wilcoxon diisi NaN).",
    "en": "All post − pre differences are zero in group(s) {groups}: "
    "the Wilcoxon test cannot be computed (p_wilcoxon set to NaN).",
}


def _group_moments(
    values: np.ndarray, codes: np.ndarray, n: np.ndarray, n_groups: int, pooled: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """Per-group mean and sample SD (ddof=1) by the two-pass formula.

    A pooled group's sum of squares combines its members' (Chan et al.'s update:
    :math:`M_2 = \\sum_g M_{2,g} + n_g(\\bar x_g - \\bar x)^2`), which keeps the two-pass
    precision without reading the rows again.
    """
    mean = safe_divide(group_sum(codes, values, n_groups, pooled), n)
    dev = values - mean[codes]
    sq = group_sum(codes, dev * dev, n_groups)
    if pooled is not None:
        members = np.flatnonzero((pooled >= 0) & (n > 0))
        spread = np.zeros(n_groups)
        spread[members] = n[members] * (mean[members] - mean[pooled[members]]) ** 2
        sq = pool(sq + spread, pooled) - spread  # members keep their own sum of squares
    var = safe_divide(sq, n - 1)
    var[n < 2] = np.nan
    return mean, np.sqrt(var)


def _paired_kernel(
    pre: np.ndarray,
    post: np.ndarray,
    codes: np.ndarray,
    index: pd.Index,
    confidence: float,
    pooled: np.ndarray | None = None,
) -> pd.DataFrame:
    """All statistics of :func:`paired_by_group` from flat arrays and group codes, as a
    table indexed by ``index`` (see :func:`_paired_arrays`)."""
    columns = _paired_arrays(pre, post, codes, index, confidence, pooled)
    columns["wilcoxon_method"] = pd.Series(columns["wilcoxon_method"], index=index, dtype=object)
    return pd.DataFrame(columns, index=index)  # the arrays come in PAIRED_COLUMNS order


def _paired_arrays(
    pre: np.ndarray,
    post: np.ndarray,
    codes: np.ndarray,
    index: pd.Index,
    confidence: float,
    pooled: np.ndarray | None = None,
    *,
    with_d_z_ci: bool = False,
) -> dict[str, np.ndarray]:
    """The columns of :func:`paired_by_group` (one value per entry of ``index``) as arrays.

    ``codes`` holds each row's group (``-1``: no group); ``pooled`` (optional) maps each
    group to a pooled group of ``index`` that also counts its rows (see
    :func:`evalkit.stats._common.group_sum`); ``index`` only names the groups in warnings.
    ``with_d_z_ci`` adds ``d_z_ci_low, d_z_ci_high`` (:func:`d_z_ci`); with two cores and
    many rows, the signed ranks are then counted in a second thread meanwhile. Only for
    callers that ignore ``RuntimeWarning`` here: the interval's failure check records the
    warnings of both threads.
    """
    n_out = len(index)
    n_groups = n_out + 1  # one spare bin for rows without a group, dropped at the end
    keep = ~np.isnan(pre) & ~np.isnan(post)
    if keep.all():
        keep = slice(None)
    pre, post, codes = pre[keep], post[keep], np.asarray(codes)[keep]
    if (codes < 0).any():
        codes = np.where(codes >= 0, codes, n_out)
    if pooled is not None:
        pooled = np.append(pooled, -1)
    diff = post - pre
    # The ranks are numpy work that never touches the warnings filters: from many rows on
    # they are counted in a second thread from the start, while this one computes the
    # moments and searches the roots (whose failure check sets the filters).
    columns, (w, p_wilcoxon, method) = side_by_side(
        lambda: _moment_columns(pre, post, diff, codes, n_groups, pooled, confidence, with_d_z_ci),
        lambda: grouped_signed_rank(diff, codes, n_groups, pooled=pooled),
        threaded=with_d_z_ci and len(diff) >= _OVERLAP_MIN)
    columns.update(w=w, p_wilcoxon=p_wilcoxon, wilcoxon_method=method)
    out = {name: columns[name][:n_out] for name in PAIRED_COLUMNS + ["d_z_ci_low", "d_z_ci_high"]
           if name in columns}
    out["n"] = out["n"].astype(np.int64)
    constant, n = columns["constant"][:n_out], out["n"]
    for undefined, message in ((n == 1, MSG_ONE_PAIR), (constant, MSG_CONSTANT_DIFF)):
        if undefined.any():
            groups = ", ".join(str(k) for k in index[undefined])
            warnings.warn(tr(message, groups=groups), UndefinedStatisticWarning, stacklevel=3)
    all_zero = (n > 0) & np.isnan(out["p_wilcoxon"])
    if all_zero.any():
        groups = ", ".join(str(k) for k in index[all_zero])
        warnings.warn(tr(MSG_ALL_ZERO, groups=groups), UndefinedStatisticWarning, stacklevel=3)
    return out


def _moment_columns(pre, post, diff, codes, n_groups: int, pooled, confidence: float,
                    with_d_z_ci: bool) -> dict[str, np.ndarray]:
    """Every column of :func:`_paired_arrays` but the signed-rank test's, and ``constant``
    (the groups whose differences are constant)."""
    n = group_sum(codes, None, n_groups, pooled)
    mean_pre, sd_pre = _group_moments(pre, codes, n, n_groups, pooled)
    mean_post, sd_post = _group_moments(post, codes, n, n_groups, pooled)
    mean_diff, sd_diff = _group_moments(diff, codes, n, n_groups, pooled)

    out = {"n": n, "mean_pre": mean_pre, "sd_pre": sd_pre, "mean_post": mean_post, "sd_post": sd_post,
           "mean_diff": mean_diff, "sd_diff": sd_diff,
           **t_columns(n, mean_diff, sd_diff, sd_pre, sd_post, confidence),
           "share_improved": safe_divide(group_sum(codes, (diff > 0).astype(float), n_groups, pooled), n)}
    if with_d_z_ci:
        out["d_z_ci_low"], out["d_z_ci_high"] = d_z_ci(out["d_z"], n, confidence=confidence)
    return out


def t_columns(n: np.ndarray, mean_diff: np.ndarray, sd_diff: np.ndarray, sd_pre: np.ndarray,
              sd_post: np.ndarray, confidence: float) -> dict[str, np.ndarray]:
    """``ci_low, ci_high, t, df, p, d_z, g_av`` and ``constant`` (the groups whose
    differences are constant) from each group's count and moments."""
    df = np.where(n >= 2, n - 1, np.nan)
    se = sd_diff / np.sqrt(n)
    # R's t.test stops with "data are essentially constant" under this condition.
    constant = (n >= 2) & (se <= 10 * np.finfo(float).eps * np.abs(mean_diff))
    se = np.where(constant, np.nan, se)
    t = safe_divide(mean_diff, se)
    crit = stats.t.ppf(0.5 + confidence / 2, df)
    correction = 1 - 3 / (4 * df - 1)  # Hedges' J with df = n - 1
    return {
        "ci_low": mean_diff - crit * se, "ci_high": mean_diff + crit * se, "t": t, "df": df,
        "p": 2 * stats.t.sf(np.abs(t), df), "d_z": safe_divide(mean_diff, np.where(constant, np.nan, sd_diff)),
        "g_av": safe_divide(mean_diff, (sd_pre + sd_post) / 2) * correction, "constant": constant,
    }


#: From this many rows on, the signed ranks overlap the interval search (see _paired_arrays).
_OVERLAP_MIN = 100_000


def paired_by_group(
    data: pd.DataFrame,
    *,
    pre: Hashable,
    post: Hashable,
    group: Hashable | list[Hashable] | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Paired pre/post comparison (t-test, Wilcoxon, effect sizes), one row per group.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per participant.
    pre, post : column name
        Numeric columns with the pre-test and post-test scores.
    group : column name, list of column names or None
        Grouping column(s); ``None`` treats all rows as one group. Rows with a
        missing group key are left out.
    confidence : float
        Confidence level of the interval of the mean difference.

    Returns
    -------
    pandas.DataFrame
        Indexed by the group key(s) (a one-row ``RangeIndex`` if ``group`` is None), with
        columns ``n, mean_pre, sd_pre, mean_post, sd_post, mean_diff, sd_diff, ci_low,
        ci_high, t, df, p, w, p_wilcoxon, wilcoxon_method, d_z, g_av, share_improved``.

    Notes
    -----
    With :math:`d_i = post_i - pre_i` over the :math:`n` complete pairs (a pair with a
    missing value is dropped), :math:`\\bar d`, :math:`s_d` the mean and sample SD:

    * :math:`t = \\bar d / (s_d/\\sqrt n)`, :math:`df = n-1`, two-sided p;
      CI :math:`\\bar d \\pm t_{1-(1-c)/2,\\,df}\\, s_d/\\sqrt n`.
    * :math:`d_z = \\bar d / s_d`;
      :math:`g_{av} = \\bar d / ((s_{pre}+s_{post})/2) \\cdot J`,
      :math:`J = 1 - 3/(4\\,df - 1)` (Lakens 2013; Hedges 1981).
    * Wilcoxon signed-rank as R's ``wilcox.test(post, pre, paired = TRUE,
      digits.rank = 9)``: zero differences dropped, :math:`W` = sum of the ranks of
      positive differences (R's V); exact p when the number of non-zero differences is
      below 50 and there are neither ties nor zeros, else the normal approximation with
      tie and continuity correction. Absolute differences are rounded to 9 significant
      digits before ranking, so that float noise does not break ties (R's default,
      ``digits.rank = Inf``, ranks the noise and can differ on decimal scores).
    * ``share_improved``: share of pairs with :math:`d_i > 0`.

    Degenerate groups give NaN, never inf: ``n < 2`` (no t, p, CI, SDs, d_z, g_av);
    constant differences (t, p, CI, d_z NaN, as R's "data are essentially constant"); all
    differences zero (p_wilcoxon NaN). A group with one pair, constant differences and all
    differences zero each raise one :class:`~evalkit.UndefinedStatisticWarning` naming the
    groups (a group without complete pairs shows ``n = 0``).

    References
    ----------
    Lakens, D. (2013). Calculating and reporting effect sizes to facilitate cumulative
    science. Frontiers in Psychology, 4, 863.
    Hedges, L. V. (1981). Distribution theory for Glass's estimator of effect size.
    Journal of Educational Statistics, 6(2), 107-128.
    R: ``t.test(post, pre, paired = TRUE)``,
    ``wilcox.test(post, pre, paired = TRUE, digits.rank = 9)``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"g": ["a", "a", "a", "b", "b", "b"],
    ...                    "pre": [50, 60, 55, 40, 45, 50],
    ...                    "post": [70, 65, 60, 42, 55, 58]})
    >>> res = paired_by_group(df, pre="pre", post="post", group="g")
    >>> res[["n", "mean_diff", "w"]]  # doctest: +NORMALIZE_WHITESPACE
       n  mean_diff    w
    g
    a  3  10.000000  6.0
    b  3   6.666667  6.0
    """
    if not isinstance(data, pd.DataFrame):
        raise EvalkitError(
            f"The 'data' parameter must be a pandas DataFrame; got {type(data).__name__} instead."
        )
    confidence = check_confidence(confidence)
    pre_values = numeric_column(data, "pre", pre)
    post_values = numeric_column(data, "post", post)
    codes, index = group_codes(data, group)
    return _paired_kernel(pre_values, post_values, codes, index, confidence)


def paired(pre: Any, post: Any, *, confidence: float = 0.95) -> pd.Series:
    """Paired pre/post comparison of one set of participants.

    A thin wrapper over :func:`paired_by_group` with a single group; see there for
    the formulas, the Wilcoxon variant and the handling of missing values.

    Parameters
    ----------
    pre, post : array-like
        Scores of the same participants, in the same order (equal lengths).
    confidence : float
        Confidence level of the interval of the mean difference.

    Returns
    -------
    pandas.Series
        Indexed ``n, mean_pre, mean_post, mean_diff, ci_low, ci_high, t, df, p, w,
        p_wilcoxon, d_z, g_av``.

    References
    ----------
    R: ``t.test(post, pre, paired = TRUE)``;
    ``wilcox.test(post, pre, paired = TRUE, digits.rank = 9)``.

    Examples
    --------
    >>> res = paired([1, 2, 3, 4], [2, 4, 5, 7])
    >>> float(res["mean_diff"]), float(res["df"])
    (2.0, 3.0)
    """
    confidence = check_confidence(confidence)
    pre_values = as_float_array("pre", pre)
    post_values = as_float_array("post", post)
    if len(pre_values) != len(post_values):
        raise EvalkitError(tr(MSG_LENGTHS, n_pre=len(pre_values), n_post=len(post_values)))
    codes = np.zeros(len(pre_values), dtype=np.intp)
    out = _paired_kernel(pre_values, post_values, codes, pd.RangeIndex(1), confidence)
    return out.iloc[0][PAIRED_SERIES_INDEX].astype(float).rename(None)
