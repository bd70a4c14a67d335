"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.StandaloneExecutorFunctionalTest` on the in-memory driver
(and an in-memory registry for AVRO): a queries file with SET / UNSET around CSAS, INSERT INTO and CTAS
statements writes what ksqlDB's would; a CREATE without columns takes its schema from the registry, and fails
when the registry has none. shouldHandleComments is in test_standalone_executor.py. Also the CLI's
`--queries-file`: headless, no REST server (KsqlServerMain with ServerOptions.getQueriesFile)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError
from ksqlserver.formats.sr.client import MemoryRegistryClient, RegisteredSchema
from ksqlserver.headless import run_queries_file

ROWS = [("ORDER_1", 1), ("ORDER_2", 2), ("ORDER_3", 3), ("ORDER_1", 4)]  # 4 rows, 3 unique keys
SCRIPT = (
    "CREATE STREAM S (ROWKEY STRING KEY, ORDERTIME BIGINT)    WITH (kafka_topic='{topic}', value_format='{fmt}');\n"
    "\n"
    "CREATE TABLE T (ROWKEY STRING PRIMARY KEY, ORDERTIME BIGINT)     WITH (kafka_topic='{topic}', value_format='{fmt}');\n"
    "\n"
    "SET 'auto.offset.reset' = 'earliest';\n"
    "CREATE STREAM S1 AS SELECT * FROM S;\n"
    "\n"
    "INSERT INTO S1 SELECT * FROM S;\n"
    "\n"
    "CREATE TABLE T1 AS SELECT * FROM T;\n"
    "\n"
    "UNSET 'auto.offset.reset';\n"
    "CREATE STREAM S2 AS SELECT * FROM S;\n"
)
AVRO_SCHEMA = json.dumps(
    {"type": "record", "name": "KsqlDataSourceSchema", "namespace": "io.confluent.ksql.avro_schemas",
     "fields": [{"name": "ORDERTIME", "type": ["null", "long"], "default": None}]}
)  # fmt: skip


def _engine(registry: Any = None) -> Engine:
    properties = {"ksql.schema.registry.url": "http://sr:8081"} if registry is not None else {}
    return Engine(
        EngineConfig(processing_log=False, command_topic=False, properties=properties),
        MemoryDriver(),
        registry,
    )


def _run(engine: Engine, tmp_path: Path, sql: str) -> None:
    path = tmp_path / "queries.sql"
    path.write_text(sql, encoding="utf-8")
    run_queries_file(engine, str(path))
    engine.drain()


def _counts(engine: Engine) -> tuple[int, int, int]:
    unique_t1 = {r.key for r in engine.driver.records("T1")}
    return len(engine.driver.records("S1")), len(unique_t1), len(engine.driver.records("S2"))


def test_should_handle_json_with_schemas(tmp_path: Path) -> None:
    """StandaloneExecutorFunctionalTest.shouldHandleJsonWithSchemas: S1 gets the rows twice (CSAS and INSERT
    INTO), T1 each key once, S2 nothing (auto.offset.reset unset again)."""
    engine = _engine()
    try:
        engine.driver.create_topic("json_topic", 1, 1)
        engine.driver.produce(
            "json_topic", [Record(k.encode(), json.dumps({"ORDERTIME": t}).encode(), t, 0) for k, t in ROWS]
        )
        _run(engine, tmp_path, SCRIPT.format(topic="json_topic", fmt="json"))
        assert _counts(engine) == (2 * len(ROWS), 3, 0)
    finally:
        engine.close()


def test_should_handle_avro_with_schemas(tmp_path: Path) -> None:
    """StandaloneExecutorFunctionalTest.shouldHandleAvroWithSchemas: the same over AVRO, the rows written
    through the statements' own schema (INSERT VALUES into S)."""
    engine = _engine(MemoryRegistryClient())
    try:
        engine.driver.create_topic("avro_topic", 1, 1)
        _run(engine, tmp_path, SCRIPT.format(topic="avro_topic", fmt="avro"))
        for key, t in ROWS:
            engine.execute(f"INSERT INTO S (ROWKEY, ORDERTIME) VALUES ('{key}', {t});")
        engine.drain()
        assert _counts(engine) == (2 * len(ROWS), 3, len(ROWS))  # S2 reads the rows written after it started
    finally:
        engine.close()


def test_should_infer_avro_schema(tmp_path: Path) -> None:
    """StandaloneExecutorFunctionalTest.shouldInferAvroSchema: the value columns from the registry."""
    registry = MemoryRegistryClient()
    registry.register("avro_topic-value", RegisteredSchema("AVRO", AVRO_SCHEMA))
    engine = _engine(registry)
    try:
        engine.driver.create_topic("avro_topic", 1, 1)
        _run(
            engine,
            tmp_path,
            "SET 'auto.offset.reset' = 'earliest';"
            "CREATE STREAM S (ROWKEY STRING KEY) WITH (kafka_topic='avro_topic', value_format='avro');\n"
            "CREATE STREAM S1 AS SELECT * FROM S;",
        )
        [described] = engine.execute("DESCRIBE S1;")
        assert [f["name"] for f in described["sourceDescription"]["fields"]] == ["ROWKEY", "ORDERTIME"]
    finally:
        engine.close()


def test_should_fail_on_avro_without_schemas_if_schema_not_available(tmp_path: Path) -> None:
    """StandaloneExecutorFunctionalTest.shouldFailOnAvroWithoutSchemasIfSchemaNotAvailable"""
    engine = _engine(MemoryRegistryClient())
    try:
        engine.driver.create_topic("topic-without-schema", 1, 1)
        with pytest.raises(KsqlError) as info:
            _run(
                engine,
                tmp_path,
                "SET 'auto.offset.reset' = 'earliest';"
                "CREATE STREAM S WITH (kafka_topic='topic-without-schema', value_format='avro');"
                "CREATE STREAM S1 AS SELECT * FROM S;",
            )
        assert (
            "Schema for message values on topic 'topic-without-schema' does not exist in the Schema Registry"
            in info.value.message
        )
    finally:
        engine.close()


def _cli(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ksqlserver",
            "--bootstrap-servers",
            "memory://",
            "--listen",
            "127.0.0.1:0",
            *args,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_cli_runs_a_queries_file_headless(tmp_path: Path) -> None:
    """KsqlServerMain: with --queries-file the StandaloneExecutor runs it and no REST server starts."""
    path = tmp_path / "queries.sql"
    path.write_text(
        "CREATE STREAM S (ID STRING KEY, V INT) WITH (kafka_topic='s', value_format='json', partitions=1);"
        "CREATE STREAM S2 AS SELECT * FROM S;",
        encoding="utf-8",
    )
    proc = _cli("--queries-file", str(path))
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.strip().endswith(f"started with query file {path}. Interactive mode is disabled.")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    assert proc.returncode == 0


def test_cli_fails_on_a_bad_queries_file(tmp_path: Path) -> None:
    """StandaloneExecutor.startAsync: "Failed to start KSQL Server with query file: <file>", the cause."""
    path = tmp_path / "queries.sql"
    path.write_text("SHOW STREAMS;", encoding="utf-8")
    proc = _cli("-p", f"ksql.queries.file={path}")
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert f"Failed to start KSQL Server with query file: {path}: Unsupported statement." in err
