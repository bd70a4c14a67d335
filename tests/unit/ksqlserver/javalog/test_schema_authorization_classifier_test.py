"""ksqlDB 0.29's SchemaAuthorizationClassifierTest (ksqldb-engine, io.confluent.ksql.query): a Schema
Registry RestClientException with HTTP status 401 or 403 (SchemaRegistryUtil.isAuthErrorCode) is a USER
error."""

from __future__ import annotations

import pytest

from ksqlserver.errors import SchemaRegistryError
from ksqlserver.runtime.query_errors import UNKNOWN, USER, Throwable, schema_authorization, throwable_of


@pytest.mark.parametrize(
    ("status", "code", "expected"),
    [
        pytest.param(403, 40301, USER, id="shouldClassifySRAuthorizationErrorCodeAsUserError"),
        pytest.param(401, 403101, USER, id="shouldClassifySRAuthenticationErrorCodeAsUserError"),
        pytest.param(404, 40401, UNKNOWN, id="shouldClassifyNoAuthErrorSubjectAsUnknownErrorCode"),
    ],
)
def test_classify(status: int, code: int, expected: str) -> None:
    assert schema_authorization("")(throwable_of(SchemaRegistryError("foo", status, code))) == expected


def test_should_classify_other_exception_as_unknown_exception() -> None:
    """shouldClassifyOtherExceptionAsUnknownException."""
    assert schema_authorization("")(Throwable("java.lang.Exception", "foo")) == UNKNOWN
