"""Shared validation helpers and message templates of :mod:`evalkit.stats`."""

from __future__ import annotations

import os
import warnings

from collections.abc import Callable, Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from evalkit._errors import EvalkitError, EvalkitWarning
from evalkit.config import get_config
from evalkit._lazy import optional_pyarrow
from evalkit._i18n import tr

MSG_CONFIDENCE = {"code": "EK-ST-008",
    "id": "Parameter 'confidence' harus di antara 0 dan 1; diberikan {value!r}.",
    "en": "The 'confidence' parameter must be between 0 and 1; got {value!r} instead.",
}
MSG_MISSING_COLUMN = {"code": "EK-ST-009",
    "id": "Parameter '{param}' menyebut kolom {value!r} yang tidak ada di data; kolom yang ada: {columns}.",
    "en": "The '{param}' parameter names column {value!r}, which is not in the data; "
    "the columns are {columns}.",
}
MSG_NOT_NUMERIC = {"code": "EK-ST-010",
    "id": "Parameter '{param}' harus berisi angka; nilai {value!r} bukan angka.",
    "en": "The '{param}' parameter must hold numbers; {value!r} is not a number.",
}
MSG_LENGTHS = {"code": "EK-ST-011",
    "id": "Parameter 'pre' dan 'post' harus sama panjang (data berpasangan); "
    "diberikan {n_pre} dan {n_post}.",
    "en": "The 'pre' and 'post' parameters must have the same length (paired data); "
    "got {n_pre} and {n_post} instead.",
}
MSG_NOT_1D = {"code": "EK-ST-012",
    "id": "Parameter '{param}' harus satu dimensi; diberikan bentuk {shape}.",
    "en": "The '{param}' parameter must be one-dimensional; got shape {shape} instead.",
}
MSG_POSITIVE = {"code": "EK-ST-013",
    "id": "Parameter '{param}' harus berupa angka positif; diberikan {value!r}.",
    "en": "The '{param}' parameter must be a positive number; got {value!r} instead.",
}
MSG_CHOICE = {"code": "EK-ST-014",
    "id": "Parameter '{param}' harus salah satu dari {choices}; diberikan {value!r}.",
    "en": "The '{param}' parameter must be one of {choices}; got {value!r} instead.",
}


def check_confidence(confidence: Any) -> float:
    """Return ``confidence`` as a float strictly between 0 and 1, else raise."""
    try:
        value = float(confidence)
    except (TypeError, ValueError):
        raise EvalkitError(tr(MSG_CONFIDENCE, value=confidence)) from None
    if not 0.0 < value < 1.0:
        raise EvalkitError(tr(MSG_CONFIDENCE, value=confidence))
    return value


def check_choice(param: str, value: Any, choices: Sequence[str]) -> str:
    """Return ``value`` if it is one of ``choices``, else raise."""
    if not isinstance(value, str) or value not in choices:
        raise EvalkitError(tr(MSG_CHOICE, param=param, value=value, choices=list(choices)))
    return value


def check_positive(param: str, value: Any) -> float:
    """Return ``value`` as a finite positive float, else raise."""
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise EvalkitError(tr(MSG_POSITIVE, param=param, value=value)) from None
    if not np.isfinite(out) or out <= 0:
        raise EvalkitError(tr(MSG_POSITIVE, param=param, value=value))
    return out


def as_float_array(param: str, values: Any) -> np.ndarray:
    """Convert a 1-D array-like to a float array (a copy), naming ``param`` on failure."""
    if isinstance(values, pd.DataFrame):
        raise EvalkitError(tr(MSG_NOT_1D, param=param, shape=values.shape))
    if _plain_numbers(values) and np.ndim(values) <= 1:  # nothing to parse
        return np.array(values, dtype=float).ravel()
    series = pd.Series(np.asarray(values, dtype=object).ravel()) if np.ndim(values) <= 1 else None
    if series is None:
        raise EvalkitError(tr(MSG_NOT_1D, param=param, shape=np.shape(values)))
    return _numeric(param, series).to_numpy(dtype=float, copy=True)


def _plain_numbers(values: Any) -> bool:
    """Whether ``values`` are numbers in a NumPy dtype already (no text to parse)."""
    dtype = getattr(values, "dtype", None)
    return isinstance(dtype, np.dtype) and dtype.kind in "fiub"


def _numeric(param: str, series: pd.Series) -> pd.Series:
    if _plain_numbers(series):
        return series.astype(float)
    converted = pd.to_numeric(series, errors="coerce")
    bad = converted.isna() & series.notna()
    if bad.any():
        raise EvalkitError(tr(MSG_NOT_NUMERIC, param=param, value=series[bad].iloc[0]))
    return converted.astype(float)


def numeric_column(data: pd.DataFrame, param: str, column: Hashable) -> np.ndarray:
    """Return ``data[column]`` as a float array, raising if missing or not numeric."""
    if column not in data.columns:
        raise EvalkitError(
            tr(MSG_MISSING_COLUMN, param=param, value=column, columns=list(data.columns))
        )
    return _numeric(param, data[column]).to_numpy(dtype=float, copy=True)


def group_codes(
    data: pd.DataFrame, group: Hashable | list[Hashable] | None
) -> tuple[np.ndarray, pd.Index]:
    """Integer group codes (``-1`` for a missing key) and the sorted index of groups.

    ``group=None`` puts every row in one group with a one-row ``RangeIndex``.
    """
    if group is None:
        return np.zeros(len(data), dtype=np.intp), pd.RangeIndex(1)
    keys = list(group) if isinstance(group, list | tuple) else [group]
    for key in keys:
        if key not in data.columns:
            raise EvalkitError(
                tr(MSG_MISSING_COLUMN, param="group", value=key, columns=list(data.columns))
            )
    grouped = data.groupby(keys if isinstance(group, list | tuple) else group,
                           sort=True, observed=True, dropna=True)
    codes = grouped.ngroup().to_numpy()
    codes = np.where(np.isnan(codes), -1, codes).astype(np.intp)
    index = grouped.size().index
    return codes, index


def group_sum(codes: np.ndarray, values: np.ndarray | None, n_groups: int,
              pooled: np.ndarray | None = None) -> np.ndarray:
    """Sum of ``values`` (``None``: count) per group code (codes must be >= 0).

    ``pooled`` maps each group to the pooled group it also belongs to (``-1``: none), such
    as every group of a scale to that scale's "ALL" row. Pooled groups hold no rows of
    their own: they receive their members' sums, so each row is read once however many
    rows it counts in.
    """
    return pool(np.bincount(codes, weights=values, minlength=n_groups)[:n_groups].astype(float), pooled)


def pool(per_group: np.ndarray, pooled: np.ndarray | None) -> np.ndarray:
    """Add each group's value into its pooled group's."""
    if pooled is None:
        return per_group
    members = np.flatnonzero(pooled >= 0)
    return per_group + np.bincount(pooled[members], weights=per_group[members], minlength=len(per_group))


def factorize_floats(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes and distinct values of a float array without NaN or negative zeros,
    as :func:`pandas.factorize`; hashed by pyarrow when it is installed (four times faster
    here on half a million differences), else by pandas."""
    pa = optional_pyarrow()
    if pa is None:
        return pd.factorize(values)
    encoded = pa.array(values).dictionary_encode()
    return encoded.indices.to_numpy(), encoded.dictionary.to_numpy()


def safe_divide(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """``num / den`` with NaN (never inf) where the denominator is zero or missing."""
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    out = np.full(np.broadcast(num, den).shape, np.nan)
    ok = np.isfinite(den) & (den != 0)
    np.divide(num, den, out=out, where=ok)
    return out


def free_cores() -> int:
    """CPU cores evalkit may use: the ``cores`` option (:mod:`evalkit.config`), else those
    this process may run on (its affinity where the system reports one)."""
    cores = get_config()["cores"]
    if cores is not None:
        return cores
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def side_by_side(main: Callable[[], Any], other: Callable[[], Any], *, threaded: bool) -> tuple[Any, Any]:
    """``(main(), other())``, with ``other`` in a second thread when ``threaded`` and two
    cores are free.

    For large numpy, pandas and SciPy work, whose inner loops release the GIL. ``main``
    runs in the calling thread, so the warnings filters it sets and records stay there;
    ``other`` runs in a copy of the caller's context, so it sees the caller's
    :mod:`evalkit.config` options and numpy error states. A pool per call: a long-lived one
    would hang in a process forked from this one.
    """
    if not threaded or free_cores() < 2:
        return main(), other()
    import contextvars
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        later = pool.submit(contextvars.copy_context().run, other)
        first = main()
        return first, later.result()


MSG_BAD_CELL = {"code": "EK-ST-015",
    "id": "Kolom {column!r} baris {row}: nilai {value!r} tidak valid; {allowed}.",
    "en": "Column {column!r}, row {row}: the value {value!r} is not valid; {allowed}.",
}
ALLOWED_FINITE = {"id": "harus angka terhingga", "en": "it must be a finite number"}
ALLOWED_POSITIVE = {"id": "harus angka positif terhingga", "en": "it must be a positive finite number"}
ALLOWED_NOT_NEGATIVE = {"id": "tidak boleh negatif", "en": "it must not be negative"}
ALLOWED_FINITE_NOT_NEGATIVE = {"id": "harus angka terhingga dan tidak negatif",
                               "en": "it must be a finite number, not negative"}
MSG_NOT_FRAME = {"code": "EK-ST-016",
    "id": "Parameter '{param}' harus berupa pandas DataFrame; diberikan {found}.",
    "en": "The '{param}' parameter must be a pandas DataFrame; got {found} instead.",
}


def check_frame(data: Any, param: str = "data") -> pd.DataFrame:
    """Return ``data`` if it is a DataFrame, else raise (naming the parameter ``param``)."""
    if not isinstance(data, pd.DataFrame):
        raise EvalkitError(tr(MSG_NOT_FRAME, param=param, found=type(data).__name__))
    return data


def check_column(data: pd.DataFrame, param: str, column: Any) -> None:
    """Raise unless ``column`` (named by the parameter ``param``) is a column of ``data``."""
    if column not in data.columns:
        raise EvalkitError(tr(MSG_MISSING_COLUMN, param=param, value=column, columns=list(data.columns)))


def expand_index(index: pd.Index, terms: Sequence[str], name: str) -> pd.Index:
    """Every entry of ``index`` (group after group) with each of ``terms``: the row index
    of a table with one row per group x term. A one-row ``RangeIndex`` (no groups) gives
    the terms alone."""
    labels = np.tile(np.array(list(terms), dtype=object), len(index))
    if isinstance(index, pd.RangeIndex) and len(index) == 1 and index.name is None:
        return pd.Index(labels, name=name)
    repeated = index.repeat(len(terms))
    return pd.MultiIndex.from_arrays(
        [repeated.get_level_values(i) for i in range(repeated.nlevels)] + [labels],
        names=[*repeated.names, name])


def check_cells(column: Hashable, values: np.ndarray, bad: np.ndarray, allowed: dict) -> None:
    """Raise naming the first row (1-based) where ``bad`` holds, its value and ``allowed``."""
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise EvalkitError(tr(MSG_BAD_CELL, column=column, row=row + 1, value=float(values[row]),
                              allowed=tr(allowed)))


def warn_groups(template: dict, which: np.ndarray, index: pd.Index, *, stacklevel: int = 3,
                **fields: Any) -> None:
    """One ``EvalkitWarning`` from ``template`` naming the groups of ``index`` where
    ``which`` holds (its ``{groups}`` field), if any."""
    if which.any():
        groups = ", ".join(str(g) for g in np.asarray(index, dtype=object)[which])
        warnings.warn(tr(template, groups=groups, **fields), EvalkitWarning, stacklevel=stacklevel)
