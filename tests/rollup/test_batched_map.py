"""The roll-up's per-training stage, with answer files read in batches (one validation pass
per questionnaire and wave), gives each training the package its own run gives."""

from __future__ import annotations

import pandas as pd
import pytest

from evalkit.rollup import example_catalogue, load_catalogue, map_trainings, training_package

pytest.importorskip("pyarrow")
pytestmark = pytest.mark.filterwarnings("ignore::evalkit.EvalkitWarning")


def test_batched_packages_equal_per_training_packages(tmp_path):
    catalogue = load_catalogue(example_catalogue(tmp_path, trainings=5, groups=3, file_format="parquet", seed=5))
    batched = map_trainings(catalogue.trainings, workers=1)
    assert len(batched) == 5
    for training, (package, messages) in zip(catalogue.trainings, batched):
        alone = training_package(training)
        assert package.questionnaire == alone.questionnaire
        for table in ("scales", "sums", "gains", "ledger"):
            pd.testing.assert_frame_equal(getattr(package, table), getattr(alone, table))
        assert all(isinstance(m, str) for m in messages)


def test_a_bad_file_in_a_batch_is_reported_as_in_its_own_run(tmp_path):
    from evalkit import DataError
    from evalkit.io import write_table

    catalogue = load_catalogue(example_catalogue(tmp_path, trainings=8, groups=2, file_format="parquet"))  # batches of 2
    bad = catalogue.trainings[2].post
    table = pd.read_parquet(bad)
    table.loc[1, "k02"] = "Z"
    write_table(table, bad)
    with pytest.raises(DataError) as batched:
        map_trainings(catalogue.trainings, workers=1)
    with pytest.raises(DataError) as alone:
        training_package(catalogue.trainings[2])
    assert str(batched.value) == str(alone.value) and bad.name in str(alone.value)
