"""Benchmark of evalkit from answer files to gains, at national roll-up sizes.

Plain Python: ``time.perf_counter`` for time, peak resident memory (``resource.getrusage``
for the process, plus a sampler of ``/proc/self/statm`` for the peak *during* each phase).

    python benchmarks/run.py                      # 10k, 100k, 1M participants, 1,000 groups
    python benchmarks/run.py --sizes 100000 --groups 1000
    python benchmarks/run.py --quick              # 10k only, a smoke test
    python benchmarks/run.py --rollup             # national roll-up: 300 trainings, 3,000 groups, 1M
    python benchmarks/run.py --rollup --trainings 30   # a tenth of it

For every size, the data are simulated with the bundled questionnaire
(``evalkit.simulate``), written as CSV and Parquet in a temporary folder, and each phase is
then timed in a fresh process (so that one size's memory does not leak into the next).
The results table is printed and written to ``benchmarks/results/benchmark-<time>.csv``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent


# --------------------------------------------------------------------------- memory
def _rss_bytes() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # not Linux: fall back to the process peak
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _peak_rss_bytes() -> int:
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


class Phase:
    """Times a block and samples the resident memory every few milliseconds while it runs."""

    def __init__(self, rows: list, name: str, size: int, groups: int):
        self.rows, self.name, self.size, self.groups = rows, name, size, groups

    def __enter__(self):
        self.peak = _rss_bytes()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        self.start = time.perf_counter()
        return self

    def _sample(self):
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, _rss_bytes())

    def __exit__(self, *exc):
        # A block may set ``seconds`` itself (the best of repeated calls).
        seconds = getattr(self, "seconds", time.perf_counter() - self.start)
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_bytes())
        self.rows.append({"participants": self.size, "groups": self.groups, "phase": self.name,
                          "seconds": round(seconds, 3), "peak_rss_mb": round(self.peak / 2**20, 1)})
        print(f"  {self.name:<34} {seconds:9.3f} s  {self.peak / 2**20:9.1f} MB", flush=True)
        return False


# --------------------------------------------------------------------------- data
def questionnaire(groups: int):
    """The bundled questionnaire, its group list extended to ``groups`` groups (G11 ...)."""
    import evalkit

    return evalkit.load_questionnaire(evalkit.bundled_questionnaire()).with_groups(groups)


def simulate_files(size: int, groups: int, folder: Path, seed: int = 2026) -> dict:
    """Simulate ``size`` participants in ``groups`` groups; write CSV and Parquet of both waves."""
    import evalkit
    from evalkit.io import write_table

    q = questionnaire(groups)
    per_group = max(1, size // groups)
    start = time.perf_counter()
    pre, post = evalkit.simulate(q, n_groups=groups, n_per_group=(per_group, per_group), seed=seed)
    simulated = time.perf_counter() - start
    paths = {}
    for wave, frame in (("pre", pre), ("post", post)):
        for suffix in ("csv", "parquet"):
            paths[f"{wave}.{suffix}"] = str(write_table(frame, folder / f"{wave}.{suffix}"))
    return {"simulate_seconds": simulated, "paths": paths, "rows_pre": len(pre), "rows_post": len(post)}


# --------------------------------------------------------------------------- the hand-written loop
def scipy_loop(q, pre_data, post_data) -> float:  # Responses of both waves
    """What an analyst writes by hand: score, match on the code, one SciPy call per group × scale.

    Starts from the same validated answer tables as evalkit's path and returns the seconds.
    """
    import numpy as np
    import pandas as pd
    from scipy import stats

    from evalkit.pipeline import score

    start = time.perf_counter()
    a, b = score(q, pre_data), score(q, post_data)
    scales = [s.id for s in q.scales if s.id in a.columns and s.id in b.columns]
    a = a.drop_duplicates(["group", "participant"], keep="last")
    b = b.assign(participant=b["participant"].str.upper().str.replace(r"[\s\-._/]+", "", regex=True))
    b = b.drop_duplicates(["group", "participant"], keep="last")
    merged = a.merge(b, on=["group", "participant"], suffixes=("_pre", "_post"))
    rows = []
    for group, data in merged.groupby("group"):
        for scale in scales:
            x, y = data[f"{scale}_pre"].to_numpy(), data[f"{scale}_post"].to_numpy()
            ok = ~np.isnan(x) & ~np.isnan(y)
            x, y = x[ok], y[ok]
            t = stats.ttest_rel(y, x)
            d = y - x
            try:
                w = stats.wilcoxon(y, x, zero_method="wilcox", correction=True,
                                   method="exact" if len(d) < 50 and np.all(d != 0)
                                   and len(np.unique(np.abs(d))) == len(d) else "approx")
                wp = w.pvalue
            except ValueError:
                wp = np.nan
            rows.append((group, scale, len(d), d.mean(), t.statistic, t.pvalue, wp))
    pd.DataFrame(rows, columns=["group", "scale", "n", "mean_diff", "t", "p", "p_wilcoxon"])
    return time.perf_counter() - start


#: Further calls of evalkit.gains whose fastest is reported: timeit's default number of repeats.
REPEAT = 5


def _seconds(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


# --------------------------------------------------------------------------- one size
def run_size(size: int, groups: int, paths: dict, loop: bool) -> list[dict]:
    import evalkit
    from evalkit import io, pipeline, review

    warnings.simplefilter("ignore")
    rows: list[dict] = []
    q = questionnaire(groups)
    with Phase(rows, "import scipy.stats (lazy, once)", size, groups):
        import scipy.stats  # noqa: F401  (evalkit imports it on first use; timed apart)
    with Phase(rows, "read csv (2 waves, as text)", size, groups):
        raw_csv = [io.read_table(Path(paths[f"{w}.csv"])) for w in ("pre", "post")]
    del raw_csv
    with Phase(rows, "read parquet (2 waves, as text)", size, groups):
        raw = [io.read_table(Path(paths[f"{w}.parquet"])) for w in ("pre", "post")]
    with Phase(rows, "validation (2 waves)", size, groups):
        pre = io.validate_responses(raw[0][0], q, wave="pre", source="pre.parquet")
        post = io.validate_responses(raw[1][0], q, wave="post", source="post.parquet")
    raw_post = raw[1][0]
    del raw
    with Phase(rows, "scoring (2 waves)", size, groups):
        scored = pipeline.score_wave(q, pre), pipeline.score_wave(q, post)  # item and scale scores
        scores_pre, scores_post = (w.scales for w in scored)
    with Phase(rows, "matching (exact + fuzzy, ledger)", size, groups):
        pairs, ledger = pipeline.match_waves(pre.data, post.data, key=KEY)
        matched = pipeline.matched_long(q, pairs, scores_pre, scores_post)
    with Phase(rows, "gains (t, Wilcoxon, ES, CIs, Holm)", size, groups):
        gains = pipeline.gains_table(q, matched, by="group", confidence=0.95)
    core = [r for r in rows if r["phase"].split(" ")[0] in ("validation", "scoring", "matching", "gains")]
    rows.append({"participants": size, "groups": groups,
                 "phase": "= validation+scoring+matching+gains",
                 "seconds": round(sum(r["seconds"] for r in core), 3),
                 "peak_rss_mb": round(max(r["peak_rss_mb"] for r in core), 1)})
    print(f"  {rows[-1]['phase']:<34} {rows[-1]['seconds']:9.3f} s  {rows[-1]['peak_rss_mb']:9.1f} MB")
    # The follow-up's phases next, in the process state the two-wave core ran in (after the
    # reviews and analyze() the process holds 6 GB at 1M, and fresh memory costs more).
    rows.extend(three_waves(q, post, raw_post, pre, ledger, pairs, {"pre": scores_pre, "post": scores_post},
                            rows, size, groups, Path(paths["post.parquet"]).parent))
    with Phase(rows, "evalkit.gains (score + match + gains)", size, groups):
        evalkit.gains(q, pre, post)
    with Phase(rows, f"evalkit.gains, best of {REPEAT} more calls", size, groups) as phase:
        # timeit's convention: on a shared machine the fastest call is the least disturbed.
        phase.seconds = min(_seconds(lambda: evalkit.gains(q, pre, post)) for _ in range(REPEAT))
    # The reviews as analyze() runs them: on the item scores of the rows the ledger counts.
    counted = tuple(w.items[w.items["row"].isin(ledger["row"][(ledger["wave"] == w.responses.wave)
                                                              & ledger["state"].isin(["used", "unmatched"])])]
                    .reset_index(drop=True) for w in scored)
    with Phase(rows, "reliability (2 waves)", size, groups):
        rel = [review.reliability(q, w, items=x) for w, x in zip((pre, post), counted)]
    with Phase(rows, "item analysis", size, groups):
        review.item_analysis(q, pre, post, items=counted)
    with Phase(rows, "reliability called alone (scores itself)", size, groups):
        [review.reliability(q, w) for w in (pre, post)]
    with Phase(rows, "item analysis called alone (scores itself)", size, groups):
        review.item_analysis(q, pre, post)
    with Phase(rows, "ANCOVA + Kruskal + pairwise", size, groups):
        review.compare_groups(matched)
    with Phase(rows, "analyze (every stage and review, one call)", size, groups):
        evalkit.analyze(q, pre, post)
    del rel
    if loop:
        with Phase(rows, "hand-written SciPy loop", size, groups):
            seconds = scipy_loop(q, pre, post)
        # Both routes start from the same validated answer tables: evalkit.gains scores,
        # matches and tests; the loop scores, matches and calls SciPy per group and scale.
        for label, start in (("evalkit.gains (one call)", "evalkit.gains ("),
                             (f"evalkit.gains (best of {REPEAT})", "evalkit.gains, best"),
                             ("the gains phase alone", "gains (")):
            mine = next(r["seconds"] for r in rows if r["phase"].startswith(start))
            ratio = seconds / max(mine, 1e-9)
            rows.append({"participants": size, "groups": groups,
                         "phase": f"= speed-up of {label} over the loop",
                         "seconds": round(ratio, 1), "peak_rss_mb": float("nan")})
            print(f"  speed-up of {label} over scoring + per-group SciPy loop: {ratio:.1f}x "
                  f"(groups × scales = {len(gains[gains['group'] != 'ALL'])})")
    rows.append({"participants": size, "groups": groups, "phase": "peak RSS of the whole process",
                 "seconds": float("nan"), "peak_rss_mb": round(_peak_rss_bytes() / 2**20, 1)})
    return rows


#: A fixed pseudonymization key: both matchings of the three-wave path use one key.
KEY = "0123456789abcdef"


def followup_table(q, raw_post, seed: int = 2026):
    """A follow-up answer table derived from the post-test's (the simulation has no
    follow-up yet): 60 % of the post-test rows, a fifth of each item's answers replaced by
    another row's, and the follow-up items answered at random (the network item with valid
    codes)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    table = raw_post.sample(frac=0.6, random_state=seed).reset_index(drop=True)
    n = len(table)
    for item in q.items_for_wave("post"):  # perturbed: decay and change, column by column
        if item.id in table.columns:
            swap = rng.random(n) < 0.2
            values = table[item.id].to_numpy(copy=True)
            values[swap] = values[rng.integers(0, n, swap.sum())]
            table[item.id] = values
    for item in q.items_for_wave("followup"):
        if item.id in table.columns:
            continue
        if item.type == "network":  # half name their own group and an institution, half no one
            ties = table["kelompok"].astype(str) + " " + rng.choice([o.code for o in item.institutions], n)
            table[item.id] = np.where(rng.random(n) < 0.5, ties, "")
        else:
            table[item.id] = rng.integers(1, 6, n).astype(str)
    return table


def three_wave_questionnaire(q):
    """``q`` with every post-test scale and item also asked at the follow-up (retention is
    measured on them): the follow-up then costs what a post-test costs."""
    from dataclasses import replace

    def later(thing):
        return replace(thing, waves=(*thing.waves, "followup")) if "post" in thing.waves else thing

    return replace(q, scales=tuple(map(later, q.scales)), items=tuple(map(later, q.items)))


def three_waves(q, post, raw_post, pre, ledger, pairs, scores, rows, size, groups, folder: Path) -> list[dict]:
    """The follow-up's share of the core: its validation, scoring and matching (to the
    pre-test participants, with the long table of every wave); the two-wave phases are
    the rest of the three-wave core."""
    from evalkit import io, pipeline
    from evalkit.io import write_table

    extra: list[dict] = []
    q3 = three_wave_questionnaire(q)
    path = write_table(followup_table(q3, raw_post), folder / "followup.parquet")
    with Phase(extra, "read parquet (follow-up, as text)", size, groups):  # as the other waves: not core
        raw = io.read_table(path)[0]
    with Phase(extra, "validation (follow-up, 60 % of post)", size, groups):
        followup = io.validate_responses(raw, q3, wave="followup", source="followup.parquet")
    del raw
    with Phase(extra, "scoring (follow-up)", size, groups):
        scores_followup = pipeline.score_wave(q3, followup).scales
    with Phase(extra, "matching (follow-up to pre, ledger, waves table)", size, groups):
        fu_pairs, fu_ledger = pipeline.match_followup(ledger, pre.data, followup.data, anchor_wave="pre",
                                                      later_wave="followup", key=KEY)
        both = pipeline.stack_ledgers(ledger, fu_ledger)
        pipeline.waves_table(q3, both, {"post": pairs, "followup": fu_pairs}, {**scores, "followup": scores_followup},
                             ("pre", "post", "followup"))
    core2 = sum(r["seconds"] for r in rows if r["phase"].split(" ")[0] in ("validation", "scoring", "matching", "gains"))
    core3 = core2 + sum(r["seconds"] for r in extra if not r["phase"].startswith("read"))
    for name, value in (("= three-wave core (two-wave core + follow-up phases)", round(core3, 3)),
                        ("= three-wave core / two-wave core", round(core3 / core2, 2))):
        extra.append({"participants": size, "groups": groups, "phase": name, "seconds": value,
                      "peak_rss_mb": float("nan")})
        print(f"  {name:<34} {value:9.3f}")
    return extra


def run_demo() -> list[dict]:
    """``evalkit demo`` (charts and documents of one training on the bundled sample), timed."""
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "evalkit.cli", "demo", "--out", folder],
                              capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if done.returncode == 0:
            rows += _document_sizes(Path(folder), groups=10)
    if done.returncode != 0:  # the demo command's options may differ: say so, do not crash
        print(done.stderr[-2000:], file=sys.stderr)
    rows.append({"participants": 0, "groups": 0, "phase": "evalkit demo (charts + documents)",
                 "seconds": round(seconds, 3) if done.returncode == 0 else float("nan"),
                 "peak_rss_mb": float("nan")})
    print(f"  evalkit demo: {seconds:.2f} s (exit {done.returncode})")
    first, *more = (_seconds(lambda: subprocess.run([sys.executable, "-c", "import evalkit"], check=True))
                    for _ in range(1 + REPEAT))
    for phase, seconds in (("python -c 'import evalkit' (process)", first),
                           (f"python -c 'import evalkit', best of {REPEAT} more", min(more))):
        rows.append({"participants": 0, "groups": 0, "phase": phase, "seconds": round(seconds, 3),
                     "peak_rss_mb": float("nan")})
    print(f"  import evalkit (new process, interpreter start included): {first:.2f} s, "
          f"best of {REPEAT} more {min(more):.2f} s")
    return rows


def _document_sizes(folder: Path, *, groups: int) -> list[dict]:
    """Sizes of the report documents (issue #15: both must stay small enough to e-mail)."""
    rows = []
    for name in ("laporan.docx", "laporan.html"):
        mb = (folder / name).stat().st_size / 2**20
        rows.append({"participants": 0, "groups": groups, "phase": f"size of {name} (MB)", "seconds": float("nan"),
                     "peak_rss_mb": float("nan"), "size_mb": round(mb, 2)})
        print(f"  {name}, {groups} groups: {mb:.2f} MB")
    return rows


def run_report_sizes(groups: int = 100, per_group: int = 25) -> list[dict]:
    """The report folder of a large training (``groups`` groups), timed, with its documents' sizes."""
    import warnings

    import evalkit
    from evalkit.report import write_report

    q = questionnaire(groups)
    pre, post = evalkit.simulate(q, n_groups=groups, n_per_group=(per_group, per_group), seed=2026)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        analysis = evalkit.analyze(q, pre, post)
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        out = write_report(analysis, Path(folder) / "laporan", info=evalkit.bundled_report_info())
        seconds = time.perf_counter() - start
        print(f"  write_report, {groups} groups: {seconds:.1f} s")
        rows = [{"participants": groups * per_group, "groups": groups, "phase": "write_report (charts + documents)",
                 "seconds": round(seconds, 3), "peak_rss_mb": float("nan")}]
        return rows + _document_sizes(out, groups=groups)


# --------------------------------------------------------------------------- national roll-up
PROVINCES = tuple(f"Provinsi {i + 1:02d}" for i in range(34))


def simulate_catalogue(trainings: int, folder: Path) -> Path:
    """``trainings`` trainings of 10 groups × 333 participants in 34 provinces over 5 years, as
    Parquet answer files (``evalkit.rollup.example_catalogue``); returns the catalogue."""
    from evalkit.rollup import example_catalogue

    return example_catalogue(folder, trainings=trainings, groups=10, per_group=(333, 333), provinces=PROVINCES,
                             years=(2022, 2023, 2024, 2025, 2026), seed=2026, file_format="parquet")


def _tree_rss_bytes(pid: int) -> int:
    """Resident memory of a process and all its descendants (forked workers included; pages
    they share are counted in each, so this overstates rather than understates)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo += [int(c) for c in f.read().split()]
        except OSError:
            continue
    return total


def _command(rows: list, name: str, size: int, groups: int, argv: list[str]) -> None:
    """Run a command as the analyst would; time it and sample its process tree's memory.

    ``cpu_s`` is the CPU time (user + system) of the command and every process it waited
    for (its forked workers): on a machine shared with other jobs the wall time grows with
    their load, the CPU time much less."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss_bytes(proc.pid))
        time.sleep(0.02)
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if proc.returncode != 0:
        sys.stderr.write(err[-3000:])
        raise SystemExit(1)
    rows.append({"participants": size, "groups": groups, "phase": name, "seconds": round(seconds, 3),
                 "peak_rss_mb": round(peak / 2**20, 1), "cpu_s": round(cpu, 2),
                 "load_1min": round(os.getloadavg()[0], 2)})
    print(f"  {name:<52} {seconds:9.3f} s  {peak / 2**20:9.1f} MB  {cpu:8.1f} CPU s  load {os.getloadavg()[0]:.1f}",
          flush=True)


def run_rollup(trainings: int, folder: Path) -> list[dict]:
    """`evalkit rollup` on ``trainings`` simulated trainings: from Parquet answer files, then
    from the result packages of the same trainings; each a fresh process, as run by hand."""
    import evalkit  # noqa: F401
    from evalkit.report import write_package
    from evalkit.rollup import load_catalogue, map_trainings

    warnings.simplefilter("ignore")
    rows: list[dict] = []
    size, groups = trainings * 3330, trainings * 10  # nominal: 333 per group before simulated drop-outs
    start = time.perf_counter()
    catalogue = simulate_catalogue(trainings, folder)
    print(f"  simulate + write Parquet files (not timed below): {time.perf_counter() - start:.1f} s", flush=True)
    cli = [sys.executable, "-m", "evalkit.cli", "rollup"]
    _command(rows, "evalkit rollup, Parquet, report included", size, groups,
             [*cli, str(catalogue), "--out", str(folder / "out_raw")])
    docx = (folder / "out_raw" / "nasional.docx").stat().st_size / 2**20
    rows.append({"participants": size, "groups": groups, "phase": "nasional.docx (MB, in the seconds column)",
                 "seconds": round(docx, 2), "peak_rss_mb": float("nan")})
    print(f"  nasional.docx: {docx:.1f} MB", flush=True)
    _command(rows, "evalkit rollup, Parquet, --no-documents", size, groups,
             [*cli, str(catalogue), "--out", str(folder / "out_raw2"), "--no-documents"])
    # The packages the provinces would send (not timed).
    cat = load_catalogue(catalogue)
    lines = ["trainings:"]
    for t, (package, _) in zip(cat.trainings, map_trainings(cat.trainings)):
        name = write_package(package, folder / f"{t.id}.json").name
        lines.append(f"  - {{id: {t.id}, province: {t.province}, office: {t.office}, start: {t.start}, "
                     f"package: {name}}}")
    packages = folder / "paket.yaml"
    packages.write_text("\n".join(lines) + "\n")
    _command(rows, "evalkit.rollup(packages), python -c (import incl.)", size, groups,
             [sys.executable, "-W", "ignore", "-c", f"import evalkit; evalkit.rollup({str(packages)!r})"])
    _command(rows, "evalkit rollup, packages, --no-documents", size, groups,
             [*cli, str(packages), "--out", str(folder / "out_pkg"), "--no-documents"])
    _command(rows, "evalkit rollup, packages, report included", size, groups,
             [*cli, str(packages), "--out", str(folder / "out_pkg2")])
    return rows


def main_rollup(trainings: int) -> list[dict]:
    print(f"\nnational roll-up: {trainings} trainings, {trainings * 10:,} groups, about "
          f"{trainings * 3330:,} participants (Parquet)", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        return run_rollup(trainings, Path(folder))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000],
                        help="numbers of participants (default: 10000 100000 1000000)")
    parser.add_argument("--groups", type=int, default=1000, help="number of groups (default 1000)")
    parser.add_argument("--quick", action="store_true", help="10,000 participants only, no demo")
    parser.add_argument("--no-loop", action="store_true", help="skip the hand-written SciPy loop")
    parser.add_argument("--no-demo", action="store_true", help="skip the demo and the 100-group report")
    parser.add_argument("--documents", action="store_true",
                        help="only the demo and the 100-group report: time and document sizes")
    parser.add_argument("--rollup", action="store_true",
                        help="national roll-up instead: trainings of 10 groups x 333 participants, raw and packages")
    parser.add_argument("--trainings", type=int, default=300, help="trainings in the --rollup case (default 300)")
    parser.add_argument("--_child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._child:  # one size in a fresh process
        job = json.loads(args._child)
        rows = run_size(job["size"], job["groups"], job["paths"], job["loop"])
        print("@@ROWS@@" + json.dumps(rows))
        return 0
    sizes = [] if (args.documents or args.rollup) else [10_000] if args.quick else args.sizes
    import pandas as pd

    all_rows: list[dict] = main_rollup(args.trainings) if args.rollup else []
    for size in sizes:
        print(f"\n{size:,} participants, {args.groups:,} groups", flush=True)
        with tempfile.TemporaryDirectory() as folder:
            made = simulate_files(size, args.groups, Path(folder))
            print(f"  simulate + write files (not timed below): {made['simulate_seconds']:.1f} s simulate; "
                  f"{made['rows_pre']:,} pre rows, {made['rows_post']:,} post rows", flush=True)
            job = {"size": size, "groups": args.groups, "paths": made["paths"], "loop": not args.no_loop}
            done = subprocess.run([sys.executable, __file__, "--_child", json.dumps(job)],
                                  capture_output=True, text=True)
            sys.stdout.write("".join(l + "\n" for l in done.stdout.splitlines() if not l.startswith("@@ROWS@@")))
            if done.returncode != 0:
                sys.stderr.write(done.stderr)
                return 1
            line = next(l for l in done.stdout.splitlines() if l.startswith("@@ROWS@@"))
            all_rows.extend(json.loads(line[len("@@ROWS@@"):]))
    if not (args.quick or args.rollup or args.no_demo):
        print("\ndemo and import", flush=True)
        all_rows.extend(run_demo())
        print("\nreport of 100 groups", flush=True)
        all_rows.extend(run_report_sizes(100))
    table = pd.DataFrame(all_rows)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    path = out / f"benchmark-{time.strftime('%Y%m%d-%H%M%S')}.csv"
    table.to_csv(path, index=False)
    with pd.option_context("display.width", 200, "display.max_rows", 500):
        print("\n" + table.to_string(index=False))
    print(f"\nwritten to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
