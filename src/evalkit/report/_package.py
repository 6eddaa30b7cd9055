"""Result packages: one small JSON file per training holding what a roll-up needs
(:mod:`evalkit.rollup` reads them; ``write_report`` writes one beside the report).

A province sends its package instead of its participants' answers: per group × scale the
number of pairs, the sums, centred sums of squares and cross-products of the pre/post
scores (:func:`evalkit.stats.paired_sums`), the gains row, the questionnaire's
fingerprints and the ledger counts. No names, codes or pseudonyms. See ``docs/rollup.md``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .. import stats
from .._errors import EvalkitError
from .._i18n import tr
from ..questionnaire import Questionnaire, fingerprint

FORMAT = "evalkit.paket_hasil"
VERSION = 1
#: The columns of a package's ``scales`` table.
SCALE_COLUMNS = ["scale", "label_id", "label_en", "level", "scoring", "points", "fingerprint"]
_M = {
    "unreadable": {"code": "EK-RP-019", "id": "{file}: paket hasil tidak dapat dibaca sebagai JSON: {problem}.",
                   "en": "{file}: the result package cannot be read as JSON: {problem}."},
    "not_package": {"code": "EK-RP-020", "id": "{file}: bukan paket hasil evalkit (kunci 'format' harus {expected!r}, "
                          "ditemukan {found!r}).",
                    "en": "{file}: not an evalkit result package (its 'format' key must be {expected!r}; "
                          "found {found!r})."},
    "version": {"code": "EK-RP-021", "id": "{file}: versi paket {found!r} tidak dikenal; versi yang dapat dibaca: {known}. "
                      "Perbarui evalkit.",
                "en": "{file}: unknown package version {found!r}; readable versions: {known}. Update evalkit."},
    "missing": {"code": "EK-RP-022", "id": "{file}: bagian {part!r} tidak ada atau kolomnya kurang (perlu: {columns}).",
                "en": "{file}: the {part!r} part is missing or lacks columns (needs: {columns})."},
    "fingerprint": {"code": "EK-RP-004", "id": "Sidik kuesioner {questionnaire}; per skala: {scales}. Roll-up nasional hanya "
                          "menggabungkan skala dengan sidik yang sama (paket_hasil.json memuat jumlah per kelompok "
                          "untuk roll-up).",
                    "en": "Questionnaire fingerprint {questionnaire}; per scale: {scales}. A national roll-up pools "
                          "a scale only across identical fingerprints (paket_hasil.json holds the per-group sums "
                          "for roll-ups)."},
}


def fingerprint_note(q: Questionnaire, *, lang: str | None = None) -> str:
    """The sentence naming the questionnaire's fingerprint and each scale's, as the report,
    its workbook's README sheet and the package carry them (roll-ups compare them).

    Examples
    --------
    >>> import evalkit
    >>> from evalkit.report import fingerprint_note
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> fingerprint_note(q, lang="en").startswith("Questionnaire fingerprint ")
    True
    """
    scales = ", ".join(f"{s.id} {fingerprint(q, scale=s.id)}" for s in q.scales)
    return tr(_M["fingerprint"], lang, questionnaire=fingerprint(q), scales=scales)


@dataclass(frozen=True)
class ResultPackage:
    """What a roll-up reads of one training (from its answers or from its package file).

    Attributes
    ----------
    questionnaire : dict
        ``id, version, fingerprint`` of the questionnaire.
    scales : DataFrame
        One row per pre/post scale: ``scale, label_id, label_en, level, scoring, points``
        (Likert points, for the unit; NaN for knowledge scales) and ``fingerprint``.
    sums : DataFrame
        One row per scale × group: ``scale, group, n, sum_pre, sum_post, ss_pre, ss_post,
        sp_pre_post`` (:func:`evalkit.stats.paired_sums`).
    gains : DataFrame
        The gains table (:func:`evalkit.gains`), every group and ``ALL``, unsuppressed.
    ledger : DataFrame
        Rows read and rows per state, per wave (``Analysis.ledger_summary``).
    """

    questionnaire: dict
    scales: pd.DataFrame
    sums: pd.DataFrame
    gains: pd.DataFrame
    ledger: pd.DataFrame


def build_package(questionnaire: Questionnaire, matched: pd.DataFrame, gains: pd.DataFrame,
                  ledger_summary: pd.DataFrame) -> ResultPackage:
    """The package of one training from its long matched table, gains table and ledger counts.

    ``matched`` has ``group, scale, pre, post`` (participant columns are not read).
    """
    sums = stats.paired_sums(matched, pre="pre", post="post", group=["scale", "group"])
    sums = sums[sums["n"] > 0].reset_index()
    for key in ("scale", "group"):
        sums[key] = sums[key].astype(str)
    used = [s.id for s in questionnaire.scales if {"pre", "post"} <= set(s.waves)]
    scales = pd.DataFrame([
        {"scale": s, "label_id": questionnaire.scale(s).label("id"), "label_en": questionnaire.scale(s).label("en"),
         "level": questionnaire.scale(s).level, "scoring": questionnaire.scale(s).scoring,
         "points": float(max((i.points or 0) for i in questionnaire.items_in(s)) or np.nan),
         "fingerprint": fingerprint(questionnaire, scale=s)} for s in used], columns=SCALE_COLUMNS)
    info = {"id": questionnaire.id, "version": questionnaire.version, "fingerprint": fingerprint(questionnaire)}
    return ResultPackage(info, scales, sums, gains.reset_index(drop=True), ledger_summary.reset_index(drop=True))


def package_from_analysis(analysis) -> ResultPackage:
    """:func:`build_package` of an :class:`evalkit.Analysis`."""
    return build_package(analysis.questionnaire, analysis.matched, analysis.gains, analysis.ledger_summary)


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as JSON-ready dicts: NaN and NA become null, NumPy scalars plain numbers."""
    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return [{k: (v.item() if isinstance(v, np.generic) else v) for k, v in row.items()} for row in rows]


def write_package(analysis, path: str | Path) -> Path:
    """Write the result package of one training (``paket_hasil.json``).

    Parameters
    ----------
    analysis : Analysis or ResultPackage
        From :func:`evalkit.analyze` (or a package already built, e.g. by a roll-up).
    path : str or Path
        The file to write.

    Returns
    -------
    Path

    Notes
    -----
    The file is JSON: ``format`` (``"evalkit.paket_hasil"``), ``version`` (1),
    ``questionnaire`` (id, version, fingerprint), then the tables ``scales``, ``sums``,
    ``gains`` and ``ledger`` as lists of rows (see :class:`ResultPackage` and
    ``docs/rollup.md``). Counts are kept even for small groups, so that pooling is
    exact; whoever publishes from a package applies the small-group rule
    (:func:`evalkit.privacy.find_suppressed`), as :func:`evalkit.rollup` does.

    Examples
    --------
    >>> import evalkit
    >>> from evalkit.report import write_package, read_package
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> a = evalkit.analyze(q, evalkit.bundled_sample("pre"), evalkit.bundled_sample("post"))
    >>> path = write_package(a, "paket_hasil.json")
    >>> int(read_package(path).sums["n"].sum()) == int(a.gains.query("group != 'ALL'")["n"].sum())
    True
    """
    package = analysis if isinstance(analysis, ResultPackage) else package_from_analysis(analysis)
    content = {"format": FORMAT, "version": VERSION, "questionnaire": package.questionnaire,
               **{name: _records(getattr(package, name)) for name in ("scales", "sums", "gains", "ledger")}}
    path = Path(path)
    path.write_text(json.dumps(content, ensure_ascii=False, indent=1, allow_nan=False), encoding="utf-8")
    return path


SUMS_COLUMNS = ["scale", "group", "n", "sum_pre", "sum_post", "ss_pre", "ss_post", "sp_pre_post"]
_NEEDED = {"scales": SCALE_COLUMNS, "sums": SUMS_COLUMNS, "gains": ["scale", "group", "n", "mean_diff"],
           "ledger": ["wave", "rows_read"]}


def read_package(path: str | Path) -> ResultPackage:
    """Read a result package written by :func:`write_package`.

    Raises :class:`EvalkitError` naming the file when it is not a readable package.
    """
    path = Path(path)
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EvalkitError(tr(_M["unreadable"], file=path, problem=exc)) from None
    found = content.get("format") if isinstance(content, dict) else None
    if found != FORMAT:
        raise EvalkitError(tr(_M["not_package"], file=path, expected=FORMAT, found=found))
    if content.get("version") != VERSION:
        raise EvalkitError(tr(_M["version"], file=path, found=content.get("version"), known=VERSION))
    tables = {}
    for part, columns in _NEEDED.items():
        rows = content.get(part)
        frame = pd.DataFrame(rows) if isinstance(rows, list) else None
        if frame is None or (rows and not set(columns) <= set(frame.columns)):
            raise EvalkitError(tr(_M["missing"], file=path, part=part, columns=", ".join(columns)))
        order = list(dict.fromkeys([*columns, *frame.columns]))
        tables[part] = frame if list(frame.columns) == order else frame.reindex(columns=order)
    # Codes such as 1 or 2024 must stay text; as written by evalkit they already are (no copy then).
    for part, key in (("sums", "scale"), ("sums", "group"), ("gains", "group")):
        if tables[part][key].dtype == object or not pd.api.types.is_string_dtype(tables[part][key]):
            tables[part][key] = tables[part][key].astype(str)
    return ResultPackage(dict(content.get("questionnaire") or {}), tables["scales"], tables["sums"],
                         tables["gains"], tables["ledger"])

