"""The package's layout rules (docs/architecture.md): no import cycles, no private name
taken from another subpackage, and the old import paths still work."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "evalkit"
#: Top-level private modules every stage may use: the base layer under the subpackages.
BASE = {"evalkit._constants", "evalkit._errors", "evalkit._i18n", "evalkit._lazy", "evalkit._numbers",
        "evalkit._form_labels", "evalkit._outputs", "evalkit._resources", "evalkit._significance", "evalkit.config"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in SRC.rglob("*.py"):
        parts = ["evalkit", *path.relative_to(SRC).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> list[tuple[str, list[str]]]:
    """(module imported, names taken) for every import in the file, lazy ones included."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(alias.name, []) for alias in node.names if alias.name.startswith("evalkit")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.startswith("evalkit"):
                out.append((target, [alias.name for alias in node.names]))
    return out


def _edges() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {name: set() for name in MODULES}
    for name, path in MODULES.items():
        for target, names in _imports(name, path):
            for module in [target] + [f"{target}.{n}" for n in names if f"{target}.{n}" in MODULES]:
                # Importing a module runs its packages' __init__ first, but a module never
                # waits on its own enclosing package (that one is already being imported).
                parts = module.split(".")
                for depth in range(2, len(parts) + 1):
                    dep = ".".join(parts[:depth])
                    if dep in MODULES and dep != name and not name.startswith(dep + "."):
                        edges[name].add(dep)
    return edges


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in edges:
        if v not in index:
            visit(v)
    return out


def _subpackage(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2])


def test_no_import_cycles():
    assert _cycles(_edges()) == []


def test_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_private_name_from_another_subpackage():
    offences = []
    for name, path in MODULES.items():
        for target, names in _imports(name, path):
            if _subpackage(target) == _subpackage(name) or target in BASE:
                continue
            private_module = any(part.startswith("_") for part in target.split(".")[1:])
            private_names = [n for n in names if n.startswith("_") and not n.endswith("__") and f"{target}.{n}" not in BASE]
            if private_module or private_names:
                offences.append(f"{name}: from {target} import {', '.join(names)}")
    assert offences == []


@pytest.mark.parametrize("path, names", [
    ("evalkit.report", ["write_report", "write_table", "write_workbook", "report_tables"]),
    ("evalkit.io", ["write_table", "escape_formulas", "read_table", "read_responses", "validate_responses"]),
    ("evalkit.review", ["reliability", "item_analysis", "item_change", "compare_groups", "attrition"]),
    ("evalkit.matching", ["match_waves", "normalize_codes", "fuzzy_pairs", "ledger_summary", "STATES"]),
    ("evalkit.privacy", ["pseudonymize", "load_key", "fuzzy_matches", "find_suppressed"]),
    ("evalkit.scoring", ["score", "item_scores"]),
    ("evalkit.analysis", ["analyze", "Analysis"]),
    ("evalkit.report_data", ["item_correct", "likert_distribution", "participant_flow"]),
    ("evalkit.report_suppress", ["report_tables", "find_suppressed", "suppress"]),
    ("evalkit.charts", ["prepost", "gain_forest", "small_multiples", "save", "likert_bars"]),
    ("evalkit.forms", ["to_xlsform", "from_xlsform", "printable_test", "entry_template"]),
    ("evalkit.questionnaire", ["load_questionnaire", "Questionnaire", "Item", "Scale", "Option", "fingerprint"]),
    ("evalkit.rollup", ["load_catalogue", "rollup", "write_package", "read_package", "example_catalogue"]),
])
def test_old_and_documented_import_paths_work(path, names):
    module = importlib.import_module(path)
    assert [n for n in names if not hasattr(module, n)] == []


def test_public_api_unchanged():
    import evalkit
    import evalkit.stats

    assert evalkit.__all__ == sorted(evalkit.__all__, key=str)
    assert set(evalkit.__all__) == {
        "ALL_GROUPS", "Analysis", "DataError", "EvalkitError", "EvalkitWarning", "Item", "OutputError", "Questionnaire",
        "QuestionnaireError", "ReportInfoError", "Responses", "Scale", "UndefinedStatisticWarning", "analyze",
        "bundled_questionnaire", "bundled_report_info", "bundled_sample", "config_context", "gains", "get_config",
        "get_language", "item_analysis", "load_questionnaire", "read_responses", "reliability", "rollup", "score",
        "set_config", "set_language", "simulate", "stats"}
    assert all(hasattr(evalkit, n) for n in evalkit.__all__)
    assert all(hasattr(evalkit.stats, n) for n in evalkit.stats.__all__)


def test_every_subpackage_says_what_it_holds():
    missing = [name for name, path in MODULES.items()
               if path.name == "__init__.py" and not (ast.get_docstring(ast.parse(path.read_text())) or "").strip()]
    assert missing == []


def _templates(value, key=""):
    """Every template of a ``_M``/``_T`` table, its languages only (a message's code aside)."""
    for k, template in _coded(value, key):
        yield k, {lang: text for lang, text in template.items() if lang != "code"}


def test_every_user_facing_text_has_both_languages():
    import pkgutil

    import evalkit

    missing = []
    for info in pkgutil.walk_packages(evalkit.__path__, "evalkit."):
        module = importlib.import_module(info.name)
        for table in ("_M", "_T"):
            for key, template in _templates(getattr(module, table, None)):
                if set(template) != {"id", "en"} or not all(template.values()):
                    missing.append(f"{info.name}.{table}[{key}]")
    assert missing == []


#: The code prefix of each subpackage's (or top-level module's) messages (docs/messages.md).
CODE_PREFIX = {"questionnaire": "QN", "io": "IO", "pipeline": "PL", "review": "RV", "stats": "ST", "privacy": "PR",
               "charts": "CH", "report": "RP", "forms": "FM", "rollup": "RU", "cli": "CLI", "config": "CFG",
               "_outputs": "OUT", "simulate": "SIM", "_i18n": "LANG"}


def _coded(value, key=""):
    """The templates of a message table, as they are (with their code)."""
    if isinstance(value, dict) and ("id" in value or "en" in value):
        yield key, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _coded(v, f"{key}.{k}" if key else str(k))


def _message_tables(module):
    """A module's message tables: ``_M`` and its ``MSG_*``/``_MSG_*`` constants."""
    for name, value in vars(module).items():
        if name == "_M" or name.lstrip("_").startswith("MSG_"):
            yield name, value


def test_every_message_has_a_unique_code_of_its_subpackage():
    """Errors and warnings carry stable codes (EK-IO-001): one per template, never reused,
    the prefix naming the subpackage the message lives in, both languages present."""
    import pkgutil
    import re

    import evalkit

    seen, bad = {}, []
    for info in pkgutil.walk_packages(evalkit.__path__, "evalkit."):
        module = importlib.import_module(info.name)
        prefix = CODE_PREFIX.get(info.name.split(".")[1])
        for table, value in _message_tables(module):
            for key, template in _coded(value):
                where = f"{info.name}.{table}[{key}]"
                code = template.get("code", "")
                if not re.fullmatch(rf"EK-{prefix}-\d{{3}}", code) or not (template.get("id") and template.get("en")):
                    bad.append(f"{where}: {code!r}")
                elif seen.setdefault(code, id(template)) != id(template):
                    bad.append(f"{where}: {code} used twice")
    assert bad == [] and len(seen) > 300


def test_no_function_of_complexity_grade_d_or_worse():
    """radon's grade D starts at a cyclomatic complexity of 21: such a function is split."""
    from radon.complexity import cc_rank, cc_visit

    worst = [f"{name}: {block.fullname} {cc_rank(block.complexity)} ({block.complexity})"
             for name, path in MODULES.items() for block in cc_visit(path.read_text(encoding="utf-8"))
             if block.complexity > 20]
    assert worst == []
