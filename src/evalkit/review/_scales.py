"""Reliability and item statistics of each scale, per wave."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .. import stats
from .._errors import EvalkitWarning
from .._i18n import located, tr
from ._common import ALL, _M, _relay, _responses, _scale_frames
from ..io import Responses
from ..questionnaire import Questionnaire
RELIABILITY_COLUMNS = ["scale", "wave", "n", "k", "alpha", "ci_low", "ci_high", "ci_level",
                       "std_alpha", "omega", "n_dropped"]
ITEM_STATISTICS_COLUMNS = ["scale", "item", "wave", "mean", "sd", "r_drop", "alpha_if_deleted"]


# --------------------------------------------------------------------------- reliability
def reliability(questionnaire: Questionnaire, responses, *, wave: str | None = None, strict: bool = True,
                confidence: float = 0.95, items: pd.DataFrame | None = None) -> pd.DataFrame:
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
    items : DataFrame, optional
        The wave's item scores of the rows to use (:func:`evalkit.pipeline.item_scores` of
        the last submission of each participant: the ledger's ``used`` and ``unmatched``
        rows), as :func:`evalkit.analyze` hands them on; by default computed here.

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
    for scale, ids, x, left_out in _scale_frames(questionnaire, responses, items):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            x = stats.ItemMatrix(x)  # complete rows and covariances once for both
            res = stats.cronbach_alpha(x, confidence=confidence)
            omega = stats.omega_total(x) if len(ids) != 2 else np.nan
        res["n_dropped"] += left_out
        if len(ids) == 2:
            warnings.warn(located(_M["prefix"], tr(_M["omega_two"]), scale=scale.id, wave=wave),
                          EvalkitWarning, stacklevel=2)
        _relay(caught, _M["prefix"], scale=scale.id, wave=wave)
        rows.append({"scale": scale.id, "wave": wave, **res.to_dict(), "omega": omega,
                     "ci_level": confidence})
    out = pd.DataFrame(rows, columns=RELIABILITY_COLUMNS)
    for column in ("n", "k", "n_dropped"):
        out[column] = out[column].astype(np.int64)
    return out.reset_index(drop=True)


def item_statistics(questionnaire: Questionnaire, responses, *, wave: str | None = None,
                    strict: bool = True, items: pd.DataFrame | None = None) -> pd.DataFrame:
    """Item-total statistics of every item of every scale of one wave.

    Parameters
    ----------
    questionnaire : Questionnaire
    responses : path, Responses or DataFrame
        One wave's answers.
    wave, strict : optional
        As in :func:`evalkit.score`.
    items : DataFrame, optional
        The wave's item scores of the rows to use, as in :func:`reliability`.

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
    for scale, ids, x, _ in _scale_frames(questionnaire, responses, items):
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
