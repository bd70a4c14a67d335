"""ASSERT [NOT EXISTS] TOPIC / SCHEMA: wait (up to the statement's TIMEOUT, else the server's default) until
the topic or schema is there (or gone), as ksqlDB 0.29 does for migration scripts.

The check is retried every 100 ms (timeout / 100 times); still failing then, the statement answers ksqlDB's 417
assertion error with the last check's message.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ksqlserver.errors import KsqlAssertionError, KsqlStatementError, SchemaRegistryError
from ksqlserver.sql import ast
from ksqlserver.statements.state import EngineState, Session

_RETRY_S = 0.1


def _timeout_ms(st: ast.AssertTopic | ast.AssertSchema, session: Session, default_key: str) -> int:
    if st.timeout is not None:
        return st.timeout.millis
    return int(session.props.get(default_key, "1000") or 1000)


def _retry(check: Callable[[], None], timeout_ms: int) -> None:
    """AssertExecutor: RetryUtil.retryWithBackoff(timeout / RETRY_MS, RETRY_MS, RETRY_MS, ...): the first
    check and `timeout / 100` retries, 100 ms apart, so a failing assertion answers after the whole
    timeout (not before its last slice)."""
    retries = int(timeout_ms // (_RETRY_S * 1000))
    attempt = 0
    while True:
        try:
            check()
            return
        except KsqlStatementError as e:
            attempt += 1
            if attempt > retries:
                raise KsqlAssertionError(e.message) from None
        time.sleep(_RETRY_S)


def assert_topic(state: EngineState, st: ast.AssertTopic, session: Session) -> dict[str, Any]:
    def check() -> None:
        info = state.driver.topic(st.topic)
        if not st.exists:
            if info is not None:
                raise KsqlStatementError(f"Topic {st.topic} exists")
            return
        if info is None:
            raise KsqlStatementError(f"Topic {st.topic} does not exist")
        problems = []
        for key, expected in st.properties.items():
            if key.lower() in ("partitions", "replicas"):
                actual = info.partitions if key.lower() == "partitions" else info.replicas
                if not (isinstance(expected, int) and not isinstance(expected, bool) and expected == actual):
                    problems.append(
                        f"Mismatched configuration for topic {st.topic}: For config {key.lower()}, "
                        f"expected {expected} got {actual}"
                    )
            else:
                problems.append(f"Cannot assert unknown topic property: {key}")
        if problems:
            raise KsqlStatementError("\n".join(problems))

    _retry(check, _timeout_ms(st, session, "ksql.assert.topic.default.timeout.ms"))
    return {
        "@type": "assert_topic",
        "statementText": st.text,
        "topicName": st.topic,
        "exists": st.exists,
        "warnings": [],
    }


def assert_schema(state: EngineState, st: ast.AssertSchema, session: Session) -> dict[str, Any]:
    registry = state.schema_registry
    if registry is None:
        raise KsqlStatementError("Cannot check schema existence: no Schema Registry is configured")
    what = (f" subject name {st.subject}" if st.subject is not None else "") + (
        f" id {st.schema_id}" if st.schema_id is not None else ""
    )

    def found() -> bool:
        try:
            if st.subject is not None and st.schema_id is not None:
                latest = registry.latest(st.subject)
                return any(
                    registry.version(st.subject, v).schema_id == st.schema_id for v in range(1, latest.version + 1)
                )
            if st.schema_id is not None:
                registry.schema_by_id(st.schema_id)
            elif st.subject is not None:
                registry.latest(st.subject)
            return True
        except SchemaRegistryError as e:
            if e.status == 404 or e.registry_code in (40401, 40402, 40403):
                return False
            raise KsqlStatementError(f"Cannot check schema existence: {e.message}") from None

    def check() -> None:
        exists = found()
        if st.exists and not exists:
            raise KsqlStatementError(f"Schema with{what} does not exist")
        if not st.exists and exists:
            raise KsqlStatementError(f"Schema with{what} exists")

    _retry(check, _timeout_ms(st, session, "ksql.assert.schema.default.timeout.ms"))
    return {
        "@type": "assert_schema",
        "statementText": st.text,
        "subject": st.subject,
        "id": st.schema_id,
        "exists": st.exists,
        "warnings": [],
    }
