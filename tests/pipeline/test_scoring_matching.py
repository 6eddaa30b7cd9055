"""Scoring rules and pre/post matching on a tiny hand-checked questionnaire."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import evalkit
from evalkit.io import validate_responses
from evalkit.pipeline import match_waves, normalize_codes

TINY = """
id: tiny
version: "1"
title: {id: Uji, en: Test}
languages: [id, en]
participant: {id_column: kode, group_column: kelompok}
scales:
  - {id: tahu, label: {id: Tahu, en: Know}, level: learning, scoring: percent_correct, min_answered: 0.5}
  - id: sikap
    label: {id: Sikap, en: Attitude}
    level: learning
    scoring: mean
    min_answered: 0.6
    defaults: {type: likert, points: 5}
  - id: jumlah
    label: {id: Jumlah, en: Sum}
    level: learning
    scoring: sum
    min_answered: 0.5
    defaults: {type: likert, points: 4}
items:
  - id: k1
    scale: tahu
    type: single_choice
    text: {id: S1, en: Q1}
    options: [{code: a, id: A, en: A}, {code: b, id: B, en: B}]
    key: b
  - {id: k2, scale: tahu, type: true_false, text: {id: S2, en: Q2}, key: S}
  - id: k3
    scale: tahu
    type: multi_select
    text: {id: S3, en: Q3}
    options: [{code: a, id: A, en: A}, {code: b, id: B, en: B}, {code: c, id: C, en: C}, {code: d, id: D, en: D}]
    key: [a, c]
    scoring: partial
  - id: k4
    scale: tahu
    type: multi_select
    text: {id: S4, en: Q4}
    options: [{code: a, id: A, en: A}, {code: b, id: B, en: B}]
    key: [a]
    scoring: exact
  - {id: s1, scale: sikap, text: {id: L1, en: L1}}
  - {id: s2, scale: sikap, text: {id: L2, en: L2}, reverse: true}
  - {id: s3, scale: sikap, text: {id: L3, en: L3}}
  - {id: j1, scale: jumlah, text: {id: J1, en: J1}}
  - {id: j2, scale: jumlah, text: {id: J2, en: J2}}
  - {id: catatan, type: text, text: {id: Catatan, en: Notes}}
"""


@pytest.fixture
def tiny(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    return evalkit.load_questionnaire(path)


def _frame(rows):
    columns = ["kode", "kelompok", "k1", "k2", "k3", "k4", "s1", "s2", "s3", "j1", "j2", "catatan"]
    return pd.DataFrame(rows, columns=columns, dtype=str)


def test_scoring_rules_by_hand(tiny):
    raw = _frame([
        # k1 right, k2 right, k3 = {a, b}: a ok, b wrong, c missed, d ok -> 2/4; k4 exact {a} -> 1
        ["P1", "G", "b", "S", "a b", "a", "5", "1", "3", "4", "2", "ok"],
        # k1 wrong, k2 blank (counts wrong), k3 exact key -> 1, k4 {a, b} -> 0; s3 blank; j2 blank
        ["P2", "G", "a", "", "a c", "a b", "2", "4", "", "3", "", ""],
        # only 1 of 4 knowledge items answered (< 0.5) -> missing; 1 of 3 attitude (< 0.6) -> missing
        ["P3", "G", "b", "", "", "", "4", "", "", "", "", ""],
    ])
    scores = evalkit.score(tiny, validate_responses(raw, tiny, wave="pre"))
    expected_tahu = [100 * (1 + 1 + 0.5 + 1) / 4, 100 * (0 + 0 + 1 + 0) / 4, np.nan]
    # sikap: s2 reversed (6 - x): P1 (5 + 5 + 3)/3, P2 (2 + 2)/2
    expected_sikap = [13 / 3, 2.0, np.nan]
    # jumlah: prorated sum = mean of answered × 2: P1 4 + 2, P2 3 × 2; P3 none answered
    expected_jumlah = [6.0, 6.0, np.nan]
    np.testing.assert_allclose(scores["tahu"], expected_tahu, rtol=1e-12)
    # scores are stored rounded to 6 decimals (see evalkit.pipeline)
    np.testing.assert_allclose(scores["sikap"], np.round(expected_sikap, 6), rtol=1e-12)
    np.testing.assert_allclose(scores["jumlah"], expected_jumlah, rtol=1e-12)
    assert "catatan" not in scores.columns


def test_item_scores_reverse_and_keys(tiny):
    raw = _frame([["P1", "G", "b", "B", "a c", "b", "1", "1", "5", "1", "4", ""]])
    items = evalkit.pipeline.item_scores(tiny, validate_responses(raw, tiny, wave="pre"))
    assert items.loc[0, ["k1", "k2", "k3", "k4", "s1", "s2", "s3"]].tolist() == [1, 0, 1, 0, 1, 5, 5]


def test_normalize_codes():
    codes = pd.Series(["ab-01", " AB 01 ", "Ab_01", "ab.01", "AB/01", "AB02", None])
    out = normalize_codes(codes)
    assert out[:5].tolist() == ["AB01"] * 5 and out[5] == "AB02" and pd.isna(out[6])


def test_matching_ledger_states():
    pre = pd.DataFrame({
        "row": [2, 3, 4, 5, 6, 7],
        "participant": ["A1", "B2", "C3", "c-3", None, None],
        "group": ["G1", "G1", "G1", "G1", "G1", None],
        "status": ["ok", "ok", "ok", "ok", "invalid", "empty"],
    })
    post = pd.DataFrame({
        "row": [2, 3, 4],
        "participant": ["a 1", "C3", "D4"],
        "group": ["G1", "G1", "G2"],
        "status": ["ok", "ok", "ok"],
    })
    pairs, ledger = match_waves(pre, post)
    assert pairs[["row_pre", "row_post", "match"]].values.tolist() == [[2, 2, "exact"], [5, 3, "exact"]]
    assert not set(pairs["participant"]) & {"A1", "C3"}  # pseudonyms only
    states = dict(zip(zip(ledger["wave"], ledger["row"]), ledger["state"]))
    assert states == {
        ("pre", 2): "used", ("pre", 3): "unmatched", ("pre", 4): "duplicate", ("pre", 5): "used",
        ("pre", 6): "invalid", ("pre", 7): "empty",
        ("post", 2): "used", ("post", 3): "used", ("post", 4): "unmatched",
    }
    assert ledger.loc[(ledger["wave"] == "post") & (ledger["row"] == 4), "reason"].item() == \
        "tidak ada pasangan di gelombang pre"


def test_same_code_in_two_groups_are_two_people():
    frame = pd.DataFrame({"row": [2, 3], "participant": ["A1", "A1"], "group": ["G1", "G2"],
                          "status": ["ok", "ok"]})
    pairs, ledger = match_waves(frame, frame)
    assert len(pairs) == 2 and set(ledger["state"]) == {"used"}


def test_sample_ledger_reconciles_and_mess_is_counted(sample_analysis):
    summary = sample_analysis.ledger_summary.set_index("wave")
    assert summary["reconciles"].all()
    assert summary.loc["pre", "rows_read"] == 258 and summary.loc["post", "rows_read"] == 247
    assert summary.loc["post", "duplicate"] == 1          # the repeated submission
    assert summary.loc["pre", "unmatched"] == 12          # no post-test
    assert summary.loc["pre", "used"] == summary.loc["post", "used"] == 246
    # the two codes typed with swapped digits are matched, and listed as fuzzy
    assert (sample_analysis.ledger["match"] == "fuzzy").sum() == 4
    # codes retyped with other case, spaces or dashes still matched
    post = pd.read_csv(evalkit.bundled_sample("post"), sep=";", dtype=str, encoding="utf-8-sig")
    assert (post["kode_peserta"] != post["kode_peserta"].str.upper().str.replace(r"[ -]", "", regex=True)).sum() > 30


def _side(rows, codes, group="G1"):
    return pd.DataFrame({"row": rows, "participant": codes, "group": group, "status": "ok"})


def test_fuzzy_matching_one_edit_unambiguous():
    pre = _side([2, 3, 4, 5], ["SR07M", "AB12C", "TT01A", "XY99Z"])
    post = _side([2, 3, 4, 5], ["SR70M", "AB12", "TT01B", "QQ00Q"])  # transposition, deletion, substitution
    pairs, ledger = match_waves(pre, post, key="k" * 16)
    fuzzy = pairs[pairs["match"] == "fuzzy"]
    assert fuzzy[["row_pre", "row_post", "distance"]].values.tolist() == [[2, 2, 1], [3, 3, 1], [4, 4, 1]]
    pre_ledger = ledger[ledger["wave"] == "pre"].set_index("row")
    assert pre_ledger.loc[2, "state"] == "used" and pre_ledger.loc[2, "match"] == "fuzzy"
    assert "satu huruf" in pre_ledger.loc[2, "reason"]
    assert pre_ledger.loc[5, "state"] == "unmatched"


def test_fuzzy_matching_refuses_ambiguity_and_other_groups():
    pre = _side([2, 3], ["AB12C", "AB12D"])
    post = _side([2], ["AB12E"])  # one edit from both: ambiguous
    pairs, _ = match_waves(pre, post)
    assert pairs.empty
    pairs, _ = match_waves(_side([2], ["AB12C"]), _side([2], ["AB12D"], group="G2"))
    assert pairs.empty


def test_fuzzy_matching_off_and_approved_list():
    pre, post = _side([2, 3], ["SR07M", "AB12C"]), _side([7, 8], ["SR70M", "AB12"])
    assert (match_waves(pre, post, fuzzy=False)[0]).empty
    approved = pd.DataFrame({"row_pre": [3], "row_post": [8]})
    pairs, ledger = match_waves(pre, post, approved=approved)
    assert pairs[["row_pre", "row_post"]].values.tolist() == [[3, 8]]
    assert ledger.set_index(["wave", "row"]).loc[("pre", 2), "state"] == "unmatched"


def test_pseudonyms_are_keyed_and_stable():
    pre, post = _side([2], ["ab-01"]), _side([2], ["AB01"])
    one = match_waves(pre, post, key="a" * 16)[1]["participant"]
    two = match_waves(pre, post, key="a" * 16)[1]["participant"]
    other = match_waves(pre, post, key="b" * 16)[1]["participant"]
    assert one.tolist() == two.tolist() and one.iloc[0] == one.iloc[1] != other.iloc[0]
    assert one.iloc[0].startswith("P") and "AB01" not in one.iloc[0]
