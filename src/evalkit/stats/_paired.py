"""Paired pre/post comparison per group: t-test, Wilcoxon signed-rank, effect sizes."""

from __future__ import annotations

import warnings
from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd

from evalkit._errors import EvalkitError, UndefinedStatisticWarning
from evalkit._i18n import tr

from ._common import MSG_LENGTHS, as_float_array, check_confidence, check_frame, group_codes, numeric_column
from ._kernels import PAIRED_COLUMNS, Cells, paired_cells

PAIRED_SERIES_INDEX = [
    "n", "mean_pre", "mean_post", "mean_diff", "ci_low", "ci_high",
    "t", "df", "p", "w", "p_wilcoxon", "d_z", "g_av",
]  # fmt: skip


def _paired_table(pre: np.ndarray, post: np.ndarray, cells: Cells, confidence: float) -> pd.DataFrame:
    """The table of :func:`paired_by_group` indexed by the cells, warning (in this thread)
    about the cells where a statistic is undefined."""
    columns, messages = paired_cells(pre, post, cells, confidence)
    for message in messages:
        warnings.warn(message, UndefinedStatisticWarning, stacklevel=3)
    columns["wilcoxon_method"] = pd.Series(columns["wilcoxon_method"], index=cells.index, dtype=object)
    return pd.DataFrame({name: columns[name] for name in PAIRED_COLUMNS}, index=cells.index)


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
        ci_high, t, df, p, w, p_wilcoxon, wilcoxon_method, d_z, g_av, share_any_rise``.

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
    * ``share_any_rise``: share of pairs with :math:`d_i > 0`.

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
    check_frame(data)
    confidence = check_confidence(confidence)
    pre_values = numeric_column(data, "pre", pre)
    post_values = numeric_column(data, "post", post)
    codes, index = group_codes(data, group)
    return _paired_table(pre_values, post_values, Cells(code=codes, index=index), confidence)


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
    out = _paired_table(pre_values, post_values, Cells(code=codes, index=pd.RangeIndex(1)), confidence)
    return out.iloc[0][PAIRED_SERIES_INDEX].astype(float).rename(None)
