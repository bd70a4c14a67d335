"""ksqlDB 0.29's StringTimestampExtractorTest (io.confluent.ksql.execution.streams.timestamp): a STRING
timestamp column parsed with the TIMESTAMP_FORMAT (StringToTimestampParser; the server's zone, UTC here)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Streams

FORMAT = "yyyy-MMM-dd"


def source(make_streams: Callable[..., Streams]) -> Streams:
    ks = make_streams(processing_log=True)
    ks.sql(
        "CREATE STREAM SRC (K STRING KEY, TS STRING) WITH (KAFKA_TOPIC='src', PARTITIONS=1, FORMAT='JSON', "
        f"TIMESTAMP='TS', TIMESTAMP_FORMAT='{FORMAT}');"
    )
    ks.sql("CREATE STREAM OUT AS SELECT * FROM SRC;")
    return ks


def test_should_extract_timestamp_from_string_with_format(make_streams: Callable[..., Streams]) -> None:
    """shouldExtractTimestampFromStringWithFormat (+ shouldPassRecordToColumnExtractor): 2010-Jan-11 with
    yyyy-MMM-dd is 2010-01-11T00:00 (UTC)."""
    ks = source(make_streams)
    ks.produce("src", b'"a"', {"TS": "2010-Jan-11"}, 1)
    assert [(k, v, ts) for k, v, ts in ks.records("OUT")] == [("a", {"TS": "2010-Jan-11"}, 1_263_168_000_000)]


def test_should_throw_if_string_does_not_match_format(make_streams: Callable[..., Streams]) -> None:
    """shouldThrowIfStringDoesNotMatchFormat: the DateTimeParseException names the text; the record is
    logged (LoggingTimestampExtractor) and skipped."""
    ks = source(make_streams)
    ks.produce("src", b'"a"', {"TS": "11-Jan-2010"}, 1)
    assert ks.records("OUT") == []
    [log] = ks.processing_log()
    assert any("11-Jan-2010" in cause for cause in log["recordProcessingError"]["cause"])
