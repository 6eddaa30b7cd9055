"""Statistics a reviewer asks for: reliability, item analysis, group comparison, change, attrition,
and after the training what participants did (behaviour) and the network they built.

Pipeline-level wrappers over the pure kernels of :mod:`evalkit.stats`: each function takes
the questionnaire and the answers (or the matched table of :func:`evalkit.analyze`) and
returns tidy DataFrames, one row per scale, item, group or participant. Formulas, defaults
and references are in ``docs/statistics.md``.

Shared rules:

* only rows with status ``ok`` are used, and a participant who submitted twice in one wave
  counts once (the last submission, the rule of :mod:`evalkit.pipeline`);
* reverse-keyed Likert items are reversed and knowledge items scored 0/1 (partial credit
  for multi-select items) by :func:`evalkit.pipeline.item_scores` first;
* missing answers: on knowledge (``percent_correct``) scales a blank is wrong (0), the rule
  of the score, for every row that has a scale score (the others are dropped and counted);
  on other scales listwise deletion per scale (the rows dropped are counted); distractor
  shares are over the answers given;
* a degenerate case (single-item scale, zero variance, fewer than two groups) gives NaN
  with an :class:`~evalkit.EvalkitWarning` naming the scale, never a crash.
"""

from ._behaviour import (BEHAVIOUR_COLUMNS, BEHAVIOUR_FREQUENCY_COLUMNS, CHANGE_AGENT_COLUMNS, behaviour_frequencies,
                         behaviour_shares, change_agents)
from ._common import ALL
from ._groups import (ADJUSTED_MEANS_COLUMNS, ANCOVA_COLUMNS, ATTRITION_COLUMNS, CHANGE_COLUMNS,
                      CHANGE_SUMMARY_COLUMNS, KRUSKAL_COLUMNS, PAIRWISE_COLUMNS, GroupComparison, attrition,
                      change_summary, compare_groups, individual_change)
from ._items import (ITEM_ANALYSIS_COLUMNS, ITEM_CHANGE_COLUMNS, TOO_EASY, TOO_HARD, UPPER_LOWER_FRACTION,
                     item_analysis, item_change)
from ._retention import (FRIEDMAN_COLUMNS, MIXED_COLUMNS, RETENTION_CONTRAST_COLUMNS,
                         RETENTION_MEANS_COLUMNS, RETENTION_RATIO_COLUMNS, Retention, retention)
from ._network import (NETWORK_CHANGE_COLUMNS, NETWORK_INSTITUTION_COLUMNS, NETWORK_SUMMARY_COLUMNS, NETWORK_WAVES,
                       NetworkReview, network_review)
from ._scales import ITEM_STATISTICS_COLUMNS, RELIABILITY_COLUMNS, item_statistics, reliability

__all__ = [
    "ADJUSTED_MEANS_COLUMNS", "ALL", "ANCOVA_COLUMNS", "ATTRITION_COLUMNS", "BEHAVIOUR_COLUMNS",
    "BEHAVIOUR_FREQUENCY_COLUMNS", "CHANGE_AGENT_COLUMNS", "CHANGE_COLUMNS",
    "CHANGE_SUMMARY_COLUMNS", "GroupComparison", "ITEM_ANALYSIS_COLUMNS", "ITEM_CHANGE_COLUMNS",
    "ITEM_STATISTICS_COLUMNS", "KRUSKAL_COLUMNS", "NETWORK_CHANGE_COLUMNS", "NETWORK_INSTITUTION_COLUMNS",
    "NETWORK_SUMMARY_COLUMNS", "NETWORK_WAVES", "NetworkReview", "PAIRWISE_COLUMNS", "RELIABILITY_COLUMNS",
    "TOO_EASY", "TOO_HARD", "UPPER_LOWER_FRACTION", "attrition", "behaviour_frequencies", "behaviour_shares",
    "change_agents", "change_summary", "compare_groups", "individual_change", "item_analysis", "item_change",
    "item_statistics", "network_review", "reliability", "retention", "Retention", "RETENTION_MEANS_COLUMNS",
    "RETENTION_CONTRAST_COLUMNS", "RETENTION_RATIO_COLUMNS", "FRIEDMAN_COLUMNS", "MIXED_COLUMNS",
]
