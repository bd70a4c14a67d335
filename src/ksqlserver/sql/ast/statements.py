"""Query parts (SELECT items, sources, joins, windows) and statement nodes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal as Lit
from typing import TypeAlias

from ksqlserver.sql.ast.expressions import Expression
from ksqlserver.sql.ast.nodes import Node, PropertyValue, Type

_DURATION_MS = {
    "MILLISECOND": 1,
    "SECOND": 1_000,
    "MINUTE": 60_000,
    "HOUR": 3_600_000,
    "DAY": 86_400_000,
}


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
    "STREAMS",
    "TABLES",
    "TOPICS",
    "QUERIES",
    "PROPERTIES",
    "FUNCTIONS",
    "TYPES",
    "VARIABLES",
    "CONNECTORS",
    "CONNECTOR PLUGINS",
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
class AlterSystem(Statement):
    """ALTER SYSTEM 'name' = 'value' (a cluster-wide property)."""

    name: str
    value: str


@dataclass(frozen=True, slots=True)
class PauseResume(Statement):
    """PAUSE query_id | ALL, RESUME query_id | ALL (`query_id` None: every persistent query)."""

    action: Lit["PAUSE", "RESUME"]
    query_id: str | None = None


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


# --- the testing tool's statements (SqlBase.g4 testStatement: never accepted by /ksql) -----------------


@dataclass(frozen=True, slots=True)
class AssertValues(Statement):
    """ASSERT VALUES source [(columns)] VALUES (...): the record the source must hold next; located, as
    ksqlDB's AstBuilder.visitAssertValues locates it, at the source name."""

    statement: InsertValues


@dataclass(frozen=True, slots=True)
class AssertTombstone(Statement):
    """ASSERT NULL VALUES source [(columns)] KEY (...): the tombstone the source must hold next."""

    statement: InsertValues


@dataclass(frozen=True, slots=True)
class AssertSource(Statement):
    """ASSERT STREAM|TABLE name [(columns)] [WITH (...)]: the source must match this definition (ksqlDB's
    AssertStream / AssertTable wrapping a CreateStream / CreateTable)."""

    statement: CreateSource


@dataclass(frozen=True, slots=True)
class RunScript(Statement):
    """RUN SCRIPT 'path' (the testing tool reads the file's statements in its place)."""

    path: str
