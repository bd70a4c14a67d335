"""CREATE STREAM/TABLE, DROP, SET and UNSET: statements that change the metastore or the session."""

from __future__ import annotations

import logging
from typing import Any

from ksqlserver.catalog.properties import normalise
from ksqlserver.catalog.sources import build_source, schema_from_columns, upper_props
from ksqlserver.errors import KsqlStatementError
from ksqlserver.plan.upgrade import source_upgrade_error
from ksqlserver.sql import ast
from ksqlserver.statements import entities
from ksqlserver.statements.state import EngineState, Session

log = logging.getLogger("ksqlserver.statements")


def check_new_name(state: EngineState, name: str, kind: str, or_replace: bool) -> bool:
    """True if it exists and may be replaced; raises if it exists otherwise."""
    existing = state.metastore.get(name)
    if existing is None:
        return False
    if or_replace and existing.kind == kind:
        return True
    what = existing.kind.lower()
    raise KsqlStatementError(
        f"Cannot add {kind.lower()} '{name}': A {what} with the same name already exists"
    )


def create_source(state: EngineState, st: ast.CreateSource, session: Session) -> dict[str, Any]:
    existing = state.metastore.get(st.name)
    if existing is not None and st.if_not_exists:
        return entities.current_status(
            st.text,
            f"{st.kind.lower()}/`{st.name}`/create",
            f"Cannot add {st.kind.lower()} `{st.name}`: A "
            f"{existing.kind.lower()} with the same name already exists.",
            None,
            state.next_seq(),
        )
    check_new_name(state, st.name, st.kind, st.or_replace)
    if st.or_replace and (st.is_source or (existing is not None and existing.is_source)):
        what = st.kind.lower()
        raise KsqlStatementError(
            f"Cannot add {what} '{st.name}': CREATE OR REPLACE is not supported on source {what}s.", st.text
        )
    schema = schema_from_columns(st.kind, st.columns)
    src = build_source(
        st.name, st.kind, schema, st.properties, session.props, st.text, is_source=st.is_source
    )
    if st.or_replace and existing is not None:  # only compatible changes: columns added at the end
        issue = source_upgrade_error(existing, src)
        if issue is not None:
            raise KsqlStatementError(f"Cannot upgrade data source: {issue}", st.text)
    if not st.columns:
        raise KsqlStatementError("The statement does not define any columns.", st.text)
    if st.kind == "TABLE" and not schema.key:
        raise KsqlStatementError("Tables require a PRIMARY KEY. Please define the PRIMARY KEY.", st.text)
    w = upper_props(st.properties)
    if state.driver.topic(src.topic) is None:
        if "PARTITIONS" not in w:
            raise KsqlStatementError(f"Kafka topic does not exist: {src.topic}", st.text)
        state.driver.create_topic(src.topic, int(w["PARTITIONS"]), int(w.get("REPLICAS", 1)))
    state.metastore.put(src)
    what = "Stream" if st.kind == "STREAM" else "Table"
    return entities.current_status(
        st.text, f"{st.kind.lower()}/`{st.name}`/create", f"{what} created", None, state.next_seq()
    )


def drop(state: EngineState, st: ast.DropSource, session: Session) -> dict[str, Any]:
    src = state.metastore.get(st.name)
    cid = f"{st.kind.lower()}/{st.name}/drop"
    if src is None:
        if st.if_exists:
            return entities.current_status(
                st.text, cid, f"Source `{st.name}` does not exist.", None, state.next_seq()
            )
        raise KsqlStatementError(f"Source {st.name} does not exist.", st.text)
    if src.kind != st.kind:
        raise KsqlStatementError(
            f"Incompatible data source type is {src.kind}, but statement was DROP {st.kind}", st.text
        )
    readers = [
        q.query_id for q in state.persistent.values() if st.name in query_sources(q) and q.sink.name != st.name
    ]
    writers = [q.query_id for q in state.persistent.values() if q.sink.name == st.name]
    if readers:
        raise KsqlStatementError(
            f"Cannot drop {st.name}.\nThe following queries read from this source: "
            f"[{', '.join(readers)}]."
            f"\nThe following queries write into this source: [{', '.join(writers)}].\nYou need to "
            f"terminate them before dropping {st.name}.",
            st.text,
        )
    for qid in writers:  # the query writing the source goes with it, its internal topics and state too
        retire_query(state, state.persistent.pop(qid))
    state.metastore.remove(st.name)
    if st.delete_topic:
        state.driver.delete_topic(src.topic)
    return entities.current_status(
        st.text, cid, f"Source `{st.name}` (topic: {src.topic}) was dropped.", None, state.next_seq()
    )


def set_property(state: EngineState, st: ast.SetProperty, session: Session) -> None:
    session.props = session.props.with_overrides({st.name: st.value})


def unset_property(state: EngineState, st: ast.UnsetProperty, session: Session) -> None:
    session.props = session.props.without(normalise(st.name)).without(st.name)


def query_sources(q: Any) -> set[str]:
    """The names of every source a persistent query reads (all sides of a join)."""
    names = {q.pipeline.source.name}
    plan = q.plan
    analysed = getattr(plan, "query", None)  # an aggregation's plan holds its analysis
    join = getattr(analysed, "join", None)
    for step in getattr(plan, "steps", ()):
        join = getattr(step, "join", None) or join
    if join is not None:
        names |= {leaf.source.name for leaf in join.leaves}
    return names


def retire_query(state: EngineState, q: Any) -> None:
    """TERMINATE / DROP: stop a persistent query and delete what it kept, as ksqlDB does: its internal
    topics (`_confluent-ksql-<service id>query_<id>-...`: changelogs, repartition topics), its state stores
    and their local snapshots. CREATE OR REPLACE stops a query without this (its successor resumes)."""
    q.stop()
    prefix = f"_confluent-ksql-{state.config.service_id}query_{q.query_id}-"
    state.stores.cleanup(q.query_id)
    for topic in list(state.driver.topics()):
        if topic.startswith(prefix):
            try:
                state.driver.delete_topic(topic)
            except Exception as e:  # cleanup is best effort: the query is terminated either way
                log.warning("query %s: could not delete internal topic %s (%s)", q.query_id, topic, e)
