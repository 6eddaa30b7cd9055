"""The ``network`` item type and the ``action`` key of behaviour items: the model, the
bundled questionnaire, and every mistake reported with its FILE:LINE."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import evalkit
from evalkit import QuestionnaireError

FIXTURE = Path(__file__).parents[1] / "review" / "data" / "tindak_lanjut.yaml"


def test_bundled_network_item_and_actions(q):
    jejaring = q.item("jejaring")
    assert jejaring.type == "network" and jejaring.scale is None and jejaring.waves == ("pre", "followup")
    assert jejaring.option_codes == tuple(g.code for g in q.groups) + ("kanwil", "komnas", "lbh", "desa", "ppa")
    assert [o.code for o in jejaring.institutions] == ["kanwil", "komnas", "lbh", "desa", "ppa"]
    assert jejaring.text["id"].startswith("Dengan siapa Anda bekerja sama dalam urusan HAM dalam 3 bulan terakhir?")
    actions = {i.id: i.action for i in q.items_in("tindakan")}
    assert actions == {"t01": None, "t02": "advocacy", "t03": "protection", "t04": None, "t05": "advocacy",
                       "t06": "advocacy", "t07": "protection", "t08": "advocacy"}
    for item in q.items_in("tindakan"):
        assert item.text["id"].startswith("Sejak mengikuti pelatihan") and item.text["en"].startswith("Since")
    # the learning scales are asked again at the follow-up, so that retention can be measured
    assert all("followup" in s.waves for s in q.scales if s.level == "learning")


def test_more_groups_keep_the_network_options_in_step(q):
    wide = q.with_groups(12)
    codes = wide.item("jejaring").option_codes
    assert codes[:12] == tuple(g.code for g in wide.groups) and codes[12:] == ("kanwil", "komnas", "lbh", "desa", "ppa")
    assert q.item("jejaring").option_codes[:10] == tuple(g.code for g in q.groups)  # the original unchanged


def _problems(tmp_path, text):
    path = tmp_path / "salah.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QuestionnaireError) as info:
        evalkit.load_questionnaire(path)
    return path, info.value.problems


def _line(text, needle):
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


BASE = FIXTURE.read_text(encoding="utf-8")


@pytest.mark.parametrize("old, new, needle, expected", [
    ("    action: advocacy\n", "    action: advokasi\n", "action: advokasi",
     r"items\[b1\]\.action: nilai 'advokasi' tidak dikenal; yang diperbolehkan: advocacy, protection"),
    ("    reverse: true\n", "    reverse: true\n    action: protection\n", "reverse: true",
     r"items\[b4\]\.action: butir 'action' tidak boleh reverse"),
    ("  - {id: s01, scale: sikap, type: likert, points: 5,", "  - {id: s01, scale: sikap, type: likert, points: 5, "
     "action: advocacy,", "id: s01", r"items\[s01\]\.action: 'action' hanya berlaku untuk butir skala berjenjang "
     r"behaviour; skala 'sikap' berjenjang 'learning'"),
    ("      - {code: y, id:", "      - {code: G2, id:", "code: G2, id",
     r"items\[jejaring\]\.institutions\[G2\]\.code: kode lembaga 'G2' sudah dipakai sebagai kode kelompok"),
    ("    type: network\n", "    type: network\n    scale: tindakan\n", "type: network",
     r"items\[jejaring\]\.scale: butir jejaring \(network\) tidak diberi skor"),
    ("    institutions:\n", "    options: [a, b]\n    institutions:\n", "options: [a, b]",
     r"items\[jejaring\]\.options: kunci 'options' tidak berlaku untuk jenis network"),
    ("    institutions:\n      - {code: x, id: \"Lembaga X\", en: \"Institution X\"}\n"
     "      - {code: y, id: \"Lembaga Y\", en: \"Institution Y\"}\n", "    institutions: Komnas\n",
     "institutions: Komnas", r"items\[jejaring\]\.institutions: harus berupa daftar lembaga \{code, id, en\}"),
])
def test_mistakes_name_file_line_and_key(tmp_path, old, new, needle, expected):
    assert old in BASE
    text = BASE.replace(old, new, 1)
    path, problems = _problems(tmp_path, text)
    line = _line(text, needle) + (needle in ("reverse: true", "type: network"))  # the line added below it
    assert any(re.match(rf"{re.escape(str(path))}:{line}: {expected}", p) for p in problems), problems


def test_network_needs_groups_and_action_needs_a_scale(tmp_path):
    text = re.sub(r"groups:\n(  - .*\n)+", "", BASE)
    path, problems = _problems(tmp_path, text)
    assert any(re.match(rf"{re.escape(str(path))}:{_line(text, 'type: network')}: items\[jejaring\]\.type: butir "
                        r"jejaring memerlukan daftar 'groups'", p) for p in problems), problems
    text = BASE.replace("  - id: b1\n    scale: tindakan\n", "  - id: b1\n", 1)
    path, problems = _problems(tmp_path, text)
    assert any(re.match(rf"{re.escape(str(path))}:{_line(text, 'action: advocacy')}: items\[b1\]\.action: 'action' "
                        r"hanya berlaku", p) for p in problems), problems


def test_english_message(tmp_path):
    evalkit.set_language("en")
    text = BASE.replace("    action: advocacy\n", "    action: advokasi\n", 1)
    _, problems = _problems(tmp_path, text)
    assert any("items[b1].action: unknown value 'advokasi'; allowed: advocacy, protection (did you mean 'advocacy'?)"
               in p for p in problems), problems


def test_network_answers_are_read_like_multi_select(q):
    import pandas as pd

    pre = pd.read_csv(evalkit.bundled_sample("pre"), dtype=str, keep_default_na=False)
    cells = ["G01 kanwil", "Komnas HAM, Kanwil Kementerian HAM Lampung", "", "ppa g03"]
    frame = pre.head(4).assign(jejaring=cells)
    data = evalkit.io.validate_responses(frame, q, wave="pre").data
    # codes or labels (Google Forms joins labels with ", "), in the options' order; blank stays missing
    assert data["jejaring"].astype(object).where(data["jejaring"].notna(), None).tolist() == [
        "G01 kanwil", "kanwil komnas", None, "G03 ppa"]
    frame.loc[1, "jejaring"] = "G01 pemda"
    with pytest.raises(evalkit.DataError, match=r"<DataFrame>:3: kolom 'jejaring': jawaban tidak dikenal: "
                                                r"'G01 pemda'; yang diperbolehkan: G01 \(Kelompok Perempuan"):
        evalkit.io.validate_responses(frame, q, wave="pre")
