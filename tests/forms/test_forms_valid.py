"""Every questionnaire the tests use exports an XLSForm that pyxform converts without a warning."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml

import evalkit
from evalkit.cli import main
from evalkit.forms import from_xlsform, to_xlsform

pyxform = pytest.importorskip("pyxform.xls2xform")

TESTS = Path(__file__).resolve().parents[1]


def _fixture_questionnaires() -> dict[str, str]:
    """The bundled questionnaire, every YAML questionnaire under tests/ and every one written inline in a test."""
    found = {"bundled": evalkit.bundled_questionnaire().read_text(encoding="utf-8")}
    for path in sorted(TESTS.rglob("*.yaml")):
        found[str(path.relative_to(TESTS))] = path.read_text(encoding="utf-8")
    for path in sorted(TESTS.rglob("test_*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) \
                    and isinstance(node.value.value, str) and "\nitems:" in node.value.value \
                    and "\nparticipant:" in node.value.value:
                found[f"{path.relative_to(TESTS)}:{node.targets[0].id}"] = node.value.value
    return found


FIXTURES = _fixture_questionnaires()


def _without_groups(text: str) -> str:
    data = yaml.safe_load(text)
    data.pop("groups", None)
    # a network item's options are the groups: without a group list it cannot be asked
    data["items"] = [i for i in data.get("items", []) if i.get("type") != "network"]
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def test_the_fixtures_are_found():
    assert {"bundled", "reference/data/review/questionnaire.yaml", "questionnaire/test_questionnaire.py:BASE",
            "pipeline/test_scoring_matching.py:TINY"} <= set(FIXTURES)


def _convert(path) -> str:
    warnings: list[str] = []
    xform = pyxform.convert(str(path), warnings=warnings).xform
    assert warnings == []
    return xform


@pytest.mark.parametrize("variant", ["as written", "without groups"])
@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_every_fixture_exports_a_valid_form(tmp_path, name, variant):
    text = FIXTURES[name] if variant == "as written" else _without_groups(FIXTURES[name])
    source = tmp_path / "q.yaml"
    source.write_text(text, encoding="utf-8")
    q = evalkit.load_questionnaire(source)
    for wave in (None, *q.waves):
        xform = _convert(to_xlsform(q, tmp_path / f"{wave}.xlsx", wave=wave, include_personal=True))
        assert f'id="{q.id if wave is None else f"{q.id}_{wave}"}"' in xform  # the form id pyxform kept


def test_without_groups_the_group_is_asked_as_text(tmp_path, capsys):
    source = tmp_path / "tanpa_kelompok.yaml"
    source.write_text(_without_groups(FIXTURES["bundled"]), encoding="utf-8")
    form = tmp_path / "form.xlsx"
    assert main(["xlsform", str(source), "-o", str(form)]) == 0
    xform = _convert(form)
    assert '<bind nodeset="/data/kelompok" type="string" required="true()"/>' in xform
    assert '<input ref="/data/kelompok">' in xform
    data = from_xlsform(form)
    assert data["participant"]["group_column"] == "kelompok" and "groups" not in data
