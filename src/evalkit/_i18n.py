"""Language of user-facing text (Indonesian by default, English on request).

Each module keeps its own templates next to the code that uses them, as
``{"id": "...", "en": "..."}`` dictionaries, and formats them with :func:`tr`. A message
(an error or a warning: the module's ``_M`` table and its ``MSG_*`` constants) also has a
stable ``"code"`` such as ``"EK-IO-001"`` (see docs/messages.md); :func:`tr` returns it as
a :class:`Message`, a ``str`` that carries the code, and evalkit's errors and warnings show it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping

from ._errors import EvalkitError

LANGUAGES = ("id", "en")
_state = {"language": None}
_M = {
    "language": {"code": "EK-LANG-001", "id": "Parameter 'language' harus salah satu dari {allowed}; diberikan {found!r}.",
                 "en": "The 'language' parameter must be one of {allowed}; got {found!r} instead."},
}


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
        raise EvalkitError(tr(_M["language"], allowed=list(LANGUAGES), found=language))
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


class Message(str):
    """The text of a coded message: a ``str`` whose ``code`` (``"EK-IO-001"``) says which
    message it is, whatever the language. (Text made from it is a plain ``str``: code that
    wraps a message in more text passes the code on itself, ``Message(text, m.code)``.)

    Examples
    --------
    >>> m = Message("Berkas tidak ditemukan.", "EK-IO-001")
    >>> (m.code, str(m))
    ('EK-IO-001', 'Berkas tidak ditemukan.')
    """

    code: str | None

    def __new__(cls, text: str, code: str | None = None) -> Message:
        self = super().__new__(cls, text)
        self.code = code
        return self

    def __reduce__(self):  # pickles (worker processes) keep the code
        return Message, (str(self), self.code)


def code_of(text: object) -> str | None:
    """The code a message carries (None for plain text)."""
    return getattr(text, "code", None)


def tr(template: Mapping[str, str], /, lang: str | None = None, **values: object) -> str:
    """Format a ``{"id": ..., "en": ...}`` template in the active language; a template
    with a ``"code"`` (a message) gives a :class:`Message` carrying it."""
    text = template[lang or get_language()]
    text = text.format(**values) if values else text
    return Message(text, template["code"]) if "code" in template else text


def located(template: Mapping[str, str], /, what: str, lang: str | None = None, **values: object) -> str:
    """``tr(template, what=what, **values)`` for a template that says where (file, line,
    key) a message ``what`` applies: the result keeps ``what``'s code.

    Examples
    --------
    >>> where = {"id": "{file}:{line}: {what}", "en": "{file}:{line}: {what}"}
    >>> located(where, Message("kunci tidak dikenal", "EK-QN-002"), file="k.yaml", line=3).code
    'EK-QN-002'
    """
    text = tr(template, lang, what=what, **values)
    code = code_of(what) or code_of(text)
    return Message(text, code) if code else text
