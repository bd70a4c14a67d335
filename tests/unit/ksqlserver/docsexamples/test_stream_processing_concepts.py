"""docs/concepts/stream-processing.md (deriving streams and tables from streams and tables; the pseudo columns
a SELECT may not set) and concepts/queries.md (persistent queries write a topic, push queries only stream
their rows to the client, pull queries return the current state and end). Where an example does not
resolve in ksqlDB 0.29 the test asserts the error (AggregateAnalyzer, KeyFormat's single-field rule for
KAFKA keys, PlanNode's key check) and runs the intended statement."""

from __future__ import annotations

import re
from typing import Any

import pytest

from ksqlserver.errors import KsqlError

from ..javaint.conftest import Provider
from .conftest import NO_EMIT_INTERVAL, Docs, pull

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


def _columns(h: Docs, name: str) -> list[tuple[str, str, str]]:
    return [(c.name, str(c.type), c.namespace) for c in h.source(name).schema.columns]


def test_derive_stream_from_stream(docs: Any) -> None:
    """"Derive a new stream from an existing stream": rock_songs (keyless, AVRO values, 2 partitions) to
    title_cased_songs: the column names and types are inferred from the SELECT, the sink inherits the
    AVRO value format (its `<topic>-value` schema registered) and the partitions, each song is appended
    with its title upper-cased."""
    h = docs()
    h.sql("CREATE STREAM rock_songs (artist VARCHAR, title VARCHAR) WITH (kafka_topic='rock_songs', "
          "partitions=2, value_format='avro');")  # fmt: skip
    h.sql("CREATE STREAM title_cased_songs AS SELECT artist, UCASE(title) AS capitalized_song FROM rock_songs "
          "EMIT CHANGES;")  # fmt: skip
    assert _columns(h, "TITLE_CASED_SONGS") == [("ARTIST", "STRING", "VALUE"), ("CAPITALIZED_SONG", "STRING", "VALUE")]
    sink = h.source("TITLE_CASED_SONGS")
    assert (sink.value_format, h.driver.topics()["TITLE_CASED_SONGS"].partitions) == ("AVRO", 2)
    assert "TITLE_CASED_SONGS-value" in h.registry.subjects()
    provider = Provider("K", [("ARTIST", ["null", "string"]), ("TITLE", ["null", "string"])],
                        [("a", ("Queen", "Under Pressure")), ("b", ("AC/DC", "Thunderstruck"))])  # fmt: skip
    h.produce_rows("rock_songs", provider, "AVRO", 1000)
    h.drain()
    assert sorted(v["CAPITALIZED_SONG"] for _, v, _ in h.rows("TITLE_CASED_SONGS")) == [
        "THUNDERSTRUCK", "UNDER PRESSURE"
    ]  # fmt: skip


def test_system_columns_cannot_be_set(docs: Any) -> None:
    """"The value of system columns can not be set in the SELECT": ROWTIME as an alias is refused
    (AstBuilder), ROWPARTITION / ROWOFFSET selected under their own names too (SelectValueMapper's
    reserved-name check in the analyzer); aliased to other names they are ordinary columns."""
    h = docs()
    h.sql("CREATE STREAM s (k VARCHAR KEY, v VARCHAR) WITH (kafka_topic='s', partitions=1, value_format='json');")
    assert _error(h, "CREATE STREAM x AS SELECT k, 1 AS ROWTIME FROM s;") == (
        "`ROWTIME` is a reserved column name. You cannot use it as an alias for a column."
    )
    for col in ["ROWPARTITION", "ROWOFFSET"]:
        assert _error(h, f"CREATE STREAM x AS SELECT k, {col} FROM s;") == (
            f"Reserved column name in select: `{col}`. Please remove or alias the column."
        )
    h.sql("CREATE STREAM x AS SELECT k, ROWTIME AS t, ROWPARTITION AS p, ROWOFFSET AS o FROM s;")
    h.produce("s", "a", {"V": "1"}, 7000)
    h.drain()
    assert h.stamped("X") == [("a", {"T": 7000, "P": 0, "O": 0}, 7000)]


def test_derive_table_from_stream(docs: Any) -> None:
    """"Deriving a new table from an existing stream": order_metrics counts the orders of each product and
    sums its cost, joining the key-only orders stream with products."""
    h = docs()
    h.sql("CREATE TABLE products (product_name VARCHAR PRIMARY KEY, cost DOUBLE) WITH (kafka_topic='products', "
          "partitions=1, value_format='json');")  # fmt: skip
    h.sql("CREATE STREAM orders (product_name VARCHAR KEY) WITH (kafka_topic='orders', partitions=1, "
          "value_format='json');")  # fmt: skip
    h.sql("CREATE TABLE order_metrics AS SELECT p.product_name, COUNT(*) AS count, SUM(p.cost) AS revenue "
          "FROM orders o JOIN products p ON p.product_name = o.product_name GROUP BY p.product_name "
          "EMIT CHANGES;")  # fmt: skip
    # p.product_name names a column of both sources: AstSanitizer aliases it P_PRODUCT_NAME
    # (generatedJoinColumnAlias), as the real engine names the key of GROUP BY L.ID over a join L_ID
    assert _columns(h, "ORDER_METRICS") == [
        ("P_PRODUCT_NAME", "STRING", "KEY"), ("COUNT", "BIGINT", "VALUE"), ("REVENUE", "DOUBLE", "VALUE")
    ]  # fmt: skip
    h.produce("products", "pen", {"COST": 1.5}, 1000)
    for ts in (2000, 3000):
        h.produce("orders", "pen", {}, ts)
    h.produce("orders", "ink", {}, 4000)
    h.drain()
    assert pull(h, "SELECT * FROM order_metrics;") == [["pen", 2, 3.0]]


def test_derive_table_from_table(docs: Any) -> None:
    """"Deriving a new table from an existing table": page_view_metrics selects location_id without
    grouping by it (AggregateAnalyzer refuses it); grouped by both it has two key columns, which the KAFKA
    key format cannot hold (KafkaFormat: a single field); with JSON keys it works, and the derived table
    must then select both key columns (PlanNode.throwKeysNotIncludedError)."""
    h = docs()
    h.sql("CREATE STREAM page_views (id VARCHAR KEY, url VARCHAR, location_id INT) WITH (kafka_topic='pv', "
          "partitions=1, value_format='json');")  # fmt: skip
    metrics = "CREATE TABLE page_view_metrics AS SELECT url, location_id, COUNT(*) AS count FROM page_views{} " \
              "GROUP BY url{} EMIT CHANGES;"  # fmt: skip
    assert _error(h, metrics.format("", "")) == (
        "Non-aggregate SELECT expression(s) not part of GROUP BY: LOCATION_ID\n"
        "Either add the column(s) to the GROUP BY or remove them from the SELECT."
    )
    assert _error(h, metrics.format("", ", location_id")) == (
        "Key format does not support schema.\nformat: KAFKA\n"
        "schema: Persistence{columns=[`URL` STRING KEY, `LOCATION_ID` INTEGER KEY], features=[]}\n"
        "reason: The 'KAFKA' format only supports a single field. Got: [`URL` STRING KEY, `LOCATION_ID` "
        "INTEGER KEY]"
    )
    h.sql(metrics.format("", ", location_id").replace(" AS SELECT", " WITH (KEY_FORMAT='JSON') AS SELECT"))
    mountain_view = "CREATE TABLE page_view_metrics_mountain_view AS SELECT url, {}count FROM page_view_metrics " \
                    "WHERE location_id = 42 EMIT CHANGES;"  # fmt: skip
    assert _error(h, mountain_view.format("")) == (
        "Keys missing from projection (ie, SELECT). \n"
        "The query used to build `PAGE_VIEW_METRICS_MOUNTAIN_VIEW` must include the key columns URL and "
        "LOCATION_ID in its projection (eg, SELECT URL, LOCATION_ID...)."
    )
    h.sql(mountain_view.format("location_id, "))
    h.produce("pv", "v1", {"URL": "/a", "LOCATION_ID": 42}, 1000)
    h.produce("pv", "v2", {"URL": "/a", "LOCATION_ID": 7}, 2000)
    h.produce("pv", "v3", {"URL": "/a", "LOCATION_ID": 42}, 3000)
    h.drain()
    assert [(k, v) for k, v, _ in h.stamped("PAGE_VIEW_METRICS_MOUNTAIN_VIEW")] == [
        ('{"URL":"/a","LOCATION_ID":42}', {"COUNT": 1}), ('{"URL":"/a","LOCATION_ID":42}', {"COUNT": 2})
    ]  # fmt: skip


def test_derive_stream_from_streams(docs: Any) -> None:
    """"Deriving a new stream from multiple streams": an impression followed within one minute by a click of
    the same user on the same url is emitted (the WHERE after the join); a click after a minute, or on
    another url, is not."""
    h = docs(NO_EMIT_INTERVAL)
    h.sql("CREATE STREAM impressions (user VARCHAR KEY, impression_id BIGINT, url VARCHAR) "
          "WITH (kafka_topic='impressions', partitions=1, value_format='json');")  # fmt: skip
    h.sql("CREATE STREAM clicks (user VARCHAR KEY, url VARCHAR) WITH (kafka_topic='clicks', partitions=1, "
          "value_format='json');")  # fmt: skip
    h.sql("CREATE STREAM clicked_impressions AS SELECT * FROM impressions i JOIN clicks c WITHIN 1 minute "
          "ON i.user = c.user WHERE i.url = c.url EMIT CHANGES;")  # fmt: skip
    assert [n for n, _, _ in _columns(h, "CLICKED_IMPRESSIONS")] == ["I_USER", "I_IMPRESSION_ID", "I_URL", "C_USER", "C_URL"]
    h.produce("impressions", "u1", {"IMPRESSION_ID": 1, "URL": "/a"}, 0)
    h.produce("clicks", "u1", {"URL": "/b"}, 10_000)
    h.produce("clicks", "u1", {"URL": "/a"}, 30_000)
    h.produce("impressions", "u2", {"IMPRESSION_ID": 2, "URL": "/c"}, 100_000)
    h.produce("clicks", "u2", {"URL": "/c"}, 200_000)
    h.drain()
    assert [(k, v["I_IMPRESSION_ID"], ts) for k, v, ts in h.stamped("CLICKED_IMPRESSIONS")] == [("u1", 1, 30_000)]


def test_kinds_of_queries(docs: Any) -> None:
    """concepts/queries.md: a persistent query writes its result to a topic; "The result of a push query
    isn't persisted to a Kafka topic" (no new topic; the rows reach the client only); a pull query
    "retrieves a result as of now" and ends."""
    h = docs()
    h.sql("CREATE STREAM s (k VARCHAR KEY, v INT) WITH (kafka_topic='s', partitions=1, value_format='json');")
    h.sql("CREATE TABLE t AS SELECT k, SUM(v) AS total FROM s GROUP BY k;")
    h.produce("s", "a", {"V": 1}, 1000)
    h.produce("s", "a", {"V": 2}, 2000)
    before = h.topics()
    assert h.push("SELECT k, v FROM s EMIT CHANGES;") == [["a", 1], ["a", 2]]
    assert h.topics() == before
    assert [v for _, v, _ in h.stamped("T")] == [{"TOTAL": 1}, {"TOTAL": 3}]
    assert pull(h, "SELECT * FROM t WHERE k = 'a';") == [["a", 3]]
