"""evalkit.review.retention: did the gain last? Against R (tests/reference/retention_reference.R)."""

import numpy as np
import pandas as pd
import pytest

from evalkit import EvalkitWarning
from evalkit.review import RETENTION_CONTRAST_COLUMNS, Retention, retention

DATA = "tests/reference/data/waves_long.csv"

# R 4.2.2: t.test(paired = TRUE), wilcox.test(paired = TRUE, digits.rank = 9) and
# p.adjust(, "holm") over the three contrasts; effectsize 0.8.3 cohens_d(paired = TRUE)
# for the d_z interval (noncentral t). Complete pairs per contrast. Order per group:
# post - pre, followup - post, followup - pre.
R = {
    "ALL": dict(n=[26, 19, 20], t=[6.92361738892273, -1.05736106527536, 5.20548234206035],
                p=[2.94552941469138e-07, 0.304331637815485, 5.03442721157525e-05],
                diff=[2.73076923076923, -0.526315789473684, 2.6],
                ci_low=[1.91845910536573, -1.57207818658272, 1.55459014479959],
                ci_high=[3.54307935617273, 0.519446607635351, 3.64540985520041],
                p_wilcoxon=[3.20313586689056e-05, 0.323156114323535, 0.000595143776000333],
                d_z=[1.35783308349105, -0.242575264756306, 1.16398123725218],
                d_z_ci_low=[0.814208032388052, -0.695805714864117, 0.583012009784731],
                d_z_ci_high=[1.88724943035955, 0.217148712549171, 1.72686211811946],
                p_holm=[8.83658824407414e-07, 0.304331637815485, 0.000100688544231505]),
    "A": dict(n=[14, 10, 11], t=[9.09243485751434, -2.16694535554385, 3.76484279856877],
              p=[5.36293991029686e-07, 0.0584032933247621, 0.00369267201932398],
              diff=[3.64285714285714, -1.2, 2.81818181818182],
              ci_low=[2.77731182801816, -2.45272591134471, 1.15030330717484],
              ci_high=[4.50840245769612, 0.0527259113447078, 4.4860603291888],
              p_wilcoxon=[0.00104496483121785, 0.0851916964358795, 0.0109978067697236],
              d_z=[2.4300554320271, -0.685248288864193, 1.13514281432038],
              d_z_ci_low=[1.35752816621942, -1.36419833517552, 0.350647801476665],
              d_z_ci_high=[3.48020061018561, 0.0234755115994228, 1.88681561605459],
              p_holm=[1.60888197308906e-06, 0.0584032933247621, 0.00738534403864796]),
    "B": dict(n=[12, 9, 9], t=[2.80305955290694, 0.273434370809865, 3.5],
              p=[0.0171804873430132, 0.791445913081106, 0.00807908226041188],
              diff=[1.66666666666667, 0.222222222222222, 2.33333333333333],
              ci_low=[0.357986443890638, -1.65188512522254, 0.795997243197223],
              ci_high=[2.9753468894427, 2.09632956966698, 3.87066942346944],
              p_wilcoxon=[0.0258510500435709, 0.669815357599417, 0.0245296296064374],
              d_z=[0.809173593712687, 0.0911447902699551, 1.16666666666667],
              d_z_ci_low=[0.138693569269613, -0.566435370857939, 0.28496622530473],
              d_z_ci_high=[1.45276941998056, 0.743156171902764, 2.00811624317626],
              p_holm=[0.0343609746860263, 0.791445913081106, 0.0242372467812356]),
}
# Same data, tests/reference/waves_meta_reference.R: friedman.test on complete cases and
# lme4::lmer(score ~ wave + (1 | participant), REML = TRUE), post - pre estimate of group A.
R_FRIEDMAN_N = {"ALL": 19, "A": 10, "B": 9}


@pytest.fixture(scope="module")
def result() -> Retention:
    long = pd.read_csv(DATA).assign(scale="pengetahuan")
    with pytest.warns(EvalkitWarning):  # group B's bootstrap ratio is unbounded
        return retention(long)


@pytest.mark.parametrize("group", ["ALL", "A", "B"])
def test_contrasts_equal_r(result, group):
    got = result.contrasts[result.contrasts["group"] == group]
    ref = R[group]
    assert got["contrast"].tolist() == ["post - pre", "followup - post", "followup - pre"]
    assert got["n"].tolist() == ref["n"]
    for column, key in [("t", "t"), ("p", "p"), ("mean_diff", "diff"), ("ci_low", "ci_low"),
                        ("ci_high", "ci_high"), ("p_wilcoxon", "p_wilcoxon"), ("d_z", "d_z"),
                        ("p_holm", "p_holm")]:
        np.testing.assert_allclose(got[column], ref[key], rtol=1e-9, err_msg=column)
    # effectsize finds the noncentral-t roots to a looser tolerance than evalkit
    np.testing.assert_allclose(got["d_z_ci_low"], ref["d_z_ci_low"], atol=1e-6)
    np.testing.assert_allclose(got["d_z_ci_high"], ref["d_z_ci_high"], atol=1e-6)


def test_tables_and_columns(result):
    assert list(result.contrasts.columns) == RETENTION_CONTRAST_COLUMNS
    assert result.contrasts["group"].unique().tolist() == ["ALL", "A", "B"]
    friedman = result.friedman.set_index("group")["n"].to_dict()
    assert friedman == R_FRIEDMAN_N
    # lmer (waves_meta_reference.Rout): group A, post - pre
    mixed = result.mixed.set_index(["group", "contrast"])
    assert mixed.loc[("A", "post - pre"), ["n_obs", "n_participants"]].tolist() == [40, 15]
    np.testing.assert_allclose(mixed.loc["A", "estimate"].to_numpy(),
                               [3.72902753208349, 2.69214901688216, -1.03687851520133], atol=1e-4)
    means = result.means[(result.means["group"] == "A")]
    assert means["wave"].tolist() == ["pre", "post", "followup"]
    raw = pd.read_csv(DATA)
    expected = raw[raw["group"] == "A"].groupby("wave")["score"].mean()
    np.testing.assert_allclose(means.set_index("wave")["mean"], expected[["pre", "post", "followup"]])
    ratio = result.ratio.set_index("group")
    assert ratio.loc["B", ["ci_low", "ci_high"]].isna().all()


def test_without_followup_is_empty():
    long = pd.read_csv(DATA).assign(scale="s")
    got = retention(long[long["wave"] != "followup"])
    assert not got
    assert list(got.contrasts.columns) == RETENTION_CONTRAST_COLUMNS


def test_only_scales_asked_at_followup():
    long = pd.read_csv(DATA)
    both = pd.concat([long.assign(scale="kept"),
                      long[long["wave"] != "followup"].assign(scale="post_only")])
    got = retention(both, by=None)
    assert set(got.contrasts["scale"]) == {"kept"}
    assert got.contrasts["group"].unique().tolist() == ["ALL"]


def test_equal_codes_in_two_groups_are_two_people(result):
    """Codes are unique within a group only: group B's participants renamed to group A's
    codes give the same tables (the pooled ALL rows keep them apart)."""
    long = pd.read_csv(DATA).assign(scale="pengetahuan")
    renamed = long.assign(participant=long["participant"].str.replace("B", "A", regex=False))
    assert renamed.groupby("participant")["group"].nunique().max() == 2
    with pytest.warns(EvalkitWarning):
        got = retention(renamed)
    pd.testing.assert_frame_equal(got.contrasts, result.contrasts)
    pd.testing.assert_frame_equal(got.means, result.means)
    pd.testing.assert_frame_equal(got.mixed, result.mixed, rtol=1e-9)
