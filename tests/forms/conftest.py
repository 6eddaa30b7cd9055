"""Fixtures of the forms tests: small XLSForms written with openpyxl, as a form tool would save them."""

from __future__ import annotations

import pytest
from openpyxl import Workbook


def _write_form(path, survey, choices=None, settings=None):
    """An XLSForm with the given sheets (lists of rows, header first); a sheet given as None is left out."""
    book = Workbook()
    for i, (name, rows) in enumerate((("survey", survey), ("choices", choices), ("settings", settings))):
        if rows is None:
            continue
        ws = book.active if i == 0 else book.create_sheet(name)
        ws.title = name
        for r in rows:
            ws.append(list(r))
    book.save(path)
    return path


@pytest.fixture
def write_form():
    """``write_form(path, survey, choices=None, settings=None)`` writes an XLSForm and returns its path."""
    return _write_form
