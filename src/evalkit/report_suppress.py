"""Old import path of small-group suppression, kept working: the code lives in :mod:`evalkit.privacy`
(the rule) and :mod:`evalkit.report` (the report's tables)."""

from .privacy import FLAG, MIN_GROUP_SIZE, find_suppressed, suppress
from .report import report_tables

__all__ = ["FLAG", "MIN_GROUP_SIZE", "find_suppressed", "report_tables", "suppress"]
