"""ksqlDB 0.29's PlanSummaryTest (ksqldb-engine, io.confluent.ksql.util), seen where PlanSummary's text
goes: EXPLAIN's `executionPlan` (EngineExecutor.buildPlanSummary over the query's physical plan).

summarize(step) writes ` > [ OP ] | Schema: <LogicalSchema.toString> | Logger: <query id>.<context>\\n`,
then each source's summary, each level two tabs deeper (shouldSummarizeSource, shouldSummarizeWithSource,
shouldSummarizePlanWithMultipleSources). The mocked steps become the steps LogicalPlanner builds for real
statements; their schemas are StepSchemaResolver's (a source step's: LogicalSchema.withPseudoAndKeyColsInValue)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import Streams

PSEUDO = "ROWTIME BIGINT, ROWPARTITION INTEGER, ROWOFFSET BIGINT"


def explain(ks: Streams, query_id: str) -> str:
    [entity] = ks.sql(f"EXPLAIN {query_id};")
    plan: str = entity["queryDescription"]["executionPlan"]
    return plan


def line(depth: int, op: str, schema: str, logger: str) -> str:
    return "\t" * (2 * depth) + f" > [ {op} ] | Schema: {schema} | Logger: {logger}\n"


@pytest.fixture
def ks(ks: Streams) -> Streams:
    ks.sql("CREATE STREAM S (ROWKEY STRING KEY, L0 INTEGER, L1 STRING) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    return ks


def test_should_summarize_with_source(ks: Streams) -> None:
    """shouldSummarizeSource / shouldSummarizeWithSource: the source step's line, under the projection's,
    under the sink's (named after the sink), each step's logger its query context."""
    ks.sql("CREATE STREAM O AS SELECT ROWKEY, L1 FROM S;")
    source = f"ROWKEY STRING KEY, L0 INTEGER, L1 STRING, {PSEUDO}, ROWKEY STRING"
    assert explain(ks, "CSAS_O_0") == (
        line(0, "SINK", "ROWKEY STRING KEY, L1 STRING", "CSAS_O_0.O")
        + line(1, "PROJECT", "ROWKEY STRING KEY, L1 STRING", "CSAS_O_0.Project")
        + line(2, "SOURCE", source, "CSAS_O_0.KsqlTopic.Source")
    )


def test_a_filter_has_its_source_schema(ks: Streams) -> None:
    """StepSchemaResolver.handleStreamFilter: a filter's schema is its source's; FilterNode's context is
    `WhereFilter`."""
    ks.sql("CREATE STREAM O AS SELECT * FROM S WHERE L0 > 1;")
    source = f"ROWKEY STRING KEY, L0 INTEGER, L1 STRING, {PSEUDO}, ROWKEY STRING"
    plan = explain(ks, "CSAS_O_0").splitlines(keepends=True)
    assert plan[2] == line(2, "FILTER", source, "CSAS_O_0.WhereFilter")
    assert plan[3] == line(3, "SOURCE", source, "CSAS_O_0.KsqlTopic.Source")
    assert len(plan) == 4


def test_partition_by_is_a_rekey(ks: Streams) -> None:
    """UserRepartitionNode (`PartitionBy`) builds a StreamSelectKey, PlanSummary's REKEY, whose schema is
    PartitionByParamsFactory.buildSchema's: the new key, then the values (a column reference is not
    appended again)."""
    ks.sql("CREATE STREAM O AS SELECT * FROM S PARTITION BY L1;")
    values = f"L0 INTEGER, L1 STRING, {PSEUDO}, ROWKEY STRING"
    plan = explain(ks, "CSAS_O_0").splitlines(keepends=True)
    assert plan[0] == line(0, "SINK", "L1 STRING KEY, L0 INTEGER, ROWKEY STRING", "CSAS_O_0.O")
    assert plan[2] == line(2, "REKEY", f"L1 STRING KEY, {values}", "CSAS_O_0.PartitionBy")


def test_a_table_and_its_quoted_names(ks: Streams) -> None:
    """A table's steps have the same names; FormatOptions.of(IdentifierUtil::needsQuotes) quotes only the
    names that need it (lower case, reserved words), struct fields too."""
    ks.sql(
        "CREATE TABLE T (`id` STRING PRIMARY KEY, `Select` STRUCT<`a` INT, B INT>) WITH (KAFKA_TOPIC='t', "
        "PARTITIONS=1, FORMAT='JSON');"
    )
    ks.sql("CREATE TABLE O AS SELECT * FROM T;")
    struct = "STRUCT<`a` INTEGER, B INTEGER>"
    assert explain(ks, "CTAS_O_0") == (
        line(0, "SINK", f"`id` STRING KEY, `Select` {struct}", "CTAS_O_0.O")
        + line(1, "PROJECT", f"`id` STRING KEY, `Select` {struct}", "CTAS_O_0.Project")
        + line(2, "SOURCE", f"`id` STRING KEY, `Select` {struct}, {PSEUDO}, `id` STRING", "CTAS_O_0.KsqlTopic.Source")
    )


def test_a_windowed_source_has_its_bounds(ks: Streams) -> None:
    """withPseudoAndKeyColsInValue(windowed): WINDOWSTART and WINDOWEND end a windowed source's schema."""
    ks.sql(
        "CREATE STREAM W (K STRING KEY, V INT) WITH (KAFKA_TOPIC='w', PARTITIONS=1, FORMAT='JSON', "
        "WINDOW_TYPE='TUMBLING', WINDOW_SIZE='1 SECOND');"
    )
    ks.sql("CREATE STREAM O AS SELECT * FROM W;")
    plan = explain(ks, "CSAS_O_0").splitlines(keepends=True)
    assert plan[-1] == line(
        2, "SOURCE", f"K STRING KEY, V INTEGER, {PSEUDO}, K STRING, WINDOWSTART BIGINT, WINDOWEND BIGINT",
        "CSAS_O_0.KsqlTopic.Source",
    )


def test_header_columns(ks: Streams) -> None:
    """Header columns follow the values, as HEADER('k') columns and again as values."""
    ks.sql(
        "CREATE STREAM H (K STRING KEY, V INT, H1 BYTES HEADER('h1')) WITH (KAFKA_TOPIC='h', PARTITIONS=1, "
        "FORMAT='JSON');"
    )
    ks.sql("CREATE STREAM O AS SELECT K, V FROM H;")
    plan = explain(ks, "CSAS_O_0").splitlines(keepends=True)
    assert plan[-1] == line(
        2, "SOURCE", f"K STRING KEY, V INTEGER, H1 BYTES HEADER('h1'), H1 BYTES, {PSEUDO}, K STRING",
        "CSAS_O_0.KsqlTopic.Source",
    )


def test_explain_of_a_statement(ks: Streams) -> None:
    """ExplainExecutor plans the statement in a sandbox: the same summary, with the query id it would get."""
    [entity] = ks.sql("EXPLAIN CREATE STREAM O AS SELECT ROWKEY, L1 FROM S;")
    plan = entity["queryDescription"]["executionPlan"]
    assert plan.startswith(line(0, "SINK", "ROWKEY STRING KEY, L1 STRING", "CSAS_O_0.O"))


def test_should_summarize_plan_with_multiple_sources(ks: Streams) -> None:
    """shouldSummarizePlanWithMultipleSources: a join's two sources, each under the JOIN at the same depth,
    named by LogicalPlanner.buildJoin's DataSourceNode ids."""
    ks.sql("CREATE TABLE T (ID STRING PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='t', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE STREAM J AS SELECT * FROM S JOIN T ON S.ROWKEY = T.ID;")
    plan: list[Any] = explain(ks, "CSAS_J_0").splitlines()
    assert plan[0].startswith(" > [ SINK ] | Schema: ")
    joins = [i for i, text in enumerate(plan) if "> [ JOIN ]" in text]
    assert len(joins) == 1
    sources = [text for text in plan if "> [ SOURCE ]" in text]
    assert [s.split("Logger: ")[1] for s in sources] == [
        "CSAS_J_0.KafkaTopic_Left.Source",
        "CSAS_J_0.KafkaTopic_Right.Source",
    ]


def test_a_stream_table_join_on_keys(ks: Streams) -> None:
    """LogicalPlanner.buildJoin / prepareSourceForJoin: each side's DataSourceNode (`KafkaTopic_Left`,
    `KafkaTopic_Right`), no re-key on a side's key (SchemaKStream.selectKey answers itself), PreJoinProjectNode
    `PrependAliasLeft` (a StreamSelect / TableSelect, PROJECT: the aliased key, then each value column of
    withPseudoAndKeyColsInValue aliased `<alias>_<column>`, ColumnNames.generatedJoinColumnAlias); the JoinNode's
    StreamTableJoin (`Join`) with JoinParamsFactory.createSchema: the key named by LogicalPlanner.buildJoinKey
    (the first viable key column the projection names), both sides' values, the key not appended again as
    the left values hold it."""
    ks.sql("CREATE TABLE T (ID STRING PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='t', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE STREAM J AS SELECT * FROM S JOIN T ON S.ROWKEY = T.ID;")
    left = "S_L0 INTEGER, S_L1 STRING, S_ROWTIME BIGINT, S_ROWPARTITION INTEGER, S_ROWOFFSET BIGINT, S_ROWKEY STRING"
    right = "T_NAME STRING, T_ROWTIME BIGINT, T_ROWPARTITION INTEGER, T_ROWOFFSET BIGINT, T_ID STRING"
    sink = "S_ROWKEY STRING KEY, S_L0 INTEGER, S_L1 STRING, T_ID STRING, T_NAME STRING"
    assert explain(ks, "CSAS_J_0") == (
        line(0, "SINK", sink, "CSAS_J_0.J")
        + line(1, "PROJECT", sink, "CSAS_J_0.Project")
        + line(2, "JOIN", f"S_ROWKEY STRING KEY, {left}, {right}", "CSAS_J_0.Join")
        + line(3, "PROJECT", f"S_ROWKEY STRING KEY, {left}", "CSAS_J_0.PrependAliasLeft")
        + line(4, "SOURCE", f"ROWKEY STRING KEY, L0 INTEGER, L1 STRING, {PSEUDO}, ROWKEY STRING", "CSAS_J_0.KafkaTopic_Left.Source")
        + line(3, "PROJECT", f"T_ID STRING KEY, {right}", "CSAS_J_0.PrependAliasRight")
        + line(4, "SOURCE", f"ID STRING KEY, NAME STRING, {PSEUDO}, ID STRING", "CSAS_J_0.KafkaTopic_Right.Source")
    )


def test_a_side_rekeyed_by_its_join_column(ks: Streams) -> None:
    """PreJoinRepartitionNode `LeftSourceKeyed`: a stream joined on a value column is re-keyed by it
    (StreamSelectKey, REKEY, PartitionByParamsFactory.buildSchema: the column as key, the values kept);
    the join key is named after the left criterion (`S_L1`)."""
    ks.sql("CREATE TABLE T (ID STRING PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='t', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE STREAM J AS SELECT S.L1, T.NAME FROM S JOIN T ON S.L1 = T.ID;")
    plan = explain(ks, "CSAS_J_0").splitlines(keepends=True)
    assert plan[0] == line(0, "SINK", "L1 STRING KEY, NAME STRING", "CSAS_J_0.J")
    assert plan[2].startswith("\t\t\t\t > [ JOIN ] | Schema: S_L1 STRING KEY, S_L0 INTEGER, S_L1 STRING, S_ROWTIME")
    assert plan[4] == line(
        4, "REKEY", f"L1 STRING KEY, L0 INTEGER, L1 STRING, {PSEUDO}, ROWKEY STRING", "CSAS_J_0.LeftSourceKeyed"
    )
    assert plan[5] == line(
        5, "SOURCE", f"ROWKEY STRING KEY, L0 INTEGER, L1 STRING, {PSEUDO}, ROWKEY STRING", "CSAS_J_0.KafkaTopic_Left.Source"
    )
    assert "PrependAliasRight" in plan[6] and "KafkaTopic_Right.Source" in plan[7]


def test_a_full_outer_join_has_a_synthetic_key(ks: Streams) -> None:
    """JoinTree.Join.viableKeyColumns: none for a FULL OUTER join, so SyntheticJoinKey names the key
    (ColumnNames.generateSyntheticJoinKey: ROWKEY), which JoinParamsFactory.createSchema appends as a value."""
    ks.sql("CREATE TABLE T (ID STRING PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='t', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE TABLE U (ID STRING PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='u', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE TABLE J AS SELECT * FROM T FULL OUTER JOIN U ON T.ID = U.ID;")
    plan = explain(ks, "CTAS_J_0").splitlines(keepends=True)
    assert plan[2] == line(
        2,
        "JOIN",
        "ROWKEY STRING KEY, T_NAME STRING, T_ROWTIME BIGINT, T_ROWPARTITION INTEGER, T_ROWOFFSET BIGINT, T_ID STRING, "
        "U_V INTEGER, U_ROWTIME BIGINT, U_ROWPARTITION INTEGER, U_ROWOFFSET BIGINT, U_ID STRING, ROWKEY STRING",
        "CTAS_J_0.Join",
    )


def test_a_foreign_key_join_keeps_the_left_key(ks: Streams) -> None:
    """ForeignKeyJoinParamsFactory.createSchema: the left table's key, both sides' values; a foreign-key
    join re-keys neither side (LogicalPlanner.prepareSourceForJoin)."""
    ks.sql("CREATE TABLE T (ID STRING PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='t', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE TABLE U (ID STRING PRIMARY KEY, FK STRING) WITH (KAFKA_TOPIC='u', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE TABLE J AS SELECT * FROM U JOIN T ON U.FK = T.ID;")
    plan = explain(ks, "CTAS_J_0").splitlines(keepends=True)
    assert plan[2] == line(
        2,
        "JOIN",
        "U_ID STRING KEY, U_FK STRING, U_ROWTIME BIGINT, U_ROWPARTITION INTEGER, U_ROWOFFSET BIGINT, U_ID STRING, "
        "T_NAME STRING, T_ROWTIME BIGINT, T_ROWPARTITION INTEGER, T_ROWOFFSET BIGINT, T_ID STRING",
        "CTAS_J_0.Join",
    )
    assert len(plan) == 7


def test_a_filter_after_a_stream_stream_join(ks: Streams) -> None:
    """A WHERE over a join: FilterNode (`WhereFilter`) over the StreamStreamJoin, with the join's schema
    (StepSchemaResolver.sameSchema); both sides re-keyed by their join column."""
    ks.sql("CREATE STREAM S2 (ROWKEY STRING KEY, L0 INTEGER, L1 STRING) WITH (KAFKA_TOPIC='s2', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE STREAM J AS SELECT * FROM S JOIN S2 WITHIN 1 SECOND ON S.L1 = S2.L1 WHERE S.L0 > 1;")
    plan = explain(ks, "CSAS_J_0").splitlines(keepends=True)
    assert [p.split(" ] ")[0].strip() for p in plan] == [
        "> [ SINK", "> [ PROJECT", "> [ FILTER", "> [ JOIN", "> [ PROJECT", "> [ REKEY", "> [ SOURCE",
        "> [ PROJECT", "> [ REKEY", "> [ SOURCE",
    ]
    assert plan[2].split(" | ")[1] == plan[3].split(" | ")[1]
    assert plan[8].endswith("Logger: CSAS_J_0.RightSourceKeyed\n")


SOURCE_S = f"ROWKEY STRING KEY, L0 INTEGER, L1 STRING, {PSEUDO}, ROWKEY STRING"


def test_an_aggregation(ks: Streams) -> None:
    """AggregateNode.buildStream (PlanNodeId `Aggregate`): `Aggregate.Prepare` (a StreamSelect keyed by the
    source's key: the required columns, then each aggregate argument that is not a column as
    KSQL_INTERNAL_COL_<aggArgExpansions.size()>), `Aggregate.GroupBy` (StreamGroupBy, GROUP_BY:
    GroupByParamsFactory.expressionSchema, the grouping column as key then the prepared values),
    `Aggregate.Aggregate` (StreamAggregate, AGGREGATE: AggregateParamsFactory.buildSchema's output schema, the
    key, the required columns, KSQL_AGG_VARIABLE_<i> of each aggregate's return type), `Aggregate.HavingFilter`
    (TableFilter, FILTER, the same schema) and `Aggregate.Project` (TableSelect); the sink follows it
    (LogicalPlanner.buildPlan builds no FinalProjectNode for an aggregation); WHERE comes before them."""
    ks.sql("CREATE TABLE A AS SELECT L1, COUNT(*) AS C, SUM(L0 * 2) FROM S WHERE L0 > 0 GROUP BY L1 HAVING COUNT(*) > 1;")
    aggregated = "L1 STRING KEY, L1 STRING, ROWTIME BIGINT, L0 INTEGER, KSQL_AGG_VARIABLE_0 BIGINT, KSQL_AGG_VARIABLE_1 INTEGER"
    prepared = "L1 STRING, ROWTIME BIGINT, L0 INTEGER, KSQL_INTERNAL_COL_3 INTEGER"
    assert explain(ks, "CTAS_A_0") == (
        line(0, "SINK", "L1 STRING KEY, C BIGINT, KSQL_COL_0 INTEGER", "CTAS_A_0.A")
        + line(1, "PROJECT", "L1 STRING KEY, C BIGINT, KSQL_COL_0 INTEGER", "CTAS_A_0.Aggregate.Project")
        + line(2, "FILTER", aggregated, "CTAS_A_0.Aggregate.HavingFilter")
        + line(3, "AGGREGATE", aggregated, "CTAS_A_0.Aggregate.Aggregate")
        + line(4, "GROUP_BY", f"L1 STRING KEY, {prepared}", "CTAS_A_0.Aggregate.GroupBy")
        + line(5, "PROJECT", f"ROWKEY STRING KEY, {prepared}", "CTAS_A_0.Aggregate.Prepare")
        + line(6, "FILTER", SOURCE_S, "CTAS_A_0.WhereFilter")
        + line(7, "SOURCE", SOURCE_S, "CTAS_A_0.KsqlTopic.Source")
    )


def test_a_windowed_aggregation_by_the_key(ks: Streams) -> None:
    """Grouping by the source's only key column is a StreamGroupByKey (StepSchemaResolver.sameSchema);
    StreamWindowedAggregate's schema ends with WINDOWSTART and WINDOWEND (AggregateParamsFactory's
    addWindowBounds)."""
    ks.sql("CREATE TABLE A AS SELECT ROWKEY, MAX(L0) FROM S WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY ROWKEY;")
    plan = explain(ks, "CTAS_A_0").splitlines(keepends=True)
    assert plan[2] == line(
        2,
        "AGGREGATE",
        "ROWKEY STRING KEY, ROWKEY STRING, L0 INTEGER, KSQL_AGG_VARIABLE_0 INTEGER, WINDOWSTART BIGINT, WINDOWEND BIGINT",
        "CTAS_A_0.Aggregate.Aggregate",
    )
    assert plan[3] == line(3, "GROUP_BY", "ROWKEY STRING KEY, ROWKEY STRING, L0 INTEGER", "CTAS_A_0.Aggregate.GroupBy")
    assert plan[4] == line(4, "PROJECT", "ROWKEY STRING KEY, ROWKEY STRING, L0 INTEGER", "CTAS_A_0.Aggregate.Prepare")


def test_grouping_expressions_take_generated_names(ks: Streams) -> None:
    """GroupByParamsFactory.expressionSchema: a grouping column keeps its name, another expression takes
    ColumnAliasGenerator.uniqueAliasFor's KSQL_COL_<n> (numbered over the generated names only), whatever
    the projection's alias."""
    ks.sql("CREATE TABLE A AS SELECT UCASE(L1) AS U, L0, COUNT(*) FROM S GROUP BY L0, UCASE(L1);")
    plan = explain(ks, "CTAS_A_0").splitlines(keepends=True)
    assert plan[3] == line(
        3, "GROUP_BY", "L0 INTEGER KEY, KSQL_COL_0 STRING KEY, L1 STRING, L0 INTEGER, ROWTIME BIGINT",
        "CTAS_A_0.Aggregate.GroupBy",
    )


def test_a_table_aggregation(ks: Streams) -> None:
    """A table is always re-grouped (TableGroupBy, GROUP_BY) and aggregated by TableAggregate (AGGREGATE)."""
    ks.sql("CREATE TABLE T (ID STRING PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='t', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE TABLE A AS SELECT NAME, COUNT(*) FROM T GROUP BY NAME;")
    assert explain(ks, "CTAS_A_0") == (
        line(0, "SINK", "NAME STRING KEY, KSQL_COL_0 BIGINT", "CTAS_A_0.A")
        + line(1, "PROJECT", "NAME STRING KEY, KSQL_COL_0 BIGINT", "CTAS_A_0.Aggregate.Project")
        + line(2, "AGGREGATE", "NAME STRING KEY, NAME STRING, ROWTIME BIGINT, KSQL_AGG_VARIABLE_0 BIGINT", "CTAS_A_0.Aggregate.Aggregate")
        + line(3, "GROUP_BY", "NAME STRING KEY, NAME STRING, ROWTIME BIGINT", "CTAS_A_0.Aggregate.GroupBy")
        + line(4, "PROJECT", "ID STRING KEY, NAME STRING, ROWTIME BIGINT", "CTAS_A_0.Aggregate.Prepare")
        + line(5, "SOURCE", f"ID STRING KEY, NAME STRING, {PSEUDO}, ID STRING", "CTAS_A_0.KsqlTopic.Source")
    )


def test_a_push_query_ends_at_its_projection(ks: Streams) -> None:
    """ExplainExecutor runs a push query as EngineExecutor.executeTransientQuery, whose plan summary
    (buildPlanSummary) starts at the projection: KsqlBareOutputNode.buildStream adds no step. Its select
    keeps the key columns as values (only a persistent FinalProjectNode removes them) and names the key as
    SelectionUtil.buildProjectionSchema does: the alias of the projection selecting it."""
    [entity] = ks.sql("EXPLAIN SELECT L1, ROWKEY AS K FROM S WHERE L0 > 1 EMIT CHANGES;")
    plan = entity["queryDescription"]["executionPlan"]
    query_id = entity["queryDescription"]["id"]
    assert query_id.startswith("transient_S_")
    assert plan == (
        line(0, "PROJECT", "K STRING KEY, L1 STRING, K STRING", f"{query_id}.Project")
        + line(1, "FILTER", SOURCE_S, f"{query_id}.WhereFilter")
        + line(2, "SOURCE", SOURCE_S, f"{query_id}.KsqlTopic.Source")
    )


def test_a_push_query_without_its_key(ks: Streams) -> None:
    """Selection.buildSchema: with no key column selected, FinalProjectNode's schema names no key, so the
    select keeps the source's key names."""
    [entity] = ks.sql("EXPLAIN SELECT L1 FROM S EMIT CHANGES;")
    plan = entity["queryDescription"]["executionPlan"].splitlines(keepends=True)
    assert plan[0] == line(0, "PROJECT", "ROWKEY STRING KEY, L1 STRING", f"{entity['queryDescription']['id']}.Project")
