"""Safe YAML loading that remembers the line of every key, for compiler-style messages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .._errors import QuestionnaireError
from .._i18n import tr

# A document with aliases can expand exponentially ("billion laughs"): the walk that
# records line marks stops past this many nodes, far above any real questionnaire.
MAX_NODES = 200_000

_MSG_SYNTAX = {"code": "EK-QN-034",
    "id": "{file}:{line}: YAML tidak dapat dibaca: {problem}; periksa indentasi, titik dua dan tanda kutip.",
    "en": "{file}:{line}: the YAML cannot be parsed: {problem}; check indentation, colons and quotes.",
}
_MSG_TOO_BIG = {"code": "EK-QN-035",
    "id": "{file}: dokumen YAML mengembang melebihi {limit} simpul (alias berulang?); tulis isinya tanpa alias.",
    "en": "{file}: the YAML document expands past {limit} nodes (nested aliases?); write it out without aliases.",
}
_MSG_NOT_UTF8 = {"code": "EK-QN-037",
    "id": "{file}: berkas bukan teks UTF-8 ({reason}); simpan ulang sebagai UTF-8.",
    "en": "{file}: the file is not UTF-8 text ({reason}); save it again as UTF-8.",
}
_MSG_NOT_FOUND = {"code": "EK-QN-036",
    "id": "{file}: berkas tidak ditemukan.",
    "en": "{file}: file not found.",
}

Path_ = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans: only true/false, so that labels such as
    ``No``/``Yes`` or option codes ``y``/``n`` stay text (YAML 1.1's "Norway problem")."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))


def load_with_marks(path: str | Path) -> tuple[Any, dict[Path_, int], list[Path_]]:
    """Load one YAML document safely.

    Returns the data, a map from each key path to its 1-based line, and the paths of
    keys repeated within one mapping (YAML would silently keep the last value).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise QuestionnaireError([tr(_MSG_NOT_FOUND, file=path)]) from None
    except UnicodeDecodeError as exc:
        raise QuestionnaireError([tr(_MSG_NOT_UTF8, file=path, reason=exc.reason)]) from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        marks: dict[Path_, int] = {}
        duplicates: list[Path_] = []
        if node is not None:
            _walk(node, (), marks, duplicates, [0], path)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise QuestionnaireError(
            [tr(_MSG_SYNTAX, file=path, line=line, problem=exc.problem or exc.context)]
        ) from None
    except yaml.YAMLError as exc:
        raise QuestionnaireError([tr(_MSG_SYNTAX, file=path, line=1, problem=exc)]) from None
    finally:
        loader.dispose()
    return data, marks, duplicates


def _walk(node: yaml.Node, path: Path_, marks: dict[Path_, int], duplicates: list[Path_], count: list[int],
          file: Path) -> None:
    count[0] += 1
    if count[0] > MAX_NODES:
        raise QuestionnaireError([tr(_MSG_TOO_BIG, file=file, limit=MAX_NODES)])
    marks.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            if path + (key,) in marks and key_node.start_mark.line + 1 != marks[path + (key,)]:
                duplicates.append(path + (key,))
                marks[path + (key,)] = key_node.start_mark.line + 1
            marks.setdefault(path + (key,), key_node.start_mark.line + 1)
            _walk(value_node, path + (key,), marks, duplicates, count, file)
    elif isinstance(node, yaml.SequenceNode):
        for i, child in enumerate(node.value):
            _walk(child, path + (i,), marks, duplicates, count, file)


def line_of(marks: dict[Path_, int], path: Path_) -> int:
    """The line of ``path`` or of its nearest ancestor that has one."""
    while path not in marks and path:
        path = path[:-1]
    return marks.get(path, 1)


def format_path(path: Path_, data: Any = None) -> str:
    """``("items", 3, "type")`` -> ``items[k04].type``: list entries shown by their ``code``
    or ``id`` when they have one (what the author searches for), else by 1-based position."""
    out, node = "", data
    for part in path:
        if isinstance(part, int):
            entry = node[part] if isinstance(node, list) and part < len(node) else None
            label = (entry.get("code", entry.get("id")) if isinstance(entry, dict) else None)
            out += f"[{label}]" if isinstance(label, str) else f"[{part + 1}]"
        else:
            out += f".{part}" if out else str(part)
            entry = node.get(part) if isinstance(node, dict) else None
        node = entry
    return out or tr({"id": "(dokumen)", "en": "(document)"})
