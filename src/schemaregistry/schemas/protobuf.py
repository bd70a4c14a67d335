"""PROTOBUF schemas: `.proto` text or a base64 `FileDescriptorProto` (what confluent-kafka's Python
serializer sends), compiled by protoc (grpcio-tools' in-process compiler, with its well-known types),
printed back as `.proto` text for the canonical form, and compared by Confluent's protobuf rules."""

from __future__ import annotations

import base64
import binascii
import json
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from google.protobuf import descriptor_pb2

from knownprotos import KNOWN_DEPENDENCIES
from schemaregistry.schemas.base import Incompatibility, ParsedSchema, SchemaParseError

MAIN_FILE = "schema.proto"
_protoc_lock = threading.Lock()
F = descriptor_pb2.FieldDescriptorProto
SCALARS = {
    F.TYPE_DOUBLE: "double", F.TYPE_FLOAT: "float", F.TYPE_INT64: "int64", F.TYPE_UINT64: "uint64",
    F.TYPE_INT32: "int32", F.TYPE_FIXED64: "fixed64", F.TYPE_FIXED32: "fixed32", F.TYPE_BOOL: "bool",
    F.TYPE_STRING: "string", F.TYPE_BYTES: "bytes", F.TYPE_UINT32: "uint32", F.TYPE_SFIXED32: "sfixed32",
    F.TYPE_SFIXED64: "sfixed64", F.TYPE_SINT32: "sint32", F.TYPE_SINT64: "sint64",
}
# Confluent counts these kind changes as compatible (same wire type, values preserved)
COMPATIBLE_SCALAR_GROUPS = [{"string", "bytes"}, {"int32", "uint32", "int64", "uint64", "bool"},
                            {"sint32", "sint64"}, {"fixed32", "sfixed32"}, {"fixed64", "sfixed64"}]


def compile_proto(text: str, imports: dict[str, str]) -> descriptor_pb2.FileDescriptorProto:
    """Compile `.proto` text (imports: file name -> text) to its FileDescriptorProto with protoc, in a
    child process (see `_protoc`); Confluent's known dependencies are supplied when not referenced."""
    imports = {**KNOWN_DEPENDENCIES, **imports}
    with _protoc_lock, tempfile.TemporaryDirectory(prefix="schemaregistry-proto-") as tmp:
        root = Path(tmp)
        for name, body in imports.items():
            if ".." in Path(name).parts or Path(name).is_absolute():
                raise SchemaParseError(f"Invalid import name {name!r}")
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body)
        (root / MAIN_FILE).write_text(text)
        done = subprocess.run(
            [sys.executable, "-m", "schemaregistry.schemas._protoc", tmp, MAIN_FILE],
            capture_output=True, text=True, timeout=60,
        )
    if done.returncode != 0:
        raise SchemaParseError(f"protoc failed: {done.stderr.strip()[-500:]}")
    result = json.loads(done.stdout)
    if "errors" in result:
        raise SchemaParseError("Invalid protobuf schema: " + "; ".join(result["errors"]))
    fdp = descriptor_pb2.FileDescriptorProto()
    fdp.ParseFromString(base64.b64decode(result["descriptor"]))
    return fdp


def _maybe_descriptor(text: str) -> descriptor_pb2.FileDescriptorProto | None:
    stripped = text.strip()
    if not stripped or any(c in stripped for c in " \n{;"):
        return None
    try:
        raw = base64.b64decode(stripped, validate=True)
        fdp = descriptor_pb2.FileDescriptorProto()
        fdp.ParseFromString(raw)
    except (binascii.Error, ValueError, Exception):  # DecodeError is not exported under one name
        return None
    return fdp if fdp.message_type or fdp.enum_type or fdp.package or fdp.syntax else None


class ProtobufSchema(ParsedSchema):
    schema_type = "PROTOBUF"

    def __init__(self, text: str, references: list[ParsedSchema] | None = None,
                 ref_names: list[str] | None = None) -> None:
        self.imports: dict[str, str] = {}
        for name, ref in zip(ref_names or [], references or [], strict=False):
            if isinstance(ref, ProtobufSchema):
                self.imports.update(ref.imports)
                self.imports[name] = ref.canonical
        given = _maybe_descriptor(text)
        source = render_proto(given) if given is not None else text
        self.descriptor = compile_proto(source, self.imports)
        self.canonical = render_proto(self.descriptor)

    def serialized(self) -> str:
        """Base64 FileDescriptorProto (`?format=serialized`), as Confluent returns it."""
        return base64.standard_b64encode(self.descriptor.SerializeToString()).decode()

    def compatibility(self, writer: ParsedSchema, reader_role: str, writer_role: str) -> list[Incompatibility]:
        if not isinstance(writer, ProtobufSchema):
            return [Incompatibility("TYPE_CHANGED", "The schema type changed", "#/", "")]
        return _diff(writer.descriptor, self.descriptor, reader_role)


# -- printing a descriptor as .proto text ---------------------------------------------------------

def _type_name(name: str) -> str:
    return name[1:] if name.startswith(".") else name


def _scalar_literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)


def _options(opts: Any) -> list[tuple[str, str]]:
    out = []
    for fd, value in opts.ListFields():
        if fd.message_type is not None or fd.label == fd.LABEL_REPEATED:
            continue  # custom/message options are not printed
        if fd.enum_type is not None:
            out.append((fd.name, fd.enum_type.values_by_number[value].name))
        else:
            out.append((fd.name, _scalar_literal(value)))
    return out


def _camel(name: str) -> str:
    parts = name.split("_")
    return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])


def render_proto(fdp: descriptor_pb2.FileDescriptorProto) -> str:
    lines: list[str] = []
    syntax = fdp.syntax or "proto2"
    if syntax == "editions":
        lines.append(f'edition = "{descriptor_pb2.Edition.Name(fdp.edition).removeprefix("EDITION_")}";')
    else:
        lines.append(f'syntax = "{syntax}";')
    if fdp.package:
        lines.append(f"package {fdp.package};")
    lines.append("")
    public = set(fdp.public_dependency)
    weak = set(fdp.weak_dependency)
    for i, dep in enumerate(fdp.dependency):
        prefix = "public " if i in public else "weak " if i in weak else ""
        lines.append(f'import {prefix}"{dep}";')
    for name, value in _options(fdp.options):
        lines.append(f"option {name} = {value};")
    proto3 = syntax == "proto3"
    for msg in fdp.message_type:
        lines.append("")
        _render_message(msg, lines, "", proto3)
    for enum in fdp.enum_type:
        lines.append("")
        _render_enum(enum, lines, "")
    for svc in fdp.service:
        lines.append("")
        lines.append(f"service {svc.name} {{")
        for name, value in _options(svc.options):
            lines.append(f"  option {name} = {value};")
        for m in svc.method:
            cs = "stream " if m.client_streaming else ""
            ss = "stream " if m.server_streaming else ""
            lines.append(f"  rpc {m.name} ({cs}{_type_name(m.input_type)}) returns ({ss}{_type_name(m.output_type)});")
        lines.append("}")
    return "\n".join(lines).strip("\n") + "\n"


def _render_enum(enum: descriptor_pb2.EnumDescriptorProto, lines: list[str], indent: str) -> None:
    lines.append(f"{indent}enum {enum.name} {{")
    for name, value in _options(enum.options):
        lines.append(f"{indent}  option {name} = {value};")
    for v in enum.value:
        opts = _options(v.options)
        suffix = " [" + ", ".join(f"{n} = {x}" for n, x in opts) + "]" if opts else ""
        lines.append(f"{indent}  {v.name} = {v.number}{suffix};")
    _render_reserved(enum.reserved_range, enum.reserved_name, lines, indent, inclusive=True)
    lines.append(f"{indent}}}")


def _render_reserved(ranges: Any, names: Any, lines: list[str], indent: str, inclusive: bool) -> None:
    if ranges:
        parts = []
        for r in ranges:
            end = r.end if inclusive else r.end - 1
            parts.append(str(r.start) if end == r.start else f"{r.start} to {'max' if end >= 536870911 else end}")
        lines.append(f"{indent}  reserved {', '.join(parts)};")
    if names:
        lines.append(f"{indent}  reserved {', '.join(_scalar_literal(n) for n in names)};")


def _field_line(f: descriptor_pb2.FieldDescriptorProto, msg: descriptor_pb2.DescriptorProto, proto3: bool,
                in_oneof: bool) -> str:
    maps = {n.name: n for n in msg.nested_type if n.options.map_entry}
    type_text = SCALARS.get(f.type) or _type_name(f.type_name)
    label = ""
    entry_name = _type_name(f.type_name).rpartition(".")[2]
    if f.label == F.LABEL_REPEATED and f.type == F.TYPE_MESSAGE and entry_name in maps:
        entry = maps[entry_name]
        key, value = entry.field[0], entry.field[1]
        type_text = f"map<{SCALARS.get(key.type) or _type_name(key.type_name)}, " \
                    f"{SCALARS.get(value.type) or _type_name(value.type_name)}>"
    elif f.label == F.LABEL_REPEATED:
        label = "repeated "
    elif in_oneof:
        label = ""
    elif not proto3 or f.proto3_optional:
        label = "required " if f.label == F.LABEL_REQUIRED else "optional "
    opts = [(n, v) for n, v in _options(f.options)]
    if f.HasField("default_value"):
        dv = f.default_value
        opts.insert(0, ("default", _scalar_literal(dv) if f.type in (F.TYPE_STRING, F.TYPE_BYTES) else dv))
    if f.json_name and f.json_name != _camel(f.name):
        opts.append(("json_name", _scalar_literal(f.json_name)))
    suffix = " [" + ", ".join(f"{n} = {v}" for n, v in opts) + "]" if opts else ""
    return f"{label}{type_text} {f.name} = {f.number}{suffix};"


def _render_message(msg: descriptor_pb2.DescriptorProto, lines: list[str], indent: str, proto3: bool) -> None:
    lines.append(f"{indent}message {msg.name} {{")
    inner = indent + "  "
    for name, value in _options(msg.options):
        if name != "map_entry":
            lines.append(f"{inner}option {name} = {value};")
    real_oneofs = {i for i, _ in enumerate(msg.oneof_decl)} - {
        f.oneof_index for f in msg.field if f.HasField("oneof_index") and f.proto3_optional
    }
    printed_oneofs: set[int] = set()
    for f in msg.field:
        if f.HasField("oneof_index") and f.oneof_index in real_oneofs:
            idx = f.oneof_index
            if idx in printed_oneofs:
                continue
            printed_oneofs.add(idx)
            lines.append(f"{inner}oneof {msg.oneof_decl[idx].name} {{")
            for member in msg.field:
                if member.HasField("oneof_index") and member.oneof_index == idx:
                    lines.append(f"{inner}  {_field_line(member, msg, proto3, True)}")
            lines.append(f"{inner}}}")
            continue
        lines.append(f"{inner}{_field_line(f, msg, proto3, False)}")
    _render_reserved(msg.reserved_range, msg.reserved_name, lines, indent, inclusive=False)
    for r in msg.extension_range:
        end = "max" if r.end - 1 >= 536870911 else str(r.end - 1)
        lines.append(f"{inner}extensions {r.start} to {end};")
    for nested in msg.nested_type:
        if not nested.options.map_entry:
            _render_message(nested, lines, inner, proto3)
    for enum in msg.enum_type:
        _render_enum(enum, lines, inner)
    lines.append(f"{indent}}}")


# -- compatibility --------------------------------------------------------------------------------

def _messages(fdp: descriptor_pb2.FileDescriptorProto) -> dict[str, descriptor_pb2.DescriptorProto]:
    out: dict[str, descriptor_pb2.DescriptorProto] = {}

    def walk(prefix: str, msgs: Any) -> None:
        for m in msgs:
            if m.options.map_entry:
                continue
            name = f"{prefix}{m.name}"
            out[name] = m
            walk(name + ".", m.nested_type)

    walk(f"{fdp.package}." if fdp.package else "", fdp.message_type)
    return out


def _kind(f: descriptor_pb2.FieldDescriptorProto) -> str:
    return SCALARS.get(f.type) or ("enum" if f.type == F.TYPE_ENUM else "message")


def _diff(original: descriptor_pb2.FileDescriptorProto, update: descriptor_pb2.FileDescriptorProto,
          role: str) -> list[Incompatibility]:
    found: list[Incompatibility] = []

    def add(kind: str, path: str, what: str) -> None:
        found.append(Incompatibility(kind, f"{what} at '{path}' in the {role} schema", path, path))

    if original.package != update.package:
        add("PACKAGE_CHANGED", "#/", f"The package changed from '{original.package}' to '{update.package}'")
    old_msgs, new_msgs = _messages(original), _messages(update)
    for name, old in old_msgs.items():
        path = f"#/{name}"
        new = new_msgs.get(name)
        if new is None:
            add("MESSAGE_REMOVED", path, f"The message {name} was removed")
            continue
        old_fields = {f.number: f for f in old.field}
        new_fields = {f.number: f for f in new.field}
        for num, of in old_fields.items():
            nf = new_fields.get(num)
            fpath = f"{path}/{num}"
            if nf is None:
                if of.label == F.LABEL_REQUIRED:
                    add("REQUIRED_FIELD_REMOVED", fpath, f"The required field {of.name} was removed")
                elif of.HasField("oneof_index") and not of.proto3_optional:
                    add("ONEOF_FIELD_REMOVED", fpath, f"The oneof field {of.name} was removed")
                continue
            ok, nk = _kind(of), _kind(nf)
            if (ok in ("message", "enum")) != (nk in ("message", "enum")) or {ok, nk} == {"message", "enum"}:
                add("FIELD_KIND_CHANGED", fpath, f"The kind of field {nf.name} changed from {ok} to {nk}")
            elif ok in ("message", "enum"):
                if _type_name(of.type_name) != _type_name(nf.type_name):
                    add("FIELD_NAMED_TYPE_CHANGED", fpath,
                        f"The type of field {nf.name} changed from {_type_name(of.type_name)} to "
                        f"{_type_name(nf.type_name)}")
            elif ok != nk and not any({ok, nk} <= g for g in COMPATIBLE_SCALAR_GROUPS):
                add("FIELD_SCALAR_KIND_CHANGED", fpath, f"The type of field {nf.name} changed from {ok} to {nk}")
            if (of.label == F.LABEL_REPEATED) != (nf.label == F.LABEL_REPEATED) and not (
                ok in ("string", "bytes") and nk in ("string", "bytes")
            ):
                add("FIELD_LABEL_CHANGED", fpath, f"The label of field {nf.name} changed")
            old_oneof = of.HasField("oneof_index") and not of.proto3_optional
            new_oneof = nf.HasField("oneof_index") and not nf.proto3_optional
            if new_oneof and not old_oneof:
                oneof_name = new.oneof_decl[nf.oneof_index].name
                existed = any(d.name == oneof_name for d in old.oneof_decl)
                moved = [f for f in new.field if f.HasField("oneof_index") and f.oneof_index == nf.oneof_index
                         and f.number in old_fields and not old_fields[f.number].HasField("oneof_index")]
                if existed:
                    add("FIELD_MOVED_TO_EXISTING_ONEOF", fpath, f"The field {nf.name} moved into an existing oneof")
                elif len(moved) > 1 and moved[0].number == num:
                    add("MULTIPLE_FIELDS_MOVED_TO_ONEOF", fpath, "Several existing fields moved into a new oneof")
        for num, nf in new_fields.items():
            if num not in old_fields and nf.label == F.LABEL_REQUIRED:
                add("REQUIRED_FIELD_ADDED", f"{path}/{num}", f"The required field {nf.name} was added")
    return found
