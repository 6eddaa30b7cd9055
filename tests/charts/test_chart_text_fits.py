"""Every chart of the demo report keeps its text inside the figure and speaks Indonesian
numbers (issue #18): text bounding boxes are measured on the drawn figure, as saved."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

import evalkit
from evalkit import charts
from evalkit.report import report_tables
from evalkit.report._folder import chart_jobs
from evalkit.report._info import load_report_info


def _draw_all(sample_analysis, folder, lang):
    """Every chart job of the demo report, drawn under evalkit's style and laid out as when saved."""
    info = load_report_info(evalkit.bundled_report_info(), sample_analysis.questionnaire)
    tables = report_tables(sample_analysis, k=5, lang=lang)
    out = {}
    for key, _, draw in chart_jobs(sample_analysis, tables, folder, k=5, lang=lang, info=info):
        with plt.rc_context(charts.style()):
            drawn = draw()
            fig = drawn if isinstance(drawn, plt.Figure) else drawn.figure
            if fig.get_layout_engine() is None:
                fig.set_layout_engine("constrained")
            fig.set_dpi(100)
            canvas = FigureCanvasAgg(fig)
            canvas.draw()
        out[key] = (fig, canvas.get_renderer())
    return out


@pytest.fixture(scope="module")
def figures(sample_analysis, tmp_path_factory):
    yield _draw_all(sample_analysis, tmp_path_factory.mktemp("c"), "id")
    plt.close("all")


def _texts(fig):
    """The texts drawn: visible, not empty, and no tick label of a tick outside the axis' view
    (matplotlib keeps those artists but does not draw them)."""
    hidden = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            eps = (high - low) * 1e-6
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not low - eps <= tick.get_loc() <= high + eps:
                    hidden |= {id(tick.label1), id(tick.label2)}
    return [t for t in fig.findobj(Text) if id(t) not in hidden and t.get_visible() and t.get_text().strip()]


def test_every_demo_chart_is_checked(figures, sample_analysis):
    scales = set(sample_analysis.gains["scale"])
    assert {f"gain_{s}" for s in scales} | {f"prepost_{s}" for s in scales} | {"flow", "paired"} <= set(figures)


def _clipped(figures) -> list[str]:
    clipped = []
    for key, (fig, renderer) in figures.items():
        box = fig.bbox
        for text in _texts(fig):
            ext = text.get_window_extent(renderer)
            if ext.x0 < box.x0 - 1 or ext.x1 > box.x1 + 1 or ext.y0 < box.y0 - 1 or ext.y1 > box.y1 + 1:
                clipped.append(f"{key}: {text.get_text()[:50]!r} {ext.bounds} outside {box.bounds}")
    return clipped


def test_no_text_sticks_out_of_any_chart(figures):
    assert _clipped(figures) == []


def test_no_text_sticks_out_of_any_english_chart(sample_analysis, tmp_path):
    assert _clipped(_draw_all(sample_analysis, tmp_path, "en")) == []
    plt.close("all")


def test_indonesian_charts_use_decimal_commas(figures):
    points = []
    for key, (fig, _) in figures.items():
        for text in _texts(fig):
            if re.search(r"\d\.\d", text.get_text()):
                points.append(f"{key}: {text.get_text()[:60]!r}")
    assert points == []


def test_likert_colours_differ_in_lightness():
    # Grey level (ITU-R BT.601 luma) of each answer colour: a grey photocopy keeps them apart.
    from matplotlib.colors import to_rgb

    grey = sorted(255 * (0.299 * r + 0.587 * g + 0.114 * b) for r, g, b in map(to_rgb, charts.LIKERT_COLOURS))
    assert min(b - a for a, b in zip(grey, grey[1:])) >= 20


def test_prepost_writes_the_paired_gain_and_marks_significance(sample_analysis, q):
    from evalkit._significance import direction

    rows = sample_analysis.gains[sample_analysis.gains["scale"] == "melindungi"]
    ax = charts.prepost(sample_analysis.gains, q, scale="melindungi")
    written = [t.get_text() for t in ax.texts if re.match(r"[+−]?\d.* \[", t.get_text())]
    assert len(written) == len(rows)
    expected = {f"{evalkit._numbers.number(r['mean_diff'], 2, lang='id', sign=True)}{'*' if d else ''} "
                for r, d in zip(rows.to_dict("records"), direction(rows))}
    assert {t.split("[")[0] for t in written} == expected
    assert not ax.containers  # no per-wave CI whiskers (error bars) that could overlap
