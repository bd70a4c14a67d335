"""PARSE_DATE as ksqlDB 0.29's ParseDate parses: commons-lang3 3.5 FastDateFormat.getInstance(pattern,
TimeZone.getTimeZone("GMT")) (SimpleDateFormat letters; FastDatePrinter refuses unknown ones first), its
FastDateParser (exact literals, digits up to the pattern width only before another number field, leading
whitespace skipped otherwise, case-insensitive names, trailing text ignored, two-digit years in the window
80 years back) over a lenient GregorianCalendar (out-of-range values roll over; Julian before 1582-10-15);
a result that is not midnight GMT is "Date format contains time field."."""

from __future__ import annotations

import datetime as dt

import pytest

from ksqlserver.errors import EvaluationError
from ksqlserver.functions.timefuncs import parse_date


def _day(y: int, m: int, d: int) -> int:
    return (dt.date(y, m, d) - dt.date(1970, 1, 1)).days


@pytest.mark.parametrize(
    ("text", "pattern", "expected"),
    [
        ("2021-02-30", "yyyy-MM-dd", _day(2021, 3, 2)),  # lenient Calendar: rolled over
        ("2021-13-01", "yyyy-MM-dd", _day(2022, 1, 1)),
        ("20210105", "yyyyMMdd", _day(2021, 1, 5)),  # adjacent numbers: each read up to its width
        ("2021-1-5", "yyyy-MM-dd", _day(2021, 1, 5)),  # not adjacent: any number of digits
        ("2021-01-05 trailing", "yyyy-MM-dd", _day(2021, 1, 5)),  # FastDateParser stops after the last field
        ("JAN 5, 2021", "MMM d, yyyy", _day(2021, 1, 5)),
        ("5 September 2021", "d MMMM yyyy", _day(2021, 9, 5)),
        ("05/01/21", "dd/MM/yy", _day(2021, 1, 5)),  # two-digit year: the 80-years-back window
        ("2021-001", "yyyy-DDD", _day(2021, 1, 1)),
        ("2021-01-05T00:00", "yyyy-MM-dd'T'HH:mm", _day(2021, 1, 5)),
        ("2021-01-05 12 AM", "yyyy-MM-dd hh a", _day(2021, 1, 5)),
        ("1500-03-01", "yyyy-MM-dd", _day(1500, 3, 11)),  # Julian before the cut-over
    ],
)
def test_fast_date_format_parse(text: str, pattern: str, expected: int) -> None:
    assert parse_date(text, pattern) == expected


@pytest.mark.parametrize(
    ("text", "pattern", "detail"),
    [
        ("2021-12-01", "invalid", "java.lang.IllegalArgumentException: Illegal pattern component: i"),
        ("2021-12-01", "yyyy-MM-dd qq", "java.lang.IllegalArgumentException: Illegal pattern component: qq"),
        ("invalid", "yyyy-MM-dd", "Unparseable date: invalid"),
        ("2021-01-05", "yyyy-MM-dd HH", "Unparseable date: 2021-01-05"),
        ("2021-01-05 01", "yyyy-MM-dd HH", "Date format contains time field."),
        ("2021-01-05+0100", "yyyy-MM-ddZ", "Date format contains time field."),  # midnight at +01:00
    ],
)
def test_fast_date_format_failures(text: str, pattern: str, detail: str) -> None:
    """FastDatePrinter's IllegalArgumentException (through ParseDate's Guava cache), FastDateParser's
    ParseException, ParseDate's own check."""
    with pytest.raises(EvaluationError) as info:
        parse_date(text, pattern)
    assert info.value.message == f"Failed to parse date '{text}' with formatter '{pattern}': {detail}"
