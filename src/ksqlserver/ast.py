"""The abstract syntax tree the parser produces: plain, immutable data with no behaviour beyond traversal.

Node families (every node carries `line` and `column`, 1-based, of its first token; they are keyword-only
and excluded from equality, so two parses of the same expression compare equal wherever they appear):

- Types: `PrimitiveType`, `DecimalType`, `ArrayType`, `MapType`, `StructType` (of `StructField`),
  `CustomType` (a name registered with CREATE TYPE).
- Expressions: literals (`IntegerLiteral` = INT, `LongLiteral` = BIGINT, `DecimalLiteral`, `DoubleLiteral`,
  `StringLiteral`, `BooleanLiteral`, `NullLiteral`), `ColumnRef`, `LambdaVariable`, `Dereference` (`x->f`),
  `Subscript` (`x[i]`), `ArithmeticUnary`, `ArithmeticBinary`, `Comparison` (incl. IS [NOT] DISTINCT FROM),
  `LogicalBinary`, `Not`, `Between`, `Like`, `InList`, `IsNull`, `SearchedCase`, `SimpleCase` (of
  `WhenClause`), `Cast`, `FunctionCall`, `IntervalUnit` (a time unit given as a function argument),
  `Lambda`, `CreateArray`, `CreateMap`, `CreateStruct`.
- Query parts: `SelectItem`, `AllColumns` (`*`, `src.*`), `StructAll` (`x->*`), `AliasedSource`, `Join`,
  `WithinClause`, `Duration`, `WindowClause`, `Query`.
- Statements (each keeps its exact source `text`, including the trailing `;`): `Query`, `CreateSource`,
  `CreateAsSelect`, `InsertInto`, `InsertValues`, `Show`, `DescribeSource`, `DescribeSources`,
  `DescribeFunction`, `DescribeConnector`, `Explain`, `Terminate`, `DropSource`, `SetProperty`,
  `UnsetProperty`, `DefineVariable`, `UndefineVariable`, `CreateType`, `DropType`, `CreateConnector`,
  `DropConnector`, `AlterSource`, `PrintTopic`, `AssertTopic`, `AssertSchema`.

Identifiers are stored already normalised: unquoted ones upper-cased, quoted ones (`` `x` `` or `"x"`) as
written. Sequences are tuples so nodes stay hashable; WITH properties are a dict (excluded from hashing).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal as Lit
from typing import TypeAlias

# A WITH-clause property value: the Python value of the literal written (DECIMAL literals as Decimal).
PropertyValue: TypeAlias = str | int | float | Decimal | bool | None

_DURATION_MS = {
    "MILLISECOND": 1,
    "SECOND": 1_000,
    "MINUTE": 60_000,
    "HOUR": 3_600_000,
    "DAY": 86_400_000,
}


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


# ---------------------------------------------------------------------------------------- expressions


@dataclass(frozen=True, slots=True)
class Expression(Node):
    """Base of expressions."""


@dataclass(frozen=True, slots=True)
class Literal(Expression):
    """Base of literals; `value` is the Python value."""


@dataclass(frozen=True, slots=True)
class IntegerLiteral(Literal):
    """An integer literal that fits in 32 bits: type INT."""

    value: int


@dataclass(frozen=True, slots=True)
class LongLiteral(Literal):
    """An integer literal beyond 32 bits (within 64): type BIGINT."""

    value: int


@dataclass(frozen=True, slots=True)
class DecimalLiteral(Literal):
    """A literal with a decimal point and no exponent (`1.50`): DECIMAL with the written precision/scale."""

    value: Decimal


@dataclass(frozen=True, slots=True)
class DoubleLiteral(Literal):
    """A literal with an exponent (`1e3`, `1.5E-2`): DOUBLE."""

    value: float


@dataclass(frozen=True, slots=True)
class StringLiteral(Literal):
    value: str


@dataclass(frozen=True, slots=True)
class BooleanLiteral(Literal):
    value: bool


@dataclass(frozen=True, slots=True)
class NullLiteral(Literal):
    @property
    def value(self) -> None:
        return None


@dataclass(frozen=True, slots=True)
class ColumnRef(Expression):
    """A column, optionally qualified by a source name or alias (`a.b` gives source 'A', name 'B')."""

    name: str
    source: str | None = None


@dataclass(frozen=True, slots=True)
class LambdaVariable(Expression):
    """A reference to a lambda parameter inside the lambda's body."""

    name: str


@dataclass(frozen=True, slots=True)
class Dereference(Expression):
    """Struct field access `base->field`."""

    base: Expression
    field: str


@dataclass(frozen=True, slots=True)
class Subscript(Expression):
    """Array or map element access `base[index]` (arrays are 1-based; negative counts from the end)."""

    base: Expression
    index: Expression


@dataclass(frozen=True, slots=True)
class ArithmeticUnary(Expression):
    op: Lit["-", "+"]
    operand: Expression


@dataclass(frozen=True, slots=True)
class ArithmeticBinary(Expression):
    """`+` (also string concatenation, decided by the analyser), `-`, `*`, `/`, `%`, `||` (concat)."""

    op: Lit["+", "-", "*", "/", "%", "||"]
    left: Expression
    right: Expression


ComparisonOp: TypeAlias = Lit["=", "<>", "<", "<=", ">", ">=", "IS DISTINCT FROM", "IS NOT DISTINCT FROM"]


@dataclass(frozen=True, slots=True)
class Comparison(Expression):
    """A comparison; `!=` is normalised to `<>`."""

    op: ComparisonOp
    left: Expression
    right: Expression


@dataclass(frozen=True, slots=True)
class LogicalBinary(Expression):
    op: Lit["AND", "OR"]
    left: Expression
    right: Expression


@dataclass(frozen=True, slots=True)
class Not(Expression):
    operand: Expression


@dataclass(frozen=True, slots=True)
class Between(Expression):
    value: Expression
    lower: Expression
    upper: Expression
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Like(Expression):
    value: Expression
    pattern: Expression
    escape: str | None = None
    negated: bool = False


@dataclass(frozen=True, slots=True)
class InList(Expression):
    value: Expression
    items: tuple[Expression, ...]
    negated: bool = False


@dataclass(frozen=True, slots=True)
class IsNull(Expression):
    value: Expression
    negated: bool = False


@dataclass(frozen=True, slots=True)
class WhenClause(Node):
    """`WHEN condition THEN result`; in a simple CASE, `condition` is the value compared with the operand."""

    condition: Expression
    result: Expression


@dataclass(frozen=True, slots=True)
class SearchedCase(Expression):
    whens: tuple[WhenClause, ...]
    default: Expression | None = None


@dataclass(frozen=True, slots=True)
class SimpleCase(Expression):
    operand: Expression
    whens: tuple[WhenClause, ...]
    default: Expression | None = None


@dataclass(frozen=True, slots=True)
class Cast(Expression):
    expression: Expression
    type: Type


@dataclass(frozen=True, slots=True)
class IntervalUnit(Expression):
    """A time unit passed as a function argument, e.g. `TIMESTAMPADD(SECONDS, 5, ts)`; `unit` is the
    canonical singular name (MILLISECOND, SECOND, MINUTE, HOUR, DAY)."""

    unit: str


@dataclass(frozen=True, slots=True)
class FunctionCall(Expression):
    """A function call; `name` upper-cased; `COUNT(*)` has `star=True` and no arguments."""

    name: str
    args: tuple[Expression, ...] = ()
    star: bool = False


@dataclass(frozen=True, slots=True)
class Lambda(Expression):
    """`x => body` or `(x, y) => body`; references to the parameters in `body` are `LambdaVariable`s."""

    params: tuple[str, ...]
    body: Expression


@dataclass(frozen=True, slots=True)
class CreateArray(Expression):
    items: tuple[Expression, ...]


@dataclass(frozen=True, slots=True)
class CreateMap(Expression):
    """`MAP(k := v, ...)`: entries as (key, value) pairs in written order."""

    entries: tuple[tuple[Expression, Expression], ...]


@dataclass(frozen=True, slots=True)
class CreateStruct(Expression):
    """`STRUCT(name := value, ...)`: fields as (name, value) pairs in written order."""

    fields: tuple[tuple[str, Expression], ...]


# -------------------------------------------------------------------------------------- query parts


TimeUnit: TypeAlias = Lit["MILLISECOND", "SECOND", "MINUTE", "HOUR", "DAY"]


@dataclass(frozen=True, slots=True)
class Duration(Node):
    """`value unit` as written in windows, WITHIN, GRACE PERIOD and RETENTION; `unit` is the singular name."""

    value: int
    unit: TimeUnit

    @property
    def millis(self) -> int:
        return self.value * _DURATION_MS[self.unit]


@dataclass(frozen=True, slots=True)
class SelectItem(Node):
    """A projected expression with its alias (None when not given: the analyser derives the name)."""

    expression: Expression
    alias: str | None = None


@dataclass(frozen=True, slots=True)
class AllColumns(Node):
    """`*` (source None) or `src.*`."""

    source: str | None = None


@dataclass(frozen=True, slots=True)
class StructAll(Node):
    """`base->*`: every field of a struct."""

    base: Expression


SelectElement: TypeAlias = SelectItem | AllColumns | StructAll


@dataclass(frozen=True, slots=True)
class AliasedSource(Node):
    """A source in FROM or JOIN; `alias` None when not given."""

    name: str
    alias: str | None = None

    @property
    def effective_alias(self) -> str:
        return self.alias if self.alias is not None else self.name


@dataclass(frozen=True, slots=True)
class WithinClause(Node):
    """`WITHIN size` (before == after) or `WITHIN (before, after)`, optional GRACE PERIOD."""

    before: Duration
    after: Duration
    grace: Duration | None = None


JoinKind: TypeAlias = Lit["INNER", "LEFT", "RIGHT", "FULL"]


@dataclass(frozen=True, slots=True)
class Join(Node):
    """`[INNER] | LEFT [OUTER] | RIGHT [OUTER] | FULL [OUTER] JOIN source [WITHIN ...] ON criteria`."""

    kind: JoinKind
    source: AliasedSource
    on: Expression
    within: WithinClause | None = None


WindowKind: TypeAlias = Lit["TUMBLING", "HOPPING", "SESSION"]


@dataclass(frozen=True, slots=True)
class WindowClause(Node):
    """TUMBLING (SIZE ...), HOPPING (SIZE ..., ADVANCE BY ...), SESSION (gap); `size` is the session gap."""

    kind: WindowKind
    size: Duration
    advance: Duration | None = None
    retention: Duration | None = None
    grace: Duration | None = None


# ---------------------------------------------------------------------------------------- statements


@dataclass(frozen=True, slots=True)
class Statement(Node):
    """Base of statements; `text` is the exact source text of the statement including its `;`."""

    text: str = field(default="", kw_only=True, compare=False, repr=False)


EmitKind: TypeAlias = Lit["CHANGES", "FINAL"]


@dataclass(frozen=True, slots=True)
class Query(Statement):
    """A SELECT: a push query (EMIT CHANGES/FINAL) or a pull query (`emit` None)."""

    select: tuple[SelectElement, ...]
    from_: AliasedSource
    joins: tuple[Join, ...] = ()
    window: WindowClause | None = None
    where: Expression | None = None
    group_by: tuple[Expression, ...] = ()
    partition_by: tuple[Expression, ...] = ()
    having: Expression | None = None
    emit: EmitKind | None = None
    limit: int | None = None

    @property
    def is_pull(self) -> bool:
        return self.emit is None


SourceKind: TypeAlias = Lit["STREAM", "TABLE"]
ColumnConstraint: TypeAlias = Lit["KEY", "PRIMARY KEY", "HEADERS", "HEADER"]


@dataclass(frozen=True, slots=True)
class ColumnDef(Node):
    """A column in CREATE STREAM/TABLE; `header_key` is the key of `HEADER('key')`."""

    name: str
    type: Type
    constraint: ColumnConstraint | None = None
    header_key: str | None = None

    @property
    def is_key(self) -> bool:
        return self.constraint in ("KEY", "PRIMARY KEY")


@dataclass(frozen=True, slots=True)
class CreateSource(Statement):
    """CREATE [OR REPLACE] [SOURCE] STREAM|TABLE [IF NOT EXISTS] name [(columns)] [WITH (...)]."""

    kind: SourceKind
    name: str
    columns: tuple[ColumnDef, ...] = ()
    properties: dict[str, PropertyValue] = field(default_factory=dict, hash=False)
    or_replace: bool = False
    if_not_exists: bool = False
    is_source: bool = False


@dataclass(frozen=True, slots=True)
class CreateAsSelect(Statement):
    """CREATE [OR REPLACE] STREAM|TABLE [IF NOT EXISTS] name [WITH (...)] AS query (CSAS / CTAS)."""

    kind: SourceKind
    name: str
    query: Query
    properties: dict[str, PropertyValue] = field(default_factory=dict, hash=False)
    or_replace: bool = False
    if_not_exists: bool = False


@dataclass(frozen=True, slots=True)
class InsertInto(Statement):
    """INSERT INTO target [WITH (...)] query."""

    target: str
    query: Query
    properties: dict[str, PropertyValue] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True)
class InsertValues(Statement):
    """INSERT INTO target [(col, ...)] VALUES (expr, ...); `columns` empty when not listed."""

    target: str
    columns: tuple[str, ...]
    values: tuple[Expression, ...]


ShowKind: TypeAlias = Lit[
    "STREAMS", "TABLES", "TOPICS", "QUERIES", "PROPERTIES", "FUNCTIONS", "TYPES", "VARIABLES",
    "CONNECTORS", "CONNECTOR PLUGINS",
]


@dataclass(frozen=True, slots=True)
class Show(Statement):
    """SHOW|LIST what [EXTENDED]; `all_topics` for SHOW ALL TOPICS; `connector_type` SOURCE/SINK."""

    what: ShowKind
    extended: bool = False
    all_topics: bool = False
    connector_type: Lit["SOURCE", "SINK"] | None = None


@dataclass(frozen=True, slots=True)
class DescribeSource(Statement):
    name: str
    extended: bool = False


@dataclass(frozen=True, slots=True)
class DescribeSources(Statement):
    """DESCRIBE STREAMS|TABLES [EXTENDED]."""

    what: Lit["STREAMS", "TABLES"]
    extended: bool = False


@dataclass(frozen=True, slots=True)
class DescribeFunction(Statement):
    name: str


@dataclass(frozen=True, slots=True)
class DescribeConnector(Statement):
    name: str


@dataclass(frozen=True, slots=True)
class Explain(Statement):
    """EXPLAIN query_id, or EXPLAIN statement (exactly one of the two is set)."""

    query_id: str | None = None
    statement: Statement | None = None


@dataclass(frozen=True, slots=True)
class Terminate(Statement):
    """TERMINATE query_id, or TERMINATE ALL (`query_id` None)."""

    query_id: str | None = None

    @property
    def all(self) -> bool:
        return self.query_id is None


@dataclass(frozen=True, slots=True)
class DropSource(Statement):
    kind: SourceKind
    name: str
    if_exists: bool = False
    delete_topic: bool = False


@dataclass(frozen=True, slots=True)
class SetProperty(Statement):
    """SET 'name' = 'value'."""

    name: str
    value: str


@dataclass(frozen=True, slots=True)
class UnsetProperty(Statement):
    name: str


@dataclass(frozen=True, slots=True)
class DefineVariable(Statement):
    """DEFINE name = 'value'; `name` as written (the engine substitutes `${name}` in later text)."""

    name: str
    value: str


@dataclass(frozen=True, slots=True)
class UndefineVariable(Statement):
    name: str


@dataclass(frozen=True, slots=True)
class CreateType(Statement):
    name: str
    type: Type
    if_not_exists: bool = False


@dataclass(frozen=True, slots=True)
class DropType(Statement):
    name: str
    if_exists: bool = False


@dataclass(frozen=True, slots=True)
class CreateConnector(Statement):
    connector_type: Lit["SOURCE", "SINK"]
    name: str
    properties: dict[str, PropertyValue] = field(default_factory=dict, hash=False)
    if_not_exists: bool = False


@dataclass(frozen=True, slots=True)
class DropConnector(Statement):
    name: str
    if_exists: bool = False


@dataclass(frozen=True, slots=True)
class AlterSource(Statement):
    """ALTER STREAM|TABLE name ADD [COLUMN] col type, ..."""

    kind: SourceKind
    name: str
    columns: tuple[ColumnDef, ...]


@dataclass(frozen=True, slots=True)
class PrintTopic(Statement):
    """PRINT topic [FROM BEGINNING] [INTERVAL n] [LIMIT n]; `topic` as written (topic names keep case)."""

    topic: str
    from_beginning: bool = False
    interval: int | None = None
    limit: int | None = None


@dataclass(frozen=True, slots=True)
class AssertTopic(Statement):
    """ASSERT [NOT EXISTS] TOPIC name [WITH (...)] [TIMEOUT n unit]."""

    topic: str
    exists: bool = True
    properties: dict[str, PropertyValue] = field(default_factory=dict, hash=False)
    timeout: Duration | None = None


@dataclass(frozen=True, slots=True)
class AssertSchema(Statement):
    """ASSERT [NOT EXISTS] SCHEMA [SUBJECT name] [ID n] [TIMEOUT n unit]."""

    subject: str | None = None
    schema_id: int | None = None
    exists: bool = True
    timeout: Duration | None = None
