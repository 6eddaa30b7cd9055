"""Statistics a reviewer asks for: reliability, item analysis, group comparison, change, attrition.

Pipeline-level wrappers over the pure kernels of :mod:`evalkit.stats`: each function takes
the questionnaire and the answers (or the matched table of :func:`evalkit.analyze`) and
returns tidy DataFrames, one row per scale, item, group or participant. Formulas, defaults
and references are in ``docs/statistics.md``.

Shared rules:

* only rows with status ``ok`` are used, and a participant who submitted twice in one wave
  counts once (the last submission, the rule of :mod:`evalkit.matching`);
* reverse-keyed Likert items are reversed and knowledge items scored 0/1 (partial credit
  for multi-select items) by :func:`evalkit.scoring.item_scores` first;
* missing answers: on knowledge (``percent_correct``) scales a blank is wrong (0), the rule
  of the score, for every row that has a scale score (the others are dropped and counted);
  on other scales listwise deletion per scale (the rows dropped are counted); distractor
  shares are over the answers given;
* a degenerate case (single-item scale, zero variance, fewer than two groups) gives NaN
  with an :class:`~evalkit.EvalkitWarning` naming the scale, never a crash.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from ._lazy import scipy_stats as sps

from . import stats
from ._errors import EvalkitError, EvalkitWarning
from ._i18n import tr
from .io import Responses
from .matching import match_waves, normalize_codes
from .questionnaire import Questionnaire
from .scoring import item_scores
from .stats._common import safe_divide

#: ``too_easy`` flag: difficulty (share correct) above this value.
TOO_EASY = 0.9
#: ``too_hard`` flag: difficulty (share correct) below this value.
TOO_HARD = 0.2
#: Share of respondents in each of the upper and lower groups (Kelley 1939).
UPPER_LOWER_FRACTION = 0.27
#: The value of ``group`` in rows that pool every group (as in the gains table).
ALL = "ALL"

RELIABILITY_COLUMNS = ["scale", "wave", "n", "k", "alpha", "ci_low", "ci_high", "ci_level",
                       "std_alpha", "omega", "n_dropped"]
ITEM_STATISTICS_COLUMNS = ["scale", "item", "wave", "mean", "sd", "r_drop", "alpha_if_deleted"]
ITEM_ANALYSIS_COLUMNS = ["item", "scale", "wave", "n", "difficulty", "r_pbis", "d_upper_lower",
                         "top_distractor", "top_distractor_share", "flag"]
ITEM_CHANGE_COLUMNS = ["item", "scale", "n_pairs", "share_correct_pre", "share_correct_post",
                       "change", "b", "c", "p_mcnemar", "p_holm"]
ANCOVA_COLUMNS = ["scale", "F", "df1", "df2", "p", "partial_eta2", "p_slope_homogeneity"]
ADJUSTED_MEANS_COLUMNS = ["scale", "group", "adjusted_mean", "ci_low", "ci_high", "ci_level"]
KRUSKAL_COLUMNS = ["scale", "H", "df", "p"]
PAIRWISE_COLUMNS = ["scale", "group1", "group2", "statistic", "p", "p_holm", "p_fdr_bh"]
CHANGE_COLUMNS = ["group", "participant", "scale", "pre", "post", "rci", "change"]
CHANGE_SUMMARY_COLUMNS = ["scale", "group", "n", "share_improved", "share_unchanged", "share_worse"]
ATTRITION_COLUMNS = ["scale", "group", "n_completers", "n_dropouts", "mean_completers",
                     "mean_dropouts", "diff", "t", "df", "p"]

_M = {
    "prefix": {"id": "Skala {scale!r} (gelombang {wave}): {message}",
               "en": "Scale {scale!r} (wave {wave}): {message}"},
    "omega_two": {"id": "omega memerlukan sedikitnya 3 butir (skala ini punya 2); omega diisi NaN.",
                  "en": "omega needs at least 3 items (this scale has 2); omega is NaN."},
    "item": {"id": "Butir {item!r}: {message}", "en": "Item {item!r}: {message}"},
    "few_groups": {"id": "Skala {scale!r}: perbandingan kelompok memerlukan sedikitnya 2 kelompok "
                         "dengan data; ada {k}. Skala ini dilewati.",
                   "en": "Scale {scale!r}: comparing groups needs at least 2 groups with data; "
                         "got {k}. The scale is skipped."},
    "zero_variance": {"id": "Skala {scale!r}: varians nol pada {what}; {test} tidak dapat dihitung "
                            "(diisi NaN).",
                      "en": "Scale {scale!r}: zero variance in {what}; {test} cannot be computed "
                            "(set to NaN)."},
    "bad_reliability": {"id": "Skala {scale!r}: reliabilitas pre-test (alfa) {value} tidak dapat dipakai "
                              "untuk indeks perubahan reliabel (perlu 0 <= alfa < 1); rci diisi NaN.",
                        "en": "Scale {scale!r}: the pre-test reliability (alpha) {value} cannot be used "
                              "for the reliable change index (0 <= alpha < 1 needed); rci set to NaN."},
    "zero_sd": {"id": "Skala {scale!r}: simpangan baku pre-test nol; rci diisi NaN.",
                "en": "Scale {scale!r}: the pre-test standard deviation is zero; rci set to NaN."},
    "bad_table": {"id": "Parameter {name!r} harus berupa DataFrame dengan kolom {columns}; "
                        "ditemukan {found}.",
                  "en": "The {name!r} parameter must be a DataFrame with columns {columns}; "
                        "got {found} instead."},
    "not_responses": {"id": "Parameter 'responses' harus berupa Responses dari evalkit.read_responses "
                            "(yang menyimpan gelombangnya); ditemukan {found}.",
                      "en": "The 'responses' parameter must be Responses from evalkit.read_responses "
                            "(which carries its wave); got {found} instead."},
    "bad_analysis": {"id": "Parameter 'analysis' harus punya atribut 'ledger' dan 'scores_pre' "
                           "(hasil evalkit.analyze); ditemukan {found}.",
                     "en": "The 'analysis' parameter must have 'ledger' and 'scores_pre' attributes "
                           "(a result of evalkit.analyze); got {found} instead."},
}


# --------------------------------------------------------------------------- helpers
def _responses(value: Any, q: Questionnaire, wave: str, name: str) -> Responses:
    from .analysis import as_responses  # the pipeline imports this module

    return as_responses(value, q, wave=wave, strict=True, name=name)


def _check_responses(value: Any) -> None:
    if not isinstance(value, Responses):
        raise EvalkitError(tr(_M["not_responses"], found=type(value).__name__))


def _latest_rows(responses: Responses) -> pd.Series:
    """Row numbers of the usable rows, a repeated submission counted once (the last)."""
    data = responses.data[responses.data["status"] == "ok"]
    key = pd.DataFrame({"group": data["group"].to_numpy(),
                        "key": normalize_codes(data["participant"]).to_numpy()})
    return data["row"][~key.duplicated(keep="last").to_numpy()]


def _scored(q: Questionnaire, responses: Responses) -> pd.DataFrame:
    scores = item_scores(q, responses)
    return scores[scores["row"].isin(_latest_rows(responses))].reset_index(drop=True)


def _relay(caught: list, template: dict, **where: Any) -> None:
    """Re-issue the EvalkitWarnings caught from a kernel, naming where they come from."""
    seen = set()
    for w in caught:
        if issubclass(w.category, EvalkitWarning) and str(w.message) not in seen:
            seen.add(str(w.message))
            warnings.warn(tr(template, message=str(w.message), **where), EvalkitWarning, stacklevel=3)
        elif not issubclass(w.category, (EvalkitWarning, RuntimeWarning)):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)


def _scale_frame(scale, scores: pd.DataFrame, ids: list[str]) -> tuple[pd.DataFrame, int]:
    """Item scores used for a scale's reliability, and the rows left out before the kernel.

    Knowledge (``percent_correct``) scales follow the scoring rule: a blank is wrong (0) for
    every row with a scale score (enough items answered); the other rows are left out.
    Other scales are passed as they are (the kernels delete listwise).
    """
    x = scores[ids]
    if scale.scoring != "percent_correct":
        return x, 0
    enough = x.notna().sum(axis=1) >= np.ceil(scale.min_answered * len(ids) - 1e-9)
    return x[enough].fillna(0.0), int((~enough).sum())


def _knowledge_items(q: Questionnaire, wave: str) -> list:
    ids = {s.id for s in q.scales_for_wave(wave) if s.scoring == "percent_correct"}
    return [i for i in q.items_for_wave(wave) if i.scale in ids]


def _binary(scores: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """0/1 correctness; a partial-credit item counts as correct only when fully correct."""
    x = scores[ids].astype(float)
    return x.where(x.isna(), (x >= 1 - 1e-9).astype(float))


def _group_order(frame: pd.DataFrame, q: Questionnaire) -> pd.DataFrame:
    """Sort by the questionnaire's scale order, then group with ``ALL`` last."""
    order = {s.id: i for i, s in enumerate(q.scales)} if q is not None else {}
    keys = ["scale", "group"] if "group" in frame.columns else ["scale"]
    return frame.sort_values(keys, kind="stable", key=lambda c: c.map(order).fillna(len(order))
                             if c.name == "scale" else c.astype(str).where(c != ALL, "\uffff"))


def _scale_order(matched: pd.DataFrame) -> list:
    return list(dict.fromkeys(matched["scale"]))


def _check_table(value: Any, name: str, columns: list[str]) -> pd.DataFrame:
    if not isinstance(value, pd.DataFrame) or not set(columns) <= set(value.columns):
        found = type(value).__name__ if not isinstance(value, pd.DataFrame) else list(value.columns)
        raise EvalkitError(tr(_M["bad_table"], name=name, columns=columns, found=found))
    return value


# --------------------------------------------------------------------------- reliability
def reliability(questionnaire: Questionnaire, responses: Responses, *,
                confidence: float = 0.95) -> pd.DataFrame:
    """Internal consistency of every scale of one wave.

    Parameters
    ----------
    questionnaire : Questionnaire
    responses : Responses
        One wave's answers, from :func:`evalkit.read_responses` (its ``wave`` decides
        which scales are included).
    confidence : float, default 0.95
        Level of alpha's Feldt interval.

    Returns
    -------
    DataFrame
        One row per scale of the wave: ``scale, wave, n`` (complete rows used), ``k``
        (items), ``alpha, ci_low, ci_high, ci_level`` (Cronbach's alpha, Feldt interval),
        ``std_alpha``, ``omega`` (McDonald's omega total, one factor) and ``n_dropped``
        (rows with a missing item, left out: listwise deletion).

    Notes
    -----
    Knowledge scales are analysed on their 0/1 item scores (alpha then equals KR-20);
    reverse-keyed items are reversed first. A single-item scale gives NaN with a warning;
    omega needs 3 items. See :func:`evalkit.stats.cronbach_alpha` and
    :func:`evalkit.stats.omega_total`. R: ``psych::alpha(items)``.

    Examples
    --------
    >>> import evalkit
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> pre = evalkit.read_responses(evalkit.bundled_sample("pre"), q, wave="pre")
    >>> rel = evalkit.reliability(q, pre)
    >>> rel.columns[:5].tolist()
    ['scale', 'wave', 'n', 'k', 'alpha']
    """
    _check_responses(responses)
    wave = responses.wave
    scores = _scored(questionnaire, responses)
    rows = []
    for scale in questionnaire.scales_for_wave(wave):  # a handful of scales
        ids = [i.id for i in questionnaire.items_in(scale.id) if i.id in scores.columns]
        if not ids:
            continue
        x, left_out = _scale_frame(scale, scores, ids)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            res = stats.cronbach_alpha(x, confidence=confidence)
            omega = stats.omega_total(x) if len(ids) != 2 else np.nan
        res["n_dropped"] += left_out
        if len(ids) == 2:
            warnings.warn(tr(_M["prefix"], scale=scale.id, wave=wave, message=tr(_M["omega_two"])),
                          EvalkitWarning, stacklevel=2)
        _relay(caught, _M["prefix"], scale=scale.id, wave=wave)
        rows.append({"scale": scale.id, "wave": wave, **res.to_dict(), "omega": omega,
                     "ci_level": confidence})
    out = pd.DataFrame(rows, columns=RELIABILITY_COLUMNS)
    for column in ("n", "k", "n_dropped"):
        out[column] = out[column].astype(np.int64)
    return out.reset_index(drop=True)


def item_statistics(questionnaire: Questionnaire, responses: Responses) -> pd.DataFrame:
    """Item-total statistics of every item of every scale of one wave.

    Parameters
    ----------
    questionnaire : Questionnaire
    responses : Responses
        One wave's answers, from :func:`evalkit.read_responses`.

    Returns
    -------
    DataFrame
        ``scale, item, wave, mean, sd, r_drop, alpha_if_deleted`` over the complete rows of
        the scale (listwise, as :func:`reliability`): ``r_drop`` is the corrected item-total
        correlation, ``alpha_if_deleted`` the alpha of the other items (NaN for scales of
        fewer than 3 items). See :func:`evalkit.stats.item_total`.

    Examples
    --------
    >>> import evalkit
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> pre = evalkit.read_responses(evalkit.bundled_sample("pre"), q, wave="pre")
    >>> evalkit.review.item_statistics(q, pre)["item"].iloc[0]
    'k01'
    """
    _check_responses(responses)
    wave = responses.wave
    scores = _scored(questionnaire, responses)
    parts = []
    for scale in questionnaire.scales_for_wave(wave):  # a handful of scales
        ids = [i.id for i in questionnaire.items_in(scale.id) if i.id in scores.columns]
        if not ids:
            continue
        x = _scale_frame(scale, scores, ids)[0]
        if len(ids) < 2:  # reliability() already warns about a single-item scale
            x = x.dropna()
            table = pd.DataFrame({"mean": x.mean(), "sd": x.std(ddof=1), "r_drop": np.nan,
                                  "alpha_if_deleted": np.nan}).rename_axis("item")
        else:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                table = stats.item_total(x)
            _relay(caught, _M["prefix"], scale=scale.id, wave=wave)
        parts.append(table.reset_index().assign(scale=scale.id, wave=wave))
    if not parts:
        return pd.DataFrame(columns=ITEM_STATISTICS_COLUMNS)
    return pd.concat(parts, ignore_index=True)[ITEM_STATISTICS_COLUMNS]


# --------------------------------------------------------------------------- items
def _item_wave(q: Questionnaire, responses: Responses) -> pd.DataFrame:
    wave = responses.wave
    items = _knowledge_items(q, wave)
    if not items:
        return pd.DataFrame(columns=ITEM_ANALYSIS_COLUMNS)
    scores = _scored(q, responses)
    kept = []
    parts = []
    for scale in dict.fromkeys(i.scale for i in items):  # usually one knowledge scale
        ids = [i.id for i in items if i.scale == scale]
        x = _binary(_scale_frame(q.scale(scale), scores, ids)[0], ids)
        kept.extend(scores.loc[x.index, "row"])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            table = pd.DataFrame({
                "n": x.notna().sum(),
                "difficulty": stats.item_difficulty(x),
                "r_pbis": stats.point_biserial(x),
                "d_upper_lower": stats.discrimination_index(x, fraction=UPPER_LOWER_FRACTION)["d"],
            })
        _relay(caught, _M["prefix"], scale=scale, wave=wave)
        parts.append(table.rename_axis("item").reset_index().assign(scale=scale, wave=wave))
    out = pd.concat(parts, ignore_index=True)
    raw = responses.data[responses.data["row"].isin(kept)]  # rows with a knowledge score
    choice = {i.id: i.key[0] for i in items if i.type in ("single_choice", "true_false")}
    out["top_distractor"] = None
    out["top_distractor_share"] = np.nan
    if choice:
        counts = stats.distractor_counts(raw[list(choice)], choice)
        wrong = counts[~counts["is_key"] & (counts["count"] > 0)]
        top = wrong.sort_values(["item", "count"], ascending=[True, False], kind="stable") \
            .drop_duplicates("item").set_index("item")
        key_count = counts[counts["is_key"]].set_index("item")["count"]
        is_choice = out["item"].isin(list(choice))
        out["top_distractor"] = out["item"].map(top["option"]).where(is_choice, None)
        out.loc[is_choice, "top_distractor_share"] = \
            out.loc[is_choice, "item"].map(top["share"]).fillna(0.0)
        beats = out["item"].map(top["count"]) > out["item"].map(key_count)
    else:
        beats = pd.Series(False, index=out.index)
    flags = pd.DataFrame({
        "too_easy": out["difficulty"] > TOO_EASY,
        "too_hard": out["difficulty"] < TOO_HARD,
        "negative_discrimination": out["r_pbis"] < 0,
        "distractor_beats_key": beats.fillna(False).astype(bool),
    })
    out["flag"] = flags.apply(lambda row: ", ".join(flags.columns[row.to_numpy()]), axis=1) \
        if len(out) else pd.Series(dtype=object)
    out["n"] = out["n"].astype(np.int64)
    return out[ITEM_ANALYSIS_COLUMNS]


def item_analysis(questionnaire: Questionnaire, pre: Responses, post: Responses) -> pd.DataFrame:
    """Classical item analysis of the knowledge items, per item and wave.

    Parameters
    ----------
    questionnaire : Questionnaire
    pre, post : Responses, path or DataFrame
        The two waves' answers.

    Returns
    -------
    DataFrame
        One row per knowledge item (items of ``percent_correct`` scales) and wave:
        ``item, scale, wave, n`` (rows with a scale score), ``difficulty`` (share correct;
        a blank is wrong, as in the score), ``r_pbis`` (corrected point-biserial with the rest of the scale),
        ``d_upper_lower`` (Kelley's upper-lower 27% index), ``top_distractor`` (the wrong
        option chosen most often; choice items only), ``top_distractor_share`` (its share of
        the answers) and ``flag``: a comma-separated list of ``too_easy``
        (difficulty > :data:`TOO_EASY`), ``too_hard`` (< :data:`TOO_HARD`),
        ``negative_discrimination`` (r_pbis < 0) and ``distractor_beats_key`` (a wrong
        option chosen more often than the key); empty when none applies.

    Notes
    -----
    Rows without a scale score (too few items answered) are left out. A multi-select item with partial credit counts as correct only when fully
    correct. The flag limits 0.2 and 0.9 are conventional screening limits of classical
    test theory (Crocker & Algina 1986, ch. 14; Ebel & Frisbie 1991, ch. 13), meant to
    point a reviewer at an item, not to drop it automatically.

    References
    ----------
    Crocker, L., & Algina, J. (1986). Introduction to classical and modern test theory.
    Ebel, R. L., & Frisbie, D. A. (1991). Essentials of educational measurement (5th ed.).
    Kelley, T. L. (1939). Journal of Educational Psychology, 30, 17-24.

    Examples
    --------
    >>> import evalkit
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> ia = evalkit.item_analysis(q, evalkit.bundled_sample("pre"), evalkit.bundled_sample("post"))
    >>> ia.groupby("wave").size().to_dict()
    {'post': 18, 'pre': 18}
    """
    pre = _responses(pre, questionnaire, "pre", "pre")
    post = _responses(post, questionnaire, "post", "post")
    out = pd.concat([_item_wave(questionnaire, pre), _item_wave(questionnaire, post)],
                    ignore_index=True)
    return out[ITEM_ANALYSIS_COLUMNS]


def item_change(questionnaire: Questionnaire, pre: Responses, post: Responses, *,
                pairs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Change in the share correct of each knowledge item, with McNemar's test on matched pairs.

    Parameters
    ----------
    questionnaire : Questionnaire
    pre, post : Responses, path or DataFrame
        The two waves' answers.
    pairs : DataFrame, optional
        Matched rows ``row_pre, row_post`` (as from :func:`evalkit.matching.match_waves`);
        by default the waves are matched with that function, the rule of
        :func:`evalkit.analyze`.

    Returns
    -------
    DataFrame
        One row per knowledge item asked in both waves: ``item, scale, n_pairs`` (pairs with
        a scale score in both waves; a blank is wrong, as in the score), ``share_correct_pre, share_correct_post, change`` (post - pre),
        ``b`` (pairs right before, wrong after), ``c`` (wrong before, right after),
        ``p_mcnemar`` (R's ``mcnemar.test``: continuity-corrected chi-square) and ``p_holm``
        (Holm-adjusted across the items).

    Examples
    --------
    >>> import evalkit
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> ch = evalkit.review.item_change(q, evalkit.bundled_sample("pre"),
    ...                                 evalkit.bundled_sample("post"))
    >>> bool((ch["b"] + ch["c"] <= ch["n_pairs"]).all())
    True
    """
    pre = _responses(pre, questionnaire, "pre", "pre")
    post = _responses(post, questionnaire, "post", "post")
    if pairs is None:
        pairs, _ = match_waves(pre.data, post.data)
    pairs = _check_table(pairs, "pairs", ["row_pre", "row_post"])
    items = [i for i in _knowledge_items(questionnaire, "pre")
             if i.id in {j.id for j in _knowledge_items(questionnaire, "post")}]
    if not items or not len(pairs):
        return pd.DataFrame(columns=ITEM_CHANGE_COLUMNS)
    ids = [i.id for i in items]
    def wave_items(responses: Responses, rows: pd.Series) -> pd.DataFrame:
        scores = item_scores(questionnaire, responses).set_index("row").reindex(rows)
        parts = [_scale_frame(questionnaire.scale(s), scores, [i.id for i in items if i.scale == s])[0]
                 for s in dict.fromkeys(i.scale for i in items)]  # usually one scale
        return _binary(pd.concat(parts, axis=1).reindex(index=scores.index, columns=ids), ids)

    before = wave_items(pre, pairs["row_pre"].to_numpy())
    after = wave_items(post, pairs["row_post"].to_numpy())
    x, y = before.to_numpy(), after.to_numpy()
    both = ~np.isnan(x) & ~np.isnan(y)
    n_pairs = both.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        share_pre = np.where(both, x, 0).sum(axis=0) / n_pairs
        share_post = np.where(both, y, 0).sum(axis=0) / n_pairs
    rows = []
    for j, item in enumerate(items):  # one McNemar test per item
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            res = stats.mcnemar(x[:, j], y[:, j])
        _relay(caught, _M["item"], item=item.id)
        rows.append((res["b"], res["c"], res["p"]))
    b, c, p = np.array(rows, dtype=float).T
    out = pd.DataFrame({
        "item": ids, "scale": [i.scale for i in items], "n_pairs": n_pairs.astype(np.int64),
        "share_correct_pre": share_pre, "share_correct_post": share_post,
        "change": share_post - share_pre, "b": b.astype(np.int64), "c": c.astype(np.int64),
        "p_mcnemar": p,
    })
    out["p_holm"] = stats.p_adjust(out["p_mcnemar"], method="holm")
    return out[ITEM_CHANGE_COLUMNS]


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


def _empty_comparison() -> GroupComparison:
    return GroupComparison(pd.DataFrame(columns=ANCOVA_COLUMNS),
                           pd.DataFrame(columns=ADJUSTED_MEANS_COLUMNS),
                           pd.DataFrame(columns=KRUSKAL_COLUMNS),
                           pd.DataFrame(columns=PAIRWISE_COLUMNS))


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
    pairwise) gives NaN with a warning. Gains are rounded to 6 decimals, the precision of
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
    matched = _check_table(matched, "matched", ["group", "scale", "pre", "post"])
    both = matched.dropna(subset=["pre", "post", "group"])
    tables: dict[str, list] = {"ancova": [], "adjusted": [], "kruskal": [], "pairwise": []}
    for scale in _scale_order(matched):  # a handful of scales
        # Scores carry 6 decimals (evalkit.scoring): round the gains so float noise
        # (0.9999999999999996 vs 1.0) cannot break ties in the ranks.
        data = both[both["scale"] == scale].assign(gain=lambda d: (d["post"] - d["pre"]).round(6))
        k = data["group"].nunique()
        if k < 2:
            warnings.warn(tr(_M["few_groups"], scale=scale, k=k), EvalkitWarning, stacklevel=2)
            continue
        nan_effect = dict.fromkeys(["F", "df1", "df2", "p", "partial_eta2"], np.nan)
        if np.ptp(data["post"].to_numpy()) == 0 or np.ptp(data["pre"].to_numpy()) == 0:
            warnings.warn(tr(_M["zero_variance"], scale=scale, what="pre/post", test="ANCOVA"),
                          EvalkitWarning, stacklevel=2)
            tables["ancova"].append({"scale": scale, **nan_effect, "p_slope_homogeneity": np.nan})
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                res = stats.ancova(data, pre="pre", post="post", group="group",
                                   confidence=confidence)
            tables["ancova"].append({"scale": scale, **res.effect.to_dict(),
                                     "p_slope_homogeneity": res.slope_homogeneity})
            tables["adjusted"].append(res.adjusted_means.assign(scale=scale, ci_level=confidence))
        if np.ptp(data["gain"].to_numpy()) == 0:
            warnings.warn(tr(_M["zero_variance"], scale=scale, what="post - pre",
                             test="Kruskal-Wallis, t"), EvalkitWarning, stacklevel=2)
            tables["kruskal"].append({"scale": scale, "H": np.nan, "df": float(k - 1), "p": np.nan})
        else:
            kw = stats.kruskal(data["gain"], data["group"])
            tables["kruskal"].append({"scale": scale, "H": kw["statistic"], "df": kw["df"],
                                      "p": kw["p"]})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a group of one: NaN, kept
            pw = stats.pairwise(data, value="gain", group="group", test="t", adjust="holm")
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
    matched = _check_table(matched, "matched", ["group", "participant", "scale", "pre", "post"])
    rel = _check_table(reliability_table, "reliability_table", ["scale", "wave", "alpha"])
    alpha = rel[rel["wave"] == "pre"].set_index("scale")["alpha"]
    parts = []
    for scale in _scale_order(matched):  # a handful of scales; vectorized within
        data = matched[matched["scale"] == scale]
        r = float(alpha.get(scale, np.nan))
        rci = np.full(len(data), np.nan)
        pre = data["pre"].to_numpy(dtype=float)
        if not 0 <= r < 1:
            warnings.warn(tr(_M["bad_reliability"], scale=scale, value=r), EvalkitWarning,
                          stacklevel=2)
        elif not np.nanstd(pre) > 0:
            warnings.warn(tr(_M["zero_sd"], scale=scale), EvalkitWarning, stacklevel=2)
        else:
            rci = stats.reliable_change(pre, data["post"].to_numpy(dtype=float), reliability=r)
        parts.append(data[["group", "participant", "scale", "pre", "post"]].assign(
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
        ``scale, group, n`` (participants with an RCI), ``share_improved,
        share_unchanged, share_worse`` (NaN when n is 0).

    Examples
    --------
    >>> import pandas as pd
    >>> ch = pd.DataFrame({"group": ["a", "a"], "scale": "s", "change": ["improved", None]})
    >>> change_summary(ch).to_dict("records")[0]["share_improved"]
    1.0
    """
    change = _check_table(change, "change", ["group", "scale", "change"])
    parts = [change.assign(group=ALL)] + ([change] if by == "group" else [])
    data = pd.concat(parts, ignore_index=True)
    labels = ["improved", "unchanged", "worse"]
    dummies = pd.DataFrame({f"share_{k}": (data["change"] == k).astype(float) for k in labels})
    dummies["n"] = data["change"].notna().astype(np.int64)
    dummies[["scale", "group"]] = data[["scale", "group"]]
    out = dummies.groupby(["scale", "group"], sort=False).sum().reset_index()
    for k in labels:
        out[f"share_{k}"] = safe_divide(out[f"share_{k}"].to_numpy(),
                                                      out["n"].to_numpy())
    order = {s: i for i, s in enumerate(_scale_order(change))}
    out = out.sort_values(["scale", "group"], kind="stable", key=lambda c: c.map(order)
                          if c.name == "scale" else c.astype(str).where(c != ALL, "\uffff"))
    return out[CHANGE_SUMMARY_COLUMNS].reset_index(drop=True)


# --------------------------------------------------------------------------- attrition
def attrition(questionnaire: Questionnaire, analysis: Any, *, by: str | None = "group") -> pd.DataFrame:
    """Did the participants who skipped the post-test differ on the pre-test?

    Parameters
    ----------
    questionnaire : Questionnaire
    analysis : Analysis
        Anything with ``ledger`` (one row per input row: ``wave, row, group, state``) and
        ``scores_pre`` (``row`` and one column per scale), e.g. :func:`evalkit.analyze`'s
        result.
    by : {"group", None}, default "group"
        Per group and overall (``group == "ALL"``), or overall only.

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
    :math:`df`. NaN when a side has fewer than 2 scores or both variances are 0.
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
    if not (hasattr(analysis, "ledger") and hasattr(analysis, "scores_pre")):
        raise EvalkitError(tr(_M["bad_analysis"], found=type(analysis).__name__))
    ledger, scores = analysis.ledger, analysis.scores_pre
    state = ledger[ledger["wave"] == "pre"].set_index("row")["state"]
    scales = [s.id for s in questionnaire.scales_for_wave("pre") if s.id in scores.columns]
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
    enough = (n_c >= 2) & (n_d >= 2)
    v_c = np.where(enough, agg[("var", False)].to_numpy(), np.nan)
    v_d = np.where(enough, agg[("var", True)].to_numpy(), np.nan)
    safe = safe_divide
    se2 = safe(v_c, n_c) + safe(v_d, n_d)
    t = safe(m_d - m_c, np.sqrt(se2))
    df = safe(se2**2, safe(v_c**2, n_c**2 * (n_c - 1)) + safe(v_d**2, n_d**2 * (n_d - 1)))
    p = 2 * sps.t.sf(np.abs(t), df)
    out = pd.DataFrame({
        "scale": agg.index.get_level_values("scale"), "group": agg.index.get_level_values("group"),
        "n_completers": n_c.astype(np.int64), "n_dropouts": n_d.astype(np.int64),
        "mean_completers": m_c, "mean_dropouts": m_d, "diff": m_d - m_c, "t": t, "df": df, "p": p,
    })
    return _group_order(out, questionnaire)[ATTRITION_COLUMNS].reset_index(drop=True)
