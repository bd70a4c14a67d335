"""Connect <-> Avro datum adapters, as Confluent's AvroData converts values for ksqlDB: a datum fastavro read
with an Avro schema -> its Connect value (`reader_adapter`), and a Connect value -> the datum fastavro writes
(`writer_adapter`)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Context, Decimal
from typing import Any

from ksqlserver.errors import SerdeError
from ksqlserver.formats.sr.avro_schema import Json, is_map_entry, member_name
from ksqlserver.formats.sr.connect import CSchema

# DECIMAL values of up to 38 digits (and literals beyond): the default context's 28 digits would raise
_WIDE = Context(prec=1000)

Adapt = Callable[[Any], Any]


def _same(v: Any) -> Any:
    return v


def reader_adapter(s: Json) -> Adapt:
    """fastavro's datum (of a resolved schema) -> the Connect value: MapEntry arrays as dicts, unions of
    several types as the union struct (the member's field set), enums as strings."""
    t = s["type"]
    if t == "array":
        items = s["items"]
        if isinstance(items, dict) and is_map_entry(items):
            fs = {f["name"]: f for f in items["fields"]}
            ka, va = reader_adapter(fs["key"]["type"]), reader_adapter(fs["value"]["type"])
            return lambda v: None if v is None else {ka(e["key"]): va(e["value"]) for e in v}
        ia = reader_adapter(items)
        return _same if ia is _same else (lambda v: None if v is None else [ia(x) for x in v])
    if t == "map":
        va = reader_adapter(s["values"])
        return _same if va is _same else (lambda v: None if v is None else {k: va(x) for k, x in v.items()})
    if t in ("record", "error"):
        adapters = [(f["name"], reader_adapter(f["type"])) for f in s.get("fields") or []]
        if all(a is _same for _, a in adapters):
            return _same
        return lambda v: None if v is None else {n: a(v.get(n)) for n, a in adapters}
    if t == "__union":
        members = s["types"]
        non_null = [m for m in members if m["type"] != "null"]
        if len(non_null) == 1:
            return reader_adapter(non_null[0])
        names = [member_name(m) for m in non_null]
        checks = [(n, _python_check(m), reader_adapter(m)) for n, m in zip(names, non_null, strict=True)]

        def union(v: Any) -> Any:
            if v is None:
                return None
            out = dict.fromkeys(names)
            for n, check, a in checks:
                if check(v):
                    out[n] = a(v)
                    return out
            return out

        return union
    return _same


def _python_check(m: Json) -> Callable[[Any], bool]:
    t = m["type"]
    kinds: dict[str, tuple[type, ...]] = {
        "boolean": (bool,), "int": (int,), "long": (int,), "float": (float,), "double": (float,),
        "string": (str,), "enum": (str,), "bytes": (bytes, Decimal), "fixed": (bytes, Decimal),
        "array": (list,), "map": (dict,), "record": (dict,), "error": (dict,),
    }
    want = kinds.get(t, (object,))
    if t in ("int", "long"):
        return lambda v: isinstance(v, int) and not isinstance(v, bool)
    return lambda v: isinstance(v, want)


def writer_adapter(c: CSchema, s: Json) -> Adapt:
    """A Connect value of schema `c` -> fastavro's datum for the resolved Avro schema `s`."""
    t = s["type"]
    if t == "__union":
        non_null = [m for m in s["types"] if m["type"] != "null"]
        if len(non_null) == 1:
            return writer_adapter(c, non_null[0])
        inner = [(n, writer_adapter(fs, m)) for (n, fs), m in zip(c.fields, non_null, strict=False)]

        def union(v: Any) -> Any:
            if v is None:
                return None
            for n, a in inner:
                if v.get(n) is not None:
                    return a(v[n])
            return None

        return union
    if t == "array":
        items = s["items"]
        if isinstance(items, dict) and is_map_entry(items):
            fs = {f["name"]: f for f in items["fields"]}
            ka = writer_adapter(c.key, fs["key"]["type"])  # type: ignore[arg-type]
            va = writer_adapter(c.value, fs["value"]["type"])  # type: ignore[arg-type]
            return lambda v: None if v is None else [{"key": ka(k), "value": va(x)} for k, x in v.items()]
        ia = writer_adapter(c.value, items)  # type: ignore[arg-type]
        return _same if ia is _same else (lambda v: None if v is None else [ia(x) for x in v])
    if t == "map":
        va = writer_adapter(c.value, s["values"])  # type: ignore[arg-type]
        return _same if va is _same else (lambda v: None if v is None else {k: va(x) for k, x in v.items()})
    if t in ("record", "error"):
        adapters = []
        for f in s.get("fields") or []:
            fc = c.get(f["name"])
            adapters.append((f["name"], writer_adapter(fc, f["type"]) if fc is not None else _same))
        if all(a is _same for _, a in adapters):
            return _same
        return lambda v: None if v is None else {n: a(v.get(n)) for n, a in adapters}
    if t in ("bytes", "fixed") and str(s.get("logicalType", "")).lower() == "decimal":
        scale = int(s.get("scale", 0))
        exp = Decimal(1).scaleb(-scale)
        return lambda v: None if v is None else v.quantize(exp, context=_WIDE)
    if t == "enum":
        symbols = set(s.get("symbols") or [])

        def enum(v: Any) -> Any:
            if v is not None and v not in symbols:
                raise SerdeError(f"Not an enum symbol of {s.get('name')}: {v!r}")
            return v

        return enum
    return _same
