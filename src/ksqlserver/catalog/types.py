"""SQL types and logical schemas, with ksqlDB's spelling (INTEGER, DECIMAL(6, 4), STRUCT<`F` INTEGER>)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ksqlserver.errors import CompileError, KsqlTypeError
from ksqlserver.sql import ast

PRIMITIVES = (
    "BOOLEAN",
    "INTEGER",
    "BIGINT",
    "DOUBLE",
    "DECIMAL",
    "STRING",
    "BYTES",
    "DATE",
    "TIME",
    "TIMESTAMP",
)
ALIASES = {
    "INT": "INTEGER",
    "VARCHAR": "STRING",
    "CHAR": "STRING",
    "TEXT": "STRING",
    "LONG": "BIGINT",
    "BOOL": "BOOLEAN",
}
NUMERIC = ("INTEGER", "BIGINT", "DECIMAL", "DOUBLE")


@dataclass(frozen=True)
class SqlType:
    """One SQL type; `item` is the ARRAY element or MAP value, `key` the MAP key, `fields` a STRUCT's."""

    base: str
    precision: int | None = None
    scale: int | None = None
    item: SqlType | None = None
    key: SqlType | None = None
    fields: tuple[tuple[str, SqlType], ...] | None = None

    def __str__(self) -> str:
        if self.base == "DECIMAL":
            return f"DECIMAL({self.precision}, {self.scale})"
        if self.base == "ARRAY":
            return f"ARRAY<{self.item}>"
        if self.base == "MAP":
            return f"MAP<{self.key}, {self.item}>"
        if self.base == "STRUCT":
            if not self.fields:
                return "STRUCT< >"  # SqlStruct's text for a struct without fields
            return "STRUCT<" + ", ".join(f"`{n}` {t}" for n, t in self.fields) + ">"
        return self.base

    @property
    def is_numeric(self) -> bool:
        return self.base in NUMERIC

    def contains(self, base: str) -> bool:
        """True if this type or any nested type has `base`."""
        if self.base == base:
            return True
        inner = [t for t in (self.item, self.key) if t is not None]
        inner += [t for _, t in self.fields or ()]
        return any(t.contains(base) for t in inner)

    def field_type(self, name: str) -> SqlType | None:
        for n, t in self.fields or ():
            if n == name:
                return t
        return None


BOOLEAN = SqlType("BOOLEAN")
INTEGER = SqlType("INTEGER")
BIGINT = SqlType("BIGINT")
DOUBLE = SqlType("DOUBLE")
STRING = SqlType("STRING")
BYTES = SqlType("BYTES")
DATE = SqlType("DATE")
TIME = SqlType("TIME")
TIMESTAMP = SqlType("TIMESTAMP")


def decimal(precision: int, scale: int) -> SqlType:
    # ksqlDB's SqlDecimal checks, in its order and words
    if precision < 1:
        raise KsqlTypeError(f"DECIMAL precision must be >= 1: DECIMAL({precision},{scale})")
    if scale < 0:
        raise KsqlTypeError(f"DECIMAL scale must be >= 0: DECIMAL({precision},{scale})")
    if scale > precision:
        raise KsqlTypeError(f"DECIMAL precision must be >= scale: DECIMAL({precision},{scale})")
    return SqlType("DECIMAL", precision=precision, scale=scale)


def array(item: SqlType) -> SqlType:
    return SqlType("ARRAY", item=item)


def map_of(key: SqlType, value: SqlType) -> SqlType:
    return SqlType("MAP", key=key, item=value)


def struct(fields: list[tuple[str, SqlType]]) -> SqlType:
    return SqlType("STRUCT", fields=tuple(fields))


def primitive(name: str) -> SqlType:
    """A primitive type by ksqlDB name or alias (case-insensitive)."""
    upper = ALIASES.get(name.upper(), name.upper())
    if upper not in PRIMITIVES or upper == "DECIMAL":
        raise KsqlTypeError(f"Unknown type: {name}", name)
    return SqlType(upper)


def decimal_for_int(t: SqlType) -> SqlType:
    """The DECIMAL that holds every value of an integer type (ksqlDB's DecimalUtil.toSqlDecimal)."""
    if t.base == "INTEGER":
        return decimal(10, 0)
    if t.base == "BIGINT":
        return decimal(19, 0)
    return t


# --- schemas -------------------------------------------------------------------------------------------

KEY = "KEY"
VALUE = "VALUE"
HEADER = "HEADER"


@dataclass(frozen=True)
class Column:
    name: str
    type: SqlType
    namespace: str = VALUE  # KEY, VALUE or HEADER
    header_key: str | None = None  # HEADER('k') columns

    def describe(self, table: bool = False) -> str:
        suffix = ""
        if self.namespace == KEY:
            suffix = " PRIMARY KEY" if table else " KEY"
        elif self.namespace == HEADER:
            suffix = f" HEADER('{self.header_key}')" if self.header_key else " HEADERS"
        return f"`{self.name}` {self.type}{suffix}"


@dataclass(frozen=True)
class LogicalSchema:
    """Key columns first, then value columns (and header columns in declaration order): the row layout.
    `order`: the CREATE statement's column names as written, when they differ from that layout's order;
    ksqlDB's LogicalSchema.Builder appends as TableElements.toLogicalSchema walks the elements, so its
    columns() (what EntityUtil.buildSourceSchemaEntity lists for DESCRIBE) keep that order."""

    columns: tuple[Column, ...] = field(default_factory=tuple)
    order: tuple[str, ...] = field(default=(), compare=False)

    def declared_columns(self) -> tuple[Column, ...]:
        """The columns in the order the CREATE statement gave them (`columns` when it gave none)."""
        if not self.order:
            return self.columns
        by_name = {c.name: c for c in self.columns}
        listed = [by_name[n] for n in self.order if n in by_name]
        return (*listed, *(c for c in self.columns if c.name not in self.order))

    @property
    def key(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.namespace == KEY)

    @property
    def value(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.namespace != KEY)

    @property
    def value_only(self) -> tuple[Column, ...]:
        """Columns serialised in the record value (not key, not headers)."""
        return tuple(c for c in self.columns if c.namespace == VALUE)

    @property
    def headers(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.namespace == HEADER)

    def find(self, name: str) -> Column | None:
        for c in self.columns:
            if c.name == name:
                return c
        return None

    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def describe(self, table: bool = False) -> str:
        return ", ".join(c.describe(table) for c in self.columns)


PSEUDO_COLUMNS = (("ROWTIME", BIGINT), ("ROWPARTITION", INTEGER), ("ROWOFFSET", BIGINT))
WINDOW_BOUNDS = (("WINDOWSTART", BIGINT), ("WINDOWEND", BIGINT))


# --- parsing type text (DESCRIBE checks, post-schema checks, CAST targets given as text) -------------


class _TypeReader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def _skip(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def peek(self) -> str:
        self._skip()
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def expect(self, ch: str) -> None:
        if self.peek() != ch:
            raise KsqlTypeError(f"Expected '{ch}' at {self.pos} in type: {self.text}", self.text)
        self.pos += 1

    def ident(self) -> str:
        self._skip()
        if self.peek() == "`":
            end = self.text.index("`", self.pos + 1)
            name = self.text[self.pos + 1 : end]
            self.pos = end + 1
            return name
        start = self.pos
        while self.pos < len(self.text) and (self.text[self.pos].isalnum() or self.text[self.pos] in "_$@"):
            self.pos += 1
        if start == self.pos:
            raise KsqlTypeError(f"Expected a name at {self.pos} in: {self.text}", self.text)
        return self.text[start : self.pos].upper()

    def number(self) -> int:
        self._skip()
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos].isdigit():
            self.pos += 1
        return int(self.text[start : self.pos])

    def type(self) -> SqlType:
        name = self.ident().upper()
        if name == "DECIMAL":
            self.expect("(")
            p = self.number()
            self.expect(",")
            s = self.number()
            self.expect(")")
            return decimal(p, s)
        if name == "ARRAY":
            self.expect("<")
            item = self.type()
            self.expect(">")
            return array(item)
        if name == "MAP":
            self.expect("<")
            k = self.type()
            self.expect(",")
            v = self.type()
            self.expect(">")
            return map_of(k, v)
        if name == "STRUCT":
            self.expect("<")
            fields: list[tuple[str, SqlType]] = []
            while self.peek() != ">":
                fname = self.ident()
                fields.append((fname, self.type()))
                if self.peek() == ",":
                    self.pos += 1
            self.expect(">")
            return struct(fields)
        return primitive(name)


def parse_type(text: str) -> SqlType:
    """Parse ksqlDB type text such as `DECIMAL(4, 2)` or `MAP<STRING, ARRAY<INT>>`."""
    reader = _TypeReader(text)
    t = reader.type()
    if reader.peek():
        raise KsqlTypeError(f"Unexpected text after type: {text}", text)
    return t


def parse_schema(text: str) -> LogicalSchema:
    """Parse a column list like `ID INT KEY, NAME STRING` (used for post-schema checks)."""
    reader = _TypeReader(text)
    cols: list[Column] = []
    while reader.peek():
        name = reader.ident()
        t = reader.type()
        ns = VALUE
        hk = None
        save = reader.pos
        word = reader.ident() if reader.peek().isalpha() else ""
        if word == "KEY":
            ns = KEY
        elif word == "PRIMARY":
            reader.ident()
            ns = KEY
        elif word in ("HEADERS", "HEADER"):
            ns = HEADER
            if reader.peek() == "(":
                reader.expect("(")
                reader._skip()
                end = reader.text.index(")", reader.pos)
                hk = reader.text[reader.pos : end].strip().strip("'")
                reader.pos = end + 1
        else:
            reader.pos = save
        cols.append(Column(name, t, ns, hk))
        if reader.peek() == ",":
            reader.pos += 1
    return LogicalSchema(tuple(cols))


_PREPARE = "Failed to prepare statement: "


def ast_type(t: ast.Type) -> SqlType:
    """An AST type as a SqlType. ksqlDB resolves the types of a statement while it builds it, so what it
    refuses here (an unknown type, a bad DECIMAL, repeated STRUCT fields) is a preparation error."""
    if isinstance(t, ast.PrimitiveType):
        return primitive(t.name)
    if isinstance(t, ast.DecimalType):
        try:
            return decimal(t.precision, t.scale)
        except KsqlTypeError as e:
            raise KsqlTypeError(_PREPARE + e.message, e.type_text) from None
    if isinstance(t, ast.CustomType):  # a registered type was substituted before: this one is unknown
        raise KsqlTypeError(f"{_PREPARE}Cannot resolve unknown type: {t.name}", t.name)
    if isinstance(t, ast.ArrayType):
        return array(ast_type(t.element))
    if isinstance(t, ast.MapType):
        return map_of(ast_type(t.key), ast_type(t.value))
    if isinstance(t, ast.StructType):
        fields = [(f.name, ast_type(f.type)) for f in t.fields]
        for i, (name, ft) in enumerate(fields):
            first = next(((n, x) for n, x in fields[:i] if n == name), None)
            if first is not None:  # SqlStruct.Builder, while the statement is built
                raise KsqlTypeError(
                    f"{_PREPARE}Duplicate field names found in STRUCT: "
                    f"'`{name}` {first[1]}' and '`{name}` {ft}'",
                    str(t),
                )
        return struct(fields)
    raise CompileError(f"Unknown type: {getattr(t, 'name', t)}")
