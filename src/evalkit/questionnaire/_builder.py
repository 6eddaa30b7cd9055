"""Validating a loaded questionnaire YAML and building :class:`~evalkit.questionnaire.Questionnaire`.

Every problem is collected with its line before anything is raised, as
``FILE:LINE: key path: what is wrong; allowed: ...``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .._errors import QuestionnaireError
from .._i18n import Message, code_of, tr
from ._yamlmarks import format_path, line_of
from ._model import (ACTIONS, ITEM_TYPES, LEVELS, MULTI_SCORINGS, SCORINGS, TRUE_FALSE_ALIASES, TRUE_FALSE_CODES,
                            WAVES, Item, Option, Questionnaire, Scale, Texts)

_ID = re.compile(r"[a-z][a-z0-9_]*")
_CODE = re.compile(r"\S+")  # answers are split on spaces (multi-select), so no spaces in codes

_TOP_KEYS = ("id", "version", "title", "description", "languages", "waves", "participant",
             "groups", "likert_labels", "scales", "items")
_PARTICIPANT_KEYS = ("id_column", "group_column", "personal_columns", "other_columns")
_SCALE_KEYS = ("id", "label", "description", "level", "scoring", "min_answered", "waves", "defaults")
_ITEM_KEYS = ("id", "scale", "type", "text", "options", "key", "reverse", "points", "labels",
              "scoring", "min", "max", "waves", "institutions", "action")
_APPLIES = {
    "options": ("single_choice", "multi_select"),
    "key": ("single_choice", "true_false", "multi_select", "numeric"),
    "reverse": ("likert",), "points": ("likert",), "labels": ("likert",),
    "scoring": ("multi_select",), "min": ("numeric",), "max": ("numeric",),
    "institutions": ("network",), "action": ("likert", "numeric"),
}
_TF_LABELS = {
    "B": {"id": "Benar", "en": "True"},
    "S": {"id": "Salah", "en": "False"},
}

_M = {
    "missing": {"code": "EK-QN-001", "id": "kunci wajib tidak ada", "en": "required key is missing"},
    "unknown_key": {"code": "EK-QN-002", "id": "kunci '{key}' tidak dikenal", "en": "unknown key '{key}'"},
    "type": {"code": "EK-QN-003", "id": "harus berupa {expected}, ditemukan {found!r}",
             "en": "must be {expected}; found {found!r}"},
    "choice": {"code": "EK-QN-004", "id": "nilai {found!r} tidak dikenal", "en": "unknown value {found!r}"},
    "id_format": {"code": "EK-QN-005", "id": "id {found!r} tidak sah", "en": "invalid id {found!r}"},
    "duplicate": {"code": "EK-QN-006", "id": "id {found!r} sudah dipakai di baris {other}",
                  "en": "id {found!r} is already used on line {other}"},
    "translation": {"code": "EK-QN-007", "id": "terjemahan '{code}' tidak ada", "en": "the '{code}' translation is missing"},
    "undefined_scale": {"code": "EK-QN-008", "id": "skala {found!r} tidak didefinisikan", "en": "scale {found!r} is not defined"},
    "key_not_option": {"code": "EK-QN-009", "id": "kunci jawaban {found!r} bukan salah satu opsi",
                       "en": "answer key {found!r} is not among the options"},
    "labels_len": {"code": "EK-QN-010", "id": "jumlah label ({found}) tidak sama dengan jumlah poin ({points})",
                   "en": "{found} labels given for {points} points"},
    "text_scored": {"code": "EK-QN-011", "id": "butir teks tidak pernah diberi skor, jadi tidak boleh punya skala",
                    "en": "text items are never scored, so they cannot belong to a scale"},
    "network_scored": {"code": "EK-QN-038", "id": "butir jejaring (network) tidak diberi skor, jadi tidak boleh punya skala",
                       "en": "network items are not scored, so they cannot belong to a scale"},
    "network_groups": {"code": "EK-QN-039", "id": "butir jejaring memerlukan daftar 'groups' kuesioner (pilihannya adalah kelompok "
                             "dan lembaga)",
                       "en": "a network item needs the questionnaire's 'groups' list (its options are the groups "
                             "and the institutions)"},
    "institution_clash": {"code": "EK-QN-040", "id": "kode lembaga {found!r} sudah dipakai sebagai kode kelompok",
                          "en": "institution code {found!r} is already a group code"},
    "action_scale": {"code": "EK-QN-041", "id": "'action' hanya berlaku untuk butir skala berjenjang behaviour; skala {found!r} "
                           "berjenjang {level!r}",
                     "en": "'action' applies only to items of a behaviour-level scale; scale {found!r} is "
                           "level {level!r}"},
    "action_reverse": {"code": "EK-QN-042", "id": "butir 'action' tidak boleh reverse: tindakan dihitung bila dilakukan",
                       "en": "an 'action' item cannot be reverse-keyed: an action counts when it was done"},
    "knowledge_type": {"code": "EK-QN-012", "id": "skala percent_correct hanya menerima butir berkunci, ditemukan jenis {found!r}",
                       "en": "a percent_correct scale takes only keyed items; found type {found!r}"},
    "likert_type": {"code": "EK-QN-013", "id": "skala {scoring} hanya menerima butir likert atau numeric, ditemukan {found!r}",
                    "en": "a {scoring} scale takes only likert or numeric items; found {found!r}"},
    "empty_scale": {"code": "EK-QN-014", "id": "skala {found!r} tidak punya butir", "en": "scale {found!r} has no items"},
    "wave_outside": {"code": "EK-QN-015", "id": "gelombang {found!r} tidak ada dalam 'waves' skala",
                     "en": "wave {found!r} is not among the scale's waves"},
    "range": {"code": "EK-QN-016", "id": "nilai {found!r} di luar rentang", "en": "value {found!r} is out of range"},
    "reverse_likert": {"code": "EK-QN-017", "id": "'reverse' hanya berlaku untuk butir likert",
                       "en": "'reverse' applies to likert items only"},
    "not_for_type": {"code": "EK-QN-018", "id": "kunci '{key}' tidak berlaku untuk jenis {type}",
                     "en": "key '{key}' does not apply to type {type}"},
    "file": {"code": "EK-QN-019", "id": "{location}: {path}: {what}; {allowed}", "en": "{location}: {path}: {what}; {allowed}"},
    "allowed": {"code": "EK-QN-020", "id": "yang diperbolehkan: {allowed}", "en": "allowed: {allowed}"},
    "suggest": {"code": "EK-QN-021", "id": " (maksud Anda {guess!r}?)", "en": " (did you mean {guess!r}?)"},
    "id_first": {"code": "EK-QN-022", "id": "bahasa pertama harus 'id' (Indonesia), ditemukan {found!r}",
                 "en": "the first language must be 'id' (Indonesian); found {found!r}"},
    "no_scales": {"code": "EK-QN-023", "id": "belum ada skala; definisikan skala di 'scales' atau hapus baris ini",
                  "en": "no scales are defined yet; define one under 'scales' or delete this line"},
    "wave_required": {"code": "EK-QN-024", "id": "gelombang {found!r} wajib ada", "en": "wave {found!r} is required"},
    "repeated": {"code": "EK-QN-025", "id": "{found!r} disebut lebih dari sekali", "en": "{found!r} is listed more than once"},
    "duplicate_key": {"code": "EK-QN-026", "id": "kunci '{found}' ditulis dua kali dalam pemetaan yang sama (nilai pertama akan hilang)",
                      "en": "key '{found}' appears twice in the same mapping (the first value would be lost)"},
    "min_max": {"code": "EK-QN-027", "id": "min ({low}) lebih besar daripada max ({high})", "en": "min ({low}) is greater than max ({high})"},
    "column_clash": {"code": "EK-QN-028", "id": "kolom {found!r} juga dipakai sebagai {other}", "en": "column {found!r} is also used as {other}"},
    "set_len": {"code": "EK-QN-029", "id": "himpunan label {name!r} berisi {found} label untuk {points} poin",
                "en": "label set {name!r} has {found} labels for {points} points"},
    "lang_len": {"code": "EK-QN-030", "id": "bahasa '{code}' punya {found} label, bahasa '{first}' punya {expected}",
                 "en": "language '{code}' has {found} labels, language '{first}' has {expected}"},
    "header": {"code": "EK-QN-031", "id": "Kuesioner {file} tidak sah ({n} masalah):",
               "en": "Questionnaire {file} is invalid ({n} problems):"},
}


_KINDS = {
    "mapping": {"id": "pemetaan (kunci: nilai)", "en": "a mapping (key: value)"},
    "list": {"id": "daftar [..]", "en": "a list [..]"},
    "string": {"id": "teks", "en": "a string"},
    "number": {"id": "angka", "en": "a number"},
    "bool": {"id": "true atau false", "en": "true or false"},
    "columns": {"id": "daftar nama kolom", "en": "a list of column names"},
    "waves": {"id": "daftar gelombang [pre, post, ...]", "en": "a list of waves [pre, post, ...]"},
    "text": {"id": "teks per bahasa {{{langs}}}", "en": "a text per language {{{langs}}}"},
    "label_lists": {"id": "daftar label per bahasa {{id: [...], en: [...]}}",
                    "en": "label lists per language {{id: [...], en: [...]}}"},
    "options": {"id": "daftar minimal 2 opsi {{code, id, en}}", "en": "a list of at least 2 options {{code, id, en}}"},
    "institutions": {"id": "daftar lembaga {{code, id, en}}", "en": "a list of institutions {{code, id, en}}"},
    "option": {"id": "{{code: a, id: ..., en: ...}}", "en": "{{code: a, id: ..., en: ...}}"},
    "id": {"id": "a-z, 0-9, _ (diawali huruf kecil)", "en": "a-z, 0-9, _ (starting with a lower-case letter)"},
    "code": {"id": "teks tanpa spasi (beri tanda kutip bila berupa true/false)",
             "en": "text without spaces (quote it if it is true/false)"},
}


def _kind(name: str, **values) -> str:
    return tr(_KINDS[name], **values) if values else tr(_KINDS[name]).replace("{{", "{").replace("}}", "}")


class Builder:
    """Validates the loaded YAML, collecting every problem with its line."""

    def __init__(self, path: Path, data: Any, marks: dict, duplicate_keys: list):
        self.path, self.data, self.marks, self.duplicate_keys = path, data, marks, duplicate_keys
        self.problems: list[tuple[int, str]] = []
        self.languages: tuple[str, ...] = ("id", "en")
        self.groups: tuple[Option, ...] = ()

    # -- reporting ---------------------------------------------------------
    def problem(self, path: tuple, what: Mapping[str, str] | str, allowed: str = "", **values) -> None:
        line = line_of(self.marks, path)
        what_text = tr(what, **values) if isinstance(what, Mapping) else what
        msg = f"{self.path}:{line}: {format_path(path, self.data)}: {what_text}"
        if allowed:
            msg += "; " + tr(_M["allowed"], allowed=allowed)
        self.problems.append((line, Message(msg, code_of(what_text)) if code_of(what_text) else msg))

    def choice(self, path: tuple, value: Any, allowed: tuple[str, ...] | list[str]) -> bool:
        if value in allowed:
            return True
        guess = difflib.get_close_matches(str(value), [str(a) for a in allowed], n=1)
        allowed_text = ", ".join(map(str, allowed))
        if guess:
            allowed_text += tr(_M["suggest"], guess=guess[0])
        self.problem(path, _M["choice"], allowed_text, found=value)
        return False

    def keys(self, path: tuple, mapping: dict, allowed: tuple[str, ...], required: tuple[str, ...]) -> None:
        for key in mapping:
            if key not in allowed:
                guess = difflib.get_close_matches(str(key), allowed, n=1)
                text = ", ".join(allowed) + (tr(_M["suggest"], guess=guess[0]) if guess else "")
                self.problem(path + (key,), _M["unknown_key"], text, key=key)
        for key in required:
            if key not in mapping:
                self.problem(path + (key,), _M["missing"], key)

    def text(self, path: tuple, value: Any) -> dict[str, str]:
        if not isinstance(value, dict):
            self.problem(path, _M["type"], expected=_kind("text", langs=", ".join(f"{code}: ..." for code in self.languages)),
                         found=value)
            return Texts({lang: str(value) for lang in self.languages})
        for lang in self.languages:
            if not isinstance(value.get(lang), str) or not value[lang].strip():
                self.problem(path + (lang,), _M["translation"], ", ".join(self.languages), code=lang)
        for lang in value:
            # id/en, evalkit's own languages, may stay as spare translations in a one-language questionnaire
            if lang not in self.languages and lang not in ("id", "en"):
                self.problem(path + (lang,), _M["unknown_key"], ", ".join(self.languages), key=lang)
        return Texts({lang: str(value.get(lang, "")) for lang in self.languages})

    def ident(self, path: tuple, value: Any) -> str:
        if not isinstance(value, str) or not _ID.fullmatch(value):
            self.problem(path, _M["id_format"], _kind("id"), found=value)
        return str(value)

    def waves(self, path: tuple, value: Any, within: tuple[str, ...]) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            self.problem(path, _M["type"], ", ".join(within), expected=_kind("waves"), found=value)
            return within
        for i, w in enumerate(value):
            if w in value[:i]:
                self.problem(path + (i,), _M["repeated"], found=w)
            else:
                self.choice(path + (i,), w, within)
        return tuple(dict.fromkeys(w for w in value if w in within))

    # -- building ----------------------------------------------------------
    def build(self) -> Questionnaire:
        d = self.data
        for path in self.duplicate_keys:
            self.problem(path, _M["duplicate_key"], found=path[-1])
        if not isinstance(d, dict):
            self.problem((), _M["type"], expected=_kind("mapping"), found=type(d).__name__)
            self.fail()
        self.keys((), d, _TOP_KEYS, ("id", "version", "title", "languages", "participant", "scales", "items"))
        self.build_languages(d.get("languages", ["id", "en"]))
        qid, version, title = self.build_heading(d)
        waves = self.build_waves(d.get("waves", ["pre", "post"]))
        part, columns = self.build_participant(d.get("participant", {}))
        self.check_columns(part, columns, d.get("items"))
        groups = self.groups = self.build_groups(d.get("groups", []))
        likert_labels = self.build_likert_labels(d.get("likert_labels", {}))
        scales, defaults = self.build_scales(d.get("scales", []), waves)
        items = self.build_items(d.get("items", []), scales, defaults, likert_labels, waves)
        self.check_scales(scales, items)
        self.fail()
        return Questionnaire(
            id=qid, version=str(version), title=title, languages=self.languages, waves=waves,
            id_column=str(part.get("id_column")), group_column=str(part.get("group_column")),
            personal_columns=columns["personal_columns"], other_columns=columns["other_columns"],
            groups=groups, scales=tuple(scales.values()), items=tuple(items), path=self.path,
        )

    def build_languages(self, langs: Any) -> None:
        """One language or more, Indonesian first when it is among them."""
        if not (isinstance(langs, list) and langs and all(isinstance(x, str) for x in langs)):
            self.problem(("languages",), _M["type"], "[id, en], [id], [en]", expected=_kind("list"), found=langs)
            return
        self.languages = tuple(dict.fromkeys(langs))
        if langs[0] != "id" and "id" in langs:
            self.problem(("languages", 0), _M["id_first"], "[id, en]", found=langs[0])
        for i, code in enumerate(langs):
            if code in langs[:i]:
                self.problem(("languages", i), _M["repeated"], found=code)

    def build_heading(self, d: dict) -> tuple[str, Any, dict[str, str]]:
        """The id, version and title (and a check of the description)."""
        qid = self.ident(("id",), d.get("id", "x"))
        version = d.get("version", "")
        if not isinstance(version, (str, int, float)) or isinstance(version, bool):
            self.problem(("version",), _M["type"], expected=_kind("string"), found=version)
        title = self.text(("title",), d.get("title", {}))
        if "description" in d:
            self.text(("description",), d["description"])
        return qid, version, title

    def build_waves(self, value: Any) -> tuple[str, ...]:
        waves = self.waves(("waves",), value, WAVES)
        for required in ("pre", "post"):
            if required not in waves:
                self.problem(("waves",), _M["wave_required"], ", ".join(WAVES), found=required)
        return waves

    def build_participant(self, part: Any) -> tuple[dict, dict[str, tuple[str, ...]]]:
        """The participant mapping and its personal/other column lists."""
        if not isinstance(part, dict):
            self.problem(("participant",), _M["type"], expected=_kind("mapping"), found=part)
            part = {}
        self.keys(("participant",), part, _PARTICIPANT_KEYS, ("id_column", "group_column"))
        columns = {}
        for key in ("personal_columns", "other_columns"):
            value = part.get(key, [])
            if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
                self.problem(("participant", key), _M["type"], expected=_kind("columns"), found=value)
                value = []
            columns[key] = tuple(value)
        return part, columns

    def check_columns(self, part: dict, lists: dict, items: Any) -> None:
        """The id and group columns: strings, distinct, and no item or other column reuses them."""
        names = {}
        for key in ("id_column", "group_column"):
            value = part.get(key)
            if value is not None and not isinstance(value, str):
                self.problem(("participant", key), _M["type"], expected=_kind("string"), found=value)
            elif value is not None:
                names[key] = value
        used = {v: f"participant.{k}" for k, v in names.items()}
        for key, columns in lists.items():
            for i, column in enumerate(columns):
                if column in used:
                    self.problem(("participant", key, i), _M["column_clash"], found=column, other=used[column])
                used.setdefault(column, f"participant.{key}")
        for i, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict) and item.get("id") in used:
                self.problem(("items", i, "id"), _M["column_clash"], found=item["id"], other=used[item["id"]])

    def fail(self) -> None:
        if self.problems:
            msgs = [m for _, m in sorted(self.problems, key=lambda p: p[0])]
            raise QuestionnaireError([tr(_M["header"], file=self.path, n=len(msgs))] + msgs)

    def entries(self, key: str, value: Any):
        if not isinstance(value, list):
            self.problem((key,), _M["type"], expected=_kind("list"), found=type(value).__name__)
            return
        for i, entry in enumerate(value):
            if isinstance(entry, dict):
                yield (key, i), entry
            else:
                self.problem((key, i), _M["type"], expected=_kind("mapping"), found=entry)

    def unique(self, seen: dict, path: tuple, value: str) -> None:
        if value in seen:
            self.problem(path, _M["duplicate"], found=value, other=seen[value])
        else:
            seen[value] = line_of(self.marks, path)

    def build_groups(self, value: Any) -> tuple[Option, ...]:
        groups, seen = [], {}
        for path, g in self.entries("groups", value):
            self.keys(path, g, ("code", "label"), ("code", "label"))
            code = str(g.get("code", ""))
            self.unique(seen, path + ("code",), code)
            groups.append(Option(code, self.text(path + ("label",), g.get("label", {}))))
        return tuple(groups)

    def build_likert_labels(self, value: Any) -> dict[str, dict[str, list[str]]]:
        if not isinstance(value, dict):
            self.problem(("likert_labels",), _M["type"], expected=_kind("mapping"), found=value)
            return {}
        out = {}
        for name, per_lang in value.items():
            path = ("likert_labels", name)
            if not isinstance(per_lang, dict):
                self.problem(path, _M["type"], expected=_kind("label_lists"), found=per_lang)
                continue
            lists = {}
            for lang in self.languages:
                labels = per_lang.get(lang)
                if not isinstance(labels, list) or not labels:
                    self.problem(path + (lang,), _M["translation"], ", ".join(self.languages), code=lang)
                    continue
                lists[lang] = [str(x) for x in labels]
            first = next(iter(lists), None)
            for lang, labels in lists.items():
                if len(labels) != len(lists[first]):
                    self.problem(path + (lang,), _M["lang_len"], code=lang, found=len(labels), first=first,
                                 expected=len(lists[first]))
            if len(lists) == len(self.languages) and len({len(v) for v in lists.values()}) == 1:
                out[name] = lists
        return out

    def build_scales(self, value: Any, waves: tuple[str, ...]):
        scales, defaults, seen = {}, {}, {}
        for path, s in self.entries("scales", value):
            self.keys(path, s, _SCALE_KEYS, ("id", "label", "level", "scoring"))
            sid = self.ident(path + ("id",), s.get("id"))
            self.unique(seen, path + ("id",), sid)
            self.choice(path + ("level",), s.get("level"), LEVELS)
            self.choice(path + ("scoring",), s.get("scoring"), SCORINGS)
            min_answered = s.get("min_answered", 0.8)
            if not isinstance(min_answered, (int, float)) or isinstance(min_answered, bool) \
                    or not 0 < min_answered <= 1:
                self.problem(path + ("min_answered",), _M["range"], "0 < min_answered <= 1", found=min_answered)
                min_answered = 0.8
            scale_waves = self.waves(path + ("waves",), s["waves"], waves) if "waves" in s else waves
            d = s.get("defaults", {})
            if not isinstance(d, dict):
                self.problem(path + ("defaults",), _M["type"], expected=_kind("mapping"), found=d)
                d = {}
            self.keys(path + ("defaults",), d, tuple(k for k in _ITEM_KEYS if k not in ("id", "scale", "text", "waves")), ())
            defaults[sid] = d
            scales[sid] = Scale(
                id=sid, label_text=self.text(path + ("label",), s.get("label", {})),
                level=str(s.get("level")), scoring=str(s.get("scoring")), min_answered=float(min_answered),
                waves=scale_waves,
                description=self.text(path + ("description",), s["description"]) if "description" in s else Texts(),
            )
        return scales, defaults

    def build_items(self, value, scales, defaults, likert_labels, waves) -> list[Item]:
        items, seen = [], {}
        for path, raw in self.entries("items", value):
            self.keys(path, raw, _ITEM_KEYS, ("id", "type", "text") if "scale" not in raw else ("id", "text"))
            scale_id = raw.get("scale")
            if scale_id is not None and not scales:
                self.problem(path + ("scale",), _M["choice"], tr(_M["no_scales"]), found=scale_id)
                scale_id = None
            elif scale_id is not None and not self.choice(path + ("scale",), scale_id, tuple(scales)):
                scale_id = None
            it = {**defaults.get(scale_id, {}), **raw}
            iid = self.ident(path + ("id",), it.get("id"))
            self.unique(seen, path + ("id",), iid)
            if "type" not in it:
                self.problem(path + ("type",), _M["missing"], ", ".join(ITEM_TYPES))
                continue
            kind = it["type"]
            if not self.choice(path + ("type",), kind, ITEM_TYPES):
                continue
            item_waves = scales[scale_id].waves if scale_id else waves
            if "waves" in raw:
                item_waves = self.waves(path + ("waves",), raw["waves"], waves)
                for i, w in enumerate(item_waves):
                    if scale_id and w not in scales[scale_id].waves:
                        self.problem(path + ("waves", i), _M["wave_outside"], ", ".join(scales[scale_id].waves),
                                     found=w)
            items.append(self.build_item(path, it, iid, kind, scale_id, likert_labels, item_waves))
        return items

    def build_item(self, path, it, iid, kind, scale_id, likert_labels, waves) -> Item:
        raw = self.data["items"][path[1]]
        for key, kinds in _APPLIES.items():
            if key in raw and kind not in kinds:
                self.problem(path + (key,), _M["not_for_type"], ", ".join(kinds), key=key, type=kind)
        fields: dict[str, Any] = {}
        if kind in ("single_choice", "multi_select"):
            fields = self.choice_fields(path, it, kind)
        elif kind == "true_false":
            fields = self.true_false_fields(path, it)
        elif kind == "likert":
            fields = self.likert_fields(path, it, likert_labels)
        elif kind == "numeric":
            fields = self.numeric_fields(path, it)
        elif kind == "network":
            fields = self.network_fields(path, it)
        reverse = it.get("reverse", False)
        if not isinstance(reverse, bool):
            self.problem(path + ("reverse",), _M["type"], "true, false", expected=_kind("bool"), found=reverse)
        if kind in ("text", "network") and scale_id:
            self.problem(path + ("scale",), _M["text_scored" if kind == "text" else "network_scored"])
        return Item(id=iid, type=kind, text=self.text(path + ("text",), it.get("text", {})), scale=scale_id,
                    reverse=reverse is True, waves=waves, action=self.action(path, it, reverse, scale_id), **fields)

    def action(self, path, it, reverse, scale_id) -> str | None:
        """The ``action`` key (advocacy, protection) of a behaviour item; the scale's level is
        checked with the scales."""
        value = it.get("action")
        if value is None:
            return None
        known = self.choice(path + ("action",), value, ACTIONS)
        if scale_id is None:
            self.problem(path + ("action",), _M["action_scale"], "behaviour", found=None, level=None)
        elif known and reverse is True:
            self.problem(path + ("action",), _M["action_reverse"])
        return str(value)

    def network_fields(self, path, it) -> dict:
        """A network item's options: the groups, then its institutions (codes distinct from the groups')."""
        if not self.groups:
            self.problem(path + ("type",), _M["network_groups"])
        value = it.get("institutions", [])
        if not isinstance(value, list):
            self.problem(path + ("institutions",), _M["type"], expected=_kind("institutions"), found=value)
            value = []
        institutions = self.build_options(path + ("institutions",), value, least=0)
        group_codes = {g.code for g in self.groups}
        for i, o in enumerate(institutions):
            if o.code in group_codes:
                self.problem(path + ("institutions", i, "code"), _M["institution_clash"], found=o.code)
        return {"options": self.groups + institutions, "institutions": institutions}

    def choice_fields(self, path, it, kind) -> dict:
        options = self.build_options(path + ("options",), it.get("options"))
        codes = [o.code for o in options]
        raw_key = it.get("key")
        keys = raw_key if isinstance(raw_key, list) else [] if raw_key is None else [raw_key]
        if kind == "single_choice" and len(keys) > 1:
            self.problem(path + ("key",), _M["type"], ", ".join(codes), expected=_kind("string"), found=raw_key)
        for i, k in enumerate(keys):
            if str(k) not in codes:
                kpath = path + ("key",) + ((i,) if isinstance(raw_key, list) else ())
                self.problem(kpath, _M["key_not_option"], ", ".join(codes), found=k)
        fields = {"options": options, "key": tuple(str(k) for k in keys)}
        if kind == "multi_select":
            fields["scoring"] = str(it.get("scoring", "partial"))
            self.choice(path + ("scoring",), fields["scoring"], MULTI_SCORINGS)
        return fields

    def true_false_fields(self, path, it) -> dict:
        options = tuple(Option(c, Texts(_TF_LABELS[c])) for c in TRUE_FALSE_CODES)
        raw_key = it.get("key")
        if raw_key is None:
            return {"options": options}
        # The same spellings as in answer files: B/S, Benar/Salah, True/False, Ya/Tidak, 1/0.
        key = TRUE_FALSE_ALIASES.get(str(raw_key).strip().casefold())
        if key is None:
            self.problem(path + ("key",), _M["choice"], "B (Benar), S (Salah)", found=raw_key)
        return {"options": options, "key": (key or "B",)}

    def likert_fields(self, path, it, likert_labels) -> dict:
        points, name = it.get("points"), it.get("labels")
        if points is None and isinstance(name, str) and name in likert_labels:
            points = len(likert_labels[name][self.languages[0]])
        if points is None:
            self.problem(path + ("points",), _M["missing"], "2..11")
            points = 5
        elif not isinstance(points, int) or isinstance(points, bool) or not 2 <= points <= 11:
            self.problem(path + ("points",), _M["range"], "2..11", found=points)
            points = 5
        per_lang = {lang: [str(p) for p in range(1, points + 1)] for lang in self.languages}
        if name is not None and str(name) not in likert_labels:
            if str(name) in self.data.get("likert_labels", {}):
                pass  # the set itself is broken and already reported
            else:
                self.choice(path + ("labels",), name, tuple(likert_labels))
        elif name is not None:
            found = len(likert_labels[name][self.languages[0]])
            if found != points:
                self.problem(path + ("labels",), _M["set_len"], name=name, found=found, points=points)
            else:
                per_lang = likert_labels[name]
        options = tuple(Option(str(p), Texts({lang: per_lang[lang][p - 1] for lang in self.languages}))
                        for p in range(1, points + 1))
        return {"options": options, "points": points}

    def numeric_fields(self, path, it) -> dict:
        fields: dict[str, Any] = {}
        for name in ("min", "max", "key"):
            value = it.get(name)
            if value is not None and (not isinstance(value, (int, float)) or isinstance(value, bool)):
                self.problem(path + (name,), _M["type"], expected=_kind("number"), found=value)
                value = None
            fields[name] = value
        low, high, key = fields.pop("min"), fields.pop("max"), fields.pop("key")
        if low is not None and high is not None and low > high:
            self.problem(path + ("min",), _M["min_max"], low=low, high=high)
        elif key is not None and not (low if low is not None else key) <= key <= (high if high is not None else key):
            self.problem(path + ("key",), _M["range"], f"{low} .. {high}", found=key)
        return {"min": low, "max": high, "key": () if key is None else (str(key),)}

    def build_options(self, path: tuple, value: Any, least: int = 2) -> tuple[Option, ...]:
        if not isinstance(value, list) or len(value) < least:
            self.problem(path, _M["type"], expected=_kind("options"), found=value)
            return ()
        options, seen = [], {}
        for i, o in enumerate(value):
            opath = path + (i,)
            if not isinstance(o, dict):
                self.problem(opath, _M["type"], expected=_kind("option"), found=o)
                continue
            self.keys(opath, o, ("code",) + tuple(dict.fromkeys(self.languages + ("id", "en"))), ("code",))
            code = o.get("code", "")
            if isinstance(code, bool) or not isinstance(code, (str, int)) or not _CODE.fullmatch(str(code)):
                self.problem(opath + ("code",), _M["id_format"], _kind("code"), found=code)
            self.unique(seen, opath + ("code",), str(code))
            options.append(Option(str(code), self.text(opath, {k: v for k, v in o.items() if k in self.languages})))
        return tuple(options)

    def check_scales(self, scales: dict[str, Scale], items: list[Item]) -> None:
        for i, (sid, scale) in enumerate(scales.items()):
            members = [it for it in items if it.scale == sid]
            path = ("scales", i, "id")
            if not members:
                self.problem(path, _M["empty_scale"], found=sid)
            for it in members:
                ipath = ("items", next(j for j, raw in enumerate(self.data["items"]) if isinstance(raw, dict) and raw.get("id") == it.id))
                if scale.scoring == "percent_correct" and not it.keyed and it.type != "text":
                    self.problem(ipath + ("key",), _M["missing"], "key")
                elif scale.scoring in ("mean", "sum") and it.type not in ("likert", "numeric"):
                    self.problem(ipath + ("type",), _M["likert_type"], "likert, numeric",
                                 scoring=scale.scoring, found=it.type)
                if it.reverse and it.type != "likert" and "reverse" not in self.data["items"][ipath[1]]:
                    self.problem(ipath + ("reverse",), _M["reverse_likert"])  # inherited from defaults
                if it.action is not None and scale.level != "behaviour":
                    self.problem(ipath + ("action",), _M["action_scale"], "behaviour", found=sid, level=scale.level)
