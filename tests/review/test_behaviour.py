"""What participants did after the training (evalkit.review behaviour tables), on a hand-made
follow-up file whose counts are worked out by hand below; the Wilson limits are R's
(tests/reference/behaviour_network_reference.R, kept output .Rout)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import evalkit
from evalkit import EvalkitError
from evalkit.privacy import find_suppressed
from evalkit.review import (BEHAVIOUR_COLUMNS, BEHAVIOUR_FREQUENCY_COLUMNS, CHANGE_AGENT_COLUMNS,
                            behaviour_frequencies, behaviour_shares, change_agents)

DATA = Path(__file__).parent / "data"
# kode, kelompok, b1 (yes/no: 2 = Ya), b2 (frequency 1..4), b3 (count), b4 (reverse-keyed 1..4)
ROWS = [
    ("p1", "G1", "2", "1", "0", "1"),
    ("p2", "G1", "Tidak", "1", "3", "2"),   # a label instead of the point: read as 1
    ("p3", "G1", "1", "", "1", "1"),
    ("p4", "G1", "Ya", "3", "", "4"),
    ("p5", "G1", "1", "1", "0", "1"),
    ("p6", "G2", "1", "2", "2", "1"),
    ("p7", "G2", "", "", "5", "3"),
    ("p8", "G2", "1", "1", "0", "1"),
    ("p9", "G2", "2", "Sering", "1", "2"),
    ("p10", "G2", "1", "1", "0", ""),
    ("P5", "G1", "1", "2", "0", "1"),       # p5 submitted again: the last submission counts
]

# R: prop.test(x, n, correct = FALSE)$conf.int (behaviour_network_reference.Rout)
WILSON = {
    (2, 5): (0.117620774232648, 0.769275718723987), (1, 4): (0.045587260809701, 0.699358157417598),
    (3, 9): (0.120583818386911, 0.645797864419604), (2, 4): (0.150038989152150, 0.849961010847850),
    (4, 8): (0.215216062213878, 0.784783937786122), (3, 5): (0.230724281276013, 0.882379225767352),
    (5, 9): (0.266651293495493, 0.811221478902335), (4, 9): (0.188778521097665, 0.733348706504507),
}
# (n_acted, n) per item and group, counted by hand from ROWS: acted = above the lowest point
# (b1: "Ya"; b2, b4: above "Tidak pernah"), or a count above 0 (b3); blanks left out.
ACTED = {
    "b1": {"G1": (2, 5), "G2": (1, 4), "ALL": (3, 9)},
    "b2": {"G1": (2, 4), "G2": (2, 4), "ALL": (4, 8)},
    "b3": {"G1": (2, 4), "G2": (3, 5), "ALL": (5, 9)},
    "b4": {"G1": (2, 5), "G2": (2, 4), "ALL": (4, 9)},
}


@pytest.fixture(scope="module")
def tq():
    return evalkit.load_questionnaire(DATA / "tindak_lanjut.yaml")


@pytest.fixture(scope="module")
def followup():
    return pd.DataFrame(ROWS, columns=["kode", "kelompok", "b1", "b2", "b3", "b4"]).assign(jejaring="")


def test_shares_match_hand_counts_and_r_wilson(tq, followup):
    table = behaviour_shares(tq, followup)
    assert list(table.columns) == BEHAVIOUR_COLUMNS
    assert list(zip(table["item"], table["group"])) == [(i, g) for i in ACTED for g in ("G1", "G2", "ALL")]
    for row in table.itertuples():
        x, n = ACTED[row.item][row.group]
        assert (row.n_acted, row.n) == (x, n), (row.item, row.group)
        np.testing.assert_allclose([row.share, row.ci_low, row.ci_high], [x / n, *WILSON[(x, n)]], rtol=1e-12)
    by_item = table.drop_duplicates("item").set_index("item")
    assert by_item["action"].tolist() == ["advocacy", "protection", None, None]
    assert by_item["reverse"].tolist() == [False, False, False, True]
    assert (table["scale"] == "tindakan").all() and (table["ci_level"] == 0.95).all()


def test_frequencies_count_every_level(tq, followup):
    table = behaviour_frequencies(tq, followup)
    assert list(table.columns) == BEHAVIOUR_FREQUENCY_COLUMNS
    b2 = table[(table["item"] == "b2") & (table["group"] == "G1")]
    # p1 1, p2 1, p4 3, p5 (last submission) 2; p3 blank; level 4 chosen by nobody is listed
    assert b2[["level", "count", "n"]].values.tolist() == [["1", 2, 4], ["2", 1, 4], ["3", 1, 4], ["4", 0, 4]]
    b3 = table[(table["item"] == "b3") & (table["group"] == "ALL")]
    assert b3[["level", "count"]].values.tolist() == [["0", 4], ["1", 2], ["2", 1], ["3", 1], ["5", 1]]
    assert (b3["n"] == 9).all()
    np.testing.assert_allclose(b3["share"], [4 / 9, 2 / 9, 1 / 9, 1 / 9, 1 / 9], rtol=1e-15)
    sums = table.groupby(["item", "group"])["share"].sum()
    np.testing.assert_allclose(sums, 1.0, rtol=1e-12)


def test_change_agents(tq, followup):
    table = change_agents(tq, followup)
    assert list(table.columns) == CHANGE_AGENT_COLUMNS
    # agents: b1 "Ya" or b2 above "Tidak pernah". G1: p1, p4, p5 of 5 (p3 answered b1 only: not
    # an agent); G2: p6, p9 of 4 (p7 answered neither action item: left out)
    assert table[["group", "n", "n_agents", "n_items"]].values.tolist() == [
        ["G1", 5, 3, 2], ["G2", 4, 2, 2], ["ALL", 9, 5, 2]]
    for row in table.itertuples():
        np.testing.assert_allclose([row.ci_low, row.ci_high], WILSON[(row.n_agents, row.n)], rtol=1e-12)


def test_the_tables_carry_n_for_the_small_group_rule(tq, followup):
    shares = behaviour_shares(tq, followup)
    hidden = find_suppressed(shares, by=("item",))
    # every group is under 5: both groups of each item hidden, the ALL rows (n >= 8) shown
    assert hidden.tolist() == [True, True, False] * 4
    frequencies = behaviour_frequencies(tq, followup)
    assert find_suppressed(frequencies, by=("item", "level"))[frequencies["group"] == "ALL"].eq(False).all()


def test_inputs_are_not_modified_and_responses_work_too(tq, followup):
    before = followup.copy()
    responses = evalkit.io.validate_responses(followup, tq, wave="followup")
    pd.testing.assert_frame_equal(behaviour_shares(tq, responses), behaviour_shares(tq, followup))
    pd.testing.assert_frame_equal(followup, before)


def test_bad_answers_and_missing_declarations_are_clear(tq, followup, tmp_path):
    bad = followup.copy()
    bad.loc[2, "b2"] = "7"
    with pytest.raises(evalkit.DataError, match=r"<DataFrame>:4: kolom 'b2': nilai di luar rentang: '7'; yang diperbolehkan: 1 \(Tidak pernah\)"):
        behaviour_shares(tq, bad)
    text = (DATA / "tindak_lanjut.yaml").read_text(encoding="utf-8")
    plain = tmp_path / "tanpa_action.yaml"
    plain.write_text(text.replace("    action: advocacy\n", "").replace("    action: protection\n", ""),
                     encoding="utf-8")
    with pytest.raises(EvalkitError, match=r"Tidak ada butir perilaku yang ditandai 'action: advocacy'"):
        change_agents(evalkit.load_questionnaire(plain), followup)
    q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    without = tmp_path / "q.yaml"
    without.write_text(Path(evalkit.bundled_questionnaire()).read_text(encoding="utf-8")
                       .replace("    level: behaviour\n", "    level: reaction\n")
                       .replace("    action: advocacy\n", "").replace("    action: protection\n", ""), encoding="utf-8")
    evalkit.set_language("en")
    with pytest.raises(EvalkitError, match=r"no behaviour items \(a 'level: behaviour' scale\) in wave 'followup'"):
        behaviour_shares(evalkit.load_questionnaire(without), evalkit.bundled_sample("followup"))
    assert q.item("t05").action == "advocacy"
