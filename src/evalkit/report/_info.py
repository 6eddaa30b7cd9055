"""What the report says about the training itself: its name, organiser, place, dates and who
signs. Read from a small ``laporan.yaml`` (``evalkit report --info``), validated with
``FILE:LINE`` messages like the questionnaire; a field left out prints as a visible
``[isi: …]`` placeholder, never as a blank.

The format is described in ``docs/questionnaire-format.md`` (section "Report metadata").
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import difflib
import re
from pathlib import Path
from typing import Any

from .. import _numbers as fmt
from .._errors import QuestionnaireError, ReportInfoError
from .._i18n import located, tr
from ..questionnaire import format_path, line_of, load_with_marks

Text = dict[str, str]

_TEXT_KEYS = ("training", "organiser", "place", "background")
_KEYS = (*_TEXT_KEYS, "start_date", "end_date", "days", "report_date", "prepared_by", "approved_by", "criteria")
_PERSON_KEYS = ("name", "title", "nip")

_M = {
    "header": {"code": "EK-RP-005", "id": "Berkas data laporan {file} tidak sah ({n} masalah):",
               "en": "Report metadata file {file} is invalid ({n} problems):"},
    "where": {"code": "EK-RP-006", "id": "{file}:{line}: {path}: {what}", "en": "{file}:{line}: {path}: {what}"},
    "mapping": {"code": "EK-RP-007", "id": "harus berupa pemetaan (kunci: nilai), ditemukan {found!r}",
                "en": "must be a mapping (key: value); found {found!r}"},
    "unknown_key": {"code": "EK-RP-008", "id": "kunci '{key}' tidak dikenal; yang diperbolehkan: {allowed}",
                    "en": "unknown key '{key}'; allowed: {allowed}"},
    "suggest": {"code": "EK-RP-009", "id": " (maksud Anda {guess!r}?)", "en": " (did you mean {guess!r}?)"},
    "text": {"code": "EK-RP-010", "id": "harus berupa teks, atau teks per bahasa {{id: ..., en: ...}}; ditemukan {found!r}",
             "en": "must be a text, or a text per language {{id: ..., en: ...}}; found {found!r}"},
    "date": {"code": "EK-RP-011", "id": "harus berupa tanggal TTTT-BB-HH (mis. 2026-12-04); ditemukan {found!r}",
             "en": "must be a date YYYY-MM-DD (e.g. 2026-12-04); found {found!r}"},
    "order": {"code": "EK-RP-012", "id": "tanggal selesai {end} lebih awal daripada tanggal mulai {start}",
              "en": "end date {end} is before the start date {start}"},
    "days": {"code": "EK-RP-013", "id": "harus berupa bilangan bulat 1–365; ditemukan {found!r}",
             "en": "must be a whole number 1–365; found {found!r}"},
    "criteria": {"code": "EK-RP-014", "id": "harus berupa daftar id skala pre/post [pengetahuan, sikap, ...]; ditemukan {found!r}",
                 "en": "must be a list of pre/post scale ids [pengetahuan, sikap, ...]; found {found!r}"},
    "scale": {"code": "EK-RP-015", "id": "skala {found!r} tidak ada atau tidak diukur sebelum dan sesudah; yang diperbolehkan: {allowed}",
              "en": "scale {found!r} does not exist or is not measured before and after; allowed: {allowed}"},
    "repeated": {"code": "EK-RP-016", "id": "{found!r} disebut lebih dari sekali", "en": "{found!r} is listed more than once"},
    "duplicate_key": {"code": "EK-RP-017", "id": "kunci '{found}' ditulis dua kali (nilai pertama akan hilang)",
                      "en": "key '{found}' appears twice (the first value would be lost)"},
    "placeholder": {"code": "EK-RP-018", "id": "[isi: {what}]", "en": "[fill in: {what}]"},
}

#: What each missing field's placeholder asks for.
FIELD_NAMES = {
    "training": {"id": "nama pelatihan", "en": "training name"},
    "organiser": {"id": "penyelenggara (Kanwil)", "en": "organiser (regional office)"},
    "place": {"id": "tempat pelatihan", "en": "training venue"},
    "dates": {"id": "tanggal pelatihan", "en": "training dates"},
    "days": {"id": "jumlah hari", "en": "number of days"},
    "name": {"id": "nama", "en": "name"},
    "title": {"id": "jabatan", "en": "position"},
    "nip": {"id": "NIP", "en": "staff number"},
    "report_place": {"id": "tempat", "en": "place"},
}


@dataclasses.dataclass(frozen=True)
class Person:
    """Who prepared or approved the report (printed only in the signature block)."""

    name: str | None = None
    title: Text | None = None
    nip: str | None = None


@dataclasses.dataclass(frozen=True)
class ReportInfo:
    """The training the report is about. Every field is optional: what is missing prints
    as a placeholder ``[isi: …]`` for the analyst to fill in.

    Texts are ``{"id": ..., "en": ...}``; ``criteria`` lists the scale ids that are the
    training's success criteria (``None``: every scale measured before and after).

    Examples
    --------
    >>> import datetime
    >>> info = ReportInfo(place={"id": "Bandar Lampung", "en": "Bandar Lampung"},
    ...                   start_date=datetime.date(2026, 12, 1), end_date=datetime.date(2026, 12, 3))
    >>> info.dates("id")
    '1–3 Desember 2026'
    >>> info.field("organiser", "id")
    '[isi: penyelenggara (Kanwil)]'
    """

    training: Text | None = None
    organiser: Text | None = None
    place: Text | None = None
    start_date: _dt.date | None = None
    end_date: _dt.date | None = None
    days: int | None = None
    report_date: _dt.date | None = None
    prepared_by: Person = Person()
    approved_by: Person = Person()
    background: Text | None = None
    criteria: tuple[str, ...] | None = None

    def field(self, name: str, lang: str) -> str:
        """The text of a field, or its placeholder."""
        value = getattr(self, name)
        return value[lang] if value else placeholder(name, lang)

    def dates(self, lang: str) -> str:
        if self.start_date is None:
            return placeholder("dates", lang)
        return fmt.date_range(self.start_date, self.end_date, lang=lang)

    def n_days(self, lang: str) -> str:
        if self.days:
            return str(self.days)
        if self.start_date and self.end_date:
            return str((self.end_date - self.start_date).days + 1)
        return placeholder("days", lang)


def placeholder(field: str, lang: str) -> str:
    """``[isi: nama pelatihan]``: visible, so a missing field cannot go unnoticed."""
    return tr(_M["placeholder"], lang, what=tr(FIELD_NAMES[field], lang))


def load_report_info(path: str | Path, questionnaire=None) -> ReportInfo:
    """Read and validate a ``laporan.yaml``; every problem is collected before raising.

    Parameters
    ----------
    path : str or Path
        The YAML file (see ``docs/questionnaire-format.md``, "Report metadata").
    questionnaire : Questionnaire, optional
        When given, ``criteria`` are checked against its pre/post scales.

    Raises
    ------
    ReportInfoError
        Listing every problem as ``FILE:LINE: key: what is wrong; what is allowed``.

    Examples
    --------
    >>> import evalkit
    >>> from evalkit.report import load_report_info
    >>> info = load_report_info(evalkit.bundled_report_info())
    >>> info.dates("id")
    '1–3 Desember 2026'
    """
    path = Path(path)
    try:
        data, marks, duplicates = load_with_marks(path)
    except QuestionnaireError as exc:
        raise ReportInfoError(exc.problems) from None
    except ValueError:  # YAML reads 2026-13-01 as a date and fails without a position
        raise ReportInfoError(_impossible_dates(path)) from None
    checker = _Checker(path, data if data is not None else {}, marks)
    for key_path in duplicates:
        checker.problem(key_path, "duplicate_key", found=key_path[-1])
    info = checker.build(questionnaire)
    if checker.problems:
        problems = [text for _, text in sorted(checker.problems, key=lambda p: p[0])]
        raise ReportInfoError([tr(_M["header"], file=path, n=len(problems)), *problems])
    return info


def _impossible_dates(path: Path) -> list[str]:
    problems = []
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        for found in re.findall(r"\b\d{4}-\d{1,2}-\d{1,2}\b", line.split("#")[0]):
            try:
                _dt.date.fromisoformat(found)
            except ValueError:
                key = line.split(":")[0].strip()
                problems.append(located(_M["where"], tr(_M["date"], found=found), file=path, line=number, path=key))
    return [tr(_M["header"], file=path, n=len(problems)), *problems]


class _Checker:
    def __init__(self, path: Path, data: Any, marks: dict):
        self.path, self.data, self.marks = path, data, marks
        self.problems: list[tuple[int, str]] = []

    def problem(self, key_path: tuple, what: str, **values) -> None:
        line = line_of(self.marks, key_path)
        self.problems.append((line, located(_M["where"], tr(_M[what], **values), file=self.path, line=line,
                                           path=format_path(key_path, self.data))))

    def mapping(self, key_path: tuple, value: Any, allowed: tuple[str, ...]) -> dict:
        if not isinstance(value, dict):
            self.problem(key_path, "mapping", found=value)
            return {}
        for key in value:
            if key not in allowed:
                guess = difflib.get_close_matches(str(key), allowed, n=1)
                self.problem(key_path + (key,), "unknown_key", key=key,
                             allowed=", ".join(allowed) + (tr(_M["suggest"], guess=guess[0]) if guess else ""))
        return value

    def text(self, key_path: tuple, value: Any) -> Text | None:
        if value is None:
            return None
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return {"id": str(value), "en": str(value)}
        if isinstance(value, dict) and value and all(k in ("id", "en") and isinstance(v, str) for k, v in value.items()):
            return {"id": value.get("id", value.get("en")), "en": value.get("en", value.get("id"))}
        self.problem(key_path, "text", found=value)
        return None

    def date(self, key_path: tuple, value: Any) -> _dt.date | None:
        if value is None or (isinstance(value, _dt.date) and not isinstance(value, _dt.datetime)):
            return value
        try:
            return _dt.date.fromisoformat(str(value))
        except ValueError:
            self.problem(key_path, "date", found=value)
            return None

    def person(self, key_path: tuple, value: Any) -> Person:
        value = self.mapping(key_path, value, _PERSON_KEYS) if value is not None else {}
        name = self.text(key_path + ("name",), value.get("name"))
        nip = self.text(key_path + ("nip",), value.get("nip"))
        return Person(name=name["id"] if name else None, title=self.text(key_path + ("title",), value.get("title")),
                      nip=nip["id"] if nip else None)

    def build(self, questionnaire) -> ReportInfo:
        d = self.mapping((), self.data, _KEYS)
        texts = {key: self.text((key,), d.get(key)) for key in _TEXT_KEYS}
        dates = {key: self.date((key,), d.get(key)) for key in ("start_date", "end_date", "report_date")}
        if dates["start_date"] and dates["end_date"] and dates["end_date"] < dates["start_date"]:
            self.problem(("end_date",), "order", start=dates["start_date"], end=dates["end_date"])
        days = d.get("days")
        if days is not None and (isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 365):
            self.problem(("days",), "days", found=days)
            days = None
        return ReportInfo(**texts, **dates, days=days,
                          prepared_by=self.person(("prepared_by",), d.get("prepared_by")),
                          approved_by=self.person(("approved_by",), d.get("approved_by")),
                          criteria=self.criteria(d.get("criteria"), questionnaire))

    def criteria(self, value: Any, questionnaire) -> tuple[str, ...] | None:
        if value is None:
            return None
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            self.problem(("criteria",), "criteria", found=value)
            return None
        allowed = ([s.id for s in questionnaire.scales if {"pre", "post"} <= set(s.waves)]
                   if questionnaire is not None else value)
        for i, scale in enumerate(value):
            if scale in value[:i]:
                self.problem(("criteria", i), "repeated", found=scale)
            elif scale not in allowed:
                guess = difflib.get_close_matches(scale, allowed, n=1)
                self.problem(("criteria", i), "scale", found=scale,
                             allowed=", ".join(allowed) + (tr(_M["suggest"], guess=guess[0]) if guess else ""))
        return tuple(dict.fromkeys(v for v in value if v in allowed))
