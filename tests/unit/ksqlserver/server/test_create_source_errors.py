"""The /ksql error of a plain CREATE STREAM/TABLE refused by the engine, as ksqlDB 0.29's REST server answers.

The engine's own checks (EngineExecutor.plan, CreateSourceFactory: the name, a table's PRIMARY KEY, an
incompatible CREATE OR REPLACE) run on the statement the injectors made, so RequestValidator's error names that
statement, re-printed with the defaults filled in, as a success does (observed on the real server built from
source). The WITH clause is checked before: PropertiesConfig's AbstractConfig constructor parses the known
properties' values (ConfigDef.parse) before throwOnUnknownProperty, so a bad value is reported before an
unknown name, whatever their order (observed: `partitions='x', foo=1` and `foo=1, partitions='x'` both answer
"Invalid value x for property PARTITIONS")."""

from __future__ import annotations

from typing import Any

WITH = "WITH (kafka_topic='cse_t', value_format='JSON', partitions=1)"
PRINTED = "WITH (CLEANUP_POLICY='{policy}', KAFKA_TOPIC='cse_t', KEY_FORMAT='KAFKA', PARTITIONS=1, VALUE_FORMAT='JSON');"


def test_a_duplicate_name_names_the_injected_statement(res: Any) -> None:
    sql = f"CREATE STREAM CSE (K STRING KEY, V INT) {WITH};"
    [created] = res.ok(sql)
    error = res.fail(sql)
    assert error["message"] == "Cannot add stream 'CSE': A stream with the same name already exists"
    assert error["statementText"] == created["statementText"]
    assert error["statementText"] == "CREATE STREAM CSE (K STRING KEY, V INTEGER) " + PRINTED.format(policy="delete")


def test_a_table_without_primary_key_and_a_bad_upgrade_name_the_injected_statement(res: Any) -> None:
    error = res.fail(f"CREATE TABLE CSE_T (K STRING, V INT) {WITH};")
    assert error["message"] == "Tables require a PRIMARY KEY. Please define the PRIMARY KEY."
    assert error["statementText"] == "CREATE TABLE CSE_T (K STRING, V INTEGER) " + PRINTED.format(policy="compact")
    res.ok(f"CREATE STREAM CSE_U (K STRING KEY, V INT) {WITH};")
    error = res.fail(f"CREATE OR REPLACE STREAM CSE_U (K STRING KEY, V STRING) {WITH};")
    assert error["message"].startswith("Cannot upgrade data source: ")
    assert error["statementText"] == (
        "CREATE OR REPLACE STREAM CSE_U (K STRING KEY, V STRING) " + PRINTED.format(policy="delete")
    )


def test_a_bad_with_value_is_reported_before_an_unknown_name(res: Any) -> None:
    for props in ("partitions='x', foo=1", "foo=1, partitions='x'"):
        sql = f"CREATE STREAM CSE_W (K STRING KEY, V INT) WITH (kafka_topic='cse_t', value_format='JSON', {props});"
        error = res.fail(sql)
        assert error["message"] == "Failed to prepare statement: Invalid value x for property PARTITIONS: Not a number of type INT"
        assert error["statementText"] == sql
    error = res.fail("CREATE STREAM CSE_W (K STRING KEY, V INT) WITH (kafka_topic='cse_t', value_format='JSON', foo=1);")
    assert error["message"] == "Failed to prepare statement: Invalid config variable(s) in the WITH clause: FOO"
