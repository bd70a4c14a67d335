"""ksqlDB 0.29 DurationParserTest (ksqldb-common, parser): DurationParser.parse as the WITH clause's
WINDOW_SIZE reads it (CreateConfigs validates it with ConfigValidators.parses(DurationParser::parse);
CreateSourceProperties builds the window size with it). The parsed size shows as WINDOWEND - WINDOWSTART of
a hopping/tumbling source's rows, a bad one as the statement's error."""

from __future__ import annotations

import struct

import pytest

from .conftest import Exec


def _create(ex: Exec, size: str, window: str = "TUMBLING") -> str:
    ex.topic("w")
    return (
        "CREATE STREAM W (K STRING KEY, V INT) WITH (KAFKA_TOPIC='w', VALUE_FORMAT='JSON', "
        f"WINDOW_TYPE='{window}', WINDOW_SIZE='{size}');"
    )


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("shouldThrowOnTooFewTokens", "10", "Expected 2 tokens, got: 1"),
        ("shouldThrowOnTooManyTokens", "10 Seconds Long", "Expected 2 tokens, got: 3"),
        ("shouldThrowOnNonNumericDuration", "10s Seconds", "Not numeric: '10s'"),
        ("shouldThrowOnUnknownTimeUnit", "10 Green_Bottles", "Unknown time unit: 'GREEN_BOTTLES'"),
        (
            "shouldIncludeOriginalInExceptionMessage",
            "10 Green_Bottles",
            "Invalid duration: '10 Green_Bottles'. ",
        ),
        (
            "shouldIncludeValidTimeUnitsInExceptionMessage",
            "10 Bananas",
            "Supported time units are: NANOSECONDS, MICROSECONDS, MILLISECONDS, SECONDS, MINUTES, HOURS, DAYS",
        ),
    ],
)
def test_invalid(ex: Exec, name: str, text: str, message: str) -> None:
    """The IllegalArgumentException's message inside ConfigValidators.parses' "Configuration WINDOW_SIZE is
    invalid: ..."."""
    error = ex.error(_create(ex, text))
    assert f"Configuration WINDOW_SIZE is invalid: Invalid duration: '{text}'. " in error
    assert message in error


def test_full_message(ex: Exec) -> None:
    """The whole message of an unknown unit: DurationParser.parseTimeUnit's line separator, then the units."""
    assert ex.error(_create(ex, "10 Bananas")).endswith(
        "Configuration WINDOW_SIZE is invalid: Invalid duration: '10 Bananas'. Unknown time unit: 'BANANAS'\n"
        "Supported time units are: NANOSECONDS, MICROSECONDS, MILLISECONDS, SECONDS, MINUTES, HOURS, DAYS"
    )


@pytest.mark.parametrize(
    ("name", "text", "window", "millis"),
    [
        ("shouldSupportNanos", "27 NANOSECONDS", "TUMBLING", 0),
        ("shouldSupportMillis", "756 MILLISECONDS", "TUMBLING", 756),
        ("shouldParseSingular", "1 Second", "TUMBLING", 1_000),
        ("shouldParseMultiple", "10 minutes", "HOPPING", 600_000),
        ("shouldSupportHours", "12 HOURs", "HOPPING", 43_200_000),
        ("shouldSupportDays / shouldBuildDuration", "98 Day", "TUMBLING", 98 * 86_400_000),
    ],
)
def test_size(ex: Exec, name: str, text: str, window: str, millis: int) -> None:
    """The Duration parsed, as the window end of a record (Duration.toMillis: 27ns is 0ms)."""
    ex.run(_create(ex, text, window))
    ex.produce("w", [(b"a" + struct.pack(">q", 1000), {"V": 1}, 5000)])
    assert ex.push("SELECT K, WINDOWSTART, WINDOWEND FROM W EMIT CHANGES;") == [["a", 1000, 1000 + millis]]
