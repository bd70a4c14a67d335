"""Plugin declarations as registry functions: typed variants, lazy set-up, SHOW/DESCRIBE metadata."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ksqlserver.catalog.types import SqlType
from ksqlserver.errors import KsqlError
from ksqlserver.extensions.aggregate import UdafImpl
from ksqlserver.extensions.api import Declaration, FunctionContext, Kind, function_config
from ksqlserver.extensions.errors import FunctionSetupError
from ksqlserver.extensions.invoke import ScalarCall, TableCall
from ksqlserver.functions.paramtypes import of_sql
from ksqlserver.functions.registry import ScalarFunction, Variant


def pattern(t: SqlType) -> str:
    """The registry's parameter pattern for a declared type, as ksqlDB's UdfUtil.getSchemaFromType makes a
    ParamType of a Java parameter: ARRAY, MAP and STRUCT keep their element, key/value and field types (so
    overloads differing only inside them stay apart in UdfIndex, keyed by ParamTypes), while DECIMAL is
    ParamTypes.DECIMAL, any precision and scale."""
    return str(of_sql(t))


@dataclass(frozen=True)
class PluginVariant(Variant):
    shown: tuple[str, ...] = ()
    names: tuple[str, ...] = ()

    def display(self) -> tuple[list[str], str]:
        return list(self.shown), str(self.returns)


@dataclass
class PluginFunction(ScalarFunction):
    """A registry function from a plugin file; `kind` is SCALAR, TABLE or AGGREGATE (SHOW FUNCTIONS)."""

    kind: Kind = "SCALAR"
    author: str = ""
    version: str = ""
    path: str = ""
    declarations: list[Declaration] = field(default_factory=list)


class _Instances:
    """Builds each function class once per server, on first use, with the function's context."""

    def __init__(self, context: FunctionContext) -> None:
        self.context = context
        self._objects: dict[int, Any] = {}
        self._lock = threading.Lock()

    def target(self, decl: Declaration) -> Any:
        if not decl.is_class:
            return decl.target
        with self._lock:
            key = id(decl.target)
            if key not in self._objects:
                try:
                    # a class that defines no __init__ (a stateless UDAF, say) is built without the context
                    plain = decl.target.__init__ is object.__init__
                    self._objects[key] = decl.target() if plain else decl.target(self.context)
                except KsqlError as e:
                    raise FunctionSetupError(
                        f"Function '{decl.name}' could not be set up: {e.message}", decl.name
                    ) from e
                except Exception as e:
                    raise FunctionSetupError(
                        f"Function '{decl.name}' could not be set up: {type(e).__name__}: {e}", decl.name
                    ) from e
            return self._objects[key]


def _variant(decl: Declaration, instances: _Instances) -> PluginVariant:
    def factory(_args: Sequence[SqlType | None], d: Declaration = decl) -> Any:
        target = instances.target(d)
        if d.kind == "TABLE":
            return TableCall(d.name, target, d.null_in_null_out)
        if d.kind == "AGGREGATE":
            return UdafImpl(d, target)  # extensions/aggregate.py turns it into the query's Aggregator
        return ScalarCall(d.name, target, d.batch, d.null_in_null_out, d.deterministic, d.columnar)

    return PluginVariant(
        params=tuple(pattern(p.type) for p in decl.params),
        returns=decl.returns,
        impl=lambda *a: None,  # never used: `factory` builds the call at resolve time
        description=decl.description,
        null_in_null_out=False,  # ScalarCall applies the rule itself (and keeps its batch path visible)
        factory=factory,
        shown=tuple(str(p.type) for p in decl.params),
        names=tuple(p.name for p in decl.params),
    )


def build(name: str, decls: list[Declaration], path: str, properties: Mapping[str, str]) -> PluginFunction:
    """One registry function from all overloads declared under `name` (they share one context)."""
    first = decls[0]
    instances = _Instances(FunctionContext(name, function_config(name, properties)))
    return PluginFunction(
        name=name,
        description=next((d.description for d in decls if d.description), ""),
        variants=[_variant(d, instances) for d in decls],
        category="OTHER",
        kind=first.kind,
        author=next((d.author for d in decls if d.author), ""),
        version=next((d.version for d in decls if d.version), ""),
        path=path,
        declarations=list(decls),
    )
