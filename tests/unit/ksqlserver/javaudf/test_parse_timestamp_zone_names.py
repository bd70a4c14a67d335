"""Zone names in PARSE_TIMESTAMP's text: ksqlDB 0.29's ParseTimestamp parses with StringToTimestampParser
(DateTimeFormatterBuilder.parseCaseInsensitive().appendPattern(p).toFormatter(Locale.ROOT)), whose `z` / `v`
fields are ZoneTextPrinterParser: a full-width field (zzzz, vvvv) reads the long names of the zone strings, a
short one the short names, each resolving to ZoneName.toZid's zone - the JDK's SystemV zones for the US
abbreviations (their rules: last Sunday of April to last Sunday of October), a metazone's golden zone
otherwise (BST and "British Summer Time" are GMT's, Atlantic/Reykjavik's). A zone parsed from the text
resolves an overlap to the earlier offset (Parsed.resolve's atZone); text that is no name stops the parse
where the zone starts. The expected millis are JDK 17's, computed once with that formatter."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.errors import KsqlError

S = T.STRING
HM = "yyyy-MM-dd HH:mm "


@pytest.mark.parametrize(
    ("text", "pattern", "millis"),
    [
        ("2021-06-01 10:00 Pacific Standard Time", HM + "zzzz", 1622566800000),
        ("2021-06-01 10:00 pacific daylight time", HM + "zzzz", 1622566800000),
        ("2021-06-01 10:00 Pacific Time", HM + "vvvv", 1622566800000),
        ("2021-06-01 10:00 PT", HM + "v", 1622566800000),
        ("2021-03-20 10:00 PST", HM + "z", 1616263200000),  # SystemV/PST8PDT: standard until late April
        ("2021-03-20 10:00 Pacific Standard Time", HM + "zzzz", 1616263200000),
        ("2021-11-02 10:00 PST", HM + "z", 1635876000000),
        ("2021-06-01 10:00 BST", HM + "z", 1622541600000),
        ("2021-06-01 10:00 British Summer Time", HM + "zzzz", 1622541600000),
        ("2021-06-01 10:00 Central European Summer Time", HM + "zzzz", 1622534400000),
        ("2021-06-01 10:00 CEST", HM + "z", 1622534400000),
        ("2021-06-01 10:00 Japan Standard Time", HM + "zzzz", 1622509200000),
        ("2021-06-01 10:00 India Standard Time", HM + "zzzz", 1622521800000),
        ("2021-06-01 10:00 IST", HM + "z", 1622521800000),
        ("2021-06-01 10:00 AEST", HM + "z", 1622505600000),
        ("2021-06-01 10:00 HST", HM + "z", 1622577600000),
        ("2021-06-01 10:00 Alaska Daylight Time", HM + "zzzz", 1622570400000),
        ("2021-06-01 10:00 Coordinated Universal Time", HM + "zzzz", 1622541600000),
        ("2021-06-01 10:00 Gulf Standard Time", HM + "zzzz", 1622527200000),
        ("2021-06-01 10:00 America/Los_Angeles", HM + "zzzz", 1622566800000),
        ("2021-10-31 01:30 EST", HM + "z", 1635658200000),  # SystemV's overlap: the earlier offset
        ("2021-11-07 01:30 America/New_York", HM + "VV", 1636263000000),
        ("1974-02-01 10:00 PST", HM + "z", 128970000000),  # SystemV 1974: daylight time from January 6
    ],
)  # fmt: skip
def test_zone_names(call: Any, text: str, pattern: str, millis: int) -> None:
    assert call("PARSE_TIMESTAMP", [S, S, S], text, pattern, "UTC") == millis


@pytest.mark.parametrize(
    ("text", "pattern", "index"),
    [
        ("2021-06-01 10:00 Central European Summer Time", HM + "z", 17),  # a long name in a short field
        ("2021-06-01 10:00 CEST", HM + "zzzz", 17),  # a short name in a full field
        ("2021-06-01 10:00 Nowhere Time", HM + "zzzz", 17),
    ],
)
def test_text_that_is_no_zone_name(call: Any, text: str, pattern: str, index: int) -> None:
    with pytest.raises(KsqlError) as info:
        call("PARSE_TIMESTAMP", [S, S, S], text, pattern, "UTC")
    assert f"Text '{text}' could not be parsed at index {index}" in info.value.message


@pytest.mark.parametrize(
    ("zone", "millis", "text"),
    [
        ("SystemV/PST8PDT", 1616263200000, "PST | Pacific Standard Time | PT | Pacific Time | SystemV/PST8PDT | GMT-8"),
        ("SystemV/PST8PDT", 1622566800000, "PDT | Pacific Daylight Time | PT | Pacific Time | SystemV/PST8PDT | GMT-7"),
        ("SystemV/HST10", 1622566800000, "HST | Hawaii Standard Time | HST | Hawaii Standard Time | SystemV/HST10 | GMT-10"),
        ("SystemV/YST9YDT", 1622566800000, "AKDT | Alaska Daylight Time | AKT | Alaska Time | SystemV/YST9YDT | GMT-8"),
    ],
)  # fmt: skip
def test_system_v_zones_as_arguments(call: Any, zone: str, millis: int, text: str) -> None:
    """ZoneId.of knows JDK 17's SystemV ids (the zones those names resolve to); FORMAT_TIMESTAMP prints their
    names as DateTimeFormatter does (JDK 17's output)."""
    pattern = "z | zzzz | v | vvvv | VV | O"
    assert call("FORMAT_TIMESTAMP", [T.TIMESTAMP, S, S], millis, pattern, zone) == text
