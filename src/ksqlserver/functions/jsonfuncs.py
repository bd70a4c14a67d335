"""JSON-string functions: EXTRACTJSONFIELD (a JSONPath subset) and TO_JSON_STRING."""

from __future__ import annotations

import json
import re
from typing import Any

from ksqlserver import types as T
from ksqlserver.functions.registry import FunctionRegistry, fn

_STEP = re.compile(r"\.([^.\[\]]+)|\[\s*'([^']*)'\s*\]|\[\s*\"([^\"]*)\"\s*\]|\[\s*(\d+)\s*\]")


def extract_json_field(text: str, path: str) -> str | None:
    try:
        node: Any = json.loads(text)
    except ValueError:
        return None
    if not path.startswith("$"):
        return None
    for m in _STEP.finditer(path[1:]):
        name = m.group(1) or m.group(2) or m.group(3)
        if m.group(4) is not None:
            if not isinstance(node, list) or int(m.group(4)) >= len(node):
                return None
            node = node[int(m.group(4))]
        else:
            if not isinstance(node, dict) or name not in node:
                return None
            node = node[name]
    if node is None:
        return None
    if isinstance(node, str):
        return node
    return json.dumps(node, separators=(",", ":"), ensure_ascii=False)


def register(r: FunctionRegistry) -> None:
    fn(r, "EXTRACTJSONFIELD", "Given a STRING that contains JSON data, extract the value at the specified "
       "JSONPath or NULL if the specified path does not exist.", "JSON",
       (["STRING", "STRING"], T.STRING, extract_json_field))
