"""The report's follow-up parts (issue 16): retention section, workbook sheets, summary, and
the statement that no follow-up was given."""

import warnings

import docx
import openpyxl
import pytest

import evalkit
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
    """The bundled sample with its follow-up wave (simulated: 60% of each gain kept)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return evalkit.analyze(plain.questionnaire, evalkit.bundled_sample("pre"), evalkit.bundled_sample("post"),
                               followup=evalkit.bundled_sample("followup"))


@pytest.fixture(scope="module")
def followup_report(with_followup, tmp_path_factory):
    return write_report(with_followup, tmp_path_factory.mktemp("fu") / "lap")


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


def test_retention_section_sheets_and_summary(with_followup, followup_report):
    folder = followup_report
    text = _text(folder)
    assert NO_FOLLOWUP not in text
    section = text.split("Apakah kenaikan bertahan?")[1].split("Tingkat 3")[0]
    contrasts = with_followup.retention.contrasts
    pooled = contrasts[contrasts["group"] == "ALL"].set_index(["scale", "contrast"])
    q = with_followup.questionnaire
    for scale in pooled.index.get_level_values("scale").unique():
        line = next(s for s in section.split("\n") if s.startswith(q.scale(scale).label("id") + ":"))
        decay, kept = pooled.loc[(scale, "followup - post")], pooled.loc[(scale, "followup - pre")]
        # the sentence follows the signs of the intervals: a real decline is named as one
        if kept["ci_low"] > 0 and decay["ci_high"] < 0:
            assert "kenaikan bertahan sebagian" in line and "Skor turun" in line
        elif kept["ci_low"] > 0:
            assert "kenaikan bertahan." in line
        else:
            assert "kenaikan tidak bertahan" in line
    book = openpyxl.load_workbook(folder / "gains.xlsx", read_only=True)
    assert {"retention", "retention_means", "retention_ratio", "friedman", "mixed_model", "behaviour",
            "behaviour_frequencies", "change_agents", "network", "network_change"} <= set(book.sheetnames)
    summary = text[:text.rindex("BAB I ")]
    assert "Pada tindak lanjut (" in summary and "skala" in summary


def test_small_groups_suppressed_in_followup_tables(with_followup):
    tables = report_tables(with_followup, k=20)
    for name, stat in (("retention", "mean_diff"), ("behaviour", "share"), ("change_agents", "share"),
                       ("network_change", "mean_diff")):
        table = tables[name]
        small = table["n"] < 20
        assert small.any(), name
        assert table.loc[small, "suppressed"].all(), name
        assert table.loc[table["suppressed"], stat].isna().all(), name


def test_level3_chapter_agents_actions_and_network(with_followup, followup_report):
    text = _text(followup_report)
    chapter = text[text.rindex("Tingkat 3 — Perilaku"):text.index("BAB IV", text.rindex("Tingkat 3 — Perilaku"))]
    agents = with_followup.change_agents.set_index("group").loc["ALL"]
    assert f"Agen perubahan: {int(agents['n_agents'])} dari {int(agents['n'])} peserta" in chapter
    change = with_followup.network.change.set_index("group").loc["ALL"]
    word = "bertambah" if change["ci_low"] > 0 else "berkurang" if change["ci_high"] < 0 else "belum nyata"
    assert word in chapter and "Jejaring antarkelompok" in chapter
    assert (followup_report / "charts_extra" / "network.png").exists()
    assert (followup_report / "charts_extra" / "retention.png").exists()
    # the actions table: one row per behaviour item, in the document
    table = next(t for t in docx.Document(followup_report / "laporan.docx").tables
                 if t.rows[0].cells[0].text == "Tindakan")
    assert len(table.rows) - 1 == with_followup.behaviour["item"].nunique()
    summary = text[:text.rindex("BAB I ")]
    assert f"{round(100 * agents['share'])}% peserta tindak lanjut menjadi agen perubahan" in summary
