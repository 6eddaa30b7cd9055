"""The analyst's notebook runs top to bottom headlessly and produces the report."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "analisis_pre_post.ipynb"


@pytest.mark.slow
def test_notebook_runs_and_writes_report(tmp_path):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert "parameters" in nb.cells[1].metadata.get("tags", [])
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.output_type == "error"]
    assert not errors
    assert (tmp_path / "laporan_notebook" / "gains.xlsx").exists()
    images = [o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    # two charts for each of the six pre/post scales, then the follow-up's retention and network charts
    assert len(images) == 14
    contrasts = next(c for c in nb.cells if c.source.startswith("kontras = "))
    table = next(o for o in contrasts.outputs if o.output_type == "execute_result")["data"]["text/plain"]
    assert "followup - pre" in table and "followup - post" in table
    summary = next(c for c in nb.cells if "analisis = evalkit.analyze(" in c.source)
    result = next(o for o in summary.outputs if o.output_type == "execute_result")
    assert "True" in result["data"]["text/plain"] and "False" not in result["data"]["text/plain"]
