"""The questionnaire's fingerprint travels with every output of a report folder: the Word
report (BAB II, Instrumen), the workbook's README sheet and the result package (issue #17)."""

from __future__ import annotations

import json

import pytest

import evalkit
from evalkit.questionnaire import fingerprint


@pytest.fixture(scope="module")
def expected(q):
    return [fingerprint(q), *(fingerprint(q, scale=s.id) for s in q.scales)]


def _report_folder(demo_folder):
    return next(p.parent for p in demo_folder.rglob("laporan.docx"))


def test_fingerprints_are_in_the_word_report_method_chapter(demo_folder, expected):
    from docx import Document

    paragraphs = [p.text for p in Document(str(_report_folder(demo_folder) / "laporan.docx")).paragraphs]
    found = [i for i, t in enumerate(paragraphs) if t.startswith("Sidik kuesioner ")]
    assert len(found) == 1
    heading = max(i for i, t in enumerate(paragraphs[:found[0]]) if paragraphs[i].strip() and
                  paragraphs[i].split()[0].count(".") == 1 and paragraphs[i][0].isdigit())
    assert paragraphs[heading].endswith("Instrumen")  # BAB II, the instrument section
    assert all(f in paragraphs[found[0]] for f in expected)


def test_fingerprints_are_in_the_readme_sheet_and_the_package(demo_folder, q, expected):
    from openpyxl import load_workbook

    folder = _report_folder(demo_folder)
    readme = [str(c.value) for row in load_workbook(folder / "gains.xlsx", read_only=True)["README"].iter_rows()
              for c in row if c.value]
    assert any(all(f in text for f in expected) for text in readme)
    package = json.loads((folder / "paket_hasil.json").read_text(encoding="utf-8"))
    assert package["questionnaire"]["fingerprint"] == expected[0]
    assert {s["scale"]: s["fingerprint"] for s in package["scales"]} == {
        s.id: fingerprint(q, scale=s.id) for s in q.scales if s.id in {p["scale"] for p in package["scales"]}}


def test_fingerprint_note_in_english(q, expected):
    note = evalkit.report.fingerprint_note(q, lang="en")
    assert note.startswith(f"Questionnaire fingerprint {expected[0]}; per scale: ")
