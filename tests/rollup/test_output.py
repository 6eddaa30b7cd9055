"""The roll-up folder and `evalkit rollup`: what is written, what is never touched, exit codes."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

import evalkit
from docx import Document

from evalkit.cli import main
from evalkit.rollup import write_rollup


@pytest.fixture(scope="module")
def folder(result, tmp_path_factory):
    return write_rollup(result, tmp_path_factory.mktemp("out") / "nasional")


def test_folder_holds_tables_charts_and_the_report(folder, result):
    for name in ("rollup.xlsx", "nasional.docx", "nasional.csv", "per_kelompok.csv", "meta_analisis.csv",
                 "charts/caterpillar_pengetahuan.png", "charts/forest_001.png", ".evalkit-report"):
        assert (folder / name).is_file(), name
    sheets = pd.read_excel(folder / "rollup.xlsx", sheet_name=None)
    assert {"README", "trainings", "groups", "meta", "subgroups", "trend", "excluded"} <= set(sheets)
    groups = sheets["groups"]
    small = groups["n"] < 5
    assert groups.loc[small, "mean_diff"].isna().all() and groups.loc[small, "suppressed"].all()
    national = pd.read_csv(folder / "nasional.csv", encoding="utf-8-sig")
    pd.testing.assert_series_equal(national["mean_diff"], result.national_gains["mean_diff"], rtol=1e-12)


def test_the_report_has_a_page_per_province_and_no_group_table(folder, result):
    doc = Document(folder / "nasional.docx")
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    for province in result.trainings["province"].unique():
        assert f"Provinsi {province}" in headings
    header_cells = [t.rows[0].cells[0].text for t in doc.tables]
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert not {c for c in cells if re.fullmatch(r"G\d\d", c)}  # no group appears alone: per-group tables are in the XLSX
    trainings = next(t for t, h in zip(doc.tables, header_cells) if h == "Pelatihan")
    assert len(trainings.rows) == len(result.trainings) + 1


def test_the_report_follows_the_single_training_outline(folder):
    """Chapters in the government order, named as the single-training report names them."""
    from evalkit.report import OUTLINE

    doc = Document(folder / "nasional.docx")
    top = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert top == ["Ringkasan Eksekutif", "BAB I Pendahuluan", "BAB II Metode", "BAB III Hasil",
                   "BAB IV Kesimpulan dan Rekomendasi", "Lampiran"]
    assert [s.title["id"] for s in OUTLINE if s.kind in ("chapter", "annex")] == [t.split(" ", 2)[-1] if
                                                                                   t.startswith("BAB") else t
                                                                                   for t in top[1:]]
    sections = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert sections[:4] == ["1.1 Latar Belakang", "2.1 Instrumen", "2.2 Peserta dan Pengumpulan Data", "2.3 Analisis"]
    assert "Lampiran 1. Daftar Pelatihan" in sections
    text = "\n".join(p.text for p in doc.paragraphs)
    assert all(f in text for f in result_fingerprints(folder))  # BAB II names the questionnaire's fingerprint


def result_fingerprints(folder) -> list[str]:
    return pd.read_csv(folder / "pelatihan.csv", encoding="utf-8-sig")["fingerprint"].unique().tolist()


def test_report_tables_fit_the_page_without_breaking_numbers(folder):
    """Every table's columns fit the A4 text width at their natural widths: no interval, number
    or training id wraps (the national and province tables keep estimates and intervals apart)."""
    from evalkit.report._render import _TEXT_MM, _column_measures, numeric_columns

    doc = Document(folder / "nasional.docx")
    for table in doc.tables:
        frame = pd.DataFrame([[c.text for c in row.cells] for row in table.rows[1:]],
                             columns=[c.text for c in table.rows[0].cells])
        natural, _ = _column_measures(frame, numeric_columns(frame))
        numbers = [n for n, numeric in zip(natural, numeric_columns(frame)) if numeric]
        assert sum(numbers) + sum(m for m, numeric in zip(_column_measures(frame, numeric_columns(frame))[1],
                                                          numeric_columns(frame)) if not numeric) <= _TEXT_MM


def test_a_second_run_replaces_only_its_own_files(result, tmp_path):
    out = write_rollup(result, tmp_path / "r", documents=False)
    (out / "catatan_saya.txt").write_text("milik analis")
    (out / "charts" / "extra.png").write_bytes(b"x")
    stale = json.loads((out / ".evalkit-report").read_text())["files"]
    write_rollup(result, out, documents=False)
    assert (out / "catatan_saya.txt").read_text() == "milik analis"
    assert (out / "charts" / "extra.png").exists()
    assert sorted(json.loads((out / ".evalkit-report").read_text())["files"]) == sorted(stale)


def test_a_folder_evalkit_did_not_write_is_refused(result, tmp_path):
    (tmp_path / "data.csv").write_text("x")
    with pytest.raises(evalkit.OutputError):
        write_rollup(result, tmp_path, documents=False)
    assert (tmp_path / "data.csv").read_text() == "x" and len(list(tmp_path.iterdir())) == 1


def test_cli_rollup(catalogue_path, tmp_path, capsys):
    assert main(["rollup", str(catalogue_path), "--out", str(tmp_path / "r"), "--no-documents"]) == 0
    out = capsys.readouterr()
    assert "Roll-up ditulis ke" in out.out and "5 pelatihan, 3 provinsi" in out.out
    assert (tmp_path / "r" / "rollup.xlsx").exists() and not (tmp_path / "r" / "nasional.docx").exists()


def test_cli_rollup_errors_exit_1_without_traceback(tmp_path, capsys):
    bad = tmp_path / "katalog.yaml"
    bad.write_text("trainings:\n  - id: A\n    province: Aceh\n")
    assert main(["--lang", "en", "rollup", str(bad), "--out", str(tmp_path / "r")]) == 1
    err = capsys.readouterr().err
    assert f"[EK-RU-010] {bad}:2: trainings[A]: 'office'" in err and "Traceback" not in err
    assert main(["rollup", str(tmp_path / "none.yaml"), "--out", str(tmp_path / "r")]) == 1
    assert main(["rollup", str(bad)]) == 2
