"""ksqlDB 0.29 FormatTimeTest (function/udf/datetime): FormatTime.formatTime(Time, String): date fields refused
("Unsupported field: YearOfEra"), embedded literals, nulls, invalid patterns."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.errors import KsqlError

TM, S = T.TIME, T.STRING


def test_converts(call: Any) -> None:  # shouldConvertTimeToString, shouldSupportEmbeddedChars, ...Formatters
    assert call("FORMAT_TIME", [TM, S], 65000, "HHmmss") == "000105"
    assert call("FORMAT_TIME", [TM, S], 65000, "HH:mm:ss.SSS'Fred'") == "00:01:05.000Fred"
    assert call("FORMAT_TIME", [TM, S], 65000, "HH:mm:ss'X42'") == "00:01:05X42"


def test_nulls(call: Any) -> None:  # shouldReturnNullOnNullTime, shouldReturnNullOnNullFormat, shoudlReturnNull
    assert call("FORMAT_TIME", [TM, S], None, "HHmmss") is None
    assert call("FORMAT_TIME", [TM, S], 65000, None) is None
    assert call("FORMAT_TIME", [TM, S], None, "HH:mm:ss.SSS") is None


def test_unsupported_fields(call: Any) -> None:  # shouldRejectUnsupportedFields
    with pytest.raises(KsqlError) as err:
        call("FORMAT_TIME", [TM, S], 65000, "yyyy HHmmss")
    assert err.value.message == (
        "Failed to format time 00:01:05 with formatter 'yyyy HHmmss': Unsupported field: YearOfEra"
    )


def test_invalid_format(call: Any) -> None:  # shouldThrowIfFormatInvalid
    with pytest.raises(KsqlError, match="Failed to format time 00:01:05 with formatter 'invalid'"):
        call("FORMAT_TIME", [TM, S], 65000, "invalid")


def test_through_the_engine(udf: Any) -> None:
    r = udf.select("FORMAT_TIME(PARSE_TIME('000105', 'HHmmss'), 'HH:mm:ss.SSS''Fred''')",
                   "FORMAT_TIME(PARSE_TIME('000105', 'HHmmss'), 'yyyy HHmmss')")
    assert r.values == ["00:01:05.000Fred", None]
    assert r.types == ["STRING"] * 2
    assert r.errors[0].endswith("Unsupported field: YearOfEra")


def test_local_time_rules(call: Any) -> None:
    """FormatTime formats a LocalTime, which prints as LocalTime.toString ("00:00", seconds only when set);
    week fields read DayOfWeek first, offsets are OffsetSeconds; '' inside quotes is a quote; a bad pattern
    comes wrapped by Guava's cache (texts from ksqlDB's FormatTime run once on a JDK)."""
    with pytest.raises(KsqlError) as err:
        call("FORMAT_TIME", [TM, S], 0, "HH:mm w")
    assert err.value.message == "Failed to format time 00:00 with formatter 'HH:mm w': Unsupported field: DayOfWeek"
    with pytest.raises(KsqlError) as err:
        call("FORMAT_TIME", [TM, S], 0, "HH:mm x")
    assert err.value.message == "Failed to format time 00:00 with formatter 'HH:mm x': Unsupported field: OffsetSeconds"
    assert call("FORMAT_TIME", [TM, S], 45296789, "hh 'o''clock' a") == "12 o'clock PM"
    with pytest.raises(KsqlError) as err:
        call("FORMAT_TIME", [TM, S], 60000, "invalid")
    assert err.value.message == (
        "Failed to format time 00:01 with formatter 'invalid': java.lang.IllegalArgumentException: "
        "Unknown pattern letter: i"
    )
