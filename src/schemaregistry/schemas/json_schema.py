"""JSON schemas: checked against their draft's meta-schema by `jsonschema` (draft-07 when `$schema` is
absent, as Confluent's default), canonical text is the compact JSON with key order kept, and
compatibility follows Confluent's JSON Schema diff: the reader must accept every document the writer
accepts (widening is compatible, narrowing is not; closed and open content models as Confluent
treats them)."""

from __future__ import annotations

import json
from typing import Any

from schemaregistry.schemas.base import Incompatibility, ParsedSchema, SchemaParseError

NUMERIC_UPPER = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
NUMERIC_LOWER = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
COMBINERS = ("oneOf", "anyOf", "allOf")


class JsonSchema(ParsedSchema):
    schema_type = "JSON"

    def __init__(self, text: str, references: list[ParsedSchema] | None = None,
                 ref_names: list[str] | None = None) -> None:
        try:
            obj = json.loads(text)
        except (ValueError, TypeError) as exc:
            raise SchemaParseError(f"Invalid JSON {text!r}: {exc}") from exc
        if not isinstance(obj, dict | bool):
            raise SchemaParseError(f"Invalid JSON Schema: not an object or boolean: {text}")
        import jsonschema

        try:
            cls = jsonschema.validators.validator_for(obj, default=jsonschema.Draft7Validator)
            cls.check_schema(obj)
        except jsonschema.SchemaError as exc:
            raise SchemaParseError(f"Invalid JSON Schema: {exc.message}") from exc
        self.obj = obj
        self.documents: dict[str, Any] = {}
        for name, ref in zip(ref_names or [], references or [], strict=False):
            if isinstance(ref, JsonSchema):
                self.documents[name] = ref.obj
                self.documents.update(ref.documents)
        self.canonical = json.dumps(obj, separators=(",", ":"), ensure_ascii=False)

    def validator(self) -> Any:
        """A `jsonschema` validator for this schema, with referenced documents resolvable."""
        import jsonschema
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT7

        resources = [(name, Resource.from_contents(doc, default_specification=DRAFT7))
                     for name, doc in self.documents.items()]
        cls = jsonschema.validators.validator_for(self.obj, default=jsonschema.Draft7Validator)
        return cls(self.obj, registry=Registry().with_resources(resources))

    def compatibility(self, writer: ParsedSchema, reader_role: str, writer_role: str) -> list[Incompatibility]:
        if not isinstance(writer, JsonSchema):
            return [Incompatibility("TYPE_CHANGED", "The schema type changed", "#/", "")]
        diff = _Diff(writer, self, reader_role)
        diff.compare(writer.obj, self.obj, "#")
        return diff.found


def _types(schema: dict[str, Any]) -> set[str] | None:
    t = schema.get("type")
    if t is None:
        return None
    return {t} if isinstance(t, str) else set(t)


def _covers(new: set[str] | None, old: set[str] | None) -> bool:
    if new is None:
        return True
    if old is None:
        return False
    widened = set(new) | ({"integer"} if "number" in new else set())
    return old <= widened


class _Diff:
    """Walks the writer ('original') and the reader ('update') side by side."""

    def __init__(self, original: JsonSchema, update: JsonSchema, role: str) -> None:
        self.docs = (original, update)
        self.role = role
        self.found: list[Incompatibility] = []
        self.seen: set[tuple[int, int]] = set()

    def add(self, kind: str, path: str, what: str) -> None:
        self.found.append(Incompatibility(kind, f"{what} at path '{path}' in the {self.role} schema", path, path))

    def resolve(self, schema: Any, side: int) -> Any:
        for _ in range(32):
            if not isinstance(schema, dict) or "$ref" not in schema:
                return schema
            ref = schema["$ref"]
            doc_name, _, pointer = ref.partition("#")
            doc = self.docs[side]
            target: Any = doc.documents.get(doc_name) if doc_name else doc.obj
            if target is None:
                return schema
            for part in [p for p in pointer.split("/") if p]:
                part = part.replace("~1", "/").replace("~0", "~")
                if isinstance(target, dict) and part in target:
                    target = target[part]
                else:
                    return schema
            schema = target
        return schema

    def compare(self, original: Any, update: Any, path: str) -> None:
        original, update = self.resolve(original, 0), self.resolve(update, 1)
        key = (id(original), id(update))
        if key in self.seen:
            return
        self.seen.add(key)
        if update is True or update == {}:
            return
        if original is False:
            return
        if original is True or original == {}:
            self.add("TYPE_NARROWED", path, "A schema accepting anything was narrowed")
            return
        if update is False:
            self.add("TYPE_NARROWED", path, "The schema no longer accepts any value")
            return
        if self._combined(original, update, path):
            return
        old_t, new_t = _types(original), _types(update)
        if not _covers(new_t, old_t):
            overlap = bool(new_t and old_t and (new_t & old_t or ("integer" in new_t and "number" in old_t)))
            kind = "TYPE_NARROWED" if overlap else "TYPE_CHANGED"
            self.add(kind, path, f"The type changed from {sorted(old_t or [])} to {sorted(new_t or [])}")
            return
        self._bounds(original, update, path)
        if "enum" in update:
            old_enum = original.get("enum")
            if old_enum is None or any(v not in update["enum"] for v in old_enum):
                self.add("ENUM_ARRAY_NARROWED", path + "/enum", "The enum values were narrowed")
        if "const" in update and original.get("const", object()) != update["const"]:
            self.add("TYPE_NARROWED", path + "/const", "A const value was added or changed")
        if "pattern" in update and original.get("pattern") != update["pattern"]:
            self.add("PATTERN_ADDED" if "pattern" not in original else "PATTERN_CHANGED", path + "/pattern",
                     "The pattern was added or changed")
        if update.get("uniqueItems") and not original.get("uniqueItems"):
            self.add("UNIQUE_ITEMS_ADDED", path + "/uniqueItems", "uniqueItems was added")
        if "multipleOf" in update:
            old = original.get("multipleOf")
            if old is None or (old / update["multipleOf"]) % 1:
                self.add("MULTIPLE_OF_CHANGED", path + "/multipleOf", "multipleOf was added or changed")
        self._object(original, update, path)
        self._array(original, update, path)

    def _combined(self, original: dict[str, Any], update: dict[str, Any], path: str) -> bool:
        old_kw = next((k for k in COMBINERS if k in original), None)
        new_kw = next((k for k in COMBINERS if k in update), None)
        if old_kw is None and new_kw is None:
            return False
        if new_kw is not None and old_kw is None:
            branches = update[new_kw]
            if new_kw == "allOf" or not any(self._quiet(original, b) for b in branches):
                self.add("COMBINED_TYPE_CHANGED", f"{path}/{new_kw}", "A combined type was introduced")
            return True
        if old_kw is not None and new_kw is None:
            if old_kw == "allOf":
                return False
            for i, b in enumerate(original[old_kw]):
                self.compare(b, update, f"{path}/{old_kw}/{i}")
            return True
        if old_kw != new_kw and not (old_kw == "oneOf" and new_kw == "anyOf"):
            self.add("COMBINED_TYPE_CHANGED", f"{path}/{new_kw}", f"{old_kw} changed to {new_kw}")
            return True
        old_b, new_b = original[old_kw], update[new_kw]
        if new_kw == "allOf":
            if len(new_b) > len(old_b):
                self.add("PRODUCT_TYPE_EXTENDED", f"{path}/allOf", "allOf gained a branch")
            for i, b in enumerate(new_b[: len(old_b)]):
                self.compare(old_b[i], b, f"{path}/allOf/{i}")
            return True
        for i, b in enumerate(old_b):
            if not any(self._quiet(b, nb) for nb in new_b):
                self.add("SUM_TYPE_NARROWED", f"{path}/{old_kw}/{i}", f"The {old_kw} branch {i} has no counterpart")
        return True

    def _quiet(self, original: Any, update: Any) -> bool:
        sub = _Diff(self.docs[0], self.docs[1], self.role)
        sub.seen = set(self.seen)
        sub.compare(original, update, "#")
        return not sub.found

    def _bounds(self, original: dict[str, Any], update: dict[str, Any], path: str) -> None:
        for kw in NUMERIC_UPPER:
            if kw in update and isinstance(update[kw], int | float) and not isinstance(update[kw], bool):
                old = original.get(kw)
                if old is None or old > update[kw]:
                    self.add(kw.upper() + ("_ADDED" if old is None else "_DECREASED"), f"{path}/{kw}",
                             f"{kw} was added or decreased")
        for kw in NUMERIC_LOWER:
            if kw in update and isinstance(update[kw], int | float) and not isinstance(update[kw], bool):
                old = original.get(kw)
                if old is None or old < update[kw]:
                    self.add(kw.upper() + ("_ADDED" if old is None else "_INCREASED"), f"{path}/{kw}",
                             f"{kw} was added or increased")

    def _object(self, original: dict[str, Any], update: dict[str, Any], path: str) -> None:
        old_props: dict[str, Any] = original.get("properties") or {}
        new_props: dict[str, Any] = update.get("properties") or {}
        old_extra = original.get("additionalProperties", True)
        new_extra = update.get("additionalProperties", True)
        for name, schema in old_props.items():
            p = f"{path}/properties/{name}"
            if name in new_props:
                self.compare(schema, new_props[name], p)
            elif new_extra is False:
                if schema is not False:
                    self.add("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", p,
                             "A property was removed from a closed content model")
            elif isinstance(new_extra, dict) and not self._quiet(schema, new_extra):
                self.add("PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", p,
                         "A removed property is not covered by additionalProperties")
        for name, schema in new_props.items():
            if name in old_props:
                continue
            p = f"{path}/properties/{name}"
            if old_extra is False:
                continue  # the writer's documents never carry it
            if isinstance(old_extra, dict):
                if not self._quiet(old_extra, schema):
                    self.add("PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", p,
                             "An added property is not covered by the old additionalProperties")
            elif schema not in (True, {}):
                self.add("PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", p, "A property was added to an open content model")
        old_req = set(original.get("required") or [])
        for name in update.get("required") or []:
            if name not in old_req:
                schema = self.resolve(new_props.get(name), 1)
                if not (isinstance(schema, dict) and "default" in schema):
                    self.add("REQUIRED_ATTRIBUTE_ADDED", f"{path}/required/{name}", "A required attribute was added")
        if new_extra is False and old_extra is not False:
            self.add("ADDITIONAL_PROPERTIES_REMOVED", f"{path}/additionalProperties",
                     "additionalProperties was removed")
        elif isinstance(new_extra, dict) and old_extra is not False:
            old_schema = {} if old_extra is True else old_extra
            self.compare(old_schema, new_extra, f"{path}/additionalProperties")

    def _array(self, original: dict[str, Any], update: dict[str, Any], path: str) -> None:
        old_items, new_items = original.get("items"), update.get("items")
        if new_items is None:
            return
        if isinstance(new_items, list):
            old_list = old_items if isinstance(old_items, list) else []
            for i, item in enumerate(new_items):
                if i < len(old_list):
                    self.compare(old_list[i], item, f"{path}/items/{i}")
                elif original.get("additionalItems", True) is not False:
                    self.add("ITEM_ADDED_TO_OPEN_CONTENT_MODEL", f"{path}/items/{i}", "A tuple item was added")
            return
        olds = old_items if isinstance(old_items, list) else [True if old_items is None else old_items]
        for old in olds:
            self.compare(old, new_items, f"{path}/items")
