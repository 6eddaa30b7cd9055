"""One way in for answers (issue #13): every public function taking answers accepts a path, a
Responses or a raw DataFrame with the same wave=/strict= semantics, and refuses anything else."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

import evalkit
from evalkit import review
from evalkit.pipeline import item_scores

pytestmark = pytest.mark.filterwarnings("ignore::evalkit.EvalkitWarning")  # the sample's 100% scorers

KEY = "0123456789abcdef"  # a fixed pseudonymization key, so ledgers compare equal


def _analyze(q, pre, post, **kwargs):
    """analyze's tables (its Responses name their source, which differs between input kinds)."""
    a = evalkit.analyze(q, pre, post, key=KEY, **kwargs)
    return {f.name: getattr(a, f.name) for f in dataclasses.fields(a)
            if isinstance(getattr(a, f.name), pd.DataFrame)}


# evalkit.reliability and evalkit.item_analysis are review.reliability and review.item_analysis.
assert evalkit.reliability is review.reliability and evalkit.item_analysis is review.item_analysis
ONE_WAVE = {"score": evalkit.score, "scoring.item_scores": item_scores, "reliability": evalkit.reliability,
            "review.item_statistics": review.item_statistics}
TWO_WAVES = {"gains": evalkit.gains, "item_analysis": evalkit.item_analysis,
             "review.item_change": review.item_change, "analyze": _analyze}
KINDS = ["path", "responses", "dataframe"]


def answers(q, kind: str, wave: str):
    path = evalkit.bundled_sample(wave)
    if kind == "path":
        return path
    if kind == "responses":
        return evalkit.read_responses(path, q, wave=wave)
    # Cells as typed, read by pandas itself (the post file is an Excel-style ';' CSV with a BOM).
    return pd.read_csv(path, dtype=str, keep_default_na=False, sep=None, engine="python", encoding="utf-8-sig")


def assert_same(result, expected):
    if isinstance(expected, dict):
        assert result.keys() == expected.keys()
        for name in expected:
            pd.testing.assert_frame_equal(result[name], expected[name], obj=name)
    else:
        pd.testing.assert_frame_equal(result, expected)


@pytest.fixture(scope="module")
def reference(q):
    """Each function's result from validated Responses (computed once)."""
    pre, post = (answers(q, "responses", w) for w in ("pre", "post"))
    out = {(name, wave): f(q, r) for name, f in ONE_WAVE.items() for wave, r in (("pre", pre), ("post", post))}
    out.update({name: f(q, pre, post) for name, f in TWO_WAVES.items()})
    return out


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("wave", ["pre", "post"])
@pytest.mark.parametrize("name", ONE_WAVE)
def test_one_wave_functions_take_every_kind(q, reference, name, wave, kind):
    assert_same(ONE_WAVE[name](q, answers(q, kind, wave), wave=wave), reference[name, wave])


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", TWO_WAVES)
def test_two_wave_functions_take_every_kind(q, reference, name, kind):
    result = TWO_WAVES[name](q, answers(q, kind, "pre"), answers(q, kind, "post"))
    assert_same(result, reference[name])


def test_the_issue_s_example_scores_a_dataframe(q, reference):
    frame = answers(q, "dataframe", "pre")
    assert_same(evalkit.score(q, frame), reference["score", "pre"])  # wave "pre" by default, as read_responses


@pytest.mark.parametrize("name", [*ONE_WAVE, *TWO_WAVES])
@pytest.mark.parametrize("bad", [42, ["pre.csv"], {"k01": ["a"]}, None])
def test_anything_else_is_the_library_s_error(q, name, bad):
    with pytest.raises(evalkit.EvalkitError, match=rf"EK-IO-032\] .* {type(bad).__name__}"):
        if name in ONE_WAVE:
            ONE_WAVE[name](q, bad)
        else:
            TWO_WAVES[name](q, bad, evalkit.bundled_sample("post"))


@pytest.mark.parametrize("name", ONE_WAVE)
def test_a_responses_of_another_wave_is_refused(q, name):
    post = answers(q, "responses", "post")
    with pytest.raises(evalkit.EvalkitError, match="EK-IO-033"):
        ONE_WAVE[name](q, post, wave="pre")


@pytest.mark.parametrize("name", [*ONE_WAVE, *TWO_WAVES])
def test_strict_applies_to_files_and_dataframes_alike(q, name, tmp_path):
    frame = answers(q, "dataframe", "pre")
    frame.loc[0, "k01"] = "z"
    path = tmp_path / "pre.csv"
    frame.to_csv(path, index=False)
    post = evalkit.bundled_sample("post")
    for bad in (frame, path):
        with pytest.raises(evalkit.DataError, match=r"(?s)EK-IO-022\] .*(pre\.csv|<DataFrame>):2: .*'k01'.*'z'"):
            ONE_WAVE[name](q, bad) if name in ONE_WAVE else TWO_WAVES[name](q, bad, post)
    if name in ("score", "gains"):  # lenient: the bad cell becomes missing, from either kind
        lenient = [ONE_WAVE[name](q, bad, strict=False) if name in ONE_WAVE else
                   TWO_WAVES[name](q, bad, post, strict=False) for bad in (frame, path)]
        assert_same(*lenient)
