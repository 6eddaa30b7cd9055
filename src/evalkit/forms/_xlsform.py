"""XLSForm (KoboToolbox, ODK) export of a questionnaire, and import of an existing form.

:func:`to_xlsform` writes a form that pyxform, KoboToolbox and ODK Central accept;
:func:`from_xlsform` turns a form back into a questionnaire skeleton that
:func:`write_questionnaire_yaml` saves for :func:`evalkit.load_questionnaire`.

What XLSForm cannot say is kept in extra columns and one extra sheet, which Kobo
and ODK ignore:

``evalkit_role`` (survey)
    ``id`` (participant code), ``group``, ``wave`` or ``personal``.
``evalkit_type`` (survey)
    The evalkit item type where the XLSForm type does not tell it (``true_false``, ``likert``).
``evalkit_scale``, ``evalkit_key``, ``evalkit_reverse``, ``evalkit_scoring``, ``evalkit_waves`` (survey)
    The item's scale id; its answer key (codes separated by spaces for multi-select);
    ``yes`` for reverse-keyed Likert items; ``exact``/``partial`` for multi-select;
    the waves that ask it (``pre post``).
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
from .._outputs import writing_file


LANGUAGE_NAMES = {"id": "Indonesian", "en": "English"}
_TF_LIST = "benar_salah"

_M = {
    "bad_wave": {"id": "Parameter 'wave' harus salah satu dari {allowed}; ditemukan {found!r}.",
                 "en": "The 'wave' parameter must be one of {allowed}; got {found!r} instead."},
    "multi_hint": {"id": "Pilih semua yang benar.", "en": "Select all that apply."},
    "range_msg": {"id": "Masukkan angka dari {low} sampai {high}.", "en": "Enter a number from {low} to {high}."},
    "code_label": {"id": "Kode peserta", "en": "Participant code"},
    "code_hint": {"id": "Tulis kode yang sama pada pre-test dan post-test.",
                  "en": "Write the same code at the pre-test and the post-test."},
    "group_label": {"id": "Kelompok", "en": "Group"},
    "wave_label": {"id": "Gelombang", "en": "Wave"},
    "pre": {"id": "Pre-test (sebelum pelatihan)", "en": "Pre-test (before the training)"},
    "post": {"id": "Post-test (sesudah pelatihan)", "en": "Post-test (after the training)"},
    "followup": {"id": "Tindak lanjut", "en": "Follow-up"},
}
_PERSONAL_LABELS = {"nama": {"id": "Nama", "en": "Name"}, "no_hp": {"id": "Nomor HP", "en": "Mobile number"}}


def _column(kind: str, lang: str) -> str:
    return f"{kind}::{LANGUAGE_NAMES.get(lang, lang)} ({lang})"


def to_xlsform(questionnaire: Questionnaire, path: str | Path, *, wave: str | None = None,
               include_personal: bool = False, overwrite: bool = False) -> Path:
    """Write the questionnaire as an XLSForm for KoboToolbox or ODK.

    The form asks the participant code (``text``, required), the group
    (``select_one`` of the questionnaire's groups, required) and the wave, then
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
    from openpyxl import Workbook

    q = questionnaire
    if wave is not None and wave not in q.waves:
        raise QuestionnaireError([tr(_M["bad_wave"], allowed=", ".join(q.waves), found=wave)])
    langs = q.languages
    first = langs[0]
    texts = lambda template: {lang: tr(template, lang if lang in ("id", "en") else "en") for lang in langs}
    survey: list[dict[str, Any]] = []
    choices: list[dict[str, Any]] = []

    def row(type_: str, name: str, label: Mapping[str, str] | None = None, hint=None, **extra) -> None:
        r: dict[str, Any] = {"type": type_, "name": name}
        for lang in langs:
            if label is not None:
                r[_column("label", lang)] = label.get(lang, "")
            if hint is not None:
                r[_column("hint", lang)] = hint.get(lang, "")
        r.update({k: v for k, v in extra.items() if v not in (None, "")})
        survey.append(r)

    def choice_list(name: str, options) -> None:
        for code, text in options:
            choices.append({"list_name": name, "name": code,
                            **{_column("label", lang): text.get(lang, code) for lang in langs}})

    row("start", "start")
    row("end", "end")
    row("text", q.id_column, texts(_M["code_label"]), texts(_M["code_hint"]), required="yes", evalkit_role="id")
    row(f"select_one {q.group_column}", q.group_column, texts(_M["group_label"]), required="yes",
        evalkit_role="group")
    choice_list(q.group_column, [(g.code, g.text) for g in q.groups])
    if wave is None:
        row(f"select_one {WAVE_QUESTION}", WAVE_QUESTION, texts(_M["wave_label"]), required="yes",
            evalkit_role="wave")
        choice_list(WAVE_QUESTION, [(w, texts(_M[w])) for w in q.waves])
    else:
        row("calculate", WAVE_QUESTION, calculation=f"'{wave}'", evalkit_role="wave")
    if include_personal:
        for column in q.personal_columns:
            label = _PERSONAL_LABELS.get(column, {lang: column for lang in langs})
            row("text", column, {lang: label.get(lang, column) for lang in langs}, evalkit_role="personal")

    lists: dict[tuple, str] = {}
    reserved = {q.group_column, WAVE_QUESTION, _TF_LIST}
    items = q.items if wave is None else q.items_for_wave(wave)
    for item in items:
        extra = _item_columns(q, item)
        if wave is None and set(item.waves) != set(q.waves):
            extra["relevant"] = " or ".join(f"${{{WAVE_QUESTION}}} = '{w}'" for w in item.waves)
        if item.type in ("single_choice", "multi_select", "true_false", "likert"):
            signature = tuple((o.code, tuple(sorted(o.text.items()))) for o in item.options)
            if signature not in lists:
                if item.type == "true_false":
                    name = _TF_LIST
                elif item.type == "likert":
                    name = f"likert{item.points}"
                    n = 2
                    while name in reserved:
                        name, n = f"likert{item.points}_{n}", n + 1
                else:
                    name = item.id if item.id not in reserved else f"{item.id}_pilihan"
                reserved.add(name)
                lists[signature] = name
                choice_list(name, [(o.code, o.text) for o in item.options])
            kind = "select_multiple" if item.type == "multi_select" else "select_one"
            hint = texts(_M["multi_hint"]) if item.type == "multi_select" else None
            appearance = "likert" if item.type == "likert" else None
            row(f"{kind} {lists[signature]}", item.id, item.text, hint, appearance=appearance, **extra)
        elif item.type == "numeric":
            whole = all(b is None or float(b).is_integer() for b in (item.min, item.max))
            bounds = [f". >= {_num(item.min)}" if item.min is not None else "",
                      f". <= {_num(item.max)}" if item.max is not None else ""]
            constraint = " and ".join(b for b in bounds if b)
            message = None
            if constraint:
                message = {lang: tr(_M["range_msg"], lang if lang in ("id", "en") else "en",
                                    low=_num(item.min) if item.min is not None else "-∞",
                                    high=_num(item.max) if item.max is not None else "∞") for lang in langs}
            row("integer" if whole else "decimal", item.id, item.text, constraint=constraint, **extra)
            if message:
                survey[-1].update({_column("constraint_message", lang): message[lang] for lang in langs})
        else:
            row("text", item.id, item.text, **extra)

    book = Workbook()
    _write_sheet(book.active, "survey", survey)
    _write_sheet(book.create_sheet(), "choices", choices)
    settings = {"form_title": q.title[first], "form_id": q.id if wave is None else f"{q.id}_{wave}",
                "version": q.version, "default_language": f"{LANGUAGE_NAMES.get(first, first)} ({first})",
                **{_column("evalkit_title", lang): q.title[lang] for lang in langs[1:]}}
    _write_sheet(book.create_sheet(), "settings", [settings])
    scales = []
    for s in q.scales:
        r = {"scale": s.id, **{_column("label", lang): s.label_text[lang] for lang in langs}}
        r.update({_column("description", lang): s.description.get(lang, "") for lang in langs})
        r.update(level=s.level, scoring=s.scoring, min_answered=s.min_answered, waves=" ".join(s.waves))
        scales.append(r)
    _write_sheet(book.create_sheet(), SCALES_SHEET, scales)
    with writing_file(path, inputs=[q.path], overwrite=overwrite) as temporary:
        book.save(temporary)
    return Path(path)


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _item_columns(q: Questionnaire, item: Item) -> dict[str, str]:
    out = {"evalkit_type": item.type if item.type in ("true_false", "likert") else "",
           "evalkit_scale": item.scale or "", "evalkit_key": " ".join(item.key),
           "evalkit_reverse": "yes" if item.reverse else "",
           "evalkit_scoring": item.scoring if item.type == "multi_select" else ""}
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
