"""Broken and hostile input: each file gets a clear error or is read correctly; no traceback, no row lost."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import evalkit
from evalkit import DataError, EvalkitWarning
from evalkit.cli import main


@pytest.fixture(scope="module")
def q():
    return evalkit.load_questionnaire(evalkit.bundled_questionnaire())


@pytest.fixture(scope="module")
def pre_text():
    return evalkit.bundled_sample("pre").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def pre_frame():
    return pd.read_csv(evalkit.bundled_sample("pre"), dtype=str, keep_default_na=False)


def _read(q, path, **kw):
    return evalkit.read_responses(path, q, wave="pre", **kw)


def test_header_only(tmp_path, q, pre_text):
    path = tmp_path / "judul.csv"
    path.write_text(pre_text.split("\n", 1)[0] + "\n", encoding="utf-8")
    # No answer row can never give a report: an error naming the file, in both modes (issue #13).
    for strict in (True, False):
        with pytest.raises(evalkit.DataError, match=r'EK-IO-031\] .*judul\.csv'):
            _read(q, path, strict=strict)


def test_mixed_separators_name_the_lines(tmp_path, q, pre_text):
    lines = pre_text.splitlines()
    lines[3] = lines[3].replace(",", ";")  # one row typed with ';'
    path = tmp_path / "campur.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"EK-IO-009\] .*campur\.csv: .* 4 "):
        _read(q, path)
    lines = pre_text.splitlines()
    lines[5] = lines[5] + ",x,y"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r'EK-IO-007\] .*campur\.csv:6'):
        _read(q, path)


def test_leading_blank_lines_keep_line_numbers(tmp_path, q, pre_frame):
    frame = pre_frame.copy()
    frame.loc[2, "k02"] = "zz"
    path = tmp_path / "kosong_di_atas.csv"
    path.write_text("\n\n" + frame.to_csv(index=False), encoding="utf-8")
    with pytest.raises(DataError, match=r"(?s)EK-IO-022\] .*kosong_di_atas\.csv:6.*'k02'"):  # 2 blank + header + 3rd row
        _read(q, path)


def test_excel_dates_numbers_as_text_formulas_and_trailing_rows(tmp_path, q, pre_frame):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(pre_frame.columns) + ["", ""])  # trailing empty header cells
    for i, row in enumerate(pre_frame.itertuples(index=False)):
        values = list(row)
        values[pre_frame.columns.get_loc("waktu_isi")] = pd.Timestamp("2026-10-15 08:00")  # a real Excel date
        age = values[pre_frame.columns.get_loc("usia")]
        values[pre_frame.columns.get_loc("usia")] = int(age) if age else None  # a number, not text
        sheet.append(values)
    sheet.cell(row=5, column=pre_frame.columns.get_loc("s01") + 1, value="=2+2")  # a formula
    for _ in range(5):
        sheet.append([None] * len(pre_frame.columns))  # formatted, empty rows
    path = tmp_path / "excel.xlsx"
    book.save(path)
    with pytest.raises(DataError, match=r"(?s)EK-IO-022\] .*excel\.xlsx:5.*'s01'.*'=2\+2'"):
        _read(q, path)
    r = _read(q, path, strict=False)
    assert r.rows_read == len(pre_frame)  # trailing empty rows are not rows
    assert r.data["usia"].notna().sum() == (pre_frame["usia"] != "").sum()


def test_merged_header_cells(tmp_path, q, pre_frame):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(pre_frame.columns))
    for row in pre_frame.head(5).itertuples(index=False):
        sheet.append(list(row))
    sheet.merge_cells("F1:G1")  # k01 and k02 merged: k02's header disappears
    path = tmp_path / "gabung.xlsx"
    book.save(path)
    with pytest.raises(DataError) as info:
        _read(q, path)
    problems = info.value.problems
    assert {"k02"} <= set(problems.loc[problems["problem"] == "kolom wajib tidak ada", "column"])
    assert "Unnamed: 6" in set(problems.loc[problems["problem"] == "kolom tidak dikenal", "column"])


def test_duplicated_column_names(tmp_path, q, pre_text):
    lines = pre_text.splitlines()
    lines[0] = lines[0].replace(",k02,", ",k01,", 1)
    path = tmp_path / "ganda.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        _read(q, path)
    problems = info.value.problems.set_index("column")
    assert problems.loc["k01.1", "problem"] == "nama kolom ganda"


def test_binary_garbage_and_fake_xlsx(tmp_path, q):
    (tmp_path / "acak.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(DataError, match=r'EK-IO-005\] .*acak\.xlsx'):
        _read(q, tmp_path / "acak.xlsx")
    (tmp_path / "acak.csv").write_bytes(bytes(range(256)) * 4)
    with pytest.raises(DataError):
        _read(q, tmp_path / "acak.csv")


def test_formula_injection_is_not_written_back(tmp_path, q, pre_frame):
    frame = pre_frame.copy()
    frame.loc[0, "k01"] = '=HYPERLINK("http://x","klik")'
    pre = tmp_path / "pre.csv"
    frame.to_csv(pre, index=False)
    out = tmp_path / "laporan"
    assert main(["report", str(evalkit.bundled_questionnaire()), "--pre", str(pre),
                 "--post", str(evalkit.bundled_sample("post")), "--out", str(out), "--lenient"]) == 0
    text = (out / "data_quality.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    from openpyxl import load_workbook

    book = load_workbook(out / "gains.xlsx")
    cells = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not any(isinstance(v, str) and v.startswith("=") for v in cells)


def test_personal_looking_columns_are_reported(tmp_path, q, pre_frame):
    frame = pre_frame.copy()
    frame["kontak"] = ["0812" + f"{i:08d}" for i in range(len(frame))]
    frame["ktp"] = ["1871" + f"{i:012d}" for i in range(len(frame))]
    path = tmp_path / "pribadi.csv"
    frame.to_csv(path, index=False)
    with pytest.warns(EvalkitWarning, match="EK-PR-001"):
        r = _read(q, path, strict=False)
    assert "kontak" not in r.data.columns and "ktp" not in r.data.columns
    assert set(r.problems["column"]) == {"kontak", "ktp"}  # undeclared: also unknown columns


def test_large_file_is_read_whole(tmp_path, q):
    """A 50 MB answer file (long timestamps padded in an ignored column): read without losing a row."""
    pre, _ = evalkit.simulate(q, n_groups=10, n_per_group=(10_000, 10_000), seed=5, mess=False)
    pre["waktu_isi"] = pre["waktu_isi"] + " " + "x" * 360
    path = tmp_path / "besar.csv"
    pre.to_csv(path, index=False)
    assert path.stat().st_size > 50e6
    r = _read(q, path)
    assert r.rows_read == len(pre) == 100_000 and (r.data["status"] == "ok").all()


# -- properties: valid data always validates; one corrupted cell gives exactly one problem --

@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), row=st.integers(0, 19), bad=st.sampled_from(["9", "x", "-5", "zz", "?!"]),
       item=st.sampled_from(["k01", "k04", "k12", "s01", "r03", "usia"]))
def test_one_corrupted_cell_gives_one_problem(q, seed, row, bad, item):
    pre, _ = evalkit.simulate(q, n_groups=2, n_per_group=(10, 10), seed=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EvalkitWarning)
        clean = evalkit.io.as_responses(pre, q, wave="pre", strict=False, name="pre")
        assert clean.problems.empty
        pre.loc[row, item] = bad
        broken = evalkit.io.as_responses(pre, q, wave="pre", strict=False, name="pre")
    assert broken.problems[["row", "column", "value"]].values.tolist() == [[row + 2, item, bad]]
    assert pd.isna(broken.data.loc[row, item])
