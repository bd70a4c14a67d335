"""JSON schemas to and from Connect schemas as Confluent's JsonSchemaData does it for ksqlDB's JSON_SR,
and JSON text <-> Connect values.

Every Connect type keeps its exact type in `connect.type` (`int32`, `float64`, `bytes`, `map`); optional
types are `{"oneOf": [{"type": "null"}, T]}`; each property carries its position in `connect.index`; a
MAP whose keys are optional strings (ksqlDB's) is an array of `{"key", "value"}` objects; DECIMAL is a
number titled `org.apache.kafka.connect.data.Decimal` with Connect's parameters; BYTES base64 text.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from ksqlserver.errors import FormatError, SerdeError
from ksqlserver.formats.javatext import java_double
from ksqlserver.formats.json_values import jackson_string
from ksqlserver.formats.sr.connect import (
    ARRAY,
    BOOL,
    BYTES_T,
    FLOAT32,
    FLOAT64,
    INT8,
    INT16,
    INT32,
    INT64,
    MAP,
    STR,
    STRUCT,
    CSchema,
    java_float,
)

NAMESPACE = "io.confluent.connect.json"
ONE_OF = NAMESPACE + ".OneOf"
ENUM = NAMESPACE + ".Enum"
Json = Any

_CONNECT_TYPES = {INT8: "int8", INT16: "int16", INT32: "int32", INT64: "int64", FLOAT32: "float32",
                  FLOAT64: "float64"}


# --- Connect -> JSON schema ---------------------------------------------------------------------------------


def from_connect(s: CSchema, index: int | None = None, ignore_optional: bool = False) -> Json:
    props: dict[str, Json] = {}
    body: dict[str, Json]
    t = s.type
    if t in (INT8, INT16, INT32, INT64):
        body = {"type": "integer"}
        props["connect.type"] = _CONNECT_TYPES[t]
    elif t in (FLOAT32, FLOAT64):
        body = {"type": "number"}
        props["connect.type"] = _CONNECT_TYPES[t]
    elif t == BOOL:
        body = {"type": "boolean"}
    elif t == STR:
        body = {"type": "string"}
        enum = [k[len(ENUM) + 1 :] for k, _ in s.params if k.startswith(ENUM + ".")]
        if enum:
            body = {"type": "string", "enum": enum}
    elif t == BYTES_T:
        body = {"type": "number" if s.is_decimal else "string"}
        props["connect.type"] = "bytes"
    elif t == ARRAY:
        body = {"type": "array", "items": from_connect(s.value)}  # type: ignore[arg-type]
    elif t == MAP:
        if s.key.type == STR and not s.key.optional:  # type: ignore[union-attr]
            body = {"type": "object", "additionalProperties": from_connect(s.value)}  # type: ignore[arg-type]
        else:
            entry = {"type": "object", "properties": {
                "key": from_connect(s.key, 0),  # type: ignore[arg-type]
                "value": from_connect(s.value, 1),  # type: ignore[arg-type]
            }}
            body = {"type": "array", "items": entry}
        props["connect.type"] = "map"
    elif t == STRUCT:
        if s.optional and not ignore_optional:
            combined: dict[str, Json] = {}
            if index is not None:
                combined["connect.index"] = index
            combined["oneOf"] = [{"type": "null"}, from_connect(s.required())]
            return combined
        body = {"type": "object", "properties": {n: from_connect(fs, i) for i, (n, fs) in enumerate(s.fields)}}
    else:
        raise FormatError(f"Unsupported type {t}")
    out: dict[str, Json] = {}
    if s.name is not None:
        out["title"] = s.name
    out.update(body)
    if s.doc is not None:
        out["description"] = s.doc
    if s.version is not None:
        props["connect.version"] = s.version
    params = {k: v for k, v in s.params if not k.startswith(NAMESPACE)}
    if params:
        props["connect.parameters"] = params
    if s.optional and not ignore_optional:
        inner = {**out, **props}
        combined = {}
        if index is not None:
            combined["connect.index"] = index
        combined["oneOf"] = [{"type": "null"}, inner]
        return combined
    out.update(props)
    if index is not None:
        out["connect.index"] = index
    return out


# --- JSON schema -> Connect ---------------------------------------------------------------------------------------


class JsonSchemaError(FormatError):
    """A JSON schema ksqlDB cannot translate."""


class _Refs:
    def __init__(self, root: Json, documents: Mapping[str, Json]) -> None:
        self.root = root
        self.documents = dict(documents)

    def resolve(self, ref: str) -> Json:
        doc, _, pointer = ref.partition("#")
        target = self.root if not doc else self.documents.get(doc)
        if target is None:
            raise JsonSchemaError(f"Unresolvable $ref: {ref}")
        for part in [p for p in pointer.split("/") if p]:
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, dict) or part not in target:
                raise JsonSchemaError(f"Unresolvable $ref: {ref}")
            target = target[part]
        return target


def to_connect(schema: Json, documents: Mapping[str, Json] | None = None) -> CSchema:
    """JsonSchemaData.toConnectSchema of a parsed JSON schema (`documents`: referenced schemas by name)."""
    return _to_connect(schema, _Refs(schema, documents or {}), False, ())


def _types(s: Json) -> list[str]:
    t = s.get("type")
    if isinstance(t, list):
        return [str(x) for x in t]
    if isinstance(t, str):
        return [t]
    if "properties" in s or "additionalProperties" in s:
        return ["object"]
    if "items" in s:
        return ["array"]
    if "enum" in s:
        return ["enum"]
    return []


def _to_connect(s: Json, refs: _Refs, optional: bool, stack: tuple[int, ...]) -> CSchema:
    from dataclasses import replace

    if s is True or s == {}:
        raise JsonSchemaError("Unsupported schema type org.everit.json.schema.TrueSchema")
    if not isinstance(s, dict):
        raise JsonSchemaError(f"Not a JSON schema: {s!r}")
    if "$ref" in s:
        target = refs.resolve(s["$ref"])
        if id(target) in stack:
            raise JsonSchemaError(f"Recursive JSON schemas are not supported: {s['$ref']}")
        return _to_connect(target, refs, optional, (*stack, id(target)))
    for key in ("oneOf", "anyOf"):
        if key in s:
            return _combined(s[key], refs, optional, stack)
    if "allOf" in s:
        merged: dict[str, Json] = {}
        for sub in s["allOf"]:
            sub = refs.resolve(sub["$ref"]) if isinstance(sub, dict) and "$ref" in sub else sub
            if isinstance(sub, dict):
                for k, v in sub.items():
                    if k == "properties" and isinstance(merged.get(k), dict):
                        merged[k] = {**merged[k], **v}
                    else:
                        merged.setdefault(k, v)
        return _to_connect(merged, refs, optional, stack)
    types = _types(s)
    if len(types) > 1:
        subs = [{**{k: v for k, v in s.items() if k != "type"}, "type": t} for t in types]
        return _combined(subs, refs, optional, stack)
    t = types[0] if types else None
    connect_type = s.get("connect.type")
    fields: tuple[tuple[str, CSchema], ...] = ()
    key = value = None
    params: dict[str, str] = {}
    if "enum" in s or "const" in s:
        ctype = STR
        params[ENUM] = ""
        for sym in s.get("enum", [s.get("const")]):
            params[f"{ENUM}.{sym}"] = str(sym)
    elif t == "boolean":
        ctype = BOOL
    elif t in ("integer", "number"):
        by_name = {"int8": INT8, "int16": INT16, "int32": INT32, "int64": INT64, "float32": FLOAT32,
                   "float64": FLOAT64, "bytes": BYTES_T}
        if connect_type is None:
            ctype = INT64 if t == "integer" else FLOAT64
        elif connect_type in by_name:
            ctype = by_name[connect_type]
        else:
            raise JsonSchemaError(f"Unsupported type {connect_type}")
    elif t == "string":
        ctype = BYTES_T if connect_type == "bytes" else STR
    elif t == "array":
        items = s.get("items")
        if items is None or isinstance(items, list):
            raise JsonSchemaError("Array schema did not specify the items type")
        if connect_type == "map" and isinstance(items, dict) and "properties" in items:
            props = items["properties"]
            ctype = MAP
            key = _to_connect(props.get("key"), refs, False, stack)
            value = _to_connect(props.get("value"), refs, False, stack)
        else:
            ctype = ARRAY
            value = _to_connect(items, refs, False, stack)
    elif t == "object":
        if connect_type == "map":
            ctype = MAP
            key = CSchema(STR, False)
            value = _to_connect(s.get("additionalProperties"), refs, False, stack)
        else:
            ctype = STRUCT
            props = s.get("properties") or {}
            ordered = sorted(
                enumerate(props.items()),
                key=lambda p: (p[1][1].get("connect.index", p[0]) if isinstance(p[1][1], dict) else p[0]),
            )
            fields = tuple((name, _to_connect(sub, refs, False, stack)) for _, (name, sub) in ordered)
    elif t == "null":
        raise JsonSchemaError("Unsupported schema type org.everit.json.schema.NullSchema")
    else:
        raise JsonSchemaError(f"Unsupported schema type {t}")
    out = CSchema(ctype, optional, fields=fields, key=key, value=value)
    title = s.get("title")
    if isinstance(title, str):
        out = replace(out, name=title)
    version = s.get("connect.version")
    if isinstance(version, int):
        out = replace(out, version=version)
    cp = s.get("connect.parameters")
    if isinstance(cp, dict):
        params.update({str(k): str(v) for k, v in cp.items()})
    if isinstance(s.get("description"), str):
        out = replace(out, doc=s["description"])
    if params:
        out = replace(out, params=tuple(params.items()))
    if "default" in s:
        out = replace(out, default=s["default"])
    return out


def _combined(subs: list[Json], refs: _Refs, optional: bool, stack: tuple[int, ...]) -> CSchema:
    nulls = [x for x in subs if isinstance(x, dict) and x.get("type") == "null"]
    others = [x for x in subs if x not in nulls]
    if len(subs) == 2 and len(nulls) == 1:
        return _to_connect(others[0], refs, True, stack)
    fields = tuple(
        (f"{ONE_OF}.field.{i}", _to_connect(sub, refs, True, stack)) for i, sub in enumerate(others)
    )
    return CSchema(STRUCT, optional or bool(nulls), ONE_OF, fields=fields)


# --- values ----------------------------------------------------------------------------------------------------

Writer = Callable[[Any], str]
_dumps = jackson_string  # Jackson's UTF-8 generator, as for JSON


def writer(s: CSchema) -> Writer:
    """A Connect value of schema `s` -> its JSON text, as JsonSchemaData and Jackson write it."""
    t = s.type
    if t in (INT8, INT16, INT32, INT64):
        return lambda v: "null" if v is None else str(int(v))
    if t == FLOAT64:
        return lambda v: "null" if v is None else _json_double(java_double(float(v)))
    if t == FLOAT32:
        return lambda v: "null" if v is None else _json_double(java_float(float(v)))
    if t == BOOL:
        return lambda v: "null" if v is None else ("true" if v else "false")
    if t == STR:
        return lambda v: "null" if v is None else _dumps(v)
    if t == BYTES_T:
        if s.is_decimal:
            return lambda v: "null" if v is None else format(v, "f")
        return lambda v: "null" if v is None else '"' + base64.b64encode(v).decode() + '"'
    if t == ARRAY:
        item = writer(s.value)  # type: ignore[arg-type]
        return lambda v: "null" if v is None else "[" + ",".join(item(x) for x in v) + "]"
    if t == MAP:
        kw, vw = writer(s.key), writer(s.value)  # type: ignore[arg-type]
        if s.key.type == STR and not s.key.optional:  # type: ignore[union-attr]
            return lambda v: "null" if v is None else (
                "{" + ",".join(_dumps(str(k)) + ":" + vw(x) for k, x in v.items()) + "}"
            )
        return lambda v: "null" if v is None else (
            "[" + ",".join('{"key":' + kw(k) + ',"value":' + vw(x) + "}" for k, x in v.items()) + "]"
        )
    if t == STRUCT:
        if s.name == ONE_OF:
            members = [(n, writer(fs)) for n, fs in s.fields]

            def one_of(v: Any) -> str:
                if v is None:
                    return "null"
                for n, w in members:
                    if v.get(n) is not None:
                        return w(v[n])
                return "null"

            return one_of
        parts = [(_dumps(n) + ":", n, writer(fs)) for n, fs in s.fields]
        if all(fs.optional and fs.default is None for _, fs in s.fields):
            return lambda v: "null" if v is None else "{" + ",".join(p + w(v.get(n)) for p, n, w in parts) + "}"
        # JsonSchemaData.fromConnectData: a null takes the field's default, else is null when the field is
        # optional, else writes nothing (the field is left out)
        full = [(p, n, w, fs.optional, fs.default) for (p, n, w), (_, fs) in zip(parts, s.fields, strict=True)]

        def fields(v: Any) -> str:
            if v is None:
                return "null"
            out = []
            for p, n, w, optional, default in full:
                x = v.get(n)
                if x is None:
                    if default is not None:
                        x = default
                    elif not optional:
                        continue
                out.append(p + w(x))
            return "{" + ",".join(out) + "}"

        return fields
    raise FormatError(f"JSON cannot write type {t}")


def _json_double(text: str) -> str:
    return f'"{text}"' if text[-1] in "yN" else text


Reader = Callable[[Any], Any]


def reader(s: CSchema) -> Reader:
    """Parsed JSON (floats as Decimal) -> the Connect value of schema `s` (JsonSchemaData.toConnectData)."""
    t = s.type

    def null_check(v: Any) -> Any:
        if s.default is not None:
            return s.default
        if s.optional:
            return None
        raise SerdeError(f"Invalid null value for required {t} field")

    def typed(conv: Callable[[Any], Any], kinds: tuple[type, ...]) -> Reader:
        def read(v: Any) -> Any:
            if v is None:
                return null_check(v)
            if not isinstance(v, kinds) or (isinstance(v, bool) and bool not in kinds):
                raise SerdeError(f"Cannot convert {type(v).__name__} value {v!r} to {t.lower()}")
            return conv(v)

        return read

    if t in (INT8, INT16, INT32, INT64):
        return typed(int, (int, Decimal))
    if t in (FLOAT32, FLOAT64):
        return typed(float, (int, float, Decimal))
    if t == BOOL:
        return typed(lambda v: v, (bool,))
    if t == STR:
        return typed(lambda v: v, (str,))
    if t == BYTES_T:
        if s.is_decimal:
            return typed(lambda v: v if isinstance(v, Decimal) else Decimal(v), (int, Decimal, str))

        def b64(v: Any) -> Any:
            try:
                return base64.b64decode(v, validate=True)
            except (binascii.Error, ValueError):
                raise SerdeError(f"Invalid base64 bytes: {v!r}") from None

        return typed(b64, (str,))
    if t == ARRAY:
        item = reader(s.value)  # type: ignore[arg-type]
        return typed(lambda v: [item(x) for x in v], (list,))
    if t == MAP:
        kr, vr = reader(s.key), reader(s.value)  # type: ignore[arg-type]

        def read_map(v: Any) -> Any:
            if isinstance(v, dict):
                return {kr(k): vr(x) for k, x in v.items()}
            return {kr(e.get("key")): vr(e.get("value")) for e in v}

        return typed(read_map, (dict, list))
    if t == STRUCT:
        if s.name == ONE_OF:
            members = [(n, reader(fs)) for n, fs in s.fields]

            def read_one_of(v: Any) -> Any:
                if v is None:
                    return null_check(v)
                out = dict.fromkeys(n for n, _ in members)
                for n, r in members:
                    try:
                        out[n] = r(v)
                        return out
                    except SerdeError:
                        continue
                raise SerdeError(f"No member of the oneOf matches {v!r}")

            return read_one_of
        fields = [(n, reader(fs)) for n, fs in s.fields]
        return typed(lambda v: {n: r(v.get(n)) for n, r in fields}, (dict,))
    raise FormatError(f"Unknown schema type: {t}")
