"""Fixtures of the ported Java unit tests: ksqlDB 0.29's MetaStoreFixture.getNewMetaStore (ksqldb-metastore test utils) as DDL: the sources its engine,
planner and analyzer unit tests run against (KAFKA keys, JSON values, one partition per topic)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from ksqlserver.catalog.metastore import DataSource
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError
from ksqlserver.formats.sr.client import MemoryRegistryClient

_TEST1_COLUMNS = (
    "COL0 BIGINT KEY, COL1 STRING, COL2 STRING, COL3 DOUBLE, COL4 ARRAY<DOUBLE>, COL5 MAP<STRING, DOUBLE>, "
    "HEAD ARRAY<STRUCT<KEY STRING, VALUE BYTES>> HEADERS"
)
_TEST2_COLUMNS = "COL0 BIGINT PRIMARY KEY, COL1 STRING, COL2 STRING, COL3 DOUBLE, COL4 BOOLEAN"
_ADDRESS = "STRUCT<NUMBER BIGINT, STREET STRING, CITY STRING, STATE STRING, ZIPCODE BIGINT>"
_ITEMINFO = "STRUCT<ITEMID BIGINT, NAME STRING, CATEGORY STRUCT<ID BIGINT, NAME STRING>>"
_WITH = "KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON'"

FIXTURE = [
    f"CREATE STREAM TEST0 ({_TEST1_COLUMNS}) WITH (KAFKA_TOPIC='test0', {_WITH});",
    f"CREATE STREAM TEST1 ({_TEST1_COLUMNS}) WITH (KAFKA_TOPIC='test1', {_WITH});",
    f"CREATE TABLE TEST2 ({_TEST2_COLUMNS}) WITH (KAFKA_TOPIC='test2', {_WITH});",
    f"CREATE STREAM ORDERS (ORDERTIME BIGINT KEY, ORDERID BIGINT, ITEMID STRING, ITEMINFO {_ITEMINFO}, "
    "ORDERUNITS INTEGER, ARRAYCOL ARRAY<DOUBLE>, MAPCOL MAP<STRING, DOUBLE>, "
    f"ADDRESS {_ADDRESS}, TIMESTAMPCOL TIMESTAMP, TIMECOL TIME, DATECOL DATE, BYTESCOL BYTES) "
    f"WITH (KAFKA_TOPIC='orders_topic', {_WITH});",
    f"CREATE TABLE TEST3 ({_TEST2_COLUMNS}) WITH (KAFKA_TOPIC='test3', {_WITH});",
    f"CREATE STREAM TEST4 ({_TEST1_COLUMNS}) WITH (KAFKA_TOPIC='test4', {_WITH});",
    "CREATE STREAM SENSOR_READINGS (ID BIGINT KEY, SENSOR_NAME STRING, ARR1 ARRAY<BIGINT>, ARR2 ARRAY<STRING>) "
    f"WITH (KAFKA_TOPIC='sensor_readings_topic', {_WITH});",
    "CREATE TABLE TEST5 (A BOOLEAN PRIMARY KEY, B BOOLEAN, C BOOLEAN, D BOOLEAN, E BOOLEAN, F BOOLEAN, "
    # KAFKA keys cannot be BOOLEAN outside the Java fixture, which skips the format check
    "G BOOLEAN) WITH (KAFKA_TOPIC='test5', KEY_FORMAT='JSON', VALUE_FORMAT='JSON');",
]
TOPICS = ("test0", "test1", "test2", "orders_topic", "test3", "test4", "sensor_readings_topic", "test5")


class Ksql:
    """The fixture's engine with the assertions the Java tests make (KsqlEngineTestUtil, AssertEventually)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def execute(self, sql: str, properties: dict[str, str] | None = None) -> list:
        return self.engine.execute(sql, properties)

    def error(self, sql: str) -> KsqlError:
        with pytest.raises(KsqlError) as err:
            self.engine.execute(sql)
        return err.value

    def query_error(self, sql: str) -> KsqlError:
        """A SELECT's error (the /query endpoint's Engine.start_query)."""
        with pytest.raises(KsqlError) as err:
            self.engine.start_query(sql).close()
        return err.value

    def message(self, sql: str) -> str:
        return self.error(sql).message

    def query_ids(self) -> list[str]:
        return list(self.engine.state.persistent)

    def schema(self, name: str) -> str:
        """The source's LogicalSchema as ksqlDB prints it (`K` BIGINT KEY, `V` STRING)."""
        src = self.source(name)
        return src.schema.describe(src.is_table)

    def source(self, name: str) -> DataSource:
        return self.engine.state.metastore.require(name)


@pytest.fixture
def make_ksql() -> Iterator[Callable[..., Ksql]]:
    """A factory: `make_ksql(partitions={"test2": 2}, **properties)`; every engine is closed at teardown.
    `topic_injector=False` runs statements as KsqlEngine alone does, without the REST server's injectors;
    `registry=True` gives the engine an in-memory Schema Registry."""
    engines: list[Engine] = []

    def make(
        partitions: dict[str, int] | None = None,
        topic_injector: bool = True,
        registry: bool = False,
        **properties: str,
    ) -> Ksql:
        d = MemoryDriver()
        for topic in TOPICS:
            d.create_topic(topic, partitions=(partitions or {}).get(topic, 1))
        e = Engine(
            EngineConfig(
                service_id="default_",
                synchronous=True,
                schema_register_injector=False,  # the Java unit tests run no SchemaRegisterInjector
                properties=dict(properties),
                command_topic=False,
                topic_injector=topic_injector,
            ),
            d,
            schema_registry=MemoryRegistryClient() if registry else None,
        )
        engines.append(e)
        for sql in FIXTURE:
            e.execute(sql)
        return Ksql(e)

    yield make
    for e in engines:
        e.close()


@pytest.fixture
def ksql(make_ksql: Callable[..., Ksql]) -> Ksql:
    return make_ksql()
