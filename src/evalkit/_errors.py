"""Exceptions and warnings raised for users' mistakes.

Every class subclasses :class:`ValueError` so that generic callers can catch it,
while the CLI catches :class:`EvalkitError` and prints its message without a traceback.
"""

from __future__ import annotations


class EvalkitError(ValueError):
    """Base class of every error evalkit raises for a user's mistake."""


class QuestionnaireError(EvalkitError):
    """The questionnaire YAML is malformed; ``problems`` lists every message."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class ReportInfoError(QuestionnaireError):
    """The report metadata file (``laporan.yaml``) is malformed; ``problems`` lists every message."""


class DataError(EvalkitError):
    """An answer file does not fit the questionnaire.

    ``problems`` is a DataFrame with one row per problem
    (``file, row, column, value, problem, allowed``).
    """

    def __init__(self, message: str, problems=None):
        self.problems = problems
        super().__init__(message)


class OutputError(EvalkitError):
    """An output path would overwrite or delete something evalkit did not write
    (see :mod:`evalkit._outputs`); nothing was written."""


class EvalkitWarning(UserWarning):
    """A result was computed but needs the analyst's attention."""


class UndefinedStatisticWarning(EvalkitWarning):
    """A statistic is undefined for these data and was set to NaN (never ±inf).

    The message names the statistic and the cell (group, pair of groups, item or scale).
    """
