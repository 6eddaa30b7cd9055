"""The questionnaire: its YAML format and the objects the pipeline uses.

See ``docs/questionnaire-format.md`` for the format; the validation that turns the
YAML into these objects lives in :mod:`._builder`, the loading in :mod:`._load`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from .._errors import EvalkitError
from .._i18n import get_language, tr

ITEM_TYPES = ("single_choice", "true_false", "likert", "multi_select", "numeric", "text", "network")
SCORINGS = ("percent_correct", "mean", "sum")
LEVELS = ("reaction", "learning", "behaviour")
WAVES = ("pre", "post", "followup")
MULTI_SCORINGS = ("exact", "partial")
#: Kinds of behaviour item that make a participant an "agen perubahan" (agent of change).
ACTIONS = ("advocacy", "protection")
TRUE_FALSE_CODES = ("B", "S")  # Benar / Salah
#: Spellings of true/false accepted in keys and in answer files.
_M = {
    "bad_n_groups": {"code": "EK-QN-033", "id": "Jumlah kelompok harus bilangan bulat >= 1; ditemukan {found!r}.",
                     "en": "The number of groups must be a whole number >= 1; got {found!r} instead."},
}
TRUE_FALSE_ALIASES = {"b": "B", "benar": "B", "true": "B", "t": "B", "ya": "B", "1": "B",
                      "s": "S", "salah": "S", "false": "S", "f": "S", "tidak": "S", "0": "S"}


class Texts(dict):
    """A text per language of the questionnaire.

    Asked for a language the questionnaire does not have, it gives the text in the
    questionnaire's first language: a one-language questionnaire still labels the
    charts, reports and forms evalkit writes in Indonesian or English.

    Examples
    --------
    >>> Texts({"en": "Knowledge"})["id"]
    'Knowledge'
    """

    def __missing__(self, lang: str) -> str:
        if not self:
            raise KeyError(lang)
        return next(iter(self.values()))


@dataclass(frozen=True)
class Option:
    """One answer option of a choice item."""

    code: str
    text: Mapping[str, str]

    def label(self, lang: str | None = None) -> str:
        return self.text[lang or get_language()]


@dataclass(frozen=True)
class Item:
    """One question. ``options`` holds the allowed codes (Likert points as "1".."k").

    A ``network`` item's options are the questionnaire's groups followed by its
    ``institutions``; ``action`` marks a behaviour item as an advocacy or protection action.
    """

    id: str
    type: str
    text: Mapping[str, str]
    scale: str | None = None
    options: tuple[Option, ...] = ()
    key: tuple[str, ...] = ()
    reverse: bool = False
    points: int | None = None
    scoring: str | None = None
    min: float | None = None
    max: float | None = None
    waves: tuple[str, ...] = ()
    institutions: tuple[Option, ...] = ()
    action: str | None = None

    def label(self, lang: str | None = None) -> str:
        return self.text[lang or get_language()]

    @property
    def option_codes(self) -> tuple[str, ...]:
        return tuple(o.code for o in self.options)

    @property
    def keyed(self) -> bool:
        return bool(self.key)


@dataclass(frozen=True)
class Scale:
    """A construct measured by several items and scored by one rule."""

    id: str
    label_text: Mapping[str, str]
    level: str
    scoring: str
    min_answered: float
    waves: tuple[str, ...]
    description: Mapping[str, str] = field(default_factory=dict)

    def label(self, lang: str | None = None) -> str:
        return self.label_text[lang or get_language()]

    @property
    def max_score(self) -> float | None:
        """The ceiling used by Hake's normalized gain (knowledge scales only)."""
        return 100.0 if self.scoring == "percent_correct" else None


@dataclass(frozen=True)
class Questionnaire:
    """A validated questionnaire; build it with :func:`load_questionnaire`."""

    id: str
    version: str
    title: Mapping[str, str]
    languages: tuple[str, ...]
    waves: tuple[str, ...]
    id_column: str
    group_column: str
    personal_columns: tuple[str, ...]
    other_columns: tuple[str, ...]
    groups: tuple[Option, ...]
    scales: tuple[Scale, ...]
    items: tuple[Item, ...]
    path: Path | None = None

    def item(self, item_id: str) -> Item:
        return next(i for i in self.items if i.id == item_id)

    def scale(self, scale_id: str) -> Scale:
        return next(s for s in self.scales if s.id == scale_id)

    def items_in(self, scale_id: str) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.scale == scale_id)

    def items_for_wave(self, wave: str) -> tuple[Item, ...]:
        return tuple(i for i in self.items if wave in i.waves)

    def scales_for_wave(self, wave: str) -> tuple[Scale, ...]:
        return tuple(s for s in self.scales if wave in s.waves)

    def with_groups(self, n: int) -> Questionnaire:
        """A copy whose group list holds exactly ``n`` groups.

        The first ``n`` listed groups are kept; when ``n`` is larger, groups
        ``G11``, ``G12``, ... (labelled "Kelompok 11" / "Group 11"; codes already in
        the list are skipped) are added. Meant for simulations and benchmarks with
        more groups than a real questionnaire lists (see :func:`evalkit.simulate`).
        The questionnaire itself is not changed.

        Examples
        --------
        >>> import evalkit
        >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
        >>> [g.code for g in q.with_groups(12).groups][-3:]
        ['G10', 'G11', 'G12']
        """
        if not (isinstance(n, int) and n >= 1):
            raise EvalkitError(tr(_M["bad_n_groups"], found=n))
        kept = self.groups[:n]
        used = {g.code for g in kept}
        extra = []
        number = len(kept)
        while len(kept) + len(extra) < n:
            number += 1
            code = f"G{number:02d}"
            if code not in used:
                extra.append(Option(code, {"id": f"Kelompok {number}", "en": f"Group {number}"}))
        groups = tuple(kept) + tuple(extra)
        # a network item's options are the groups and its institutions: they follow the list
        items = tuple(replace(i, options=groups + i.institutions) if i.type == "network" else i for i in self.items)
        return replace(self, groups=groups, items=items)

    def group_label(self, code: str, lang: str | None = None) -> str:
        for g in self.groups:
            if g.code == code:
                return g.label(lang)
        return str(code)

    def summary(self, lang: str | None = None) -> str:
        """A short human-readable overview (used by ``evalkit check``)."""
        lang = lang or get_language()
        head = {"id": "{title} (id {id}, versi {version}): {n_items} butir, {n_scales} skala, {n_groups} kelompok, gelombang {waves}",
                "en": "{title} (id {id}, version {version}): {n_items} items, {n_scales} scales, {n_groups} groups, waves {waves}"}
        row = {"id": "  - {id}: {label} [{level}, {scoring}, {n} butir, gelombang {waves}]",
               "en": "  - {id}: {label} [{level}, {scoring}, {n} items, waves {waves}]"}
        lines = [tr(head, lang, title=self.title[lang], id=self.id, version=self.version,
                    n_items=len(self.items), n_scales=len(self.scales), n_groups=len(self.groups),
                    waves=", ".join(self.waves))]
        for s in self.scales:
            lines.append(tr(row, lang, id=s.id, label=s.label(lang), level=s.level, scoring=s.scoring,
                            n=len(self.items_in(s.id)), waves=", ".join(s.waves)))
        return "\n".join(lines)
