"""Import of an existing XLSForm (KoboToolbox, ODK) as an evalkit questionnaire skeleton.

:func:`from_xlsform` reads the form, including the ``evalkit_*`` columns and sheet that
:func:`evalkit.forms.to_xlsform` writes (see :mod:`evalkit.forms`), and leaves what
the form cannot tell as ``TODO``; :func:`write_questionnaire_yaml` saves the result for
:func:`evalkit.load_questionnaire`. Both are also available from :mod:`evalkit.forms`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from .._errors import QuestionnaireError
from .._i18n import tr
from ._book import _Sheet, _read_book
from ._common import SCALES_SHEET, WAVE_QUESTION
from ..io import SYSTEM_COLUMNS
from ..questionnaire import LEVELS, MULTI_SCORINGS, SCORINGS, WAVES
from .._outputs import writing_file

#: Language names met in ``label::<Name>`` headers without a code.
_NAME_TO_CODE = {
    "indonesian": "id", "indonesia": "id", "bahasa indonesia": "id", "bahasa": "id",
    "english": "en", "inggris": "en", "bahasa inggris": "en", "arabic": "ar", "french": "fr",
    "spanish": "es", "portuguese": "pt", "swahili": "sw", "malay": "ms", "melayu": "ms",
    "javanese": "jv", "jawa": "jv", "sundanese": "su", "sunda": "su", "default": "",
}
_ROLES = ("id", "group", "wave", "personal")
_TRUE = {"yes", "ya", "true", "1", "y", "benar"}
_SELECT = re.compile(
    r"^(select_one|select one|select1|select one from|select_multiple|select multiple"
    r"|select all that apply|select all that apply from)\s+(\S+)(?:\s+(or_other|or specify other))?$")
_SKIPPED = {"note", "begin group", "end group", "begin_group", "end_group", "begin repeat", "end repeat",
            "begin_repeat", "end_repeat", "begin loop", "end loop", "csv-external", "xml-external"}
#: Valid XLSForm types whose answers are kept as other (non-item) columns.
_OTHER = {"calculate", "hidden", "date", "time", "datetime", "geopoint", "geotrace", "geoshape",
          "image", "photo", "audio", "video", "file", "barcode", "acknowledge", "trigger", "rank",
          "start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber", "username",
          "email", "audit", "start-geopoint", "background-audio", "select_one_external",
          "select_one_from_file", "select_multiple_from_file", "select one from file",
          "select multiple from file", "background-geopoint"}
_NUMERIC = {"integer": "integer", "int": "integer", "decimal": "decimal", "range": "range"}
_TEXT = {"text", "string"}
_ID_NAMES = ("kode_peserta", "kode", "id_peserta", "participant_code", "participant_id", "code")
_GROUP_NAMES = ("kelompok", "grup", "group", "kelas")
_PERSONAL_NAMES = ("nama", "nama_lengkap", "nama_peserta", "name", "full_name", "no_hp", "hp", "telepon",
                   "phone", "nik")

_M = {
    "where": {"id": "{file}: lembar {sheet!r}, baris {row}, kolom {column!r}: {what}",
              "en": "{file}: sheet {sheet!r}, row {row}, column {column!r}: {what}"},
    "allowed": {"id": "; yang diperbolehkan: {allowed}", "en": "; allowed: {allowed}"},
    "suggest": {"id": " (maksud Anda {guess!r}?)", "en": " (did you mean {guess!r}?)"},
    "header": {"id": "XLSForm {file} tidak dapat diubah menjadi kuesioner ({n} masalah):",
               "en": "XLSForm {file} cannot be turned into a questionnaire ({n} problems):"},
    "unknown_type": {"id": "jenis pertanyaan {found!r} tidak dikenal", "en": "unknown question type {found!r}"},
    "type_allowed": {"id": "select_one DAFTAR, select_multiple DAFTAR, integer, decimal, range, text, note, "
                           "calculate, begin_group, end_group, atau jenis meta/data XLSForm lain",
                     "en": "select_one LIST, select_multiple LIST, integer, decimal, range, text, note, "
                           "calculate, begin_group, end_group, or another XLSForm meta/data type"},
    "empty_type": {"id": "jenis pertanyaan kosong untuk {name!r}", "en": "the question type of {name!r} is empty"},
    "no_list": {"id": "daftar pilihan {found!r} tidak ada di lembar 'choices'",
                "en": "choice list {found!r} is not on the 'choices' sheet"},
    "no_name": {"id": "nama pertanyaan kosong", "en": "the question name is empty"},
    "duplicate": {"id": "nama {found!r} sudah dipakai di baris {other}",
                  "en": "name {found!r} is already used on row {other}"},
    "bad_value": {"id": "nilai {found!r} tidak dikenal", "en": "unknown value {found!r}"},
    "no_sheet": {"id": "{file}: lembar {sheet!r} tidak ada; lembar yang ada: {found}",
                 "en": "{file}: sheet {sheet!r} is missing; sheets found: {found}"},
    "no_column": {"id": "{file}: lembar {sheet!r}: kolom {column!r} tidak ada; kolom yang ada: {found}",
                  "en": "{file}: sheet {sheet!r}: column {column!r} is missing; columns found: {found}"},
}


def _lang_of(header: str, kind: str, default: str) -> str | None:
    """Language code of a ``kind::Name (code)`` header; None when the header is another column."""
    m = re.fullmatch(rf"{kind}\s*(?:::?\s*(.*))?", header, flags=re.IGNORECASE)
    if not m:
        return None
    spec = (m.group(1) or "").strip()
    if not spec:
        return default
    code = re.search(r"\(([A-Za-z][A-Za-z0-9_-]*)\)\s*$", spec)
    if code:
        return code.group(1).lower()
    return _NAME_TO_CODE.get(spec.lower(), spec.lower().replace(" ", "_")) or default


def _translations(record: Mapping[str, str], kind: str, default: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for header, value in record.items():
        lang = _lang_of(header, kind, default)
        if lang is not None and value and lang not in out:
            out[lang] = value
    return out


def from_xlsform(path: str | Path) -> dict[str, Any]:
    """Turn an XLSForm into a questionnaire skeleton (the YAML structure as a dict).

    ``select_one`` becomes ``single_choice`` (``true_false`` when its choices are
    ``B``/``S``, ``likert`` when ``evalkit_type`` says so or its choices are
    ``1..k`` in a mean/sum scale), ``select_multiple`` ``multi_select``,
    ``integer``/``decimal``/``range`` ``numeric`` (bounds from ``. >= a and . <= b``
    constraints or range parameters), ``text`` ``text``. Notes and groups are
    skipped; calculates, dates, locations, media and meta questions become
    ``participant.other_columns`` so the form's data export reads without
    "unknown column" problems. Items inside a repeat are skipped (their answers
    live in another table of the export).

    Labels come from ``label::<Language> (code)``, ``label::<Language>`` (common
    names such as English, Indonesian mapped to codes) or ``label`` alone (the
    settings' ``default_language``, else Indonesian); ``id`` is put first.
    The participant code, group and wave questions are found through
    ``evalkit_role``, else by name (``kode_peserta``/``kode``/..., ``kelompok``/
    ``group``, ``gelombang``/``wave``); the group list becomes ``groups``.
    Scales, keys and waves come from the ``evalkit_*`` columns and the
    ``evalkit_scales`` sheet (module docstring) when present.

    What the form cannot tell is left as ``TODO`` for a person to fill in, and
    :func:`evalkit.load_questionnaire` refuses the file until they do:

    * without an ``evalkit_scale`` column every choice item gets ``scale: TODO``
      (reported as ``items[i].scale: unknown value 'TODO'; allowed: <scale ids>``)
      and choice items get ``key: TODO`` (reported as ``items[i].key: answer key
      'TODO' is not among the options; allowed: a, b, ...``; for true/false
      ``unknown value 'TODO'; allowed: B, S``). Delete both lines for items that
      are not scored (e.g. sex, occupation).
    * a scale named in ``evalkit_scale`` but absent from ``evalkit_scales`` gets
      ``level: TODO`` (reported as ``scales[j].level: unknown value 'TODO';
      allowed: reaction, learning, behaviour``) and a scoring guessed from its
      items; keyed knowledge items without ``evalkit_key`` get ``key: TODO``.
    * missing translations are left out and reported as ``the 'en' translation is
      missing``; a form without Indonesian labels is reported under ``languages``
      (Indonesian is required and comes first).

    Parameters
    ----------
    path : str or Path
        ``.xlsx``/``.xlsm`` (``.xls`` when the optional ``xlrd`` package is installed).

    Returns
    -------
    dict
        Keys ``id, version, title, languages, waves, participant, groups,
        likert_labels, scales, items``, in the questionnaire YAML format.

    Raises
    ------
    QuestionnaireError
        Listing every problem (file, sheet, row, column, what was found, what is
        allowed): unknown question types, missing choice lists, duplicated names.

    Examples
    --------
    >>> import evalkit, tempfile, pathlib
    >>> from evalkit.forms import from_xlsform, to_xlsform
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> form = to_xlsform(q, pathlib.Path(tempfile.mkdtemp()) / "form.xlsx")
    >>> from_xlsform(form)["items"][0]["id"]
    'k01'
    """
    path = Path(path)
    return _Importer(path, _read_book(path)).build()


class _Importer:
    def __init__(self, path: Path, sheets: dict[str, _Sheet]):
        self.path, self.sheets = path, sheets
        self.problems: list[str] = []
        self.default = "id"

    def problem(self, sheet: str, row: int, column: str, what: Mapping[str, str], allowed: str = "",
                **values) -> None:
        msg = tr(_M["where"], file=self.path.name, sheet=sheet, row=row, column=column, what=tr(what, **values))
        self.problems.append(msg + (tr(_M["allowed"], allowed=allowed) if allowed else ""))

    def sheet(self, name: str) -> _Sheet:
        if name not in self.sheets:
            found = ", ".join(s.name for s in self.sheets.values()) or "-"
            raise QuestionnaireError([tr(_M["no_sheet"], file=self.path.name, sheet=name, found=found)])
        return self.sheets[name]

    def require(self, sheet: _Sheet, column: str) -> None:
        if column not in sheet.header:
            raise QuestionnaireError([tr(_M["no_column"], file=self.path.name, sheet=sheet.name, column=column,
                                         found=", ".join(sheet.header))])

    def build(self) -> dict[str, Any]:
        survey = self.sheet("survey")
        self.require(survey, "type")
        self.require(survey, "name")
        settings = self.sheets["settings"].rows[0][1] if "settings" in self.sheets and self.sheets["settings"].rows \
            else {}
        default = _lang_of("label::" + settings.get("default_language", ""), "label", "id") or "id"
        self.default = default
        choices = self.read_choices(default)
        has_scale_column = "evalkit_scale" in survey.header
        scale_rows = self.read_scales(default)
        questions = self.read_survey(survey, choices, default)
        if self.problems:
            header = tr(_M["header"], file=self.path.name, n=len(self.problems))
            raise QuestionnaireError([header] + self.problems)
        roles = self.assign_roles(questions)
        langs = self.languages(questions, choices, default)
        waves = [c["code"] for c in choices.get(roles["wave"]["list"], [])] if roles.get("wave", {}).get("list") \
            else []
        waves = [w for w in waves if w in WAVES] or ["pre", "post"]
        if roles.get("wave", {}).get("calculation"):  # a one-wave form: every wave its scales and items name
            named = {"pre", "post", roles["wave"]["calculation"].strip("'\" ")}
            for record in [p["record"] for p in questions] + [r["row"] for r in scale_rows]:
                named.update(record.get("evalkit_waves", record.get("waves", "")).split())
            waves = [w for w in WAVES if w in named]
        qid = settings.get("form_id", "") or self.path.stem
        if roles.get("wave", {}).get("calculation"):
            qid = re.sub(r"_(pre|post|followup)$", "", qid)
        title = {default if default in langs else langs[0]: settings.get("form_title", "") or qid}
        title.update(_translations(settings, "evalkit_title", default))
        data: dict[str, Any] = {
            "id": re.sub(r"[^a-z0-9_]", "_", qid.lower()),
            "version": settings.get("version", "") or "1",
            "title": _ordered(title, langs), "languages": langs, "waves": waves,
            "participant": {
                "id_column": roles["id"]["name"] if "id" in roles else "kode_peserta",
                "group_column": roles["group"]["name"] if "group" in roles else "kelompok",
                "personal_columns": [p["name"] for p in questions if p["role"] == "personal"],
                "other_columns": [p["name"] for p in questions
                                  if p["role"] == "other" and p["name"] not in SYSTEM_COLUMNS],
            },
        }
        if "group" in roles and roles["group"].get("list") in choices:
            data["groups"] = [{"code": c["code"], "label": _ordered(c["text"], langs)}
                              for c in choices[roles["group"]["list"]]]
        items = [p for p in questions if p["role"] == "item"]
        scales = self.build_scales(scale_rows, items, langs)
        used = {p["record"].get("evalkit_scale", "") for p in items}
        scales = {sid: scale for sid, scale in scales.items() if sid in used}  # a one-wave form has fewer
        likert_labels: dict[str, dict[str, list[str]]] = {}
        data["items"] = [self.build_item(p, choices, scales, likert_labels, langs, has_scale_column)
                         for p in items]
        data["likert_labels"] = likert_labels
        data["scales"] = list(scales.values())
        order = ("id", "version", "title", "languages", "waves", "participant", "groups", "likert_labels",
                 "scales", "items")
        return {k: data[k] for k in order if k in data and (data[k] or k in ("scales", "items"))}

    def read_choices(self, default: str) -> dict[str, list[dict[str, Any]]]:
        if "choices" not in self.sheets:
            return {}
        sheet = self.sheets["choices"]
        self.require(sheet, "list_name")
        self.require(sheet, "name")
        out: dict[str, list[dict[str, Any]]] = {}
        for _row, record in sheet.rows:
            if record.get("list_name") and record.get("name"):
                out.setdefault(record["list_name"], []).append(
                    {"code": record["name"], "text": _translations(record, "label", default)})
        return out

    def read_scales(self, default: str) -> list[dict[str, Any]]:
        if SCALES_SHEET not in self.sheets:
            return []
        sheet = self.sheets[SCALES_SHEET]
        out = []
        for row, r in sheet.rows:
            for column, allowed in (("level", LEVELS), ("scoring", SCORINGS)):
                if r.get(column) and r[column] not in allowed:
                    self.problem(sheet.name, row, column, _M["bad_value"], ", ".join(allowed), found=r[column])
            out.append({"row": r, "label": _translations(r, "label", default),
                        "description": _translations(r, "description", default)})
        return out

    def read_survey(self, survey: _Sheet, choices, default: str) -> list[dict[str, Any]]:
        out, seen, repeat = [], {}, 0
        for row, r in survey.rows:
            raw_type = re.sub(r"\s+", " ", r.get("type", "")).strip()
            kind = raw_type.lower()
            name = r.get("name", "")
            if kind in ("begin repeat", "begin_repeat", "begin loop"):
                repeat += 1
            elif kind in ("end repeat", "end_repeat", "end loop"):
                repeat = max(0, repeat - 1)
            if kind in _SKIPPED or (not kind and not name):
                continue
            if not kind:
                self.problem(survey.name, row, "type", _M["empty_type"], tr(_M["type_allowed"]), name=name)
                continue
            entry: dict[str, Any] = {"row": row, "name": name.lower(), "record": r, "role": "item",
                                     "calculation": r.get("calculation", "")}
            if not name:
                self.problem(survey.name, row, "name", _M["no_name"])
                continue
            if entry["name"] in seen:
                self.problem(survey.name, row, "name", _M["duplicate"], found=name, other=seen[entry["name"]])
                continue
            seen[entry["name"]] = row
            select = _SELECT.match(kind)
            if select:
                list_name = raw_type.split(" ")[-2 if select.group(3) else -1]
                if select.group(3) == "or specify other":
                    list_name = raw_type.split(" ")[-4]
                if list_name not in choices:
                    guess = difflib.get_close_matches(list_name, list(choices), n=1)
                    allowed = ", ".join(choices) or "-"
                    self.problem(survey.name, row, "type", _M["no_list"],
                                 allowed + (tr(_M["suggest"], guess=guess[0]) if guess else ""), found=list_name)
                    continue
                entry.update(xls="select_multiple" if "multiple" in kind or "all" in kind else "select_one",
                             list=list_name)
            elif kind in _NUMERIC:
                entry["xls"] = _NUMERIC[kind]
            elif kind in _TEXT:
                entry["xls"] = "text"
            elif kind in _OTHER or kind.split(" ")[0] in _OTHER:
                entry.update(xls=kind, role="other")
            else:
                known = ["select_one", "select_multiple", "integer", "decimal", "range", "text", "note",
                         "begin_group", "end_group", *sorted(_OTHER)]
                guess = difflib.get_close_matches(kind.split(" ")[0], known, n=1)
                self.problem(survey.name, row, "type", _M["unknown_type"],
                             tr(_M["type_allowed"]) + (tr(_M["suggest"], guess=guess[0]) if guess else ""),
                             found=raw_type)
                continue
            role = r.get("evalkit_role", "").lower()
            if role and role not in _ROLES:
                self.problem(survey.name, row, "evalkit_role", _M["bad_value"], ", ".join(_ROLES), found=role)
            elif role:
                entry["role"] = role
            if repeat and entry["role"] == "item":
                continue
            out.append(entry)
        return out

    def assign_roles(self, questions: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
        roles = {p["role"]: p for p in questions if p["role"] in ("id", "group", "wave")}
        for role, names in (("id", _ID_NAMES), ("group", _GROUP_NAMES), ("wave", (WAVE_QUESTION, "wave"))):
            if role in roles:
                continue
            for p in questions:
                if p["role"] in ("item", "other") and p["name"] in names:
                    p["role"], roles[role] = role, p
                    break
        for p in questions:
            if p["role"] == "item" and p["name"] in _PERSONAL_NAMES and p["xls"] == "text":
                p["role"] = "personal"
        if "wave" in roles and roles["wave"]["role"] == "other":
            roles["wave"]["role"] = "wave"
        return roles

    def languages(self, questions, choices, default) -> list[str]:
        found: list[str] = []
        for p in questions:
            if p["role"] == "item":
                found += [lang for lang in _translations(p["record"], "label", default) if lang not in found]
        for cs in choices.values():
            for c in cs:
                found += [lang for lang in c["text"] if lang not in found]
        return sorted(found or [default], key=lambda lang: {"id": 0, "en": 1}.get(lang, 2))

    def build_scales(self, scale_rows, items, langs) -> dict[str, dict]:
        scales: dict[str, dict[str, Any]] = {}
        for s in scale_rows:
            r = s["row"]
            entry: dict[str, Any] = {"id": r.get("scale", ""), "label": _ordered(s["label"], langs)}
            if s["description"]:
                entry["description"] = _ordered(s["description"], langs)
            entry["level"] = r.get("level") or "TODO"
            entry["scoring"] = r.get("scoring") or "TODO"
            if r.get("min_answered"):
                entry["min_answered"] = _number(r["min_answered"])
            if r.get("waves"):
                entry["waves"] = r["waves"].split()
            scales[entry["id"]] = entry
        for p in items:
            sid = p["record"].get("evalkit_scale", "")
            if sid and sid not in scales:
                keyed = any(q["record"].get("evalkit_key") for q in items if q["record"].get("evalkit_scale") == sid)
                scales[sid] = {"id": sid, "label": {lang: sid for lang in langs}, "level": "TODO",
                               "scoring": "percent_correct" if keyed else "mean"}
        return scales

    def build_item(self, p, choices, scales, likert_labels, langs, has_scale_column) -> dict[str, Any]:
        r = p["record"]
        text = _translations(r, "label", self.default)
        item: dict[str, Any] = {"id": p["name"]}
        sid = r.get("evalkit_scale", "")
        scale = scales.get(sid)
        explicit = r.get("evalkit_type", "").lower()
        options = choices.get(p.get("list", ""), [])
        codes = [c["code"] for c in options]
        if p["xls"] == "select_multiple":
            kind = "multi_select"
        elif p["xls"] == "select_one":
            numbered = codes == [str(i) for i in range(1, len(codes) + 1)] and len(codes) >= 2
            if explicit in ("likert", "true_false", "single_choice"):
                kind = explicit
            elif codes == ["B", "S"]:
                kind = "true_false"
            elif numbered and scale is not None and scale.get("scoring") in ("mean", "sum"):
                kind = "likert"
            else:
                kind = "single_choice"
        elif p["xls"] in ("integer", "decimal", "range"):
            kind = "numeric"
        else:
            kind = "text"
        if sid:
            item["scale"] = sid
        elif not has_scale_column and kind in ("single_choice", "true_false", "multi_select", "likert"):
            item["scale"] = "TODO"
        item["type"] = kind
        item["text"] = _ordered(text, langs)
        if kind in ("single_choice", "multi_select"):
            item["options"] = [{"code": c["code"], **_ordered(c["text"], langs)} for c in options]
        if kind == "likert":
            item["points"] = len(codes)
            labels = {lang: [c["text"].get(lang, c["code"]) for c in options] for lang in langs}
            if any(labels[lang] != codes for lang in langs):
                name = p["list"]
                if name in likert_labels and likert_labels[name] != labels:
                    name = f"{name}_{p['name']}"
                likert_labels[name] = labels
                item["labels"] = name
            if r.get("evalkit_reverse", "").lower() in _TRUE:
                item["reverse"] = True
        key = r.get("evalkit_key", "").split()
        if kind in ("single_choice", "true_false") and key:
            item["key"] = key[0]
        elif kind == "multi_select" and key:
            item["key"] = key
        elif kind == "numeric" and key:
            item["key"] = _number(key[0])
        elif kind in ("single_choice", "true_false", "multi_select") and (
                item.get("scale") == "TODO" or (scale or {}).get("scoring") == "percent_correct"):
            item["key"] = "TODO"
        if kind == "multi_select" and r.get("evalkit_scoring") in MULTI_SCORINGS:
            item["scoring"] = r["evalkit_scoring"]
        if kind == "numeric":
            low, high = _bounds(r)
            if low is not None:
                item["min"] = low
            if high is not None:
                item["max"] = high
        if r.get("evalkit_waves"):
            item["waves"] = r["evalkit_waves"].split()
        return item


def _ordered(text: Mapping[str, str], langs: list[str]) -> dict[str, str]:
    return {lang: text[lang] for lang in langs if lang in text}


def _number(text: str) -> int | float | str:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return text
    return int(value) if value.is_integer() else value


def _bounds(record: Mapping[str, str]) -> tuple[Any, Any]:
    low = high = None
    params = dict(re.findall(r"(\w+)\s*=\s*(-?[\d.]+)", record.get("parameters", "")))
    if "start" in params:
        low = _number(params["start"])
    if "end" in params:
        high = _number(params["end"])
    constraint = record.get("constraint", "")
    for op, value in re.findall(r"\.\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)", constraint):
        if op == ">=":
            low = _number(value)
        elif op == "<=":
            high = _number(value)
    return low, high


def write_questionnaire_yaml(data: Mapping[str, Any], path: str | Path, *, overwrite: bool = False,
                             inputs: Iterable[str | Path] = ()) -> Path:
    """Write a questionnaire dict (e.g. from :func:`from_xlsform`) as YAML.

    A header comment lists the ``TODO`` values left to fill in.

    Parameters
    ----------
    data : mapping
        The questionnaire in the YAML format's structure.
    path : str or Path
    overwrite : bool, default False
        Replace ``path`` when it exists; otherwise an existing file is refused with
        :class:`~evalkit.OutputError`.
    inputs : paths, optional
        Files that must never be overwritten (e.g. the XLSForm read).

    Returns
    -------
    Path

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from evalkit.forms import write_questionnaire_yaml
    >>> out = write_questionnaire_yaml({"id": "x"}, pathlib.Path(tempfile.mkdtemp()) / "q.yaml")
    >>> out.read_text(encoding="utf-8").splitlines()[-1]
    'id: x'
    """
    body = yaml.safe_dump(dict(data), sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)
    todo = sum(1 for line in body.splitlines() if line.rstrip().endswith(": TODO"))
    header = [
        "# Kuesioner evalkit, dibuat dari XLSForm. / An evalkit questionnaire made from an XLSForm.",
        "# Periksa dengan / check with: evalkit check <berkas.yaml>",
    ]
    if todo:
        header.append(f"# {todo} nilai TODO perlu diisi (skala, kunci jawaban, level) / "
                      f"{todo} TODO values to fill in (scales, answer keys, levels).")
    with writing_file(path, inputs=inputs, overwrite=overwrite) as temporary:
        temporary.write_text("\n".join(header) + "\n" + body, encoding="utf-8")
    return Path(path)
