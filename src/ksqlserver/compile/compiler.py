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
from decimal import Decimal
from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.casts import caster
from ksqlserver.catalog.types import SqlType, ast_type
from ksqlserver.compile import helpers
from ksqlserver.compile.calls import CallCompiler, cannot_raise
from ksqlserver.compile.codegen import Emitter
from ksqlserver.compile.scope import Scope
from ksqlserver.compile.type_rules import arithmetic_type, comparable, literal_type
from ksqlserver.errors import CompileError, KsqlStatementError
from ksqlserver.extensions.batching import BatchCalls
from ksqlserver.extensions.invoke import Elements
from ksqlserver.functions import FunctionRegistry, common_type
from ksqlserver.sql import ast
from ksqlserver.sql.printer import OP_NAMES, sql

_LITERAL = re.compile(r"-?\d+|'(?:[^'\\]|\\.)*'|True|False")


class Compiler(CallCompiler):
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
        self.ns["_failures"] = self._failures
        self.ns["_checked"] = lambda t, _f=self._failures: helpers.raise_first(_f) if _f else t
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
        """Whether evaluating any of these codes may note nested failures (see `helpers.guards`)."""
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
        return self.const(e.value), literal_type(e)

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
            fn = self.bind(helpers.dec_op(op, rtype.scale or 0))
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
            rx = self.const(helpers.like_regex(e.pattern.value, e.escape))
            return self._nullsafe([v], lambda t: f"({neg}{rx}.fullmatch({t[0]}) is not None)"), T.BOOLEAN
        p, _ = self.expr(e.pattern)
        mk = self.bind(lambda pat, _esc=e.escape: helpers.like_regex(pat, _esc))
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
            return self.const(helpers.guards([])[0](fn)(folded)), target
        if cannot_raise(e.expression):
            return f"{self._bind_quiet(fn)}({code})", target
        return f"_or_null(lambda: {self.bind(fn)}({code}))", target

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
