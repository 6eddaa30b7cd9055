"""The simulated follow-up wave and network answers: their own random streams (the pinned
pre/post sample is unchanged), and the analysis recovers the documented true values."""

from __future__ import annotations

import io
import warnings

import numpy as np
import pandas as pd
import pytest

import evalkit
from evalkit.review import behaviour_shares, change_agents, network_review
from evalkit.simulate import BEHAVIOUR_SHARES, DROPOUT, NETWORK, RETENTION


@pytest.fixture(scope="module")
def waves(q):
    # 600 participants: the tolerances below are about 2.5 standard errors at this size
    return evalkit.simulate(q, n_per_group=(60, 60), seed=7, followup=True)


def test_pre_and_post_do_not_depend_on_the_followup(q):
    pre, post = evalkit.simulate(q, seed=3)
    pre3, post3, followup = evalkit.simulate(q, seed=3, followup=True)
    pd.testing.assert_frame_equal(pre, pre3)
    pd.testing.assert_frame_equal(post, post3)
    assert list(followup.columns) == [q.id_column, q.group_column, *q.personal_columns, "waktu_isi",
                                      *(i.id for i in q.items_for_wave("followup"))]


def test_the_sample_followup_file_is_the_documented_seed(q):
    *_, followup = evalkit.simulate(q, seed=2026, followup=True)
    buffer = io.StringIO()
    followup.to_csv(buffer, index=False, lineterminator="\n")
    assert buffer.getvalue() == evalkit.bundled_sample("followup").read_text(encoding="utf-8")
    pre = pd.read_csv(evalkit.bundled_sample("pre"), dtype=str, keep_default_na=False)
    assert list(pre.columns).index("jejaring") == list(pre.columns).index("i05") + 1


def test_dropout_and_behaviour_shares_are_recovered(q, waves):
    pre, _, followup = waves
    assert abs(1 - len(followup) / len(pre) - DROPOUT) < 0.05
    shares = behaviour_shares(q, followup).query("group == 'ALL'").set_index("item")["share"]
    truth = {i.id: BEHAVIOUR_SHARES[j % 4] for j, i in enumerate(q.items_in("tindakan"))}
    np.testing.assert_allclose(shares[list(truth)], list(truth.values()), atol=0.06)
    agents = change_agents(q, followup).set_index("group").loc["ALL", "share"]
    never = np.prod([1 - truth[i.id] for i in q.items_in("tindakan") if i.action])
    assert abs(agents - (1 - never)) < 0.06


def test_network_truth_is_recovered(q, waves):
    pre, _, followup = waves
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", evalkit.EvalkitWarning)
        review = network_review(q, pre, followup)
    k = len(q.item("jejaring").institutions)
    expected = {w: NETWORK["other_groups"][w] + NETWORK["own"][w] + k * NETWORK["institution"][w]
                for w in ("pre", "followup")}
    assert (round(expected["pre"], 12), round(expected["followup"], 12)) == (0.945, 2.03)  # as documented
    pooled = review.summary.query("group == 'ALL'").set_index("wave")["ties_per_participant"]
    np.testing.assert_allclose(pooled[["pre", "followup"]], [expected["pre"], expected["followup"]], atol=0.12)
    change = review.change.set_index("group").loc["ALL"]
    assert abs(change["mean_diff"] - (expected["followup"] - expected["pre"])) < 0.15
    assert change["p"] < 1e-10


def test_partial_decay_is_recovered(q, waves):
    """Likert scales: the follow-up keeps about RETENTION of the pre -> post gain (rounding to
    points bends the latent line a little, hence 0.1)."""
    pre, post, followup = waves
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", evalkit.EvalkitWarning)
        scores = {w: evalkit.score(q, t, wave=w) for w, t in (("pre", pre), ("post", post), ("followup", followup))}
    ratios = []
    for scale in ("sikap", "mengenali", "mengadvokasi", "melindungi", "partisipasi"):
        means = {w: s[scale].mean() for w, s in scores.items()}
        ratios.append((means["followup"] - means["pre"]) / (means["post"] - means["pre"]))
    assert abs(np.mean(ratios) - RETENTION) < 0.1, ratios
