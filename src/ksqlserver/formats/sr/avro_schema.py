"""Avro schemas to and from Connect schemas, as ksqlDB does it (its AvroSchemas naming, then Confluent's
AvroData with connect.meta.data on); the Connect <-> Avro datum adapters are in `avro_values`.

ksqlDB names every record and map of a schema after its path below the full schema name
(`io.confluent.ksql.avro_schemas.KsqlDataSourceSchema_ADDRESS`, `..._M_MapValue`), writes optional types
as `["null", T]` with `"default": null`, a MAP (its keys are optional strings) as an array of
`MapEntry` records, DECIMAL as bytes with the decimal logical type and Connect's parameters, DATE, TIME
and TIMESTAMP with their logical types.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ksqlserver.catalog.types import SqlType
from ksqlserver.errors import FormatError
from ksqlserver.formats.sr.connect import (
    ARRAY,
    BOOL,
    BYTES_T,
    DATE_NAME,
    DECIMAL_NAME,
    FLOAT32,
    FLOAT64,
    INT8,
    INT16,
    INT32,
    INT64,
    MAP,
    PRECISION,
    PRECISION_DEFAULT,
    SCALE,
    STR,
    STRUCT,
    TIME_NAME,
    TIMESTAMP_NAME,
    CSchema,
)

CONNECT_NAMESPACE = "io.confluent.connect.avro"
DEFAULT_NAME = CONNECT_NAMESPACE + ".ConnectDefault"
MAP_ENTRY = "MapEntry"
KSQL_NAMESPACE = "io.confluent.ksql.avro_schemas"
DEFAULT_VALUE_NAME = KSQL_NAMESPACE + ".KsqlDataSourceSchema"
UNION_NAME = CONNECT_NAMESPACE + ".Union"

Json = Any


def key_schema_name(source_name: str) -> str:
    """ksqlDB's default key schema name: the source name UPPER_UNDERSCORE -> UpperCamel, plus `Key`."""
    camel = "".join(part[:1].upper() + part[1:].lower() for part in source_name.split("_") if part)
    return f"{KSQL_NAMESPACE}.{camel}Key"


# --- ksqlDB's AvroSchemas: names for every record and map ---------------------------------------------------


def compatible_read(t: SqlType) -> tuple[SqlType, Callable[[Any], Any] | None]:
    """ksqlDB's AvroDataTranslator.toKsqlRow: a record is read into the Avro-compatible schema (struct
    field names with '.' as '_') and then given the SQL names back by position
    (ConnectSchemas.withCompatibleSchema). Returns the type to read into and the value renamer (None when
    no name changes)."""
    if t.base == "STRUCT" and t.fields:
        inner = [(n, n.replace(".", "_"), *compatible_read(ft)) for n, ft in t.fields]
        if all(a == b and conv is None for a, b, _, conv in inner):
            return t, None
        read = SqlType("STRUCT", fields=tuple((b, ft) for _, b, ft, _ in inner))
        return read, lambda v: None if v is None else {
            a: (conv(v[b]) if conv else v[b]) for a, b, _, conv in inner
        }
    if t.base == "ARRAY" and t.item is not None:
        item, conv = compatible_read(t.item)
        if conv is None:
            return t, None
        return SqlType("ARRAY", item=item), lambda v: None if v is None else [conv(x) for x in v]
    if t.base == "MAP" and t.item is not None:
        value, vconv = compatible_read(t.item)
        if vconv is None:
            return t, None
        return SqlType("MAP", key=t.key, item=value), lambda v: None if v is None else {
            k: vconv(x) for k, x in v.items()
        }
    return t, None


def avro_compatible(schema: CSchema, full_name: str) -> CSchema:
    return _compatible(schema, [full_name], True)


def _compatible(s: CSchema, names: list[str], root: bool) -> CSchema:
    if s.type == STRUCT:
        fields = tuple(
            (n.replace(".", "_"), _compatible(fs, [*names, n], False)) for n, fs in s.fields
        )
        return CSchema(STRUCT, s.optional and not root, s.name or "_".join(names), None, s.params, fields)
    if s.type == ARRAY:
        return CSchema(ARRAY, s.optional and not root, None, None, s.params,
                       value=_compatible(s.value, names, False))  # type: ignore[arg-type]
    if s.type == MAP:
        return CSchema(
            MAP, s.optional and not root, "_".join(names), None, s.params,
            key=_compatible(s.key, [*names, "MapKey"], False),  # type: ignore[arg-type]
            value=_compatible(s.value, [*names, "MapValue"], False),  # type: ignore[arg-type]
        )
    if not root or not s.optional:
        return s
    return CSchema(s.type, False, s.name, None, s.params)  # the root copy keeps name and parameters only


# --- Connect -> Avro (AvroData.fromConnectSchema) -----------------------------------------------------------------


def _split(full: str) -> tuple[str | None, str]:
    ns, _, name = full.rpartition(".")
    return (ns or None), name


class _FromConnect:
    def __init__(self) -> None:
        self.index = 0
        self.defined: dict[str, Json] = {}
        self.namespace: str | None = None  # the enclosing record's, for printing names

    def name_of(self, name: str | None) -> tuple[str | None, str]:
        if name is not None:
            return _split(name)
        self.index += 1
        return CONNECT_NAMESPACE, "ConnectDefault" + (str(self.index) if self.index > 1 else "")

    def named(self, ns: str | None, name: str, body: dict[str, Json]) -> dict[str, Json]:
        out: dict[str, Json] = {"type": body.pop("type"), "name": name}
        if ns and ns != self.namespace:
            out["namespace"] = ns
        out.update(body)
        return out

    def convert(self, s: CSchema, ignore_optional: bool = False) -> Json:
        t = s.type
        props: dict[str, Json] = {}
        base: Json
        if t in (INT8, INT16, INT32):
            base = {"type": "int"}
            if t != INT32:
                props["connect.type"] = t.lower()
        elif t == INT64:
            base = {"type": "long"}
        elif t == FLOAT32:
            base = {"type": "float"}
        elif t == FLOAT64:
            base = {"type": "double"}
        elif t == BOOL:
            base = {"type": "boolean"}
        elif t == STR:
            base = {"type": "string"}
        elif t == BYTES_T:
            base = {"type": "bytes"}
            if s.name == DECIMAL_NAME:
                base["scale"] = int(s.param(SCALE) or 0)
                base["precision"] = int(s.param(PRECISION) or PRECISION_DEFAULT)
        elif t == ARRAY:
            base = {"type": "array", "items": self.convert(s.value)}  # type: ignore[arg-type]
        elif t == MAP:
            if s.key.type == STR and not s.key.optional:  # type: ignore[union-attr]
                base = {"type": "map", "values": self.convert(s.value)}  # type: ignore[arg-type]
            else:
                if s.name is None:
                    ns, name, internal = CONNECT_NAMESPACE, MAP_ENTRY, False
                else:
                    ns, name = self.name_of(s.name)
                    internal = True
                outer = self.namespace
                entry = self.named(ns, name, {"type": "record"})
                self.namespace = ns
                entry["fields"] = [self.field("key", s.key), self.field("value", s.value)]  # type: ignore[arg-type]
                self.namespace = outer
                if internal:
                    entry["connect.internal.type"] = MAP_ENTRY
                base = {"type": "array", "items": entry}
        elif t == STRUCT:
            if s.optional:
                return ["null", self.convert(s.required())]
            ns, name = self.name_of(s.name)
            full = f"{ns}.{name}" if ns else name
            if full in self.defined:
                return full if ns != self.namespace else name
            record = self.named(ns, name, {"type": "record"})
            self.defined[full] = record
            outer = self.namespace
            self.namespace = ns
            record["fields"] = [self.field(n, fs) for n, fs in s.fields]
            self.namespace = outer
            base = record
        else:
            raise FormatError(f"Unknown schema type: {t}")
        if s.doc is not None:
            props["connect.doc"] = s.doc
        if s.version is not None:
            props["connect.version"] = s.version
        if s.params:
            props["connect.parameters"] = dict(s.params)
        if s.default is not None:
            props["connect.default"] = s.default
        if s.name is not None:
            props["connect.name"] = s.name
        logical = {DECIMAL_NAME: "decimal", TIME_NAME: "time-millis", TIMESTAMP_NAME: "timestamp-millis",
                   DATE_NAME: "date"}.get(s.name or "")
        if logical:
            props["logicalType"] = logical
        if isinstance(base, dict):
            connect_type = props.pop("connect.type", None)
            base.update(props)
            if connect_type is not None:
                base["connect.type"] = connect_type
            if len(base) == 1 and base["type"] in ("int", "long", "float", "double", "boolean", "string",
                                                     "bytes"):
                base = base["type"]
        if s.optional and not ignore_optional:
            return [base, "null"] if s.default is not None else ["null", base]
        return base

    def field(self, name: str, s: CSchema) -> dict[str, Json]:
        out: dict[str, Json] = {"name": name, "type": self.convert(s)}
        if s.default is not None:
            out["default"] = s.default
        elif s.optional:
            out["default"] = None
        return out


def from_connect(schema: CSchema) -> Json:
    """The Avro schema (parsed JSON) of a Connect schema."""
    return _FromConnect().convert(schema)


def ksql_avro_schema(schema: CSchema, full_name: str) -> Json:
    """What ksqlDB registers for a row (or unwrapped value) schema under `full_name`."""
    name = full_name.strip()
    if not name:
        raise FormatError("the schema name cannot be empty")
    compatible = avro_compatible(schema, name)
    _check_names(compatible)
    return from_connect(compatible)


def _check_names(s: CSchema) -> None:
    """AvroSchemaTranslator.fromConnectSchema: Avro's Schema.validateName on each record and field name, in
    the order AvroData.fromConnectSchema creates them (a record, then each field's type before its name)."""
    if s.type == STRUCT:
        if s.name:
            _valid_name(s.name.rsplit(".", 1)[-1])
        for n, fs in s.fields:
            _check_names(fs)
            _valid_name(n)
    elif s.type in (ARRAY, MAP):
        if s.type == MAP and s.name:  # its MapEntry record
            _valid_name(s.name.rsplit(".", 1)[-1])
        for inner in (s.key, s.value):
            if inner is not None:
                _check_names(inner)


def _valid_name(name: str) -> None:
    # Java's Character.isLetter / isLetterOrDigit, as far as Python's str predicates match them
    if not name:
        raise FormatError("Schema is not compatible with Avro: Empty name")
    if not (name[0].isalpha() or name[0] == "_"):
        raise FormatError(f"Schema is not compatible with Avro: Illegal initial character: {name}")
    if not all(c.isalnum() or c == "_" for c in name[1:]):
        raise FormatError(f"Schema is not compatible with Avro: Illegal character in: {name}")


def canonical_text(schema: Json) -> str:
    return json.dumps(schema, separators=(",", ":"), ensure_ascii=False)


# --- Avro -> Connect (AvroData.toConnectSchema) -------------------------------------------------------------------

_PRIMITIVES = ("null", "boolean", "int", "long", "float", "double", "bytes", "string")


class AvroSchemaError(FormatError):
    """An Avro schema that cannot be read (the parser's reason)."""


class _Names:
    """Named Avro types (records, enums, fixed) by full name, for references."""

    def __init__(self, extra: dict[str, Json] | None = None) -> None:
        self.types: dict[str, Json] = dict(extra or {})

    @staticmethod
    def full(name: str, namespace: str | None) -> str:
        if "." in name or not namespace:
            return name
        return f"{namespace}.{name}"


def resolve(schema: Json, names: _Names | None = None, namespace: str | None = None) -> Json:
    """The schema with every named reference replaced by its definition (recursion is refused, as
    ksqlDB refuses recursive Avro schemas) and every record annotated with `__full` (its full name)."""
    names = names or _Names()
    return _resolve(schema, names, namespace, ())


def _resolve(s: Json, names: _Names, ns: str | None, stack: tuple[str, ...]) -> Json:
    if isinstance(s, str):
        if s in _PRIMITIVES:
            return {"type": s}
        full = _Names.full(s, ns)
        if full not in names.types and s in names.types:
            full = s
        if full in stack or s in stack:
            raise AvroSchemaError(f"Recursive Avro schemas are not supported: {full}")
        if full not in names.types:
            raise AvroSchemaError(f'"{s}" is not a defined name. The type of the field must be a defined name')
        return names.types[full]
    if isinstance(s, list):
        return {"type": "__union", "types": [_resolve(m, names, ns, stack) for m in s]}
    if not isinstance(s, dict):
        raise AvroSchemaError(f"Not an Avro schema: {s!r}")
    t = s.get("type")
    if isinstance(t, (list, dict)) or (isinstance(t, str) and t not in _PRIMITIVES and t not in
                                        ("record", "error", "enum", "fixed", "array", "map")):
        inner = _resolve(t, names, ns, stack)
        extra = {k: v for k, v in s.items() if k != "type"}
        return {**inner, **extra} if extra and isinstance(inner, dict) else inner
    out = dict(s)
    if t in ("record", "error", "enum", "fixed"):
        name = s.get("name")
        if not isinstance(name, str):
            raise AvroSchemaError(f"No name in schema: {json.dumps(s)[:200]}")
        space = s.get("namespace", ns) if "." not in name else name.rpartition(".")[0]
        full = _Names.full(name, space)
        out["__full"] = full
        names.types[full] = out
        if t in ("record", "error"):
            out["fields"] = []
            for f in s.get("fields") or []:
                fd = dict(f)
                fd["type"] = _resolve(f["type"], names, space, (*stack, full))
                out["fields"].append(fd)
    elif t == "array":
        out["items"] = _resolve(s.get("items"), names, ns, stack)
    elif t == "map":
        out["values"] = _resolve(s.get("values"), names, ns, stack)
    return out


def to_connect(schema: Json) -> CSchema:
    """The Connect schema of a resolved (see `resolve`) Avro schema."""
    return _to_connect(schema, False, None)


def is_map_entry(s: Json) -> bool:
    if s.get("type") not in ("record", "error"):
        return False
    return s.get("__full") == f"{CONNECT_NAMESPACE}.{MAP_ENTRY}" or s.get("connect.internal.type") == MAP_ENTRY


def member_name(m: Json) -> str:
    if m["type"] in ("record", "error", "enum", "fixed"):
        return str(m["name"]).rpartition(".")[2]
    return "array" if m["type"] == "array" else "map" if m["type"] == "map" else str(m["type"])


def _to_connect(s: Json, force_optional: bool, default: Any) -> CSchema:
    t = s["type"]
    logical = s.get("logicalType")
    params: dict[str, str] = {}
    name: str | None = None
    version: int | None = None
    fields: tuple[tuple[str, CSchema], ...] = ()
    key = value = None
    if t == "boolean":
        ctype = BOOL
    elif t in ("bytes", "fixed"):
        ctype = BYTES_T
        if isinstance(logical, str) and logical.lower() == "decimal":
            scale = s.get("scale", 0)
            params[SCALE] = str(int(scale) if isinstance(scale, (int, float)) else 0)
            name, version = DECIMAL_NAME, None
            precision = s.get("precision")
            if precision is not None:
                if not isinstance(precision, int):
                    raise AvroSchemaError("precision property must be a JSON Integer.")
                if precision != PRECISION_DEFAULT:
                    params[PRECISION] = str(precision)
        if t == "fixed":
            params["connect.fixed.size"] = str(s.get("size"))
    elif t == "double":
        ctype = FLOAT64
    elif t == "float":
        ctype = FLOAT32
    elif t == "int":
        ctype = INT32
        if isinstance(logical, str) and logical.lower() == "date":
            name = DATE_NAME
        elif isinstance(logical, str) and logical.lower() == "time-millis":
            name = TIME_NAME
        elif logical is None and s.get("connect.type") in ("int8", "int16"):
            ctype = INT8 if s["connect.type"] == "int8" else INT16
    elif t == "long":
        ctype = INT64
        if isinstance(logical, str) and logical.lower() == "timestamp-millis":
            name = TIMESTAMP_NAME
    elif t == "string":
        ctype = STR
    elif t == "array":
        items = s["items"]
        if isinstance(items, dict) and is_map_entry(items):
            fs = {f["name"]: f for f in items.get("fields") or []}
            if len(fs) != 2 or "key" not in fs or "value" not in fs:
                raise AvroSchemaError(
                    "Found map encoded as array of key-value pairs, but array elements do not match the "
                    "expected format."
                )
            ctype = MAP
            key = _to_connect(fs["key"]["type"], False, None)
            value = _to_connect(fs["value"]["type"], False, None)
        else:
            ctype = ARRAY
            value = _to_connect(items, False, None)
    elif t == "map":
        ctype = MAP
        key = CSchema(STR, False)
        value = _to_connect(s["values"], False, None)
    elif t in ("record", "error"):
        ctype = STRUCT
        fields = tuple(
            (f["name"], _to_connect(f["type"], False, f.get("default"))) for f in s.get("fields") or []
        )
    elif t == "enum":
        ctype = STR
        params[UNION_NAME.replace("Union", "Enum")] = s.get("__full", s.get("name"))
        for sym in s.get("symbols") or []:
            params[f"{CONNECT_NAMESPACE}.Enum.{sym}"] = sym
    elif t == "__union":
        members = s["types"]
        non_null = [m for m in members if m["type"] != "null"]
        if len(members) == 2 and len(non_null) == 1:
            return _to_connect(non_null[0], True, default)
        seen: set[str] = set()
        out_fields = []
        for m in non_null:
            fname = member_name(m)
            if fname in seen:
                raise AvroSchemaError("Multiple union schemas map to the Connect union field name")
            seen.add(fname)
            out_fields.append((fname, _to_connect(m, True, None)))
        return CSchema(STRUCT, len(non_null) < len(members), UNION_NAME, fields=tuple(out_fields))
    elif t == "null":
        raise AvroSchemaError("Standalone null schemas are not supported by this converter")
    else:
        raise AvroSchemaError(f"Couldn't translate unsupported schema type {t}.")
    cv = s.get("connect.version")
    if cv is not None:
        if not isinstance(cv, int):
            raise AvroSchemaError(f"Invalid Connect version found: {cv}")
        version = cv
    elif name in (DATE_NAME, TIME_NAME, TIMESTAMP_NAME, DECIMAL_NAME):
        version = 1
    cp = s.get("connect.parameters")
    if isinstance(cp, dict):
        params.update({str(k): str(v) for k, v in cp.items()})
    cn = s.get("connect.name")
    if isinstance(cn, str):
        name = cn
    elif t in ("record", "error", "enum", "fixed"):
        name = s.get("__full", s.get("name"))
    if name is not None and name.startswith(DEFAULT_NAME):
        name = None
    if default is None:
        default = s.get("connect.default")
    return CSchema(ctype, force_optional, name, version, tuple(params.items()), fields, key, value,
                   s.get("connect.doc"), default)


