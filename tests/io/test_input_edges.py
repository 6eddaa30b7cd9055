"""Empty inputs, separator-only rows, errors that summarize, simulate's groups (issue #13)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

import evalkit
from evalkit.cli import main
from evalkit.io._responses import _row_ranges

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def pre_text():
    return evalkit.bundled_sample("pre").read_text(encoding="utf-8")


def _post_frame():
    return pd.read_csv(evalkit.bundled_sample("post"), dtype=str, keep_default_na=False, sep=";",
                       encoding="utf-8-sig")


# --------------------------------------------------------------------------- separator-only rows
@pytest.mark.parametrize("strict", [True, False])
def test_rows_of_only_separators_or_spaces_are_empty_rows(tmp_path, q, pre_text, strict):
    lines = pre_text.splitlines()
    width = lines[0].count(",")
    tail = [",,", "," * width, "," * (width + 5), " ; ".replace(";", ","), "\t  "]  # fewer, as many, more
    path = tmp_path / "pre.csv"
    path.write_text("\n".join(lines[:6] + tail) + "\n", encoding="utf-8")
    r = evalkit.read_responses(path, q, wave="pre", strict=strict)
    assert r.data["row"].tolist() == list(range(2, 12))
    assert r.data["status"].tolist() == ["ok"] * 5 + ["empty"] * 5
    assert r.problems.empty


def test_separator_rows_reach_the_ledger_as_empty(tmp_path, pre_text):
    path = tmp_path / "pre.csv"
    path.write_text(pre_text + ",,\n,,\n", encoding="utf-8")
    with pytest.warns(evalkit.EvalkitWarning, match="EK-PL-001"):
        a = evalkit.analyze(evalkit.load_questionnaire(evalkit.bundled_questionnaire()), path,
                            evalkit.bundled_sample("post"))
    pre = a.ledger_summary.set_index("wave").loc["pre"]
    assert pre["empty"] == 2 and pre["rows_read"] == len(pre_text.splitlines()) + 1 and pre["reconciles"]


# --------------------------------------------------------------------------- empty inputs
@pytest.mark.parametrize("strict", [True, False])
@pytest.mark.parametrize("body", ["", ",,\n,,\n", "\n\n"])
def test_a_file_without_answer_rows_is_an_error_naming_it(tmp_path, q, pre_text, strict, body):
    path = tmp_path / "kosong.csv"
    path.write_text(pre_text.split("\n", 1)[0] + "\n" + body, encoding="utf-8")
    with pytest.raises(evalkit.DataError, match=r'EK-IO-031\] .*kosong\.csv'):
        evalkit.read_responses(path, q, wave="pre", strict=strict)


def test_a_dataframe_without_rows_is_an_error(q):
    frame = pd.read_csv(evalkit.bundled_sample("pre"), dtype=str, nrows=0)
    evalkit.set_language("en")
    with pytest.raises(evalkit.DataError, match="EK-IO-031"):
        evalkit.score(q, frame)


def test_cli_header_only_file_exits_1_and_writes_nothing(tmp_path, capsys, pre_text):
    path = tmp_path / "pre.csv"
    path.write_text(pre_text.split("\n", 1)[0] + "\n", encoding="utf-8")
    for lenient in ([], ["--lenient"]):
        code = main(["report", str(evalkit.bundled_questionnaire()), "--pre", str(path),
                     "--post", str(evalkit.bundled_sample("post")), "--out", str(tmp_path / "laporan"), *lenient])
        assert code == 1
        assert "[EK-IO-031] " in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pre.csv"]


def test_no_matched_participant_is_an_error_then_a_warning_with_lenient(q):
    post = _post_frame()
    post["kode_peserta"] = "X" + post["kode_peserta"] + "QQ"  # nobody's code is one slip away any more
    pre = evalkit.bundled_sample("pre")
    with pytest.raises(evalkit.DataError, match=r"EK-PL-003\] .*<DataFrame> .*pre\.csv"):
        evalkit.gains(q, pre, post)
    with pytest.raises(evalkit.DataError, match="EK-PL-003"):
        evalkit.analyze(q, pre, post)
    with pytest.warns(evalkit.EvalkitWarning, match="EK-PL-003"):
        table = evalkit.gains(q, pre, post, strict=False)
    assert table.empty
    with pytest.warns(evalkit.EvalkitWarning, match="EK-PL-003"):
        a = evalkit.analyze(q, pre, post, strict=False)
    assert a.ledger_summary["used"].tolist() == [0, 0] and a.ledger_summary["reconciles"].all()


# --------------------------------------------------------------------------- errors that summarize
def test_row_ranges():
    assert _row_ranges([2, 3, 4, 5, 9, 12, 13, 14, 40]) == "2\u20135, 9, 12\u201314, 40"
    assert _row_ranges([7]) == "7"
    assert _row_ranges(range(0, 40, 2), most=3) == "0, 2, 4, ..."


def test_same_problem_in_many_rows_is_one_line_with_count_and_ranges(q):
    pre = pd.read_csv(evalkit.bundled_sample("pre"), dtype=str, keep_default_na=False)
    pre.loc[100:199, "kelompok"] = "G11"  # file rows 102-201
    pre.loc[[3, 4, 5, 9], "kelompok"] = "G12"
    pre.loc[0, "k01"] = "z"
    with pytest.raises(evalkit.DataError) as caught:
        evalkit.io.validate_responses(pre, q, wave="pre", source="pre.csv")
    message = str(caught.value)
    assert "pre.csv: 105 masalah ditemukan" in message
    assert "pre.csv:102: kolom 'kelompok': kelompok tidak dikenal 'G11': 100 baris (102\u2013201); " \
           "yang diperbolehkan: G01, G02" in message
    assert "pre.csv:5: kolom 'kelompok': kelompok tidak dikenal 'G12': 4 baris (5\u20137, 11)" in message
    assert "pre.csv:2: kolom 'k01': jawaban tidak dikenal: 'z'" in message  # one row: as before
    assert message.count("G11") == 1 and len(message.splitlines()) == 5
    problems = caught.value.problems  # the full list stays
    assert len(problems) == 105 and problems["row"].tolist().count(150) == 1


def test_summary_shows_twenty_lines_and_counts_the_rest(q):
    pre = pd.read_csv(evalkit.bundled_sample("pre"), dtype=str, keep_default_na=False)
    pre.loc[:29, "kelompok"] = [f"X{i}" for i in range(30)]  # 30 different unknown groups
    evalkit.set_language("en")
    with pytest.raises(evalkit.DataError) as caught:
        evalkit.io.validate_responses(pre, q, wave="pre")
    message = str(caught.value)
    assert message.count("unknown group") == 20
    assert "... and 10 more (full list: DataError.problems, or data_quality.csv with --lenient)" in message


# --------------------------------------------------------------------------- simulate and groups
def test_simulate_more_groups_than_listed_names_both_numbers(q):
    with pytest.raises(evalkit.EvalkitError, match="EK-SIM-002"):
        evalkit.simulate(q, n_groups=30)


def test_with_groups_extends_and_the_simulated_answers_validate(q):
    longer = q.with_groups(12)
    assert [g.code for g in longer.groups] == [g.code for g in q.groups] + ["G11", "G12"]
    assert longer.groups[-1].text == {"id": "Kelompok 12", "en": "Group 12"}
    assert [g.code for g in q.with_groups(3).groups] == ["G01", "G02", "G03"]
    assert len(q.groups) == 10  # the questionnaire itself is unchanged
    pre, _ = evalkit.simulate(longer, n_groups=12, n_per_group=(3, 3), seed=1, mess=False)
    r = evalkit.io.validate_responses(pre, longer, wave="pre")
    assert r.problems.empty and sorted(r.data["group"].unique())[-1] == "G12"
    with pytest.raises(evalkit.EvalkitError, match="EK-QN-033"):
        q.with_groups(0)


def test_cli_simulate_too_many_groups_exits_1(tmp_path, capsys):
    assert main(["simulate", str(evalkit.bundled_questionnaire()), "--out", str(tmp_path / "s"),
                 "--groups", "30"]) == 1
    assert "[EK-SIM-002] n_groups=30" in capsys.readouterr().err
    assert not (tmp_path / "s").exists()


def test_benchmark_extends_groups_the_documented_way(q):
    spec = importlib.util.spec_from_file_location("benchmark_run", ROOT / "benchmarks" / "run.py")
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)
    assert run.questionnaire(1000).groups == q.with_groups(1000).groups
    assert "dataclasses.replace" not in (ROOT / "benchmarks" / "run.py").read_text(encoding="utf-8")


def test_allowed_values_of_a_long_list_are_listed_twenty_then_counted(q):
    """A network item of 1,000 groups: the message names twenty allowed values and counts the rest."""
    big = q.with_groups(1000)
    frame = pd.read_csv(evalkit.bundled_sample("pre"), dtype=str, keep_default_na=False, encoding="utf-8-sig").head(3)
    frame["jejaring"] = ["G01", "4", "G999 lbh"]
    frame[big.group_column] = "G01"
    r = evalkit.io.as_responses(frame, big, wave="pre", strict=False)
    problem = r.problems.set_index("column").loc["jejaring"]
    assert problem["value"] == "4" and problem["row"] == 3
    assert problem["allowed"].startswith("G01 (Kelompok Perempuan Desa Sukamaju, Pesawaran), G02 (")
    assert "G20 (Kelompok 20), G21" not in problem["allowed"]  # twenty listed; the rest counted
    assert "… dan 985 lainnya (lihat kuesioner)" in problem["allowed"]
    assert r.data.loc[r.data["row"] == 4, "jejaring"].astype(str).tolist() == ["G999 lbh"]
