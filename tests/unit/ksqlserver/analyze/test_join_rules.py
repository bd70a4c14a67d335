"""More of ksqlDB 0.29's join rules: PARTITION BY over table joins, key-column texts, SELECT <source>.* over
aliased joins, and the stream/table join operators' edge cases. Each test names the ksqlDB source it follows."""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError

TOPICS = ("a", "b", "c", "t1", "t2", "t3")
AS_VALUE_HINT = (
    "\nEach key column must only be in the projection once. If you intended to copy the key into the value, then "
    "consider using the `AS_VALUE` function to indicate which key reference should be copied."
)


@pytest.fixture
def env() -> Iterator[tuple[Engine, MemoryDriver]]:
    d = MemoryDriver()
    for topic in TOPICS:
        d.create_topic(topic, partitions=1)
    e = Engine(
        EngineConfig(service_id="jr_", synchronous=True, properties={"ksql.streams.auto.offset.reset": "earliest"}), d
    )
    yield e, d
    e.close()


WRAPPED = "Could not determine output schema for query due to error: "


def _error(engine: Engine, sql: str) -> str:
    """The planning error of a refused CREATE ... AS SELECT: SchemaRegisterInjector.registerForCreateAs plans
    it in a sandbox and the REST message is its wrapper's raw unlogged details, the prefix (asserted here)
    then the planning error's detailed message, which is returned."""
    with pytest.raises(KsqlError) as err:
        engine.execute(sql)
    assert err.value.message.startswith(WRAPPED), err.value.message
    return err.value.message[len(WRAPPED) :]


def _put(d: MemoryDriver, topic: str, key: int, value: dict[str, object] | None, ts: int) -> None:
    d.produce(topic, [Record(struct.pack(">i", key), None if value is None else json.dumps(value).encode(), ts, 0)])


def _out(d: MemoryDriver, topic: str) -> list[tuple[int, dict[str, object] | None, int]]:
    return [
        (struct.unpack(">i", r.key[:4])[0], None if r.value is None else json.loads(r.value), r.timestamp)
        for r in d.records(topic)
    ]


def _tables(engine: Engine) -> None:
    engine.execute("CREATE TABLE T1 (ID INT PRIMARY KEY, V INT) WITH (kafka_topic='t1', value_format='JSON');")
    engine.execute("CREATE TABLE T2 (ID INT PRIMARY KEY, W INT) WITH (kafka_topic='t2', value_format='JSON');")


# Repartitioning.repartitionNeeded + SchemaKTable.selectKey: PARTITION BY the join's own key column needs no
# repartition, so a table join accepts it; its deletions stay keyed by the join key
def test_table_join_partitioned_by_its_own_key_is_accepted(env: tuple[Engine, MemoryDriver]) -> None:
    engine, d = env
    _tables(engine)
    engine.execute("CREATE TABLE O AS SELECT T1.ID, V, W FROM T1 JOIN T2 ON T1.ID = T2.ID PARTITION BY T1.ID;")
    _put(d, "t1", 1, {"V": 1}, 10)
    _put(d, "t2", 1, {"W": 2}, 20)
    _put(d, "t2", 1, None, 30)
    engine.drain()
    assert _out(d, "O") == [(1, {"V": 1, "W": 2}, 20), (1, None, 30)]


def test_table_join_partitioned_by_the_other_key_is_still_refused(env: tuple[Engine, MemoryDriver]) -> None:
    engine, _ = env
    _tables(engine)
    # (projected, so that the output node's key check passes; SchemaKTable.selectKey refuses the re-key)
    msg = _error(
        engine, "CREATE TABLE O AS SELECT T1.ID, T2.ID AS K2, V, W FROM T1 JOIN T2 ON T1.ID = T2.ID PARTITION BY T2.ID;"
    )
    assert msg == (
        "Cannot repartition a TABLE source. If this is a join, make sure that the criteria uses the TABLE's key "
        "column T1_ID instead of [T2_ID]"
    )


# FinalProjectNode.build: the key-twice text goes on with the AS_VALUE hint
def test_join_key_projected_twice_names_as_value(env: tuple[Engine, MemoryDriver]) -> None:
    engine, _ = env
    _tables(engine)
    msg = _error(engine, "CREATE TABLE O AS SELECT T1.ID AS A, T1.ID AS B, W FROM T1 JOIN T2 ON T1.ID = T2.ID;")
    assert msg == "The projection contains a key column (`T1_ID`) more than once, aliased as: A and B." + AS_VALUE_HINT


# PlanNode.throwKeysNotIncludedError: the "Key missing" sentence is always there, viable keys joined by
# ", " and a last " or "
def test_missing_join_key_text(env: tuple[Engine, MemoryDriver]) -> None:
    engine, _ = env
    _tables(engine)
    engine.execute("CREATE TABLE T3 (ID INT PRIMARY KEY, U INT) WITH (kafka_topic='t3', value_format='JSON');")
    msg = _error(engine, "CREATE TABLE O AS SELECT W FROM T1 JOIN T2 ON T1.ID = T2.ID JOIN T3 ON T3.ID = T1.ID;")
    assert msg == (
        "Key missing from projection (ie, SELECT). \nThe query used to build `O` must include the join expressions "
        "T1.ID, T2.ID or T3.ID in its projection (eg, SELECT T1.ID...)."
    )


def test_missing_synthetic_key_text_of_full_join(env: tuple[Engine, MemoryDriver]) -> None:
    engine, _ = env
    _tables(engine)
    msg = _error(engine, "CREATE TABLE O AS SELECT W FROM T1 FULL JOIN T2 ON T1.ID = T2.ID;")
    assert msg == (
        "Key missing from projection (ie, SELECT). See https://cnfl.io/2LV7ouS.\nThe query used to build `O` must "
        "include the join expression ROWKEY in its projection (eg, SELECT ROWKEY...).\nROWKEY was added as a "
        "synthetic key column because the join criteria did not match any source column. This expression must be "
        "included in the projection and may be aliased. "
    )


# AstBuilder's source set holds names and aliases, JoinNode.resolveSelectStar matches aliases only: `S1.*`
# over `S1 AS X` selects nothing, and FinalProjectNode then finds no value columns
def test_star_of_an_aliased_sources_own_name_selects_nothing(env: tuple[Engine, MemoryDriver]) -> None:
    engine, _ = env
    _tables(engine)
    engine.execute("CREATE STREAM S1 (ID INT KEY, V INT) WITH (kafka_topic='a', value_format='JSON');")
    msg = _error(engine, "CREATE STREAM O AS SELECT S1.* FROM S1 AS X JOIN T2 ON X.ID = T2.ID;")
    assert msg == "The projection contains no value columns."
    engine.execute("CREATE STREAM O2 AS SELECT S1.*, X.ID, W FROM S1 AS X JOIN T2 ON X.ID = T2.ID;")
    fields = engine.execute("DESCRIBE O2;")[0]["sourceDescription"]["fields"]
    assert [f["name"] for f in fields] == ["X_ID", "W"]


def _windowed_streams(engine: Engine, windows: dict[str, str]) -> None:
    for name, w in windows.items():
        kind, size = w.split(":")
        engine.execute(
            f"CREATE STREAM {name} (ID INT KEY, V INT) WITH (kafka_topic='{name.lower()}', value_format='JSON', "
            f"WINDOW_TYPE='{kind}', WINDOW_SIZE='{size} SECONDS');"
        )


# JoinNode.resolveKeyFormats + PreJoinRepartitionNode.setKeyFormat + SchemaKStream.selectKey over an n-way
# join: every source, not only the first two, is re-keyed when it joins off its key or has another window
# (key format), and a windowed join result joined on something outside its key is re-keyed too
@pytest.mark.parametrize(
    "third",
    [
        "JOIN C WITHIN 1 MINUTE ON A.ID = C.ID",  # C's window (key format) is not the join's
        "JOIN D WITHIN 1 MINUTE ON A.V = D.ID",  # the joined stream re-keyed by a value
        "JOIN D WITHIN 1 MINUTE ON A.ID = D.V",  # D joins off its key
    ],
)
def test_n_way_windowed_joins_refuse_implicit_repartitions(env: tuple[Engine, MemoryDriver], third: str) -> None:
    engine, d = env
    d.create_topic("d", partitions=1)
    _windowed_streams(engine, {"A": "Tumbling:2", "B": "Tumbling:2", "C": "Hopping:5", "D": "Tumbling:2"})
    msg = _error(engine, f"CREATE STREAM O AS SELECT A.ID, A.V FROM A JOIN B WITHIN 1 MINUTE ON A.ID = B.ID {third};")
    assert msg == "Implicit repartitioning of windowed sources is not supported. See https://github.com/confluentinc/ksql/issues/4385."


def test_n_way_windowed_join_on_keys_runs(env: tuple[Engine, MemoryDriver]) -> None:
    engine, d = env
    d.create_topic("d", partitions=1)
    _windowed_streams(engine, {"A": "Tumbling:2", "B": "Tumbling:2", "D": "Tumbling:2"})
    engine.execute(
        "CREATE STREAM O AS SELECT A.ID, A.V, D.V AS V3 FROM A JOIN B WITHIN 1 MINUTE ON A.ID = B.ID "
        "JOIN D WITHIN 1 MINUTE ON B.ID = D.ID;"
    )


# JoinNode.StreamToTableJoiner/TableToTableJoiner.join: WITHIN on a non-windowed join and a RIGHT stream-table
# join are refused only when the joins are built, so the logical plan's own errors (the projection's key) come
# first
def test_within_on_stream_table_join_text(env: tuple[Engine, MemoryDriver]) -> None:
    engine, _ = env
    _tables(engine)
    engine.execute("CREATE STREAM S1 (ID INT KEY, V INT) WITH (kafka_topic='a', value_format='JSON');")
    msg = _error(engine, "CREATE STREAM O AS SELECT S1.ID, W FROM S1 JOIN T2 WITHIN 1 SECOND ON S1.ID = T2.ID;")
    assert msg == (
        "A window definition was provided for a Stream-Table join. These joins are not windowed. Please drop the "
        "window definition (ie. the WITHIN clause) and try to execute your join again."
    )
    msg = _error(engine, "CREATE TABLE O AS SELECT T1.ID, W FROM T1 JOIN T2 WITHIN 1 SECOND ON T1.ID = T2.ID;")
    assert msg == (
        "A window definition was provided for a Table-Table join. These joins are not windowed. Please drop the "
        "window definition (i.e. the WITHIN clause) and try to execute your Table-Table join again."
    )
    # the missing key is a logical-plan error: it is reported first
    msg = _error(engine, "CREATE STREAM O AS SELECT W FROM S1 JOIN T2 WITHIN 1 SECOND ON S1.ID = T2.ID;")
    assert msg.startswith("Key missing from projection (ie, SELECT). \n")


def test_right_stream_table_join_is_refused_when_built(env: tuple[Engine, MemoryDriver]) -> None:
    engine, _ = env
    _tables(engine)
    engine.execute("CREATE STREAM S1 (ID INT KEY, V INT) WITH (kafka_topic='a', value_format='JSON');")
    msg = _error(engine, "CREATE STREAM O AS SELECT S1.ID, W FROM S1 RIGHT JOIN T2 ON S1.ID = T2.ID;")
    assert msg == "Invalid join type encountered: RIGHT [OUTER] JOIN"
    msg = _error(engine, "CREATE STREAM O AS SELECT S1.ID, W FROM S1 FULL JOIN T2 ON S1.ID = T2.ID;")
    assert msg == "Invalid join type: full-outer join not supported for stream-table join. Got S1 [FULL] OUTER JOIN T2."


# LogicalPlanner.verifyJoin compares criteria types for table-table joins only; a stream join's sides meet
# in JoinParamsFactory.createSchema, which compares their (re-keyed) key types
def test_stream_join_criteria_of_other_types(env: tuple[Engine, MemoryDriver]) -> None:
    engine, _ = env
    _tables(engine)
    engine.execute("CREATE STREAM S1 (ID INT KEY, V INT, S STRING, B BIGINT) WITH (kafka_topic='a', value_format='JSON');")
    engine.execute("CREATE STREAM S2 (ID INT KEY, V INT, S STRING) WITH (kafka_topic='b', value_format='JSON');")
    msg = _error(engine, "CREATE STREAM O AS SELECT S1.ID, W FROM S1 JOIN T2 ON S1.S = T2.ID;")
    assert msg == "Invalid join. Key types differ: STRING vs INTEGER"
    # the tree's side first, whatever side of the ON clause it is written on
    msg = _error(engine, "CREATE STREAM O AS SELECT S1.ID, S2.V AS V2 FROM S1 JOIN S2 WITHIN 1 SECOND ON S2.S = S1.B;")
    assert msg == "Invalid join. Key types differ: BIGINT vs STRING"
    msg = _error(engine, "CREATE TABLE O AS SELECT T1.ID, W FROM T1 JOIN T2 ON T2.ID = T1.V + 0.5;")
    assert msg.startswith("Invalid join condition: types don't match. Got T2.ID{INTEGER} = (T1.V + 0.5){DECIMAL")


# JoinNode.buildStream: a join compares its sides' partition counts before building its left side, so in an
# n-way join the outermost mismatch is the one reported (a join's count is its right-most source's)
def test_n_way_partition_mismatch_reports_the_outer_join_first() -> None:
    d = MemoryDriver()
    for topic, n in (("a", 1), ("b", 2), ("c", 3)):
        d.create_topic(topic, partitions=n)
    engine = Engine(EngineConfig(service_id="jr_", synchronous=True), d)
    try:
        for name, topic in (("A", "a"), ("B", "b"), ("C", "c")):
            engine.execute(f"CREATE STREAM {name} (ID INT KEY, V INT) WITH (kafka_topic='{topic}', value_format='JSON');")
        msg = _error(
            engine,
            "CREATE STREAM O AS SELECT A.ID, A.V FROM A JOIN B WITHIN 1 SECOND ON A.ID = B.ID "
            "JOIN C WITHIN 1 SECOND ON A.ID = C.ID;",
        )
        assert msg.startswith("Can't join `A` with `C` since the number of partitions don't match. `A` partitions = 2; ")
    finally:
        engine.close()


# PreJoinRepartitionNode.buildStream -> SchemaKStream.selectKey: a windowed side that would be re-keyed is
# refused when the joins are built, after FinalProjectNode/validateKeyPresent checked the projection
def test_windowed_repartition_is_refused_after_the_projection_checks(env: tuple[Engine, MemoryDriver]) -> None:
    engine, _ = env
    _windowed_streams(engine, {"A": "Tumbling:2", "B": "Tumbling:2"})
    msg = _error(engine, "CREATE STREAM O AS SELECT A.V FROM A JOIN B WITHIN 1 MINUTE ON A.ID = B.V;")
    assert msg.startswith("Key missing from projection (ie, SELECT). \n")
    msg = _error(engine, "CREATE STREAM O AS SELECT B.V, A.V AS AV FROM A JOIN B WITHIN 1 MINUTE ON A.ID = B.V;")
    assert msg == "Implicit repartitioning of windowed sources is not supported. See https://github.com/confluentinc/ksql/issues/4385."
