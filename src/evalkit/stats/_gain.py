"""Hake's normalized gain, per class (group) and averaged over individuals."""

from __future__ import annotations

import warnings
from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd

from evalkit._errors import EvalkitError, EvalkitWarning
from evalkit._i18n import tr

from ._common import MSG_LENGTHS, as_float_array, check_frame, check_positive, group_codes, numeric_column
from ._kernels import Cells, gain_cells

MSG_AT_MAX = {"code": "EK-ST-019",
    "id": "{count} peserta dengan nilai pre-test sama dengan nilai maksimum ({max_score}) "
    "dikeluarkan dari gain individual (tidak ada ruang untuk naik).",
    "en": "{count} participant(s) whose pre-test score equals the maximum ({max_score}) "
    "are excluded from the individual gain (no room to improve).",
}


def _gain_table(pre: np.ndarray, post: np.ndarray, cells: Cells, max_score: float) -> pd.DataFrame:
    """The table of :func:`normalized_gain_by_group` indexed by the cells, warning about
    the participants left out of the individual gain."""
    table = gain_cells(pre, post, cells, max_score)
    excluded = int(table["n_excluded"].sum())
    if excluded:
        warnings.warn(tr(MSG_AT_MAX, count=excluded, max_score=max_score), EvalkitWarning, stacklevel=3)
    return pd.DataFrame(table, index=cells.index)


def normalized_gain_by_group(
    data: pd.DataFrame,
    *,
    pre: Hashable,
    post: Hashable,
    group: Hashable | list[Hashable] | None,
    max_score: float = 100,
) -> pd.DataFrame:
    """Hake's normalized gain per group: class-average and mean individual gain.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per participant.
    pre, post : column name
        Pre-test and post-test scores (at most ``max_score``).
    group : column name, list of column names or None
        Grouping column(s); ``None`` gives a single row.
    max_score : float
        Highest possible score.

    Returns
    -------
    pandas.DataFrame
        Indexed by group, columns ``g_class, g_individual, n_excluded``.

    Notes
    -----
    Over complete pairs (pairs with a missing value dropped), with maximum :math:`M`:
    :math:`g_{class} = (\\bar y_{post} - \\bar y_{pre}) / (M - \\bar y_{pre})` and
    :math:`g_{individual} = \\operatorname{mean}_i\\,(post_i - pre_i)/(M - pre_i)` over
    participants with :math:`pre_i < M`; participants at the maximum are counted in
    ``n_excluded`` (an ``EvalkitWarning`` says how many). A score above ``max_score``
    raises ``EvalkitError``.

    References
    ----------
    Hake, R. R. (1998). Interactive-engagement versus traditional methods: A
    six-thousand-student survey of mechanics test data for introductory physics
    courses. American Journal of Physics, 66(1), 64-74.
    R (by the formula): ``(mean(post) - mean(pre)) / (100 - mean(pre))``;
    ``mean(((post - pre) / (100 - pre))[pre < 100])``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"g": ["a", "a", "b"], "pre": [40, 60, 50], "post": [70, 80, 75]})
    >>> normalized_gain_by_group(df, pre="pre", post="post", group="g")  # doctest: +NORMALIZE_WHITESPACE
       g_class  g_individual  n_excluded
    g
    a      0.5           0.5           0
    b      0.5           0.5           0
    """
    check_frame(data)
    max_score = check_positive("max_score", max_score)
    pre_values = numeric_column(data, "pre", pre)
    post_values = numeric_column(data, "post", post)
    codes, index = group_codes(data, group)
    return _gain_table(pre_values, post_values, Cells(code=codes, index=index), max_score)


def normalized_gain(pre: Any, post: Any, *, max_score: float = 100) -> pd.Series:
    """Hake's normalized gain of one set of participants.

    See :func:`normalized_gain_by_group` for the formulas.

    Parameters
    ----------
    pre, post : array-like
        Scores of the same participants (equal lengths).
    max_score : float
        Highest possible score.

    Returns
    -------
    pandas.Series
        Indexed ``g_class, g_individual, n_excluded``.

    References
    ----------
    Hake, R. R. (1998). American Journal of Physics, 66(1), 64-74.

    Examples
    --------
    >>> normalized_gain([40, 60], [70, 80]).round(3).to_dict()
    {'g_class': 0.5, 'g_individual': 0.5, 'n_excluded': 0.0}
    """
    max_score = check_positive("max_score", max_score)
    pre_values = as_float_array("pre", pre)
    post_values = as_float_array("post", post)
    if len(pre_values) != len(post_values):
        raise EvalkitError(tr(MSG_LENGTHS, n_pre=len(pre_values), n_post=len(post_values)))
    codes = np.zeros(len(pre_values), dtype=np.intp)
    out = _gain_table(pre_values, post_values, Cells(code=codes, index=pd.RangeIndex(1)), max_score)
    return out.iloc[0].astype(float).rename(None)
