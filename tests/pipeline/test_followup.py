"""The follow-up wave through the pipeline (issue #16, item 1): matching to the participants
with the rules of the pre/post matching, the ledger per wave, the long ``waves`` table, the
CLI's --followup and the three-column participant flow."""

from __future__ import annotations

from unittest import mock

import numpy as np
import pandas as pd
import pytest

import evalkit
from evalkit import charts
from evalkit.cli import main
from evalkit.report import participant_flow

KEY = "0123456789abcdef"
pytestmark = pytest.mark.filterwarnings("ignore::evalkit.EvalkitWarning")


def _raw(wave: str) -> pd.DataFrame:
    sep = ";" if wave == "post" else None
    return pd.read_csv(evalkit.bundled_sample(wave), sep=sep, engine="python", dtype=str, encoding="utf-8-sig")


def _typo(code: str) -> str:
    """One substitution in the first character (A -> B ...): one edit away."""
    return ("B" if code[0] != "B" else "C") + code[1:]


@pytest.fixture(scope="module")
def followup(q):
    """Follow-up answers of the first 40 pre-test participants, as typed in the field:

    row 2..36: 35 codes as in the pre-test, written lower-case with a dash (normalized equal);
    row 37: a one-character slip in a pre-test code (fuzzy); rows 38-39: one person twice
    (the first is a duplicate); row 40: a code nobody has (unmatched); row 41: no code
    (invalid); row 42: an empty row."""
    pre = _raw("pre")
    people = pre[[q.id_column, q.group_column]].iloc[:40].reset_index(drop=True)
    codes = [c.lower()[:2] + "-" + c.lower()[2:] for c in people[q.id_column][:35]]
    codes += [_typo(people[q.id_column][35]), people[q.id_column][36], people[q.id_column][36], "ZZ99Q", ""]
    groups = list(people[q.group_column][:37]) + [people[q.group_column][36], people[q.group_column][0],
                                                    people[q.group_column][0]]
    table = pd.DataFrame({q.id_column: codes, q.group_column: groups})
    rng = np.random.default_rng(3)
    for item in q.items_for_wave("followup"):
        table[item.id] = rng.integers(1, 6, len(table)).astype(str)
    blank = pd.DataFrame({c: [""] for c in table.columns})
    return pd.concat([table, blank], ignore_index=True)


@pytest.fixture(scope="module")
def three(q, followup):
    return evalkit.analyze(q, evalkit.bundled_sample("pre"), evalkit.bundled_sample("post"), followup=followup,
                           key=KEY, strict=False)  # lenient: the row without a code is logged, not fatal


@pytest.fixture(scope="module")
def two(q):
    return evalkit.analyze(q, evalkit.bundled_sample("pre"), evalkit.bundled_sample("post"), key=KEY)


def _ledger(a, wave):
    return a.ledger[a.ledger["wave"] == wave].set_index("row")


def test_followup_rows_matched_with_the_pre_post_rules(three, q):
    led = _ledger(three, "followup")
    assert led.loc[2:36, "state"].eq("used").all() and led.loc[2:36, "match"].eq("exact").all()
    assert led.loc[37, ["state", "match", "distance"]].tolist() == ["used", "fuzzy", 1.0]
    assert led.loc[38, "state"] == "duplicate" and led.loc[39, "state"] == "used"
    assert led.loc[40, "state"] == "unmatched"
    assert led.loc[41, "state"] == "invalid"
    assert led.loc[42, "state"] == "empty"
    # Each used follow-up row points at its participant's pre-test row (rows 2.. of the file).
    assert led.loc[[2, 36, 37, 39], "pair_row"].tolist() == [2.0, 36.0, 37.0, 38.0]


def test_ledger_reconciles_per_wave_and_pre_post_rows_unchanged(three, two):
    summary = three.ledger_summary.set_index("wave")
    assert summary.index.tolist() == ["pre", "post", "followup"]
    assert summary["reconciles"].all()
    assert summary.loc["followup", ["rows_read", "used", "duplicate", "unmatched", "invalid", "empty"]].tolist() \
        == [41, 37, 1, 1, 1, 1]
    first = three.ledger[three.ledger["wave"].isin(["pre", "post"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(first.astype({"participant": object, "reason": object}),
                                  two.ledger.astype({"participant": object, "reason": object}))


def test_waves_table_holds_every_wave_with_the_matched_pseudonyms(three, q):
    w = three.waves
    assert list(w.columns) == ["group", "participant", "scale", "wave", "score"]
    assert w["wave"].cat.ordered and list(w["wave"].cat.categories) == ["pre", "post", "followup"]
    # pre/post scores are those of the matched table, participant by participant
    for wave in ("pre", "post"):
        mine = w[w["wave"] == wave].astype({"participant": object, "scale": object})
        theirs = three.matched.dropna(subset=[wave]).astype({"participant": object, "scale": object})
        merged = theirs.merge(mine, on=["participant", "scale"], how="left", validate="1:1")
        np.testing.assert_array_equal(merged["score"], merged[wave])
    # the follow-up score of a person is the scale score of their follow-up row
    fu = w[w["wave"] == "followup"]
    assert {"tindakan"} <= set(fu["scale"]) <= {s.id for s in three.questionnaire.scales if "followup" in s.waves}
    fu = fu[fu["scale"] == "tindakan"]
    led = _ledger(three, "followup")
    used = led[led["state"] == "used"]
    scores = three.scores_followup.set_index("row")["tindakan"]
    pre_people = _ledger(three, "pre")["participant"].astype(object)
    expected = dict(zip(pre_people.loc[used["pair_row"].astype(int)], scores.loc[used.index]))
    assert dict(zip(fu["participant"].astype(object), fu["score"])) == expected
    assert len(fu) == 37


def test_without_followup_waves_is_pre_and_post_of_the_matched(two):
    assert two.followup is None and two.scores_followup is None
    assert two.waves["participant"].dtype == two.matched["participant"].dtype  # the same pseudonyms
    assert list(two.waves["wave"].cat.categories) == ["pre", "post"]
    long = two.matched.melt(id_vars=["group", "participant", "scale"], value_vars=["pre", "post"],
                            var_name="wave", value_name="score").dropna(subset=["score"])
    # the scales asked at both waves are the matched table's; a scale asked once (kepuasan,
    # post only) is there too, at its wave
    both = two.waves[two.waves["scale"].isin(two.matched["scale"].unique())]
    assert set(two.waves["scale"]) - set(both["scale"]) == {"kepuasan"}
    assert len(long) == len(both)
    key = ["participant", "scale", "wave"]
    left = both.astype({c: object for c in key}).sort_values(key).reset_index(drop=True)
    right = long.astype({c: object for c in key}).sort_values(key).reset_index(drop=True)
    np.testing.assert_array_equal(left["score"], right["score"])


def test_read_responses_of_the_followup_wave(q, followup):
    r = evalkit.io.as_responses(followup, q, wave="followup", strict=False)
    assert r.wave == "followup" and set(i.id for i in q.items_for_wave("followup")) <= set(r.data.columns)


def test_flow_chart_three_columns_with_the_ledger_counts(three, two, q):
    summary = three.ledger_summary.set_index("wave")
    text = "\n".join(t.get_text() for t in charts.participant_flow(participant_flow(three), q).texts)
    for wave, name in (("pre", "Pre-test"), ("post", "Post-test"), ("followup", "Tindak lanjut")):
        assert f"{name}\n{summary.loc[wave, 'rows_read']} baris dibaca" in text
    assert "Dikeluarkan (4):\nbaris kosong: 1\nkode/kelompok tidak sah: 1\nkiriman ganda: 1\ntanpa pasangan: 1" \
        in text
    assert f"peserta pre-test: {summary.loc['followup', 'used']} peserta" in text
    two_text = [t.get_text() for t in charts.participant_flow(participant_flow(two), q).texts]
    assert sum("baris dibaca" in t for t in two_text) == 2 and not any("Tindak lanjut" in t for t in two_text)


def test_cli_report_passes_the_followup(tmp_path, followup, capsys, q):
    path = tmp_path / "tindak_lanjut.csv"
    followup.to_csv(path, index=False)
    with mock.patch("evalkit.report.write_report", return_value=tmp_path / "out") as write:
        code = main(["report", str(evalkit.bundled_questionnaire()), "--pre", str(evalkit.bundled_sample("pre")),
                     "--post", str(evalkit.bundled_sample("post")), "--followup", str(path),
                     "--out", str(tmp_path / "out"), "--lenient"])
    assert code == 0
    analysis = write.call_args.args[0]
    assert analysis.followup.wave == "followup" and analysis.followup.rows_read == 41
    assert "followup: 41 baris dibaca = 37 dipakai + 1 ganda + 1 tanpa pasangan" in capsys.readouterr().out


def test_cli_missing_followup_file_is_a_data_error(tmp_path, capsys):
    code = main(["report", str(evalkit.bundled_questionnaire()), "--pre", str(evalkit.bundled_sample("pre")),
                 "--post", str(evalkit.bundled_sample("post")), "--followup", str(tmp_path / "nope.csv"),
                 "--out", str(tmp_path / "out")])
    assert code == 1
    assert "nope.csv" in capsys.readouterr().err


def test_approved_followup_list_keeps_only_the_reviewed_fuzzy_matches(q, followup):
    kwargs = dict(followup=followup, key=KEY, strict=False)
    rejected = evalkit.analyze(q, evalkit.bundled_sample("pre"), evalkit.bundled_sample("post"),
                               approved_followup=pd.DataFrame({"row_pre": [], "row_followup": []}, dtype=int),
                               **kwargs)
    assert _ledger(rejected, "followup").loc[37, "state"] == "unmatched"
    kept = evalkit.analyze(q, evalkit.bundled_sample("pre"), evalkit.bundled_sample("post"),
                           approved_followup=pd.DataFrame({"row_pre": [37], "row_followup": [37]}), **kwargs)
    assert _ledger(kept, "followup").loc[37, ["state", "match"]].tolist() == ["used", "fuzzy"]


def test_followup_rows_keep_the_ledgers_pseudonyms():
    """A follow-up code already in the ledger (a pre-test participant's, or a post-test-only
    row's) keeps its pseudonym there; only a code new to the ledger is appended."""
    from evalkit.pipeline import match_followup, match_waves, stack_ledgers
    from evalkit.privacy import pseudonymize

    def rows(codes):
        return pd.DataFrame({"row": range(2, 2 + len(codes)), "participant": codes, "group": "G1", "status": "ok"})

    pre, post, later = rows(["AB1", "CD2"]), rows(["AB1", "EF3"]), rows(["ab-1", "EF3", "GH4"])
    pairs, ledger = match_waves(pre, post, key=KEY)
    fu_pairs, fu_rows = match_followup(ledger, pre, later, anchor_wave="pre", later_wave="followup", key=KEY)
    assert fu_rows["state"].tolist() == ["used", "unmatched", "unmatched"]
    both = stack_ledgers(ledger, fu_rows)
    people = both["participant"].astype(object).tolist()
    # The independent route: each normalized code pseudonymized on its own with the key.
    expected = pseudonymize(pd.Series(["AB1", "CD2", "AB1", "EF3", "AB1", "EF3", "GH4"]), KEY).tolist()
    assert people == expected
    categories = both["participant"].cat.categories
    assert categories.is_unique and len(categories) == 4
    assert list(categories[:3]) == list(ledger["participant"].cat.categories)  # the ledger's first
    assert fu_pairs["participant"].astype(object).tolist() == [expected[0]]


def test_stack_ledgers_by_codes_equals_the_union_of_categoricals():
    from pandas.api.types import union_categoricals

    from evalkit.pipeline import stack_ledgers

    a = pd.DataFrame({"participant": pd.Categorical(["x", "y", None]), "wave": pd.Categorical(["pre"] * 3)})
    extended = pd.Categorical(["z", "x", None], categories=["x", "y", "z"])  # a's categories, then new
    other = pd.Categorical(["z", "x", None])  # categories of its own
    for b in (extended, other):
        got = stack_ledgers(a, pd.DataFrame({"participant": b, "wave": pd.Categorical(["followup"] * 3)}))
        want = union_categoricals([a["participant"], pd.Series(b)])
        assert got["participant"].astype(object).tolist()[:5] == list(want.astype(object))[:5]
        assert list(got["participant"].cat.categories) == ["x", "y", "z"]
        assert got["wave"].astype(str).tolist() == ["pre"] * 3 + ["followup"] * 3


@pytest.mark.parametrize("rows", [np.arange(2, 12), np.array([2, 3, 5, 8, 13, 21]), np.array([5, 2, 9, 4]),
                                  np.array([2, 10_000, 20_000])])
def test_positions_by_look_up_search_or_hash_agree(rows):
    from evalkit.pipeline._matching import positions

    wanted = np.random.default_rng(1).permutation(rows)[: len(rows) - 1]
    np.testing.assert_array_equal(positions(rows, wanted), pd.Index(rows).get_indexer(wanted))
