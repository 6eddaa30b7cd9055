"""The sections of the report draft, in order, as :class:`~evalkit.report_content.Block` lists.

Summary → method → results by evaluation level (reaction, learning, behaviour) → one
page per group → data quality and participant flow → annex of item analysis.
"""

from __future__ import annotations

import datetime as _dt
import textwrap
from pathlib import Path

import pandas as pd

from .. import _numbers as fmt
from .._i18n import tr
from .._constants import ALL_GROUPS
from ._content import (
    LEVEL_ORDER,
    Block,
    display_gains,
    effect_word,
    group_name,
    scale_sentences,
    scale_unit,
    summary_blocks,
)
from ..privacy import FLAG

_T = {
    "title": {"id": "Laporan Evaluasi Pelatihan: {title}", "en": "Training Evaluation Report: {title}"},
    "draft": {"id": "Draf dibuat oleh evalkit pada {date}. Periksa dan sesuaikan sebelum ditandatangani.",
              "en": "Draft made by evalkit on {date}. Review and adjust before signing."},
    "method": {"id": "Metode", "en": "Method"},
    "method_q": {"id": "Kuesioner: {title} (versi {version}), {items} butir dalam {scales} skala. Skor pengetahuan "
                       "adalah persentase jawaban benar (butir kosong dihitung salah); skor sikap, keyakinan diri dan "
                       "niat adalah rata-rata butir skala Likert 1–5, dengan butir berkebalikan dibalik lebih dulu.",
                 "en": "Questionnaire: {title} (version {version}), {items} items in {scales} scales. Knowledge is "
                       "scored as the percentage of correct answers (a blank counts as wrong); attitude, "
                       "self-efficacy and intention as the mean of 1–5 Likert items, reverse-keyed items reversed "
                       "first."},
    "method_p": {"id": "Peserta: {pre} baris pre-test dan {post} baris post-test dibaca; {matched} peserta dapat "
                       "dipasangkan berdasarkan kelompok dan kode peserta (huruf besar/kecil, spasi dan tanda baca "
                       "diabaikan; kiriman ganda: yang terakhir dipakai). Setiap baris tercatat di buku catatan "
                       "baris (ledger) dan jumlahnya diperiksa.",
                 "en": "Participants: {pre} pre-test and {post} post-test rows were read; {matched} participants "
                       "were matched on group and participant code (case, spaces and punctuation ignored; for "
                       "repeated submissions the last one is used). Every row is recorded in the ledger and the "
                       "counts are checked."},
    "method_t": {"id": "Uji: kenaikan rata-rata dengan interval kepercayaan (IK) 95% dan uji t berpasangan; uji "
                       "peringkat bertanda Wilcoxon sebagai pembanding; nilai p antarkelompok dikoreksi dengan "
                       "metode Holm; ukuran efek d_z (kenaikan / simpangan baku selisih) dan g_av; gain ternormalisasi "
                       "Hake untuk pengetahuan; perbandingan antarkelompok dengan ANCOVA (skor sesudah, dikoreksi skor "
                       "sebelum) dan Kruskal–Wallis; perubahan individu dengan indeks perubahan reliabel "
                       "(Jacobson–Truax); reliabilitas dengan alfa Cronbach dan omega.",
                 "en": "Tests: mean gain with a 95% confidence interval (CI) and the paired t-test; the Wilcoxon "
                       "signed-rank test alongside; p-values across groups Holm-adjusted; effect sizes d_z (gain / "
                       "SD of differences) and g_av; Hake's normalized gain for knowledge; group comparison by "
                       "ANCOVA (post score adjusted for pre score) and Kruskal–Wallis; individual change by the "
                       "reliable change index (Jacobson–Truax); reliability by Cronbach's alpha and omega."},
    "method_s": {"id": "Perlindungan kelompok kecil (k = {k}): sel yang menggambarkan kurang dari {k} peserta tidak "
                       "ditampilkan. Bila satu kelompok disembunyikan, kelompok terkecil berikutnya juga "
                       "disembunyikan sampai paling sedikit dua kelompok dengan bersama-sama {k} peserta atau lebih "
                       "tersembunyi, agar angka kelompok kecil tidak dapat dihitung dari total “Semua kelompok”. "
                       "Nama, nomor telepon dan kode peserta tidak pernah ditulis.",
                 "en": "Small-group protection (k = {k}): cells describing fewer than {k} participants are not "
                       "shown. When one group is hidden, the next smallest is hidden too, until at least two groups "
                       "holding {k} or more participants together are hidden, so a small group's figures cannot be "
                       "worked out from the “All groups” total. Names, phone numbers and participant codes are "
                       "never written."},
    "results": {"id": "Hasil per tingkat evaluasi", "en": "Results by evaluation level"},
    "level": {"reaction": {"id": "Tingkat 1 — Reaksi", "en": "Level 1 — Reaction"},
              "learning": {"id": "Tingkat 2 — Pembelajaran", "en": "Level 2 — Learning"},
              "behaviour": {"id": "Tingkat 3 — Perilaku", "en": "Level 3 — Behaviour"}},
    "overview_fig": {"id": "Kenaikan per kelompok di semua skala sekaligus.",
                     "en": "Gains by group across all scales at once."},
    "table_caption": {"id": "Tabel: {scale} per kelompok (kenaikan = sesudah − sebelum; p Holm untuk kelompok).",
                      "en": "Table: {scale} by group (gain = post − pre; Holm p for groups)."},
    "fig_prepost": {"id": "Skor rata-rata sebelum dan sesudah per kelompok: {scale}.",
                    "en": "Mean score before and after by group: {scale}."},
    "fig_gain": {"id": "Kenaikan per kelompok dengan IK 95%: {scale}.", "en": "Gain by group with 95% CI: {scale}."},
    "fig_likert": {"id": "Sebaran jawaban per butir: {scale}.", "en": "Answers per item: {scale}."},
    "fig_items": {"id": "Perubahan persentase jawaban benar per butir dan kelompok.",
                  "en": "Change in the share of correct answers per item and group."},
    "fig_paired": {"id": "Skor setiap peserta sebelum dan sesudah, per skala (semua kelompok).",
                   "en": "Each participant's score before and after, per scale (all groups)."},
    "fig_rc": {"id": "Perubahan setiap peserta dibanding galat pengukuran (indeks perubahan reliabel), per skala.",
               "en": "Each participant's change against measurement error (reliable change index), per scale."},
    "reliability": {"id": "Reliabilitas (alfa Cronbach): sebelum {pre}, sesudah {post}.",
                    "en": "Reliability (Cronbach's alpha): before {pre}, after {post}."},
    "ancova": {"id": "Perbedaan antarkelompok (ANCOVA, skor sesudah dikoreksi skor sebelum): F({df1}; {df2}) = {F}, "
                     "{p}, eta² parsial = {eta}.",
               "en": "Differences between groups (ANCOVA, post score adjusted for pre score): F({df1}, {df2}) = {F}, "
                     "{p}, partial eta² = {eta}."},
    "rc_sentence": {"id": "Perubahan individu: {up} peserta naik secara nyata (di luar galat pengukuran), {down} "
                          "turun secara nyata.",
                    "en": "Individual change: {up} of participants improved reliably (beyond measurement error), "
                          "{down} got reliably worse."},
    "groups": {"id": "Hasil per kelompok", "en": "Results by group"},
    "group_hidden": {"id": "Kelompok ini memiliki kurang dari {k} peserta berpasangan (atau disembunyikan menurut "
                           "aturan pelengkap); hasilnya tidak ditampilkan tersendiri.",
                     "en": "This group has fewer than {k} matched participants (or is hidden by the complementary "
                           "rule); its results are not shown separately."},
    "group_best": {"id": "Kenaikan terkuat kelompok ini (menurut d_z) pada {scale}: d_z = {d} (efek {w}).",
                   "en": "This group's strongest gain (by d_z) was in {scale}: d_z = {d} ({w} effect)."},
    "quality": {"id": "Kualitas data dan alur peserta", "en": "Data quality and participant flow"},
    "quality_ok": {"id": "Buku catatan baris seimbang: setiap baris yang dibaca berakhir pada tepat satu status.",
                   "en": "The row ledger reconciles: every row read ends in exactly one state."},
    "problems": {"id": "Sel yang tidak sah dan dicatat kosong: {n}.", "en": "Invalid cells recorded as missing: {n}."},
    "fig_flow": {"id": "Alur peserta.", "en": "Participant flow."},
    "annex": {"id": "Lampiran: analisis butir soal pengetahuan", "en": "Annex: item analysis of the knowledge test"},
    "annex_text": {"id": "Tingkat kesukaran = proporsi benar; r_pbis = korelasi butir dengan skor total (di bawah "
                         "0,20 perlu ditinjau); McNemar membandingkan benar/salah sebelum dan sesudah pada peserta "
                         "yang sama (p dikoreksi Holm).",
                   "en": "Difficulty = share correct; r_pbis = item–total correlation (below 0.20 needs review); "
                         "McNemar compares right/wrong before and after in the same participants (Holm-adjusted p)."},
    "annex_head": {"id": ["Butir", "Teks", "% benar sebelum", "% benar sesudah", "Perubahan", "p McNemar (Holm)",
                          "r_pbis sebelum", "Catatan"],
                   "en": ["Item", "Text", "% correct before", "% correct after", "Change", "McNemar p (Holm)",
                          "r_pbis before", "Flag"]},
}


def build(analysis, tables: dict, charts: dict[str, Path], *, k: int, lang: str) -> list[Block]:
    """Every block of the report, in order; ``charts`` maps chart keys to PNG files."""
    q = analysis.questionnaire
    date = _dt.date.today().strftime("%d-%m-%Y" if lang == "id" else "%Y-%m-%d")
    blocks = [Block("heading", tr(_T["title"], lang, title=q.title[lang]), level=0),
              Block("para", tr(_T["draft"], lang, date=date))]
    blocks += summary_blocks(tables, q, k=k, lang=lang)
    if "overview" in charts:
        blocks.append(Block("image", image=charts["overview"], text=tr(_T["overview_fig"], lang)))
    blocks += _method(analysis, tables, k=k, lang=lang)
    blocks += _results(analysis, tables, charts, lang=lang)
    blocks += _groups(tables, q, k=k, lang=lang)
    blocks += _quality(analysis, tables, charts, lang=lang)
    blocks += _annex(tables, q, lang=lang)
    return blocks


def _method(analysis, tables, *, k, lang) -> list[Block]:
    q = analysis.questionnaire
    flow = tables["flow"]
    read = flow[flow["stage"] == "read"].set_index("wave")["n"]
    return [Block("pagebreak"), Block("heading", tr(_T["method"], lang), level=1),
            Block("para", tr(_T["method_q"], lang, title=q.title[lang], version=q.version,
                             items=len([i for i in q.items if i.scale]), scales=len(q.scales))),
            Block("para", tr(_T["method_p"], lang, pre=int(read.get("pre", 0)), post=int(read.get("post", 0)),
                             matched=int(flow.loc[flow["stage"] == "matched", "n"].sum()))),
            Block("para", tr(_T["method_t"], lang)),
            Block("para", tr(_T["method_s"], lang, k=k))]


def _scale_extras(tables, scale: str, lang: str) -> list[str]:
    out = []
    rel = tables.get("reliability")
    if rel is not None and len(rel):
        r = rel[rel["scale"] == scale].set_index("wave")["alpha"]
        if len(r):
            out.append(tr(_T["reliability"], lang, pre=fmt.number(r.get("pre"), 2, lang=lang),
                          post=fmt.number(r.get("post"), 2, lang=lang)))
    anc = tables.get("ancova")
    if anc is not None and len(anc[anc["scale"] == scale]):
        a = anc[anc["scale"] == scale].iloc[0]
        out.append(tr(_T["ancova"], lang, df1=fmt.number(a["df1"], 0, lang=lang), df2=fmt.number(a["df2"], 0, lang=lang),
                      F=fmt.number(a["F"], 2, lang=lang), p=fmt.p_value(a["p"], lang=lang),
                      eta=fmt.number(a["partial_eta2"], 2, lang=lang)))
    cs = tables.get("change_summary")
    if cs is not None:
        r = cs[(cs["scale"] == scale) & (cs["group"] == ALL_GROUPS) & ~cs[FLAG]]
        if len(r):
            out.append(tr(_T["rc_sentence"], lang, up=fmt.percent(r["share_improved"].iloc[0], lang=lang),
                          down=fmt.percent(r["share_worse"].iloc[0], lang=lang)))
    return out


def _results(analysis, tables, charts, *, lang) -> list[Block]:
    q = analysis.questionnaire
    gains, post_only = tables["gains"], tables["post_only"]
    blocks = [Block("pagebreak"), Block("heading", tr(_T["results"], lang), level=1)]
    for level in LEVEL_ORDER:
        scales = [s for s in q.scales if s.level == level]
        if not scales:
            continue
        blocks.append(Block("heading", tr(_T["level"][level], lang), level=2))
        for s in scales:
            label = s.label(lang)
            blocks.append(Block("heading", label, level=3))
            if s.description:
                blocks.append(Block("para", s.description[lang]))
            if s.id in set(gains["scale"]):
                blocks.append(Block("para", " ".join(scale_sentences(gains, q, s.id, lang)
                                                     + _scale_extras(tables, s.id, lang))))
                blocks.append(Block("table", table=display_gains(gains, q, s.id, lang),
                                    text=tr(_T["table_caption"], lang, scale=label)))
                for key, caption in (("prepost", "fig_prepost"), ("gain", "fig_gain")):
                    if f"{key}_{s.id}" in charts:
                        blocks.append(Block("image", image=charts[f"{key}_{s.id}"],
                                            text=tr(_T[caption], lang, scale=label)))
            elif s.id in set(post_only["scale"]):
                blocks.append(Block("table", table=_display_post_only(post_only, q, s.id, lang), text=label))
            else:
                blocks.append(Block("para", tr({"id": "Belum ada data untuk skala ini (diukur pada: {w}).",
                                                "en": "No data for this scale yet (measured at: {w})."},
                                               lang, w=", ".join(s.waves))))
            for key, caption in ((f"likert_{s.id}", "fig_likert"), (f"items_{s.id}", "fig_items")):
                if key in charts:
                    blocks.append(Block("image", image=charts[key], text=tr(_T[caption], lang, scale=label)))
    for key, caption in (("paired", "fig_paired"), ("reliable_change", "fig_rc")):
        if key in charts:
            blocks.append(Block("image", image=charts[key], text=tr(_T[caption], lang)))
    return blocks


def _display_post_only(post_only, q, scale, lang) -> pd.DataFrame:
    rows = post_only[post_only["scale"] == scale]
    rows = pd.concat([rows[rows["group"] != ALL_GROUPS], rows[rows["group"] == ALL_GROUPS]])
    head = {"id": ["Kelompok", "n", "Rata-rata", "Simpangan baku"], "en": ["Group", "n", "Mean", "SD"]}[lang]
    hidden = {"id": "disembunyikan", "en": "suppressed"}[lang]
    return pd.DataFrame([[group_name(q, r["group"], lang), str(int(r["n"])),
                          hidden if r[FLAG] else fmt.number(r["mean"], 2, lang=lang),
                          "" if r[FLAG] else fmt.number(r["sd"], 2, lang=lang)] for r in rows.to_dict("records")],
                        columns=head)


def _groups(tables, q, *, k, lang) -> list[Block]:
    gains = tables["gains"]
    blocks = [Block("pagebreak"), Block("heading", tr(_T["groups"], lang), level=1)]
    head = {"id": ["Skala", "n", "Sebelum", "Sesudah", "Kenaikan", "IK 95%", "p (Holm)", "d_z"],
            "en": ["Scale", "n", "Before", "After", "Gain", "95% CI", "p (Holm)", "d_z"]}[lang]
    codes = [g.code for g in q.groups if g.code in set(gains["group"])]
    for i, code in enumerate(codes):
        if i:
            blocks.append(Block("pagebreak"))
        blocks.append(Block("heading", q.group_label(code, lang), level=2))
        rows = gains[gains["group"] == code]
        if rows[FLAG].all():
            blocks.append(Block("para", tr(_T["group_hidden"], lang, k=k)))
            continue
        records = []
        for r in rows.to_dict("records"):
            label = q.scale(r["scale"]).label(lang)
            if r[FLAG]:
                records.append([label, str(int(r["n"])), {"id": "disembunyikan", "en": "suppressed"}[lang]]
                               + [""] * 5)
                continue
            _, digits = scale_unit(q, r["scale"], lang)
            records.append([label, str(int(r["n"])), fmt.number(r["mean_pre"], digits, lang=lang),
                            fmt.number(r["mean_post"], digits, lang=lang),
                            fmt.number(r["mean_diff"], digits, lang=lang, sign=True),
                            fmt.interval(r["ci_low"], r["ci_high"], digits, lang=lang),
                            fmt.p_value(r["p_holm"], lang=lang, prefix="").lstrip(" =").strip(),
                            fmt.number(r["d_z"], 2, lang=lang)])
        visible = rows[~rows[FLAG] & rows["d_z"].notna()]
        if len(visible):
            best = visible.loc[visible["d_z"].idxmax()]
            blocks.append(Block("para", tr(_T["group_best"], lang, scale=q.scale(best["scale"]).label(lang),
                                           d=fmt.number(best["d_z"], 2, lang=lang), w=effect_word(best["d_z"], lang))))
        blocks.append(Block("table", table=pd.DataFrame(records, columns=head), text=q.group_label(code, lang)))
    return blocks


def _quality(analysis, tables, charts, *, lang) -> list[Block]:
    blocks = [Block("pagebreak"), Block("heading", tr(_T["quality"], lang), level=1),
              Block("para", tr(_T["quality_ok"], lang)),
              Block("para", tr(_T["problems"], lang, n=len(tables["data_quality"])))]
    summary = tables["ledger_summary"].drop(columns=["reconciles"], errors="ignore").astype(str)
    blocks.append(Block("table", table=summary, text="Ledger"))
    if "flow" in charts:
        blocks.append(Block("image", image=charts["flow"], text=tr(_T["fig_flow"], lang)))
    return blocks


def _annex(tables, q, *, lang) -> list[Block]:
    items = tables["item_correct"]
    pooled = items[items["group"] == ALL_GROUPS]
    if pooled.empty:
        return []
    change = tables.get("item_change")
    analysis = tables.get("item_analysis")
    records = []
    for r in pooled.to_dict("records"):
        p = fl = rp = None
        if change is not None and len(change):
            hit = change[change["item"] == r["item"]]
            p = hit["p_holm"].iloc[0] if len(hit) else None
        if analysis is not None and len(analysis):
            hit = analysis[(analysis["item"] == r["item"]) & (analysis["wave"] == "pre")]
            if len(hit):
                rp, fl = hit["r_pbis"].iloc[0], hit["flag"].iloc[0]
        records.append([r["item"], textwrap.shorten(q.item(r["item"]).label(lang), 90, placeholder="…"),
                        fmt.percent(r["share_pre"], lang=lang), fmt.percent(r["share_post"], lang=lang),
                        fmt.number(100 * r["change"], 0, lang=lang, sign=True),
                        fmt.p_value(p, lang=lang, prefix="").lstrip(" =").strip() if p is not None else fmt.MISSING,
                        fmt.number(rp, 2, lang=lang) if rp is not None else fmt.MISSING,
                        str(fl) if isinstance(fl, str) else ""])
    return [Block("pagebreak"), Block("heading", tr(_T["annex"], lang), level=1),
            Block("para", tr(_T["annex_text"], lang)),
            Block("table", table=pd.DataFrame(records, columns=_T["annex_head"][lang]), text=tr(_T["annex"], lang))]
