"""The network (jejaring) chart: the training's groups as nodes and their cooperation as
edges, before the training and at the follow-up, side by side.

Draws the tables of :func:`evalkit.review.network_review`; the layout and drawing are
networkx's, on matplotlib Axes.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .._constants import ALL_GROUPS
from .._i18n import tr
from .._lazy import LazyModule
from .._numbers import number
from ..privacy import MIN_GROUP_SIZE, find_suppressed
from ..questionnaire import Questionnaire
from ._base import _RC, A4_FULL_WIDTH, PALETTE, _T, _empty, _note, _styled, _title, _wrap

nx = LazyModule("networkx")  # imported when the chart is drawn, not with evalkit

_WAVES = ("pre", "followup")
_EDGE_COLOURS = {"pre": PALETTE["pre"], "followup": PALETTE["post"]}
_N = {
    "title": {"id": "Jejaring kerja sama antarkelompok: sebelum pelatihan dan saat tindak lanjut",
              "en": "Cooperation network between the groups: before the training and at the follow-up"},
    "pre": {"id": "Sebelum pelatihan (pre-test)", "en": "Before the training (pre-test)"},
    "followup": {"id": "Tindak lanjut (setelah pelatihan)", "en": "Follow-up (after the training)"},
    "stats": {"id": "kepadatan {density} · {ties} ikatan per peserta",
              "en": "density {density} · {ties} ties per participant"},
    "note": {"id": "Titik: kelompok (makin besar, makin banyak responden); garis: kedua kelompok bekerja sama "
                   "(makin tebal, makin banyak peserta yang menyebutnya). Kepadatan: bagian pasangan kelompok "
                   "yang bekerja sama.",
             "en": "Dots: groups (larger: more respondents); lines: the two groups worked together (thicker: "
                   "more participants named it). Density: the share of group pairs that worked together."},
}


def _hidden_groups(summary: pd.DataFrame, k: int) -> set:
    """Groups under the small-group rule at either wave: drawn in neither panel."""
    hidden = find_suppressed(summary, k=k, n="n", by=("wave",))
    return set(summary.loc[hidden & (summary["group"] != ALL_GROUPS), "group"])


def _axes(axes):
    if axes is not None:
        return list(axes)
    fig, pair = plt.subplots(1, 2, figsize=(A4_FULL_WIDTH, 3.9), layout="constrained")
    fig._evalkit_own = True
    return list(pair)


def _panel(ax, graph, layout, summary: pd.DataFrame, edges: pd.DataFrame, wave: str, lang: str) -> None:
    nodes = summary[(summary["wave"] == wave) & summary["group"].isin(list(graph.nodes))].set_index("group")["n"]
    drawn = graph.subgraph(nodes.index).copy()
    here = edges[(edges["wave"] == wave) & edges["group_a"].isin(nodes.index) & edges["group_b"].isin(nodes.index)]
    drawn.add_weighted_edges_from(here[["group_a", "group_b", "n_ties"]].itertuples(index=False))
    sizes = 60 + 500 * np.sqrt(nodes.to_numpy(float) / max(float(nodes.max()), 1.0))
    nx.draw_networkx_nodes(drawn, layout, nodelist=list(nodes.index), node_size=sizes,
                           node_color=PALETTE["accent"], edgecolors=PALETTE["all"], linewidths=0.6, ax=ax)
    weights = [1.0 + 1.5 * np.log1p(w) for *_, w in drawn.edges(data="weight")]
    nx.draw_networkx_edges(drawn, layout, edgelist=list(drawn.edges), width=weights,
                           edge_color=_EDGE_COLOURS[wave], ax=ax)
    nx.draw_networkx_labels(drawn, layout, labels={g: g for g in nodes.index}, font_size=6.5, ax=ax)
    pooled = summary[(summary["wave"] == wave) & (summary["group"] == ALL_GROUPS)]
    heading = tr(_N[wave], lang)
    if len(pooled):
        heading += "\n" + tr(_N["stats"], lang, density=number(pooled["density"].iloc[0], 2, lang=lang),
                             ties=number(pooled["ties_per_participant"].iloc[0], 2, lang=lang))
    ax.set_title(heading, loc="left", fontsize=_RC["axes.titlesize"] - 1)
    ax.set_axis_off()


@_styled
def network_chart(review: Any, questionnaire: Questionnaire, *, axes=None, min_group_size: int = MIN_GROUP_SIZE,
                  lang: str | None = None):
    """The groups' cooperation network before the training and at the follow-up, side by side.

    Parameters
    ----------
    review : NetworkReview
        :func:`evalkit.review.network_review`'s result (its ``summary`` and ``edges``).
    questionnaire : Questionnaire
        For the group list (the nodes) and its order.
    axes : pair of matplotlib Axes, optional
        Where to draw before and after; default a new A4-width figure with two panels.
    min_group_size : int, default 5
        A group with fewer respondents at either wave (or hidden by the complementary rule
        of :func:`evalkit.privacy.find_suppressed`) has no node and no edge in either panel.
    lang : {"id", "en"}, optional
        Labels' language; default the current one.

    Returns
    -------
    list of two matplotlib Axes

    Examples
    --------
    >>> import evalkit
    >>> from evalkit.charts import network_chart
    >>> from evalkit.review import network_review
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> r = network_review(q, evalkit.bundled_sample("pre"), evalkit.bundled_sample("followup"))
    >>> before, after = network_chart(r, q)
    >>> len(before.collections[0].get_offsets())  # ten groups, one node each
    10
    """
    pair = _axes(axes)
    summary, edges = review.summary, review.edges
    hidden = _hidden_groups(summary, min_group_size)
    groups = [g.code for g in questionnaire.groups if g.code not in hidden]
    groups += sorted(set(summary["group"]) - set(groups) - hidden - {ALL_GROUPS})  # not listed: after the list
    if not groups:
        for ax in pair:
            _empty(ax, lang)
        return pair
    graph = nx.Graph()
    graph.add_nodes_from(groups)
    layout = nx.circular_layout(graph)  # the same place for a group in both panels
    for ax, wave in zip(pair, _WAVES):
        _panel(ax, graph, layout, summary, edges, wave, lang)
        ax.set_aspect("equal")
        ax.margins(0.12)
    note = tr(_N["note"], lang)
    if hidden:
        note += " " + tr(_T["suppressed"], lang, n=len(hidden), k=min_group_size)
    fig = pair[0].figure
    if getattr(fig, "_evalkit_own", False):  # title and note across both panels, in the layout
        _title(pair[0], tr(_N["title"], lang))
        fig.supxlabel(_wrap(note, pair[0], fontsize=7, share=0.97), x=0.01, ha="left", fontsize=7, style="italic")
    else:  # on a caller's Axes the panels' titles suffice
        _note(pair[0], note, points=8)
    return pair
