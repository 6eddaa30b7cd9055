"""The parts of the report around the results: cover, contents, executive summary, BAB I,
the verdict rule of BAB II, BAB IV (conclusions, recommendations) and the signature block.

Every sentence is generated from :mod:`evalkit.report._verdict`'s tables; verdict words
and thresholds come from its constants, so the rule stated and the rule applied agree.
"""

from __future__ import annotations

import datetime as _dt

from .. import _numbers as fmt
from .._constants import ALL_GROUPS
from .._i18n import tr
from ._content import Block, join, rounding_note, scale_unit
from ._followup import summary_lines
from ._info import placeholder
from ._outline import Context, frame
from ._verdict import ACHIEVED_SHARE, ALPHA, HIGH_ATTRITION, ITEM_LANDED, LOW_ALPHA

#: Above this many groups, a group × criterion table goes to the Lampiran.
LONG_TABLE_ROWS = 20
#: Groups named in a summary sentence before "and n other groups"; groups given a recommendation each.
MAX_LISTED, MAX_GROUP_BULLETS = 5, 8

_T = {
    "cover_title": {"id": "LAPORAN EVALUASI PELATIHAN", "en": "TRAINING EVALUATION REPORT"},
    "cover_by": {"id": "Diselenggarakan oleh", "en": "Organised by"},
    "cover_draft": {"id": "Draf dibuat oleh evalkit pada {date} dari berkas pre-test dan post-test. Periksa, "
                          "sesuaikan, lalu tandatangani.",
                    "en": "Draft made by evalkit on {date} from the pre-test and post-test files. Review, adjust, "
                          "then sign."},
    "toc": {"id": "Daftar Isi", "en": "Contents"},
    "toc_hint": {"id": "Nomor halaman muncul setelah daftar isi diperbarui: di Word klik kanan daftar isi lalu pilih "
                        "Perbarui Bidang (Update Field); di LibreOffice Alat › Perbarui › Perbarui Semua.",
                 "en": "Page numbers appear once the contents are updated: in Word right-click the contents and "
                        "choose Update Field; in LibreOffice Tools › Update › Update All."},
    "verdict": {"achieved": {"id": "tercapai", "en": "achieved"},
                "partly": {"id": "tercapai sebagian", "en": "partly achieved"},
                "not_yet": {"id": "belum tercapai", "en": "not yet achieved"}},
    "summary_head": {"id": ["Kriteria", "Sebelum", "Sesudah", "Kenaikan", "IK 95%", "Kelompok naik bermakna",
                            "Penilaian"],
                     "en": ["Criterion", "Before", "After", "Gain", "95% CI", "Groups with a significant gain",
                            "Verdict"]},
    "summary_caption": {"id": "Ketercapaian kriteria keberhasilan (semua kelompok).",
                        "en": "Success criteria reached (all groups)."},
    "summary_note": {"id": "Kenaikan = sesudah − sebelum; pengetahuan dalam % benar, skala lain 1–{points}. Kelompok "
                           "naik bermakna: p Holm < {alpha}. Aturan penilaian: subbab {{ref:section_rule}}.",
                     "en": "Gain = after − before; knowledge in % correct, other scales 1–{points}. Significant "
                           "gain: Holm p < {alpha}. Verdict rule: section {{ref:section_rule}}."},
    "headline_caption": {"id": "Besar kenaikan per kriteria (d_z: 0,2 kecil, 0,5 sedang, 0,8 besar).",
                         "en": "Size of the gain per criterion (d_z: 0.2 small, 0.5 medium, 0.8 large)."},
    "of": {"id": "{k} dari {m}", "en": "{k} of {m}"},
    "s_overview": {"id": "Sebanyak {n} peserta dari {groups} kelompok mengisi pre-test dan post-test dan dapat "
                         "dipasangkan{lost}.",
                   "en": "{n} participants from {groups} groups took both the pre-test and the post-test and could "
                         "be matched{lost}."},
    "s_lost": {"id": "; {n} peserta pre-test tidak mengisi post-test", "en": "; {n} pre-test participants did not "
                                                                            "take the post-test"},
    "s_verdicts": {"id": "Kriteria {v}: {names}.", "en": "Criteria {v}: {names}."},
    "s_partly": {"id": "Kriteria tercapai sebagian: {names}; kenaikan keseluruhannya nyata, tetapi bermakna hanya di "
                       "{counts} kelompok.",
                 "en": "Criteria partly achieved: {names}; the overall gain is real but significant in only {counts} "
                       "groups."},
    "s_groups": {"id": "Kelompok yang paling perlu tindak lanjut: {names} (Rekomendasi, subbab "
                       "{{ref:section_recommendations}}).",
                 "en": "Groups most in need of follow-up: {names} (recommendations, section "
                       "{{ref:section_recommendations}})."},
    "s_items": {"id": "Sebanyak {n} butir pengetahuan masih dijawab benar oleh kurang dari {pct} peserta sesudah "
                      "pelatihan.",
                "en": "{n} knowledge items were still answered correctly by fewer than {pct} after the training."},
    "others": {"id": "{n} kelompok lain", "en": "{n} other groups"},
    "background": {"id": "{training} diselenggarakan oleh {organiser} di {place} pada {dates} ({days} hari). "
                         "Pelatihan ini bertujuan memperkuat kapasitas komunitas untuk mengenali, mengadvokasi, "
                         "dan melindungi hak asasi manusia di lingkungannya. Laporan ini menilai apakah tujuan itu "
                         "tercapai dengan membandingkan jawaban peserta sebelum (pre-test) dan sesudah (post-test) "
                         "pelatihan.",
                   "en": "{training} was organised by {organiser} in {place} on {dates} ({days} days). The training "
                         "aims to strengthen communities' capacity to recognise, advocate for and protect human "
                         "rights around them. This report assesses whether that aim was reached by comparing "
                         "participants' answers before (pre-test) and after (post-test) the training."},
    "aims": {"id": ["mengukur perubahan pengetahuan, sikap dan keyakinan diri peserta sesudah pelatihan;",
                    "menilai ketercapaian setiap kriteria keberhasilan pelatihan;",
                    "membandingkan kelompok untuk menemukan kelompok yang memerlukan tindak lanjut;",
                    "menemukan materi (butir soal) yang belum dikuasai peserta;",
                    "memberi rekomendasi untuk pelatihan berikutnya."],
             "en": ["measure the change in participants' knowledge, attitudes and self-efficacy after the training;",
                    "assess whether each success criterion of the training was reached;",
                    "compare groups to find those that need a follow-up;",
                    "find the topics (test items) participants have not yet mastered;",
                    "make recommendations for the next training."]},
    "aims_intro": {"id": "Evaluasi ini bertujuan untuk:", "en": "This evaluation aims to:"},
    "criteria_intro": {"id": "Pelatihan dinilai berhasil bila, sesudah pelatihan, peserta lebih mampu pada setiap "
                             "kriteria berikut (diukur dengan skala kuesioner bernama sama):",
                       "en": "The training is judged successful when, after it, participants do better on each of "
                             "these criteria (measured by the questionnaire scale of the same name):"},
    "rule": {"id": "Suatu perubahan disebut bermakna (lebih besar daripada yang dapat dijelaskan oleh kebetulan) "
                   "bila nilai p-nya kurang dari {alpha}. Untuk semua kelompok bersama, p berasal dari uji t "
                   "berpasangan; ini sama dengan interval kepercayaan (IK) 95% kenaikan rata-rata tidak mencakup "
                   "nol. Untuk setiap kelompok, karena banyak kelompok diuji sekaligus, p dikoreksi dengan metode "
                   "Holm. IK 95% yang ditampilkan untuk kelompok tidak dikoreksi, sehingga IK kelompok yang tidak "
                   "mencakup nol belum tentu bermakna sesudah koreksi Holm. Aturan ini dipakai oleh setiap kalimat, "
                   "hitungan kelompok, tanda * di tabel dan tanda di grafik laporan ini. Setiap kriteria "
                   "keberhasilan dinilai dengan aturan berikut:",
             "en": "A change is called significant (larger than chance can explain) when its p-value is below "
                   "{alpha}. For all groups together, p comes from the paired t-test; this is the same as the 95% "
                   "confidence interval (CI) of the mean gain excluding zero. For each group, since many groups are "
                   "tested at once, p is Holm-adjusted. The 95% CIs shown for groups are not adjusted, so a group's "
                   "CI may exclude zero while it is not significant after the Holm adjustment. Every sentence, "
                   "count of groups, * in a table and mark in a chart of this report follows this rule. Each "
                   "success criterion is judged by this rule:"},
    "rule_items": {"id": ["tercapai: kenaikan semua kelompok bersama bermakna (IK 95% di atas nol), dan kenaikan "
                          "bermakna di sedikitnya {share} kelompok;",
                          "tercapai sebagian: kenaikan semua kelompok bersama bermakna, tetapi kenaikan bermakna di "
                          "kurang dari {share} kelompok;",
                          "belum tercapai: IK 95% kenaikan semua kelompok bersama mencakup nol atau di bawah nol."],
                   "en": ["achieved: the rise of all groups together is significant (its 95% CI lies above zero), "
                          "and the rise is significant in at least {share} of the groups;",
                          "partly achieved: the rise of all groups together is significant, but the rise is "
                          "significant in fewer than {share} of the groups;",
                          "not yet achieved: the 95% CI of the gain of all groups together includes zero or lies "
                          "below it."]},
    "rule_recs": {"id": "Rekomendasi di Bab IV dihasilkan dari angka dengan ambang berikut: kelompok dengan kenaikan "
                        "bermakna pada kurang dari separuh kriteria, atau dengan rata-rata d_z terendah (seperlima "
                        "terbawah); butir pengetahuan yang sesudah pelatihan dijawab benar oleh kurang dari {item}; "
                        "skala dengan alfa Cronbach di bawah {alpha}; lebih dari {attr} peserta pre-test tanpa "
                        "post-test.",
                  "en": "The recommendations in Chapter IV are generated from the numbers with these thresholds: "
                        "groups with a significant gain on fewer than half of the criteria, or with the lowest mean "
                        "d_z (bottom fifth); knowledge items answered correctly by fewer than {item} after the "
                        "training; scales with Cronbach's alpha below {alpha}; more than {attr} of pre-test "
                        "participants without a post-test."},
    "conclusion": {"id": "{scale}: {verdict}. Rata-rata {direction} dari {pre} menjadi {post} ({gain}; IK 95% {ci}); "
                         "bermakna di {counts} kelompok.",
                   "en": "{scale}: {verdict}. The mean {direction} from {pre} to {post} ({gain}; 95% CI {ci}); "
                         "significant in {counts} groups."},
    "up": {"id": "naik", "en": "rose"}, "down": {"id": "turun", "en": "fell"},
    "conclusion_source": {"id": "Sumber: {ref}.", "en": "Source: {ref}."},
    "recs_intro": {"id": "Saran berikut dihasilkan otomatis dari angka. Sunting, tambah atau hapus sesuai pengetahuan "
                         "Anda tentang pelatihan sebelum laporan ditandatangani.",
                   "en": "These suggestions were generated from the numbers. Edit, add or delete them using what you "
                         "know about the training before the report is signed."},
    "rec_group": {"id": "Pertimbangkan pertemuan tindak lanjut dengan {group}: kenaikan bermakna hanya pada {k} dari "
                        "{m} kriteria, rata-rata d_z {d} (sumber: {ref}).",
                  "en": "Consider a follow-up meeting with {group}: a significant gain on only {k} of {m} criteria, "
                        "mean d_z {d} (source: {ref})."},
    "rec_groups": {"id": "Pertimbangkan pertemuan tindak lanjut dengan {n} kelompok yang kenaikan bermaknanya kurang "
                         "dari separuh kriteria atau rata-rata d_z-nya terendah: {names} (sumber: {ref}).",
                   "en": "Consider follow-up meetings with the {n} groups with a significant gain on fewer than half "
                         "of the criteria or the lowest mean d_z: {names} (source: {ref})."},
    "rec_items": {"id": "Tinjau cara materi butir {items} disampaikan, atau rumusan soalnya: sesudah pelatihan "
                        "jawaban benar masih di bawah {pct} (sumber: {ref}).",
                  "en": "Review how the topics of items {items} are taught, or how the questions are worded: after "
                        "the training fewer than {pct} answered correctly (source: {ref})."},
    "rec_reliability": {"id": "Periksa butir skala {scale}: reliabilitasnya rendah (alfa {alpha}), sehingga hasilnya "
                              "kurang dapat dipegang (sumber: {ref}).",
                        "en": "Check the items of the {scale} scale: its reliability is low (alpha {alpha}), so its "
                              "results are less dependable (source: {ref})."},
    "rec_attrition": {"id": "{share} peserta pre-test tidak mengisi post-test ({n} dari {read}); cari tahu sebabnya "
                            "dan pastikan post-test diisi sebelum peserta pulang (sumber: {ref}).",
                      "en": "{share} of pre-test participants did not take the post-test ({n} of {read}); find out "
                            "why and make sure the post-test is taken before participants leave (source: {ref})."},
    "rec_none": {"id": "Angka tidak menunjukkan kelompok, butir atau skala yang perlu tindak lanjut khusus.",
                 "en": "The numbers point to no group, item or scale needing particular follow-up."},
    "signed_at": {"id": "{place}, {date}", "en": "{place}, {date}"},
    "prepared": {"id": "Disusun oleh,", "en": "Prepared by,"},
    "approved": {"id": "Disetujui oleh,", "en": "Approved by,"},
    "nip": {"id": "NIP {nip}", "en": "Staff no. {nip}"},
}


def verdict_word(verdict: str, lang: str) -> str:
    return tr(_T["verdict"][verdict], lang)


def _today(ctx: Context) -> str:
    return fmt.date_long(ctx.info.report_date or _dt.date.today(), lang=ctx.lang)


# -- front matter ---------------------------------------------------------------------------
def cover(ctx: Context) -> list[Block]:
    info, lang = ctx.info, ctx.lang
    year = str((info.start_date or _dt.date.today()).year)
    lines = [tr(_T["cover_title"], lang), info.field("training", lang),
             tr(_T["cover_by"], lang) + "\n" + info.field("organiser", lang),
             f"{info.field('place', lang)}, {info.dates(lang)}", info.field("organiser", lang).upper() + "\n" + year]
    return [Block("cover", items=lines, text=tr(_T["cover_draft"], lang, date=_today(ctx)))]


def contents(ctx: Context) -> list[Block]:
    return [Block("toc", text=tr(_T["toc"], ctx.lang), items=[tr(_T["toc_hint"], ctx.lang)])]


def summary(ctx: Context) -> list[Block]:
    """One page: who took part, the criteria table, the headline chart, 3–5 sentences."""
    lang, v = ctx.lang, ctx.verdicts
    flow = ctx.tables["flow"]
    matched = int(flow.loc[flow["stage"] == "matched", "n"].sum())
    lost = int(flow.loc[(flow["stage"] == "unmatched") & (flow["wave"] == "pre"), "n"].sum())
    groups = ctx.tables["gains"].loc[lambda g: g["group"] != ALL_GROUPS, "group"].nunique()
    out = [Block("para", tr(_T["s_overview"], lang, n=fmt.integer(matched, lang=lang), groups=groups,
                            lost=tr(_T["s_lost"], lang, n=lost) if lost else ""))]
    rows = []
    for r in v.to_dict("records"):
        _, digits = scale_unit(ctx.q, r["scale"], lang)
        rows.append([ctx.q.scale(r["scale"]).label(lang), fmt.number(r["mean_pre"], digits, lang=lang),
                     fmt.number(r["mean_post"], digits, lang=lang),
                     fmt.number(r["mean_diff"], digits, lang=lang, sign=True),
                     fmt.interval(r["ci_low"], r["ci_high"], digits, lang=lang),
                     tr(_T["of"], lang, k=r["groups_significant"], m=r["groups_shown"]),
                     verdict_word(r["verdict"], lang)])
    out.append(Block("table", table=frame(rows, _T["summary_head"][lang]), text=tr(_T["summary_caption"], lang),
                     key="summary"))
    points = max((i.points or 0) for i in ctx.q.items if i.type == "likert") if any(
        i.type == "likert" for i in ctx.q.items) else 5
    out.append(Block("note", tr(_T["summary_note"], lang, points=points, alpha=fmt.number(ALPHA, 2, lang=lang))))
    out.append(Block("note", rounding_note(lang)))
    if "headline" in ctx.charts:
        out.append(Block("image", image=ctx.charts["headline"], key="headline",
                         text=tr(_T["headline_caption"], lang)))
    out.append(Block("para", " ".join(_summary_sentences(ctx) + summary_lines(ctx))))
    return out


def _summary_sentences(ctx: Context) -> list[str]:
    lang, v, q = ctx.lang, ctx.verdicts, ctx.q
    out = []
    for verdict in ("achieved", "not_yet"):
        names = [q.scale(s).label(lang) for s in v.loc[v["verdict"] == verdict, "scale"]]
        if names:
            out.append(tr(_T["s_verdicts"], lang, v=verdict_word(verdict, lang), names=join(names, lang)))
    partly = v[v["verdict"] == "partly"]
    if len(partly):  # said with why: the effect sizes are in the headline chart
        out.insert(1 if v["verdict"].eq("achieved").any() else 0,
                   tr(_T["s_partly"], lang, names=join([q.scale(s).label(lang) for s in partly["scale"]], lang),
                      counts=join([tr(_T["of"], lang, k=k, m=m) for k, m in
                                     zip(partly["groups_significant"], partly["groups_shown"])], lang)))
    weak = ctx.findings["groups"]
    if len(weak):
        names = [q.group_label(g, lang) for g in weak["group"]]
        if len(names) > MAX_LISTED:
            names = names[:MAX_LISTED] + [tr(_T["others"], lang, n=len(names) - MAX_LISTED)]
        out.append(tr(_T["s_groups"], lang, names=join(names, lang)))
    items = ctx.findings["items"]
    if len(items):
        out.append(tr(_T["s_items"], lang, n=len(items), pct=fmt.percent(ITEM_LANDED, lang=lang)))
    return out


# -- BAB I ----------------------------------------------------------------------------------
def background(ctx: Context) -> list[Block]:
    info, lang = ctx.info, ctx.lang
    if info.background:
        return [Block("para", p.strip()) for p in info.background[lang].split("\n\n") if p.strip()]
    return [Block("para", tr(_T["background"], lang, training=info.field("training", lang),
                             organiser=info.field("organiser", lang), place=info.field("place", lang),
                             dates=info.dates(lang), days=info.n_days(lang)))]


def aims(ctx: Context) -> list[Block]:
    return [Block("para", tr(_T["aims_intro"], ctx.lang)), Block("bullets", items=list(_T["aims"][ctx.lang]))]


def criteria(ctx: Context) -> list[Block]:
    items = []
    for scale in ctx.criteria:
        s = ctx.q.scale(scale)
        items.append(s.label(ctx.lang) + (f" — {s.description[ctx.lang]}" if s.description else ""))
    return [Block("para", tr(_T["criteria_intro"], ctx.lang)), Block("bullets", items=items)]


# -- BAB II: the rule ----------------------------------------------------------------------
def verdict_rule(ctx: Context) -> list[Block]:
    lang = ctx.lang
    share = fmt.percent(ACHIEVED_SHARE, lang=lang)
    return [Block("para", tr(_T["rule"], lang, alpha=fmt.number(ALPHA, 2, lang=lang))),
            Block("bullets", items=[t.format(share=share) for t in _T["rule_items"][lang]]),
            Block("para", tr(_T["rule_recs"], lang, item=fmt.percent(ITEM_LANDED, lang=lang),
                             alpha=fmt.number(LOW_ALPHA, 2, lang=lang), attr=fmt.percent(HIGH_ATTRITION, lang=lang)))]


# -- BAB IV ---------------------------------------------------------------------------------
def conclusions(ctx: Context) -> list[Block]:
    lang, items = ctx.lang, []
    for r in ctx.verdicts.to_dict("records"):
        unit, digits = scale_unit(ctx.q, r["scale"], lang)
        items.append(tr(_T["conclusion"], lang, scale=ctx.q.scale(r["scale"]).label(lang),
                        verdict=verdict_word(r["verdict"], lang),
                        direction=tr(_T["up" if r["mean_diff"] >= 0 else "down"], lang),
                        pre=fmt.number(r["mean_pre"], digits, lang=lang),
                        post=fmt.number(r["mean_post"], digits, lang=lang),
                        gain=f"{fmt.number(r['mean_diff'], digits, lang=lang, sign=True)} {unit}",
                        ci=fmt.interval(r["ci_low"], r["ci_high"], digits, lang=lang),
                        counts=tr(_T["of"], lang, k=r["groups_significant"], m=r["groups_shown"])))
    return [Block("bullets", items=items), Block("note", tr(_T["conclusion_source"], lang, ref="{ref:summary}"))]


def recommendations(ctx: Context) -> list[Block]:
    """Suggestions for the analyst to edit, each naming the table it comes from."""
    lang, f, q = ctx.lang, ctx.findings, ctx.q
    items = []
    if len(f["groups"]) > MAX_GROUP_BULLETS:  # many groups: one suggestion naming them all
        items.append(tr(_T["rec_groups"], lang, n=len(f["groups"]), ref="{ref:group_matrix}",
                        names=join([q.group_label(g, lang) for g in f["groups"]["group"]], lang)))
    for r in f["groups"].to_dict("records") if len(f["groups"]) <= MAX_GROUP_BULLETS else ():
        items.append(tr(_T["rec_group"], lang, group=q.group_label(r["group"], lang), k=int(r["significant"]),
                        m=int(r["criteria"]), d=fmt.number(r["d_z"], 2, lang=lang), ref="{ref:group_matrix}"))
    if len(f["items"]):
        listed = [f"{r['item']} ({fmt.percent(r['share_post'], lang=lang)})" for r in f["items"].to_dict("records")]
        items.append(tr(_T["rec_items"], lang, items=join(listed, lang), pct=fmt.percent(ITEM_LANDED, lang=lang),
                        ref="{ref:items}"))
    for scale, rows in f["reliability"].groupby("scale", sort=False):
        items.append(tr(_T["rec_reliability"], lang, scale=q.scale(scale).label(lang),
                        alpha=fmt.number(rows["alpha"].min(), 2, lang=lang), ref="{ref:reliability}"))
    for r in f["attrition"].to_dict("records"):
        items.append(tr(_T["rec_attrition"], lang, share=fmt.percent(r["share"], lang=lang), n=int(r["unmatched"]),
                        read=int(r["read"]), ref="{ref:ledger}"))
    return [Block("note", tr(_T["recs_intro"], lang)),
            Block("bullets", items=items) if items else Block("para", tr(_T["rec_none"], lang))]


def signature(ctx: Context) -> list[Block]:
    lang, info = ctx.lang, ctx.info
    cells = []
    for head, person in (("prepared", info.prepared_by), ("approved", info.approved_by)):
        title = person.title[lang] if person.title else placeholder("title", lang)
        nip = tr(_T["nip"], lang, nip=person.nip or placeholder("nip", lang))
        cells.append("\n".join([tr(_T[head], lang), title, "", "", "", person.name or placeholder("name", lang), nip]))
    place = info.place[lang] if info.place else placeholder("report_place", lang)
    return [Block("para", tr(_T["signed_at"], lang, place=place, date=_today(ctx))),
            Block("signature", table=frame([cells], ["", ""]))]


def many_groups(ctx: Context) -> bool:
    return ctx.tables["gains"].loc[lambda g: g["group"] != ALL_GROUPS, "group"].nunique() > LONG_TABLE_ROWS
