"""Port of ksqlDB 0.29 `io.confluent.ksql.parser.tree.TableElementTest` through DESCRIBE: an element's name, type
and constraint (none, KEY, PRIMARY KEY, HEADERS, HEADER('k1')) as the source's fields show them
(shouldReturnName, shouldReturnType, shouldReturnEmptyConstraints, shouldReturnPrimaryKey,
shouldReturnKeyConstraint, shouldReturnHeadersConstraint, shouldReturnSingleHeaderKeyConstraint). equals /
hashCode are Java object behaviour."""

from __future__ import annotations

from typing import Any


def _fields(ksql: Any, name: str) -> dict[str, dict[str, Any]]:
    [described] = ksql.run(f"DESCRIBE {name};")
    return {f["name"]: f for f in described["sourceDescription"]["fields"]}


def test_stream_elements(ksql: Any) -> None:
    ksql.run(
        "CREATE STREAM S (name STRING KEY, A STRING, H ARRAY<STRUCT<KEY STRING, VALUE BYTES>> HEADERS) "
        "WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');"
    )
    fields = _fields(ksql, "S")
    assert list(fields) == ["NAME", "A", "H"]  # unquoted names are upper-cased
    assert fields["NAME"]["type"] == "KEY" and fields["NAME"]["schema"]["type"] == "STRING"
    assert "type" not in fields["A"] and fields["A"]["schema"]["type"] == "STRING"  # no constraint
    assert fields["H"]["type"] == "HEADER" and "headerKey" not in fields["H"]


def test_table_elements(ksql: Any) -> None:
    ksql.run(
        "CREATE TABLE T (name STRING PRIMARY KEY, A INT, H BYTES HEADER('k1')) "
        "WITH (KAFKA_TOPIC='t', PARTITIONS=1, VALUE_FORMAT='JSON');"
    )
    fields = _fields(ksql, "T")
    assert fields["NAME"]["type"] == "KEY"  # PRIMARY KEY
    assert fields["A"]["schema"]["type"] == "INTEGER"
    assert fields["H"]["type"] == "HEADER" and fields["H"]["headerKey"] == "k1"
