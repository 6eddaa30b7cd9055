"""Rank helpers: tie-robust rounding and the exact Wilcoxon signed-rank distribution."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from evalkit._lazy import scipy_stats as stats

from ..config import get_config
from ._common import factorize_floats, group_sum

#: Largest number of non-zero differences for which an exact p-value is used (R: n < 50).
EXACT_MAX_N = 49
#: Significant digits kept before ranking (see :func:`round_for_ranking`).
RANK_DIGITS = 9


def round_for_ranking(values: np.ndarray, digits: int = RANK_DIGITS) -> np.ndarray:
    """Round to ``digits`` significant digits (like R's ``signif``), NaN and 0 kept.

    Differences of scores such as ``100*7/12 - 100*5/12`` and ``100*8/12 - 100*6/12``
    are equal on paper but differ in the last bit of a float; unrounded they would
    get different ranks and the data would be declared tie-free.
    """
    values = np.asarray(values, dtype=float)
    out = values.copy()
    ok = np.isfinite(values) & (values != 0)
    mag = np.zeros_like(values)
    mag[ok] = 10.0 ** (np.floor(np.log10(np.abs(values[ok]))) - (digits - 1))
    out[ok] = np.round(values[ok] / mag[ok]) * mag[ok]
    return out


def _grouped_average_ranks(
    values: np.ndarray, codes: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Average ranks of ``values`` within each group code, by one sort.

    Returns ``(ranks, run_codes, run_sizes)``: the ranks in the input order (ties get the
    mean of their positions, as ``method="average"``), and the group code and length of
    every run of equal values (a run of length > 1 is a tie). One stable sort by value,
    then a stable sort of the group codes, replaces a ``groupby().rank()``; the tie runs
    are found from the boundaries where the group or the value changes.
    """
    m = len(values)
    if m == 0:
        return np.zeros(0), np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    order = np.argsort(values, kind="stable")
    small = codes.astype(np.int16) if codes.max(initial=0) < 2**15 else codes
    order = order[np.argsort(small[order], kind="stable")]  # radix sort for int16 codes
    g = codes[order]
    a = values[order]
    new_group = np.empty(m, dtype=bool)
    new_group[0] = True
    np.not_equal(g[1:], g[:-1], out=new_group[1:])
    new_run = new_group.copy()
    new_run[1:] |= a[1:] != a[:-1]
    starts = np.flatnonzero(new_run)
    sizes = np.diff(np.append(starts, m))
    group_start = np.maximum.accumulate(np.where(new_group, np.arange(m), 0))
    first_rank = (starts - group_start[starts]).astype(float)  # 0-based position in group
    run_rank = first_rank + (sizes + 1) / 2
    ranks = np.empty(m)
    ranks[order] = np.repeat(run_rank, sizes)
    return ranks, g[starts], sizes


# Up to ``counting_cells`` (group × distinct |d|) table entries, ranks are counted rather
# than sorted (also up to ``cells_per_difference`` entries per difference; a negative
# ``counting_cells`` always sorts; see evalkit.config). Measured here: at 560,000
# differences in 1.6 million entries counting takes 55 ms and sorting 190 ms; at 56,000
# differences in 1.2 million entries counting 24 ms, sorting 16 ms.


def _counting_signed_rank(level, positive, codes, n_groups: int, n_levels: int, pooled):
    """Signed-rank sums by counting: ``level`` is the rank order of each |d| (ties equal).

    Within a group, a value's average rank is the number of smaller values plus the mean
    position within its tie, so a table of counts per (group, level) gives every rank, the
    tie runs and V = sum of ranks of positive differences without sorting anything. A
    pooled group's table is the sum of its members' tables.
    """
    cells = n_groups * n_levels
    key = codes.astype(np.int64) * n_levels + level
    counts = np.bincount(key, minlength=cells)
    positives = np.bincount(key[positive], minlength=cells)
    if pooled is not None:  # each pooled group's table is the sum of its members' tables
        members = np.flatnonzero(pooled >= 0)
        members = members[np.argsort(pooled[members], kind="stable")]
        targets, starts = np.unique(pooled[members], return_index=True)
        for target, own in zip(targets.tolist(), np.split(members, starts[1:])):  # one per pooled group
            if own[-1] - own[0] + 1 == len(own):  # a run of groups (a scale's, before its ALL): no copy
                own = slice(own[0], own[-1] + 1)
            for table in (counts, positives):
                by_group = table.reshape(n_groups, n_levels)
                by_group[target] += by_group[own].sum(axis=0)
    # Only the occupied (group, level) cells, in group then level order.
    cell = np.flatnonzero(counts)
    group = cell // n_levels
    c = counts[cell].astype(float)
    below = np.cumsum(c) - c  # values in smaller levels, from the first group on
    first = np.flatnonzero(np.diff(group, prepend=-1))
    below -= np.repeat(below[first], np.diff(np.r_[first, len(cell)]))
    rank = below + (c + 1) / 2
    v = np.bincount(group, weights=rank * positives[cell].astype(float), minlength=n_groups)
    n = np.bincount(group, weights=c, minlength=n_groups)
    tie_term = np.bincount(group, weights=c**3 - c, minlength=n_groups)
    has_ties = np.bincount(group, weights=c > 1, minlength=n_groups) > 0
    return v, n, tie_term, has_ties


def _with_pooled_rows(codes: np.ndarray, pooled: np.ndarray, *columns: np.ndarray):
    """The rows again under their pooled group: ``codes`` and ``columns`` with every member
    row of a pooled group appended once more, coded as that pooled group."""
    up = pooled[codes]
    member = up >= 0
    return (np.concatenate([codes, up[member]]),
            *(np.concatenate([column, column[member]]) for column in columns))


@lru_cache(maxsize=1)
def signrank_cdf_table() -> np.ndarray:
    """``table[n, k] = P(V <= k)`` for the signed-rank statistic with ``n`` = 0..49.

    Built by the usual dynamic programme: the number of subsets of ``{1..n}`` with
    sum ``k`` (exact in int64 because ``2**49 < 2**63``), cumulated and divided by ``2**n``.
    Columns beyond ``n(n+1)/2`` hold 1.
    """
    max_sum = EXACT_MAX_N * (EXACT_MAX_N + 1) // 2
    counts = np.zeros(max_sum + 1, dtype=np.int64)
    counts[0] = 1
    table = np.ones((EXACT_MAX_N + 1, max_sum + 1))
    for n in range(1, EXACT_MAX_N + 1):  # loop over n values only
        shifted = np.zeros_like(counts)
        shifted[n:] = counts[:-n]
        counts = counts + shifted
        table[n] = np.cumsum(counts) / float(2**n)
    table.setflags(write=False)
    return table


def signed_rank(
    diff: np.ndarray, codes: np.ndarray, n_groups: int, *, pooled: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Wilcoxon signed-rank test of ``diff`` per group code, as R's ``wilcox.test`` with
    ``digits.rank = 9`` (see :func:`round_for_ranking`).

    Returns ``(v, p, method)`` arrays: ``v`` = sum of ranks of positive differences,
    ``p`` two-sided, ``method`` ``"exact"``/``"normal"`` (``None`` where ``p`` is NaN).
    Differences must be finite; codes in ``0..n_groups-1``. ``pooled`` maps each group to a
    pooled group that also counts its rows (``-1``: none; pooled groups hold no rows).
    """
    n_pairs = group_sum(codes, None, n_groups, pooled)
    zero = diff == 0
    has_zero = group_sum(codes[zero], None, n_groups, pooled) > 0
    nonzero = ~zero
    nz_codes = codes[nonzero]
    nz_diff = diff[nonzero]
    # Ranks are over |d| rounded for ranking; rounding is done once per distinct value.
    raw_codes, raw_values = factorize_floats(np.abs(nz_diff))
    levels, level_of_raw = np.unique(round_for_ranking(np.asarray(raw_values, dtype=float)),
                                     return_inverse=True)
    n_levels = len(levels)
    cells = n_groups * n_levels
    tuning = get_config()
    counting = tuning["counting_cells"]
    if counting >= 0 and cells <= max(counting, tuning["cells_per_difference"] * len(nz_diff)):
        v, n, tie_term, has_ties = _counting_signed_rank(
            level_of_raw.reshape(-1)[raw_codes], nz_diff > 0, nz_codes, n_groups, n_levels, pooled)
    else:  # many distinct values: one sort, each row once per group it counts in
        absd = levels[level_of_raw.reshape(-1)[raw_codes]]
        pos = nz_diff > 0
        if pooled is not None:
            nz_codes, absd, pos = _with_pooled_rows(nz_codes, pooled, absd, pos)
        ranks, run_codes, run_sizes = _grouped_average_ranks(absd, nz_codes)
        n = group_sum(nz_codes, None, n_groups)
        v = group_sum(nz_codes, np.where(pos, ranks, 0.0), n_groups)
        t = run_sizes.astype(float)
        tie_term = group_sum(run_codes, t**3 - t, n_groups)
        has_ties = group_sum(run_codes, (t > 1).astype(float), n_groups) > 0

    exact = (n > 0) & (n <= EXACT_MAX_N) & ~has_ties & ~has_zero
    p = np.full(n_groups, np.nan)
    # Normal approximation with tie and continuity correction (R's defaults).
    z = v - n * (n + 1) / 4
    sigma = np.sqrt(n * (n + 1) * (2 * n + 1) / 24 - tie_term / 48)
    normal = ~exact & (sigma > 0)
    zc = (z[normal] - np.sign(z[normal]) * 0.5) / sigma[normal]
    p[normal] = 2 * stats.norm.sf(np.abs(zc))
    # Exact: P(V <= min(v, N - v)) doubled, capped at 1 (V is integer without ties).
    if exact.any():
        n_ex = n[exact].astype(np.intp)
        total = n_ex * (n_ex + 1) // 2
        v_ex = np.rint(v[exact]).astype(np.intp)
        k = np.minimum(v_ex, total - v_ex)
        p[exact] = np.minimum(1.0, 2 * signrank_cdf_table()[n_ex, k])
    v = np.where(n_pairs > 0, v, np.nan)
    method = np.where(exact, "exact", np.where(normal, "normal", None)).astype(object)
    return v, p, method
