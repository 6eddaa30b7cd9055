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

# The executive summary page as LibreOffice prints it (needs soffice and poppler's pdftoppm).
import shutil  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402

from evalkit.report import write_report  # noqa: E402

if shutil.which("soffice") and shutil.which("pdftoppm"):
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_report(a, Path(tmp) / "laporan", info=evalkit.bundled_report_info())
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", tmp, str(folder / "laporan.docx")],
                       check=True, capture_output=True)
        text = subprocess.run(["pdftotext", str(Path(tmp) / "laporan.pdf"), "-"], check=True, capture_output=True,
                              text=True).stdout.split("\f")
        page = next(i for i, p in enumerate(text) if i > 1 and p.lstrip().startswith("Ringkasan Eksekutif")) + 1
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(page), "-l", str(page), "-singlefile",
                        str(Path(tmp) / "laporan.pdf"), str(HERE / "laporan_ringkasan_eksekutif")], check=True)
