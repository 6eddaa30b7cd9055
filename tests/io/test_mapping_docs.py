"""The worked mapping example of docs/questionnaire-format.md does what the page says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import evalkit
from evalkit import DataError

DOC = Path(__file__).parents[2] / "docs" / "questionnaire-format.md"


def _blocks(text: str, kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", text, flags=re.S)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    text = DOC.read_text(encoding="utf-8")
    example = text[text.index("### Worked example: a KoboToolbox labels export"):]
    folder = tmp_path_factory.mktemp("docs")
    (folder / "contoh_ham.yaml").write_text(_blocks(text, "yaml")[0], encoding="utf-8")
    (folder / "pre_kobo.csv").write_text(_blocks(example, "text")[0], encoding="utf-8")
    (folder / "peta_kobo.yaml").write_text(_blocks(example, "yaml")[0], encoding="utf-8")
    return folder


def test_worked_mapping_example(files):
    q = evalkit.load_questionnaire(files / "contoh_ham.yaml")
    with pytest.raises(DataError) as info:
        evalkit.read_responses(files / "pre_kobo.csv", q, wave="pre")
    problems = info.value.problems.groupby("problem")["column"].apply(set)
    assert {"Asal kelompok", "Nama lengkap", "1. Tanggal Hari HAM"} <= problems["kolom tidak dikenal"]
    assert {"kelompok", "k01"} <= problems["kolom wajib tidak ada"]
    assert not {"Kode peserta", "Nomor HP", "start", "_uuid"} & problems["kolom tidak dikenal"]

    r = evalkit.read_responses(files / "pre_kobo.csv", q, wave="pre", mapping=files / "peta_kobo.yaml")
    first = r.data.iloc[0]
    assert (first["row"], first["participant"], first["group"]) == (2, "AB-01", "G01")
    assert [first[i] for i in ("k01", "k02", "k03", "k04", "s01", "s02")] == ["b", "S", "a c d", "a c", 4, 2]
    assert r.data["status"].tolist() == ["ok", "ok", "rejected"]
    assert r.data.loc[1, "k03"] == "a b" and r.data.loc[1, "group"] == "G02"
