"""The function registry: ksqlDB names, typed variants, their metadata, and ksqlDB's overload resolution.

A variant's parameters are type texts as DESCRIBE FUNCTION shows them (see `paramtypes`), a trailing
`...` marking the variadic one: `("INT", "VARCHAR...")`. Resolution is ksqlDB's UdfIndex: a first pass
without implicit casts, a second with them (scalar and table functions only); among the variants that
match, the best by ksqlDB's order (fixed arity over variadic, more parameters, fewer generics, ...) wins,
and a tie is the "ambiguous method parameters" error. A variadic parameter also accepts one ARRAY of its
element type in its place (ksqlDB passes it as the variadic array). The return type is fixed, a type with
generics bound from the arguments, or computed by a callable (ksqlDB's schema providers).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.errors import KsqlFunctionError
from ksqlserver.functions.paramtypes import (
    PT,
    Arg,
    IntervalArg,
    LambdaArg,
    Reader,
    accepts,
    compatible,
    java_hash,
    java_hashmap_order,
    java_list_hash,
    of_sql,
    parse,
    plain,
    reserve,
    to_sql,
)

ReturnType = SqlType | str | Callable[[Sequence[Arg]], SqlType]
_OBJ_VARARG = PT("ARRAY", args=(PT("ANY", "ANY"),))
_NUM_ORDER = ("INTEGER", "BIGINT", "DECIMAL", "DOUBLE")


# the NullPointerException GenericsUtil.matches meets on a NULL literal argument (Java 17's helpful message)
_NULL_SQLTYPE = 'Cannot invoke "io.confluent.ksql.schema.ksql.types.SqlType.baseType()" because "sqlType" is null'


@dataclass(frozen=True)
class Variant:
    """One overload: parameter type texts, return type, implementation and DESCRIBE metadata."""

    params: tuple[str, ...]
    returns: ReturnType
    impl: Callable[..., Any]
    description: str = ""
    null_in_null_out: bool = True  # wrap impl: any null argument gives null
    # builds the implementation from the argument types (functions whose behaviour depends on them)
    factory: Callable[[Sequence[Arg]], Callable[..., Any]] | None = None
    names: tuple[str, ...] = ()  # parameter names (DESCRIBE FUNCTION and error texts)
    docs: tuple[str, ...] = ()  # parameter descriptions
    declared: str = ""  # the return type DESCRIBE shows when `returns` is computed

    @cached_property
    def ptypes(self) -> tuple[PT, ...]:
        return tuple(parse(p[:-3] if p.endswith("...") else p) for p in self.params)

    @cached_property
    def variadic_index(self) -> int:
        return next((i for i, p in enumerate(self.params) if p.endswith("...")), -1)

    @property
    def variadic(self) -> bool:
        return self.variadic_index >= 0

    def java_params(self) -> list[PT]:
        """Parameter types as ksqlDB holds them (the variadic one as an ARRAY)."""
        return [PT("ARRAY", args=(p,)) if i == self.variadic_index else p for i, p in enumerate(self.ptypes)]

    def rank(self) -> tuple[int, ...]:
        """ksqlDB's preference between matching variants (greater wins)."""
        jp = self.java_params()
        generic = sum(1 for p in jp if p.generics or p == _OBJ_VARARG)
        return (0 if self.variadic else 1, len(jp), -generic, 0 if _OBJ_VARARG in jp else 1, self.variadic_index)

    def expand(self, n: int, spread: bool) -> list[PT] | None:
        """The parameter type for each of `n` arguments (the variadic one repeated, or as one ARRAY)."""
        ps = list(self.ptypes)
        vi = self.variadic_index
        if vi < 0:
            return ps if n == len(ps) else None
        if spread:
            # UdfIndex.addFunction builds the branch for the variadic part given as one array from the
            # node above the variadic parameter's pair, with the full parameter list again: a variadic
            # parameter `off` pairs deep takes the array form only after those outer parameters twice
            off = min(vi, len(ps) - 1 - vi)
            form = [*ps[:vi], PT("ARRAY", args=(ps[vi],)), *ps[vi + 1 :]]
            return [*ps[:off], *form, *ps[len(ps) - off :]] if n == len(ps) + 2 * off else None
        k = n - (len(ps) - 1)
        return [*ps[:vi], *[ps[vi]] * k, *ps[vi + 1 :]] if k >= 0 else None

    def name_of(self, i: int) -> str:
        return self.names[i] if i < len(self.names) else f"arg{i}"

    def signature(self, fname: str) -> str:
        """`NAME(TYPE name, ...)` as ksqlDB lists valid alternatives (a variant with its own `display`,
        a plugin's, lists its types only)."""
        types, _ = self.display()
        named = type(self).display is Variant.display
        parts = []
        for i, t in enumerate(types):
            t = f"{t}..." if i == self.variadic_index else t
            n = self.names[i] if named and i < len(self.names) else ""
            parts.append(f"{t} {n}" if n else t)
        return f"{fname}({', '.join(parts)})"

    def display(self) -> tuple[list[str], str]:
        """DESCRIBE FUNCTION's argument types and declared return type."""
        r = self.returns
        ret = self.declared or (r if isinstance(r, str) else str(of_sql(r)) if isinstance(r, SqlType) else "ANY")
        return [str(p) for p in self.ptypes], ret


@dataclass(frozen=True)
class Resolved:
    """A call resolved: the variant, whether the variadic part came as one array, and what to run."""

    variant: Variant
    spread: bool
    returns: SqlType
    impl: Callable[..., Any]
    targets: list[SqlType | None]


@dataclass
class ScalarFunction:
    """A function by name with its variants and the metadata SHOW/DESCRIBE FUNCTION report."""

    name: str
    description: str
    variants: list[Variant] = field(default_factory=list)
    category: str = "OTHER"
    kind: str = "SCALAR"  # SCALAR, TABLE or AGGREGATE
    author: str = ""
    version: str = ""
    path: str = "internal"
    java_name: str = ""  # the name as ksqlDB declares it, used in its error texts ("substring")
    implicit_casts: bool = True  # ksqlDB resolves aggregates without implicit casts

    @property
    def error_name(self) -> str:
        return self.java_name or self.name

    # --- resolution ----------------------------------------------------------------------------
    def match(self, args: Sequence[Arg]) -> tuple[Variant, bool]:
        """The variant ksqlDB picks for these arguments and whether its variadic part is one array."""
        for casts in (False, True) if self.implicit_casts else (False,):
            # UdfIndex is a trie: variants whose parameters for these arguments are the same share a
            # node, which keeps the best of them (the first declared on a tie)
            nodes: dict[tuple[tuple[PT, ...], bool], tuple[Variant, bool]] = {}
            for v in self.variants:
                for spread in (False, True) if v.variadic else (False,):
                    ps = v.expand(len(args), spread)
                    if ps is None:
                        continue
                    reserved: dict[str, SqlType | None] = {}
                    if all(accepts(p, a, reserved, casts) for p, a in zip(ps, args, strict=True)):
                        key = (tuple(ps), spread)
                        if key not in nodes or v.rank() > nodes[key][0].rank():
                            nodes[key] = (v, spread)
            found = list(nodes.values())
            if found:
                found.sort(key=lambda c: c[0].rank())
                if len(found) == 1 or found[-1][0].rank() > found[-2][0].rank():
                    return found[-1]
                raise self._ambiguous(args)
        raise self.no_match(args)

    def resolve_call(self, args: Sequence[Arg], chosen: tuple[Variant, bool] | None = None) -> Resolved:
        """The call for these arguments (`chosen`: the variant already picked from a first pass over
        arguments whose lambdas were untyped, as ksqlDB resolves calls with lambda arguments)."""
        v, spread = chosen if chosen is not None else self.match(args)
        ret = self.return_type(v, args, spread)
        impl = v.factory(args) if v.factory is not None else v.impl
        if spread:
            raw = impl
            vi = v.variadic_index

            def impl(*a: Any, _raw: Callable[..., Any] = raw, _i: int = vi) -> Any:
                rest = a[_i] or ()
                return _raw(*a[:_i], *rest, *a[_i + 1 :])

        if v.null_in_null_out:
            inner = impl

            def impl(*a: Any, _raw: Callable[..., Any] = inner) -> Any:
                if None in a:
                    return None
                return _raw(*a)

        return Resolved(v, spread, ret, impl, self.targets(v, args, spread))

    def resolve(self, args: Sequence[Arg]) -> tuple[SqlType, Callable[..., Any], list[SqlType | None]]:
        """The return type, the implementation, and the type each argument must be converted to
        (None: keep as is) for these argument types (None = NULL literal)."""
        r = self.resolve_call(args)
        return r.returns, r.impl, r.targets

    def return_type(self, v: Variant, args: Sequence[Arg], spread: bool = False) -> SqlType:
        r = v.returns
        if isinstance(r, SqlType):
            return r
        if callable(r):
            return r(args)
        pt = parse(r)
        if not pt.generics:
            return to_sql(pt)
        # FunctionLoaderUtils' generic return type: each parameter's generics are reserved on their own
        # (GenericsUtil.reserveGenerics), and a NULL literal argument fails there as Java fails on it
        mapping: dict[str, SqlType | None] = {}
        for i in range(min(len(v.ptypes), len(args))):
            p, a = v.ptypes[i], args[i]
            if i == v.variadic_index and not spread:
                if a is None:  # SqlTypes.array(null): SqlArray's requireNonNull
                    raise KsqlFunctionError("itemType", self.name)
                p = PT("ARRAY", args=(p,))
                a = T.array(a) if isinstance(a, SqlType) else a
            if a is None and p.kind not in ("GENERIC", "LAMBDA"):
                # resolveGenerics -> matches -> sqlToFunctionConverter().toFunctionType(null)
                raise KsqlFunctionError(_NULL_SQLTYPE, self.name)
            if not p.generics:
                continue
            own: dict[str, SqlType | None] = {}
            err = reserve(p, a, own)
            if err is not None:
                raise KsqlFunctionError(err, self.name)
            for name, bound in own.items():
                if bound is None:  # ImmutableMap.copyOf of the parameter's bindings refuses a null value
                    raise KsqlFunctionError(f"null value in entry: {name}=null", self.name)
            mapping.update(own)
        return to_sql(pt, None, mapping)

    def targets(self, v: Variant, args: Sequence[Arg], spread: bool) -> list[SqlType | None]:
        """ksqlDB's implicit casts of arguments to non-generic parameter types."""
        ps = v.expand(len(args), spread) or []
        out: list[SqlType | None] = []
        for p, a in zip(ps, args, strict=False):
            if not isinstance(a, SqlType) or p.generics or p.kind in ("ANY", "INTERVAL", "LAMBDA") or compatible(a, p, False):
                out.append(None)
            else:
                out.append(to_sql(p, a))
        return out

    # --- errors --------------------------------------------------------------------------------
    def listed(self) -> list[Variant]:
        """The variants in the order UdfIndex.values() gives them (error alternatives, DESCRIBE FUNCTION):
        its HashMap's order of parameter lists (the variadic parameter as an ARRAY), lists of one bucket in
        the order UdfLoader put them, which is the JVM's reflection order of the UDF class's methods
        (JVM_METHOD_ORDER where recorded, else the order the variants are declared here)."""
        variants = self.variants
        recorded = JVM_METHOD_ORDER.get(self.name)
        if recorded is not None:
            rank = {params: i for i, params in enumerate(recorded)}
            variants = sorted(variants, key=lambda v: rank.get(tuple(v.display()[0]), len(rank)))
        keys = [java_list_hash([java_hash(p) for p in v.java_params()]) for v in variants]
        return [variants[i] for i in java_hashmap_order(keys)]

    def _alternatives(self) -> str:
        """UdfIndex.getAcceptedTypesAsString: each signature's FunctionName, which UdfLoader upper-cases for a
        scalar function and UdafLoader keeps as its @UdafDescription declares it ("avg")."""
        fname = self.error_name if self.kind == "AGGREGATE" else self.name
        return "\n".join(v.signature(fname) for v in self.listed())

    def no_match(self, args: Sequence[Arg]) -> KsqlFunctionError:
        shown = ", ".join(plain(a) for a in args)
        return KsqlFunctionError(
            f"Function '{self.error_name}' does not accept parameters ({shown}).\n"
            f"Valid alternatives are:\n{self._alternatives()}\n"
            f"For detailed information on a function run: DESCRIBE FUNCTION <Function-Name>;",
            self.name,
        )

    def _ambiguous(self, args: Sequence[Arg]) -> KsqlFunctionError:
        shown = ", ".join(plain(a) for a in args)
        return KsqlFunctionError(
            f"Function '{self.error_name}' cannot be resolved due to ambiguous method parameters "
            f"({shown}).\nUse CAST() to explicitly cast your parameters to one of the supported function "
            f"calls.\nValid function calls are:\n{self._alternatives()}\n"
            f"For detailed information on a function run: DESCRIBE FUNCTION <Function-Name>;",
            self.name,
        )

    # --- DESCRIBE FUNCTION -----------------------------------------------------------------------
    def describe(self) -> dict[str, Any]:
        """The body of ksqlDB's FunctionDescriptionList (without statementText/warnings)."""
        functions = []
        for v in self.listed():  # UdfFactory.eachFunction: udfIndex.values()
            params, ret = v.display()
            args = [
                {
                    "name": v.name_of(i),
                    "type": p,
                    "description": v.docs[i] if i < len(v.docs) else "",
                    "isVariadic": i == v.variadic_index,
                }
                for i, p in enumerate(params)
            ]
            functions.append(
                {
                    "arguments": args,
                    "returnType": ret,
                    "description": v.description,
                    "argumentTypes": [a["type"] for a in args],
                }
            )
        return {
            "name": self.name,
            "description": self.description,
            "author": self.author,
            "version": self.version,
            "path": self.path,
            "functions": functions,
            "type": self.kind,
        }


def lambda_inputs(p: PT, params: Sequence[str], reserved: dict[str, SqlType | None]) -> list[SqlType]:
    """The types of a lambda's parameters (named `params`) for lambda parameter type `p`, from the generics
    bound so far (FunctionArgumentsUtil.mapLambdaParametersToTypes, with its error texts; the names print as
    Java's List.toString)."""
    inputs = p.args[:-1]
    if len(params) != len(inputs):
        raise KsqlFunctionError(
            f"Was expecting {len(inputs)} arguments but found {len(params)}, [{', '.join(params)}]. "
            "Check your lambda statement."
        )
    out = []
    for q in inputs:
        if q.kind == "GENERIC":
            t = reserved.get(q.name)
            if t is None:
                mapping = "{" + ", ".join(f"{k}={plain(v)}" for k, v in reserved.items()) + "}"
                raise KsqlFunctionError(
                    f"Could not resolve type for generic {q.name}. The generic mapping so far: {mapping}"
                )
            out.append(t)
        else:
            out.append(to_sql(q))
    return out


# The order UdfLoader registers a UDF class's methods in (Class.getMethods(): HotSpot's order, not the
# declaration order) where it decides the listing, as DESCRIBE FUNCTION lists them on ksqlDB 0.29
# (JDK 17; the same in the QTT harness and the REST server, so stable across runs): GREATEST's and LEAST's
# nine parameter lists share one HashMap bucket, and ROUND's fall two to a bucket.
JVM_METHOD_ORDER: dict[str, tuple[tuple[str, ...], ...]] = {
    "ROUND": (("DECIMAL",), ("DOUBLE", "INT"), ("DOUBLE",), ("DECIMAL", "INT"), ("INT",), ("BIGINT",)),
    **{
        name: tuple(
            (t, t) for t in ("TIME", "DATE", "BYTES", "TIMESTAMP", "DECIMAL", "INT", "BIGINT", "DOUBLE", "VARCHAR")
        )
        for name in ("GREATEST", "LEAST")
    },
}


class FunctionRegistry:
    """All functions (scalar, table, aggregate) by upper-case name."""

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
            raise KsqlFunctionError(f"Can't find any functions with the name '{name}'", name)
        return fn

    def names(self) -> list[str]:
        return sorted(self._functions)

    def all(self) -> list[ScalarFunction]:
        return [self._functions[n] for n in self.names()]


# --- declaring built-ins -----------------------------------------------------------------------------


def V(
    params: Sequence[str],
    returns: ReturnType,
    impl: Callable[..., Any],
    description: str = "",
    *,
    docs: Sequence[str] = (),
    nino: bool = True,
    factory: Callable[[Sequence[Arg]], Callable[..., Any]] | None = None,
    declared: str = "",
) -> Variant:
    """A variant from `TYPE name` parameter texts (`VARCHAR... inputs` for the variadic one)."""
    types, names = [], []
    for text in params:
        t, n = _split_param(text)
        types.append(t)
        names.append(n)
    return Variant(
        tuple(types), returns, impl, description, nino, factory, tuple(names), tuple(docs), declared
    )


def _split_param(text: str) -> tuple[str, str]:
    """`ARRAY<T> input` -> (`ARRAY<T>`, `input`); `VARCHAR... xs` -> (`VARCHAR...`, `xs`); the name may
    contain spaces (ksqlDB's MASK parameters have them)."""
    r = Reader(text)
    r.type()
    end = r.pos
    if text.startswith("...", end):
        end += 3
    return text[:end].strip(), text[end:].strip()


def built(*_args: Any) -> Any:
    """The implementation placeholder of a variant whose `factory` builds it from the argument types."""
    raise AssertionError("this variant's implementation is built by its factory")


def udf(
    registry: FunctionRegistry,
    name: str,
    category: str,
    description: str,
    *variants: Variant,
    author: str = "Confluent",
    java_name: str = "",
) -> ScalarFunction:
    fn = ScalarFunction(
        name.upper(), description, list(variants), category, author=author, java_name=java_name or name
    )
    registry.register(fn)
    return fn


def same(i: int = 0) -> Callable[[Sequence[Arg]], SqlType]:
    """Return type = the type of argument i (STRING if it is a NULL literal)."""
    return lambda args: args[i] if isinstance(args[i], SqlType) else T.STRING


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
            hi = max(out, t, key=lambda x: _NUM_ORDER.index(x.base))
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


__all__ = [
    "Arg",
    "FunctionRegistry",
    "IntervalArg",
    "LambdaArg",
    "Resolved",
    "ScalarFunction",
    "V",
    "Variant",
    "built",
    "common_type",
    "lambda_inputs",
    "same",
    "udf",
]
