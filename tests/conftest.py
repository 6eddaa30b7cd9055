"""Shared fixtures: the bundled questionnaire, sample analysis, and a clean state per test."""

from __future__ import annotations

import os

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

import evalkit  # noqa: E402
from evalkit._i18n import _state  # noqa: E402


@pytest.fixture(autouse=True)
def _clean_state():
    """Indonesian messages by default; close figures after each test."""
    _state["language"] = None
    yield
    _state["language"] = None
    plt.close("all")


@pytest.fixture(scope="session")
def q():
    return evalkit.load_questionnaire(evalkit.bundled_questionnaire())


@pytest.fixture(scope="session")
def sample_analysis(q):
    with pytest.warns(evalkit.EvalkitWarning, match="EK-PL-001"):
        return evalkit.analyze(q, evalkit.bundled_sample("pre"), evalkit.bundled_sample("post"))


@pytest.fixture(scope="session")
def demo_folder(tmp_path_factory):
    """The report folder `evalkit demo` writes, made once for the session."""
    from evalkit.cli import main

    # From a scratch working folder with the default --out, as a new user would run it.
    folder = tmp_path_factory.mktemp("demo")
    previous = os.getcwd()
    os.chdir(folder)
    try:
        assert main(["demo"]) == 0
    finally:
        os.chdir(previous)
    return folder / "laporan_demo"


@pytest.fixture
def yaml_text():
    return evalkit.bundled_questionnaire().read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def demo_pdf(demo_folder, tmp_path_factory):
    """The demo's laporan.docx rendered by LibreOffice, as a reader would see it (skipped without soffice)."""
    import shutil
    import subprocess

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui); "
                    "the DOCX → PDF check needs it")
    folder = tmp_path_factory.mktemp("pdf")
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder),
                    str(demo_folder / "laporan.docx")], check=True, capture_output=True, timeout=300,
                   env={"HOME": str(folder), "PATH": "/usr/bin:/bin"})
    return folder / "laporan.pdf"
