"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.StandaloneExecutorTest` (headless mode's
StandaloneExecutor, here ksqlserver/headless/ over the in-memory engine): the queries file is read, its
statements checked (the kinds StatementExecutor handles, a schema for every CREATE, at least one persistent
query) before any runs, then run in order with SET / UNSET applying to the statements after them, and the
persistent queries started. Not ported: the version checker, metrics reporters, UDF loading and the mock
call counts of the sandbox and service context."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError
from ksqlserver.headless import run_queries_file

UNSUPPORTED = (
    "Unsupported statement. Only the following statements are supporting in standalone mode:\n"
    "CREAETE STREAM AS SELECT\n"
    "CREATE STREAM\n"
    "CREATE TABLE\n"
    "CREATE TABLE AS SELECT\n"
    "INSERT INTO\n"
    "REGISTER TYPE\n"
    "SET\n"
    "UNSET"
)
CS = "CREATE STREAM S (ID STRING KEY, V BIGINT) WITH (kafka_topic='input', value_format='json');"


@pytest.fixture()
def engine() -> Any:
    driver = MemoryDriver()
    driver.create_topic("input", 1, 1)
    e = Engine(EngineConfig(processing_log=False, command_topic=False), driver)
    yield e
    e.close()


def _file(tmp_path: Path, sql: str) -> str:
    path = tmp_path / "queries.sql"
    path.write_text(sql, encoding="utf-8")
    return str(path)


def _fails(engine: Engine, path: str) -> KsqlError:
    with pytest.raises(KsqlError) as info:
        run_queries_file(engine, path)
    return info.value


def _query_ids(engine: Engine) -> list[str]:
    [queries] = engine.execute("SHOW QUERIES;")
    return [q["id"] for q in queries["queries"]]


def test_should_load_query_file(engine: Engine, tmp_path: Path) -> None:
    """StandaloneExecutorTest.shouldLoadQueryFile / shouldStartQueries: the file's statements run, its
    persistent queries are running."""
    run_queries_file(engine, _file(tmp_path, CS + "CREATE STREAM S2 AS SELECT * FROM S;"))
    assert _query_ids(engine) == ["CSAS_S2_0"]


def test_should_throw_if_can_not_load_query_file(engine: Engine, tmp_path: Path) -> None:
    """StandaloneExecutorTest.shouldThrowIfCanNotLoadQueryFile"""
    missing = str(tmp_path / "missing.sql")
    assert _fails(engine, missing).message == f"Could not read the query file: {missing}. Details: {missing}"


def test_should_fail_on_drop_statement(engine: Engine, tmp_path: Path) -> None:
    """StandaloneExecutorTest.shouldFailOnDropStatement: before anything runs."""
    error = _fails(engine, _file(tmp_path, CS + "CREATE STREAM S2 AS SELECT * FROM S; DROP STREAM S2;"))
    assert error.message == UNSUPPORTED
    assert error.to_entity()["statementText"] == "DROP STREAM S2;"
    [sources] = engine.execute("SHOW STREAMS;")
    assert [s["name"] for s in sources["streams"]] == []


def test_should_fail_if_no_persistent_queries(engine: Engine, tmp_path: Path) -> None:
    """StandaloneExecutorTest.shouldFailIfNoPersistentQueries"""
    error = _fails(engine, _file(tmp_path, "SET 'auto.offset.reset' = 'earliest';" + CS))
    assert error.message.startswith("The SQL file does not contain any persistent queries.")


@pytest.mark.parametrize(
    "sql",
    [
        CS,  # shouldRunCsStatement
        "CREATE TABLE T (ID STRING PRIMARY KEY, V BIGINT) WITH (kafka_topic='input', value_format='json');",  # Ct
        "CREATE TYPE ADDRESS AS STRUCT<STREET STRING>;",  # REGISTER TYPE
    ],
)
def test_should_run_ddl_statements(engine: Engine, tmp_path: Path, sql: str) -> None:
    """StandaloneExecutorTest.shouldRunCsStatement / shouldRunCtStatement: beside a persistent query."""
    run_queries_file(
        engine, _file(tmp_path, sql + CS.replace(" S ", " S0 ") + "CREATE STREAM Q AS SELECT * FROM S0;")
    )


def test_should_run_set_and_unset_statements(engine: Engine, tmp_path: Path) -> None:
    """StandaloneExecutorTest.shouldRunSetStatements / shouldSetPropertyOnlyOnCommandsFollowingTheSetStatement /
    shouldRunUnSetStatements: a query reads from the start only after SET 'auto.offset.reset'='earliest'
    and before its UNSET."""
    engine.driver.produce("input", [Record(b"a", json.dumps({"V": 1}).encode(), 1, 0)])
    run_queries_file(
        engine,
        _file(
            tmp_path,
            CS + "CREATE STREAM BEFORE AS SELECT * FROM S;"
            "SET 'auto.offset.reset' = 'earliest';"
            "CREATE STREAM DURING AS SELECT * FROM S;"
            "UNSET 'auto.offset.reset';"
            "CREATE STREAM AFTER AS SELECT * FROM S;",
        ),
    )
    engine.drain()
    counts = {name: len(engine.driver.records(name)) for name in ("BEFORE", "DURING", "AFTER")}
    assert counts == {"BEFORE": 0, "DURING": 1, "AFTER": 0}


@pytest.mark.parametrize(
    ("sql", "query_id"),
    [
        ("CREATE STREAM S2 AS SELECT * FROM S;", "CSAS_S2_0"),  # shouldRunCsasStatements
        (
            "CREATE TABLE T2 AS SELECT ID, COUNT(*) AS C FROM S GROUP BY ID;",
            "CTAS_T2_0",
        ),  # shouldRunCtasStatements
    ],
)
def test_should_run_persistent_queries(engine: Engine, tmp_path: Path, sql: str, query_id: str) -> None:
    """StandaloneExecutorTest.shouldRunCsasStatements / shouldRunCtasStatements"""
    run_queries_file(engine, _file(tmp_path, CS + sql))
    assert _query_ids(engine) == [query_id]


def test_should_run_insert_into_statements(engine: Engine, tmp_path: Path) -> None:
    """StandaloneExecutorTest.shouldRunInsertIntoStatements"""
    run_queries_file(
        engine, _file(tmp_path, CS + "CREATE STREAM S2 AS SELECT * FROM S; INSERT INTO S2 SELECT * FROM S;")
    )
    assert _query_ids(engine) == ["CSAS_S2_0", "INSERTQUERY_1"]


def test_should_throw_if_parse_throws(engine: Engine, tmp_path: Path) -> None:
    """StandaloneExecutorTest.shouldThrowIfParseThrows: nothing runs."""
    error = _fails(engine, _file(tmp_path, CS + "CREATE STREAM S2 AS SELEKT * FROM S;"))
    assert "Syntax Error" in error.message or "mismatched input" in error.message
    [sources] = engine.execute("SHOW STREAMS;")
    assert sources["streams"] == []


def test_should_throw_if_execute_throws(engine: Engine, tmp_path: Path) -> None:
    """StandaloneExecutorTest.shouldThrowIfExecuteThrows: a statement the engine refuses stops the start."""
    error = _fails(engine, _file(tmp_path, CS + "CREATE STREAM S2 AS SELECT * FROM NOPE;"))
    assert "NOPE does not exist" in error.message


def test_should_throw_on_create_statement_with_no_elements(engine: Engine, tmp_path: Path) -> None:
    """StandaloneExecutorTest.shouldThrowOnCreateStatementWithNoElements: JSON infers no schema."""
    error = _fails(
        engine,
        _file(
            tmp_path,
            "CREATE STREAM S WITH (kafka_topic='input', value_format='json'); CREATE STREAM S2 AS SELECT * FROM S;",
        ),
    )
    assert error.message == (
        "statement does not define the schema and the supplied format does not support schema inference"
    )


def test_should_handle_comments(engine: Engine, tmp_path: Path) -> None:
    """StandaloneExecutorFunctionalTest.shouldHandleComments (the statements around comments)"""
    sql = (
        "-- Single line comment\n/*\nMulti-line comment\n */\n"
        "SET 'auto.offset.reset' = 'earliest';"
        "CREATE STREAM S /*inline comment*/ (ROWKEY STRING KEY, ID int) with (kafka_topic='input',value_format='json');\n"
        "\nCREATE STREAM S1  AS SELECT * FROM S;"
    )
    run_queries_file(engine, _file(tmp_path, sql))
    assert _query_ids(engine) == ["CSAS_S1_0"]


def _topics(engine: Engine) -> set[str]:
    return set(engine.driver.topics())


def test_should_throw_if_executing_persistent_query_does_not_return_query(engine: Engine, tmp_path: Path) -> None:
    """StandaloneExecutorTest.shouldThrowIfExecutingPersistentQueryDoesNotReturnQuery: a persistent query
    statement whose execution makes no query (IF NOT EXISTS of a name the file made) is refused by
    handlePersistentQuery in the sandbox, before anything runs."""
    error = _fails(
        engine,
        _file(
            tmp_path,
            CS + "CREATE STREAM S2 AS SELECT * FROM S; CREATE STREAM IF NOT EXISTS S2 AS SELECT * FROM S;",
        ),
    )
    assert error.message == "Could not build the query"
    assert error.to_entity()["statementText"] == "CREATE STREAM IF NOT EXISTS S2 AS SELECT * FROM S;"
    assert _query_ids(engine) == []


def test_should_not_start_validation_phase_queries(engine: Engine, tmp_path: Path) -> None:
    """StandaloneExecutorTest.shouldNotStartValidationPhaseQueries / StandaloneExecutor.validateStatements:
    the sandbox pass makes no topic, source or query on the engine; the real pass makes each once."""
    error = _fails(engine, _file(tmp_path, CS + "CREATE STREAM S2 AS SELECT * FROM S; SHOW STREAMS;"))
    assert error.message == UNSUPPORTED
    assert "S2" not in _topics(engine)  # (the config topic StandaloneExecutorFactory makes first is there)
    assert _query_ids(engine) == []
    run_queries_file(engine, _file(tmp_path, CS + "CREATE STREAM S2 AS SELECT * FROM S;"))
    assert "S2" in _topics(engine)
    assert _query_ids(engine) == ["CSAS_S2_0"]  # the sandbox took no query id


def test_should_only_prepare_next_statement_once_previous_statement_has_been_executed(
    engine: Engine, tmp_path: Path
) -> None:
    """StandaloneExecutorTest.shouldOnlyPrepareNextStatementOncePreviousStatementHasBeenExecuted: each
    statement is checked and run before the next, so an earlier statement's execution error is reported
    ahead of a later unsupported statement, and a statement may use what an earlier one created."""
    error = _fails(engine, _file(tmp_path, CS + "CREATE STREAM S2 AS SELECT * FROM NOPE; DROP STREAM S;"))
    assert "NOPE does not exist" in error.message
    run_queries_file(
        engine,
        _file(tmp_path, CS + "CREATE STREAM S2 AS SELECT * FROM S; CREATE STREAM S3 AS SELECT * FROM S2;"),
    )
    assert _query_ids(engine) == ["CSAS_S2_0", "CSAS_S3_1"]


def test_should_fail_in_the_sandbox_on_a_name_made_twice(engine: Engine, tmp_path: Path) -> None:
    """StandaloneExecutor.validateStatements: the engine's own refusal of a later statement (a CREATE of a
    name an earlier statement made) stops the file with nothing run."""
    error = _fails(
        engine,
        _file(tmp_path, CS + "CREATE STREAM S2 AS SELECT * FROM S; CREATE STREAM S2 AS SELECT * FROM S;"),
    )
    # StandaloneExecutor runs the injectors (Injectors.NO_TOPIC_DELETE): SchemaRegisterInjector's planning
    assert error.message == "Could not determine output schema for query due to error: " + "Cannot add stream 'S2': A stream with the same name already exists"
    [sources] = engine.execute("SHOW STREAMS;")
    assert sources["streams"] == []
    assert "S2" not in _topics(engine)


def test_should_create_processing_log_topic(tmp_path: Path) -> None:
    """StandaloneExecutorTest.shouldCreateProcessingLogTopic / shouldNotCreateProcessingLogTopicIfNotConfigured:
    headless mode makes the processing log topic when ksql.logging.processing.topic.auto.create is on, never
    the processing log stream."""
    from ksqlserver.headless import headless_config

    for flag, expected in (("true", True), ("false", False)):
        props = {"ksql.logging.processing.topic.auto.create": flag}
        driver = MemoryDriver()
        driver.create_topic("input", 1, 1)
        e = Engine(headless_config(EngineConfig(properties=props)), driver)
        try:
            run_queries_file(e, _file(tmp_path, CS + "CREATE STREAM S2 AS SELECT * FROM S;"))
            assert (e.config.processing_log_topic in _topics(e)) is expected
            [sources] = e.execute("SHOW STREAMS;")
            assert [s["name"] for s in sources["streams"]] == ["S", "S2"]
        finally:
            e.close()
