"""ksqlDB 0.29's KsqlEngineTest (ksqldb-engine, io.confluent.ksql.engine): the statement-level rules and their
messages, run through the Engine on the MetaStoreFixture sources. Mock-only checks (sandboxes, topic and
subject clean-up, Kafka Streams lifecycle) have no SQL-observable effect and are not ported."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # the fixture's helper (conftest is not importable under --import-mode=importlib)
    from conftest import Ksql


def test_terminate_then_drop(ksql: Ksql) -> None:
    """shouldBeAbleToPrepareTerminateAndDrop: query ids count from 0 on an engine without a command topic."""
    ksql.execute("CREATE STREAM FOO AS SELECT * FROM TEST1;")
    ksql.execute("TERMINATE CSAS_FOO_0;")
    ksql.execute("DROP STREAM FOO;")


def test_insert_into_table_refused(ksql: Ksql) -> None:
    """shouldThrowWhenExecutingInsertIntoTable."""
    ksql.execute("create table bar as select * from test2;")
    e = ksql.error("insert into bar select * from test2;")
    assert "INSERT INTO can only be used to insert into a stream. BAR is a table." in e.message
    assert e.statement_text == "insert into bar select * from test2;"


def test_bad_sum_aggregate(ksql: Ksql) -> None:
    """shouldThrowForBadSumAggregate."""
    e = ksql.query_error(
        "SELECT 'dummy', SUM(CAST(col1 AS STRING)) FROM test1 GROUP BY 'dummy' EMIT CHANGES;"
    )
    msg = e.message
    assert "Function 'SUM' does not accept parameters (STRING)." in msg


def test_insert_into_stream_with_table_result(ksql: Ksql) -> None:
    """shouldThrowOnInsertIntoStreamWithTableResult."""
    ksql.execute("create stream bar as select ordertime, itemid, orderid from orders;")
    sql = "insert into bar select itemid, count(*) from orders group by itemid;"
    e = ksql.error(sql)
    assert (
        "Incompatible data sink and query result. Data sink (BAR) type is KSTREAM but select query result is "
        "KTABLE." in e.message
    )
    assert e.statement_text == sql


def test_insert_into_with_key_mismatch(ksql: Ksql) -> None:
    """shouldThrowOnInsertIntoWithKeyMismatch."""
    ksql.execute("create stream bar as select * from orders;")
    e = ksql.error("insert into bar select * from orders partition by orderid;")
    assert "Incompatible schema between results and sink." in e.message
    assert "Result schema is `ORDERID` BIGINT KEY, " in e.message
    assert "Sink schema is `ORDERTIME` BIGINT KEY, " in e.message


def test_insert_into_schema_mismatch(ksql: Ksql) -> None:
    """shouldThrowWhenInsertIntoSchemaDoesNotMatch."""
    ksql.execute("create stream bar as select * from orders;")
    e = ksql.error("insert into bar select orderTime, itemid from orders;")
    assert "Incompatible schema between results and sink." in e.message


def test_insert_into_custom_query_id(ksql: Ksql) -> None:
    """shouldExecuteInsertIntoWithCustomQueryId / shouldThrowInsertIntoIfCustomQueryIdAlreadyExists."""
    ksql.execute("create stream bar as select * from orders;")
    out = ksql.execute("insert into bar with (query_id='my_insert_id') select * from orders;")
    assert out[0]["commandStatus"]["queryId"] == "MY_INSERT_ID"
    msg = ksql.message("insert into bar with (query_id='my_insert_id') select * from orders;")
    assert "Query ID 'MY_INSERT_ID' already exists." in msg


def test_insert_into_stream_ids(ksql: Ksql) -> None:
    """shouldExecuteInsertIntoStream / shouldMaintainOrderOfReturnedQueries."""
    ksql.execute("create stream bar as select * from orders;")
    out = ksql.execute("insert into bar select * from orders;")
    assert out[0]["commandStatus"]["queryId"] == "INSERTQUERY_1"


@pytest.mark.parametrize(
    ("setup", "sql", "expected"),
    [
        # shouldShowHintWhenFailingToCreateQueryIfSelectingFromSourceNameWithoutQuotes
        ("create stream bar as select * from test1;", 'select * from "bar";',
         "bar does not exist.\nDid you mean BAR? Hint: try removing double quotes from the source name."),
        # shouldShowHintWhenFailingToCreateQueryIfSelectingFromSourceNameWithMisspelling
        ('create stream "Bar" as select * from test1;', 'select * from "bAr";',
         'bAr does not exist.\nDid you mean "Bar"? Hint: wrap the source name in double quotes to make it '
         "case-sensitive."),
        # shouldShowCorrectHintsWhenIncorrectSourceMatchesWithTwo
        ('create stream "Bar" as select * from test1;create stream bar as select * from test1;',
         'select * from "bar";',
         'bar does not exist.\nDid you mean "BAR" (STREAM) or "Bar" (STREAM)? Hint: wrap the source name in '
         "double quotes to make it case-sensitive."),
        # shouldShowCorrectHintsWhenIncorrectSourceMatchesWithThree
        ('create table "Foo" as select * from test2; create table foo as select * from test2; '
         'create stream "foo" as select * from test1;', 'select * from "FoO";',
         'FoO does not exist.\nDid you mean "FOO" (TABLE), "Foo" (TABLE), or "foo" (STREAM)? Hint: wrap the '
         "source name in double quotes to make it case-sensitive."),
        # shouldShowHintWhenFailingToCreateQueryIfSelectingFromSourceNameWithQuotes
        ('create stream "bar" as select * from test1;', "select * from bar;",
         'BAR does not exist.\nDid you mean "bar"? Hint: wrap the source name in double quotes to make it '
         "case-sensitive."),
    ],
)  # fmt: skip
def test_unknown_source_hints(ksql: Ksql, setup: str, sql: str, expected: str) -> None:
    """The hints of SourceNameHint (KsqlEngineTest.shouldShowHint...)."""
    ksql.execute(setup)
    e = ksql.query_error(sql)
    assert expected in e.message
    assert e.statement_text == sql


@pytest.mark.parametrize(
    ("setup", "sql", "expected"),
    [
        # shouldShowHintWhenFailingToDropStreamWithSourceNameWithQuotes
        ("create stream bar as select * from test1;", 'drop stream "bar";',
         "Stream bar does not exist.\nDid you mean BAR? Hint: try removing double quotes from the source name."),
        # shouldShowHintWhenFailingToDropTableWithSourceNameWithoutQuotes
        ('create table "bar" as select * from test2;', "drop table bar;",
         'Table BAR does not exist.\nDid you mean "bar"? Hint: wrap the source name in double quotes to make '
         "it case-sensitive."),
        # shouldNotShowHintWhenFailingToDropNonExistingTable
        ('create stream "bar" as select * from test1;', "drop table bar;", "Table BAR does not exist."),
        # shouldNotShowHintWhenFailingToDropNonExistingStream
        ('create table "bar" as select * from test2;', "drop stream bar;", "Stream BAR does not exist."),
    ],
)  # fmt: skip
def test_drop_unknown_source(ksql: Ksql, setup: str, sql: str, expected: str) -> None:
    """KsqlEngineTest's drop hints (DropSourceFactory)."""
    ksql.execute(setup)
    e = ksql.error(sql)
    assert e.message == expected
    assert e.statement_text == sql


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        # shouldFailDropTableWhenAnotherTableIsReadingTheTable (as a stream: same DropSourceFactory path)
        ("create stream bar as select * from test1;create stream foo as select * from bar;",
         "Cannot drop BAR.\nThe following streams and/or tables read from this source: [FOO].\n"
         "You need to drop them before dropping BAR."),
        # shouldFailDropStreamWhenMultipleStreamsAreReadingTheTable
        ("create stream bar as select * from test1;create stream foo as select * from bar;"
         "create stream foo2 as select * from bar;",
         "Cannot drop BAR.\nThe following streams and/or tables read from this source: [FOO, FOO2].\n"
         "You need to drop them before dropping BAR."),
        # shouldFailDropStreamWhenAnInsertQueryIsWritingTheStream
        ("create stream bar as select * from test1;insert into bar select * from test1;",
         "Cannot drop BAR.\nThe following queries read from this source: [].\n"
         "The following queries write into this source: [INSERTQUERY_1].\n"
         "You need to terminate them before dropping BAR."),
        # shouldFailDropStreamWhenAnInsertQueryIsReadingTheStream
        ("create stream bar as select * from test1;create stream foo as select * from test1;"
         "insert into foo select * from bar;",
         "Cannot drop BAR.\nThe following queries read from this source: [INSERTQUERY_2].\n"
         "The following queries write into this source: [].\n"
         "You need to terminate them before dropping BAR."),
        # shouldFailDropStreamWhenMultipleInsertQueriesAreReadingAndWritingTheStream
        ("create stream bar as select * from test1;create stream foo as select * from test1;"
         "create stream foo2 as select * from test1;insert into foo select * from bar;"
         "insert into foo2 select * from bar;insert into bar select * from foo;"
         "insert into bar select * from foo2;",
         "Cannot drop BAR.\nThe following queries read from this source: [INSERTQUERY_3, INSERTQUERY_4].\n"
         "The following queries write into this source: [INSERTQUERY_5, INSERTQUERY_6].\n"
         "You need to terminate them before dropping BAR."),
    ],
)  # fmt: skip
def test_drop_source_in_use(ksql: Ksql, setup: str, expected: str) -> None:
    """KsqlEngineTest.shouldFailDrop...: the dependents DropSourceFactory / EngineContext names."""
    ksql.execute(setup)
    e = ksql.error("drop stream bar;")
    assert e.message == expected
    assert e.statement_text == "drop stream bar;"


def test_drop_table_read_by_table(ksql: Ksql) -> None:
    """shouldFailDropTableWhenAnotherTableIsReadingTheTable."""
    ksql.execute("create table bar as select * from test2;create table foo as select * from bar;")
    assert ksql.message("drop table bar;") == (
        "Cannot drop BAR.\nThe following streams and/or tables read from this source: [FOO].\n"
        "You need to drop them before dropping BAR."
    )


def test_drop_terminates_the_source_query(ksql: Ksql) -> None:
    """shouldDropTableAndTerminateQuery / shouldDropStreamAndTerminateQuery."""
    ksql.execute("create table foo as select * from test2;create table bar as select * from foo;")
    ksql.execute("drop table bar;")
    ksql.execute("create stream foo1 as select * from test1;create stream bar1 as select * from foo1;")
    ksql.execute("drop stream bar1;")
    assert ksql.query_ids() == ["CTAS_FOO_0", "CSAS_FOO1_2"]


def test_ddl_on_missing_topic(make_ksql: Callable[..., Ksql]) -> None:
    """shouldFailDDLStatementIfTopicDoesNotExist / shouldThrowFromExecuteIfSourceTopicDoesNotExist: the engine's
    own check (the REST server's TopicCreateInjector refuses it first, with its own message)."""
    msg = make_ksql(topic_injector=False).message(
        "CREATE STREAM S1_NOTEXIST (COL1 BIGINT, COL2 VARCHAR) "
        "WITH  (KAFKA_TOPIC = 'S1_NOTEXIST', VALUE_FORMAT = 'JSON', KEY_FORMAT = 'KAFKA');"
    )
    assert msg == "Kafka topic does not exist: S1_NOTEXIST"


def test_duplicate_table(ksql: Ksql) -> None:
    """shouldThrowWhenExecutingDuplicateTable / shouldNotThrowWhenExecutingDuplicateTableWithIfNotExists /
    shouldNotThrowWhenExecutingDuplicateTableWithCreateOrReplace."""
    ksql.execute("CREATE TABLE FOO AS SELECT * FROM TEST2;")
    sql = "CREATE TABLE FOO WITH (KAFKA_TOPIC='BAR') AS SELECT * FROM TEST2;"
    e = ksql.error(sql)
    assert e.message == "Cannot add table 'FOO': A table with the same name already exists"
    assert e.statement_text == sql
    ksql.execute("CREATE TABLE IF NOT EXISTS FOO WITH (KAFKA_TOPIC='BAR') AS SELECT * FROM TEST2;")
    ksql.execute("CREATE OR REPLACE TABLE FOO AS SELECT * FROM TEST2;")


def test_duplicate_stream(ksql: Ksql) -> None:
    """shouldThrowWhenExecutingDuplicateStream / shouldNotThrowWhenExecutingDuplicateStreamWithIfNotExists."""
    ksql.execute("CREATE STREAM FOO AS SELECT * FROM ORDERS;")
    sql = "CREATE STREAM FOO WITH (KAFKA_TOPIC='BAR') AS SELECT * FROM ORDERS;"
    e = ksql.error(sql)
    assert e.message == "Cannot add stream 'FOO': A stream with the same name already exists"
    ksql.execute("CREATE STREAM IF NOT EXISTS FOO WITH (KAFKA_TOPIC='BAR') AS SELECT * FROM ORDERS;")


def test_unknown_source_in_csas(ksql: Ksql) -> None:
    """shouldThrowWhenPreparingUnknownSource / shouldThrowOnPrepareIfSourcesDoNotExist."""
    e = ksql.error("CREATE STREAM FOO AS SELECT * FROM UNKNOWN;")
    assert "UNKNOWN does not exist." in e.message
    assert e.statement_text == "CREATE STREAM FOO AS SELECT * FROM UNKNOWN;"


def test_csas_producing_a_table(ksql: Ksql) -> None:
    """shouldThrowWhenExecutingQueriesIfCsasCreatesTable."""
    sql = "CREATE STREAM FOO AS SELECT ORDERID, COUNT(ORDERID) FROM ORDERS GROUP BY ORDERID;"
    e = ksql.error(sql)
    assert (
        "Invalid result type. Your SELECT query produces a TABLE. Please use CREATE TABLE AS SELECT statement "
        "instead." in e.message
    )
    assert e.statement_text == sql


def test_ctas_producing_a_stream(ksql: Ksql) -> None:
    """shouldThrowWhenExecutingQueriesIfCtasCreatesStream."""
    e = ksql.error("CREATE TABLE FOO AS SELECT * FROM ORDERS;")
    assert (
        "Invalid result type. Your SELECT query produces a STREAM. Please use CREATE STREAM AS SELECT statement "
        "instead." in e.message
    )


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TABLE FOO (viewtime BIGINT, pageid VARCHAR) WITH (VALUE_FORMAT='AVRO', KEY_FORMAT='KAFKA');",
        "CREATE STREAM FOO (viewtime BIGINT, pageid VARCHAR) WITH (VALUE_FORMAT='AVRO', KEY_FORMAT='KAFKA');",
        "CREATE TABLE FOO (viewtime BIGINT, pageid VARCHAR) WITH (VALUE_FORMAT='JSON', KEY_FORMAT='KAFKA');",
        "CREATE STREAM FOO (viewtime BIGINT, pageid VARCHAR) WITH (VALUE_FORMAT='JSON', KEY_FORMAT='KAFKA');",
    ],
)
def test_missing_kafka_topic(ksql: Ksql, sql: str) -> None:
    """shouldThrowIfStatementMissingTopicConfig."""
    assert 'Missing required property "KAFKA_TOPIC" which has no default value.' in ksql.message(sql)


def test_multiple_statements(ksql: Ksql) -> None:
    """shouldHandleMultipleStatements / shouldNotEnforceTopicExistenceWhileParsing: comments, DDL, CSAS and a
    DROP in one request; a CTAS's sink topic serves a later CREATE STREAM."""
    ksql.engine.driver.create_topic("s0_topic", partitions=1)
    ksql.engine.driver.create_topic("t1_topic", partitions=1)
    ksql.execute(
        "-- single line comment\n/*\n   Multi-line comment\n*/\n"
        "CREATE STREAM S0 (a INT, b VARCHAR) "
        "      WITH (kafka_topic='s0_topic', value_format='DELIMITED', key_format='KAFKA');\n\n"
        "CREATE TABLE T1 (f0 BIGINT PRIMARY KEY, f1 DOUBLE) "
        "     WITH (kafka_topic='t1_topic', value_format='JSON', key_format='KAFKA');\n\n"
        "CREATE STREAM S1 AS SELECT * FROM S0;\n\nCREATE STREAM S2 AS SELECT * FROM S0;\n\nDROP TABLE T1;"
    )
    assert ksql.query_ids() == ["CSAS_S1_0", "CSAS_S2_1"]
    ksql.execute(
        "CREATE TABLE TT1 AS SELECT COL1, count(*) FROM TEST1 GROUP BY COL1;\n"
        "CREATE STREAM S3 (C1 BIGINT, C2 BIGINT) WITH (KAFKA_TOPIC = 'TT1', VALUE_FORMAT = 'JSON', "
        "KEY_FORMAT = 'KAFKA');\n"
    )


def test_persistent_query_value_schema(ksql: Ksql) -> None:
    """shouldNotHaveRowTimeAndRowKeyColumnsInPersistentQueryValueSchema."""
    ksql.execute("create table bar as select * from test2;")
    assert ksql.schema("BAR") == (
        "`COL0` BIGINT PRIMARY KEY, `COL1` STRING, `COL2` STRING, `COL3` DOUBLE, `COL4` BOOLEAN"
    )


def test_drop_legacy_delete_topic(ksql: Ksql) -> None:
    """shouldIgnoreLegacyDeleteTopicPartOfDropCommand: DROP ... DELETE TOPIC parses and drops."""
    ksql.execute("CREATE STREAM FOO AS SELECT * FROM TEST1;")
    ksql.execute("TERMINATE CSAS_FOO_0;")
    ksql.execute("DROP STREAM FOO DELETE TOPIC;")
    assert ksql.engine.state.metastore.get("FOO") is None


def test_source_table_query(ksql: Ksql) -> None:
    """shouldCreateSourceTablesQueries: CREATE SOURCE TABLE starts a query materialising it (CST_<NAME>_<n>,
    counted with the other query ids), which has no sink."""
    ksql.engine.driver.create_topic("t1_topic", partitions=1)
    out = ksql.execute(
        "create source table t1 (f0 bigint primary key, f1 double, f2 boolean) "
        "with (kafka_topic='t1_topic', value_format='json');"
    )
    assert {k: q.query_id for k, q in ksql.engine.state.source_tables.items()} == {"T1": "CST_T1_0"}
    # InteractiveStatementExecutor.getSuccessMessage: the CREATE_SOURCE query is the ExecuteResult
    assert out[0]["commandStatus"]["message"] == "Created query with ID CST_T1_0"
    assert ksql.schema("T1") == "`F0` BIGINT PRIMARY KEY, `F1` DOUBLE, `F2` BOOLEAN"


def test_persistent_queries(ksql: Ksql) -> None:
    """shouldCreatePersistentQueries: one query per CREATE ... AS SELECT, in order, each with its sink."""
    out = ksql.execute("create table bar as select * from test2;create table foo as select * from test2;")
    assert [o["commandStatus"]["queryId"] for o in out] == ["CTAS_BAR_0", "CTAS_FOO_1"]
