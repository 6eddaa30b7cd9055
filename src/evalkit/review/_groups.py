"""Group comparison, individual reliable change and attrition, on the matched table.

Re-exported by :mod:`evalkit.review`; its shared rules apply.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .. import stats
from .._errors import EvalkitError, EvalkitWarning
from .._i18n import tr
from ._common import AFTER, ALL, BEFORE, _M, _check_table, _group_order, _relay, _scale_order
from ..questionnaire import Questionnaire
from ..stats import safe_divide

ANCOVA_COLUMNS = ["scale", "F", "df1", "df2", "p", "partial_eta2", "p_slope_homogeneity"]
ADJUSTED_MEANS_COLUMNS = ["scale", "group", "adjusted_mean", "ci_low", "ci_high", "ci_level"]
KRUSKAL_COLUMNS = ["scale", "H", "df", "p"]
PAIRWISE_COLUMNS = ["scale", "group1", "group2", "statistic", "p", "p_holm", "p_fdr_bh"]
CHANGE_COLUMNS = ["group", "participant", "scale", BEFORE, AFTER, "rci", "change"]
#: Reliable-change shares are named apart from the gains table's ``share_any_rise`` (any d_i > 0).
CHANGE_SUMMARY_COLUMNS = ["scale", "group", "n", "share_reliable_rise", "share_no_reliable_change",
                          "share_reliable_fall"]
_CHANGE_COLUMN = {"improved": "share_reliable_rise", "unchanged": "share_no_reliable_change",
                  "worse": "share_reliable_fall"}
ATTRITION_COLUMNS = ["scale", "group", "n_completers", "n_dropouts", "mean_completers",
                     "mean_dropouts", "diff", "t", "df", "p"]


# --------------------------------------------------------------------------- groups
@dataclass(frozen=True)
class GroupComparison:
    """Tables of :func:`compare_groups` (one row per scale, group or pair of groups).

    Attributes
    ----------
    ancova : DataFrame
        ``scale, F, df1, df2, p, partial_eta2, p_slope_homogeneity``.
    adjusted_means : DataFrame
        ``scale, group, adjusted_mean, ci_low, ci_high, ci_level``.
    kruskal : DataFrame
        ``scale, H, df, p`` (Kruskal-Wallis on the gains).
    pairwise : DataFrame
        ``scale, group1, group2, statistic, p, p_holm, p_fdr_bh`` (Welch t on the gains).
    """

    ancova: pd.DataFrame
    adjusted_means: pd.DataFrame
    kruskal: pd.DataFrame
    pairwise: pd.DataFrame

    @classmethod
    def empty(cls) -> GroupComparison:
        """The four tables with their columns and no rows (nothing to compare)."""
        return cls(pd.DataFrame(columns=ANCOVA_COLUMNS), pd.DataFrame(columns=ADJUSTED_MEANS_COLUMNS),
                   pd.DataFrame(columns=KRUSKAL_COLUMNS), pd.DataFrame(columns=PAIRWISE_COLUMNS))


def compare_groups(matched: pd.DataFrame, *, confidence: float = 0.95) -> GroupComparison:
    """Compare the groups' progress on every scale: ANCOVA, Kruskal-Wallis, pairwise tests.

    Parameters
    ----------
    matched : DataFrame
        Long table ``group, scale, pre, post`` of matched participants
        (:attr:`evalkit.Analysis.matched`); pairs with a missing score are dropped.
    confidence : float, default 0.95
        Level of the adjusted means' intervals.

    Returns
    -------
    GroupComparison
        With per scale: ``ancova`` (post-test by group adjusted for the pre-test: F-test of
        the group effect, partial eta squared, and the p-value of the pre x group
        interaction as a check of equal slopes), ``adjusted_means`` (at the grand mean of
        the pre-test), ``kruskal`` (Kruskal-Wallis test of the gains post - pre) and
        ``pairwise`` (Welch's t-test of the gains for every pair of groups, with Holm and
        Benjamini-Hochberg adjustment across the pairs of the scale).

    Notes
    -----
    See :func:`evalkit.stats.ancova`, :func:`evalkit.stats.kruskal`,
    :func:`evalkit.stats.pairwise`. A scale with fewer than two groups is skipped with a
    warning; zero variance of the post-test (ANCOVA) or of the gains (Kruskal-Wallis,
    pairwise), an ANCOVA that fits exactly, a pair of groups whose gains are constant
    within each group, and a group of one person give NaN (never +-inf) with a warning
    naming the scale. Gains are rounded to 6 decimals, the precision of
    the scores, so that equal gains tie in the ranks. R: ``car::Anova(lm(post ~ pre + group), type = 2)``,
    ``emmeans(fit, "group")``, ``kruskal.test(post - pre ~ group)``,
    ``pairwise.t.test(post - pre, group, pool.sd = FALSE)``.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"group": list("aaabbbccc"), "scale": "s",
    ...                   "pre": [1, 2, 3, 1, 2, 3, 2, 3, 4], "post": [2, 4, 5, 3, 4, 6, 6, 7, 9]})
    >>> res = compare_groups(m)
    >>> res.pairwise[["group1", "group2"]].values.tolist()
    [['a', 'b'], ['a', 'c'], ['b', 'c']]
    """
    matched = _check_table(matched, "matched", ["group", "scale", BEFORE, AFTER])
    both = matched.dropna(subset=[BEFORE, AFTER, "group"])
    tables: dict[str, list] = {"ancova": [], "adjusted": [], "kruskal": [], "pairwise": []}
    for scale in _scale_order(matched):  # a handful of scales
        # Scores carry 6 decimals (evalkit.pipeline): round the gains so float noise
        # (0.9999999999999996 vs 1.0) cannot break ties in the ranks.
        data = both[both["scale"] == scale].assign(gain=lambda d: (d[AFTER] - d[BEFORE]).round(6))
        k = data["group"].nunique()
        if k < 2:
            warnings.warn(tr(_M["few_groups"], scale=scale, k=k), EvalkitWarning, stacklevel=2)
            continue
        nan_effect = dict.fromkeys(["F", "df1", "df2", "p", "partial_eta2"], np.nan)
        if np.ptp(data[AFTER].to_numpy()) == 0 or np.ptp(data[BEFORE].to_numpy()) == 0:
            warnings.warn(tr(_M["zero_variance"], scale=scale, what="pre/post", test="ANCOVA"),
                          EvalkitWarning, stacklevel=2)
            tables["ancova"].append({"scale": scale, **nan_effect, "p_slope_homogeneity": np.nan})
        else:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                res = stats.ancova(data, pre=BEFORE, post=AFTER, group="group",
                                   confidence=confidence)
            _relay(caught, _M["scale"], scale=scale)
            tables["ancova"].append({"scale": scale, **res.effect.to_dict(),
                                     "p_slope_homogeneity": res.slope_homogeneity})
            tables["adjusted"].append(res.adjusted_means.assign(scale=scale, ci_level=confidence))
        flat = np.ptp(data["gain"].to_numpy()) == 0
        if flat:
            warnings.warn(tr(_M["zero_variance"], scale=scale, what="post - pre",
                             test="Kruskal-Wallis, t"), EvalkitWarning, stacklevel=2)
            tables["kruskal"].append({"scale": scale, "H": np.nan, "df": float(k - 1), "p": np.nan})
        else:
            kw = stats.kruskal(data["gain"], data["group"])
            tables["kruskal"].append({"scale": scale, "H": kw["statistic"], "df": kw["df"],
                                      "p": kw["p"]})
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")  # a group of one or two constant groups: NaN, said
            pw = stats.pairwise(data, value="gain", group="group", test="t", adjust="holm")
        if not flat:  # else said above
            _relay(caught, _M["scale"], scale=scale)
        pw = pw.rename(columns={"p_adjusted": "p_holm"}).assign(scale=scale)
        pw["p_fdr_bh"] = stats.p_adjust(pw["p"], method="fdr_bh")
        tables["pairwise"].append(pw)

    def frame(parts: list, columns: list[str]) -> pd.DataFrame:
        if not parts:
            return pd.DataFrame(columns=columns)
        if isinstance(parts[0], dict):
            return pd.DataFrame(parts)[columns]
        return pd.concat(parts, ignore_index=True)[columns]

    return GroupComparison(
        ancova=frame(tables["ancova"], ANCOVA_COLUMNS),
        adjusted_means=frame(tables["adjusted"], ADJUSTED_MEANS_COLUMNS),
        kruskal=frame(tables["kruskal"], KRUSKAL_COLUMNS),
        pairwise=frame(tables["pairwise"], PAIRWISE_COLUMNS),
    )


# --------------------------------------------------------------------------- change
def individual_change(matched: pd.DataFrame, reliability_table: pd.DataFrame) -> pd.DataFrame:
    """Reliable change index of every matched participant on every scale.

    Parameters
    ----------
    matched : DataFrame
        Long table ``group, participant, scale, pre, post`` (:attr:`evalkit.Analysis.matched`).
    reliability_table : DataFrame
        :func:`reliability` output with a ``wave == "pre"`` row per scale.

    Returns
    -------
    DataFrame
        ``group, participant, scale, pre, post, rci, change``: ``change`` is
        ``"improved"`` (RCI > 1.96), ``"worse"`` (RCI < -1.96), ``"unchanged"``, or missing
        where the RCI is (a missing score, an unusable reliability). ``participant`` is the
        normalized code: keep it out of reports.

    Notes
    -----
    Jacobson & Truax (1991): :math:`RCI = (post - pre) / (\\sqrt 2\\, s_{pre}\\sqrt{1 - r})`
    (:func:`evalkit.stats.reliable_change`). Choices: :math:`r` is the scale's Cronbach's
    alpha on the *pre-test* (the measurement before any training effect, and the wave all
    matched participants took); :math:`s_{pre}` is the SD of the pre-test over all matched
    participants of the scale, pooled over groups (one yardstick for every group). An alpha
    that is NaN, negative or 1, or a zero pre-test SD, gives NaN with a warning.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"group": "a", "participant": ["p1", "p2", "p3"], "scale": "s",
    ...                   "pre": [40.0, 50.0, 60.0], "post": [80.0, 50.0, 60.0]})
    >>> rel = pd.DataFrame({"scale": ["s"], "wave": ["pre"], "alpha": [0.8]})
    >>> individual_change(m, rel)["change"].tolist()
    ['improved', 'unchanged', 'unchanged']
    """
    matched = _check_table(matched, "matched", ["group", "participant", "scale", BEFORE, AFTER])
    rel = _check_table(reliability_table, "reliability_table", ["scale", "wave", "alpha"])
    alpha = rel[rel["wave"] == BEFORE].set_index("scale")["alpha"]
    parts = []
    for scale in _scale_order(matched):  # a handful of scales; vectorized within
        data = matched[matched["scale"] == scale]
        r = float(alpha.get(scale, np.nan))
        rci = np.full(len(data), np.nan)
        pre = data[BEFORE].to_numpy(dtype=float)
        if not 0 <= r < 1:
            warnings.warn(tr(_M["bad_reliability"], scale=scale, value=r), EvalkitWarning,
                          stacklevel=2)
        elif not np.nanstd(pre) > 0:
            warnings.warn(tr(_M["zero_sd"], scale=scale), EvalkitWarning, stacklevel=2)
        else:
            rci = stats.reliable_change(pre, data[AFTER].to_numpy(dtype=float), reliability=r)
        parts.append(data[["group", "participant", "scale", BEFORE, AFTER]].assign(
            rci=rci, change=stats.classify_change(rci)))
    if not parts:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    return pd.concat(parts, ignore_index=True)[CHANGE_COLUMNS]


def change_summary(change: pd.DataFrame, *, by: str | None = "group") -> pd.DataFrame:
    """Share of participants reliably improved, unchanged and worse, per scale and group.

    Parameters
    ----------
    change : DataFrame
        :func:`individual_change` output.
    by : {"group", None}, default "group"
        Per group and all groups together (``group == "ALL"``), or only the latter.

    Returns
    -------
    DataFrame
        ``scale, group, n`` (participants with an RCI), ``share_reliable_rise,
        share_no_reliable_change, share_reliable_fall`` (RCI > 1.96, |RCI| ≤ 1.96, RCI < −1.96;
        NaN when n is 0).

    Examples
    --------
    >>> import pandas as pd
    >>> ch = pd.DataFrame({"group": ["a", "a"], "scale": "s", "change": ["improved", None]})
    >>> change_summary(ch).to_dict("records")[0]["share_reliable_rise"]
    1.0
    """
    change = _check_table(change, "change", ["group", "scale", "change"])
    parts = [change.assign(group=ALL)] + ([change] if by == "group" else [])
    data = pd.concat(parts, ignore_index=True)
    dummies = pd.DataFrame({column: (data["change"] == k).astype(float) for k, column in _CHANGE_COLUMN.items()})
    dummies["n"] = data["change"].notna().astype(np.int64)
    dummies[["scale", "group"]] = data[["scale", "group"]]
    out = dummies.groupby(["scale", "group"], sort=False).sum().reset_index()
    for column in _CHANGE_COLUMN.values():
        out[column] = safe_divide(out[column].to_numpy(), out["n"].to_numpy())
    order = {s: i for i, s in enumerate(_scale_order(change))}
    out = out.sort_values(["scale", "group"], kind="stable", key=lambda c: c.map(order)
                          if c.name == "scale" else c.astype(str).where(c != ALL, "\uffff"))
    return out[CHANGE_SUMMARY_COLUMNS].reset_index(drop=True)


# --------------------------------------------------------------------------- attrition
def attrition(questionnaire: Questionnaire, ledger: Any, scores: pd.DataFrame | None = None, *,
              by: str | None = "group", wave: str = BEFORE) -> pd.DataFrame:
    """Did the participants who skipped the post-test differ on the pre-test?

    Parameters
    ----------
    questionnaire : Questionnaire
    ledger : DataFrame or Analysis
        The ledger (one row per input row: ``wave, row, group, state``, as
        :func:`evalkit.pipeline.match_waves` makes it), or :func:`evalkit.analyze`'s result
        (its ``ledger`` and ``scores_pre`` are used; ``scores`` is then not given).
    scores : DataFrame
        The scale scores of ``wave`` (``row`` and one column per scale, :func:`evalkit.score`).
    by : {"group", None}, default "group"
        Per group and overall (``group == "ALL"``), or overall only.
    wave : str, default "pre"
        The wave whose scores are compared.

    Returns
    -------
    DataFrame
        Per pre-test scale and group: ``n_completers`` (pre-test rows matched to a
        post-test, ledger state ``used``), ``n_dropouts`` (state ``unmatched``: a pre-test
        but no post-test), ``mean_completers, mean_dropouts, diff`` (dropouts -
        completers) and Welch's two-sample t-test of that difference, ``t, df, p``
        (two-sided; unequal variances).

    Notes
    -----
    :math:`t = (\\bar x_D - \\bar x_C)/\\sqrt{s_D^2/n_D + s_C^2/n_C}`, Welch-Satterthwaite
    :math:`df` (:func:`evalkit.stats.welch_t`, as the pairwise comparisons). NaN when a
    side has fewer than 2 scores or the standard error is at rounding level (both variances
    0).
    R: ``t.test(dropouts, completers)`` (``var.equal = FALSE``, the default).

    References
    ----------
    Welch, B. L. (1947). Biometrika, 34, 28-35.

    Examples
    --------
    >>> import evalkit
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> a = evalkit.analyze(q, evalkit.bundled_sample("pre"), evalkit.bundled_sample("post"))  # doctest: +SKIP
    >>> evalkit.review.attrition(q, a).columns[:4].tolist()  # doctest: +SKIP
    ['scale', 'group', 'n_completers', 'n_dropouts']
    """
    if scores is None and hasattr(ledger, "ledger") and hasattr(ledger, "scores_pre"):
        ledger, scores = ledger.ledger, ledger.scores_pre
    if not isinstance(ledger, pd.DataFrame) or not isinstance(scores, pd.DataFrame):
        raise EvalkitError(tr(_M["bad_analysis"], found=type(ledger).__name__))
    ledger = _check_table(ledger, "ledger", ["wave", "row", "state"])
    state = ledger[ledger["wave"] == wave].set_index("row")["state"]
    scales = [s.id for s in questionnaire.scales_for_wave(wave) if s.id in scores.columns]
    rows = scores[scores["row"].map(state).isin(["used", "unmatched"])]
    long = rows.melt(id_vars=["row", "group"], value_vars=scales, var_name="scale") \
        .dropna(subset=["value"])
    long["dropout"] = long["row"].map(state).eq("unmatched")
    data = pd.concat([long.assign(group=ALL)] + ([long] if by == "group" else []), ignore_index=True)
    agg = data.groupby(["scale", "group", "dropout"], sort=False)["value"] \
        .agg(["count", "mean", "var"]).unstack("dropout")
    agg = agg.reindex(columns=pd.MultiIndex.from_product([["count", "mean", "var"], [False, True]]))
    n_c = agg[("count", False)].fillna(0).to_numpy()
    n_d = agg[("count", True)].fillna(0).to_numpy()
    m_c, m_d = agg[("mean", False)].to_numpy(), agg[("mean", True)].to_numpy()
    t, df, p, _ = stats.welch_t(n_c, m_c, agg[("var", False)].to_numpy(), n_d, m_d, agg[("var", True)].to_numpy())
    out = pd.DataFrame({
        "scale": agg.index.get_level_values("scale"), "group": agg.index.get_level_values("group"),
        "n_completers": n_c.astype(np.int64), "n_dropouts": n_d.astype(np.int64),
        "mean_completers": m_c, "mean_dropouts": m_d, "diff": m_d - m_c, "t": t, "df": df, "p": p,
    })
    return _group_order(out, questionnaire)[ATTRITION_COLUMNS].reset_index(drop=True)
