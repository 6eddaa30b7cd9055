"""Old import path of matching, kept working: the code lives in :mod:`evalkit.pipeline`."""

from .pipeline import STATES, fuzzy_pairs, ledger_summary, match_waves, normalize_codes, osa_distance

__all__ = ["STATES", "fuzzy_pairs", "ledger_summary", "match_waves", "normalize_codes", "osa_distance"]
