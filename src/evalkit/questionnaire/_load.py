"""Loading a questionnaire file: YAML with line marks -> validated :class:`Questionnaire`."""

from __future__ import annotations

from pathlib import Path

from ._builder import Builder
from ._model import Questionnaire
from ._yamlmarks import load_with_marks


def load_questionnaire(path: str | Path) -> Questionnaire:
    """Load and validate a questionnaire YAML file.

    Every problem is collected before raising, each as
    ``FILE:LINE: key path: what is wrong; what is allowed``.

    Parameters
    ----------
    path : str or Path
        The YAML file (loaded with ``yaml.SafeLoader``: no Python objects are built).

    Returns
    -------
    Questionnaire

    Raises
    ------
    QuestionnaireError
        Listing every problem found.

    Examples
    --------
    >>> import evalkit
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> q.id
    'ham_awareness'
    """
    path = Path(path)
    data, marks, duplicate_keys = load_with_marks(path)
    return Builder(path, data, marks, duplicate_keys).build()


