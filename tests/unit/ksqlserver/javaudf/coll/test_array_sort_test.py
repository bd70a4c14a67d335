"""ksqlDB 0.29 ArraySortTest (io.confluent.ksql.function.udf.array), ported: ArraySort.arraySortDefault /
arraySortWithDirection (nullsLast(naturalOrder()) or nullsLast(reverseOrder()); an unknown or null
direction gives null)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.errors import EvaluationError
from ksqlserver.functions import default_registry


def sort(item: T.SqlType, xs: Any, *direction: Any) -> Any:
    types = [T.array(item), *([T.STRING] if direction else [])]
    return default_registry().require("ARRAY_SORT").resolve_call(types).impl(xs, *direction)


def test_should_sort() -> None:
    """shouldSort{Bools,Ints,BigInts,Doubles,Strings,StringsMixedCase,Decimals}."""
    assert sort(T.BOOLEAN, [True, False, False]) == [False, False, True]
    assert sort(T.INTEGER, [1, 3, -2]) == [-2, 1, 3]
    assert sort(T.BIGINT, [1, 3, -2]) == [-2, 1, 3]
    assert sort(T.DOUBLE, [1.1, 3.1, -1.1]) == [-1.1, 1.1, 3.1]
    assert sort(T.STRING, ["foo", "food", "bar"]) == ["bar", "foo", "food"]
    assert sort(T.STRING, ["foo", "Food", "bar", "Bar", "Baz"]) == ["Bar", "Baz", "Food", "bar", "foo"]
    decs = [Decimal("1.2"), Decimal("1.3"), Decimal("-1.2")]
    assert sort(T.decimal(2, 1), decs) == [Decimal("-1.2"), Decimal("1.2"), Decimal("1.3")]


def test_directions() -> None:
    """shouldSortIntsAscending, shouldReturnNullWithBadSortDirection, shouldReturnNullWithNullSortDirection,
    shouldSortIntsDescending."""
    assert sort(T.INTEGER, [1, 3, -2], "ascEnDing") == [-2, 1, 3]
    assert sort(T.INTEGER, [1, 3, -2], "ASCDESC") is None
    assert sort(T.INTEGER, [1, 3, -2], None) is None
    assert sort(T.INTEGER, [1, 3, -2], "DEsc") == [3, 1, -2]
    assert sort(T.INTEGER, [1, 3, -2], "de\u017fc") == [3, 1, -2]  # String.toUpperCase maps the long s to S
    assert sort(T.INTEGER, [1, 3, -2], " asc") is None
    assert sort(T.INTEGER, [1, 3, -2], "") is None


def test_nulls() -> None:
    """shouldReturnNullForNullInput, shouldReturnNullForListOfNullInput, shouldSortNullsToEnd,
    shouldSortNullsToEndDescending."""
    assert sort(T.STRING, None) is None
    assert sort(T.INTEGER, [None, None, None]) == [None, None, None]
    assert sort(T.STRING, [None, "foo", None, "bar", None]) == ["bar", "foo", None, None, None]
    assert sort(T.STRING, [None, "foo", None, "bar", None], "desc") == ["foo", "bar", None, None, None]


def test_strings_sort_by_utf16_code_unit() -> None:
    """naturalOrder of String: a surrogate pair (D83D DE00) sorts below U+E000-U+FFFF."""
    assert sort(T.STRING, ["\uffff", "\U0001f600", "\ue000", "a"]) == ["a", "\U0001f600", "\ue000", "\uffff"]
    assert sort(T.STRING, ["\U0001f600", "\uffff"], "DESC") == ["\uffff", "\U0001f600"]


def test_through_the_engine(sql: Any) -> None:
    out = sql.select(
        "ARRAY_SORT(ARRAY[1, 3, -2])", "ARRAY_SORT(A, 'desc')", "ARRAY_SORT(A, 'sideways')",
        "ARRAY_SORT(ARRAY[1.2, 1.3, -1.2], 'ASCENDING')", "ARRAY_SORT(ARRAY['\uffff', '\U0001f600'])",
        columns="A ARRAY<STRING>", row={"A": [None, "foo", None, "bar", None]},
    )
    assert out == [
        [-2, 1, 3], ["foo", "bar", None, None, None], None, [Decimal("-1.2"), Decimal("1.2"), Decimal("1.3")],
        ["\U0001f600", "\uffff"],
    ]
    assert sql.types == ["ARRAY<INTEGER>", "ARRAY<STRING>", "ARRAY<STRING>", "ARRAY<DECIMAL(2, 1)>", "ARRAY<STRING>"]


def test_elements_that_are_not_comparable_fail_the_row(sql: Any) -> None:
    """`T extends Comparable` is erased: sorting lists (ArrayList) is the JVM's ClassCastException at the
    first comparison (text checked on a JVM); one element needs no comparison."""
    out = sql.select("ARRAY_SORT(ARRAY[ARRAY[2], ARRAY[1]])", "ARRAY_SORT(ARRAY[ARRAY[2]])", "ARRAY_MAX(ARRAY[ARRAY[2], ARRAY[1]])")
    assert out == [None, [[2]], None]
    cce = (
        "class java.util.ArrayList cannot be cast to class java.lang.Comparable (java.util.ArrayList and "
        "java.lang.Comparable are in module java.base of loader 'bootstrap')"
    )
    assert [m.split("\n")[1] for m in sql.log] == [cce, cce]


def test_struct_elements_name_connects_class_and_loader() -> None:
    """A Struct comes from the application class loader, outside java.base."""
    st = T.struct([("A", T.INTEGER)])
    with pytest.raises(EvaluationError) as err:
        sort(st, [{"A": 2}, {"A": 1}])
    assert str(err.value) == (
        "class org.apache.kafka.connect.data.Struct cannot be cast to class java.lang.Comparable "
        "(org.apache.kafka.connect.data.Struct is in unnamed module of loader 'app'; java.lang.Comparable is in "
        "module java.base of loader 'bootstrap')"
    )
