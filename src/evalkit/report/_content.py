"""The report draft as a list of blocks (headings, sentences, tables, charts).

Built once from the (suppressed) report tables and rendered twice, to DOCX and to HTML
(:mod:`evalkit.report_render`), so both say the same. The summary sentences are
generated from the numbers; numbers in text follow the language (:mod:`evalkit._numbers`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import _numbers as fmt
from .._i18n import tr
from .._constants import ALL_GROUPS
from ..privacy import FLAG

LEVEL_ORDER = ("reaction", "learning", "behaviour")


@dataclass
class Block:
    """One piece of the report.

    ``kind`` is heading, para, note (small print), bullets, table, image, pagebreak, cover
    (``items``: its lines, the first the title), toc (the table of contents) or signature
    (``table``: one column per signatory). ``key`` names a table or image so that text can
    cite it as ``{ref:key}`` ("Tabel 3"); ``numbered`` headings get their chapter number.
    """

    kind: str
    text: str = ""
    level: int = 1
    items: list[str] = field(default_factory=list)
    table: pd.DataFrame | None = None
    image: Path | None = None
    width: float = 6.3
    key: str = ""
    numbered: bool = False


_T = {
    "overview": {"id": "Sebanyak {n} peserta dari {groups} kelompok mengisi pre-test dan post-test dan dapat "
                       "dipasangkan.",
                 "en": "{n} participants from {groups} groups took both the pre-test and the post-test and could "
                       "be matched."},
    "scale_up": {"id": "{scale}: rata-rata naik dari {pre} menjadi {post} ({gain} {unit}; IK 95% {ci}; {p}).",
                 "en": "{scale}: the mean rose from {pre} to {post} ({gain} {unit}; 95% CI {ci}; {p})."},
    "scale_down": {"id": "{scale}: rata-rata turun dari {pre} menjadi {post} ({gain} {unit}; IK 95% {ci}; {p}).",
                   "en": "{scale}: the mean fell from {pre} to {post} ({gain} {unit}; 95% CI {ci}; {p})."},
    "sure_down": {"id": "Penurunan ini lebih besar daripada yang dapat dijelaskan oleh kebetulan.",
                  "en": "This drop is larger than chance can explain."},
    "unsure": {"id": "Perubahan ini belum dapat dibedakan dari kebetulan (IK 95% mencakup nol).",
               "en": "This change cannot be told apart from chance (the 95% CI includes zero)."},
    "best_worst": {"id": "Kenaikan terbesar pada {best} ({bgain} {unit}; IK 95% {bci}); terkecil pada "
                         "{worst} ({wgain} {unit}; IK 95% {wci}).",
                   "en": "The largest gain was in {best} ({bgain} {unit}; 95% CI {bci}); the smallest in {worst} "
                         "({wgain} {unit}; 95% CI {wci})."},
    "n_sig": {"id": "Kenaikan bermakna secara statistik (p Holm < 0,05) di {k} dari {m} kelompok.",
              "en": "The gain is statistically significant (Holm p < 0.05) in {k} of {m} groups."},
    "effect_rank": {"id": "Dilihat dari ukuran efek d_z (dapat dibandingkan antarskala), kenaikan terbesar ada "
                          "pada {top} (d_z = {dtop}, efek {wtop}) dan terkecil pada {low} (d_z = {dlow}, efek {wlow}).",
                    "en": "By effect size d_z (comparable across scales), the largest gain was in {top} "
                          "(d_z = {dtop}, {wtop} effect) and the smallest in {low} (d_z = {dlow}, {wlow} effect)."},
    "top_groups": {"id": "Secara keseluruhan (rata-rata d_z semua skala), kelompok yang paling banyak naik: {top}; "
                         "yang paling sedikit: {low}.",
                   "en": "Overall (mean d_z across scales), the groups that gained most: {top}; least: {low}."},
    "post_only": {"id": "{scale} (hanya sesudah pelatihan): rata-rata {mean} pada {unit} ({n} peserta).",
                  "en": "{scale} (after the training only): mean {mean} on a {unit} ({n} participants)."},
    "not_measured": {"id": "{scale} belum diukur: skala ini diisi pada tindak lanjut ({waves}).",
                     "en": "{scale} has not been measured yet: it is asked at follow-up ({waves})."},
    "suppressed": {"id": "Perlindungan kelompok kecil: {n} sel kelompok × skala tidak ditampilkan karena "
                         "menggambarkan kurang dari {k} peserta atau dapat dihitung balik dari total (aturan "
                         "pelengkap). Jumlah peserta (n) tetap ditampilkan.",
                   "en": "Small-group protection: {n} group × scale cells are not shown because they describe "
                         "fewer than {k} participants or could be worked out from the totals (complementary rule). "
                         "The number of participants (n) is still shown."},
    "no_suppression": {"id": "Tidak ada kelompok dengan kurang dari {k} peserta berpasangan; tidak ada sel yang "
                             "perlu disembunyikan.",
                       "en": "No group has fewer than {k} matched participants; no cell had to be suppressed."},
    "effect_words": {"id": ["sangat kecil", "kecil", "sedang", "besar"],
                     "en": ["negligible", "small", "medium", "large"]},
    "points": {"id": "poin", "en": "points"},
    "pp": {"id": "poin persen", "en": "percentage points"},
    "likert_unit": {"id": "skala 1–{k}", "en": "1–{k} scale"},
}


def effect_word(d: float, lang: str) -> str:
    """Cohen's (1988) conventions for |d|: 0.2 small, 0.5 medium, 0.8 large."""
    words = _T["effect_words"][lang]
    return words[int(np.searchsorted([0.2, 0.5, 0.8], abs(d), side="right"))] if np.isfinite(d) else fmt.MISSING


def scale_unit(q, scale: str, lang: str) -> tuple[str, int]:
    """The unit of a gain in text and the decimals to show."""
    if q.scale(scale).scoring == "percent_correct":
        return tr(_T["pp"], lang), 1
    points = max((i.points or 0) for i in q.items_in(scale))
    return tr(_T["points"], lang) + " (" + tr(_T["likert_unit"], lang, k=points) + ")", 2


def short_label(q, scale: str, lang: str) -> str:
    """A one-word column header for a scale: the first word after a colon ("Keyakinan diri:
    mengenali pelanggaran HAM" → "Mengenali"), else the first word ("Sikap")."""
    label = q.scale(scale).label(lang)
    word = label.split(":", 1)[-1].split()[0]
    return word[:1].upper() + word[1:]


def group_name(q, group: str, lang: str) -> str:
    return {"id": "semua kelompok", "en": "all groups"}[lang] if group == ALL_GROUPS else q.group_label(group, lang)


def scale_sentences(gains: pd.DataFrame, q, scale: str, lang: str, *, brief: bool = False) -> list[str]:
    """Plain sentences for one pre/post scale: the pooled change, how sure, best and worst group
    (``brief``: the pooled change only)."""
    rows = gains[gains["scale"] == scale]
    pooled = rows[rows["group"] == ALL_GROUPS]
    out = []
    unit, digits = scale_unit(q, scale, lang)
    if len(pooled) and np.isfinite(pooled["mean_diff"].iloc[0]):
        r = pooled.iloc[0]
        key = "scale_up" if r["mean_diff"] >= 0 else "scale_down"
        out.append(tr(_T[key], lang, scale=q.scale(scale).label(lang), pre=fmt.number(r["mean_pre"], digits, lang=lang),
                      post=fmt.number(r["mean_post"], digits, lang=lang),
                      gain=fmt.number(r["mean_diff"], digits, lang=lang, sign=True), unit=unit,
                      ci=fmt.interval(r["ci_low"], r["ci_high"], digits, lang=lang), p=fmt.p_value(r["p"], lang=lang)))
        if brief:
            return out
        # A rise whose CI excludes zero needs no sentence: the method chapter states the rule once.
        if r["ci_high"] < 0:
            out.append(tr(_T["sure_down"], lang))
        else:
            out.append(tr(_T["unsure"], lang))
    groups = rows[(rows["group"] != ALL_GROUPS) & ~rows.get(FLAG, False) & rows["mean_diff"].notna()]
    if len(groups) >= 2:
        best, worst = groups.loc[groups["mean_diff"].idxmax()], groups.loc[groups["mean_diff"].idxmin()]
        out.append(tr(_T["best_worst"], lang, unit=unit,
                      best=q.group_label(best["group"], lang), worst=q.group_label(worst["group"], lang),
                      bgain=fmt.number(best["mean_diff"], digits, lang=lang, sign=True),
                      wgain=fmt.number(worst["mean_diff"], digits, lang=lang, sign=True),
                      bci=fmt.interval(best["ci_low"], best["ci_high"], digits, lang=lang),
                      wci=fmt.interval(worst["ci_low"], worst["ci_high"], digits, lang=lang)))
        out.append(tr(_T["n_sig"], lang, k=int((groups["p_holm"] < 0.05).sum()), m=len(groups)))
    return out


def findings_blocks(tables: dict, q, *, lang: str) -> list[Block]:
    """What an analyst needs to know without reading a table: one sentence per scale, the
    largest and smallest effect, the groups that gained most and least."""
    gains, post_only = tables["gains"], tables["post_only"]
    flow = tables["flow"]
    matched = int(flow.loc[flow["stage"] == "matched", "n"].sum())
    n_groups = gains.loc[gains["group"] != ALL_GROUPS, "group"].nunique()
    blocks = [Block("para", tr(_T["overview"], lang, n=fmt.integer(matched, lang=lang), groups=n_groups))]
    bullets = []
    for level in LEVEL_ORDER:
        for scale in (s for s in q.scales if s.level == level):
            if scale.id in set(gains["scale"]):
                bullets.append(" ".join(scale_sentences(gains, q, scale.id, lang, brief=True)))
            elif scale.id in set(post_only["scale"]):
                r = post_only[(post_only["scale"] == scale.id) & (post_only["group"] == ALL_GROUPS)]
                if len(r):
                    points = max((i.points or 0) for i in q.items_in(scale.id))
                    bullets.append(tr(_T["post_only"], lang, scale=scale.label(lang),
                                      mean=fmt.number(r["mean"].iloc[0], 2, lang=lang),
                                      unit=tr(_T["likert_unit"], lang, k=points), n=int(r["n"].iloc[0])))
            else:
                bullets.append(tr(_T["not_measured"], lang, scale=scale.label(lang), waves=", ".join(scale.waves)))
    blocks.append(Block("bullets", items=bullets))
    pooled = gains[(gains["group"] == ALL_GROUPS) & gains["d_z"].notna()]
    if len(pooled) >= 2:
        top, low = pooled.loc[pooled["d_z"].idxmax()], pooled.loc[pooled["d_z"].idxmin()]
        blocks.append(Block("para", tr(_T["effect_rank"], lang, top=q.scale(top["scale"]).label(lang),
                                       low=q.scale(low["scale"]).label(lang),
                                       dtop=fmt.number(top["d_z"], 2, lang=lang), wtop=effect_word(top["d_z"], lang),
                                       dlow=fmt.number(low["d_z"], 2, lang=lang),
                                       wlow=effect_word(low["d_z"], lang))))
    per_group = gains[(gains["group"] != ALL_GROUPS) & ~gains[FLAG]].groupby("group")["d_z"].mean().dropna()
    if len(per_group) >= 4:
        ranked = per_group.sort_values(ascending=False)
        names = [f"{q.group_label(g, lang)} ({fmt.number(d, 2, lang=lang)})" for g, d in ranked.items()]
        blocks.append(Block("para", tr(_T["top_groups"], lang, top="; ".join(names[:3]),
                                       low="; ".join(names[-2:]))))
    return blocks


def suppression_sentence(tables: dict, *, k: int, lang: str) -> str:
    """How many cells small-group protection hid, or that none was needed."""
    gains, post_only = tables["gains"], tables["post_only"]
    hidden = int((gains[FLAG] & (gains["group"] != ALL_GROUPS)).sum() + post_only[FLAG].sum())
    return tr(_T["suppressed"], lang, n=hidden, k=k) if hidden else tr(_T["no_suppression"], lang, k=k)


_GAIN_HEAD = {"id": ["n", "Sebelum", "Sesudah", "Kenaikan", "IK 95%", "p (Holm)", "d_z"],
              "en": ["n", "Before", "After", "Gain", "95% CI", "p (Holm)", "d_z"]}


def gain_cells(r: dict, q, lang: str) -> list[str]:
    """One row of the gains table as printed: n, before, after, gain, CI, p (Holm for a
    group, unadjusted for all groups) and d_z; a suppressed row shows only its n."""
    if r.get(FLAG):
        return [str(int(r["n"])), {"id": "disembunyikan", "en": "suppressed"}[lang], "", "", "", "", ""]
    _, digits = scale_unit(q, r["scale"], lang)
    p = r["p"] if r["group"] == ALL_GROUPS else r["p_holm"]
    return [str(int(r["n"])), fmt.number(r["mean_pre"], digits, lang=lang),
            fmt.number(r["mean_post"], digits, lang=lang), fmt.number(r["mean_diff"], digits, lang=lang, sign=True),
            fmt.interval(r["ci_low"], r["ci_high"], digits, lang=lang),
            fmt.p_value(p, lang=lang, prefix="").lstrip(" =").strip(), fmt.number(r["d_z"], 2, lang=lang)]


def display_gains(gains: pd.DataFrame, q, *, scale: str | None = None, group: str | None = None,
                  lang: str) -> pd.DataFrame:
    """The results table as readers see it (strings, rounded, suppressed cells marked):
    one scale by group (all groups last), or one group by scale."""
    if scale is not None:
        rows = gains[gains["scale"] == scale]
        rows = pd.concat([rows[rows["group"] != ALL_GROUPS], rows[rows["group"] == ALL_GROUPS]])
        names = [group_name(q, g, lang) for g in rows["group"]]
        first = {"id": "Kelompok", "en": "Group"}[lang]
    else:
        rows = gains[gains["group"] == group]
        names = [q.scale(s).label(lang) for s in rows["scale"]]
        first = {"id": "Skala", "en": "Scale"}[lang]
    return pd.DataFrame([[name, *gain_cells(r, q, lang)] for name, r in zip(names, rows.to_dict("records"))],
                        columns=[first, *_GAIN_HEAD[lang]], dtype=object)
