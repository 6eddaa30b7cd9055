"""import-xlsform says what it could not carry: types from the type token, simple bounds only,
repeats, or_other, calculates, choice filters and outside choice files as named warnings and TODOs."""

from __future__ import annotations

import re
import warnings

import pytest

import evalkit
from evalkit import EvalkitWarning
from evalkit._i18n import language
from evalkit.cli import main
from evalkit.forms import from_xlsform, write_questionnaire_yaml


def _import(path):
    """from_xlsform and the messages of the warnings it gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = from_xlsform(path)
    assert all(issubclass(w.category, EvalkitWarning) and w.message.code == "EK-FM-055" for w in caught)
    return data, [str(w.message).removeprefix("[EK-FM-055] ") for w in caught]


_CHOICES = [("list_name", "name", "label"),
            ("HHEXTWALLS", "1", "Bata"), ("HHEXTWALLS", "2", "Kayu"),
            ("overall_rating", "a", "Baik"), ("overall_rating", "b", "Buruk"),
            ("yn", "ya", "Ya"), ("yn", "tidak", "Tidak"),
            ("tools", "p", "Pena"), ("tools", "k", "Kertas")]


@pytest.fixture
def lossy_form(tmp_path, write_form):
    header = ("type", "name", "label", "constraint", "calculation", "choice_filter")
    return write_form(tmp_path / "lossy.xlsx", [
        header,
        ("text", "kode", "Kode peserta", None, None, None),                              # row 2
        ("select_one HHEXTWALLS", "walls", "Dinding rumah", None, None, None),           # row 3
        ("select_one overall_rating", "rating", "Penilaian umum", None, None, None),     # row 4
        ("integer", "jumlah", "Jumlah", ".=0 or .>=9999", None, None),                   # row 5
        ("integer", "skor", "Skor", ". >= 1 and . <= 10", None, None),                   # row 6
        ("integer", "tingkat", "Tingkat", ". > 0 and . < 13", None, None),                   # row 7
        ("decimal", "berat", "Berat", ". > 0", None, None),                              # row 8
        ("select_one yn or_other", "setuju", "Setuju?", None, None, None),               # row 9
        ("calculate", "total", None, None, "${skor} * 2", None),                         # row 10
        ("select_multiple tools", "alat", "Alat", None, None, "${walls} = '1'"),         # row 11
        ("select_one_from_file sekolah.csv", "sekolah", "Sekolah", None, None, None),    # row 12
        ("begin_repeat", "anggota", "Anggota keluarga", None, None, None),               # row 13
        ("text", "nama_anggota", "Nama", None, None, None),
        ("integer", "umur_anggota", "Umur", ". >= 0", None, None),
        ("end_repeat", None, None, None, None, None),
    ], _CHOICES)


def test_select_types_come_from_the_type_token(lossy_form):
    data, _ = _import(lossy_form)
    items = {i["id"]: i for i in data["items"]}
    # "all" inside the list names (HHEXTWALLS, overall_rating) no longer makes them multi-select
    assert items["walls"]["type"] == "single_choice" and items["rating"]["type"] == "single_choice"
    assert items["alat"]["type"] == "multi_select"
    assert items["setuju"]["type"] == "single_choice"
    assert [o["code"] for o in items["setuju"]["options"]] == ["ya", "tidak"]


def test_bounds_only_from_simple_conjunctions(lossy_form):
    data, messages = _import(lossy_form)
    items = {i["id"]: i for i in data["items"]}
    assert "min" not in items["jumlah"] and "max" not in items["jumlah"]  # 0 stays a valid answer
    assert (items["skor"]["min"], items["skor"]["max"]) == (1, 10)
    assert (items["tingkat"]["min"], items["tingkat"]["max"]) == (1, 12)  # whole numbers: > 0 is >= 1
    assert "min" not in items["berat"]  # > 0 on a decimal has no min
    constraint = [m for m in messages if "[constraint]" in m]
    assert constraint == [
        "lossy.xlsx: lembar 'survey', baris 5 [constraint]: constraint '.=0 or .>=9999' dari 'jumlah' tidak dibawa: "
        "hanya batas angka sederhana (. >= a and . <= b) menjadi min/max; periksa jawabannya sendiri bila perlu",
        "lossy.xlsx: lembar 'survey', baris 8 [constraint]: constraint '. > 0' dari 'berat' tidak dibawa: "
        "hanya batas angka sederhana (. >= a and . <= b) menjadi min/max; periksa jawabannya sendiri bila perlu"]


def test_every_loss_is_a_named_warning_in_row_order(lossy_form):
    data, messages = _import(lossy_form)
    kinds = [m.split("[")[1].split("]")[0] for m in messages]
    assert kinds == ["constraint", "constraint", "or_other", "calculate", "choice_filter", "from_file", "repeat"]
    by_kind = dict(zip(kinds, messages))
    assert "baris 13 [repeat]: 2 pertanyaan di dalam repeat 'anggota' tidak dibawa (nama_anggota, umur_anggota)" \
        in by_kind["repeat"]
    assert "baris 9 [or_other]: opsi 'lainnya' (or_other) dari 'setuju' tidak dibawa" in by_kind["or_other"]
    assert "baris 10 [calculate]: calculate 'total' (${skor} * 2) tidak dihitung ulang" in by_kind["calculate"]
    assert "baris 11 [choice_filter]: choice_filter \"${walls} = '1'\" dari 'alat' tidak dibawa" \
        in by_kind["choice_filter"]
    assert "baris 12 [from_file]: opsi 'sekolah' ada di berkas luar (select_one_from_file sekolah.csv)" \
        in by_kind["from_file"]
    assert "nama_anggota" not in [i["id"] for i in data["items"]]
    assert data["participant"]["other_columns"] == ["total", "sekolah"]


def test_losses_in_english(lossy_form):
    with language("en"):
        _, messages = _import(lossy_form)
    assert ("lossy.xlsx: sheet 'survey', row 13 [repeat]: 2 question(s) inside repeat 'anggota' are not carried "
            "(nama_anggota, umur_anggota)") in messages[-1]
    assert "the 'other' option (or_other) of 'setuju' is not carried" in messages[2]


def test_losses_are_todo_comments_in_the_yaml(tmp_path, lossy_form):
    data, _ = _import(lossy_form)
    lines = write_questionnaire_yaml(data, tmp_path / "q.yaml").read_text(encoding="utf-8").splitlines()
    header = [line for line in lines if line.startswith("# TODO [")]
    assert len(header) == 7 + 4  # listed at the top, and the item ones again above their item
    jumlah = lines.index("- id: jumlah")
    assert lines[jumlah - 1] == ("# TODO [constraint] baris 5: constraint '.=0 or .>=9999' dari 'jumlah' tidak "
                                 "dibawa: hanya batas angka sederhana (. >= a and . <= b) menjadi min/max; periksa "
                                 "jawabannya sendiri bila perlu")
    assert lines[lines.index("- id: setuju") - 1].startswith("# TODO [or_other] baris 9:")
    assert lines[lines.index("- id: alat") - 1].startswith("# TODO [choice_filter] baris 11:")
    assert any(line.startswith("# TODO [repeat] baris 13:") for line in lines[:15])


def test_a_form_all_in_a_repeat_is_not_ok_silently(tmp_path, capsys, write_form):
    form = write_form(tmp_path / "ulang.xlsx", [
        ("type", "name", "label"),
        ("begin repeat", "peserta", "Peserta"),
        ("text", "kode", "Kode"),
        ("select_one yn", "q1", "Setuju?"),
        ("integer", "q2", "Umur"),
        ("end repeat", None, None)], _CHOICES)
    assert main(["import-xlsform", str(form), "-o", str(tmp_path / "q.yaml")]) == 0
    err = capsys.readouterr().err.splitlines()
    # One warning per loss, each with its code, the file, the row and the kind of loss.
    assert [re.search(r"\[(EK-FM-\d+)\] ulang\.xlsx: .* (\d+) \[(\w+)\]: ", line).groups() for line in err] == [
        ("EK-FM-055", "1", "no_items"), ("EK-FM-055", "2", "repeat")]


def test_cli_lists_each_loss(tmp_path, capsys, lossy_form):
    assert main(["--lang", "en", "import-xlsform", str(lossy_form), "-o", str(tmp_path / "q.yaml")]) == 0
    captured = capsys.readouterr()
    assert [re.search(r"row \d+ \[(\w+)\]", line).group(1) for line in captured.err.splitlines()] == [
        "constraint", "constraint", "or_other", "calculate", "choice_filter", "from_file", "repeat"]
    assert all("[EK-FM-055] lossy.xlsx: sheet 'survey', row " in line for line in captured.err.splitlines())
    assert "fill in the TODO values" in captured.out


@pytest.mark.parametrize("label, lang", [("label", "id"), ("label::English (en)", "en"), ("label::English", "en")])
def test_single_language_form_is_a_valid_questionnaire(tmp_path, capsys, write_form, label, lang):
    form = write_form(tmp_path / "satu.xlsx", [
        ("type", "name", label, "constraint"),
        ("text", "kode_peserta", "Kode", None),
        ("select_one grp", "kelompok", "Kelompok", None),
        ("integer", "umur", "Umur", ". >= 15 and . <= 90"),
        ("text", "saran", "Saran", None)],
        [("list_name", "name", label), ("grp", "A", "Kelompok A"), ("grp", "B", "Kelompok B")])
    data, messages = _import(form)
    assert messages == [] and data["languages"] == [lang]
    path = write_questionnaire_yaml(data, tmp_path / "satu.yaml")
    assert main(["check", str(path)]) == 0, capsys.readouterr().err
    q = evalkit.load_questionnaire(path)
    assert q.languages == (lang,)
    assert [g.label("id") for g in q.groups] == [g.label("en") for g in q.groups] == ["Kelompok A", "Kelompok B"]
    assert (q.item("umur").min, q.item("umur").max) == (15, 90)
