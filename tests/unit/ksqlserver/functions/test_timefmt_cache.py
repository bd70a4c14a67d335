"""timefmt.parse_ms keeps recent results (a stream's TIMESTAMP column parses every record's text, and event
times repeat); what it answers and raises must be what a fresh parse answers and raises."""

from __future__ import annotations

import pytest

from ksqlserver.functions import timefmt
from ksqlserver.runtime.pipeline import _parse_string_timestamp

PATTERN = "yyyy-MM-dd'T'HH:mm:ssX"


def test_repeated_texts_parse_to_the_same_milliseconds_per_zone_and_pattern() -> None:
    first = timefmt.parse_ms("2026-12-07T10:00:00Z", PATTERN)
    assert first == timefmt.parse_ms("2026-12-07T10:00:00Z", PATTERN) == 1796637600000
    # the zone argument and the pattern are part of what is kept: a zone-less text depends on the zone
    local = "yyyy-MM-dd HH:mm:ss"
    utc = timefmt.parse_ms("2026-12-07 10:00:00", local)
    berlin = timefmt.parse_ms("2026-12-07 10:00:00", local, "Europe/Berlin")
    assert utc - berlin == 3_600_000
    assert timefmt.parse_ms("2026-12-07 10:00:00", local) == utc


def test_a_failure_raises_a_new_exception_every_time() -> None:
    """The extractor marks the exception it re-raises (java_class): a kept exception would carry one
    caller's marks into the next; lru_cache keeps none."""
    errors = []
    for _ in range(2):
        with pytest.raises(ValueError) as info:
            _parse_string_timestamp("2026-13-07T10:00:00Z", PATTERN)
        errors.append(info.value)
    assert errors[0] is not errors[1]
    assert "MonthOfYear" in str(errors[1])
    assert errors[1].java_class == "java.time.format.DateTimeParseException"  # type: ignore[attr-defined]
