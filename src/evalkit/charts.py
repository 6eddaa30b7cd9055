"""Charts a ministry can print: A4-sized, 300 dpi, Indonesian labels by default.

Every function takes a tidy results table (from :func:`evalkit.gains`), draws on
``ax`` (or a new Axes) and returns it; nothing calls ``plt.show()`` or changes
global settings. Colours come from the Okabe–Ito palette, which stays readable
for the common forms of colour blindness and in greyscale print.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ._i18n import get_language, tr
from .analysis import ALL_GROUPS
from .questionnaire import Questionnaire

#: Okabe & Ito (2008) colour-blind-safe palette.
PALETTE = {"pre": "#999999", "post": "#0072B2", "gain": "#009E73", "loss": "#D55E00",
           "all": "#000000", "accent": "#E69F00"}
#: A4 text width (210 mm − 2 × 25 mm margins) in inches, full and half width.
A4_FULL_WIDTH = 6.3
A4_HALF_WIDTH = 3.1
DPI = 300
#: Default small-group threshold: groups with fewer matched participants are not drawn alone.
MIN_GROUP_SIZE = 5
_RC = {"font.size": 9, "axes.titlesize": 10, "axes.labelsize": 9, "xtick.labelsize": 8,
       "ytick.labelsize": 8, "legend.fontsize": 8, "axes.spines.top": False, "axes.spines.right": False,
       "savefig.dpi": DPI, "font.family": "DejaVu Sans"}

_T = {
    "all": {"id": "Semua kelompok", "en": "All groups"},
    "pre": {"id": "Sebelum pelatihan (pre-test)", "en": "Before training (pre-test)"},
    "post": {"id": "Sesudah pelatihan (post-test)", "en": "After training (post-test)"},
    "prepost_title": {"id": "{scale}: skor rata-rata sebelum dan sesudah pelatihan per kelompok",
                      "en": "{scale}: mean score before and after the training, by group"},
    "gain_title": {"id": "{scale}: kenaikan skor rata-rata per kelompok (IK 95%)",
                   "en": "{scale}: mean score gain by group (95% CI)"},
    "score_axis": {"id": "Skor rata-rata ({unit})", "en": "Mean score ({unit})"},
    "gain_axis": {"id": "Kenaikan skor (sesudah − sebelum, {unit}) dengan interval kepercayaan 95%",
                  "en": "Score gain (post − pre, {unit}) with 95% confidence interval"},
    "percent": {"id": "% benar", "en": "% correct"},
    "likert": {"id": "skala 1–{points}", "en": "1–{points} scale"},
    "suppressed": {"id": "{n} kelompok dengan kurang dari {k} peserta berpasangan tidak ditampilkan tersendiri.",
                   "en": "{n} group(s) with fewer than {k} matched participants not shown separately."},
    "n": {"id": "n = {n}", "en": "n = {n}"},
    "empty": {"id": "Tidak ada data untuk ditampilkan", "en": "No data to show"},
}


def style() -> dict:
    """The rcParams evalkit draws with; use as ``with plt.rc_context(evalkit.charts.style()):``."""
    return dict(_RC)


def _scale_rows(gains: pd.DataFrame, scale: str, min_group_size: int) -> tuple[pd.DataFrame, int]:
    rows = gains[gains["scale"] == scale]
    small = (rows["group"] != ALL_GROUPS) & (rows["n"] < min_group_size)
    return rows[~small], int(small.sum())


def _group_labels(rows: pd.DataFrame, q: Questionnaire, lang: str) -> list[str]:
    """Group names wrapped to fit a third of an A4 page, with the number of participants."""
    names = [tr(_T["all"], lang) if g == ALL_GROUPS else q.group_label(g, lang) for g in rows["group"]]
    return [textwrap.fill(f"{name} ({tr(_T['n'], lang, n=int(n))})", 34) for name, n in zip(names, rows["n"])]


def _new_axes(n_rows: int):
    """A full-A4-width figure whose height grows with the number of rows."""
    return plt.figure(figsize=(A4_FULL_WIDTH, 1.6 + 0.42 * max(n_rows, 3))).add_subplot()


def _title(ax, text: str) -> None:
    ax.set_title(textwrap.fill(text, 70), loc="left")


def _unit(q: Questionnaire, scale: str, lang: str) -> str:
    s = q.scale(scale)
    if s.scoring == "percent_correct":
        return tr(_T["percent"], lang)
    points = max((i.points or 0) for i in q.items_in(scale))
    return tr(_T["likert"], lang, points=points)


def _finish(ax, hidden: int, min_group_size: int, lang: str) -> None:
    if hidden:
        ax.annotate(tr(_T["suppressed"], lang, n=hidden, k=min_group_size), xy=(0, 0), xytext=(0, -52),
                    xycoords="axes fraction", textcoords="offset points", fontsize=7, style="italic", va="top")


def _ordered(rows: pd.DataFrame) -> pd.DataFrame:
    """Groups by gain (largest on top), the all-groups row at the bottom."""
    groups = rows[rows["group"] != ALL_GROUPS].sort_values("mean_diff")
    return pd.concat([rows[rows["group"] == ALL_GROUPS], groups])


def prepost(gains: pd.DataFrame, questionnaire: Questionnaire, *, scale: str, ax=None,
            min_group_size: int = MIN_GROUP_SIZE, lang: str | None = None):
    """Dumbbell chart: each group's mean before and after the training, ordered by gain.

    Parameters
    ----------
    gains : DataFrame
        From :func:`evalkit.gains`.
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
    lang = lang or get_language()
    rows, hidden = _scale_rows(gains, scale, min_group_size)
    ax = ax if ax is not None else _new_axes(len(rows))
    if rows.empty:
        ax.text(0.5, 0.5, tr(_T["empty"], lang), ha="center", transform=ax.transAxes)
        return ax
    rows = _ordered(rows)
    y = np.arange(len(rows))
    ax.hlines(y, rows["mean_pre"], rows["mean_post"], color=PALETTE["pre"], lw=2, zorder=1)
    ax.scatter(rows["mean_pre"], y, color=PALETTE["pre"], s=36, label=tr(_T["pre"], lang), zorder=2)
    ax.scatter(rows["mean_post"], y, color=PALETTE["post"], s=36, marker="D", label=tr(_T["post"], lang), zorder=3)
    ax.set_yticks(y, _group_labels(rows, questionnaire, lang))
    ax.axhline(0.5, color="#cccccc", lw=0.8)
    ax.set_xlabel(tr(_T["score_axis"], lang, unit=_unit(questionnaire, scale, lang)))
    _title(ax, tr(_T["prepost_title"], lang, scale=questionnaire.scale(scale).label(lang)))
    ax.legend(loc="upper center", bbox_to_anchor=(0.4, -0.09 - 0.5 / len(rows)), ncol=2, frameon=False)
    _finish(ax, hidden, min_group_size, lang)
    return ax


def gain_forest(gains: pd.DataFrame, questionnaire: Questionnaire, *, scale: str, ax=None,
                min_group_size: int = MIN_GROUP_SIZE, lang: str | None = None):
    """Forest plot of each group's mean gain with its confidence interval; all groups at the bottom.

    Parameters and return value as :func:`prepost`.

    Examples
    --------
    >>> import evalkit, evalkit.charts
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> g = evalkit.gains(q, evalkit.bundled_sample("pre"), evalkit.bundled_sample("post"))
    >>> ax = evalkit.charts.gain_forest(g, q, scale="sikap")
    """
    lang = lang or get_language()
    rows, hidden = _scale_rows(gains, scale, min_group_size)
    ax = ax if ax is not None else _new_axes(len(rows))
    if rows.empty:
        ax.text(0.5, 0.5, tr(_T["empty"], lang), ha="center", transform=ax.transAxes)
        return ax
    rows = _ordered(rows)
    y = np.arange(len(rows))
    pooled = (rows["group"] == ALL_GROUPS).to_numpy()
    colour = np.where(pooled, PALETTE["all"], np.where(rows["mean_diff"] >= 0, PALETTE["gain"], PALETTE["loss"]))
    ax.hlines(y, rows["ci_low"], rows["ci_high"], colors=colour, lw=1.5)
    for end in ("ci_low", "ci_high"):
        ax.scatter(rows[end], y, c=colour, marker="|", s=40)
    ax.scatter(rows["mean_diff"], y, c=colour, marker="s", s=np.where(pooled, 60, 30), zorder=3)
    ax.axvline(0, color="#555555", lw=0.8, ls="--")
    ax.axhline(0.5, color="#cccccc", lw=0.8)
    ax.set_yticks(y, _group_labels(rows, questionnaire, lang))
    ax.set_xlabel(tr(_T["gain_axis"], lang, unit=_unit(questionnaire, scale, lang)))
    _title(ax, tr(_T["gain_title"], lang, scale=questionnaire.scale(scale).label(lang)))
    _finish(ax, hidden, min_group_size, lang)
    return ax


def save(ax_or_fig, path, *, formats=("png",)) -> list[Path]:
    """Save a chart at 300 dpi in each format (``png``, ``svg``, ``pdf``) and close it."""
    fig = ax_or_fig if isinstance(ax_or_fig, plt.Figure) else ax_or_fig.figure
    fig.tight_layout()
    paths = []
    for fmt in formats:
        out = Path(path).with_suffix("." + fmt)
        fig.savefig(out, dpi=DPI, format=fmt, bbox_inches="tight")
        paths.append(out)
    plt.close(fig)
    return paths
