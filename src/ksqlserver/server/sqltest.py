"""POST /test: the SQL testing tool over REST (ksqlDB's KsqlResource.runTest).

The body is a JSON string holding a test file (ServerVerticle reads it as a `String` with Jackson). Each
test runs on its own engine over the in-memory driver, never on the server's; the answer is the list of
KsqlTestResult entities `{"result", "name", "message"}`. A file that does not load is a bad request.
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any

from ksqlserver.server import jackson
from ksqlserver.server.errors import HttpError, generic_error
from ksqlserver.server.exchange import Request, Responder, respond
from ksqlserver.server.jsonout import dumps_bytes

if TYPE_CHECKING:
    from ksqlserver.config import ServerConfig

V1_JSON = "application/vnd.ksql.v1+json"  # the route `produces` only this


def _test_text(raw: bytes) -> str:
    """ServerUtils.deserialiseObject(body, String.class): a JSON string (a scalar reads as its text)."""
    try:
        text = raw.decode("utf-8")
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        if not raw.strip():
            raise HttpError(400, 40000, "Invalid JSON in request: No content to map due to end-of-input") from exc
        raise HttpError(400, 40000, f"Invalid JSON in request: {jackson.parse_error(text, exc)}") from exc
    except UnicodeDecodeError as exc:
        raise HttpError(400, 40000, f"Invalid JSON in request: {exc}") from exc
    if isinstance(value, dict | list):
        token = "START_OBJECT" if isinstance(value, dict) else "START_ARRAY"
        kind = "Object" if isinstance(value, dict) else "Array"
        raise HttpError(
            400,
            40000,
            f"Invalid JSON in request: Cannot deserialize value of type `java.lang.String` from {kind} value "
            f"(token `JsonToken.{token}`)",
        )
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


def run_tests(text: str) -> tuple[int, Any]:
    """KsqlResource.runTest: (status, entity)."""
    from ksqlserver.testing.sqltests.executor import run_test
    from ksqlserver.testing.sqltests.reader import load_tests

    try:
        tests = load_tests(text)
    except Exception as e:  # (ksqlDB answers any loading failure as Errors.badRequest(e))
        entity = generic_error(40000, "")
        entity["message"] = getattr(e, "message", str(e))  # Java's null stays null
        return 400, entity
    results = []
    for test in tests:
        try:
            run_test(test)
            results.append({"result": True, "name": test.name, "message": ""})
        except Exception as e:  # (ksqlDB reports any throwable as a failed test)
            message = getattr(e, "message", str(e))
            results.append({"result": False, "name": test.name, "message": message})
    return 200, results


async def handle_test(config: ServerConfig, request: Request, responder: Responder) -> None:
    raw = await asyncio.wait_for(request.body.read(config.max_request_bytes), config.request_body_timeout)
    text = _test_text(raw)
    status, entity = await asyncio.to_thread(run_tests, text)
    await respond(responder, status, dumps_bytes(entity), V1_JSON if status == 200 else "application/json")
