"""ksqlDB 0.29's engine integration tests (ksqldb-engine/src/test/java/io/confluent/ksql/integration) on our
engine over the in-memory driver: a harness with what `IntegrationTestHarness` and `TestKsqlContext` give
the Java tests, and the data of ksqlDB's test data providers (io.confluent.ksql.util.*DataProvider).

`KsqlConfigTestUtil.BASE_CONFIG` runs every query with commit.interval.ms 0, cache.max.bytes.buffering 0
and auto.offset.reset earliest; so does this harness. Records are produced as the Java harness serialises
them: KAFKA STRING keys as UTF-8, JSON values as an object of upper-case field names, AVRO values framed
with the id of a `KsqlDataSourceSchema` record registered under `<topic>-value`. Outputs are decoded
independently of the engine's serdes (json, fastavro, the windowed key layouts of Kafka Streams'
TimeWindowedSerializer / SessionKeySchema)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import fastavro
import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.formats.sr import wire
from ksqlserver.formats.sr.client import AVRO, MemoryRegistryClient, RegisteredSchema

Row = tuple[Any, ...]
# (column name, Avro type of the value) in the provider's value-schema order
Columns = Sequence[tuple[str, Any]]

OPT_DOUBLE = ["null", "double"]


class Provider:
    """A TestDataProvider: key column, value columns and the (key, values) rows in production order."""

    def __init__(self, key: str, columns: Columns, rows: Sequence[tuple[str, Row]]) -> None:
        self.key = key
        self.columns = list(columns)
        self.rows = list(rows)

    def final_data(self) -> dict[str, Row]:
        """TestDataProvider.finalData: the last row of each key."""
        return {k: v for k, v in self.rows}


MAP_FIELD = {"key1": 1.0, "key2": 2.0, "key3": 3.0}
ORDERS = Provider(
    "ORDERID",
    [
        ("ORDERTIME", ["null", "long"]),
        ("ITEMID", ["null", "string"]),
        ("ORDERUNITS", OPT_DOUBLE),
        ("TIMESTAMP", ["null", "string"]),
        ("PRICEARRAY", ["null", {"type": "array", "items": OPT_DOUBLE}]),
        ("KEYVALUEMAP", ["null", {"type": "map", "values": OPT_DOUBLE}]),
    ],
    [
        ("ORDER_1", (1, "ITEM_1", 10.0, "2018-01-01", [100.0, 110.99, 90.0], MAP_FIELD)),
        ("ORDER_2", (2, "ITEM_2", 20.0, "2018-01-02", [10.0, 10.99, 9.0], MAP_FIELD)),
        ("ORDER_3", (3, "ITEM_3", 30.0, "2018-01-03", [10.0, 10.99, 91.0], MAP_FIELD)),
        ("ORDER_4", (4, "ITEM_4", 40.0, "2018-01-04", [10.0, 140.99, 94.0], MAP_FIELD)),
        ("ORDER_5", (5, "ITEM_5", 50.0, "2018-01-05", [160.0, 160.99, 98.0], MAP_FIELD)),
        ("ORDER_6", (6, "ITEM_6", 60.0, "2018-01-06", [1000.0, 1100.99, 900.0], MAP_FIELD)),
        ("ORDER_6", (7, "ITEM_7", 70.0, "2018-01-07", [1100.0, 1110.99, 190.0], MAP_FIELD)),
        ("ORDER_6", (8, "ITEM_8", 80.0, "2018-01-08", [1100.0, 1110.99, 970.0], MAP_FIELD)),
    ],
)
ITEMS = Provider(
    "ID",
    [("DESCRIPTION", ["null", "string"])],
    [
        ("ITEM_1", ("home cinema",)),
        ("ITEM_2", ("clock radio",)),
        ("ITEM_3", ("road bike",)),
        ("ITEM_4", ("mountain bike",)),
        ("ITEM_5", ("snowboard",)),
        ("ITEM_6", ("iphone 10",)),
        ("ITEM_7", ("gopro",)),
        ("ITEM_8", ("cat",)),
    ],
)
USERS = Provider(
    "USERID",
    [("REGISTERTIME", ["null", "long"]), ("GENDER", ["null", "string"]), ("REGIONID", ["null", "string"])],
    [
        ("USER_0", (0, "FEMALE", "REGION_0")),
        ("USER_1", (1, "MALE", "REGION_1")),
        ("USER_2", (2, "FEMALE", "REGION_1")),
        ("USER_3", (3, "MALE", "REGION_0")),
        ("USER_4", (4, "MALE", "REGION_4")),
    ],
)
PAGE_VIEWS = Provider(
    "PAGEID",
    [("USERID", ["null", "string"]), ("VIEWTIME", ["null", "long"])],
    [
        ("PAGE_1", ("USER_1", 1)),
        ("PAGE_2", ("USER_2", 2)),
        ("PAGE_3", ("USER_4", 3)),
        ("PAGE_4", ("USER_3", 4)),
        ("PAGE_5", ("USER_0", 5)),
        ("PAGE_5", ("USER_2", 6)),
        ("PAGE_5", ("USER_3", 7)),
    ],
)

ITEM_INFO = "STRUCT<ITEMID BIGINT, NAME STRING, CATEGORY STRUCT<ID BIGINT, NAME STRING>>"
ADDRESS = "STRUCT<NUMBER BIGINT, STREET STRING, CITY STRING, STATE STRING, ZIPCODE BIGINT>"
# io.confluent.ksql.util.MetaStoreFixture's sources, as DDL (KAFKA keys)
METASTORE_FIXTURE = [
    ("test1", "CREATE STREAM TEST1 (COL0 BIGINT KEY, COL1 STRING, COL2 STRING, COL3 DOUBLE, "
              "COL4 ARRAY<DOUBLE>, COL5 MAP<STRING, DOUBLE>, HEAD ARRAY<STRUCT<KEY STRING, VALUE BYTES>> HEADERS)"),
    ("test2", "CREATE TABLE TEST2 (COL0 BIGINT PRIMARY KEY, COL1 STRING, COL2 STRING, COL3 DOUBLE, "
              "COL4 BOOLEAN)"),
    ("orders_topic", f"CREATE STREAM ORDERS (ORDERTIME BIGINT KEY, ORDERID BIGINT, ITEMID STRING, "
                     f"ITEMINFO {ITEM_INFO}, ORDERUNITS INTEGER, ARRAYCOL ARRAY<DOUBLE>, "
                     f"MAPCOL MAP<STRING, DOUBLE>, ADDRESS {ADDRESS}, TIMESTAMPCOL TIMESTAMP, TIMECOL TIME, "
                     "DATECOL DATE, BYTESCOL BYTES)"),
]  # fmt: skip


AVRO_NAME = "io.confluent.ksql.avro_schemas.KsqlDataSourceSchema"


def avro_schema(columns: Columns) -> dict[str, Any]:
    return {"type": "record", "name": "KsqlDataSourceSchema", "namespace": "io.confluent.ksql.avro_schemas",
            "fields": [{"name": n, "type": t, "default": None} for n, t in columns]}  # fmt: skip


def _connect_maps(value: Any) -> Any:
    """Connect's AvroData writes a map with optional (ksqlDB's) string keys as an array of MapEntry
    {key, value} records and reads it back as a map: so does this reader."""
    if isinstance(value, dict):
        return {k: _connect_maps(v) for k, v in value.items()}
    if isinstance(value, list):
        if value and all(isinstance(e, dict) and set(e) == {"key", "value"} for e in value):
            return {e["key"]: _connect_maps(e["value"]) for e in value}
        return [_connect_maps(e) for e in value]
    return value


class Harness:
    """IntegrationTestHarness + TestKsqlContext over one MemoryDriver, a synchronous Engine and an in-memory
    Schema Registry: `sql` runs statements (the queries they start run at the next `drain`)."""

    def __init__(self, props: dict[str, str] | None = None, **config: Any) -> None:
        self.driver = MemoryDriver(key_partitioning=True)
        self.registry = MemoryRegistryClient()
        properties = {
            "ksql.streams.auto.offset.reset": "earliest",
            "ksql.streams.cache.max.bytes.buffering": "0",
            "ksql.streams.commit.interval.ms": "0",
            **(props or {}),
        }
        settings = {"service_id": "jint_", "processing_log": False, "command_topic": False, **config}
        self.engine = Engine(EngineConfig(synchronous=True, properties=properties, **settings),
                             self.driver, self.registry)  # fmt: skip

    def close(self) -> None:
        self.engine.close()

    def sql(self, text: str) -> list[dict[str, Any]]:
        return self.engine.execute(text)

    def metastore_fixture(self, value_format: str = "JSON") -> None:
        """MetaStoreFixture.getNewMetaStore: TEST1 (stream), TEST2 (table) and ORDERS (stream)."""
        for topic, ddl in METASTORE_FIXTURE:
            self.ensure_topics(topic)
            self.sql(f"{ddl} WITH (KAFKA_TOPIC='{topic}', KEY_FORMAT='KAFKA', VALUE_FORMAT='{value_format}');")

    def ensure_topics(self, *names: str, partitions: int = 1) -> None:
        for name in names:
            if name not in self.driver.topics():
                self.driver.create_topic(name, partitions=partitions)

    def topics(self) -> set[str]:
        return set(self.driver.topics())

    def produce_rows(
        self, topic: str, provider: Provider, value_format: str, ts: int | Callable[[], int]
    ) -> None:
        """IntegrationTestHarness.produceRows with a KAFKA (or DELIMITED: the same bytes) STRING key."""
        stamp: Callable[[], int] = ts if callable(ts) else (lambda: ts)  # type: ignore[assignment, return-value]
        encode = self._value_encoder(topic, provider, value_format.upper())
        self.driver.produce(topic, [Record(k.encode(), encode(v), stamp()) for k, v in provider.rows])

    def produce(self, topic: str, key: str | None, value: Any, ts: int) -> None:
        """One JSON value (None: a tombstone) under a STRING key."""
        data = None if value is None else json.dumps(value).encode()
        self.driver.produce(topic, [Record(None if key is None else key.encode(), data, ts)])

    def _value_encoder(self, topic: str, provider: Provider, fmt: str) -> Callable[[Row], bytes]:
        names = [n for n, _ in provider.columns]
        if fmt == "JSON":
            return lambda row: json.dumps(dict(zip(names, row, strict=True))).encode()
        if fmt == "AVRO":
            schema = avro_schema(provider.columns)
            parsed = fastavro.parse_schema(schema)
            schema_id = self.registry.register(f"{topic}-value", RegisteredSchema(AVRO, json.dumps(schema)))

            def encode(row: Row) -> bytes:
                out = io.BytesIO()
                fastavro.schemaless_writer(out, parsed, dict(zip(names, row, strict=True)))
                return wire.frame(schema_id, out.getvalue())

            return encode
        raise ValueError(fmt)

    def drain(self) -> None:
        self.engine.drain()

    def push(self, sql: str) -> list[list[Any]]:
        """A transient query's rows once every query has drained (its queue then holds all it will)."""
        q = self.engine.start_query(sql)
        try:
            self.drain()
            return q.poll(0.1)
        finally:
            q.close()

    def source(self, name: str) -> Any:
        return self.engine.state.metastore.get(name)

    def records(self, topic: str) -> list[Record]:
        return self.driver.records(topic)

    def decode_value(self, fmt: str, data: bytes | None) -> Any:
        if data is None:
            return None
        if fmt == "JSON":
            return json.loads(data)
        if fmt == "AVRO":
            schema_id, payload = wire.split(data)
            schema = fastavro.parse_schema(json.loads(self.registry.schema_by_id(schema_id).schema))
            return _connect_maps(fastavro.schemaless_reader(io.BytesIO(bytes(payload)), schema))
        if fmt == "KAFKA":
            return data.decode()
        raise ValueError(fmt)

    def rows(self, name: str) -> Iterator[tuple[Any, Any, int]]:
        """The sink `name`'s records as (key, value, timestamp): a STRING key, or for a windowed source
        (key, start) as TimeWindowedDeserializer / (key, start, end) as SessionWindowedDeserializer read
        them."""
        src = self.source(name)
        for r in self.records(src.topic):
            yield self._key(src, r.key), self.decode_value(src.value_format, r.value), r.timestamp

    def _key(self, src: Any, data: bytes | None) -> Any:
        if data is None:
            return None
        if src.window is None:
            return data.decode()
        if src.window.kind == "SESSION":
            # SessionKeySchema: key, end, start
            end = int.from_bytes(data[-16:-8], "big", signed=True)
            start = int.from_bytes(data[-8:], "big", signed=True)
            return data[:-16].decode(), start, end
        # TimeWindowedSerializer: key, start (the Java tests read it without a size: end Long.MAX_VALUE)
        return data[:-8].decode(), int.from_bytes(data[-8:], "big", signed=True)

    def unique_rows(self, name: str) -> dict[Any, Any]:
        """IntegrationTestHarness.verifyAvailableUniqueRows: the latest value of each key."""
        return {k: v for k, v, _ in self.rows(name)}

    def unique_values(self, name: str) -> dict[Any, Row | None]:
        """verifyAvailableUniqueRows through the PhysicalSchema of the source as it is now: each latest value
        as the tuple of the source's value columns (a field the record lacks reads as null)."""
        columns = [c.name for c in self.source(name).schema.value_only]
        return {
            k: None if v is None else tuple(v.get(c) for c in columns)
            for k, v in self.unique_rows(name).items()
        }


@pytest.fixture(params=[True, False], ids=["fast", "generic"])
def harness_factory(request: pytest.FixtureRequest) -> Iterator[Callable[..., Harness]]:
    """Harnesses over the generated fast loops where a query qualifies, and over the generic operators alone
    (EngineConfig.fast_paths): every Java test runs on both."""
    made: list[Harness] = []

    def make(props: dict[str, str] | None = None, **config: Any) -> Harness:
        h = Harness(props, **{"fast_paths": request.param, **config})
        made.append(h)
        return h

    yield make
    for h in made:
        h.close()


@pytest.fixture
def data() -> Any:
    """The providers, by their Java names."""

    class Data:
        Provider = Provider
        ORDERS = ORDERS
        ITEMS = ITEMS
        USERS = USERS
        PAGE_VIEWS = PAGE_VIEWS

    return Data
