"""Charts of a national roll-up that stay readable with hundreds of trainings and thousands
of groups: forest per province, caterpillar, funnel, small multiples by province, trend.

Each takes the tidy tables of :class:`evalkit.rollup.RollUp` (``training_gains``, ``groups``,
``meta``, ``trend``). Only a few labels are ever drawn, stacked in free corners so that
they cannot overlap; everything else is unlabelled marks.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection
from matplotlib.layout_engine import PlaceHolderLayoutEngine
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from .. import _numbers as fmt
from .._i18n import tr
from ..privacy import MIN_GROUP_SIZE, find_suppressed
from ._base import A4_FULL_WIDTH, A4_MAX_HEIGHT, PALETTE, _empty, _new_axes, _note, _styled, _title

#: Columns of the estimate and its CI, per measure.
_COLUMNS = {"MD": ("mean_diff", "ci_low", "ci_high"), "d_z": ("d_z", "d_z_ci_low", "d_z_ci_high")}
_T = {
    "axis": {"MD": {"id": "Kenaikan skor (sesudah − sebelum{unit}), IK 95%",
                    "en": "Score gain (post − pre{unit}), 95% CI"},
             "d_z": {"id": "Ukuran efek d_z (kenaikan / SB kenaikan), IK 95%",
                     "en": "Effect size d_z (gain / SD of gains), 95% CI"}},
    "forest_title": {"id": "{scale}: kenaikan per pelatihan di {province}, dengan gabungan (◆) dan interval "
                           "prediksi",
                     "en": "{scale}: gain per training in {province}, with the pooled estimate (◆) and the "
                           "prediction interval"},
    "pooled": {"id": "Gabungan {province} (k = {k})", "en": "Pooled, {province} (k = {k})"},
    "pi": {"id": "Interval prediksi 95% (pelatihan baru)", "en": "95% prediction interval (a new training)"},
    "caterpillar_title": {"id": "{scale}: kenaikan {n} kelompok dari semua pelatihan, diurutkan (IK 95%)",
                          "en": "{scale}: gains of {n} groups from all trainings, sorted (95% CI)"},
    "rank": {"id": "Kelompok, diurutkan menurut kenaikan", "en": "Groups, sorted by gain"},
    "hidden": {"id": "{n} kelompok tidak ditampilkan (kurang dari {k} peserta, atau disembunyikan agar tidak "
                     "dapat dihitung dari total).",
               "en": "{n} group(s) not shown (fewer than {k} participants, or hidden so they cannot be worked "
                     "out from the total)."},
    "funnel_title": {"id": "{scale}: kenaikan per pelatihan menurut jumlah peserta (corong 95% dan 99,8%)",
                     "en": "{scale}: gain per training by number of participants (95% and 99.8% funnel)"},
    "n_axis": {"id": "Peserta berpasangan dalam pelatihan (n)", "en": "Matched participants in the training (n)"},
    "national": {"id": "Gabungan nasional", "en": "National pooled estimate"},
    "outliers": {"id": "{n} pelatihan di luar batas 99,8% (oranye); yang paling jauh diberi label.",
                 "en": "{n} training(s) outside the 99.8% limits (orange); the farthest are labelled."},
    "multiples_title": {"id": "{scale}: kenaikan per pelatihan, satu panel per provinsi (garis: gabungan nasional)",
                        "en": "{scale}: gain per training, one panel per province (line: national pooled)"},
    "trend_title": {"id": "{scale}: kenaikan menurut tahun (titik abu-abu: pelatihan; ◆: gabungan per tahun)",
                    "en": "{scale}: gain by year (grey dots: trainings; ◆: pooled per year)"},
    "year": {"id": "Tahun", "en": "Year"},
    "slope": {"id": "tren: {slope} per tahun (IK 95% {low} sampai {high})",
              "en": "trend: {slope} per year (95% CI {low} to {high})"},
}
_LABEL_SIZE = 6.5
#: Vertical step between stacked labels, in points: above the label's line height.
_LABEL_STEP = 10.0


def _axis_label(measure: str, unit: str | None, lang: str) -> str:
    return tr(_T["axis"][measure], lang, unit=f", {unit}" if unit and measure == "MD" else "")


def _pooled_row(meta: pd.DataFrame, *, level: str, scale: str, measure: str, **where) -> pd.Series | None:
    rows = meta[(meta["level"] == level) & (meta["scale"] == scale) & (meta["measure"] == measure)]
    for key, value in where.items():
        rows = rows[rows[key] == value]
    return rows.iloc[0] if len(rows) and np.isfinite(rows["estimate"].iloc[0]) else None


def _ci_lines(ax, positions, low, high, *, horizontal: bool, colour: str, lw: float = 0.8) -> None:
    """Many CIs as one LineCollection (fast at thousands)."""
    if horizontal:
        segments = np.stack([np.column_stack([low, positions]), np.column_stack([high, positions])], axis=1)
    else:
        segments = np.stack([np.column_stack([positions, low]), np.column_stack([positions, high])], axis=1)
    ax.add_collection(LineCollection(segments, colors=colour, linewidths=lw))


def _stack_labels(ax, points: list[tuple[float, float]], texts: list[str], *, corner: str) -> None:
    """Label data points from a stack of texts in a corner of the Axes, each joined to its point
    by a thin line. Stacked a fixed step (in points) apart, they never overlap each other."""
    x0, y0, ha, va, step = {"upper left": (0.02, 0.97, "left", "top", -1),
                            "lower right": (0.98, 0.03, "right", "bottom", 1),
                            "upper right": (0.98, 0.97, "right", "top", -1)}[corner]
    for i, ((x, y), text) in enumerate(zip(points, texts)):
        ax.annotate(text, xy=(x, y), xytext=(x0, y0), textcoords=ax.transAxes + _shift(ax, step * i * _LABEL_STEP),
                    fontsize=_LABEL_SIZE, ha=ha, va=va, annotation_clip=False,
                    arrowprops={"arrowstyle": "-", "color": PALETTE["neutral"], "lw": 0.5},
                    bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8})


def _shift(ax, points: float):
    from matplotlib.transforms import ScaledTranslation

    return ScaledTranslation(0, points / 72, ax.figure.dpi_scale_trans)


@_styled
def training_forest(trainings: pd.DataFrame, meta: pd.DataFrame, *, scale: str, province: str,
                    measure: str = "MD", label: str | None = None, unit: str | None = None, ax=None,
                    lang: str | None = None):
    """Forest plot of one province's trainings, with its pooled diamond and prediction interval.

    Parameters
    ----------
    trainings : DataFrame
        ``RollUp.training_gains``: ``training, province, scale, n`` and the estimate columns.
    meta : DataFrame
        ``RollUp.meta`` (the row with ``level == "province"`` gives the diamond).
    scale, province : str
    measure : {"MD", "d_z"}
    label, unit : str, optional
        The scale's name and unit for the title and axis (default: the scale id, no unit).
    ax : matplotlib Axes, optional
    lang : {"id", "en"}, optional

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd, evalkit.charts
    >>> t = pd.DataFrame({"training": ["A", "B"], "province": "Aceh", "scale": "s", "n": [30, 40],
    ...                   "mean_diff": [1.0, 2.0], "ci_low": [0.2, 1.1], "ci_high": [1.8, 2.9]})
    >>> m = pd.DataFrame({"level": ["province"], "measure": "MD", "scale": "s", "province": "Aceh",
    ...                   "k": 2, "estimate": 1.5, "ci_low": 0.5, "ci_high": 2.5, "pi_low": 0.1, "pi_high": 2.9})
    >>> ax = evalkit.charts.training_forest(t, m, scale="s", province="Aceh")
    """
    est, low, high = _COLUMNS[measure]
    rows = trainings[(trainings["scale"] == scale) & (trainings["province"] == province)]
    rows = rows.sort_values(est, kind="stable").reset_index(drop=True)
    ax = ax if ax is not None else _new_axes(1.8 + 0.22 * (len(rows) + 2))
    _title(ax, tr(_T["forest_title"], lang, scale=label or scale, province=province))
    if rows.empty:
        return _empty(ax, lang)
    y = np.arange(len(rows)) + 2.0
    _ci_lines(ax, y, rows[low], rows[high], horizontal=True, colour=PALETTE["post"])
    ax.scatter(rows[est], y, s=12 + 40 * rows["n"] / rows["n"].max(), marker="s", color=PALETTE["post"], zorder=3)
    ticks = [f"{t} (n = {int(n)})" for t, n in zip(rows["training"], rows["n"])]
    pooled = _pooled_row(meta, level="province", scale=scale, measure=measure, province=province)
    k = int(pooled["k"]) if pooled is not None else len(rows)
    if pooled is not None:
        ax.fill([pooled["ci_low"], pooled["estimate"], pooled["ci_high"], pooled["estimate"]],
                [0.6, 0.85, 0.6, 0.35], color=PALETTE["all"], zorder=3)
        ax.hlines(-0.4, pooled["pi_low"], pooled["pi_high"], color=PALETTE["all"], lw=1.0)
        ax.vlines(pooled["estimate"], -0.4, len(rows) + 2.5, color=PALETTE["neutral"], lw=0.6, ls="--", zorder=0)
    ax.set_yticks([-0.4, 0.6, *y], [tr(_T["pi"], lang), tr(_T["pooled"], lang, province=province, k=k), *ticks],
                  fontsize=7)
    ax.axvline(0, color="black", lw=0.6)
    ax.set_ylim(-1.0, len(rows) + 2.6)
    ax.set_xlabel(_axis_label(measure, unit, lang))
    return ax


def _visible_groups(groups: pd.DataFrame, k: int) -> tuple[pd.DataFrame, int]:
    hidden = find_suppressed(groups, k=k, by=("training", "scale"))
    return groups[~hidden.to_numpy()], int(hidden.sum())


@_styled
def caterpillar(groups: pd.DataFrame, *, scale: str, measure: str = "MD", extremes: int = 5,
                min_group_size: int = MIN_GROUP_SIZE, label: str | None = None, unit: str | None = None,
                ax=None, lang: str | None = None):
    """Every group of every training, sorted by gain, with CIs; only the extremes labelled.

    Parameters
    ----------
    groups : DataFrame
        ``RollUp.groups``: ``training, group, scale, n`` and the estimate columns.
    scale : str
    measure : {"MD", "d_z"}
    extremes : int
        How many of the lowest and of the highest groups are labelled (training · group).
    min_group_size : int
        Groups with fewer participants are not drawn (small-group rule per training).
    label, unit, ax, lang
        As :func:`training_forest`.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd, evalkit.charts
    >>> g = pd.DataFrame({"training": "T1", "group": ["G01", "G02", "G03"], "scale": "s", "n": 20,
    ...                   "mean_diff": [1.0, 2.0, 0.5], "ci_low": [0.1, 1.0, -0.5], "ci_high": [1.9, 3.0, 1.5]})
    >>> ax = evalkit.charts.caterpillar(g, scale="s", extremes=1)
    """
    est, low, high = _COLUMNS[measure]
    rows, hidden = _visible_groups(groups[groups["scale"] == scale], min_group_size)
    rows = rows.sort_values(est, kind="stable").reset_index(drop=True)
    ax = ax if ax is not None else _new_axes(4.2)
    _title(ax, tr(_T["caterpillar_title"], lang, scale=label or scale, n=len(rows)))
    if rows.empty:
        return _empty(ax, lang)
    x = np.arange(1, len(rows) + 1)
    _ci_lines(ax, x, rows[low], rows[high], horizontal=False, colour=PALETTE["sky"],
              lw=0.8 if len(rows) < 300 else 0.25)
    ax.scatter(x, rows[est], s=4 if len(rows) < 300 else 1, color=PALETTE["post"], zorder=3, linewidths=0)
    ax.axhline(0, color="black", lw=0.6)
    ax.set_xlim(0, len(rows) + 1)
    ax.set_xlabel(tr(_T["rank"], lang))
    ax.set_ylabel(textwrap.fill(_axis_label(measure, unit, lang), 40))
    m = min(extremes, len(rows) // 2)
    if m:
        top = rows.iloc[::-1].head(m)
        bottom = rows.head(m)
        name = lambda r: f"{r['training']} · {r['group']}"  # noqa: E731
        _stack_labels(ax, list(zip(x[top.index], top[est])), [name(r) for _, r in top.iterrows()],
                      corner="upper left")
        _stack_labels(ax, list(zip(x[bottom.index], bottom[est])), [name(r) for _, r in bottom.iterrows()],
                      corner="lower right")
    if hidden:
        _note(ax, tr(_T["hidden"], lang, n=hidden, k=min_group_size))
    return ax


@_styled
def funnel(trainings: pd.DataFrame, meta: pd.DataFrame, *, scale: str, labelled: int = 6,
           label: str | None = None, unit: str | None = None, ax=None, lang: str | None = None):
    """Funnel plot: each training's mean gain against its number of participants, with the
    national pooled gain and 95% / 99.8% limits; trainings outside 99.8% are outliers.

    The limits are :math:`\\hat\\mu \\pm z\\, s/\\sqrt{n}` with :math:`s` the median SD of the
    gains across trainings (Spiegelhalter 2005). The ``labelled`` farthest outliers are
    named.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd, evalkit.charts
    >>> t = pd.DataFrame({"training": ["A", "B", "C"], "scale": "s", "n": [30, 40, 60],
    ...                   "mean_diff": [1.0, 2.0, 1.4], "sd_diff": [2.0, 2.2, 1.9]})
    >>> m = pd.DataFrame({"level": ["national"], "measure": "MD", "scale": "s", "estimate": 1.5})
    >>> ax = evalkit.charts.funnel(t, m, scale="s")
    """
    rows = trainings[(trainings["scale"] == scale) & (trainings["n"] >= 2)].reset_index(drop=True)
    ax = ax if ax is not None else _new_axes(4.2)
    _title(ax, tr(_T["funnel_title"], lang, scale=label or scale))
    pooled = _pooled_row(meta, level="national", scale=scale, measure="MD")
    if rows.empty or pooled is None:
        return _empty(ax, lang)
    centre, sd = float(pooled["estimate"]), float(np.nanmedian(rows["sd_diff"]))
    n = np.geomspace(max(2, rows["n"].min() * 0.8), rows["n"].max() * 1.2, 200)
    for z, style in ((1.959964, "--"), (3.090232, "-")):
        for sign in (-1, 1):
            ax.plot(n, centre + sign * z * sd / np.sqrt(n), color=PALETTE["neutral"], lw=0.8, ls=style)
    distance = (rows["mean_diff"] - centre) / (sd / np.sqrt(rows["n"]))
    out = distance.abs() > 3.090232
    ax.scatter(rows.loc[~out, "n"], rows.loc[~out, "mean_diff"], s=9, color=PALETTE["post"], linewidths=0)
    ax.scatter(rows.loc[out, "n"], rows.loc[out, "mean_diff"], s=14, color=PALETTE["loss"], linewidths=0)
    ax.axhline(centre, color=PALETTE["all"], lw=0.8, label=tr(_T["national"], lang))
    ax.set_xscale("log")
    # Participant counts as plain numbers (1, 2, 5 per decade), not powers of ten.
    ax.xaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _position: fmt.integer(value, lang=lang)))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel(tr(_T["n_axis"], lang))
    ax.set_ylabel(textwrap.fill(_axis_label("MD", unit, lang), 40))
    far = distance[out].abs().sort_values(ascending=False).head(labelled).index
    for corner, side in (("upper right", distance > 0), ("lower right", distance < 0)):
        chosen = [i for i in far if side[i]]
        _stack_labels(ax, list(zip(rows.loc[chosen, "n"], rows.loc[chosen, "mean_diff"])),
                      list(rows.loc[chosen, "training"]), corner=corner)
    _note(ax, tr(_T["outliers"], lang, n=int(out.sum())))
    return ax


@_styled
def province_multiples(trainings: pd.DataFrame, meta: pd.DataFrame, *, scale: str, measure: str = "MD",
                       label: str | None = None, unit: str | None = None, lang: str | None = None):
    """Small multiples: one panel per province with its trainings' gains and CIs (sorted,
    unlabelled) and the national pooled estimate; panels share the x axis.

    Returns
    -------
    matplotlib Figure

    Examples
    --------
    >>> import pandas as pd, evalkit.charts
    >>> t = pd.DataFrame({"training": ["A", "B", "C"], "province": ["Aceh", "Aceh", "Papua"], "scale": "s",
    ...                   "n": 30, "mean_diff": [1.0, 2.0, 1.4], "ci_low": [0.1, 1.0, 0.4],
    ...                   "ci_high": [1.9, 3.0, 2.4]})
    >>> fig = evalkit.charts.province_multiples(t, pd.DataFrame(columns=["level", "scale", "measure"]),
    ...                                         scale="s")
    """
    est, low, high = _COLUMNS[measure]
    rows = trainings[trainings["scale"] == scale]
    provinces = sorted(rows["province"].unique())
    cols = min(5, max(1, len(provinces)))
    n_rows = max(1, -(-len(provinces) // cols))
    height = min(A4_MAX_HEIGHT, 0.3 + 1.25 * n_rows)
    # Fixed margins instead of the constrained layout, whose solver took 3 of 5 s on 34 panels.
    fig, axes = plt.subplots(n_rows, cols, figsize=(A4_FULL_WIDTH, height), sharex=True, squeeze=False,
                             gridspec_kw=_grid_margins(A4_FULL_WIDTH, height, n_rows, cols))
    fig.set_layout_engine(PlaceHolderLayoutEngine(adjust_compatible=True, colorbar_gridspec=True))  # save() keeps it
    pooled = _pooled_row(meta, level="national", scale=scale, measure=measure)
    for ax, province in zip(axes.flat, provinces):
        part = rows[rows["province"] == province].sort_values(est, kind="stable")
        y = np.arange(len(part))
        _ci_lines(ax, y, part[low], part[high], horizontal=True, colour=PALETTE["sky"])
        ax.scatter(part[est], y, s=5, color=PALETTE["post"], zorder=3, linewidths=0)
        if pooled is not None:
            ax.axvline(pooled["estimate"], color=PALETTE["all"], lw=0.6)
        ax.axvline(0, color=PALETTE["neutral"], lw=0.5)
        ax.set_yticks([])
        ax.set_ylim(-1, max(len(part), 3))
        ax.set_title(textwrap.shorten(f"{province} ({len(part)})", 24, placeholder="…"), fontsize=6.5, loc="left")
        ax.tick_params(labelsize=6)
    for ax in axes.flat[len(provinces):]:
        ax.set_axis_off()
    fig.supxlabel(_axis_label(measure, unit, lang), fontsize=7.5, y=0.08 / height, va="bottom")
    fig.suptitle(textwrap.fill(tr(_T["multiples_title"], lang, scale=label or scale), 100), fontsize=8.5,
                 x=0.01, ha="left", y=1 - 0.06 / height, va="top")
    return fig


def _grid_margins(width: float, height: float, rows: int, cols: int, *, top: float = 0.5, bottom: float = 0.5,
                  side: float = 0.12, gap_y: float = 0.24, gap_x: float = 0.12) -> dict:
    """Subplot margins from sizes in inches: room for the title above, the tick labels and
    axis label below, and each panel's title between rows."""
    panel_h = (height - top - bottom - (rows - 1) * gap_y) / rows
    panel_w = (width - 2 * side - (cols - 1) * gap_x) / cols
    return {"left": side / width, "right": 1 - side / width, "top": 1 - top / height, "bottom": bottom / height,
            "hspace": gap_y / panel_h, "wspace": gap_x / panel_w}


@_styled
def year_trend(trainings: pd.DataFrame, meta: pd.DataFrame, trend: pd.DataFrame, *, scale: str,
               measure: str = "MD", label: str | None = None, unit: str | None = None, ax=None,
               lang: str | None = None):
    """The gain by year: trainings as grey dots, the pooled estimate per year with its CI,
    and the meta-regression line with its slope per year.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd, evalkit.charts
    >>> t = pd.DataFrame({"training": ["A", "B", "C"], "year": [2025, 2025, 2026], "scale": "s",
    ...                   "mean_diff": [1.0, 2.0, 2.5]})
    >>> m = pd.DataFrame({"level": "year", "measure": "MD", "scale": "s", "year": [2025, 2026],
    ...                   "estimate": [1.5, 2.5], "ci_low": [0.5, 1.0], "ci_high": [2.5, 4.0]})
    >>> trend = pd.DataFrame({"measure": "MD", "scale": "s", "term": ["intercept", "year"],
    ...                       "estimate": [1.5, 1.0], "ci_low": [0.5, -0.5], "ci_high": [2.5, 2.5],
    ...                       "center": 2025})
    >>> ax = evalkit.charts.year_trend(t, m, trend, scale="s")
    """
    est = _COLUMNS[measure][0]
    rows = trainings[trainings["scale"] == scale]
    ax = ax if ax is not None else _new_axes(3.4)
    _title(ax, tr(_T["trend_title"], lang, scale=label or scale))
    if rows.empty:
        return _empty(ax, lang)
    jitter = np.random.default_rng(0).uniform(-0.15, 0.15, len(rows))
    ax.scatter(rows["year"] + jitter, rows[est], s=6, color=PALETTE["neutral"], linewidths=0)
    years = meta[(meta["level"] == "year") & (meta["scale"] == scale) & (meta["measure"] == measure)]
    years = years[np.isfinite(years["estimate"].astype(float))]
    ax.errorbar(years["year"], years["estimate"], yerr=[years["estimate"] - years["ci_low"],
                years["ci_high"] - years["estimate"]], fmt="D", color=PALETTE["post"], ms=5, capsize=3, lw=1)
    fit = trend[(trend["scale"] == scale) & (trend["measure"] == measure)].set_index("term")
    if len(fit) == 2 and np.isfinite(fit["estimate"]).all():
        span = np.array([rows["year"].min(), rows["year"].max()], dtype=float)
        slope = fit.loc["year"]
        ax.plot(span, fit.loc["intercept", "estimate"] + slope["estimate"] * (span - fit["center"].iloc[0]),
                color=PALETTE["accent"], lw=1.2)
        _note(ax, tr(_T["slope"], lang, **{key: fmt.number(slope[column], 2, lang=lang, sign=True) for key, column
                                             in (("slope", "estimate"), ("low", "ci_low"), ("high", "ci_high"))}))
    ax.axhline(0, color="black", lw=0.6)
    ax.set_xticks(sorted(rows["year"].unique()))
    ax.set_xlabel(tr(_T["year"], lang))
    ax.set_ylabel(textwrap.fill(_axis_label(measure, unit, lang), 40))
    return ax
