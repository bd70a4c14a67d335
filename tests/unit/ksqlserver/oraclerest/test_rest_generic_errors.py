"""/ksql responses observed on ksqlDB 0.29 built from source (/work/oracle, bin/diff-rest) that differed from
ours: plain KsqlExceptions (INSERT VALUES target checks, DESCRIBE FUNCTION of an unknown name). They reach
KsqlResource.handleKsqlStatements unwrapped, which answers with Errors.badRequest (40000 generic_error, no
statementText / entities), not a statement_error (InsertValuesExecutor.getDataSource / validateInsert throw
before execute's try block)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="module")
def res() -> Any:
    from tests.unit.ksqlserver.conftest import Resource

    r = Resource(sources=False)
    r.driver.create_topic("t", 1, 1)
    r.driver.create_topic("default_ksql_processing_log", 1, 1)
    r.ok("CREATE STREAM S (K STRING KEY, A INT, H BYTES HEADER('h')) WITH (kafka_topic='t', value_format='JSON');")
    r.ok("CREATE STREAM PL (A INT) WITH (kafka_topic='default_ksql_processing_log', value_format='JSON');")
    yield r
    r.close()


def test_unknown_target_is_a_generic_error(res: Any) -> None:
    """observed on ksqlDB 0.29 built from source: InsertValuesExecutor.getDataSource,
    `INSERT INTO TEST ... VALUES` before TEST exists -> 400 {"@type":"generic_error","error_code":40000,
    "message":"Cannot insert values into an unknown stream/table: `TEST`"}"""
    body = res.fail("INSERT INTO NOPE (A) VALUES (1);")
    assert body == {
        "@type": "generic_error",
        "error_code": 40000,
        "message": "Cannot insert values into an unknown stream/table: `NOPE`",
    }


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("INSERT INTO S (K, A, H) VALUES ('k', 1, NULL);", "Cannot insert into HEADER columns: H"),
        ("INSERT INTO PL (A) VALUES (1);", "Cannot insert values into read-only topic: default_ksql_processing_log"),
    ],
)
def test_target_checks_are_generic_errors(res: Any, sql: str, message: str) -> None:
    """InsertValuesExecutor.validateInsert (HEADER columns) and getDataSource (read-only topic): the same
    KsqlException path as the unknown target above, so the same 40000 generic_error entity."""
    body = res.fail(sql)
    assert body["@type"] == "generic_error" and body["error_code"] == 40000
    assert body["message"] == message
    assert "statementText" not in body


def test_describe_unknown_function_is_a_generic_error(res: Any) -> None:
    """observed on ksqlDB 0.29 built from source: DescribeFunctionExecutor -> InternalFunctionRegistry
    .getUdfFactory throws a plain KsqlException, so `DESCRIBE FUNCTION NO_SUCH_FN;` -> 400
    {"@type":"generic_error","error_code":40000,"message":"Can't find any functions with the name 'NO_SUCH_FN'"}"""
    assert res.fail("DESCRIBE FUNCTION NO_SUCH_FN;") == {
        "@type": "generic_error",
        "error_code": 40000,
        "message": "Can't find any functions with the name 'NO_SUCH_FN'",
    }
