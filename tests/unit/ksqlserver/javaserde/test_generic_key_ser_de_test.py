"""ksqlDB's GenericKeySerDeTest (io.confluent.ksql.serde): the assertions observable through SQL, i.e.
GenericKeySerDe refusing a MAP key column, or a key type holding a MAP, with its exact text, and accepting
no or several key columns. (The other cases check Java wiring: logging and tracking serde wrappers.)
Declared key columns here; GROUP BY keys are in tests/unit/ksqlserver/plan/test_complex_group_keys.py."""

from __future__ import annotations

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError


@pytest.fixture
def engine() -> Engine:
    return Engine(EngineConfig(service_id="k_", synchronous=True), MemoryDriver())


@pytest.mark.parametrize(("column_type", "shown"), [
    ("MAP<STRING, STRING>", "MAP<STRING, STRING>"),  # shouldThrowOnMapKeyColumn
    ("STRUCT<F MAP<STRING, STRING>>", "STRUCT<`F` MAP<STRING, STRING>>"),  # shouldThrowOnNestedMapKeyColumn
])
def test_should_throw_on_map_key_column(engine: Engine, column_type: str, shown: str) -> None:
    with pytest.raises(KsqlError) as err:
        engine.execute(f"CREATE STREAM S (`foo` {column_type} KEY, V INT) "
                       "WITH (KAFKA_TOPIC='s', KEY_FORMAT='JSON', VALUE_FORMAT='JSON', PARTITIONS=1);")
    assert (
        "Map keys, including types that contain maps, are not supported as they may lead to unexpected "
        f"behavior due to inconsistent serialization. Key column name: `foo`. Column type: {shown}. "
        "See https://github.com/confluentinc/ksql/issues/6621 for more."
    ) in str(err.value)


def test_should_not_throw_on_no_or_multiple_key_columns(engine: Engine) -> None:
    """shouldNotThrowOnNoKeyColumns, shouldNotThrowOnMultipleKeyColumns."""
    engine.execute("CREATE STREAM A (V INT) WITH (KAFKA_TOPIC='a', VALUE_FORMAT='JSON', PARTITIONS=1);")
    engine.execute("CREATE STREAM B (K1 INT KEY, K2 STRING KEY, V INT) "
                   "WITH (KAFKA_TOPIC='b', FORMAT='JSON', PARTITIONS=1);")
