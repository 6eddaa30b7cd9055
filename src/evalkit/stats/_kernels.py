"""The array kernels behind the paired and gain tables, and the cell protocol they share.

A :class:`Cells` says which rows belong to which cell and which cells pool others (a
scale's ``ALL``). The paired kernel (:func:`paired_cells`), the Hake gain kernel
(:func:`gain_cells`) and the signed-rank kernel (:func:`signed_rank_cells`)
take one; the public DataFrame functions build it from their group column. One sentinel
throughout: ``-1`` means "none" (a row in no cell, a cell pooled into nothing, a cell
without a label in ``index``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from evalkit._lazy import scipy_stats as stats

from evalkit._errors import EvalkitError
from evalkit._i18n import tr

from ..config import get_config
from ._common import group_sum, pool, safe_divide, side_by_side
from ._effects import d_z_ci
from ._ranks import signed_rank

PAIRED_COLUMNS = [
    "n", "mean_pre", "sd_pre", "mean_post", "sd_post", "mean_diff", "sd_diff",
    "ci_low", "ci_high", "t", "df", "p", "w", "p_wilcoxon", "wilcoxon_method",
    "d_z", "g_av", "share_any_rise",
]  # fmt: skip
GAIN_COLUMNS = ["g_class", "g_individual", "n_excluded"]

MSG_CONSTANT_DIFF = {"code": "EK-ST-031",
    "id": "Selisih post − pre konstan (simpangan baku 0) pada kelompok {groups}: "
    "uji t, d_z dan interval kepercayaan tidak dapat dihitung (diisi NaN).",
    "en": "The post − pre differences are constant (standard deviation 0) in group(s) "
    "{groups}: the t-test, d_z and the confidence interval cannot be computed (set to NaN).",
}
MSG_ONE_PAIR = {"code": "EK-ST-032",
    "id": "Hanya satu pasangan lengkap pada kelompok {groups}: simpangan baku, uji t, "
    "interval kepercayaan, d_z dan g_av tidak dapat dihitung (diisi NaN).",
    "en": "Only one complete pair in group(s) {groups}: the standard deviations, t-test, "
    "confidence interval, d_z and g_av cannot be computed (set to NaN).",
}
MSG_ALL_ZERO = {"code": "EK-ST-033",
    "id": "Semua selisih post − pre bernilai nol pada kelompok {groups}: "
    "uji Wilcoxon tidak dapat dihitung (p_wilcoxon diisi NaN).",
    "en": "All post − pre differences are zero in group(s) {groups}: "
    "the Wilcoxon test cannot be computed (p_wilcoxon set to NaN).",
}
MSG_ABOVE_MAX = {"code": "EK-ST-034",
    "id": "Parameter 'max_score' ({max_score}) lebih kecil dari nilai di data ({value}).",
    "en": "The 'max_score' parameter ({max_score}) is smaller than a score in the data "
    "({value}); got max_score={max_score} instead of at least {value}.",
}


@dataclass(frozen=True)
class Cells:
    """Which rows belong to which cell, and how cells pool.

    Attributes
    ----------
    code : ndarray of int
        Each row's cell, ``0 .. len(index) - 1``; ``-1``: the row is in no cell.
    index : pandas.Index
        One entry per cell, naming it in warnings and tables.
    pooled : ndarray of int or None
        Each cell's pooled cell (``-1``: none). A pooled cell holds no rows of its own and
        receives its members' sufficient statistics, so no row is read twice; its members
        are the run of cells just before it (a scale's groups before its ``ALL``).
    """

    code: np.ndarray
    index: pd.Index
    pooled: np.ndarray | None = None

    @property
    def n(self) -> int:
        """Number of cells."""
        return len(self.index)

    @classmethod
    def grid(cls, scale_code: np.ndarray, group_code: np.ndarray, *, scales, groups,
             all_label=None) -> Cells:
        """Cells of every (scale, group), scale after scale.

        ``group_code`` is each row's position in ``groups`` (``-1``: no group). With
        ``all_label``, each scale has two more cells after its groups: one for its rows
        without a group (unlabelled, ``-1`` in ``index``) and ``all_label`` pooling every
        row of the scale; without it, rows without a group are in no cell.
        """
        groups = np.asarray(groups, dtype=object)
        n_scales, n_groups = len(scales), len(groups)
        group_code = np.asarray(group_code)
        if all_label is None:
            width, pooled = n_groups, None
            slot = group_code
            labels, label_code = groups, np.arange(n_groups)
        else:
            width = n_groups + 2
            slot = np.where(group_code >= 0, group_code, n_groups)
            into = np.tile(np.append(np.full(n_groups + 1, width - 1), -1), n_scales)
            pooled = np.where(into >= 0, into + np.repeat(np.arange(n_scales) * width, width), -1)
            labels = np.append(groups, np.array([all_label], dtype=object))
            label_code = np.r_[np.arange(n_groups), -1, n_groups]
        code = np.where(slot >= 0, scale_code.astype(np.intp) * width + slot, -1)
        index = pd.MultiIndex(levels=[np.asarray(scales, dtype=object), labels],
                              codes=[np.repeat(np.arange(n_scales), width), np.tile(label_code, n_scales)],
                              names=["scale", "group"], verify_integrity=False)
        return cls(code=code, index=index, pooled=pooled)

    def labelled(self) -> np.ndarray:
        """Which cells have a label (every level of ``index`` known)."""
        if isinstance(self.index, pd.MultiIndex):
            return (np.stack([np.asarray(c) for c in self.index.codes]) >= 0).all(axis=0)
        return np.ones(self.n, dtype=bool)


def t_two_sided_p(t: np.ndarray, df: np.ndarray) -> np.ndarray:
    """``2 * t.sf(|t|, df)`` elementwise; with many values (the Welch tests of every pair of
    1,000 groups are 500,000 per scale) the halves run on two threads."""
    def p(part: slice) -> np.ndarray:
        return 2 * stats.t.sf(np.abs(t[part]), df[part])

    half = len(t) // 2
    first, second = side_by_side(lambda: p(slice(0, half)), lambda: p(slice(half, None)),
                                 threaded=len(t) >= get_config()["side_by_side_rows"])
    return np.concatenate([first, second])


def _warn_cells(template: dict, which: np.ndarray, cells: Cells) -> list[str]:
    """The message of ``template`` naming the cells where ``which`` holds (none: [])."""
    if not which.any():
        return []
    return [tr(template, groups=", ".join(str(k) for k in cells.index[which]))]


def paired_cells(pre: np.ndarray, post: np.ndarray, cells: Cells, confidence: float, *,
                 with_d_z_ci: bool = False) -> tuple[dict[str, np.ndarray], list[str]]:
    """The columns of :func:`evalkit.stats.paired_by_group` per cell, as arrays, and the
    messages of the cells where a statistic is undefined (for the caller to warn).

    Pairs with a missing value are left out. ``constant`` marks the cells whose differences
    are constant: elsewhere ``d_z`` is exactly ``mean_diff / sd_diff`` (wherever both are
    finite and ``sd_diff > 0``). ``with_d_z_ci`` adds ``d_z_ci_low, d_z_ci_high``
    (:func:`d_z_ci`); with two cores and many rows (``rank_overlap_rows``), the signed
    ranks are then counted in a second thread meanwhile.
    """
    n_out = cells.n
    n_groups = n_out + 1  # one spare bin for rows in no cell, dropped at the end
    keep = ~np.isnan(pre) & ~np.isnan(post)
    if keep.all():
        keep = slice(None)
    pre, post, kept = pre[keep], post[keep], np.asarray(cells.code)[keep]
    codes = kept
    if (codes < 0).any():
        codes = np.where(codes >= 0, codes, n_out)
    pooled = None if cells.pooled is None else np.append(cells.pooled, -1)
    diff = post - pre
    # The ranks are numpy work that never touches the warnings filters: from many rows on
    # they are counted in a second thread from the start, while this one computes the
    # moments and searches the roots (whose failure check sets the filters).
    columns, (w, p_wilcoxon, method) = side_by_side(
        lambda: _moment_columns(pre, post, diff, codes, n_groups, pooled, confidence, with_d_z_ci),
        lambda: signed_rank_cells(diff, Cells(code=kept, index=cells.index, pooled=cells.pooled)),
        threaded=with_d_z_ci and len(diff) >= get_config()["rank_overlap_rows"])
    columns.update(w=w, p_wilcoxon=p_wilcoxon, wilcoxon_method=method)
    out = {name: columns[name][:n_out]
           for name in PAIRED_COLUMNS + ["constant", "d_z_ci_low", "d_z_ci_high"] if name in columns}
    out["n"] = out["n"].astype(np.int64)
    n = out["n"]
    messages = (_warn_cells(MSG_ONE_PAIR, n == 1, cells) + _warn_cells(MSG_CONSTANT_DIFF, out["constant"], cells)
                + _warn_cells(MSG_ALL_ZERO, (n > 0) & np.isnan(out["p_wilcoxon"]), cells))
    return out, messages


def _group_moments(
    values: np.ndarray, codes: np.ndarray, n: np.ndarray, n_groups: int, pooled: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """Per-group mean and sample SD (ddof=1) by the two-pass formula.

    A pooled group's sum of squares combines its members' (Chan et al.'s update:
    :math:`M_2 = \\sum_g M_{2,g} + n_g(\\bar x_g - \\bar x)^2`), which keeps the two-pass
    precision without reading the rows again.
    """
    mean = safe_divide(group_sum(codes, values, n_groups, pooled), n)
    dev = values - mean[codes]
    sq = group_sum(codes, dev * dev, n_groups)
    if pooled is not None:
        members = np.flatnonzero((pooled >= 0) & (n > 0))
        spread = np.zeros(n_groups)
        spread[members] = n[members] * (mean[members] - mean[pooled[members]]) ** 2
        sq = pool(sq + spread, pooled) - spread  # members keep their own sum of squares
    var = safe_divide(sq, n - 1)
    var[n < 2] = np.nan
    return mean, np.sqrt(var)


def _moment_columns(pre, post, diff, codes, n_groups: int, pooled, confidence: float,
                    with_d_z_ci: bool) -> dict[str, np.ndarray]:
    """Every column of :func:`paired_cells` but the signed-rank test's."""
    n = group_sum(codes, None, n_groups, pooled)
    mean_pre, sd_pre = _group_moments(pre, codes, n, n_groups, pooled)
    mean_post, sd_post = _group_moments(post, codes, n, n_groups, pooled)
    mean_diff, sd_diff = _group_moments(diff, codes, n, n_groups, pooled)

    out = {"n": n, "mean_pre": mean_pre, "sd_pre": sd_pre, "mean_post": mean_post, "sd_post": sd_post,
           "mean_diff": mean_diff, "sd_diff": sd_diff,
           **t_columns(n, mean_diff, sd_diff, sd_pre, sd_post, confidence),
           "share_any_rise": safe_divide(group_sum(codes, (diff > 0).astype(float), n_groups, pooled), n)}
    if with_d_z_ci:
        out["d_z_ci_low"], out["d_z_ci_high"] = d_z_ci(out["d_z"], n, confidence=confidence)
    return out


def t_columns(n: np.ndarray, mean_diff: np.ndarray, sd_diff: np.ndarray, sd_pre: np.ndarray,
              sd_post: np.ndarray, confidence: float) -> dict[str, np.ndarray]:
    """``ci_low, ci_high, t, df, p, d_z, g_av`` and ``constant`` (the groups whose
    differences are constant) from each group's count and moments."""
    df = np.where(n >= 2, n - 1, np.nan)
    se = sd_diff / np.sqrt(n)
    # R's t.test stops with "data are essentially constant" under this condition.
    constant = (n >= 2) & (se <= 10 * np.finfo(float).eps * np.abs(mean_diff))
    se = np.where(constant, np.nan, se)
    t = safe_divide(mean_diff, se)
    crit = stats.t.ppf(0.5 + confidence / 2, df)
    correction = 1 - 3 / (4 * df - 1)  # Hedges' J with df = n - 1
    return {
        "ci_low": mean_diff - crit * se, "ci_high": mean_diff + crit * se, "t": t, "df": df,
        "p": 2 * stats.t.sf(np.abs(t), df), "d_z": safe_divide(mean_diff, np.where(constant, np.nan, sd_diff)),
        "g_av": safe_divide(mean_diff, (sd_pre + sd_post) / 2) * correction, "constant": constant,
    }


def signed_rank_cells(diff: np.ndarray, cells: Cells) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Wilcoxon signed-rank test of ``diff`` (finite) per cell of ``cells``: ``(v, p,
    method)`` arrays as :func:`evalkit.stats._ranks.signed_rank`; rows in no cell are left out."""
    code = np.asarray(cells.code)
    if (code < 0).any():
        code = np.where(code >= 0, code, cells.n)  # a spare group, dropped below
    pooled = None if cells.pooled is None else np.append(cells.pooled, -1)
    return tuple(column[:cells.n] for column in signed_rank(diff, code, cells.n + 1, pooled=pooled))


def gain_cells(pre: np.ndarray, post: np.ndarray, cells: Cells, max_score: float) -> dict[str, np.ndarray]:
    """``g_class, g_individual, n_excluded`` per cell as arrays, over the complete pairs
    (see :func:`evalkit.stats.normalized_gain_by_group`); the caller warns about the
    exclusions. A score above ``max_score`` raises."""
    codes = np.asarray(cells.code)
    keep = (codes >= 0) & ~np.isnan(pre) & ~np.isnan(post)
    pre, post, codes = pre[keep], post[keep], codes[keep]
    highest = max(np.max(pre, initial=-np.inf), np.max(post, initial=-np.inf))
    if highest > max_score:
        raise EvalkitError(tr(MSG_ABOVE_MAX, max_score=max_score, value=highest))

    def total(values):
        return group_sum(codes, values, cells.n, cells.pooled)

    n = total(None)
    mean_pre = safe_divide(total(pre), n)
    mean_post = safe_divide(total(post), n)
    g_class = safe_divide(mean_post - mean_pre, max_score - mean_pre)
    room = pre < max_score
    individual = safe_divide(post - pre, max_score - pre)
    n_room = total(room.astype(float))
    g_individual = safe_divide(total(np.where(room, individual, 0.0)), n_room)
    n_excluded = (n - n_room).astype(np.int64)
    return {"g_class": g_class, "g_individual": g_individual, "n_excluded": n_excluded}
