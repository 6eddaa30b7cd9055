"""The report's structure as one declarative outline, in the order a *Laporan Evaluasi
Pelatihan* is filed: cover, table of contents, executive summary, BAB I–IV, signature
block, Lampiran.

Each :class:`Section` names its title and the function that writes its body; chapters
hold sections. Numbers are not written by hand: :func:`render_outline` numbers chapters
("BAB III"), sections ("3.2"), annexes ("Lampiran 2"), tables and figures ("Tabel 4"), and
resolves ``{ref:key}`` citations in the text (a table or figure's ``key``, or
``section_<key>`` for a numbered section: "BAB II", "2.4", "Lampiran 3"). A follow-up or roll-up chapter slots in with
:func:`insert_section` without renumbering anything by hand.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

from .._i18n import tr
from ._content import Block
from ._info import ReportInfo
from ._verdict import criteria_table, default_criteria, findings

_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
_T = {
    "chapter": {"id": "BAB {n} {title}", "en": "CHAPTER {n} {title}"},
    "annex": {"id": "Lampiran {n}. {title}", "en": "Annex {n}. {title}"},
    "table": {"id": "Tabel {n}", "en": "Table {n}"},
    "figure": {"id": "Gambar {n}", "en": "Figure {n}"},
}


@dataclasses.dataclass
class Context:
    """Everything a section body may draw on, computed once."""

    analysis: object
    tables: dict
    charts: dict[str, Path]
    info: ReportInfo
    k: int
    lang: str

    def __post_init__(self):
        self.q = self.analysis.questionnaire
        self.criteria = self.info.criteria or default_criteria(self.q)
        self.verdicts = criteria_table(self.tables["gains"], self.criteria)
        self.findings = findings(self.tables, self.criteria)


@dataclasses.dataclass(frozen=True)
class Section:
    """One part of the report.

    ``kind``: ``front`` (unnumbered: cover, contents, summary), ``chapter`` (BAB n),
    ``annex`` (the Lampiran, whose sections are numbered "Lampiran n"), or ``section``
    (inside a chapter or the annex). ``body`` returns the blocks under the heading;
    ``when`` leaves the section out when it returns False (e.g. no follow-up data).
    """

    key: str
    title: Mapping[str, str] | None = None
    body: Callable[[Context], list[Block]] | None = None
    children: tuple[Section, ...] = ()
    kind: str = "section"
    new_page: bool = False
    when: Callable[[Context], bool] | None = None


def insert_section(outline: tuple[Section, ...], section: Section, *, after: str) -> tuple[Section, ...]:
    """A copy of ``outline`` with ``section`` placed after the section keyed ``after``, at
    the same depth (a chapter after a chapter, a section inside the same chapter).

    Examples
    --------
    >>> from evalkit.report._document import OUTLINE
    >>> followup = Section("followup", {"id": "Tindak Lanjut", "en": "Follow-up"}, kind="chapter", new_page=True)
    >>> [s.key for s in insert_section(OUTLINE, followup, after="results")][5:8]
    ['results', 'followup', 'conclusions']
    """
    out = []
    for s in outline:
        out.append(dataclasses.replace(s, children=insert_section(s.children, section, after=after))
                   if s.children else s)
        if s.key == after:
            out.append(section)
    return tuple(out)


def render_outline(outline: tuple[Section, ...], ctx: Context) -> list[Block]:
    """The blocks of every section in order, numbered, citations resolved."""
    blocks: list[Block] = []
    for section in outline:
        blocks += _section_blocks(section, ctx, depth=1)
    return _number(blocks, ctx.lang)


def _section_blocks(section: Section, ctx: Context, *, depth: int) -> list[Block]:
    if section.when is not None and not section.when(ctx):
        return []
    out = [Block("pagebreak")] if section.new_page else []
    if section.title is not None:
        numbered = section.kind in ("chapter", "annex") or (section.kind == "section" and depth == 2)
        out.append(Block("heading", tr(section.title, ctx.lang), level=depth, numbered=numbered,
                         key=f"{section.kind}:{section.key}"))
    if section.body is not None:
        out += section.body(ctx)
    for child in section.children:
        out += _section_blocks(child, ctx, depth=depth + 1)
    return out


def _number(blocks: list[Block], lang: str) -> list[Block]:
    """Chapter and section numbers on headings, "Tabel n" / "Gambar n" on captions, then
    ``{ref:key}`` in text replaced by the number of the table or figure it names."""
    chapter, section, annex, in_annex = 0, 0, 0, False
    counts = {"table": 0, "image": 0}
    refs: dict[str, str] = {}
    out = []
    for block in blocks:
        if block.kind == "heading" and block.numbered and block.level == 1:
            in_annex = block.key.startswith("annex:")
            if not in_annex:
                chapter, section = chapter + 1, 0
                label = tr(_T["chapter"], lang, n=_ROMAN[chapter - 1], title="").strip()
                block = dataclasses.replace(block, text=f"{label} {block.text}")
                refs["section_" + block.key.split(":")[-1]] = label
        elif block.kind == "heading" and block.numbered and block.level == 2:
            if in_annex:
                annex += 1
                block = dataclasses.replace(block, text=tr(_T["annex"], lang, n=annex, title=block.text))
                label = block.text.split(".")[0]
            else:
                section += 1
                label = f"{chapter}.{section}"
                block = dataclasses.replace(block, text=f"{label} {block.text}")
            refs["section_" + block.key.split(":")[-1]] = label
        elif block.kind in counts and (block.text or block.key):
            counts[block.kind] += 1
            label = tr(_T["table" if block.kind == "table" else "figure"], lang, n=counts[block.kind])
            if block.key:
                refs[block.key] = label
            block = dataclasses.replace(block, text=f"{label}. {block.text}" if block.text else label)
        out.append(block)

    def resolve(text: str) -> str:
        return re.sub(r"\{ref:([\w.-]+)\}", lambda m: refs.get(m.group(1), "–"), text)

    return [dataclasses.replace(b, text=resolve(b.text), items=[resolve(i) for i in b.items])
            if b.kind in ("para", "note", "bullets", "image") else b for b in out]


def frame(rows: list[list[str]], columns: list[str]) -> pd.DataFrame:
    """A display table (strings only), as the renderers take it."""
    return pd.DataFrame(rows, columns=columns, dtype=object)
