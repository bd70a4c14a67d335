"""EXPLAIN's `topology`: the Kafka Streams 3.5 TopologyDescription text of the topology ksqlDB 0.29's step
builders build (plan/topology.py over plan/streams_topology.py). The expected texts follow the sources:
SourceBuilderV1.buildKStream / SourceBuilder.buildKTable, StreamFilterBuilder, TableFilterBuilder,
StreamSelectBuilder, StreamGroupByBuilderBase, StreamAggregateBuilder, TableAggregateBuilder, SinkBuilder,
QueryBuilder.buildTransientQueryQueue; Kafka Streams' InternalStreamsBuilder.newProcessorName /
newStoreName, KStreamImpl.createRepartitionedSource (three names burnt), KGroupedTableImpl.doAggregate and
InternalTopologyBuilder's TopologyDescription / NodeComparator / SubtopologyDescription.toString."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.plan.streams_topology import StreamsTopology, java_hash_set_order, java_string_hash


@pytest.fixture
def engine() -> Iterator[Engine]:
    e = Engine(EngineConfig(service_id="t_", synchronous=True, command_topic=False, properties={}), MemoryDriver())
    e.execute(
        "CREATE STREAM S (K BIGINT KEY, A STRING, B DOUBLE, T BIGINT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', "
        "PARTITIONS=1); CREATE TABLE T (ID BIGINT PRIMARY KEY, V STRING, N INT) WITH (KAFKA_TOPIC='t', "
        "VALUE_FORMAT='JSON', PARTITIONS=1);"
    )
    yield e
    e.close()


def _topology(e: Engine, statement: str) -> str:
    [entity] = e.execute(f"EXPLAIN {statement}")
    topology: str = entity["queryDescription"]["topology"]
    return topology


STREAM_SOURCE = """Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [s])
      --> KSTREAM-TRANSFORMVALUES-0000000001
    Processor: KSTREAM-TRANSFORMVALUES-0000000001 (stores: [])
"""


def test_stream_filter_project_sink(engine: Engine) -> None:
    """CSAS with WHERE: source, the unnamed transformValues (pseudo and key columns), `WhereFilter`, `Project`,
    then `to()`; the sink's TIMESTAMP adds SinkBuilder's `ApplyTimestampTransform-<sink>`."""
    assert _topology(engine, "CREATE STREAM O WITH (TIMESTAMP='T') AS SELECT * FROM S WHERE B > 1;") == (
        STREAM_SOURCE + """      --> WhereFilter
      <-- KSTREAM-SOURCE-0000000000
    Processor: WhereFilter (stores: [])
      --> Project
      <-- KSTREAM-TRANSFORMVALUES-0000000001
    Processor: Project (stores: [])
      --> ApplyTimestampTransform-O
      <-- WhereFilter
    Processor: ApplyTimestampTransform-O (stores: [])
      --> KSTREAM-SINK-0000000002
      <-- Project
    Sink: KSTREAM-SINK-0000000002 (topic: O)
      <-- ApplyTimestampTransform-O

"""
    )


def test_push_query_ends_in_a_processor(engine: Engine) -> None:
    """A push query over a stream: QueryBuilder's `process()` (KSTREAM-PROCESSOR-)."""
    assert _topology(engine, "SELECT A FROM S EMIT CHANGES;").endswith(
        """    Processor: KSTREAM-PROCESSOR-0000000002 (stores: [])
      --> none
      <-- Project

"""
    )


def test_table_source_and_push_query(engine: Engine) -> None:
    """StreamsBuilder.table burns a store name, then its source and KTABLE-SOURCE nodes; SourceBuilder
    materialises the first transformValues as `KsqlTopic-Reduce`; a table's push query is toStream + foreach."""
    assert _topology(engine, "SELECT * FROM T EMIT CHANGES;") == """Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000001 (topics: [t])
      --> KTABLE-SOURCE-0000000002
    Processor: KTABLE-SOURCE-0000000002 (stores: [])
      --> KTABLE-TRANSFORMVALUES-0000000003
      <-- KSTREAM-SOURCE-0000000001
    Processor: KTABLE-TRANSFORMVALUES-0000000003 (stores: [KsqlTopic-Reduce])
      --> KTABLE-TRANSFORMVALUES-0000000004
      <-- KTABLE-SOURCE-0000000002
    Processor: KTABLE-TRANSFORMVALUES-0000000004 (stores: [])
      --> Project
      <-- KTABLE-TRANSFORMVALUES-0000000003
    Processor: Project (stores: [])
      --> KTABLE-TOSTREAM-0000000005
      <-- KTABLE-TRANSFORMVALUES-0000000004
    Processor: KTABLE-TOSTREAM-0000000005 (stores: [])
      --> KSTREAM-FOREACH-0000000006
      <-- Project
    Processor: KSTREAM-FOREACH-0000000006 (stores: [])
      --> none
      <-- KTABLE-TOSTREAM-0000000005

"""


def test_stream_group_by_repartitions(engine: Engine) -> None:
    """GROUP BY a value column: filter(v != null), `Aggregate-GroupBy`, the repartition named after it (three
    generated names burnt after KSTREAM-AGGREGATE's) in a second sub-topology with the aggregate's store."""
    assert _topology(engine, "CREATE TABLE O AS SELECT A, COUNT(*) FROM S GROUP BY A;") == (
        STREAM_SOURCE + """      --> Aggregate-Prepare
      <-- KSTREAM-SOURCE-0000000000
    Processor: Aggregate-Prepare (stores: [])
      --> KSTREAM-FILTER-0000000002
      <-- KSTREAM-TRANSFORMVALUES-0000000001
    Processor: KSTREAM-FILTER-0000000002 (stores: [])
      --> Aggregate-GroupBy
      <-- Aggregate-Prepare
    Processor: Aggregate-GroupBy (stores: [])
      --> Aggregate-GroupBy-repartition-filter
      <-- KSTREAM-FILTER-0000000002
    Processor: Aggregate-GroupBy-repartition-filter (stores: [])
      --> Aggregate-GroupBy-repartition-sink
      <-- Aggregate-GroupBy
    Sink: Aggregate-GroupBy-repartition-sink (topic: Aggregate-GroupBy-repartition)
      <-- Aggregate-GroupBy-repartition-filter

  Sub-topology: 1
    Source: Aggregate-GroupBy-repartition-source (topics: [Aggregate-GroupBy-repartition])
      --> KSTREAM-AGGREGATE-0000000003
    Processor: KSTREAM-AGGREGATE-0000000003 (stores: [Aggregate-Aggregate-Materialize])
      --> Aggregate-Aggregate-ToOutputSchema
      <-- Aggregate-GroupBy-repartition-source
    Processor: Aggregate-Aggregate-ToOutputSchema (stores: [])
      --> Aggregate-Project
      <-- KSTREAM-AGGREGATE-0000000003
    Processor: Aggregate-Project (stores: [])
      --> KTABLE-TOSTREAM-0000000007
      <-- Aggregate-Aggregate-ToOutputSchema
    Processor: KTABLE-TOSTREAM-0000000007 (stores: [])
      --> KSTREAM-SINK-0000000008
      <-- Aggregate-Project
    Sink: KSTREAM-SINK-0000000008 (topic: O)
      <-- KTABLE-TOSTREAM-0000000007

"""
    )


def test_windowed_group_by_key_with_having(engine: Engine) -> None:
    """GROUP BY the key: groupByKey, no repartition; a window adds `-WindowSelect`, HAVING TableFilterBuilder's
    three processors."""
    text = _topology(
        engine, "CREATE TABLE O AS SELECT K, COUNT(*) FROM S WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY K HAVING COUNT(*) > 1;"
    )
    assert "Sub-topology: 1" not in text
    names = [line.split(": ", 1)[1].split(" ")[0] for line in text.splitlines() if line.startswith("    ")
             and not line.startswith("      ")]  # fmt: skip
    assert names == [
        "KSTREAM-SOURCE-0000000000", "KSTREAM-TRANSFORMVALUES-0000000001", "Aggregate-Prepare",
        "KSTREAM-AGGREGATE-0000000002", "Aggregate-Aggregate-ToOutputSchema", "Aggregate-Aggregate-WindowSelect",
        "Aggregate-HavingFilter-ApplyPredicate", "Aggregate-HavingFilter-Filter", "Aggregate-HavingFilter-PostProcess",
        "Aggregate-Project", "KTABLE-TOSTREAM-0000000003", "KSTREAM-SINK-0000000004",
    ]  # fmt: skip


def test_table_group_by(engine: Engine) -> None:
    """A table's GROUP BY: KTABLE-FILTER, `Aggregate-GroupBy`, then KGroupedTableImpl.doAggregate's generated
    sink and source names before KTABLE-AGGREGATE."""
    text = _topology(engine, "CREATE TABLE O AS SELECT V, SUM(N) FROM T GROUP BY V;")
    assert "Sink: KSTREAM-SINK-0000000006 (topic: Aggregate-GroupBy-repartition)\n      <-- Aggregate-GroupBy" in text
    assert "  Sub-topology: 1\n    Source: KSTREAM-SOURCE-0000000007 (topics: [Aggregate-GroupBy-repartition])" in text
    assert "Processor: KTABLE-AGGREGATE-0000000008 (stores: [Aggregate-Aggregate-Materialize])" in text
    assert text.endswith("Sink: KSTREAM-SINK-0000000010 (topic: O)\n      <-- KTABLE-TOSTREAM-0000000009\n\n")


def test_running_query_explains_its_topology(engine: Engine) -> None:
    """EXPLAIN <query id> describes the running query the same way (QueryDescriptionFactory: the query's
    topology description)."""
    engine.execute("CREATE STREAM O AS SELECT * FROM S;")
    [entity] = engine.execute("EXPLAIN CSAS_O_0;")
    assert entity["queryDescription"]["topology"].startswith(STREAM_SOURCE + "      --> Project\n")


def test_node_order_is_sub_tree_size_then_name() -> None:
    """NodeComparator: a node with the larger sub-tree comes first; equal sizes by name; `none` for no
    successors."""
    t = StreamsTopology()
    src = t.source("src", "a")
    t.processor("b", [src])
    p = t.processor("c", [src])
    t.processor("d", [p])
    assert t.describe() == """Topologies:
   Sub-topology: 0
    Source: src (topics: [a])
      --> c, b
    Processor: c (stores: [])
      --> d
      <-- src
    Processor: b (stores: [])
      --> none
      <-- src
    Processor: d (stores: [])
      --> none
      <-- c

"""


@pytest.fixture
def joins(engine: Engine) -> Engine:
    engine.execute(
        "CREATE STREAM PV (K STRING KEY, USERID STRING) WITH (KAFKA_TOPIC='pv', VALUE_FORMAT='JSON', PARTITIONS=1);"
        "CREATE TABLE U (USERID STRING PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='u', VALUE_FORMAT='JSON', "
        "PARTITIONS=1); CREATE TABLE U2 (USERID STRING PRIMARY KEY, AGE INT) WITH (KAFKA_TOPIC='u2', "
        "VALUE_FORMAT='JSON', PARTITIONS=1);"
    )
    return engine


def test_stream_table_join_on_the_key(joins: Engine) -> None:
    """LogicalPlanner.buildJoin: `KafkaTopic_Left` / `KafkaTopic_Right` sources, `PrependAliasLeft` /
    `PrependAliasRight`; StreamTableJoinBuilder's `Join` reads the right table's `KafkaTopic_Right-Reduce`
    store (its value getter), so both sides share one sub-topology; the table side ends in `--> none`."""
    text = _topology(joins, "CREATE STREAM J AS SELECT * FROM PV JOIN U ON PV.K = U.USERID;")
    assert "Sub-topology: 1" not in text
    assert "    Processor: Join (stores: [KafkaTopic_Right-Reduce])\n      --> Project\n      <-- PrependAliasLeft\n" in text
    assert "    Processor: PrependAliasRight (stores: [])\n      --> none\n" in text
    assert "    Sink: KSTREAM-SINK-0000000007 (topic: J)\n      <-- Project\n" in text


def test_stream_table_join_on_a_value_column_repartitions(joins: Engine) -> None:
    """PreJoinRepartitionNode's `LeftSourceKeyed-SelectKey` makes the stream key-changing:
    KStreamImpl.repartitionForJoin("Join") burns three names and adds `Join-repartition`."""
    text = _topology(joins, "SELECT * FROM PV LEFT JOIN U ON PV.USERID = U.USERID EMIT CHANGES;")
    assert (
        "    Processor: LeftSourceKeyed-SelectKey (stores: [])\n      --> PrependAliasLeft\n"
        "      <-- KSTREAM-TRANSFORMVALUES-0000000001\n"
    ) in text
    assert "    Sink: Join-repartition-sink (topic: Join-repartition)\n      <-- Join-repartition-filter\n\n" in text
    assert "  Sub-topology: 1\n    Source: KSTREAM-SOURCE-0000000003 (topics: [u])\n" in text
    assert "    Source: Join-repartition-source (topics: [Join-repartition])\n      --> Join\n" in text
    assert "Processor: KSTREAM-PROCESSOR-0000000010 (stores: [])" in text


def test_table_table_join(joins: Engine) -> None:
    """TableTableJoinBuilder -> KTableImpl.doJoin (unnamed): KTABLE-MERGE first, then -JOINTHIS / -JOINOTHER,
    each reading the other side's store."""
    text = _topology(joins, "CREATE TABLE TT AS SELECT * FROM U JOIN U2 ON U.USERID = U2.USERID;")
    assert "Processor: KTABLE-JOINTHIS-0000000011 (stores: [KafkaTopic_Right-Reduce])\n      --> KTABLE-MERGE-0000000010\n      <-- PrependAliasLeft" in text
    assert "Processor: KTABLE-JOINOTHER-0000000012 (stores: [KafkaTopic_Left-Reduce])" in text
    assert (
        "Processor: KTABLE-MERGE-0000000010 (stores: [])\n      --> KTABLE-TRANSFORMVALUES-0000000013\n"
        "      <-- KTABLE-JOINOTHER-0000000012, KTABLE-JOINTHIS-0000000011"
    ) in text
    # TableSelectBuilder: the join's KTableHolder is unmaterialized, so `Project` is an unnamed, materialized
    # transformValues with the store `Project-Last`
    assert "Processor: KTABLE-TRANSFORMVALUES-0000000013 (stores: [Project-Last])\n      --> KTABLE-TOSTREAM-0000000014" in text
    assert text.endswith("Sink: KSTREAM-SINK-0000000015 (topic: TT)\n      <-- KTABLE-TOSTREAM-0000000014\n\n")


def test_table_function_adds_flat_map(engine: Engine) -> None:
    """FlatMapNode: StreamFlatMapBuilder's flatTransformValues named `FlatMap`, before `Project`."""
    engine.execute("CREATE STREAM ARR (K INT KEY, XS ARRAY<INT>) WITH (KAFKA_TOPIC='arr', VALUE_FORMAT='JSON', PARTITIONS=1);")
    text = _topology(engine, "CREATE STREAM O AS SELECT K, EXPLODE(XS) AS X FROM ARR;")
    assert "    Processor: FlatMap (stores: [])\n      --> Project\n      <-- KSTREAM-TRANSFORMVALUES-0000000001\n" in text


@pytest.fixture
def streams(engine: Engine) -> Engine:
    engine.execute(
        "CREATE STREAM A (K STRING KEY, X STRING) WITH (KAFKA_TOPIC='a', VALUE_FORMAT='JSON', PARTITIONS=1);"
        "CREATE STREAM B (K STRING KEY, Y STRING) WITH (KAFKA_TOPIC='b', VALUE_FORMAT='JSON', PARTITIONS=1);"
    )
    return engine


def test_stream_stream_inner_join(streams: Engine) -> None:
    """StreamStreamJoinBuilder: left.join(right, ..., StreamJoined.withName("Join")). KStreamImplJoin.join:
    `Join-this-windowed` / `Join-other-windowed` (named: no index), a generated JOINTHIS / JOINOTHER name each
    (indexes 4 and 5, taken although `Join-this-join` / `Join-other-join` are used), whose window stores are
    `<generated>-store` (StreamJoinedFactory sets no store name); StreamStreamJoinNode gives each windowed
    processor its own store and each join processor the other side's; `Join-merge` joins them."""
    text = _topology(streams, "CREATE STREAM J AS SELECT * FROM A JOIN B WITHIN 1 HOURS ON A.K = B.K;")
    assert text == """Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [a])
      --> KSTREAM-TRANSFORMVALUES-0000000001
    Source: KSTREAM-SOURCE-0000000002 (topics: [b])
      --> KSTREAM-TRANSFORMVALUES-0000000003
    Processor: KSTREAM-TRANSFORMVALUES-0000000001 (stores: [])
      --> PrependAliasLeft
      <-- KSTREAM-SOURCE-0000000000
    Processor: KSTREAM-TRANSFORMVALUES-0000000003 (stores: [])
      --> PrependAliasRight
      <-- KSTREAM-SOURCE-0000000002
    Processor: PrependAliasLeft (stores: [])
      --> Join-this-windowed
      <-- KSTREAM-TRANSFORMVALUES-0000000001
    Processor: PrependAliasRight (stores: [])
      --> Join-other-windowed
      <-- KSTREAM-TRANSFORMVALUES-0000000003
    Processor: Join-other-windowed (stores: [KSTREAM-JOINOTHER-0000000005-store])
      --> Join-other-join
      <-- PrependAliasRight
    Processor: Join-this-windowed (stores: [KSTREAM-JOINTHIS-0000000004-store])
      --> Join-this-join
      <-- PrependAliasLeft
    Processor: Join-other-join (stores: [KSTREAM-JOINTHIS-0000000004-store])
      --> Join-merge
      <-- Join-other-windowed
    Processor: Join-this-join (stores: [KSTREAM-JOINOTHER-0000000005-store])
      --> Join-merge
      <-- Join-this-windowed
    Processor: Join-merge (stores: [])
      --> Project
      <-- Join-other-join, Join-this-join
    Processor: Project (stores: [])
      --> KSTREAM-SINK-0000000006
      <-- Join-merge
    Sink: KSTREAM-SINK-0000000006 (topic: J)
      <-- Project

"""


def test_stream_stream_outer_join_with_grace_has_the_shared_store(streams: Engine) -> None:
    """outerJoin (KStreamImplJoin(leftOuter, rightOuter)): OUTERTHIS / OUTEROTHER names and stores,
    `Join-outer-this-join` / `Join-outer-other-join`; GRACE PERIOD (ofTimeDifferenceAndGrace: the spurious
    results fix) adds KSTREAM-OUTERSHARED-<this join's index>-store to both join processors, listed in the
    HashSet's order (Processor's stores); a push query ends in `process()`."""
    text = _topology(
        streams, "SELECT * FROM A FULL OUTER JOIN B WITHIN 1 HOURS GRACE PERIOD 1 MINUTE ON A.K = B.K EMIT CHANGES;"
    )
    assert (
        "    Processor: Join-outer-other-join (stores: [KSTREAM-OUTERTHIS-0000000004-store, "
        "KSTREAM-OUTERSHARED-0000000004-store])\n      --> Join-merge\n      <-- Join-other-windowed\n"
        "    Processor: Join-outer-this-join (stores: [KSTREAM-OUTEROTHER-0000000005-store, "
        "KSTREAM-OUTERSHARED-0000000004-store])\n      --> Join-merge\n      <-- Join-this-windowed\n"
    ) in text
    assert "    Processor: Join-this-windowed (stores: [KSTREAM-OUTERTHIS-0000000004-store])\n" in text
    assert text.endswith("    Processor: KSTREAM-PROCESSOR-0000000006 (stores: [])\n      --> none\n      <-- Project\n\n")


def test_stream_stream_left_join_without_grace_has_no_shared_store(streams: Engine) -> None:
    """leftJoin with JoinWindows.of (no GRACE PERIOD): StreamStreamJoinNode adds the shared store only with the
    spurious results fix; the other side's join is the outer one."""
    text = _topology(streams, "CREATE STREAM J AS SELECT * FROM A LEFT JOIN B WITHIN 1 HOURS ON A.K = B.K;")
    assert "OUTERSHARED" not in text
    assert "    Processor: Join-outer-other-join (stores: [KSTREAM-JOINTHIS-0000000004-store])\n" in text
    assert "    Processor: Join-this-join (stores: [KSTREAM-OUTEROTHER-0000000005-store])\n" in text


def test_right_stream_stream_join_of_a_rekeyed_side_repartitions(streams: Engine) -> None:
    """RIGHT is right.leftJoin(left): `this` is the right source. KStreamImpl.doJoin repartitions the re-keyed
    (left) side, which is the join's `other` side, as `Join-right` (three names burnt: 4-6) before the join
    takes its generated names (7, 8); the repartition's source starts a second sub-topology with the right
    source."""
    text = _topology(
        streams, "CREATE STREAM J AS SELECT * FROM A RIGHT JOIN B WITHIN 1 HOURS GRACE PERIOD 1 MINUTE ON A.X = B.K;"
    )
    assert "    Sink: Join-right-repartition-sink (topic: Join-right-repartition)\n" in text
    assert "  Sub-topology: 1\n    Source: KSTREAM-SOURCE-0000000002 (topics: [b])\n" in text
    assert "    Source: Join-right-repartition-source (topics: [Join-right-repartition])\n      --> Join-other-windowed\n" in text
    assert (
        "    Processor: Join-outer-other-join (stores: [KSTREAM-OUTERSHARED-0000000007-store, "
        "KSTREAM-JOINTHIS-0000000007-store])\n"
    ) in text
    assert "    Processor: Join-this-join (stores: [KSTREAM-OUTEROTHER-0000000008-store, KSTREAM-OUTERSHARED-0000000007-store])\n" in text
    assert text.endswith("    Sink: KSTREAM-SINK-0000000009 (topic: J)\n      <-- Project\n\n")


def test_java_hash_set_order() -> None:
    """String.hashCode and HashMap's bucket spread ((h ^ h >>> 16) & 15) order a Processor's stores."""
    assert java_string_hash("hello") == 99162322
    assert java_string_hash("polygenelubricants") == -(1 << 31)  # the well-known Integer.MIN_VALUE hash
    assert java_hash_set_order(["b", "a"]) == ["a", "b"]  # buckets 2 and 1


def test_three_way_stream_table_table_join(streams: Engine) -> None:
    """LogicalPlanner.buildJoin recurses with the prefix `L_`: the nested StreamTableJoin `L_Join` reads
    `KafkaTopic_L_Right-Reduce`, the outer `Join` reads `KafkaTopic_Right-Reduce`; KSPlanBuilder builds the
    left step tree first, so the second table's names follow the nested join's (store 7, source 8...)."""
    streams.execute(
        "CREATE TABLE TA (K STRING PRIMARY KEY, Z STRING) WITH (KAFKA_TOPIC='ta', VALUE_FORMAT='JSON', PARTITIONS=1);"
        "CREATE TABLE TB (K STRING PRIMARY KEY, W STRING) WITH (KAFKA_TOPIC='tb', VALUE_FORMAT='JSON', PARTITIONS=1);"
    )
    text = _topology(streams, "CREATE STREAM J AS SELECT * FROM A JOIN TA ON A.K = TA.K JOIN TB ON A.K = TB.K;")
    assert "Sub-topology: 1" not in text
    assert "    Processor: L_Join (stores: [KafkaTopic_L_Right-Reduce])\n      --> Join\n      <-- PrependAliasL_Left\n" in text
    assert "    Processor: Join (stores: [KafkaTopic_Right-Reduce])\n      --> Project\n      <-- L_Join\n" in text
    assert "    Processor: KTABLE-TRANSFORMVALUES-0000000005 (stores: [KafkaTopic_L_Right-Reduce])\n" in text
    assert "    Processor: KTABLE-TRANSFORMVALUES-0000000010 (stores: [KafkaTopic_Right-Reduce])\n" in text
    assert "    Processor: PrependAliasRight (stores: [])\n      --> none\n      <-- KTABLE-TRANSFORMVALUES-0000000011\n" in text
    assert "    Sink: KSTREAM-SINK-0000000012 (topic: J)\n      <-- Project\n" in text


def test_stream_stream_join_then_table_on_another_column(streams: Engine) -> None:
    """The nested stream-stream join is `L_Join` (StreamJoined.withName("L_Join"): `L_Join-this-windowed`
    ...); B.Y is not in its equivalence set, so PreJoinRepartitionNode `LeftSourceKeyed` re-keys the joined
    stream and KStreamImpl.join(table) repartitions it as `Join` (names 11-13, after the table's 6-10)."""
    streams.execute(
        "CREATE TABLE TA (K STRING PRIMARY KEY, Z STRING) WITH (KAFKA_TOPIC='ta', VALUE_FORMAT='JSON', PARTITIONS=1);"
    )
    text = _topology(
        streams, "CREATE STREAM J AS SELECT B.Y, X, Z FROM A JOIN B WITHIN 1 HOURS ON A.K = B.K JOIN TA ON B.Y = TA.K;"
    )
    assert "    Processor: L_Join-this-windowed (stores: [KSTREAM-JOINTHIS-0000000004-store])\n" in text
    assert "    Processor: L_Join-merge (stores: [])\n      --> LeftSourceKeyed-SelectKey\n" in text
    assert "    Processor: LeftSourceKeyed-SelectKey (stores: [])\n      --> Join-repartition-filter\n" in text
    assert "  Sub-topology: 1\n    Source: KSTREAM-SOURCE-0000000007 (topics: [ta])\n" in text
    assert "    Source: Join-repartition-source (topics: [Join-repartition])\n      --> Join\n" in text
    assert text.endswith("    Processor: PrependAliasRight (stores: [])\n      --> none\n      <-- KTABLE-TRANSFORMVALUES-0000000010\n\n")
    assert "Sink: KSTREAM-SINK-0000000014 (topic: J)" in text


FK_JOIN = """Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000001 (topics: [u])
      --> KTABLE-SOURCE-0000000002
    Processor: KTABLE-SOURCE-0000000002 (stores: [])
      --> KTABLE-TRANSFORMVALUES-0000000003
      <-- KSTREAM-SOURCE-0000000001
    Source: KTABLE-SOURCE-0000000020 (topics: [KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000018-topic])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000021
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000021 (stores: [KafkaTopic_Left-Reduce])
      --> KTABLE-FK-JOIN-OUTPUT-0000000022
      <-- KTABLE-SOURCE-0000000020
    Processor: KTABLE-TRANSFORMVALUES-0000000003 (stores: [KafkaTopic_Left-Reduce])
      --> KTABLE-TRANSFORMVALUES-0000000004
      <-- KTABLE-SOURCE-0000000002
    Processor: KTABLE-FK-JOIN-OUTPUT-0000000022 (stores: [])
      --> KTABLE-TRANSFORMVALUES-0000000024
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000021
    Processor: KTABLE-TRANSFORMVALUES-0000000004 (stores: [])
      --> PrependAliasLeft
      <-- KTABLE-TRANSFORMVALUES-0000000003
    Processor: KTABLE-TRANSFORMVALUES-0000000024 (stores: [Project-Last])
      --> KTABLE-TOSTREAM-0000000025
      <-- KTABLE-FK-JOIN-OUTPUT-0000000022
    Processor: PrependAliasLeft (stores: [])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000011
      <-- KTABLE-TRANSFORMVALUES-0000000004
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000011 (stores: [])
      --> KTABLE-SINK-0000000012
      <-- PrependAliasLeft
    Processor: KTABLE-TOSTREAM-0000000025 (stores: [])
      --> KSTREAM-SINK-0000000026
      <-- KTABLE-TRANSFORMVALUES-0000000024
    Sink: KSTREAM-SINK-0000000026 (topic: FK)
      <-- KTABLE-TOSTREAM-0000000025
    Sink: KTABLE-SINK-0000000012 (topic: KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000010-topic)
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000011

  Sub-topology: 1
    Source: KSTREAM-SOURCE-0000000006 (topics: [c])
      --> KTABLE-SOURCE-0000000007
    Processor: KTABLE-SOURCE-0000000007 (stores: [])
      --> KTABLE-TRANSFORMVALUES-0000000008
      <-- KSTREAM-SOURCE-0000000006
    Processor: KTABLE-TRANSFORMVALUES-0000000008 (stores: [KafkaTopic_Right-Reduce])
      --> KTABLE-TRANSFORMVALUES-0000000009
      <-- KTABLE-SOURCE-0000000007
    Source: KTABLE-SOURCE-0000000013 (topics: [KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000010-topic])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000015
    Processor: KTABLE-TRANSFORMVALUES-0000000009 (stores: [])
      --> PrependAliasRight
      <-- KTABLE-TRANSFORMVALUES-0000000008
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000015 (stores: [KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000014])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000016
      <-- KTABLE-SOURCE-0000000013
    Processor: PrependAliasRight (stores: [])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000017
      <-- KTABLE-TRANSFORMVALUES-0000000009
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000016 (stores: [KafkaTopic_Right-Reduce])
      --> KTABLE-SINK-0000000019
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000015
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000017 (stores: [KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000014])
      --> KTABLE-SINK-0000000019
      <-- PrependAliasRight
    Sink: KTABLE-SINK-0000000019 (topic: KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000018-topic)
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000016, KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000017

"""


@pytest.fixture
def fk(joins: Engine) -> Engine:
    joins.execute(
        "CREATE TABLE C (CID STRING PRIMARY KEY, CNAME STRING) WITH (KAFKA_TOPIC='c', VALUE_FORMAT='JSON', PARTITIONS=1);"
        "CREATE TABLE U3 (USERID STRING PRIMARY KEY, CID STRING) WITH (KAFKA_TOPIC='u3', VALUE_FORMAT='JSON', "
        "PARTITIONS=1);"
    )
    return joins


def test_foreign_key_join(fk: Engine) -> None:
    """ForeignKeyTableTableJoinBuilder: left.leftJoin(right, extractor, joiner, Materialized) without a name,
    so Kafka Streams 3.5's KTableImpl.doJoinOnForeignKey generates every name (the subscription topic 10, its
    processor, sink and source, the subscription store 14, three KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSORs, the
    response topic 18, sink, source, resolver and KTABLE-FK-JOIN-OUTPUT-0000000022; MaterializedInternal burns
    23 for the output store, which nothing materializes). The left table, the response side and the result
    are sub-topology 0, the right table and the subscription side sub-topology 1 (they share the subscription
    store); the result is KTableHolder.unmaterialized, so TableSelectBuilder materializes `Project-Last`."""
    assert _topology(fk, "CREATE TABLE FK AS SELECT * FROM U3 LEFT JOIN C ON U3.CID = C.CID;") == FK_JOIN.replace(
        "topics: [u]", "topics: [u3]"
    )


def test_nested_table_table_join(fk: Engine) -> None:
    """LogicalPlanner.buildJoin: the nested `L_` join of tables is used as it is (the outer criterion is in
    its equivalence set); KTableImpl.doJoin's outer KTABLE-JOINOTHER reads the nested join's value getter,
    KTableKTableJoinMerger.view(): both nested sources' stores."""
    text = _topology(
        fk, "CREATE TABLE N AS SELECT * FROM U JOIN U2 ON U.USERID = U2.USERID JOIN U3 ON U.USERID = U3.USERID;"
    )
    assert "Sub-topology: 1" not in text
    assert "    Processor: KTABLE-MERGE-0000000010 (stores: [])\n      --> KTABLE-JOINTHIS-0000000019\n" in text
    assert (
        "    Processor: KTABLE-JOINOTHER-0000000020 (stores: [KafkaTopic_L_Left-Reduce, KafkaTopic_L_Right-Reduce])\n"
        "      --> KTABLE-MERGE-0000000018\n      <-- PrependAliasRight\n"
    ) in text
    assert "    Processor: KTABLE-JOINTHIS-0000000019 (stores: [KafkaTopic_Right-Reduce])\n" in text
    assert "    Processor: KTABLE-TRANSFORMVALUES-0000000021 (stores: [Project-Last])\n" in text


def test_aggregate_over_a_table_table_join(fk: Engine) -> None:
    """AggregateNode's `Prepare` is a TableSelect over the unmaterialized join: TableSelectBuilder gives it an
    unnamed transformValues with the store `Aggregate-Prepare-Last`, then TableGroupByBuilder's filter."""
    text = _topology(fk, "CREATE TABLE AG AS SELECT U.NAME, COUNT(*) FROM U JOIN U2 ON U.USERID = U2.USERID GROUP BY U.NAME;")
    assert (
        "    Processor: KTABLE-TRANSFORMVALUES-0000000013 (stores: [Aggregate-Prepare-Last])\n"
        "      --> KTABLE-FILTER-0000000014\n      <-- KTABLE-MERGE-0000000010\n"
    ) in text
    assert "    Source: KSTREAM-SOURCE-0000000016 (topics: [Aggregate-GroupBy-repartition])\n" in text
