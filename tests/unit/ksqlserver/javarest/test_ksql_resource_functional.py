"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.integration.KsqlResourceFunctionalTest`: several dependent
statements in one /ksql request."""

from __future__ import annotations

from typing import Any

from ksqlserver.formats.sr.client import MemoryRegistryClient

PAGE_VIEW_STREAM = "PAGEVIEW_KSTREAM"


def _assert_successful(entities: list[dict[str, Any]]) -> None:
    for e in entities:
        if e["@type"] == "currentStatus":
            assert e["commandStatus"]["status"] == "SUCCESS", e


def _persistent_ids(rest: Any, server: Any) -> list[str]:
    [queries] = rest.ok(server, "SHOW QUERIES;")
    return [q["id"] for q in queries["queries"] if q["queryType"] == "PERSISTENT"]


def test_should_distribute_multiple_inter_dependant_dml_statements(rest: Any) -> None:
    """KsqlResourceFunctionalTest.shouldDistributeMultipleInterDependantDmlStatements"""
    _, _, server = rest.page_view_app()
    results = rest.ok(server, f"CREATE STREAM S AS SELECT * FROM {PAGE_VIEW_STREAM};CREATE STREAM S2 AS SELECT * FROM S;")
    assert [e["@type"] for e in results] == ["currentStatus", "currentStatus"]
    _assert_successful(results)
    ids = _persistent_ids(rest, server)
    assert any(i.startswith("CSAS_S_") for i in ids) and any(i.startswith("CSAS_S2_") for i in ids)


def test_should_handle_inter_dependant_executable_and_non_executable_statements(rest: Any) -> None:
    """KsqlResourceFunctionalTest.shouldHandleInterDependantExecutableAndNonExecutableStatements"""
    _, _, server = rest.page_view_app()
    results = rest.ok(server, f"CREATE STREAM S AS SELECT * FROM {PAGE_VIEW_STREAM};DESCRIBE S;")
    assert [e["@type"] for e in results] == ["currentStatus", "sourceDescription"]


def test_should_handle_inter_dependant_csas_terminate_and_drop(rest: Any) -> None:
    """KsqlResourceFunctionalTest.shouldHandleInterDependantCsasTerminateAndDrop"""
    _, _, server = rest.page_view_app()
    results = rest.ok(server, f"CREATE STREAM SS AS SELECT * FROM {PAGE_VIEW_STREAM};")
    [query] = _persistent_ids(rest, server)
    results += rest.ok(server, f"TERMINATE {query};DROP STREAM SS;")
    assert [e["@type"] for e in results] == ["currentStatus"] * 3
    _assert_successful(results)


def test_should_insert_into_values_for_avro_topic(rest: Any) -> None:
    """KsqlResourceFunctionalTest.shouldInsertIntoValuesForAvroTopic: the row lands at partition 0, offset 0,
    timestamp 123 (with a Schema Registry: an in-memory one here)"""
    _, driver, server = rest.start({"ksql.schema.registry.url": "http://sr:8081"}, MemoryRegistryClient())
    results = rest.ok(
        server,
        "CREATE STREAM books (author VARCHAR KEY, title VARCHAR) "
        "WITH (kafka_topic='books', format='avro', partitions=1); "
        "INSERT INTO BOOKS (ROWTIME, author, title) VALUES (123, 'Metamorphosis', 'Franz Kafka');",
    )
    _assert_successful(results)
    [record] = driver.records("books")
    assert (record.partition, record.offset, record.timestamp) == (0, 0, 123)
    assert record.key is not None and record.key[:1] == b"\x00"  # SR-framed Avro
