"""The vectorized scoring and matching against plain per-row rules, on tricky small data."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

import evalkit
from evalkit.io import validate_responses
from evalkit.pipeline import STATES, match_waves, normalize_codes
from evalkit.privacy import pseudonymize
from evalkit.pipeline import item_scores, score

KEY = "0123456789abcdef"


@pytest.fixture(scope="module")
def bundled():
    q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    raw_pre, _ = evalkit.simulate(q, n_groups=4, seed=5, mess=True)
    pre = validate_responses(raw_pre, q, wave="pre")
    data = pre.data.copy()
    position = np.arange(len(data))
    data["status"] = np.where(position % 7 == 0, "invalid", np.where(position % 11 == 0, "empty", "ok"))
    return q, dataclasses.replace(pre, data=data)


def _item_rule(value, item) -> float:
    """One cell scored by the documented rules, in plain Python."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return np.nan
    if item.type in ("single_choice", "true_false"):
        return float(value == item.key[0])
    if item.type == "multi_select":
        chosen = set(str(value).split())
        if item.scoring == "exact":
            return float(chosen == set(item.key))
        return sum((c in chosen) == (c in item.key) for c in item.option_codes) / len(item.option_codes)
    if item.type == "likert" and item.reverse:
        return item.points + 1 - value
    return float(value)


def test_item_scores_follow_the_rules_cell_by_cell(bundled):
    q, responses = bundled
    items = item_scores(q, responses)
    ok = responses.data[responses.data["status"] == "ok"].reset_index(drop=True)
    assert items[["row", "participant", "group"]].equals(ok[["row", "participant", "group"]])
    scored = [i for i in q.items_for_wave("pre") if i.scale]
    assert list(items.columns[3:]) == [i.id for i in scored]
    assert any(i.type == "multi_select" and i.scoring == "partial" for i in scored)
    for item in scored:
        expected = [_item_rule(v, item) for v in ok[item.id].astype(object)]
        np.testing.assert_array_equal(items[item.id].to_numpy(), np.asarray(expected, dtype=float),
                                      err_msg=item.id)


def test_scale_scores_follow_the_rules_row_by_row(bundled):
    q, responses = bundled
    items, scores = item_scores(q, responses), score(q, responses)
    assert scores["row"].tolist() == items["row"].tolist()
    for scale in q.scales_for_wave("pre"):
        ids = [i.id for i in q.items_in(scale.id) if i.id in items.columns]
        expected = []
        for values in items[ids].itertuples(index=False):
            answered = [v for v in values if not np.isnan(v)]
            total = 0.0
            for v in answered:  # one after another, in item order: the rounded scores depend on it
                total += v
            if scale.scoring == "percent_correct":
                value = 100.0 * total / len(ids)
            else:
                value = total / len(answered) * (len(ids) if scale.scoring == "sum" else 1) if answered else np.nan
            enough = len(answered) >= np.ceil(scale.min_answered * len(ids) - 1e-9)
            expected.append(np.round(value, 6) if enough else np.nan)
        np.testing.assert_array_equal(scores[scale.id].to_numpy(), np.asarray(expected), err_msg=scale.id)


def _side(rows, codes, groups, status="ok"):
    return pd.DataFrame({"row": rows, "participant": pd.Series(codes, dtype=object),
                         "group": pd.Series(groups, dtype=object), "status": status})


@pytest.fixture
def waves():
    pre = _side([2, 3, 4, 5, 6, 7, 8], ["ab-01", "Ünï1", "C3", "c-3", None, None, "SR07M"],
                ["G1", "G1", "G1", "G1", "G1", None, "G2"], ["ok", "ok", "ok", "ok", "invalid", "empty", "ok"])
    post = _side([2, 3, 4, 5, 6], ["AB01", "ÜNÏ 1", "C3", "SR70M", "ZZ9"], ["G1", "G1", "G1", "G2", "G3"])
    return pre, post


def test_ledger_of_tricky_rows(waves):
    pre, post = waves
    pairs, ledger = match_waves(pre, post, key=KEY)
    assert pairs[["row_pre", "row_post", "match", "distance"]].values.tolist() == [
        [2, 2, "exact", 0], [3, 3, "exact", 0], [5, 4, "exact", 0], [8, 5, "fuzzy", 1]]
    assert ledger["wave"].tolist() == ["pre"] * 7 + ["post"] * 5
    assert ledger["row"].tolist() == pre["row"].tolist() + post["row"].tolist()
    assert ledger["state"].tolist() == ["used", "used", "duplicate", "used", "invalid", "empty", "used",
                                        "used", "used", "used", "used", "unmatched"]
    assert ledger["match"].tolist() == ["exact", "exact", "", "exact", "", "", "fuzzy",
                                        "exact", "exact", "exact", "fuzzy", ""]
    np.testing.assert_array_equal(ledger["pair_row"], [2, 3, np.nan, 4, np.nan, np.nan, 5, 2, 3, 5, 8, np.nan])
    codes = pd.concat([pre["participant"], post["participant"]], ignore_index=True)
    expected = pseudonymize(normalize_codes(codes), KEY)
    assert ledger["participant"].isna().tolist() == expected.isna().tolist()
    assert ledger["participant"].dropna().tolist() == expected.dropna().tolist()
    assert pairs["participant"].tolist() == ledger["participant"].iloc[[0, 1, 3, 6]].tolist()


def test_ledger_text_columns_write_as_plain_text(waves):
    _, ledger = match_waves(*waves, key=KEY)
    assert set(ledger["state"].cat.categories) == set(STATES)
    plain = ledger.astype({c: object for c in ("wave", "state", "match", "reason")})
    assert ledger.to_csv(index=False) == plain.to_csv(index=False)
    summary = evalkit.pipeline.ledger_summary(ledger, {"pre": 7, "post": 5})
    assert summary["reconciles"].all() and summary["unmatched"].tolist() == [0, 1]


def test_waves_sharing_a_name_and_empty_waves(waves):
    pre, post = waves
    _, ledger = match_waves(pre, post, pre_wave="w", post_wave="w", key=KEY)
    assert ledger["wave"].tolist() == ["w"] * 12
    pairs, ledger = match_waves(pre.iloc[:0], post, key=KEY)
    assert pairs.empty and ledger["state"].tolist() == ["unmatched"] * 5


def test_matching_without_the_pyarrow_fast_path_gives_the_same_ledger(waves, monkeypatch):
    waves = [w.assign(participant=w["participant"].replace({"Ünï1": "u-1", "ÜNÏ 1": "U1"})) for w in waves]
    with_arrow = match_waves(*waves, key=KEY)[1]  # ASCII codes: normalized in pyarrow
    # pandas itself may need pyarrow here; what evalkit runs only with it is the code normalizer.
    monkeypatch.setattr(evalkit.pipeline._matching, "_ascii_arrow", lambda values: None)
    pd.testing.assert_frame_equal(match_waves(*waves, key=KEY)[1], with_arrow)


def test_ascii_normalizer_equals_the_pandas_path_on_random_codes():
    """Only codes with a lower-case letter or a separator are rewritten; the result is the
    pandas path's for every ASCII code, missing values included."""
    from evalkit.pipeline._matching import _normalize_ascii

    rng = np.random.default_rng(3)
    alphabet = list("ABCxyz019 -._/\t\x1f#@é"[:-1])  # ASCII only
    codes = ["".join(rng.choice(alphabet, size=rng.integers(0, 7))) for _ in range(3000)]
    series = pd.Series(codes + [None, np.nan, "AB01", "ab-01"], dtype=object)
    fast = _normalize_ascii(series)
    slow = series.astype("string").str.upper().str.replace(r"[\s\-._/]+", "", regex=True).astype(object)
    assert fast.isna().tolist() == slow.isna().tolist()
    assert fast.dropna().tolist() == slow.dropna().tolist()
    assert fast.iloc[-2:].tolist() == ["AB01", "AB01"]


def test_fuzzy_pairs_equal_a_brute_force_search_on_random_codes():
    """The integer join on deletion variants finds exactly the pairs a comparison of every
    pre row with every post row of its group finds: one edit apart, and each row's only
    such candidate."""
    from evalkit.pipeline import fuzzy_pairs, osa_distance

    rng = np.random.default_rng(5)
    for _ in range(60):
        sides = []
        for groups, n in ((["G1", "G2", "G3"], rng.integers(0, 40)), (["G1", "G2", "G4"], rng.integers(0, 40))):
            sides.append(pd.DataFrame({"group": rng.choice(groups, n),
                                       "key": ["".join(rng.choice(list("ABC12"), size=rng.integers(1, 5)))
                                               for _ in range(n)],
                                       "row": rng.permutation(1000)[:n] + 2}))
        pre, post = sides
        near = [(a.row, b.row) for a in pre.itertuples() for b in post.itertuples()
                if a.group == b.group and osa_distance(a.key, b.key) == 1]
        once_pre = pd.Series([a for a, _ in near]).value_counts()
        once_post = pd.Series([b for _, b in near]).value_counts()
        expected = sorted((a, b) for a, b in near if once_pre[a] == 1 and once_post[b] == 1)
        found = fuzzy_pairs(pre, post)
        assert sorted(zip(found["row_pre"], found["row_post"])) == expected
        assert (found["distance"] == 1).all() and (found["match"] == "fuzzy").all()


def test_byte_normalizer_on_a_slice_with_missing_values():
    """The normalizer reads the array's buffers: a slice (offset into them) and missing
    values give the same codes as the pandas path."""
    pa = pytest.importorskip("pyarrow")
    from evalkit.pipeline._matching import _normalized

    codes = ["zz", "ab-01", None, " Ab_01/", "", "AB01", "x.y"]
    normalized, changed = _normalized(pa.array(codes, type=pa.string())[1:])
    assert normalized.to_pylist() == ["AB01", None, "AB01", "", "AB01", "XY"]
    assert changed.tolist() == [0, 2, 5]


def test_pair_groups_sort_like_pandas_factorize():
    """gains() takes each pair's group code from matching and sorts only the groups with
    pairs; codes and labels equal pandas.factorize(sort=True) of the pairs' group texts,
    with missing groups among the rows and labels of any script."""
    from evalkit.pipeline import find_pairs as _find_pairs

    rng = np.random.default_rng(1)
    names = ["".join(rng.choice(list("aBcÉé9 10_-Ωz"), size=rng.integers(1, 4))) for _ in range(30)]
    for _ in range(20):
        n = 300
        codes = [f"P{i:03d}" for i in rng.integers(0, 200, n)]
        sides = []
        for _side in range(2):
            group = pd.Series(rng.choice(names, n), dtype="str")
            group[rng.random(n) < 0.05] = np.nan
            status = np.where(group.isna(), "invalid", "ok")
            sides.append(pd.DataFrame({"row": np.arange(n) + 2, "participant": rng.permutation(codes),
                                       "group": group, "status": status}))
        found = _find_pairs(*sides, fuzzy=True, approved=None)
        code, labels = found.pair_groups()
        expected_code, expected_labels = pd.factorize(found.pairs["group"], sort=True)
        assert list(labels) == list(expected_labels)
        np.testing.assert_array_equal(code, expected_code)
