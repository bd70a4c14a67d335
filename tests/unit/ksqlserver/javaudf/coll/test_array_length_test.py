"""ksqlDB 0.29 ArrayLengthTest (io.confluent.ksql.function.udf.array), ported: ArrayLength.calcArrayLength."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.functions import default_registry


def call(xs: Any) -> Any:
    return default_registry().require("ARRAY_LENGTH").resolve_call([T.array(T.STRING)]).impl(xs)


def test_should_return_null_for_null_array() -> None:
    assert call(None) is None


def test_should_return_array_size() -> None:
    assert call([]) == 0
    assert call([1]) == 1
    assert call(["one", "two"]) == 2


def test_through_the_engine(sql: Any) -> None:
    out = sql.select("ARRAY_LENGTH(ARRAY['one', 'two'])", "ARRAY_LENGTH(A)", "ARRAY_LENGTH(ARRAY[CAST(NULL AS INT)])",
                     columns="A ARRAY<INT>", row={"A": None})
    assert out == [2, None, 1]
    assert sql.types == ["INTEGER"] * 3
