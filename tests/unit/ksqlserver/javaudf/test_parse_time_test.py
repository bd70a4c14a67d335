"""ksqlDB 0.29 ParseTimeTest (function/udf/datetime): ParseTime.parseTime(String, String): milliseconds of the
day, case-insensitive text, embedded literals, date fields refused, failures wrapped in "Failed to parse time
...", nulls."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.errors import KsqlError

S = T.STRING


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("000105", "HHmmss"),  # shouldConvertStringToDate
        ("12:01:05 aM", "hh:mm:ss a"),  # shouldConvertCaseInsensitiveStringToDate
        ("000105.000Fred", "HHmmss.SSS'Fred'"),  # shouldSupportEmbeddedChars
        ("000105X42", "HHmmss'X42'"),  # shouldBeThreadSafeAndWorkWithManyDifferentFormatters
    ],
)
def test_parses(call: Any, text: str, pattern: str) -> None:
    assert call("PARSE_TIME", [S, S], text, pattern) == 65000


def test_unsupported_fields(call: Any) -> None:  # shouldThrowOnUnsupportedFields
    with pytest.raises(KsqlError) as err:
        call("PARSE_TIME", [S, S], "2020 000105", "yyyy HHmmss")
    assert err.value.message == (
        "Failed to parse time '2020 000105' with formatter 'yyyy HHmmss': Time format contains date field."
    )


@pytest.mark.parametrize(
    ("text", "pattern"), [("000105", "invalid"), ("invalid", "HHmmss"), ("", "HHmmss")]
)  # shouldThrowIfFormatInvalid, shouldThrowIfParseFails, shouldThrowOnEmptyString
def test_failures(call: Any, text: str, pattern: str) -> None:
    with pytest.raises(KsqlError) as err:
        call("PARSE_TIME", [S, S], text, pattern)
    assert f"Failed to parse time '{text}' with formatter '{pattern}'" in err.value.message


def test_nulls(call: Any) -> None:  # shouldHandleNullDate, shouldHandleNullFormat
    assert call("PARSE_TIME", [S, S], None, "HHmmss") is None
    assert call("PARSE_TIME", [S, S], "000105", None) is None


def test_through_the_engine(udf: Any) -> None:
    r = udf.select("PARSE_TIME('12:01:05 aM', 'hh:mm:ss a')", "PARSE_TIME('2020 000105', 'yyyy HHmmss')")
    assert r.values == [65000, None]
    assert r.types == ["TIME"] * 2
    assert r.errors[0].endswith(": Time format contains date field.")


def test_java_order_and_wall_time(call: Any) -> None:
    """ParseTime parses first (a failing text or pattern is reported as such, the pattern's error wrapped by
    Guava's cache), then checks for date fields; LocalTime.from keeps the wall time of a text with a zone
    (values from ksqlDB's ParseTime run once on a JDK)."""
    assert call("PARSE_TIME", [S, S], "10:15 PST", "HH:mm z") == 36900000
    with pytest.raises(KsqlError) as err:
        call("PARSE_TIME", [S, S], "invalid", "yyyy-MM-dd")
    assert err.value.message == (
        "Failed to parse time 'invalid' with formatter 'yyyy-MM-dd': Text 'invalid' could not be parsed at index 0"
    )
    with pytest.raises(KsqlError) as err:
        call("PARSE_TIME", [S, S], "10:15", "invalid")
    assert err.value.message == (
        "Failed to parse time '10:15' with formatter 'invalid': java.lang.IllegalArgumentException: "
        "Unknown pattern letter: i"
    )
