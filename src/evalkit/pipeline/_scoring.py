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

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..io import Responses, as_responses
from ..questionnaire import Item, Questionnaire

ID_COLUMNS = ["row", "participant", "group"]


def item_scores(questionnaire: Questionnaire, responses, *, wave: str | None = None,
                strict: bool = True) -> pd.DataFrame:
    """Score every scored item of the wave: one row per usable answer row.

    ``responses``, ``wave`` and ``strict`` as in :func:`score`.

    Returns a DataFrame with ``row, participant, group`` and one float column per
    item that belongs to a scale (NaN = unanswered). Knowledge items hold 0..1,
    Likert items the (reverse-coded) point.

    Examples
    --------
    >>> import evalkit
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> pre = evalkit.read_responses(evalkit.bundled_sample("pre"), q, wave="pre")
    >>> items = evalkit.pipeline.item_scores(q, pre)
    >>> float(items["k01"].max())
    1.0
    """
    return score_wave(questionnaire, responses, wave=wave, strict=strict).items


@dataclass(frozen=True)
class WaveScores:
    """One wave scored once: what every later stage reads instead of scoring again.

    Attributes
    ----------
    responses : Responses
        The validated answers that were scored.
    items : DataFrame
        :func:`item_scores`: ``row, participant, group`` and one column per scored item.
    scales : DataFrame
        :func:`score`: ``row, participant, group`` and one column per scale of the wave.
    """

    responses: Responses
    items: pd.DataFrame
    scales: pd.DataFrame


def score_wave(questionnaire: Questionnaire, responses, *, wave: str | None = None,
               strict: bool = True) -> WaveScores:
    """Score one wave once: item scores, and the scale scores computed from them.

    ``responses``, ``wave`` and ``strict`` as in :func:`score`; :func:`score` and
    :func:`item_scores` return the parts of this result.

    Examples
    --------
    >>> import evalkit
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> scored = evalkit.pipeline.score_wave(q, evalkit.bundled_sample("pre"))
    >>> len(scored.items) == len(scored.scales)
    True
    """
    responses = as_responses(responses, questionnaire, wave=wave, strict=strict)
    ok = _usable(responses)
    scored = _scored_items(questionnaire, responses.wave)
    matrix = _item_matrix(responses.data, scored)
    ids = _id_columns(responses.data, ok)
    items = pd.DataFrame(matrix if ok is None else matrix[ok], columns=[i.id for i in scored], copy=False)
    scales = _scale_scores(questionnaire, responses.wave, matrix, [i.id for i in scored])
    scales = pd.DataFrame({name: value if ok is None else value[ok] for name, value in scales.items()},
                          copy=False)
    return WaveScores(responses, pd.concat([ids, items], axis=1),
                      pd.concat([ids.copy(), scales], axis=1) if len(scales.columns) else ids.copy())


def _usable(responses: Responses) -> np.ndarray | None:
    """Rows with status ``ok`` as a mask, or ``None`` when every row is (no filtering needed)."""
    ok = (responses.data["status"] == "ok").to_numpy()
    return None if ok.all() else ok


def _scored_items(questionnaire: Questionnaire, wave: str) -> list[Item]:
    return [i for i in questionnaire.items_for_wave(wave) if i.scale]


def _id_columns(data: pd.DataFrame, ok: np.ndarray | None) -> pd.DataFrame:
    ids = data[ID_COLUMNS] if ok is None else data.loc[ok, ID_COLUMNS]
    return ids.reset_index(drop=True)


def _item_matrix(data: pd.DataFrame, items: list[Item]) -> np.ndarray:
    """Item scores of every row, one column per item (Fortran order: each column is
    written in one contiguous piece)."""
    matrix = np.empty((len(data), len(items)), order="F")
    for j, item in enumerate(items):
        matrix[:, j] = _score_item(data[item.id], item)
    return matrix


def _score_item(values: pd.Series, item: Item) -> np.ndarray:
    """Each row's score on the item, NaN where it was not answered."""
    points, answered = _item_points(values, item)
    return np.where(answered, points, np.nan)


def _item_points(values: pd.Series, item: Item) -> tuple[np.ndarray, np.ndarray]:
    """Each row's score on the item (0 where not answered) and whether it was answered."""
    if item.type in ("single_choice", "true_false"):
        codes = (values.array if isinstance(values.dtype, pd.CategoricalDtype) else
                 pd.Categorical(values, categories=item.option_codes)).codes
        # One look-up per row: 1 for the key, 0 for another option or none (code -1: last).
        points = np.zeros(len(item.option_codes) + 1)
        points[item.option_codes.index(item.key[0])] = 1.0
        return points[codes], codes >= 0
    if item.type == "multi_select":
        # Distinct answer strings are few: score each once (missing -> code -1 -> the 0 appended).
        if isinstance(values.dtype, pd.CategoricalDtype):  # as validated: codes are free
            codes, distinct = values.array.codes, values.cat.categories
        else:
            codes, distinct = pd.factorize(values)
        scores = [_multi_score(value, item) for value in distinct]
        return np.append(np.asarray(scores, dtype=float), 0.0)[codes], codes >= 0
    answered = values.notna().to_numpy()
    if item.type == "likert" and item.reverse:
        # A missing answer read as points + 1 scores exactly 0 once reversed.
        return item.points + 1 - values.to_numpy(dtype=float, na_value=item.points + 1), answered
    answers = values.to_numpy(dtype=float, na_value=0.0)
    if item.type == "numeric" and item.key:
        return ((answers == float(item.key[0])) & answered).astype(float), answered
    return answers, answered


def _multi_score(value, item: Item) -> float:
    chosen = set(str(value).split())
    if item.scoring == "exact":
        return float(chosen == set(item.key))
    return sum((c in chosen) == (c in item.key) for c in item.option_codes) / len(item.option_codes)


def score(questionnaire: Questionnaire, responses, *, wave: str | None = None,
          strict: bool = True) -> pd.DataFrame:
    """Scale scores per participant for one wave.

    Parameters
    ----------
    questionnaire : Questionnaire
    responses : path, Responses or DataFrame
        One wave's answers: a file, :func:`read_responses`' result, or a DataFrame of
        cells as typed (see :func:`evalkit.io.as_responses`). Only rows with status
        ``ok`` are scored.
    wave : str, optional
        The wave of a file or DataFrame (default ``"pre"``); a :class:`Responses`
        keeps its own, and must match ``wave`` when one is given.
    strict : bool, default True
        Validation mode for a file or DataFrame (see :func:`read_responses`).

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
    return score_wave(questionnaire, responses, wave=wave, strict=strict).scales


def _scale_scores(questionnaire: Questionnaire, wave: str, matrix: np.ndarray, ids: list[str]) -> dict:
    """Each scale's score of every row, from the item-score matrix (NaN: not answered)."""
    column = {item: j for j, item in enumerate(ids)}
    scores = {}
    for scale in questionnaire.scales_for_wave(wave):  # a handful of scales
        items = [column[i.id] for i in questionnaire.items_in(scale.id) if i.id in column]
        if not items:
            continue
        # Items are added one after another in item order (not pairwise): the rounded
        # scores depend on that order. An unanswered item adds 0.
        total, answered = np.zeros(len(matrix)), np.zeros(len(matrix), dtype=np.intp)
        for j in items:
            answer = ~np.isnan(matrix[:, j])
            answered += answer
            total += np.where(answer, matrix[:, j], 0.0)
        k = len(items)
        enough = answered >= np.ceil(scale.min_answered * k - 1e-9)
        with np.errstate(invalid="ignore", divide="ignore"):
            if scale.scoring == "percent_correct":
                value = 100.0 * total / k
            else:
                value = total / answered
                if scale.scoring == "sum":
                    value = value * k
        # Equal scores reached through different float sums (partial credit) must compare
        # equal, or a zero difference would count as a tiny gain in the signed-rank test.
        scores[scale.id] = np.where(enough, np.round(value, 6), np.nan)
    return scores
