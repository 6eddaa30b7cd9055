"""Edge cases of issue 21 against R 4.2.2 (tests/reference/stats_reference.R, section 8):
McNemar when b = c, no +-inf in any result, a warning for every undefined statistic,
an upper-lower index free of row order, and the claims of docs/statistics.md."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from evalkit import UndefinedStatisticWarning
from evalkit._errors import EvalkitWarning
from evalkit.stats import (
    ancova,
    bootstrap_mean_diff,
    cronbach_alpha,
    d_z_ci,
    discrimination_index,
    item_total,
    kruskal,
    mcnemar,
    omega_total,
    paired,
    paired_by_group,
    pairwise,
    point_biserial,
    reliable_change,
)

RTOL = 1e-10


def no_infinity(*tables) -> bool:
    """True when no number in the Series / DataFrames is +-inf."""
    for table in tables:
        values = pd.DataFrame(table).select_dtypes("number").to_numpy(dtype=float)
        if np.isinf(values).any():
            return False
    return True


# --------------------------------------------------------------------------- McNemar
@pytest.mark.parametrize(
    ("before", "after", "b", "c", "statistic", "p"),
    [
        # R: mcnemar.test(factor(c(1, 0), 0:1), factor(c(0, 1), 0:1)) -> 0, 1
        ([1, 0], [0, 1], 1, 1, 0.0, 1.0),
        # R: mcnemar.test on eq_before / eq_after (b = c = 3) -> 0, 1, no correction
        ([1, 1, 1, 0, 0, 0, 1, 0, 1, 0, 1], [0, 0, 0, 1, 1, 1, 1, 0, 1, 0, 1], 3, 3, 0.0, 1.0),
        # R: b = 4, c = 2 -> 0.166666666666667, 0.683091398309609 (corrected)
        ([1, 1, 1, 1, 0, 0, 1, 0], [0, 0, 0, 0, 1, 1, 1, 0], 4, 2, 1 / 6, 0.683091398309609),
    ],
)
def test_mcnemar_equals_r_including_b_equal_c(before, after, b, c, statistic, p) -> None:
    res = mcnemar(before, after)
    assert (res["b"], res["c"], res["df"]) == (b, c, 1)
    assert res["statistic"] == pytest.approx(statistic, rel=RTOL, abs=1e-15)
    assert res["p"] == pytest.approx(p, rel=RTOL)


def test_mcnemar_exact_with_b_equal_c() -> None:
    # R: binom.test(3, 6, 0.5)$p.value -> 1
    res = mcnemar([1, 1, 1, 0, 0, 0, 1, 0], [0, 0, 0, 1, 1, 1, 1, 0], exact=True)
    assert res["p"] == pytest.approx(1.0, rel=RTOL)


def test_mcnemar_without_discordant_pairs_is_nan_with_a_named_warning() -> None:
    # R: mcnemar.test gives statistic NaN, p NaN; binom.test(0, 0) stops
    # ("'n' must be a positive integer >= 'x'").
    for exact in (False, True):
        with pytest.warns(UndefinedStatisticWarning, match="McNemar"):
            res = mcnemar([1, 0, 1], [1, 0, 1], exact=exact)
        assert (res["b"], res["c"]) == (0, 0)
        assert np.isnan(res["statistic"]) and np.isnan(res["p"])


# --------------------------------------------------------------------------- no +-inf
@pytest.mark.filterwarnings("ignore:Precision loss:RuntimeWarning")  # SciPy, on [3, 3, 3]
def test_pairwise_welch_zero_variance_is_nan_not_inf() -> None:
    # R: t.test(c(3, 3, 3), c(1, 1)) stops: "data are essentially constant";
    # SciPy's ttest_ind(equal_var=False) gives t = inf, p = 0.
    df = pd.DataFrame({"g": list("aaabbcc"), "y": [3, 3, 3, 1, 1, 2, 5]})
    with pytest.warns(UndefinedStatisticWarning, match="a-b") as record:
        res = pairwise(df, value="y", group="g")
    assert no_infinity(res)
    assert res.loc[0, ["statistic", "p", "p_adjusted"]].isna().all()
    # The pairs with group c (variance 8) are defined: SciPy's Welch t.
    ref = sps.ttest_ind([2, 5], [3, 3, 3], equal_var=False)
    assert res.loc[1, "statistic"] == pytest.approx(ref.statistic, rel=RTOL)
    assert res.loc[1, "p"] == pytest.approx(ref.pvalue, rel=RTOL)
    assert len(record) == 1


def test_pairwise_welch_group_of_one_warns() -> None:
    # R: t.test(7, c(5, 5.5)) stops: "not enough 'x' observations"
    df = pd.DataFrame({"g": list("aab"), "y": [5, 5.5, 7]})
    with pytest.warns(UndefinedStatisticWarning, match="b"):
        res = pairwise(df, value="y", group="g")
    assert res[["statistic", "p"]].isna().all(axis=None)


@pytest.fixture
def perfect() -> pd.DataFrame:
    # post = pre + 1 in group a, pre + 3 in group b: an exact fit
    pre = [1.0, 2, 3, 1, 2, 4]
    return pd.DataFrame({"g": list("aaabbb"), "pre": pre,
                         "post": [p + (1 if g == "a" else 3) for p, g in zip(pre, "aaabbb")]})


def test_ancova_exact_fit_is_nan_not_inf(perfect: pd.DataFrame) -> None:
    # R: car::Anova(lm(post ~ pre + g), type = 2) stops ("residual sum of squares is 0
    # (within rounding error)"); anova() prints F = 8.48e30; emmeans gives the adjusted
    # means 3.16666666666667 5.16666666666667 with intervals of width 3e-15.
    with pytest.warns(UndefinedStatisticWarning, match="EK-ST-022"):
        res = ancova(perfect, pre="pre", post="post", group="g")
    assert res.effect[["F", "p", "partial_eta2"]].isna().all()
    assert res.effect["df2"] == 3
    np.testing.assert_allclose(res.adjusted_means["adjusted_mean"],
                               [3.16666666666667, 5.16666666666667], rtol=1e-12)
    assert res.adjusted_means[["ci_low", "ci_high"]].isna().all(axis=None)
    assert np.isnan(res.slope_homogeneity)
    assert no_infinity(res.effect, res.adjusted_means)


def test_ancova_exact_fit_reaches_compare_groups_as_nan(perfect: pd.DataFrame) -> None:
    from evalkit.review import compare_groups

    matched = perfect.rename(columns={"g": "group"}).assign(scale="s")
    with pytest.warns(UndefinedStatisticWarning, match="'s'"):
        res = compare_groups(matched)
    assert res.ancova[["F", "p", "partial_eta2"]].isna().all(axis=None)
    assert no_infinity(res.ancova, res.adjusted_means, res.kruskal, res.pairwise)


def test_constant_differences_give_nan_d_z_not_inf() -> None:
    # R: t.test(post, pre, paired = TRUE) stops: "data are essentially constant"
    df = pd.DataFrame({"g": list("aaabbb"), "pre": [1.0, 2, 3, 1, 2, 3],
                       "post": [2.0, 3, 4, 1, 4, 4]})
    with pytest.warns(UndefinedStatisticWarning, match="a"):
        res = paired_by_group(df, pre="pre", post="post", group="g")
    assert res.loc["a", ["t", "p", "d_z", "ci_low", "ci_high"]].isna().all()
    assert no_infinity(res)


# --------------------------------------------------------------------------- silent cases
def test_one_pair_warns() -> None:
    # R: t.test(2, 1, paired = TRUE) stops: "not enough 'x' observations"
    with pytest.warns(UndefinedStatisticWarning):
        res = paired([1], [2])
    assert res[["t", "p", "d_z", "g_av", "ci_low"]].isna().all()
    df = pd.DataFrame({"g": ["a", "a", "b"], "pre": [1, 2, 3], "post": [2, 4, 4]})
    with pytest.warns(UndefinedStatisticWarning, match=r"\bb\b") as record:
        paired_by_group(df, pre="pre", post="post", group="g")
    assert not any(" a" in str(w.message) for w in record)


def test_reliable_change_without_sd_warns() -> None:
    # R: sd(1) is NA, so the RCI is NA
    with pytest.warns(UndefinedStatisticWarning):
        assert np.isnan(reliable_change([1], [2], reliability=0.8)).all()


@pytest.fixture
def fewer_rows_than_items() -> pd.DataFrame:
    return pd.DataFrame({"q0": [4, 2, 3, 1, 5], "q1": [4, 2, 2, 1, 5], "q2": [3, 3, 2, 1, 4],
                         "q3": [4, 3, 3, 1, 4], "q4": [4, 4, 1, 1, 4], "q5": [4, 2, 3, 1, 5]})


def test_alpha_and_omega_with_fewer_rows_than_items_warn(fewer_rows_than_items) -> None:
    # R: psych::alpha(nk)$total raw_alpha, std.alpha -> 0.962518740629685 0.968405457478419
    with pytest.warns(EvalkitWarning, match=r"\(5\).*\(6\)"):
        res = cronbach_alpha(fewer_rows_than_items)
    assert res["alpha"] == pytest.approx(0.962518740629685, rel=RTOL)
    assert res["std_alpha"] == pytest.approx(0.968405457478419, rel=RTOL)
    # R: 1 - sum(1 - lam^2) / sum(cor(nk)) with minres loadings from optim(BFGS,
    # reltol = 1e-15) -> 0.969905981905612 (psych::omega's optim stops earlier: 0.969906124605091)
    with pytest.warns(EvalkitWarning, match=r"\(5\).*\(6\)"):
        omega = omega_total(fewer_rows_than_items)
    assert omega == pytest.approx(0.969905981905612, rel=1e-9)


def test_std_alpha_with_a_zero_variance_item_warns_naming_it() -> None:
    # R: 3 / 2 * (1 - sum(apply(zv, 2, var)) / var(rowSums(zv))) -> 0.72 (psych::alpha
    # instead drops item c: raw_alpha 0.96, so it is not the reference here)
    zv = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 3, 3, 5], "c": [2, 2, 2, 2]})
    with pytest.warns(UndefinedStatisticWarning, match=r"std_alpha.*\bc\b"):
        res = cronbach_alpha(zv)
    assert res["alpha"] == pytest.approx(0.72, rel=RTOL)
    assert np.isnan(res["std_alpha"])


def test_std_alpha_is_nan_not_inf_when_its_denominator_vanishes() -> None:
    # b = -2 a: r = -1, so 1 + (k - 1) r = 0; raw alpha by the formula is -8
    x = pd.DataFrame({"a": [1, 2, 3, 4], "b": [-2, -4, -6, -8]})
    with pytest.warns(UndefinedStatisticWarning, match="std_alpha"):
        res = cronbach_alpha(x)
    assert res["alpha"] == pytest.approx(-8.0, rel=RTOL)
    assert np.isnan(res["std_alpha"])


def test_zero_variance_warning_names_the_constant_item_only() -> None:
    # R: sapply(1:3, function(j) cor(zv[, j], rowSums(zv[, -j]))) -> 0.923380516876639 x2, NA
    zv = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 3, 3, 5], "c": [2, 2, 2, 2]})
    with pytest.warns(UndefinedStatisticWarning) as record:
        res = item_total(zv)
    np.testing.assert_allclose(res["r_drop"], [0.923380516876639, 0.923380516876639, np.nan],
                               rtol=RTOL)
    assert [w.message.code for w in record] == ["EK-ST-053"] and " c;" in str(record[0].message)
    # Two items, one constant: the other's rest score is constant, a different message.
    with pytest.warns(UndefinedStatisticWarning) as record:
        item_total(zv[["a", "c"]])
    messages = sorted((w.message.code, str(w.message)) for w in record)
    assert [code for code, _ in messages] == ["EK-ST-053", "EK-ST-057"]
    assert " c;" in messages[0][1] and " a:" in messages[1][1]


def test_point_biserial_names_the_item_without_variance() -> None:
    # R: cor(cc[, j], rowSums(cc[, -j])) is NA (with "the standard deviation is zero")
    # for an item everyone answered correctly.
    x = pd.DataFrame({"q1": [1, 0, 1, 1], "q2": [1, 1, 1, 1], "q3": [1, 0, 0, 1]})
    with pytest.warns(UndefinedStatisticWarning, match=r"EK-ST-\d+\] .*r_pbis .* q2;") as record:
        r = point_biserial(x)
    assert len(record) == 1
    assert np.isnan(r["q2"]) and np.isfinite(r[["q1", "q3"]]).all()


def test_constant_rest_score_is_not_called_zero_variance() -> None:
    # R: r_drop NA NA -1; sd of every item 1.29099444873581 (none is constant)
    rc = pd.DataFrame({"a": [1, 2, 3, 4], "b": [1, 2, 3, 4], "c": [4, 3, 2, 1]})
    with pytest.warns(UndefinedStatisticWarning) as record:
        res = item_total(rc)
    np.testing.assert_allclose(res["r_drop"], [np.nan, np.nan, -1.0], rtol=RTOL)
    np.testing.assert_allclose(res["sd"], [1.29099444873581] * 3, rtol=RTOL)
    assert [w.message.code for w in record] == ["EK-ST-057"] and " a, b:" in str(record[0].message)


# --------------------------------------------------------------------------- upper-lower D
def test_upper_lower_index_does_not_depend_on_row_order(reference_data) -> None:
    # R: ul_index(cc, 4)$upper -> 1 1 0.85 0.85 0.7 0.85, equal to the mean over the
    # choose(5, 3) ways of breaking the tie at the upper boundary (stats_reference.R, 3)
    items = pd.read_csv(reference_data / "items_binary.csv")
    expected = discrimination_index(items)
    np.testing.assert_allclose(expected["p_upper"], [1, 1, 0.85, 0.85, 0.7, 0.85], rtol=1e-12)
    rng = np.random.default_rng(21)
    for _ in range(30):
        shuffled = items.iloc[rng.permutation(len(items))]
        pd.testing.assert_frame_equal(discrimination_index(shuffled), expected, rtol=1e-12)


def test_upper_lower_index_shares_the_places_at_the_boundary() -> None:
    # By hand. Totals 2, 2, 0, 3, 0; n_g = round(0.5 * 5) = 3 (half up).
    x = pd.DataFrame({"q1": [1, 0, 0, 1, 0], "q2": [0, 1, 0, 1, 0], "q3": [1, 1, 0, 1, 0]})
    res = discrimination_index(x, fraction=0.5)
    # highest 3: rows 4, 1, 2 (no tie at the boundary)
    np.testing.assert_allclose(res["p_upper"], [2 / 3, 2 / 3, 1.0], rtol=1e-12)
    # lowest 3: rows 3 and 5 (total 0), then rows 1 and 2 (total 2) share one place
    np.testing.assert_allclose(res["p_lower"], [1 / 6, 1 / 6, 1 / 3], rtol=1e-12)


# --------------------------------------------------------------------------- rank tests
KW_X = 100 * np.array([7, 8, 4, 5, 10, 6, 9, 3]) / 12 - 100 * np.array([5, 6, 3, 4, 7, 2, 7, 1]) / 12
KW_G = ["a", "b", "a", "b", "a", "b", "c", "c"]


def test_kruskal_rounds_float_noise_before_ranking() -> None:
    # R: kruskal.test(signif(kw_x, 9), kw_g) -> 0.0319634703196356, p 0.98414529514766
    # (R's kruskal.test(kw_x, kw_g), which ranks the float noise, gives 0.504504504504503)
    res = kruskal(KW_X, KW_G)
    assert res["statistic"] == pytest.approx(0.0319634703196356, rel=RTOL)
    assert res["p"] == pytest.approx(0.98414529514766, rel=RTOL)


def test_kruskal_of_equal_values_warns() -> None:
    with pytest.warns(UndefinedStatisticWarning, match="Kruskal-Wallis"):
        res = kruskal([1, 1, 1, 1], ["a", "a", "b", "b"])
    assert np.isnan(res["statistic"]) and np.isnan(res["p"])


def test_rank_sum_rounds_float_noise_before_ranking() -> None:
    # R: wilcox.test(rs_b, rs_a, digits.rank = 9) -> W 13.5, p 0.460558169227093
    # (R's default sees no tie between 0.1 + 0.2 and 0.3: W 13, exact p 0.555555555555556)
    df = pd.DataFrame({"g": ["a"] * 4 + ["b"] * 5,
                       "y": [0.1 + 0.2, 1.5, 2.7, 4.1, 0.3, 2.2, 3.9, 5.0, 6.4]})
    res = pairwise(df, value="y", group="g", test="wilcoxon")
    assert res.loc[0, "statistic"] == pytest.approx(13.5, rel=RTOL)
    assert res.loc[0, "p"] == pytest.approx(0.460558169227093, rel=RTOL)


def test_signed_rank_on_decimal_scores_equals_r_with_digits_rank_9() -> None:
    # R: wilcox.test(dec_post, dec_pre, paired = TRUE, digits.rank = 9) -> V 32,
    # p 0.0568537936122417; R's default ranks 0.19999999999999998 below 0.2: V 31.5,
    # p 0.068024837072217.
    pre = [0.1, 0.2, 0.7, 1.5, 2.0, 0.4, 1.1, 0.3]
    post = [0.3, 0.4, 1.0, 1.2, 2.6, 0.9, 1.4, 0.8]
    res = paired(pre, post)
    assert res["w"] == 32
    assert res["p_wilcoxon"] == pytest.approx(0.0568537936122417, rel=RTOL)


# --------------------------------------------------------------------------- doc claims
@pytest.mark.parametrize(
    ("d_z", "n", "quadrature", "r_pt"),
    [
        # R: uniroot on pt_quad (integrate(), rel.tol 1e-13) and on pt(t, n - 1, ncp)
        (3.0, 200, [2.67367586544278, 3.32465403978321], [2.67054042308084, 3.32192188847695]),
        (2.5, 300, [2.26938282241292, 2.72944584839343], [2.26779257909537, 2.72802681889794]),
    ],
)
def test_d_z_ci_is_exact_where_r_pt_is_not(d_z, n, quadrature, r_pt) -> None:
    # Noncentrality above 37.62, where ?pt says pt() is not meant to be used: evalkit's
    # limits agree with the quadrature to 1e-12, R's pt-based ones are off by 1.4e-3 to
    # 3.1e-3 (pt at the exact roots gives 0.97388 and 0.02405 instead of 0.975, 0.025).
    low, high = d_z_ci(d_z, n)
    np.testing.assert_allclose([low, high], quadrature, rtol=1e-12)
    assert np.max(np.abs(np.subtract(r_pt, quadrature))) > 1e-3


def test_d_z_ci_equals_r_pt_where_pt_is_accurate() -> None:
    # R: quadrature -0.172279065585718 1.14823578552487; pt -0.172279065586618 1.14823578552444
    low, high = d_z_ci(0.5, 10)
    np.testing.assert_allclose([low, high], [-0.172279065585718, 1.14823578552487], rtol=1e-11)
    np.testing.assert_allclose([low, high], [-0.172279065586618, 1.14823578552444], rtol=1e-8)


def test_omega_does_not_flip_a_negatively_loading_item(reference_data) -> None:
    # R: psych::omega(bfi_raw, nfactors = 1, flip = FALSE)$omega.tot -> 0.591855753502109;
    # the default flip = TRUE reverses A1 and gives 0.723724356915045 (= omega of the
    # reverse-keyed items, test_reliability.py). Tolerance: psych's optim (see there).
    raw = pd.read_csv(reference_data / "bfi_agreeableness.csv")
    assert omega_total(raw) == pytest.approx(0.591855753502109, rel=1e-6)


def test_bca_differs_from_scipy_only_by_its_tie_tolerance(sleep_wide: pd.DataFrame) -> None:
    # sleep's differences have one decimal: resample means equal to the mean on paper
    # differ from it in the last bit. evalkit counts them as ties in z0 (1e-9 tolerance),
    # SciPy does not. On the differences times 10 (integers: exact means), SciPy agrees.
    res = bootstrap_mean_diff(sleep_wide, pre="pre", post="post")  # seed 0, 2000 resamples
    d = (sleep_wide["post"] - sleep_wide["pre"]).to_numpy()
    assert res["ci_low"].iloc[0] == pytest.approx(1.07287087716571, rel=1e-12)
    tenfold = sps.bootstrap((np.round(10 * d),), np.mean, n_resamples=2000, method="BCa",
                            rng=np.random.default_rng(0)).confidence_interval
    np.testing.assert_allclose(res[["ci_low", "ci_high"]].iloc[0],
                               [tenfold.low / 10, tenfold.high / 10], rtol=1e-12)
    decimal = sps.bootstrap((d,), np.mean, n_resamples=2000, method="BCa",
                            rng=np.random.default_rng(0)).confidence_interval
    assert decimal.low == pytest.approx(1.07, rel=1e-12)  # SciPy 1.17 on the decimals


def test_no_warning_on_regular_data(sleep_wide: pd.DataFrame) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        paired(sleep_wide["pre"], sleep_wide["post"])
        kruskal(sleep_wide["post"], np.repeat(["a", "b"], 5))
        pairwise(sleep_wide.assign(g=np.repeat(["a", "b"], 5)), value="post", group="g")


def test_d_z_ci_beyond_the_reach_of_the_noncentral_t_is_nan_with_a_warning() -> None:
    # Gains of 2 items out of 12 on scores rounded to 6 decimals: 16.666666 and 16.666667.
    # d_z = 3.3e7, t = 6.7e7: SciPy's noncentral t took minutes per limit there.
    pre = [41.666667, 50, 58.333333, 25.0]
    post = [58.333333, 66.666667, 75, 41.666667]
    res = paired(pre, post)
    assert res["d_z"] > 1e7
    with pytest.warns(UndefinedStatisticWarning, match="1000"):
        low, high = d_z_ci(res["d_z"], 4)
    assert np.isnan(low) and np.isnan(high)
    # Up to |t| = 1000 the interval is computed (here t = 1000 exactly).
    low, high = d_z_ci(1000 / np.sqrt(10), 10)
    assert 173 < low < high < 460


def test_ancova_with_pre_confounded_with_two_groups_is_nan_not_inf() -> None:
    # R: lm(post ~ pre + g) aliases g; car::Anova(fit, type = 2)["g", "F value"] is NA.
    # emmeans(fit, "g"): 3.33333333333333 [0.715675784696588, 5.95099088197008],
    # 5 [2.38234245136326, 7.61765754863674].
    df = pd.DataFrame({"g": list("aaabbb"), "pre": [1.0, 1, 1, 2, 2, 2], "post": [2.0, 3, 5, 4, 4, 7]})
    with pytest.warns(UndefinedStatisticWarning, match="ANCOVA"):
        res = ancova(df, pre="pre", post="post", group="g")
    assert res.effect[["F", "p", "partial_eta2"]].isna().all() and res.effect["df1"] == 0
    np.testing.assert_allclose(res.adjusted_means[["adjusted_mean", "ci_low", "ci_high"]],
                               [[3.33333333333333, 0.715675784696588, 5.95099088197008],
                                [5.0, 2.38234245136326, 7.61765754863674]], rtol=1e-12)
    assert no_infinity(res.effect, res.adjusted_means)


def test_ancova_computed_directly_equals_statsmodels() -> None:
    # docs/statistics.md: the ANCOVA is computed from within-group sums of squares and
    # cross-products, not by statsmodels; it equals statsmodels' OLS with a dummy-coded
    # design (type II F) and its predictions at the grand mean of pre.
    import statsmodels.api as sm
    import statsmodels.formula.api as smf

    rng = np.random.default_rng(21)
    df = pd.DataFrame({"g": rng.choice(list("abcd"), 80), "pre": rng.normal(50, 10, 80)})
    df["post"] = 10 + 0.8 * df["pre"] + df["g"].map({"a": 0, "b": 2, "c": 5, "d": 1}) \
        + rng.normal(0, 6, 80)
    res = ancova(df, pre="pre", post="post", group="g")
    fit = smf.ols("post ~ pre + C(g)", data=df).fit()
    table = sm.stats.anova_lm(fit, typ=2)
    assert res.effect["F"] == pytest.approx(table.loc["C(g)", "F"], rel=1e-10)
    assert res.effect["p"] == pytest.approx(table.loc["C(g)", "PR(>F)"], rel=1e-9)
    grid = pd.DataFrame({"g": list("abcd"), "pre": df["pre"].mean()})
    frame = fit.get_prediction(grid).summary_frame(alpha=0.05)
    np.testing.assert_allclose(res.adjusted_means[["adjusted_mean", "ci_low", "ci_high"]],
                               frame[["mean", "mean_ci_lower", "mean_ci_upper"]], rtol=1e-10)
    inter = smf.ols("post ~ pre * C(g)", data=df).fit()
    assert res.slope_homogeneity == pytest.approx(
        sm.stats.anova_lm(fit, inter).loc[1, "Pr(>F)"], rel=1e-9)
