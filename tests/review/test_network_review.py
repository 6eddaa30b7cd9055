"""The network review (evalkit.review.network_review) on a hand-made pre/follow-up file.

Counts are worked out by hand below; the density and degree centrality are networkx's
(tests/reference/network_review_reference.py, kept output .out); the paired test of ties per
participant is R's t.test / wilcox.test (tests/reference/behaviour_network_reference.R, .Rout).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import evalkit
from evalkit import EvalkitError
from evalkit.privacy import find_suppressed
from evalkit.review import (NETWORK_CHANGE_COLUMNS, NETWORK_INSTITUTION_COLUMNS, NETWORK_SUMMARY_COLUMNS,
                            network_review)

DATA = Path(__file__).parent / "data"
PRE = [("p1", "G1", "G1 G2 x"), ("p2", "G1", ""), ("p3", "G1", "x"), ("p4", "G2", "G2"), ("p5", "G2", "y"),
       ("p6", "G3", ""), ("p7", "G3", "G3")]
# p5 dropped out; p8 is new at the follow-up; p3 typed the code as "P-3"
FOLLOWUP = [("p1", "G1", "G1 G2 G3 x y"), ("p2", "G1", "G2"), ("P-3", "G1", "x G3"), ("p4", "G2", "G1 G2 x"),
            ("p6", "G3", "G1 y"), ("p7", "G3", "G3 G2 x y"), ("p8", "G3", "G1")]


def _frame(rows, wave):
    columns = ["kode", "kelompok", "jejaring"]
    frame = pd.DataFrame(rows, columns=columns)
    # the wave's other items, as a form would have them
    return frame.assign(s01="3", s02="3") if wave == "pre" else frame.assign(b1="1", b2="1", b3="0", b4="1")


@pytest.fixture(scope="module")
def tq():
    return evalkit.load_questionnaire(DATA / "tindak_lanjut.yaml")


@pytest.fixture(scope="module")
def review(tq):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", evalkit.UndefinedStatisticWarning)  # G2: one pair
        return network_review(tq, _frame(PRE, "pre"), _frame(FOLLOWUP, "followup"))


def test_summary_by_hand_and_networkx(review):
    s = review.summary
    assert list(s.columns) == NETWORK_SUMMARY_COLUMNS
    assert list(zip(s["wave"], s["group"])) == [(w, g) for w in ("pre", "followup") for g in ("G1", "G2", "G3", "ALL")]
    s = s.set_index(["wave", "group"])
    # n, n_ties, n_ties_groups, n_ties_across, n_institutions, counted from PRE and FOLLOWUP
    assert s.loc[("pre", "G1"), ["n", "n_ties", "n_ties_groups", "n_ties_across", "n_institutions"]].tolist() == \
        [3, 4, 2, 1, 1]
    assert s.loc[("pre", "ALL"), ["n", "n_ties", "n_ties_groups", "n_ties_across", "n_institutions"]].tolist() == \
        [7, 7, 4, 1, 2]
    assert s.loc[("followup", "ALL"), ["n", "n_ties", "n_ties_groups", "n_ties_across", "n_institutions"]].tolist() \
        == [7, 18, 11, 8, 2]
    np.testing.assert_allclose(s.loc[("pre", "G1"), ["ties_per_participant", "share_across"]], [4 / 3, 1 / 2],
                               rtol=1e-15)
    np.testing.assert_allclose(s.loc[("followup", "ALL"), ["ties_per_participant", "share_across"]],
                               [18 / 7, 8 / 11], rtol=1e-15)
    # networkx: density pre 0.3333333333333333, follow-up 1.0; degree centrality at pre G1 0.5, G3 0.0
    np.testing.assert_allclose(s.loc[[("pre", "ALL"), ("followup", "ALL")], "density"], [0.3333333333333333, 1.0],
                               rtol=1e-15)
    np.testing.assert_allclose(s.loc[[("pre", "G1"), ("pre", "G3")], "degree_centrality"], [0.5, 0.0], rtol=1e-15)
    assert s.loc[s.index.get_level_values("group") != "ALL", "density"].isna().all()
    assert s.loc[s.index.get_level_values("group") == "ALL", "degree"].isna().all()


def test_edges_and_institutions(review):
    assert review.edges.values.tolist() == [
        ["followup", "G1", "G2", 3], ["followup", "G1", "G3", 4], ["followup", "G2", "G3", 1], ["pre", "G1", "G2", 1]]
    inst = review.institutions
    assert list(inst.columns) == NETWORK_INSTITUTION_COLUMNS
    assert inst[["wave", "institution", "n", "n_named"]].values.tolist() == [
        ["pre", "x", 7, 2], ["pre", "y", 7, 1], ["followup", "x", 7, 4], ["followup", "y", 7, 3]]


def test_change_is_paired_by_participant_against_r(tq):
    # With the ledger's pseudonyms, p3 ("P-3" at follow-up, normalized to P3 -> pairs with p3 anyway)
    # and p5/p8 unpaired: ties pre (3, 0, 1, 1, 0, 1) -> follow-up (5, 1, 2, 3, 2, 4)
    ledger = pd.DataFrame({
        "wave": ["pre"] * 7 + ["followup"] * 7, "row": list(range(2, 9)) * 2,
        "group": [g for _, g, _ in PRE] + [g for _, g, _ in FOLLOWUP],
        "participant": ["a1", "a2", "a3", "a4", "a5", "a6", "a7", "a1", "a2", "a3", "a4", "a6", "a7", "a8"],
        "state": "matched"})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", evalkit.UndefinedStatisticWarning)
        change = network_review(tq, _frame(PRE, "pre"), _frame(FOLLOWUP, "followup"), ledger=ledger).change
    assert list(change.columns) == NETWORK_CHANGE_COLUMNS
    assert change[["group", "n"]].values.tolist() == [["G1", 3], ["G2", 1], ["G3", 2], ["ALL", 6]]
    r = change.set_index("group")
    # R: t.test(fu, pre, paired = TRUE); wilcox.test(fu, pre, paired = TRUE) (behaviour_network_reference.Rout)
    np.testing.assert_allclose(
        r.loc["ALL", ["mean_pre", "mean_followup", "mean_diff", "ci_low", "ci_high", "t", "df", "p", "w", "p_wilcoxon",
                      "d_z"]].astype(float),
        [1.0, 17 / 6, 1.833333333333333, 1.043346882841381, 2.623319783825285, 5.965587590013044, 5, 0.001894247114600,
         21, 0.033505256790828, 2.435440935235262], rtol=1e-9)
    np.testing.assert_allclose(
        r.loc["G1", ["mean_diff", "ci_low", "ci_high", "t", "p", "w", "p_wilcoxon", "d_z"]].astype(float),
        [1.333333333333333, -0.100884243249821, 2.767550909916487, 4.0, 0.057190958417937, 6, 0.173568166555922,
         2.309401076758503], rtol=1e-9)
    assert np.isnan(r.loc["G2", "t"])  # one pair: no test


def test_equal_pseudonyms_in_two_groups_are_two_people(tq):
    # p1 (G1) and p4 (G2) typed the same code: the ledger gives both one pseudonym; they are
    # still two people, so the change table is that of test_change_is_paired_by_participant_against_r.
    people = ["a1", "a2", "a3", "a1", "a5", "a6", "a7", "a1", "a2", "a3", "a1", "a6", "a7", "a8"]
    ledger = pd.DataFrame({"wave": ["pre"] * 7 + ["followup"] * 7, "row": list(range(2, 9)) * 2,
                           "group": [g for _, g, _ in PRE] + [g for _, g, _ in FOLLOWUP], "participant": people})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", evalkit.UndefinedStatisticWarning)
        change = network_review(tq, _frame(PRE, "pre"), _frame(FOLLOWUP, "followup"), ledger=ledger).change
    assert change[["group", "n"]].values.tolist() == [["G1", 3], ["G2", 1], ["G3", 2], ["ALL", 6]]
    assert change.set_index("group").loc["ALL", "t"] == pytest.approx(5.965587590013044, rel=1e-9)  # R, as there


def test_a_fuzzy_match_in_the_ledger_is_paired_by_its_first_wave_row(tq):
    # As test_change_is_paired_by_participant_against_r, but p1's follow-up row has a pseudonym
    # of its own (a one-typo code, matched fuzzily): the ledger's pair_row names its pre-test row.
    people = ["a1", "a2", "a3", "a4", "a5", "a6", "a7", "zz", "a2", "a3", "a4", "a6", "a7", "a8"]
    ledger = pd.DataFrame({"wave": ["pre"] * 7 + ["followup"] * 7, "row": list(range(2, 9)) * 2,
                           "group": [g for _, g, _ in PRE] + [g for _, g, _ in FOLLOWUP], "participant": people,
                           "pair_row": [np.nan] * 7 + [2, 3, 4, 5, 7, 8, np.nan]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", evalkit.UndefinedStatisticWarning)
        change = network_review(tq, _frame(PRE, "pre"), _frame(FOLLOWUP, "followup"), ledger=ledger).change
    assert change[["group", "n"]].values.tolist() == [["G1", 3], ["G2", 1], ["G3", 2], ["ALL", 6]]
    assert change.set_index("group").loc["ALL", "t"] == pytest.approx(5.965587590013044, rel=1e-9)  # R, as there


def test_ledger_pseudonyms_decide_the_pairs(tq):
    """Without a ledger, codes pair within the group after normalizing; a ledger (fuzzy
    matches of the analysis) can pair what the codes alone do not."""
    follow = [("p1", "G1", "G1")] + [r for r in FOLLOWUP if r[0] != "p1"]
    follow[0] = ("q1", "G1", "G1")  # p1 typed another code at follow-up
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", evalkit.UndefinedStatisticWarning)
        plain = network_review(tq, _frame(PRE, "pre"), _frame(follow, "followup")).change
        ledger = pd.DataFrame({"wave": ["pre", "followup"], "row": [2, 2], "group": ["G1", "G1"],
                               "participant": ["same", "same"]})
        linked = network_review(tq, _frame(PRE[:1], "pre"), _frame(follow[:1], "followup"), ledger=ledger).change
    assert plain.set_index("group").loc["ALL", "n"] == 5
    assert linked.set_index("group").loc["ALL", "n"] == 1


def test_small_groups_can_be_suppressed(review):
    hidden = find_suppressed(review.summary, by=("wave",))
    assert hidden[review.summary["group"] != "ALL"].all() and not hidden[review.summary["group"] == "ALL"].any()


def test_bad_input_is_named(tq, tmp_path):
    bad = _frame(PRE, "pre")
    bad.loc[1, "jejaring"] = "G1 Z9"
    with pytest.raises(evalkit.DataError, match=r"<DataFrame>:3: kolom 'jejaring': jawaban tidak dikenal: 'G1 Z9'"):
        network_review(tq, bad, _frame(FOLLOWUP, "followup"))
    with pytest.raises(EvalkitError, match=r"Parameter 'item' harus id butir jejaring .*\(jejaring\); ditemukan 'b1'"):
        network_review(tq, _frame(PRE, "pre"), _frame(FOLLOWUP, "followup"), item="b1")
    with pytest.raises(EvalkitError, match=r"Parameter 'ledger' harus berupa DataFrame dengan kolom"):
        network_review(tq, _frame(PRE, "pre"), _frame(FOLLOWUP, "followup"), ledger=pd.DataFrame({"row": [1]}))
    q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    assert network_review(q, evalkit.bundled_sample("pre"), evalkit.bundled_sample("followup")).summary["n"].iloc[-1] \
        == 179
