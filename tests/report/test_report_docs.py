"""The report draft: DOCX, HTML and XLSX written by `evalkit demo`, suppression in every output."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import zipfile

import pandas as pd
import pytest

import evalkit


def _docx_text(path) -> str:
    from docx import Document

    doc = Document(str(path))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _chart_count(folder) -> int:
    return sum(1 for d in ("charts", "charts_extra") for p in (folder / d).glob("*.png"))


def test_demo_writes_documents_and_every_chart_is_in_them(demo_folder):
    assert {"laporan.docx", "laporan.html", "gains.xlsx", "charts_extra"} <= {p.name for p in demo_folder.iterdir()}
    n_charts = _chart_count(demo_folder)
    assert n_charts >= 20
    with zipfile.ZipFile(demo_folder / "laporan.docx") as z:
        assert len([n for n in z.namelist() if n.startswith("word/media/")]) == n_charts
    html = (demo_folder / "laporan.html").read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") == n_charts and "<html lang=\"id\">" in html


def test_documents_are_small_enough_to_email(demo_folder):
    # Issue #15: 6.4 MB DOCX and 10 MB HTML before; palette PNGs at their printed size now.
    assert (demo_folder / "laporan.docx").stat().st_size < 3 * 2**20
    assert (demo_folder / "laporan.html").stat().st_size < 3 * 2**20


def test_summary_says_who_gained_most_in_indonesian(demo_folder, q):
    text = _docx_text(demo_folder / "laporan.docx")
    assert "Ringkasan temuan" in text and "Kenaikan terbesar pada" in text
    assert "IK 95%" in text and "p < 0,001" in text and "lebih besar daripada yang dapat dijelaskan" in text
    for heading in ("Metode", "Tingkat 1 — Reaksi", "Tingkat 2 — Pembelajaran", "Tingkat 3 — Perilaku",
                    "Hasil per kelompok", "Kualitas data dan alur peserta", "Lampiran"):
        assert heading in text
    assert all(q.group_label(g.code, "id") in text for g in q.groups)
    assert "0,45" not in text.replace("0,45", "") and " 0.4" not in text  # decimal commas only


def test_workbook_has_readme_and_formatted_sheets(demo_folder):
    from openpyxl import load_workbook

    book = load_workbook(demo_folder / "gains.xlsx")
    assert book.sheetnames[0] == "README"
    assert {"gains", "item_correct", "reliability", "item_analysis", "change_summary"} <= set(book.sheetnames)
    described = {row[0].value for row in book["README"].iter_rows(min_row=2) if row[1].value}
    assert set(book.sheetnames) - {"README"} <= described
    sheet = book["gains"]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    head = {c.value: c.column_letter for c in sheet[1]}
    # Indonesian headers, the group name beside its code, one format per column (issue #18)
    assert list(head)[:4] == ["skala", "tingkat", "kode_kelompok", "nama_kelompok"]
    q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    assert sheet[head["nama_kelompok"] + "2"].value == q.group_label(sheet[head["kode_kelompok"] + "2"].value, "id")
    assert sheet[head["rata_sebelum"] + "2"].number_format == "0.000"
    assert sheet[head["n"] + "2"].number_format == "#,##0"  # a count: no decimals
    assert sheet[head["p_holm"] + "2"].number_format == '[<0.001]"< 0,001";0.000'
    assert sheet.column_dimensions[head["nama_kelompok"]].width >= len(sheet[head["nama_kelompok"] + "2"].value)
    dictionary = pd.read_excel(demo_folder / "gains.xlsx", sheet_name="kamus_kolom")
    for name in set(book.sheetnames) - {"README", "kamus_kolom"}:
        listed = dictionary.loc[dictionary["lembar"] == name, "kolom"].tolist()
        assert listed == [c.value for c in book[name][1]], name  # every column explained
    assert (dictionary.groupby("kolom")["arti"].nunique() == 1).all()  # one meaning per column name


def test_no_personal_data_in_documents(demo_folder):
    pre = pd.read_csv(evalkit.bundled_sample("pre"), dtype=str, keep_default_na=False)
    secrets = set(pre["nama"]) | set(pre["no_hp"]) | set(pre["kode_peserta"])
    texts = {"laporan.docx": _docx_text(demo_folder / "laporan.docx"),
             # chart images are base64 (random letters that can spell a 5-character code): scan the text only
             "laporan.html": re.sub(r"data:image/png;base64,[^\"]+", "",
                                    (demo_folder / "laporan.html").read_text(encoding="utf-8"))}
    for name, text in texts.items():
        found = [s for s in secrets if s and s in text]
        assert not found, (name, found[:3])


def _documents(analysis, folder, *, lang="id", k=5):
    """Tables and both documents without drawing charts (fast); returns (tables, docx text, html)."""
    from evalkit.report._document import build
    from evalkit.report._render import write_docx, write_html
    from evalkit.report import report_tables

    tables = report_tables(analysis, k=k)
    blocks = build(analysis, tables, {}, k=k, lang=lang)
    write_docx(blocks, folder / "r.docx", lang=lang)
    write_html(blocks, folder / "r.html", lang=lang)
    return tables, _docx_text(folder / "r.docx"), (folder / "r.html").read_text(encoding="utf-8")


def test_small_group_suppressed_everywhere(sample_analysis, tmp_path):
    gains = sample_analysis.gains.copy()
    gains.loc[gains["group"] == "G03", "n"] = 3
    small = dataclasses.replace(sample_analysis, gains=gains)
    tables, text, html = _documents(small, tmp_path)
    table = tables["gains"]
    g03 = table[table["group"] == "G03"]
    assert g03["suppressed"].all() and g03["mean_diff"].isna().all() and g03["p"].isna().all()
    per_scale = table[table["group"] != "ALL"].groupby("scale")["suppressed"].sum()
    assert (per_scale >= 2).all()  # complementary rule
    assert table.loc[table["group"] == "ALL", "mean_diff"].notna().all()
    assert "Perlindungan kelompok kecil" in text and "disembunyikan" in text
    assert "Perlindungan kelompok kecil" in html
    assert sample_analysis.gains["mean_diff"].notna().all()  # the analysis is untouched
    from evalkit.report import write_workbook

    write_workbook({"gains": table}, tmp_path / "t.xlsx")
    sheet = pd.read_excel(tmp_path / "t.xlsx", sheet_name="gains")
    assert sheet.loc[sheet["group"] == "G03", "mean_diff"].isna().all()


def test_english_documents(sample_analysis, tmp_path):
    _, text, html = _documents(sample_analysis, tmp_path, lang="en")
    assert "Summary of findings" in text and "95% CI" in text and "p < 0.001" in text
    assert "<html lang=\"en\">" in html


@pytest.mark.slow
def test_docx_converts_to_pdf_with_every_chart(demo_folder, demo_pdf):
    pdf = demo_pdf  # rendered once for the session by LibreOffice (conftest.py)
    assert pdf.exists() and pdf.stat().st_size > 100_000
    if shutil.which("pdfimages") is None:
        pytest.skip("pdfimages (poppler-utils) is not installed; the PDF was made but its images not counted")
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], check=True, capture_output=True, text=True).stdout
    images = [line for line in listing.splitlines()[2:] if line.split()[2] == "image"]
    assert len(images) == _chart_count(demo_folder)
