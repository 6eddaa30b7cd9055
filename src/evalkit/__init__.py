"""evalkit: pre/post evaluation of human-rights (HAM) community trainings.

From a questionnaire in YAML and the answer files field teams have, to validated
and scored answers, matched pre/post pairs, gains per group with trustworthy
statistics, charts and a report draft.

Plotting and report libraries are imported only when used.
"""

from . import stats
from ._errors import (
    DataError,
    EvalkitError,
    EvalkitWarning,
    OutputError,
    QuestionnaireError,
    ReportInfoError,
    UndefinedStatisticWarning,
)
from ._i18n import get_language, set_language
from .config import config_context, get_config, set_config
from ._resources import bundled_questionnaire, bundled_report_info, bundled_sample
from ._constants import ALL_GROUPS
from .analysis import Analysis, analyze
from .pipeline import gains
from .io import Responses, read_responses
from .questionnaire import Item, Questionnaire, Scale, load_questionnaire
from .review import item_analysis, reliability
from .pipeline import score
from .rollup import rollup
from .simulate import simulate

__version__ = "0.1.0"

__all__ = [
    "ALL_GROUPS",
    "Analysis",
    "DataError",
    "EvalkitError",
    "EvalkitWarning",
    "Item",
    "OutputError",
    "Questionnaire",
    "QuestionnaireError",
    "ReportInfoError",
    "Responses",
    "Scale",
    "UndefinedStatisticWarning",
    "analyze",
    "bundled_questionnaire",
    "bundled_report_info",
    "bundled_sample",
    "config_context",
    "gains",
    "get_config",
    "get_language",
    "item_analysis",
    "load_questionnaire",
    "read_responses",
    "reliability",
    "rollup",
    "score",
    "set_config",
    "set_language",
    "simulate",
    "stats",
]
