"""Language of user-facing text (Indonesian by default, English on request).

Each module keeps its own message templates next to the code that uses them, as
``{"id": "...", "en": "..."}`` dictionaries, and formats them with :func:`tr`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping

LANGUAGES = ("id", "en")
_state = {"language": None}


def get_language() -> str:
    """Return the active language code: ``set_language`` > ``EVALKIT_LANG`` > ``"id"``."""
    lang = _state["language"] or os.environ.get("EVALKIT_LANG", "id")
    return lang if lang in LANGUAGES else "id"


def set_language(language: str) -> None:
    """Set the language of messages, charts and reports (``"id"`` or ``"en"``).

    Examples
    --------
    >>> import evalkit
    >>> evalkit.set_language("en")
    >>> evalkit.set_language("id")
    """
    if language not in LANGUAGES:
        raise ValueError(
            f"The 'language' parameter must be one of {list(LANGUAGES)}; got {language!r} instead."
        )
    _state["language"] = language


@contextlib.contextmanager
def language(lang: str) -> Iterator[None]:
    """Temporarily switch the language (a context manager)."""
    old = _state["language"]
    set_language(lang)
    try:
        yield
    finally:
        _state["language"] = old


def tr(template: Mapping[str, str], /, lang: str | None = None, **values: object) -> str:
    """Format a ``{"id": ..., "en": ...}`` template in the active language."""
    text = template[lang or get_language()]
    return text.format(**values) if values else text
