"""The report's follow-up parts (issue 16): retention section, workbook sheets, summary, and
the statement that no follow-up was given."""

import dataclasses
import warnings

import docx
import numpy as np
import openpyxl
import pandas as pd
import pytest

import evalkit
from evalkit import review
from evalkit.report import report_tables, write_report

NO_FOLLOWUP = "Laporan ini tidak menyertakan tindak lanjut"


def _text(folder) -> str:
    return "\n".join(p.text for p in docx.Document(folder / "laporan.docx").paragraphs)


@pytest.fixture(scope="module")
def plain():
    q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return evalkit.analyze(q, evalkit.bundled_sample("pre"), evalkit.bundled_sample("post"))


@pytest.fixture(scope="module")
def with_followup(plain):
    """The sample with a made-up follow-up: 65% answer, 60% of each gain kept."""
    m = plain.matched
    long = m.melt(id_vars=["group", "participant", "scale"], value_vars=["pre", "post"], var_name="wave",
                  value_name="score").dropna()
    fu = m.dropna(subset=["post"]).sample(frac=0.65, random_state=1)
    noise = np.random.default_rng(3).normal(0, 0.1, len(fu))
    fu = fu.assign(wave="followup", score=fu["pre"] + 0.6 * (fu["post"] - fu["pre"]) + noise)
    waves = pd.concat([long, fu[["group", "participant", "scale", "wave", "score"]]], ignore_index=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return dataclasses.replace(plain, retention=review.retention(waves))


def test_without_followup_the_report_says_so(plain, tmp_path):
    assert not plain.retention
    tables = report_tables(plain)
    assert not {"retention", "retention_means", "mixed_model"} & set(tables)
    folder = write_report(plain, tmp_path / "lap")
    text = _text(folder)
    cut = text.rindex("BAB I ")  # the chapter heading (the contents list it first)
    summary, rest = text[:cut], text[cut:]
    assert NO_FOLLOWUP in summary
    assert NO_FOLLOWUP in rest.split("Tingkat 3")[1]
    assert "Apakah kenaikan bertahan?" not in text


def test_retention_section_sheets_and_summary(with_followup, tmp_path):
    folder = write_report(with_followup, tmp_path / "lap")
    text = _text(folder)
    assert NO_FOLLOWUP not in text
    section = text.split("Apakah kenaikan bertahan?")[1].split("Tingkat 3")[0]
    contrasts = with_followup.retention.contrasts
    pooled = contrasts[contrasts["group"] == "ALL"].set_index(["scale", "contrast"])
    q = with_followup.questionnaire
    for scale in pooled.index.get_level_values("scale").unique():
        line = next(s for s in section.split("\n") if s.startswith(q.scale(scale).label("id") + ":"))
        decay = pooled.loc[(scale, "followup - post")]
        # the simulated follow-up keeps 60% of the gain: a real decline, named as one
        assert decay["ci_high"] < 0 and "kenaikan bertahan sebagian" in line and "Skor turun" in line
    book = openpyxl.load_workbook(folder / "gains.xlsx", read_only=True)
    assert {"retention", "retention_means", "retention_ratio", "friedman", "mixed_model"} <= set(book.sheetnames)
    summary = text[:text.rindex("BAB I ")]
    assert "Pada tindak lanjut (" in summary and "skala" in summary


def test_small_groups_suppressed_in_followup_tables(with_followup):
    tables = report_tables(with_followup, k=30)
    contrasts = tables["retention"]
    small = contrasts["n"] < 30
    assert small.any()
    assert contrasts.loc[small, "suppressed"].all()
    assert contrasts.loc[contrasts["suppressed"], "mean_diff"].isna().all()
