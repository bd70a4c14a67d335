"""ksqlDB 0.29's WindowTypeTest (ksqldb-common, io.confluent.ksql.model): WindowType.of, which reads the
WINDOW_TYPE property of CREATE over a windowed topic (any case; DESCRIBE shows the window type). The
property's validator (CreateSourceProperties' ConfigDef, ValidString of the enum's names) refuses an unknown
value before WindowType.of sees it, with ConfigDef's wording."""

from __future__ import annotations

from typing import Any

import pytest


def _window_type(t: Any, value: str) -> str:
    t.create("K STRING KEY, V INT", name="W", WINDOW_TYPE=value, **({"WINDOW_SIZE": "1 SECOND"} if value.upper() != "SESSION" else {}))
    [entity] = t.run("DESCRIBE W;")
    kind: str = entity["sourceDescription"]["windowType"]
    return kind


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("SESSION", "SESSION"),  # shouldParseSession
        ("HOPPING", "HOPPING"),  # shouldParseHopping
        ("TUMBLING", "TUMBLING"),  # shouldParseTumbling
        ("SeSsIoN", "SESSION"),  # shouldParseAnyCase
    ],
)
def test_parse(t: Any, value: str, expected: str) -> None:
    """WindowTypeTest.shouldParseSession / Hopping / Tumbling / AnyCase."""
    assert _window_type(t, value) == expected


def test_include_original_text_and_valid_values_in_exception_message(t: Any) -> None:
    """WindowTypeTest.shouldIncludeOriginalTextInExceptionMessage / shouldIncludeValidValuesInExceptionMessage:
    the value and the valid ones, SESSION, HOPPING, TUMBLING, are named."""
    t.topic("w")
    msg = t.error("CREATE STREAM W (K STRING KEY, V INT) WITH (KAFKA_TOPIC='w', VALUE_FORMAT='JSON', WINDOW_TYPE='something');")
    assert msg == (
        "Failed to prepare statement: Invalid value something for property WINDOW_TYPE: "
        "String must be one of: SESSION, HOPPING, TUMBLING, null"
    )


def test_untrimmed_value_is_refused(t: Any) -> None:
    """ValidCaseInsensitiveString compares the upper-cased value as it is: ' SESSION' is no window type."""
    t.topic("w")
    msg = t.error("CREATE STREAM W (K STRING KEY, V INT) WITH (KAFKA_TOPIC='w', VALUE_FORMAT='JSON', WINDOW_TYPE=' SESSION');")
    assert msg.startswith("Failed to prepare statement: Invalid value  SESSION for property WINDOW_TYPE")
