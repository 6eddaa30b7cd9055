"""Wilson intervals against R 4.2.2 ``prop.test(correct = FALSE)`` (waves_meta_reference.R,
section 5) and network statistics against networkx 3.6.1 (tests/reference/network_reference.py,
output in network_reference.out, on data/network_ties.csv)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evalkit import EvalkitError, EvalkitWarning
from evalkit.stats import (
    network_density,
    network_edges,
    network_ties,
    proportion_by_group,
    wilson_ci,
)

SUCCESSES = [0, 3, 10, 17, 1, 45]
TRIALS = [10, 10, 10, 40, 1, 52]
# R: prop.test(x, n, correct = FALSE, conf.level = level)$conf.int for the pairs above
WILSON = {
    0.95: ([0, 0.107791267406301, 0.722467200137111, 0.285093925599504, 0.206549314377238, 0.747266798348062],
           [0.277532799862889, 0.603221852538855, 1, 0.578049314580089, 1, 0.933231182946039]),
    0.9: ([0, 0.126876583903198, 0.787058029916593, 0.305234136980157, 0.269865948784054, 0.769288760453247],
          [0.212941970083407, 0.558300204130165, 1, 0.554268880316662, 1, 0.925339198628937]),
}  # fmt: skip

GROUPS = ["G01", "G02", "G03", "G04", "G05", "G06"]  # G06: no respondent
# networkx: nx.density(G) of the undirected group graph with every group as a node
DENSITY = {"pre": (1, 0.06666666666666667), "followup": (5, 0.3333333333333333)}
# plain loops + nx.degree_centrality: (n_participants, n_ties, ties_per_participant,
# n_ties_groups, n_ties_across, n_institutions, degree, degree_centrality)
TIES = {
    ("G01", "pre"): (2, 2, 1.0, 1, 1, 1, 1, 0.2),
    ("G02", "pre"): (2, 3, 1.5, 2, 1, 1, 1, 0.2),
    ("G03", "pre"): (1, 0, 0.0, 0, 0, 0, 0, 0.0),
    ("G04", "pre"): (1, 1, 1.0, 1, 0, 0, 0, 0.0),
    ("G05", "pre"): (1, 0, 0.0, 0, 0, 0, 0, 0.0),
    ("G01", "followup"): (2, 5, 2.5, 3, 3, 2, 3, 0.6000000000000001),
    ("G02", "followup"): (2, 3, 1.5, 3, 3, 0, 3, 0.6000000000000001),
    ("G03", "followup"): (1, 2, 2.0, 1, 1, 1, 2, 0.4),
    ("G04", "followup"): (1, 0, 0.0, 0, 0, 0, 1, 0.2),
    ("G05", "followup"): (1, 2, 2.0, 1, 0, 1, 1, 0.2),
}
TIES_COLUMNS = ["n_participants", "n_ties", "ties_per_participant", "n_ties_groups", "n_ties_across",
                "n_institutions", "degree", "degree_centrality"]
KEYS = dict(participant="participant", group="group", wave="wave", target="target")


@pytest.mark.parametrize("level", [0.95, 0.9])
def test_wilson_matches_prop_test(level):
    res = wilson_ci(SUCCESSES, TRIALS, confidence=level)
    np.testing.assert_allclose(res["ci_low"], WILSON[level][0], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(res["ci_high"], WILSON[level][1], rtol=1e-12)
    np.testing.assert_allclose(res["estimate"], np.divide(SUCCESSES, TRIALS), rtol=1e-15)
    assert (res["ci_level"] == level).all() and list(res["n"]) == TRIALS


def test_proportion_by_group_counts_and_intervals():
    data = pd.DataFrame({"g": ["a"] * 10 + ["b"] * 40 + ["c"],
                         "acted": [1] * 3 + [0] * 7 + [True] * 17 + [False] * 23 + [None]})
    with pytest.warns(EvalkitWarning, match=r"EK-ST-048\] .* 1 .* n = 0"):  # group c: no answer
        res = proportion_by_group(data, value="acted", group="g")
    assert list(res["n"]) == [10, 40, 0] and list(res["successes"]) == [3, 17, 0]
    np.testing.assert_allclose(res.loc[["a", "b"], "ci_low"], [WILSON[0.95][0][1], WILSON[0.95][0][3]], rtol=1e-12)
    assert res.loc["c", ["estimate", "ci_low", "ci_high"]].isna().all()


def test_wilson_bad_input():
    with pytest.raises(EvalkitError, match="EK-ST-045"):
        wilson_ci([5], [3])
    with pytest.raises(EvalkitError, match="EK-ST-046"):
        wilson_ci([1, 2], [3])
    with pytest.warns(EvalkitWarning, match="EK-ST-048"):
        assert wilson_ci([0], [0])["ci_low"].isna().all()
    with pytest.raises(EvalkitError, match="EK-ST-047"):
        proportion_by_group(pd.DataFrame({"x": [0, 2]}), value="x")


@pytest.fixture(scope="module")
def ties(reference_data) -> pd.DataFrame:
    return pd.read_csv(reference_data / "network_ties.csv")


def test_network_ties_match_reference(ties):
    res = network_ties(ties, **KEYS, groups=GROUPS)
    assert res.index.names == ["group", "wave"] and len(res) == len(TIES)
    for key, expected in TIES.items():
        np.testing.assert_allclose(res.loc[key, TIES_COLUMNS].to_numpy(float), expected, rtol=1e-15, err_msg=str(key))
    row = res.loc[("G02", "pre")]
    assert row["share_across"] == 0.5 and row["n_ties_institutions"] == 1  # LBH named twice counts once
    assert np.isnan(res.loc[("G03", "pre"), "share_across"])


def test_network_density_matches_networkx(ties):
    res = network_density(ties, **KEYS, groups=GROUPS)
    for wave, (edges, density) in DENSITY.items():
        assert res.loc[wave, "n_edges"] == edges and res.loc[wave, "n_groups"] == 6
        np.testing.assert_allclose(res.loc[wave, "density"], density, rtol=1e-15)
    # without 'groups' the nodes are the groups that answered (G01-G05): 10 pairs
    np.testing.assert_allclose(network_density(ties, **KEYS).loc["followup", "density"], 5 / 10, rtol=1e-15)


def test_network_edges(ties):
    res = network_edges(ties, **KEYS)
    followup = res[res["wave"] == "followup"]
    assert list(zip(followup["group_a"], followup["group_b"], followup["n_ties"])) == [
        ("G01", "G02", 2), ("G01", "G03", 2), ("G01", "G04", 1), ("G02", "G03", 1), ("G02", "G05", 1)]


def test_network_bad_input(ties):
    clash = pd.concat([ties, pd.DataFrame({"participant": ["p01"], "group": ["G02"], "wave": ["pre"],
                                           "target": [None]})], ignore_index=True)
    with pytest.raises(EvalkitError, match=r"EK-ST-041\] .* 24 .*'G01' .*'G02'"):
        network_ties(clash, **KEYS)
    with pytest.raises(EvalkitError, match="EK-ST-042"):
        network_density(ties, **KEYS, groups=["G02"])
    with pytest.raises(EvalkitError, match="EK-ST-043"):
        network_ties(ties.assign(wave=[None if i == 1 else w for i, w in enumerate(ties["wave"])]), **KEYS)
    with pytest.warns(EvalkitWarning, match="EK-ST-044"):
        one = network_density(ties[ties["group"] == "G01"], **KEYS)
    assert one["density"].isna().all()


def test_inputs_not_modified(ties):
    before = ties.copy()
    network_ties(ties, **KEYS)
    network_density(ties, **KEYS)
    pd.testing.assert_frame_equal(ties, before)
