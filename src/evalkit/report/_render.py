"""Rendering the report blocks to DOCX (python-docx, A4) and to one self-contained HTML file."""

from __future__ import annotations

import base64
import html
from pathlib import Path

from ._content import Block

#: A4 with 25 mm margins: 160 mm (6.3 in) of text width, the width the charts are made for.
_PAGE_MM, _MARGIN_MM = (210, 297), 25


def write_docx(blocks: list[Block], path: Path, *, lang: str) -> Path:
    """Write a Word document that opens without repair in Word and LibreOffice."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Inches, Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(_PAGE_MM[0]), Mm(_PAGE_MM[1])
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(_MARGIN_MM))
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    # Language of the text, so Word's spell checker uses Indonesian (or English).
    rpr = normal.element.get_or_add_rPr()
    lang_el = OxmlElement("w:lang")
    lang_el.set(qn("w:val"), "id-ID" if lang == "id" else "en-GB")
    rpr.append(lang_el)
    doc.core_properties.title = next((b.text for b in blocks if b.kind == "heading"), "")
    doc.core_properties.author = "evalkit"
    doc.core_properties.language = "id-ID" if lang == "id" else "en-GB"
    for block in blocks:
        if block.kind == "heading":
            doc.add_heading(block.text, level=block.level)
        elif block.kind == "para":
            doc.add_paragraph(block.text)
        elif block.kind == "bullets":
            for item in block.items:
                doc.add_paragraph(item, style="List Bullet")
        elif block.kind == "pagebreak":
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif block.kind == "image":
            doc.add_picture(str(block.image), width=Inches(min(block.width, 6.3)))
            _caption(doc, block.text, Pt)
        elif block.kind == "table":
            _table(doc, block, Pt)
    doc.save(str(path))
    return path


def _caption(doc, text: str, Pt) -> None:
    if text:
        run = doc.add_paragraph().add_run(text)
        run.italic = True
        run.font.size = Pt(9)


def _table(doc, block: Block, Pt) -> None:
    frame = block.table
    if block.text:
        doc.add_paragraph().add_run(block.text).bold = True
    table = doc.add_table(rows=1, cols=len(frame.columns))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, frame.columns):
        cell.text = ""
        run = cell.paragraphs[0].add_run(str(name))
        run.bold = True
        run.font.size = Pt(8.5)
    for values in frame.itertuples(index=False):
        cells = table.add_row().cells
        for cell, value in zip(cells, values):
            cell.text = ""
            cell.paragraphs[0].add_run("" if value is None else str(value)).font.size = Pt(8.5)
    doc.add_paragraph()


_CSS = """
body{font-family:Calibri,"DejaVu Sans",Arial,sans-serif;max-width:48em;margin:2em auto;padding:0 1em;line-height:1.45;
color:#222}
h1,h2,h3{color:#0b3d62;line-height:1.2} h1.title{font-size:1.6em}
table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:.85em} th,td{border:1px solid #bbb;padding:.25em .5em;
vertical-align:top} th{background:#eef3f7;text-align:left} td{text-align:right} td:first-child{text-align:left}
figure{margin:1em 0 2em} img{max-width:100%;height:auto} figcaption,.caption{font-style:italic;font-size:.9em;color:#444}
hr.page{border:0;border-top:1px dashed #ccc;margin:2.5em 0}
"""


def write_html(blocks: list[Block], path: Path, *, lang: str) -> Path:
    """Write one HTML file with every chart embedded (base64), viewable offline in a browser."""
    title = next((b.text for b in blocks if b.kind == "heading"), "evalkit")
    parts = [f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
             f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{html.escape(title)}</title>\n'
             f"<style>{_CSS}</style>\n</head>\n<body>"]
    for block in blocks:
        text = html.escape(block.text)
        if block.kind == "heading":
            level = min(block.level + 1, 4)
            parts.append(f'<h{level}{" class=title" if block.level == 0 else ""}>{text}</h{level}>')
        elif block.kind == "para":
            parts.append(f"<p>{text}</p>")
        elif block.kind == "bullets":
            parts.append("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in block.items) + "</ul>")
        elif block.kind == "pagebreak":
            parts.append('<hr class="page">')
        elif block.kind == "image":
            data = base64.b64encode(Path(block.image).read_bytes()).decode("ascii")
            parts.append(f'<figure><img src="data:image/png;base64,{data}" alt="{text}">'
                         f"<figcaption>{text}</figcaption></figure>")
        elif block.kind == "table":
            head = "".join(f"<th>{html.escape(str(c))}</th>" for c in block.table.columns)
            body = "".join("<tr>" + "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in row)
                           + "</tr>" for row in block.table.itertuples(index=False))
            caption = f'<p class="caption">{text}</p>' if text else ""
            parts.append(f"{caption}<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    parts.append("</body>\n</html>\n")
    Path(path).write_text("\n".join(parts), encoding="utf-8")
    return path
