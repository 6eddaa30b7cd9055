"""Many Parquet answer files of one questionnaire and wave, read and validated in one pass.

A national roll-up reads hundreds of small files of the same layout. Validation works per
column over the distinct texts, so its cost is mostly fixed per call; one call over the
stacked files costs about what one call over one file does. The files are then cut apart
again, each a :class:`Responses` equal to what :func:`read_responses` gives for it.

Only the checks that say "somewhere in the column" carry over from the stack to each file
unchanged (a problem in the stack is a problem in some file). The others look at one file
as a whole (a file of empty rows, the share of participant codes that look like phone
numbers); they are repeated per file. Anything the stack reports (an error, a warning) is
left to the one-file path, so every message names its file and row exactly as before.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from .._errors import EvalkitError
from ..privacy import warn_personal
from ..questionnaire import Questionnaire
from ._files import _dictionary_categorical
from ._headers import resolve_columns
from ._responses import (_PHONE_OR_EMAIL, SYSTEM_COLUMNS, Responses, _as_text_table, _matches,
                         validate_responses)

_FIRST_ROW = 2  # Parquet rows are numbered as in a CSV written from the same table


def read_parquet_batch(paths, questionnaire: Questionnaire, *, wave: str) -> list[Responses] | None:
    """Read and validate Parquet answer files of one questionnaire and wave together (strict).

    Parameters
    ----------
    paths : sequence of str or Path
        ``.parquet`` answer files with the same text columns in the same order, named as
        in the questionnaire (as ``evalkit.simulate`` and evalkit's forms write them).
    questionnaire : Questionnaire
    wave : str

    Returns
    -------
    list of Responses or None
        One per file, equal to ``read_responses(path, questionnaire, wave=wave)``; None when
        the files must be read one by one: another layout, a problem or a warning (reading
        them one by one then reports it, naming the file and row).

    Examples
    --------
    >>> import evalkit, tempfile, pathlib
    >>> from evalkit.io import read_parquet_batch, write_table
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> pre, _ = evalkit.simulate(q, n_groups=2, n_per_group=(5, 5), seed=1)
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> paths = [write_table(pre, folder / f"{i}.parquet") for i in range(2)]
    >>> [len(r.data) for r in read_parquet_batch(paths, q, wave="pre")]
    [10, 10]
    """
    paths = [Path(p) for p in paths]
    stacked = _stack(paths, questionnaire)
    if stacked is None:
        return None
    raw, sizes = stacked
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            whole = validate_responses(raw, questionnaire, wave=wave, strict=True, source=str(paths[0]),
                                       first_row=_FIRST_ROW)
        except EvalkitError:
            return None
    if caught or len(whole.data) != len(raw):
        return None
    starts = np.concatenate([[0], np.cumsum(sizes)])
    usable = whole.data["status"].to_numpy() == "ok"
    codes_may_be_personal = (_codes_may_be_personal_per_file(raw[questionnaire.id_column], starts)
                             if questionnaire.id_column in raw.columns else np.zeros(len(paths), bool))
    out = []
    for path, a, b, maybe in zip(paths, starts[:-1], starts[1:], codes_may_be_personal):
        # A file without one usable row stops its one-file read; personal-looking columns warn.
        if not usable[a:b].any() or _warns_personal(raw.iloc[a:b], questionnaire, path, codes=maybe):
            return None
        out.append(Responses(data=_cut(whole.data, a, b), wave=wave, source=str(path),
                             problems=whole.problems.iloc[0:0].copy(), submissions=_cut(whole.submissions, a, b)))
    return out


def _stack(paths: list[Path], q: Questionnaire) -> tuple[pd.DataFrame, list[int]] | None:
    """The files as one table of text categoricals (one dictionary per column), and their row
    counts; None unless every file is Parquet with the same text columns, named as the
    questionnaire names them (no export headers to resolve)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        return None
    if not paths or any(p.suffix.lower() != ".parquet" or not p.is_file() for p in paths):
        return None
    try:
        tables = [pq.read_table(p, read_dictionary=pq.read_schema(p).names) for p in paths]
    except Exception:  # noqa: BLE001 -- pyarrow's errors: the one-file read reports them
        return None
    if not _same_text_columns(tables, pa):
        return None
    names = tables[0].column_names
    table = pa.concat_tables(tables).unify_dictionaries()
    raw = pd.DataFrame({j: _dictionary_categorical(table.column(j)) for j in range(table.num_columns)}, copy=False)
    raw.columns = names
    raw = _as_text_table(raw)
    resolved, bad = resolve_columns(raw.iloc[:0], q, system_columns=SYSTEM_COLUMNS)
    if bad or list(resolved.columns) != list(raw.columns):
        return None
    return raw, [t.num_rows for t in tables]


def _same_text_columns(tables: list, pa) -> bool:
    """Whether the tables have the same columns, all text, and no index pandas stored."""
    names = tables[0].column_names
    return bool(names) and not (tables[0].schema.pandas_metadata or {}).get("index_columns") and all(
        t.column_names == names and all(pa.types.is_dictionary(f.type) and pa.types.is_string(f.type.value_type)
                                        for f in t.schema) for t in tables)


def _codes_may_be_personal_per_file(codes: pd.Series, starts: np.ndarray) -> np.ndarray:
    """``_codes_may_be_personal`` of each file's participant codes: the distinct codes of the
    stack are tested once, then counted per file."""
    values, categories = codes.cat.codes.to_numpy(), np.asarray(codes.cat.categories, dtype=object)
    filled = categories != ""
    candidate = filled & _matches(categories, _PHONE_OR_EMAIL)
    file = np.repeat(np.arange(len(starts) - 1), np.diff(starts))
    known = values >= 0
    n_filled = np.bincount(file[known], weights=filled[values[known]], minlength=len(starts) - 1)
    n_candidate = np.bincount(file[known], weights=candidate[values[known]], minlength=len(starts) - 1)
    return (n_candidate >= 0.5 * n_filled) & (n_filled > 0)


def _warns_personal(raw: pd.DataFrame, q: Questionnaire, path: Path, *, codes: bool) -> bool:
    """Whether the one-file read would warn that a column or the participant codes of this
    file look like personal data (a share of the file's values decides)."""
    declared = {c.lower() for c in (q.id_column, q.group_column, *q.personal_columns)} | {i.id for i in q.items}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warn_personal(raw, [c for c in raw.columns if c.lower() not in declared],
                      id_column=q.id_column if codes else None,
                      source=str(path))
    return bool(caught)


def _cut(frame: pd.DataFrame, a: int, b: int) -> pd.DataFrame:
    """Rows ``a:b`` of the stacked table, numbered as in their own file."""
    part = frame.iloc[a:b].reset_index(drop=True)
    part["row"] = np.arange(_FIRST_ROW, _FIRST_ROW + (b - a))
    return part
