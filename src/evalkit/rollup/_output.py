"""Writing the roll-up folder: tables (CSV and one workbook), charts and the ``nasional`` report.

The folder follows the report folder's rules (:mod:`evalkit._outputs`): new, empty, or one
evalkit wrote before (its marker file lists what evalkit wrote). Only those files are
replaced; a file someone else put there is never deleted or overwritten.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path

import pandas as pd

from .._i18n import get_language, tr
from ..io import write_table
from ..privacy import MIN_GROUP_SIZE, find_suppressed, suppress
from ..report import write_workbook
from ._analysis import RollUp
from ._document import _label, build, scale_unit
from ._parallel import fork_map

_M = {
    "sheets": {"code": "EK-RU-025", "id": {"README": "Lembar ini: isi setiap lembar",
                      "trainings": "Katalog: satu baris per pelatihan (provinsi, kantor, tanggal, sumber, sidik)",
                      "scales": "Skala yang digabungkan, sidiknya dan jumlah pelatihan (k)",
                      "excluded": "Pelatihan yang tidak digabungkan pada suatu skala, dan alasannya",
                      "national": "Gabungan nasional per skala (dari jumlah per kelompok; sama dengan data mentah)",
                      "provinces": "Gabungan per provinsi × skala",
                      "training_gains": "Kenaikan per pelatihan × skala",
                      "groups": "Kenaikan per kelompok × pelatihan × skala (kelompok kecil disembunyikan)",
                      "effects": "Efek per pelatihan (MD, d_z) dan variansnya untuk meta-analisis",
                      "meta": "Meta-analisis efek acak: nasional, per provinsi, per tahun (tau², I², interval prediksi)",
                      "subgroups": "Uji perbedaan antarprovinsi dan antartahun (QM)",
                      "trend": "Tren menurut tahun (meta-regresi; intercept pada tahun pertama)",
                      "ledger": "Buku catatan baris per pelatihan dan gelombang",
                      "warnings": "Peringatan dari pelatihan dan dari meta-analisis"},
               "en": {"README": "This sheet: what each sheet holds",
                      "trainings": "The catalogue: one row per training (province, office, dates, source, fingerprint)",
                      "scales": "Scales pooled, their fingerprints and number of trainings (k)",
                      "excluded": "Trainings left out of a scale, and why",
                      "national": "National pooled gains per scale (from per-group sums; equal to the raw data)",
                      "provinces": "Pooled gains per province × scale",
                      "training_gains": "Gains per training × scale",
                      "groups": "Gains per group × training × scale (small groups hidden)",
                      "effects": "Effect per training (MD, d_z) and its variance for the meta-analysis",
                      "meta": "Random-effects meta-analysis: national, per province, per year (tau², I², "
                              "prediction interval)",
                      "subgroups": "Tests of differences between provinces and between years (QM)",
                      "trend": "Trend over years (meta-regression; intercept at the first year)",
                      "ledger": "Row ledger per training and wave",
                      "warnings": "Warnings from the trainings and from the meta-analysis"}},
}
#: Table name → CSV file (Indonesian names, as the single-training report's files).
_CSV = {"trainings": "pelatihan.csv", "scales": "skala.csv", "excluded": "dikeluarkan.csv",
        "national": "nasional.csv", "provinces": "provinsi.csv", "training_gains": "per_pelatihan.csv",
        "groups": "per_kelompok.csv", "meta": "meta_analisis.csv", "subgroups": "uji_subgrup.csv",
        "trend": "tren.csv", "warnings": "peringatan.csv"}


def write_rollup(result: RollUp, out: str | Path, *, min_group_size: int = MIN_GROUP_SIZE, lang: str | None = None,
                 documents: bool = True, inputs: Iterable[str | Path] = ()) -> Path:
    """Write the roll-up folder and return its path.

    ``inputs`` (e.g. the catalogue file) are never inside the folder written.

    Holds ``rollup.xlsx`` (every table, per-group ones included), a CSV per table,
    ``charts/`` (per scale: caterpillar, funnel, trend; of the first scale: the small
    multiples by province and a forest per province) and, with ``documents``,
    ``nasional.docx``. Groups with fewer than ``min_group_size`` participants are hidden (:func:`evalkit.privacy.find_suppressed`,
    per training and scale).

    Examples
    --------
    >>> import evalkit
    >>> from evalkit.rollup import example_catalogue, write_rollup
    >>> r = evalkit.rollup(example_catalogue("contoh", trainings=3, groups=2))
    >>> folder = write_rollup(r, "nasional", documents=False)
    >>> (folder / "rollup.xlsx").exists()
    True
    """
    from .._outputs import replace_folder

    lang = lang or get_language()
    # The same rules as the report folder: a new, empty or evalkit-marked folder, never one holding inputs.
    return replace_folder(out, partial(_write_contents, result, k=min_group_size, lang=lang, documents=documents),
                          inputs=inputs, base="nasional")


def tables(result: RollUp, *, k: int) -> dict[str, pd.DataFrame]:
    """The tables that leave, by sheet name; groups below ``k`` participants suppressed."""
    groups = result.groups
    hidden = find_suppressed(groups, k=k, by=("training", "scale"))
    keep = ["training", "province", "office", "year", "scale", "level", "group", "n"]
    return {"trainings": result.trainings, "scales": result.scales, "excluded": result.excluded,
            "national": result.national_gains, "provinces": result.province_gains,
            "training_gains": result.training_gains, "groups": suppress(groups, hidden, keep=keep),
            "effects": result.effects, "meta": result.meta, "subgroups": result.subgroups, "trend": result.trend,
            "ledger": result.ledger, "warnings": result.warnings}


def _write_contents(result: RollUp, folder: Path, *, k: int, lang: str, documents: bool) -> None:
    (folder / "charts").mkdir()
    jobs = {"tables": partial(_write_tables, tables(result, k=k), folder, lang), **_chart_jobs(
        result, folder / "charts", k=k, lang=lang)}
    # The tables and workbook are one more job: a worker writes them while the others draw.
    done = dict(zip(jobs, fork_map(_call, list(jobs.values()))))
    del done["tables"]
    if documents:
        from ..report import write_docx

        write_docx(build(result, done, lang=lang, k=k), folder / "nasional.docx", lang=lang)


def _call(job):
    return job()


def _write_tables(sheets: dict[str, pd.DataFrame], folder: Path, lang: str) -> None:
    for name, file in _CSV.items():
        write_table(sheets[name], folder / file, for_excel=True)
    notes = _M["sheets"][lang]
    readme = pd.DataFrame({"sheet": ["README", *sheets], "content": [notes["README"], *(notes[n] for n in sheets)]})
    write_workbook(sheets, folder / "rollup.xlsx", readme=readme)


def _chart_jobs(result: RollUp, folder: Path, *, k: int, lang: str) -> dict:
    """Chart key → a job drawing it and returning its PNG path. Forests are files
    ``forest_001.png``... in province order (a province's name need not be a valid file name)."""
    from .. import charts

    scales = [s for s in result.scales["scale"] if s in set(result.national_gains["scale"])]
    jobs = {}
    for scale in scales:
        unit, _ = scale_unit(result, scale, lang)
        named = {"scale": scale, "label": _label(result, scale, lang), "unit": unit, "lang": lang}
        jobs[f"caterpillar_{scale}"] = partial(charts.caterpillar, result.groups, min_group_size=k, **named)
        jobs[f"funnel_{scale}"] = partial(charts.funnel, result.training_gains, result.meta, **named)
        if scale == scales[0]:  # 34 panels: the costliest chart, and not in the report; one scale shows the spread
            jobs[f"provinces_{scale}"] = partial(charts.province_multiples, result.training_gains, result.meta,
                                                 **named)
        jobs[f"trend_{scale}"] = partial(charts.year_trend, result.training_gains, result.meta, result.trend,
                                         **named)
    names = {key: key for key in jobs}
    if scales:  # one forest per province, of the first scale: a page each in the report
        unit, _ = scale_unit(result, scales[0], lang)
        for i, province in enumerate(sorted(result.trainings["province"].unique()), start=1):
            names[f"forest_{province}"] = f"forest_{i:03d}"
            jobs[f"forest_{province}"] = partial(
                charts.training_forest, result.training_gains, result.meta, scale=scales[0], province=province,
                label=_label(result, scales[0], lang), unit=unit, lang=lang)
    return {key: partial(_render, folder / names[key], draw) for key, draw in jobs.items()}


def _render(path: Path, draw) -> Path:
    """Draw one chart and save it as ``path`` + ``.png``."""
    from .. import charts

    return charts.save(draw(), path)[0]
