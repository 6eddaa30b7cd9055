"""The vectorized gains equal a per-group SciPy loop (the way analysts write it by hand).

No timing here: speed is measured by ``benchmarks/run.py`` only.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import evalkit
from evalkit import pipeline

TOL = 1e-10


def _wilcoxon_r(post: np.ndarray, pre: np.ndarray) -> tuple[float, float, str]:
    """R's wilcox.test(post, pre, paired = TRUE) defaults through SciPy.

    Differences of scores that carry 6 decimals are rounded to 9 decimals first, as an
    analyst must (and as evalkit does, to 9 significant digits): otherwise float noise
    (16.666666 vs 16.666666000000003) breaks ties, in SciPy as in R.
    """
    d = np.round(post - pre, 9)
    nonzero = d[d != 0]
    exact = 0 < len(nonzero) < 50 and len(nonzero) == len(d) and len(np.unique(np.abs(nonzero))) == len(d)
    res = stats.wilcoxon(d, zero_method="wilcox", correction=True, method="exact" if exact else "approx")
    # SciPy reports min(W+, W-) for two-sided tests; R's V is W+ (sum of positive ranks).
    ranks = stats.rankdata(np.abs(nonzero))
    v = float(ranks[nonzero > 0].sum())
    return v, float(res.pvalue), "exact" if exact else "normal"


@pytest.fixture(scope="module")
def matched():
    q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    pre, post = evalkit.simulate(q, n_groups=6, n_per_group=(8, 70), seed=11)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = evalkit.analyze(q, pre, post)
    return q, a


def test_gains_equal_per_group_scipy_loop(matched):
    q, a = matched
    both = a.matched.dropna(subset=["pre", "post"])
    rows = []
    for (scale, group), data in list(both.groupby(["scale", "group"])) + [
            ((scale, "ALL"), data) for scale, data in both.groupby("scale")]:
        x, y = data["pre"].to_numpy(), data["post"].to_numpy()
        t = stats.ttest_rel(y, x)
        v, p_w, method = _wilcoxon_r(y, x)
        d = y - x
        ci = t.confidence_interval(0.95)
        rows.append({"scale": scale, "group": group, "n": len(d), "mean_diff": d.mean(),
                     "t": t.statistic, "df": float(t.df), "p": t.pvalue, "ci_low": ci.low,
                     "ci_high": ci.high, "w": v, "p_wilcoxon": p_w, "wilcoxon_method": method,
                     "d_z": d.mean() / d.std(ddof=1)})
    loop = pd.DataFrame(rows)
    loop["p_holm"] = np.nan
    per_group = loop["group"] != "ALL"
    for scale, idx in loop[per_group].groupby("scale").groups.items():
        p = loop.loc[idx, "p"].to_numpy()
        order = np.argsort(p, kind="stable")
        adj = np.minimum(1, np.maximum.accumulate((len(p) - np.arange(len(p))) * p[order]))
        out = np.empty(len(p))
        out[order] = adj
        loop.loc[idx, "p_holm"] = out
    merged = a.gains.merge(loop, on=["scale", "group"], suffixes=("", "_loop"), validate="1:1")
    assert len(merged) == len(a.gains) == len(loop)
    assert (merged["n"] == merged["n_loop"]).all()
    assert (merged["wilcoxon_method"] == merged["wilcoxon_method_loop"]).all()
    for column in ("mean_diff", "t", "df", "p", "ci_low", "ci_high", "w", "p_wilcoxon", "d_z", "p_holm"):
        np.testing.assert_allclose(merged[column], merged[f"{column}_loop"], rtol=TOL, atol=1e-12,
                                   err_msg=column)


def test_paired_by_group_equals_scipy_loop_exact_and_normal():
    """Continuous scores (no ties): small groups take the exact branch, large ones the normal."""
    rng = np.random.default_rng(21)
    sizes = {"a": 7, "b": 20, "c": 49, "d": 50, "e": 120}
    data = pd.concat([pd.DataFrame({"g": g, "pre": rng.normal(50, 10, n)}) for g, n in sizes.items()],
                     ignore_index=True)
    data["post"] = data["pre"] + rng.normal(3, 6, len(data))
    res = evalkit.stats.paired_by_group(data, pre="pre", post="post", group="g")
    for g, part in data.groupby("g"):
        x, y = part["pre"].to_numpy(), part["post"].to_numpy()
        t = stats.ttest_rel(y, x)
        v, p_w, method = _wilcoxon_r(y, x)
        row = res.loc[g]
        assert row["wilcoxon_method"] == method
        np.testing.assert_allclose([row["t"], row["p"], row["w"], row["p_wilcoxon"]],
                                   [t.statistic, t.pvalue, v, p_w], rtol=TOL)
    assert set(res["wilcoxon_method"]) == {"exact", "normal"}


def test_gains_table_is_the_same_with_and_without_groups(matched):
    q, a = matched
    alone = pipeline.gains_table(q, a.matched, by=None, confidence=0.95)
    pooled = a.gains[a.gains["group"] == "ALL"].reset_index(drop=True)
    pd.testing.assert_frame_equal(alone.drop(columns="p_holm"), pooled.drop(columns="p_holm"))


def test_grouped_ranks_equal_scipy_rankdata():
    from evalkit.stats._ranks import _grouped_average_ranks

    rng = np.random.default_rng(3)
    values = rng.integers(0, 6, 500).astype(float)  # many ties
    codes = rng.integers(0, 7, 500)
    ranks, run_codes, run_sizes = _grouped_average_ranks(values, codes)
    for g in range(7):
        np.testing.assert_array_equal(ranks[codes == g], stats.rankdata(values[codes == g]))
        _, counts = np.unique(values[codes == g], return_counts=True)
        np.testing.assert_array_equal(np.sort(run_sizes[run_codes == g]), np.sort(counts))


def test_closed_form_ancova_equals_least_squares():
    rng = np.random.default_rng(5)
    n = 300
    data = pd.DataFrame({"g": rng.choice(list("abcde"), n), "pre": rng.normal(50, 10, n)})
    data["post"] = data["pre"] * 0.7 + data["g"].map(dict(zip("abcde", range(5)))) + rng.normal(0, 5, n)
    res = evalkit.stats.ancova(data, pre="pre", post="post", group="g")
    codes, levels = pd.factorize(data["g"], sort=True)
    dummies = (codes[:, None] == np.arange(1, 5)).astype(float)
    x = data["pre"].to_numpy()
    y = data["post"].to_numpy()

    def ssr(design):
        beta, *_ = np.linalg.lstsq(design, y, rcond=None)
        return float(((y - design @ beta) ** 2).sum())

    ones = np.ones((n, 1))
    full = ssr(np.hstack([ones, x[:, None], dummies]))
    reduced = ssr(np.hstack([ones, x[:, None]]))
    inter = ssr(np.hstack([ones, x[:, None], dummies, dummies * x[:, None]]))
    f = ((reduced - full) / 4) / (full / (n - 6))
    assert res.effect["F"] == pytest.approx(f, rel=1e-10)
    f_inter = ((full - inter) / 4) / (inter / (n - 10))
    assert res.slope_homogeneity == pytest.approx(stats.f.sf(f_inter, 4, n - 10), rel=1e-9)


def _signed_rank(diff, code, n_cells, pooled=None):
    from evalkit.stats._kernels import Cells
    from evalkit.stats._kernels import signed_rank_cells

    return signed_rank_cells(diff, Cells(code=code, index=pd.RangeIndex(n_cells), pooled=pooled))


#: The signed-rank kernel's two paths: counting ranks in tables, and sorting (many distinct
#: differences); the crossover is a config option, so either can be forced.
RANK_PATHS = {"count": {"counting_cells": 1 << 40}, "sort": {"counting_cells": -1}}


@pytest.mark.parametrize("path", list(RANK_PATHS))
def test_signed_rank_of_pooled_groups_equals_repeated_rows(path):
    """A pooled group (ALL) counts its members' rows as if they were repeated; the
    sorting path and the counting path agree with each other and with SciPy's ranks."""
    from evalkit.stats import _ranks

    rng = np.random.default_rng(8)
    n = 600
    diff = np.round(rng.normal(0, 2, n), 1)  # ties and zeros
    diff[:5] = 100 * 7 / 12 - 100 * 5 / 12 - (100 * 8 / 12 - 100 * 6 / 12) + 1  # float noise
    own = rng.integers(-1, 9, n)  # -1: no group
    groups = np.where(own >= 0, own, 10)
    pooled = np.array([9] * 9 + [-1, 9])  # every group (and "no group") also counts in 9
    with evalkit.config_context(**RANK_PATHS[path]):
        v, p, method = _signed_rank(diff, groups, 11, pooled)
    pooled_rows = np.full(n, 9)
    stacked = np.concatenate([groups, pooled_rows])
    v1, p1, m1 = _signed_rank(np.tile(diff, 2), stacked, 11)
    np.testing.assert_array_equal(v, v1)
    np.testing.assert_allclose(p, p1, rtol=1e-12)
    assert list(method) == list(m1)
    for g in range(10):
        d = _ranks.round_for_ranking(diff[own == g] if g < 9 else diff)
        d = d[d != 0]
        ranks = stats.rankdata(np.abs(d))
        assert v[g] == ranks[d > 0].sum()


@pytest.mark.parametrize("path", list(RANK_PATHS))
def test_signed_rank_of_pooled_runs_equals_repeated_rows(path):
    """Pooled groups whose members are consecutive groups (a scale's groups before its
    ALL row), and rows in no cell (-1); both paths agree with the rows repeated."""
    from evalkit.stats import _ranks

    rng = np.random.default_rng(12)
    n = 800
    diff = np.round(rng.normal(0.3, 2, n), 1)  # ties and zeros
    groups = rng.choice([-1, 0, 1, 2, 3, 5, 6, 7, 8, 10], n)  # 4 and 9 pool 0-3 and 5-8; 10 pools nowhere
    pooled = np.array([4] * 4 + [-1] + [9] * 4 + [-1, -1])
    with evalkit.config_context(**RANK_PATHS[path]):
        v, p, method = _signed_rank(diff, groups, 11, pooled)
    up = np.where(groups >= 0, pooled[groups], -1)
    stacked = np.concatenate([groups, up[up >= 0]])
    v1, p1, m1 = _signed_rank(np.concatenate([diff, diff[up >= 0]]), stacked, 11)
    np.testing.assert_array_equal(v, v1)
    np.testing.assert_allclose(p, p1, rtol=1e-12)
    assert list(method) == list(m1)
    for g, members in ((4, [0, 1, 2, 3]), (9, [5, 6, 7, 8]), (10, [10])):
        d = _ranks.round_for_ranking(diff[np.isin(groups, members)])
        d = d[d != 0]
        assert v[g] == stats.rankdata(np.abs(d))[d > 0].sum()


def test_paired_kernel_with_pooled_groups_equals_repeated_rows():
    """Pooled groups from their members' sufficient statistics equal the rows repeated."""
    from evalkit.stats._gain import _gain_table
    from evalkit.stats._kernels import Cells
    from evalkit.stats._paired import _paired_table

    rng = np.random.default_rng(9)
    n = 400
    pre = rng.integers(0, 13, n) * 100 / 12
    post = np.minimum(100, pre + rng.integers(-2, 5, n) * 100 / 12)
    pre[:7] = np.nan
    own = rng.integers(-1, 6, n)
    pooled = np.array([6] * 6 + [-1])
    index = pd.RangeIndex(7)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = _paired_table(pre, post, Cells(code=own, index=index, pooled=pooled), 0.95)
        # The rows again under ALL (6); rows without a group count nowhere.
        repeated = Cells(code=np.concatenate([own, np.where(own >= 0, 6, -1)]), index=index)
        b = _paired_table(np.tile(pre, 2), np.tile(post, 2), repeated, 0.95)
        ga = _gain_table(pre, post, Cells(code=own, index=index, pooled=pooled), 100.0)
        gb = _gain_table(np.tile(pre, 2), np.tile(post, 2), repeated, 100.0)
    pd.testing.assert_frame_equal(a, b, rtol=1e-12)
    pd.testing.assert_frame_equal(ga, gb, rtol=1e-12)


def test_match_waves_exact_join_keeps_order_states_and_dtypes():
    from evalkit.pipeline import match_waves

    pre = pd.DataFrame({"row": [2, 3, 4, 5, 6, 7, 8], "participant": ["ab-01", "CD02", "ab01", None, "XY9", "EF03", "GH04"],
                        "group": ["G1", "G1", "G1", "G1", "G2", None, "G2"],
                        "status": ["ok", "ok", "ok", "invalid", "ok", "invalid", "ok"]})
    post = pd.DataFrame({"row": [2, 3, 4, 5, 6], "participant": ["GH04", "AB 01", "cd02", "", "XY8"],
                         "group": ["G2", "G1", "G1", "G1", "G2"],
                         "status": ["ok", "ok", "ok", "empty", "ok"]})
    pairs, ledger = match_waves(pre, post, key="0123456789abcdef")
    assert pairs[["row_pre", "row_post", "match"]].values.tolist() == [
        [3, 4, "exact"], [4, 3, "exact"], [8, 2, "exact"], [6, 6, "fuzzy"]]
    assert ledger["state"].tolist() == ["duplicate", "used", "used", "invalid", "used", "invalid", "used",
                                        "used", "used", "used", "empty", "used"]
    assert str(ledger["distance"].dtype) == "float64" and pairs["row_pre"].dtype == np.int64
    assert pairs["participant"].nunique() == 4 and not pairs["participant"].isna().any()


def test_signed_rank_without_pyarrow_hashing_is_the_same(monkeypatch):
    """The distinct |differences| are hashed by pyarrow when it is installed; without it
    pandas hashes them, and the test statistics are bit-identical."""
    pytest.importorskip("pyarrow")
    import sys

    from evalkit.stats import _ranks

    rng = np.random.default_rng(13)
    diff = np.round(rng.normal(0.2, 3, 2000), 2)
    groups = rng.integers(0, 7, 2000)
    with_arrow = _signed_rank(diff, groups, 7)
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow now raises ImportError
    without = _signed_rank(diff, groups, 7)
    for a, b in zip(with_arrow, without):
        np.testing.assert_array_equal(a, b)
