"""Shared pieces of :mod:`evalkit.charts`: palette, A4 sizes, drawing style, messages and helpers.

The helpers are the ones every chart uses: a new A4-width Axes, a title and notes that
fit the page, the empty state, scale units, group labels and the small-group rule of
the report tables (:func:`evalkit.privacy.find_suppressed`).
"""

from __future__ import annotations

import functools
import textwrap

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import ScalarFormatter
from matplotlib.transforms import ScaledTranslation, blended_transform_factory

from .._errors import EvalkitError
from .._i18n import get_language, tr
from .._constants import ALL_GROUPS
from ..questionnaire import Questionnaire
from ..privacy import FLAG, find_suppressed

#: Okabe & Ito (2008) colour-blind-safe palette.
PALETTE = {"pre": "#999999", "post": "#0072B2", "gain": "#009E73", "loss": "#D55E00",
           "all": "#000000", "accent": "#E69F00", "sky": "#56B4E9", "neutral": "#BBBBBB"}
#: Diverging Likert colours (disagree → agree), built from the same palette.
#: Orange (disagree) and blue (agree) hues stay apart for colour-blind readers; each point also has its
#: own lightness (grey levels 62, 162, 187, 215, 97), so a grey photocopy still tells them apart.
LIKERT_COLOURS = ("#7F2704", "#E69F00", "#BBBBBB", "#C6DBEF", "#2171B5")
#: A4 text width (210 mm − 2 × 25 mm margins) in inches, full and half width.
A4_FULL_WIDTH = 6.3
A4_HALF_WIDTH = 3.1
#: Tallest chart that still fits an A4 page with its caption.
A4_MAX_HEIGHT = 8.5
DPI = 300
_RC = {"font.size": 9, "axes.titlesize": 9.5, "axes.labelsize": 8.5, "xtick.labelsize": 8,
       "ytick.labelsize": 8, "legend.fontsize": 7.5, "axes.spines.top": False, "axes.spines.right": False,
       "savefig.dpi": DPI, "font.family": "DejaVu Sans", "axes.titlelocation": "left"}

_M = {
    "choice": {"code": "EK-CH-001",
               "id": "Parameter '{param}' dari {function} harus salah satu dari {allowed}; diberikan {found!r}.",
               "en": "The '{param}' parameter of {function} must be one of {allowed}; got {found!r} instead."},
}


def _check_choice(function: str, param: str, value: object, allowed: tuple[str, ...]) -> None:
    """Raise unless ``value`` (of ``function``'s parameter ``param``) is one of ``allowed``."""
    if value not in allowed:
        raise EvalkitError(tr(_M["choice"], param=param, function=function, allowed=list(allowed), found=value))


_T = {
    "all": {"id": "Semua kelompok", "en": "All groups"},
    "pre": {"id": "Sebelum pelatihan (pre-test)", "en": "Before training (pre-test)"},
    "post": {"id": "Sesudah pelatihan (post-test)", "en": "After training (post-test)"},
    "pre_short": {"id": "Sebelum", "en": "Before"},
    "post_short": {"id": "Sesudah", "en": "After"},
    "prepost_title": {"id": "{scale}: skor rata-rata sebelum dan sesudah pelatihan per kelompok",
                      "en": "{scale}: mean score before and after the training, by group"},
    "gain_column": {"id": "Kenaikan [IK 95%]", "en": "Gain [95% CI]"},
    "sig_note": {"id": "Kenaikan = sesudah − sebelum pada peserta yang sama, dengan IK 95% (tanpa koreksi); * bermakna "
                       "(p Holm < 0,05 untuk kelompok, p < 0,05 untuk semua kelompok).",
                 "en": "Gain = after − before in the same participants, with its 95% CI (unadjusted); * significant "
                       "(Holm p < 0.05 for groups, p < 0.05 for all groups)."},
    "forest_note": {"id": "Kotak penuh: perubahan bermakna (p Holm < 0,05 untuk kelompok, p < 0,05 untuk semua "
                          "kelompok); kotak kosong: belum bermakna. IK 95% tanpa koreksi Holm.",
                    "en": "Filled square: significant change (Holm p < 0.05 for groups, p < 0.05 for all groups); "
                          "hollow: not significant. 95% CIs not Holm-adjusted."},
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
    "flow_followup": {"id": "Tindak lanjut", "en": "Follow-up"},
    "flow_followup_matched": {"id": "Tindak lanjut cocok dengan\npeserta pre-test: {n} peserta",
                              "en": "Follow-up matched to a\npre-test participant: {n}"},
    "flow_analysed": {"id": "Dianalisis per skala (skor lengkap di kedua tes)",
                      "en": "Analysed per scale (complete score in both tests)"},
    "empty_state": {"id": "baris kosong", "en": "empty row"},
    "invalid_state": {"id": "kode/kelompok tidak sah", "en": "invalid code/group"},
    "rejected_state": {"id": "ditolak pemeriksa", "en": "rejected by a reviewer"},
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
    "effect_title": {"id": "Besar kenaikan per kriteria keberhasilan, semua kelompok (ukuran efek d_z, IK 95%)",
                     "en": "Size of the gain per success criterion, all groups (effect size d_z, 95% CI)"},
    "effect_axis": {"id": "d_z = kenaikan rata-rata / simpangan baku kenaikan",
                    "en": "d_z = mean gain / SD of the gains"},
    "effect_marks": {"id": ("kecil", "sedang", "besar"), "en": ("small", "medium", "large")},
    "small_title": {"gain": {"id": "Kenaikan skor rata-rata per kelompok dan skala (IK 95% tanpa koreksi; kotak penuh: "
                                   "bermakna, p Holm < 0,05 untuk kelompok)",
                             "en": "Mean score gain by group and scale (unadjusted 95% CI; filled square: significant, "
                                   "Holm p < 0.05 for groups)"},
                    "prepost": {"id": "Skor rata-rata sebelum (○) dan sesudah (◆) per kelompok dan skala",
                                "en": "Mean score before (○) and after (◆) by group and scale"}},
}


class _CommaFormatter(ScalarFormatter):
    """matplotlib's default tick labels with the Indonesian decimal comma ("0,5")."""

    def __call__(self, x, pos=None):
        return super().__call__(x, pos).replace(".", ",")

    def get_offset(self):
        return super().get_offset().replace(".", ",")


def decimal_commas(fig) -> None:
    """Give every numeric axis of ``fig`` that uses the default formatter decimal commas."""
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if type(axis.get_major_formatter()) is ScalarFormatter:
                axis.set_major_formatter(_CommaFormatter())


def _styled(draw):
    """Draw inside evalkit's rc context (fonts, spines) without touching global settings;
    Indonesian charts get decimal commas on their axes, as in the report's text."""
    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        kwargs["lang"] = kwargs.get("lang") or get_language()
        with plt.rc_context(_RC):
            drawn = draw(*args, **kwargs)
        if kwargs["lang"] == "id" and drawn is not None:
            first = drawn[0] if isinstance(drawn, (list, tuple)) else drawn  # e.g. before/after panels
            decimal_commas(first if isinstance(first, plt.Figure) else first.figure)
        return drawn
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
    """Small print under the Axes. On evalkit's own figure it starts at the figure's left edge,
    like the title, so it is wrapped to the page width whatever room the tick labels take."""
    if getattr(ax.figure, "_evalkit_own", False):
        where = (blended_transform_factory(ax.figure.transFigure, ax.transAxes)
                 + ScaledTranslation(0, -points / 72, ax.figure.dpi_scale_trans))
        ax.text(0.01, 0, _wrap(text, ax, fontsize=7, share=0.97), transform=where, fontsize=7, style="italic",
                va="top", ha="left")
        return
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


def _short(text: str, width: int) -> str:
    lines = textwrap.wrap(text, width)
    return "\n".join(lines[:2]) + ("…" if len(lines) > 2 else "")
