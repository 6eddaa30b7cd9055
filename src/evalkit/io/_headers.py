"""Recognising the columns of field exports: KoboToolbox, ODK Central, Google Forms, mapping files.

Column headers are mapped to the questionnaire's names, in this order:

1. a mapping file (``columns:``), when given;
2. the name itself (item id, participant/group column, declared or system column), case-insensitive;
3. the name without a group prefix: KoboToolbox ``group/item``, ODK Central ``group-item``;
4. the question text in any of the questionnaire's languages (Google Forms, Kobo "labels" exports);
5. split multi-select columns ``item/option`` (Kobo), ``item.option`` (after R) holding 1/0 or
   True/False, joined into one space-separated column; a blank split cell means unanswered.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import yaml

from .._errors import DataError
from .._form_labels import PERSONAL_LABELS, ROLE_LABELS
from .._i18n import tr
from ..questionnaire import Questionnaire

_SPACES = re.compile(r"\s+")
#: A multi-select answered with every split cell 0: answered, nothing chosen (not missing).
NONE_CHOSEN = "(none)"
_TRUTHY = {"1", "true", "ya", "yes", "y", "benar"}
_FALSY = {"0", "false", "tidak", "no", "n", "salah"}
_M = {
    "mapping_file": {"code": "EK-IO-010", "id": "{file}: berkas pemetaan tidak sah: {problem}; yang diperbolehkan: "
                           "'columns: {{nama kolom: id butir}}' dan 'answers: {{id butir atau \"*\": {{jawaban: kode}}}}'",
                     "en": "{file}: invalid mapping file: {problem}; allowed: "
                           "'columns: {{column name: item id}}' and 'answers: {{item id or \"*\": {{answer: code}}}}'"},
}


def text_key(text: str) -> str:
    """Normalise a header or question text for comparison: case, spaces, trailing ``*``/``:``."""
    return _SPACES.sub(" ", str(text)).strip().rstrip("*:?. ").casefold()


def load_mapping(path: str | Path) -> dict:
    """Read a mapping file (YAML) from export names to item ids and answer texts to codes.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from evalkit.io import load_mapping
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "peta.yaml"
    >>> _ = p.write_text("columns:\\n  Kode Anda: kode_peserta\\nanswers:\\n  '*':\\n    Sangat setuju: 5\\n")
    >>> load_mapping(p)["columns"]
    {'Kode Anda': 'kode_peserta'}
    """
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(tr(_M["mapping_file"], file=path, problem=exc)) from None
    if not isinstance(data, dict) or set(data) - {"columns", "answers"}:
        raise DataError(tr(_M["mapping_file"], file=path, problem=f"keys {sorted(data) if isinstance(data, dict) else data}"))
    columns, answers = data.get("columns") or {}, data.get("answers") or {}
    if not isinstance(columns, dict) or not isinstance(answers, dict) or \
            not all(isinstance(v, dict) for v in answers.values()):
        raise DataError(tr(_M["mapping_file"], file=path, problem="columns/answers"))
    return {"columns": {str(k): str(v) for k, v in columns.items()},
            "answers": {str(k): {str(a): str(c) for a, c in v.items()} for k, v in answers.items()}}


def resolve_columns(raw: pd.DataFrame, q: Questionnaire, *, mapping: Mapping | None = None,
                    system_columns=frozenset()) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """Rename recognised columns to the questionnaire's names and join split multi-selects.

    Returns the new table and a list of ``(problem column, value)`` for split
    multi-select cells that are neither 1/0 nor True/False.
    """
    mapping = mapping or {}
    canonical, by_text, multi = _header_names(q)
    renames, splits = {}, {}
    taken = set()
    names = set(canonical.values())
    for column in raw.columns:
        target = _target(column, mapping.get("columns", {}), canonical, by_text, system_columns)
        # a split column, named by the export or, as `item/option`, by the mapping file
        split = None if target in names else _split_target(target or column, multi)
        if split:
            splits.setdefault(split[0], []).append((column, split[1]))
        if target is None or split:
            continue
        if target != column and target not in taken and target not in raw.columns:
            renames[column] = target
        taken.add(target)
    out = raw.rename(columns=renames)
    bad: list[tuple[str, str]] = []
    for item_id, parts in splits.items():
        joined = _join_split(out, parts, bad)
        if item_id not in out.columns:
            out[item_id] = joined
        # the split columns are kept for the record but never read as items
        out = out.rename(columns={c: f"_split:{c}" for c, _ in parts})
    answer_maps = mapping.get("answers", {})
    if answer_maps:
        out = _map_answers(out, q, answer_maps)
    return out, bad


def _header_names(q: Questionnaire) -> tuple[dict, dict, dict]:
    """What headers may name: the questionnaire's column names (lower-cased), its texts (question
    texts in every language, and the labels evalkit's forms give the code, group, wave and personal
    questions), and each multi-select's options by code and by label (``(item, option) -> code``)."""
    canonical = {c.lower(): c for c in (q.id_column, q.group_column, *q.personal_columns, *q.other_columns)}
    canonical.update({i.id: i.id for i in q.items})
    by_text = {}
    # "gelombang": the wave question of evalkit's forms (evalkit.forms.WAVE_QUESTION; not imported,
    # since evalkit.forms imports this package)
    roles = {"id": q.id_column, "group": q.group_column, "wave": "gelombang"}
    labelled = [(roles[role], text) for role, texts in ROLE_LABELS.items() for text in texts.values()]
    labelled += [(c, text) for c in q.personal_columns for text in PERSONAL_LABELS.get(c, {}).values()]
    labelled += [(i.id, text) for i in q.items for text in i.text.values()]
    for name, text in labelled:
        by_text.setdefault(text_key(text), name)
    multi = {}
    for item in q.items:
        if item.type in ("multi_select", "network"):  # a network answer is a multi-select
            for option in item.options:
                for question in (item.id, *item.text.values()):
                    for answer in (option.code, *option.text.values()):
                        multi.setdefault((text_key(question), text_key(answer)), (item.id, option.code))
    return canonical, by_text, multi


def _target(column: str, explicit: Mapping, canonical: Mapping, by_text: Mapping, system) -> str | None:
    if column in explicit:
        return explicit[column]
    lowered = column.strip().lower()
    for name in (lowered, _SPACES.sub("_", lowered)):  # "Kode peserta" is the column kode_peserta
        if name in canonical:
            return canonical[name]
    if lowered in system:
        return column
    for sep in ("/", "-", "."):  # Kobo group/item, ODK Central group-item, R's group.item
        tail = lowered.rsplit(sep, 1)[-1]
        if sep in lowered and tail in canonical:
            return canonical[tail]
    return by_text.get(text_key(column))


def _split_target(column: str, multi: Mapping[tuple[str, str], tuple[str, str]]) -> tuple[str, str] | None:
    """``(item id, option code)`` of a split multi-select column: ``item/option`` (Kobo),
    ``item.option`` (after R), or ``Question label/Option label`` (Kobo labels export; labels
    may hold ``/`` themselves, so every ``/`` is tried)."""
    parts = re.split(r"[/.]", column.strip())
    if len(parts) >= 2:
        found = multi.get((text_key(parts[-2]), text_key(parts[-1])))
        if found and found[1] == parts[-1]:
            return found
    for at in (m.start() for m in re.finditer("/", column)):
        found = multi.get((text_key(column[:at]), text_key(column[at + 1:])))
        if found:
            return found
    return None


def _join_split(frame: pd.DataFrame, parts: list[tuple[str, str]], bad: list) -> pd.Series:
    joined = pd.Series("", index=frame.index, dtype=object)
    answered = pd.Series(False, index=frame.index)
    for column, option in parts:
        cells = frame[column].astype(str).str.strip().str.casefold()
        truthy, falsy = cells.isin(_TRUTHY), cells.isin(_FALSY)
        for value in cells[~(truthy | falsy | cells.isin(("", "nan")))].unique():
            bad.append((column, value))
        joined = joined + truthy.map({True: option + " ", False: ""})
        answered |= truthy | falsy
    joined = joined.str.strip()
    return joined.where(joined != "", NONE_CHOSEN).where(answered, "")


def _map_answers(frame: pd.DataFrame, q: Questionnaire, answer_maps: Mapping) -> pd.DataFrame:
    """Answer texts replaced by the codes a mapping file gives them (``"*"``: for every item;
    the group column's own entry maps group names)."""
    frame = frame.copy()
    everywhere = {text_key(k): v for k, v in answer_maps.get("*", {}).items()}
    for column in (*(i.id for i in q.items), q.group_column):
        if column not in frame.columns:
            continue
        own = {text_key(k): v for k, v in answer_maps.get(column, {}).items()}
        lookup = own if column == q.group_column else {**everywhere, **own}
        if lookup:
            item = q.item(column) if column != q.group_column else None
            values = frame[column].astype(str)
            mapped = {v: _mapped(v, lookup, item) for v in values.unique()}
            frame[column] = values.map(mapped)
    return frame


def _mapped(value: str, lookup: Mapping[str, str], item) -> str:
    """A cell's code by the mapping; a multi-select's labels joined by spaces each mapped
    (its own option labels and codes are understood beside the mapped ones)."""
    code = lookup.get(text_key(value))
    if code is not None or item is None or item.type not in ("multi_select", "network"):
        return value if code is None else code
    known = {text_key(t): o.code for o in item.options for t in (o.code, *o.text.values())}
    codes = read_labels(value, {**known, **lookup})
    return value if codes is None else " ".join(c for c in item.option_codes if c in codes)


def read_labels(text: str, lookup: Mapping[str, str], *, key=text_key) -> frozenset | None:
    """The codes of option labels joined by spaces, when the words can be read as a sequence
    of known labels (``key(label) -> code``) in exactly one way (as to which codes are chosen).

    Labels hold spaces themselves ("Orang lanjut usia Anak-anak"), so every reading of the
    words as consecutive labels is considered, from the end; two different readings make the
    answer ambiguous, and it is reported rather than guessed.

    Examples
    --------
    >>> from evalkit.io import read_labels
    >>> lookup = {"orang lanjut usia": "a", "anak-anak": "c", "usia": "x", "orang lanjut": "y"}
    >>> sorted(read_labels("Orang lanjut usia Anak-anak", {k: v for k, v in lookup.items() if v in "ac"}))
    ['a', 'c']
    >>> read_labels("Orang lanjut usia", lookup) is None  # {a} or {x, y}: ambiguous
    True
    """
    words = text.split()
    # readings[i]: the distinct code sets words[i:] can be read as (two suffice to see ambiguity)
    readings: list[set] = [set() for _ in words] + [{frozenset()}]
    for i in range(len(words) - 1, -1, -1):
        for j in range(i + 1, len(words) + 1):
            code = lookup.get(key(" ".join(words[i:j])))
            if code is not None:
                readings[i].update(rest | {code} for rest in readings[j])
        if len(readings[i]) > 2:
            readings[i] = set(list(readings[i])[:2])
    return next(iter(readings[0])) if len(readings[0]) == 1 else None
