"""Parquet answer files read and validated together equal the same files read one by one,
and anything the stack would report is left to the one-file read."""

from __future__ import annotations

import pandas as pd
import pytest

import evalkit
from evalkit.io import read_parquet_batch, read_responses, write_table

pytest.importorskip("pyarrow")


@pytest.fixture
def files(tmp_path, q):
    paths = []
    for i in range(3):
        pre, _ = evalkit.simulate(q, n_groups=2, n_per_group=(6, 9), seed=i)
        paths.append(write_table(pre, tmp_path / f"pre{i}.parquet"))
    return paths


def _same(batch, one):
    assert batch.source == one.source and batch.wave == one.wave
    pd.testing.assert_frame_equal(batch.submissions, one.submissions)
    pd.testing.assert_frame_equal(batch.problems, one.problems)
    # Categories of multi-select answers are the distinct selections of what was read together.
    pd.testing.assert_frame_equal(batch.data, one.data, check_categorical=False)


def test_batch_equals_one_by_one(files, q):
    batch = read_parquet_batch(files, q, wave="pre")
    assert len(batch) == len(files)
    for b, path in zip(batch, files):
        _same(b, read_responses(path, q, wave="pre"))


def test_a_bad_cell_leaves_the_files_to_the_one_file_read(files, q):
    table = pd.read_parquet(files[1])
    table.loc[3, "k01"] = "Z"
    write_table(table, files[1])
    assert read_parquet_batch(files, q, wave="pre") is None
    with pytest.raises(evalkit.DataError, match=r"pre1\.parquet"):
        read_responses(files[1], q, wave="pre")


def test_a_file_whose_codes_look_like_phone_numbers_is_left_to_the_one_file_read(files, q):
    table = pd.read_parquet(files[2])
    table[q.id_column] = [f"08123{i:07d}" for i in range(len(table))]
    write_table(table, files[2])
    assert read_parquet_batch(files, q, wave="pre") is None
    with pytest.warns(evalkit.EvalkitWarning, match=r"pre2\.parquet"):
        read_responses(files[2], q, wave="pre")


def test_other_layouts_are_left_to_the_one_file_read(files, q, tmp_path):
    table = pd.read_parquet(files[0]).rename(columns={"k01": "K01 Pertanyaan"})
    write_table(table, files[0])
    assert read_parquet_batch(files, q, wave="pre") is None
    csv = write_table(pd.read_parquet(files[1]), tmp_path / "pre.csv")
    assert read_parquet_batch([csv, files[2]], q, wave="pre") is None
