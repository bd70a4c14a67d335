"""ksqlDB 0.29's MissingSubjectClassifierTest (ksqldb-engine, io.confluent.ksql.query): a Schema Registry
RestClientException with error code 40401 (SchemaRegistryUtil.isSubjectNotFoundErrorCode) is a USER error.
Our registry failures (errors.SchemaRegistryError) are RestClientExceptions with their status and code."""

from __future__ import annotations

from ksqlserver.errors import SchemaRegistryError
from ksqlserver.runtime.query_errors import UNKNOWN, USER, Throwable, missing_subject, throwable_of


def test_should_classify_missing_subject_as_user_error() -> None:
    """shouldClassifyMissingSubjectAsUserError."""
    assert missing_subject("")(throwable_of(SchemaRegistryError("foo", 404, 40401))) == USER


def test_should_classify_no_missing_subject_as_unknown_error_code() -> None:
    """shouldClassifyNoMissingSubjectAsUnknownErrorCode."""
    assert missing_subject("")(throwable_of(SchemaRegistryError("foo", 401, 40101))) == UNKNOWN


def test_should_classify_other_exception_as_unknown_exception() -> None:
    """shouldClassifyOtherExceptionAsUnknownException."""
    assert missing_subject("")(Throwable("java.lang.Exception", "foo")) == UNKNOWN
