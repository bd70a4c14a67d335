"""ksqlDB 0.29 StringToDateTest (function/udf/datetime): StringToDate.stringToDate(String, String) -> int days;
unlike PARSE_DATE a null argument is a parse failure ("Failed to parse date 'null' with formatter ...")."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.errors import KsqlError

S = T.STRING


@pytest.mark.parametrize(
    ("text", "pattern"),
    [("2021-12-01", "yyyy-MM-dd"), ("01-dec-2021", "dd-MMM-yyyy"), ("2021-12-01Fred", "yyyy-MM-dd'Fred'"),
     ("2021-12-01X42", "yyyy-MM-dd'X42'")],
)  # shouldConvertStringToDate, shouldConvertCaseInsensitiveStringToDate, shouldSupportEmbeddedChars, ...Formatters
def test_parses(call: Any, text: str, pattern: str) -> None:
    assert call("STRINGTODATE", [S, S], text, pattern) == 18962


@pytest.mark.parametrize(
    ("text", "pattern", "message"),
    [
        ("2021-12-01", "invalid", "Failed to parse date '2021-12-01' with formatter 'invalid'"),
        ("invalid", "yyyy-MM-dd", "Failed to parse date 'invalid' with formatter 'yyyy-MM-dd'"),
        ("", "yyyy-MM-dd", "Failed to parse date '' with formatter 'yyyy-MM-dd'"),
        (None, "yyyy-MM-dd", "Failed to parse date 'null' with formatter"),  # shouldThrowOnNullDate
        ("2021-12-01", None, "Failed to parse date '2021-12-01' with formatter 'null'"),  # shouldThrowOnNullDateFormat
    ],
)
def test_failures(call: Any, text: str | None, pattern: str | None, message: str) -> None:
    with pytest.raises(KsqlError) as err:
        call("STRINGTODATE", [S, S], text, pattern)
    assert message in err.value.message


def test_through_the_engine(udf: Any) -> None:
    r = udf.select("STRINGTODATE('01-dec-2021', 'dd-MMM-yyyy')", "STRINGTODATE(CAST(NULL AS STRING), 'yyyy-MM-dd')")
    assert r.values == [18962, None]
    assert r.types == ["INTEGER"] * 2
    assert "Failed to parse date 'null' with formatter 'yyyy-MM-dd'" in r.errors[0]


def test_null_arguments_fail_as_java_npes(call: Any) -> None:
    """StringToDate.stringToDate: the formatter cache refuses a null pattern (no message), LocalDate.parse a
    null text ("text")."""
    with pytest.raises(KsqlError) as err:
        call("STRINGTODATE", [S, S], None, "yyyy-MM-dd")
    assert err.value.message == "Failed to parse date 'null' with formatter 'yyyy-MM-dd': text"
    with pytest.raises(KsqlError) as err:
        call("STRINGTODATE", [S, S], "2021-12-01", None)
    assert err.value.message == "Failed to parse date '2021-12-01' with formatter 'null': null"


@pytest.mark.parametrize(
    ("text", "pattern", "fields"),
    [("2021", "yyyy", "{Year=2021}"), ("2021-12", "yyyy-MM", "{MonthOfYear=12, Year=2021}"), ("12", "dd", "{DayOfMonth=12}")],
)
def test_a_partial_date_is_refused(call: Any, text: str, pattern: str, fields: str) -> None:
    """StringToDate is LocalDate.parse: without a whole date LocalDate.from fails (texts from the Java class run
    once on a JDK); PARSE_DATE, on java.text's lenient parser, defaults the missing fields instead."""
    with pytest.raises(KsqlError) as err:
        call("STRINGTODATE", [S, S], text, pattern)
    assert err.value.message == (
        f"Failed to parse date '{text}' with formatter '{pattern}': Text '{text}' could not be parsed: "
        f"Unable to obtain LocalDate from TemporalAccessor: {fields},ISO of type java.time.format.Parsed"
    )
    assert call("STRINGTODATE", [S, S], "2020-060", "yyyy-DDD") == 18321
