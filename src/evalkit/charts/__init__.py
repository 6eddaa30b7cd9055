"""Charts a ministry can print: A4-sized, 300 dpi, Indonesian labels by default.

Every function takes a tidy results table (from :class:`evalkit.Analysis` or
:mod:`evalkit.report`) and the questionnaire (for labels), draws on ``ax`` (or a new
Axes on a new A4-width figure) and returns the Axes; :func:`small_multiples` returns a
Figure. Nothing calls ``plt.show()`` or changes global settings. Colours come from the
Okabe–Ito palette, readable with the common forms of colour blindness and in greyscale.
:func:`network_chart` draws the groups' cooperation network before and after the training.

Groups with fewer than ``min_group_size`` participants are never drawn alone; the rule is
the one of the report tables (:func:`evalkit.privacy.find_suppressed`, including
its complementary step) and the chart carries a note saying so. No chart shows a
participant code: individual participants appear only as unlabelled points or lines.

The roll-up charts (:func:`training_forest`, :func:`caterpillar`, :func:`funnel`,
:func:`province_multiples`, :func:`year_trend`) draw the tables of
:class:`evalkit.rollup.RollUp` and stay readable at thousands of groups.
"""

from ._base import A4_FULL_WIDTH, A4_HALF_WIDTH, A4_MAX_HEIGHT, DPI, LIKERT_COLOURS, PALETTE
from ._gains import criteria_effects, gain_forest, prepost, save, small_multiples, style
from ._items import item_heatmap, likert_bars
from ._network import network_chart
from ._people import paired_lines, participant_flow, reliable_change
from ._rollup import caterpillar, funnel, province_multiples, training_forest, year_trend
from ._waves import retention_lines
from ..privacy import MIN_GROUP_SIZE

__all__ = ["A4_FULL_WIDTH", "A4_HALF_WIDTH", "A4_MAX_HEIGHT", "DPI", "LIKERT_COLOURS", "MIN_GROUP_SIZE", "PALETTE",
           "caterpillar", "criteria_effects", "funnel", "gain_forest", "item_heatmap", "likert_bars", "network_chart",
           "paired_lines",
           "participant_flow", "prepost", "province_multiples", "reliable_change", "retention_lines", "save", "small_multiples",
           "style", "training_forest", "year_trend"]
