"""Expressions compiled once per query into Python source, then into one function per query step.

Each AST expression becomes a Python expression string over `row` (a list of column values) with
ksqlDB's null rules spelled out inline (walrus temporaries, no per-record AST walking); functions, casts
and constants are bound into the generated module's namespace. `Compiler.function` builds the step:
a filter, or a projection that evaluates every column under its own try/except so one failing column
becomes null (and is reported) while the record goes on, as ksqlDB's SelectValueMapper does.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

from ksqlserver import ast
from ksqlserver import types as T
from ksqlserver.casts import caster
from ksqlserver.errors import KsqlStatementError
from ksqlserver.extensions.batching import BatchCalls
from ksqlserver.extensions.invoke import Elements, value_of
from ksqlserver.functions import AGGREGATE_NAMES, FunctionRegistry, common_type
from ksqlserver.functions.paramtypes import Arg, IntervalArg, LambdaArg, reserve
from ksqlserver.functions.registry import Resolved, ScalarFunction, lambda_inputs
from ksqlserver.sqltext import OP_NAMES, sql
from ksqlserver.types import SqlType

_DCTX = Context(prec=120)
_LITERAL = re.compile(r"-?\d+|'(?:[^'\\]|\\.)*'|True|False")
_NUM_ORDER = ("INTEGER", "BIGINT", "DECIMAL", "DOUBLE")


@dataclass(frozen=True)
class ScopeColumn:
    name: str
    type: SqlType
    index: int
    source: str | None = None  # alias of the source the column comes from (joins)


class Scope:
    """The columns an expression can reference, each at a fixed index of the row list."""

    def __init__(self, columns: Sequence[ScopeColumn]) -> None:
        self.columns = list(columns)

    def resolve(self, ref: ast.ColumnRef) -> ScopeColumn | None:
        hits = [
            c
            for c in self.columns
            if c.name == ref.name and (ref.source is None or c.source is None or c.source == ref.source)
        ]
        if ref.source is not None:
            exact = [c for c in hits if c.source == ref.source]
            hits = exact or hits
        return hits[0] if hits else None


class CompileError(KsqlStatementError):
    """An expression that does not type-check; carries the expression text."""

    def __init__(self, message: str, expression: str = "") -> None:
        super().__init__(message)
        self.expression = expression


# --- runtime helpers bound into generated code ---------------------------------------------------------


def _idiv(a: int, b: int) -> int:
    if b == 0:
        raise ZeroDivisionError("/ by zero")
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def _imod(a: int, b: int) -> int:
    if b == 0:
        raise ZeroDivisionError("/ by zero")
    r = abs(a) % abs(b)
    return r if a >= 0 else -r


def _fdiv(a: float, b: float) -> float:
    if b == 0:
        if a == 0 or a != a:
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def _fmod(a: float, b: float) -> float:
    if b == 0:
        return math.nan
    return math.fmod(a, b)


def _dec_op(op: str, scale: int) -> Callable[[Decimal, Decimal], Decimal]:
    q = Decimal(1).scaleb(-scale)
    if op == "+":
        return lambda a, b: _DCTX.add(a, b).quantize(q, rounding=ROUND_HALF_UP, context=_DCTX)
    if op == "-":
        return lambda a, b: _DCTX.subtract(a, b).quantize(q, rounding=ROUND_HALF_UP, context=_DCTX)
    if op == "*":
        return lambda a, b: _DCTX.multiply(a, b).quantize(q, rounding=ROUND_HALF_UP, context=_DCTX)
    if op == "/":
        return lambda a, b: _DCTX.divide(a, b).quantize(q, rounding=ROUND_HALF_UP, context=_DCTX)
    return lambda a, b: _DCTX.remainder(a, b).quantize(q, rounding=ROUND_HALF_UP, context=_DCTX)


def like_regex(pattern: str, escape: str | None) -> re.Pattern[str]:
    out = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if escape and c == escape and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if c == "%" else "." if c == "_" else re.escape(c))
        i += 1
    return re.compile("".join(out), re.S)


_NESTED_MAX = 16  # failures kept for the projection to report (other steps never read them: bounded)


def _raise_first(failures: list[Exception]) -> Any:
    e = failures[0]
    failures.clear()
    raise e


def _guards(failures: list[Exception]) -> tuple[Callable[..., Any], Callable[[Callable[[], Any]], Any]]:
    """ksqlDB's nested error handling: a function call given as another function's argument, a CAST, and
    the items of ARRAY / MAP / STRUCT constructors are evaluated on their own, a failure making them null
    (and noted in `failures`, which a projection reports under the column). Elsewhere a failing call fails
    its column or predicate. Returns (quiet: fn -> fn with failures as null, or_null: thunk -> value)."""

    def quiet(fn: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            try:
                return fn(*args)
            except Exception as e:
                if len(failures) < _NESTED_MAX:
                    failures.append(e)
                return None

        return call

    def or_null(arg: Callable[[], Any]) -> Any:
        try:
            return arg()
        except Exception as e:
            if len(failures) < _NESTED_MAX:
                failures.append(e)
            return None

    return quiet, or_null


def _subscript(base: Any, index: Any) -> Any:
    if isinstance(base, list):
        n = len(base)
        i = index - 1 if index > 0 else n + index
        return base[i] if 0 <= i < n and index != 0 else None
    return base.get(index)


_TRIVIAL = (ast.ColumnRef, ast.LambdaVariable, ast.Literal)
# what a function argument's position guards (ksqlDB evaluates these arguments on their own)
_GUARDED_ARGS = (ast.FunctionCall, ast.Dereference)


def _cannot_raise(e: ast.Expression) -> bool:
    """Plain values and struct fields of them: their code needs no guard."""
    if isinstance(e, ast.Dereference):
        return _cannot_raise(e.base)
    return isinstance(e, _TRIVIAL)


def _safe_arg(e: ast.Expression) -> bool:
    """A function argument whose evaluation cannot fail the call: plain, or guarded where it stands."""
    return _cannot_raise(e) or isinstance(e, (*_GUARDED_ARGS, ast.Cast, ast.CreateArray, ast.CreateMap, ast.CreateStruct))


# --- typing -----------------------------------------------------------------------------------------------


def arithmetic_type(op: str, a: SqlType | None, b: SqlType | None) -> SqlType | None:
    """ksqlDB's result type of `a op b`; None when the operands are not numeric (or strings for +)."""
    if a is None and b is None:
        return None
    a = a or b
    b = b or a
    assert a is not None and b is not None
    if a.base == "STRING" and b.base == "STRING" and op in ("+", "||"):
        return T.STRING
    if not (a.is_numeric and b.is_numeric):
        return None
    if "DOUBLE" in (a.base, b.base):
        return T.DOUBLE
    if "DECIMAL" in (a.base, b.base):
        da, db = T.decimal_for_int(a), T.decimal_for_int(b)
        p1, s1, p2, s2 = da.precision or 0, da.scale or 0, db.precision or 0, db.scale or 0
        if op in ("+", "-"):
            s = max(s1, s2)
            p = max(p1 - s1, p2 - s2) + s + 1
        elif op == "*":
            p, s = p1 + p2 + 1, s1 + s2
        elif op == "/":
            s = max(6, s1 + p2 + 1)
            p = p1 - s1 + s2 + s
        else:
            s = max(s1, s2)
            p = min(p1 - s1, p2 - s2) + s
        if p > 38:
            s = max(s - (p - 38), min(s, 6))
            p = 38
        return T.decimal(max(p, 1), min(s, max(p, 1)))
    return T.BIGINT if "BIGINT" in (a.base, b.base) else T.INTEGER


def comparable(a: SqlType | None, b: SqlType | None, op: str) -> bool:
    if a is None or b is None:
        return True
    if a.is_numeric and b.is_numeric:
        return True
    if a.base in ("ARRAY", "MAP", "STRUCT") or b.base in ("ARRAY", "MAP", "STRUCT"):
        return a == b and op in ("=", "<>", "IS DISTINCT FROM", "IS NOT DISTINCT FROM")
    if {a.base, b.base} <= {"TIMESTAMP", "STRING", "DATE", "TIME"} and "STRING" in (a.base, b.base):
        return True
    if {a.base, b.base} <= {"TIMESTAMP", "DATE"}:
        return True
    return a.base == b.base


def _literal_type(e: ast.Literal) -> SqlType | None:
    if isinstance(e, ast.IntegerLiteral):
        return T.INTEGER
    if isinstance(e, ast.LongLiteral):
        return T.BIGINT
    if isinstance(e, ast.DoubleLiteral):
        return T.DOUBLE
    if isinstance(e, ast.DecimalLiteral):
        _, digits, exp = e.value.as_tuple()
        scale = max(-int(exp), 0)
        return T.decimal(max(len(digits), scale, 1), scale)
    if isinstance(e, ast.StringLiteral):
        return T.STRING
    if isinstance(e, ast.BooleanLiteral):
        return T.BOOLEAN
    return None


def ast_type(t: ast.Type) -> SqlType:
    """An AST type as a SqlType."""
    if isinstance(t, ast.PrimitiveType):
        return T.primitive(t.name)
    if isinstance(t, ast.DecimalType):
        return T.decimal(t.precision, t.scale)
    if isinstance(t, ast.ArrayType):
        return T.array(ast_type(t.element))
    if isinstance(t, ast.MapType):
        return T.map_of(ast_type(t.key), ast_type(t.value))
    if isinstance(t, ast.StructType):
        return T.struct([(f.name, ast_type(f.type)) for f in t.fields])
    raise CompileError(f"Unknown type: {getattr(t, 'name', t)}")


# --- the compiler -----------------------------------------------------------------------------------


class Compiler:
    """Compiles expressions over one scope into Python source fragments, then into functions."""

    def __init__(
        self,
        scope: Scope,
        registry: FunctionRegistry,
        clause: str = "SELECT",
        lambdas: dict[str, tuple[str, SqlType | None]] | None = None,
    ) -> None:
        self.scope = scope
        self.registry = registry
        self.clause = clause
        self.ns: dict[str, Any] = {
            "_idiv": _idiv,
            "_imod": _imod,
            "_fdiv": _fdiv,
            "_fmod": _fmod,
            "Decimal": Decimal,
            "_subscript": _subscript,
            "float": float,
        }
        self._n = 0
        self.lambdas = lambdas or {}
        self.used_columns: set[int] = set()
        # set by the physical plan for a SELECT: calls of batch functions are evaluated per micro-batch
        self.batch_calls: BatchCalls | None = None
        self._depth = 0  # nesting of the expression being compiled (table functions: top level only)
        self._failures: list[Exception] = []  # nested failures of the current row (see _guards)
        self._quiet, self.ns["_or_null"] = _guards(self._failures)
        self.ns["_failures"] = self._failures
        self.ns["_checked"] = lambda t, _f=self._failures: _raise_first(_f) if _f else t
        self.ns["_each"] = lambda fn, *lists: Elements(fn, lists)
        self._table_stack: list[str] = []  # table functions being compiled (they cannot nest)
        self._table_items: list[tuple[str, str]] = []  # (element name, list code) of the current column
        self._case_seen: ast.SearchedCase | None = None
        self._quiet_next = False  # the next function call compiled is a guarded argument
        self._quiet_codes: set[str] = set()  # calls bound failure-to-null
        self._guard_names: set[str] = {"_or_null"}  # names whose calls note nested failures

    # names -------------------------------------------------------------------------
    def _tmp(self) -> str:
        self._n += 1
        return f"_t{self._n}"

    def const(self, value: Any) -> str:
        if value is None or isinstance(value, (bool, int, str)):
            return repr(value)
        self._n += 1
        name = f"_k{self._n}"
        self.ns[name] = value
        return name

    def guarded(self, *codes: str) -> bool:
        """Whether evaluating any of these codes may note nested failures (see `_guards`)."""
        return any(g + "(" in c for c in codes for g in self._guard_names)

    def _bind_quiet(self, fn: Any) -> str:
        name = self.bind(self._quiet(fn))
        self._guard_names.add(name)
        return name

    def bind(self, fn: Any) -> str:
        self._n += 1
        name = f"_f{self._n}"
        self.ns[name] = fn
        return name

    def _nullsafe(self, codes: Sequence[str], body: Callable[[list[str]], str]) -> str:
        # literals are used as they are; only expressions that may be null get a temporary and a test
        names, tests = [], []
        for c in codes:
            if _LITERAL.fullmatch(c):
                names.append(c)
                continue
            t = self._tmp()
            names.append(t)
            tests.append(f"({t} := {c}) is None")
        if not tests:
            return f"({body(names)})"
        return f"(None if {' or '.join(tests)} else {body(names)})"

    def convert(self, code: str, src: SqlType | None, dst: SqlType | None) -> str:
        """Code converting `code` of type src to dst (implicit widening)."""
        if dst is None or src is None or src == dst:
            return code
        if dst.base == "DOUBLE" and src.base in ("INTEGER", "BIGINT", "DECIMAL"):
            t = self._tmp()
            return f"(None if ({t} := {code}) is None else float({t}))"
        if dst.base == "DECIMAL" and src.base in ("INTEGER", "BIGINT"):
            t = self._tmp()
            return f"(None if ({t} := {code}) is None else Decimal({t}))"
        if dst.base == "BIGINT" and src.base == "INTEGER":
            return code
        return f"{self.bind(caster(src, dst))}({code})"

    # entry points -------------------------------------------------------------------
    def type_of(self, e: ast.Expression) -> SqlType | None:
        return self.expr(e)[1]

    def error(self, message: str, e: ast.Node | None = None) -> CompileError:
        return CompileError(message, sql(e) if e is not None else "")

    def function(self, body: str, name: str = "_step") -> Callable[..., Any]:
        src = f"def {name}(row):\n    return {body}\n"
        exec(compile(src, f"<ksql {name}>", "exec"), self.ns)  # generated from typed AST only
        return self.ns[name]

    def projection(self, codes: Sequence[str], name: str = "_project") -> Callable[..., list[Any]]:
        """A function row, on_error -> list of column values; a failing column is None + on_error(i, exc)."""
        lines = [f"def {name}(row, on_error):"]
        if self.guarded(*codes):
            lines.append("    _failures.clear()")  # none left over from another step of this compiler
        outs = []
        for i, c in enumerate(codes):
            simple = re.fullmatch(r"row\[\d+\]|'[^'\\]*'|None|-?\d+", c) is not None
            if simple:
                outs.append(c)
                continue
            v = f"_c{i}"
            lines += [
                "    try:",
                f"        {v} = {c}",
                "    except Exception as e:",
                f"        {v} = None",
                f"        on_error({i}, e)",
            ]
            if self.guarded(c):  # nested failures: reported, value kept
                lines += [
                    "    if _failures:",
                    "        for e in _failures:",
                    f"            on_error({i}, e)",
                    "        _failures.clear()",
                ]
            outs.append(v)
        lines.append(f"    return [{', '.join(outs)}]")
        exec(compile("\n".join(lines) + "\n", f"<ksql {name}>", "exec"), self.ns)
        return self.ns[name]

    # expressions ---------------------------------------------------------------------
    def expr(self, e: ast.Expression) -> tuple[str, SqlType | None]:
        method = getattr(self, "_" + type(e).__name__, None)
        if method is None:
            raise self.error(f"Unsupported expression: {sql(e)}", e)
        self._depth += 1
        try:
            code, t = method(e)
        finally:
            self._depth -= 1
        if self._depth == 0:
            self._case_seen = None
            if self._table_items:  # a column with table functions: one value per element (zipped)
                items, self._table_items = self._table_items, []
                if len(items) == 1 and items[0][0] == code:
                    code = items[0][1]
                else:
                    names = ", ".join(v for v, _ in items)
                    code = f"_each(lambda {names}: {code}, {', '.join(c for _, c in items)})"
        return code, t

    def _IntegerLiteral(self, e: ast.IntegerLiteral) -> tuple[str, SqlType | None]:
        return repr(e.value), T.INTEGER

    def _LongLiteral(self, e: ast.LongLiteral) -> tuple[str, SqlType | None]:
        return repr(e.value), T.BIGINT

    def _DoubleLiteral(self, e: ast.DoubleLiteral) -> tuple[str, SqlType | None]:
        return self.const(float(e.value)), T.DOUBLE

    def _DecimalLiteral(self, e: ast.DecimalLiteral) -> tuple[str, SqlType | None]:
        return self.const(e.value), _literal_type(e)

    def _StringLiteral(self, e: ast.StringLiteral) -> tuple[str, SqlType | None]:
        return repr(e.value), T.STRING

    def _BooleanLiteral(self, e: ast.BooleanLiteral) -> tuple[str, SqlType | None]:
        return repr(e.value), T.BOOLEAN

    def _NullLiteral(self, e: ast.NullLiteral) -> tuple[str, SqlType | None]:
        return "None", None

    def _ColumnRef(self, e: ast.ColumnRef) -> tuple[str, SqlType | None]:
        col = self.scope.resolve(e)
        if col is None:
            if e.source is None and e.name in self.lambdas:
                return self.lambdas[e.name]
            raise self.error(f"{self.clause} column '{sql(e)}' cannot be resolved.", e)
        self.used_columns.add(col.index)
        return f"row[{col.index}]", col.type

    def _LambdaVariable(self, e: ast.LambdaVariable) -> tuple[str, SqlType | None]:
        if e.name not in self.lambdas:
            raise self.error(f"Unknown lambda variable {e.name}", e)
        return self.lambdas[e.name]

    def _Dereference(self, e: ast.Dereference) -> tuple[str, SqlType | None]:
        code, t = self.expr(e.base)
        if t is None or t.base != "STRUCT":
            raise self.error(f"Can't dereference a non-struct: {sql(e.base)}", e)
        ft = t.field_type(e.field)
        if ft is None:
            raise self.error(f"Could not find field '{e.field}' in '{sql(e.base)}'.", e)
        tmp = self._tmp()
        return f"(None if ({tmp} := {code}) is None else {tmp}.get({e.field!r}))", ft

    def _Subscript(self, e: ast.Subscript) -> tuple[str, SqlType | None]:
        base, bt = self.expr(e.base)
        idx, it = self.expr(e.index)
        if bt is None or bt.base not in ("ARRAY", "MAP"):
            raise self.error(f"Subscript expression must be on an ARRAY or MAP: {sql(e)}", e)
        if bt.base == "MAP":
            idx = self.convert(idx, it, bt.key)
        return self._nullsafe([base, idx], lambda t: f"_subscript({t[0]}, {t[1]})"), bt.item

    def _ArithmeticUnary(self, e: ast.ArithmeticUnary) -> tuple[str, SqlType | None]:
        code, t = self.expr(e.operand)
        if t is not None and not t.is_numeric:
            raise self.error(f"Unary {e.op} requires a numeric operand: {sql(e)}", e)
        if e.op == "+":
            return code, t
        return self._nullsafe([code], lambda v: f"(-{v[0]})"), t

    def _ArithmeticBinary(self, e: ast.ArithmeticBinary) -> tuple[str, SqlType | None]:
        left, lt = self.expr(e.left)
        right, rt = self.expr(e.right)
        op = e.op
        rtype = arithmetic_type(op, lt, rt) if lt is not None and rt is not None else None
        if rtype is None and lt is not None and rt is not None:
            raise self.error(
                f"Error processing expression: {sql(e)}. Unsupported arithmetic types. {lt.base} {rt.base}", e
            )
        if rtype is None:
            names = ["null" if t is None else str(t) for t in (lt, rt)]
            raise self.error(
                f"Error processing expression: {sql(e)}. Arithmetic on types {names[0]} and {names[1]} "
                f"are not supported.",
                e,
            )
        if rtype.base == "STRING":
            return self._nullsafe([left, right], lambda v: f"({v[0]} + {v[1]})"), rtype
        if rtype.base == "DOUBLE":
            left, right = self.convert(left, lt, T.DOUBLE), self.convert(right, rt, T.DOUBLE)
            if op == "/":
                return self._nullsafe([left, right], lambda v: f"_fdiv({v[0]}, {v[1]})"), rtype
            if op == "%":
                return self._nullsafe([left, right], lambda v: f"_fmod({v[0]}, {v[1]})"), rtype
            return self._nullsafe([left, right], lambda v: f"({v[0]} {op} {v[1]})"), rtype
        if rtype.base == "DECIMAL":
            left = self.convert(left, lt, T.decimal_for_int(lt) if lt else None)
            right = self.convert(right, rt, T.decimal_for_int(rt) if rt else None)
            fn = self.bind(_dec_op(op, rtype.scale or 0))
            return self._nullsafe([left, right], lambda v: f"{fn}({v[0]}, {v[1]})"), rtype
        bits = 32 if rtype.base == "INTEGER" else 64
        half, mask = 2 ** (bits - 1), 2**bits - 1
        if op == "/":
            body = "_idiv({0}, {1})"
        elif op == "%":
            body = "_imod({0}, {1})"
        else:
            body = "({0} " + op + " {1})"
        wrapped = "((" + body + f" + {half}) & {mask}) - {half}"
        return self._nullsafe([left, right], lambda v: "(" + wrapped.format(v[0], v[1]) + ")"), rtype

    def _Comparison(self, e: ast.Comparison) -> tuple[str, SqlType | None]:
        left, lt = self.expr(e.left)
        right, rt = self.expr(e.right)
        if not comparable(lt, rt, e.op):
            raise self.error(
                f"Cannot compare {sql(e.left)} ({lt}) to {sql(e.right)} ({rt}) with {OP_NAMES[e.op]}.", e
            )
        if lt is None and rt is None:
            raise self.error(f"Comparison with NULL not supported: NULL {e.op} NULL", e)
        left, right = self._align(left, lt, right, rt)
        if e.op == "IS DISTINCT FROM":
            return f"({left} != {right})", T.BOOLEAN
        if e.op == "IS NOT DISTINCT FROM":
            return f"({left} == {right})", T.BOOLEAN
        pyop = {"=": "==", "<>": "!="}.get(e.op, e.op)
        return self._compare(left, right, pyop), T.BOOLEAN

    def _compare(self, left: str, right: str, pyop: str) -> str:
        """Comparison with ksqlDB's null rule (false when either side is null); literals are not tested."""
        names, tests = [], []
        for c in (left, right):
            if _LITERAL.fullmatch(c):
                names.append(c)
                continue
            t = self._tmp()
            names.append(t)
            tests.append(f"({t} := {c}) is None")
        if not tests:
            return f"({names[0]} {pyop} {names[1]})"
        return f"(False if {' or '.join(tests)} else {names[0]} {pyop} {names[1]})"

    def _align(self, left: str, lt: SqlType | None, right: str, rt: SqlType | None) -> tuple[str, str]:
        """Convert operand pairs so Python compares like ksqlDB (DECIMAL vs DOUBLE as doubles)."""
        if lt is not None and rt is not None and lt.base != rt.base:
            if {lt.base, rt.base} == {"DOUBLE", "DECIMAL"}:
                return self.convert(left, lt, T.DOUBLE), self.convert(right, rt, T.DOUBLE)
            if lt.base == "STRING" and rt.base in ("TIMESTAMP", "DATE", "TIME"):
                return self.convert(left, lt, rt), right
            if rt.base == "STRING" and lt.base in ("TIMESTAMP", "DATE", "TIME"):
                return left, self.convert(right, rt, lt)
            if {lt.base, rt.base} == {"TIMESTAMP", "DATE"}:
                return self.convert(left, lt, T.TIMESTAMP), self.convert(right, rt, T.TIMESTAMP)
        return left, right

    def _boolean(self, e: ast.Expression) -> str:
        code, t = self.expr(e)
        if t is not None and t.base != "BOOLEAN":
            raise self.error(
                f"Type error in {self.clause} expression: Should evaluate to boolean but is "
                f"{sql(e)} ({t}) instead.",
                e,
            )
        return code

    def _LogicalBinary(self, e: ast.LogicalBinary) -> tuple[str, SqlType | None]:
        left, right = self._boolean(e.left), self._boolean(e.right)
        a, b = self._tmp(), self._tmp()
        if e.op == "AND":
            return (
                f"(False if ({a} := {left}) is False else (False if ({b} := {right}) is False else "
                f"(None if {a} is None or {b} is None else True)))"
            ), T.BOOLEAN
        return (
            f"(True if ({a} := {left}) is True else (True if ({b} := {right}) is True else "
            f"(None if {a} is None or {b} is None else False)))"
        ), T.BOOLEAN

    def _Not(self, e: ast.Not) -> tuple[str, SqlType | None]:
        code = self._boolean(e.operand)
        return self._nullsafe([code], lambda v: f"(not {v[0]})"), T.BOOLEAN

    def _Between(self, e: ast.Between) -> tuple[str, SqlType | None]:
        v, vt = self.expr(e.value)
        lo, lot = self.expr(e.lower)
        hi, hit = self.expr(e.upper)
        for other, ot in ((e.lower, lot), (e.upper, hit)):
            if not comparable(vt, ot, "<="):
                raise self.error(
                    f"Cannot compare {sql(e.value)} ({vt}) to {sql(other)} ({ot}) with "
                    f"GREATER_THAN_OR_EQUAL.",
                    e,
                )
        bases = {t.base for t in (vt, lot, hit) if t is not None}
        if {"DOUBLE", "DECIMAL"} <= bases:
            v, lo, hi = (self.convert(c, t, T.DOUBLE) for c, t in ((v, vt), (lo, lot), (hi, hit)))
        neg = "not " if e.negated else ""
        a, b, c = self._tmp(), self._tmp(), self._tmp()
        return (
            f"(False if ({a} := {v}) is None or ({b} := {lo}) is None or ({c} := {hi}) is None "
            f"else {neg}({b} <= {a} <= {c}))"
        ), T.BOOLEAN

    def _Like(self, e: ast.Like) -> tuple[str, SqlType | None]:
        v, vt = self.expr(e.value)
        if vt is not None and vt.base != "STRING":
            raise self.error(f"LIKE requires a STRING operand: {sql(e)}", e)
        neg = "not " if e.negated else ""
        if isinstance(e.pattern, ast.StringLiteral):
            rx = self.const(like_regex(e.pattern.value, e.escape))
            return self._nullsafe([v], lambda t: f"({neg}{rx}.fullmatch({t[0]}) is not None)"), T.BOOLEAN
        p, _ = self.expr(e.pattern)
        mk = self.bind(lambda pat, _esc=e.escape: like_regex(pat, _esc))
        code = self._nullsafe([v, p], lambda t: f"({neg}{mk}({t[1]}).fullmatch({t[0]}) is not None)")
        return code, T.BOOLEAN

    def _InList(self, e: ast.InList) -> tuple[str, SqlType | None]:
        v, vt = self.expr(e.value)
        items = [self.expr(i) for i in e.items]
        for item, (_, it) in zip(e.items, items, strict=True):
            if not comparable(vt, it, "="):
                raise self.error(
                    f"Invalid IN expression: cannot compare {sql(e.value)} ({vt}) to {sql(item)} ({it}).", e
                )
        tuple_code = "(" + "".join(f"{c}, " for c, _ in items) + ")"
        neg = "not " if e.negated else ""
        return self._nullsafe([v], lambda t: f"({t[0]} {neg}in {tuple_code})"), T.BOOLEAN

    def _IsNull(self, e: ast.IsNull) -> tuple[str, SqlType | None]:
        v, _ = self.expr(e.value)
        return f"({v} is {'not ' if e.negated else ''}None)", T.BOOLEAN

    def _case_result(
        self, results: list[tuple[str, SqlType | None]], e: ast.Node
    ) -> tuple[list[str], SqlType | None]:
        types = [t for _, t in results]
        if all(t is None for t in types):
            raise self.error("Invalid Case expression. All case branches have NULL type", e)
        rtype = common_type(types)
        if rtype is None and any(t is not None for t in types):
            raise self.error(
                "Invalid Case expression. Type for all 'THEN' clauses should be the same."
                f"\nTHEN expression '{sql(e)}' has type: {types[0]}.",
                e,
            )
        return [self.convert(c, t, rtype) for c, t in results], rtype

    def _SearchedCase(self, e: ast.SearchedCase) -> tuple[str, SqlType | None]:
        self._case_seen = self._case_seen or e  # ksqlDB: no table function after a CASE in a column
        conds = [self._boolean(w.condition) for w in e.whens]
        results = [self.expr(w.result) for w in e.whens]
        if e.default is not None:
            results.append(self.expr(e.default))
        codes, rtype = self._case_result(results, e)
        out = codes[-1] if e.default is not None else "None"
        for cond, res in reversed(list(zip(conds, codes, strict=False))):
            out = f"({res} if {cond} is True else {out})"
        return out, rtype

    def _SimpleCase(self, e: ast.SimpleCase) -> tuple[str, SqlType | None]:
        op, _ = self.expr(e.operand)
        tmp = self._tmp()
        results = [self.expr(w.result) for w in e.whens]
        if e.default is not None:
            results.append(self.expr(e.default))
        codes, rtype = self._case_result(results, e)
        out = codes[-1] if e.default is not None else "None"
        for w, res in reversed(list(zip(e.whens, codes, strict=False))):
            c, _ = self.expr(w.condition)
            out = f"({res} if {tmp} is not None and {tmp} == {c} else {out})"
        return f"(({tmp} := {op}), {out})[1]", rtype

    def _Cast(self, e: ast.Cast) -> tuple[str, SqlType | None]:
        code, t = self.expr(e.expression)
        target = ast_type(e.type)
        if t == target:
            return code, target
        try:
            fn = caster(t, target)
        except KsqlStatementError as err:
            raise self.error(f"Invalid {self.clause.title()}: {err.message}", e) from None
        if isinstance(e.expression, ast.Literal) and not isinstance(e.expression, ast.NullLiteral):
            folded = self.function(code, f"_lit{self._tmp()}")([])  # a constant: cast once
            return self.const(_guards([])[0](fn)(folded)), target
        if _cannot_raise(e.expression):
            return f"{self._bind_quiet(fn)}({code})", target
        return f"_or_null(lambda: {self.bind(fn)}({code}))", target

    def _FunctionCall(self, e: ast.FunctionCall) -> tuple[str, SqlType | None]:
        quiet, self._quiet_next = self._quiet_next, False  # this call is a guarded argument (see _guarded)
        if e.name in AGGREGATE_NAMES:
            raise self.error(f"Aggregate function {e.name} is not allowed in {self.clause}: {sql(e)}", e)
        fn = self.registry.require(e.name)
        kind = getattr(fn, "kind", "SCALAR")  # plugin functions (ksqlserver.extensions) may be UDTF/UDAF
        if kind == "AGGREGATE":  # plugin UDAFs are rewritten by the aggregation analysis; elsewhere, as built-ins
            raise self.error(f"Aggregate function {e.name} is not allowed in {self.clause}: {sql(e)}", e)
        if kind == "TABLE":
            return self._table_call(e, fn)
        args, resolved = self._call_args(e, fn)
        rtype, impl, targets = resolved.returns, resolved.impl, resolved.targets
        codes = [self.convert(c, t, tgt) for (c, t), tgt in zip(args, targets, strict=True)]
        batch = getattr(impl, "ksql_batch", None)
        if batch is not None and self.batch_calls is not None and not self.lambdas:
            # vectorised path: arguments evaluated for the whole micro-batch, one call, results in row[-1]
            # (the same deterministic call twice in one SELECT, e.g. a score and a flag on it, runs once)
            key = (id(getattr(impl, "fn", impl)), tuple(codes))
            slot = self.batch_calls.find(key)
            if slot is None:
                args = "(" + "".join(f"{c}, " for c in codes) + ")"
                if self.guarded(args):  # a nested failure fails this row's call
                    args = f"_checked({args})"
                args_fn = self.function(args, f"_bargs{self._tmp()}")
                slot = self.batch_calls.add(args_fn, batch, key)
            self.ns["_bget"] = value_of
            return f"_bget(row[-1][{slot}])", rtype
        codes = [self._guarded(a, c) if isinstance(a, _GUARDED_ARGS) else c for a, c in zip(e.args, codes, strict=True)]
        code = f"{self._bind_quiet(impl) if quiet else self.bind(impl)}({', '.join(codes)})"
        if quiet:
            self._quiet_codes.add(code)
        return code, rtype

    def _table_call(self, e: ast.FunctionCall, fn: ScalarFunction) -> tuple[str, SqlType | None]:
        """A table function in a SELECT column: its list is computed once per row and the column's
        expression is evaluated for each element (`expr` wraps the column); ksqlDB's restrictions."""
        if self.clause != "SELECT" or self.lambdas:
            raise self.error(f"Table function {e.name} can only be used in the columns of a SELECT: {sql(e)}", e)
        if self._table_stack:
            raise self.error(f"Table functions cannot be nested: {self._table_stack[-1]}({e.name}())", e)
        if self._case_seen is not None:
            raise self.error(f"Table functions cannot be used in CASE: {sql(self._case_seen)}", e)
        self._table_stack.append(e.name)
        try:
            args, resolved = self._call_args(e, fn)
        finally:
            self._table_stack.pop()
        codes = [self.convert(c, t, tgt) for (c, t), tgt in zip(args, resolved.targets, strict=True)]
        codes = [self._guarded(a, c) if isinstance(a, _GUARDED_ARGS) else c for a, c in zip(e.args, codes, strict=True)]
        var = f"_x{self._tmp()[2:]}"
        self._table_items.append((var, f"{self.bind(resolved.impl)}({', '.join(codes)})"))
        self._quiet_codes.add(var)
        return var, resolved.returns

    def _guarded(self, e: ast.Expression, code: str) -> str:
        """The code of a nested-error-handled expression: as is when it cannot fail (or is a call already
        bound quietly), else evaluated under `_or_null`."""
        if code in self._quiet_codes or _LITERAL.fullmatch(code) or _cannot_raise(e):
            return code
        return f"_or_null(lambda: {code})"

    def _call_args(self, e: ast.FunctionCall, fn: ScalarFunction) -> tuple[list[tuple[str, Any]], Resolved]:
        """Each argument's code and type, and the resolved call. Lambda arguments are typed as ksqlDB
        does it: the variant is picked with untyped lambdas, then each lambda's parameters get the
        types its generics are bound to by the arguments before it, and its body is compiled."""
        first: list[Arg] = []
        codes: list[tuple[str, Any]] = []
        for a in e.args:
            if isinstance(a, ast.Lambda):
                first.append(LambdaArg(len(a.params)))
                codes.append(("None", None))
            elif isinstance(a, ast.IntervalUnit):
                first.append(IntervalArg(a.unit))
                codes.append((repr(a.unit), None))
            else:
                if isinstance(a, ast.FunctionCall) and all(_safe_arg(x) for x in a.args):
                    self._quiet_next = True  # its call is bound failure-to-null: no per-row guard closure
                c, t = self.expr(a)
                self._quiet_next = False
                first.append(t)
                codes.append((c, t))
        if not any(isinstance(a, ast.Lambda) for a in e.args):
            return codes, fn.resolve_call(first)
        variant, spread = fn.match(first)
        params = variant.expand(len(first), spread) or []
        reserved: dict[str, SqlType | None] = {}
        for i, (a, p) in enumerate(zip(e.args, params, strict=True)):
            if isinstance(a, ast.Lambda):
                if p.kind != "LAMBDA":
                    raise self.error(f"Error while processing lambda function.Expected lambda parameter but was {p}", e)
                inputs = lambda_inputs(p, len(a.params), reserved)
                code, body_type = self._lambda(a, inputs)
                first[i] = LambdaArg(len(a.params), tuple(inputs), body_type)
                codes[i] = (code, None)
            if p.generics:
                problem = reserve(p, first[i], reserved)
                if problem is not None:
                    raise self.error(problem, e)
        return codes, fn.resolve_call(first, (variant, spread))

    def _lambda(self, e: ast.Lambda, inputs: Sequence[SqlType]) -> tuple[str, SqlType | None]:
        """A lambda as a Python lambda; its parameters shadow outer lambda variables of the same name."""
        names = [f"_l{self._tmp()[2:]}" for _ in e.params]
        outer = self.lambdas
        self.lambdas = {**outer, **{p: (n, t) for p, n, t in zip(e.params, names, inputs, strict=True)}}
        try:
            body, body_type = self.expr(e.body)
        finally:
            self.lambdas = outer
        return f"(lambda {', '.join(names)}: {body})", body_type

    def _CreateArray(self, e: ast.CreateArray) -> tuple[str, SqlType | None]:
        items = [(self._guarded(i, c), t) for i, (c, t) in ((i, self.expr(i)) for i in e.items)]
        it = common_type([t for _, t in items])
        if it is None and any(t is not None for _, t in items):
            raise self.error(f"invalid input syntax for type ARRAY: {sql(e)}", e)
        codes = [self.convert(c, t, it) for c, t in items]
        return "[" + ", ".join(codes) + "]", T.array(it or T.STRING)

    def _CreateMap(self, e: ast.CreateMap) -> tuple[str, SqlType | None]:
        keys = [(self._guarded(k, c), t) for k, (c, t) in ((k, self.expr(k)) for k, _ in e.entries)]
        vals = [(self._guarded(v, c), t) for v, (c, t) in ((v, self.expr(v)) for _, v in e.entries)]
        kt = common_type([t for _, t in keys]) or T.STRING
        vt = common_type([t for _, t in vals]) or T.STRING
        pairs = [
            f"{self.convert(kc, k_t, kt)}: {self.convert(vc, v_t, vt)}"
            for (kc, k_t), (vc, v_t) in zip(keys, vals, strict=True)
        ]
        return "{" + ", ".join(pairs) + "}", T.map_of(kt, vt)

    def _CreateStruct(self, e: ast.CreateStruct) -> tuple[str, SqlType | None]:
        fields = [(n, self._guarded(v, c), t) for n, v in e.fields for c, t in [self.expr(v)]]
        code = "{" + ", ".join(f"{n!r}: {c}" for n, c, _ in fields) + "}"
        return code, T.struct([(n, t or T.STRING) for n, _, t in fields])
