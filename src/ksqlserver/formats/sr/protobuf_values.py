"""Protobuf message <-> Connect value converters, as ProtobufData does them for ksqlDB: a parsed message of a
descriptor -> its Connect value (`message_reader`) and a Connect value -> a message (`message_writer`), with
DECIMAL as `confluent.type.Decimal`, DATE as `google.type.Date`, TIME as `google.type.TimeOfDay`, TIMESTAMP as
`google.protobuf.Timestamp`, unions as oneofs and nulls by the configured nullable representation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from google.protobuf import message_factory
from google.protobuf.descriptor import Descriptor, FieldDescriptor

from ksqlserver.errors import SerdeError
from ksqlserver.formats.sr.connect import (
    ARRAY,
    STRUCT,
    CSchema,
)
from ksqlserver.formats.sr.protobuf_schema import (
    DATE_TYPE,
    DECIMAL_TYPE,
    EPOCH,
    TIME_TYPE,
    TIMESTAMP_TYPE,
    UNWRAPPED,
    F,
    ProtoConfig,
    is_map_entry,
    synthetic_fields,
    union_field_name,
)

Conv = Callable[[Any], Any]


def _unscaled(value: bytes) -> int:
    return int.from_bytes(value, "big", signed=True) if value else 0


def decimal_of(msg: Any) -> Decimal:
    return Decimal(_unscaled(msg.value)).scaleb(-msg.scale)


def _decimal_bytes(d: Decimal) -> tuple[bytes, int, int]:
    sign, digits, exp = d.as_tuple()
    unscaled = int("".join(map(str, digits)) or "0") * (-1 if sign else 1)
    length = max(1, (unscaled.bit_length() + 8) // 8)
    return unscaled.to_bytes(length, "big", signed=True), len(digits), -int(exp)


def message_reader(d: Descriptor, c: CSchema, config: ProtoConfig, root: bool = True) -> Conv:
    """A parsed message of type `d` -> its Connect value (schema `c`, from `to_connect`)."""
    if root and config.unwrap_primitives and d.full_name in UNWRAPPED:
        return lambda m: m.value
    synthetic = synthetic_fields(d)
    plan: list[tuple[str, Any]] = []
    for oneof in d.oneofs:
        members = [f for f in oneof.fields if f.name not in synthetic]
        if not members:
            continue
        fname = union_field_name(oneof)
        union_schema = c.get(fname)
        readers = {f.name: _field_reader(f, union_schema.get(f.name), config) for f in members}  # type: ignore[union-attr]
        names = [f.name for f in members]

        def read_union(m: Any, oneof_name: str = oneof.name, readers: dict[str, Conv] = readers,
                       names: list[str] = names) -> Any:
            which = m.WhichOneof(oneof_name)
            if which is None:
                return None
            out = dict.fromkeys(names)
            out[which] = readers[which](getattr(m, which))
            return out

        plan.append((fname, ("union", read_union)))
    for f in d.fields:
        if f.containing_oneof is not None and f.name not in synthetic:
            continue
        fs = c.get(f.name)
        reader = _field_reader(f, fs, config)  # type: ignore[arg-type]
        presence = (f.message_type is not None and not f.is_repeated) or f.name in synthetic
        plan.append((f.name, ("field", f.name, reader, presence)))

    def read(m: Any) -> Any:
        out = {}
        for name, step in plan:
            if step[0] == "union":
                out[name] = step[1](m)
            else:
                _, attr, reader, presence = step
                if presence and not m.HasField(attr):
                    out[name] = None
                else:
                    out[name] = reader(getattr(m, attr))
        return out

    return read


def _field_reader(f: FieldDescriptor, s: CSchema, config: ProtoConfig) -> Conv:
    if f.is_repeated:
        m = f.message_type
        if m is not None and is_map_entry(m):
            if m.GetOptions().map_entry:
                k_read = _single_reader(m.fields[0], s.key, config)  # type: ignore[arg-type]
                v_read = _single_reader(m.fields[1], s.value, config)  # type: ignore[arg-type]
                return lambda v: {k_read(k): v_read(x) for k, x in v.items()}
            # an entry ProtobufData made: its value may be a repeated field (an ARRAY or MAP value)
            k_read = _field_reader(m.fields[0], s.key, config)  # type: ignore[arg-type]
            v_read = _field_reader(m.fields[1], s.value, config)  # type: ignore[arg-type]
            return lambda v: {k_read(e.key): v_read(e.value) for e in v}
        item = _single_reader(f, s.value if s.type == ARRAY else s, config)  # type: ignore[arg-type]
        return lambda v: [item(x) for x in v]
    return _single_reader(f, s, config)


def _single_reader(f: FieldDescriptor, s: CSchema, config: ProtoConfig) -> Conv:
    t = f.type
    if t == F.TYPE_ENUM:
        names = {v.number: v.name for v in f.enum_type.values}
        return lambda v: names.get(v, str(v))
    if t == F.TYPE_MESSAGE:
        full = f.message_type.full_name
        if full == DECIMAL_TYPE:
            return decimal_of
        if full == DATE_TYPE:
            return lambda m: (dt.date(m.year, m.month, m.day) - EPOCH).days
        if full == TIME_TYPE:
            return lambda m: ((m.hours * 60 + m.minutes) * 60 + m.seconds) * 1000 + m.nanos // 1_000_000
        if full == TIMESTAMP_TYPE:
            return lambda m: m.seconds * 1000 + m.nanos // 1_000_000
        if s is not None and s.type != STRUCT and full in UNWRAPPED:
            return lambda m: m.value
        return message_reader(f.message_type, s.required() if s is not None else s, config, root=False)
    if t in (F.TYPE_UINT32, F.TYPE_FIXED32):
        return lambda v: int(v)
    return lambda v: v


def message_writer(d: Descriptor, c: CSchema, config: ProtoConfig, root: bool = True) -> Callable[[Any], Any]:
    """A Connect value of schema `c` -> a message of type `d`."""
    cls = message_factory.GetMessageClass(d)
    if root and c.type != STRUCT:
        def wrap(v: Any) -> Any:
            m = cls()
            if v is not None:
                m.value = v
            return m

        return wrap
    setters = _setters(d, c, config)

    def write(v: Any) -> Any:
        m = cls()
        for set_field in setters:
            set_field(m, v)
        return m

    return write


def _setters(d: Descriptor, c: CSchema, config: ProtoConfig) -> list[Callable[[Any, Any], None]]:
    synthetic = synthetic_fields(d)
    out: list[Callable[[Any, Any], None]] = []
    for oneof in d.oneofs:
        members = [f for f in oneof.fields if f.name not in synthetic]
        if not members:
            continue
        fname = union_field_name(oneof)
        us = c.get(fname)
        member_setters = [(f.name, _field_setter(f, us.get(f.name), config)) for f in members]  # type: ignore[union-attr]

        def set_union(m: Any, v: Any, fname: str = fname, member_setters: list[Any] = member_setters) -> None:
            u = v.get(fname) if v is not None else None
            if u is None:
                return
            for name, setter in member_setters:
                if u.get(name) is not None:
                    setter(m, u[name])
                    return

        out.append(set_union)
    for f in d.fields:
        if f.containing_oneof is not None and f.name not in synthetic:
            continue
        fs = c.get(f.name)
        setter = _field_setter(f, fs, config)

        def set_field(m: Any, v: Any, name: str = f.name, setter: Any = setter) -> None:
            x = v.get(name) if v is not None else None
            if x is not None:
                setter(m, x)

        out.append(set_field)
    return out


NULL_ELEMENT = TypeError("null element in a repeated field")  # a NullPointerException (message null) in Java


def _field_setter(f: FieldDescriptor, s: CSchema | None, config: ProtoConfig) -> Callable[[Any, Any], None]:
    name = f.name
    if f.is_repeated:
        m = f.message_type
        if m is not None and is_map_entry(m):
            kf, vf = m.fields
            to_key = _value_maker(kf, s.key if s else None, config)
            to_val = _value_maker(vf, s.value if s else None, config)
            if m.GetOptions().map_entry:
                if vf.message_type is not None:
                    def set_map_msg(msg: Any, v: dict[Any, Any]) -> None:
                        target = getattr(msg, name)
                        for k, x in v.items():
                            if x is not None:
                                target[to_key(k)].CopyFrom(to_val(x))
                            else:
                                target[to_key(k)]

                    return set_map_msg

                def set_map(msg: Any, v: dict[Any, Any]) -> None:
                    target = getattr(msg, name)
                    for k, x in v.items():
                        target[to_key(k)] = to_val(x) if x is not None else _scalar_default(vf)

                return set_map

            # an entry ProtobufData made (mapDefinitionFromConnectSchema): key and value are fields as any
            # other, an ARRAY or MAP value a repeated one
            set_key = _field_setter(kf, s.key if s else None, config)
            set_value = _field_setter(vf, s.value if s else None, config)

            def set_entries(msg: Any, v: dict[Any, Any]) -> None:
                target = getattr(msg, name)
                for k, x in v.items():
                    e = target.add()
                    if k is not None:
                        set_key(e, k)
                    if x is not None:
                        set_value(e, x)

            return set_entries
        item = _value_maker(f, s.value if s is not None and s.type == ARRAY else s, config)
        if f.message_type is not None:
            def set_messages(msg: Any, v: list[Any] | dict[Any, Any]) -> None:
                target = getattr(msg, name)
                if isinstance(v, dict):
                    # a MAP whose entry ProtobufData does not read back as a map (its value repeated:
                    # isMapDescriptor), written entry by entry as mapDefinitionFromConnectSchema laid it out
                    v = [{"key": k, "value": x} for k, x in v.items()]
                for x in v:
                    if x is None:
                        raise NULL_ELEMENT
                    e = target.add()
                    e.CopyFrom(item(x))

            return set_messages

        def set_scalars(msg: Any, v: list[Any]) -> None:
            # ProtobufData passes a null element on to DynamicMessage.Builder.setField, whose FieldSet.verifyType
            # throws a NullPointerException: the record fails to serialize (observed on ksqlDB 0.29)
            if None in v:
                raise NULL_ELEMENT
            getattr(msg, name).extend(item(x) for x in v)

        return set_scalars
    make = _value_maker(f, s, config)
    if f.message_type is not None:
        return lambda msg, v: getattr(msg, name).CopyFrom(make(v))
    return lambda msg, v: setattr(msg, name, make(v))


def _scalar_default(f: FieldDescriptor) -> Any:
    t = f.type
    if t == F.TYPE_STRING:
        return ""
    if t == F.TYPE_BYTES:
        return b""
    if t == F.TYPE_BOOL:
        return False
    if t in (F.TYPE_FLOAT, F.TYPE_DOUBLE):
        return 0.0
    return 0


def _assign(msg: Any, name: str, f: FieldDescriptor, value: Any) -> None:
    if f.message_type is not None:
        getattr(msg, name).CopyFrom(value)
    else:
        setattr(msg, name, value)


def _value_maker(f: FieldDescriptor, s: CSchema | None, config: ProtoConfig) -> Conv:
    t = f.type
    if t == F.TYPE_ENUM:
        numbers = {v.name: v.number for v in f.enum_type.values}

        def enum(v: Any) -> Any:
            if isinstance(v, int):
                return v
            if v not in numbers:
                raise SerdeError(f"Unknown enum symbol {v!r} for {f.enum_type.full_name}")
            return numbers[v]

        return enum
    if t == F.TYPE_MESSAGE:
        m = f.message_type
        full = m.full_name
        cls = message_factory.GetMessageClass(m)
        if full == DECIMAL_TYPE:
            def decimal(v: Decimal) -> Any:
                value, precision, scale = _decimal_bytes(v)
                return cls(value=value, precision=precision, scale=scale)

            return decimal
        if full == DATE_TYPE:
            def date(v: int) -> Any:
                d = EPOCH + dt.timedelta(days=v)
                return cls(year=d.year, month=d.month, day=d.day)

            return date
        if full == TIME_TYPE:
            def time_of_day(v: int) -> Any:
                seconds, ms = divmod(v, 1000)
                minutes, sec = divmod(seconds, 60)
                return cls(hours=minutes // 60, minutes=minutes % 60, seconds=sec, nanos=ms * 1_000_000)

            return time_of_day
        if full == TIMESTAMP_TYPE:
            def timestamp(v: int) -> Any:
                seconds, ms = divmod(v, 1000)
                return cls(seconds=seconds, nanos=ms * 1_000_000)

            return timestamp
        if full in UNWRAPPED and (s is None or s.type != STRUCT):
            return lambda v: cls(value=v)
        return message_writer(m, s.required() if s is not None else CSchema(STRUCT), config, root=False)
    return lambda v: v
