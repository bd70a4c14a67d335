"""Join behaviour that ksqlDB 0.29's planner and runtime define beyond the common cases: windowed sources
and key-format repartitions, n-way table joins, timestamps. Each test names the ksqlDB source it follows."""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError
from ksqlserver.formats.sr.client import MemoryRegistryClient

WINDOWED_SR = "Implicit repartitioning of windowed sources is not supported. See https://github.com/confluentinc/ksql/issues/4385."
TOPICS = ("a", "b", "c", "d", "t1", "t2", "t3")


@pytest.fixture
def env() -> Iterator[tuple[Engine, MemoryDriver]]:
    d = MemoryDriver()
    for topic in TOPICS:
        d.create_topic(topic, partitions=1)
    e = Engine(
        EngineConfig(service_id="jf_", synchronous=True, properties={"ksql.streams.auto.offset.reset": "earliest"}), d
    )
    yield e, d
    e.close()


WRAPPED = "Could not determine output schema for query due to error: "


def _error(engine: Engine, sql: str) -> str:
    """The planning error of a refused persistent query. A CREATE ... AS SELECT is planned in
    SchemaRegisterInjector's sandbox, and the REST message is its wrapper's raw unlogged details: the prefix
    (asserted here), then the planning error's detailed message (returned). No injector plans an INSERT
    INTO: its message is the planning error's."""
    with pytest.raises(KsqlError) as err:
        engine.execute(sql)
    msg = err.value.message
    if sql.startswith("CREATE"):
        assert msg.startswith(WRAPPED), msg
        return msg[len(WRAPPED) :]
    assert not msg.startswith(WRAPPED), msg
    return msg


def _put(d: MemoryDriver, topic: str, key: int, value: dict[str, object] | None, ts: int, window: int | None = None) -> None:
    kb = struct.pack(">i", key) + (b"" if window is None else struct.pack(">q", window))
    d.produce(topic, [Record(kb, None if value is None else json.dumps(value).encode(), ts, 0)])


def _out(d: MemoryDriver, topic: str) -> list[tuple[int, dict[str, object] | None, int]]:
    return [
        (struct.unpack(">i", r.key[:4])[0], None if r.value is None else json.loads(r.value), r.timestamp)
        for r in d.records(topic)
    ]


def _windowed(engine: Engine, key_format: str, kinds: tuple[str, str], tables: bool = False) -> None:
    kind = "TABLE" if tables else "STREAM"
    key = "PRIMARY KEY" if tables else "KEY"
    for name, topic, (wtype, size) in zip(("S1", "S2"), ("a", "b"), (kinds[0].split(":"), kinds[1].split(":")), strict=True):
        engine.execute(
            f"CREATE {kind} {name} (ID INT {key}, V BIGINT) WITH (kafka_topic='{topic}', key_format='{key_format}', "
            f"value_format='JSON', WINDOW_TYPE='{wtype}', WINDOW_SIZE='{size} SECONDS');"
        )


# SchemaKStream.selectKey: a forced repartition (SR key formats, PreJoinRepartitionNode) of a windowed stream
# is allowed when the key does not change; with KAFKA keys, a key-format change (other window) is refused
def test_windowed_streams_of_other_windows_with_kafka_keys_are_refused(
    env: tuple[Engine, MemoryDriver],
) -> None:
    engine, _ = env
    _windowed(engine, "KAFKA", ("Hopping:5", "Tumbling:2"))
    assert _error(engine, "CREATE STREAM O AS SELECT * FROM S1 JOIN S2 WITHIN 1 MINUTE ON S1.ID = S2.ID;") == WINDOWED_SR


def test_windowed_tables_with_sr_keys_are_refused_with_the_reason(env: tuple[Engine, MemoryDriver]) -> None:
    # SchemaKTable.selectKey: a table refuses even the forced repartition, and says SR key formats are why
    d = MemoryDriver()
    d.create_topic("a", partitions=1)
    d.create_topic("b", partitions=1)
    engine = Engine(EngineConfig(service_id="jf_", synchronous=True), d, MemoryRegistryClient())
    _windowed(engine, "JSON_SR", ("Tumbling:2", "Tumbling:2"), tables=True)
    # (a push query: PushQueryValidator refuses any persistent query over a windowed table first)
    with pytest.raises(KsqlError) as err:
        engine.start_query("SELECT * FROM S1 JOIN S2 ON S1.ID = S2.ID EMIT CHANGES;")
    assert err.value.message.startswith(
        WINDOWED_SR + " As a result, ksqlDB does not support joins on windowed sources with"
    )
    msg = _error(engine, "CREATE TABLE O AS SELECT * FROM S1 JOIN S2 ON S1.ID = S2.ID;")
    assert msg == "KSQL does not support persistent queries on windowed tables."


def test_windowed_streams_join_on_key_and_window(env: tuple[Engine, MemoryDriver]) -> None:
    # KStreamKStreamJoin over Windowed<K> keys: records of one key in other windows do not meet, even
    # within the join window
    engine, d = env
    engine.execute("CREATE STREAM S1 (ID INT KEY, V BIGINT) WITH (kafka_topic='a', value_format='JSON', "
                   "WINDOW_TYPE='Tumbling', WINDOW_SIZE='2 SECONDS');")  # fmt: skip
    engine.execute("CREATE STREAM S2 (ID INT KEY, V BIGINT) WITH (kafka_topic='b', value_format='JSON', "
                   "WINDOW_TYPE='Tumbling', WINDOW_SIZE='2 SECONDS');")  # fmt: skip
    engine.execute("CREATE STREAM O AS SELECT S1.ID, S1.V, S2.V AS V2 FROM S1 JOIN S2 WITHIN 1 MINUTE ON S1.ID = S2.ID;")
    _put(d, "a", 1, {"V": 1}, 0, window=0)
    _put(d, "a", 1, {"V": 2}, 2000, window=2000)
    _put(d, "b", 1, {"V": 3}, 2000, window=2000)
    engine.drain()
    assert [(k, v) for k, v, _ in _out(d, "O")] == [(1, {"S1_V": 2, "V2": 3})]


# LogicalPlanner.prepareSourceForJoin + Repartitioning.repartitionNeeded + SchemaKTable.selectKey: a joined
# table is keyed by its join key; after FULL OUTER that key is synthetic, so joining on a source column would
# repartition a table
def test_n_way_table_join_after_full_outer_is_a_table_repartition(env: tuple[Engine, MemoryDriver]) -> None:
    engine, _ = env
    engine.execute("CREATE TABLE T1 (ID INT PRIMARY KEY, V INT) WITH (kafka_topic='t1', value_format='JSON');")
    engine.execute("CREATE TABLE T2 (ID2 INT PRIMARY KEY, V2 INT) WITH (kafka_topic='t2', value_format='JSON');")
    engine.execute("CREATE TABLE T3 (ID3 INT PRIMARY KEY, V3 INT) WITH (kafka_topic='t3', value_format='JSON');")
    msg = _error(engine, "CREATE TABLE O AS SELECT * FROM T1 FULL JOIN T2 ON ID = ID2 JOIN T3 ON ID3 = ID;")
    assert msg == (
        "Cannot repartition a TABLE source. If this is a join, make sure that the criteria uses the TABLE's key "
        "column ROWKEY instead of [T1_ID]"
    )


def test_n_way_table_join_with_unqualified_key_criteria(env: tuple[Engine, MemoryDriver]) -> None:
    # LogicalPlanner.joinOnNonKeyAttribute: an unqualified column is the key of the one source that has it
    engine, d = env
    engine.execute("CREATE TABLE T1 (ID INT PRIMARY KEY, V INT) WITH (kafka_topic='t1', value_format='JSON');")
    engine.execute("CREATE TABLE T2 (ID2 INT PRIMARY KEY, V2 INT) WITH (kafka_topic='t2', value_format='JSON');")
    engine.execute("CREATE TABLE T3 (ID3 INT PRIMARY KEY, V3 INT) WITH (kafka_topic='t3', value_format='JSON');")
    engine.execute("CREATE TABLE O AS SELECT * FROM T1 JOIN T2 ON ID = ID2 JOIN T3 ON ID2 = ID3;")
    # and a key join after a foreign-key join: that join's result is keyed by its left table's key
    engine.execute("CREATE TABLE O2 AS SELECT * FROM T1 JOIN T2 ON T1.V = T2.ID2 JOIN T3 ON T1.ID = T3.ID3;")
    _put(d, "t1", 1, {"V": 10}, 1)
    _put(d, "t2", 10, {"V2": 20}, 2)
    _put(d, "t3", 1, {"V3": 30}, 3)
    _put(d, "t2", 1, {"V2": 5}, 4)
    engine.drain()
    assert _out(d, "O") == [(1, {"T1_V": 10, "T2_ID2": 1, "T2_V2": 5, "T3_ID3": 1, "T3_V3": 30}, 4)]
    assert _out(d, "O2") == [(1, {"T1_V": 10, "T2_ID2": 10, "T2_V2": 20, "T3_ID3": 1, "T3_V3": 30}, 3)]


def test_join_sink_timestamp_column_sets_the_output_time(env: tuple[Engine, MemoryDriver]) -> None:
    # SinkBuilder: a sink with TIMESTAMP='col' stamps each output record with that column
    engine, d = env
    engine.execute("CREATE STREAM A (ID INT KEY, V INT) WITH (kafka_topic='a', value_format='JSON');")
    engine.execute("CREATE STREAM B (ID INT KEY, V INT, TS BIGINT) WITH (kafka_topic='b', value_format='JSON');")
    engine.execute(
        "CREATE STREAM O WITH (timestamp='BTS') AS SELECT A.ID, A.V, B.TS AS BTS "
        "FROM A JOIN B WITHIN 10 SECONDS ON A.ID = B.ID;"
    )
    _put(d, "b", 1, {"V": 2, "TS": 4000}, 4000)
    _put(d, "a", 1, {"V": 3}, 6000)
    engine.drain()
    assert _out(d, "O") == [(1, {"A_V": 3, "BTS": 4000}, 4000)]


def test_timestamped_table_drops_tombstones(env: tuple[Engine, MemoryDriver]) -> None:
    # LoggingTimestampExtractor over ValueColumnExtractor: a null value has no timestamp column, the extractor
    # fails (logged) and returns -1, which Kafka Streams skips: the delete never reaches the join
    engine, d = env
    engine.execute("CREATE TABLE T1 (ID INT PRIMARY KEY, V INT, TS BIGINT) WITH (kafka_topic='t1', value_format='JSON', timestamp='TS');")
    engine.execute("CREATE TABLE T2 (ID INT PRIMARY KEY, V INT, TS BIGINT) WITH (kafka_topic='t2', value_format='JSON', timestamp='TS');")
    engine.execute("CREATE TABLE O AS SELECT T1.ID, T1.V, T2.V AS V2 FROM T1 JOIN T2 ON T1.ID = T2.ID;")
    _put(d, "t1", 1, {"V": 10, "TS": 5000}, 1)
    _put(d, "t2", 1, {"V": 20, "TS": 3000}, 2)
    _put(d, "t2", 1, None, 7)
    _put(d, "t1", 1, {"V": 11, "TS": None}, 8)
    engine.drain()
    assert _out(d, "O") == [(1, {"T1_V": 10, "V2": 20}, 5000)]


def _fk_tables(engine: Engine) -> None:
    engine.execute("CREATE TABLE L (ID INT PRIMARY KEY, F INT, V STRING) WITH (kafka_topic='t1', format='JSON');")
    engine.execute("CREATE TABLE R (ID INT PRIMARY KEY, W STRING) WITH (kafka_topic='t2', format='JSON');")


def test_foreign_key_join_requires_the_left_key_in_the_projection(env: tuple[Engine, MemoryDriver]) -> None:
    # JoinNode.validateKeyPresent / throwMissingKeyColumnForFkJoinException
    engine, _ = env
    _fk_tables(engine)
    assert _error(engine, "CREATE TABLE O AS SELECT R.ID, L.V, R.W FROM L JOIN R ON L.F = R.ID;") == (
        "Primary key column missing in projection. For foreign-key table-table joins, the projection must include "
        "all primary key columns from the left input table (`L`). Missing column: `ID`."
    )
    engine.execute("CREATE TABLE O AS SELECT L.ID AS K, L.V, R.W FROM L JOIN R ON L.F = R.ID;")
    assert [c.name for c in engine.state.metastore.require("O").schema.key] == ["K"]


def test_foreign_key_join_of_a_multi_column_key_table(env: tuple[Engine, MemoryDriver]) -> None:
    # LogicalPlanner.joinOnNonKeyAttribute: a left table of several key columns never joins on its key, so
    # the join is a foreign-key join, keyed by every left key column in key order
    # (SelectionUtil.buildProjectionSchema)
    engine, d = env
    engine.execute(
        "CREATE TABLE T (ID INT PRIMARY KEY, ID2 INT PRIMARY KEY, F INT, V STRING) WITH (kafka_topic='t1', format='JSON');"
    )
    engine.execute("CREATE TABLE T2 (ID INT PRIMARY KEY, W STRING) WITH (kafka_topic='t2', format='JSON');")
    engine.execute("CREATE TABLE O AS SELECT T.ID2, T.ID, T.V, T2.W FROM T JOIN T2 ON T.F = T2.ID;")
    schema = engine.state.metastore.require("O").schema
    assert [(c.name, c.namespace) for c in schema.columns] == [
        ("T_ID", "KEY"), ("ID2", "KEY"), ("V", "VALUE"), ("W", "VALUE"),
    ]  # fmt: skip
    d.produce("t2", [Record(b"5", b'{"W":"w5"}', 1, 0)])
    d.produce("t1", [Record(b'{"ID":1,"ID2":2}', b'{"F":5,"V":"v"}', 2, 0)])
    engine.drain()
    assert [(json.loads(r.key), json.loads(r.value)) for r in d.records("O")] == [
        ({"T_ID": 1, "ID2": 2}, {"V": "v", "W": "w5"})
    ]


def test_n_way_join_on_a_criterion_equal_to_the_key_joins_by_that_key(env: tuple[Engine, MemoryDriver]) -> None:
    # LogicalPlanner.prepareSourceForJoin: a joined stream whose equivalence set (JoinTree.Join) holds the next
    # criterion is not repartitioned, so a LEFT join's unmatched row (S2.ID null) still joins by the key S1.ID
    engine, d = env
    for name, topic in (("S1", "a"), ("S2", "b"), ("S3", "c")):
        engine.execute(f"CREATE STREAM {name} (ID INT KEY, V{name[1]} INT) WITH (kafka_topic='{topic}', value_format='JSON');")
    engine.execute(
        "CREATE STREAM O AS SELECT S1.ID, V1, V2, V3 FROM S1 LEFT JOIN S2 WITHIN 10 SECONDS ON S1.ID = S2.ID "
        "LEFT JOIN S3 WITHIN 10 SECONDS ON S2.ID = S3.ID;"
    )
    _put(d, "a", 1, {"V1": 1}, 1000)
    _put(d, "b", 1, {"V2": 2}, 2000)
    _put(d, "c", 1, {"V3": 3}, 3000)
    engine.drain()
    assert _out(d, "O") == [
        (1, {"V1": 1, "V2": None, "V3": None}, 1000),
        (1, {"V1": 1, "V2": 2, "V3": None}, 2000),
        (1, {"V1": 1, "V2": None, "V3": 3}, 3000),
        (1, {"V1": 1, "V2": 2, "V3": 3}, 3000),
    ]


def test_partition_by_on_a_table_join_names_the_joined_key(env: tuple[Engine, MemoryDriver]) -> None:
    # UserRepartitionNode -> SchemaKTable.selectKey over the JoinNode: its key column is the join's
    # (JoinNode.SourceJoinKey: `<alias>_<column>`), the expressions are printed over the joined row
    engine, _ = env
    engine.execute("CREATE TABLE T1 (ID INT PRIMARY KEY, V INT) WITH (kafka_topic='t1', value_format='JSON');")
    engine.execute("CREATE TABLE T2 (ID INT PRIMARY KEY, W INT) WITH (kafka_topic='t2', value_format='JSON');")
    msg = _error(
        engine, "CREATE TABLE O AS SELECT T2.ID, ABS(T1.V) AS A, W, V FROM T1 JOIN T2 ON T1.ID = T2.ID PARTITION BY ABS(T1.V), W;"
    )
    assert msg == (
        "Cannot repartition a TABLE source. If this is a join, make sure that the criteria uses the TABLE's key "
        "column T2_ID instead of [ABS(T1_V), T2_W]"
    )


def test_partition_by_on_a_table_join_checks_the_projection_before_the_repartition(
    env: tuple[Engine, MemoryDriver],
) -> None:
    # the output node checks the keys while the logical plan is built (KsqlStructuredDataOutputNode ->
    # UserRepartitionNode.validateKeyPresent); SchemaKTable.selectKey refuses the re-key only later, while
    # the physical plan is built
    engine, _ = env
    engine.execute("CREATE TABLE T1 (ID INT PRIMARY KEY, V INT) WITH (kafka_topic='t1', value_format='JSON');")
    engine.execute("CREATE TABLE T2 (ID INT PRIMARY KEY, W INT) WITH (kafka_topic='t2', value_format='JSON');")
    msg = _error(engine, "CREATE TABLE O AS SELECT T2.ID, V FROM T1 JOIN T2 ON T1.ID = T2.ID PARTITION BY ABS(T1.V), W;")
    assert msg.startswith("Keys missing from projection (ie, SELECT).")


@pytest.mark.parametrize(
    "select",
    ["S1.*", "S1.*, T2.*", "T2.*, S1.ID"],
)
def test_source_star_over_a_partitioned_join_is_refused_by_the_planner(
    env: tuple[Engine, MemoryDriver], select: str
) -> None:
    # LogicalPlanner: `X.*` is resolved against the UserRepartitionNode, whose source name over a join is
    # empty; UserRepartitionNode.resolveSelectStar throws "Expected sourceName of ..., but was X"
    engine, _ = env
    engine.execute("CREATE STREAM S1 (ID INT KEY, V INT) WITH (kafka_topic='a', value_format='JSON');")
    engine.execute("CREATE TABLE T2 (ID INT PRIMARY KEY, W INT) WITH (kafka_topic='t2', value_format='JSON');")
    msg = _error(engine, f"CREATE STREAM O AS SELECT {select} FROM S1 JOIN T2 ON S1.ID = T2.ID PARTITION BY S1.V;")
    first = select.split(".")[0]
    assert msg == f"Expected sourceName of Optional.empty, but was {first}"
    # a plain `*` is resolved by every source of the join, and a single source keeps its name
    engine.execute("CREATE STREAM O2 AS SELECT * FROM S1 JOIN T2 ON S1.ID = T2.ID PARTITION BY S1.V;")
    engine.execute("CREATE STREAM O3 AS SELECT S1.* FROM S1 PARTITION BY V;")


def test_a_source_met_twice_is_refused_after_the_earlier_joins_criteria(env: tuple[Engine, MemoryDriver]) -> None:
    # Analyzer.visitJoin: each JOIN registers its source (visitAliasedRelation's self-join check) and then
    # checks its criteria, in FROM order: an earlier JOIN's bad criteria are reported first
    engine, _ = env
    engine.execute("CREATE STREAM S1 (ID INT KEY, V INT) WITH (kafka_topic='a', value_format='JSON');")
    engine.execute("CREATE TABLE T2 (ID INT PRIMARY KEY, W INT) WITH (kafka_topic='t2', value_format='JSON');")
    bad_first = "CREATE STREAM O AS SELECT * FROM S1 JOIN T2 ON S1.ID > T2.ID JOIN T2 ON S1.ID = T2.ID;"
    assert _error(engine, bad_first) == "Only equality join criteria is supported."
    good_first = "CREATE STREAM O AS SELECT * FROM S1 A JOIN T2 B ON A.ID = B.ID JOIN T2 C ON A.ID = C.ID;"
    assert _error(engine, good_first) == "N-way joins do not support multiple occurrences of the same source. Source: 'T2'."


def test_kafka_values_are_named_by_alias_with_the_limitation(env: tuple[Engine, MemoryDriver]) -> None:
    # Analyzer.validate: the aliases of the sources with KAFKA values, then KAFKA_VALUE_FORMAT_LIMITATION_DETAILS
    engine, _ = env
    engine.execute("CREATE STREAM S1 (ID INT KEY, V INT) WITH (kafka_topic='a', value_format='KAFKA');")
    engine.execute("CREATE TABLE T2 (ID INT PRIMARY KEY, W INT) WITH (kafka_topic='t2', value_format='JSON');")
    msg = _error(engine, "CREATE STREAM O AS SELECT * FROM S1 X JOIN T2 ON X.ID = T2.ID;")
    assert msg.startswith(
        "Source(s) X are using the 'KAFKA' value format. This format does not yet support JOIN.\n"
        "The KAFKA format is primarily intended for use as a key format."
    )
    # Analyzer.KAFKA_VALUE_FORMAT_LIMITATION_DETAILS ends with the issue link
    assert msg.endswith(
        "SELECT * FROM <existing-kafka-formated-stream-name>;'\nFor more info see https://github.com/confluentinc/ksql/issues/3060"
    )
    msg = _error(engine, "CREATE TABLE O AS SELECT V, COUNT(*) C FROM S1 Y GROUP BY V;")
    assert msg.startswith("Source(s) Y are using the 'KAFKA' value format. This format does not yet support GROUP BY.\n")


def test_persistent_queries_over_windowed_tables_are_refused(env: tuple[Engine, MemoryDriver]) -> None:
    # PushQueryValidator.failPersistentQueryOnWindowedTable: any source of a CSAS/CTAS/INSERT INTO that is a
    # windowed table (a windowed stream is fine, and so is a push query)
    engine, d = env
    _windowed(engine, "KAFKA", ("Tumbling:2", "Tumbling:2"), tables=True)
    engine.execute("CREATE STREAM WS (ID INT KEY, V BIGINT) WITH (kafka_topic='c', value_format='JSON', "
                   "WINDOW_TYPE='Session');")
    engine.execute("CREATE STREAM P (ID INT KEY, V BIGINT) WITH (kafka_topic='d', value_format='JSON');")
    refused = "KSQL does not support persistent queries on windowed tables."
    assert _error(engine, "CREATE TABLE O AS SELECT * FROM S1;") == refused
    assert _error(engine, "CREATE TABLE O AS SELECT ID, COUNT(*) C FROM S1 GROUP BY ID;") == refused
    assert _error(engine, "INSERT INTO P SELECT * FROM S1;") == refused
    engine.execute("CREATE STREAM O AS SELECT * FROM WS;")
    _put(d, "a", 1, {"V": 1}, 1000, window=0)
    engine.start_query("SELECT * FROM S1 EMIT CHANGES;").close()
