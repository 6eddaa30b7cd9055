"""The questionnaire: the model the pipeline reads (items, scales, groups, waves) and its
loading from YAML, validated with ``FILE:LINE`` messages, and its fingerprint. The YAML
reader that remembers lines (``load_with_marks``) serves other YAML inputs too (the
roll-up's catalogue).

See ``docs/questionnaire-format.md`` for the format.
"""

from ._fingerprint import fingerprint
from ._load import load_questionnaire
from ._yamlmarks import format_path, line_of, load_with_marks
from ._model import (ACTIONS, ITEM_TYPES, LEVELS, MULTI_SCORINGS, SCORINGS, TRUE_FALSE_ALIASES, TRUE_FALSE_CODES, WAVES,
                     Item, Option, Questionnaire, Scale)

__all__ = [
    "ACTIONS", "ITEM_TYPES", "LEVELS", "MULTI_SCORINGS", "SCORINGS", "TRUE_FALSE_ALIASES", "TRUE_FALSE_CODES", "WAVES",
    "Item", "Option", "Questionnaire", "Scale", "fingerprint", "format_path", "line_of", "load_questionnaire",
    "load_with_marks",
]
