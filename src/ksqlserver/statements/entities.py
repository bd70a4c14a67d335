"""The /ksql response entities, shaped exactly as ksqlDB 0.29 returns them (REST-API.md §4)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ksqlserver.catalog.config_defaults import MUTABLE_SYSTEM, QUERY_LEVEL
from ksqlserver.catalog.metastore import DataSource
from ksqlserver.catalog.types import HEADER, KEY, Column, SqlType
from ksqlserver.functions import ScalarFunction


def _base(kind: str, statement: str) -> dict[str, Any]:
    return {"@type": kind, "statementText": statement, "warnings": []}


def warning(statement: str, message: str) -> dict[str, Any]:
    """WarningEntity ("warning_entity")."""
    e = _base("warning_entity", statement)
    e["message"] = message
    return e


def current_status(
    statement: str, command_id: str, message: str, query_id: str | None, seq: int
) -> dict[str, Any]:
    e = _base("currentStatus", statement)
    e.update(
        {
            "commandId": command_id,
            "commandStatus": {"status": "SUCCESS", "message": message, "queryId": query_id},
            "commandSequenceNumber": seq,
        }
    )
    return e


def schema_json(t: SqlType) -> dict[str, Any]:
    out: dict[str, Any] = {"type": t.base, "fields": None, "memberSchema": None}
    if t.base == "DECIMAL":
        out["parameters"] = {"precision": t.precision, "scale": t.scale}
    elif t.base in ("ARRAY", "MAP"):
        out["memberSchema"] = schema_json(t.item)  # type: ignore[arg-type]
    elif t.base == "STRUCT":
        out["fields"] = [{"name": n, "schema": schema_json(ft)} for n, ft in t.fields or ()]
    return out


def field_json(c: Column) -> dict[str, Any]:
    f: dict[str, Any] = {"name": c.name, "schema": schema_json(c.type)}
    if c.namespace == KEY:
        f["type"] = "KEY"
    elif c.namespace == HEADER:
        f["type"] = "HEADER"
        if c.header_key:
            f["headerKey"] = c.header_key
    return f


def source_summary(s: DataSource) -> dict[str, Any]:
    """SourceInfo.Stream/Table as 0.29 serializes them: keyFormat and valueFormat ("format" is only read,
    for older servers' answers: "Since 0.13 "format" is not being sent")."""
    return {
        "type": s.kind,
        "name": s.name,
        "topic": s.topic,
        "keyFormat": s.key_format,
        "valueFormat": s.value_format,
        "isWindowed": s.window is not None,
    }


def source_list(statement: str, kind: str, sources: Iterable[DataSource]) -> dict[str, Any]:
    key = "streams" if kind == "STREAM" else "tables"
    e = _base(key, statement)
    e[key] = [source_summary(s) for s in sorted(sources, key=lambda s: s.name)]
    return e


def kafka_topics(statement: str, topics: Iterable[tuple[str, int, int]]) -> dict[str, Any]:
    e = _base("kafka_topics", statement)
    e["topics"] = [{"name": n, "replicaInfo": [r] * p} for n, p, r in sorted(topics)]
    return e


def running_query(q: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "queryString": q["statement"],
        "sinks": q["sinks"],
        "sinkKafkaTopics": q["topics"],
        "id": q["id"],
        "statusCount": {q["state"]: 1},
        "queryType": q.get("type", "PERSISTENT"),
        "state": q["state"],
    }


def queries(statement: str, qs: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    e = _base("queries", statement)
    e["queries"] = [running_query(q) for q in qs]
    return e


def properties(
    statement: str, props: Mapping[str, str | None], overridden: Sequence[str], defaults: Sequence[str] = ()
) -> dict[str, Any]:
    """ksqlDB's PropertiesList: scope KSQL; `level` QUERY for the properties a query may set; `editable`
    for those and the system properties ALTER SYSTEM may change; secrets hidden."""
    e = _base("properties", statement)
    e["properties"] = [
        {
            "name": k,
            "scope": "KSQL",
            "value": "[hidden]" if v is not None and _secret(k) else v,
            "editable": _bare(k) in QUERY_LEVEL or _bare(k) in MUTABLE_SYSTEM,
            "level": "QUERY" if k in QUERY_LEVEL else "SERVER",
        }
        for k, v in sorted(props.items())
    ]
    e["overwrittenProperties"] = list(overridden)
    e["defaultProperties"] = list(defaults)
    return e


def _bare(name: str) -> str:
    return name[len("ksql.streams.") :] if name.startswith("ksql.streams.") else name


def _secret(name: str) -> bool:
    """ConfigDef.convertToString's PASSWORD types, and every ksql.functions.* setting (free-form, so
    KsqlConfig.getKsqlConfigPropsWithSecretsObfuscated hides them all)."""
    if name.startswith("ksql.functions."):
        return True
    lowered = name.lower()
    return "password" in lowered or lowered.endswith(".secret") or "sasl.jaas.config" in lowered


def source_description(
    s: DataSource,
    read_q: Sequence[Mapping[str, Any]],
    write_q: Sequence[Mapping[str, Any]],
    extended: bool,
    partitions: int,
    replication: int,
    stats: str = "",
    constraints: Sequence[str] = (),
) -> dict[str, Any]:
    return {
        "name": s.name,
        "windowType": s.window.kind if s.window else None,
        "type": s.kind,
        "readQueries": [running_query(q) for q in read_q],
        "writeQueries": [running_query(q) for q in write_q],
        "fields": [field_json(c) for c in s.schema.declared_columns()],  # EntityUtil: schema.columns()
        "timestamp": s.timestamp_column or "",
        "statistics": stats if extended else "",
        "errorStats": "",
        "extended": extended,
        "keyFormat": s.key_format,
        "valueFormat": s.value_format,
        "topic": s.topic,
        # ListSourceExecutor.describeSource describes the topic with or without EXTENDED
        "partitions": partitions,
        "replication": replication,
        "statement": s.statement,
        "queryOffsetSummaries": [],
        "sourceConstraints": list(constraints),
        "clusterStatistics": [],
        "clusterErrorStats": [],
    }  # SourceDescription has no serde features (no getter, no creator property): neither form shows them


def describe_source(statement: str, desc: dict[str, Any]) -> dict[str, Any]:
    e = _base("sourceDescription", statement)
    e["sourceDescription"] = desc
    return e


def function_names(statement: str, fns: Iterable[ScalarFunction]) -> dict[str, Any]:
    """ksqlDB's FunctionNameList: every scalar, table and aggregate function with its category."""
    e = _base("function_names", statement)
    e["functions"] = [{"name": f.name, "type": f.kind, "category": f.category} for f in fns]
    return e


def describe_function(statement: str, f: ScalarFunction) -> dict[str, Any]:
    """ksqlDB's FunctionDescriptionList, generated from the registry's metadata."""
    e = _base("describe_function", statement)
    e.update(f.describe())
    return e


def query_description(statement: str, query: Mapping[str, Any]) -> dict[str, Any]:
    """ksqlDB's QueryDescriptionEntity; `state` is None for a query planned but not run (EXPLAIN of a
    statement: no host reports a status)."""
    e = _base("queryDescription", statement)
    e["queryDescription"] = _query_description(query)
    return e


def query_descriptions(statement: str, queries: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """ksqlDB's QueryDescriptionList (SHOW QUERIES EXTENDED)."""
    e = _base("query_descriptions", statement)
    e["queryDescriptions"] = [_query_description(q) for q in queries]
    return e


def _query_description(query: Mapping[str, Any]) -> dict[str, Any]:
    """ksqlDB's QueryDescription."""
    d = {
        "id": query["id"],
        "statementText": query["statement"],
        "windowType": query.get("windowType"),
        "fields": query["fields"],
        "sources": query["sources"],
        "sinks": query["sinks"],
        "topology": query.get("topology") or query.get("plan", ""),
        "executionPlan": query.get("plan", ""),
        "overriddenProperties": dict(query.get("overriddenProperties", {})),
        "ksqlHostQueryStatus": dict(query.get("hostStatus", {})),
        "queryType": query.get("type", "PERSISTENT"),
        "queryErrors": list(query.get("queryErrors", [])),
        "tasksMetadata": [],
        "state": query.get("state", "RUNNING"),
    }
    if query.get("consumerGroupId") is not None:
        d["consumerGroupId"] = query["consumerGroupId"]
    return d


def terminate_transient(statement: str, query_id: str) -> dict[str, Any]:
    return {
        "@type": "terminate_query",
        "statementText": statement,
        "queryId": query_id,
        "wasTerminated": True,
        "warnings": [],
    }
