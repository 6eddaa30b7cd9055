"""Participant-level charts of :mod:`evalkit.charts`: paired lines, reliable change and participant flow.

Individual participants appear only as unlabelled lines or points, never with their code.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection

from ._base import (A4_HALF_WIDTH, PALETTE, _T, _below, _empty, _group_name, _new_axes, _note, _styled,
                           _title, _unit, _width_share, _wrap)
from .._i18n import tr
from ..questionnaire import Questionnaire
from ..privacy import MIN_GROUP_SIZE, find_suppressed


def _one_group(data: pd.DataFrame, group: str, min_group_size: int) -> pd.DataFrame | None:
    """The rows of one group, or None when the small-group rule hides that group."""
    sizes = data.groupby("group").size().rename("n").reset_index()
    if find_suppressed(sizes, k=min_group_size, by=())[sizes["group"] == group].any():
        return None
    return data[data["group"] == group]


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
        data = _one_group(data, group, min_group_size)
        if data is None:
            return _empty(ax, lang, tr(_T["group_hidden"], lang, k=min_group_size))
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


@_styled
def participant_flow(flow: pd.DataFrame, questionnaire: Questionnaire | None = None, *, ax=None,
                     lang: str | None = None):
    """Flow diagram from rows read to participants analysed, with exclusions and their reasons.

    Parameters
    ----------
    flow : DataFrame
        :func:`evalkit.report.participant_flow` (``stage, wave, scale, n``).
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
    box, arrow = _BOX, _ARROW

    def get(stage, wave=None):
        part = flow[(flow["stage"] == stage) & ((flow["wave"] == wave) if wave else True)]
        return int(part["n"].sum())

    waves = list(dict.fromkeys(flow.loc[flow["stage"] == "read", "wave"]))
    names = {"pre": "Pre-test", "post": "Post-test", "followup": tr(_T["flow_followup"], lang)}
    if len(waves) > 2:
        return _flow_three_waves(ax, flow, questionnaire, waves, names, get, lang)
    for x, wave, out_x in ((0.3, "pre", 0.1), (0.7, "post", 0.9)):
        _wave_column(ax, x, out_x, names[wave], wave, get, lang)
        ax.annotate("", xy=(out_x + (0.08 if x < 0.5 else -0.08), 0.64), xytext=(x, 0.64),
                    arrowprops={**arrow, "ls": "--"})
        ax.annotate("", xy=(0.5 + (-0.12 if x < 0.5 else 0.12), 0.44), xytext=(x, 0.44), arrowprops=arrow)
    ax.text(0.5, 0.44, tr(_T["flow_matched"], lang, n=get("matched")), ha="center", va="center", bbox=box,
            fontsize=8, fontweight="bold")
    return _analysed_box(ax, flow, questionnaire, (0.5, 0.38, 0.14), lang)


#: Box, side-box, arrow and line styles of the flow diagram.
_BOX = {"boxstyle": "round,pad=0.4", "fc": "white", "ec": "#333333", "lw": 0.8}
_SIDE = {**_BOX, "fc": "#f3f3f3", "ec": "#999999", "ls": "--"}
_ARROW = {"arrowstyle": "-|>", "color": "#333333", "lw": 0.8}
_LINE = {"color": "#333333", "lw": 0.8}


def _wave_column(ax, x: float, out_x: float, name: str, wave: str, get, lang) -> int:
    """A wave's box of rows read, its line down and the box of its exclusions (at
    ``out_x``); returns the rows left."""
    ax.text(x, 0.9, tr(_T["flow_read"], lang, wave=name, n=get("read", wave)), ha="center", va="center",
            bbox=_BOX, fontsize=8)
    lost = [(s, get(s, wave)) for s in _LOST]
    reasons = "\n".join(f"{tr(_T[s + '_state'], lang)}: {n}" for s, n in lost if n) or tr(_T["none"], lang)
    ax.text(out_x, 0.64, f"{tr(_T['flow_out'], lang, n=sum(n for _, n in lost))}\n{reasons}", ha="center",
            va="center", bbox=_SIDE, fontsize=7)
    ax.plot([x, x], [0.82, 0.44], **_LINE)
    return get("read", wave) - sum(n for _, n in lost)


def _analysed_box(ax, flow: pd.DataFrame, questionnaire, where: tuple[float, float, float], lang):
    """The "analysed" box (one line per scale) at ``(x, arrow start, y)``, and the title."""
    x, start, y = where
    lines = []
    for record in flow[flow["stage"] == "analysed"].to_dict("records"):
        label = questionnaire.scale(record["scale"]).label(lang) if questionnaire else record["scale"]
        lines.append(f"{textwrap.shorten(label, 44, placeholder='…')}: {record['n']}")
    ax.annotate("", xy=(x, 0.3), xytext=(x, start), arrowprops=_ARROW)
    ax.text(x, y, tr(_T["flow_analysed"], lang) + "\n" + "\n".join(lines), ha="center", va="center",
            bbox=_BOX, fontsize=7)
    _title(ax, tr(_T["flow_title"], lang))
    return ax


#: The exclusions shown under each wave, in the ledger's order.
_LOST = ("empty", "invalid", "rejected", "duplicate", "unmatched")


def _flow_three_waves(ax, flow: pd.DataFrame, questionnaire, waves: list, names: dict, get, lang):
    """:func:`participant_flow` with a follow-up: a column per wave, each with its
    exclusions (drop-out at that step); the first two waves' pairs and the follow-up rows
    matched to a pre-test participant (rows read minus exclusions) below."""
    kept = {}
    for x, wave in zip((0.14, 0.47, 0.8), waves):  # three columns
        kept[wave] = _wave_column(ax, x, x + 0.1, names.get(wave, wave), wave, get, lang)
        ax.annotate("", xy=(x + 0.03, 0.64), xytext=(x, 0.64), arrowprops={**_ARROW, "ls": "--"})
    ax.text(0.3, 0.4, tr(_T["flow_matched"], lang, n=get("matched")), ha="center", va="center", bbox=_BOX,
            fontsize=8, fontweight="bold")
    ax.text(0.8, 0.4, tr(_T["flow_followup_matched"], lang, n=kept[waves[2]]), ha="center", va="center",
            bbox=_BOX, fontsize=8, fontweight="bold")
    return _analysed_box(ax, flow, questionnaire, (0.3, 0.35, 0.13), lang)


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
        data = _one_group(data, group, min_group_size)
        if data is None:
            return _empty(ax, lang, tr(_T["group_hidden"], lang, k=min_group_size))
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
                   color=colour, marker=marker, alpha=0.7, lw=0,
                   label=_wrap(tr(_T[name], lang, n=int(pick.sum()), share=share), ax, fontsize=6.5,
                               share=0.55 * _width_share(ax)))
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
