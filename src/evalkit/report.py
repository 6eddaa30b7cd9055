"""Writing the report folder: tables (CSV and XLSX), the ledger, the data-quality log and charts.

The folder is written into a temporary sibling and renamed when complete, so an
interrupted run never leaves a half-written report that looks finished.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pandas as pd

from ._errors import EvalkitError
from ._i18n import get_language, tr
from .analysis import Analysis

_M = {
    "not_reconciled": {
        "id": "Buku catatan baris tidak seimbang (gelombang {waves}): jumlah baris per status tidak sama dengan "
              "baris yang dibaca. Laporan tidak ditulis.",
        "en": "The row ledger does not reconcile (wave {waves}): rows per state do not add up to the rows read. "
              "No report was written."},
    "readme": {
        "id": "Laporan evalkit: {title}\n\n"
              "gains.csv / gains.xlsx  kenaikan skor per kelompok dan skala (n, rata-rata, IK 95%, uji t, Wilcoxon, d_z, g_av, gain Hake)\n"
              "post_only.csv           skala yang hanya ditanyakan sesudah pelatihan (mis. kepuasan)\n"
              "ledger.csv              status setiap baris masukan (dipakai, ganda, tanpa pasangan, tidak sah, kosong)\n"
              "ledger_summary.csv      jumlah baris per status; harus sama dengan baris yang dibaca\n"
              "data_quality.csv        sel yang tidak sah dan dicatat sebagai kosong (mode --lenient)\n"
              "charts/                 grafik PNG 300 dpi, ukuran A4\n\n"
              "Kelompok dengan kurang dari {k} peserta berpasangan tidak ditampilkan tersendiri di grafik.\n"
              "Nama, nomor telepon dan kode peserta tidak pernah ditulis ke folder ini.\n",
        "en": "evalkit report: {title}\n\n"
              "gains.csv / gains.xlsx  score gains per group and scale (n, means, 95% CI, t-test, Wilcoxon, d_z, g_av, Hake gain)\n"
              "post_only.csv           scales asked only after the training (e.g. satisfaction)\n"
              "ledger.csv              state of every input row (used, duplicate, unmatched, invalid, empty)\n"
              "ledger_summary.csv      rows per state; must equal the rows read\n"
              "data_quality.csv        invalid cells recorded as missing (--lenient mode)\n"
              "charts/                 PNG charts, 300 dpi, A4-sized\n\n"
              "Groups with fewer than {k} matched participants are not shown separately in the charts.\n"
              "Names, phone numbers and participant codes are never written to this folder.\n"},
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with ``'`` (CSV/formula injection)."""
    def fix(col: pd.Series) -> pd.Series:
        if col.dtype.kind in "biufcM":
            return col
        return col.map(lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v)
    return frame.apply(fix)


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """Write a table as UTF-8 CSV with a BOM (so Excel shows Indonesian text correctly)."""
    escape_formulas(frame).to_csv(path, index=False, encoding="utf-8-sig")


def write_workbook(sheets: dict[str, pd.DataFrame], path: Path) -> None:
    """One sheet per table: bold header, frozen top row, readable widths, 3-decimal numbers."""
    from openpyxl.styles import Font

    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            escape_formulas(frame).to_excel(writer, sheet_name=name[:31], index=False)
            sheet = writer.sheets[name[:31]]
            sheet.freeze_panes = "A2"
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            for j, column in enumerate(frame.columns, start=1):
                letter = sheet.cell(row=1, column=j).column_letter
                sheet.column_dimensions[letter].width = max(10, min(40, len(str(column)) + 4))
                if frame[column].dtype.kind == "f":
                    for (cell,) in sheet.iter_rows(min_row=2, min_col=j, max_col=j):
                        cell.number_format = "0.000"


def write_report(analysis: Analysis, out: str | Path, *, min_group_size: int = 5,
                 lang: str | None = None) -> Path:
    """Write the report folder for an analysis and return its path.

    Refuses (with :class:`EvalkitError`) when the ledger does not reconcile.

    Examples
    --------
    >>> import evalkit, tempfile
    >>> from evalkit.report import write_report
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> a = evalkit.analyze(q, evalkit.bundled_sample("pre"), evalkit.bundled_sample("post"))
    >>> folder = write_report(a, tempfile.mkdtemp() + "/laporan")
    >>> (folder / "gains.csv").exists()
    True
    """
    lang = lang or get_language()
    summary = analysis.ledger_summary
    if not summary["reconciles"].all():
        waves = ", ".join(summary.loc[~summary["reconciles"], "wave"])
        raise EvalkitError(tr(_M["not_reconciled"], lang, waves=waves))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        _write_contents(analysis, work, min_group_size=min_group_size, lang=lang)
        if out.exists():
            shutil.rmtree(out)
        work.rename(out)
    finally:
        if work.exists():
            shutil.rmtree(work)
    return out


def _write_contents(analysis: Analysis, folder: Path, *, min_group_size: int, lang: str) -> None:
    import matplotlib.pyplot as plt

    from . import charts

    q = analysis.questionnaire
    tables = {
        "gains": analysis.gains,
        "post_only": analysis.post_only,
        "ledger_summary": analysis.ledger_summary,
        "ledger": analysis.ledger,
        "data_quality": analysis.problems,
    }
    for name, frame in tables.items():
        write_table(frame, folder / f"{name}.csv")
    write_workbook(tables, folder / "gains.xlsx")
    (folder / "README.txt").write_text(
        tr(_M["readme"], lang, title=q.title[lang], k=min_group_size), encoding="utf-8")
    chart_dir = folder / "charts"
    chart_dir.mkdir()
    with plt.rc_context(charts.style()):
        for scale in analysis.gains["scale"].unique():
            for kind, draw in (("prepost", charts.prepost), ("gain", charts.gain_forest)):
                ax = draw(analysis.gains, q, scale=scale, min_group_size=min_group_size, lang=lang)
                charts.save(ax, chart_dir / f"{kind}_{scale}")
