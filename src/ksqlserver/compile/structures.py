"""STRUCT, ARRAY and MAP in compiled expressions, and CAST, with ksqlDB 0.29's typing and errors.

`s->f` needs a STRUCT with field f; `a[i]` an ARRAY (1-based, negative from the end, null when out of
range; a null index fails) or a MAP (a key of another type than the map's finds nothing, as Java's
`Map.get` of an Integer in a map of Longs). ARRAY[...] and MAP(k := v) coerce their elements to one type
(see `coercion`) and may not be empty or all NULL; STRUCT(...) takes its fields' types. Each element is
evaluated with nested error handling (a failure is null and reported). A CAST between types ksqlDB cannot
convert is rejected when the expression is compiled ("Cannot ... is not supported"), a value that does not
convert is null and reported.

`StructureCompiler` is mixed into `Compiler`, which provides the attributes declared here.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.casts import UnsupportedCast, caster, interpreted_cast_problem
from ksqlserver.catalog.types import SqlType, ast_type
from ksqlserver.compile import helpers
from ksqlserver.compile.calls import cannot_raise
from ksqlserver.compile.coercion import CoercionFailure, coerce_list
from ksqlserver.compile.javatext import java_class
from ksqlserver.errors import KsqlInternalError
from ksqlserver.formats.javamap import hashmap_order, table_size_for
from ksqlserver.sql import ast
from ksqlserver.sql.printer import sql

if TYPE_CHECKING:
    from ksqlserver.errors import CompileError

_ISSUE = "(see https://github.com/confluentinc/ksql/issues/4239)"


class StructureCompiler:
    """Compiles struct field access, subscripts, constructors and casts; mixed into `Compiler`."""

    ns: dict[str, Any]
    clause: str
    interpreted: bool
    _failures: list[Exception]
    _guard_names: set[str]

    if TYPE_CHECKING:

        def expr(self, e: ast.Expression) -> tuple[str, SqlType | None]: ...
        def is_literal_code(self, code: str) -> bool: ...
        def error(self, message: str, e: ast.Node | None = None) -> CompileError: ...
        def codegen_error(self, message: str, e: ast.Node | None = None) -> str: ...
        def bind(self, fn: Any) -> str: ...
        def _bind_quiet(self, fn: Any, what: str) -> str: ...
        def const(self, value: Any) -> str: ...
        def function(self, body: str, name: str = "_step") -> Any: ...
        def _tmp(self) -> str: ...
        def _guarded(self, e: ast.Expression, code: str, what: str | None = None) -> str: ...
        def _nullsafe(self, codes: list[str], body: Any) -> str: ...

    def _Dereference(self, e: ast.Dereference) -> tuple[str, SqlType | None]:
        code, t = self.expr(e.base)
        if t is None or t.base != "STRUCT":
            raise self.error(f"Expected STRUCT type, got: {t}", e)
        ft = t.field_type(e.field)
        if ft is None:
            raise self.error(f"Could not find field '{e.field}' in '{sql(e.base)}'.", e)
        tmp = self._tmp()
        return f"(None if ({tmp} := {code}) is None else {tmp}.get({e.field!r}))", ft

    def _Subscript(self, e: ast.Subscript) -> tuple[str, SqlType | None]:
        base, bt = self.expr(e.base)
        idx, it = self.expr(e.index)
        if bt is None or bt.base not in ("ARRAY", "MAP"):
            hint = ""
            if bt is not None and bt.base == "STRUCT":
                # the hint is formatted without quoting (FormatOptions.noEscape): COL0->'IN0'
                hint = f" Use the dereference operator for STRUCTS: {sql(e.base)}->{sql(e.index)}"
            raise self.error(f"Subscript expression ({sql(e)}) do not apply to {bt}.{hint}", e)
        if bt.base == "MAP" and it is not None and bt.key is not None and it.base != bt.key.base:
            t = self._tmp()
            return f"(({t} := ({base}, {idx})) and None)", bt.item  # evaluated, never found
        b, i = self._tmp(), self._tmp()
        if bt.base == "MAP":
            return f"(None if ({b} := {base}) is None else {b}.get({idx}))", bt.item
        return f"(None if ({b} := {base}) is None else _subscript({b}, ({i} := {idx})))", bt.item

    # --- constructors --------------------------------------------------------------------------------
    def known_type(self, e: ast.Expression) -> SqlType | None:
        """The type of a sub-expression compiled before (constructors' elements), else compiled now."""
        cache: dict[int, SqlType | None] = self.__dict__.setdefault("_types", {})
        if id(e) in cache:
            return cache[id(e)]
        return self.expr(e)[1]

    def _items(
        self, exprs: tuple[ast.Expression, ...], what: str
    ) -> list[tuple[ast.Expression, str, SqlType | None]]:
        out = []
        cache: dict[int, SqlType | None] = self.__dict__.setdefault("_types", {})
        for x in exprs:
            code, t = self.expr(x)
            cache[id(x)] = t
            out.append((x, self._guarded(x, code, what), t))
        return out

    def _CreateArray(self, e: ast.CreateArray) -> tuple[str, SqlType | None]:
        if not e.items:
            raise self.error(
                f"Array constructor cannot be empty. Please supply at least one element {_ISSUE}.", e
            )
        items = self._items(e.items, "array item")
        try:
            it, codes = coerce_list(self, items)  # type: ignore[arg-type]
        except CoercionFailure as err:
            raise self.error(str(err), e) from None
        if it is None:
            raise self.error(
                f"Cannot construct an array with all NULL elements {_ISSUE}. As a workaround, you may cast "
                "a NULL value to the desired type.",
                e,
            )
        return "[" + ", ".join(codes) + "]", T.array(it)

    def _CreateMap(self, e: ast.CreateMap) -> tuple[str, SqlType | None]:
        if not e.entries:
            raise self.error(
                f"Map constructor cannot be empty. Please supply at least one key value pair {_ISSUE}.", e
            )
        keys = self._items(tuple(k for k, _ in e.entries), "map key")
        vals = self._items(tuple(v for _, v in e.entries), "map value")
        try:
            kt, kcodes = coerce_list(self, keys)  # type: ignore[arg-type]
            if kt is None:
                raise self.error(
                    f"Cannot construct a map with all NULL keys {_ISSUE}. As a workaround, you may cast a "
                    "NULL key to the desired type.",
                    e,
                )
            vt, vcodes = coerce_list(self, vals)  # type: ignore[arg-type]
            if vt is None:
                raise self.error(
                    f"Cannot construct a map with all NULL values {_ISSUE}. As a workaround, you may cast a "
                    "NULL value to the desired type.",
                    e,
                )
        except CoercionFailure as err:
            raise self.error(str(err), e) from None
        pairs = [f"{k}: {v}" for k, v in zip(kcodes, vcodes, strict=True)]
        # SqlToJavaVisitor.visitCreateMapExpression: a MapBuilder, a HashMap(number of entries)
        build = self.bind(functools.partial(_built_map, table_size_for(len(pairs))))
        return f"{build}({{{', '.join(pairs)}}})", T.map_of(kt, vt)

    def _CreateStruct(self, e: ast.CreateStruct) -> tuple[str, SqlType | None]:
        fields: list[tuple[str, str, SqlType]] = []
        seen: dict[str, SqlType | None] = {}
        for n, v in e.fields:
            c, t = self.expr(v)
            if t is None:  # SqlStruct.Field requires a type: ksqlDB fails with a NullPointerException
                raise KsqlInternalError("type")
            if n in seen:
                raise self.error(
                    f"Duplicate field names found in STRUCT: '`{n}` {seen[n]}' and '`{n}` {t}'", e
                )
            seen[n] = t
            fields.append((n, self._guarded(v, c, "struct field"), t))
        code = "{" + ", ".join(f"{n!r}: {c}" for n, c, _ in fields) + "}"
        return code, T.struct([(n, t) for n, _, t in fields])

    # --- CAST ----------------------------------------------------------------------------------------
    def cast_code(self, code: str, e: ast.Expression, src: SqlType | None, dst: SqlType) -> str:
        """`code` converted to `dst` as a CAST does it: a value that does not convert is null (reported)."""
        try:
            fn = caster(src, dst)
        except UnsupportedCast as err:
            return self.codegen_error(err.message, e)
        if isinstance(e, ast.Literal) and not isinstance(e, ast.NullLiteral):
            folded = self.function(code, f"_lit{self._tmp()}")([])  # a constant: cast once
            failures: list[Exception] = []
            value = helpers.guards(failures)[0](fn, str(dst))(folded)
            if not failures:
                return self.const(value)
        # visitCast: evaluateOrReturnNull(..., to.toString(), ...), so "Error processing INTEGER"
        if self.clause in _PREDICATES and not self.interpreted:
            return self.predicate_guarded(f"{self.bind(fn)}({code})", dst)
        if cannot_raise(e) and not isinstance(e, ast.Literal):
            return f"{self._bind_quiet(fn, str(dst))}({code})"
        return f"_or_null(lambda: {self.bind(fn)}({code}), {str(dst)!r})"

    def predicate_guarded(self, code: str, dst: SqlType) -> str:
        """A CAST's code in a WHERE / HAVING (SqlPredicate's default value is false, see
        helpers.predicate_cast_guard)."""
        java = None if dst.base == "BOOLEAN" else java_class(dst)
        name = self.bind(helpers.predicate_cast_guard(self._failures, java))
        self._guard_names.add(name)
        return f"{name}(lambda: {code}, {str(dst)!r})"

    def _Cast(self, e: ast.Cast) -> tuple[str, SqlType | None]:
        self._cast_depth += 1
        try:
            code, t = self.expr(e.expression)
        finally:
            self._cast_depth -= 1
        target = ast_type(e.type)
        if self.interpreted:  # the interpreter has its own table of casts, consulted even for equal types
            problem = interpreted_cast_problem(t, target)
            if problem is not None:
                return self.codegen_error(problem, e), target
        if t == target:
            # visitCast still wraps the operand in evaluateOrReturnNull: a failure inside (a null unboxed by
            # arithmetic) is null here, not the whole expression's failure
            if self.interpreted or cannot_raise(e.expression) or self.is_literal_code(code):
                return code, target
            if self.clause in _PREDICATES:
                return self.predicate_guarded(code, target), target
            return f"_or_null(lambda: {code}, {str(target)!r})", target
        return self.cast_code(code, e.expression, t, target), target


_PREDICATES = ("WHERE", "HAVING")  # compiled as a SqlPredicate


def _built_map(table: int, entries: dict[Any, Any]) -> dict[Any, Any]:
    return hashmap_order(entries, table)
