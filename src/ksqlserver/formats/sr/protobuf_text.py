"""The `.proto` text of a file descriptor: what is registered for a schema built from SQL columns."""

from __future__ import annotations

from typing import Any

from google.protobuf import descriptor_pb2

from ksqlserver.formats.sr.protobuf_schema import SCALAR_NAMES, F, meta_params


def to_text(fdp: descriptor_pb2.FileDescriptorProto) -> str:
    """The `.proto` text of a file descriptor (what is registered)."""
    lines = [f'syntax = "{fdp.syntax or "proto2"}";']
    if fdp.package:
        lines.append(f"package {fdp.package};")
    lines.append("")
    for dep in fdp.dependency:
        lines.append(f'import "{dep}";')
    if fdp.dependency:
        lines.append("")
    for msg in fdp.message_type:
        _message_text(msg, lines, "", fdp.package)
    for enum in fdp.enum_type:
        _enum_text(enum, lines, "")
    return "\n".join(lines).rstrip("\n") + "\n"


def _type_text(f: Any, package: str, scope: str) -> str:
    if f.type in SCALAR_NAMES:
        return SCALAR_NAMES[f.type]
    name = f.type_name.lstrip(".")
    for prefix in (scope, package):
        if prefix and name.startswith(prefix + "."):
            return name[len(prefix) + 1 :]
    return name


def _field_options(f: Any) -> str:
    # a proto3 optional field ProtobufData makes prints `deprecated = false` (ProtobufSchemaTranslatorTest.
    # shouldApplyNullableAsOptional's canonical string), before the field meta
    options = ["deprecated = false"] if f.proto3_optional else []
    params = meta_params(f.options)
    if params:
        inner = ", ".join(f'{{key: "{k}", value: "{v}"}}' for k, v in params.items())
        options.append(f"(confluent.field_meta) = {{params: [{inner}]}}")
    return f" [{', '.join(options)}]" if options else ""


def _message_text(msg: descriptor_pb2.DescriptorProto, lines: list[str], indent: str, package: str,
                  scope: str = "") -> None:
    here = f"{scope}.{msg.name}" if scope else (f"{package}.{msg.name}" if package else msg.name)
    lines.append(f"{indent}message {msg.name} {{")
    entries = {n.name: n for n in msg.nested_type if n.options.map_entry}
    real_oneofs: dict[int, list[Any]] = {}
    for f in msg.field:
        if f.HasField("oneof_index") and not f.proto3_optional:
            real_oneofs.setdefault(f.oneof_index, []).append(f)
            continue
        type_text = _type_text(f, package, here)
        label = "repeated " if f.label == F.LABEL_REPEATED else "optional " if f.proto3_optional else ""
        entry = entries.get(f.type_name.rpartition(".")[2]) if f.type == F.TYPE_MESSAGE else None
        if entry is not None and f.label == F.LABEL_REPEATED:
            k, v = entry.field[0], entry.field[1]
            type_text = f"map<{_type_text(k, package, here)}, {_type_text(v, package, here)}>"
            label = ""
        lines.append(f"{indent}  {label}{type_text} {f.name} = {f.number}{_field_options(f)};")
    for i, fields in real_oneofs.items():
        lines.append(f"{indent}  oneof {msg.oneof_decl[i].name} {{")
        for f in fields:
            lines.append(f"{indent}    {_type_text(f, package, here)} {f.name} = {f.number}{_field_options(f)};")
        lines.append(f"{indent}  }}")
    for n in msg.nested_type:
        if not n.options.map_entry:
            _message_text(n, lines, indent + "  ", package, here)
    for e in msg.enum_type:
        _enum_text(e, lines, indent + "  ")
    lines.append(f"{indent}}}")


def _enum_text(enum: descriptor_pb2.EnumDescriptorProto, lines: list[str], indent: str) -> None:
    lines.append(f"{indent}enum {enum.name} {{")
    for v in enum.value:
        lines.append(f"{indent}  {v.name} = {v.number};")
    lines.append(f"{indent}}}")
