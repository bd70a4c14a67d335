"""ksqlDB 0.29's built-in functions; `default_registry()` holds them all (scalar, table and aggregate)."""

from __future__ import annotations

from functools import lru_cache

from ksqlserver.functions import (
    aggregates,
    arrays,
    bytesfuncs,
    geo,
    jsonfuncs,
    lambdas,
    maps,
    masking,
    nulls,
    numeric,
    regex,
    strings,
    tables,
    timefuncs,
    trig,
    urls,
)
from ksqlserver.functions.aggregates import AGGREGATE_NAMES
from ksqlserver.functions.registry import FunctionRegistry, ScalarFunction, Variant, common_type

MODULES = (
    strings, masking, regex, numeric, trig, nulls, arrays, maps, lambdas, bytesfuncs, timefuncs, jsonfuncs,
    urls, geo, tables, aggregates,
)


def is_aggregate_function(name: str, registry: FunctionRegistry | None = None) -> bool:
    """A built-in aggregate (a set test, tried first) or a plugin UDAF of `registry` (analysis time only)."""
    if name.upper() in AGGREGATE_NAMES:  # InternalFunctionRegistry.isAggregate ignores case
        return True
    return registry is not None and getattr(registry.get(name), "kind", "") == "AGGREGATE"


@lru_cache(maxsize=1)
def default_registry() -> FunctionRegistry:
    """The built-in functions (immutable once built; extensions get their own registry copy)."""
    r = FunctionRegistry()
    for module in MODULES:
        module.register(r)
    return r


__all__ = [
    "AGGREGATE_NAMES",
    "FunctionRegistry",
    "ScalarFunction",
    "Variant",
    "common_type",
    "default_registry",
    "is_aggregate_function",
]
