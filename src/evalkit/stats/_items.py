"""Item analysis of dichotomous (0/1) test items, distractors and McNemar's test."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from evalkit._lazy import scipy_stats as stats

from evalkit._errors import EvalkitError, EvalkitWarning, UndefinedStatisticWarning
from evalkit._i18n import tr

from ._common import MSG_LENGTHS, MSG_MISSING_COLUMN, as_float_array, check_frame
from ._reliability import rest_correlation

MSG_NOT_BINARY = {"code": "EK-ST-027",
    "id": "Parameter '{param}' harus berisi 0, 1 atau kosong; ditemukan {value!r}.",
    "en": "The '{param}' parameter must hold 0, 1 or missing values; found {value!r}.",
}
MSG_FRACTION = {"code": "EK-ST-028",
    "id": "Parameter 'fraction' harus lebih dari 0 dan paling besar 0.5; diberikan {value!r}.",
    "en": "The 'fraction' parameter must be above 0 and at most 0.5; got {value!r} instead.",
}
MSG_NO_DISCORDANT = {"code": "EK-ST-029",
    "id": "Tidak ada pasangan yang berubah (b + c = 0): uji McNemar tidak dapat dihitung "
    "(statistik dan p diisi NaN).",
    "en": "No discordant pairs (b + c = 0): McNemar's test cannot be computed "
    "(statistic and p set to NaN).",
}
MSG_TOO_FEW_ROWS = {"code": "EK-ST-030",
    "id": "Terlalu sedikit responden lengkap ({n}) untuk kelompok atas/bawah; hasil NaN.",
    "en": "Too few complete respondents ({n}) for upper/lower groups; the result is NaN.",
}


def _binary_values(items: Any, param: str = "items") -> np.ndarray:
    """The 0/1 items as a float array (NaN for a missing value); an error names a value
    that is neither."""
    check_frame(items, param)
    if all(isinstance(t, np.dtype) and t.kind in "fiub" for t in items.dtypes):  # numbers already
        x = items.to_numpy(dtype=float)
        bad = ~((x == 0) | (x == 1) | np.isnan(x))
        if bad.any():
            row, column = np.argwhere(bad)[0]
            raise EvalkitError(tr(MSG_NOT_BINARY, param=param, value=items.iat[row, column]))
        return x
    numeric = items.apply(pd.to_numeric, errors="coerce").astype(float)
    bad = (numeric.isna() & items.notna()) | ~(numeric.isin([0.0, 1.0]) | numeric.isna())
    if bad.to_numpy().any():
        column = bad.any().idxmax()
        raise EvalkitError(
            tr(MSG_NOT_BINARY, param=param, value=items.loc[bad[column], column].iloc[0])
        )
    return numeric.to_numpy()


def _complete_rows(x: np.ndarray) -> np.ndarray:
    """The rows without a missing value (listwise deletion)."""
    missing = np.isnan(x).any(axis=1)
    return x[~missing] if missing.any() else x


def item_difficulty(items: pd.DataFrame) -> pd.Series:
    """Difficulty (proportion correct) of each 0/1 item, over the answers present.

    Parameters
    ----------
    items : pandas.DataFrame
        One column per item, values 0, 1 or NaN (not answered / not presented).

    Returns
    -------
    pandas.Series
        Indexed by item, named ``difficulty``: :math:`p_j = \\sum_i x_{ij} / n_j`.

    References
    ----------
    Crocker, L., & Algina, J. (1986). Introduction to classical and modern test theory,
    ch. 14. R: ``colMeans(x, na.rm = TRUE)``.

    Examples
    --------
    >>> import pandas as pd
    >>> item_difficulty(pd.DataFrame({"q1": [1, 0, 1, 1], "q2": [0, 0, 1, None]})).tolist()
    [0.75, 0.3333333333333333]
    """
    p = _difficulty(_binary_values(items))[1]
    return pd.Series(p, index=pd.Index(list(items.columns), name="item"), name="difficulty")


def _difficulty(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Answers present and share correct of each column of the 0/1 (or NaN) array."""
    present = (~np.isnan(x)).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return present, np.where(present > 0, np.nansum(x, axis=0) / present, np.nan)


def point_biserial(items: pd.DataFrame) -> pd.Series:
    """Corrected point-biserial correlation: each item with the rest score.

    Parameters
    ----------
    items : pandas.DataFrame
        0/1 items; rows with a missing value are dropped (listwise).

    Returns
    -------
    pandas.Series
        Indexed by item, named ``r_pbis``: Pearson :math:`r(x_j, \\sum_{l \\ne j} x_l)`;
        NaN for an item (or rest score) without variance, with an
        :class:`~evalkit.UndefinedStatisticWarning` naming the items.

    References
    ----------
    Crocker & Algina (1986), ch. 14. R: ``cor(x[, j], rowSums(x[, -j]))`` on complete cases
    (equal to ``psych::alpha(x)$item.stats$r.drop``).

    Examples
    --------
    >>> import pandas as pd
    >>> x = pd.DataFrame({"q1": [1, 0, 1, 1, 0], "q2": [1, 0, 1, 0, 0], "q3": [1, 1, 1, 0, 0]})
    >>> point_biserial(x).round(3).tolist()
    [0.456, 0.873, 0.456]
    """
    x = _complete_rows(_binary_values(items))
    r = rest_correlation(x, [str(c) for c in items.columns], stat="r_pbis", rest_stat="r_pbis")
    return pd.Series(r, index=pd.Index(list(items.columns), name="item"), name="r_pbis")


def discrimination_index(items: pd.DataFrame, *, fraction: float = 0.27) -> pd.DataFrame:
    """Upper-lower discrimination index (Kelley's 27% groups).

    Parameters
    ----------
    items : pandas.DataFrame
        0/1 items; rows with a missing value are dropped (listwise).
    fraction : float
        Share of respondents in each of the upper and lower groups (0 < fraction <= 0.5).

    Returns
    -------
    pandas.DataFrame
        Indexed by item, columns ``p_upper, p_lower, d`` with :math:`D = p_U - p_L`.

    Notes
    -----
    :math:`n_g = \\operatorname{round}(fraction \\cdot n)` (half up, at least 1). The
    lower group is the :math:`n_g` respondents with the lowest total scores, the upper
    group the :math:`n_g` with the highest. Respondents tied at a group's boundary score
    share the places left at that score equally: with :math:`m` respondents strictly
    beyond the boundary and :math:`t` at it, each of the :math:`t` counts with weight
    :math:`(n_g - m)/t` in :math:`p_U` (or :math:`p_L`), so each group still weighs
    :math:`n_g`. This is the average of the index over every order of the tied
    respondents (the mid-rank treatment of ties), so the result does not depend on the
    row order; without a tie at the boundary it is the plain upper-lower index.

    References
    ----------
    Kelley, T. L. (1939). The selection of upper and lower groups for the validation of
    test items. Journal of Educational Psychology, 30, 17-24. R (by the formula), with
    ``s <- rowSums(x)``: ``w <- function(s) { cut <- sort(s)[ng]; below <- s < cut;
    ifelse(below, 1, (s == cut) * (ng - sum(below)) / sum(s == cut)) }``;
    ``colSums(x * w(-s)) / ng - colSums(x * w(s)) / ng`` (equal to the mean of
    ``colMeans(x[tail(o, ng), ]) - colMeans(x[head(o, ng), ])`` over the orders ``o``
    that break the ties every possible way).

    Examples
    --------
    >>> import pandas as pd
    >>> x = pd.DataFrame({"q1": [1, 0, 1, 1, 0], "q2": [1, 0, 1, 0, 0]})
    >>> discrimination_index(x, fraction=0.4)["d"].tolist()
    [1.0, 1.0]
    >>> x = pd.DataFrame({"q1": [1, 0, 0], "q2": [0, 1, 0]})  # rows 1, 2 tie for the top place
    >>> discrimination_index(x, fraction=0.25)["p_upper"].tolist()
    [0.5, 0.5]
    """
    _check_fraction(fraction)
    p_upper, p_lower = _upper_lower(_complete_rows(_binary_values(items)), fraction)
    return pd.DataFrame({"p_upper": p_upper, "p_lower": p_lower, "d": p_upper - p_lower},
                        index=pd.Index(list(items.columns), name="item"))  # fmt: skip


def _check_fraction(fraction: Any) -> None:
    if not isinstance(fraction, int | float) or not 0 < fraction <= 0.5:
        raise EvalkitError(tr(MSG_FRACTION, value=fraction))


def _upper_lower(x: np.ndarray, fraction: float) -> tuple[np.ndarray, np.ndarray]:
    """Share correct in the upper and in the lower group, from the complete 0/1 rows ``x``."""
    n = x.shape[0]
    if n < 2:
        warnings.warn(tr(MSG_TOO_FEW_ROWS, n=n), EvalkitWarning, stacklevel=3)
        nan = np.full(x.shape[1], np.nan)
        return nan, nan
    n_g = max(1, int(np.floor(fraction * n + 0.5)))
    total = x.sum(axis=1)
    return _group_weights(-total, n_g) @ x / n_g, _group_weights(total, n_g) @ x / n_g


def item_indices(items: pd.DataFrame, *, fraction: float = 0.27) -> pd.DataFrame:
    """Difficulty, point-biserial and upper-lower index of each 0/1 item, in one pass.

    The same numbers as :func:`item_difficulty`, :func:`point_biserial` and
    :func:`discrimination_index`, with the items checked and the complete rows found once.

    Parameters
    ----------
    items : pandas.DataFrame
        One column per item, values 0, 1 or NaN.
    fraction : float
        Share of respondents in each of the upper and lower groups (0 < fraction <= 0.5).

    Returns
    -------
    pandas.DataFrame
        Indexed by item, columns ``n`` (answers present), ``difficulty`` (over the answers
        present), ``r_pbis``, ``p_upper``, ``p_lower`` and ``d`` (over the complete rows).

    Examples
    --------
    >>> import pandas as pd
    >>> x = pd.DataFrame({"q1": [1, 0, 1, 1, 0], "q2": [1, 0, 1, 0, 0], "q3": [1, 1, 1, 0, 0]})
    >>> item_indices(x, fraction=0.4).round(3).to_dict("list")["r_pbis"]
    [0.456, 0.873, 0.456]
    """
    _check_fraction(fraction)
    x = _binary_values(items)
    present, difficulty = _difficulty(x)
    complete = _complete_rows(x)
    r = rest_correlation(complete, [str(c) for c in items.columns], stat="r_pbis", rest_stat="r_pbis")
    p_upper, p_lower = _upper_lower(complete, fraction)
    return pd.DataFrame({"n": present, "difficulty": difficulty, "r_pbis": r, "p_upper": p_upper,
                         "p_lower": p_lower, "d": p_upper - p_lower},
                        index=pd.Index(list(items.columns), name="item"))


def _group_weights(total: np.ndarray, n_g: int) -> np.ndarray:
    """Weight of each respondent in the group of the ``n_g`` lowest ``total`` scores:
    1 below the boundary score, an equal share of the places left for those at it."""
    cut = np.partition(total, n_g - 1)[n_g - 1]
    below = total < cut
    tied = total == cut
    return np.where(below, 1.0, np.where(tied, (n_g - below.sum()) / tied.sum(), 0.0))


def distractor_counts(responses: pd.DataFrame, key: Mapping[str, Any]) -> pd.DataFrame:
    """Count how often each option of each multiple-choice item was chosen.

    Parameters
    ----------
    responses : pandas.DataFrame
        One column per item holding the chosen option (e.g. ``"A"``..``"D"``); missing =
        not answered.
    key : mapping
        Correct option of each item (items of ``responses`` not in ``key`` are skipped).

    Returns
    -------
    pandas.DataFrame
        One row per (item, option) chosen at least once, sorted, columns ``item, option,
        count, share, is_key`` (``share`` of the answers given to that item). The key
        option appears even if nobody chose it.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"q1": ["A", "B", "A", None], "q2": ["C", "C", "D", "D"]})
    >>> distractor_counts(r, {"q1": "A", "q2": "D"})["count"].tolist()
    [2, 1, 2, 2]
    """
    check_frame(responses, "responses")
    missing = [item for item in key if item not in responses.columns]
    if missing:
        raise EvalkitError(tr(MSG_MISSING_COLUMN, param="key", value=missing[0], columns=list(responses.columns)))
    parts = []
    for item in key:  # a loop over items: each item's answers are counted by integer code
        column = responses[item]
        if isinstance(column.dtype, pd.CategoricalDtype):  # coded already, as validated answers are
            codes, chosen = column.cat.codes.to_numpy(), column.cat.categories
        else:
            codes, chosen = pd.factorize(column)
        count = np.bincount(codes[codes >= 0], minlength=len(chosen))
        parts.append(pd.DataFrame({"item": item, "option": [str(o) for o in chosen], "count": count}))
    counts = (pd.concat(parts, ignore_index=True).groupby(["item", "option"])["count"].sum()
              if parts else pd.Series(dtype=np.int64, index=pd.MultiIndex.from_tuples([], names=["item", "option"])))
    counts = counts[counts > 0]
    keys = pd.MultiIndex.from_tuples([(i, str(o)) for i, o in key.items()],
                                     names=["item", "option"])  # fmt: skip
    counts = counts.reindex(counts.index.union(keys), fill_value=0).sort_index()
    out = counts.reset_index()
    totals = out.groupby("item")["count"].transform("sum")
    out["share"] = np.where(totals > 0, out["count"] / totals.where(totals > 0, 1), np.nan)
    key_str = {i: str(o) for i, o in key.items()}
    out["is_key"] = out["option"] == out["item"].map(key_str)
    out["count"] = out["count"].astype(np.int64)
    return out[["item", "option", "count", "share", "is_key"]]


def mcnemar(before: Any, after: Any, *, exact: bool = False) -> pd.Series:
    """McNemar's test of a change in a 0/1 outcome (e.g. an item right before/after).

    Parameters
    ----------
    before, after : array-like of 0/1
        The same participants' answers (equal lengths); pairs with a missing value are
        dropped.
    exact : bool
        Use the exact binomial test on the discordant pairs instead of the chi-square
        statistic with continuity correction.

    Returns
    -------
    pandas.Series
        Indexed ``b, c, statistic, df, p``: ``b`` = pairs 1 -> 0, ``c`` = pairs 0 -> 1.

    Notes
    -----
    Default, as R's ``mcnemar.test`` (``correct = TRUE``):
    :math:`X^2 = (|b - c| - 1)^2 / (b + c)` when :math:`b \\ne c`, and :math:`X^2 = 0`
    (p = 1) when :math:`b = c`, where R applies no continuity correction;
    :math:`df = 1`. Exact: :math:`p = \\min(1, 2 P(B \\le \\min(b, c)))`,
    :math:`B \\sim Bin(b + c, 1/2)` (R's ``binom.test(b, b + c)``); ``statistic`` and
    ``df`` are NaN then. Without discordant pairs (:math:`b + c = 0`) the test is
    undefined (R: ``NaN``; ``binom.test`` stops): ``statistic`` and ``p`` are NaN with an
    :class:`~evalkit.UndefinedStatisticWarning`.

    References
    ----------
    McNemar, Q. (1947). Note on the sampling error of the difference between correlated
    proportions or percentages. Psychometrika, 12, 153-157.
    R: ``mcnemar.test(factor(before, 0:1), factor(after, 0:1))``.

    Examples
    --------
    >>> res = mcnemar([1, 0, 0, 0, 1, 0], [1, 1, 1, 1, 0, 1])
    >>> int(res["b"]), int(res["c"])
    (1, 4)
    >>> float(mcnemar([1, 0], [0, 1])["p"])  # b = c: no continuity correction, as R
    1.0
    """
    x = as_float_array("before", before)
    y = as_float_array("after", after)
    if len(x) != len(y):
        raise EvalkitError(tr(MSG_LENGTHS, n_pre=len(x), n_post=len(y)).replace(
            "'pre'", "'before'").replace("'post'", "'after'"))  # fmt: skip
    for param, values in (("before", x), ("after", y)):
        bad = ~np.isnan(values) & ~np.isin(values, [0.0, 1.0])
        if bad.any():
            raise EvalkitError(tr(MSG_NOT_BINARY, param=param, value=values[bad][0]))
    ok = ~np.isnan(x) & ~np.isnan(y)
    b = float(np.sum((x[ok] == 1) & (y[ok] == 0)))
    c = float(np.sum((x[ok] == 0) & (y[ok] == 1)))
    statistic = df = p = np.nan
    if b + c == 0:
        warnings.warn(tr(MSG_NO_DISCORDANT), UndefinedStatisticWarning, stacklevel=2)
    elif exact:
        p = float(stats.binomtest(int(b), int(b + c), 0.5).pvalue)
    else:
        # R corrects for continuity only when b != c: (|b - c| - 1)^2 would turn no
        # difference at all into a positive statistic.
        statistic = (abs(b - c) - 1) ** 2 / (b + c) if b != c else 0.0
        df = 1.0
        p = float(stats.chi2.sf(statistic, df))
    return pd.Series({"b": b, "c": c, "statistic": statistic, "df": df, "p": p})
