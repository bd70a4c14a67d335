"""The three files of a test: statements (SQL), input records and expected output records.

The record files are ksqlDB's `{"inputs": [...]}` and `{"outputs": [...]}`: each record has a `topic`
and a `value` (both required; `value` may be null, a tombstone), and optionally a `key`, a `timestamp`
(ms), a `window` (`{"start": ms, "end": ms, "type": "time"|"session"}`) and `headers`
(`[{"KEY": "name", "VALUE": "<base64>"}]`). Numbers with a fraction are kept exact (Decimal), comments
(`//`, `/* */`) are allowed and unknown fields ignored, as ksqlDB's Jackson mapper does. Problems are
reported in the words of ksqlDB's tool (`TestFileError.message`).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ksqlserver.testing.errors import TestFileError

_JAVA_PACKAGE = "io.confluent.ksql.test.model"


@dataclass(frozen=True)
class WindowSpec:
    start: int
    end: int
    type: str  # TIME or SESSION


@dataclass(frozen=True)
class RecordSpec:
    """One record of an input or output file (JSON values as parsed: dict, list, str, int, Decimal...)."""

    topic: str
    key: Any
    value: Any
    timestamp: int | None = None
    window: WindowSpec | None = None
    headers: tuple[tuple[str, bytes | None], ...] | None = None


class _RecordProblem(Exception):
    """A record that does not deserialize; `index` is its position in the list."""

    def __init__(self, message: str, index: int) -> None:
        super().__init__(message)
        self.message = message
        self.index = index


def read_statements(path: Path | str) -> str:
    """The statements file's text (undecodable bytes replaced, as Java's `new String(bytes, UTF_8)`)."""
    try:
        return Path(path).read_bytes().decode("utf-8", errors="replace")
    except OSError as e:
        detail = str(path) if isinstance(e, FileNotFoundError) else (e.strerror or str(e))
        raise TestFileError(path, f"Could not read the query file: {path}. Details: {detail}") from None


def load_records(path: Path | str, field: str) -> list[RecordSpec]:
    """The records of an input (`field="inputs"`) or output (`field="outputs"`) file.

    Raises `TestFileError` with ksqlDB's message ("File name: <path> Message: <problem>").
    """
    try:
        raw = Path(path).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        raise _file_error(path, f"{path} (No such file or directory)") from None
    except IsADirectoryError:
        raise _file_error(path, f"{path} (Is a directory)") from None
    except OSError as e:
        raise _file_error(path, f"{path} ({e.strerror or e})") from None
    text = blank_comments(raw)
    try:
        doc = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as e:
        raise _file_error(path, f"{e.msg} at [Source: (File); line: {e.lineno}, column: {e.colno}]") from None
    node_class = f"{_JAVA_PACKAGE}.{'InputRecordsNode' if field == 'inputs' else 'OutputRecordsNode'}"
    if not isinstance(doc, dict):
        kind = "Array" if isinstance(doc, list) else "a scalar"
        raise _file_error(path, f"Cannot deserialize value of type `{node_class}` from {kind} value")
    where = _end_location(text)
    items = doc.get(field)
    noun = "input" if field == "inputs" else "output"
    if items is None:
        raise _file_error(
            path, f"Cannot construct instance of `{node_class}`, problem: No '{field}' field in the {noun} file."
            f"\n at {where}",
        )
    if not isinstance(items, list):
        raise _file_error(
            path,
            f"Cannot deserialize value of type `java.util.ArrayList<{_JAVA_PACKAGE}.RecordNode>` from "
            f"{'Object' if isinstance(items, dict) else 'a scalar'} value"
            f" (through reference chain: {node_class}[\"{field}\"])",
        )
    if not items:
        raise _file_error(
            path, f"Cannot construct instance of `{node_class}`, problem: {noun.capitalize()}s cannot be empty."
            f"\n at {where}",
        )
    try:
        return [_record(item, i) for i, item in enumerate(items)]
    except _RecordProblem as p:
        chain = f'{node_class}["{field}"]->java.util.ArrayList[{p.index}]'
        raise _file_error(path, f"{p.message} (through reference chain: {chain})") from None


def _file_error(path: Path | str, message: str) -> TestFileError:
    return TestFileError(path, f"File name: {path} Message: {message}")


def _record(node: Any, index: int) -> RecordSpec:
    if not isinstance(node, dict):
        node = {}
    if "topic" not in node or node["topic"] is None or node["topic"] == "":
        raise _RecordProblem("test must define 'topic' field", index)
    topic = node["topic"]
    if isinstance(topic, (dict, list)):
        raise _RecordProblem("Cannot deserialize value of type `java.lang.String` from a structured value", index)
    if "value" not in node:
        raise _RecordProblem("test must define 'value' field", index)
    timestamp = _long(node.get("timestamp"), "timestamp", index)
    window = None
    if node.get("window") is not None:
        window = _window(node["window"], index)
    headers = None
    if node.get("headers") is not None:
        headers = _headers(node["headers"], index)
    text_topic = topic if isinstance(topic, str) else _scalar_text(topic)
    return RecordSpec(text_topic, node.get("key"), node["value"], timestamp, window, headers)


def _scalar_text(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _long(v: Any, name: str, index: int) -> int | None:
    if v is None:
        return None
    if isinstance(v, bool):
        raise _RecordProblem(f"Cannot deserialize value of type `java.lang.Long` from Boolean value ({name})", index)
    if isinstance(v, int):
        return v
    if isinstance(v, Decimal) and v == v.to_integral_value():
        return int(v)
    if isinstance(v, str):
        try:
            return int(v.strip())
        except ValueError:
            pass
    raise _RecordProblem(
        f"Cannot deserialize value of type `java.lang.Long` from {json.dumps(str(v))}: "
        f"not a valid `java.lang.Long` value ({name})",
        index,
    )


def _window(node: Any, index: int) -> WindowSpec:
    if not isinstance(node, dict):
        raise _RecordProblem("window: expected an object with start, end and type", index)
    start = _long(node.get("start", 0), "start", index) or 0
    end = _long(node.get("end", 0), "end", index) or 0
    kind = node.get("type")
    if kind is None:
        raise _RecordProblem("type", index)
    upper = str(kind).upper()
    if upper not in ("TIME", "SESSION"):
        raise _RecordProblem(f"No enum constant {_JAVA_PACKAGE}.WindowData.Type.{upper}", index)
    return WindowSpec(start, end, upper)


def _headers(node: Any, index: int) -> tuple[tuple[str, bytes | None], ...]:
    if not isinstance(node, list):
        raise _RecordProblem("headers: expected a list of {\"KEY\": ..., \"VALUE\": ...}", index)
    out = []
    for h in node:
        if not isinstance(h, dict) or h.get("KEY") is None:
            raise _RecordProblem("key", index)
        value = h.get("VALUE")
        try:
            data = None if value is None else base64.b64decode(str(value), validate=True)
        except (binascii.Error, ValueError):
            raise _RecordProblem(f"headers: VALUE {value!r} is not base64", index) from None
        out.append((str(h["KEY"]), data))
    return tuple(out)


def blank_comments(text: str) -> str:
    """`//` and `/* */` comments outside strings replaced by spaces (newlines kept, so error positions
    still point into the file as written)."""
    out = list(text)
    i, n, in_str = 0, len(text), False
    while i < n:
        c = text[i]
        if in_str:
            if c == "\\":
                i += 2
                continue
            if c == '"':
                in_str = False
            i += 1
        elif c == '"':
            in_str = True
            i += 1
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                out[i] = " "
                i += 1
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            stop = n if end < 0 else end + 2
            for j in range(i, stop):
                if out[j] != "\n":
                    out[j] = " "
            i = stop
        else:
            i += 1
    return "".join(out)


def _end_location(text: str) -> str:
    """Where Jackson stands when it builds the root object: its closing brace."""
    pos = text.rstrip().rfind("}")
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return f"[Source: (File); line: {line}, column: {column}]"
