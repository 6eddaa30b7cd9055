"""The network chart: nodes and edges drawn equal the network review's tables, small groups
have neither, labels follow the language switch (no image comparison)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import LineCollection, PathCollection

import evalkit
from evalkit.charts import PALETTE, network_chart
from evalkit.privacy import find_suppressed
from evalkit.review import network_review


@pytest.fixture(scope="module")
def review(q):
    return network_review(q, evalkit.bundled_sample("pre"), evalkit.bundled_sample("followup"))


def _drawn(ax):
    nodes = next(c for c in ax.collections if isinstance(c, PathCollection))
    lines = [c for c in ax.collections if isinstance(c, LineCollection)]
    labels = {t.get_text(): t.get_position() for t in ax.texts}
    return nodes.get_offsets(), (lines[0].get_segments() if lines else []), lines, labels


def test_nodes_and_edges_equal_the_tables(q, review):
    before, after = network_chart(review, q)
    assert before.figure is after.figure and tuple(before.figure.get_size_inches()) == pytest.approx((6.3, 3.9))
    for ax, wave in ((before, "pre"), (after, "followup")):
        offsets, segments, lines, labels = _drawn(ax)
        assert len(offsets) == 10 and set(labels) == {g.code for g in q.groups}
        edges = review.edges[review.edges["wave"] == wave]
        assert len(segments) == len(edges)
        # each segment joins the two labelled nodes of an edge of the table
        ends = {frozenset(map(tuple, np.round(s, 9))) for s in segments}
        expected = {frozenset((tuple(np.round(labels[a], 9)), tuple(np.round(labels[b], 9))))
                    for a, b in zip(edges["group_a"], edges["group_b"])}
        assert ends == expected
        assert np.allclose(lines[0].get_colors()[0][:3], plt.matplotlib.colors.to_rgb(
            PALETTE["pre" if wave == "pre" else "post"]))
    assert before.get_title(loc="left").startswith("Sebelum pelatihan (pre-test)\nkepadatan 0,22")
    assert after.get_title(loc="left").startswith("Tindak lanjut")
    assert before.figure._suptitle.get_text().startswith("Jejaring kerja sama antarkelompok")


def test_small_groups_have_no_node_and_no_edge(q, review):
    hidden_rows = find_suppressed(review.summary, k=16, by=("wave",))
    hidden = set(review.summary.loc[hidden_rows & (review.summary["group"] != "ALL"), "group"])
    assert len(hidden) >= 2  # a small group and its complementary partner
    before, after = network_chart(review, q, min_group_size=16, lang="en")
    for ax in (before, after):
        offsets, segments, _, labels = _drawn(ax)
        assert len(offsets) == 10 - len(hidden) and not hidden & set(labels)
        shown = {tuple(np.round(p, 9)) for p in offsets}
        assert all(tuple(np.round(end, 9)) in shown for s in segments for end in s)  # edges only between shown nodes
    note = before.figure._supxlabel.get_text()
    assert f"{len(hidden)} group(s) not shown separately (fewer than 16 participants" in note.replace("\n", " ")
    assert before.get_title(loc="left").startswith("Before the training (pre-test)\ndensity 0.22")


def test_on_the_callers_axes_and_when_nothing_may_be_shown(q, review):
    fig, pair = plt.subplots(1, 2)
    assert network_chart(review, q, axes=pair) == list(pair)
    assert fig._suptitle is None
    empty = network_chart(review, q, min_group_size=10_000)
    assert all(not ax.axison and ax.texts[0].get_text() == "Tidak ada data untuk ditampilkan" for ax in empty)
