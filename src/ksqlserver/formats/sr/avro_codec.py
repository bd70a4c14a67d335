"""A generated Avro codec for flat records: every field a primitive (boolean, int, long, float, double,
string, bytes, possibly with a date/time/timestamp logical type) or the union of one with null. That is
what ksqlDB writes for rows of primitive columns, and what most producers register for events.

Runs of fixed-width fields (doubles, floats, booleans, their nullable unions) are read and written with one
`struct` call each when no value in the run is null (checked by their union branch bytes), the rest field
by field. fastavro remains the codec of everything else, and of any record this one finds malformed.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from ksqlserver.errors import SerdeError

_FIXED = {"double": ("d", 8), "float": ("f", 4), "boolean": ("?", 1)}
_IDENT = {"d": "d", "f": "f", "?": "b"}  # a struct code as part of a generated name
_VARINT = ("int", "long")
_SIZED = ("string", "bytes")


@dataclass(frozen=True)
class _Field:
    name: str
    kind: str  # boolean, int, long, float, double, string, bytes
    union: tuple[int, int] | None  # (zig-zag byte of the null branch, of the value branch) when nullable

    @property
    def fixed(self) -> bool:
        return self.kind in _FIXED


def _field_of(f: dict[str, Any]) -> _Field | None:
    t = f["type"]
    if t.get("type") == "__union":
        members = t["types"]
        if len(members) != 2:
            return None
        kinds = [m.get("type") for m in members]
        if kinds.count("null") != 1:
            return None
        value_index = 1 - kinds.index("null")
        inner = members[value_index]
        kind = inner.get("type")
        if kind not in (*_FIXED, *_VARINT, *_SIZED) or _has_decimal(inner):
            return None
        return _Field(f["name"], kind, (kinds.index("null") * 2, value_index * 2))
    kind = t.get("type")
    if kind not in (*_FIXED, *_VARINT, *_SIZED) or _has_decimal(t):
        return None
    return _Field(f["name"], kind, None)


def _has_decimal(t: dict[str, Any]) -> bool:
    return str(t.get("logicalType", "")).lower() == "decimal"


def _runs(fields: list[_Field]) -> list[tuple[bool, list[int]]]:
    """Consecutive fields grouped: (True, indexes) for runs of two or more fixed-width fields."""
    out: list[tuple[bool, list[int]]] = []
    for i, f in enumerate(fields):
        if f.fixed and out and out[-1][0]:
            out[-1][1].append(i)
        else:
            out.append((f.fixed, [i]))
    return [(fixed and len(idx) > 1, idx) for fixed, idx in out] if out else out


def _read_varint(buf: Any, pos: int) -> tuple[int, int]:
    n = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        n |= (b & 0x7F) << shift
        if b < 0x80:
            return (n >> 1) ^ -(n & 1), pos
        shift += 7
        if shift > 63:
            raise SerdeError("Malformed Avro varint")


def _zigzag(n: int) -> bytes:
    z = (n << 1) ^ (n >> 63)
    if z < 0x80:
        return _SMALL[z]
    out = bytearray()
    while z >= 0x80:
        out.append((z & 0x7F) | 0x80)
        z >>= 7
    out.append(z)
    return bytes(out)


_SMALL = [bytes([i]) for i in range(0x80)]


class Codec:
    """Encode/decode a flat record as a list of field values in schema order."""

    def __init__(self, fields: list[_Field]) -> None:
        self.fields = fields
        self.names = [f.name for f in fields]
        self.kinds = [f.kind for f in fields]
        self.decode_list: Callable[[Any], list[Any]] = self._compile_decoder()
        self.encode_list: Callable[[Any], bytes] = self._compile_encoder()

    # -- decoding -----------------------------------------------------------------------------------------

    def _compile_decoder(self) -> Callable[[Any], list[Any]]:
        ns: dict[str, Any] = {"_varint": _read_varint, "SerdeError": SerdeError, "_unpack": struct.unpack_from}
        lines = ["def decode(buf):", "    pos = 0", "    n = len(buf)"]
        names = [f"v{i}" for i in range(len(self.fields))]
        for k, (fixed_run, idx) in enumerate(_runs(self.fields)):
            if fixed_run:
                fmt = "<"
                tag_pos: list[int] = []
                val_pos: list[int] = []
                tags: list[int] = []
                size = 0
                for i in idx:
                    f = self.fields[i]
                    if f.union is not None:
                        tag_pos.append(len(tag_pos) + len(val_pos))
                        tags.append(f.union[1])
                        fmt += "B"
                        size += 1
                    val_pos.append(len(tag_pos) + len(val_pos))
                    fmt += _FIXED[f.kind][0]
                    size += _FIXED[f.kind][1]
                ns[f"_s{k}"] = struct.Struct(fmt)
                targets = ", ".join(names[i] for i in idx)
                if not tag_pos:  # no union in the run: its values are the unpacked tuple itself
                    lines += [
                        f"    if pos + {size} <= n:",
                        f"        {targets} = _s{k}.unpack_from(buf, pos)",
                        f"        pos += {size}",
                        "    else:",
                    ]
                    for i in idx:
                        lines += ["    " + ln for ln in self._field_code(i, names[i], ns)]
                    continue
                if len(tag_pos) > 1:  # every union on its value branch, compared in one go
                    ns[f"_t{k}"] = itemgetter(*tag_pos)
                    ns[f"_e{k}"] = tuple(tags)
                    tags_ok = f"_t{k}(t) == _e{k}"
                else:
                    tags_ok = f"t[{tag_pos[0]}] == {tags[0]}"
                ns[f"_g{k}"] = itemgetter(*val_pos)
                lines += [
                    f"    if pos + {size} <= n:",
                    f"        t = _s{k}.unpack_from(buf, pos)",
                    f"        if {tags_ok}:",
                    f"            {targets}, = _g{k}(t)" if len(idx) == 1 else f"            {targets} = _g{k}(t)",
                    f"            pos += {size}",
                    "        else:",
                    "            t = None",
                    "    else:",
                    "        t = None",
                    "    if t is None:",
                ]
                for i in idx:
                    lines += ["    " + ln for ln in self._field_code(i, names[i], ns)]
            else:
                for i in idx:
                    lines += self._field_code(i, names[i], ns)
        lines += ["    if pos != n:", "        raise SerdeError('trailing bytes after the Avro record')"]
        lines.append("    return [" + ", ".join(names) + "]")
        exec(compile("\n".join(lines), "<avro decoder>", "exec"), ns)
        return ns["decode"]  # type: ignore[no-any-return]

    def _field_code(self, i: int, var: str, ns: dict[str, Any]) -> list[str]:
        f = self.fields[i]
        body = self._value_code(f.kind, var, ns)
        if f.union is None:
            return ["    " + ln for ln in body]
        null_tag, value_tag = f.union
        return [
            "    b = buf[pos]",
            "    pos += 1",
            f"    if b == {value_tag}:",
            *["        " + ln for ln in body],
            f"    elif b == {null_tag}:",
            f"        {var} = None",
            "    else:",
            "        raise SerdeError('bad union branch')",
        ]

    @staticmethod
    def _value_code(kind: str, var: str, ns: dict[str, Any]) -> list[str]:
        if kind in _FIXED:
            code, size = _FIXED[kind]
            ns[f"_f{_IDENT[code]}"] = struct.Struct("<" + code).unpack_from
            return [f"{var}, = _f{_IDENT[code]}(buf, pos)", f"pos += {size}"]
        if kind in _VARINT:
            return [
                "b = buf[pos]",
                "if b < 0x80:",
                f"    {var} = (b >> 1) ^ -(b & 1)",
                "    pos += 1",
                "else:",
                f"    {var}, pos = _varint(buf, pos)",
            ]
        text = kind == "string"
        return [
            "b = buf[pos]",
            "if b < 0x80:",
            "    size = b >> 1",
            "    pos += 1",
            "else:",
            "    size, pos = _varint(buf, pos)",
            "if size < 0 or pos + size > n:",
            "    raise SerdeError('Avro length out of range')",
            f"{var} = str(buf[pos:pos + size], 'utf-8')" if text else f"{var} = bytes(buf[pos:pos + size])",
            "pos += size",
        ]

    # -- encoding -----------------------------------------------------------------------------------------

    def _compile_encoder(self) -> Callable[[Any], bytes]:
        ns: dict[str, Any] = {"_zz": _zigzag, "_join": b"".join, "_small": _SMALL}
        names = [f"v{i}" for i in range(len(self.fields))]
        lines = ["def encode(values):"]
        lines.append("    " + ", ".join(names) + (", = values" if len(names) == 1 else " = values"))
        lines.append("    out = []")
        lines.append("    add = out.append")
        for k, (fixed_run, idx) in enumerate(_runs(self.fields)):
            if fixed_run:
                fmt = "<"
                args = []
                for i in idx:
                    f = self.fields[i]
                    if f.union is not None:
                        fmt += "B"
                        args.append(str(f.union[1]))
                    fmt += _FIXED[f.kind][0]
                    args.append(names[i])
                ns[f"_p{k}"] = struct.Struct(fmt).pack
                check = " and ".join(f"{names[i]} is not None" for i in idx)
                lines += [f"    if {check}:", f"        add(_p{k}({', '.join(args)}))", "    else:"]
                for i in idx:
                    lines += ["    " + ln for ln in self._encode_field(i, names[i], ns)]
            else:
                for i in idx:
                    lines += self._encode_field(i, names[i], ns)
        lines.append("    return _join(out)")
        exec(compile("\n".join(lines), "<avro encoder>", "exec"), ns)
        return ns["encode"]  # type: ignore[no-any-return]

    def _encode_field(self, i: int, var: str, ns: dict[str, Any]) -> list[str]:
        f = self.fields[i]
        body = self._encode_value(f.kind, var, ns)
        if f.union is None:
            return [
                f"    if {var} is None:",
                f"        raise TypeError('field {f.name} may not be null')",
                *["    " + ln for ln in body],
            ]
        null_tag, value_tag = f.union
        return [
            f"    if {var} is None:",
            f"        add(_small[{null_tag}])",
            "    else:",
            f"        add(_small[{value_tag}])",
            *["        " + ln for ln in body],
        ]

    @staticmethod
    def _encode_value(kind: str, var: str, ns: dict[str, Any]) -> list[str]:
        if kind in _FIXED:
            code = _FIXED[kind][0]
            ns[f"_w{_IDENT[code]}"] = struct.Struct("<" + code).pack
            return [f"add(_w{_IDENT[code]}({var}))"]
        if kind in _VARINT:
            return [f"add(_zz({var}))"]
        if kind == "string":
            # Avro's Utf8 is String.getBytes(UTF_8): a lone surrogate is written as '?'
            return [f"x = {var}.encode('utf-8', 'replace')", "add(_zz(len(x)))", "add(x)"]
        return [f"add(_zz(len({var})))", f"add(bytes({var}))"]


def compile_codec(resolved: Any) -> Codec | None:
    """The generated codec of a resolved Avro schema, or None when it is not a flat record."""
    if not isinstance(resolved, dict) or resolved.get("type") not in ("record", "error"):
        return None
    fields = []
    for f in resolved.get("fields") or []:
        field = _field_of(f)
        if field is None:
            return None
        fields.append(field)
    if not fields or len(fields) > 250:
        return None
    return Codec(fields)
