"""docs/developer-guide/ksqldb-reference/quick-reference.md: its concrete examples (BETWEEN, IN against
the OR chain it abbreviates, CASE, CAST in a windowed aggregate, GRACE PERIOD with TOPK, LIKE, NULLIF,
HEADER / HEADERS columns, ALTER STREAM, CREATE / DROP TYPE, EMIT FINAL, the SHOW / LIST forms), run on
records; where a template is not what SqlBase.g4 takes, the grammar's error is asserted."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.errors import KsqlError

from .conftest import Docs


def _error(h: Docs, sql: str) -> str:
    with pytest.raises(KsqlError) as info:
        h.sql(sql)
    return info.value.message


def _query_error(h: Docs, sql: str) -> str:
    with pytest.raises(KsqlError) as info:
        h.engine.start_query(sql).close()
    return info.value.message


def test_between_in_and_or(docs: Any) -> None:
    """BETWEEN is inclusive, NOT BETWEEN its complement; `exp IN (exp0, exp1, exp2)` selects what
    `exp = exp0 OR exp = exp1 OR exp = exp2` does."""
    h = docs()
    h.sql("CREATE STREAM events (event_id INT KEY, event STRING) WITH (kafka_topic='events', partitions=1, "
          "format='json');")  # fmt: skip
    for i in [5, 10, 15, 20, 25]:
        h.produce("events", str(i), {"EVENT": f"e{i}"}, i)
    assert h.push("SELECT event\n  FROM events\n  WHERE event_id BETWEEN 10 AND 20\n  EMIT CHANGES;") == [
        ["e10"], ["e15"], ["e20"]
    ]
    assert h.push("SELECT event FROM events WHERE event_id NOT BETWEEN 10 AND 20 EMIT CHANGES;") == [["e5"], ["e25"]]
    assert h.push("SELECT event FROM events WHERE event_id IN (5, 15, 99) EMIT CHANGES;") == h.push(
        "SELECT event FROM events WHERE event_id = 5 OR event_id = 15 OR event_id = 99 EMIT CHANGES;"
    ) == [["e5"], ["e15"]]


def test_case_and_grace_period(docs: Any) -> None:
    """CASE on orderunits; "GRACE PERIOD": the page's TOPK query selects orderzip_code, which is no column
    (the source wins: the analyzer's error); with order_zipcode it gives the top totals per window."""
    h = docs()
    h.sql("CREATE STREAM orders (id INT KEY, orderunits DOUBLE, order_total INT, order_zipcode STRING) WITH ("
          "kafka_topic='orders', partitions=1, format='json');")  # fmt: skip
    for i, units in enumerate([1.5, 3.0, 7.2]):
        h.produce("orders", str(i), {"ORDERUNITS": units, "ORDER_TOTAL": i * 10, "ORDER_ZIPCODE": "z"}, 1000 * i)
    assert h.push("SELECT\n CASE\n   WHEN orderunits < 2.0 THEN 'small'\n   WHEN orderunits < 4.0 THEN 'medium'\n"
                  "   ELSE 'large'\n END AS case_result\nFROM orders\nEMIT CHANGES;") == [["small"], ["medium"], ["large"]]
    query = ("SELECT {}, TOPK(order_total, 5) FROM orders\n  WINDOW TUMBLING (SIZE 1 HOUR, GRACE PERIOD 2 HOURS) \n"
             "  GROUP BY order_zipcode\n  EMIT CHANGES;")  # fmt: skip
    assert _query_error(h, query.format("orderzip_code")) == (
        "Line: 1, Col: 8: SELECT column 'ORDERZIP_CODE' cannot be resolved."
    )
    assert h.push(query.format("order_zipcode")) == [["z", [0]], ["z", [10, 0]], ["z", [20, 10, 0]]]


def test_cast_in_a_windowed_aggregate(docs: Any) -> None:
    """"CAST": CONCAT(CAST(COUNT(*) AS VARCHAR), '_HELLO') per 20-second window (the page's query lacks
    EMIT CHANGES, which a push query needs over the REST API; here it is added)."""
    h = docs()
    h.sql("CREATE STREAM pageviews_enriched (page_id STRING) WITH (kafka_topic='pe', partitions=1, format='json');")
    for i in range(3):
        h.produce("pe", None, {"PAGE_ID": "p1"}, 1000 * i)
    assert h.push("SELECT page_id, CONCAT(CAST(COUNT(*) AS VARCHAR), '_HELLO')\n  FROM pageviews_enriched\n"
                  "  WINDOW TUMBLING (SIZE 20 SECONDS)\n  GROUP BY page_id EMIT CHANGES;") == [
        ["p1", "1_HELLO"], ["p1", "2_HELLO"], ["p1", "3_HELLO"]
    ]  # fmt: skip


def test_like_and_nullif(docs: Any) -> None:
    """LIKE 'santa%' and NULLIF(col1, col2)."""
    h = docs()
    h.sql("CREATE STREAM users (user_id STRING) WITH (kafka_topic='users', partitions=1, format='json');")
    for user in ["santa_claus", "easter_bunny", "santaclara"]:
        h.produce("users", None, {"USER_ID": user}, 1)
    assert h.push("SELECT user_id\n  FROM users\n  WHERE user_id LIKE 'santa%'\n  EMIT CHANGES;") == [
        ["santa_claus"], ["santaclara"]
    ]
    assert h.push("SELECT NULLIF(user_id, 'santaclara') \n    FROM users\n    EMIT CHANGES;") == [
        ["santa_claus"], ["easter_bunny"], [None]
    ]


def test_header_columns(docs: Any) -> None:
    """HEADER('key') and HEADERS columns (the page omits PARTITIONS; the topic exists here)."""
    h = docs()
    h.ensure_topics("s")
    h.sql("CREATE STREAM S (column_name BYTES HEADER('key'))\nWITH (kafka_topic='s', format='json');")
    h.sql("CREATE STREAM S2 (column_name ARRAY<STRUCT<key STRING, value BYTES>> HEADERS)\nWITH (kafka_topic='s', "
          "format='json');")  # fmt: skip
    assert [(c.name, str(c.type)) for c in h.source("S").schema.headers] == [("COLUMN_NAME", "BYTES")]
    assert [(c.name, str(c.type)) for c in h.source("S2").schema.headers] == [
        ("COLUMN_NAME", "ARRAY<STRUCT<`KEY` STRING, `VALUE` BYTES>>")
    ]


def test_alter_stream_and_types(docs: Any) -> None:
    """ALTER STREAM takes comma-separated ADD [COLUMN] options (the page's template has no commas: a syntax
    error); DROP TYPE takes no `AS <type>` (the template's is a syntax error); CREATE TYPE registers."""
    h = docs()
    h.sql("CREATE STREAM users (user_id STRING) WITH (kafka_topic='users', partitions=1, format='json');")
    assert _error(h, "ALTER STREAM users ADD COLUMN age INT ADD COLUMN city STRING;") == "line 1:39: Syntax Error\n"
    assert h.sql("ALTER STREAM users ADD age INT, ADD COLUMN city STRING;")[0]["commandStatus"]["message"] == (
        "Stream USERS altered."
    )
    assert [c.name for c in h.source("USERS").schema.columns] == ["USER_ID", "AGE", "CITY"]
    assert h.sql("CREATE TYPE ADDR AS STRUCT<a INT>;")[0]["commandStatus"]["message"] == (
        "Registered custom type with name 'ADDR' and SQL type STRUCT<`A` INTEGER>"
    )
    assert _error(h, "DROP TYPE IF EXISTS ADDR AS STRUCT<a INT>;") == "line 1:26: Syntax Error\n"
    assert h.sql("DROP TYPE IF EXISTS ADDR;")[0]["commandStatus"]["message"] == "Dropped type 'ADDR'"


def test_emit_final(docs: Any) -> None:
    """EMIT FINAL: a windowed table emits each window once it closes (size plus grace), not every update.
    Kafka Streams looks for closed windows at most once per second of wall-clock time
    (__emit.interval.ms.kstreams.windowed.aggregation__); the test looks at every record."""
    h = docs({"ksql.streams.__emit.interval.ms.kstreams.windowed.aggregation__": "0"})
    h.sql("CREATE STREAM orders (id INT KEY, z STRING) WITH (kafka_topic='orders', partitions=1, format='json');")
    h.sql("CREATE TABLE ft AS SELECT z, COUNT(*) AS c FROM orders WINDOW TUMBLING (SIZE 1 SECOND, GRACE PERIOD 0 "
          "SECONDS) GROUP BY z EMIT FINAL;")  # fmt: skip
    out = h.steps("FT", [(0, "orders", "1", {"Z": "a"}), (500, "orders", "2", {"Z": "a"}),
                         (1500, "orders", "3", {"Z": "a"})], lambda k, v: (k, v))  # fmt: skip
    assert out == {1500: [(('"a"', 0), {"C": 2})]}  # a JSON key: the window's start after it


@pytest.mark.parametrize(
    ("sql", "entity"),
    [("SHOW TYPES;", "type_list"), ("LIST TYPES;", "type_list"), ("LIST ALL TOPICS EXTENDED;", "kafka_topics_extended"),
     ("SHOW PROPERTIES;", "properties"), ("LIST STREAMS EXTENDED;", "source_descriptions"),
     ("SHOW QUERIES EXTENDED;", "query_descriptions"), ("LIST FUNCTIONS;", "function_names"),
     ("SHOW VARIABLES;", "variables"), ("EXPLAIN SELECT * FROM users EMIT CHANGES;", "queryDescription")],
)  # fmt: skip
def test_show_and_list(docs: Any, sql: str, entity: str) -> None:
    """The SHOW | LIST statements and EXPLAIN of a query text answer with their entities."""
    h = docs()
    h.sql("CREATE STREAM users (user_id STRING) WITH (kafka_topic='users', partitions=1, format='json');")
    assert h.sql(sql)[0]["@type"] == entity
