"""Exceptions and warnings raised for users' mistakes.

Every class subclasses :class:`ValueError` so that generic callers can catch it,
while the CLI catches :class:`EvalkitError` and prints its message without a traceback.
Errors and warnings made from a coded message (:class:`evalkit._i18n.Message`) have its
``code`` and show it in their text: ``[EK-IO-001] data/pre.csv: berkas tidak ditemukan.``
"""

from __future__ import annotations


def _with_code(text: object) -> tuple[str | None, str]:
    """``(code, text showing the code)`` of a message; the code is shown once (a text
    re-issued from another message's text may already show it)."""
    code = getattr(text, "code", None)
    text = str(text)
    return code, (text if not code or f"[{code}]" in text else f"[{code}] {text}")


class EvalkitError(ValueError):
    """Base class of every error evalkit raises for a user's mistake.

    ``code`` is the message's code (``"EK-IO-001"``), shown at the start of the text.
    """

    def __init__(self, message: object = "", *args: object):
        self.code, text = _with_code(message)
        super().__init__(text, *args)


class ProblemsError(EvalkitError):
    """An input file has mistakes; ``problems`` lists every message (each line of the text
    shows its problem's code; ``code`` is the first problem's)."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        lines = [_with_code(p)[1] for p in self.problems]
        super().__init__("\n".join(lines))
        self.code = next(filter(None, (getattr(p, "code", None) for p in self.problems)), None)


class QuestionnaireError(ProblemsError):
    """The questionnaire YAML is malformed; ``problems`` lists every message."""


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
    """A result was computed but needs the analyst's attention.

    ``code`` is the message's code, shown at the start of the text (as for errors).
    """

    def __init__(self, message: object = "", *args: object):
        self.code, text = _with_code(message)
        super().__init__(text, *args)


class UndefinedStatisticWarning(EvalkitWarning):
    """A statistic is undefined for these data and was set to NaN (never ±inf).

    The message names the statistic and the cell (group, pair of groups, item or scale).
    """
