"""Charts a ministry can print: A4-sized, 300 dpi, Indonesian labels by default.

Every function takes a tidy results table (from :class:`evalkit.Analysis` or
:mod:`evalkit.report_data`) and the questionnaire (for labels), draws on ``ax`` (or a new
Axes on a new A4-width figure) and returns the Axes; :func:`small_multiples` returns a
Figure. Nothing calls ``plt.show()`` or changes global settings. Colours come from the
Okabe–Ito palette, readable with the common forms of colour blindness and in greyscale.

Groups with fewer than ``min_group_size`` participants are never drawn alone; the rule is
the one of the report tables (:func:`evalkit.report_suppress.find_suppressed`, including
its complementary step) and the chart carries a note saying so. No chart shows a
participant code: individual participants appear only as unlabelled points or lines.
"""

from __future__ import annotations

import functools
import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.backends.backend_agg import FigureCanvasAgg
import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection
from matplotlib.transforms import ScaledTranslation
from scipy import stats as sps

from ._i18n import get_language, tr
from .analysis import ALL_GROUPS
from .questionnaire import Questionnaire
from .report_suppress import FLAG, MIN_GROUP_SIZE, find_suppressed

#: Okabe & Ito (2008) colour-blind-safe palette.
PALETTE = {"pre": "#999999", "post": "#0072B2", "gain": "#009E73", "loss": "#D55E00",
           "all": "#000000", "accent": "#E69F00", "sky": "#56B4E9", "neutral": "#BBBBBB"}
#: Diverging Likert colours (disagree → agree), built from the same palette.
LIKERT_COLOURS = ("#D55E00", "#E69F00", "#BBBBBB", "#56B4E9", "#0072B2")
#: A4 text width (210 mm − 2 × 25 mm margins) in inches, full and half width.
A4_FULL_WIDTH = 6.3
A4_HALF_WIDTH = 3.1
#: Tallest chart that still fits an A4 page with its caption.
A4_MAX_HEIGHT = 8.5
DPI = 300
__all__ = ["A4_FULL_WIDTH", "A4_HALF_WIDTH", "DPI", "MIN_GROUP_SIZE", "PALETTE", "gain_forest", "item_heatmap",
           "likert_bars", "paired_lines", "participant_flow", "prepost", "reliable_change", "save",
           "small_multiples", "style"]
_RC = {"font.size": 9, "axes.titlesize": 9.5, "axes.labelsize": 8.5, "xtick.labelsize": 8,
       "ytick.labelsize": 8, "legend.fontsize": 7.5, "axes.spines.top": False, "axes.spines.right": False,
       "savefig.dpi": DPI, "font.family": "DejaVu Sans", "axes.titlelocation": "left"}

_T = {
    "all": {"id": "Semua kelompok", "en": "All groups"},
    "pre": {"id": "Sebelum pelatihan (pre-test)", "en": "Before training (pre-test)"},
    "post": {"id": "Sesudah pelatihan (post-test)", "en": "After training (post-test)"},
    "pre_short": {"id": "Sebelum", "en": "Before"},
    "post_short": {"id": "Sesudah", "en": "After"},
    "prepost_title": {"id": "{scale}: skor rata-rata sebelum dan sesudah pelatihan per kelompok (IK 95%)",
                      "en": "{scale}: mean score before and after the training, by group (95% CI)"},
    "gain_title": {"id": "{scale}: kenaikan skor rata-rata per kelompok (IK 95%)",
                   "en": "{scale}: mean score gain by group (95% CI)"},
    "score_axis": {"id": "Skor rata-rata ({unit})", "en": "Mean score ({unit})"},
    "score": {"id": "Skor ({unit})", "en": "Score ({unit})"},
    "gain_axis": {"id": "Kenaikan skor (sesudah − sebelum, {unit}), IK 95%",
                  "en": "Score gain (post − pre, {unit}), 95% CI"},
    "percent": {"id": "% benar", "en": "% correct"},
    "likert": {"id": "skala 1–{points}", "en": "1–{points} scale"},
    "suppressed": {"id": "{n} kelompok tidak ditampilkan tersendiri (kurang dari {k} peserta, atau disembunyikan "
                         "agar tidak dapat dihitung dari total).",
                   "en": "{n} group(s) not shown separately (fewer than {k} participants, or hidden so they "
                         "cannot be worked out from the total)."},
    "group_hidden": {"id": "Kelompok ini tidak ditampilkan: kurang dari {k} peserta (atau disembunyikan agar "
                           "tidak dapat dihitung dari total).",
                     "en": "This group is not shown: fewer than {k} participants (or hidden so it cannot be "
                           "worked out from the total)."},
    "n": {"id": "n = {n}", "en": "n = {n}"},
    "empty": {"id": "Tidak ada data untuk ditampilkan", "en": "No data to show"},
    "paired_title": {"id": "{scale}: skor setiap peserta sebelum dan sesudah ({who})",
                     "en": "{scale}: each participant's score before and after ({who})"},
    "up_down": {"id": "naik {up} · sama {same} · turun {down} peserta",
                "en": "up {up} · same {same} · down {down} participants"},
    "likert_title": {"id": "{scale}: sebaran jawaban per butir, sebelum (atas) dan sesudah (bawah) ({who})",
                     "en": "{scale}: answers per item, before (upper) and after (lower) ({who})"},
    "likert_title_post": {"id": "{scale}: sebaran jawaban per butir ({who})",
                          "en": "{scale}: answers per item ({who})"},
    "likert_axis": {"id": "% peserta (kiri: tidak setuju, kanan: setuju)",
                    "en": "% of participants (left: disagree, right: agree)"},
    "reverse_note": {"id": "† butir berkebalikan: jawaban digambar apa adanya; skornya dibalik saat dihitung.",
                     "en": "† reverse-keyed item: answers drawn as given; the score is reversed when computed."},
    "heatmap_title": {"pre": {"id": "{scale}: % peserta menjawab benar per butir dan kelompok, sebelum pelatihan",
                              "en": "{scale}: % answering correctly per item and group, before the training"},
                      "post": {"id": "{scale}: % peserta menjawab benar per butir dan kelompok, sesudah pelatihan",
                               "en": "{scale}: % answering correctly per item and group, after the training"},
                      "change": {"id": "{scale}: perubahan % menjawab benar (sesudah − sebelum, poin persen)",
                                 "en": "{scale}: change in % answering correctly (post − pre, percentage points)"}},
    "item_axis": {"id": "Butir soal (teks lengkap di lampiran)", "en": "Item (full text in the annex)"},
    "flow_title": {"id": "Alur peserta: dari baris yang dibaca sampai yang dianalisis",
                   "en": "Participant flow: from rows read to participants analysed"},
    "flow_read": {"id": "{wave}\n{n} baris dibaca", "en": "{wave}\n{n} rows read"},
    "flow_out": {"id": "Dikeluarkan ({n}):", "en": "Excluded ({n}):"},
    "flow_matched": {"id": "Berpasangan (pre dan post)\n{n} peserta", "en": "Matched (pre and post)\n{n} participants"},
    "flow_analysed": {"id": "Dianalisis per skala (skor lengkap di kedua tes)",
                      "en": "Analysed per scale (complete score in both tests)"},
    "empty_state": {"id": "baris kosong", "en": "empty row"},
    "invalid_state": {"id": "kode/kelompok tidak sah", "en": "invalid code/group"},
    "duplicate_state": {"id": "kiriman ganda", "en": "repeated submission"},
    "unmatched_state": {"id": "tanpa pasangan", "en": "no match"},
    "none": {"id": "tidak ada", "en": "none"},
    "rc_title": {"id": "{scale}: perubahan setiap peserta dibanding galat pengukuran ({who})",
                 "en": "{scale}: each participant's change against measurement error ({who})"},
    "rc_band": {"id": "pita perubahan dalam galat pengukuran (|RCI| ≤ 1,96)",
                "en": "band of change within measurement error (|RCI| ≤ 1.96)"},
    "improved": {"id": "naik nyata: {n} ({share})", "en": "reliably improved: {n} ({share})"},
    "unchanged": {"id": "tidak berubah nyata: {n} ({share})", "en": "no reliable change: {n} ({share})"},
    "worse": {"id": "turun nyata: {n} ({share})", "en": "reliably worse: {n} ({share})"},
    "small_title": {"gain": {"id": "Kenaikan skor rata-rata per kelompok dan skala (IK 95%)",
                             "en": "Mean score gain by group and scale (95% CI)"},
                    "prepost": {"id": "Skor rata-rata sebelum (○) dan sesudah (◆) per kelompok dan skala",
                                "en": "Mean score before (○) and after (◆) by group and scale"}},
}


def style() -> dict:
    """The rcParams evalkit draws with; use as ``with plt.rc_context(evalkit.charts.style()):``."""
    return dict(_RC)


def _styled(draw):
    """Draw inside evalkit's rc context (fonts, spines) without touching global settings."""
    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        kwargs["lang"] = kwargs.get("lang") or get_language()
        with plt.rc_context(_RC):
            return draw(*args, **kwargs)
    return wrapper


def _new_axes(height: float, width: float = A4_FULL_WIDTH):
    fig = plt.figure(figsize=(width, min(max(height, 2.0), A4_MAX_HEIGHT)), layout="constrained")
    fig._evalkit_own = True  # the title may span the whole figure
    return fig.add_subplot()


def _wrap(text: str, ax, *, fontsize: float = 9.5, share: float = 1.0) -> str:
    """Wrap to the figure width (≈0.55 em per character), so nothing sticks out of an A4 page."""
    width = ax.figure.get_figwidth() * share
    return textwrap.fill(text, max(20, int(width * 72 / (fontsize * 0.56))))


def _title(ax, text: str) -> None:
    """On evalkit's own figure the title spans the page width (left-aligned); on a
    caller's Axes it is the Axes title, wrapped to the Axes' share of the figure."""
    size = _RC["axes.titlesize"]
    if getattr(ax.figure, "_evalkit_own", False):
        ax.figure.suptitle(_wrap(text, ax, fontsize=size, share=0.97), x=0.01, ha="left", fontsize=size)
    else:
        ax.set_title(_wrap(text, ax, fontsize=size, share=_width_share(ax)), loc="left", fontsize=size)


def _width_share(ax) -> float:
    if getattr(ax.figure, "_evalkit_own", False):
        return 0.97
    return max(0.25, ax.get_position().width * 0.85)


def _below(ax, points: float):
    """A transform placing things ``points`` below the bottom-left corner of ``ax``."""
    return ax.transAxes + ScaledTranslation(0, -points / 72, ax.figure.dpi_scale_trans)


def _note(ax, text: str, *, points: float = 30) -> None:
    ax.text(0, 0, _wrap(text, ax, fontsize=7, share=_width_share(ax)), transform=_below(ax, points),
            fontsize=7, style="italic", va="top", ha="left")


def _empty(ax, lang: str, text: str | None = None):
    ax.text(0.5, 0.5, textwrap.fill(text or tr(_T["empty"], lang), 50), ha="center", va="center",
            transform=ax.transAxes, fontsize=8)
    ax.set_axis_off()
    return ax


def _unit(q: Questionnaire, scale: str, lang: str) -> str:
    if q.scale(scale).scoring == "percent_correct":
        return tr(_T["percent"], lang)
    points = max((i.points or 0) for i in q.items_in(scale))
    return tr(_T["likert"], lang, points=points)


def _group_name(q: Questionnaire, group: str, lang: str) -> str:
    return tr(_T["all"], lang) if group in (ALL_GROUPS, None) else q.group_label(group, lang)


def _group_labels(rows: pd.DataFrame, q: Questionnaire, lang: str, width: int = 34) -> list[str]:
    """Group names wrapped to fit a third of an A4 page, with the number of participants."""
    return [textwrap.fill(f"{_group_name(q, g, lang)} ({tr(_T['n'], lang, n=int(n))})", width)
            for g, n in zip(rows["group"], rows["n"])]


def _visible(table: pd.DataFrame, min_group_size: int, by=("scale",)) -> tuple[pd.DataFrame, int]:
    """Rows that may be drawn, and how many groups are hidden."""
    flagged = table[FLAG].fillna(False).astype(bool) if FLAG in table.columns else None
    hidden = find_suppressed(table, k=min_group_size, by=by, hidden=flagged)
    return table[~hidden], int((hidden & (table["group"] != ALL_GROUPS)).sum())


def _ordered(rows: pd.DataFrame) -> pd.DataFrame:
    """Groups by gain (largest on top), the all-groups row at the bottom."""
    groups = rows[rows["group"] != ALL_GROUPS].sort_values("mean_diff", kind="stable")
    return pd.concat([rows[rows["group"] == ALL_GROUPS], groups])


def _mean_ci(mean, sd, n, level: float = 0.95):
    n = np.asarray(n, dtype=float)
    half = sps.t.ppf(0.5 + level / 2, np.maximum(n - 1, 1)) * np.asarray(sd, dtype=float) / np.sqrt(n)
    return np.asarray(mean) - half, np.asarray(mean) + half


@_styled
def prepost(gains: pd.DataFrame, questionnaire: Questionnaire, *, scale: str, ax=None,
            min_group_size: int = MIN_GROUP_SIZE, lang: str | None = None):
    """Dumbbell chart: each group's mean before and after the training with 95% CIs, ordered by gain.

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
    for wave, dy, marker in (("pre", 0.12, "o"), ("post", -0.12, "D")):
        low, high = _mean_ci(rows[f"mean_{wave}"], rows[f"sd_{wave}"], rows["n"])
        ax.errorbar(rows[f"mean_{wave}"], y + dy, xerr=[rows[f"mean_{wave}"] - low, high - rows[f"mean_{wave}"]],
                    fmt=marker, color=PALETTE[wave], ms=5, elinewidth=1, capsize=0, zorder=3,
                    label=tr(_T[wave], lang))
    ax.set_yticks(y, _group_labels(rows, questionnaire, lang))
    ax.axhline(0.5, color="#cccccc", lw=0.8)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlabel(tr(_T["score_axis"], lang, unit=_unit(questionnaire, scale, lang)))
    _title(ax, tr(_T["prepost_title"], lang, scale=questionnaire.scale(scale).label(lang)))
    ax.legend(loc="upper left", bbox_to_anchor=(0, 0), bbox_transform=_below(ax, 26), ncol=2, frameon=False,
              borderaxespad=0, handletextpad=0.3)
    if hidden:
        _note(ax, tr(_T["suppressed"], lang, n=hidden, k=min_group_size), points=42)
    return ax


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
    if hidden:
        _note(ax, tr(_T["suppressed"], lang, n=hidden, k=min_group_size), points=30)
    return ax


def _forest(ax, rows: pd.DataFrame, q: Questionnaire, lang: str, *, labels: bool = True, y=None) -> None:
    y = np.arange(len(rows)) if y is None else y
    pooled = (rows["group"] == ALL_GROUPS).to_numpy()
    colour = np.where(pooled, PALETTE["all"], np.where(rows["mean_diff"] >= 0, PALETTE["gain"], PALETTE["loss"]))
    ax.hlines(y, rows["ci_low"], rows["ci_high"], colors=colour, lw=1.5)
    ax.scatter(rows["mean_diff"], y, c=colour, marker="s", s=np.where(pooled, 42, 22), zorder=3)
    ax.axvline(0, color="#555555", lw=0.8, ls="--")
    if labels:
        ax.set_yticks(y, _group_labels(rows, q, lang))
        ax.axhline(0.5, color="#cccccc", lw=0.8)


@_styled
def paired_lines(matched: pd.DataFrame, questionnaire: Questionnaire, *, scale: str, group: str | None = None,
                 ax=None, min_group_size: int = MIN_GROUP_SIZE, lang: str | None = None):
    """Each participant's score before and after, as a line, over the two distributions.

    Parameters
    ----------
    matched : DataFrame
        ``analysis.matched`` (``group, scale, pre, post``; the participant column is not used).
    scale : str
    group : str, optional
        One group's code; all groups together by default.
    ax, min_group_size, lang
        As :func:`prepost`.

    Returns
    -------
    matplotlib Axes; ``ax.collections[0]`` holds one line per participant.
    """
    data = matched[matched["scale"] == scale].dropna(subset=["pre", "post"])
    ax = ax if ax is not None else _new_axes(3.3, A4_HALF_WIDTH)
    if group is not None:
        sizes = data.groupby("group").size().rename("n").reset_index()
        hidden = find_suppressed(sizes, k=min_group_size, by=())
        if hidden[sizes["group"] == group].any():
            return _empty(ax, lang, tr(_T["group_hidden"], lang, k=min_group_size))
        data = data[data["group"] == group]
    if data.empty:
        return _empty(ax, lang)
    pre, post = data["pre"].to_numpy(float), data["post"].to_numpy(float)
    jitter = np.random.default_rng(0).uniform(-0.06, 0.06, size=(len(data), 2))
    segments = np.stack([np.column_stack([jitter[:, 0], pre]), np.column_stack([1 + jitter[:, 1], post])], axis=1)
    colours = np.where(post > pre, PALETTE["post"], np.where(post < pre, PALETTE["loss"], PALETTE["pre"]))
    ax.add_collection(LineCollection(segments, colors=colours, linewidths=0.6, alpha=0.45, zorder=2))
    parts = ax.violinplot([pre, post], positions=[-0.32, 1.32], widths=0.35, showextrema=False)
    for body, wave in zip(parts["bodies"], ("pre", "post")):
        body.set_facecolor(PALETTE[wave])
        body.set_alpha(0.35)
    ax.plot([0, 1], [pre.mean(), post.mean()], color=PALETTE["all"], lw=2, marker="o", ms=4, zorder=4)
    ax.set_xticks([0, 1], [f"{tr(_T['pre_short'], lang)}\n{tr(_T['n'], lang, n=len(pre))}",
                           f"{tr(_T['post_short'], lang)}\n{tr(_T['n'], lang, n=len(post))}"])
    ax.set_xlim(-0.6, 1.6)
    ax.set_ylabel(tr(_T["score"], lang, unit=_unit(questionnaire, scale, lang)))
    who = _group_name(questionnaire, group, lang)
    _title(ax, tr(_T["paired_title"], lang, scale=questionnaire.scale(scale).label(lang), who=who))
    counts = tr(_T["up_down"], lang, up=int((post > pre).sum()), same=int((post == pre).sum()),
                down=int((post < pre).sum()))
    _note(ax, counts, points=30)
    return ax


def _short(text: str, width: int) -> str:
    lines = textwrap.wrap(text, width)
    return "\n".join(lines[:2]) + ("…" if len(lines) > 2 else "")


@_styled
def likert_bars(distribution: pd.DataFrame, questionnaire: Questionnaire, *, scale: str,
                group: str = ALL_GROUPS, ax=None, min_group_size: int = MIN_GROUP_SIZE, lang: str | None = None):
    """Diverging stacked bars of Likert answers per item, before beside after.

    Bars are centred on the neutral point: disagreement to the left, agreement to the
    right. Reverse-keyed items are marked with †; answers are drawn as given.

    Parameters
    ----------
    distribution : DataFrame
        :func:`evalkit.report_data.likert_distribution` (``scale, item, wave, group, point, share, n``).
    group : str, default "ALL"
        A group code, or ``"ALL"`` for every group together.

    Returns
    -------
    matplotlib Axes; each bar segment is a patch whose width is the share (in %).
    """
    data = distribution[(distribution["scale"] == scale) & (distribution["group"] == group)]
    items = [i for i in questionnaire.items_in(scale) if i.id in set(data["item"])]
    waves = [w for w in ("pre", "post") if w in set(data["wave"])]
    ax = ax if ax is not None else _new_axes(1.9 + 0.36 * len(items) * len(waves))
    if group != ALL_GROUPS:
        sizes = data.groupby("group")["n"].max().rename("n").reset_index()
        if data.empty or find_suppressed(sizes, k=min_group_size, by=()).any():
            return _empty(ax, lang, tr(_T["group_hidden"], lang, k=min_group_size))
    if not items:
        return _empty(ax, lang)
    points = max(i.points for i in items)
    colours = LIKERT_COLOURS if points == 5 else plt.get_cmap("PuOr")(np.linspace(0.1, 0.9, points))
    step, ticks, labels = len(waves) + 0.6, [], []
    for k, item in enumerate(items):
        for j, wave in enumerate(waves):
            shares = (data[(data["item"] == item.id) & (data["wave"] == wave)].set_index("point")["share"]
                      .reindex(range(1, points + 1)).fillna(0).to_numpy() * 100)
            middle = (points + 1) / 2
            left = -shares[np.arange(1, points + 1) < middle].sum() - (shares[int(middle) - 1] / 2
                                                                        if points % 2 else 0)
            y = -(k * step + j)
            ax.barh(np.full(points, y), shares, left=left + np.concatenate([[0], np.cumsum(shares)[:-1]]),
                    color=colours, height=0.8, edgecolor="white", linewidth=0.4)
            if len(waves) > 1:
                ax.text(1.005, y, tr(_T[f"{wave}_short"], lang), transform=ax.get_yaxis_transform(),
                        fontsize=6.5, va="center")
        ticks.append(-(k * step + (len(waves) - 1) / 2))
        labels.append(_short(f"{item.id}{' †' if item.reverse else ''} {item.label(lang)}", 38))
    ax.set_yticks(ticks, labels, fontsize=7)
    ax.axvline(0, color="#333333", lw=0.8)
    ax.set_xlim(-100, 100)
    ax.set_xticks(np.arange(-100, 101, 25), [f"{abs(v)}" for v in range(-100, 101, 25)])
    ax.set_xlabel(tr(_T["likert_axis"], lang))
    key = "likert_title" if len(waves) > 1 else "likert_title_post"
    _title(ax, tr(_T[key], lang, scale=questionnaire.scale(scale).label(lang),
                  who=_group_name(questionnaire, group, lang)))
    names = [o.label(lang) for o in items[0].options]
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colours]
    ax.legend(handles, names, loc="upper left", bbox_to_anchor=(0, 0), bbox_transform=_below(ax, 28),
              ncol=min(points, 3), frameon=False, borderaxespad=0, fontsize=7)
    if any(i.reverse for i in items):
        _note(ax, tr(_T["reverse_note"], lang), points=28 + 11 * int(np.ceil(points / 3)) + 4)
    return ax


@_styled
def item_heatmap(item_table: pd.DataFrame, questionnaire: Questionnaire, *, scale: str, value: str = "change",
                 ax=None, min_group_size: int = MIN_GROUP_SIZE, lang: str | None = None):
    """Knowledge items × groups: share answering correctly before, after, or its change.

    Parameters
    ----------
    item_table : DataFrame
        :func:`evalkit.report_data.item_correct` (``scale, item, group, n, share_pre, share_post, change``).
    value : {"change", "pre", "post"}
        What the cells show (percentage points for ``"change"``).

    Returns
    -------
    matplotlib Axes; ``ax.images[0].get_array()`` holds the drawn values (%), rows as the tick labels.
    """
    if value not in ("change", "pre", "post"):
        raise ValueError(f"The 'value' parameter of item_heatmap must be one of ['change', 'pre', 'post']; "
                         f"got {value!r} instead.")
    table = item_table[item_table["scale"] == scale]
    rows, hidden = _visible(table, min_group_size, by=("scale", "item"))
    groups = [g.code for g in questionnaire.groups if g.code in set(rows["group"])]
    groups += [ALL_GROUPS] if ALL_GROUPS in set(rows["group"]) else []
    ax = ax if ax is not None else _new_axes(2.2 + 0.3 * len(groups))
    if rows.empty:
        return _empty(ax, lang)
    column = "change" if value == "change" else f"share_{value}"
    grid = rows.pivot(index="group", columns="item", values=column).reindex(groups) * 100
    grid = grid[[i.id for i in questionnaire.items_in(scale) if i.id in grid.columns]]
    if value == "change":
        limit = max(10.0, float(np.nanmax(np.abs(grid.to_numpy()))))
        image = ax.imshow(grid.to_numpy(), cmap="PuOr", vmin=-limit, vmax=limit, aspect="auto")
    else:
        image = ax.imshow(grid.to_numpy(), cmap="cividis", vmin=0, vmax=100, aspect="auto")
    for (r, c), v in np.ndenumerate(grid.to_numpy()):
        if np.isfinite(v):
            text = f"{v:+.0f}" if value == "change" else f"{v:.0f}"
            shade = image.norm(v)
            ax.text(c, r, text.replace("-", "−"), ha="center", va="center", fontsize=6,
                    color="white" if (shade < 0.35 if value != "change" else abs(shade - 0.5) > 0.33) else "black")
    sizes = rows.drop_duplicates("group").set_index("group")["n"].reindex(groups)
    ax.set_yticks(range(len(groups)), _group_labels(pd.DataFrame({"group": groups, "n": sizes.to_numpy()}),
                                                    questionnaire, lang, width=30), fontsize=7)
    ax.set_xticks(range(grid.shape[1]), grid.columns, rotation=90, fontsize=7)
    ax.set_xlabel(tr(_T["item_axis"], lang))
    ax.spines[:].set_visible(False)
    ax.figure.colorbar(image, ax=ax, shrink=0.8, pad=0.01).ax.tick_params(labelsize=7)
    _title(ax, tr(_T["heatmap_title"][value], lang, scale=questionnaire.scale(scale).label(lang)))
    if hidden:
        _note(ax, tr(_T["suppressed"], lang, n=hidden, k=min_group_size), points=44)
    return ax


@_styled
def participant_flow(flow: pd.DataFrame, questionnaire: Questionnaire | None = None, *, ax=None,
                     lang: str | None = None):
    """Flow diagram from rows read to participants analysed, with exclusions and their reasons.

    Parameters
    ----------
    flow : DataFrame
        :func:`evalkit.report_data.participant_flow` (``stage, wave, scale, n``).
    questionnaire : Questionnaire, optional
        For the scale labels of the "analysed" box.

    Returns
    -------
    matplotlib Axes (axis hidden); every box is a text artist in ``ax.texts``.
    """
    ax = ax if ax is not None else _new_axes(4.2)
    if flow.empty:
        return _empty(ax, lang)
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    box = {"boxstyle": "round,pad=0.4", "fc": "white", "ec": "#333333", "lw": 0.8}
    side = {**box, "fc": "#f3f3f3", "ec": "#999999", "ls": "--"}
    arrow = {"arrowstyle": "-|>", "color": "#333333", "lw": 0.8}

    def get(stage, wave=None):
        part = flow[(flow["stage"] == stage) & ((flow["wave"] == wave) if wave else True)]
        return int(part["n"].sum())

    names = {"pre": "Pre-test", "post": "Post-test"}
    line = {"color": "#333333", "lw": 0.8}
    for x, wave, out_x in ((0.3, "pre", 0.1), (0.7, "post", 0.9)):
        ax.text(x, 0.9, tr(_T["flow_read"], lang, wave=names[wave], n=get("read", wave)), ha="center", va="center",
                bbox=box, fontsize=8)
        lost = [(s, get(s, wave)) for s in ("empty", "invalid", "duplicate", "unmatched")]
        reasons = "\n".join(f"{tr(_T[s + '_state'], lang)}: {n}" for s, n in lost if n) or tr(_T["none"], lang)
        ax.text(out_x, 0.64, f"{tr(_T['flow_out'], lang, n=sum(n for _, n in lost))}\n{reasons}", ha="center",
                va="center", bbox=side, fontsize=7)
        ax.plot([x, x], [0.82, 0.44], **line)
        ax.annotate("", xy=(out_x + (0.08 if x < 0.5 else -0.08), 0.64), xytext=(x, 0.64),
                    arrowprops={**arrow, "ls": "--"})
        ax.annotate("", xy=(0.5 + (-0.12 if x < 0.5 else 0.12), 0.44), xytext=(x, 0.44), arrowprops=arrow)
    ax.text(0.5, 0.44, tr(_T["flow_matched"], lang, n=get("matched")), ha="center", va="center", bbox=box,
            fontsize=8, fontweight="bold")
    analysed = flow[flow["stage"] == "analysed"]
    lines = []
    for record in analysed.to_dict("records"):
        label = questionnaire.scale(record["scale"]).label(lang) if questionnaire else record["scale"]
        lines.append(f"{textwrap.shorten(label, 44, placeholder='…')}: {record['n']}")
    ax.annotate("", xy=(0.5, 0.3), xytext=(0.5, 0.38), arrowprops=arrow)
    ax.text(0.5, 0.14, tr(_T["flow_analysed"], lang) + "\n" + "\n".join(lines), ha="center", va="center",
            bbox=box, fontsize=7)
    _title(ax, tr(_T["flow_title"], lang))
    return ax


@_styled
def reliable_change(change: pd.DataFrame, questionnaire: Questionnaire, *, scale: str, group: str | None = None,
                    ax=None, min_group_size: int = MIN_GROUP_SIZE, lang: str | None = None):
    """Each participant's pre (x) against post (y), with the band of change within measurement error.

    Parameters
    ----------
    change : DataFrame
        Per participant × scale: ``group, scale, pre, post, rci`` (Jacobson–Truax index,
        ``analysis.change``). The band's half-width 1.96 × S_diff is recovered from the table
        (``S_diff = (post − pre) / rci``).
    group : str, optional
        One group's code; all groups by default.

    Returns
    -------
    matplotlib Axes; ``ax.collections`` holds the points of each class (improved, unchanged, worse).
    """
    data = change[change["scale"] == scale].dropna(subset=["pre", "post", "rci"])
    ax = ax if ax is not None else _new_axes(3.6, A4_HALF_WIDTH)
    if group is not None:
        sizes = data.groupby("group").size().rename("n").reset_index()
        if find_suppressed(sizes, k=min_group_size, by=())[sizes["group"] == group].any():
            return _empty(ax, lang, tr(_T["group_hidden"], lang, k=min_group_size))
        data = data[data["group"] == group]
    if data.empty:
        return _empty(ax, lang)
    diff = data["post"] - data["pre"]
    nonzero = data["rci"].abs() > 1e-9
    s_diff = float(np.median(diff[nonzero] / data.loc[nonzero, "rci"])) if nonzero.any() else np.nan
    low = float(min(data["pre"].min(), data["post"].min()))
    high = float(max(data["pre"].max(), data["post"].max()))
    pad = (high - low) * 0.05 or 1
    grid = np.array([low - pad, high + pad])
    ax.plot(grid, grid, color="#555555", lw=0.8)
    if np.isfinite(s_diff):
        ax.fill_between(grid, grid - 1.96 * s_diff, grid + 1.96 * s_diff, color=PALETTE["neutral"], alpha=0.35,
                        lw=0, label=_wrap(tr(_T["rc_band"], lang), ax, fontsize=6.5, share=0.55 * _width_share(ax)))
    klass = np.where(data["rci"] > 1.96, "improved", np.where(data["rci"] < -1.96, "worse", "unchanged"))
    offsets = np.random.default_rng(0).uniform(-0.3, 0.3, size=(len(data), 2)) * pad / 5
    for name, colour, marker in (("improved", PALETTE["post"], "^"), ("unchanged", PALETTE["pre"], "o"),
                                 ("worse", PALETTE["loss"], "v")):
        pick = klass == name
        share = f"{100 * pick.mean():.0f}%"
        ax.scatter(data["pre"][pick] + offsets[pick, 0], data["post"][pick] + offsets[pick, 1], s=10,
                   color=colour, marker=marker, alpha=0.7, lw=0, label=tr(_T[name], lang, n=int(pick.sum()),
                                                                           share=share))
    ax.set_xlim(*grid)
    ax.set_ylim(*grid)
    ax.set_aspect("equal")
    unit = _unit(questionnaire, scale, lang)
    ax.set_xlabel(f"{tr(_T['pre_short'], lang)} ({unit})")
    ax.set_ylabel(f"{tr(_T['post_short'], lang)} ({unit})")
    _title(ax, tr(_T["rc_title"], lang, scale=questionnaire.scale(scale).label(lang),
                  who=_group_name(questionnaire, group, lang)))
    ax.legend(loc="upper left", bbox_to_anchor=(0, 0), bbox_transform=_below(ax, 30), frameon=False,
              borderaxespad=0, fontsize=6.5)
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
    if kind not in ("gain", "prepost"):
        raise ValueError(f"The 'kind' parameter of small_multiples must be one of ['gain', 'prepost']; "
                         f"got {kind!r} instead.")
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
        if fmt not in ("png", "svg", "pdf"):
            raise ValueError(f"The 'formats' parameter of save must hold 'png', 'svg' or 'pdf'; got {fmt!r}.")
        out = Path(path).with_suffix("." + fmt)
        if fmt == "png":
            # Agg's own writer draws once; savefig would first make a full dry-run
            # rendering to place the constrained layout, doubling the cost.
            fig.set_dpi(DPI)
            FigureCanvasAgg(fig).print_png(out, pil_kwargs={"compress_level": 1, "dpi": (DPI, DPI)})
        else:
            fig.savefig(out, dpi=DPI, format=fmt)
        paths.append(out)
    plt.close(fig)
    return paths
