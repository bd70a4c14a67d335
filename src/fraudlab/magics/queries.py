"""A SELECT into a DataFrame, bounded by a row limit and a deadline.

A reader thread streams the response; the caller's thread waits for rows with the deadline in view and
can redraw a live display between them. When the limit or the deadline is reached, the reader is told
to stop and closes the HTTP response at its next chunk (ksqlDB sends a keep-alive at least every few
seconds), which ends the query on the server.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from fraudlab.magics.errors import KsqlServerError, MagicError
from fraudlab.magics.rest import KsqlRest, schema_columns

REFRESH_S = 0.5


@dataclass
class QueryOutcome:
    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    query_id: str | None = None
    ended: str = "complete"  # "complete" (the server ended it), "limit" or "timeout"
    final_message: str | None = None
    seconds: float = 0.0

    def frame(self) -> pd.DataFrame:
        width = max((len(r) for r in self.rows), default=len(self.columns))
        columns = self.columns if len(self.columns) == width else None
        return pd.DataFrame(self.rows, columns=columns)


def _absorb(item: Any, out: QueryOutcome, statement: str) -> bool:
    """Take one decoded object into `out`; True when it was a row."""
    if isinstance(item, list):
        out.rows.append(item)
        return True
    if not isinstance(item, dict):
        return False
    if "row" in item:
        out.rows.append(list((item["row"] or {}).get("columns") or []))
        return True
    if "header" in item:
        header = item["header"] or {}
        out.query_id = header.get("queryId")
        out.columns = schema_columns(str(header.get("schema", "")))[0]
    elif "columnNames" in item:  # the /query-stream header
        out.query_id = item.get("queryId")
        out.columns = list(item["columnNames"])
    elif "errorMessage" in item:
        error = item["errorMessage"] or {}
        message = error.get("message", error) if isinstance(error, dict) else error
        raise KsqlServerError(str(message), statement, error.get("error_code") if isinstance(error, dict) else None)
    elif "finalMessage" in item:
        out.final_message = str(item["finalMessage"])
    elif item.get("@type") in ("statement_error", "generic_error") or "error_code" in item:
        raise KsqlServerError(str(item.get("message", item)), statement, item.get("error_code"))
    return False


def run_query(
    rest: KsqlRest,
    statement: str,
    properties: Mapping[str, str],
    limit: int | None,
    timeout_s: float,
    on_progress: Callable[[QueryOutcome, float], None] | None = None,
) -> QueryOutcome:
    """Run a pull or push query; returns when the server ends it, after `limit` rows, or at the deadline."""
    items: queue.Queue[tuple[str, Any]] = queue.Queue()
    stop = threading.Event()

    def read() -> None:
        try:
            for item in rest.stream(statement, properties, stop):
                items.put(("item", item))
                if stop.is_set():
                    break
            items.put(("end", None))
        except BaseException as exc:  # handed to the caller's thread
            items.put(("error", exc))

    out = QueryOutcome()
    start = time.monotonic()
    deadline = start + timeout_s
    reader = threading.Thread(target=read, name="ksql-magic-query", daemon=True)
    reader.start()
    last_refresh = 0.0
    try:
        while True:
            now = time.monotonic()
            if now >= deadline:
                out.ended = "timeout"
                break
            if on_progress is not None and now - last_refresh >= REFRESH_S:
                on_progress(out, now - start)
                last_refresh = now
            try:
                kind, payload = items.get(timeout=min(deadline - now, REFRESH_S))
            except queue.Empty:
                continue
            if kind == "error":
                if isinstance(payload, MagicError):
                    raise payload
                raise MagicError(f"the query failed: {type(payload).__name__}: {payload}") from payload
            if kind == "end":
                out.ended = "complete"
                break
            if _absorb(payload, out, statement) and limit is not None and len(out.rows) >= limit:
                out.ended = "limit"
                break
    finally:
        stop.set()
        if out.ended != "complete" and out.query_id and reader.is_alive():
            # an idle push query sends nothing, so the reader would wait for its read timeout: closing the
            # query ends the response now, on the server too
            with contextlib.suppress(Exception):
                rest.close_query(out.query_id)
        out.seconds = time.monotonic() - start
    return out
