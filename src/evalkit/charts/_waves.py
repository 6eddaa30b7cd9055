"""Three-wave chart of :mod:`evalkit.charts`: did the gain last until the follow-up?"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from .. import _numbers as fmt
from .._constants import ALL_GROUPS
from .._i18n import tr
from .._lazy import scipy_stats
from ..privacy import MIN_GROUP_SIZE
from ..questionnaire import Questionnaire
from ._base import A4_HALF_WIDTH, PALETTE, _T, _empty, _group_name, _new_axes, _styled, _title, _unit, _visible

_W = {
    "waves": {"pre": {"id": "Sebelum", "en": "Before"}, "post": {"id": "Sesudah", "en": "After"},
              "followup": {"id": "Tindak lanjut", "en": "Follow-up"}},
    "title": {"id": "{scale}: skor rata-rata sebelum, sesudah dan saat tindak lanjut, {group} (IK 95%)",
              "en": "{scale}: mean score before, after and at follow-up, {group} (95% CI)"},
}


@_styled
def retention_lines(means: pd.DataFrame, questionnaire: Questionnaire, *, scale: str, group: str | None = None,
                    ax=None, min_group_size: int = MIN_GROUP_SIZE, lang: str | None = None):
    """Mean score at each wave with its 95% CI, joined by a line, for one scale.

    Parameters
    ----------
    means : DataFrame
        ``Retention.means`` of :func:`evalkit.review.retention` (``scale, group, wave, n,
        mean, sd``): every participant answering each wave, so the waves' sets of people
        differ when some missed the follow-up (the n under each wave says how many).
    scale : str
    group : str, optional
        One group's code; all groups together by default. A group under the small-group
        rule is not drawn.
    ax, min_group_size, lang
        As :func:`prepost`.

    Returns
    -------
    matplotlib Axes; ``ax.lines[0]`` joins the wave means.

    Examples
    --------
    >>> import evalkit, pandas as pd
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> means = pd.DataFrame({"scale": "pengetahuan", "group": "ALL", "wave": ["pre", "post", "followup"],
    ...                       "n": [40, 40, 26], "mean": [50.0, 70.0, 64.0], "sd": [12.0, 11.0, 13.0]})
    >>> ax = retention_lines(means, q, scale="pengetahuan")
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['Sebelum\\nn = 40', 'Sesudah\\nn = 40', 'Tindak lanjut\\nn = 26']
    """
    ax = ax if ax is not None else _new_axes(3.0, A4_HALF_WIDTH)
    rows = means[means["scale"] == scale]
    wanted = group or ALL_GROUPS
    shown, _ = _visible(rows, min_group_size, by=("scale", "wave"))
    rows = shown[shown["group"] == wanted]
    if len(rows) < (means["scale"] == scale).sum() / max(1, means.loc[means["scale"] == scale, "group"].nunique()):
        rows = rows.iloc[:0]  # a group hidden at any wave is not drawn at all
    if rows.empty or rows["n"].max() == 0:
        return _empty(ax, lang, tr(_T["group_hidden"], lang, k=min_group_size) if group else None)
    x = np.arange(len(rows))
    n = rows["n"].to_numpy(float)
    half = scipy_stats.t.ppf(0.975, np.maximum(n - 1, 1)) * rows["sd"].to_numpy(float) / np.sqrt(np.maximum(n, 1))
    ax.errorbar(x, rows["mean"], yerr=np.where(n >= 2, half, np.nan), color=PALETTE["post"], marker="o", ms=5,
                capsize=3, lw=1.4)
    ax.set_xticks(x, [f"{tr(_W['waves'].get(w, {'id': w, 'en': w}), lang)}\nn = {int(k)}"
                      for w, k in zip(rows["wave"], n)])
    ax.set_xlim(-0.4, len(rows) - 0.6)
    ax.set_ylabel(tr(_T["score_axis"], lang, unit=_unit(questionnaire, scale, lang)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.number(v, 1 if abs(v) < 10 else 0, lang=lang)))
    ax.grid(axis="y", lw=0.4, alpha=0.5)
    _title(ax, tr(_W["title"], lang, scale=questionnaire.scale(scale).label(lang),
                  group=_group_name(questionnaire, wanted, lang).lower() if wanted == ALL_GROUPS
                  else _group_name(questionnaire, wanted, lang)))
    return ax
