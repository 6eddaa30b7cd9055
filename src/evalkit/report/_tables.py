"""The tables that leave in a report: small groups suppressed, no participant codes."""

from __future__ import annotations

import pandas as pd

from .._constants import ALL_GROUPS
from ..privacy import FLAG, MIN_GROUP_SIZE, find_suppressed, hidden_from, suppress
from ._data import item_correct, likert_distribution, participant_flow
from ._followup import followup_tables


def report_tables(analysis, *, k: int = MIN_GROUP_SIZE, lang: str | None = None) -> dict[str, pd.DataFrame]:
    """Every table that leaves in a report, small groups suppressed, no participant codes.

    Per-participant tables (``matched``, ``change``) are not included; the ledger is (one
    row per input row: wave, row number, group, state — no code, no answer).
    """
    ids = ("scale", "level", "group", "n", "ci_level", "wave", "item")
    gains = analysis.gains
    gains = suppress(gains, find_suppressed(gains, k=k), keep=ids)
    post_only = analysis.post_only
    post_only = suppress(post_only, find_suppressed(post_only, k=k), keep=ids)
    reference = pd.concat([gains[["scale", "group", FLAG]], post_only[["scale", "group", FLAG]]])
    items = item_correct(analysis)
    items = suppress(items, find_suppressed(items, k=k, by=("scale", "item"), hidden=hidden_from(items, reference)),
                     keep=ids)
    likert = likert_distribution(analysis)
    likert = likert[likert["group"] == ALL_GROUPS]
    likert = suppress(likert, likert["n"] < k, keep=ids + ("point",))
    tables = {"gains": gains, "post_only": post_only, "item_correct": items, "likert": likert,
              "flow": participant_flow(analysis)}
    optional = {name: getattr(analysis, name, None) for name in (
        "reliability", "item_statistics", "item_analysis", "item_change", "ancova", "adjusted_means", "kruskal",
        "pairwise", "change_summary", "attrition")}
    optional = {name: t for name, t in optional.items() if isinstance(t, pd.DataFrame)}
    if "adjusted_means" in optional:
        t = optional["adjusted_means"]
        optional["adjusted_means"] = suppress(t, hidden_from(t, reference), keep=ids)
    if "change_summary" in optional:
        t = optional["change_summary"]
        optional["change_summary"] = suppress(t, find_suppressed(t, k=k, hidden=hidden_from(t, reference)),
                                              keep=ids)
    if "pairwise" in optional:
        t = optional["pairwise"]
        mask = (hidden_from(t.rename(columns={"group1": "group"}), reference)
                | hidden_from(t.rename(columns={"group2": "group"}), reference))
        optional["pairwise"] = suppress(t, mask, keep=ids + ("group1", "group2"))
    if "attrition" in optional:
        t = optional["attrition"]
        stats_cols = ["diff", "t", "df", "p"]
        if "n_dropouts" in t.columns:
            drop = find_suppressed(t, k=k, n="n_dropouts")
            t = suppress(t, drop, columns=["mean_dropouts", *stats_cols])
        if "n_completers" in t.columns:
            done = find_suppressed(t, k=k, n="n_completers", hidden=hidden_from(t, reference))
            t = suppress(t, done, columns=["mean_completers", *stats_cols])
        optional["attrition"] = t
    tables.update(optional)
    tables.update(followup_tables(analysis, k=k))
    tables["ledger_summary"] = analysis.ledger_summary
    tables["ledger"] = analysis.ledger
    problems = analysis.problems.copy()
    q = analysis.questionnaire
    private = {q.id_column, *q.personal_columns}
    if "value" in problems.columns and "column" in problems.columns:
        problems["value"] = problems["value"].where(~problems["column"].isin(private), "***")
    tables["data_quality"] = problems
    return tables
