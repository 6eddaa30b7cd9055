"""XLSForm (KoboToolbox, ODK) export of a questionnaire, and import of an existing form.

:func:`to_xlsform` writes a form that pyxform, KoboToolbox and ODK Central accept;
:func:`from_xlsform` turns a form back into a questionnaire skeleton that
:func:`write_questionnaire_yaml` saves for :func:`evalkit.load_questionnaire`.

What XLSForm cannot say is kept in extra columns and one extra sheet, which Kobo
and ODK ignore:

``evalkit_role`` (survey)
    ``id`` (participant code), ``group``, ``wave`` or ``personal``.
``evalkit_type`` (survey)
    The evalkit item type where the XLSForm type does not tell it (``true_false``, ``likert``,
    ``network``: a ``select_multiple`` over the groups and the institutions).
``evalkit_scale``, ``evalkit_key``, ``evalkit_reverse``, ``evalkit_scoring``, ``evalkit_waves`` (survey)
    The item's scale id; its answer key (codes separated by spaces for multi-select);
    ``yes`` for reverse-keyed Likert items; ``exact``/``partial`` for multi-select;
    the waves that ask it (``pre post``).
``evalkit_action`` (survey)
    ``advocacy`` or ``protection`` for a behaviour item that counts as such an action.
``evalkit_scales`` (sheet)
    One row per scale: ``scale``, ``label::<Language> (code)``,
    ``description::<Language> (code)``, ``level``, ``scoring``, ``min_answered``, ``waves``.
``evalkit_title::<Language> (code)`` (settings)
    The title in the languages other than the default one (``form_title``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .._errors import QuestionnaireError
from .._i18n import tr
from ._common import SCALES_SHEET, WAVE_QUESTION
from ..questionnaire import Item, Questionnaire
from .._form_labels import PERSONAL_LABELS, ROLE_LABELS, WAVE_LABELS
from .._outputs import writing_file


LANGUAGE_NAMES = {"id": "Indonesian", "en": "English"}
_TF_LIST = "benar_salah"

_M = {
    "bad_wave": {"code": "EK-FM-039", "id": "Parameter 'wave' harus salah satu dari {allowed}; ditemukan {found!r}.",
                 "en": "The 'wave' parameter must be one of {allowed}; got {found!r} instead."},
    "multi_hint": {"code": "EK-FM-040", "id": "Pilih semua yang benar.", "en": "Select all that apply."},
    "range_msg": {"code": "EK-FM-041", "id": "Masukkan angka dari {low} sampai {high}.", "en": "Enter a number from {low} to {high}."},
    "code_hint": {"code": "EK-FM-042", "id": "Tulis kode yang sama pada pre-test dan post-test.",
                  "en": "Write the same code at the pre-test and the post-test."},
}


def _column(kind: str, lang: str) -> str:
    return f"{kind}::{LANGUAGE_NAMES.get(lang, lang)} ({lang})"


def to_xlsform(questionnaire: Questionnaire, path: str | Path, *, wave: str | None = None,
               include_personal: bool = False, overwrite: bool = False) -> Path:
    """Write the questionnaire as an XLSForm for KoboToolbox or ODK.

    The form asks the participant code (``text``, required), the group
    (``select_one`` of the questionnaire's groups, required; ``text`` when it lists no
    groups, since any group is then accepted) and the wave, then
    every item: single-choice, true/false (``B``/``S``) and Likert items (points
    ``1..k`` with the point labels) as ``select_one``; multi-select as
    ``select_multiple``; numeric as ``integer`` (``decimal`` when a bound is not
    whole) with a min/max constraint; text as ``text``. Item names are the item
    ids, so the form's data export reads with :func:`evalkit.read_responses`
    without renaming; one export holding every wave is read once per wave, each
    read taking the rows of its wave from the ``gelombang`` column.

    Parameters
    ----------
    questionnaire : Questionnaire
    path : str or Path
        The ``.xlsx`` file to write.
    wave : {"pre", "post", "followup"}, optional
        ``None`` (default) writes one form for every wave: a required
        ``select_one gelombang`` question and ``relevant`` conditions so each item
        shows only in the waves that ask it. A wave writes a form for that wave
        only: its items, ``gelombang`` as a fixed ``calculate``, and form id
        ``<questionnaire id>_<wave>`` (Kobo and ODK need a distinct id per form).
    include_personal : bool, default False
        Also ask the personal columns (e.g. ``nama``, ``no_hp``) as optional text.
    overwrite : bool, default False
        Replace ``path`` when it exists; otherwise an existing file is refused with
        :class:`~evalkit.OutputError`. The questionnaire's own file is never overwritten.

    Returns
    -------
    Path

    Notes
    -----
    Items are not wrapped in groups: KoboToolbox would then export ``scale/item``
    column names. Nothing the pipeline needs is lost: scales, keys, reverse
    keying and waves ride along in ``evalkit_*`` columns and the
    ``evalkit_scales`` sheet (see the module docstring), which Kobo and ODK ignore
    and :func:`from_xlsform` reads back.

    Examples
    --------
    >>> import evalkit, tempfile, pathlib
    >>> from evalkit.forms import to_xlsform
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> to_xlsform(q, pathlib.Path(tempfile.mkdtemp()) / "form.xlsx").name
    'form.xlsx'
    """
    q = questionnaire
    if wave is not None and wave not in q.waves:
        raise QuestionnaireError([tr(_M["bad_wave"], allowed=", ".join(q.waves), found=wave)])
    form = _Form(q)
    form.participant_rows(wave, include_personal=include_personal)
    for item in q.items if wave is None else q.items_for_wave(wave):
        form.item_row(item, all_waves=wave is None)
    return form.save(path, wave, overwrite=overwrite)


class _Form:
    """The rows of an XLSForm's sheets, built question by question."""

    def __init__(self, q: Questionnaire):
        self.q, self.langs = q, q.languages
        self.survey: list[dict[str, Any]] = []
        self.choices: list[dict[str, Any]] = []
        self.lists: dict[tuple, str] = {}  # options signature -> choice list name
        self.reserved = {q.group_column, WAVE_QUESTION, _TF_LIST}

    def texts(self, template: Mapping[str, str], **values) -> dict[str, str]:
        """One of evalkit's own texts in every form language (English for languages evalkit does not speak)."""
        return {lang: tr(template, lang if lang in ("id", "en") else "en", **values) for lang in self.langs}

    def row(self, type_: str, name: str, label: Mapping[str, str] | None = None,
            hint: Mapping[str, str] | None = None, **extra) -> dict[str, Any]:
        r: dict[str, Any] = {"type": type_, "name": name}
        for lang in self.langs:
            if label is not None:
                r[_column("label", lang)] = label.get(lang, "")
            if hint is not None:
                r[_column("hint", lang)] = hint.get(lang, "")
        r.update({k: v for k, v in extra.items() if v not in (None, "")})
        self.survey.append(r)
        return r

    def choice_list(self, name: str, options) -> None:
        for code, text in options:
            self.choices.append({"list_name": name, "name": code,
                                 **{_column("label", lang): text.get(lang, code) for lang in self.langs}})

    def participant_rows(self, wave: str | None, *, include_personal: bool) -> None:
        """Start/end, participant code, group, wave and (on request) the personal columns."""
        q = self.q
        self.row("start", "start")
        self.row("end", "end")
        self.row("text", q.id_column, self.texts(ROLE_LABELS["id"]), self.texts(_M["code_hint"]), required="yes",
                 evalkit_role="id")
        if q.groups:
            self.row(f"select_one {q.group_column}", q.group_column, self.texts(ROLE_LABELS["group"]),
                     required="yes", evalkit_role="group")
            self.choice_list(q.group_column, [(g.code, g.text) for g in q.groups])
        else:  # no group list: any non-empty group is accepted, so the form asks it as text
            self.row("text", q.group_column, self.texts(ROLE_LABELS["group"]), required="yes", evalkit_role="group")
        if wave is None:
            self.row(f"select_one {WAVE_QUESTION}", WAVE_QUESTION, self.texts(ROLE_LABELS["wave"]), required="yes",
                     evalkit_role="wave")
            self.choice_list(WAVE_QUESTION, [(w, self.texts(WAVE_LABELS[w])) for w in q.waves])
        else:
            self.row("calculate", WAVE_QUESTION, calculation=f"'{wave}'", evalkit_role="wave")
        for column in q.personal_columns if include_personal else ():
            label = PERSONAL_LABELS.get(column, {})
            self.row("text", column, {lang: label.get(lang, column) for lang in self.langs}, evalkit_role="personal")

    def item_row(self, item: Item, *, all_waves: bool) -> None:
        extra = _item_columns(self.q, item)
        if all_waves and set(item.waves) != set(self.q.waves):
            extra["relevant"] = " or ".join(f"${{{WAVE_QUESTION}}} = '{w}'" for w in item.waves)
        if item.type in ("single_choice", "multi_select", "network", "true_false", "likert"):
            self.select_row(item, extra)
        elif item.type == "numeric":
            self.numeric_row(item, extra)
        else:
            self.row("text", item.id, item.text, **extra)

    def select_row(self, item: Item, extra: dict[str, str]) -> None:
        multi = item.type in ("multi_select", "network")
        self.row(f"{'select_multiple' if multi else 'select_one'} {self.list_for(item)}", item.id, item.text,
                 self.texts(_M["multi_hint"]) if multi else None,
                 appearance="likert" if item.type == "likert" else None, **extra)

    def list_for(self, item: Item) -> str:
        """The choice list of an item's options, shared by items with the same options."""
        signature = tuple((o.code, tuple(sorted(o.text.items()))) for o in item.options)
        if signature not in self.lists:
            name = self.list_name(item)
            self.reserved.add(name)
            self.lists[signature] = name
            self.choice_list(name, [(o.code, o.text) for o in item.options])
        return self.lists[signature]

    def list_name(self, item: Item) -> str:
        if item.type == "true_false":
            return _TF_LIST
        if item.type != "likert":
            return item.id if item.id not in self.reserved else f"{item.id}_pilihan"
        name, n = f"likert{item.points}", 2
        while name in self.reserved:
            name, n = f"likert{item.points}_{n}", n + 1
        return name

    def numeric_row(self, item: Item, extra: dict[str, str]) -> None:
        whole = all(b is None or float(b).is_integer() for b in (item.min, item.max))
        bounds = [f". >= {_num(item.min)}" if item.min is not None else "",
                  f". <= {_num(item.max)}" if item.max is not None else ""]
        constraint = " and ".join(b for b in bounds if b)
        r = self.row("integer" if whole else "decimal", item.id, item.text, constraint=constraint, **extra)
        if constraint:
            message = self.texts(_M["range_msg"], low=_num(item.min) if item.min is not None else "-∞",
                                 high=_num(item.max) if item.max is not None else "∞")
            r.update({_column("constraint_message", lang): message[lang] for lang in self.langs})

    def save(self, path: str | Path, wave: str | None, *, overwrite: bool) -> Path:
        from openpyxl import Workbook

        q, first = self.q, self.langs[0]
        book = Workbook()
        _write_sheet(book.active, "survey", self.survey)
        _write_sheet(book.create_sheet(), "choices", self.choices)
        settings = {"form_title": q.title[first], "form_id": q.id if wave is None else f"{q.id}_{wave}",
                    "version": q.version, "default_language": f"{LANGUAGE_NAMES.get(first, first)} ({first})",
                    **{_column("evalkit_title", lang): q.title[lang] for lang in self.langs[1:]}}
        _write_sheet(book.create_sheet(), "settings", [settings])
        _write_sheet(book.create_sheet(), SCALES_SHEET, [self.scale_row(s) for s in q.scales])
        with writing_file(path, inputs=[q.path], overwrite=overwrite) as temporary:
            book.save(temporary)
        return Path(path)

    def scale_row(self, s) -> dict[str, Any]:
        r = {"scale": s.id, **{_column("label", lang): s.label_text[lang] for lang in self.langs}}
        r.update({_column("description", lang): s.description.get(lang, "") for lang in self.langs})
        r.update(level=s.level, scoring=s.scoring, min_answered=s.min_answered, waves=" ".join(s.waves))
        return r


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _item_columns(q: Questionnaire, item: Item) -> dict[str, str]:
    out = {"evalkit_type": item.type if item.type in ("true_false", "likert", "network") else "",
           "evalkit_scale": item.scale or "", "evalkit_key": " ".join(item.key),
           "evalkit_reverse": "yes" if item.reverse else "",
           "evalkit_scoring": item.scoring if item.type == "multi_select" else ""}
    if item.action:
        out["evalkit_action"] = item.action
    default = q.scale(item.scale).waves if item.scale else q.waves
    if tuple(item.waves) != tuple(default):
        out["evalkit_waves"] = " ".join(item.waves)
    return out


def _write_sheet(sheet, title: str, rows: list[dict[str, Any]]) -> None:
    sheet.title = title
    header: list[str] = []
    for r in rows:
        header += [k for k in r if k not in header]
    sheet.append(header)
    for r in rows:
        sheet.append([r.get(k, None) for k in header])
    for i, name in enumerate(header, start=1):
        width = 60 if name.startswith(("label", "hint")) else max(10, min(30, len(name) + 2))
        sheet.column_dimensions[sheet.cell(1, i).column_letter].width = width
    sheet.freeze_panes = "A2"
