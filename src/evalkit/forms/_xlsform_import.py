"""Import of an existing XLSForm (KoboToolbox, ODK) as an evalkit questionnaire skeleton.

:func:`from_xlsform` reads the form, including the ``evalkit_*`` columns and sheet that
:func:`evalkit.forms.to_xlsform` writes (see :mod:`evalkit.forms`), and leaves what
the form cannot tell as ``TODO``; :func:`write_questionnaire_yaml` saves the result for
:func:`evalkit.load_questionnaire`. Both are also available from :mod:`evalkit.forms`.
"""

from __future__ import annotations

import difflib
import re
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from .._errors import EvalkitWarning, QuestionnaireError
from .._i18n import Message, code_of, located, tr
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
#: Leading words of the select types (older spellings too), longest first; then the list name.
_SELECTS = tuple((tuple(words.split()), xls) for words, xls in (
    ("select all that apply from", "select_multiple"), ("select all that apply", "select_multiple"),
    ("select multiple", "select_multiple"), ("select_multiple", "select_multiple"),
    ("select one from", "select_one"), ("select one", "select_one"), ("select_one", "select_one"),
    ("select1", "select_one")))
_OR_OTHER = (("or_other",), ("or", "specify", "other"))
_BEGIN_REPEAT = ("begin repeat", "begin_repeat", "begin loop")
_END_REPEAT = ("end repeat", "end_repeat", "end loop")
#: Select types whose choices live outside the form (their options cannot be carried).
_FROM_FILE = ("select_one_from_file", "select_multiple_from_file", "select_one_external")
_BOUND = re.compile(r"\(?\s*\.\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)\s*\)?")
_CHOICE_KINDS = ("single_choice", "true_false", "multi_select", "likert")
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
    "where": {"code": "EK-FM-043", "id": "{file}: lembar {sheet!r}, baris {row}, kolom {column!r}: {what}",
              "en": "{file}: sheet {sheet!r}, row {row}, column {column!r}: {what}"},
    "allowed": {"code": "EK-FM-044", "id": "; yang diperbolehkan: {allowed}", "en": "; allowed: {allowed}"},
    "suggest": {"code": "EK-FM-045", "id": " (maksud Anda {guess!r}?)", "en": " (did you mean {guess!r}?)"},
    "header": {"code": "EK-FM-046", "id": "XLSForm {file} tidak dapat diubah menjadi kuesioner ({n} masalah):",
               "en": "XLSForm {file} cannot be turned into a questionnaire ({n} problems):"},
    "unknown_type": {"code": "EK-FM-047", "id": "jenis pertanyaan {found!r} tidak dikenal", "en": "unknown question type {found!r}"},
    "type_allowed": {"code": "EK-FM-048", "id": "select_one DAFTAR, select_multiple DAFTAR, integer, decimal, range, text, note, "
                           "calculate, begin_group, end_group, atau jenis meta/data XLSForm lain",
                     "en": "select_one LIST, select_multiple LIST, integer, decimal, range, text, note, "
                           "calculate, begin_group, end_group, or another XLSForm meta/data type"},
    "empty_type": {"code": "EK-FM-049", "id": "jenis pertanyaan kosong untuk {name!r}", "en": "the question type of {name!r} is empty"},
    "no_list": {"code": "EK-FM-050", "id": "daftar pilihan {found!r} tidak ada di lembar 'choices'",
                "en": "choice list {found!r} is not on the 'choices' sheet"},
    "no_name": {"code": "EK-FM-051", "id": "nama pertanyaan kosong", "en": "the question name is empty"},
    "duplicate": {"code": "EK-FM-052", "id": "nama {found!r} sudah dipakai di baris {other}",
                  "en": "name {found!r} is already used on row {other}"},
    "bad_value": {"code": "EK-FM-053", "id": "nilai {found!r} tidak dikenal", "en": "unknown value {found!r}"},
    "no_sheet": {"code": "EK-FM-054", "id": "{file}: lembar {sheet!r} tidak ada; lembar yang ada: {found}",
                 "en": "{file}: sheet {sheet!r} is missing; sheets found: {found}"},
    "lost": {"code": "EK-FM-055", "id": "{file}: lembar 'survey', baris {row} [{kind}]: {what}",
             "en": "{file}: sheet 'survey', row {row} [{kind}]: {what}"},
    "row": {"code": "EK-FM-056", "id": "baris {row}", "en": "row {row}"},
    "no_column": {"code": "EK-FM-057", "id": "{file}: lembar {sheet!r}: kolom {column!r} tidak ada; kolom yang ada: {found}",
                  "en": "{file}: sheet {sheet!r}: column {column!r} is missing; columns found: {found}"},
}

#: What a form can say that a questionnaire cannot carry: each is a warning and a TODO comment.
_LOSSES = {
    "repeat": {"id": "{n} pertanyaan di dalam repeat {name!r} tidak dibawa ({names}): jawabannya ada di tabel lain "
                     "pada ekspor data, yang tidak dinilai evalkit",
               "en": "{n} question(s) inside repeat {name!r} are not carried ({names}): their answers are in "
                     "another table of the data export, which evalkit does not score"},
    "or_other": {"id": "opsi 'lainnya' (or_other) dari {name!r} tidak dibawa; jawaban 'other' akan dianggap tidak "
                       "sah. Tambahkan opsi {{code: other, ...}} bila perlu",
                 "en": "the 'other' option (or_other) of {name!r} is not carried; 'other' answers will be invalid. "
                       "Add an option {{code: other, ...}} if needed"},
    "calculate": {"id": "calculate {name!r} ({calculation}) tidak dihitung ulang; nilainya dibaca sebagai kolom lain",
                  "en": "calculate {name!r} ({calculation}) is not recomputed; its value is read as another column"},
    "choice_filter": {"id": "choice_filter {filter!r} dari {name!r} tidak dibawa; semua opsi daftar {list!r} diterima",
                      "en": "the choice_filter {filter!r} of {name!r} is not carried; every option of list "
                            "{list!r} is accepted"},
    "constraint": {"id": "constraint {constraint!r} dari {name!r} tidak dibawa: hanya batas angka sederhana "
                         "(. >= a and . <= b) menjadi min/max; periksa jawabannya sendiri bila perlu",
                   "en": "the constraint {constraint!r} of {name!r} is not carried: only simple numeric bounds "
                         "(. >= a and . <= b) become min/max; check its answers yourself if needed"},
    "from_file": {"id": "opsi {name!r} ada di berkas luar ({found}) yang tidak dibaca; jawabannya dibaca sebagai "
                        "kolom lain tanpa pemeriksaan",
                  "en": "the options of {name!r} are in an outside file ({found}), which is not read; its answers "
                        "are read as another column, unchecked"},
    "no_items": {"id": "formulir ini tidak punya butir yang dapat dinilai di luar repeat",
                 "en": "the form has no items outside repeats that evalkit can score"},
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

    Types are read from the type's leading words, never from a list name:
    ``select_one`` becomes ``single_choice`` (``true_false`` when its choices are
    ``B``/``S``, ``likert`` when ``evalkit_type`` says so or its choices are
    ``1..k`` in a mean/sum scale), ``select_multiple`` ``multi_select``,
    ``integer``/``decimal``/``range`` ``numeric`` (bounds from range parameters, or
    from a constraint that is a conjunction of ``. >= a``/``. <= b`` terms), ``text``
    ``text``. Notes and groups are skipped; calculates, dates, locations, media and
    meta questions become ``participant.other_columns`` so the form's data export
    reads without "unknown column" problems.

    What the questionnaire cannot carry is named in an :class:`evalkit.EvalkitWarning`
    (``file: sheet 'survey', row N [name]: ...``) and listed in the result's ``todo``
    attribute, which :func:`write_questionnaire_yaml` writes as ``# TODO`` comments:
    ``repeat`` (questions inside a repeat: their answers live in another table of the
    export), ``or_other``, ``calculate``, ``choice_filter``, ``constraint`` (any
    constraint that is not simple bounds, e.g. ``.=0 or .>=9999``), ``from_file``
    (choices in an outside file) and ``no_items``.

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
      missing``. A form with labels in one language gives a one-language
      questionnaire (``languages: [id]``, or e.g. ``[en]``), which is valid.

    Parameters
    ----------
    path : str or Path
        ``.xlsx``/``.xlsm`` (``.xls`` when the optional ``xlrd`` package is installed).

    Returns
    -------
    dict
        Keys ``id, version, title, languages, waves, participant, groups,
        likert_labels, scales, items``, in the questionnaire YAML format. Its ``todo``
        attribute lists ``(item id or None, text)`` for each thing not carried.

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


class _Skeleton(dict):
    """The questionnaire structure, and in ``todo`` what the form says that it cannot carry."""

    def __init__(self, data: Mapping[str, Any], todo: list[tuple[str | None, str]]):
        super().__init__(data)
        self.todo = todo


class _Importer:
    def __init__(self, path: Path, sheets: dict[str, _Sheet]):
        self.path, self.sheets = path, sheets
        self.problems: list[str] = []
        self.losses: list[tuple[int, str, str | None, str]] = []  # (row, kind, item id or None, what)
        self.default = "id"
        self.choices: dict[str, list[dict[str, Any]]] = {}
        self.langs: list[str] = []

    def problem(self, sheet: str, row: int, column: str, what: Mapping[str, str], allowed: str = "",
                **values) -> None:
        msg = located(_M["where"], tr(what, **values), file=self.path.name, sheet=sheet, row=row, column=column)
        self.problems.append(Message(msg + (tr(_M["allowed"], allowed=allowed) if allowed else ""), code_of(msg)))

    def lost(self, kind: str, row: int, item: str | None, **values) -> None:
        """Something the form says that the questionnaire cannot carry (warned about, a TODO in the YAML)."""
        self.losses.append((row, kind, item, tr(_LOSSES[kind], **values)))

    def sheet(self, name: str) -> _Sheet:
        if name not in self.sheets:
            found = ", ".join(s.name for s in self.sheets.values()) or "-"
            raise QuestionnaireError([tr(_M["no_sheet"], file=self.path.name, sheet=name, found=found)])
        return self.sheets[name]

    def require(self, sheet: _Sheet, column: str) -> None:
        if column not in sheet.header:
            raise QuestionnaireError([tr(_M["no_column"], file=self.path.name, sheet=sheet.name, column=column,
                                         found=", ".join(sheet.header))])

    # -- the whole form ------------------------------------------------------
    def build(self) -> _Skeleton:
        survey = self.sheet("survey")
        self.require(survey, "type")
        self.require(survey, "name")
        settings = self.sheets["settings"].rows[0][1] if "settings" in self.sheets and self.sheets["settings"].rows \
            else {}
        self.default = _lang_of("label::" + settings.get("default_language", ""), "label", "id") or "id"
        self.choices = self.read_choices()
        scale_rows = self.read_scales()
        questions = self.read_survey(survey)
        if self.problems:
            raise QuestionnaireError([tr(_M["header"], file=self.path.name, n=len(self.problems))] + self.problems)
        roles = self.assign_roles(questions)
        self.note_losses(questions)
        self.langs = self.languages(questions)
        data = self.heading(settings, roles, questions, scale_rows)
        data["participant"] = _participant(roles, questions)
        if "group" in roles and roles["group"].get("list") in self.choices:
            data["groups"] = [{"code": c["code"], "label": _ordered(c["text"], self.langs)}
                              for c in self.choices[roles["group"]["list"]]]
        self.group_codes = {g["code"] for g in data.get("groups", [])}
        items = [p for p in questions if p["role"] == "item"]
        scales = self.build_scales(scale_rows, items)
        likert_labels: dict[str, dict[str, list[str]]] = {}
        has_scale_column = "evalkit_scale" in survey.header
        data["items"] = [self.build_item(p, scales, likert_labels, has_scale_column) for p in items]
        data["likert_labels"] = likert_labels
        data["scales"] = list(scales.values())
        return self.finish(data)

    def heading(self, settings: Mapping[str, str], roles, questions, scale_rows) -> dict[str, Any]:
        """id, version, title, languages and waves."""
        langs, one_wave = self.langs, roles.get("wave", {}).get("calculation")
        qid = settings.get("form_id", "") or self.path.stem
        if one_wave:
            qid = re.sub(r"_(pre|post|followup)$", "", qid)
        title = {self.default if self.default in langs else langs[0]: settings.get("form_title", "") or qid}
        title.update(_translations(settings, "evalkit_title", self.default))
        return {"id": re.sub(r"[^a-z0-9_]", "_", qid.lower()), "version": settings.get("version", "") or "1",
                "title": _ordered(title, langs), "languages": langs,
                "waves": self.waves(roles, questions, scale_rows)}

    def waves(self, roles, questions, scale_rows) -> list[str]:
        wave = roles.get("wave", {})
        if wave.get("calculation"):  # a one-wave form: every wave its scales and items name
            named = {"pre", "post", wave["calculation"].strip("'\" ")}
            for record in [p["record"] for p in questions] + [r["row"] for r in scale_rows]:
                named.update(record.get("evalkit_waves", record.get("waves", "")).split())
            return [w for w in WAVES if w in named]
        codes = [c["code"] for c in self.choices.get(wave.get("list", ""), [])]
        return [w for w in codes if w in WAVES] or ["pre", "post"]

    def finish(self, data: dict[str, Any]) -> _Skeleton:
        """The keys in the YAML format's order; every loss as a warning and a TODO."""
        if not data["items"]:
            self.lost("no_items", 1, None)
        todo = []
        for row, kind, item, what in sorted(self.losses, key=lambda loss: loss[0]):
            warnings.warn(tr(_M["lost"], file=self.path.name, row=row, kind=kind, what=what), EvalkitWarning,
                          stacklevel=3)
            todo.append((item, f"[{kind}] {tr(_M['row'], row=row)}: {what}"))
        order = ("id", "version", "title", "languages", "waves", "participant", "groups", "likert_labels",
                 "scales", "items")
        return _Skeleton({k: data[k] for k in order if k in data and (data[k] or k in ("scales", "items"))}, todo)

    # -- the sheets ------------------------------------------------------------
    def read_choices(self) -> dict[str, list[dict[str, Any]]]:
        if "choices" not in self.sheets:
            return {}
        sheet = self.sheets["choices"]
        self.require(sheet, "list_name")
        self.require(sheet, "name")
        out: dict[str, list[dict[str, Any]]] = {}
        for _row, record in sheet.rows:
            if record.get("list_name") and record.get("name"):
                out.setdefault(record["list_name"], []).append(
                    {"code": record["name"], "text": _translations(record, "label", self.default)})
        return out

    def read_scales(self) -> list[dict[str, Any]]:
        if SCALES_SHEET not in self.sheets:
            return []
        sheet = self.sheets[SCALES_SHEET]
        out = []
        for row, r in sheet.rows:
            for column, allowed in (("level", LEVELS), ("scoring", SCORINGS)):
                if r.get(column) and r[column] not in allowed:
                    self.problem(sheet.name, row, column, _M["bad_value"], ", ".join(allowed), found=r[column])
            out.append({"row": r, "label": _translations(r, "label", self.default),
                        "description": _translations(r, "description", self.default)})
        return out

    def read_survey(self, survey: _Sheet) -> list[dict[str, Any]]:
        """The questions outside repeats; the items inside one are reported as lost when it ends."""
        out: list[dict[str, Any]] = []
        seen: dict[str, int] = {}
        repeats: list[dict[str, Any]] = []  # the open repeats, innermost last
        for row, r in survey.rows:
            raw_type = re.sub(r"\s+", " ", r.get("type", "")).strip()
            kind = raw_type.lower()
            if kind in _BEGIN_REPEAT:
                repeats.append({"name": r.get("name", ""), "row": row, "items": []})
            elif kind in _END_REPEAT and repeats:
                self.repeat_lost(repeats.pop())
            if kind in _SKIPPED or (not kind and not r.get("name", "")):
                continue
            entry = self.read_question(survey.name, row, r, raw_type, seen)
            if entry is not None and repeats and entry["role"] == "item":
                repeats[-1]["items"].append(entry["name"])
            elif entry is not None:
                out.append(entry)
        for repeat in reversed(repeats):  # never closed: it runs to the end of the sheet
            self.repeat_lost(repeat)
        return out

    def repeat_lost(self, repeat: dict[str, Any]) -> None:
        names = repeat["items"]
        if names:
            shown = ", ".join(names[:8]) + (", …" if len(names) > 8 else "")
            self.lost("repeat", repeat["row"], None, name=repeat["name"], n=len(names), names=shown)

    def read_question(self, sheet: str, row: int, r: Mapping[str, str], raw_type: str,
                      seen: dict[str, int]) -> dict[str, Any] | None:
        """One survey row as a question entry; None (and a problem) when it cannot be read."""
        name = r.get("name", "")
        if not raw_type:
            self.problem(sheet, row, "type", _M["empty_type"], tr(_M["type_allowed"]), name=name)
            return None
        if not name:
            self.problem(sheet, row, "name", _M["no_name"])
            return None
        if name.lower() in seen:
            self.problem(sheet, row, "name", _M["duplicate"], found=name, other=seen[name.lower()])
            return None
        seen[name.lower()] = row
        typed = self.question_type(sheet, row, raw_type)
        if typed is None:
            return None
        entry = {"row": row, "name": name.lower(), "record": r, "role": "item",
                 "calculation": r.get("calculation", ""), **typed}
        role = r.get("evalkit_role", "").lower()
        if role and role not in _ROLES:
            self.problem(sheet, row, "evalkit_role", _M["bad_value"], ", ".join(_ROLES), found=role)
        elif role:
            entry["role"] = role
        return entry

    def question_type(self, sheet: str, row: int, raw_type: str) -> dict[str, Any] | None:
        """The XLSForm type, read from its first token(s); None (and a problem) when unknown."""
        select = _select_type(raw_type)
        kind = raw_type.lower()
        if select:
            xls, list_name, or_other = select
            if list_name in self.choices:
                return {"xls": xls, "list": list_name, "or_other": or_other}
            guess = difflib.get_close_matches(list_name, list(self.choices), n=1)
            allowed = ", ".join(self.choices) or "-"
            self.problem(sheet, row, "type", _M["no_list"],
                         allowed + (tr(_M["suggest"], guess=guess[0]) if guess else ""), found=list_name)
        elif kind in _NUMERIC:
            return {"xls": _NUMERIC[kind]}
        elif kind in _TEXT:
            return {"xls": "text"}
        elif kind in _OTHER or kind.split(" ")[0] in _OTHER or any(kind.startswith(o + " ") for o in _OTHER):
            return {"xls": kind, "role": "other"}
        else:
            known = ["select_one", "select_multiple", "integer", "decimal", "range", "text", "note",
                     "begin_group", "end_group", *sorted(_OTHER)]
            guess = difflib.get_close_matches(kind.split(" ")[0], known, n=1)
            self.problem(sheet, row, "type", _M["unknown_type"],
                         tr(_M["type_allowed"]) + (tr(_M["suggest"], guess=guess[0]) if guess else ""),
                         found=raw_type)
        return None

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

    def note_losses(self, questions: list[dict[str, Any]]) -> None:
        """Calculates, choices from files, 'other' options and choice filters: kept nowhere, so reported."""
        for p in questions:
            r, name, row = p["record"], p["name"], p["row"]
            if p["role"] == "other" and p["xls"] == "calculate":
                self.lost("calculate", row, None, name=name, calculation=p["calculation"] or "-")
            elif p["role"] == "other" and p["xls"].replace(" ", "_").startswith(_FROM_FILE):
                self.lost("from_file", row, None, name=name, found=p["xls"])
            if p["role"] == "item" and p.get("or_other"):
                self.lost("or_other", row, name, name=name)
            if p["role"] == "item" and r.get("choice_filter"):
                self.lost("choice_filter", row, name, name=name, filter=r["choice_filter"], list=p.get("list", ""))

    def languages(self, questions) -> list[str]:
        found: list[str] = []
        for p in questions:
            if p["role"] == "item":
                found += [lang for lang in _translations(p["record"], "label", self.default) if lang not in found]
        for cs in self.choices.values():
            for c in cs:
                found += [lang for lang in c["text"] if lang not in found]
        return sorted(found or [self.default], key=lambda lang: {"id": 0, "en": 1}.get(lang, 2))

    # -- scales and items --------------------------------------------------------
    def build_scales(self, scale_rows, items) -> dict[str, dict]:
        scales = {s["row"].get("scale", ""): _scale_entry(s, self.langs) for s in scale_rows}
        for p in items:
            sid = p["record"].get("evalkit_scale", "")
            if sid and sid not in scales:
                keyed = any(q["record"].get("evalkit_key") for q in items if q["record"].get("evalkit_scale") == sid)
                scales[sid] = {"id": sid, "label": {lang: sid for lang in self.langs}, "level": "TODO",
                               "scoring": "percent_correct" if keyed else "mean"}
        used = {p["record"].get("evalkit_scale", "") for p in items}
        return {sid: scale for sid, scale in scales.items() if sid in used}  # a one-wave form has fewer

    def build_item(self, p, scales, likert_labels, has_scale_column) -> dict[str, Any]:
        r = p["record"]
        sid = r.get("evalkit_scale", "")
        scale = scales.get(sid)
        options = self.choices.get(p.get("list", ""), [])
        kind = _item_kind(p, [c["code"] for c in options], scale)
        item: dict[str, Any] = {"id": p["name"]}
        if sid or (not has_scale_column and kind in _CHOICE_KINDS):
            item["scale"] = sid or "TODO"
        item["type"] = kind
        item["text"] = _ordered(_translations(r, "label", self.default), self.langs)
        if kind in ("single_choice", "multi_select"):
            item["options"] = [{"code": c["code"], **_ordered(c["text"], self.langs)} for c in options]
        if kind == "network":  # its options are the groups, then the institutions
            item["institutions"] = [{"code": c["code"], **_ordered(c["text"], self.langs)} for c in options
                                    if c["code"] not in self.group_codes]
        if kind == "likert":
            item.update(self.likert_fields(p, options, likert_labels))
        key = _item_key(kind, r, todo=item.get("scale") == "TODO" or (scale or {}).get("scoring") == "percent_correct")
        if key is not None:
            item["key"] = key
        if kind == "multi_select" and r.get("evalkit_scoring") in MULTI_SCORINGS:
            item["scoring"] = r["evalkit_scoring"]
        item.update(self.bounds(p, numeric=kind == "numeric"))
        if r.get("evalkit_waves"):
            item["waves"] = r["evalkit_waves"].split()
        if r.get("evalkit_action"):
            item["action"] = r["evalkit_action"]
        return item

    def likert_fields(self, p, options, likert_labels) -> dict[str, Any]:
        """Points, the label set (when the labels are more than the point numbers) and reverse keying."""
        codes = [c["code"] for c in options]
        fields: dict[str, Any] = {"points": len(codes)}
        labels = {lang: [c["text"].get(lang, c["code"]) for c in options] for lang in self.langs}
        if any(labels[lang] != codes for lang in self.langs):
            name = p["list"]
            if name in likert_labels and likert_labels[name] != labels:
                name = f"{name}_{p['name']}"
            likert_labels[name] = labels
            fields["labels"] = name
        if p["record"].get("evalkit_reverse", "").lower() in _TRUE:
            fields["reverse"] = True
        return fields

    def bounds(self, p, *, numeric: bool) -> dict[str, Any]:
        """min/max of a numeric item; a constraint they cannot say is reported as lost."""
        r = p["record"]
        params = dict(re.findall(r"(\w+)\s*=\s*(-?[\d.]+)", r.get("parameters", ""))) if numeric else {}
        low, high = (_number(params[k]) if k in params else None for k in ("start", "end"))
        constraint = r.get("constraint", "")
        simple = _constraint_bounds(constraint, whole=p["xls"] == "integer") if numeric and constraint else None
        if constraint and simple is None:
            self.lost("constraint", p["row"], p["name"], name=p["name"], constraint=constraint)
        elif simple:
            low = simple[0] if simple[0] is not None else low
            high = simple[1] if simple[1] is not None else high
        return {k: v for k, v in (("min", low), ("max", high)) if v is not None}


def _participant(roles, questions) -> dict[str, Any]:
    return {
        "id_column": roles["id"]["name"] if "id" in roles else "kode_peserta",
        "group_column": roles["group"]["name"] if "group" in roles else "kelompok",
        "personal_columns": [p["name"] for p in questions if p["role"] == "personal"],
        "other_columns": [p["name"] for p in questions if p["role"] == "other" and p["name"] not in SYSTEM_COLUMNS],
    }


def _scale_entry(s: Mapping[str, Any], langs: list[str]) -> dict[str, Any]:
    """A scale from a row of the evalkit_scales sheet."""
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
    return entry


def _select_type(raw_type: str) -> tuple[str, str, bool] | None:
    """(``select_one``/``select_multiple``, list name, has or_other) of a select type; None for other types.

    Read from the type's leading words, never from a substring: ``select_one overall_rating``
    is single choice, ``select_one_from_file f.csv`` no select of a choice list.
    """
    words = raw_type.split(" ")
    lowered = [w.lower() for w in words]
    for prefix, xls in _SELECTS:
        n = len(prefix)
        if tuple(lowered[:n]) != prefix:
            continue
        rest, lowered_rest = words[n:], lowered[n:]
        for suffix in _OR_OTHER:
            if len(rest) == 1 + len(suffix) and tuple(lowered_rest[1:]) == suffix:
                return xls, rest[0], True
        return (xls, rest[0], False) if len(rest) == 1 else None
    return None


def _item_kind(p: Mapping[str, Any], codes: list[str], scale: Mapping[str, Any] | None) -> str:
    if p["xls"] == "select_multiple":
        return "network" if p["record"].get("evalkit_type", "").lower() == "network" else "multi_select"
    if p["xls"] in ("integer", "decimal", "range"):
        return "numeric"
    if p["xls"] != "select_one":
        return "text"
    explicit = p["record"].get("evalkit_type", "").lower()
    numbered = codes == [str(i) for i in range(1, len(codes) + 1)] and len(codes) >= 2
    if explicit in ("likert", "true_false", "single_choice"):
        return explicit
    if codes == ["B", "S"]:
        return "true_false"
    if numbered and scale is not None and scale.get("scoring") in ("mean", "sum"):
        return "likert"
    return "single_choice"


def _item_key(kind: str, r: Mapping[str, str], *, todo: bool) -> Any:
    """The answer key from ``evalkit_key``; ``TODO`` for a choice item that needs one; None without."""
    key = r.get("evalkit_key", "").split()
    if key and kind in ("single_choice", "true_false"):
        return key[0]
    if key and kind == "multi_select":
        return key
    if key and kind == "numeric":
        return _number(key[0])
    if todo and kind in ("single_choice", "true_false", "multi_select"):
        return "TODO"
    return None


def _constraint_bounds(constraint: str, *, whole: bool) -> tuple[Any, Any] | None:
    """(min, max) of a conjunction of ``. >= a`` / ``. <= b`` terms; None when it says anything else.

    ``. > a`` and ``. < b`` count too when the answer is a whole number (``. >= a + 1``).
    """
    low = high = None
    for term in re.split(r"\s+and\s+", constraint.strip()):
        m = _BOUND.fullmatch(term.strip())
        if not m:
            return None
        op, value = m.groups()
        number = _number(value)
        if op in (">", "<") and not (whole and float(value).is_integer()):
            return None
        if op in (">", "<"):
            number, op = int(float(value)) + (1 if op == ">" else -1), op + "="
        if op == ">=":
            low = number if low is None else max(low, number)
        else:
            high = number if high is None else min(high, number)
    return low, high


def _ordered(text: Mapping[str, str], langs: list[str]) -> dict[str, str]:
    return {lang: text[lang] for lang in langs if lang in text}


def _number(text: str) -> int | float | str:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return text
    return int(value) if value.is_integer() else value


def write_questionnaire_yaml(data: Mapping[str, Any], path: str | Path, *, overwrite: bool = False,
                             inputs: Iterable[str | Path] = ()) -> Path:
    """Write a questionnaire dict (e.g. from :func:`from_xlsform`) as YAML.

    A header comment lists the ``TODO`` values left to fill in and what the form
    said that the questionnaire cannot carry (the ``todo`` of :func:`from_xlsform`'s
    result); those about one item are repeated as a comment above it.

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
    lost: list[tuple[str | None, str]] = list(getattr(data, "todo", ()))
    header = [
        "# Kuesioner evalkit, dibuat dari XLSForm. / An evalkit questionnaire made from an XLSForm.",
        "# Periksa dengan / check with: evalkit check <berkas.yaml>",
    ]
    if todo:
        header.append(f"# {todo} nilai TODO perlu diisi (skala, kunci jawaban, level) / "
                      f"{todo} TODO values to fill in (scales, answer keys, levels).")
    header += [f"# TODO {text}" for _item, text in lost]
    lines = body.splitlines()
    for item, text in reversed(lost):
        at = _item_line(lines, item)
        if at is not None:
            lines.insert(at, f"# TODO {text}")
    with writing_file(path, inputs=inputs, overwrite=overwrite) as temporary:
        temporary.write_text("\n".join(header + lines) + "\n", encoding="utf-8")
    return Path(path)


def _item_line(lines: list[str], item: str | None) -> int | None:
    """Index of the ``- id: <item>`` line in the dumped items list; None when there is none."""
    start = lines.index("items:") if "items:" in lines else len(lines)
    wanted = {f"- id: {item}", f"- id: '{item}'"}
    return next((i for i in range(start, len(lines)) if lines[i] in wanted), None) if item else None
