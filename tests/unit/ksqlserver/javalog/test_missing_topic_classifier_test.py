"""ksqlDB 0.29's MissingTopicClassifierTest (ksqldb-engine, io.confluent.ksql.query): a
MissingSourceTopicException is a USER error, anything else UNKNOWN."""

from __future__ import annotations

from ksqlserver.runtime.query_errors import MISSING_SOURCE_TOPIC, UNKNOWN, USER, Throwable, missing_topic


def test_should_classify_missing_topic_as_user_error() -> None:
    """shouldClassifyMissingTopicAsUserError."""
    assert missing_topic("")(Throwable(MISSING_SOURCE_TOPIC, "foo")) == USER


def test_should_classify_no_missing_topic_as_unknown_error() -> None:
    """shouldClassifyNoMissingTopicAsUnknownError."""
    assert missing_topic("")(Throwable("java.lang.Exception", "foo")) == UNKNOWN
