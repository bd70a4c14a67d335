"""What `Console` prints for each REST entity in TABULAR output (`printAsTable` and the table builders in
ksqldb-cli's console/table/builder), for streamed rows, and in JSON output (`printAsJson`).

Each printer returns the lines `Console` writes with `println`; `width` is the terminal's width (0 when
there is no terminal, which leaves `Table`'s separators empty)."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ksqlserver.console import jsonpretty
from ksqlserver.console.tabular import Screen, Table, cell, screen_width, type_string

Entity = Mapping[str, Any]
NL = "\n"


def _kv(name: str, value: Any) -> str:
    return f"{name:<20} : {_s(value)}"


def _s(value: Any) -> str:
    """String.valueOf of an entity field as the CLI's Java object holds it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# ----------------------------------------------------------------- table builders (TableBuilder<T>)


def _message(entity: Entity) -> Table:
    return Table(["Message"], [[str(entity["commandStatus"]["message"]).split("\n", 1)[0]]])


def _properties(entity: Entity) -> Table:
    """PropertiesListTableBuilder: SESSION for overwritten, "" for defaults, SERVER otherwise."""
    overwritten = set(entity.get("overwrittenProperties") or [])
    defaults = set(entity.get("defaultProperties") or [])
    rows = []
    for p in entity.get("properties") or []:
        name, value = p["name"], p.get("value")
        kind = "SESSION" if name in overwritten else "" if name in defaults else "SERVER"
        rows.append([name, _s(p.get("scope")), kind, "NULL" if value is None else str(value)])
    rows.sort(key=lambda r: r[0])
    return Table(["Property", "Scope", "Default override", "Effective Value"], rows)


def status_count(counts: Mapping[str, Any] | None) -> str:
    """QueryStatusCount.toString: `RUNNING:1,ERROR:2` in KsqlQueryStatus order."""
    order = ["RUNNING", "ERROR", "UNRESPONSIVE", "PAUSED"]
    counts = counts or {}
    keys = sorted(counts, key=lambda k: order.index(k) if k in order else len(order))
    return ",".join(f"{k}:{counts[k]}" for k in keys)


def _single_line(text: str) -> str:
    """RunningQuery.getQuerySingleLine."""
    return text.replace(NL, " ")


def _queries(entity: Entity) -> Table:
    rows = [
        [
            _s(q.get("id")),
            _s(q.get("queryType")),
            status_count(q.get("statusCount")),
            ",".join(q.get("sinks") or []),
            ",".join(q.get("sinkKafkaTopics") or []),
            _single_line(str(q.get("queryString", ""))),
        ]
        for q in entity.get("queries") or []
    ]
    headers = ["Query ID", "Query Type", "Status", "Sink Name", "Sink Kafka Topic", "Query String"]
    return Table(headers, rows, footer_lines=["For detailed information on a Query run: EXPLAIN <Query ID>;"])


def _sources(kind: str, key: str) -> Callable[[Entity], Table]:
    def build(entity: Entity) -> Table:
        rows = [
            [s["name"], _s(s.get("topic")), _s(s.get("keyFormat")), _s(s.get("valueFormat")), _s(bool(s.get("isWindowed")))]
            for s in sorted(entity.get(key) or [], key=lambda s: s["name"])
        ]
        return Table([f"{kind} Name", "Kafka Topic", "Key Format", "Value Format", "Windowed"], rows)

    return build


def _replicas(sizes: Sequence[int]) -> str:
    """KafkaTopicsListTableBuilder.getTopicReplicaInfo."""
    if not sizes:
        return "0"
    if len(set(sizes)) <= 1:
        return str(sizes[0])
    return ", ".join(str(s) for s in sizes)


def _topics(entity: Entity) -> Table:
    rows = [[t["name"], str(len(t.get("replicaInfo") or [])), _replicas(t.get("replicaInfo") or [])] for t in entity.get("topics") or []]
    return Table(["Kafka Topic", "Partitions", "Partition Replicas"], rows)


def _topics_extended(entity: Entity) -> Table:
    rows = [
        [
            t["name"],
            str(len(t.get("replicaInfo") or [])),
            _replicas(t.get("replicaInfo") or []),
            str(t.get("consumerCount", 0)),
            str(t.get("consumerGroupCount", 0)),
        ]
        for t in entity.get("topics") or []
    ]
    return Table(["Kafka Topic", "Partitions", "Partition Replicas", "Consumers", "ConsumerGroups"], rows)


def _functions(entity: Entity) -> Table:
    """FunctionNameListTableBuilder: by category (blank rows between) when the server sends categories."""
    funcs = list(entity.get("functions") or [])
    table = Table(["Function Name", "Category"], footer_lines=[
        "For detailed information about a function, run: DESCRIBE FUNCTION <Function Name>;"
    ])
    if not funcs or not funcs[0].get("category"):
        table.rows = [[f["name"], str(f.get("type", "")).upper()] for f in sorted(funcs, key=lambda f: f["name"])]
        return table
    funcs.sort(key=lambda f: (f.get("category", ""), f["name"]))
    prev = funcs[0].get("category", "")
    for f in funcs:
        if f.get("category", "") != prev:
            table.rows.append([" ", " "])
        table.rows.append([f["name"], f.get("category", "")])
        prev = f.get("category", "")
    return table


def _topic_description(entity: Entity) -> Table:
    """TopicDescriptionTableBuilder: the Schema column for formats that support schema inference."""
    fmt = str(entity.get("format", ""))
    schema = fmt.upper() in ("AVRO", "PROTOBUF", "PROTOBUF_NOSR", "JSON_SR")
    row = [_s(entity.get("name")), _s(entity.get("kafkaTopic")), fmt]
    headers = ["Table Name", "Kafka Topic", "Type"]
    if schema:
        row.append(_s(entity.get("schemaString")))
        headers.append("Schema")
    return Table(headers, [row])


def _connector_list(entity: Entity) -> Table:
    rows = [
        [c["name"], str(c.get("type") or "UNKNOWN").upper(), c.get("className") or "", c.get("state") or ""]
        for c in entity.get("connectors") or []
    ]
    return Table(["Connector Name", "Type", "Class", "Status"], rows)


def _connector_plugins(entity: Entity) -> Table:
    rows = [
        [p.get("className", ""), str(p.get("type") or "UNKNOWN").upper(), p.get("version") or ""]
        for p in entity.get("connectorsPlugins") or entity.get("connectorPlugins") or []
    ]
    return Table(["Class", "Type", "Version"], rows)


def _types(entity: Entity) -> Table:
    types = entity.get("types") or {}
    return Table(["Type Name", "Schema"], [[k, type_string(types[k])] for k in sorted(types)])


def _variables(entity: Entity) -> Table:
    rows = [[v["name"], v["value"]] for v in sorted(entity.get("variables") or [], key=lambda v: v["name"])]
    return Table(["Variable Name", "Value"], rows)


TABLES: dict[str, Callable[[Entity], Table]] = {
    "currentStatus": _message,
    "properties": _properties,
    "queries": _queries,
    "streams": _sources("Stream", "streams"),
    "tables": _sources("Table", "tables"),
    "kafka_topics": _topics,
    "kafka_topics_extended": _topics_extended,
    "executionPlan": lambda e: Table(["Execution Plan"], [[_s(e.get("executionPlan"))]]),
    "function_names": _functions,
    "topicDescription": _topic_description,
    "connector_info": lambda e: Table(["Message"], [["Created connector " + _s((e.get("info") or {}).get("name"))]]),
    "drop_connector": lambda e: Table(["Message"], [[f'Dropped connector "{e.get("connectorName")}"']]),
    "connector_list": _connector_list,
    "connector_plugins_list": _connector_plugins,
    "type_list": _types,
    "warning_entity": lambda e: Table(["Message"], [[_s(e.get("message"))]]),
    "variables": _variables,
    "terminate_query": lambda e: Table(["Message"], [[f'Terminated query "{e.get("queryId")}"']]),
}


# ----------------------------------------------------------------- descriptions (Console.print*)


def _field_type(field: Entity, window_type: str | None, is_table: bool) -> str:
    """`Console.formatFieldType`."""
    text = type_string(field["schema"])
    if field.get("type") == "HEADER":
        key = field.get("headerKey")
        return f"{text:<16} " + (f"(header('{key}'))" if key else "(headers)")
    if field.get("type") == "KEY":
        wt = f" (Window type: {window_type})" if window_type else ""
        return f"{text:<16} {'(primary key)' if is_table else '(key)'}{wt}"
    return text


def _schema(fields: Sequence[Entity], window_type: str | None, is_table: bool, width: Screen | int) -> list[str]:
    if not fields:
        return []
    rows = [[f["name"], _field_type(f, window_type, is_table)] for f in fields]
    return Table(["Field", "Type"], rows).lines(width)


def _titled(title: str, rule: str) -> list[str]:
    """`String.format("%n%-20s%n%-20s", title, rule)`."""
    return ["", f"{title:<20}", f"{rule:<20}"]


def _println(text: str) -> list[str]:
    """`println(text)` of a text that may hold newlines, as lines."""
    return text.split("\n")


def source_description(src: Entity, width: Screen | int) -> list[str]:
    """`Console.printSourceDescription`."""
    is_table = str(src.get("type", "")).upper() == "TABLE"
    window = src.get("windowType")
    out = [_kv("Name", src.get("name"))]
    if not src.get("extended"):
        return [
            *out,
            *_schema(src.get("fields") or [], window, is_table, width),
            "For runtime statistics and query details run: DESCRIBE <Stream,Table> EXTENDED;",
        ]
    out.append(_kv("Type", src.get("type")))
    out.append(_kv("Timestamp field", src.get("timestamp") or "Not set - using <ROWTIME>"))
    out.append(_kv("Key format", src.get("keyFormat")))
    out.append(_kv("Value format", src.get("valueFormat")))
    if src.get("topic"):
        topic = _kv("Kafka topic", src["topic"])
        if src.get("partitions"):
            topic += f" (partitions: {src['partitions']}, replication: {src.get('replication')})"
        out.append(topic)
    out += [_kv("Statement", src.get("statement")), ""]
    out += _schema(src.get("fields") or [], window, is_table, width)
    constraints = src.get("sourceConstraints") or []
    if constraints:
        out += _titled("Sources that have a DROP constraint on this source", "-" * 50) + list(constraints)
    for queries, operation in ((src.get("readQueries"), "read"), (src.get("writeQueries"), "write")):
        if queries:
            out += _titled(f"Queries that {operation} from this {src.get('type')}", "-" * 35)
            for q in queries:
                single = _single_line(str(q.get("queryString", "")))
                out.append(f"{q.get('id')} ({q.get('state') or 'N/A'}) : {single}")
            out += ["", "For query topology and execution plan please run: EXPLAIN <QueryId>"]
    out += _statistics(src, width)
    out.append(f"(Statistics of the local KSQL server interaction with the Kafka topic {src.get('topic')})")
    out += _offset_summaries(src.get("queryOffsetSummaries") or [], width)
    return out


def _statistics(src: Entity, width: Screen | int) -> list[str]:
    stats = list(src.get("clusterStatistics") or [])
    errors = list(src.get("clusterErrorStats") or [])
    if not stats and not errors:
        return [
            "",
            f"{'Local runtime statistics':<20}",
            "-" * 24,
            *_println(_s(src.get("statistics", ""))),
            *_println(_s(src.get("errorStats", ""))),
        ]
    rows = []
    for m in sorted(stats + errors, key=lambda m: (_host_key(str(m.get("host", ""))), str(m.get("name", "")))):
        ts = dt.datetime.fromtimestamp(int(m.get("timestamp", 0)) / 1000, dt.UTC)
        stamp = ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"  # Instant.toString
        rows.append([str(m.get("host", "")), str(m.get("name", "")), f"{float(m.get('value', 0)):10.0f}", stamp])
    return [
        "",
        f"{'Runtime statistics by host':<20}",
        "-" * 25,
        *Table(["Host", "Metric", "Value", "Last Message"], rows).lines(width),
    ]


def _host_key(host: str) -> tuple[str, int]:
    name, _, port = host.rpartition(":")
    return (name, int(port)) if port.isdigit() else (host, 0)


def _offset_summaries(summaries: Sequence[Entity], width: Screen | int) -> list[str]:
    if not summaries:
        return []
    out = ["", "Consumer Groups summary:"]
    for entry in summaries:
        out += ["", _kv("Consumer Group", entry.get("groupId"))]
        topics = entry.get("topicSummaries") or []
        if not topics:
            out.append("<no offsets committed by this group yet>")
        for t in topics:
            offsets = t.get("offsets") or []
            lag = max((o["logEndOffset"] - o["consumerOffset"] for o in offsets), default=0)
            out += ["", _kv("Kafka topic", t.get("kafkaTopic")), _kv("Max lag", lag), ""]
            rows = [
                [
                    str(o["partition"]),
                    str(o["logStartOffset"]),
                    str(o["logEndOffset"]),
                    str(o["consumerOffset"]),
                    str(o["logEndOffset"] - o["consumerOffset"]),
                ]
                for o in offsets
            ]
            out += Table(["Partition", "Start Offset", "End Offset", "Offset", "Lag"], rows).lines(width)
    return out


def _host_status(statuses: Mapping[str, Any]) -> str:
    """Map.toString of KsqlHostInfoEntity -> status (`{host:port=RUNNING}`)."""
    return "{" + ", ".join(f"{k}={v}" for k, v in statuses.items()) + "}"


def query_description(q: Entity, width: Screen | int) -> list[str]:
    """`Console.printQueryDescription`."""
    out = [_kv("ID", q.get("id")), _kv("Query Type", q.get("queryType"))]
    if q.get("statementText"):
        out.append(_kv("SQL", q["statementText"]))
    if q.get("ksqlHostQueryStatus"):
        out.append(_kv("Host Query Status", _host_status(q["ksqlHostQueryStatus"])))
    out.append("")
    out += _schema(q.get("fields") or [], q.get("windowType"), False, width)
    for key, title, footer in (
        ("sources", "Sources that this query reads from: ", "For source description please run: DESCRIBE [EXTENDED] <SourceId>"),
        ("sinks", "Sinks that this query writes to: ", "For sink description please run: DESCRIBE [EXTENDED] <SinkId>"),
    ):
        if q.get(key):
            out += _titled(title, "-" * 35) + list(q[key]) + ["", footer]
    if q.get("executionPlan"):
        out += [*_titled("Execution plan", "-" * 14), *_println(str(q["executionPlan"]))]
    if q.get("topology"):
        out += [*_titled("Processing topology", "-" * 19), *_println(str(q["topology"]))]
    overridden = q.get("overriddenProperties") or {}
    if overridden:
        rows = [[k, cell(overridden[k])] for k in sorted(overridden)]
        out += Table(["Property", "Value"], rows, header_lines=_titled("Overridden Properties", "-" * 21)).lines(width)
    out.append("")
    for error in q.get("queryErrors") or []:
        out.append(_kv("Error Date", _error_date(int(error.get("timestamp", 0)))))
        out.append(_kv("Error Details", error.get("errorMessage")))
        out.append(_kv("Error Type", error.get("type")))
    return out


def _error_date(millis: int) -> str:
    """`yyyy-MM-dd hh:mm:ss,SSS (z)` in the system time zone (hh: the 12-hour clock)."""
    ts = dt.datetime.fromtimestamp(millis / 1000).astimezone()
    zone = ts.tzname() or time.tzname[0]
    return ts.strftime("%Y-%m-%d %I:%M:%S,") + f"{ts.microsecond // 1000:03d} ({zone})"


def connector_description(d: Entity, width: Screen | int) -> list[str]:
    """`Console.printConnectorDescription`."""
    status = d.get("status") or {}
    connector = status.get("connector") or {}
    out = [
        _kv("Name", status.get("name")),
        _kv("Class", d.get("connectorClass")),
        _kv("Type", status.get("type")),
        _kv("State", connector.get("state")),
        _kv("WorkerId", connector.get("worker_id", connector.get("workerId"))),
    ]
    if connector.get("trace"):
        out.append(_kv("Trace", connector["trace"]))
    tasks = status.get("tasks") or []
    if tasks:
        rows = [[str(t.get("id")), _s(t.get("state")), t.get("trace") or ""] for t in tasks]
        out += ["", *Table(["Task ID", "State", "Error Trace"], rows).lines(width)]
    sources = d.get("sources") or []
    if sources:
        rows = [[_s(s.get("name")), _s(s.get("topic")), _s(s.get("type"))] for s in sources]
        out += ["", *Table(["KSQL Source Name", "Kafka Topic", "Type"], rows).lines(width)]
    topics = d.get("topics") or []
    if topics:
        out += ["", *Table(["Related Topics"], [[t] for t in topics]).lines(width)]
    return out


def _split_long_line(text: str, max_len: int) -> str:
    """`Console.splitLongLine`: words (and the spaces between them) wrapped at `max_len`."""
    out: list[str] = []
    line_len = 0
    for word in re.findall(r"[^ \n]+| |\n", text):
        is_newline = word == "\n"
        if is_newline or line_len + len(word) > max_len:
            out.append("\n")
            line_len = 0
            if is_newline:
                continue
        out.append(word)
        line_len += len(word)
    return "".join(out)


def _description(fmt: str, name: str, description: str, width: Screen | int) -> list[str]:
    """`Console.printDescription`: the text wrapped to the console (at least 80), indented under its label."""
    trimmed = description.strip()
    if not trimmed:
        return []
    label_len = len((fmt % (name, "")).replace("\t", "  "))
    fixed = _split_long_line(trimmed, max(screen_width(width), 80) - label_len)
    return (fmt % (name, fixed.replace("\n", "\n" + " " * label_len))).split("\n")


def function_description(f: Entity, width: Screen | int) -> list[str]:
    """`Console.printFunctionDescription`."""
    name = str(f.get("name", "")).upper()
    base, sub = "%-12s: %s", "\t%-12s: %s"
    out = [base % ("Name", name)]
    if str(f.get("author") or "").strip():
        out.append(base % ("Author", f["author"]))
    if str(f.get("version") or "").strip():
        out.append(base % ("Version", f["version"]))
    out += _description(base, "Overview", str(f.get("description") or ""), width)
    out += [base % ("Type", f.get("type")), base % ("Jar", f.get("path")), base % ("Variations", "")]
    for variant in f.get("functions") or []:
        args = variant.get("arguments") or []
        text = ", ".join(_arg(a) for a in args)
        out += ["", f"\t{'Variation':<12}: {name}({text})"]
        out.append(sub % ("Returns", variant.get("returnType")))
        out += _description(sub, "Description", str(variant.get("description") or ""), width)
        for a in args:
            out += _description(sub, str(a.get("name", "")), str(a.get("description") or ""), width)
    return out


def _arg(a: Entity) -> str:
    kind = str(a.get("type", "")) + ("[]" if a.get("isVariadic") else "")
    return f"{a['name']} {kind}" if a.get("name") else kind


def assert_topic(e: Entity) -> list[str]:
    return [f"Topic {e.get('topicName')}{' exists' if e.get('exists') else ' does not exist'}."]


def assert_schema(e: Entity) -> list[str]:
    subject = f" subject {e['subject']}" if e.get("subject") is not None else ""
    ident = f" id {e['id']}" if e.get("id") is not None else ""
    if not subject and not ident:
        raise ValueError("No subject or id found in AssertSchema response.")
    return [f"Schema with{subject}{ident}{' exists' if e.get('exists') else ' does not exist'}."]


def entity_lines(entity: Entity, width: Screen | int) -> list[str]:
    """`Console.printAsTable(KsqlEntity)`: the entity's printer, then its warnings."""
    kind = str(entity.get("@type"))
    out: list[str]
    if kind in TABLES:
        out = TABLES[kind](entity).lines(width)
    elif kind == "sourceDescription":
        out = source_description(entity["sourceDescription"], width)
    elif kind == "source_descriptions":
        out = []
        for src in entity.get("sourceDescriptions") or []:
            out += [*source_description(src, width), ""]
    elif kind == "queryDescription":
        out = query_description(entity["queryDescription"], width)
    elif kind == "query_descriptions":
        out = []
        for q in entity.get("queryDescriptions") or []:
            out += [*query_description(q, width), ""]
    elif kind == "describe_function":
        out = function_description(entity, width)
    elif kind == "connector_description":
        out = connector_description(entity, width)
    elif kind == "assert_topic":
        out = assert_topic(entity)
    elif kind == "assert_schema":
        out = assert_schema(entity)
    else:
        raise ValueError(f"Unexpected KsqlEntity class: '{kind}'")
    return out + [f"WARNING: {w.get('message')}" for w in entity.get("warnings") or []]


def entity_list(
    entities: Sequence[Entity], output_format: str, width: int, captured: list[list[str]] | None = None
) -> str:
    """`Console.printKsqlEntityList`: the text written (each line ends with a newline); the rows of the
    tables printed go to `captured`."""
    if output_format == "JSON":
        return jsonpretty.dumps(list(entities)) + NL
    out: list[str] = []
    show_statements = len(entities) > 1
    for entity in entities:
        out.append("")
        if show_statements:
            out.append(str(entity.get("statementText", "")))
        out += entity_lines(entity, Screen(width, captured))
    return "".join(line + NL for line in out)
