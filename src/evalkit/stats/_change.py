"""Individual change: Jacobson-Truax reliable change index."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from evalkit._errors import EvalkitError, UndefinedStatisticWarning
from evalkit._i18n import tr

from ._common import MSG_LENGTHS, as_float_array, check_positive

MSG_RELIABILITY = {"code": "EK-ST-004",
    "id": "Parameter 'reliability' harus di antara 0 dan 1 (tidak termasuk 1); diberikan {value!r}.",
    "en": "The 'reliability' parameter must be at least 0 and below 1; got {value!r} instead.",
}
MSG_NO_SDIFF = {"code": "EK-ST-005",
    "id": "Indeks perubahan reliabel tidak dapat dihitung: simpangan baku pre-test {why}; "
    "rci diisi NaN.",
    "en": "The reliable change index cannot be computed: the pre-test standard deviation "
    "{why}; rci set to NaN.",
}
MSG_SD_UNDEFINED = {"code": "EK-ST-006", "id": "tidak terdefinisi (kurang dari 2 skor)",
                    "en": "is undefined (fewer than 2 scores)"}
MSG_SD_ZERO = {"code": "EK-ST-007", "id": "nol", "en": "is zero"}


def reliable_change(
    pre: Any, post: Any, *, reliability: float, sd_pre: float | None = None
) -> np.ndarray:
    """Jacobson-Truax reliable change index of each participant.

    Parameters
    ----------
    pre, post : array-like
        Scores of the same participants (equal lengths); NaN gives NaN.
    reliability : float
        Reliability of the test (e.g. Cronbach's alpha or test-retest r), in [0, 1).
    sd_pre : float, optional
        Standard deviation of the pre-test in the reference population; by default the
        sample SD (ddof=1) of the non-missing ``pre``.

    Returns
    -------
    numpy.ndarray
        :math:`RCI_i = (post_i - pre_i) / S_{diff}`.

    Notes
    -----
    :math:`SE = s_{pre}\\sqrt{1 - r}`, :math:`S_{diff} = \\sqrt{2 SE^2} = \\sqrt 2\\, SE`.
    :math:`|RCI| > 1.96` is a change unlikely (p < .05) to be measurement error.
    Without a usable :math:`s_{pre}` (fewer than 2 pre-test scores, or an SD of 0) every
    RCI is NaN, with an :class:`~evalkit.UndefinedStatisticWarning`.

    References
    ----------
    Jacobson, N. S., & Truax, P. (1991). Clinical significance: A statistical approach to
    defining meaningful change in psychotherapy research. Journal of Consulting and
    Clinical Psychology, 59(1), 12-19. R (by the formula):
    ``(post - pre) / (sqrt(2) * sd(pre) * sqrt(1 - r))``.

    Examples
    --------
    >>> reliable_change([10, 20], [20, 20], reliability=0.75, sd_pre=10).round(4).tolist()
    [1.4142, 0.0]
    """
    x = as_float_array("pre", pre)
    y = as_float_array("post", post)
    if len(x) != len(y):
        raise EvalkitError(tr(MSG_LENGTHS, n_pre=len(x), n_post=len(y)))
    try:
        r = float(reliability)
    except (TypeError, ValueError):
        raise EvalkitError(tr(MSG_RELIABILITY, value=reliability)) from None
    if not 0 <= r < 1:
        raise EvalkitError(tr(MSG_RELIABILITY, value=reliability))
    if sd_pre is None:
        values = x[~np.isnan(x)]
        sd = float(np.std(values, ddof=1)) if len(values) > 1 else float("nan")
    else:
        sd = check_positive("sd_pre", sd_pre)
    s_diff = np.sqrt(2) * sd * np.sqrt(1 - r)
    if not np.isfinite(s_diff) or s_diff <= 0:
        why = tr(MSG_SD_UNDEFINED if np.isnan(sd) else MSG_SD_ZERO)
        warnings.warn(tr(MSG_NO_SDIFF, why=why), UndefinedStatisticWarning, stacklevel=2)
        return np.full(len(x), np.nan)
    return (y - x) / s_diff


def classify_change(rci: Any, *, threshold: float = 1.96) -> np.ndarray:
    """Label reliable change indices ``"improved"``, ``"unchanged"`` or ``"worse"``.

    Parameters
    ----------
    rci : array-like
        Reliable change indices (:func:`reliable_change`).
    threshold : float
        Critical value (1.96: two-sided 5%).

    Returns
    -------
    numpy.ndarray of object
        ``"improved"`` where ``rci > threshold``, ``"worse"`` where ``rci < -threshold``,
        ``"unchanged"`` otherwise, ``None`` where ``rci`` is NaN.

    References
    ----------
    Jacobson & Truax (1991).

    Examples
    --------
    >>> classify_change([2.5, 0.3, -2.0, float("nan")]).tolist()
    ['improved', 'unchanged', 'worse', None]
    """
    values = as_float_array("rci", rci)
    threshold = check_positive("threshold", threshold)
    out = np.full(values.shape, "unchanged", dtype=object)
    out[values > threshold] = "improved"
    out[values < -threshold] = "worse"
    out[np.isnan(values)] = None
    return out
