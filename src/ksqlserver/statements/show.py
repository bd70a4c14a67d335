"""SHOW, DESCRIBE and TERMINATE: what the engine knows and runs, and stopping a query (EXPLAIN: `explain.py`)."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from ksqlserver.catalog.config_defaults import KSQL_CONFIG_DEFAULTS, KSQL_STREAMS_DEFAULTS
from ksqlserver.catalog.kafka_configs import TOPIC_CONFIG_NAMES
from ksqlserver.catalog.metastore import DataSource, did_you_mean
from ksqlserver.catalog.properties import DEFAULTS, STREAMS_PREFIX, normalise, resolve_property
from ksqlserver.errors import KsqlBadRequestError, KsqlStatementError
from ksqlserver.formats.javamap import hashmap_order
from ksqlserver.plan import topology
from ksqlserver.plan.summary import summarize
from ksqlserver.runtime.query import PersistentQuery, RunningQuery, TransientQuery
from ksqlserver.sql import ast
from ksqlserver.statements import connectors, entities
from ksqlserver.statements.ddl import query_sources, retire_query
from ksqlserver.statements.state import EngineState, Session, SourceTableQuery
from ksqlserver.statements.types import list_types


def sorted_sources(q: RunningQuery) -> list[str]:
    """The query's sources, the FROM source first (QueryMetadata.getSourceNames' put order)."""
    first = q.pipeline.source.name
    return [first, *sorted(query_sources(q) - {first})]


def _fields(q: RunningQuery) -> list[dict[str, Any]]:
    """EntityUtil.buildSourceSchemaEntity of the query's logical schema: a persistent query's sink columns
    (keys typed KEY), a push query's output columns (all value columns)."""
    sink = q.pipeline.sink
    if sink is not None:
        return [entities.field_json(c) for c in sink.schema.columns]
    columns = q.columns if isinstance(q, TransientQuery) else []
    return [{"name": name, "schema": entities.schema_json(t)} for name, t in columns if t is not None]


def query_info(q: RunningQuery) -> dict[str, Any]:
    sink = q.pipeline.sink
    return {
        "id": q.query_id,
        "statement": q.statement,
        "sinks": [sink.name] if sink else [],
        "topics": [sink.topic] if sink else [],
        "state": q.status,
        "type": "PERSISTENT" if isinstance(q, PersistentQuery) else "PUSH",
        # QueryDescriptionFactory: every source the query reads, collected into a HashSet
        "sources": list(hashmap_order(dict.fromkeys(sorted_sources(q)))),
        "fields": _fields(q),
        "overriddenProperties": q.overridden,
    }


def described_query(state: EngineState, q: RunningQuery) -> dict[str, Any]:
    """QueryDescriptionFactory.forQueryMetadata of a live query (EXPLAIN <id>, SHOW QUERIES EXTENDED):
    its plan, and a persistent query's consumer group (QueryApplicationId.build)."""
    info = query_info(q)
    # a persistent query's result topic's window type (QueryDescriptionFactory.forQueryMetadata)
    sink = q.pipeline.sink if isinstance(q, PersistentQuery) else None
    info["windowType"] = sink.window.kind if sink is not None and sink.window is not None else None
    summary = summarize(q.plan, q.query_id, state.registry) if isinstance(q, PersistentQuery) else None
    info["plan"] = summary if summary is not None else q.plan.describe() if q.plan is not None else ""
    info["topology"] = topology.describe(q.plan, state.registry) if q.plan is not None else None
    info["queryErrors"] = [e.to_json() for e in q.errors.errors()]  # QueryMetadata.getQueryErrors
    if state.host_info:  # this host's status (ExplainExecutor / ListQueriesExecutor: the local host)
        info["hostStatus"] = {state.host_info: q.status}
    if isinstance(q, PersistentQuery):
        info["consumerGroupId"] = q.application_id or state.config.query_application_id(q.query_id)
    elif getattr(q, "application_id", ""):  # a transient query's (QueryDescriptionFactory: every query's)
        info["consumerGroupId"] = q.application_id
    return info


def source_table_info(cst: SourceTableQuery) -> dict[str, Any]:
    """A CREATE SOURCE TABLE's query as ListQueriesExecutor shows it: no sink, no sink topic."""
    return {"id": cst.query_id, "statement": cst.statement, "sinks": [], "topics": [], "state": cst.state,
            "type": "PERSISTENT", "sources": [cst.source], "fields": []}  # fmt: skip


def described_source_table(state: EngineState, cst: SourceTableQuery) -> dict[str, Any]:
    """QueryDescriptionFactory.forQueryMetadata of a CREATE SOURCE TABLE's query: no sink, so no window
    type (getResultTopic is empty); its schema is the table's, key columns included (QueryBuilder's
    CREATE_SOURCE case); the plan is EngineExecutor.sourceTablePlan's, a projection of the value columns
    over the table's source and no sink step."""
    src = state.metastore.get(cst.source)
    info = source_table_info(cst)
    info["fields"] = [entities.field_json(c) for c in src.schema.columns] if src is not None else []
    info["plan"] = f"  > [ PROJECT ]\n> [ SOURCE ] [{cst.source}]"
    info["overriddenProperties"] = dict(cst.overridden)
    if state.host_info:
        info["hostStatus"] = {state.host_info: cst.state}
    info["consumerGroupId"] = cst.application_id or state.config.query_application_id(cst.query_id)
    return info


def find_source_table(state: EngineState, query_id: str) -> SourceTableQuery | None:
    """The source table query of that id (QueryId compares ids case-insensitively)."""
    return next((c for c in state.source_tables.values() if c.query_id.upper() == query_id.upper()), None)


def _number(query_id: str) -> int | None:
    tail = query_id.rsplit("_", 1)[-1]
    return int(tail) if tail.isdigit() else None


def persistent_infos(state: EngineState, described: bool = False) -> list[dict[str, Any]]:
    """The persistent queries, with each source table's among them in the order of their numbers;
    `described`: as QueryDescriptionFactory describes them (SHOW QUERIES EXTENDED)."""
    if described:
        out = [described_query(state, q) for q in state.persistent.values()]
    else:
        out = [query_info(q) for q in state.persistent.values()]
    for cst in sorted(state.source_tables.values(), key=lambda c: _number(c.query_id) or 0):
        n = _number(cst.query_id) or 0
        later = (i for i, q in enumerate(out) if (m := _number(q["id"])) is not None and m > n)
        entry = described_source_table(state, cst) if described else source_table_info(cst)
        out.insert(next(later, len(out)), entry)
    return out


def show(state: EngineState, st: ast.Show, session: Session) -> dict[str, Any]:
    ms = state.metastore
    if st.what in ("STREAMS", "TABLES"):
        kind = st.what[:-1]
        if st.extended:  # ListSourceExecutor.streams/tables: EXTENDED lists their source descriptions
            return _source_descriptions(state, st.text, kind, True)
        return entities.source_list(st.text, kind, [s for s in ms.all() if s.kind == kind])
    if st.what == "TOPICS":
        hidden = _hidden_topics(session)
        topics = [
            (t.name, t.partitions, t.replicas)
            for t in state.driver.topics().values()
            if st.all_topics or not hidden.fullmatch(t.name)
        ]
        if st.extended:
            e = entities.kafka_topics(st.text, topics)
            e["@type"] = "kafka_topics_extended"
            for t in e["topics"]:
                readers = [q for q in state.persistent.values() if t["name"] in q.consumer_topics]
                t["consumerCount"] = len(readers)
                t["consumerGroupCount"] = len(readers)
            return e
        return entities.kafka_topics(st.text, topics)
    if st.what == "QUERIES":
        # ListQueriesExecutor lists the engine's getAllLiveQueries(), EXTENDED or not: the running
        # transient (push) queries too, as queryType PUSH
        if st.extended:  # ListQueriesExecutor.executeExtended: a QueryDescriptionList
            described = persistent_infos(state, described=True)
            described += [described_query(state, q) for q in state.transient.values()]
            return entities.query_descriptions(st.text, described)
        infos = persistent_infos(state) + [query_info(q) for q in state.transient.values()]
        return entities.queries(st.text, infos)
    if st.what == "PROPERTIES":
        return _properties(state, st, session)
    if st.what == "FUNCTIONS":
        e = entities.function_names(st.text, state.registry.all())
        # extension files that failed to load at start (ksqlserver.extensions)
        e["warnings"] = [{"message": m} for m in state.registry.load_warnings]
        return e
    if st.what == "TYPES":
        return list_types(state, st)
    if st.what in ("CONNECTORS", "CONNECTOR PLUGINS"):
        return connectors.show(state, st, session)
    if st.what == "VARIABLES":
        # in name order, case-insensitively (ksqlDB keeps them in a case-insensitive sorted map)
        listed = [{"name": k, "value": v} for k, v in sorted(session.variables.items(), key=lambda kv: kv[0].upper())]
        return {"@type": "variables", "statementText": st.text, "warnings": [], "variables": listed}
    raise KsqlStatementError(f"SHOW {st.what} is not supported by this server", st.text)


# KsqlRestConfig's own settings; the server's ksql.streams.state.dir and ksql.extension.dir are KsqlConfig's
# too and listed (observed on ksqlDB 0.29 built from source)
_REST_ONLY = ("listeners", "ksql.advertised.listener")


def _hidden_topics(session: Session) -> re.Pattern[str]:
    """ReservedInternalTopics' hidden-topics pattern: ksqlDB's internal topics and ksql.hidden.topics (the
    processing log is not hidden: SHOW TOPICS lists it)."""
    configured = session.props.get("ksql.hidden.topics") or KSQL_CONFIG_DEFAULTS["ksql.hidden.topics"] or ""
    return re.compile("|".join(["_confluent-ksql-.*", *(p.strip() for p in configured.split(",") if p.strip())]))


def _properties(state: EngineState, st: ast.Show, session: Session) -> dict[str, Any]:
    """ksqlDB 0.29's SHOW PROPERTIES: every KsqlConfig property (its default, or what this server runs
    with), the Kafka Streams settings as `ksql.streams.*`; overwritten = changed by this request."""
    engine_values: dict[str, str | None] = dict(KSQL_CONFIG_DEFAULTS)
    engine_values.update(_streams_defaults(session.props.server))
    # this engine's own fallbacks only where KsqlConfig defines the property (not ksql.functions.*, nor
    # ProcessingLogConfig's ksql.logging.processing.*, nor the retired ksql.sink.*); auto.offset.reset and
    # processing.guarantee are in none of KsqlConfig's streams defaults, so an unconfigured server does not
    # list them (the real server's SHOW PROPERTIES has neither)
    engine_values.update(
        {
            k: v
            for k, v in DEFAULTS.items()
            if (v != "" or k not in engine_values)
            and _listed(k)
            and not k.startswith(_FUNCTIONS)
            and k not in _NOT_KSQL_DEFAULTS
        }
    )
    # KsqlConfig.originalsWithPrefixOverride: a `ksql.streams.` setting wins over the bare one, whatever
    # their order in the server config
    server = session.props.server
    for key in sorted(server, key=lambda k: k.startswith("ksql.streams.")):
        if key not in _REST_ONLY and _listed(key):
            engine_values[normalise(key)] = _text(server[key])
    engine_values["ksql.service.id"] = state.config.service_id
    if state.application_server:  # KsqlRestApplication.buildConfigWithPort (a REST server serves this engine)
        engine_values[_APPLICATION_SERVER] = state.application_server
    merged = dict(engine_values)
    merged.update(
        {normalise(k): None if v is None else _text(v) for k, v in session.props.overrides.items() if _listed(k)}
    )
    # ListPropertiesExecutor compares with KsqlConfig's own properties: one it does not define (such as
    # auto.offset.reset, listed above from this engine's fallback defaults) is overwritten once set
    configured = {*KSQL_CONFIG_DEFAULTS, *KSQL_STREAMS_DEFAULTS, *(normalise(k) for k in session.props.server)}
    overwritten = [
        k for k in merged
        if merged[k] != engine_values.get(k) or (k not in configured and k in session.props.overrides)
    ]
    # KsqlConfigResolver resolves a `ksql.streams.*` name against the Kafka configs (an unknown one such as
    # ksql.streams.shutdown.timeout.ms stays unresolved, never a default), not against KsqlConfig's defaults
    defaults = [
        k for k, v in merged.items()
        if k in KSQL_CONFIG_DEFAULTS and v == KSQL_CONFIG_DEFAULTS[k] and not k.startswith(STREAMS_PREFIX)
    ]
    return entities.properties(st.text, merged, overwritten, defaults)


_FUNCTIONS = "ksql.functions."
_APPLICATION_SERVER = "ksql.streams.application.server"
_OFFSET_RESET = "ksql.streams.auto.offset.reset"
_NOT_KSQL_DEFAULTS = frozenset({_OFFSET_RESET, "ksql.streams.processing.guarantee"})


def _listed(name: str) -> bool:
    """KsqlConfig.getKsqlStreamConfigPropsWithSecretsObfuscated lists the Streams settings its resolver
    resolves against a ConfigDef, and `ksql.streams.topic.<TopicConfig name>`; an unresolved one (an
    interceptor's own setting, a misspelt name) is kept for Streams but not listed."""
    if name.startswith("ksql.") and not name.startswith(STREAMS_PREFIX):
        # getKsqlConfigPropsWithSecretsObfuscated: KsqlConfig's own names, and any ksql.functions.* setting
        return name in KSQL_CONFIG_DEFAULTS or name.startswith(_FUNCTIONS)
    if name.startswith(STREAMS_PREFIX + "topic."):
        return name.removeprefix(STREAMS_PREFIX + "topic.") in TOPIC_CONFIG_NAMES
    item = resolve_property(name, strict=False)
    return item is not None and item.type is not None
_DESERIALIZATION_HANDLER = "ksql.streams.default.deserialization.exception.handler"
_PRODUCTION_HANDLER = "ksql.streams.default.production.exception.handler"


def _streams_defaults(server: Any) -> dict[str, str]:
    """The Streams settings KsqlConfig's constructor adds from the server config: no deserialization
    handler once ksql.fail.on.deserialization.error is true, ProductionExceptionHandlerUtil.getHandler of
    ksql.fail.on.production.error (a SET of either changes no handler: cloneWithPropertyOverwrite keeps them)."""
    out = dict(KSQL_STREAMS_DEFAULTS)
    if _text(server.get("ksql.fail.on.deserialization.error", "false")).lower() == "true":
        del out[_DESERIALIZATION_HANDLER]
    if _text(server.get("ksql.fail.on.production.error", "true")).lower() == "false":
        out[_PRODUCTION_HANDLER] = (
            "io.confluent.ksql.errors.ProductionExceptionHandlerUtil$LogAndContinueProductionExceptionHandler"
        )
    return out


def _text(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _description(state: EngineState, src: DataSource, extended: bool, warnings: list[dict[str, Any]]) -> dict[str, Any]:
    """ListSourceExecutor.describeSource: a topic that cannot be described is a warning (partitions and
    replication 0, no source constraints), not an error."""
    reads = [query_info(q) for q in state.persistent.values() if q.pipeline.source.name == src.name]
    cst = state.source_tables.get(src.name)
    if cst is not None:  # ListSourceExecutor: the queries whose sources hold the table
        reads.insert(0, source_table_info(cst))
    writes = [query_info(q) for q in state.persistent.values() if q.sink.name == src.name]
    info = state.driver.topic(src.topic)
    constraints: list[str] = []
    if info is None:  # KafkaTopicClientImpl.describeTopics' KafkaResponseGetFailedException
        warnings.append({"message": f"Error from Kafka: Failed to Describe Kafka Topic(s): [{src.topic}]"})
    else:  # MetaStore.getSourceConstraints: the sources created from this one
        constraints = state.metastore.readers(src.name)
    stats = ""
    if extended:
        n = sum(q.processed for q in state.persistent.values() if q.pipeline.source.name == src.name)
        stats = f"consumer-messages-per-sec: 0 consumer-total-messages: {n}"
    return entities.source_description(
        src, reads, writes, extended, info.partitions if info else 0, info.replicas if info else 0, stats,
        constraints,
    )  # fmt: skip


def describe(state: EngineState, st: ast.DescribeSource, session: Session) -> dict[str, Any]:
    src = state.metastore.get(st.name)
    if src is None:
        hint = did_you_mean(state.metastore, st.name)
        raise KsqlStatementError(f"Could not find STREAM/TABLE '{st.name}' in the Metastore{hint}", st.text)
    warnings: list[dict[str, Any]] = []
    e = entities.describe_source(st.text, _description(state, src, st.extended, warnings))
    e["warnings"] = warnings
    return e


def describe_all(state: EngineState, st: ast.DescribeSources, session: Session) -> dict[str, Any]:
    return _source_descriptions(state, st.text, st.what[:-1], st.extended)


def _source_descriptions(state: EngineState, text: str, kind: str, extended: bool) -> dict[str, Any]:
    """ListSourceExecutor.sourceDescriptionList: a SourceDescriptionList of every stream or table."""
    warnings: list[dict[str, Any]] = []
    descriptions = [_description(state, s, extended, warnings) for s in state.metastore.all() if s.kind == kind]
    return {
        "@type": "source_descriptions",
        "statementText": text,
        "warnings": warnings,
        "sourceDescriptions": descriptions,
    }


def describe_function(state: EngineState, st: ast.DescribeFunction, session: Session) -> dict[str, Any]:
    fn = state.registry.get(st.name)
    if fn is None:
        # InternalFunctionRegistry.getUdfFactory's plain KsqlException: KsqlResource's Errors.badRequest
        raise KsqlBadRequestError(f"Can't find any functions with the name '{st.name}'", st.text)
    return entities.describe_function(st.text, fn)


def pause_resume(state: EngineState, st: ast.PauseResume, session: Session) -> dict[str, Any]:
    """PAUSE / RESUME a persistent query, or ALL of them (a transient id is accepted and ignored, as
    ksqlDB does). ValidatedCommandFactory.createForPauseQuery/createForResumeQuery refuse a CREATE SOURCE
    TABLE's CST_ query by id, while ALL (getPersistentQueries) pauses and resumes it with the others."""
    verb, done = ("pause", "paused") if st.action == "PAUSE" else ("resume", "resumed")
    csts: list[SourceTableQuery] = []
    if st.query_id is None:
        targets = list(state.persistent.values())
        csts = list(state.source_tables.values())
        name = "ALL"
    elif "transient_" in st.query_id.lower():
        targets, name = [], st.query_id
    else:
        match = next((k for k in state.persistent if k.upper() == st.query_id.upper()), None)
        if match is None:
            if find_source_table(state, st.query_id) is not None:
                raise KsqlStatementError(
                    f"Cannot {verb} query '{st.query_id}' because it is linked to a source table.", st.text
                )
            raise KsqlStatementError(f"Unknown queryId: {st.query_id}", st.text)
        targets, name = [state.persistent[match]], match
    for q in targets:
        q.pause() if verb == "pause" else q.resume()
    for c in csts:
        state.source_tables[c.source] = dataclasses.replace(c, paused=verb == "pause")
    return entities.current_status(
        st.text, f"{verb}/{name}/execute", f"Query {done}.", None, state.next_seq()
    )


def terminate(state: EngineState, st: ast.Terminate, session: Session) -> dict[str, Any]:
    if st.query_id is None:
        for q in list(state.persistent.values()):
            retire_query(state, q)
        state.persistent.clear()
        for name in list(state.source_tables):
            _stop_source_table(state, name)
        return entities.current_status(
            st.text, "terminate/ALL/execute", "Query terminated.", None, state.next_seq()
        )
    qid = st.query_id
    # ValidatedCommandFactory lets an id containing "transient" through; TerminateQueryExecutor then
    # finds the push query by QueryId, which compares ids case-insensitively (the parser upper-cases them)
    live = next((k for k in state.transient if k.upper() == qid.upper()), None)
    if live is not None or "transient" in qid.lower():
        if live is None:
            # TerminateQueryExecutor throws a plain KsqlException, which KsqlResource answers with
            # Errors.badRequest: 40000, no statement text (observed on ksqlDB 0.29 built from source)
            raise KsqlBadRequestError(f"Failed to terminate query with query ID: '{qid}'", st.text)
        state.transient.pop(live).stop()
        return entities.terminate_transient(st.text, qid)
    match = next((k for k in state.persistent if k.upper() == qid.upper()), None)
    if match is None:
        # ValidatedCommandFactory.createForTerminateQuery: a CREATE_SOURCE query is refused by id (TERMINATE
        # ALL, which closes every persistent query, still stops it)
        if find_source_table(state, qid) is not None:
            raise KsqlStatementError(
                f"Cannot terminate query '{qid}' because it is linked to a source table.", st.text
            )
        raise KsqlStatementError(f"Unknown queryId: {qid}", st.text)
    retire_query(state, state.persistent.pop(match))
    return entities.current_status(
        st.text, f"terminate/{match}/execute", "Query terminated.", None, state.next_seq()
    )


def _stop_source_table(state: EngineState, name: str) -> None:
    """A source table's query terminated: the table stays, no longer materialised for pull queries."""
    state.source_tables.pop(name, None)
    view = state.table_views.pop(name, None)
    if view is not None:
        view.close()
