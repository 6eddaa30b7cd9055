"""Comparing groups: ANCOVA on post adjusted for pre, Kruskal-Wallis, pairwise tests."""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from evalkit._lazy import scipy_stats as stats

from evalkit._errors import EvalkitError, UndefinedStatisticWarning
from evalkit._i18n import tr

from ._common import as_float_array, check_choice, check_column, check_confidence, check_frame, numeric_column
from ._kernels import t_two_sided_p
from ._multitest import P_ADJUST_METHODS, p_adjust
from ._ranks import round_for_ranking

MSG_FEW_GROUPS = {"code": "EK-ST-020",
    "id": "Perbandingan kelompok memerlukan sedikitnya 2 kelompok dengan data; ada {k}.",
    "en": "Comparing groups needs at least 2 groups with data; got {k} instead.",
}
MSG_GROUP_LENGTH = {"code": "EK-ST-021",
    "id": "Parameter 'values' dan 'groups' harus sama panjang; diberikan {n1} dan {n2}.",
    "en": "The 'values' and 'groups' parameters must have the same length; "
    "got {n1} and {n2} instead.",
}
MSG_PERFECT_FIT = {"code": "EK-ST-022",
    "id": "ANCOVA: model {model} cocok sempurna dengan data (tidak ada sisa varians); "
    "tidak terdefinisi, diisi NaN: {what}.",
    "en": "ANCOVA: the {model} model fits the data exactly (no residual variance); "
    "undefined, set to NaN: {what}.",
}
MSG_NO_GROUP_EFFECT = {"code": "EK-ST-023",
    "id": "ANCOVA: pre-test ditentukan sepenuhnya oleh kelompok (konstan dalam tiap kelompok), "
    "sehingga efek kelompok di luar pre-test tidak dapat diuji: F, p dan partial_eta2 diisi NaN.",
    "en": "ANCOVA: the pre-test is determined by the group (constant within each group), so "
    "no group effect beyond the pre-test can be tested: F, p and partial_eta2 set to NaN.",
}
MSG_KRUSKAL_CONSTANT = {"code": "EK-ST-024",
    "id": "Kruskal-Wallis: semua nilai sama, uji tidak dapat dihitung (statistik dan p diisi NaN).",
    "en": "Kruskal-Wallis: all values are equal, the test cannot be computed "
    "(statistic and p set to NaN).",
}
MSG_WELCH_ONE = {"code": "EK-ST-025",
    "id": "Uji t Welch: kelompok {groups} hanya punya satu nilai; pasangan yang memuatnya "
    "diisi NaN.",
    "en": "Welch's t-test: group(s) {groups} have a single value; their pairs are set to NaN.",
}
MSG_WELCH_CONSTANT = {"code": "EK-ST-026",
    "id": "Uji t Welch: kedua kelompok bervarians nol pada pasangan {pairs}; t dan p tidak "
    "terdefinisi (diisi NaN).",
    "en": "Welch's t-test: both groups have zero variance in pair(s) {pairs}; t and p are "
    "undefined (set to NaN).",
}


@dataclass(frozen=True)
class AncovaResult:
    """Result of :func:`ancova`.

    Attributes
    ----------
    effect : pandas.Series
        ``F, df1, df2, p, partial_eta2`` of the group effect adjusted for pre.
    adjusted_means : pandas.DataFrame
        ``group, adjusted_mean, ci_low, ci_high`` at the grand mean of pre.
    slope_homogeneity : float
        p-value of the pre x group interaction (homogeneity of regression slopes).
    """

    effect: pd.Series
    adjusted_means: pd.DataFrame
    slope_homogeneity: float


def ancova(
    data: pd.DataFrame,
    *,
    pre: Hashable,
    post: Hashable,
    group: Hashable,
    confidence: float = 0.95,
) -> AncovaResult:
    """One-way ANCOVA: post-test by group, adjusted for the pre-test.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per participant; rows with a missing pre, post or group are dropped.
    pre, post, group : column name
        Covariate, outcome and grouping column.
    confidence : float
        Confidence level of the adjusted means' intervals.

    Returns
    -------
    AncovaResult

    Notes
    -----
    Model :math:`post = \\beta_0 + \\beta_1 pre + \\gamma_g + \\varepsilon` by OLS, from
    the within-group sums of squares and cross-products (one pass over the data, so the
    cost does not grow with the number of groups times the rows, as a dummy-coded design
    matrix would). The group effect is the F-test of the :math:`\\gamma_g` against the
    model with pre only (type II = type III without interaction),
    :math:`\\eta_p^2 = SS_{group} / (SS_{group} + SS_{error})`. Adjusted means are the
    model's predictions at the grand mean of pre, with t intervals (as ``emmeans``).
    ``slope_homogeneity`` is the p-value of the F-test adding the pre x group interaction.
    A model that fits exactly (residual sum of squares at most :math:`10^{-10}` of the
    total; R's ``lm`` warns "essentially perfect fit") has no error variance: ``F``, ``p``,
    ``partial_eta2`` and the intervals (else +-inf or zero-width) are NaN with an
    :class:`~evalkit.UndefinedStatisticWarning`; likewise ``slope_homogeneity`` when the
    model with the interaction fits exactly. With two groups whose pre-test is constant
    within each (pre is then the group), there is no group effect left to test (R:
    ``car::Anova`` gives NA): ``F``, ``p`` and ``partial_eta2`` are NaN with a warning.

    References
    ----------
    Maxwell, S. E., Delaney, H. D., & Kelley, K. (2018). Designing experiments and
    analyzing data (3rd ed.), ch. 9. R: ``car::Anova(lm(post ~ pre + group), type = 2)``,
    ``emmeans::emmeans(fit, "group")``, ``anova(fit, lm(post ~ pre * group))``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"g": list("aaabbbccc"), "pre": [1, 2, 3, 1, 2, 3, 2, 3, 4],
    ...                    "post": [2, 4, 5, 3, 4, 6, 6, 7, 9]})
    >>> res = ancova(df, pre="pre", post="post", group="g")
    >>> list(res.adjusted_means.columns)
    ['group', 'adjusted_mean', 'ci_low', 'ci_high']
    """
    check_frame(data)
    confidence = check_confidence(confidence)
    x = numeric_column(data, "pre", pre)
    y = numeric_column(data, "post", post)
    check_column(data, "group", group)
    keep = ~np.isnan(x) & ~np.isnan(y) & data[group].notna().to_numpy()
    x, y = x[keep], y[keep]
    codes, levels = pd.factorize(data[group][keep], sort=True)
    k = len(levels)
    if k < 2:
        raise EvalkitError(tr(MSG_FEW_GROUPS, k=k))
    n_g = np.bincount(codes, minlength=k).astype(float)
    x_bar_g = np.bincount(codes, weights=x, minlength=k) / n_g
    y_bar_g = np.bincount(codes, weights=y, minlength=k) / n_g
    xc, yc = x - x_bar_g[codes], y - y_bar_g[codes]  # centred within groups
    sxx_g = np.bincount(codes, weights=xc * xc, minlength=k)
    sxy_g = np.bincount(codes, weights=xc * yc, minlength=k)
    syy_g = np.bincount(codes, weights=yc * yc, minlength=k)
    n = len(y)
    xt, yt = x - x.mean(), y - y.mean()
    sxx, sxy, syy = float(xt @ xt), float(xt @ yt), float(yt @ yt)
    sxx_w, sxy_w, syy_w = sxx_g.sum(), sxy_g.sum(), syy_g.sum()
    tiny = 1e-12 * max(sxx, 1e-300)
    # pre + group (common slope), pre only, and pre * group (one line per group);
    # a model whose pre column is collinear loses that column (as a least-squares fit does).
    slope = sxy_w / sxx_w if sxx_w > tiny else 0.0
    ssr_full = syy_w - slope * sxy_w
    df_full = n - k - (1 if sxx_w > tiny else 0)
    ssr_reduced = syy - (sxy * sxy / sxx if sxx > tiny else 0.0)
    df_reduced = n - 1 - (1 if sxx > tiny else 0)
    varies = sxx_g > 1e-12 * np.maximum(sxx, 1e-300)
    ssr_inter = float(np.sum(np.where(varies, syy_g - np.divide(sxy_g**2, sxx_g, where=varies,
                                                               out=np.zeros(k)), syy_g)))
    df_inter = n - k - int(varies.sum())
    df1 = df_reduced - df_full
    # A residual sum of squares at rounding level of the total is an exact fit: F would
    # be +-inf or rounding noise over rounding noise, and the intervals zero-width.
    exact = 1e-10 * max(syy, 1e-300)
    if ssr_full <= exact:
        warnings.warn(tr(MSG_PERFECT_FIT, model="post ~ pre + group",
                         what="F, p, partial_eta2, ci_low, ci_high"),
                      UndefinedStatisticWarning, stacklevel=2)
        ssr_full = np.float64(np.nan)
    elif df1 <= 0:  # R: car::Anova gives NA, anova() a comparison with 0 df
        warnings.warn(tr(MSG_NO_GROUP_EFFECT), UndefinedStatisticWarning, stacklevel=2)
    ss_group = np.float64(ssr_reduced - ssr_full if df1 > 0 else np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        f_value = (ss_group / df1) / (ssr_full / df_full)
        p_value = stats.f.sf(f_value, df1, df_full)
        effect = pd.Series(
            {
                "F": f_value,
                "df1": float(df1),
                "df2": float(df_full),
                "p": p_value,
                "partial_eta2": ss_group / (ss_group + ssr_full),
            }
        )
        # Predictions at the grand mean of pre, with their standard errors (as emmeans).
        mse = ssr_full / df_full
        dx = x.mean() - x_bar_g
        mean = y_bar_g + slope * dx
        se = np.sqrt(mse * (1 / n_g + (dx * dx / sxx_w if sxx_w > tiny else 0.0)))
        crit = stats.t.ppf(0.5 + confidence / 2, df_full)
    adjusted = pd.DataFrame(
        {
            "group": np.asarray(levels),
            "adjusted_mean": mean,
            "ci_low": mean - crit * se,
            "ci_high": mean + crit * se,
        }
    )
    slope_p = float("nan")
    if df_inter > 0 and df_full > df_inter and ssr_inter <= exact and np.isfinite(ssr_full):
        warnings.warn(tr(MSG_PERFECT_FIT, model="post ~ pre * group", what="slope_homogeneity"),
                      UndefinedStatisticWarning, stacklevel=2)
    elif df_inter > 0 and df_full > df_inter and np.isfinite(ssr_full):
        with np.errstate(divide="ignore", invalid="ignore"):
            f_inter = ((ssr_full - ssr_inter) / (df_full - df_inter)) / (ssr_inter / df_inter)
            slope_p = float(stats.f.sf(f_inter, df_full - df_inter, df_inter))
    return AncovaResult(effect=effect, adjusted_means=adjusted, slope_homogeneity=slope_p)


def kruskal(values: Any, groups: Any) -> pd.Series:
    """Kruskal-Wallis rank-sum test (tie-corrected), as R's ``kruskal.test``.

    Parameters
    ----------
    values : array-like
        Numeric outcome; missing values (and missing groups) are dropped.
    groups : array-like
        Group label of each value.

    Returns
    -------
    pandas.Series
        Indexed ``statistic, df, p``.

    Notes
    -----
    With :math:`N` values ranked together (average ranks), :math:`R_g` the rank sum and
    :math:`n_g` the size of group :math:`g` (:math:`k` groups):
    :math:`H = \\frac{12}{N(N+1)} \\sum_g R_g^2/n_g - 3(N+1)`, divided by
    :math:`1 - \\sum (t^3 - t)/(N^3 - N)` for ties; :math:`p = P(\\chi^2_{k-1} > H)`.
    Values are rounded to 9 significant digits before ranking, so that float noise
    (``0.9999999999999996`` for 1) cannot break a tie, as in the signed-rank test; R:
    ``kruskal.test(signif(values, 9), groups)``. All values equal: NaN with an
    :class:`~evalkit.UndefinedStatisticWarning`.

    References
    ----------
    Kruskal, W. H., & Wallis, W. A. (1952). Use of ranks in one-criterion variance
    analysis. JASA, 47, 583-621. R: ``kruskal.test(values, groups)``.

    Examples
    --------
    >>> res = kruskal([1, 2, 3, 4, 5, 6], ["a", "a", "b", "b", "c", "c"])
    >>> round(float(res["statistic"]), 4), float(res["df"])
    (4.5714, 2.0)
    """
    y = as_float_array("values", values)
    g = pd.Series(np.asarray(groups, dtype=object).ravel())
    if len(g) != len(y):
        raise EvalkitError(tr(MSG_GROUP_LENGTH, n1=len(y), n2=len(g)))
    keep = ~np.isnan(y) & g.notna().to_numpy()
    y = y[keep]
    codes, levels = pd.factorize(g[keep], sort=True)
    k, n = len(levels), len(y)
    if k < 2:
        raise EvalkitError(tr(MSG_FEW_GROUPS, k=k))
    y = round_for_ranking(y)
    ranks = stats.rankdata(y)
    rank_sum = np.bincount(codes, weights=ranks, minlength=k)
    n_g = np.bincount(codes, minlength=k)
    h = 12 / (n * (n + 1)) * np.sum(rank_sum**2 / n_g) - 3 * (n + 1)
    _, t = np.unique(y, return_counts=True)
    ties = 1 - np.sum(t**3 - t) / (n**3 - n)
    if ties > 0:
        h = h / ties
    else:
        warnings.warn(tr(MSG_KRUSKAL_CONSTANT), UndefinedStatisticWarning, stacklevel=2)
        h = np.nan
    df = k - 1
    return pd.Series({"statistic": h, "df": float(df), "p": stats.chi2.sf(h, df)})


def _wilcoxon_rank_sum(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """R's ``wilcox.test(x, y, digits.rank = 9)``: W statistic and two-sided p."""
    nx, ny = len(x), len(y)
    both = round_for_ranking(np.concatenate([x, y]))  # float noise must not break ties
    ranks = stats.rankdata(both)
    w = float(ranks[:nx].sum() - nx * (nx + 1) / 2)
    _, t = np.unique(both, return_counts=True)
    if nx < 50 and ny < 50 and not np.any(t > 1):
        dist = stats.mannwhitneyu(x, y, alternative="two-sided", method="exact")
        return w, float(dist.pvalue)
    z = w - nx * ny / 2
    sigma = np.sqrt(nx * ny / 12 * ((nx + ny + 1) - np.sum(t**3 - t) / ((nx + ny) * (nx + ny - 1))))
    z = (z - np.sign(z) * 0.5) / sigma
    return w, float(2 * stats.norm.sf(abs(z)))


def welch_t(n1: np.ndarray, mean1: np.ndarray, var1: np.ndarray, n2: np.ndarray, mean2: np.ndarray,
            var2: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Welch's two-sample t-test of ``mean2 - mean1`` from each side's count, mean and
    sample variance (arrays, elementwise): ``(t, df, p, constant)``.

    The formulas of ``scipy.stats.ttest_ind(equal_var=False)`` and R's ``t.test``:
    :math:`t = (\\bar x_2 - \\bar x_1)/\\sqrt{s_1^2/n_1 + s_2^2/n_2}`, Welch-Satterthwaite
    :math:`df`, two-sided p. NaN where a side has fewer than 2 values, and where the
    standard error is at rounding level (``constant``; R's ``t.test`` stops there: "data
    are essentially constant", SciPy returns t = +-inf, p = 0).
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        var1, var2 = np.where(n1 < 2, np.nan, var1), np.where(n2 < 2, np.nan, var2)
        vn1, vn2 = var2 / n2, var1 / n1
        se = np.sqrt(vn1 + vn2)
        constant = se <= 10 * np.finfo(float).eps * np.maximum(np.abs(mean1), np.abs(mean2))
        se[constant] = np.nan
        df = (vn1 + vn2) ** 2 / (vn1**2 / (n2 - 1) + vn2**2 / (n1 - 1))
        df[constant] = np.nan
        t = (mean2 - mean1) / se
        p = t_two_sided_p(t, df)
    return t, df, p, constant


def _pairwise_welch(y: np.ndarray, codes: np.ndarray, levels) -> pd.DataFrame:
    """Welch's t-test for every pair of groups at once, from per-group n, mean and variance.

    The formulas of ``scipy.stats.ttest_ind(equal_var=False)`` and R's ``t.test``. A
    group with one value, or a pair whose standard error is at rounding level (R's
    ``t.test`` stops: "data are essentially constant"; SciPy returns t = +-inf, p = 0),
    gives NaN with an :class:`~evalkit.UndefinedStatisticWarning`.
    """
    k = len(levels)
    n = np.bincount(codes, minlength=k).astype(float)
    mean = np.bincount(codes, weights=y, minlength=k) / n
    dev = y - mean[codes]
    levels = np.asarray(levels, dtype=object)
    with np.errstate(divide="ignore", invalid="ignore"):
        var = np.bincount(codes, weights=dev * dev, minlength=k) / (n - 1)
    i, j = np.triu_indices(k, 1)  # pairs in itertools.combinations order
    t, _, p, constant = welch_t(n[i], mean[i], var[i], n[j], mean[j], var[j])
    # The labels of 500,000 pairs at 1,000 groups: taken from an index of the k labels, not
    # inferred again from an object array of every pair's.
    labels = pd.Series(levels, copy=False).array  # the dtype a column of them would get
    if np.any(n < 2):
        warnings.warn(tr(MSG_WELCH_ONE, groups=", ".join(str(g) for g in levels[n < 2])),
                      UndefinedStatisticWarning, stacklevel=3)
    if constant.any():
        pairs = ", ".join(f"{levels[a]}-{levels[b]}" for a, b in zip(i[constant], j[constant]))
        warnings.warn(tr(MSG_WELCH_CONSTANT, pairs=pairs), UndefinedStatisticWarning, stacklevel=3)
    return pd.DataFrame({"group1": labels.take(i), "group2": labels.take(j), "statistic": t, "p": p})


def pairwise(
    data: pd.DataFrame,
    *,
    value: Hashable,
    group: Hashable,
    test: str = "t",
    adjust: str = "holm",
) -> pd.DataFrame:
    """All pairwise two-sample comparisons of groups, with adjusted p-values.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per participant; missing values are dropped.
    value, group : column name
        Outcome and grouping column.
    test : {"t", "wilcoxon"}
        Welch's t-test (unpooled SDs) or the Wilcoxon rank-sum test (as R: exact when both
        groups have fewer than 50 values and there are no ties, else normal approximation
        with tie and continuity correction; values rounded to 9 significant digits before
        ranking, R's ``digits.rank = 9``). Welch's t of a group with one value, or of two
        groups with zero variance, is NaN with an :class:`~evalkit.UndefinedStatisticWarning`
        (never +-inf).
    adjust : {"holm", "fdr_bh"}
        Adjustment over all pairs, see :func:`p_adjust`.

    Returns
    -------
    pandas.DataFrame
        One row per pair (groups sorted), columns ``group1, group2, statistic, p,
        p_adjusted`` (``statistic`` is Welch's t of group2 - group1 or W of group2).

    References
    ----------
    Welch, B. L. (1947). Biometrika, 34, 28-35. Mann, H. B., & Whitney, D. R. (1947).
    Annals of Mathematical Statistics, 18, 50-60. R: ``pairwise.t.test(value, group,
    pool.sd = FALSE, p.adjust.method = "holm")``; ``pairwise.wilcox.test(value, group,
    p.adjust.method = "holm", digits.rank = 9)``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"g": list("aaabbbccc"), "y": [1, 2, 3, 2, 3, 5, 7, 8, 9]})
    >>> pairwise(df, value="y", group="g")[["group1", "group2"]].values.tolist()
    [['a', 'b'], ['a', 'c'], ['b', 'c']]
    """
    test = check_choice("test", test, ("t", "wilcoxon"))
    adjust = check_choice("adjust", adjust, P_ADJUST_METHODS)
    check_frame(data)
    y = numeric_column(data, "value", value)
    check_column(data, "group", group)
    keep = ~np.isnan(y) & data[group].notna().to_numpy()
    codes, levels = pd.factorize(data[group][keep], sort=True)
    y = y[keep]
    if len(levels) < 2:
        raise EvalkitError(tr(MSG_FEW_GROUPS, k=len(levels)))
    if test == "t":
        out = _pairwise_welch(y, codes, levels)
    else:
        samples = [y[codes == i] for i in range(len(levels))]  # one slice per group
        rows = []
        for i, j in itertools.combinations(range(len(levels)), 2):  # over pairs of groups
            statistic, p = _wilcoxon_rank_sum(samples[j], samples[i])
            rows.append((levels[i], levels[j], statistic, p))
        out = pd.DataFrame(rows, columns=["group1", "group2", "statistic", "p"])
    out["p_adjusted"] = p_adjust(out["p"], method=adjust)
    return out
