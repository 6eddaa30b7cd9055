"""The kernel of :mod:`evalkit.stats._meta`: ``metafor::rma`` for many groups at once.

The studies (trainings) of each group sit in one row of padded ``groups x k_max`` arrays,
and every step (weighted least squares, the Fisher scoring of REML, the tests) is a batched
numpy operation over all groups.
"""

from __future__ import annotations

import numpy as np
from evalkit._lazy import scipy_special as special
from evalkit._lazy import scipy_stats as stats

from ._common import safe_divide

#: Fisher scoring stops when tau² moves less than this (relative to max(1, tau²)).
_THRESHOLD = 1e-11
_MAX_ITER = 1000


class Padded:
    """Each group's studies as one row of ``groups x k_max`` arrays (``mask`` marks studies)."""

    def __init__(self, codes: np.ndarray, n_groups: int, y: np.ndarray, v: np.ndarray,
                 columns: list[np.ndarray]):
        order = np.argsort(codes, kind="stable")
        codes = codes[order]
        k = np.bincount(codes, minlength=n_groups)
        slot = np.arange(codes.size) - np.repeat(np.cumsum(k) - k, k)
        width = max(int(k.max(initial=0)), 1)
        self.k = k
        self.mask = np.zeros((n_groups, width))
        self.mask[codes, slot] = 1.0
        self.y = np.zeros((n_groups, width))
        self.y[codes, slot] = y[order]
        self.v = np.ones((n_groups, width))
        self.v[codes, slot] = v[order]
        self.x = np.zeros((n_groups, width, len(columns)))
        for j, col in enumerate(columns):
            self.x[codes, slot, j] = col[order]


def _wls(w: np.ndarray, y: np.ndarray, x: np.ndarray, absent: np.ndarray):
    """Weighted least squares of every group: ``(b, (X'WX)^-1, residuals)``.

    ``absent`` marks model columns a group does not use (a factor level it lacks): their
    diagonal of X'WX is set to 1, so they get coefficient 0 and add nothing to the traces.
    """
    xtwx = np.einsum("gk,gki,gkj->gij", w, x, x) + absent[:, :, None] * np.eye(x.shape[2])
    xtwx[w.sum(axis=1) == 0] = np.eye(x.shape[2])  # a group without studies (reported as NaN)
    inv = np.linalg.inv(xtwx)
    b = np.einsum("gij,gj->gi", inv, np.einsum("gk,gki,gk->gi", w, x, y))
    return b, inv, y - np.einsum("gki,gi->gk", x, b)


def _trace_p(w: np.ndarray, x: np.ndarray, inv: np.ndarray) -> np.ndarray:
    """tr(P), :math:`P = W - WX(X'WX)^{-1}X'W`."""
    return w.sum(axis=1) - np.einsum("gij,gji->g", inv, np.einsum("gk,gki,gkj->gij", w * w, x, x))


def _reml_tau2(pad: Padded, absent: np.ndarray, start: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """REML tau² of every group by Fisher scoring (Viechtbauer 2005), metafor's algorithm.

    Step: ``(Y'PPY - tr P) / tr(PP)``; a step that would make tau² negative is halved until
    it does not (from tau² = 0 it is dropped), as metafor does. NaN where it does not
    converge within ``_MAX_ITER`` steps.
    """
    tau2 = np.where(ok, start, np.nan)
    active = np.flatnonzero(ok)
    x_all = pad.x
    for _ in range(_MAX_ITER):
        if not active.size:
            return tau2
        m, t, x = pad.mask[active], tau2[active], x_all[active]
        w = m / (pad.v[active] + t[:, None])
        _, inv, e = _wls(w, pad.y[active], x, absent[active])
        a = np.einsum("gij,gjk->gik", inv, np.einsum("gk,gki,gkj->gij", w * w, x, x))
        tr_p = w.sum(axis=1) - np.einsum("gii->g", a)
        tr_pp = ((w * w).sum(axis=1)
                 - 2 * np.einsum("gij,gji->g", inv, np.einsum("gk,gki,gkj->gij", w**3, x, x))
                 + np.einsum("gij,gji->g", a, a))
        adj = (((w * e) ** 2).sum(axis=1) - tr_p) / tr_pp
        negative = t + adj < 0
        if negative.any():
            # metafor halves the step until tau² stays >= 0: that many halvings at once
            ratio = np.where(negative & (t > 0), -adj / np.where(t > 0, t, 1.0), 1.0)
            shrunk = np.where(t > 0, adj / 2.0 ** np.ceil(np.log2(ratio)), 0.0)
            shrunk = np.where(t + shrunk < 0, shrunk / 2, shrunk)  # rounding in log2
            adj = np.where(negative, shrunk, adj)
        tau2[active] = t + adj
        active = active[np.abs(adj) > _THRESHOLD * np.maximum(1.0, np.abs(t + adj))]
    tau2[active] = np.nan
    return tau2


def rma(pad: Padded, absent: np.ndarray, method: str, test: str, confidence: float,
         tested: np.ndarray) -> dict[str, np.ndarray]:
    """Fit ``rma(yi, vi, mods = X, method, test)`` in every group.

    ``tested`` (``p`` booleans) marks the coefficients of the omnibus moderator test (QM).
    Returns per group: ``k, p`` (model columns used), ``b, vb`` (coefficients and their
    covariance, KH-scaled if asked), ``df`` (``k - p``, NaN for ``test="z"``), ``crit``,
    ``tau2, i2, h2, q, q_df, q_p, qm, qm_df1, qm_df2, qm_p`` and ``failed``.
    """
    n_groups, _, n_par = pad.x.shape
    p = n_par - absent.sum(axis=1)
    k = pad.k
    enough = k > p
    # Fixed-effect weights: Q_E, and the "typical" within-study variance of I² (Higgins &
    # Thompson 2002, generalized to meta-regression as metafor does).
    w0 = pad.mask / pad.v
    _, inv0, e0 = _wls(w0, pad.y, pad.x, absent)
    q = (w0 * e0 * e0).sum(axis=1)
    tr_p0 = _trace_p(w0, pad.x, inv0)
    resid_df = (k - p).astype(float)
    dl = np.where(enough, np.maximum(0.0, safe_divide(q - resid_df, tr_p0)), np.nan)
    tau2 = dl if method == "DL" else _reml_tau2(pad, absent, dl, enough)  # REML starts from DL
    failed = ~enough | np.isnan(tau2)
    tau2 = np.where(failed, np.nan, tau2)
    w = pad.mask / (pad.v + np.nan_to_num(tau2)[:, None])
    b, vb, e = _wls(w, pad.y, pad.x, absent)
    with np.errstate(divide="ignore", invalid="ignore"):
        if test == "knha":
            s2 = (w * e * e).sum(axis=1) / resid_df
            vb = vb * s2[:, None, None]
            df = np.where(enough, resid_df, np.nan)
            crit = stats.t.ppf(0.5 + confidence / 2, df)
        else:
            df = np.full(n_groups, np.nan)
            crit = np.full(n_groups, special.ndtri(0.5 + confidence / 2))
        typical = resid_df / tr_p0
        i2 = 100 * tau2 / (typical + tau2)
        h2 = (typical + tau2) / typical
    # Omnibus test of the tested coefficients (absent ones have b = 0 and add nothing).
    sel = np.flatnonzero(tested)
    m = (tested[None, :] & ~absent).sum(axis=1).astype(float)
    qm = np.full(n_groups, np.nan)
    if sel.size:
        bt = b[:, sel]
        vt = vb[:, sel][:, :, sel] + absent[:, sel][:, :, None] * np.eye(sel.size)
        fine = ~failed & (m > 0)
        if fine.any():
            qm[fine] = np.einsum("gi,gi->g", bt[fine], np.linalg.solve(vt[fine], bt[fine][..., None])[..., 0])
    if test == "knha":
        qm = qm / m
        qm_df2 = df
        qm_p = stats.f.sf(qm, m, df)
    else:
        qm_df2 = np.full(n_groups, np.nan)
        qm_p = stats.chi2.sf(qm, m)
    b[failed] = np.nan
    vb[failed] = np.nan
    return {
        "k": k, "p": p, "b": b, "vb": vb, "df": df, "crit": crit, "tau2": tau2,
        "i2": np.where(failed, np.nan, i2), "h2": np.where(failed, np.nan, h2),
        "q": np.where(enough, q, np.nan), "q_df": np.where(enough, resid_df, np.nan),
        "q_p": np.where(enough, stats.chi2.sf(q, resid_df), np.nan),
        "qm": qm, "qm_df1": np.where(m > 0, m, np.nan), "qm_df2": qm_df2, "qm_p": qm_p,
        "failed": failed,
    }
