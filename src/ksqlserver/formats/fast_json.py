"""Fast JSON object writers for rows of plain values: the compiled `_ctext.json_row` where it builds, else
one generated orjson call, instead of a Python writer per field.

Used only where orjson's text is the generic writers' (`formats.json_format.writer`): doubles in the range
where the shortest repr is Java's Double.toString, exact ints, bools, strs (escaped as json's encoder does)
and nulls, each checked inline by class. Any other row (an int in a DOUBLE column, a huge double, a lone
surrogate, ...) returns None and the generic writers render it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from typing import Any

import orjson

from ksqlserver.catalog.types import Column
from ksqlserver.formats.native import ctext

_dumps = json.JSONEncoder(ensure_ascii=False).encode
_CHECKS = {
    "DOUBLE": "(p{i}.__class__ is float and (1e-3 <= p{i} < 1e7 or -1e7 < p{i} <= -1e-3 or p{i} == 0.0))",
    "INTEGER": "p{i}.__class__ is int",
    "BIGINT": "p{i}.__class__ is int",
    "STRING": "p{i}.__class__ is str",
    "BOOLEAN": "p{i}.__class__ is bool",
}

Serializer = Callable[[Sequence[Any]], "bytes | None"]


_CODES = {"DOUBLE": "D", "INTEGER": "I", "BIGINT": "I", "STRING": "S", "BOOLEAN": "B"}


def native_row_writer(columns: Sequence[Column]) -> Serializer | None:
    """The compiled row writer (`_ctext.json_row`) for these columns: the generic writers' exact text,
    or None for a row it leaves to them; None when the schema does not qualify or it did not build."""
    module = ctext()
    if module is None or not columns or any(c.type.base not in _CODES for c in columns):
        return None
    prefixes = [_dumps(c.name) + ":" for c in columns]
    heads = tuple(h.encode() for h in ["{" + prefixes[0], *("," + p for p in prefixes[1:]), "}"])
    codes = "".join(_CODES[c.type.base] for c in columns).encode()
    return functools.partial(module.json_row, heads, codes)


def fast_serializer(columns: Sequence[Column]) -> Serializer | None:
    """A writer of a JSON object with these columns, giving the generic text or None (not decided); None
    when the schema does not qualify. The compiled writer when it builds (it also writes what orjson
    cannot: Java's text for doubles beyond 1e-3..1e7, ints in DOUBLE columns), else one orjson call."""
    if (native := native_row_writer(columns)) is not None:
        return native
    if not columns or any(c.type.base not in _CHECKS for c in columns):
        return None
    names = [c.name for c in columns]
    if len(set(names)) != len(names) or any(_dumps(n) != orjson.dumps(n).decode() for n in names):
        return None
    n = len(columns)
    params = ", ".join(f"p{i}" for i in range(n)) + ("," if n == 1 else "")
    cond = " and ".join(
        f"(p{i} is None or {_CHECKS[c.type.base].format(i=i)})" for i, c in enumerate(columns)
    )
    items = ", ".join(f"{name!r}: p{i}" for i, name in enumerate(names))
    src = "\n".join(
        [
            "def _ser(values):",
            f"    if len(values) != {n}:",
            "        return None",
            f"    {params} = values",
            f"    if not ({cond}):",
            "        return None",
            "    try:",
            f"        return _odumps({{{items}}})",
            "    except TypeError:",  # orjson.JSONEncodeError: lone surrogates, ints beyond 64 bits
            "        return None",
        ]
    )
    ns: dict[str, Any] = {"_odumps": orjson.dumps}
    exec(compile(src, "<ksql json writer>", "exec"), ns)  # generated from the typed schema only
    return ns["_ser"]  # type: ignore[no-any-return]
