"""The report's words agree with its numbers (issue #18).

Reads the DOCX and the workbook `evalkit demo` wrote, as a reviewer would, and checks every
sentence, count, effect-size word and the suppression statement against the workbook's
numbers, recomputed here from the stated rule (not by calling the code that wrote them).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import evalkit

#: The rule as the method chapter states it: Holm p < 0.05 for a group, p < 0.05 for all groups.
ALPHA = 0.05
NUMBER = r"[+−-]?\d[\d.]*(?:,\d+)?"


def _paragraphs(path: Path) -> list[str]:
    from docx import Document

    doc = Document(str(path))
    return [p.text for p in doc.paragraphs if p.text.strip()]


def _table_rows(path: Path) -> list[list[str]]:
    from docx import Document

    return [[c.text for c in r.cells] for t in Document(str(path)).tables for r in t.rows]


def _value(text: str) -> float:
    return float(text.replace("−", "-").replace(".", "").replace(",", "."))


@pytest.fixture(scope="module")
def book(demo_folder) -> dict[str, pd.DataFrame]:
    return pd.read_excel(demo_folder / "gains.xlsx", sheet_name=None)


@pytest.fixture(scope="module")
def gains(book) -> pd.DataFrame:
    """The workbook's gains sheet under the code names its column dictionary gives."""
    names = dict(zip(book["kamus_kolom"]["kolom"], book["kamus_kolom"]["kode"]))
    return book["gains"].rename(columns=names)


@pytest.fixture(scope="module")
def paragraphs(demo_folder) -> list[str]:
    return _paragraphs(demo_folder / "laporan.docx")


def _sentences(paragraphs: list[str]) -> list[str]:
    return [s for p in paragraphs for s in re.split(r"(?<=[.;])\s+(?=[A-Z])", p)]


def test_no_rise_sentence_carries_a_negative_number(paragraphs):
    rising = [s for s in _sentences(paragraphs) if re.search(r"\b(naik|kenaikan)\b", s, re.I)]
    assert len(rising) > 10
    offences = []
    for sentence in rising:
        # an interval of a rise may reach below zero: its bounds are not the change itself
        plain = re.sub(rf"IK 95% {NUMBER} sampai {NUMBER}|\[{NUMBER}; {NUMBER}\]", "", sentence)
        if re.search(r"[−-]\d", plain):
            offences.append(sentence)
    assert offences == []


def test_declines_are_called_declines(paragraphs, gains, q):
    # e.g. mengenali, Kelompok Nelayan: −0,04, named under "turun" on the scale's and the group's page
    text = " ".join(paragraphs)
    fell = gains[(gains["group"] != "ALL") & (gains["mean_diff"] < 0) & ~gains["suppressed"]]
    assert len(fell)
    for r in fell.to_dict("records"):
        printed = evalkit._numbers.number(r["mean_diff"], 2 if r["scale"] != "pengetahuan" else 1, lang="id",
                                          sign=True)
        assert re.search(rf"turun[^.]*{re.escape(q.group_label(r['group'], 'id'))} \({re.escape(printed)}", text) \
            or re.search(rf"turun: [^.]*{re.escape(q.scale(r['scale']).label('id'))} \({re.escape(printed)}", text), \
            (r["scale"], r["group"], printed)


def _rule(gains: pd.DataFrame) -> pd.DataFrame:
    groups = gains[(gains["group"] != "ALL") & ~gains["suppressed"].astype(bool) & gains["mean_diff"].notna()]
    rise = (groups["p_holm"] < ALPHA) & (groups["mean_diff"] > 0)
    return groups.assign(rise=rise).groupby("scale").agg(k=("rise", "sum"), m=("rise", "size"))


def test_counts_of_significant_groups_follow_the_stated_rule(paragraphs, gains, demo_folder, q):
    expected = _rule(gains)
    found = 0
    for p in paragraphs:
        hit = re.search(r"Kenaikan bermakna \(p Holm < 0,05\) di (\d+) dari (\d+) kelompok", p)
        if hit:
            scale = next(s.id for s in q.scales if p.startswith(s.label("id") + ":"))
            assert (int(hit.group(1)), int(hit.group(2))) == tuple(expected.loc[scale]), scale
            found += 1
    assert found == len(expected)
    # the summary table and the conclusions say the same
    summary = [r for r in _table_rows(demo_folder / "laporan.docx") if len(r) == 7 and " dari " in r[5]]
    for row in summary:
        scale = next(s.id for s in q.scales if s.label("id") == row[0])
        assert row[5] == f"{expected.loc[scale, 'k']} dari {expected.loc[scale, 'm']}"
    assert len(summary) == 5
    conclusions = [p for p in paragraphs if re.search(r"bermakna di \d+ dari \d+ kelompok\.$", p)]
    for p in conclusions:
        scale = next(s.id for s in q.scales if p.startswith(s.label("id") + ":"))
        k, m = map(int, re.search(r"bermakna di (\d+) dari (\d+) kelompok", p).groups())
        assert (k, m) == tuple(expected.loc[scale])
    assert len(conclusions) == 5


def test_table_stars_follow_the_rule(demo_folder, gains, q):
    rows = _table_rows(demo_folder / "laporan.docx")
    matrix = next(i for i, r in enumerate(rows) if r[0] == "Kelompok" and r[1] == "Pengetahuan")
    criteria = ("pengetahuan", "sikap", "mengenali", "mengadvokasi", "melindungi")
    for row in rows[matrix + 1: matrix + 12]:
        group = "ALL" if row[0] == "semua kelompok" else next(g.code for g in q.groups
                                                               if q.group_label(g.code, "id") == row[0])
        for scale, cell in zip(criteria, row[1:]):
            r = gains[(gains["scale"] == scale) & (gains["group"] == group)].iloc[0]
            p = r["p"] if group == "ALL" else r["p_holm"]
            assert cell.endswith("*") == bool(p < ALPHA), (group, scale, cell)


def test_effect_words_agree_with_the_printed_value(paragraphs):
    words = {"sangat kecil": (0, 0.2), "kecil": (0.2, 0.5), "sedang": (0.5, 0.8), "besar": (0.8, 99)}
    found = re.findall(r"d_z = (−?\d+,\d+),? \(?efek (sangat kecil|kecil|sedang|besar)", " ".join(paragraphs))
    assert len(found) >= 10
    for printed, word in found:
        low, high = words[word]
        assert low <= abs(_value(printed)) < high, (printed, word)


def test_rounding_is_explained(paragraphs):
    assert any("dihitung sebelum pembulatan" in p for p in paragraphs)


def test_suppression_statement_matches_every_sheet(paragraphs, book):
    flagged = {name: int(sheet["disembunyikan"].astype(bool).sum()) for name, sheet in book.items()
               if "disembunyikan" in sheet.columns}
    stated = {m.group(1): (int(m.group(2)), int(m.group(3))) for p in paragraphs
              for m in [re.match(r"lembar buku kerja ‘(\w+)’ \([^)]*\): (\d+) dari (\d+) baris", p)] if m}
    assert stated == {name: (n, len(book[name])) for name, n in flagged.items() if n}
    assert stated["attrition"][0] == 60  # the demo's dropouts per group are too few to show


def test_suppression_statement_lists_tables_and_charts(sample_analysis, q):
    """With k = 25 most groups are hidden: every hidden sheet row and chart group is listed."""
    from evalkit import charts
    from evalkit.report import report_tables
    from evalkit.report._suppressed import suppression_statement

    k = 25
    tables = report_tables(sample_analysis, k=k)
    keys = [f"{kind}_{s}" for s in ("sikap", "pengetahuan") for kind in ("gain", "prepost")]
    _, lines = suppression_statement(tables, {key: Path("charts") / f"{key}.png" for key in keys}, k=k, lang="id")
    for name, table in tables.items():
        if isinstance(table, pd.DataFrame) and "suppressed" in table.columns and table["suppressed"].any():
            n = int(table["suppressed"].sum())
            assert f"‘{name}’" in " ".join(lines) and any(f"‘{name}’" in x and f": {n} dari {len(table)} baris" in x
                                                         for x in lines), name
    for key in keys:
        kind, scale = key.split("_")
        drawn = (charts.gain_forest if kind == "gain" else charts.prepost)(tables["gains"], q, scale=scale,
                                                                             min_group_size=k)
        note = re.search(r"(\d+) kelompok tidak ditampilkan", " ".join(t.get_text() for t in drawn.texts))
        assert any(x.startswith(f"grafik charts/{key}.png: {note.group(1)} kelompok") for x in lines), key


def test_multi_select_item_shows_both_definitions(demo_folder, book):
    rows = _table_rows(demo_folder / "laporan.docx")
    head = next(r for r in rows if r[0] == "Butir")
    assert "% benar penuh sebelum" in head and "Kredit parsial sebelum → sesudah" in head
    k12 = next(r for r in rows if r[0] == "k12")
    share_pre, credit = k12[head.index("% benar penuh sebelum")], k12[head.index("Kredit parsial sebelum → sesudah")]
    items = book["item_correct"]
    pooled = items[(items["butir"] == "k12") & (items["kode_kelompok"] == "ALL")].iloc[0]
    assert share_pre == f"{round(100 * pooled['benar_penuh_sebelum'])}%"
    assert credit == (f"{round(100 * pooled['kredit_parsial_sebelum'])}% → "
                      f"{round(100 * pooled['kredit_parsial_sesudah'])}%")
    assert share_pre != credit.split(" →")[0]  # the two definitions differ for this item
    analysis = book["item_analysis"]
    difficulty = analysis[(analysis["butir"] == "k12")]["tingkat_kesukaran"]
    assert len(difficulty) == 2  # flags and McNemar use the fully-correct share, named as such
    dictionary = book["kamus_kolom"]
    assert "benar penuh" in dictionary.loc[dictionary["kolom"] == "catatan", "arti"].iloc[0]


def test_no_english_words_in_the_indonesian_report(paragraphs, demo_folder):
    text = " ".join(paragraphs + [c for r in _table_rows(demo_folder / "laporan.docx") for c in r])
    assert re.findall(r"\b(?:[Ll]edger|followup|too_\w+|negative_discrimination|distractor_beats_key)\b", text) == []
