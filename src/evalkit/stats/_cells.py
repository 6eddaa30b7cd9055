"""The cell kernel behind the gains table: the paired statistics and Hake gains of every
(scale, group) cell in one pass over the rows.

A row's cell is its scale code and its slot, a position in ``labels``: the groups, a slot
without a label (``None``) for rows without a group, and, when there is more than one
slot, the last one pooling the others as ``ALL`` from their sufficient statistics (sums,
sums of squares, rank count tables), so no row is read twice. Blocks of scales and the
threads of the kernels called here stay inside :mod:`evalkit.stats`, so the pipeline
reads as the pipeline.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .._errors import EvalkitWarning
from ._effects import g_av_ci
from ._gain import GAIN_COLUMNS as _HAKE_COLUMNS
from ._gain import _gain_arrays
from ._paired import _paired_arrays

#: Rows of the long matched table computed in one pass (see :func:`cell_statistics`).
BLOCK_ROWS = 1 << 20


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


def _cell_table(pre, post, scale_code, slot, scales, knowledge, labels, confidence):
    """Statistics of every (scale, group label) cell with rows of one block of scales, as
    arrays (``scale``: the scale's position in the block, ``group``: the label's in
    ``labels``), and the number of participants at the ceiling per knowledge scale."""
    n_scales, width = len(scales), len(labels)
    cells = scale_code.astype(np.intp) * width + slot
    pooled = None
    if width > 1:  # each scale's groups and no-group slot pool into its ALL slot (the last)
        pooled = np.tile(np.append(np.full(width - 1, width - 1), -1), n_scales)
        pooled[pooled >= 0] += np.repeat(np.arange(n_scales) * width, width - 1)
    named = labels != None  # noqa: E711  (the no-group slot has no label: -1 in the index)
    label_code = np.where(named, np.cumsum(named) - 1, -1)
    # Names the cells in warnings only; built from codes, nothing is hashed.
    index = pd.MultiIndex(levels=[np.asarray(scales, dtype=object), labels[named]],
                          codes=[np.repeat(np.arange(n_scales), width), np.tile(label_code, n_scales)],
                          names=["scale", "group"], verify_integrity=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)
        table = _paired_arrays(pre, post, cells, index, confidence, pooled, with_d_z_ci=True)
    ceiling = {}
    if knowledge.any():
        rows = knowledge[scale_code]
        with warnings.catch_warnings():
            # A participant counts in two rows (own group and ALL): the caller warns once.
            warnings.simplefilter("ignore", category=EvalkitWarning)
            hake = _gain_arrays(pre[rows], post[rows], cells[rows], len(index), 100.0, pooled)
        # Participants at the ceiling: the groups' exclusions (the ALL slot, last, repeats them).
        excluded = hake["n_excluded"].reshape(n_scales, width)
        at_ceiling = excluded[:, :-1].sum(axis=1) if width > 1 else excluded[:, 0]
        ceiling = {scale: int(n) for scale, n, known in zip(scales, at_ceiling, knowledge) if known and n}
        other = ~np.repeat(knowledge, width)
        if other.any():
            hake = {name: np.where(other, np.nan, values) for name, values in hake.items()}
    else:
        hake = dict.fromkeys(_HAKE_COLUMNS, np.full(len(index), np.nan))
    table |= hake
    table["scale"], table["group"] = np.repeat(np.arange(n_scales), width), np.tile(np.arange(width), n_scales)
    keep = (table["n"] > 0) & np.tile(named, n_scales)
    return {name: values[keep] for name, values in table.items()}, ceiling


def _g_av_ci(table: dict[str, np.ndarray], confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """:func:`g_av_ci` of the cell table's columns, reusing the d_z limits.

    g_av's interval is d_z's interval (the same noncentral-t roots) rescaled, so the roots
    are not searched twice; rows where ``mean_diff / sd_diff`` is not the reported ``d_z``
    (constant differences) go through :func:`g_av_ci` itself.
    """
    md, sdd, nn, d_z = table["mean_diff"], table["sd_diff"], table["n"].astype(float), table["d_z"]
    s_av = (table["sd_pre"] + table["sd_post"]) / 2
    ok = np.isfinite(md) & np.isfinite(sdd) & np.isfinite(s_av) & (nn >= 3) & (sdd > 0) & (s_av > 0)
    low, high = np.full(len(md), np.nan), np.full(len(md), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        reuse = ok & (md / sdd == d_z)
        scale = sdd / s_av * (1 - 3 / (4 * (nn - 1) - 1))
    low[reuse] = table["d_z_ci_low"][reuse] * scale[reuse]
    high[reuse] = table["d_z_ci_high"][reuse] * scale[reuse]
    rest = ok & ~reuse
    if rest.any():
        low[rest], high[rest] = g_av_ci(
            mean_diff=md[rest], sd_diff=sdd[rest], sd_pre=table["sd_pre"][rest],
            sd_post=table["sd_post"][rest], n=nn[rest], confidence=confidence)
    return low, high


def cell_statistics(pre: np.ndarray, post: np.ndarray, scale_code: np.ndarray, slot: np.ndarray, *,
                    scales: np.ndarray, knowledge: np.ndarray, labels: np.ndarray,
                    confidence: float) -> tuple[dict[str, np.ndarray], dict[str, int]]:
    """Statistics of every (scale, label) cell that has rows, as arrays.

    Scales are taken together up to :data:`BLOCK_ROWS` rows: fewer passes for a training or
    a province, while at roll-up sizes the temporaries stay one scale long and the
    allocator reuses them instead of faulting in fresh memory for each.

    Returns
    -------
    table : dict of arrays
        The columns of :func:`evalkit.stats.paired_by_group` and the Hake gains (NaN on
        scales that are not ``knowledge``), ``g_av_ci_low, g_av_ci_high``, and ``scale``
        and ``group``: each cell's position in ``scales`` and ``labels``.
    ceiling : dict
        Participants at 100% on the pre-test per knowledge scale (left out of g_individual).
    """
    parts, ceiling = [], {}
    for block in _blocks(np.bincount(scale_code, minlength=len(scales)), BLOCK_ROWS):
        rows = (scale_code >= block.start) & (scale_code < block.stop)
        if rows.all():
            rows = slice(None)
        part, at_ceiling = _cell_table(pre[rows], post[rows], scale_code[rows] - block.start, slot[rows],
                                       scales[block], knowledge[block], labels, confidence)
        part["scale"] += block.start
        parts.append(part)
        ceiling.update(at_ceiling)
    table = {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}
    if len(table["n"]):
        table["g_av_ci_low"], table["g_av_ci_high"] = _g_av_ci(table, confidence)
    return table, ceiling
