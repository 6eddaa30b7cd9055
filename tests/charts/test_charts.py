"""Charts: every chart renders on the bundled sample, at A4 size, with questionnaire labels and
geometry that equals the tables (no image comparison)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from evalkit import ALL_GROUPS, charts
from evalkit._numbers import interval, number, p_value, percent
from evalkit.report import item_correct, likert_distribution, participant_flow
from evalkit.privacy import find_suppressed, suppress


@pytest.fixture(scope="session")
def tables(sample_analysis):
    return {"items": item_correct(sample_analysis), "likert": likert_distribution(sample_analysis),
            "flow": participant_flow(sample_analysis)}


@pytest.fixture(scope="session")
def drawn(sample_analysis, q, tables):
    """Every chart drawn once for the session (Indonesian)."""
    a = sample_analysis
    return {
        "prepost": charts.prepost(a.gains, q, scale="pengetahuan"),
        "gain": charts.gain_forest(a.gains, q, scale="sikap"),
        "paired": charts.paired_lines(a.matched, q, scale="pengetahuan"),
        "likert": charts.likert_bars(tables["likert"], q, scale="sikap"),
        "heatmap": charts.item_heatmap(tables["items"], q, scale="pengetahuan"),
        "flow": charts.participant_flow(tables["flow"], q),
        "rc": charts.reliable_change(a.change, q, scale="pengetahuan"),
        "multiples": charts.small_multiples(a.gains, q),
    }


def _texts(ax):
    fig = ax if hasattr(ax, "axes") and not hasattr(ax, "get_yticklabels") else ax.figure
    return " ".join(t.get_text() for t in fig.findobj(lambda o: hasattr(o, "get_text")))


def test_forest_points_and_whiskers_equal_the_table(drawn, sample_analysis, q):
    ax = drawn["gain"]
    rows = sample_analysis.gains[sample_analysis.gains["scale"] == "sikap"]
    points = ax.collections[-1].get_offsets()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(points) == len(rows)
    for (x, y), label in zip(points, labels):
        group = next(g for g in rows["group"] if (q.group_label(g, "id") if g != ALL_GROUPS
                                                  else "Semua kelompok") in label.replace("\n", " "))
        row = rows[rows["group"] == group].iloc[0]
        assert x == pytest.approx(row["mean_diff"])
    segments = ax.collections[0].get_segments()
    assert sorted(s[0][0] for s in segments) == pytest.approx(sorted(rows["ci_low"]))
    assert sorted(s[1][0] for s in segments) == pytest.approx(sorted(rows["ci_high"]))


def test_prepost_orders_groups_by_gain_with_labels_from_questionnaire(drawn, sample_analysis, q):
    ax = drawn["prepost"]
    labels = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    rows = sample_analysis.gains[(sample_analysis.gains["scale"] == "pengetahuan")
                                 & (sample_analysis.gains["group"] != ALL_GROUPS)].sort_values("mean_diff")
    assert labels[0].startswith("Semua kelompok")
    expected = [" ".join(q.group_label(g, "id").split()) for g in rows["group"]]
    assert [lab.split(" (n =")[0] for lab in labels[1:]] == expected
    assert "Pengetahuan tentang HAM" in ax.figure._suptitle.get_text().replace("\n", " ")


def test_paired_lines_one_line_per_participant(drawn, sample_analysis):
    m = sample_analysis.matched
    n = len(m[m["scale"] == "pengetahuan"].dropna(subset=["pre", "post"]))
    assert len(drawn["paired"].collections[0].get_segments()) == n


def test_likert_bars_widths_are_shares_and_reverse_items_marked(drawn, tables, q):
    ax = drawn["likert"]
    widths = [p.get_width() for p in ax.patches]
    first = tables["likert"].query("scale == 'sikap' and group == 'ALL' and item == 's01' and wave == 'pre'")
    assert widths[:5] == pytest.approx((first.sort_values("point")["share"] * 100).tolist())
    labels = [t.get_text() for t in ax.get_yticklabels()]
    reverse = {i.id for i in q.items_in("sikap") if i.reverse}
    assert reverse and all(("†" in lab) == (lab.split()[0] in reverse) for lab in labels)


def test_heatmap_values_equal_item_table(drawn, tables):
    grid = drawn["heatmap"].images[0].get_array()
    pooled = tables["items"].query("scale == 'pengetahuan' and group == 'ALL'")
    assert np.asarray(grid[-1]) == pytest.approx(pooled["change"].to_numpy() * 100)


def test_item_credit_averages_to_the_scale_score(tables, sample_analysis):
    items = tables["items"].groupby(["scale", "group"])[["credit_pre", "credit_post", "n"]].mean().reset_index()
    merged = items.merge(sample_analysis.gains, on=["scale", "group"])
    assert (merged["n_x"] == merged["n_y"]).all()
    np.testing.assert_allclose(merged["credit_pre"] * 100, merged["mean_pre"], atol=1e-5)
    np.testing.assert_allclose(merged["credit_post"] * 100, merged["mean_post"], atol=1e-5)


def test_item_share_is_fully_correct_and_credit_partial(tables, sample_analysis):
    # share_* (fully correct) is the item analysis' difficulty definition; credit_* the partial credit.
    q = sample_analysis.questionnaire
    items = tables["items"]
    multi = items["item"].map(lambda i: q.item(i).type == "multi_select")
    assert multi.any()
    assert (items.loc[~multi, "share_pre"] == items.loc[~multi, "credit_pre"]).all()
    assert (items.loc[multi, "share_post"] < items.loc[multi, "credit_post"]).all()


def test_flow_shows_ledger_counts(drawn, sample_analysis):
    text = _texts(drawn["flow"])
    summary = sample_analysis.ledger_summary.set_index("wave")
    assert f"{summary.loc['pre', 'rows_read']} baris dibaca" in text
    assert f"{summary.loc['post', 'rows_read']} baris dibaca" in text
    assert f"tanpa pasangan: {summary.loc['pre', 'unmatched']}" in text


def test_reliable_change_classes_match_rci(drawn, sample_analysis):
    data = sample_analysis.change.query("scale == 'pengetahuan'").dropna(subset=["pre", "post", "rci"])
    counts = [len(c.get_offsets()) for c in drawn["rc"].collections[1:]]
    assert counts == [(data["rci"] > 1.96).sum(), (data["rci"].abs() <= 1.96).sum(), (data["rci"] < -1.96).sum()]


def test_small_multiples_one_panel_per_scale(drawn, sample_analysis, q):
    fig = drawn["multiples"]
    scales = list(dict.fromkeys(sample_analysis.gains["scale"]))
    titles = [ax.get_title(loc="left").replace("\n", " ") for ax in fig.axes if ax.get_title(loc="left")]
    assert titles == [q.scale(s).label("id") for s in scales]


def test_english_labels(sample_analysis, q):
    ax = charts.gain_forest(sample_analysis.gains, q, scale="sikap", lang="en")
    labels = " ".join(t.get_text() for t in ax.get_yticklabels())
    assert "All groups" in labels and q.group_label("G01", "en").split()[0] in labels
    assert "Attitude toward human rights" in ax.figure._suptitle.get_text()


@pytest.mark.parametrize("name", ["prepost", "paired", "multiples"])
def test_saved_files_fit_a4_text_width(drawn, name, tmp_path):
    fig = drawn[name] if name == "multiples" else drawn[name].figure
    paths = charts.save(fig, tmp_path / name, formats=("png", "svg", "pdf"))
    assert [p.suffix for p in paths] == [".png", ".svg", ".pdf"] and all(p.stat().st_size > 1000 for p in paths)
    with Image.open(paths[0]) as img:
        assert round(img.info["dpi"][0]) == 300
        width_in, height_in = img.size[0] / 300, img.size[1] / 300
    assert width_in <= charts.A4_FULL_WIDTH + 0.01 and height_in <= charts.A4_MAX_HEIGHT + 0.01
    expected = charts.A4_HALF_WIDTH if name == "paired" else charts.A4_FULL_WIDTH
    assert width_in == pytest.approx(expected, abs=0.01)


def test_small_group_not_drawn_alone(sample_analysis, q):
    gains = sample_analysis.gains.copy()
    gains.loc[(gains["scale"] == "sikap") & (gains["group"] == "G03"), "n"] = 3
    ax = charts.gain_forest(gains, q, scale="sikap")
    labels = " ".join(t.get_text().replace("\n", " ") for t in ax.get_yticklabels())
    assert q.group_label("G03", "id") not in labels
    # complementary rule: the next smallest group is hidden too, so 2 groups are missing
    assert len(ax.get_yticklabels()) == len(gains[gains["scale"] == "sikap"]) - 2
    assert "2 kelompok tidak ditampilkan" in _texts(ax)
    m = sample_analysis.matched
    few = m[m["group"] == "G03"]["participant"].drop_duplicates().iloc[:3]
    small = m[(m["group"] != "G03") | m["participant"].isin(few)]
    single = charts.paired_lines(small, q, scale="sikap", group="G03")
    assert not single.collections and "tidak ditampilkan" in _texts(single)


def test_empty_data_returns_axes(q, sample_analysis):
    ax = charts.gain_forest(sample_analysis.gains.iloc[0:0], q, scale="sikap")
    assert "Tidak ada data" in _texts(ax)
    with pytest.raises(ValueError, match=r"EK-CH-001\] .*'value' .*item_heatmap"):
        charts.item_heatmap(pd.DataFrame(columns=["scale"]), q, scale="pengetahuan", value="x")


def test_inputs_not_modified(sample_analysis, q):
    before = sample_analysis.gains.copy()
    charts.prepost(sample_analysis.gains, q, scale="sikap")
    pd.testing.assert_frame_equal(sample_analysis.gains, before)


# -- suppression ---------------------------------------------------------------------------------

def _table(ns):
    groups = [f"G{i}" for i in range(len(ns))]
    return pd.DataFrame({"scale": "s", "group": groups + [ALL_GROUPS], "n": ns + [sum(ns)],
                         "mean": np.arange(len(ns) + 1, dtype=float)})


@pytest.mark.parametrize(("ns", "hidden"), [
    ([20, 30, 25], []),                      # nobody small
    ([3, 30, 25], ["G0", "G2"]),             # one small group: the next smallest hidden too
    ([3, 4, 25], ["G0", "G1"]),              # two small groups holding 7 >= 5 together: enough
    ([1, 2, 25, 30], ["G0", "G1", "G2"]),    # two small groups holding only 3: a third is hidden
    ([4], ["G0", ALL_GROUPS]),               # a lone group of 4: the total is small too
])
def test_find_suppressed_rule(ns, hidden):
    table = _table(ns)
    mask = find_suppressed(table, k=5)
    assert table.loc[mask, "group"].tolist() == hidden


def test_suppression_cannot_be_undone_by_subtraction():
    table = _table([3, 30, 25])
    out = suppress(table, find_suppressed(table), keep=["scale", "group", "n"])
    visible = out[~out["suppressed"] & (out["group"] != ALL_GROUPS)]
    assert len(out[out["suppressed"]]) >= 2 and out.loc[out["suppressed"], "n"].sum() >= 5
    assert out.loc[out["suppressed"], "mean"].isna().all() and visible["mean"].notna().all()
    assert table["mean"].notna().all()  # input untouched


def test_find_suppressed_checks_parameters():
    with pytest.raises(ValueError, match=r"EK-PR-005\] .*'k' .*find_suppressed"):
        find_suppressed(_table([5]), k=0)


# -- numbers in text -----------------------------------------------------------------------------

def test_indonesian_and_english_numbers():
    assert number(0.45, 2) == "0,45" and number(0.45, 2, lang="en") == "0.45"
    assert number(1234.5, 1) == "1.234,5" and number(1234.5, 1, lang="en") == "1,234.5"
    assert number(-0.041, 2) == "−0,04" and number(12.34, sign=True) == "+12,3" and number(-0.01, 1) == "0,0"
    assert p_value(0.0004) == "p < 0,001" and p_value(0.0234) == "p = 0,023" and p_value(0.0234, lang="en") == \
        "p = 0.023"
    assert interval(8.14, 16.52) == "8,1 sampai 16,5" and interval(8.14, 16.52, lang="en") == "8.1 to 16.5"
    assert percent(0.456) == "46%" and number(float("nan")) == "–"
