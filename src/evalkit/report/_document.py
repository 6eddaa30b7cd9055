"""The report's outline (:data:`OUTLINE`) and the bodies of its method, results and annex
sections, as :class:`~evalkit.report._content.Block` lists.

Cover → contents → executive summary → BAB I Pendahuluan → BAB II Metode → BAB III Hasil
→ BAB IV Kesimpulan dan Rekomendasi (with the signature block) → Lampiran. The parts
around the results are in :mod:`._framing`; numbering and citations in :mod:`._outline`.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd

from .. import _numbers as fmt
from .._constants import ALL_GROUPS
from .._i18n import tr
from ..privacy import FLAG
from . import _followup as followup
from . import _framing as framing
from .._significance import ALPHA, direction
from ._content import (LEVEL_ORDER, SIG_MARK, Block, display_gains, effect_word, findings_blocks, group_name, join,
                       rounding_note, scale_sentences, scale_unit, short_label, wave_names)
from ._info import ReportInfo
from ._outline import Context, Section, frame, render_outline
from ._package import fingerprint_note
from ._suppressed import suppression_statement

_T = {
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
                       "baris dan jumlahnya diperiksa.",
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
    "group_hidden": {"id": "Kelompok ini memiliki kurang dari {k} peserta berpasangan (atau disembunyikan menurut "
                           "aturan pelengkap); hasilnya tidak ditampilkan tersendiri.",
                     "en": "This group has fewer than {k} matched participants (or is hidden by the complementary "
                           "rule); its results are not shown separately."},
    "group_best": {"id": "Kenaikan terkuat kelompok ini (menurut d_z) pada {scale}: d_z = {d} (efek {w}).",
                   "en": "This group's strongest gain (by d_z) was in {scale}: d_z = {d} ({w} effect)."},
    "group_none_up": {"id": "Skor kelompok ini tidak naik pada skala mana pun.",
                      "en": "This group's score did not rise on any scale."},
    "group_unsure": {"id": "Kriteria yang naik tetapi belum bermakna: {items}.",
                     "en": "Criteria that rose but not significantly: {items}."},
    "group_fell": {"id": "Kriteria yang skornya turun: {items}.", "en": "Criteria whose score fell: {items}."},
    "group_all_sig": {"id": "Semua kriteria naik bermakna.", "en": "Every criterion rose significantly."},
    "sig_down": {"id": "bermakna", "en": "significant"}, "not_sig": {"id": "belum bermakna", "en": "not significant"},
    "tables_guide": {"id": "{mark} = perubahan bermakna menurut aturan subbab {{ref:section_rule}} (p Holm < {alpha} "
                           "untuk kelompok; p < {alpha} untuk semua kelompok). IK 95% tidak dikoreksi untuk banyaknya "
                           "kelompok: IK kelompok yang tidak mencakup nol belum tentu bermakna sesudah koreksi Holm. "
                           "{rounding}",
                     "en": "{mark} = a significant change under the rule of section {{ref:section_rule}} (Holm p < "
                           "{alpha} for groups; p < {alpha} for all groups). 95% CIs are not adjusted for the number "
                           "of groups: a group CI excluding zero need not be significant after the Holm adjustment. "
                           "{rounding}"},
    "quality_ok": {"id": "Buku catatan baris seimbang: setiap baris yang dibaca berakhir pada tepat satu status.",
                   "en": "The row ledger reconciles: every row read ends in exactly one state."},
    "problems": {"id": "Sel yang tidak sah dan dicatat kosong: {n}.", "en": "Invalid cells recorded as missing: {n}."},
    "fig_flow": {"id": "Alur peserta.", "en": "Participant flow."},
    "annex_text": {"id": "Benar penuh = persentase peserta yang menjawab butir sepenuhnya benar (butir pilihan ganda "
                         "dengan beberapa jawaban: semua pilihan benar); dasar tingkat kesukaran, catatan dan uji McNemar. "
                         "Kredit parsial = rata-rata skor butir yang dipakai skor skala (butir beberapa jawaban: bagian "
                         "pilihan yang benar); untuk butir satu jawaban sama dengan benar penuh (–). r_pbis = korelasi "
                         "butir dengan skor total (di bawah 0,20 perlu ditinjau); McNemar membandingkan benar/salah "
                         "sebelum dan sesudah pada peserta yang sama (p dikoreksi Holm).",
                   "en": "Fully correct = share of participants answering the item entirely correctly (a multi-answer "
                         "item: every option right); the basis of difficulty, flags and the McNemar test. Partial "
                         "credit = mean item score as used by the scale score (a multi-answer item: the share of options "
                         "right); for single-answer items it equals fully correct (–). r_pbis = item–total correlation "
                         "(below 0.20 needs review); McNemar compares right/wrong before and after in the same "
                         "participants (Holm-adjusted p)."},
    "annex_head": {"id": ["Butir", "Teks", "% benar penuh sebelum", "% benar penuh sesudah", "Perubahan (poin %)",
                          "p McNemar (Holm)", "Kredit parsial sebelum → sesudah", "r_pbis sebelum",
                          "Catatan"],
                   "en": ["Item", "Text", "% fully correct before", "% fully correct after", "Change (% points)",
                          "McNemar p (Holm)", "Partial credit before → after", "r_pbis before",
                          "Flag"]},
    "matrix_caption": {"id": "Kenaikan per kelompok dan kriteria keberhasilan (* bermakna: p Holm < 0,05; semua "
                             "kelompok: p < 0,05).",
                       "en": "Gain by group and success criterion (* significant: Holm p < 0.05; all groups: "
                             "p < 0.05)."},
    "pooled_caption": {"id": "{scale}, semua kelompok (per kelompok: {ref}).",
                       "en": "{scale}, all groups (by group: {ref})."},
    "matrix_hidden": {"id": "{n} kelompok tidak dicantumkan: kurang dari {k} peserta berpasangan (atau disembunyikan "
                            "menurut aturan pelengkap).",
                      "en": "{n} group(s) not listed: fewer than {k} matched participants (or hidden by the "
                            "complementary rule)."},
    "matrix_elsewhere": {"id": "Dengan {n} kelompok, tabel kenaikan per kelompok dan kriteria ada di Lampiran "
                               "({ref}).",
                         "en": "With {n} groups, the table of gains by group and criterion is in the annex ({ref})."},
    "analysis_short": {"id": "Untuk setiap skala dan kelompok dihitung skor rata-rata sebelum dan sesudah, kenaikannya "
                             "dengan interval kepercayaan (IK) 95%, uji t berpasangan, nilai p yang dikoreksi Holm "
                             "untuk kelompok, dan ukuran efek d_z. Rincian metode ada di Lampiran.",
                       "en": "For each scale and group, the mean score before and after, the gain with its 95% "
                             "confidence interval (CI), the paired t-test, Holm-adjusted p-values for groups and the "
                             "effect size d_z are computed. Method details are in the annex."},
    "full_caption": {"id": "{scale} per kelompok (kenaikan = sesudah − sebelum; p Holm untuk kelompok).",
                     "en": "{scale} by group (gain = post − pre; Holm p for groups)."},
    "rel_head": {"id": ["Skala", "Alfa sebelum", "Alfa sesudah"], "en": ["Scale", "Alpha before", "Alpha after"]},
    "rel_caption": {"id": "Reliabilitas skala (alfa Cronbach; di bawah 0,70 rendah).",
                    "en": "Scale reliability (Cronbach's alpha; below 0.70 is low)."},
    "ledger_caption": {"id": "Buku catatan baris: status setiap baris masukan per gelombang.",
                       "en": "Row ledger: the state of every input row per wave."},
    "ledger_head": {"id": {"wave": "Gelombang", "rows_read": "Dibaca", "used": "Dipakai", "duplicate": "Ganda",
                           "unmatched": "Tanpa pasangan", "invalid": "Tidak sah", "empty": "Kosong"},
                    "en": {"wave": "Wave", "rows_read": "Read", "used": "Used", "duplicate": "Duplicate",
                           "unmatched": "Unmatched", "invalid": "Invalid", "empty": "Empty"}},
    "flags": {"too_easy": {"id": "terlalu mudah", "en": "too easy"},
              "too_hard": {"id": "terlalu sulit", "en": "too hard"},
              "negative_discrimination": {"id": "daya beda negatif", "en": "negative discrimination"},
              "distractor_beats_key": {"id": "pengecoh lebih sering dipilih daripada kunci",
                                       "en": "a distractor chosen more often than the key"}},
    "items_caption": {"id": "Analisis butir soal pengetahuan (semua kelompok).",
                      "en": "Item analysis of the knowledge test (all groups)."},
    "group_caption": {"id": "Hasil {group}.", "en": "Results of {group}."},
}

_S = {  # section titles
    "summary": {"id": "Ringkasan Eksekutif", "en": "Executive Summary"},
    "introduction": {"id": "Pendahuluan", "en": "Introduction"},
    "background": {"id": "Latar Belakang", "en": "Background"},
    "aims": {"id": "Tujuan Evaluasi", "en": "Aims of the Evaluation"},
    "criteria": {"id": "Kriteria Keberhasilan", "en": "Success Criteria"},
    "method": {"id": "Metode", "en": "Method"},
    "instrument": {"id": "Instrumen", "en": "Instrument"},
    "participants": {"id": "Peserta dan Pengumpulan Data", "en": "Participants and Data Collection"},
    "analysis": {"id": "Analisis", "en": "Analysis"},
    "rule": {"id": "Aturan Penilaian", "en": "Verdict Rule"},
    "privacy": {"id": "Perlindungan Data", "en": "Data Protection"},
    "results": {"id": "Hasil", "en": "Results"},
    "findings": {"id": "Ringkasan temuan", "en": "Summary of findings"},
    "matrix": {"id": "Hasil per kelompok dan kriteria", "en": "Results by group and criterion"},
    "conclusions": {"id": "Kesimpulan dan Rekomendasi", "en": "Conclusions and Recommendations"},
    "conclusion": {"id": "Kesimpulan", "en": "Conclusions"},
    "recommendations": {"id": "Rekomendasi", "en": "Recommendations"},
    "signature": {"id": "Pengesahan", "en": "Approval"},
    "annex": {"id": "Lampiran", "en": "Annex"},
    "full_tables": {"id": "Tabel lengkap per skala", "en": "Full tables by scale"},
    "groups": {"id": "Hasil per kelompok", "en": "Results by group"},
    "items": {"id": "Analisis butir soal pengetahuan", "en": "Item analysis of the knowledge test"},
    "individual": {"id": "Perubahan individu", "en": "Individual change"},
    "quality": {"id": "Kualitas data dan alur peserta", "en": "Data quality and participant flow"},
    "details": {"id": "Rincian metode", "en": "Method details"},
}


def build(analysis, tables: dict, charts: dict[str, Path], *, k: int, lang: str, info: ReportInfo | None = None,
          outline: tuple[Section, ...] | None = None) -> list[Block]:
    """Every block of the report, in the order of ``outline`` (default :data:`OUTLINE`);
    ``charts`` maps chart keys to image files, ``info`` describes the training."""
    ctx = Context(analysis, tables, charts, info or ReportInfo(), k, lang)
    return render_outline(OUTLINE if outline is None else outline, ctx)


# -- BAB II ---------------------------------------------------------------------------------
def _instrument(ctx: Context) -> list[Block]:
    q = ctx.q
    return [Block("para", tr(_T["method_q"], ctx.lang, title=q.title[ctx.lang], version=q.version,
                             items=len([i for i in q.items if i.scale]), scales=len(q.scales))),
            Block("para", fingerprint_note(q, lang=ctx.lang))]


def _participants(ctx: Context) -> list[Block]:
    flow = ctx.tables["flow"]
    read = flow[flow["stage"] == "read"].set_index("wave")["n"]
    return [Block("para", tr(_T["method_p"], ctx.lang, pre=int(read.get("pre", 0)), post=int(read.get("post", 0)),
                             matched=int(flow.loc[flow["stage"] == "matched", "n"].sum())))]


def _privacy(ctx: Context) -> list[Block]:
    return [Block("para", tr(_T["method_s"], ctx.lang, k=ctx.k)),
            *_suppression(ctx)]


def _suppression(ctx: Context) -> list[Block]:
    lead, lines = suppression_statement(ctx.tables, ctx.charts, k=ctx.k, lang=ctx.lang)
    return [Block("para", lead, key="suppression"), *([Block("bullets", items=lines)] if lines else [])]


# -- BAB III --------------------------------------------------------------------------------
def _findings(ctx: Context) -> list[Block]:
    blocks = findings_blocks(ctx.tables, ctx.q, lang=ctx.lang)
    if "overview" in ctx.charts:
        blocks.append(Block("image", image=ctx.charts["overview"], text=tr(_T["overview_fig"], ctx.lang)))
    return blocks


def _matrix(ctx: Context) -> list[Block]:
    """Groups × criteria: the gain, * when significant. In the body when short, else in the annex."""
    lang, q, gains = ctx.lang, ctx.q, ctx.tables["gains"]
    rows = gains[gains["scale"].isin(ctx.criteria)]
    marked = rows.assign(sig=direction(rows) != 0)
    codes = [g.code for g in q.groups if g.code in set(rows["group"])] + [ALL_GROUPS]
    records, hidden = [], 0
    for code in codes:
        if marked.loc[marked["group"] == code, FLAG].all():
            hidden += 1  # a row of dashes says nothing; small-group protection says why it is missing
            continue
        record = [group_name(q, code, lang)]
        for scale in ctx.criteria:
            hit = marked[(marked["group"] == code) & (marked["scale"] == scale)]
            if hit.empty or hit[FLAG].iloc[0] or pd.isna(hit["mean_diff"].iloc[0]):
                record.append(fmt.MISSING)
                continue
            _, digits = scale_unit(q, scale, lang)
            record.append(fmt.number(hit["mean_diff"].iloc[0], digits, lang=lang, sign=True)
                          + (SIG_MARK if hit["sig"].iloc[0] else ""))
        records.append(record)
    head = [{"id": "Kelompok", "en": "Group"}[lang]] + [short_label(q, s, lang) for s in ctx.criteria]
    legend = "; ".join(f"{short_label(q, s, lang)} = {q.scale(s).label(lang)}" for s in ctx.criteria
                       if short_label(q, s, lang) != q.scale(s).label(lang))
    if hidden:
        legend = " ".join([legend, tr(_T["matrix_hidden"], lang, n=hidden, k=ctx.k)]).strip()
    return [Block("table", table=frame(records, head), text=tr(_T["matrix_caption"], lang), key="group_matrix"),
            *([Block("note", legend)] if legend else [])]


def _matrix_pointer(ctx: Context) -> list[Block]:
    n = ctx.tables["gains"].loc[lambda g: g["group"] != ALL_GROUPS, "group"].nunique()
    return [Block("para", tr(_T["matrix_elsewhere"], ctx.lang, n=n, ref="{ref:group_matrix}"))]


def _levels(ctx: Context) -> list[Block]:
    """One section per evaluation level; per scale its sentences, gain chart and answer charts."""
    q, lang, gains, post_only = ctx.q, ctx.lang, ctx.tables["gains"], ctx.tables["post_only"]
    blocks = []
    for level in LEVEL_ORDER:
        scales = [s for s in q.scales if s.level == level]
        if not scales:
            continue
        blocks.append(Block("heading", tr(_T["level"][level], lang), level=2, numbered=True))
        if level == "behaviour":  # the follow-up's actions; a behaviour scale asked pre/post keeps its gains
            blocks += followup.behaviour_blocks(ctx)
            scales = [s for s in scales if s.id in set(gains["scale"]) | set(post_only["scale"])]
        for s in scales:
            label = s.label(lang)
            blocks.append(Block("heading", label, level=3))
            if s.description:
                blocks.append(Block("para", s.description[lang]))
            if s.id in set(gains["scale"]):
                blocks.append(Block("para", " ".join(scale_sentences(gains, q, s.id, lang)
                                                     + [tr({"id": "Tabel lengkap: {ref}.", "en": "Full table: {ref}."},
                                                           lang, ref="{ref:full_" + s.id + "}")])))
                if f"gain_{s.id}" in ctx.charts:
                    blocks.append(Block("image", image=ctx.charts[f"gain_{s.id}"],
                                        text=tr(_T["fig_gain"], lang, scale=label)))
            elif s.id in set(post_only["scale"]) and framing.many_groups(ctx):  # the full table: Lampiran
                pooled = post_only[post_only["group"] == ALL_GROUPS]
                blocks.append(Block("table", table=_display_post_only(pooled, q, s.id, lang),
                                    text=tr(_T["pooled_caption"], lang, scale=label, ref="{ref:full_" + s.id + "}")))
            elif s.id in set(post_only["scale"]):
                blocks.append(Block("table", table=_display_post_only(post_only, q, s.id, lang), text=label,
                                    key=f"full_{s.id}"))
            else:
                blocks.append(Block("para", tr({"id": "Belum ada data untuk skala ini (diukur pada: {w}).",
                                                "en": "No data for this scale yet (measured at: {w})."},
                                               lang, w=wave_names(s.waves, lang))))
            for key, caption in ((f"likert_{s.id}", "fig_likert"), (f"items_{s.id}", "fig_items")):
                if key in ctx.charts:
                    blocks.append(Block("image", image=ctx.charts[key], text=tr(_T[caption], lang, scale=label),
                                        key=key))
        blocks += followup.retention_blocks(ctx) if level == "learning" else []
    return blocks


def _display_post_only(post_only, q, scale, lang) -> pd.DataFrame:
    rows = post_only[post_only["scale"] == scale]
    rows = pd.concat([rows[rows["group"] != ALL_GROUPS], rows[rows["group"] == ALL_GROUPS]])
    head = {"id": ["Kelompok", "n", "Rata-rata", "Simpangan baku"], "en": ["Group", "n", "Mean", "SD"]}[lang]
    hidden = {"id": "disembunyikan", "en": "suppressed"}[lang]
    return frame([[group_name(q, r["group"], lang), str(int(r["n"])),
                   hidden if r[FLAG] else fmt.number(r["mean"], 2, lang=lang),
                   "" if r[FLAG] else fmt.number(r["sd"], 2, lang=lang)] for r in rows.to_dict("records")], head)


# -- Lampiran -------------------------------------------------------------------------------
def _full_tables(ctx: Context) -> list[Block]:
    q, lang, gains, post_only = ctx.q, ctx.lang, ctx.tables["gains"], ctx.tables["post_only"]
    blocks = [_tables_guide(ctx)]
    if framing.many_groups(ctx):
        for s in (s for s in q.scales if s.id in set(post_only["scale"])):
            blocks += [Block("heading", s.label(lang), level=3),
                       Block("table", table=_display_post_only(post_only, q, s.id, lang), text=s.label(lang),
                             key=f"full_{s.id}")]
    for s in (s for s in q.scales if s.id in set(gains["scale"])):
        label = s.label(lang)
        blocks.append(Block("heading", label, level=3))
        extras = _scale_extras(ctx.tables, s.id, lang)
        if extras:
            blocks.append(Block("para", " ".join(extras)))
        blocks.append(Block("table", table=display_gains(gains, q, scale=s.id, lang=lang),
                            text=tr(_T["full_caption"], lang, scale=label), key=f"full_{s.id}"))
        if f"prepost_{s.id}" in ctx.charts:
            blocks.append(Block("image", image=ctx.charts[f"prepost_{s.id}"],
                                text=tr(_T["fig_prepost"], lang, scale=label)))
    return blocks


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
            out.append(tr(_T["rc_sentence"], lang, up=fmt.percent(r["share_reliable_rise"].iloc[0], lang=lang),
                          down=fmt.percent(r["share_reliable_fall"].iloc[0], lang=lang)))
    return out


def _groups(ctx: Context) -> list[Block]:
    q, lang, gains = ctx.q, ctx.lang, ctx.tables["gains"]
    blocks = [_tables_guide(ctx)]
    for code in (g.code for g in q.groups if g.code in set(gains["group"])):
        name = q.group_label(code, lang)
        blocks.append(Block("heading", name, level=3))
        rows = gains[gains["group"] == code]
        if rows[FLAG].all():
            blocks.append(Block("para", tr(_T["group_hidden"], lang, k=ctx.k)))
            continue
        blocks.append(Block("para", " ".join(_group_sentences(ctx, rows[~rows[FLAG] & rows["d_z"].notna()]))))
        blocks.append(Block("table", table=display_gains(gains, q, group=code, lang=lang),
                            text=tr(_T["group_caption"], lang, group=name)))
    return blocks


def _group_sentences(ctx: Context, visible: pd.DataFrame) -> list[str]:
    """A group page's words: its strongest rise, then the criteria that rose without
    significance and those that fell, each with its printed gain."""
    q, lang = ctx.q, ctx.lang
    if visible.empty:
        return []
    best = visible.loc[visible["d_z"].idxmax()]
    out = [tr(_T["group_best"], lang, scale=q.scale(best["scale"]).label(lang), d=fmt.number(best["d_z"], 2, lang=lang),
              w=effect_word(best["d_z"], lang)) if best["mean_diff"] > 0 else tr(_T["group_none_up"], lang)]
    crit = visible[visible["scale"].isin(ctx.criteria)]
    signs = direction(crit)

    def listed(part, sure: bool):
        return join([f"{q.scale(r['scale']).label(lang)} ("
                     f"{fmt.number(r['mean_diff'], scale_unit(q, r['scale'], lang)[1], lang=lang, sign=True)}"
                     + (f"; {tr(_T['sig_down' if signs[i] else 'not_sig'], lang)}" if sure else "") + ")"
                     for i, r in part.iterrows()], lang)

    unsure = crit[(signs == 0) & (crit["mean_diff"] >= 0)]
    fell = crit[crit["mean_diff"] < 0]
    if len(unsure):
        out.append(tr(_T["group_unsure"], lang, items=listed(unsure, False)))
    if len(fell):
        out.append(tr(_T["group_fell"], lang, items=listed(fell, True)))
    if len(crit) and (signs == 1).all():
        out.append(tr(_T["group_all_sig"], lang))
    return out


def _tables_guide(ctx: Context) -> Block:
    return Block("note", tr(_T["tables_guide"], ctx.lang, mark=SIG_MARK, alpha=fmt.number(ALPHA, 2, lang=ctx.lang),
                            rounding=rounding_note(ctx.lang)))


def _items(ctx: Context) -> list[Block]:
    q, lang, tables = ctx.q, ctx.lang, ctx.tables
    items = tables["item_correct"]
    pooled = items[items["group"] == ALL_GROUPS]
    if pooled.empty:
        return []
    change, analysis = tables.get("item_change"), tables.get("item_analysis")
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
        partial = q.item(r["item"]).type == "multi_select"
        records.append([r["item"], textwrap.shorten(q.item(r["item"]).label(lang), 70, placeholder="…"),
                        fmt.percent(r["share_pre"], lang=lang), fmt.percent(r["share_post"], lang=lang),
                        fmt.number(100 * r["change"], 0, lang=lang, sign=True),
                        fmt.p_value(p, lang=lang, prefix="").lstrip(" =").strip() if p is not None else fmt.MISSING,
                        f"{fmt.percent(r['credit_pre'], lang=lang)} → {fmt.percent(r['credit_post'], lang=lang)}"
                        if partial else fmt.MISSING,
                        fmt.number(rp, 2, lang=lang) if rp is not None else fmt.MISSING,
                        ", ".join(tr(_T["flags"][f.strip()], lang) if f.strip() in _T["flags"] else f.strip()
                                  for f in fl.split(",") if f.strip()) if isinstance(fl, str) else ""])
    return [Block("para", tr(_T["annex_text"], lang)),
            Block("table", table=frame(records, _T["annex_head"][lang]), text=tr(_T["items_caption"], lang),
                  key="items")]


def _individual(ctx: Context) -> list[Block]:
    return [Block("image", image=ctx.charts[key], text=tr(_T[caption], ctx.lang))
            for key, caption in (("paired", "fig_paired"), ("reliable_change", "fig_rc")) if key in ctx.charts]


def _quality(ctx: Context) -> list[Block]:
    lang, tables = ctx.lang, ctx.tables
    names = _T["ledger_head"][lang]
    summary = tables["ledger_summary"][[c for c in names if c in tables["ledger_summary"].columns]]
    summary = summary.astype(str).assign(wave=[wave_names([w], lang) for w in summary["wave"]]).rename(columns=names)
    blocks = [Block("para", tr(_T["quality_ok"], lang)),
              Block("para", tr(_T["problems"], lang, n=len(tables["data_quality"]))),
              Block("table", table=summary, text=tr(_T["ledger_caption"], lang), key="ledger")]
    if "flow" in ctx.charts:
        blocks.append(Block("image", image=ctx.charts["flow"], text=tr(_T["fig_flow"], lang), key="fig_flow"))
    return blocks


def _details(ctx: Context) -> list[Block]:
    lang, rel = ctx.lang, ctx.tables.get("reliability")
    blocks = [Block("para", tr(_T["method_t"], lang))]
    if rel is not None and len(rel):
        wide = rel.pivot_table(index="scale", columns="wave", values="alpha", sort=False)
        rows = [[ctx.q.scale(s).label(lang), fmt.number(r.get("pre"), 2, lang=lang),
                 fmt.number(r.get("post"), 2, lang=lang)] for s, r in wide.iterrows()]
        blocks.append(Block("table", table=frame(rows, _T["rel_head"][lang]), text=tr(_T["rel_caption"], lang),
                            key="reliability"))
    return blocks


OUTLINE: tuple[Section, ...] = (
    Section("cover", body=framing.cover, kind="front"),
    Section("contents", body=framing.contents, kind="front", new_page=True),
    Section("summary", _S["summary"], framing.summary, kind="front", new_page=True),
    Section("introduction", _S["introduction"], kind="chapter", new_page=True, children=(
        Section("background", _S["background"], framing.background),
        Section("aims", _S["aims"], framing.aims),
        Section("criteria", _S["criteria"], framing.criteria))),
    Section("method", _S["method"], kind="chapter", new_page=True, children=(
        Section("instrument", _S["instrument"], _instrument),
        Section("participants", _S["participants"], _participants),
        Section("analysis", _S["analysis"], lambda ctx: [Block("para", tr(_T["analysis_short"], ctx.lang))]),
        Section("rule", _S["rule"], framing.verdict_rule),
        Section("privacy", _S["privacy"], _privacy))),
    Section("results", _S["results"], kind="chapter", new_page=True, children=(
        Section("findings", _S["findings"], _findings),
        Section("matrix", _S["matrix"], _matrix, when=lambda ctx: not framing.many_groups(ctx)),
        Section("matrix_pointer", _S["matrix"], _matrix_pointer, when=framing.many_groups),
        Section("levels", body=_levels))),
    Section("conclusions", _S["conclusions"], kind="chapter", new_page=True, children=(
        Section("conclusion", _S["conclusion"], framing.conclusions),
        Section("recommendations", _S["recommendations"], framing.recommendations),
        Section("signature", _S["signature"], framing.signature))),
    Section("annex", _S["annex"], kind="annex", new_page=True, children=(
        Section("full_tables", _S["full_tables"], _full_tables),
        Section("annex_matrix", _S["matrix"], _matrix, when=framing.many_groups),
        Section("groups", _S["groups"], _groups),
        Section("items", _S["items"], _items, when=lambda ctx: not ctx.tables["item_correct"].empty),
        Section("individual", _S["individual"], _individual,
                when=lambda ctx: bool({"paired", "reliable_change"} & set(ctx.charts))),
        Section("quality", _S["quality"], _quality),
        Section("details", _S["details"], _details))),
)
