"""ksqlDB 0.29 io.confluent.ksql.engine.KsqlEngineTest (ksqldb-engine's engine unit test over a real
KsqlEngine), the cases a user sees through statements: errors (message and statement text, as the Java
`rawMessage` / `statementText` matchers read them), query ids, what DROP terminates.

The sources are MetaStoreFixture's (KAFKA keys, JSON values), made here with DDL. Cases about the sandbox,
Kafka Streams' internal topics, consumer groups and the engine's Java API (prepare vs execute) are not
translated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ksqlserver.engine import Engine
from ksqlserver.errors import KsqlError


@pytest.fixture
def h(harness_factory: Callable[..., Any]) -> Any:
    """MetaStoreFixture.getNewMetaStore: TEST1, TEST2 and ORDERS. KsqlEngineTestUtil runs no
    SchemaRegisterInjector: planning errors are not wrapped."""
    h = harness_factory(schema_register_injector=False)
    h.metastore_fixture()
    return h


def error(h: Any, sql: str) -> KsqlError:
    with pytest.raises(KsqlError) as info:
        h.sql(sql)
    return info.value


def query_ids(h: Any) -> list[str]:
    return [q["id"] for q in h.sql("SHOW QUERIES;")[0]["queries"]]


def assert_error(h: Any, sql: str, message: str, exact: bool = True) -> None:
    e = error(h, sql)
    if exact:
        assert e.message == message
    else:
        assert message in e.message
    assert e.statement_text == sql


def test_should_throw_when_executing_insert_into_table(h: Any) -> None:
    """KsqlEngineTest.shouldThrowWhenExecutingInsertIntoTable."""
    h.sql("create table bar as select * from test2;")
    assert_error(
        h,
        "insert into bar select * from test2;",
        "INSERT INTO can only be used to insert into a stream. BAR is a table.",
        exact=False,
    )


def test_should_throw_for_bad_sum_aggregate(h: Any) -> None:
    """KsqlEngineTest.shouldThrowForBadSumAggregate."""
    e = error(h, "CREATE TABLE X AS SELECT 'dummy', SUM(CAST(col1 AS STRING)) FROM test1 GROUP BY 'dummy';")
    assert "Function 'SUM' does not accept parameters (STRING)." in e.message


def test_should_throw_on_insert_into_stream_with_table_result(h: Any) -> None:
    """KsqlEngineTest.shouldThrowOnInsertIntoStreamWithTableResult."""
    h.sql("create stream bar as select ordertime, itemid, orderid from orders;")
    assert_error(
        h,
        "insert into bar select itemid, count(*) from orders group by itemid;",
        "Incompatible data sink and query result. Data sink (BAR) type is KSTREAM but select query result is KTABLE.",
        exact=False,
    )


def test_should_throw_on_insert_into_with_key_mismatch(h: Any) -> None:
    """KsqlEngineTest.shouldThrowOnInsertIntoWithKeyMismatch."""
    h.sql("create stream bar as select * from orders;")
    sql = "insert into bar select * from orders partition by orderid;"
    e = error(h, sql)
    assert "Incompatible schema between results and sink." in e.message
    assert "Result schema is `ORDERID` BIGINT KEY, " in e.message
    assert "Sink schema is `ORDERTIME` BIGINT KEY, " in e.message
    assert e.statement_text == sql


def test_should_throw_when_insert_into_schema_does_not_match(h: Any) -> None:
    """KsqlEngineTest.shouldThrowWhenInsertIntoSchemaDoesNotMatch."""
    h.sql("create stream bar as select * from orders;")
    assert_error(
        h,
        "insert into bar select orderTime, itemid from orders;",
        "Incompatible schema between results and sink.",
        exact=False,
    )


def test_should_execute_insert_into_with_custom_query_id(h: Any) -> None:
    """KsqlEngineTest.shouldExecuteInsertIntoWithCustomQueryId."""
    h.sql("create stream bar as select * from orders;")
    h.sql("insert into bar with (query_id='my_insert_id') select * from orders;")
    assert query_ids(h) == ["CSAS_BAR_0", "MY_INSERT_ID"]


def test_should_throw_insert_into_if_custom_query_id_already_exists(h: Any) -> None:
    """KsqlEngineTest.shouldThrowInsertIntoIfCustomQueryIdAlreadyExists."""
    h.sql(
        "create stream bar as select * from orders;"
        "insert into bar with (query_id='my_insert_id') select * from orders;"
    )
    e = error(h, "insert into bar with (query_id='my_insert_id') select * from orders;")
    assert "Query ID 'MY_INSERT_ID' already exists." in e.message


def test_should_maintain_order_of_returned_queries(h: Any) -> None:
    """KsqlEngineTest.shouldMaintainOrderOfReturnedQueries."""
    h.sql("create stream foo as select * from orders;create stream bar as select * from orders;")
    assert query_ids(h) == ["CSAS_FOO_0", "CSAS_BAR_1"]


@pytest.mark.parametrize(
    "given, sql, message",
    [
        pytest.param(
            "create stream bar as select * from test1;",
            'select * from "bar";',
            "Exception while preparing statement: bar does not exist.\n"
            "Did you mean BAR? Hint: try removing double quotes from the source name.",
            id="shouldShowHintWhenFailingToCreateQueryIfSelectingFromSourceNameWithoutQuotes",
        ),
        pytest.param(
            'create stream "Bar" as select * from test1;',
            'select * from "bAr";',
            "Exception while preparing statement: bAr does not exist.\n"
            'Did you mean "Bar"? Hint: wrap the source name in double quotes to make it case-sensitive.',
            id="shouldShowHintWhenFailingToCreateQueryIfSelectingFromSourceNameWithMisspelling",
        ),
        pytest.param(
            'create stream "Bar" as select * from test1; create stream bar as select * from test1;',
            'select * from "bar";',
            "Exception while preparing statement: bar does not exist.\n"
            'Did you mean "BAR" (STREAM) or "Bar" (STREAM)? Hint: wrap the source name in double quotes to '
            "make it case-sensitive.",
            id="shouldShowCorrectHintsWhenIncorrectSourceMatchesWithTwo",
        ),
        pytest.param(
            'create table "Foo" as select * from test2; create table foo as select * from test2; '
            'create stream "foo" as select * from test1;',
            'select * from "FoO";',
            "Exception while preparing statement: FoO does not exist.\n"
            'Did you mean "FOO" (TABLE), "Foo" (TABLE), or "foo" (STREAM)? Hint: wrap the source name in '
            "double quotes to make it case-sensitive.",
            id="shouldShowCorrectHintsWhenIncorrectSourceMatchesWithThree",
        ),
        pytest.param(
            'create stream "bar" as select * from test1;',
            "select * from bar;",
            "Exception while preparing statement: BAR does not exist.\n"
            'Did you mean "bar"? Hint: wrap the source name in double quotes to make it case-sensitive.',
            id="shouldShowHintWhenFailingToCreateQueryIfSelectingFromSourceNameWithQuotes",
        ),
        pytest.param(
            "create stream bar as select * from test1;",
            'drop stream "bar";',
            "Stream bar does not exist.\nDid you mean BAR? Hint: try removing double quotes from the source name.",
            id="shouldShowHintWhenFailingToDropStreamWithSourceNameWithQuotes",
        ),
        pytest.param(
            'create table "bar" as select * from test2;',
            "drop table bar;",
            'Table BAR does not exist.\nDid you mean "bar"? Hint: wrap the source name in double quotes to '
            "make it case-sensitive.",
            id="shouldShowHintWhenFailingToDropTableWithSourceNameWithoutQuotes",
        ),
        pytest.param(
            'create stream "bar" as select * from test1;',
            "drop table bar;",
            "Table BAR does not exist.",
            id="shouldNotShowHintWhenFailingToDropNonExistingTable",
        ),
        pytest.param(
            'create table "bar" as select * from test2;',
            "drop stream bar;",
            "Stream BAR does not exist.",
            id="shouldNotShowHintWhenFailingToDropNonExistingStream",
        ),
    ],
)
def test_source_name_hints(h: Any, given: str, sql: str, message: str) -> None:
    """KsqlEngineTest's hints for a source name that does not exist (the SELECTs as the /ksql endpoint
    refuses them: through a CREATE STREAM AS, whose message is the same)."""
    h.sql(given)
    if sql.startswith("select"):
        e = error(h, f"CREATE STREAM PROBE AS {sql}")
        assert e.message == message
        return
    assert_error(h, sql, message)


@pytest.mark.parametrize(
    "given, message",
    [
        pytest.param(
            "create table bar as select * from test2;create table foo as select * from bar;",
            "Cannot drop BAR.\nThe following streams and/or tables read from this source: [FOO].\n"
            "You need to drop them before dropping BAR.",
            id="shouldFailDropTableWhenAnotherTableIsReadingTheTable",
        ),
        pytest.param(
            "create stream bar as select * from test1;create stream foo as select * from bar;",
            "Cannot drop BAR.\nThe following streams and/or tables read from this source: [FOO].\n"
            "You need to drop them before dropping BAR.",
            id="shouldFailDropStreamWhenAnotherStreamIsReadingTheTable",
        ),
        pytest.param(
            "create stream bar as select * from test1;create stream foo as select * from bar;"
            "create stream foo2 as select * from bar;",
            "Cannot drop BAR.\nThe following streams and/or tables read from this source: [FOO, FOO2].\n"
            "You need to drop them before dropping BAR.",
            id="shouldFailDropStreamWhenMultipleStreamsAreReadingTheTable",
        ),
        pytest.param(
            "create stream bar as select * from test1;insert into bar select * from test1;",
            "Cannot drop BAR.\nThe following queries read from this source: [].\n"
            "The following queries write into this source: [INSERTQUERY_1].\n"
            "You need to terminate them before dropping BAR.",
            id="shouldFailDropStreamWhenAnInsertQueryIsWritingTheStream",
        ),
        pytest.param(
            "create stream bar as select * from test1;create stream foo as select * from test1;"
            "insert into foo select * from bar;",
            "Cannot drop BAR.\nThe following queries read from this source: [INSERTQUERY_2].\n"
            "The following queries write into this source: [].\n"
            "You need to terminate them before dropping BAR.",
            id="shouldFailDropStreamWhenAnInsertQueryIsReadingTheStream",
        ),
        pytest.param(
            "create stream bar as select * from test1;create stream foo as select * from test1;"
            "create stream foo2 as select * from test1;insert into foo select * from bar;"
            "insert into foo2 select * from bar;insert into bar select * from foo;"
            "insert into bar select * from foo2;",
            "Cannot drop BAR.\nThe following queries read from this source: [INSERTQUERY_3, INSERTQUERY_4].\n"
            "The following queries write into this source: [INSERTQUERY_5, INSERTQUERY_6].\n"
            "You need to terminate them before dropping BAR.",
            id="shouldFailDropStreamWhenMultipleInsertQueriesAreReadingAndWritingTheStream",
        ),
    ],
)
def test_drop_refused(h: Any, given: str, message: str) -> None:
    """KsqlEngineTest's DROPs of a source other sources or INSERT queries depend on."""
    h.sql(given)
    kind = "table" if "create table bar" in given else "stream"
    assert_error(h, f"drop {kind} bar;", message)


@pytest.mark.parametrize("kind, source, prefix", [("table", "test2", "CTAS"), ("stream", "test1", "CSAS")])
def test_should_drop_and_terminate_query(h: Any, kind: str, source: str, prefix: str) -> None:
    """KsqlEngineTest.shouldDropTableAndTerminateQuery / shouldDropStreamAndTerminateQuery."""
    h.sql(f"create {kind} foo as select * from {source};create {kind} bar as select * from foo;")
    h.sql(f"drop {kind} bar;")
    assert h.source("BAR") is None
    assert query_ids(h) == [f"{prefix}_FOO_0"]


@pytest.mark.parametrize("kind, source, prefix", [("table", "test2", "CTAS"), ("stream", "test1", "CSAS")])
def test_should_drop_if_query_was_terminated_manually(h: Any, kind: str, source: str, prefix: str) -> None:
    """KsqlEngineTest.shouldDropStreamIfQueryWasTerminatedManually / shouldDropTableIfQueryWasTerminatedManually."""
    h.sql(f"create {kind} foo as select * from {source};")
    h.sql(f"TERMINATE {prefix}_FOO_0;")
    h.sql(f"drop {kind} foo;")
    assert h.source("FOO") is None
    assert query_ids(h) == []


def test_should_drop_table_if_all_referenced_queries_terminated(h: Any) -> None:
    """KsqlEngineTest.shouldDropTableIfAllReferencedQueriesTerminated."""
    h.sql("create table bar as select * from test2;create table foo as select * from test2;")
    h.sql("TERMINATE CTAS_FOO_1;")
    h.sql("drop table foo;")
    assert h.source("FOO") is None


def test_should_throw_if_source_topic_does_not_exist(harness_factory: Callable[..., Any]) -> None:
    """KsqlEngineTest.shouldThrowFromExecuteIfSourceTopicDoesNotExist / ...OnPrepare... (CreateSourceFactory):
    the engine alone, without the REST API's TopicCreateInjector (EngineConfig.topic_injector False), which
    would refuse the statement first, asking for PARTITIONS."""
    h = harness_factory(topic_injector=False)
    assert_error(
        h,
        "CREATE STREAM S1 (COL1 BIGINT) WITH (KAFKA_TOPIC = 'i_do_not_exist', VALUE_FORMAT = 'JSON', "
        "KEY_FORMAT = 'KAFKA');",
        "Kafka topic does not exist: i_do_not_exist",
    )


def test_should_throw_if_schema_not_present(h: Any) -> None:
    """KsqlEngineTest.shouldThrowIfSchemaNotPresent: the engine alone says "The statement does not define any
    columns."; through KsqlContext or the REST API DefaultSchemaInjector looks the value schema up first and
    fails on the missing subject (SchemaRegistryTopicSchemaSupplier's message), which is what users see."""
    h.ensure_topics("bar")
    e = error(h, "create stream bar with (key_format='kafka', value_format='avro', kafka_topic='bar');")
    assert e.message.startswith(
        "Schema for message values on topic 'bar' does not exist in the Schema Registry.\nSubject: bar-value\n"
    )


def test_should_handle_multiple_statements(h: Any) -> None:
    """KsqlEngineTest.shouldHandleMultipleStatements: comments, DDL, two CSAS and a DROP in one script."""
    h.ensure_topics("s0_topic", "t1_topic")
    entities = h.sql(
        "-- single line comment\n"
        "/*\n"
        "   Multi-line comment\n"
        "*/\n"
        "CREATE STREAM S0 (a INT, b VARCHAR) "
        "      WITH (kafka_topic='s0_topic', value_format='DELIMITED', key_format='KAFKA');\n"
        "\n"
        "CREATE TABLE T1 (f0 BIGINT PRIMARY KEY, f1 DOUBLE) "
        "     WITH (kafka_topic='t1_topic', value_format='JSON', key_format='KAFKA');\n"
        "\n"
        "CREATE STREAM S1 AS SELECT * FROM S0;\n"
        "\n"
        "CREATE STREAM S2 AS SELECT * FROM S0;\n"
        "\n"
        "DROP TABLE T1;"
    )
    assert len(entities) == 5
    assert query_ids(h) == ["CSAS_S1_0", "CSAS_S2_1"]


def test_should_execute_duplicate_with_if_not_exists(h: Any) -> None:
    """KsqlEngineTest.shouldNotThrowWhenExecutingDuplicate{Table,Stream}WithIfNotExists: no new query."""
    h.sql("CREATE TABLE FOO WITH (KAFKA_TOPIC='BAR') AS SELECT * FROM TEST2;")
    h.sql("CREATE TABLE IF NOT EXISTS FOO WITH (KAFKA_TOPIC='BAR') AS SELECT * FROM TEST2;")
    h.sql("CREATE STREAM FOO2 WITH (KAFKA_TOPIC='BAR2') AS SELECT * FROM ORDERS;")
    h.sql("CREATE STREAM IF NOT EXISTS FOO2 WITH (KAFKA_TOPIC='BAR2') AS SELECT * FROM ORDERS;")
    assert query_ids(h) == ["CTAS_FOO_0", "CSAS_FOO2_1"]


def test_should_keep_query_id_with_create_or_replace(h: Any) -> None:
    """KsqlEngineTest.shouldNotThrowWhenExecutingDuplicateTableWithCreateOrReplace."""
    h.sql("CREATE TABLE FOO AS SELECT * FROM TEST2;")
    h.sql("CREATE OR REPLACE TABLE FOO AS SELECT * FROM TEST2;")
    assert query_ids(h) == ["CTAS_FOO_0"]


@pytest.mark.parametrize(
    "first, sql, message",
    [
        pytest.param(
            "CREATE TABLE FOO AS SELECT * FROM TEST2;",
            "CREATE TABLE FOO WITH (KAFKA_TOPIC='BAR') AS SELECT * FROM TEST2;",
            "Cannot add table 'FOO': A table with the same name already exists",
            id="shouldThrowWhenExecutingDuplicateTable",
        ),
        pytest.param(
            "CREATE STREAM FOO WITH (KAFKA_TOPIC='BAR') AS SELECT * FROM ORDERS;",
            "CREATE STREAM FOO WITH (KAFKA_TOPIC='BAR') AS SELECT * FROM ORDERS;",
            "Cannot add stream 'FOO': A stream with the same name already exists",
            id="shouldThrowWhenExecutingDuplicateStream",
        ),
    ],
)
def test_duplicate_source(h: Any, first: str, sql: str, message: str) -> None:
    """KsqlEngineTest.shouldThrowWhenExecutingDuplicate{Table,Stream}."""
    h.sql(first)
    assert_error(h, sql, message)


def test_should_throw_when_preparing_unknown_source(h: Any) -> None:
    """KsqlEngineTest.shouldThrowWhenPreparingUnknownSource."""
    sql = "CREATE STREAM FOO AS SELECT * FROM UNKNOWN;"
    e = error(h, sql)
    assert "UNKNOWN does not exist." in e.message
    assert e.statement_text == sql


@pytest.mark.parametrize(
    "sql, message",
    [
        pytest.param(
            "CREATE STREAM FOO AS SELECT ORDERID, COUNT(ORDERID) FROM ORDERS GROUP BY ORDERID;",
            "Invalid result type. Your SELECT query produces a TABLE. "
            "Please use CREATE TABLE AS SELECT statement instead.",
            id="shouldThrowWhenExecutingQueriesIfCsasCreatesTable",
        ),
        pytest.param(
            "CREATE TABLE FOO AS SELECT * FROM ORDERS;",
            "Invalid result type. Your SELECT query produces a STREAM. "
            "Please use CREATE STREAM AS SELECT statement instead.",
            id="shouldThrowWhenExecutingQueriesIfCtasCreatesStream",
        ),
    ],
)
def test_result_type_mismatch(h: Any, sql: str, message: str) -> None:
    """KsqlEngineTest.shouldThrowWhen{ExecutingQueries,TryExecute}If{Csas,Ctas}Creates{Table,Stream}."""
    assert_error(h, sql, message)


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TABLE FOO (viewtime BIGINT, pageid VARCHAR) WITH (VALUE_FORMAT='AVRO', KEY_FORMAT='KAFKA');",
        "CREATE STREAM FOO (viewtime BIGINT, pageid VARCHAR) WITH (VALUE_FORMAT='AVRO', KEY_FORMAT='KAFKA');",
        "CREATE TABLE FOO (viewtime BIGINT, pageid VARCHAR) WITH (VALUE_FORMAT='JSON', KEY_FORMAT='KAFKA');",
        "CREATE STREAM FOO (viewtime BIGINT, pageid VARCHAR) WITH (VALUE_FORMAT='JSON', KEY_FORMAT='KAFKA');",
    ],
)
def test_should_throw_if_statement_missing_topic_config(h: Any, sql: str) -> None:
    """KsqlEngineTest.shouldThrowIfStatementMissingTopicConfig."""
    assert 'Missing required property "KAFKA_TOPIC" which has no default value.' in error(h, sql).message


SOURCE_TABLE = (
    "create source table t1 (f0 bigint primary key, f1 double, f2 boolean) "
    "with (kafka_topic='t1_topic', value_format='json');"
)


def test_should_create_source_tables_queries(h: Any) -> None:
    """KsqlEngineTest.shouldCreateSourceTablesQueries: CREATE SOURCE TABLE runs a CREATE_SOURCE persistent
    query (EngineExecutor.execute), CST_<NAME>_<n> (QueryIdUtil.buildId), without sink or result topic; the
    REST answer is InteractiveStatementExecutor.getSuccessMessage's for a query, and ListQueriesExecutor
    lists it."""
    h.ensure_topics("t1_topic")
    (entity,) = h.sql(SOURCE_TABLE)
    assert entity["commandStatus"] == {
        "status": "SUCCESS", "message": "Created query with ID CST_T1_0", "queryId": "CST_T1_0"
    }  # fmt: skip
    h.sql("create table bar as select * from test2;")
    (listed,) = h.sql("SHOW QUERIES;")
    assert [(q["id"], q["sinks"], q["sinkKafkaTopics"], q["queryType"]) for q in listed["queries"]] == [
        ("CST_T1_0", [], [], "PERSISTENT"),
        ("CTAS_BAR_1", ["BAR"], ["BAR"], "PERSISTENT"),
    ]
    # the statement as the injectors leave it (SqlFormatter), as for any persistent query
    assert listed["queries"][0]["queryString"].startswith("CREATE SOURCE TABLE T1 (F0 BIGINT PRIMARY KEY, ")
    (described,) = h.sql("DESCRIBE t1;")
    assert [q["id"] for q in described["sourceDescription"]["readQueries"]] == ["CST_T1_0"]


def test_a_terminated_source_table_query_leaves_the_table_unmaterialised(h: Any) -> None:
    """TERMINATE <CST id> is refused (ValidatedCommandFactory.createForTerminateQuery: "linked to a source
    table"); TERMINATE ALL closes every persistent query, the CREATE_SOURCE one too: gone from SHOW QUERIES,
    the table stays, pull queries on it are refused."""
    h.ensure_topics("t1_topic")
    h.sql(SOURCE_TABLE)
    h.produce("t1_topic", None, None, 0)
    assert h.engine.start_query("SELECT * FROM t1;").is_pull
    with pytest.raises(KsqlError, match="Cannot terminate query 'CST_T1_0' because it is linked to a source"):
        h.sql("TERMINATE CST_T1_0;")
    (entity,) = h.sql("TERMINATE ALL;")
    assert entity["commandStatus"]["message"] == "Query terminated."
    assert query_ids(h) == []
    assert h.source("T1") is not None
    with pytest.raises(KsqlError, match="The `T1` table isn't queryable"):
        h.engine.start_query("SELECT * FROM t1;")
    h.sql("CREATE SOURCE TABLE t2 (f0 bigint primary key, f1 double) WITH (kafka_topic='t1_topic', value_format='json');")
    h.sql("TERMINATE ALL;")
    assert query_ids(h) == []


def test_dropping_a_source_table_ends_its_query(h: Any) -> None:
    """QueryRegistryImpl keeps a CREATE_SOURCE query as its table's create-as query: DROP TABLE ends it."""
    h.ensure_topics("t1_topic")
    h.sql(SOURCE_TABLE)
    h.sql("drop table t1;")
    assert query_ids(h) == []


def test_a_source_table_query_is_replayed_with_its_id(harness_factory: Callable[..., Any]) -> None:
    """The CST query's id is recorded with its command, so a server replaying the command topic lists the same
    query (InteractiveStatementExecutor re-executes the plan; the id generator follows the recorded ids)."""
    h = harness_factory(command_topic=True)
    h.ensure_topics("t1_topic")
    h.sql(SOURCE_TABLE)
    h.close()
    again = Engine(h.engine.config, h.driver, h.registry)
    try:
        (listed,) = again.execute("SHOW QUERIES;")
        assert [q["id"] for q in listed["queries"]] == ["CST_T1_0"]
    finally:
        again.close()


@pytest.mark.parametrize("kind", ["STREAM", "TABLE"])
def test_source_statements_refused_when_materialization_is_disabled(
    harness_factory: Callable[..., Any], kind: str
) -> None:
    """EngineExecutor.plan: with the server's ksql.source.table.materialization.enabled false, CREATE SOURCE
    STREAM/TABLE is refused (KsqlConfig's doc: "CREATE SOURCE [TABLE|STREAM] statements will be rejected");
    a request's own value does not enable it, and plain sources are unaffected."""
    h = harness_factory({"ksql.source.table.materialization.enabled": "false"})
    h.ensure_topics("t1_topic")
    sql = f"CREATE SOURCE {kind} T1 (F0 BIGINT PRIMARY KEY, F1 DOUBLE) WITH (kafka_topic='t1_topic', value_format='json');"
    if kind == "STREAM":
        sql = sql.replace("PRIMARY KEY", "KEY")
    with pytest.raises(KsqlError) as info:
        h.engine.execute(sql, {"ksql.source.table.materialization.enabled": "true"})
    assert info.value.message == "Cannot execute command because source table materialization is disabled."
    # the statement as the injectors leave it: EngineExecutor.plan runs on the injected statement, and the
    # REST server names it in the error as a success does (observed on ksqlDB 0.29 for the engine's other
    # CREATE checks: a name taken, a table without PRIMARY KEY; see statements/ddl.py)
    policy = "delete" if kind == "STREAM" else "compact"
    assert info.value.statement_text == (
        sql.split(" WITH ")[0]
        + f" WITH (CLEANUP_POLICY='{policy}', KAFKA_TOPIC='t1_topic', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON');"
    )
    h.sql(sql.replace("CREATE SOURCE", "CREATE"))
