"""ksqlDB 0.29's AuthorizationClassifierTest (ksqldb-engine, io.confluent.ksql.query): Kafka's
AuthorizationException, its subclasses, and a StreamsException caused by one are USER errors."""

from __future__ import annotations

import pytest

from ksqlserver.runtime.query_errors import (
    AUTHORIZATION_EXCEPTION,
    STREAMS_EXCEPTION,
    UNKNOWN,
    USER,
    Throwable,
    authorization,
)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        pytest.param(
            Throwable(STREAMS_EXCEPTION, "x", Throwable(AUTHORIZATION_EXCEPTION, "foo")),
            USER,
            id="shouldClassifyWrappedAuthorizationExceptionAsUserError",
        ),
        pytest.param(Throwable(AUTHORIZATION_EXCEPTION, "foo"), USER, id="shouldClassifyAuthorizationExceptionAsUserError"),
        pytest.param(
            Throwable("org.apache.kafka.common.errors.TopicAuthorizationException", "foo"),
            USER,
            id="shouldClassifySubTypeOfAuthorizationExceptionAsUserError",
        ),
        pytest.param(
            Throwable("java.lang.Exception", "foo"), UNKNOWN, id="shouldClassifyNoTransactionalIdAuthorizationExceptionAsUnknownError"
        ),
    ],
)
def test_classify(error: Throwable, expected: str) -> None:
    assert authorization("")(error) == expected
