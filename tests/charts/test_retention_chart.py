"""charts.retention_lines: the three waves' means with their CIs, small groups not drawn."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import evalkit
from evalkit.charts import retention_lines

MEANS = pd.DataFrame({"scale": "pengetahuan", "group": ["ALL"] * 3 + ["G01"] * 3 + ["G02"] * 3,
                      "wave": ["pre", "post", "followup"] * 3, "n": [40, 40, 26, 20, 20, 3, 20, 20, 23],
                      "mean": [50.0, 70.0, 64.0] * 3, "sd": [12.0, 11.0, 13.0] * 3})


@pytest.fixture(scope="module")
def q():
    return evalkit.load_questionnaire(evalkit.bundled_questionnaire())


def test_means_and_t_intervals(q):
    ax = retention_lines(MEANS, q, scale="pengetahuan")
    bars = ax.containers[0].lines[2][0]
    segments = bars.get_segments()
    half = [(s[1][1] - s[0][1]) / 2 for s in segments]
    # scipy.stats.t.interval(0.95, n - 1, scale=sd / sqrt(n)): 95% t interval of each mean
    np.testing.assert_allclose(half, [3.8377861859146045, 3.517970670421721, 5.250813634742854], rtol=1e-9)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Sebelum\nn = 40", "Sesudah\nn = 40",
                                                           "Tindak lanjut\nn = 26"]
    assert any("," in t.get_text() or t.get_text().isdigit() for t in ax.get_yticklabels())
    plt.close(ax.figure)


def test_english_labels(q):
    ax = retention_lines(MEANS, q, scale="pengetahuan", lang="en")
    assert ax.get_xticklabels()[2].get_text() == "Follow-up\nn = 26"
    plt.close(ax.figure)


@pytest.mark.parametrize("group", ["G01", "G02"])
def test_small_group_not_drawn(q, group):
    # G01 has 3 at follow-up (< 5); G02 is hidden with it so G01 cannot be worked out from ALL
    ax = retention_lines(MEANS, q, scale="pengetahuan", group=group)
    assert not ax.lines and "tidak ditampilkan" in ax.texts[0].get_text()
    plt.close(ax.figure)
