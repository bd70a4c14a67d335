"""Function calls in compiled expressions: overload resolution, ksqlDB's nested error handling for
arguments, lambdas (typed from the generics the arguments before them bind), batch calls of plugin
functions, and table functions (a column's expression evaluated per element, zipped across the column).

`CallCompiler` is the part of `Compiler` that compiles `ast.FunctionCall`; it relies on the compiler's
binding, conversion and error helpers.
"""

from __future__ import annotations

import functools
import re
from ast import literal_eval as ast_literal_eval
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ksqlserver.catalog.types import SqlType
from ksqlserver.errors import CompileError
from ksqlserver.extensions.batching import RowsFn, column_rows
from ksqlserver.extensions.invoke import value_of
from ksqlserver.functions import AGGREGATE_NAMES
from ksqlserver.functions.nulls import ifnull
from ksqlserver.functions.paramtypes import Arg, IntervalArg, LambdaArg, reserve
from ksqlserver.functions.registry import Resolved, ScalarFunction, lambda_inputs
from ksqlserver.sql import ast
from ksqlserver.sql.printer import sql

if TYPE_CHECKING:
    from ksqlserver.extensions.batching import BatchCalls
    from ksqlserver.functions import FunctionRegistry

# code that is a constant, never null: Python literals and the names `const` binds
_LITERAL = re.compile(r"-?\d+(?:\.\d+)?(?:e[+-]?\d+)?|'(?:[^'\\]|\\.)*'|True|False|_k\d+")
_COLUMN = re.compile(r"row\[(\d+)\]")
_PLAIN_LITERAL = re.compile(r"-?\d+(?:\.\d+)?(?:e[+-]?\d+)?|'(?:[^'\\]|\\.)*'|True|False")
_TRIVIAL = (ast.ColumnRef, ast.LambdaVariable, ast.Literal)
# what a function argument's position guards (ksqlDB evaluates these arguments on their own)
_GUARDED_ARGS = (ast.FunctionCall, ast.Dereference)


def cannot_raise(e: ast.Expression) -> bool:
    """Plain values and struct fields of them: their code needs no guard."""
    if isinstance(e, ast.Dereference):
        return cannot_raise(e.base)
    return isinstance(e, _TRIVIAL)


def _safe_arg(e: ast.Expression) -> bool:
    """A function argument whose evaluation cannot fail the call: plain, or guarded where it stands."""
    return cannot_raise(e) or isinstance(
        e, (*_GUARDED_ARGS, ast.Cast, ast.CreateArray, ast.CreateMap, ast.CreateStruct)
    )


class CallCompiler:
    """Compiles function calls; mixed into `Compiler`, which provides the attributes declared here."""

    registry: FunctionRegistry
    clause: str
    lambdas: dict[str, tuple[str, SqlType | None]]
    batch_calls: BatchCalls | None
    ns: dict[str, Any]
    _quiet_next: bool
    _quiet_codes: set[str]
    _table_stack: list[str]
    _table_items: list[tuple[str, str]]
    _case_seen: ast.SearchedCase | None
    _deferred: list[str]

    if TYPE_CHECKING:

        def expr(self, e: ast.Expression) -> tuple[str, SqlType | None]: ...
        def convert(self, code: str, src: SqlType | None, dst: SqlType | None) -> str: ...
        def error(self, message: str, e: ast.Node | None = None) -> CompileError: ...
        def bind(self, fn: Any) -> str: ...
        def _bind_quiet(self, fn: Any, what: str) -> str: ...
        def guarded(self, *codes: str) -> bool: ...
        def function(self, body: str, name: str = "_step") -> Callable[..., Any]: ...
        def _tmp(self) -> str: ...

    def _FunctionCall(self, e: ast.FunctionCall) -> tuple[str, SqlType | None]:
        quiet, self._quiet_next = self._quiet_next, False  # this call is a guarded argument (see _guarded)
        if e.name in AGGREGATE_NAMES:
            if self.clause == "VALUES":
                # GenericExpressionResolver compiles an INSERT value as a scalar expression: CodeGenRunner finds
                # no scalar function of an aggregate's name (observed on ksqlDB 0.29)
                raise self.error(f"Can't find any functions with the name '{e.name}'", e)
            raise self.error(f"Aggregate function {e.name} is not allowed in {self.clause}: {sql(e)}", e)
        fn = self.registry.require(e.name)
        kind = getattr(fn, "kind", "SCALAR")  # plugin functions (ksqlserver.extensions) may be UDTF/UDAF
        if (
            kind == "AGGREGATE"
        ):  # plugin UDAFs are rewritten by the aggregation analysis; elsewhere, as built-ins
            raise self.error(f"Aggregate function {e.name} is not allowed in {self.clause}: {sql(e)}", e)
        if kind == "TABLE":
            return self._table_call(e, fn)
        args, resolved = self._call_args(e, fn)
        rtype, impl, targets = resolved.returns, resolved.impl, resolved.targets
        grouped = getattr(impl, "ksql_with_groups", None)
        if grouped is not None:
            # a ByteBuffer-consuming function (Concat's put): which arguments are one Java object, the same
            # column (or field, or lambda variable) read twice
            keys = [sql(a) if cannot_raise(a) and not isinstance(a, ast.Literal) else i for i, a in enumerate(e.args)]
            impl = functools.partial(grouped, tuple(keys.index(k) for k in keys))
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
                slot = self.batch_calls.add(
                    args_fn, batch, key, self._column_rows(codes, getattr(impl, "ksql_columnar", False))
                )
            self.ns["_bget"] = value_of
            return f"_bget(row[-1][{slot}])", rtype
        if (
            getattr(impl, "ksql_deterministic", False)
            and self.batch_calls is not None
            and not self.lambdas
            and all(_LITERAL.fullmatch(c) for c in codes)
        ):
            # a deterministic plugin function of literals only: evaluated once per micro-batch
            call = self.function(f"{self.bind(impl)}({', '.join(codes)})", f"_fold{self._tmp()}")
            slot = self.batch_calls.constant(call, ("fold", id(getattr(impl, "fn", impl)), tuple(codes)))
            self.ns["_kv"] = self.batch_calls.values
            self.ns["_bget"] = value_of
            if quiet:  # a guarded argument: its failure is null here and noted for the column
                code = f"{self._bind_quiet(value_of, e.name)}(_kv[{slot}])"
                self._quiet_codes.add(code)
                return code, rtype
            return f"_bget(_kv[{slot}])", rtype
        codes = [
            self._guarded(a, c) if isinstance(a, _GUARDED_ARGS) else c
            for a, c in zip(e.args, codes, strict=True)
        ]
        if impl is ifnull and all(_COLUMN.fullmatch(c) or _LITERAL.fullmatch(c) for c in codes):
            # IFNULL of a column and a constant (the pipeline fills 31 gaps a row) inline: the same value
            # as the call, and nothing in it can raise, so no guard either (as a nested call: already quiet)
            code = f"({codes[1]} if {codes[0]} is None else {codes[0]})"
            if quiet:
                self._quiet_codes.add(code)
            return code, rtype
        code = f"{self._bind_quiet(impl, e.name) if quiet else self.bind(impl)}({', '.join(codes)})"
        if quiet:
            self._quiet_codes.add(code)
        return code, rtype

    def _column_rows(self, codes: Sequence[str], columnar: bool = False) -> RowsFn | None:
        """Argument tuples built in C when the arguments are literals followed by plain column reads (for a
        columnar function, an ArgumentColumns over those columns)."""
        columns = [int(m.group(1)) for c in codes if (m := _COLUMN.fullmatch(c))]
        literals = len(codes) - len(columns)
        if not columns or any(_COLUMN.fullmatch(c) for c in codes[:literals]):
            return None
        if not all(_PLAIN_LITERAL.fullmatch(c) for c in codes[:literals]):
            return None
        prefix = tuple(ast_literal_eval(c) for c in codes[:literals])
        return column_rows(columns, prefix, columnar)

    def _table_call(self, e: ast.FunctionCall, fn: ScalarFunction) -> tuple[str, SqlType | None]:
        """A table function in a SELECT column: its list is computed once per row and the column's
        expression is evaluated for each element (`expr` wraps the column); ksqlDB's restrictions."""
        if self.clause != "SELECT" or self.lambdas:
            raise self.error(
                f"Table function {e.name} can only be used in the columns of a SELECT: {sql(e)}", e
            )
        if self._table_stack:
            raise self.error(f"Table functions cannot be nested: {self._table_stack[-1]}({e.name}())", e)
        if self._case_seen is not None:
            raise self.error(f"Table functions cannot be used in CASE: {sql(self._case_seen)}", e)
        self._table_stack.append(e.name)
        deferred = len(self._deferred)
        try:
            args, resolved = self._call_args(e, fn, quiet_args=False)
        finally:
            self._table_stack.pop()
        if len(self._deferred) > deferred:
            # StreamFlatMapBuilder compiles each parameter on its own as a "Table function" expression
            message = self._deferred[deferred]
            del self._deferred[deferred:]
            raise CompileError(f"Invalid Table function: {message}.", sql(e), codegen=True)
        codes = [self.convert(c, t, tgt) for (c, t), tgt in zip(args, resolved.targets, strict=True)]
        # TableFunctionApplier.evalParam: each parameter is its own compiled expression, whose failure is
        # logged as "Failed to evaluate table function parameter <i>" and gives null
        codes = [
            c if _LITERAL.fullmatch(c) or cannot_raise(a)
            else f"_or_null_param(lambda: {c}, {f'Failed to evaluate table function parameter {i}'!r})"
            for i, (a, c) in enumerate(zip(e.args, codes, strict=True))
        ]
        var = f"_x{self._tmp()[2:]}"
        self._table_items.append((var, f"{self.bind(resolved.impl)}({', '.join(codes)})"))
        self._quiet_codes.add(var)
        return var, resolved.returns

    def _guarded(self, e: ast.Expression, code: str, what: str | None = None) -> str:
        """The code of a nested-error-handled expression: as is when it cannot fail (or is a call already
        bound quietly), else evaluated under `_or_null`. `what` names it in the processing log; a function
        argument is named as SqlToJavaVisitor.visitFunctionCall does: the call's name, a field's name."""
        if code in self._quiet_codes or _LITERAL.fullmatch(code) or cannot_raise(e):
            return code
        if what is None:
            what = e.name if isinstance(e, ast.FunctionCall) else e.field if isinstance(e, ast.Dereference) else ""
        return f"_or_null(lambda: {code}, {what!r})"

    def _call_args(
        self, e: ast.FunctionCall, fn: ScalarFunction, quiet_args: bool = True
    ) -> tuple[list[tuple[str, Any]], Resolved]:
        """Each argument's code and type, and the resolved call. Lambda arguments are typed as ksqlDB
        does it: the variant is picked with untyped lambdas, then each lambda's parameters get the
        types its generics are bound to by the arguments before it, and its body is compiled.
        `quiet_args`: function-call arguments are nested calls (failure to null, "Error processing")."""
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
                if quiet_args and isinstance(a, ast.FunctionCall) and all(_safe_arg(x) for x in a.args):
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
                    raise self.error(
                        f"Error while processing lambda function.Expected lambda parameter but was {p}", e
                    )
                inputs = lambda_inputs(p, a.params, reserved)
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
