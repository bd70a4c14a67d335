"""Statement execution: one handler per statement type, each returning its /ksql entity (or None)."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ksqlserver import ast, entities
from ksqlserver.analyzer import AnalyzedQuery, Analyzer
from ksqlserver.compiler import CompileError, Compiler, Scope
from ksqlserver.ddl import build_source, schema_from_columns, upper_props
from ksqlserver.drivers.base import Consumer, Record, TopicDriver
from ksqlserver.errors import KsqlError, KsqlStatementError
from ksqlserver.formats.coerce import converter
from ksqlserver.functions import FunctionRegistry
from ksqlserver.metastore import DataSource, MetaStore
from ksqlserver.plan import logical, physical
from ksqlserver.properties import Properties, normalise
from ksqlserver.runtime.guarantee import with_guarantee
from ksqlserver.runtime.processing_log import ProcessingLog
from ksqlserver.runtime.query import PersistentQuery, RunningQuery, TransientQuery
from ksqlserver.runtime.repartition import (
    RepartitionQuery,
    needs_repartition,
    repartition_pipeline,
    repartition_topic,
)
from ksqlserver.runtime.state import StateStores
from ksqlserver.stateful import (
    AggregateQuery,
    aggregate_sink,
    analyze_aggregate,
    is_aggregate,
    start_aggregate,
    start_pull,
)
from ksqlserver.types import KEY, LogicalSchema

QUERY_ENDPOINT_MSG = (
    "The following statement types should be issued to the websocket endpoint '/query':\n"
    "\t* PRINT\n\t* SELECT"
)


@dataclass
class Session:
    """Per-request state: effective properties (SET/UNSET change them until the request ends)."""

    props: Properties


@dataclass
class EngineState:
    """Everything the executor changes: metastore, queries, counters."""

    service_id: str
    driver: TopicDriver
    registry: FunctionRegistry
    metastore: MetaStore = field(default_factory=MetaStore)
    persistent: dict[str, PersistentQuery] = field(default_factory=dict)
    transient: dict[str, TransientQuery] = field(default_factory=dict)
    query_counter: int = 0
    command_seq: int = 0
    lock: threading.RLock = field(default_factory=threading.RLock)
    processing_log: ProcessingLog | None = None
    stores: StateStores = field(default_factory=StateStores)  # keyed state of every stateful query
    cluster: Any = None  # runtime.cluster.Cluster in a scale-out on Kafka: who owns which partition
    synchronous: bool = False
    batch_size: int = 2000
    poll_timeout: float = 0.1

    def next_query_number(self) -> int:
        n = self.query_counter
        self.query_counter += 1
        return n

    def next_seq(self) -> int:
        self.command_seq += 1
        return self.command_seq


def query_info(q: RunningQuery) -> dict[str, Any]:
    sink = q.pipeline.sink
    return {
        "id": q.query_id,
        "statement": getattr(q, "statement", ""),
        "sinks": [sink.name] if sink else [],
        "topics": [sink.topic] if sink else [],
        "state": q.state,
        "type": "PERSISTENT" if isinstance(q, PersistentQuery) else "PUSH",
        "sources": [q.pipeline.source.name],
        "fields": [entities.field_json(c) for c in (sink.schema.columns if sink else ())],
    }


class Executor:
    """Runs parsed statements against the engine state."""

    def __init__(self, state: EngineState) -> None:
        self.s = state
        self.analyzer = Analyzer(state.metastore, state.registry)
        self.handlers: dict[type, Callable[[Any, Session], dict[str, Any] | None]] = {
            ast.CreateSource: self.create_source,
            ast.CreateAsSelect: self.create_as_select,
            ast.InsertInto: self.insert_into,
            ast.InsertValues: self.insert_values,
            ast.Show: self.show,
            ast.DescribeSource: self.describe,
            ast.DescribeSources: self.describe_all,
            ast.DescribeFunction: self.describe_function,
            ast.Explain: self.explain,
            ast.Terminate: self.terminate,
            ast.DropSource: self.drop,
            ast.SetProperty: self.set_property,
            ast.UnsetProperty: self.unset_property,
            ast.Query: self.query_on_ksql,
        }

    def run(self, stmt: ast.Statement, session: Session) -> dict[str, Any] | None:
        handler = self.handlers.get(type(stmt))
        if handler is None:
            raise KsqlStatementError(
                f"Statement type {type(stmt).__name__} is not supported by this server", stmt.text
            )
        with self.s.lock:
            return handler(stmt, session)

    # --- DDL ------------------------------------------------------------------------------------------
    def _check_new_name(self, name: str, kind: str, or_replace: bool) -> bool:
        """True if it exists and may be replaced; raises if it exists otherwise."""
        existing = self.s.metastore.get(name)
        if existing is None:
            return False
        if or_replace and existing.kind == kind:
            return True
        what = existing.kind.lower()
        raise KsqlStatementError(
            f"Cannot add {kind.lower()} '{name}': A {what} with the same name already exists"
        )

    def create_source(self, st: ast.CreateSource, session: Session) -> dict[str, Any]:
        existing = self.s.metastore.get(st.name)
        if existing is not None and st.if_not_exists:
            return entities.current_status(
                st.text,
                f"{st.kind.lower()}/`{st.name}`/create",
                f"Cannot add {st.kind.lower()} `{st.name}`: A "
                f"{existing.kind.lower()} with the same name already exists.",
                None,
                self.s.next_seq(),
            )
        self._check_new_name(st.name, st.kind, st.or_replace)
        schema = schema_from_columns(st.kind, st.columns)
        src = build_source(
            st.name, st.kind, schema, st.properties, session.props, st.text, is_source=st.is_source
        )
        if not st.columns:
            raise KsqlStatementError("The statement does not define any columns.", st.text)
        if st.kind == "TABLE" and not schema.key:
            raise KsqlStatementError("Tables require a PRIMARY KEY. Please define the PRIMARY KEY.", st.text)
        w = upper_props(st.properties)
        if self.s.driver.topic(src.topic) is None:
            if "PARTITIONS" not in w:
                raise KsqlStatementError(f"Kafka topic does not exist: {src.topic}", st.text)
            self.s.driver.create_topic(src.topic, int(w["PARTITIONS"]), int(w.get("REPLICAS", 1)))
        self.s.metastore.put(src)
        what = "Stream" if st.kind == "STREAM" else "Table"
        return entities.current_status(
            st.text, f"{st.kind.lower()}/`{st.name}`/create", f"{what} created", None, self.s.next_seq()
        )

    def create_as_select(self, st: ast.CreateAsSelect, session: Session) -> dict[str, Any]:
        if st.if_not_exists and self.s.metastore.get(st.name) is not None:
            return entities.current_status(
                st.text,
                f"{st.kind.lower()}/`{st.name}`/create",
                f"Cannot add {st.kind.lower()} `{st.name}`: already exists.",
                None,
                self.s.next_seq(),
            )
        replace = self._check_new_name(st.name, st.kind, st.or_replace)
        if is_aggregate(st.query, self.s.registry):  # built-in or plugin aggregates
            a = analyze_aggregate(self.s, st.query, st.name, session.props)
        else:
            a = self.analyzer.analyze(st.query, st.name, persistent=True, new_planner=_new_planner(session))
        produced = "TABLE" if a.source.is_table or isinstance(a, AggregateQuery) else "STREAM"
        if produced != st.kind:
            raise KsqlStatementError(
                f"Invalid result type. Your SELECT query produces a {produced}. Please use "
                f"CREATE {produced} AS SELECT statement instead.",
                st.text,
            )
        sink = build_source(
            st.name, st.kind, a.schema, st.properties, session.props, st.text, parent=a.source, is_sink=True
        )
        if isinstance(a, AggregateQuery):
            sink = aggregate_sink(a, sink)
        self._create_sink_topic(sink, a.source, st.properties)
        prefix = "CSAS" if st.kind == "STREAM" else "CTAS"
        if replace:
            for q in list(self.s.persistent.values()):
                if q.sink.name == st.name and q.kind in ("CSAS", "CTAS"):
                    q.stop()
                    del self.s.persistent[q.query_id]
        query_id = f"{prefix}_{st.name}_{self.s.next_query_number()}"
        self.s.metastore.put(sink)
        self._start_persistent(query_id, a, sink, st.text, prefix, session)
        return entities.current_status(
            st.text,
            f"{st.kind.lower()}/`{st.name}`/create",
            f"Created query with ID {query_id}",
            query_id,
            self.s.next_seq(),
        )

    def _create_sink_topic(self, sink: DataSource, parent: DataSource, with_props: Mapping[str, Any]) -> None:
        w = upper_props(with_props)
        info = self.s.driver.topic(parent.topic)
        partitions = int(w.get("PARTITIONS", info.partitions if info else 1))
        replicas = int(w.get("REPLICAS", info.replicas if info else 1))
        self.s.driver.create_topic(sink.topic, partitions, replicas)

    def _start_persistent(
        self, query_id: str, a: AnalyzedQuery, sink: DataSource, text: str, kind: str, session: Session
    ) -> None:
        def on_error(k: str, msg: str, rec: Record, exc: Exception | None, _id: str = query_id) -> None:
            if self.s.processing_log is not None:
                self.s.processing_log.error(_id, k, msg, rec, exc)

        if isinstance(a, AggregateQuery):  # GROUP BY / windows: runtime.aggregate with keyed state
            pipeline, plan = start_aggregate(self.s, a, sink, query_id, on_error)
        else:
            plan = logical.build(a, sink)
            pipeline = physical.compile_plan(plan, self.s.registry, on_error, self.s.stores, query_id)
        group = f"_confluent-ksql-{self.s.service_id}query_{query_id}"
        from_beginning = session.props.from_beginning
        topics = a.topics
        upstream = None
        if isinstance(a, AggregateQuery) and needs_repartition(a, self.s.driver):
            # grouped by something other than the source key: every group through one partition first
            # (runtime/repartition.py); the aggregation then reads the internal topic from its start
            upstream = self._repartition_stage(query_id, a, text, kind, session)
            topics = [upstream.sink.topic]
            from_beginning = True

        def connect(topics: list[str] = topics, from_beginning: bool = from_beginning) -> Consumer:
            return self.s.driver.consumer(topics, group, from_beginning)

        q = PersistentQuery(
            query_id,
            pipeline,
            connect(),
            self.s.driver,
            text,
            kind,
            batch_size=self.s.batch_size,
            poll_timeout=self.s.poll_timeout,
            # after a failure the query resumes from its group's committed offsets
            reconnect=connect,
        )
        q = with_guarantee(q, session.props)  # exactly_once_v2: a transactional twin
        q.upstream = upstream
        q.plan = plan  # type: ignore[attr-defined]
        attach = getattr(self.s.stores, "attach_query", None)
        if attach is not None:  # durable stores (Kafka): changelog topics, restored before the query starts
            attach(q, topics)
        self.s.persistent[query_id] = q
        if not self.s.synchronous:
            q.start()

    def _repartition_stage(
        self, query_id: str, a: AggregateQuery, text: str, kind: str, session: Session
    ) -> PersistentQuery:
        """Stage 1 of a repartitioned aggregation: the source, re-keyed by partition, into its topic."""
        info = self.s.driver.topic(a.source.topic)
        assert info is not None
        topic = repartition_topic(self.s.service_id, query_id)
        self.s.driver.create_topic(topic, info.partitions, info.replicas)
        # the changelog topics are sized from this topic's metadata: wait until every partition shows
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            made = self.s.driver.topic(topic)
            if made is not None and made.partitions >= info.partitions:
                break
            time.sleep(0.1)
        group = f"_confluent-ksql-{self.s.service_id}query_{query_id}-repartition"
        from_beginning = session.props.from_beginning
        pipeline = repartition_pipeline(a, self.s.registry, topic, info.partitions)
        stage = RepartitionQuery(
            f"{query_id}-repartition",
            pipeline,
            self.s.driver.consumer(a.topics, group, from_beginning),
            self.s.driver,
            text,
            kind,
            batch_size=self.s.batch_size,
            poll_timeout=self.s.poll_timeout,
            reconnect=lambda: self.s.driver.consumer(a.topics, group, from_beginning),
        )
        return with_guarantee(stage, session.props)

    def insert_into(self, st: ast.InsertInto, session: Session) -> dict[str, Any]:
        target = self.s.metastore.get(st.target)
        if target is None:
            raise KsqlStatementError(
                f"{_position(st, st.target)}Source `{st.target}` does not exist.", st.text
            )
        if target.is_table:
            raise KsqlStatementError(
                f"INSERT INTO can only be used to insert into a stream. {st.target} is a table.", st.text
            )
        a = self.analyzer.analyze(st.query, st.target, persistent=True, new_planner=_new_planner(session))
        if not _same_schema(a.schema, target.schema):
            raise KsqlStatementError(
                "Incompatible schema between results and sink.\nResult schema is "
                f"{a.schema.describe()}\nSink schema is {target.schema.describe()}",
                st.text,
            )
        query_id = f"INSERTQUERY_{self.s.next_query_number()}"
        self._start_persistent(query_id, a, target, st.text, "INSERT", session)
        return entities.current_status(
            st.text,
            f"stream/`{st.target}`/create",
            f"Created query with ID {query_id}",
            query_id,
            self.s.next_seq(),
        )

    def insert_values(self, st: ast.InsertValues, session: Session) -> None:
        target = self.s.metastore.get(st.target)
        if target is None:
            raise KsqlStatementError(
                f"Cannot insert values into an unknown stream/table: `{st.target}`{self._did_you_mean(st)}",
                st.text,
            )
        names = list(st.columns) or [c.name for c in target.schema.columns]
        if len(names) != len(st.values):
            if st.columns:
                raise KsqlStatementError(
                    f"Failed to prepare statement: Expected number columns and values "
                    f"to match: {len(names)}, {len(st.values)}",
                    st.text,
                )
            raise KsqlStatementError(
                f"Expected a value for each column. Expected Columns: {names}. Got "
                f"{[_text(v) for v in st.values]}",
                st.text,
            )
        comp = Compiler(Scope([]), self.s.registry, "VALUES")
        values: dict[str, Any] = {}
        ts = None
        for name, expr in zip(names, st.values, strict=True):
            try:
                code, t = comp.expr(expr)
                v = comp.function(code, "_value")([])
            except CompileError as e:
                message = e.message
                refs = [n for n in ast.walk(expr) if isinstance(n, ast.ColumnRef)]
                if refs and refs[0].source:
                    message = (
                        f"Failed to prepare statement: '{refs[0].source}' is not a valid stream/table "
                        f"name or alias."
                    )
                raise KsqlStatementError(message, st.text) from None
            if name == "ROWTIME":
                ts = v
                continue
            if name in ("ROWPARTITION", "ROWOFFSET"):
                raise KsqlStatementError(f"Inserting into column `{name}` is not allowed.", st.text)
            col = target.schema.find(name)
            if col is None:
                raise KsqlStatementError(f"Column name {name} does not exist.", st.text)
            try:
                values[name] = converter(col.type)(v) if t != col.type else v
            except KsqlError as e:
                raise KsqlStatementError(
                    f"Failed to insert values into '{st.target}'. {e.message}", st.text
                ) from None
        self._produce_row(target, values, ts)
        return None

    def _did_you_mean(self, st: ast.InsertValues) -> str:
        near = [s.name for s in self.s.metastore.all() if s.name.upper() == st.target.upper()]
        if not near:
            return ""
        if near[0].upper() == near[0]:
            return f"\nDid you mean {near[0]}? Hint: try removing double quotes from the source name."
        return (
            f'\nDid you mean "{near[0]}"? Hint: wrap the source name in double quotes to make it '
            f"case-sensitive."
        )

    def _produce_row(self, target: DataSource, values: Mapping[str, Any], ts: int | None) -> None:
        import time

        key = [values.get(c.name) for c in target.schema.key]
        val = [values.get(c.name) for c in target.schema.value_only]
        rec = Record(
            target.key_serde.serialize(key) if key else None,
            target.value_serde.serialize(val),
            int(time.time() * 1000) if ts is None else ts,
        )
        self.s.driver.produce(target.topic, [rec])

    def insert_json_row(self, target_name: str, row: Mapping[str, Any]) -> None:
        """One /inserts-stream row (JSON object, names case-insensitive)."""
        target = self.s.metastore.get(target_name.upper()) or self.s.metastore.get(target_name)
        if target is None:
            raise KsqlStatementError(f"Cannot insert values into an unknown stream: {target_name}")
        upper = {k.upper(): v for k, v in row.items()}
        values = {}
        for c in target.schema.columns:
            v = row.get(c.name, upper.get(c.name.upper()))
            values[c.name] = converter(c.type)(v)
        ts = upper.get("ROWTIME")
        self._produce_row(target, values, int(ts) if ts is not None else None)

    # --- queries issued to /ksql --------------------------------------------------------------------------
    def query_on_ksql(self, st: ast.Query, session: Session) -> None:
        raise KsqlStatementError(QUERY_ENDPOINT_MSG, st.text)

    def start_transient(self, st: ast.Query, session: Session) -> TransientQuery:
        if st.is_pull:
            qid = f"transient_{st.from_.name}_{random.randrange(10**18, 10**19)}"
            pull = start_pull(self.s, st, qid, session.props)
            if pull is not None:
                return pull  # type: ignore[return-value]
            raise KsqlStatementError(
                "Pull queries are not supported on streams or non-materialized tables. "
                "Add EMIT CHANGES for a push query.",
                st.text,
            )
        def on_error(k: str, msg: str, rec: Record, exc: Exception | None) -> None:
            if self.s.processing_log is not None:
                self.s.processing_log.error(query_id, k, msg, rec, exc)

        a: AnalyzedQuery | AggregateQuery
        if st.group_by or st.window is not None or is_aggregate(st, self.s.registry):
            # a push aggregation: the aggregation operator without a sink emits each updated row
            a = analyze_aggregate(self.s, st, None, session.props)
            query_id = f"transient_{a.source.name}_{random.randrange(10**18, 10**19)}"
            pipeline, _ = start_aggregate(self.s, a, None, query_id, on_error)
        else:
            a = self.analyzer.analyze(st)
            query_id = f"transient_{a.source.name}_{random.randrange(10**18, 10**19)}"
            pipeline = physical.compile_plan(logical.build(a, None), self.s.registry, on_error)
        group = f"_confluent-ksql-{self.s.service_id}{query_id}"
        consumer = self.s.driver.consumer(a.topics, group, session.props.from_beginning)
        q = TransientQuery(
            query_id, pipeline, consumer, batch_size=self.s.batch_size, poll_timeout=self.s.poll_timeout
        )
        q.statement = st.text  # type: ignore[attr-defined]
        self.s.transient[query_id] = q
        if not self.s.synchronous:
            q.start()
        return q

    # --- SHOW / DESCRIBE / EXPLAIN ------------------------------------------------------------------------
    def show(self, st: ast.Show, session: Session) -> dict[str, Any]:
        ms = self.s.metastore
        if st.what in ("STREAMS", "TABLES"):
            kind = st.what[:-1]
            return entities.source_list(st.text, kind, [s for s in ms.all() if s.kind == kind])
        if st.what == "TOPICS":
            topics = [
                (t.name, t.partitions, t.replicas)
                for t in self.s.driver.topics().values()
                if st.all_topics or not (t.name.startswith("_") or t.name.endswith("ksql_processing_log"))
            ]
            if st.extended:
                e = entities.kafka_topics(st.text, topics)
                e["@type"] = "kafka_topics_extended"
                for t in e["topics"]:
                    readers = [q for q in self.s.persistent.values() if t["name"] in q.consumer_topics]
                    t["consumerCount"] = len(readers)
                    t["consumerGroupCount"] = len(readers)
                return e
            return entities.kafka_topics(st.text, topics)
        if st.what == "QUERIES":
            qs: list[RunningQuery] = list(self.s.persistent.values())
            if st.extended:
                qs += list(self.s.transient.values())
            return entities.queries(st.text, [query_info(q) for q in qs])
        if st.what == "PROPERTIES":
            from ksqlserver.properties import DEFAULTS

            merged = dict(DEFAULTS)
            merged.update(session.props.server)
            merged.update({k: str(v) for k, v in session.props.overrides.items()})
            merged["ksql.service.id"] = self.s.service_id
            return entities.properties(st.text, merged, list(session.props.overrides))
        if st.what == "FUNCTIONS":
            e = entities.function_names(st.text, self.s.registry.all())
            # extension files that failed to load at start (ksqlserver.extensions)
            e["warnings"] = [{"message": m} for m in getattr(self.s.registry, "load_warnings", ())]
            return e
        if st.what == "TYPES":
            return {"@type": "type_list", "statementText": st.text, "warnings": [], "types": {}}
        if st.what == "VARIABLES":
            return {"@type": "variables", "statementText": st.text, "warnings": [], "variables": []}
        raise KsqlStatementError(f"SHOW {st.what} is not supported by this server", st.text)

    def _description(self, src: DataSource, extended: bool) -> dict[str, Any]:
        reads = [query_info(q) for q in self.s.persistent.values() if q.pipeline.source.name == src.name]
        writes = [query_info(q) for q in self.s.persistent.values() if q.sink.name == src.name]
        info = self.s.driver.topic(src.topic)
        stats = ""
        if extended:
            n = sum(q.processed for q in self.s.persistent.values() if q.pipeline.source.name == src.name)
            stats = f"consumer-messages-per-sec: 0 consumer-total-messages: {n}"
        return entities.source_description(
            src, reads, writes, extended, info.partitions if info else 0, info.replicas if info else 0, stats
        )

    def describe(self, st: ast.DescribeSource, session: Session) -> dict[str, Any]:
        src = self.s.metastore.get(st.name)
        if src is None:
            raise KsqlStatementError(f"Could not find STREAM/TABLE '{st.name}' in the Metastore", st.text)
        return entities.describe_source(st.text, self._description(src, st.extended))

    def describe_all(self, st: ast.DescribeSources, session: Session) -> dict[str, Any]:
        kind = st.what[:-1]
        return {
            "@type": "source_descriptions",
            "statementText": st.text,
            "warnings": [],
            "sourceDescriptions": [
                self._description(s, st.extended) for s in self.s.metastore.all() if s.kind == kind
            ],
        }

    def describe_function(self, st: ast.DescribeFunction, session: Session) -> dict[str, Any]:
        fn = self.s.registry.get(st.name)
        if fn is None:
            raise KsqlStatementError(f"Can't find any functions with the name '{st.name}'", st.text)
        return entities.describe_function(st.text, fn)

    def explain(self, st: ast.Explain, session: Session) -> dict[str, Any]:
        if st.query_id is None:
            raise KsqlStatementError(
                "EXPLAIN of a statement is not supported by this server; use EXPLAIN <query id>", st.text
            )
        q = self.s.persistent.get(st.query_id) or self.s.transient.get(st.query_id)
        if q is None:
            raise KsqlStatementError(
                f"Query with id:{st.query_id} does not exist, use SHOW QUERIES to view the "
                f"full set of queries.",
                st.text,
            )
        info = query_info(q)
        info["plan"] = q.plan.describe() if hasattr(q, "plan") else ""  # type: ignore[attr-defined]
        return entities.query_description(st.text, info)

    # --- TERMINATE / DROP / SET -------------------------------------------------------------------------
    def terminate(self, st: ast.Terminate, session: Session) -> dict[str, Any]:
        if st.query_id is None:
            for q in list(self.s.persistent.values()):
                q.stop()
            self.s.persistent.clear()
            return entities.current_status(
                st.text, "terminate/ALL/execute", "Query terminated.", None, self.s.next_seq()
            )
        qid = st.query_id
        if qid in self.s.transient or qid.lower().startswith("transient_"):
            tq = self.s.transient.pop(qid, None)
            if tq is None:
                raise KsqlStatementError(f"Unknown queryId: {qid}", st.text)
            tq.stop()
            return entities.terminate_transient(st.text, qid)
        match = next((k for k in self.s.persistent if k.upper() == qid.upper()), None)
        if match is None:
            raise KsqlStatementError(f"Unknown queryId: {qid}", st.text)
        self.s.persistent.pop(match).stop()
        return entities.current_status(
            st.text, f"terminate/{match}/execute", "Query terminated.", None, self.s.next_seq()
        )

    def drop(self, st: ast.DropSource, session: Session) -> dict[str, Any]:
        src = self.s.metastore.get(st.name)
        cid = f"{st.kind.lower()}/{st.name}/drop"
        if src is None:
            if st.if_exists:
                return entities.current_status(
                    st.text, cid, f"Source `{st.name}` does not exist.", None, self.s.next_seq()
                )
            raise KsqlStatementError(f"Source {st.name} does not exist.", st.text)
        if src.kind != st.kind:
            raise KsqlStatementError(
                f"Incompatible data source type is {src.kind}, but statement was DROP {st.kind}", st.text
            )
        readers = [
            q.query_id
            for q in self.s.persistent.values()
            if q.pipeline.source.name == st.name and q.sink.name != st.name
        ]
        writers = [q.query_id for q in self.s.persistent.values() if q.sink.name == st.name]
        if readers:
            raise KsqlStatementError(
                f"Cannot drop {st.name}.\nThe following queries read from this source: "
                f"[{', '.join(readers)}]."
                f"\nThe following queries write into this source: [{', '.join(writers)}].\nYou need to "
                f"terminate them before dropping {st.name}.",
                st.text,
            )
        for qid in writers:
            self.s.persistent.pop(qid).stop()
        self.s.metastore.remove(st.name)
        if st.delete_topic:
            self.s.driver.delete_topic(src.topic)
        return entities.current_status(
            st.text, cid, f"Source `{st.name}` (topic: {src.topic}) was dropped.", None, self.s.next_seq()
        )

    def set_property(self, st: ast.SetProperty, session: Session) -> None:
        session.props = session.props.with_overrides({st.name: st.value})

    def unset_property(self, st: ast.UnsetProperty, session: Session) -> None:
        session.props = session.props.without(normalise(st.name)).without(st.name)


def _new_planner(session: Session) -> bool:
    return session.props.get("ksql.new.query.planner.enabled", "false").lower() == "true"


def _position(st: ast.Statement, name: str) -> str:
    """ksqlDB's "Line: L, Col: C: " prefix for a name inside a statement."""
    first_line = st.text.split("\n", 1)[0]
    idx = first_line.upper().find(" " + name.upper(), first_line.upper().find("INTO"))
    col = st.column + idx + 1 if idx >= 0 else st.column
    return f"Line: {st.line}, Col: {col}: "


def _same_schema(a: LogicalSchema, b: LogicalSchema) -> bool:
    def norm(s: LogicalSchema) -> list[tuple[str, str, bool]]:
        return [(c.name, str(c.type), c.namespace == KEY) for c in s.columns]

    return norm(a) == norm(b)


def _text(e: ast.Expression) -> str:
    from ksqlserver.sqltext import sql

    return sql(e)
