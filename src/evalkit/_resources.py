"""Locating the bundled questionnaire and sample files, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_SOURCE_ROOT = _PACKAGE.parent.parent  # src/evalkit -> repository root (editable installs)


def _find(packaged: str, in_source: str) -> Path:
    for candidate in (_PACKAGE / "_bundled" / packaged, _SOURCE_ROOT / in_source):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"bundled file not found: {packaged} (looked in the package and {_SOURCE_ROOT})")


def bundled_questionnaire() -> Path:
    """Path of the bundled HAM-awareness questionnaire (``surveys/ham_awareness.yaml``).

    Examples
    --------
    >>> import evalkit
    >>> evalkit.bundled_questionnaire().name
    'ham_awareness.yaml'
    """
    return _find("ham_awareness.yaml", "surveys/ham_awareness.yaml")


def bundled_sample(wave: str) -> Path:
    """Path of the bundled sample answer file of ``wave`` (``"pre"`` or ``"post"``).

    Examples
    --------
    >>> import evalkit
    >>> evalkit.bundled_sample("pre").name
    'pre.csv'
    """
    return _find(f"sample/{wave}.csv", f"data/sample/{wave}.csv")


def bundled_report_info() -> Path:
    """Path of the sample report metadata (``data/sample/laporan.yaml``) used by ``evalkit demo``.

    Examples
    --------
    >>> import evalkit
    >>> evalkit.bundled_report_info().name
    'laporan.yaml'
    """
    return _find("sample/laporan.yaml", "data/sample/laporan.yaml")
