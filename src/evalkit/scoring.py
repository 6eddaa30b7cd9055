"""Old import path of scoring, kept working: the code lives in :mod:`evalkit.pipeline`."""

from .pipeline import item_scores, score

__all__ = ["item_scores", "score"]
