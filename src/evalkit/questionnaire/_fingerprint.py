"""Fingerprints of scales and questionnaires: may two trainings' scores be pooled?

Two trainings' scores of a scale are comparable when the scale was measured by the same
items, keyed and scored the same way on the same range. The fingerprint is a short hash
of exactly that content, so a roll-up can compare it across questionnaire files (and
result packages) without comparing the files.
"""

from __future__ import annotations

import hashlib
import json

from .._errors import EvalkitError
from .._i18n import tr
from ._model import Questionnaire

_M = {
    "no_scale": {"code": "EK-QN-032", "id": "Skala {scale!r} tidak ada dalam kuesioner; skala yang ada: {known}.",
                 "en": "The scale {scale!r} is not in the questionnaire; its scales are: {known}."},
}
#: Hex digits kept: 64 bits, ample to tell a handful of questionnaire versions apart.
DIGITS = 16


def _digest(content: object) -> str:
    text = json.dumps(content, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGITS]


def _scale_content(q: Questionnaire, scale_id: str) -> dict:
    """What decides a scale's score: its rule and range, and each item's id, type, answer
    codes, key, reverse flag, points, scoring and numeric range (not its wording)."""
    scale = q.scale(scale_id)
    items = [{"id": i.id, "type": i.type, "options": list(i.option_codes), "key": list(i.key),
              "reverse": bool(i.reverse), "points": i.points, "scoring": i.scoring, "min": i.min, "max": i.max}
             for i in q.items_in(scale_id)]
    return {"scale": scale.id, "scoring": scale.scoring, "max_score": scale.max_score,
            "min_answered": scale.min_answered, "items": items}


def fingerprint(questionnaire: Questionnaire, *, scale: str | None = None) -> str:
    """A stable hash of a scale's scoring content, or of the whole questionnaire's.

    Parameters
    ----------
    questionnaire : Questionnaire
    scale : str, optional
        A scale id: the fingerprint of that scale. ``None``: of the questionnaire, i.e.
        of the ids and fingerprints of all its scales.

    Returns
    -------
    str
        16 hexadecimal digits (the start of a SHA-256 of the content as canonical JSON).

    Notes
    -----
    A scale's fingerprint covers its scoring rule (``percent_correct``, ``mean``, ``sum``),
    its score range, the minimum share of items answered, and for each of its items, in
    order: id, type, answer codes, key, reverse flag, number of Likert points, scoring of
    multi-select items and numeric range. Labels, wording, translations, groups and the
    questionnaire's id or version are left out: correcting a typo in a question keeps the
    fingerprint; adding, removing, re-keying or reversing an item changes it.

    Examples
    --------
    >>> import evalkit
    >>> from evalkit.questionnaire import fingerprint
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> len(fingerprint(q)), fingerprint(q, scale="pengetahuan") == fingerprint(q, scale="pengetahuan")
    (16, True)
    """
    ids = [s.id for s in questionnaire.scales]
    if scale is not None:
        if scale not in ids:
            raise EvalkitError(tr(_M["no_scale"], scale=scale, known=", ".join(ids)))
        return _digest(_scale_content(questionnaire, scale))
    return _digest({s: _digest(_scale_content(questionnaire, s)) for s in ids})
