"""Reading an XLSForm workbook (``.xlsx``, ``.xlsm``, legacy ``.xls``) as sheets of text records.

Headers are normalised (``list name`` → ``list_name``, other than translated columns
such as ``label::English (en)`` lower-cased) and cells turned into text, so
:mod:`._xlsform_import` reads every workbook the same way.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .._errors import QuestionnaireError
from .._i18n import tr

_BLANK_ROWS_STOP = 1000  # formatted empty rows to the sheet's end are common (1,048,576 in one real form)

_M = {
    "not_found": {"code": "EK-FM-001", "id": "{file}: berkas tidak ditemukan.", "en": "{file}: file not found."},
    "bad_format": {"code": "EK-FM-002", "id": "{file}: format berkas tidak didukung ({suffix}); yang diperbolehkan: .xlsx, .xlsm, .xls",
                   "en": "{file}: unsupported file format ({suffix}); allowed: .xlsx, .xlsm, .xls"},
    "no_xlrd": {"code": "EK-FM-003", "id": "{file}: berkas .xls lama memerlukan paket xlrd; simpan ulang sebagai .xlsx atau pasang xlrd.",
                "en": "{file}: legacy .xls files need the xlrd package; save it again as .xlsx or install xlrd."},
    "unreadable": {"code": "EK-FM-004", "id": "{file}: berkas tidak dapat dibaca sebagai Excel: {reason}",
                   "en": "{file}: the file cannot be read as Excel: {reason}"},
}


class _Sheet:
    """One sheet as (1-based row number, {normalised header: value}) records."""

    def __init__(self, name: str, header: list[str], rows: list[tuple[int, dict[str, str]]]):
        self.name, self.header, self.rows = name, header, rows


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _norm_header(name: Any) -> str:
    text = re.sub(r"\s+", " ", _text(name))
    if "::" in text or ":" in text and text.split(":", 1)[0].strip().lower() in ("label", "hint", "evalkit_title",
                                                                                 "description"):
        return text
    return text.lower().replace("list name", "list_name")


def _read_book(path: Path) -> dict[str, _Sheet]:
    if not path.exists():
        raise QuestionnaireError([tr(_M["not_found"], file=path)])
    suffix = path.suffix.lower()
    readers = {".xlsx": _xlsx_rows, ".xlsm": _xlsx_rows, ".xls": _xls_rows}
    if suffix not in readers:
        raise QuestionnaireError([tr(_M["bad_format"], file=path, suffix=suffix or "?")])
    try:
        raw = readers[suffix](path)
    except QuestionnaireError:
        raise
    except Exception as exc:  # zip, OS, xlrd and openpyxl errors have no common base
        raise QuestionnaireError([tr(_M["unreadable"], file=path, reason=exc)]) from None
    return {name.strip().lower(): _sheet(name, rows) for name, rows in raw.items() if rows}


def _xlsx_rows(path: Path) -> dict[str, list[list[Any]]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        return {ws.title: _until_blank(ws.iter_rows(values_only=True)) for ws in book.worksheets}
    finally:
        book.close()


def _xls_rows(path: Path) -> dict[str, list[list[Any]]]:
    try:
        import xlrd
    except ImportError:
        raise QuestionnaireError([tr(_M["no_xlrd"], file=path)]) from None
    book = xlrd.open_workbook(str(path))
    return {ws.name: _until_blank(ws.row_values(i) for i in range(ws.nrows)) for ws in book.sheets()}


def _sheet(name: str, rows: list[list[Any]]) -> _Sheet:
    """The first row as normalised header, the non-empty rows below as records."""
    header = [_norm_header(h) for h in rows[0]]
    records = []
    for number, values in enumerate(rows[1:], start=2):
        record = {h: _text(v) for h, v in zip(header, values) if h}
        if any(record.values()):
            records.append((number, record))
    return _Sheet(name, [h for h in header if h], records)


def _until_blank(rows) -> list[list[Any]]:
    out, blanks = [], 0
    for values in rows:
        values = list(values)
        if any(v not in (None, "") for v in values):
            out.extend([[]] * blanks)
            out.append(values)
            blanks = 0
        else:
            blanks += 1
            if blanks >= _BLANK_ROWS_STOP:
                break
    return out
