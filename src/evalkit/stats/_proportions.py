"""Proportions with Wilson score confidence intervals (e.g. the share who acted)."""

from __future__ import annotations

import warnings
from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd
from evalkit._lazy import scipy_special as special

from evalkit._errors import EvalkitError, EvalkitWarning
from evalkit._i18n import tr

from ._common import (
    as_float_array,
    check_confidence,
    check_frame,
    group_codes,
    group_sum,
    numeric_column,
    safe_divide,
)

PROPORTION_COLUMNS = ["n", "successes", "estimate", "ci_low", "ci_high", "ci_level"]

MSG_COUNTS = {"code": "EK-ST-045",
    "id": "Parameter 'successes' dan 'n' harus bilangan bulat dengan 0 <= successes <= n; "
    "pada posisi {position} diberikan successes={successes!r}, n={n!r}.",
    "en": "The 'successes' and 'n' parameters must be integers with 0 <= successes <= n; "
    "got successes={successes!r}, n={n!r} at position {position} instead.",
}
MSG_SHAPES = {"code": "EK-ST-046",
    "id": "Parameter 'successes' dan 'n' harus sama panjang; diberikan {n1} dan {n2}.",
    "en": "The 'successes' and 'n' parameters must have the same length; got {n1} and {n2} instead.",
}
MSG_NOT_BINARY = {"code": "EK-ST-047",
    "id": "Kolom {column!r} harus berisi 0/1 atau True/False; baris {row} berisi {value!r}.",
    "en": "Column {column!r} must hold 0/1 or True/False; row {row} holds {value!r}.",
}
MSG_EMPTY = {"code": "EK-ST-048",
    "id": "Proporsi tidak dapat dihitung untuk {count} baris dengan n = 0; diisi NaN.",
    "en": "The proportion cannot be computed for {count} row(s) with n = 0; set to NaN.",
}


def _wilson(x: np.ndarray, n: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    z = special.ndtri(0.5 + confidence / 2)
    z2 = z * z
    p = safe_divide(x, n)
    center = safe_divide(x + z2 / 2, n + z2)
    half = z / (n + z2) * np.sqrt(safe_divide(x * (n - x), n) + z2 / 4)
    low = np.where(n > 0, np.clip(center - half, 0.0, 1.0), np.nan)
    high = np.where(n > 0, np.clip(center + half, 0.0, 1.0), np.nan)
    if (n == 0).any():
        warnings.warn(tr(MSG_EMPTY, count=int((n == 0).sum())), EvalkitWarning, stacklevel=3)
    return p, low, high


def wilson_ci(successes: Any, n: Any, *, confidence: float = 0.95) -> pd.DataFrame:
    """Proportions with their Wilson score confidence intervals, vectorized.

    Parameters
    ----------
    successes, n : array-like of int
        Number of successes (e.g. participants who acted) and of trials, element by element.
    confidence : float
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        One row per element, columns ``n, successes, estimate, ci_low, ci_high, ci_level``.

    Notes
    -----
    With :math:`\\hat p = x/n` and :math:`z = \\Phi^{-1}(1 - (1-c)/2)`, the limits are
    :math:`\\dfrac{x + z^2/2}{n + z^2} \\mp \\dfrac{z}{n + z^2}\\sqrt{\\dfrac{x(n-x)}{n} +
    \\dfrac{z^2}{4}}`, inside [0, 1] even at :math:`x = 0` or :math:`x = n` (unlike the
    Wald interval). R's ``prop.test(x, n, correct = FALSE)$conf.int`` is this interval.
    ``n = 0`` gives NaN with an ``EvalkitWarning``.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. JASA, 22, 209-212. Newcombe, R. G. (1998). Two-sided confidence intervals for
    the single proportion. Stat. Med., 17, 857-872. R: ``prop.test(x, n, correct = FALSE)``.

    Examples
    --------
    >>> wilson_ci([3, 10], [10, 10]).round(4)  # doctest: +NORMALIZE_WHITESPACE
        n  successes  estimate  ci_low  ci_high  ci_level
    0  10          3       0.3  0.1078   0.6032      0.95
    1  10         10       1.0  0.7225   1.0000      0.95
    """
    confidence = check_confidence(confidence)
    x = np.atleast_1d(as_float_array("successes", successes))
    size = np.atleast_1d(as_float_array("n", n))
    if x.shape != size.shape:
        raise EvalkitError(tr(MSG_SHAPES, n1=x.size, n2=size.size))
    bad = ~((x >= 0) & (x <= size) & (x == np.round(x)) & (size == np.round(size)))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise EvalkitError(tr(MSG_COUNTS, position=i, successes=x[i], n=size[i]))
    p, low, high = _wilson(x, size, confidence)
    return pd.DataFrame({"n": size.astype(np.int64), "successes": x.astype(np.int64), "estimate": p,
                         "ci_low": low, "ci_high": high, "ci_level": confidence})


def proportion_by_group(
    data: pd.DataFrame,
    *,
    value: Hashable,
    group: Hashable | list[Hashable] | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Share of rows where ``value`` is true, with its Wilson interval, one row per group.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per participant.
    value : column name
        0/1 or boolean (e.g. "did it at least once"); missing values are left out.
    group : column name, list of column names or None
        Grouping column(s); ``None`` gives one row.
    confidence : float
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        Indexed by group, columns ``n, successes, estimate, ci_low, ci_high, ci_level``
        (see :func:`wilson_ci`).

    References
    ----------
    R: ``prop.test(sum(x), length(x), correct = FALSE)$conf.int``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"g": ["a", "a", "a", "b", "b"], "acted": [1, 0, 1, 1, 1]})
    >>> proportion_by_group(df, value="acted", group="g").round(3)  # doctest: +NORMALIZE_WHITESPACE
       n  successes  estimate  ci_low  ci_high  ci_level
    g
    a  3          2     0.667   0.208    0.939      0.95
    b  2          2     1.000   0.342    1.000      0.95
    """
    check_frame(data)
    confidence = check_confidence(confidence)
    values = numeric_column(data, "value", value)
    bad = ~np.isnan(values) & (values != 0) & (values != 1)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise EvalkitError(tr(MSG_NOT_BINARY, column=value, row=row + 1, value=data[value].iloc[row]))
    codes, index = group_codes(data, group)
    keep = (codes >= 0) & ~np.isnan(values)
    n = group_sum(codes[keep], None, len(index))
    x = group_sum(codes[keep], values[keep], len(index))
    p, low, high = _wilson(x, n, confidence)
    return pd.DataFrame({"n": n.astype(np.int64), "successes": x.astype(np.int64), "estimate": p,
                         "ci_low": low, "ci_high": high, "ci_level": confidence}, index=index)
