"""Review tables and the edge cases of issue 21, against R 4.2.2
(tests/reference/stats_reference.R, section 7: ``rv.item_change_no_A02.*``)."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import evalkit
from evalkit import UndefinedStatisticWarning, review

REFERENCE = Path(__file__).resolve().parents[1] / "reference"
DATA = REFERENCE / "data" / "review"


def r_values(name: str) -> np.ndarray:
    """Values printed by ``out(name, ...)`` in stats_reference.Rout."""
    text = (REFERENCE / "stats_reference.Rout").read_text(encoding="utf-8")
    match = re.search(rf"^{re.escape(name)}\s+(.*)$", text, flags=re.MULTILINE)
    return np.array(match.group(1).split(), dtype=float)


def test_item_change_with_b_equal_c_equals_mcnemar_test() -> None:
    # R: kk without participant A02; mcnemar.test per item; p.adjust(pm2, "holm").
    # Item t1 then has b = c = 2, for which R applies no continuity correction (p = 1).
    q = evalkit.load_questionnaire(DATA / "questionnaire.yaml")
    pre = evalkit.read_responses(DATA / "pre.csv", q, wave="pre")
    post = evalkit.read_responses(DATA / "post.csv", q, wave="post")
    ok_pre = pre.data[pre.data["status"] == "ok"][["row", "participant"]]
    ok_post = post.data[post.data["status"] == "ok"][["row", "participant"]]
    pairs = ok_pre.merge(ok_post, on="participant", suffixes=("_pre", "_post"))
    pairs = pairs[pairs["participant"] != "A02"][["row_pre", "row_post"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", evalkit.EvalkitWarning)
        ch = review.item_change(q, pre, post, pairs=pairs)
    t1 = ch.set_index("item").loc["t1"]
    assert [t1["b"], t1["c"]] == r_values("rv.item_change_no_A02.t1_bc").tolist()
    np.testing.assert_allclose(ch["p_mcnemar"], r_values("rv.item_change_no_A02.p_mcnemar"), rtol=1e-10)
    np.testing.assert_allclose(ch["p_holm"], r_values("rv.item_change_no_A02.p_holm"), rtol=1e-10)


def test_compare_groups_pairs_of_constant_groups_are_nan_with_the_scale_named() -> None:
    # Gains constant within groups a and b but different: Welch's t would be +-inf
    # (R's t.test stops: "data are essentially constant").
    matched = pd.DataFrame({"group": list("aaabbbccc"), "scale": "s",
                            "pre": [1.0, 2, 3, 1, 2, 3, 1, 2, 3],
                            "post": [2.0, 3, 4, 4, 5, 6, 3, 7, 4]})
    with pytest.warns(UndefinedStatisticWarning, match=r"'s'.*a-b"):
        res = review.compare_groups(matched)
    pw = res.pairwise.set_index(["group1", "group2"])
    assert pw.loc[("a", "b"), ["statistic", "p", "p_holm", "p_fdr_bh"]].isna().all()
    assert np.isfinite(pw.loc[("a", "c"), "statistic"])
    for table in (res.ancova, res.adjusted_means, res.kruskal, res.pairwise):
        assert not np.isinf(table.select_dtypes("number").to_numpy(dtype=float)).any()
