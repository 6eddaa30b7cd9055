"""The gains table of the pipeline, checked group by group against SciPy and statsmodels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps
from statsmodels.stats.multitest import multipletests

import evalkit
from evalkit.pipeline import GAIN_COLUMNS


@pytest.fixture(scope="module")
def analysis():
    q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    with pytest.warns(evalkit.EvalkitWarning, match="EK-PL-001"):
        return evalkit.analyze(q, evalkit.bundled_sample("pre"), evalkit.bundled_sample("post"))


def test_columns_and_rows(analysis):
    g = analysis.gains
    assert list(g.columns) == GAIN_COLUMNS
    scales = ["pengetahuan", "sikap", "mengenali", "mengadvokasi", "melindungi", "partisipasi"]
    assert g["scale"].unique().tolist() == scales  # post-only and follow-up scales have no gain
    assert g.groupby("scale").size().eq(11).all()  # ten groups + ALL
    assert set(g.loc[g["scale"] == "pengetahuan", "level"]) == {"learning"}


def test_each_group_matches_scipy(analysis):
    """Independent implementation: SciPy 1.17 ttest_rel / wilcoxon per group (the hand-written loop)."""
    matched = analysis.matched.dropna(subset=["pre", "post"])
    for row in analysis.gains.itertuples():
        data = matched if row.group == evalkit.ALL_GROUPS else matched[matched["group"] == row.group]
        data = data[data["scale"] == row.scale]
        d = data["post"] - data["pre"]
        t = sps.ttest_rel(data["post"], data["pre"])
        ci = t.confidence_interval(0.95)
        assert row.n == len(data)
        np.testing.assert_allclose([row.t, row.p, row.ci_low, row.ci_high, row.mean_diff],
                                   [t.statistic, t.pvalue, ci.low, ci.high, d.mean()], rtol=1e-10)
        np.testing.assert_allclose(row.d_z, d.mean() / d.std(ddof=1), rtol=1e-10)
        # R's wilcox.test default when ties or zeros exist: normal approximation, continuity
        # correction, zeros dropped ("wilcox") -- SciPy's equivalent options.
        nz = d.round(6)[d.round(6) != 0]  # scores carry 6 decimals
        if row.wilcoxon_method == "normal":
            w = sps.wilcoxon(nz, zero_method="wilcox", correction=True, method="approx")
            np.testing.assert_allclose(row.p_wilcoxon, w.pvalue, rtol=1e-8)
        ranks = sps.rankdata(nz.abs())
        np.testing.assert_allclose(row.w, ranks[nz.to_numpy() > 0].sum(), rtol=1e-12)


def test_holm_across_groups_matches_statsmodels(analysis):
    g = analysis.gains
    for scale, rows in g[g["group"] != evalkit.ALL_GROUPS].groupby("scale"):
        expected = multipletests(rows["p"], method="holm")[1]
        np.testing.assert_allclose(rows["p_holm"], expected, rtol=1e-12)
    assert g.loc[g["group"] == evalkit.ALL_GROUPS, "p_holm"].isna().all()


def test_hake_gain_only_for_knowledge(analysis):
    g = analysis.gains
    knowledge = g[g["scale"] == "pengetahuan"]
    assert knowledge["g_class"].notna().all()
    assert g.loc[g["scale"] != "pengetahuan", "g_class"].isna().all()
    pooled = knowledge[knowledge["group"] == evalkit.ALL_GROUPS].iloc[0]
    np.testing.assert_allclose(pooled.g_class, (pooled.mean_post - pooled.mean_pre) / (100 - pooled.mean_pre),
                               rtol=1e-12)
    assert pooled.n_excluded == 2


def test_simulated_effects_are_recovered(analysis):
    """The simulator gives later groups larger true effects (0.2 .. 1.1 latent SD)."""
    k = analysis.gains[(analysis.gains["scale"] == "pengetahuan") & (analysis.gains["group"] != "ALL")]
    assert np.corrcoef(np.arange(10), k["mean_diff"])[0, 1] > 0.7
    assert (k["mean_diff"] > 0).all()


def test_by_none_gives_only_pooled_rows(q, analysis):
    g = evalkit.gains(q, evalkit.bundled_sample("pre"), evalkit.bundled_sample("post"), by=None)
    assert set(g["group"]) == {evalkit.ALL_GROUPS}
    # The pooled rows come from the groups' sufficient statistics when by="group" and from
    # the rows themselves when by=None: equal to rounding.
    pooled = analysis.gains[analysis.gains["group"] == evalkit.ALL_GROUPS].reset_index(drop=True)
    pd.testing.assert_frame_equal(g.drop(columns="p_holm"), pooled.drop(columns="p_holm"), rtol=1e-12)


def test_gains_alone_equals_the_analysis_table(q, analysis):
    with pytest.warns(evalkit.EvalkitWarning, match="EK-PL-001"):
        g = evalkit.gains(q, evalkit.bundled_sample("pre"), evalkit.bundled_sample("post"))
    pd.testing.assert_frame_equal(g, analysis.gains, check_exact=True)



@pytest.mark.parametrize("overlap", [True, False])
def test_interval_search_beside_the_ranks_gives_the_same_table(q, analysis, overlap):
    """From 100,000 rows on (two cores) the signed ranks run in a second thread while the
    d_z roots are searched; forced on, or off, on the sample the table is the same."""
    with (evalkit.config_context(rank_overlap_rows=0 if overlap else 10**12, cores=2),
          pytest.warns(evalkit.EvalkitWarning, match="EK-PL-001")):
        g = evalkit.gains(q, evalkit.bundled_sample("pre"), evalkit.bundled_sample("post"))
    pd.testing.assert_frame_equal(g, analysis.gains, check_exact=True)


@pytest.mark.parametrize("threaded", [True, False])
def test_scoring_beside_matching_gives_the_same_results(q, analysis, threaded):
    """From 20,000 answer rows on (two cores) scoring and matching run side by side;
    forced on, or off, the gains table and the ledger are the same."""
    with (evalkit.config_context(side_by_side_rows=0 if threaded else 10**12, cores=2),
          pytest.warns(evalkit.EvalkitWarning, match="EK-PL-001")):
        g = evalkit.gains(q, evalkit.bundled_sample("pre"), evalkit.bundled_sample("post"))
        again = evalkit.analyze(q, evalkit.bundled_sample("pre"), evalkit.bundled_sample("post"))
    pd.testing.assert_frame_equal(g, analysis.gains, check_exact=True)
    ledger = ["wave", "row", "group", "state", "match", "distance", "pair_row", "reason"]
    pd.testing.assert_frame_equal(again.ledger[ledger], analysis.ledger[ledger], check_exact=True)


def test_scales_in_blocks_give_the_same_table(q, analysis):
    """At roll-up sizes the scales are computed in blocks of about a million rows; one
    scale per block (forced) gives the table of one pass over all scales."""
    with (evalkit.config_context(block_rows=1),
          pytest.warns(evalkit.EvalkitWarning, match="EK-PL-001")):
        g = evalkit.gains(q, evalkit.bundled_sample("pre"), evalkit.bundled_sample("post"))
    pd.testing.assert_frame_equal(g, analysis.gains, check_exact=True)

def test_bad_arguments(q):
    with pytest.raises(evalkit.EvalkitError, match="EK-PL-002"):
        evalkit.gains(q, evalkit.bundled_sample("pre"), evalkit.bundled_sample("post"), by="kelompok")
    with pytest.raises(evalkit.EvalkitError, match="EK-IO-032"):
        evalkit.gains(q, 42, evalkit.bundled_sample("post"))
    pre = evalkit.read_responses(evalkit.bundled_sample("pre"), q, wave="pre")
    with pytest.raises(evalkit.EvalkitError, match="EK-IO-033"):
        evalkit.gains(q, pre, pre)


def test_simulate_is_reproducible_and_matches_sample(q):
    """The documented command re-creates the sample files exactly (same seed, same writer)."""
    import io

    from evalkit.cli import write_sample

    pre, post = evalkit.simulate(q, seed=2026)
    pre2, _ = evalkit.simulate(q, seed=2026)
    assert pre.equals(pre2)
    buffer = io.StringIO()
    pre.to_csv(buffer, index=False, lineterminator="\n")
    assert buffer.getvalue() == evalkit.bundled_sample("pre").read_text(encoding="utf-8")
    assert callable(write_sample)
