"""XLSForm export (checked with pyxform), import of foreign forms, round trip, and clear errors."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook

import evalkit
from evalkit import QuestionnaireError
from evalkit._i18n import language
from evalkit.cli import main
from evalkit.forms import from_xlsform, to_xlsform, write_questionnaire_yaml

pyxform = pytest.importorskip("pyxform.xls2xform")


def _sheet(path, name):
    """Rows of one sheet as dicts keyed by the header."""
    ws = load_workbook(path, read_only=True)[name]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


@pytest.mark.parametrize("kwargs", [{}, {"wave": "pre"}, {"wave": "post"}, {"include_personal": True}])
def test_export_converts_with_pyxform_without_warnings(tmp_path, q, kwargs):
    path = to_xlsform(q, tmp_path / "form.xlsx", **kwargs)
    warnings: list[str] = []
    result = pyxform.convert(str(path), warnings=warnings)
    assert warnings == []
    assert "<h:html" in result.xform and q.title["id"] in result.xform


def test_survey_choices_and_settings(tmp_path, q):
    path = to_xlsform(q, tmp_path / "form.xlsx")
    assert load_workbook(path).sheetnames == ["survey", "choices", "settings", "evalkit_scales"]
    survey = {r["name"]: r for r in _sheet(path, "survey")}
    header = list(next(iter(survey.values())))
    for column in ("type", "name", "label::Indonesian (id)", "label::English (en)", "hint::Indonesian (id)",
                   "required", "relevant", "constraint", "evalkit_scale", "evalkit_key"):
        assert column in header
    assert survey["kode_peserta"]["type"] == "text" and survey["kode_peserta"]["required"] == "yes"
    assert survey["kelompok"]["type"] == "select_one kelompok" and survey["kelompok"]["required"] == "yes"
    assert survey["gelombang"]["type"] == "select_one gelombang"
    assert "nama" not in survey and "no_hp" not in survey  # personal columns only on request
    # every item by its YAML id, in order, with the right type
    item_rows = [name for name, r in survey.items() if r.get("evalkit_scale") or name in ("usia", "saran", "jejaring")]
    assert item_rows == [i.id for i in q.items]
    assert survey["k01"]["type"] == "select_one k01" and survey["k01"]["evalkit_key"] == "b"
    assert survey["k04"]["type"] == "select_one benar_salah" and survey["k04"]["evalkit_type"] == "true_false"
    assert survey["k12"]["type"] == "select_multiple k12" and survey["k12"]["evalkit_key"] == "a c f"
    assert survey["k12"]["hint::Indonesian (id)"] == "Pilih semua yang benar."
    assert survey["s01"]["type"] == "select_one likert5" and survey["s03"]["evalkit_reverse"] == "yes"
    assert survey["t01"]["type"] == "select_one likert5_2"  # other point labels, other list
    assert survey["usia"]["type"] == "integer" and survey["usia"]["constraint"] == ". >= 15 and . <= 90"
    assert survey["saran"]["type"] == "text"
    # wave relevance: post-only items show only at post; the network item at pre and follow-up;
    # knowledge items are asked at every wave, so they have none
    assert survey["q01"]["relevant"] == "${gelombang} = 'post'"
    assert not survey["k01"].get("relevant")
    assert survey["jejaring"]["relevant"] == "${gelombang} = 'pre' or ${gelombang} = 'followup'"
    assert survey["t01"]["relevant"] == "${gelombang} = 'followup'"
    # the network item: a select_multiple over the groups, then the institutions
    assert survey["jejaring"]["type"] == "select_multiple jejaring"
    assert survey["jejaring"]["evalkit_type"] == "network" and not survey["jejaring"].get("evalkit_scale")
    assert survey["t05"]["evalkit_action"] == "advocacy" and not survey["t01"].get("evalkit_action")
    choices = _sheet(path, "choices")
    groups = [c for c in choices if c["list_name"] == "kelompok"]
    assert [c["name"] for c in groups] == [g.code for g in q.groups]
    assert groups[0]["label::Indonesian (id)"] == q.groups[0].text["id"]
    likert = [c for c in choices if c["list_name"] == "likert5"]
    assert [c["name"] for c in likert] == ["1", "2", "3", "4", "5"]
    assert likert[0]["label::Indonesian (id)"] == "Sangat tidak setuju"
    tf = [(c["name"], c["label::Indonesian (id)"]) for c in choices if c["list_name"] == "benar_salah"]
    assert tf == [("B", "Benar"), ("S", "Salah")]
    assert [c["name"] for c in choices if c["list_name"] == "gelombang"] == ["pre", "post", "followup"]
    assert [c["name"] for c in choices if c["list_name"] == "jejaring"] == \
        [g.code for g in q.groups] + ["kanwil", "komnas", "lbh", "desa", "ppa"]
    (settings,) = _sheet(path, "settings")
    assert settings["form_title"] == q.title["id"] and settings["form_id"] == "ham_awareness"
    assert settings["version"] == "1.0" and settings["default_language"] == "Indonesian (id)"


def test_one_wave_form(tmp_path, q):
    path = to_xlsform(q, tmp_path / "post.xlsx", wave="post")
    survey = {r["name"]: r for r in _sheet(path, "survey")}
    assert survey["gelombang"]["type"] == "calculate" and survey["gelombang"]["calculation"] == "'post'"
    assert "usia" not in survey and "t01" not in survey and "q01" in survey
    assert all(not r.get("relevant") for r in survey.values())
    assert _sheet(path, "settings")[0]["form_id"] == "ham_awareness_post"


def test_round_trip(tmp_path, q):
    data = from_xlsform(to_xlsform(q, tmp_path / "form.xlsx"))
    back = evalkit.load_questionnaire(write_questionnaire_yaml(data, tmp_path / "q.yaml"))
    assert back.items == q.items  # ids, types, texts, options, keys, reverse, points, bounds, waves
    assert back.scales == q.scales
    assert back.groups == q.groups
    assert (back.id, back.version, back.title, back.languages, back.waves) == (
        q.id, q.version, q.title, q.languages, q.waves)
    assert (back.id_column, back.group_column) == (q.id_column, q.group_column)


@pytest.mark.parametrize("wave", ["pre", "post", "followup"])
def test_round_trip_one_wave_form(tmp_path, q, wave):
    data = from_xlsform(to_xlsform(q, tmp_path / "form.xlsx", wave=wave))
    back = evalkit.load_questionnaire(write_questionnaire_yaml(data, tmp_path / "q.yaml"))
    assert back.id == q.id
    assert back.items == q.items_for_wave(wave)
    assert {s.id for s in back.scales} == {i.scale for i in q.items_for_wave(wave) if i.scale}


def test_personal_columns_round_trip(tmp_path, q):
    data = from_xlsform(to_xlsform(q, tmp_path / "form.xlsx", include_personal=True))
    assert data["participant"]["personal_columns"] == ["nama", "no_hp"]
    assert "nama" not in [i["id"] for i in data["items"]]


def test_foreign_form_becomes_a_skeleton_with_todos(tmp_path, write_form):
    form = write_form(
        tmp_path / "kobo.xlsx",
        survey=[("type", "name", "label", "label::English", "constraint"),
                ("start", "start", None, None, None),
                ("text", "kode", "Kode peserta", "Participant code", None),
                ("select_one grp", "kelompok", "Kelompok", "Group", None),
                ("begin_group", "bagian1", "Bagian 1", "Part 1", None),
                ("select_one yn", "Q1", "Apakah HAM universal?", "Are human rights universal?", None),
                ("select_multiple lembaga", "q2", "Lembaga HAM?", "HR institutions?", None),
                ("end_group", None, None, None, None),
                ("integer", "umur", "Umur", "Age", ". >= 15 and . <= 90"),
                ("note", "catatan", "Terima kasih", "Thanks", None),
                ("date", "tanggal", "Tanggal", "Date", None),
                ("text", "nama", "Nama", "Name", None)],
        choices=[("list_name", "name", "label", "label::English"),
                 ("grp", "A", "Kelompok A", "Group A"), ("grp", "B", "Kelompok B", "Group B"),
                 ("yn", "ya", "Ya", "Yes"), ("yn", "tidak", "Tidak", "No"),
                 ("lembaga", "a", "Komnas HAM", "Komnas HAM"), ("lembaga", "b", "KPU", "KPU")],
        settings=[("form_title", "form_id"), ("Tes HAM", "Tes-HAM")])
    data = from_xlsform(form)
    assert data["languages"] == ["id", "en"]
    assert data["id"] == "tes_ham" and data["title"] == {"id": "Tes HAM"}
    assert data["participant"] == {"id_column": "kode", "group_column": "kelompok",
                                   "personal_columns": ["nama"], "other_columns": ["tanggal"]}
    assert data["groups"] == [{"code": "A", "label": {"id": "Kelompok A", "en": "Group A"}},
                              {"code": "B", "label": {"id": "Kelompok B", "en": "Group B"}}]
    items = {i["id"]: i for i in data["items"]}
    assert list(items) == ["q1", "q2", "umur"]
    assert items["q1"] == {"id": "q1", "scale": "TODO", "type": "single_choice",
                           "text": {"id": "Apakah HAM universal?", "en": "Are human rights universal?"},
                           "options": [{"code": "ya", "id": "Ya", "en": "Yes"},
                                       {"code": "tidak", "id": "Tidak", "en": "No"}],
                           "key": "TODO"}
    assert items["q2"]["type"] == "multi_select" and items["q2"]["key"] == "TODO"
    assert items["umur"] == {"id": "umur", "type": "numeric", "text": {"id": "Umur", "en": "Age"},
                             "min": 15, "max": 90}
    path = write_questionnaire_yaml(data, tmp_path / "tes.yaml")
    assert "TODO" in path.read_text(encoding="utf-8").splitlines()[2]
    with pytest.raises(QuestionnaireError, match=r"\[EK-QN-004\] .*items\[q1\]\.scale: .*'TODO'") as info:
        evalkit.load_questionnaire(path)
    text = str(info.value)
    assert re.search(r"\[EK-QN-009\] .*items\[q1\]\.key: .*'TODO'.*: ya, tidak", text)
    assert "title.en" in text  # the English title is left for a person to write


def test_likert_recognised_in_a_mean_scale(tmp_path, write_form):
    form = write_form(
        tmp_path / "likert.xlsx",
        survey=[("type", "name", "label::Indonesian (id)", "label::English (en)", "evalkit_scale"),
                ("select_one setuju", "s1", "Saya peduli HAM", "I care about human rights", "sikap"),
                ("select_one setuju", "s2", "HAM penting", "Human rights matter", "sikap")],
        choices=[("list_name", "name", "label::Indonesian (id)", "label::English (en)")]
        + [("setuju", str(k), f"S{k}", f"A{k}") for k in (1, 2, 3, 4)])
    data = from_xlsform(form)
    assert [i["type"] for i in data["items"]] == ["likert", "likert"]
    assert data["likert_labels"] == {"setuju": {"id": ["S1", "S2", "S3", "S4"], "en": ["A1", "A2", "A3", "A4"]}}
    assert data["scales"] == [{"id": "sikap", "label": {"id": "sikap", "en": "sikap"}, "level": "TODO",
                               "scoring": "mean"}]
    with pytest.raises(QuestionnaireError, match=r"\[EK-QN-004\] .*scales\[sikap\]\.level: .*'TODO'"):
        evalkit.load_questionnaire(write_questionnaire_yaml(data, tmp_path / "q.yaml"))


def _broken_form(write_form, tmp_path):
    return write_form(
        tmp_path / "rusak.xlsx",
        survey=[("type", "name", "label"),
                ("text", "kode_peserta", "Kode"),
                ("slect_one warna", "w1", "Warna?"),
                ("select_one buah", "b1", "Buah?"),
                ("integer", "b1", "Lagi?")],
        choices=[("list_name", "name", "label"), ("bauh", "a", "Apel"), ("bauh", "b", "Mangga")])


def test_broken_form_lists_every_problem_with_location(tmp_path, write_form):
    with pytest.raises(QuestionnaireError, match=r"EK-FM-046\] .*rusak\.xlsx .*\(3 ") as info:
        from_xlsform(_broken_form(write_form, tmp_path))
    problems = info.value.problems[1:]
    # Each names the file, sheet, row and column (checked in English below), the value and what is allowed.
    assert [p.code for p in problems] == ["EK-FM-047", "EK-FM-050", "EK-FM-052"]
    assert [re.match(r"rusak\.xlsx: .* (\d), .* '(\w+)': ", p).groups() for p in problems] == [
        ("3", "type"), ("4", "type"), ("5", "name")]
    assert "'slect_one warna'" in problems[0] and ": select_one" in problems[0] and "'select_one'?" in problems[0]
    assert "'buah'" in problems[1] and problems[1].endswith(": bauh (maksud Anda 'bauh'?)")
    assert "'b1'" in problems[2] and problems[2].endswith(" 4")


def test_broken_form_in_english(tmp_path, write_form):
    with language("en"), pytest.raises(QuestionnaireError,
                                       match=r"EK-FM-047\] rusak\.xlsx: sheet 'survey', row 3, column 'type': unknown"):
        from_xlsform(_broken_form(write_form, tmp_path))


def test_unreadable_inputs(tmp_path, write_form):
    with pytest.raises(QuestionnaireError, match=r"EK-FM-001\] .*tidak-ada\.xlsx"):
        from_xlsform(tmp_path / "tidak-ada.xlsx")
    bad = tmp_path / "form.ods"
    bad.write_bytes(b"x")
    with pytest.raises(QuestionnaireError, match=r"EK-FM-002\] .*\(\.ods\).*: \.xlsx"):
        from_xlsform(bad)
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a zip", encoding="utf-8")
    with pytest.raises(QuestionnaireError, match=r"EK-FM-004\] .*fake\.xlsx"):
        from_xlsform(fake)
    no_survey = write_form(tmp_path / "nosurvey.xlsx", survey=[("a", "b")])
    load = load_workbook(no_survey)
    load.active.title = "data"
    load.save(no_survey)
    with pytest.raises(QuestionnaireError, match=r"EK-FM-054\] .*'survey'.*: data"):
        from_xlsform(no_survey)


def test_bad_wave(tmp_path, q):
    with pytest.raises(QuestionnaireError, match=r"EK-FM-039\] .*'wave'.* pre, post, followup"):
        to_xlsform(q, tmp_path / "f.xlsx", wave="mid")


def test_cli_xlsform_and_import(tmp_path, capsys):
    form, yaml_path = tmp_path / "form.xlsx", tmp_path / "q.yaml"
    assert main(["xlsform", str(evalkit.bundled_questionnaire()), "-o", str(form)]) == 0
    assert form.exists() and "Ditulis:" in capsys.readouterr().out
    assert main(["--lang", "en", "import-xlsform", str(form), "-o", str(yaml_path)]) == 0
    assert "fill in the TODO values" in capsys.readouterr().out
    assert evalkit.load_questionnaire(yaml_path).items == evalkit.load_questionnaire(
        evalkit.bundled_questionnaire()).items


def test_cli_import_broken_form_exits_1(tmp_path, capsys, write_form):
    assert main(["import-xlsform", str(_broken_form(write_form, tmp_path)), "-o", str(tmp_path / "q.yaml")]) == 1
    err = capsys.readouterr().err
    assert "[EK-FM-046] " in err.splitlines()[0] and "rusak.xlsx" in err and "Traceback" not in err
    assert not (tmp_path / "q.yaml").exists()
