"""Reading answer files: formats, and every kind of bad input named in the foundation issue."""

from __future__ import annotations

import pandas as pd
import pytest

import evalkit
from evalkit import DataError
from evalkit._i18n import language


@pytest.fixture
def pre_table():
    return pd.read_csv(evalkit.bundled_sample("pre"), dtype=str, keep_default_na=False)


def _write(tmp_path, frame, name="jawaban.csv", **kwargs):
    path = tmp_path / name
    if name.endswith(".xlsx"):
        frame.to_excel(path, index=False)
    else:
        frame.to_csv(path, index=False, **kwargs)
    return path


def test_sample_reads_in_both_layouts(q):
    pre = evalkit.read_responses(evalkit.bundled_sample("pre"), q, wave="pre")
    post = evalkit.read_responses(evalkit.bundled_sample("post"), q, wave="post")  # ';' + BOM
    assert pre.rows_read == 258 and post.rows_read == 247
    assert pre.problems.empty and post.problems.empty
    assert "nama" not in pre.data.columns and "no_hp" not in pre.data.columns
    assert set(pre.data["status"]) == {"ok"}
    assert pre.data["row"].iloc[0] == 2  # line numbers count the header as line 1


@pytest.mark.parametrize("sep, encoding", [(",", "utf-8"), (";", "utf-8-sig"), ("\t", "utf-16"), (";", "cp1252")])
def test_separators_and_encodings(tmp_path, q, pre_table, sep, encoding):
    pre_table.loc[0, "nama"] = "Siti Ña"  # a non-ASCII character that cp1252 can encode
    path = _write(tmp_path, pre_table, sep=sep, encoding=encoding)
    r = evalkit.read_responses(path, q, wave="pre")
    assert r.rows_read == len(pre_table)
    assert r.data["k01"].tolist() == pre_table["k01"].replace("", None).tolist()


def test_xlsx_matches_csv(tmp_path, q, pre_table):
    path = _write(tmp_path, pre_table, "jawaban.xlsx")
    from_xlsx = evalkit.read_responses(path, q, wave="pre")
    from_csv = evalkit.read_responses(evalkit.bundled_sample("pre"), q, wave="pre")
    pd.testing.assert_frame_equal(from_xlsx.data, from_csv.data)


def test_xlsx_numbers_typed_as_numbers(tmp_path, q, pre_table):
    typed = pre_table.copy()
    typed["s01"] = pd.to_numeric(typed["s01"])  # Excel stores 4 as 4.0
    r = evalkit.read_responses(_write(tmp_path, typed, "jawaban.xlsx"), q, wave="pre")
    assert r.data["s01"].dropna().isin([1.0, 2.0, 3.0, 4.0, 5.0]).all()


def _one_problem(tmp_path, q, frame, **kw):
    with pytest.raises(DataError) as info:
        evalkit.read_responses(_write(tmp_path, frame), q, wave="pre", **kw)
    return info.value


def test_unknown_option_names_file_row_column_value_and_allowed(tmp_path, q, pre_table):
    pre_table.loc[4, "k01"] = "e"
    error = _one_problem(tmp_path, q, pre_table)
    assert error.code == "EK-IO-022" and "jawaban.csv:6: " in str(error) and "'k01'" in str(error)
    assert "'e'" in str(error) and ": a (" in str(error)  # what was found, what is allowed
    assert error.problems[["row", "column", "value"]].values.tolist() == [[6, "k01", "e"]]


def test_out_of_range_likert(tmp_path, q, pre_table):
    pre_table.loc[0, "s02"] = "7"
    error = _one_problem(tmp_path, q, pre_table)
    assert error.code == "EK-IO-022" and "jawaban.csv:2: " in str(error) and "'s02'" in str(error)
    assert "'7'" in str(error) and "1 (Sangat tidak setuju)" in str(error)


def test_text_where_a_number_belongs(tmp_path, q, pre_table):
    pre_table.loc[2, "usia"] = "dua puluh"
    error = _one_problem(tmp_path, q, pre_table)
    assert error.code == "EK-IO-022" and "jawaban.csv:4: " in str(error) and "'usia'" in str(error)
    assert "'dua puluh'" in str(error) and "15 .. 90" in str(error)


def test_unknown_and_missing_columns(tmp_path, q, pre_table):
    frame = pre_table.drop(columns=["k03"]).assign(catatan="x")
    error = _one_problem(tmp_path, q, frame)
    problems = error.problems.set_index("column")
    assert problems.loc["k03", "problem"] == "kolom wajib tidak ada"
    assert problems.loc["catatan", "problem"] == "kolom tidak dikenal"
    assert "participant.other_columns" in problems.loc["catatan", "allowed"]


def test_every_problem_is_listed(tmp_path, q, pre_table):
    pre_table.loc[0, "k01"] = "x"
    pre_table.loc[1, "s01"] = "0"
    pre_table.loc[2, "kelompok"] = "G99"
    pre_table.loc[3, "kode_peserta"] = ""
    error = _one_problem(tmp_path, q, pre_table)
    assert sorted(error.problems["row"]) == [2, 3, 4, 5]
    assert error.code == "EK-IO-022" and ": 4 " in str(error)


def test_lenient_mode_records_cells_as_missing(tmp_path, q, pre_table):
    pre_table.loc[0, "k01"] = "x"
    pre_table.loc[3, "kode_peserta"] = ""
    r = evalkit.read_responses(_write(tmp_path, pre_table), q, wave="pre", strict=False)
    assert pd.isna(r.data.loc[0, "k01"])
    assert r.data.loc[3, "status"] == "invalid"
    assert len(r.problems) == 2 and r.rows_read == len(pre_table)


def test_english_error(tmp_path, q, pre_table):
    pre_table.loc[0, "k01"] = "x"
    with language("en"):
        error = _one_problem(tmp_path, q, pre_table)
    assert "jawaban.csv:2: column 'k01': unknown answer: 'x'; allowed: a (" in str(error)


def test_labels_and_aliases_are_understood(tmp_path, q, pre_table):
    pre_table.loc[0, "s01"] = "Setuju"          # Likert label instead of its number
    pre_table.loc[0, "k04"] = "benar"           # true/false alias
    pre_table.loc[0, "kelompok"] = "g01"        # group code in lower case
    r = evalkit.read_responses(_write(tmp_path, pre_table), q, wave="pre")
    assert r.data.loc[0, "s01"] == 4.0 and r.data.loc[0, "k04"] == "B" and r.data.loc[0, "group"] == "G01"


def test_empty_rows_are_counted_not_dropped(tmp_path, q, pre_table):
    frame = pd.concat([pre_table, pd.DataFrame([[""] * pre_table.shape[1]] * 3, columns=pre_table.columns)])
    r = evalkit.read_responses(_write(tmp_path, frame), q, wave="pre")
    assert r.rows_read == len(pre_table) + 3 and (r.data["status"] == "empty").sum() == 3


@pytest.mark.parametrize("content, message", [
    (b"", r"EK-IO-004\] .*kosong\.csv"),
    (b"\n\n", r"EK-IO-004\] .*kosong\.csv"),
])
def test_empty_files(tmp_path, q, content, message):
    path = tmp_path / "kosong.csv"
    path.write_bytes(content)
    with pytest.raises(DataError, match=message):
        evalkit.read_responses(path, q, wave="pre")


def test_unsupported_format_and_missing_file(tmp_path, q):
    (tmp_path / "a.pdf").write_text("x")
    with pytest.raises(DataError, match="EK-IO-002"):
        evalkit.read_responses(tmp_path / "a.pdf", q)
    with pytest.raises(DataError, match="EK-IO-001"):
        evalkit.read_responses(tmp_path / "tidak_ada.csv", q)


def test_input_frame_is_not_modified(q, pre_table):
    before = pre_table.copy()
    evalkit.io.as_responses(pre_table, q, wave="pre", strict=True, name="pre")
    pd.testing.assert_frame_equal(pre_table, before)
