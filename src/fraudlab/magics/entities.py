"""ksqlDB's /ksql response entities as tables: one DataFrame per entity, in the columns ksqlDB's REST
API names (so a frame from our server and one from real ksqlDB look the same)."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

# entity type -> the key of its list of items
_LISTS = {
    "streams": "streams",
    "tables": "tables",
    "queries": "queries",
    "properties": "properties",
    "kafka_topics": "topics",
    "kafka_topics_extended": "topics",
    "function_names": "functions",
    "connector_list": "connectors",
    "variables": "variables",
}


def type_text(schema: dict[str, Any] | None) -> str:
    """A field schema of the REST API as KSQL type text: STRUCT<`A` INTEGER>, ARRAY<...>, MAP<...>."""
    if not schema:
        return ""
    kind = str(schema.get("type", ""))
    if kind == "STRUCT":
        inner = ", ".join(f"`{f['name']}` {type_text(f.get('schema'))}" for f in schema.get("fields") or [])
        return f"STRUCT<{inner}>"
    if kind == "ARRAY":
        return f"ARRAY<{type_text(schema.get('memberSchema'))}>"
    if kind == "MAP":
        return f"MAP<STRING, {type_text(schema.get('memberSchema'))}>"
    params = schema.get("parameters") or {}
    if kind == "DECIMAL" and params:
        return f"DECIMAL({params.get('precision')}, {params.get('scale')})"
    return kind


def _cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(", ", ": "))
    return value


def _records(items: list[Any]) -> pd.DataFrame:
    rows = [{k: _cell(v) for k, v in item.items()} if isinstance(item, dict) else {"value": item} for item in items]
    return pd.DataFrame(rows)


def fields_frame(fields: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"field": f.get("name"), "type": type_text(f.get("schema")), "key": f.get("type") == "KEY"}
            for f in fields
        ],
        columns=["field", "type", "key"],
    )


def columns_text(fields: list[dict[str, Any]]) -> str:
    """A source's columns in one line, as its CREATE statement would list them: `ID INTEGER KEY, S DOUBLE`."""
    marks = {"KEY": " KEY", "HEADER": " HEADER"}
    return ", ".join(f"{f.get('name')} {type_text(f.get('schema'))}{marks.get(f.get('type') or '', '')}" for f in fields)


def _query_ids(queries: list[dict[str, Any]] | None) -> str:
    return ", ".join(str(q.get("id", "")) for q in queries or [])


def _source_row(source: dict[str, Any]) -> dict[str, Any]:
    """One row of `SHOW STREAMS|TABLES EXTENDED`: what ksql's CLI prints per source, minus the field table."""
    return {
        "name": source.get("name"),
        "type": source.get("type"),
        "topic": source.get("topic"),
        "keyFormat": source.get("keyFormat"),
        "valueFormat": source.get("valueFormat"),
        "partitions": source.get("partitions"),
        "replication": source.get("replication"),
        "windowType": source.get("windowType"),
        "timestamp": source.get("timestamp") or None,
        "columns": columns_text(source.get("fields") or []),
        "writeQueries": _query_ids(source.get("writeQueries")),
        "readQueries": _query_ids(source.get("readQueries")),
        "statistics": source.get("statistics") or None,
        "errorStats": source.get("errorStats") or None,
    }


def _query_row(query: dict[str, Any]) -> dict[str, Any]:
    """One row of `SHOW QUERIES EXTENDED` (ksqlDB's QueryDescription)."""
    return {
        "id": query.get("id"),
        "queryType": query.get("queryType"),
        "state": query.get("state"),
        "sources": ", ".join(query.get("sources") or []),
        "sinks": ", ".join(query.get("sinks") or []),
        "windowType": query.get("windowType"),
        "columns": columns_text(query.get("fields") or []),
        "errors": len(query.get("queryErrors") or []),
        "statementText": query.get("statementText"),
    }


def entity_frame(entity: dict[str, Any]) -> pd.DataFrame:
    """The table for one response entity; `frame.attrs["title"]` says what it is."""
    kind = str(entity.get("@type", ""))
    frame: pd.DataFrame
    if kind in _LISTS:
        frame = _records(entity.get(_LISTS[kind]) or [])
        if kind == "kafka_topics" and "replicaInfo" in frame:
            infos = [t.get("replicaInfo") or [] for t in entity.get("topics") or []]
            frame = frame.drop(columns=["replicaInfo"]).assign(
                partitions=[len(r) for r in infos], replicas=[max(r, default=0) for r in infos]
            )
    elif kind == "currentStatus":
        status = entity.get("commandStatus") or {}
        frame = pd.DataFrame([{"message": status.get("message", ""), "status": status.get("status", "")}])
    elif kind == "sourceDescription":
        source = entity.get("sourceDescription") or {}
        frame = fields_frame(source.get("fields") or [])
        title = (
            f"{source.get('type', 'SOURCE')} {source.get('name', '')}: topic {source.get('topic', '?')}, "
            f"key format {source.get('keyFormat', '?')}, value format {source.get('valueFormat', '?')}"
            + (f", {str(source['windowType']).lower()} windows" if source.get("windowType") else "")
        )
        if source.get("extended"):  # DESCRIBE ... EXTENDED: the runtime side, as the CLI prints it
            title += f"; {source.get('partitions')} partitions, replication {source.get('replication')}"
            for label, key in (("written by", "writeQueries"), ("read by", "readQueries")):
                if source.get(key):
                    title += f"; {label} {_query_ids(source[key])}"
            for key in ("statistics", "errorStats"):
                if source.get(key):
                    title += f"; {source[key]}"
        frame.attrs["title"] = title
        return frame
    elif kind == "source_descriptions":
        frame = pd.DataFrame([_source_row(s) for s in entity.get("sourceDescriptions") or []])
    elif kind == "query_descriptions":
        frame = pd.DataFrame([_query_row(q) for q in entity.get("queryDescriptions") or []])
    elif kind == "queryDescription":
        query = entity.get("queryDescription") or {}
        frame = fields_frame(query.get("fields") or [])
        frame.attrs["title"] = f"query {query.get('id', '')}: {query.get('statementText', '')}"
        return frame
    elif kind == "describe_function":
        frame = pd.DataFrame(
            [
                {
                    "arguments": ", ".join(f"{a.get('name', '')} {a.get('type', '')}".strip() for a in f.get("arguments") or []),
                    "returns": f.get("returnType"),
                    "description": f.get("description"),
                }
                for f in entity.get("functions") or []
            ]
        )
        frame.attrs["title"] = f"{entity.get('type', 'function')} {entity.get('name', '')}: {entity.get('description', '')}"
        return frame
    elif kind == "type_list" or isinstance(entity.get("types"), dict):
        frame = pd.DataFrame(
            [{"type": name, "schema": type_text(schema)} for name, schema in (entity.get("types") or {}).items()]
        )
    else:
        lists = [k for k, v in entity.items() if isinstance(v, list) and v and isinstance(v[0], dict)]
        if lists:
            frame = _records(entity[lists[0]])
        else:
            frame = pd.DataFrame(
                [{k: _cell(v) for k, v in entity.items() if k not in ("@type", "statementText", "warnings")}]
            )
    frame.attrs["title"] = kind
    return frame


def entity_warnings(entity: dict[str, Any]) -> list[str]:
    return [str(w.get("message", w)) for w in entity.get("warnings") or [] if w]
