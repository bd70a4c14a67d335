"""Protobuf schemas to and from Connect schemas, as Confluent's ProtobufData does it for ksqlDB (the
`.proto` text of a descriptor is `protobuf_text`, the message <-> Connect value converters `protobuf_values`).

From SQL columns: one proto3 file whose root message is the schema's full name (package + name) or
`ConnectDefault1`; nested STRUCTs become nested messages `ConnectDefault2`, ... (in the order they are
met), a MAP a nested `ConnectDefaultNEntry` message with `key = 1` and `value = 2` and a repeated field,
DECIMAL `confluent.type.Decimal` with `(confluent.field_meta)` precision/scale, DATE `google.type.Date`,
TIME `google.type.TimeOfDay`, TIMESTAMP `google.protobuf.Timestamp`. Nulls are field defaults unless the
nullable representation is `OPTIONAL` (proto3 optional) or `WRAPPER` (google.protobuf wrappers).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from google.protobuf import descriptor_pb2, unknown_fields
from google.protobuf.descriptor import Descriptor, FieldDescriptor

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
    SCALE,
    STR,
    STRUCT,
    TIME_NAME,
    TIMESTAMP_NAME,
    CSchema,
    decimal_schema,
)

F = descriptor_pb2.FieldDescriptorProto
NAMESPACE = "io.confluent.connect.protobuf"
TAG = NAMESPACE + ".Tag"
TYPE_PROP = NAMESPACE + ".Type"
ENUM_PROP = NAMESPACE + ".Enum"
UNION_PREFIX = NAMESPACE + ".Union."
DEFAULT_NAME = "ConnectDefault"
DECIMAL_TYPE, DECIMAL_FILE = "confluent.type.Decimal", "confluent/type/decimal.proto"
DATE_TYPE, DATE_FILE = "google.type.Date", "google/type/date.proto"
TIME_TYPE, TIME_FILE = "google.type.TimeOfDay", "google/type/timeofday.proto"
TIMESTAMP_TYPE, TIMESTAMP_FILE = "google.protobuf.Timestamp", "google/protobuf/timestamp.proto"
META_FILE = "confluent/meta.proto"
WRAPPERS_FILE = "google/protobuf/wrappers.proto"
WRAPPERS = {
    INT32: "google.protobuf.Int32Value", INT8: "google.protobuf.Int32Value", INT16: "google.protobuf.Int32Value",
    INT64: "google.protobuf.Int64Value", FLOAT32: "google.protobuf.FloatValue",
    FLOAT64: "google.protobuf.DoubleValue", BOOL: "google.protobuf.BoolValue", STR: "google.protobuf.StringValue",
    BYTES_T: "google.protobuf.BytesValue",
}
UNWRAPPED = {
    "google.protobuf.DoubleValue": FLOAT64, "google.protobuf.FloatValue": FLOAT32,
    "google.protobuf.Int64Value": INT64, "google.protobuf.UInt64Value": INT64,
    "google.protobuf.Int32Value": INT32, "google.protobuf.UInt32Value": INT64,
    "google.protobuf.BoolValue": BOOL, "google.protobuf.StringValue": STR, "google.protobuf.BytesValue": BYTES_T,
}
_META_NUMBER = 1088
EPOCH = dt.date(1970, 1, 1)


@dataclass(frozen=True)
class ProtoConfig:
    """ProtobufData's settings as ksqlDB sets them from the format properties."""

    unwrap_primitives: bool = False  # wrapper.for.raw.primitives: wrapper messages (root or field) are primitives
    nullable_as_optional: bool = False  # optional.for.nullables
    nullable_as_wrapper: bool = False  # wrapper.for.nullables


# --- Connect -> descriptor ----------------------------------------------------------------------------------------


class _FromConnect:
    def __init__(self, config: ProtoConfig) -> None:
        self.config = config
        self.index = 0
        self.deps: list[str] = []
        self.nested: dict[str, set[str]] = {}

    def name_or_default(self, name: str | None) -> str:
        if name:
            return name
        self.index += 1
        return f"{DEFAULT_NAME}{self.index}"

    def unqualified(self, name: str | None) -> str:
        return self.name_or_default(name).rpartition(".")[2]

    def dep(self, name: str) -> None:
        if name not in self.deps:
            self.deps.append(name)

    def message(self, name: str, s: CSchema) -> descriptor_pb2.DescriptorProto:
        msg = descriptor_pb2.DescriptorProto(name=name)
        index = 1
        for fname, fs in s.fields:
            tag_param = fs.param(TAG)
            if tag_param is not None:
                tag = int(tag_param)
            else:
                tag, index = index, index + 1
            self.field(msg, fs, fname, tag)
        return msg

    def field(self, msg: descriptor_pb2.DescriptorProto, s: CSchema, name: str, tag: int) -> None:
        label = F.LABEL_OPTIONAL
        proto3_optional = False
        element = s
        if s.type == ARRAY:
            label, element = F.LABEL_REPEATED, s.value  # type: ignore[assignment]
        elif s.type == MAP:
            label = F.LABEL_REPEATED
        elif self.config.nullable_as_optional and s.optional:
            proto3_optional = True
        f = F(name=name, number=tag, label=label)
        params: dict[str, str] = {}
        self.set_type(f, msg, element, name, params)
        if params:
            self.dep(META_FILE)
            f.options.MergeFromString(_meta_option(params))
        if proto3_optional:
            f.proto3_optional = True
            f.oneof_index = len(msg.oneof_decl)
            msg.oneof_decl.add(name="_" + name)
        msg.field.append(f)

    def entry_field(self, m: descriptor_pb2.DescriptorProto, s: CSchema, name: str, tag: int) -> None:
        """A map entry's key or value: ProtobufData.mapDefinitionFromConnectSchema makes each a field as any
        other (an ARRAY or MAP value is repeated), added without its meta (no field_meta params)."""
        label, element = F.LABEL_OPTIONAL, s
        if s.type == ARRAY:
            label, element = F.LABEL_REPEATED, s.value  # type: ignore[assignment]
        elif s.type == MAP:
            label = F.LABEL_REPEATED
        f = F(name=name, number=tag, label=label)
        self.set_type(f, m, element, name, {})
        m.field.append(f)

    def set_type(
        self, f: Any, msg: descriptor_pb2.DescriptorProto, s: CSchema, fname: str, params: dict[str, str]
    ) -> None:
        wrap = self.config.nullable_as_wrapper and s.optional
        if s.name == DECIMAL_NAME:
            if s.param(PRECISION) is not None:
                params["precision"] = s.param(PRECISION)  # type: ignore[assignment]
            if s.param(SCALE) is not None:
                params["scale"] = s.param(SCALE)  # type: ignore[assignment]
            self.message_type(f, DECIMAL_TYPE, DECIMAL_FILE)
        elif s.name == DATE_NAME:
            self.message_type(f, DATE_TYPE, DATE_FILE)
        elif s.name == TIME_NAME:
            self.message_type(f, TIME_TYPE, TIME_FILE)
        elif s.name == TIMESTAMP_NAME:
            self.message_type(f, TIMESTAMP_TYPE, TIMESTAMP_FILE)
        elif s.type in WRAPPERS and wrap:
            if s.type in (INT8, INT16):
                params["connect.type"] = s.type.lower()
            self.message_type(f, WRAPPERS[s.type], WRAPPERS_FILE)
        elif s.type in (INT8, INT16, INT32):
            if s.type != INT32:
                params["connect.type"] = s.type.lower()
            f.type = _SCALAR_TYPES.get(s.param(TYPE_PROP) or "int32", F.TYPE_INT32)
        elif s.type == INT64:
            f.type = _SCALAR_TYPES.get(s.param(TYPE_PROP) or "int64", F.TYPE_INT64)
        elif s.type in (FLOAT32, FLOAT64, BOOL, BYTES_T):
            f.type = {FLOAT32: F.TYPE_FLOAT, FLOAT64: F.TYPE_DOUBLE, BOOL: F.TYPE_BOOL, BYTES_T: F.TYPE_BYTES}[s.type]
        elif s.type == STR:
            f.type = F.TYPE_STRING
        elif s.type == MAP:
            entry = self.unqualified(s.name)
            if "_" in entry:
                entry = "".join(p[:1].upper() + p[1:] for p in entry.lower().split("_"))
            entry += "Entry"
            m = descriptor_pb2.DescriptorProto(name=entry)
            self.entry_field(m, s.key, "key", 1)  # type: ignore[arg-type]
            self.entry_field(m, s.value, "value", 2)  # type: ignore[arg-type]
            msg.nested_type.append(m)
            f.type, f.type_name = F.TYPE_MESSAGE, entry
        elif s.type == STRUCT:
            name = self.unqualified(s.name)
            if name == fname:
                name += "Message"
            f.type, f.type_name = F.TYPE_MESSAGE, name
            children = self.nested.setdefault(msg.name, set())
            if name not in children:
                children.add(name)
                msg.nested_type.append(self.message(name, s))
        elif s.type == ARRAY:
            raise FormatError("Array cannot be nested")
        else:
            raise FormatError(f"Unknown schema type: {s.type}")

    def message_type(self, f: Any, type_name: str, file: str) -> None:
        f.type, f.type_name = F.TYPE_MESSAGE, "." + type_name
        self.dep(file)


_SCALAR_TYPES = {
    "int32": F.TYPE_INT32, "sint32": F.TYPE_SINT32, "sfixed32": F.TYPE_SFIXED32, "int64": F.TYPE_INT64,
    "uint32": F.TYPE_UINT32, "fixed32": F.TYPE_FIXED32, "uint64": F.TYPE_UINT64, "sint64": F.TYPE_SINT64,
    "fixed64": F.TYPE_FIXED64, "sfixed64": F.TYPE_SFIXED64,
}


def _varint(n: int) -> bytes:
    out = bytearray()
    while n & ~0x7F:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _length_delimited(number: int, payload: bytes) -> bytes:
    return _varint((number << 3) | 2) + _varint(len(payload)) + payload


def _meta_option(params: dict[str, str]) -> bytes:
    """`[(confluent.field_meta) = {params: [...]}]` as FieldOptions bytes (Meta.params is field 2)."""
    meta = b"".join(
        _length_delimited(2, _length_delimited(1, k.encode()) + _length_delimited(2, v.encode()))
        for k, v in params.items()
    )
    return _length_delimited(_META_NUMBER, meta)


def from_connect(schema: CSchema, full_name: str | None, config: ProtoConfig) -> descriptor_pb2.FileDescriptorProto:
    """The proto3 file ProtobufData makes of a Connect STRUCT (named `full_name` when given)."""
    if schema.type != STRUCT:
        raise FormatError(f"Unsupported root schema of type {schema.type}")
    ctx = _FromConnect(config)
    name = ctx.name_or_default(full_name or schema.name)
    package, _, simple = name.rpartition(".")
    fdp = descriptor_pb2.FileDescriptorProto(name="schema.proto", syntax="proto3")
    if package:
        fdp.package = package
    fdp.message_type.append(ctx.message(simple, schema))
    fdp.dependency.extend(ctx.deps)
    _qualify(fdp)
    return fdp


def _qualify(fdp: descriptor_pb2.FileDescriptorProto) -> None:
    """Relative nested type names -> fully qualified ones, as a compiled descriptor has them."""
    prefix = "." + fdp.package if fdp.package else ""

    def walk(msg: descriptor_pb2.DescriptorProto, scope: str) -> None:
        here = f"{scope}.{msg.name}"
        nested = {n.name for n in msg.nested_type}
        for f in msg.field:
            if f.type == F.TYPE_MESSAGE and not f.type_name.startswith("."):
                f.type_name = f"{here}.{f.type_name}" if f.type_name in nested else f"{scope}.{f.type_name}"
        for n in msg.nested_type:
            walk(n, here)

    for m in fdp.message_type:
        walk(m, prefix)


def wrapper_root(schema: CSchema) -> str:
    """The well-known wrapper message a primitive root is written as (PROTOBUF_NOSR unwrapped keys)."""
    if schema.type not in WRAPPERS or schema.name in (DECIMAL_NAME, DATE_NAME, TIME_NAME, TIMESTAMP_NAME):
        raise FormatError(f"Unsupported root schema of type {schema.type}")
    return WRAPPERS[schema.type]


# --- scalar type names and `(confluent.field_meta)` read back (also used by protobuf_text) -------------------

SCALAR_NAMES = {
    F.TYPE_DOUBLE: "double", F.TYPE_FLOAT: "float", F.TYPE_INT64: "int64", F.TYPE_UINT64: "uint64",
    F.TYPE_INT32: "int32", F.TYPE_FIXED64: "fixed64", F.TYPE_FIXED32: "fixed32", F.TYPE_BOOL: "bool",
    F.TYPE_STRING: "string", F.TYPE_BYTES: "bytes", F.TYPE_UINT32: "uint32", F.TYPE_SFIXED32: "sfixed32",
    F.TYPE_SFIXED64: "sfixed64", F.TYPE_SINT32: "sint32", F.TYPE_SINT64: "sint64",
}


def meta_params(options: Any) -> dict[str, str]:
    """The `params` of a `(confluent.field_meta)` option, read from the options' unknown fields."""
    out: dict[str, str] = {}
    try:
        fields = unknown_fields.UnknownFieldSet(options)
    except Exception:
        return out
    for uf in fields:
        if uf.field_number == _META_NUMBER and isinstance(uf.data, bytes):
            for key, value in _read_meta_params(uf.data):
                out[key] = value
    return out


def _read_fields(data: bytes) -> list[tuple[int, bytes]]:
    out = []
    pos = 0
    while pos < len(data):
        tag, pos = _read_varint(data, pos)
        number, wire = tag >> 3, tag & 7
        if wire == 2:
            length, pos = _read_varint(data, pos)
            out.append((number, data[pos : pos + length]))
            pos += length
        elif wire == 0:
            _, pos = _read_varint(data, pos)
        elif wire == 1:
            pos += 8
        elif wire == 5:
            pos += 4
        else:
            break
    return out


def _read_varint(data: bytes, pos: int) -> tuple[int, int]:
    n = shift = 0
    while True:
        b = data[pos]
        pos += 1
        n |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return n, pos


def _read_meta_params(meta: bytes) -> list[tuple[str, str]]:
    out = []
    for number, payload in _read_fields(meta):
        if number == 2:
            kv = dict(_read_fields(payload))
            out.append((kv.get(1, b"").decode(), kv.get(2, b"").decode()))
    return out


# --- descriptor -> Connect ---------------------------------------------------------------------------------------


def synthetic_fields(d: Descriptor) -> set[str]:
    """Names of `d`'s proto3-optional fields (their oneofs are synthetic, not unions)."""
    dp = descriptor_pb2.DescriptorProto()
    d.CopyToProto(dp)
    return {f.name for f in dp.field if f.proto3_optional}


def is_map_entry(d: Descriptor) -> bool:
    fields = d.fields
    return (
        (d.GetOptions().map_entry or d.name.endswith("Entry"))
        and len(fields) == 2
        and fields[0].name == "key"
        and fields[1].name == "value"
        and not fields[0].is_repeated
        and not fields[1].is_repeated
    )


def union_field_name(oneof: Any) -> str:
    return f"{oneof.name}_{oneof.index}"  # generate.index.for.unions


def to_connect(d: Descriptor, config: ProtoConfig, root: bool = True) -> CSchema:
    """ProtobufData.toConnectSchema of a message (non-optional at the root)."""
    if root and config.unwrap_primitives and d.full_name in UNWRAPPED:
        return CSchema(UNWRAPPED[d.full_name], False)
    return _struct(d, config, set())


def _struct(d: Descriptor, config: ProtoConfig, seen: set[str]) -> CSchema:
    if d.full_name in seen:
        raise FormatError(f"Recursive Protobuf schemas are not supported: {d.full_name}")
    seen = seen | {d.full_name}
    synthetic = synthetic_fields(d)
    fields: list[tuple[str, CSchema]] = []
    for oneof in d.oneofs:
        members = [f for f in oneof.fields if f.name not in synthetic]
        if not members:
            continue
        union = CSchema(
            STRUCT, True, UNION_PREFIX + oneof.name,
            fields=tuple((f.name, _field(f, config, seen, synthetic)) for f in members),
        )
        fields.append((union_field_name(oneof), union))
    for f in d.fields:
        if f.containing_oneof is not None and f.name not in synthetic:
            continue
        fields.append((f.name, _field(f, config, seen, synthetic)))
    return CSchema(STRUCT, False, d.name, fields=tuple(fields))


def _field(f: FieldDescriptor, config: ProtoConfig, seen: set[str], synthetic: set[str]) -> CSchema:
    t = f.type
    params: list[tuple[str, str]] = []
    if t in (F.TYPE_INT32, F.TYPE_SINT32, F.TYPE_SFIXED32):
        connect_type = meta_params(f.GetOptions()).get("connect.type")
        ctype = INT8 if connect_type == "int8" else INT16 if connect_type == "int16" else INT32
        if ctype == INT32 and t != F.TYPE_INT32:
            params.append((TYPE_PROP, SCALAR_NAMES[t]))
        s = CSchema(ctype)
    elif t in (F.TYPE_UINT32, F.TYPE_FIXED32, F.TYPE_INT64, F.TYPE_UINT64, F.TYPE_SINT64, F.TYPE_FIXED64,
               F.TYPE_SFIXED64):
        if t != F.TYPE_INT64:
            params.append((TYPE_PROP, SCALAR_NAMES[t]))
        s = CSchema(INT64)
    elif t == F.TYPE_FLOAT:
        s = CSchema(FLOAT32)
    elif t == F.TYPE_DOUBLE:
        s = CSchema(FLOAT64)
    elif t == F.TYPE_BOOL:
        s = CSchema(BOOL)
    elif t == F.TYPE_STRING:
        s = CSchema(STR)
    elif t == F.TYPE_BYTES:
        s = CSchema(BYTES_T)
    elif t == F.TYPE_ENUM:
        e = f.enum_type
        enum_params = [(ENUM_PROP, e.name)] + [(f"{ENUM_PROP}.{v.name}", str(v.number)) for v in e.values]
        s = CSchema(STR, True, e.name, params=tuple(enum_params))
    elif t == F.TYPE_MESSAGE:
        m = f.message_type
        full = m.full_name
        if full == DECIMAL_TYPE:
            meta = meta_params(f.GetOptions())
            precision = meta.get("precision")
            scale = int(meta.get("scale") or 0)
            s = decimal_schema(int(precision), scale) if precision else CSchema(
                BYTES_T, True, DECIMAL_NAME, 1, ((SCALE, str(scale)),)
            )
        elif full == DATE_TYPE:
            s = CSchema(INT32, True, DATE_NAME, 1)
        elif full == TIME_TYPE:
            s = CSchema(INT32, True, TIME_NAME, 1)
        elif full == TIMESTAMP_TYPE:
            s = CSchema(INT64, True, TIMESTAMP_NAME, 1)
        elif (config.nullable_as_wrapper or config.unwrap_primitives) and full in UNWRAPPED:
            # a wrapper-typed field is its primitive with wrapper.for.nullables, and with ksqlDB's
            # unwrapPrimitives (wrapper.for.raw.primitives) too: ProtobufSchemaTranslatorTest.shouldUnwrapPrimitives
            s = CSchema(UNWRAPPED[full], True)
        elif f.is_repeated and is_map_entry(m):
            k, v = m.fields
            s = CSchema(MAP, True, m.name, key=_field(k, config, seen, set()), value=_field(v, config, seen, set()))
            return _finish(s, f, config, params, synthetic, repeated_ok=False)
        else:
            s = _struct(m, config, seen).as_optional()
        s = s.as_optional()
    else:
        raise FormatError(f"Unknown Connect schema type: {t}")
    return _finish(s, f, config, params, synthetic)


def _finish(s: CSchema, f: FieldDescriptor, config: ProtoConfig, params: list[tuple[str, str]],
            synthetic: set[str], repeated_ok: bool = True) -> CSchema:
    from dataclasses import replace

    if f.is_repeated and repeated_ok:
        s = CSchema(ARRAY, True, value=s.as_optional())
    if config.nullable_as_optional:
        optional = s.optional or f.name in synthetic
    elif not config.nullable_as_wrapper:
        optional = True
    else:
        optional = s.optional
    return replace(s, optional=optional, params=s.params + tuple(params) + ((TAG, str(f.number)),))


