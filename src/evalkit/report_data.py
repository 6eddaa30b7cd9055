"""Old import path of the report's chart data, kept working: the code lives in :mod:`evalkit.report`."""

from .report import FLOW_STAGES, item_correct, likert_distribution, pairs, participant_flow

__all__ = ["FLOW_STAGES", "item_correct", "likert_distribution", "pairs", "participant_flow"]
