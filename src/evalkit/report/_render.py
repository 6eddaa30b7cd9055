"""Rendering the report blocks to DOCX (python-docx, A4) and to one self-contained HTML file.

Tables are laid out for print: column widths from their content within the A4 text width,
numbers right-aligned, the header row repeated on every page, rows not split across pages
and no column narrower than its longest word (so group names never break mid-word).
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

import pandas as pd

from ._content import Block

#: A4 with 25 mm margins: 160 mm (6.3 in) of text width, the width the charts are made for.
_PAGE_MM, _MARGIN_MM = (210, 297), 25
_TEXT_MM = _PAGE_MM[0] - 2 * _MARGIN_MM
#: Table text size, the width of one character of it, and a cell's left + right padding (mm).
_TABLE_PT, _CHAR_MM, _PAD_MM = 8.5, 1.75, 4.0
_NUMERIC = re.compile(r"^[<>≤≥+−\-–]?\s*[\d.,]+%?\*?(\s(sampai|to)\s[−\-]?[\d.,]+%?)?$|^[−–]$|^(\d+ (dari|of) \d+)$")


def numeric_columns(frame: pd.DataFrame) -> list[bool]:
    """Columns whose every filled cell is a number, a range or a dash (right-aligned)."""
    out = []
    for column in frame.columns:
        cells = [str(v).strip() for v in frame[column] if v is not None and str(v).strip()]
        out.append(bool(cells) and sum(bool(_NUMERIC.match(c)) for c in cells) >= 0.8 * len(cells))
    return out


def _words(text: str) -> list[str]:
    """The pieces a line may break between: at spaces and after a hyphen ("Self-|efficacy")."""
    return [w for w in re.split(r"\s+|(?<=-)", text) if w]


def column_widths(frame: pd.DataFrame, *, total_mm: float = _TEXT_MM) -> list[float]:
    """Column widths (mm) that fit ``total_mm``: each column at least as wide as its longest
    word (numbers: their longest cell, so they never wrap; headers wrap between words); what
    is left goes to the text columns in proportion to how much they would otherwise wrap."""
    numeric = numeric_columns(frame)
    natural, minimum = _column_measures(frame, numeric)
    if sum(natural) <= total_mm:
        grow = [not n for n in numeric] if not all(numeric) else [True] * len(numeric)
        spare = (total_mm - sum(natural)) / sum(grow)
        return [w + spare * g for w, g in zip(natural, grow)]
    if sum(minimum) >= total_mm:
        return _squeezed(minimum, numeric, total_mm)
    wish = [n - m for n, m in zip(natural, minimum)]
    spare = total_mm - sum(minimum)
    return [m + spare * w / sum(wish) for m, w in zip(minimum, wish)]


def _column_measures(frame: pd.DataFrame, numeric: list[bool]) -> tuple[list[float], list[float]]:
    """Each column's width without wrapping, and the narrowest it may be (mm)."""
    natural, minimum = [], []
    for column, is_number in zip(frame.columns, numeric):
        cells = ["" if v is None else str(v) for v in frame[column]]
        header_words = _words(str(column)) or [""]
        longest_cell = max((len(line) for c in cells for line in c.split("\n")), default=0)
        longest_word = max((len(w) for c in cells for w in _words(c)), default=0)
        header = max(map(len, header_words)) * _CHAR_MM * 1.1  # bold; a header wraps between words
        natural.append(max(longest_cell * _CHAR_MM, header) + _PAD_MM)
        minimum.append(max((longest_cell if is_number else longest_word) * _CHAR_MM, header) + _PAD_MM)
    return natural, minimum


def _squeezed(minimum: list[float], numeric: list[bool], total_mm: float) -> list[float]:
    """Too many columns: numbers keep their width, text columns share what is left
    (breaking their longest words only when even that is not enough)."""
    fixed = sum(m for m, n in zip(minimum, numeric) if n)
    text = sum(m for m, n in zip(minimum, numeric) if not n)
    if fixed >= total_mm or not text:
        return [w * total_mm / sum(minimum) for w in minimum]
    return [m if n else m * (total_mm - fixed) / text for m, n in zip(minimum, numeric)]


# -- DOCX -----------------------------------------------------------------------------------
def write_docx(blocks: list[Block], path: Path, *, lang: str) -> Path:
    """Write a Word document that opens without repair in Word and LibreOffice."""
    from docx.enum.text import WD_BREAK

    doc = _new_docx(blocks, lang)
    docx = _Docx(doc, headings=[b for b in blocks if b.kind == "heading" and b.level <= 2])  # chapters, sections
    body, page_break = doc.element.body, False
    for block in blocks:
        if block.kind == "pagebreak":
            page_break = True  # on the next paragraph: an empty paragraph could itself spill onto a page
            continue
        first = len(body) - 1  # new content goes before the section properties, the body's last element
        getattr(docx, block.kind)(block)
        if page_break:
            _break_before(doc, body[first], WD_BREAK)
            page_break = False
    doc.save(str(path))
    return path


def _new_docx(blocks: list[Block], lang: str):
    """An A4 portrait document: Arial 10 pt, the text's language, fields refreshed on opening, page numbers."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(_PAGE_MM[0]), Mm(_PAGE_MM[1])
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(_MARGIN_MM))
    normal = doc.styles["Normal"]
    # Arial: on every Windows/Word, and LibreOffice substitutes the metric-compatible Liberation
    # Sans, so the table widths below hold in both (Calibri would fall back to the wider DejaVu).
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    # Language of the text, so Word's spell checker uses Indonesian (or English).
    rpr = normal.element.get_or_add_rPr()
    lang_el = OxmlElement("w:lang")
    lang_el.set(qn("w:val"), "id-ID" if lang == "id" else "en-GB")
    rpr.append(lang_el)
    # Word and LibreOffice refresh the table of contents (page numbers) when the file opens.
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    doc.settings.element.append(update)
    cover = next((b for b in blocks if b.kind == "cover"), None)
    doc.core_properties.title = " — ".join(cover.items[:2]) if cover else ""
    doc.core_properties.author = "evalkit"
    doc.core_properties.language = "id-ID" if lang == "id" else "en-GB"
    _page_numbers(section, OxmlElement, qn)
    return doc


class _Docx:
    """One method per block kind, each adding that block to the document."""

    def __init__(self, doc, *, headings: list[Block]):
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Inches, Mm, Pt

        self.doc, self.headings = doc, headings
        self.OxmlElement, self.qn, self.Inches, self.Mm, self.Pt = OxmlElement, qn, Inches, Mm, Pt

    def heading(self, block: Block) -> None:
        self.doc.add_heading(block.text, level=max(1, min(block.level, 3)))

    def para(self, block: Block) -> None:
        self.doc.add_paragraph(block.text)

    def note(self, block: Block) -> None:
        run = self.doc.add_paragraph().add_run(block.text)
        run.italic, run.font.size = True, self.Pt(8.5)

    def bullets(self, block: Block) -> None:
        for item in block.items:
            self.doc.add_paragraph(item, style="List Bullet")

    def image(self, block: Block) -> None:
        self.doc.add_picture(str(block.image), width=self.Inches(min(block.width, 6.3)))
        self.doc.paragraphs[-1].paragraph_format.keep_with_next = True
        _caption(self.doc, block.text, self.Pt)

    def table(self, block: Block) -> None:
        _table(self.doc, block, self.Pt, self.Mm, self.OxmlElement, self.qn)

    def cover(self, block: Block) -> None:
        _cover(self.doc, block, self.Pt)

    def toc(self, block: Block) -> None:
        _toc(self.doc, block, self.headings, self.Pt, self.Mm, self.OxmlElement, self.qn)

    def signature(self, block: Block) -> None:
        _signature(self.doc, block, self.Mm, self.OxmlElement, self.qn)


def _caption(doc, text: str, Pt) -> None:
    if text:
        run = doc.add_paragraph().add_run(text)
        run.italic = True
        run.font.size = Pt(9)


def _field(paragraph, instruction: str, shown: str, OxmlElement, qn) -> None:
    """A Word field (``fldChar`` begin / instruction / separate / result / end) in one paragraph."""
    def fld(kind):
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            el.set(qn("w:dirty"), "true")  # stale: update on open
        return el

    run = paragraph.add_run()
    run._r.append(fld("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    paragraph.add_run()._r.append(fld("separate"))
    paragraph.add_run(shown)
    paragraph.add_run()._r.append(fld("end"))


def _page_numbers(section, OxmlElement, qn) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(paragraph, "PAGE", "1", OxmlElement, qn)


def _break_before(doc, element, WD_BREAK) -> None:
    from docx.text.paragraph import Paragraph

    if element.tag.endswith("}p"):
        Paragraph(element, doc._body).paragraph_format.page_break_before = True
    else:  # a table: a break paragraph in front of it
        paragraph = doc.add_paragraph()
        paragraph.add_run().add_break(WD_BREAK.PAGE)
        element.addprevious(paragraph._p)


def _toc(doc, block: Block, headings: list[Block], Pt, Mm, OxmlElement, qn) -> None:
    """A real TOC field, pre-filled with the headings (without page numbers) so it reads
    right before it is updated; Word and LibreOffice fill in the page numbers on update."""
    title = doc.add_paragraph().add_run(block.text)
    title.bold, title.font.size = True, Pt(14)
    first = doc.add_paragraph()
    _field(first, r'TOC \o "1-2" \h \z \u', "", OxmlElement, qn)
    end = first._p[-1]  # the field's end mark moves to the last entry
    first._p.remove(end)
    paragraph = first
    for i, heading in enumerate(headings):
        paragraph = first if i == 0 else doc.add_paragraph()
        paragraph.paragraph_format.left_indent = Mm(6 * (heading.level - 1))
        paragraph.paragraph_format.space_after = Pt(2)
        run = paragraph.add_run(heading.text)
        run.bold = heading.level == 1
    paragraph._p.append(end)
    if block.items:
        run = doc.add_paragraph().add_run(block.items[0])
        run.italic, run.font.size = True, Pt(8.5)


def _cover(doc, block: Block, Pt) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    sizes = (20, 16, 12, 12, 12)
    spacing = (150, 12, 60, 12, 150)
    for text, size, before in zip(block.items, sizes, spacing):
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_before = Pt(before)
        run = paragraph.add_run(text)
        run.bold, run.font.size = size >= 16 or text.isupper(), Pt(size)
    if block.text:
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_before = Pt(24)
        run = paragraph.add_run(block.text)
        run.italic, run.font.size = True, Pt(8.5)


def _repeat_header(row, OxmlElement, qn) -> None:
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _no_split(row, OxmlElement, qn) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _table(doc, block: Block, Pt, Mm, OxmlElement, qn) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    frame = block.table
    if block.text:
        caption = doc.add_paragraph()
        caption.paragraph_format.keep_with_next = True
        caption.add_run(block.text).bold = True
    widths = [Mm(w) for w in column_widths(frame)]
    right = numeric_columns(frame)
    table = doc.add_table(rows=1, cols=len(frame.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = width
    _repeat_header(table.rows[0], OxmlElement, qn)
    rows = [[str(c) for c in frame.columns]] + [["" if v is None else str(v) for v in values]
                                                for values in frame.itertuples(index=False)]
    for i, values in enumerate(rows):
        row = table.rows[0] if i == 0 else table.add_row()
        _no_split(row, OxmlElement, qn)
        for cell, value, width, is_number in zip(row.cells, values, widths, right):
            cell.width = width
            paragraph = cell.paragraphs[0]
            if is_number:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.paragraph_format.keep_with_next = i == 0  # the header stays with the first row
            run = paragraph.add_run(value)
            run.font.size = Pt(_TABLE_PT)
            run.bold = i == 0
    doc.add_paragraph()


def _signature(doc, block: Block, Mm, OxmlElement, qn) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    cells = list(block.table.iloc[0])
    table = doc.add_table(rows=1, cols=len(cells))
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    table._tbl.tblPr.append(borders)
    _no_split(table.rows[0], OxmlElement, qn)
    for cell, text in zip(table.rows[0].cells, cells):
        cell.width = Mm(_TEXT_MM / len(cells))
        lines = str(text).split("\n")
        cell.paragraphs[0].text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)
        for paragraph in cell.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.keep_with_next = True


# -- HTML -----------------------------------------------------------------------------------
_CSS = """
body{font-family:Calibri,"DejaVu Sans",Arial,sans-serif;max-width:48em;margin:2em auto;padding:0 1em;line-height:1.45;
color:#222}
h1,h2,h3,h4{color:#0b3d62;line-height:1.2}
header.cover{text-align:center;margin:4em 0 3em} header.cover .t0{font-size:1.8em;font-weight:bold}
header.cover .t1{font-size:1.4em;font-weight:bold;margin:.5em 0 2em} header.cover p{white-space:pre-line}
nav.toc ol{list-style:none;padding-left:1.2em} nav.toc a{text-decoration:none;color:#0b3d62}
table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:.85em} th,td{border:1px solid #bbb;padding:.25em .5em;
vertical-align:top;text-align:left} th{background:#eef3f7}
table.sig td{border:0;text-align:center;white-space:pre-line;padding:0 3em}
figure{margin:1em 0 2em} img{max-width:100%;height:auto} figcaption,.caption{font-style:italic;font-size:.9em;color:#444}
p.note{font-style:italic;font-size:.85em;color:#444}
hr.page{border:0;border-top:1px dashed #ccc;margin:2.5em 0}
"""
_MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}


def write_html(blocks: list[Block], path: Path, *, lang: str) -> Path:
    """Write one HTML file with every chart embedded (base64), viewable offline in a browser."""
    cover = next((b for b in blocks if b.kind == "cover"), None)
    title = " — ".join(cover.items[:2]) if cover else "evalkit"
    parts = [f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
             f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{html.escape(title)}</title>\n'
             f"<style>{_CSS}</style>\n</head>\n<body>"]
    page = _Html(blocks)
    parts += [getattr(page, block.kind)(block, html.escape(block.text), len(parts) + i)
              for i, block in enumerate(blocks)]
    parts.append("</body>\n</html>\n")
    Path(path).write_text("\n".join(parts), encoding="utf-8")
    return path


class _Html:
    """One method per block kind, each returning that block's HTML (``text``: its escaped text)."""

    def __init__(self, blocks: list[Block]):
        self.blocks = blocks
        self.anchors = {id(b): f"s{i}" for i, b in enumerate(blocks) if b.kind == "heading"}

    def heading(self, block: Block, text: str, number: int) -> str:
        level = min(block.level + 1, 4)
        return f'<h{level} id="{self.anchors[id(block)]}">{text}</h{level}>'

    def para(self, block: Block, text: str, number: int) -> str:
        return f"<p>{text}</p>"

    def note(self, block: Block, text: str, number: int) -> str:
        return f'<p class="note">{text}</p>'

    def bullets(self, block: Block, text: str, number: int) -> str:
        return "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in block.items) + "</ul>"

    def pagebreak(self, block: Block, text: str, number: int) -> str:
        return '<hr class="page">'

    def image(self, block: Block, text: str, number: int) -> str:
        data = base64.b64encode(Path(block.image).read_bytes()).decode("ascii")
        mime = _MIME.get(Path(block.image).suffix.lower(), "image/png")
        return f'<figure><img src="data:{mime};base64,{data}" alt="{text}"><figcaption>{text}</figcaption></figure>'

    def table(self, block: Block, text: str, number: int) -> str:
        return _html_table(block, text, number)

    def cover(self, block: Block, text: str, number: int) -> str:
        lines = "".join(f'<p class="t{i}">{html.escape(line)}</p>' for i, line in enumerate(block.items))
        return f'<header class="cover">{lines}<p class="note">{text}</p></header>'

    def toc(self, block: Block, text: str, number: int) -> str:
        entries = "".join(f'<li style="margin-left:{(b.level - 1) * 1.2}em"><a href="#{self.anchors[id(b)]}">'
                          f"{html.escape(b.text)}</a></li>" for b in self.blocks
                          if b.kind == "heading" and b.level <= 2)
        return f'<nav class="toc"><h2>{text}</h2><ol>{entries}</ol></nav>'

    def signature(self, block: Block, text: str, number: int) -> str:
        cells = "".join(f"<td>{html.escape(str(c))}</td>" for c in block.table.iloc[0])
        return f'<table class="sig"><tr>{cells}</tr></table>'


def _html_table(block: Block, caption: str, number: int) -> str:
    """Cells stay plain ``<td>``: the columns' alignment is one small style rule per table."""
    right = numeric_columns(block.table)
    cells = ",".join(f"#t{number} td:nth-child({j + 1})" for j, r in enumerate(right) if r)
    style = f"<style>{cells}{{text-align:right;white-space:nowrap}}</style>" if cells else ""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in block.table.columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in row) + "</tr>"
                   for row in block.table.itertuples(index=False))
    caption = f'<p class="caption">{caption}</p>' if caption else ""
    return f'{caption}{style}<table id="t{number}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
