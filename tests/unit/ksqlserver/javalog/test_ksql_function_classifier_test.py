"""ksqlDB 0.29's KsqlFunctionClassifierTest (ksqldb-engine, io.confluent.ksql.query): a
KsqlFunctionException, or a StreamsException whose root cause is one, is a USER error."""

from __future__ import annotations

import pytest

from ksqlserver.errors import KsqlFunctionError
from ksqlserver.runtime.query_errors import (
    KSQL_FUNCTION_EXCEPTION,
    STREAMS_EXCEPTION,
    UNKNOWN,
    USER,
    Throwable,
    ksql_function,
    throwable_of,
)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        pytest.param(
            Throwable(STREAMS_EXCEPTION, "x", Throwable(KSQL_FUNCTION_EXCEPTION, "foo")),
            USER,
            id="shouldClassifyWrappedKsqlFunctionExceptionAsUserError",
        ),
        pytest.param(Throwable(KSQL_FUNCTION_EXCEPTION, "foo"), USER, id="shouldClassifyKsqlFunctionExceptionAsUserError"),
        pytest.param(
            Throwable(STREAMS_EXCEPTION, "x", Throwable("java.lang.ArithmeticException")),
            UNKNOWN,
            id="shouldClassifyWrappedStreamsExceptionWithoutKsqlFunctionExceptionAsUnknownError",
        ),
        pytest.param(Throwable(STREAMS_EXCEPTION, "foo"), UNKNOWN, id="shouldClassifyStreamsExceptionAsUnknownError"),
        pytest.param(Throwable("java.lang.Exception", "foo"), UNKNOWN, id="shouldClassifyGenericExceptionAsUnknownError"),
    ],
)
def test_classify(error: Throwable, expected: str) -> None:
    assert ksql_function("")(error) == expected


def test_a_function_error_of_ours_is_a_ksql_function_exception() -> None:
    """Our function failures carry KsqlFunctionException's class, so a query dying of one is a USER error."""
    assert ksql_function("")(throwable_of(KsqlFunctionError("boom", "F"))) == USER
