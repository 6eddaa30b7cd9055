"""Reading answer files (CSV, XLSX, Parquet) into validated answer tables.

Files are read as text by :mod:`._files` (``read_table``, ``write_table``).

Cells are parsed per item column over the column's *distinct* values, then mapped
back, so the cost grows with the number of distinct answers, not with rows × items.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .._errors import DataError, EvalkitError, EvalkitWarning
from ._files import read_table, write_table  # noqa: F401  (write_table: part of evalkit.io)
from .._i18n import tr
from .._lazy import optional_pyarrow as _arrow
from .._form_labels import WAVE_LABELS
from ._headers import NONE_CHOSEN, load_mapping, read_labels, resolve_columns, text_key
from ..privacy import warn_personal
from ..questionnaire import TRUE_FALSE_ALIASES, Item, Questionnaire

#: Columns written by KoboToolbox, ODK Central, Google Forms and spreadsheets that
#: are kept in the file's record but are never items.
SYSTEM_COLUMNS = frozenset({
    "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
    "_submitted_by", "__version__", "_version_", "_tags", "_index", "_parent_index",
    "_parent_table_name", "_attachments", "_geolocation", "_xform_id_string",
    "submissiondate", "meta-instanceid", "meta/instanceid", "key", "submitterid", "submittername",
    "reviewstate", "attachmentspresent", "attachmentsexpected", "status", "devicedate", "edits",
    "formversion", "start", "end", "today", "deviceid", "username", "audit", "timestamp",
    "waktu", "cap waktu", "gelombang", "wave",
})
MISSING_TOKENS = frozenset({"", "na", "n/a", "nan", "none", "null", "-", "."})
_SPACES = re.compile(r"\s+")

_M = {
    "unknown_option": {"code": "EK-IO-011", "id": "jawaban tidak dikenal", "en": "unknown answer"},
    "out_of_range": {"code": "EK-IO-012", "id": "nilai di luar rentang", "en": "value out of range"},
    "not_a_number": {"code": "EK-IO-013", "id": "bukan angka", "en": "not a number"},
    "missing_code": {"code": "EK-IO-014", "id": "kode peserta kosong", "en": "participant code is empty"},
    "unknown_group": {"code": "EK-IO-015", "id": "kelompok tidak dikenal", "en": "unknown group"},
    "missing_group": {"code": "EK-IO-016", "id": "kelompok kosong", "en": "group is empty"},
    "missing_column": {"code": "EK-IO-017", "id": "kolom wajib tidak ada", "en": "required column is missing"},
    "unknown_column": {"code": "EK-IO-018", "id": "kolom tidak dikenal", "en": "unknown column"},
    "duplicate_column": {"code": "EK-IO-019", "id": "nama kolom ganda", "en": "duplicated column name"},
    "wrong_wave": {"code": "EK-IO-020", "id": "butir ini tidak ditanyakan pada gelombang {wave}, tetapi kolomnya berisi jawaban",
                   "en": "this item is not asked in wave {wave}, yet its column holds answers"},
    "unknown_column_allowed": {"code": "EK-IO-021",
        "id": "id butir gelombang ini, {id_col}, {group_col}, atau nyatakan di participant.other_columns",
        "en": "an item id of this wave, {id_col}, {group_col}, or declare it under participant.other_columns"},
    "header": {"code": "EK-IO-022", "id": "{file}: {n} masalah ditemukan (mode ketat); tidak ada yang dianalisis.\n{lines}{more}\n"
                     "Perbaiki berkas, atau jalankan dengan --lenient (strict=False) agar sel yang salah dicatat sebagai kosong.",
               "en": "{file}: {n} problems found (strict mode); nothing was analysed.\n{lines}{more}\n"
                     "Fix the file, or run with --lenient (strict=False) to record bad cells as missing."},
    "more": {"code": "EK-IO-023", "id": "\n  ... dan {n} masalah lain (daftar lengkap: DataError.problems, atau data_quality.csv "
                   "dengan --lenient)",
             "en": "\n  ... and {n} more (full list: DataError.problems, or data_quality.csv with --lenient)"},
    "line": {"code": "EK-IO-024", "id": "  {file}:{row}: kolom {column!r}: {problem}: {value!r}; yang diperbolehkan: {allowed}",
             "en": "  {file}:{row}: column {column!r}: {problem}: {value!r}; allowed: {allowed}"},
    "nothing_known": {"code": "EK-IO-025",
        "id": "{file}: tidak ada satu pun jawaban yang cocok dengan kode atau label kuesioner (kolom {items}); "
              "tidak ada yang dianalisis. Periksa bahasa label ekspor (yang diperbolehkan: kode pilihan, atau labelnya "
              "dalam bahasa kuesioner), atau petakan jawabannya dengan berkas pemetaan (--mapping).",
        "en": "{file}: not one answer matches a code or label of the questionnaire (columns {items}); nothing was "
              "analysed. Check the export's label language (allowed: option codes, or their labels in the "
              "questionnaire's languages), or map the answers with a mapping file (--mapping)."},
    "no_usable_rows": {"code": "EK-IO-026",
        "id": "{file}: tidak ada baris yang dapat dipakai untuk gelombang {wave} ({counts}); tidak ada yang "
              "dianalisis.{summary}",
        "en": "{file}: no usable row for wave {wave} ({counts}); nothing was analysed.{summary}"},
    "n_invalid": {"code": "EK-IO-027", "id": "{n} baris tidak sah: kode peserta atau kelompok kosong/tidak dikenal",
                  "en": "{n} rows invalid: participant code or group empty or unknown"},
    "n_rejected": {"code": "EK-IO-028", "id": "{n} baris ditolak pemeriksa di Kobo/ODK; sertakan dengan --include-rejected",
                   "en": "{n} rows rejected by a reviewer in Kobo/ODK; include them with --include-rejected"},
    "items_lost": {"code": "EK-IO-029",
        "id": "{file}: butir {items} tidak punya jawaban yang terbaca (kolomnya tidak ada, atau tidak satu pun "
              "jawabannya dikenal) dan dihitung kosong; skor skala {scales} berubah karenanya.",
        "en": "{file}: items {items} have no readable answer (the column is missing, or not one answer is "
              "known) and count as unanswered; the scores of scales {scales} change because of it."},
    "lines": {"code": "EK-IO-030", "id": "  {file}:{row}: kolom {column!r}: {problem} {value!r}: {n} baris ({rows}); "
                    "yang diperbolehkan: {allowed}",
              "en": "  {file}:{row}: column {column!r}: {problem} {value!r}: {n} rows ({rows}); allowed: {allowed}"},
    "no_rows": {"code": "EK-IO-031", "id": "{file}: tidak ada baris jawaban (gelombang {wave}): berkas hanya berisi baris judul atau "
                      "baris kosong. Periksa bahwa berkas yang benar dipilih dan jawabannya sudah disimpan.",
                "en": "{file}: no answer rows (wave {wave}): the file holds only the header row or blank rows. "
                      "Check that the right file was chosen and its answers were saved."},
    "bad_input": {"code": "EK-IO-032", "id": "Parameter {name!r} harus berupa path berkas, Responses, atau DataFrame; ditemukan {found}.",
                  "en": "The {name!r} parameter must be a file path, Responses or a DataFrame; got {found} instead."},
    "wave_mismatch": {"code": "EK-IO-033", "id": "{name}: berkas ini dibaca sebagai gelombang {found!r}, padahal yang diharapkan {wave!r}.",
                      "en": "{name}: these answers were read as wave {found!r}, but {wave!r} was expected."},
    "unknown_wave": {"code": "EK-IO-034", "id": "gelombang kosong atau tidak dikenal", "en": "empty or unknown wave"},
    "bad_wave": {"code": "EK-IO-035", "id": "gelombang {wave!r} tidak ada di kuesioner; yang diperbolehkan: {allowed}",
                 "en": "wave {wave!r} is not in the questionnaire; allowed: {allowed}"},
}
_M["split_value"] = {"code": "EK-IO-036", "id": "nilai kolom pilihan terpisah tidak dikenal",
                     "en": "unknown value in a split multi-select column"}
PROBLEM_COLUMNS = ["file", "row", "column", "value", "problem", "allowed"]


@dataclass(frozen=True)
class Responses:
    """A validated answer table of one wave.

    Attributes
    ----------
    data : DataFrame
        One row per input data row: ``row`` (1-based row of the file as a spreadsheet shows
        it: a CSV answer holding a line break stays in its row),
        ``participant``, ``group`` (text; pandas' pyarrow text dtype when pyarrow is
        installed), ``status`` (``ok``, ``invalid``, ``rejected`` or ``empty``) and one column per item
        of the wave (choice codes as categoricals, Likert points as nullable small
        integers (``Int8``), numeric answers as floats, multi-select and network answers as a categorical of
        space-joined codes). Personal columns are not kept.
    wave : str
    source : str
        The file name (or ``"<DataFrame>"``).
    problems : DataFrame
        Every problem found (``file, row, column, value, problem, allowed``); in
        lenient mode the offending cells are missing in ``data``.
    submissions : DataFrame
        ``row, submission, form_version`` from the collection tool's system columns
        (KoboToolbox ``_uuid``/``__version__``, ODK Central ``KEY``/``meta-instanceID``, ...),
        empty strings where the file has none; the ledger carries them.
    """

    data: pd.DataFrame
    wave: str
    source: str
    problems: pd.DataFrame
    submissions: pd.DataFrame | None = None

    @property
    def rows_read(self) -> int:
        return len(self.data)


def read_responses(path, questionnaire: Questionnaire, *, wave: str = "pre",
                   strict: bool = True, mapping=None, include_rejected: bool = False) -> Responses:
    """Read a CSV or XLSX answer file and validate it against the questionnaire.

    Parameters
    ----------
    path : str or Path
        ``.csv``/``.txt`` (comma, semicolon or tab separated; UTF-8 with or without
        BOM, UTF-16, or Windows-1252), ``.xlsx``/``.xlsm`` (first sheet) or ``.parquet``
        (needs the optional ``pyarrow``: ``pip install "evalkit[parquet]"``; rows are
        numbered as in a CSV written from the same table, the first data row is 2).
    questionnaire : Questionnaire
    wave : {"pre", "post", "followup"}
        Which wave the file holds; decides which items are expected.
    strict : bool, default True
        Stop with a :class:`DataError` listing every problem. With ``False`` each
        bad cell becomes missing and rows without a usable participant code or
        group are marked ``invalid``; all of it is listed in ``problems``.
        A file without any answer row (only the header, or only blank rows) is a
        :class:`DataError` in both modes: nothing could be reported from it. A row of
        only separators or white space is an ``empty`` row in both modes.
    mapping : path or dict, optional
        A mapping file (YAML, see :func:`evalkit.io.load_mapping`) from column
        names to item ids and from answer texts to option codes, for exports whose
        names evalkit does not recognise by itself. KoboToolbox/ODK/Google Forms
        exports usually need none (see :mod:`evalkit.io`).
    include_rejected : bool, default False
        Submissions a reviewer rejected in the collection tool (KoboToolbox
        ``_validation_status`` "Not approved", ODK Central ``ReviewState`` "rejected")
        get status ``rejected`` and are left out, problems in them unreported; ``True``
        reads them as any other row.

    Returns
    -------
    Responses

    Examples
    --------
    >>> import evalkit
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> pre = evalkit.read_responses(evalkit.bundled_sample("pre"), q, wave="pre")
    >>> int(pre.data["status"].eq("ok").sum()) > 200
    True
    """
    path = Path(path)
    raw, first_row = read_table(path)
    return validate_responses(raw, questionnaire, wave=wave, strict=strict, source=str(path),
                              first_row=first_row, mapping=mapping, include_rejected=include_rejected)


def as_responses(value, questionnaire: Questionnaire, *, wave: str | None = None, strict: bool = True,
                 name: str = "responses") -> Responses:
    """The one way answers come in: a path, a :class:`Responses` or a raw DataFrame.

    Every public function that takes answers (:func:`evalkit.score`, :func:`evalkit.gains`,
    :func:`evalkit.analyze`, :func:`evalkit.reliability`, :func:`evalkit.item_analysis`,
    the functions of :mod:`evalkit.review`) passes them through here.

    Parameters
    ----------
    value : str, Path, Responses or DataFrame
        A file is read with :func:`read_responses`; a DataFrame (cells as typed, first data
        row numbered 2 as in a file below its header) is validated with
        :func:`validate_responses`; a :class:`Responses` is used as it is.
    questionnaire : Questionnaire
    wave : str, optional
        The wave the answers must be. ``None``: a :class:`Responses`' own wave, and
        ``"pre"`` for a path or DataFrame (as :func:`read_responses`).
    strict : bool, default True
        Validation mode for a path or DataFrame (see :func:`read_responses`).
    name : str
        The parameter's name, for messages.

    Raises
    ------
    EvalkitError
        For a :class:`Responses` of another wave, or a value of any other type.

    Examples
    --------
    >>> import evalkit
    >>> from evalkit.io import as_responses
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> as_responses(evalkit.bundled_sample("post"), q, wave="post").wave
    'post'
    """
    if isinstance(value, Responses):
        if wave is not None and value.wave != wave:
            raise EvalkitError(tr(_M["wave_mismatch"], name=name, found=value.wave, wave=wave))
        return value
    if isinstance(value, pd.DataFrame):
        return validate_responses(value, questionnaire, wave=wave or "pre", strict=strict)
    if isinstance(value, (str, Path)):
        return read_responses(value, questionnaire, wave=wave or "pre", strict=strict)
    raise EvalkitError(tr(_M["bad_input"], name=name, found=type(value).__name__))


def validate_responses(raw: pd.DataFrame, questionnaire: Questionnaire, *, wave: str = "pre",
                       strict: bool = True, source: str = "<DataFrame>", first_row: int = 2,
                       mapping=None, include_rejected: bool = False) -> Responses:
    """Validate an answer table already in memory (every cell as typed).

    ``first_row`` is the file row of the first data row (2 below a header row);
    :func:`read_responses` is this plus file reading.
    """
    if wave not in questionnaire.waves:
        raise DataError(tr(_M["bad_wave"], wave=wave, allowed=", ".join(questionnaire.waves)))
    q = questionnaire
    raw = _as_text_table(raw)
    if mapping is not None and not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping)
    raw, bad_split = resolve_columns(raw, q, mapping=mapping, system_columns=SYSTEM_COLUMNS)
    rows = np.arange(first_row, first_row + len(raw))
    problems: list[dict] = []

    def add(row, column, value, problem, allowed):
        problems.append(dict(file=Path(source).name, row=row, column=column, value=value,
                             problem=problem, allowed=allowed))

    raw, rows = _rows_of_wave(raw, rows, q, wave, add)

    for column, value in bad_split:
        add(first_row - 1, column, value, tr(_M["split_value"]), "1, 0, True, False")

    columns = _check_columns(raw, q, wave, add, first_row)
    declared = {c.lower() for c in (q.id_column, q.group_column, *q.personal_columns)} | {i.id for i in q.items}
    warn_personal(raw, [c for c in raw.columns if c.lower() not in declared and not c.startswith("_split:")],
                  id_column=q.id_column if _codes_may_be_personal(raw, q.id_column) else None, source=source)
    empty = np.ones(len(raw), bool)
    for j in range(raw.shape[1]):  # one boolean pass per column over its codes
        codes, categories = _codes(raw.iloc[:, j])
        empty &= codes == _blank_code(categories)
    if empty.all():  # no answer row: nothing could be scored or reported, in either mode
        raise DataError(tr(_M["no_rows"], file=source, wave=wave))
    rejected = _rejected(raw) & ~empty if not include_rejected else np.zeros(len(raw), bool)
    participant, no_code = _clean_ids(*_column_codes(raw, q.id_column), q.id_column, empty, rows, add,
                                      _M["missing_code"])
    group, no_group = _parse_group(raw, q, empty, rows, add)
    items = {}
    for item in q.items_for_wave(wave):
        column = columns.get(item.id)
        values = raw[column] if column is not None else pd.Series("", index=raw.index)
        items[item.id] = _parse_item(values, item, rows, empty, add)
    problem_frame = pd.DataFrame(problems, columns=PROBLEM_COLUMNS)
    # a rejected submission is left out: what is wrong in it is no reason to stop
    problem_frame = problem_frame[~problem_frame["row"].isin(rows[rejected])].reset_index(drop=True)
    if strict and len(problem_frame):
        raise DataError(_format_problems(problem_frame, source), problem_frame)
    # Object strings, not numpy's fixed-width ones: pandas converts them to its text dtype 3x faster.
    status = np.array(["empty", "rejected", "invalid", "ok"], dtype=object)[
        np.select([empty, rejected, no_code | no_group], [0, 1, 2], 3)]
    _check_usable(q, wave, source, status, _readable_items(raw, columns, items, empty | rejected), problem_frame,
                  [i.id for i in q.items_for_wave(wave) if i.id not in columns])
    # One constructor over whole arrays: no per-column insertion, no re-alignment on raw's index,
    # and (copy=False) no copy of the freshly built arrays into consolidated blocks.
    out = pd.DataFrame({"row": rows, "participant": participant, "group": group, "status": status, **items},
                       copy=False)
    return Responses(data=out, wave=wave, source=source, problems=problem_frame,
                     submissions=_submissions(raw, rows))


#: Review columns of the collection tools, and the values that mean "rejected": KoboToolbox's
#: ``_validation_status`` (the status's name or its label) and ODK Central's ``ReviewState``.
_REVIEW = {"_validation_status": {"validation_status_not_approved", "not approved", "not_approved"},
           "reviewstate": {"rejected"}}


def _rejected(raw: pd.DataFrame) -> np.ndarray:
    """Which rows a reviewer rejected in the collection tool."""
    out = np.zeros(len(raw), bool)
    for column in raw.columns:
        values = _REVIEW.get(column.lower())
        if values:
            codes, categories = _codes(raw[column])
            out |= np.array([text_key(c) in values for c in categories] + [False])[codes]
    return out


def _readable_items(raw: pd.DataFrame, columns: Mapping[str, str], items: Mapping, skip: np.ndarray) -> dict:
    """For each item whose column holds answers (outside the rows in ``skip``): whether at least
    one of them could be read. In lenient mode the others became missing."""
    out = {}
    for item_id, column in columns.items():
        if item_id not in items:
            continue
        codes, categories = _codes(raw[column])
        missing = np.array([c.casefold() in MISSING_TOKENS for c in categories] + [True])
        filled = ~missing[codes] & ~skip
        if filled.any():
            out[item_id] = bool(pd.notna(items[item_id])[filled].any())  # no object copy of the answers
    return out


def _check_usable(q: Questionnaire, wave: str, source: str, status: np.ndarray, readable: Mapping[str, bool],
                  problems: pd.DataFrame, missing: list[str]) -> None:
    """What lenient mode would otherwise let pass unnoticed: a file of which no answer matches a
    code or label of the questionnaire is an error, so is a wave without one usable row; items
    left without answers (their column is missing, or none of its answers could be read) are
    warned about with the scales whose scores they change."""
    name = Path(source).name
    unreadable = [i for i, ok in readable.items() if not ok]
    if readable and not any(readable.values()):
        raise DataError(tr(_M["nothing_known"], file=name, items=", ".join(unreadable)), problems)
    unusable = {s: int((status == s).sum()) for s in ("invalid", "rejected")}
    if any(unusable.values()) and not (status == "ok").any():
        first = problems.head(5).itertuples()  # the rest are in DataError.problems, as in strict mode
        summary = "".join("\n" + tr(_M["line"], file=name, row=r.row, column=r.column, problem=r.problem,
                                     value=r.value, allowed=r.allowed) for r in first)
        more = tr(_M["more"], n=len(problems) - 5) if len(problems) > 5 else ""
        raise DataError(tr(_M["no_usable_rows"], file=name, wave=wave, summary=summary + more,
                           counts=", ".join(tr(_M[f"n_{s}"], n=n) for s, n in unusable.items() if n)), problems)
    lost = [*missing, *unreadable]
    if lost:
        scales = sorted({q.item(i).scale for i in lost if q.item(i).scale})
        warnings.warn(tr(_M["items_lost"], file=name, items=", ".join(lost), scales=", ".join(scales) or "-"),
                      EvalkitWarning, stacklevel=4)


#: System columns that identify a submission, and the form version, in order of preference.
_SUBMISSION_ID = ("_uuid", "meta-instanceid", "meta/instanceid", "instanceid", "key", "_id")
_FORM_VERSION = ("__version__", "_version_", "formversion")


def _submissions(raw: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """Submission id and form version of each row, so the ledger can point back to the tool."""
    lowered = {c.lower(): c for c in raw.columns}
    out = pd.DataFrame({"row": rows})
    for name, candidates in (("submission", _SUBMISSION_ID), ("form_version", _FORM_VERSION)):
        column = next((lowered[c] for c in candidates if c in lowered), None)
        out[name] = raw[column].to_numpy(dtype=object) if column is not None else ""
    return out


def _rows_of_wave(raw: pd.DataFrame, rows: np.ndarray, q: Questionnaire, wave: str, add):
    """Keep the rows of ``wave`` when the file holds several waves in a ``gelombang``/``wave`` column.

    One form for every wave (``evalkit xlsform`` without ``--wave``) gives one export holding
    pre- and post-test rows: each read takes its own rows, and the other waves' rows are left
    to their own read. A row whose wave is empty or unknown is reported; it stays in the read
    of the questionnaire's first wave (as ``invalid`` in lenient mode), so that it is counted
    exactly once when both waves are read from the same file.
    """
    column = next((c for c in raw.columns if c.lower() in ("gelombang", "wave")), None)
    if column is None:
        return raw, rows
    # A wave chosen in evalkit's form arrives as its code, or as its label in a "labels" export.
    names = {text_key(label): wave for wave in q.waves for label in (wave, *WAVE_LABELS.get(wave, {}).values())}
    values = raw[column].map(lambda v: names.get(text_key(v), v.strip().casefold())).astype(object)
    if (values == "").all():
        return raw, rows
    known = values.isin(q.waves)
    for row, value in zip(rows[~known.to_numpy()], raw.loc[~known, column]):
        add(int(row), column, value, tr(_M["unknown_wave"]), ", ".join(q.waves))
    keep = (values == wave) | (~known & (wave == q.waves[0]))
    raw = raw[keep.to_numpy()].copy()
    if not known.all():
        raw.loc[~known[keep].to_numpy(), q.id_column] = ""  # counted as invalid, not matched
    return raw.reset_index(drop=True), rows[keep.to_numpy()]


def _format_problems(problems: pd.DataFrame, source: str, limit: int = 20) -> str:
    """The message of a strict read: problems with the same column, message and value as one
    line with their count and rows (``'G11': 100 baris (102–201)``), the first ``limit`` lines."""
    file = Path(source).name
    # Numbered in order of first appearance; only the groups shown are looked at.
    group = problems.groupby(["column", "problem", "value", "allowed"], sort=False, dropna=False) \
        .ngroup().to_numpy()
    lines = []
    for g in range(min(limit, int(group.max(initial=-1)) + 1)):
        these = problems[group == g]
        first = these.iloc[0]
        rows = np.sort(these["row"].to_numpy())
        template = _M["line"] if len(rows) == 1 else _M["lines"]
        lines.append(tr(template, file=file, row=rows[0], column=first["column"], problem=first["problem"],
                        value=first["value"], allowed=first["allowed"], n=len(rows), rows=_row_ranges(rows)))
    shown = int((group < limit).sum())
    more = tr(_M["more"], n=len(problems) - shown) if len(problems) > shown else ""
    return tr(_M["header"], file=source, n=len(problems), lines="\n".join(lines), more=more)


def _row_ranges(rows, *, most: int = 12) -> str:
    """Sorted row numbers as compressed ranges: ``2–5, 9, 12–40`` (at most ``most`` ranges, then ``...``).

    E.g. ``[2, 3, 4, 5, 9, 12, 13]`` -> ``'2–5, 9, 12–13'``.
    """
    rows = np.unique(np.asarray(rows, dtype=np.int64))
    if not len(rows):
        return ""
    breaks = np.flatnonzero(np.diff(rows) != 1)
    starts, ends = rows[np.r_[0, breaks + 1]], rows[np.r_[breaks, len(rows) - 1]]
    parts = [str(a) if a == b else f"{a}\u2013{b}" for a, b in zip(starts[:most], ends[:most])]
    return ", ".join(parts) + (", ..." if len(starts) > most else "")


def _check_columns(raw, q: Questionnaire, wave: str, add, first_row) -> dict[str, str]:
    """Map item ids to file columns and report missing, unknown and duplicated columns."""
    header_row = first_row - 1
    by_key = _distinct_columns(raw, header_row, add)
    wave_items = [i.id for i in q.items_for_wave(wave)]
    for required in (q.id_column, q.group_column, *wave_items):
        if required.lower() not in by_key:
            add(header_row, required, "", tr(_M["missing_column"]), required)
    allowed = tr(_M["unknown_column_allowed"], id_col=q.id_column, group_col=q.group_column)
    for key, column in by_key.items():
        problem = _column_problem(raw[column], key, q, wave, set(wave_items))
        if problem:
            add(header_row, column, column, problem, allowed)
    return {item_id: by_key[item_id] for item_id in wave_items if item_id in by_key}


def _distinct_columns(raw: pd.DataFrame, header_row: int, add) -> dict[str, str]:
    """Columns by lower-cased name; a repeated name (``k01.1`` beside ``k01``) is reported."""
    by_key: dict[str, str] = {}
    for column in raw.columns:
        key = column.lower()
        if key in by_key or re.fullmatch(r".+\.\d+", column) and column.rsplit(".", 1)[0] in raw.columns:
            add(header_row, column, column, tr(_M["duplicate_column"]), "")
            continue
        by_key[key] = column
    return by_key


def _column_problem(values: pd.Series, key: str, q: Questionnaire, wave: str, wave_items: set[str]) -> str | None:
    """What is wrong with a column that is not the code, group or an item of ``wave``, if anything."""
    known = {q.id_column.lower(), q.group_column.lower()} | {c.lower() for c in q.personal_columns} \
        | {c.lower() for c in q.other_columns} | SYSTEM_COLUMNS
    if key in known or key in wave_items or key.startswith("_split:"):
        return None
    if key in {i.id for i in q.items}:  # an item of another wave: fine while empty
        return tr(_M["wrong_wave"], wave=wave) if (values != "").any() else None
    if (not key.strip() or key.startswith("unnamed:")) and (values == "").all():
        return None  # an empty column without a header, e.g. from a trailing separator
    return tr(_M["unknown_column"])


def _as_text_table(raw: pd.DataFrame) -> pd.DataFrame:
    """Every cell as its stripped text (missing cells as ``""``), one categorical per column.

    Each column is factorized once (or arrives so: text read from Parquet or, with pyarrow,
    CSV is dictionary-encoded); only its distinct values are converted with ``str`` and
    stripped, then mapped back by their codes. Columns that are not all text (numbers,
    mixed types) are converted cell by cell first, so ``1`` and ``1.0`` stay different texts.
    """
    columns = {j: _text_categorical(raw.iloc[:, j]) for j in range(raw.shape[1])}
    out = pd.DataFrame(columns, copy=False)
    out.columns = [str(c).strip() for c in raw.columns]
    return out


def _text_categorical(col: pd.Series) -> pd.Categorical:
    if isinstance(col.dtype, pd.CategoricalDtype) and _is_text(col.cat.categories):
        # Already factorized: its categories are its distinct texts.
        codes, uniques = col.cat.codes.to_numpy(), np.asarray(col.cat.categories, dtype=object)
    else:
        if isinstance(col.dtype, pd.CategoricalDtype) or col.dtype.kind not in "OUT" and not isinstance(
                col.dtype, pd.StringDtype):
            col = col.astype(object)
        codes, uniques = pd.factorize(col, use_na_sentinel=True)
        uniques = np.asarray(uniques, dtype=object)
        if len(uniques) and not _is_text(uniques):
            text = col.where(col.notna(), "").astype(object).map(str)
            codes, uniques = pd.factorize(text, use_na_sentinel=True)
            uniques = np.asarray(uniques, dtype=object)
    # Only texts with white space at an end are stripped (found by one regex pass over the
    # distinct texts, not a Python call per text).
    padded = _matches(uniques, _PADDED) if len(uniques) else np.zeros(0, dtype=bool)
    stripped = np.append(uniques, "")  # a missing cell (-1) is ""
    stripped[:-1][padded] = [u.strip() for u in uniques[padded]]
    if not padded.any():
        # Nothing was stripped, so the texts are still distinct (no re-hashing of, say, a
        # million participant codes); only the appended "" may repeat a blank text.
        lookup = np.arange(len(stripped))
        lookup[-1] = np.flatnonzero(stripped == "")[0]
        categories = stripped if lookup[-1] == len(uniques) else stripped[:-1]
    else:
        lookup, categories = pd.factorize(stripped)
    lookup = lookup.astype(np.min_scalar_type(-len(categories)))  # int8 codes for most columns
    return _categorical(lookup[codes], categories)


def _is_text(values) -> bool:
    return pd.api.types.infer_dtype(values, skipna=False) == "string"


def _categorical(codes: np.ndarray, categories: np.ndarray) -> pd.Categorical:
    """A categorical over categories known to be distinct, without pandas re-checking them
    (a hash table over every category, costly for a million participant codes)."""
    categories = pd.Index(categories, dtype=object)
    fastpath = getattr(pd.CategoricalDtype, "_from_fastpath", None)  # private; pandas 2.1-3.x
    dtype = fastpath(categories, ordered=False) if fastpath else pd.CategoricalDtype(categories)
    return pd.Categorical.from_codes(codes, dtype=dtype, validate=False)


def _codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes and the distinct texts of a text column (categorical or not)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(), np.asarray(values.cat.categories, dtype=object)
    codes, uniques = pd.factorize(values.astype(object).where(values.notna(), ""))
    return codes, np.asarray(uniques, dtype=object)


def _column_codes(raw: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_codes` of a column, or of an all-blank column when the file has none."""
    if column not in raw.columns:
        return np.zeros(len(raw), dtype=np.int8), np.array([""], dtype=object)
    return _codes(raw[column])


#: What ``str.isspace`` (so Python's ``\s`` and ``str.strip``) counts as white space, spelled
#: out so that a pattern means the same in RE2 (pyarrow), whose ``\s`` is ASCII only.
_WHITESPACE = "\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_PHONE_OR_EMAIL = f"^[{_WHITESPACE}\\-+0-9]*$|@"
_PADDED = f"^[{_WHITESPACE}]|[{_WHITESPACE}]$"


def _codes_may_be_personal(raw: pd.DataFrame, column: str) -> bool:
    """False when fewer than half of the filled codes could be phone numbers, NIK or e-mail
    addresses, so that :func:`evalkit.privacy.warn_personal` cannot warn about them.

    Exact, and over the distinct codes: a phone number or NIK holds only digits, ``+``,
    spaces and dashes; an e-mail address holds ``@``. Only when enough codes pass this
    test are the patterns themselves run, over every row.
    """
    if column not in raw.columns:
        return False
    codes, categories = _codes(raw[column])
    counts = np.bincount(codes[codes >= 0], minlength=len(categories))
    filled = categories != ""
    candidate = _matches(categories, _PHONE_OR_EMAIL)
    return bool(counts[filled & candidate].sum() >= 0.5 * counts[filled].sum()) and bool(counts[filled].sum())


def _matches(texts: np.ndarray, pattern: str) -> np.ndarray:
    """Whether each text contains ``pattern``: with pyarrow's RE2 when it is installed
    (several times faster over a million texts), else with pandas."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc

        found = pc.match_substring_regex(pa.array(texts, type=pa.large_string()), pattern)
        return found.to_numpy(zero_copy_only=False).astype(bool)
    except (ImportError, UnicodeEncodeError):  # no pyarrow, or a lone surrogate UTF-8 cannot hold
        return pd.Series(texts, dtype=object).str.contains(pattern, regex=True).to_numpy(bool)


def _blank_code(categories: np.ndarray) -> int:
    where = np.flatnonzero(categories == "")
    return int(where[0]) if len(where) else -2


def _clean_ids(codes, categories, column, empty, rows, add, message) -> tuple[pd.Series, np.ndarray]:
    """A column's texts with blanks as NaN, and where they are blank; every blank cell of a
    non-empty row is reported."""
    blank = categories == ""
    for row in rows[blank[codes] & ~empty]:
        add(int(row), column, "", tr(message), "")
    values = categories.copy()
    values[blank] = np.nan
    return _text_column(values, codes), blank[codes]


def _text_column(values: np.ndarray, codes: np.ndarray) -> pd.Series:
    """``values[codes]`` (texts or NaN) as pandas' text dtype, taken in pyarrow from the
    distinct values (no Python string per row); object dtype without pyarrow."""
    pa = _arrow()
    if pa is None:
        return pd.Series(values[codes], dtype=object, copy=False)
    texts = pa.array(values, type=pa.string(), from_pandas=True).take(pa.array(codes))
    return pd.Series(pd.array(texts, dtype=pd.StringDtype("pyarrow", na_value=np.nan)), copy=False)


def _parse_group(raw, q: Questionnaire, empty, rows, add) -> tuple[pd.Series, np.ndarray]:
    column = q.group_column
    codes, categories = _column_codes(raw, column)
    values, blank = _clean_ids(codes, categories, column, empty, rows, add, _M["missing_group"])
    if not q.groups:
        return values, blank
    lookup = {}
    for g in q.groups:
        for text in (g.code, *g.text.values()):
            lookup[_norm(text)] = g.code
    parsed = np.array([lookup.get(_norm(v), np.nan) if v != "" else np.nan for v in categories], dtype=object)
    bad = np.flatnonzero((pd.isna(parsed) & (categories != ""))[codes])
    allowed = _listing([g.code for g in q.groups])
    for i in bad:
        add(int(rows[i]), column, categories[codes[i]], tr(_M["unknown_group"]), allowed)
    return _text_column(parsed, codes), pd.isna(parsed)[codes]


def _norm(text: str) -> str:
    return _SPACES.sub(" ", str(text)).strip().casefold()


def _parse_item(values: pd.Series, item: Item, rows, empty, add) -> pd.Categorical | np.ndarray | pd.Series:
    """Parse one item column over its distinct texts; report each bad cell."""
    codes, uniques = _codes(values)
    parser, allowed = _parser(item)
    parsed = []
    bad = np.zeros(len(uniques), dtype=bool)
    for i, v in enumerate(uniques):
        if v.casefold() in MISSING_TOKENS:
            parsed.append(None)
            continue
        result = parser(v)
        if result is None:
            bad[i] = True
        parsed.append(result)
    if bad.any():
        mask = bad[codes] & ~empty
        for i in np.flatnonzero(mask):
            value = uniques[codes[i]]
            add(int(rows[i]), item.id, value, tr(_problem_kind(item, value)), allowed)
    if item.type in ("single_choice", "true_false"):
        position = {c: k for k, c in enumerate(item.option_codes)}
        option = np.array([position.get(r, -1) if r is not None else -1 for r in parsed], dtype=np.int16)
        return pd.Categorical.from_codes(option[codes] if len(codes) else codes.astype(np.int16),
                                         categories=list(item.option_codes))
    if item.type in ("likert", "numeric"):
        numbers = np.array([np.nan if r is None else r for r in parsed] + [np.nan], dtype=float)[codes]
        if item.type == "numeric":
            return numbers
        # Likert points are small whole numbers: one byte each, plus a missing mask.
        missing = np.isnan(numbers)
        return pd.arrays.IntegerArray(np.where(missing, 0, numbers).astype(np.int8), missing)
    # Multi-select (and network) answers: a categorical over the distinct normalized selections, sorted
    # (the same categories however the input was stored).
    option, selections = pd.factorize(np.array(parsed, dtype=object), sort=True)
    return pd.Categorical.from_codes(option[codes] if len(codes) else codes.astype(np.int8),
                                     categories=selections)


def _problem_kind(item: Item, value: str) -> dict:
    if item.type not in ("likert", "numeric"):
        return _M["unknown_option"]
    if _number(value) is not None:
        return _M["out_of_range"]
    return _M["not_a_number"] if item.type == "numeric" else _M["unknown_option"]


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", ".")) if text.count(",") <= 1 else None
    except ValueError:
        return None


#: Allowed values listed in a message before the rest is only counted (a network item offers
#: every group of a national roll-up).
_LISTED = 20


def _listing(allowed: list[str]) -> str:
    if len(allowed) <= _LISTED:
        return ", ".join(allowed)
    rest = tr({"id": "… dan {n} lainnya (lihat kuesioner)", "en": "… and {n} more (see the questionnaire)"},
              n=len(allowed) - _LISTED)
    return ", ".join(allowed[:_LISTED]) + " " + rest


def _parser(item: Item):
    """Return (parse one distinct cell -> value or None, allowed-values text)."""
    if item.type in ("single_choice", "multi_select", "network", "true_false", "likert"):
        lookup = {}
        for option in item.options:
            for text in (*option.text.values(), option.code):
                lookup[_norm(text)] = option.code
        if item.type == "true_false":
            lookup.update(TRUE_FALSE_ALIASES)
        allowed = _listing([f"{o.code} ({o.label()})" if o.label() != o.code else o.code for o in item.options])
    if item.type in ("single_choice", "true_false"):
        return (lambda v: lookup.get(_norm(v))), allowed
    if item.type == "likert":
        def likert(v: str):
            code = lookup.get(_norm(v))
            if code is not None:
                return float(code)
            number = _number(v)
            return number if number is not None and number.is_integer() and 1 <= number <= item.points else None
        return likert, allowed
    if item.type in ("multi_select", "network"):  # a network answer names groups and institutions
        order = {code: i for i, code in enumerate(item.option_codes)}  # once: a network has 1,000s

        def in_order(codes) -> str:
            return " ".join(sorted(set(codes), key=order.__getitem__))

        def multi(v: str):
            if v == NONE_CHOSEN:
                return ""
            # Option labels joined by ", " (Google Forms) or codes joined by spaces (Kobo, ODK).
            for parts in (v.split(", "), re.split(r"[\s,;]+", v)):
                codes = [lookup.get(_norm(t)) for t in parts if t.strip()]
                if codes and None not in codes:
                    return in_order(codes)
            codes = read_labels(v, lookup, key=_norm)  # option labels joined by spaces (Kobo "labels" export)
            return None if codes is None else in_order(codes)
        return multi, allowed + " (" + tr({"id": "dipisah spasi", "en": "space-separated"}) + ")"
    if item.type == "numeric":
        low = -np.inf if item.min is None else item.min
        high = np.inf if item.max is None else item.max

        def numeric(v: str):
            number = _number(v)
            return number if number is not None and low <= number <= high else None
        return numeric, f"{item.min if item.min is not None else '-∞'} .. {item.max if item.max is not None else '∞'}"
    return (lambda v: v), ""
