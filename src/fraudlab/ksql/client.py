"""Statements, bounded queries and descriptions through the ksql-python client (the ksqlDB REST API).

Works the same against the embedded `ksqlserver` and real ksqlDB 0.29: statements go one at a time
through `KSQLAPI.ksql` (so an error names its statement), `${name}` variables are substituted here
(the client cannot send ksqlDB session variables), and every query carries a LIMIT and a deadline.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from fraudlab.ksql.config import KsqlConfig
from fraudlab.ksql.errors import KsqlConnectionError, KsqlInputError, QueryTimeoutError, StatementError
from fraudlab.ksql.offsets import offset_reset, warn_if_unset
from fraudlab.ksql.statements import render, split_statements

_LIMIT = re.compile(r"\bLIMIT\s+\d+\s*;?\s*$", re.IGNORECASE)


def client(config: KsqlConfig) -> Any:
    from ksql import KSQLAPI

    if config.ca_location:
        trust_ca(Path(config.ca_location))
    auth: dict[str, str] = {}
    if config.username:
        auth = {"api_key": config.username, "secret": str(config.password or "")}
    try:
        return KSQLAPI(config.url, timeout=config.timeout_s, **auth)  # asks /info: fails here if refused
    except Exception as exc:
        raise KsqlConnectionError(config.url, refusal_reason(config, exc)) from exc


def refusal_reason(config: KsqlConfig, exc: Exception) -> str:
    """One line for why the client's first request (GET /info) failed."""
    text = str(exc)
    if isinstance(exc, ValueError) and "Status Code: 401" in text:
        who = f"user '{config.username}'" if config.username else "no credentials"
        return f"HTTP 401: the server requires basic auth and refused {who} (wrong user name or password?)"
    if isinstance(exc, ValueError) and text.startswith("Status Code:"):
        return text.splitlines()[0]
    name = type(exc).__name__
    if "CERTIFICATE_VERIFY_FAILED" in text:
        return "TLS failed: the server's certificate is not trusted (give its CA as fraudlab.ksql.ssl.ca.location)"
    if "WRONG_VERSION_NUMBER" in text or "wrong version number" in text:
        return "TLS failed: the server does not speak TLS here (use http:// instead of https://?)"
    if name == "RemoteProtocolError" and config.url.startswith("http://"):
        return "the server closed the connection without an answer (does it serve https://?)"
    if name == "ConnectError":
        return f"no server answers ({text or name})"
    return f"{name}: {text}".strip()


def trust_ca(ca: Path) -> None:
    """ksql-python-ng has no option for the server's CA: its httpx calls verify against SSL_CERT_FILE.
    Point that at the default bundle plus `ca` (written once per CA), so other HTTPS still verifies."""
    import hashlib
    import os
    import tempfile

    try:
        pem = ca.read_bytes()
    except OSError as exc:
        raise KsqlInputError("KSQL server CA", str(ca), f"cannot read it: {exc.strerror}") from exc
    bundle = Path(tempfile.gettempdir()) / f"fraudlab-ksql-trust-{hashlib.sha256(pem).hexdigest()[:12]}.pem"
    if os.environ.get("SSL_CERT_FILE") == str(bundle):
        return
    if not bundle.is_file():
        import certifi

        tmp = bundle.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(Path(certifi.where()).read_bytes() + b"\n" + pem)
        tmp.replace(bundle)
    os.environ["SSL_CERT_FILE"] = str(bundle)


@dataclass(frozen=True)
class StatementResult:
    file: str
    statement: str
    status: str
    message: str


def run_sql_file(config: KsqlConfig, path: Path, variables: Mapping[str, object]) -> list[StatementResult]:
    """Run each statement of `path` in order; the first rejected statement raises StatementError."""
    from ksql.errors import KSQLError

    api = client(config)
    results = []
    for stmt in (render(s, variables) for s in split_statements(path.read_text(encoding="utf-8"))):
        warn_if_unset(stmt, config.properties)
        try:
            response = api.ksql(stmt, stream_properties=dict(config.properties))
        except KSQLError as exc:
            raise StatementError(path, stmt, exc.msg if hasattr(exc, "msg") else str(exc),
                                 getattr(exc, "error_code", None)) from exc
        entity = response[0] if response else {}
        status = entity.get("commandStatus", {}).get("status", entity.get("@type", "ok"))
        message = entity.get("commandStatus", {}).get("message", "")
        results.append(StatementResult(path.name, " ".join(stmt.split()), str(status), str(message)))
    return results


def results_frame(results: list[StatementResult]) -> pd.DataFrame:
    return pd.DataFrame([r.__dict__ for r in results])


def _decode(line: str) -> Any:
    text = line.strip().rstrip(",").strip()
    if text in ("", "[", "]"):
        return None
    # ksqlDB's /query wraps its lines in one JSON array: the first opens it, the last closes it
    for candidate in (text, text[1:] if text.startswith("[") else None, text[:-1] if text.endswith("]") else None):
        if candidate is None:
            continue
        try:
            return json.loads(candidate)
        except ValueError:
            continue
    raise ValueError(f"cannot decode the query response line {text[:200]!r}")


def _rows(chunks: Iterator[str], deadline: float) -> Iterator[Any]:
    """Decode the client's chunks (a header object, then one row per line) into Python values."""
    buffer = ""
    for chunk in chunks:
        buffer += chunk
        *lines, buffer = buffer.split("\n")
        for line in lines:
            item = _decode(line)
            if item is not None:
                yield item
        if time.monotonic() > deadline:
            return
    item = _decode(buffer)
    if item is not None:
        yield item


def query_frame(config: KsqlConfig, query: str, timeout_s: float = 60.0, require_all: bool = True) -> pd.DataFrame:
    """A push query with LIMIT into a DataFrame, from the earliest offset. Bounded twice: the LIMIT
    ends it normally; a deadline ends it otherwise (QueryTimeoutError, or a short frame when
    `require_all` is False)."""
    match = _LIMIT.search(query.strip())
    if not match:
        raise StatementError(None, query, "a pipeline query must end with LIMIT n (no cell may hang)")
    limit = int(match.group(0).split()[1].rstrip(";"))
    # ksqlDB sends nothing while a push query is idle: a read timeout no longer than the deadline bounds
    # a silent query as well as a slow one
    api = client(replace(config, timeout_s=min(config.timeout_s, timeout_s)))
    deadline = time.monotonic() + timeout_s
    columns: list[str] = []
    rows: list[list[Any]] = []
    stream = api.query(query.strip().rstrip(";"), stream_properties=dict(config.properties))
    try:
        for item in _rows(stream, deadline):
            if isinstance(item, dict) and "columnNames" in item:
                columns = item["columnNames"]
            elif isinstance(item, dict) and "header" in item:  # the older /query format
                columns = [c.split("`")[1] for c in item["header"]["schema"].split(", ")]
            elif isinstance(item, dict) and "row" in item:
                rows.append(item["row"]["columns"])
            elif isinstance(item, list):
                rows.append(item)
            if len(rows) >= limit:
                break
    except Exception as exc:
        from ksql.errors import KSQLError

        if isinstance(exc, KSQLError):
            raise StatementError(None, query, str(exc), getattr(exc, "error_code", None)) from exc
        if isinstance(exc, ValueError) and str(exc).startswith("HTTP error"):
            raise StatementError(None, query, str(exc)) from exc
        if type(exc).__name__ != "ReadTimeout":
            raise
    finally:
        stream.close()
    if len(rows) < limit and require_all:
        latest = offset_reset(config.properties) in (None, "latest")
        raise QueryTimeoutError(query, timeout_s, len(rows), hint="it started at the latest offset "
                                "(auto.offset.reset); rows already in the topic were not read" if latest else "")
    return pd.DataFrame(rows, columns=columns or None)


def describe(config: KsqlConfig, name: str) -> pd.DataFrame:
    """DESCRIBE as a table of columns (name, type, key or value)."""
    entity = client(config).ksql(f"DESCRIBE {name};")[0]["sourceDescription"]
    return pd.DataFrame(
        [{"column": f["name"], "type": f["schema"]["type"], "role": f.get("type") or "VALUE"} for f in entity["fields"]]
    )


def source_info(config: KsqlConfig, name: str) -> dict[str, Any]:
    entity = client(config).ksql(f"DESCRIBE {name};")[0]["sourceDescription"]
    return {
        "name": entity["name"],
        "topic": entity["topic"],
        "key_format": entity.get("keyFormat"),
        "value_format": entity.get("valueFormat"),
        "write_queries": [q["id"] for q in entity.get("writeQueries", [])],
    }


def pull_frame(config: KsqlConfig, query: str, timeout_s: float = 60.0) -> pd.DataFrame:
    """A pull query (e.g. `SELECT * FROM <table>;` over a windowed table) into a DataFrame. A pull
    query ends by itself; the deadline bounds it anyway."""
    if re.search(r"\bEMIT\s+CHANGES\b", query, re.IGNORECASE):
        raise StatementError(None, query, "a pull query has no EMIT CHANGES (use query_frame)")
    api = client(replace(config, timeout_s=min(config.timeout_s, timeout_s)))
    deadline = time.monotonic() + timeout_s
    columns: list[str] = []
    rows: list[list[Any]] = []
    stream = api.query(query.strip().rstrip(";") + ";")
    try:
        for item in _rows(stream, deadline):
            if isinstance(item, dict) and "columnNames" in item:
                columns = item["columnNames"]
            elif isinstance(item, dict) and "header" in item:
                columns = [c.split("`")[1] for c in item["header"]["schema"].split(", ")]
            elif isinstance(item, dict) and "row" in item:
                rows.append(item["row"]["columns"])
            elif isinstance(item, list):
                rows.append(item)
            elif isinstance(item, dict) and "errorMessage" in item:
                raise StatementError(None, query, str(item["errorMessage"]))
    except Exception as exc:
        from ksql.errors import KSQLError

        if isinstance(exc, KSQLError):
            raise StatementError(None, query, str(exc), getattr(exc, "error_code", None)) from exc
        if isinstance(exc, ValueError) and str(exc).startswith("HTTP error"):
            raise StatementError(None, query, str(exc)) from exc
        if type(exc).__name__ == "ReadTimeout":
            raise QueryTimeoutError(query, timeout_s, len(rows)) from exc
        raise
    finally:
        stream.close()
    if time.monotonic() > deadline:
        raise QueryTimeoutError(query, timeout_s, len(rows))
    return pd.DataFrame(rows, columns=columns or None)


def function_names(config: KsqlConfig) -> set[str]:
    """SHOW FUNCTIONS: the names the server knows (built-ins and, on ours, the extension's)."""
    entity = client(config).ksql("SHOW FUNCTIONS;")[0]
    return {str(f["name"]).upper() for f in entity.get("functions", [])}


def function_signatures(config: KsqlConfig, name: str) -> list[list[tuple[str, str]]]:
    """DESCRIBE FUNCTION: each overload's (argument name, type) list."""
    entity = client(config).ksql(f"DESCRIBE FUNCTION {name};")[0]
    return [[(a.get("name", ""), a["type"]) for a in f.get("arguments", [])] for f in entity.get("functions", [])]
