"""ksqlDB 0.29's TimestampColumnExtractorsTest (io.confluent.ksql.execution.streams.timestamp): the
timestamp column may be a key column (of a plain or a windowed key) or a value column."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Streams


def test_should_extract_key_column(ks: Streams) -> None:
    """shouldExtractKeyColumn: the BIGINT key column gives ROWTIME."""
    ks.sql(
        "CREATE STREAM SRC (K BIGINT KEY, V STRING) WITH (KAFKA_TOPIC='src', PARTITIONS=1, FORMAT='JSON', "
        "TIMESTAMP='K');"
    )
    ks.sql("CREATE STREAM OUT AS SELECT * FROM SRC;")
    ks.produce("src", b"12345", {"V": "x"}, 1)
    assert ks.records("OUT") == [(12345, {"V": "x"}, 12345)]


def test_should_extract_windowed_key_column(ks: Streams) -> None:
    """shouldExtractWindowedKeyColumn: the key column of a windowed key (the window itself is left out); a
    windowed stream, as no persistent query may read a windowed table."""
    ks.sql(
        "CREATE STREAM SRC (K BIGINT KEY, V STRING) WITH (KAFKA_TOPIC='src', PARTITIONS=1, "
        "FORMAT='JSON', TIMESTAMP='K', WINDOW_TYPE='TUMBLING', WINDOW_SIZE='10 SECONDS');"
    )
    ks.sql("CREATE STREAM OUT AS SELECT * FROM SRC;")
    ks.produce("src", b"777" + (20_000).to_bytes(8, "big"), {"V": "x"}, 1)
    assert ks.records("OUT") == [((777, 20_000), {"V": "x"}, 777)]


def test_should_extract_value_column(ks: Streams) -> None:
    """shouldExtractValueColumn: a value column after others."""
    ks.sql(
        "CREATE STREAM SRC (K STRING KEY, A STRING, T BIGINT) WITH (KAFKA_TOPIC='src', PARTITIONS=1, "
        "FORMAT='JSON', TIMESTAMP='T');"
    )
    ks.sql("CREATE STREAM OUT AS SELECT * FROM SRC;")
    ks.produce("src", b'"k"', {"A": "x", "T": 4242}, 1)
    assert ks.records("OUT") == [("k", {"A": "x", "T": 4242}, 4242)]
