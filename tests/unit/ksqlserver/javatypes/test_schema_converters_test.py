"""ksqlDB 0.29's SchemaConvertersTest (ksqldb-common, io.confluent.ksql.schema.ksql): SQL types to Connect
schemas and back, for every SqlBaseType and nested complex types. Observable as a round trip through the
Schema Registry: CREATE with AVRO columns registers the Connect schema's Avro form (SqlToConnectTypeConverter),
a CREATE without value columns reads it back (ConnectToSqlTypeConverter, after ConnectKsqlSchemaTranslator,
which upper-cases STRUCT field names). The Java-class and ParamType converters concern UDF signatures only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.formats.sr.client import MemoryRegistryClient

COLUMNS = (
    "K STRING KEY, B BOOLEAN, I INT, L BIGINT, D DOUBLE, S STRING, TI TIME, DA DATE, TS TIMESTAMP, BB BYTES, "
    "A ARRAY<INT>, DE DECIMAL(2, 1), M MAP<STRING, INT>, ST STRUCT<F0 INT>, "
    "N STRUCT<`ARRAY` ARRAY<STRUCT<F0 INT>>, `MAP` MAP<STRING, STRUCT<F0 INT>>, `STRUCT` STRUCT<F0 INT>>"
)


@pytest.fixture
def sr() -> Iterator[Engine]:
    driver = MemoryDriver()
    driver.create_topic("a", partitions=1)
    engine = Engine(EngineConfig(service_id="sc_", synchronous=True), driver, MemoryRegistryClient())
    yield engine
    engine.close()


def _schema(engine: Engine, name: str) -> str:
    source = engine.state.metastore.require(name)
    return source.schema.describe()


def test_round_trip_every_sql_type(sr: Engine) -> None:
    """SchemaConvertersTest.shouldGetLogicalForEverySqlType / shouldGetSqlTypeForEveryLogicalType /
    shouldConvertNestedComplexToSql / shouldConvertNestedComplexFromSql (Avro keys MAPs by STRING only)."""
    sr.execute(f"CREATE STREAM A ({COLUMNS}) WITH (KAFKA_TOPIC='a', VALUE_FORMAT='AVRO');")
    sr.execute("CREATE STREAM A2 (K STRING KEY) WITH (KAFKA_TOPIC='a', VALUE_FORMAT='AVRO');")
    assert _schema(sr, "A2") == _schema(sr, "A") == (
        "`K` STRING KEY, `B` BOOLEAN, `I` INTEGER, `L` BIGINT, `D` DOUBLE, `S` STRING, `TI` TIME, `DA` DATE, "
        "`TS` TIMESTAMP, `BB` BYTES, `A` ARRAY<INTEGER>, `DE` DECIMAL(2, 1), `M` MAP<STRING, INTEGER>, "
        "`ST` STRUCT<`F0` INTEGER>, `N` STRUCT<`ARRAY` ARRAY<STRUCT<`F0` INTEGER>>, "
        "`MAP` MAP<STRING, STRUCT<`F0` INTEGER>>, `STRUCT` STRUCT<`F0` INTEGER>>"
    )


def test_lower_case_struct_fields_come_back_upper_case(sr: Engine) -> None:
    """ConnectKsqlSchemaTranslator upper-cases the STRUCT field names of an inferred schema."""
    sr.execute("CREATE STREAM A (K STRING KEY, ST STRUCT<`f0` INT>) WITH (KAFKA_TOPIC='a', VALUE_FORMAT='AVRO');")
    sr.execute("CREATE STREAM A2 (K STRING KEY) WITH (KAFKA_TOPIC='a', VALUE_FORMAT='AVRO');")
    assert _schema(sr, "A2") == "`K` STRING KEY, `ST` STRUCT<`F0` INTEGER>"
