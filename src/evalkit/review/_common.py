"""Private helpers and messages shared by :mod:`evalkit.review`'s modules
(reliability, items, groups).

Kept apart so that each review module can use them without importing another.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from .._errors import EvalkitError, EvalkitWarning
from .._i18n import Message, located, tr
from ..io import Responses, as_responses
from ..pipeline import item_scores, latest_rows
from ..questionnaire import WAVES, Questionnaire

#: The value of ``group`` in rows that pool every group (as in the gains table).
ALL = "ALL"
#: The waves before and after the training: the wave of answers given as a file or
#: DataFrame, and the matched table's score columns.
BEFORE, AFTER = WAVES[:2]

_M = {
    "prefix": {"code": "EK-RV-001", "id": "Skala {scale!r} (gelombang {wave}): {what}",
               "en": "Scale {scale!r} (wave {wave}): {what}"},
    "scale": {"code": "EK-RV-002", "id": "Skala {scale!r}: {what}", "en": "Scale {scale!r}: {what}"},
    "omega_two": {"code": "EK-RV-003", "id": "omega memerlukan sedikitnya 3 butir (skala ini punya 2); omega diisi NaN.",
                  "en": "omega needs at least 3 items (this scale has 2); omega is NaN."},
    "item": {"code": "EK-RV-004", "id": "Butir {item!r}: {message}", "en": "Item {item!r}: {message}"},
    "few_groups": {"code": "EK-RV-005", "id": "Skala {scale!r}: perbandingan kelompok memerlukan sedikitnya 2 kelompok "
                         "dengan data; ada {k}. Skala ini dilewati.",
                   "en": "Scale {scale!r}: comparing groups needs at least 2 groups with data; "
                         "got {k}. The scale is skipped."},
    "zero_variance": {"code": "EK-RV-006", "id": "Skala {scale!r}: varians nol pada {what}; {test} tidak dapat dihitung "
                            "(diisi NaN).",
                      "en": "Scale {scale!r}: zero variance in {what}; {test} cannot be computed "
                            "(set to NaN)."},
    "bad_reliability": {"code": "EK-RV-007", "id": "Skala {scale!r}: reliabilitas pre-test (alfa) {value} tidak dapat dipakai "
                              "untuk indeks perubahan reliabel (perlu 0 <= alfa < 1); rci diisi NaN.",
                        "en": "Scale {scale!r}: the pre-test reliability (alpha) {value} cannot be used "
                              "for the reliable change index (0 <= alpha < 1 needed); rci set to NaN."},
    "zero_sd": {"code": "EK-RV-008", "id": "Skala {scale!r}: simpangan baku pre-test nol; rci diisi NaN.",
                "en": "Scale {scale!r}: the pre-test standard deviation is zero; rci set to NaN."},
    "bad_table": {"code": "EK-RV-009", "id": "Parameter {name!r} harus berupa DataFrame dengan kolom {columns}; "
                        "ditemukan {found}.",
                  "en": "The {name!r} parameter must be a DataFrame with columns {columns}; "
                        "got {found} instead."},
    "bad_analysis": {"code": "EK-RV-010", "id": "Parameter 'ledger' harus berupa buku besar (DataFrame) beserta 'scores', atau "
                           "hasil evalkit.analyze (dengan atribut 'ledger' dan 'scores_pre'); ditemukan {found}.",
                     "en": "The 'ledger' parameter must be a ledger (DataFrame) given with 'scores', or a "
                           "result of evalkit.analyze (with 'ledger' and 'scores_pre' attributes); got {found} "
                           "instead."},
}


# --------------------------------------------------------------------------- helpers
def _responses(value: Any, q: Questionnaire, wave: str | None, name: str, strict: bool) -> Responses:
    return as_responses(value, q, wave=wave, strict=strict, name=name)


def _counted_items(q: Questionnaire, responses: Responses, items: pd.DataFrame | None) -> pd.DataFrame:
    """Item scores of the rows a review counts: usable, a repeated submission once (the last).

    ``items`` is that table as the earlier stages produced it (:func:`evalkit.analyze`
    hands it on); ``None``: score and select here, for a review called on its own.
    """
    if items is not None:
        return _check_table(items, "items", ["row"])
    scores = item_scores(q, responses)
    return scores[scores["row"].isin(latest_rows(responses.data))].reset_index(drop=True)


def _relay(caught: list, template: dict, **where: Any) -> None:
    """Re-issue the EvalkitWarnings caught from a kernel, naming where they come from (the
    kernel's message keeps its code: ``[EK-ST-051] Skala 'tahu' (gelombang pre): Omega ...``)."""
    seen = set()
    for w in caught:
        if issubclass(w.category, EvalkitWarning) and str(w.message) not in seen:
            seen.add(str(w.message))
            code = getattr(w.message, "code", None)
            text = str(w.message).removeprefix(f"[{code}] ")
            warnings.warn(located(template, Message(text, code) if code else text, **where), w.category,
                          stacklevel=3)
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


def _scale_frames(q: Questionnaire, responses: Responses, items: pd.DataFrame | None):
    """Yield ``(scale, item ids, item scores, rows left out)`` for each scale of the wave
    (``items``: as :func:`_counted_items`)."""
    scores = _counted_items(q, responses, items)
    for scale in q.scales_for_wave(responses.wave):  # a handful of scales
        ids = [i.id for i in q.items_in(scale.id) if i.id in scores.columns]
        if ids:
            yield (scale, ids, *_scale_frame(scale, scores, ids))


def _knowledge_items(q: Questionnaire, wave: str) -> list:
    ids = {s.id for s in q.scales_for_wave(wave) if s.scoring == "percent_correct"}
    return [i for i in q.items_for_wave(wave) if i.scale in ids]


def _binary(scores: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """0/1 correctness; a partial-credit item counts as correct only when fully correct."""
    x = scores[ids].to_numpy(dtype=float)
    return pd.DataFrame(np.where(np.isnan(x), np.nan, x >= 1 - 1e-9), index=scores.index, columns=ids, copy=False)


def _group_order(frame: pd.DataFrame, q: Questionnaire) -> pd.DataFrame:
    """Sort by the questionnaire's scale order, then group with ``ALL`` last."""
    order = {s.id: i for i, s in enumerate(q.scales)} if q is not None else {}
    keys = ["scale", "group"] if "group" in frame.columns else ["scale"]
    return frame.sort_values(keys, kind="stable", key=lambda c: c.map(order).fillna(len(order))
                             if c.name == "scale" else c.astype(str).where(c != ALL, "\uffff"))


def _scale_order(matched: pd.DataFrame) -> list:
    return list(pd.unique(matched["scale"]))  # in order of appearance


def _check_table(value: Any, name: str, columns: list[str]) -> pd.DataFrame:
    if not isinstance(value, pd.DataFrame) or not set(columns) <= set(value.columns):
        found = type(value).__name__ if not isinstance(value, pd.DataFrame) else list(value.columns)
        raise EvalkitError(tr(_M["bad_table"], name=name, columns=columns, found=found))
    return value
