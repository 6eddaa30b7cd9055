"""Item analysis against R 4.2.2 (tests/reference/stats_reference.R, section 3).

Data: data/items_binary.csv (15 respondents x 6 items, one missing answer in q2).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evalkit._errors import EvalkitError, EvalkitWarning
from evalkit.stats import (
    discrimination_index,
    distractor_counts,
    item_difficulty,
    item_indices,
    mcnemar,
    point_biserial,
)

RTOL = 1e-10
ITEMS = ["q1", "q2", "q3", "q4", "q5", "q6"]


@pytest.fixture(scope="module")
def binary(reference_data) -> pd.DataFrame:
    return pd.read_csv(reference_data / "items_binary.csv")


def test_difficulty_matches_r(binary: pd.DataFrame) -> None:
    # R: colMeans(ib, na.rm = TRUE)
    expected = [0.733333333333333, 0.571428571428571, 0.4,
                0.733333333333333, 0.266666666666667, 0.6]  # fmt: skip
    res = item_difficulty(binary)
    assert list(res.index) == ITEMS
    np.testing.assert_allclose(res, expected, rtol=RTOL)


def test_point_biserial_matches_r(binary: pd.DataFrame) -> None:
    # R: sapply(seq_along(cc), function(j) cor(cc[, j], rowSums(cc[, -j]))), complete cases
    expected = [0.66332495807108, 0.611111111111111, 0.561696539959971,
                0.11817578957375, 0.507299656195892, 0.292288926470826]  # fmt: skip
    np.testing.assert_allclose(point_biserial(binary), expected, rtol=RTOL)


def test_discrimination_index_matches_r(binary: pd.DataFrame) -> None:
    # R: ng <- round(0.27 * 14) = 4; ul_index(cc, ng) (stats_reference.R, section 3):
    # ties at the boundary share its places. Five respondents tie at the upper boundary
    # (total 5) for three places, so p_upper is items.p_upper (equal to
    # items.p_upper_mean_over_tie_orders), no longer the data-order groups'
    # items.p_upper_data_order = 1 1 0.75 1 0.75 0.75 (issue 21). No tie at the lower one.
    res = discrimination_index(binary)
    upper = [1, 1, 0.85, 0.85, 0.7, 0.85]
    lower = [0, 0.25, 0, 0.5, 0, 0.25]
    np.testing.assert_allclose(res["p_upper"], upper, rtol=RTOL)
    np.testing.assert_allclose(res["p_lower"], lower, rtol=RTOL)
    np.testing.assert_allclose(res["d"], np.subtract(upper, lower), rtol=RTOL)
    with pytest.raises(EvalkitError, match="fraction"):
        discrimination_index(binary, fraction=0.7)


def test_item_statistics_gives_the_three_indices_in_one_pass(binary: pd.DataFrame) -> None:
    # The R values of the three tests above (stats_reference.R, section 3): colMeans over
    # the answers present; cor with the rest score and the upper-lower index over the 14
    # complete rows.
    res = item_indices(binary)
    assert list(res.columns) == ["n", "difficulty", "r_pbis", "p_upper", "p_lower", "d"]
    assert res["n"].tolist() == [15, 14, 15, 15, 15, 15]
    np.testing.assert_allclose(res["difficulty"], [0.733333333333333, 0.571428571428571, 0.4,
                                                   0.733333333333333, 0.266666666666667, 0.6], rtol=RTOL)
    np.testing.assert_allclose(res["r_pbis"], [0.66332495807108, 0.611111111111111, 0.561696539959971,
                                               0.11817578957375, 0.507299656195892, 0.292288926470826],
                               rtol=RTOL)
    np.testing.assert_allclose(res["p_upper"], [1, 1, 0.85, 0.85, 0.7, 0.85], rtol=RTOL)
    np.testing.assert_allclose(res["p_lower"], [0, 0.25, 0, 0.5, 0, 0.25], rtol=RTOL)
    np.testing.assert_allclose(res["d"], res["p_upper"] - res["p_lower"], rtol=RTOL)
    with pytest.raises(EvalkitError, match="EK-ST-028"):
        item_indices(binary, fraction=0.7)
    with pytest.raises(EvalkitError, match="EK-ST-027"):
        item_indices(binary.assign(q1=binary["q1"] * 2))


def test_mcnemar_matches_r() -> None:
    # R: mcnemar.test(factor(before, 0:1), factor(after, 0:1)) -> 4.9, p 0.0268566955075243
    # R: binom.test(1, 10, 0.5)$p.value -> 0.021484375
    before = [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0]
    after = [1, 1, 1, 1, 0, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0]
    res = mcnemar(before, after)
    assert list(res.index) == ["b", "c", "statistic", "df", "p"]
    assert (res["b"], res["c"], res["df"]) == (1, 9, 1)
    assert res["statistic"] == pytest.approx(4.9, rel=RTOL)
    assert res["p"] == pytest.approx(0.0268566955075243, rel=RTOL)
    exact = mcnemar(before, after, exact=True)
    assert exact["p"] == pytest.approx(0.021484375, rel=RTOL)
    assert np.isnan(exact["statistic"])


def test_mcnemar_guards() -> None:
    with pytest.warns(EvalkitWarning):
        assert np.isnan(mcnemar([1, 0], [1, 0])["p"])
    with pytest.raises(EvalkitError, match="before"):
        mcnemar([1, 2], [1, 0])
    with pytest.raises(EvalkitError):
        mcnemar([1, 0, 1], [1, 0])


def test_distractor_counts() -> None:
    # Counted by hand.
    responses = pd.DataFrame({"q1": ["A", "B", "A", None, "C"], "q2": ["D", "D", "D", "A", "B"]})
    res = distractor_counts(responses, {"q1": "A", "q2": "C"})
    assert list(res.columns) == ["item", "option", "count", "share", "is_key"]
    rows = list(res.itertuples(index=False, name=None))
    assert rows == [
        ("q1", "A", 2, 0.5, True), ("q1", "B", 1, 0.25, False), ("q1", "C", 1, 0.25, False),
        ("q2", "A", 1, 0.2, False), ("q2", "B", 1, 0.2, False), ("q2", "C", 0, 0.0, True),
        ("q2", "D", 3, 0.6, False),
    ]  # fmt: skip
    with pytest.raises(EvalkitError, match="key"):
        distractor_counts(responses, {"q9": "A"})


def test_binary_validation() -> None:
    with pytest.raises(EvalkitError, match="items"):
        item_difficulty(pd.DataFrame({"q1": [0, 2]}))
