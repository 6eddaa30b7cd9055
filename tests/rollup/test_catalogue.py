"""The catalogue of trainings: its format, and a FILE:LINE message for each kind of mistake."""

from __future__ import annotations

import datetime as dt

import pytest

import evalkit
from evalkit.rollup import CatalogueError, load_catalogue


def _write(tmp_path, body: str):
    (tmp_path / "pre.csv").write_text("x\n")
    (tmp_path / "post.csv").write_text("x\n")
    (tmp_path / "paket.json").write_text("{}")
    path = tmp_path / "katalog.yaml"
    path.write_text(body.replace("Q", str(evalkit.bundled_questionnaire())), encoding="utf-8")
    return path


GOOD = """\
title: Uji
trainings:
  - id: LPG-2026-08
    province: Lampung
    office: Kanwil Lampung
    start: 2026-08-10
    end: 2026-08-12
    questionnaire: Q
    pre: pre.csv
    post: post.csv
  - id: ACH-2026-09
    province: Aceh
    office: Kanwil Aceh
    start: 2026-09-01
    package: paket.json
"""


def test_a_good_catalogue(tmp_path):
    cat = load_catalogue(_write(tmp_path, GOOD))
    assert cat.title == "Uji"
    first, second = cat.trainings
    assert (first.id, first.province, first.year, first.end) == ("LPG-2026-08", "Lampung", 2026, dt.date(2026, 8, 12))
    assert first.pre == tmp_path / "pre.csv" and first.package is None and first.line == 3
    assert second.package == tmp_path / "paket.json" and second.end == second.start and second.line == 11


@pytest.mark.parametrize("old, new, line, message", [
    ("    province: Lampung\n", "    provinse: Lampung\n",
     4, "trainings[LPG-2026-08].provinse: kunci 'provinse' tidak dikenal (maksud Anda 'province'?)"),
    ("    province: Lampung\n", "", 3, "trainings[LPG-2026-08]: 'province': kunci wajib tidak ada"),
    ("start: 2026-08-10", "start: 10/08/2026", 6,
     "trainings[LPG-2026-08].start: tanggal '10/08/2026' tidak sah; tulis sebagai TTTT-BB-HH"),
    ("end: 2026-08-12", "end: 2026-08-01", 7,
     "trainings[LPG-2026-08].end: tanggal selesai 2026-08-01 lebih awal dari tanggal mulai 2026-08-10"),
    ("id: ACH-2026-09", "id: LPG-2026-08", 11, "trainings[LPG-2026-08].id: id 'LPG-2026-08' sudah dipakai di baris 3"),
    ("pre: pre.csv", "pre: tidak_ada.csv", 9, "trainings[LPG-2026-08].pre: berkas "),
    ("    package: paket.json\n", "", 11, "trainings[ACH-2026-09]: tulis 'pre' dan 'post' (berkas jawaban) atau "
                                           "'package'"),
    ("    questionnaire: Q\n", "", 3, "trainings[LPG-2026-08]: berkas jawaban memerlukan 'questionnaire'"),
])
def test_each_mistake_is_named_with_file_and_line(tmp_path, old, new, line, message):
    assert old in GOOD
    path = _write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    assert any(p.startswith(f"{path}:{line}: {message}") for p in info.value.problems), info.value.problems


def test_every_problem_is_reported_at_once_and_in_english(tmp_path):
    path = _write(tmp_path, GOOD.replace("province: Lampung", "provinse: Lampung").replace("2026-09-01", "kemarin"))
    evalkit.set_language("en")
    with pytest.raises(CatalogueError, match=r"EK-RU-011\] .*'provinse'") as info:
        load_catalogue(path)
    assert len(info.value.problems) == 3  # the unknown key, the missing province, the date
    assert "invalid date 'kemarin'" in str(info.value)  # in English (the code: EK-RU-013)
    assert [p.code for p in info.value.problems] == ["EK-RU-011", "EK-RU-010", "EK-RU-013"]


def test_not_a_catalogue(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("- a\n- b\n")
    with pytest.raises(CatalogueError, match=r"EK-RU-\d+\] .*x\.yaml:1: .*'trainings'"):
        load_catalogue(path)
