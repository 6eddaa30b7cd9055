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
from .._significance import ALPHA, direction
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
    "sure_up": {"id": "Kenaikan ini lebih besar daripada yang dapat dijelaskan oleh kebetulan (IK 95% di atas nol).",
                "en": "This rise is larger than chance can explain (the 95% CI lies above zero)."},
    "sure_down": {"id": "Penurunan ini lebih besar daripada yang dapat dijelaskan oleh kebetulan.",
                  "en": "This drop is larger than chance can explain."},
    "unsure": {"id": "Perubahan ini belum dapat dibedakan dari kebetulan (IK 95% mencakup nol).",
               "en": "This change cannot be told apart from chance (the 95% CI includes zero)."},
    "best_up": {"id": "Kenaikan terbesar pada {group} ({gain} {unit}; {sure}).",
                "en": "The largest rise was in {group} ({gain} {unit}; {sure})."},
    "best_down": {"id": "Tidak ada kelompok yang skornya naik; penurunan terkecil pada {group} ({gain} {unit}; {sure}).",
                  "en": "No group's score rose; the smallest drop was in {group} ({gain} {unit}; {sure})."},
    "worst_up": {"id": "Kenaikan terkecil pada {group} ({gain} {unit}; {sure}).",
                 "en": "The smallest rise was in {group} ({gain} {unit}; {sure})."},
    "worst_down": {"id": "Skor turun pada {groups}.", "en": "The score fell in {groups}."},
    "sig_word": {"up": {"id": "bermakna", "en": "significant"}, "down": {"id": "bermakna", "en": "significant"},
                 "none": {"id": "belum bermakna", "en": "not significant"}},
    "n_sig": {"id": "Kenaikan bermakna (p Holm < {alpha}) di {k} dari {m} kelompok.",
              "en": "The rise is significant (Holm p < {alpha}) in {k} of {m} groups."},
    "n_sig_down": {"id": "Penurunan bermakna di {k} dari {m} kelompok.",
                   "en": "The drop is significant in {k} of {m} groups."},
    "effect_rank": {"id": "Dilihat dari ukuran efek d_z (dapat dibandingkan antarskala), kenaikan terbesar ada "
                          "pada {top} (d_z = {dtop}, efek {wtop}) dan terkecil pada {low} (d_z = {dlow}, efek {wlow}).",
                    "en": "By effect size d_z (comparable across scales), the largest rise was in {top} "
                          "(d_z = {dtop}, {wtop} effect) and the smallest in {low} (d_z = {dlow}, {wlow} effect)."},
    "effect_rank_down": {"id": "Dilihat dari ukuran efek d_z (dapat dibandingkan antarskala), perubahan terbesar ada "
                               "pada {top} (d_z = {dtop}, efek {wtop}); pada {low} skor turun (d_z = {dlow}, efek "
                               "{wlow}).",
                         "en": "By effect size d_z (comparable across scales), the largest change was in {top} "
                               "(d_z = {dtop}, {wtop} effect); in {low} the score fell (d_z = {dlow}, {wlow} effect)."},
    "top_groups": {"id": "Secara keseluruhan (rata-rata d_z semua skala), kelompok dengan perubahan terbesar: {top}; "
                         "yang terkecil: {low}.",
                   "en": "Overall (mean d_z across scales), the groups that changed most: {top}; least: {low}."},
    "rank_unsure": {"id": "Urutan ini belum pasti: menurut uji perbandingan kenaikan antarkelompok (p Holm < {alpha}), "
                          "kenaikan {a} dan {b} tidak berbeda bermakna pada skala mana pun ({m} skala diuji).",
                    "en": "This order is not certain: by the pairwise comparison of gains between groups (Holm p < "
                          "{alpha}), the gains of {a} and {b} do not differ significantly on any of the {m} scales "
                          "tested."},
    "rank_sure": {"id": "Urutan ini perlu dibaca hati-hati: menurut uji perbandingan kenaikan antarkelompok "
                        "(p Holm < {alpha}), {a} dan {b} berbeda bermakna pada {k} dari {m} skala.",
                  "en": "Read this order with care: by the pairwise comparison of gains between groups "
                        "(Holm p < {alpha}), {a} and {b} differ significantly on {k} of {m} scales."},
    "post_only": {"id": "{scale} (hanya sesudah pelatihan): rata-rata {mean} pada {unit} ({n} peserta).",
                  "en": "{scale} (after the training only): mean {mean} on a {unit} ({n} participants)."},
    "not_measured": {"id": "{scale} belum diukur: skala ini diisi pada {waves}.",
                     "en": "{scale} has not been measured yet: it is asked at {waves}."},
    "waves": {"pre": {"id": "pre-test", "en": "pre-test"}, "post": {"id": "post-test", "en": "post-test"},
              "followup": {"id": "tindak lanjut", "en": "follow-up"}},
    "rounding": {"id": "Angka dibulatkan untuk ditampilkan; kenaikan dihitung sebelum pembulatan, sehingga dapat "
                         "berbeda satu angka terakhir dari selisih angka sesudah dan sebelum yang tercetak.",
                 "en": "Figures are rounded for display; gains are computed before rounding, so they may differ in "
                       "the last digit from the difference of the printed after and before figures."},
    "effect_words": {"id": ["sangat kecil", "kecil", "sedang", "besar"],
                     "en": ["negligible", "small", "medium", "large"]},
    "points": {"id": "poin", "en": "points"},
    "pp": {"id": "poin persen", "en": "percentage points"},
    "likert_unit": {"id": "skala 1–{k}", "en": "1–{k} scale"},
}


def effect_word(d: float, lang: str, *, digits: int = 2) -> str:
    """Cohen's (1988) conventions for |d|: 0.2 small, 0.5 medium, 0.8 large, applied to the
    value as printed with ``digits`` decimals, so the word agrees with the number the reader sees.

    Examples
    --------
    >>> effect_word(0.7962, "id"), effect_word(0.7949, "id")
    ('besar', 'sedang')
    """
    if not np.isfinite(d):
        return fmt.MISSING
    printed = abs(float(f"{d:.{digits}f}"))
    return _T["effect_words"][lang][int(np.searchsorted([0.2, 0.5, 0.8], printed, side="right"))]


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


def _sure(direction: int, lang: str) -> str:
    return tr(_T["sig_word"][{1: "up", -1: "down", 0: "none"}[int(direction)]], lang)


def scale_sentences(gains: pd.DataFrame, q, scale: str, lang: str, *, brief: bool = False) -> list[str]:
    """Plain sentences for one pre/post scale: the pooled change, how sure, the groups that
    rose most and least or fell, how many changed significantly (``brief``: the pooled change
    only). Every word follows the sign of its number and the rule of :mod:`evalkit._significance`."""
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
        out.append(tr(_T[{1: "sure_up", -1: "sure_down", 0: "unsure"}[int(direction(pooled).iloc[0])]], lang))
    groups = rows[(rows["group"] != ALL_GROUPS) & ~rows.get(FLAG, False) & rows["mean_diff"].notna()]
    if len(groups) >= 2:
        out += _group_sentences(groups, q, lang, unit, digits)
    return out


def _group_sentences(groups: pd.DataFrame, q, lang: str, unit: str, digits: int) -> list[str]:
    """The groups that rose most and least (or fell), and the significant counts."""
    signs = direction(groups)
    best, worst = groups["mean_diff"].idxmax(), groups["mean_diff"].idxmin()

    def gain(i):
        return fmt.number(groups.at[i, "mean_diff"], digits, lang=lang, sign=True)

    out = [tr(_T["best_up" if groups.at[best, "mean_diff"] > 0 else "best_down"], lang, unit=unit,
              group=q.group_label(groups.at[best, "group"], lang), gain=gain(best), sure=_sure(signs[best], lang))]
    fell = groups[groups["mean_diff"] < 0].sort_values("mean_diff")
    if groups.at[worst, "mean_diff"] > 0:
        out.append(tr(_T["worst_up"], lang, unit=unit, group=q.group_label(groups.at[worst, "group"], lang),
                      gain=gain(worst), sure=_sure(signs[worst], lang)))
    elif len(fell) and groups.at[best, "mean_diff"] > 0:
        listed = [f"{q.group_label(g, lang)} ({gain(i)} {unit}; {_sure(signs[i], lang)})"
                  for i, g in zip(fell.index, fell["group"])]
        out.append(tr(_T["worst_down"], lang, groups=join(listed, lang)))
    out.append(tr(_T["n_sig"], lang, k=int((signs == 1).sum()), m=len(groups), alpha=fmt.number(ALPHA, 2, lang=lang)))
    if (signs == -1).any():
        out.append(tr(_T["n_sig_down"], lang, k=int((signs == -1).sum()), m=len(groups)))
    return out


def wave_names(waves, lang: str) -> str:
    """Wave codes as readers say them: ``followup`` → "tindak lanjut" (unknown codes as given)."""
    return join([tr(_T["waves"][w], lang) if w in _T["waves"] else w for w in waves], lang)


def join(names: list[str], lang: str) -> str:
    """``a, b dan c`` / ``a, b and c``."""
    word = {"id": " dan ", "en": " and "}[lang]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + word + names[-1]


def rounding_note(lang: str) -> str:
    """Why a printed gain may differ in its last digit from the printed after − before."""
    return tr(_T["rounding"], lang)


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
                bullets.append(tr(_T["not_measured"], lang, scale=scale.label(lang), waves=wave_names(scale.waves, lang)))
    blocks.append(Block("bullets", items=bullets))
    pooled = gains[(gains["group"] == ALL_GROUPS) & gains["d_z"].notna()]
    if len(pooled) >= 2:
        top, low = pooled.loc[pooled["d_z"].idxmax()], pooled.loc[pooled["d_z"].idxmin()]
        blocks.append(Block("para", tr(_T["effect_rank" if low["d_z"] >= 0 else "effect_rank_down"], lang,
                                       top=q.scale(top["scale"]).label(lang), low=q.scale(low["scale"]).label(lang),
                                       dtop=fmt.number(top["d_z"], 2, lang=lang), wtop=effect_word(top["d_z"], lang),
                                       dlow=fmt.number(low["d_z"], 2, lang=lang),
                                       wlow=effect_word(low["d_z"], lang))))
    per_group = gains[(gains["group"] != ALL_GROUPS) & ~gains[FLAG]].groupby("group")["d_z"].mean().dropna()
    if len(per_group) >= 4:
        ranked = per_group.sort_values(ascending=False)
        names = [f"{q.group_label(g, lang)} ({fmt.number(d, 2, lang=lang)})" for g, d in ranked.items()]
        text = tr(_T["top_groups"], lang, top="; ".join(names[:3]), low="; ".join(names[-2:]))
        sure = rank_certainty(tables.get("pairwise"), list(ranked.index[:2]), q, lang)
        blocks.append(Block("para", " ".join([text, sure]).strip()))
    return blocks


def rank_certainty(pairwise: pd.DataFrame | None, pair: list[str], q, lang: str) -> str:
    """How sure a ranking is: on how many scales the first two groups' gains differ
    significantly in the pairwise comparisons (Holm p < ALPHA); empty without that table."""
    if pairwise is None or pairwise.empty or len(pair) < 2:
        return ""
    a, b = pair
    hit = pairwise[((pairwise["group1"] == a) & (pairwise["group2"] == b))
                   | ((pairwise["group1"] == b) & (pairwise["group2"] == a))]
    if FLAG in hit.columns:
        hit = hit[~hit[FLAG].fillna(False).astype(bool)]
    hit = hit[hit["p_holm"].notna()]
    if hit.empty:
        return ""
    k = int((hit["p_holm"] < ALPHA).sum())
    return tr(_T["rank_sure" if k else "rank_unsure"], lang, a=q.group_label(a, lang), b=q.group_label(b, lang),
              k=k, m=len(hit), alpha=fmt.number(ALPHA, 2, lang=lang))


_GAIN_HEAD = {"id": ["n", "Sebelum", "Sesudah", "Kenaikan", "IK 95% (tanpa koreksi)", "p (Holm)", "d_z"],
              "en": ["n", "Before", "After", "Gain", "95% CI (unadjusted)", "p (Holm)", "d_z"]}
#: Mark after a gain that is significant under the rule of :mod:`evalkit._significance`.
SIG_MARK = "*"


def gain_cells(r: dict, q, lang: str) -> list[str]:
    """One row of the gains table as printed: n, before, after, gain (``*`` when significant
    under the report's rule), CI, p (Holm for a group, unadjusted for all groups) and d_z;
    a suppressed row shows only its n."""
    if r.get(FLAG):
        return [str(int(r["n"])), {"id": "disembunyikan", "en": "suppressed"}[lang], "", "", "", "", ""]
    _, digits = scale_unit(q, r["scale"], lang)
    p = r["p"] if r["group"] == ALL_GROUPS else r["p_holm"]
    mark = SIG_MARK if direction(pd.DataFrame([r])).iloc[0] else ""
    return [str(int(r["n"])), fmt.number(r["mean_pre"], digits, lang=lang),
            fmt.number(r["mean_post"], digits, lang=lang),
            fmt.number(r["mean_diff"], digits, lang=lang, sign=True) + mark,
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
