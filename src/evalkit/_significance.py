"""The one rule for "beyond chance" that every sentence, count and chart mark follows.

A row of the gains table (one scale × group) shows a *significant* change when the
p-value of its claim is below :data:`ALPHA`:

- the pooled row (``group == "ALL"``, one test per scale): the paired t-test's ``p``,
  which is below 0.05 exactly when the 95% CI of the mean gain excludes zero;
- a group row (many groups tested at once): the Holm-adjusted ``p_holm`` (Holm across the
  groups of the scale). The 95% CI printed beside a group is *not* adjusted, so a group CI
  may exclude zero while Holm p ≥ 0.05; the report says so wherever both appear.

The direction is the sign of ``mean_diff``: a significant rise (+1), a significant fall
(−1), or not significant (0). Report text, counts, verdicts, table stars and chart marks
all call :func:`direction`, and the method chapter states the rule with :data:`ALPHA`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._constants import ALL_GROUPS

#: Significance level of every claim in the report (pooled p, or Holm p for a group).
ALPHA = 0.05


def claim_p(rows: pd.DataFrame) -> pd.Series:
    """The p-value a claim about each row rests on: ``p`` for the pooled row, ``p_holm`` for a group.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"group": ["A", "ALL"], "p": [0.01, 0.001], "p_holm": [0.03, float("nan")]})
    >>> claim_p(t).tolist()
    [0.03, 0.001]
    """
    pooled = rows["group"] == ALL_GROUPS
    return rows["p"].where(pooled, rows["p_holm"]).astype(float)


def direction(rows: pd.DataFrame) -> pd.Series:
    """+1 for a significant rise, −1 for a significant fall, 0 otherwise (missing p: 0).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"group": ["A", "B", "C"], "mean_diff": [2.0, -1.0, 3.0],
    ...                   "p": [0.001, 0.002, 0.01], "p_holm": [0.003, 0.004, 0.06]})
    >>> direction(t).tolist()
    [1, -1, 0]
    """
    sure = (claim_p(rows) < ALPHA).to_numpy()
    sign = np.sign(rows["mean_diff"].astype(float).fillna(0.0).to_numpy())
    return pd.Series(np.where(sure, sign, 0).astype(int), index=rows.index)


def significant_rise(rows: pd.DataFrame) -> pd.Series:
    """True where a row shows a significant rise under the rule (see :func:`direction`)."""
    return direction(rows) == 1
