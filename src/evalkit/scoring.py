"""Scoring answers: item scores (keys, reverse coding) and scale scores per participant.

Rules (documented in ``docs/questionnaire-format.md``):

* knowledge items score 1 (correct) or 0; a multi-select item scores 1/0 under
  ``exact`` or the share of options classified correctly under ``partial``;
* reverse-keyed Likert items are recoded ``points + 1 - answer``;
* ``percent_correct`` = 100 × sum of item scores / number of items — an unanswered
  item counts as wrong, as on a paper test;
* ``mean`` = mean of the answered items; ``sum`` = that mean × number of items
  (prorated, so a skipped item does not lower the sum);
* a scale score is missing when the share of answered items is below the
  scale's ``min_answered``;
* scores are rounded to 6 decimals, far below any meaningful difference, so that
  equal scores reached through different float sums compare equal.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .io import Responses
from .questionnaire import Item, Questionnaire

ID_COLUMNS = ["row", "participant", "group"]


def item_scores(questionnaire: Questionnaire, responses: Responses) -> pd.DataFrame:
    """Score every scored item of the wave: one row per usable answer row.

    Returns a DataFrame with ``row, participant, group`` and one float column per
    item that belongs to a scale (NaN = unanswered). Knowledge items hold 0..1,
    Likert items the (reverse-coded) point.

    Examples
    --------
    >>> import evalkit
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> pre = evalkit.read_responses(evalkit.bundled_sample("pre"), q, wave="pre")
    >>> items = evalkit.scoring.item_scores(q, pre)
    >>> float(items["k01"].max())
    1.0
    """
    data = responses.data[responses.data["status"] == "ok"]
    scored = [i for i in questionnaire.items_for_wave(responses.wave) if i.scale]
    columns = {item.id: _score_item(data[item.id], item) for item in scored}
    return pd.concat([data[ID_COLUMNS].reset_index(drop=True),
                      pd.DataFrame(columns, index=range(len(data)))], axis=1)


def _score_item(values: pd.Series, item: Item) -> np.ndarray:
    if item.type in ("single_choice", "true_false"):
        codes = np.asarray(values.cat.codes if hasattr(values, "cat") else
                           pd.Categorical(values, categories=item.option_codes).codes)
        key = item.option_codes.index(item.key[0])
        return np.where(codes < 0, np.nan, (codes == key).astype(float))
    if item.type == "multi_select":
        return values.map(_multi_scorer(item)).to_numpy(dtype=float)
    answers = values.to_numpy(dtype=float)
    if item.type == "likert" and item.reverse:
        return item.points + 1 - answers
    if item.type == "numeric" and item.key:
        return np.where(np.isnan(answers), np.nan, (answers == float(item.key[0])).astype(float))
    return answers


def _multi_scorer(item: Item):
    key = set(item.key)
    codes = item.option_codes

    def score(value) -> float:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return np.nan
        chosen = set(str(value).split())
        if item.scoring == "exact":
            return float(chosen == key)
        return sum((c in chosen) == (c in key) for c in codes) / len(codes)

    # Distinct answer strings are few, so score each once.
    cache: dict = {}
    return lambda v: cache[v] if v in cache else cache.setdefault(v, score(v))


def score(questionnaire: Questionnaire, responses: Responses) -> pd.DataFrame:
    """Scale scores per participant for one wave.

    Parameters
    ----------
    questionnaire : Questionnaire
    responses : Responses
        From :func:`read_responses`; only rows with status ``ok`` are scored.

    Returns
    -------
    DataFrame
        ``row, participant, group`` and one column per scale of the wave holding the
        score (NaN where fewer than ``min_answered`` of its items were answered).

    Examples
    --------
    >>> import evalkit
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> pre = evalkit.read_responses(evalkit.bundled_sample("pre"), q, wave="pre")
    >>> scores = evalkit.score(q, pre)
    >>> bool(scores["pengetahuan"].between(0, 100).all())
    True
    """
    items = item_scores(questionnaire, responses)
    out = items[ID_COLUMNS].copy()
    for scale in questionnaire.scales_for_wave(responses.wave):
        ids = [i.id for i in questionnaire.items_in(scale.id) if i.id in items.columns]
        if not ids:
            continue
        matrix = items[ids].to_numpy(dtype=float)
        answered = ~np.isnan(matrix)
        k = matrix.shape[1]
        enough = answered.sum(axis=1) >= np.ceil(scale.min_answered * k - 1e-9)
        with np.errstate(invalid="ignore", divide="ignore"):
            if scale.scoring == "percent_correct":
                value = 100.0 * np.nansum(matrix, axis=1) / k
            else:
                value = np.nansum(matrix, axis=1) / answered.sum(axis=1)
                if scale.scoring == "sum":
                    value = value * k
        # Equal scores reached through different float sums (partial credit) must compare
        # equal, or a zero difference would count as a tiny gain in the signed-rank test.
        out[scale.id] = np.where(enough, np.round(value, 6), np.nan)
    return out
