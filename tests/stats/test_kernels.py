"""The cell protocol (Cells) and the cell statistics built on it."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import evalkit
from evalkit.stats import cell_statistics, g_av_ci
from evalkit.stats._kernels import Cells, paired_cells


def test_grid_with_all_cells():
    """Per scale: the groups, a cell for rows without a group (no label), ALL pooling both."""
    cells = Cells.grid(np.array([0, 0, 1, 1]), np.array([1, -1, 0, 1]), scales=["s", "t"], groups=["a", "b"],
                       all_label="ALL")
    assert cells.n == 8
    assert cells.code.tolist() == [1, 2, 4, 5]
    assert cells.pooled.tolist() == [3, 3, 3, -1, 7, 7, 7, -1]
    assert cells.labelled().tolist() == [True, True, False, True] * 2
    assert list(cells.index[[0, 3, 7]]) == [("s", "a"), ("s", "ALL"), ("t", "ALL")]


def test_grid_without_all_leaves_rows_without_a_group_out():
    cells = Cells.grid(np.array([0, 1, 1]), np.array([0, -1, 1]), scales=["s", "t"], groups=["a", "b"])
    assert cells.code.tolist() == [0, -1, 3] and cells.pooled is None and cells.labelled().all()


def test_paired_cells_returns_messages_instead_of_warning():
    """The kernel warns nobody: its messages come back for the caller's thread."""
    pre, post = np.array([1.0, 2.0, 3.0, 5.0]), np.array([2.0, 3.0, 4.0, 7.0])
    cells = Cells(code=np.array([0, 0, 0, 1]), index=pd.Index(["x", "y"]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table, messages = paired_cells(pre, post, cells, 0.95)
    assert table["constant"].tolist() == [True, False]
    assert len(messages) == 2 and "x" in messages[1] and "y" in messages[0]  # one pair; constant


def test_g_av_interval_reuses_d_z_roots_exactly():
    """Where the kernel's d_z is mean_diff / sd_diff (differences not constant), the g_av
    limits of the cell table are g_av_ci's to the bit; constant differences go through
    g_av_ci itself (there NaN or its own value)."""
    rng = np.random.default_rng(4)
    n = 600
    pre = rng.integers(0, 13, n) * 100 / 12
    post = np.minimum(100, pre + rng.integers(-2, 5, n) * 100 / 12)
    scale, group = rng.integers(0, 2, n), rng.integers(-1, 5, n)
    post[(scale == 1) & (group == 3)] = pre[(scale == 1) & (group == 3)] + 100 / 12  # constant differences
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table, _ = cell_statistics(pre, post, scale, group, scales=np.array(["k", "s"], dtype=object),
                                   groups=np.array(list("abcde"), dtype=object), all_label="ALL",
                                   knowledge=np.array([True, False]), confidence=0.9)
        low, high = g_av_ci(mean_diff=table["mean_diff"], sd_diff=table["sd_diff"], sd_pre=table["sd_pre"],
                            sd_post=table["sd_post"], n=table["n"], confidence=0.9)
    assert np.isnan(table["d_z"]).sum() == 1  # the constant cell
    np.testing.assert_array_equal(table["g_av_ci_low"], low)
    np.testing.assert_array_equal(table["g_av_ci_high"], high)
    assert "constant" not in table


def test_cells_is_frozen():
    cells = Cells(code=np.zeros(2, dtype=np.intp), index=pd.RangeIndex(1))
    with pytest.raises(AttributeError):
        cells.pooled = np.array([-1])


def test_public_wrappers_build_cells():
    """paired_by_group and normalized_gain_by_group: rows with a missing group are in no cell."""
    df = pd.DataFrame({"g": ["a", "a", None, "b", "b"], "pre": [40, 60, 10, 50, 55], "post": [70, 80, 90, 75, 60]})
    res = evalkit.stats.paired_by_group(df, pre="pre", post="post", group="g")
    assert res["n"].tolist() == [2, 2]
    gain = evalkit.stats.normalized_gain_by_group(df, pre="pre", post="post", group="g")
    assert gain["g_class"].tolist() == pytest.approx([0.5, (67.5 - 52.5) / 47.5], rel=1e-12)
