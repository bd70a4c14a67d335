"""The CLI's text tables: `TabularRow` (query rows) and `Table` (entity tables), and how a value read back
from the server's JSON prints (`Objects.toString` of what Jackson built)."""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

MIN_CELL_WIDTH = 5  # TabularRow.MIN_CELL_WIDTH
CLIPPED = "..."


def cell(value: Any) -> str:
    """`Objects.toString` of a value as the CLI holds it: read back by `ApiJsonMapper`
    (USE_BIG_DECIMAL_FOR_FLOATS, so a number with a fraction is a BigDecimal of the digits the server
    wrote: parse JSON with `parse_float=Decimal`), objects as `LinkedHashMap` (`{A=1, B=x}`), arrays as
    `ArrayList` (`[1, 2]`)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | str):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)  # BigDecimal.toString
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}={cell(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(cell(v) for v in value) + "]"
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    return str(value)


def _split_fixed(text: str, width: int) -> list[str]:
    """Guava's Splitter.fixedLength(width) (one empty piece for ""), each piece padded to the width."""
    pieces = [text[i : i + width] for i in range(0, len(text), width)] or [""]
    return [p.ljust(width) for p in pieces]


def tabular_row(
    columns: Sequence[str], configured_width: int, *, header: bool = False, wrap: bool = True, width: int = 0
) -> str:
    """`TabularRow.toString`: one row of a query's result (or its header, framed by separator lines).
    `width` is the terminal's; `configured_width` the CLI's COLUMN-WIDTH (0: from the terminal)."""
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


class Screen:
    """Where tables are printed: the console's width, and the rows of every table printed (Console's
    RowCaptor, which `Table.print` feeds) when `captured` is given."""

    def __init__(self, width: int, captured: list[list[str]] | None = None) -> None:
        self.width = width
        self.captured = captured


def screen_width(screen: Screen | int) -> int:
    return screen.width if isinstance(screen, Screen) else screen


class Table:
    """`Table`: header lines, column headers with left-aligned rows joined by ` | `, footer lines."""

    def __init__(
        self,
        headers: Sequence[str] = (),
        rows: Sequence[Sequence[str]] = (),
        header_lines: Sequence[str] = (),
        footer_lines: Sequence[str] = (),
    ) -> None:
        self.headers = list(headers)
        self.rows = [list(r) for r in rows]
        self.header_lines = list(header_lines)
        self.footer_lines = list(footer_lines)

    def lines(self, screen: Screen | int) -> list[str]:
        """`Table.print`: the separator is as wide as the rows, at most the console's width."""
        out = list(self.header_lines)
        width = screen_width(screen)
        if self.headers:
            if isinstance(screen, Screen) and screen.captured is not None:
                screen.captured += [list(r) for r in self.rows]
            lengths = [
                max([len(h)] + [max((len(p) for p in r[i].split("\n")), default=0) for r in self.rows])
                for i, h in enumerate(self.headers)
            ]
            separator = "-" * min(width, sum(n + 3 for n in lengths) - 1)

            def fmt(vals: Sequence[str]) -> str:
                return " " + " | ".join(v.ljust(n) for v, n in zip(vals, lengths, strict=True)) + " "

            out += [fmt(self.headers), separator, *(fmt(r) for r in self.rows), separator]
        return out + self.footer_lines


def type_string(schema: Mapping[str, Any]) -> str:
    """`SchemaInfo.toTypeString` of an entity's field schema."""
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
