"""docs/developer-guide/ksqldb-reference/create-stream-as-select.md and create-table-as-select.md: the sink's
topic name, partitions, formats and Schema Registry subjects (taken from the left-most source unless given:
TopicCreateInjector, SourcePropertiesUtil, KsqlStructuredDataOutputNode), the query id, the TIMESTAMP
property, the projection's key columns, and the pages' examples (the key rules themselves are in
test_keys.py). Where an example does not parse or resolve in ksqlDB 0.29 the test asserts its error and
runs the corrected statement."""

from __future__ import annotations

import re
from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.errors import KsqlError

from .conftest import Docs

PLANNED = "Could not determine output schema for query due to error: "


def _planning_cause(message: str, sql: str) -> str:
    """The planning error's own text: a CREATE ... AS SELECT that planning refuses is answered with
    SchemaRegisterInjector's prefix before it (the raw unlogged details of its wrapper, which KsqlResource
    returns); no other statement has the prefix."""
    if message.startswith(PLANNED):
        assert re.search(r"\bAS\s+SELECT\b", sql, re.IGNORECASE | re.DOTALL), message
        return message[len(PLANNED) :]
    return message


def _error(h: Docs, sql: str) -> str:
    with pytest.raises(KsqlError) as err:
        h.sql(sql)
    return _planning_cause(err.value.message, sql)


def _sink(h: Docs, name: str) -> tuple[str, str, str, int]:
    """(topic, key format, value format, partitions)."""
    src = h.source(name)
    return src.topic, src.key_format, src.value_format, h.driver.topics()[src.topic].partitions


def _key(h: Docs, name: str) -> list[tuple[str, str]]:
    return [(c.name, str(c.type)) for c in h.source(name).schema.key]


def _values(h: Docs, name: str) -> list[str]:
    return [c.name for c in h.source(name).schema.value_only]


def _clicks(h: Docs) -> Docs:
    h.ensure_topics("clicks", "users", partitions=3)
    h.sql("CREATE STREAM clickstream (userId STRING KEY, url STRING) WITH (KAFKA_TOPIC='clicks', "
          "VALUE_FORMAT='JSON');")  # fmt: skip
    h.sql("CREATE TABLE users (id STRING PRIMARY KEY, name STRING, classification STRING, level INT) "
          "WITH (KAFKA_TOPIC='users', VALUE_FORMAT='DELIMITED', KEY_FORMAT='DELIMITED');")  # fmt: skip
    return h


def test_enriched_stream_takes_the_left_most_source_properties(docs: Any) -> None:
    """The "enriched" example (clickstream joined with the users table): the topic is the stream's name in
    upper case, its partitions and key / value formats are the left-most source's (clickstream: 3, KAFKA,
    JSON, not users' DELIMITED), the query id is CSAS_<NAME>_<n>, and `cs.*` keeps the prefixed key."""
    h = _clicks(docs())
    [status] = h.sql("CREATE STREAM enriched AS SELECT cs.*, u.name, u.classification, u.level "
                     "FROM clickstream cs JOIN users u ON u.id = cs.userId EMIT CHANGES;")  # fmt: skip
    assert status["commandStatus"]["queryId"] == "CSAS_ENRICHED_0"
    assert _sink(h, "ENRICHED") == ("ENRICHED", "KAFKA", "JSON", 3)
    assert _key(h, "ENRICHED") == [("CS_USERID", "STRING")]
    assert _values(h, "ENRICHED") == ["CS_URL", "NAME", "CLASSIFICATION", "LEVEL"]
    h.driver.produce("users", [_delimited("u1", "alice,gold,3", 1000)])
    h.produce("clicks", "u1", {"URL": "/x"}, 2000)
    h.drain()
    assert [(k, v) for k, v, _ in h.stamped("ENRICHED")] == [
        ("u1", {"CS_URL": "/x", "NAME": "alice", "CLASSIFICATION": "gold", "LEVEL": 3})
    ]


def _delimited(key: str, value: str, ts: int) -> Any:
    return Record(key.encode(), value.encode(), ts)


def test_with_properties_override_the_source(docs: Any) -> None:
    """"KAFKA_TOPIC", "PARTITIONS", "FORMAT": given properties name the topic and set its partitions and
    both formats; a Schema Registry format registers `<topic-name>-value` (SchemaRegisterInjector); FORMAT
    with KEY_FORMAT is refused as for CREATE STREAM."""
    h = _clicks(docs())
    h.sql("CREATE STREAM e2 WITH (PARTITIONS=5, KAFKA_TOPIC='e2_topic', FORMAT='JSON') AS "
          "SELECT * FROM clickstream;")  # fmt: skip
    assert _sink(h, "E2") == ("e2_topic", "JSON", "JSON", 5)
    h.sql("CREATE STREAM e3 WITH (VALUE_FORMAT='AVRO') AS SELECT * FROM clickstream;")
    assert _sink(h, "E3") == ("E3", "KAFKA", "AVRO", 3)
    assert "E3-value" in h.registry.subjects()
    assert "E3-key" not in h.registry.subjects()
    assert _error(h, "CREATE STREAM bad WITH (FORMAT='JSON', KEY_FORMAT='KAFKA') AS SELECT * FROM clickstream;") == (
        "Failed to prepare statement: Cannot supply both 'KEY_FORMAT' and 'FORMAT' properties, as 'FORMAT' sets "
        "both key and value formats. Either use just 'FORMAT', or use 'KEY_FORMAT' and 'VALUE_FORMAT'."
    )


def test_timestamp_property_sets_the_sink_records_time(docs: Any) -> None:
    """"TIMESTAMP": the column "is used to set the timestamp on any records emitted to Kafka", and windows
    of the query itself use the source's ROWTIME ("The window into which each row of bar is placed is
    determined by bar's ROWTIME, not t2"). The page's example puts a WINDOW on a query without GROUP BY
    and a `;` before EMIT CHANGES, which does not parse; the aggregation below is its intent."""
    h = docs()
    h.ensure_topics("bar")
    h.sql("CREATE STREAM bar (k STRING KEY, t2 BIGINT, v INT) WITH (KAFKA_TOPIC='bar', VALUE_FORMAT='JSON');")
    h.sql("CREATE STREAM foo WITH (TIMESTAMP='t2') AS SELECT * FROM bar EMIT CHANGES;")
    h.sql("CREATE TABLE foo_w WITH (TIMESTAMP='t2') AS SELECT k, MAX(t2) AS t2, COUNT(*) AS c FROM bar "
          "WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY k EMIT CHANGES;")  # fmt: skip
    h.produce("bar", "x", {"T2": 99000, "V": 1}, 1000)
    h.drain()
    assert h.stamped("FOO") == [("x", {"T2": 99000, "V": 1}, 99000)]
    assert h.stamped("FOO_W") == [(("x", 0), {"T2": 99000, "C": 1}, 99000)]


def test_timestamp_property_of_an_aggregation(docs: Any) -> None:
    """"TIMESTAMP" on a CTAS aggregation: TableSinkBuilder runs SinkBuilder.TransformTimestamp on the
    aggregate's rows too (before, aggregations kept the input record's time); a null column time is
    logged as "Error writing row with extracted timestamp: ..." and the row is not written."""
    h = docs()
    h.ensure_topics("bar")
    h.sql("CREATE STREAM bar (k STRING KEY, t2 BIGINT, v INT) WITH (KAFKA_TOPIC='bar', VALUE_FORMAT='JSON');")
    h.sql("CREATE TABLE agg WITH (TIMESTAMP='t2') AS SELECT k, MAX(t2) AS t2, COUNT(*) AS c FROM bar "
          "GROUP BY k;")  # fmt: skip
    h.produce("bar", "x", {"T2": 99000, "V": 1}, 1000)
    h.produce("bar", "y", {"V": 1}, 2000)
    h.produce("bar", "x", {"T2": 5000, "V": 1}, 3000)
    h.drain()
    assert h.stamped("AGG") == [("x", {"T2": 99000, "C": 1}, 99000), ("x", {"T2": 99000, "C": 2}, 99000)]


def test_projection_must_include_the_key(docs: Any) -> None:
    """"The projection must include all columns required in the result, including any key columns"
    (PlanNode.throwKeysNotIncludedError); the CTAS example "derived" (SELECT a, b, d FROM source WHERE A is
    not null) keeps A as its primary key."""
    h = docs()
    h.ensure_topics("src")
    h.sql("CREATE TABLE source (a STRING PRIMARY KEY, b INT, d INT, e INT) WITH (KAFKA_TOPIC='src', "
          "VALUE_FORMAT='JSON');")  # fmt: skip
    [status] = h.sql("CREATE TABLE derived AS SELECT a, b, d FROM source WHERE A is not null EMIT CHANGES;")
    assert status["commandStatus"]["queryId"] == "CTAS_DERIVED_0"
    assert (_key(h, "DERIVED"), _values(h, "DERIVED")) == ([("A", "STRING")], ["B", "D"])
    assert _error(h, "CREATE TABLE derived2 AS SELECT b, d FROM source;") == (
        "Key missing from projection (ie, SELECT). \n"
        "The query used to build `DERIVED2` must include the key column A in its projection (eg, SELECT A...)."
    )
    h.produce("src", "k", {"B": 1, "D": 2, "E": 3}, 1000)
    h.drain()
    assert h.stamped("DERIVED") == [("k", {"B": 1, "D": 2}, 1000)]


def test_ctas_examples(docs: Any) -> None:
    """The CTAS page's windowed examples. weeklyMusicCharts writes `WINDOW TUMBLING (7 DAYS)`, which the
    0.29 grammar refuses (TUMBLING needs SIZE); with SIZE it is keyed by the grouped column SONGNAME and
    takes the left-most source's formats. pageviews_per_region's unnamed COUNT(*) is KSQL_COL_0
    (ColumnNames.nextKsqlColAlias). top_orders groups by `order_zipcode` where it selects `orderzip_code`:
    the GROUP BY column cannot be resolved."""
    h = docs()
    h.ensure_topics("plays", "songs", "pageviews", "orders")
    h.sql("CREATE STREAM playStream (id STRING KEY, song_id BIGINT) WITH (KAFKA_TOPIC='plays', "
          "VALUE_FORMAT='JSON');")  # fmt: skip
    h.sql("CREATE TABLE songs (id BIGINT PRIMARY KEY, songName STRING) WITH (KAFKA_TOPIC='songs', "
          "VALUE_FORMAT='JSON', KEY_FORMAT='JSON');")  # fmt: skip
    charts = ("CREATE TABLE weeklyMusicCharts AS SELECT s.songName, count(1) AS playCount FROM playStream p "
              "JOIN songs s ON p.song_id = s.id WINDOW TUMBLING ({}7 DAYS) GROUP BY s.songName EMIT CHANGES;")  # fmt: skip
    assert _error(h, charts.format("")) == "line 1:144: Syntax Error\nmissing 'SIZE' at '7'"
    h.sql(charts.format("SIZE "))
    assert _key(h, "WEEKLYMUSICCHARTS") == [("SONGNAME", "STRING")]
    assert _sink(h, "WEEKLYMUSICCHARTS") == ("WEEKLYMUSICCHARTS", "KAFKA", "JSON", 1)
    assert h.source("WEEKLYMUSICCHARTS").window.kind == "TUMBLING"
    h.sql("CREATE STREAM pageviews (pageid STRING KEY, regionid STRING, gender STRING) "
          "WITH (KAFKA_TOPIC='pageviews', VALUE_FORMAT='JSON');")  # fmt: skip
    h.sql("CREATE TABLE pageviews_per_region AS SELECT regionid, COUNT(*) FROM pageviews "
          "WINDOW HOPPING (SIZE 30 SECONDS, ADVANCE BY 10 SECONDS, RETENTION 7 DAYS, GRACE PERIOD 30 MINUTES) "
          "WHERE UCASE(gender)='FEMALE' AND LCASE (regionid) LIKE '%_6' GROUP BY regionid EMIT CHANGES;")
    assert (_key(h, "PAGEVIEWS_PER_REGION"), _values(h, "PAGEVIEWS_PER_REGION")) == (
        [("REGIONID", "STRING")], ["KSQL_COL_0"]
    )
    h.produce("pageviews", "p", {"REGIONID": "Region_6", "GENDER": "female"}, 25000)
    h.produce("pageviews", "p", {"REGIONID": "Region_7", "GENDER": "female"}, 25000)
    h.drain()
    assert [(k, v) for k, v, _ in h.stamped("PAGEVIEWS_PER_REGION")] == [
        (("Region_6", 0), {"KSQL_COL_0": 1}), (("Region_6", 10000), {"KSQL_COL_0": 1}),
        (("Region_6", 20000), {"KSQL_COL_0": 1}),
    ]  # fmt: skip
    h.sql("CREATE STREAM orders (id STRING KEY, orderzip_code STRING, order_total DOUBLE) "
          "WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON');")  # fmt: skip
    top = ("CREATE TABLE top_orders AS SELECT orderzip_code, TOPK(order_total, 5) FROM orders "
           "WINDOW TUMBLING (SIZE 1 HOUR, GRACE PERIOD 2 HOURS) GROUP BY {} EMIT CHANGES;")  # fmt: skip
    assert _error(h, top.format("order_zipcode")) == (
        "Line: 1, Col: 144: GROUP BY column 'ORDER_ZIPCODE' cannot be resolved."
    )
    h.sql(top.format("orderzip_code"))
    assert (_key(h, "TOP_ORDERS"), _values(h, "TOP_ORDERS")) == ([("ORDERZIP_CODE", "STRING")], ["KSQL_COL_0"])


def test_window_only_on_streams_with_group_by(docs: Any) -> None:
    """create-table-as-select.md "Windowed aggregation": "The WINDOW clause can only be used if the from_item
    is a stream and the query contains a GROUP BY clause" (SchemaKGroupedTable.aggregate,
    LogicalPlanner.buildPlan)."""
    h = docs()
    h.ensure_topics("s", "t")
    h.sql("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
    h.sql("CREATE TABLE T (K STRING PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');")
    assert _error(h, "CREATE TABLE X AS SELECT K, COUNT(*) FROM T WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY K;") == (
        "Windowing not supported for table aggregations."
    )
    assert _error(h, "CREATE STREAM X AS SELECT * FROM S WINDOW TUMBLING (SIZE 1 SECOND);") == (
        "Line: 1, Col: 43: WINDOW clause requires a GROUP BY clause."
    )


def test_partition_by_after_where_and_join(docs: Any) -> None:
    """"The PARTITION BY clause, if supplied, is applied to the source after any JOIN or WHERE clauses, and
    before the SELECT clause": it may use a column of the joined table, and a row the WHERE drops is not
    re-keyed; its expression must be projected (PlanNode.throwKeysNotIncludedError, "partitioning
    expression"). The sink topic is the name behind ksql.output.topic.name.prefix (Analyzer's
    topicPrefix)."""
    h = docs({"ksql.output.topic.name.prefix": "pre_"})
    h.ensure_topics("a", "t")
    h.sql("CREATE STREAM A (K STRING KEY, V STRING, W STRING) WITH (KAFKA_TOPIC='a', VALUE_FORMAT='JSON');")
    h.sql("CREATE TABLE T (K STRING PRIMARY KEY, Y STRING) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');")
    assert _error(h, "CREATE STREAM P1 AS SELECT V FROM A PARTITION BY W;") == (
        "Key missing from projection (ie, SELECT). \n"
        "The query used to build `P1` must include the partitioning expression A.W in its projection "
        "(eg, SELECT A.W...)."
    )
    h.sql("CREATE STREAM P2 AS SELECT W, V FROM A WHERE V = 'x' PARTITION BY W;")
    h.sql("CREATE STREAM P3 AS SELECT T.Y, A.V FROM A JOIN T ON A.K = T.K PARTITION BY T.Y;")
    assert (h.source("P2").topic, _key(h, "P3")) == ("pre_P2", [("Y", "STRING")])
    h.produce("t", "k", {"Y": "y1"}, 1000)
    h.produce("a", "k", {"V": "x", "W": "w1"}, 2000)
    h.produce("a", "k", {"V": "other", "W": "w2"}, 3000)
    h.drain()
    assert [(k, v) for k, v, _ in h.stamped("P2")] == [("w1", {"V": "x"})]
    assert [(k, v) for k, v, _ in h.stamped("P3")] == [("y1", {"V": "x"}), ("y1", {"V": "other"})]


def test_timestamp_property_and_table_tombstones(docs: Any) -> None:
    """"TIMESTAMP" on a CTAS whose rows can be deleted: SinkBuilder.TransformTimestamp extracts the time of
    every record, tombstones included. A value column cannot be read from a tombstone (ValueColumnExtractor
    calls get on the null row: the NullPointerException is logged and the tombstone is not written); a key
    column can (KeyColumnExtractor), so the tombstone is written at the key's time."""
    h = docs()
    h.ensure_topics("t")
    h.sql("CREATE TABLE T (ID BIGINT PRIMARY KEY, TS BIGINT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');")
    h.sql("CREATE TABLE BY_VALUE WITH (TIMESTAMP='TS') AS SELECT * FROM T;")
    h.sql("CREATE TABLE BY_KEY WITH (TIMESTAMP='ID') AS SELECT * FROM T;")
    key = (5000).to_bytes(8, "big")
    h.driver.produce("t", [Record(key, b'{"TS": 9000}', 1000), Record(key, None, 2000)])
    h.drain()
    assert [(r.value, r.timestamp) for r in h.records("BY_VALUE")] == [(b'{"TS":9000}', 9000)]
    assert [(r.value, r.timestamp) for r in h.records("BY_KEY")] == [(b'{"TS":9000}', 5000), (None, 5000)]


def test_timestamp_property_on_a_table_join_deletion(docs: Any) -> None:
    """The same on a table-table join's deletion (KTableKTableInnerJoin forwards a tombstone when the left
    row goes): with TIMESTAMP on a value column it is logged and not written; on the key column it takes
    the key's time (SinkBuilder.TransformTimestamp, TimestampColumnExtractors)."""
    h = docs()
    h.ensure_topics("l", "r")
    h.sql("CREATE TABLE L (ID BIGINT PRIMARY KEY, TS BIGINT) WITH (KAFKA_TOPIC='l', VALUE_FORMAT='JSON');")
    h.sql("CREATE TABLE R (ID BIGINT PRIMARY KEY, V STRING) WITH (KAFKA_TOPIC='r', VALUE_FORMAT='JSON');")
    h.sql("CREATE TABLE BY_VALUE WITH (TIMESTAMP='TS') AS SELECT L.ID AS ID, TS, V FROM L JOIN R ON L.ID = R.ID;")
    h.sql("CREATE TABLE BY_KEY WITH (TIMESTAMP='ID') AS SELECT L.ID AS ID, TS, V FROM L JOIN R ON L.ID = R.ID;")
    key = (5000).to_bytes(8, "big")
    h.driver.produce("r", [Record(key, b'{"V": "v"}', 1000)])
    h.driver.produce("l", [Record(key, b'{"TS": 9000}', 2000), Record(key, None, 3000)])
    h.drain()
    assert [(r.value, r.timestamp) for r in h.records("BY_VALUE")] == [(b'{"TS":9000,"V":"v"}', 9000)]
    assert [(r.value, r.timestamp) for r in h.records("BY_KEY")] == [(b'{"TS":9000,"V":"v"}', 5000), (None, 5000)]
