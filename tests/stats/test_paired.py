"""Paired comparison against R 4.2.2 (tests/reference/stats_reference.R, section 1).

Every literal below was printed by that script with ``sprintf("%.15g")`` (see
tests/reference/stats_reference.Rout). d_z and g_av are R hand computations by the
formula (``mean(d)/sd(d)``; ``mean(d)/((sd(pre)+sd(post))/2) * (1 - 3/(4*(n-1)-1))``)
because Debian's effectsize 0.8.3 has no ``repeated_measures_d()``.
"""

from __future__ import annotations


import numpy as np
import pandas as pd
import pytest

from evalkit._errors import EvalkitError, EvalkitWarning
from evalkit.stats import paired, paired_by_group

RTOL = 1e-10  # R values carry 15 significant digits

# R 4.2.2: t.test(post, pre, paired = TRUE); wilcox.test(post, pre, paired = TRUE)
# on sleep (pre = group 1, post = group 2, by ID).
SLEEP = {
    "n": 10, "mean_pre": 0.75, "mean_post": 2.33, "mean_diff": 1.58,
    "ci_low": 0.700114236723018, "ci_high": 2.45988576327698,
    "t": 4.06212768338204, "df": 9, "p": 0.00283289019738427,
    "w": 45, "p_wilcoxon": 0.00909069801592506,  # ties -> normal approximation
    "d_z": 1.28455756259105, "g_av": 0.762053797771615,
}  # fmt: skip

# R 4.2.2: same calls on data/paired_groups.csv, one group at a time.
GROUPS = {
    "A": {
        "n": 12, "mean_pre": 52.5, "sd_pre": 10.3352881826382,
        "mean_post": 62.9166666666667, "sd_post": 7.52521015512443,
        "mean_diff": 10.4166666666667, "sd_diff": 6.20056204686073,
        "ci_low": 6.47701749767854, "ci_high": 14.3563158356548,
        "t": 5.81953564074417, "df": 11, "p": 0.000115929900693498,
        "w": 66, "p_wilcoxon": 0.00358296118732528, "wilcoxon_method": "normal",
        "d_z": 1.67995523437113, "g_av": 1.08506742615716,
        "share_any_rise": 0.916666666666667,
    },
    "B": {
        "n": 7, "mean_pre": 56.7142857142857, "sd_pre": 9.89468351716021,
        "mean_post": 65, "sd_post": 9.30949336251263,
        "mean_diff": 8.28571428571429, "sd_diff": 6.65117247093287,
        "ci_low": 2.13440570464203, "ci_high": 14.4370228667865,
        "t": 3.29595113197546, "df": 6, "p": 0.0164909160041923,
        "w": 26, "p_wilcoxon": 0.046875, "wilcoxon_method": "exact",
        "d_z": 1.24575243266127, "g_av": 0.750354361891518,
        "share_any_rise": 0.857142857142857,
    },
    "C": {
        "n": 8, "mean_pre": 39.625, "sd_pre": 6.78101340930269,
        "mean_post": 48.75, "sd_post": 5.99404466354493,
        "mean_diff": 9.125, "sd_diff": 6.9372184627558,
        "ci_low": 3.32534022722024, "ci_high": 14.9246597727798,
        "t": 3.72042449749467, "df": 7, "p": 0.00745191621920574,
        "w": 33, "p_wilcoxon": 0.0413072298688636, "wilcoxon_method": "normal",
        "d_z": 1.31536869553552, "g_av": 1.26983549739796, "share_any_rise": 0.75,
    },
}  # fmt: skip


def test_paired_sleep_matches_r(sleep_wide: pd.DataFrame) -> None:
    res = paired(sleep_wide["pre"], sleep_wide["post"])
    assert list(res.index) == [
        "n", "mean_pre", "mean_post", "mean_diff", "ci_low", "ci_high",
        "t", "df", "p", "w", "p_wilcoxon", "d_z", "g_av",
    ]  # fmt: skip
    for key, expected in SLEEP.items():
        assert res[key] == pytest.approx(expected, rel=RTOL), key
    # the literal from issue 2
    assert round(res["t"], 4) == 4.0621 and round(res["p"], 6) == 0.002833


def test_paired_exact_no_ties() -> None:
    # R 4.2.2: wilcox.test(post, pre, paired = TRUE) -> "Wilcoxon signed rank exact test"
    pre = [12.1, 14.3, 9.8, 11.0, 13.5, 10.2, 15.1, 8.7]
    post = [13.0, 16.1, 9.5, 13.4, 15.8, 10.9, 17.9, 11.2]
    res = paired(pre, post)
    assert res["w"] == 35
    assert res["p_wilcoxon"] == pytest.approx(0.015625, rel=RTOL)
    assert res["t"] == pytest.approx(4.24860431407548, rel=RTOL)
    assert res["p"] == pytest.approx(0.00379967720655034, rel=RTOL)
    assert res["ci_low"] == pytest.approx(0.726124892848895, rel=RTOL)
    assert res["ci_high"] == pytest.approx(2.5488751071511, rel=RTOL)
    assert res["d_z"] == pytest.approx(1.5021084605306, rel=RTOL)
    assert res["g_av"] == pytest.approx(0.557974750247721, rel=RTOL)
    by_group = paired_by_group(pd.DataFrame({"pre": pre, "post": post}), pre="pre", post="post")
    assert by_group["wilcoxon_method"].iloc[0] == "exact"


def test_paired_with_zero_differences() -> None:
    # R 4.2.2: "cannot compute exact p-value with zeroes" -> normal approximation
    pre = [5, 7, 6, 9, 4, 8, 3]
    post = [8, 7, 10, 10, 6, 13, 3]
    res = paired_by_group(pd.DataFrame({"pre": pre, "post": post}), pre="pre", post="post")
    row = res.iloc[0]
    assert row["w"] == 15
    assert row["p_wilcoxon"] == pytest.approx(0.0590582290905367, rel=RTOL)
    assert row["wilcoxon_method"] == "normal"
    assert row["t"] == pytest.approx(2.90473750965556, rel=RTOL)
    assert row["p"] == pytest.approx(0.0271661175416888, rel=RTOL)
    assert row["share_any_rise"] == pytest.approx(0.714285714285714, rel=RTOL)
    assert row["g_av"] == pytest.approx(0.690522257906853, rel=RTOL)


def test_paired_float_noise_ties_are_ties() -> None:
    # Differences of k/12 percent scores equal on paper differ in the last bit.
    # R 4.2.2 default sees 5 distinct |d| (p = 0.0355223366234146); rounding to 9
    # significant digits (as evalkit does) sees 4: R's
    # wilcox.test(post, pre, paired = TRUE, digits.rank = 9) -> p = 0.0350149810196625.
    pre = 100 * np.array([5, 6, 3, 4, 7, 2]) / 12
    post = 100 * np.array([7, 8, 4, 5, 10, 6]) / 12
    res = paired(pre, post)
    assert res["w"] == 21
    assert res["p_wilcoxon"] == pytest.approx(0.0350149810196625, rel=RTOL)
    assert res["t"] == pytest.approx(4.53979692250226, rel=RTOL)


def test_paired_by_group_three_groups(paired_groups: pd.DataFrame) -> None:
    before = paired_groups.copy()
    res = paired_by_group(paired_groups, pre="pre", post="post", group="group")
    pd.testing.assert_frame_equal(paired_groups, before)  # input not mutated
    assert list(res.columns) == [
        "n", "mean_pre", "sd_pre", "mean_post", "sd_post", "mean_diff", "sd_diff",
        "ci_low", "ci_high", "t", "df", "p", "w", "p_wilcoxon", "wilcoxon_method",
        "d_z", "g_av", "share_any_rise",
    ]  # fmt: skip
    assert list(res.index) == ["A", "B", "C"] and res.index.name == "group"
    for group, expected in GROUPS.items():
        for key, value in expected.items():
            got = res.loc[group, key]
            if isinstance(value, str):
                assert got == value, (group, key)
            else:
                assert got == pytest.approx(value, rel=RTOL), (group, key)


def test_paired_by_group_multiple_keys(paired_groups: pd.DataFrame) -> None:
    data = paired_groups.assign(wave=np.where(paired_groups["id"] % 2 == 0, "x", "y"))
    res = paired_by_group(data, pre="pre", post="post", group=["group", "wave"])
    assert res.index.names == ["group", "wave"]
    sub = data[(data["group"] == "B") & (data["wave"] == "x")]
    single = paired(sub["pre"], sub["post"])
    assert res.loc[("B", "x"), "t"] == pytest.approx(single["t"], rel=1e-12)


def test_paired_by_group_matches_single_calls(paired_groups: pd.DataFrame) -> None:
    res = paired_by_group(paired_groups, pre="pre", post="post", group="group")
    for group, sub in paired_groups.groupby("group"):
        single = paired(sub["pre"], sub["post"])
        for key in single.index:
            assert res.loc[group, key] == pytest.approx(single[key], rel=1e-12, nan_ok=True)


def test_degenerate_groups_give_nan_not_inf() -> None:
    data = pd.DataFrame(
        {
            "g": ["one", "same", "same", "same", "shift", "shift", "empty"],
            "pre": [1.0, 3, 4, 5, 10, 20, np.nan],
            "post": [2.0, 3, 4, 5, 15, 25, 1],
        }
    )
    with pytest.warns(EvalkitWarning) as record:
        res = paired_by_group(data, pre="pre", post="post", group="g")
    messages = " ".join(str(w.message) for w in record)
    assert "same" in messages and "shift" in messages
    numeric = res.drop(columns="wilcoxon_method").to_numpy(dtype=float)
    assert not np.isinf(numeric).any()
    assert res.loc["empty", "n"] == 0 and np.isnan(res.loc["empty", "mean_diff"])
    assert res.loc["one", "n"] == 1
    assert res.loc["one", ["t", "p", "ci_low", "ci_high", "d_z", "sd_diff"]].isna().all()
    assert res.loc["same", ["t", "p", "d_z", "p_wilcoxon"]].isna().all()
    assert res.loc["same", "sd_diff"] == 0
    # constant non-zero shift: R's t.test stops ("data are essentially constant")
    assert res.loc["shift", ["t", "p", "d_z", "ci_low"]].isna().all()
    assert res.loc["shift", "mean_diff"] == 5


def test_warning_language_english() -> None:
    from evalkit._i18n import language

    data = pd.DataFrame({"pre": [1.0, 2.0], "post": [1.0, 2.0]})
    with language("en"), pytest.warns(EvalkitWarning, match="constant"), pytest.warns(
        EvalkitWarning, match="zero"
    ):
        paired_by_group(data, pre="pre", post="post")


def test_missing_pairs_dropped() -> None:
    res = paired([1.0, np.nan, 3.0, 4.0, 2.0], [2.0, 5.0, np.nan, 6.0, 5.0])
    assert res["n"] == 3
    ref = paired([1.0, 4.0, 2.0], [2.0, 6.0, 5.0])
    pd.testing.assert_series_equal(res, ref)


def test_unequal_lengths_rejected() -> None:
    with pytest.raises(EvalkitError, match="pre"):
        paired([1, 2, 3], [1, 2])


@pytest.mark.parametrize("confidence", [0, 1, 1.5, -0.1, "x"])
def test_confidence_validated(confidence: object) -> None:
    with pytest.raises(EvalkitError, match="confidence"):
        paired([1, 2, 3], [2, 3, 5], confidence=confidence)


def test_bad_columns_rejected(paired_groups: pd.DataFrame) -> None:
    with pytest.raises(EvalkitError, match="'pre'"):
        paired_by_group(paired_groups, pre="nope", post="post")
    with pytest.raises(EvalkitError, match="'group'"):
        paired_by_group(paired_groups, pre="pre", post="post", group="nope")
    with pytest.raises(EvalkitError, match="'post'"):
        paired_by_group(paired_groups.assign(post="x"), pre="pre", post="post")


def test_exact_table_against_brute_force() -> None:
    from itertools import product

    from evalkit.stats._ranks import signrank_cdf_table

    table = signrank_cdf_table()
    for n in range(1, 11):
        sums = np.array([np.dot(s, np.arange(1, n + 1)) for s in product([0, 1], repeat=n)])
        cdf = np.array([(sums <= k).mean() for k in range(n * (n + 1) // 2 + 1)])
        np.testing.assert_allclose(table[n, : len(cdf)], cdf, rtol=0, atol=1e-15)


def test_exact_p_matches_r_psignrank_large_n() -> None:
    # R 4.2.2: psignrank(400, 49)
    from evalkit.stats._ranks import signrank_cdf_table

    assert signrank_cdf_table()[49, 400] == pytest.approx(0.0170630753577772, rel=1e-12)
