"""Port of ksqlDB 0.29 `io.confluent.ksql.api.client.integration.AssertClientIntegrationTest`: the
statements Client.assertTopic/assertSchema build (ClientImpl: `assert [not exists] topic 'x' with (k=v,...)
timeout N seconds;`) sent to /ksql, and the 417 answers the client turns into its error text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ksqlserver.formats.sr.client import MemoryRegistryClient, RegisteredSchema
from ksqlserver.server import BackgroundServer


@pytest.fixture(scope="module")
def app(rest_module: Any) -> Iterator[tuple[Any, BackgroundServer]]:
    rest = rest_module
    registry = MemoryRegistryClient()
    _, driver, server = rest.start({"ksql.schema.registry.url": "http://foo:8080"}, registry)
    driver.create_topic("abc", 1, 1)
    # TEST_HARNESS.ensureSchema("abc", SCHEMA, false): the subject "abc-value", its first schema (id 1)
    assert registry.register("abc-value", RegisteredSchema('{"type": "string"}', "AVRO")) == 1
    yield rest, server


def _client_error(app: tuple[Any, BackgroundServer], sql: str, variables: dict[str, Any] | None = None) -> str:
    rest, server = app
    r = rest.ksql(server, sql, sessionVariables=variables or {})
    assert r.status_code != 200, r.text
    body = r.json()
    return f"Received {r.status_code} response from server: {body['message']}. Error code: {body['error_code']}"


def _ok(app: tuple[Any, BackgroundServer], sql: str, variables: dict[str, Any] | None = None) -> None:
    rest, server = app
    rest.ok(server, sql, sessionVariables=variables or {})


def test_should_throw_on_assert_nonexistent_schema(app: tuple[Any, BackgroundServer]) -> None:
    """AssertClientIntegrationTest.shouldThrowOnAssertNonexistentSchema"""
    message = _client_error(app, "assert schema subject 'NONEXISTENT' id 3 timeout 3 seconds;")
    assert "Received 417 response from server" in message
    assert "Schema with subject name NONEXISTENT id 3 does not exist" in message
    assert "Error code: 41700" in message


def test_should_throw_on_assert_not_exists_non_existing_schema(app: tuple[Any, BackgroundServer]) -> None:
    """AssertClientIntegrationTest.shouldThrowOnAssertNotExistsNonExistingSchema"""
    message = _client_error(app, "assert not exists schema subject 'abc-value' id 1 timeout 3 seconds;")
    assert "Received 417 response from server" in message
    assert "Schema with subject name abc-value id 1 exists." in message
    assert "Error code: 41700" in message


def test_should_assert_schema(app: tuple[Any, BackgroundServer]) -> None:
    """AssertClientIntegrationTest.shouldAssertSchema and shouldAssertNotExistsSchema"""
    for sql in (
        "assert schema subject 'abc-value';",
        "assert schema subject 'abc-value' id 1;",
        "assert schema id 1 timeout 3 seconds;",
        "assert not exists schema id 34;",
        "assert not exists schema subject 'NONEXISTENT' timeout 3 seconds;",
        "assert not exists schema subject 'NONEXISTENT' id 43 timeout 3 seconds;",
    ):
        _ok(app, sql)


def test_should_throw_on_assert_nonexistent_topic(app: tuple[Any, BackgroundServer]) -> None:
    """AssertClientIntegrationTest.shouldThrowOnAssertNonexistentTopic"""
    e1 = _client_error(app, "assert topic 'NONEXISTENT';")
    assert "Received 417 response from server" in e1
    assert "Topic NONEXISTENT does not exist." in e1
    assert "Error code: 41700" in e1
    e2 = _client_error(app, "assert topic 'abc' with (partitions=7,foo=3);")
    assert "Received 417 response from server" in e2
    assert "Mismatched configuration for topic abc: For config partitions, expected 7 got 1" in e2
    assert "Cannot assert unknown topic property: FOO." in e2
    assert "Error code: 41700" in e2


def test_should_throw_on_assert_not_exists_non_existing_topic(app: tuple[Any, BackgroundServer]) -> None:
    """AssertClientIntegrationTest.shouldThrowOnAssertNotExistsNonExistingTopic"""
    message = _client_error(app, "assert not exists topic 'abc' timeout 3 seconds;")
    assert "Received 417 response from server" in message
    assert "Topic abc exists" in message
    assert "Error code: 41700" in message


def test_should_assert_topic(app: tuple[Any, BackgroundServer]) -> None:
    """AssertClientIntegrationTest.shouldAssertTopic (Client.define: a session variable) and
    shouldAssertNotExistsTopic"""
    _ok(app, "assert topic 'abc';")
    _ok(app, "assert topic '${name}' with (replicas=1,partitions=1) timeout 3 seconds;", {"name": "abc"})
    _ok(app, "assert not exists topic 'NONEXISTENT' with (replicas=1,partitions=1);")
    _ok(app, "assert not exists topic 'NONEXISTENT' timeout 3 seconds;")
