"""ksqlDB 0.29 ArrayConcatTest (io.confluent.ksql.function.udf.array), ported: ArrayConcat.concat."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.functions import default_registry

AS = [T.array(T.STRING), T.array(T.STRING)]


def call(*args: Any) -> Any:
    return default_registry().require("ARRAY_CONCAT").resolve_call(AS).impl(*args)


def test_should_concat_arrays_of_like_type() -> None:
    assert call(["foo", " ", "bar"], ["baz"]) == ["foo", " ", "bar", "baz"]


def test_should_return_duplicate_values() -> None:
    assert call(["foo", "foo", "bar"], ["baz", "foo"]) == ["foo", "foo", "bar", "baz", "foo"]


def test_should_concat_arrays_containing_nulls() -> None:
    assert call([None, "bar"], ["foo"]) == [None, "bar", "foo"]
    assert call([None, "foo", "bar"], ["foo", None]) == [None, "foo", "bar", "foo", None]
    assert call([None, None], [None, None, None]) == [None] * 5


def test_null_inputs() -> None:
    """shouldReturnNonNullForNullRightInput, shouldReturnNullForNullLeftInput, shouldReturnNullForAllNullInputs."""
    assert call(["foo"], None) == ["foo"]
    assert call(None, ["foo"]) == ["foo"]
    assert call(None, None) is None


def test_through_the_engine(sql: Any) -> None:
    cols = "A ARRAY<STRING>, B ARRAY<BIGINT>"
    out = sql.select(
        "ARRAY_CONCAT(ARRAY['foo', ' ', 'bar'], ARRAY['baz'])", "ARRAY_CONCAT(A, ARRAY['x'])",
        "ARRAY_CONCAT(B, B)", "ARRAY_CONCAT(B, ARRAY[CAST(2 AS BIGINT)])",
        columns=cols, row={"A": None, "B": None},
    )
    assert out == [["foo", " ", "bar", "baz"], ["x"], None, [2]]
    assert sql.types == ["ARRAY<STRING>", "ARRAY<STRING>", "ARRAY<BIGINT>", "ARRAY<BIGINT>"]
