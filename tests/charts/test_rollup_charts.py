"""Roll-up charts: drawn geometry against the tables, and no overlapping labels at 3,000 groups."""

from __future__ import annotations

import itertools

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from evalkit import charts
from evalkit.privacy import find_suppressed

PROVINCES = [f"Provinsi Nomor {i:02d}" for i in range(34)]


@pytest.fixture(scope="module")
def national():
    """300 trainings over 34 provinces and 5 years, 10 groups each: 3,000 groups."""
    rng = np.random.default_rng(5)
    t = pd.DataFrame({"training": [f"PRV{i % 34:02d}-{2022 + i % 5}-{i:03d}" for i in range(300)],
                      "province": [PROVINCES[i % 34] for i in range(300)], "year": [2022 + i % 5 for i in range(300)],
                      "scale": "s", "n": rng.integers(60, 400, 300)})
    t["sd_diff"] = rng.uniform(12, 18, 300)
    t["mean_diff"] = rng.normal(10 + 0.5 * (t["year"] - 2022), 2, 300) + np.where(np.arange(300) < 4, 15, 0)
    half = 1.97 * t["sd_diff"] / np.sqrt(t["n"])
    t["ci_low"], t["ci_high"] = t["mean_diff"] - half, t["mean_diff"] + half
    g = t.loc[t.index.repeat(10), ["training", "province", "year", "scale"]].reset_index(drop=True)
    g["group"] = [f"G{j + 1:02d}" for j in range(10)] * 300
    g["n"] = rng.integers(3, 40, 3000)
    g["mean_diff"] = rng.normal(10, 5, 3000)
    g["ci_low"], g["ci_high"] = g["mean_diff"] - 4, g["mean_diff"] + 4
    meta = pd.DataFrame({"level": ["national", "province", *["year"] * 5], "measure": "MD", "scale": "s",
                         "province": [None, PROVINCES[0], *[None] * 5], "year": [np.nan, np.nan, *range(2022, 2027)],
                         "k": [300, 9, *[60] * 5], "estimate": [11.0, 10.5, 10, 10.5, 11, 11.5, 12],
                         "ci_low": [10.5, 9.0, 9, 9.5, 10, 10.5, 11], "ci_high": [11.5, 12.0, 11, 11.5, 12, 12.5, 13],
                         "pi_low": [6.0, 7.0, *[np.nan] * 5], "pi_high": [16.0, 14.0, *[np.nan] * 5]})
    trend = pd.DataFrame({"measure": "MD", "scale": "s", "term": ["intercept", "year"], "estimate": [10.0, 0.5],
                          "ci_low": [9.0, 0.2], "ci_high": [11.0, 0.8], "center": 2022})
    return t, g, meta, trend


def _texts(fig):
    """Every visible, non-empty text of a drawn figure with its box in pixels (an annotation's
    text alone, without the line to its point)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    # Tick objects outside the view limits exist but are not drawn.
    undrawn = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            undrawn |= {id(label) for tick in axis.get_major_ticks() + axis.get_minor_ticks()
                        if not low <= tick.get_loc() <= high for label in (tick.label1, tick.label2)}
    out = []
    for artist in fig.findobj(plt.Text):
        shown = (artist.get_visible() and id(artist) not in undrawn
                 and (artist.axes is None or (artist.axes.get_visible() and artist.axes.axison)))
        if shown and artist.get_text().strip():
            out.append((artist.get_text(), plt.Text.get_window_extent(artist, renderer)))
    return out


def _overlaps(fig) -> list[tuple[str, str]]:
    boxes = _texts(fig)
    return [(a, b) for (a, p), (b, q) in itertools.combinations(boxes, 2)
            if p.width > 0 and q.width > 0 and p.overlaps(q)
            and min(p.x1, q.x1) - max(p.x0, q.x0) > 0.5 and min(p.y1, q.y1) - max(p.y0, q.y0) > 0.5]


def test_caterpillar_of_3000_groups_labels_only_extremes_without_overlap(national):
    _, groups, _, _ = national
    ax = charts.caterpillar(groups, scale="s", extremes=5)
    hidden = int(find_suppressed(groups, k=5, by=("training", "scale")).sum())
    assert hidden > 0
    assert len(ax.collections[0].get_segments()) == 3000 - hidden
    labels = [t.get_text() for t in ax.texts if "·" in t.get_text()]
    shown = groups[~find_suppressed(groups, k=5, by=("training", "scale")).to_numpy()].sort_values(
        "mean_diff", kind="stable")
    assert labels[:5] == [f"{r.training} · {r.group}" for r in shown.iloc[::-1].head(5).itertuples()]
    assert labels[5:] == [f"{r.training} · {r.group}" for r in shown.head(5).itertuples()]
    assert _overlaps(ax.figure) == []


def test_funnel_marks_the_outliers_and_labels_do_not_overlap(national):
    trainings, _, meta, _ = national
    ax = charts.funnel(trainings, meta, scale="s", labelled=6)
    labelled = {t.get_text() for t in ax.texts if t.get_text() in set(trainings["training"])}
    assert set(trainings["training"].head(4)) <= labelled  # the planted outliers
    assert _overlaps(ax.figure) == []


def test_forest_draws_trainings_diamond_and_prediction_interval(national):
    trainings, _, meta, _ = national
    ax = charts.training_forest(trainings, meta, scale="s", province=PROVINCES[0], unit="% benar")
    rows = trainings[trainings["province"] == PROVINCES[0]].sort_values("mean_diff")
    segments = ax.collections[0].get_segments()
    np.testing.assert_allclose([s[0][0] for s in segments], rows["ci_low"])
    diamond = ax.patches[0].get_xy()
    np.testing.assert_allclose(sorted(set(diamond[:, 0])), [9.0, 10.5, 12.0])
    pi = [c for c in ax.collections[1:] if hasattr(c, "get_segments") and len(c.get_segments()) == 1
          and np.allclose(c.get_segments()[0][:, 1], -0.4)][0]
    np.testing.assert_allclose(pi.get_segments()[0][:, 0], [7.0, 14.0])
    assert _overlaps(ax.figure) == []


def test_province_multiples_and_trend_are_readable(national):
    trainings, _, meta, trend = national
    fig = charts.province_multiples(trainings, meta, scale="s")
    assert len([a for a in fig.axes if a.get_visible() and a.axison]) == 34
    assert _overlaps(fig) == []
    ax = charts.year_trend(trainings, meta, trend, scale="s", lang="en")
    assert "trend: +0.50 per year" in " ".join(t.get_text() for t in ax.texts)
    assert _overlaps(ax.figure) == []


def test_labels_are_indonesian_by_default_and_english_on_request(national):
    trainings, _, meta, _ = national
    ax = charts.funnel(trainings, meta, scale="s")
    assert ax.get_xlabel() == "Peserta berpasangan dalam pelatihan (n)"
    ax = charts.funnel(trainings, meta, scale="s", lang="en")
    assert ax.get_xlabel() == "Matched participants in the training (n)"
