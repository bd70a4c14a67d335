"""The texts Jackson (ksqlDB 0.29's ApiJsonMapper) gives for request bodies it cannot read, which ksqlDB's
ServerUtils.deserialiseObject returns as "Invalid JSON in request: <text>" (40000)."""

from __future__ import annotations

import json


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
    """JsonParseException's message where it is known (end of input inside an object or array), else the
    JSON decoder's own text."""
    if exc.pos >= len(text.rstrip()):
        container = _open_container(text)
        if container is not None:
            kind, column = container
            return (
                f"Unexpected end-of-input: expected close marker for {kind} (start marker at "
                f'[Source: (byte[])"{text}"; line: 1, column: {column}])\n at {_source(text)}'
            )
    return str(exc)


def missing_property(name: str, index: int) -> str:
    """MismatchedInputException for a `required = true` creator property the body lacks."""
    return f"Missing required creator property '{name}' (index {index})"


def word_wrap(text: str, width: int, newline: str) -> str:
    """commons-text WordUtils.wrap(text, width, newline, wrapLongWords=true) on single spaces."""
    out: list[str] = []
    offset, length = 0, len(text)
    while offset < length:
        window = text[offset : min(offset + width + 1, length)]
        spaces = [i for i, ch in enumerate(window) if ch == " "]
        wrap_at = -1
        if spaces:
            if spaces[0] == 0:  # a leading space is dropped
                offset += 1
                continue
            wrap_at = spaces[0] + offset
        if length - offset <= width:
            break
        if spaces:
            wrap_at = spaces[-1] + offset
        if wrap_at >= offset:
            out.append(text[offset:wrap_at] + newline)
            offset = wrap_at + 1
        else:  # a word longer than the line is cut
            out.append(text[offset : offset + width] + newline)
            offset += width
    out.append(text[offset:])
    return "".join(out)


def error_message(message: str, *causes: str) -> str:
    """ErrorMessageUtil.buildErrorMessage: the message, then each cause not already in it as a
    "Caused by: ..." line wrapped at 80 columns (continuation lines start with a tab)."""
    seen = [message]
    for cause in causes:
        if cause and cause not in seen and cause not in message:
            seen.append(cause)
    lines = [word_wrap("Caused by: " + cause, 80, "\n\t") for cause in seen[1:]]
    return "\n".join([message, *lines])
