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

import numpy as np
import pandas as pd

from . import stats
from ._errors import EvalkitWarning
from ._i18n import tr
from ._review_common import ALL, _M, _relay, _responses, _scale_frames
from .questionnaire import Questionnaire
from .review_groups import (ADJUSTED_MEANS_COLUMNS, ANCOVA_COLUMNS, ATTRITION_COLUMNS,
                            CHANGE_COLUMNS, CHANGE_SUMMARY_COLUMNS, KRUSKAL_COLUMNS,
                            PAIRWISE_COLUMNS, GroupComparison, attrition, change_summary,
                            compare_groups, individual_change)
from .review_items import (ITEM_ANALYSIS_COLUMNS, ITEM_CHANGE_COLUMNS, TOO_EASY, TOO_HARD,
                           UPPER_LOWER_FRACTION, item_analysis, item_change)

__all__ = [
    "ADJUSTED_MEANS_COLUMNS", "ALL", "ANCOVA_COLUMNS", "ATTRITION_COLUMNS", "CHANGE_COLUMNS",
    "CHANGE_SUMMARY_COLUMNS", "GroupComparison", "ITEM_ANALYSIS_COLUMNS", "ITEM_CHANGE_COLUMNS",
    "ITEM_STATISTICS_COLUMNS", "KRUSKAL_COLUMNS", "PAIRWISE_COLUMNS", "RELIABILITY_COLUMNS",
    "TOO_EASY", "TOO_HARD", "UPPER_LOWER_FRACTION", "attrition", "change_summary",
    "compare_groups", "individual_change", "item_analysis", "item_change", "item_statistics",
    "reliability",
]

RELIABILITY_COLUMNS = ["scale", "wave", "n", "k", "alpha", "ci_low", "ci_high", "ci_level",
                       "std_alpha", "omega", "n_dropped"]
ITEM_STATISTICS_COLUMNS = ["scale", "item", "wave", "mean", "sd", "r_drop", "alpha_if_deleted"]


# --------------------------------------------------------------------------- reliability
def reliability(questionnaire: Questionnaire, responses, *, wave: str | None = None, strict: bool = True,
                confidence: float = 0.95) -> pd.DataFrame:
    """Internal consistency of every scale of one wave.

    Parameters
    ----------
    questionnaire : Questionnaire
    responses : path, Responses or DataFrame
        One wave's answers (its wave decides which scales are included).
    wave, strict : optional
        As in :func:`evalkit.score`: the wave of a file or DataFrame (default ``"pre"``)
        and its validation mode.
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
    responses = _responses(responses, questionnaire, wave, "responses", strict)
    wave = responses.wave
    rows = []
    for scale, ids, x, left_out in _scale_frames(questionnaire, responses):
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


def item_statistics(questionnaire: Questionnaire, responses, *, wave: str | None = None,
                    strict: bool = True) -> pd.DataFrame:
    """Item-total statistics of every item of every scale of one wave.

    Parameters
    ----------
    questionnaire : Questionnaire
    responses : path, Responses or DataFrame
        One wave's answers.
    wave, strict : optional
        As in :func:`evalkit.score`.

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
    responses = _responses(responses, questionnaire, wave, "responses", strict)
    wave = responses.wave
    parts = []
    for scale, ids, x, _ in _scale_frames(questionnaire, responses):
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
