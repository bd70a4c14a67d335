"""ksqlDB 0.29 io.confluent.ksql.integration.UdfIntTest on our engine, for each of its formats (AVRO, JSON,
DELIMITED; the DELIMITED run has its own test over ItemDataProvider, the others skip it, as the Java
`Assume`s do). The sinks are named with quoted identifiers, as in the Java test (`CREATE STREAM "OUTPUT_1"`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest

from ksqlserver.drivers.base import Record

NOW = 1_765_000_000_000
LAST_ORDER_6_TS = NOW + 7  # the producer's clock: NOW + the row's index
STREAMS = {"AVRO": ("avroTopic", "orders_avro"), "JSON": ("jsonTopic", "orders_json"),
           "DELIMITED": ("delimitedTopic", "items_delimited")}  # fmt: skip
RESULT = "OUTPUT_1"
INTERMEDIATE = "INTERMEDIATE_1"
ORDER_FORMATS = pytest.mark.parametrize("fmt", ["AVRO", "JSON"])


@pytest.fixture
def make(harness_factory: Callable[..., Any], data: Any) -> Callable[[str], Any]:
    """UdfIntTest.classSetUp + before (createSourceStream) for one format."""

    def make(fmt: str) -> Any:
        h = harness_factory({"ksql.schema.registry.url": "http://foo:8080"})
        h.ensure_topics(*(t for t, _ in STREAMS.values()))
        for f in ("JSON", "AVRO"):
            clock = itertools.count(NOW)
            h.produce_rows(STREAMS[f][0], data.ORDERS, f, lambda c=clock: next(c))
        h.driver.produce(
            "delimitedTopic", [Record(k.encode(), v[0].encode(), NOW) for k, v in data.ITEMS.rows]
        )
        topic, stream = STREAMS[fmt]
        if fmt == "DELIMITED":
            h.sql(f"CREATE STREAM {stream} (ID varchar KEY, DESCRIPTION varchar) WITH "
                  f"(kafka_topic='{topic}', value_format='{fmt}');")  # fmt: skip
        else:
            h.sql(
                f"CREATE STREAM {stream} ("
                "ORDERID varchar KEY, "
                "ORDERTIME bigint, "
                "ITEMID varchar, "
                "ORDERUNITS double, "
                "TIMESTAMP varchar, "
                "PRICEARRAY array<double>, "
                "KEYVALUEMAP map<varchar, double>) "
                f"WITH (kafka_topic='{topic}', value_format='{fmt}');"
            )
        h.stream = stream
        return h

    return make


def output(h: Any, fmt: str) -> dict[Any, Any]:
    """UdfIntTest.consumeOutputMessages."""
    h.drain()
    assert h.source(RESULT).value_format == fmt
    return h.unique_values(RESULT)


@ORDER_FORMATS
def test_apply_udfs_to_columns(make: Callable[[str], Any], fmt: str) -> None:
    """UdfIntTest.testApplyUdfsToColumns."""
    h = make(fmt)
    h.sql(
        f'CREATE STREAM "{RESULT}" AS SELECT '
        "ORDERID, "
        "ITEMID, "
        "ORDERUNITS*10, "
        "PRICEARRAY[1]+10, "
        "KEYVALUEMAP['key1'] * KEYVALUEMAP['key2']+10, "
        "PRICEARRAY[2] > 1000 "
        f"FROM {h.stream} WHERE ORDERUNITS > 20 AND ITEMID LIKE '%_8';"
    )
    assert output(h, fmt) == {"ORDER_6": ("ITEM_8", 800.0, 1110.0, 12.0, True)}


@ORDER_FORMATS
def test_should_cast_selected_columns(make: Callable[[str], Any], fmt: str) -> None:
    """UdfIntTest.testShouldCastSelectedColumns."""
    h = make(fmt)
    h.sql(
        f'CREATE STREAM "{RESULT}" AS SELECT '
        "ORDERID, "
        "CAST (ORDERUNITS AS INTEGER), "
        "CAST( PRICEARRAY[2]>1000 AS STRING), "
        "CAST (SUBSTRING(ITEMID, 6) AS DOUBLE), "
        "CAST(ORDERUNITS AS VARCHAR) "
        f"FROM {h.stream} WHERE ORDERUNITS > 20 AND ITEMID LIKE '%_8';"
    )
    assert output(h, fmt) == {"ORDER_6": (80, "true", 8.0, "80.0")}


@ORDER_FORMATS
def test_timestamp_column_selection(make: Callable[[str], Any], fmt: str) -> None:
    """UdfIntTest.testTimestampColumnSelection."""
    h = make(fmt)
    h.sql(
        f'CREATE STREAM "{INTERMEDIATE}" AS SELECT '
        "ROWTIME+10000 AS RTIME, ROWTIME+100 AS RT100, ORDERID, ITEMID "
        f"FROM {h.stream} WHERE ORDERUNITS > 20 AND ITEMID = 'ITEM_8';"
        f'CREATE STREAM "{RESULT}" AS SELECT '
        "ROWTIME AS NEWRTIME, RTIME, RT100, ORDERID, ITEMID "
        f'FROM "{INTERMEDIATE}";'
    )
    ts = LAST_ORDER_6_TS
    assert output(h, fmt) == {"ORDER_6": (ts, ts + 10000, ts + 100, "ITEM_8")}


def test_apply_udfs_to_columns_delimited(make: Callable[[str], Any]) -> None:
    """UdfIntTest.testApplyUdfsToColumnsDelimited."""
    h = make("DELIMITED")
    h.sql(f"CREATE STREAM \"{RESULT}\" AS SELECT ID, DESCRIPTION FROM {h.stream} WHERE ID LIKE '%_1';")
    h.drain()
    assert {k: v.decode() for k, v in ((r.key.decode(), r.value) for r in h.records(RESULT))} == {
        "ITEM_1": "home cinema"
    }
