"""JSON-string functions: EXTRACTJSONFIELD (a JSONPath subset) and TO_JSON_STRING."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.formats.javatext import date_text, time_text, timestamp_text
from ksqlserver.formats.json_format import writer
from ksqlserver.functions.registry import FunctionRegistry, fn

_STEP = re.compile(r"\.([^.\[\]]+)|\[\s*'([^']*)'\s*\]|\[\s*\"([^\"]*)\"\s*\]|\[\s*(-?\d+)\s*\]")


def extract_json_field(text: str, path: str) -> str | None:
    try:  # Jackson reads the first JSON value and ignores trailing text
        node, _ = json.JSONDecoder(parse_float=Decimal).raw_decode(text.strip())
    except ValueError:
        return None
    if not path.startswith("$"):
        return None
    for m in _STEP.finditer(path[1:]):
        name = m.group(1) or m.group(2) or m.group(3)
        if m.group(4) is not None:
            if not isinstance(node, list) or not 0 <= int(m.group(4)) < len(node):
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
    return _text(node)


def _text(node: Any) -> str:
    if isinstance(node, Decimal):
        return str(node)
    if isinstance(node, bool) or node is None:
        return json.dumps(node)
    if isinstance(node, dict):
        return (
            "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + _text(v) for k, v in node.items()) + "}"
        )
    if isinstance(node, list):
        return "[" + ",".join(_text(v) for v in node) + "]"
    return json.dumps(node, ensure_ascii=False)


def _to_json_factory(args: Sequence[SqlType | None]) -> Callable[[Any], str]:
    t = args[0] if args else None
    if t is None:
        return lambda v: "null"
    if t.base in ("TIMESTAMP", "DATE", "TIME"):
        text = {"TIMESTAMP": timestamp_text, "DATE": date_text, "TIME": time_text}[t.base]
        return lambda v: "null" if v is None else json.dumps(text(v))
    return writer(t)


def register(r: FunctionRegistry) -> None:
    fn(
        r,
        "TO_JSON_STRING",
        "Converts any value to its JSON text.",
        "JSON",
        (["ANY"], T.STRING, lambda v: v, "", False, _to_json_factory),
    )
    fn(
        r,
        "EXTRACTJSONFIELD",
        "Given a STRING that contains JSON data, extract the value at the specified "
        "JSONPath or NULL if the specified path does not exist.",
        "JSON",
        (["STRING", "STRING"], T.STRING, extract_json_field),
    )
