"""ksqlDB 0.29's RegexClassifierTest (ksqldb-engine, io.confluent.ksql.query): RegexClassifier.fromConfig.

`<TYPE> <REGEX>` classifies a failure whose class name or message (its own or a cause's) the regex matches
whole; a config without both parts classifies nothing. A user configures it as a
`ksql.error.classifier.regex.<name>` property and sees the type in the query's `queryErrors` (the last test
here)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ksqlserver.runtime.query_errors import UNKNOWN, USER, Throwable, regex

if TYPE_CHECKING:
    from conftest import LogEngine

NPE = Throwable("java.lang.NullPointerException")


def test_should_classify_with_regex() -> None:
    """shouldClassifyWithRegex."""
    assert regex("USER .*foo.*", "id")(Throwable("java.lang.Throwable", "foo")) == USER


def test_should_classify_npe_if_configured() -> None:
    """shouldClassifyNPEIfConfigured: the class name is matched (an NPE has no message)."""
    assert regex("USER .*NullPointerException", "id")(NPE) == USER


def test_should_classify_npe_as_unknown() -> None:
    """shouldClassifyNPEAsUnknwon."""
    assert regex("USER .*foo.*", "id")(NPE) == UNKNOWN


def test_should_classify_with_regex_in_cause() -> None:
    """shouldClassifyWithRegexInCause."""
    error = Throwable("java.lang.Throwable", "bar", Throwable("java.lang.Throwable", "foo"))
    assert regex("USER .*foo.*", "id")(error) == USER


def test_should_classify_as_unknown_if_bad_regex() -> None:
    """shouldClassifyAsUnknownIfBadRegex: "USER" alone is ignored."""
    assert regex("USER", "id")(Throwable("java.lang.Throwable", "foo")) == UNKNOWN


def test_should_classify_as_unknown() -> None:
    """shouldClassifyAsUnknown: neither the error nor its cause matches."""
    error = Throwable("java.lang.Throwable", "bar", Throwable("java.lang.Throwable", "baz"))
    assert regex("USER .*foo.*", "id")(error) == UNKNOWN


def test_the_type_is_case_insensitive_and_matches_whole() -> None:
    """fromConfig upper-cases the type (Type.valueOf(split[0].toUpperCase())); Matcher.matches needs the
    whole text to match."""
    assert regex("system .*foo", "id")(Throwable("java.lang.Throwable", "a foo")) == "SYSTEM"
    assert regex("USER foo", "id")(Throwable("java.lang.Throwable", "a foo")) == UNKNOWN


def test_a_configured_regex_classifies_a_failed_query(make_log: Callable[..., LogEngine]) -> None:
    """QueryBuilder.getConfiguredQueryErrorClassifier: every `ksql.error.classifier.regex.*` value is a
    RegexClassifier chained after the built-in ones; a timestamp that cannot be parsed (with
    ksql.timestamp.throw.on.invalid) fails with a DateTimeParseException, which none of those knows."""
    le = make_log({"ksql.error.classifier.regex.parse": "USER .*DateTimeParseException.*"})
    le.sql(
        "CREATE STREAM SRC (K STRING KEY, TS STRING) WITH (KAFKA_TOPIC='src', PARTITIONS=1, FORMAT='JSON', "
        "TIMESTAMP='TS', TIMESTAMP_FORMAT='yyyy-MM-dd');"
    )
    le.sql("CREATE STREAM OUT AS SELECT * FROM SRC;", {"ksql.timestamp.throw.on.invalid": "true"})
    le.produce("src", b'"b"', {"TS": "not a date"})
    [error] = le.described(le.query_ids()[0])["queryErrors"]
    assert error["type"] == USER
