"""Zone text in FORMAT_TIMESTAMP patterns as JDK 17's DateTimeFormatter prints it (en_US, CLDR provider):
DateTimeFormatterBuilder.parsePattern's letter counts for `z` and `v`, ZoneTextPrinterParser.format (a
ZoneOffset prints its id, a region its display name) and CLDRTimeZoneNameProviderImpl's generic fallbacks."""

from __future__ import annotations

import pytest

from ksqlserver.functions.timefmt import PatternError, format_ms

WINTER, SUMMER = 1_700_000_000_000, 1_690_000_000_000  # 2023-11-14, 2023-07-22


@pytest.mark.parametrize(
    ("pattern", "zone", "ms", "text"),
    [
        ("zzzz", "America/Los_Angeles", WINTER, "Pacific Standard Time"),
        ("zzzz", "America/Los_Angeles", SUMMER, "Pacific Daylight Time"),
        ("zzzz", "UTC", WINTER, "Coordinated Universal Time"),
        ("zzzz", "Europe/Berlin", SUMMER, "Central European Summer Time"),
        ("zzz", "America/Los_Angeles", SUMMER, "PDT"),
        ("zzzz", "+05:00", WINTER, "+05:00"),  # a ZoneOffset prints its id
        ("v", "America/Los_Angeles", SUMMER, "PT"),
        ("vvvv", "America/Los_Angeles", SUMMER, "Pacific Time"),
        ("vvvv", "Europe/Berlin", WINTER, "Central European Time"),
        ("vvvv", "Asia/Kolkata", WINTER, "India Standard Time"),  # no daylight saving: the standard name
        ("v", "Europe/Berlin", SUMMER, "CET"),
    ],
)
def test_zone_names(pattern: str, zone: str, ms: int, text: str) -> None:
    assert format_ms(ms, pattern, zone) == text


@pytest.mark.parametrize(
    ("pattern", "message"),
    [("zzzzz", "Too many pattern letters: z"), ("vv", "Wrong number of pattern letters: v"),
     ("vvvvv", "Wrong number of pattern letters: v")],
)
def test_letter_counts(pattern: str, message: str) -> None:
    with pytest.raises(PatternError, match=message):
        format_ms(WINTER, pattern, "UTC")
