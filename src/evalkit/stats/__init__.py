"""Statistics of pre/post evaluations: paired tests, gains, reliability, item analysis,
three waves, networks and the meta-analysis of roll-ups.

Every function is pure (no I/O, inputs never mutated) and tested against an independent
implementation (R, SciPy, networkx).
"""

from __future__ import annotations

from ._bootstrap import bootstrap_mean_diff
from ._change import classify_change, reliable_change
from ._effects import d_z_ci, g_av_ci
from ._gain import normalized_gain, normalized_gain_by_group
from ._groups import AncovaResult, ancova, kruskal, pairwise
from ._items import (
    discrimination_index,
    distractor_counts,
    item_difficulty,
    item_indices,
    mcnemar,
    point_biserial,
)
from ._meta import meta_analysis, meta_regression, meta_subgroups, paired_effect_sizes
from ._multitest import p_adjust
from ._network import network_density, network_edges, network_ties
from ._paired import paired, paired_by_group
from ._pooling import paired_from_sums, paired_sums
from ._proportions import proportion_by_group, wilson_ci
from ._reliability import cronbach_alpha, item_total, omega_total
from ._waves import friedman_by_group, mixed_waves, retention_ratio

# For the other evalkit packages, not the public API: the array kernels behind the
# DataFrame functions, and the helpers they share.
from ._cells import cell_statistics
from ._common import safe_divide, side_by_side
from ._groups import welch_t
from ._waves import FRIEDMAN_COLUMNS, MIXED_COLUMNS, RETENTION_COLUMNS
from ._reliability import ItemMatrix

__all__ = [
    "AncovaResult",
    "ancova",
    "bootstrap_mean_diff",
    "classify_change",
    "cronbach_alpha",
    "d_z_ci",
    "discrimination_index",
    "distractor_counts",
    "friedman_by_group",
    "g_av_ci",
    "item_difficulty",
    "item_indices",
    "item_total",
    "kruskal",
    "mcnemar",
    "meta_analysis",
    "meta_regression",
    "meta_subgroups",
    "mixed_waves",
    "network_density",
    "network_edges",
    "network_ties",
    "normalized_gain",
    "normalized_gain_by_group",
    "omega_total",
    "p_adjust",
    "paired",
    "paired_by_group",
    "paired_effect_sizes",
    "paired_from_sums",
    "paired_sums",
    "pairwise",
    "point_biserial",
    "proportion_by_group",
    "reliable_change",
    "retention_ratio",
    "wilson_ci",
]
