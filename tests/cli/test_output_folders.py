"""Nothing of the user's is ever deleted or overwritten (issue #13): output folders and files."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

import evalkit
from evalkit._outputs import MARKER, replace_folder
from evalkit.cli import main
from evalkit.report import write_report


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every entry under ``folder``: files with their bytes, folders as None."""
    return {p.relative_to(folder).as_posix(): (None if p.is_dir() else p.read_bytes())
            for p in sorted(folder.rglob("*"))}


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A new user's working folder: the questionnaire in surveys/, the answer files in data/."""
    (tmp_path / "surveys").mkdir()
    (tmp_path / "data").mkdir()
    shutil.copy(evalkit.bundled_questionnaire(), tmp_path / "surveys" / "ham_awareness.yaml")
    for wave in ("pre", "post"):
        shutil.copy(evalkit.bundled_sample(wave), tmp_path / "data" / f"{wave}.csv")
    (tmp_path / "data" / "catatan.txt").write_text("catatan lapangan\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def quick_report(monkeypatch):
    """Real tables, two placeholder charts, no documents: the folder rules, not the drawing, are tested
    here (tests/cli/test_cli_report.py writes a whole report)."""
    from evalkit.report import _folder as report

    real = report._write_contents

    def charts(analysis, tables, folder, **kwargs):
        for name in ("charts/gain_pengetahuan.png", "charts_extra/flow.png"):
            (folder / name).parent.mkdir(exist_ok=True)
            (folder / name).write_bytes(b"png " + kwargs["lang"].encode())
        return {}

    monkeypatch.setattr(report, "_draw_charts", charts)
    monkeypatch.setattr(report, "_write_contents", lambda *a, **kw: real(*a, **{**kw, "documents": False}))
    return charts


REPORT = ["report", "surveys/ham_awareness.yaml", "--pre", "data/pre.csv", "--post", "data/post.csv"]


def test_first_command_of_the_issue_keeps_data_then_reports_and_replaces(project, capsys, quick_report):
    before = snapshot(project)
    assert main(REPORT + ["--out", "data"]) == 1
    err = capsys.readouterr().err
    assert "[EK-OUT-002] data: " in err and "data/pre.csv" in err
    assert "'laporan'" in err and "Traceback" not in err
    assert snapshot(project) == before  # not a byte changed, nothing added
    # The suggested folder works; a second run into it replaces evalkit's files only.
    assert main(REPORT + ["--out", "laporan"]) == 0
    marker = json.loads((project / "laporan" / MARKER).read_text(encoding="utf-8"))
    assert "gains.csv" in marker["files"] and "charts/gain_pengetahuan.png" in marker["files"]
    assert marker["evalkit"] == evalkit.__version__
    assert set(marker["files"]) == set(snapshot(project / "laporan")) - {MARKER, "charts", "charts_extra"}
    (project / "laporan" / "gains.csv").write_text("diubah\n", encoding="utf-8")
    (project / "laporan" / "catatan_saya.txt").write_text("milik saya\n", encoding="utf-8")
    (project / "laporan" / "charts" / "gambar_saya.png").write_bytes(b"png")
    assert main(["--lang", "en", *REPORT, "--out", "laporan"]) == 0
    assert (project / "laporan" / "gains.csv").read_text(encoding="utf-8-sig").startswith("scale,")
    assert "Report written" in capsys.readouterr().out
    assert (project / "laporan" / "catatan_saya.txt").read_text(encoding="utf-8") == "milik saya\n"
    assert (project / "laporan" / "charts" / "gambar_saya.png").read_bytes() == b"png"
    assert {p.name for p in project.iterdir()} == {"surveys", "data", "laporan"}  # no temporary folder left
    assert {k: v for k, v in snapshot(project).items() if not k.startswith("laporan")} == before


@pytest.mark.parametrize(("out", "suggested"), [(".", "laporan"), ("..", "laporan"), ("surveys", "laporan"),
                                               ("data/pre.csv", "data/laporan"), ("data/post.csv", "data/laporan")])
def test_working_folder_and_input_folders_are_refused(project, capsys, out, suggested):
    before = snapshot(project)
    assert main(REPORT + ["--out", out]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "[EK-OUT-" in err and f"'{suggested}'" in err
    assert snapshot(project) == before


@pytest.mark.parametrize("option", ["--key-file", "--approve-fuzzy"])
def test_folder_holding_other_inputs_is_refused(project, capsys, option):
    (project / "kunci").mkdir()
    (project / "kunci" / "file.csv").write_text("row_pre,row_post\n", encoding="utf-8")
    before = snapshot(project)
    assert main(REPORT + ["--out", "kunci", option, "kunci/file.csv"]) == 1
    err = capsys.readouterr().err
    assert "[EK-OUT-002]" in err and "kunci/file.csv" in err
    assert snapshot(project) == before


def test_folder_with_other_files_is_refused_with_a_free_name(project, capsys):
    (project / "laporan").mkdir()
    (project / "laporan" / "lama.docx").write_bytes(b"laporan lama")
    (project / "laporan_1").mkdir()
    before = snapshot(project)
    assert main(["demo", "--out", "laporan"]) == 1
    err = capsys.readouterr().err
    assert "[EK-OUT-005] laporan: " in err and "(lama.docx)" in err
    assert "'laporan_2'" in err  # laporan_1 exists
    assert snapshot(project) == before


def test_refusal_in_english(project, capsys):
    assert main(["--lang", "en", *REPORT, "--out", "."]) == 1
    err = capsys.readouterr().err
    assert "the output folder cannot be the current working folder" in err and "e.g. 'laporan'" in err


def test_private_folder_is_checked_before_anything_is_written(project, capsys):
    (project / "laporan_pribadi").mkdir()
    (project / "laporan_pribadi" / "daftar_hadir.xlsx").write_bytes(b"nama peserta")
    before = snapshot(project)
    assert main(REPORT + ["--out", "laporan", "--keep-identifiers"]) == 1
    assert "[EK-OUT-005] laporan_pribadi: " in capsys.readouterr().err
    assert snapshot(project) == before  # the report folder was not written either


def test_library_refuses_a_folder_holding_the_answer_files(project):
    """The notebooks call write_report: the inputs come from the analysis itself."""
    q = evalkit.load_questionnaire("surveys/ham_awareness.yaml")
    with pytest.warns(evalkit.EvalkitWarning, match="EK-PL-001"):
        analysis = evalkit.analyze(q, "data/pre.csv", "data/post.csv")
    before = snapshot(project)
    with pytest.raises(evalkit.OutputError, match=r"EK-OUT-002\] .*data/pre\.csv"):
        write_report(analysis, project / "data")
    with pytest.raises(evalkit.OutputError, match=r"EK-OUT-002\] .*surveys/ham_awareness\.yaml"):
        write_report(analysis, "surveys")
    assert snapshot(project) == before


def test_interrupted_second_run_leaves_the_previous_report_intact(sample_analysis, tmp_path, monkeypatch,
                                                                   quick_report):
    from evalkit.report import _folder as report

    out = write_report(sample_analysis, tmp_path / "laporan")
    before = snapshot(tmp_path)

    def dies_partway(analysis, tables, folder, **kwargs):  # the tables are written: the run dies at the charts
        quick_report(analysis, tables, folder, **kwargs)
        raise RuntimeError("listrik padam")

    monkeypatch.setattr(report, "_draw_charts", dies_partway)
    with pytest.raises(RuntimeError, match="listrik padam"):
        write_report(sample_analysis, out, lang="en", min_group_size=10)
    assert snapshot(tmp_path) == before


def test_files_of_the_previous_run_are_replaced_or_removed_others_kept(tmp_path, monkeypatch):
    def build(files):
        def write(folder):
            for name, text in files.items():
                (folder / name).parent.mkdir(parents=True, exist_ok=True)
                (folder / name).write_text(text, encoding="utf-8")
        return write

    out = tmp_path / "laporan"
    replace_folder(out, build({"a.csv": "1", "grafik/x.png": "x", "grafik/y.svg": "y", "lama/z.txt": "z"}))
    (out / "grafik" / "punya_saya.txt").write_text("saya", encoding="utf-8")
    replace_folder(out, build({"a.csv": "2", "grafik/x.png": "x2", "b.csv": "b"}))
    assert snapshot(out) == {MARKER: (out / MARKER).read_bytes(), "a.csv": b"2", "b.csv": b"b", "grafik": None,
                             "grafik/punya_saya.txt": b"saya", "grafik/x.png": b"x2"}
    assert json.loads((out / MARKER).read_text(encoding="utf-8"))["files"] == ["a.csv", "b.csv", "grafik/x.png"]
    # A file of the user's where the new output would go is never overwritten.
    (out / "c.csv").write_text("punya saya", encoding="utf-8")
    before = snapshot(tmp_path)
    with pytest.raises(evalkit.OutputError, match=r"EK-OUT-007\] .*'c\.csv'"):
        replace_folder(out, build({"a.csv": "3", "c.csv": "c"}))
    assert snapshot(tmp_path) == before


def test_a_hand_edited_marker_cannot_point_outside(tmp_path):
    (tmp_path / "di_luar.txt").write_text("jangan dihapus", encoding="utf-8")
    out = tmp_path / "laporan"
    out.mkdir()
    (out / MARKER).write_text(json.dumps({"files": ["../di_luar.txt", str(tmp_path / "di_luar.txt"), "ok.csv"]}),
                              encoding="utf-8")
    (out / "ok.csv").write_text("lama", encoding="utf-8")
    replace_folder(out, lambda folder: (folder / "baru.csv").write_text("baru", encoding="utf-8"))
    assert (tmp_path / "di_luar.txt").read_text(encoding="utf-8") == "jangan dihapus"
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "baru.csv"]


def test_a_broken_marker_does_not_make_a_folder_evalkit_s(tmp_path):
    out = tmp_path / "laporan"
    out.mkdir()
    (out / MARKER).write_text("bukan json", encoding="utf-8")
    (out / "data.csv").write_text("1", encoding="utf-8")
    with pytest.raises(evalkit.OutputError, match="EK-OUT-005"):
        replace_folder(out, lambda folder: None)
    assert (out / "data.csv").read_text(encoding="utf-8") == "1"


def test_empty_folder_may_be_used(tmp_path):
    out = tmp_path / "kosong"
    out.mkdir()
    replace_folder(out, lambda folder: (folder / "x.csv").write_text("x", encoding="utf-8"))
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "x.csv"]


# --------------------------------------------------------------------------- simulate --out
def test_simulate_folder_rules(project, capsys):
    q = "surveys/ham_awareness.yaml"
    before = snapshot(project)
    for out in ("surveys", "data", "."):
        assert main(["simulate", q, "--out", out, "--groups", "2"]) == 1
    assert "mis. 'data_simulasi'" in capsys.readouterr().err
    assert snapshot(project) == before
    assert main(["simulate", q, "--out", "sim", "--groups", "2"]) == 0
    assert main(["simulate", q, "--out", "sim", "--groups", "3", "--seed", "1"]) == 0  # its own folder again
    assert sorted(p.name for p in (project / "sim").iterdir()) == [MARKER, "followup.csv", "post.csv", "pre.csv"]


def test_sample_data_folder_is_marked_so_the_documented_command_reruns(tmp_path, monkeypatch):
    """README: `evalkit simulate surveys/ham_awareness.yaml --out data/sample --seed 2026`."""
    sample = evalkit.bundled_sample("pre").parent
    copy = tmp_path / "data" / "sample"
    shutil.copytree(sample, copy)
    before = snapshot(copy)
    assert json.loads(before[MARKER])["files"] == ["followup.csv", "post.csv", "pre.csv"]
    assert main(["simulate", str(evalkit.bundled_questionnaire()), "--out", str(copy), "--seed", "2026"]) == 0
    after = snapshot(copy)
    assert json.loads(after.pop(MARKER))["files"] == ["followup.csv", "post.csv", "pre.csv"]
    assert after == {k: v for k, v in before.items() if k != MARKER}  # the same bytes again


# --------------------------------------------------------------------------- single files
@pytest.mark.parametrize("command", [["xlsform"], ["template"], ["print"], ["print", "--answer-key"]])
def test_file_writers_never_overwrite_an_input_and_ask_before_replacing(project, capsys, command):
    q = "surveys/ham_awareness.yaml"
    before = snapshot(project)
    for force in ([], ["--force"]):
        assert main([command[0], q, "-o", q, *command[1:], *force]) == 1
        assert "berkas keluaran sama dengan berkas masukan" in capsys.readouterr().err
    assert snapshot(project) == before
    out = "formulir.xlsx" if command[0] != "print" else "tes.docx"
    (project / out).write_bytes(b"berkas lama")
    assert main([command[0], q, "-o", out, *command[1:]]) == 1
    err = capsys.readouterr().err
    assert "berkas sudah ada; evalkit tidak menimpanya" in err and f"{Path(out).stem}_1" in err
    assert (project / out).read_bytes() == b"berkas lama"
    assert main([command[0], q, "-o", out, *command[1:], "--force"]) == 0
    assert (project / out).read_bytes()[:2] == b"PK"  # a real workbook / document now
    assert sorted(p.name for p in project.iterdir()) == sorted(["surveys", "data", out])  # no temporary file


def test_import_xlsform_never_overwrites_the_form(project, capsys, q):
    from evalkit.forms import to_xlsform

    form = to_xlsform(q, project / "formulir.xlsx")
    before = form.read_bytes()
    assert main(["import-xlsform", str(form), "-o", str(form), "--force"]) == 1
    assert "sama dengan berkas masukan" in capsys.readouterr().err
    assert form.read_bytes() == before
    assert main(["import-xlsform", str(form), "-o", "kuesioner.yaml"]) == 0
    assert main(["import-xlsform", str(form), "-o", "kuesioner.yaml"]) == 1  # exists now


def test_library_writer_refuses_the_questionnaire_file(tmp_path, q):
    from evalkit.forms import entry_template

    copy = tmp_path / "q.yaml"
    shutil.copy(evalkit.bundled_questionnaire(), copy)
    own = evalkit.load_questionnaire(copy)
    with pytest.raises(evalkit.OutputError, match="EK-OUT-008"):
        entry_template(own, copy, overwrite=True)
    assert copy.read_bytes() == evalkit.bundled_questionnaire().read_bytes()
    assert os.listdir(tmp_path) == ["q.yaml"]
