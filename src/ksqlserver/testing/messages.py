"""The failure descriptions of ksqlDB's testing tool, word for word.

Expected records print as Jackson prints a JSON node (`{"ID":1,"NAME":"a"}`); actual records print as the
Java objects ksqlDB's test deserializers give (`{ID=1, NAME=a}`, a windowed key as `[key@start/end]`, a
string value in quotes), so a user comparing our output with ksqlDB's sees the same lines.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ksqlserver.formats.javatext import py_java_double

PASSED = "\t >>> Test passed!"
FAILED_PREFIX = "\t>>>>> Test failed: "
INVALID_ARGUMENTS_PREFIX = "Invalid arguments: "
USAGE_HINT = "See the -h or --help flags for usage information"
NO_QUERIES = "test did not generate any queries.\nExpected: is not an empty collection\n     but: was <[]>"
NOT_EXECUTABLE = "Statement not executable"

Headers = Sequence[tuple[str, bytes | None]]


@dataclass(frozen=True)
class Windowed:
    """An actual windowed key, printed as Kafka Streams' `Windowed.toString()`."""

    key: Any
    start: int
    end: int

    def __str__(self) -> str:
        return f"[{java_text(self.key)}@{self.start}/{self.end}]"


def json_node_text(v: Any) -> str:
    """A parsed JSON value as Jackson's `JsonNode.toString()` prints it (compact, exact decimals)."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, Decimal)):
        return str(v)
    if isinstance(v, float):
        return py_java_double(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, dict):
        return "{" + ",".join(f"{json.dumps(str(k), ensure_ascii=False)}:{json_node_text(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ",".join(json_node_text(x) for x in v) + "]"
    return json.dumps(str(v), ensure_ascii=False)


def java_text(v: Any, top: bool = True) -> str:
    """A deserialized key or value as Java's `toString()` prints it (maps `{A=1, B=x}`, lists `[1, 2]`)."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, Decimal)):
        return str(v)
    if isinstance(v, float):
        return py_java_double(v)
    if isinstance(v, (bytes, bytearray)):
        if top:
            return f"java.nio.HeapByteBuffer[pos=0 lim={len(v)} cap={len(v)}]"
        return base64.b64encode(bytes(v)).decode()
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}={java_text(x, False)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(java_text(x, False) for x in v) + "]"
    return str(v)


def headers_text(headers: Headers) -> str:
    return ", ".join(
        f"{{KEY={k},VALUE={'null' if v is None else base64.b64encode(v).decode()}}}" for k, v in headers
    )


def actual_record_text(key: Any, value: Any, timestamp: int, headers: Headers) -> str:
    """`<key, value> with timestamp=T and headers=[...]`; a string value is quoted."""
    shown = f'"{value}"' if isinstance(value, str) else java_text(value)
    return f"<{java_text(key)}, {shown}> with timestamp={timestamp} and headers=[{headers_text(headers)}]"


def count_mismatch(topic: str, expected: int, actual: Sequence[str]) -> str:
    lines = "\n".join(actual)
    return f"Topic {topic}. Expected <{expected}> records but it was <{len(actual)}>\nActual records: \n{lines}"


def record_mismatch(
    topic: str, index: int, key: Any, value: Any, timestamp: int, headers: Headers, actual: str
) -> str:
    return (
        f"Topic '{topic}', message {index}: Expected <{json_node_text(key)}, {json_node_text(value)}> "
        f"with timestamp={timestamp} and headers=[{headers_text(headers)}] but was {actual}"
    )


def unknown_topic(topic: str, known: Sequence[str]) -> str:
    """No stream or table reads or writes `topic`: ksqlDB's topic-info lookup fails (the cache wraps it)."""
    return (
        "io.confluent.ksql.test.TestFrameworkException: Failed to determine key type for\n"
        f"topic: {topic}\nreason: No information found for topic '{topic}'. "
        f"Available topics: [{', '.join(known)}]"
    )


def deserialize_failure(part: str, problem: str, topic: str, timestamp: int) -> str:
    return f"Failed to deserialize {part}: {problem}\nrec: ProducerRecord(topic={topic}, timestamp={timestamp})"
