"""A /ksql request is all-or-nothing, as ksqlDB 0.29's KsqlResource.handleKsqlStatements makes it:
RequestValidator.validate runs the whole request on a sandbox (KsqlEngine.createSandbox: a copy of the
metastore and of the query registry, SandboxedServiceContext for topics and the registry), each statement
seeing what the ones before it made, and RequestHandler.execute runs the request only if every statement
passed. The first error is answered as the real run would answer it; nothing of the request is left behind.
Messages are copied from the Java source (MetaStoreImpl.putSource, EngineContext.prepare,
ValidatedCommandFactory)."""

from __future__ import annotations

from typing import Any

from ksqlserver.formats.sr.client import MemoryRegistryClient, RegisteredSchema

BAD = "CREATE STREAM bad AS SELECT * FROM nope;"


def _names(res: Any, kind: str) -> set[str]:
    [entity] = res.ok(f"SHOW {kind};")
    return {s["name"] for s in entity[kind.lower()]}


def test_ddl_duplicate_in_request_creates_nothing(res: Any) -> None:
    """RequestValidator.validate + MetaStoreImpl.putSource: the second CREATE STREAM of a name fails in the
    sandbox, so the first is not run either"""
    ddl = "CREATE STREAM A (ID INT) WITH (kafka_topic='KAFKA_TOPIC_2', value_format='json');"
    error = res.fail(ddl + ddl)
    assert error["@type"] == "statement_error"
    assert error["message"] == "Cannot add stream 'A': A stream with the same name already exists"
    assert "A" not in _names(res, "STREAMS")


def test_csas_then_failing_statement_runs_no_query_and_makes_no_topic(res: Any) -> None:
    """RequestValidator.validate: the CSAS is planned on the sandbox only (its sink topic goes to the
    SandboxedKafkaTopicClient), then the request fails on the unknown source"""
    error = res.fail("CREATE STREAM S1 AS SELECT * FROM test_stream;" + BAD)
    assert error["message"] == "Exception while preparing statement: NOPE does not exist."
    assert error["statementText"] == BAD
    assert res.persistent_ids() == []
    assert "S1" not in _names(res, "STREAMS")
    assert "S1" not in res.driver.topics()


def test_insert_into_then_failing_statement_runs_nothing(res: Any) -> None:
    """RequestValidator.validate: INSERT INTO ... SELECT counts as a persistent query of the sandbox only"""
    res.ok("CREATE STREAM S1 AS SELECT * FROM test_stream;")
    before = res.persistent_ids()
    res.fail("INSERT INTO S1 SELECT * FROM test_stream;" + BAD)
    assert res.persistent_ids() == before


def test_later_statement_sees_earlier_statement_in_sandbox(res: Any) -> None:
    """RequestValidator.validate: statements are validated in order on one sandbox, so a CSAS reading a stream
    created earlier in the request passes, and the request then runs with the real query ids"""
    results = res.ok(
        "CREATE STREAM A (ID INT) WITH (kafka_topic='KAFKA_TOPIC_2', value_format='json');"
        "CREATE STREAM B AS SELECT * FROM A;"
    )
    assert [r["@type"] for r in results] == ["currentStatus", "currentStatus"]
    # the id the real run gives (SpecificQueryIdGenerator: the offset after the last planned command, A's
    # at 4 after the fixture's two at 0 and 2), not moved on by the sandbox
    [query_id] = res.persistent_ids()
    assert query_id == "CSAS_B_5" and results[1]["commandStatus"]["queryId"] == query_id


def test_drop_then_failing_statement_keeps_source(res: Any) -> None:
    """RequestValidator.validate: the DROP runs on the sandbox's metastore copy only; the later statement
    already misses the dropped stream there"""
    error = res.fail("DROP STREAM test_stream; CREATE STREAM S1 AS SELECT * FROM test_stream;")
    assert error["message"] == "Exception while preparing statement: TEST_STREAM does not exist."
    assert "TEST_STREAM" in _names(res, "STREAMS")


def test_terminate_then_failing_statement_keeps_query_running(res: Any) -> None:
    """RequestValidator.validate: TERMINATE goes through the DistributedStatementValidator on the sandbox's
    copy of the query registry (SandboxedPersistentQueryMetadataImpl), which stops nothing"""
    res.ok("CREATE STREAM S1 AS SELECT * FROM test_stream;")
    [query_id] = res.persistent_ids()
    res.fail(f"TERMINATE {query_id};" + BAD)
    [query] = res.one("SHOW QUERIES;")["queries"]
    assert query["id"] == query_id and query["state"] == "RUNNING"


def test_terminate_twice_keeps_query(res: Any) -> None:
    """ValidatedCommandFactory.createForTerminateQuery in the sandbox: the second TERMINATE of the request
    names an unknown query, so the first does not run"""
    res.ok("CREATE STREAM S1 AS SELECT * FROM test_stream;")
    [query_id] = res.persistent_ids()
    error = res.fail(f"TERMINATE {query_id}; TERMINATE {query_id};")
    assert error["message"] == f"Unknown queryId: {query_id}"
    assert res.persistent_ids() == [query_id]


def test_drop_sink_of_terminated_query_in_one_request(res: Any) -> None:
    """The sandbox forgets a query it terminated, so a DROP of its sink later in the request passes there
    and the request runs for real"""
    res.ok("CREATE STREAM S1 AS SELECT * FROM test_stream;")
    [query_id] = res.persistent_ids()
    results = res.ok(f"TERMINATE {query_id}; DROP STREAM S1;")
    assert len(results) == 2
    assert res.persistent_ids() == [] and "S1" not in _names(res, "STREAMS")


def test_variables_defined_in_request_reach_sandbox(res: Any) -> None:
    """RequestValidator.validate runs DEFINE (VariableExecutor.set) on the request's session properties, so
    later statements are substituted with it in the sandbox as in the real run"""
    results = res.ok("DEFINE src = 'test_stream'; CREATE STREAM V AS SELECT * FROM ${src};")
    assert len(results) == 1 and results[0]["commandId"] == "stream/`V`/create"
    error = res.fail("DEFINE name = 'W'; CREATE STREAM ${name} AS SELECT * FROM test_stream;" + BAD)
    assert error["message"] == "Exception while preparing statement: NOPE does not exist."
    assert "W" not in _names(res, "STREAMS")


def test_insert_values_then_failing_statement_writes_nothing(res: Any) -> None:
    """CustomValidators.INSERT_VALUES: InsertValuesExecutor runs against the sandbox's topics only"""
    res.fail("INSERT INTO test_stream (ROWKEY, S2_F1) VALUES ('k', 'v');" + BAD)
    assert res.driver.records("KAFKA_TOPIC_2") == []
    res.ok("INSERT INTO test_stream (ROWKEY, S2_F1) VALUES ('k', 'v'); SHOW STREAMS;")
    assert len(res.driver.records("KAFKA_TOPIC_2")) == 1


def test_set_in_request_applies_in_sandbox_and_real_run(res: Any) -> None:
    """CustomValidators.SET_PROPERTY: PropertyExecutor.set in the sandbox; the real run sets it again"""
    results = res.ok("SET 'auto.offset.reset'='earliest'; CREATE STREAM S1 AS SELECT * FROM test_stream;")
    assert len(results) == 1
    assert len(res.persistent_ids()) == 1


def test_schema_id_request_passes_sandbox(make_resource: Any) -> None:
    """SchemaRegisterInjector.registerSchema skips the "Schema id registered is ..." check on a sandbox
    (SandboxedSchemaRegistryClient registers locally, under ids of its own), and lookups by id ask the real
    registry first, so a request creating a stream with VALUE_SCHEMA_ID runs"""
    registry = MemoryRegistryClient()
    schema = '{"type": "record", "name": "Test", "fields": [{"name": "ID", "type": "string"}]}'
    registry.register_with_id("sid_topic-value", RegisteredSchema(schema_type="AVRO", schema=schema), 102)
    res = make_resource(registry=registry)
    res.driver.create_topic("sid_topic", 1, 1)
    results = res.ok(
        "CREATE STREAM SID WITH (KAFKA_TOPIC='sid_topic', VALUE_FORMAT='AVRO', VALUE_SCHEMA_ID=102);"
        "INSERT INTO SID (ID) VALUES ('a');"
    )
    assert [r["@type"] for r in results] == ["currentStatus"]
    assert len(res.driver.records("sid_topic")) == 1
    assert registry.latest("sid_topic-value").schema_id == 102
