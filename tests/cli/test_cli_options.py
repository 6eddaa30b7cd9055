"""The command line's options of issue #15: --info, --chart-format, help text, progress lines."""

from __future__ import annotations

import argparse

import pytest

import evalkit
from evalkit.cli import _parser, main


def _actions(parser):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _actions(sub)
        else:
            yield action


def test_every_argument_has_help_in_the_active_language(capsys):
    assert all(a.help for a in _actions(_parser()))
    assert main(["--lang", "en", "report", "--help"]) == 0
    out = capsys.readouterr().out
    assert "pre-test answer file" in out and "--chart-format" in out and "options:" in out
    assert main(["report", "--help"]) == 0
    out = capsys.readouterr().out
    assert "berkas jawaban pre-test" in out and "pilihan:" in out and "tampilkan bantuan ini" in out


def test_chart_format_is_parsed_and_checked(capsys):
    assert _parser().parse_args(["demo", "--chart-format", "svg, PDF,svg"]).chart_format == ("svg", "pdf")
    assert _parser().parse_args(["demo"]).chart_format == ("png",)
    assert main(["demo", "--chart-format", "png,gif"]) == 2
    err = capsys.readouterr().err
    assert "[EK-CLI-045] " in err and "'gif'" in err


@pytest.fixture
def fake_report(monkeypatch, tmp_path):
    """write_report replaced by a recorder (the analysis still runs, the folder is not drawn)."""
    calls = {}

    def record(analysis, out, **kwargs):
        calls.update(kwargs)
        for stage in ("tables", "charts", "documents"):
            kwargs["progress"](stage)
        return tmp_path / "out"

    import evalkit.report

    monkeypatch.setattr(evalkit.report, "write_report", record)
    return calls


def test_demo_passes_formats_and_info_on_and_is_quiet_when_redirected(fake_report, capsys, tmp_path):
    assert main(["demo", "--out", str(tmp_path / "out"), "--chart-format", "svg,pdf"]) == 0
    assert fake_report["chart_formats"] == ("svg", "pdf")
    assert fake_report["info"].field("place", "id") == "Bandar Lampung"
    assert "[1/5]" not in capsys.readouterr().err  # stderr is not a terminal here


def test_progress_line_per_stage_on_a_terminal(fake_report, capsys, tmp_path, monkeypatch):
    import sys

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(["--lang", "en", "demo", "--out", str(tmp_path / "out")]) == 0
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("[")]
    assert lines == ["[1/5] reading and checking the answer files …", "[2/5] analysing …", "[3/5] writing tables …",
                     "[4/5] drawing charts …", "[5/5] writing the Word and HTML report …"]


def test_bad_info_file_is_a_data_error(tmp_path, capsys):
    info = tmp_path / "laporan.yaml"
    info.write_text("tempat: Metro\n", encoding="utf-8")
    assert main(["demo", "--out", str(tmp_path / "out"), "--info", str(info)]) == 1
    err = capsys.readouterr().err
    assert f"[EK-RP-008] {info}:1: tempat: " in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()
