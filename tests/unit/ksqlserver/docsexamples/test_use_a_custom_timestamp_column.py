"""docs/how-to-guides/use-a-custom-timestamp-column.md: the push queries' results of "Using event-time"
(s2), "Timestamps as long values" (s4) and "Timestamps represented by TIMESTAMP columns" (s5), Avro values
as the page has them. INSERT VALUES stamps its records with the wall clock
(GenericRecordFactory.build: ROWTIME defaults to the clock), so ROWTIME is the timestamp column's only
where the source declares TIMESTAMP."""

from __future__ import annotations

from typing import Any


def test_using_event_time(docs: Any) -> None:
    """"Using event-time": s2, derived WITH (timestamp = 'ts', timestamp_format = ...), has ROWTIME set to
    ts (and its records are written with it)."""
    h = docs()
    h.sql("CREATE STREAM s1 (k VARCHAR KEY, ts VARCHAR, v1 INT, v2 VARCHAR) WITH (kafka_topic = 's1', "
          "partitions = 1, value_format = 'avro');")  # fmt: skip
    h.sql("INSERT INTO s1 (k, ts, v1, v2) VALUES ('k1', '2020-05-04 01:00:00', 0, 'a');")
    h.sql("INSERT INTO s1 (k, ts, v1, v2) VALUES ('k2', '2020-05-04 02:00:00', 1, 'b');")
    h.sql("CREATE STREAM S2 WITH (timestamp = 'ts', timestamp_format = 'yyyy-MM-dd HH:mm:ss') AS "
          "SELECT * FROM s1 EMIT CHANGES;")  # fmt: skip
    assert h.push("SELECT k, ROWTIME, TIMESTAMPTOSTRING(ROWTIME, 'yyyy-MM-dd HH:mm:ss.SSS') AS "
                  "rowtime_formatted, ts, v1, v2 FROM s2 EMIT CHANGES;") == [
        ["k1", 1588554000000, "2020-05-04 01:00:00.000", "2020-05-04 01:00:00", 0, "a"],
        ["k2", 1588557600000, "2020-05-04 02:00:00.000", "2020-05-04 02:00:00", 1, "b"],
    ]  # fmt: skip
    assert [r.timestamp for r in h.records("S2")] == [1588554000000, 1588557600000]


def test_timestamps_as_long_values(docs: Any) -> None:
    """"Timestamps as long values": a BIGINT timestamp column needs no format."""
    h = docs()
    h.sql("CREATE STREAM s4 (k VARCHAR KEY, ts BIGINT, v1 INT, v2 VARCHAR) WITH (kafka_topic = 's4', "
          "partitions = 1, value_format = 'avro', timestamp = 'ts');")  # fmt: skip
    for k, ts, v1, v2 in [("k1", 1562634000000, 0, "a"), ("k2", 1588509000000, 1, "b"),
                          ("k3", 1588736700000, 2, "c")]:  # fmt: skip
        h.sql(f"INSERT INTO s4 (k, ts, v1, v2) VALUES ('{k}', {ts}, {v1}, '{v2}');")
    assert h.push("SELECT k, ROWTIME, ts, TIMESTAMPTOSTRING(ROWTIME, 'yyyy-MM-dd HH:mm:ss.SSS') AS "
                  "rowtime_formatted, TIMESTAMPTOSTRING(ts, 'yyyy-MM-dd HH:mm:ss.SSS') AS ts_formatted, v1, "
                  "v2 FROM s4 EMIT CHANGES;") == [
        ["k1", 1562634000000, 1562634000000, "2019-07-09 01:00:00.000", "2019-07-09 01:00:00.000", 0, "a"],
        ["k2", 1588509000000, 1588509000000, "2020-05-03 12:30:00.000", "2020-05-03 12:30:00.000", 1, "b"],
        ["k3", 1588736700000, 1588736700000, "2020-05-06 03:45:00.000", "2020-05-06 03:45:00.000", 2, "c"],
    ]  # fmt: skip


def test_timestamps_represented_by_timestamp_columns(docs: Any) -> None:
    """"Timestamps represented by TIMESTAMP columns": ISO strings inserted into a TIMESTAMP column (minutes
    or seconds precision) read back as yyyy-MM-ddTHH:mm:ss.SSS, and ROWTIME is their epoch millis."""
    h = docs()
    h.sql("CREATE STREAM s5 (k VARCHAR KEY, ts TIMESTAMP, v1 INT, v2 VARCHAR) WITH (kafka_topic = 's5', "
          "partitions = 1, value_format = 'avro', timestamp = 'ts');")  # fmt: skip
    for k, ts, v1, v2 in [("k1", "2019-07-09T01:00", 0, "a"), ("k2", "2020-05-03T12:30:00", 1, "b"),
                          ("k3", "2020-05-06T03:45", 2, "c")]:  # fmt: skip
        h.sql(f"INSERT INTO s5 (k, ts, v1, v2) VALUES ('{k}', '{ts}', {v1}, '{v2}');")
    assert h.push("SELECT k, ROWTIME, ts, v1, v2 FROM s5 EMIT CHANGES;") == [
        ["k1", 1562634000000, "2019-07-09T01:00:00.000", 0, "a"],
        ["k2", 1588509000000, "2020-05-03T12:30:00.000", 1, "b"],
        ["k3", 1588736700000, "2020-05-06T03:45:00.000", 2, "c"],
    ]
