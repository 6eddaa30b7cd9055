"""Reviewer statistics of the pipeline (evalkit.review), checked against R.

The reference values come from section 7 of ``tests/reference/stats_reference.R`` (R 4.2.2:
psych::alpha, psych::omega, car::Anova, emmeans, mcnemar.test, kruskal.test,
pairwise.t.test, t.test), which scores the raw answers in ``tests/reference/data/review/``
itself. They are read from the kept output ``stats_reference.Rout`` (R is not needed to run
the tests). The fixture has missing answers, a single-item scale (``tunggal``), a group of
two people (``C``), a zero-variance scale (``datar``), a knowledge scale whose pre-test
alpha is negative, and three drop-outs.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

import evalkit
from evalkit import review
from evalkit.pipeline import GAIN_COLUMNS

REFERENCE = Path(__file__).resolve().parents[1] / "reference"
DATA = REFERENCE / "data" / "review"


@pytest.fixture(scope="module")
def rout() -> dict[str, list[str]]:
    """``name -> values`` of the lines printed by ``out()`` in stats_reference.Rout."""
    values = {}
    for line in (REFERENCE / "stats_reference.Rout").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^((?:rv|gav_ci)\.\S+)\s+(.*)$", line)
        if match:
            values[match.group(1)] = match.group(2).split()
    return values


def ref(rout, name):
    return np.array(rout[name], dtype=float)


@pytest.fixture(scope="module")
def rq():
    return evalkit.load_questionnaire(DATA / "questionnaire.yaml")


@pytest.fixture(scope="module")
def ra(rq):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", evalkit.EvalkitWarning)  # checked one by one below
        return evalkit.analyze(rq, DATA / "pre.csv", DATA / "post.csv")


def rel_row(ra, scale, wave):
    r = ra.reliability
    return r[(r["scale"] == scale) & (r["wave"] == wave)].iloc[0]


# ---------------------------------------------------------------- reliability
@pytest.mark.parametrize("wave", ["pre", "post"])
@pytest.mark.parametrize("scale", ["tahu", "sikap"])
def test_reliability_matches_psych(ra, rout, scale, wave):
    row = rel_row(ra, scale, wave)
    assert row["n"] == ref(rout, f"rv.{wave}.{scale}.n")[0]
    # psych::alpha total$raw_alpha, std.alpha; psych::alpha.ci (Feldt)
    np.testing.assert_allclose([row["alpha"], row["std_alpha"]], ref(rout, f"rv.{wave}.{scale}.alpha"),
                               rtol=1e-10)
    np.testing.assert_allclose([row["ci_low"], row["ci_high"]], ref(rout, f"rv.{wave}.{scale}.feldt"),
                               rtol=1e-10)
    assert row["k"] == {"tahu": 4, "sikap": 3}[scale]


def test_reliability_counts_dropped_rows_and_omega(ra, rout):
    # pre: one knowledge row answered 1 of 4 items (below min_answered), one Likert blank
    assert rel_row(ra, "tahu", "pre")["n_dropped"] == 1
    assert rel_row(ra, "sikap", "pre")["n_dropped"] == 1
    # psych::omega(x, nfactors = 1)$omega.tot; psych stops optim at its default tolerance (1e-6)
    np.testing.assert_allclose(rel_row(ra, "sikap", "pre")["omega"], ref(rout, "rv.pre.sikap.omega"), rtol=1e-6)
    # post: three items with r12 * r13 / r23 > 1, a Heywood case (loading > 1). psych bounds the
    # uniqueness at 0.005 and prints a number; evalkit says the one-factor model does not fit.
    assert np.isnan(rel_row(ra, "sikap", "post")["omega"])
    # negative alpha: no one-factor omega, NaN rather than a meaningless number
    assert np.isnan(rel_row(ra, "tahu", "pre")["omega"])


def test_item_statistics_match_psych(ra, rout):
    s = ra.item_statistics
    for wave in ("pre", "post"):
        sikap = s[(s["scale"] == "sikap") & (s["wave"] == wave)]
        assert sikap["item"].tolist() == ["s1", "s2", "s3"]
        mean_sd = ref(rout, f"rv.{wave}.sikap.mean_sd")  # psych item.stats mean, sd
        np.testing.assert_allclose(sikap[["mean", "sd"]].to_numpy().T.ravel(), mean_sd, rtol=1e-10)
        np.testing.assert_allclose(sikap["r_drop"], ref(rout, f"rv.{wave}.sikap.r_drop"), rtol=1e-10)
        np.testing.assert_allclose(sikap["alpha_if_deleted"], ref(rout, f"rv.{wave}.sikap.alpha_drop"),
                                   rtol=1e-10)
        tahu = s[(s["scale"] == "tahu") & (s["wave"] == wave)]
        np.testing.assert_allclose(tahu["r_drop"], ref(rout, f"rv.{wave}.tahu.r_drop"), rtol=1e-10)
        np.testing.assert_allclose(tahu["alpha_if_deleted"], ref(rout, f"rv.{wave}.tahu.alpha_drop"),
                                   rtol=1e-10)


def test_single_item_and_zero_variance_scales_warn_and_give_nan(rq):
    pre = evalkit.read_responses(DATA / "pre.csv", rq, wave="pre")
    # The reliability kernel's message, with the scale and wave the review adds.
    with pytest.warns(evalkit.EvalkitWarning, match=r"EK-ST-050\] Skala 'tunggal' \(gelombang pre\): "), \
            pytest.warns(evalkit.EvalkitWarning, match=r"EK-ST-052\] Skala 'datar' \(gelombang pre\): "):
        rel = evalkit.reliability(rq, pre)
    single = rel[rel["scale"] == "tunggal"].iloc[0]
    flat = rel[rel["scale"] == "datar"].iloc[0]
    assert single["k"] == 1 and single["n"] == 18
    assert single[["alpha", "ci_low", "ci_high", "std_alpha", "omega"]].isna().all()
    assert flat[["alpha", "ci_low", "ci_high", "std_alpha", "omega"]].isna().all()
    with pytest.warns(evalkit.EvalkitWarning, match=r"Skala 'datar' \(gelombang pre\): Varians nol \(item\)"):
        items = review.item_statistics(rq, pre)
    assert items.loc[items["item"] == "u1", ["r_drop", "alpha_if_deleted"]].isna().all(axis=None)
    np.testing.assert_allclose(items.loc[items["item"] == "u1", "mean"], pre.data["u1"].mean(), rtol=1e-12)


def test_reliability_needs_answers(rq):
    # A path, Responses or DataFrame is accepted (tests/test_one_way_in.py); anything else is refused.
    with pytest.raises(evalkit.EvalkitError, match="EK-IO-032"):
        evalkit.reliability(rq, [1, 2, 3])


def test_english_messages_and_omega_without_factor(rq):
    pre = evalkit.read_responses(DATA / "pre.csv", rq, wave="pre")
    evalkit.set_language("en")
    with pytest.warns(evalkit.EvalkitWarning, match=r"EK-ST-050\] Scale 'tunggal' \(wave pre\): Reliability needs"), \
            pytest.warns(evalkit.EvalkitWarning, match=r"EK-ST-051\] Scale 'tahu' \(wave pre\): Omega cannot be"), \
            pytest.warns(evalkit.EvalkitWarning, match=r"EK-RV-003\] Scale 'datar' \(wave pre\)"):
        evalkit.reliability(rq, pre)


# ---------------------------------------------------------------- items
def test_item_analysis_matches_r(ra, rout):
    ia = ra.item_analysis
    assert list(ia.columns) == review.ITEM_ANALYSIS_COLUMNS
    for wave in ("pre", "post"):
        rows = ia[ia["wave"] == wave]
        assert rows["item"].tolist() == ["t1", "t2", "t3", "t4"]
        assert (rows["n"] == ref(rout, f"rv.{wave}.tahu.n")[0]).all()
        np.testing.assert_allclose(rows["difficulty"], ref(rout, f"rv.{wave}.tahu.difficulty"), rtol=1e-12)
        np.testing.assert_allclose(rows["r_pbis"], ref(rout, f"rv.{wave}.tahu.r_pbis"), rtol=1e-10)
        np.testing.assert_allclose(rows["d_upper_lower"], ref(rout, f"rv.{wave}.tahu.d"), atol=1e-12)
        for row in rows.itertuples():  # R: table() of the answers, most frequent wrong option
            option, share = rout[f"rv.{wave}.{row.item}.top_distractor"]
            assert row.top_distractor == option
            np.testing.assert_allclose(row.top_distractor_share, float(share), rtol=1e-12)


def test_item_flags(ra):
    ia = ra.item_analysis.set_index(["wave", "item"])["flag"]
    assert ia[("pre", "t1")] == "negative_discrimination"  # r_pbis -0.45
    assert ia[("pre", "t3")] == "distractor_beats_key"  # S chosen by 10 of 17, key B by 7
    assert ia[("post", "t2")] == "too_easy"  # 14 of 15 correct > TOO_EASY
    assert ia[("post", "t1")] == ""
    assert review.TOO_EASY == 0.9 and review.TOO_HARD == 0.2


def test_item_change_matches_mcnemar_test(ra, rout, rq):
    ch = ra.item_change
    assert list(ch.columns) == review.ITEM_CHANGE_COLUMNS
    assert (ch["n_pairs"] == ref(rout, "rv.item_change.n_pairs")[0]).all()
    np.testing.assert_allclose(ch["share_correct_pre"], ref(rout, "rv.item_change.share_pre"), rtol=1e-12)
    np.testing.assert_allclose(ch["share_correct_post"], ref(rout, "rv.item_change.share_post"), rtol=1e-12)
    np.testing.assert_allclose(ch["change"], ch["share_correct_post"] - ch["share_correct_pre"], rtol=1e-12)
    np.testing.assert_allclose(ch["p_mcnemar"], ref(rout, "rv.item_change.p_mcnemar"), rtol=1e-10)
    np.testing.assert_allclose(ch["p_holm"], ref(rout, "rv.item_change.p_holm"), rtol=1e-10)
    # b - c = n_pairs * (share_pre - share_post)
    np.testing.assert_allclose(ch["b"] - ch["c"], ch["n_pairs"] * -ch["change"], atol=1e-9)
    # the default pairs are the pipeline's
    same = review.item_change(rq, ra.pre, ra.post)
    pd.testing.assert_frame_equal(same, ch)


def test_item_change_rejects_bad_pairs(ra, rq):
    with pytest.raises(evalkit.EvalkitError, match="EK-RV-009"):
        review.item_change(rq, ra.pre, ra.post, pairs=pd.DataFrame({"row": [1]}))


# ---------------------------------------------------------------- groups
@pytest.mark.parametrize("scale", ["tahu", "sikap", "tunggal"])
def test_group_comparison_matches_r(ra, rout, scale):
    an = ra.ancova.set_index("scale").loc[scale]
    # car::Anova(lm(post ~ pre + g), type = 2): F, Df, residual Df, p; partial eta^2 by SS
    np.testing.assert_allclose(an[["F", "df1", "df2", "p", "partial_eta2"]].astype(float),
                               ref(rout, f"rv.{scale}.ancova"), rtol=1e-9)
    np.testing.assert_allclose(an["p_slope_homogeneity"], ref(rout, f"rv.{scale}.slope_p")[0], rtol=1e-9)
    em = ra.adjusted_means[ra.adjusted_means["scale"] == scale]
    assert em["group"].tolist() == ["A", "B", "C"]
    np.testing.assert_allclose(em[["adjusted_mean", "ci_low", "ci_high"]].to_numpy().T.ravel(),
                               ref(rout, f"rv.{scale}.emmeans"), rtol=1e-9)  # emmeans()
    kw = ra.kruskal.set_index("scale").loc[scale]
    np.testing.assert_allclose(kw[["H", "df", "p"]].astype(float), ref(rout, f"rv.{scale}.kruskal"), rtol=1e-10)
    pw = ra.pairwise[ra.pairwise["scale"] == scale]
    assert pw[["group1", "group2"]].values.tolist() == [["A", "B"], ["A", "C"], ["B", "C"]]
    # pairwise.t.test(gain, g, pool.sd = FALSE, p.adjust.method = "none" / "holm" / "BH")
    np.testing.assert_allclose(pw["p"], ref(rout, f"rv.{scale}.pairwise_raw"), rtol=1e-9)
    np.testing.assert_allclose(pw["p_holm"], ref(rout, f"rv.{scale}.pairwise_holm"), rtol=1e-9)
    np.testing.assert_allclose(pw["p_fdr_bh"], ref(rout, f"rv.{scale}.pairwise_BH"), rtol=1e-9)


def test_zero_variance_scale_gives_nan_with_warning(ra):
    with pytest.warns(evalkit.EvalkitWarning, match=r"EK-RV-006\] .*'datar'.* pre/post; ANCOVA"), \
            pytest.warns(evalkit.EvalkitWarning, match=r"EK-RV-006\] .*'datar'.* post - pre"):
        res = review.compare_groups(ra.matched)
    assert res.ancova.set_index("scale").loc["datar", ["F", "p", "partial_eta2"]].isna().all()
    assert res.kruskal.set_index("scale").loc["datar", ["H", "p"]].isna().all()
    assert "datar" not in set(res.adjusted_means["scale"])
    assert res.pairwise.loc[res.pairwise["scale"] == "datar", ["statistic", "p", "p_holm"]].isna().all(axis=None)


def test_one_group_is_skipped_with_warning():
    m = pd.DataFrame({"group": "a", "scale": "s", "pre": [1.0, 2, 3], "post": [2.0, 4, 3]})
    with pytest.warns(evalkit.EvalkitWarning, match="EK-RV-005"):
        res = review.compare_groups(m)
    assert len(res.ancova) == 0 and list(res.pairwise.columns) == review.PAIRWISE_COLUMNS


# ---------------------------------------------------------------- individual change
def test_reliable_change_matches_formula_in_r(ra, rout):
    ch = ra.change[ra.change["scale"] == "sikap"]
    order = rout["rv.sikap.rci_order"]  # codes A01..C02; matched rows follow the pre-test file order
    assert ch["group"].tolist() == [code[0] for code in order]
    np.testing.assert_allclose(ch["rci"], ref(rout, "rv.sikap.rci"), rtol=1e-9, atol=1e-12)
    expected = np.where(ch["rci"] > 1.96, "improved", np.where(ch["rci"] < -1.96, "worse", "unchanged"))
    assert ch["change"].tolist() == expected.tolist()


def test_change_summary_shares(ra):
    s = ra.change_summary
    assert list(s.columns) == review.CHANGE_SUMMARY_COLUMNS
    sikap = s[s["scale"] == "sikap"].set_index("group")
    ch = ra.change[ra.change["scale"] == "sikap"]
    for group, rows in list(ch.groupby("group")) + [("ALL", ch)]:
        assert sikap.loc[group, "n"] == rows["rci"].notna().sum()
        for label, column in (("improved", "share_reliable_rise"), ("unchanged", "share_no_reliable_change"),
                              ("worse", "share_reliable_fall")):
            np.testing.assert_allclose(sikap.loc[group, column], (rows["change"] == label).mean())
    assert sikap.loc["C", "n"] == 2  # the group of two people


def test_unusable_reliability_gives_nan_rci_with_warning(ra):
    with pytest.warns(evalkit.EvalkitWarning, match=r"EK-RV-007\] .*'tahu'.* -1.01"), \
            pytest.warns(evalkit.EvalkitWarning, match=r"EK-RV-007\] .*'tunggal'.* nan"):
        ch = review.individual_change(ra.matched, ra.reliability)
    assert ch.loc[ch["scale"] == "tahu", "rci"].isna().all()
    assert ch.loc[ch["scale"] == "tahu", "change"].isna().all()


# ---------------------------------------------------------------- attrition
@pytest.mark.parametrize("scale", ["tahu", "sikap"])
@pytest.mark.parametrize("group", ["B", "ALL"])
def test_attrition_matches_welch_t_test(ra, rout, scale, group):
    row = ra.attrition.set_index(["scale", "group"]).loc[(scale, group)]
    # t.test(dropouts, completers, var.equal = FALSE): estimates, t, df, p
    expected = ref(rout, f"rv.attrition.{scale}.{group}")
    np.testing.assert_allclose(row[["mean_completers", "mean_dropouts", "t", "df", "p"]].astype(float),
                               expected, rtol=1e-6)  # scores are rounded to 6 decimals in both
    np.testing.assert_allclose(row["diff"], row["mean_dropouts"] - row["mean_completers"], rtol=1e-12)


def test_attrition_counts_and_too_few_dropouts(ra):
    a = ra.attrition.set_index(["scale", "group"])
    assert a.loc[("tahu", "ALL"), ["n_completers", "n_dropouts"]].tolist() == [14, 3]
    assert a.loc[("sikap", "A"), ["n_completers", "n_dropouts"]].tolist() == [8, 1]
    assert a.loc[("sikap", "A"), ["t", "df", "p"]].isna().all()  # one drop-out: no test
    assert a.loc[("sikap", "C"), "n_dropouts"] == 0
    with pytest.raises(evalkit.EvalkitError, match="EK-RV-010"):
        review.attrition(ra.questionnaire, ra.gains)
    # The ledger and the pre-test scores as they are, or the Analysis holding them: one table.
    pd.testing.assert_frame_equal(review.attrition(ra.questionnaire, ra.ledger, ra.scores_pre), ra.attrition)
    pd.testing.assert_frame_equal(review.attrition(ra.questionnaire, ra), ra.attrition)


# ---------------------------------------------------------------- pipeline
def test_analysis_fields_and_gain_ci_columns(ra, rq):
    for name, columns in [("reliability", review.RELIABILITY_COLUMNS),
                          ("item_statistics", review.ITEM_STATISTICS_COLUMNS),
                          ("item_analysis", review.ITEM_ANALYSIS_COLUMNS),
                          ("item_change", review.ITEM_CHANGE_COLUMNS),
                          ("ancova", review.ANCOVA_COLUMNS),
                          ("adjusted_means", review.ADJUSTED_MEANS_COLUMNS),
                          ("kruskal", review.KRUSKAL_COLUMNS),
                          ("pairwise", review.PAIRWISE_COLUMNS),
                          ("change", review.CHANGE_COLUMNS),
                          ("change_summary", review.CHANGE_SUMMARY_COLUMNS),
                          ("attrition", review.ATTRITION_COLUMNS)]:
        assert list(getattr(ra, name).columns) == columns, name
    assert GAIN_COLUMNS[GAIN_COLUMNS.index("g_av") + 1:][:4] == [
        "d_z_ci_low", "d_z_ci_high", "g_av_ci_low", "g_av_ci_high"]
    g = ra.gains[ra.gains["scale"] == "sikap"]
    lo, hi = evalkit.stats.d_z_ci(g["d_z"], g["n"])
    np.testing.assert_allclose(g["d_z_ci_low"], lo, rtol=1e-12)
    np.testing.assert_allclose(g["d_z_ci_high"], hi, rtol=1e-12)
    big = g[g["n"] >= 3]  # Hedges' J is 0 at n = 2: no interval (group C)
    assert (big["g_av_ci_low"] <= big["g_av"]).all() and (big["g_av"] <= big["g_av_ci_high"]).all()
    assert g.loc[g["n"] == 2, ["g_av_ci_low", "g_av_ci_high"]].isna().all(axis=None)
    assert set(ra.reliability["wave"]) == {"pre", "post"}


def test_inputs_are_not_modified(ra):
    matched = ra.matched.copy()
    rel = ra.reliability.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", evalkit.EvalkitWarning)
        review.compare_groups(ra.matched)
        review.individual_change(ra.matched, ra.reliability)
    pd.testing.assert_frame_equal(ra.matched, matched)
    pd.testing.assert_frame_equal(ra.reliability, rel)


def test_bundled_sample_has_reviewer_tables(sample_analysis):
    a = sample_analysis
    assert len(a.ancova) == 6 and a.ancova["p"].notna().all()
    assert a.item_analysis.groupby("wave").size().to_dict() == {"post": 18, "pre": 18}
    assert set(a.reliability["scale"]) >= {"pengetahuan", "sikap", "kepuasan"}
    # the gains table's pooled group is in change_summary and attrition too
    assert evalkit.ALL_GROUPS in set(a.change_summary["group"]) and evalkit.ALL_GROUPS in set(a.attrition["group"])
    # Welch t of one group checked against SciPy
    pre = a.scores_pre.set_index("row")
    led = a.ledger[a.ledger["wave"] == "pre"].set_index("row")["state"]
    x = pre.loc[led[led == "used"].index, "sikap"].dropna()
    y = pre.loc[led[led == "unmatched"].index, "sikap"].dropna()
    res = sps.ttest_ind(y, x, equal_var=False)
    row = a.attrition.set_index(["scale", "group"]).loc[("sikap", "ALL")]
    np.testing.assert_allclose([row["t"], row["p"]], [res.statistic, res.pvalue], rtol=1e-10)


def test_by_none_has_no_group_comparison(rq):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", evalkit.EvalkitWarning)
        a = evalkit.analyze(rq, DATA / "pre.csv", DATA / "post.csv", by=None)
    assert len(a.ancova) == 0 and len(a.pairwise) == 0
    assert set(a.change_summary["group"]) == {"ALL"} and set(a.attrition["group"]) == {"ALL"}
