"""What the REST runner compares: responses as subsets of the expected JSON (numbers by value), streamed
query rows in or out of order, error entities, and records read back from topics."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ksqlserver.conformance.records import matches
from ksqlserver.errors import KsqlError
from ksqlserver.sql.mask import masked_text
from ksqlserver.sql.parser import parse

STATEMENT_ERROR = "io.confluent.ksql.rest.entity.KsqlStatementErrorMessage"


# ---- matching ----------------------------------------------------------------------------------------------


def _normal(value: Any) -> Any:
    """Numbers compare by value (the harness compares JSON numbers as numbers)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    if isinstance(value, list):
        return [_normal(v) for v in value]
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items()}
    return value


def subset_match(expected: Any, actual: Any, statement: str = "") -> bool:
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return False
        for key, want in expected.items():
            if key.endswith("|starts_with"):
                real = key.split("|")[0]
                if not isinstance(actual.get(real), str) or not actual[real].startswith(str(want)):
                    return False
                continue
            if key not in actual or not subset_match(want, actual[key], statement):
                return False
        return True
    if isinstance(expected, str) and "{STATEMENT}" in expected:
        expected = expected.replace("{STATEMENT}", statement)
    return _normal(expected) == _normal(actual)


def match_query(expected: list[Any], actual: list[Any], verify_order: bool) -> str:
    """'' when `actual` (a StreamedRow list) matches; else what differs."""
    if len(expected) != len(actual):
        return (
            f"expected {len(expected)} elements, got {len(actual)}: {json.dumps(actual, default=str)[:800]}"
        )
    rows_expected = [e for e in expected if isinstance(e, dict) and "row" in e]
    rows_actual = [a for a in actual if isinstance(a, dict) and "row" in a]
    for position, (want, got) in enumerate(zip(expected, actual, strict=True)):
        if isinstance(want, dict) and "row" in want and not verify_order:
            continue
        if not subset_match(want, got):
            shown = json.dumps(got, default=str)
            return f"element {position}: expected {json.dumps(want, default=str)}, got {shown}"
    if not verify_order:
        remaining = list(rows_actual)
        for want in rows_expected:
            hit = next((i for i, got in enumerate(remaining) if subset_match(want, got)), None)
            if hit is None:
                return (
                    f"row {json.dumps(want, default=str)} not in {json.dumps(rows_actual, default=str)[:800]}"
                )
            remaining.pop(hit)
    return ""


def check_error(expected: Mapping[str, Any], status: int, body: Any, last_statement: str) -> str:
    if "status" in expected and int(expected["status"]) != status:
        return f"expected HTTP {expected['status']}, got {status}: {json.dumps(body, default=str)[:500]}"
    if not isinstance(body, dict):
        return f"error body is not an object: {body!r:.300}"
    if expected.get("type") == STATEMENT_ERROR:
        if body.get("@type") != "statement_error":
            return f"expected a statement_error, got {body.get('@type')}"
        said = str(body.get("statementText", ""))
        if last_statement and not any(text in said for text in _statement_texts(last_statement)):
            return f"statementText {body.get('statementText')!r} lacks the failing statement"
    message = expected.get("message")
    if message and str(message) not in str(body.get("message", "")):
        return f"message {body.get('message')!r} lacks {message!r}"
    return ""


def _statement_texts(statement: str) -> list[str]:
    """The failing statement as sent, and as QueryMask gives it (an INSERT VALUES error names its masked
    text)."""
    texts = [statement.strip()]
    with contextlib.suppress(KsqlError):  # a statement that does not parse is only compared as sent
        texts += [masked_text(st) for st in parse(statement)]
    return texts


def by_column(value: Mapping[str, Any], columns: list[str]) -> dict[str, Any]:
    """JSON field names match columns case-insensitively, as ksqlDB's JSON deserializer does."""
    upper = {c.upper(): c for c in columns}
    return {upper.get(k.upper(), k): v for k, v in value.items()}


def _decode(data: bytes | None, like: Any) -> Any:
    if data is None:
        return None
    if isinstance(like, bool):
        return json.loads(data)
    if isinstance(like, int) and len(data) in (4, 8):
        return int.from_bytes(data, "big", signed=True)
    if isinstance(like, str):
        return data.decode("utf-8")
    try:
        return json.loads(data.decode("utf-8"), parse_float=Decimal)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return data.decode("utf-8", "replace")


def record_problem(want: Mapping[str, Any], got: Any, decoded: tuple[Any, Any] | None = None) -> str:
    """What differs between an expected and an actual record; `decoded`: the (key, value) of a record
    whose format the caller decoded already (the Schema Registry formats)."""
    if "timestamp" in want and int(want["timestamp"]) != int(got.timestamp):
        return f"timestamp {got.timestamp}, expected {want['timestamp']}"
    if decoded is not None:
        key, value = decoded
        if "key" in want and not matches(want["key"], key):
            return f"key {key!r}, expected {want['key']!r}"
        if "value" in want and not matches(want["value"], value):
            return f"value {value!r}, expected {want['value']!r}"
        return ""
    key = _decode(got.key, want.get("key"))
    if "key" in want and _normal(key) != _normal(want["key"]):
        return f"key {key!r}, expected {want['key']!r}"
    value = _decode(got.value, want.get("value"))
    if "value" in want and _normal(value) != _normal(want["value"]):
        return f"value {value!r}, expected {want['value']!r}"
    return ""
