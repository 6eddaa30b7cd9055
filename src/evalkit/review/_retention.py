"""Did the gain last? Pre, post and follow-up scale scores of the same participants.

Built on the three-wave kernels of :mod:`evalkit.stats` (paired tests, Friedman,
retention ratio, mixed model); this module only shapes the long matched table into their
inputs and their outputs into tidy tables, one row per scale × group (× wave or contrast).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from .. import stats
from ._common import ALL, _check_table, _scale_order

KEYS = ["scale", "group"]
RETENTION_MEANS_COLUMNS = KEYS + ["wave", "n", "mean", "sd"]
RETENTION_CONTRAST_COLUMNS = KEYS + [
    "contrast", "n", "mean_diff", "ci_low", "ci_high", "ci_level", "t", "df", "p", "p_holm",
    "p_wilcoxon", "d_z", "d_z_ci_low", "d_z_ci_high",
]  # fmt: skip
RETENTION_RATIO_COLUMNS = KEYS + list(stats.RETENTION_COLUMNS)
FRIEDMAN_COLUMNS = KEYS + list(stats.FRIEDMAN_COLUMNS)
MIXED_COLUMNS = KEYS + ["contrast"] + list(stats.MIXED_COLUMNS)


@dataclass(frozen=True)
class Retention:
    """The tables of :func:`retention`.

    Attributes
    ----------
    means : DataFrame
        ``scale, group, wave, n, mean, sd``: every participant's score at each wave.
    contrasts : DataFrame
        One row per scale × group × contrast (``"post - pre"``, ``"followup - post"``,
        ``"followup - pre"``): complete pairs of the two waves, paired t with its CI,
        ``p_holm`` (Holm across the contrasts of the scale × group), Wilcoxon, d_z with
        its noncentral-t CI.
    ratio : DataFrame
        Retention ratio (followup − pre)/(post − pre) with a bootstrap CI, participants
        with all three waves.
    friedman : DataFrame
        Friedman test over participants with every wave.
    mixed : DataFrame
        Wave effects of a linear mixed model using every participant's available waves.
    """

    means: pd.DataFrame
    contrasts: pd.DataFrame
    ratio: pd.DataFrame
    friedman: pd.DataFrame
    mixed: pd.DataFrame

    @classmethod
    def empty(cls) -> Retention:
        """No follow-up: every table empty, with its columns."""
        columns = (RETENTION_MEANS_COLUMNS, RETENTION_CONTRAST_COLUMNS, RETENTION_RATIO_COLUMNS,
                   FRIEDMAN_COLUMNS, MIXED_COLUMNS)
        return cls(*(pd.DataFrame(columns=c) for c in columns))

    def __bool__(self) -> bool:
        return any(len(getattr(self, f.name)) for f in fields(self))


def retention(waves: pd.DataFrame, *, order: Sequence[str] = ("pre", "post", "followup"),
              by: str | None = "group", confidence: float = 0.95, seed: int = 0) -> Retention:
    """Means, contrasts, retention ratio, Friedman test and mixed model per scale and group.

    Parameters
    ----------
    waves : DataFrame
        Long table ``group, participant, scale, wave, score`` (``Analysis.waves``): one row
        per matched participant × scale × wave answered.
    order : sequence of str
        The waves in time order; the first two are the immediate pre/post pair, the last
        the follow-up.
    by : {"group", None}, default "group"
        Per group and all groups together (``group == "ALL"``), or only the latter.
    confidence : float, default 0.95
        Level of every interval.
    seed : int, default 0
        Seed of the bootstrap of the retention ratio (the same seed, the same intervals).

    Returns
    -------
    Retention
        Only scales asked at the last wave of ``order`` and at least one earlier one; all
        tables empty when no scale is.

    Notes
    -----
    The contrasts, the ratio and Friedman are complete-case: each uses the participants
    with both (or all) the waves it compares. The mixed model (random intercept per
    participant, wave as a factor, REML) also uses the participants who missed a wave, so
    under drop-out its estimates can differ; see ``docs/statistics.md``.

    Examples
    --------
    >>> import pandas as pd
    >>> long = pd.DataFrame({
    ...     "group": "G01", "participant": [1, 1, 1, 2, 2, 2, 3, 3, 3],
    ...     "scale": "s", "wave": ["pre", "post", "followup"] * 3,
    ...     "score": [50, 70, 60, 40, 65, 60, 55, 70, 62]})
    >>> r = retention(long, by=None)
    >>> r.contrasts[["contrast", "mean_diff"]].to_dict("list")
    {'contrast': ['post - pre', 'followup - post', 'followup - pre'], 'mean_diff': [20.0, -7.666666666666667, 12.333333333333334]}
    """
    waves = _check_table(waves, "waves", ["group", "participant", "scale", "wave", "score"])
    order = list(order)
    waves = waves[waves["wave"].isin(order)]
    asked = waves.groupby("scale", observed=True)["wave"].agg(lambda w: set(w))
    kept = [s for s in _scale_order(waves) if order[-1] in asked[s] and len(asked[s]) > 1]
    if not kept:
        return Retention.empty()
    data = waves[waves["scale"].isin(kept)]
    # A person is a code within a group (two groups may hold the same code): one number each,
    # so that the pooled ALL rows keep them apart.
    data = data.assign(participant=data.groupby(["group", "participant"], observed=True, sort=False).ngroup())
    data = pd.concat([data.assign(group=ALL)] + ([data] if by == "group" else []), ignore_index=True)
    data["wave"] = pd.Categorical(data["wave"].astype(str), categories=order)
    wide = (data.set_index(KEYS + ["participant", "wave"])["score"].unstack("wave")
            .reindex(columns=order).reset_index())
    wide.columns = list(wide.columns)
    cells = _cell_order(data, kept)
    return Retention(
        means=_means(data, cells, order),
        contrasts=_contrasts(wide, cells, order, confidence),
        ratio=_per_cell(stats.retention_ratio(wide, pre=order[0], post=order[1], followup=order[-1],
                                              group=KEYS, seed=seed, confidence=confidence)
                        if len(order) >= 3 else None, cells, RETENTION_RATIO_COLUMNS),
        friedman=_per_cell(stats.friedman_by_group(wide, waves=order, group=KEYS), cells, FRIEDMAN_COLUMNS),
        mixed=_per_cell(stats.mixed_waves(data, participant="participant", wave="wave", score="score",
                                          waves=order, group=KEYS, confidence=confidence),
                        cells, MIXED_COLUMNS),
    )


def _cell_order(data: pd.DataFrame, scales: list) -> pd.DataFrame:
    """Scale × group cells in report order: scales as asked, ALL first, then groups sorted."""
    cells = data[KEYS].drop_duplicates()
    rank = {s: i for i, s in enumerate(scales)}
    return cells.sort_values(KEYS, key=lambda c: c.map(rank) if c.name == "scale"
                             else c.astype(str).where(c != ALL, ""), kind="stable").reset_index(drop=True)


def _means(data: pd.DataFrame, cells: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    out = (data.groupby(KEYS + ["wave"], observed=False, sort=False)["score"]
           .agg(n="count", mean="mean", sd="std").reset_index())
    grid = cells.merge(pd.DataFrame({"wave": pd.Categorical(order, categories=order)}), how="cross")
    out = grid.merge(out, on=KEYS + ["wave"], how="left")
    out["n"] = out["n"].fillna(0).astype(np.int64)
    out["wave"] = out["wave"].astype(str)
    return out[RETENTION_MEANS_COLUMNS]


def _contrasts(wide: pd.DataFrame, cells: pd.DataFrame, order: list[str], confidence: float) -> pd.DataFrame:
    # Adjacent waves first (immediate, then retention), then longer spans (sustained).
    pairs = sorted(itertools.combinations(range(len(order)), 2), key=lambda ij: (ij[1] - ij[0], ij[0]))
    parts = []
    for i, j in pairs:
        first, last = order[i], order[j]
        table = stats.paired_by_group(wide, pre=first, post=last, group=KEYS, confidence=confidence)
        table = cells.merge(table.reset_index(), on=KEYS, how="left")
        low, high = stats.d_z_ci(table["d_z"].to_numpy(float), table["n"].fillna(0).to_numpy(),
                                 confidence=confidence)
        parts.append(table.assign(contrast=f"{last} - {first}", ci_level=confidence,
                                  d_z_ci_low=low, d_z_ci_high=high))
    out = pd.concat(parts, ignore_index=True)
    out["n"] = out["n"].fillna(0).astype(np.int64)
    out = out.sort_values(KEYS, key=lambda c: c.map(_rank(cells)[c.name]), kind="stable")
    cell = out.groupby(KEYS, sort=False).ngroup().to_numpy()
    out["p_holm"] = _holm_within(out["p"].to_numpy(float), cell)
    return out[RETENTION_CONTRAST_COLUMNS].reset_index(drop=True)


def _rank(cells: pd.DataFrame) -> dict[str, dict]:
    return {k: {v: i for i, v in enumerate(pd.unique(cells[k]))} for k in KEYS}


def _holm_within(p: np.ndarray, cell: np.ndarray) -> np.ndarray:
    """Holm adjustment of the p-values within each cell (few contrasts per cell)."""
    out = np.full(len(p), np.nan)
    order = np.argsort(cell, kind="stable")
    bounds = np.searchsorted(cell[order], np.arange(cell.max(initial=-1) + 2))
    for lo, hi in itertools.pairwise(bounds):
        out[order[lo:hi]] = stats.p_adjust(p[order[lo:hi]], method="holm")
    return out


def _per_cell(table: pd.DataFrame | None, cells: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """A kernel's table indexed by (scale, group[, contrast]) in the cells' order."""
    if table is None:
        return pd.DataFrame(columns=columns)
    out = cells.merge(table.reset_index(), on=KEYS, how="left")
    return out[columns].reset_index(drop=True)
