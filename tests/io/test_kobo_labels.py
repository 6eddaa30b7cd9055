"""KoboToolbox "labels" exports of evalkit's own XLSForm, in any form language: each variant is
built from the bundled sample through the form's labels, and scores as the plain CSV does, or
is refused with a clear message (CLI exit 1), never a traceback or an empty report."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from openpyxl import load_workbook

import evalkit
from evalkit import DataError
from evalkit.cli import main
from evalkit.forms import LANGUAGE_NAMES, to_xlsform


@pytest.fixture(scope="module")
def plain():
    pre = pd.read_csv(evalkit.bundled_sample("pre"), dtype=str, keep_default_na=False)
    post = pd.read_csv(evalkit.bundled_sample("post"), sep=";", dtype=str, keep_default_na=False,
                       encoding="utf-8-sig")
    return {"pre": pre, "post": post}


@pytest.fixture(scope="module")
def expected(q):
    pre, post = (evalkit.read_responses(evalkit.bundled_sample(w), q, wave=w) for w in ("pre", "post"))
    return {"pre": evalkit.score(q, pre), "post": evalkit.score(q, post), "gains": evalkit.gains(q, pre, post)}


class Form:
    """The labels of an XLSForm written by evalkit, as Kobo uses them in a labels export."""

    def __init__(self, path):
        book = load_workbook(path, read_only=True)
        survey, choices = (self._rows(book[name]) for name in ("survey", "choices"))
        self.survey = {r["name"]: r for r in survey}
        self.choices: dict[str, dict[str, dict]] = {}
        for r in choices:
            self.choices.setdefault(r["list_name"], {})[str(r["name"])] = r

    @staticmethod
    def _rows(sheet):
        rows = list(sheet.iter_rows(values_only=True))
        return [dict(zip(rows[0], r)) for r in rows[1:] if any(v is not None for v in r)]

    def export(self, frame: pd.DataFrame, lang: str, *, multi: str = "both") -> pd.DataFrame:
        """``frame`` (codes) as Kobo exports it with labels in ``lang``; ``multi``: select_multiple
        as a ``single`` column of space-joined labels, ``split`` columns ``Question/Option``, or ``both``."""
        label = f"label::{LANGUAGE_NAMES[lang]} ({lang})"
        out = {}
        for name, column in frame.items():
            row = self.survey.get(name)
            if row is None:
                continue  # not a question of the form (e.g. waktu_isi)
            kind, _, list_name = row["type"].partition(" ")
            header = row.get(label) or name
            options = {code: r[label] for code, r in self.choices.get(list_name, {}).items()}
            if kind == "select_one":
                out[header] = column.map(lambda v: options.get(v, v))
            elif kind == "select_multiple":
                if multi in ("single", "both"):
                    out[header] = column.map(lambda v: " ".join(options[c] for c in v.split()))
                if multi in ("split", "both"):
                    for code, text in options.items():
                        chosen = column.str.split().map(lambda codes, c=code: c in codes)
                        out[f"{header}/{text}"] = chosen.map({True: "1", False: "0"}).where(column != "", "")
            else:
                out[header] = column
        out = pd.DataFrame(out)
        meta = {"_id": range(len(out)), "_uuid": [f"uuid-{i}" for i in range(len(out))],
                "_submission_time": "2026-10-15T08:00:00", "_validation_status": "", "_index": range(1, len(out) + 1)}
        return pd.concat([out, pd.DataFrame(meta)], axis=1)


@pytest.fixture(scope="module")
def forms(q, tmp_path_factory):
    folder = tmp_path_factory.mktemp("forms")
    return {wave: Form(to_xlsform(q, folder / f"form_{wave or 'all'}.xlsx", wave=wave, include_personal=True))
            for wave in (None, "pre", "post")}


def _per_wave_files(forms, plain, folder, lang, multi):
    paths = {}
    for wave in ("pre", "post"):
        paths[wave] = folder / f"{wave}_{lang}_{multi}.xlsx"
        forms[None].export(plain[wave].assign(gelombang=wave), lang, multi=multi).to_excel(paths[wave], index=False)
    return paths


def _labels_id(forms, plain, folder):
    return _per_wave_files(forms, plain, folder, "id", "both")


def _labels_en(forms, plain, folder):
    return _per_wave_files(forms, plain, folder, "en", "both")


def _split_columns(forms, plain, folder):
    return _per_wave_files(forms, plain, folder, "en", "split")


def _space_joined(forms, plain, folder):
    return _per_wave_files(forms, plain, folder, "id", "single")


def _waves_as_labels(forms, plain, folder):
    """One form for both waves: one export, the wave a label such as 'Pre-test (sebelum pelatihan)'."""
    both = pd.concat([plain["pre"].assign(gelombang="pre"), plain["post"].assign(gelombang="post")],
                     ignore_index=True).fillna("")
    path = folder / "semua.csv"
    forms[None].export(both, "id").to_csv(path, index=False, sep=";")
    return {"pre": path, "post": path}


def _per_wave_forms(forms, plain, folder):
    """A form per wave (`xlsform --wave`): the wave is a calculate, exported as its value."""
    paths = {}
    for wave in ("pre", "post"):
        paths[wave] = folder / f"{wave}.csv"
        forms[wave].export(plain[wave].assign(gelombang=wave), "en", multi="single").to_csv(paths[wave], index=False)
    return paths


VARIANTS = [_labels_id, _labels_en, _waves_as_labels, _split_columns, _space_joined, _per_wave_forms]


@pytest.mark.parametrize("build", VARIANTS, ids=[v.__name__.strip("_") for v in VARIANTS])
@pytest.mark.parametrize("strict", [True, False])
def test_labels_exports_score_as_the_plain_files(tmp_path, q, forms, plain, expected, build, strict):
    paths = build(forms, plain, tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", evalkit.EvalkitWarning)  # personal columns, as in any export
        read = {w: evalkit.read_responses(paths[w], q, wave=w, strict=strict) for w in ("pre", "post")}
    for wave in ("pre", "post"):
        assert read[wave].problems.empty
        # rows are the file's (one export holding both waves numbers the post-test rows after the pre-test's)
        pd.testing.assert_frame_equal(evalkit.score(q, read[wave]).drop(columns="row"),
                                      expected[wave].drop(columns="row"))
    pd.testing.assert_frame_equal(evalkit.gains(q, read["pre"], read["post"]), expected["gains"])


def test_labels_in_a_language_the_questionnaire_lacks_are_refused(tmp_path, q, forms, plain):
    """Answers as labels of another language: no code or label is known, so nothing is scored."""
    frame = forms[None].export(plain["pre"].assign(gelombang="pre"), "id")
    answers = [c for c in frame.columns[4:frame.columns.get_loc("_id")] if "/" not in c]  # not the split 1/0
    frame[answers] = frame[answers].map(lambda v: f"[fr] {v}" if v else v)
    path = tmp_path / "fr.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError) as info:
        evalkit.read_responses(path, q, wave="pre")
    assert (info.value.problems["problem"] == "jawaban tidak dikenal").sum() > 1000
    with pytest.raises(DataError, match=r'EK-IO-025\] .*fr\.csv'):
        evalkit.read_responses(path, q, wave="pre", strict=False)


def test_lenient_wave_without_usable_rows_is_an_error(tmp_path, q, plain, capsys):
    frame = plain["pre"].copy()
    frame["kelompok"] = "Kelompok yang tidak ada"
    path = tmp_path / "pre.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError, match=r'EK-IO-026\] .*pre\.csv'):
        evalkit.read_responses(path, q, wave="pre", strict=False)
    code = main(["report", str(evalkit.bundled_questionnaire()), "--pre", str(path),
                 "--post", str(evalkit.bundled_sample("post")), "--out", str(tmp_path / "out"), "--lenient"])
    assert code == 1 and "[EK-IO-026]" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_space_joined_labels_split_by_known_labels(q):
    from evalkit.io._responses import _parser

    multi, _ = _parser(q.item("k12"))
    assert multi("Orang lanjut usia Anak-anak Penyandang disabilitas") == "a c f"
    assert multi("Older persons Persons with disabilities") == "a f"
    assert multi("Orang lanjut usia Pengusaha") is None  # 'Pengusaha' alone is no option
