"""Pooling paired pre/post results from sufficient statistics (result packages, issue 17).

A training can send per-group counts, sums and centred sums of squares and cross-products
instead of its participants' answers; pooling them gives the same t-test, mean difference,
CI and d_z as pooling the raw answers.
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
import pandas as pd

from ._common import (
    ALLOWED_FINITE,
    ALLOWED_FINITE_NOT_NEGATIVE,
    check_cells,
    check_confidence,
    check_frame,
    group_codes,
    group_sum,
    numeric_column,
    safe_divide,
)
from ._effects import d_z_ci
from ._kernels import t_columns

SUMS_COLUMNS = ["n", "sum_pre", "sum_post", "ss_pre", "ss_post", "sp_pre_post"]
POOLED_COLUMNS = [
    "n", "mean_pre", "sd_pre", "mean_post", "sd_post", "mean_diff", "sd_diff", "ci_low",
    "ci_high", "ci_level", "t", "df", "p", "d_z", "d_z_ci_low", "d_z_ci_high", "g_av",
]  # fmt: skip


def paired_sums(
    data: pd.DataFrame,
    *,
    pre: Hashable,
    post: Hashable,
    group: Hashable | list[Hashable] | None = None,
) -> pd.DataFrame:
    """Sufficient statistics of the paired comparison, one row per group.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per participant; pairs with a missing score or group key are left out.
    pre, post : column name
        Pre-test and post-test scores.
    group : column name, list of column names or None
        Grouping column(s); ``None`` gives one row.

    Returns
    -------
    pandas.DataFrame
        Indexed by group, columns ``n, sum_pre, sum_post, ss_pre, ss_post, sp_pre_post``:
        the number of complete pairs, the sums of the scores, and the sums of squares and
        cross-products about the group's own means,
        :math:`SS_x = \\sum (x_i - \\bar x)^2`, :math:`SP = \\sum (x_i - \\bar x)(y_i - \\bar y)`
        (centred, so that no precision is lost to cancellation). No personal data.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"pre": [1.0, 2.0, 3.0], "post": [2.0, 4.0, 5.0]})
    >>> paired_sums(df, pre="pre", post="post").round(3)  # doctest: +NORMALIZE_WHITESPACE
       n  sum_pre  sum_post  ss_pre  ss_post  sp_pre_post
    0  3      6.0      11.0     2.0    4.667          3.0
    """
    check_frame(data)
    x = numeric_column(data, "pre", pre)
    y = numeric_column(data, "post", post)
    codes, index = group_codes(data, group)
    keep = (codes >= 0) & ~np.isnan(x) & ~np.isnan(y)
    x, y, codes = x[keep], y[keep], codes[keep]
    g = len(index)
    n = group_sum(codes, None, g)
    sx, sy = group_sum(codes, x, g), group_sum(codes, y, g)
    dx = x - safe_divide(sx, n)[codes]
    dy = y - safe_divide(sy, n)[codes]
    return pd.DataFrame({
        "n": n.astype(np.int64), "sum_pre": sx, "sum_post": sy, "ss_pre": group_sum(codes, dx * dx, g),
        "ss_post": group_sum(codes, dy * dy, g), "sp_pre_post": group_sum(codes, dx * dy, g),
    }, index=index)


def paired_from_sums(
    sums: pd.DataFrame,
    *,
    group: Hashable | list[Hashable] | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Paired t-test, mean difference, CI and d_z of pooled groups, from their sums.

    Parameters
    ----------
    sums : pandas.DataFrame
        One row per group of a training, with the columns of :func:`paired_sums`
        (``n, sum_pre, sum_post, ss_pre, ss_post, sp_pre_post``) and any key columns.
    group : column name, list of column names or None
        Rows with the same key are pooled (e.g. ``"province"``); ``None`` pools every row
        (the national figure).
    confidence : float
        Level of the CIs of the mean difference and of d_z.

    Returns
    -------
    pandas.DataFrame
        Indexed by group, columns ``n, mean_pre, sd_pre, mean_post, sd_post, mean_diff,
        sd_diff, ci_low, ci_high, ci_level, t, df, p, d_z, d_z_ci_low, d_z_ci_high, g_av``:
        the values :func:`paired_by_group` gives on the pooled participants (tested equal
        to 1e-10). The Wilcoxon test and bootstrap intervals cannot be pooled from sums.

    Notes
    -----
    Counts and sums add; centred sums combine as
    :math:`SS = \\sum_g \\left(SS_g + n_g(\\bar x_g - \\bar x)^2\\right)` and
    :math:`SP = \\sum_g \\left(SP_g + n_g(\\bar x_g - \\bar x)(\\bar y_g - \\bar y)\\right)`
    (Chan, Golub & LeVeque 1983). Then :math:`s_d^2 = (SS_{pre} + SS_{post} - 2SP)/(n-1)`
    and the statistics follow :func:`paired_by_group`; the d_z CI is :func:`d_z_ci`.
    Groups with ``n = 0`` rows are kept (NaN statistics); a negative count or sum of
    squares raises ``EvalkitError``.

    References
    ----------
    Chan, T. F., Golub, G. H., & LeVeque, R. J. (1983). Algorithms for computing the sample
    variance. The American Statistician, 37, 242-247.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"g": ["a", "a", "b", "b", "b"], "pre": [1, 2, 3, 2, 4],
    ...                    "post": [2, 4, 5, 3, 6]})
    >>> sums = paired_sums(df, pre="pre", post="post", group="g")
    >>> float(paired_from_sums(sums)["mean_diff"].iloc[0])
    1.6
    """
    check_frame(sums)
    confidence = check_confidence(confidence)
    values = {}
    for column in SUMS_COLUMNS:
        values[column] = numeric_column(sums, column, column)
        bad = ~np.isfinite(values[column])
        if column == "sp_pre_post":
            check_cells(column, values[column], bad, ALLOWED_FINITE)
        else:
            check_cells(column, values[column], bad | (values[column] < 0), ALLOWED_FINITE_NOT_NEGATIVE)
    codes, index = group_codes(sums, group)
    keep = codes >= 0
    codes = codes[keep]
    n_g, sx, sy, ssx, ssy, sp = (values[c][keep] for c in SUMS_COLUMNS)
    g = len(index)
    n = group_sum(codes, n_g, g)
    mean_x, mean_y = safe_divide(group_sum(codes, sx, g), n), safe_divide(group_sum(codes, sy, g), n)
    # Each part's mean's distance from the pooled mean (0 for empty parts).
    ex = np.where(n_g > 0, safe_divide(sx, n_g) - mean_x[codes], 0.0)
    ey = np.where(n_g > 0, safe_divide(sy, n_g) - mean_y[codes], 0.0)
    ss_x = group_sum(codes, ssx + n_g * ex * ex, g)
    ss_y = group_sum(codes, ssy + n_g * ey * ey, g)
    sp_xy = group_sum(codes, sp + n_g * ex * ey, g)
    dof = np.where(n >= 2, n - 1, np.nan)
    sd_x, sd_y = np.sqrt(ss_x / dof), np.sqrt(ss_y / dof)
    sd_d = np.sqrt(np.maximum(ss_x + ss_y - 2 * sp_xy, 0.0) / dof)
    mean_d = mean_y - mean_x
    out = {"n": n.astype(np.int64), "mean_pre": mean_x, "sd_pre": sd_x, "mean_post": mean_y,
           "sd_post": sd_y, "mean_diff": mean_d, "sd_diff": sd_d, "ci_level": confidence,
           **t_columns(n, mean_d, sd_d, sd_x, sd_y, confidence)}
    out["d_z_ci_low"], out["d_z_ci_high"] = d_z_ci(out["d_z"], n, confidence=confidence)
    return pd.DataFrame(out, index=index)[POOLED_COLUMNS]
