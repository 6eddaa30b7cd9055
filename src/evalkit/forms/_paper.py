"""Paper tests: the printable test (DOCX) and the Excel sheet to type its answers into.

The entry sheet's header is exactly what :func:`evalkit.read_responses` expects
(participant code, group, the wave's item ids), so a filled sheet is read with no
column mapping; the printed test numbers its items in the same order.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .._errors import EvalkitError
from .._i18n import get_language, tr
from ..questionnaire import Item, Questionnaire
from .._outputs import writing_file

BOX, TICKED = "☐", "☒"
_M = {
    "bad_lang": {"code": "EK-FM-058", "id": "Parameter 'lang' harus salah satu dari {allowed}; ditemukan {found!r}.",
                 "en": "The 'lang' parameter must be one of {allowed}; got {found!r} instead."},
    "bad_wave": {"code": "EK-FM-005", "id": "Parameter 'wave' harus salah satu dari {allowed}; ditemukan {found!r}.",
                 "en": "The 'wave' parameter must be one of {allowed}; got {found!r} instead."},
    "wave": {"pre": {"code": "EK-FM-006", "id": "Pre-test (sebelum pelatihan)", "en": "Pre-test (before the training)"},
             "post": {"code": "EK-FM-007", "id": "Post-test (sesudah pelatihan)", "en": "Post-test (after the training)"},
             "followup": {"code": "EK-FM-008", "id": "Tindak lanjut (setelah pelatihan)", "en": "Follow-up (after the training)"}},
    "code": {"code": "EK-FM-009", "id": "Kode peserta", "en": "Participant code"},
    "group": {"code": "EK-FM-010", "id": "Kelompok", "en": "Group"},
    "number": {"code": "EK-FM-011", "id": "No.", "en": "No."},
    "column": {"code": "EK-FM-012", "id": "Kolom", "en": "Column"},
    "question": {"code": "EK-FM-013", "id": "Pertanyaan", "en": "Question"},
    "allowed": {"code": "EK-FM-014", "id": "Jawaban yang diperbolehkan", "en": "Allowed answers"},
    "any_text": {"code": "EK-FM-015", "id": "teks bebas", "en": "free text"},
    "number_range": {"code": "EK-FM-016", "id": "angka {low} sampai {high}", "en": "a number from {low} to {high}"},
    "multi_codes": {"code": "EK-FM-017", "id": "satu atau lebih kode dipisah spasi, mis. '{example}': {codes}",
                    "en": "one or more codes separated by spaces, e.g. '{example}': {codes}"},
    "code_hint": {"code": "EK-FM-018", "id": "Kode yang ditulis peserta di kertas tes (sama pada pre-test dan post-test).",
                  "en": "The code the participant wrote on the test paper (the same at pre-test and post-test)."},
    "group_hint": {"code": "EK-FM-019", "id": "Kode kelompok", "en": "Group code"},
    "entry_title": {"code": "EK-FM-020", "id": "Petunjuk pengisian lembar 'jawaban' — {title} — {wave}",
                    "en": "How to fill in the 'jawaban' sheet — {title} — {wave}"},
    "entry_rules": {"code": "EK-FM-021",
        "id": ["Satu baris untuk satu peserta (satu kertas tes); jangan mengubah baris judul kolom (baris 1).",
               "Ketik kode jawaban yang dicentang peserta (mis. a, B, 4), bukan teks jawabannya; "
               "daftar pilihan muncul di setiap sel.",
               "Biarkan sel kosong jika peserta tidak menjawab; jangan menulis 0 atau tanda '-'.",
               "Butir pilihan ganda-banyak: ketik semua kode yang dicentang, dipisah spasi (mis. a c f).",
               "Jangan menambah kolom nama atau nomor HP: lembar ini hanya memuat kode peserta.",
               "Nomor butir (No.) sama dengan nomor soal di kertas tes."],
        "en": ["One row per participant (one test paper); do not change the header row (row 1).",
               "Type the code of the ticked answer (e.g. a, B, 4), not its text; each cell offers a drop-down list.",
               "Leave a cell empty when the participant gave no answer; do not type 0 or '-'.",
               "Multi-select items: type every ticked code, separated by spaces (e.g. a c f).",
               "Do not add name or phone columns: this sheet holds participant codes only.",
               "The item number (No.) is the question number on the test paper."]},
    "groups_title": {"code": "EK-FM-022", "id": "Daftar kelompok", "en": "Groups"},
    "columns_title": {"code": "EK-FM-023", "id": "Arti setiap kolom", "en": "What each column means"},
    "invalid_title": {"code": "EK-FM-024", "id": "Jawaban tidak sah", "en": "Invalid answer"},
    "invalid": {"code": "EK-FM-025", "id": "Yang diperbolehkan: {allowed}", "en": "Allowed: {allowed}"},
    "instructions": {"code": "EK-FM-026",
        "id": "Petunjuk: Tulis kode peserta Anda dan centang kelompok Anda. Untuk setiap soal, beri tanda "
              "centang (✓) pada kotak jawaban yang Anda pilih. Jawablah sendiri dan sejujurnya; tes ini tidak "
              "memengaruhi penilaian Anda.",
        "en": "Instructions: Write your participant code and tick your group. For each question, tick (✓) the "
              "box of the answer you choose. Answer on your own and honestly; this test does not affect any "
              "assessment of you."},
    "code_line": {"code": "EK-FM-027", "id": "Kode peserta: ______________________", "en": "Participant code: ______________________"},
    "choose_one": {"code": "EK-FM-028", "id": "(pilih satu)", "en": "(choose one)"},
    "choose_all": {"code": "EK-FM-029", "id": "(pilih semua yang benar)", "en": "(choose all that apply)"},
    "choose_network": {"code": "EK-FM-059", "id": "(pilih semua yang sesuai)", "en": "(choose all that apply)"},
    "likert_intro": {"code": "EK-FM-030", "id": "Untuk setiap pernyataan berikut, centang satu kotak yang paling sesuai dengan diri Anda.",
                     "en": "For each statement below, tick the one box that fits you best."},
    "statement": {"code": "EK-FM-031", "id": "Pernyataan", "en": "Statement"},
    "range": {"code": "EK-FM-032", "id": "(angka {low}–{high})", "en": "(a number {low}–{high})"},
    "facilitator": {"code": "EK-FM-033", "id": "VERSI FASILITATOR — KUNCI JAWABAN (jangan dibagikan kepada peserta)",
                    "en": "FACILITATOR'S VERSION — ANSWER KEY (do not hand out to participants)"},
    "key_title": {"code": "EK-FM-034", "id": "Tabel kunci jawaban", "en": "Answer key table"},
    "key": {"code": "EK-FM-035", "id": "Kunci", "en": "Key"},
    "item_id": {"code": "EK-FM-036", "id": "Kode butir", "en": "Item id"},
    "reverse": {"code": "EK-FM-037", "id": "butir terbalik (skor dibalik)", "en": "reverse-keyed item"},
    "thanks": {"code": "EK-FM-038", "id": "Terima kasih atas partisipasi Anda.", "en": "Thank you for taking part."},
}


def _check(q: Questionnaire, wave: str, lang: str | None) -> str:
    if wave not in q.waves:
        raise EvalkitError(tr(_M["bad_wave"], allowed=", ".join(q.waves), found=wave))
    if lang is None:  # the active language, or the questionnaire's own when it has only other languages
        lang = get_language() if get_language() in q.languages else q.languages[0]
    if lang not in q.languages:
        raise EvalkitError(tr(_M["bad_lang"], allowed=", ".join(q.languages), found=lang))
    return lang


def _ui(lang: str) -> str:
    """Language of evalkit's own texts (questionnaire texts may have more languages)."""
    return lang if lang in ("id", "en") else "en"


def _num(value) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def allowed_text(item: Item, lang: str) -> str:
    """The allowed answers of an item, as shown to the person typing them."""
    ui = _ui(lang)
    if item.type in ("single_choice", "true_false", "likert"):
        return ", ".join(f"{o.code} = {o.label(lang)}" for o in item.options)
    if item.type in ("multi_select", "network"):
        codes = ", ".join(f"{o.code} = {o.label(lang)}" for o in item.options)
        return tr(_M["multi_codes"], ui, example=" ".join(item.option_codes[:2]), codes=codes)
    if item.type == "numeric":
        return tr(_M["number_range"], ui, low=_num(item.min) if item.min is not None else "-∞",
                  high=_num(item.max) if item.max is not None else "∞")
    return tr(_M["any_text"], ui)


# ---------------------------------------------------------------------------
# Excel entry sheet
# ---------------------------------------------------------------------------
def entry_template(questionnaire: Questionnaire, path: str | Path, *, wave: str = "pre", lang: str | None = None,
                   rows: int = 500, overwrite: bool = False) -> Path:
    """Write an Excel sheet for typing in the answers of paper tests.

    Sheet ``jawaban`` (first, so :func:`evalkit.read_responses` reads it) has one
    header row: the participant-code column, the group column and the wave's item
    ids in order. Each header cell carries the question and its allowed answers as
    a comment; each column offers a drop-down of the allowed codes (group codes,
    option codes, Likert points ``1..k``, ``B``/``S``) or a number range check.
    Sheet ``petunjuk`` explains the rules, every column and the group list; the
    hidden sheet ``_lists`` holds the group codes for the drop-down.

    Parameters
    ----------
    questionnaire : Questionnaire
    path : str or Path
        The ``.xlsx`` file to write.
    wave : {"pre", "post", "followup"}, default "pre"
    lang : str, optional
        Language of the comments and instructions; default the active language, or the
        questionnaire's first language when it does not have the active one.
    rows : int, default 500
        Rows that get the drop-downs (the sheet accepts more, without them).
    overwrite : bool, default False
        Replace ``path`` when it exists; otherwise an existing file is refused with
        :class:`~evalkit.OutputError`. The questionnaire's own file is never overwritten.

    Returns
    -------
    Path

    Examples
    --------
    >>> import evalkit, tempfile, pathlib
    >>> from evalkit.forms import entry_template
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> entry_template(q, pathlib.Path(tempfile.mkdtemp()) / "pre.xlsx", wave="pre").name
    'pre.xlsx'
    """
    from openpyxl import Workbook

    q = questionnaire
    lang = _check(q, wave, lang)
    items = q.items_for_wave(wave)
    book = Workbook()
    sheet = book.active
    sheet.title = "jawaban"
    lists = book.create_sheet("_lists")
    lists.sheet_state = "hidden"
    help_sheet = book.create_sheet("petunjuk", 1)
    sheet.append([q.id_column, q.group_column, *(i.id for i in items)])
    for i, code in enumerate(g.code for g in q.groups):
        lists.cell(i + 1, 1, code)
    descriptions = _entry_validations(sheet, q, items, lang, last=rows + 1)
    _entry_header(sheet, descriptions, _ui(lang))
    _entry_help(help_sheet, q, wave, lang, descriptions)
    with writing_file(path, inputs=[q.path], overwrite=overwrite) as temporary:
        book.save(temporary)
    return Path(path)


def _entry_validations(sheet, q: Questionnaire, items, lang: str, *, last: int) -> list[tuple[str, str, str]]:
    """Add each column's drop-down or range check; return (column, question, allowed answers) per column."""
    from openpyxl.utils import quote_sheetname

    ui = _ui(lang)
    descriptions = [(q.id_column, tr(_M["code"], ui), tr(_M["code_hint"], ui)),
                    (q.group_column, tr(_M["group"], ui),
                     ", ".join(g.code for g in q.groups) or tr(_M["any_text"], ui))]
    if q.groups:
        _validate(sheet, 2, f"{quote_sheetname('_lists')}!$A$1:$A${len(q.groups)}", descriptions[1][2], ui,
                  last=last)
    for n, item in enumerate(items, start=1):
        allowed = allowed_text(item, lang)
        descriptions.append((item.id, f"{n}. {item.label(lang)}", allowed))
        if item.type in ("single_choice", "true_false", "likert"):
            _validate(sheet, n + 2, '"' + ",".join(item.option_codes) + '"', ", ".join(item.option_codes), ui,
                      last=last)
        elif item.type == "numeric" and (item.min is not None or item.max is not None):
            whole = all(b is None or float(b).is_integer() for b in (item.min, item.max))
            low = item.min if item.min is not None else -1e9
            high = item.max if item.max is not None else 1e9
            _validate(sheet, n + 2, _num(low), allowed, ui, last=last, kind="whole" if whole else "decimal",
                      operator="between", formula2=_num(high))
    return descriptions


def _validate(sheet, column: int, formula: str, allowed: str, ui: str, *, last: int, kind: str = "list",
              **bounds) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(type=kind, formula1=formula, allow_blank=True, showErrorMessage=True,
                        errorTitle=tr(_M["invalid_title"], ui),
                        error=tr(_M["invalid"], ui, allowed=allowed)[:255], **bounds)
    letter = get_column_letter(column)
    dv.add(f"{letter}2:{letter}{last}")
    sheet.add_data_validation(dv)


def _entry_header(sheet, descriptions: list[tuple[str, str, str]], ui: str) -> None:
    """Bold header cells, each with its question and allowed answers as a comment."""
    from openpyxl.comments import Comment
    from openpyxl.utils import get_column_letter

    for column, (name, question, allowed) in enumerate(descriptions, start=1):
        cell = sheet.cell(1, column)
        cell.font, cell.fill = _bold(), _fill()
        comment = Comment(f"{question}\n\n{tr(_M['allowed'], ui)}: {allowed}", "evalkit")
        comment.width, comment.height = 320, 160
        cell.comment = comment
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = 16 if column <= 2 else max(7, len(name) + 3)
        sheet.column_dimensions[letter].number_format = "@"  # codes such as 007 stay text
    sheet.freeze_panes = "C2"


def _entry_help(help_sheet, q: Questionnaire, wave: str, lang: str,
                descriptions: list[tuple[str, str, str]]) -> None:
    """The 'petunjuk' sheet: rules, the meaning of every column, the group list."""
    from openpyxl.styles import Alignment, Font

    ui = _ui(lang)
    help_sheet.append([tr(_M["entry_title"], ui, title=q.title[lang], wave=tr(_M["wave"][wave], ui))])
    help_sheet["A1"].font = Font(bold=True, size=13)
    help_sheet.append([])
    for n, rule in enumerate(_M["entry_rules"][ui], start=1):
        help_sheet.append([f"{n}. {rule}"])
    help_sheet.append([])
    help_sheet.append([tr(_M["columns_title"], ui)])
    help_sheet.cell(help_sheet.max_row, 1).font = _bold()
    help_sheet.append([tr(_M["column"], ui), tr(_M["question"], ui), tr(_M["allowed"], ui)])
    for cell in help_sheet[help_sheet.max_row]:
        cell.font, cell.fill = _bold(), _fill()
    for name, question, allowed in descriptions:
        help_sheet.append([name, question, allowed])
    help_sheet.append([])
    help_sheet.append([tr(_M["groups_title"], ui)])
    help_sheet.cell(help_sheet.max_row, 1).font = _bold()
    for g in q.groups:
        help_sheet.append([g.code, g.label(lang)])
    for letter, width in (("A", 18), ("B", 80), ("C", 60)):
        help_sheet.column_dimensions[letter].width = width
    for row in help_sheet.iter_rows(min_row=2):
        for cell in row[1:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _bold():
    from openpyxl.styles import Font

    return Font(bold=True)


def _fill():
    from openpyxl.styles import PatternFill

    return PatternFill("solid", fgColor="DDEBF7")


# ---------------------------------------------------------------------------
# printable test
# ---------------------------------------------------------------------------
def printable_test(questionnaire: Questionnaire, path: str | Path, *, wave: str = "pre", answer_key: bool = False,
                   lang: str | None = None, overwrite: bool = False) -> Path:
    """Write the paper test of one wave as a Word (DOCX) file, A4.

    Title, wave, instructions, a line for the participant code and the groups as
    tick boxes, then the wave's items numbered in questionnaire order (the order of
    the entry sheet's columns): options as ``☐ a.`` boxes, true/false as
    ``☐ Benar ☐ Salah``, multi-select marked "(pilih semua yang benar)",
    consecutive Likert items sharing their point labels as one table (a row of
    boxes per statement), numeric and text items with lines to write on.

    Parameters
    ----------
    questionnaire : Questionnaire
    path : str or Path
        The ``.docx`` file to write.
    wave : {"pre", "post", "followup"}, default "pre"
    answer_key : bool, default False
        The facilitator's version: a banner, correct options ticked (``☒``) and in
        bold, and a key table (number, item id, key) at the end.
    lang : str, optional
        Language of the test; default the active language (Indonesian unless set), or the
        questionnaire's first language when it does not have the active one.
    overwrite : bool, default False
        Replace ``path`` when it exists; otherwise an existing file is refused with
        :class:`~evalkit.OutputError`. The questionnaire's own file is never overwritten.

    Returns
    -------
    Path

    Examples
    --------
    >>> import evalkit, tempfile, pathlib
    >>> from evalkit.forms import printable_test
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> printable_test(q, pathlib.Path(tempfile.mkdtemp()) / "pre.docx").suffix
    '.docx'
    """
    q = questionnaire
    lang = _check(q, wave, lang)
    paper = _PaperTest(lang, answer_key=answer_key)
    paper.heading(q, wave)
    items = q.items_for_wave(wave)
    n, previous = 0, None
    for block in _blocks(items, lang):
        if block[0].type == "likert":
            intro = previous is None or not _same_points(previous, block[0], lang)
            paper.likert_table(block, first_number=n + 1, intro=intro)
        else:
            paper.question(block[0], n + 1)
        n, previous = n + len(block), block[-1]
    paper.closing()
    if answer_key:
        paper.key_table(items)
    with writing_file(path, inputs=[q.path], overwrite=overwrite) as temporary:
        paper.doc.save(temporary)
    return Path(path)


#: Width of the text on an A4 page with 2 cm margins, and of a Likert tick-box column.
_TEXT_CM, _BOX_CM, _STATEMENT_MIN_CM = 17.0, 1.6, 6.0


def _blocks(items, lang: str) -> list[list[Item]]:
    """Items in print order; consecutive Likert items of one scale sharing point labels form one block."""
    blocks: list[list[Item]] = []
    for item in items:
        if blocks and _same_points(item, blocks[-1][0], lang) and item.scale == blocks[-1][0].scale:
            blocks[-1].append(item)
        else:
            blocks.append([item])
    return blocks


class _PaperTest:
    """The DOCX of one paper test, written part by part."""

    def __init__(self, lang: str, *, answer_key: bool):
        from docx import Document
        from docx.shared import Cm, Mm, Pt

        self.lang, self.ui, self.answer_key = lang, _ui(lang), answer_key
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Cm(2)
        section.top_margin = section.bottom_margin = Cm(1.8)
        self.doc.styles["Normal"].font.size = Pt(11)

    def heading(self, q: Questionnaire, wave: str) -> None:
        """Banner (answer key only), title, wave, instructions, code line and group boxes."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm

        doc, ui = self.doc, self.ui
        if self.answer_key:
            banner = doc.add_paragraph()
            banner.add_run(tr(_M["facilitator"], ui)).bold = True
            banner.alignment = WD_ALIGN_PARAGRAPH.CENTER
        doc.add_heading(q.title[self.lang], level=1)
        doc.add_paragraph(tr(_M["wave"][wave], ui)).runs[0].italic = True
        doc.add_paragraph(tr(_M["instructions"], ui))
        doc.add_paragraph(tr(_M["code_line"], ui))
        if q.groups:
            doc.add_paragraph(tr(_M["group"], ui) + ":").runs[0].bold = True
            for g in q.groups:
                doc.add_paragraph(f"{BOX} {g.code} — {g.label(self.lang)}").paragraph_format.left_indent = Cm(0.5)

    def likert_table(self, block: list[Item], *, first_number: int, intro: bool) -> None:
        """One table: a header of point labels, a row of tick boxes per statement."""
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        first, lang = block[0], self.lang
        if intro:
            paragraph = self.doc.add_paragraph(tr(_M["likert_intro"], self.ui))
            paragraph.runs[0].italic = True
            paragraph.paragraph_format.keep_with_next = True
        table = self.doc.add_table(rows=1, cols=1 + first.points)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.rows[0].cells[0].text = tr(_M["statement"], self.ui)
        for j, option in enumerate(first.options, start=1):
            table.rows[0].cells[j].text = f"{option.code}\n{option.label(lang)}"
            table.rows[0].cells[j].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        for n, member in enumerate(block, start=first_number):
            cells = table.add_row().cells
            reverse = f" [{tr(_M['reverse'], self.ui)}]" if self.answer_key and member.reverse else ""
            cells[0].text = f"{n}. {member.label(lang)}{reverse}"
            for cell in cells[1:]:
                cell.text = BOX
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _likert_layout(table, first.points)
        self.doc.add_paragraph()

    def question(self, item: Item, n: int) -> None:
        """A numbered question and its answer space."""
        from docx.shared import Pt

        question = self.doc.add_paragraph()
        question.paragraph_format.space_before = Pt(8)
        question.paragraph_format.keep_with_next = True
        question.add_run(f"{n}. ").bold = True
        question.add_run(item.label(self.lang))
        if item.type in ("multi_select", "network"):
            hint = _M["choose_all"] if item.type == "multi_select" else _M["choose_network"]
            question.add_run(" " + tr(hint, self.ui)).italic = True
        answer = {"single_choice": self.options, "multi_select": self.options, "network": self.options,
                  "true_false": self.true_false, "numeric": self.numeric}.get(item.type, self.lines)
        answer(item)

    def _indented(self, text: str = ""):
        from docx.shared import Cm

        paragraph = self.doc.add_paragraph(text)
        paragraph.paragraph_format.left_indent = Cm(0.8)
        return paragraph

    def _correct(self, item: Item, code: str) -> bool:
        return self.answer_key and code in item.key

    def options(self, item: Item) -> None:
        from docx.shared import Pt

        for option in item.options:
            correct = self._correct(item, option.code)
            p = self._indented()
            p.paragraph_format.space_after = Pt(0)
            p.add_run(f"{TICKED if correct else BOX} {option.code}. {option.label(self.lang)}").bold = correct

    def true_false(self, item: Item) -> None:
        p = self._indented()
        for option in item.options:
            correct = self._correct(item, option.code)
            p.add_run(f"{TICKED if correct else BOX} {option.label(self.lang)}        ").bold = correct

    def numeric(self, item: Item) -> None:
        hint = ""
        if item.min is not None and item.max is not None:
            hint = " " + tr(_M["range"], self.ui, low=_num(item.min), high=_num(item.max))
        answer = "_" * 15 + hint
        if self.answer_key and item.key:
            answer = f"{TICKED} {item.key[0]}"
        self._indented(answer)

    def lines(self, item: Item) -> None:
        for _ in range(3):
            self._indented("_" * 80)

    def closing(self) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        self.doc.add_paragraph()
        self.doc.add_paragraph(tr(_M["thanks"], self.ui)).alignment = WD_ALIGN_PARAGRAPH.CENTER

    def key_table(self, items) -> None:
        """The facilitator's table: number, item id and key of every keyed item."""
        ui = self.ui
        self.doc.add_heading(tr(_M["key_title"], ui), level=2)
        table = self.doc.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, (tr(_M["number"], ui), tr(_M["item_id"], ui), tr(_M["key"], ui))):
            cell.text = text
        for number, item in enumerate(items, start=1):
            if item.keyed:
                key = ", ".join(_key_text(item, self.lang))
                for cell, text in zip(table.add_row().cells, (str(number), item.id, key)):
                    cell.text = text


def _likert_layout(table, points: int) -> None:
    """A wide statement column and narrow tick boxes; the header row repeats on each page; no row splits.

    Word and LibreOffice take column widths from the table grid of a fixed-layout table
    (cell widths alone are ignored by LibreOffice).
    """
    from docx.oxml import OxmlElement
    from docx.shared import Cm, Pt

    box = min(_BOX_CM, (_TEXT_CM - _STATEMENT_MIN_CM) / points)
    widths = [Cm(_TEXT_CM - box * points)] + [Cm(box)] * points
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = width
    for r, row in enumerate(table.rows):
        row_properties = row._tr.get_or_add_trPr()  # python-docx has no API for these two row properties
        row_properties.append(OxmlElement("w:cantSplit"))
        if r == 0:
            row_properties.append(OxmlElement("w:tblHeader"))
        for c, (cell, width) in enumerate(zip(row.cells, widths)):
            cell.width = width
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:  # point labels smaller, so that a word fits a tick-box column
                    run.font.size = Pt(8 if r == 0 and c > 0 else 9.5)


def _same_points(item: Item, first: Item, lang: str) -> bool:
    return item.type == "likert" and item.points == first.points and \
        [o.label(lang) for o in item.options] == [o.label(lang) for o in first.options]


def _key_text(item: Item, lang: str) -> list[str]:
    labels: Mapping[str, str] = {o.code: o.label(lang) for o in item.options}
    if item.type == "true_false":
        return [labels[k] for k in item.key]
    if item.type == "numeric":
        return list(item.key)
    return [f"{k}. {labels.get(k, '')}" for k in item.key]
