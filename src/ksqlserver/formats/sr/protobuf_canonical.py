"""The `.proto` text Confluent's `ProtobufSchema.canonicalString()` prints for a schema built from Connect
columns (Square Wire's `ProtoFileElement`/`MessageElement`/`FieldElement.toSchema`): what ksqlDB's protobuf
query output sends as the header's `protoSchema`.

It differs from `protobuf_text.to_text` (the text we register): map fields stay `repeated XEntry` with the
entry as a plain nested message, options are written in Wire's multi-line form, a blank line precedes nested
types, and the `confluent/meta.proto` import of the field options is not listed.
"""

from __future__ import annotations

from typing import Any

from google.protobuf import descriptor_pb2

from ksqlserver.formats.sr.protobuf_schema import META_FILE, SCALAR_NAMES, F, meta_params

INDENT = "  "


def canonical_text(fdp: descriptor_pb2.FileDescriptorProto) -> str:
    """ProtobufSchema.canonicalString: syntax, package, imports, then each top-level type after a blank line."""
    out = [f'syntax = "{fdp.syntax or "proto2"}";\n']
    if fdp.package:
        out.append(f"package {fdp.package};\n")
    imports = [dep for dep in fdp.dependency if dep != META_FILE]
    if imports:
        out.append("\n" + "".join(f'import "{dep}";\n' for dep in imports))
    scope = fdp.package
    for msg in fdp.message_type:
        out.append("\n" + _message(msg, f"{scope}.{msg.name}" if scope else msg.name))
    return "".join(out)


def _indented(text: str) -> str:
    """Wire's appendIndented: every line (blank ones too) gets two spaces."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return "".join(f"{INDENT}{line}\n" for line in lines)


def _message(msg: descriptor_pb2.DescriptorProto, scope: str) -> str:
    """MessageElement.toSchema: fields, then a blank line and the nested messages (map entries included)."""
    out = [f"message {msg.name} {{"]
    if msg.field:
        out.append("\n")
        out.extend(_indented(_field(f, scope)) for f in msg.field)
    if msg.nested_type:
        out.append("\n")
        out.extend(_indented(_message(n, f"{scope}.{n.name}")) for n in msg.nested_type)
    out.append("}\n")
    return "".join(out)


def _type_name(f: Any, scope: str) -> str:
    if f.type in SCALAR_NAMES:
        return str(SCALAR_NAMES[f.type])
    name = str(f.type_name).lstrip(".")
    # a message nested in this one (or in an enclosing one) is named relative to the scope
    parts = scope.split(".")
    for depth in range(len(parts), 0, -1):
        prefix = ".".join(parts[:depth]) + "."
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _field(f: Any, scope: str) -> str:
    """FieldElement.toSchema: `[label ]type name = tag[ options];`"""
    label = "repeated " if f.label == F.LABEL_REPEATED else "optional " if f.proto3_optional else ""
    options = _options(meta_params(f.options))
    return f"{label}{_type_name(f, scope)} {f.name} = {f.number}{options};\n"


def _options(params: dict[str, str]) -> str:
    """The `(confluent.field_meta)` option as OptionElement.toSchema writes it (one option: `[...]`);
    Confluent's MetaProto lists each param's value before its key."""
    if not params:
        return ""
    entries = [
        "{\n" + _indented(f'value: "{_escape(v)}",\nkey: "{_escape(k)}"') + "}" for k, v in params.items()
    ]
    body = "params: [\n" + _indented(",\n".join(entries)) + "]"
    return " [(confluent.field_meta) = {\n" + _indented(body) + "}]"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')
