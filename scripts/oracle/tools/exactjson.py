"""JSON that keeps every number's text (0.0 stays 0.0, 1.10 stays 1.10) through load and dump."""

from __future__ import annotations

import json
import re
from typing import Any

_MARK = "\u0000num:"


class Num(str):
    """A JSON number kept as the text it was written with."""

    __slots__ = ()


def loads(text: str) -> Any:
    return json.loads(text, parse_float=Num, parse_int=Num)


def _mark(v: Any) -> Any:
    if isinstance(v, Num):
        return _MARK + str(v)
    if isinstance(v, dict):
        return {k: _mark(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_mark(x) for x in v]
    return v


_MARKED = re.compile(r'"\\u0000num:([^"]*)"')


def dumps(v: Any, indent: int | None = 1, ensure_ascii: bool = True) -> str:
    """json.dumps, with Num values written as bare numbers in their original text."""
    return _MARKED.sub(lambda m: m.group(1), json.dumps(_mark(v), indent=indent, ensure_ascii=ensure_ascii))


def plain(v: Any) -> Any:
    """Num -> int or float (for comparisons that do not care about the text)."""
    if isinstance(v, Num):
        return int(v) if re.fullmatch(r"-?\d+", v) else float(v)
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    return v
