"""Normalized gain and p-value adjustment against R 4.2.2 (stats_reference.R, section 1)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evalkit._errors import EvalkitError, EvalkitWarning
from evalkit.stats import normalized_gain, normalized_gain_by_group, p_adjust

RTOL = 1e-10


def test_normalized_gain_matches_r_formula() -> None:
    # R 4.2.2 by the formula (Hake 1998), max = 100:
    # (mean(post) - mean(pre)) / (100 - mean(pre)); mean(((post-pre)/(100-pre))[pre < 100])
    pre = [40, 55, 100, 70, 85, 30]
    post = [70, 80, 95, 90, 100, 45]
    with pytest.warns(EvalkitWarning, match="1"):
        res = normalized_gain(pre, post)
    assert list(res.index) == ["g_class", "g_individual", "n_excluded"]
    assert res["g_class"] == pytest.approx(0.454545454545455, rel=RTOL)
    assert res["g_individual"] == pytest.approx(0.587301587301587, rel=RTOL)
    assert res["n_excluded"] == 1


def test_normalized_gain_by_group_matches_r(paired_groups: pd.DataFrame) -> None:
    # R 4.2.2 by the formula on data/paired_groups.csv (pairs with a NaN dropped)
    res = normalized_gain_by_group(paired_groups, pre="pre", post="post", group="group")
    expected = pd.DataFrame(
        {
            "g_class": [0.219298245614035, 0.191419141914191, 0.151138716356108],
            "g_individual": [0.210736023236023, 0.18656835280136, 0.145549992070383],
            "n_excluded": [0, 0, 0],
        },
        index=pd.Index(["A", "B", "C"], name="group"),
    )
    pd.testing.assert_frame_equal(res, expected, rtol=RTOL, check_index_type=False)


def test_normalized_gain_guards() -> None:
    with pytest.raises(EvalkitError, match="max_score"):
        normalized_gain([50, 120], [60, 90])
    with pytest.raises(EvalkitError, match="max_score"):
        normalized_gain([50], [60], max_score=0)
    with pytest.raises(EvalkitError):
        normalized_gain([50, 60], [60])
    with pytest.warns(EvalkitWarning):
        res = normalized_gain([100, 100], [100, 90])
    assert np.isnan(res["g_class"]) and np.isnan(res["g_individual"])


P_RAW = [0.01, 0.04, 0.03, 0.005, 0.2, np.nan, 0.04, 0.5]


def test_p_adjust_holm_matches_r() -> None:
    # R 4.2.2: p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.2, NA, 0.04, 0.5), "holm")
    expected = [0.06, 0.16, 0.15, 0.035, 0.4, np.nan, 0.16, 0.5]
    np.testing.assert_allclose(p_adjust(P_RAW, method="holm"), expected, rtol=RTOL)


def test_p_adjust_bh_matches_r() -> None:
    # R 4.2.2: p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.2, NA, 0.04, 0.5), "BH")
    expected = [0.035, 0.056, 0.056, 0.035, 0.233333333333333, np.nan, 0.056, 0.5]
    np.testing.assert_allclose(p_adjust(P_RAW, method="fdr_bh"), expected, rtol=RTOL)


def test_p_adjust_keeps_series_index_and_works_in_transform() -> None:
    frame = pd.DataFrame(
        {"scale": ["a", "a", "a", "b", "b"], "p": [0.01, 0.02, 0.5, 0.04, np.nan]},
        index=list("vwxyz"),
    )
    adjusted = frame.groupby("scale")["p"].transform(p_adjust, method="holm")
    assert list(adjusted.index) == list("vwxyz")
    np.testing.assert_allclose(adjusted, [0.03, 0.04, 0.5, 0.04, np.nan])
    series = p_adjust(frame["p"])
    assert isinstance(series, pd.Series) and series.index.equals(frame.index)


def test_p_adjust_guards() -> None:
    with pytest.raises(EvalkitError, match="method"):
        p_adjust([0.1], method="bonferroni")
    with pytest.raises(EvalkitError, match="'p'"):
        p_adjust([0.1, 1.2])
    assert p_adjust([]).shape == (0,)
