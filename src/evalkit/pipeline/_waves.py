"""A wave after the post-test (the follow-up): matched to the participants, added to the
ledger, and every participant's scale scores at every wave in one long table.

The follow-up is matched to the participants' pre-test rows (the rows the ledger counts:
``used`` or ``unmatched``) with the rules of :func:`match_waves`: normalized codes, the same
group, one-typo fuzzy matches, the approved list. A matched follow-up row then carries the
pseudonym of the participant's pre-test code, the one the matched table uses.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from ..privacy import load_key
from ..questionnaire import Questionnaire
from ._matching import match_waves, positions

#: Columns of :func:`waves_table`.
WAVES_COLUMNS = ["group", "participant", "scale", "wave", "score"]
_COUNTED = ("used", "unmatched")


def match_followup(ledger: pd.DataFrame, anchor: pd.DataFrame, later: pd.DataFrame, *, anchor_wave: str,
                   later_wave: str, fuzzy: bool = True, approved: pd.DataFrame | None = None,
                   key: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Match a later wave's rows to the participants of ``anchor_wave``.

    Parameters
    ----------
    ledger : DataFrame
        The ledger so far (:func:`match_waves`): it says which anchor rows count.
    anchor, later : DataFrame
        The two waves' row tables (a :class:`~evalkit.io.Responses` ``data``).
    anchor_wave, later_wave : str
        Their wave names.
    fuzzy, approved, key
        As in :func:`match_waves`; ``approved`` has ``row_pre`` (the anchor row) and
        ``row_post`` (the later wave's row).

    Returns
    -------
    pairs : DataFrame
        ``group, participant, row_pre, row_post, match, distance``: one row per matched
        later row (``row_pre`` the anchor row, ``row_post`` the later wave's row).
    ledger : DataFrame
        The later wave's rows of the ledger, in its columns: states ``used``, ``duplicate``,
        ``unmatched`` (no participant of ``anchor_wave``), ``invalid``, ``rejected``, ``empty``.

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.pipeline import match_followup, match_waves
    >>> rows = lambda codes, start: pd.DataFrame({"row": range(start, start + len(codes)),
    ...     "participant": codes, "group": "G1", "status": "ok"})
    >>> pre, post, later = rows(["AB1", "CD2"], 2), rows(["AB1"], 2), rows(["ab-1", "EF3"], 2)
    >>> ledger = match_waves(pre, post, key="k" * 16)[1]
    >>> pairs, rows_later = match_followup(ledger, pre, later, anchor_wave="pre", later_wave="followup",
    ...                                    key="k" * 16)
    >>> rows_later["state"].tolist()
    ['used', 'unmatched']
    """
    counted = ledger["row"][(ledger["wave"] == anchor_wave) & ledger["state"].isin(_COUNTED)].to_numpy()
    # The counted anchor rows are usable and each participant's last: no duplicates among them.
    rows = anchor.iloc[positions(anchor["row"].to_numpy(), counted)]
    pairs, both = match_waves(rows, later, pre_wave=anchor_wave, post_wave=later_wave, fuzzy=fuzzy,
                              approved=approved, key=key or load_key())
    return pairs, both[both["wave"] == later_wave].reset_index(drop=True)


def stack_ledgers(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """One ledger of two: rows of ``first``, then ``second``; categoricals keep their codes
    (categories of ``first`` first, then the new ones of ``second``).

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.pipeline import stack_ledgers
    >>> a = pd.DataFrame({"wave": pd.Categorical(["pre", "post"]), "row": [2, 2]})
    >>> b = pd.DataFrame({"wave": pd.Categorical(["followup"]), "row": [2]})
    >>> stack_ledgers(a, b)["wave"].cat.categories.tolist()
    ['post', 'pre', 'followup']
    """
    columns = {}
    for name in first.columns:
        a, b = first[name], second[name]
        if isinstance(a.dtype, pd.CategoricalDtype) and isinstance(b.dtype, pd.CategoricalDtype):
            columns[name] = pd.Series(union_categoricals([a, b]), name=name)
        else:
            columns[name] = pd.concat([a, b], ignore_index=True)
    return pd.DataFrame(columns)


def waves_table(questionnaire: Questionnaire, pairs: dict[str, pd.DataFrame], scores: dict[str, pd.DataFrame],
                waves: tuple[str, ...]) -> pd.DataFrame:
    """Every matched participant's scale scores at every wave they answered, long.

    Parameters
    ----------
    questionnaire : Questionnaire
    pairs : dict
        For each wave after the first: its pairs with the first wave (``group,
        participant, row_pre, row_post``, as :func:`match_waves`), keyed by wave name.
    scores : dict
        Each wave's scale scores (:func:`score`), keyed by wave name.
    waves : tuple of str
        The waves in order, the first being the one every later wave is matched to.

    Returns
    -------
    DataFrame
        ``group, participant, scale, wave, score``: one row per participant matched in at
        least one pair, scale and wave with a score (a missing score is left out);
        ``group``, ``participant`` and ``scale`` are categoricals (groups sorted, scales in
        questionnaire order), ``wave`` an ordered categorical of ``waves``. Rows are in
        order of participant (first wave's pairs first), scale and wave.

    Examples
    --------
    >>> import evalkit
    >>> from evalkit.pipeline import match_waves, waves_table
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> pre, post = (evalkit.read_responses(evalkit.bundled_sample(w), q, wave=w) for w in ("pre", "post"))
    >>> pairs = match_waves(pre.data, post.data)[0]
    >>> scores = {w.wave: evalkit.score(q, w) for w in (pre, post)}
    >>> waves_table(q, {"post": pairs}, scores, ("pre", "post"))["wave"].cat.categories.tolist()
    ['pre', 'post']
    """
    first = waves[0]
    later = [w for w in waves[1:] if w in pairs]
    parts = [pairs[w][["group", "participant", "row_pre"]].astype({"participant": object}) for w in later]
    people = (pd.concat(parts, ignore_index=True).drop_duplicates("row_pre", ignore_index=True) if parts
              else pd.DataFrame({"group": [], "participant": [], "row_pre": []}))
    rows = {first: people["row_pre"].to_numpy()}
    for w in later:  # each person's row in the wave, -1: none
        at = pd.Index(pairs[w]["row_pre"].to_numpy()).get_indexer(rows[first])
        rows[w] = np.where(at >= 0, pairs[w]["row_post"].to_numpy()[np.maximum(at, 0)], -1) if len(at) else at
    scale_ids = [s.id for s in questionnaire.scales]
    person, scale, wave, score = [], [], [], []
    for w_code, w in enumerate(waves):  # a few waves x a few scales
        if w not in rows:
            continue
        table, wanted = scores[w], rows[w]
        has = wanted >= 0
        at = positions(table["row"].to_numpy(), wanted[has])
        for s_code, s in enumerate(scale_ids):
            if s not in table.columns or w not in questionnaire.scale(s).waves:
                continue
            values = table[s].to_numpy(dtype=float)[at]
            kept = ~np.isnan(values)
            person.append(np.flatnonzero(has)[kept])
            score.append(values[kept])
            scale.append(np.full(kept.sum(), s_code))
            wave.append(np.full(kept.sum(), w_code))
    person, scale, wave, score = (np.concatenate(x) if x else np.array([], dtype=int)
                                  for x in (person, scale, wave, score))
    order = np.lexsort((wave, scale, person))
    group_code, groups = pd.factorize(people["group"], sort=True)
    participant_code, participants = pd.factorize(people["participant"])
    return pd.DataFrame({
        "group": pd.Categorical.from_codes(group_code[person[order]], categories=pd.Index(groups)),
        "participant": pd.Categorical.from_codes(participant_code[person[order]],
                                                 categories=pd.Index(participants, dtype=object)),
        "scale": pd.Categorical.from_codes(scale[order], categories=pd.Index(scale_ids)),
        "wave": pd.Categorical.from_codes(wave[order], categories=pd.Index(waves), ordered=True),
        "score": score[order].astype(float)})
