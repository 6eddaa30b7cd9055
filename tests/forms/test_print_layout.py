"""The printed test prints: Likert statements take the width, the header row repeats, rows do not split."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn

import evalkit
from evalkit.forms import BOX, printable_test

#: One long Likert scale: its table runs over several pages, and its statements wrap over lines.
LONG_LIKERT = """\
id: panjang
version: "1"
title: {id: Tes sikap panjang, en: Long attitude test}
languages: [id, en]
participant: {id_column: kode, group_column: kelompok}
likert_labels:
  setuju: {id: [Sangat tidak setuju, Tidak setuju, Ragu-ragu, Setuju, Sangat setuju],
           en: [Strongly disagree, Disagree, Unsure, Agree, Strongly agree]}
scales:
  - id: sikap
    label: {id: Sikap, en: Attitude}
    level: learning
    scoring: mean
    defaults: {type: likert, points: 5, labels: setuju}
items:
""" + "".join(
    f"  - {{id: s{n:02d}, scale: sikap, text: {{id: 'Pernyataan nomor {n} tentang hak asasi manusia yang cukup "
    f"panjang sehingga harus dibungkus menjadi beberapa baris di dalam kolomnya sendiri akhir{n}', en: 'S{n}'}}}}\n"
    for n in range(1, 41))


@pytest.fixture
def long_test(tmp_path):
    path = tmp_path / "panjang.yaml"
    path.write_text(LONG_LIKERT, encoding="utf-8")
    return printable_test(evalkit.load_questionnaire(path), tmp_path / "panjang.docx")


def test_likert_table_properties(long_test):
    (table,) = Document(long_test).tables
    grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert len(grid) == 6 and len(set(grid[1:])) == 1
    assert grid[0] >= 5 * grid[1]  # the statement column wide, the tick boxes narrow
    assert abs(sum(grid) - 17 / 2.54 * 1440) < 10  # the text width of A4 with 2 cm margins, in twips
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    rows = [row._tr.trPr for row in table.rows]
    assert rows[0].find(qn("w:tblHeader")) is not None
    assert all(r.find(qn("w:tblHeader")) is None for r in rows[1:])
    assert all(r.find(qn("w:cantSplit")) is not None for r in rows)


def _pdf_pages(docx, folder) -> list[list[str]]:
    """The lines of each page of the PDF LibreOffice makes of the document, laid out as on paper."""
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(docx)],
                   check=True, capture_output=True, timeout=300, env={"HOME": str(folder), "PATH": "/usr/bin:/bin"})
    text = subprocess.run(["pdftotext", "-layout", str(folder / docx.with_suffix(".pdf").name), "-"], check=True,
                          capture_output=True, text=True).stdout
    return [page.splitlines() for page in text.split("\f") if page.strip()]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice and poppler-utils are not installed (apt-get install libreoffice-writer "
                           "poppler-utils); the DOCX → PDF check needs them")
def test_rendered_pages(long_test, tmp_path):
    pages = _pdf_pages(long_test, tmp_path)
    starts: dict[int, tuple[int, int]] = {}  # statement number -> (page, line of its first line)
    ends: dict[int, list[tuple[int, int]]] = {}
    for p, lines in enumerate(pages):
        for i, line in enumerate(lines):
            if m := re.match(r"(\d+)\. Pernyataan nomor \1 ", line):
                starts[int(m.group(1))] = (p, i)
                assert line.count(BOX) == 5, line  # the tick boxes beside the statement's first line
            for n in re.findall(r"akhir(\d+)\b", line):
                ends.setdefault(int(n), []).append((p, i))
    assert sorted(starts) == list(range(1, 41))
    with_rows = sorted({p for p, _ in starts.values()})
    assert len(with_rows) >= 3  # the table runs over several pages
    for p in with_rows:  # the header row opens the table on every page
        header = next(i for i, line in enumerate(pages[p]) if re.fullmatch(r"\s*Pernyataan(\s+[1-5]){5}\s*", line))
        assert header < min(i for q, i in starts.values() if q == p)
        assert pages[p][header + 1].split() == ["Sangat", "Tidak", "Ragu-", "Setuju", "Sangat"]
    for n, (p, i) in starts.items():
        (end,) = ends[n]  # each statement whole on one page: no row split
        assert end[0] == p, n
        # The statement column is wide: 4 lines (equal columns of 2.8 cm took 12).
        assert end[1] - i <= 3, n
