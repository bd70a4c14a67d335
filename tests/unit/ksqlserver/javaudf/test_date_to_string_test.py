"""ksqlDB 0.29 DateToStringTest (function/udf/datetime): DateToString.dateToString(int epochDays, String):
shouldConvertDateToString, shouldRoundTripWithStringToDate, shouldSupportEmbeddedChars,
shouldReturnNullOnNullFormat, shouldThrowIfFormatInvalid, shouldByThreadSafeAndWorkWithManyDifferentFormatters."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.errors import KsqlError

INT, S = T.INTEGER, T.STRING


def test_converts(call: Any) -> None:
    assert call("DATETOSTRING", [INT, S], 16383, "yyyy-MM-dd") == "2014-11-09"
    assert call("DATETOSTRING", [INT, S], 12345, "yyyy-dd-MM'Fred'") == "2003-20-10Fred"
    assert call("DATETOSTRING", [INT, S], 18765, "yyyy-MM-dd'X42'") == "2021-05-18X42"
    assert call("DATETOSTRING", [INT, S], 16383, None) is None


def test_round_trips_with_string_to_date(call: Any) -> None:
    fmt = "dd/MM/yyyy'Freya'"
    for idx in range(-10_000, 20_000, 7):
        assert call("STRINGTODATE", [S, S], call("DATETOSTRING", [INT, S], idx, fmt), fmt) == idx


def test_invalid_format(call: Any) -> None:
    with pytest.raises(KsqlError, match="Failed to format date 44444 with formatter 'invalid'"):
        call("DATETOSTRING", [INT, S], 44444, "invalid")


def test_through_the_engine(udf: Any) -> None:
    r = udf.select("DATETOSTRING(16383, 'yyyy-MM-dd')", "DATETOSTRING(X, 'invalid')", row={"X": 44444})
    assert r.values == ["2014-11-09", None]
    assert r.types == ["STRING"] * 2
    assert "Failed to format date 44444 with formatter 'invalid'" in r.errors[0]


def test_local_date_rules(call: Any) -> None:
    """DateToString formats a LocalDate through a cached DateTimeFormatter (expected texts from the Java class run
    once on a JDK): time fields are unsupported, '' inside quotes is a quote, and a bad pattern's
    IllegalArgumentException comes wrapped by Guava's cache (its message is the cause's toString)."""
    with pytest.raises(KsqlError) as err:
        call("DATETOSTRING", [INT, S], 0, "yyyy-MM-dd HH:mm")
    assert err.value.message == "Failed to format date 0 with formatter 'yyyy-MM-dd HH:mm': Unsupported field: HourOfDay"
    assert call("DATETOSTRING", [INT, S], 18962, "dd MMM yyyy 'o''clock'") == "01 Dec 2021 o'clock"
    with pytest.raises(KsqlError) as err:
        call("DATETOSTRING", [INT, S], 18962, "invalid")
    assert err.value.message == (
        "Failed to format date 18962 with formatter 'invalid': java.lang.IllegalArgumentException: "
        "Unknown pattern letter: i"
    )
