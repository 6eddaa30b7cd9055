"""Regenerate the README charts from the bundled sample: python docs/img/make_images.py"""

from __future__ import annotations

import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import evalkit  # noqa: E402
from evalkit import charts, report_data  # noqa: E402
from evalkit.report_suppress import report_tables  # noqa: E402

HERE = Path(__file__).resolve().parent

q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    a = evalkit.analyze(q, evalkit.bundled_sample("pre"), evalkit.bundled_sample("post"))
tables = report_tables(a)
figures = {
    "ringkasan_kenaikan.png": charts.small_multiples(tables["gains"], q),
    "pengetahuan_prepost.png": charts.prepost(tables["gains"], q, scale="pengetahuan").figure,
    "butir_pengetahuan.png": charts.item_heatmap(tables["item_correct"], q, scale="pengetahuan").figure,
}
for name, fig in figures.items():
    fig.savefig(HERE / name, dpi=130)  # README copies: smaller than the 300 dpi report charts
