"""Review status of the collection tool respected (rejected submissions left out, on request
included), and nothing dropped silently: a missing item column is reported with the scales it
changes; `--mapping` reaches the reader from the command line."""

from __future__ import annotations

import pandas as pd
import pytest

import evalkit
from evalkit import DataError, EvalkitWarning
from evalkit.cli import main


@pytest.fixture(scope="module")
def pre():
    return pd.read_csv(evalkit.bundled_sample("pre"), dtype=str, keep_default_na=False)


REJECTED = [0, 5, 9]


@pytest.mark.parametrize("column, rejected, other", [
    ("_validation_status", "validation_status_not_approved", "validation_status_approved"),
    ("_validation_status", "Not approved", "Approved"),
    ("ReviewState", "rejected", "hasIssues"),
])
def test_rejected_submissions_are_left_out_and_counted(tmp_path, q, pre, column, rejected, other):
    frame = pre.assign(**{column: ""})
    frame.loc[REJECTED, column] = rejected
    frame.loc[[1, 2], column] = other
    frame.loc[5, "k01"] = "zz"  # what is wrong in a rejected row does not stop the read
    path = tmp_path / "kobo.csv"
    frame.to_csv(path, index=False)
    r = evalkit.read_responses(path, q, wave="pre")
    assert r.data["status"].eq("rejected").tolist() == [i in REJECTED for i in range(len(pre))]
    plain = pre.drop(index=REJECTED)
    plain_path = tmp_path / "tanpa_ditolak.csv"
    plain.to_csv(plain_path, index=False)
    expected = evalkit.score(q, evalkit.read_responses(plain_path, q, wave="pre"))
    scores = evalkit.score(q, r)
    pd.testing.assert_frame_equal(scores.drop(columns="row"), expected.drop(columns="row"))

    analysis = evalkit.analyze(q, r, evalkit.read_responses(evalkit.bundled_sample("post"), q, wave="post"))
    summary = analysis.ledger_summary.set_index("wave")
    assert summary.loc["pre", "rejected"] == 3 and summary["reconciles"].all()
    ledger = analysis.ledger[analysis.ledger["wave"] == "pre"].set_index("row")
    assert (ledger.loc[[i + 2 for i in REJECTED], "state"] == "rejected").all()

    with pytest.raises(DataError, match=r"(?s)EK-IO-022\] .*kobo\.csv:7.*'k01'.*'zz'"):
        evalkit.read_responses(path, q, wave="pre", include_rejected=True)
    frame.loc[5, "k01"] = pre.loc[5, "k01"]
    frame.to_csv(path, index=False)
    included = evalkit.read_responses(path, q, wave="pre", include_rejected=True)
    assert included.data["status"].eq("ok").all()


def test_cli_reports_rejected_rows_and_can_include_them(tmp_path, pre, capsys):
    frame = pre.assign(ReviewState="")
    frame.loc[REJECTED, "ReviewState"] = "rejected"
    frame.loc[5, "k01"] = "zz"
    path = tmp_path / "odk.csv"
    frame.to_csv(path, index=False)
    survey, post = str(evalkit.bundled_questionnaire()), str(evalkit.bundled_sample("post"))
    code = main(["report", survey, "--pre", str(path), "--post", post, "--out", str(tmp_path / "a")])
    out = capsys.readouterr().out
    assert code == 0 and "+ 3 ditolak" in out
    assert "ditolak pemeriksa" in (tmp_path / "a" / "README.txt").read_text(encoding="utf-8")
    ledger = pd.read_csv(tmp_path / "a" / "ledger_summary.csv").set_index("wave")
    assert ledger.loc["pre", "rejected"] == 3
    # included, the rejected row 7 is read, and its bad answer stops the run
    code = main(["report", survey, "--pre", str(path), "--post", post, "--out", str(tmp_path / "b"),
                 "--include-rejected"])
    err = capsys.readouterr().err
    assert code == 1 and "[EK-IO-022]" in err and "odk.csv:7: " in err and "'k01'" in err


def test_missing_item_column_is_reported_counted_and_its_scales_named(tmp_path, q, pre):
    path = tmp_path / "tanpa_k12.csv"
    pre.drop(columns=["k12", "s03"]).to_csv(path, index=False)
    with pytest.raises(DataError, match=r"(?s)EK-IO-022\] .*tanpa_k12\.csv:1.*'k12'"):
        evalkit.read_responses(path, q, wave="pre")
    with pytest.warns(EvalkitWarning, match=r"EK-IO-029\] .*tanpa_k12\.csv: .* k12, s03 .* pengetahuan, sikap "):
        r = evalkit.read_responses(path, q, wave="pre", strict=False)
    missing = r.problems[r.problems["problem"] == "kolom wajib tidak ada"]
    assert missing["column"].tolist() == ["k12", "s03"]


def test_a_column_of_unknown_answers_is_named_in_lenient_mode(tmp_path, q, pre):
    frame = pre.copy()
    frame["k12"] = frame["k12"].map(lambda v: "pilihan lain" if v else v)
    path = tmp_path / "k12.csv"
    frame.to_csv(path, index=False)
    with pytest.warns(EvalkitWarning, match="EK-IO-029"):
        r = evalkit.read_responses(path, q, wave="pre", strict=False)
    assert r.data["k12"].isna().all()


def test_cli_mapping_option(tmp_path, pre, capsys):
    frame = pre.rename(columns={"kode_peserta": "ID", "k01": "Soal 1"})
    frame["s01"] = frame["s01"].map({"1": "STS", "2": "TS", "3": "R", "4": "S", "5": "SS", "": ""})
    path = tmp_path / "lain.csv"
    frame.to_csv(path, index=False)
    survey, post = str(evalkit.bundled_questionnaire()), str(evalkit.bundled_sample("post"))
    args = ["report", survey, "--pre", str(path), "--post", post]
    assert main([*args, "--out", str(tmp_path / "a")]) == 1
    err = capsys.readouterr().err
    assert "[EK-IO-022]" in err and "'ID'" in err
    mapping = tmp_path / "peta.yaml"
    mapping.write_text("columns:\n  ID: kode_peserta\n  Soal 1: k01\nanswers:\n  s01: {STS: 1, TS: 2, R: 3, S: 4, SS: 5}\n",
                       encoding="utf-8")
    assert main([*args, "--out", str(tmp_path / "b"), "--mapping", str(mapping)]) == 0
    q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    plain = evalkit.analyze(q, evalkit.bundled_sample("pre"), evalkit.bundled_sample("post")).ledger_summary
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "b" / "ledger_summary.csv"), plain.rename_axis(columns=None),
                                  check_dtype=False)
    assert main([*args, "--out", str(tmp_path / "c"), "--mapping", str(tmp_path / "tidak_ada.yaml")]) == 1
    assert "[EK-IO-010]" in capsys.readouterr().err


def test_a_wave_of_only_rejected_rows_is_refused(tmp_path, q, pre):
    path = tmp_path / "semua_ditolak.csv"
    pre.assign(ReviewState="rejected").to_csv(path, index=False)
    with pytest.raises(DataError, match=r"EK-IO-026\] .*semua_ditolak\.csv: .* pre \(258 .*--include-rejected\)"):
        evalkit.read_responses(path, q, wave="pre")
    assert evalkit.read_responses(path, q, wave="pre", include_rejected=True).data["status"].eq("ok").all()
