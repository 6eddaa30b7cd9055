"""A questionnaire in one language is legitimate: it loads, and forms, charts and reports use its language."""

from __future__ import annotations

import pytest
import yaml
from docx import Document
from openpyxl import load_workbook

import evalkit
from evalkit._i18n import language
from evalkit.cli import main
from evalkit.forms import entry_template, printable_test, to_xlsform
from evalkit import charts
from evalkit.report import likert_distribution


def _drop_language(node, lang):
    """The questionnaire's YAML structure without the texts in ``lang`` (in mappings that hold both languages)."""
    if isinstance(node, dict):
        both = {"id", "en"} <= set(node)
        return {k: _drop_language(v, lang) for k, v in node.items() if not (both and k == lang)}
    if isinstance(node, list):
        return [_drop_language(v, lang) for v in node]
    return node


@pytest.fixture(params=["id", "en"])
def one_language(request, tmp_path):
    """The bundled questionnaire in Indonesian only, or in English only."""
    keep = request.param
    data = _drop_language(yaml.safe_load(evalkit.bundled_questionnaire().read_text(encoding="utf-8")),
                          "en" if keep == "id" else "id")
    data["languages"] = [keep]
    path = tmp_path / f"hanya_{keep}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path, keep


def test_check_accepts_one_language(one_language, capsys, q):
    path, keep = one_language
    assert main(["check", str(path)]) == 0, capsys.readouterr().err
    one = evalkit.load_questionnaire(path)
    assert one.languages == (keep,)
    assert [(i.id, i.type, i.scale, i.key, i.waves) for i in one.items] == [
        (i.id, i.type, i.scale, i.key, i.waves) for i in q.items]
    # any language asked for gives the questionnaire's own text
    k01 = q.item("k01")
    assert one.item("k01").label("id") == one.item("k01").label("en") == k01.text[keep]
    assert one.scale("sikap").label("en") == q.scale("sikap").label_text[keep]
    assert one.title["id"] == one.title["en"] == q.title[keep]
    assert [o.label("id") for o in one.item("s01").options] == [o.text[keep] for o in q.item("s01").options]


def test_other_language_texts_may_stay(tmp_path):
    """Dropping a language from `languages` does not force deleting its texts."""
    text = evalkit.bundled_questionnaire().read_text(encoding="utf-8").replace("languages: [id, en]",
                                                                               "languages: [id]", 1)
    assert "languages: [id]" in text
    path = tmp_path / "q.yaml"
    path.write_text(text, encoding="utf-8")
    assert evalkit.load_questionnaire(path).languages == ("id",)


def test_forms_of_a_one_language_questionnaire(one_language, tmp_path):
    pyxform = pytest.importorskip("pyxform.xls2xform")
    path, keep = one_language
    one = evalkit.load_questionnaire(path)
    form = to_xlsform(one, tmp_path / "form.xlsx")
    found: list[str] = []
    pyxform.convert(str(form), warnings=found)
    assert found == []
    header = [c.value for c in load_workbook(form)["survey"][1]]
    assert [h for h in header if h.startswith("label")] == [f"label::{'Indonesian' if keep == 'id' else 'English'} "
                                                            f"({keep})"]
    other = "en" if keep == "id" else "id"
    with language(other):  # the active language is not the questionnaire's: the test is in its language
        doc = Document(printable_test(one, tmp_path / "tes.docx"))
        sheet = load_workbook(entry_template(one, tmp_path / "isian.xlsx"))["jawaban"]
    assert doc.paragraphs[0].text == one.title[keep]
    assert doc.paragraphs[2].text.startswith("Petunjuk:" if keep == "id" else "Instructions:")
    assert sheet.cell(1, 3).comment.text.startswith("1. " + one.item("k01").text[keep])
    assert main(["--lang", other, "print", str(path), "-o", str(tmp_path / "cli.docx")]) == 0


def test_charts_of_a_one_language_questionnaire(sample_analysis, tmp_path):
    """An Indonesian-only questionnaire in English charts: evalkit's words English, the questionnaire's Indonesian."""
    data = _drop_language(yaml.safe_load(evalkit.bundled_questionnaire().read_text(encoding="utf-8")), "en")
    data["languages"] = ["id"]
    path = tmp_path / "hanya_id.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    one = evalkit.load_questionnaire(path)
    ax = charts.prepost(sample_analysis.gains, one, scale="sikap", lang="en")
    assert "Sikap terhadap HAM" in " ".join(ax.figure._suptitle.get_text().split())
    assert ax.get_xlabel() == "Mean score (1–5 scale)"
    ax = charts.likert_bars(likert_distribution(sample_analysis), one, scale="sikap", lang="en")
    assert [t.get_text() for t in ax.get_legend().get_texts()][:2] == ["Sangat tidak setuju", "Tidak setuju"]
