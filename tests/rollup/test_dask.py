"""The per-training map on a Dask cluster gives the same tables as in-process."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from evalkit.rollup import rollup

distributed = pytest.importorskip("distributed")


def test_a_local_cluster_of_two_workers_gives_the_same_tables(catalogue, result):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with distributed.LocalCluster(n_workers=2, processes=False, threads_per_worker=1,
                                      dashboard_address=None) as cluster, distributed.Client(cluster) as client:
            other = rollup(catalogue, client=client)
    for name in ("trainings", "scales", "excluded", "groups", "training_gains", "province_gains", "national_gains",
                 "effects", "meta", "subgroups", "trend", "ledger"):
        pd.testing.assert_frame_equal(getattr(other, name), getattr(result, name), obj=name)
    # Warnings of the meta-analysis are the same; those raised on the workers come back with the
    # packages, but worker threads share Python's warning filters, so which training a warning is
    # attributed to is only reliable with process workers (see docs/rollup.md).
    meta = lambda r: r.warnings[r.warnings["source"] == "meta-analysis"].reset_index(drop=True)  # noqa: E731
    pd.testing.assert_frame_equal(meta(other), meta(result))

