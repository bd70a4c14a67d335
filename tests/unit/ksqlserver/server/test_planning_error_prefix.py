"""The /ksql error of a statement ksqlDB 0.29 refuses, by the stage that refuses it (over HTTP, the real server).

KsqlResource.handleKsqlStatements answers a KsqlStatementException with
Errors.badStatement(e.getRawUnloggedDetails(), e.getSqlStatement()). RequestValidator first prepares each
statement (KsqlEngine.prepare: DefaultKsqlParser / AstBuilder, then EngineContext.prepare's AstSanitizer), then
runs the injectors (Injectors.NO_TOPIC_DELETE: DefaultFormatInjector, SourcePropertyInjector,
DefaultSchemaInjector, TopicCreateInjector, SchemaRegisterInjector), then plans and executes the injected
statement in its sandbox. SchemaRegisterInjector.registerForCreateAs plans a CREATE ... AS SELECT in a sandbox of
its own and wraps what EngineExecutor.plan throws as KsqlStatementException("Could not determine output schema
for query due to error: " + e.getMessage(), the same prefix + e.getUnloggedMessage(), the statement as
TopicCreateInjector re-formatted it, e). EngineExecutor.plan itself makes any exception a KsqlStatementException
(KsqlStatementException(e.getMessage(), statement, e)).
"""

from __future__ import annotations

from typing import Any

WRAPPED = "Could not determine output schema for query due to error: "


def test_a_name_taken_is_refused_while_planned_naming_the_injected_statement(res: Any) -> None:
    """EngineExecutor.maybeCreateSinkDdl refuses the name inside SchemaRegisterInjector's sandbox planning:
    the prefix, and the statement TopicCreateInjector re-formatted, the same text a successful run answers."""
    sql = "CREATE STREAM S1 AS SELECT * FROM TEST_STREAM;"
    [created] = res.ok(sql)
    error = res.fail(sql)
    assert (error["@type"], error["error_code"]) == ("statement_error", 40001)
    assert error["message"] == WRAPPED + "Cannot add stream 'S1': A stream with the same name already exists"
    assert error["statementText"] == created["statementText"]
    assert error["statementText"] == (
        "CREATE STREAM S1 WITH (CLEANUP_POLICY='delete', KAFKA_TOPIC='S1', PARTITIONS=1, REPLICAS=1, "
        "RETENTION_MS=604800000) AS SELECT *\nFROM TEST_STREAM TEST_STREAM\nEMIT CHANGES;"
    )


def test_the_planning_errors_own_statement_stays_in_the_message(res: Any) -> None:
    """The REST message is the wrapper's raw unlogged details: the prefix and the planning error's
    getUnloggedMessage(), which ends in "Statement: ..." where that exception named one
    (EngineExecutor.validateResultType names the statement it planned; ExpressionTypeManager's comparison
    names the comparison)."""
    error = res.fail("CREATE TABLE T1 AS SELECT * FROM TEST_STREAM;")
    text = error["statementText"]
    assert text.startswith("CREATE TABLE T1 WITH (CLEANUP_POLICY='compact', KAFKA_TOPIC='T1', ") and text.endswith(";")
    assert error["message"] == (
        f"{WRAPPED}Invalid result type. Your SELECT query produces a STREAM. Please use CREATE STREAM AS SELECT "
        f"statement instead.\nStatement: {text}"
    )
    error = res.fail("CREATE STREAM S2 AS SELECT ROWKEY, S2_F1 = 1 AS X FROM TEST_STREAM;")
    assert error["message"] == f"{WRAPPED}Cannot compare S2_F1 (STRING) to 1 (INTEGER) with EQUAL.\nStatement: (S2_F1 = 1)"


def test_or_replace_and_if_not_exists_are_planned_the_same_way(res: Any) -> None:
    for create in ("CREATE OR REPLACE STREAM", "CREATE STREAM IF NOT EXISTS"):
        error = res.fail(f"{create} S3 AS SELECT ROWKEY, NOPE FROM TEST_STREAM;")
        assert error["message"].startswith(WRAPPED), create
        assert error["message"].endswith("SELECT column 'NOPE' cannot be resolved."), create
        assert error["statementText"].startswith(f"{create} S3 WITH (CLEANUP_POLICY='delete', "), create


def test_a_failure_of_ksqldb_while_typing_is_a_wrapped_statement_error(res: Any) -> None:
    """SqlStruct.Field's NullPointerException ("type") inside the planning: EngineExecutor.plan words it as a
    statement error (40001), not KsqlResource's server error."""
    error = res.fail("CREATE STREAM S4 AS SELECT ROWKEY, STRUCT(A := NULL) AS X FROM TEST_STREAM;")
    assert (error["error_code"], error["message"]) == (40001, WRAPPED + "type")
    error = res.fail("INSERT INTO TEST_STREAM SELECT ROWKEY, STRUCT(A := NULL) AS S2_F1 FROM TEST_STREAM;")
    assert (error["error_code"], error["message"]) == (40001, "type")


def test_an_insert_intos_filter_error_is_answered_as_filter_type_validator_threw_it(res: Any) -> None:
    """No injector wraps an INSERT INTO's planning: KsqlResource answers FilterTypeValidator's
    KsqlStatementException itself, its raw unlogged details (the comparison's detailed message) and its
    statement, the filter expression (as ksqlDB 0.29 built from source does)."""
    error = res.fail("INSERT INTO TEST_STREAM SELECT * FROM TEST_STREAM WHERE S2_F1 > 5;")
    assert error["message"] == (
        "Error in WHERE expression: Cannot compare S2_F1 (STRING) to 5 (INTEGER) with GREATER_THAN.\n"
        "Statement: (S2_F1 > 5)"
    )
    assert error["statementText"] == "(S2_F1 > 5)"


def test_preparation_errors_come_first_and_are_not_wrapped(res: Any) -> None:
    """KsqlEngine.prepare runs before any injector: a source that does not exist (AstSanitizer's
    DataSourceExtractor, "Exception while preparing statement: ") and a qualifier naming no source
    (AstBuilder, "Failed to prepare statement: ") name the statement as sent, before TopicCreateInjector
    would refuse the WITH clause's CLEANUP_POLICY."""
    sql = "CREATE STREAM S5 WITH (CLEANUP_POLICY='delete') AS SELECT * FROM NOPE;"
    error = res.fail(sql)
    assert (error["error_code"], error["message"]) == (40001, "Exception while preparing statement: NOPE does not exist.")
    assert error["statementText"] == sql
    sql = "CREATE STREAM S5 AS SELECT X.S2_F1 FROM TEST_STREAM;"
    error = res.fail(sql)
    assert error["message"] == "Failed to prepare statement: 'X' is not a valid stream/table name or alias."
    assert error["statementText"] == sql


def test_the_injectors_own_refusals_are_not_wrapped(res: Any) -> None:
    """TopicCreateInjector throws a KsqlException before SchemaRegisterInjector plans anything: a bad request."""
    error = res.fail("CREATE STREAM S6 WITH (CLEANUP_POLICY='delete') AS SELECT * FROM TEST_STREAM;")
    assert error["error_code"] == 40000
    assert error["message"].startswith("Invalid config variable in the WITH clause: CLEANUP_POLICY.")


def test_insert_into_and_explain_are_planned_by_no_injector(res: Any) -> None:
    """An INSERT INTO ... SELECT is no CreateAsSelect, and ExplainExecutor plans in a sandbox of its own:
    the planning error as EngineExecutor.plan throws it, the statement as sent."""
    sql = "INSERT INTO TEST_STREAM SELECT ROWKEY, NOPE AS S2_F1 FROM TEST_STREAM;"
    error = res.fail(sql)
    assert error["message"] == "Line: 1, Col: 40: SELECT column 'NOPE' cannot be resolved."
    assert error["statementText"] == sql
    error = res.fail("EXPLAIN CREATE STREAM S7 AS SELECT ROWKEY, NOPE FROM TEST_STREAM;")
    assert not error["message"].startswith(WRAPPED)
    assert error["message"].endswith("SELECT column 'NOPE' cannot be resolved.")


def test_errors_of_the_execution_after_planning_are_not_wrapped(res: Any) -> None:
    """The sandbox then executes the plan: MetaStoreImpl.putSource's upgrade check (DdlCommandExec, through
    EngineExecutor.executeDdl) and the key serde's refusal (KsqlEngine.execute) are no planning errors: their
    own message, naming the plan's statement (KsqlPlan.getStatementText), the one the injectors re-formatted."""
    res.ok("CREATE STREAM S8 AS SELECT * FROM TEST_STREAM;")
    error = res.fail("CREATE OR REPLACE STREAM S8 AS SELECT ROWKEY, CAST(S2_F1 AS INT) AS S2_F1 FROM TEST_STREAM;")
    assert error["message"].startswith("Cannot upgrade data source: ")
    assert error["statementText"] == (
        "CREATE OR REPLACE STREAM S8 WITH (CLEANUP_POLICY='delete', KAFKA_TOPIC='S8', PARTITIONS=1, REPLICAS=1, "
        "RETENTION_MS=604800000) AS SELECT\n  TEST_STREAM.ROWKEY ROWKEY,\n  CAST(TEST_STREAM.S2_F1 AS INTEGER) S2_F1\n"
        "FROM TEST_STREAM TEST_STREAM\nEMIT CHANGES;"
    )
    # the query's serdes: EngineExecutor.executePersistentQuery's KsqlException, which
    # SandboxedExecutionContext.execute does not wrap (KsqlEngine.execute would): KsqlResource's bad request
    # (40000, no statement), as ksqlDB 0.29 built from source answers it
    error = res.fail("CREATE TABLE T8 AS SELECT ROWKEY, S2_F1, COUNT(*) AS N FROM TEST_STREAM GROUP BY ROWKEY, S2_F1;")
    assert error["@type"] == "generic_error" and error["error_code"] == 40000 and "statementText" not in error
    assert error["message"].startswith("Key format does not support schema.\nformat: KAFKA\n")


def test_a_name_taken_earlier_in_the_request_is_refused_while_planned(res: Any) -> None:
    """RequestValidator validates a request's statements in order in one sandbox: the second CREATE ... AS
    SELECT of a name is refused by its sandbox planning (maybeCreateSinkDdl), prefixed, and nothing runs."""
    error = res.fail(
        "CREATE STREAM S9 AS SELECT * FROM TEST_STREAM; CREATE STREAM S9 AS SELECT * FROM TEST_STREAM;"
    )
    assert error["message"] == WRAPPED + "Cannot add stream 'S9': A stream with the same name already exists"
    assert error["statementText"].startswith("CREATE STREAM S9 WITH (CLEANUP_POLICY='delete', KAFKA_TOPIC='S9', ")
    assert res.persistent_ids() == []


def test_with_a_schema_id_default_schema_injector_plans_first(res: Any) -> None:
    """DefaultSchemaInjector.forCreateAsStatement plans a statement with a schema id before TopicCreateInjector
    (so before its CLEANUP_POLICY refusal) and wraps any error as KsqlStatementException(PREFIX +
    e.getMessage(), statement, e): one message, the planning error's getMessage() (FilterTypeValidator's has
    no details), the statement as SourcePropertyInjector re-formatted it."""
    error = res.fail(
        "CREATE STREAM S10 WITH (VALUE_FORMAT='AVRO', VALUE_SCHEMA_ID=3, CLEANUP_POLICY='delete') AS "
        "SELECT * FROM TEST_STREAM WHERE S2_F1 > 5;"
    )
    assert (error["error_code"], error["message"]) == (40001, WRAPPED + "Error in WHERE expression")
    assert error["statementText"] == (
        "CREATE STREAM S10 WITH (CLEANUP_POLICY='delete', VALUE_FORMAT='AVRO', VALUE_SCHEMA_ID=3) AS SELECT *\n"
        "FROM TEST_STREAM TEST_STREAM\nWHERE (TEST_STREAM.S2_F1 > 5)\nEMIT CHANGES"
    )
    # without one, SchemaRegisterInjector's wrapper: the detailed message
    error = res.fail("CREATE STREAM S10 AS SELECT * FROM TEST_STREAM WHERE S2_F1 > 5;")
    assert error["message"] == (
        f"{WRAPPED}Error in WHERE expression: Cannot compare S2_F1 (STRING) to 5 (INTEGER) with GREATER_THAN.\n"
        "Statement: (S2_F1 > 5)\nStatement: (S2_F1 > 5)"
    )


def test_the_test_harness_words_it_without_the_topic_injector() -> None:
    """TestExecutorUtil runs DefaultSchemaInjector and SchemaRegisterInjector but no TopicCreateInjector: the
    same prefix, the statement as SourcePropertyInjector re-formatted it; its UnloggedMessageMatcher matches
    the detailed message (which names the statement) or the logged one."""
    from ksqlserver.drivers.memory import MemoryDriver
    from ksqlserver.engine import Engine, EngineConfig
    from ksqlserver.errors import KsqlError

    driver = MemoryDriver()
    driver.create_topic("s", 1)
    engine = Engine(EngineConfig(synchronous=True, topic_injector=False, command_topic=False), driver)
    try:
        engine.execute("CREATE STREAM S (ID INT KEY, V STRING) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
        try:
            engine.execute("CREATE STREAM O AS SELECT ID, NOPE FROM S;")
            raise AssertionError("not refused")
        except KsqlError as e:
            error = e
        inner = "Line: 1, Col: 31: SELECT column 'NOPE' cannot be resolved."
        text = "CREATE STREAM O AS SELECT\n  S.ID ID,\n  NOPE NOPE\nFROM S S\nEMIT CHANGES"
        assert error.logged_message == WRAPPED + inner
        assert error.unlogged_message == f"{WRAPPED}{inner}\nStatement: {text}"
        assert error.statement_text == text
    finally:
        engine.close()
