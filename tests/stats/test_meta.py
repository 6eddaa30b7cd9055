"""Meta-analysis of per-training effects against metafor 3.8.1 (R 4.2.2).

Every literal was printed by tests/reference/waves_meta_reference.R (sections 1-3) with
``sprintf("%.15g")``; see waves_meta_reference.Rout. The REML fits there use
``control = list(threshold = 1e-12)`` so that metafor's tau² is converged to rounding (its
default stops when tau² moves less than 1e-5); the default fits are checked to 1e-6 as well.
Data: metafor's dat.bcg as ``escalc("RR")`` (data/meta_bcg.csv, exported by the script) and
8 made-up trainings (data/meta_trainings.csv).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evalkit import EvalkitError, EvalkitWarning
from evalkit.stats import (
    meta_analysis,
    meta_regression,
    meta_subgroups,
    paired_effect_sizes,
)

RTOL = 1e-8  # both sides iterate tau² to about 1e-11; closed forms agree far closer

# R: fit <- rma(yi, vi, data = d, method = M, test = T, control = tight); predict(fit)
# "ci" = ci.lb, ci.ub; "pi" = pi.lb, pi.ub; "q" = QE, QEp.
FITS = {
    ("bcg", "REML", "knha"): {"k": 13, "estimate": -0.71453234215814, "se": 0.180791744092848, "stat": -3.95223988652481, "p": 0.0019200150960573, "ci": [-1.10844371368555, -0.320620970630728], "pi": [-1.99601683419621, 0.566952149879933], "tau2": 0.313243258136486, "i2": 92.2213845212691, "h2": 12.8557582353094, "q": [152.233008082373, 1.99676459084597e-26]},
    ("bcg", "REML", "z"): {"k": 13, "estimate": -0.71453234215814, "se": 0.179781516105207, "stat": -3.97444830613176, "p": 7.05425810164237e-05, "ci": [-1.06689763881035, -0.362167045505926], "pi": [-1.8666922179029, 0.437627533586617], "tau2": 0.313243258136486, "i2": 92.2213845212691, "h2": 12.8557582353094, "q": [152.233008082373, 1.99676459084597e-26]},
    ("bcg", "DL", "knha"): {"k": 13, "estimate": -0.714117222073227, "se": 0.180696628335547, "stat": -3.95202294946609, "p": 0.00192076676704736, "ci": [-1.10782135416833, -0.320413089978125], "pi": [-1.98720696343074, 0.558972519284285], "tau2": 0.308760262862376, "i2": 92.1173468545621, "h2": 12.6860840068644, "q": [152.233008082373, 1.99676459084597e-26]},
    ("bcg", "DL", "z"): {"k": 13, "estimate": -0.714117222073227, "se": 0.178742089535403, "stat": -3.99523818888658, "p": 6.462924304704e-05, "ci": [-1.06444528008405, -0.363789164062403], "pi": [-1.85815375273217, 0.429919308585714], "tau2": 0.308760262862376, "i2": 92.1173468545621, "h2": 12.6860840068644, "q": [152.233008082373, 1.99676459084597e-26]},
    ("md", "REML", "knha"): {"k": 8, "estimate": 8.2480274668666, "se": 1.17636873920454, "stat": 7.01143033811311, "p": 0.000209418358729616, "ci": [5.46635741732791, 11.0296975164053], "pi": [1.79588284881263, 14.7001720849206], "tau2": 6.06148582792965, "i2": 58.959157862456, "h2": 2.43659717470857, "q": [16.7945586987501, 0.0187700312364717]},
    ("md", "REML", "z"): {"k": 8, "estimate": 8.2480274668666, "se": 1.15817798611791, "stat": 7.12155434288049, "p": 1.06716641775191e-12, "ci": [5.97804032638836, 10.5180146073448], "pi": [2.91531804124163, 13.5807368924916], "tau2": 6.06148582792965, "i2": 58.959157862456, "h2": 2.43659717470857, "q": [16.7945586987501, 0.0187700312364717]},
    ("md", "DL", "knha"): {"k": 8, "estimate": 8.24103983261404, "se": 1.17557223694801, "stat": 7.01023686473679, "p": 0.00020964029672181, "ci": [5.46125321162759, 11.0208264536005], "pi": [1.85841114527137, 14.6236685199567], "tau2": 5.90379024907965, "i2": 58.3198336701698, "h2": 2.39922267125001, "q": [16.7945586987501, 0.0187700312364717]},
    ("md", "DL", "z"): {"k": 8, "estimate": 8.24103983261404, "se": 1.14917825008311, "stat": 7.17124591595608, "p": 7.43182665274029e-13, "ci": [5.98869185063438, 10.4933878145937], "pi": [2.97300048578083, 13.5090791794472], "tau2": 5.90379024907965, "i2": 58.3198336701698, "h2": 2.39922267125001, "q": [16.7945586987501, 0.0187700312364717]},
    ("gz", "REML", "knha"): {"k": 8, "estimate": 0.698177807388146, "se": 0.0918139473265216, "stat": 7.60426740945129, "p": 0.000125834079488627, "ci": [0.48107232090539, 0.915283293870901], "pi": [0.346771723652513, 1.04958389112378], "tau2": 0.0136550398853906, "i2": 21.9807598155199, "h2": 1.28173511769078, "q": [9.4452381035294, 0.222249788666174]},
    # tau² on the boundary: five nearly equal effects
    ("homog", "REML", "knha"): {"k": 5, "estimate": 0.493055555555556, "se": 0.0173333110754843, "stat": 28.4455493476326, "p": 9.08916942907985e-06, "ci": [0.444930568863157, 0.541180542247955], "pi": [0.444930568863157, 0.541180542247955], "tau2": 0, "i2": 0, "h2": 1, "q": [0.144212962962963, 0.997521981344274]},
}  # fmt: skip

# R: the same with metafor's default control (threshold 1e-5), REML, test = "knha".
DEFAULT_CONTROL = {
    "bcg": {"estimate": -0.714532348365101, "se": 0.1807917455191, "ci": [-1.10844372300005, -0.320620973730153], "pi": [-1.99601696702229, 0.566952270292088], "tau2": 0.313243325980895, "i2": 92.2213860749656},
    "md": {"estimate": 8.24802746934757, "se": 1.17636873948717, "ci": [5.46635741914056, 11.0296975195546], "pi": [1.79588282643606, 14.7001721122591], "tau2": 6.06148588463246, "i2": 58.9591580888125},
}  # fmt: skip

# R: rma(yi, vi, data = md, subset = province == p, test = "knha", control = tight)
PROVINCES = {
    "Aceh": {"k": 3, "estimate": 9.47779519089863, "se": 2.01099462574887, "stat": 4.71298882132478, "p": 0.04219144302783, "ci": [0.825183674908754, 18.1304067068885], "pi": [-5.08027480543251, 24.0358651872298], "tau2": 7.40404282948203, "i2": 63.4424469118169, "h2": 2.73541283681604, "q": [5.31978787057235, 0.0699556411762403]},
    "Lampung": {"k": 3, "estimate": 6.95060545055881, "se": 1.97663543485044, "stat": 3.51638209454882, "p": 0.0722219234448483, "ci": [-1.55417039891996, 15.4553813000376], "pi": [-7.20827182120281, 21.1094827223204], "tau2": 6.92182983452949, "i2": 65.0420964856048, "h2": 2.86058344313529, "q": [5.34951478759171, 0.0689235476467542]},
    "Papua": {"k": 2, "estimate": 9.08562993197279, "se": 3.37845044046763, "stat": 2.68928909630985, "p": 0.226638040320161, "ci": [-33.8416530556285, 52.0129129195741], "pi": [-55.9769020196983, 74.1481618836439], "tau2": 14.8059238095238, "i2": 60.432342079689, "h2": 2.52731663323109, "q": [2.52731663323109, 0.111890347721478]},
}  # fmt: skip

# R: fit <- rma(yi, vi, mods = ~ factor(m), data = d, method = M, test = T); "qm" = QM, QMdf, QMp
SUBGROUPS = {
    ("bcg", "alloc", "REML", "knha"): {"qm": [0.966220844813303, 2, 10, 0.413383745721665], "tau2": 0.3615036643239, "i2": 88.7709035717039, "q": [132.367638262708, 1.53521295641922e-23], "k": 13},
    ("bcg", "alloc", "REML", "z"): {"qm": [1.76751140193194, 2, np.nan, 0.413228032757317], "tau2": 0.3615036643239, "i2": 88.7709035717039, "q": [132.367638262708, 1.53521295641922e-23], "k": 13},
    ("md", "province", "REML", "knha"): {"qm": [0.37286288625406, 2, 5, 0.706419655554121], "tau2": 8.06166053569372, "i2": 64.1439428133656, "q": [13.1966192913952, 0.0216042769231378], "k": 8},
    ("md", "province", "DL", "knha"): {"qm": [0.379273978229182, 2, 5, 0.702493873364205], "tau2": 7.38747707841429, "i2": 62.1115083371372, "q": [13.1966192913952, 0.0216042769231378], "k": 8},
}  # fmt: skip

# R: fit <- rma(yi, vi, mods = ~ year, data = d, test = T, control = list(threshold = 1e-10))
# (with year near 2025 metafor's tau² settles only to about 1e-10; ~ I(year - 2025) for center)
REGRESSIONS = {
    ("bcg", 0, "knha"): {"qm": [2.69754644130198, 1, 11, 0.128753760352053], "tau2": 0.266555772379149, "i2": 87.6935971892952, "q": [100.178249422139, 1.64642985749147e-16], "k": 13, "b": [-53.1711177958972, 0.0266626478021066], "se": [31.9419872152658, 0.0162337484021519], "stat": [-1.66461521124414, 1.64242090868997], "p": [0.124184043133279, 0.128753760352053], "ci_lb": [-123.474957640534, -0.00906759152369106], "ci_ub": [17.1327220487397, 0.0623928871279042]},
    ("md", 0, "knha"): {"qm": [0.242816833098913, 1, 6, 0.639690840202395], "tau2": 7.59443704164924, "i2": 62.8934495049486, "q": [15.899671065764, 0.0143027246307188], "k": 8, "b": [-1502.40377213963, 0.745989166931532], "se": [3065.78868805265, 1.5138858352677], "stat": [-0.490054574861758, 0.49276448035437], "p": [0.641497605417044, 0.639690840202395], "ci_lb": [-9004.11844604185, -2.95835602466551], "ci_ub": [5999.31090176259, 4.45033435852857]},
    ("md", 0, "z"): {"qm": [0.247127064828472, 1, np.nan, 0.619105303761528], "tau2": 7.59443704164924, "i2": 62.8934495049486, "q": [15.899671065764, 0.0143027246307188], "k": 8, "b": [-1502.40377213963, 0.745989166931532], "se": [3038.93532343304, 1.50062564923944], "stat": [-0.494384911898152, 0.497118763303571], "p": [0.62103436765593, 0.619105303761528], "ci_lb": [-7458.60755741497, -2.19518305985482], "ci_ub": [4453.80001313571, 3.68716139371788]},
    ("md", 2025, "knha"): {"qm": [0.242816833089201, 1, 6, 0.63969084020896], "tau2": 7.59443704349556, "i2": 62.8934495080919, "q": [15.8996710632618, 0.0143027246446636], "k": 8, "b": [8.22429091950886, 0.745989166926527], "se": [1.26427744048957, 1.51388583528782], "stat": [6.50513143406571, 0.492764480344516], "p": [0.000628568071588388, 0.63969084020896], "ci_lb": [5.13071546723969, -2.95835602471974], "ci_ub": [11.317866371778, 4.4503343585728]},
}  # fmt: skip

# R: escalc("MC"/"SMCC", m1i = mean_post, m2i = mean_pre, sd1i = sd_post, sd2i = sd_pre,
#    ni = n, ri = ri, data = tr); d_z by hand: (m1 - m2) / sdd, 1/n + d_z^2/(2n).
ESCALC = {
    "MD": ([9.4, 6.1, 13.2, 4.4, 11.4, 6.40000000000001, 13.5, 6.5],
           [3.487248, 4.29806451612903, 5.17984444444445, 2.451355, 6.71390909090909, 3.23945185185185, 16.0946666666667, 3.29348571428572]),
    "g_z": ([0.974890012556791, 0.515119176203871, 1.30566991284643, 0.435734753436498, 0.904033881590106, 0.664360600001963, 0.821317669366569, 0.591942261205591],
            [0.0590082107316596, 0.0365378671885961, 0.102910386703122, 0.0273733096919046, 0.0640290286150653, 0.0452106482747216, 0.0891520904671244, 0.033577080580017]),
    "d_z": ([1.00673793201543, 0.528460489859497, 1.36703401139295, 0.444344261796834, 0.938006359265839, 0.684324875718597, 0.868854681916637, 0.605412582026237],
            [0.060270425275174, 0.0367624272474603, 0.107466166341808, 0.0274680227873972, 0.0654512711368899, 0.045709269176431, 0.0918302819429487, 0.0338074913496525]),
}  # fmt: skip


def _trainings(reference_data, measure: str = "MD") -> pd.DataFrame:
    tr = pd.read_csv(reference_data / "meta_trainings.csv")
    sd_diff = np.sqrt(tr["sd_post"] ** 2 + tr["sd_pre"] ** 2 - 2 * tr["ri"] * tr["sd_post"] * tr["sd_pre"])
    tr = tr.assign(mean_diff=tr["mean_post"] - tr["mean_pre"], sd_diff=sd_diff)
    effects = paired_effect_sizes(tr, n="n", mean_diff="mean_diff", sd_diff="sd_diff", measure=measure)
    return pd.concat([tr, effects], axis=1)


@pytest.fixture(scope="module")
def datasets(reference_data) -> dict[str, pd.DataFrame]:
    homog = pd.DataFrame({"yi": [0.50, 0.55, 0.45, 0.52, 0.48], "vi": [0.04, 0.05, 0.03, 0.06, 0.04]})
    return {"bcg": pd.read_csv(reference_data / "meta_bcg.csv"), "md": _trainings(reference_data),
            "gz": _trainings(reference_data, "g_z"), "homog": homog}


def _check_fit(row: pd.Series, expected: dict, rtol: float) -> None:
    got = {"k": row["k"], "estimate": row["estimate"], "se": row["se"], "stat": row["stat"], "p": row["p"],
           "ci": [row["ci_low"], row["ci_high"]], "pi": [row["pi_low"], row["pi_high"]], "tau2": row["tau2"],
           "i2": row["i2"], "h2": row["h2"], "q": [row["q"], row["q_p"]]}
    for key, value in expected.items():
        np.testing.assert_allclose(got[key], value, rtol=rtol, atol=1e-12, err_msg=key)


@pytest.mark.parametrize(("data", "method", "test"), list(FITS))
def test_meta_analysis_matches_metafor(datasets, data, method, test):
    res = meta_analysis(datasets[data], yi="yi", vi="vi", method=method, test=test)
    assert len(res) == 1 and res["method"].iloc[0] == method and res["test"].iloc[0] == test
    _check_fit(res.iloc[0], FITS[(data, method, test)], RTOL)
    np.testing.assert_equal(res["df"].iloc[0], FITS[(data, method, test)]["k"] - 1 if test == "knha" else np.nan)


@pytest.mark.parametrize("data", ["bcg", "md"])
def test_meta_analysis_within_1e6_of_metafor_defaults(datasets, data):
    res = meta_analysis(datasets[data], yi="yi", vi="vi").iloc[0]
    got = {"estimate": res["estimate"], "se": res["se"], "ci": [res["ci_low"], res["ci_high"]],
           "pi": [res["pi_low"], res["pi_high"]], "tau2": res["tau2"], "i2": res["i2"]}
    for key, value in DEFAULT_CONTROL[data].items():
        np.testing.assert_allclose(got[key], value, rtol=0, atol=1e-6 * max(1, np.max(np.abs(value))), err_msg=key)


def test_meta_analysis_per_group_equals_separate_fits(datasets):
    # Vectorized over provinces: one call, the values of three separate rma() fits.
    res = meta_analysis(datasets["md"], yi="yi", vi="vi", group="province")
    assert list(res.index) == ["Aceh", "Lampung", "Papua"] and res.index.name == "province"
    for province, expected in PROVINCES.items():
        _check_fit(res.loc[province], expected, RTOL)


@pytest.mark.parametrize(("data", "moderator", "method", "test"), list(SUBGROUPS))
def test_meta_subgroups_matches_metafor_qm(datasets, data, moderator, method, test):
    res = meta_subgroups(datasets[data], yi="yi", vi="vi", moderator=moderator, method=method, test=test).iloc[0]
    expected = SUBGROUPS[(data, moderator, method, test)]
    np.testing.assert_allclose([res["qm"], res["qm_df1"], res["qm_df2"], res["qm_p"]], expected["qm"], rtol=RTOL)
    np.testing.assert_allclose([res["tau2"], res["i2"]], [expected["tau2"], expected["i2"]], rtol=RTOL)
    np.testing.assert_allclose([res["q"], res["q_p"]], expected["q"], rtol=RTOL)
    assert res["k"] == expected["k"] and res["n_subgroups"] == 3


def test_meta_subgroups_vectorized_over_groups(datasets):
    # Two copies of the trainings as two scales, one with a province missing: each group's
    # test equals the fit on its own rows.
    md = datasets["md"]
    two = pd.concat([md.assign(scale="s1"), md[md["province"] != "Papua"].assign(scale="s2")])
    res = meta_subgroups(two, yi="yi", vi="vi", moderator="province", group="scale")
    alone = meta_subgroups(md[md["province"] != "Papua"], yi="yi", vi="vi", moderator="province")
    np.testing.assert_allclose(res.loc["s1", "qm"], SUBGROUPS[("md", "province", "REML", "knha")]["qm"][0], rtol=RTOL)
    assert res.loc["s2", "n_subgroups"] == 2 and res.loc["s2", "qm_df1"] == 1
    pd.testing.assert_series_equal(res.loc["s2"], alone.iloc[0], check_names=False, rtol=1e-10)


@pytest.mark.parametrize(("data", "center", "test"), list(REGRESSIONS))
def test_meta_regression_matches_metafor(datasets, data, center, test):
    res = meta_regression(datasets[data], yi="yi", vi="vi", moderator="year", center=center, test=test)
    expected = REGRESSIONS[(data, center, test)]
    assert list(res.index) == ["intercept", "year"]
    # 1e-7: metafor's own tau² is converged to about 1e-10 here (see above)
    for column, key in (("estimate", "b"), ("se", "se"), ("stat", "stat"), ("p", "p"),
                        ("ci_low", "ci_lb"), ("ci_high", "ci_ub")):
        np.testing.assert_allclose(res[column], expected[key], rtol=1e-7, err_msg=column)
    np.testing.assert_allclose(res["tau2"], expected["tau2"], rtol=1e-7)
    np.testing.assert_allclose(res["i2"], expected["i2"], rtol=1e-7)
    np.testing.assert_allclose(res["q"], expected["q"][0], rtol=1e-7)
    # metafor's QM test of the slope is the slope's squared t (F) or z statistic
    np.testing.assert_allclose(res["stat"].iloc[1] ** 2, expected["qm"][0], rtol=1e-7)


def test_meta_regression_by_group_index(datasets):
    md = datasets["md"]
    two = pd.concat([md.assign(scale="s1"), md.assign(scale="s2")])
    res = meta_regression(two, yi="yi", vi="vi", moderator="year", group="scale", center=2025)
    assert res.index.names == ["scale", "term"]
    assert list(res.index) == [("s1", "intercept"), ("s1", "year"), ("s2", "intercept"), ("s2", "year")]
    np.testing.assert_allclose(res["estimate"], REGRESSIONS[("md", 2025, "knha")]["b"] * 2, rtol=1e-7)


@pytest.mark.parametrize("measure", ["MD", "d_z", "g_z"])
def test_paired_effect_sizes_match_escalc(reference_data, measure):
    res = _trainings(reference_data, measure)
    np.testing.assert_allclose(res["yi"], ESCALC[measure][0], rtol=1e-12)
    np.testing.assert_allclose(res["vi"], ESCALC[measure][1], rtol=1e-12)
    assert (res["measure"] == measure).all()


def test_degenerate_groups_are_nan_with_warning():
    data = pd.DataFrame({"g": ["a", "a", "a", "b"], "yi": [1.0, 2.0, 1.5, 3.0], "vi": [0.1, 0.2, 0.1, 0.1]})
    with pytest.warns(EvalkitWarning, match="EK-ST-036"):
        res = meta_analysis(data, yi="yi", vi="vi", group="g")
    assert res.loc["b", "k"] == 1 and res.loc["b", ["estimate", "se", "tau2", "pi_low"]].isna().all()
    assert np.isfinite(res.loc["a", ["estimate", "se", "tau2"]].astype(float)).all()
    # identical effects: Knapp-Hartung's s² is 0, so se = 0 and the t statistic is NaN, not inf
    same = pd.DataFrame({"yi": [1.0, 1.0, 1.0], "vi": [0.1, 0.2, 0.1]})
    row = meta_analysis(same, yi="yi", vi="vi").iloc[0]
    assert row["tau2"] == 0 and row["se"] == 0 and np.isnan(row["stat"])
    with pytest.warns(EvalkitWarning) as record:
        one = meta_subgroups(data.assign(p="x"), yi="yi", vi="vi", moderator="p", group="g")
    messages = {w.message.code: str(w.message) for w in record}
    assert "'p'" in messages["EK-ST-038"] and messages["EK-ST-038"].endswith("a; uji moderator diisi NaN.")
    assert " b " in messages["EK-ST-036"]  # b has one training
    assert np.isnan(one.loc["a", "qm"])


def test_missing_effects_dropped_with_warning_and_bad_input_raises(datasets):
    bcg = datasets["bcg"].copy()
    bcg.loc[0, "yi"] = np.nan
    with pytest.warns(EvalkitWarning, match=r"EK-ST-035\] 1 "):
        assert meta_analysis(bcg, yi="yi", vi="vi")["k"].iloc[0] == 12
    with pytest.raises(EvalkitError, match=r"EK-ST-015\] .*'vi' .* 2: .* -0\.1 "):
        meta_analysis(pd.DataFrame({"yi": [1, 2], "vi": [0.1, -0.1]}), yi="yi", vi="vi")
    with pytest.raises(EvalkitError, match="EK-ST-014"):
        meta_analysis(datasets["bcg"], yi="yi", vi="vi", method="ML")
    with pytest.raises(EvalkitError, match="EK-ST-016"):
        meta_analysis([1, 2], yi="yi", vi="vi")
    with pytest.raises(EvalkitError, match="EK-ST-009"):
        meta_analysis(datasets["bcg"], yi="yi", vi="se")
    with pytest.raises(EvalkitError, match="EK-ST-039"):
        meta_regression(datasets["bcg"], yi="yi", vi="vi", moderator="year", center="2025x")


def test_inputs_not_modified(datasets):
    bcg = datasets["bcg"]
    before = bcg.copy()
    meta_analysis(bcg, yi="yi", vi="vi", group="alloc")
    meta_regression(bcg, yi="yi", vi="vi", moderator="year")
    pd.testing.assert_frame_equal(bcg, before)
