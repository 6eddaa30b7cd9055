"""The fast reading paths give exactly what the plain ones give.

Text arriving dictionary-encoded (Parquet, CSV read by pyarrow, any pandas categorical) skips
the per-cell factorizing; these tests hold its answers, problems and row numbers to those of
the same cells as plain strings.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest

import evalkit
from evalkit import io
from evalkit.io import _files, _responses


def _validate(raw, q, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return io.validate_responses(raw, q, wave="pre", strict=False, **kwargs)


def _assert_same(a, b):
    pd.testing.assert_frame_equal(a.data, b.data, check_exact=True)
    pd.testing.assert_frame_equal(a.problems, b.problems, check_exact=True)
    pd.testing.assert_frame_equal(a.submissions, b.submissions, check_exact=True)


@pytest.fixture(scope="module")
def messy(q):
    """Simulated answers with the field mess, plus blanks, padding, NaN and a bad group."""
    pre, _ = evalkit.simulate(q, n_groups=4, seed=3)
    pre = pre.astype(object)
    pre.loc[0, "k01"] = " b "  # same answer as "b" once stripped: two categories merge
    pre.loc[1, "k01"] = "b"
    pre.loc[2, "k02"] = np.nan
    pre.loc[3, "k03"] = "  "
    pre.loc[4, "kelompok"] = "G99"
    pre.loc[5, "kode_peserta"] = " "
    pre.loc[6, list(pre.columns)] = np.nan  # an empty row
    return pre


def test_categorical_text_matches_object_text(q, messy):
    as_categories = messy.astype("category")
    # an unused category, which no cell holds, changes nothing
    as_categories["k04"] = as_categories["k04"].cat.add_categories(["nonsense"])
    _assert_same(_validate(messy, q), _validate(as_categories, q))
    assert len(_validate(messy, q).problems) > 0


def test_non_text_columns_keep_their_cell_texts(q, messy):
    frame = messy.copy()
    frame["usia"] = [1.0 if i % 3 else np.nan for i in range(len(frame))]  # 1.0 stays "1.0"
    frame["k05"] = pd.Categorical([1, 2] * (len(frame) // 2) + [1] * (len(frame) % 2))
    text = frame.copy()
    text["usia"] = ["1.0" if i % 3 else "" for i in range(len(frame))]
    text["k05"] = text["k05"].astype(int).astype(str)
    _assert_same(_validate(text, q), _validate(frame, q))


def test_positions_not_index_labels(q, messy):
    shuffled = messy.iloc[::-1]
    a, b = _validate(shuffled.reset_index(drop=True), q), _validate(shuffled, q)
    _assert_same(a, b)


def test_parquet_dictionary_read_matches_pandas_read(tmp_path, q, messy):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    frame = messy.astype("string")
    frame["usia"] = pd.array([7, None] * (len(frame) // 2) + [7] * (len(frame) % 2), dtype="Int64")
    path = tmp_path / "pre.parquet"
    table = pa.Table.from_pandas(frame.set_axis(range(10, 10 + len(frame))), preserve_index=True)
    pq.write_table(table, path, row_group_size=40)  # several row groups, each with its own dictionary
    raw, first_row = _files.read_table(path)
    plain = pq.read_table(path).to_pandas()
    assert first_row == 2 and list(raw.columns) == list(plain.columns)
    assert raw.index.equals(plain.index) and isinstance(raw["k01"].dtype, pd.CategoricalDtype)
    _assert_same(_validate(plain, q), _validate(raw, q))


@pytest.mark.parametrize("text", [
    "kode_peserta,kelompok,k01\nA1,G01, b \nA2,,c\n,G01,x\n",  # a regular table
    "kode_peserta;kelompok;;k01;k01\r\nA1;G01;;b;b\r\n",  # ; and CRLF; blank and repeated headers
    "kode_peserta\nA1\n\nA2\n\n",  # one column with blank lines
    "kode_peserta,kelompok\nA1,G01\n\nA2,G02\n",  # a blank line: left to pandas
    "kode_peserta,kelompok\nA1,G01,x\n",  # too many fields: pandas' message
    "kode_peserta,kelompok\nA1\n",  # too few fields: pandas' message
    'kode_peserta,kelompok\n"A,1",G01\n',  # quotes: left to pandas
])
def test_csv_read_by_pyarrow_matches_pandas(tmp_path, monkeypatch, text):
    pytest.importorskip("pyarrow")
    path = tmp_path / "jawaban.csv"
    path.write_bytes(text.encode("utf-8"))

    def read():
        try:
            frame, first_row = _files.read_table(path)
        except evalkit.DataError as exc:
            return str(exc)
        return first_row, list(frame.columns), frame.astype(object).values.tolist()

    fast = read()
    monkeypatch.setattr(_files, "_read_csv_arrow", lambda text, sep: None)
    assert fast == read()


@pytest.mark.parametrize("arrow", [True, False])
def test_code_pattern_means_pythons_whitespace(monkeypatch, arrow):
    """Every code point: the spelled-out white space pattern decides as Python's ``\\s`` does."""
    if arrow:
        pytest.importorskip("pyarrow")
    else:
        monkeypatch.setitem(__import__("sys").modules, "pyarrow", None)  # import fails: pandas path
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    texts = np.array(["1" + c + "2" for c in chars] + ["+62 812-3", "a@b", "ab", "", "12\n"], dtype=object)
    expected = np.array([re.search(r"^[\s\-+0-9]*$|@", t) is not None for t in texts])
    np.testing.assert_array_equal(_responses._matches(texts, _responses._PHONE_OR_EMAIL), expected)


def test_codes_and_groups_as_objects_give_the_same_texts_and_gains(q, messy, monkeypatch):
    """With pyarrow the participant codes and groups are pandas' pyarrow text, taken from
    the distinct values; without it objects: the same texts and missing cells, and the
    same gains."""

    def validate_both(raw, **kwargs):
        arrow = io.validate_responses(raw, q, **kwargs)
        with monkeypatch.context() as m:
            m.setattr(_responses, "_arrow", lambda: None)
            objects = io.validate_responses(raw, q, **kwargs)
        return arrow, objects

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with_arrow, without = validate_both(messy, wave="pre", strict=False)
    for column in ("participant", "group"):
        assert without.data[column].dtype == object and with_arrow.data[column].dtype != object
        assert without.data[column].isna().tolist() == with_arrow.data[column].isna().tolist()
        assert without.data[column].dropna().tolist() == with_arrow.data[column].dropna().tolist()
    pd.testing.assert_frame_equal(without.data.drop(columns=["participant", "group"]),
                                  with_arrow.data.drop(columns=["participant", "group"]), check_exact=True)
    waves = {w: validate_both(io.read_table(evalkit.bundled_sample(w))[0], wave=w) for w in ("pre", "post")}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        arrow = evalkit.gains(q, waves["pre"][0], waves["post"][0])
        objects = evalkit.gains(q, waves["pre"][1], waves["post"][1])
    pd.testing.assert_frame_equal(arrow, objects, check_exact=True)
