"""Independent tasks on every core of this machine: forked worker processes, or serially.

Forking copies the parent's memory, so tasks and their inputs need not be pickled; only
indices go out and the (small) results come back.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
from collections.abc import Callable, Sequence

_TASK: list = []


def _run(index: int):
    work, items = _TASK
    return work(items[index])


def fork_map(work: Callable, items: Sequence, *, workers: int | None = None) -> list:
    """``[work(x) for x in items]``, on ``workers`` processes (default: one per core).

    Serial when there is one worker or one item, where ``fork`` does not exist, or when
    this process runs other threads (forking a Jupyter kernel or a Dask worker can
    deadlock).
    """
    workers = min(len(items), workers or os.cpu_count() or 1)
    if workers <= 1 or "fork" not in mp.get_all_start_methods() or threading.active_count() > 1:
        return [work(x) for x in items]
    from concurrent.futures import ProcessPoolExecutor

    _TASK[:] = [work, items]
    try:
        with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
            return list(pool.map(_run, range(len(items)), chunksize=max(1, len(items) // (8 * workers))))
    finally:
        _TASK.clear()
