"""Key and format behaviours found by diffing generated cases against ksqlDB 0.29 built from source (the
development oracle): the key a PARTITION BY computes, the NONE and KAFKA formats' schema checks and the
PartitionBy node's duplicate check. Each test names the ksqlDB class whose behaviour it follows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ..javatypes.conftest import Types


@pytest.fixture(scope="module")
def t() -> Iterator[Types]:
    types = Types(schema_register_injector=True)  # as /ksql and ksqlDB's test harness run statements
    yield types
    types.close()


def _sink_keys(t: Types, key_format: str, partition_by: str) -> list[bytes | None]:
    t.n += 1
    n = t.n
    t.topic(f"pk{n}")
    t.run(f"CREATE STREAM PK{n} (ID INT KEY, A INT, C STRING) WITH (KAFKA_TOPIC='pk{n}', VALUE_FORMAT='JSON');")
    t.run(
        f"CREATE STREAM PKO{n} WITH (KEY_FORMAT='{key_format}') AS SELECT * FROM PK{n} PARTITION BY {partition_by};"
    )
    t.produce(f"pk{n}", {"A": None, "C": None}, b"\x00\x00\x00\x01")
    t.produce(f"pk{n}", {"A": 2, "C": "x"}, b"\x00\x00\x00\x02")
    t.engine.drain()
    return [r.key for r in t.driver.records(f"PKO{n}")]


@pytest.mark.parametrize(
    ("key_format", "partition_by", "keys"),
    [
        ("DELIMITED", "A", [b"", b"2"]),
        ("DELIMITED", "A, C", [b",", b"2,x"]),
        ("JSON", "A", [None, b"2"]),
        ("JSON", "A, C", [b'{"A":null,"C":null}', b'{"A":2,"C":"x"}']),
        ("KAFKA", "A", [None, b"\x00\x00\x00\x02"]),
    ],
)
def test_partition_by_null_key_is_serialized_by_the_format(
    t: Types, key_format: str, partition_by: str, keys: list[Any]
) -> None:
    """PartitionByParamsFactory builds a GenericKey even when the expression is null; KsqlDelimitedSerializer
    writes a GenericKey of one null column as an empty line, while the KAFKA and JSON serializers write
    null for it (real ksqlDB 0.29: `PARTITION BY A` with KEY_FORMAT='DELIMITED' writes key "" for A null)."""
    assert _sink_keys(t, key_format, partition_by) == keys


def test_none_value_format_refuses_columns(t: Types) -> None:
    """NoneFormat.getSerde: 'can only be used when no columns are defined', worded by GenericSerdeFactory as a
    value schema the format does not support."""
    t.topic("nv")
    assert t.error("CREATE STREAM NV (K STRING KEY, V INT) WITH (KAFKA_TOPIC='nv', VALUE_FORMAT='NONE');") == (
        "Value format does not support schema.\nformat: NONE\nschema: Persistence{columns=[`V` INTEGER], "
        "features=[]}\nreason: The 'NONE' format can only be used when no columns are defined. Got: [`V` INTEGER]"
    )


@pytest.mark.parametrize("wrap", ["true", "false"])
def test_none_value_format_has_no_wrapping(t: Types, wrap: str) -> None:
    """SerdeFeaturesFactory.validateExplicitValueWrapping: NoneFormat supports no feature, so either explicit
    WRAP_SINGLE_VALUE is refused before the serde is built."""
    t.topic("nw")
    msg = t.error(
        f"CREATE STREAM NW (K STRING KEY, V INT) WITH (KAFKA_TOPIC='nw', VALUE_FORMAT='NONE', WRAP_SINGLE_VALUE={wrap});"
    )
    assert msg == f"Format 'NONE' does not support 'WRAP_SINGLE_VALUE' set to '{wrap}'."


def test_kafka_key_counts_columns_before_types(t: Types) -> None:
    """KafkaSerdeFactory.createSerde: more than one column is refused before any column's type is looked at
    (a BOOLEAN among them does not change the reason)."""
    t.topic("kk")
    t.run("CREATE STREAM KK (ID INT KEY, E BOOLEAN, D DOUBLE) WITH (KAFKA_TOPIC='kk', VALUE_FORMAT='JSON');")
    assert t.error("CREATE STREAM KKO AS SELECT * FROM KK PARTITION BY E, D;") == (
        "Key format does not support schema.\nformat: KAFKA\nschema: Persistence{columns=[`E` BOOLEAN KEY, "
        "`D` DOUBLE KEY], features=[]}\nreason: The 'KAFKA' format only supports a single field. "
        "Got: [`E` BOOLEAN KEY, `D` DOUBLE KEY]"
    )


@pytest.mark.parametrize(("partition_by", "shown"), [("ID, ID", "ID"), ("ABS(A), ABS(A)", "ABS(A)")])
def test_duplicate_partition_by(t: Types, partition_by: str, shown: str) -> None:
    """PartitionBy's constructor: 'Duplicate PARTITION BY expression: <Expression.toString>', as the
    statement is prepared."""
    t.topic("dp")
    t.run("CREATE STREAM IF NOT EXISTS DP (ID INT KEY, A INT) WITH (KAFKA_TOPIC='dp', VALUE_FORMAT='JSON');")
    msg = t.error(f"CREATE STREAM DPO AS SELECT * FROM DP PARTITION BY {partition_by};")
    assert msg == f"Failed to prepare statement: Duplicate PARTITION BY expression: {shown}"


@pytest.mark.parametrize("key_format", ["KAFKA", "JSON"])
def test_kafka_valued_table_source_cannot_be_materialized(t: Types, key_format: str) -> None:
    """SourceBuilder.buildTableMaterialized: a table source is materialized with its value columns plus
    ROWPARTITION and ROWOFFSET (LogicalSchema.withPseudoColumnsToMaterialize), which the KAFKA value format
    cannot hold; real ksqlDB 0.29 refuses `CREATE TABLE .. AS SELECT * FROM <KAFKA-valued table>` as the
    topology is built (no 'Could not determine output schema' prefix: planning succeeded)."""
    n = key_format.lower()
    t.topic(f"kv{n}")
    t.run(
        f"CREATE TABLE KV{n} (K INT PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='kv{n}', KEY_FORMAT='{key_format}', "
        "VALUE_FORMAT='KAFKA');"
    )
    assert t.error(f"CREATE TABLE KVO{n} AS SELECT * FROM KV{n};") == (
        "Value format does not support schema.\nformat: KAFKA\nschema: Persistence{columns=[`V` INTEGER, "
        "`ROWPARTITION` INTEGER, `ROWOFFSET` BIGINT], features=[]}\nreason: The 'KAFKA' format only supports a "
        "single field. Got: [`V` INTEGER, `ROWPARTITION` INTEGER, `ROWOFFSET` BIGINT]"
    )


def test_sink_format_errors_are_planning_errors(t: Types) -> None:
    """SchemaRegisterInjector.registerForCreateAs plans the statement in a sandbox, where CreateSourceFactory
    builds the sink's serde features: its errors read 'Could not determine output schema for query due to
    error: ...' in the detailed message (what ksqlDB's test harness matches)."""
    from ksqlserver.errors import KsqlError

    t.topic("sf")
    t.run("CREATE STREAM IF NOT EXISTS SF (K STRING KEY, V INT, W INT) WITH (KAFKA_TOPIC='sf', VALUE_FORMAT='JSON');")
    with pytest.raises(KsqlError) as info:
        t.engine.execute("CREATE STREAM SFO WITH (WRAP_SINGLE_VALUE=false) AS SELECT * FROM SF;")
    assert info.value.unlogged_message.startswith(
        "Could not determine output schema for query due to error: "
        "'WRAP_SINGLE_VALUE' is only valid for single-field value schemas\nStatement: "
    )
