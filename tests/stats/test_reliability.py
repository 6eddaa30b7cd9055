"""Reliability against R 4.2.2 + psych 2.2.9 (tests/reference/stats_reference.R, section 2).

Data: psych::bfi items A1-A5, complete cases (2709 rows, exported by the R script to
data/bfi_agreeableness.csv), with A1 reverse-keyed as 7 - A1 in both R and Python.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evalkit._errors import EvalkitError, EvalkitWarning
from evalkit.stats import cronbach_alpha, item_total, omega_total

RTOL = 1e-10


def test_alpha_matches_psych(bfi_items: pd.DataFrame) -> None:
    # R: a <- psych::alpha(items); a$total$raw_alpha, a$total$std.alpha;
    # psych::alpha.ci(a$total$raw_alpha, 2709, 5) (equal to a$feldt, "Feldt" bounds)
    res = cronbach_alpha(bfi_items)
    assert list(res.index) == ["alpha", "ci_low", "ci_high", "n", "k", "std_alpha", "n_dropped"]
    assert res["alpha"] == pytest.approx(0.703755894374836, rel=RTOL)
    assert res["std_alpha"] == pytest.approx(0.713501552634643, rel=RTOL)
    assert res["ci_low"] == pytest.approx(0.685744635049661, rel=RTOL)
    assert res["ci_high"] == pytest.approx(0.721035962795739, rel=RTOL)
    assert (res["n"], res["k"], res["n_dropped"]) == (2709, 5, 0)


def test_alpha_ci_other_confidence(bfi_items: pd.DataFrame) -> None:
    # R: psych::alpha.ci(a$total$raw_alpha, 2709, 5, p.val = 0.10)
    res = cronbach_alpha(bfi_items, confidence=0.90)
    assert res["ci_low"] == pytest.approx(0.688707282691252, rel=RTOL)
    assert res["ci_high"] == pytest.approx(0.718321903193862, rel=RTOL)


def test_alpha_listwise_deletion(reference_data) -> None:
    # R: psych::alpha(small[complete.cases(small), ]) on data/reliability_small.csv;
    # psych::alpha.ci(raw_alpha, 10, 4)
    small = pd.read_csv(reference_data / "reliability_small.csv")
    res = cronbach_alpha(small)
    assert res["n"] == 10 and res["n_dropped"] == 2
    assert res["alpha"] == pytest.approx(0.933801991798477, rel=RTOL)
    assert res["std_alpha"] == pytest.approx(0.933934721292794, rel=RTOL)
    assert res["ci_low"] == pytest.approx(0.825842600213663, rel=RTOL)
    assert res["ci_high"] == pytest.approx(0.981531904164599, rel=RTOL)


def test_item_total_matches_psych(bfi_items: pd.DataFrame) -> None:
    # R: a$item.stats$mean, $sd, $r.drop; a$alpha.drop$raw_alpha
    res = item_total(bfi_items)
    assert list(res.columns) == ["mean", "sd", "r_drop", "alpha_if_deleted"]
    assert list(res.index) == ["A1", "A2", "A3", "A4", "A5"]
    expected = {
        "mean": [4.58767072720561, 4.79734219269103, 4.59911406423034,
                 4.68217054263566, 4.55112587670727],
        "sd": [1.40457526845118, 1.17641471195972, 1.30455370413401,
               1.48644153374369, 1.26160331891483],
        "r_drop": [0.311401300580162, 0.563015475492023, 0.588773078677353,
                   0.394793680111273, 0.487240867629001],
        "alpha_if_deleted": [0.717972056565048, 0.618481211772761, 0.600753814422001,
                             0.686944741539779, 0.644622304221595],
    }  # fmt: skip
    for column, values in expected.items():
        np.testing.assert_allclose(res[column], values, rtol=RTOL, err_msg=column)


def test_omega_total_matches_psych(bfi_items: pd.DataFrame) -> None:
    # R: psych::omega(items, nfactors = 1)$omega.tot = 0.723724356915045 (minres).
    # Tolerance 1e-6: psych's minres stops at optim()'s default tolerance; its loadings
    # (psych::fa(items, 1)) differ from the exact least-squares optimum found here in the
    # 6th digit, and our residual sum of squares is lower by 1.3e-12. omega agrees to 1e-8.
    assert omega_total(bfi_items) == pytest.approx(0.723724356915045, rel=1e-6)


def test_degenerate_reliability() -> None:
    one = pd.DataFrame({"a": [1, 2, 3]})
    with pytest.warns(EvalkitWarning):
        assert np.isnan(cronbach_alpha(one)["alpha"])
    with pytest.warns(EvalkitWarning):
        assert np.isnan(omega_total(one))
    flat = pd.DataFrame({"a": [2, 2, 2], "b": [2, 2, 2], "c": [2, 2, 2]})
    with pytest.warns(EvalkitWarning):
        res = cronbach_alpha(flat)
    assert res[["alpha", "ci_low", "ci_high", "std_alpha"]].isna().all()
    with pytest.warns(EvalkitWarning):
        assert np.isnan(omega_total(flat))
    with pytest.warns(EvalkitWarning):
        table = item_total(flat)
    assert table["r_drop"].isna().all()
    with pytest.raises(EvalkitError, match="items"):
        cronbach_alpha([[1, 2], [3, 4]])  # type: ignore[arg-type]
    with pytest.raises(EvalkitError, match="confidence"):
        cronbach_alpha(flat, confidence=2)
