"""The ``nasional`` report as blocks, in the single-training report's government outline
(:data:`evalkit.report.OUTLINE`): cover, contents, executive summary with the national table,
BAB I Pendahuluan, BAB II Metode (instrument and fingerprints, trainings, analysis, data
protection), BAB III Hasil (tests between provinces and years, national charts, one page per
province), BAB IV Kesimpulan dan Rekomendasi, Lampiran (trainings, those left out). Per-group
tables go to the workbook only, so the document stays small."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from .. import _numbers as fmt
from .._i18n import tr
from ..privacy import MIN_GROUP_SIZE
from ..report import OUTLINE, Block, Section, render_outline
from ._analysis import RollUp

_T = {
    "cover_title": {"id": "LAPORAN ROLL-UP NASIONAL EVALUASI PELATIHAN", "en": "NATIONAL ROLL-UP EVALUATION REPORT"},
    "draft": {"id": "Draf yang dihasilkan otomatis oleh evalkit dari katalog pelatihan. Tabel per kelompok ada di "
                    "rollup.xlsx. Periksa, sesuaikan, lalu tandatangani.",
              "en": "Draft generated automatically by evalkit from the catalogue of trainings. The per-group tables "
                    "are in rollup.xlsx. Review, adjust, then sign."},
    "national_caption": {"id": "Gabungan nasional per skala (model efek acak; IK 95%; I²: bagian variasi antarpelatihan "
                               "yang bukan kebetulan).",
                         "en": "National pooled estimates per scale (random effects; 95% CI; I²: the share of the "
                               "variation between trainings that is not chance)."},
    "background": {"id": "Laporan ini menggabungkan {trainings} pelatihan dari katalog pelatihan: hasil setiap "
                         "pelatihan, provinsi dan tahun, dan apakah program membaik dari tahun ke tahun. Setiap "
                         "pelatihan dievaluasi dengan pre-test dan post-test yang sama.",
                   "en": "This report pools {trainings} trainings from the catalogue of trainings: the results per "
                         "training, province and year, and whether the programme improves year on year. Each "
                         "training was evaluated with the same pre-test and post-test."},
    "instrument": {"id": "Kuesioner ({n}) dengan sidiknya: {fingerprints}. Satu skala hanya digabungkan antara "
                         "pelatihan yang sidik skalanya sama (butir, kunci, butir terbalik, cara skor dan rentang).",
                   "en": "Questionnaire(s) ({n}) with their fingerprints: {fingerprints}. A scale is pooled only "
                         "across trainings whose scale fingerprint is the same (items, keys, reverse flags, scoring "
                         "and range)."},
    "cols_scales": {"id": ["Skala", "Sidik", "Pelatihan"], "en": ["Scale", "Fingerprint", "Trainings"]},
    "scales_caption": {"id": "Skala yang digabungkan, sidiknya dan jumlah pelatihan.",
                       "en": "Scales pooled, their fingerprints and the number of trainings."},
    "participants": {"id": "{trainings} pelatihan di {provinces} provinsi: {answers} dari berkas jawaban, {packages} "
                           "dari paket hasil (tanpa data pribadi). Pasangan pelatihan × skala yang tidak digabungkan: "
                           "{excluded} ({ref}).",
                     "en": "{trainings} trainings in {provinces} provinces: {answers} from answer files, {packages} "
                           "from result packages (no personal data). Training × scale pairs left out: {excluded} "
                           "({ref})."},
    "analysis": {"id": "Kenaikan per pelatihan, provinsi dan nasional dihitung dari jumlah per kelompok (sama dengan "
                       "data mentah digabung). Efek per pelatihan (kenaikan rata-rata dan d_z) digabung dengan model "
                       "efek acak (REML, uji Knapp–Hartung) dengan tau², I² dan interval prediksi; perbedaan "
                       "antarprovinsi dan antartahun diuji dengan QM, tren dengan meta-regresi pada tahun. Uji "
                       "Wilcoxon dan bootstrap tidak dapat digabung dari jumlah dan hanya ada per kelompok.",
                 "en": "Gains per training, province and nation are computed from per-group sums (equal to pooling "
                       "the raw data). Per-training effects (mean gain and d_z) are pooled with a random-effects "
                       "model (REML, Knapp–Hartung tests) with tau², I² and a prediction interval; differences "
                       "between provinces and between years are tested with QM, the trend with a meta-regression "
                       "on year. Wilcoxon and bootstrap results cannot be pooled from sums and exist per group only."},
    "privacy": {"id": "Kelompok dengan kurang dari {k} peserta berpasangan (dan kelompok pelengkapnya) "
                      "disembunyikan di setiap tabel dan grafik. Tabel per kelompok hanya ada di rollup.xlsx. Nama, "
                      "nomor telepon dan kode peserta tidak pernah ditulis.",
                "en": "Groups with fewer than {k} matched participants (and their complementary groups) are hidden "
                      "in every table and chart. Per-group tables are in rollup.xlsx only. Names, phone numbers and "
                      "participant codes are never written."},
    "findings": {"id": "Gabungan nasional per skala: {ref} (Ringkasan Eksekutif). Perbedaan antarprovinsi, "
                       "antartahun dan tren:",
                 "en": "National pooled estimates per scale: {ref} (Executive Summary). Differences between "
                       "provinces, between years, and the trend:"},
    "national_charts": {"id": "Grafik Nasional", "en": "National Charts"},
    "provinces": {"id": "Hasil per Provinsi", "en": "Results by Province"},
    "fig_caterpillar": {"id": "Kenaikan semua kelompok, diurutkan: {scale}.",
                        "en": "Gains of all groups, sorted: {scale}."},
    "fig_funnel": {"id": "Kenaikan per pelatihan menurut jumlah peserta (corong): {scale}.",
                   "en": "Gain per training by number of participants (funnel): {scale}."},
    "fig_trend": {"id": "Kenaikan menurut tahun: {scale}.", "en": "Gain by year: {scale}."},
    "fig_forest": {"id": "Kenaikan per pelatihan di {province}: {scale}.",
                   "en": "Gain per training in {province}: {scale}."},
    "province_caption": {"id": "Gabungan {province} per skala (kenaikan dan IK 95% dari semua peserta berpasangan; "
                               "efek acak: gabungan pelatihannya dengan model efek acak).",
                         "en": "Pooled results of {province} per scale (gain and 95% CI over all matched "
                               "participants; random effects: its trainings pooled with a random-effects model)."},
    "conclude": {"up": {"id": "{scale}: secara nasional skor naik (IK 95% di atas nol); heterogenitas antarpelatihan "
                              "I² = {i2}.",
                        "en": "{scale}: nationally, scores rose (95% CI above zero); heterogeneity between trainings "
                              "I² = {i2}."},
                 "down": {"id": "{scale}: secara nasional skor turun (IK 95% di bawah nol); I² = {i2}.",
                          "en": "{scale}: nationally, scores fell (95% CI below zero); I² = {i2}."},
                 "unclear": {"id": "{scale}: secara nasional tidak ada perubahan yang jelas (IK 95% memuat nol); "
                                   "I² = {i2}.",
                             "en": "{scale}: nationally, no clear change (the 95% CI includes zero); I² = {i2}."}},
    "review": {"id": "Kesimpulan ini dihasilkan otomatis dari angka di atas; tim evaluasi meninjau dan "
                     "melengkapinya.",
               "en": "These conclusions are generated from the figures above; the evaluation team reviews and "
                     "completes them."},
    "recommend": {"id": "Rekomendasi diisi oleh tim evaluasi, misalnya untuk provinsi atau pelatihan yang berada di "
                        "luar batas corong atau di bawah interval prediksi (lihat grafik nasional).",
                  "en": "Recommendations are written by the evaluation team, e.g. for provinces or trainings outside "
                        "the funnel limits or below the prediction interval (see the national charts)."},
    "trainings_caption": {"id": "Daftar pelatihan dalam katalog.", "en": "Trainings in the catalogue."},
    "workbook": {"id": "Tabel per Kelompok", "en": "Tables by Group"},
    "workbook_text": {"id": "Hasil {groups} kelompok (per kelompok × pelatihan × skala) ada di rollup.xlsx, lembar "
                            "'groups', dan per_kelompok.csv; kelompok kecil disembunyikan.",
                      "en": "The results of {groups} groups (per group × training × scale) are in rollup.xlsx, sheet "
                            "'groups', and per_kelompok.csv; small groups are hidden."},
    "overview": {"id": "{trainings} pelatihan di {provinces} provinsi ({years}); {n} peserta berpasangan "
                       "dalam {groups} kelompok.",
                 "en": "{trainings} trainings in {provinces} provinces ({years}); {n} matched participants in "
                       "{groups} groups."},
    "scale": {"id": "{scale}: kenaikan gabungan {gain} {unit} (IK 95% {ci}; {k} pelatihan), d_z {dz} (IK 95% {dzci}). "
                    "Heterogenitas I² = {i2}; pada pelatihan baru, kenaikan yang diharapkan antara {pi}.",
              "en": "{scale}: pooled gain {gain} {unit} (95% CI {ci}; {k} trainings), d_z {dz} (95% CI {dzci}). "
                    "Heterogeneity I² = {i2}; in a new training, the expected gain lies between {pi}."},
    "tests": {"id": "Perbedaan antarprovinsi, antartahun dan tren (model efek acak, REML, Knapp–Hartung).",
              "en": "Differences between provinces, between years, and the trend (random effects, REML, "
                    "Knapp–Hartung)."},
    "excluded": {"id": "Pelatihan yang Tidak Digabungkan", "en": "Trainings Left Out"},
    "excluded_row": {"id": "{training} ({province}), {scale}: {reason}.", "en": "{training} ({province}), {scale}: "
                                                                              "{reason}."},
    "province": {"id": "Provinsi {province}", "en": "Province: {province}"},
    "province_text": {"id": "{trainings} pelatihan, {n} peserta berpasangan.",
                      "en": "{trainings} trainings, {n} matched participants."},
    "trainings": {"id": "Daftar Pelatihan", "en": "List of Trainings"},
    # Estimates and intervals in columns of their own: an interval is one "number" to the
    # renderer, so it never wraps, and every column fits the A4 text width.
    "cols_national": {"id": ["Skala", "Pelatihan", "Kenaikan", "IK 95%", "d_z", "I² (%)", "Interval prediksi"],
                      "en": ["Scale", "Trainings", "Gain", "95% CI", "d_z", "I² (%)", "Prediction interval"]},
    "cols_tests": {"id": ["Skala", "Antarprovinsi", "Antartahun", "Tren per tahun (IK 95%)"],
                   "en": ["Scale", "Between provinces", "Between years", "Trend per year (95% CI)"]},
    "cols_province": {"id": ["Skala", "Pelatihan", "Peserta", "Kenaikan", "IK 95%", "d_z", "Efek acak"],
                      "en": ["Scale", "Trainings", "Participants", "Gain", "95% CI", "d_z", "Random effects"]},
    # The office is in the workbook: without it, no training id or date wraps.
    "cols_trainings": {"id": ["Pelatihan", "Provinsi", "Tanggal", "Kelompok", "Peserta", "Sumber"],
                       "en": ["Training", "Province", "Dates", "Groups", "Participants", "Source"]},
    "source": {"answers": {"id": "jawaban", "en": "answers"},
               "package": {"id": "paket", "en": "package"}},
}


def _label(result: RollUp, scale: str, lang: str) -> str:
    row = result.scales.set_index("scale").loc[scale]
    return str(row[f"label_{lang}"])


def scale_unit(result: RollUp, scale: str, lang: str) -> tuple[str, int]:
    """The scale's unit in words and the decimals its gains are shown with."""
    row = result.scales.set_index("scale").loc[scale]
    if row["scoring"] == "percent_correct":
        return ("poin persen" if lang == "id" else "percentage points"), 1
    return (f"poin (skala 1–{int(row['points'])})" if lang == "id" else f"points (1–{int(row['points'])} scale)"), 2


def _meta_row(result: RollUp, level: str, measure: str, scale: str, **where) -> pd.Series | None:
    m = result.meta
    rows = m[(m["level"] == level) & (m["measure"] == measure) & (m["scale"] == scale)]
    for key, value in where.items():
        rows = rows[rows[key] == value]
    return rows.iloc[0] if len(rows) else None


@dataclass
class _Context:
    """What the national report's section bodies draw on (as the single-training report's
    :class:`~evalkit.report` context, for the same outline)."""

    result: RollUp
    charts: dict[str, Path]
    lang: str
    k: int

    def __post_init__(self):
        national = set(self.result.national_gains["scale"])
        self.scales = [s for s in self.result.scales["scale"] if s in national]


def build(result: RollUp, charts: dict[str, Path], *, lang: str, k: int = MIN_GROUP_SIZE) -> list[Block]:
    """The report's blocks in the single-training report's outline (:data:`evalkit.report.OUTLINE`:
    cover, contents, executive summary, BAB I–IV, Lampiran); ``charts`` maps
    ``"<kind>_<scale>"`` / ``"forest_<province>"`` to PNGs."""
    return render_outline(outline(), _Context(result, charts, lang, k))


def outline() -> tuple[Section, ...]:
    """The national report's outline: the single-training report's chapters, in its order and
    with its titles, holding the national bodies (per-group tables are in the workbook)."""
    same = {s.key: s for s in OUTLINE}
    chapter = {s.key: {c.key: c for c in s.children} for s in OUTLINE}

    def child(parent: str, key: str, body, **extra) -> Section:
        return dataclasses.replace(chapter[parent][key], body=body, children=(), when=None, **extra)

    return (
        dataclasses.replace(same["cover"], body=_cover),
        same["contents"],
        dataclasses.replace(same["summary"], body=_summary),
        dataclasses.replace(same["introduction"], children=(
            child("introduction", "background", _background),)),
        dataclasses.replace(same["method"], children=(
            child("method", "instrument", _instrument),
            child("method", "participants", _participants),
            child("method", "analysis", _analysis),
            child("method", "privacy", _privacy))),
        dataclasses.replace(same["results"], children=(
            child("results", "findings", _findings),
            Section("national_charts", _T["national_charts"], _national_charts),
            Section("provinces", _T["provinces"], _provinces))),
        dataclasses.replace(same["conclusions"], children=(
            child("conclusions", "conclusion", _conclusion),
            child("conclusions", "recommendations", _recommendations))),
        dataclasses.replace(same["annex"], children=(
            Section("trainings", _T["trainings"], _trainings),
            Section("excluded", _T["excluded"], _excluded, when=lambda ctx: len(ctx.result.excluded) > 0),
            Section("workbook", _T["workbook"], _workbook))),
    )


# -- front ------------------------------------------------------------------------------------
def _cover(ctx: _Context) -> list[Block]:
    result, lang = ctx.result, ctx.lang
    years = sorted(result.trainings["year"].unique())
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    return [Block("cover", items=[tr(_T["cover_title"], lang), result.title, span],
                  text=tr(_T["draft"], lang))]


def _summary(ctx: _Context) -> list[Block]:
    result, lang = ctx.result, ctx.lang
    years = sorted(result.trainings["year"].unique())
    first = result.groups.drop_duplicates(["training", "group"])
    blocks = [Block("para", tr(_T["overview"], lang, trainings=len(result.trainings),
                               provinces=result.trainings["province"].nunique(),
                               years=f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0]),
                               n=fmt.integer(result.training_gains.groupby("training")["n"].max().sum(), lang=lang),
                               groups=fmt.integer(len(first), lang=lang)))]
    rows = []
    for scale in ctx.scales:
        unit, digits = scale_unit(result, scale, lang)
        md, dz = _meta_row(result, "national", "MD", scale), _meta_row(result, "national", "d_z", scale)
        pooled = result.national_gains.set_index("scale").loc[scale]
        blocks.append(Block("para", tr(
            _T["scale"], lang, scale=_label(result, scale, lang), unit=unit, k=int(md["k"]),
            gain=fmt.number(md["estimate"], digits, lang=lang, sign=True),
            ci=fmt.interval(md["ci_low"], md["ci_high"], digits, lang=lang),
            dz=fmt.number(dz["estimate"], 2, lang=lang), dzci=fmt.interval(dz["ci_low"], dz["ci_high"], 2, lang=lang),
            i2=fmt.percent(md["i2"] / 100, lang=lang), pi=fmt.interval(md["pi_low"], md["pi_high"], digits, lang=lang))))
        rows.append([_label(result, scale, lang), str(int(md["k"])),
                     fmt.number(md["estimate"], digits, lang=lang, sign=True),
                     fmt.interval(md["ci_low"], md["ci_high"], digits, lang=lang),
                     fmt.number(dz["estimate"], 2, lang=lang), fmt.number(md["i2"], 0, lang=lang),
                     fmt.interval(md["pi_low"], md["pi_high"], digits, lang=lang)])
    blocks.append(Block("table", table=pd.DataFrame(rows, columns=_T["cols_national"][lang]),
                        text=tr(_T["national_caption"], lang), key="national"))
    return blocks


# -- BAB I, II ----------------------------------------------------------------------------------
def _background(ctx: _Context) -> list[Block]:
    return [Block("para", tr(_T["background"], ctx.lang, trainings=len(ctx.result.trainings)))]


def _instrument(ctx: _Context) -> list[Block]:
    result, lang = ctx.result, ctx.lang
    questionnaires = result.trainings.drop_duplicates("fingerprint")
    rows = [[_label(result, r.scale, lang), r.fingerprint, str(int(r.k))] for r in result.scales.itertuples()]
    return [Block("para", tr(_T["instrument"], lang, n=len(questionnaires),
                             fingerprints=", ".join(f"{q} ({f})" for q, f in
                                                    zip(questionnaires["questionnaire"], questionnaires["fingerprint"])))),
            Block("table", table=pd.DataFrame(rows, columns=_T["cols_scales"][lang]),
                  text=tr(_T["scales_caption"], lang), key="scales")]


def _participants(ctx: _Context) -> list[Block]:
    t = ctx.result.trainings
    sources = t["source"].value_counts()
    return [Block("para", tr(_T["participants"], ctx.lang, trainings=len(t), provinces=t["province"].nunique(),
                             answers=int(sources.get("answers", 0)), packages=int(sources.get("package", 0)),
                             excluded=ctx.result.excluded[["training", "scale"]].drop_duplicates().shape[0],
                             ref="{ref:section_excluded}"))]


def _analysis(ctx: _Context) -> list[Block]:
    return [Block("para", tr(_T["analysis"], ctx.lang))]


def _privacy(ctx: _Context) -> list[Block]:
    return [Block("para", tr(_T["privacy"], ctx.lang, k=ctx.k))]


# -- BAB III --------------------------------------------------------------------------------------
def _findings(ctx: _Context) -> list[Block]:
    return [Block("para", tr(_T["findings"], ctx.lang, ref="{ref:national}")), *_tests(ctx.result, ctx.scales,
                                                                                          ctx.lang)]


def _national_charts(ctx: _Context) -> list[Block]:
    blocks = []
    for scale in ctx.scales:
        label = _label(ctx.result, scale, ctx.lang)
        blocks.append(Block("heading", label, level=3))
        blocks += [Block("image", image=ctx.charts[f"{kind}_{scale}"], text=tr(_T[f"fig_{kind}"], ctx.lang,
                                                                                 scale=label))
                   for kind in ("caterpillar", "funnel", "trend") if f"{kind}_{scale}" in ctx.charts]
    return blocks


def _provinces(ctx: _Context) -> list[Block]:
    blocks = []
    for i, province in enumerate(sorted(ctx.result.trainings["province"].unique())):
        blocks += [*([Block("pagebreak")] if i else []), *_province(ctx.result, province, ctx.scales, ctx.charts,
                                                                     ctx.lang)]
    return blocks


# -- BAB IV, Lampiran -----------------------------------------------------------------------------
def _conclusion(ctx: _Context) -> list[Block]:
    result, lang = ctx.result, ctx.lang
    items = []
    for scale in ctx.scales:
        md = _meta_row(result, "national", "MD", scale)
        word = "up" if md["ci_low"] > 0 else "down" if md["ci_high"] < 0 else "unclear"
        items.append(tr(_T["conclude"][word], lang, scale=_label(result, scale, lang),
                        i2=fmt.percent(md["i2"] / 100, lang=lang)))
    return [Block("bullets", items=items), Block("para", tr(_T["review"], lang))]


def _recommendations(ctx: _Context) -> list[Block]:
    return [Block("para", tr(_T["recommend"], ctx.lang))]


def _trainings(ctx: _Context) -> list[Block]:
    return [Block("table", table=_training_list(ctx.result, ctx.lang), text=tr(_T["trainings_caption"], ctx.lang),
                  key="trainings")]


def _excluded(ctx: _Context) -> list[Block]:
    return [Block("bullets", items=[tr(_T["excluded_row"], ctx.lang, training=r.training, province=r.province,
                                       scale=_label(ctx.result, r.scale, ctx.lang), reason=r.reason)
                                    for r in ctx.result.excluded.itertuples()])]


def _workbook(ctx: _Context) -> list[Block]:
    return [Block("para", tr(_T["workbook_text"], ctx.lang, groups=fmt.integer(len(
        ctx.result.groups.drop_duplicates(["training", "group"])), lang=ctx.lang)))]


def _tests(result: RollUp, scales: list[str], lang: str) -> list[Block]:
    sub = result.subgroups[result.subgroups["measure"] == "MD"].set_index(["moderator", "scale"])
    trend = result.trend[(result.trend["measure"] == "MD") & (result.trend["term"] == "year")].set_index("scale")
    rows = []
    for scale in scales:
        _, digits = scale_unit(result, scale, lang)
        cells = [_label(result, scale, lang)]
        for moderator in ("province", "year"):
            p = sub["qm_p"].get((moderator, scale), np.nan)
            cells.append(fmt.p_value(p, lang=lang))
        t = trend.loc[scale] if scale in trend.index else None
        cells.append(fmt.MISSING if t is None else
                     f"{fmt.number(t['estimate'], digits, lang=lang, sign=True)} "
                     f"({fmt.interval(t['ci_low'], t['ci_high'], digits, lang=lang)})")
        rows.append(cells)
    return [Block("table", table=pd.DataFrame(rows, columns=_T["cols_tests"][lang]), text=tr(_T["tests"], lang),
                  key="tests")]


def _province(result: RollUp, province: str, scales: list[str], charts: dict, lang: str) -> list[Block]:
    gains = result.province_gains[result.province_gains["province"] == province].set_index("scale")
    trainings = result.trainings[result.trainings["province"] == province]
    rows = []
    for scale in scales:
        if scale not in gains.index:
            continue
        _, digits = scale_unit(result, scale, lang)
        g = gains.loc[scale]
        m = _meta_row(result, "province", "MD", scale, province=province)
        k = int((result.training_gains["province"].eq(province) & result.training_gains["scale"].eq(scale)).sum())
        pooled = (fmt.MISSING if m is None or not np.isfinite(m["estimate"]) else
                  fmt.number(m["estimate"], digits, lang=lang, sign=True))
        rows.append([_label(result, scale, lang), str(k), fmt.integer(g["n"], lang=lang),
                     fmt.number(g["mean_diff"], digits, lang=lang, sign=True),
                     fmt.interval(g["ci_low"], g["ci_high"], digits, lang=lang),
                     fmt.number(g["d_z"], 2, lang=lang), pooled])
    n = result.training_gains[result.training_gains["province"] == province].groupby("training")["n"].max().sum()
    blocks = [Block("heading", tr(_T["province"], lang, province=province), level=3),
              Block("para", tr(_T["province_text"], lang, trainings=len(trainings), n=fmt.integer(n, lang=lang))),
              Block("table", table=pd.DataFrame(rows, columns=_T["cols_province"][lang]),
                    text=tr(_T["province_caption"], lang, province=province))]
    if f"forest_{province}" in charts:
        blocks.append(Block("image", image=charts[f"forest_{province}"],
                            text=tr(_T["fig_forest"], lang, province=province, scale=_label(result, scales[0], lang))))
    return blocks


def _training_list(result: RollUp, lang: str) -> pd.DataFrame:
    t = result.trainings
    n = result.training_gains.groupby("training")["n"].max()
    return pd.DataFrame({c: v for c, v in zip(_T["cols_trainings"][lang], (
        t["training"], t["province"],
        [fmt.date_range(date.fromisoformat(a), date.fromisoformat(b), lang=lang) for a, b in zip(t["start"], t["end"])],
        t["n_groups"].astype(str),
        [fmt.integer(n.get(x, 0), lang=lang) for x in t["training"]],
        [tr(_T["source"][s], lang) for s in t["source"]]))})
