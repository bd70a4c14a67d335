"""Jackson's `writerWithDefaultPrettyPrinter()` (DefaultPrettyPrinter), as the CLI's JSON output writes
entities and rows: objects one field a line (`"name" : value`, two spaces per object level), arrays inline
(`[ a, b ]`, arrays add no indentation), empty containers as `{ }` and `[ ]`."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any


def dumps(value: Any) -> str:
    out: list[str] = []
    _write(value, 0, out)
    return "".join(out)


def _write(value: Any, level: int, out: list[str]) -> None:
    if isinstance(value, dict):
        if not value:
            out.append("{ }")
            return
        out.append("{")
        inner = "  " * (level + 1)
        for i, (k, v) in enumerate(value.items()):
            out.append(("," if i else "") + "\n" + inner + json.dumps(str(k)) + " : ")
            _write(v, level + 1, out)
        out.append("\n" + "  " * level + "}")
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[ ]")
            return
        out.append("[ ")
        for i, v in enumerate(value):
            if i:
                out.append(", ")
            _write(v, level, out)
        out.append(" ]")
    elif isinstance(value, Decimal):
        out.append(str(value))
    elif isinstance(value, str):
        out.append(json.dumps(value, ensure_ascii=False))
    else:
        out.append(json.dumps(value))
