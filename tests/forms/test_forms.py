"""Paper tests: the entry sheet reads back like a CSV, and the printed test holds what it should."""

from __future__ import annotations

import pandas as pd
import pytest
from docx import Document
from openpyxl import load_workbook

import evalkit
from evalkit import EvalkitError
from evalkit.cli import main
from evalkit.forms import BOX, TICKED, entry_template, printable_test


def _fill(template, table, columns):
    """Type the answers into the entry sheet as a data clerk would (numbers as numbers)."""
    book = load_workbook(template)
    ws = book["jawaban"]
    for r, row in enumerate(table[columns].itertuples(index=False), start=2):
        for c, value in enumerate(row, start=1):
            if value != "":
                ws.cell(r, c, int(value) if c > 2 and value.isdigit() else value)
    book.save(template)
    return template


def test_template_layout(tmp_path, q):
    path = entry_template(q, tmp_path / "pre.xlsx", wave="pre")
    book = load_workbook(path)
    assert book.sheetnames == ["jawaban", "petunjuk", "_lists"]
    assert book["_lists"].sheet_state == "hidden"
    ws = book["jawaban"]
    header = [c.value for c in ws[1]]
    assert header == ["kode_peserta", "kelompok", *(i.id for i in q.items_for_wave("pre"))]
    assert ws.max_row == 1  # no hint row: read_responses takes row 2 onward as data
    assert ws.freeze_panes == "C2"
    k01 = ws.cell(1, 3).comment.text
    assert k01.startswith("1. " + q.item("k01").text["id"]) and "b = " in k01
    validations = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
    assert validations["B2"].formula1 == "'_lists'!$A$1:$A$10"
    assert [c.value for c in book["_lists"]["A"]] == [g.code for g in q.groups]
    col = {name: i for i, name in enumerate(header)}
    letter = lambda name: ws.cell(1, col[name] + 1).column_letter  # noqa: E731
    assert validations[f"{letter('k01')}2"].formula1 == '"a,b,c,d"'
    assert validations[f"{letter('k04')}2"].formula1 == '"B,S"'
    assert validations[f"{letter('s01')}2"].formula1 == '"1,2,3,4,5"'
    usia = validations[f"{letter('usia')}2"]
    assert (usia.type, usia.formula1, usia.formula2) == ("whole", "15", "90")
    assert f"{letter('k12')}2" not in validations  # several codes per cell: no drop-down
    help_text = "\n".join(str(c.value) for row in book["petunjuk"].iter_rows() for c in row if c.value)
    assert "Satu baris untuk satu peserta" in help_text
    assert q.item("s01").text["id"] in help_text and "1 = Sangat tidak setuju" in help_text
    assert q.groups[0].text["id"] in help_text
    assert "post" not in [c.value for c in ws[1]]


@pytest.mark.parametrize("wave", ["pre", "post"])
def test_filled_template_reads_like_csv(tmp_path, q, wave):
    pre, post = evalkit.simulate(q, seed=1)
    table = pre if wave == "pre" else post
    template = entry_template(q, tmp_path / f"{wave}.xlsx", wave=wave)
    columns = [c.value for c in load_workbook(template)["jawaban"][1]]
    filled = _fill(template, table, columns)
    csv_path = tmp_path / f"{wave}.csv"
    table[columns].to_csv(csv_path, index=False)
    from_sheet = evalkit.read_responses(filled, q, wave=wave)
    from_csv = evalkit.read_responses(csv_path, q, wave=wave)
    assert from_sheet.problems.empty and from_sheet.rows_read == len(table)
    pd.testing.assert_frame_equal(from_sheet.data, from_csv.data)


def test_template_in_english(tmp_path, q):
    book = load_workbook(entry_template(q, tmp_path / "post.xlsx", wave="post", lang="en"))
    assert book["jawaban"].cell(1, 3).comment.text.startswith("1. " + q.item("k01").text["en"])
    assert book["petunjuk"]["A3"].value.startswith("1. One row per participant")


def test_bad_wave_and_language(tmp_path, q):
    with pytest.raises(EvalkitError, match=r"EK-FM-005\] .*'wave'.* pre, post, followup; .* 'mid'"):
        entry_template(q, tmp_path / "x.xlsx", wave="mid")
    with pytest.raises(EvalkitError, match=r"EK-FM-058\] .*'lang'.* id, en; .* 'fr'"):
        printable_test(q, tmp_path / "x.docx", lang="fr")


def _texts(doc):
    paragraphs = [p.text for p in doc.paragraphs]
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return paragraphs, cells


@pytest.mark.parametrize("wave", ["pre", "post"])
def test_printable_test_content(tmp_path, q, wave):
    doc = Document(printable_test(q, tmp_path / "tes.docx", wave=wave))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4 (stored in twips)
    paragraphs, cells = _texts(doc)
    items = q.items_for_wave(wave)
    numbered = [t for t in paragraphs + cells if t.split(". ")[0].isdigit() and len(t.split(". ")[0]) <= 2]
    assert sorted(int(t.split(". ")[0]) for t in numbered) == list(range(1, len(items) + 1))
    for n, item in enumerate(items, start=1):
        assert any(t.startswith(f"{n}. {item.text['id']}") for t in numbered), item.id
    assert paragraphs[0] == q.title["id"]
    assert f"{BOX} {q.groups[0].code} — {q.groups[0].text['id']}" in paragraphs
    assert f"{BOX} a. {q.item('k01').options[0].text['id']}" in paragraphs
    assert f"{BOX} Benar        {BOX} Salah        " in paragraphs
    k12 = next(t for t in paragraphs if q.item("k12").text["id"] in t)
    assert k12.endswith("(pilih semua yang benar)")
    assert "1\nSangat tidak setuju" in cells
    assert not any(TICKED in t for t in paragraphs + cells) and "KUNCI" not in "".join(paragraphs)


def test_answer_key_version(tmp_path, q):
    doc = Document(printable_test(q, tmp_path / "kunci.docx", wave="pre", answer_key=True))
    paragraphs, cells = _texts(doc)
    assert paragraphs[0].startswith("VERSI FASILITATOR")
    ticked = [t for t in paragraphs if TICKED in t]
    keyed = [i for i in q.items_for_wave("pre") if i.keyed]
    assert sum(t.count(TICKED) for t in ticked) == sum(len(i.key) for i in keyed)
    assert f"{BOX} Benar        {TICKED} Salah        " in ticked  # k06: key S
    assert f"{TICKED} b. {q.item('k01').options[1].text['id']}" in ticked
    key_table = doc.tables[-1]
    rows = [[c.text for c in row.cells] for row in key_table.rows]
    assert rows[0] == ["No.", "Kode butir", "Kunci"]
    assert rows[1] == ["1", "k01", "b. " + q.item("k01").options[1].text["id"]]
    assert len(rows) == 1 + len(keyed)
    assert ["12", "k12", "a. {}, c. {}, f. {}".format(*(q.item("k12").options[i].text["id"] for i in (0, 2, 5)))] \
        in rows


def test_printable_test_in_english(tmp_path, q):
    doc = Document(printable_test(q, tmp_path / "en.docx", wave="post", lang="en"))
    paragraphs, cells = _texts(doc)
    assert paragraphs[0] == q.title["en"] and "(choose all that apply)" in "".join(paragraphs)
    assert f"{BOX} True        {BOX} False        " in paragraphs


def test_cli_template_and_print(tmp_path, capsys):
    q_path = str(evalkit.bundled_questionnaire())
    assert main(["template", q_path, "-o", str(tmp_path / "post.xlsx"), "--wave", "post"]) == 0
    assert "q01" in [c.value for c in load_workbook(tmp_path / "post.xlsx")["jawaban"][1]]
    assert main(["print", q_path, "-o", str(tmp_path / "kunci.docx"), "--answer-key"]) == 0
    assert Document(tmp_path / "kunci.docx").paragraphs[0].text.startswith("VERSI FASILITATOR")
    assert "Ditulis:" in capsys.readouterr().out
    assert main(["print", str(tmp_path / "tidak-ada.yaml"), "-o", str(tmp_path / "x.docx")]) == 1
    assert "[EK-QN-036]" in capsys.readouterr().err


def test_printable_test_and_template_ask_the_network_item(tmp_path, q):
    """The network item (pre and follow-up): a tick box per group and institution, no
    drop-down in the entry sheet (several codes per cell), and no answer key."""
    jejaring = q.item("jejaring")
    for wave in ("pre", "followup"):
        paragraphs, _ = _texts(Document(printable_test(q, tmp_path / f"{wave}.docx", wave=wave, answer_key=True)))
        question = next(t for t in paragraphs if jejaring.text["id"] in t)
        assert question.endswith("(pilih semua yang sesuai)")
        boxes = [t for t in paragraphs if t.startswith(BOX) and t.split(". ")[0][2:] in jejaring.option_codes]
        assert [t.split(". ")[0][2:] for t in boxes] == list(jejaring.option_codes)
        assert f"{BOX} kanwil. Kanwil Kementerian HAM Lampung" in boxes and not any(TICKED in t for t in boxes)
    paragraphs, _ = _texts(Document(printable_test(q, tmp_path / "post.docx", wave="post")))
    assert not any(jejaring.text["id"] in t for t in paragraphs)
    ws = load_workbook(entry_template(q, tmp_path / "fu.xlsx", wave="followup"))["jawaban"]
    header = [c.value for c in ws[1]]
    letter = ws.cell(1, header.index("jejaring") + 1).column_letter
    assert f"{letter}2" not in {str(dv.sqref).split(":")[0] for dv in ws.data_validations.dataValidation}
    assert "kanwil = Kanwil Kementerian HAM Lampung" in ws.cell(1, header.index("jejaring") + 1).comment.text
