"""Schema types: `parse_schema(schema_type, text, references)` and the compatibility check."""

from __future__ import annotations

from schemaregistry.schemas.base import Incompatibility, ParsedSchema, SchemaParseError

SCHEMA_TYPES = ("AVRO", "JSON", "PROTOBUF")


def parse_schema(schema_type: str, text: str, references: list[ParsedSchema] | None = None,
                 ref_names: list[str] | None = None) -> ParsedSchema:
    """`ref_names[i]` is the name under which `references[i]` is imported (PROTOBUF's import path,
    JSON's $ref URL; AVRO resolves its references by type name)."""
    if schema_type == "AVRO":
        from schemaregistry.schemas.avro import AvroSchema

        return AvroSchema(text, references)
    if schema_type == "JSON":
        from schemaregistry.schemas.json_schema import JsonSchema

        return JsonSchema(text, references, ref_names)
    if schema_type == "PROTOBUF":
        from schemaregistry.schemas.protobuf import ProtobufSchema

        return ProtobufSchema(text, references, ref_names)
    raise SchemaParseError(f"Invalid schema type {schema_type}")


def check_compatibility(level: str, new: ParsedSchema, previous: list[ParsedSchema]) -> list[Incompatibility]:
    """`previous` oldest first. Non-transitive levels look only at the latest; an empty list means
    compatible."""
    if level == "NONE" or not previous:
        return []
    against = previous if level.endswith("_TRANSITIVE") else previous[-1:]
    base = level.removesuffix("_TRANSITIVE")
    found: list[Incompatibility] = []
    for old in reversed(against):
        if base in ("BACKWARD", "FULL"):
            found += new.compatibility(old, "new", "old")
        if base in ("FORWARD", "FULL"):
            found += old.compatibility(new, "old", "new")
        if found:
            return found
    return found


__all__ = ["SCHEMA_TYPES", "Incompatibility", "ParsedSchema", "SchemaParseError", "check_compatibility",
           "parse_schema"]
