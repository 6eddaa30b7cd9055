"""Result packages: no personal data, and pooling from them equals pooling the raw answers."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest

import evalkit
from evalkit.rollup import read_package, rollup, write_package
from evalkit.stats import meta_analysis, paired_by_group

COMPARED = ["n", "mean_pre", "mean_post", "mean_diff", "sd_diff", "ci_low", "ci_high", "t", "df", "p", "d_z", "g_av"]


@pytest.fixture(scope="module")
def analyses(catalogue):
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for t in catalogue.trainings:
            q = evalkit.load_questionnaire(t.questionnaire)
            out[t.id] = evalkit.analyze(q, t.pre, t.post)
    return out


@pytest.fixture(scope="module")
def package_catalogue(catalogue, analyses, tmp_path_factory):
    """The same trainings as result packages only."""
    folder = tmp_path_factory.mktemp("paket")
    lines = ["trainings:"]
    for t in catalogue.trainings:
        path = write_package(analyses[t.id], folder / f"{t.id}.json")
        lines += [f"  - {{id: {t.id}, province: {t.province}, office: {t.office}, start: {t.start}, "
                  f"package: {path.name}}}"]
    (folder / "katalog.yaml").write_text("\n".join(lines) + "\n")
    return folder / "katalog.yaml"


def test_a_package_holds_no_personal_data(catalogue, analyses, tmp_path):
    analysis = analyses[catalogue.trainings[0].id]
    text = write_package(analysis, tmp_path / "p.json").read_text()
    content = json.loads(text)
    assert set(content) == {"format", "version", "questionnaire", "scales", "sums", "gains", "ledger"}
    pre = pd.read_csv(catalogue.trainings[0].pre, dtype=str)
    for column in ("kode_peserta", "nama", "no_hp"):
        if column in pre:
            assert not any(value in text for value in pre[column].dropna().unique() if len(value) >= 5), column
    for pseudonym in analysis.matched["participant"].astype(str).unique()[:50]:
        assert pseudonym not in text
    assert content["questionnaire"]["fingerprint"] == evalkit.questionnaire.fingerprint(analysis.questionnaire)


def test_a_package_reads_back_as_written(catalogue, analyses, tmp_path):
    analysis = analyses[catalogue.trainings[1].id]
    package = read_package(write_package(analysis, tmp_path / "p.json"))
    gains = analysis.gains.reset_index(drop=True)
    pd.testing.assert_series_equal(package.gains["mean_diff"], gains["mean_diff"], rtol=0, atol=0)
    assert package.ledger["rows_read"].tolist() == analysis.ledger_summary["rows_read"].tolist()
    groups = gains[gains["group"] != "ALL"]
    assert package.sums["n"].sum() == groups["n"].sum()


def _raw_matched(catalogue, analyses) -> pd.DataFrame:
    """Every training's matched pairs, the group scoped by the training."""
    parts = []
    for t in catalogue.trainings:
        m = analyses[t.id].matched
        parts.append(pd.DataFrame({"training": t.id, "province": t.province, "group": m["group"].astype(str),
                                   "scale": m["scale"].astype(str), "pre": m["pre"], "post": m["post"]}))
    return pd.concat(parts, ignore_index=True)


@pytest.mark.parametrize("level, table", [
    (["scale"], "national_gains"), (["scale", "province"], "province_gains"), (["scale", "training"], "training_gains")])
def test_pooling_packages_equals_pooling_raw_answers(catalogue, analyses, package_catalogue, level, table):
    raw = paired_by_group(_raw_matched(catalogue, analyses), pre="pre", post="post", group=level).reset_index()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from_packages = getattr(rollup(package_catalogue), table)
    merged = raw.merge(from_packages, on=level, suffixes=("_raw", "_pkg"))
    assert len(merged) == len(raw) == len(from_packages)
    for column in COMPARED:
        np.testing.assert_allclose(merged[f"{column}_pkg"], merged[f"{column}_raw"], rtol=1e-10, err_msg=column)


def test_rollup_from_answers_equals_rollup_from_packages(result, package_catalogue):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        other = rollup(package_catalogue)
    for name in ("training_gains", "province_gains", "national_gains", "effects", "meta", "subgroups", "trend"):
        pd.testing.assert_frame_equal(getattr(other, name), getattr(result, name), rtol=1e-12, obj=name)
    assert (result.trainings["source"] == "answers").all() and (other.trainings["source"] == "package").all()


def test_meta_analysis_is_that_of_the_training_effects(result):
    effects = result.effects
    assert set(effects["measure"]) == {"MD", "d_z"}
    national = result.meta[result.meta["level"] == "national"].set_index(["measure", "scale"])
    again = meta_analysis(effects, yi="yi", vi="vi", group=["measure", "scale"])
    np.testing.assert_allclose(national.loc[again.index, "estimate"], again["estimate"], rtol=1e-12)
    md = result.effects.query("measure == 'MD'").merge(result.training_gains, on=["training", "scale"])
    np.testing.assert_allclose(md["yi"], md["mean_diff"], rtol=1e-14)
    np.testing.assert_allclose(md["vi"], md["sd_diff"] ** 2 / md["n"], rtol=1e-12)
    assert set(result.subgroups["moderator"]) == {"province", "year"}
    assert set(result.trend["term"]) == {"intercept", "year"}


def test_a_scale_is_pooled_only_across_identical_fingerprints(catalogue, tmp_path):
    """One training re-keys a knowledge item: it leaves that scale, and only that scale."""
    source = evalkit.bundled_questionnaire()
    text = open(source, encoding="utf-8").read()
    assert "    key: b\n" in text
    changed = tmp_path / "kuesioner_v2.yaml"
    changed.write_text(text.replace("    key: b\n", "    key: c\n", 1), encoding="utf-8")
    first = catalogue.trainings[0]
    lines = ["trainings:"]
    for t in catalogue.trainings:
        q = changed if t is first else t.questionnaire
        lines.append(f"  - {{id: {t.id}, province: {t.province}, office: {t.office}, start: {t.start}, "
                     f"questionnaire: {q}, pre: {t.pre}, post: {t.post}}}")
    path = tmp_path / "katalog.yaml"
    path.write_text("\n".join(lines) + "\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = rollup(path)
    assert r.excluded[["training", "scale"]].values.tolist() == [[first.id, "pengetahuan"]]
    assert "berbeda dengan yang dipakai sebagian besar pelatihan" in r.excluded["reason"].iloc[0]
    k = r.scales.set_index("scale")["k"]
    assert k["pengetahuan"] == len(catalogue.trainings) - 1 and k["sikap"] == len(catalogue.trainings)
    assert first.id not in set(r.training_gains.query("scale == 'pengetahuan'")["training"])
    assert first.id not in set(r.groups.query("scale == 'pengetahuan'")["training"])
