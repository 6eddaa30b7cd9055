"""The report notebook runs headlessly, parameterised, and shows every chart."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "laporan.ipynb"


@pytest.mark.slow
def test_report_notebook_runs_in_english_too(tmp_path):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    params = nb.cells[1]
    assert "parameters" in params.metadata.get("tags", [])
    params.source = params.source.replace('bahasa = "id"', 'bahasa = "en"')
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 8
    assert any("True" in o.get("data", {}).get("text/plain", "") for o in outputs)
    markdown = " ".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "Alur peserta" in markdown and "kelompok" in markdown
