"""Fast JSON object writers for rows of plain values: the compiled `native/jsonrow.c` where it builds, else
one generated orjson call, instead of a Python writer per field.

Used only where orjson's text is the generic writers' (`formats.json_format.writer`): doubles in the range
where the shortest repr is Java's Double.toString, exact ints, bools, strs (escaped as json's encoder does)
and nulls, each checked inline by class. Any other row (an int in a DOUBLE column, a huge double, a lone
surrogate, ...) returns None and the generic writers render it.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable, Sequence
from typing import Any

import orjson

from ksqlserver.catalog.types import Column
from ksqlserver.compile.codegen import Emitter
from ksqlserver.formats import json_values
from ksqlserver.formats.java_plain import repr_is_java
from ksqlserver.formats.javanum import MILLIS_PER_DAY
from ksqlserver.formats.native import textformats

_dumps = json.JSONEncoder(ensure_ascii=False).encode
# per column type: code true where orjson writes the value named `v` exactly as the generic writer does
_CHECKS: dict[str, Callable[[str], str]] = {
    "DOUBLE": lambda v: f"({v}.__class__ is float and {repr_is_java(v)})",
    "INTEGER": lambda v: f"{v}.__class__ is int",
    "BIGINT": lambda v: f"{v}.__class__ is int",
    "STRING": lambda v: f"{v}.__class__ is str",
    "BOOLEAN": lambda v: f"{v}.__class__ is bool",
    # the time types are longs to the generic writer and reader (json_format.writer, json_values: a TIME
    # within one day), written as BIGINT is
    "TIMESTAMP": lambda v: f"{v}.__class__ is int",
    "DATE": lambda v: f"{v}.__class__ is int",
    "TIME": lambda v: f"{v}.__class__ is int",
}


def exact_check(base: str, var: str) -> str:
    """Code true where orjson's text for the value `var` of a column of type `base` is the generic one."""
    return _CHECKS[base](var)

Serializer = Callable[[Sequence[Any]], "bytes | None"]


_CODES = {"DOUBLE": "D", "INTEGER": "I", "BIGINT": "I", "STRING": "S", "BOOLEAN": "B",
          "TIMESTAMP": "I", "DATE": "I", "TIME": "I"}  # fmt: skip


def native_row_writer(columns: Sequence[Column]) -> Serializer | None:
    """The compiled row writer (`native/jsonrow.c`) for these columns: the generic writers' exact text,
    or None for a row it leaves to them; None when the schema does not qualify or it did not build."""
    module = textformats()
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
    cond = " and ".join(f"(p{i} is None or {exact_check(c.type.base, f'p{i}')})" for i, c in enumerate(columns))
    items = ", ".join(f"{name!r}: p{i}" for i, name in enumerate(names))
    em = Emitter()
    with em.block("def _ser(values):"):
        em.guard(f"len(values) == {n}", "return None")
        em.line(f"{params} = values")
        em.guard(cond, "return None")
        with em.block("try:"):
            em.line(f"text = {em.bind(orjson.dumps, '_odumps')}({{{items}}})")
        with em.block("except TypeError:"):  # orjson.JSONEncodeError: lone surrogates, ints beyond 64 bits
            em.line("return None")
        # a control character (orjson: \u00xx, Jackson: \u00XX) or a character beyond the BMP (Jackson: an
        # escaped surrogate pair): the generic writer
        astral = em.bind(re.compile(rb"[\xf0-\xf4]").search, "_astral")
        em.line(f"return None if b'\\\\u00' in text or not (text.isascii() or not {astral}(text)) else text")
    return em.build("_ser", "<ksql json writer>")


# orjson gives exactly the generic parse's value for these classes; floats differ (the generic parse keeps
# the exact decimal: a STRING column takes its text as written, an INT its truncation), so a float is taken
# only for a DOUBLE column and below 2**63 in magnitude (an integer text beyond 64 bits is a float to orjson)
_SAFE = (str, int, bool)
_BIG = 9.2e18
_EXACT = {"DOUBLE": float, "STRING": str, "BOOLEAN": bool}  # as the generic decoder's (ints: narrowed)
# json_values reads TIMESTAMP, DATE and TIME as longs (to_int64), a TIME within one day (checked here)
_OBJECT_CODES = {"DOUBLE": "D", "BIGINT": "I", "INTEGER": "i", "STRING": "S", "BOOLEAN": "B",
                 "TIMESTAMP": "I", "DATE": "I", "TIME": "I"}  # fmt: skip
_LONGS = ("BIGINT", "TIMESTAMP", "DATE", "TIME")


def fast_deserializer(columns: Sequence[Column]) -> Callable[[bytes], list[Any] | None] | None:
    """A reader of a JSON object into these columns' values giving exactly the generic decoder's values
    (`formats.json_values`), or None for a value it leaves to it (not an object, not UTF-8, NaN, a float
    outside a DOUBLE column or out of range, a value whose class orjson and json could give differently, a
    coercion error); None when the schema does not qualify.

    orjson parses where json.loads does, to equal values (duplicate keys: the last value at the first
    key's place, as json), except: integers beyond 64 bits (orjson: float), NaN/Infinity/1e400, a UTF-8
    BOM, encoded surrogates and text after the value (orjson: refused). Refusals decline. A column missing
    under its exact name is looked up among the upper-cased keys as the generic decoder does. Where the C
    helpers build, the common flat object is read by `native/jsonobject.c` first; what it declines goes on
    to orjson."""
    if not columns or any(c.type.base not in _CHECKS for c in columns):
        return None
    n = len(columns)
    names = [c.name for c in columns]
    exacts = [_EXACT.get(c.type.base, type(None)) for c in columns]
    readers = [json_values.reader(c.type) for c in columns]

    def ci(obj: dict[Any, Any]) -> tuple[Any, ...]:
        upper = {str(k).upper(): x for k, x in obj.items()}
        return tuple(obj[k] if k in obj else upper.get(k) for k in names)

    def mixed(raw: Sequence[Any]) -> list[Any] | None:
        out = []
        for v, exact, read in zip(raw, exacts, readers, strict=True):
            k = v.__class__
            if k is float:
                if exact is not float or not -_BIG < v < _BIG or (not v and math.copysign(1.0, v) < 0):
                    return None  # -0.0: its text decides (json_values._read_double)
                out.append(v)
                continue
            if v is None or k is exact:
                out.append(v)
                continue
            if k not in _SAFE:
                return None
            try:
                out.append(read(v))
            except Exception:  # the generic decoder raises it again and words it
                return None
        return out

    em = Emitter()
    loads, decode_error = em.bind(orjson.loads, "_loads"), em.bind(orjson.JSONDecodeError, "_JDE")
    vs = [f"v{i}" for i in range(n)]
    lhs = ", ".join(vs) + ("," if n == 1 else "")
    checks = []
    for v, c in zip(vs, columns, strict=True):
        b = c.type.base
        if b == "DOUBLE":
            # a -0.0 goes to `mixed`, which declines it: its text decides (json_values._read_double)
            checks.append(f"({v}.__class__ is float and -{_BIG!r} < {v} < {_BIG!r} and ({v} or {v}.hex()[0] != '-'))")
        elif b == "INTEGER":
            checks.append(f"({v}.__class__ is int and -2147483648 <= {v} <= 2147483647)")
        elif b == "TIME":
            checks.append(f"({v}.__class__ is int and 0 <= {v} <= {MILLIS_PER_DAY})")
        elif b in _LONGS:
            checks.append(f"({v}.__class__ is int and -9223372036854775808 <= {v} <= 9223372036854775807)")
        else:
            checks.append(f"{v}.__class__ is {_EXACT[b].__name__}")
    module = textformats()
    with em.block("def _jde(data):"):
        if module is not None:  # the common flat object in one C call (native/jsonobject.c), else orjson
            keys = em.bind(tuple(x.encode() for x in names), "_keys")
            codes = em.bind("".join(_OBJECT_CODES[c.type.base] for c in columns).encode(), "_codes")
            em.line(f"vals = {em.bind(module.json_object, '_cobj')}({keys}, {codes}, data)")
            # a TIME out of its day: orjson's path below declines it too (json_values words the error)
            times = "".join(
                f" and (vals[{k}] is None or 0 <= vals[{k}] <= {MILLIS_PER_DAY})"
                for k, c in enumerate(columns)
                if c.type.base == "TIME"
            )
            with em.block(f"if vals is not None{times}:"):
                em.line("return vals")
        with em.block("try:"):
            em.line(f"obj = {loads}(data)")
        with em.block(f"except {decode_error}:"):
            em.line("return None")
        em.guard("obj.__class__ is dict", "return None")
        with em.block("try:"):
            em.line(f"{lhs} = {''.join(f'obj[{k!r}], ' for k in names)}")
        with em.block("except KeyError:"):  # a field missing under its exact name: case-insensitive
            em.line(f"{lhs} = {em.bind(ci, '_ci')}(obj)")
        with em.block(f"if {' and '.join(checks)}:"):
            em.line(f"return [{', '.join(vs)}]")
        em.line(f"return {em.bind(mixed, '_mixed')}(({lhs}))")
    return em.build("_jde", "<ksql json reader>")
