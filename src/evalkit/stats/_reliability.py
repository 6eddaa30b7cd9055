"""Internal consistency: Cronbach's alpha (Feldt CI), item-total statistics, omega."""

from __future__ import annotations

import warnings
from functools import cached_property

import numpy as np
import pandas as pd
from evalkit._lazy import scipy_optimize as optimize
from evalkit._lazy import scipy_stats as stats

from evalkit._errors import EvalkitError, EvalkitWarning, UndefinedStatisticWarning
from evalkit._i18n import tr

from ._common import MSG_NOT_NUMERIC, check_confidence

MSG_NOT_FRAME = {"code": "EK-ST-049",
    "id": "Parameter 'items' harus berupa DataFrame (satu kolom per butir); diberikan {value}.",
    "en": "The 'items' parameter must be a DataFrame (one column per item); got {value} instead.",
}
MSG_TOO_FEW = {"code": "EK-ST-050",
    "id": "Reliabilitas memerlukan sedikitnya 2 butir dan 2 responden lengkap; "
    "ada {k} butir dan {n} responden lengkap. Hasil diisi NaN.",
    "en": "Reliability needs at least 2 items and 2 complete respondents; "
    "got {k} item(s) and {n} complete respondent(s). The result is NaN.",
}
MSG_NO_FACTOR = {"code": "EK-ST-051",
    "id": "Omega tidak dapat dihitung: korelasi antarbutir rata-rata tidak positif, atau muatan "
    "faktor melebihi 1 (kasus Heywood); model satu faktor tidak cocok. Diisi NaN.",
    "en": "Omega cannot be computed: the mean inter-item correlation is not positive, or a "
    "loading exceeds 1 (Heywood case); a one-factor model does not fit. Set to NaN.",
}
MSG_ZERO_VARIANCE = {"code": "EK-ST-052",
    "id": "Varians nol ({what}): reliabilitas tidak dapat dihitung untuk {names}; diisi NaN.",
    "en": "Zero variance ({what}): reliability cannot be computed for {names}; set to NaN.",
}
MSG_ZERO_VARIANCE_ITEMS = {"code": "EK-ST-053",
    "id": "Varians nol (item): {stat} tidak dapat dihitung untuk {names}; diisi NaN.",
    "en": "Zero variance (item): {stat} cannot be computed for {names}; set to NaN.",
}
MSG_STD_ALPHA = {"code": "EK-ST-054",
    "id": "std_alpha tidak dapat dihitung: {why}; std_alpha diisi NaN.",
    "en": "std_alpha cannot be computed: {why}; std_alpha set to NaN.",
}
MSG_STD_ALPHA_ZERO = {"code": "EK-ST-055",
    "id": "butir {names} bervarians nol (korelasinya tidak terdefinisi)",
    "en": "item(s) {names} have zero variance (their correlations are undefined)",
}
MSG_STD_ALPHA_POLE = {"code": "EK-ST-056",
    "id": "korelasi antarbutir rata-rata sama dengan -1/(k-1), pembaginya nol",
    "en": "the mean inter-item correlation equals -1/(k-1), so the denominator is zero",
}
MSG_CONSTANT_REST = {"code": "EK-ST-057",
    "id": "{stat} tidak dapat dihitung untuk {names}: jumlah butir lainnya konstan; diisi NaN.",
    "en": "{stat} cannot be computed for {names}: the sum of the other items is constant; "
    "set to NaN.",
}
MSG_FEWER_ROWS_THAN_ITEMS = {"code": "EK-ST-058",
    "id": "Responden lengkap ({n}) lebih sedikit daripada butir ({k}): matriks kovarians butir "
    "singular, sehingga {what} sangat tidak stabil; baca dengan hati-hati.",
    "en": "Fewer complete respondents ({n}) than items ({k}): the item covariance matrix is "
    "singular, so {what} is very unstable; read it with care.",
}


def _complete_items(items: pd.DataFrame) -> tuple[np.ndarray, int, list[str]]:
    """Numeric item matrix of complete rows, number of rows dropped, item names."""
    if not isinstance(items, pd.DataFrame):
        raise EvalkitError(tr(MSG_NOT_FRAME, value=type(items).__name__))
    names = [str(c) for c in items]
    if all(isinstance(t, np.dtype) and t.kind in "fiu" for t in items.dtypes):  # numbers already: no parsing
        x = items.to_numpy(dtype=float)
        complete = ~np.isnan(x).any(axis=1)
        # Fortran order, as the parsed path gives: BLAS then sums in the same order.
        return np.asfortranarray(x[complete]), int((~complete).sum()), names
    numeric = items.apply(pd.to_numeric, errors="coerce")
    bad = numeric.isna() & items.notna()
    if bad.to_numpy().any():
        column = bad.any().idxmax()
        value = items.loc[bad[column], column].iloc[0]
        raise EvalkitError(tr(MSG_NOT_NUMERIC, param=f"items[{column!r}]", value=value))
    complete = numeric.dropna()
    return complete.to_numpy(dtype=float), len(items) - len(complete), names


class ItemMatrix:
    """The complete rows of an item table as floats, and their covariance matrix, computed
    once: :func:`cronbach_alpha`, :func:`omega_total` and :func:`item_total` take it in place
    of the DataFrame, so the statistics of one scale share that work."""

    def __init__(self, items: pd.DataFrame):
        self.values, self.n_dropped, self.names = _complete_items(items)
        self.columns = list(items.columns)

    @cached_property
    def cov(self) -> np.ndarray:
        return np.cov(self.values, rowvar=False)

    @cached_property
    def corr(self) -> np.ndarray:
        """As :func:`numpy.corrcoef`, from :attr:`cov`."""
        sd = np.sqrt(np.diag(self.cov))
        corr = self.cov / sd[:, None]
        corr /= sd[None, :]
        return np.clip(corr, -1, 1, out=corr)


def _matrix(items) -> ItemMatrix:
    return items if isinstance(items, ItemMatrix) else ItemMatrix(items)


def _alpha_of_cov(cov: np.ndarray) -> tuple[float, float]:
    """Raw and standardized alpha from the (k, k) item covariance matrix, k >= 2."""
    k = len(cov)
    total_var = cov.sum()
    item_var = np.diag(cov)
    raw = k / (k - 1) * (1 - item_var.sum() / total_var) if total_var > 0 else np.nan
    if np.any(item_var <= 0):
        return raw, np.nan
    corr = cov / np.sqrt(np.outer(item_var, item_var))
    r_bar = (corr.sum() - k) / (k * (k - 1))
    den = 1 + (k - 1) * r_bar
    # den is 0 (std_alpha would be +-inf) only when every correlation is as negative as
    # k items allow, e.g. two items with r = -1; rounding leaves it near 1e-16.
    std = k * r_bar / den if abs(den) > 1e-12 else np.nan
    return raw, std


def cronbach_alpha(items: pd.DataFrame, *, confidence: float = 0.95) -> pd.Series:
    """Cronbach's alpha with Feldt's confidence interval.

    Parameters
    ----------
    items : pandas.DataFrame or ItemMatrix
        One row per respondent, one column per item (reverse-keyed items already
        reversed). Rows with any missing value are dropped (listwise deletion).
    confidence : float
        Confidence level of the interval.

    Returns
    -------
    pandas.Series
        Indexed ``alpha, ci_low, ci_high, n, k, std_alpha, n_dropped``.

    Notes
    -----
    With :math:`k` items, item variances :math:`s_i^2` and total-score variance
    :math:`s_X^2`: :math:`\\alpha = \\frac{k}{k-1}(1 - \\sum s_i^2 / s_X^2)`;
    standardized :math:`\\alpha_{std} = k\\bar r / (1 + (k-1)\\bar r)` with :math:`\\bar r`
    the mean inter-item correlation. Feldt's interval with :math:`df_1 = n-1`,
    :math:`df_2 = (n-1)(k-1)` and :math:`\\gamma = 1 - ` confidence:
    :math:`[1 - (1-\\alpha)F_{1-\\gamma/2}(df_1, df_2),\\ 1 - (1-\\alpha)F_{\\gamma/2}(df_1, df_2)]`.
    Fewer than 2 items or complete rows, or a zero-variance total, give NaN with an
    ``EvalkitWarning``; ``std_alpha`` is NaN with a warning naming the items when an item
    has zero variance (its correlations are undefined) or when
    :math:`1 + (k-1)\\bar r = 0`. With fewer complete rows than items the covariance
    matrix is singular: alpha is reported, with a warning that it is unstable.

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    Psychometrika, 16, 297-334. Feldt, L. S., Woodruff, D. J., & Salih, F. A. (1987).
    Statistical inference for coefficient alpha. Applied Psychological Measurement,
    11, 93-103. R: ``psych::alpha(x)``, ``psych::alpha.ci(alpha, n, k)``.

    Examples
    --------
    >>> import pandas as pd
    >>> x = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 5, 4], "c": [1, 3, 3, 4, 5]})
    >>> round(float(cronbach_alpha(x)["alpha"]), 4)
    0.9451
    """
    confidence = check_confidence(confidence)
    matrix = _matrix(items)
    x, n_dropped, names = matrix.values, matrix.n_dropped, matrix.names
    n, k = x.shape
    raw, std = np.nan, np.nan
    if k < 2 or n < 2:
        warnings.warn(tr(MSG_TOO_FEW, k=k, n=n), UndefinedStatisticWarning, stacklevel=2)
    else:
        raw, std = _alpha_of_cov(matrix.cov)
        if np.isnan(raw):
            warnings.warn(tr(MSG_ZERO_VARIANCE, what="total", names="alpha"),
                          UndefinedStatisticWarning, stacklevel=2)
        elif np.isnan(std):
            zero = np.flatnonzero(x.var(axis=0) <= 0)
            why = (tr(MSG_STD_ALPHA_ZERO, names=", ".join(names[i] for i in zero)) if len(zero)
                   else tr(MSG_STD_ALPHA_POLE))
            warnings.warn(tr(MSG_STD_ALPHA, why=why), UndefinedStatisticWarning, stacklevel=2)
        if n < k:
            warnings.warn(tr(MSG_FEWER_ROWS_THAN_ITEMS, n=n, k=k, what="alpha"), EvalkitWarning,
                          stacklevel=2)
    gamma = 1 - confidence
    df1, df2 = n - 1, (n - 1) * (k - 1)
    if np.isfinite(raw):
        ci_low = 1 - (1 - raw) * stats.f.ppf(1 - gamma / 2, df1, df2)
        ci_high = 1 - (1 - raw) * stats.f.ppf(gamma / 2, df1, df2)
    else:
        ci_low = ci_high = np.nan
    return pd.Series(
        {
            "alpha": raw,
            "ci_low": ci_low,
            "ci_high": ci_high,
            "n": float(n),
            "k": float(k),
            "std_alpha": std,
            "n_dropped": float(n_dropped),
        }
    )


def item_total(items: pd.DataFrame) -> pd.DataFrame:
    """Item-total statistics: mean, SD, corrected item-total r, alpha if deleted.

    Parameters
    ----------
    items : pandas.DataFrame or ItemMatrix
        One column per item; rows with a missing value are dropped (listwise).

    Returns
    -------
    pandas.DataFrame
        Indexed by item, columns ``mean, sd, r_drop, alpha_if_deleted``.

    Notes
    -----
    ``r_drop`` is the Pearson correlation of the item with the sum of the *other* items;
    ``alpha_if_deleted`` the raw alpha of the remaining :math:`k-1` items (NaN when
    :math:`k-1 < 2`). ``r_drop`` is NaN, with a warning naming the items, for an item
    with zero variance; ``r_drop`` and ``alpha_if_deleted`` are NaN, with a warning of
    its own, for an item whose rest score (the sum of the other items) is constant.

    References
    ----------
    R: ``psych::alpha(x)$item.stats[, c("mean", "sd", "r.drop")]`` and
    ``psych::alpha(x)$alpha.drop$raw_alpha``.

    Examples
    --------
    >>> import pandas as pd
    >>> x = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 5, 4], "c": [1, 3, 3, 4, 5]})
    >>> item_total(x)["r_drop"].round(3).tolist()
    [0.97, 0.809, 0.899]
    """
    matrix = _matrix(items)
    x, names = matrix.values, matrix.names
    n, k = x.shape
    mean = x.mean(axis=0) if n else np.full(k, np.nan)
    sd = x.std(axis=0, ddof=1) if n > 1 else np.full(k, np.nan)
    r_drop = rest_correlation(x, names, stat="r_drop", rest_stat="r_drop, alpha_if_deleted",
                              cov=matrix.cov if n > 1 else None)
    alpha_drop = np.full(k, np.nan)
    if k > 2 and n > 1:  # each item's alpha-if-deleted from one covariance matrix, not k more
        others = ~np.eye(k, dtype=bool)
        alpha_drop = np.array([_alpha_of_cov(matrix.cov[np.ix_(others[i], others[i])])[0] for i in range(k)])
    return pd.DataFrame(
        {"mean": mean, "sd": sd, "r_drop": r_drop, "alpha_if_deleted": alpha_drop},
        index=pd.Index(matrix.columns, name="item"),
    )


def rest_correlation(x: np.ndarray, names: list[str], *, stat: str, rest_stat: str,
                     cov: np.ndarray | None = None) -> np.ndarray:
    """Correlation of each column of ``x`` (complete rows) with the sum of the others.

    Computed from the item covariance matrix ``cov`` (of ``x``; computed here when not
    given), so that no ``(n, k)`` rest-score matrix is built. NaN, with an
    :class:`~evalkit.UndefinedStatisticWarning`, for an item of zero variance (one warning
    naming those items, ``stat``) and for an item that varies while the sum of the others
    does not (another warning, ``rest_stat``).
    """
    n, k = x.shape
    r = np.full(k, np.nan)
    if n < 2:
        return r
    if cov is None:
        cov = np.atleast_2d(np.cov(x, rowvar=False))
    var_x = np.diag(cov).copy()
    with_rest = cov.sum(axis=1) - var_x  # cov(x_j, sum of the others)
    var_rest = cov.sum() - 2 * cov.sum(axis=1) + var_x
    own = var_x <= 0  # the item itself is constant
    # A constant rest score has a variance of 0 only up to rounding here: the items near it
    # are checked on their own rest score, so that "constant" keeps its exact meaning.
    near = np.flatnonzero(~own & (var_rest <= 1e-12 * np.abs(cov).sum()))
    rest_only = np.zeros(k, dtype=bool)
    for j in near:  # rarely any: items whose rest score (nearly) does not vary
        rest = np.delete(x, j, axis=1).sum(axis=1)
        rest_only[j] = np.ptp(rest) == 0
        var_rest[j] = rest.var(ddof=1)
        with_rest[j] = np.dot(x[:, j] - x[:, j].mean(), rest - rest.mean()) / (n - 1)
    ok = ~own & ~rest_only
    r[ok] = with_rest[ok] / np.sqrt(var_x[ok] * var_rest[ok])
    for which, message, name in ((own, MSG_ZERO_VARIANCE_ITEMS, stat),
                                 (rest_only, MSG_CONSTANT_REST, rest_stat)):
        if which.any():
            listed = ", ".join(names[i] for i in np.flatnonzero(which))
            warnings.warn(tr(message, stat=name, names=listed), UndefinedStatisticWarning, stacklevel=3)
    return r


def _one_factor_minres(corr: np.ndarray) -> np.ndarray:
    """Loadings of one factor by minimum residuals (unweighted least squares).

    Minimizes :math:`\\sum_{i \\ne j} (r_{ij} - \\lambda_i \\lambda_j)^2` with an analytic
    gradient, starting from the first principal axis.
    """
    k = corr.shape[0]
    off = ~np.eye(k, dtype=bool)

    def loss(lam: np.ndarray) -> tuple[float, np.ndarray]:
        resid = np.where(off, corr - np.outer(lam, lam), 0.0)
        return float((resid**2).sum()), -4 * resid @ lam

    values, vectors = np.linalg.eigh(corr)
    start = vectors[:, -1] * np.sqrt(values[-1])
    start = start if start.sum() >= 0 else -start
    result = optimize.minimize(
        loss, start, jac=True, method="L-BFGS-B", options={"gtol": 1e-12, "ftol": 1e-15}
    )
    lam = result.x
    return lam if lam.sum() >= 0 else -lam


def omega_total(items: pd.DataFrame) -> float:
    """McDonald's omega total from a one-factor minimum-residual factor analysis.

    Parameters
    ----------
    items : pandas.DataFrame or ItemMatrix
        One column per item; rows with a missing value are dropped (listwise).

    Returns
    -------
    float
        :math:`\\omega_t`, NaN (with a warning) for fewer than 3 items, a zero-variance item,
        a mean inter-item correlation <= 0, or a loading above 1 (Heywood case, where
        ``psych`` bounds the uniquenesses at 0.005 and still reports a value). With fewer
        complete rows than items it is reported with a warning (singular correlations).

    Notes
    -----
    On the correlation matrix :math:`R` with one-factor minres loadings
    :math:`\\lambda_i` and uniquenesses :math:`u_i^2 = 1 - \\lambda_i^2`:
    :math:`\\omega_t = 1 - \\sum u_i^2 / \\mathbf 1' R \\mathbf 1`, the definition of
    ``psych::omega`` (``om.tot <- (Vt - uniq)/Vt`` with ``Vt = sum(R)``). Items must be
    keyed in the same direction (reverse-keyed items reversed first): unlike
    ``psych::omega``'s default (``flip = TRUE``), no item with a negative loading is
    reversed here, so a negatively loading item lowers omega instead of being silently
    turned round.

    References
    ----------
    McDonald, R. P. (1999). Test theory: A unified treatment. Erlbaum.
    Revelle, W., & Zinbarg, R. E. (2009). Coefficients alpha, beta, omega, and the glb.
    Psychometrika, 74, 145-154. R: ``psych::omega(x, nfactors = 1, flip = FALSE)$omega.tot``
    (equal to the default ``flip = TRUE`` when no loading is negative).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> f = rng.normal(size=200)  # one common factor, four items
    >>> x = pd.DataFrame({f"q{i}": 0.7 * f + rng.normal(scale=0.7, size=200) for i in range(4)})
    >>> 0 < omega_total(x) < 1
    True
    """
    matrix = _matrix(items)
    x, names = matrix.values, matrix.names
    n, k = x.shape
    if k < 3 or n < 2:
        # one factor needs three items to be identified
        warnings.warn(tr(MSG_TOO_FEW, k=k, n=n), UndefinedStatisticWarning, stacklevel=2)
        return float("nan")
    sd = x.std(axis=0, ddof=1)
    if np.any(sd <= 0):
        zero = [names[i] for i in np.flatnonzero(sd <= 0)]
        warnings.warn(tr(MSG_ZERO_VARIANCE_ITEMS, stat="omega", names=", ".join(zero)),
                      UndefinedStatisticWarning, stacklevel=2)
        return float("nan")
    corr = matrix.corr
    if corr.sum() <= k:
        # mean inter-item correlation <= 0: one common factor cannot describe the items
        warnings.warn(tr(MSG_NO_FACTOR), UndefinedStatisticWarning, stacklevel=2)
        return float("nan")
    lam = _one_factor_minres(corr)
    uniqueness = 1 - lam**2
    omega = float(1 - uniqueness.sum() / corr.sum())
    if np.any(uniqueness < 0) or not 0 <= omega <= 1:  # Heywood case or no common factor
        warnings.warn(tr(MSG_NO_FACTOR), UndefinedStatisticWarning, stacklevel=2)
        return float("nan")
    if n < k:
        warnings.warn(tr(MSG_FEWER_ROWS_THAN_ITEMS, n=n, k=k, what="omega"), EvalkitWarning,
                      stacklevel=2)
    return omega
