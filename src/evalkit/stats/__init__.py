"""Statistics of pre/post evaluations: paired tests, gains, reliability, item analysis.

Every function is pure (no I/O, inputs never mutated) and tested against R.
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
    mcnemar,
    point_biserial,
)
from ._multitest import p_adjust
from ._paired import paired, paired_by_group
from ._reliability import cronbach_alpha, item_total, omega_total

# For the other evalkit packages, not the public API: the array kernels behind the
# DataFrame functions, and the helpers they share.
from ._cells import BLOCK_ROWS, cell_statistics
from ._common import SIDE_BY_SIDE_ROWS, safe_divide, side_by_side

__all__ = [
    "AncovaResult",
    "ancova",
    "bootstrap_mean_diff",
    "classify_change",
    "cronbach_alpha",
    "d_z_ci",
    "discrimination_index",
    "distractor_counts",
    "g_av_ci",
    "item_difficulty",
    "item_total",
    "kruskal",
    "mcnemar",
    "normalized_gain",
    "normalized_gain_by_group",
    "omega_total",
    "p_adjust",
    "paired",
    "paired_by_group",
    "pairwise",
    "point_biserial",
    "reliable_change",
]
