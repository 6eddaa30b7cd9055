"""The command line and the report folder, as an analyst uses them."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest
from PIL import Image

import evalkit
from evalkit.cli import main
from evalkit.report import write_report


def test_check_passes(capsys):
    assert main(["check", str(evalkit.bundled_questionnaire())]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: ") and "pengetahuan" in out


def test_check_broken_copy_fails_with_file_line(tmp_path, capsys, yaml_text):
    broken = tmp_path / "rusak.yaml"
    broken.write_text(yaml_text.replace("type: single_choice", "type: pilihan", 1), encoding="utf-8")
    assert main(["check", str(broken)]) == 1
    err = capsys.readouterr().err
    assert re.search(rf"{re.escape(str(broken))}:\d+: items\[k01\]\.type: nilai 'pilihan' tidak dikenal", err)
    assert "Traceback" not in err


def test_usage_error_exit_code(capsys):
    assert main(["report"]) == 2
    assert "usage" in capsys.readouterr().err


def test_missing_answer_file(tmp_path, capsys):
    code = main(["report", str(evalkit.bundled_questionnaire()), "--pre", str(tmp_path / "x.csv"),
                 "--post", str(evalkit.bundled_sample("post")), "--out", str(tmp_path / "out")])
    assert code == 1
    err = capsys.readouterr().err
    assert "[EK-IO-001] " in err and "x.csv: " in err and "Traceback" not in err


def test_strict_then_lenient(tmp_path, capsys):
    pre = pd.read_csv(evalkit.bundled_sample("pre"), dtype=str, keep_default_na=False)
    pre.loc[0, "k01"] = "z"
    bad = tmp_path / "pre.csv"
    pre.to_csv(bad, index=False)
    args = ["report", str(evalkit.bundled_questionnaire()), "--pre", str(bad),
            "--post", str(evalkit.bundled_sample("post")), "--out", str(tmp_path / "out")]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "[EK-IO-022]" in err and "pre.csv:2: " in err and "'k01'" in err and "'z'" in err
    assert not (tmp_path / "out").exists()
    assert main(args + ["--lenient"]) == 0
    quality = pd.read_csv(tmp_path / "out" / "data_quality.csv")
    assert quality[["row", "column", "value"]].values.tolist() == [[2, "k01", "z"]]


def test_demo_folder_contents(demo_folder):
    names = {p.name for p in demo_folder.iterdir()}
    assert {"gains.csv", "gains.xlsx", "ledger.csv", "ledger_summary.csv", "data_quality.csv",
            "post_only.csv", "README.txt", "charts"} <= names
    gains = pd.read_csv(demo_folder / "gains.csv")
    assert len(gains) == 66
    sheets = pd.read_excel(demo_folder / "gains.xlsx", sheet_name=None)
    assert {"gains", "ledger", "ledger_summary"} <= set(sheets)
    codes = dict(zip(sheets["kamus_kolom"]["kolom"], sheets["kamus_kolom"]["kode"]))  # Indonesian headers
    pd.testing.assert_frame_equal(sheets["gains"].rename(columns=codes).drop(columns="group_name"), gains,
                                  check_dtype=False)
    charts = sorted(p.name for p in (demo_folder / "charts").iterdir())
    assert len(charts) == 12 and "gain_pengetahuan.png" in charts and "prepost_sikap.png" in charts
    with Image.open(demo_folder / "charts" / "gain_pengetahuan.png") as img:
        assert round(img.info["dpi"][0]) == 300


def test_no_personal_data_in_demo_outputs(demo_folder):
    pre = pd.read_csv(evalkit.bundled_sample("pre"), dtype=str, keep_default_na=False)
    secrets = set(pre["nama"]) | set(pre["no_hp"]) | set(pre["kode_peserta"])
    for path in demo_folder.rglob("*"):
        if path.suffix in (".csv", ".txt"):
            text = path.read_text(encoding="utf-8-sig")
        elif path.suffix == ".xlsx":
            text = " ".join(df.to_csv() for df in pd.read_excel(path, sheet_name=None, dtype=str).values())
        else:
            continue
        found = [s for s in secrets if s in text]
        assert not found, (path.name, found[:3])


def test_report_refuses_when_ledger_does_not_reconcile(sample_analysis, tmp_path):
    summary = sample_analysis.ledger_summary.copy()
    summary.loc[0, "rows_read"] += 1
    summary["reconciles"] = [False, True]
    broken = dataclasses.replace(sample_analysis, ledger_summary=summary)
    with pytest.raises(evalkit.EvalkitError, match="EK-RP-001"):
        write_report(broken, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_interrupted_report_leaves_nothing(sample_analysis, tmp_path, monkeypatch):
    from evalkit import charts

    def boom(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(charts, "save", boom)
    with pytest.raises(KeyboardInterrupt):
        write_report(sample_analysis, tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


def test_formula_cells_are_escaped(tmp_path):
    from evalkit.report import escape_formulas, write_table

    frame = pd.DataFrame({"group": ["=HYPERLINK(\"x\")", "G01", "+1", "@SUM(A1)"], "n": [1, 2, 3, 4]})
    write_table(frame, tmp_path / "t.csv", for_excel=True)
    text = (tmp_path / "t.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "'+1" in text and "'@SUM" in text
    assert escape_formulas(frame)["n"].tolist() == [1, 2, 3, 4]


def test_english_report(sample_analysis, tmp_path):
    out = write_report(sample_analysis, tmp_path / "en", lang="en")
    assert "Names, phone numbers and participant codes" in (out / "README.txt").read_text(encoding="utf-8")
