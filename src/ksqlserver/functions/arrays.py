"""ARRAY functions: ksqlDB's null rules, order-preserving set operations with Java's equals (Double.equals,
BigDecimal.equals), Java's natural order (NaN last among doubles, signed bytes, strings by UTF-16 code unit),
GENERATE_SERIES with Java int/long arithmetic."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from ksqlserver.catalog.types import SqlType
from ksqlserver.errors import EvaluationError
from ksqlserver.formats.javatext import java_double
from ksqlserver.functions.numeric import _bytes_key, _double_key, wrap32, wrap64
from ksqlserver.functions.paramtypes import Arg
from ksqlserver.functions.registry import FunctionRegistry, V, built, udf
from ksqlserver.functions.udafs.common import _plain_equality, java_contains, java_equals, utf16_key

_JAVA_CLASS = {
    "ARRAY": "java.util.ArrayList", "MAP": "java.util.HashMap", "STRUCT": "org.apache.kafka.connect.data.Struct",
    "BYTES": "java.nio.HeapByteBuffer", "DATE": "java.sql.Date", "TIME": "java.sql.Time",
    "TIMESTAMP": "java.sql.Timestamp",
}
_COMPARABLE = ("INTEGER", "BIGINT", "DOUBLE", "DECIMAL", "STRING", "BOOLEAN", "BYTES", "DATE", "TIME", "TIMESTAMP")


def _item(args: Sequence[Arg]) -> SqlType | None:
    t = args[0] if args else None
    return t.item if isinstance(t, SqlType) and t.base == "ARRAY" else None


def order_key(t: SqlType | None) -> Callable[[Any], Any] | None:
    """Java's natural order of a type's values as a sort key (None: Python's own order is the same);
    raises for types whose values are not Comparable in ksqlDB."""
    if t is None:
        return None
    if t.base not in _COMPARABLE:
        name = _JAVA_CLASS.get(t.base, t.base)
        # the JVM's ClassCastException text (Java 11+), naming each class's module and loader
        where = (
            f"{name} and java.lang.Comparable are in module java.base of loader 'bootstrap'"
            if name.startswith("java.")
            else f"{name} is in unnamed module of loader 'app'; java.lang.Comparable is in module java.base of loader "
            "'bootstrap'"
        )
        raise EvaluationError(f"class {name} cannot be cast to class java.lang.Comparable ({where})")
    if t.base == "DOUBLE":
        return _double_key
    if t.base == "BYTES":
        return _bytes_key
    if t.base == "STRING":
        return utf16_key  # String.compareTo: a character past U+FFFF sorts below U+E000-U+FFFF
    return None


def _double_eq(x: float | None) -> Any:
    """Double.equals as a hashable key: every NaN equal, -0.0 unequal to 0.0."""
    if x is None:
        return None
    return "NaN" if x != x else (x, math.copysign(1.0, x))


def _decimal_eq(x: Decimal | None) -> Any:
    """BigDecimal.equals as a hashable key: the scale counts (1.0 is not 1.00)."""
    return None if x is None else (x, x.as_tuple().exponent)


def _eq_key(t: SqlType | None) -> Callable[[Any], Any] | None:
    """A hashable stand-in for a `t` value whose equality is Java's equals (None: the value itself)."""
    if t is not None and t.base == "DOUBLE":
        return _double_eq
    if t is not None and t.base == "DECIMAL":
        return _decimal_eq
    return None


def distinct(items: Sequence[Any], t: SqlType | None = None) -> list[Any]:
    """LinkedHashSet order: first occurrence of each value, Java's equals among values of type `t`."""
    out: list[Any] = []
    seen: set[Any] = set()
    key = _eq_key(t)
    plain = t is None or _plain_equality(t)
    for x in items:
        k = x if key is None else key(x)
        try:
            if k in seen:
                continue
            seen.add(k)
        except TypeError:  # lists, maps and structs are not hashable: compare by value
            if (x in out) if plain else any(java_equals(o, x) for o in out):
                continue
        out.append(x)
    return out


def _member(t: SqlType | None) -> Callable[[list[Any]], Callable[[Any], bool]]:
    """HashSet.contains over a list of `t` values, with Java's equals."""
    key = _eq_key(t)
    if key is not None:

        def keyed(xs: list[Any]) -> Callable[[Any], bool]:
            keys = {key(x) for x in xs}
            return lambda v: key(v) in keys

        return keyed
    contains = java_contains(t)
    return lambda xs: lambda v: contains(xs, v)


def _distinct(args: Sequence[Arg]) -> Callable[[list[Any]], list[Any]]:
    t = _item(args)
    return lambda items: distinct(items, t)


def array_concat(left: list[Any] | None, right: list[Any] | None) -> list[Any] | None:
    if left is None and right is None:
        return None
    return [*(left or ()), *(right or ())]


def _array_except(args: Sequence[Arg]) -> Callable[[list[Any], list[Any]], list[Any]]:
    t, member = _item(args), _member(_item(args))

    def except_(left: list[Any], right: list[Any]) -> list[Any]:
        excluded = member(right)
        return [x for x in distinct(left, t) if not excluded(x)]

    return except_


def _array_intersect(args: Sequence[Arg]) -> Callable[[list[Any], list[Any]], list[Any]]:
    t, member = _item(args), _member(_item(args))

    def intersect(left: list[Any], right: list[Any]) -> list[Any]:
        kept = member(right)
        return [x for x in distinct(left, t) if kept(x)]

    return intersect


def _array_union(args: Sequence[Arg]) -> Callable[[list[Any], list[Any]], list[Any]]:
    t = _item(args)
    return lambda left, right: distinct([*left, *right], t)


def _text(t: SqlType | None) -> Callable[[Any], str]:
    """Object.toString of an element for ARRAY_JOIN (Boolean, numbers, strings only)."""
    if t is None:
        return str
    if t.base == "BOOLEAN":
        return lambda v: "true" if v else "false"
    if t.base == "DOUBLE":
        return java_double
    if t.base == "DECIMAL":
        return lambda v: str(v)
    if t.base in ("INTEGER", "BIGINT", "STRING"):
        return str
    name = _JAVA_CLASS.get(t.base, t.base)

    def unsupported(v: Any) -> str:
        raise EvaluationError(f"error: hit element of type {name} which is currently not supported")

    return unsupported


def _array_join(args: Sequence[Arg]) -> Callable[..., str | None]:
    text = _text(_item(args))

    def join(array: list[Any] | None, delimiter: str | None = ",") -> str | None:
        if array is None:
            return None
        return ("" if delimiter is None else delimiter).join("null" if e is None else text(e) for e in array)

    return join


def _extreme(pick_max: bool) -> Callable[[Sequence[Arg]], Callable[[list[Any]], Any]]:
    def make(args: Sequence[Arg]) -> Callable[[list[Any]], Any]:
        item = _item(args)

        def extreme(array: list[Any]) -> Any:
            present = [x for x in array if x is not None]
            if len(present) < 2:
                return present[0] if present else None
            key = order_key(item)
            if key is None:
                return max(present) if pick_max else min(present)
            return max(present, key=key) if pick_max else min(present, key=key)

        return extreme

    return make


def _array_sort(args: Sequence[Arg]) -> Callable[..., list[Any] | None]:
    item = _item(args)

    def sort(array: list[Any], direction: str | None = "ASC") -> list[Any] | None:
        if direction is None:
            return None
        d = direction.upper()
        if d not in ("ASC", "ASCENDING", "DESC", "DESCENDING"):
            return None
        present = [x for x in array if x is not None]
        key = order_key(item) if len(present) > 1 else None
        nulls = [None] * (len(array) - len(present))
        present.sort(key=key, reverse=d.startswith("DESC"))
        return present + nulls

    return sort


def _array_contains(args: Sequence[Arg]) -> Callable[[list[Any] | None, Any], bool]:
    contains = java_contains(_item(args))  # List.contains: Objects.equals
    return lambda array, value: array is not None and contains(array, value)


def _array_remove(args: Sequence[Arg]) -> Callable[[list[Any] | None, Any], list[Any] | None]:
    t = _item(args)
    if t is not None and _plain_equality(t):
        return lambda array, victim: None if array is None else [x for x in array if x != victim]
    # Objects.equals: Double.equals / BigDecimal.equals, and null equals only null
    return lambda array, victim: None if array is None else [x for x in array if not java_equals(x, victim)]


def slice_(array: list[Any] | None, start: int | None, end: int | None) -> list[Any] | None:
    """Slice: ArrayList.subList(from - 1, to); its IndexOutOfBoundsException is caught (null), but the
    IllegalArgumentException of a start past the end is not: the UDF throws."""
    if array is None:
        return None
    s = 0 if start is None else wrap32(start - 1)  # `from - 1` in Java int arithmetic
    e = len(array) if end is None else end
    if s < 0 or e > len(array):
        return None
    if s > e:
        raise EvaluationError(f"fromIndex({s}) > toIndex({e})")
    return array[s:e]


def _series(wrap: Callable[[int], int]) -> Callable[..., list[int]]:
    def series(start: int | None, end: int | None, step: int | None = None) -> list[int]:
        if start is None or end is None:
            raise EvaluationError("Cannot pass NULL to a primitive parameter of GENERATE_SERIES")
        if step is None:
            step = 1 if wrap(end - start) > 0 else -1
        if step == 0:
            raise EvaluationError("GENERATE_SERIES step cannot be zero")
        diff = wrap(end - start)
        if (diff > 0 and step < 0) or (diff < 0 and step > 0):
            raise EvaluationError("GENERATE_SERIES step has wrong sign")
        q = abs(diff) // abs(step) * (1 if (diff >= 0) == (step > 0) else -1)  # Java division truncates
        size = wrap32(1 + wrap32(q))
        out, val = [], start
        for _ in range(max(size, 0)):
            out.append(val)
            val = wrap(val + step)
        return out

    return series


def register(r: FunctionRegistry) -> None:
    int_series, long_series = _series(wrap32), _series(wrap64)
    udf(r, "ARRAY_CONCAT", "ARRAY",
        "Concatenates two arrays, creating an array that contains all the elements in the first array "
        "followed by all the elements in the second array. Returns NULL if both input arrays are NULL. If "
        "only one argument is NULL, the result is the other argument. The two arrays must be of the same "
        "type.",
        V(
            ["ARRAY<T> left", "ARRAY<T> right"], "ARRAY<T>", array_concat,
            docs=["First array of values", "Second array of values"],
            nino=False,
        ),
        author="", java_name="array_concat",
    )
    udf(r, "ARRAY_CONTAINS", "ARRAY",
        "Returns true if the array is non-null and contains the supplied value.",
        V(["ARRAY<T> array", "T val"], "BOOLEAN", built, nino=False, factory=_array_contains),
    )
    udf(r, "ARRAY_DISTINCT", "ARRAY",
        "Returns an array of all the distinct values, including NULL if present, from the input array. "
        "The output array elements will be in order of their first occurrence in the input. Returns NULL "
        "if the input array is NULL.",
        V(["ARRAY<T> input"], "ARRAY<T>", built, docs=["Array of values to distinct"], factory=_distinct),
        author="", java_name="array_distinct",
    )
    udf(r, "ARRAY_EXCEPT", "ARRAY",
        "Returns an array of all the elements in an array except for those also present in a second "
        "array. The order of entries in the first array is preserved although any duplicates are removed. "
        "Returns NULL if either input is NULL.",
        V(
            ["ARRAY<T> left", "ARRAY<T> right"], "ARRAY<T>", built,
            docs=["Array of values", "Array of exceptions"],
            factory=_array_except,
        ),
        author="", java_name="array_except",
    )
    udf(r, "ARRAY_INTERSECT", "ARRAY",
        "Returns an array of all the distinct elements from the intersection of both input arrays, or "
        "NULL if either input array is NULL. The order of entries in the output is the same as in the "
        "first input array.",
        V(
            ["ARRAY<T> left", "ARRAY<T> right"], "ARRAY<T>", built,
            docs=["First array of values", "Second array of values"],
            factory=_array_intersect,
        ),
        author="", java_name="array_intersect",
    )
    udf(r, "ARRAY_JOIN", "ARRAY",
        "joins the array elements into a flat string representation",
        V(["ARRAY<T> array"], "VARCHAR", built, docs=["the array to join using the default delimiter ','"], nino=False, factory=_array_join),
        V(
            ["ARRAY<T> array", "VARCHAR delimiter"], "VARCHAR", built,
            docs=[
                "the array to join using the specified delimiter",
                "the string to be used as element delimiter",
            ],
            nino=False,
            factory=_array_join,
        ),
    )
    udf(r, "ARRAY_LENGTH", "ARRAY",
        "Returns the length on an array",
        V(["ARRAY<T> array"], "INT", len, docs=["The array"]),
    )
    udf(r, "ARRAY_MAX", "ARRAY",
        "Return the maximum value from within an array of primitive values, according to their natural "
        "sort order. If the array is NULL, or contains only NULLs, return NULL.",
        V(["ARRAY<T> input"], "T", built, docs=["Array of values from which to find the maximum"], factory=_extreme(True)),
        author="", java_name="array_max",
    )
    udf(r, "ARRAY_MIN", "ARRAY",
        "Return the minimum value from within an array of primitive values, according to their natural "
        "sort order. If the array is NULL, or contains only NULLs, return NULL.",
        V(["ARRAY<T> input"], "T", built, docs=["Array of values from which to find the minimum"], factory=_extreme(False)),
        author="", java_name="array_min",
    )
    udf(r, "ARRAY_REMOVE", "ARRAY",
        "Removes all the elements equal to a specific value from an array. Returns NULL if the input "
        "array is NULL.",
        V(
            ["ARRAY<T> array", "T victim"], "ARRAY<T>", built,
            docs=["Array of values", "Value to remove"], nino=False, factory=_array_remove,
        ),
        author="", java_name="array_remove",
    )
    udf(r, "ARRAY_SORT", "ARRAY",
        "Sort an array of primitive values, according to their natural sort order. Any NULLs in the array "
        "will be placed at the end.",
        V(["ARRAY<T> input"], "ARRAY<T>", built, docs=["The array to sort"], factory=_array_sort),
        V(
            ["ARRAY<T> input", "VARCHAR direction"], "ARRAY<T>", built,
            docs=["The array to sort", "Marks the end of the series (inclusive)"],
            factory=_array_sort,
        ),
        author="", java_name="array_sort",
    )
    udf(r, "ARRAY_UNION", "ARRAY",
        "Returns an array of all the distinct elements from both input arrays, or NULL if either array is "
        "NULL.",
        V(
            ["ARRAY<T> left", "ARRAY<T> right"], "ARRAY<T>", built,
            docs=["First array of values", "Second array of values"],
            factory=_array_union,
        ),
        author="", java_name="array_union",
    )
    udf(r, "SLICE", "ARRAY",
        "slice of an ARRAY",
        V(
            ["ARRAY<T> in", "INT from", "INT to"], "ARRAY<T>", slice_,
            docs=["the input array", "start index", "end index"],
            nino=False,
        ),
        java_name="slice",
    )
    udf(r, "GENERATE_SERIES", "ARRAY",
        "Construct an array of a range of values",
        V(
            ["INT start", "INT end"], "ARRAY<INT>", int_series,
            docs=["The beginning of the series", "Marks the end of the series (inclusive)"],
            nino=False,
        ),
        V(
            ["INT start", "INT end", "INT step"], "ARRAY<INT>", int_series,
            docs=[
                "The beginning of the series",
                "Marks the end of the series (inclusive)",
                "Difference between each value in the series",
            ],
            nino=False,
        ),
        V(
            ["BIGINT start", "BIGINT end"], "ARRAY<BIGINT>", long_series,
            docs=["The beginning of the series", "Marks the end of the series (inclusive)"],
            nino=False,
        ),
        V(
            ["BIGINT start", "BIGINT end", "INT step"], "ARRAY<BIGINT>", long_series,
            docs=[
                "The beginning of the series",
                "Marks the end of the series (inclusive)",
                "Difference between each value in the series",
            ],
            nino=False,
        ),
    )

