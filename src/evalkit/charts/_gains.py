"""Charts of the gains per group and scale: before/after, forest and small multiples; saving.

Shared conventions are in :mod:`evalkit.charts`.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg

from ._base import (A4_FULL_WIDTH, A4_HALF_WIDTH, A4_MAX_HEIGHT, DPI, PALETTE, _RC, _T, _below, _check_choice, _empty,
                           _group_labels, _group_name, _new_axes, _note, _short, _styled, _title, _unit, _visible)
from .._i18n import tr
from .._constants import ALL_GROUPS
from .._numbers import number
from .._significance import direction
from ..questionnaire import Questionnaire
from ..privacy import MIN_GROUP_SIZE



def style() -> dict:
    """The rcParams evalkit draws with; use as ``with plt.rc_context(evalkit.charts.style()):``."""
    return dict(_RC)


def _ordered(rows: pd.DataFrame) -> pd.DataFrame:
    """Groups by gain (largest on top), the all-groups row at the bottom."""
    groups = rows[rows["group"] != ALL_GROUPS].sort_values("mean_diff", kind="stable")
    return pd.concat([rows[rows["group"] == ALL_GROUPS], groups])


@_styled
def prepost(gains: pd.DataFrame, questionnaire: Questionnaire, *, scale: str, ax=None,
            min_group_size: int = MIN_GROUP_SIZE, lang: str | None = None):
    """Dumbbell chart: each group's mean before and after the training, ordered by gain, with
    the paired gain and its 95% CI written beside each row (``*``: significant under the
    report's rule, Holm for groups).

    Parameters
    ----------
    gains : DataFrame
        From :func:`evalkit.gains` (``analysis.gains``).
    questionnaire : Questionnaire
        Supplies the scale and group labels.
    scale : str
        Scale id.
    ax : matplotlib Axes, optional
    min_group_size : int, default 5
        Groups with fewer matched participants are left out (the chart says so).
    lang : {"id", "en"}, optional

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import evalkit, evalkit.charts
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> g = evalkit.gains(q, evalkit.bundled_sample("pre"), evalkit.bundled_sample("post"))
    >>> ax = evalkit.charts.prepost(g, q, scale="pengetahuan")
    """
    rows, hidden = _visible(gains[gains["scale"] == scale], min_group_size)
    ax = ax if ax is not None else _new_axes(1.9 + 0.34 * len(rows))
    if rows.empty:
        return _empty(ax, lang)
    rows = _ordered(rows)
    y = np.arange(len(rows))
    ax.hlines(y, rows["mean_pre"], rows["mean_post"], color=PALETTE["neutral"], lw=2, zorder=1)
    for wave, marker in (("pre", "o"), ("post", "D")):
        ax.scatter(rows[f"mean_{wave}"], y, marker=marker, color=PALETTE[wave], s=28, zorder=3,
                   label=tr(_T[wave], lang))
    # The paired gain and its CI beside each row: two overlapping per-wave CIs would suggest
    # "no change" where the paired test finds one, so they are not drawn.
    digits = 1 if questionnaire.scale(scale).scoring == "percent_correct" else 2
    for yi, r, mark in zip(y, rows.to_dict("records"), _marks(rows)):
        ax.annotate(f"{number(r['mean_diff'], digits, lang=lang, sign=True)}{mark} "
                    f"[{number(r['ci_low'], digits, lang=lang)}; {number(r['ci_high'], digits, lang=lang)}]",
                    xy=(1, yi), xycoords=("axes fraction", "data"), xytext=(6, 0), textcoords="offset points",
                    va="center", ha="left", fontsize=7)
    ax.annotate(tr(_T["gain_column"], lang), xy=(1, 1), xycoords="axes fraction", xytext=(6, 4),
                textcoords="offset points", va="bottom", ha="left", fontsize=7, fontweight="bold")
    ax.set_yticks(y, _group_labels(rows, questionnaire, lang))
    ax.axhline(0.5, color="#cccccc", lw=0.8)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlabel(tr(_T["score_axis"], lang, unit=_unit(questionnaire, scale, lang)))
    _title(ax, tr(_T["prepost_title"], lang, scale=questionnaire.scale(scale).label(lang)))
    ax.legend(loc="upper left", bbox_to_anchor=(0, 0), bbox_transform=_below(ax, 26), ncol=2, frameon=False,
              borderaxespad=0, handletextpad=0.3)
    _note(ax, tr(_T["sig_note"], lang) + (" " + tr(_T["suppressed"], lang, n=hidden, k=min_group_size)
                                         if hidden else ""), points=42)
    return ax


def _marks(rows: pd.DataFrame) -> list[str]:
    """``*`` for a significant change under the report's one rule (:mod:`evalkit._significance`)."""
    return ["*" if d else "" for d in direction(rows)]


@_styled
def gain_forest(gains: pd.DataFrame, questionnaire: Questionnaire, *, scale: str, ax=None,
                min_group_size: int = MIN_GROUP_SIZE, lang: str | None = None):
    """Forest plot of each group's mean gain with its confidence interval; all groups at the bottom.

    Parameters and return value as :func:`prepost`. The square of each row sits at the
    table's ``mean_diff``, the whiskers at ``ci_low`` and ``ci_high``.

    Examples
    --------
    >>> import evalkit, evalkit.charts
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> g = evalkit.gains(q, evalkit.bundled_sample("pre"), evalkit.bundled_sample("post"))
    >>> ax = evalkit.charts.gain_forest(g, q, scale="sikap")
    """
    rows, hidden = _visible(gains[gains["scale"] == scale], min_group_size)
    ax = ax if ax is not None else _new_axes(1.7 + 0.3 * len(rows))
    if rows.empty:
        return _empty(ax, lang)
    _forest(ax, _ordered(rows), questionnaire, lang)
    ax.set_xlabel(tr(_T["gain_axis"], lang, unit=_unit(questionnaire, scale, lang)))
    _title(ax, tr(_T["gain_title"], lang, scale=questionnaire.scale(scale).label(lang)))
    _note(ax, tr(_T["forest_note"], lang) + (" " + tr(_T["suppressed"], lang, n=hidden, k=min_group_size)
                                            if hidden else ""), points=30)
    return ax


def _forest(ax, rows: pd.DataFrame, q: Questionnaire, lang: str, *, labels: bool = True, y=None) -> None:
    y = np.arange(len(rows)) if y is None else y
    pooled = (rows["group"] == ALL_GROUPS).to_numpy()
    colour = np.where(pooled, PALETTE["all"], np.where(rows["mean_diff"] >= 0, PALETTE["gain"], PALETTE["loss"]))
    ax.hlines(y, rows["ci_low"], rows["ci_high"], colors=colour, lw=1.5)
    # Filled: significant under the report's rule; hollow: not (the note under the chart says so).
    face = np.where(direction(rows).to_numpy() != 0, colour, "white")
    ax.scatter(rows["mean_diff"], y, facecolors=face, edgecolors=colour, linewidths=1.2, marker="s",
               s=np.where(pooled, 42, 22), zorder=3)
    ax.axvline(0, color="#555555", lw=0.8, ls="--")
    if labels:
        ax.set_yticks(y, _group_labels(rows, q, lang))
        ax.axhline(0.5, color="#cccccc", lw=0.8)


@_styled
def criteria_effects(criteria: pd.DataFrame, questionnaire: Questionnaire, *, ax=None, lang: str | None = None):
    """Headline chart: the effect size d_z of each success criterion with its 95% CI.

    Parameters
    ----------
    criteria : DataFrame
        One row per criterion: ``scale, d_z, d_z_ci_low, d_z_ci_high`` and optionally
        ``verdict_text``, written at the end of each row (from the report's verdict table).
    questionnaire : Questionnaire
    ax : matplotlib Axes, optional
    lang : {"id", "en"}, optional

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import evalkit, evalkit.charts
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> g = evalkit.gains(q, evalkit.bundled_sample("pre"), evalkit.bundled_sample("post"))
    >>> ax = evalkit.charts.criteria_effects(g[g["group"] == "ALL"], q)
    """
    rows = criteria.dropna(subset=["d_z"]).iloc[::-1]
    ax = ax if ax is not None else _new_axes(0.8 + 0.28 * len(rows))
    if rows.empty:
        return _empty(ax, lang)
    y = np.arange(len(rows))
    ax.hlines(y, rows["d_z_ci_low"], rows["d_z_ci_high"], color=PALETTE["post"], lw=2)
    ax.scatter(rows["d_z"], y, color=PALETTE["post"], marker="D", s=30, zorder=3)
    high = float(np.nanmax(rows["d_z_ci_high"]))
    for bound, word in zip((0.2, 0.5, 0.8), _T["effect_marks"][lang]):
        ax.axvline(bound, color=PALETTE["neutral"], lw=0.8, ls=":")
        ax.text(bound, len(rows) - 0.45, word, fontsize=7, color="#555555", ha="center", va="bottom")
    if "verdict_text" in rows.columns:
        for yi, x, text in zip(y, rows["d_z_ci_high"], rows["verdict_text"]):
            ax.text(x + 0.03, yi, text, va="center", fontsize=7.5)
    ax.axvline(0, color="#555555", lw=0.8, ls="--")
    ax.set_yticks(y, [textwrap.fill(questionnaire.scale(s).label(lang), 30) for s in rows["scale"]])
    ax.set_xlim(min(0.0, float(np.nanmin(rows["d_z_ci_low"]))) - 0.05, max(1.0, high) + 0.45)
    ax.set_ylim(-0.6, len(rows) - 0.1)
    ax.set_xlabel(tr(_T["effect_axis"], lang))
    if lang == "id":  # decimal commas, as in the report's text
        ax.xaxis.set_major_formatter(lambda x, _: f"{x:g}".replace(".", ","))
    _title(ax, tr(_T["effect_title"], lang))
    return ax


@_styled
def small_multiples(gains: pd.DataFrame, questionnaire: Questionnaire, *, kind: str = "gain", scales=None,
                    min_group_size: int = MIN_GROUP_SIZE, lang: str | None = None):
    """One panel per scale, groups in the same order in every panel (all groups at the bottom).

    Parameters
    ----------
    kind : {"gain", "prepost"}
        Gain with its CI (forest) or the two means per group.
    scales : list of str, optional
        Default: every scale in ``gains``, in questionnaire order.

    Returns
    -------
    matplotlib Figure (A4 full width), one Axes per scale, titled with the scale label.
    """
    _check_choice("small_multiples", "kind", kind, ("gain", "prepost"))
    scales = list(scales) if scales is not None else [s.id for s in questionnaire.scales
                                                      if s.id in set(gains["scale"])]
    codes = [g.code for g in questionnaire.groups if g.code in set(gains["group"])]
    order = codes[::-1] + [ALL_GROUPS]  # drawn bottom-up: ALL lowest, first group on top
    order = order[-1:] + order[:-1]
    n_cols = min(3, len(scales)) or 1
    n_rows = max(1, int(np.ceil(len(scales) / n_cols)))
    height = min(A4_MAX_HEIGHT, 0.9 + n_rows * (0.75 + 0.2 * len(order)))
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(A4_FULL_WIDTH, height), sharey=True, squeeze=False,
                             layout="constrained")
    hidden_any = 0
    for ax, scale in zip(axes.flat, scales):
        rows, hidden = _visible(gains[gains["scale"] == scale], min_group_size)
        hidden_any = max(hidden_any, hidden)
        position = {g: i for i, g in enumerate(order)}
        rows = rows[rows["group"].isin(position)]
        y = rows["group"].map(position).to_numpy()
        if kind == "gain":
            _forest(ax, rows, questionnaire, lang, labels=False, y=y)
        else:
            ax.hlines(y, rows["mean_pre"], rows["mean_post"], color=PALETTE["neutral"], lw=1.5)
            ax.scatter(rows["mean_pre"], y, color=PALETTE["pre"], s=12, marker="o", zorder=3)
            ax.scatter(rows["mean_post"], y, color=PALETTE["post"], s=12, marker="D", zorder=3)
        ax.set_title(textwrap.fill(questionnaire.scale(scale).label(lang), 26), fontsize=7.5, loc="left")
        ax.set_xlabel(_unit(questionnaire, scale, lang), fontsize=7)
        ax.axhline(0.5, color="#cccccc", lw=0.6)
    for ax in axes.flat[len(scales):]:
        ax.set_axis_off()
    labels = [_short(_group_name(questionnaire, g, lang), 30) for g in order]
    axes[0, 0].set_yticks(range(len(order)), labels)
    axes[0, 0].set_ylim(-0.6, len(order) - 0.4)
    for ax in axes.flat:
        ax.tick_params(labelsize=6.5)
    title = tr(_T["small_title"][kind], lang)
    if hidden_any:
        title += "\n" + tr(_T["suppressed"], lang, n=hidden_any, k=min_group_size)
    fig.suptitle(textwrap.fill(title, 95), fontsize=8.5, x=0.01, ha="left")
    return fig


def save(ax_or_fig, path, *, formats=("png",)) -> list[Path]:
    """Save a chart at 300 dpi in each format (``png``, ``svg``, ``pdf``) and close it.

    The page size is the figure size (A4 full width 6.3 in, half width 3.1 in): the
    layout engine fits titles and labels inside it instead of letting the saved image
    grow, so a chart placed at 100% never sticks out of the A4 text width.
    """
    fig = ax_or_fig if isinstance(ax_or_fig, plt.Figure) else ax_or_fig.figure
    if fig.get_layout_engine() is None:
        fig.set_layout_engine("constrained")
    paths = []
    for fmt in formats:
        _check_choice("save", "formats", fmt, ("png", "svg", "pdf"))
        out = Path(path).with_suffix("." + fmt)
        if fmt == "png":
            # Agg draws once (savefig would first make a dry-run rendering to place the
            # constrained layout, doubling the cost); the pixels are then stored as a palette PNG.
            fig.set_dpi(DPI)
            canvas = FigureCanvasAgg(fig)
            canvas.draw()
            _palette_png(canvas.buffer_rgba(), out)
        else:
            fig.savefig(out, dpi=DPI, format=fmt)
        paths.append(out)
    plt.close(fig)
    return paths


#: Colours kept when a chart has more than 256 (the anti-aliased edges of a few flat colours).
PALETTE_COLOURS = 64


def _palette_png(rgba, path: Path) -> None:
    """Store a chart as an 8-bit palette PNG at 300 dpi: exact when it has at most 256 colours,
    else an adaptive palette of :data:`PALETTE_COLOURS` colours, which keeps flat chart colours
    exactly and only rounds the shades of anti-aliased edges. A third of the size of an RGBA PNG,
    so the Word and HTML reports stay small enough to e-mail (see benchmarks/README.md)."""
    from PIL import Image

    image = Image.fromarray(np.asarray(rgba)).convert("RGB")  # charts are drawn on white
    if image.getcolors(256) is not None:
        image = image.convert("P", palette=Image.Palette.ADAPTIVE, colors=256)
    else:
        image = image.quantize(PALETTE_COLOURS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    image.save(path, format="PNG", compress_level=6, dpi=(DPI, DPI))
