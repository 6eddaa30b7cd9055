"""CSV files read by a real CSV parser: quoted answers holding line breaks, quotes and separators,
separators found from the structure of the first records, ragged rows named."""

from __future__ import annotations

import pandas as pd
import pytest

import evalkit
from evalkit import DataError


@pytest.fixture(scope="module")
def post():
    return pd.read_csv(evalkit.bundled_sample("post"), sep=";", dtype=str, keep_default_na=False,
                       encoding="utf-8-sig")


@pytest.fixture(scope="module")
def expected(q):
    return evalkit.score(q, evalkit.read_responses(evalkit.bundled_sample("post"), q, wave="post"))


def _multi_line(post: pd.DataFrame) -> pd.DataFrame:
    frame = post.copy()
    frame.loc[0, "saran"] = "Bagus.\nTerima kasih"
    frame.loc[1, "saran"] = 'Materi "HAM dasar"; perlu\r\ndiulang, pelan-pelan'
    frame.loc[2, "saran"] = "\n"
    return frame


@pytest.mark.parametrize("sep", [",", ";", "\t"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "cp1252"])
@pytest.mark.parametrize("strict", [True, False])
def test_multi_line_answers_read_in_both_modes(tmp_path, q, post, expected, sep, encoding, strict):
    frame = _multi_line(post)
    path = tmp_path / "post.csv"
    frame.to_csv(path, index=False, sep=sep, encoding=encoding)
    r = evalkit.read_responses(path, q, wave="post", strict=strict)
    assert r.rows_read == len(post) and r.problems.empty
    assert r.data["saran"].tolist()[:2] == ["Bagus.\nTerima kasih", 'Materi "HAM dasar"; perlu\r\ndiulang, pelan-pelan']
    assert pd.isna(r.data["saran"][2])  # a line break alone is white space: no answer
    pd.testing.assert_frame_equal(evalkit.score(q, r), expected)


def test_rows_after_a_multi_line_answer_are_numbered_as_spreadsheet_rows(tmp_path, q, post):
    frame = _multi_line(post)
    frame.loc[4, "q01"] = "9"
    path = tmp_path / "post.csv"
    frame.to_csv(path, index=False)
    # the 5th answer row is row 6, as a spreadsheet shows it, though line breaks come before it
    with pytest.raises(DataError, match=r"(?s)EK-IO-022\] .*post\.csv:6.*'q01'.*'9'"):
        evalkit.read_responses(path, q, wave="post")


def test_semicolon_file_with_commas_in_quoted_headers(tmp_path, q, post, expected):
    """A spreadsheet's re-save of a labels export: `;` separators, question texts with commas, quoted."""
    frame = post.rename(columns={i.id: i.label("id") for i in q.items_for_wave("post")})
    assert sum("," in c for c in frame.columns) >= 10
    path = tmp_path / "label_titik_koma.csv"
    frame.to_csv(path, index=False, sep=";")
    pd.testing.assert_frame_equal(evalkit.score(q, evalkit.read_responses(path, q, wave="post")), expected)


def test_comma_file_whose_answers_hold_semicolons(tmp_path, q, post, expected):
    frame = _multi_line(post)
    frame["saran"] = frame["saran"] + "; a;b;c;d"
    path = tmp_path / "koma.csv"
    frame.to_csv(path, index=False)
    r = evalkit.read_responses(path, q, wave="post")
    assert r.data["saran"].str.endswith("; a;b;c;d").all()


@pytest.mark.parametrize("quoted", [False, True])
def test_ragged_rows_are_named(tmp_path, q, post, quoted):
    frame = _multi_line(post) if quoted else post
    text = frame.to_csv(index=False, sep=";", lineterminator="\n")
    header, *rows = text.split("\n")
    extra_lines = 3 if quoted else 0  # the first three answers then hold a line break each
    rows[6 + extra_lines] = rows[6 + extra_lines].rsplit(";", 3)[0]  # the 7th answer row cut short
    path = tmp_path / "pendek.csv"
    path.write_text("\n".join([header, *rows]), encoding="utf-8")
    with pytest.raises(DataError, match=r"EK-IO-009\] .*pendek\.csv: .* 8 .*\(55, .* ';'\)"):
        evalkit.read_responses(path, q, wave="post", strict=False)
    rows = text.split("\n")[1:]
    rows[3 + extra_lines] += ";x"  # the 4th answer row: row 5
    path.write_text("\n".join([header, *rows]), encoding="utf-8")
    with pytest.raises(DataError, match=r'EK-IO-007\] .*pendek\.csv:5'):
        evalkit.read_responses(path, q, wave="post", strict=False)


def test_separators_only_row_in_a_quoted_file_is_an_empty_row(tmp_path, q, post):
    text = _multi_line(post).to_csv(index=False, lineterminator="\n")
    header, rest = text.split("\n", 1)
    path = tmp_path / "kosong.csv"
    path.write_text(header + "\n,,,\n" + rest, encoding="utf-8")
    r = evalkit.read_responses(path, q, wave="post", strict=False)
    assert r.rows_read == len(post) + 1 and r.data.loc[0, "status"] == "empty"


def test_separator_from_structure(tmp_path):
    from evalkit.io._files import _separator

    assert _separator('"Umur, tahun";"Kelompok, desa"\n31;G01\n') == ";"
    assert _separator('a,b\n"x;y;z",1\n"p\nq;r",2\n') == ","
    assert _separator("a\tb\tc\n1\t2\t3\n") == "\t"
    assert _separator("satu kolom\nx\n") == ","


def test_a_quote_that_never_closes_names_its_row(tmp_path):
    from evalkit.io import read_table

    path = tmp_path / "kutip.csv"
    path.write_text('kode,saran\nA1,baik\nA2,"tidak ditutup\n' + "A3,baik\n" * 20000, encoding="utf-8")
    with pytest.raises(DataError, match=r'EK-IO-008\] .*kutip\.csv'):
        read_table(path)
