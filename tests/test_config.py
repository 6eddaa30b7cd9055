"""evalkit.config: tuning options read, set for a block, seen by worker threads, checked."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import evalkit
from evalkit.stats import side_by_side


def test_config_context_sets_and_restores():
    before = evalkit.get_config()
    with evalkit.config_context(block_rows=7, t_max=50.0):
        assert evalkit.get_config()["block_rows"] == 7
        assert evalkit.get_config()["t_max"] == 50.0
        with evalkit.config_context(block_rows=3):
            assert evalkit.get_config()["block_rows"] == 3
        assert evalkit.get_config()["block_rows"] == 7
    assert evalkit.get_config() == before


def test_get_config_returns_a_copy():
    evalkit.get_config()["block_rows"] = 1
    assert evalkit.get_config()["block_rows"] == 1 << 20


def test_set_config_inside_a_context_ends_with_it():
    with evalkit.config_context(cores=1):
        evalkit.set_config(root_block=128)
        assert evalkit.get_config()["root_block"] == 128
    assert evalkit.get_config()["root_block"] == 1 << 16


def test_set_config_for_the_session():
    try:
        evalkit.set_config(counting_cells=-1)
        assert evalkit.get_config()["counting_cells"] == -1
    finally:
        evalkit.set_config(counting_cells=1 << 16)


def test_worker_threads_see_the_callers_config():
    """side_by_side runs its second function in a copy of the caller's context."""
    with evalkit.config_context(block_rows=11, cores=2):
        main, other = side_by_side(lambda: (threading.get_ident(), evalkit.get_config()["block_rows"]),
                                   lambda: (threading.get_ident(), evalkit.get_config()["block_rows"]),
                                   threaded=True)
    assert main[0] != other[0]  # really two threads
    assert main[1] == other[1] == 11


def test_a_context_in_another_thread_does_not_leak():
    seen = {}

    def elsewhere():
        seen["block_rows"] = evalkit.get_config()["block_rows"]

    with evalkit.config_context(block_rows=5):
        thread = threading.Thread(target=elsewhere)
        thread.start()
        thread.join()
    assert seen["block_rows"] == 1 << 20


def test_unknown_option_names_the_close_one():
    with pytest.raises(evalkit.EvalkitError, match="EK-CFG-001"):
        with evalkit.config_context(block_row=1):
            pass
    with evalkit.config_context(cores=None):
        assert evalkit.get_config()["cores"] is None


@pytest.mark.parametrize("name, value", [("block_rows", 1.5), ("block_rows", "10"), ("t_max", None),
                                         ("cores", True)])
def test_bad_values_are_refused(name, value):
    with pytest.raises(evalkit.EvalkitError, match=f"EK-CFG-003\\] .*'{name}'"):
        evalkit.set_config(**{name: value})


def test_t_max_option_limits_the_interval():
    """d_z = 2 at n = 100 is |t| = 20: computed by default, NaN (with a warning) above t_max = 10."""
    low, high = evalkit.stats.d_z_ci(2.0, 100)
    assert np.isfinite(low) and np.isfinite(high)
    with evalkit.config_context(t_max=10.0), pytest.warns(evalkit.UndefinedStatisticWarning, match="EK-ST-017"):
        low, high = evalkit.stats.d_z_ci(2.0, 100)
    assert np.isnan(low) and np.isnan(high)
