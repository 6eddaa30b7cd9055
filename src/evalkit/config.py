"""Performance tuning of evalkit in one place: block sizes, thread thresholds, crossovers.

Every option changes how fast a result comes, never the result (statistical choices are
explicit function arguments). Read them with :func:`get_config`, change them for a block
with :func:`config_context` or for the session with :func:`set_config`, in the manner of
scikit-learn's ``config_context``.

The settings live in a :class:`contextvars.ContextVar`, so a ``config_context`` in one
thread does not leak into another; :func:`evalkit.stats` runs its worker threads in a copy
of the caller's context, so they see the caller's settings.

Options
-------
block_rows : int, default 1_048_576
    Rows of the long matched table whose cells are computed in one pass; scales are taken
    together up to this many rows (``evalkit.stats.cell_statistics``).
side_by_side_rows : int, default 20_000
    From this many answer rows (both waves) on, the gains stage scores and matches in two
    threads; from this many t statistics on (the pairwise Welch tests of many groups), their
    p-values are computed in two halves on two threads.
rank_overlap_rows : int, default 100_000
    From this many rows on, the signed ranks are counted in a second thread while the
    moments and intervals are computed.
counting_cells : int, default 65_536
    Up to this many (cell x distinct |difference|) table entries, signed ranks are counted
    rather than sorted; ``-1`` always sorts.
cells_per_difference : int, default 8
    ... also up to this many table entries per difference.
root_thread_min : int, default 2048
    Noncentral-t root batches of at least this many elements are split over two threads.
root_block : int, default 65_536
    Elements per block of the start-value quadrature (bounds its temporaries).
t_max : float, default 1000.0
    Largest :math:`|t| = |d_z|\\sqrt n` whose noncentral-t interval is computed; beyond it
    SciPy's series take seconds to hours an element (the interval is NaN, with a warning).
cores : int or None, default None
    Cores evalkit may use for its second thread; ``None``: those the process may run on.

Examples
--------
>>> import evalkit
>>> with evalkit.config_context(block_rows=1):
...     evalkit.get_config()["block_rows"]
1
>>> evalkit.get_config()["block_rows"]
1048576
"""

from __future__ import annotations

import contextvars
import difflib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ._errors import EvalkitError
from ._i18n import tr

_DEFAULTS: dict[str, Any] = {
    "block_rows": 1 << 20,
    "side_by_side_rows": 20_000,
    "rank_overlap_rows": 100_000,
    "counting_cells": 1 << 16,
    "cells_per_difference": 8,
    "root_thread_min": 2048,
    "root_block": 1 << 16,
    "t_max": 1000.0,
    "cores": None,
}
#: Options whose value may be a float (the others are whole numbers).
_FLOAT_OPTIONS = {"t_max"}
#: Options that may be None.
_OPTIONAL = {"cores"}

_M = {
    "unknown": {"code": "EK-CFG-001",
        "id": "Opsi konfigurasi {name!r} tidak dikenal{hint}; opsi yang ada: {names}.",
        "en": "{name!r} is not a configuration option{hint}; the options are {names}.",
    },
    "hint": {"code": "EK-CFG-002", "id": " (maksudnya {close!r}?)", "en": " (did you mean {close!r}?)"},
    "value": {"code": "EK-CFG-003",
        "id": "Opsi konfigurasi {name!r} harus berupa {allowed}; diberikan {value!r}.",
        "en": "The configuration option {name!r} must be {allowed}; got {value!r} instead.",
    },
    "whole": {"code": "EK-CFG-004", "id": "bilangan bulat", "en": "a whole number"},
    "number": {"code": "EK-CFG-005", "id": "angka", "en": "a number"},
}

_global: dict[str, Any] = dict(_DEFAULTS)
_local: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar("evalkit_config", default=None)


def get_config() -> dict[str, Any]:
    """The current tuning options, as a new dict (see :mod:`evalkit.config` for each).

    Examples
    --------
    >>> import evalkit
    >>> evalkit.get_config()["side_by_side_rows"]
    20000
    """
    current = _local.get()
    return dict(_global if current is None else current)


def _checked(options: dict[str, Any]) -> dict[str, Any]:
    for name, value in options.items():
        if name not in _DEFAULTS:
            close = difflib.get_close_matches(name, list(_DEFAULTS), n=1)
            hint = tr(_M["hint"], close=close[0]) if close else ""
            raise EvalkitError(tr(_M["unknown"], name=name, hint=hint, names=", ".join(_DEFAULTS)))
        if value is None and name in _OPTIONAL:
            continue
        kinds = (int, float) if name in _FLOAT_OPTIONS else (int,)
        if isinstance(value, bool) or not isinstance(value, kinds):
            allowed = tr(_M["number" if name in _FLOAT_OPTIONS else "whole"])
            raise EvalkitError(tr(_M["value"], name=name, allowed=allowed, value=value))
    return options


def set_config(**options: Any) -> None:
    """Change tuning options for the rest of the session (inside a :func:`config_context`,
    until it ends).

    Parameters
    ----------
    **options
        Option names and values (see :mod:`evalkit.config`).

    Examples
    --------
    >>> import evalkit
    >>> evalkit.set_config(block_rows=1 << 18)
    >>> evalkit.get_config()["block_rows"]
    262144
    >>> evalkit.set_config(block_rows=1 << 20)
    """
    _checked(options)
    current = _local.get()
    if current is None:
        _global.update(options)
    else:
        _local.set({**current, **options})


@contextmanager
def config_context(**options: Any) -> Iterator[None]:
    """Tuning options changed within a ``with`` block (this thread and the worker threads
    it starts), restored after it.

    Parameters
    ----------
    **options
        Option names and values (see :mod:`evalkit.config`).

    Examples
    --------
    >>> import evalkit
    >>> with evalkit.config_context(counting_cells=-1):  # always sort the signed ranks
    ...     evalkit.get_config()["counting_cells"]
    -1
    """
    token = _local.set({**get_config(), **_checked(options)})
    try:
        yield
    finally:
        _local.reset(token)
