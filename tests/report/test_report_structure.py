"""The report as the ministry files it: metadata, the outline, the verdicts, recommendations
and tables laid out for print (issue #15)."""

from __future__ import annotations

import datetime
import re
import zipfile

import pandas as pd
import pytest

import evalkit
from evalkit import _numbers as fmt
from evalkit.report import ReportInfo, load_report_info, report_tables
from evalkit.report._document import OUTLINE, build
from evalkit.report._outline import Section, insert_section
from evalkit.report._render import column_widths, numeric_columns, write_docx, write_html
from evalkit.report._verdict import ACHIEVED_SHARE, criteria_table


def _docx(blocks, path):
    from docx import Document

    write_docx(blocks, path, lang="id")
    doc = Document(str(path))
    return doc, [p for p in doc.paragraphs]


@pytest.fixture(scope="module")
def tables(sample_analysis):
    return report_tables(sample_analysis, k=5)


@pytest.fixture(scope="module")
def info(q):
    return load_report_info(evalkit.bundled_report_info(), q)


# -- metadata ---------------------------------------------------------------------------------
def test_dates_in_indonesian_long_form():
    assert fmt.date_long(datetime.date(2026, 12, 4)) == "4 Desember 2026"
    assert fmt.date_long(datetime.date(2026, 12, 4), lang="en") == "4 December 2026"
    d = datetime.date
    assert fmt.date_range(d(2026, 11, 29), d(2026, 12, 2)) == "29 November – 2 Desember 2026"
    assert fmt.date_range(d(2026, 12, 31), d(2027, 1, 2)) == "31 Desember 2026 – 2 Januari 2027"
    assert fmt.date_range(d(2026, 12, 4), None) == "4 Desember 2026"


def test_bundled_report_info(info):
    assert info.field("training", "id") == "Pelatihan Penguatan Kapasitas HAM bagi Komunitas"
    assert info.dates("id") == "1–3 Desember 2026" and info.n_days("id") == "3"
    assert info.criteria == ("pengetahuan", "sikap", "mengenali", "mengadvokasi", "melindungi")
    assert info.approved_by.name is None  # left for the approving official: a placeholder in the signature


def test_report_info_errors_name_file_line_and_fix(tmp_path, q):
    bad = tmp_path / "laporan.yaml"
    bad.write_text("training: [1, 2]\norganizer: Kanwil\nstart_date: 2026-12-03\nend_date: 2026-12-01\n"
                   "days: 0\ncriteria: [pengetahuan, mengenal]\nprepared_by: {nama: Rina}\n", encoding="utf-8")
    with pytest.raises(evalkit.ReportInfoError, match=r"EK-RP-005.*\(6 ") as err:
        load_report_info(bad, q)
    problems = err.value.problems[1:]
    assert [p.split(":")[1] for p in problems] == ["1", "2", "4", "5", "6", "7"]
    assert problems[1].code == "EK-RP-008" and problems[1].startswith(f"{bad}:2: organizer: ")
    assert "'organiser'?" in problems[1]  # did you mean
    assert "criteria[2]: " in problems[4] and "'mengenal'" in problems[4] and "'mengenali'?" in problems[4]
    bad.write_text("start_date: 2026-13-01\n", encoding="utf-8")
    with pytest.raises(evalkit.ReportInfoError, match=rf"EK-RP-\d+\] {re.escape(str(bad))}:1: start_date: .*'2026-13-01'"):
        load_report_info(bad, q)


def test_missing_fields_print_as_placeholders(sample_analysis, tables, tmp_path):
    doc, paragraphs = _docx(build(sample_analysis, tables, {}, k=5, lang="id"), tmp_path / "r.docx")
    text = "\n".join(p.text for p in paragraphs) + "".join(c.text for t in doc.tables for r in t.rows
                                                            for c in r.cells)
    for what in ("nama pelatihan", "penyelenggara (Kanwil)", "tempat pelatihan", "tanggal pelatihan", "nama",
                 "jabatan", "NIP"):
        assert f"[isi: {what}]" in text


# -- the outline ------------------------------------------------------------------------------
def _headings(blocks, level=1):
    return [b.text for b in blocks if b.kind == "heading" and b.level == level]


def test_outline_in_government_order(sample_analysis, tables, info):
    blocks = build(sample_analysis, tables, {}, k=5, lang="id", info=info)
    assert [b.kind for b in blocks[:3]] == ["cover", "pagebreak", "toc"]
    assert _headings(blocks) == ["Ringkasan Eksekutif", "BAB I Pendahuluan", "BAB II Metode", "BAB III Hasil",
                                 "BAB IV Kesimpulan dan Rekomendasi", "Lampiran"]
    sections = _headings(blocks, 2)
    assert sections[:3] == ["1.1 Latar Belakang", "1.2 Tujuan Evaluasi", "1.3 Kriteria Keberhasilan"]
    assert "2.4 Aturan Penilaian" in sections and "4.3 Pengesahan" in sections
    assert "Lampiran 1. Tabel lengkap per skala" in sections
    signature = next(i for i, b in enumerate(blocks) if b.kind == "signature")
    assert signature < next(i for i, b in enumerate(blocks) if b.text == "Lampiran")
    cover = blocks[0].items
    assert cover[0] == "LAPORAN EVALUASI PELATIHAN" and "Bandar Lampung, 1–3 Desember 2026" in cover
    english = build(sample_analysis, tables, {}, k=5, lang="en", info=info)
    assert _headings(english)[1:5] == ["CHAPTER I Introduction", "CHAPTER II Method", "CHAPTER III Results",
                                       "CHAPTER IV Conclusions and Recommendations"]


def test_a_chapter_slots_in_and_everything_renumbers(sample_analysis, tables, info):
    followup = Section("followup", {"id": "Tindak Lanjut", "en": "Follow-up"}, kind="chapter", new_page=True,
                       children=(Section("behaviour", {"id": "Perilaku", "en": "Behaviour"}),))
    outline = insert_section(OUTLINE, followup, after="results")
    blocks = build(sample_analysis, tables, {}, k=5, lang="id", info=info, outline=outline)
    assert _headings(blocks)[4:6] == ["BAB IV Tindak Lanjut", "BAB V Kesimpulan dan Rekomendasi"]
    assert "4.1 Perilaku" in _headings(blocks, 2) and "5.2 Rekomendasi" in _headings(blocks, 2)
    assert OUTLINE[5].key == "results" and len(OUTLINE) == 8  # the default outline is untouched


def test_docx_has_toc_field_header_rows_and_page_numbers(sample_analysis, tables, info, tmp_path):
    blocks = build(sample_analysis, tables, {}, k=5, lang="id", info=info)
    write_docx(blocks, tmp_path / "r.docx", lang="id")
    with zipfile.ZipFile(tmp_path / "r.docx") as z:
        document = z.read("word/document.xml").decode()
        settings = z.read("word/settings.xml").decode()
        footer = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/footer"))
    assert 'TOC \\o "1-2" \\h \\z \\u' in document and '<w:updateFields w:val="true"/>' in settings
    n_tables = sum(1 for b in blocks if b.kind == "table")
    assert document.count('<w:tblHeader w:val="true"/>') == n_tables
    assert " PAGE " in footer
    html = (write_html(blocks, tmp_path / "r.html", lang="id")).read_text(encoding="utf-8")
    assert '<nav class="toc">' in html and "BAB III Hasil" in html
    summary = re.search(r'<style>([^<]*)</style><table id="(t\d+)"><thead><tr><th>Kriteria', html)
    # Sebelum, Sesudah, Kenaikan, IK 95%, Kelompok naik bermakna: right-aligned; Kriteria, Penilaian: not
    assert summary and [int(n) for n in re.findall(r"nth-child\((\d+)\)", summary.group(1))] == [2, 3, 4, 5, 6]


# -- verdicts and recommendations -------------------------------------------------------------
def _gains(rows):
    columns = ["scale", "group", "n", "mean_pre", "mean_post", "mean_diff", "ci_low", "ci_high", "d_z",
               "d_z_ci_low", "d_z_ci_high", "p_holm", "suppressed"]
    table = pd.DataFrame(rows, columns=columns)
    # The paired t-test's p is below 0.05 exactly when the 95% CI excludes zero (one rule, _significance).
    return table.assign(p=(table["ci_low"] > 0).map({True: 0.001, False: 0.2}))


def test_verdict_rule():
    # 4 groups per scale: "a" all significant, "b" 2 of 4, "c" pooled CI includes 0, "d" 3 of 4 = 75%.
    rows = []
    for scale, ps, ci_low in (("a", [0.01] * 4, 0.1), ("b", [0.01, 0.01, 0.2, 0.3], 0.1),
                              ("c", [0.01] * 4, -0.1), ("d", [0.01, 0.01, 0.01, 0.5], 0.1)):
        rows.append([scale, "ALL", 80, 3.0, 3.4, 0.4, ci_low, 0.6, 0.5, 0.3, 0.7, float("nan"), False])
        rows += [[scale, f"G{i}", 20, 3.0, 3.4, 0.4, 0.1, 0.7, 0.5, 0.1, 0.9, p, False] for i, p in enumerate(ps)]
    rows.append(["d", "G9", 3, *[float("nan")] * 9, True])  # a suppressed group does not count
    table = criteria_table(_gains(rows), ("a", "b", "c", "d"))
    assert ACHIEVED_SHARE == 0.75
    assert table["verdict"].tolist() == ["achieved", "partly", "not_yet", "achieved"]
    assert table["groups_significant"].tolist() == [4, 2, 4, 3] and table["groups_shown"].tolist() == [4] * 4


def test_summary_and_recommendations_cite_tables_that_exist(sample_analysis, tables, info):
    blocks = build(sample_analysis, tables, {}, k=5, lang="id", info=info)
    captions = {b.text.split(".")[0] for b in blocks if b.kind == "table" and b.text}
    summary = next(b for b in blocks if b.kind == "table")
    assert summary.text.startswith("Tabel 1. Ketercapaian kriteria")
    assert summary.table["Penilaian"].tolist() == ["tercapai", "tercapai", "tercapai", "tercapai sebagian",
                                                   "tercapai sebagian"]
    assert summary.table["Kelompok naik bermakna"].tolist() == ["10 dari 10", "8 dari 10", "9 dari 10",
                                                                "6 dari 10", "6 dari 10"]
    start = next(i for i, b in enumerate(blocks) if b.text == "4.2 Rekomendasi")
    recommendations = next(b for b in blocks[start:] if b.kind == "bullets").items
    assert len(recommendations) >= 3
    for text in recommendations:
        source = re.search(r"\(sumber: (Tabel \d+)\)", text)
        assert source and source.group(1) in captions, text
    assert any("Kelompok Nelayan Bina Bahari" in t for t in recommendations)
    assert any("k02 (51%)" in t for t in recommendations)  # 51% correct after the training, below 60%
    summary_text = [b.text for b in blocks[:next(i for i, b in enumerate(blocks) if b.text.startswith("BAB I"))]
                    if b.kind == "para"]
    sentences = re.split(r"(?<=\.) (?=[A-Z0-9])", summary_text[-1])
    assert 3 <= len(sentences) <= 6 and len(set(sentences)) == len(sentences)
    assert not any("dijelaskan oleh kebetulan" in t for t in summary_text)
    texts = [b.text for b in blocks] + [i for b in blocks for i in b.items]
    assert not [t for t in texts if "{ref:" in t or "sumber: –" in t]  # every citation resolved
    note = next(b.text for b in blocks if b.kind == "note")
    assert note.endswith("Aturan penilaian: subbab 2.4.") and "2.4 Aturan Penilaian" in _headings(blocks, 2)
    assert "(Rekomendasi, subbab 4.2)" in summary_text[-1]


# -- tables that print ------------------------------------------------------------------------
def test_column_widths_fit_a4_and_keep_words_whole():
    frame = pd.DataFrame({"Kelompok": ["Forum Kerukunan Umat Beragama (FKUB) Lampung Selatan", "Semua kelompok"],
                          "n": ["24", "246"], "Kenaikan": ["+0,41", "−0,05"], "IK 95%": ["0,35 sampai 0,47", "–"]})
    assert numeric_columns(frame) == [False, True, True, True]
    widths = column_widths(frame)
    assert sum(widths) == pytest.approx(160)
    assert widths[0] >= len("Beragama") * 1.75 + 4  # the name column holds its longest word
    assert widths[3] >= len("0,35 sampai 0,47") * 1.75 + 4  # an interval never wraps


def test_many_groups_keep_the_body_short(q):
    """With more than 20 groups the group × criterion table and per-group post-only table go to the Lampiran."""
    import dataclasses
    import warnings

    from evalkit.questionnaire import Option

    groups = tuple(q.groups) + tuple(Option(f"G{i:02d}", {"id": f"Kelompok {i}", "en": f"Group {i}"})
                                     for i in range(11, 26))
    big = dataclasses.replace(q, groups=groups)
    pre, post = evalkit.simulate(big, n_groups=25, n_per_group=(12, 12), seed=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", evalkit.EvalkitWarning)
        analysis = evalkit.analyze(big, pre, post)
    blocks = build(analysis, report_tables(analysis), {}, k=5, lang="id")
    annex = next(i for i, b in enumerate(blocks) if b.text == "Lampiran")
    matrix = next(i for i, b in enumerate(blocks) if b.kind == "table" and "per kelompok dan kriteria" in b.text)
    assert matrix > annex and len(blocks[matrix].table) == 26
    pointer = next(b.text for b in blocks[:annex] if b.kind == "para" and b.text.startswith("Dengan 25 kelompok"))
    assert pointer.endswith(f"({blocks[matrix].text.split('.')[0]}).")
    body_tables = [b.table for b in blocks[:annex] if b.kind == "table"]
    assert max(len(t) for t in body_tables) <= 6  # the summary's criteria; post-only scales show all groups only
