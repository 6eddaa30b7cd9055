"""Item-level charts of :mod:`evalkit.charts`: Likert answer distributions and knowledge items by group."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ._base import (LIKERT_COLOURS, _T, _below, _check_choice, _empty, _group_labels, _group_name, _new_axes, _note,
                           _short, _styled, _title, _visible)
from .._i18n import tr
from .._constants import ALL_GROUPS
from ..questionnaire import Questionnaire
from ..privacy import MIN_GROUP_SIZE, find_suppressed


@_styled
def likert_bars(distribution: pd.DataFrame, questionnaire: Questionnaire, *, scale: str,
                group: str = ALL_GROUPS, ax=None, min_group_size: int = MIN_GROUP_SIZE, lang: str | None = None):
    """Diverging stacked bars of Likert answers per item, before beside after.

    Bars are centred on the neutral point: disagreement to the left, agreement to the
    right. Reverse-keyed items are marked with †; answers are drawn as given.

    Parameters
    ----------
    distribution : DataFrame
        :func:`evalkit.report.likert_distribution` (``scale, item, wave, group, point, share, n``).
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
    ticks, labels = _likert_rows(ax, data, items, waves, points, colours, lang)
    ax.set_yticks(ticks, labels, fontsize=7)
    ax.axvline(0, color="#333333", lw=0.8)
    ax.set_xlim(-100, 100)
    ax.set_xticks(np.arange(-100, 101, 25), [f"{abs(v)}" for v in range(-100, 101, 25)])
    ax.set_xlabel(tr(_T["likert_axis"], lang))
    key = "likert_title" if len(waves) > 1 else "likert_title_post"
    _title(ax, tr(_T[key], lang, scale=questionnaire.scale(scale).label(lang),
                  who=_group_name(questionnaire, group, lang)))
    _likert_legend(ax, items, points, colours, lang)
    return ax


def _centred_left(shares: np.ndarray, points: int) -> float:
    """Left end of a bar whose neutral point (or the gap between the middle two) sits at 0."""
    middle = (points + 1) / 2
    return -shares[np.arange(1, points + 1) < middle].sum() - (shares[int(middle) - 1] / 2 if points % 2 else 0)


def _likert_rows(ax, data: pd.DataFrame, items, waves, points: int, colours, lang) -> tuple[list, list]:
    """One diverging bar per item × wave; returns the item ticks and labels."""
    step, ticks, labels = len(waves) + 0.6, [], []
    for k, item in enumerate(items):
        for j, wave in enumerate(waves):
            shares = (data[(data["item"] == item.id) & (data["wave"] == wave)].set_index("point")["share"]
                      .reindex(range(1, points + 1)).fillna(0).to_numpy() * 100)
            y = -(k * step + j)
            left = _centred_left(shares, points) + np.concatenate([[0], np.cumsum(shares)[:-1]])
            ax.barh(np.full(points, y), shares, left=left, color=colours, height=0.8, edgecolor="white",
                    linewidth=0.4)
            if len(waves) > 1:
                ax.text(1.005, y, tr(_T[f"{wave}_short"], lang), transform=ax.get_yaxis_transform(),
                        fontsize=6.5, va="center")
        ticks.append(-(k * step + (len(waves) - 1) / 2))
        labels.append(_short(f"{item.id}{' †' if item.reverse else ''} {item.label(lang)}", 38))
    return ticks, labels


def _likert_legend(ax, items, points: int, colours, lang) -> None:
    """The answer options below the axes, and the note on reverse-keyed items when any."""
    names = [o.label(lang) for o in items[0].options]
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colours]
    ax.legend(handles, names, loc="upper left", bbox_to_anchor=(0, 0), bbox_transform=_below(ax, 28),
              ncol=min(points, 3), frameon=False, borderaxespad=0, fontsize=7)
    if any(i.reverse for i in items):
        _note(ax, tr(_T["reverse_note"], lang), points=28 + 11 * int(np.ceil(points / 3)) + 4)


@_styled
def item_heatmap(item_table: pd.DataFrame, questionnaire: Questionnaire, *, scale: str, value: str = "change",
                 ax=None, min_group_size: int = MIN_GROUP_SIZE, lang: str | None = None):
    """Knowledge items × groups: share answering correctly before, after, or its change.

    Parameters
    ----------
    item_table : DataFrame
        :func:`evalkit.report.item_correct` (``scale, item, group, n, share_pre, share_post, change``).
    value : {"change", "pre", "post"}
        What the cells show (percentage points for ``"change"``).

    Returns
    -------
    matplotlib Axes; ``ax.images[0].get_array()`` holds the drawn values (%), rows as the tick labels.
    """
    _check_choice("item_heatmap", "value", value, ("change", "pre", "post"))
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
