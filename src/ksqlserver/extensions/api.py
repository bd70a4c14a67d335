"""The plugin API: what an extension module imports to declare functions.

```python
from ksqlserver.extensions import FunctionContext, udf, udtf, udaf

@udf("MULTIPLY", params=["INTEGER", "INTEGER"], returns="INTEGER", description="a * b")
def multiply(a: int, b: int) -> int:
    return a * b

@udf("SCORE", params=[("X", "DOUBLE")], returns="DOUBLE", batch=True)
class Score:                                    # a class: built once, on first use, with its context
    def __init__(self, ctx: FunctionContext) -> None:
        self.model = load(ctx.require("model.dir"))   # server property ksql.functions.score.model.dir
    def __call__(self, rows: list[tuple]) -> list:  # batch=True: one call per micro-batch
        return self.model.predict(rows)
```

Several declarations with the same name are overloads of one function. `batch=True` functions take a
list of argument tuples and return one result per tuple; the engine calls them once per micro-batch
where it can (a SELECT projection) and with one-row lists elsewhere. With `null_in_null_out` (the
default) a call with a null argument yields null without reaching the function. A function that raises
yields null for that call, as ksqlDB's UDFs do.

`deterministic=True` says a scalar function's result depends only on its arguments (no clock, no
randomness, no state it changes between calls). A call of such a function whose arguments are all
literals is then evaluated once per micro-batch instead of once per row (a model's threshold, say); the
default is False, so nothing is folded unless the function says so. Folding does not change results: a
call that fails still fails every row it would have failed.

`columnar=True` (with `batch=True`) lets the engine hand a micro-batch whose arguments are literals and
plain columns as an `ArgumentColumns` (extensions/columns.py): still a sequence of the argument tuples,
built only when read, with column-wise readers (`literal(i)`, `values(start, stop)`, `column(i)`) that
fill, say, a numpy matrix without a tuple per row. The function must accept both forms (one-row calls
and the row-by-row retry of a failed batch pass plain lists). A null-in-null-out function gets the tuples
(the engine looks at each row for nulls anyway), so columnar functions usually say
`null_in_null_out=False` and find nulls themselves.

UDTFs (`udtf`) return a list of values per call; each value becomes one output row. UDAFs (`udaf`) are
classes with ksqlDB's `initialize() / aggregate(value, agg) / merge(a, b) / map(agg)` and an optional
`undo(value, agg)` for table sources (see `extensions/aggregate.py` for nulls, types and failures).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.errors import KsqlTypeError
from ksqlserver.extensions.errors import ConfigMissingError, DeclarationError
from ksqlserver.extensions.names import invalid_name_message, is_valid_function_name

Kind = Literal["SCALAR", "TABLE", "AGGREGATE"]
ParamSpec = str | tuple[str, str]
F = TypeVar("F")
MARK = "__ksql_functions__"  # attribute the decorators leave on the declared object


@dataclass(frozen=True)
class Param:
    name: str
    type: SqlType


@dataclass(frozen=True)
class Declaration:
    """One overload of a plugin function as its module declared it."""

    kind: Kind
    name: str
    params: tuple[Param, ...]
    returns: SqlType
    target: Any  # a function, or a class built once with a FunctionContext
    description: str = ""
    batch: bool = False
    null_in_null_out: bool = True
    author: str = ""
    version: str = ""
    aggregate: SqlType | None = None  # UDAF intermediate type
    deterministic: bool = False  # same arguments, same result: literal-only calls are folded per batch
    columnar: bool = False  # a batch function that also takes an `ArgumentColumns` (extensions/columns.py)

    @property
    def is_class(self) -> bool:
        return isinstance(self.target, type)


class FunctionContext:
    """What a function class gets once: its settings (`ksql.functions.<name>.<key>`, then
    `ksql.functions._global_.<key>`) and a place for resources its overloads share."""

    def __init__(self, name: str, config: Mapping[str, str]) -> None:
        self.name = name.upper()
        self.config = dict(config)
        self._shared: dict[str, Any] = {}
        self._lock = threading.Lock()

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.config.get(key, default)

    def require(self, key: str) -> str:
        value = self.config.get(key)
        if value is None or value == "":
            raise ConfigMissingError(self.name, key)
        return value

    def shared(self, key: str, factory: Callable[[], Any]) -> Any:
        """`factory()` once per function (all overloads): a model loaded once, however many use it."""
        with self._lock:
            if key not in self._shared:
                self._shared[key] = factory()
            return self._shared[key]


def function_config(name: str, properties: Mapping[str, str]) -> dict[str, str]:
    """Settings of one function from server properties (its own prefix wins over `_global_`)."""
    out: dict[str, str] = {}
    for prefix in ("ksql.functions._global_.", f"ksql.functions.{name.lower()}."):
        out.update({k[len(prefix) :]: v for k, v in properties.items() if k.lower().startswith(prefix)})
    return out


def _type(text: str, where: str) -> SqlType:
    try:
        return T.parse_type(text)
    except KsqlTypeError as e:
        raise DeclarationError(f"{where}: unknown type {text!r} ({e.message})") from None


def _params(name: str, specs: Sequence[ParamSpec]) -> tuple[Param, ...]:
    out = []
    for i, spec in enumerate(specs):
        pname, ptext = (spec if isinstance(spec, tuple) else (f"arg{i}", spec))
        out.append(Param(str(pname).upper(), _type(ptext, f"{name} parameter {pname}")))
    return tuple(out)


def _check_name(name: str) -> None:
    if not is_valid_function_name(name):
        raise DeclarationError(invalid_name_message(name))


def _declare(kind: Kind, name: str, params: Sequence[ParamSpec], returns: str, **kw: Any) -> Callable[[F], F]:
    _check_name(name)
    parsed = _params(name, params)
    ret = _type(returns, f"{name} return type")
    agg = _type(kw.pop("aggregate"), f"{name} aggregate type") if kw.get("aggregate") else None
    kw.pop("aggregate", None)

    def mark(target: F) -> F:
        if not callable(target):
            raise DeclarationError(f"{name}: @{kind.lower()} must decorate a function or a class")
        decl = Declaration(kind, name.upper(), parsed, ret, target, aggregate=agg, **kw)
        existing = list(getattr(target, MARK, ()))
        setattr(target, MARK, [*existing, decl])
        return target

    return mark


def udf(
    name: str,
    *,
    params: Sequence[ParamSpec],
    returns: str,
    description: str = "",
    batch: bool = False,
    null_in_null_out: bool = True,
    author: str = "",
    version: str = "",
    deterministic: bool = False,
    columnar: bool = False,
) -> Callable[[F], F]:
    """Declare a scalar function (one overload); see the module docstring."""
    if columnar and not batch:
        raise DeclarationError(f"{name}: columnar=True needs batch=True (it is a form of the batch call)")
    return _declare(
        "SCALAR", name, params, returns, description=description, batch=batch,
        null_in_null_out=null_in_null_out, author=author, version=version, deterministic=deterministic,
        columnar=columnar,
    )


def udtf(
    name: str,
    *,
    params: Sequence[ParamSpec],
    returns: str,
    description: str = "",
    null_in_null_out: bool = True,
    author: str = "",
    version: str = "",
) -> Callable[[F], F]:
    """Declare a table function: it returns a list per call, one output row per element of type `returns`."""
    return _declare(
        "TABLE", name, params, returns, description=description, null_in_null_out=null_in_null_out,
        author=author, version=version,
    )


def udaf(
    name: str,
    *,
    params: Sequence[ParamSpec],
    returns: str,
    aggregate: str,
    description: str = "",
    author: str = "",
    version: str = "",
) -> Callable[[F], F]:
    """Declare an aggregate function: a class with initialize / aggregate / merge / map, and optionally
    undo (needed to aggregate a table). `aggregate` is the accumulator's type (the state kept per group)."""
    _check_name(name)
    if not params:
        raise DeclarationError(f"{name}: @udaf needs at least one parameter (the aggregated column)")

    def check(target: F) -> F:
        missing = [m for m in ("initialize", "aggregate", "merge", "map") if not hasattr(target, m)]
        if not isinstance(target, type) or missing:
            raise DeclarationError(f"{name}: @udaf needs a class with {', '.join(missing) or 'methods'}")
        return _declare(
            "AGGREGATE", name, params, returns, aggregate=aggregate, description=description,
            author=author, version=version,
        )(target)

    return check


@dataclass
class Declarations:
    """What one plugin file declared."""

    file: str
    items: list[Declaration] = field(default_factory=list)
