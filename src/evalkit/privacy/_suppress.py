"""Small-group suppression for every report output (tables and charts).

Rule (documented in the report itself):

1. **Primary** — a row describing fewer than ``k`` participants (``n < k``) is suppressed:
   its statistics are blanked; the row, its group and its ``n`` stay, so readers see why.
2. **Complementary** — within each block (a scale, or a scale × item), once any group is
   suppressed, the pooled "ALL" row and the visible groups could reveal it by subtraction.
   So the smallest visible groups (fewest participants first, then by group code) are
   suppressed too, until at least two groups are hidden *and* they hold at least ``k``
   participants together. Subtraction then only yields the pooled figure of ``k`` or more
   people, never one small group's.
3. The "ALL" row is itself suppressed only when it describes fewer than ``k`` participants.

The same function decides for tables and charts, so they always agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from .._errors import EvalkitError
from .._constants import ALL_GROUPS
from .._i18n import tr

_M = {
    "k": {"code": "EK-PR-005", "id": "Parameter 'k' dari find_suppressed harus bilangan bulat positif; diberikan {k!r}.",
          "en": "The 'k' parameter of find_suppressed must be a positive integer; got {k!r} instead."},
    "column": {"code": "EK-PR-006", "id": "Tabel tidak punya kolom {column!r}; kolom yang ada: {columns}.",
               "en": "The table has no {column!r} column; the columns are {columns}."},
}

#: Default threshold k: cells describing fewer participants are not shown.
MIN_GROUP_SIZE = 5
#: Column added by :func:`suppress` (True where the row's statistics were blanked).
FLAG = "suppressed"


def find_suppressed(table: pd.DataFrame, *, k: int = MIN_GROUP_SIZE, n: str = "n", group: str = "group",
                    by: Sequence[str] = ("scale",), hidden: Iterable[bool] | None = None) -> pd.Series:
    """Which rows of ``table`` must be suppressed (primary plus complementary rule).

    Parameters
    ----------
    table : DataFrame
        One row per block × group; ``group == "ALL"`` rows pool every group.
    k : int, default 5
        Minimum number of participants a shown cell may describe.
    n, group : str
        Column names of the participant count and of the group.
    by : sequence of str
        Columns defining the blocks (e.g. ``("scale",)``, ``("scale", "item")``) whose
        groups add up to the block's "ALL" row. Missing columns are ignored.
    hidden : boolean array-like, optional
        Rows already suppressed for another reason (e.g. hidden in a related table),
        so that related tables stay consistent.

    Returns
    -------
    Series of bool, aligned with ``table.index``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"scale": "s", "group": ["A", "B", "C", "ALL"], "n": [3, 20, 8, 31]})
    >>> find_suppressed(t).tolist()   # B and ALL stay; C is hidden with A
    [True, False, True, False]
    """
    if not isinstance(k, (int, np.integer)) or k < 1:
        raise EvalkitError(tr(_M["k"], k=k))
    for column in (n, group):
        if column not in table.columns:
            raise EvalkitError(tr(_M["column"], column=column, columns=list(table.columns)))
    counts = pd.to_numeric(table[n], errors="coerce").fillna(0)
    mask = counts < k
    if hidden is not None:
        mask = mask | pd.Series(list(hidden), index=table.index, dtype=bool)
    keys = [c for c in by if c in table.columns]
    blocks = [part.index for _, part in table.groupby(keys, sort=False, dropna=False)] if keys else [table.index]
    for index in blocks:
        rows = table.loc[index]
        groups = rows[rows[group] != ALL_GROUPS]
        hide = mask.loc[groups.index].copy()
        if not hide.any():
            continue
        order = groups.assign(_n=counts.loc[groups.index]).sort_values(["_n", group]).index
        for candidate in order:
            if hide.sum() >= 2 and counts.loc[hide[hide].index].sum() >= k:
                break
            hide.loc[candidate] = True
        mask.loc[hide.index] = hide
    return mask.astype(bool)


def suppress(table: pd.DataFrame, mask, *, keep: Sequence[str] = (), columns: Sequence[str] | None = None,
             flag: str | None = FLAG) -> pd.DataFrame:
    """A copy of ``table`` with its statistics blanked where ``mask`` is True.

    The blanked columns are ``columns`` if given, else every column outside ``keep``.
    Adds the boolean column ``flag`` (``"suppressed"``; ``None`` adds nothing). The
    input is not modified.
    """
    out = table.copy()
    mask = pd.Series(list(mask), index=table.index, dtype=bool)
    targets = [c for c in (columns if columns is not None else out.columns) if c in out.columns]
    for column in targets:
        if column in keep or column == flag:
            continue
        if out[column].dtype.kind == "b":
            out[column] = out[column].astype(object)
        elif out[column].dtype.kind in "iu":
            out[column] = out[column].astype(float)
        if mask.any():
            out[column] = out[column].where(~mask)
    if flag:
        out[flag] = (out[flag].astype(bool) | mask) if flag in out.columns else mask.to_numpy()
    return out


def hidden_from(table: pd.DataFrame, reference: pd.DataFrame, on=("scale", "group")) -> np.ndarray:
    """Rows of ``table`` whose (scale, group) is suppressed in ``reference``."""
    keys = [c for c in on if c in table.columns and c in reference.columns]
    hidden = reference.loc[reference[FLAG], keys].drop_duplicates()
    if hidden.empty or not keys:
        return np.zeros(len(table), dtype=bool)
    marks = table[keys].merge(hidden.assign(_hit=True), on=keys, how="left")["_hit"]
    return marks.fillna(False).astype(bool).to_numpy()
