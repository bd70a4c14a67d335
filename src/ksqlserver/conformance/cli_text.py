"""What ksqlDB 0.29's CLI (`ksqldb-cli`) prints, for the tutorials runner (`conformance/tutorials.py`).

Only the pieces the tutorials' checks read: query rows as `TabularRow` draws them, the `Table` of a
/ksql entity (command status, source description), the CLI's own messages, and the spool file the
tutorials' harness cuts into one output per statement. The CLI runs without a terminal there (docker -i),
so its console width is 0: `Table` separators are empty lines.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from ksqlserver.formats.javatext import java_decimal, py_java_double

MIN_CELL_WIDTH = 5  # TabularRow.MIN_CELL_WIDTH
CLIPPED = "..."


def cell(value: Any) -> str:
    """`Objects.toString` of a value as the CLI holds it: read back from the server's JSON by
    `ApiJsonMapper` (USE_BIG_DECIMAL_FOR_FLOATS, so a DOUBLE prints as `BigDecimal.toString` of the digits
    the server wrote with `Double.toString`), objects as `LinkedHashMap` (`{A=1, B=x}`), arrays as `ArrayList`."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return py_java_double(value)  # Jackson writes these as text: NaN, Infinity
        return java_decimal(Decimal(py_java_double(value)))
    if isinstance(value, Decimal):
        return java_decimal(Decimal(format(value, "f")))  # the server writes decimals plain
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}={cell(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(cell(v) for v in value) + "]"
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _split_fixed(text: str, width: int) -> list[str]:
    """Guava's Splitter.fixedLength(width) (one empty piece for ""), each piece padded to the width."""
    pieces = [text[i : i + width] for i in range(0, len(text), width)] or [""]
    return [p.ljust(width) for p in pieces]


def tabular_row(
    columns: Sequence[str], configured_width: int, *, header: bool = False, wrap: bool = True, width: int = 0
) -> str:
    """`TabularRow.toString`: one row of a query's result (or its header, framed by separator lines)."""
    if not columns:
        return ""
    cell_width = configured_width if configured_width > 0 else max(width // len(columns) - 2, MIN_CELL_WIDTH)
    separator = "+" + ("-" * cell_width + "+") * len(columns)
    split = [_split_fixed(c, cell_width) for c in columns]
    max_split = max(len(s) for s in split)
    buffered = [s + [" " * cell_width] * (max_split - len(s)) for s in split]
    rows_to_print = max_split if (header or wrap) else 1
    lines = []
    for r in range(rows_to_print):
        parts = ["|"]
        for col in buffered:
            value = col[r]
            clip = len(col) > rows_to_print and any(p.strip() for p in col[rows_to_print:])
            parts.append((value[: len(value) - len(CLIPPED)] + CLIPPED if clip else value) + "|")
        lines.append("".join(parts))
    body = "\n".join(lines)
    return f"{separator}\n{body}\n{separator}" if header else body


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], width: int = 0) -> list[str]:
    """`Table.print`: left-aligned columns joined by ` | `, a separator as wide as the console allows."""
    if not headers:
        return []
    lengths = [
        max([len(h)] + [max((len(part) for part in r[i].split("\n")), default=0) for r in rows])
        for i, h in enumerate(headers)
    ]
    sep_len = sum(n + 3 for n in lengths) - 1
    fmt_row = lambda vals: " " + " | ".join(v.ljust(n) for v, n in zip(vals, lengths, strict=True)) + " "
    separator = "-" * min(width, sep_len)
    return [fmt_row(headers), separator, *(fmt_row(r) for r in rows), separator]


def type_string(schema: Mapping[str, Any]) -> str:
    """`SchemaInfo.toTypeString` of a DESCRIBE field's schema."""
    kind = schema.get("type", "")
    if kind == "STRING":
        return "VARCHAR(STRING)"
    if kind == "ARRAY":
        return f"ARRAY<{type_string(schema['memberSchema'])}>"
    if kind == "MAP":
        return f"MAP<STRING, {type_string(schema['memberSchema'])}>"
    if kind == "STRUCT":
        fields = ", ".join(f"{f['name']} {type_string(f['schema'])}" for f in schema.get("fields") or [])
        return f"STRUCT<{fields}>"
    if kind == "DECIMAL":
        params = schema.get("parameters") or {}
        if not params:
            return "DECIMAL"
        return f"DECIMAL({params.get('precision')}, {params.get('scale')})"
    return str(kind)


def _field_type(field: Mapping[str, Any], window_type: str | None, is_table: bool) -> str:
    """`Console.formatFieldType`."""
    text = type_string(field["schema"])
    if field.get("type") == "HEADER":
        key = field.get("headerKey")
        return f"{text:<16} " + (f"(header('{key}'))" if key else "(headers)")
    if field.get("type") == "KEY":
        wt = f" (Window type: {window_type})" if window_type else ""
        return f"{text:<16} {'(primary key)' if is_table else '(key)'}{wt}"
    return text


def _kv(name: str, value: Any) -> str:
    return f"{name:<20} : {value}"


def source_description(src: Mapping[str, Any], width: int = 0) -> list[str]:
    """`Console.printSourceDescription`."""
    is_table = str(src.get("type", "")).upper() == "TABLE"
    out = [_kv("Name", src.get("name"))]
    fields = src.get("fields") or []
    schema = (
        table(["Field", "Type"], [[f["name"], _field_type(f, src.get("windowType"), is_table)] for f in fields], width)
        if fields
        else []
    )
    if not src.get("extended"):
        return [*out, *schema, "For runtime statistics and query details run: DESCRIBE <Stream,Table> EXTENDED;"]
    out.append(_kv("Type", src.get("type")))
    out.append(_kv("Timestamp field", src.get("timestamp") or "Not set - using <ROWTIME>"))
    out.append(_kv("Key format", src.get("keyFormat")))
    out.append(_kv("Value format", src.get("valueFormat")))
    if src.get("topic"):
        topic = _kv("Kafka topic", src["topic"])
        if src.get("partitions"):
            topic += f" (partitions: {src['partitions']}, replication: {src.get('replication')})"
        out.append(topic)
    out += [_kv("Statement", src.get("statement")), "", *schema]
    constraints = src.get("sourceConstraints") or []
    if constraints:
        out += ["", "Sources that have a DROP constraint on this source", "-" * 50, *constraints]
    for queries, operation in ((src.get("readQueries"), "read"), (src.get("writeQueries"), "write")):
        if queries:
            out += ["", f"Queries that {operation} from this {src.get('type')}", "-" * 35]
            for q in queries:
                single = str(q.get("queryString", "")).replace("\n", " ")
                out.append(f"{q.get('id')} ({q.get('state') or 'N/A'}) : {single}")
            out += ["", "For query topology and execution plan please run: EXPLAIN <QueryId>"]
    out += ["", "Local runtime statistics", "-" * 24, str(src.get("statistics", "")), str(src.get("errorStats", ""))]
    out.append(f"(Statistics of the local KSQL server interaction with the Kafka topic {src.get('topic')})")
    return out


def entity_lines(entity: Mapping[str, Any], show_statement: bool, width: int = 0) -> list[str]:
    """`Console.printKsqlEntityList` for one entity: a blank line, the statement when the response had
    several, the entity's table, its warnings. Entities the tutorials never check print their type."""
    out = [""]
    if show_statement:
        out.append(str(entity.get("statementText", "")))
    kind = entity.get("@type")
    if kind == "currentStatus":
        message = str(entity["commandStatus"]["message"]).split("\n", 1)[0]
        out += table(["Message"], [[message]], width)
    elif kind == "sourceDescription":
        out += source_description(entity["sourceDescription"], width)
    else:
        out.append(f"<{kind}: not rendered by the tutorials runner>")
    out += [f"WARNING: {w.get('message')}" for w in entity.get("warnings") or []]
    return out


def set_property(name: str, value: str, prior: str | None) -> str:
    """`Cli.setProperty`'s confirmation."""
    if prior is None:
        return f"Successfully changed local property '{name}' to '{value}'. Use the UNSET command to revert your change."
    return f"Successfully changed local property '{name}' from '{prior}' to '{value}'."


def error_line(message: str) -> str:
    """`JLineTerminal.printError`: the first line of the message, in red."""
    return f"\x1b[31m{message}\x1b[0m"


def spool_outputs(blocks: Iterable[tuple[str, str]]) -> list[str]:
    """The outputs the tutorials' harness writes for one stdin file (`output-N.log`): the CLI spools
    "\\nksql> LINE\\n" before each input line's output; the harness drops the spool's last two lines (the
    SPOOL OFF), splits at each `ksql>` line, drops each block's lines up to the first ending in ';' (the
    echoed input) and strips leading whitespace. `blocks`: (input line, its output text)."""
    spool = "".join(f"\nksql> {line}\n{output}" for line, output in blocks) + "\nksql> spool off;\n"
    lines = spool.splitlines(keepends=True)
    start = next((i for i, x in enumerate(lines) if x.startswith("ksql>")), len(lines))
    chunks: list[list[str]] = []
    for line in lines[start:-2]:
        if line.startswith("ksql>"):
            chunks.append([line])
        elif chunks:
            chunks[-1].append(line)
    out = []
    for chunk in chunks:
        ends = next((i for i, x in enumerate(chunk) if x.endswith(";\n")), None)
        kept = [] if ends is None else chunk[ends + 1 :]
        out.append("".join(kept).lstrip())
    return out
