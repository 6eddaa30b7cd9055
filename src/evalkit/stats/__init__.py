"""Statistics of pre/post evaluations: paired tests, gains, reliability, item analysis.

Every function is pure (no I/O, inputs never mutated) and tested against R.
"""

from __future__ import annotations

from ._gain import normalized_gain, normalized_gain_by_group
from ._multitest import p_adjust
from ._paired import paired, paired_by_group

__all__ = [
    "normalized_gain",
    "normalized_gain_by_group",
    "p_adjust",
    "paired",
    "paired_by_group",
]
