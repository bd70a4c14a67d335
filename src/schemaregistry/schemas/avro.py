"""AVRO schemas: parsing with Avro's naming rules, the canonical text Avro's Java library prints
(`Schema.toString()`, which Confluent stores and compares), and Avro's schema resolution rules for
compatibility (reader against writer).

fastavro checks the parsed schema as a second opinion (it rejects what Avro's own parser rejects);
the tree here is kept because compatibility needs names, aliases and defaults side by side.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from schemaregistry.schemas.base import Incompatibility, ParsedSchema, SchemaParseError

PRIMITIVES = ("null", "boolean", "int", "long", "float", "double", "bytes", "string")
NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# writer type -> reader types that can read it (Avro's promotions)
PROMOTIONS = {
    "int": {"int", "long", "float", "double"},
    "long": {"long", "float", "double"},
    "float": {"float", "double"},
    "double": {"double"},
    "string": {"string", "bytes"},
    "bytes": {"bytes", "string"},
    "null": {"null"},
    "boolean": {"boolean"},
}
FIELD_KEYS = {"name", "type", "doc", "default", "order", "aliases"}
NAMED_KEYS = {"type", "name", "namespace", "doc", "aliases"}


@dataclass(eq=False)
class Node:
    """One Avro type. Named types (record/enum/fixed) are shared objects, so recursion is a cycle."""

    type: str
    name: str | None = None  # full name of a named type
    doc: str | None = None
    aliases: list[str] = field(default_factory=list)
    fields: list[Field] = field(default_factory=list)
    symbols: list[str] = field(default_factory=list)
    enum_default: str | None = None
    size: int = 0
    items: Node | None = None
    values: Node | None = None
    branches: list[Node] = field(default_factory=list)
    props: dict[str, Any] = field(default_factory=dict)

    @property
    def short_name(self) -> str:
        return (self.name or self.type).rpartition(".")[2]

    @property
    def namespace(self) -> str:
        return (self.name or "").rpartition(".")[0]


@dataclass(eq=False)
class Field:
    name: str
    type: Node
    doc: str | None = None
    has_default: bool = False
    default: Any = None
    order: str = "ascending"
    aliases: list[str] = field(default_factory=list)
    props: dict[str, Any] = field(default_factory=dict)


def _full_name(name: str, namespace: str | None) -> str:
    if "." in name or not namespace:
        return name
    return f"{namespace}.{name}"


class _Parser:
    def __init__(self, known: dict[str, Node]) -> None:
        self.names: dict[str, Node] = dict(known)
        self.defined: dict[str, Node] = {}

    def lookup(self, name: str, namespace: str) -> Node:
        for candidate in (_full_name(name, namespace), name):
            if candidate in self.names:
                return self.names[candidate]
        raise SchemaParseError(f'"{name}" is not a defined name. The type of the field could not be resolved')

    def check_name(self, name: object, what: str) -> str:
        if not isinstance(name, str) or not name:
            raise SchemaParseError(f"No name in schema: {what}")
        for part in name.split("."):
            if not NAME_RE.match(part):
                raise SchemaParseError(f"Illegal character in: {name}")
        return name

    def define(self, node: Node) -> None:
        assert node.name is not None
        if node.name in self.names and node.name in self.defined:
            raise SchemaParseError(f"Can't redefine: {node.name}")
        if node.name in self.names:
            raise SchemaParseError(f"Can't redefine: {node.name}")
        self.names[node.name] = node
        self.defined[node.name] = node

    def parse(self, obj: Any, namespace: str) -> Node:
        if isinstance(obj, str):
            if obj in PRIMITIVES:
                return Node(obj)
            return self.lookup(obj, namespace)
        if isinstance(obj, list):
            branches = [self.parse(b, namespace) for b in obj]
            seen: set[str] = set()
            for b in branches:
                if b.type == "union":
                    raise SchemaParseError(f"Nested union: {json.dumps(obj)}")
                key = b.name if b.name else b.type
                if key in seen:
                    raise SchemaParseError(f"Duplicate in union:{key}")
                seen.add(key)
            return Node("union", branches=branches)
        if not isinstance(obj, dict):
            raise SchemaParseError(f"Schema not yet supported: {json.dumps(obj)}")
        kind = obj.get("type")
        if kind is None:
            raise SchemaParseError(f"No type: {json.dumps(obj)}")
        if not isinstance(kind, str):
            # {"type": {...}} or {"type": [...]}: the nested schema itself
            return self.parse(kind, namespace)
        if kind in PRIMITIVES:
            return Node(kind, props={k: v for k, v in obj.items() if k != "type"})
        if kind in ("record", "error", "enum", "fixed"):
            return self.parse_named(kind, obj, namespace)
        if kind == "array":
            if "items" not in obj:
                raise SchemaParseError(f"Array has no items type: {json.dumps(obj)}")
            items = self.parse(obj["items"], namespace)
            return Node("array", items=items, props=_extra(obj, {"type", "items"}))
        if kind == "map":
            if "values" not in obj:
                raise SchemaParseError(f"Map has no values type: {json.dumps(obj)}")
            values = self.parse(obj["values"], namespace)
            return Node("map", values=values, props=_extra(obj, {"type", "values"}))
        return self.lookup(kind, namespace)

    def parse_named(self, kind: str, obj: dict[str, Any], namespace: str) -> Node:
        name = self.check_name(obj.get("name"), json.dumps(obj))
        space = obj.get("namespace")
        if space is not None and not isinstance(space, str):
            raise SchemaParseError(f"Namespace must be a string: {json.dumps(obj)}")
        if space:
            for part in space.split("."):
                if not NAME_RE.match(part):
                    raise SchemaParseError(f"Illegal character in: {space}")
        full = _full_name(name, space if space is not None else namespace)
        doc = obj.get("doc")
        aliases = obj.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise SchemaParseError(f"aliases not an array of strings: {json.dumps(obj)}")
        node_space = full.rpartition(".")[0]
        aliases = [_full_name(a, node_space) for a in aliases]
        if kind == "fixed":
            size = obj.get("size")
            if not isinstance(size, int) or isinstance(size, bool) or size < 0:
                raise SchemaParseError(f"Invalid or no size: {json.dumps(obj)}")
            node = Node("fixed", name=full, doc=doc, aliases=aliases, size=size,
                        props=_extra(obj, NAMED_KEYS | {"size"}))
            self.define(node)
            return node
        if kind == "enum":
            symbols = obj.get("symbols")
            if not isinstance(symbols, list) or not all(isinstance(s, str) for s in symbols):
                raise SchemaParseError(f"Enum has no symbols: {json.dumps(obj)}")
            for s in symbols:
                if not NAME_RE.match(s):
                    raise SchemaParseError(f"Illegal character in: {s}")
            if len(set(symbols)) != len(symbols):
                raise SchemaParseError(f"Duplicate enum symbol: {symbols}")
            default = obj.get("default")
            if default is not None and default not in symbols:
                raise SchemaParseError(f"The Enum Default: {default} is not in the enum symbol set: {symbols}")
            node = Node("enum", name=full, doc=doc, aliases=aliases, symbols=list(symbols),
                        enum_default=default, props=_extra(obj, NAMED_KEYS | {"symbols", "default"}))
            self.define(node)
            return node
        fields = obj.get("fields")
        if not isinstance(fields, list):
            raise SchemaParseError(f"Record has no fields: {json.dumps(obj)}")
        node = Node("record" if kind == "record" else "error", name=full, doc=doc, aliases=aliases,
                    props=_extra(obj, NAMED_KEYS | {"fields"}))
        self.define(node)  # before its fields: a record may refer to itself
        seen: set[str] = set()
        for f in fields:
            if not isinstance(f, dict):
                raise SchemaParseError(f"Field not an object: {json.dumps(f)}")
            fname = f.get("name")
            if not isinstance(fname, str) or not NAME_RE.match(fname):
                raise SchemaParseError(f"Illegal field name: {json.dumps(f)}")
            if fname in seen:
                raise SchemaParseError(f"Duplicate field {fname} in record {full}: {json.dumps(obj)}")
            seen.add(fname)
            if "type" not in f:
                raise SchemaParseError(f"No field type: {json.dumps(f)}")
            ftype = self.parse(f["type"], node_space)
            order = f.get("order", "ascending")
            if order not in ("ascending", "descending", "ignore"):
                raise SchemaParseError(f"Illegal field order: {order}")
            fld = Field(fname, ftype, doc=f.get("doc"), has_default="default" in f, default=f.get("default"),
                        order=order, aliases=list(f.get("aliases") or []), props=_extra(f, FIELD_KEYS))
            if fld.has_default and not _valid_default(ftype, fld.default):
                raise SchemaParseError(
                    f"Invalid default for field {fname}: {json.dumps(fld.default)} not a {_describe(ftype)}"
                )
            node.fields.append(fld)
        return node


def _extra(obj: dict[str, Any], known: set[str]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if k not in known}


def _describe(node: Node) -> str:
    return json.dumps(_to_json(node, "", set()))


def _valid_default(node: Node, value: Any) -> bool:
    t = node.type
    if t == "null":
        return value is None
    if t == "boolean":
        return isinstance(value, bool)
    if t in ("int", "long"):
        return isinstance(value, int) and not isinstance(value, bool)
    if t in ("float", "double"):
        return (isinstance(value, int | float) and not isinstance(value, bool)) or value in ("NaN", "Infinity", "-Infinity")
    if t in ("string", "bytes", "fixed"):
        return isinstance(value, str)
    if t == "enum":
        return isinstance(value, str) and value in node.symbols
    if t == "array":
        assert node.items is not None
        return isinstance(value, list) and all(_valid_default(node.items, v) for v in value)
    if t == "map":
        assert node.values is not None
        return isinstance(value, dict) and all(_valid_default(node.values, v) for v in value.values())
    if t in ("record", "error"):
        if not isinstance(value, dict):
            return False
        for f in node.fields:
            if f.name in value:
                if not _valid_default(f.type, value[f.name]):
                    return False
            elif not f.has_default:
                return False
        return True
    if t == "union":
        return any(_valid_default(b, value) for b in node.branches)
    return True


def _to_json(node: Node, namespace: str, written: set[str]) -> Any:
    """The JSON tree Avro's Java library writes for `Schema.toString()`."""
    t = node.type
    if t in PRIMITIVES:
        return t if not node.props else {"type": t, **node.props}
    if t == "union":
        return [_to_json(b, namespace, written) for b in node.branches]
    if t == "array":
        return {"type": "array", "items": _to_json(node.items, namespace, written), **node.props}  # type: ignore[arg-type]
    if t == "map":
        return {"type": "map", "values": _to_json(node.values, namespace, written), **node.props}  # type: ignore[arg-type]
    assert node.name is not None
    if node.name in written:
        return node.short_name if node.namespace == namespace else node.name
    written.add(node.name)
    out: dict[str, Any] = {"type": t, "name": node.short_name}
    if node.namespace and node.namespace != namespace:
        out["namespace"] = node.namespace
    elif not node.namespace and namespace:
        out["namespace"] = ""
    if node.doc is not None:
        out["doc"] = node.doc
    if t == "fixed":
        out["size"] = node.size
    elif t == "enum":
        out["symbols"] = node.symbols
        if node.enum_default is not None:
            out["default"] = node.enum_default
    else:
        fields = []
        for f in node.fields:
            fj: dict[str, Any] = {"name": f.name, "type": _to_json(f.type, node.namespace, written)}
            if f.doc is not None:
                fj["doc"] = f.doc
            if f.has_default:
                fj["default"] = f.default
            if f.order != "ascending":
                fj["order"] = f.order
            fj.update(f.props)
            if f.aliases:
                fj["aliases"] = f.aliases
            fields.append(fj)
        out["fields"] = fields
    out.update(node.props)
    if node.aliases:
        space = node.namespace
        out["aliases"] = [a.rpartition(".")[2] if a.rpartition(".")[0] == space else a for a in node.aliases]
    return out


class AvroSchema(ParsedSchema):
    schema_type = "AVRO"

    def __init__(self, text: str, references: list[ParsedSchema] | None = None) -> None:
        try:
            obj = json.loads(text)
        except (ValueError, TypeError) as exc:
            raise SchemaParseError(f"Invalid JSON: {exc}") from exc
        known: dict[str, Node] = {}
        for ref in references or []:
            if isinstance(ref, AvroSchema):
                known.update(ref.names)
        parser = _Parser(known)
        self.root = parser.parse(obj, "")
        self.names = parser.names
        self.references = list(references or [])
        self._check_with_fastavro(obj)
        written = set(known)
        self.canonical = json.dumps(_to_json(self.root, "", written), separators=(",", ":"), ensure_ascii=False)

    def _check_with_fastavro(self, obj: Any) -> None:
        import fastavro

        named: dict[str, Any] = {}
        try:
            for ref in self.references:
                if isinstance(ref, AvroSchema):
                    fastavro.parse_schema(json.loads(ref.canonical), named_schemas=named)
            fastavro.parse_schema(obj, named_schemas=named)
        except Exception as exc:  # fastavro raises SchemaParseException, ValueError, TypeError...
            raise SchemaParseError(str(exc)) from exc

    @property
    def name(self) -> str | None:
        return self.root.name

    def compatibility(self, writer: ParsedSchema, reader_role: str, writer_role: str) -> list[Incompatibility]:
        if not isinstance(writer, AvroSchema):
            return [Incompatibility("TYPE_MISMATCH", f"The new schema type {self.schema_type} does not "
                                    f"match the old schema type {writer.schema_type}", "/", "")]
        checker = _Checker(reader_role, writer_role)
        checker.check(self.root, writer.root, "")
        return checker.found


class _Checker:
    """Avro's schema resolution: can data written with `writer` be read with `reader`?"""

    def __init__(self, reader_role: str, writer_role: str) -> None:
        self.r, self.w = reader_role, writer_role
        self.found: list[Incompatibility] = []
        self.in_progress: set[tuple[int, int]] = set()

    def add(self, kind: str, desc: str, path: str, info: str) -> None:
        self.found.append(Incompatibility(kind, desc, path or "/", info))

    def matches(self, reader: Node, writer: Node) -> bool:
        """Whether the pair resolves, without recording anything."""
        sub = _Checker(self.r, self.w)
        sub.in_progress = set(self.in_progress)
        sub.check(reader, writer, "")
        return not sub.found

    def check(self, reader: Node, writer: Node, path: str) -> None:
        key = (id(reader), id(writer))
        if key in self.in_progress:
            return  # a recursive pair already being compared: assume it resolves
        self.in_progress.add(key)
        try:
            self._check(reader, writer, path)
        finally:
            self.in_progress.discard(key)

    def _check(self, reader: Node, writer: Node, path: str) -> None:
        if writer.type == "union":
            for i, branch in enumerate(writer.branches):
                if reader.type == "union":
                    if not any(self.matches(rb, branch) for rb in reader.branches):
                        self.add("MISSING_UNION_BRANCH",
                                 f"The {self.r} schema is missing a type inside a union field at path "
                                 f"'{path}/{i}' in the {self.w} schema",
                                 f"{path}/{i}", f"reader union lacking writer type: {branch.type.upper()}")
                else:
                    self.check(reader, branch, f"{path}/{i}")
            return
        if reader.type == "union":
            if not any(self.matches(rb, writer) for rb in reader.branches):
                self.add("MISSING_UNION_BRANCH",
                         f"The {self.r} schema is missing a type inside a union field at path '{path}' in "
                         f"the {self.w} schema", path,
                         f"reader union lacking writer type: {writer.type.upper()}")
            return
        if reader.type in PRIMITIVES or writer.type in PRIMITIVES:
            if reader.type not in PROMOTIONS.get(writer.type, {writer.type}):
                self._type_mismatch(reader, writer, path)
            return
        if reader.type != writer.type and {reader.type, writer.type} != {"record", "error"}:
            self._type_mismatch(reader, writer, path)
            return
        if reader.type in ("record", "error", "enum", "fixed") and not self._names_match(reader, writer):
            self.add("NAME_MISMATCH",
                     f"The type name at path '{path}/name' in the {self.r} schema does not match the "
                     f"{self.w} schema", f"{path}/name", f"expected: {writer.name}")
            return
        if reader.type == "fixed":
            if reader.size != writer.size:
                self.add("FIXED_SIZE_MISMATCH",
                         f"The size of FIXED type field at path '{path}/size' in the {self.r} schema does not "
                         f"match with the {self.w} schema", f"{path}/size",
                         f"expected: {writer.size}, found: {reader.size}")
        elif reader.type == "enum":
            missing = [s for s in writer.symbols if s not in reader.symbols]
            if missing and reader.enum_default is None:
                self.add("MISSING_ENUM_SYMBOLS",
                         f"The {self.r} schema is missing enum symbols '{missing}' at path '{path}/symbols' in "
                         f"the {self.w} schema", f"{path}/symbols", str(missing))
        elif reader.type == "array":
            self.check(reader.items, writer.items, f"{path}/items")  # type: ignore[arg-type]
        elif reader.type == "map":
            self.check(reader.values, writer.values, f"{path}/values")  # type: ignore[arg-type]
        else:
            self._record(reader, writer, path)

    def _names_match(self, reader: Node, writer: Node) -> bool:
        if reader.short_name == writer.short_name:
            return True
        return writer.name in reader.aliases or writer.short_name in {a.rpartition(".")[2] for a in reader.aliases}

    def _record(self, reader: Node, writer: Node, path: str) -> None:
        by_name = {f.name: f for f in writer.fields}
        for i, rf in enumerate(reader.fields):
            wf = by_name.get(rf.name)
            if wf is None:
                for alias in rf.aliases:
                    if alias in by_name:
                        wf = by_name[alias]
                        break
            if wf is None:
                if not rf.has_default:
                    self.add("READER_FIELD_MISSING_DEFAULT_VALUE",
                             f"The field '{rf.name}' at path '{path}/fields/{i}' in the {self.r} schema has no "
                             f"default value and is missing in the {self.w} schema",
                             f"{path}/fields/{i}", rf.name)
                continue
            self.check(rf.type, wf.type, f"{path}/fields/{i}/type")

    def _type_mismatch(self, reader: Node, writer: Node, path: str) -> None:
        self.add("TYPE_MISMATCH",
                 f"The type (path '{path}') of a field in the {self.r} schema does not match with the "
                 f"{self.w} schema", path or "/",
                 f"reader type: {reader.type.upper()} not compatible with writer type: {writer.type.upper()}")
