"""Parquet answer files: read like CSV, and a clear message when pyarrow is missing."""

from __future__ import annotations

import builtins
import warnings

import pandas as pd
import pytest

import evalkit
from evalkit import DataError
from evalkit.io import read_table, write_table


@pytest.fixture(scope="module")
def q():
    return evalkit.load_questionnaire(evalkit.bundled_questionnaire())


def test_parquet_reads_like_csv(tmp_path, q):
    pytest.importorskip("pyarrow")
    pre, _ = evalkit.simulate(q, n_groups=3, seed=8)
    pre.loc[4, "k01"] = " zz "  # a bad cell: same problem, same row number as in the CSV
    csv, parquet = write_table(pre, tmp_path / "pre.csv"), write_table(pre, tmp_path / "pre.parquet")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = evalkit.read_responses(csv, q, wave="pre", strict=False)
        b = evalkit.read_responses(parquet, q, wave="pre", strict=False)
    pd.testing.assert_frame_equal(a.data, b.data)
    pd.testing.assert_frame_equal(a.problems.drop(columns="file"), b.problems.drop(columns="file"))
    assert b.problems[["row", "column", "value"]].values.tolist() == [[6, "k01", "zz"]]
    table, first_row = read_table(parquet)
    assert first_row == 2 and table.shape == pre.shape


def test_missing_pyarrow_names_the_extra(tmp_path, monkeypatch):
    path = tmp_path / "pre.parquet"
    path.write_bytes(b"PAR1")
    real_import = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name == "pyarrow" or name.startswith("pyarrow."):
            raise ImportError("No module named 'pyarrow'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(DataError, match="EK-IO-003"):
        read_table(path)
    with pytest.raises(DataError, match="EK-IO-003"):
        write_table(pd.DataFrame({"a": ["1"]}), tmp_path / "out.parquet")


def test_corrupt_parquet_is_a_data_error(tmp_path):
    pytest.importorskip("pyarrow")
    path = tmp_path / "rusak.parquet"
    path.write_bytes(b"not a parquet file")
    with pytest.raises(DataError, match="rusak.parquet"):
        read_table(path)
