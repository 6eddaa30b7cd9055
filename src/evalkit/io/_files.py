"""Reading and writing answer tables as files: CSV, XLSX and Parquet, every cell as text.

Validation against the questionnaire is :mod:`evalkit.io`'s job; this module only turns a
file into strings exactly as typed (no type guessing) and says where its first data row is,
so that messages can name real line numbers.
"""

from __future__ import annotations

import csv
import datetime
import io as _io
import itertools
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from .._errors import DataError
from .._i18n import tr

_M = {
    "not_found": {"code": "EK-IO-001", "id": "{file}: berkas tidak ditemukan.", "en": "{file}: file not found."},
    "bad_format": {"code": "EK-IO-002", "id": "{file}: format berkas tidak didukung ({suffix}); yang diperbolehkan: .csv, .txt, .xlsx, .xlsm, .parquet",
                   "en": "{file}: unsupported file format ({suffix}); allowed: .csv, .txt, .xlsx, .xlsm, .parquet"},
    "no_pyarrow": {"code": "EK-IO-003", "id": "{file}: membaca/menulis berkas Parquet memerlukan paket pyarrow, yang belum terpasang. "
                         "Pasang dengan: pip install \"evalkit[parquet]\"",
                   "en": "{file}: reading/writing Parquet files needs the pyarrow package, which is not installed. "
                         "Install it with: pip install \"evalkit[parquet]\""},
    "empty": {"code": "EK-IO-004", "id": "{file}: berkas kosong (tidak ada baris judul kolom).",
              "en": "{file}: the file is empty (no header row)."},
    "unreadable": {"code": "EK-IO-005", "id": "{file}: berkas tidak dapat dibaca: {reason}",
                   "en": "{file}: the file cannot be read: {reason}"},
    "is_dir": {"code": "EK-IO-006", "id": "ini folder, bukan berkas", "en": "this is a folder, not a file"},
    "too_many_fields": {"code": "EK-IO-007",
        "id": "{file}:{line}: baris ini berisi {seen} kolom, padahal baris judul berisi {expected} (pemisah {sep}); "
              "periksa pemisah dan tanda kutip pada baris itu.",
        "en": "{file}:{line}: this row has {seen} fields but the header has {expected} (separator {sep}); "
              "check separators and quotes on that row."},
    "open_quote": {"code": "EK-IO-008",
        "id": "{file}: baris yang mulai pada baris teks {line} memuat sel bertanda kutip yang terlalu panjang: "
              "mungkin tanda kutip (\") pembukanya tidak ditutup; tanda kutip di dalam sel ditulis ganda (\"\").",
        "en": "{file}: the row starting on text line {line} holds a quoted cell that runs too long: its opening "
              "quote (\") may never close; a quote inside a cell is written doubled (\"\")."},
    "too_few_fields": {"code": "EK-IO-009",
        "id": "{file}: baris {lines} berisi lebih sedikit kolom daripada baris judul ({expected}, pemisah {sep}); "
              "mungkin pemisahnya bercampur (, dan ;).",
        "en": "{file}: rows {lines} have fewer fields than the header ({expected}, separator {sep}); "
              "separators may be mixed (, and ;)."},
}


def read_table(path: Path) -> tuple[pd.DataFrame, int]:
    """Read a CSV/XLSX file as strings, exactly as typed (no type guessing).

    Returns the table and the file row of its first data row (after the header and
    any blank lines above it), so that messages can name real line numbers.
    """
    if not path.exists():
        raise DataError(tr(_M["not_found"], file=path))
    if path.is_dir():
        raise DataError(tr(_M["unreadable"], file=path, reason=tr(_M["is_dir"])))
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".txt"):
            return _read_csv(path)
        if suffix in (".xlsx", ".xlsm"):
            return _read_excel(path)
        if suffix == ".parquet":
            return _read_parquet(path)
    except DataError:
        raise
    except (pd.errors.ParserError, csv.Error, UnicodeError, ValueError, OSError, KeyError,
            zipfile.BadZipFile) as exc:
        raise DataError(tr(_M["unreadable"], file=path, reason=exc)) from None
    raise DataError(tr(_M["bad_format"], file=path, suffix=suffix or "?"))


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the ANSI code page.
        return data.decode("cp1252", errors="replace")


def _read_csv(path: Path) -> tuple[pd.DataFrame, int]:
    """A CSV file as text; rows are records, as a spreadsheet shows them (an answer holding a
    line break is one row)."""
    text = _decode(path.read_bytes())
    stripped = text.lstrip("\r\n\t ")
    if not stripped.strip():
        raise DataError(tr(_M["empty"], file=path))
    blank_lines = text[: len(text) - len(stripped)].count("\n")
    sep = _separator(stripped)
    frame = _read_csv_arrow(stripped, sep)
    if frame is not None:
        return frame, 2 + blank_lines
    quoted = '"' in stripped
    if quoted:
        # Quoted fields may hold separators and line breaks: field counts come from a real
        # CSV parse of every record, not from counting separators per line.
        _check_record_widths(stripped, sep, path, blank_lines)
    else:
        lines = pd.Series(stripped.split("\n")).str.rstrip("\r")
        n_fields = len(next(csv.reader([lines[0]], delimiter=sep)))
        counts = lines.str.count(re.escape(sep)).to_numpy()
        stripped, lines, counts = _blank_separator_lines(stripped, lines, counts, sep, n_fields)
    try:
        frame = pd.read_csv(_io.StringIO(stripped), sep=sep, dtype=str, keep_default_na=False,
                            skip_blank_lines=False)
    except pd.errors.ParserError as exc:
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if not found:
            raise
        expected, line, seen = map(int, found.groups())
        raise DataError(tr(_M["too_many_fields"], file=path, line=line + blank_lines, seen=seen,
                           expected=expected, sep=repr(sep))) from None
    short = [] if quoted else _short_lines(lines, counts, sep, frame.shape[1])
    if short:
        raise DataError(tr(_M["too_few_fields"], file=path, lines=", ".join(str(i + 1 + blank_lines) for i in short[:10]),
                           expected=frame.shape[1], sep=repr(sep)))
    return frame.fillna(""), 2 + blank_lines


#: Separators tried, in order of preference when they fit the first records equally well.
_SEPARATORS = (",", ";", "\t")
#: How many leading records (within the first megabyte) decide the separator.
_SNIFF_RECORDS, _SNIFF_CHARS = 50, 1 << 20


def _separator(text: str) -> str:
    r"""The separator under which the first records have one field count (more than one field).

    Each candidate is parsed with the csv module, which keeps quoted separators and line breaks
    inside their field; the one under which most records share the header's field count wins,
    then the one giving more fields. Counting characters on the first line is fooled by a ``;``
    file whose quoted headers hold commas (a spreadsheet's re-save of a labels export).

    Examples
    --------
    >>> _separator('"Umur, tahun";"Kelompok"\n31;G01\n')
    ';'
    """
    sample = text[:_SNIFF_CHARS]
    best, best_fit = ",", (0.0, 1)
    for sep in _SEPARATORS:
        try:
            records = [r for r in itertools.islice(csv.reader(_io.StringIO(sample), delimiter=sep), _SNIFF_RECORDS)
                       if r]
        except csv.Error:  # a field over the csv module's size limit: not this separator's records
            continue
        width = len(records[0]) if records else 1
        fit = (sum(len(r) == width for r in records) / len(records), width) if width > 1 else (0.0, 1)
        if fit > best_fit:
            best, best_fit = sep, fit
    return best


def _check_record_widths(text: str, sep: str, path: Path, blank_lines: int) -> None:
    """Raise when a record has more fields than the header, or fewer (unless it is blank:
    pandas reads a blank or separators-only record as an empty row)."""
    records = csv.reader(_io.StringIO(text), delimiter=sep)
    expected = len(next(records))
    ended = [1]  # the text line the last whole record ended on

    def width(record: list[str]) -> int:
        ended[0] = records.line_num
        return len(record) if len(record) == expected or any(f.strip() for f in record) else 0
    try:
        widths = np.fromiter(map(width, records), dtype=np.int64)
    except csv.Error:  # a field over the csv module's limit (128 KiB): a quote opened and never closed
        raise DataError(tr(_M["open_quote"], file=path, line=ended[0] + 1 + blank_lines)) from None
    longer = np.flatnonzero(widths > expected)
    if len(longer):  # rows are 1-based and the header is row 1: record i (after it) is row i + 2
        raise DataError(tr(_M["too_many_fields"], file=path, line=longer[0] + 2 + blank_lines,
                           seen=widths[longer[0]], expected=expected, sep=repr(sep)))
    short = np.flatnonzero((widths < expected) & (widths > 0))
    if len(short):
        raise DataError(tr(_M["too_few_fields"], file=path, expected=expected, sep=repr(sep),
                           lines=", ".join(str(i + 2 + blank_lines) for i in short[:10])))


def _read_csv_arrow(text: str, sep: str) -> pd.DataFrame | None:
    """The table as pandas reads it, but read by pyarrow (3x faster), each column a categorical.

    ``None`` without pyarrow, or when the file is not a regular table (a row with more or
    fewer fields than the header, a blank line): pandas then reads it and names the problem.
    Files with quotes or lone carriage returns are left to pandas too, whose reading of
    them (and of their errors) differs in corner cases.
    """
    if '"' in text or text.count("\r") != text.count("\r\n"):
        return None
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
    except ImportError:
        return None
    try:
        names = pd.read_csv(_io.StringIO(text), sep=sep, dtype=str, nrows=0).columns  # "Unnamed: 2", "a.1"
    except pd.errors.ParserError:
        return None
    header = next(csv.reader(_io.StringIO(text), delimiter=sep))
    as_text = pa.dictionary(pa.int32(), pa.string())
    try:
        table = pacsv.read_csv(
            pa.BufferReader(text.encode("utf-8")),
            parse_options=pacsv.ParseOptions(delimiter=sep, quote_char=False, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(header, as_text), null_values=[],
                                                 strings_can_be_null=False))
    except pa.ArrowInvalid:
        return None
    if table.num_columns != len(names) or any(t != as_text for t in table.schema.types):
        return None  # pyarrow split the header differently: let pandas read it
    columns = {j: _dictionary_categorical(table.column(j)) for j in range(table.num_columns)}
    return pd.DataFrame(columns, copy=False).set_axis(names, axis=1)


def _blank_separator_lines(text: str, lines: pd.Series, counts: np.ndarray, sep: str,
                           n_fields: int) -> tuple[str, pd.Series, np.ndarray]:
    """Empty the lines that hold only separators and white space (``,,`` at the end of a
    spreadsheet export), so that they are read as empty rows whatever their number of
    separators. Only lines whose separator count differs from the header's are looked at:
    the others already read as empty rows."""
    odd = np.flatnonzero(counts != n_fields - 1)
    if not len(odd):
        return text, lines, counts
    blank = odd[(lines.iloc[odd].str.replace(sep, "", regex=False).str.strip() == "").to_numpy()
                & (lines.iloc[odd] != "").to_numpy()]
    if not len(blank):
        return text, lines, counts
    lines = lines.copy()
    lines.iloc[blank] = ""
    counts = counts.copy()
    counts[blank] = 0
    return "\n".join(lines), lines, counts


def _short_lines(lines: pd.Series, counts: np.ndarray, sep: str, n_fields: int) -> list[int]:
    """0-based indices of non-blank lines with fewer fields than the header.

    pandas pads such rows with empty cells, which would hide a row typed with another
    separator. Separators are counted for all lines at once; only lines whose count
    is off (few) are parsed properly, since a quoted field may hold a separator.
    """
    suspicious = np.flatnonzero((counts < n_fields - 1) & (lines.str.strip() != "").to_numpy())
    return [int(i) for i in suspicious if len(next(csv.reader([lines[i]], delimiter=sep))) < n_fields]


def _pyarrow(path: Path):
    try:
        import pyarrow.parquet as pq  # optional dependency: the "parquet" extra
    except ImportError:
        raise DataError(tr(_M["no_pyarrow"], file=path)) from None
    return pq


def _read_parquet(path: Path) -> tuple[pd.DataFrame, int]:
    """Read a Parquet answer table; text columns stay text, other columns are converted
    cell by cell during validation (as a DataFrame's would be).

    Text columns are read dictionary-encoded, as Parquet stores them, and become categoricals
    without a Python string per cell; the other columns (and an index pandas stored) are
    converted by pyarrow as usual.
    """
    pq = _pyarrow(path)
    import pyarrow as pa

    try:
        schema = pq.read_schema(path)
        index = {c for c in (schema.pandas_metadata or {}).get("index_columns", []) if isinstance(c, str)}
        text = [i for i, f in enumerate(schema) if f.name not in index and (pa.types.is_string(f.type)
                                                                             or pa.types.is_large_string(f.type))]
        table = pq.read_table(path, read_dictionary=[schema.field(i).name for i in text])
        if table.num_columns == 0:
            raise DataError(tr(_M["empty"], file=path))
        frame = table.select([i for i in range(table.num_columns) if i not in text]).to_pandas()
        data = [i for i, name in enumerate(table.column_names) if name not in index]
        for position, i in enumerate(data):
            if i in text:
                frame.insert(position, table.column_names[i], _dictionary_categorical(table.column(i)),
                             allow_duplicates=True)
    except DataError:
        raise
    except Exception as exc:  # pyarrow's own errors (ArrowInvalid, ...) are not ValueErrors
        raise DataError(tr(_M["unreadable"], file=path, reason=exc)) from None
    return frame, 2


def _dictionary_categorical(column) -> pd.Categorical:
    """A pandas categorical of a dictionary-encoded pyarrow column (missing cells coded -1)."""
    array = column.combine_chunks()  # one dictionary for all row groups
    codes = array.indices.fill_null(-1).to_numpy()
    return pd.Categorical.from_codes(codes, categories=pd.Index(array.dictionary.to_numpy(zero_copy_only=False),
                                                                dtype=object), validate=False)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with ``'`` (CSV/formula injection).

    Examples
    --------
    >>> import pandas as pd
    >>> escape_formulas(pd.DataFrame({"a": ["=1+1", "G01"]}))["a"].tolist()
    ["'=1+1", 'G01']
    """
    def fix(col: pd.Series) -> pd.Series:
        if col.dtype.kind in "biufcM":
            return col
        return col.map(lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v)
    return frame.apply(fix)


def write_table(frame: pd.DataFrame, path, *, for_excel: bool = False) -> Path:
    """Write a table to ``.csv`` or ``.parquet``.

    CSV is written as :func:`evalkit.simulate`'s sample files are (UTF-8, no index), so
    an answer table reads back cell for cell. ``for_excel=True`` is for tables people open
    in a spreadsheet (the report folder's): UTF-8 with a BOM, so that Excel shows Indonesian
    text correctly, and formula-like text cells escaped (:func:`escape_formulas`).
    Parquet needs the optional ``pyarrow`` (``pip install "evalkit[parquet]"``) and keeps
    every column as text, so reading it back gives the same cells.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> from evalkit.io import write_table, read_table
    >>> path = write_table(pd.DataFrame({"a": ["1", ""]}), pathlib.Path(tempfile.mkdtemp()) / "x.csv")
    >>> read_table(path)[0]["a"].tolist()
    ['1', '']
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        pq = _pyarrow(path)
        import pyarrow as pa

        table = pa.Table.from_pandas(frame.astype("string"), preserve_index=False)
        pq.write_table(table, path)
        return path
    if suffix in (".csv", ".txt") and for_excel:
        escape_formulas(frame).to_csv(path, index=False, encoding="utf-8-sig")
        return path
    if suffix in (".csv", ".txt"):
        frame.to_csv(path, index=False, lineterminator="\n")
        return path
    raise DataError(tr(_M["bad_format"], file=path, suffix=suffix or "?"))


def _read_excel(path: Path) -> tuple[pd.DataFrame, int]:
    from openpyxl import load_workbook

    # data_only=False: a formula reaches validation as its text ("=B2+1") and is reported,
    # instead of silently becoming an empty cell when the file has no cached values.
    book = load_workbook(path, read_only=True, data_only=False)
    try:
        rows = [[_cell_text(v) for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()
    while rows and not any(rows[-1]):
        rows.pop()  # openpyxl reports formatted but empty rows at the end of a sheet
    if not rows:
        raise DataError(tr(_M["empty"], file=path))
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    blank = next(i for i, r in enumerate(rows) if any(r))
    header, body = rows[blank], rows[blank + 1:]
    return pd.DataFrame(body, columns=_unique_headers(header), dtype=object), blank + 2


def _unique_headers(header: list[str]) -> list[str]:
    """Name blank headers ``Unnamed: i`` and repeated ones ``name.1`` (as pandas does)."""
    out, seen = [], {}
    for i, name in enumerate(header):
        name = name.strip() or f"Unnamed: {i}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        out.append(name)
    return out


def _cell_text(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (pd.Timestamp, datetime.datetime, datetime.date)):
        return value.isoformat()
    return str(value)
