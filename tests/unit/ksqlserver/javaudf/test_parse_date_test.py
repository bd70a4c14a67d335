"""ksqlDB 0.29 ParseDateTest (function/udf/datetime): ParseDate.parseDate(String, String) with a cached
commons-lang3 FastDateFormat in GMT (functions/fastdate.py): year-month and year-only patterns, case-insensitive text, embedded
literals, time fields refused, parse and pattern failures wrapped in "Failed to parse date ...", nulls."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.errors import KsqlError

S = T.STRING
DEC_1_2021 = 1638316800000 // 86_400_000


@pytest.mark.parametrize(
    ("text", "pattern", "days"),
    [
        ("2021-12-01", "yyyy-MM-dd", DEC_1_2021),  # shouldConvertStringToDate
        ("2021-12", "yyyy-MM", DEC_1_2021),  # shouldConvertYearMonthToDate
        ("2022", "yyyy", 1640995200000 // 86_400_000),  # shouldConvertYearToDate
        ("01-dec-2021", "dd-MMM-yyyy", DEC_1_2021),  # shouldConvertCaseInsensitiveStringToDate
        ("2021-12-01Fred", "yyyy-MM-dd'Fred'", DEC_1_2021),  # shouldSupportEmbeddedChars
        ("2021-12-01X42", "yyyy-MM-dd'X42'", DEC_1_2021),  # shouldBeThreadSafeAndWorkWithManyDifferentFormatters
    ],
)
def test_parses(call: Any, text: str, pattern: str, days: int) -> None:
    assert call("PARSE_DATE", [S, S], text, pattern) == days


def test_unsupported_fields(call: Any) -> None:  # shouldThrowOnUnsupportedFields
    with pytest.raises(KsqlError) as err:
        call("PARSE_DATE", [S, S], "2021-12-01 05:40:34", "yyyy-MM-dd HH:mm:ss")
    assert err.value.message == (
        "Failed to parse date '2021-12-01 05:40:34' with formatter 'yyyy-MM-dd HH:mm:ss': "
        "Date format contains time field."
    )


@pytest.mark.parametrize(
    ("text", "pattern"),
    [("2021-12-01", "invalid"), ("invalid", "yyyy-MM-dd"), ("", "yyyy-MM-dd")],
)  # shouldThrowIfFormatInvalid, shouldThrowIfParseFails, shouldThrowOnEmptyString
def test_failures(call: Any, text: str, pattern: str) -> None:
    with pytest.raises(KsqlError) as err:
        call("PARSE_DATE", [S, S], text, pattern)
    assert f"Failed to parse date '{text}' with formatter '{pattern}'" in err.value.message


def test_nulls(call: Any) -> None:  # shouldHandleNullDate, shouldHandleNullDateFormat
    assert call("PARSE_DATE", [S, S], None, "dd-MMM-yyyy") is None
    assert call("PARSE_DATE", [S, S], "2021-12-01", None) is None


def test_through_the_engine(udf: Any) -> None:
    r = udf.select("PARSE_DATE('01-dec-2021', 'dd-MMM-yyyy')", "PARSE_DATE('2021-12-01 05:40:34', 'yyyy-MM-dd HH:mm:ss')",
                   "PARSE_DATE(CAST(NULL AS STRING), 'yyyy')")
    assert r.values == [DEC_1_2021, None, None]
    assert r.types == ["DATE"] * 3
    assert r.errors[0].endswith(": Date format contains time field.")
