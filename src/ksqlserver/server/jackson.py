"""The texts Jackson (ksqlDB 0.29's ApiJsonMapper) gives for request bodies it cannot read, which ksqlDB's
ServerUtils.deserialiseObject returns as "Invalid JSON in request: <text>" (40000)."""

from __future__ import annotations

import json

from ksqlserver.formats.jackson_json import jackson_error_at, object_end_location


def _source(text: str) -> str:
    return f'[Source: (byte[])"{text}"; line: 1, column: {len(text) + 1}]'


def _open_container(text: str) -> tuple[str, int] | None:
    """The innermost object or array still open at the end of `text`, and its 1-based column."""
    stack: list[tuple[str, int]] = []
    in_string = escaped = False
    for i, ch in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "{[":
            stack.append(("Object" if ch == "{" else "Array", i + 1))
        elif ch in "}]" and stack:
            stack.pop()
    return stack[-1] if stack and not in_string else None


def parse_error(text: str, exc: json.JSONDecodeError) -> str:
    """JsonParseException.getMessage: Jackson's message (formats/jackson_json.py) and the location where the
    parser stopped; for text Jackson reads (what follows the first value is never read) the end-of-input
    message inside an object or array, else the JSON decoder's own text."""
    found = jackson_error_at(text.encode("utf-8"))
    if found is not None:
        message, location = found
        return f"{message}\n at {location}"
    if exc.pos >= len(text.rstrip()):
        container = _open_container(text)
        if container is not None:
            kind, column = container
            return (
                f"Unexpected end-of-input: expected close marker for {kind} (start marker at "
                f'[Source: (byte[])"{text}"; line: 1, column: {column}])\n at {_source(text)}'
            )
    return str(exc)


def missing_property(name: str, index: int, raw: bytes | None = None, entity: str | None = None) -> str:
    """MismatchedInputException for a `required = true` creator property the body lacks: detected at the
    object's end, whose location JsonMappingException's message appends, then the reference chain to the
    property (`entity`: the class of io.confluent.ksql.rest.entity being read), as observed on ksqlDB 0.29
    built from source (scenarios/server_misc.json)."""
    message = f"Missing required creator property '{name}' (index {index})"
    location = object_end_location(raw) if raw is not None else None
    if location is not None:
        message += f"\n at {location}"
    if entity is not None:
        message += f' (through reference chain: io.confluent.ksql.rest.entity.{entity}["{name}"])'
    return message
