"""The catalogue of trainings (YAML): what a roll-up combines, validated with ``FILE:LINE``.

See ``docs/rollup.md`` for the format. Every problem in the file is collected before
anything is raised, as ``FILE:LINE: trainings[ID].key: what is wrong; allowed: ...``.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from pathlib import Path

from .._errors import ProblemsError
from .._i18n import Message, code_of, located, tr
from ..questionnaire import format_path, line_of, load_with_marks

_TOP_KEYS = ("title", "trainings")
_KEYS = ("id", "province", "office", "start", "end", "year", "questionnaire", "pre", "post", "package")
_REQUIRED = ("id", "province", "office", "start")
_FILES = ("questionnaire", "pre", "post", "package")

_M = {
    "problem": {"code": "EK-RU-004", "id": "{file}:{line}: {path}: {what}", "en": "{file}:{line}: {path}: {what}"},
    "allowed": {"code": "EK-RU-005", "id": "; yang diperbolehkan: {allowed}", "en": "; allowed: {allowed}"},
    "suggest": {"code": "EK-RU-006", "id": " (maksud Anda {guess!r}?)", "en": " (did you mean {guess!r}?)"},
    "not_mapping": {"code": "EK-RU-007", "id": "katalog harus berupa pemetaan dengan kunci 'trainings' (daftar pelatihan)",
                    "en": "the catalogue must be a mapping with a 'trainings' key (a list of trainings)"},
    "not_list": {"code": "EK-RU-008", "id": "harus berupa daftar pelatihan yang tidak kosong, ditemukan {found!r}",
                 "en": "must be a non-empty list of trainings; found {found!r}"},
    "not_entry": {"code": "EK-RU-009", "id": "setiap pelatihan harus berupa pemetaan (id:, province:, ...), ditemukan {found!r}",
                  "en": "each training must be a mapping (id:, province:, ...); found {found!r}"},
    "missing": {"code": "EK-RU-010", "id": "kunci wajib tidak ada", "en": "required key is missing"},
    "unknown_key": {"code": "EK-RU-011", "id": "kunci '{key}' tidak dikenal", "en": "unknown key '{key}'"},
    "text": {"code": "EK-RU-012", "id": "harus berupa teks yang tidak kosong, ditemukan {found!r}",
             "en": "must be a non-empty text; found {found!r}"},
    "date": {"code": "EK-RU-013", "id": "tanggal {found!r} tidak sah; tulis sebagai TTTT-BB-HH (mis. 2026-08-10)",
             "en": "invalid date {found!r}; write it as YYYY-MM-DD (e.g. 2026-08-10)"},
    "end_before": {"code": "EK-RU-014", "id": "tanggal selesai {end} lebih awal dari tanggal mulai {start}",
                   "en": "the end date {end} is before the start date {start}"},
    "year": {"code": "EK-RU-015", "id": "tahun {found!r} tidak sah; tulis tahun empat angka (mis. 2026)",
             "en": "invalid year {found!r}; write a four-digit year (e.g. 2026)"},
    "year_start": {"code": "EK-RU-016", "id": "tahun {found} berbeda dengan tahun tanggal mulai ({start})",
                   "en": "the year {found} differs from the start date's year ({start})"},
    "duplicate": {"code": "EK-RU-017", "id": "id {found!r} sudah dipakai di baris {other}",
                  "en": "id {found!r} is already used on line {other}"},
    "no_file": {"code": "EK-RU-018", "id": "berkas {found} tidak ditemukan (jalur dibaca relatif terhadap folder katalog)",
                "en": "file {found} not found (paths are read relative to the catalogue's folder)"},
    "answers": {"code": "EK-RU-019", "id": "tulis 'pre' dan 'post' (berkas jawaban) atau 'package' (paket hasil), tidak keduanya",
                "en": "give either 'pre' and 'post' (answer files) or 'package' (a result package), not both"},
    "needs_questionnaire": {"code": "EK-RU-020", "id": "berkas jawaban memerlukan 'questionnaire' (berkas kuesioner YAML)",
                            "en": "answer files need a 'questionnaire' (the questionnaire YAML file)"},
    "top_unknown": {"code": "EK-RU-021", "id": "kunci '{key}' tidak dikenal", "en": "unknown key '{key}'"},
}


class CatalogueError(ProblemsError):
    """The catalogue has mistakes; ``problems`` lists every message (``FILE:LINE: ...``)."""


@dataclass(frozen=True)
class Training:
    """One training of the catalogue. Paths are absolute; ``package`` or ``pre``/``post`` is set."""

    id: str
    province: str
    office: str
    start: dt.date
    end: dt.date
    year: int
    questionnaire: Path | None
    pre: Path | None
    post: Path | None
    package: Path | None
    line: int


@dataclass(frozen=True)
class Catalogue:
    """A validated catalogue: its title, its trainings in file order and its path."""

    title: str
    trainings: tuple[Training, ...]
    path: Path


def load_catalogue(path: str | Path) -> Catalogue:
    """Read and validate a catalogue of trainings.

    Parameters
    ----------
    path : str or Path
        A YAML file with ``trainings:``, a list of trainings each with ``id, province,
        office, start`` (and optionally ``end``, ``year``), then either ``questionnaire``,
        ``pre`` and ``post`` (answer files) or ``package`` (a result package,
        ``paket_hasil.json``). Relative paths are read from the catalogue's folder.

    Returns
    -------
    Catalogue

    Raises
    ------
    CatalogueError
        Listing every problem with its file and line.

    Examples
    --------
    >>> from pathlib import Path
    >>> import evalkit
    >>> from evalkit.rollup import load_catalogue
    >>> q = Path(evalkit.bundled_questionnaire())
    >>> _ = Path("katalog.yaml").write_text(
    ...     "trainings:\\n"
    ...     f"  - {{id: LPG-2026-08, province: Lampung, office: Kanwil Lampung, start: 2026-08-10,\\n"
    ...     f"     questionnaire: {q}, pre: {evalkit.bundled_sample('pre')},\\n"
    ...     f"     post: {evalkit.bundled_sample('post')}}}\\n")
    >>> cat = load_catalogue("katalog.yaml")
    >>> cat.trainings[0].year
    2026
    """
    path = Path(path)
    data, marks, duplicates = load_with_marks(path)
    problems: list[str] = []

    def problem(at: tuple, what: str, allowed: str | None = None) -> None:
        text = Message(what + (tr(_M["allowed"], allowed=allowed) if allowed else ""), code_of(what))
        problems.append(located(_M["problem"], text, file=path, line=line_of(marks, at), path=format_path(at, data)))

    for at in duplicates:
        problem(at, tr(_M["duplicate"], found=at[-1], other=marks[at]))
    if not isinstance(data, dict) or "trainings" not in data:
        problem((), tr(_M["not_mapping"]))
        raise CatalogueError(problems)
    for key in data:
        if key not in _TOP_KEYS:
            problem((key,), Message(tr(_M["top_unknown"], key=key) + _guess(key, _TOP_KEYS), _M["top_unknown"]["code"]),
                    ", ".join(_TOP_KEYS))
    entries = data["trainings"]
    if not isinstance(entries, list) or not entries:
        problem(("trainings",), tr(_M["not_list"], found=entries))
        raise CatalogueError(problems)
    trainings, seen = [], {}
    for i, entry in enumerate(entries):
        training = _training(entry, ("trainings", i), path.parent, problem, marks)
        if training is None:
            continue
        if training.id in seen:
            problem(("trainings", i, "id"), tr(_M["duplicate"], found=training.id, other=seen[training.id]))
        seen.setdefault(training.id, training.line)
        trainings.append(training)
    if problems:
        raise CatalogueError(problems)
    title = str(data.get("title") or path.stem)
    return Catalogue(title, tuple(trainings), path)


def _guess(key: str, allowed) -> str:
    guess = difflib.get_close_matches(str(key), list(allowed), n=1)
    return tr(_M["suggest"], guess=guess[0]) if guess else ""


def _training(entry, at: tuple, folder: Path, problem, marks) -> Training | None:
    """One entry as a :class:`Training`, or None after reporting its problems."""
    if not isinstance(entry, dict):
        problem(at, tr(_M["not_entry"], found=entry))
        return None
    count = _Counter(problem)
    _check_keys(entry, at, count)
    texts = _texts(entry, at, count)
    start, end, year = _dates(entry, at, count)
    files = _files(entry, at, folder, count)
    if count.n:
        return None
    return Training(texts["id"], texts["province"], texts["office"], start, end, int(year),
                    files.get("questionnaire"), files.get("pre"), files.get("post"), files.get("package"),
                    line_of(marks, at))


def _check_keys(entry: dict, at: tuple, count) -> None:
    for key in entry:
        if key not in _KEYS:
            count(at + (key,), Message(tr(_M["unknown_key"], key=key) + _guess(key, _KEYS), _M["unknown_key"]["code"]),
                  ", ".join(_KEYS))
    for key in _REQUIRED:
        if key not in entry:
            count(at, Message(f"'{key}': " + tr(_M["missing"]), _M["missing"]["code"]))


def _texts(entry: dict, at: tuple, count) -> dict[str, str]:
    texts = {}
    for key in ("id", "province", "office"):
        value = entry.get(key)
        if key in entry and (not isinstance(value, str | int) or not str(value).strip()):
            count(at + (key,), tr(_M["text"], found=value))
        texts[key] = str(value).strip() if value is not None else ""
    return texts


def _dates(entry: dict, at: tuple, count) -> tuple[dt.date | None, dt.date | None, int | None]:
    """Start, end (default: the start) and year (default: the start's)."""
    start = _date(entry, "start", at, count)
    end = _date(entry, "end", at, count) if "end" in entry else start
    if start and end and end < start:
        count(at + ("end",), tr(_M["end_before"], end=end, start=start))
    year = entry.get("year", start.year if start else None)
    if "year" in entry:
        if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2999:
            count(at + ("year",), tr(_M["year"], found=year))
            year = None
        elif start and year != start.year:
            count(at + ("year",), tr(_M["year_start"], found=year, start=start.year))
    return start, end, year


def _files(entry: dict, at: tuple, folder: Path, count) -> dict[str, Path]:
    """The entry's files (relative to the catalogue), which must exist: answers or a package."""
    files = {}
    for key in _FILES:
        if key in entry:
            files[key] = folder / str(entry[key])
            if not files[key].is_file():
                count(at + (key,), tr(_M["no_file"], found=files[key]))
    raw = "pre" in entry or "post" in entry
    if raw == ("package" in entry) or (raw and not ("pre" in entry and "post" in entry)):
        count(at, tr(_M["answers"]))
    elif raw and "questionnaire" not in entry:
        count(at, tr(_M["needs_questionnaire"]))
    return files


class _Counter:
    """Reports problems of one entry and counts them."""

    def __init__(self, problem):
        self.problem, self.n = problem, 0

    def __call__(self, *args) -> None:
        self.n += 1
        self.problem(*args)


def _date(entry: dict, key: str, at: tuple, count) -> dt.date | None:
    value = entry.get(key)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value is None and key not in entry:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        count(at + (key,), tr(_M["date"], found=value))
        return None
