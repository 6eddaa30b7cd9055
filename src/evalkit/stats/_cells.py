"""The cell statistics behind the gains table: the paired statistics and Hake gains of
every (scale, group) cell in one pass over the rows.

The cells are :meth:`~evalkit.stats._kernels.Cells.grid`'s: each scale's groups, a cell
without a label for its rows without a group, and (with ``all_label``) the scale's ``ALL``
cell pooling the others from their sufficient statistics (sums, sums of squares, rank count
tables), so no row is read twice. Blocks of scales (the ``block_rows`` option of
:mod:`evalkit.config`) and the threads of the kernels called here stay inside
:mod:`evalkit.stats`, so the pipeline reads as the pipeline.
"""

from __future__ import annotations

import warnings

import numpy as np

from .._errors import UndefinedStatisticWarning
from ..config import get_config
from ._effects import g_av_ci
from ._kernels import GAIN_COLUMNS as _HAKE_COLUMNS
from ._kernels import Cells, gain_cells, paired_cells


def _blocks(sizes: np.ndarray, most: int) -> list[slice]:
    """Consecutive runs of ``sizes`` (rows per scale) holding at most ``most`` rows, each at
    least one scale."""
    blocks, start, total = [], 0, 0
    for i, size in enumerate(sizes):
        if i > start and total + size > most:
            blocks.append(slice(start, i))
            start, total = i, 0
        total += size
    return blocks + [slice(start, len(sizes))]


def _cell_table(pre, post, scale_code, group_code, scales, knowledge, groups, all_label, confidence):
    """Statistics of every (scale, group) cell with rows of one block of scales, as arrays
    (``scale``: the scale's position in the block, ``group``: the group's in ``groups``,
    ``len(groups)`` for ``all_label``), the number of participants at the ceiling per
    knowledge scale, and the messages of the undefined statistics."""
    n_scales = len(scales)
    cells = Cells.grid(scale_code, group_code, scales=scales, groups=groups, all_label=all_label)
    width = cells.n // n_scales
    with np.errstate(all="ignore"):  # NaN for degenerate cells is the documented result
        table, messages = paired_cells(pre, post, cells, confidence, with_d_z_ci=True)
    ceiling = {}
    if knowledge.any():
        rows = knowledge[scale_code]
        sub = Cells(code=cells.code[rows], index=cells.index, pooled=cells.pooled)
        hake = gain_cells(pre[rows], post[rows], sub, 100.0)
        # Participants at the ceiling: the groups' exclusions (the ALL cell, last, repeats them).
        excluded = hake["n_excluded"].reshape(n_scales, width)
        at_ceiling = excluded[:, :-1].sum(axis=1) if all_label is not None else excluded.sum(axis=1)
        ceiling = {scale: int(n) for scale, n, known in zip(scales, at_ceiling, knowledge) if known and n}
        other = ~np.repeat(knowledge, width)
        if other.any():
            hake = {name: np.where(other, np.nan, values) for name, values in hake.items()}
    else:
        hake = dict.fromkeys(_HAKE_COLUMNS, np.full(cells.n, np.nan))
    table |= hake
    group = np.tile(np.arange(width), n_scales)
    if all_label is not None:  # the ALL cell after the no-group cell: position len(groups)
        group = np.where(group == width - 1, width - 2, group)
    table["scale"], table["group"] = np.repeat(np.arange(n_scales), width), group
    keep = (table["n"] > 0) & cells.labelled()
    return {name: values[keep] for name, values in table.items()}, ceiling, messages


def _g_av_ci(table: dict[str, np.ndarray], confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """:func:`g_av_ci` of the cell table's columns, reusing the d_z limits.

    g_av's interval is d_z's interval (the same noncentral-t roots) rescaled, so the roots
    are not searched twice. The kernel's ``constant`` mask says where that holds: where the
    differences are not constant, ``d_z`` is exactly ``mean_diff / sd_diff`` (and so its
    limits are those :func:`g_av_ci` would find); the cells with constant differences (d_z
    left undefined, ``sd_diff > 0`` by rounding) go through :func:`g_av_ci` itself.
    """
    md, sdd, nn = table["mean_diff"], table["sd_diff"], table["n"].astype(float)
    s_av = (table["sd_pre"] + table["sd_post"]) / 2
    ok = np.isfinite(md) & np.isfinite(sdd) & np.isfinite(s_av) & (nn >= 3) & (sdd > 0) & (s_av > 0)
    low, high = np.full(len(md), np.nan), np.full(len(md), np.nan)
    reuse = ok & ~table["constant"]
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = sdd / s_av * (1 - 3 / (4 * (nn - 1) - 1))
    low[reuse] = table["d_z_ci_low"][reuse] * scale[reuse]
    high[reuse] = table["d_z_ci_high"][reuse] * scale[reuse]
    rest = ok & ~reuse
    if rest.any():
        low[rest], high[rest] = g_av_ci(
            mean_diff=md[rest], sd_diff=sdd[rest], sd_pre=table["sd_pre"][rest],
            sd_post=table["sd_post"][rest], n=nn[rest], confidence=confidence)
    return low, high


def cell_statistics(pre: np.ndarray, post: np.ndarray, scale_code: np.ndarray, group_code: np.ndarray, *,
                    scales: np.ndarray, groups: np.ndarray, all_label=None, knowledge: np.ndarray,
                    confidence: float) -> tuple[dict[str, np.ndarray], dict[str, int]]:
    """Statistics of every (scale, group) cell that has rows, as arrays.

    The cells are :meth:`Cells.grid`'s: with ``all_label``, each scale also has a cell
    pooling all its rows (rows without a group, ``group_code == -1``, count only there).
    Scales are taken together up to the ``block_rows`` option (:mod:`evalkit.config`) rows:
    fewer passes for a training or a province, while at roll-up sizes the temporaries stay
    one scale long and the allocator reuses them instead of faulting in fresh memory for
    each. A cell where a statistic is undefined (one pair, constant differences) raises one
    :class:`~evalkit.UndefinedStatisticWarning` per block, here in the calling thread.

    Returns
    -------
    table : dict of arrays
        The columns of :func:`evalkit.stats.paired_by_group` and the Hake gains (NaN on
        scales that are not ``knowledge``), ``d_z_ci_low, d_z_ci_high, g_av_ci_low,
        g_av_ci_high``, and ``scale`` and ``group``: each cell's position in ``scales`` and
        in ``groups`` (``len(groups)``: the ``all_label`` cell).
    ceiling : dict
        Participants at 100% on the pre-test per knowledge scale (left out of g_individual).
    """
    parts, ceiling = [], {}
    for block in _blocks(np.bincount(scale_code, minlength=len(scales)), get_config()["block_rows"]):
        rows = (scale_code >= block.start) & (scale_code < block.stop)
        if rows.all():
            rows = slice(None)
        part, at_ceiling, messages = _cell_table(
            pre[rows], post[rows], scale_code[rows] - block.start, group_code[rows], scales[block],
            knowledge[block], groups, all_label, confidence)
        for message in messages:
            warnings.warn(message, UndefinedStatisticWarning, stacklevel=3)
        part["scale"] += block.start
        parts.append(part)
        ceiling.update(at_ceiling)
    table = {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}
    if len(table["n"]):
        table["g_av_ci_low"], table["g_av_ci_high"] = _g_av_ci(table, confidence)
    del table["constant"]
    return table, ceiling
