"""analyze() runs each stage once and hands its result on (issue #20, item 1).

Stages: answers -> item and scale scores -> pairs -> matched table -> reviews. The reviews
called on their own compute the earlier stages themselves and give the same tables.
"""

from __future__ import annotations

import ast
from pathlib import Path
from unittest import mock

import pandas as pd
import pytest

import evalkit
from evalkit import review
from evalkit.pipeline import _matching, _scoring
from evalkit.questionnaire import WAVES

SRC = Path(evalkit.__file__).parent


@pytest.fixture(scope="module")
def q():
    return evalkit.load_questionnaire(evalkit.bundled_questionnaire())


@pytest.fixture(scope="module")
def waves(q):
    return tuple(evalkit.read_responses(evalkit.bundled_sample(w), q, wave=w) for w in WAVES[:2])


@pytest.mark.filterwarnings("ignore::evalkit.EvalkitWarning")
def test_analyze_scores_each_wave_once_and_matches_once(q, waves):
    with mock.patch.object(_scoring, "_item_matrix", wraps=_scoring._item_matrix) as scoring, \
            mock.patch.object(_matching, "find_pairs", wraps=_matching.find_pairs) as matching:
        evalkit.analyze(q, *waves)
    assert scoring.call_count == 2  # one per wave
    assert matching.call_count == 1


@pytest.mark.filterwarnings("ignore::evalkit.EvalkitWarning")
def test_reviews_on_their_own_give_the_tables_analyze_hands_on(q, waves):
    a = evalkit.analyze(q, *waves)
    pre, post = waves
    rel = pd.concat([review.reliability(q, w) for w in waves], ignore_index=True)
    pd.testing.assert_frame_equal(rel, a.reliability)
    stats = pd.concat([review.item_statistics(q, w) for w in waves], ignore_index=True)
    pd.testing.assert_frame_equal(stats, a.item_statistics)
    pd.testing.assert_frame_equal(review.item_analysis(q, pre, post), a.item_analysis)
    pd.testing.assert_frame_equal(review.item_change(q, pre, post), a.item_change)
    pd.testing.assert_frame_equal(review.attrition(q, a.ledger, a.scores_pre), a.attrition)


@pytest.mark.filterwarnings("ignore::evalkit.EvalkitWarning")
def test_one_duplicate_rule_the_ledger_and_latest_rows_agree(q, waves):
    a = evalkit.analyze(q, *waves)
    for w in waves:
        ledger = a.ledger[(a.ledger["wave"] == w.wave) & a.ledger["state"].isin(["used", "unmatched"])]
        assert sorted(evalkit.pipeline.latest_rows(w.data)) == sorted(ledger["row"])
    assert (a.ledger["state"] == "duplicate").sum() >= 1  # the sample has a repeated submission


def _wave_literals(path: Path) -> list[str]:
    """Wave names written as string literals in code: not in a docstring, a parameter's
    default or a module-level constant (the data tables)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    allowed = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            allowed.update(id(d) for d in ast.walk(node.args) if isinstance(d, ast.Constant))
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):  # docstrings
            allowed.add(id(node.value))
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            allowed.update(id(d) for d in ast.walk(node))
    return [f"{path.relative_to(SRC)}:{node.lineno}: {node.value!r}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and node.value in WAVES and id(node) not in allowed]


def test_wave_names_are_data_not_literals():
    files = [SRC / "analysis.py", *sorted((SRC / "pipeline").glob("*.py")), *sorted((SRC / "review").glob("*.py"))]
    found = [hit for path in files for hit in _wave_literals(path)]
    assert found == []
