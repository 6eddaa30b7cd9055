"""Field exports (KoboToolbox, ODK Central, Google Forms) and mapping files read into the same scores
as the sample files they were written from."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import evalkit
from evalkit import DataError


@pytest.fixture(scope="module")
def q():
    return evalkit.load_questionnaire(evalkit.bundled_questionnaire())


@pytest.fixture(scope="module")
def pre():
    return pd.read_csv(evalkit.bundled_sample("pre"), dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def expected(q):
    return evalkit.score(q, evalkit.read_responses(evalkit.bundled_sample("pre"), q, wave="pre"))


def _scores(q, path, **kw):
    return evalkit.score(q, evalkit.read_responses(path, q, wave="pre", **kw))


def _labels(q, item_id, codes: pd.Series, lang="id") -> pd.Series:
    item = q.item(item_id)
    table = {o.code: o.label(lang) for o in item.options}
    if item.type == "multi_select":
        return codes.map(lambda v: ", ".join(table[c] for c in v.split()) if v else "")
    return codes.map(lambda v: table.get(v, v))


def _kobo_xml(q, pre) -> pd.DataFrame:
    """XML-names export: group prefixes, split multi-select 1/0 columns beside the joined one, meta columns."""
    frame = pre.copy()
    renamed = {i.id: f"{i.scale or 'lain'}/{i.id}" for i in q.items_for_wave("pre")}
    multi = q.item("k12")
    for option in multi.option_codes:
        chosen = frame["k12"].str.split().map(lambda codes, o=option: o in codes)
        frame[f"pengetahuan/k12/{option}"] = np.where(frame["k12"] == "", "", np.where(chosen, "1", "0"))
    frame = frame.drop(columns=["k12"]).rename(columns=renamed)
    meta = {"_id": range(len(frame)), "_uuid": [f"uuid-{i}" for i in range(len(frame))],
            "_submission_time": "2026-10-15T08:00:00", "__version__": "vX1", "_validation_status": "",
            "start": "2026-10-15T07:55:00", "end": "2026-10-15T08:20:00", "deviceid": "collect:abc"}
    return pd.concat([frame, pd.DataFrame(meta, index=frame.index)], axis=1)


def test_kobo_xml_export(tmp_path, q, pre, expected):
    path = tmp_path / "kobo.csv"
    _kobo_xml(q, pre).to_csv(path, index=False, sep=";")  # KoboToolbox's default separator
    pd.testing.assert_frame_equal(_scores(q, path), expected)


def test_kobo_labels_export(tmp_path, q, pre, expected):
    """Headers and answers as labels (Kobo's "labels" export), in English."""
    frame = pre.copy()
    for item in q.items_for_wave("pre"):
        if item.type in ("single_choice", "true_false", "multi_select", "likert"):
            frame[item.id] = _labels(q, item.id, frame[item.id], "en")
    frame = frame.rename(columns={i.id: i.label("en") for i in q.items_for_wave("pre")})
    frame = frame.rename(columns={"kode_peserta": "Kode peserta", "kelompok": "Kelompok", "no_hp": "No HP"})
    path = tmp_path / "kobo_labels.xlsx"
    frame.to_excel(path, index=False)
    pd.testing.assert_frame_equal(_scores(q, path), expected)


def test_odk_central_export(tmp_path, q, pre, expected):
    frame = pre.rename(columns={i.id: f"{i.scale or 'lain'}-{i.id}" for i in q.items_for_wave("pre")})
    frame.insert(0, "SubmissionDate", "2026-10-15")
    frame["meta-instanceID"] = [f"uuid:{i}" for i in range(len(frame))]
    frame["KEY"] = frame["meta-instanceID"]
    frame["ReviewState"] = ""
    path = tmp_path / "odk.csv"
    frame.to_csv(path, index=False)
    pd.testing.assert_frame_equal(_scores(q, path), expected)


def test_google_forms_export(tmp_path, q, pre, expected):
    """Google Forms: a timestamp column, question texts as headers, option labels joined by ', '."""
    frame = pre.drop(columns=["waktu_isi"])
    for item in q.items_for_wave("pre"):
        if item.type in ("single_choice", "multi_select", "likert", "true_false"):
            frame[item.id] = _labels(q, item.id, frame[item.id])
    frame["kelompok"] = frame["kelompok"].map(lambda c: q.group_label(c, "id"))
    frame = frame.rename(columns={i.id: i.label("id") for i in q.items_for_wave("pre")})
    frame = frame.rename(columns={"kode_peserta": "Kode Peserta", "kelompok": "Kelompok", "nama": "Nama",
                                  "no_hp": "No HP"})
    frame.insert(0, "Timestamp", "15/10/2026 8:12:01")
    path = tmp_path / "google.csv"
    frame.to_csv(path, index=False)
    pd.testing.assert_frame_equal(_scores(q, path), expected)


def test_blank_split_cells_are_unanswered_not_zero(tmp_path, q, pre):
    frame = _kobo_xml(q, pre)
    split = [c for c in frame.columns if c.startswith("pengetahuan/k12/")]
    frame.loc[0, split] = ""
    path = tmp_path / "kobo.csv"
    frame.to_csv(path, index=False)
    r = evalkit.read_responses(path, q, wave="pre")
    assert pd.isna(r.data.loc[0, "k12"])
    frame.loc[0, split] = "0"
    frame.to_csv(path, index=False)
    assert evalkit.read_responses(path, q, wave="pre").data.loc[0, "k12"] == ""


def test_mapping_file(tmp_path, q, pre, expected):
    frame = pre.rename(columns={"kode_peserta": "ID", "k01": "Soal 1", "s01": "Pernyataan sikap 1"})
    frame["s01"] = None
    frame = frame.drop(columns=["s01"])
    frame["Pernyataan sikap 1"] = frame["Pernyataan sikap 1"].map({"1": "STS", "2": "TS", "3": "R", "4": "S", "5": "SS", "": ""})
    path = tmp_path / "lain.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError) as info:
        evalkit.read_responses(path, q, wave="pre")
    unknown = set(info.value.problems.loc[info.value.problems["problem"] == "kolom tidak dikenal", "column"])
    assert unknown == {"ID", "Soal 1", "Pernyataan sikap 1"}
    mapping = tmp_path / "peta.yaml"
    mapping.write_text(
        "columns:\n  ID: kode_peserta\n  Soal 1: k01\n  Pernyataan sikap 1: s01\n"
        "answers:\n  s01: {STS: 1, TS: 2, R: 3, S: 4, SS: 5}\n", encoding="utf-8")
    pd.testing.assert_frame_equal(_scores(q, path, mapping=mapping), expected)


def test_unmapped_answer_is_named(tmp_path, q, pre):
    frame = pre.copy()
    frame.loc[3, "s02"] = "Setuju sekali"
    path = tmp_path / "x.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError, match=r"(?s)EK-IO-022\] .*x\.csv:5.*'s02'.*'Setuju sekali'"):
        evalkit.read_responses(path, q, wave="pre")


def test_bad_mapping_file(tmp_path, q):
    bad = tmp_path / "peta.yaml"
    bad.write_text("kolom:\n  a: b\n", encoding="utf-8")
    with pytest.raises(DataError, match="EK-IO-010"):
        evalkit.read_responses(evalkit.bundled_sample("pre"), q, wave="pre", mapping=bad)


def test_system_columns_reach_the_ledger(tmp_path, q, pre):
    path = tmp_path / "kobo.csv"
    _kobo_xml(q, pre).to_csv(path, index=False, sep=";")
    with pytest.warns(evalkit.EvalkitWarning):
        analysis = evalkit.analyze(q, path, evalkit.bundled_sample("post"))
    ledger = analysis.ledger.set_index(["wave", "row"])
    assert ledger.loc[("pre", 2), "submission"] == "uuid-0" and ledger.loc[("pre", 2), "form_version"] == "vX1"
    assert (ledger.loc["post", "submission"] == "").all()  # a plain file has none


def test_one_export_holding_both_waves(tmp_path, q, pre):
    """One form for every wave: the export holds pre and post rows, told apart by `gelombang`."""
    post = pd.read_csv(evalkit.bundled_sample("post"), sep=";", dtype=str, keep_default_na=False,
                       encoding="utf-8-sig")
    both = pd.concat([pre.assign(gelombang="pre"), post.assign(gelombang="post")], ignore_index=True)
    both = both.fillna("")
    path = tmp_path / "kobo_semua.csv"
    both.to_csv(path, index=False, sep=";")
    with pytest.warns(evalkit.EvalkitWarning):
        combined = evalkit.analyze(q, path, path, key="k" * 16)
        separate = evalkit.analyze(q, evalkit.bundled_sample("pre"), evalkit.bundled_sample("post"), key="k" * 16)
    pd.testing.assert_frame_equal(combined.gains, separate.gains)
    summary = combined.ledger_summary.set_index("wave")
    assert summary["reconciles"].all() and summary["rows_read"].sum() == len(both)
    # a row without a wave is reported, and counted once (in the pre-test read) as invalid
    both.loc[3, "gelombang"] = ""
    both.to_csv(path, index=False, sep=";")
    with pytest.raises(DataError, match=r"(?s)EK-IO-022\] .*kobo_semua\.csv:5.*'gelombang'"):
        evalkit.read_responses(path, q, wave="post")
    with pytest.warns(evalkit.EvalkitWarning):
        lenient = evalkit.analyze(q, path, path, strict=False)
    summary = lenient.ledger_summary.set_index("wave")
    assert summary["rows_read"].sum() == len(both) and summary.loc["pre", "invalid"] == 1
