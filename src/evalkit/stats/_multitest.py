"""Multiple-testing adjustment of p-values (Holm, Benjamini-Hochberg)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from evalkit._errors import EvalkitError
from evalkit._i18n import tr

from ._common import check_choice

P_ADJUST_METHODS = ("holm", "fdr_bh")

MSG_P_RANGE = {"code": "EK-ST-040",
    "id": "Parameter 'p' harus berisi nilai antara 0 dan 1 (atau NaN); diberikan {value!r}.",
    "en": "The 'p' parameter must hold values between 0 and 1 (or NaN); got {value!r} instead.",
}


def _adjust(p: np.ndarray, method: str) -> np.ndarray:
    """Adjust a flat array of finite p-values."""
    m = p.size
    if m == 0:
        return p.copy()
    # Tied p-values get the same adjusted value in whichever order they are sorted (the
    # running maximum or minimum carries the first one's over), so any sort will do.
    if method == "holm":
        order = np.argsort(p)
        factors = m - np.arange(m)  # m, m-1, ..., 1
        adjusted = np.minimum(1.0, np.maximum.accumulate(factors * p[order]))
    else:  # fdr_bh
        order = np.argsort(p)[::-1]  # decreasing
        ranks = np.arange(m, 0, -1)  # m, m-1, ..., 1
        adjusted = np.minimum(1.0, np.minimum.accumulate(m / ranks * p[order]))
    out = np.empty(m)
    out[order] = adjusted
    return out


def p_adjust(p: Any, *, method: str = "holm") -> Any:
    """Adjust p-values for multiple testing; NaN stays NaN and is not counted.

    Parameters
    ----------
    p : array-like or pandas.Series
        One family of p-values (any shape; a Series keeps its index).
    method : {"holm", "fdr_bh"}
        Holm's step-down family-wise error control, or Benjamini-Hochberg's false
        discovery rate (names as in ``statsmodels.stats.multitest.multipletests``).

    Returns
    -------
    pandas.Series or numpy.ndarray
        Adjusted p-values with the shape (and index) of ``p``.

    Notes
    -----
    With the :math:`m` non-missing p-values sorted :math:`p_{(1)} \\le \\dots \\le p_{(m)}`:
    Holm :math:`\\tilde p_{(i)} = \\max_{j \\le i} \\min(1, (m-j+1) p_{(j)})`;
    Benjamini-Hochberg :math:`\\tilde p_{(i)} = \\min_{j \\ge i} \\min(1, m\\,p_{(j)}/j)`.

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure.
    Scandinavian Journal of Statistics, 6, 65-70.
    Benjamini, Y., & Hochberg, Y. (1995). Controlling the false discovery rate. JRSS B,
    57, 289-300. R: ``p.adjust(p, "holm")``, ``p.adjust(p, "BH")``.

    Examples
    --------
    >>> p_adjust([0.01, 0.04, 0.03, float("nan")], method="holm")
    array([0.03, 0.06, 0.06,  nan])
    """
    method = check_choice("method", method, P_ADJUST_METHODS)
    is_series = isinstance(p, pd.Series)
    try:
        values = np.asarray(p, dtype=float)
    except (TypeError, ValueError):
        raise EvalkitError(tr(MSG_P_RANGE, value=p)) from None
    flat = values.ravel()
    ok = ~np.isnan(flat)
    bad = ok & ((flat < 0) | (flat > 1))
    if bad.any():
        raise EvalkitError(tr(MSG_P_RANGE, value=float(flat[bad][0])))
    out = np.full(flat.shape, np.nan)
    out[ok] = _adjust(flat[ok], method)
    out = out.reshape(values.shape)
    if is_series:
        return pd.Series(out, index=p.index, name=p.name)
    return out
