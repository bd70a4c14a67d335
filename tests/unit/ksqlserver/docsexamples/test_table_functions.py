"""docs/developer-guide/ksqldb-reference/table-functions.md: the EXPLODE example, the two table functions
"zipped" together, and CUBE_EXPLODE's output records."""

from __future__ import annotations

import json
from typing import Any

from ksqlserver.drivers.base import Record

from .conftest import Docs


def _values(h: Docs, name: str) -> list[tuple[Any, Any]]:
    return [(None if r.key is None else r.key.decode(), json.loads(r.value)) for r in h.records(name)]


def test_explode(docs: Any) -> None:
    """EXPLODE: one row per element, the scalar column copied to each."""
    h = docs()
    h.ensure_topics("readings")
    h.sql("CREATE STREAM batched_readings (sensor_id INT, readings ARRAY<INT>) "
          "WITH (kafka_topic='readings', value_format='JSON');")  # fmt: skip
    h.sql("CREATE STREAM exploded_stream AS SELECT sensor_id, EXPLODE(readings) AS reading FROM batched_readings;")
    h.produce("readings", None, {"SENSOR_ID": 12345, "READINGS": [23, 56, 3, 76, 75]}, 1)
    h.produce("readings", None, {"SENSOR_ID": 54321, "READINGS": [12, 65, 38]}, 2)
    h.drain()
    got = [(v["SENSOR_ID"], v["READING"]) for _, v in _values(h, "EXPLODED_STREAM")]
    assert got == [(12345, r) for r in (23, 56, 3, 76, 75)] + [(54321, r) for r in (12, 65, 38)]


def test_multiple_table_functions_are_zipped(docs: Any) -> None:
    """"the results of the table functions are zipped together ... the missing values are replaced with
    null"."""
    h = docs()
    h.ensure_topics("batches")
    h.sql("CREATE STREAM country_batches (country STRING, customer_names ARRAY<STRING>, "
          "customer_ages ARRAY<INT>) WITH (kafka_topic='batches', value_format='JSON');")  # fmt: skip
    h.sql("CREATE STREAM country_customers AS SELECT country, EXPLODE(customer_names) AS name, "
          "EXPLODE(customer_ages) AS age FROM country_batches;")  # fmt: skip
    h.produce("batches", None, {"COUNTRY": "UK", "CUSTOMER_NAMES": ["john", "paul", "george", "ringo"],
                                "CUSTOMER_AGES": [23, 56, 3]}, 1)  # fmt: skip
    h.produce("batches", None, {"COUNTRY": "USA", "CUSTOMER_NAMES": ["chad", "chip", "brad"],
                                "CUSTOMER_AGES": [56, 34, 76, 84, 56]}, 2)  # fmt: skip
    h.drain()
    assert [(v["COUNTRY"], v["NAME"], v["AGE"]) for _, v in _values(h, "COUNTRY_CUSTOMERS")] == [
        ("UK", "john", 23), ("UK", "paul", 56), ("UK", "george", 3), ("UK", "ringo", None),
        ("USA", "chad", 56), ("USA", "chip", 34), ("USA", "brad", 76), ("USA", None, 84), ("USA", None, 56),
    ]  # fmt: skip


def test_cube_explode(docs: Any) -> None:
    """CUBE_EXPLODE: 2^d combinations, the duplicates a null column would give skipped. The page shows the
    output records with the input keys "0" and "1"; but TEST declares no key column, so ksqlDB reads no key
    and the sink's records have none (a KAFKA key of no columns serialises as null): the source wins."""
    h = docs()
    h.ensure_topics("test_topic")
    h.sql("CREATE STREAM TEST (col1 INT, col2 INT) WITH (kafka_topic='test_topic', value_format='JSON');")
    h.sql("CREATE STREAM OUTPUT AS SELECT cube_explode(array[col1, col2]) VAL FROM TEST;")
    h.driver.produce("test_topic", [Record(b"0", b'{"col1": 1, "col2": 2}', 1),
                                    Record(b"1", b'{"col1": 1, "col2": null}', 2)])  # fmt: skip
    h.drain()
    assert _values(h, "OUTPUT") == [
        (None, {"VAL": [None, None]}), (None, {"VAL": [None, 2]}), (None, {"VAL": [1, None]}),
        (None, {"VAL": [1, 2]}), (None, {"VAL": [None, None]}), (None, {"VAL": [1, None]}),
    ]  # fmt: skip
