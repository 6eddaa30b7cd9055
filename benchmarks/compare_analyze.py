"""`analyze()` of one source tree, timed: run it for two trees in alternation to compare them.

    git archive 4a8a765 | tar -x -C /tmp/before
    python benchmarks/compare_analyze.py /tmp/before 4    # before
    python benchmarks/compare_analyze.py . 4              # after (this checkout)

Each tree uses its own bundled questionnaire (extended to 1,000 groups by its own
``benchmarks/run.py``) and its own ``simulate`` (100,000 participants, seed 2026); the answers
are validated, then ``analyze(q, pre, post)`` is called ``calls`` times in this one process.
Prints the seconds of each call: the first also imports SciPy and statsmodels; timeit's
convention takes the best of the later ones.
"""

from __future__ import annotations

import importlib.util
import sys
import time
import warnings


def main(root: str, calls: int) -> list[float]:
    sys.path.insert(0, f"{root}/src")
    warnings.simplefilter("ignore")
    spec = importlib.util.spec_from_file_location("tree_run", f"{root}/benchmarks/run.py")
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)
    import evalkit
    from evalkit import io

    q = run.questionnaire(1000)
    pre, post = evalkit.simulate(q, n_groups=1000, n_per_group=(100, 100), seed=2026)
    pre = io.validate_responses(pre, q, wave="pre", source="pre")
    post = io.validate_responses(post, q, wave="post", source="post")
    seconds = []
    for _ in range(calls):
        start = time.perf_counter()
        evalkit.analyze(q, pre, post)
        seconds.append(round(time.perf_counter() - start, 2))
    print(root, seconds, evalkit.__file__)
    return seconds


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 4)
