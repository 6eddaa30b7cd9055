"""Focused timing of the signed-rank kernel's two paths: counting ranks in (cell x level)
tables, and sorting. The crossover is the ``counting_cells`` / ``cells_per_difference``
options of :mod:`evalkit.config`; this script shows where each path pays.

    python benchmarks/signed_rank.py

Layouts (rows, cells, distinct |differences|), each pooled like the gains table (each
scale's groups into its ALL cell): percent scores of a 12-item test (few distinct values),
and mean scores of long Likert scales or continuous data (many distinct values). Best of 5
``time.perf_counter`` runs; both paths give identical statistics (checked here too).
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

import evalkit
from evalkit.stats._kernels import Cells, signed_rank_cells

LAYOUTS = {
    # name: (rows, groups per scale, scales, how differences are drawn)
    "percent scores, 600k rows, 6 x 1,000 groups": (600_000, 1000, 6, "percent"),
    "percent scores, 60k rows, 6 x 100 groups": (60_000, 100, 6, "percent"),
    "continuous, 600k rows, 6 x 1,000 groups": (600_000, 1000, 6, "continuous"),
    "continuous, 60k rows, 6 x 100 groups": (60_000, 100, 6, "continuous"),
}
#: Largest (cell x level) table timed by counting (8 bytes an entry: 0.8 GB).
TABLE_MAX = 100_000_000
PATHS = {"count": {"counting_cells": 1 << 40}, "sort": {"counting_cells": -1}}


def layout(rows: int, groups: int, scales: int, kind: str, rng) -> tuple[np.ndarray, Cells]:
    scale = rng.integers(0, scales, rows)
    group = rng.integers(0, groups, rows)
    if kind == "percent":
        diff = (rng.integers(0, 13, rows) - rng.integers(0, 13, rows)) * 100 / 12
    else:
        diff = rng.normal(0.3, 1, rows)
    cells = Cells.grid(scale, group, scales=np.arange(scales), groups=np.arange(groups), all_label="ALL")
    return diff, cells


def best_of(func, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    rng = np.random.default_rng(2026)
    rows = []
    for name, spec in LAYOUTS.items():
        diff, cells = layout(*spec, rng)
        results, seconds = {}, {}
        table = (cells.n + 1) * _levels(diff, cells)
        for path, options in PATHS.items():
            if path == "count" and table > TABLE_MAX:  # would not fit in memory
                seconds[path] = f"({table * 8 / 2**30:.0f} GiB table)"
                continue
            with evalkit.config_context(**options):
                results[path] = signed_rank_cells(diff, cells)
                seconds[path] = round(best_of(lambda: signed_rank_cells(diff, cells)), 3)
        if len(results) == 2:
            for a, b in zip(results["count"], results["sort"]):
                np.testing.assert_array_equal(a, b)
        with evalkit.config_context():
            chosen = "count" if _counts(diff, cells) else "sort"
        rows.append({"layout": name, "cells x levels": table, "count s": seconds["count"],
                     "sort s": seconds["sort"], "default path": chosen})
    print(pd.DataFrame(rows).to_string(index=False))


def _levels(diff: np.ndarray, cells: Cells) -> int:
    """Distinct |differences| as the kernel ranks them."""
    from evalkit.stats._ranks import round_for_ranking

    return len(np.unique(round_for_ranking(np.abs(diff[diff != 0]))))


def _counts(diff: np.ndarray, cells: Cells) -> bool:
    """Whether the default options count (the kernel's own rule)."""
    nonzero = diff[diff != 0]
    options = evalkit.get_config()
    return options["counting_cells"] >= 0 and (cells.n + 1) * _levels(diff, cells) <= max(
        options["counting_cells"], options["cells_per_difference"] * len(nonzero))


if __name__ == "__main__":
    main()
