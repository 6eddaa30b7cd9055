"""Numbers in report text as readers expect them.

Indonesian text uses a decimal comma and a point between thousands ("1.234,5"; "p < 0,001");
English text the other way round. Negative numbers get a true minus sign (U+2212), missing
values an en dash. Rounding happens here, for display only: tables keep full precision.
"""

from __future__ import annotations

import math

from ._i18n import get_language

MISSING = "–"
MINUS = "−"
_TO = {"id": "sampai", "en": "to"}


def _is_missing(x) -> bool:
    try:
        return x is None or math.isnan(float(x))
    except (TypeError, ValueError):
        return True


def number(x, digits: int = 1, *, lang: str | None = None, sign: bool = False) -> str:
    """Format ``x`` with ``digits`` decimals in the language's convention.

    Examples
    --------
    >>> number(1234.567, 2)
    '1.234,57'
    >>> number(-0.45, 2, lang="en")
    '−0.45'
    >>> number(12.34, sign=True)
    '+12,3'
    """
    if _is_missing(x):
        return MISSING
    lang = lang or get_language()
    x = float(x)
    text = f"{abs(x):,.{digits}f}"
    if lang == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    if float(text.replace(".", "").replace(",", "") or 0) == 0:
        return text  # a rounded zero has no sign
    if x < 0:
        return MINUS + text
    return ("+" + text) if sign else text


def integer(n, *, lang: str | None = None) -> str:
    """A count with the language's thousands separator: ``integer(1234) == '1.234'``."""
    return number(n, 0, lang=lang)


def percent(share, digits: int = 0, *, lang: str | None = None) -> str:
    """A share 0..1 as a percentage: ``percent(0.456) == '46%'``."""
    return MISSING if _is_missing(share) else number(100 * float(share), digits, lang=lang) + "%"


def p_value(p, *, lang: str | None = None, prefix: str = "p") -> str:
    """APA-style p: ``'p < 0,001'`` below 0.001, else three decimals (``'p = 0,023'``).

    Examples
    --------
    >>> p_value(0.0004)
    'p < 0,001'
    >>> p_value(0.0234, lang="en")
    'p = 0.023'
    """
    if _is_missing(p):
        return f"{prefix} = {MISSING}"
    if float(p) < 0.001:
        return f"{prefix} < {number(0.001, 3, lang=lang)}"
    return f"{prefix} = {number(p, 3, lang=lang)}"


def interval(low, high, digits: int = 1, *, lang: str | None = None) -> str:
    """A confidence interval in words: ``'8,1 sampai 16,5'`` / ``'8.1 to 16.5'``."""
    lang = lang or get_language()
    return f"{number(low, digits, lang=lang)} {_TO[lang]} {number(high, digits, lang=lang)}"


_MONTHS = {"id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
                  "Oktober", "November", "Desember"),
           "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December")}


def date_long(day, *, lang: str | None = None) -> str:
    """A date as an official letter writes it: ``'4 Desember 2026'`` / ``'4 December 2026'``.

    Examples
    --------
    >>> import datetime
    >>> date_long(datetime.date(2026, 12, 4))
    '4 Desember 2026'
    """
    lang = lang or get_language()
    return f"{day.day} {_MONTHS[lang][day.month - 1]} {day.year}"


def date_range(first, last, *, lang: str | None = None) -> str:
    """Training dates: ``'1–3 Desember 2026'``, ``'29 November – 2 Desember 2026'`` or one day.

    Examples
    --------
    >>> import datetime
    >>> date_range(datetime.date(2026, 12, 1), datetime.date(2026, 12, 3))
    '1–3 Desember 2026'
    """
    lang = lang or get_language()
    if last is None or last == first:
        return date_long(first, lang=lang)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{date_long(last, lang=lang)}"
    if first.year == last.year:
        return f"{first.day} {_MONTHS[lang][first.month - 1]} – {date_long(last, lang=lang)}"
    return f"{date_long(first, lang=lang)} – {date_long(last, lang=lang)}"
