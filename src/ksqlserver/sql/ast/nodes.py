"""The base of every node, traversal (`children`, `walk`) and SQL types."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeAlias

# A WITH-clause property value: the Python value of the literal written (DECIMAL literals as Decimal).
PropertyValue: TypeAlias = str | int | float | Decimal | bool | None


@dataclass(frozen=True, slots=True)
class Node:
    """Base of every node; `line`/`column` locate its first token in the parsed text (1-based)."""

    line: int = field(default=0, kw_only=True, compare=False, repr=False)
    column: int = field(default=0, kw_only=True, compare=False, repr=False)


def children(node: Node) -> Iterator[Node]:
    """Direct child nodes, in field order (descends into tuples, pairs and dict values)."""
    for f in dataclasses.fields(node):
        yield from _nodes_in(getattr(node, f.name))


def walk(node: Node) -> Iterator[Node]:
    """`node` and all its descendants, depth-first, parents before children."""
    yield node
    for child in children(node):
        yield from walk(child)


def _nodes_in(value: object) -> Iterator[Node]:
    if isinstance(value, Node):
        yield value
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _nodes_in(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _nodes_in(item)


# ---------------------------------------------------------------------------------------------- types


@dataclass(frozen=True, slots=True)
class Type(Node):
    """Base of SQL types."""


@dataclass(frozen=True, slots=True)
class PrimitiveType(Type):
    """BOOLEAN, INTEGER (also written INT), BIGINT, DOUBLE, STRING (also VARCHAR), BYTES, TIMESTAMP, DATE,
    TIME: `name` is the canonical ksqlDB spelling."""

    name: str


@dataclass(frozen=True, slots=True)
class DecimalType(Type):
    precision: int
    scale: int


@dataclass(frozen=True, slots=True)
class ArrayType(Type):
    element: Type


@dataclass(frozen=True, slots=True)
class MapType(Type):
    key: Type
    value: Type


@dataclass(frozen=True, slots=True)
class StructField(Node):
    name: str
    type: Type


@dataclass(frozen=True, slots=True)
class StructType(Type):
    fields: tuple[StructField, ...]


@dataclass(frozen=True, slots=True)
class CustomType(Type):
    """A type name that is not built in (resolved against CREATE TYPE registrations by the analyser)."""

    name: str
