"""ksqlDB 0.29's KsqlSerializationClassifierTest (ksqldb-engine, io.confluent.ksql.query): a
KsqlSerializationException (alone or in a StreamsException's chain) for a user topic is a USER error; for
one of ksqlDB's internal topics (`_confluent-ksql-` repartition and changelog topics) it is UNKNOWN."""

from __future__ import annotations

import pytest

from ksqlserver.runtime.query_errors import (
    KSQL_SERIALIZATION_EXCEPTION,
    STREAMS_EXCEPTION,
    UNKNOWN,
    USER,
    Throwable,
    ksql_serialization,
)

USER_TOPIC = "foo.bar"
REPARTITION = "_confluent-ksql-default_query_CTAS_USERS_0-Aggregate-GroupBy-repartition"
CHANGELOG = "_confluent-ksql-default_query_CTAS_USERS_0-Aggregate-Aggregate-Materialize-changelog"
DATA = Throwable("org.apache.kafka.connect.errors.DataException", "Struct schemas do not match.")


def serialization(topic: str, cause: Throwable | None = None) -> Throwable:
    return Throwable(KSQL_SERIALIZATION_EXCEPTION, f"Error serializing message to topic: {topic}", cause, topic=topic)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        pytest.param(
            Throwable(STREAMS_EXCEPTION, "x", serialization(USER_TOPIC, DATA)),
            USER,
            id="shouldClassifyWrappedKsqlSerializationExceptionWithUserTopicAsUserError",
        ),
        pytest.param(
            Throwable(STREAMS_EXCEPTION, "x", serialization(REPARTITION, DATA)),
            UNKNOWN,
            id="shouldClassifyWrappedKsqlSerializationExceptionWithRepartitionTopicAsUnknownError",
        ),
        pytest.param(
            Throwable(STREAMS_EXCEPTION, "x", serialization(CHANGELOG, DATA)),
            UNKNOWN,
            id="shouldClassifyWrappedKsqlSerializationExceptionWithChangelogTopicAsUnknownError",
        ),
        pytest.param(serialization(USER_TOPIC), USER, id="shouldClassifyKsqlSerializationExceptionWithUserTopicAsUserError"),
        pytest.param(
            serialization(REPARTITION), UNKNOWN, id="shouldClassifyKsqlSerializationExceptionWithRepartitionTopicAsUnknownError"
        ),
        pytest.param(
            Throwable(STREAMS_EXCEPTION, "x", Throwable("org.apache.kafka.connect.errors.DataException", "Something went wrong")),
            UNKNOWN,
            id="shouldClassifyNonKsqlSerializationExceptionAsUnknownError",
        ),
    ],
)
def test_classify(error: Throwable, expected: str) -> None:
    assert ksql_serialization("")(error) == expected
