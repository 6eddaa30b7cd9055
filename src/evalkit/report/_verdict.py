"""Did the training reach its success criteria? Verdicts and recommendations from the numbers.

Tables only, no wording: :func:`criteria_table` gives one row per success criterion with
its verdict, :func:`group_criteria` one row per group × criterion, and :func:`findings`
the facts each recommendation rests on. The report words them (``_outline.py``) and the
method chapter states the rule with the same constants, so text and rule cannot drift.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._constants import ALL_GROUPS
from .._significance import ALPHA, significant_rise
from ..privacy import FLAG

#: "tercapai" (achieved) needs a significant gain in at least this share of the groups shown.
ACHIEVED_SHARE = 0.75
#: Knowledge items answered correctly by fewer than this share after the training are "not landed".
ITEM_LANDED = 0.60
#: Reliability (Cronbach's alpha) below this, at pre or post, is "low".
LOW_ALPHA = 0.70
#: Share of pre-test participants without a post-test above which attrition is "high".
HIGH_ATTRITION = 0.20
VERDICTS = ("achieved", "partly", "not_yet")


def default_criteria(q) -> tuple[str, ...]:
    """Every scale measured before and after, in questionnaire order."""
    return tuple(s.id for s in q.scales if {"pre", "post"} <= set(s.waves))


def _shown(gains: pd.DataFrame) -> pd.DataFrame:
    """Group rows that may be shown and have a gain."""
    return gains[(gains["group"] != ALL_GROUPS) & ~gains[FLAG].fillna(False).astype(bool)
                 & gains["mean_diff"].notna()]


def significant(rows: pd.DataFrame) -> pd.Series:
    """A significant rise under the report's one rule (:mod:`evalkit._significance`):
    Holm p < ALPHA for a group, p < ALPHA (the 95% CI excludes zero) for all groups together."""
    return significant_rise(rows)


def criteria_table(gains: pd.DataFrame, criteria: tuple[str, ...]) -> pd.DataFrame:
    """One row per criterion: pooled before/after, gain with CI, d_z, groups, verdict.

    The verdict rule (stated in the method chapter):

    - ``achieved``: the pooled gain is a significant rise (its 95% CI lies above zero) and it is
      significant (Holm) in at least ``ACHIEVED_SHARE`` of the groups shown;
    - ``partly``: the pooled gain is a significant rise but fewer groups gained significantly;
    - ``not_yet``: otherwise (the pooled CI includes zero or lies below it).

    Examples
    --------
    >>> import evalkit
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> g = evalkit.gains(q, evalkit.bundled_sample("pre"), evalkit.bundled_sample("post"))
    >>> criteria_table(g.assign(suppressed=False), ("pengetahuan",))["verdict"].tolist()
    ['achieved']
    """
    shown = _shown(gains[gains["scale"].isin(criteria)])
    counts = (shown.assign(sig=significant(shown)).groupby("scale")
              .agg(groups_shown=("group", "size"), groups_significant=("sig", "sum")))
    pooled = gains[(gains["group"] == ALL_GROUPS) & gains["scale"].isin(criteria)].set_index("scale")
    columns = ["n", "mean_pre", "mean_post", "mean_diff", "ci_low", "ci_high", "d_z", "d_z_ci_low", "d_z_ci_high"]
    out = (pooled.reindex(list(criteria))[columns].join(counts)
           .fillna({"groups_shown": 0, "groups_significant": 0}).reset_index())
    out[["groups_shown", "groups_significant"]] = out[["groups_shown", "groups_significant"]].astype(int)
    above = significant(out.assign(group=ALL_GROUPS, p=pooled.reindex(list(criteria))["p"].to_numpy(), p_holm=np.nan))
    enough = (out["groups_shown"] == 0) | (out["groups_significant"] >= ACHIEVED_SHARE * out["groups_shown"])
    out["verdict"] = np.select([above & enough, above], ["achieved", "partly"], "not_yet")
    return out


def group_criteria(gains: pd.DataFrame, criteria: tuple[str, ...]) -> pd.DataFrame:
    """One row per shown group × criterion: ``group, scale, n, mean_diff, d_z, significant``."""
    shown = _shown(gains[gains["scale"].isin(criteria)])
    return shown.assign(significant=significant(shown))[["group", "scale", "n", "mean_diff", "d_z", "significant"]]


def findings(tables: dict, criteria: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    """The facts behind the recommendations, each a small table (empty when nothing to say).

    - ``groups``: groups with a significant gain in fewer than half of the criteria, or
      whose mean d_z over the criteria is lowest (the bottom fifth), weakest first;
    - ``items``: knowledge items answered correctly by fewer than ``ITEM_LANDED`` after;
    - ``reliability``: scales with Cronbach's alpha below ``LOW_ALPHA`` at pre or post;
    - ``attrition``: per wave, the share of pre-test participants without a post-test,
      when above ``HIGH_ATTRITION``.
    """
    per_group = group_criteria(tables["gains"], criteria)
    summary = per_group.groupby("group").agg(significant=("significant", "sum"), criteria=("scale", "size"),
                                             d_z=("d_z", "mean"))
    low_dz = summary["d_z"] <= summary["d_z"].quantile(0.2) if len(summary) >= 5 else False
    weak = summary[(summary["significant"] < summary["criteria"] / 2) | low_dz].sort_values("d_z")
    items = tables["item_correct"]
    items = items[(items["group"] == ALL_GROUPS) & (items["share_post"] < ITEM_LANDED)]
    rel = tables.get("reliability")
    low_rel = (rel[rel["scale"].isin(criteria) & (rel["alpha"] < LOW_ALPHA)]
               if rel is not None and len(rel) else pd.DataFrame(columns=["scale", "wave", "alpha"]))
    flow = tables["flow"]
    read = flow[(flow["stage"] == "read") & (flow["wave"] == "pre")]["n"].sum()
    lost = flow[(flow["stage"] == "unmatched") & (flow["wave"] == "pre")]["n"].sum()
    share = lost / read if read else np.nan
    attrition = pd.DataFrame({"read": [read], "unmatched": [lost], "share": [share]})
    return {"groups": weak.reset_index(), "items": items[["item", "share_pre", "share_post"]],
            "reliability": low_rel[["scale", "wave", "alpha"]],
            "attrition": attrition[attrition["share"] > HIGH_ATTRITION]}
