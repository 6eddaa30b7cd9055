"""Tidy tables the charts and the report draw from, computed from an :class:`Analysis`.

Numbers only, no drawing: every chart in :mod:`evalkit.charts` consumes one of these
tables (or a table of the analysis itself), so the numbers are tested without rendering.
No table here carries a participant code: rows are items, groups, answer points or stages.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._constants import ALL_GROUPS
from ..analysis import Analysis
from ..pipeline import item_scores

#: Stages of the participant flow, in order.
FLOW_STAGES = ("read", "empty", "invalid", "rejected", "duplicate", "unmatched", "matched", "analysed")


def pairs(analysis: Analysis) -> pd.DataFrame:
    """The input rows of each matched participant: ``group, participant, row_pre, row_post``.

    Read from the ledger: each used pre-test row carries its pseudonym (the one in
    ``analysis.matched``) and the row it was matched to (``pair_row``), fuzzy matches included.
    """
    ledger = analysis.ledger
    pre = ledger[(ledger["wave"] == "pre") & (ledger["state"] == "used")]
    return pd.DataFrame({"group": pre["group"].to_numpy(), "participant": pre["participant"].to_numpy(),
                         "row_pre": pre["row"].to_numpy(), "row_post": pre["pair_row"].to_numpy()}
                        ).astype({"row_pre": "Int64", "row_post": "Int64"})


def _matched_rows(analysis: Analysis, wave: str, scale: str, linked: pd.DataFrame | None = None) -> pd.DataFrame:
    """Input rows of ``wave`` belonging to participants with both scores of ``scale``."""
    linked = pairs(analysis) if linked is None else linked
    both = analysis.matched[(analysis.matched["scale"] == scale)].dropna(subset=["pre", "post"])
    rows = linked.merge(both[["group", "participant"]], on=["group", "participant"])[f"row_{wave}"]
    data = analysis.pre.data if wave == "pre" else analysis.post.data
    return data[data["row"].isin(rows.dropna().astype(int))]


def _with_all(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([frame, frame.assign(group=ALL_GROUPS)], ignore_index=True)


def item_correct(analysis: Analysis) -> pd.DataFrame:
    """Share answering each knowledge item correctly, per group, before and after.

    Over the participants with both scores of the item's scale (the ``n`` of the gains
    table, so suppression agrees); an unanswered item counts as wrong, as in the scale
    score. Columns: ``scale, item, group, n, share_pre, share_post, change, credit_pre,
    credit_post``, groups plus ``"ALL"``:

    - ``share_*``: share answering the item *fully* correctly (a multi-select item only
      when every option is right), the definition of the item analysis flags and McNemar;
      ``change = share_post - share_pre``;
    - ``credit_*``: mean item score, the partial credit the scale score uses (equal to
      ``share_*`` for single-answer items).
    """
    q = analysis.questionnaire
    columns = ["scale", "item", "group", "n", "share_pre", "share_post", "change", "credit_pre", "credit_post"]
    parts = []
    for scale in (s for s in q.scales if s.scoring == "percent_correct" and {"pre", "post"} <= set(s.waves)):
        items = [i.id for i in q.items_in(scale.id)]
        waves = {}
        linked = pairs(analysis)
        for wave, responses in (("pre", analysis.pre), ("post", analysis.post)):
            rows = _matched_rows(analysis, wave, scale.id, linked)["row"]
            scored = item_scores(q, responses)
            scored = _with_all(scored[scored["row"].isin(rows)][["group", *items]].fillna(0.0))
            full = scored[items].ge(1.0 - 1e-9).astype(float).assign(group=scored["group"])
            waves[f"credit_{wave}"] = scored.groupby("group")[items].mean().stack().rename(f"credit_{wave}")
            waves[f"share_{wave}"] = full.groupby("group")[items].mean().stack().rename(f"share_{wave}")
            waves["n"] = scored.groupby("group").size().rename("n")
        table = pd.concat([waves[c] for c in ("share_pre", "share_post", "credit_pre", "credit_post")],
                          axis=1).rename_axis(["group", "item"]).reset_index()
        table = table.merge(waves["n"].reset_index(), on="group")
        table["scale"] = scale.id
        parts.append(table)
    if not parts:
        return pd.DataFrame(columns=columns)
    out = pd.concat(parts, ignore_index=True)
    out["change"] = out["share_post"] - out["share_pre"]
    order = {i.id: k for k, i in enumerate(q.items)}
    out = out.sort_values(["item", "group"], key=lambda c: c.map(order) if c.name == "item"
                          else c.where(c != ALL_GROUPS, "\uffff"))
    return out[columns].reset_index(drop=True)


def likert_distribution(analysis: Analysis) -> pd.DataFrame:
    """How many chose each point of each Likert item, per wave and group (raw answers, not reversed).

    Pre/post scales count the participants with both scale scores; post-only scales
    (e.g. satisfaction) every used post-test row. Columns: ``scale, item, wave, group,
    point, count, n, share`` (``n`` answering the item; ``share = count / n``).
    """
    q = analysis.questionnaire
    parts = []
    linked = pairs(analysis)
    for scale in q.scales:
        items = [i for i in q.items_in(scale.id) if i.type == "likert"]
        if not items:
            continue
        for wave, responses in (("pre", analysis.pre), ("post", analysis.post)):
            if wave not in scale.waves or items[0].id not in responses.data.columns:
                continue
            if {"pre", "post"} <= set(scale.waves):
                rows = _matched_rows(analysis, wave, scale.id, linked)
            else:
                used = analysis.ledger[(analysis.ledger["wave"] == wave)
                                       & analysis.ledger["state"].isin(["used", "unmatched"])]["row"]
                rows = responses.data[responses.data["row"].isin(used)]
            long = _with_all(rows[["group"] + [i.id for i in items]]).melt(
                id_vars="group", var_name="item", value_name="point").dropna(subset=["point"])
            long["point"] = long["point"].astype(float)  # Likert answers are nullable integers
            counts = long.groupby(["item", "group", "point"]).size().rename("count").reset_index()
            points = max(i.points for i in items)
            full = pd.MultiIndex.from_product([[i.id for i in items], sorted(long["group"].unique()),
                                               np.arange(1.0, points + 1)], names=["item", "group", "point"])
            counts = counts.set_index(["item", "group", "point"]).reindex(full, fill_value=0).reset_index()
            counts["n"] = counts.groupby(["item", "group"])["count"].transform("sum")
            counts["share"] = counts["count"] / counts["n"].where(counts["n"] > 0)
            parts.append(counts.assign(scale=scale.id, wave=wave))
    columns = ["scale", "item", "wave", "group", "point", "count", "n", "share"]
    if not parts:
        return pd.DataFrame(columns=columns)
    out = pd.concat(parts, ignore_index=True)
    out["point"] = out["point"].astype(int)
    return out[columns]


def participant_flow(analysis: Analysis) -> pd.DataFrame:
    """From rows read to participants analysed, from the ledger.

    Columns ``stage, wave, scale, n``: ``read`` (rows in each file), the exclusions
    ``empty, invalid, rejected, duplicate, unmatched`` per wave, ``matched`` (pairs), and
    ``analysed`` per scale (pairs with both scale scores).
    """
    summary = analysis.ledger_summary
    rows = []
    for record in summary.to_dict("records"):
        rows.append(("read", record["wave"], "", int(record["rows_read"])))
        for state in ("empty", "invalid", "rejected", "duplicate", "unmatched"):
            rows.append((state, record["wave"], "", int(record.get(state, 0))))
    pairs = analysis.matched.drop_duplicates(["group", "participant"])
    rows.append(("matched", "both", "", len(pairs)))
    pooled = analysis.gains[analysis.gains["group"] == ALL_GROUPS]
    for record in pooled.to_dict("records"):
        rows.append(("analysed", "both", record["scale"], int(record["n"])))
    return pd.DataFrame(rows, columns=["stage", "wave", "scale", "n"])
