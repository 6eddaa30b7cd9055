"""The pipeline's stages: answers -> scores per participant and scale -> matched pre/post
pairs with a ledger of every row -> the long matched table -> gains per group and scale.

:func:`evalkit.analyze` (in :mod:`evalkit.analysis`) runs these stages and hands their
results to the reviews of :mod:`evalkit.review`.
"""

from ._gains import (GAIN_COLUMNS, Scored, gains, gains_table, long_frame, matched_long, post_only_table,
                     scored_pairs)
from ._matching import (STATES, find_pairs, fuzzy_pairs, latest_rows, ledger_summary, match_waves, normalize_codes,
                        osa_distance, positions)
from ._scoring import WaveScores, item_scores, score, score_wave
from ._waves import WAVES_COLUMNS, match_followup, stack_ledgers, waves_table

__all__ = [
    "GAIN_COLUMNS", "STATES", "Scored", "WAVES_COLUMNS", "WaveScores", "find_pairs", "fuzzy_pairs", "gains", "gains_table",
    "item_scores", "latest_rows", "ledger_summary", "long_frame", "match_followup", "match_waves", "matched_long",
    "normalize_codes", "osa_distance", "positions", "post_only_table", "score", "score_wave", "scored_pairs",
    "stack_ledgers", "waves_table",
]
