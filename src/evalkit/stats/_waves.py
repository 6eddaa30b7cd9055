"""Three waves (pre, post, follow-up): Friedman test, retention ratio, linear mixed model."""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd
from evalkit._lazy import scipy_stats as stats

from evalkit._errors import EvalkitError, EvalkitWarning
from evalkit._i18n import tr

from ._bootstrap import check_resamples, resample_means, rng_from_seed
from ._common import (
    MSG_MISSING_COLUMN,
    check_confidence,
    check_frame,
    expand_index,
    group_codes,
    group_sum,
    numeric_column,
    safe_divide,
    warn_groups,
)
from ._multitest import p_adjust
from ._ranks import round_for_ranking

FRIEDMAN_COLUMNS = ["n", "chi2", "df", "p", "kendall_w"]
RETENTION_COLUMNS = [
    "n", "mean_pre", "mean_post", "mean_followup", "gain_post", "gain_followup", "retention",
    "ci_low", "ci_high", "ci_level", "n_resamples",
]  # fmt: skip
MIXED_COLUMNS = [
    "estimate", "se", "z", "p", "p_holm", "ci_low", "ci_high", "ci_level", "n_participants", "n_obs",
    "var_participant", "var_residual",
]  # fmt: skip

MSG_FEW_WAVES = {"code": "EK-ST-059",
    "id": "Parameter 'waves' harus menyebut sedikitnya 2 kolom atau gelombang berbeda; diberikan {value!r}.",
    "en": "The 'waves' parameter must name at least 2 distinct columns or waves; got {value!r} instead.",
}
MSG_FRIEDMAN_TIES = {"code": "EK-ST-060",
    "id": "Uji Friedman tidak dapat dihitung pada kelompok {groups} (kurang dari 1 peserta "
    "dengan semua gelombang, atau semua nilai seri); diisi NaN.",
    "en": "The Friedman test cannot be computed in group(s) {groups} (no participant with "
    "every wave, or every score tied); set to NaN.",
}
MSG_NO_GAIN = {"code": "EK-ST-061",
    "id": "Rasio retensi tidak terdefinisi pada kelompok {groups}: rata-rata kenaikan post − pre "
    "bernilai 0 atau kurang dari 2 peserta; diisi NaN.",
    "en": "The retention ratio is undefined in group(s) {groups}: the mean gain post − pre is 0 "
    "or there are fewer than 2 participants; set to NaN.",
}
MSG_UNBOUNDED = {"code": "EK-ST-062",
    "id": "Interval bootstrap rasio retensi pada kelompok {groups} tidak terbatas: pada sebagian "
    "sampel ulang, rata-rata kenaikan post − pre bernilai 0 atau berbalik tanda; ci_low dan "
    "ci_high diisi NaN.",
    "en": "The bootstrap interval of the retention ratio is unbounded in group(s) {groups}: in "
    "some resamples the mean gain post − pre is 0 or changes sign; ci_low and ci_high set to NaN.",
}
MSG_MIXED_DATA = {"code": "EK-ST-063",
    "id": "Model campuran tidak dapat dihitung pada kelompok {groups} (sebuah gelombang tanpa "
    "data, atau kurang dari 2 peserta); diisi NaN.",
    "en": "The mixed model cannot be fitted in group(s) {groups} (a wave without data, or fewer "
    "than 2 participants); set to NaN.",
}
MSG_MIXED_FIT = {"code": "EK-ST-064",
    "id": "Model campuran pada kelompok {group}: {message}",
    "en": "The mixed model of group {group}: {message}",
}


def _wide_values(data: pd.DataFrame, columns: Sequence[Hashable]) -> np.ndarray:
    if isinstance(columns, str) or len(set(columns)) < 2:
        raise EvalkitError(tr(MSG_FEW_WAVES, value=columns))
    return np.column_stack([numeric_column(data, "waves", c) for c in columns])


def friedman_by_group(
    data: pd.DataFrame,
    *,
    waves: Sequence[Hashable],
    group: Hashable | list[Hashable] | None = None,
) -> pd.DataFrame:
    """Friedman test of the waves over participants with every wave, one row per group.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per participant (wide: one score column per wave).
    waves : list of column names
        The score columns of the waves, e.g. ``["pre", "post", "followup"]``. Rows with a
        missing score in any of them are left out.
    group : column name, list of column names or None
        Grouping column(s); ``None`` treats all rows as one group.

    Returns
    -------
    pandas.DataFrame
        Indexed by group, columns ``n, chi2, df, p, kendall_w``: the number of complete
        participants, Friedman's chi-square with ``k - 1`` df and its p-value, and Kendall's
        coefficient of concordance :math:`W = \\chi^2/(n(k-1))` (an effect size, 0 to 1).

    Notes
    -----
    Scores are ranked within each participant (average ranks for ties); with :math:`R_j` the
    rank sum of wave :math:`j` over the :math:`n` participants and :math:`t` the sizes of
    tied sets within a participant,
    :math:`\\chi^2 = 12\\sum_j (R_j - n(k+1)/2)^2 / \\big(nk(k+1) - \\sum (t^3 - t)/(k-1)\\big)`,
    as R's ``friedman.test``. Scores are rounded to 9 significant digits before ranking, as
    in :func:`paired_by_group`, so that percent scores equal on paper tie. Vectorized: ranks row-wise, rank sums per group by
    ``bincount``. NaN (with an ``EvalkitWarning``) where no participant has every wave or
    every participant's scores are all tied.

    References
    ----------
    Friedman, M. (1937). The use of ranks to avoid the assumption of normality implicit in
    the analysis of variance. JASA, 32, 675-701. Hollander, M., & Wolfe, D. A. (1973).
    Nonparametric Statistical Methods, 139-146. R: ``friedman.test(as.matrix(wide[, c("pre",
    "post", "followup")]))``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"pre": [5, 6, 4, 7, 5], "post": [8, 9, 7, 9, 6],
    ...                    "followup": [7, 8, 6, 9, 6]})
    >>> friedman_by_group(df, waves=["pre", "post", "followup"]).round(4)  # doctest: +NORMALIZE_WHITESPACE
       n    chi2  df       p  kendall_w
    0  5  9.3333   2  0.0094     0.9333
    """
    check_frame(data)
    values = _wide_values(data, waves)
    codes, index = group_codes(data, group)
    keep = (codes >= 0) & ~np.isnan(values).any(axis=1)
    values, codes = values[keep], codes[keep]
    n_groups, k = len(index), values.shape[1]
    values = round_for_ranking(values)  # float noise must not break ties (see paired_by_group)
    ranks = stats.rankdata(values, axis=1)
    # sum over tied sets of t^3 - t = sum over scores of (size of its tied set)^2 - 1
    ties = ((values[:, :, None] == values[:, None, :]).sum(axis=2) ** 2 - 1).sum(axis=1)
    n = group_sum(codes, None, n_groups)
    rank_sums = np.column_stack([group_sum(codes, ranks[:, j], n_groups) for j in range(k)])
    num = 12 * ((rank_sums - (n * (k + 1) / 2)[:, None]) ** 2).sum(axis=1)
    den = n * k * (k + 1) - group_sum(codes, ties.astype(float), n_groups) / (k - 1)
    chi2 = safe_divide(num, np.where(den > 1e-9 * np.maximum(n, 1), den, 0.0))
    warn_groups(MSG_FRIEDMAN_TIES, np.isnan(chi2), index)
    return pd.DataFrame({
        "n": n.astype(np.int64), "chi2": chi2, "df": k - 1, "p": stats.chi2.sf(chi2, k - 1),
        "kendall_w": safe_divide(chi2, n * (k - 1)),
    }, index=index)[FRIEDMAN_COLUMNS]


def retention_ratio(
    data: pd.DataFrame,
    *,
    pre: Hashable,
    post: Hashable,
    followup: Hashable,
    group: Hashable | list[Hashable] | None = None,
    n_resamples: int = 2000,
    seed: int | np.random.Generator = 0,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Share of the immediate gain still there at follow-up, with a bootstrap CI, per group.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per participant (wide); participants without all three scores are left out.
    pre, post, followup : column name
        Scores at the three waves.
    group : column name, list of column names or None
        Grouping column(s); ``None`` gives one row.
    n_resamples : int
        Bootstrap resamples per group.
    seed : int or numpy.random.Generator
        Seed of ``numpy.random.default_rng``: the same seed gives the same intervals.
    confidence : float
        Level of the percentile interval.

    Returns
    -------
    pandas.DataFrame
        Indexed by group, columns ``n, mean_pre, mean_post, mean_followup, gain_post,
        gain_followup, retention, ci_low, ci_high, ci_level, n_resamples``.

    Notes
    -----
    :math:`\\text{retention} = (\\bar y_{fu} - \\bar y_{pre})/(\\bar y_{post} - \\bar y_{pre})`
    over the complete participants: 1 means the whole gain lasted, 0 that it is gone,
    above 1 that it grew. A ratio of means (not a mean of individual ratios, which explode
    for participants with no immediate gain). Percentile bootstrap interval (type-7
    quantiles of the resampled ratios), resampling participants with replacement within
    each group, as ``scipy.stats.bootstrap((pre, post, fu), ratio, paired=True,
    method="percentile")`` with the same generator (tested equal). The interval is NaN
    with an ``EvalkitWarning`` when a resample's mean gain is 0 or of the other sign than
    the observed gain: the ratio is then unbounded, i.e. the immediate gain itself is not
    clearly different from 0. Percentile rather than BCa: BCa's acceleration is unstable
    for a ratio whose denominator can come near 0.

    References
    ----------
    Efron, B., & Tibshirani, R. J. (1993). An introduction to the bootstrap, ch. 13.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"pre": [50, 60, 55, 40, 45, 50, 62, 48],
    ...                    "post": [70, 75, 68, 62, 60, 66, 78, 64],
    ...                    "followup": [62, 70, 60, 55, 52, 60, 72, 58]})
    >>> res = retention_ratio(df, pre="pre", post="post", followup="followup", seed=1)
    >>> round(float(res["retention"].iloc[0]), 3)
    0.594
    """
    check_frame(data)
    confidence = check_confidence(confidence)
    n_resamples = check_resamples(n_resamples)
    rng = rng_from_seed(seed)
    x, y, f = (numeric_column(data, name, col) for name, col in
               (("pre", pre), ("post", post), ("followup", followup)))
    codes, index = group_codes(data, group)
    keep = (codes >= 0) & ~np.isnan(x) & ~np.isnan(y) & ~np.isnan(f)
    order = np.argsort(codes[keep], kind="stable")
    x, y, f, codes = x[keep][order], y[keep][order], f[keep][order], codes[keep][order]
    n_groups = len(index)
    n = np.bincount(codes, minlength=n_groups)
    means = [safe_divide(group_sum(codes, v, n_groups), n) for v in (x, y, f)]
    gain, kept = means[1] - means[0], means[2] - means[0]
    defined = (n >= 2) & (gain != 0)
    ratio = np.where(defined, safe_divide(kept, gain), np.nan)
    boot_gain, boot_kept = resample_means([y - x, f - x], n, n_resamples, rng)
    bounded = defined & (np.sign(boot_gain) == np.sign(gain)[:, None]).all(axis=1)
    boot = np.where(bounded[:, None], boot_kept / np.where(bounded[:, None], boot_gain, 1.0), 0.0)
    alpha = (1 - confidence) / 2
    low, high = np.quantile(boot, [alpha, 1 - alpha], axis=1)
    warn_groups(MSG_NO_GAIN, ~defined, index)
    warn_groups(MSG_UNBOUNDED, defined & ~bounded, index)
    return pd.DataFrame({
        "n": n.astype(np.int64), "mean_pre": means[0], "mean_post": means[1],
        "mean_followup": means[2], "gain_post": gain, "gain_followup": kept, "retention": ratio,
        "ci_low": np.where(bounded, low, np.nan), "ci_high": np.where(bounded, high, np.nan),
        "ci_level": confidence, "n_resamples": n_resamples,
    }, index=index)[RETENTION_COLUMNS]


def mixed_waves(
    data: pd.DataFrame,
    *,
    participant: Hashable,
    wave: Hashable,
    score: Hashable,
    waves: Sequence[str] = ("pre", "post", "followup"),
    group: Hashable | list[Hashable] | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Wave effects from a linear mixed model that uses every participant's available waves.

    Parameters
    ----------
    data : pandas.DataFrame
        Long format: one row per participant x wave.
    participant, wave, score : column name
        The participant (pseudonym), the wave label and the score. Rows with a missing score
        or a wave not in ``waves`` are left out.
    waves : sequence of str
        The wave labels in time order; the first is the reference.
    group : column name, list of column names or None
        A separate model per group (e.g. per scale); ``None``: one model.
    confidence : float
        Level of the Wald confidence intervals.

    Returns
    -------
    pandas.DataFrame
        Indexed by group and ``contrast`` (``"post - pre"``, ``"followup - pre"``,
        ``"followup - post"``: every later wave minus every earlier one), columns
        ``estimate, se, z, p, p_holm, ci_low, ci_high, ci_level, n_participants, n_obs,
        var_participant, var_residual`` (``p_holm``: Holm-adjusted across the contrasts of
        the group; the last four per model).

    Notes
    -----
    :math:`y_{it} = \\mu + \\beta_t + u_i + e_{it}`, :math:`u_i \\sim N(0, \\sigma_u^2)`,
    :math:`e_{it} \\sim N(0, \\sigma^2)`, wave as a factor (treatment coding, first wave the
    reference), fitted by REML with ``statsmodels.regression.mixed_linear_model.MixedLM``.
    A contrast :math:`c'\\beta` has :math:`SE = \\sqrt{c'Vc}` from the fixed effects'
    covariance :math:`V = (X'\\hat V_y^{-1}X)^{-1}` at the REML variance estimates (lme4's
    ``vcov()``); Wald z test and normal CI (as lme4's ``confint(method = "Wald")``).
    Unlike the complete-case paired tests and Friedman, the model keeps participants who
    missed a wave (e.g. the 30-50 % lost at follow-up); under "missing at random" given
    their observed scores its estimates are unbiased where complete-case ones need
    "missing completely at random". Warnings of statsmodels (convergence, variance on the
    boundary) come back as one ``EvalkitWarning`` naming the group. A group where a wave has
    no score or with fewer than 2 participants gives NaN. One model per group: a loop
    over groups (each model is fitted by statsmodels' optimizer).

    References
    ----------
    Bates, D., Mächler, M., Bolker, B., & Walker, S. (2015). Fitting linear mixed-effects
    models using lme4. JSS, 67(1). R: ``lme4::lmer(score ~ wave + (1 | participant),
    REML = TRUE)`` (estimates and SEs tested equal to 1e-4).

    Examples
    --------
    >>> import pandas as pd
    >>> long = pd.DataFrame({
    ...     "participant": [1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 4, 5, 5],
    ...     "wave": ["pre", "post", "followup"] * 2 + ["pre", "post"]
    ...             + ["pre", "post", "followup", "pre", "post"],
    ...     "score": [5, 8, 7, 6, 9, 8, 4, 7, 7, 9, 9, 5, 8]})
    >>> res = mixed_waves(long, participant="participant", wave="wave", score="score")
    >>> list(res.index)
    ['post - pre', 'followup - pre', 'followup - post']
    """
    check_frame(data)
    confidence = check_confidence(confidence)
    waves = list(waves) if not isinstance(waves, str) else [waves]
    if len(set(waves)) < 2:
        raise EvalkitError(tr(MSG_FEW_WAVES, value=waves))
    for param, column in (("participant", participant), ("wave", wave)):
        if column not in data.columns:
            raise EvalkitError(tr(MSG_MISSING_COLUMN, param=param, value=column, columns=list(data.columns)))
    y = numeric_column(data, "score", score)
    level = pd.Categorical(data[wave], categories=waves).codes
    codes, index = group_codes(data, group)
    keep = (codes >= 0) & (level >= 0) & ~np.isnan(y) & data[participant].notna().to_numpy()
    people = pd.factorize(data[participant].to_numpy()[keep])[0]
    y, level, codes = y[keep], level[keep], codes[keep]
    pairs = list(itertools.combinations(range(len(waves)), 2))
    pairs.sort(key=lambda ij: (ij[0] != 0, ij[1]))  # every wave minus the first, then the rest
    names = [f"{waves[j]} - {waves[i]}" for i, j in pairs]
    contrast = np.zeros((len(pairs), len(waves)))
    for row, (i, j) in enumerate(pairs):
        contrast[row, j] += 1
        contrast[row, i] -= 1
    contrast = contrast[:, 1:]  # the intercept is not in a difference of waves
    out = np.full((len(index), len(pairs), len(MIXED_COLUMNS)), np.nan)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(index) + 1))
    unusable = np.zeros(len(index), dtype=bool)
    for g in range(len(index)):  # one model per group
        rows = order[bounds[g]:bounds[g + 1]]
        fitted = _fit_mixed(y[rows], level[rows], people[rows], len(waves), index[g])
        if fitted is None:
            unusable[g] = True
            continue
        beta, cov, n_people, var_u, var_e = fitted
        est = contrast @ beta
        se = np.sqrt(np.einsum("ci,ij,cj->c", contrast, cov, contrast))
        p = 2 * stats.norm.sf(np.abs(est / se))
        crit = stats.norm.ppf(0.5 + confidence / 2)
        out[g, :, :7] = np.column_stack([est, se, est / se, p, p_adjust(p, method="holm"),
                                         est - crit * se, est + crit * se])
        out[g, :, 8:] = [n_people, len(rows), var_u, var_e]
    out[:, :, 7] = confidence
    warn_groups(MSG_MIXED_DATA, unusable, index)
    table = pd.DataFrame(out.reshape(-1, len(MIXED_COLUMNS)), columns=MIXED_COLUMNS,
                         index=expand_index(index, names, "contrast"))
    for column in ("n_participants", "n_obs"):
        table[column] = table[column].fillna(0).astype(np.int64)
    return table


def _fit_mixed(y: np.ndarray, level: np.ndarray, people: np.ndarray, n_waves: int, label):
    """REML fit of one group: ``(wave effects, their covariance, participants, sigma_u^2,
    sigma^2)``, or None when a wave has no score or fewer than 2 participants."""
    _, people = np.unique(people, return_inverse=True)
    if np.bincount(level, minlength=n_waves).min() == 0 or people.max(initial=-1) < 1:
        return None
    from statsmodels.regression.mixed_linear_model import MixedLM  # slow import: only here

    exog = np.column_stack([np.ones(len(y))] + [(level == t).astype(float) for t in range(1, n_waves)])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # BFGS to a tight gradient: the estimates then agree with lme4 to about 1e-9.
        result = MixedLM(y, exog, groups=people).fit(reml=True, method="bfgs", gtol=1e-10)
        if not result.converged:  # BFGS can stop short of so tight a gradient: L-BFGS from there
            del caught[:]
            result = MixedLM(y, exog, groups=people).fit(reml=True, method="lbfgs",
                                                         start_params=result.params_object)
    for message in {str(w.message) for w in caught}:
        warnings.warn(tr(MSG_MIXED_FIT, group=label, message=message), EvalkitWarning, stacklevel=4)
    var_u, var_e = float(np.asarray(result.cov_re)[0, 0]), float(result.scale)
    # GLS covariance (X'V^-1 X)^-1 at the REML variances, as lme4's vcov(): per participant
    # V^-1 = (I - c_i J) / sigma^2 with c_i = var_u / (var_e + n_i var_u). (statsmodels'
    # cov_params() inverts the information of all parameters, which differs when waves are
    # missing.)
    size = np.bincount(people)
    c = var_u / (var_e + size * var_u)
    totals = np.stack([np.bincount(people, weights=exog[:, j]) for j in range(exog.shape[1])], axis=1)
    info = (exog.T @ exog - np.einsum("i,ij,ik->jk", c, totals, totals)) / var_e
    cov = np.linalg.inv(info)[1:, 1:]
    beta = np.asarray(result.fe_params)[1:]
    return beta, cov, people.max() + 1, var_u, var_e
