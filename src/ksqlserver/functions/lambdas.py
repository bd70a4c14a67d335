"""Higher-order functions: TRANSFORM, FILTER and REDUCE over arrays and maps.

The compiler passes each lambda as a Python callable (its body compiled with ksqlDB's expression rules).
As in ksqlDB, a map result may not hold a null value or a duplicate key (Collectors.toMap), and FILTER's
predicate may not return null.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ksqlserver.errors import EvaluationError
from ksqlserver.formats.javamap import hashmap_order
from ksqlserver.formats.javatext import to_text
from ksqlserver.functions.registry import FunctionRegistry, V, udf

# how ErrorMessageUtil renders an exception without a message: its toString
_NPE = "java.lang.NullPointerException"


def _text(x: Any) -> str:
    return "null" if x is None else to_text(x) or ""


def _to_map(pairs: list[tuple[Any, Any]]) -> dict[Any, Any]:
    out: dict[Any, Any] = {}
    for k, v in pairs:
        if v is None:  # Collectors.toMap: Objects.requireNonNull(value), a message-less NullPointerException
            raise EvaluationError(_NPE)
        if k in out:
            # Collectors.uniqKeysMapAccumulator's String.format("%s"): Java toString of each value
            raise EvaluationError(f"Duplicate key {_text(k)} (attempted merging values {_text(out[k])} and {_text(v)})")
        out[k] = v
    return hashmap_order(out)  # Transform/Filter collect a map with Collectors.toMap: a HashMap()


def transform_array(array: list[Any] | None, fn: Callable[[Any], Any] | None) -> list[Any] | None:
    if array is None or fn is None:
        return None
    return [fn(x) for x in array]


def transform_map(
    m: dict[Any, Any] | None, key_fn: Callable[..., Any] | None, value_fn: Callable[..., Any] | None
) -> dict[Any, Any] | None:
    if m is None or key_fn is None or value_fn is None:
        return None
    return _to_map([(key_fn(k, v), value_fn(k, v)) for k, v in m.items()])


def _test(result: Any) -> bool:
    if result is None:  # `filter(function::apply)` unboxes the null Boolean
        raise EvaluationError(_NPE)
    return bool(result)


def filter_array(array: list[Any] | None, fn: Callable[[Any], Any] | None) -> list[Any] | None:
    if array is None or fn is None:
        return None
    return [x for x in array if _test(fn(x))]


def filter_map(m: dict[Any, Any] | None, fn: Callable[..., Any] | None) -> dict[Any, Any] | None:
    if m is None or fn is None:
        return None
    return _to_map([(k, v) for k, v in m.items() if _test(fn(k, v))])


def reduce_array(array: list[Any] | None, state: Any, fn: Callable[..., Any] | None) -> Any:
    if state is None or fn is None:
        return None
    for x in array or ():
        state = fn(state, x)
    return state


def reduce_map(m: dict[Any, Any] | None, state: Any, fn: Callable[..., Any] | None) -> Any:
    if state is None or fn is None:
        return None
    for k, v in (m or {}).items():
        state = fn(state, k, v)
    return state


def register(r: FunctionRegistry) -> None:
    udf(r, "TRANSFORM", "LAMBDA",
        "Apply a function to each element in a collection. The transformed collection is returned.",
        V(
            ["ARRAY<T> array", "LAMBDA (T) => R function"], "ARRAY<R>", transform_array,
            "When transforming an array, the function provided must have two arguments. The two arguments "
            "for each function are in order: the key and then the value. The transformed array is "
            "returned.",
            docs=["The array", "The lambda function"],
            nino=False,
        ),
        V(
            ["MAP<K, V> map", "LAMBDA (K, V) => R biFunction1", "LAMBDA (K, V) => T biFunction2"],
            "MAP<R, T>",
            transform_map,
            "When transforming a map, two functions must be provided. For each map entry, the first "
            "function provided will be applied to the key and the second one applied to the value. Each "
            "function must have two arguments. The two arguments for each function are in order: the key "
            "and then the value. The transformed map is returned.",
            docs=["The map", "The key lambda function", "The value lambda function"],
            nino=False,
        ),
        java_name="transform",
    )
    udf(r, "FILTER", "LAMBDA",
        "Filter the input collection through a given lambda function. The filtered collection is returned.",
        V(
            ["ARRAY<T> array", "LAMBDA (T) => BOOLEAN function"], "ARRAY<T>", filter_array,
            "When filtering an array, the function provided must have a boolean result. The function is "
            "applied to each value in the array and a filtered array is returned.",
            docs=["The array", "The lambda function"],
            nino=False,
        ),
        V(
            ["MAP<K, V> map", "LAMBDA (K, V) => BOOLEAN biFunction"], "MAP<K, V>", filter_map,
            "When filtering a map, the function provided must have a boolean result. For each map entry, "
            "the function will be applied to the key and value arguments in that order. The filtered map "
            "is returned.",
            docs=["The map", "The lambda function"],
            nino=False,
        ),
        java_name="filter",
    )
    udf(r, "REDUCE", "LAMBDA",
        "Reduce the input collection down to a single value using an initial state and a function. The "
        "initial state (s) is passed into the scope of the function. Each invocation returns a new value "
        "for s, which the next invocation will receive. The final value for s is returned.",
        V(
            ["ARRAY<T> list", "S initialState", "LAMBDA (S, T) => S biFunction"], "S", reduce_array,
            "When reducing an array, the reduce function must have two arguments. The two arguments for "
            "the reduce function are in order: the state and the array item. The final state is returned.",
            docs=["The array.", "The initial state.", "The reduce function."],
            nino=False,
        ),
        V(
            ["MAP<K, V> map", "S initialState", "LAMBDA (S, K, V) => S triFunction"], "S", reduce_map,
            "When reducing a map, the reduce function must have three arguments. The three arguments for "
            "the reduce function are in order: the state, the key, and the value. The final state is "
            "returned.",
            docs=["The map.", "The initial state.", "The reduce function."],
            nino=False,
        ),
        java_name="reduce",
    )
