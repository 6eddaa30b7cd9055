"""Time writing a report workbook of one 18,000-row sheet (the size of a national roll-up's
per-group sheet): ``python benchmarks/workbook.py [--rows 18000] [--repeat 3]``.

Prints the best of ``--repeat`` runs of :func:`evalkit.report.write_workbook` (the fastest
run is the least disturbed one on a shared machine) on simulated gains-like columns: text,
counts stored as floats, means, p-values and a flag.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from evalkit.report import write_workbook


def table(rows: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "scale": rng.choice(["sikap", "pengetahuan"], rows), "group": [f"G{i % 300:03d}" for i in range(rows)],
        "n": rng.integers(5, 60, rows).astype(float), "mean_pre": rng.normal(50, 10, rows),
        "mean_post": rng.normal(60, 10, rows), "mean_diff": rng.normal(10, 3, rows),
        "ci_low": rng.normal(5, 3, rows), "ci_high": rng.normal(15, 3, rows), "t": rng.normal(3, 1, rows),
        "df": rng.integers(4, 59, rows).astype(float), "p": rng.uniform(0, 0.2, rows),
        "p_holm": rng.uniform(0, 0.5, rows), "d_z": rng.normal(0.8, 0.2, rows), "suppressed": False})


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=18_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    frame = table(args.rows)
    times = []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(args.repeat):
            start = time.perf_counter()
            write_workbook({"gains": frame}, Path(folder) / "b.xlsx", lang="id")
            times.append(time.perf_counter() - start)
    print(f"write_workbook: {args.rows} rows x {frame.shape[1]} columns, best of {args.repeat}: {min(times):.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
