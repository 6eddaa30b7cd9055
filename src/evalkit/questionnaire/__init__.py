"""The questionnaire: the model the pipeline reads (items, scales, groups, waves) and its
loading from YAML, validated with ``FILE:LINE`` messages.

See ``docs/questionnaire-format.md`` for the format.
"""

from ._fingerprint import fingerprint
from ._load import load_questionnaire
from ._model import (ITEM_TYPES, LEVELS, MULTI_SCORINGS, SCORINGS, TRUE_FALSE_ALIASES, TRUE_FALSE_CODES, WAVES,
                     Item, Option, Questionnaire, Scale)

__all__ = [
    "ITEM_TYPES", "LEVELS", "MULTI_SCORINGS", "SCORINGS", "TRUE_FALSE_ALIASES", "TRUE_FALSE_CODES", "WAVES",
    "Item", "Option", "Questionnaire", "Scale", "fingerprint", "load_questionnaire",
]
