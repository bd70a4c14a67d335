"""ksqlDB's built-in scalar functions; `default_registry()` holds them all."""

from __future__ import annotations

from functools import lru_cache

from ksqlserver.functions import jsonfuncs, nulls, numeric, strings, timefuncs, urls
from ksqlserver.functions.registry import FunctionRegistry, ScalarFunction, Variant, common_type

AGGREGATE_NAMES = frozenset(
    {
        "COUNT",
        "SUM",
        "AVG",
        "MIN",
        "MAX",
        "LATEST_BY_OFFSET",
        "EARLIEST_BY_OFFSET",
        "COLLECT_LIST",
        "COLLECT_SET",
        "COUNT_DISTINCT",
        "TOPK",
        "TOPKDISTINCT",
        "STDDEV_SAMP",
        "HISTOGRAM",
        "CORRELATION",
    }
)


def is_aggregate_function(name: str, registry: FunctionRegistry | None = None) -> bool:
    """A built-in aggregate (a set test, tried first) or a plugin UDAF of `registry` (analysis time only)."""
    if name in AGGREGATE_NAMES:
        return True
    return registry is not None and getattr(registry.get(name), "kind", "") == "AGGREGATE"


@lru_cache(maxsize=1)
def default_registry() -> FunctionRegistry:
    """The built-in functions (immutable once built; extensions get their own registry copy)."""
    r = FunctionRegistry()
    for module in (strings, nulls, numeric, timefuncs, jsonfuncs, urls):
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
