"""Group comparisons against R 4.2.2, car 3.1-1, emmeans 1.8.4-1
(tests/reference/stats_reference.R, section 4; data/paired_groups.csv)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evalkit._errors import EvalkitError
from evalkit.stats import AncovaResult, ancova, kruskal, pairwise

RTOL = 1e-10


def test_ancova_matches_car_and_emmeans(paired_groups: pd.DataFrame) -> None:
    # R: car::Anova(lm(post ~ pre + group, data = pgc), type = 2), complete cases
    res = ancova(paired_groups, pre="pre", post="post", group="group")
    assert isinstance(res, AncovaResult)
    assert list(res.effect.index) == ["F", "df1", "df2", "p", "partial_eta2"]
    assert res.effect["F"] == pytest.approx(2.64340665856654, rel=RTOL)
    assert (res.effect["df1"], res.effect["df2"]) == (2, 23)
    assert res.effect["p"] == pytest.approx(0.0926091365439671, rel=RTOL)
    # R: SS_group / (SS_group + SS_residuals) from the same table
    assert res.effect["partial_eta2"] == pytest.approx(0.186900279570584, rel=RTOL)
    # R: summary(emmeans::emmeans(fit, "group")) (= predict at mean(pre), interval)
    means = res.adjusted_means
    assert list(means.columns) == ["group", "adjusted_mean", "ci_low", "ci_high"]
    assert means["group"].tolist() == ["A", "B", "C"]
    np.testing.assert_allclose(
        means["adjusted_mean"], [61.3144595040976, 60.9174079880893, 54.7255787542754], rtol=RTOL
    )
    np.testing.assert_allclose(
        means["ci_low"], [58.0174657715975, 56.3610886897291, 50.0538464957576], rtol=RTOL
    )
    np.testing.assert_allclose(
        means["ci_high"], [64.6114532365976, 65.4737272864496, 59.3973110127931], rtol=RTOL
    )
    # R: anova(fit, lm(post ~ pre * group, data = pgc))[2, "Pr(>F)"]
    assert res.slope_homogeneity == pytest.approx(0.667387470607348, rel=RTOL)


def test_kruskal_matches_r(paired_groups: pd.DataFrame) -> None:
    # R: kruskal.test(post ~ group, data = pg)
    res = kruskal(paired_groups["post"], paired_groups["group"])
    assert res["statistic"] == pytest.approx(12.0853026533997, rel=RTOL)
    assert res["df"] == 2
    assert res["p"] == pytest.approx(0.00237525298611291, rel=RTOL)


def test_pairwise_t_matches_r(paired_groups: pd.DataFrame) -> None:
    # R: pairwise.t.test(pg$post, pg$group, pool.sd = FALSE, p.adjust.method = "holm" /
    # "none" / "BH"); t.test(post[B], post[A])$statistic = 0.503802685753367
    res = pairwise(paired_groups, value="post", group="group", test="t")
    assert res[["group1", "group2"]].values.tolist() == [["A", "B"], ["A", "C"], ["B", "C"]]
    np.testing.assert_allclose(
        res["p"], [0.624700669525277, 0.00060760469537636, 0.00449385853392958], rtol=RTOL
    )
    np.testing.assert_allclose(
        res["p_adjusted"], [0.624700669525277, 0.00182281408612908, 0.00898771706785916],
        rtol=RTOL,
    )  # fmt: skip
    assert res["statistic"].iloc[0] == pytest.approx(0.503802685753367, rel=RTOL)
    bh = pairwise(paired_groups, value="post", group="group", adjust="fdr_bh")
    np.testing.assert_allclose(
        bh["p_adjusted"], [0.624700669525277, 0.00182281408612908, 0.00674078780089437],
        rtol=RTOL,
    )  # fmt: skip


def test_pairwise_wilcoxon_matches_r(paired_groups: pd.DataFrame) -> None:
    # R: pairwise.wilcox.test(pg$post, pg$group, p.adjust.method = "holm" / "none")
    # (ties -> normal approximation); wilcox.test(post[B], post[A])$statistic = 47
    res = pairwise(paired_groups, value="post", group="group", test="wilcoxon")
    np.testing.assert_allclose(
        res["p"], [0.700946468302222, 0.00210570057836808, 0.00584793655761531], rtol=RTOL
    )
    np.testing.assert_allclose(
        res["p_adjusted"], [0.700946468302222, 0.00631710173510425, 0.0116958731152306],
        rtol=RTOL,
    )  # fmt: skip
    assert res["statistic"].iloc[0] == 47


def test_rank_sum_exact_case() -> None:
    # R: wilcox.test(c(2.5, 6.1, 7.4, 8.8, 9.3, 10.7), c(1.1, 2.3, 3.6, 4.2, 5.9))
    data = pd.DataFrame(
        {"g": ["x"] * 5 + ["y"] * 6, "v": [1.1, 2.3, 3.6, 4.2, 5.9, 2.5, 6.1, 7.4, 8.8, 9.3, 10.7]}
    )
    res = pairwise(data, value="v", group="g", test="wilcoxon")
    assert res["statistic"].iloc[0] == 27
    assert res["p"].iloc[0] == pytest.approx(0.0303030303030303, rel=RTOL)


def test_group_guards(paired_groups: pd.DataFrame) -> None:
    one = paired_groups[paired_groups["group"] == "A"]
    with pytest.raises(EvalkitError):
        ancova(one, pre="pre", post="post", group="group")
    with pytest.raises(EvalkitError, match="test"):
        pairwise(paired_groups, value="post", group="group", test="anova")
    with pytest.raises(EvalkitError):
        kruskal([1, 2, 3], ["a", "b"])


@pytest.mark.parametrize("threaded", [True, False])
def test_pairwise_welch_p_values_on_one_or_two_threads_equal_scipy(threaded):
    """The p-values of many pairwise Welch tests come from two halves on two threads from
    ``side_by_side_rows`` t statistics on; both paths give SciPy's ``ttest_ind(equal_var=False)``."""
    import evalkit
    from scipy import stats as sps

    rng = np.random.default_rng(4)
    groups = np.repeat([f"g{i:02d}" for i in range(30)], 12)  # 435 pairs
    df = pd.DataFrame({"g": groups, "y": rng.normal(size=len(groups)) + np.repeat(rng.normal(size=30), 12)})
    with evalkit.config_context(side_by_side_rows=0 if threaded else 10**12, cores=2):
        res = pairwise(df, value="y", group="g")
    assert len(res) == 435
    for row in res.sample(20, random_state=1).itertuples():
        a, b = df.loc[df["g"] == row.group1, "y"], df.loc[df["g"] == row.group2, "y"]
        ref = sps.ttest_ind(b, a, equal_var=False)
        assert row.statistic == pytest.approx(ref.statistic, rel=1e-12)
        assert row.p == pytest.approx(ref.pvalue, rel=1e-10)
