"""The scalar function registry: ksqlDB names, typed variants, descriptions, and overload resolution.

A variant lists parameter type patterns: a type name (`STRING`, `INTEGER`, `DOUBLE`, ...), a family
(`DECIMAL` matches any precision, `ARRAY`, `MAP`, `STRUCT`, `ANY`), or `T` (all `T` arguments share one
type). A trailing `...` makes the last pattern variadic. Resolution picks the variant needing the fewest
widenings (INTEGER -> BIGINT -> DECIMAL -> DOUBLE), as ksqlDB's UDF index does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.errors import KsqlFunctionError

ReturnType = SqlType | Callable[[Sequence[SqlType | None]], SqlType]
_WIDEN = {"INTEGER": ("BIGINT", "DECIMAL", "DOUBLE"), "BIGINT": ("DECIMAL", "DOUBLE"), "DECIMAL": ("DOUBLE",)}


@dataclass(frozen=True)
class Variant:
    params: tuple[str, ...]
    returns: ReturnType
    impl: Callable[..., Any]
    description: str = ""
    null_in_null_out: bool = True  # wrap impl: any null argument gives null
    # builds the implementation from the argument types (functions whose behaviour depends on them)
    factory: Callable[[Sequence[SqlType | None]], Callable[..., Any]] | None = None

    @property
    def variadic(self) -> bool:
        return bool(self.params) and self.params[-1] == "..."

    def display(self) -> tuple[list[str], str]:
        params = [p for p in self.params if p != "..."]
        if self.variadic and params:
            params[-1] = params[-1] + "[]"
        ret = self.returns if isinstance(self.returns, SqlType) else "T"
        return params, str(ret)


@dataclass
class ScalarFunction:
    name: str
    description: str
    variants: list[Variant] = field(default_factory=list)
    category: str = "OTHER"

    def resolve(
        self, args: Sequence[SqlType | None]
    ) -> tuple[SqlType, Callable[..., Any], list[SqlType | None]]:
        """The return type, the implementation, and the type each argument must be converted to
        (None: keep as is) for these argument types (None = NULL literal)."""
        best: tuple[int, Variant] | None = None
        for v in self.variants:
            cost = _match(v, args)
            if cost is not None and (best is None or cost < best[0]):
                best = (cost, v)
        if best is None:
            shown = ", ".join("NULL" if a is None else str(a) for a in args)
            raise KsqlFunctionError(
                f"Function '{self.name}' does not accept parameters ({shown}).\n"
                f"Valid alternatives are:\n"
                + "\n".join(f"{self.name}({', '.join(v.display()[0])})" for v in self.variants),
                self.name,
            )
        v = best[1]
        ret = v.returns if isinstance(v.returns, SqlType) else v.returns(args)
        impl = v.factory(args) if v.factory is not None else v.impl
        if v.null_in_null_out:
            raw = impl

            def impl(*a: Any, _raw: Callable[..., Any] = raw) -> Any:
                if None in a:
                    return None
                return _raw(*a)

        return ret, impl, _targets(v, args)


def _targets(v: Variant, args: Sequence[SqlType | None]) -> list[SqlType | None]:
    params = [p for p in v.params if p != "..."]
    generic = (
        common_type([a for p, a in zip(params + [params[-1]] * len(args), args, strict=False) if p == "T"])
        if "T" in params
        else None
    )
    out: list[SqlType | None] = []
    for i, a in enumerate(args):
        p = params[min(i, len(params) - 1)] if params else "ANY"
        if a is None:
            out.append(None)
        elif p == "T":
            out.append(generic if generic is not None and generic != a else None)
        elif p in ("BIGINT", "DOUBLE") and a.base != p:
            out.append(SqlType(p))
        elif p == "DECIMAL" and a.base in ("INTEGER", "BIGINT"):
            out.append(T.decimal_for_int(a))
        else:
            out.append(None)
    return out


def _fits(pattern: str, t: SqlType | None) -> int | None:
    """Cost of passing `t` where `pattern` is expected; None if impossible."""
    if t is None or pattern in ("ANY", "T"):
        return 0
    if pattern == t.base:
        return 0
    if pattern in _WIDEN.get(t.base, ()):
        return 1 + _WIDEN[t.base].index(pattern)
    return None


def _match(v: Variant, args: Sequence[SqlType | None]) -> int | None:
    params = list(v.params)
    if v.variadic:
        fixed = params[:-2]
        rep = params[-2]
        if len(args) < len(fixed):
            return None
        pats = fixed + [rep] * (len(args) - len(fixed))
    else:
        if len(args) != len(params):
            return None
        pats = params
    cost = 0
    generic: SqlType | None = None
    for p, a in zip(pats, args, strict=True):
        c = _fits(p, a)
        if c is None:
            return None
        if p == "T" and a is not None:
            if generic is None:
                generic = a
            elif common_type([generic, a]) is None:
                return None
        cost += c
    return cost


def common_type(types: Sequence[SqlType | None]) -> SqlType | None:
    """The type all of `types` widen to (NULLs ignored); None if they do not unify."""
    known = [t for t in types if t is not None]
    if not known:
        return None
    out = known[0]
    for t in known[1:]:
        if t == out:
            continue
        if out.is_numeric and t.is_numeric:
            order = ["INTEGER", "BIGINT", "DECIMAL", "DOUBLE"]
            hi = max(out, t, key=lambda x: order.index(x.base))
            if hi.base == "DECIMAL":
                a = T.decimal_for_int(out) if out.base != "DECIMAL" else out
                b = T.decimal_for_int(t) if t.base != "DECIMAL" else t
                scale = max(a.scale or 0, b.scale or 0)
                digits = max((a.precision or 0) - (a.scale or 0), (b.precision or 0) - (b.scale or 0))
                out = T.decimal(min(digits + scale, 38), scale)
            else:
                out = hi
            continue
        if out.base == t.base and out.base in ("ARRAY", "MAP", "STRUCT"):
            continue
        return None
    return out


class FunctionRegistry:
    """All scalar functions by upper-case name."""

    def __init__(self) -> None:
        self._functions: dict[str, ScalarFunction] = {}

    def register(self, fn: ScalarFunction) -> None:
        self._functions[fn.name.upper()] = fn

    def get(self, name: str) -> ScalarFunction | None:
        return self._functions.get(name.upper())

    @property
    def load_warnings(self) -> list[str]:
        """Problems met while loading functions (extension files that failed); none for the built-ins."""
        return []

    def require(self, name: str) -> ScalarFunction:
        fn = self.get(name)
        if fn is None:
            raise KsqlFunctionError(f"Can't find any functions with the name '{name.upper()}'", name)
        return fn

    def names(self) -> list[str]:
        return sorted(self._functions)

    def all(self) -> list[ScalarFunction]:
        return [self._functions[n] for n in self.names()]


def fn(
    registry: FunctionRegistry, name: str, description: str, category: str, *variants: tuple[Any, ...]
) -> None:
    """Register `name` with variants given as (params, returns, impl[, description[, null_in_null_out]])."""
    vs = []
    for spec in variants:
        params, returns, impl, *rest = spec
        desc = rest[0] if rest else ""
        nino = rest[1] if len(rest) > 1 else True
        factory = rest[2] if len(rest) > 2 else None
        vs.append(Variant(tuple(params), returns, impl, desc, nino, factory))
    registry.register(ScalarFunction(name, description, vs, category))


def same(i: int = 0) -> Callable[[Sequence[SqlType | None]], SqlType]:
    """Return type = the type of argument i (STRING if it is a NULL literal)."""
    return lambda args: args[i] or T.STRING


def unified(args: Sequence[SqlType | None]) -> SqlType:
    return common_type(args) or T.STRING
