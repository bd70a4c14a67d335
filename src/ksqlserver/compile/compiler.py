"""Expressions compiled once per query into Python source, then into one function per query step.

Each AST expression becomes a Python expression string over `row` (a list of column values) with
ksqlDB's null rules spelled out inline (walrus temporaries, no per-record AST walking); functions, casts
and constants are bound into the generated module's namespace. `Compiler.function` builds the step:
a filter, or a projection that evaluates every column under its own try/except so one failing column
becomes null (and is reported) while the record goes on, as ksqlDB's SelectValueMapper does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Context, Decimal
from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.casts import caster
from ksqlserver.catalog.types import SqlType
from ksqlserver.compile import helpers
from ksqlserver.compile.calls import CallCompiler
from ksqlserver.compile.codegen import Emitter
from ksqlserver.compile.javatext import CODEGEN_NAMES, JavaText
from ksqlserver.compile.operators import OperatorCompiler
from ksqlserver.compile.scope import Scope
from ksqlserver.compile.structures import StructureCompiler
from ksqlserver.compile.type_rules import literal_type
from ksqlserver.errors import CompileError
from ksqlserver.extensions.batching import BatchCalls
from ksqlserver.extensions.invoke import Elements
from ksqlserver.functions import FunctionRegistry
from ksqlserver.sql import ast
from ksqlserver.sql.printer import sql

# DECIMAL values of up to 38 digits (and literals beyond): the default context's 28 digits would raise
_WIDE = Context(prec=1000)

# code that is a constant, never null: Python literals and the names `const` binds
_LITERAL = re.compile(r"-?\d+(?:\.\d+)?(?:e[+-]?\d+)?|'(?:[^'\\]|\\.)*'|True|False|_k\d+")
# implicit conversions of constants done at compile time (they cannot fail)
_FOLDED = {("DOUBLE", "INTEGER"), ("DOUBLE", "BIGINT"), ("DOUBLE", "DECIMAL"), ("DECIMAL", "INTEGER"),
           ("DECIMAL", "BIGINT"), ("BIGINT", "INTEGER")}  # fmt: skip


class Compiler(CallCompiler, OperatorCompiler, StructureCompiler):
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
        # compiled for ksqlDB's expression interpreter (pull queries) rather than its code generator: other
        # cast rules and "Invalid expression: ..." for what the code generator calls "Invalid Select: ...."
        self.interpreted = False
        self.ns: dict[str, Any] = {
            "_idiv": helpers.idiv,
            "_imod": helpers.imod,
            "_fdiv": helpers.fdiv,
            "_fmod": helpers.fmod,
            "Decimal": Decimal,
            "_subscript": helpers.subscript,
            "float": float,
        }
        self._n = 0
        self.lambdas = lambdas or {}
        self.used_columns: set[int] = set()
        # set by the physical plan for a SELECT: calls of batch functions are evaluated per micro-batch
        self.batch_calls: BatchCalls | None = None
        self._depth = 0  # nesting of the expression being compiled (table functions: top level only)
        self._failures: list[Exception] = []  # nested failures of the current row (see helpers.guards)
        self._quiet, self.ns["_or_null"] = helpers.guards(self._failures)
        self.ns["_or_null_param"] = helpers.param_guard(self._failures)
        self.ns["_failures"] = self._failures
        self.ns["_checked"] = lambda t, _f=self._failures: helpers.raise_first(_f) if _f else t
        self.ns["_each"] = lambda fn, *lists: Elements(fn, lists)
        self._table_stack: list[str] = []  # table functions being compiled (they cannot nest)
        self._table_items: list[tuple[str, str]] = []  # (element name, list code) of the current column
        self._case_seen: ast.SearchedCase | None = None
        self._quiet_next = False  # the next function call compiled is a guarded argument
        self._quiet_codes: set[str] = set()  # calls bound failure-to-null
        self._guard_names: set[str] = {"_or_null", "_or_null_param"}  # names whose calls note nested failures
        self._deferred: list[str] = []  # code-generation errors, raised after the whole expression typed
        self._types: dict[int, SqlType | None] = {}  # types of constructor elements (coercion)
        self.never_null: set[str] = set()  # codes of BOOLEANs that are never null (comparisons, IN, ...)
        self.root: ast.Expression | None = None
        self.typing_only = False  # only types are wanted (java_location): code-generation errors are dropped
        self._under_not: ast.Expression | None = None  # the operand of the NOT being compiled
        self._cast_depth = 0  # > 0 inside a CAST's operand, which ExpressionTypeManager does not type

    # names -------------------------------------------------------------------------
    def _tmp(self) -> str:
        self._n += 1
        return f"_t{self._n}"

    def const(self, value: Any) -> str:
        if value is None or isinstance(value, (bool, int, str)):
            return repr(value)
        if isinstance(value, float) and value - value == 0:  # finite: its repr is Python source
            return repr(value)
        self._n += 1
        name = f"_k{self._n}"
        self.ns[name] = value
        return name

    def take_failures(self) -> list[Exception]:
        """The nested failures the last evaluation noted (see `helpers.guards`), cleared: a step other than
        the projection (a WHERE) reports them itself."""
        taken = list(self._failures)
        self._failures.clear()
        return taken

    def guarded(self, *codes: str) -> bool:
        """Whether evaluating any of these codes may note nested failures (see `helpers.guards`)."""
        return any(g + "(" in c for c in codes for g in self._guard_names)

    def _bind_quiet(self, fn: Any, what: str) -> str:
        name = self.bind(self._quiet(fn, what))
        self._guard_names.add(name)
        return name

    def bind(self, fn: Any) -> str:
        self._n += 1
        name = f"_f{self._n}"
        self.ns[name] = fn
        return name

    def _nullsafe(self, codes: Sequence[str], body: Callable[[list[str]], str], on_null: str = "None") -> str:
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
        return f"({on_null} if {' or '.join(tests)} else {body(names)})"

    def _unboxed(self, codes: Sequence[str], body: Callable[[list[str]], str]) -> str:
        """`body` over operands Java unboxes (SqlToJavaVisitor emits `(a + b)`, `-a`, `a.add(b, ...)` on the
        boxed values): a null operand throws, failing the whole expression (a column null and reported, a
        WHERE false), not only this operator."""
        self.ns["_npe"] = helpers.unboxed_null
        return self._nullsafe(codes, body, "_npe()")

    def convert(self, code: str, src: SqlType | None, dst: SqlType | None) -> str:
        """Code converting `code` of type src to dst (implicit widening)."""
        if dst is None or src is None or src == dst:
            return code
        if _LITERAL.fullmatch(code) and (dst.base, src.base) in _FOLDED:  # a constant: converted once
            return self.const(caster(src, dst)(self.ns[code] if code.startswith("_k") else eval(code)))
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
        """A type error (ksqlDB finds these when it types the expression)."""
        return CompileError(message, sql(e) if e is not None else "")

    def codegen_error(self, message: str, e: ast.Node | None = None) -> str:
        """An error ksqlDB finds only when it generates code (an impossible CAST, an IN list without a
        common type): noted, and raised as "Invalid <clause>: ..." once the whole expression has typed."""
        self._deferred.append(message)
        return "None"

    def java_location(self, target: ast.Expression) -> tuple[int, int]:
        """Where Janino locates an error at `target` in the Java text of the expression being compiled."""
        if self.typing_only:
            return 0, 0
        root = self.root if self.root is not None else target

        def type_of(e: ast.Expression, lambdas: dict[str, SqlType | None]) -> SqlType | None:
            inner = {**self.lambdas, **{n: (n, t) for n, t in lambdas.items()}}
            c = Compiler(self.scope, self.registry, self.clause, inner)
            c.typing_only = True
            return c.type_of(e)

        return JavaText(type_of).location(root, target)

    def is_literal_code(self, code: str) -> bool:
        return _LITERAL.fullmatch(code) is not None

    def emitter(self) -> Emitter:
        """An emitter over this compiler's namespace (its bound functions and constants)."""
        return Emitter(self.ns)

    def function(self, body: str, name: str = "_step") -> Callable[..., Any]:
        em = self.emitter()
        with em.block(f"def {name}(row):"):
            em.line(f"return {body}")
        return em.build(name)

    def projection(self, codes: Sequence[str], name: str = "_project") -> Callable[..., list[Any]]:
        """A function row, on_error -> list of column values; a failing column is None + on_error(i, exc)."""
        em = self.emitter()
        with em.block(f"def {name}(row, on_error):"):
            if self.guarded(*codes):
                em.line("_failures.clear()")  # none left over from another step of this compiler
            outs = []
            for i, c in enumerate(codes):
                simple = re.fullmatch(r"row\[\d+\]|'[^'\\]*'|None|-?\d+", c) is not None
                if simple:
                    outs.append(c)
                    continue
                v = f"_c{i}"
                with em.block("try:"):
                    em.line(f"{v} = {c}")
                with em.block("except Exception as e:"):
                    em.line(f"{v} = None", f"on_error({i}, e)")
                if self.guarded(c):  # nested failures: reported, value kept
                    with em.block("if _failures:"):
                        with em.block("for e in _failures:"):
                            em.line(f"on_error({i}, e)")
                        em.line("_failures.clear()")
                outs.append(v)
            em.line(f"return [{', '.join(outs)}]")
        return em.build(name)

    # expressions ---------------------------------------------------------------------
    def expr(self, e: ast.Expression) -> tuple[str, SqlType | None]:
        method = getattr(self, "_" + type(e).__name__, None)
        if method is None:
            raise self.error(f"Unsupported expression: {sql(e)}", e)
        if self._depth == 0:
            self.root = e  # the expression ksqlDB compiles as one (Janino's error locations are in its text)
        self._depth += 1
        try:
            code, t = method(e)
        finally:
            self._depth -= 1
        if self._depth == 0:
            self._case_seen = None
            if self.typing_only:
                self._deferred.clear()
            if self._deferred:
                message, self._deferred = self._deferred[0], []
                if self.interpreted:
                    raise CompileError(f"Invalid expression: {message}", sql(e), codegen=True)
                name = CODEGEN_NAMES.get(self.clause, self.clause.title())
                raise CompileError(f"Invalid {name}: {message}.", sql(e), codegen=True)
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
        t = literal_type(e)
        value = e.value
        if t is not None and value.as_tuple().exponent > 0:  # type: ignore[operator]
            value = value.quantize(Decimal(1), context=_WIDE)
        return self.const(value), t

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
            raise self.error(unknown_column(self.clause, e), e)
        self.used_columns.add(col.index)
        return f"row[{col.index}]", col.type

    def _LambdaVariable(self, e: ast.LambdaVariable) -> tuple[str, SqlType | None]:
        if e.name not in self.lambdas:
            raise self.error(f"Unknown lambda variable {e.name}", e)
        return self.lambdas[e.name]


def unknown_column(clause: str, ref: ast.ColumnRef) -> str:
    """ksqlDB's UnknownColumnException text: "Line: 1, Col: 8: SELECT column 'X' cannot be resolved."."""
    where = f"Line: {ref.line}, Col: {ref.column}: " if ref.line else ""
    return f"{where}{clause} column '{sql(ref)}' cannot be resolved."
