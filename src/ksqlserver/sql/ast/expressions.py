"""Expression nodes: literals, column references, operators, CASE, CAST, calls and constructors."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal as Lit
from typing import TypeAlias

from ksqlserver.sql.ast.nodes import Node, Type

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
