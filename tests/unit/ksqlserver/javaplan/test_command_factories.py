"""Port of ksqlDB 0.29 `io.confluent.ksql.ddl.commands.CommandFactoriesTest`: which command each DDL statement
becomes, and where a CREATE takes `ksql.persistence.wrap.single.values` from.

The Java test checks the factory dispatch with mocked factories; here each statement runs and its effect
shows: the source, its type, the ALTERed column, the registered type, each gone after its DROP.
shouldThrowOnUnsupportedStatementType (a statement that is no DDL handed to the factory) has no SQL form."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

W = "VALUE_FORMAT='JSON', PARTITIONS=1"


@pytest.fixture
def p(make_pull: Callable[..., Any]) -> Any:
    return make_pull(tables=False)


def test_should_create_command_for_create_stream_and_table(p: Any) -> None:
    """shouldCreateCommandForCreateStream / ...CreateSourceStream / ...CreateTable / ...CreateSourceTable."""
    p.execute(f"CREATE STREAM S (K INT KEY, V STRING) WITH (KAFKA_TOPIC='s', {W});")
    p.execute(f"CREATE SOURCE STREAM SS (K INT KEY, V STRING) WITH (KAFKA_TOPIC='s', {W});")
    p.execute(f"CREATE TABLE T (K INT PRIMARY KEY, V STRING) WITH (KAFKA_TOPIC='t', {W});")
    p.execute(f"CREATE SOURCE TABLE ST (K INT PRIMARY KEY, V STRING) WITH (KAFKA_TOPIC='t', {W});")
    kinds = {n: (p.source(n).is_table, bool(p.source(n).is_source)) for n in ("S", "SS", "T", "ST")}
    assert kinds == {"S": (False, False), "SS": (False, True), "T": (True, False), "ST": (True, True)}


def test_should_create_command_for_alter_source(p: Any) -> None:
    """shouldCreateCommandForAlterSource."""
    p.execute(f"CREATE STREAM S (K INT KEY, V STRING) WITH (KAFKA_TOPIC='s', {W});")
    p.execute("ALTER STREAM S ADD COLUMN W INT;")
    src = p.source("S")
    assert src.schema.describe(src.is_table) == "`K` INTEGER KEY, `V` STRING, `W` INTEGER"


def test_should_create_command_for_drop_stream_and_table(p: Any) -> None:
    """shouldCreateCommandForDropStream / shouldCreateCommandForDropTable."""
    p.execute(f"CREATE STREAM S (K INT KEY, V STRING) WITH (KAFKA_TOPIC='s', {W});")
    p.execute(f"CREATE TABLE T (K INT PRIMARY KEY, V STRING) WITH (KAFKA_TOPIC='t', {W});")
    p.execute("DROP STREAM S;")
    p.execute("DROP TABLE T;")
    assert p.engine.state.metastore.get("S") is None and p.engine.state.metastore.get("T") is None


def test_should_create_register_and_drop_type(p: Any) -> None:
    """shouldCreateCommandForRegisterType / shouldCreateDropType."""
    p.execute("CREATE TYPE ADDRESS AS STRUCT<NUMBER INT, STREET STRING>;")
    types = p.execute("SHOW TYPES;")[0]["types"]
    assert types == {"ADDRESS": {"type": "STRUCT", "fields": [
        {"name": "NUMBER", "schema": {"type": "INTEGER", "fields": None, "memberSchema": None}},
        {"name": "STREET", "schema": {"type": "STRING", "fields": None, "memberSchema": None}},
    ], "memberSchema": None}}  # fmt: skip
    p.execute("DROP TYPE ADDRESS;")
    assert p.execute("SHOW TYPES;")[0]["types"] == {}


@pytest.mark.parametrize("kind, key", [("STREAM", "KEY"), ("TABLE", "PRIMARY KEY")])
def test_single_value_wrapping_from_overrides_not_config(make_pull: Callable[..., Any], kind: str, key: str) -> None:
    """shouldCreateStreamCommandWithSingleValueWrappingFromOverridesNotConfig /
    shouldCreateTableCommandWithSingleValueWrappingFromOverridesNotConfig: the server says wrap, the request
    says not: the single value column is written unwrapped."""
    p = make_pull(tables=False, **{"ksql.persistence.wrap.single.values": "true"})
    p.execute(f"CREATE {kind} X (K INT {key}, V STRING) WITH (KAFKA_TOPIC='x', {W});",
              {"ksql.persistence.wrap.single.values": False})  # fmt: skip
    p.execute(f"CREATE {kind} Y (K INT {key}, V STRING) WITH (KAFKA_TOPIC='y', {W});")
    p.execute("INSERT INTO X (K, V) VALUES (1, 'a'); INSERT INTO Y (K, V) VALUES (1, 'a');")
    assert [json.loads(r.value) for r in p.engine.driver.records("x")] == ["a"]
    assert [json.loads(r.value) for r in p.engine.driver.records("y")] == [{"V": "a"}]
