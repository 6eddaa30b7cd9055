"""The ``nasional`` report as blocks: the national summary, one page per province, the table
of trainings. Per-group tables go to the workbook only, so the document stays small."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import _numbers as fmt
from .._i18n import tr
from ..report import Block
from ._analysis import RollUp

_T = {
    "title": {"id": "Laporan Roll-up Nasional: {title}", "en": "National Roll-up Report: {title}"},
    "draft": {"id": "Draf yang dihasilkan otomatis oleh evalkit dari katalog pelatihan. Tabel per kelompok ada di "
                    "rollup.xlsx. Periksa, sesuaikan, lalu tandatangani.",
              "en": "Draft generated automatically by evalkit from the catalogue of trainings. The per-group tables "
                    "are in rollup.xlsx. Review, adjust, then sign."},
    "summary": {"id": "Ringkasan nasional", "en": "National summary"},
    "overview": {"id": "{trainings} pelatihan di {provinces} provinsi ({years}); {n} peserta berpasangan "
                       "dalam {groups} kelompok.",
                 "en": "{trainings} trainings in {provinces} provinces ({years}); {n} matched participants in "
                       "{groups} groups."},
    "scale": {"id": "{scale}: kenaikan gabungan {gain} {unit} (IK 95% {ci}; {k} pelatihan), d_z {dz} (IK 95% {dzci}). "
                    "Heterogenitas I² = {i2}; pada pelatihan baru, kenaikan yang diharapkan antara {pi}.",
              "en": "{scale}: pooled gain {gain} {unit} (95% CI {ci}; {k} trainings), d_z {dz} (95% CI {dzci}). "
                    "Heterogeneity I² = {i2}; in a new training, the expected gain lies between {pi}."},
    "tests": {"id": "Perbedaan antarprovinsi, antartahun dan tren (model efek acak, REML, Knapp–Hartung)",
              "en": "Differences between provinces, between years, and the trend (random effects, REML, "
                    "Knapp–Hartung)"},
    "excluded": {"id": "Pelatihan yang tidak digabungkan pada suatu skala", "en": "Trainings left out of a scale"},
    "excluded_row": {"id": "{training} ({province}), {scale}: {reason}.", "en": "{training} ({province}), {scale}: "
                                                                              "{reason}."},
    "province": {"id": "Provinsi {province}", "en": "Province: {province}"},
    "province_text": {"id": "{trainings} pelatihan, {n} peserta berpasangan.",
                      "en": "{trainings} trainings, {n} matched participants."},
    "trainings": {"id": "Daftar pelatihan", "en": "List of trainings"},
    "charts": {"id": "Grafik nasional: {scale}", "en": "National charts: {scale}"},
    "cols_national": {"id": ["Skala", "Pelatihan", "Peserta", "Kenaikan (IK 95%)", "d_z (IK 95%)", "I²",
                             "Interval prediksi"],
                      "en": ["Scale", "Trainings", "Participants", "Gain (95% CI)", "d_z (95% CI)", "I²",
                             "Prediction interval"]},
    "cols_tests": {"id": ["Skala", "Antarprovinsi", "Antartahun", "Tren per tahun (IK 95%)"],
                   "en": ["Scale", "Between provinces", "Between years", "Trend per year (95% CI)"]},
    "cols_province": {"id": ["Skala", "Pelatihan", "Peserta", "Kenaikan (IK 95%)", "d_z", "Gabungan efek acak "
                             "(IK 95%)"],
                      "en": ["Scale", "Trainings", "Participants", "Gain (95% CI)", "d_z", "Random-effects pooled "
                             "(95% CI)"]},
    "cols_trainings": {"id": ["Pelatihan", "Provinsi", "Kantor", "Tanggal", "Kelompok", "Peserta", "Sumber"],
                       "en": ["Training", "Province", "Office", "Dates", "Groups", "Participants", "Source"]},
    "source": {"answers": {"id": "berkas jawaban", "en": "answer files"},
               "package": {"id": "paket hasil", "en": "result package"}},
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


def build(result: RollUp, charts: dict[str, Path], *, lang: str) -> list[Block]:
    """The report's blocks; ``charts`` maps ``"<kind>_<scale>"`` / ``"forest_<province>"`` to PNGs."""
    scales = [s for s in result.scales["scale"] if s in set(result.national_gains["scale"])]
    years = sorted(result.trainings["year"].unique())
    first = result.groups.drop_duplicates(["training", "group"])
    blocks = [Block("heading", tr(_T["title"], lang, title=result.title), level=0),
              Block("para", tr(_T["draft"], lang)),
              Block("heading", tr(_T["summary"], lang)),
              Block("para", tr(_T["overview"], lang, trainings=len(result.trainings),
                               provinces=result.trainings["province"].nunique(),
                               years=f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0]),
                               n=fmt.integer(result.training_gains.groupby("training")["n"].max().sum(), lang=lang),
                               groups=fmt.integer(len(first), lang=lang)))]
    rows = []
    for scale in scales:
        unit, digits = scale_unit(result, scale, lang)
        md, dz = _meta_row(result, "national", "MD", scale), _meta_row(result, "national", "d_z", scale)
        pooled = result.national_gains.set_index("scale").loc[scale]
        blocks.append(Block("para", tr(
            _T["scale"], lang, scale=_label(result, scale, lang), unit=unit, k=int(md["k"]),
            gain=fmt.number(md["estimate"], digits, lang=lang, sign=True),
            ci=fmt.interval(md["ci_low"], md["ci_high"], digits, lang=lang),
            dz=fmt.number(dz["estimate"], 2, lang=lang), dzci=fmt.interval(dz["ci_low"], dz["ci_high"], 2, lang=lang),
            i2=fmt.percent(md["i2"] / 100, lang=lang), pi=fmt.interval(md["pi_low"], md["pi_high"], digits, lang=lang))))
        rows.append([_label(result, scale, lang), str(int(md["k"])), fmt.integer(pooled["n"], lang=lang),
                     f"{fmt.number(md['estimate'], digits, lang=lang, sign=True)} "
                     f"({fmt.interval(md['ci_low'], md['ci_high'], digits, lang=lang)})",
                     f"{fmt.number(dz['estimate'], 2, lang=lang)} "
                     f"({fmt.interval(dz['ci_low'], dz['ci_high'], 2, lang=lang)})",
                     fmt.percent(md["i2"] / 100, lang=lang),
                     fmt.interval(md["pi_low"], md["pi_high"], digits, lang=lang)])
    blocks.append(Block("table", table=pd.DataFrame(rows, columns=_T["cols_national"][lang])))
    blocks += _tests(result, scales, lang)
    if len(result.excluded):
        blocks += [Block("heading", tr(_T["excluded"], lang), level=2),
                   Block("bullets", items=[tr(_T["excluded_row"], lang, training=r.training, province=r.province,
                                              scale=_label(result, r.scale, lang), reason=r.reason)
                                           for r in result.excluded.itertuples()])]
    for scale in scales:
        blocks.append(Block("heading", tr(_T["charts"], lang, scale=_label(result, scale, lang)), level=2))
        blocks += [Block("image", image=charts[f"{kind}_{scale}"]) for kind in ("caterpillar", "funnel", "trend")
                   if f"{kind}_{scale}" in charts]
    for province in sorted(result.trainings["province"].unique()):
        blocks += [Block("pagebreak"), *_province(result, province, scales, charts, lang)]
    blocks += [Block("pagebreak"), Block("heading", tr(_T["trainings"], lang)),
               Block("table", table=_training_list(result, lang))]
    return blocks


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
    return [Block("heading", tr(_T["tests"], lang), level=2),
            Block("table", table=pd.DataFrame(rows, columns=_T["cols_tests"][lang]))]


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
                  f"{fmt.number(m['estimate'], digits, lang=lang, sign=True)} "
                  f"({fmt.interval(m['ci_low'], m['ci_high'], digits, lang=lang)})")
        rows.append([_label(result, scale, lang), str(k), fmt.integer(g["n"], lang=lang),
                     f"{fmt.number(g['mean_diff'], digits, lang=lang, sign=True)} "
                     f"({fmt.interval(g['ci_low'], g['ci_high'], digits, lang=lang)})",
                     fmt.number(g["d_z"], 2, lang=lang), pooled])
    n = result.training_gains[result.training_gains["province"] == province].groupby("training")["n"].max().sum()
    blocks = [Block("heading", tr(_T["province"], lang, province=province)),
              Block("para", tr(_T["province_text"], lang, trainings=len(trainings), n=fmt.integer(n, lang=lang))),
              Block("table", table=pd.DataFrame(rows, columns=_T["cols_province"][lang]))]
    if f"forest_{province}" in charts:
        blocks.append(Block("image", image=charts[f"forest_{province}"]))
    return blocks


def _training_list(result: RollUp, lang: str) -> pd.DataFrame:
    t = result.trainings
    n = result.training_gains.groupby("training")["n"].max()
    return pd.DataFrame({c: v for c, v in zip(_T["cols_trainings"][lang], (
        t["training"], t["province"], t["office"], t["start"] + " – " + t["end"], t["n_groups"].astype(str),
        [fmt.integer(n.get(x, 0), lang=lang) for x in t["training"]],
        [tr(_T["source"][s], lang) for s in t["source"]]))})
