"""The demo report as a reader sees it: LibreOffice renders the DOCX to PDF, poppler reads it back.

Slow (LibreOffice takes 20–60 s); skipped when soffice or poppler is missing.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pages(demo_pdf) -> list[str]:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(["pdftotext", str(demo_pdf), "-"], check=True, capture_output=True, text=True).stdout
    return text.split("\f")[:-1]


def _page(pages, pattern: str, start: int = 0) -> int:
    return next(i for i, page in enumerate(pages) if i >= start and re.search(pattern, page, re.M))


def test_page_count(demo_pdf, pages):
    info = subprocess.run(["pdfinfo", str(demo_pdf)], check=True, capture_output=True, text=True).stdout
    n = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert n == len(pages) and 25 <= n <= 45  # 47 pages before issue #15, most of them per-group tables


def test_every_part_of_the_government_structure_is_printed(pages):
    cover = pages[0]
    assert "LAPORAN EVALUASI PELATIHAN" in cover and "1–3 Desember 2026" in cover
    toc = _page(pages, r"^Daftar Isi")
    assert toc == 1 and "BAB III Hasil" in pages[toc]
    chapters = ["Ringkasan Eksekutif", "BAB I Pendahuluan", "BAB II Metode", "BAB III Hasil",
                "BAB IV Kesimpulan dan Rekomendasi", "Lampiran"]
    found = [_page(pages, rf"^{name}$", start=toc + 1) for name in chapters]
    assert found == sorted(found)  # in order, each after the contents
    signature = _page(pages, r"^Disusun oleh,", start=toc + 1)
    assert found[4] <= signature < found[5] and "Disetujui oleh," in pages[signature]


def test_executive_summary_fits_one_page(pages):
    summary = _page(pages, r"^Ringkasan Eksekutif$", start=2)
    assert "Tabel 1. Ketercapaian kriteria" in pages[summary] and "Gambar 1." in pages[summary]
    assert "Kriteria tercapai:" in pages[summary]
    assert pages[summary + 1].lstrip().startswith("BAB I Pendahuluan")  # nothing spilled over


def test_no_word_of_a_group_name_or_header_is_split_across_lines(pages, q):
    text = "\f".join(pages)
    words = {w for g in q.groups for lang in ("id", "en") for w in re.findall(r"[A-Za-z]{5,}", q.group_label(g.code, lang))}
    words |= {"Sebelum", "Sesudah", "Kenaikan", "McNemar", "Penilaian", "Kelompok", "bermakna"}
    split = [w for w in sorted(words) for i in range(2, len(w) - 1)
             if re.search(rf"{w[:i]}-?\n{w[i:]}", text)]
    assert not split
    for g in q.groups:  # every name is printed whole somewhere (it may wrap between words)
        assert re.search(r"\s+".join(map(re.escape, q.group_label(g.code, "id").split())), text)
