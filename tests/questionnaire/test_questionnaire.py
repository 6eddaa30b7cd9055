"""Loading and validating questionnaires: the bundled one, and each kind of mistake."""

from __future__ import annotations

import re

import pytest

import evalkit
from evalkit import QuestionnaireError
from evalkit._i18n import language


def _load_variant(tmp_path, text):
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QuestionnaireError) as info:
        evalkit.load_questionnaire(path)
    return path, info.value


def _line_of(text, needle, nth=1):
    """1-based line of the nth occurrence of needle."""
    hits = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[nth - 1]


def test_bundled_questionnaire_content(q):
    assert q.id == "ham_awareness"
    assert q.languages == ("id", "en")
    assert {"pengetahuan", "sikap", "mengenali", "mengadvokasi", "melindungi", "partisipasi"} <= {
        s.id for s in q.scales}
    knowledge = q.items_in("pengetahuan")
    assert len(knowledge) >= 12 and all(i.keyed for i in knowledge)
    for scale in ("sikap", "mengenali", "mengadvokasi", "melindungi", "partisipasi"):
        items = q.items_in(scale)
        assert len(items) >= 4 and any(i.reverse for i in items), scale
    assert q.scale("kepuasan").waves == ("post",) and q.scale("kepuasan").level == "reaction"
    assert len(q.groups) == 10
    # every text in both languages
    for item in q.items:
        assert item.text["id"] and item.text["en"]


@pytest.mark.parametrize(
    "old, new, needle, expected",
    [
        ("type: single_choice", "type: single_choise", "type: single_choise",
         r"items\[k01\]\.type: nilai 'single_choise' tidak dikenal; yang diperbolehkan: single_choice, .*maksud Anda 'single_choice'"),
        ("    key: b\n", "    key: z\n", "key: z", r"items\[k01\]\.key: kunci jawaban 'z' bukan salah satu opsi; yang diperbolehkan: a, b, c, d"),
        ("  - id: k02\n", "  - id: k01\n", "- id: k01", r"items\[k01\]\.id: id 'k01' sudah dipakai di baris \d+"),
        ("    scale: sikap\n", "    scale: sikapp\n", "scale: sikapp", r"items\[s01\]\.scale: nilai 'sikapp' tidak dikenal; yang diperbolehkan: .*maksud Anda 'sikap'"),
        ("level: learning", "level: learnig", "level: learnig", r"scales\[pengetahuan\]\.level: nilai 'learnig' tidak dikenal; yang diperbolehkan: reaction, learning, behaviour"),
        ("scoring: percent_correct", "scoring: percent", "scoring: percent", r"scales\[pengetahuan\]\.scoring: nilai 'percent' tidak dikenal; yang diperbolehkan: percent_correct, mean, sum"),
    ],
)
def test_mistakes_are_reported_with_file_line_and_key(tmp_path, yaml_text, old, new, needle, expected):
    assert old in yaml_text
    text = yaml_text.replace(old, new, 1)
    path, error = _load_variant(tmp_path, text)
    nth = 2 if new == "  - id: k01\n" else 1
    line = _line_of(text, needle, nth)
    assert any(re.match(rf"{re.escape(str(path))}:{line}: {expected}", p) for p in error.problems), error.problems


def test_missing_translation(tmp_path):
    text = """
id: t
version: "1"
title: {id: Judul}
languages: [id, en]
participant: {id_column: kode, group_column: kelompok}
scales:
  - {id: pengetahuan, label: {id: P, en: K}, level: learning, scoring: percent_correct}
items:
  - id: k01
    scale: pengetahuan
    type: true_false
    text: {id: Soal, en: Question}
    key: B
"""
    path, error = _load_variant(tmp_path, text)
    assert f"{path}:4: title.en: terjemahan 'en' tidak ada; yang diperbolehkan: id, en" in error.problems


def test_every_problem_is_listed_at_once(tmp_path, yaml_text):
    text = yaml_text.replace("type: single_choice", "type: single", 1).replace("level: reaction", "level: x")
    _, error = _load_variant(tmp_path, text)
    assert len(error.problems) == 3  # header + the two mistakes
    assert [p.code for p in error.problems] == ["EK-QN-031", "EK-QN-004", "EK-QN-004"]  # header, 2 bad values


def test_english_messages(tmp_path, yaml_text):
    text = yaml_text.replace("    key: b\n", "    key: z\n", 1)
    with language("en"):
        _, error = _load_variant(tmp_path, text)
    assert any("answer key 'z' is not among the options; allowed: a, b, c, d" in p for p in error.problems)


def test_yaml_syntax_error_has_line(tmp_path):
    path, error = _load_variant(tmp_path, "id: x\ntitle: [unclosed\nitems: 1\n")
    assert error.code == "EK-QN-034" and re.match(rf"{re.escape(str(path))}:\d+: ", error.problems[0])


def test_python_tags_are_not_constructed(tmp_path):
    path, error = _load_variant(tmp_path, "id: !!python/object/apply:os.system ['echo hacked']\n")
    assert error.code == "EK-QN-034" and "[EK-QN-034]" in str(error)


def test_billion_laughs_is_refused(tmp_path):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        refs = ",".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    path, error = _load_variant(tmp_path, "\n".join(lines) + "\n")
    assert error.code == "EK-QN-035" and str(path) in str(error)


def test_missing_file():
    with pytest.raises(QuestionnaireError, match=r"EK-QN-036\] tidak_ada\.yaml"):
        evalkit.load_questionnaire("tidak_ada.yaml")


def test_summary_lists_scales(q):
    text = q.summary(lang="en")
    assert "pengetahuan" in text and "percent_correct" in text and "waves pre, post" in text


BASE = """\
id: mini
version: "1"
title: {id: Judul, en: Title}
languages: [id, en]
waves: [pre, post]
participant: {id_column: kode, group_column: kelompok, personal_columns: [nama]}
likert_labels:
  s3: {id: [Tidak, Ragu, Ya], en: [No, Unsure, Yes]}
scales:
  - {id: tahu, label: {id: Tahu, en: Know}, level: learning, scoring: percent_correct}
  - id: sikap
    label: {id: Sikap, en: Attitude}
    level: learning
    scoring: mean
    defaults: {type: likert, points: 3, labels: s3}
items:
  - id: k1
    scale: tahu
    type: single_choice
    text: {id: S, en: Q}
    options:
      - {code: a, id: A, en: A}
      - {code: b, id: B, en: B}
    key: a
  - {id: k2, scale: tahu, type: true_false, text: {id: S, en: Q}, key: salah}
  - {id: umur, type: numeric, text: {id: U, en: A}, min: 10, max: 90}
  - {id: s1, scale: sikap, text: {id: S, en: Q}}
"""


@pytest.mark.parametrize("text", [BASE, BASE.replace("points: 3, labels: s3", "labels: s3")])
def test_mini_base_loads(tmp_path, text):
    path = tmp_path / "mini.yaml"
    path.write_text(text, encoding="utf-8")
    q = evalkit.load_questionnaire(path)
    assert q.item("k2").key == ("S",)  # keys accept the same spellings as answers
    # YAML 1.2 booleans: No/Yes stay text; the number of points comes from the label set
    assert [o.label("en") for o in q.item("s1").options] == ["No", "Unsure", "Yes"]


@pytest.mark.parametrize("old, new, expected", [
    ("defaults: {type: likert, points: 3, labels: s3}", "defaults: {type: likert, points: 3, labels: s3, waves: [post]}",
     r":15: scales\[sikap\]\.defaults\.waves: kunci 'waves' tidak dikenal"),
    ("min: 10, max: 90}", "min: 90, max: 10}", r":26: items\[umur\]\.min: min \(90\) lebih besar daripada max \(10\)"),
    ("min: 10, max: 90}", "min: 10, max: 90, key: tiga}", r":26: items\[umur\]\.key: harus berupa angka"),
    ("min: 10, max: 90}", "min: 10, max: 90, key: 95}", r":26: items\[umur\]\.key: nilai 95 di luar rentang; yang diperbolehkan: 10 \.\. 90"),
    ("id: mini", 'id: "mini\\n"', r":1: id: id 'mini\\n' tidak sah"),
    ("languages: [id, en]", "languages: [en, id]", r":4: languages\[1\]: bahasa pertama harus 'id'"),
    ("languages: [id, en]", "languages: [id, en, en]", r":4: languages\[3\]: 'en' disebut lebih dari sekali"),
    ("en: [No, Unsure, Yes]", "en: [No, Yes]", r":8: likert_labels\.s3\.en: bahasa 'en' punya 2 label, bahasa 'id' punya 3"),
    ("points: 3, labels: s3", "points: 4, labels: s3", r":27: items\[s1\]\.labels: himpunan label 's3' berisi 3 label untuk 4 poin"),
    ("{code: b, id: B, en: B}", "{code: b, id: B, en: B, jv: B}", r":23: items\[k1\]\.options\[b\]\.jv: kunci 'jv' tidak dikenal"),
    ("waves: [pre, post]", "waves: [post]", r":5: waves: gelombang 'pre' wajib ada"),
    ("{code: b, id: B, en: B}", "{code: true, id: B, en: B}", r":23: items\[k1\]\.options\[2\]\.code: id True tidak sah"),
    ("{code: b, id: B, en: B}", "{code: b x, id: B, en: B}", r":23: items\[k1\]\.options\[b x\]\.code: id 'b x' tidak sah"),
    ("    key: a\n", "    key: a\n    key: b\n", r":25: items\[k1\]\.key: kunci 'key' ditulis dua kali"),
    ("id_column: kode", "id_column: umur", r":26: items\[umur\]\.id: kolom 'umur' juga dipakai sebagai participant\.id_column"),
    ("{type: likert, points: 3, labels: s3}", "{type: likert}", r":27: items\[s1\]\.points: kunci wajib tidak ada"),
    ("description", "description", None),
])
def test_more_mistakes(tmp_path, old, new, expected):
    if expected is None:  # a malformed top-level description is reported too
        text, expected = BASE.replace("title:", "description: 5\ntitle:"), r":3: description: harus berupa teks per bahasa"
    else:
        assert old in BASE
        text = BASE.replace(old, new, 1)
    _, error = _load_variant(tmp_path, text)
    assert any(re.search(expected, p) for p in error.problems), error.problems
    assert len(error.problems) == 2, error.problems  # reported once


def test_trailing_empty_columns_are_ignored(tmp_path, q):
    import pandas as pd

    pre = pd.read_csv(evalkit.bundled_sample("pre"), dtype=str, keep_default_na=False)
    path = tmp_path / "trailing.csv"
    path.write_text("\n".join(line + ";;" for line in pre.to_csv(index=False, sep=";").splitlines()), encoding="utf-8")
    assert evalkit.read_responses(path, q, wave="pre").rows_read == len(pre)
