"""What participants did after the training (Kirkpatrick level 3): the behaviour items of
the follow-up wave, per item and group, and the "agen perubahan" (agent of change) share.

Re-exported by :mod:`evalkit.review`; its shared rules apply (rows with status ``ok``, a
repeated submission counted once). A behaviour item is an item of a scale with
``level: behaviour``; it was **done at least once** when its answer is above the lowest
Likert point (the lowest point means "never" or "no") or, for a numeric item (a count),
above 0. A reverse-keyed item is reported as answered (e.g. "kept quiet": the share who
kept quiet at least once); its ``reverse`` column says so.

Every table has ``n``, the participants the row describes: the report suppresses small
groups with :func:`evalkit.privacy.find_suppressed` (``by=("item",)`` for the item tables,
``by=()`` for :func:`change_agents`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .. import stats
from .._errors import EvalkitError
from .._i18n import tr
from ..questionnaire import WAVES, Item, Questionnaire
from ..pipeline import latest_rows
from ._common import ALL, _responses

#: The wave whose answers say what participants did after the training.
FOLLOWUP = WAVES[2]

BEHAVIOUR_COLUMNS = ["item", "scale", "action", "reverse", "group", "n", "n_acted", "share", "ci_low", "ci_high",
                     "ci_level"]
BEHAVIOUR_FREQUENCY_COLUMNS = ["item", "scale", "group", "level", "count", "n", "share"]
CHANGE_AGENT_COLUMNS = ["group", "n", "n_agents", "share", "ci_low", "ci_high", "ci_level", "n_items"]

_M = {
    "no_behaviour": {"code": "EK-RV-011", "id": "Kuesioner tidak punya butir perilaku (skala 'level: behaviour') pada gelombang "
                           "{wave!r}; tidak ada yang dapat dilaporkan tentang tindakan peserta.",
                     "en": "The questionnaire has no behaviour items (a 'level: behaviour' scale) in wave "
                           "{wave!r}; there is nothing to report about what participants did."},
    "no_action": {"code": "EK-RV-012", "id": "Tidak ada butir perilaku yang ditandai 'action: advocacy' atau 'action: protection' "
                        "di kuesioner, jadi indikator agen perubahan tidak dapat dihitung. Tandai butirnya "
                        "(lihat docs/questionnaire-format.md, bagian 4).",
                  "en": "No behaviour item is marked 'action: advocacy' or 'action: protection' in the "
                        "questionnaire, so the agent-of-change indicator cannot be computed. Mark the items "
                        "(see docs/questionnaire-format.md, section 4)."},
}


def _behaviour_items(q: Questionnaire, wave: str) -> list[Item]:
    levels = {s.id for s in q.scales if s.level == "behaviour"}
    items = [i for i in q.items_for_wave(wave) if i.scale in levels and i.type in ("likert", "numeric")]
    if not items:
        raise EvalkitError(tr(_M["no_behaviour"], wave=wave))
    return items


def _answers(q: Questionnaire, followup: Any, items: list[Item], strict: bool) -> tuple[pd.Series, np.ndarray]:
    """The group of each usable row and the answers (rows x items, NaN where not answered)."""
    responses = _responses(followup, q, FOLLOWUP, FOLLOWUP, strict)
    data = responses.data
    data = data[data["row"].isin(latest_rows(responses.data)).to_numpy()]
    values = np.column_stack([data[i.id].to_numpy(dtype=float, na_value=np.nan) for i in items]) \
        if len(data) else np.empty((0, len(items)))
    return data["group"].astype(str).reset_index(drop=True), values


def _acted(items: list[Item], values: np.ndarray) -> np.ndarray:
    """1 where the item was done at least once, 0 where not, NaN where not answered."""
    lowest = np.array([1.0 if i.type == "likert" else 0.0 for i in items])
    return np.where(np.isnan(values), np.nan, (values > lowest).astype(float))


def _with_all(table_by: Any, frame: pd.DataFrame, keys: list[str], **options) -> pd.DataFrame:
    """``table_by`` per ``keys + [group]`` and per ``keys`` (the ``ALL`` rows), stacked."""
    per_group = table_by(frame, group=keys + ["group"], **options).reset_index()
    pooled = table_by(frame, group=keys or None, **options).reset_index(drop=not keys).assign(group=ALL)
    return pd.concat([per_group, pooled], ignore_index=True)


def _order(frame: pd.DataFrame, items: list[Item] | None = None) -> pd.DataFrame:
    """Items in questionnaire order, groups sorted with ``ALL`` last."""
    keys = {"group": lambda c: c.astype(str).where(c != ALL, "\uffff")}
    if items is not None:
        position = {i.id: k for k, i in enumerate(items)}
        keys["item"] = lambda c: c.map(position)
    by = [k for k in ("item", "group") if k in keys]
    return frame.sort_values(by, kind="stable", key=lambda c: keys[c.name](c)).reset_index(drop=True)


def behaviour_shares(questionnaire: Questionnaire, followup: Any, *, confidence: float = 0.95,
                     strict: bool = True) -> pd.DataFrame:
    """Share of participants who did each behaviour action at least once, per group and ALL.

    Parameters
    ----------
    questionnaire : Questionnaire
    followup : path, Responses or DataFrame
        The follow-up wave's answers (see :func:`evalkit.io.as_responses`).
    confidence : float, default 0.95
        Level of the Wilson interval.
    strict : bool, default True
        Passed to :func:`evalkit.io.as_responses` for a path or DataFrame.

    Returns
    -------
    pandas.DataFrame
        One row per behaviour item x group (``ALL`` last), columns ``item, scale, action,
        reverse, group, n, n_acted, share, ci_low, ci_high, ci_level``: ``n`` participants
        who answered the item, ``n_acted`` of them did it at least once, ``share`` their
        proportion with its Wilson score interval (:func:`evalkit.stats.wilson_ci`, R's
        ``prop.test(n_acted, n, correct = FALSE)``); ``action`` is the item's ``action``
        key (``advocacy``, ``protection`` or None).

    Examples
    --------
    >>> import evalkit
    >>> from evalkit.review import behaviour_shares
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> t = behaviour_shares(q, evalkit.bundled_sample("followup"))
    >>> t.loc[t["group"] == "ALL", ["item", "action", "n", "n_acted"]].head(3)  # doctest: +NORMALIZE_WHITESPACE
       item      action    n  n_acted
    10  t01        None  172       60
    21  t02    advocacy  176       23
    32  t03  protection  173       49
    """
    items = _behaviour_items(questionnaire, FOLLOWUP)
    group, values = _answers(questionnaire, followup, items, strict)
    acted = _acted(items, values)
    long = pd.DataFrame({"item": np.repeat([i.id for i in items], len(group)),
                         "group": np.tile(group.to_numpy(), len(items)), "acted": acted.T.ravel()})
    table = _with_all(stats.proportion_by_group, long, ["item"], value="acted", confidence=confidence)
    table = table.rename(columns={"successes": "n_acted", "estimate": "share"})
    by_id = {i.id: i for i in items}
    table["scale"] = table["item"].map({k: i.scale for k, i in by_id.items()})
    table["action"] = table["item"].map({k: i.action for k, i in by_id.items()}).astype(object)
    table["action"] = table["action"].where(table["action"].notna(), None)
    table["reverse"] = table["item"].map({k: i.reverse for k, i in by_id.items()}).astype(bool)
    return _order(table, items)[BEHAVIOUR_COLUMNS]


def behaviour_frequencies(questionnaire: Questionnaire, followup: Any, *, strict: bool = True) -> pd.DataFrame:
    """How often participants did each behaviour action: the answer distribution per group and ALL.

    Parameters
    ----------
    questionnaire : Questionnaire
    followup : path, Responses or DataFrame
        The follow-up wave's answers.
    strict : bool, default True
        Passed to :func:`evalkit.io.as_responses` for a path or DataFrame.

    Returns
    -------
    pandas.DataFrame
        One row per behaviour item x group x answer level, columns ``item, scale, group,
        level, count, n, share``: ``level`` the answer as text (every Likert point, ``"1"``
        .. ``"k"``, even when nobody chose it; the counts given for a numeric item),
        ``count`` participants who gave it, ``n`` participants who answered the item in the
        group, ``share = count / n``.

    Examples
    --------
    >>> import evalkit
    >>> from evalkit.review import behaviour_frequencies
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> t = behaviour_frequencies(q, evalkit.bundled_sample("followup"))
    >>> t[(t["item"] == "t01") & (t["group"] == "ALL")][["level", "count", "n"]]  # doctest: +NORMALIZE_WHITESPACE
       level  count    n
    50     1    112  172
    51     2     12  172
    52     3     16  172
    53     4     14  172
    54     5     18  172
    """
    items = _behaviour_items(questionnaire, FOLLOWUP)
    group, values = _answers(questionnaire, followup, items, strict)
    parts = []
    for j, item in enumerate(items):  # a handful of items; each counted over all rows at once
        answered = ~np.isnan(values[:, j])
        frame = pd.DataFrame({"group": group[answered].to_numpy(), "value": values[answered, j]})
        levels = np.arange(1, item.points + 1, dtype=float) if item.type == "likert" \
            else np.unique(frame["value"])
        counts = pd.concat([frame, frame.assign(group=ALL)]).groupby(["group", "value"]).size()
        groups = list(dict.fromkeys(frame["group"])) + [ALL]
        grid = counts.reindex(pd.MultiIndex.from_product([groups, levels], names=["group", "value"]), fill_value=0)
        part = grid.rename("count").reset_index()
        part["n"] = part.groupby("group")["count"].transform("sum")
        part["level"] = [f"{v:g}" for v in part["value"]]
        parts.append(part.assign(item=item.id, scale=item.scale))
    table = pd.concat(parts, ignore_index=True)
    table["share"] = stats.safe_divide(table["count"].to_numpy(float), table["n"].to_numpy(float))
    table = _order(table.sort_values("value", kind="stable"), items)
    return table[BEHAVIOUR_FREQUENCY_COLUMNS].astype({"count": np.int64, "n": np.int64})


def change_agents(questionnaire: Questionnaire, followup: Any, *, confidence: float = 0.95,
                  strict: bool = True) -> pd.DataFrame:
    """The "agen perubahan" indicator: share of participants with at least one advocacy or
    protection action, per group and ALL.

    Parameters
    ----------
    questionnaire, followup, confidence, strict
        As for :func:`behaviour_shares`; the behaviour items marked ``action: advocacy`` or
        ``action: protection`` count.

    Returns
    -------
    pandas.DataFrame
        One row per group (``ALL`` last), columns ``group, n, n_agents, share, ci_low,
        ci_high, ci_level, n_items``: ``n`` participants who answered at least one of the
        ``n_items`` action items, ``n_agents`` of them did at least one at least once, and
        their share with its Wilson interval (R: ``prop.test(n_agents, n, correct = FALSE)``).

    Notes
    -----
    A participant who left some action items blank counts as an agent when any answered one
    was done, and as not an agent only when every answered one was "never"; a participant
    who answered none is left out (not in ``n``).

    Examples
    --------
    >>> import evalkit
    >>> from evalkit.review import change_agents
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> change_agents(q, evalkit.bundled_sample("followup")).iloc[-1][["group", "n", "n_agents", "n_items"]]
    group       ALL
    n           179
    n_agents    133
    n_items       6
    Name: 10, dtype: object
    """
    items = [i for i in _behaviour_items(questionnaire, FOLLOWUP) if i.action is not None]
    if not items:
        raise EvalkitError(tr(_M["no_action"]))
    group, values = _answers(questionnaire, followup, items, strict)
    acted = _acted(items, values)
    answered = ~np.isnan(acted).all(axis=1)
    agent = np.where(answered, (np.nan_to_num(acted) > 0).any(axis=1), np.nan)
    frame = pd.DataFrame({"group": group.to_numpy(), "agent": agent.astype(float)})
    table = _with_all(stats.proportion_by_group, frame, [], value="agent", confidence=confidence)
    table = table.rename(columns={"successes": "n_agents", "estimate": "share"}).assign(n_items=len(items))
    return _order(table)[CHANGE_AGENT_COLUMNS]
