"""Classical item analysis of the knowledge items: per wave, and change between the waves.

Re-exported by :mod:`evalkit.review`; its shared rules apply.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .. import stats
from ._common import (AFTER, BEFORE, _M, _binary, _check_table, _counted_items, _knowledge_items, _relay,
                      _responses, _scale_frame)
from ..io import Responses
from ..pipeline import find_pairs
from ..questionnaire import Questionnaire

#: ``too_easy`` flag: difficulty (share correct) above this value.
TOO_EASY = 0.9
#: ``too_hard`` flag: difficulty (share correct) below this value.
TOO_HARD = 0.2
#: Share of respondents in each of the upper and lower groups (Kelley 1939).
UPPER_LOWER_FRACTION = 0.27

ITEM_ANALYSIS_COLUMNS = ["item", "scale", "wave", "n", "difficulty", "r_pbis", "d_upper_lower",
                         "top_distractor", "top_distractor_share", "flag"]
ITEM_CHANGE_COLUMNS = ["item", "scale", "n_pairs", "share_correct_pre", "share_correct_post",
                       "change", "b", "c", "p_mcnemar", "p_holm"]


# --------------------------------------------------------------------------- items
def _item_wave(q: Questionnaire, responses: Responses, counted: pd.DataFrame | None) -> pd.DataFrame:
    wave = responses.wave
    items = _knowledge_items(q, wave)
    if not items:
        return pd.DataFrame(columns=ITEM_ANALYSIS_COLUMNS)
    scores = _counted_items(q, responses, counted)
    kept = []
    parts = []
    for scale in dict.fromkeys(i.scale for i in items):  # usually one knowledge scale
        ids = [i.id for i in items if i.scale == scale]
        x = _binary(_scale_frame(q.scale(scale), scores, ids)[0], ids)
        kept.append(scores.loc[x.index, "row"].to_numpy())
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            table = stats.item_indices(x, fraction=UPPER_LOWER_FRACTION) \
                .rename(columns={"d": "d_upper_lower"})
        _relay(caught, _M["prefix"], scale=scale, wave=wave)
        parts.append(table.rename_axis("item").reset_index().assign(scale=scale, wave=wave))
    out = pd.concat(parts, ignore_index=True)
    choice = {i.id: i.key[0] for i in items if i.type in ("single_choice", "true_false")}
    out["top_distractor"] = None
    out["top_distractor_share"] = np.nan
    if choice:
        scored_rows = responses.data["row"].isin(np.concatenate(kept)).to_numpy()  # rows with a knowledge score
        counts = stats.distractor_counts(responses.data.loc[scored_rows, list(choice)], choice)
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


def item_analysis(questionnaire: Questionnaire, pre, post, *, strict: bool = True,
                  items: tuple[pd.DataFrame, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Classical item analysis of the knowledge items, per item and wave.

    Parameters
    ----------
    questionnaire : Questionnaire
    pre, post : path, Responses or DataFrame
        The two waves' answers.
    strict : bool, default True
        Validation mode for files and DataFrames (see :func:`evalkit.read_responses`).
    items : (DataFrame, DataFrame), optional
        Each wave's item scores of the rows to use (see :func:`evalkit.reliability`), as
        :func:`evalkit.analyze` hands them on; by default computed here.

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
    pre = _responses(pre, questionnaire, BEFORE, BEFORE, strict)
    post = _responses(post, questionnaire, AFTER, AFTER, strict)
    counted = (None, None) if items is None else items
    out = pd.concat([_item_wave(questionnaire, pre, counted[0]), _item_wave(questionnaire, post, counted[1])],
                    ignore_index=True)
    return out[ITEM_ANALYSIS_COLUMNS]


def item_change(questionnaire: Questionnaire, pre, post, *, pairs: pd.DataFrame | None = None,
                strict: bool = True, items: tuple[pd.DataFrame, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Change in the share correct of each knowledge item, with McNemar's test on matched pairs.

    Parameters
    ----------
    questionnaire : Questionnaire
    pre, post : path, Responses or DataFrame
        The two waves' answers.
    strict : bool, default True
        Validation mode for files and DataFrames (see :func:`evalkit.read_responses`).
    pairs : DataFrame, optional
        Matched rows ``row_pre, row_post`` (as from :func:`evalkit.pipeline.match_waves`);
        by default the waves are matched with that function, the rule of
        :func:`evalkit.analyze`.
    items : (DataFrame, DataFrame), optional
        Each wave's item scores of the rows to use (as in :func:`item_analysis`).

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
    pre = _responses(pre, questionnaire, BEFORE, BEFORE, strict)
    post = _responses(post, questionnaire, AFTER, AFTER, strict)
    if pairs is None:
        pairs = find_pairs(pre.data, post.data, fuzzy=True, approved=None).pairs
    pairs = _check_table(pairs, "pairs", ["row_pre", "row_post"])
    counted = (None, None) if items is None else items
    items = [i for i in _knowledge_items(questionnaire, pre.wave)
             if i.id in {j.id for j in _knowledge_items(questionnaire, post.wave)}]
    if not items or not len(pairs):
        return pd.DataFrame(columns=ITEM_CHANGE_COLUMNS)
    ids = [i.id for i in items]

    def wave_items(responses: Responses, given: pd.DataFrame | None, rows: np.ndarray) -> pd.DataFrame:
        scores = _counted_items(questionnaire, responses, given).set_index("row").reindex(rows)
        parts = [_scale_frame(questionnaire.scale(s), scores, [i.id for i in items if i.scale == s])[0]
                 for s in dict.fromkeys(i.scale for i in items)]  # usually one scale
        return _binary(pd.concat(parts, axis=1).reindex(index=scores.index, columns=ids), ids)

    before = wave_items(pre, counted[0], pairs["row_pre"].to_numpy())
    after = wave_items(post, counted[1], pairs["row_post"].to_numpy())
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
