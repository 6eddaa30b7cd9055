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

from ..privacy import load_key, pseudonym_array
from ..questionnaire import Questionnaire
from ._matching import find_pairs, pairs_and_ledger, positions

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
        ``row_post`` (the later wave's row). ``key`` must be the key of the ledger's
        pseudonyms: a participant keeps the pseudonym the ledger gives them, and only codes
        new in the later wave are pseudonymized with it.

    Returns
    -------
    pairs : DataFrame
        ``group, participant, row_pre, row_post, match, distance``: one row per matched
        later row (``row_pre`` the anchor row, ``row_post`` the later wave's row).
    ledger : DataFrame
        The later wave's rows of the ledger, in its columns (``participant`` in the ledger's
        pseudonyms, the new ones appended): states ``used``, ``duplicate``,
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
    is_counted = ((ledger["wave"] == anchor_wave) & ledger["state"].isin(_COUNTED)).to_numpy()
    # The counted anchor rows are usable and each participant's last: no duplicates among them.
    # Matching reads four columns: only those are taken, not the answers.
    ids = ["row", "participant", "group", "status"]
    rows = anchor[ids].take(positions(anchor["row"].to_numpy(), ledger["row"].to_numpy()[is_counted]))
    found = find_pairs(rows, later[ids], fuzzy=fuzzy, approved=approved)
    # Each person in the ledger's own pseudonyms: an anchor row's normalized code has one there
    # already, so only the codes new in the later wave are hashed, their pseudonyms appended.
    known = ledger["participant"].array
    code_of = np.full(len(found.keys) + 1, -1, dtype=np.int64)  # by normalized code; the last: none
    code_of[found.key_code[:len(rows)]] = known.codes[is_counted]
    code_of[-1] = -1
    pseudonyms = known.dtype
    new = np.flatnonzero(code_of < 0)[:-1]
    if len(new):  # a code may be in the ledger already (a post-test or a duplicate row's)
        hashed = pd.Index(pseudonym_array(found.keys.take(new).astype(object), key or load_key(), distinct=True))
        code_of[new] = known.categories.get_indexer(hashed)
        added = code_of[new] < 0
        code_of[new[added]] = len(known.categories) + np.arange(added.sum())
        if added.any():
            pseudonyms = pd.CategoricalDtype(known.categories.append(hashed[added]))
    pairs, both = pairs_and_ledger(found, code_of[found.key_code], pseudonyms, (anchor_wave, later_wave))
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
            known = b.cat.categories[:len(a.cat.categories)]
            if known.equals(a.cat.categories):  # b's categories extend a's (match_followup's pseudonyms)
                codes = np.concatenate([a.cat.codes.to_numpy(), b.cat.codes.to_numpy()])
                columns[name] = pd.Series(pd.Categorical.from_codes(codes, dtype=b.dtype, validate=False), name=name)
            else:
                columns[name] = pd.Series(union_categoricals([a, b]), name=name)
        else:
            columns[name] = pd.concat([a, b], ignore_index=True)
    return pd.DataFrame(columns)


def waves_table(questionnaire: Questionnaire, ledger: pd.DataFrame, pairs: dict[str, pd.DataFrame],
                scores: dict[str, pd.DataFrame], waves: tuple[str, ...]) -> pd.DataFrame:
    """Every matched participant's scale scores at every wave they answered, long.

    Parameters
    ----------
    questionnaire : Questionnaire
    ledger : DataFrame
        The ledger (:func:`match_waves`): each participant's group and pseudonym are those
        of their row in the first wave.
    pairs : dict
        For each wave after the first: its pairs with the first wave (``row_pre,
        row_post``, as :func:`match_waves`), keyed by wave name.
    scores : dict
        Each wave's scale scores (:func:`score`), keyed by wave name.
    waves : tuple of str
        The waves in order, the first being the one every later wave is matched to.

    Returns
    -------
    DataFrame
        ``group, participant, scale, wave, score``: one row per participant matched in at
        least one pair, scale and wave with a score (a missing score is left out; a scale
        asked at one wave only is there at that wave); ``group``, ``participant`` and
        ``scale`` are categoricals (groups sorted, the ledger's pseudonyms, scales in
        questionnaire order), ``wave`` an ordered categorical of ``waves``. Rows are in
        order of wave, scale and participant (first wave's pairs first).

    Examples
    --------
    >>> import evalkit
    >>> from evalkit.pipeline import match_waves, waves_table
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> pre, post = (evalkit.read_responses(evalkit.bundled_sample(w), q, wave=w) for w in ("pre", "post"))
    >>> pairs, ledger = match_waves(pre.data, post.data)
    >>> scores = {w.wave: evalkit.score(q, w) for w in (pre, post)}
    >>> waves_table(q, ledger, {"post": pairs}, scores, ("pre", "post"))["wave"].cat.categories.tolist()
    ['pre', 'post']
    """
    first, later = waves[0], [w for w in waves[1:] if w in pairs]
    # Each person once, by their first-wave row: the first later wave's pairs first.
    rows = {first: pd.unique(np.concatenate([pairs[w]["row_pre"].to_numpy() for w in later]))
            if later else np.array([], dtype=np.int64)}
    for w in later:  # each person's row in the wave, -1: none
        at = pd.Index(pairs[w]["row_pre"].to_numpy()).get_indexer(rows[first])
        rows[w] = np.where(at >= 0, pairs[w]["row_post"].to_numpy()[np.maximum(at, 0)], -1) if len(at) else at
    scale_ids = [s.id for s in questionnaire.scales]
    anchor = ledger[(ledger["wave"] == first).to_numpy()]
    at = positions(anchor["row"].to_numpy(), rows[first])
    group_code, groups = pd.factorize(anchor["group"].array.take(at), sort=True)  # the texts stay in pyarrow
    group_code = group_code.astype(_code_type(len(groups)))
    participant = anchor["participant"].array.take(at)
    # One block per wave x scale (a few of each), each its participants in first-wave order:
    # the table's rows come out in order without a sort or a person x scale x wave grid.
    blocks = []
    for w_code, w in enumerate(waves):
        if w not in rows:
            continue
        has = np.flatnonzero(rows[w] >= 0)
        at = positions(scores[w]["row"].to_numpy(), rows[w][has])
        for s_code, s in enumerate(scale_ids):
            if s in scores[w].columns and w in questionnaire.scale(s).waves:
                value = scores[w][s].to_numpy(dtype=float)[at]
                blocks.append((has, ~np.isnan(value), value, s_code, w_code))
    # Each column written once, block by block, in the categoricals' own small code types:
    # 17 M rows at 1 M participants, so no person-per-row array and no concatenated copies.
    sizes = [int(b[1].sum()) for b in blocks]
    ends = np.cumsum([0, *sizes])
    columns = {"group": np.empty(ends[-1], group_code.dtype),
               "participant": np.empty(ends[-1], participant.codes.dtype),
               "score": np.empty(ends[-1])}
    for (has, scored, value, _, _), lo, hi in zip(blocks, ends[:-1], ends[1:]):
        person = has[scored]
        columns["group"][lo:hi] = group_code[person]
        columns["participant"][lo:hi] = participant.codes[person]
        columns["score"][lo:hi] = value[scored]
    scale, wave = (np.repeat(np.array([b[i] for b in blocks], dtype=_code_type(n)), sizes)
                   for i, n in ((3, len(scale_ids)), (4, len(waves))))

    def categorical(codes, **dtype):  # codes made here are in range: no check of every code
        return pd.Categorical.from_codes(codes, validate=False, **dtype)

    return pd.DataFrame({
        "group": categorical(columns["group"], categories=pd.Index(groups)),
        "participant": categorical(columns["participant"], dtype=participant.dtype),
        "scale": categorical(scale, categories=pd.Index(scale_ids)),
        "wave": categorical(wave, categories=pd.Index(waves), ordered=True),
        "score": columns["score"]}, copy=False)


def _code_type(n: int) -> np.dtype:
    """The integer type pandas keeps the codes of ``n`` categories in."""
    return next(np.dtype(t) for t in (np.int8, np.int16, np.int32, np.int64) if n < np.iinfo(t).max)
